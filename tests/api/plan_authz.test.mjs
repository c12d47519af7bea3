// THE AUTHORISATION MATRIX of the shared plan of care: every new child-scoped route (the six item
// routes of every one of the eleven kinds, the document, from-template, versions, diff, reviews
// and both PDFs) against the identities of authz_matrix.test.mjs, with the exact status
// docs/api.md requires: "Family accounts and analysts may read but not write (403), except family
// reviews"; a child not reached is 404 byte for byte as for a child that does not exist; nothing
// denied or refused changes the care records (checksum); every read, write, print and denial is in
// the child's access history under its documented action.
//
// Child A is made through the API by coord.ada (its lead), with analyst.jo added to its team and a
// guardian linked to a new family account. Child B is coord.dee's, with its own family account. A
// second analyst, made here, is on no team. dr.ellis reaches A only after break-glass.
import { test, before, after } from 'node:test';
import assert from 'node:assert/strict';
import crypto from 'node:crypto';
import {
    PLAN_KINDS,
    addFamilyAccount,
    assertError,
    assertList,
    assertNoHeaderViolations,
    assertRecord,
    accessHistory,
    checksum,
    client,
    createChild,
    createPlanItem,
    request,
    requestBytes,
    samplePlanItem,
    startServer,
    stopCleanly,
} from './lib/harness.mjs';

const MISSING = 999999999; // a child id that does not exist
const REASON = 'Child seen in the emergency department, care team unreachable';

// THE TABLE. Per identity: the status of a read, of a write (OK = the route's own success:
// 200, 201 or 204) and of recording a review. Every route below is one of the three.
const OK = 'ok';
const MATRIX = [
    //  identity                                   read  write review
    ['team lead (coord.ada)',                       200,  OK,   201],
    ['program manager',                             200,  OK,   201],
    ['administrator',                               200,  OK,   201],
    ['analyst on the team (analyst.jo)',            200,  403,  403],
    ['family of A',                                 200,  403,  201],
    ['other coordinator (coord.dee)',               404,  404,  404],
    ['family of B',                                 404,  404,  404],
    ['analyst on no team',                          404,  404,  404],
    ['clinician before break-glass (dr.ellis)',     404,  404,  404],
    ['clinician after break-glass (dr.ellis)',      200,  OK,   201],
    ['signed out',                                  401,  401,  401],
];
const FAMILY = new Set(['family of A', 'family of B']);
const CODE = { 401: 'unauthenticated', 403: 'forbidden', 404: 'not_found' };

