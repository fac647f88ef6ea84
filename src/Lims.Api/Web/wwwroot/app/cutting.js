// Log a cutting session: start a session on a block, then add its sections one after another from the
// keyboard. Every create uses a key chosen here (CS-<block>-<yyyyMMdd-HHmm>, <session>-S<0000>), so a
// create retried after a dropped connection can never store a document twice (api.js createDocument).
import { ApiError, createDocument, get, getOrNull, keySegment, list, odataString } from './api.js';
import { clearErrors, setFieldError, showErrors, submitOnEnter } from './forms.js';
import { h, say, shortTime } from './dom.js';
import { mountLayout } from './layout.js';
import { entityPath, itemHref } from './levels.js';

mountLayout('cutting');

const $ = (id) => document.getElementById(id);
const REMEMBERED = ['operator', 'device', 'knife']; // the same person at the same microtome, session after session
const sessionId = new URLSearchParams(location.search).get('session');

if (sessionId) showSession(sessionId);
else showStartForm();

// ---- starting a session -------------------------------------------------------------------------

/** CS-<block>-<yyyyMMdd-HHmm> in UTC, so two clocks in different zones cannot disagree about it. */
export function sessionIdFor(blockId, now = new Date()) {
  const iso = now.toISOString(); // 2026-03-04T09:05:00.000Z
  return `CS-${blockId}-${iso.slice(0, 10).replaceAll('-', '')}-${iso.slice(11, 16).replace(':', '')}`;
}

async function showStartForm() {
  $('start-card').hidden = false;
  const form = $('start-form');
  for (const name of REMEMBERED) form.elements[name].value = localStorage.getItem(`lims.cutting.${name}`) ?? '';
  const block = form.elements.block;
  const preview = () => {
    $('session-id-preview').textContent = block.value.trim() ? sessionIdFor(block.value.trim()) : '—';
  };
  block.addEventListener('input', preview);
  submitOnEnter(form);
  form.addEventListener('submit', (event) => {
    event.preventDefault();
    startSession(form);
  });
  block.focus();

  const [blocks, recent] = await Promise.allSettled([
    list('/odata/Blocks', { $select: 'block_id,specimen_id', $orderby: 'block_id', $top: 500 }),
    list('/odata/CuttingSessions', { $select: 'cutting_session_id,block_id,start_time,operator,media_type', $orderby: 'start_time desc', $top: 8 }),
  ]);
  if (blocks.status === 'fulfilled') {
    $('blocks').replaceChildren(...blocks.value.items.map((b) => h('option', { value: b.block_id }, b.specimen_id)));
  }
  if (recent.status === 'fulfilled' && recent.value.items.length) {
    $('recent').hidden = false;
    // A technician recognises a session by its block, day and operator, not by its id alone.
    $('recent-sessions').replaceChildren(...recent.value.items.map((s) => h('li', {},
      h('a', { href: `/app/cutting?session=${encodeURIComponent(s.cutting_session_id)}`, dataset: { session: s.cutting_session_id } },
        h('span', { class: 'recent-block' }, `Block ${s.block_id}`),
        h('span', { class: 'recent-meta' }, [shortTime(s.start_time), s.operator, s.media_type].filter(Boolean).join(' · ')),
        h('span', { class: 'recent-id' }, s.cutting_session_id)))));
  }
}

let starting = false;

async function startSession(form) {
  if (starting) return;
  clearErrors(form);
  const blockId = form.elements.block.value.trim();
  if (!blockId) {
    setFieldError(form.elements.block, 'Choose the block being cut.');
    form.elements.block.focus();
    return;
  }
  const now = new Date();
  const text = (name) => form.elements[name].value.trim() || undefined;
  const session = {
    cutting_session_id: sessionIdFor(blockId, now),
    block_id: blockId,
    start_time: now.toISOString(),
    operator: text('operator'),
    sectioning_device: text('device'),
    knife_id: text('knife'),
    media_type: form.elements.mediaType.value,
  };
  starting = true;
  const button = form.querySelector('button[type="submit"]');
  button.disabled = true;
  const status = $('start-status');
  say(status, 'Starting…');
  try {
    await createDocument('CuttingSessions', 'cutting_session_id', session, {
      onRetry: ({ attempt, maxAttempts }) => say(status, `Connection lost — trying again (${attempt} of ${maxAttempts})…`, 'warn'),
    });
    for (const name of REMEMBERED) localStorage.setItem(`lims.cutting.${name}`, form.elements[name].value.trim());
    location.assign(`/app/cutting?session=${encodeURIComponent(session.cutting_session_id)}`);
  } catch (error) {
    say(status, '');
    showErrors(form, error, {
      messageFor: (d) => (d.code === 'DuplicateKey' ? `Session ${session.cutting_session_id} already exists: continue it below, or start again in a minute.` : null),
    });
  } finally {
    starting = false;
    button.disabled = false;
  }
}

