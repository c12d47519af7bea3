// Sign-in: the full page when nobody is signed in, and the same form inside the
// overlay when a session expires (the screen underneath stays mounted).
import { useEffect, useRef, useState } from 'preact/hooks';
import { html } from 'htm/preact';
import { signIn } from '../api.js';
import { t, tn } from '../i18n.js';
import { Field, Page } from '../ui.js';

function messageFor(r) {
  if (r.status === 429) {
    // Retry-After is in seconds; people think in minutes.
    const s = Number(r.retryAfter);
    const minutes = Number.isFinite(s) && s > 0 ? Math.ceil(s / 60) : 1;
    return tn('signin.error.throttled', minutes);
  }
  if (r.status === 401) return t('signin.error.wrong');
  if (r.status === 0) return t('common.error.network');
  return t('common.error.internal');
}

/**
 * The sign-in form. onSignedIn(user) runs after a 201. idPrefix keeps ids unique
 * when the overlay's form and another form are both in the page.
 */
export function SignInForm({ onSignedIn, idPrefix = 'signin', username: initialUser = '' }) {
  const [username, setUsername] = useState(initialUser);
  const [password, setPassword] = useState('');
  const [busy, setBusy] = useState(false);
  const [error, setError] = useState(null);
  const errRef = useRef(null);

  useEffect(() => {
    if (error && errRef.current) errRef.current.focus();
  }, [error]);

  const submit = async (e) => {
    e.preventDefault();
    if (busy) return;
    if (!username.trim() || !password) {
      setError(t('signin.error.empty'));
      return;
    }
    setBusy(true);
    setError(null);
    const r = await signIn(username.trim(), password);
    setBusy(false);
    if (r.ok) {
      setPassword('');
      onSignedIn(r.data.user);
      return;
    }
    setError(messageFor(r));
  };

  return html`<form class="signin-form" onSubmit=${submit} noValidate>
    ${error &&
    html`<div class="error-summary" role="alert" tabindex="-1" ref=${errRef} id=${`${idPrefix}-error`}>
      <p>${error}</p>
    </div>`}
    <${Field} id=${`${idPrefix}-username`} label=${t('signin.username')}>
      <input
        type="text"
        name="username"
        autocomplete="username"
        autocapitalize="none"
        spellcheck=${false}
        required
        value=${username}
        onInput=${(e) => setUsername(e.currentTarget.value)}
      />
    <//>
    <${Field} id=${`${idPrefix}-password`} label=${t('signin.password')}>
      <input
        type="password"
        name="password"
        autocomplete="current-password"
        autofocus=${!!initialUser}
        required
        value=${password}
        onInput=${(e) => setPassword(e.currentTarget.value)}
      />
    <//>
    <button type="submit" class="button-primary" disabled=${busy}>${busy ? t('signin.signing_in') : t('signin.submit')}</button>
  </form>`;
}

/** The sign-in page shown when nobody is signed in. */
export function SignInScreen({ onSignedIn }) {
  return html`<${Page} title=${t('signin.title')} class="page-narrow">
    <p>${t('signin.intro')}</p>
    <${SignInForm} onSignedIn=${onSignedIn} />
    <p class="hint">${t('signin.help')}</p>
  <//>`;
}
