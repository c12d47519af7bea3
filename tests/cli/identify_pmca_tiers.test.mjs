// `caremap identify` from the command line (issue 6), second part: PMCA on the 52 hand-built
// patients, worker threads, stratification with encounters and tier rules, and their bad input.
// Node 20 built-ins only. CAREMAP_BIN (default build/caremap), CAREMAP_TEST_TMP.
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { spawnSync } from 'node:child_process';
import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { fileURLToPath } from 'node:url';

const REPO = path.resolve(path.dirname(fileURLToPath(import.meta.url)), '../..');
const BIN = path.resolve(process.env.CAREMAP_BIN || path.join(REPO, 'build', 'caremap'));
const TMP = fs.mkdtempSync(path.join(process.env.CAREMAP_TEST_TMP || os.tmpdir(), 'identify2-'));
const DATA = path.join(REPO, 'tests', 'data', 'identify');

function identify(args, { input } = {}) {
    const r = spawnSync(BIN, ['identify', ...args], { input, encoding: 'utf8', maxBuffer: 64 << 20 });
    if (r.error) throw r.error;
    return { status: r.status, stdout: r.stdout, stderr: r.stderr };
}

function scratch(name, text) {
    const p = path.join(TMP, name);
    if (text !== undefined) fs.writeFileSync(p, text);
    return p;
}

function table(text) {
    const lines = text.trim().split('\n').map((l) => l.split('\t'));
    const header = lines[0];
    return lines.slice(1).map((cells) => Object.fromEntries(header.map((h, i) => [h, cells[i]])));
}

const SYSTEMS = ['cardiac', 'cranio', 'derm', 'endo', 'gastro', 'genetic', 'genito', 'hemato', 'immuno', 'mh',
    'metab', 'musculo', 'neuro', 'opthal', 'otol', 'otolar', 'pulresp', 'renal'];

// ---- PMCA -----------------------------------------------------------------------------------------

for (const [algorithm, variant] of [['pmca', 'less'], ['pmca-conservative', 'more']]) {
    test(`${algorithm} gives every hand-built patient the class, systems and flags worked out from the rules`, () => {
        const r = identify(['--algorithm', algorithm, '--codes', 'reference', path.join(DATA, 'pmca_patients.tsv')]);
        assert.equal(r.status, 0, r.stderr);
        const got = table(r.stdout);
        const want = table(fs.readFileSync(path.join(DATA, 'pmca_patients_expected.tsv'), 'utf8'));
        assert.ok(want.length >= 40);
        // One row per patient, in order of first appearance (the input lists P001 first).
        assert.deepEqual(got.map((row) => row.patient_id), want.map((row) => row.patient_id));
        for (let i = 0; i < want.length; i++) {
            const g = got[i];
            const w = want[i];
            const what = `${w.patient_id} (${w.family})`;
            assert.equal(g.pmca_class, w[`class_${variant}`], `${what} class`);
            const systems = SYSTEMS.filter((s) => g[s] === '1').join(',') || '-';
            assert.equal(systems, w[`systems_${variant}`], `${what} systems`);
            assert.equal(g.body_systems, String(systems === '-' ? 0 : systems.split(',').length), `${what} body_systems`);
            assert.equal(g.progressive, w.progressive, `${what} progressive`);
            assert.equal(g.malignancy, w.malignancy, `${what} malignancy`);
            assert.match(g.pmca_reason, new RegExp(`^${w[`class_${variant}`]} \\(${variant}\\)`), `${what} reason`);
        }
    });
}

