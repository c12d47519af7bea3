// The shared plan of care on paper (docs/api.md plan.pdf / emergency.pdf, docs/plan.md "On
// paper"): English and Spanish PDFs of a child with an item of every kind, read back with
// poppler's pdftotext and pdfinfo: the child's name, every kind's heading from
// data/messages/<lang>/plan.json in plan order, accented words intact, "page X of N" on every
// page, "Not translated yet" / "Aún no traducido" beside text nobody translated, the emergency
// sheet alone on one page, and the errors for a missing version and an unknown language.
import { test, before, after } from 'node:test';
import assert from 'node:assert/strict';
import fs from 'node:fs';
import path from 'node:path';
import {
    PLAN_KINDS,
    REPO,
    addFamilyAccount,
    assertError,
    assertNoHeaderViolations,
    assertRecord,
    client,
    createChild,
    createPlanItem,
    pdfInfo,
    pdfText,
    requestBytes,
    samplePlanItem,
    startServer,
    stopCleanly,
} from './lib/harness.mjs';

const NOT_TRANSLATED = { en: 'Not translated yet', es: 'Aún no traducido' };

let server;
let admin;
let ada;
let fam; // the child's family account, language es
let child;
const pdfs = {}; // "plan-en" -> {res, text, pages, info}

/** The labels of data/messages/<lang>/<file>.json. */
function messages(lang, file) {
    const p = path.join(REPO, 'data/messages', lang, `${file}.json`);
    return fs.existsSync(p) ? JSON.parse(fs.readFileSync(p, 'utf8')) : {};
}

/** "page 1 of 3" in lang, from print.json's page-number string when it has one. */
function pageLabel(lang, page, pages) {
    const print = messages(lang, 'print');
    const tpl = Object.values(print).find((v) => typeof v === 'string' && v.includes('{page}') && v.includes('{pages}'));
    const t = tpl ?? (lang === 'es' ? 'página {page} de {pages}' : 'page {page} of {pages}');
    return t.replace('{page}', String(page)).replace('{pages}', String(pages));
}

/** Runs of white space as one space: pdftotext breaks lines where the layout does. */
const flat = (s) => s.replace(/\s+/g, ' ');

before(async () => {
    server = await startServer({ name: 'planprint' });
    const c = client(server);
    admin = (await c.signIn('admin')).bearer();
    ada = await c.signIn('coord.ada');
    const rec = await createChild(ada, { given_name: 'Lucía', family_name: 'Peñafiel' });
    child = rec;
    fam = (await addFamilyAccount(admin, rec.id, 'P', 'es')).session;
    const id = rec.id;
    const put = async (p, item, fields) => {
        const res = await ada.req('PUT', `/api/children/${id}/plan/${p}/${item.id}/translation`, {
            query: { lang: item.lang === 'es' ? 'en' : 'es' },
            body: fields,
            ifMatch: item.version,
        });
        return assertRecord(res, 200);
    };
    // Every kind, some translated, some not; one written in Spanish.
    const summary = await createPlanItem(ada, id, 'summary', { text: 'Lucía is 8. She loves music and her brother.' });
    await put('summary', summary, { text: 'Lucía tiene 8 años. Le encanta la música y su hermano.' });
    const goal = await createPlanItem(ada, id, 'goals', samplePlanItem('goal', {}, { text: 'Sleep through the night' }));
    await put('goals', goal, { text: 'Que la niña duerma toda la noche' });
    const concern = await createPlanItem(ada, id, 'concerns', samplePlanItem('concern', {}, { text: 'Weight gain has slowed since spring' }));
    await createPlanItem(ada, id, 'actions', samplePlanItem('action', { goal: goal.id, concern: concern.id }));
    await createPlanItem(
        ada,
        id,
        'conditions',
        samplePlanItem('condition', {}, { description: 'Convulsión focal: la niña se queda quieta y mira fijo', notes: undefined, lang: 'es' }),
    );
    const allergy = await createPlanItem(ada, id, 'allergies', samplePlanItem('allergy'));
    await put('allergies', allergy, { substance: 'Penicilina', reaction: 'Ronchas en el pecho' });
    await createPlanItem(ada, id, 'medications', samplePlanItem('medication'));
    await createPlanItem(ada, id, 'equipment', samplePlanItem('equipment'));
    const ap = await ada.req('POST', `/api/children/${id}/plan/action-plans/from-template`, { body: { template: 'seizures' } });
    assertRecord(ap, 201);
    const tr = await createPlanItem(ada, id, 'transitions', samplePlanItem('transition'));
    await createPlanItem(ada, id, 'milestones', samplePlanItem('milestone', { transition: tr.id }));
    const v = await ada.req('POST', `/api/children/${id}/plan/versions`, { body: { note: 'For print' } });
    assert.equal(v.status, 201, v.text);

    for (const part of ['plan', 'emergency']) {
        for (const lang of ['en', 'es']) {
            const res = await requestBytes(ada, `/api/children/${id}/${part}.pdf`, { query: { lang } });
            assert.equal(res.status, 200, `${part}.pdf ${lang}: ${res.status} ${res.text.slice(0, 300)}`);
            const text = await pdfText(res.bytes);
            const info = await pdfInfo(res.bytes);
            pdfs[`${part}-${lang}`] = { res, text, pages: text.split('\f').slice(0, info.Pages), info };
        }
    }
});

