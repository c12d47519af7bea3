// Issue 6, acceptance 5 (the browser): "Find children". Two identification runs are loaded into a
// copy of the demo database with the real command line (`caremap identify --load`) before the
// server starts; the demo analyst then sees the October run's candidates by tier with the rule's
// reason in plain words, enrols one with the keyboard alone (it leaves "not yet enrolled" and a
// program manager finds the child on the panel), and compares October with September. The screen
// passes axe in English and Spanish on a 360 px phone without horizontal scroll, and is hidden from
// roles that do not work with runs. What the screen shows is checked against the API as well, so a
// screen that only looks right does not pass. The expected numbers follow from the fixtures:
// tests/data/identify/registry_e2e/README.md.
import { test, before, after } from 'node:test';
import assert from 'node:assert/strict';
import { spawn, execFile } from 'node:child_process';
import fs from 'node:fs';
import path from 'node:path';
import {
    freshDb,
    launchBrowser,
    openPage,
    signInUI,
    switchLanguage,
    apiSession,
    messages,
    exact,
    appUrl,
    axeViolations,
    scrollWidths,
    scratchPath,
    selectOptionContaining,
    shotOnFailure,
    waitFor,
    BIN,
    REPO,
    DESKTOP,
    PHONE,
    LANGS,
    START_DEADLINE_MS,
    STOP_DEADLINE_MS,
} from './lib/harness.mjs';

const en = messages('en');
const FIXTURES = path.join(REPO, 'tests', 'data', 'identify', 'registry_e2e');
const SEPTEMBER = { claims: 'claims_2026-09.tsv', encounters: 'encounters_2026-09.tsv', as: 'manager' };
const OCTOBER = { claims: 'claims_2026-10.tsv', encounters: 'encounters_2026-10.tsv', as: 'analyst.jo' };
// `caremap demo` loads two runs of its own (src/cmd/demo_identify.c), older than these two.
const DEMO_RUNS = 2;

let browser;
let loaded; // the demo database with both runs, copied for each test's server

function escape(s) {
    return s.replace(/[.*+?^${}()|[\]\\]/g, '\\$&');
}

/** A RegExp for an accessible name that starts with the message (buttons add the member id). */
function startsWith(s) {
    return new RegExp(`^\\s*${escape(s)}`);
}

function run(args) {
    return new Promise((resolve) => {
        execFile(BIN, args, { timeout: 60_000, maxBuffer: 16 << 20 }, (err, stdout, stderr) => {
            resolve({ code: err ? (typeof err.code === 'number' ? err.code : -1) : 0, stdout, stderr });
        });
    });
}

/** Loads one month's claims and encounters into db as `as`, with the real command line. */
async function loadRun(db, m) {
    const args = ['identify', '--algorithm', 'ccc2', '--encounters', path.join(FIXTURES, m.encounters), '--load', '--db', db, '--as', m.as, path.join(FIXTURES, m.claims)];
    const r = await run(args);
    assert.equal(r.code, 0, `caremap ${args.join(' ')} exited ${r.code}:\n${r.stderr}`);
}

before(async () => {
    browser = await launchBrowser();
    loaded = await freshDb('identify-loaded');
    await loadRun(loaded, SEPTEMBER);
    await loadRun(loaded, OCTOBER);
});

after(async () => {
    await browser?.close();
});

/**
 * `caremap serve` on a copy of the loaded database (each test its own, so no test sees another's
 * enrolments). The harness's startServer copies the plain demo database, and the runs must be in
 * the file before the server opens it; this is its start-up, kept the same: the listening line,
 * then stop() with SIGTERM and a deadline.
 */
