// Versions of the shared plan of care: freeze the working plan as a new version, list the versions
// with their reviews and open change requests, open one version as it was frozen, compare any two
// (or a version with the working plan) field by field, and record a review done with the family in
// person. The review form is shared with the family's own page (familyplan.js).
import { useEffect, useRef, useState } from 'preact/hooks';
import { api } from '../api.js';
import { fmtDate, fmtDateTime, fmtNumber, t, tOr } from '../i18n.js';
import { link } from '../router.js';
import { Field, Spinner, fieldError, html } from '../ui.js';
import { languageName } from './familymembers.js';
import {
  PlanDocument,
  PrintControls,
  ReviewList,
  StatusBadge,
  fieldLabel,
  itemLabel,
  itemTitle,
  planContext,
  reviewItems,
  statusDetail,
  useKinds,
  valueLabel,
} from './plan.js';
import { FormErrors, errorMessage } from './planedit.js';

const DECISIONS = ['agree', 'comment', 'change_requested'];
const NOTE_MAX = 500;
const COMMENT_MAX = 2000;

/**
 * The review form. family = true: a parent reviewing in their own words (POST without in_person);
 * otherwise staff recording a review done with the family in person or by phone (in_person: true,
 * which the API requires of staff). A comment is needed unless the decision is "agree".
 */
export function ReviewForm({ childId, version, family, onDone, idPrefix = 'review' }) {
  const [decision, setDecision] = useState('');
  const [comment, setComment] = useState('');
  const [errors, setErrors] = useState([]);
  const [apiErr, setApiErr] = useState(null);
  const [busy, setBusy] = useState(false);
  const [attempt, setAttempt] = useState(0);
  const p = idPrefix;
  const optionLabel = (d) => (family ? t(`plan.review.${d}`) : t(`planedit.review.staff.${d}`));

  const submit = async (e) => {
    e.preventDefault();
    const errs = [];
    if (!decision) errs.push({ field: 'decision', id: `${p}-decision-agree`, label: t('planedit.review.decision'), message: t('planedit.review.choose') });
    else if (decision !== 'agree' && !comment.trim()) {
      errs.push({ field: 'comment', id: `${p}-comment`, label: t('planedit.review.comment'), message: t('planedit.review.comment_needed') });
    }
    setErrors(errs);
    setApiErr(null);
    setAttempt((a) => a + 1);
    if (errs.length) return;
    const body = { decision };
    if (comment.trim()) body.comment = comment;
    if (!family) body.in_person = true;
    setBusy(true);
    const r = await api('POST', `/api/children/${childId}/plan/versions/${version}/reviews`, { body });
    setBusy(false);
    if (r.ok) {
      setDecision('');
      setComment('');
      onDone(r.data);
      return;
    }
    if (r.status !== 401) {
      setApiErr(r.error);
      setAttempt((a) => a + 1);
    }
  };

  const apiField = apiErr && (apiErr.field === 'comment' || apiErr.field === 'decision') ? apiErr.field : null;
  const listed = [...errors];
  if (apiField) {
    listed.push({
      field: apiField,
      id: apiField === 'comment' ? `${p}-comment` : `${p}-decision-agree`,
      label: apiField === 'comment' ? t('planedit.review.comment') : t('planedit.review.decision'),
      message: fieldError(apiErr, apiField),
    });
  }
  const errFor = (f) => (listed.find((x) => x.field === f) || {}).message || null;
  const decisionErr = errFor('decision');
  return html`<form class="form review-form" onSubmit=${submit} novalidate aria-labelledby=${`${p}-title`}>
    <${FormErrors} errors=${listed} general=${apiErr && !apiField ? errorMessage(apiErr) : ''} focusKey=${attempt} />
    <fieldset class=${decisionErr ? 'field-invalid' : ''} aria-describedby=${decisionErr ? `${p}-decision-error` : undefined}>
      <legend id=${`${p}-title`}>${family ? t('planedit.review.family_legend', { n: fmtNumber(version) }) : t('planedit.review.staff_legend', { n: fmtNumber(version) })}</legend>
      ${decisionErr && html`<p class="error-text" id=${`${p}-decision-error`}><span aria-hidden="true">⚠ </span>${decisionErr}</p>`}
      ${DECISIONS.map(
        (d) => html`<div class="radio-row">
          <input type="radio" name=${`${p}-decision`} id=${`${p}-decision-${d}`} value=${d} checked=${decision === d} onChange=${() => setDecision(d)} />
          <label for=${`${p}-decision-${d}`}>${optionLabel(d)}</label>
        </div>`,
      )}
    </fieldset>
    <${Field}
      id=${`${p}-comment`}
      class="field-wide"
      label=${family ? t('planedit.review.comment_family') : t('planedit.review.comment')}
      hint=${t('planedit.review.comment_hint')}
      error=${errFor('comment')}
    >
      <textarea rows="4" maxlength=${COMMENT_MAX} value=${comment} onInput=${(e) => setComment(e.currentTarget.value)}></textarea>
    <//>
    ${!family && html`<p class="hint">${t('planedit.review.in_person_hint')}</p>`}
    <div class="form-actions">
      <button type="submit" class="button-primary" disabled=${busy}>
        ${busy ? t('common.saving') : family ? t('planedit.review.send') : t('planedit.review.record')}
      </button>
    </div>
  </form>`;
}