after(async () => {
    if (server && !server.exitInfo) await server.stop();
});

test('plan.pdf and emergency.pdf: 200 application/pdf, inline, filename plan-<record>-v<n>-<lang>.pdf', () => {
    for (const lang of ['en', 'es']) {
        for (const part of ['plan', 'emergency']) {
            const { res } = pdfs[`${part}-${lang}`];
            assert.match(res.headers.get('content-type'), /^application\/pdf\b/, `${part} ${lang}: Content-Type`);
            assert.equal(res.bytes.subarray(0, 5).toString('latin1'), '%PDF-', `${part} ${lang}: not a PDF`);
            const cd = res.headers.get('content-disposition') || '';
            if (part === 'plan') assert.equal(cd, `inline; filename="plan-${child.record_number}-v1-${lang}.pdf"`);
            // The doc gives the name for plan.pdf; the emergency sheet's may say so (doc-silent).
            else assert.match(cd, new RegExp(`^inline; filename="(plan|emergency)-${child.record_number}-v1-${lang}\\.pdf"$`), `emergency ${lang}: ${cd}`);
            assert.match(res.headers.get('cache-control') || '', /no-store/, 'a plan is health information: not cached');
        }
    }
});

for (const lang of ['en', 'es']) {
    test(`plan.pdf (${lang}): the child's name, every kind's heading in plan order, accents intact, page X of N`, () => {
        const { text, pages, info } = pdfs[`plan-${lang}`];
        const all = flat(text);
        assert.ok(info.Pages >= 2, `plan.pdf has ${info.Pages} page(s): page 1 is the emergency sheet, then the plan`);
        assert.ok(all.includes('Lucía') && all.includes('Peñafiel'), `the child's name is not in the ${lang} PDF`);
        // Headings: every kind's section title from plan.json; in the plan after the emergency
        // sheet they come in plan order.
        const labels = messages(lang, 'plan');
        const headings = PLAN_KINDS.map(({ kind }) => labels[`plan.kind.${kind}`]);
        headings.forEach((h, i) => assert.ok(h, `data/messages/${lang}/plan.json has no plan.kind.${PLAN_KINDS[i].kind}`));
        // (Checked at the end, so that a missing heading does not hide the other findings.)
        const missing = headings.filter((h) => !all.includes(flat(h)));
        const body = flat(pages.slice(1).join(' '));
        let at = -1;
        const found = [];
        for (const h of headings) {
            const i = body.indexOf(flat(h), at + 1);
            if (i < 0) continue; // on the emergency sheet only
            assert.ok(i > at, `heading "${h}" comes before "${found.at(-1)}" in the ${lang} plan`);
            found.push(h);
            at = i;
        }
        assert.ok(found.length >= 6, `only ${found.length} kind headings after the emergency sheet: ${found.join(', ')}`);
        // Accented words survive, in both the item written in Spanish and the translations.
        assert.ok(all.includes('Convulsión'), `"Convulsión" is not intact in the ${lang} PDF`);
        assert.ok(all.includes('niña'), `"niña" is not intact in the ${lang} PDF`);
        if (lang === 'es') {
            assert.ok(all.includes('Penicilina'), 'the Spanish translation of the allergy is not used');
            assert.ok(all.includes('Lucía tiene 8 años'), 'the Spanish summary is not used');
        } else {
            assert.ok(all.includes('Penicillin'));
        }
        // "page X of N" on every page, N from pdfinfo.
        assert.equal(pages.length, info.Pages);
        pages.forEach((pg, i) => {
            assert.ok(flat(pg).includes(pageLabel(lang, i + 1, info.Pages)), `page ${i + 1} lacks "${pageLabel(lang, i + 1, info.Pages)}"`);
            assert.ok(flat(pg).includes('Lucía'), `page ${i + 1} does not name the child`);
        });
        assert.deepEqual(missing, [], `kind headings of data/messages/${lang}/plan.json missing from the ${lang} PDF`);
    });
}

