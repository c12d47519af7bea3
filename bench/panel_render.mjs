// Panel render benchmark (issue 4, acceptance 4): how long the program manager's panel (the whole
// demo program, the largest panel) takes from navigation to the table fully rendered, in Debian's
// chromium against a real `caremap serve` with a fresh demo database. 10 runs; prints the median
// and p90, next to two baselines measured in the same run: fetching /api/children alone from the
// page, and rendering a static HTML table of the same rows (page.setContent on a blank page). Not a timed test: it reports figures.
//
//   node bench/panel_render.mjs [path/to/caremap]      (default build/caremap; needs
//                                                       tests/e2e/node_modules: npm ci there)
import path from 'node:path';
import { fileURLToPath } from 'node:url';

const here = path.dirname(fileURLToPath(import.meta.url));
if (process.argv[2]) process.env.CAREMAP_BIN = path.resolve(process.argv[2]);
const RUNS = Number(process.env.RUNS || 10);
const h = await import(path.join(here, '..', 'tests', 'e2e', 'lib', 'harness.mjs'));

function stats(xs) {
    const s = [...xs].sort((a, b) => a - b);
    const q = (p) => s[Math.min(s.length - 1, Math.ceil(p * s.length) - 1)];
    return { median: q(0.5), p90: q(0.9), min: s[0], max: s[s.length - 1] };
}

const fmt = (x) => `${x.toFixed(1)} ms`;

const server = await h.startServer({ name: 'bench-panel' });
const browser = await h.launchBrowser();
try {
    const { page, context } = await h.openPage(browser, { viewport: h.DESKTOP });
    await h.signInUI(page, server, 'manager');
    await page.locator('table tbody tr').first().waitFor();
    // What the panel asks for, and so what "all rows present" means: the rows of its first page.
    const first = await page.evaluate(async () => {
        const r = await fetch('/api/children?limit=200');
        return (await r.json()).total;
    });
    const rowsShown = await page.locator('table tbody tr').count();
    const limit = rowsShown; // the UI's page size (or the whole program when it fits on one page)
    await page.close();

    const panel = [];
    const fetchOnly = [];
    const staticTable = [];
    for (let i = 0; i < RUNS; i++) {
        const p = await context.newPage();
        const t0 = performance.now();
        await p.goto(h.appUrl(server, '/'));
        await p.waitForFunction(
            (n) => {
                const tb = document.querySelector('table tbody');
                const t = tb && tb.closest('table');
                return tb && tb.rows.length === n && t.getAttribute('aria-busy') !== 'true';
            },
            limit,
            { polling: 'raf' },
        );
        panel.push(performance.now() - t0);

        // Baseline 1: the API call alone, timed inside the page.
        fetchOnly.push(
            await p.evaluate(async (n) => {
                const s = performance.now();
                const r = await fetch(`/api/children?limit=${n}`, { cache: 'no-store' });
                await r.json();
                return performance.now() - s;
            }, limit),
        );

        // Baseline 2: a static page with a table of the same rows, from navigation to rendered.
        const rows = await p.evaluate(async (n) => (await (await fetch(`/api/children?limit=${n}`)).json()).items, limit);
        const esc = (s) => String(s ?? '').replace(/[&<>"]/g, (c) => ({ '&': '&amp;', '<': '&lt;', '>': '&gt;', '"': '&quot;' })[c]);
        const html = `<!doctype html><html lang="en"><title>static</title><table><thead><tr><th>Name</th><th>Age</th><th>Tier</th><th>Lead</th><th>Plan</th></tr></thead><tbody>${rows
            .map((c) => `<tr><td><a href="#">${esc(c.name)}</a></td><td>${c.age}</td><td>${c.tier}</td><td>${esc(c.lead_coordinator?.name)}</td><td>${esc(c.plan_updated_at)}</td></tr>`)
            .join('')}</tbody></table></html>`;
        await p.goto('about:blank');
        const s0 = performance.now();
        await p.setContent(html);
        await p.waitForFunction((n) => document.querySelector('tbody')?.rows.length === n, rows.length, { polling: 'raf' });
        staticTable.push(performance.now() - s0);
        await p.close();
    }
    await context.close();

    const a = stats(panel);
    const b = stats(fetchOnly);
    const c = stats(staticTable);
    console.log(`panel_render: program manager panel, ${limit} rows shown of ${first} children, ${RUNS} runs (${h.BIN})`);
    console.log(`  panel, navigation to all rows rendered: median ${fmt(a.median)}, p90 ${fmt(a.p90)} (min ${fmt(a.min)}, max ${fmt(a.max)})`);
    console.log(`  baseline GET /api/children alone:       median ${fmt(b.median)}, p90 ${fmt(b.p90)}`);
    console.log(`  baseline static table of the same rows: median ${fmt(c.median)}, p90 ${fmt(c.p90)}`);
    console.log(`  ratio panel/static ${(a.median / c.median).toFixed(1)}x, panel/fetch ${(a.median / b.median).toFixed(1)}x; target: under 1000 ms -> ${a.p90 < 1000 ? 'met' : 'NOT met'}`);
} finally {
    await browser.close();
    await server.stop();
}
