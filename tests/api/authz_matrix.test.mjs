// THE AUTHORISATION MATRIX: every child-scoped route, every method, against every kind of
// identity, with the exact status docs/api.md requires ("Who may do what"). For an identity that
// does not reach the child the answer must be byte-for-byte the 404 for a child that does not
// exist, and nothing may change (care-record checksum before and after equal).
//
// Child A is made through the API by coord.ada (so she is its lead), with nav.hale as a plain
// member, an external backup coordinator, and a guardian linked to a new family account. Child B
// is made by coord.dee the same way, with its own family account. dr.ellis is on neither team: he
// is denied until he uses break-glass on A, and reaches A afterwards.
import { test, before, after } from 'node:test';
import assert from 'node:assert/strict';
import crypto from 'node:crypto';
import {
    assertError,
    assertList,
    assertNoHeaderViolations,
    assertRecord,
    checksum,
    client,
    isoDate,
    request,
    sqlite,
    startServer,
    stopCleanly,
    tokenHash,
    uniq,
    usersByName,
} from './lib/harness.mjs';

const MISSING = 999999999; // a child id that does not exist
const REASON = 'Child seen in the emergency department, care team unreachable';

// The columns: every child-scoped route and method. k is the context with A's current ids and
// versions (refreshed before each request so a status reflects authorisation, not staleness).
const ROUTES = [
    ['GET child', (k) => ['GET', `/api/children/${k.child}`]],
    ['PATCH child', (k) => ['PATCH', `/api/children/${k.child}`, { body: { tier: k.nextTier }, ifMatch: k.childVersion }]],
    ['GET family', (k) => ['GET', `/api/children/${k.child}/family`]],
    ['POST family', (k) => ['POST', `/api/children/${k.child}/family`, { body: { given_name: 'Mira', family_name: 'Matrixton', relationship: 'grandparent' } }]],
    ['GET family/{m}', (k) => ['GET', `/api/children/${k.child}/family/${k.familyMember}`]],
    ['PATCH family/{m}', (k) => ['PATCH', `/api/children/${k.child}/family/${k.familyMember}`, { body: { phone: `555-01${k.n2}` }, ifMatch: k.familyVersion }]],
    ['GET team', (k) => ['GET', `/api/children/${k.child}/team`]],
    ['POST team', (k) => ['POST', `/api/children/${k.child}/team`, { body: { name: 'Sol Matrixton', role: 'occupational therapist', service: 'occupational therapy', sector: 'medical' } }]],
    ['GET team/{m}', (k) => ['GET', `/api/children/${k.child}/team/${k.teamMember}`]],
    ['PATCH team/{m}', (k) => ['PATCH', `/api/children/${k.child}/team/${k.teamMember}`, { body: { phone: `555-01${k.n2}` }, ifMatch: k.teamVersion }]],
    ['POST team/{m}/end', (k) => ['POST', `/api/children/${k.child}/team/${k.endMember}/end`, { body: { end_date: isoDate(0) }, ifMatch: 1 }]],
    ['PUT lead', (k) => ['PUT', `/api/children/${k.child}/lead`, { body: { lead_member_id: k.leadMember, backup_member_id: k.backupMember }, ifMatch: k.childVersion }]],
    ['GET access', (k) => ['GET', `/api/children/${k.child}/access`]],
    ['POST break-glass', (k) => ['POST', `/api/children/${k.child}/break-glass`, { body: { reason: REASON } }]],
];

