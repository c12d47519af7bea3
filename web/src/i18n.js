// Message catalogs, the current language and locale formatting.
// Every string the UI shows comes from data/messages/<lang>/<area>.json; what
// people typed (names, services, notes) is shown as typed, never translated.
import enCommon from '../../data/messages/en/common.json';
import enSignin from '../../data/messages/en/signin.json';
import enPanel from '../../data/messages/en/panel.json';
import enFamilyview from '../../data/messages/en/familyview.json';
import enUsers from '../../data/messages/en/users.json';
import enPlan from '../../data/messages/en/plan.json';
import enPlanedit from '../../data/messages/en/planedit.json';
import esCommon from '../../data/messages/es/common.json';
import esSignin from '../../data/messages/es/signin.json';
import esPanel from '../../data/messages/es/panel.json';
import esFamilyview from '../../data/messages/es/familyview.json';
import esUsers from '../../data/messages/es/users.json';
import esPlan from '../../data/messages/es/plan.json';
import esPlanedit from '../../data/messages/es/planedit.json';

export const LANGS = ['en', 'es'];

const catalogs = {
  en: Object.assign({}, enCommon, enSignin, enPanel, enFamilyview, enUsers, enPlan, enPlanedit),
  es: Object.assign({}, esCommon, esSignin, esPanel, esFamilyview, esUsers, esPlan, esPlanedit),
};

// The child record areas (child, team) belong to another part of the app and
// may be added after this file; a glob import bundles whichever exist without
// making the build fail while one is missing. They are loaded before the first
// render by loadCatalogs().
const AREAS_LATER = ['child', 'team'];
let loaded = false;

/** Loads the catalogs that are imported lazily; call once before rendering. */
export async function loadCatalogs() {
  if (loaded) return;
  loaded = true;
  const jobs = [];
  for (const l of LANGS) {
    for (const a of AREAS_LATER) {
      jobs.push(
        import(`../../data/messages/${l}/${a}.json`)
          .then((m) => Object.assign(catalogs[l], m.default || m))
          .catch(() => console.warn(`i18n: no catalog ${l}/${a}`)),
      );
    }
  }
  await Promise.all(jobs);
}

let current = 'en';
const listeners = new Set();

/** The current language: "en" or "es". */
export function lang() {
  return current;
}

/** The BCP 47 locale used by Intl for the current language. */
export function locale() {
  return current === 'es' ? 'es-419' : 'en-US';
}

/**
 * Switches the language: sets <html lang> and re-renders every subscriber (the
 * shell), so each screen renders again in the new language without losing state.
 */
export function setLang(l) {
  const next = LANGS.includes(l) ? l : 'en';
  if (typeof document !== 'undefined') document.documentElement.lang = next;
  if (next === current) return;
  current = next;
  for (const fn of listeners) fn(next);
}

/** Calls fn(lang) after every language change; returns an unsubscribe function. */
export function onLangChange(fn) {
  listeners.add(fn);
  return () => listeners.delete(fn);
}

function fill(s, vars) {
  if (!vars) return s;
  return s.replace(/\{(\w+)\}/g, (m, k) => (vars[k] === undefined || vars[k] === null ? m : String(vars[k])));
}

/** True when the current catalog has this key. */
export function has(key) {
  return Object.prototype.hasOwnProperty.call(catalogs[current], key);
}

/**
 * The message for key in the current language with {name} placeholders filled
 * from vars. A missing key returns the key itself (and warns) so it is visible.
 */
export function t(key, vars) {
  const cat = catalogs[current];
  if (Object.prototype.hasOwnProperty.call(cat, key)) return fill(cat[key], vars);
  console.warn(`i18n: missing ${current} message ${key}`);
  return key;
}

/**
 * The message for key if the catalog has it, otherwise fallback. For values
 * that are usually codes (roles, sectors) but may be free text someone typed.
 */
export function tOr(key, fallback, vars) {
  return has(key) ? t(key, vars) : fallback;
}

/**
 * A plural message: looks up "<key>.<category>" (one, few, many, other) for n
 * with the language's plural rules, falling back to "<key>.other". {n} is the
 * number formatted for the locale.
 */
export function tn(key, n, vars) {
  const cat = new Intl.PluralRules(locale()).select(n);
  const all = Object.assign({ n: fmtNumber(n) }, vars);
  const k = has(`${key}.${cat}`) ? `${key}.${cat}` : `${key}.other`;
  return t(k, all);
}

/** Formats a number for the locale. */
export function fmtNumber(n) {
  if (n === null || n === undefined || Number.isNaN(n)) return '—';
  return new Intl.NumberFormat(locale()).format(n);
}

/**
 * A locale date from "YYYY-MM-DD" or an ISO time; "—" for null. Plain dates are
 * formatted in UTC so a birth date never moves a day with the time zone.
 */
export function fmtDate(s) {
  if (!s) return '—';
  const plain = /^\d{4}-\d{2}-\d{2}$/.test(s);
  const d = new Date(plain ? `${s}T00:00:00Z` : s);
  if (Number.isNaN(d.getTime())) return s;
  const opts = { year: 'numeric', month: 'short', day: 'numeric' };
  if (plain) opts.timeZone = 'UTC';
  return new Intl.DateTimeFormat(locale(), opts).format(d);
}

/** A locale date and time from an ISO time; "—" for null. */
export function fmtDateTime(s) {
  if (!s) return '—';
  const d = new Date(s);
  if (Number.isNaN(d.getTime())) return s;
  return new Intl.DateTimeFormat(locale(), { dateStyle: 'medium', timeStyle: 'short' }).format(d);
}

/**
 * An age from a birth date: whole years from 2 on ("9 years"), months below
 * that ("8 months"), because parents of babies count in months.
 */
export function fmtAge(birthDate, today = new Date()) {
  if (!birthDate) return '—';
  const m = /^(\d{4})-(\d{2})-(\d{2})$/.exec(birthDate);
  if (!m) return '—';
  const [y, mo, d] = [Number(m[1]), Number(m[2]), Number(m[3])];
  let months = (today.getFullYear() - y) * 12 + (today.getMonth() + 1 - mo);
  if (today.getDate() < d) months -= 1;
  if (months < 0) return '—';
  if (months < 24) return tn('common.age.months', months);
  return tn('common.age.years', Math.floor(months / 12));
}
