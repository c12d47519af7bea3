// The shell: header (app name, navigation, language, user, sign out), a skip
// link, <main>, and the screen for the current route. It also owns the sign-in
// overlay that appears over the current screen when the session has expired, so
// nothing typed on that screen is lost.
import { render } from 'preact';
import { useEffect, useRef, useState } from 'preact/hooks';
import { html } from 'htm/preact';
import './app.css';
import { LANGS, lang, loadCatalogs, onLangChange, setLang, t } from './i18n.js';
import { api, isProgramWide, me, onSignedOut, onUserChange, setSession, signOut, user as currentUser } from './api.js';
import { go, link, onRoute, route as currentRoute } from './router.js';
import { Dialog, Page } from './ui.js';
import { SignInForm, SignInScreen } from './screens/signin.js';
import { PanelScreen } from './screens/panel.js';
import { FamilyViewScreen } from './screens/familyview.js';
import { UsersScreen } from './screens/users.js';

// The child record screens are written separately; loading them through a glob
// keeps the shell buildable while they are in progress.
let ChildScreen = null;
async function loadChildScreen() {
  const name = 'child';
  try {
    const m = await import(`./screens/${name}.js`);
    ChildScreen = m.ChildScreen || null;
  } catch (e) {
    console.warn('shell: child screen not available');
  }
}

// Find children (screens/identify.js) is for the roles that work with identification runs; it is
// loaded the first time someone opens it, like the child record screens.
const IDENTIFY_ROLES = ['administrator', 'program_manager', 'analyst'];
let IdentifyScreen = null;
async function loadIdentifyScreen() {
  const name = 'identify';
  try {
    const m = await import(`./screens/${name}.js`);
    IdentifyScreen = m.IdentifyScreen || null;
  } catch (e) {
    console.warn('shell: find children screen not available');
  }
  return IdentifyScreen;
}

function IdentifyRoute({ route }) {
  const [Loaded, setLoaded] = useState(() => IdentifyScreen);
  const [failed, setFailed] = useState(false);
  useEffect(() => {
    if (Loaded) return;
    loadIdentifyScreen().then((s) => (s ? setLoaded(() => s) : setFailed(true)));
  }, []);
  if (failed) return html`<${NotFound} />`;
  if (!Loaded) return html`<p class="spinner" role="status">${t('common.loading')}</p>`;
  return html`<${Loaded} key=${route.params.run || 0} runId=${route.params.run} />`;
}

const LANG_NAMES = { en: 'English', es: 'Español' };

function NotFound() {
  return html`<${Page} title=${t('common.notfound.title')}>
    <p>${t('common.notfound.text')}</p>
    <p><a href=${link('/')}>${t('common.notfound.home')}</a></p>
  <//>`;
}

function Forbidden() {
  return html`<${Page} title=${t('common.forbidden.title')}>
    <p>${t('common.forbidden.text')}</p>
    <p><a href=${link('/')}>${t('common.notfound.home')}</a></p>
  <//>`;
}

function Screen({ route, user }) {
  const family = user.role === 'family';
  switch (route.name) {
    case 'home':
      return family ? html`<${FamilyViewScreen} />` : html`<${PanelScreen} user=${user} />`;
    case 'family':
      return family ? html`<${FamilyViewScreen} />` : html`<${NotFound} />`;
    case 'users':
      return user.role === 'administrator' ? html`<${UsersScreen} />` : html`<${Forbidden} />`;
    case 'identify':
      return IDENTIFY_ROLES.includes(user.role) ? html`<${IdentifyRoute} route=${route} />` : html`<${Forbidden} />`;
    case 'child':
      // Families see their children in the family view, written for them.
      if (family) return html`<${FamilyViewScreen} />`;
      if (!ChildScreen) return html`<${NotFound} />`;
      return html`<${ChildScreen} key=${route.params.id} id=${route.params.id} tab=${route.params.tab} />`;
    default:
      return html`<${NotFound} />`;
  }
}

function LanguageSwitch({ user }) {
  const [busy, setBusy] = useState(false);
  const onChange = async (e) => {
    const l = e.currentTarget.value;
    setLang(l);
    if (!user) return;
    setBusy(true);
    // Saved to the account so the next sign-in (and the family view) follows it.
    // If the server cannot save it, the switch still applies to this visit.
    const r = await api('PATCH', '/api/me', { body: { language: l } });
    setBusy(false);
    if (r.ok && r.data && r.data.user) setSession(r.data.user);
  };
  return html`<div class="lang-switch">
    <label for="lang-select">${t('common.language')}</label>
    <select id="lang-select" onChange=${onChange} disabled=${busy} value=${lang()}>
      ${LANGS.map((l) => html`<option value=${l} lang=${l}>${LANG_NAMES[l]}</option>`)}
    </select>
  </div>`;
}