// THE TABLE. One row per identity, one column per route above, in the same order. Rows run top to
// bottom; the break-glass column runs last in its row (a 201 there grants access from then on).
//                                    GET   PATCH GET   POST  GET   PATCH GET   POST  GET   PATCH POST  PUT   GET   POST
//                                    child child fam   fam   fam/m fam/m team  team  tm/m  tm/m  end   lead  access break-glass
const MATRIX = [
    ['team lead (coord.ada)',         200,  200,  200,  201,  200,  200,  200,  201,  200,  200,  200,  200,  200,  201],
    ['team member (nav.hale)',        200,  200,  200,  201,  200,  200,  200,  201,  200,  200,  200,  200,  403,  403],
    ['other team staff (coord.dee)',  404,  404,  404,  404,  404,  404,  404,  404,  404,  404,  404,  404,  404,  201],
    ['program manager',               200,  200,  200,  201,  200,  200,  200,  201,  200,  200,  200,  200,  200,  403],
    ['administrator',                 200,  200,  200,  201,  200,  200,  200,  201,  200,  200,  200,  200,  200,  403],
    ['family of A',                   200,  403,  200,  403,  200,  403,  200,  403,  200,  403,  403,  403,  403,  403],
    ['family of B',                   404,  404,  404,  404,  404,  404,  404,  404,  404,  404,  404,  404,  404,  403],
    ['analyst',                       404,  404,  404,  404,  404,  404,  404,  404,  404,  404,  404,  404,  404,  403],
    ['signed out',                    401,  401,  401,  401,  401,  401,  401,  401,  401,  401,  401,  401,  401,  401],
    ['revoked session',               401,  401,  401,  401,  401,  401,  401,  401,  401,  401,  401,  401,  401,  401],
    ['token never issued',            401,  401,  401,  401,  401,  401,  401,  401,  401,  401,  401,  401,  401,  401],
    ['session idle too long',         401,  401,  401,  401,  401,  401,  401,  401,  401,  401,  401,  401,  401,  401],
    ['session past absolute expiry',  401,  401,  401,  401,  401,  401,  401,  401,  401,  401,  401,  401,  401,  401],
    ['clinician, break-glass lapsed', 404,  404,  404,  404,  404,  404,  404,  404,  404,  404,  404,  404,  404,  201],
    ['clinician before break-glass',  404,  404,  404,  404,  404,  404,  404,  404,  404,  404,  404,  404,  404,  201],
    ['clinician after break-glass',   200,  200,  200,  201,  200,  200,  200,  201,  200,  200,  200,  200,  403,  201],
];

const CODE = { 401: 'unauthenticated', 403: 'forbidden', 404: 'not_found' };

let server;
let c;
let admin;
let users;
const ctx = {}; // ids of A, B and their members
const ident = {}; // identity name -> {session} or {opts} for raw credentials
const requestIdsBy = new Map(); // identity -> request ids of its requests on A