// The routes: [name, class, success status, audit action, build(k, identity) -> [method, path, opts]].
// k.target[kind] is the item the item routes act on (the row's own new item when its create
// succeeded, else the standing one); k.version[kind] is its current version.
const ROUTES = [];
for (const { kind, path: p } of PLAN_KINDS) {
    const item = (k) => `/api/children/${k.child}/plan/${p}/${k.target[kind]}`;
    ROUTES.push(
        [`GET ${p}`, 'read', 200, 'plan.read', (k) => ['GET', `/api/children/${k.child}/plan/${p}`]],
        [`POST ${p}`, 'write', 201, 'plan.create', (k) => ['POST', `/api/children/${k.child}/plan/${p}`, { body: samplePlanItem(kind, k.refs) }]],
        [`GET ${p}/{item}`, 'read', 200, 'plan.read', (k) => ['GET', item(k)]],
        [`PATCH ${p}/{item}`, 'write', 200, 'plan.update', (k) => ['PATCH', item(k), { body: samplePlanItem(kind, k.refs), ifMatch: k.version[kind] }]],
        [
            `PUT ${p}/{item}/translation`,
            'write',
            200,
            'plan.translate',
            (k) => ['PUT', `${item(k)}/translation`, { query: { lang: 'es' }, body: { [k.textField[kind]]: `Traducción ${k.n}` }, ifMatch: k.version[kind] }],
        ],
        [`DELETE ${p}/{item}`, 'write', 204, 'plan.remove', (k) => ['DELETE', item(k), { ifMatch: k.version[kind] }]],
    );
}
ROUTES.push(
    ['GET plan', 'read', 200, 'plan.read', (k) => ['GET', `/api/children/${k.child}/plan`]],
    ['POST from-template', 'write', 201, 'plan.create', (k) => ['POST', `/api/children/${k.child}/plan/action-plans/from-template`, { body: { template: 'dystonia' } }]],
    ['POST versions', 'write', 201, 'plan.version.create', (k) => ['POST', `/api/children/${k.child}/plan/versions`, { body: { note: `Row ${k.n}` } }]],
    ['GET versions', 'read', 200, 'plan.read', (k) => ['GET', `/api/children/${k.child}/plan/versions`]],
    ['GET versions/1', 'read', 200, 'plan.read', (k) => ['GET', `/api/children/${k.child}/plan/versions/1`]],
    ['GET diff', 'read', 200, 'plan.read', (k) => ['GET', `/api/children/${k.child}/plan/diff`, { query: { from: 1 } }]],
    ['GET reviews', 'read', 200, 'plan.read', (k) => ['GET', `/api/children/${k.child}/plan/reviews`]],
    ['GET plan.pdf', 'read', 200, 'plan.print', (k) => ['GET', `/api/children/${k.child}/plan.pdf`, { query: { lang: 'en' } }]],
    ['GET emergency.pdf', 'read', 200, 'plan.print', (k) => ['GET', `/api/children/${k.child}/emergency.pdf`, { query: { lang: 'es' } }]],
    // Last in every row: a family's review is the one write a family may make.
    [
        'POST versions/{n}/reviews',
        'review',
        201,
        'plan.review.create',
        (k, identity) => [
            'POST',
            `/api/children/${k.child}/plan/versions/${k.latest}/reviews`,
            { body: FAMILY.has(identity) ? { decision: 'agree' } : { decision: 'comment', comment: 'Went through the plan with the family by phone', in_person: true } },
        ],
    ],
);

let server;
let c;
let admin;
const ctx = {}; // child ids, refs, standing items
const ident = {}; // identity -> {session} or {opts}
const requestsBy = new Map(); // identity -> [{id, status, route, action}]

before(async () => {
    server = await startServer({ name: 'planmatrix' });
    c = client(server);
    admin = (await c.signIn('admin')).bearer();
    const ada = await c.signIn('coord.ada');
    const dee = await c.signIn('coord.dee');
    ctx.child = (await createChild(ada, { given_name: 'Matrix', family_name: 'PlanA' })).id;
    ctx.childB = (await createChild(dee, { given_name: 'Matrix', family_name: 'PlanB' })).id;
    const jo = await c.signIn('analyst.jo');
    assertRecord(await admin.req('POST', `/api/children/${ctx.child}/team`, { body: { user_id: jo.user.id, role: 'analyst', sector: 'medical' } }), 201);
    const loneName = `analyst.pl${crypto.randomBytes(3).toString('hex')}`;
    assertRecord(
        await admin.req('POST', '/api/users', { body: { username: loneName, display_name: 'Lone Analyst', role: 'analyst', password: 'analyst-password-123' } }),
        201,
    );
    const famA = await addFamilyAccount(admin, ctx.child, 'A');
    const famB = await addFamilyAccount(admin, ctx.childB, 'B');

    // The standing items: links point at them, and rows that may not write act on them.
    const goal = await createPlanItem(admin, ctx.child, 'goals', samplePlanItem('goal'));
    const concern = await createPlanItem(admin, ctx.child, 'concerns', samplePlanItem('concern'));
    const transition = await createPlanItem(admin, ctx.child, 'transitions', samplePlanItem('transition'));
    ctx.refs = { goal: goal.id, concern: concern.id, transition: transition.id };
    ctx.standing = { goal: goal.id, concern: concern.id, transition: transition.id };
    for (const { kind, path: p } of PLAN_KINDS) {
        if (!ctx.standing[kind] && kind !== 'summary') ctx.standing[kind] = (await createPlanItem(admin, ctx.child, p, samplePlanItem(kind, ctx.refs))).id;
    }
    const kinds = (await admin.get('/api/plan/kinds')).json.items;
    ctx.textField = Object.fromEntries(kinds.map((d) => [d.kind, d.fields.find((f) => f.type === 'text').name]));
    assert.equal((await admin.req('POST', `/api/children/${ctx.child}/plan/versions`, { body: {} })).status, 201, 'version 1 of A');
    // B has a plan too, so that its 404s are not about an empty plan.
    await createPlanItem(dee, ctx.childB, 'goals', samplePlanItem('goal'));

    const ellis = await c.signIn('dr.ellis');
    ident['team lead (coord.ada)'] = { session: ada };
    ident['program manager'] = { session: await c.signIn('manager') };
    ident.administrator = { session: await c.signIn('admin') };
    ident['analyst on the team (analyst.jo)'] = { session: jo };
    ident['family of A'] = { session: famA.session };
    ident['other coordinator (coord.dee)'] = { session: dee };
    ident['family of B'] = { session: famB.session };
    ident['analyst on no team'] = { session: await c.signIn(loneName, 'analyst-password-123') };
    ident['clinician before break-glass (dr.ellis)'] = { session: ellis };
    ident['clinician after break-glass (dr.ellis)'] = { session: ellis, grant: true };
    ident['signed out'] = { opts: {} };
});

