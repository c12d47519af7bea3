// Versions, the diff and the family's review of the shared plan of care (docs/api.md, docs/plan.md
// "Versions and family review"): freezing, immutability, comparing, reviews by the family and by
// staff in person, where the plan stands (none -> due -> current), open change requests, the
// panel's "plan" object and its plan_due=1 filter, and a review that has aged past the interval.
//
// Ageing: nothing outside the server can make time pass, and plan_review refuses UPDATE (a
// trigger), so a review cannot be moved back. The fair way is to write the row a review made in
// the past would have left: the ageing test starts its own server with
// plan_review_interval_months=1 and INSERTs plan_review rows (the columns the store writes, for a
// real frozen version and the child's real family account) dated 20 and 40 days ago, and one on
// 31 January 2024 for the calendar-month rule. Everything else goes through the API.
import { test, before, after } from 'node:test';
import assert from 'node:assert/strict';
import crypto from 'node:crypto';
import {
    ISO_TIME,
    PLAN_KINDS,
    addFamilyAccount,
    assertError,
    assertList,
    assertNoHeaderViolations,
    assertRecord,
    client,
    createChild,
    createPlanItem,
    isoDate,
    panelAll,
    samplePlanItem,
    sqlite,
    startServer,
    stopCleanly,
} from './lib/harness.mjs';

let server;
let c;
let admin;
let ada;

before(async () => {
    server = await startServer({ name: 'planversions' });
    c = client(server);
    admin = (await c.signIn('admin')).bearer();
    ada = await c.signIn('coord.ada');
});

after(async () => {
    if (server && !server.exitInfo) await server.stop();
});

const base = (child) => `/api/children/${child}/plan`;

async function planOf(s, child) {
    const res = await s.get(base(child));
    assert.equal(res.status, 200, res.text);
    return res.json;
}

async function freeze(s, child, body) {
    const res = await s.req('POST', `${base(child)}/versions`, body === undefined ? {} : { body });
    assert.equal(res.status, 201, `freeze: ${res.status} ${res.text.slice(0, 300)}`);
    return res.json;
}

/** YYYY-MM-DD plus n calendar months; a day past the end of the month becomes the last day. */
function addMonths(date, n) {
    const [y, m, d] = date.split('-').map(Number);
    const first = new Date(Date.UTC(y, m - 1 + n, 1));
    const last = new Date(Date.UTC(first.getUTCFullYear(), first.getUTCMonth() + 1, 0)).getUTCDate();
    first.setUTCDate(Math.min(d, last));
    return first.toISOString().slice(0, 10);
}

test('the calendar-month rule this file expects (31 May + 6 months is 30 November)', () => {
    assert.equal(addMonths('2026-05-31', 6), '2026-11-30');
    assert.equal(addMonths('2024-01-31', 1), '2024-02-29');
    assert.equal(addMonths('2025-12-15', 1), '2026-01-15');
});

/** The panel row of one child, as s sees it. */
async function panelRow(s, child, query = {}) {
    const rec = assertRecord(await s.get(`/api/children/${child}`), 200).record_number;
    const rows = await panelAll(s, { q: rec, ...query });
    return rows.find((r) => r.id === child);
}

/** Asserts the panel's "plan" object says what GET /plan's state says. */
function assertPanelMatchesState(row, state, what) {
    assert.ok(row, `${what}: not in the panel`);
    assert.ok(row.plan && typeof row.plan === 'object', `${what}: no "plan" object in the panel row`);
    assert.equal(row.plan.status, state.status, `${what}: panel status`);
    assert.equal(row.plan.reviewed_at, state.reviewed_at, `${what}: panel reviewed_at`);
    assert.equal(row.plan.open_requests, state.open_requests, `${what}: panel open_requests`);
    assert.equal(row.plan.latest_version || 0, state.latest_version || 0, `${what}: panel latest_version`);
}

// ---- freezing --------------------------------------------------------------------------------------

