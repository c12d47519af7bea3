// The child record: a header that stays on every tab (name, age, record
// number, tier, language, the "About me" summary and allergies from the shared
// plan of care, the lead coordinator and backup), tabs for the summary, the
// shared plan of care, its versions, care team, family and access history, and
// the edit form for the child's details. A child the user may not see is a 404
// exactly like one that does not exist; clinicians are then offered emergency
// (break-glass) access.
import { useEffect, useState } from 'preact/hooks';
import { api, isClinician, isProgramWide, user as currentUser } from '../api.js';
import { fmtAge, fmtDate, lang, t, tOr } from '../i18n.js';
import { link, route as currentRoute } from '../router.js';
import { ErrorSummary, Field, Page, Spinner, StaleNotice, html } from '../ui.js';
import { AccessTab } from './access.js';
import { BreakGlassDialog } from './breakglass.js';
import { FamilyTab, LanguageSelect, fieldError, languageName, orNull } from './familymembers.js';
import { NotTranslated, StatusBadge, textFor, valueLabel } from './plan.js';
import { PlanTab } from './planedit.js';
import { VersionsTab } from './planversions.js';
import { TeamTab } from './team.js';

// [name, address suffix, label key]
const TABS = [
  ['summary', '', 'child.tabs.summary'],
  ['plan', '/plan', 'planedit.tab.plan'],
  ['versions', '/versions', 'planedit.tab.versions'],
  ['team', '/team', 'child.tabs.team'],
  ['family', '/family', 'child.tabs.family'],
  ['access', '/access', 'child.tabs.access'],
];

/**
 * The child's legal name with the preferred name after it: "Rowan Cloverthimble
 * (Ro)". The API's `name` already puts the preferred name first, which would
 * hide the legal name the record is about.
 */
function displayName(c) {
  const legal = `${c.given_name} ${c.family_name}`;
  return c.preferred_name ? t('child.name_with_preferred', { name: legal, preferred: c.preferred_name }) : legal;
}

/** Whether the access history tab is shown: the server's rule, so a hidden tab is never a lie. */
function maySeeAccess(u, team) {
  if (!u) return false;
  if (isProgramWide(u)) return true;
  return (team || []).some((m) => m.user_id === u.id && (m.lead === 'lead' || m.lead === 'backup'));
}

/** Whether u may change the shared plan of care: staff but analysts (families and analysts read). */
function mayWritePlan(u) {
  return !!u && u.role !== 'family' && u.role !== 'analyst';
}

/**
 * The "About me" summary and the allergies from the working plan, in the reader's language (the
 * translation a person wrote, or the original marked "Not translated yet"), with the plan's status.
 */
function PlanSummary({ plan }) {
  const reader = lang();
  const els = plan && plan.doc && plan.doc.elements ? plan.doc.elements : null;
  const summary = els && els.summary && els.summary[0];
  const s = summary ? textFor(summary, 'text', reader) : null;
  const allergies = (els && els.allergy) || [];
  let about;
  let allergyList;
  if (!plan) {
    about = allergyList = html`<span class="muted">${t('common.loading')}</span>`;
  } else if (plan.error) {
    about = allergyList = html`<em class="placeholder">${t('planedit.header.unavailable')}</em>`;
  } else {
    about = s
      ? html`<span class="plan-text" lang=${s.lang}>${s.text}</span>${s.missing && html` <${NotTranslated} />`}`
      : html`<em class="placeholder">${t('child.plan.about_empty')}</em>`;
    allergyList = allergies.length
      ? html`<ul class="allergy-list">
          ${allergies.map((a) => {
            const sub = textFor(a, 'substance', reader);
            const severe = a.severity === 'severe' || a.severity === 'life_threatening';
            return html`<li key=${a.id} class=${severe ? 'allergy-severe' : ''}>
              ${severe && html`<span aria-hidden="true">⚠ </span>`}
              ${sub && html`<span lang=${sub.lang}>${sub.text}</span>`}
              ${a.severity && html` (${valueLabel('allergy', 'severity', a.severity)})`}
              ${sub && sub.missing && html` <${NotTranslated} />`}
            </li>`;
          })}
        </ul>`
      : html`<em class="placeholder">${t('child.plan.allergies_empty')}</em>`;
  }
  return html`<div class="notice plan-summary" role="group" aria-labelledby="plan-label">
    <p class="hint" id="plan-label">
      ${t('planedit.header.label')}
      ${plan && plan.state && html` <${StatusBadge} status=${plan.state.status} />`}
    </p>
    <dl class="facts form-grid">
      <div>
        <dt><strong>${t('child.plan.about')}</strong></dt>
        <dd>${about}</dd>
      </div>
      <div>
        <dt><strong>${t('child.plan.allergies')}</strong></dt>
        <dd>${allergyList}</dd>
      </div>
    </dl>
  </div>`;
}

