// The lab tree page: Specimen → Block → CuttingSession → Section → ROI → Acquisition → Tile, with
// counts on every row, paging, search by id or barcode, and the lineage and fields of the selected item.
// Every level is described in levels.js; this file only renders and navigates.
import { ApiError, count, get, keyAdvice, list, NetworkError } from './api.js';
import { append, clear, h, plural, say } from './dom.js';
import { mountLayout } from './layout.js';
import { lineage } from './lineage.js';
import { entityPath, itemHref, levels, nodeId } from './levels.js';
import { packageButton } from './package.js';
import { createQueue } from './queue.js';

const PAGE_SIZE = 50;
const ROOT_LEVEL = 'specimen';

mountLayout('tree');
const treeRoot = document.getElementById('tree');
const rootCount = document.getElementById('tree-count');
const status = document.getElementById('tree-status');
const details = document.getElementById('details');
const searchForm = document.getElementById('search');
const searchResults = document.getElementById('search-results');
// Counts arrive after the rows: a few requests at a time, so a long list does not flood the server.
const counts = createQueue(4);

// ---- rows ---------------------------------------------------------------------------------------

/** A tree item for one document; its children load when it is first expanded. */
function itemFor(level, doc, depth) {
  const def = levels[level];
  const key = doc[def.key];
  const id = nodeId(level, key);
  const rowId = `row-${cssSafe(id)}`;
  const countSlot = h('span', { class: 'count', 'aria-label': 'loading counts' }, '…');
  const statusText = def.status?.(doc);
  const row = h('div', { class: 'row', id: rowId },
    h('span', { class: 'twisty', 'aria-hidden': 'true' }),
    h('span', { class: `kind kind-${level}` }, def.label),
    h('span', { class: 'title' }, def.title(doc)),
    statusText ? h('span', { class: 'pill', dataset: { status: statusText } }, statusText) : null,
    h('span', { class: 'summary' }, def.summary(doc)),
    countSlot);
  const item = h('li', {
    role: 'treeitem', tabindex: '-1', 'aria-level': depth, 'aria-selected': 'false', 'aria-labelledby': rowId,
    dataset: { node: id, level, key: String(key) },
  }, row);
  item.lims = { level, key, doc, depth, loaded: false, specs: [] };
  if (def.children.length) {
    item.setAttribute('aria-expanded', 'false');
    item.append(h('ul', { role: 'group', hidden: true }));
    counts.push(() => fillCounts(item, countSlot));
  } else {
    countSlot.remove();
  }
  row.addEventListener('click', (event) => {
    event.stopPropagation();
    focusItem(item);
    selectItem(item);
    if (event.target.closest('.twisty') || item.getAttribute('aria-expanded') === 'false') toggle(item);
  });
  return item;
}

async function fillCounts(item, slot) {
  const { level, key } = item.lims;
  const def = levels[level];
  try {
    const numbers = await Promise.all(def.children.map((spec) =>
      count(`${entityPath(level, key)}/${spec.nav}`, spec.filter ? { $filter: spec.filter } : undefined)));
    const parts = def.children
      .map((spec, i) => ({ spec, n: numbers[i] }))
      .filter(({ spec, n }) => n > 0 || !spec.hideWhenEmpty)
      .map(({ spec, n }) => plural(n, spec.one, spec.many));
    slot.textContent = parts.join(' · ');
    slot.removeAttribute('aria-label');
    item.lims.counts = numbers;
    if (numbers.every((n) => n === 0)) makeLeaf(item);
  } catch {
    slot.textContent = '';
  }
}

function makeLeaf(item) {
  item.removeAttribute('aria-expanded');
  item.querySelector(':scope > ul')?.remove();
  item.classList.add('leaf');
}

// ---- expanding and paging -----------------------------------------------------------------------

async function toggle(item, expand = item.getAttribute('aria-expanded') !== 'true') {
  if (!item.hasAttribute('aria-expanded')) return;
  const group = item.querySelector(':scope > ul');
  item.setAttribute('aria-expanded', String(expand));
  group.hidden = !expand;
  if (expand && !item.lims.loaded) await loadChildren(item);
}

