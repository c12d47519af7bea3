// The shared plan of care for staff: the "Shared plan of care" tab of a child's record. Where the
// plan stands (status, open change requests in the family's words), the print buttons, and every
// element section by section in plan order, with add, edit, translate and remove for staff who may
// write. The forms are built from the element declaration (GET /api/plan/kinds), never from a list
// of fields kept here. The plain-language help calls POST /api/readability as people type; it
// advises and never blocks saving.
import { useEffect, useRef, useState } from 'preact/hooks';
import { api } from '../api.js';
import { fmtDate, fmtNumber, t, tn } from '../i18n.js';
import { link } from '../router.js';
import { Dialog, Field, Spinner, StaleNotice, fieldError, html } from '../ui.js';
import {
  ItemFields,
  NotTranslated,
  PLAN_LANGS,
  PrintControls,
  ReviewList,
  StatusBadge,
  TextBlock,
  childrenOf,
  fieldLabel,
  itemLabel,
  itemTitle,
  kindLabel,
  langEndonym,
  otherLang,
  parentField,
  planContext,
  reviewItems,
  shorten,
  statusDetail,
  topItems,
  useKinds,
} from './plan.js';

/** The words for an API error that names no field the form shows. */
export function errorMessage(err) {
  if (!err) return '';
  if (err.code === 'network') return t('common.error.network');
  if (err.code === 'forbidden') return t('common.error.forbidden');
  if (err.code === 'not_found') return t('common.error.not_found');
  if (err.code === 'internal' || !err.message) return t('common.error.internal');
  return err.message;
}

/**
 * An item label inside a sentence ("Add family goal"): a lower-case first letter, unless the
 * label starts with an abbreviation ("G-tube", "IV").
 */
function inSentence(label) {
  return label.length > 1 && label[1] === label[1].toLowerCase() ? label.charAt(0).toLowerCase() + label.slice(1) : label;
}

function focusById(id) {
  const el = document.getElementById(id);
  if (el) el.focus();
}

/**
 * The error summary of a form: focused when a save fails (focusKey changes), so keyboard and
 * screen-reader users land on what went wrong; each field error is a button that moves to the
 * field (a link would change the hash route).
 */
export function FormErrors({ errors, general, focusKey }) {
  const ref = useRef(null);
  const n = errors.length + (general ? 1 : 0);
  useEffect(() => {
    if (n && ref.current) ref.current.focus();
  }, [focusKey]);
  if (!n) return null;
  return html`<div class="error-summary" role="alert" tabindex="-1" ref=${ref}>
    <p><strong>${t('planedit.error.title')}</strong></p>
    ${errors.length > 0 &&
    html`<ul class="error-list">
      ${errors.map(
        (e) => html`<li>
          <button type="button" class="button-link" onClick=${() => focusById(e.id)}>${e.label}: ${e.message}</button>
        </li>`,
      )}
    </ul>`}
    ${general && html`<p>${general}</p>`}
  </div>`;
}

// The readability check refuses texts over 8000 characters; the longest field is 4000.
const READABILITY_MAX = 8000;
const READABILITY_DEBOUNCE_MS = 400;

/**
 * Replaces the glossary term found by a check of `checked` with `plain` in `text` (which may have
 * changed since): at the same offsets when the same words are still there, else at the first
 * place they occur. A capital first letter stays a capital.
 */
export function replaceTerm(text, checked, s, plain) {
  const span = checked.slice(s.start, s.start + s.length);
  let start = s.start;
  if (text.slice(start, start + s.length) !== span) {
    start = text.indexOf(span);
    if (start < 0) return text;
  }
  let rep = plain;
  if (span && span[0] !== span[0].toLowerCase()) rep = rep.charAt(0).toUpperCase() + rep.slice(1);
  return text.slice(0, start) + rep + text.slice(start + span.length);
}

/** A grade as people read it: whole grades, rounded up so "grade 6" always meets a target of 6. */
function gradeWords(g) {
  return fmtNumber(Math.max(1, Math.ceil(Number(g) - 1e-9)));
}

/**
 * Plain-language help under a text field: the reading grade against the target, the hardest
 * sentences and plain words from the glossary, each with a button that puts the plain words in.
 * Asks the server 400 ms after the typing stops; a slower answer to older text is dropped.
 */
