// Finding children (docs/api.md, "Finding children: identification runs"): runs recorded by the
// real `caremap identify --load` on small fixture files (tests/data/identify/registry/), then the
// runs, candidates by tier, enrolling one (it leaves "not yet enrolled", a program manager finds
// the child, the audit trail shows it), comparing two runs (new, changed tier, dropped), who may
// (every role: 200, 403 or 404), and a table of bad requests that change nothing.
//
// The fixtures, and what CCC v2 (pccc 1.0.6, normalised codes) and the default tier rules
// (data/stratify/tiers.json, 12 months to 2026-10-31) make of them:
//
//   patient  first run (codes_first + encounters_first)      second run (codes_second + encounters_second)
//   A001     G800 + Z4541: complex, technology -> tier 3     same -> tier 3
//   A002     I270, 2 admissions -> tier 3                    I270, no admission -> tier 2   (changed)
//   A003     I270 -> tier 2                                  I270, 2 admissions -> tier 3   (changed)
//   A004     E840 -> tier 2                                  absent                         (dropped)
//   A005     S82252F (no CCC) -> tier 0                      G800 -> tier 2                 (new)
//   A006     G800 -> tier 2                                  S82252F -> tier 0              (dropped)
//   A007     J45909 (asthma, no CCC) -> tier 0               same -> tier 0
//   A008     absent                                          E840 -> tier 2                 (new)
//
// A third run loads codes_first without encounters (no tiers). A second program, made here with
// sqlite3 (no route creates programs), has its own manager and its own run.
//
// Tests are independent: the enrolment test enrols A003 and A004 only; the comparison test enrols
// A005 only and asserts "enrolled" for it alone; lists that other tests may change are read with
// enrolled=all.
import { test, before, after } from 'node:test';
import assert from 'node:assert/strict';
import path from 'node:path';
import {
    ISO_DATE,
    ISO_TIME,
    REPO,
    addFamilyAccount,
    assertError,
    assertList,
    assertNoHeaderViolations,
    assertRecord,
    checksum,
    client,
    freshDb,
    isoDate,
    panelAll,
    runCaremap,
    sqlite,
    startServer,
    stopCleanly,
} from './lib/harness.mjs';

const FIX = path.join(REPO, 'tests/data/identify/registry');
const fix = (name) => path.join(FIX, name);
const AS_OF = '2026-10-31';

let server;
let db;
let c;
const runs = {}; // first, second, plain (no tiers), other (the second program's)
let demoRuns = []; // the runs `caremap demo` loads itself (src/cmd/demo_identify.c), newest first
const who = {}; // sessions by name

/** Runs `caremap identify ... --load --db FILE --as USER codes`; resolves the CLI's result. */
function load(dbPath, as, codes, extra = []) {
    return runCaremap(['identify', '--algorithm', 'ccc2', ...extra, '--load', '--db', dbPath, '--as', as, codes]);
}

/** Loads a run that must succeed; returns its id (from the runs table: the newest). */
async function loadOk(dbPath, as, codes, extra = []) {
    const r = await load(dbPath, as, codes, extra);
    assert.equal(r.code, 0, `identify --load as ${as} ${codes}: exit ${r.code}\n${r.stderr}`);
    const id = Number((await sqlite(dbPath, 'SELECT max(id) FROM identify_run')).trim());
    assert.ok(id > 0, 'no run recorded');
    return id;
}

const stratify = (enc) => ['--encounters', fix(enc), '--as-of', AS_OF];