/** The first page of each kind of child, each followed by a "show more" item when there are more. */
async function loadChildren(item) {
  item.lims.loaded = true;
  const group = item.querySelector(':scope > ul');
  const { level, key, depth } = item.lims;
  group.setAttribute('aria-busy', 'true');
  try {
    for (const spec of levels[level].children) {
      const more = moreItem(depth + 1);
      group.append(more);
      const section = { spec, base: `${entityPath(level, key)}/${spec.nav}`, loaded: 0, total: null, more, group, depth: depth + 1 };
      item.lims.specs.push(section);
      await loadPage(section);
    }
  } catch (error) {
    item.lims.loaded = false;
    group.replaceChildren(h('li', { role: 'none', class: 'tree-error' }, describe(error)));
  } finally {
    group.removeAttribute('aria-busy');
  }
}

async function loadPage(section) {
  const { spec } = section;
  const def = levels[spec.level];
  const pageSize = spec.pageSize ?? PAGE_SIZE;
  const page = await list(section.base, {
    $select: def.select.join(','), $orderby: spec.orderby === def.key ? def.key : `${spec.orderby},${def.key}`, $filter: spec.filter,
    $top: pageSize, $skip: section.loaded || undefined, $count: 'true',
  });
  for (const doc of page.items) {
    if (!section.group.querySelector(`:scope > [data-node="${CSS.escape(nodeId(spec.level, doc[def.key]))}"]`)) {
      section.more.before(itemFor(spec.level, doc, section.depth));
    }
  }
  section.loaded += page.items.length;
  section.total = page.count ?? section.loaded;
  const left = section.total - section.loaded;
  section.more.hidden = left <= 0;
  section.more.querySelector('button').textContent =
    `Show ${Math.min(left, pageSize)} more (${section.loaded.toLocaleString('en')} of ${plural(section.total, spec.one, spec.many)})`;
  section.more.onactivate = () => loadPage(section).catch((e) => say(status, describe(e), 'error'));
}

function moreItem(depth) {
  const button = h('button', { type: 'button', class: 'link-button', tabindex: '-1' });
  const item = h('li', { role: 'treeitem', tabindex: '-1', class: 'more', 'aria-level': depth, hidden: true }, button);
  button.addEventListener('click', () => item.onactivate?.());
  return item;
}

/** Makes sure an item is among its parent's rows (it may sit on a page not loaded yet). */
function ensureChild(parentGroup, level, doc, depth) {
  const id = nodeId(level, doc[levels[level].key]);
  const existing = parentGroup.querySelector(`:scope > [data-node="${CSS.escape(id)}"]`);
  if (existing) return existing;
  const item = itemFor(level, doc, depth);
  const mores = [...parentGroup.querySelectorAll(':scope > li.more')];
  const parentItem = parentGroup.closest('[role="treeitem"]');
  const specIndex = parentItem ? levels[parentItem.lims.level].children.findIndex((s) => s.level === level) : 0;
  const anchor = mores[Math.max(specIndex, 0)];
  if (anchor) anchor.before(item);
  else parentGroup.append(item);
  return item;
}

// ---- selection, lineage and fields --------------------------------------------------------------

let selectionToken = 0;

async function selectItem(item) {
  for (const selected of treeRoot.querySelectorAll('[aria-selected="true"]')) selected.setAttribute('aria-selected', 'false');
  item.setAttribute('aria-selected', 'true');
  const { level, key } = item.lims;
  const wanted = `#/${level}/${encodeURIComponent(String(key))}`;
  if (location.hash !== wanted) history.replaceState(null, '', wanted);
  await showDetails(level, key);
}

async function showDetails(level, key, chain = null) {
  const token = ++selectionToken;
  const def = levels[level];
  details.setAttribute('aria-busy', 'true');
  try {
    const [doc, ancestors] = await Promise.all([get(entityPath(level, key)), chain ?? lineage(level, key)]);
    if (token !== selectionToken) return;
    // Through append() of dom.js, which skips null: Element.append would print a missing part as "null".
    append(clear(details), [
      h('p', { class: 'eyebrow' }, def.label),
      h('h2', { id: 'details-title' }, def.title(doc)),
      h('nav', { class: 'lineage', 'aria-label': 'Lineage' },
        h('ol', {}, ancestors.map((a, i) => h('li', {},
          h('a', { href: itemHref(a.level, a.key), 'aria-current': i === ancestors.length - 1 ? 'location' : null },
            crumb(a.level, a.doc)))))),
      qualityLink(level, key),
      packageButton(level, key),
      fieldList(doc)]);
  } catch (error) {
    if (token === selectionToken) clear(details).append(h('p', { class: 'tree-error' }, describe(error)));
  } finally {
    if (token === selectionToken) details.removeAttribute('aria-busy');
  }
}

