// The jobs page: Hangfire's servers, recurring jobs and latest jobs (from its monitoring API, via GET /jobs), each
// described in plain words, and the job requests not yet handed to Hangfire; refreshed live. The button opens
// Hangfire's own dashboard, after handing it the key as a cookie (a link cannot carry the X-Api-Key header).
import { ApiError, NetworkError, request } from './api.js';
import { h, plural, say, shortTime } from './dom.js';
import { mountLayout } from './layout.js';
import { livePoll } from './poll.js';

mountLayout('jobs');

const $ = (id) => document.getElementById(id);
const status = $('jobs-status');

function describe(error, what = 'load the jobs') {
  if (error instanceof ApiError) return error.status === 401 ? 'Enter a valid API key above.' : `Could not ${what}: ${error.message}`;
  if (error instanceof NetworkError) return `Could not ${what}: the server could not be reached.`;
  return `Could not ${what}: ${error?.message ?? error}`;
}

/** 2026-01-12 08:37:05 (UTC): recurring jobs fire every few seconds, so seconds matter here. */
function fireTime(value) {
  if (!value) return '';
  const date = new Date(value);
  return Number.isNaN(date.getTime()) ? String(value) : date.toISOString().slice(0, 19).replace('T', ' ');
}

/** "*\/30 * * * * *" → "every 30 s", "*\/5 * * * *" → "every 5 min"; anything else as written. */
function schedule(cron) {
  const fields = (cron ?? '').trim().split(/\s+/);
  const step = (field) => (field === '*' ? 1 : Number(/^\*\/(\d+)$/.exec(field)?.[1]));
  const rest = (from) => fields.slice(from).every((f) => f === '*');
  if (fields.length === 6 && step(fields[0]) && rest(1)) return `every ${step(fields[0])} s`;
  if (fields.length === 5 && step(fields[0]) && rest(1)) return `every ${step(fields[0])} min`;
  return cron ?? '';
}

const STATES = ['processing', 'enqueued', 'scheduled', 'failed', 'succeeded', 'recurring', 'servers'];

function renderOverview(statistics, servers) {
  $('statistics').replaceChildren(...STATES.map((state) => h('div', { dataset: { state } },
    h('dt', {}, state[0].toUpperCase() + state.slice(1)), h('dd', {}, (statistics?.[state] ?? 0).toLocaleString('en')))));
  $('servers').replaceChildren(servers.length ? h('table', { class: 'data-table nodes-table' },
    h('thead', {}, h('tr', {}, h('th', {}, 'Server'), h('th', { class: 'num' }, 'Workers'), h('th', {}, 'Queues'), h('th', {}, 'Started'), h('th', {}, 'Last heartbeat'))),
    h('tbody', {}, servers.map((server) => h('tr', {},
      h('td', { class: 'mono wrap' }, server.name), h('td', { class: 'num' }, server.workers), h('td', {}, (server.queues ?? []).join(', ')),
      h('td', {}, shortTime(server.started_at)), h('td', {}, fireTime(server.heartbeat)))))) : h('p', { class: 'muted' }, 'No Hangfire server is running: jobs wait until one starts.'));
}

function renderRecurring(recurring) {
  $('recurring-count').textContent = plural(recurring.length, 'job');
  $('recurring-rows').replaceChildren(...recurring.map((job) => h('tr', { dataset: { job: job.id } },
    h('td', {}, h('div', { class: 'job-description' }, job.description), h('div', { class: 'mono muted job-name' }, job.id)),
    h('td', {}, schedule(job.cron)),
    h('td', { class: 'next-fire' }, fireTime(job.next_run) || '–'),
    h('td', {}, fireTime(job.last_run) || 'never'),
    h('td', {}, job.last_state ? h('span', { class: 'pill', dataset: { status: job.last_state } }, job.last_state) : '–'))));
}

function renderLatest(jobs) {
  $('latest-count').textContent = plural(jobs.length, 'job');
  $('latest-empty').hidden = jobs.length > 0;
  $('latest-table').hidden = jobs.length === 0;
  $('latest-rows').replaceChildren(...jobs.map((job) => h('tr', { dataset: { id: job.id, job: job.job ?? '', key: job.key ?? '' }, class: job.error ? 'has-error' : null },
    h('td', {}, h('span', { class: 'pill', dataset: { status: job.state } }, job.state)),
    h('td', { class: 'job-description' }, job.description),
    h('td', {}, fireTime(job.at)),
    h('td', { class: 'last-error' }, job.error ?? ''))));
}

function renderRequests(requests, total) {
  $('requests-count').textContent = total > requests.length ? `${requests.length} of ${total}` : plural(total, 'waiting', 'waiting');
  $('requests-empty').hidden = requests.length > 0;
  $('requests-table').hidden = requests.length === 0;
  $('requests-rows').replaceChildren(...requests.map((r) => h('tr', { dataset: { job: r.job, key: r.key } },
    h('td', { class: 'mono' }, r.job),
    h('td', { class: 'mono' }, r.key),
    h('td', { class: 'job-description' }, r.description),
    h('td', {}, fireTime(r.due_at)),
    h('td', {}, shortTime(r.requested_at)))));
}

async function load() {
  try {
    const { body } = await request('GET', '/jobs');
    renderOverview(body.statistics, body.servers ?? []);
    renderRecurring(body.recurring ?? []);
    renderLatest(body.jobs ?? []);
    renderRequests(body.requests ?? [], body.requests_total ?? 0);
    say(status, '', 'info');
  } catch (error) {
    say(status, describe(error), 'error');
  }
}

$('open-dashboard').addEventListener('click', async () => {
  try {
    await request('POST', '/jobs/dashboard-session');
    window.location.assign('/hangfire');
  } catch (error) {
    say(status, describe(error, 'open the dashboard'), 'error');
  }
});

const poller = livePoll(load, $('jobs-refresh'), { intervalMs: 10000, maxPolls: 360 });
window.addEventListener('lims:apikey', () => poller.now());
