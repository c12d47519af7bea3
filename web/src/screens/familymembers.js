// The Family tab of a child's record: the parents, guardians and other
// caregivers, with tap-to-call phone numbers, and forms to add and edit them.
// Also holds the few helpers the child record screens share (language names,
// today's date, API error placement), so that the screens do not import each
// other in a circle.
import { useEffect, useState } from 'preact/hooks';
import { api } from '../api.js';
import { locale, t, tOr } from '../i18n.js';
import { ErrorSummary, Field, Spinner, StaleNotice, html } from '../ui.js';

/** Languages offered for a child or a family member (BCP 47); others typed earlier still show. */
export const LANGUAGE_CHOICES = ['en', 'es', 'pt', 'fr', 'ht', 'vi', 'zh', 'ar', 'so', 'ru', 'ko', 'tl'];

/**
 * The name of a language in the current UI language: the catalog for en/es,
 * the browser's Intl.DisplayNames for the rest (no catalog is complete for
 * every tag), the tag itself as the last resort.
 */
export function languageName(code) {
  if (!code) return '—';
  const fromCatalog = tOr(`common.lang.${code}`, null);
  if (fromCatalog) return fromCatalog;
  try {
    const dn = new Intl.DisplayNames([locale()], { type: 'language' });
    return dn.of(code) || code;
  } catch (e) {
    return code;
  }
}

/** A <select> of languages; keeps a value that is not in the usual list. Use inside Field. */
export function LanguageSelect({ value, onChange, required, ...rest }) {
  const codes = value && !LANGUAGE_CHOICES.includes(value) ? [...LANGUAGE_CHOICES, value] : LANGUAGE_CHOICES;
  // rest carries id and the aria wiring that Field gives its control.
  return html`<select ...${rest} value=${value || ''} required=${required} onChange=${(e) => onChange(e.currentTarget.value)}>
    ${!required && html`<option value="">${t('child.not_recorded')}</option>`}
    ${codes.map((c) => html`<option value=${c}>${languageName(c)}</option>`)}
  </select>`;
}

/** Today's date as YYYY-MM-DD in the user's time zone (the default for start and end dates). */
export function todayISO() {
  const d = new Date();
  const p = (n) => String(n).padStart(2, '0');
  return `${d.getFullYear()}-${p(d.getMonth() + 1)}-${p(d.getDate())}`;
}

/** Empty form text becomes null: the API refuses empty strings for optional values. */
export function orNull(s) {
  const v = typeof s === 'string' ? s.trim() : s;
  return v === '' || v === undefined ? null : v;
}

/** Keys of obj whose value is null or undefined are left out (for creating records). */
export function withoutEmpty(obj) {
  const out = {};
  for (const [k, v] of Object.entries(obj)) if (v !== null && v !== undefined) out[k] = v;
  return out;
}

/**
 * The API error message for one field, or null. The server writes
 * "<field>: <text>"; next to the field the label already names it, so the
 * prefix (a JSON name, not plain words) is dropped.
 */
export function fieldError(err, field) {
  if (!err || err.field !== field || !err.message) return null;
  const prefix = `${field}: `;
  return err.message.startsWith(prefix) ? err.message.slice(prefix.length) : err.message;
}

/** A "Yes"/"No" word: never a colour or an icon alone. */
export function yesNo(b) {
  return b ? t('common.yes') : t('common.no');
}

const RELATIONSHIPS = ['mother', 'father', 'grandparent', 'foster_parent', 'guardian', 'sibling', 'other_caregiver'];
const FM_FIELDS = [
  'given_name',
  'family_name',
  'relationship',
  'is_guardian',
  'lives_with_child',
  'phone',
  'email',
  'preferred_language',
];

function formFrom(m) {
  return {
    given_name: m ? m.given_name : '',
    family_name: m ? m.family_name : '',
    relationship: m ? m.relationship : '',
    is_guardian: m ? !!m.is_guardian : false,
    lives_with_child: m ? !!m.lives_with_child : false,
    phone: (m && m.phone) || '',
    email: (m && m.email) || '',
    preferred_language: (m && m.preferred_language) || '',
  };
}