export function ReadabilityHelp({ id, text, lang: l, onReplace }) {
  const [res, setRes] = useState(null);
  const [failed, setFailed] = useState(false);
  const seq = useRef(0);

  useEffect(() => {
    const mine = ++seq.current;
    if (!text || !text.trim() || text.length > READABILITY_MAX) {
      setRes(null);
      return undefined;
    }
    const timer = setTimeout(async () => {
      // quiet: an expired session is handled when the person saves, not in the middle of typing.
      const r = await api('POST', '/api/readability', { body: { text, lang: l }, quiet: true });
      if (mine !== seq.current) return;
      if (r.ok) {
        setRes({ text, data: r.data });
        setFailed(false);
      } else {
        setFailed(true);
      }
    }, READABILITY_DEBOUNCE_MS);
    return () => clearTimeout(timer);
  }, [text, l]);

  const d = res && res.data;
  const seen = new Set();
  const suggestions = d
    ? (d.suggestions || []).filter((s) => {
        const k = `${s.term.toLowerCase()}|${s.plain}`;
        if (seen.has(k)) return false;
        seen.add(k);
        return true;
      })
    : [];
  let line = '';
  if (d) {
    const vars = { grade: gradeWords(d.grade), target: fmtNumber(d.target) };
    line = d.meets ? t('planedit.plain.meets', vars) : t('planedit.plain.above', vars);
  } else if (failed) {
    line = t('planedit.plain.unavailable');
  }
  return html`<div class="plain-help" id=${id}>
    <p class=${`plain-grade${d ? (d.meets ? ' plain-ok' : ' plain-above') : ''}`} aria-live="polite">
      ${d && html`<span aria-hidden="true">${d.meets ? '✓ ' : '! '}</span>`}${line}
    </p>
    ${d &&
    !d.meets &&
    d.hardest &&
    d.hardest.length > 0 &&
    html`<div class="plain-hardest">
      <p class="plain-subtitle">${t('planedit.plain.hardest')}</p>
      <ul>
        ${d.hardest.map(
          (h) => html`<li>
            <q lang=${l}>${h.text}</q> <span class="hint">${t('planedit.plain.sentence_grade', { grade: gradeWords(h.grade) })}</span>
          </li>`,
        )}
      </ul>
    </div>`}
    ${suggestions.length > 0 &&
    html`<div class="plain-words">
      <p class="plain-subtitle">${t('planedit.plain.words')}</p>
      <ul>
        ${suggestions.map(
          (s) => html`<li>
            <span lang=${l}>${t('planedit.plain.try', { term: s.term, plain: s.plain })}</span>
            ${s.note && html` <span class="hint" lang=${l}>${s.note}</span>`}
            <button type="button" class="button-small" onClick=${() => onReplace(replaceTerm(text, res.text, s, s.plain))}>
              ${t('planedit.plain.use', { plain: s.plain })}
            </button>
          </li>`,
        )}
      </ul>
    </div>`}
  </div>`;
}

/** The label of a form field: optional ones say so (required is the usual case). */
function formLabel(kind, fd) {
  const l = fieldLabel(kind, fd.name);
  return fd.required || fd.type === 'bool' ? l : t('planedit.optional', { label: l });
}

function formFrom(desc, item, defaults, userLang) {
  const f = { lang: item ? item.lang || 'en' : PLAN_LANGS.includes(userLang) ? userLang : 'en' };
  for (const fd of desc.fields) {
    const v = item ? item[fd.name] : defaults && defaults[fd.name];
    if (fd.type === 'bool') f[fd.name] = v === true;
    else f[fd.name] = v === undefined || v === null ? '' : String(v);
  }
  return f;
}

/** The JSON value of one form field: '' is null (cleared), numbers are numbers. */
function valueOf(fd, s) {
  if (fd.type === 'bool') return s === true;
  if (s === '') return null;
  if (fd.type === 'int' || fd.type === 'ref') return /^-?\d+$/.test(s.trim()) ? Number(s) : s;
  return s;
}

function before(fd, item) {
  const v = item[fd.name];
  if (fd.type === 'bool') return v === true;
  return v === undefined || v === '' ? null : v;
}

/**
 * One form control built from a field of the declaration: text (a textarea with plain-language
 * help), string, enum (a select of labelled choices), date, int, bool, ref (a select of this
 * child's live items of the kind it points at) and icd10.
 */
function FieldControl({ p, desc, fd, f, set, err, ctx, formLang }) {
  const id = `${p}-${fd.name}`;
  const label = formLabel(desc.kind, fd);
  const v = f[fd.name];
  const onInput = (e) => set(fd.name, e.currentTarget.value);
  const error = err[fd.name] || null;
  if (fd.type === 'bool') {
    return html`<div class=${`checkbox field${error ? ' field-invalid' : ''}`}>
      <input type="checkbox" id=${id} checked=${v} onChange=${(e) => set(fd.name, e.currentTarget.checked)} />
      <label for=${id}>${label}</label>
    </div>`;
  }
  if (fd.type === 'text') {
    const long = fd.name === 'steps' || fd.max_len > 200;
    return html`<${Field}
      id=${id}
      class="field-wide"
      label=${label}
      hint=${fd.name === 'steps' ? t('planedit.hint.steps') : null}
      error=${error}
    >
      <textarea rows=${fd.name === 'steps' ? 8 : long ? 4 : 2} maxlength=${fd.max_len || undefined} lang=${formLang} value=${v} onInput=${onInput}></textarea>
      <${ReadabilityHelp} id=${`${id}-plain`} text=${v} lang=${formLang} onReplace=${(next) => set(fd.name, next)} />
    <//>`;
  }
  if (fd.type === 'enum') {
    return html`<${Field} id=${id} label=${label} error=${error}>
      <select value=${v} onChange=${onInput}>
        ${(!fd.required || v === '') && html`<option value="">${fd.required ? t('planedit.choose') : t('planedit.not_set')}</option>`}
        ${(fd.values || []).map((c) => html`<option value=${c}>${t(`plan.value.${desc.kind}.${fd.name}.${c}`)}</option>`)}
      </select>
    <//>`;
  }
  if (fd.type === 'ref') {
    const targets = (ctx.doc.elements && ctx.doc.elements[fd.ref]) || [];
    const td = ctx.descs.get(fd.ref);
    return html`<${Field}
      id=${id}
      class="field-wide"
      label=${label}
      hint=${targets.length === 0 ? t('planedit.ref.none', { kind: kindLabel(fd.ref) }) : null}
      error=${error}
    >
      <select value=${v} onChange=${onInput}>
        ${(!fd.required || v === '') && html`<option value="">${fd.required ? t('planedit.choose') : t('planedit.not_set')}</option>`}
        ${targets.map((it) => html`<option value=${String(it.id)}>${shorten(itemTitle(td, it, ctx, true), 80)}</option>`)}
      </select>
    <//>`;
  }
  if (fd.type === 'date') {
    return html`<${Field} id=${id} label=${label} error=${error}>
      <input type="date" value=${v} onInput=${onInput} />
    <//>`;
  }
  if (fd.type === 'int') {
    return html`<${Field} id=${id} label=${label} error=${error}>
      <input type="number" inputmode="numeric" step="1" min=${fd.min} max=${fd.max} value=${v} onInput=${onInput} />
    <//>`;
  }
  if (fd.type === 'icd10') {
    return html`<${Field} id=${id} label=${label} hint=${t('planedit.hint.icd10')} error=${error}>
      <input type="text" autocomplete="off" autocapitalize="characters" spellcheck=${false} maxlength="8" value=${v} onInput=${onInput} />
    <//>`;
  }
  return html`<${Field} id=${id} label=${label} error=${error}>
    <input
      type=${/phone$/.test(fd.name) ? 'tel' : 'text'}
      autocomplete="off"
      maxlength=${fd.max_len || undefined}
      value=${v}
      onInput=${onInput}
    />
  <//>`;
}