function Header({ child, team, plan }) {
  const lead = (team || []).find((m) => m.lead === 'lead');
  const backup = (team || []).find((m) => m.lead === 'backup');
  return html`<div class="child-header">
    <dl class="facts form-grid">
      <div><dt class="hint">${t('child.age')}</dt><dd>${fmtAge(child.birth_date)}</dd></div>
      <div><dt class="hint">${t('child.record_number')}</dt><dd>${child.record_number}</dd></div>
      <div>
        <dt class="hint">${t('child.tier')}</dt>
        <dd>${child.tier ? t('common.tier', { tier: child.tier }) : t('child.not_set')}</dd>
      </div>
      <div><dt class="hint">${t('child.preferred_language')}</dt><dd>${languageName(child.preferred_language)}</dd></div>
      <div>
        <dt class="hint">${t('common.lead')}</dt>
        <dd>${lead ? lead.name : html`<strong>${t('child.no_lead')}</strong>`}</dd>
      </div>
      <div><dt class="hint">${t('common.backup')}</dt><dd>${backup ? backup.name : t('child.no_backup')}</dd></div>
    </dl>
    <${PlanSummary} plan=${plan} />
  </div>`;
}

/**
 * The tabs are links (each tab has its own address); the current one has
 * aria-current and a filled look, so it does not rely on colour alone.
 */
function Tabs({ id, tab, showAccess }) {
  return html`<nav class="tabs pager" aria-label=${t('child.tabs.label')}>
    ${TABS.filter(([name]) => name !== 'access' || showAccess).map(
      ([name, suffix, label]) => html`<a
        class=${tab === name ? 'button button-primary' : 'button'}
        href=${link(`/children/${id}${suffix}`)}
        aria-current=${tab === name ? 'page' : undefined}
      >
        ${t(label)}
      </a>`,
    )}
  </nav>`;
}

const DETAIL_FIELDS = ['tier', 'preferred_name', 'preferred_language', 'enrolled_on', 'disenrolled_on'];

function formFrom(c) {
  return {
    tier: c.tier ? String(c.tier) : '',
    preferred_name: c.preferred_name || '',
    preferred_language: c.preferred_language || '',
    enrolled_on: c.enrolled_on || '',
    disenrolled_on: c.disenrolled_on || '',
  };
}

/**
 * The edit form for the child's details: PATCH with If-Match = the version
 * read. Only what changed is sent. 412 shows the stale notice (Reload re-reads
 * and starts the form again from the new record); 401 leaves the form as typed
 * while the shell asks to sign in again.
 */
