// The shared plan of care, read side: the element declaration (GET /api/plan/kinds), the labels of
// kinds, fields and choices (data/messages/<lang>/plan.json), how one item reads in a reader's
// language (the translation a person wrote, or the original marked "Not translated yet": never an
// invented one), the whole plan document as people read it, the plan's status and the print
// buttons. The staff editor (planedit.js), the versions screens (planversions.js) and the family's
// page (familyplan.js) all show items through these, so a plan reads the same everywhere.
import { useEffect, useState } from 'preact/hooks';
import { api } from '../api.js';
import { fmtDate, fmtDateTime, fmtNumber, lang, t, tOr } from '../i18n.js';
import { html } from '../ui.js';

/** The languages a plan's text is written and translated in. */
export const PLAN_LANGS = ['en', 'es'];

// Each language named in itself, so a reader finds their own whatever the screen's language.
const ENDONYMS = { en: 'English', es: 'Español' };

/** A plan language named in itself ("Español"). */
export function langEndonym(l) {
  return ENDONYMS[l] || l;
}

/** The plan language that is not l: the one a translation of an item written in l is in. */
export function otherLang(l) {
  return l === 'es' ? 'en' : 'es';
}

let kindsPromise = null;

/**
 * The element declaration, fetched once per page load: it only changes with a new server. A
 * failed fetch is not remembered, so the next screen asks again.
 */
export function loadKinds() {
  if (!kindsPromise) {
    kindsPromise = api('GET', '/api/plan/kinds').then((r) => {
      if (!r.ok) kindsPromise = null;
      return r;
    });
  }
  return kindsPromise;
}

/** Hook: {kinds, error} from loadKinds(); kinds is null until it answers. */
export function useKinds() {
  const [state, setState] = useState({ kinds: null, error: null });
  useEffect(() => {
    let live = true;
    loadKinds().then((r) => {
      if (!live) return;
      setState(r.ok ? { kinds: r.data.items, error: null } : { kinds: null, error: r.error });
    });
    return () => {
      live = false;
    };
  }, []);
  return state;
}

/** "Family goals": the heading of a kind's section. */
export function kindLabel(kind) {
  return tOr(`plan.kind.${kind}`, kind);
}

/** "Family goal": one item of a kind. */
export function itemLabel(kind) {
  return tOr(`plan.item.${kind}`, kind);
}

/** The label of a field of a kind. */
export function fieldLabel(kind, field) {
  return tOr(`plan.field.${kind}.${field}`, field);
}

/** The label of a choice from a list; the code itself when the catalog does not know it. */
export function valueLabel(kind, field, value) {
  return tOr(`plan.value.${kind}.${field}.${value}`, String(value));
}

/** A shortened text for button names ("Edit family goal: Walk to the bus…"). */
export function shorten(s, n = 60) {
  const v = String(s || '').replace(/\s+/g, ' ').trim();
  return v.length > n ? `${v.slice(0, n - 1)}…` : v;
}

function empty(v) {
  return v === undefined || v === null || v === '';
}

/**
 * How a translatable field of item reads for a reader of language reader: {text, lang, missing}.
 * The original when the item is written in the reader's language; the translation a person wrote
 * when there is one; otherwise the original with missing = true ("Not translated yet"). null when
 * the field is empty.
 */
export function textFor(item, field, reader) {
  const original = item[field];
  if (empty(original)) return null;
  const own = item.lang || 'en';
  if (own === reader) return { text: original, lang: own, missing: false };
  const tr = item.translations && item.translations[reader] && item.translations[reader][field];
  if (!empty(tr)) return { text: tr, lang: reader, missing: false };
  return { text: original, lang: own, missing: true };
}

