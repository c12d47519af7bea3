// Issue 5, the shared plan of care in the browser. The journey the lead engineer asked for: a
// coordinator edits a goal, adds a sick-day plan from a template and freezes a version; the parent
// opens it on a phone in Spanish and asks for a change; the coordinator sees the request. Then the
// editor's guards: a stale save (412), a remove refused because another item links to the item
// (409), the plain-language help, and axe-core on the plan screens in both languages. Every step is
// also checked behind the UI's back through the API, so a screen that only looks right does not pass.
import { test, before, after } from 'node:test';
import assert from 'node:assert/strict';
import fs from 'node:fs';
import path from 'node:path';
import {
    startServer,
    launchBrowser,
    openPage,
    signInUI,
    apiSession,
    panelAll,
    messages,
    exact,
    appUrl,
    axeViolations,
    scrollWidths,
    shotOnFailure,
    waitFor,
    REPO,
    DESKTOP,
    LANGS,
} from './lib/harness.mjs';

const en = messages('en');
const es = messages('es');
// The phone the brief names (an iPhone 12-15 in portrait).
const PHONE390 = { width: 390, height: 844 };
let server;
let browser;

before(async () => {
    server = await startServer({ name: 'plan' });
    browser = await launchBrowser();
});

after(async () => {
    await browser?.close();
    await server?.stop();
});

function escape(s) {
    return s.replace(/[.*+?^${}()|[\]\\]/g, '\\$&');
}

/** A RegExp for a button whose accessible name starts with the message (labels add the item). */
function startsWith(s) {
    return new RegExp(`^\\s*${escape(s)}`);
}

/** A word no demo text has, so a test finds its own items and nobody else's. */
function tag() {
    return `${Date.now().toString(36)}${Math.floor(Math.random() * 1e4).toString(36)}`;
}

/** family.demo-0001's child, with coord.ada's session (she must reach it) and the family's. */
async function familyChild() {
    const fam = await apiSession(server, 'family.demo-0001');
    const kids = await panelAll(fam);
    assert.equal(kids.length, 1, 'family.demo-0001 should have one child in the demo');
    const ada = await apiSession(server, 'coord.ada');
    const adaKids = await panelAll(ada);
    assert.ok(
        adaKids.some((c) => c.id === kids[0].id),
        'coord.ada should reach family.demo-0001\'s child in the demo',
    );
    return { child: kids[0], fam, ada };
}

/** Creates a plan item through the API (201) and returns it. */
async function createItem(s, childId, pathSeg, body) {
    const r = await s.req('POST', `/api/children/${childId}/plan/${pathSeg}`, body);
    assert.equal(r.status, 201, `POST plan/${pathSeg}: ${r.status} ${JSON.stringify(r.json)}`);
    return r.json;
}

async function workingPlan(s, childId) {
    return s.get(`/api/children/${childId}/plan`);
}

async function openPlanTab(page, childId, t = en) {
    await page.goto(appUrl(server, `/children/${childId}/plan`));
    await page.getByRole('heading', { level: 2, name: exact(t('plan.title')) }).waitFor();
    await page.getByRole('heading', { name: startsWith(t('plan.kind.goal')) }).waitFor();
}