/** ROIs and acquisitions have a quality report (the Quality page). */
function qualityLink(level, key) {
  if (level !== 'roi' && level !== 'acquisition') return null;
  return h('p', { class: 'details-links' },
    h('a', { class: 'button small secondary', id: 'quality-link', href: `/app/quality?${level}=${encodeURIComponent(key)}` }, 'Quality report'));
}

/** "Section CS1-S0003"; a title that already names its kind ("ROI 5") is not prefixed again. */
function crumb(level, doc) {
  const { label, title } = levels[level];
  const text = title(doc);
  return text.startsWith(label) ? text : [h('span', { class: 'lineage-kind' }, label), ' ', text];
}

const HIDDEN_FIELDS = new Set(['matcher', 'rois', 'edits', 'apertures']);

function fieldList(doc) {
  const rows = Object.entries(doc)
    .filter(([name]) => !name.startsWith('@') && !HIDDEN_FIELDS.has(name))
    .map(([name, value]) => [h('dt', {}, name.replaceAll('_', ' ')), h('dd', {}, formatValue(value))]);
  return h('dl', { class: 'fields' }, rows);
}

function formatValue(value) {
  if (value === null || value === undefined) return '—';
  if (Array.isArray(value)) {
    if (value.every((v) => typeof v !== 'object')) return value.length <= 8 ? value.join(', ') : `${value.length} values`;
    return plural(value.length, 'entry', 'entries');
  }
  if (typeof value === 'object') {
    return h('span', { class: 'nested' }, Object.entries(value).slice(0, 12).map(([k, v]) =>
      h('span', {}, h('span', { class: 'nested-key' }, `${k.replaceAll('_', ' ')}: `),
        nestedValue(v))));
  }
  return String(value);
}

/** A value inside a structured field; absent values read as a dash, like top-level ones. */
function nestedValue(value) {
  if (value === null || value === undefined) return '—';
  return typeof value === 'object' ? JSON.stringify(value) : String(value);
}

// ---- revealing an item (search, lineage links, addresses) --------------------------------------

async function reveal(level, key) {
  if (!levels[level]) return;
  say(status, '');
  let chain;
  try {
    chain = await lineage(level, key);
  } catch (error) {
    say(status, error instanceof ApiError && error.status === 404 ? `${levels[level].label} ${key} does not exist.` : describe(error), 'error');
    return;
  }
  await rootsLoaded;
  let group = treeRoot;
  let item = null;
  for (const [i, link] of chain.entries()) {
    item = ensureChild(group, link.level, link.doc, i + 1);
    if (i < chain.length - 1) {
      if (!item.hasAttribute('aria-expanded')) break;
      await toggle(item, true);
      group = item.querySelector(':scope > ul');
    }
  }
  focusItem(item);
  item.scrollIntoView({ block: 'nearest' });
  for (const selected of treeRoot.querySelectorAll('[aria-selected="true"]')) selected.setAttribute('aria-selected', 'false');
  item.setAttribute('aria-selected', 'true');
  await showDetails(level, chain.at(-1).key, chain);
}

function revealFromAddress() {
  const match = /^#\/([a-z]+)\/(.+)$/.exec(location.hash);
  if (!match) return;
  const [, level, raw] = match;
  const key = decodeURIComponent(raw);
  reveal(level, levels[level]?.numericKey ? Number(key) : key);
}

// ---- search -------------------------------------------------------------------------------------

