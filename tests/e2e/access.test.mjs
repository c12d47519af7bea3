// Issue 4, acceptance 1, access control in the UI: a coordinator who is not on a child's care team
// cannot open it (the same message as for a child that does not exist), and a clinician's
// break-glass access works with a reason, shows the emergency banner, and appears in the child's
// access history for the program manager and for the child's lead coordinator.
import { test, before, after } from 'node:test';
import assert from 'node:assert/strict';
import {
    startServer,
    launchBrowser,
    openPage,
    signInUI,
    apiSession,
    panelIds,
    panelAll,
    messages,
    exact,
    appUrl,
    shotOnFailure,
} from './lib/harness.mjs';

const t = messages('en');
let server;
let browser;

before(async () => {
    server = await startServer({ name: 'access' });
    browser = await launchBrowser();
});

after(async () => {
    await browser?.close();
    await server?.stop();
});

/** A child of coord.ada's (she is its lead) that `other` does not reach. */
async function adaChildNotReachedBy(username) {
    const ada = await apiSession(server, 'coord.ada');
    const other = await apiSession(server, username);
    const theirs = await panelIds(other);
    const c = (await panelAll(ada)).find((k) => !theirs.has(k.id) && k.lead_coordinator?.user_id === ada.user.id);
    assert.ok(c, `demo: every child of coord.ada is reached by ${username}`);
    const r = await other.req('GET', `/api/children/${c.id}`);
    assert.equal(r.status, 404, `${username} reaches child ${c.id} through the API`);
    return c;
}

test('a coordinator opening a child not on her care teams by URL is told so and sees nothing of it', async (tt) => {
    const child = await adaChildNotReachedBy('coord.dee');
    const { page, context, watch } = await openPage(browser);
    tt.after(() => context.close());
    try {
        await signInUI(page, server, 'coord.dee', { route: `/children/${child.id}` });
        await page.getByText(t('child.notfound.text')).waitFor();
        await page.getByRole('heading', { level: 1, name: exact(t('child.notfound.title')) }).waitFor();
        const text = await page.locator('main').innerText();
        for (const s of [child.name, child.given_name, child.record_number]) assert.ok(!text.includes(s), `the page shows ${s}`);
        // Same screen for a child that does not exist at all.
        await page.goto(appUrl(server, '/children/999999'));
        await page.getByText(t('child.notfound.text')).waitFor();
        // Tabs by URL show no more.
        await page.goto(appUrl(server, `/children/${child.id}/team`));
        await page.getByText(t('child.notfound.text')).waitFor();
        assert.ok(!(await page.locator('main').innerText()).includes(child.given_name));
        await watch.assertClean('on the not-on-your-team screen');
    } catch (e) {
        e.message += `\n(screenshot: ${await shotOnFailure(page, 'not-on-team')})`;
        throw e;
    }
});