async function serve(name) {
    const db = scratchPath(`${name}.db`);
    for (const f of [db, `${db}-wal`, `${db}-shm`]) fs.rmSync(f, { force: true });
    fs.copyFileSync(loaded, db);
    if (fs.existsSync(`${loaded}-wal`)) fs.copyFileSync(`${loaded}-wal`, `${db}-wal`);
    const logPath = scratchPath(`${name}.log`);
    const logFd = fs.openSync(logPath, 'a');
    const child = spawn(BIN, ['serve', '--db', db, '--listen', '127.0.0.1:0', '--set', 'login_max_failures=1000'], { stdio: ['ignore', 'pipe', logFd] });
    fs.closeSync(logFd);
    let out = '';
    let exitInfo = null;
    const exited = new Promise((resolve) => child.on('exit', (code, signal) => resolve((exitInfo = { code, signal }))));
    child.stdout.setEncoding('utf8');
    child.stdout.on('data', (d) => {
        if (out.length < 1 << 20) out += d;
    });
    const log = () => fs.readFileSync(logPath, 'utf8');
    let m;
    try {
        m = await waitFor(
            () => {
                if (exitInfo) throw new Error(`caremap serve exited ${JSON.stringify(exitInfo)}:\n${log().slice(-3000)}`);
                return /^caremap: listening on http:\/\/127\.0\.0\.1:(\d+)\s*$/m.exec(out);
            },
            { deadlineMs: START_DEADLINE_MS, what: 'caremap serve to print its listening line', everyMs: 10 },
        );
    } catch (e) {
        if (!exitInfo) child.kill('SIGKILL');
        throw e;
    }
    return {
        url: `http://127.0.0.1:${m[1]}`,
        db,
        log,
        async stop() {
            if (exitInfo) return exitInfo;
            child.kill('SIGTERM');
            const timer = setTimeout(() => child.kill('SIGKILL'), STOP_DEADLINE_MS);
            const e = await exited;
            clearTimeout(timer);
            return e;
        },
    };
}

/** The two runs through the API: {october, september}, newest first as the screen lists them. */
async function runs(s) {
    const j = await s.get('/api/identify/runs');
    assert.equal(j.total, 2 + DEMO_RUNS, `expected the two loaded runs and the demo's: ${JSON.stringify(j)}`);
    const [october, september] = j.items;
    assert.equal(october.input_name.endsWith(OCTOBER.claims), true, `newest run first: ${october.input_name}`);
    assert.equal(september.input_name.endsWith(SEPTEMBER.claims), true, `older run second: ${september.input_name}`);
    return { october, september };
}

/** Every candidate of a run matching query, through the API. */
async function candidates(s, runId, query = '') {
    const j = await s.get(`/api/identify/runs/${runId}/candidates?limit=200${query}`);
    return j.items;
}

/** The section of a tier (or class) group, found by its heading. */
function group(page, title) {
    return page.locator('section.candidate-group', { has: page.getByRole('heading', { level: 3, name: startsWith(title) }) });
}

/** The number in a group heading's "(N)". */
async function groupCount(page, title) {
    const h = group(page, title).getByRole('heading', { level: 3 });
    await h.locator('.count').waitFor();
    const m = /\((\d+)\)/.exec(await h.locator('.count').innerText());
    return m ? Number(m[1]) : NaN;
}

/** A candidate's card by member id. */
function card(page, memberId, t = en) {
    return page.locator('li.candidate', { has: page.getByRole('heading', { level: 4, name: exact(t('panel.identify.member', { id: memberId })) }) });
}

/** Opens Find children (or, with route null, waits for the one already opening) until it is in. */
async function openScreen(page, server, t = en, route = '/identify') {
    if (route) await page.goto(appUrl(server, route));
    await page.getByRole('heading', { level: 1, name: exact(t('panel.identify.title')) }).waitFor();
    await page.locator('.runs-table tbody tr').first().waitFor();
    // Every group has its count once its candidates are in.
    for (const tier of [3, 2, 1]) await group(page, t(`panel.identify.tier.${tier}`)).locator('h3 .count').waitFor();
}

