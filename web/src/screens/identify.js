// "Find children": the identification runs an analyst loaded with `caremap identify --load`, the
// children each run found grouped by coordination tier (or, for a run without tiers, by how
// complex their conditions are), enrolment in one click, and what changed since an earlier run.
// For administrators, program managers and analysts (the shell hides it from everyone else, and
// the API answers 403 anyway). Member ids are shown because the claims know the child by nothing
// else; they never go into a URL: the enrol route takes the candidate's id.
import { useEffect, useRef, useState } from 'preact/hooks';
import { html } from 'htm/preact';
import { api, isProgramWide, user as currentUser } from '../api.js';
import { fmtDate, fmtDateTime, fmtNumber, t, tn, tOr } from '../i18n.js';
import { link } from '../router.js';
import { ErrorSummary, Field, Page, Spinner, fieldError } from '../ui.js';

const RUNS_PAGE = 50;
const GROUP_PAGE = 20;
const COMPARE_PAGE = 50;
const TIERS = [3, 2, 1];
const CLASSES = ['complex_chronic', 'non_complex_chronic'];
const ENC_TYPES = ['admission', 'ed', 'observation', 'specialty', 'primary_care', 'home_health', 'other'];
const SHOW = ['not_enrolled', 'enrolled', 'all'];
const SHOW_QUERY = { not_enrolled: '0', enrolled: '1', all: 'all' };
const ENROL_FIELDS = ['given_name', 'family_name', 'birth_date'];
const CATEGORIES = ['new', 'changed', 'dropped'];

/** The method's plain name ("ccc2.1" is catalog key ...algorithm.ccc2_1), or the name itself. */
function methodName(alg) {
  return tOr(`panel.identify.algorithm.${String(alg).replace(/[^a-z0-9]/gi, '_')}`, alg);
}

/** The file's own name: runs record the path as given, which may be long and says little more. */
function baseName(p) {
  return String(p || '').split('/').pop() || '—';
}

/** "Search of <date and time>": two runs loaded the same day are told apart by the time. */
function runTitle(run) {
  return t('panel.identify.run.title', { date: fmtDateTime(run.created_at) });
}

function tierName(tier) {
  if (tier === null || tier === undefined) return '—';
  return tier >= 1 && tier <= 3 ? t(`panel.identify.tier.${tier}`) : t('panel.identify.tier.none');
}

function className(cls) {
  return tOr(`panel.identify.class.${cls}`, cls || '—');
}

// The embedded default tier rules (data/stratify/tiers.json), whose reasons the catalogs translate.
const DEFAULT_TIERS = 'stratify/tiers.json';

/**
 * The rule's reason in the reader's language. The default rules' reasons have catalog entries (by
 * rule id); a program's own rules file says it in its own words, shown as written, since the same
 * rule id there may mean something else.
 */
function reasonText(run, c) {
  if (!c.tier_reason) return null;
  if (run.tiers_name !== DEFAULT_TIERS) return c.tier_reason;
  return tOr(`panel.identify.rule.${String(c.tier_rule || '').replace(/[^a-z0-9]/gi, '_')}`, c.tier_reason);
}

/** Conditions in plain words, then the flags that matter to a coordinator. */
function conditionList(c) {
  const out = (c.condition_names || []).map((n) => tOr(`panel.identify.condition.${n}`, n));
  if (c.tech_dep) out.push(t('panel.identify.flag.tech_dep'));
  if (c.transplant) out.push(t('panel.identify.flag.transplant'));
  if (c.progressive) out.push(t('panel.identify.flag.progressive'));
  // CCC counts malignancy as a category already; only PMCA's flag would be new information.
  if (c.malignancy && !(c.condition_names || []).includes('malignancy')) out.push(t('panel.identify.flag.malignancy'));
  return out;
}

function encounterText(enc) {
  if (!enc) return null;
  const parts = ENC_TYPES.filter((k) => enc[k] > 0).map((k) => tn(`panel.identify.enc.${k}`, enc[k]));
  return parts.length ? parts.join(', ') : t('panel.identify.enc.none');
}

// ---- enrolment ---------------------------------------------------------------------------------