test('PMCA in wide format reads each row as one claim and agrees with the long file', () => {
    // Rebuild the hand-built patients as one row per claim with dx1..dxN and pc1..pcN.
    const rows = fs.readFileSync(path.join(DATA, 'pmca_patients.tsv'), 'utf8').trim().split('\n').slice(1);
    const claims = new Map();
    for (const line of rows) {
        const [id, claim, type, code] = line.split('\t');
        const key = `${id}\u0000${claim}`;
        if (!claims.has(key)) claims.set(key, { id, dx: [], pc: [] });
        claims.get(key)[type].push(code);
    }
    const ndx = Math.max(...[...claims.values()].map((c) => c.dx.length));
    const npc = Math.max(1, ...[...claims.values()].map((c) => c.pc.length));
    const cols = (p, n) => Array.from({ length: n }, (_, k) => `${p}${k + 1}`);
    const out = [['patient_id', ...cols('dx', ndx), ...cols('pc', npc)].join('\t')];
    const pad = (codes, n) => [...codes, ...Array(n - codes.length).fill('')];
    for (const c of claims.values()) out.push([c.id, ...pad(c.dx, ndx), ...pad(c.pc, npc)].join('\t'));
    const wide = scratch('pmca_wide.tsv', out.join('\n') + '\n');
    for (const algorithm of ['pmca', 'pmca-conservative']) {
        const a = identify(['--algorithm', algorithm, '--codes', 'reference', path.join(DATA, 'pmca_patients.tsv')]);
        const b = identify(['--algorithm', algorithm, '--codes', 'reference', '--format', 'wide', wide]);
        assert.equal(b.status, 0, b.stderr);
        // Claims are counted per row in wide format: only claim ids that were split in the long
        // file could differ, and the hand-built file keeps a claim's codes under one claim_id.
        assert.equal(b.stdout, a.stdout, algorithm);
    }
});

test('PMCA needs the claim_id column: a 3-column header is bad input (3) that says why', () => {
    const r = identify(['--algorithm', 'pmca', path.join(DATA, 'ccc_sample_input_long.tsv')]);
    assert.equal(r.status, 3);
    assert.match(r.stderr, /ccc_sample_input_long\.tsv:1: header must be the 4 columns patient_id, claim_id, code_type, code \(PMCA counts claims\)/);
});

test('PMCA rows: an empty or over-long claim_id and a wrong column count are named FILE:LINE: reason', () => {
    const file = scratch('pmca_bad.tsv', [
        'patient_id\tclaim_id\tcode_type\tcode',
        'P1\tC1\tdx\tG40.909',
        'P2\t\tdx\tG40.909',
        `P3\t${'c'.repeat(129)}\tdx\tG40.909`,
        'P4\tC1\tG40.909',
        'P5\tC1\tproc\tG40.909',
    ].join('\n') + '\n');
    const r = identify(['--algorithm', 'pmca', file]);
    assert.equal(r.status, 3);
    assert.match(r.stderr, /pmca_bad\.tsv:3: empty claim_id\n/);
    assert.match(r.stderr, /pmca_bad\.tsv:4: claim_id longer than 128 bytes\n/);
    assert.match(r.stderr, /pmca_bad\.tsv:5: expected 4 columns \(patient_id, claim_id, code_type, code\), got 3\n/);
    assert.match(r.stderr, /pmca_bad\.tsv:6: code_type must be dx or pc\n/);
    assert.equal(r.stdout, '');
});

test('--list-versions names the PMCA rules with their SHA-256', () => {
    const r = identify(['--list-versions']);
    assert.equal(r.status, 0, r.stderr);
    assert.match(r.stdout, /pmca,pmca-conservative\t10\tcodelists\/pmca_icd10_sas_rules_v3\.4\.5\.tsv\t1577\t[0-9a-f]{64}\n/);
});

// ---- threads ----------------------------------------------------------------------------------------

test('--threads gives the same table as one thread; a count outside 1-64 is a usage error', () => {
    const input = path.join(DATA, 'ccc_sample_input_long.tsv');
    const one = identify(['--threads', '1', input]);
    assert.equal(one.status, 0, one.stderr);
    for (const n of ['2', '4']) assert.equal(identify(['--threads', n, input]).stdout, one.stdout, `--threads ${n}`);
    for (const bad of ['0', '65', 'two', '-1']) assert.equal(identify(['--threads', bad, input]).status, 2, bad);
});

// ---- stratification -------------------------------------------------------------------------------