before(async () => {
    db = await freshDb('identify');
    // A second program and its manager (the demo manager's password hash, so the demo password).
    await sqlite(
        db,
        "INSERT INTO program (created_at, updated_at, updated_by, name) VALUES (0, 0, 0, 'Other Program');" +
            ' INSERT INTO app_user (created_at, updated_at, updated_by, program_id, username, display_name, role, language, password_hash)' +
            " SELECT 0, 0, 0, (SELECT max(id) FROM program), 'manager.other', 'Other Manager', 'program_manager', 'en', password_hash" +
            " FROM app_user WHERE username = 'manager';",
    );
    demoRuns = (await sqlite(db, 'SELECT id FROM identify_run ORDER BY id DESC')).split('\n').filter(Boolean).map(Number);
    runs.first = await loadOk(db, 'analyst.jo', fix('codes_first.tsv'), stratify('encounters_first.tsv'));
    runs.second = await loadOk(db, 'manager', fix('codes_second.tsv'), stratify('encounters_second.tsv'));
    runs.plain = await loadOk(db, 'analyst.jo', fix('codes_first.tsv'));
    runs.other = await loadOk(db, 'manager.other', fix('codes_second.tsv'), stratify('encounters_second.tsv'));
    server = await startServer({ db, name: 'identify' });
    c = client(server);
    for (const name of ['admin', 'manager', 'analyst.jo', 'coord.ada', 'dr.ellis', 'sw.gray', 'manager.other']) who[name] = await c.signIn(name);
});

after(async () => {
    if (server && !server.exitInfo) await server.stop();
});

const R = (id) => `/api/identify/runs/${id}`;

async function candidates(s, run, query = {}) {
    return assertList(await s.get(`${R(run)}/candidates`, { query }));
}

/** Every candidate of a run whatever its enrolment, by patient id. */
async function allCandidates(s, run, query = {}) {
    const j = await candidates(s, run, { enrolled: 'all', limit: 200, ...query });
    return new Map(j.items.map((x) => [x.patient_id, x]));
}

/** Audit events of the identify routes, oldest first: [{action, outcome, child_id, detail}]. */
async function identifyAudit() {
    const out = await sqlite(db, "SELECT action, outcome, coalesce(child_id, 0), coalesce(detail, '') FROM audit_event WHERE action LIKE 'identify.%' ORDER BY id");
    return out
        .split('\n')
        .filter(Boolean)
        .map((l) => {
            const [action, outcome, child, detail] = l.split('|');
            return { action, outcome, child_id: Number(child), detail };
        });
}

const BIRTH = '2016-05-04';

// ---- loading and runs ------------------------------------------------------------------------------

test('a loaded run is listed newest first with its files, counts and who ran it', async () => {
    const list = assertList(await who['analyst.jo'].get('/api/identify/runs'));
    assert.deepEqual(
        list.items.map((r) => r.id),
        [runs.plain, runs.second, runs.first, ...demoRuns],
        'runs of my program, newest first (the other program has its own)',
    );
    assert.equal(list.total, 3 + demoRuns.length);
    const first = list.items.find((r) => r.id === runs.first);
    assert.match(first.created_at, ISO_TIME);
    assert.equal(first.created_by.name, 'Jo Analyst');
    assert.equal(first.created_by.id, who['analyst.jo'].user.id);
    assert.equal(first.algorithm, 'ccc2');
    assert.equal(first.codes_mode, 'normalised');
    assert.match(first.list_name, /ccc_v2_icd10/);
    assert.match(first.list_sha256, /^[0-9a-f]{64}$/);
    assert.equal(first.input_name, fix('codes_first.tsv'));
    assert.equal(first.stratified, true);
    assert.equal(first.encounters_name, fix('encounters_first.tsv'));
    assert.equal(first.tiers_name, 'stratify/tiers.json');
    assert.match(first.tiers_sha256, /^[0-9a-f]{64}$/);
    assert.equal(first.as_of, AS_OF);
    assert.deepEqual(
        { rows: first.rows, patients: first.patients, bad_rows: first.bad_rows },
        { rows: 8, patients: 7, bad_rows: 0 },
    );
    assert.deepEqual(first.classes, { complex_chronic: 5, non_complex_chronic: 0, non_chronic: 2 });
    assert.deepEqual(first.tiers, { 3: 2, 2: 3, 1: 0, 0: 2 });
    assert.equal(first.candidates, 5);
    assert.ok(Number.isInteger(first.enrolled));

    const plain = list.items.find((r) => r.id === runs.plain);
    assert.equal(plain.stratified, false);
    for (const k of ['encounters_name', 'tiers_name', 'tiers_sha256', 'as_of', 'tiers']) assert.equal(plain[k], null, k);
    assert.equal(plain.candidates, 5, 'without tiers, the complex chronic are the candidates');

    const one = await who.manager.get(R(runs.second));
    assert.equal(one.status, 200, one.text);
    const second = one.json;
    assert.equal(second.id, runs.second);
    assert.equal(second.created_by.name, 'Morgan Manager');
    assert.deepEqual(second.tiers, { 3: 2, 2: 3, 1: 0, 0: 2 });

    const paged = assertList(await who.admin.get('/api/identify/runs', { query: { limit: 1, offset: 1 } }));
    assert.deepEqual([paged.total, paged.limit, paged.offset, paged.items.map((r) => r.id)], [3 + demoRuns.length, 1, 1, [runs.second]]);

    // The load wrote its audit event with counts only.
    const loads = (await identifyAudit()).filter((e) => e.action === 'identify.load');
    assert.ok(loads.some((e) => e.detail === `run=${runs.first} patients=7 candidates=5` && e.child_id === 0 && e.outcome === 'ok'), JSON.stringify(loads));
});