function EnrolForm({ run, c, onDone, onCancel }) {
  const [form, setForm] = useState({ given_name: '', family_name: '', birth_date: '' });
  const [error, setError] = useState(null);
  const [busy, setBusy] = useState(false);
  const first = useRef(null);
  const titleId = `enrol-title-${c.id}`;

  useEffect(() => {
    if (first.current) first.current.focus();
  }, []);

  const set = (k) => (e) => setForm(Object.assign({}, form, { [k]: e.currentTarget.value }));

  const submit = async (e) => {
    e.preventDefault();
    const body = { given_name: form.given_name.trim(), family_name: form.family_name.trim(), birth_date: form.birth_date };
    // Checked here first so the message is in the reader's language and next to the field.
    const missing = ENROL_FIELDS.find((k) => !body[k]);
    if (missing) {
      setError({ code: 'invalid', field: missing, message: t('panel.identify.error.required') });
      const el = document.getElementById(`enrol-${c.id}-${missing}`);
      if (el) el.focus();
      return;
    }
    setBusy(true);
    const r = await api('POST', `/api/identify/runs/${run.id}/candidates/${c.id}/enrol`, { body });
    setBusy(false);
    if (r.ok) {
      onDone(r.data);
      return;
    }
    if (r.status === 409 && r.error.field === 'patient_id') {
      setError({ code: 'conflict', field: '', message: t('panel.identify.error.already') });
    } else if (r.status === 409 && r.error.field === 'record_number') {
      setError({ code: 'conflict', field: '', message: t('panel.identify.error.record_number', { id: c.patient_id }) });
    } else {
      setError(r.error);
    }
  };

  const fe = (k) => fieldError(error, k);
  const id = (k) => `enrol-${c.id}-${k}`;
  return html`<form class="enrol-form" onSubmit=${submit} noValidate aria-labelledby=${titleId}>
    <h5 id=${titleId} class="form-title">${t('panel.identify.form.title', { id: c.patient_id })}</h5>
    <p class="hint">${t('panel.identify.form.hint')}</p>
    <${ErrorSummary} error=${error} fields=${ENROL_FIELDS} />
    <div class="form-grid enrol-grid">
      <${Field} id=${id('given_name')} label=${t('panel.identify.form.given_name')} error=${fe('given_name')}>
        <input type="text" ref=${first} value=${form.given_name} onInput=${set('given_name')} maxLength="100" autocomplete="off" required />
      <//>
      <${Field} id=${id('family_name')} label=${t('panel.identify.form.family_name')} error=${fe('family_name')}>
        <input type="text" value=${form.family_name} onInput=${set('family_name')} maxLength="100" autocomplete="off" required />
      <//>
      <${Field} id=${id('birth_date')} label=${t('panel.identify.form.birth_date')} error=${fe('birth_date')}>
        <input type="date" value=${form.birth_date} onInput=${set('birth_date')} required />
      <//>
    </div>
    <div class="form-actions">
      <button type="submit" class="button-primary" disabled=${busy}>
        ${busy ? t('panel.identify.form.busy') : t('panel.identify.form.submit')}
      </button>
      <button type="button" class="button-quiet" onClick=${onCancel} disabled=${busy}>${t('common.cancel')}</button>
    </div>
  </form>`;
}

/**
 * Where an enrolled candidate's child is: a link when the reader reaches the child. Administrators
 * and program managers reach every child of the program; an analyst who enrols does not join the
 * care team (docs/api.md), so the enrol answer's access is null and there is no link to follow.
 */
function EnrolledLine({ c, child, focusRef }) {
  const reached = child ? !!child.access : !!c.child_id && isProgramWide(currentUser());
  const childId = child ? child.id : c.child_id;
  const name = child ? [child.given_name, child.family_name].filter(Boolean).join(' ') : '';
  return html`<p class="enrolled-line" tabindex="-1" ref=${focusRef}>
    <span class="badge badge-lead">${t('panel.identify.enrolled')}</span>
    ${reached && childId
      ? html` <a href=${link(`/children/${childId}`)}>${name ? t('panel.identify.open_named', { name }) : t('panel.identify.open_child')}</a>`
      : html` <span>${t('panel.identify.enrolled_no_access')}</span>`}
  </p>`;
}

