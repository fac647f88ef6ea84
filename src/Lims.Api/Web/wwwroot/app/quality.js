// The quality page of one acquisition (?acquisition=ID) or one ROI (?roi=ID): verdict, key figures, the focus
// heatmap, the failing tiles with reasons, their CSV, and what to re-image. Reports come from /quality/...,
// fetched with the person's key (so the SVG and the CSV are fetched too, not linked).
import { ApiError, NetworkError, keyAdvice, get, getBlob, list } from './api.js';
import { h, plural, say, shortTime } from './dom.js';
import { mountLayout } from './layout.js';

mountLayout('quality');

const shownTiles = 200;
const shownPositions = 60;

const form = document.getElementById('quality-form');
const scopeInput = document.getElementById('quality-scope');
const idInput = document.getElementById('quality-id');
const refreshButton = document.getElementById('quality-refresh');
const status = document.getElementById('quality-status');
const report = document.getElementById('quality-report');
const $ = (id) => document.getElementById(id);

let current = null; // { scope, id }

function reportPath({ scope, id }) {
  return scope === 'roi' ? `/quality/rois/${encodeURIComponent(id)}` : `/quality/acquisitions/${encodeURIComponent(id)}`;
}

function describe(error, what) {
  if (error instanceof ApiError) {
    const advice = keyAdvice(error);
    if (advice) return `${what}: ${advice}`;
    if (error.status === 404) return `${what}: ${error.message || 'not found'}.`;
    return `${what}: ${error.message}`;
  }
  if (error instanceof NetworkError) return `${what}: the server could not be reached.`;
  return `${what}: ${error?.message ?? error}`;
}

const number = (value, digits = 3) => (value === null || value === undefined ? '–' : Number(value).toLocaleString('en', { maximumFractionDigits: digits }));

function figures(r) {
  const focus = r.focus ?? {};
  const intensity = r.intensity ?? {};
  const matcher = r.matcher ?? {};
  const rows = [
    ['Tiles', `${number(r.tile_count, 0)} of ${number(r.expected_tiles, 0)} expected`],
    ['Missing positions', number(r.missing_count, 0)],
    ['Failing tiles', number(r.failing_tile_count, 0)],
    ['Focus median', `${number(focus.median)} (min ${number(focus.min)}, threshold ${number(focus.threshold)})`],
    ['Below focus threshold', number(focus.below_threshold, 0)],
    ['Dark / saturated / low contrast', `${number(intensity.dark_tiles, 0)} / ${number(intensity.saturated_tiles, 0)} / ${number(intensity.low_contrast_tiles, 0)}`],
    ['Frozen frames', number(r.frozen_frames, 0)],
    ['Median match quality', number(matcher.median_match_quality)],
    ['Invalid matches / drift outliers', `${number(matcher.invalid_entries, 0)} / ${number(matcher.drift_outliers, 0)}`],
  ];
  if (r.scope === 'roi') rows.unshift(['Acquisitions', (r.acquisitions ?? []).map((a) => a.acquisition_id).join(', ') || '–']);
  return rows.map(([label, value]) => h('div', {}, h('dt', {}, label), h('dd', {}, value)));
}

function recommendation(r) {
  const positions = r.reimage_positions ?? [];
  const what = r.scope === 'roi' ? 'ROI' : 'acquisition';
  if (r.verdict === 'in-progress') {
    return positions.length
      ? `Still imaging: QC judges the ${what} once it is acquired. Tiles with faults so far, at ${plural(positions.length, 'raster position')}:`
      : `Still imaging: QC judges the ${what} once it is acquired. No tile with faults so far.`;
  }
  if (r.qc_status === 'failed') {
    return `Acquire the ${what} again: the problems are systematic or cover too much of the raster to repair by re-imaging positions.`;
  }
  if (positions.length === 0) return 'No re-imaging needed.';
  if (r.qc_status === 'to be re-imaged') return `Re-image ${plural(positions.length, 'raster position')} (missing or failing tiles):`;
  return `Passes with warnings; re-imaging ${plural(positions.length, 'raster position')} would clear them:`;
}

function positionItems(r) {
  const positions = r.reimage_positions ?? [];
  const several = new Set(positions.map((p) => p.acquisition_id)).size > 1;
  const items = positions.slice(0, shownPositions).map((p) => h('li', { class: 'mono' },
    several ? `${p.acquisition_id} ` : '', `r${p.row} c${p.col}`));
  if (positions.length > shownPositions) items.push(h('li', { class: 'muted' }, `… ${positions.length - shownPositions} more in the CSV`));
  return items;
}

