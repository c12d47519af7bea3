// The panel: the children a coordinator works with ("My children"), or the whole
// program for program managers and administrators. One request per page: every
// column comes from GET /api/children, so the largest panel renders at once.
import { useEffect, useRef, useState } from 'preact/hooks';
import { html } from 'htm/preact';
import { api, isProgramWide } from '../api.js';
import { fmtAge, fmtDate, fmtNumber, t, tn } from '../i18n.js';
import { link } from '../router.js';
import { ErrorSummary, ErrorText, Field, Page, Spinner, fieldError } from '../ui.js';
import { StatusBadge } from './plan.js';

const PAGE_SIZE = 20;
const STALE_PLAN_DAYS = 183;
const DAY_MS = 24 * 60 * 60 * 1000;

// Kept between visits so coming back from a child record finds the same page.
let remembered = null;
// Lead coordinators seen on any page, for the lead filter (there is no staff
// directory for non-administrators, and the panel already names them).
const leadsSeen = new Map();

function initialQuery(user) {
  if (remembered && remembered.userId === user.id) return remembered.query;
  return { q: '', tier: '', lead: '', no_lead: false, mine: false, plan_due: false, sort: 'name', offset: 0 };
}

/**
 * The alerts a row needs: no lead coordinator; and, from a server that does not send the plan's
 * status yet, a plan not updated in 6 months. With the status (row.plan), the plan column says
 * whether a review is due, counted from the program's own review interval.
 */
export function childAlerts(c, now = Date.now()) {
  const out = [];
  if (!c.lead_coordinator) out.push('panel.alert.no_lead');
  if (c.plan) return out;
  const updated = c.plan_updated_at ? Date.parse(c.plan_updated_at) : NaN;
  if (Number.isNaN(updated) || now - updated > STALE_PLAN_DAYS * DAY_MS) out.push('panel.alert.plan_stale');
  return out;
}

const COLUMNS = [
  { key: 'name', label: 'panel.col.name', sort: 'name' },
  // Sorting by age means sorting by birth date in reverse.
  { key: 'age', label: 'panel.col.age', sort: '-birth_date' },
  { key: 'tier', label: 'panel.col.tier', sort: 'tier' },
  { key: 'lead', label: 'panel.col.lead' },
  { key: 'plan', label: 'planedit.panel.col', sort: 'plan_updated_at' },
  { key: 'alerts', label: 'panel.col.alerts' },
];

function flip(sort) {
  return sort.startsWith('-') ? sort.slice(1) : `-${sort}`;
}

function SortHeader({ col, sort, onSort }) {
  if (!col.sort) return html`<th scope="col">${t(col.label)}</th>`;
  const base = col.sort.replace(/^-/, '');
  const active = sort.replace(/^-/, '') === base;
  // "ascending" is what the column shows going down: for age that is the
  // reverse of the birth date order the API sorts by.
  let dir = 'none';
  if (active) {
    const ascApi = !sort.startsWith('-');
    const ascCol = !col.sort.startsWith('-');
    dir = ascApi === ascCol ? 'ascending' : 'descending';
  }
  const next = active ? flip(sort) : col.sort;
  const label = t(col.label);
  return html`<th scope="col" aria-sort=${dir}>
    <button type="button" class="sort-button" onClick=${() => onSort(next)}>
      ${label}
      <span aria-hidden="true">${dir === 'ascending' ? ' ▲' : dir === 'descending' ? ' ▼' : ' ↕'}</span>
      <span class="visually-hidden">${dir === 'none' ? t('panel.sort.by', { column: label }) : t(`panel.sort.${dir}`)}</span>
    </button>
  </th>`;
}

function Row({ c }) {
  const alerts = childAlerts(c);
  return html`<tr>
    <th scope="row"><a href=${link(`/children/${c.id}`)}>${c.name}</a>
      <div class="hint">${c.record_number}</div>
    </th>
    <td>${fmtAge(c.birth_date)}</td>
    <td>${c.tier ? fmtNumber(c.tier) : '—'}</td>
    <td>
      ${c.lead_coordinator ? c.lead_coordinator.name : html`<span class="muted">${t('common.none')}</span>`}
      ${c.backup_coordinator && html`<div class="hint">${t('panel.backup', { name: c.backup_coordinator.name })}</div>`}
    </td>
    <td>
      ${c.plan && html`<${StatusBadge} status=${c.plan.status} />`}
      ${c.plan &&
      c.plan.open_requests > 0 &&
      html`<div><span class="badge badge-warn"><span aria-hidden="true">! </span>${tn('planedit.panel.requests', c.plan.open_requests)}</span></div>`}
      <div class=${c.plan ? 'hint' : ''}>
        ${c.plan_updated_at ? t('planedit.panel.updated', { date: fmtDate(c.plan_updated_at) }) : t('planedit.panel.never_updated')}
      </div>
    </td>
    <td>
      ${alerts.length
        ? html`<ul class="alerts">${alerts.map((a) => html`<li><span class="badge badge-warn">${t(a)}</span></li>`)}</ul>`
        : html`<span class="visually-hidden">${t('panel.alert.none')}</span>`}
    </td>
  </tr>`;
}

