// `caremap identify` from the command line (issue 6): the real binary on the reference samples and
// on bad input. Node 20 built-ins only. CAREMAP_BIN (default build/caremap), CAREMAP_TEST_TMP
// (scratch directory; default under the system temp dir).
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { spawnSync } from 'node:child_process';
import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { fileURLToPath } from 'node:url';

const REPO = path.resolve(path.dirname(fileURLToPath(import.meta.url)), '../..');
const BIN = path.resolve(process.env.CAREMAP_BIN || path.join(REPO, 'build', 'caremap'));
const TMP = fs.mkdtempSync(path.join(process.env.CAREMAP_TEST_TMP || os.tmpdir(), 'identify-'));
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

// Compares two TSV texts cell by cell and names the first difference.
function sameTable(got, want, what) {
    const g = got.split('\n');
    const w = want.split('\n');
    const header = w[0].split('\t');
    for (let i = 0; i < Math.max(g.length, w.length); i++) {
        if (g[i] === w[i]) continue;
        const gc = (g[i] ?? '').split('\t');
        const wc = (w[i] ?? '').split('\t');
        const j = wc.findIndex((c, k) => gc[k] !== c);
        assert.fail(`${what}: line ${i + 1} (${wc[0]}) differs in column ${header[j] ?? j}: got ${JSON.stringify(gc[j])}, want ${JSON.stringify(wc[j])}`);
    }
}

for (const [input, output] of [
    ['ccc_sample_input_long.tsv', 'ccc_sample_pccc_1.0.6_output.tsv'],
    ['ccc_listed_codes_input_long.tsv', 'ccc_listed_codes_pccc_1.0.6_output.tsv'],
]) {
    test(`ccc2 with --codes reference reproduces pccc 1.0.6 on ${input}, cell for cell`, () => {
        const out = scratch(`${input}.out.tsv`);
        const r = identify(['--algorithm', 'ccc2', '--codes', 'reference', '-o', out, path.join(DATA, input)]);
        assert.equal(r.status, 0, r.stderr);
        sameTable(fs.readFileSync(out, 'utf8'), fs.readFileSync(path.join(DATA, output), 'utf8'), input);
    });
}

for (const v of ['2.0', '2.1', '3.0', '3.1']) {
    test(`ccc${v} with --codes reference reproduces medicalcoder pccc_v${v} on the sample, cell for cell`, () => {
        const out = scratch(`mc${v}.out.tsv`);
        const r = identify(['--algorithm', `ccc${v}`, '--codes', 'reference', '-o', out, path.join(DATA, 'ccc_sample_input_long.tsv')]);
        assert.equal(r.status, 0, r.stderr);
        const want = fs.readFileSync(path.join(DATA, `ccc_sample_medicalcoder_pccc_v${v}_output.tsv`), 'utf8');
        sameTable(fs.readFileSync(out, 'utf8'), want, `ccc${v}`);
    });
}

test('medicalcoder variants match ICD-9 codes too unless --icd narrows them, as medicalcoder without icdv', () => {
    const file = scratch('icd9.tsv', 'patient_id\tcode_type\tcode\nP1\tdx\tV56\n');
    const col = (out, name) => {
        const rows = out.trim().split('\n').map((l) => l.split('\t'));
        return rows[1][rows[0].indexOf(name)];
    };
    const both = identify(['--algorithm', 'ccc2.0', '--codes', 'reference', file]);
    assert.equal(both.status, 0, both.stderr);
    assert.equal(col(both.stdout, 'renal'), '1');
    const icd10 = identify(['--algorithm', 'ccc2.0', '--codes', 'reference', '--icd', '10', file]);
    assert.equal(icd10.status, 0, icd10.stderr);
    assert.equal(col(icd10.stdout, 'renal'), '0');
});

test('medicalcoder variants: dotted and undotted codes match, lowercase only when normalised', () => {
    const file = scratch('mcnorm.tsv', 'patient_id\tcode_type\tcode\nP1\tdx\tG80.0\nP2\tdx\tG800\nP3\tdx\tg80.0\n');
    const cells = (out) => {
        const rows = out.trim().split('\n').map((l) => l.split('\t'));
        const c = rows[0].indexOf('neuromusc_dxpr_only');
        return rows.slice(1).map((r) => [r[0], r[c], r.at(-1)]);
    };
    const ref = identify(['--algorithm', 'ccc3.1', '--codes', 'reference', file]);
    assert.equal(ref.status, 0, ref.stderr);
    assert.deepEqual(cells(ref.stdout), [['P1', '1', '1'], ['P2', '1', '1'], ['P3', '0', '0']]);
    const norm = identify(['--algorithm', 'ccc3.1', file]);
    assert.equal(norm.status, 0, norm.stderr);
    assert.match(norm.stderr, /normalised/);
    assert.deepEqual(cells(norm.stdout), [['P1', '1', '1'], ['P2', '1', '1'], ['P3', '1', '1']]);
});

