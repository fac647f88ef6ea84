// "Download package" on the lab tree: the document with its lineage and everything beneath it, as one
// archive from GET /export/{root}/{id} (see docs/export-import.md), fetched with the person's key.
import { getBlob } from './api.js';
import { h } from './dom.js';

const ROOTS = { specimen: 'specimens', block: 'blocks', roi: 'rois', acquisition: 'acquisitions' };

/** A "Download package" button for the levels a package can be made of, or null. */
export function packageButton(level, key) {
  const root = ROOTS[level];
  if (!root) return null;
  const status = h('span', { class: 'package-status', role: 'status' });
  const button = h('button', { type: 'button', class: 'button small secondary', id: 'package-download' }, 'Download package');
  button.addEventListener('click', () => download(root, key, button, status));
  return h('p', { class: 'details-links' }, button, ' ', status);
}

async function download(root, key, button, status) {
  button.disabled = true;
  status.textContent = 'Preparing the package…';
  try {
    const blob = await getBlob(`/export/${root}/${encodeURIComponent(String(key))}`);
    const name = `lims-${root}-${String(key).replace(/[^A-Za-z0-9._-]/g, '_')}.tar.gz`;
    const link = h('a', { href: URL.createObjectURL(blob), download: name, hidden: true });
    document.body.append(link);
    link.click();
    link.remove();
    setTimeout(() => URL.revokeObjectURL(link.href), 60000);
    status.textContent = '';
  } catch (error) {
    status.textContent = `Could not download the package: ${error.message}`;
  } finally {
    button.disabled = false;
  }
}
