// Every route of docs/api.md at least once, with its success status and body shape, plus the
// rules the doc states for it: versions (ETag / If-Match), panel filters, sorting and paging,
// creating a child, family and team members, ending and lead designation, access history,
// break-glass, organisations, users and passwords, and the headers every response carries.
import { test, before, after } from 'node:test';
import assert from 'node:assert/strict';
import {
    CSP,
    ISO_DATE,
    ISO_TIME,
    assertError,
    assertList,
    assertNoHeaderViolations,
    assertRecord,
    checksum,
    client,
    isoDate,
    panelAll,
    request,
    startServer,
    stopCleanly,
    uniq,
    usersByName,
} from './lib/harness.mjs';

let server;
let c;
let users; // username -> user
const sessions = new Map();

/** A signed-in session per username, made once. */
async function as(username) {
    if (!sessions.has(username)) sessions.set(username, await c.signIn(username));
    return sessions.get(username);
}

before(async () => {
    server = await startServer({ name: 'routes' });
    c = client(server);
    users = await usersByName(await as('admin'));
});

after(async () => {
    if (server && !server.exitInfo) await server.stop();
});

const CHILD_KEYS = [
    'access', 'age', 'birth_date', 'created_at', 'disenrolled_on', 'enrolled_on', 'family_name', 'given_name', 'id',
    'plan_updated_at', 'preferred_language', 'preferred_name', 'record_number', 'sex', 'tier', 'updated_at', 'version',
];
const PANEL_KEYS = [
    'active_team_count', 'age', 'backup_coordinator', 'birth_date', 'family_name', 'given_name', 'id', 'lead_coordinator',
    'name', 'plan_updated_at', 'record_number', 'tier',
];
const FAMILY_KEYS = [
    'email', 'family_name', 'given_name', 'id', 'is_guardian', 'lives_with_child', 'phone', 'preferred_language',
    'relationship', 'user_id', 'version',
];
const TEAM_KEYS = [
    'email', 'end_date', 'id', 'lead', 'name', 'organization_id', 'phone', 'role', 'sector', 'service', 'start_date',
    'user_id', 'version',
];
const HISTORY_KEYS = ['action', 'at', 'break_glass', 'id', 'outcome', 'request_id', 'role', 'user_id', 'user_name'];
const BREAK_GLASS_KEYS = ['child_id', 'created_at', 'expires_at', 'id', 'reason', 'user_id', 'user_name'];
const ORG_KEYS = ['address', 'email', 'id', 'name', 'phone', 'type', 'version'];
const USER_KEYS = ['display_name', 'email', 'id', 'language', 'organization_id', 'phone', 'role', 'username'];

function hasKeys(obj, keys, what) {
    for (const k of keys) assert.ok(Object.hasOwn(obj, k), `${what} lacks "${k}": ${JSON.stringify(obj).slice(0, 400)}`);
}

function noPasswordMaterial(text, what) {
    assert.ok(!/password|argon2/i.test(text), `${what} carries password material: ${text.slice(0, 300)}`);
}

let childCount = 0;
/** Creates a child as session s; returns the created record. */
async function newChild(s, extra = {}) {
    const body = {
        record_number: uniq(`RT${++childCount}-`),
        given_name: 'Ola',
        family_name: 'Testchild',
        birth_date: '2019-05-04',
        ...extra,
    };
    const res = await s.req('POST', '/api/children', { body });
    return assertRecord(res, 201);
}

async function teamOf(s, childId, query) {
    return assertList(await s.get(`/api/children/${childId}/team`, { query })).items;
}

async function addExternal(s, childId, extra = {}) {
    const res = await s.req('POST', `/api/children/${childId}/team`, {
        body: { name: `Pat ${uniq('X')}`, role: 'neurologist', service: 'neurology', sector: 'medical', ...extra },
    });
    return assertRecord(res, 201);
}

async function addInternal(s, childId, username, extra = {}) {
    const u = users.get(username);
    const res = await s.req('POST', `/api/children/${childId}/team`, {
        body: { user_id: u.id, role: u.role, sector: 'medical', ...extra },
    });
    return assertRecord(res, 201);
}

// ---- health and routing ----------------------------------------------------------------------

test('GET /healthz is 200 {"status":"ok"} without a sign-in', async () => {
    const res = await request(server, 'GET', '/healthz');
    assert.equal(res.status, 200, res.text);
    assert.deepEqual(res.json, { status: 'ok' });
});

test('unknown routes are 404 not_found; a known path with another method is 405 with Allow', async () => {
    const admin = await as('admin');
    assertError(await admin.get('/api/nope'), 404, 'not_found');
    assertError(await admin.get('/nope'), 404, 'not_found');
    assertError(await admin.get('/api/children/'), 404, 'not_found');
    const cases = [
        ['DELETE', '/api/children', ['GET', 'POST']],
        ['PUT', '/api/children/1', ['GET', 'PATCH']],
        ['GET', '/api/children/1/lead', ['PUT']],
        ['POST', '/api/children/1/access', ['GET']],
        ['GET', '/api/children/1/team/1/end', ['POST']],
        ['DELETE', '/api/children/1/family/1', ['GET', 'PATCH']],
        ['GET', '/api/children/1/break-glass', ['POST']],
        ['POST', '/api/me', ['GET']],
        ['PUT', '/api/users', ['GET', 'POST']],
        ['GET', '/api/users/1/password', ['POST']],
        ['POST', '/healthz', ['GET']],
    ];
    for (const [method, p, allowed] of cases) {
        const res = await admin.req(method, p, method === 'GET' ? {} : { body: {} });
        assertError(res, 405, 'method_not_allowed');
        const allow = (res.headers.get('allow') || '').split(',').map((s) => s.trim()).filter(Boolean);
        for (const m of allowed) assert.ok(allow.includes(m), `${method} ${p}: Allow "${res.headers.get('allow')}" lacks ${m}`);
    }
});

test('POST /api/session 201, GET /api/me 200, DELETE /api/session 204 (details in session.test.mjs)', async () => {
    const s = await c.signIn('sw.gray');
    assert.equal(s.res.status, 201);
    const me = await s.get('/api/me');
    assert.equal(me.status, 200, me.text);
    assert.equal(me.json.user.username, 'sw.gray');
    const out = await s.req('DELETE', '/api/session');
    assert.equal(out.status, 204, out.text);
    assertError(await s.get('/api/me'), 401, 'unauthenticated');
});

// ---- the panel --------------------------------------------------------------------------------