test('freeze: 201 version 1 whose content is the GET /plan document; unchanged 409; change then 2; list; get; 404', async () => {
    const child = (await createChild(ada)).id;
    const goal = await createPlanItem(ada, child, 'goals', samplePlanItem('goal'));
    const med = await createPlanItem(ada, child, 'medications', samplePlanItem('medication'));
    const p0 = await planOf(ada, child);
    assert.equal(p0.state.status, 'none');
    assert.ok(!p0.state.latest_version, `latest_version before any freeze: ${p0.state.latest_version}`);
    assert.equal(p0.state.review_due_on, null);
    assert.equal(p0.state.reviewed_at ?? null, null);

    const v1 = await freeze(ada, child, { note: 'First plan, made with the family' });
    assert.equal(v1.number, 1);
    assert.match(v1.created_at, ISO_TIME);
    assert.deepEqual(v1.created_by, { id: ada.user.id, name: ada.user.display_name });
    assert.equal(v1.note, 'First plan, made with the family');
    assert.match(v1.content_sha256, /^[0-9a-f]{64}$/);
    assert.deepEqual(v1.content, p0.document, 'the frozen content is the working document');
    assert.deepEqual(v1.reviews, []);
    // content_sha256 is the SHA-256 of the stored content.
    const row = await sqlite(server.db, `SELECT content_sha256 || ' ' || hex(content) FROM plan_version WHERE child_id = ${child} AND number = 1;`);
    const [sha, hex] = row.trim().split(' ');
    assert.equal(sha, v1.content_sha256);
    assert.equal(crypto.createHash('sha256').update(Buffer.from(hex, 'hex')).digest('hex'), v1.content_sha256, 'content_sha256 is not the hash of the content');
    assert.deepEqual(JSON.parse(Buffer.from(hex, 'hex').toString('utf8')), p0.document);

    // Nothing changed: 409, with a note or without a body.
    assertError(await ada.req('POST', `${base(child)}/versions`, { body: { note: 'again' } }), 409, 'conflict');
    assertError(await ada.req('POST', `${base(child)}/versions`), 409, 'conflict');
    const p1 = await planOf(ada, child);
    assert.equal(p1.state.status, 'due', 'frozen but never reviewed');
    assert.equal(p1.state.latest_version, 1);
    assert.equal(p1.state.latest_version_at, v1.created_at);
    assert.equal(p1.state.changed_since_latest, false);
    assert.equal(p1.state.open_requests, 0);
    assert.equal(p1.state.review_interval_months, 6);

    // A change, then an empty-bodied freeze: version 2 with no note.
    assertRecord(await ada.req('PATCH', `${base(child)}/medications/${med.id}`, { body: { dose: '3 mL' }, ifMatch: 1 }), 200);
    assert.equal((await planOf(ada, child)).state.changed_since_latest, true);
    const v2 = await freeze(ada, child);
    assert.equal(v2.number, 2);
    assert.equal(v2.note, null);
    assert.equal(v2.content.elements.medication[0].dose, '3 mL');
    assert.notEqual(v2.content_sha256, v1.content_sha256);

    // List: newest first, without content and reviews, with review_count and open_requests.
    const list = assertList(await ada.get(`${base(child)}/versions`));
    assert.deepEqual(list.items.map((v) => v.number), [2, 1]);
    for (const v of list.items) {
        assert.ok(!Object.hasOwn(v, 'content') && !Object.hasOwn(v, 'reviews'), `list item ${v.number} carries content or reviews`);
        for (const key of ['number', 'created_at', 'created_by', 'note', 'content_sha256', 'review_count', 'open_requests']) {
            assert.ok(Object.hasOwn(v, key), `list item lacks ${key}`);
        }
        assert.equal(v.review_count, 0);
        assert.equal(v.open_requests, 0);
    }
    assert.equal(list.items[1].content_sha256, v1.content_sha256);

    // One version, with content and reviews; a missing one is 404.
    const g1 = await ada.get(`${base(child)}/versions/1`);
    assert.equal(g1.status, 200, g1.text);
    assert.deepEqual(g1.json.content, v1.content);
    assert.deepEqual(g1.json.reviews, []);
    assert.equal(g1.json.number, 1);
    assertError(await ada.get(`${base(child)}/versions/3`), 404, 'not_found');
    assertError(await ada.get(`${base(child)}/versions/999999`), 404, 'not_found');
    // The working plan moved on; version 1 did not.
    assertRecord(await ada.req('PATCH', `${base(child)}/goals/${goal.id}`, { body: { status: 'met' }, ifMatch: 1 }), 200);
    assert.deepEqual((await ada.get(`${base(child)}/versions/1`)).json.content, v1.content);
});