test('a clinician uses break-glass with a reason, sees the child, and the grant shows in the access history', async (tt) => {
    const child = await adaChildNotReachedBy('dr.ellis');
    const { page, context, watch } = await openPage(browser);
    tt.after(() => context.close());
    try {
        await signInUI(page, server, 'dr.ellis', { route: `/children/${child.id}` });
        await page.getByText(t('child.notfound.text')).waitFor();
        await page.getByRole('button', { name: exact(t('child.bg.open')) }).click();
        const dialog = page.getByRole('dialog', { name: exact(t('child.bg.title')) });
        await dialog.waitFor();
        const reason = dialog.getByLabel(t('child.bg.reason'));

        // Too short: refused, with the message next to the field, nothing granted.
        await reason.fill('urgent');
        await dialog.getByRole('button', { name: exact(t('child.bg.submit')) }).click();
        const tooShort = t('child.bg.reason_length', { min: 10, max: 500 });
        await dialog.getByText(tooShort).first().waitFor();
        assert.equal(await reason.getAttribute('aria-invalid'), 'true', 'the reason field is not marked invalid');
        const describedBy = (await reason.getAttribute('aria-describedby')) || '';
        const described = await page.evaluate((ids) => ids.split(/\s+/).map((id) => document.getElementById(id)?.textContent || '').join(' '), describedBy);
        assert.ok(described.includes(tooShort), `the error is not tied to the field (aria-describedby=${describedBy})`);
        const manager = await apiSession(server, 'manager');
        assert.equal((await manager.get('/api/break-glass')).items.filter((g) => g.child_id === child.id).length, 0, 'a grant was made for a too-short reason');

        // A real reason: the record opens with the emergency banner.
        const why = 'Child seen in clinic today, lead coordinator unreachable';
        await reason.fill(why);
        await dialog.getByRole('button', { name: exact(t('child.bg.submit')) }).click();
        await page.getByRole('heading', { level: 1, name: new RegExp(child.given_name) }).waitFor();
        await page.getByText(t('child.bg.banner')).waitFor();
        assert.equal(await dialog.isVisible(), false, 'the dialog stayed open');
        const grants = (await manager.get('/api/break-glass')).items.filter((g) => g.child_id === child.id);
        assert.equal(grants.length, 1);
        assert.equal(grants[0].reason, why);
        await watch.assertClean('on break-glass');
    } catch (e) {
        e.message += `\n(screenshot: ${await shotOnFailure(page, 'break-glass')})`;
        throw e;
    }

    // The program manager and the child's lead coordinator see it in the access history.
    for (const who of ['manager', 'coord.ada']) {
        const p = await openPage(browser);
        try {
            await signInUI(p.page, server, who, { route: `/children/${child.id}/access` });
            await p.page.getByRole('heading', { name: exact(t('child.access.title')) }).first().waitFor();
            const row = p.page.locator('table tbody tr', { hasText: 'Ellis Pediatrician' }).filter({ hasText: t('child.action.break_glass.create') });
            await row.first().waitFor();
            const cells = await row.first().locator('td').allInnerTexts();
            assert.ok(cells.includes(t('common.yes')), `the break-glass row does not say emergency access: ${JSON.stringify(cells)}`);
            assert.ok(cells.includes(t('child.outcome.ok')), `the break-glass row: ${JSON.stringify(cells)}`);
            // The reads made under break-glass are marked too.
            const reads = p.page.locator('table tbody tr', { hasText: 'Ellis Pediatrician' }).filter({ hasText: t('child.action.child.read') });
            assert.ok((await reads.count()) > 0, 'the break-glass read is not in the history');
            assert.ok((await reads.first().locator('td').allInnerTexts()).includes(t('common.yes')));
            await p.watch.assertClean(`on the access history as ${who}`);
        } catch (e) {
            e.message += `\n(screenshot: ${await shotOnFailure(p.page, `access-history-${who}`)})`;
            throw e;
        } finally {
            await p.context.close();
        }
    }
});

test('a care team member who is not lead or backup gets no access history tab', async (tt) => {
    const gray = await apiSession(server, 'sw.gray');
    const kids = await panelAll(gray);
    const c = kids.find((k) => k.lead_coordinator?.user_id !== gray.user.id && k.backup_coordinator?.name !== gray.user.display_name);
    assert.ok(c, 'demo: sw.gray is on no care team');
    assert.equal((await gray.req('GET', `/api/children/${c.id}/access`)).status, 403);
    const { page, context, watch } = await openPage(browser);
    tt.after(() => context.close());
    await signInUI(page, server, 'sw.gray', { route: `/children/${c.id}` });
    await page.getByRole('link', { name: exact(t('child.tabs.team')) }).waitFor();
    assert.equal(await page.getByRole('link', { name: exact(t('child.tabs.access')) }).count(), 0, 'the access history tab is offered');
    await page.goto(appUrl(server, `/children/${c.id}/access`));
    await page.getByText(t('child.access.forbidden')).waitFor();
    await watch.assertClean('on the forbidden access history');
});