/** Whether any text of a plan document shows "Not translated yet" to a reader of language reader. */
export function anyUntranslated(doc, kinds, reader) {
  for (const k of kinds || []) {
    for (const it of (doc && doc.elements && doc.elements[k.kind]) || []) {
      for (const fd of k.fields) {
        if (fd.type !== 'text') continue;
        const r = textFor(it, fd.name, reader);
        if (r && r.missing) return true;
      }
    }
  }
  return false;
}

/** The visible "Not translated yet" marker (words, not a colour). */
export function NotTranslated() {
  return html`<span class="badge badge-untranslated">${t('plan.not_translated')}</span>`;
}

/**
 * The tools a screen needs to show items: the declaration by kind, every live item by id (ref
 * fields name their target) and the reader's language.
 */
export function planContext(doc, kinds, reader) {
  const descs = new Map((kinds || []).map((k) => [k.kind, k]));
  const byId = new Map();
  for (const k of kinds || []) {
    for (const it of (doc && doc.elements && doc.elements[k.kind]) || []) byId.set(it.id, it);
  }
  return { doc, kinds: kinds || [], descs, byId, reader };
}

/** The field of desc that names an item (title_field), or its first field. */
export function titleField(desc) {
  return desc.fields.find((f) => f.name === desc.title_field) || desc.fields[0];
}

/**
 * The words that name an item: its title field in the reader's language (or the original when
 * original is true); a choice's label; "#id" when empty.
 */
export function itemTitle(desc, item, ctx, original = false) {
  if (!desc || !item) return '';
  const fd = titleField(desc);
  const v = item[fd.name];
  if (empty(v)) return `#${item.id}`;
  if (fd.type === 'text') {
    if (original) return v;
    const r = textFor(item, fd.name, ctx.reader);
    return r ? r.text : '';
  }
  if (fd.type === 'enum') return valueLabel(desc.kind, fd.name, v);
  return String(v);
}

/**
 * The field of desc that ties each of its items to a parent item (a milestone to its transition):
 * a required ref. Such items are shown inside their parent rather than in a list of their own.
 */
export function parentField(desc) {
  return desc.fields.find((f) => f.type === 'ref' && f.required) || null;
}

function telHref(phone) {
  return `tel:${String(phone).replace(/[^\d+]/g, '')}`;
}

/** A text value: one step per line as a numbered list for `steps`, line breaks kept otherwise. */
export function TextBlock({ name, text, lang: l }) {
  if (name === 'steps') {
    const lines = String(text)
      .split('\n')
      .map((s) => s.trim())
      .filter(Boolean);
    return html`<ol class="plan-steps" lang=${l}>
      ${lines.map((s) => html`<li>${s}</li>`)}
    </ol>`;
  }
  return html`<span class="plan-text" lang=${l}>${text}</span>`;
}

/**
 * One field's value as people read it. original = true shows a text field in the item's own
 * language (the staff card, which shows the translation beside it); otherwise the reader's.
 */
export function FieldValue({ desc, fd, item, ctx, original = false }) {
  const v = item[fd.name];
  switch (fd.type) {
    case 'text': {
      const r = original ? (empty(v) ? null : { text: v, lang: item.lang, missing: false }) : textFor(item, fd.name, ctx.reader);
      if (!r) return null;
      return html`<${TextBlock} name=${fd.name} text=${r.text} lang=${r.lang} />${r.missing && html` <${NotTranslated} />`}`;
    }
    case 'enum':
      return valueLabel(desc.kind, fd.name, v);
    case 'date':
      return fmtDate(v);
    case 'bool':
      return v ? t('plan.yes') : t('plan.no');
    case 'int':
      return fmtNumber(v);
    case 'ref': {
      const target = ctx.byId.get(v);
      const td = target && ctx.descs.get(target.kind);
      return target && td ? itemTitle(td, target, ctx, original) : `#${v}`;
    }
    default:
      if (/phone$/.test(fd.name)) return html`<a href=${telHref(v)}>${v}</a>`;
      return String(v);
  }
}