/**
 * Add (item null: POST) or edit (PATCH with If-Match = the item's version, only what changed) one
 * item of kind desc. Empty required fields are caught here in plain words; everything else the
 * server checks and names the field. A 412 shows the stale notice; Reload re-reads the plan and
 * starts the form again from the newer item.
 */
export function ItemForm({ childId, desc, item, ctx, defaults, userLang, onSaved, onCancel, onStaleReload }) {
  const [f, setF] = useState(() => formFrom(desc, item, defaults, userLang));
  const [errors, setErrors] = useState([]);
  const [apiErr, setApiErr] = useState(null);
  const [stale, setStale] = useState(false);
  const [busy, setBusy] = useState(false);
  const [attempt, setAttempt] = useState(0);
  const p = item ? `pi-${item.id}` : `pi-new-${desc.kind}`;
  const set = (k, v) => setF((old) => ({ ...old, [k]: v }));
  const titleRef = useRef(null);
  // The button that opened the form is gone while it is open: start from the form's heading.
  useEffect(() => {
    if (titleRef.current) titleRef.current.focus();
  }, []);

  const submit = async (e) => {
    e.preventDefault();
    const errs = [];
    for (const fd of desc.fields) {
      const id = `${p}-${fd.name}`;
      const label = fieldLabel(desc.kind, fd.name);
      const s = f[fd.name];
      if (fd.type === 'bool') continue;
      if (fd.required && s === '') errs.push({ field: fd.name, id, label, message: t('planedit.error.required') });
      else if (fd.type === 'int' && s !== '' && !/^-?\d+$/.test(s.trim())) {
        errs.push({ field: fd.name, id, label, message: t('planedit.error.whole_number') });
      }
    }
    setErrors(errs);
    setApiErr(null);
    setStale(false);
    setAttempt((a) => a + 1);
    if (errs.length) return;

    const body = {};
    for (const fd of desc.fields) {
      const v = valueOf(fd, f[fd.name]);
      if (item) {
        if (v !== before(fd, item)) body[fd.name] = v;
      } else if (v !== null && v !== false) {
        body[fd.name] = v;
      }
    }
    if (!item || f.lang !== item.lang) body.lang = f.lang;
    if (item && Object.keys(body).length === 0) {
      onCancel();
      return;
    }
    setBusy(true);
    const base = `/api/children/${childId}/plan/${desc.path}`;
    const r = item
      ? await api('PATCH', `${base}/${item.id}`, { body, ifMatch: item.version })
      : await api('POST', base, { body });
    setBusy(false);
    if (r.ok) {
      onSaved(r.data, !item);
      return;
    }
    if (r.status === 412) {
      setStale(true);
      return;
    }
    if (r.status !== 401) {
      setApiErr(r.error);
      setAttempt((a) => a + 1);
    }
  };

  // A server error on a field the form shows sits next to that field and in the summary.
  const shown = desc.fields.map((fd) => fd.name);
  const apiField = apiErr && shown.includes(apiErr.field) ? apiErr.field : null;
  const fieldErrs = {};
  for (const e of errors) fieldErrs[e.field] = e.message;
  if (apiField) fieldErrs[apiField] = fieldError(apiErr, apiField);
  const listed = apiField
    ? [...errors, { field: apiField, id: `${p}-${apiField}`, label: fieldLabel(desc.kind, apiField), message: fieldErrs[apiField] }]
    : errors;
  const general = apiErr && !apiField ? errorMessage(apiErr) : '';
  const title = item ? t('planedit.form.edit_title', { item: itemLabel(desc.kind) }) : t('planedit.form.add_title', { item: itemLabel(desc.kind) });

  return html`<form class="form card plan-form" onSubmit=${submit} aria-labelledby=${`${p}-title`} novalidate>
    <h4 id=${`${p}-title`} class="form-title" tabindex="-1" ref=${titleRef}>${title}</h4>
    ${stale && html`<${StaleNotice} onReload=${onStaleReload} />`}
    <${FormErrors} errors=${listed} general=${general} focusKey=${attempt} />
    <div class="form-grid plan-form-grid">
      <${Field} id=${`${p}-lang`} label=${t('planedit.form.lang')} hint=${t('planedit.form.lang_hint')}>
        <select value=${f.lang} onChange=${(e) => set('lang', e.currentTarget.value)}>
          ${PLAN_LANGS.map((l) => html`<option value=${l} lang=${l}>${langEndonym(l)}</option>`)}
        </select>
      <//>
      ${desc.fields.map(
        (fd) => html`<${FieldControl} key=${fd.name} p=${p} desc=${desc} fd=${fd} f=${f} set=${set} err=${fieldErrs} ctx=${ctx} formLang=${f.lang} />`,
      )}
    </div>
    <p class="hint">${t('planedit.plain.advice')}</p>
    <div class="form-actions">
      <button type="submit" class="button-primary" disabled=${busy}>${busy ? t('common.saving') : t('common.save')}</button>
      <button type="button" class="button-quiet" onClick=${onCancel}>${t('common.cancel')}</button>
    </div>
  </form>`;
}

