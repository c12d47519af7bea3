// The Access history tab: who looked at or changed this child's record, newest
// first, in plain words, with emergency (break-glass) access called out. Only
// administrators, program managers and the child's lead or backup coordinator
// may read it; the server decides and a 403 shows a plain message.
import { useEffect, useState } from 'preact/hooks';
import { api } from '../api.js';
import { fmtDateTime, fmtNumber, t, tOr } from '../i18n.js';
import { ErrorSummary, Spinner, html } from '../ui.js';
import { yesNo } from './familymembers.js';

const PAGE = 25;

/** An audit action ("team.lead") in plain words, or the code when the catalog has none. */
function actionWords(action) {
  return tOr(`child.action.${action}`, action);
}

function outcomeWords(outcome) {
  return tOr(`child.outcome.${outcome}`, outcome);
}

/** AccessTab({childId}): GET /api/children/:id/access paged by limit/offset. */
export function AccessTab({ childId }) {
  const [offset, setOffset] = useState(0);
  const [page, setPage] = useState(null);
  const [err, setErr] = useState(null);
  const [status, setStatus] = useState(0);

  const load = async (off) => {
    const r = await api('GET', `/api/children/${childId}/access`, { query: { limit: PAGE, offset: off } });
    setStatus(r.status);
    if (r.ok) {
      setPage(r.data);
      setErr(null);
    } else {
      setErr(r.error);
    }
  };
  useEffect(() => {
    load(offset);
  }, [childId, offset]);

  const heading = html`<h2 id="access-title">${t('child.access.title')}</h2>`;
  if (status === 403) {
    return html`<section aria-labelledby="access-title">
      ${heading}
      <p>${t('child.access.forbidden')}</p>
    </section>`;
  }
  if (err && !page) {
    return html`<section aria-labelledby="access-title">
      ${heading}
      <${ErrorSummary} error=${err} />
      <button type="button" onClick=${() => load(offset)}>${t('child.try_again')}</button>
    </section>`;
  }
  if (!page) return html`<${Spinner} />`;

  const first = page.total === 0 ? 0 : page.offset + 1;
  const last = page.offset + page.items.length;
  return html`<section aria-labelledby="access-title">
    ${heading}
    <p class="hint">${t('child.access.explain')}</p>
    ${page.items.length === 0
      ? html`<p>${t('child.access.empty')}</p>`
      : html`<div class="table-wrap">
          <table>
            <caption class="visually-hidden">${t('child.access.caption')}</caption>
            <thead>
              <tr>
                <th scope="col">${t('child.access.when')}</th>
                <th scope="col">${t('child.access.who')}</th>
                <th scope="col">${t('child.access.role')}</th>
                <th scope="col">${t('child.access.what')}</th>
                <th scope="col">${t('child.access.outcome')}</th>
                <th scope="col">${t('child.access.emergency')}</th>
              </tr>
            </thead>
            <tbody>
              ${page.items.map(
                (e) => html`<tr key=${e.id} class=${e.break_glass ? 'row-flagged' : undefined}>
                  <td>${fmtDateTime(e.at)}</td>
                  <td>${e.user_name || '—'}</td>
                  <td>${e.role ? tOr(`common.role.${e.role}`, e.role) : '—'}</td>
                  <td>${actionWords(e.action)}</td>
                  <td>${outcomeWords(e.outcome)}</td>
                  <td>${e.break_glass ? html`<strong>${yesNo(true)}</strong>` : yesNo(false)}</td>
                </tr>`,
              )}
            </tbody>
          </table>
        </div>`}
    <nav class="pager" aria-label=${t('child.access.paging')}>
      <button type="button" disabled=${page.offset === 0} onClick=${() => setOffset(Math.max(0, page.offset - PAGE))}>
        ${t('common.previous')}
      </button>
      <span aria-live="polite">
        ${t('child.access.range', { first: fmtNumber(first), last: fmtNumber(last), total: fmtNumber(page.total) })}
      </span>
      <button type="button" disabled=${last >= page.total} onClick=${() => setOffset(page.offset + PAGE)}>
        ${t('common.next')}
      </button>
    </nav>
  </section>`;
}