/** A diff value in words: labels for choices, dates, yes/no, the title of a linked item. */
function diffValue(change, f, v, ctx) {
  if (v === null || v === undefined || v === '') return html`<em class="muted">${t('planedit.diff.empty')}</em>`;
  const desc = ctx.descs.get(change.kind);
  const fd = desc && desc.fields.find((x) => x.name === f.field);
  if (fd) {
    if (fd.type === 'enum') return valueLabel(change.kind, fd.name, v);
    if (fd.type === 'date') return fmtDate(v);
    if (fd.type === 'bool') return v ? t('plan.yes') : t('plan.no');
    if (fd.type === 'ref') {
      const target = ctx.byId.get(v);
      const td = target && ctx.descs.get(target.kind);
      return target && td ? itemTitle(td, target, ctx, true) : `#${v}`;
    }
    if (fd.type === 'int') return fmtNumber(v);
  }
  if (change.kind === 'contact' && f.field === 'role') return tOr(`common.role.${v}`, String(v));
  if (change.kind === 'contact' && f.field === 'sector') return tOr(`common.sector.${v}`, String(v));
  if (change.kind === 'contact' && f.field === 'lead') return tOr(`planedit.diff.lead.${v}`, String(v));
  if (change.kind === 'family' && f.field === 'relationship') return tOr(`common.relationship.${v}`, String(v));
  if (change.kind === 'family' && f.field === 'preferred_language') return languageName(v);
  if (typeof v === 'boolean') return v ? t('plan.yes') : t('plan.no');
  if (typeof v === 'object') return JSON.stringify(v);
  return html`<span lang=${f.lang || undefined} class="plan-text">${String(v)}</span>`;
}

function diffFieldLabel(change, f, ctx) {
  const label = ctx.descs.has(change.kind) ? fieldLabel(change.kind, f.field) : tOr(`planedit.field.${change.kind}.${f.field}`, f.field);
  return f.lang ? t('planedit.diff.in_lang', { field: label, lang: languageName(f.lang) }) : label;
}

function diffKindLabel(kind, ctx) {
  return ctx.descs.has(kind) ? itemLabel(kind) : tOr(`planedit.diff.kind.${kind}`, kind);
}

/** The changes between two plan documents, in plan order, in words. */
export function DiffList({ diff, ctx }) {
  const changes = diff.changes || [];
  if (changes.length === 0) return html`<p>${t('planedit.diff.none')}</p>`;
  return html`<ul class="diff-list">
    ${changes.map(
      (c, i) => html`<li class=${`diff diff-${c.change}`} key=${`${c.kind}-${c.id}-${i}`}>
        <p class="diff-head">
          <span class=${`badge diff-badge diff-badge-${c.change}`}>${tOr(`planedit.diff.${c.change}`, c.change)}</span>
          <span class="diff-kind">${diffKindLabel(c.kind, ctx)}:</span>
          <strong class="plan-text">${c.title || `#${c.id}`}</strong>
        </p>
        ${c.fields &&
        c.fields.length > 0 &&
        html`<dl class="diff-fields">
          ${c.fields.map(
            (f) => html`<div>
              <dt>${diffFieldLabel(c, f, ctx)}</dt>
              <dd>
                <span class="diff-from"><span class="visually-hidden">${t('planedit.diff.before')} </span>${diffValue(c, f, f.from, ctx)}</span>
                <span class="diff-arrow" aria-hidden="true"> → </span>
                <span class="diff-to"><span class="visually-hidden">${t('planedit.diff.after')} </span>${diffValue(c, f, f.to, ctx)}</span>
              </dd>
            </div>`,
          )}
        </dl>`}
      </li>`,
    )}
  </ul>`;
}