test('versions are immutable: UPDATE and DELETE through sqlite3 are refused and change nothing', async () => {
    const child = (await createChild(ada)).id;
    await createPlanItem(ada, child, 'summary', samplePlanItem('summary'));
    const v1 = await freeze(ada, child, { note: 'kept as it was' });
    const attempts = [
        `UPDATE plan_version SET note = 'rewritten' WHERE child_id = ${child};`,
        `UPDATE plan_version SET content = '{}' WHERE child_id = ${child};`,
        `DELETE FROM plan_version WHERE child_id = ${child};`,
    ];
    for (const sql of attempts) {
        await assert.rejects(sqlite(server.db, sql), /immutable|constraint|abort/i, `${sql} was allowed`);
    }
    const g = await ada.get(`${base(child)}/versions/1`);
    assert.equal(g.json.note, 'kept as it was');
    assert.deepEqual(g.json.content, v1.content);
    assert.equal((await sqlite(server.db, `SELECT count(*) FROM plan_version WHERE child_id = ${child};`)).trim(), '1');
});

// ---- the diff ---------------------------------------------------------------------------------------

/** The changes without the fields (for comparing which items changed and how). */
const outline = (changes) => changes.map((ch) => ({ kind: ch.kind, id: ch.id, title: ch.title, change: ch.change }));

