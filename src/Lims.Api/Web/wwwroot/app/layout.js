// The shared frame of every page: brand, navigation and the API key entry.
import { apiKey } from './api.js';
import { h } from './dom.js';
import { pages } from './pages.js';

/** Renders the header into <header id="app-header"> and marks the current page. */
export function mountLayout(currentPage) {
  const header = document.getElementById('app-header');
  const nav = h('nav', { class: 'app-nav', 'aria-label': 'Pages' },
    h('ul', {}, pages.map((page) => h('li', {},
      h('a', { href: page.href, 'aria-current': page.id === currentPage ? 'page' : null }, page.title)))));
  header.replaceChildren(
    h('a', { class: 'brand', href: '/' }, h('span', { class: 'brand-mark', 'aria-hidden': 'true' }), 'Lims'),
    nav,
    keyEntry(),
  );
  const title = pages.find((p) => p.id === currentPage)?.title;
  if (title) document.title = `${title} · Lims`;
}

/** A small form: the key is kept in sessionStorage (this tab only) and sent with every request. */
function keyEntry() {
  const input = h('input', {
    id: 'api-key', type: 'password', autocomplete: 'off', spellcheck: 'false', placeholder: 'API key', size: 14,
    title: 'Your API key, kept for this tab only. Submit it empty to forget the key.',
  });
  const state = h('span', { class: 'key-state', id: 'api-key-state', 'aria-live': 'polite' });
  const button = h('button', { type: 'submit', class: 'button small' }, 'Use key');
  const form = h('form', { class: 'key-entry', 'aria-label': 'API key' },
    h('label', { for: 'api-key', class: 'visually-hidden' }, 'API key'), input, button, state);
  const show = () => {
    const key = apiKey.get();
    state.textContent = key ? `key …${key.slice(-4)}` : 'no key';
    state.dataset.present = key ? 'true' : 'false';
    input.value = '';
    input.placeholder = key ? 'Change key' : 'API key';
  };
  form.addEventListener('submit', (event) => {
    event.preventDefault();
    apiKey.set(input.value);
    show();
  });
  window.addEventListener('lims:apikey', show);
  show();
  return form;
}