/** "Version 2" or "the working plan" for a side of a comparison (null = working plan). */
function sideName(n) {
  return n === null || n === undefined ? t('planedit.diff.working') : t('plan.version', { n: fmtNumber(n) });
}

/** Loads and shows GET .../plan/diff?from=&to= (to null: the working plan). */
export function DiffPanel({ childId, from, to, ctx, level = 3 }) {
  const [state, setState] = useState({ loading: true, diff: null, error: null });
  useEffect(() => {
    let live = true;
    setState({ loading: true, diff: null, error: null });
    api('GET', `/api/children/${childId}/plan/diff`, { query: { from, to: to === null ? undefined : to } }).then((r) => {
      if (!live) return;
      setState({ loading: false, diff: r.ok ? r.data : null, error: r.ok ? null : r.error });
    });
    return () => {
      live = false;
    };
  }, [childId, from, to]);
  const H = `h${level}`;
  return html`<section class="diff-panel" aria-labelledby="diff-title" aria-busy=${state.loading ? 'true' : 'false'}>
    <${H} id="diff-title" tabindex="-1">${t('planedit.diff.title', { from: sideName(from), to: sideName(to) })}</${H}>
    ${state.loading && html`<${Spinner} />`}
    ${state.error && html`<${FormErrors} errors=${[]} general=${errorMessage(state.error)} focusKey=${0} />`}
    ${state.diff && html`<${DiffList} diff=${state.diff} ctx=${ctx} />`}
  </section>`;
}

/** Freezes the working plan as version n+1 (staff). A 409 (nothing changed) is said kindly. */
function FreezeForm({ childId, state, onFrozen }) {
  const [note, setNote] = useState('');
  const [busy, setBusy] = useState(false);
  const [err, setErr] = useState(null);
  const [unchanged, setUnchanged] = useState(false);
  const [attempt, setAttempt] = useState(0);
  const submit = async (e) => {
    e.preventDefault();
    setErr(null);
    setUnchanged(false);
    setBusy(true);
    const r = await api('POST', `/api/children/${childId}/plan/versions`, { body: note.trim() ? { note } : undefined });
    setBusy(false);
    if (r.ok) {
      setNote('');
      onFrozen(r.data);
    } else if (r.status === 409) {
      setUnchanged(true);
    } else if (r.status !== 401) {
      setErr(r.error);
      setAttempt((a) => a + 1);
    }
  };
  const next = (state && state.latest_version ? state.latest_version : 0) + 1;
  const listed = err && err.field === 'note' ? [{ field: 'note', id: 'freeze-note', label: t('planedit.freeze.note'), message: fieldError(err, 'note') }] : [];
  return html`<form class="form card" onSubmit=${submit} aria-labelledby="freeze-title" novalidate>
    <h3 id="freeze-title">${t('planedit.freeze.title')}</h3>
    <p>${t('planedit.freeze.intro', { n: fmtNumber(next) })}</p>
    ${state && state.latest_version && !state.changed_since_latest
      ? html`<p class="hint">${t('planedit.freeze.no_changes_yet', { n: fmtNumber(state.latest_version) })}</p>`
      : ''}
    <${FormErrors} errors=${listed} general=${err && err.field !== 'note' ? errorMessage(err) : ''} focusKey=${attempt} />
    ${unchanged && html`<div class="notice" role="status"><p>${t('planedit.freeze.unchanged')}</p></div>`}
    <${Field} id="freeze-note" class="field-wide" label=${t('planedit.freeze.note')} hint=${t('planedit.freeze.note_hint')} error=${listed.length ? listed[0].message : null}>
      <textarea rows="2" maxlength=${NOTE_MAX} value=${note} onInput=${(e) => setNote(e.currentTarget.value)}></textarea>
    <//>
    <div class="form-actions">
      <button type="submit" class="button-primary" disabled=${busy}>${busy ? t('common.saving') : t('planedit.freeze.submit')}</button>
    </div>
  </form>`;
}