// One child for each default rule: technology, admissions, ED visits, complex only, and none.
const CODES = [
    'patient_id\tcode_type\tcode',
    'TECH\tdx\tG80.0', 'TECH\tdx\tT85.09XA',
    'ADMIT\tdx\tG80.0',
    'EDV\tdx\tQ91.3',
    'PLAIN\tdx\tG80.0',
    'WELL\tdx\tJ06.9',
].join('\n') + '\n';
const ENCOUNTERS = [
    'patient_id\tdate\ttype',
    'ADMIT\t2026-03-01\tadmission', 'ADMIT\t2026-08-15\tadmission',
    'EDV\t2026-01-02\ted', 'EDV\t2026-02-02\ted', 'EDV\t2026-09-30\ted',
    'PLAIN\t2025-09-30\tadmission', 'PLAIN\t2026-05-05\tadmission', // the first is outside the window
    'WELL\t2026-06-01\ted',
].join('\n') + '\n';

test('--encounters adds each child\'s tier and the rule that fired, from the default rules', () => {
    const codes = scratch('strat_codes.tsv', CODES);
    const enc = scratch('strat_enc.tsv', ENCOUNTERS);
    const r = identify(['--encounters', enc, '--as-of', '2026-09-30', codes]);
    assert.equal(r.status, 0, r.stderr);
    const rows = Object.fromEntries(table(r.stdout).map((row) => [row.patient_id, `${row.tier} ${row.tier_rule}`]));
    assert.deepEqual(rows, {
        TECH: '3 tier3-technology',
        ADMIT: '3 tier3-admissions',
        EDV: '3 tier3-ed-visits',
        PLAIN: '2 tier2-complex',
        WELL: '0 none',
    });
    assert.match(r.stderr, /encounters: 8 rows, \d+ children with encounters in the 12 months to 2026-09-30/);
});

test('--tiers replaces the rules: the same children, tiered by a program\'s own file', () => {
    const codes = scratch('strat_codes2.tsv', CODES);
    const enc = scratch('strat_enc2.tsv', ENCOUNTERS);
    const tiers = scratch('my_tiers.json', JSON.stringify({
        version: 1,
        window_months: 24,
        no_tier_reason: 'Nothing found',
        tiers: [{ tier: 3, label: 'Top', rules: [{ id: 'any-admission', reason: 'Was in hospital', when: { admissions_min: 2 } }] }],
    }));
    const r = identify(['--encounters', enc, '--tiers', tiers, '--as-of', '2026-09-30', codes]);
    assert.equal(r.status, 0, r.stderr);
    const rows = Object.fromEntries(table(r.stdout).map((row) => [row.patient_id, `${row.tier} ${row.tier_rule}`]));
    // 24 months reach PLAIN's first admission.
    assert.deepEqual(rows, { TECH: '0 none', ADMIT: '3 any-admission', EDV: '0 none', PLAIN: '3 any-admission', WELL: '0 none' });
});

test('a bad tiers file or encounters file is bad input (3) naming the place; --tiers alone is a usage error', () => {
    const codes = scratch('strat_codes3.tsv', CODES);
    const enc = scratch('strat_enc3.tsv', ENCOUNTERS);
    const tiers = scratch('bad_tiers.json', '{"version": 1, "window_months": 0, "no_tier_reason": "x", "tiers": []}');
    let r = identify(['--encounters', enc, '--tiers', tiers, '--as-of', '2026-09-30', codes]);
    assert.equal(r.status, 3);
    assert.match(r.stderr, /bad_tiers\.json: window_months: /);
    const badEnc = scratch('bad_enc.tsv', 'patient_id\tdate\ttype\nA\t2026-02-30\ted\nB\t2026-01-01\tvisit\n');
    r = identify(['--encounters', badEnc, '--as-of', '2026-09-30', codes]);
    assert.equal(r.status, 3);
    assert.match(r.stderr, /bad_enc\.tsv:2: bad date/);
    assert.match(r.stderr, /bad_enc\.tsv:3: /);
    assert.equal(r.stdout, '');
    assert.equal(identify(['--tiers', tiers, codes]).status, 2);
    assert.equal(identify(['--as-of', '2026-01-01', codes]).status, 2);
});

test('--load without --as, or --as without --load, is a usage error', () => {
    const codes = scratch('strat_codes4.tsv', CODES);
    assert.equal(identify(['--load', codes]).status, 2);
    assert.equal(identify(['--as', 'analyst.jo', codes]).status, 2);
});
