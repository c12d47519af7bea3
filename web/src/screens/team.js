// The Care team tab: everyone who works with the child, grouped by sector
// (medical, school, community, ...), with the lead coordinator and backup
// marked in words. Staff add members (someone outside the program; for
// administrators also someone on our staff), end memberships and designate
// the lead coordinator and the backup. Ended memberships are the history.
import { useEffect, useRef, useState } from 'preact/hooks';
import { api } from '../api.js';
import { fmtDate, t, tOr } from '../i18n.js';
import { Dialog, ErrorSummary, Field, Spinner, StaleNotice, html } from '../ui.js';
import { fieldError, orNull, todayISO, withoutEmpty } from './familymembers.js';

export const SECTORS = ['medical', 'mental_health', 'education', 'community', 'equipment_home', 'payer', 'family_support'];

/** A member's role: staff roles are codes (translated), outside people's roles are as typed. */
export function roleWords(m) {
  return m.user_id ? tOr(`common.role.${m.role}`, m.role) : m.role;
}

function isActive(m) {
  return !m.end_date || m.end_date > todayISO();
}

function LeadBadge({ lead }) {
  if (lead === 'lead') return html`<span class="badge badge-lead">${t('common.lead')}</span>`;
  if (lead === 'backup') return html`<span class="badge">${t('common.backup')}</span>`;
  return null;
}

/** One sector's table. */
function SectorTable({ sector, members, orgName, showEnded, canEdit, onEnd }) {
  const hid = `sector-${sector}`;
  return html`<section class="sector" aria-labelledby=${hid}>
    <h3 id=${hid}>${tOr(`common.sector.${sector}`, sector)}</h3>
    <div class="table-wrap">
      <table aria-labelledby=${hid}>
        <thead>
          <tr>
            <th scope="col">${t('team.col.name')}</th>
            <th scope="col">${t('team.col.role')}</th>
            <th scope="col">${t('team.col.service')}</th>
            <th scope="col">${t('team.col.organization')}</th>
            <th scope="col">${t('team.col.contact')}</th>
            <th scope="col">${t('team.col.coordinator')}</th>
            <th scope="col">${t('team.col.start')}</th>
            ${showEnded && html`<th scope="col">${t('team.col.end')}</th>`}
            ${canEdit && html`<th scope="col"><span class="visually-hidden">${t('team.col.actions')}</span></th>`}
          </tr>
        </thead>
        <tbody>
          ${members.map((m) => {
            const active = isActive(m);
            return html`<tr key=${m.id} class=${active ? undefined : 'row-ended'}>
              <th scope="row">
                ${m.name}${!m.user_id && html`<br /><span class="badge badge-off">${t('team.external_tag')}</span>`}
              </th>
              <td>${roleWords(m)}</td>
              <td>${m.service || '—'}</td>
              <td>${orgName(m.organization_id)}</td>
              <td>
                ${m.phone && html`<a href=${`tel:${m.phone.replace(/[^\d+]/g, '')}`}>${m.phone}</a>`}
                ${m.phone && m.email && html`<br />`}
                ${m.email && html`<a href=${`mailto:${m.email}`}>${m.email}</a>`}
                ${!m.phone && !m.email && '—'}
              </td>
              <td><${LeadBadge} lead=${m.lead} /></td>
              <td>${fmtDate(m.start_date)}</td>
              ${showEnded && html`<td>${m.end_date ? fmtDate(m.end_date) : t('team.still_active')}</td>`}
              ${canEdit &&
              html`<td>
                ${active && (!m.end_date || m.end_date > todayISO())
                  ? html`<button
                      type="button"
                      class="button-quiet"
                      aria-label=${t('team.end.label', { name: m.name })}
                      onClick=${() => onEnd(m)}
                    >
                      ${t('team.end.short')}
                    </button>`
                  : ''}
              </td>`}
            </tr>`;
          })}
        </tbody>
      </table>
    </div>
  </section>`;
}

const ADD_FIELDS = ['user_id', 'name', 'role', 'service', 'sector', 'organization_id', 'phone', 'email', 'start_date'];

/**
 * The add-member form. Administrators may pick someone on our staff from
 * GET /api/users; everyone else adds people outside the program only (there
 * is no staff directory for other roles).
 */