/** The translatable fields of an item that have text to translate. */
export function translatable(desc, item) {
  return desc.fields.filter((fd) => fd.type === 'text' && item[fd.name] !== undefined && item[fd.name] !== null && item[fd.name] !== '');
}

/** 'complete', 'partial' or 'none': how much of item is translated into l. */
export function translationState(desc, item, l) {
  const fields = translatable(desc, item);
  const tr = (item.translations && item.translations[l]) || {};
  const done = fields.filter((fd) => tr[fd.name]).length;
  if (done === 0) return 'none';
  return done === fields.length ? 'complete' : 'partial';
}

/**
 * The translation form: for each text field, the original (read only, in its language) and the
 * translation a person writes. PUT .../translation?lang=xx with If-Match; an emptied field sends
 * null (the translation is removed). Plain-language help checks the translation in its language.
 */
export function TranslationForm({ childId, desc, item, onSaved, onCancel, onStaleReload }) {
  const l = otherLang(item.lang || 'en');
  const fields = translatable(desc, item);
  const tr = (item.translations && item.translations[l]) || {};
  const [f, setF] = useState(() => Object.fromEntries(fields.map((fd) => [fd.name, tr[fd.name] || ''])));
  const [apiErr, setApiErr] = useState(null);
  const [stale, setStale] = useState(false);
  const [busy, setBusy] = useState(false);
  const [attempt, setAttempt] = useState(0);
  const p = `tr-${item.id}`;
  const set = (k, v) => setF((old) => ({ ...old, [k]: v }));
  const titleRef = useRef(null);
  useEffect(() => {
    if (titleRef.current) titleRef.current.focus();
  }, []);

  const submit = async (e) => {
    e.preventDefault();
    setApiErr(null);
    setStale(false);
    const body = {};
    for (const fd of fields) {
      const was = tr[fd.name] || '';
      if (f[fd.name] !== was) body[fd.name] = f[fd.name] === '' ? null : f[fd.name];
    }
    if (Object.keys(body).length === 0) {
      onCancel();
      return;
    }
    setBusy(true);
    const r = await api('PUT', `/api/children/${childId}/plan/${desc.path}/${item.id}/translation`, {
      body,
      ifMatch: item.version,
      query: { lang: l },
    });
    setBusy(false);
    if (r.ok) {
      onSaved(r.data);
      return;
    }
    if (r.status === 412) {
      setStale(true);
      return;
    }
    if (r.status !== 401) {
      setApiErr(r.error);
      setAttempt((a) => a + 1);
    }
  };

  const names = fields.map((fd) => fd.name);
  const apiField = apiErr && names.includes(apiErr.field) ? apiErr.field : null;
  const listed = apiField
    ? [
        {
          field: apiField,
          id: `${p}-${apiField}`,
          label: fieldLabel(desc.kind, apiField),
          message: fieldError(apiErr, apiField),
        },
      ]
    : [];
  return html`<form class="form card plan-form" onSubmit=${submit} aria-labelledby=${`${p}-title`} novalidate>
    <h4 id=${`${p}-title`} class="form-title" tabindex="-1" ref=${titleRef}>${t('planedit.translate.title', { lang: langEndonym(l) })}</h4>
    <p class="hint">${t('planedit.translate.intro', { from: langEndonym(item.lang), to: langEndonym(l) })}</p>
    ${stale && html`<${StaleNotice} onReload=${onStaleReload} />`}
    <${FormErrors} errors=${listed} general=${apiErr && !apiField ? errorMessage(apiErr) : ''} focusKey=${attempt} />
    ${fields.map(
      (fd) => html`<div class="translation-pair" key=${fd.name}>
        <p class="translation-original-label">${t('planedit.translate.original', { field: fieldLabel(desc.kind, fd.name), lang: langEndonym(item.lang) })}</p>
        <div class="translation-original" lang=${item.lang}>${item[fd.name]}</div>
        <${Field}
          id=${`${p}-${fd.name}`}
          label=${t('planedit.translate.field', { field: fieldLabel(desc.kind, fd.name), lang: langEndonym(l) })}
          hint=${fd.name === 'steps' ? t('planedit.hint.steps') : null}
          error=${apiField === fd.name ? fieldError(apiErr, fd.name) : null}
        >
          <textarea
            rows=${fd.name === 'steps' ? 8 : fd.max_len > 200 ? 4 : 2}
            maxlength=${fd.max_len || undefined}
            lang=${l}
            value=${f[fd.name]}
            onInput=${(e) => set(fd.name, e.currentTarget.value)}
          ></textarea>
          <${ReadabilityHelp} id=${`${p}-${fd.name}-plain`} text=${f[fd.name]} lang=${l} onReplace=${(next) => set(fd.name, next)} />
        <//>
      </div>`,
    )}
    <p class="hint">${t('planedit.translate.empty_hint')}</p>
    <div class="form-actions">
      <button type="submit" class="button-primary" disabled=${busy}>${busy ? t('common.saving') : t('planedit.translate.save')}</button>
      <button type="button" class="button-quiet" onClick=${onCancel}>${t('common.cancel')}</button>
    </div>
  </form>`;
}