test('a coordinator edits a goal, adds a sick-day plan from a template and freezes a version; the parent asks for a change in Spanish on a phone; the coordinator sees the request', async (tt) => {
    const { child, fam, ada } = await familyChild();
    const mark = tag();
    const goal = await createItem(ada, child.id, 'goals', { text: `Rowan rides the bus ${mark}.`, status: 'active', lang: 'en' });
    const before = (await workingPlan(ada, child.id)).state;
    const templates = (await ada.get('/api/plan/templates')).items;
    const seizures = templates.find((x) => x.id === 'seizures');
    assert.ok(seizures, 'the seizures starter template is served');

    // ---- the coordinator, on a desktop, in English -------------------------------------------
    const coord = await openPage(browser, { viewport: DESKTOP });
    tt.after(() => coord.context.close());
    const page = coord.page;
    const newText = `Rowan rides the school bus with a friend ${mark}.`;
    const call = `Call Ada Coordinator at 555-0142 ${mark}.`;
    let version;
    try {
        await signInUI(page, server, 'coord.ada');
        await openPlanTab(page, child.id);

        // Edit the goal.
        const card = page.locator(`#plan-item-${goal.id}`);
        await card.getByRole('button', { name: startsWith(en('planedit.item.edit')) }).click();
        const goalText = card.getByLabel(exact(en('plan.field.goal.text')));
        await goalText.fill(newText);
        await card.getByRole('button', { name: exact(en('common.save')) }).click();
        await page.getByText(en('planedit.notice.saved', { item: en('plan.item.goal') })).waitFor();
        await card.getByText(newText).waitFor();
        const g = await ada.get(`/api/children/${child.id}/plan/goals/${goal.id}`);
        assert.equal(g.text, newText, 'the goal was not changed on the server');
        assert.equal(g.version, goal.version + 1, 'the goal was not saved exactly once');

        // Add a sick-day plan from the seizures template, then make it this child's.
        const plansBefore = (await workingPlan(ada, child.id)).document.elements.action_plan.map((x) => x.id);
        await page.getByRole('button', { name: exact(en('planedit.template.open')) }).click();
        const dialog = page.getByRole('dialog', { name: exact(en('planedit.template.title')) });
        await dialog.getByLabel(exact(seizures.title.en)).check();
        await dialog.getByRole('button', { name: exact(en('planedit.template.add')) }).click();
        const editTitle = page.getByRole('heading', { name: exact(en('planedit.form.edit_title', { item: en('plan.item.action_plan') })) });
        await editTitle.waitFor();
        const form = page.locator('form', { has: editTitle });
        await form.getByLabel(exact(en('plan.field.action_plan.call'))).fill(call);
        await form.getByRole('button', { name: exact(en('common.save')) }).click();
        await page.getByText(en('planedit.notice.saved', { item: en('plan.item.action_plan') })).waitFor();
        const plansAfter = (await workingPlan(ada, child.id)).document.elements.action_plan;
        const added = plansAfter.filter((x) => !plansBefore.includes(x.id));
        assert.equal(added.length, 1, 'exactly one sick-day plan should have been added');
        assert.equal(added[0].template, 'seizures');
        assert.equal(added[0].call, call, 'the edit after adding the template was not saved');
        assert.ok(added[0].translations?.es?.title, 'the template\'s Spanish came with it');
        // Steps are shown one per line as a numbered list, and so is their Spanish beside them.
        const steps = page.locator(`#plan-item-${added[0].id} .plan-item-body ol.plan-steps li`);
        assert.equal(await steps.count(), seizures.steps.length, 'the steps are not a numbered list of the template\'s steps');
        const stepsEs = page.locator(`#plan-item-${added[0].id} .translation-block ol.plan-steps[lang="es"] li`);
        assert.equal(await stepsEs.count(), seizures.steps.length, 'the Spanish steps are not a numbered list');

        // The plan tab passes axe with the forms closed.
        const v1 = await axeViolations(page);
        assert.deepEqual(v1, [], `axe on the plan tab:\n${JSON.stringify(v1, null, 2)}`);

        // Freeze a version.
        await page.getByRole('link', { name: exact(en('planedit.tab.versions')) }).click();
        await page.getByRole('heading', { level: 2, name: exact(en('planedit.versions.title')) }).waitFor();
        await page.getByLabel(exact(en('planedit.freeze.note'))).fill(`Bus and seizure plan ${mark}`);
        await page.getByRole('button', { name: exact(en('planedit.freeze.submit')) }).click();
        version = (before.latest_version || 0) + 1;
        await page.getByText(en('planedit.freeze.done', { n: version })).waitFor();
        const versions = (await ada.get(`/api/children/${child.id}/plan/versions`)).items;
        assert.equal(versions[0].number, version, 'the new version is not the latest on the server');
        assert.equal(versions[0].note, `Bus and seizure plan ${mark}`);
        await page.getByRole('link', { name: exact(en('plan.version', { n: version })) }).waitFor();
        // Freezing again with nothing changed is said kindly, not as an error.
        await page.getByRole('button', { name: exact(en('planedit.freeze.submit')) }).click();
        await page.getByText(en('planedit.freeze.unchanged')).waitFor();
        assert.equal((await ada.get(`/api/children/${child.id}/plan/versions`)).items[0].number, version, 'a second version was frozen');
        await coord.watch.assertClean('on the coordinator\'s plan screens');
    } catch (e) {
        e.message += `\n(screenshot: ${await shotOnFailure(page, 'plan-coordinator')})`;
        throw e;
    }

    // ---- the parent, on a phone, in Spanish ---------------------------------------------------
    const words = `Por favor, añadan que Rowan usa audífonos en el autobús ${mark}.`;
    const parent = await openPage(browser, { viewport: PHONE390, isMobile: true, hasTouch: true });
    tt.after(() => parent.context.close());
    const pp = parent.page;
    try {
        await signInUI(pp, server, 'family.demo-0001');
        const lang0 = (await fam.get('/api/me')).user.language;
        const t0 = messages(lang0);
        await pp.getByRole('link', { name: exact(t0('planedit.family.open')) }).click();
        await pp.getByRole('heading', { level: 1, name: exact(t0('planedit.family.title', { name: child.given_name })) }).waitFor();
        if (lang0 !== 'es') await pp.getByRole('button', { name: exact('Español') }).click();
        await pp.getByRole('heading', { level: 1, name: exact(es('planedit.family.title', { name: child.given_name })) }).waitFor();
        await waitFor(async () => (await fam.get('/api/me')).user.language === 'es', { what: 'the language saved on the account' });

        // The latest version, emergency information first, in Spanish.
        await pp.getByText(es('plan.version', { n: version }), { exact: true }).waitFor();
        const headings = await pp.locator('main h2').allInnerTexts();
        assert.equal(headings[0].trim(), es('planedit.family.urgent'), `emergency information should come first: ${JSON.stringify(headings)}`);
        await pp.getByText(seizures.title.es, { exact: true }).first().waitFor();
        // The goal was written in English and nobody translated it: the original, marked.
        const goalLine = pp.locator('li.plan-item', { hasText: newText });
        await goalLine.getByText(es('plan.not_translated'), { exact: true }).waitFor();
        assert.equal(await goalLine.locator(`[lang="en"]`, { hasText: newText }).count(), 1, 'the English original is not marked lang="en"');
        const w = await scrollWidths(pp);
        assert.ok(w.scrollWidth <= PHONE390.width, `the family plan scrolls sideways: ${JSON.stringify(w)}`);
        const v2 = await axeViolations(pp);
        assert.deepEqual(v2, [], `axe on the family plan (es):\n${JSON.stringify(v2, null, 2)}`);

        // Ask for a change: the words are required, and the error summary takes the focus.
        await pp.getByRole('button', { name: exact(es('planedit.family.go_review')) }).click();
        await pp.getByLabel(exact(es('plan.review.change_requested'))).check();
        await pp.getByRole('button', { name: exact(es('planedit.review.send')) }).click();
        await pp.getByText(es('planedit.review.comment_needed')).first().waitFor();
        assert.equal(await pp.evaluate(() => document.activeElement.classList.contains('error-summary')), true, 'focus did not move to the error summary');
        await pp.getByLabel(exact(es('planedit.review.comment_family'))).fill(words);
        await pp.getByRole('button', { name: exact(es('planedit.review.send')) }).click();
        await pp.getByText(es('planedit.family.thanks')).waitFor();
        await pp.locator('.review-list').getByText(words).waitFor();
        const reviews = await ada.get(`/api/children/${child.id}/plan/reviews`);
        const mine = (reviews.items || reviews).find((r) => r.comment === words);
        assert.ok(mine, 'the review is not on the server');
        assert.equal(mine.decision, 'change_requested');
        assert.equal(mine.version, version);
        assert.equal(mine.in_person, false);
        await parent.watch.assertClean('on the family plan');
    } catch (e) {
        e.message += `\n(screenshot: ${await shotOnFailure(pp, 'plan-parent')})`;
        throw e;
    } finally {
        // Leave the account as it was for the other files' tests (each file has its own server,
        // but tests in this one share it).
        await fam.req('PATCH', '/api/me', { language: 'en' });
    }

    // ---- the coordinator sees the request ----------------------------------------------------
    try {
        await openPlanTab(page, child.id);
        const box = page.locator('.open-requests');
        await box.getByRole('heading', { name: exact(en('planedit.requests.title.one', { n: 1 })) }).waitFor();
        await box.getByText(words).waitFor();
        await page.goto(appUrl(server, '/'));
        const row = page.locator('table tbody tr', { has: page.getByRole('link', { name: exact(child.name) }) });
        await page.getByLabel(exact(en('panel.search.label'))).fill(child.family_name);
        await row.getByText(en('planedit.panel.requests.one', { n: 1 })).waitFor();
        await coord.watch.assertClean('when the coordinator reads the request');
    } catch (e) {
        e.message += `\n(screenshot: ${await shotOnFailure(page, 'plan-coordinator-request')})`;
        throw e;
    }
});