function AddMemberForm({ childId, users, orgs, onAdded, onCancel }) {
  const staffUsers = users ? users.filter((u) => u.role !== 'family' && !u.disabled) : null;
  const [kind, setKind] = useState(staffUsers ? 'staff' : 'external');
  const [f, setF] = useState({
    user_id: '',
    name: '',
    role: '',
    service: '',
    sector: '',
    organization_id: '',
    phone: '',
    email: '',
    start_date: todayISO(),
  });
  const [err, setErr] = useState(null);
  const [busy, setBusy] = useState(false);
  const set = (k) => (e) => setF({ ...f, [k]: e.currentTarget.value });

  const submit = async (e) => {
    e.preventDefault();
    setErr(null);
    let body;
    if (kind === 'staff') {
      const u = staffUsers.find((x) => String(x.id) === f.user_id);
      if (!u) {
        setErr({ code: 'invalid', field: 'user_id', message: t('team.add.pick_person') });
        return;
      }
      // A staff member's role is their account's role; the name comes from the account.
      body = { user_id: u.id, role: u.role };
    } else {
      body = { name: orNull(f.name), role: orNull(f.role) };
    }
    Object.assign(body, {
      service: orNull(f.service),
      sector: orNull(f.sector),
      organization_id: f.organization_id ? Number(f.organization_id) : null,
      phone: orNull(f.phone),
      email: orNull(f.email),
      start_date: orNull(f.start_date),
    });
    setBusy(true);
    const r = await api('POST', `/api/children/${childId}/team`, { body: withoutEmpty(body) });
    setBusy(false);
    if (r.ok) {
      onAdded(r.data);
      return;
    }
    if (r.status !== 401) setErr(r.error);
  };

  return html`<form class="form card" onSubmit=${submit} aria-labelledby="add-member-title" novalidate>
    <h3 id="add-member-title">${t('team.add.title')}</h3>
    <${ErrorSummary} error=${err} fields=${ADD_FIELDS} />
    <fieldset class="choice" aria-describedby=${staffUsers ? undefined : 'add-kind-hint'}>
      <legend>${t('team.add.who')}</legend>
      <div class="checkbox">
        <input
          type="radio"
          id="add-kind-staff"
          name="add-kind"
          value="staff"
          disabled=${!staffUsers}
          checked=${kind === 'staff'}
          onChange=${() => setKind('staff')}
        />
        <label for="add-kind-staff">${t('team.add.staff')}</label>
      </div>
      <div class="checkbox">
        <input
          type="radio"
          id="add-kind-external"
          name="add-kind"
          value="external"
          checked=${kind === 'external'}
          onChange=${() => setKind('external')}
        />
        <label for="add-kind-external">${t('team.add.external')}</label>
      </div>
      ${!staffUsers && html`<p class="hint" id="add-kind-hint">${t('team.add.external_only')}</p>`}
    </fieldset>
    <div class="form-grid">
      ${kind === 'staff'
        ? html`<${Field} id="add-user" label=${t('team.add.person')} error=${fieldError(err, 'user_id')}>
            <select required value=${f.user_id} onChange=${set('user_id')}>
              <option value="">${t('team.choose')}</option>
              ${staffUsers.map(
                (u) => html`<option value=${String(u.id)}>${u.display_name} (${tOr(`common.role.${u.role}`, u.role)})</option>`,
              )}
            </select>
          <//>`
        : html`<${Field} id="add-name" label=${t('team.add.name')} error=${fieldError(err, 'name')}>
              <input type="text" autocomplete="off" required value=${f.name} onInput=${set('name')} />
            <//>
            <${Field} id="add-role" label=${t('team.add.role')} hint=${t('team.add.role_hint')} error=${fieldError(err, 'role')}>
              <input type="text" autocomplete="off" required value=${f.role} onInput=${set('role')} />
            <//>`}
      <${Field} id="add-service" label=${t('team.add.service')} hint=${t('team.add.service_hint')} error=${fieldError(err, 'service')}>
        <input type="text" autocomplete="off" value=${f.service} onInput=${set('service')} />
      <//>
      <${Field} id="add-sector" label=${t('team.add.sector')} error=${fieldError(err, 'sector')}>
        <select required value=${f.sector} onChange=${set('sector')}>
          <option value="">${t('team.choose')}</option>
          ${SECTORS.map((s) => html`<option value=${s}>${t(`common.sector.${s}`)}</option>`)}
        </select>
      <//>
      <${Field} id="add-org" label=${t('team.add.organization')} error=${fieldError(err, 'organization_id')}>
        <select value=${f.organization_id} onChange=${set('organization_id')}>
          <option value="">${t('team.no_organization')}</option>
          ${(orgs || []).map((o) => html`<option value=${String(o.id)}>${o.name}</option>`)}
        </select>
      <//>
      <${Field} id="add-phone" label=${t('team.add.phone')} error=${fieldError(err, 'phone')}>
        <input type="tel" autocomplete="off" value=${f.phone} onInput=${set('phone')} />
      <//>
      <${Field} id="add-email" label=${t('team.add.email')} error=${fieldError(err, 'email')}>
        <input type="email" autocomplete="off" value=${f.email} onInput=${set('email')} />
      <//>
      <${Field} id="add-start" label=${t('team.add.start')} error=${fieldError(err, 'start_date')}>
        <input type="date" value=${f.start_date} onInput=${set('start_date')} />
      <//>
    </div>
    <div class="form-actions">
      <button type="submit" disabled=${busy}>${busy ? t('common.saving') : t('team.add.submit')}</button>
      <button type="button" class="button-quiet" onClick=${onCancel}>${t('common.cancel')}</button>
    </div>
  </form>`;
}

/** The confirm dialog for ending a membership (POST .../end, If-Match = the member's version). */
function EndDialog({ childId, member, onClose, onEnded, onStale }) {
  const [date, setDate] = useState(todayISO());
  const [err, setErr] = useState(null);
  const [busy, setBusy] = useState(false);
  const submit = async (e) => {
    e.preventDefault();
    setBusy(true);
    setErr(null);
    const r = await api('POST', `/api/children/${childId}/team/${member.id}/end`, {
      body: { end_date: date },
      ifMatch: member.version,
    });
    setBusy(false);
    if (r.ok) onEnded();
    else if (r.status === 412) onStale();
    else if (r.status !== 401) setErr(r.error);
  };
  return html`<${Dialog} id="end-member" title=${t('team.end.title', { name: member.name })} open=${true} onClose=${onClose}>
    <form onSubmit=${submit} novalidate>
      <p>${t('team.end.explain')}</p>
      <${ErrorSummary} error=${err} fields=${['end_date']} />
      <${Field} id="end-date" label=${t('team.end.date')} error=${fieldError(err, 'end_date')}>
        <input type="date" required autofocus value=${date} onInput=${(e) => setDate(e.currentTarget.value)} />
      <//>
      <div class="form-actions">
        <button type="submit" disabled=${busy}>${busy ? t('common.saving') : t('team.end.confirm')}</button>
        <button type="button" class="button-quiet" onClick=${onClose}>${t('common.cancel')}</button>
      </div>
    </form>
  <//>`;
}