/** Whether a field's value needs the whole width: steps, and long texts (narrow columns of prose are hard to read). */
export function wideField(fd, value) {
  return fd.name === 'steps' || (fd.type === 'text' && String(value || '').length > 80);
}

/** Whether item has a value for fd (a false boolean counts as empty: "No" is noise). */
export function hasValue(fd, item) {
  const v = item[fd.name];
  return fd.type === 'bool' ? v === true : !empty(v);
}

/**
 * An item's fields as a list of label and value, the title field first in bold. skip names
 * fields not to show (the parent link inside a parent).
 */
export function ItemFields({ desc, item, ctx, original = false, skip = [] }) {
  const tf = titleField(desc);
  const rest = desc.fields.filter((f) => f !== tf && !skip.includes(f.name) && hasValue(f, item));
  return html`<div class="plan-item-body">
    ${hasValue(tf, item) &&
    (wideField(tf, item[tf.name]) && String(item[tf.name]).length > 120
      ? html`<p class="plan-item-title plan-item-lead"><${FieldValue} desc=${desc} fd=${tf} item=${item} ctx=${ctx} original=${original} /></p>`
      : html`<p class="plan-item-title"><strong><${FieldValue} desc=${desc} fd=${tf} item=${item} ctx=${ctx} original=${original} /></strong></p>`)}
    ${rest.length > 0 &&
    html`<dl class="plan-fields">
      ${rest.map(
        (fd) => html`<div class=${wideField(fd, item[fd.name]) ? 'plan-field-wide' : ''}>
          <dt>${fieldLabel(desc.kind, fd.name)}</dt>
          <dd><${FieldValue} desc=${desc} fd=${fd} item=${item} ctx=${ctx} original=${original} /></dd>
        </div>`,
      )}
    </dl>`}
  </div>`;
}

/**
 * Kinds in the order a family reads them in an emergency: the kinds with any field on the
 * emergency sheet first (in plan order), then the rest. The declaration says which, not this file.
 */
export function emergencyFirst(kinds) {
  const urgent = kinds.filter((k) => k.fields.some((f) => f.emergency));
  return { urgent, rest: kinds.filter((k) => !urgent.includes(k)) };
}

/** The items of a kind with no parent to sit in (every item of a kind that has no parent field). */
export function topItems(desc, ctx) {
  const items = (ctx.doc.elements && ctx.doc.elements[desc.kind]) || [];
  const pf = parentField(desc);
  if (!pf) return items;
  return items.filter((it) => !ctx.byId.has(it[pf.name]));
}

/** The items of kinds that sit inside parent: [{desc, field, items}] (a transition's steps). */
export function childrenOf(parent, ctx) {
  const out = [];
  for (const d of ctx.kinds) {
    const pf = parentField(d);
    if (!pf || pf.ref !== parent.kind) continue;
    const items = ((ctx.doc.elements && ctx.doc.elements[d.kind]) || []).filter((it) => it[pf.name] === parent.id);
    out.push({ desc: d, field: pf, items });
  }
  return out;
}

/** One item as a reader sees it, with the items that belong to it (steps under a transition). */
function ReadItem({ desc, item, ctx, level }) {
  const kids = childrenOf(item, ctx).filter((c) => c.items.length);
  const H = `h${Math.min(level, 6)}`;
  return html`<li class="plan-item">
    <${ItemFields} desc=${desc} item=${item} ctx=${ctx} />
    ${kids.map(
      (c) => html`<div class="plan-children">
        <${H} class="plan-children-title">${kindLabel(c.desc.kind)}</${H}>
        <ul class="plan-items plan-items-nested">
          ${c.items.map((it) => html`<${ReadItem} key=${it.id} desc=${c.desc} item=${it} ctx=${ctx} level=${level + 1} />`)}
        </ul>
      </div>`,
    )}
  </li>`;
}