before(async () => {
    server = await startServer({ name: 'matrix' });
    c = client(server);
    admin = (await c.signIn('admin')).bearer();
    users = await usersByName(admin);
    const ada = await c.signIn('coord.ada');
    const dee = await c.signIn('coord.dee');

    const mk = async (s, tag) => {
        const res = await s.req('POST', '/api/children', {
            body: { record_number: uniq(`MX${tag}-`), given_name: 'Matrix', family_name: `Child${tag}`, birth_date: '2016-08-09', tier: 2 },
        });
        return assertRecord(res, 201);
    };
    const childA = await mk(ada, 'A');
    const childB = await mk(dee, 'B');
    ctx.child = childA.id;
    ctx.childB = childB.id;

    const teamA = assertList(await admin.get(`/api/children/${childA.id}/team`)).items;
    const adaMember = teamA.find((m) => m.user_id === ada.user.id);
    assert.ok(adaMember && adaMember.lead === 'lead', 'coord.ada did not become the lead of the child she created');
    ctx.leadMember = adaMember.id;
    const hale = users.get('nav.hale');
    assertRecord(await admin.req('POST', `/api/children/${childA.id}/team`, { body: { user_id: hale.id, role: 'family navigator', sector: 'community' } }), 201);
    const backup = assertRecord(
        await admin.req('POST', `/api/children/${childA.id}/team`, { body: { name: 'Hollis Quillbrook', role: 'hospital case manager', service: 'case management', sector: 'medical' } }),
        201,
    );
    ctx.backupMember = backup.id;
    ctx.teamMember = backup.id;
    const v = assertRecord(await admin.get(`/api/children/${childA.id}`), 200).version;
    const led = await admin.req('PUT', `/api/children/${childA.id}/lead`, { body: { lead_member_id: adaMember.id, backup_member_id: backup.id }, ifMatch: v });
    assert.equal(led.status, 200, led.text);

    const password = 'matrix-family-password';
    const family = async (childId, tag) => {
        const m = assertRecord(
            await admin.req('POST', `/api/children/${childId}/family`, { body: { given_name: 'Gia', family_name: `Guardian${tag}`, relationship: 'guardian', is_guardian: true } }),
            201,
        );
        const username = `family.mx${tag.toLowerCase()}${crypto.randomBytes(3).toString('hex')}`;
        assertRecord(
            await admin.req('POST', '/api/users', { body: { username, display_name: `Gia Guardian${tag}`, role: 'family', password, family_member_id: m.id } }),
            201,
        );
        return { member: m, session: await c.signIn(username, password) };
    };
    const famA = await family(childA.id, 'A');
    const famB = await family(childB.id, 'B');
    ctx.familyMember = famA.member.id;

    const revoked = await c.signIn('coord.ada');
    assert.equal((await revoked.req('DELETE', '/api/session')).status, 204);

    // Expiry cannot be waited for (the shortest settings are a minute and an hour): age the rows
    // with the sqlite3 tool while the server runs, as time would.
    const idle = await c.signIn('coord.ada');
    const absolute = await c.signIn('coord.ada');
    const fong = await c.signIn('dr.fong');
    const grant = await fong.req('POST', `/api/children/${childA.id}/break-glass`, { body: { reason: REASON } });
    assert.equal(grant.status, 201, grant.text);
    assert.equal((await fong.get(`/api/children/${childA.id}`)).status, 200, 'the grant did not give access');
    const now = Math.floor(Date.now() / 1000);
    await sqlite(
        server.db,
        `UPDATE session SET last_seen_at = last_seen_at - 86400 WHERE token_hash = '${tokenHash(idle.token)}';` +
            `UPDATE session SET expires_at = ${now - 1} WHERE token_hash = '${tokenHash(absolute.token)}';` +
            `UPDATE break_glass SET expires_at = ${now - 1} WHERE user_id = ${fong.user.id};`,
    );

    const ellis = await c.signIn('dr.ellis');
    ident['team lead (coord.ada)'] = { session: ada };
    ident['team member (nav.hale)'] = { session: await c.signIn('nav.hale') };
    ident['other team staff (coord.dee)'] = { session: dee };
    ident['program manager'] = { session: await c.signIn('manager') };
    ident.administrator = { session: await c.signIn('admin') };
    ident['family of A'] = { session: famA.session };
    ident['family of B'] = { session: famB.session };
    ident.analyst = { session: await c.signIn('analyst.jo') };
    ident['signed out'] = { opts: {} };
    ident['revoked session'] = { opts: { cookie: revoked.cookie, csrf: revoked.csrf } };
    ident['token never issued'] = { opts: { bearer: crypto.randomBytes(32).toString('hex') } };
    ident['session idle too long'] = { session: idle };
    ident['session past absolute expiry'] = { session: absolute };
    ident['clinician, break-glass lapsed'] = { session: fong };
    ident['clinician before break-glass'] = { session: ellis };
    ident['clinician after break-glass'] = { session: ellis };
});

after(async () => {
    if (server && !server.exitInfo) await server.stop();
});

/** Fresh versions of A's records, and a fresh external member to end. */
async function refresh(k) {
    const child = assertRecord(await admin.get(`/api/children/${ctx.child}`), 200);
    k.childVersion = child.version;
    k.nextTier = (child.tier % 3) + 1;
    k.familyVersion = assertRecord(await admin.get(`/api/children/${ctx.child}/family/${ctx.familyMember}`), 200).version;
    k.teamVersion = assertRecord(await admin.get(`/api/children/${ctx.child}/team/${ctx.teamMember}`), 200).version;
    k.n2 = String(10 + (k.childVersion % 90));
}

function send(identity, method, p, opts) {
    const who = ident[identity];
    if (who.session) return who.session.req(method, p, opts);
    return request(server, method, p, { ...opts, ...who.opts });
}