/**
 * The translation beside an item on the staff card: each text field in the other language, or
 * the "Not translated yet" marker.
 */
function TranslationBlock({ desc, item }) {
  const l = otherLang(item.lang || 'en');
  const fields = translatable(desc, item);
  if (fields.length === 0) return null;
  const tr = (item.translations && item.translations[l]) || {};
  const st = translationState(desc, item, l);
  return html`<div class="translation-block">
    <p class="translation-title">
      ${t('planedit.translation.title', { lang: langEndonym(l) })}
      ${st === 'none' ? html` <${NotTranslated} />` : html` <span class="badge badge-off">${t(`planedit.translation.${st}`)}</span>`}
    </p>
    ${st !== 'none' &&
    html`<dl class="plan-fields">
      ${fields.map(
        (fd) => html`<div>
          <dt>${fieldLabel(desc.kind, fd.name)}</dt>
          <dd>${tr[fd.name] ? html`<${TextBlock} name=${fd.name} text=${tr[fd.name]} lang=${l} />` : html`<${NotTranslated} />`}</dd>
        </div>`,
      )}
    </dl>`}
  </div>`;
}

/** Chooses a starter sick-day plan (GET /api/plan/templates) and adds it to the child's plan. */
function TemplateDialog({ childId, uiLang, open, onClose, onCreated }) {
  const [list, setList] = useState(null);
  const [loadErr, setLoadErr] = useState(null);
  const [choice, setChoice] = useState('');
  const [err, setErr] = useState(null);
  const [busy, setBusy] = useState(false);
  const [attempt, setAttempt] = useState(0);

  useEffect(() => {
    if (!open) return undefined;
    let live = true;
    setErr(null);
    api('GET', '/api/plan/templates').then((r) => {
      if (!live) return;
      if (r.ok) setList(r.data.items);
      else setLoadErr(r.error);
    });
    return () => {
      live = false;
    };
  }, [open]);

  const words = (o) => (o && (o[uiLang] || o.en)) || '';
  const submit = async (e) => {
    e.preventDefault();
    if (!choice) {
      setErr({ code: 'invalid', field: 'template', message: t('planedit.template.choose_one') });
      setAttempt((a) => a + 1);
      return;
    }
    setBusy(true);
    const r = await api('POST', `/api/children/${childId}/plan/action-plans/from-template`, { body: { template: choice } });
    setBusy(false);
    if (r.ok) {
      setChoice('');
      onCreated(r.data);
    } else if (r.status !== 401) {
      setErr(r.error);
      setAttempt((a) => a + 1);
    }
  };

  return html`<${Dialog} id="template-dialog" title=${t('planedit.template.title')} open=${open} onClose=${onClose}>
    <p>${t('planedit.template.intro')}</p>
    ${loadErr && html`<${FormErrors} errors=${[]} general=${errorMessage(loadErr)} focusKey=${0} />`}
    ${!list && !loadErr && html`<${Spinner} />`}
    ${list &&
    html`<form onSubmit=${submit} novalidate>
      <${FormErrors}
        errors=${err && err.field === 'template' ? [{ field: 'template', id: `tpl-${list[0] ? list[0].id : 'none'}`, label: t('planedit.template.legend'), message: err.message }] : []}
        general=${err && err.field !== 'template' ? errorMessage(err) : ''}
        focusKey=${attempt}
      />
      <fieldset class="template-list">
        <legend>${t('planedit.template.legend')}</legend>
        ${list.map(
          (tp) => html`<div class="radio-card">
            <input
              type="radio"
              name="template"
              id=${`tpl-${tp.id}`}
              value=${tp.id}
              checked=${choice === tp.id}
              onChange=${() => setChoice(tp.id)}
              aria-describedby=${`tpl-${tp.id}-trigger`}
            />
            <label for=${`tpl-${tp.id}`}><strong>${words(tp.title)}</strong></label>
            <p class="hint" id=${`tpl-${tp.id}-trigger`}>${words(tp.trigger)}</p>
          </div>`,
        )}
      </fieldset>
      <p class="hint">${t('planedit.template.after')}</p>
      <div class="form-actions">
        <button type="submit" class="button-primary" disabled=${busy}>${busy ? t('common.saving') : t('planedit.template.add')}</button>
        <button type="button" class="button-quiet" onClick=${onClose}>${t('common.cancel')}</button>
      </div>
    </form>`}
  <//>`;
}

