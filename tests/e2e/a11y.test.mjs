// Issue 4, acceptance 2: axe-core (WCAG 2.0 and 2.1, A and AA) finds no violation on any screen, in
// English and in Spanish, on desktop and on the phone for the family view; and the app runs under
// its real CSP on every screen (no violation reported by the browser). Each test walks one
// person's screens and reports every screen's violations together.
import { test, before, after } from 'node:test';
import assert from 'node:assert/strict';
import {
    startServer,
    launchBrowser,
    openPage,
    signInUI,
    switchLanguage,
    apiSession,
    panelAll,
    panelIds,
    messages,
    exact,
    appUrl,
    axeViolations,
    shotOnFailure,
    DESKTOP,
    PHONE,
    LANGS,
} from './lib/harness.mjs';

let server;
let browser;
let facts;

before(async () => {
    server = await startServer({ name: 'a11y' });
    browser = await launchBrowser();
    const ada = await apiSession(server, 'coord.ada');
    const ellis = await apiSession(server, 'dr.ellis');
    const ellisKids = await panelIds(ellis);
    const adaKids = await panelAll(ada);
    facts = {
        child: adaKids.find((c) => c.lead_coordinator?.user_id === ada.user.id),
        notEllis: adaKids.find((c) => !ellisKids.has(c.id)),
    };
});

after(async () => {
    await browser?.close();
    await server?.stop();
});

/** Visits screens in order; each {name, go(page)} brings the screen up and waits for it. */
async function walk(page, watch, lang, screens) {
    const problems = [];
    for (const s of screens) {
        const where = `${s.name} (${lang})`;
        try {
            await s.go(page);
            const v = await axeViolations(page);
            if (v.length) problems.push({ screen: where, violations: v, shot: await shotOnFailure(page, `axe-${s.name}-${lang}`) });
            const csp = [...watch.csp, ...(await watch.cspEvents())];
            if (csp.length) problems.push({ screen: where, csp });
            const lang2 = await page.evaluate(() => document.documentElement.lang);
            if (lang2 !== lang) problems.push({ screen: where, htmlLang: lang2 });
        } catch (e) {
            problems.push({ screen: where, error: String(e.message).split('\n')[0], shot: await shotOnFailure(page, `axe-${s.name}-${lang}`) });
        }
    }
    assert.deepEqual(problems, [], `accessibility or CSP problems:\n${JSON.stringify(problems, null, 2)}`);
    await watch.assertClean(`on ${lang}`);
}

async function signedIn(page, user, lang, route = '/') {
    await signInUI(page, server, user, { route });
    if (lang !== 'en') {
        await switchLanguage(page, 'en', lang);
    }
}

