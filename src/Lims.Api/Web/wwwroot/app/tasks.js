// The task board: acquisition tasks in one column per status, the actions the caller's role may take,
// each task's transition history, and a bounded live refresh that pauses while the tab is hidden.
import { ApiError, NetworkError, keyAdvice, keySegment, list, odataString, request } from './api.js';
import { clear, h, plural, say, shortTime } from './dom.js';
import { mountLayout } from './layout.js';
import { livePoll } from './poll.js';
import { mayTask, whoAmI } from './roles.js';

mountLayout('tasks');

const columns = ['Planned', 'In Progress', 'Completed', 'Failed', 'Aborted'];
// Which transitions each action makes (Workflow/Lifecycles.cs): offered only where it is legal.
const actionsFrom = {
  Start: ['Planned'],
  Abort: ['Planned', 'In Progress'],
  Replan: ['In Progress', 'Failed'],
};
const perColumn = 50;

const board = document.getElementById('board');
const status = document.getElementById('board-status');
const refreshNote = document.getElementById('board-refresh');
const historyHint = document.getElementById('history-hint');
const historyList = document.getElementById('history-list');
const historyHeading = document.getElementById('history-heading');

let role = null;
let selected = new URLSearchParams(location.search).get('task');
let poller = null;

function columnId(name) {
  return `column-${name.toLowerCase().replaceAll(' ', '-')}`;
}

async function loadColumn(name) {
  return list('/odata/AcquisitionTasks', {
    $filter: `status eq ${odataString(name)}`,
    $orderby: 'task_id',
    $top: perColumn,
    $count: 'true',
    $select: 'task_id,roi_id,task_type,version,status,updated_at,error_message,metadata',
  });
}

function actionButtons(task) {
  return Object.entries(actionsFrom)
    .filter(([action, from]) => from.includes(task.status) && mayTask(role, action))
    .map(([action]) => h('button', {
      type: 'button', class: `button small ${action === 'Abort' ? 'danger' : 'secondary'}`, dataset: { action },
      'aria-label': `${action} ${task.task_id}`,
      onclick: (event) => {
        event.stopPropagation();
        runAction(task, action, event.currentTarget);
      },
    }, action));
}

function card(task) {
  const actions = actionButtons(task);
  return h('li', {
    class: 'task-card', tabindex: '0', dataset: { task: task.task_id }, 'aria-current': task.task_id === selected ? 'true' : null,
    onclick: () => select(task.task_id),
    onkeydown: (event) => {
      if (event.target === event.currentTarget && (event.key === 'Enter' || event.key === ' ')) {
        event.preventDefault();
        select(task.task_id);
      }
    },
  },
  h('div', { class: 'task-line' }, h('span', { class: 'title' }, task.task_id), h('span', { class: 'pill' }, `v${task.version ?? 1}`)),
  h('div', { class: 'task-meta' },
    h('a', { href: `/#/roi/${task.roi_id}`, onclick: (event) => event.stopPropagation() }, `ROI ${task.roi_id}`),
    h('span', {}, (task.task_type ?? '').replaceAll('_', ' '))),
  requestLine(task),
  task.error_message ? h('p', { class: 'task-error', title: task.error_message }, task.error_message) : null,
  actions.length ? h('div', { class: 'task-actions' }, actions) : null);
}

/** Priority and requester come from the task's open `metadata` (seeded and set by planners); either may be absent. */
function requestLine(task) {
  const priority = task.metadata?.priority;
  const requester = task.metadata?.requested_by;
  if (!priority && !requester) return null;
  return h('div', { class: 'task-request' },
    priority ? h('span', { class: 'pill priority', dataset: { priority: String(priority) } }, `${priority} priority`) : null,
    requester ? h('span', { class: 'muted' }, `for ${requester}`) : null);
}

function render(results) {
  const fragment = columns.map((name, i) => {
    const { items, count } = results[i];
    const total = count ?? items.length;
    return h('section', { class: 'column', id: columnId(name), dataset: { status: name }, 'aria-label': `${name}: ${plural(total, 'task')}` },
      h('h2', {}, h('span', { class: 'pill', dataset: { status: name } }, name), h('span', { class: 'count column-count' }, String(total))),
      items.length ? h('ol', { class: 'task-list' }, items.map(card)) : h('p', { class: 'muted empty-hint' }, 'None'),
      total > items.length ? h('p', { class: 'muted more-note' }, `First ${items.length} of ${total}`) : null);
  });
  // Keep the keyboard where it was across a refresh.
  const focusedTask = document.activeElement?.closest?.('.task-card')?.dataset.task;
  board.replaceChildren(...fragment);
  if (focusedTask) board.querySelector(`[data-task="${CSS.escape(focusedTask)}"]`)?.focus();
}

