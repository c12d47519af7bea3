// The family's page for their child's shared plan of care, written for a phone: the latest
// version in the family's language (a toggle switches it, and is saved on the account like the
// header's switch), emergency information first, "Not translated yet" where a text has no
// translation, print buttons, and the review form ("We agree", "We have a comment", "We ask for a
// change") with the family's past reviews. Before the first version, it says so kindly and shows
// the working plan marked as a draft.
import { useEffect, useRef, useState } from 'preact/hooks';
import { api, setSession } from '../api.js';
import { fmtDate, fmtNumber, lang, setLang, t } from '../i18n.js';
import { link } from '../router.js';
import { Page, Spinner, html } from '../ui.js';
import { PLAN_LANGS, PlanDocument, PrintControls, ReviewList, anyUntranslated, langEndonym, reviewItems, useKinds } from './plan.js';
import { FormErrors, errorMessage } from './planedit.js';
import { ReviewForm } from './planversions.js';

/**
 * English / Español as two pressed-or-not buttons. The choice is the whole page's language (the
 * labels and the plan's text agree) and is saved on the account, as the header's switch does.
 */
function LangToggle() {
  const cur = lang();
  const [busy, setBusy] = useState(false);
  const choose = async (l) => {
    if (l === cur || busy) return;
    setLang(l);
    setBusy(true);
    const r = await api('PATCH', '/api/me', { body: { language: l } });
    setBusy(false);
    if (r.ok && r.data && r.data.user) setSession(r.data.user);
  };
  return html`<div class="lang-toggle" role="group" aria-labelledby="fp-lang-label">
    <span id="fp-lang-label">${t('planedit.family.read_in')}</span>
    ${PLAN_LANGS.map(
      (l) => html`<button type="button" lang=${l} aria-pressed=${l === cur ? 'true' : 'false'} onClick=${() => choose(l)}>
        ${l === cur && html`<span aria-hidden="true">✓ </span>`}${langEndonym(l)}
      </button>`,
    )}
  </div>`;
}

/** FamilyPlanScreen({id}): the plan of child id, for a family account linked to the child. */
export function FamilyPlanScreen({ id }) {
  const { kinds, error: kindsErr } = useKinds();
  const [state, setState] = useState({ status: 'loading', error: null, child: null, version: null, draft: null });
  const [reviews, setReviews] = useState(null);
  const [thanks, setThanks] = useState('');
  const thanksRef = useRef(null);

  const loadReviews = async () => {
    const r = await api('GET', `/api/children/${id}/plan/reviews`);
    if (r.ok) setReviews(reviewItems(r.data));
  };

  useEffect(() => {
    let live = true;
    (async () => {
      const [c, vl] = await Promise.all([api('GET', `/api/children/${id}`), api('GET', `/api/children/${id}/plan/versions`)]);
      if (!live) return;
      if (c.status === 404) {
        setState({ status: 'notfound', error: null, child: null, version: null, draft: null });
        return;
      }
      if (!c.ok || !vl.ok) {
        setState({ status: 'error', error: c.ok ? vl.error : c.error, child: c.data, version: null, draft: null });
        return;
      }
      const latest = (vl.data.items || [])[0];
      const r = latest ? await api('GET', `/api/children/${id}/plan/versions/${latest.number}`) : await api('GET', `/api/children/${id}/plan`);
      if (!live) return;
      if (!r.ok) {
        setState({ status: 'error', error: r.error, child: c.data, version: null, draft: null });
        return;
      }
      setState({
        status: 'ok',
        error: null,
        child: c.data,
        version: latest ? r.data : null,
        draft: latest ? null : r.data.document,
      });
    })();
    loadReviews();
    return () => {
      live = false;
    };
  }, [id]);

  const toReview = () => {
    const h = document.getElementById('fp-review-title');
    if (h) {
      h.scrollIntoView({ block: 'start' });
      h.focus();
    }
  };

  if (state.status === 'loading' || (!kinds && !kindsErr)) return html`<${Spinner} />`;
  const home = html`<p class="back-link"><a href=${link('/')}>${t('planedit.family.back')}</a></p>`;
  if (state.status === 'notfound') {
    return html`<${Page} title=${t('common.notfound.title')} class="family-plan">
      <p>${t('common.error.not_found')}</p>
      ${home}
    <//>`;
  }
  if (state.status === 'error' || kindsErr) {
    return html`<${Page} title=${t('plan.title')} class="family-plan">
      ${home}
      <${FormErrors} errors=${[]} general=${errorMessage(state.error || kindsErr)} focusKey=${0} />
    <//>`;
  }

  const child = state.child;
  const name = child.preferred_name || child.given_name;
  const v = state.version;
  const doc = v ? v.content : state.draft;
  const reader = lang();
  return html`<${Page} title=${t('planedit.family.title', { name })} class="family-plan">
    ${home}
    <${LangToggle} />
    ${v
      ? html`<div class="version-line">
          <p><strong>${t('plan.version', { n: fmtNumber(v.number) })}</strong> · ${t('planedit.family.shared_on', { date: fmtDate(v.created_at) })}</p>
          <button type="button" class="button-primary" onClick=${toReview}>${t('planedit.family.go_review')}</button>
        </div>`
      : html`<div class="notice draft-notice">
          <p><strong>${t('plan.draft')}</strong></p>
          <p>${t('planedit.family.no_version')}</p>
        </div>`}
    ${anyUntranslated(doc, kinds, reader) && html`<p class="hint">${t('planedit.family.not_translated_help', { marker: t('plan.not_translated') })}</p>`}
    <${PlanDocument} doc=${doc} kinds=${kinds} reader=${reader} order="emergency" level=${2} />
    <${PrintControls} childId=${id} defaultLang=${reader} version=${v ? v.number : null} idPrefix="fp-print" />
    ${v &&
    html`<section class="review-section card" aria-labelledby="fp-review-title">
      <h2 id="fp-review-title" tabindex="-1">${t('planedit.family.review_title')}</h2>
      <p>${t('planedit.family.review_intro')}</p>
      <p ref=${thanksRef} tabindex="-1" role="status" class=${thanks ? 'notice' : 'visually-hidden'}>${thanks}</p>
      <${ReviewForm}
        childId=${id}
        version=${v.number}
        family=${true}
        idPrefix="fp-review"
        onDone=${async () => {
          setThanks(t('planedit.family.thanks'));
          await loadReviews();
          if (thanksRef.current) thanksRef.current.focus();
        }}
      />
    </section>`}
    <section aria-labelledby="fp-past-title">
      <h2 id="fp-past-title">${t('planedit.family.past_reviews')}</h2>
      ${reviews ? html`<${ReviewList} reviews=${reviews} showVersion=${true} />` : html`<${Spinner} />`}
    </section>
    <p class="hint">${t('familyview.help')}</p>
  <//>`;
}