function tileRow(tile) {
  return h('tr', { dataset: { tile: tile.tile_id } },
    h('td', { class: 'mono' }, h('a', { href: `/#/tile/${encodeURIComponent(tile.tile_id)}` }, tile.tile_id)),
    h('td', { class: 'mono' }, tile.acquisition_id),
    h('td', { class: 'num' }, tile.row ?? '–'),
    h('td', { class: 'num' }, tile.col ?? '–'),
    h('td', { class: 'num' }, number(tile.focus_score)),
    h('td', {}, h('span', { class: 'faults' }, (tile.faults ?? []).map((fault) => h('span', { class: 'pill fault', dataset: { fault } }, fault)))),
    h('td', { class: 'reasons-cell' }, (tile.reasons ?? []).join('; ')));
}

/** The server's SVG, parsed as SVG and stripped of anything active before it joins the page. */
async function heatmap(path) {
  const target = $('quality-heatmap');
  target.replaceChildren(h('p', { class: 'muted' }, 'Loading the heatmap…'));
  try {
    const text = await (await getBlob(`${path}/heatmap.svg`)).text();
    const svg = new DOMParser().parseFromString(text, 'image/svg+xml').documentElement;
    if (svg.nodeName !== 'svg') throw new Error('the heatmap is not an SVG image');
    for (const element of svg.querySelectorAll('script, foreignObject')) element.remove();
    for (const element of [svg, ...svg.querySelectorAll('*')]) {
      for (const attribute of [...element.attributes]) if (/^on/i.test(attribute.name)) element.removeAttribute(attribute.name);
    }
    svg.setAttribute('role', 'img');
    target.replaceChildren(document.importNode(svg, true));
  } catch (error) {
    target.replaceChildren(h('p', { class: 'tree-error' }, describe(error, 'Could not load the heatmap')));
  }
}

function render(r) {
  const scopeName = r.scope === 'roi' ? 'ROI' : 'Acquisition';
  $('quality-scope-label').textContent = `${scopeName} quality report`;
  $('quality-heading').replaceChildren(h('a', { href: r.scope === 'roi' ? `/#/roi/${r.roi_id}` : `/#/acquisition/${encodeURIComponent(r.acquisition_id)}` },
    r.scope === 'roi' ? `ROI ${r.roi_id}` : r.acquisition_id));
  const verdict = $('quality-verdict');
  verdict.textContent = r.verdict;
  verdict.dataset.verdict = r.verdict;
  $('quality-qc-status').textContent = r.qc_status;
  $('quality-qc-status').dataset.status = r.qc_status;
  $('quality-computed').textContent = `computed ${shortTime(r.computed_at)}`;
  $('quality-reasons').replaceChildren(...(r.reasons?.length ? r.reasons : ['No problems found.']).map((reason) => h('li', {}, reason)));
  $('quality-figures').replaceChildren(...figures(r));
  $('quality-recommendation').textContent = recommendation(r);
  $('quality-recommendation').dataset.qcStatus = r.qc_status;
  $('quality-positions').replaceChildren(...(r.qc_status === 'failed' ? [] : positionItems(r)));
  const tiles = r.failing_tiles ?? [];
  $('failing-count').textContent = plural(r.failing_tile_count ?? tiles.length, 'tile');
  $('failing-rows').replaceChildren(...tiles.slice(0, shownTiles).map(tileRow));
  $('failing-table').hidden = tiles.length === 0;
  const more = $('failing-more');
  more.hidden = tiles.length <= shownTiles && tiles.length > 0;
  more.textContent = tiles.length === 0 ? 'No failing tiles.' : `First ${shownTiles} of ${tiles.length}; the CSV has them all.`;
  report.hidden = false;
}

async function show(target, { refresh = false } = {}) {
  current = target;
  $('quality-overview').hidden = true;
  scopeInput.value = target.scope;
  idInput.value = target.id;
  refreshButton.hidden = false;
  say(status, refresh ? 'Recomputing…' : 'Loading…', 'info');
  const path = reportPath(target);
  try {
    render(await get(path, refresh ? { refresh: 'true' } : {}));
    say(status, '', 'info');
  } catch (error) {
    report.hidden = true;
    say(status, describe(error, `No report for ${target.scope === 'roi' ? 'ROI' : 'acquisition'} ${target.id}`), 'error');
    return;
  }
  await heatmap(path);
}