/** Asks before removing an item; shows the 409 when another item still points at it. */
function RemoveDialog({ childId, desc, item, ctx, onClose, onRemoved, onStale }) {
  const [err, setErr] = useState(null);
  const [busy, setBusy] = useState(false);
  const [attempt, setAttempt] = useState(0);
  const remove = async () => {
    setBusy(true);
    setErr(null);
    const r = await api('DELETE', `/api/children/${childId}/plan/${desc.path}/${item.id}`, { ifMatch: item.version });
    setBusy(false);
    if (r.ok) onRemoved();
    else if (r.status === 412) onStale();
    else if (r.status !== 401) {
      setErr(r.error);
      setAttempt((a) => a + 1);
    }
  };
  const general = err ? (err.code === 'conflict' ? `${t('planedit.remove.linked')} ${err.message}` : errorMessage(err)) : '';
  return html`<${Dialog} id="remove-dialog" title=${t('planedit.remove.title', { item: inSentence(itemLabel(desc.kind)) })} open=${true} onClose=${onClose}>
    <${FormErrors} errors=${[]} general=${general} focusKey=${attempt} />
    <p><strong>${itemTitle(desc, item, ctx, true)}</strong></p>
    <p>${t('planedit.remove.text')}</p>
    <div class="form-actions">
      <button type="button" class="button-danger" disabled=${busy} onClick=${remove}>${busy ? t('common.saving') : t('planedit.remove.confirm')}</button>
      <button type="button" class="button-quiet" onClick=${onClose}>${t('common.cancel')}</button>
    </div>
  <//>`;
}

/**
 * One item on the staff card: its fields in the language it is written in, the translation beside
 * them, and the buttons; or the edit / translation form in its place. Items that belong to it
 * (steps of a transition) are listed inside it, with their own add button.
 */
function StaffItem(props) {
  const { desc, item, ctx, canWrite, editing, level, onAction } = props;
  const pf = parentField(desc);
  const title = shorten(itemTitle(desc, item, ctx, true));
  const editingThis = editing && editing.id === item.id;
  const H = `h${Math.min(level, 6)}`;
  const kids = childrenOf(item, ctx);
  const free = !editing;
  return html`<li class="plan-item" id=${`plan-item-${item.id}`} tabindex="-1">
    ${editingThis && editing.mode === 'edit'
      ? html`<${ItemForm}
          key=${`edit-${item.id}-${props.formKey}`}
          childId=${props.childId}
          desc=${desc}
          item=${item}
          ctx=${ctx}
          userLang=${props.userLang}
          onSaved=${props.onSaved}
          onCancel=${props.onCancel}
          onStaleReload=${props.onStaleReload}
        />`
      : html`<div class=${`plan-item-main${translatable(desc, item).length ? ' with-translation' : ''}`}>
            <div class="plan-item-original">
              <${ItemFields} desc=${desc} item=${item} ctx=${ctx} original=${true} skip=${pf ? [pf.name] : []} />
              <p class="hint plan-item-meta">
                ${t('planedit.item.meta', { lang: langEndonym(item.lang), date: fmtDate(item.updated_at) })}
              </p>
            </div>
            <${TranslationBlock} desc=${desc} item=${item} />
          </div>
          ${editingThis &&
          editing.mode === 'translate' &&
          html`<${TranslationForm}
            key=${`tr-${item.id}-${props.formKey}`}
            childId=${props.childId}
            desc=${desc}
            item=${item}
            onSaved=${props.onSaved}
            onCancel=${props.onCancel}
            onStaleReload=${props.onStaleReload}
          />`}
          ${canWrite &&
          free &&
          html`<div class="item-actions">
            <button type="button" class="button-small" aria-label=${t('planedit.item.edit_label', { item: inSentence(itemLabel(desc.kind)), title })} onClick=${() => onAction('edit', desc, item)}>
              ${t('planedit.item.edit')}
            </button>
            ${translatable(desc, item).length > 0 &&
            html`<button
              type="button"
              class="button-small"
              aria-label=${t('planedit.item.translate_label', {
                action: translationState(desc, item, otherLang(item.lang)) === 'none' ? t('planedit.item.translate_add') : t('planedit.item.translate_edit'),
                title,
              })}
              onClick=${() => onAction('translate', desc, item)}
            >
              ${translationState(desc, item, otherLang(item.lang)) === 'none' ? t('planedit.item.translate_add') : t('planedit.item.translate_edit')}
            </button>`}
            <button
              type="button"
              class="button-small button-danger"
              aria-label=${t('planedit.item.remove_label', { item: inSentence(itemLabel(desc.kind)), title })}
              onClick=${() => onAction('remove', desc, item)}
            >
              ${t('planedit.item.remove')}
            </button>
          </div>`}`}
    ${kids.map(
      (c) => html`<div class="plan-children">
        <${H} class="plan-children-title">${kindLabel(c.desc.kind)}</${H}>
        ${c.items.length === 0 && html`<p class="muted">${t('plan.none')}</p>`}
        ${c.items.length > 0 &&
        html`<ul class="plan-items plan-items-nested">
          ${c.items.map((it) => html`<${StaffItem} ...${props} key=${it.id} desc=${c.desc} item=${it} level=${level + 1} />`)}
        </ul>`}
        ${canWrite &&
        editing &&
        editing.mode === 'add' &&
        editing.kind === c.desc.kind &&
        editing.parent === item.id &&
        html`<${ItemForm}
          key=${`add-${c.desc.kind}-${item.id}-${props.formKey}`}
          childId=${props.childId}
          desc=${c.desc}
          item=${null}
          ctx=${ctx}
          defaults=${{ [c.field.name]: item.id }}
          userLang=${props.userLang}
          onSaved=${props.onSaved}
          onCancel=${props.onCancel}
          onStaleReload=${props.onStaleReload}
        />`}
        ${canWrite &&
        free &&
        html`<p>
          <button type="button" class="button-small" onClick=${() => onAction('add', c.desc, null, item.id)}>
            ${t('planedit.add_to', { item: inSentence(itemLabel(c.desc.kind)), title })}
          </button>
        </p>`}
      </div>`,
    )}
  </li>`;
}

