// Hash routing (#/children/12/team): the server only serves "/", so every
// screen lives behind the fragment and a reload keeps the place.

const listeners = new Set();

const TABS = ['summary', 'plan', 'versions', 'team', 'family', 'access'];

/**
 * The current route: {name, params}. Names: home, child (params id, tab, and
 * version for #/children/12/versions/3), users, family, notfound. A family
 * account's #/children/12/plan is the family's page for that plan (the family
 * view decides, since the shell shows families the family view for any child
 * address).
 */
export function route() {
  const raw = (typeof location !== 'undefined' ? location.hash : '').replace(/^#/, '');
  const path = raw.split('?')[0] || '/';
  const parts = path.split('/').filter(Boolean);
  if (parts.length === 0) return { name: 'home', params: {} };
  if (parts[0] === 'children' && /^\d+$/.test(parts[1] || '')) {
    const tab = parts[2] || 'summary';
    if (parts.length <= 3 && TABS.includes(tab)) return { name: 'child', params: { id: Number(parts[1]), tab } };
    if (parts.length === 4 && tab === 'versions' && /^[1-9]\d{0,8}$/.test(parts[3])) {
      return { name: 'child', params: { id: Number(parts[1]), tab, version: Number(parts[3]) } };
    }
  }
  // Find children (#/identify, #/identify/4 opens run 4 first).
  if (parts[0] === 'identify' && parts.length === 1) return { name: 'identify', params: {} };
  if (parts[0] === 'identify' && parts.length === 2 && /^[1-9]\d{0,12}$/.test(parts[1])) {
    return { name: 'identify', params: { run: Number(parts[1]) } };
  }
  if (parts.length === 1 && parts[0] === 'users') return { name: 'users', params: {} };
  if (parts.length === 1 && parts[0] === 'family') return { name: 'family', params: {} };
  if (parts.length === 1 && parts[0] === 'panel') return { name: 'home', params: {} };
  return { name: 'notfound', params: { path } };
}

/** The href for an app path: link("/children/3") is "#/children/3". */
export function link(path) {
  return `#${path.startsWith('/') ? path : `/${path}`}`;
}

/** Navigates to an app path ("/users"). */
export function go(path) {
  const h = link(path);
  if (location.hash === h) {
    for (const fn of listeners) fn(route());
  } else {
    location.hash = h;
  }
}

/** Calls fn(route) after every navigation; returns an unsubscribe function. */
export function onRoute(fn) {
  listeners.add(fn);
  return () => listeners.delete(fn);
}

if (typeof window !== 'undefined') {
  window.addEventListener('hashchange', () => {
    const r = route();
    for (const fn of listeners) fn(r);
  });
}