/** Normalises a response for "the same as for a missing child": status, headers that matter, body. */
function shape(res) {
    const body = res.requestId ? res.text.split(res.requestId).join('<request-id>') : res.text;
    return { status: res.status, contentType: res.headers.get('content-type'), allow: res.headers.get('allow'), body };
}

const WRITE = (name) => !name.startsWith('GET');

for (const [identity, ...statuses] of MATRIX) {
    test(`authorisation matrix: ${identity}`, async (t) => {
        assert.equal(statuses.length, ROUTES.length, 'the table row has a status per route');
        const k = { ...ctx };
        // Something to end for this row, made before the checksum so only the row's requests count.
        k.endMember = assertRecord(
            await admin.req('POST', `/api/children/${ctx.child}/team`, { body: { name: `End Target ${identity}`, role: 'therapist', service: 'physical therapy', sector: 'medical' } }),
            201,
        ).id;
        const bgIndex = ROUTES.findIndex(([name]) => name === 'POST break-glass');
        const order = [...ROUTES.keys()].filter((i) => i !== bgIndex).concat([bgIndex]);
        const rowWrites = (indices) => indices.some((i) => WRITE(ROUTES[i][0]) && statuses[i] < 300);
        const mainCols = order.slice(0, -1);
        const sum0 = await checksum(server.db);
        const ids = requestIdsBy.get(identity) ?? [];
        requestIdsBy.set(identity, ids);

        for (const i of order) {
            if (i === bgIndex && !rowWrites(mainCols)) {
                await t.test('denied and refused requests changed nothing', async () => {
                    assert.equal(await checksum(server.db), sum0, `${identity}: the records changed`);
                });
            }
            const [name, build] = ROUTES[i];
            const expected = statuses[i];
            await refresh(k);
            const [method, p, opts = {}] = build(k);
            await t.test(`${name} -> ${expected}`, async () => {
                const res = await send(identity, method, p, opts);
                if (res.requestId) ids.push({ id: res.requestId, status: res.status, route: name });
                if (expected < 300) {
                    assert.equal(res.status, expected, `${identity} ${method} ${p}: ${res.status} ${res.text.slice(0, 300)}`);
                    assert.ok(res.json && typeof res.json === 'object', 'no JSON body');
                    if (method !== 'GET' && name !== 'POST break-glass') {
                        const rec = name === 'PUT lead' ? res.json.child : res.json;
                        assert.equal(res.headers.get('etag'), `"${rec.version}"`, 'ETag of the changed record');
                    }
                    return;
                }
                assertError(res, expected, CODE[expected]);
                if (expected === 404) {
                    // Exactly the answer for a child that does not exist.
                    const [m2, p2, o2 = {}] = build({ ...k, child: MISSING });
                    const missing = await send(identity, m2, p2, o2);
                    assert.deepEqual(shape(res), shape(missing), `${identity} ${method} ${p}: a denied child is told apart from a missing one`);
                }
            });
        }
        if (rowWrites(order)) {
            // The checksum comparisons above mean something only if it sees writes.
            await t.test('the allowed writes changed the records', async () => {
                assert.notEqual(await checksum(server.db), sum0, `${identity}: writes answered 2xx but the checksum did not move`);
            });
            return;
        }
        await t.test('nothing changed over the whole row', async () => {
            assert.equal(await checksum(server.db), sum0, `${identity}: the records changed`);
        });
    });
}

/** Every event of A's access history, through the pages. */
async function allHistory() {
    const all = [];
    for (let offset = 0; ; offset += 200) {
        // Not assertList: whether a full page carries its total is checked in routes.test.mjs.
        const res = await admin.get(`/api/children/${ctx.child}/access`, { query: { limit: 200, offset } });
        assert.equal(res.status, 200, res.text);
        const j = res.json;
        all.push(...j.items);
        if (j.items.length < 200) break;
    }
    return new Map(all.map((e) => [e.request_id, e]));
}