async function load() {
  try {
    render(await Promise.all(columns.map(loadColumn)));
    if (selected) await showHistory(selected);
  } catch (error) {
    say(status, describe(error, 'Could not load the tasks'), 'error');
  }
}

const refresh = () => (poller ? poller.now() : load());

function describe(error, what) {
  if (error instanceof ApiError) {
    const advice = keyAdvice(error);
    if (advice) return `${what}: ${advice}`;
    return `${what}: ${error.message}`;
  }
  if (error instanceof NetworkError) return `${what}: the server could not be reached.`;
  return `${what}: ${error?.message ?? error}`;
}

async function runAction(task, action, button) {
  // Abort is final: it asks first, and its reason goes into the task's history.
  let body = {};
  if (action === 'Abort') {
    const reason = await askAbortReason(task);
    if (reason === null) return;
    body = { reason };
  }
  button.disabled = true;
  say(status, `${action} ${task.task_id}…`, 'info');
  try {
    const reply = await request('POST', `/odata/AcquisitionTasks${keySegment(task.task_id)}/Lims.${action}`, { body });
    say(status, `${task.task_id}: ${task.status} → ${reply.body?.status ?? '?'}.`, 'ok');
    selected = task.task_id;
  } catch (error) {
    say(status, describe(error, `${action} ${task.task_id} was refused`), 'error');
  } finally {
    button.disabled = false;
  }
  await refresh();
}

const abortDialog = document.getElementById('abort-dialog');
const abortForm = document.getElementById('abort-form');
const abortReason = document.getElementById('abort-reason');

/** Resolves with the reason entered, or null when the person cancels. */
function askAbortReason(task) {
  document.getElementById('abort-heading').textContent = `Abort ${task.task_id}?`;
  abortReason.value = '';
  clearReasonError();
  abortDialog.showModal();
  abortReason.focus();
  return new Promise((resolve) => {
    abortDialog.addEventListener('close', () => {
      resolve(abortDialog.returnValue === 'abort' ? abortReason.value.trim() : null);
    }, { once: true });
  });
}

function clearReasonError() {
  abortReason.removeAttribute('aria-invalid');
  document.getElementById('abort-reason-error').textContent = '';
}

abortForm.addEventListener('submit', (event) => {
  event.preventDefault();
  if (!abortReason.value.trim()) {
    abortReason.setAttribute('aria-invalid', 'true');
    document.getElementById('abort-reason-error').textContent = 'Say why the task is aborted: it is recorded in its history.';
    abortReason.focus();
    return;
  }
  abortDialog.close('abort');
});
abortReason.addEventListener('input', clearReasonError);
document.getElementById('abort-cancel').addEventListener('click', () => abortDialog.close('cancel'));

async function select(taskId) {
  selected = taskId;
  const url = new URL(location.href);
  url.searchParams.set('task', taskId);
  history.replaceState(null, '', url);
  for (const element of board.querySelectorAll('.task-card')) {
    element.setAttribute('aria-current', element.dataset.task === taskId ? 'true' : 'false');
  }
  await showHistory(taskId);
}

async function showHistory(taskId) {
  historyHeading.textContent = `History of ${taskId}`;
  let events;
  try {
    ({ items: events } = await list('/odata/TaskEvents', {
      $filter: `task_id eq ${odataString(taskId)}`, $orderby: 'at desc,event_id desc', $top: 50,
    }));
  } catch (error) {
    historyHint.hidden = false;
    historyHint.textContent = describe(error, 'Could not load the history');
    clear(historyList);
    return;
  }
  if (selected !== taskId) return;
  historyHint.hidden = events.length > 0;
  historyHint.textContent = 'No transitions recorded yet.';
  historyList.replaceChildren(...events.map((event) => h('li', { class: 'history-item' },
    h('div', { class: 'history-transition' },
      h('span', { class: 'pill', dataset: { status: event.from_status ?? '' } }, event.from_status ?? 'new'), ' → ',
      h('span', { class: 'pill', dataset: { status: event.to_status } }, event.to_status),
      event.version ? h('span', { class: 'muted history-version' }, `v${event.version}`) : null),
    h('div', { class: 'history-meta muted' }, shortTime(event.at), ' · ', event.cause ?? ''),
    event.reason ? h('div', { class: 'history-reason' }, event.reason) : null)));
}

window.addEventListener('lims:apikey', () => start());

async function start() {
  say(status, '', 'info');
  try {
    const me = await whoAmI();
    role = me.role;
    document.getElementById('board-role').textContent = role ? `Signed in as ${me.name} (${role})` : 'No valid API key';
  } catch (error) {
    role = null;
    say(status, describe(error, 'Could not check your key'), 'error');
  }
  if (poller) await poller.now();
  else poller = livePoll(load, refreshNote, { intervalMs: 5000, maxPolls: 720 });
}

start();