/** A kind's section as a reader sees it; an empty kind says "None recorded". */
export function ReadSection({ desc, ctx, level = 3 }) {
  const items = topItems(desc, ctx);
  const id = `read-${desc.kind}`;
  const H = `h${level}`;
  return html`<section class="plan-section" aria-labelledby=${id}>
    <${H} id=${id}>${kindLabel(desc.kind)}</${H}>
    ${items.length === 0
      ? html`<p class="muted">${t('plan.none')}</p>`
      : html`<ul class="plan-items">
          ${items.map((it) => html`<${ReadItem} key=${it.id} desc=${desc} item=${it} ctx=${ctx} level=${level + 1} />`)}
        </ul>`}
  </section>`;
}

/** The care team and family contacts of a plan document. */
export function Contacts({ doc, level = 3 }) {
  const H = `h${level}`;
  const H2 = `h${Math.min(level + 1, 6)}`;
  const contacts = doc.contacts || [];
  const family = doc.family || [];
  return html`<section class="plan-section" aria-labelledby="read-contacts">
    <${H} id="read-contacts">${t('plan.contacts')}</${H}>
    ${contacts.length === 0
      ? html`<p class="muted">${t('plan.none')}</p>`
      : html`<ul class="contact-lines">
          ${contacts.map(
            (c) => html`<li key=${c.id}>
              <strong>${c.name}</strong>
              ${c.lead === 'lead' && html` <span class="badge badge-lead">${t('common.lead')}</span>`}
              ${c.lead === 'backup' && html` <span class="badge badge-lead">${t('common.backup')}</span>`}
              <span class="muted"> · ${[c.role ? tOr(`common.role.${c.role}`, c.role) : '', c.organization].filter(Boolean).join(' · ')}</span>
              ${c.phone && html` · <a href=${telHref(c.phone)}>${c.phone}</a>`}
            </li>`,
          )}
        </ul>`}
    ${family.length > 0 &&
    html`<${H2}>${t('plan.family')}</${H2}>
      <ul class="contact-lines">
        ${family.map(
          (f) => html`<li key=${f.id}>
            <strong>${f.name}</strong>
            <span class="muted"> · ${tOr(`common.relationship.${f.relationship}`, f.relationship || '')}</span>
            ${f.phone && html` · <a href=${telHref(f.phone)}>${f.phone}</a>`}
          </li>`,
        )}
      </ul>`}
  </section>`;
}

/**
 * A whole plan document for reading (a frozen version, or the family's page): every kind in plan
 * order, or emergency information first, then the contacts.
 */
export function PlanDocument({ doc, kinds, reader, order = 'plan', level = 3 }) {
  const ctx = planContext(doc, kinds, reader);
  const shown = kinds.filter((k) => !parentField(k) || topItems(k, ctx).length > 0);
  if (order === 'emergency') {
    const { urgent, rest } = emergencyFirst(shown);
    const H = `h${level}`;
    return html`<div class="plan-document">
      <section class="plan-part plan-part-urgent" aria-labelledby="part-urgent">
        <${H} id="part-urgent">${t('planedit.family.urgent')}</${H}>
        ${urgent.map((k) => html`<${ReadSection} key=${k.kind} desc=${k} ctx=${ctx} level=${level + 1} />`)}
      </section>
      <section class="plan-part" aria-labelledby="part-rest">
        <${H} id="part-rest">${t('planedit.family.together')}</${H}>
        ${rest.map((k) => html`<${ReadSection} key=${k.kind} desc=${k} ctx=${ctx} level=${level + 1} />`)}
      </section>
      <${Contacts} doc=${doc} level=${level} />
    </div>`;
  }
  return html`<div class="plan-document">
    ${shown.map((k) => html`<${ReadSection} key=${k.kind} desc=${k} ctx=${ctx} level=${level} />`)}
    <${Contacts} doc=${doc} level=${level} />
  </div>`;
}

/**
 * The plan's status in words with a symbol beside them (never colour alone): "Current: next
 * review by 3 Nov 2026", "Review due", "No version yet".
 */