function Candidate({ run, c, onEnrolled }) {
  const [open, setOpen] = useState(false);
  const [child, setChild] = useState(null);
  const enrolButton = useRef(null);
  const enrolledRef = useRef(null);
  const focusAfter = useRef(null);
  const enrolled = c.enrolled || !!child;

  useEffect(() => {
    // Focus follows the change: to the form's first field (EnrolForm), back to the button after
    // cancel, to the "Enrolled" line after enrolment, so a keyboard user is never dropped.
    const target = focusAfter.current === 'button' ? enrolButton.current : focusAfter.current === 'enrolled' ? enrolledRef.current : null;
    focusAfter.current = null;
    if (target) target.focus();
  });

  const reason = reasonText(run, c);
  const conds = conditionList(c);
  const enc = run.stratified ? encounterText(c.encounters) : null;
  const titleId = `cand-${c.id}-title`;
  return html`<li class="candidate" id=${`cand-${c.id}`} aria-labelledby=${titleId}>
    <h4 class="candidate-title" id=${titleId}>${t('panel.identify.member', { id: c.patient_id })}</h4>
    <dl class="candidate-facts">
      ${reason && html`<div><dt>${t('panel.identify.reason')}</dt><dd>${reason}</dd></div>`}
      ${!run.stratified && html`<div><dt>${t('panel.identify.class')}</dt><dd>${className(c.class)}</dd></div>`}
      <div>
        <dt>${t('panel.identify.conditions')}</dt>
        <dd>${conds.length ? conds.join(', ') : t('panel.identify.conditions_none')}</dd>
      </div>
      ${enc && html`<div><dt>${t('panel.identify.visits', { date: fmtDate(run.as_of) })}</dt><dd>${enc}</dd></div>`}
    </dl>
    ${enrolled
      ? html`<${EnrolledLine} c=${c} child=${child} focusRef=${enrolledRef} />`
      : open
        ? html`<${EnrolForm}
            run=${run}
            c=${c}
            onCancel=${() => {
              focusAfter.current = 'button';
              setOpen(false);
            }}
            onDone=${(ch) => {
              focusAfter.current = 'enrolled';
              setOpen(false);
              setChild(ch);
              onEnrolled(c, ch);
            }}
          />`
        : html`<div class="item-actions">
            <button type="button" class="button-primary" ref=${enrolButton} onClick=${() => setOpen(true)}>
              ${t('panel.identify.enrol')}<span class="visually-hidden"> ${c.patient_id}</span>
            </button>
          </div>`}
  </li>`;
}

// ---- one tier (or class) of a run's candidates ----------------------------------------------------

function Group({ run, group, show, onEnrolled }) {
  const [items, setItems] = useState([]);
  const [total, setTotal] = useState(null);
  const [error, setError] = useState(null);
  const [loading, setLoading] = useState(true);
  // Enrolled here since the last load: they have left the "not yet enrolled" list on the server,
  // so the next page starts that many rows earlier.
  const [left, setLeft] = useState(0);
  const headingId = `group-${group.key}`;

  const load = async (offset) => {
    setLoading(true);
    const query = { enrolled: SHOW_QUERY[show], limit: GROUP_PAGE, offset };
    if (run.stratified) query.tier = group.tier;
    else query.class = group.cls;
    const r = await api('GET', `/api/identify/runs/${run.id}/candidates`, { query });
    setLoading(false);
    if (!r.ok) {
      setError(r.error);
      return;
    }
    setError(null);
    setTotal(r.data.total);
    setItems((prev) => (offset === 0 ? r.data.items : prev.concat(r.data.items)));
  };

  useEffect(() => {
    load(0);
  }, []);

  const enrolledHere = (c, child) => {
    if (show === 'not_enrolled') {
      setLeft((n) => n + 1);
      setTotal((n) => Math.max(0, n - 1));
    }
    onEnrolled(c, child);
  };

  const shownCount = items.length - left;
  const more = total !== null && shownCount < total;
  return html`<section class="candidate-group" aria-labelledby=${headingId}>
    <h3 id=${headingId}>
      ${group.title}
      ${total !== null && html` <span class="count">(${fmtNumber(total)})</span>`}
    </h3>
    <${ErrorSummary} error=${error} />
    ${loading && items.length === 0 && html`<${Spinner} />`}
    ${!loading && total === 0 && html`<p class="muted">${t(`panel.identify.empty.${show}`)}</p>`}
    ${items.length > 0 &&
    html`<ul class="candidates">
      ${items.map((c) => html`<${Candidate} key=${c.id} run=${run} c=${c} onEnrolled=${enrolledHere} />`)}
    </ul>`}
    ${more &&
    html`<div class="pager">
      <button type="button" disabled=${loading} onClick=${() => load(items.length - left)}>
        ${t('panel.identify.more')}<span class="visually-hidden"> (${group.title})</span>
      </button>
      <span class="hint">${t('panel.identify.shown', { shown: fmtNumber(items.length), total: fmtNumber(total + left) })}</span>
    </div>`}
  </section>`;
}