async function downloadCsv(button) {
  if (!current) return;
  button.disabled = true;
  try {
    const blob = await getBlob(`${reportPath(current)}/failing-tiles.csv`);
    const link = h('a', { href: URL.createObjectURL(blob), download: `failing-tiles-${current.scope}-${current.id}.csv`, hidden: true });
    document.body.append(link);
    link.click();
    link.remove();
    setTimeout(() => URL.revokeObjectURL(link.href), 10000);
  } catch (error) {
    say(status, describe(error, 'Could not download the CSV'), 'error');
  } finally {
    button.disabled = false;
  }
}

function fromAddress() {
  const query = new URLSearchParams(location.search);
  if (query.get('roi')) return { scope: 'roi', id: query.get('roi') };
  if (query.get('acquisition')) return { scope: 'acquisition', id: query.get('acquisition') };
  return null;
}

form.addEventListener('submit', (event) => {
  event.preventDefault();
  const target = { scope: scopeInput.value, id: idInput.value.trim() };
  if (!target.id) return;
  if (target.scope === 'roi' && !/^\d+$/.test(target.id)) {
    say(status, 'An ROI id is a number.', 'error');
    return;
  }
  history.pushState(null, '', `?${target.scope}=${encodeURIComponent(target.id)}`);
  show(target);
});
refreshButton.addEventListener('click', () => current && show(current, { refresh: true }));
$('quality-csv').addEventListener('click', (event) => downloadCsv(event.currentTarget));
window.addEventListener('popstate', () => {
  const target = fromAddress();
  if (target) show(target);
});
window.addEventListener('lims:apikey', () => current && show(current));

// ---- without an id: what needs attention, to pick from ----------------------------------------------

const overviewSize = 15;

function reportLink(target, label, ...extra) {
  return h('li', {}, h('a', { href: `?${target.scope}=${encodeURIComponent(target.id)}`, dataset: { scope: target.scope, id: String(target.id) } }, label), ...extra);
}

function listInto(element, items, empty) {
  element.replaceChildren(...(items.length ? items : [h('li', { class: 'muted' }, empty)]));
}

async function showOverview() {
  $('quality-overview').hidden = false;
  const [failing, recent] = await Promise.allSettled([
    list('/odata/Acquisitions', {
      $filter: "status in ('failed','to be re-imaged')", $orderby: 'updated_at desc', $top: overviewSize,
      $select: 'acquisition_id,roi_id,status,updated_at',
    }),
    list('/odata/QualityReports', {
      $orderby: 'computed_at desc', $top: overviewSize, $select: 'report_id,scope,acquisition_id,roi_id,verdict,qc_status,computed_at',
    }),
  ]);
  if (failing.status === 'fulfilled') {
    listInto($('failing-acquisitions'), failing.value.items.map((a) => reportLink({ scope: 'acquisition', id: a.acquisition_id }, a.acquisition_id,
      ' ', h('span', { class: 'pill', dataset: { status: a.status } }, a.status), h('span', { class: 'muted' }, ` ROI ${a.roi_id} · ${shortTime(a.updated_at)}`))),
    'No acquisition has failed QC.');
  } else {
    listInto($('failing-acquisitions'), [], describe(failing.reason, 'Could not list the acquisitions'));
  }
  if (recent.status === 'fulfilled') {
    listInto($('recent-reports'), recent.value.items.map((r) => {
      const target = r.scope === 'roi' ? { scope: 'roi', id: r.roi_id } : { scope: 'acquisition', id: r.acquisition_id };
      return reportLink(target, r.scope === 'roi' ? `ROI ${r.roi_id}` : r.acquisition_id,
        ' ', h('span', { class: 'verdict small', dataset: { verdict: r.verdict } }, r.verdict), h('span', { class: 'muted' }, ` ${shortTime(r.computed_at)}`));
    }), 'No report computed yet: enter an acquisition or ROI above.');
  } else {
    listInto($('recent-reports'), [], describe(recent.reason, 'Could not list the reports'));
  }
}

$('quality-overview').addEventListener('click', (event) => {
  const link = event.target.closest('a[data-scope]');
  if (!link) return;
  event.preventDefault();
  const target = { scope: link.dataset.scope, id: link.dataset.id };
  history.pushState(null, '', `?${target.scope}=${encodeURIComponent(target.id)}`);
  show(target);
});

const initial = fromAddress();
if (initial) show(initial);
else {
  idInput.focus();
  showOverview();
}
