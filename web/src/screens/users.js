// User administration (administrators only): list accounts, create one, turn an
// account off or on, and set a new password. Every change sends If-Match so an
// edit made elsewhere in the meantime is not overwritten.
import { useEffect, useRef, useState } from 'preact/hooks';
import { html } from 'htm/preact';
import { api, user as currentUser } from '../api.js';
import { LANGS, t, tOr } from '../i18n.js';
import { Dialog, ErrorSummary, Field, Page, Spinner, StaleNotice, fieldError } from '../ui.js';

const ROLES = [
  'nurse_care_coordinator',
  'complex_care_pediatrician',
  'primary_care_clinician',
  'social_worker',
  'family_navigator',
  'community_health_worker',
  'program_manager',
  'analyst',
  'administrator',
  'family',
];

const CREATE_FIELDS = ['username', 'display_name', 'role', 'language', 'password', 'email', 'family_member_id'];

function emptyForm() {
  return { username: '', display_name: '', role: 'nurse_care_coordinator', language: 'en', password: '', email: '', family_member_id: '' };
}

function CreateUser({ onCreated }) {
  const [form, setForm] = useState(emptyForm);
  const [error, setError] = useState(null);
  const [busy, setBusy] = useState(false);
  const set = (k) => (e) => setForm(Object.assign({}, form, { [k]: e.currentTarget.value }));

  const submit = async (e) => {
    e.preventDefault();
    setBusy(true);
    const body = {
      username: form.username.trim(),
      display_name: form.display_name.trim(),
      role: form.role,
      language: form.language,
      password: form.password,
    };
    if (form.email.trim()) body.email = form.email.trim();
    if (form.role === 'family') {
      if (!/^\d+$/.test(form.family_member_id.trim())) {
        setBusy(false);
        setError({ code: 'invalid', field: 'family_member_id', message: t('users.error.family_member_id') });
        return;
      }
      body.family_member_id = Number(form.family_member_id.trim());
    }
    const r = await api('POST', '/api/users', { body });
    setBusy(false);
    if (!r.ok) {
      setError(r.error);
      return;
    }
    setError(null);
    setForm(emptyForm());
    onCreated(r.data);
  };

  const fe = (k) => fieldError(error, k);
  return html`<form onSubmit=${submit} noValidate aria-labelledby="users-create-title">
    <h2 id="users-create-title">${t('users.create.title')}</h2>
    <${ErrorSummary} error=${error} fields=${CREATE_FIELDS} />
    <div class="form-grid">
      <${Field} id="nu-username" label=${t('users.field.username')} hint=${t('users.hint.username')} error=${fe('username')}>
        <input type="text" value=${form.username} onInput=${set('username')} autocomplete="off" autocapitalize="none" spellcheck=${false} required />
      <//>
      <${Field} id="nu-name" label=${t('users.field.display_name')} error=${fe('display_name')}>
        <input type="text" value=${form.display_name} onInput=${set('display_name')} autocomplete="off" required />
      <//>
      <${Field} id="nu-role" label=${t('users.field.role')} error=${fe('role')}>
        <select value=${form.role} onChange=${set('role')}>
          ${ROLES.map((r) => html`<option value=${r}>${t(`common.role.${r}`)}</option>`)}
        </select>
      <//>
      <${Field} id="nu-language" label=${t('users.field.language')} error=${fe('language')}>
        <select value=${form.language} onChange=${set('language')}>
          ${LANGS.map((l) => html`<option value=${l}>${t(`common.lang.${l}`)}</option>`)}
        </select>
      <//>
      <${Field} id="nu-email" label=${t('users.field.email')} error=${fe('email')}>
        <input type="email" value=${form.email} onInput=${set('email')} autocomplete="off" />
      <//>
      <${Field} id="nu-password" label=${t('users.field.password')} hint=${t('users.hint.password')} error=${fe('password')}>
        <input type="password" value=${form.password} onInput=${set('password')} autocomplete="new-password" required />
      <//>
      ${form.role === 'family' &&
      html`<${Field} id="nu-family" label=${t('users.field.family_member_id')} hint=${t('users.hint.family_member_id')} error=${fe('family_member_id')}>
        <input type="text" inputmode="numeric" value=${form.family_member_id} onInput=${set('family_member_id')} autocomplete="off" required />
      <//>`}
    </div>
    <div class="form-actions">
      <button type="submit" class="button-primary" disabled=${busy}>${busy ? t('common.saving') : t('users.create.submit')}</button>
    </div>
  </form>`;
}

function PasswordDialog({ target, onClose, onDone }) {
  const [password, setPassword] = useState('');
  const [error, setError] = useState(null);
  const [busy, setBusy] = useState(false);
  const submit = async (e) => {
    e.preventDefault();
    setBusy(true);
    const r = await api('POST', `/api/users/${target.id}/password`, { body: { password } });
    setBusy(false);
    if (!r.ok) {
      setError(r.error);
      return;
    }
    onDone(target);
  };
  return html`<${Dialog} id="users-password" open=${!!target} onClose=${onClose} title=${t('users.password.title', { name: target ? target.display_name : '' })}>
    <form onSubmit=${submit} noValidate>
      <p>${t('users.password.text')}</p>
      <${ErrorSummary} error=${error} fields=${['password']} />
      <${Field} id="users-new-password" label=${t('users.field.new_password')} hint=${t('users.hint.password')} error=${fieldError(error, 'password')}>
        <input type="password" value=${password} onInput=${(e) => setPassword(e.currentTarget.value)} autocomplete="new-password" required />
      <//>
      <div class="form-actions">
        <button type="submit" class="button-primary" disabled=${busy}>${t('users.password.submit')}</button>
        <button type="button" onClick=${onClose}>${t('common.cancel')}</button>
      </div>
    </form>
  <//>`;
}

