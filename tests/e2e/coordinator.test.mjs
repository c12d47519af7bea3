// Issue 4, acceptance 1, the coordinator's journey: coord.ada signs in, finds a child by name with
// the panel's search, opens the record, adds an external specialist to the care team, designates a
// new lead coordinator, and sees the new lead on the panel. Every step is also checked behind the
// UI's back through the API, so a screen that only looks right does not pass.
import { test, before, after } from 'node:test';
import assert from 'node:assert/strict';
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
    selectOptionContaining,
    shotOnFailure,
    DESKTOP,
} from './lib/harness.mjs';

const t = messages('en');
let server;
let browser;

before(async () => {
    server = await startServer({ name: 'coordinator' });
    browser = await launchBrowser();
});

after(async () => {
    await browser?.close();
    await server?.stop();
});

/**
 * A child on coord.ada's panel whose lead is Ada and whose active team has another staff member
 * who is neither lead nor backup (the new lead), with a family name shared by no other child on
 * her panel (so the search has one answer).
 */
async function pickChild(ada) {
    const kids = await panelAll(ada);
    const families = new Map();
    for (const c of kids) families.set(c.family_name, (families.get(c.family_name) || 0) + 1);
    for (const c of kids) {
        if (c.lead_coordinator?.user_id !== ada.user.id || families.get(c.family_name) !== 1) continue;
        const team = (await ada.get(`/api/children/${c.id}/team`)).items;
        const next = team.find((m) => m.user_id && m.user_id !== ada.user.id && m.lead === 'none' && !team.some((o) => o !== m && o.name === m.name));
        if (next) return { child: c, newLead: next };
    }
    throw new Error('demo: no child of coord.ada with another staff member to make lead');
}

test('a coordinator finds a child by name, adds an external specialist, designates a new lead and sees it on the panel', async (tt) => {
    const ada = await apiSession(server, 'coord.ada');
    const { child, newLead } = await pickChild(ada);
    const { page, context, watch } = await openPage(browser, { viewport: DESKTOP });
    tt.after(() => context.close());
    try {
        await signInUI(page, server, 'coord.ada');
        await page.getByRole('heading', { level: 1, name: exact(t('panel.title_mine')) }).waitFor();

        // Search by the family name; the one row is the child.
        const search = page.getByLabel(exact(t('panel.search.label')));
        await search.fill(child.family_name);
        await search.press('Enter');
        const rowLink = page.getByRole('link', { name: exact(child.name) });
        await rowLink.waitFor();
        const rows = page.locator('table tbody tr');
        await assertEventually(async () => (await rows.count()) === 1, 'the search to leave one row');
        await rowLink.click();

        // The record, then its care team tab.
        await page.getByRole('heading', { level: 1, name: new RegExp(escape(child.given_name)) }).waitFor();
        assert.match(page.url(), new RegExp(`#/children/${child.id}$`));
        await page.getByRole('link', { name: exact(t('child.tabs.team')) }).click();
        await page.waitForURL(new RegExp(`#/children/${child.id}/team$`));

        // Add an external specialist.
        const specialist = `Quinn Testspecialist ${Date.now().toString(36)}`;
        await page.getByRole('button', { name: exact(t('team.add.open')) }).click();
        const external = page.getByLabel(exact(t('team.add.external')));
        if (await external.count()) await external.check();
        await page.getByLabel(exact(t('team.add.name'))).fill(specialist);
        await page.getByLabel(exact(t('team.add.role'))).fill('Pediatric neurologist');
        await page.getByLabel(exact(t('team.add.service'))).fill('Neurology clinic');
        await page.getByLabel(exact(t('team.add.sector'))).selectOption('medical');
        await page.getByLabel(exact(t('team.add.phone'))).fill('555-0199');
        await page.getByRole('button', { name: exact(t('team.add.submit')) }).click();
        await page.getByText(t('team.add.done', { name: specialist })).waitFor();
        await page.getByRole('cell', { name: new RegExp(escape(specialist)) }).first().waitFor();
        const team = (await ada.get(`/api/children/${child.id}/team`)).items;
        const added = team.find((m) => m.name === specialist);
        assert.ok(added, `the API's team has no ${specialist}`);
        assert.deepEqual(
            { user_id: added.user_id, role: added.role, service: added.service, sector: added.sector, phone: added.phone },
            { user_id: null, role: 'Pediatric neurologist', service: 'Neurology clinic', sector: 'medical', phone: '555-0199' },
        );

        // Designate the new lead coordinator (the backup stays as it was).
        await selectOptionContaining(page.getByLabel(exact(t('common.lead')), { exact: true }), newLead.name);
        await page.getByRole('button', { name: exact(t('team.lead.submit')) }).click();
        await page.getByText(t('team.lead.saved')).first().waitFor();
        const after = await ada.get(`/api/children/${child.id}/team`);
        assert.equal(after.items.find((m) => m.lead === 'lead')?.id, newLead.id, 'the API does not show the new lead');

        // The panel shows the new lead on the child's row.
        await page.getByRole('navigation', { name: exact(t('common.nav.label')) }).getByRole('link', { name: exact(t('common.nav.my_children')) }).click();
        await page.getByRole('heading', { level: 1, name: exact(t('panel.title_mine')) }).waitFor();
        const search2 = page.getByLabel(exact(t('panel.search.label')));
        await search2.fill(child.family_name);
        await search2.press('Enter');
        const row = page.locator('table tbody tr', { has: page.getByRole('link', { name: exact(child.name) }) });
        await assertEventually(async () => (await rows.count()) === 1 && (await row.innerText()).includes(newLead.name), `the panel row to name ${newLead.name} as lead`);
        await watch.assertClean('on the coordinator journey');
    } catch (e) {
        e.message += `\n(screenshot: ${await shotOnFailure(page, 'coordinator')})`;
        throw e;
    }
});

test('a search that matches nobody says so, and the lead filter lists leads by name', async (tt) => {
    const { page, context, watch } = await openPage(browser);
    tt.after(() => context.close());
    await signInUI(page, server, 'coord.ada');
    // The lead filter learns the leads from the rows it has shown: let the first page arrive
    // before searching, or a fast search can empty the panel before any lead was seen.
    await page.locator('table tbody tr').first().waitFor();
    const search = page.getByLabel(exact(t('panel.search.label')));
    await search.fill('Zzyzxnobody');
    await search.press('Enter');
    await page.getByText(t('panel.empty')).waitFor();
    assert.equal(await page.locator('table tbody tr').count(), 0);
    await page.getByRole('status').filter({ hasText: /\b0\b/ }).first().waitFor();
    // The lead filter offers the leads seen on the panel, by name.
    const leads = await page.getByLabel(exact(t('panel.filter.lead'))).locator('option').allTextContents();
    assert.ok(leads.map((l) => l.trim()).includes('Ada Coordinator'), `lead filter options: ${JSON.stringify(leads)}`);
    await watch.assertClean('on the empty panel');
});

function escape(s) {
    return s.replace(/[.*+?^${}()|[\]\\]/g, '\\$&');
}

async function assertEventually(fn, what) {
    const end = Date.now() + 15_000;
    while (!(await fn())) {
        if (Date.now() > end) assert.fail(`timed out waiting for ${what}`);
        await new Promise((r) => setTimeout(r, 50)); // poll interval
    }
}
