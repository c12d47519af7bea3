// The break-glass dialog: a clinician who is not on a child's care team asks
// for emergency access by giving a reason. The grant lasts a limited time and
// every view in it is recorded and reviewed, so the dialog says so plainly
// before the person commits.
import { useState } from 'preact/hooks';
import { api } from '../api.js';
import { t } from '../i18n.js';
import { Dialog, ErrorSummary, Field, html } from '../ui.js';
import { fieldError } from './familymembers.js';

const REASON_MIN = 10;
const REASON_MAX = 500;

/**
 * BreakGlassDialog({childId, open, onClose, onGranted}): POST
 * /api/children/:id/break-glass {reason}. The reason is checked here too
 * (10-500 characters) so the person learns at once, but the server's message
 * wins when it answers with an error on "reason". onGranted(grant) runs on 201.
 */
export function BreakGlassDialog({ childId, open, onClose, onGranted }) {
  const [reason, setReason] = useState('');
  const [err, setErr] = useState(null);
  const [busy, setBusy] = useState(false);

  const submit = async (e) => {
    e.preventDefault();
    const n = reason.trim().length;
    if (n < REASON_MIN || n > REASON_MAX) {
      setErr({ code: 'invalid', field: 'reason', message: t('child.bg.reason_length', { min: REASON_MIN, max: REASON_MAX }) });
      return;
    }
    setBusy(true);
    setErr(null);
    const r = await api('POST', `/api/children/${childId}/break-glass`, { body: { reason: reason.trim() } });
    setBusy(false);
    if (r.status === 201 || r.ok) {
      setReason('');
      onGranted(r.data);
      return;
    }
    if (r.status === 401) return; // the shell asks to sign in again; the reason stays typed
    if (r.status === 404) {
      setErr({ code: 'not_found', field: '', message: t('child.bg.not_found') });
      return;
    }
    setErr(r.error);
  };

  return html`<${Dialog} id="break-glass" title=${t('child.bg.title')} open=${open} onClose=${onClose}>
    <form onSubmit=${submit} novalidate>
      <p>${t('child.bg.explain')}</p>
      <p><strong>${t('child.bg.recorded')}</strong></p>
      <${ErrorSummary} error=${err} fields=${['reason']} />
      <${Field}
        id="bg-reason"
        label=${t('child.bg.reason')}
        hint=${t('child.bg.reason_hint', { min: REASON_MIN, max: REASON_MAX })}
        error=${fieldError(err, 'reason')}
      >
        <textarea
          rows="4"
          autofocus
          required
          minlength=${REASON_MIN}
          maxlength=${REASON_MAX}
          value=${reason}
          onInput=${(e) => setReason(e.currentTarget.value)}
        ></textarea>
      <//>
      <div class="form-actions">
        <button type="submit" disabled=${busy}>${busy ? t('common.saving') : t('child.bg.submit')}</button>
        <button type="button" class="button-quiet" onClick=${onClose}>${t('common.cancel')}</button>
      </div>
    </form>
  <//>`;
}
