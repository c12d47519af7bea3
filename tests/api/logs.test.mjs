// No health information in the logs: after reads and writes of demo children by several roles,
// including failures, the server's stderr holds no child's or family member's name and no birth
// date; every request has one access line with req= and status=; no secrets either.
import { test, before, after } from 'node:test';
import assert from 'node:assert/strict';
import {
    DEMO_PASSWORD,
    assertList,
    assertNoHeaderViolations,
    client,
    panelAll,
    request,
    startServer,
    stopCleanly,
    waitFor,
} from './lib/harness.mjs';

let server;
let c;
let children; // the manager's panel: every demo child
const names = new Set(); // given, family and preferred names of children and family members
const birthDates = new Set();
const secrets = new Set([DEMO_PASSWORD]);
const sessions = new Map();

async function as(username, password) {
    if (!sessions.has(username)) {
        const s = await c.signIn(username, password);
        secrets.add(s.token);
        secrets.add(s.csrf);
        sessions.set(username, s);
    }
    return sessions.get(username);
}

before(async () => {
    server = await startServer({ name: 'logs' });
    c = client(server);
    const manager = await as('manager');
    children = await panelAll(manager);
    assert.ok(children.length >= 64);
    for (const ch of children) {
        for (const n of [ch.given_name, ch.family_name]) if (n) names.add(n);
        birthDates.add(ch.birth_date);
        const fam = assertList(await manager.get(`/api/children/${ch.id}/family`));
        for (const m of fam.items) for (const n of [m.given_name, m.family_name]) if (n) names.add(n);
    }
    // Preferred names come with the full record.
    for (const ch of children.slice(0, 64)) {
        const res = await manager.get(`/api/children/${ch.id}`);
        if (res.json?.preferred_name) names.add(res.json.preferred_name);
    }
});

after(async () => {
    if (server && !server.exitInfo) await server.stop();
});

test('exercise reads and writes of demo children as several roles, with failures', async () => {
    const ada = await as('coord.ada');
    const mine = assertList(await ada.get('/api/children')).items;
    assert.ok(mine.length > 0);
    for (const ch of mine.slice(0, 4)) {
        assert.equal((await ada.get(`/api/children/${ch.id}`)).status, 200);
        assert.equal((await ada.get(`/api/children/${ch.id}/family`)).status, 200);
        assert.equal((await ada.get(`/api/children/${ch.id}/team`)).status, 200);
    }
    const target = mine[0];
    const cur = await ada.get(`/api/children/${target.id}`);
    // A write carrying a name, a refused write echoing names and a bad date, a stale write.
    const other = children.find((ch) => ch.id !== target.id);
    assert.equal((await ada.req('PATCH', `/api/children/${target.id}`, { body: { preferred_name: other.given_name }, ifMatch: cur.json.version })).status, 200);
    assert.equal((await ada.req('PATCH', `/api/children/${target.id}`, { body: { preferred_name: other.family_name }, ifMatch: 1 })).status, 412);
    assert.equal(
        (await ada.req('POST', '/api/children', { body: { record_number: 'DEMO-LOG', given_name: other.given_name, family_name: other.family_name, birth_date: `${other.birth_date.slice(0, 8)}32` } })).status,
        400,
    );
    assert.equal((await ada.req('POST', `/api/children/${target.id}/family`, { body: { given_name: other.given_name, family_name: other.family_name, relationship: 'aunt' } })).status, 400);
    const added = await ada.req('POST', `/api/children/${target.id}/family`, { body: { given_name: 'Quenby', family_name: 'Larkspurrow', relationship: 'grandparent' } });
    assert.equal(added.status, 201);
    names.add('Quenby');
    names.add('Larkspurrow');
    // Searching by name: the query string must not reach the log either.
    const manager = await as('manager');
    assert.equal((await manager.get('/api/children', { query: { q: other.family_name } })).status, 200);
    // A name in the path of a route that does not exist.
    assert.equal((await manager.get(`/api/children/${encodeURIComponent(other.given_name)}`)).status, 404);
    assert.equal((await manager.get(`/api/${encodeURIComponent(other.family_name)}/${other.birth_date}`)).status, 404);

    // Denials: another practice's coordinator, a family account on another child, an analyst.
    const notAda = children.find((ch) => !mine.some((m) => m.id === ch.id));
    assert.equal((await (await as('coord.ada')).get(`/api/children/${notAda.id}`)).status, 404);
    const fam = await as('family.demo-0001');
    const famChild = assertList(await fam.get('/api/children')).items[0];
    assert.equal((await fam.get(`/api/children/${famChild.id}`)).status, 200);
    const famCur = await fam.get(`/api/children/${famChild.id}`);
    assert.equal((await fam.req('PATCH', `/api/children/${famChild.id}`, { body: { preferred_name: 'Pip' }, ifMatch: famCur.json.version })).status, 403);
    const notFam = children.find((ch) => ch.id !== famChild.id);
    assert.equal((await fam.get(`/api/children/${notFam.id}`)).status, 404);
    assert.equal((await (await as('analyst.jo')).get(`/api/children/${target.id}`)).status, 404);
    assert.equal((await request(server, 'GET', `/api/children/${target.id}`)).status, 401);
    // A failed sign-in (with a password that looks like a name) and break-glass with a reason.
    assert.equal((await request(server, 'POST', '/api/session', { body: { username: 'coord.ada', password: `${other.given_name}-${other.birth_date}` } })).status, 401);
    secrets.add(`${other.given_name}-${other.birth_date}`);
    const ellis = await as('dr.ellis');
    const bg = await ellis.req('POST', `/api/children/${notAda.id}/break-glass`, { body: { reason: `Seen for ${other.given_name} ${other.family_name} in the ED` } });
    assert.equal(bg.status, 201);
    assert.equal((await ellis.get(`/api/children/${notAda.id}`)).status, 200);
});