// ---- comparing two runs ----------------------------------------------------------------------------

function Side({ s, stratified }) {
  if (!s) return html`<span class="muted">${t('panel.identify.compare.absent')}</span>`;
  return stratified && s.tier !== null && s.tier !== undefined ? tierName(s.tier) : className(s.class);
}

function Compare({ run, runs }) {
  const others = runs.filter((r) => r.id !== run.id);
  const [withId, setWithId] = useState('');
  const [category, setCategory] = useState('new');
  const [result, setResult] = useState(null);
  const [error, setError] = useState(null);
  const [loading, setLoading] = useState(false);
  const seq = useRef(0);
  const other = others.find((r) => String(r.id) === withId) || null;

  const load = async (w, cat, offset) => {
    const mine = ++seq.current;
    setLoading(true);
    const r = await api('GET', `/api/identify/runs/${run.id}/compare`, {
      query: { with: w, category: cat, limit: COMPARE_PAGE, offset },
    });
    if (mine !== seq.current) return;
    setLoading(false);
    if (!r.ok) {
      setError(r.error);
      return;
    }
    setError(null);
    setResult((prev) => (offset === 0 || !prev ? r.data : Object.assign({}, r.data, { items: prev.items.concat(r.data.items) })));
  };

  useEffect(() => {
    if (!withId) {
      setResult(null);
      return;
    }
    load(withId, category, 0);
  }, [withId, category]);

  if (others.length === 0) {
    return html`<section class="compare" aria-labelledby="compare-title">
      <h2 id="compare-title">${t('panel.identify.compare.title')}</h2>
      <p class="muted">${t('panel.identify.compare.no_other')}</p>
    </section>`;
  }

  // Both runs with tiers: a change is a change of tier; otherwise of class (as the API compares).
  const byTier = run.stratified && other && other.stratified;
  const since = other ? fmtDateTime(other.created_at) : '';
  const label = (cat) =>
    cat === 'new'
      ? t('panel.identify.compare.new', { date: since })
      : cat === 'changed'
        ? t(byTier ? 'panel.identify.compare.changed' : 'panel.identify.compare.changed_class')
        : t('panel.identify.compare.dropped');
  const counts = result ? result.counts : null;
  const items = result ? result.items : [];
  return html`<section class="compare" aria-labelledby="compare-title">
    <h2 id="compare-title">${t('panel.identify.compare.title')}</h2>
    <div class="filters">
      <${Field} id="compare-with" label=${t('panel.identify.compare.label')}>
        <select value=${withId} onChange=${(e) => setWithId(e.currentTarget.value)}>
          <option value="">${t('panel.identify.compare.choose')}</option>
          ${others.map(
            (r) =>
              html`<option value=${String(r.id)}>
                ${t('panel.identify.compare.option', { date: fmtDateTime(r.created_at), file: baseName(r.input_name) })}
              </option>`,
          )}
        </select>
      <//>
    </div>
    <${ErrorSummary} error=${error} />
    ${withId &&
    html`<div class="compare-buttons" role="group" aria-label=${t('panel.identify.compare.groups')}>
      ${CATEGORIES.map(
        (cat) =>
          html`<button type="button" class="compare-category" data-category=${cat} aria-pressed=${category === cat ? 'true' : 'false'} onClick=${() => setCategory(cat)}>
            <span>${label(cat)}</span>
            <span class="count">${counts ? fmtNumber(counts[cat]) : '…'}</span>
          </button>`,
      )}
    </div>`}
    ${withId && html`<p role="status" class="result-count">${loading ? t('common.loading') : result ? tn('panel.identify.children', result.total) : ''}</p>`}
    ${result &&
    items.length > 0 &&
    html`<div class="table-wrap" tabindex="0" role="region" aria-label=${label(category)}>
      <table class="compare-table">
        <caption class="visually-hidden">${label(category)}</caption>
        <thead>
          <tr>
            <th scope="col">${t('panel.identify.col.member')}</th>
            <th scope="col">${t('panel.identify.compare.before')}</th>
            <th scope="col">${t('panel.identify.compare.after')}</th>
            <th scope="col">${t('panel.identify.col.status')}</th>
          </tr>
        </thead>
        <tbody>
          ${items.map(
            (it) => html`<tr key=${it.patient_id}>
              <th scope="row">${it.patient_id}</th>
              <td><${Side} s=${it.before} stratified=${other && other.stratified} /></td>
              <td><${Side} s=${it.after} stratified=${run.stratified} /></td>
              <td>
                ${it.enrolled
                  ? html`<span class="badge badge-lead">${t('panel.identify.enrolled')}</span>`
                  : html`<span class="muted">${t('panel.identify.not_enrolled')}</span>`}
              </td>
            </tr>`,
          )}
        </tbody>
      </table>
    </div>`}
    ${result &&
    items.length < result.total &&
    html`<div class="pager">
      <button type="button" disabled=${loading} onClick=${() => load(withId, category, items.length)}>${t('panel.identify.more')}</button>
    </div>`}
  </section>`;
}

