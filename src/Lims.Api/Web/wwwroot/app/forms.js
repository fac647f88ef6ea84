// Field errors beside their inputs. An input names the API field it edits with data-target
// (e.g. data-target="section_metrics/quality"); an error detail's target finds it. Each input has
// a <p class="field-error" id="<input id>-error"> beside it, referenced by aria-describedby.
import { ApiError, NetworkError } from './api.js';

export function clearErrors(form) {
  for (const input of form.querySelectorAll('[aria-invalid="true"]')) input.removeAttribute('aria-invalid');
  for (const p of form.querySelectorAll('.field-error')) p.textContent = '';
  const summary = form.querySelector('.form-error');
  if (summary) {
    summary.textContent = '';
    summary.hidden = true;
  }
}

export function setFieldError(input, message) {
  input.setAttribute('aria-invalid', 'true');
  const slot = document.getElementById(`${input.id}-error`);
  if (slot) slot.textContent = message;
}

/**
 * Shows an error from the API on the form: each detail beside the input whose data-target matches
 * (through `aliases`, e.g. a derived key mapped onto the input it comes from); anything else in the
 * form's .form-error. `messageFor(detail)` may replace a message with a friendlier one.
 * Focuses the first field in error. Returns true when at least one field was marked.
 */
export function showErrors(form, error, { aliases = {}, messageFor = () => null } = {}) {
  clearErrors(form);
  const leftover = [];
  let first = null;
  if (error instanceof ApiError) {
    for (const detail of error.details) {
      const target = aliases[detail.target] ?? detail.target;
      const input = target ? form.querySelector(`[data-target="${CSS.escape(target)}"]`) : null;
      const message = messageFor({ ...detail, target }) ?? friendlyMessage(detail.message, input);
      if (input) {
        setFieldError(input, message);
        first ??= input;
      } else {
        leftover.push(message);
      }
    }
    if (error.details.length === 0) leftover.push(error.message);
  } else if (error instanceof NetworkError) {
    leftover.push('Not saved: the server could not be reached. Your entry is kept; press Enter to try again.');
  } else {
    leftover.push(error?.message ?? String(error));
  }
  const summary = form.querySelector('.form-error');
  if (summary && leftover.length) {
    summary.textContent = leftover.join(' ');
    summary.hidden = false;
  }
  (first ?? summary)?.focus?.();
  return first !== null;
}

/**
 * The server names fields by their API path ('section_metrics/thickness_um'); a person knows them by the
 * label on the form. Quoted paths become the label of the input they belong to, or readable words.
 */
export function friendlyMessage(message, input) {
  const label = input ? document.querySelector(`label[for="${CSS.escape(input.id)}"]`)?.textContent.trim() : null;
  const target = input?.dataset.target;
  const sentence = message.replace(/'([a-z][a-z0-9_]*(?:\/[a-z][a-z0-9_]*)*)'/g, (_, path) => (path === target && label ? label : readablePath(path)));
  return sentence.charAt(0).toUpperCase() + sentence.slice(1);
}

/** section_metrics/thickness_um → "thickness (µm)"; the last segment names the field. */
function readablePath(path) {
  const last = path.split('/').at(-1);
  return last.replace(/_um$/, ' (µm)').replace(/_nm$/, ' (nm)').replace(/_id$/, ' id').replaceAll('_', ' ');
}

/** Enter submits from any field (selects included), so a form can be filled without the mouse. */
export function submitOnEnter(form) {
  form.addEventListener('keydown', (event) => {
    if (event.key !== 'Enter' || event.isComposing) return;
    const target = event.target;
    if (target instanceof HTMLTextAreaElement || target instanceof HTMLButtonElement || target instanceof HTMLAnchorElement) return;
    event.preventDefault();
    form.requestSubmit();
  });
}