test('a save over someone else\'s change says so, and Reload shows their version in the form', async (tt) => {
    const { child, ada } = await familyChild();
    const mark = tag();
    const goal = await createItem(ada, child.id, 'goals', { text: `Sleep through the night ${mark}.`, status: 'active', lang: 'en' });
    const { page, context, watch } = await openPage(browser, { viewport: DESKTOP });
    tt.after(() => context.close());
    try {
        await signInUI(page, server, 'coord.ada');
        await openPlanTab(page, child.id);
        const card = page.locator(`#plan-item-${goal.id}`);
        await card.getByRole('button', { name: startsWith(en('planedit.item.edit')) }).click();
        const box = card.getByLabel(exact(en('plan.field.goal.text')));
        await box.fill(`Mine ${mark}`);
        // Someone else saves first.
        const theirs = `Theirs ${mark}`;
        const r = await ada.req('PATCH', `/api/children/${child.id}/plan/goals/${goal.id}`, { text: theirs }, { 'If-Match': `"${goal.version}"` });
        assert.equal(r.status, 200);
        await card.getByRole('button', { name: exact(en('common.save')) }).click();
        await card.getByText(en('common.stale')).waitFor();
        assert.equal((await ada.get(`/api/children/${child.id}/plan/goals/${goal.id}`)).text, theirs, 'the stale save changed the goal');
        await card.getByRole('button', { name: exact(en('common.reload')) }).click();
        await waitFor(async () => (await box.inputValue()) === theirs, { what: 'the form to show the other person\'s text' });
        await watch.assertClean('on the stale save');
    } catch (e) {
        e.message += `\n(screenshot: ${await shotOnFailure(page, 'plan-stale')})`;
        throw e;
    }
});