test('GET /api/children: the program manager sees the 64 demo children, each item in the documented shape', async () => {
    const items = await panelAll(await as('manager'));
    const records = new Set(items.map((i) => i.record_number));
    for (let n = 1; n <= 64; n++) assert.ok(records.has(`DEMO-${String(n).padStart(4, '0')}`), `DEMO-${n} missing`);
    for (const it of items) {
        hasKeys(it, PANEL_KEYS, 'panel item');
        assert.ok(Number.isInteger(it.id));
        assert.match(it.birth_date, ISO_DATE);
        assert.ok(Number.isInteger(it.age) && it.age >= 0 && it.age <= 26, `age ${it.age}`);
        assert.ok(Number.isInteger(it.tier) && it.tier >= 0 && it.tier <= 3);
        assert.ok(Number.isInteger(it.active_team_count) && it.active_team_count >= 0);
        assert.equal(typeof it.name, 'string');
        assert.ok(it.plan_updated_at === null || ISO_TIME.test(it.plan_updated_at), `plan_updated_at ${it.plan_updated_at}`);
        if (it.lead_coordinator !== null) {
            assert.equal(typeof it.lead_coordinator.name, 'string');
            assert.ok('user_id' in it.lead_coordinator);
        }
        if (it.backup_coordinator !== null) assert.equal(typeof it.backup_coordinator.name, 'string');
    }
    // Demo children span the tiers, some with no lead, some with a plan never changed.
    assert.ok(items.some((i) => i.lead_coordinator === null), 'no child without a lead in the demo');
});

test('GET /api/children: a coordinator sees the children whose team she is on, reached as "team"', async () => {
    const ada = await as('coord.ada');
    const items = await panelAll(ada);
    assert.ok(items.length > 0, 'coord.ada has an empty panel');
    for (const it of items.slice(0, 5)) {
        const child = assertRecord(await ada.get(`/api/children/${it.id}`), 200);
        assert.equal(child.access, 'team');
        const team = await teamOf(ada, it.id);
        assert.ok(team.some((m) => m.user_id === ada.user.id), `coord.ada is not on the team of child ${it.id}`);
    }
    const all = await panelAll(await as('manager'));
    assert.ok(items.length < all.length, 'a coordinator sees the whole program');
});

test('GET /api/children: a family account sees only its own child; an analyst sees none', async () => {
    const fam = await as('family.demo-0001');
    const j = assertList(await fam.get('/api/children'));
    assert.equal(j.total, 1);
    assert.deepEqual(j.items.map((i) => i.record_number), ['DEMO-0001']);
    const child = assertRecord(await fam.get(`/api/children/${j.items[0].id}`), 200);
    assert.equal(child.access, 'family');
    const an = assertList(await (await as('analyst.jo')).get('/api/children'));
    assert.equal(an.total, 0, 'the analyst reaches children through no care team');
});

test('GET /api/children filters: tier, lead, no_lead, q, mine', async () => {
    const manager = await as('manager');
    const all = await panelAll(manager);
    for (const tier of [1, 2, 3]) {
        const got = await panelAll(manager, { tier });
        assert.ok(got.every((i) => i.tier === tier), `tier=${tier}`);
        assert.equal(got.length, all.filter((i) => i.tier === tier).length, `tier=${tier} count`);
    }
    const ada = users.get('coord.ada');
    const led = await panelAll(manager, { lead: ada.id });
    assert.ok(led.length > 0, 'coord.ada leads no demo child');
    assert.ok(led.every((i) => i.lead_coordinator && i.lead_coordinator.user_id === ada.id), 'lead filter');
    assert.equal(led.length, all.filter((i) => i.lead_coordinator && i.lead_coordinator.user_id === ada.id).length);
    const noLead = await panelAll(manager, { no_lead: 1 });
    assert.ok(noLead.length > 0 && noLead.every((i) => i.lead_coordinator === null), 'no_lead');
    assert.equal(noLead.length, all.filter((i) => i.lead_coordinator === null).length);

    const byRecord = await panelAll(manager, { q: 'DEMO-0012' });
    assert.ok(byRecord.some((i) => i.record_number === 'DEMO-0012'), 'q by record number');
    const sample = all.find((i) => i.record_number === 'DEMO-0007');
    const byName = await panelAll(manager, { q: sample.family_name });
    assert.ok(byName.some((i) => i.id === sample.id), 'q by family name');
    const needle = sample.family_name.toLowerCase();
    assert.ok(
        byName.every((i) => `${i.name} ${i.given_name} ${i.family_name} ${i.record_number}`.toLowerCase().includes(needle)),
        'q returned children that do not match',
    );
    assert.deepEqual(await panelAll(manager, { q: 'zzqqxx-no-such-child' }), []);

    // mine=1: only children whose care team has the program manager.
    const before = await panelAll(manager, { mine: 1 });
    const made = await newChild(manager);
    const mine = await panelAll(manager, { mine: 1 });
    assert.equal(mine.length, before.length + 1);
    assert.ok(mine.some((i) => i.id === made.id), 'a child the manager created is not in mine=1');
    for (const it of mine.slice(0, 5)) {
        const team = await teamOf(manager, it.id);
        assert.ok(team.some((m) => m.user_id === users.get('manager').id), `mine=1 lists child ${it.id} without the manager on its team`);
    }
});

function sortedBy(items, key, desc) {
    for (let i = 1; i < items.length; i++) {
        const a = items[i - 1][key];
        const b = items[i][key];
        if (a === null || b === null) continue; // where nulls go is the server's choice
        const cmp = typeof a === 'number' ? a - b : a < b ? -1 : a > b ? 1 : 0;
        if (desc ? cmp < 0 : cmp > 0) return `${JSON.stringify(a)} before ${JSON.stringify(b)}`;
    }
    return null;
}

test('GET /api/children sorts by name, tier, birth_date and plan_updated_at, both ways', async () => {
    const manager = await as('manager');
    for (const key of ['tier', 'birth_date', 'plan_updated_at']) {
        for (const desc of [false, true]) {
            const items = await panelAll(manager, { sort: `${desc ? '-' : ''}${key}` });
            assert.ok(items.length >= 64);
            const bad = sortedBy(items, key, desc);
            assert.equal(bad, null, `sort=${desc ? '-' : ''}${key}: ${bad}`);
            // nulls are kept together at one end
            const nulls = items.map((i) => i[key] === null);
            const firstNull = nulls.indexOf(true);
            if (firstNull >= 0) {
                const lastNull = nulls.lastIndexOf(true);
                assert.ok(nulls.slice(firstNull, lastNull + 1).every(Boolean), `sort=${key}: nulls scattered`);
                assert.ok(firstNull === 0 || lastNull === nulls.length - 1, `sort=${key}: nulls in the middle`);
            }
        }
    }
    // Name: sorted by the family name then the given name, or by the display name (the doc does not
    // say which); -name is the reverse order.
    const asc = await panelAll(manager, { sort: 'name' });
    const desc = await panelAll(manager, { sort: '-name' });
    const key = (i) => `${i.family_name}\u0000${i.given_name}`.toLowerCase();
    const byFamily = asc.every((x, i) => i === 0 || key(asc[i - 1]) <= key(x));
    const byName = asc.every((x, i) => i === 0 || asc[i - 1].name.toLowerCase() <= x.name.toLowerCase());
    assert.ok(byFamily || byName, `sort=name is neither by family name nor by name: ${asc.slice(0, 6).map((i) => i.name).join(', ')}`);
    const keyOf = byFamily ? key : (i) => i.name.toLowerCase();
    assert.ok(desc.every((x, i) => i === 0 || keyOf(desc[i - 1]) >= keyOf(x)), 'sort=-name is not descending');
});