function Header({ user, route, onSignOut }) {
  const staff = user && user.role !== 'family';
  const homeCurrent = route.name === 'home' || route.name === 'child' || route.name === 'family';
  return html`<header class="site-header">
    <div class="header-inner">
      <a class="brand" href=${link('/')}>${t('common.app_name')}</a>
      ${user &&
      html`<nav aria-label=${t('common.nav.label')}>
        <ul class="nav-list">
          <li>
            <a href=${link('/')} aria-current=${homeCurrent ? 'page' : undefined}>
              ${!staff ? t('common.nav.family') : isProgramWide(user) ? t('common.nav.all_children') : t('common.nav.my_children')}
            </a>
          </li>
          ${IDENTIFY_ROLES.includes(user.role) &&
          html`<li><a href=${link('/identify')} aria-current=${route.name === 'identify' ? 'page' : undefined}>${t('common.nav.identify')}</a></li>`}
          ${user.role === 'administrator' &&
          html`<li><a href=${link('/users')} aria-current=${route.name === 'users' ? 'page' : undefined}>${t('common.nav.users')}</a></li>`}
        </ul>
      </nav>`}
      <div class="header-tools">
        <${LanguageSwitch} user=${user} />
        ${user &&
        html`<span class="user-name">${user.display_name}</span>
          <button type="button" class="button-quiet" onClick=${onSignOut}>${t('common.sign_out')}</button>`}
      </div>
    </div>
  </header>`;
}

function skipToMain(e) {
  // A plain #main href would change the hash route, so move focus by hand.
  e.preventDefault();
  const m = document.getElementById('main');
  if (m) m.focus();
}

function App() {
  const [user, setUser] = useState(currentUser());
  const [route, setRoute] = useState(currentRoute());
  const [, setLangTick] = useState(0);
  const [expired, setExpired] = useState(false);
  const [generation, setGeneration] = useState(0);
  const firstRoute = useRef(true);
  const userRef = useRef(user);
  userRef.current = user;

  useEffect(() => onRoute(setRoute), []);
  useEffect(() => onLangChange(() => setLangTick((n) => n + 1)), []);
  useEffect(() => onUserChange(setUser), []);
  useEffect(
    () =>
      onSignedOut(() => {
        // Keep the screen mounted underneath; only ask to sign in again.
        if (userRef.current) setExpired(true);
      }),
    [],
  );
  useEffect(() => {
    if (firstRoute.current) {
      firstRoute.current = false;
      return;
    }
    // After navigation move focus to the new heading so screen readers announce
    // it. Screens that load first render their heading a little later, so look
    // again for a short while; stop if the user has moved focus meanwhile.
    window.scrollTo(0, 0);
    const start = document.activeElement;
    let tries = 0;
    let timer = null;
    const focusTitle = () => {
      const h = document.getElementById('page-title');
      if (document.activeElement !== start && document.activeElement !== document.body) return;
      if (h) h.focus();
      else if (++tries < 20) timer = setTimeout(focusTitle, 100);
    };
    focusTitle();
    return () => clearTimeout(timer);
  }, [route]);

  const onSignedIn = (u) => {
    setLang(u.language);
    setUser(u);
  };

  const onReSignedIn = (u) => {
    const before = userRef.current;
    setExpired(false);
    setLang(u.language);
    if (!before || before.id !== u.id) {
      // Someone else signed in: what was on screen is not theirs to see.
      setGeneration((g) => g + 1);
      go('/');
    }
    setUser(u);
  };

  const onSignOut = async () => {
    await signOut();
    setExpired(false);
    go('/');
  };

  if (!user) {
    return html`<${SkipLink} />
      <${Header} user=${null} route=${route} />
      <main id="main" tabindex="-1"><${SignInScreen} onSignedIn=${onSignedIn} /></main>`;
  }
  return html`<${SkipLink} />
    <${Header} user=${user} route=${route} onSignOut=${onSignOut} />
    <main id="main" tabindex="-1" key=${generation}>
      <${Screen} route=${route} user=${user} />
    </main>
    <${Dialog} id="signin-again" title=${t('signin.expired.title')} open=${expired} dismissable=${false}>
      <p>${t('signin.expired.text')}</p>
      <${SignInForm} idPrefix="again" onSignedIn=${onReSignedIn} username=${user.username} />
    <//>`;
}

function SkipLink() {
  return html`<a class="skip-link" href="#main" onClick=${skipToMain}>${t('common.skip')}</a>`;
}

async function start() {
  await loadCatalogs();
  const [u] = await Promise.all([me(), loadChildScreen()]);
  setLang(u ? u.language : navigator.language && navigator.language.startsWith('es') ? 'es' : 'en');
  render(html`<${App} />`, document.getElementById('app'));
}

start();
