// The jobs page: the Quartz scheduler, its periodic jobs with their triggers, and the outbox of job requests
// (attempts, last error), from GET /jobs, refreshed live.
import { ApiError, NetworkError, request } from './api.js';
import { h, plural, say, shortTime } from './dom.js';
import { mountLayout } from './layout.js';
import { livePoll } from './poll.js';

mountLayout('jobs');

const $ = (id) => document.getElementById(id);
const status = $('jobs-status');

function describe(error) {
  if (error instanceof ApiError) return error.status === 401 ? 'Enter a valid API key above.' : `Could not load the jobs: ${error.message}`;
  if (error instanceof NetworkError) return 'Could not load the jobs: the server could not be reached.';
  return `Could not load the jobs: ${error?.message ?? error}`;
}

/** "30 s", "5 min", "2 h" from milliseconds. */
function every(ms) {
  if (!ms) return '–';
  if (ms % 3600000 === 0) return `${ms / 3600000} h`;
  if (ms % 60000 === 0) return `${ms / 60000} min`;
  return `${(ms / 1000).toLocaleString('en', { maximumFractionDigits: 1 })} s`;
}

/** 2026-01-12 08:37:05 (UTC): triggers fire every few seconds, so seconds matter here. */
function fireTime(value) {
  if (!value) return '';
  const date = new Date(value);
  return Number.isNaN(date.getTime()) ? String(value) : date.toISOString().slice(0, 19).replace('T', ' ');
}

/** "DEFAULT.qc" → "qc": Quartz's default group says nothing. */
const shortName = (name) => (name ?? '').replace(/^DEFAULT\./, '');

function renderScheduler(scheduler) {
  if (!scheduler) {
    $('scheduler').replaceChildren(h('div', {}, h('dt', {}, 'Status'), h('dd', {}, 'No scheduler runs in this process.')));
    $('nodes').replaceChildren();
    return;
  }
  const facts = [
    ['Status', h('span', { class: 'pill', dataset: { status: scheduler.status } }, scheduler.status)],
    ['Name', scheduler.name],
    ['Instance', scheduler.instance_id],
    ['Store', `${scheduler.persistent ? 'persistent' : 'in memory'}${scheduler.clustered ? ', clustered' : ''}`],
    ['Jobs run here', (scheduler.jobs_executed_here ?? 0).toLocaleString('en')],
  ];
  $('scheduler').replaceChildren(...facts.map(([label, value]) => h('div', {}, h('dt', {}, label), h('dd', { class: 'wrap' }, value))));
  const nodes = scheduler.nodes ?? [];
  $('nodes').replaceChildren(nodes.length ? h('table', { class: 'data-table nodes-table' },
    h('thead', {}, h('tr', {}, h('th', {}, 'Node'), h('th', {}, 'State'), h('th', {}, 'Last check-in'))),
    h('tbody', {}, nodes.map((node) => h('tr', {},
      h('td', { class: 'mono' }, node.instance_id, node.current ? h('span', { class: 'muted' }, ' (this one)') : null),
      h('td', {}, node.state), h('td', {}, shortTime(node.last_check_in)))))) : '');
}

function renderJobs(jobs) {
  $('jobs-count').textContent = plural(jobs.length, 'job');
  $('jobs-rows').replaceChildren(...jobs.flatMap((job) => {
    const triggers = job.triggers?.length ? job.triggers : [null];
    return triggers.map((trigger, i) => h('tr', { dataset: { job: shortName(job.name) } },
      i === 0 ? h('td', { rowspan: triggers.length },
        h('div', { class: 'mono job-name' }, shortName(job.name)),
        job.description ? h('div', { class: 'muted job-description' }, job.description) : null) : null,
      h('td', { class: 'mono' }, trigger ? shortName(trigger.name) : 'on request only'),
      h('td', {}, trigger ? h('span', { class: 'pill', dataset: { status: trigger.state } }, trigger.state) : '–'),
      h('td', {}, trigger ? every(trigger.interval_ms) : '–'),
      h('td', { class: 'next-fire' }, trigger ? fireTime(trigger.next_fire_time) || '–' : '–'),
      h('td', {}, trigger ? fireTime(trigger.previous_fire_time) || 'never' : '–')));
  }));
}

function renderRequests(requests, total) {
  $('requests-count').textContent = total > requests.length ? `${requests.length} of ${total}` : plural(total, 'pending', 'pending');
  $('requests-empty').hidden = requests.length > 0;
  $('requests-table').hidden = requests.length === 0;
  $('requests-rows').replaceChildren(...requests.map((r) => h('tr', { dataset: { job: r.job, key: r.key }, class: r.last_error ? 'has-error' : null },
    h('td', { class: 'mono' }, r.job),
    h('td', { class: 'mono' }, r.key),
    h('td', {}, fireTime(r.due_at)),
    h('td', {}, shortTime(r.requested_at)),
    h('td', { class: 'num' }, r.attempts),
    h('td', { class: 'last-error' }, r.last_error ?? ''))));
}

async function load() {
  try {
    const { body } = await request('GET', '/jobs');
    renderScheduler(body.scheduler);
    renderJobs(body.jobs ?? []);
    renderRequests(body.requests ?? [], body.requests_total ?? 0);
    say(status, '', 'info');
  } catch (error) {
    say(status, describe(error), 'error');
  }
}

const poller = livePoll(load, $('jobs-refresh'), { intervalMs: 10000, maxPolls: 360 });
window.addEventListener('lims:apikey', () => poller.now());
