// Issue 4, acceptance 2: the keyboard alone (Tab, Enter, Space; typing only into fields) signs in,
// opens a child from the panel, goes to the care team and opens the add-member form, and every
// element that takes focus on the way shows it (a computed outline or focus ring, not none).
import { test, before, after } from 'node:test';
import assert from 'node:assert/strict';
import { startServer, launchBrowser, openPage, messages, exact, appUrl, shotOnFailure, DEMO_PASSWORD } from './lib/harness.mjs';

const t = messages('en');
let server;
let browser;

before(async () => {
    server = await startServer({ name: 'keyboard' });
    browser = await launchBrowser();
});

after(async () => {
    await browser?.close();
    await server?.stop();
});

/** What has focus, and whether its focus is visible (outline or box-shadow ring). */
function focused(page) {
    return page.evaluate(() => {
        const el = document.activeElement;
        if (!el || el === document.body || el === document.documentElement) return { tag: 'body', visible: false };
        const cs = getComputedStyle(el);
        const outline = cs.outlineStyle !== 'none' && parseFloat(cs.outlineWidth) > 0;
        const ring = cs.boxShadow && cs.boxShadow !== 'none';
        return {
            tag: el.tagName.toLowerCase(),
            id: el.id,
            href: el.getAttribute('href'),
            text: (el.textContent || el.value || '').trim().slice(0, 60),
            visible: outline || ring,
            outline: `${cs.outlineStyle} ${cs.outlineWidth} ${cs.outlineColor}`,
            focusVisible: el.matches(':focus-visible'),
        };
    });
}

/** Presses Tab until pred(focused) holds (at most `max` times), checking visible focus on each stop. */
async function tabTo(page, pred, what, max = 80) {
    const stops = [];
    for (let i = 0; i < max; i++) {
        await page.keyboard.press('Tab');
        const f = await focused(page);
        stops.push(f);
        if (f.tag !== 'body') assert.ok(f.visible, `focus is not visible on ${JSON.stringify(f)}`);
        if (pred(f)) return f;
    }
    assert.fail(`Tab never reached ${what}; stops: ${JSON.stringify(stops.map((s) => `${s.tag}#${s.id} ${s.text}`))}`);
}

test('the keyboard alone signs in, opens a child and its care team, with focus always visible', async (tt) => {
    const { page, context, watch } = await openPage(browser);
    tt.after(() => context.close());
    try {
        await page.goto(appUrl(server, '/'));
        await page.getByLabel(exact(t('signin.username'))).waitFor();

        // The first stop is the skip link.
        const first = await tabTo(page, () => true, 'anything', 1);
        assert.equal(first.text, t('common.skip'), 'the first Tab stop is not the skip link');

        await tabTo(page, (f) => f.tag === 'input' && f.id.endsWith('username'), 'the username field');
        await page.keyboard.type('coord.ada');
        await tabTo(page, (f) => f.tag === 'input' && f.id.endsWith('password'), 'the password field', 3);
        await page.keyboard.type(DEMO_PASSWORD);
        await page.keyboard.press('Enter');
        await page.getByRole('heading', { level: 1, name: exact(t('panel.title_mine')) }).waitFor();
        await page.locator('table tbody tr').first().waitFor();

        const link = await tabTo(page, (f) => f.tag === 'a' && /^#\/children\/\d+$/.test(f.href || ''), 'a child on the panel');
        await page.keyboard.press('Enter');
        await page.waitForURL(new RegExp(`${link.href.replace(/[/#]/g, '\\$&')}$`));
        await page.getByRole('heading', { level: 1, name: new RegExp(link.text.split(' ')[0]) }).waitFor();

        await tabTo(page, (f) => f.tag === 'a' && f.text === t('child.tabs.team'), 'the care team tab');
        await page.keyboard.press('Enter');
        await page.waitForURL(/\/team$/);
        await page.getByRole('button', { name: exact(t('team.add.open')) }).waitFor();

        await tabTo(page, (f) => f.tag === 'button' && f.text === t('team.add.open'), 'the add member button', 200);
        await page.keyboard.press('Space');
        await page.getByRole('heading', { name: exact(t('team.add.title')) }).waitFor();
        await watch.assertClean('on the keyboard walk');
    } catch (e) {
        e.message += `\n(screenshot: ${await shotOnFailure(page, 'keyboard')})`;
        throw e;
    }
});

test('the break-glass dialog works from the keyboard: Escape closes it and focus returns', async (tt) => {
    const { page, context, watch } = await openPage(browser);
    tt.after(() => context.close());
    await page.goto(appUrl(server, '/children/999999'));
    await page.getByLabel(exact(t('signin.username'))).fill('dr.ellis');
    await page.getByLabel(exact(t('signin.password'))).fill(DEMO_PASSWORD);
    await page.getByLabel(exact(t('signin.password'))).press('Enter');
    await page.getByText(t('child.notfound.text')).waitFor();
    await tabTo(page, (f) => f.tag === 'button' && f.text === t('child.bg.open'), 'the break-glass button');
    await page.keyboard.press('Enter');
    const dialog = page.getByRole('dialog', { name: exact(t('child.bg.title')) });
    await dialog.waitFor();
    const inDialog = await page.evaluate(() => !!document.activeElement.closest('dialog'));
    assert.ok(inDialog, 'focus did not move into the dialog');
    const f = await focused(page);
    assert.ok(f.visible, `focus in the dialog is not visible: ${JSON.stringify(f)}`);
    await page.keyboard.press('Escape');
    await dialog.waitFor({ state: 'hidden' });
    const back = await focused(page);
    assert.equal(back.text, t('child.bg.open'), `focus did not return to the button: ${JSON.stringify(back)}`);
    await watch.assertClean('on the break-glass dialog');
});