test('GET /api/children pages with limit and offset without losing or repeating a child', async () => {
    const manager = await as('manager');
    const def = assertList(await manager.get('/api/children'));
    assert.equal(def.limit, 50, 'default limit');
    assert.equal(def.offset, 0);
    assert.equal(def.items.length, Math.min(50, def.total));
    const full = await panelAll(manager, { sort: 'birth_date' });
    const pages = [];
    for (let offset = 0; offset < full.length; offset += 7) {
        const j = assertList(await manager.get('/api/children', { query: { sort: 'birth_date', limit: 7, offset } }));
        assert.equal(j.limit, 7);
        assert.equal(j.offset, offset);
        assert.equal(j.total, full.length);
        pages.push(...j.items.map((i) => i.id));
    }
    assert.deepEqual(pages, full.map((i) => i.id), 'pages concatenated differ from the full list');
    const past = assertList(await manager.get('/api/children', { query: { offset: full.length + 10 } }));
    assert.deepEqual(past.items, []);
    assert.equal(past.total, full.length);
    assertError(await manager.get('/api/children', { query: { limit: 0 } }), 400, 'invalid', 'limit');
    assertError(await manager.get('/api/children', { query: { limit: 201 } }), 400, 'invalid', 'limit');
    assert.equal(assertList(await manager.get('/api/children', { query: { limit: 200 } })).limit, 200);
    assertError(await manager.get('/api/children', { query: { colour: 'blue' } }), 400, 'invalid', 'colour');
});

// ---- children ---------------------------------------------------------------------------------

test('POST /api/children: 201 with the child, ETag and Location; a coordinator creator becomes the lead', async () => {
    const ben = await as('coord.ben');
    const body = {
        record_number: uniq('RTB-'),
        given_name: 'Ola',
        family_name: 'Testchild',
        preferred_name: null,
        birth_date: '2019-05-04',
        sex: 'female',
        preferred_language: 'es',
        enrolled_on: '2026-01-15',
        disenrolled_on: null,
        tier: 2,
    };
    const res = await ben.req('POST', '/api/children', { body });
    const child = assertRecord(res, 201);
    assert.equal(res.headers.get('location'), `/api/children/${child.id}`);
    hasKeys(child, CHILD_KEYS, 'child');
    for (const [k, v] of Object.entries(body)) assert.deepEqual(child[k], v, `child.${k}`);
    assert.equal(child.access, 'team');
    assert.equal(child.plan_updated_at, null);
    assert.match(child.created_at, ISO_TIME);
    assert.match(child.updated_at, ISO_TIME);
    const birth = new Date('2019-05-04T00:00:00Z');
    const now = new Date();
    let age = now.getUTCFullYear() - 2019;
    if (now.getUTCMonth() < birth.getUTCMonth() || (now.getUTCMonth() === birth.getUTCMonth() && now.getUTCDate() < 4)) age--;
    assert.equal(child.age, age);

    const team = await teamOf(ben, child.id);
    assert.equal(team.length, 1, 'the creator alone is on the new team');
    assert.equal(team[0].user_id, ben.user.id);
    assert.equal(team[0].lead, 'lead', 'a coordinator who creates a child becomes its lead');
    const panel = await panelAll(ben, { q: body.record_number });
    assert.equal(panel.length, 1);
    assert.equal(panel[0].lead_coordinator?.user_id, ben.user.id);
    assert.equal(panel[0].active_team_count, 1);
    assert.equal(panel[0].name, 'Ola Testchild');
    // The same record number again is a conflict.
    assertError(await ben.req('POST', '/api/children', { body }), 409, 'conflict');
    // "Every record has version (1, 2, ...)": a record just created is at version 1.
    assert.equal(child.version, 1, 'a new child is not at version 1');
});

test('POST /api/children: a clinician creator joins the team but is not the lead; analysts and families get 403', async () => {
    const fong = await as('dr.fong');
    const child = await newChild(fong, { preferred_name: 'Oli' });
    const team = await teamOf(fong, child.id);
    assert.equal(team.length, 1);
    assert.equal(team[0].user_id, fong.user.id);
    assert.equal(team[0].lead, 'none');
    const panel = await panelAll(fong, { q: child.record_number });
    assert.equal(panel[0].lead_coordinator, null);
    assert.equal(panel[0].name, 'Oli Testchild', 'name is the preferred name (when there is one) and the family name');

    const sum = await checksum(server.db);
    for (const who of ['analyst.jo', 'family.demo-0002']) {
        const res = await (await as(who)).req('POST', '/api/children', {
            body: { record_number: uniq('RTX-'), given_name: 'No', family_name: 'Body', birth_date: '2020-01-01' },
        });
        assertError(res, 403, 'forbidden');
    }
    assert.equal(await checksum(server.db), sum, 'a refused create changed the records');
});

test('GET and PATCH /api/children/{id}: ETag, If-Match (428 missing, 412 stale, changes nothing), 200 with the new ETag', async () => {
    const ada = await as('coord.ada');
    const child = await newChild(ada, { tier: 1 });
    const got = assertRecord(await ada.get(`/api/children/${child.id}`), 200);
    hasKeys(got, CHILD_KEYS, 'child');
    const v = got.version;

    assertError(await ada.req('PATCH', `/api/children/${child.id}`, { body: { tier: 3 } }), 428, 'precondition_required');
    assertError(await ada.req('PATCH', `/api/children/${child.id}`, { body: { tier: 3 }, ifMatch: v + 1 }), 412, 'stale');
    const same = assertRecord(await ada.get(`/api/children/${child.id}`), 200);
    assert.equal(same.version, v);
    assert.equal(same.tier, 1, 'a refused PATCH changed the child');

    const res = await ada.req('PATCH', `/api/children/${child.id}`, { body: { tier: 3, preferred_name: 'Lala' }, ifMatch: v });
    const upd = assertRecord(res, 200);
    assert.equal(upd.version, v + 1);
    assert.equal(upd.tier, 3);
    assert.equal(upd.preferred_name, 'Lala');
    assert.equal(upd.given_name, 'Ola', 'fields absent from the PATCH are kept');
    assert.ok(upd.updated_at >= got.updated_at);
    // The old version is now stale; null clears a nullable field.
    assertError(await ada.req('PATCH', `/api/children/${child.id}`, { body: { tier: 2 }, ifMatch: v }), 412, 'stale');
    const cleared = assertRecord(await ada.req('PATCH', `/api/children/${child.id}`, { body: { preferred_name: null }, ifMatch: v + 1 }), 200);
    assert.equal(cleared.preferred_name, null);
    assert.equal(cleared.version, v + 2);
    // A child that does not exist.
    assertError(await ada.get('/api/children/999999999'), 404, 'not_found');
});

