// The one way the pages talk to Lims: the public OData API under /odata, with the person's API key.
// Errors come back as ApiError (an OData error body, with field errors by target) or NetworkError
// (no answer at all). Creates with client-chosen keys are retried safely: see createDocument.

const KEY_STORAGE = 'lims.apiKey';

/** The person's API key, kept for this browser session only and sent as X-Api-Key. */
export const apiKey = {
  get() {
    return sessionStorage.getItem(KEY_STORAGE) ?? '';
  },
  set(value) {
    const key = (value ?? '').trim();
    if (key) sessionStorage.setItem(KEY_STORAGE, key);
    else sessionStorage.removeItem(KEY_STORAGE);
    window.dispatchEvent(new CustomEvent('lims:apikey', { detail: { present: key !== '' } }));
  },
};

/** A request that reached the server and was refused: status plus the OData error body. */
export class ApiError extends Error {
  constructor(status, code, message, details = []) {
    super(message || `HTTP ${status}`);
    this.name = 'ApiError';
    this.status = status;
    this.code = code;
    this.details = details;
  }

  /** From `{"error":{"code","message","details":[{"code","target","message"}]}}`, or a plain body. */
  static from(status, body, text) {
    const error = body?.error;
    if (error) {
      const details = (error.details ?? []).map((d) => ({ code: d.code ?? '', target: d.target ?? '', message: d.message ?? '' }));
      return new ApiError(status, error.code ?? '', error.message ?? '', details);
    }
    return new ApiError(status, `Http${status}`, text?.slice(0, 200) || `HTTP ${status}`);
  }

  /** Messages by field target (e.g. `section_metrics/quality`); errors without a target are under ''. */
  get fieldErrors() {
    const byTarget = new Map();
    for (const d of this.details) {
      if (!byTarget.has(d.target)) byTarget.set(d.target, []);
      byTarget.get(d.target).push(d.message);
    }
    return byTarget;
  }

  get isDuplicateKey() {
    return this.status === 409 && (this.code === 'DuplicateKey' || this.details.some((d) => d.code === 'DuplicateKey'));
  }
}

/** No answer from the server (offline, connection reset, aborted by the network). */
export class NetworkError extends Error {
  constructor(cause) {
    super('The server could not be reached.');
    this.name = 'NetworkError';
    this.cause = cause;
  }
}

/** An OData string literal: quotes doubled. */
export function odataString(value) {
  return `'${String(value).replaceAll("'", "''")}'`;
}

/** The key segment of an entity address: ('CS1') for strings, (5) for integer keys. */
export function keySegment(key) {
  return typeof key === 'number' ? `(${key})` : `(${encodeURIComponent(odataString(key))})`;
}

/** A query string from OData options; undefined and null options are left out. */
export function queryString(options = {}) {
  const parts = Object.entries(options)
    .filter(([, value]) => value !== undefined && value !== null && value !== '')
    .map(([name, value]) => `${name}=${encodeURIComponent(Array.isArray(value) ? value.join(',') : String(value))}`);
  return parts.length ? `?${parts.join('&')}` : '';
}

/** Sends one request; resolves with status, parsed body and ETag, or throws ApiError / NetworkError. */
export async function request(method, path, { body, headers = {}, signal } = {}) {
  const sent = { Accept: 'application/json', ...headers };
  const key = apiKey.get();
  if (key) sent['X-Api-Key'] = key;
  if (body !== undefined) sent['Content-Type'] = 'application/json';
  let response;
  try {
    response = await fetch(path, { method, headers: sent, body: body === undefined ? undefined : JSON.stringify(body), signal });
  } catch (cause) {
    if (cause?.name === 'AbortError') throw cause;
    throw new NetworkError(cause);
  }
  let text;
  try {
    text = await response.text();
  } catch (cause) {
    throw new NetworkError(cause);
  }
  const isJson = (response.headers.get('Content-Type') ?? '').includes('json');
  let parsed = text;
  if (isJson && text) {
    try {
      parsed = JSON.parse(text);
    } catch {
      parsed = text;
    }
  }
  if (!response.ok) throw ApiError.from(response.status, typeof parsed === 'object' ? parsed : null, text);
  return { status: response.status, body: parsed, etag: response.headers.get('ETag'), headers: response.headers };
}

/** GET of one document, or null when it does not exist. */
export async function getOrNull(path) {
  try {
    return (await request('GET', path)).body;
  } catch (error) {
    if (error instanceof ApiError && error.status === 404) return null;
    throw error;
  }
}

export async function get(path, options) {
  return (await request('GET', path + queryString(options))).body;
}

/** A page of a collection or navigation: items, the total when $count=true was asked, the next link. */
export async function list(path, options = {}) {
  const body = await get(path, options);
  return { items: body.value ?? [], count: body['@odata.count'], nextLink: body['@odata.nextLink'] };
}

/** `/$count` of a collection or navigation path, e.g. `/odata/Specimens('S')/blocks`. */
export async function count(path, options) {
  const body = await get(`${path}/$count`, options);
  return Number(body);
}