test('diff 1 -> 2 and 2 -> working: exactly the added, changed and removed items, field by field, translations by language', async () => {
    const child = (await createChild(ada)).id;
    const g1 = await createPlanItem(ada, child, 'goals', samplePlanItem('goal', {}, { text: 'Sleep through the night' }));
    const c1 = await createPlanItem(ada, child, 'concerns', samplePlanItem('concern', {}, { text: 'Night feeds wake her' }));
    const c2 = await createPlanItem(ada, child, 'concerns', samplePlanItem('concern', {}, { text: 'Missed school days' }));
    const m1 = await createPlanItem(ada, child, 'medications', samplePlanItem('medication', {}, { schedule: 'Twice a day' }));
    await freeze(ada, child);

    // Between 1 and 2: a goal added, a dose changed, a Spanish schedule added, a concern removed.
    const g2 = await createPlanItem(ada, child, 'goals', samplePlanItem('goal', {}, { text: 'Go to school every day' }));
    let m = assertRecord(await ada.req('PATCH', `${base(child)}/medications/${m1.id}`, { body: { dose: '3 mL' }, ifMatch: 1 }), 200);
    m = assertRecord(
        await ada.req('PUT', `${base(child)}/medications/${m1.id}/translation`, { query: { lang: 'es' }, body: { schedule: 'Dos veces al día' }, ifMatch: m.version }),
        200,
    );
    assert.equal((await ada.req('DELETE', `${base(child)}/concerns/${c2.id}`, { ifMatch: 1 })).status, 204);
    await freeze(ada, child);

    const d12 = await ada.get(`${base(child)}/diff`, { query: { from: 1, to: 2 } });
    assert.equal(d12.status, 200, d12.text);
    assert.equal(d12.json.from, 1);
    assert.equal(d12.json.to, 2);
    assert.deepEqual(
        outline(d12.json.changes),
        [
            { kind: 'goal', id: g2.id, title: 'Go to school every day', change: 'added' },
            { kind: 'concern', id: c2.id, title: 'Missed school days', change: 'removed' },
            { kind: 'medication', id: m1.id, title: 'Levetiracetam', change: 'changed' },
        ],
        'the changes from 1 to 2, in plan order',
    );
    assert.deepEqual(
        d12.json.changes[2].fields,
        [
            { field: 'dose', from: '2 mL', to: '3 mL' },
            { field: 'schedule', lang: 'es', from: null, to: 'Dos veces al día' },
        ],
        'the medication\'s changed fields',
    );
    // Nothing about g1 and c1, which did not change.
    assert.ok(!d12.json.changes.some((ch) => ch.id === g1.id || ch.id === c1.id));

    // Between 2 and the working plan: a status, a changed translation, an allergy, a new contact.
    assertRecord(await ada.req('PATCH', `${base(child)}/goals/${g2.id}`, { body: { status: 'met' }, ifMatch: 1 }), 200);
    assertRecord(
        await ada.req('PUT', `${base(child)}/medications/${m1.id}/translation`, {
            query: { lang: 'es' },
            body: { schedule: 'Dos veces al día, con comida' },
            ifMatch: m.version,
        }),
        200,
    );
    const al = await createPlanItem(ada, child, 'allergies', samplePlanItem('allergy'));
    const contact = assertRecord(
        await ada.req('POST', `/api/children/${child}/team`, { body: { name: 'Wren Diffley', role: 'school nurse', service: 'school health', sector: 'education' } }),
        201,
    );
    const d2w = await ada.get(`${base(child)}/diff`, { query: { from: 2 } });
    assert.equal(d2w.status, 200, d2w.text);
    assert.equal(d2w.json.from, 2);
    assert.equal(d2w.json.to, null, 'to is null for the working plan');
    const planChanges = d2w.json.changes.filter((ch) => ch.kind !== 'contact' && ch.kind !== 'family');
    assert.deepEqual(outline(planChanges), [
        { kind: 'goal', id: g2.id, title: 'Go to school every day', change: 'changed' },
        { kind: 'allergy', id: al.id, title: 'Penicillin', change: 'added' },
        { kind: 'medication', id: m1.id, title: 'Levetiracetam', change: 'changed' },
    ]);
    assert.deepEqual(planChanges[0].fields, [{ field: 'status', from: 'active', to: 'met' }]);
    assert.deepEqual(planChanges[2].fields, [{ field: 'schedule', lang: 'es', from: 'Dos veces al día', to: 'Dos veces al día, con comida' }]);
    const others = d2w.json.changes.filter((ch) => ch.kind === 'contact' || ch.kind === 'family');
    assert.deepEqual(
        others.map((ch) => ({ kind: ch.kind, id: ch.id, change: ch.change })),
        [{ kind: 'contact', id: contact.id, change: 'added' }],
        'the new care team member',
    );

    // The same version on both sides: nothing; the other way round: the opposite changes.
    const same = await ada.get(`${base(child)}/diff`, { query: { from: 2, to: 2 } });
    assert.equal(same.status, 200, same.text);
    assert.deepEqual(same.json.changes, []);
    const back = await ada.get(`${base(child)}/diff`, { query: { from: 2, to: 1 } });
    assert.equal(back.status, 200, back.text);
    assert.deepEqual(
        outline(back.json.changes).map((ch) => [ch.id, ch.change]),
        [
            [g2.id, 'removed'],
            [c2.id, 'added'],
            [m1.id, 'changed'],
        ],
    );
    assert.deepEqual(back.json.changes[2].fields, [
        { field: 'dose', from: '3 mL', to: '2 mL' },
        { field: 'schedule', lang: 'es', from: 'Dos veces al día', to: null },
    ]);
    // from is required; a version that does not exist is not found (doc-silent: 404 or 400).
    assertError(await ada.get(`${base(child)}/diff`), 400, 'invalid', 'from');
    assertError(await ada.get(`${base(child)}/diff`, { query: { from: 7 } }), [400, 404], undefined, ['from', '']);
});

// ---- reviews and where the plan stands --------------------------------------------------------------

