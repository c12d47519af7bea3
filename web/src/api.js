// The one way the UI talks to the server. Every call resolves (never rejects)
// to {status, ok, data, etag, error, retryAfter} so screens handle errors as
// values: error = {code, message, field} from the server's error body.

let csrf = null;
let currentUser = null;
let signedOutHandler = null;
const userListeners = new Set();

/** Registers fn() to run when a request answers 401 (session expired or revoked). */
export function onSignedOut(fn) {
  signedOutHandler = fn;
}

/** Calls fn(user) whenever the signed-in user changes (sign-in, sign-out, language). */
export function onUserChange(fn) {
  userListeners.add(fn);
  return () => userListeners.delete(fn);
}

/** The signed-in user as last seen, or null. */
export function user() {
  return currentUser;
}

/** Records the signed-in user and CSRF token (from sign-in, GET /api/me or PATCH /api/me). */
export function setSession(u, token) {
  currentUser = u || null;
  if (token !== undefined) csrf = token || null;
  for (const fn of userListeners) fn(currentUser);
}

function ifMatchHeader(v) {
  if (typeof v === 'number') return `"${v}"`;
  const s = String(v);
  return s.startsWith('"') || s.startsWith('W/') ? s : `"${s}"`;
}

function queryString(query) {
  if (!query) return '';
  const p = new URLSearchParams();
  for (const [k, v] of Object.entries(query)) {
    if (v === undefined || v === null || v === '' || v === false) continue;
    p.set(k, v === true ? '1' : String(v));
  }
  const s = p.toString();
  return s ? `?${s}` : '';
}

/**
 * Sends one request. opts: body (JSON-encoded), ifMatch (a version number or an
 * ETag), query (object; empty values are left out, true becomes 1), quiet (no
 * signed-out handler). A 401 on
 * anything but sign-in itself calls the onSignedOut handler; nothing is retried,
 * so the screen keeps what was typed and the user presses save again.
 */
export async function api(method, path, opts = {}) {
  const headers = { Accept: 'application/json' };
  const init = { method, headers, credentials: 'same-origin', cache: 'no-store' };
  if (opts.body !== undefined) {
    headers['Content-Type'] = 'application/json';
    init.body = JSON.stringify(opts.body);
  }
  if (method !== 'GET' && method !== 'HEAD' && csrf) headers['X-CSRF-Token'] = csrf;
  if (opts.ifMatch !== undefined && opts.ifMatch !== null) headers['If-Match'] = ifMatchHeader(opts.ifMatch);

  let res;
  try {
    res = await fetch(path + queryString(opts.query), init);
  } catch (e) {
    return {
      status: 0,
      ok: false,
      data: null,
      etag: null,
      retryAfter: null,
      error: { code: 'network', message: 'network', field: '' },
    };
  }
  let data = null;
  const text = res.status === 204 ? '' : await res.text();
  if (text) {
    try {
      data = JSON.parse(text);
    } catch (e) {
      data = null;
    }
  }
  const out = {
    status: res.status,
    ok: res.ok,
    data: res.ok ? data : null,
    etag: res.headers.get('ETag'),
    retryAfter: res.headers.get('Retry-After'),
    error: null,
  };
  if (!res.ok) {
    const e = data && data.error ? data.error : {};
    out.error = { code: e.code || String(res.status), message: e.message || '', field: e.field || '' };
  }
  if (res.status === 401 && !opts.quiet && !(path === '/api/session' && method === 'POST') && signedOutHandler) {
    signedOutHandler(out);
  }
  return out;
}

/**
 * The current user from GET /api/me (also refreshes the CSRF token), or null
 * when not signed in. Does not trigger the signed-out handler: at start-up not
 * being signed in is normal.
 */
export async function me() {
  let res;
  try {
    res = await fetch('/api/me', { credentials: 'same-origin', cache: 'no-store', headers: { Accept: 'application/json' } });
  } catch (e) {
    return null;
  }
  if (!res.ok) return null;
  const body = await res.json();
  setSession(body.user, body.csrf_token);
  return body.user;
}

/** Signs in; on success records the user and CSRF token. Resolves like api(). */
export async function signIn(username, password) {
  const r = await api('POST', '/api/session', { body: { username, password } });
  if (r.ok) setSession(r.data.user, r.data.csrf_token);
  return r;
}

/** Signs out (the server revokes the session) and forgets the user. */
export async function signOut() {
  const r = await api('DELETE', '/api/session', { quiet: true });
  setSession(null, null);
  return r;
}

/** The version number from an ETag like "3" or W/"3", or null. */
export function etagVersion(etag) {
  const m = etag && /"(\d+)"/.exec(etag);
  return m ? Number(m[1]) : null;
}

/** Roles that see the whole program (by role, not by team). */
export function isProgramWide(u) {
  return !!u && (u.role === 'administrator' || u.role === 'program_manager');
}

/** Roles that may ask for emergency (break-glass) access. */
export function isClinician(u) {
  return (
    !!u &&
    (u.role === 'complex_care_pediatrician' ||
      u.role === 'primary_care_clinician' ||
      u.role === 'nurse_care_coordinator')
  );
}