/** The list of versions, the freeze form and the comparison form. */
function VersionList({ child, plan, reloadPlan, canWrite, ctx }) {
  const [list, setList] = useState(null);
  const [err, setErr] = useState(null);
  const [notice, setNotice] = useState('');
  const [from, setFrom] = useState('');
  const [to, setTo] = useState('working');
  const [compare, setCompare] = useState(null);
  const noticeRef = useRef(null);

  const load = async () => {
    const r = await api('GET', `/api/children/${child.id}/plan/versions`);
    if (r.ok) {
      setList(r.data.items || []);
      setErr(null);
      if (r.data.items && r.data.items.length && from === '') setFrom(String(r.data.items[0].number));
    } else setErr(r.error);
  };
  useEffect(() => {
    load();
  }, [child.id]);

  const onFrozen = async (v) => {
    setNotice(t('planedit.freeze.done', { n: fmtNumber(v.number) }));
    setFrom(String(v.number));
    await Promise.all([load(), reloadPlan()]);
    if (noticeRef.current) noticeRef.current.focus();
  };
  const runCompare = (e) => {
    e.preventDefault();
    if (!from) return;
    setCompare({ from: Number(from), to: to === 'working' ? null : Number(to) });
  };

  const state = plan && plan.state;
  return html`<section aria-labelledby="versions-title">
    <h2 id="versions-title">${t('planedit.versions.title')}</h2>
    ${state && html`<p class="plan-status-line"><${StatusBadge} status=${state.status} /> ${statusDetail(state)}</p>`}
    <p ref=${noticeRef} tabindex="-1" role="status" class=${notice ? 'notice' : 'visually-hidden'}>${notice}</p>
    ${canWrite && html`<${FreezeForm} childId=${child.id} state=${state} onFrozen=${onFrozen} />`}
    <h3 id="versions-list-title">${t('planedit.versions.list')}</h3>
    ${err && html`<${FormErrors} errors=${[]} general=${errorMessage(err)} focusKey=${0} />`}
    ${!list && !err && html`<${Spinner} />`}
    ${list && list.length === 0 && html`<p>${t('planedit.versions.empty')}</p>`}
    ${list &&
    list.length > 0 &&
    html`<div class="table-wrap">
      <table class="versions-table">
        <caption class="visually-hidden">${t('planedit.versions.list')}</caption>
        <thead>
          <tr>
            <th scope="col">${t('planedit.versions.col.number')}</th>
            <th scope="col">${t('planedit.versions.col.date')}</th>
            <th scope="col">${t('planedit.versions.col.by')}</th>
            <th scope="col">${t('planedit.versions.col.note')}</th>
            <th scope="col">${t('planedit.versions.col.reviews')}</th>
            <th scope="col">${t('planedit.versions.col.requests')}</th>
          </tr>
        </thead>
        <tbody>
          ${list.map(
            (v) => html`<tr key=${v.number}>
              <th scope="row">
                <a href=${link(`/children/${child.id}/versions/${v.number}`)}>${t('plan.version', { n: fmtNumber(v.number) })}</a>
              </th>
              <td>${fmtDateTime(v.created_at)}</td>
              <td>${(v.created_by && v.created_by.name) || '—'}</td>
              <td>${v.note || '—'}</td>
              <td>${fmtNumber(v.review_count || 0)}</td>
              <td>
                ${v.open_requests
                  ? html`<span class="badge badge-warn"><span aria-hidden="true">! </span>${fmtNumber(v.open_requests)}</span>`
                  : fmtNumber(0)}
              </td>
            </tr>`,
          )}
        </tbody>
      </table>
    </div>`}
    ${list &&
    list.length > 0 &&
    html`<form class="form card compare-form" onSubmit=${runCompare} aria-labelledby="compare-title">
      <h3 id="compare-title">${t('planedit.compare.title')}</h3>
      <div class="form-grid">
        <${Field} id="compare-from" label=${t('planedit.compare.from')}>
          <select value=${from} onChange=${(e) => setFrom(e.currentTarget.value)}>
            ${list.map((v) => html`<option value=${String(v.number)}>${t('plan.version', { n: fmtNumber(v.number) })}</option>`)}
          </select>
        <//>
        <${Field} id="compare-to" label=${t('planedit.compare.to')}>
          <select value=${to} onChange=${(e) => setTo(e.currentTarget.value)}>
            <option value="working">${t('planedit.diff.working')}</option>
            ${list.map((v) => html`<option value=${String(v.number)}>${t('plan.version', { n: fmtNumber(v.number) })}</option>`)}
          </select>
        <//>
      </div>
      <div class="form-actions"><button type="submit">${t('planedit.compare.submit')}</button></div>
    </form>`}
    ${compare && html`<${DiffPanel} key=${`${compare.from}-${compare.to}`} childId=${child.id} from=${compare.from} to=${compare.to} ctx=${ctx} />`}
  </section>`;
}

