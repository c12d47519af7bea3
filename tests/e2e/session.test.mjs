// Issue 4: an expired session returns to sign-in without losing what was typed. The session ends
// behind the screen's back (sign-out in another tab of the same browser) while the coordinator is
// filling in a form; pressing save shows the sign-in dialog over the form, the typed values are
// still there underneath and after signing in again, and saving again works.
import { test, before, after } from 'node:test';
import assert from 'node:assert/strict';
import { startServer, launchBrowser, openPage, signInUI, apiSession, panelAll, messages, exact, appUrl, shotOnFailure, DEMO_PASSWORD } from './lib/harness.mjs';

const t = messages('en');
let server;
let browser;

before(async () => {
    server = await startServer({ name: 'session' });
    browser = await launchBrowser();
});

after(async () => {
    await browser?.close();
    await server?.stop();
});

test('a session ended in another tab while typing shows sign-in and keeps the typed text', async (tt) => {
    const ada = await apiSession(server, 'coord.ada');
    const child = (await panelAll(ada))[0];
    const { page, context, watch } = await openPage(browser);
    tt.after(() => context.close());
    try {
        await signInUI(page, server, 'coord.ada', { route: `/children/${child.id}/team` });
        await page.getByRole('button', { name: exact(t('team.add.open')) }).click();
        const external = page.getByLabel(exact(t('team.add.external')));
        if (await external.count()) await external.check();
        const name = `Pat Typedbefore ${Date.now().toString(36)}`;
        await page.getByLabel(exact(t('team.add.name'))).fill(name);
        await page.getByLabel(exact(t('team.add.role'))).fill('School nurse');
        await page.getByLabel(exact(t('team.add.sector'))).selectOption('education');

        // Another tab signs out: the cookie is shared, the session is revoked.
        const other = await context.newPage();
        await other.goto(appUrl(server, '/'));
        await other.getByRole('button', { name: exact(t('common.sign_out')) }).click();
        await other.getByLabel(exact(t('signin.username'))).waitFor();
        await other.close();

        await page.getByRole('button', { name: exact(t('team.add.submit')) }).click();
        const dialog = page.getByRole('dialog', { name: exact(t('signin.expired.title')) });
        await dialog.waitFor();
        assert.equal(await page.locator('#add-name').inputValue(), name, 'the typed name is gone under the sign-in dialog');
        assert.equal(await page.locator('#add-role').inputValue(), 'School nurse');

        await dialog.getByLabel(exact(t('signin.password'))).fill(DEMO_PASSWORD);
        const user = dialog.getByLabel(exact(t('signin.username')));
        if (!(await user.inputValue())) await user.fill('coord.ada');
        await dialog.getByRole('button', { name: exact(t('signin.submit')) }).click();
        await dialog.waitFor({ state: 'hidden' });
        assert.equal(await page.locator('#add-name').inputValue(), name, 'the typed name is gone after signing in again');
        assert.equal(await page.locator('#add-sector').inputValue(), 'education');

        await page.getByRole('button', { name: exact(t('team.add.submit')) }).click();
        await page.getByText(t('team.add.done', { name })).waitFor();
        const team = (await ada.get(`/api/children/${child.id}/team`)).items;
        assert.ok(team.some((m) => m.name === name && m.sector === 'education'), 'the member was not added after signing in again');
        await watch.assertClean('on the expired-session flow');
    } catch (e) {
        e.message += `\n(screenshot: ${await shotOnFailure(page, 'session')})`;
        throw e;
    }
});

test('wrong credentials are explained and the typed username stays', async (tt) => {
    const { page, context, watch } = await openPage(browser);
    tt.after(() => context.close());
    await page.goto(appUrl(server, '/'));
    await page.getByLabel(exact(t('signin.username'))).fill('coord.ada');
    await page.getByLabel(exact(t('signin.password'))).fill('not-the-password');
    await page.getByRole('button', { name: exact(t('signin.submit')) }).click();
    await page.getByRole('alert').filter({ hasText: t('signin.error.wrong') }).waitFor();
    assert.equal(await page.getByLabel(exact(t('signin.username'))).inputValue(), 'coord.ada');
    await watch.assertClean('on a failed sign-in');
});
