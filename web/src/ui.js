// Small shared components. Every screen builds its forms and dialogs from these
// so labels, error wiring and focus behave the same everywhere.
import { cloneElement, toChildArray } from 'preact';
import { useEffect, useRef } from 'preact/hooks';
import { html } from 'htm/preact';
import { t } from './i18n.js';

export { html };

/**
 * A labelled form control: <label for=id>, the control (its first child, given
 * id, aria-invalid and aria-describedby), an optional hint and the error text.
 * error may be a string or an API error {message, field}.
 */
export function Field({ id, label, error, hint, children, class: cls }) {
  const msg = typeof error === 'string' ? error : error && error.message;
  const hintId = hint ? `${id}-hint` : null;
  const errId = msg ? `${id}-error` : null;
  const describedBy = [hintId, errId].filter(Boolean).join(' ') || undefined;
  const kids = toChildArray(children);
  const control = kids.length
    ? cloneElement(kids[0], { id, 'aria-invalid': msg ? 'true' : undefined, 'aria-describedby': describedBy })
    : null;
  return html`<div class=${`field${msg ? ' field-invalid' : ''}${cls ? ` ${cls}` : ''}`}>
    <label for=${id}>${label}</label>
    ${hint && html`<p class="hint" id=${hintId}>${hint}</p>`}
    ${control}${kids.slice(1)}
    <${ErrorText} id=${errId} message=${msg} />
  </div>`;
}

/** The error line under a field (nothing when there is no message). */
export function ErrorText({ id, message }) {
  if (!message) return null;
  return html`<p class="error-text" id=${id}><span aria-hidden="true">⚠ </span>${message}</p>`;
}

/**
 * The API error message for one field, or null: screens pass
 * fieldError(err, "birth_date") to each Field so the message sits next to it.
 */
export function fieldError(err, field) {
  if (!err || err.field !== field) return null;
  // The server writes "<field>: <text>"; next to the field the prefix is noise.
  const prefix = `${field}: `;
  return err.message.startsWith(prefix) ? err.message.slice(prefix.length) : err.message;
}

/**
 * A form-level error (role="alert") for an API error that names no field, or a
 * field the form does not show (fields = the names it does show).
 */
export function ErrorSummary({ error, fields }) {
  // A 401 is answered by the shell's sign-in overlay, not by the screen.
  if (!error || error.code === 'unauthenticated') return null;
  if (error.field && fields && fields.includes(error.field)) return null;
  let msg = error.message;
  if (error.code === 'network') msg = t('common.error.network');
  else if (error.code === 'forbidden') msg = t('common.error.forbidden');
  else if (error.code === 'not_found') msg = t('common.error.not_found');
  else if (error.code === 'throttled') msg = t('common.error.throttled');
  else if (error.code === 'internal' || !msg) msg = t('common.error.internal');
  return html`<div class="error-summary" role="alert"><p>${msg}</p></div>`;
}

/**
 * A modal dialog on the native <dialog> (showModal gives the focus trap, Esc
 * and the inert page). dismissable=false ignores Esc, for the sign-in overlay.
 */
export function Dialog({ title, open, onClose, children, dismissable = true, id = 'dialog' }) {
  const ref = useRef(null);
  useEffect(() => {
    const d = ref.current;
    if (!d) return;
    if (open && !d.open) d.showModal();
    if (!open && d.open) d.close();
  }, [open]);
  const onCancel = (e) => {
    if (!dismissable) e.preventDefault();
  };
  const onDialogClose = () => {
    if (open && onClose) onClose();
  };
  return html`<dialog ref=${ref} class="dialog" aria-labelledby=${`${id}-title`} onCancel=${onCancel} onClose=${onDialogClose}>
    ${open &&
    html`<div class="dialog-body">
      <div class="dialog-head">
        <h2 id=${`${id}-title`}>${title}</h2>
        ${dismissable &&
        html`<button type="button" class="button-quiet dialog-close" onClick=${() => onClose && onClose()}>
          ${t('common.close')}
        </button>`}
      </div>
      ${children}
    </div>`}
  </dialog>`;
}

/** A polite "Loading…" status. */
export function Spinner({ label }) {
  return html`<p class="spinner" role="status"><span class="spinner-dot" aria-hidden="true"></span>${label || t('common.loading')}</p>`;
}

/** The notice for a 412: someone else saved first; offers to reload. */
export function StaleNotice({ onReload }) {
  return html`<div class="notice notice-warning" role="alert">
    <p>${t('common.stale')}</p>
    <button type="button" onClick=${onReload}>${t('common.reload')}</button>
  </div>`;
}

/**
 * A screen: sets document.title and renders the <h1> (focusable so the shell
 * can move focus to it after navigation, for screen-reader users).
 */
export function Page({ title, children, actions, class: cls }) {
  useEffect(() => {
    document.title = title ? `${title} · ${t('common.app_name')}` : t('common.app_name');
  }, [title]);
  return html`<div class=${`page${cls ? ` ${cls}` : ''}`}>
    <div class="page-head">
      <h1 tabindex="-1" id="page-title">${title}</h1>
      ${actions && html`<div class="page-actions">${actions}</div>`}
    </div>
    ${children}
  </div>`;
}