test('an analyst sees the runs, who ran them, and the newest run\'s candidates by tier with the reason in plain words', async (tt) => {
    const server = await serve('identify-tiers');
    tt.after(() => server.stop());
    const jo = await apiSession(server, 'analyst.jo');
    const { october, september } = await runs(jo);
    const { page, context, watch } = await openPage(browser, { viewport: DESKTOP });
    tt.after(() => context.close());
    try {
        await signInUI(page, server, 'analyst.jo');
        // The nav shows the screen to an analyst.
        await page.locator('header nav').getByRole('link', { name: exact(en('common.nav.identify')) }).click();
        await openScreen(page, server);

        // The runs: newest first, with who ran each and what it found.
        const rows = page.locator('.runs-table tbody tr');
        assert.equal(await rows.count(), 2 + DEMO_RUNS);
        assert.match(await rows.nth(0).innerText(), /Jo Analyst/);
        assert.match(await rows.nth(0).innerText(), new RegExp(escape(OCTOBER.claims)));
        assert.match(await rows.nth(1).innerText(), /Morgan Manager/);
        assert.equal(await rows.nth(0).getAttribute('aria-current'), 'true', 'the newest run is the one shown');
        await page.getByRole('heading', { level: 2, name: startsWith(en('panel.identify.run.title', { date: '' }).trim()) }).waitFor();

        // Candidates by tier, as the API counts them.
        const counts = {};
        for (const tier of [3, 2, 1]) counts[tier] = await groupCount(page, en(`panel.identify.tier.${tier}`));
        assert.deepEqual(counts, { 3: 4, 2: 2, 1: 0 });
        for (const tier of [3, 2, 1]) {
            const api = await candidates(jo, october.id, `&tier=${tier}`);
            assert.equal(api.length, counts[tier], `tier ${tier}: the screen and the API disagree`);
            const shown = await group(page, en(`panel.identify.tier.${tier}`)).locator('li.candidate h4').allInnerTexts();
            assert.deepEqual(shown.map((s) => s.trim()).sort(), api.map((c) => en('panel.identify.member', { id: c.patient_id })).sort());
        }

        // The reason each rule gives, in plain words, with what the claims show.
        const e2 = card(page, 'E2E0002');
        await e2.getByText(en('panel.identify.rule.tier3_admissions'), { exact: true }).waitFor();
        await e2.getByText(new RegExp(escape(en('panel.identify.enc.admission.other', { n: 2 })))).waitFor();
        await e2.getByText(new RegExp(escape(en('panel.identify.condition.respiratory')))).waitFor();
        const e1 = card(page, 'E2E0001');
        await e1.getByText(en('panel.identify.rule.tier3_technology'), { exact: true }).waitFor();
        await e1.getByText(`${en('panel.identify.condition.neuromusc')}, ${en('panel.identify.flag.tech_dep')}`, { exact: true }).waitFor();
        await card(page, 'E2E0008').getByText(en('panel.identify.rule.tier3_ed_visits'), { exact: true }).waitFor();
        await card(page, 'E2E0004').getByText(en('panel.identify.rule.tier2_complex'), { exact: true }).waitFor();
        // Tier 1 is empty, and says so.
        await group(page, en('panel.identify.tier.1')).getByText(en('panel.identify.empty.not_enrolled')).waitFor();

        // "Show children" on the older run shows its own tiers, and its address opens it again.
        await rows.nth(1).getByRole('button', { name: startsWith(en('panel.identify.show_run')) }).click();
        await waitFor(async () => (await rows.nth(1).getAttribute('aria-current')) === 'true', { what: 'the older run to be shown' });
        await waitFor(async () => (await groupCount(page, en('panel.identify.tier.2'))) === 3, { what: 'September\'s tier 2 count (3)' });
        assert.equal(await groupCount(page, en('panel.identify.tier.3')), 1);
        assert.match(page.url(), new RegExp(`#/identify/${september.id}$`));
        await page.reload();
        await openScreen(page, server, en, null);
        assert.equal(await rows.nth(1).getAttribute('aria-current'), 'true', 'the address did not keep the run');
        assert.equal(await groupCount(page, en('panel.identify.tier.2')), 3);
        await watch.assertClean();
    } catch (e) {
        await shotOnFailure(page, 'identify-tiers');
        throw e;
    }
});