searchForm.addEventListener('submit', async (event) => {
  event.preventDefault();
  const q = searchForm.elements.q.value.trim();
  clear(searchResults);
  if (!q) return;
  say(status, 'Searching…');
  const searches = Object.entries(levels)
    .map(([level, def]) => ({ level, def, filter: def.search(q) }))
    .filter((s) => s.filter);
  const outcomes = await Promise.allSettled(searches.map((s) =>
    list(`/odata/${s.def.set}`, { $filter: s.filter, $select: s.def.select.join(','), $top: 10 })));
  const hits = outcomes.flatMap((o, i) => (o.status === 'fulfilled' ? o.value.items.map((doc) => ({ ...searches[i], doc })) : []));
  const failures = outcomes.filter((o) => o.status === 'rejected');
  if (hits.length === 1) {
    say(status, '');
    const hit = hits[0];
    location.hash = `#/${hit.level}/${encodeURIComponent(String(hit.doc[hit.def.key]))}`;
    return;
  }
  if (hits.length === 0) {
    say(status, failures.length ? describe(failures[0].reason) : `Nothing has the id or barcode “${q}”.`, failures.length ? 'error' : 'info');
    return;
  }
  say(status, `${hits.length} matches for “${q}”.`);
  searchResults.append(...hits.map((hit) => h('li', {},
    h('a', { href: itemHref(hit.level, hit.doc[hit.def.key]) },
      h('span', { class: `kind kind-${hit.level}` }, hit.def.label), ' ', h('span', { class: 'title' }, hit.def.title(hit.doc)),
      ' ', h('span', { class: 'summary' }, hit.def.summary(hit.doc))))));
});

// ---- keyboard: the tree pattern (arrows move, Right/Left open and close, Enter selects) -----------

function visibleItems() {
  return [...treeRoot.querySelectorAll('[role="treeitem"]')].filter((item) => !item.hidden && !item.closest('ul[hidden]'));
}

function focusItem(item) {
  if (!item) return;
  for (const other of treeRoot.querySelectorAll('[role="treeitem"][tabindex="0"]')) other.tabIndex = -1;
  item.tabIndex = 0;
  item.focus({ preventScroll: false });
}

treeRoot.addEventListener('keydown', (event) => {
  const item = event.target.closest('[role="treeitem"]');
  if (!item) return;
  const items = visibleItems();
  const index = items.indexOf(item);
  const expanded = item.getAttribute('aria-expanded');
  const handled = {
    ArrowDown: () => focusItem(items[index + 1]),
    ArrowUp: () => focusItem(items[index - 1]),
    Home: () => focusItem(items[0]),
    End: () => focusItem(items.at(-1)),
    ArrowRight: () => (expanded === 'false' ? toggle(item, true) : expanded === 'true' ? focusItem(items[index + 1]) : null),
    ArrowLeft: () => (expanded === 'true' ? toggle(item, false) : focusItem(item.parentElement.closest('[role="treeitem"]'))),
    Enter: () => activate(item),
    ' ': () => activate(item),
  }[event.key];
  if (handled) {
    event.preventDefault();
    handled();
  }
});

function activate(item) {
  if (item.classList.contains('more')) {
    item.onactivate?.();
    return;
  }
  selectItem(item);
  if (item.getAttribute('aria-expanded') === 'false') toggle(item, true);
}

// ---- start ----------------------------------------------------------------------------------------

function describe(error) {
  if (error instanceof NetworkError) return 'The server could not be reached; try again in a moment.';
  if (error instanceof ApiError) return keyAdvice(error) ?? error.message;
  return String(error?.message ?? error);
}

function cssSafe(text) {
  return text.replace(/[^A-Za-z0-9_-]/g, (c) => `_${c.charCodeAt(0).toString(16)}`);
}

async function loadRoots() {
  const def = levels[ROOT_LEVEL];
  const section = { spec: { level: ROOT_LEVEL, one: 'specimen', orderby: def.key }, base: `/odata/${def.set}`, loaded: 0, total: null, more: moreItem(1), group: treeRoot, depth: 1 };
  treeRoot.append(section.more);
  await loadPage(section);
  rootCount.textContent = plural(section.total, 'specimen');
  const first = treeRoot.querySelector('[role="treeitem"]');
  if (first && !treeRoot.querySelector('[tabindex="0"]')) first.tabIndex = 0; // reachable with Tab, without stealing focus

}

const rootsLoaded = loadRoots().catch((error) => say(status, describe(error), 'error'));
window.addEventListener('hashchange', revealFromAddress);
window.addEventListener('lims:apikey', () => location.reload());
revealFromAddress();