test('reading standard input with - gives the same table on standard output', () => {
    const input = fs.readFileSync(path.join(DATA, 'ccc_sample_input_long.tsv'));
    const r = identify(['--algorithm', 'ccc2', '--codes', 'reference', '-'], { input });
    assert.equal(r.status, 0, r.stderr);
    sameTable(r.stdout, fs.readFileSync(path.join(DATA, 'ccc_sample_pccc_1.0.6_output.tsv'), 'utf8'), 'stdin');
});

test('normalised codes (the default) are trimmed, upper-cased and undotted, and stderr says so', () => {
    const file = scratch('norm.tsv', 'patient_id\tcode_type\tcode\nP1\tdx\t g80.0 \nP2\tdx\tG80.0\n');
    const norm = identify([file]);
    assert.equal(norm.status, 0, norm.stderr);
    assert.match(norm.stderr, /normalised/);
    const rows = norm.stdout.trim().split('\n').map((l) => l.split('\t'));
    const col = rows[0].indexOf('neuromusc');
    assert.deepEqual(rows.slice(1).map((r) => [r[0], r[col]]), [['P1', '1'], ['P2', '1']]);
    // The same codes byte for byte, as pccc matches them, match nothing.
    const ref = identify(['--codes', 'reference', file]);
    assert.equal(ref.status, 0, ref.stderr);
    const refRows = ref.stdout.trim().split('\n').map((l) => l.split('\t'));
    assert.deepEqual(refRows.slice(1).map((r) => [r[0], r[col], r.at(-1)]), [['P1', '0', '0'], ['P2', '0', '0']]);
});

test('CSV is detected from the header', () => {
    const file = scratch('in.csv', 'patient_id,code_type,code\nP1,dx,G800\nP2,pc,X\n');
    const r = identify(['--codes', 'reference', file]);
    assert.equal(r.status, 0, r.stderr);
    const rows = r.stdout.trim().split('\n').map((l) => l.split('\t'));
    assert.equal(rows.length, 3);
    assert.equal(rows[1][rows[0].indexOf('neuromusc')], '1');
    assert.equal(rows[2].at(-1), '0');
});

const BAD = [
    'patient_id\tcode_type\tcode',
    'P1\tdx\tG800',
    'P2\tdx', // wrong column count
    '\tdx\tG800', // empty id
    'P3\tproc\tG800', // code type other than dx/pc
    `P4\tdx\t${'A'.repeat(200)}`, // over-long field
    'P5\tdx\tG8\xff00', // written below as invalid UTF-8
].join('\n');

function badFile() {
    const p = path.join(TMP, 'bad.tsv');
    const buf = Buffer.from(BAD + '\n', 'latin1'); // \xff stays one invalid byte
    fs.writeFileSync(p, buf);
    return p;
}

test('bad rows are named FILE:LINE: reason; with the default --max-errors 0 the run fails with 3 and writes nothing', () => {
    const file = badFile();
    const out = scratch('bad.out.tsv');
    fs.rmSync(out, { force: true });
    const r = identify(['-o', out, file]);
    assert.equal(r.status, 3, r.stderr);
    assert.equal(fs.existsSync(out), false, 'no partial output');
    for (const line of [3, 4, 5, 6, 7]) assert.match(r.stderr, new RegExp(`${file.replace(/[.*+?^${}()|[\]\\]/g, '\\$&')}:${line}: \\S`), `line ${line}`);
});

test('a larger --max-errors lets the run finish, with the good rows, and still reports the bad ones', () => {
    const file = badFile();
    const out = scratch('bad2.out.tsv');
    const r = identify(['--max-errors', '10', '-o', out, file]);
    assert.equal(r.status, 0, r.stderr);
    assert.match(r.stderr, /bad\.tsv:3: /);
    const rows = fs.readFileSync(out, 'utf8').trim().split('\n');
    assert.equal(rows[1].split('\t')[0], 'P1');
});