test('reviews: none -> due -> current; change requests count on the latest version and reset; panel and plan_due=1 agree', async () => {
    const child = (await createChild(ada)).id;
    const fam = (await addFamilyAccount(admin, child, 'R')).session;
    const summary = await createPlanItem(ada, child, 'summary', samplePlanItem('summary'));
    const none = (await planOf(ada, child)).state;
    assert.equal(none.status, 'none');
    assertPanelMatchesState(await panelRow(ada, child), none, 'never frozen');
    assert.ok(await panelRow(ada, child, { plan_due: 1 }), 'a plan never frozen is not current: plan_due=1 lists it');

    await freeze(ada, child);
    const due = (await planOf(ada, child)).state;
    assert.equal(due.status, 'due');
    assert.equal(due.reviewed_at, null);
    assert.equal(due.review_due_on, null);
    assertPanelMatchesState(await panelRow(ada, child), due, 'frozen, not reviewed');
    assert.ok(await panelRow(ada, child, { plan_due: 1 }), 'a due plan is not in plan_due=1');

    // The family asks for a change (comment required).
    const url1 = `${base(child)}/versions/1/reviews`;
    assertError(await fam.req('POST', url1, { body: { decision: 'change_requested' } }), 400, 'invalid', 'comment');
    assertError(await fam.req('POST', url1, { body: { decision: 'comment' } }), 400, 'invalid', 'comment');
    assertError(await fam.req('POST', url1, { body: { decision: 'comment', comment: '' } }), 400, 'invalid', 'comment');
    assertError(await fam.req('POST', url1, { body: { decision: 'agree', in_person: true } }), 400, 'invalid', 'in_person');
    const cr = await fam.req('POST', url1, { body: { decision: 'change_requested', comment: 'Please add the school nurse to the plan' } });
    assert.equal(cr.status, 201, cr.text);
    assert.deepEqual(Object.keys(cr.json).sort(), ['comment', 'created_at', 'created_by', 'decision', 'id', 'in_person', 'version']);
    assert.equal(cr.json.version, 1);
    assert.equal(cr.json.decision, 'change_requested');
    assert.equal(cr.json.comment, 'Please add the school nurse to the plan');
    assert.equal(cr.json.in_person, false);
    assert.match(cr.json.created_at, ISO_TIME);
    assert.deepEqual(cr.json.created_by, { id: fam.user.id, name: fam.user.display_name, role: 'family' });
    let st = (await planOf(ada, child)).state;
    assert.equal(st.status, 'due', 'a change request does not make the plan current');
    assert.equal(st.open_requests, 1);
    let v1 = assertList(await ada.get(`${base(child)}/versions`)).items[0];
    assert.equal(v1.review_count, 1);
    assert.equal(v1.open_requests, 1);
    // A family cannot freeze.
    assertError(await fam.req('POST', `${base(child)}/versions`, { body: {} }), 403, 'forbidden');

    // The family comments: a comment counts as a review with the family, so the plan is current.
    const comment = await fam.req('POST', url1, { body: { decision: 'comment', comment: 'Thank you, this is how we do it at home' } });
    assert.equal(comment.status, 201, comment.text);
    assert.equal(comment.json.decision, 'comment');
    st = (await planOf(ada, child)).state;
    assert.equal(st.status, 'current', 'a family comment makes the plan current');
    assert.equal(st.reviewed_at, comment.json.created_at);

    // The family agrees: current, reviewed now, due in six calendar months.
    const agree = await fam.req('POST', url1, { body: { decision: 'agree' } });
    assert.equal(agree.status, 201, agree.text);
    assert.equal(agree.json.comment ?? null, null);
    st = (await planOf(ada, child)).state;
    assert.equal(st.status, 'current');
    assert.equal(st.reviewed_at, agree.json.created_at);
    assert.equal(st.reviewed_version, 1);
    assert.equal(st.review_due_on, addMonths(agree.json.created_at.slice(0, 10), 6));
    assert.equal(st.open_requests, 1, 'the change request stays open until a newer version');
    assertPanelMatchesState(await panelRow(ada, child), st, 'agreed');
    assert.equal(await panelRow(ada, child, { plan_due: 1 }), undefined, 'a current plan is listed by plan_due=1');

    // Staff record a review done with the family in person; they must say so.
    assertError(await ada.req('POST', url1, { body: { decision: 'agree' } }), 400, 'invalid', 'in_person');
    assertError(await ada.req('POST', url1, { body: { decision: 'agree', in_person: false } }), 400, 'invalid', 'in_person');
    const inPerson = await ada.req('POST', url1, { body: { decision: 'comment', comment: 'Went through the plan by phone', in_person: true } });
    assert.equal(inPerson.status, 201, inPerson.text);
    assert.equal(inPerson.json.in_person, true);
    assert.deepEqual(inPerson.json.created_by, { id: ada.user.id, name: ada.user.display_name, role: 'nurse_care_coordinator' });

    // A new version closes the open requests; a request on it opens one again.
    assertRecord(await ada.req('PATCH', `${base(child)}/summary/${summary.id}`, { body: { text: 'Lina is 8. The school nurse is Wren.' }, ifMatch: 1 }), 200);
    await freeze(ada, child);
    st = (await planOf(ada, child)).state;
    assert.equal(st.latest_version, 2);
    assert.equal(st.open_requests, 0, 'open requests reset on a new version');
    assert.equal(st.status, 'current', 'a review within the interval keeps the plan current');
    assert.equal(st.reviewed_version, 1, 'the newest agree/comment review was of version 1');
    const v2list = assertList(await ada.get(`${base(child)}/versions`)).items;
    assert.deepEqual(v2list.map((v) => [v.number, v.review_count, v.open_requests]).slice(0, 1), [[2, 0, 0]]);
    assert.equal(v2list[1].review_count, 4);
    const cr2 = await fam.req('POST', `${base(child)}/versions/2/reviews`, { body: { decision: 'change_requested', comment: 'The phone number is wrong' } });
    assert.equal(cr2.status, 201, cr2.text);
    st = (await planOf(fam, child)).state;
    assert.equal(st.open_requests, 1);
    assertPanelMatchesState(await panelRow(ada, child), st, 'change requested on version 2');

    // The list: every review, newest first; a version carries its own.
    const all = assertList(await fam.get(`${base(child)}/reviews`));
    assert.deepEqual(all.items.map((r) => r.id), [cr2.json.id, inPerson.json.id, agree.json.id, comment.json.id, cr.json.id]);
    assert.deepEqual(all.items.map((r) => r.version), [2, 1, 1, 1, 1]);
    const g1 = await fam.get(`${base(child)}/versions/1`);
    assert.equal(g1.status, 200, g1.text);
    assert.deepEqual(g1.json.reviews.map((r) => r.id).sort((x, y) => x - y), [cr.json.id, comment.json.id, agree.json.id, inPerson.json.id].sort((x, y) => x - y));
    // A version that does not exist cannot be reviewed.
    assertError(await fam.req('POST', `${base(child)}/versions/9/reviews`, { body: { decision: 'agree' } }), 404, 'not_found');
    // Reviews are never changed: no route to do it.
    for (const m of ['PATCH', 'PUT', 'DELETE']) {
        const res = await ada.req(m, `${base(child)}/reviews`, { body: {} });
        assert.ok([404, 405].includes(res.status), `${m} reviews: ${res.status}`);
    }
});