// ---- family -------------------------------------------------------------------------------------

test('family members: list, create (201, ETag), read, PATCH with If-Match', async () => {
    const ada = await as('coord.ada');
    const child = await newChild(ada);
    const empty = assertList(await ada.get(`/api/children/${child.id}/family`));
    assert.equal(empty.total, 0);
    const body = {
        given_name: 'Rosa',
        family_name: 'Testchild',
        relationship: 'mother',
        is_guardian: true,
        lives_with_child: true,
        phone: '555-0142',
        email: 'rosa@example.org',
        preferred_language: 'es',
    };
    const res = await ada.req('POST', `/api/children/${child.id}/family`, { body });
    const m = assertRecord(res, 201);
    assert.equal(m.version, 1);
    hasKeys(m, FAMILY_KEYS, 'family member');
    for (const [k, v] of Object.entries(body)) assert.deepEqual(m[k], v, `family.${k}`);
    assert.equal(m.user_id, null);
    // Only the three required fields.
    const minimal = assertRecord(
        await ada.req('POST', `/api/children/${child.id}/family`, { body: { given_name: 'Tomas', family_name: 'Testchild', relationship: 'sibling' } }),
        201,
    );
    assert.equal(minimal.relationship, 'sibling');

    const list = assertList(await ada.get(`/api/children/${child.id}/family`));
    assert.deepEqual(list.items.map((i) => i.id).sort((a, b) => a - b), [m.id, minimal.id].sort((a, b) => a - b));
    for (const it of list.items) hasKeys(it, FAMILY_KEYS, 'family list item');

    const one = assertRecord(await ada.get(`/api/children/${child.id}/family/${m.id}`), 200);
    assert.equal(one.given_name, 'Rosa');

    assertError(await ada.req('PATCH', `/api/children/${child.id}/family/${m.id}`, { body: { phone: '555-0199' } }), 428, 'precondition_required');
    assertError(await ada.req('PATCH', `/api/children/${child.id}/family/${m.id}`, { body: { phone: '555-0199' }, ifMatch: 7 }), 412, 'stale');
    const upd = assertRecord(await ada.req('PATCH', `/api/children/${child.id}/family/${m.id}`, { body: { phone: '555-0199', lives_with_child: false }, ifMatch: 1 }), 200);
    assert.equal(upd.version, 2);
    assert.equal(upd.phone, '555-0199');
    assert.equal(upd.lives_with_child, false);
    assert.equal(upd.given_name, 'Rosa');

    // A member of another child is not found under this child.
    const other = await newChild(ada);
    assertError(await ada.get(`/api/children/${other.id}/family/${m.id}`), 404, 'not_found');
    assertError(await ada.req('PATCH', `/api/children/${other.id}/family/${m.id}`, { body: { phone: '555-0100' }, ifMatch: 2 }), 404, 'not_found');
    assertError(await ada.get(`/api/children/${child.id}/family/999999999`), 404, 'not_found');
});

// ---- care team ----------------------------------------------------------------------------------

test('team members: list, add internal and external, read, PATCH; a staff user already active is 409', async () => {
    const ada = await as('coord.ada');
    const child = await newChild(ada);
    const hale = users.get('nav.hale');
    const internal = await addInternal(ada, child.id, 'nav.hale', { role: 'family navigator', service: 'family navigation', sector: 'family_support' });
    hasKeys(internal, TEAM_KEYS, 'team member');
    assert.equal(internal.user_id, hale.id);
    assert.equal(internal.name, hale.display_name, 'an internal member is named after the user');
    assert.equal(internal.sector, 'family_support');
    assert.equal(internal.lead, 'none');
    assert.equal(internal.start_date, isoDate(0), 'start_date defaults to today');
    assert.equal(internal.end_date, null);
    assert.equal(internal.version, 1);

    const orgs = assertList(await ada.get('/api/organizations'));
    const orgId = orgs.items[0].id;
    const ext = await addExternal(ada, child.id, {
        name: 'Dr. Quill Marbleton',
        role: 'pulmonologist',
        service: 'pulmonology',
        sector: 'medical',
        organization_id: orgId,
        phone: '555-0111',
        email: 'quill@example.net',
        start_date: '2026-01-02',
    });
    assert.equal(ext.user_id, null);
    assert.equal(ext.name, 'Dr. Quill Marbleton');
    assert.equal(ext.organization_id, orgId);
    assert.equal(ext.start_date, '2026-01-02');

    assertError(await ada.req('POST', `/api/children/${child.id}/team`, { body: { user_id: hale.id, role: 'again', sector: 'community' } }), 409, 'conflict');
    // A family account is not staff: it cannot be an internal member.
    const famUser = users.get('family.demo-0001');
    const fam = await ada.req('POST', `/api/children/${child.id}/team`, { body: { user_id: famUser.id, role: 'parent', sector: 'family_support' } });
    assert.ok([400, 404, 409].includes(fam.status), `a family account added as staff: ${fam.status} ${fam.text}`);

    const list = assertList(await ada.get(`/api/children/${child.id}/team`));
    assert.equal(list.total, 3); // ada (creator), hale, the pulmonologist
    for (const it of list.items) hasKeys(it, TEAM_KEYS, 'team list item');

    const one = assertRecord(await ada.get(`/api/children/${child.id}/team/${ext.id}`), 200);
    assert.equal(one.service, 'pulmonology');
    assertError(await ada.req('PATCH', `/api/children/${child.id}/team/${ext.id}`, { body: { service: 'sleep medicine' } }), 428, 'precondition_required');
    assertError(await ada.req('PATCH', `/api/children/${child.id}/team/${ext.id}`, { body: { service: 'sleep medicine' }, ifMatch: 3 }), 412, 'stale');
    const upd = assertRecord(await ada.req('PATCH', `/api/children/${child.id}/team/${ext.id}`, { body: { service: 'sleep medicine' }, ifMatch: 1 }), 200);
    assert.equal(upd.service, 'sleep medicine');
    assert.equal(upd.version, 2);
    assert.equal(upd.name, 'Dr. Quill Marbleton');
    assertError(await ada.get(`/api/children/${child.id}/team/999999999`), 404, 'not_found');
});