test('a load that fails records nothing: wrong role, unknown user, bad rows, a database to migrate', async () => {
    const copy = await freshDb('identify-fail');
    const count = async (d) => Number((await sqlite(d, 'SELECT count(*) FROM identify_run')).trim());
    const results = async (d) => Number((await sqlite(d, 'SELECT count(*) FROM identify_result')).trim());
    const demo = { runs: await count(copy), results: await results(copy) }; // the demo's own runs
    const nurse = await load(copy, 'coord.ada', fix('codes_first.tsv'));
    assert.notEqual(nurse.code, 0);
    assert.match(nurse.stderr, /administrator, a program manager or an analyst/);
    const nobody = await load(copy, 'no.such.user', fix('codes_first.tsv'));
    assert.notEqual(nobody.code, 0);
    assert.match(nobody.stderr, /no user 'no\.such\.user'/);
    const bad = await load(copy, 'analyst.jo', fix('codes_bad.tsv'));
    assert.equal(bad.code, 3, bad.stderr);
    assert.match(bad.stderr, /codes_bad\.tsv:3: code_type must be dx or pc/);
    assert.equal(await count(copy), demo.runs);
    assert.equal(await results(copy), demo.results);
    // A database without the registry's migration is not migrated behind the servers' back.
    await sqlite(copy, "DELETE FROM schema_migrations WHERE name = '0003_identify.sql'");
    const old = await load(copy, 'analyst.jo', fix('codes_first.tsv'));
    assert.notEqual(old.code, 0);
    assert.match(old.stderr, /caremap migrate/);
    assert.equal(Number((await sqlite(copy, "SELECT count(*) FROM schema_migrations WHERE name = '0003_identify.sql'")).trim()), 0);
});

// ---- candidates ------------------------------------------------------------------------------------