/**
 * The add/edit form for one family member. member null = add (POST); else
 * edit (PATCH with If-Match = the member's version). The form keeps what was
 * typed through a 401 (the shell shows sign-in over it) and a 412 (the stale
 * notice offers to reload, which the parent does).
 */
function FamilyMemberForm({ childId, member, onSaved, onCancel, onStale }) {
  const [f, setF] = useState(formFrom(member));
  const [err, setErr] = useState(null);
  const [busy, setBusy] = useState(false);
  const p = member ? `fm-${member.id}` : 'fm-new';
  const set = (k) => (e) => {
    const el = e.currentTarget;
    setF({ ...f, [k]: el.type === 'checkbox' ? el.checked : el.value });
  };

  const submit = async (e) => {
    e.preventDefault();
    setBusy(true);
    setErr(null);
    const body = {
      given_name: f.given_name.trim(),
      family_name: f.family_name.trim(),
      relationship: f.relationship,
      is_guardian: f.is_guardian,
      lives_with_child: f.lives_with_child,
      phone: orNull(f.phone),
      email: orNull(f.email),
      preferred_language: orNull(f.preferred_language),
    };
    const r = member
      ? await api('PATCH', `/api/children/${childId}/family/${member.id}`, { body, ifMatch: member.version })
      : await api('POST', `/api/children/${childId}/family`, { body: withoutEmpty(body) });
    setBusy(false);
    if (r.ok) {
      onSaved();
      return;
    }
    if (r.status === 412) {
      onStale();
      return;
    }
    if (r.status !== 401) setErr(r.error);
  };

  const title = member
    ? t('child.family.edit_title', { name: `${member.given_name} ${member.family_name}` })
    : t('child.family.add_title');
  return html`<form class="form card" onSubmit=${submit} aria-labelledby=${`${p}-title`} novalidate>
    <h3 id=${`${p}-title`}>${title}</h3>
    <${ErrorSummary} error=${err} fields=${FM_FIELDS} />
    <div class="form-grid">
      <${Field} id=${`${p}-given`} label=${t('child.family.given_name')} error=${fieldError(err, 'given_name')}>
        <input type="text" autocomplete="off" required value=${f.given_name} onInput=${set('given_name')} />
      <//>
      <${Field} id=${`${p}-familyname`} label=${t('child.family.family_name')} error=${fieldError(err, 'family_name')}>
        <input type="text" autocomplete="off" required value=${f.family_name} onInput=${set('family_name')} />
      <//>
      <${Field} id=${`${p}-rel`} label=${t('child.family.relationship')} error=${fieldError(err, 'relationship')}>
        <select required value=${f.relationship} onChange=${set('relationship')}>
          <option value="">${t('child.choose')}</option>
          ${RELATIONSHIPS.map((r) => html`<option value=${r}>${t(`common.relationship.${r}`)}</option>`)}
        </select>
      <//>
      <${Field} id=${`${p}-lang`} label=${t('child.family.language')} error=${fieldError(err, 'preferred_language')}>
        <${LanguageSelect} value=${f.preferred_language} onChange=${(v) => setF({ ...f, preferred_language: v })} />
      <//>
      <${Field} id=${`${p}-phone`} label=${t('child.family.phone')} error=${fieldError(err, 'phone')}>
        <input type="tel" autocomplete="off" value=${f.phone} onInput=${set('phone')} />
      <//>
      <${Field} id=${`${p}-email`} label=${t('child.family.email')} error=${fieldError(err, 'email')}>
        <input type="email" autocomplete="off" value=${f.email} onInput=${set('email')} />
      <//>
    </div>
    <div class="checks form-grid">
      <div class="checkbox">
        <input type="checkbox" id=${`${p}-guardian`} checked=${f.is_guardian} onChange=${set('is_guardian')} />
        <label for=${`${p}-guardian`}>${t('child.family.is_guardian')}</label>
      </div>
      <div class="checkbox">
        <input type="checkbox" id=${`${p}-lives`} checked=${f.lives_with_child} onChange=${set('lives_with_child')} />
        <label for=${`${p}-lives`}>${t('child.family.lives_with_child')}</label>
      </div>
    </div>
    <div class="form-actions">
      <button type="submit" disabled=${busy}>${busy ? t('common.saving') : t('common.save')}</button>
      <button type="button" class="button-quiet" onClick=${onCancel}>${t('common.cancel')}</button>
    </div>
  </form>`;
}