test('an analyst enrols a candidate with the keyboard alone; it leaves "not yet enrolled" and a program manager finds the child on the panel', async (tt) => {
    const server = await serve('identify-enrol');
    tt.after(() => server.stop());
    const jo = await apiSession(server, 'analyst.jo');
    const manager = await apiSession(server, 'manager');
    const { october } = await runs(jo);
    const given = 'Wren';
    const family = `Enroltest${Date.now().toString(36)}`;
    const { page, context, watch } = await openPage(browser, { viewport: DESKTOP });
    tt.after(() => context.close());
    try {
        await signInUI(page, server, 'analyst.jo');
        await openScreen(page, server);
        const tier2 = en('panel.identify.tier.2');
        assert.equal(await groupCount(page, tier2), 2);

        // Enter on "Enrol" opens the form with focus in its first field; type, Tab, type, Enter.
        const c = card(page, 'E2E0006');
        await c.getByRole('button', { name: startsWith(en('panel.identify.enrol')) }).focus();
        await page.keyboard.press('Enter');
        const givenField = c.getByLabel(exact(en('panel.identify.form.given_name')));
        await waitFor(() => givenField.evaluate((el) => el === document.activeElement), { what: 'focus in the given name field' });
        await page.keyboard.type(given);
        await page.keyboard.press('Tab');
        await page.keyboard.type(family);
        await page.keyboard.press('Tab');
        // The date field in en-US takes month, day, year as typed digits.
        await page.keyboard.type('04022015');
        assert.equal(await c.getByLabel(exact(en('panel.identify.form.birth_date'))).inputValue(), '2015-04-02');
        await page.keyboard.press('Enter');

        // The row says Enrolled; an analyst does not join the care team, so there is no link.
        const line = c.locator('.enrolled-line');
        await line.getByText(en('panel.identify.enrolled'), { exact: true }).waitFor();
        await line.getByText(en('panel.identify.enrolled_no_access')).waitFor();
        await waitFor(() => line.evaluate((el) => el === document.activeElement), { what: 'focus on the Enrolled line' });
        assert.equal(await groupCount(page, tier2), 1, 'the group count did not follow the enrolment');

        // Behind the UI's back: the child exists with the claims' member id as record number and
        // the candidate's tier, and the candidate is enrolled.
        const found = (await manager.get(`/api/children?q=${encodeURIComponent(family)}`)).items;
        assert.equal(found.length, 1, `the program manager should find exactly one ${family}`);
        assert.equal(found[0].given_name, given);
        assert.equal(found[0].birth_date, '2015-04-02');
        assert.equal(found[0].tier, 2);
        assert.equal(found[0].record_number, 'E2E0006');
        const enrolled = await candidates(jo, october.id, '&enrolled=1');
        assert.deepEqual(enrolled.map((x) => [x.patient_id, x.child_id]), [['E2E0006', found[0].id]]);

        // Gone from "not yet enrolled" after a reload; there under "Enrolled".
        await page.reload();
        await openScreen(page, server);
        assert.equal(await groupCount(page, tier2), 1);
        assert.equal(await card(page, 'E2E0006').count(), 0, 'the enrolled candidate is still listed as not yet enrolled');
        await page.getByLabel(exact(en('panel.identify.show.label'))).selectOption('enrolled');
        await card(page, 'E2E0006').locator('.enrolled-line').getByText(en('panel.identify.enrolled'), { exact: true }).waitFor();
        await watch.assertClean();

        // The program manager finds the child on the panel, and from Find children reaches the record.
        const pm = await openPage(browser, { viewport: DESKTOP });
        tt.after(() => pm.context.close());
        await signInUI(pm.page, server, 'manager');
        await pm.page.getByLabel(exact(en('panel.search.label'))).fill(family);
        await pm.page.getByRole('link', { name: new RegExp(escape(`${given} ${family}`)) }).waitFor();
        await openScreen(pm.page, server);
        await pm.page.getByLabel(exact(en('panel.identify.show.label'))).selectOption('enrolled');
        await card(pm.page, 'E2E0006').getByRole('link', { name: exact(en('panel.identify.open_child')) }).click();
        await pm.page.waitForURL(new RegExp(`#/children/${found[0].id}$`));
        await pm.page.getByRole('heading', { level: 1, name: new RegExp(escape(family)) }).waitFor();
        await pm.watch.assertClean();
    } catch (e) {
        await shotOnFailure(page, 'identify-enrol');
        throw e;
    }
});

test('comparing October with September shows who is new, who changed tier and who is no longer found, with the counts', async (tt) => {
    const server = await serve('identify-compare');
    tt.after(() => server.stop());
    const jo = await apiSession(server, 'analyst.jo');
    const { october, september } = await runs(jo);
    const api = await jo.get(`/api/identify/runs/${october.id}/compare?with=${september.id}`);
    assert.deepEqual(api.counts, { new: 3, changed: 1, dropped: 1 }, 'the fixtures give 3 new, 1 changed and 1 dropped');
    const { page, context, watch } = await openPage(browser, { viewport: DESKTOP });
    tt.after(() => context.close());
    try {
        await signInUI(page, server, 'analyst.jo');
        await openScreen(page, server);
        await selectOptionContaining(page.getByLabel(exact(en('panel.identify.compare.label'))), SEPTEMBER.claims);

        const button = (cat) => page.locator(`.compare-buttons button[data-category="${cat}"]`);
        const count = async (cat) => {
            await waitFor(async () => /^\d+$/.test((await button(cat).locator('.count').innerText()).trim()), { what: `the ${cat} count` });
            return Number((await button(cat).locator('.count').innerText()).trim());
        };
        assert.deepEqual({ new: await count('new'), changed: await count('changed'), dropped: await count('dropped') }, api.counts);
        assert.match(await button('changed').innerText(), new RegExp(escape(en('panel.identify.compare.changed'))));
        assert.match(await button('dropped').innerText(), new RegExp(escape(en('panel.identify.compare.dropped'))));
        assert.match(await button('new').innerText(), startsWith(en('panel.identify.compare.new', { date: '' }).trim()));

        const members = () => page.locator('.compare-table tbody th[scope="row"]').allInnerTexts();
        const expect = { new: ['E2E0004', 'E2E0005', 'E2E0008'], changed: ['E2E0002'], dropped: ['E2E0003'] };
        for (const cat of ['new', 'changed', 'dropped']) {
            await button(cat).click();
            await waitFor(async () => (await button(cat).getAttribute('aria-pressed')) === 'true', { what: `${cat} pressed` });
            await waitFor(async () => JSON.stringify((await members()).map((s) => s.trim())) === JSON.stringify(expect[cat]), {
                what: `the ${cat} members ${expect[cat].join(', ')}`,
            });
        }
        // The change shows both tiers; the dropped member is no longer found in October.
        await button('changed').click();
        const row = page.locator('.compare-table tbody tr', { hasText: 'E2E0002' });
        await row.getByText(en('panel.identify.tier.2'), { exact: true }).waitFor();
        await row.getByText(en('panel.identify.tier.3'), { exact: true }).waitFor();
        await button('dropped').click();
        await page.locator('.compare-table tbody tr', { hasText: 'E2E0003' }).getByText(en('panel.identify.compare.absent'), { exact: true }).waitFor();
        await watch.assertClean();
    } catch (e) {
        await shotOnFailure(page, 'identify-compare');
        throw e;
    }
});