test('ending a team member: If-Match on the member, end_date not before start_date, ended members leave the list', async () => {
    const ada = await as('coord.ada');
    const child = await newChild(ada);
    const a = await addExternal(ada, child.id, { start_date: '2026-01-10' });
    const b = await addExternal(ada, child.id);
    const url = (m) => `/api/children/${child.id}/team/${m.id}/end`;

    assertError(await ada.req('POST', url(a), { body: { end_date: isoDate(0) } }), 428, 'precondition_required');
    assertError(await ada.req('POST', url(a), { body: { end_date: isoDate(0) }, ifMatch: 5 }), 412, 'stale');
    assertError(await ada.req('POST', url(a), { body: { end_date: '2026-01-09' }, ifMatch: 1 }), 400, 'invalid', 'end_date');
    const ended = assertRecord(await ada.req('POST', url(a), { body: { end_date: isoDate(0) }, ifMatch: 1 }), 200);
    assert.equal(ended.end_date, isoDate(0));
    assert.equal(ended.version, 2);
    // No body: the end date defaults to today.
    const endedB = assertRecord(await ada.req('POST', url(b), { body: {}, ifMatch: 1 }), 200);
    assert.equal(endedB.end_date, isoDate(0));

    const active = await teamOf(ada, child.id);
    assert.ok(!active.some((m) => m.id === a.id || m.id === b.id), 'ended members are still listed');
    const withEnded = await teamOf(ada, child.id, { include_ended: 1 });
    assert.ok(withEnded.some((m) => m.id === a.id && m.end_date === isoDate(0)), 'include_ended=1 lacks the ended member');
    assert.ok(withEnded.some((m) => m.id === b.id));
    // The ended member can still be read.
    assert.equal(assertRecord(await ada.get(`/api/children/${child.id}/team/${a.id}`), 200).end_date, isoDate(0));
});

test('PUT /api/children/{id}/lead: exactly one lead and one backup; switching demotes; same, ended or foreign members are 409', async () => {
    const ben = await as('coord.ben');
    const child = await newChild(ben);
    const benMember = (await teamOf(ben, child.id))[0];
    const adaMember = await addInternal(ben, child.id, 'coord.ada', { role: 'nurse_care_coordinator' });
    const x = await addExternal(ben, child.id, { name: 'Hollis Pennywhite', role: 'hospital case manager', service: 'case management' });
    const y = await addExternal(ben, child.id);
    const other = await newChild(ben);
    const otherMember = (await teamOf(ben, other.id))[0];
    const lead = (body, ifMatch) => ben.req('PUT', `/api/children/${child.id}/lead`, { body, ifMatch });
    let version = assertRecord(await ben.get(`/api/children/${child.id}`), 200).version;

    assertError(await lead({ lead_member_id: adaMember.id, backup_member_id: x.id }), 428, 'precondition_required');
    assertError(await lead({ lead_member_id: adaMember.id, backup_member_id: x.id }, version + 1), 412, 'stale');

    let res = await lead({ lead_member_id: adaMember.id, backup_member_id: x.id }, version);
    assert.equal(res.status, 200, res.text);
    assert.deepEqual(Object.keys(res.json).sort(), ['child', 'team']);
    assert.equal(res.json.child.id, child.id);
    assert.equal(res.json.child.version, version + 1, 'setting the lead bumps the child version');
    assert.equal(res.headers.get('etag'), `"${res.json.child.version}"`);
    version = res.json.child.version;
    const flags = (team) => Object.fromEntries(team.map((m) => [m.id, m.lead]));
    let f = flags(res.json.team);
    assert.equal(f[adaMember.id], 'lead');
    assert.equal(f[x.id], 'backup');
    assert.equal(f[benMember.id], 'none', 'the old lead was not demoted');
    assert.equal(res.json.team.filter((m) => m.lead === 'lead').length, 1);
    assert.equal(res.json.team.filter((m) => m.lead === 'backup').length, 1);
    const p = (await panelAll(ben, { q: child.record_number }))[0];
    assert.equal(p.lead_coordinator?.user_id, users.get('coord.ada').id);
    assert.equal(p.backup_coordinator?.name, 'Hollis Pennywhite');

    // Switch: ben leads again, no backup.
    res = await lead({ lead_member_id: benMember.id, backup_member_id: null }, version);
    assert.equal(res.status, 200, res.text);
    version = res.json.child.version;
    f = flags(await teamOf(ben, child.id));
    assert.equal(f[benMember.id], 'lead');
    assert.equal(f[adaMember.id], 'none');
    assert.equal(f[x.id], 'none');
    assert.equal(Object.values(f).filter((v) => v === 'lead').length, 1);
    assert.equal(Object.values(f).filter((v) => v === 'backup').length, 0);

    // Broken rules are 409 and change nothing.
    const sum = await checksum(server.db);
    assertError(await lead({ lead_member_id: x.id, backup_member_id: x.id }, version), 409, 'conflict');
    assertError(await lead({ lead_member_id: otherMember.id, backup_member_id: null }, version), 409, 'conflict');
    assertError(await lead({ lead_member_id: 999999999, backup_member_id: null }, version), 409, 'conflict');
    assert.equal(await checksum(server.db), sum, 'a refused lead designation changed the records');
    const yEnded = assertRecord(await ben.req('POST', `/api/children/${child.id}/team/${y.id}/end`, { body: {}, ifMatch: 1 }), 200);
    assert.ok(yEnded.end_date);
    const sum2 = await checksum(server.db);
    version = assertRecord(await ben.get(`/api/children/${child.id}`), 200).version;
    assertError(await lead({ lead_member_id: y.id, backup_member_id: null }, version), 409, 'conflict');
    assertError(await lead({ lead_member_id: benMember.id, backup_member_id: y.id }, version), 409, 'conflict');
    assert.equal(await checksum(server.db), sum2, 'a refused lead designation changed the records');
    assert.equal(assertRecord(await ben.get(`/api/children/${child.id}`), 200).version, version);

    // Ending the lead leaves the child without one.
    const manager = await as('manager');
    const benNow = assertRecord(await manager.get(`/api/children/${child.id}/team/${benMember.id}`), 200);
    const endedLead = assertRecord(await manager.req('POST', `/api/children/${child.id}/team/${benMember.id}/end`, { body: {}, ifMatch: benNow.version }), 200);
    assert.equal(endedLead.lead, 'none', 'an ended lead is still the lead');
    const after = (await panelAll(manager, { q: child.record_number }))[0];
    assert.equal(after.lead_coordinator, null);
});