/**
 * The Family tab: GET /api/children/:id/family as a table (phone as a tel:
 * link), with add and edit for staff (canEdit).
 */
export function FamilyTab({ childId, canEdit }) {
  const [list, setList] = useState(null);
  const [loadErr, setLoadErr] = useState(null);
  const [editing, setEditing] = useState(null); // null, 'new' or a member id
  const [stale, setStale] = useState(false);
  const [formKey, setFormKey] = useState(0);

  const load = async () => {
    const r = await api('GET', `/api/children/${childId}/family`);
    if (r.ok) {
      setList(r.data.items);
      setLoadErr(null);
    } else {
      setLoadErr(r.error);
    }
  };
  useEffect(() => {
    load();
  }, [childId]);

  const onSaved = () => {
    setEditing(null);
    setStale(false);
    load();
  };
  const onReload = async () => {
    setStale(false);
    await load();
    // A new key re-creates the form from the record just read.
    setFormKey((k) => k + 1);
  };

  if (loadErr && !list) {
    return html`<section aria-labelledby="family-title">
      <h2 id="family-title">${t('child.family.title')}</h2>
      <${ErrorSummary} error=${loadErr} />
      <button type="button" onClick=${load}>${t('child.try_again')}</button>
    </section>`;
  }
  if (!list) return html`<${Spinner} />`;
  const member = typeof editing === 'number' ? list.find((m) => m.id === editing) : null;

  return html`<section aria-labelledby="family-title">
    <h2 id="family-title">${t('child.family.title')}</h2>
    ${stale && html`<${StaleNotice} onReload=${onReload} />`}
    ${list.length === 0
      ? html`<p>${t('child.family.empty')}</p>`
      : html`<div class="table-wrap">
          <table>
            <caption class="visually-hidden">${t('child.family.caption')}</caption>
            <thead>
              <tr>
                <th scope="col">${t('child.family.name')}</th>
                <th scope="col">${t('child.family.relationship')}</th>
                <th scope="col">${t('child.family.guardian')}</th>
                <th scope="col">${t('child.family.lives_with')}</th>
                <th scope="col">${t('child.family.contact')}</th>
                <th scope="col">${t('child.family.language')}</th>
                ${canEdit && html`<th scope="col"><span class="visually-hidden">${t('child.actions')}</span></th>`}
              </tr>
            </thead>
            <tbody>
              ${list.map(
                (m) => html`<tr key=${m.id}>
                  <th scope="row">${m.given_name} ${m.family_name}</th>
                  <td>${tOr(`common.relationship.${m.relationship}`, m.relationship)}</td>
                  <td>${yesNo(m.is_guardian)}</td>
                  <td>${yesNo(m.lives_with_child)}</td>
                  <td>
                    ${m.phone && html`<a href=${`tel:${m.phone.replace(/[^\d+]/g, '')}`}>${m.phone}</a>`}
                    ${m.phone && m.email && html`<br />`}
                    ${m.email && html`<a href=${`mailto:${m.email}`}>${m.email}</a>`}
                    ${!m.phone && !m.email && '—'}
                  </td>
                  <td>${languageName(m.preferred_language)}</td>
                  ${canEdit &&
                  html`<td>
                    <button
                      type="button"
                      class="button-quiet"
                      aria-label=${t('child.family.edit_label', { name: `${m.given_name} ${m.family_name}` })}
                      onClick=${() => {
                        setStale(false);
                        setEditing(m.id);
                      }}
                    >
                      ${t('child.edit')}
                    </button>
                  </td>`}
                </tr>`,
              )}
            </tbody>
          </table>
        </div>`}
    ${canEdit &&
    editing === null &&
    html`<p><button type="button" onClick=${() => setEditing('new')}>${t('child.family.add')}</button></p>`}
    ${canEdit &&
    (editing === 'new' || member) &&
    html`<${FamilyMemberForm}
      key=${`${editing}-${formKey}`}
      childId=${childId}
      member=${member}
      onSaved=${onSaved}
      onStale=${() => setStale(true)}
      onCancel=${() => {
        setStale(false);
        setEditing(null);
      }}
    />`}
  </section>`;
}