function DetailsForm({ child, onSaved, onCancel, onReload }) {
  const [f, setF] = useState(formFrom(child));
  const [err, setErr] = useState(null);
  const [stale, setStale] = useState(false);
  const [busy, setBusy] = useState(false);
  const set = (k) => (e) => setF({ ...f, [k]: e.currentTarget.value });

  const submit = async (e) => {
    e.preventDefault();
    setErr(null);
    setStale(false);
    const next = {
      tier: f.tier ? Number(f.tier) : null,
      preferred_name: orNull(f.preferred_name),
      preferred_language: orNull(f.preferred_language),
      enrolled_on: orNull(f.enrolled_on),
      disenrolled_on: orNull(f.disenrolled_on),
    };
    const body = {};
    for (const k of DETAIL_FIELDS) {
      const before = child[k] === undefined || child[k] === '' || child[k] === 0 ? null : child[k];
      if (next[k] !== before) body[k] = next[k];
    }
    if (Object.keys(body).length === 0) {
      onCancel();
      return;
    }
    setBusy(true);
    const r = await api('PATCH', `/api/children/${child.id}`, { body, ifMatch: child.version });
    setBusy(false);
    if (r.ok) onSaved(r.data);
    else if (r.status === 412) setStale(true);
    else if (r.status !== 401) setErr(r.error);
  };

  return html`<form class="form card" onSubmit=${submit} aria-labelledby="details-edit-title" novalidate>
    <h3 id="details-edit-title">${t('child.details.edit_title')}</h3>
    ${stale && html`<${StaleNotice} onReload=${onReload} />`}
    <${ErrorSummary} error=${err} fields=${DETAIL_FIELDS} />
    <div class="form-grid">
      <${Field} id="child-tier" label=${t('child.tier')} hint=${t('child.tier_hint')} error=${fieldError(err, 'tier')}>
        <select value=${f.tier} onChange=${set('tier')}>
          <option value="">${t('child.not_set')}</option>
          ${[1, 2, 3].map((n) => html`<option value=${String(n)}>${t('common.tier', { tier: n })}</option>`)}
        </select>
      <//>
      <${Field} id="child-preferred-name" label=${t('child.preferred_name')} error=${fieldError(err, 'preferred_name')}>
        <input type="text" autocomplete="off" value=${f.preferred_name} onInput=${set('preferred_name')} />
      <//>
      <${Field} id="child-language" label=${t('child.preferred_language')} error=${fieldError(err, 'preferred_language')}>
        <${LanguageSelect} value=${f.preferred_language} required=${true} onChange=${(v) => setF({ ...f, preferred_language: v })} />
      <//>
      <${Field} id="child-enrolled" label=${t('child.enrolled_on')} error=${fieldError(err, 'enrolled_on')}>
        <input type="date" value=${f.enrolled_on} onInput=${set('enrolled_on')} />
      <//>
      <${Field} id="child-disenrolled" label=${t('child.disenrolled_on')} error=${fieldError(err, 'disenrolled_on')}>
        <input type="date" value=${f.disenrolled_on} onInput=${set('disenrolled_on')} />
      <//>
    </div>
    <div class="form-actions">
      <button type="submit" disabled=${busy}>${busy ? t('common.saving') : t('common.save')}</button>
      <button type="button" class="button-quiet" onClick=${onCancel}>${t('common.cancel')}</button>
    </div>
  </form>`;
}

/** The Summary tab: the child's details, and the edit form for staff. */
function SummaryTab({ child, canEdit, onChildChange, reload }) {
  const [editing, setEditing] = useState(false);
  const [formKey, setFormKey] = useState(0);
  const [saved, setSaved] = useState(false);
  const row = (label, value) => html`<div><dt class="hint">${label}</dt><dd>${value}</dd></div>`;
  return html`<section aria-labelledby="details-title">
    <h2 id="details-title">${t('child.details.title')}</h2>
    ${saved && !editing && html`<p role="status" class="notice">${t('child.details.saved')}</p>`}
    <dl class="facts form-grid">
      ${row(t('child.given_name'), child.given_name)}
      ${row(t('child.family_name'), child.family_name)}
      ${row(t('child.preferred_name'), child.preferred_name || '—')}
      ${row(t('child.birth_date'), fmtDate(child.birth_date))}
      ${row(t('child.sex'), tOr(`common.sex.${child.sex}`, child.sex || '—'))}
      ${row(t('child.tier'), child.tier ? t('common.tier', { tier: child.tier }) : t('child.not_set'))}
      ${row(t('child.preferred_language'), languageName(child.preferred_language))}
      ${row(t('child.enrolled_on'), fmtDate(child.enrolled_on))}
      ${row(t('child.disenrolled_on'), fmtDate(child.disenrolled_on))}
      ${row(t('child.plan_updated_at'), child.plan_updated_at ? fmtDate(child.plan_updated_at) : t('common.never'))}
    </dl>
    ${canEdit &&
    !editing &&
    html`<p>
      <button
        type="button"
        onClick=${() => {
          setSaved(false);
          setEditing(true);
        }}
      >
        ${t('child.details.edit')}
      </button>
    </p>`}
    ${canEdit &&
    editing &&
    html`<${DetailsForm}
      key=${formKey}
      child=${child}
      onCancel=${() => setEditing(false)}
      onSaved=${(c) => {
        onChildChange(c);
        setEditing(false);
        setSaved(true);
      }}
      onReload=${async () => {
        await reload();
        setFormKey((k) => k + 1);
      }}
    />`}
  </section>`;
}

/**
 * The "not on your care teams" page for a 404. Clinicians may ask for
 * emergency access; on a grant the record loads.
 */