/**
 * Where the plan stands, shown first on the plan tab: the status, the latest version, unsaved
 * changes, and every open change request in the family's own words, so the coordinator sees it.
 */
function PlanStatusPanel({ child, state, reviews }) {
  if (!state) return null;
  const open = reviews ? reviews.filter((r) => r.decision === 'change_requested' && r.version === state.latest_version) : [];
  const openCount = reviews ? open.length : state.open_requests || 0;
  return html`<section class="plan-status card" aria-labelledby="plan-status-title">
    <h3 id="plan-status-title">${t('planedit.status.title')}</h3>
    <p class="plan-status-line"><${StatusBadge} status=${state.status} /> ${statusDetail(state)}</p>
    ${state.latest_version
      ? html`<p>
          ${t('planedit.status.latest', { n: fmtNumber(state.latest_version), date: fmtDate(state.latest_version_at) })}
          ${state.changed_since_latest ? ` ${t('planedit.status.changed')}` : ''}
        </p>`
      : ''}
    ${openCount > 0 &&
    html`<div class="notice notice-warning open-requests" role="group" aria-labelledby="open-requests-title">
      <h4 id="open-requests-title">${tn('planedit.requests.title', openCount)}</h4>
      ${open.length > 0 && html`<${ReviewList} reviews=${open} showVersion=${true} />`}
      <p>${t('planedit.requests.how')}</p>
    </div>`}
    <p><a href=${link(`/children/${child.id}/versions`)}>${t('planedit.status.to_versions')}</a></p>
  </section>`;
}

/**
 * The "Shared plan of care" tab. plan is {doc, state, error} from GET /api/children/{id}/plan
 * (loaded by the record, which also shows the summary and allergies in its header); reloadPlan
 * reads it again after every change.
 */