/** The panel screen. */
export function PanelScreen({ user }) {
  const wide = isProgramWide(user);
  const [query, setQuery] = useState(() => initialQuery(user));
  const [text, setText] = useState(query.q);
  const [result, setResult] = useState(null);
  const [error, setError] = useState(null);
  const [loading, setLoading] = useState(true);
  const seq = useRef(0);
  const debounce = useRef(null);

  const update = (patch) => setQuery((q) => Object.assign({}, q, patch, 'offset' in patch ? {} : { offset: 0 }));

  useEffect(() => {
    remembered = { userId: user.id, query };
    const mine = ++seq.current;
    setLoading(true);
    api('GET', '/api/children', {
      query: {
        q: query.q.trim(),
        tier: query.tier,
        lead: query.no_lead ? '' : query.lead,
        no_lead: query.no_lead,
        plan_due: query.plan_due,
        mine: wide && query.mine,
        sort: query.sort,
        limit: PAGE_SIZE,
        offset: query.offset,
      },
    }).then((r) => {
      // A slower answer to an older query must not replace a newer one.
      if (mine !== seq.current) return;
      setLoading(false);
      if (!r.ok) {
        setError(r.error);
        return;
      }
      setError(null);
      for (const c of r.data.items) {
        if (c.lead_coordinator && c.lead_coordinator.user_id) leadsSeen.set(String(c.lead_coordinator.user_id), c.lead_coordinator.name);
      }
      setResult(r.data);
    });
  }, [query]);

  useEffect(() => () => clearTimeout(debounce.current), []);

  const onSearchInput = (e) => {
    const v = e.currentTarget.value;
    setText(v);
    clearTimeout(debounce.current);
    debounce.current = setTimeout(() => update({ q: v }), 350);
  };
  const onSearchSubmit = (e) => {
    e.preventDefault();
    clearTimeout(debounce.current);
    update({ q: text });
  };

  const title = wide && !query.mine ? t('panel.title_all') : t('panel.title_mine');
  const leads = Array.from(leadsSeen.entries()).sort((a, b) => a[1].localeCompare(b[1]));
  const total = result ? result.total : 0;
  const from = total === 0 ? 0 : query.offset + 1;
  const to = result ? query.offset + result.items.length : 0;
  const range = t('panel.range', { from: fmtNumber(from), to: fmtNumber(to), total: fmtNumber(total) });

  return html`<${Page} title=${title}>
    ${wide &&
    html`<div class="checkbox toggle-row">
      <input type="checkbox" id="panel-mine" checked=${query.mine} onChange=${(e) => update({ mine: e.currentTarget.checked })} />
      <label for="panel-mine">${t('panel.only_mine')}</label>
    </div>`}
    <form class="panel-search field" role="search" onSubmit=${onSearchSubmit}>
      <label for="panel-q">${t('panel.search.label')}</label>
      <div class="search-row">
        <input
          type="search"
          id="panel-q"
          value=${text}
          onInput=${onSearchInput}
          maxLength="200"
          autocomplete="off"
          aria-invalid=${fieldError(error, 'q') ? 'true' : undefined}
          aria-describedby=${fieldError(error, 'q') ? 'panel-q-error' : undefined}
        />
        <button type="submit">${t('common.search')}</button>
      </div>
      <${ErrorText} id="panel-q-error" message=${fieldError(error, 'q')} />
    </form>
    <div class="filters">
      <${Field} id="panel-tier" label=${t('panel.filter.tier')}>
        <select value=${query.tier} onChange=${(e) => update({ tier: e.currentTarget.value })}>
          <option value="">${t('panel.filter.any_tier')}</option>
          ${[1, 2, 3].map((n) => html`<option value=${String(n)}>${t('common.tier', { tier: fmtNumber(n) })}</option>`)}
        </select>
      <//>
      <${Field} id="panel-lead" label=${t('panel.filter.lead')}>
        <select value=${query.lead} disabled=${query.no_lead} onChange=${(e) => update({ lead: e.currentTarget.value })}>
          <option value="">${t('panel.filter.any_lead')}</option>
          ${leads.map(([id, name]) => html`<option value=${id}>${name}</option>`)}
        </select>
      <//>
      <div class="checkbox field">
        <input type="checkbox" id="panel-nolead" checked=${query.no_lead} onChange=${(e) => update({ no_lead: e.currentTarget.checked })} />
        <label for="panel-nolead">${t('panel.filter.no_lead')}</label>
      </div>
      <div class="checkbox field">
        <input type="checkbox" id="panel-plandue" checked=${!!query.plan_due} onChange=${(e) => update({ plan_due: e.currentTarget.checked })} />
        <label for="panel-plandue">${t('planedit.panel.filter_due')}</label>
      </div>
    </div>
    <${ErrorSummary} error=${error} fields=${['q']} />
    <p role="status" class="result-count">${loading ? t('common.loading') : result ? range : ''}</p>
    ${result && result.items.length === 0 && !loading && html`<p>${t('panel.empty')}</p>`}
    ${!result && loading && html`<${Spinner} />`}
    ${result &&
    result.items.length > 0 &&
    html`<div class="table-wrap">
      <table class="panel-table" aria-busy=${loading ? 'true' : 'false'}>
        <caption class="visually-hidden">${title}: ${range}</caption>
        <thead>
          <tr>${COLUMNS.map((col) => html`<${SortHeader} col=${col} sort=${query.sort} onSort=${(s) => update({ sort: s })} />`)}</tr>
        </thead>
        <tbody>${result.items.map((c) => html`<${Row} key=${c.id} c=${c} />`)}</tbody>
      </table>
    </div>`}
    ${result &&
    total > PAGE_SIZE &&
    html`<nav class="pager" aria-label=${t('panel.paging')}>
      <button type="button" disabled=${query.offset === 0 || loading} onClick=${() => update({ offset: Math.max(0, query.offset - PAGE_SIZE) })}>
        ${t('common.previous')}
      </button>
      <span>${range}</span>
      <button type="button" disabled=${to >= total || loading} onClick=${() => update({ offset: query.offset + PAGE_SIZE })}>
        ${t('common.next')}
      </button>
    </nav>`}
  <//>`;
}