test('removing a goal that an action still links to is refused with the reason, and the goal stays', async (tt) => {
    const { child, ada } = await familyChild();
    const mark = tag();
    const goal = await createItem(ada, child.id, 'goals', { text: `Walk to the park ${mark}.`, status: 'active', lang: 'en' });
    await createItem(ada, child.id, 'actions', { text: `Practise with the walker ${mark}.`, goal_id: goal.id, owner: 'Physical therapist', status: 'in_progress', lang: 'en' });
    const { page, context, watch } = await openPage(browser, { viewport: DESKTOP });
    tt.after(() => context.close());
    try {
        await signInUI(page, server, 'coord.ada');
        await openPlanTab(page, child.id);
        // The action shows its goal by the goal's words.
        await page.locator('li.plan-item', { hasText: `Practise with the walker ${mark}.` }).getByText(`Walk to the park ${mark}.`).waitFor();
        await page.locator(`#plan-item-${goal.id}`).getByRole('button', { name: startsWith(en('planedit.item.remove')) }).click();
        const dialog = page.getByRole('dialog');
        await dialog.getByRole('button', { name: exact(en('planedit.remove.confirm')) }).click();
        await dialog.getByText(en('planedit.remove.linked'), { exact: false }).waitFor();
        const v = await axeViolations(page);
        assert.deepEqual(v, [], `axe on the refused remove:\n${JSON.stringify(v, null, 2)}`);
        const r = await ada.req('GET', `/api/children/${child.id}/plan/goals/${goal.id}`);
        assert.equal(r.status, 200, 'the linked goal was removed');
        await dialog.getByRole('button', { name: exact(en('common.cancel')) }).click();
        await watch.assertClean('on the refused remove');
    } catch (e) {
        e.message += `\n(screenshot: ${await shotOnFailure(page, 'plan-remove-linked')})`;
        throw e;
    }
});

test('the plain-language help grades what is typed, offers plain words that replace the term, and never stops a save', async (tt) => {
    const { child, ada } = await familyChild();
    const glossary = JSON.parse(fs.readFileSync(path.join(REPO, 'data', 'glossary', 'en.json'), 'utf8'));
    const entry = glossary.terms.find((x) => x.term === 'dysphagia');
    assert.ok(entry, 'the glossary has dysphagia');
    const mark = tag();
    const hard = `Because of persistent oropharyngeal dysphagia, comprehensive multidisciplinary evaluation and individualized therapeutic interventions are recommended ${mark}.`;
    const { page, context, watch } = await openPage(browser, { viewport: DESKTOP });
    tt.after(() => context.close());
    try {
        await signInUI(page, server, 'coord.ada');
        await openPlanTab(page, child.id);
        await page.getByRole('button', { name: exact(en('planedit.add', { item: en('plan.item.concern').toLowerCase() })) }).click();
        const box = page.getByLabel(exact(en('plan.field.concern.text')));
        await box.fill(hard);
        // Above the target: the grade and the aim, the hardest sentence, the plain words.
        // The words between the grade and the target: "Aim for grade" (not in the "meets" message).
        const aim = en('planedit.plain.above').split('{grade}')[1].split('{target}')[0].replace(/^[.\s]+/, '').trim();
        await page.getByText(new RegExp(escape(aim))).waitFor();
        await page.locator('.plain-hardest').getByText(hard.slice(0, 30), { exact: false }).waitFor();
        await page.getByRole('button', { name: exact(en('planedit.plain.use', { plain: entry.plain })) }).click();
        await waitFor(async () => (await box.inputValue()).includes(entry.plain) && !(await box.inputValue()).includes('dysphagia'), { what: 'the term to be replaced' });
        const text = await box.inputValue();
        // Advice only: the text is still above the target and saves.
        await page.getByRole('button', { name: exact(en('common.save')) }).click();
        await page.getByText(en('planedit.notice.added', { item: en('plan.item.concern') })).waitFor();
        const concerns = (await workingPlan(ada, child.id)).document.elements.concern;
        assert.ok(concerns.some((c) => c.text === text), 'the concern was not saved as typed');
        await watch.assertClean('in the plain-language help');
    } catch (e) {
        e.message += `\n(screenshot: ${await shotOnFailure(page, 'plan-plain')})`;
        throw e;
    }
});