/** The user administration screen. */
export function UsersScreen() {
  const [users, setUsers] = useState(null);
  const [error, setError] = useState(null);
  const [stale, setStale] = useState(false);
  const [notice, setNotice] = useState('');
  const [pwTarget, setPwTarget] = useState(null);
  const [busyId, setBusyId] = useState(null);
  const noticeRef = useRef(null);
  const me = currentUser();

  const load = async () => {
    const r = await api('GET', '/api/users');
    if (!r.ok) {
      setError(r.error);
      return;
    }
    setError(null);
    setStale(false);
    setUsers(r.data.items);
  };
  useEffect(() => {
    load();
  }, []);

  const toggle = async (u) => {
    setBusyId(u.id);
    setNotice('');
    const r = await api('PATCH', `/api/users/${u.id}`, { body: { disabled: !u.disabled }, ifMatch: u.version });
    setBusyId(null);
    if (r.status === 412) {
      setStale(true);
      return;
    }
    if (!r.ok) {
      setError(r.error);
      return;
    }
    setError(null);
    setUsers(users.map((x) => (x.id === u.id ? r.data : x)));
    setNotice(t(r.data.disabled ? 'users.notice.disabled' : 'users.notice.enabled', { name: r.data.display_name }));
  };

  return html`<${Page} title=${t('users.title')}>
    <p role="status" class="notice-line" ref=${noticeRef}>${notice}</p>
    ${stale && html`<${StaleNotice} onReload=${load} />`}
    <${ErrorSummary} error=${error} />
    ${!users && !error && html`<${Spinner} />`}
    ${users &&
    html`<div class="table-wrap">
      <table>
        <caption class="visually-hidden">${t('users.title')}</caption>
        <thead>
          <tr>
            <th scope="col">${t('users.field.username')}</th>
            <th scope="col">${t('users.field.display_name')}</th>
            <th scope="col">${t('users.field.role')}</th>
            <th scope="col">${t('users.field.language')}</th>
            <th scope="col">${t('users.col.status')}</th>
            <th scope="col">${t('users.col.actions')}</th>
          </tr>
        </thead>
        <tbody>
          ${users.map(
            (u) => html`<tr key=${u.id}>
              <th scope="row">${u.username}</th>
              <td>${u.display_name}</td>
              <td>${tOr(`common.role.${u.role}`, u.role)}</td>
              <td>${tOr(`common.lang.${u.language}`, u.language)}</td>
              <td>${u.disabled ? html`<span class="badge badge-off">${t('users.status.disabled')}</span>` : t('users.status.active')}</td>
              <td>
                <div class="form-actions">
                  ${!(me && me.id === u.id) &&
                  html`<button
                    type="button"
                    class=${u.disabled ? '' : 'button-danger'}
                    disabled=${busyId === u.id}
                    aria-label=${u.disabled ? t('users.enable', { name: u.username }) : t('users.disable', { name: u.username })}
                    onClick=${() => toggle(u)}
                  >
                    ${u.disabled ? t('users.enable_short') : t('users.disable_short')}
                  </button>`}
                  <button type="button" aria-label=${t('users.reset_password', { name: u.username })} onClick=${() => setPwTarget(u)}>
                    ${t('users.reset_password_short')}
                  </button>
                </div>
              </td>
            </tr>`,
          )}
        </tbody>
      </table>
    </div>`}
    <${CreateUser}
      onCreated=${(u) => {
        setUsers((list) => (list ? list.concat([u]) : [u]));
        setNotice(t('users.notice.created', { name: u.username }));
      }}
    />
    <${PasswordDialog}
      key=${pwTarget ? pwTarget.id : 0}
      target=${pwTarget}
      onClose=${() => setPwTarget(null)}
      onDone=${(u) => {
        setPwTarget(null);
        setNotice(t('users.notice.password', { name: u.username }));
      }}
    />
  <//>`;
}