// ---- adding sections ----------------------------------------------------------------------------

const state = { session: null, apertures: [], shown: 0, total: 0 };

async function showSession(id) {
  let session;
  try {
    session = await getOrNull(entityPath('session', id));
  } catch (error) {
    showLoadError(error);
    return;
  }
  if (!session) {
    $('start-card').hidden = false;
    showStartForm();
    say($('start-status'), `There is no cutting session ${id}; start one here.`, 'error');
    return;
  }
  state.session = session;
  $('session-card').hidden = false;
  $('sections-card').hidden = false;
  $('session-title').textContent = session.cutting_session_id;
  document.title = `${session.cutting_session_id} · Lims`;
  $('session-summary').replaceChildren(...[
    ['Block', h('a', { href: itemHref('block', session.block_id), class: 'mono' }, session.block_id)],
    ['Specimen', session.specimen_id],
    ['Operator', session.operator],
    ['Device', session.sectioning_device],
    ['Knife', session.knife_id],
    ['Media', session.media_type],
    ['Started (UTC)', shortTime(session.start_time)],
  ].filter(([, v]) => v).map(([label, value]) => h('div', {}, h('dt', {}, label), h('dd', {}, value))));

  const form = $('section-form');
  submitOnEnter(form);
  form.addEventListener('submit', (event) => {
    event.preventDefault();
    addSection(form);
  });
  form.elements.substrate.addEventListener('change', () => loadApertures(form.elements.substrate.value));

  try {
    const [latest] = await Promise.all([loadSections(), loadSubstrates()]);
    form.elements.number.value = String((latest?.section_number ?? 0) + 1);
    if (latest?.section_metrics?.thickness_um != null) form.elements.thickness.value = String(latest.section_metrics.thickness_um);
  } catch (error) {
    showLoadError(error);
  }
  form.elements.number.focus();
  form.elements.number.select();
}

/** The session's sections, newest first (one page); resolves with the highest-numbered one. */
async function loadSections() {
  const page = await list(`${entityPath('session', state.session.cutting_session_id)}/sections`, {
    $select: 'section_id,section_number,media_id,aperture_index,aperture_uid,section_metrics,timestamp',
    $orderby: 'section_number desc', $top: 50, $count: 'true',
  });
  state.total = page.count ?? page.items.length;
  $('section-rows').replaceChildren(...page.items.map((s) => sectionRow(s)));
  showCount();
  return page.items[0] ?? null;
}

function showCount() {
  $('section-count').textContent = `(${state.total})`;
}

function sectionRow(section, fresh = false) {
  const quality = section.section_metrics?.quality;
  return h('tr', { class: fresh ? 'fresh' : null, dataset: { section: section.section_id } },
    h('td', { class: 'num' }, section.section_number),
    h('td', {}, h('a', { href: itemHref('section', section.section_id), class: 'mono' }, section.section_id)),
    h('td', { class: 'mono' }, section.media_id ?? '—'),
    h('td', {}, section.aperture_index ?? '—'),
    h('td', {}, quality ? h('span', { class: 'pill', dataset: { status: quality } }, quality) : '—'),
    h('td', { class: 'num' }, section.section_metrics?.thickness_um ?? '—'),
    h('td', {}, shortTime(section.timestamp)));
}

async function loadSubstrates() {
  const select = $('substrate');
  const mediaType = state.session.media_type;
  const [substrates, last] = await Promise.all([
    list('/odata/Substrates', {
      $select: 'media_id,media_type,status', $orderby: 'media_id', $top: 200,
      $filter: mediaType ? `media_type eq ${odataString(mediaType)}` : undefined,
    }),
    list(`${entityPath('session', state.session.cutting_session_id)}/sections`, { $select: 'media_id', $orderby: 'section_number desc', $top: 1 }),
  ]);
  select.replaceChildren(h('option', { value: '' }, 'No substrate'),
    ...substrates.items.map((s) => h('option', { value: s.media_id }, `${s.media_id}${s.status ? ` (${s.status.replace('_', ' ')})` : ''}`)));
  const preferred = last.items[0]?.media_id ?? substrates.items.find((s) => s.status === 'in_use')?.media_id ?? substrates.items[0]?.media_id ?? '';
  select.value = preferred;
  await loadApertures(preferred);
}