for (const lang of LANGS) {
    const t = messages(lang);
    test(`the plan tab, its forms, the versions and the family plan have no axe violations (${lang})`, async (tt) => {
        const { child, ada, fam } = await familyChild();
        // At least one version, so every screen has something in it.
        const st = (await workingPlan(ada, child.id)).state;
        if (!st.latest_version || st.changed_since_latest) {
            await createItem(ada, child.id, 'concerns', { text: `A concern for the axe walk ${tag()}.`, lang: 'en' });
            const r = await ada.req('POST', `/api/children/${child.id}/plan/versions`, { note: 'axe' });
            assert.equal(r.status, 201, `freeze: ${r.status} ${JSON.stringify(r.json)}`);
        }
        const { page, context, watch } = await openPage(browser, { viewport: DESKTOP });
        tt.after(() => context.close());
        const problems = [];
        const check = async (name) => {
            const v = await axeViolations(page);
            if (v.length) problems.push({ screen: `${name} (${lang})`, violations: v, shot: await shotOnFailure(page, `plan-axe-${name}-${lang}`) });
        };
        await fam.req('PATCH', '/api/me', { language: lang });
        await ada.req('PATCH', '/api/me', { language: lang });
        try {
            await signInUI(page, server, 'coord.ada');
            await openPlanTab(page, child.id, t);
            await check('plan-tab');
            await page.getByRole('button', { name: exact(t('planedit.add', { item: t('plan.item.goal').charAt(0).toLowerCase() + t('plan.item.goal').slice(1) })) }).click();
            await page.getByRole('heading', { name: exact(t('planedit.form.add_title', { item: t('plan.item.goal') })) }).waitFor();
            await page.getByRole('button', { name: exact(t('common.save')) }).click();
            await page.locator('.error-summary').waitFor();
            await check('plan-add-errors');
            await page.getByRole('button', { name: exact(t('common.cancel')) }).click();
            await page.getByRole('button', { name: exact(t('planedit.template.open')) }).click();
            await page.getByRole('dialog').getByRole('radio').first().waitFor();
            await check('plan-template');
            await page.keyboard.press('Escape');
            await page.goto(appUrl(server, `/children/${child.id}/versions`));
            await page.getByRole('heading', { level: 2, name: exact(t('planedit.versions.title')) }).waitFor();
            await page.locator('table tbody tr').first().waitFor();
            await page.getByRole('button', { name: exact(t('planedit.compare.submit')) }).click();
            await page.locator('.diff-panel[aria-busy="false"]').waitFor();
            await check('versions-compare');
            await page.locator('table tbody tr a').first().click();
            await page.getByRole('heading', { name: exact(t('planedit.versions.content')) }).waitFor();
            await check('version-view');
            await watch.assertClean(`on the staff plan screens (${lang})`);

            const phone = await openPage(browser, { viewport: PHONE390, isMobile: true, hasTouch: true });
            tt.after(() => phone.context.close());
            await signInUI(phone.page, server, 'family.demo-0001', { route: `/children/${child.id}/plan` });
            await phone.page.getByRole('heading', { level: 2, name: exact(t('planedit.family.urgent')) }).waitFor();
            const v = await axeViolations(phone.page);
            if (v.length) problems.push({ screen: `family-plan (${lang})`, violations: v, shot: await shotOnFailure(phone.page, `plan-axe-family-${lang}`) });
            await phone.watch.assertClean(`on the family plan (${lang})`);
        } finally {
            await fam.req('PATCH', '/api/me', { language: 'en' });
            await ada.req('PATCH', '/api/me', { language: 'en' });
        }
        assert.deepEqual(problems, [], `accessibility problems:\n${JSON.stringify(problems, null, 2)}`);
    });
}
