// The family view: what a parent sees on a phone. For each of their children,
// a way to their child's shared plan of care, the main contact first, then "who
// to call for what" grouped by sector in plain words, with links that call or
// email in one tap. The shell shows families this screen for every address, so
// it also opens the family's plan page at #/children/{id}/plan.
import { useEffect, useState } from 'preact/hooks';
import { html } from 'htm/preact';
import { api } from '../api.js';
import { fmtAge, t, tOr } from '../i18n.js';
import { link, route as currentRoute } from '../router.js';
import { ErrorSummary, Page, Spinner } from '../ui.js';
import { FamilyPlanScreen } from './familyplan.js';

// The order families think in: doctors first, then the rest of daily life.
const SECTORS = ['medical', 'mental_health', 'education', 'community', 'equipment_home', 'payer', 'family_support'];

function telHref(phone) {
  // tel: wants digits and a leading +; keep what people typed for display.
  return `tel:${String(phone).replace(/[^\d+]/g, '')}`;
}

function Contact({ m, badge }) {
  const role = m.role ? tOr(`common.role.${m.role}`, m.role) : '';
  const service = m.service && m.service !== m.role ? m.service : '';
  return html`<li class=${`contact${m.lead === 'lead' ? ' contact-main' : ''}`}>
    <p class="contact-name"><strong>${m.name}</strong>${badge && html` <span class="badge badge-lead">${badge}</span>`}</p>
    ${role && html`<p>${role}</p>`}
    ${service && html`<p class="muted">${service}</p>`}
    ${(m.phone || m.email) &&
    html`<div class="contact-actions">
      ${m.phone && html`<a class="call" href=${telHref(m.phone)}>${t('familyview.call', { name: m.name })} <span class="tel-number">${m.phone}</span></a>`}
      ${m.email && html`<a class="mail" href=${`mailto:${m.email}`}>${t('familyview.email', { name: m.name })}</a>`}
    </div>`}
    ${!m.phone && !m.email && html`<p class="muted">${t('familyview.no_contact')}</p>`}
  </li>`;
}

function FamilyMember({ f }) {
  const name = `${f.given_name} ${f.family_name}`;
  return html`<li class="contact">
    <p class="contact-name"><strong>${name}</strong></p>
    <p>${tOr(`common.relationship.${f.relationship}`, f.relationship)}${f.is_guardian ? ` · ${t('familyview.guardian')}` : ''}</p>
    ${f.phone &&
    html`<div class="contact-actions">
      <a class="mail" href=${telHref(f.phone)}>${t('familyview.call', { name: f.given_name })} <span class="tel-number">${f.phone}</span></a>
    </div>`}
  </li>`;
}

function ChildCard({ child, team, family }) {
  const lead = team.find((m) => m.lead === 'lead');
  const backup = team.find((m) => m.lead === 'backup');
  const rest = team.filter((m) => m !== lead);
  const groups = SECTORS.map((s) => ({ s, people: rest.filter((m) => m.sector === s) })).filter((g) => g.people.length);
  // Backup first inside its sector: the second person to call.
  for (const g of groups) g.people.sort((a, b) => (b === backup) - (a === backup));
  const hid = `child-${child.id}`;
  return html`<section class="family-child" aria-labelledby=${hid}>
    <div class="family-child-head">
      <h2 id=${hid}>${child.name}</h2>
      <p>${fmtAge(child.birth_date)}</p>
    </div>
    <p class="plan-link">
      <a class="button button-primary" href=${link(`/children/${child.id}/plan`)} aria-describedby=${hid}>${t('planedit.family.open')}</a>
    </p>
    <h3>${t('familyview.main_contact')}</h3>
    ${lead
      ? html`<ul class="contact-list"><${Contact} m=${lead} badge=${t('familyview.main_contact_badge')} /></ul>`
      : html`<p>${t('familyview.no_main_contact')}</p>`}
    <h3>${t('familyview.who_to_call')}</h3>
    ${groups.length === 0 && html`<p>${t('familyview.no_team')}</p>`}
    ${groups.map(
      (g) => html`<div class="sector">
        <h4>${t(`common.sector.${g.s}`)}</h4>
        <ul class="contact-list">
          ${g.people.map((m) => html`<${Contact} key=${m.id} m=${m} badge=${m === backup ? t('familyview.backup_badge') : null} />`)}
        </ul>
      </div>`,
    )}
    ${family.length > 0 &&
    html`<h3>${t('familyview.family')}</h3>
      <ul class="contact-list">${family.map((f) => html`<${FamilyMember} key=${f.id} f=${f} />`)}</ul>`}
  </section>`;
}

/**
 * The family view screen (the start page of family accounts), or the family's plan page when the
 * address is #/children/{id}/plan.
 */
export function FamilyViewScreen() {
  const r = currentRoute();
  if (r.name === 'child' && r.params.tab === 'plan') return html`<${FamilyPlanScreen} key=${r.params.id} id=${r.params.id} />`;
  return html`<${FamilyHome} />`;
}

function FamilyHome() {
  const [state, setState] = useState({ loading: true, error: null, children: [] });

  useEffect(() => {
    let live = true;
    (async () => {
      const list = await api('GET', '/api/children', { query: { limit: 50, sort: 'name' } });
      if (!live) return;
      if (!list.ok) {
        setState({ loading: false, error: list.error, children: [] });
        return;
      }
      // A family has one or a few children: fetch each one's team and family together.
      const children = await Promise.all(
        list.data.items.map(async (c) => {
          const [team, fam] = await Promise.all([
            api('GET', `/api/children/${c.id}/team`),
            api('GET', `/api/children/${c.id}/family`),
          ]);
          return { child: c, team: team.ok ? team.data.items : [], family: fam.ok ? fam.data.items : [], error: team.ok ? null : team.error };
        }),
      );
      if (!live) return;
      const failed = children.find((x) => x.error);
      setState({ loading: false, error: failed ? failed.error : null, children });
    })();
    return () => {
      live = false;
    };
  }, []);

  const title = state.children.length === 1 ? t('familyview.title_one', { name: state.children[0].child.name }) : t('familyview.title');
  return html`<${Page} title=${title} class="family-view">
    <p>${t('familyview.intro')}</p>
    ${state.loading && html`<${Spinner} />`}
    <${ErrorSummary} error=${state.error} />
    ${!state.loading && state.children.length === 0 && !state.error && html`<p>${t('familyview.no_children')}</p>`}
    ${state.children.map((x) => html`<${ChildCard} key=${x.child.id} child=${x.child} team=${x.team} family=${x.family} />`)}
    <p class="hint">${t('familyview.help')}</p>
  <//>`;
}