test('candidates are listed by tier, highest first, then by patient id, with the rule that fired', async () => {
    const jo = who['analyst.jo'];
    const all = await candidates(jo, runs.first, { enrolled: 'all' });
    assert.equal(all.total, 5);
    assert.deepEqual(
        all.items.map((x) => [x.patient_id, x.tier]),
        [['A001', 3], ['A002', 3], ['A003', 2], ['A004', 2], ['A006', 2]],
    );
    const [a1, a2] = all.items;
    assert.equal(a1.class, 'complex_chronic');
    assert.equal(a1.tech_dep, true);
    assert.ok(a1.condition_names.includes('neuromusc'), JSON.stringify(a1));
    assert.equal(a1.conditions, a1.condition_names.length);
    assert.equal(a1.tier_rule, 'tier3-technology');
    assert.equal(a1.tier_reason, 'Complex chronic condition and depends on medical technology');
    assert.equal(a2.tier_rule, 'tier3-admissions');
    assert.deepEqual(a2.encounters, { ed: 0, admission: 2, observation: 0, specialty: 0, primary_care: 0, home_health: 0, other: 0 });
    for (const x of all.items) {
        assert.ok(Number.isInteger(x.id) && x.id > 0);
        assert.equal(typeof x.enrolled, 'boolean');
        assert.equal(x.child_id === null, !x.enrolled);
        for (const k of ['transplant', 'progressive', 'malignancy']) assert.equal(typeof x[k], 'boolean', k);
    }

    const t3 = await candidates(jo, runs.first, { tier: 3, enrolled: 'all' });
    assert.deepEqual(t3.items.map((x) => x.patient_id), ['A001', 'A002']);
    const t2 = await candidates(jo, runs.first, { tier: 2, enrolled: 'all' });
    assert.deepEqual(t2.items.map((x) => x.patient_id), ['A003', 'A004', 'A006']);
    const t1 = await candidates(jo, runs.first, { tier: 1, enrolled: 'all' });
    assert.deepEqual([t1.total, t1.items], [0, []]);
    const page = await candidates(jo, runs.first, { enrolled: 'all', limit: 2, offset: 1 });
    assert.deepEqual([page.total, page.limit, page.offset], [5, 2, 1]);
    assert.deepEqual(page.items.map((x) => x.patient_id), ['A002', 'A003']);
    const cls = await candidates(jo, runs.first, { enrolled: 'all', class: 'non_chronic' });
    assert.equal(cls.total, 0, 'non-chronic patients have no tier: not candidates');

    // Without tiers: the complex chronic, by patient id; tier and encounters are null.
    const plain = await candidates(jo, runs.plain, { enrolled: 'all' });
    assert.deepEqual(plain.items.map((x) => x.patient_id), ['A001', 'A002', 'A003', 'A004', 'A006']);
    for (const x of plain.items) {
        assert.deepEqual([x.tier, x.tier_rule, x.tier_reason, x.encounters], [null, null, null, null]);
    }

    // Each read is audited without any member id.
    const reads = (await identifyAudit()).filter((e) => e.action === 'identify.candidates.read');
    assert.ok(reads.some((e) => e.detail === `run=${runs.first} count=2 offset=1`), JSON.stringify(reads));
    for (const e of await identifyAudit()) assert.doesNotMatch(e.detail, /A00\d/, `member id in audit detail ${e.detail}`);
});

// ---- enrolling -------------------------------------------------------------------------------------