after(async () => {
    if (server && !server.exitInfo) await server.stop();
});

function send(identity, method, p, opts = {}) {
    const who = ident[identity];
    if (p.endsWith('.pdf')) return requestBytes(who.session ?? server, p, opts);
    if (who.session) return who.session.req(method, p, opts);
    return request(server, method, p, { ...opts, ...who.opts });
}

/** Normalises a response for "the same as for a missing child": status, headers that matter, body. */
function shape(res) {
    const body = res.requestId ? res.text.split(res.requestId).join('<request-id>') : res.text;
    return { status: res.status, contentType: res.headers.get('content-type'), allow: res.headers.get('allow'), body };
}

/** A live summary exists exactly when the row cannot create one (at most one per child). */
async function setSummary(wanted) {
    const live = assertList(await admin.get(`/api/children/${ctx.child}/plan/summary`)).items;
    if (!wanted) {
        for (const s of live) assert.equal((await admin.req('DELETE', `/api/children/${ctx.child}/plan/summary/${s.id}`, { ifMatch: s.version })).status, 204);
        return null;
    }
    return live[0]?.id ?? (await createPlanItem(admin, ctx.child, 'summary', samplePlanItem('summary'))).id;
}

/** The current versions of the row's targets and the latest plan version, read once per row;
 * the row's own successful writes keep them current from their answers after that. */
async function refresh(k) {
    for (const { kind, path: p } of PLAN_KINDS) {
        const res = await admin.get(`/api/children/${ctx.child}/plan/${p}/${k.target[kind]}`);
        k.version[kind] = res.status === 200 ? res.json.version : 1;
    }
    k.latest = assertList(await admin.get(`/api/children/${ctx.child}/plan/versions`)).items[0].number;
}

const statusFor = (row, cls, success) => {
    const s = cls === 'read' ? row.read : cls === 'write' ? row.write : row.review;
    return s === OK ? success : s;
};