/** The substrate's apertures, the next free one (after the highest index used on it) chosen. */
async function loadApertures(mediaId) {
  const select = $('aperture');
  state.apertures = [];
  if (!mediaId) {
    select.replaceChildren(h('option', { value: '' }, '—'));
    return;
  }
  const [substrate, used] = await Promise.all([
    get(`/odata/Substrates${keySegment(mediaId)}`, { $select: 'media_id,apertures' }),
    list('/odata/Sections', { $filter: `media_id eq ${odataString(mediaId)}`, $select: 'aperture_index', $orderby: 'aperture_index desc', $top: 1 }),
  ]);
  state.apertures = [...(substrate.apertures ?? [])].sort((a, b) => (a.index ?? 0) - (b.index ?? 0));
  select.replaceChildren(h('option', { value: '' }, 'No aperture'),
    ...state.apertures.map((a) => h('option', { value: a.uid ?? '', dataset: { index: a.index ?? '' } },
      `${a.index ?? '?'}${a.uid ? ` · ${shortUid(a.uid)}` : ''}${a.status ? ` (${a.status})` : ''}`)));
  const lastIndex = used.items[0]?.aperture_index;
  const next = state.apertures.find((a) => lastIndex == null || a.index > lastIndex);
  select.value = next?.uid ?? '';
}

const shortUid = (uid) => (uid.length > 12 ? `${uid.slice(0, 8)}…` : uid);

let adding = false;

async function addSection(form) {
  if (adding) return;
  clearErrors(form);
  const number = Number(form.elements.number.value);
  if (!Number.isInteger(number) || number < 1) {
    setFieldError(form.elements.number, 'Enter the section number, a whole number from 1.');
    form.elements.number.focus();
    return;
  }
  const session = state.session;
  const apertureOption = form.elements.aperture.selectedOptions[0];
  const thickness = form.elements.thickness.value.trim();
  const section = {
    section_id: `${session.cutting_session_id}-S${String(number).padStart(4, '0')}`,
    section_number: number,
    cutting_session_id: session.cutting_session_id,
    timestamp: new Date().toISOString(),
    media_id: form.elements.substrate.value || undefined,
    aperture_uid: form.elements.aperture.value || undefined,
    aperture_index: apertureOption?.dataset.index ? Number(apertureOption.dataset.index) : undefined,
    section_metrics: {
      quality: form.elements.quality.value,
      thickness_um: thickness === '' ? undefined : Number(thickness),
    },
  };
  adding = true;
  const button = $('add-section');
  button.disabled = true;
  const status = $('section-status');
  say(status, `Saving section ${number}…`);
  try {
    const { document: stored, attempts } = await createDocument('Sections', 'section_id', section, {
      onRetry: ({ attempt, maxAttempts }) => say(status, `Connection lost — trying section ${number} again (${attempt} of ${maxAttempts})…`, 'warn'),
    });
    $('section-rows').prepend(sectionRow(stored, true));
    state.total++;
    showCount();
    say(status, attempts > 1 ? `Section ${number} saved once the connection came back.` : `Section ${number} saved.`, 'ok');
    prepareNext(form, number);
  } catch (error) {
    say(status, '');
    showErrors(form, error, {
      // The section id is derived from the number, so a taken id is a taken number.
      aliases: { section_id: 'section_number', aperture_index: 'aperture_uid' },
      messageFor: (d) => (d.target === 'section_number' && (d.code === 'DuplicateKey' || d.code === 'NotUnique')
        ? `Section ${number} is already logged in this session.`
        : null),
    });
  } finally {
    adding = false;
    button.disabled = false;
  }
}

/** Next number, next aperture, quality back to good; focus on the number, ready for Enter. */
function prepareNext(form, number) {
  form.elements.number.value = String(number + 1);
  const aperture = form.elements.aperture;
  if (aperture.selectedIndex > 0 && aperture.selectedIndex < aperture.options.length - 1) aperture.selectedIndex += 1;
  form.elements.quality.value = 'good';
  form.elements.number.focus();
  form.elements.number.select();
}

function showLoadError(error) {
  const target = $('sections-card').hidden ? $('start-status') : $('section-status');
  if (target.closest('[hidden]')) $('start-card').hidden = false;
  say(target, error instanceof ApiError ? error.message : 'The server could not be reached; reload the page in a moment.', 'error');
}