function escapeRe(s) {
    return s.replace(/[.*+?^${}()|[\]\\]/g, '\\$&');
}

async function logOnceComplete() {
    // The access line may be written after the response is sent: poll until every request this
    // file sent has its line.
    let log = '';
    await waitFor(
        () => {
            log = server.log();
            const lines = log.split('\n').filter((l) => /\bmethod=/.test(l));
            return lines.length >= server.requests;
        },
        { what: `an access-log line for each of ${server.requests} requests`, deadlineMs: 20_000 },
    );
    return log;
}

test('the log holds no child or family member name and no birth date', async () => {
    const log = await logOnceComplete();
    // Staff display names are not health information and may legitimately be logged; a child's
    // name that happens to equal a word of one is left out rather than reported falsely.
    const staffWords = new Set();
    const admin = await as('admin');
    for (const u of assertList(await admin.get('/api/users')).items) {
        if (u.role === 'family') continue; // a family account is named after a family member
        for (const w of `${u.display_name} ${u.username}`.split(/[\s.]+/)) staffWords.add(w);
    }
    const found = [];
    let checked = 0;
    for (const n of names) {
        if (staffWords.has(n)) continue;
        checked++;
        const re = new RegExp(`(?<![\\p{L}\\p{N}])${escapeRe(n)}(?![\\p{L}\\p{N}])`, 'u');
        const m = re.exec(log);
        if (m) found.push(`name "${n}" in: ${log.slice(log.lastIndexOf('\n', m.index) + 1, log.indexOf('\n', m.index))}`);
    }
    for (const d of birthDates) {
        const re = new RegExp(`${escapeRe(d)}(?!T)`);
        const m = re.exec(log);
        if (m) found.push(`birth date ${d} in: ${log.slice(log.lastIndexOf('\n', m.index) + 1, log.indexOf('\n', m.index))}`);
    }
    assert.ok(checked > 100, `only ${checked} names to look for`);
    assert.deepEqual(found.slice(0, 20), []);
});

test('the log holds no password, session token or CSRF token', async () => {
    const log = await logOnceComplete();
    for (const s of secrets) assert.ok(!log.includes(s), `a secret (${s.slice(0, 6)}...) is in the log`);
});

test('each request has one access line with req= and status=, and the request ids match the responses', async () => {
    const log = await logOnceComplete();
    const lines = log.split('\n').filter((l) => /\bmethod=/.test(l));
    for (const l of lines) {
        assert.match(l, /\breq=[0-9A-Za-z]+/, `no req= in: ${l}`);
        assert.match(l, /\bstatus=\d{3}\b/, `no status= in: ${l}`);
        assert.ok(!/[?&]q=/.test(l), `a query string in: ${l}`);
    }
    const logged = new Map();
    for (const l of lines) {
        const id = /\breq=([0-9A-Za-z]+)/.exec(l)[1];
        logged.set(id, (logged.get(id) ?? 0) + 1);
    }
    const missing = server.requestIds.filter((id) => !logged.has(id));
    assert.deepEqual(missing.slice(0, 10), [], `${missing.length} responses have no access line with their X-Request-Id`);
    const twice = [...logged].filter(([, n]) => n > 1);
    assert.deepEqual(twice.slice(0, 10), [], 'request ids logged more than once');
});

test('every response carried the documented security headers', () => {
    assertNoHeaderViolations(server);
});

test('the server stops cleanly on SIGTERM', async () => {
    await stopCleanly(server);
    const log = server.log();
    assert.ok(!/level=error/.test(log), `errors in the log:\n${log.split('\n').filter((l) => /level=error/.test(l)).slice(0, 10).join('\n')}`);
});