/** One frozen version: who froze it and why, print, its reviews, a review form, the plan as it was. */
function VersionView({ child, n, canWrite, kinds, ctx, reader, reloadPlan }) {
  const [state, setState] = useState({ loading: true, v: null, error: null });
  const [notice, setNotice] = useState('');
  const [compareTo, setCompareTo] = useState(undefined);
  const noticeRef = useRef(null);
  const load = async () => {
    const r = await api('GET', `/api/children/${child.id}/plan/versions/${n}`);
    setState({ loading: false, v: r.ok ? r.data : null, error: r.ok ? null : r.error });
  };
  useEffect(() => {
    setState({ loading: true, v: null, error: null });
    setCompareTo(undefined);
    load();
  }, [child.id, n]);

  const back = html`<p><a href=${link(`/children/${child.id}/versions`)}>${t('planedit.versions.back')}</a></p>`;
  if (state.loading) return html`${back}<${Spinner} />`;
  if (!state.v) {
    return html`<section aria-labelledby="version-title">
      ${back}
      <h2 id="version-title">${t('plan.version', { n: fmtNumber(n) })}</h2>
      <${FormErrors} errors=${[]} general=${state.error && state.error.code === 'not_found' ? t('planedit.versions.missing') : errorMessage(state.error)} focusKey=${0} />
    </section>`;
  }
  const v = state.v;
  const reviews = reviewItems(v.reviews);
  return html`<section aria-labelledby="version-title" class="version-view">
    ${back}
    <h2 id="version-title">${t('plan.version', { n: fmtNumber(v.number) })}</h2>
    <p>${t('planedit.versions.frozen_by', { date: fmtDateTime(v.created_at), name: (v.created_by && v.created_by.name) || '—' })}</p>
    ${v.note && html`<p><strong>${t('planedit.versions.col.note')}:</strong> ${v.note}</p>`}
    <p ref=${noticeRef} tabindex="-1" role="status" class=${notice ? 'notice' : 'visually-hidden'}>${notice}</p>
    <${PrintControls} childId=${child.id} defaultLang=${child.preferred_language} version=${v.number} idPrefix="version-print" />
    <div class="form-actions compare-buttons">
      ${v.number > 1 &&
      html`<button type="button" onClick=${() => setCompareTo(v.number - 1)}>${t('planedit.compare.previous', { n: fmtNumber(v.number - 1) })}</button>`}
      <button type="button" onClick=${() => setCompareTo(null)}>${t('planedit.compare.with_working')}</button>
    </div>
    ${compareTo !== undefined &&
    html`<${DiffPanel}
      key=${`cmp-${compareTo}`}
      childId=${child.id}
      from=${compareTo === null ? v.number : compareTo}
      to=${compareTo === null ? null : v.number}
      ctx=${ctx}
    />`}
    <h3>${t('planedit.reviews.title')}</h3>
    <${ReviewList} reviews=${reviews} />
    ${canWrite &&
    html`<div class="card">
      <h3 id="record-review-title">${t('planedit.review.staff_title')}</h3>
      <${ReviewForm}
        childId=${child.id}
        version=${v.number}
        family=${false}
        idPrefix="staff-review"
        onDone=${async () => {
          setNotice(t('planedit.review.recorded'));
          await Promise.all([load(), reloadPlan()]);
          if (noticeRef.current) noticeRef.current.focus();
        }}
      />
    </div>`}
    <h3>${t('planedit.versions.content')}</h3>
    <${PlanDocument} doc=${v.content} kinds=${kinds} reader=${reader} level=${4} />
  </section>`;
}

/**
 * The "Versions" tab of a child's record. version (a number from the address
 * #/children/12/versions/3) opens one version; otherwise the list.
 */
export function VersionsTab({ child, plan, reloadPlan, canWrite, version, userLang }) {
  const { kinds, error } = useKinds();
  if (error) return html`<${FormErrors} errors=${[]} general=${errorMessage(error)} focusKey=${0} />`;
  if (!kinds) return html`<${Spinner} />`;
  const ctx = planContext(plan && plan.doc ? plan.doc : { elements: {} }, kinds, userLang);
  if (version) {
    return html`<${VersionView} key=${version} child=${child} n=${version} canWrite=${canWrite} kinds=${kinds} ctx=${ctx} reader=${userLang} reloadPlan=${reloadPlan} />`;
  }
  return html`<${VersionList} child=${child} plan=${plan} reloadPlan=${reloadPlan} canWrite=${canWrite} ctx=${ctx} />`;
}