/** Designating the lead coordinator and the backup: PUT /lead with If-Match = the child's version. */
function LeadForm({ child, active, onSaved, onStale }) {
  const cur = (w) => {
    const m = active.find((x) => x.lead === w);
    return m ? String(m.id) : '';
  };
  const [lead, setLead] = useState(cur('lead'));
  const [backup, setBackup] = useState(cur('backup'));
  const [err, setErr] = useState(null);
  const [busy, setBusy] = useState(false);

  const submit = async (e) => {
    e.preventDefault();
    setErr(null);
    if (!lead) {
      setErr({ code: 'invalid', field: 'lead_member_id', message: t('team.lead.pick_lead') });
      return;
    }
    setBusy(true);
    const r = await api('PUT', `/api/children/${child.id}/lead`, {
      body: { lead_member_id: Number(lead), backup_member_id: backup ? Number(backup) : null },
      ifMatch: child.version,
    });
    setBusy(false);
    if (r.ok) onSaved(r.data);
    else if (r.status === 412) onStale();
    else if (r.status !== 401) setErr(r.error);
  };

  const options = active.map((m) => html`<option value=${String(m.id)}>${m.name} (${roleWords(m)})</option>`);
  return html`<form class="form card" onSubmit=${submit} aria-labelledby="lead-title" novalidate>
    <h3 id="lead-title">${t('team.lead.title')}</h3>
    <p class="hint">${t('team.lead.explain')}</p>
    <${ErrorSummary} error=${err} fields=${['lead_member_id', 'backup_member_id']} />
    <div class="form-grid">
      <${Field} id="lead-member" label=${t('common.lead')} error=${fieldError(err, 'lead_member_id')}>
        <select required value=${lead} onChange=${(e) => setLead(e.currentTarget.value)}>
          <option value="">${t('team.choose')}</option>
          ${options}
        </select>
      <//>
      <${Field} id="backup-member" label=${t('common.backup')} error=${fieldError(err, 'backup_member_id')}>
        <select value=${backup} onChange=${(e) => setBackup(e.currentTarget.value)}>
          <option value="">${t('team.lead.no_backup')}</option>
          ${options}
        </select>
      <//>
    </div>
    <div class="form-actions">
      <button type="submit" disabled=${busy}>${busy ? t('common.saving') : t('team.lead.submit')}</button>
    </div>
  </form>`;
}

/**
 * TeamTab({child, team, canEdit, isAdmin, reload, onChildChange}): team is the
 * active team the record screen already loaded (it also feeds the header);
 * "Show ended memberships" loads the whole history (include_ended=1).
 * reload() re-reads the child and its active team after every change.
 */