let rowNumber = 0;
for (const [identity, read, write, review] of MATRIX) {
    test(`plan authorisation matrix: ${identity}`, async (t) => {
        const row = { read, write, review };
        const writes = write === OK;
        if (ident[identity].grant) {
            const g = await ident[identity].session.req('POST', `/api/children/${ctx.child}/break-glass`, { body: { reason: REASON } });
            assert.equal(g.status, 201, g.text);
        }
        const k = { ...ctx, n: ++rowNumber, target: { ...ctx.standing }, version: {} };
        k.target.summary = await setSummary(!writes);
        if (writes) k.target.summary = 0; // set by the row's own create
        await refresh(k);
        const ids = requestsBy.get(identity) ?? [];
        requestsBy.set(identity, ids);
        const sum0 = await checksum(server.db);
        let checkedBeforeReview = false;

        for (const [name, cls, success, action, build] of ROUTES) {
            const expected = statusFor(row, cls, success);
            if (cls === 'review' && !writes && expected < 300) {
                // The family's review is this row's only write: nothing changed before it.
                await t.test('denied writes changed nothing (before the review)', async () => {
                    assert.equal(await checksum(server.db), sum0, `${identity}: the records changed`);
                });
                checkedBeforeReview = true;
            }
            const [method, p, opts = {}] = build(k, identity);
            await t.test(`${name} -> ${expected}`, async () => {
                const res = await send(identity, method, p, opts);
                if (res.requestId) ids.push({ id: res.requestId, status: res.status, route: name, action });
                if (expected < 300) {
                    assert.equal(res.status, expected, `${identity} ${method} ${p}: ${res.status} ${res.text.slice(0, 300)}`);
                    const kind = PLAN_KINDS.find(({ path: kp }) => name.split(' ')[1].split('/')[0] === kp)?.kind;
                    if (kind && method === 'POST') k.target[kind] = res.json.id; // the row acts on its own item from here
                    if (kind && ['POST', 'PATCH', 'PUT'].includes(method)) k.version[kind] = res.json.version;
                    if (name === 'POST versions') k.latest = res.json.number;
                    if (['PATCH', 'PUT'].includes(method) || (method === 'POST' && cls === 'write' && name !== 'POST versions')) {
                        assert.equal(res.headers.get('etag'), `"${res.json.version}"`, 'ETag of the changed item');
                    }
                    return;
                }
                assertError(res, expected, CODE[expected]);
                if (expected === 404) {
                    const [m2, p2, o2 = {}] = build({ ...k, child: MISSING }, identity);
                    const missing = await send(identity, m2, p2, o2);
                    assert.deepEqual(shape(res), shape(missing), `${identity} ${method} ${p}: a denied child is told apart from a missing one`);
                }
            });
        }
        if (writes) {
            await t.test('the allowed writes changed the records', async () => {
                assert.notEqual(await checksum(server.db), sum0, `${identity}: writes answered 2xx but the checksum did not move`);
            });
        } else if (!checkedBeforeReview) {
            await t.test('nothing changed over the whole row', async () => {
                assert.equal(await checksum(server.db), sum0, `${identity}: the records changed`);
            });
        }
    });
}

test('reads, writes, prints and denials are in A\'s access history under their documented actions', async () => {
    const byRequest = await accessHistory(admin, ctx.child);
    const check = (identity, filter, outcome, breakGlass = false) => {
        const who = ident[identity].session.user;
        const rows = (requestsBy.get(identity) ?? []).filter(filter);
        assert.ok(rows.length > 0, `${identity}: no requests of this kind`);
        for (const r of rows) {
            const ev = byRequest.get(r.id);
            assert.ok(ev, `${identity} ${r.route} (request ${r.id}, ${r.status}) is not in the access history`);
            assert.equal(ev.action, r.action, `${identity} ${r.route}: action`);
            assert.equal(ev.outcome, outcome, `${identity} ${r.route}: outcome`);
            assert.equal(ev.user_id, who.id, `${identity} ${r.route}: user`);
            assert.equal(ev.break_glass, breakGlass, `${identity} ${r.route}: break_glass`);
        }
    };
    // Every successful read, write, print and review of the lead and of the family.
    check('team lead (coord.ada)', (r) => r.status < 300, 'ok');
    check('family of A', (r) => r.status < 300, 'ok');
    check('clinician after break-glass (dr.ellis)', (r) => r.status < 300, 'ok', true);
    // Denials: writes refused to a family or an analyst on the team (403), and every request of
    // identities that do not reach A (404).
    check('family of A', (r) => r.status === 403, 'denied');
    check('analyst on the team (analyst.jo)', (r) => r.status === 403, 'denied');
    for (const identity of ['other coordinator (coord.dee)', 'family of B', 'analyst on no team', 'clinician before break-glass (dr.ellis)']) {
        check(identity, (r) => r.status === 404, 'denied');
    }
    // Each documented action was seen at least once.
    const seen = new Set([...byRequest.values()].map((e) => e.action));
    for (const a of ['plan.read', 'plan.create', 'plan.update', 'plan.remove', 'plan.translate', 'plan.version.create', 'plan.review.create', 'plan.print']) {
        assert.ok(seen.has(a), `no ${a} event in the history`);
    }
});