test('enrolling a candidate creates the child; it leaves "not yet enrolled" and a manager finds it', async () => {
    const jo = who['analyst.jo'];
    const a3 = (await allCandidates(jo, runs.first)).get('A003');
    const before = await candidates(jo, runs.first);
    assert.ok(before.items.some((x) => x.patient_id === 'A003'), 'A003 starts not enrolled');

    const res = await jo.req('POST', `${R(runs.first)}/candidates/${a3.id}/enrol`, {
        body: { given_name: 'Nia', family_name: 'Registrytest', birth_date: BIRTH },
    });
    const child = assertRecord(res, 201);
    assert.equal(res.headers.get('location'), `/api/children/${child.id}`);
    assert.equal(child.record_number, 'A003', 'the record number defaults to the member id');
    assert.equal(child.tier, 2, "the candidate's tier");
    assert.equal(child.enrolled_on, isoDate());
    assert.match(child.enrolled_on, ISO_DATE);
    assert.deepEqual([child.sex, child.preferred_language], ['unknown', 'en']);
    assert.equal(child.access, null, 'an analyst does not join the care team');

    const after = await candidates(jo, runs.first);
    assert.ok(!after.items.some((x) => x.patient_id === 'A003'), 'no longer in enrolled=0');
    assert.equal(after.total, before.total - 1);
    const enrolled = await candidates(jo, runs.first, { enrolled: 1 });
    const e3 = enrolled.items.find((x) => x.patient_id === 'A003');
    assert.deepEqual([e3.enrolled, e3.child_id], [true, child.id]);
    // Enrolment belongs to the program: the same member id in another run is enrolled too.
    assert.equal((await allCandidates(jo, runs.second)).get('A003').child_id, child.id);
    assert.ok((await who.manager.get(R(runs.first))).json.enrolled >= 1);

    // The analyst does not reach the child; the program manager does, and finds it in the panel.
    assert.equal((await jo.get(`/api/children/${child.id}`)).status, 404);
    const panel = await panelAll(who.manager, { q: 'Registrytest' });
    assert.ok(panel.some((p) => p.id === child.id), 'the manager finds the child in the panel');
    assert.equal((await who.manager.get(`/api/children/${child.id}/team`)).json.items.length, 0, 'no care team yet');
    const history = assertList(await who.manager.get(`/api/children/${child.id}/access`));
    const ev = history.items.find((e) => e.action === 'identify.enrol');
    assert.ok(ev, JSON.stringify(history.items));
    assert.deepEqual([ev.outcome, ev.user_id], ['ok', jo.user.id]);
    const audit = (await identifyAudit()).find((e) => e.action === 'identify.enrol' && e.child_id === child.id);
    assert.equal(audit.detail, `run=${runs.first} candidate=${a3.id}`);

    // Once only, from this run or any other: 409 on patient_id, and nothing changes.
    const sum = await checksum(db);
    const again = await who.manager.req('POST', `${R(runs.first)}/candidates/${a3.id}/enrol`, {
        body: { given_name: 'Nia', family_name: 'Registrytest', birth_date: BIRTH, record_number: 'OTHER-1' },
    });
    assertError(again, 409, 'conflict', 'patient_id');
    const a3second = (await allCandidates(jo, runs.second)).get('A003');
    assertError(
        await who.manager.req('POST', `${R(runs.second)}/candidates/${a3second.id}/enrol`, {
            body: { given_name: 'Nia', family_name: 'Registrytest', birth_date: BIRTH, record_number: 'OTHER-2' },
        }),
        409,
        'conflict',
        'patient_id',
    );
    // A record number already taken: 409 naming it, and A004 stays not enrolled.
    const a4 = (await allCandidates(jo, runs.first)).get('A004');
    assertError(
        await who.manager.req('POST', `${R(runs.first)}/candidates/${a4.id}/enrol`, {
            body: { given_name: 'Oli', family_name: 'Registrytest', birth_date: BIRTH, record_number: 'A003' },
        }),
        409,
        'conflict',
        'record_number',
    );
    assert.equal(await checksum(db), sum, 'failed enrolments changed nothing');

    // A program manager joins the care team of the child they enrol, as POST /api/children does.
    const res4 = await who.manager.req('POST', `${R(runs.first)}/candidates/${a4.id}/enrol`, {
        body: { given_name: 'Oli', family_name: 'Registrytest', birth_date: BIRTH, sex: 'male', preferred_language: 'es', record_number: 'REG-A004' },
    });
    const child4 = assertRecord(res4, 201);
    assert.deepEqual([child4.record_number, child4.sex, child4.preferred_language, child4.tier], ['REG-A004', 'male', 'es', 2]);
    assert.equal(typeof child4.access, 'string');
    const team = assertList(await who.manager.get(`/api/children/${child4.id}/team`)).items;
    assert.deepEqual(
        team.map((t) => [t.user_id, t.role, t.sector, t.lead]),
        [[who.manager.user.id, 'program_manager', 'medical', 'none']],
    );
    const audit4 = (await identifyAudit()).find((e) => e.action === 'identify.enrol' && e.child_id === child4.id);
    assert.equal(audit4.detail, `run=${runs.first} candidate=${a4.id} team_member=${team[0].id}`);
});

// ---- comparing -------------------------------------------------------------------------------------

async function compare(s, run, query) {
    const res = await s.get(`${R(run)}/compare`, { query });
    assert.equal(res.status, 200, res.text);
    return res.json;
}