for (const lang of LANGS) {
    test(`Find children has no axe violations and no horizontal scroll on a 360 px phone (${lang})`, async (tt) => {
        const server = await serve(`identify-a11y-${lang}`);
        tt.after(() => server.stop());
        const t = messages(lang);
        const { page, context, watch } = await openPage(browser, { viewport: PHONE, isMobile: true, hasTouch: true, locale: lang === 'es' ? 'es-419' : 'en-US' });
        tt.after(() => context.close());
        const problems = [];
        const check = async (where) => {
            const v = await axeViolations(page);
            if (v.length) problems.push({ where, violations: v, shot: await shotOnFailure(page, `axe-identify-${where}-${lang}`) });
            const w = await scrollWidths(page);
            if (w.scrollWidth > w.clientWidth) problems.push({ where, scroll: w, shot: await shotOnFailure(page, `scroll-identify-${where}-${lang}`) });
        };
        try {
            // The sign-in screen follows the browser's language; the shell then the account's (en).
            await signInUI(page, server, 'analyst.jo', { lang });
            if (lang !== 'en') await switchLanguage(page, 'en', lang);
            await openScreen(page, server, t);
            await card(page, 'E2E0002', t).getByText(t('panel.identify.rule.tier3_admissions'), { exact: true }).waitFor();
            await check('candidates');

            await card(page, 'E2E0004', t).getByRole('button', { name: startsWith(t('panel.identify.enrol')) }).click();
            const form = card(page, 'E2E0004', t).locator('form');
            await form.getByRole('button', { name: exact(t('panel.identify.form.submit')) }).click();
            await form.locator('[aria-invalid="true"]').first().waitFor();
            await check('enrol-form-error');

            await selectOptionContaining(page.getByLabel(exact(t('panel.identify.compare.label'))), SEPTEMBER.claims);
            await page.locator('.compare-table tbody tr').first().waitFor();
            await check('compare');
            assert.equal(await page.evaluate(() => document.documentElement.lang), lang);
        } catch (e) {
            problems.push({ error: String(e.message).split('\n')[0], shot: await shotOnFailure(page, `identify-phone-${lang}`) });
        }
        assert.deepEqual(problems, [], `Find children on a phone (${lang}):\n${JSON.stringify(problems, null, 2)}`);
        await watch.assertClean(`on ${lang}`);
    });
}

test('Find children is not offered to a coordinator, and its address says the page is not available', async (tt) => {
    const server = await serve('identify-hidden');
    tt.after(() => server.stop());
    const { page, context, watch } = await openPage(browser, { viewport: DESKTOP });
    tt.after(() => context.close());
    try {
        await signInUI(page, server, 'coord.ada');
        await page.locator('table tbody tr').first().waitFor();
        assert.equal(await page.locator('header nav').getByRole('link', { name: exact(en('common.nav.identify')) }).count(), 0);
        await page.goto(appUrl(server, '/identify'));
        await page.getByRole('heading', { level: 1, name: exact(en('common.forbidden.title')) }).waitFor();
        const ada = await apiSession(server, 'coord.ada');
        assert.equal((await ada.req('GET', '/api/identify/runs')).status, 403, 'the API refuses a coordinator too');
        await watch.assertClean();
    } catch (e) {
        await shotOnFailure(page, 'identify-hidden');
        throw e;
    }
});
