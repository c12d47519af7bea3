// Screenshots of every screen of the browser UI, on a desktop (1280x800) and a phone (360x740), in
// English and Spanish, from a real `caremap serve` on a fresh demo database, into
// docs/screenshots/<screen>-<desktop|phone>-<en|es>.png. Viewport screenshots (not full pages) keep
// the files small. Uses the e2e harness (tests/e2e: npm ci there first).
//
//   node tools/screenshots.mjs [path/to/caremap] [screen ...]     (default build/caremap, all screens)
import fs from 'node:fs';
import path from 'node:path';
import { fileURLToPath } from 'node:url';

const here = path.dirname(fileURLToPath(import.meta.url));
const args = process.argv.slice(2);
if (args[0] && !/^[a-z-]+$/.test(args[0])) process.env.CAREMAP_BIN = path.resolve(args.shift());
const only = new Set(args);
const h = await import(path.join(here, '..', 'tests', 'e2e', 'lib', 'harness.mjs'));
const OUT = path.join(h.REPO, 'docs', 'screenshots');
fs.mkdirSync(OUT, { recursive: true });

const server = await h.startServer({ name: 'screenshots' });
const browser = await h.launchBrowser();
const written = [];

// Demo facts: a child coord.ada leads (shown to the program manager, who sees every tab), and one
// dr.ellis is not on the team of (for the break-glass dialog).
const ada = await h.apiSession(server, 'coord.ada');
const ellisKids = await h.panelIds(await h.apiSession(server, 'dr.ellis'));
const adaKids = await h.panelAll(ada);
const child = adaKids.find((c) => c.lead_coordinator?.user_id === ada.user.id);
const notEllis = adaKids.find((c) => !ellisKids.has(c.id));

/** Screens by the person who sees them: [name, route, ready(page, t) -> waits until drawn]. */
const SCREENS = {
    anonymous: [['signin', '/', (p, t) => p.getByLabel(h.exact(t('signin.username'))).waitFor()]],
    manager: [
        ['panel', '/', (p) => p.locator('table tbody tr').first().waitFor()],
        ['child', `/children/${child.id}`, (p, t) => p.getByText(t('child.plan.about'), { exact: true }).waitFor()],
        ['team', `/children/${child.id}/team`, (p, t) => p.getByRole('button', { name: h.exact(t('team.add.open')) }).waitFor()],
        ['family', `/children/${child.id}/family`, (p, t) => p.getByRole('button', { name: h.exact(t('child.family.add')) }).waitFor()],
        ['access', `/children/${child.id}/access`, (p) => p.locator('table tbody tr').first().waitFor()],
    ],
    'dr.ellis': [
        [
            'breakglass',
            `/children/${notEllis.id}`,
            async (p, t) => {
                await p.getByRole('button', { name: h.exact(t('child.bg.open')) }).click();
                await p.getByRole('dialog', { name: h.exact(t('child.bg.title')) }).waitFor();
                await p.getByRole('dialog').getByLabel(t('child.bg.reason')).fill('Seen in clinic today; the lead coordinator is away.');
            },
        ],
    ],
    admin: [['users', '/users', (p) => p.locator('table tbody tr').first().waitFor()]],
    'family.demo-0001': [['familyview', '/', (p, t) => p.getByRole('heading', { name: h.exact(t('familyview.who_to_call')) }).first().waitFor()]],
};

async function shoot(page, name, device, lang) {
    await page.evaluate(() => document.fonts.ready);
    const file = path.join(OUT, `${name}-${device}-${lang}.png`);
    // A clip of the viewport rather than a plain viewport shot: chromium's plain viewport capture
    // drew the header's <select> blank (seen on every signed-in screen), a clip draws it right.
    const vp = page.viewportSize();
    await page.screenshot({ path: file, clip: { x: 0, y: 0, width: vp.width, height: vp.height } });
    written.push(file);
}

try {
    for (const lang of h.LANGS) {
        const t = h.messages(lang);
        for (const [device, viewport] of [
            ['desktop', h.DESKTOP],
            ['phone', h.PHONE],
        ]) {
            const mobile = device === 'phone';
            for (const [who, screens] of Object.entries(SCREENS)) {
                const todo = screens.filter(([name]) => only.size === 0 || only.has(name));
                if (todo.length === 0) continue;
                const { page, context } = await h.openPage(browser, { viewport, isMobile: mobile, hasTouch: mobile, locale: lang === 'es' ? 'es-419' : 'en-US' });
                try {
                    if (who === 'anonymous') {
                        await page.goto(h.appUrl(server, '/'));
                    } else {
                        await h.signInUI(page, server, who, { route: todo[0][1], lang });
                        if ((await page.evaluate(() => document.documentElement.lang)) !== lang) {
                            const from = lang === 'en' ? 'es' : 'en';
                            await h.switchLanguage(page, from, lang);
                        }
                    }
                    for (const [name, route, ready] of todo) {
                        if (!page.url().endsWith(`#${route}`)) await page.goto(h.appUrl(server, route));
                        await ready(page, t);
                        await page.evaluate(() => window.scrollTo(0, 0));
                        await shoot(page, name, device, lang);
                    }
                } finally {
                    await context.close();
                }
            }
        }
    }
} finally {
    await browser.close();
    await server.stop();
}
let bytes = 0;
for (const f of written) bytes += fs.statSync(f).size;
console.log(`screenshots: ${written.length} files, ${(bytes / 1024).toFixed(0)} KiB in ${path.relative(h.REPO, OUT)}/`);