test('comparing two runs names who is new, who changed tier and who dropped out', async () => {
    const jo = who['analyst.jo'];
    const q = { with: runs.first };
    const fresh = await compare(jo, runs.second, q);
    assert.deepEqual(fresh.counts, { new: 2, changed: 2, dropped: 2 });
    assert.deepEqual([fresh.run_id, fresh.with, fresh.category, fresh.total, fresh.limit, fresh.offset], [runs.second, runs.first, 'new', 2, 50, 0]);
    assert.deepEqual(
        fresh.items.map((x) => [x.patient_id, x.before, x.after?.tier, x.after?.class]),
        [['A005', null, 2, 'complex_chronic'], ['A008', null, 2, 'complex_chronic']],
    );
    const second = await allCandidates(jo, runs.second);
    assert.equal(fresh.items[0].after.candidate_id, second.get('A005').id);

    const changed = await compare(jo, runs.second, { ...q, category: 'changed' });
    assert.deepEqual(
        changed.items.map((x) => [x.patient_id, x.before.tier, x.after.tier]),
        [['A002', 3, 2], ['A003', 2, 3]],
    );
    assert.equal(changed.total, 2);
    const dropped = await compare(jo, runs.second, { ...q, category: 'dropped' });
    assert.deepEqual(
        dropped.items.map((x) => [x.patient_id, x.before.tier, x.after]),
        [['A004', 2, null], ['A006', 2, null]],
    );
    const first = await allCandidates(jo, runs.first);
    assert.equal(dropped.items[0].before.candidate_id, first.get('A004').id);

    // The other way round, new and dropped swap; paging a category.
    const back = await compare(jo, runs.first, { with: runs.second, category: 'new' });
    assert.deepEqual(back.counts, { new: 2, changed: 2, dropped: 2 });
    assert.deepEqual(back.items.map((x) => x.patient_id), ['A004', 'A006']);
    const paged = await compare(jo, runs.second, { ...q, category: 'dropped', limit: 1, offset: 1 });
    assert.deepEqual([paged.total, paged.items.map((x) => x.patient_id)], [2, ['A006']]);

    // Enrolling a newcomer from the comparison: its candidate id is what the enrol route takes.
    assert.equal(fresh.items[0].enrolled, false);
    const kid = assertRecord(
        await jo.req('POST', `${R(runs.second)}/candidates/${fresh.items[0].after.candidate_id}/enrol`, {
            body: { given_name: 'Ade', family_name: 'Registrytest', birth_date: BIRTH },
        }),
        201,
    );
    assert.equal(kid.tier, 2);
    const now = await compare(jo, runs.second, q);
    assert.deepEqual([now.items[0].patient_id, now.items[0].enrolled, now.items[0].child_id], ['A005', true, kid.id]);

    // A run with tiers against one without: compared by class.
    const byClass = await compare(jo, runs.second, { with: runs.plain, category: 'changed' });
    assert.deepEqual(byClass.counts, { new: 2, changed: 0, dropped: 2 });

    const audit = (await identifyAudit()).filter((e) => e.action === 'identify.compare.read');
    assert.ok(audit.some((e) => e.detail === `run=${runs.second} with=${runs.first} category=changed count=2`), JSON.stringify(audit));
});

// ---- who may ---------------------------------------------------------------------------------------