test('a coordinator can end her own membership of a team (and then no longer reaches the child)', async () => {
    const ben = await as('coord.ben');
    const child = await newChild(ben);
    await addExternal(ben, child.id);
    const mine = (await teamOf(ben, child.id)).find((m) => m.user_id === ben.user.id);
    const res = await ben.req('POST', `/api/children/${child.id}/team/${mine.id}/end`, { body: {}, ifMatch: mine.version });
    const manager = await as('manager');
    const now = assertRecord(await manager.get(`/api/children/${child.id}/team/${mine.id}`), 200);
    assert.equal(res.status, 200, `ending one's own membership: ${res.status} ${res.text} (member now: end_date ${now.end_date})`);
    assert.equal(now.end_date, isoDate(0));
    assertError(await ben.get(`/api/children/${child.id}`), 404, 'not_found');
});

// ---- access history -------------------------------------------------------------------------------

test('GET /api/children/{id}/access: administrator, program manager, lead and backup only; reads and denials are there', async () => {
    const ben = await as('coord.ben');
    const child = await newChild(ben);
    const adaMember = await addInternal(ben, child.id, 'coord.ada', { role: 'nurse_care_coordinator' });
    await addInternal(ben, child.id, 'nav.hale', { role: 'family navigator', sector: 'community' });
    const benMember = (await teamOf(ben, child.id)).find((m) => m.user_id === ben.user.id);
    const url = `/api/children/${child.id}/access`;

    const ada = await as('coord.ada');
    const read = await ada.get(`/api/children/${child.id}`);
    assert.equal(read.status, 200);
    const denied = await (await as('coord.dee')).get(`/api/children/${child.id}`);
    assertError(denied, 404, 'not_found');

    // Audited before the response went out: no waiting needed.
    for (const who of ['admin', 'manager', 'coord.ben']) {
        const j = assertList(await (await as(who)).get(url));
        assert.ok(j.items.length > 0, `${who}: empty history`);
        for (const it of j.items) {
            hasKeys(it, HISTORY_KEYS, 'access event');
            assert.match(it.at, ISO_TIME);
            assert.equal(typeof it.break_glass, 'boolean');
        }
        for (let i = 1; i < j.items.length; i++) assert.ok(j.items[i - 1].id > j.items[i].id, 'history is not newest first');
        const r = j.items.find((it) => it.request_id === read.requestId);
        assert.ok(r, `${who}: the read by coord.ada (request ${read.requestId}) is not in the history`);
        assert.equal(r.user_id, ada.user.id);
        assert.equal(r.outcome, 'ok');
        assert.equal(r.break_glass, false);
        assert.equal(r.role, 'nurse_care_coordinator');
        const d = j.items.find((it) => it.request_id === denied.requestId);
        assert.ok(d, `${who}: the denied read by coord.dee is not in the history`);
        assert.equal(d.outcome, 'denied');
        assert.equal(d.user_id, users.get('coord.dee').id);
    }
    // A coordinator on the team who is neither lead nor backup, a plain member, a family account: 403.
    assertError(await ada.get(url), 403, 'forbidden');
    assertError(await (await as('nav.hale')).get(url), 403, 'forbidden');
    // Made backup, coord.ada may read it.
    const v = assertRecord(await ben.get(`/api/children/${child.id}`), 200).version;
    const set = await ben.req('PUT', `/api/children/${child.id}/lead`, { body: { lead_member_id: benMember.id, backup_member_id: adaMember.id }, ifMatch: v });
    assert.equal(set.status, 200, set.text);
    assertList(await ada.get(url));
    const fam = await as('family.demo-0003');
    const famChild = assertList(await fam.get('/api/children')).items[0];
    assertError(await fam.get(`/api/children/${famChild.id}/access`), 403, 'forbidden');

    // Paging: a full page still says the total. Reading the history is itself audited, so each
    // read may find one newer event at the front: compare by ids, not positions.
    const two = assertList(await ben.get(url, { query: { limit: 2 } }));
    assert.equal(two.items.length, 2);
    const full = assertList(await ben.get(url, { query: { limit: 200 } })).items.map((e) => e.id);
    const next = assertList(await ben.get(url, { query: { limit: 2, offset: 3 } }));
    assert.equal(next.items.length, 2);
    const at = full.indexOf(next.items[0].id);
    assert.ok(at >= 2, `offset=3 starts at position ${at} of the history`);
    assert.equal(full[at + 1], next.items[1].id, 'a page is not two consecutive events');
    // Reading the history is recorded outside the child's events, so the count is exact.
    assert.equal(two.total, full.length, `total ${two.total} with ${full.length} events`);
});

// ---- break-glass ----------------------------------------------------------------------------------