test('text nobody translated is shown as written, marked "Not translated yet" / "Aún no traducido"', () => {
    // The English plan shows the condition written in Spanish with the English mark; the Spanish
    // plan shows the English concern with the Spanish mark.
    const en = flat(pdfs['plan-en'].text);
    const es = flat(pdfs['plan-es'].text);
    assert.ok(en.includes(NOT_TRANSLATED.en), 'no "Not translated yet" in the English plan');
    assert.ok(es.includes(NOT_TRANSLATED.es), 'no "Aún no traducido" in the Spanish plan');
    assert.ok(es.includes('Weight gain has slowed since spring'), 'the untranslated concern is missing from the Spanish plan');
    assert.ok(en.includes('Convulsión focal'), 'the Spanish-written condition is missing from the English plan');
    // Where a translation exists, the mark is not put on it.
    assert.ok(!en.includes(NOT_TRANSLATED.es) && !es.includes(NOT_TRANSLATED.en), 'the other language\'s mark is in a plan');
});

test('emergency.pdf is the emergency sheet alone: one page, the child, the allergy, the key medicine', () => {
    for (const lang of ['en', 'es']) {
        const { text, info } = pdfs[`emergency-${lang}`];
        const t = flat(text);
        assert.ok(t.includes('Lucía') && t.includes('Peñafiel'), `emergency ${lang}: the child's name`);
        assert.ok(t.includes(lang === 'es' ? 'Penicilina' : 'Penicillin'), `emergency ${lang}: the allergy`);
        assert.ok(t.includes('Levetiracetam'), `emergency ${lang}: the key medicine`);
        assert.ok(t.includes('3.5 uncuffed'), `emergency ${lang}: the trach size`);
        // A child with two sick-day plans (a realistic load): the sheet still stands alone on one page.
        assert.equal(info.Pages, 1, `emergency.pdf (${lang}) has ${info.Pages} pages`);
        assert.ok(t.includes(pageLabel(lang, 1, 1)), `emergency ${lang}: "${pageLabel(lang, 1, 1)}"`);
        // The first page of the plan is the same sheet.
        const first = flat(pdfs[`plan-${lang}`].pages[0]);
        for (const word of ['Penicillin', 'Penicilina', 'Levetiracetam', '3.5 uncuffed'].filter((w) => t.includes(w))) {
            assert.ok(first.includes(word), `page 1 of plan.pdf (${lang}) lacks "${word}" of the emergency sheet`);
        }
    }
});

test('version=0 prints the working plan marked as a draft; version=1 is the frozen one; default lang is the user\'s', async () => {
    const url = `/api/children/${child.id}/plan.pdf`;
    const draft = await requestBytes(ada, url, { query: { version: 0, lang: 'en' } });
    assert.equal(draft.status, 200, draft.text);
    assert.equal(draft.headers.get('content-disposition'), `inline; filename="plan-${child.record_number}-v0-en.pdf"`);
    const draftWord = messages('en', 'print')['print.draft'] ?? 'Draft';
    assert.ok(flat(await pdfText(draft.bytes)).includes(draftWord), `the working plan is not marked "${draftWord}"`);
    const v1 = await requestBytes(ada, url, { query: { version: 1, lang: 'en' } });
    assert.equal(v1.status, 200);
    assert.ok(!flat(await pdfText(v1.bytes)).includes(draftWord), 'a frozen version is marked as a draft');
    // The family account's language is Spanish.
    const famPdf = await requestBytes(fam, url);
    assert.equal(famPdf.status, 200, famPdf.text);
    assert.equal(famPdf.headers.get('content-disposition'), `inline; filename="plan-${child.record_number}-v1-es.pdf"`);
});

test('version=99 is 404, lang=fr is 400, signed out is 401', async () => {
    for (const part of ['plan', 'emergency']) {
        const url = `/api/children/${child.id}/${part}.pdf`;
        const missing = await requestBytes(ada, url, { query: { version: 99 } });
        assertError(missing, 404, 'not_found');
        const fr = await requestBytes(ada, url, { query: { lang: 'fr' } });
        assertError(fr, 400, 'invalid', 'lang');
        assertError(await requestBytes(server, url), 401, 'unauthenticated');
    }
});

test('every response carried the documented security headers', () => {
    assertNoHeaderViolations(server);
});

test('the server stops cleanly on SIGTERM', async () => {
    await stopCleanly(server);
});