for (const lang of LANGS) {
    const t = messages(lang);

    test(`sign-in screen and its error have no axe violations (${lang})`, async (tt) => {
        const { page, context, watch } = await openPage(browser, { locale: lang === 'es' ? 'es-419' : 'en-US' });
        tt.after(() => context.close());
        await walk(page, watch, lang, [
            {
                name: 'signin',
                go: async (p) => {
                    await p.goto(appUrl(server, '/'));
                    await p.getByLabel(exact(t('signin.username'))).waitFor();
                },
            },
            {
                name: 'signin-error',
                go: async (p) => {
                    await p.getByRole('button', { name: exact(t('signin.submit')) }).click();
                    await p.getByText(t('signin.error.empty')).waitFor();
                },
            },
        ]);
    });

    test(`program manager's screens have no axe violations (${lang})`, async (tt) => {
        const { page, context, watch } = await openPage(browser, { viewport: DESKTOP });
        tt.after(() => context.close());
        const id = facts.child.id;
        await signedIn(page, 'manager', lang);
        await walk(page, watch, lang, [
            { name: 'panel', go: (p) => p.locator('table tbody tr').first().waitFor() },
            {
                name: 'child-summary',
                go: async (p) => {
                    await p.goto(appUrl(server, `/children/${id}`));
                    await p.getByText(t('child.plan.about'), { exact: true }).waitFor();
                },
            },
            {
                name: 'child-edit',
                go: async (p) => {
                    await p.getByRole('button', { name: exact(t('child.details.edit')) }).click();
                    await p.getByRole('heading', { name: exact(t('child.details.edit_title')) }).waitFor();
                },
            },
            {
                name: 'team',
                go: async (p) => {
                    await p.goto(appUrl(server, `/children/${id}/team`));
                    await p.getByRole('button', { name: exact(t('team.add.open')) }).waitFor();
                },
            },
            {
                name: 'team-add',
                go: async (p) => {
                    await p.getByRole('button', { name: exact(t('team.add.open')) }).click();
                    await p.getByRole('heading', { name: exact(t('team.add.title')) }).waitFor();
                },
            },
            {
                name: 'team-ended',
                go: async (p) => {
                    await p.getByLabel(exact(t('team.show_ended'))).check();
                    await p.getByRole('columnheader', { name: exact(t('team.col.end')) }).first().waitFor();
                },
            },
            {
                name: 'family',
                go: async (p) => {
                    await p.goto(appUrl(server, `/children/${id}/family`));
                    await p.getByRole('button', { name: exact(t('child.family.add')) }).waitFor();
                },
            },
            {
                name: 'family-add',
                go: async (p) => {
                    await p.getByRole('button', { name: exact(t('child.family.add')) }).click();
                    await p.getByRole('heading', { name: exact(t('child.family.add_title')) }).waitFor();
                },
            },
            {
                name: 'access',
                go: async (p) => {
                    await p.goto(appUrl(server, `/children/${id}/access`));
                    await p.locator('table tbody tr').first().waitFor();
                },
            },
        ]);
    });

    test(`administrator's user screens have no axe violations (${lang})`, async (tt) => {
        const { page, context, watch } = await openPage(browser, { viewport: DESKTOP });
        tt.after(() => context.close());
        await signedIn(page, 'admin', lang);
        await walk(page, watch, lang, [
            {
                name: 'users',
                go: async (p) => {
                    await p.goto(appUrl(server, '/users'));
                    await p.getByRole('heading', { name: exact(t('users.create.title')) }).waitFor();
                    await p.locator('table tbody tr').first().waitFor();
                },
            },
            {
                name: 'users-create-error',
                go: async (p) => {
                    await p.getByRole('button', { name: exact(t('users.create.submit')) }).click();
                    await p.locator('[aria-invalid="true"]').first().waitFor();
                },
            },
            {
                name: 'identify',
                go: async (p) => {
                    await p.goto(appUrl(server, '/identify'));
                    // The demo's two runs (src/cmd/demo_identify.c): the newer one is shown, with
                    // candidates in each tier group (3, 2, 1) once they have loaded.
                    await p.locator('.runs-table tbody tr').nth(1).waitFor();
                    const groups = p.locator('section.candidate-group');
                    for (let i = 0; i < 3; i++) await groups.nth(i).locator('li.candidate').first().waitFor();
                },
            },
        ]);
    });

    test(`clinician's not-on-team screen and break-glass dialog have no axe violations (${lang})`, async (tt) => {
        const { page, context, watch } = await openPage(browser, { viewport: DESKTOP });
        tt.after(() => context.close());
        await signedIn(page, 'dr.ellis', lang, `/children/${facts.notEllis.id}`);
        await walk(page, watch, lang, [
            { name: 'not-on-team', go: (p) => p.getByText(t('child.notfound.text')).waitFor() },
            {
                name: 'break-glass',
                go: async (p) => {
                    await p.getByRole('button', { name: exact(t('child.bg.open')) }).click();
                    await p.getByRole('dialog', { name: exact(t('child.bg.title')) }).waitFor();
                },
            },
            {
                name: 'break-glass-error',
                go: async (p) => {
                    await p.getByRole('dialog').getByRole('button', { name: exact(t('child.bg.submit')) }).click();
                    await p.getByRole('dialog').locator('[aria-invalid="true"]').waitFor();
                },
            },
        ]);
    });

    test(`family view on a phone has no axe violations (${lang})`, async (tt) => {
        const { page, context, watch } = await openPage(browser, { viewport: PHONE, isMobile: true, hasTouch: true });
        tt.after(() => context.close());
        await signedIn(page, 'family.demo-0001', lang);
        await walk(page, watch, lang, [{ name: 'familyview', go: (p) => p.getByRole('heading', { name: exact(t('familyview.who_to_call')) }).first().waitFor() }]);
    });

    test(`expired-session sign-in dialog has no axe violations (${lang})`, async (tt) => {
        const { page, context, watch } = await openPage(browser, { viewport: DESKTOP });
        tt.after(() => context.close());
        await signedIn(page, 'coord.ada', lang);
        await walk(page, watch, lang, [
            {
                name: 'expired',
                go: async (p) => {
                    await p.locator('table tbody tr').first().waitFor();
                    await p.evaluate(async () => {
                        const me = await (await fetch('/api/me')).json();
                        await fetch('/api/session', { method: 'DELETE', headers: { 'X-CSRF-Token': me.csrf_token } });
                    });
                    await p.locator('table tbody a').first().click();
                    await p.getByRole('dialog', { name: exact(t('signin.expired.title')) }).waitFor();
                },
            },
        ]);
    });
}