test('break-glass: clinicians only; grants access audited as break_glass; reviewable by manager and admin', async () => {
    const ben = await as('coord.ben');
    const child = await newChild(ben);
    const url = `/api/children/${child.id}/break-glass`;
    const reason = 'Seen in the emergency department overnight, team unreachable';
    const ellis = await as('dr.ellis');

    for (const who of ['sw.gray', 'analyst.jo', 'manager', 'admin', 'family.demo-0001']) {
        assertError(await (await as(who)).req('POST', url, { body: { reason } }), 403, 'forbidden');
    }
    assertError(await ellis.get(`/api/children/${child.id}`), 404, 'not_found');
    assertError(await ellis.req('POST', url, { body: { reason: 'too short' } }), 400, 'invalid', 'reason');
    assertError(await ellis.req('POST', url, { body: { reason: 'x'.repeat(501) } }), 400, 'invalid', 'reason');
    assertError(await ellis.req('POST', url, { body: {} }), 400, 'invalid', 'reason');
    assertError(await ellis.req('POST', '/api/children/999999999/break-glass', { body: { reason } }), 404, 'not_found');

    const t0 = Date.now();
    const res = await ellis.req('POST', url, { body: { reason } });
    assert.equal(res.status, 201, res.text);
    hasKeys(res.json, ['child_id', 'expires_at', 'reason'], 'break-glass grant');
    assert.equal(res.json.child_id, child.id);
    assert.equal(res.json.reason, reason);
    assert.match(res.json.expires_at, ISO_TIME);
    const exp = Date.parse(res.json.expires_at);
    assert.ok(Math.abs(exp - (t0 + 60 * 60_000)) < 3 * 60_000, `expires_at ${res.json.expires_at} is not about 60 minutes away`);

    const read = await ellis.get(`/api/children/${child.id}`);
    assert.equal(assertRecord(read, 200).access, 'break_glass');
    assertList(await ellis.get(`/api/children/${child.id}/team`));
    assertList(await ellis.get(`/api/children/${child.id}/family`));
    const inPanel = await panelAll(ellis, { q: child.record_number });
    assert.deepEqual(inPanel, [], 'break-glass added the child to the panel');

    const hist = assertList(await (await as('manager')).get(`/api/children/${child.id}/access`, { query: { limit: 200 } }));
    const ev = hist.items.find((it) => it.request_id === read.requestId);
    assert.ok(ev, 'the break-glass read is not in the history');
    assert.equal(ev.break_glass, true);
    assert.equal(ev.user_id, ellis.user.id);
    const others = hist.items.filter((it) => it.user_id === ben.user.id);
    assert.ok(others.length > 0 && others.every((it) => it.break_glass === false), 'team access marked as break-glass');

    for (const who of ['manager', 'admin']) {
        const j = assertList(await (await as(who)).get('/api/break-glass'));
        const g = j.items.find((it) => it.child_id === child.id && it.user_id === ellis.user.id);
        assert.ok(g, `${who}: the grant is not listed`);
        hasKeys(g, BREAK_GLASS_KEYS, 'break-glass grant');
        assert.equal(g.reason, reason);
        assert.equal(g.user_name, ellis.user.display_name);
        assert.match(g.created_at, ISO_TIME);
        assert.equal(g.expires_at, res.json.expires_at);
    }
    const tomorrow = assertList(await (await as('manager')).get('/api/break-glass', { query: { since: isoDate(1) } }));
    assert.ok(!tomorrow.items.some((it) => it.child_id === child.id), 'since=tomorrow lists a grant made today');
    const longAgo = assertList(await (await as('manager')).get('/api/break-glass', { query: { since: '2020-01-01' } }));
    assert.ok(longAgo.items.some((it) => it.child_id === child.id));
    for (const who of ['coord.ada', 'dr.ellis', 'analyst.jo', 'family.demo-0001']) {
        assertError(await (await as(who)).get('/api/break-glass'), 403, 'forbidden');
    }
});

// ---- organisations --------------------------------------------------------------------------------

test('organisations: staff list and read; staff but analysts create and update; families get 403', async () => {
    const analyst = await as('analyst.jo');
    const list = assertList(await analyst.get('/api/organizations'));
    assert.ok(list.items.length > 0);
    for (const it of list.items) hasKeys(it, ORG_KEYS, 'organisation');
    assert.ok(list.items.some((o) => o.type === 'practice'));
    assertRecord(await analyst.get(`/api/organizations/${list.items[0].id}`), 200);

    const sum = await checksum(server.db);
    assertError(await analyst.req('POST', '/api/organizations', { body: { name: 'Analyst Org', type: 'agency' } }), 403, 'forbidden');
    const fam = await as('family.demo-0001');
    assertError(await fam.get('/api/organizations'), 403, 'forbidden');
    assertError(await fam.req('POST', '/api/organizations', { body: { name: 'Family Org', type: 'agency' } }), 403, 'forbidden');
    assert.equal(await checksum(server.db), sum);

    const gray = await as('sw.gray');
    const body = { name: 'Fernwhistle Respite House', type: 'community', phone: '555-0177', email: 'respite@example.org', address: '1 Example Way' };
    const res = await gray.req('POST', '/api/organizations', { body });
    const org = assertRecord(res, 201);
    for (const [k, v] of Object.entries(body)) assert.equal(org[k], v, `organisation.${k}`);
    assert.equal(org.version, 1);
    assert.equal(assertRecord(await gray.get(`/api/organizations/${org.id}`), 200).name, body.name);
    assertError(await gray.req('PATCH', `/api/organizations/${org.id}`, { body: { phone: '555-0178' } }), 428, 'precondition_required');
    assertError(await gray.req('PATCH', `/api/organizations/${org.id}`, { body: { phone: '555-0178' }, ifMatch: 9 }), 412, 'stale');
    const upd = assertRecord(await gray.req('PATCH', `/api/organizations/${org.id}`, { body: { phone: '555-0178' }, ifMatch: 1 }), 200);
    assert.equal(upd.phone, '555-0178');
    assert.equal(upd.version, 2);
    assert.equal(upd.name, body.name);
    assertError(await analyst.req('PATCH', `/api/organizations/${org.id}`, { body: { phone: '555-0179' }, ifMatch: 2 }), 403, 'forbidden');
    assertError(await gray.get('/api/organizations/999999999'), 404, 'not_found');
});

// ---- users and passwords ---------------------------------------------------------------------------

test('users: administrator only; create, read, update; never the password or its hash', async () => {
    const admin = await as('admin');
    const list = assertList(await admin.get('/api/users'));
    assert.ok(list.items.length >= 24, 'the demo has 12 staff and 12 family accounts');
    for (const it of list.items) hasKeys(it, USER_KEYS, 'user');
    noPasswordMaterial(JSON.stringify(list), 'the user list');

    for (const who of ['manager', 'coord.ada', 'analyst.jo', 'family.demo-0001']) {
        const s = await as(who);
        assertError(await s.get('/api/users'), 403, 'forbidden');
        assertError(await s.get(`/api/users/${admin.user.id}`), 403, 'forbidden');
        assertError(await s.req('POST', '/api/users', { body: { username: 'nope.user', display_name: 'Nope', role: 'analyst', password: 'a-long-password-1' } }), 403, 'forbidden');
        assertError(await s.req('PATCH', `/api/users/${admin.user.id}`, { body: { display_name: 'Nope' }, ifMatch: 1 }), 403, 'forbidden');
    }

    const username = `coord.${uniq('t').toLowerCase()}`;
    const body = {
        username,
        display_name: 'Test Coordinator',
        role: 'nurse_care_coordinator',
        language: 'es',
        email: 'test.coord@example.org',
        phone: '555-0150',
        password: 'a-long-test-password-1',
    };
    const res = await admin.req('POST', '/api/users', { body });
    const u = assertRecord(res, 201);
    noPasswordMaterial(res.text, 'the created user');
    for (const k of ['username', 'display_name', 'role', 'language', 'email', 'phone']) assert.equal(u[k], body[k], `user.${k}`);
    assert.equal(u.disabled, false);
    assertError(await admin.req('POST', '/api/users', { body }), 409, 'conflict');
    const got = await admin.get(`/api/users/${u.id}`);
    assertRecord(got, 200);
    noPasswordMaterial(got.text, 'a user');
    assertError(await admin.req('PATCH', `/api/users/${u.id}`, { body: { display_name: 'Renamed' } }), 428, 'precondition_required');
    const upd = assertRecord(await admin.req('PATCH', `/api/users/${u.id}`, { body: { display_name: 'Renamed Coordinator' }, ifMatch: 1 }), 200);
    assert.equal(upd.display_name, 'Renamed Coordinator');
    assert.equal(upd.version, 2);
    // The new account signs in with its password.
    const s = await c.signIn(username, body.password);
    assert.equal(s.user.display_name, 'Renamed Coordinator');
    assertError(await admin.get('/api/users/999999999'), 404, 'not_found');
});