test('every denial on A was audited as denied, for the identity that tried', async () => {
    const byRequest = await allHistory();
    for (const identity of ['other team staff (coord.dee)', 'family of B', 'analyst', 'clinician before break-glass', 'family of A']) {
        const who = ident[identity].session.user;
        const denied = (requestIdsBy.get(identity) ?? []).filter((r) => r.status === 404 || r.status === 403);
        assert.ok(denied.length > 0, `${identity}: no denied request recorded`);
        for (const r of denied) {
            if (r.route === 'POST break-glass') continue; // a role refusal, not about reaching A
            const ev = byRequest.get(r.id);
            assert.ok(ev, `${identity} ${r.route} (request ${r.id}) is not in the access history`);
            assert.equal(ev.outcome, 'denied', `${identity} ${r.route}: outcome ${ev.outcome}`);
            assert.equal(ev.user_id, who.id, `${identity} ${r.route}: user`);
            assert.equal(ev.break_glass, false);
        }
    }
});

test('accesses through break-glass were audited with break_glass true, team accesses without', async () => {
    const byRequest = await allHistory();
    const bg = (requestIdsBy.get('clinician after break-glass') ?? []).filter((r) => r.status < 300 && r.route !== 'POST break-glass');
    assert.ok(bg.length > 0);
    for (const r of bg) {
        const ev = byRequest.get(r.id);
        assert.ok(ev, `${r.route} through break-glass is not in the access history`);
        assert.equal(ev.break_glass, true, `${r.route}: break_glass`);
        assert.equal(ev.outcome, 'ok');
    }
    const team = (requestIdsBy.get('team member (nav.hale)') ?? []).filter((r) => r.status < 300);
    assert.ok(team.length > 0);
    for (const r of team) {
        const ev = byRequest.get(r.id);
        assert.ok(ev, `${r.route} by a team member is not in the access history`);
        assert.equal(ev.outcome, 'ok');
        assert.equal(ev.break_glass, false);
    }
});

test('child B is as hidden from A\'s team as A is from B\'s', async () => {
    const ada = ident['team lead (coord.ada)'].session;
    for (const p of [`/api/children/${ctx.childB}`, `/api/children/${ctx.childB}/team`, `/api/children/${ctx.childB}/family`, `/api/children/${ctx.childB}/access`]) {
        const res = await ada.get(p);
        assertError(res, 404, 'not_found');
        const missing = await ada.get(p.replace(String(ctx.childB), String(MISSING)));
        assert.deepEqual(shape(res), shape(missing), p);
    }
    const famA = ident['family of A'].session;
    const panel = assertList(await famA.get('/api/children'));
    assert.deepEqual(panel.items.map((i) => i.id), [ctx.child], 'family of A sees other children');
});

test('a denied identity cannot tell a child exists from a malformed write either', async () => {
    // Doc-silent but follows from "never told apart": whatever the server checks first (If-Match,
    // the body), the answer for an unreachable child equals the answer for a missing one.
    const analyst = ident.analyst.session;
    const cases = [
        ['PATCH', (id) => `/api/children/${id}`, { body: { tier: 2 } }],
        ['PATCH', (id) => `/api/children/${id}`, { body: { tier: 'high' }, ifMatch: 1 }],
        ['PATCH', (id) => `/api/children/${id}`, { body: '{"tier": ', ifMatch: 1 }],
        ['POST', (id) => `/api/children/${id}/family`, { body: { nickname: 'x' } }],
        ['PUT', (id) => `/api/children/${id}/lead`, { body: { lead_member_id: ctx.leadMember, backup_member_id: null } }],
        ['POST', (id) => `/api/children/${id}/team/${ctx.teamMember}/end`, { body: {}, ifMatch: 999 }],
    ];
    const sum = await checksum(server.db);
    for (const [method, p, opts] of cases) {
        const real = await analyst.req(method, p(ctx.child), opts);
        const missing = await analyst.req(method, p(MISSING), opts);
        assert.deepEqual(shape(real), shape(missing), `${method} ${p('{id}')} ${JSON.stringify(opts)}`);
    }
    assert.equal(await checksum(server.db), sum);
});

test('every response carried the documented security headers', () => {
    assertNoHeaderViolations(server);
});

test('the server stops cleanly on SIGTERM', async () => {
    await stopCleanly(server);
});
