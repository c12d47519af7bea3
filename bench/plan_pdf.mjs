// Shared plan of care PDF benchmark (issue 5, acceptance 5): the time to assemble and render the
// largest demo plan to PDF, over a real `caremap serve` on a fresh demo database: 50 renders one at
// a time, then 50 with CONCURRENCY requests in flight; median and p95 of each. Baseline measured in
// the same run: GET /api/children/{id}/plan (the same plan assembled and sent as JSON, no drawing),
// so the ratio says what printing costs on top of reading. Target: p95 under 250 ms. Not a timed
// test: it reports figures.
//
//   node bench/plan_pdf.mjs [path/to/caremap]      (default build/caremap; needs
//                                                   tests/e2e/node_modules: npm ci there)
import path from 'node:path';
import { fileURLToPath } from 'node:url';

const here = path.dirname(fileURLToPath(import.meta.url));
if (process.argv[2]) process.env.CAREMAP_BIN = path.resolve(process.argv[2]);
const RUNS = Number(process.env.RUNS || 50);
const CONCURRENCY = Number(process.env.CONCURRENCY || 4);
const TARGET_P95_MS = 250;
const h = await import(path.join(here, '..', 'tests', 'e2e', 'lib', 'harness.mjs'));

function stats(xs) {
    const s = [...xs].sort((a, b) => a - b);
    const q = (p) => s[Math.min(s.length - 1, Math.ceil(p * s.length) - 1)];
    return { median: q(0.5), p95: q(0.95), min: s[0], max: s[s.length - 1] };
}
const fmt = (x) => `${x.toFixed(1)} ms`;

// One timed GET, the body read to the end; fails loudly on anything but 200.
async function timed(url, headers) {
    const t0 = performance.now();
    const r = await fetch(url, { headers });
    const body = Buffer.from(await r.arrayBuffer());
    const ms = performance.now() - t0;
    if (r.status !== 200) throw new Error(`GET ${url}: ${r.status} ${body.toString().slice(0, 300)}`);
    return { ms, bytes: body.length };
}

// n requests, at most `width` in flight at once; returns each one's time.
async function pool(n, width, fn) {
    const times = [];
    let next = 0;
    const worker = async () => {
        while (next < n) {
            next++;
            times.push((await fn()).ms);
        }
    };
    await Promise.all(Array.from({ length: width }, worker));
    return times;
}

const server = await h.startServer({ name: 'bench-plan-pdf' });
try {
    const signin = await fetch(`${server.url}/api/session`, {
        method: 'POST',
        headers: { 'Content-Type': 'application/json' },
        body: JSON.stringify({ username: 'manager', password: h.DEMO_PASSWORD }),
    });
    if (signin.status !== 201) throw new Error(`sign-in as manager: ${signin.status}`);
    const headers = { Authorization: `Bearer ${(await signin.json()).token}` };
    const get = async (p) => {
        const r = await fetch(server.url + p, { headers });
        if (r.status !== 200) throw new Error(`GET ${p}: ${r.status}`);
        return r.json();
    };

    // The largest plan of the program: most elements, then most contacts.
    const children = (await get('/api/children?limit=200')).items;
    let best = null;
    for (const c of children) {
        const doc = (await get(`/api/children/${c.id}/plan`)).document;
        const items = Object.values(doc.elements).reduce((n, list) => n + list.length, 0);
        const size = items * 1000 + doc.contacts.length;
        if (!best || size > best.size) best = { id: c.id, record: c.record_number, items, contacts: doc.contacts.length, size };
    }
    const base = `${server.url}/api/children/${best.id}`;
    const pdfUrl = `${base}/plan.pdf?lang=es`;

    // Warm up once each (first use of fonts, statements).
    const first = await timed(pdfUrl, headers);
    await timed(`${base}/plan`, headers);

    const json = await pool(RUNS, 1, () => timed(`${base}/plan`, headers));
    const single = await pool(RUNS, 1, () => timed(pdfUrl, headers));
    const concurrent = await pool(RUNS, CONCURRENCY, () => timed(pdfUrl, headers));
    const j = stats(json);
    const p1 = stats(single);
    const pc = stats(concurrent);

    console.log(`plan pdf: the largest demo plan, ${best.record}: ${best.items} elements, ${best.contacts} contacts, ` +
        `${(first.bytes / 1024).toFixed(0)} KiB PDF (Spanish), ${RUNS} requests each`);
    console.log(`  baseline GET .../plan (JSON)     median ${fmt(j.median)}  p95 ${fmt(j.p95)}`);
    console.log(`  plan.pdf, one at a time          median ${fmt(p1.median)}  p95 ${fmt(p1.p95)}  ` +
        `(${(p1.median / j.median).toFixed(1)}x the JSON)`);
    console.log(`  plan.pdf, ${CONCURRENCY} in flight            median ${fmt(pc.median)}  p95 ${fmt(pc.p95)}  ` +
        `(${(pc.median / j.median).toFixed(1)}x the JSON)`);
    const worst = Math.max(p1.p95, pc.p95);
    console.log(`  target p95 < ${TARGET_P95_MS} ms: ${worst < TARGET_P95_MS ? 'met' : 'NOT MET'} (worst p95 ${fmt(worst)})`);
} finally {
    await server.stop();
}