test('a family account linked to a family member sees only that child, reads it and cannot write', async () => {
    const admin = await as('admin');
    const ada = await as('coord.ada');
    const child = await newChild(ada);
    const other = await newChild(ada);
    const member = assertRecord(
        await ada.req('POST', `/api/children/${child.id}/family`, { body: { given_name: 'Ines', family_name: 'Testchild', relationship: 'guardian', is_guardian: true } }),
        201,
    );
    const username = `family.${uniq('t').toLowerCase()}`;
    const password = 'family-test-password-1';
    const res = await admin.req('POST', '/api/users', {
        body: { username, display_name: 'Ines Testchild', role: 'family', language: 'en', password, family_member_id: member.id },
    });
    const u = assertRecord(res, 201);
    assert.equal(u.role, 'family');
    noPasswordMaterial(res.text, 'the created user');
    assert.equal(assertRecord(await ada.get(`/api/children/${child.id}/family/${member.id}`), 200).user_id, u.id, 'the member is not linked to the account');

    // The same family member cannot be linked twice.
    const again = await admin.req('POST', '/api/users', {
        body: { username: `${username}x`, display_name: 'Twice', role: 'family', password, family_member_id: member.id },
    });
    assertError(again, 409, 'conflict');

    const fam = await c.signIn(username, password);
    const panel = assertList(await fam.get('/api/children'));
    assert.deepEqual(panel.items.map((i) => i.id), [child.id]);
    assert.equal(assertRecord(await fam.get(`/api/children/${child.id}`), 200).access, 'family');
    assertList(await fam.get(`/api/children/${child.id}/team`));
    assertList(await fam.get(`/api/children/${child.id}/family`));
    assertError(await fam.get(`/api/children/${other.id}`), 404, 'not_found');
    const v = assertRecord(await fam.get(`/api/children/${child.id}`), 200).version;
    assertError(await fam.req('PATCH', `/api/children/${child.id}`, { body: { tier: 1 }, ifMatch: v }), 403, 'forbidden');
});

test('POST /api/users/{id}/password: self with current_password, or administrator; 204 and every session revoked', async () => {
    const admin = await as('admin');
    const username = `sw.${uniq('p').toLowerCase()}`;
    const p1 = 'first-password-is-long';
    const p2 = 'second-password-is-long';
    const p3 = 'third-password-is-long!';
    const u = assertRecord(await admin.req('POST', '/api/users', { body: { username, display_name: 'Pass Word', role: 'social_worker', password: p1 } }), 201);
    const s1 = await c.signIn(username, p1);
    const s2 = await c.signIn(username, p1);
    const url = `/api/users/${u.id}/password`;

    assertError(await s1.req('POST', url, { body: { password: p2 } }), 400, 'invalid', 'current_password');
    const wrong = await s1.req('POST', url, { body: { password: p2, current_password: 'not-the-current-one' } });
    assert.ok([400, 401, 403].includes(wrong.status), `a wrong current password: ${wrong.status} ${wrong.text}`);
    assertError(wrong, wrong.status);
    assertError(await s1.req('POST', url, { body: { password: 'short', current_password: p1 } }), 400, 'invalid', 'password');
    assertError(await (await as('sw.gray')).req('POST', url, { body: { password: p2, current_password: p1 } }), 403, 'forbidden');
    assert.equal((await s1.get('/api/me')).status, 200, 'a refused change revoked the session');

    const ok = await s1.req('POST', url, { body: { password: p2, current_password: p1 } });
    assert.equal(ok.status, 204, ok.text);
    assert.equal(ok.text, '');
    assertError(await s1.get('/api/me'), 401, 'unauthenticated');
    assertError(await s2.get('/api/me'), 401, 'unauthenticated');
    assertError(await request(server, 'POST', '/api/session', { body: { username, password: p1 } }), 401, 'unauthenticated');
    const s3 = await c.signIn(username, p2);

    // The administrator sets it without the current password; the user's sessions end.
    const byAdmin = await admin.req('POST', url, { body: { password: p3 } });
    assert.equal(byAdmin.status, 204, byAdmin.text);
    assertError(await s3.get('/api/me'), 401, 'unauthenticated');
    await c.signIn(username, p3);
    assert.equal((await admin.get('/api/me')).status, 200, "changing someone's password ended the administrator's session");
});

// ---- headers ----------------------------------------------------------------------------------------

test('security headers: CSP, nosniff, Referrer-Policy, X-Request-Id everywhere; no-store on /api/', async () => {
    const samples = [
        await request(server, 'GET', '/healthz'),
        await request(server, 'GET', '/nope'),
        await request(server, 'GET', '/api/me'),
        await (await as('coord.ada')).get('/api/children'),
    ];
    const ids = new Set();
    for (const res of samples) {
        assert.equal(res.headers.get('content-security-policy'), CSP, res.path);
        assert.equal(res.headers.get('x-content-type-options'), 'nosniff', res.path);
        assert.equal(res.headers.get('referrer-policy'), 'no-referrer', res.path);
        assert.ok(res.requestId, `${res.path}: no X-Request-Id`);
        ids.add(res.requestId);
        if (res.path.startsWith('/api/')) assert.match(res.headers.get('cache-control') || '', /no-store/, res.path);
    }
    assert.equal(ids.size, samples.length, 'request ids repeat');
    // And every response this file received (recorded by the harness).
    assertNoHeaderViolations(server);
});

test('care team members carry their organisation name, so a family sees who each person works for', async () => {
    const fam = await as('family.demo-0001');
    const child = assertList(await fam.get('/api/children')).items[0];
    const team = assertList(await fam.get(`/api/children/${child.id}/team`)).items;
    const withOrg = team.filter((m) => m.organization_id !== null);
    assert.ok(withOrg.length > 0, 'the demo child has no member with an organisation');
    const ada = await as('coord.ada');
    for (const m of withOrg.slice(0, 5)) {
        const org = assertRecord(await ada.get(`/api/organizations/${m.organization_id}`), 200);
        assert.equal(m.organization_name, org.name, `member ${m.id}`);
    }
    for (const m of team.filter((x) => x.organization_id === null)) assert.equal(m.organization_name, null);
});

test('the server stops cleanly on SIGTERM', async () => {
    await stopCleanly(server);
});
