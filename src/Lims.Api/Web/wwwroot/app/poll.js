// Live refresh for dashboards: one refresh at a time, every few seconds while the tab is visible, and at most
// `maxPolls` times before the person resumes it by hand (an open tab should not poll the server forever).
import { h } from './dom.js';

/** Calls `refresh()` now and then every `intervalMs`; `note` shows the state. Returns { now() } to refresh at once. */
export function livePoll(refresh, note, { intervalMs = 5000, maxPolls = 720 } = {}) {
  let polls = 0;
  let timer = null;
  let running = null;

  const once = async () => {
    if (!running) {
      running = (async () => {
        try {
          await refresh();
          note.textContent = `Updated ${new Date().toLocaleTimeString('en-GB')}`;
        } finally {
          running = null;
        }
      })();
    }
    return running;
  };

  const schedule = () => {
    clearTimeout(timer);
    timer = null;
    if (document.hidden) {
      note.textContent = 'Live refresh paused (tab hidden)';
      return;
    }
    if (polls >= maxPolls) {
      note.replaceChildren('Live refresh stopped. ', h('button', {
        type: 'button', class: 'link-button', onclick: () => {
          polls = 0;
          once().finally(schedule);
        },
      }, 'Resume'));
      return;
    }
    timer = setTimeout(() => {
      polls++;
      once().finally(schedule);
    }, intervalMs);
  };

  document.addEventListener('visibilitychange', () => {
    if (document.hidden) schedule();
    else once().finally(schedule);
  });
  once().finally(schedule);
  return { now: once };
}