const pause = (ms) => new Promise((resolve) => setTimeout(resolve, ms));

/** Waits `ms`, or longer while the browser says it is offline (up to `maxOfflineMs`). */
async function waitForNetwork(ms, maxOfflineMs = 30000) {
  await pause(ms);
  if (navigator.onLine) return;
  await Promise.race([new Promise((resolve) => window.addEventListener('online', resolve, { once: true })), pause(maxOfflineMs)]);
}

/** True when every value sent is what the server stored (it adds fields and canonicalises date-times). */
export function sameContent(sent, stored) {
  if (sent === stored) return true;
  if (typeof sent === 'string' && typeof stored === 'string') {
    const a = Date.parse(sent);
    const b = Date.parse(stored);
    return /^\d{4}-\d\d-\d\dT/.test(sent) && !Number.isNaN(a) && a === b;
  }
  if (typeof sent === 'number' && typeof stored === 'number') return Math.abs(sent - stored) <= 1e-9 * Math.max(1, Math.abs(sent));
  if (Array.isArray(sent)) return Array.isArray(stored) && sent.length === stored.length && sent.every((v, i) => sameContent(v, stored[i]));
  if (sent && typeof sent === 'object') {
    return !!stored && typeof stored === 'object' && Object.entries(sent).every(([k, v]) => v === undefined || sameContent(v, stored[k]));
  }
  return false;
}

/**
 * Creates a document whose key the client chose, surviving a dropped connection: after a network error it
 * waits, looks the key up, and re-sends the same body only if nothing is stored. A stored document with the
 * same content means the lost attempt succeeded (nothing duplicated, nothing lost); different content is a
 * real conflict. A 409 DuplicateKey on a first attempt is a real conflict too and is thrown as is.
 * Resolves with { document, attempts, recovered } (recovered: the stored copy of an attempt whose reply was lost).
 */
export async function createDocument(entitySet, keyField, document, { onRetry = () => {}, maxAttempts = 6, firstDelayMs = 400 } = {}) {
  const key = document[keyField];
  const collection = `/odata/${entitySet}`;
  const entity = `${collection}${keySegment(key)}`;
  let lastNetworkError = null;
  for (let attempt = 1; attempt <= maxAttempts; attempt++) {
    if (attempt > 1) {
      onRetry({ attempt, maxAttempts, error: lastNetworkError });
      await waitForNetwork(firstDelayMs * 2 ** (attempt - 2));
      let stored;
      try {
        stored = await getOrNull(entity);
      } catch (error) {
        if (error instanceof NetworkError) {
          lastNetworkError = error;
          continue;
        }
        throw error;
      }
      if (stored) {
        if (sameContent(document, stored)) return { document: stored, attempts: attempt, recovered: true };
        throw new ApiError(409, 'Conflict', `${entitySet}(${key}) is already stored with different content.`, [
          { code: 'DuplicateKey', target: keyField, message: `${key} is already stored with different content.` },
        ]);
      }
    }
    try {
      const reply = await request('POST', collection, { body: document });
      return { document: reply.body, attempts: attempt, recovered: false };
    } catch (error) {
      // A gateway or a restarting server may or may not have handled the request: treat it as a lost reply.
      if (error instanceof NetworkError || (error instanceof ApiError && [502, 503, 504].includes(error.status))) {
        lastNetworkError = error;
        continue;
      }
      // Another attempt of ours landed between the look-up and this POST: the next look-up decides.
      if (attempt > 1 && error instanceof ApiError && error.isDuplicateKey) continue;
      throw error;
    }
  }
  throw lastNetworkError ?? new NetworkError();
}

/** GET of a non-JSON resource (SVG, CSV) with the person's key: resolves with a Blob, or throws ApiError / NetworkError. */
export async function getBlob(path) {
  const headers = {};
  const key = apiKey.get();
  if (key) headers['X-Api-Key'] = key;
  let response;
  try {
    response = await fetch(path, { headers });
  } catch (cause) {
    throw new NetworkError(cause);
  }
  if (!response.ok) {
    const text = await response.text().catch(() => '');
    let body = null;
    try {
      body = JSON.parse(text);
    } catch {
      body = null;
    }
    throw ApiError.from(response.status, body, text);
  }
  return response.blob();
}

/**
 * What a technician should do about a refused key, in their words: where a key comes from and where it goes.
 * Null when the error is not about the key (the caller then shows the server's message).
 */
export function keyAdvice(error) {
  if (!(error instanceof ApiError)) return null;
  if (error.status === 401) {
    return apiKey.get()
      ? 'The API key entered is not valid (mistyped, or revoked). Ask your Lims administrator for a new one and enter it in the “API key” box at the top right.'
      : 'No API key entered. Your Lims administrator gives each person or instrument a key; enter yours in the “API key” box at the top right.';
  }
  if (error.status === 403) return 'Your API key’s role may not do this. Ask your Lims administrator for a key with the right role.';
  return null;
}