export function PlanTab({ child, plan, reloadPlan, canWrite, userLang }) {
  const { kinds, error: kindsErr } = useKinds();
  const [editing, setEditing] = useState(null); // {mode: add|edit|translate, kind, id, parent}
  const [formKey, setFormKey] = useState(0);
  const [removing, setRemoving] = useState(null);
  const [tplOpen, setTplOpen] = useState(false);
  const [notice, setNotice] = useState('');
  const [stale, setStale] = useState(false);
  const [reviews, setReviews] = useState(null);
  const focusNext = useRef(null);
  const trigger = useRef(null);

  const loadReviews = async () => {
    const r = await api('GET', `/api/children/${child.id}/plan/reviews`);
    if (r.ok) setReviews(reviewItems(r.data));
  };
  useEffect(() => {
    loadReviews();
  }, [child.id]);

  // After a change, focus goes to the item changed (or the section), once it is on screen.
  // focusNext holds a CSS selector.
  useEffect(() => {
    if (!focusNext.current) return;
    const el = document.querySelector(focusNext.current);
    if (el) {
      focusNext.current = null;
      el.focus();
    }
  });

  if (kindsErr || (plan && plan.error)) {
    return html`<section aria-labelledby="plan-title">
      <h2 id="plan-title">${t('plan.title')}</h2>
      <${FormErrors} errors=${[]} general=${errorMessage(kindsErr || plan.error)} focusKey=${0} />
      <p><button type="button" onClick=${reloadPlan}>${t('child.try_again')}</button></p>
    </section>`;
  }
  if (!kinds || !plan || !plan.doc) return html`<${Spinner} />`;

  const ctx = planContext(plan.doc, kinds, userLang);
  const sections = kinds.filter((k) => !parentField(k) || topItems(k, ctx).length > 0);

  const onAction = (mode, desc, item, parent) => {
    trigger.current = document.activeElement;
    setNotice('');
    setStale(false);
    if (mode === 'remove') {
      setRemoving({ desc, item });
      return;
    }
    setEditing({ mode, kind: desc.kind, id: item ? item.id : null, parent: parent || null });
  };
  const closeForm = () => {
    const e = editing;
    setEditing(null);
    const back = trigger.current;
    trigger.current = null;
    if (back && back.isConnected) back.focus();
    else if (e && e.id) focusNext.current = `#plan-item-${e.id} .item-actions button`;
    else if (e && e.parent) focusNext.current = `#plan-item-${e.parent}`;
    else if (e) focusNext.current = `#plan-sec-${e.kind}`;
  };
  const onSaved = async (saved, created) => {
    setEditing(null);
    trigger.current = null;
    setNotice(t(created ? 'planedit.notice.added' : 'planedit.notice.saved', { item: itemLabel(saved.kind || (editing && editing.kind)) }));
    focusNext.current = `#plan-item-${saved.id}`;
    await reloadPlan();
  };
  const onStaleReload = async () => {
    await reloadPlan();
    setFormKey((k) => k + 1);
  };

  const editProps = {
    childId: child.id,
    ctx,
    canWrite,
    editing,
    formKey,
    userLang,
    onAction,
    onSaved,
    onCancel: closeForm,
    onStaleReload,
  };

  return html`<section aria-labelledby="plan-title" class="plan-tab">
    <h2 id="plan-title">${t('plan.title')}</h2>
    <${PlanStatusPanel} child=${child} state=${plan.state} reviews=${reviews} />
    <${PrintControls} childId=${child.id} defaultLang=${child.preferred_language} idPrefix="plan-print" />
    ${stale && html`<${StaleNotice} onReload=${async () => {
      setStale(false);
      await reloadPlan();
    }} />`}
    <p role="status" class=${notice ? 'notice' : 'visually-hidden'}>${notice}</p>
    ${!canWrite && html`<p class="hint">${t('planedit.read_only')}</p>`}
    ${sections.map((desc) => {
      const items = topItems(desc, ctx);
      const sid = `plan-sec-${desc.kind}`;
      const room = items.length < (desc.max_items || Infinity);
      const adding = editing && editing.mode === 'add' && editing.kind === desc.kind && !editing.parent;
      return html`<section class="plan-section" key=${desc.kind} aria-labelledby=${sid}>
        <h3 id=${sid} tabindex="-1">${kindLabel(desc.kind)} <span class="count">(${fmtNumber(items.length)})</span></h3>
        ${items.length === 0 && html`<p class="muted">${t('plan.none')}</p>`}
        ${items.length > 0 &&
        html`<ul class="plan-items">
          ${items.map((it) => html`<${StaffItem} key=${it.id} ...${editProps} desc=${desc} item=${it} level=${4} />`)}
        </ul>`}
        ${canWrite &&
        adding &&
        html`<${ItemForm}
          key=${`add-${desc.kind}-${formKey}`}
          childId=${child.id}
          desc=${desc}
          item=${null}
          ctx=${ctx}
          userLang=${userLang}
          onSaved=${onSaved}
          onCancel=${closeForm}
          onStaleReload=${onStaleReload}
        />`}
        ${canWrite &&
        !editing &&
        room &&
        html`<div class="section-actions">
          <button type="button" onClick=${() => onAction('add', desc, null)}>
            ${desc.max_items === 1 ? t('planedit.add_one', { item: itemLabel(desc.kind) }) : t('planedit.add', { item: inSentence(itemLabel(desc.kind)) })}
          </button>
          ${desc.kind === 'action_plan' &&
          html`<button
            type="button"
            onClick=${() => {
              trigger.current = document.activeElement;
              setNotice('');
              setTplOpen(true);
            }}
          >
            ${t('planedit.template.open')}
          </button>`}
        </div>`}
      </section>`;
    })}
    <${TemplateDialog}
      childId=${child.id}
      uiLang=${userLang}
      open=${tplOpen}
      onClose=${() => {
        setTplOpen(false);
        const back = trigger.current;
        trigger.current = null;
        if (back && back.isConnected) back.focus();
      }}
      onCreated=${async (item) => {
        setTplOpen(false);
        trigger.current = null;
        setNotice(t('planedit.template.added'));
        await reloadPlan();
        // Straight into editing: a starter plan is a draft for this child, not the plan.
        setEditing({ mode: 'edit', kind: item.kind || 'action_plan', id: item.id, parent: null });
      }}
    />
    ${removing &&
    html`<${RemoveDialog}
      childId=${child.id}
      desc=${removing.desc}
      item=${removing.item}
      ctx=${ctx}
      onClose=${() => {
        setRemoving(null);
        const back = trigger.current;
        trigger.current = null;
        if (back && back.isConnected) back.focus();
      }}
      onStale=${async () => {
        setRemoving(null);
        setStale(true);
      }}
      onRemoved=${async () => {
        const { desc: rd, item: ri } = removing;
        const pf = parentField(rd);
        setRemoving(null);
        trigger.current = null;
        setNotice(t('planedit.notice.removed', { item: itemLabel(rd.kind) }));
        focusNext.current = pf ? `#plan-item-${ri[pf.name]}` : `#plan-sec-${rd.kind}`;
        await reloadPlan();
      }}
    />`}
  </section>`;
}