// ---- one run ------------------------------------------------------------------------------------

function RunDetail({ run, runs, onEnrolled }) {
  const [show, setShow] = useState('not_enrolled');
  const groups = run.stratified
    ? TIERS.map((tier) => ({ key: `t${tier}`, tier, title: tierName(tier) }))
    : CLASSES.map((cls) => ({ key: cls, cls, title: className(cls) }));

  return html`<section class="run-detail" aria-labelledby="run-title">
    <h2 id="run-title" tabindex="-1">${runTitle(run)}</h2>
    <dl class="facts run-facts">
      <div class="fact-wide"><dt>${t('panel.identify.fact.method')}</dt><dd>${methodName(run.algorithm)}</dd></div>
      <div><dt>${t('panel.identify.fact.by')}</dt><dd>${run.created_by ? run.created_by.name : '—'}</dd></div>
      <div class="fact-wide"><dt>${t('panel.identify.fact.claims')}</dt><dd>${run.input_name}</dd></div>
      ${run.stratified &&
      html`<div><dt>${t('panel.identify.fact.window')}</dt><dd>${fmtDate(run.as_of)}</dd></div>`}
      <div><dt>${t('panel.identify.fact.patients')}</dt><dd>${fmtNumber(run.patients)}</dd></div>
      <div><dt>${t('panel.identify.fact.found')}</dt><dd>${fmtNumber(run.candidates)}</dd></div>
      <div><dt>${t('panel.identify.fact.enrolled')}</dt><dd>${fmtNumber(run.enrolled)}</dd></div>
      <div><dt>${t('panel.identify.fact.not_enrolled')}</dt><dd>${fmtNumber(Math.max(0, run.candidates - run.enrolled))}</dd></div>
    </dl>
    ${!run.stratified && html`<p class="hint">${t('panel.identify.no_tiers')}</p>`}
    <div class="filters">
      <${Field} id="identify-show" label=${t('panel.identify.show.label')}>
        <select value=${show} onChange=${(e) => setShow(e.currentTarget.value)}>
          ${SHOW.map((s) => html`<option value=${s}>${t(`panel.identify.show.${s}`)}</option>`)}
        </select>
      <//>
    </div>
    ${groups.map((g) => html`<${Group} key=${`${run.id}-${show}-${g.key}`} run=${run} group=${g} show=${show} onEnrolled=${() => onEnrolled(run)} />`)}
    <${Compare} key=${run.id} run=${run} runs=${runs} />
  </section>`;
}

// ---- the screen ----------------------------------------------------------------------------------