function NotReached({ id, onGranted }) {
  const [open, setOpen] = useState(false);
  const u = currentUser();
  return html`<${Page} title=${t('child.notfound.title')}>
    <p>${t('child.notfound.text')}</p>
    ${isClinician(u) &&
    html`<p>
        <button type="button" onClick=${() => setOpen(true)}>${t('child.bg.open')}</button>
      </p>
      <${BreakGlassDialog}
        childId=${id}
        open=${open}
        onClose=${() => setOpen(false)}
        onGranted=${() => {
          setOpen(false);
          onGranted();
        }}
      />`}
    <p><a href=${link('/')}>${t('child.back_to_list')}</a></p>
  <//>`;
}

/**
 * ChildScreen({id, tab}): the child record. Loads GET /api/children/:id and the
 * active care team (the header needs the lead and backup, and the access tab
 * rule needs to know who they are).
 */
export function ChildScreen({ id, tab }) {
  const [child, setChild] = useState(null);
  const [team, setTeam] = useState(null);
  const [state, setState] = useState({ status: 'loading', error: null });
  // The working plan: {doc, state, error}; the header and the plan tabs share one read.
  const [plan, setPlan] = useState(null);

  const loadPlan = async () => {
    const r = await api('GET', `/api/children/${id}/plan`);
    setPlan(r.ok ? { doc: r.data.document, state: r.data.state, error: null } : { doc: null, state: null, error: r.error });
  };

  const load = async () => {
    const r = await api('GET', `/api/children/${id}`);
    if (r.status === 404) {
      setState({ status: 'notfound', error: null });
      return;
    }
    if (!r.ok) {
      setState({ status: 'error', error: r.error });
      return;
    }
    const [tr] = await Promise.all([api('GET', `/api/children/${id}/team`), loadPlan()]);
    setChild(r.data);
    setTeam(tr.ok ? tr.data.items : []);
    setState({ status: 'ok', error: tr.ok ? null : tr.error });
  };
  useEffect(() => {
    setState({ status: 'loading', error: null });
    load();
  }, [id]);

  if (state.status === 'loading') return html`<${Spinner} />`;
  if (state.status === 'notfound') return html`<${NotReached} id=${id} onGranted=${load} />`;
  if (state.status === 'error') {
    return html`<${Page} title=${t('child.error.title')}>
      <${ErrorSummary} error=${state.error} />
      <p><button type="button" onClick=${load}>${t('child.try_again')}</button></p>
    <//>`;
  }

  const u = currentUser();
  const canEdit = !!u && u.role !== 'family';
  const showAccess = maySeeAccess(u, team);
  let body;
  if (tab === 'plan') {
    body = html`<${PlanTab} child=${child} plan=${plan} reloadPlan=${loadPlan} canWrite=${mayWritePlan(u)} userLang=${lang()} />`;
  } else if (tab === 'versions') {
    body = html`<${VersionsTab}
      child=${child}
      plan=${plan}
      reloadPlan=${loadPlan}
      canWrite=${mayWritePlan(u)}
      version=${currentRoute().params.version || null}
      userLang=${lang()}
    />`;
  } else if (tab === 'team') {
    body = html`<${TeamTab}
      child=${child}
      team=${team}
      canEdit=${canEdit}
      isAdmin=${!!u && u.role === 'administrator'}
      reload=${load}
      onChildChange=${setChild}
    />`;
  } else if (tab === 'family') {
    body = html`<${FamilyTab} childId=${child.id} canEdit=${canEdit} />`;
  } else if (tab === 'access') {
    body = html`<${AccessTab} childId=${child.id} />`;
  } else {
    body = html`<${SummaryTab} child=${child} canEdit=${canEdit} onChildChange=${setChild} reload=${load} />`;
  }

  return html`<${Page} title=${displayName(child)} class="child-record">
    ${child.access === 'break_glass' &&
    html`<div class="notice notice-warning banner-break-glass" role="alert">
      <p><strong>${t('child.bg.banner')}</strong></p>
    </div>`}
    <${Header} child=${child} team=${team} plan=${plan} />
    ${state.error && html`<${ErrorSummary} error=${state.error} />`}
    <${Tabs} id=${child.id} tab=${tab} showAccess=${showAccess} />
    <div class="tab-panel">${body}</div>
  <//>`;
}