export function TeamTab({ child, team, canEdit, isAdmin, reload, onChildChange }) {
  const [showEnded, setShowEnded] = useState(false);
  const [all, setAll] = useState(null);
  const [allErr, setAllErr] = useState(null);
  const [orgs, setOrgs] = useState(null);
  const [users, setUsers] = useState(null);
  const [adding, setAdding] = useState(false);
  const [ending, setEnding] = useState(null);
  const [stale, setStale] = useState(false);
  const [leadKey, setLeadKey] = useState(0);
  const [notice, setNotice] = useState('');
  // The dialog's trigger may vanish (an ended member leaves the active list),
  // so focus goes back to it when it is still there, else to the heading.
  const trigger = useRef(null);
  const refocus = () => {
    const el = trigger.current;
    trigger.current = null;
    const target = el && el.isConnected ? el : document.getElementById('team-title');
    if (target) target.focus();
  };

  useEffect(() => {
    let live = true;
    api('GET', '/api/organizations').then((r) => live && r.ok && setOrgs(r.data.items));
    if (isAdmin) api('GET', '/api/users').then((r) => live && r.ok && setUsers(r.data.items));
    return () => {
      live = false;
    };
  }, [isAdmin]);

  const loadAll = async () => {
    const r = await api('GET', `/api/children/${child.id}/team`, { query: { include_ended: 1 } });
    if (r.ok) {
      setAll(r.data.items);
      setAllErr(null);
    } else setAllErr(r.error);
  };
  useEffect(() => {
    if (showEnded) loadAll();
  }, [showEnded, child.id]);

  const afterChange = async (msg) => {
    setNotice(msg || '');
    await reload();
    if (showEnded) await loadAll();
    setLeadKey((k) => k + 1);
  };
  const onReload = async () => {
    setStale(false);
    setEnding(null);
    await afterChange('');
  };

  const orgById = new Map((orgs || []).map((o) => [o.id, o.name]));
  const orgName = (id) => (id ? orgById.get(id) || '—' : '—');
  const members = showEnded && all ? all : team || [];
  const active = (team || []).filter(isActive);
  const groups = SECTORS.map((s) => [s, members.filter((m) => m.sector === s)]).filter(([, ms]) => ms.length);
  // A sector the catalog does not know yet still shows, after the known ones.
  const other = members.filter((m) => !SECTORS.includes(m.sector));
  if (other.length) groups.push(['other', other]);

  return html`<section aria-labelledby="team-title">
    <h2 id="team-title" tabindex="-1">${t('team.title')}</h2>
    ${stale && html`<${StaleNotice} onReload=${onReload} />`}
    ${notice && html`<p role="status" class="notice">${notice}</p>`}
    <div class="toolbar filters">
      <div class="checkbox">
        <input type="checkbox" id="team-show-ended" checked=${showEnded} onChange=${(e) => setShowEnded(e.currentTarget.checked)} />
        <label for="team-show-ended">${t('team.show_ended')}</label>
      </div>
      ${canEdit && !adding && html`<button type="button" onClick=${() => setAdding(true)}>${t('team.add.open')}</button>`}
    </div>
    ${canEdit &&
    adding &&
    html`<${AddMemberForm}
      childId=${child.id}
      users=${users}
      orgs=${orgs}
      onCancel=${() => setAdding(false)}
      onAdded=${(m) => {
        setAdding(false);
        afterChange(t('team.add.done', { name: m.name }));
      }}
    />`}
    ${showEnded && allErr && html`<${ErrorSummary} error=${allErr} />`}
    ${showEnded && !all && !allErr && html`<${Spinner} />`}
    ${groups.length === 0
      ? html`<p>${t('team.empty')}</p>`
      : groups.map(
          ([s, ms]) => html`<${SectorTable}
            key=${s}
            sector=${s}
            members=${ms}
            orgName=${orgName}
            showEnded=${showEnded}
            canEdit=${canEdit}
            onEnd=${(m) => {
              trigger.current = document.activeElement;
              setStale(false);
              setEnding(m);
            }}
          />`,
        )}
    ${canEdit &&
    html`<${LeadForm}
      key=${`lead-${leadKey}-${child.version}`}
      child=${child}
      active=${active}
      onStale=${() => setStale(true)}
      onSaved=${(data) => {
        if (data && data.child) onChildChange(data.child);
        afterChange(t('team.lead.saved'));
      }}
    />`}
    ${ending &&
    html`<${EndDialog}
      childId=${child.id}
      member=${ending}
      onClose=${() => {
        setEnding(null);
        refocus();
      }}
      onStale=${() => {
        setEnding(null);
        setStale(true);
        refocus();
      }}
      onEnded=${async () => {
        const name = ending.name;
        setEnding(null);
        await afterChange(t('team.end.done', { name }));
        refocus();
      }}
    />`}
  </section>`;
}