test('past 20 bad rows the rest are counted, not printed', () => {
    const lines = ['patient_id\tcode_type\tcode'];
    for (let i = 0; i < 45; i++) lines.push(`P${i}\tzz\tG800`);
    const file = scratch('many.tsv', lines.join('\n') + '\n');
    const r = identify([file]);
    assert.equal(r.status, 3);
    const named = r.stderr.split('\n').filter((l) => l.includes('many.tsv:'));
    assert.equal(named.length, 20, r.stderr);
    assert.match(r.stderr, /25/);
});

test('--list-versions prints every compiled-in list with its SHA-256', () => {
    const r = identify(['--list-versions']);
    assert.equal(r.status, 0, r.stderr);
    assert.match(r.stdout, /ccc_v2_icd10_pccc_1\.0\.6/);
    assert.match(r.stdout, /ccc2\.0,ccc2\.1,ccc3\.0,ccc3\.1\t9,10\tcodelists\/ccc_medicalcoder_0\.6\.0\.9000_codes\.tsv\t7913\tbb9f46f1/);
    assert.match(r.stdout, /\b[0-9a-f]{64}\b/);
});

test('an unknown algorithm or option is a usage error (2)', () => {
    assert.equal(identify(['--algorithm', 'nonsense', '-']).status, 2);
    assert.equal(identify(['--no-such-option']).status, 2);
});

// The wide table pccc was given (reference README section 5): one row per patient in order of
// first appearance, patient_id, dx1..dx30, pc1..pc15, code k of a type in column k, nothing trimmed.
function wideFromLong(text) {
    const patients = new Map();
    for (const line of text.split('\n').slice(1)) {
        if (line === '') continue;
        const [id, type, code] = line.split('\t');
        if (!patients.has(id)) patients.set(id, { dx: [], pc: [] });
        patients.get(id)[type].push(code);
    }
    const cols = (prefix, n) => Array.from({ length: n }, (_, k) => `${prefix}${k + 1}`);
    const rows = [['patient_id', ...cols('dx', 30), ...cols('pc', 15)].join('\t')];
    for (const [id, { dx, pc }] of patients) {
        assert.ok(dx.length <= 30 && pc.length <= 15, id);
        const pad = (codes, n) => [...codes, ...Array(n - codes.length).fill('')];
        rows.push([id, ...pad(dx, 30), ...pad(pc, 15)].join('\t'));
    }
    return rows.join('\n') + '\n';
}

test('--format wide on the sample rebuilt as pccc took it gives the long run\'s table, for every algorithm', () => {
    const long = path.join(DATA, 'ccc_sample_input_long.tsv');
    const wide = scratch('sample_wide.tsv', wideFromLong(fs.readFileSync(long, 'utf8')));
    for (const alg of ['ccc2', 'ccc2.0', 'ccc2.1', 'ccc3.0', 'ccc3.1']) {
        const w = identify(['--algorithm', alg, '--codes', 'reference', '--format', 'wide', wide]);
        assert.equal(w.status, 0, w.stderr);
        const l = identify(['--algorithm', alg, '--codes', 'reference', long]);
        assert.equal(l.status, 0, l.stderr);
        assert.ok(w.stdout.split('\n').length === 2002, `${alg}: header, 2000 rows, end`);
        sameTable(w.stdout, l.stdout, `wide ${alg}`);
    }
    sameTable(identify(['--codes', 'reference', '--format=wide', wide]).stdout,
        fs.readFileSync(path.join(DATA, 'ccc_sample_pccc_1.0.6_output.tsv'), 'utf8'), 'wide vs pccc');
});

test('--format wide: a bad header is bad input (3) naming the column; a repeated patient names its first line', () => {
    let r = identify(['--format', 'wide', '-'], { input: 'patient_id\tdx1\tcode\nP1\tG8000\tx\n' });
    assert.equal(r.status, 3);
    assert.match(r.stderr, /<stdin>:1: unknown column 'code'/);
    assert.equal(r.stdout, '');
    r = identify(['--format', 'wide', '-'], { input: 'patient_id\tdx1\nP1\tG8000\nP2\t\nP1\t\n' });
    assert.equal(r.status, 3);
    assert.match(r.stderr, /^<stdin>:4: patient already seen on line 2$/m);
    assert.equal(r.stdout, '');
    assert.equal(identify(['--format', 'tall', '-'], { input: '' }).status, 2);
});