export function StatusBadge({ status }) {
  const s = status === 'current' || status === 'due' ? status : 'none';
  const mark = s === 'current' ? '✓' : s === 'due' ? '!' : '○';
  return html`<span class=${`badge badge-plan badge-plan-${s}`}><span aria-hidden="true">${mark} </span>${t(`plan.status.${s}`)}</span>`;
}

/** The sentence under the status: when the review is due, when it was last reviewed. */
export function statusDetail(state) {
  if (!state) return '';
  if (state.status === 'current') return t('planedit.status.current_until', { date: fmtDate(state.review_due_on) });
  if (state.status === 'due') {
    return state.review_due_on
      ? t('planedit.status.due_since', { date: fmtDate(state.review_due_on) })
      : t('planedit.status.due_never');
  }
  return t('planedit.status.none_detail');
}

/** A review's decision in the family's words ("We ask for a change"). */
export function decisionLabel(d) {
  return tOr(`plan.review.${d}`, d);
}

/** A list of reviews: who, when, the decision, their words. */
export function ReviewList({ reviews, showVersion = false }) {
  if (!reviews || reviews.length === 0) return html`<p class="muted">${t('planedit.reviews.none')}</p>`;
  return html`<ul class="review-list">
    ${reviews.map(
      (r) => html`<li class=${`review review-${r.decision}`} key=${r.id}>
        <p>
          <strong>${decisionLabel(r.decision)}</strong>
          ${showVersion && html` · ${t('plan.version', { n: fmtNumber(r.version) })}`}
        </p>
        <p class="hint">
          ${t('planedit.reviews.by', { name: (r.created_by && r.created_by.name) || '—', date: fmtDateTime(r.created_at) })}
          ${r.in_person && html` · ${t('planedit.reviews.in_person')}`}
        </p>
        ${r.comment && html`<blockquote class="review-words">${r.comment}</blockquote>`}
      </li>`,
    )}
  </ul>`;
}

/** The list of reviews out of a list answer ({items}) or a bare array. */
export function reviewItems(data) {
  if (!data) return [];
  return Array.isArray(data) ? data : data.items || [];
}

/**
 * The print buttons: a language choice (the child's preferred one, or the reader's, first) and
 * two buttons that open the PDF in a new tab. version null prints the latest version (or the
 * working plan marked "Draft" when there is none).
 */
export function PrintControls({ childId, defaultLang, version = null, idPrefix = 'print' }) {
  const initial = PLAN_LANGS.includes(defaultLang) ? defaultLang : lang();
  const [pl, setPl] = useState(initial);
  const open = (which) => {
    const q = new URLSearchParams({ lang: pl });
    if (version !== null && version !== undefined) q.set('version', String(version));
    // A new tab keeps the record open behind the PDF; noopener keeps the PDF from reaching back.
    window.open(`/api/children/${childId}/${which}.pdf?${q.toString()}`, '_blank', 'noopener');
  };
  return html`<div class="print-controls" role="group" aria-labelledby=${`${idPrefix}-label`}>
    <p class="print-label" id=${`${idPrefix}-label`}>${t('planedit.print.title')}</p>
    <div class="field">
      <label for=${`${idPrefix}-lang`}>${t('planedit.print.lang')}</label>
      <select id=${`${idPrefix}-lang`} value=${pl} onChange=${(e) => setPl(e.currentTarget.value)}>
        ${PLAN_LANGS.map((l) => html`<option value=${l} lang=${l}>${langEndonym(l)}</option>`)}
      </select>
    </div>
    <div class="print-buttons">
      <button type="button" onClick=${() => open('plan')}>${t('planedit.print.plan')}</button>
      <button type="button" onClick=${() => open('emergency')}>${t('planedit.print.emergency')}</button>
    </div>
    <p class="hint">${t('planedit.print.hint')}</p>
  </div>`;
}