test('who may: administrators, program managers and analysts of the program; 403 for others; 404 for other programs', async () => {
    const a1 = (await allCandidates(who.admin, runs.first)).get('A001');
    const routes = (run, cand) => [
        ['GET', '/api/identify/runs', {}],
        ['GET', R(run), {}],
        ['GET', `${R(run)}/candidates`, {}],
        ['GET', `${R(run)}/compare`, { query: { with: runs.second } }],
        // An empty body: a role that may enrol gets past the role and the run to the body (400).
        ['POST', `${R(run)}/candidates/${cand}/enrol`, { body: {} }],
    ];
    const children = await panelAll(who.admin);
    const fam = await addFamilyAccount(who.admin, children[0].id, 'R');
    const identities = {
        administrator: [who.admin, 200],
        'program manager': [who.manager, 200],
        'analyst (analyst.jo)': [who['analyst.jo'], 200],
        'nurse care coordinator': [who['coord.ada'], 403],
        'complex care pediatrician': [who['dr.ellis'], 403],
        'social worker': [who['sw.gray'], 403],
        family: [fam.session, 403],
    };
    const sum = await checksum(db);
    for (const [name, [s, want]] of Object.entries(identities)) {
        for (const [method, p, opts] of routes(runs.first, a1.id)) {
            const res = await s.req(method, p, opts);
            const expected = want === 200 && method === 'POST' ? 400 : want;
            assert.equal(res.status, expected, `${name}: ${method} ${p} -> ${res.status} ${res.text.slice(0, 200)}`);
            if (expected === 403) assertError(res, 403, 'forbidden', '');
        }
    }
    // Signed out: 401 everywhere.
    for (const [method, p, opts] of routes(runs.first, a1.id)) {
        assertError(await c.req(method, p, opts), 401, 'unauthenticated');
    }
    // Another program's manager: program one's runs do not exist for them, exactly like a missing run.
    const other = who['manager.other'];
    const mine = assertList(await other.get('/api/identify/runs'));
    assert.deepEqual(mine.items.map((r) => r.id), [runs.other]);
    const shape = (res) => ({ status: res.status, body: res.text.split(res.requestId).join('') });
    for (const [method, p, opts] of routes(runs.first, a1.id).slice(1)) {
        const res = await other.req(method, p, opts);
        assertError(res, 404, 'not_found');
        const missing = await other.req(method, p.replace(R(runs.first), R(999999)), opts);
        assert.deepEqual(shape(res), shape(missing), `${method} ${p}: another program's run answers as a missing one`);
    }
    // And program one cannot see theirs, nor compare with it.
    assertError(await who.manager.get(R(runs.other)), 404, 'not_found');
    assertError(await who.manager.get(`${R(runs.first)}/compare`, { query: { with: runs.other } }), 404, 'not_found', 'with');
    assert.equal((await other.get(`${R(runs.other)}/candidates`)).status, 200);
    assert.equal(await checksum(db), sum, 'no denied request changed anything');

    // Denials are audited: 403s with the route's action, 404s with the run's id.
    const denied = (await identifyAudit()).filter((e) => e.outcome === 'denied');
    for (const action of ['identify.run.list', 'identify.run.read', 'identify.candidates.read', 'identify.compare.read', 'identify.enrol']) {
        assert.ok(denied.some((e) => e.action === action && e.detail === ''), `403 for ${action} audited`);
    }
    assert.ok(denied.some((e) => e.action === 'identify.run.read' && e.detail === `run=${runs.first}`), 'a 404 for another program is audited');
});

// ---- bad input -------------------------------------------------------------------------------------