function RunsTable({ runs, selected, onChoose }) {
  return html`<div class="table-wrap">
    <table class="runs-table">
      <caption class="visually-hidden">${t('panel.identify.runs.title')}</caption>
      <thead>
        <tr>
          <th scope="col">${t('panel.identify.col.date')}</th>
          <th scope="col">${t('panel.identify.col.by')}</th>
          <th scope="col">${t('panel.identify.col.method')}</th>
          <th scope="col">${t('panel.identify.col.found')}</th>
          <th scope="col">${t('panel.identify.col.not_enrolled')}</th>
          <th scope="col"><span class="visually-hidden">${t('panel.identify.col.actions')}</span></th>
        </tr>
      </thead>
      <tbody>
        ${runs.map((r) => {
          const current = selected && selected.id === r.id;
          return html`<tr key=${r.id} aria-current=${current ? 'true' : undefined} class=${current ? 'row-current' : ''}>
            <th scope="row">${fmtDateTime(r.created_at)}<div class="hint">${baseName(r.input_name)}</div></th>
            <td>${r.created_by ? r.created_by.name : '—'}</td>
            <td>${methodName(r.algorithm)}</td>
            <td>${fmtNumber(r.candidates)}</td>
            <td>${fmtNumber(Math.max(0, r.candidates - r.enrolled))}</td>
            <td>
              ${current
                ? html`<span class="badge badge-lead">${t('panel.identify.showing')}</span>`
                : html`<button type="button" class="button-small" onClick=${() => onChoose(r)}>
                    ${t('panel.identify.show_run')}<span class="visually-hidden"> ${runTitle(r)}</span>
                  </button>`}
            </td>
          </tr>`;
        })}
      </tbody>
    </table>
  </div>`;
}

/** The "Find children" screen; runId (optional) is the run to open first (#/identify/4). */
export function IdentifyScreen({ runId }) {
  const [runs, setRuns] = useState(null);
  const [total, setTotal] = useState(0);
  const [selectedId, setSelectedId] = useState(runId || null);
  const [error, setError] = useState(null);
  const [loading, setLoading] = useState(true);
  // A run asked for by address that is older than the runs listed: fetched on its own.
  const [extra, setExtra] = useState(null);
  const moveFocus = useRef(false);

  const loadRuns = async (offset) => {
    setLoading(true);
    const r = await api('GET', '/api/identify/runs', { query: { limit: RUNS_PAGE, offset } });
    setLoading(false);
    if (!r.ok) {
      setError(r.error);
      return;
    }
    setError(null);
    setTotal(r.data.total);
    setRuns((prev) => (offset === 0 || !prev ? r.data.items : prev.concat(r.data.items)));
  };

  useEffect(() => {
    loadRuns(0);
  }, []);

  useEffect(() => {
    if (!runs || !selectedId || runs.some((r) => r.id === selectedId)) return;
    api('GET', `/api/identify/runs/${selectedId}`).then((r) => setExtra(r.ok ? r.data : false));
  }, [runs, selectedId]);

  useEffect(() => {
    if (!moveFocus.current) return;
    moveFocus.current = false;
    const h = document.getElementById('run-title');
    if (h) h.focus();
  });

  const choose = (r) => {
    moveFocus.current = true;
    setSelectedId(r.id);
    // The address follows so a reload keeps the run, without a navigation that would move focus
    // back to the top of the page.
    if (typeof history !== 'undefined') history.replaceState(null, '', link(`/identify/${r.id}`));
  };

  // The counts in the table and the run's facts follow each enrolment made here.
  const bump = (r) => Object.assign({}, r, { enrolled: r.enrolled + 1 });
  const enrolled = (run) => {
    setRuns((prev) => prev.map((r) => (r.id === run.id ? bump(r) : r)));
    setExtra((x) => (x && x.id === run.id ? bump(x) : x));
  };

  const listed = runs || [];
  const list = extra && !listed.some((r) => r.id === extra.id) ? listed.concat([extra]) : listed;
  const selected = list.find((r) => r.id === selectedId) || (selectedId ? null : list[0] || null);
  const title = t('panel.identify.title');
  return html`<${Page} title=${title}>
    <p>${t('panel.identify.intro')}</p>
    <${ErrorSummary} error=${error} />
    <h2 id="runs-title">${t('panel.identify.runs.title')}</h2>
    ${loading && !runs && html`<${Spinner} />`}
    ${runs && runs.length === 0 && html`<p>${t('panel.identify.runs.empty')}</p>`}
    ${runs && runs.length > 0 && html`<${RunsTable} runs=${runs} selected=${selected} onChoose=${choose} />`}
    ${runs &&
    runs.length < total &&
    html`<div class="pager">
      <button type="button" disabled=${loading} onClick=${() => loadRuns(runs.length)}>${t('panel.identify.more_runs')}</button>
    </div>`}
    ${extra === false && html`<p class="notice notice-warning">${t('panel.identify.run_missing')}</p>`}
    ${selected && html`<${RunDetail} key=${selected.id} run=${selected} runs=${list} onEnrolled=${enrolled} />`}
  <//>`;
}