test('a staff member who may only read (an analyst on the team) cannot record a review', async () => {
    const child = (await createChild(ada)).id;
    await createPlanItem(ada, child, 'summary', samplePlanItem('summary'));
    await freeze(ada, child);
    const analyst = await c.signIn('analyst.jo');
    assertRecord(await ada.req('POST', `/api/children/${child}/team`, { body: { user_id: analyst.user.id, role: 'analyst', sector: 'medical' } }), 201);
    assert.equal((await analyst.get(base(child))).status, 200, 'an analyst on the team reads the plan');
    const r = await analyst.req('POST', `${base(child)}/versions/1/reviews`, { body: { decision: 'agree', in_person: true } });
    assertError(r, 403, 'forbidden');
    assert.equal(assertList(await ada.get(`${base(child)}/reviews`)).total, 0);
});

test('a review older than plan_review_interval_months makes the plan due again (interval 1, rows dated in the past)', async () => {
    const aged = await startServer({ name: 'planaged', set: { plan_review_interval_months: 1 } });
    try {
        const ac = client(aged);
        const aAdmin = (await ac.signIn('admin')).bearer();
        const aAda = await ac.signIn('coord.ada');
        const mk = async (tag) => {
            const id = (await createChild(aAda, { given_name: `Aged${tag}` })).id;
            const fam = await addFamilyAccount(aAdmin, id, tag);
            await createPlanItem(aAda, id, 'summary', samplePlanItem('summary'));
            const v = await aAda.req('POST', `${base(id)}/versions`, { body: {} });
            assert.equal(v.status, 201, v.text);
            return { id, fam };
        };
        const old = await mk('O'); // reviewed 40 days ago: due
        const recent = await mk('N'); // reviewed 20 days ago: current
        const leap = await mk('L'); // reviewed on 31 January 2024: due on 29 February 2024
        const never = await mk('X'); // frozen, never reviewed: due

        const now = Math.floor(Date.now() / 1000);
        const insert = (who, at, decision = 'agree') =>
            `INSERT INTO plan_review (created_at, created_by, child_id, version_id, decision, comment, in_person) ` +
            `SELECT ${at}, ${who.fam.session.user.id}, ${who.id}, id, '${decision}', ${decision === 'agree' ? 'NULL' : "'old words'"}, 0 ` +
            `FROM plan_version WHERE child_id = ${who.id} AND number = 1;`;
        const at40 = now - 40 * 86400;
        const at20 = now - 20 * 86400;
        const atLeap = Date.UTC(2024, 0, 31, 15, 0, 0) / 1000;
        await sqlite(aged.db, insert(old, at40) + insert(recent, at20, 'comment') + insert(leap, atLeap));
        // The reason for inserting: moving a review in time is refused.
        await assert.rejects(sqlite(aged.db, `UPDATE plan_review SET created_at = created_at - 86400 WHERE child_id = ${recent.id};`), /immutable/);

        const iso = (s) => new Date(s * 1000).toISOString().replace(/\.\d{3}Z$/, 'Z');
        const stOld = (await planOf(aAda, old.id)).state;
        assert.equal(stOld.review_interval_months, 1);
        assert.equal(stOld.reviewed_at, iso(at40));
        assert.equal(stOld.review_due_on, addMonths(iso(at40).slice(0, 10), 1));
        assert.ok(stOld.review_due_on < isoDate(0), `due on ${stOld.review_due_on}`);
        assert.equal(stOld.status, 'due', 'a review 40 days old with a one-month interval');
        const stRecent = (await planOf(aAda, recent.id)).state;
        assert.equal(stRecent.status, 'current', 'a comment 20 days old with a one-month interval');
        assert.equal(stRecent.review_due_on, addMonths(iso(at20).slice(0, 10), 1));
        const stLeap = (await planOf(aAda, leap.id)).state;
        assert.equal(stLeap.review_due_on, '2024-02-29', 'calendar months: 31 January + 1 month');
        assert.equal(stLeap.status, 'due');

        const dueIds = new Set((await panelAll(aAda, { plan_due: 1 })).map((r) => r.id));
        assert.ok(dueIds.has(old.id), 'the aged review is not in plan_due=1');
        assert.ok(dueIds.has(leap.id));
        assert.ok(dueIds.has(never.id), 'the never-reviewed plan is not in plan_due=1');
        assert.ok(!dueIds.has(recent.id), 'the recent review is in plan_due=1');
        for (const [who, st] of [
            [old, stOld],
            [recent, stRecent],
        ]) {
            assertPanelMatchesState(await panelRow(aAda, who.id), st, `child ${who.id}`);
        }

        // The family agrees again today: current.
        const again = await old.fam.session.req('POST', `${base(old.id)}/versions/1/reviews`, { body: { decision: 'agree' } });
        assert.equal(again.status, 201, again.text);
        const st = (await planOf(aAda, old.id)).state;
        assert.equal(st.status, 'current');
        assert.equal(st.reviewed_at, again.json.created_at);
        assert.ok(!(await panelAll(aAda, { plan_due: 1 })).some((r) => r.id === old.id));
        assertNoHeaderViolations(aged);
    } finally {
        await stopCleanly(aged);
    }
});

test('the family and the coordinator read the same plan document and state (docs/plan.md: "read the same way")', async () => {
    const child = (await createChild(ada)).id;
    const fam = (await addFamilyAccount(admin, child, 'S')).session;
    for (const { kind, path } of PLAN_KINDS.filter((x) => !['action', 'milestone'].includes(x.kind))) {
        await createPlanItem(ada, child, path, samplePlanItem(kind));
    }
    const staff = await planOf(ada, child);
    const family = await planOf(fam, child);
    assert.deepEqual(family.document, staff.document);
    assert.deepEqual(family.state, staff.state);
});

test('every response carried the documented security headers', () => {
    assertNoHeaderViolations(server);
});

test('the server stops cleanly on SIGTERM', async () => {
    await stopCleanly(server);
});