test('bad requests: 400 naming the field (or 404, 415), and nothing changes', async () => {
    const s = who.manager;
    const a6 = (await allCandidates(s, runs.first)).get('A006');
    const otherRunCandidate = (await allCandidates(who['manager.other'], runs.other)).get('A005');
    const enrol = (cand, body, extra = {}) => ['POST', `${R(runs.first)}/candidates/${cand}/enrol`, { body, ...extra }];
    const ok = { given_name: 'Bad', family_name: 'Input', birth_date: BIRTH };
    const rows = [
        // [method, path, opts, status, field]
        ['GET', '/api/identify/runs', { query: { bogus: 1 } }, 400, 'bogus'],
        ['GET', '/api/identify/runs', { query: { limit: 0 } }, 400, 'limit'],
        ['GET', '/api/identify/runs', { query: { limit: 201 } }, 400, 'limit'],
        ['GET', '/api/identify/runs', { query: { offset: -1 } }, 400, 'offset'],
        ['GET', '/api/identify/runs?limit=5&limit=6', {}, 400, 'limit'],
        ['GET', '/api/identify/runs/abc', {}, 404, ''],
        ['GET', '/api/identify/runs/0', {}, 404, ''],
        ['GET', R(999999), {}, 404, ''],
        ['DELETE', R(runs.first), {}, 405, ''],
        ['GET', `${R(runs.first)}/candidates`, { query: { tier: 4 } }, 400, 'tier'],
        ['GET', `${R(runs.first)}/candidates`, { query: { tier: 0 } }, 400, 'tier'],
        ['GET', `${R(runs.first)}/candidates`, { query: { tier: 'x' } }, 400, 'tier'],
        ['GET', `${R(runs.plain)}/candidates`, { query: { tier: 2 } }, 400, 'tier'],
        ['GET', `${R(runs.first)}/candidates`, { query: { class: 'complex' } }, 400, 'class'],
        ['GET', `${R(runs.first)}/candidates`, { query: { enrolled: 2 } }, 400, 'enrolled'],
        ['GET', `${R(runs.first)}/candidates`, { query: { enrolled: 'true' } }, 400, 'enrolled'],
        ['GET', `${R(runs.first)}/candidates`, { query: { limit: 500 } }, 400, 'limit'],
        ['GET', `${R(runs.first)}/candidates`, { query: { patient_id: 'A001' } }, 400, 'patient_id'],
        ['GET', `${R(runs.first)}/compare`, {}, 400, 'with'],
        ['GET', `${R(runs.first)}/compare`, { query: { with: 'abc' } }, 400, 'with'],
        ['GET', `${R(runs.first)}/compare`, { query: { with: runs.first } }, 400, 'with'],
        ['GET', `${R(runs.first)}/compare`, { query: { with: 999999 } }, 404, 'with'],
        ['GET', `${R(runs.first)}/compare`, { query: { with: runs.second, category: 'gone' } }, 400, 'category'],
        ['GET', `${R(runs.first)}/compare`, { query: { with: runs.second, offset: 'x' } }, 400, 'offset'],
        enrol(a6.id, undefined).concat([400, '']),
        enrol(a6.id, {}).concat([400, 'given_name']),
        enrol(a6.id, { ...ok, birth_date: '2016-02-30' }).concat([400, 'birth_date']),
        enrol(a6.id, { ...ok, birth_date: isoDate(30) }).concat([400, 'birth_date']),
        enrol(a6.id, { ...ok, given_name: '' }).concat([400, 'given_name']),
        enrol(a6.id, { ...ok, given_name: 7 }).concat([400, 'given_name']),
        enrol(a6.id, { ...ok, tier: 3 }).concat([400, 'tier']),
        enrol(a6.id, { ...ok, member_id: 'A006' }).concat([400, 'member_id']),
        enrol(a6.id, { ...ok, record_number: 'R'.repeat(65) }).concat([400, 'record_number']),
        enrol(a6.id, { ...ok, sex: 'x' }).concat([400, 'sex']),
        enrol(a6.id, { ...ok, preferred_language: '12' }).concat([400, 'preferred_language']),
        enrol(a6.id, '{"given_name": "Bad",').concat([400, undefined]),
        enrol(a6.id, JSON.stringify(ok), { contentType: 'text/plain' }).concat([415, 'Content-Type']),
        ['POST', `${R(runs.first)}/candidates/${a6.id}/enrol?x=1`, { body: ok }, 400, 'x'],
        enrol(otherRunCandidate.id, ok).concat([404, '']),
        enrol(999999, ok).concat([404, '']),
        ['POST', `${R(999999)}/candidates/${a6.id}/enrol`, { body: ok }, 404, ''],
    ];
    const sum = await checksum(db);
    for (const [method, p, opts, status, field] of rows) {
        const res = await s.req(method, p, opts);
        assertError(res, status, undefined, field);
    }
    assert.equal(await checksum(db), sum, 'no bad request changed anything');
    assert.equal((await allCandidates(s, runs.first)).get('A006').enrolled, false);
});

test('the server log names no member id and the server stops cleanly', async () => {
    assertNoHeaderViolations(server);
    const log = server.log();
    assert.doesNotMatch(log, /A00\d/, 'a member id in the server log');
    await stopCleanly(server);
});