test('the plan element declaration, templates and the readability check: any signed-in identity, 401 signed out', async () => {
    for (const identity of Object.keys(ident)) {
        const cases = [
            ['GET', '/api/plan/kinds', {}],
            ['GET', '/api/plan/templates', {}],
            ['POST', '/api/readability', { body: { text: 'We go to the park. It is fun.', lang: 'en' } }],
        ];
        for (const [method, p, opts] of cases) {
            const res = await send(identity, method, p, opts);
            if (identity === 'signed out') assertError(res, 401, 'unauthenticated');
            else assert.equal(res.status, 200, `${identity} ${method} ${p}: ${res.status} ${res.text.slice(0, 200)}`);
        }
    }
});

test('a denied identity cannot tell a child exists from a malformed plan request either', async () => {
    // Doc-silent but follows from "never told apart": whatever the server checks first, the answer
    // for an unreachable child equals the answer for a missing one.
    const lone = 'analyst on no team';
    const goal = ctx.standing.goal;
    const cases = [
        ['POST', (id) => `/api/children/${id}/plan/goals`, { body: { text: 5 } }],
        ['POST', (id) => `/api/children/${id}/plan/goals`, { body: '{"text": ' }],
        ['PATCH', (id) => `/api/children/${id}/plan/goals/${goal}`, { body: { status: 'met' } }],
        ['PATCH', (id) => `/api/children/${id}/plan/goals/${goal}`, { body: { status: 'met' }, ifMatch: '*' }],
        ['PUT', (id) => `/api/children/${id}/plan/goals/${goal}/translation`, { query: { lang: 'fr' }, body: { text: 'x' }, ifMatch: 1 }],
        ['DELETE', (id) => `/api/children/${id}/plan/goals/${goal}`, { ifMatch: 999 }],
        ['POST', (id) => `/api/children/${id}/plan/versions`, { body: { note: 7 } }],
        ['POST', (id) => `/api/children/${id}/plan/versions/1/reviews`, { body: { decision: 'maybe' } }],
        ['POST', (id) => `/api/children/${id}/plan/versions/77/reviews`, { body: { decision: 'agree' } }],
        ['GET', (id) => `/api/children/${id}/plan/versions/77`, {}],
        ['GET', (id) => `/api/children/${id}/plan/diff`, { query: { from: 'x' } }],
        ['GET', (id) => `/api/children/${id}/plan/goals/${goal + 1000000}`, {}],
        ['GET', (id) => `/api/children/${id}/plan.pdf`, { query: { version: 99 } }],
        ['POST', (id) => `/api/children/${id}/plan/action-plans/from-template`, { body: { template: 'nope' } }],
    ];
    const sum = await checksum(server.db);
    for (const identity of [lone, 'family of B', 'other coordinator (coord.dee)']) {
        for (const [method, p, opts] of cases) {
            const real = await send(identity, method, p(ctx.child), opts);
            const missing = await send(identity, method, p(MISSING), opts);
            assert.deepEqual(shape(real), shape(missing), `${identity} ${method} ${p('{id}')} ${JSON.stringify(opts)}`);
        }
    }
    assert.equal(await checksum(server.db), sum, 'malformed requests changed the records');
});

test('every response carried the documented security headers', () => {
    assertNoHeaderViolations(server);
});

test('the server stops cleanly on SIGTERM', async () => {
    await stopCleanly(server);
});
