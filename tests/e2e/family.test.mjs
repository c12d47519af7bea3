// Issue 4, acceptance 1, the parent's journey: family.demo-0001 signs in on a 360x740 phone screen,
// switches to Spanish (saved on the account), sees only their own child and the care team grouped
// by sector with tap-to-call links, and the page never scrolls sideways.
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
    messages,
    exact,
    scrollWidths,
    shotOnFailure,
    PHONE,
} from './lib/harness.mjs';

const en = messages('en');
const es = messages('es');
let server;
let browser;

before(async () => {
    server = await startServer({ name: 'family' });
    browser = await launchBrowser();
});

after(async () => {
    await browser?.close();
    await server?.stop();
});

async function assertNoSideways(page, where) {
    const w = await scrollWidths(page);
    assert.ok(w.scrollWidth <= PHONE.width, `horizontal scroll ${where}: ${JSON.stringify(w)}`);
}

test('a parent on a phone switches to Spanish and sees only their child and the care team by sector', async (tt) => {
    const fam = await apiSession(server, 'family.demo-0001');
    const mine = await panelAll(fam);
    assert.equal(mine.length, 1, 'family.demo-0001 should have one child in the demo');
    const child = mine[0];
    const team = (await fam.get(`/api/children/${child.id}/team`)).items;
    assert.ok(team.length > 3, 'the demo child has a care team');
    const manager = await apiSession(server, 'manager');
    const others = (await panelAll(manager)).filter((c) => c.id !== child.id);

    const { page, context, watch } = await openPage(browser, { viewport: PHONE, isMobile: true, hasTouch: true });
    tt.after(() => context.close());
    try {
        await signInUI(page, server, 'family.demo-0001');
        await page.getByRole('heading', { name: exact(child.name) }).waitFor();
        await assertNoSideways(page, 'in English');

        await switchLanguage(page, 'en', 'es');
        await page.getByRole('heading', { name: exact(es('familyview.who_to_call')) }).first().waitFor();
        assert.equal(await page.getByText(en('familyview.who_to_call'), { exact: true }).count(), 0, 'English text left after switching');
        // Saved on the account, so the next sign-in is in Spanish too.
        const me = await fam.get('/api/me');
        assert.equal(me.user.language, 'es', 'the language was not saved on the account');

        // Only their child.
        const text = await page.locator('main').innerText();
        assert.ok(text.includes(child.name), 'the child is not shown');
        const leaked = others.filter((c) => text.includes(c.name)).map((c) => c.id);
        assert.deepEqual(leaked, [], 'other children are shown to the family');

        // The care team grouped by sector: each member sits under their sector's heading (the lead
        // under "your main contact").
        const lead = team.find((m) => m.lead === 'lead');
        const placement = await page.evaluate(
            ({ members, sectorNames, mainContact }) => {
                const headings = [...document.querySelectorAll('main h2, main h3, main h4')];
                const out = {};
                for (const m of members) {
                    const walker = document.createTreeWalker(document.querySelector('main'), NodeFilter.SHOW_TEXT);
                    const where = [];
                    for (let n = walker.nextNode(); n; n = walker.nextNode()) {
                        if (!n.textContent.includes(m.name)) continue;
                        const before = headings.filter((h) => h.compareDocumentPosition(n) & Node.DOCUMENT_POSITION_FOLLOWING && !h.contains(n));
                        const h = before.reverse().find((x) => Object.values(sectorNames).includes(x.textContent.trim()) || x.textContent.trim() === mainContact);
                        where.push(h ? h.textContent.trim() : null);
                    }
                    out[m.id] = where;
                }
                return out;
            },
            {
                members: team.map((m) => ({ id: m.id, name: m.name })),
                sectorNames: Object.fromEntries(['medical', 'mental_health', 'education', 'community', 'equipment_home', 'payer', 'family_support'].map((s) => [s, es(`common.sector.${s}`)])),
                mainContact: es('familyview.main_contact'),
            },
        );
        const wrong = [];
        for (const m of team) {
            const want = m === lead ? es('familyview.main_contact') : es(`common.sector.${m.sector}`);
            if (!placement[m.id].includes(want)) wrong.push(`${m.name} (${m.sector}${m === lead ? ', lead' : ''}) under ${JSON.stringify(placement[m.id])}, want ${want}`);
        }
        assert.deepEqual(wrong, [], 'care team members not under their sector heading');
        for (const s of new Set(team.filter((m) => m !== lead).map((m) => m.sector))) {
            await page.getByRole('heading', { name: exact(es(`common.sector.${s}`)) }).first().waitFor();
        }

        // Tap-to-call: a tel: link per member with a phone, named in Spanish.
        const withPhone = team.filter((m) => m.phone);
        assert.ok(withPhone.length > 0, 'no phone numbers in the demo team');
        for (const m of withPhone) {
            const digits = m.phone.replace(/[^\d+]/g, '');
            const links = page.locator(`a[href="tel:${digits}"]`);
            assert.ok((await links.count()) > 0, `no tel: link for ${m.name} (${m.phone})`);
        }
        await page.getByRole('link', { name: new RegExp(es('familyview.call', { name: '' }).trim().split(' ')[0]) }).first().waitFor();
        await assertNoSideways(page, 'in Spanish');

        // Tap targets at least 44 px tall for the calls.
        const small = await page.locator('a[href^="tel:"]').evaluateAll((as) => as.filter((a) => a.getBoundingClientRect().height < 44).map((a) => a.textContent.trim()));
        assert.deepEqual(small, [], 'tel: links smaller than 44 px');
        await watch.assertClean('on the family view');
    } catch (e) {
        e.message += `\n(screenshot: ${await shotOnFailure(page, 'family')})`;
        throw e;
    }
});

test('a family account asking for another child by URL sees only its own family view', async (tt) => {
    const fam = await apiSession(server, 'family.demo-0002');
    const own = (await panelAll(fam))[0];
    const manager = await apiSession(server, 'manager');
    const other = (await panelAll(manager)).find((c) => c.id !== own.id);
    const { page, context, watch } = await openPage(browser, { viewport: PHONE, isMobile: true, hasTouch: true });
    tt.after(() => context.close());
    await signInUI(page, server, 'family.demo-0002', { route: `/children/${other.id}` });
    await page.getByRole('heading', { name: exact(own.name) }).waitFor();
    assert.ok(!(await page.locator('main').innerText()).includes(other.name), 'another child is shown to the family');
    await assertNoSideways(page, 'on the family view');
    await watch.assertClean('on the family view');
});
