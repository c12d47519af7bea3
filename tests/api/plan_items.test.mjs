// The shared plan of care, item by item (docs/api.md "The shared plan of care"): the element
// declaration, then for EVERY kind create / read / list / update with If-Match / stale and
// missing If-Match / translate / remove, the links between items, the starter action plans and
// the plain-language check.
//
// One child made through the API by coord.ada (so she is its lead) holds the items; a second child
// holds the items another child's links may not point at. The kinds are hard-coded from the doc
// (PLAN_KINDS) and compared with GET /api/plan/kinds, so a kind missing from either fails.
import { test, before, after } from 'node:test';
import assert from 'node:assert/strict';
import fs from 'node:fs';
import path from 'node:path';
import {
    ISO_TIME,
    PLAN_KINDS,
    PLAN_TEMPLATES,
    REPO,
    assertError,
    assertList,
    assertNoHeaderViolations,
    assertRecord,
    client,
    createChild,
    createPlanItem,
    request,
    samplePlanItem,
    startServer,
    stopCleanly,
    usersByName,
} from './lib/harness.mjs';

// docs/api.md's table, in words turned into data: every field of every kind in order, the
// required ones, the choices of every list. Compared with the declaration the server serves.
const DOC_FIELDS = {
    summary: ['text'],
    goal: ['text', 'status', 'target_date'],
    concern: ['text', 'raised_by'],
    action: ['text', 'goal_id', 'concern_id', 'owner', 'target_date', 'status', 'icf_domain'],
    condition: ['description', 'code', 'body_system', 'notes'],
    allergy: ['substance', 'reaction', 'severity'],
    medication: ['name', 'dose', 'route', 'schedule', 'purpose', 'prescriber', 'key'],
    equipment: ['type', 'description', 'make', 'size', 'settings', 'supplier', 'supplier_phone', 'replace_every_days', 'last_replaced'],
    action_plan: ['title', 'trigger', 'steps', 'call', 'emergency', 'note', 'template'],
    transition: ['type', 'description', 'target_date'],
    milestone: ['transition_id', 'text', 'owner', 'due_date', 'status'],
};
const DOC_REQUIRED = {
    summary: ['text'],
    goal: ['text', 'status'],
    concern: ['text'],
    action: ['text', 'owner', 'status'],
    condition: ['description', 'body_system'],
    allergy: ['substance', 'severity'],
    medication: ['name', 'dose', 'route', 'schedule', 'purpose'],
    equipment: ['type'],
    action_plan: ['title', 'trigger', 'steps', 'call', 'emergency'],
    transition: ['type', 'description'],
    milestone: ['transition_id', 'text', 'owner', 'status'],
};
const DOC_ENUMS = {
    'goal.status': ['active', 'met', 'set_aside'],
    'action.status': ['not_started', 'in_progress', 'done', 'stopped'],
    'action.icf_domain': ['body_functions', 'activities', 'participation', 'environmental', 'personal'],
    'condition.body_system': [
        'neurological', 'respiratory', 'cardiovascular', 'digestive', 'kidney_urinary', 'blood_immune', 'endocrine_metabolic',
        'musculoskeletal', 'genetic_congenital', 'mental_behavioural', 'skin', 'eyes_ears', 'cancer', 'other',
    ],
    'allergy.severity': ['mild', 'moderate', 'severe', 'life_threatening'],
    'medication.route': ['by_mouth', 'g_tube', 'j_tube', 'inhaled', 'skin', 'rectal', 'injection', 'iv', 'nose', 'eye_ear', 'other'],
    'equipment.type': [
        'tracheostomy', 'ventilator', 'suction', 'oxygen', 'pulse_oximeter', 'gastrostomy', 'feeding_pump', 'cough_assist', 'nebulizer',
        'wheelchair', 'hospital_bed', 'communication_device', 'orthotics', 'other',
    ],
    'transition.type': ['hospital_to_home', 'early_intervention_to_school', 'school_change', 'pediatric_to_adult', 'other'],
    'milestone.status': ['not_started', 'in_progress', 'done'],
};
const DOC_TYPES = {
    'action.goal_id': ['ref', 'goal'],
    'action.concern_id': ['ref', 'concern'],
    'milestone.transition_id': ['ref', 'transition'],
    'condition.code': ['icd10'],
    'medication.key': ['bool'],
    'equipment.replace_every_days': ['int', 1, 3650],
    'goal.target_date': ['date'],
    'action.target_date': ['date'],
    'equipment.last_replaced': ['date'],
    'transition.target_date': ['date'],
    'milestone.due_date': ['date'],
};
// "Text fields a family reads (...) are translatable; the rest ... are the same in every language."
const TRANSLATABLE = new Set(['text', 'description', 'notes', 'substance', 'reaction', 'schedule', 'purpose', 'title', 'trigger', 'steps', 'call', 'emergency', 'note']);
const TYPES = new Set(['text', 'string', 'enum', 'date', 'int', 'bool', 'ref', 'icd10']);
// What an item carries besides its fields.
const ITEM_META = ['id', 'kind', 'version', 'position', 'translations', 'created_at', 'updated_at', 'updated_by', 'lang'];

// One change per kind for the update step.
const UPDATE = {
    summary: { text: 'Lina is 8. She loves music, swimming and her brother.' },
    goal: { status: 'met' },
    concern: { text: 'Weight gain has stopped since spring' },
    action: { status: 'done' },
    condition: { code: 'G40.409' },
    allergy: { severity: 'severe' },
    medication: { dose: '3 mL' },
    equipment: { replace_every_days: 28 },
    action_plan: { steps: 'Check her breathing.\nCall the nurse line.' },
    transition: { target_date: '2027-01-10' },
    milestone: { status: 'in_progress' },
};

let server;
let c;
let admin;
let ada; // coord.ada, the lead of both children (cookie + CSRF, as the browser)
let users;
let decl; // kind -> its declaration from GET /api/plan/kinds
const k = {}; // ids

before(async () => {
    server = await startServer({ name: 'planitems' });
    c = client(server);
    admin = (await c.signIn('admin')).bearer();
    users = await usersByName(admin);
    ada = await c.signIn('coord.ada');
    k.child = (await createChild(ada, { given_name: 'Lina' })).id;
    k.other = (await createChild(ada, { given_name: 'Otra' })).id;
    k.goal = (await createPlanItem(ada, k.child, 'goals', samplePlanItem('goal', {}, { text: 'A goal the actions link to' }))).id;
    k.concern = (await createPlanItem(ada, k.child, 'concerns', samplePlanItem('concern'))).id;
    k.transition = (await createPlanItem(ada, k.child, 'transitions', samplePlanItem('transition'))).id;
    k.otherGoal = (await createPlanItem(ada, k.other, 'goals', samplePlanItem('goal'))).id;
    k.otherConcern = (await createPlanItem(ada, k.other, 'concerns', samplePlanItem('concern'))).id;
    k.otherTransition = (await createPlanItem(ada, k.other, 'transitions', samplePlanItem('transition'))).id;
    const kinds = await ada.get('/api/plan/kinds');
    assert.equal(kinds.status, 200, kinds.text);
    decl = new Map(kinds.json.items.map((d) => [d.kind, d]));
});

after(async () => {
    if (server && !server.exitInfo) await server.stop();
});

const refs = () => ({ goal: k.goal, concern: k.concern, transition: k.transition });
const itemUrl = (child, p, id) => `/api/children/${child}/plan/${p}${id === undefined ? '' : `/${id}`}`;

/** The item as GET returns it now (200 asserted). */
async function fetchItem(p, id, child = k.child) {
    return assertRecord(await ada.get(itemUrl(child, p, id)), 200);
}

/** The working plan document. */
async function documentOf(child = k.child) {
    const res = await ada.get(`/api/children/${child}/plan`);
    assert.equal(res.status, 200, res.text);
    return res.json.document;
}

/** Asserts item has exactly the fields of body (and only declared fields and meta beside them). */
function assertItemFields(item, kind, body, what) {
    const d = decl.get(kind);
    const names = new Set(d.fields.map((f) => f.name));
    for (const key of Object.keys(item)) {
        assert.ok(names.has(key) || ITEM_META.includes(key), `${what}: unexpected key "${key}" in ${JSON.stringify(item).slice(0, 300)}`);
    }
    for (const m of ITEM_META) assert.ok(Object.hasOwn(item, m), `${what}: lacks "${m}"`);
    for (const [key, v] of Object.entries(body)) assert.deepEqual(item[key], v, `${what}: field ${key}`);
    for (const f of d.fields) {
        if (!Object.hasOwn(body, f.name)) assert.ok(!Object.hasOwn(item, f.name), `${what}: field ${f.name} was never set but is ${JSON.stringify(item[f.name])}`);
    }
}

// ---- the declaration ----------------------------------------------------------------------------

test('GET /api/plan/kinds: the eleven kinds of docs/api.md in plan order, each field as the table says', async () => {
    const res = await ada.get('/api/plan/kinds');
    assert.equal(res.status, 200, res.text);
    assert.deepEqual(
        res.json.items.map((d) => ({ kind: d.kind, path: d.path })),
        PLAN_KINDS,
        'kinds and paths in plan order',
    );
    for (const d of res.json.items) {
        assert.ok(Number.isInteger(d.max_items) && d.max_items >= 1, `${d.kind}: max_items ${d.max_items}`);
        if (d.kind === 'summary') assert.equal(d.max_items, 1, 'at most one summary per child');
        assert.deepEqual(d.fields.map((f) => f.name), DOC_FIELDS[d.kind], `${d.kind}: fields in order`);
        assert.deepEqual(d.fields.filter((f) => f.required).map((f) => f.name), DOC_REQUIRED[d.kind], `${d.kind}: required fields`);
        assert.ok(d.fields.some((f) => f.name === d.title_field), `${d.kind}: title_field ${d.title_field} is not a field`);
        for (const f of d.fields) {
            const where = `${d.kind}.${f.name}`;
            assert.ok(TYPES.has(f.type), `${where}: type ${f.type}`);
            assert.equal(typeof f.required, 'boolean', `${where}: required`);
            assert.equal(typeof f.emergency, 'boolean', `${where}: emergency`);
            assert.equal(f.type === 'text', TRANSLATABLE.has(f.name), `${where}: translatable is type text (type ${f.type})`);
            if (f.type === 'text' || f.type === 'string') assert.ok(Number.isInteger(f.max_len) && f.max_len > 0, `${where}: max_len`);
            if (DOC_ENUMS[where]) {
                assert.equal(f.type, 'enum', where);
                assert.deepEqual(f.values, DOC_ENUMS[where], `${where}: values`);
            } else {
                assert.notEqual(f.type, 'enum', `${where} is an enum the doc does not list`);
            }
            const t = DOC_TYPES[where];
            if (t) {
                assert.equal(f.type, t[0], `${where}: type`);
                if (t[0] === 'ref') assert.equal(f.ref, t[1], `${where}: ref`);
                if (t[0] === 'int') assert.deepEqual([f.min, f.max], [t[1], t[2]], `${where}: range`);
            }
        }
    }
    // The emergency sheet takes what an emergency department needs first.
    const emergency = (kind, name) => res.json.items.find((d) => d.kind === kind).fields.find((f) => f.name === name).emergency;
    assert.equal(emergency('allergy', 'substance'), true);
    assert.equal(emergency('equipment', 'size'), true);
    assert.equal(emergency('goal', 'text'), false);
    // The samples every plan test uses are valid by this declaration.
    for (const { kind } of PLAN_KINDS) {
        const body = samplePlanItem(kind, { goal: 1, concern: 1, transition: 1 });
        for (const key of Object.keys(body)) assert.ok(DOC_FIELDS[kind].includes(key), `sample ${kind} has ${key}`);
        for (const key of DOC_REQUIRED[kind]) assert.ok(Object.hasOwn(body, key), `sample ${kind} lacks ${key}`);
    }
});

test('GET /api/plan/kinds needs a sign-in; any signed-in user may read it', async () => {
    assertError(await request(server, 'GET', '/api/plan/kinds'), 401, 'unauthenticated');
    for (const who of ['analyst.jo', 'family.demo-0001']) {
        const s = await c.signIn(who);
        const res = await s.get('/api/plan/kinds');
        assert.equal(res.status, 200, `${who}: ${res.text.slice(0, 200)}`);
        assert.equal(res.json.items.length, PLAN_KINDS.length);
    }
});

// ---- every kind ---------------------------------------------------------------------------------

for (const { kind, path: p } of PLAN_KINDS) {
    test(`${kind} (/plan/${p}): create, get, list order, update with If-Match, 412, 428, clear, translate, remove`, async () => {
        const d = decl.get(kind);
        assert.ok(d, `GET /api/plan/kinds has no kind "${kind}"`);
        const body = samplePlanItem(kind, refs());
        const textField = d.fields.find((f) => f.type === 'text').name;
        const nonText = d.fields.find((f) => f.type !== 'text');
        const optional = d.fields.find((f) => !f.required && Object.hasOwn(body, f.name) && f.name !== textField);

        // Create: 201, ETag, Location, the body echoed with the read-only fields.
        const res = await ada.req('POST', itemUrl(k.child, p), { body });
        const a = assertRecord(res, 201);
        assert.equal(res.headers.get('location'), itemUrl(k.child, p, a.id), 'Location');
        assertItemFields(a, kind, body, `${kind} created`);
        assert.equal(a.kind, kind);
        assert.equal(a.version, 1);
        assert.equal(a.lang, 'en', 'lang defaults to the user\'s language');
        assert.deepEqual(a.translations, {}, 'translations of a new item');
        assert.ok(Number.isInteger(a.position) && a.position >= 1, `position ${a.position}`);
        assert.match(a.created_at, ISO_TIME);
        assert.match(a.updated_at, ISO_TIME);
        assert.equal(a.updated_by, ada.user.id, 'updated_by');

        // Get: the same record and ETag.
        const got = await ada.get(itemUrl(k.child, p, a.id));
        assert.deepEqual(assertRecord(got, 200), a, 'GET returns what POST returned');

        // List: creation order (a second item where the kind allows more than one).
        let b = null;
        if (d.max_items > 1) b = await createPlanItem(ada, k.child, p, samplePlanItem(kind, refs(), { [textField]: `Second ${kind}` }));
        const list = assertList(await ada.get(itemUrl(k.child, p)));
        assert.ok(list.items.every((it) => it.kind === kind), `list of ${p} holds other kinds`);
        const ids = list.items.map((it) => it.id);
        assert.ok(ids.includes(a.id), 'the new item is not in the list');
        if (b) {
            assert.ok(ids.indexOf(a.id) < ids.indexOf(b.id), `list order ${ids}: ${a.id} was created before ${b.id}`);
            assert.ok(b.position > a.position, `positions ${a.position} then ${b.position}`);
        }
        for (let i = 1; i < list.items.length; i++) assert.ok(list.items[i - 1].position < list.items[i].position, `list not in position order: ${list.items.map((it) => it.position)}`);
        assert.equal(list.total, list.items.length);

        // Update with If-Match: 200, version + 1, the change and nothing else.
        const upd = await ada.req('PATCH', itemUrl(k.child, p, a.id), { body: UPDATE[kind], ifMatch: 1 });
        const a2 = assertRecord(upd, 200);
        assert.equal(a2.version, 2);
        assertItemFields(a2, kind, { ...body, ...UPDATE[kind] }, `${kind} updated`);
        assert.equal(a2.created_at, a.created_at);
        assert.equal(a2.position, a.position);

        // A stale If-Match is 412 and changes nothing; a missing one is 428.
        assertError(await ada.req('PATCH', itemUrl(k.child, p, a.id), { body: { [textField]: 'Stale write' }, ifMatch: 1 }), 412, 'stale');
        assertError(await ada.req('PATCH', itemUrl(k.child, p, a.id), { body: { [textField]: 'No If-Match' } }), 428, 'precondition_required');
        assertError(await ada.req('DELETE', itemUrl(k.child, p, a.id)), 428, 'precondition_required');
        assertError(await ada.req('DELETE', itemUrl(k.child, p, a.id), { ifMatch: 1 }), 412, 'stale');
        assert.deepEqual(await fetchItem(p, a.id), a2, 'a refused write changed the item');

        // A required field sent as null is 400; a nullable one is cleared.
        const req1 = d.fields.find((f) => f.required).name;
        assertError(await ada.req('PATCH', itemUrl(k.child, p, a.id), { body: { [req1]: null }, ifMatch: 2 }), 400, 'invalid', req1);
        let cur = a2;
        if (optional) {
            cur = assertRecord(await ada.req('PATCH', itemUrl(k.child, p, a.id), { body: { [optional.name]: null }, ifMatch: 2 }), 200);
            assert.equal(cur.version, 3);
            assert.ok(!Object.hasOwn(cur, optional.name), `${optional.name} sent as null is still ${JSON.stringify(cur[optional.name])}`);
        }

        // Translation: 200 with a new ETag; shows in translations, in GET and in the document.
        const tUrl = `${itemUrl(k.child, p, a.id)}/translation`;
        const es = `Texto en español de ${kind}: niña, corazón`;
        const tr = await ada.req('PUT', tUrl, { query: { lang: 'es' }, body: { [textField]: es }, ifMatch: cur.version });
        const t1 = assertRecord(tr, 200);
        assert.equal(t1.version, cur.version + 1);
        assert.deepEqual(t1.translations, { es: { [textField]: es } }, 'translations');
        assert.equal(t1[textField], cur[textField], 'a translation changed the original text');
        assert.deepEqual(await fetchItem(p, a.id), t1);
        const inDoc = (await documentOf()).elements[kind].find((it) => it.id === a.id);
        assert.ok(inDoc, `${kind} ${a.id} is not in the plan document`);
        assert.deepEqual(inDoc.translations, t1.translations, 'translations in the document');
        // Stale and missing If-Match on a translation, as on any update.
        assertError(await ada.req('PUT', tUrl, { query: { lang: 'es' }, body: { [textField]: 'x' }, ifMatch: cur.version }), 412, 'stale');
        assertError(await ada.req('PUT', tUrl, { query: { lang: 'es' }, body: { [textField]: 'x' } }), 428, 'precondition_required');
        // A field that is not translatable: 400 "is the same in every language".
        if (nonText) {
            // A value of the field's own type, so that translatability is the only fault.
            const value = Object.hasOwn(body, nonText.name) ? body[nonText.name] : 'x';
            const bad = await ada.req('PUT', tUrl, { query: { lang: 'es' }, body: { [nonText.name]: value }, ifMatch: t1.version });
            const e = assertError(bad, 400, 'invalid', nonText.name);
            assert.match(e.message, /is the same in every language/, `${kind}.${nonText.name}: message`);
        } else {
            // The summary has only text: a field that is not of the kind is named as such.
            assertError(await ada.req('PUT', tUrl, { query: { lang: 'es' }, body: { status: 'met' }, ifMatch: t1.version }), 400, 'invalid', 'status');
        }
        // The item's own language is no translation.
        assertError(await ada.req('PUT', tUrl, { query: { lang: 'en' }, body: { [textField]: 'Same language' }, ifMatch: t1.version }), 400, 'invalid', 'lang');
        // null removes it.
        const t2 = assertRecord(await ada.req('PUT', tUrl, { query: { lang: 'es' }, body: { [textField]: null }, ifMatch: t1.version }), 200);
        assert.equal(t2.version, t1.version + 1);
        assert.equal(t2.translations?.es?.[textField], undefined, `null did not remove the translation: ${JSON.stringify(t2.translations)}`);

        // Remove: 204, then 404; gone from the list and from the document; the other stays.
        const del = await ada.req('DELETE', itemUrl(k.child, p, a.id), { ifMatch: t2.version });
        assert.equal(del.status, 204, `DELETE: ${del.status} ${del.text}`);
        assert.equal(del.text, '', '204 with a body');
        assertError(await ada.get(itemUrl(k.child, p, a.id)), 404, 'not_found');
        assertError(await ada.req('DELETE', itemUrl(k.child, p, a.id), { ifMatch: t2.version + 1 }), 404, 'not_found');
        assertError(await ada.req('PATCH', itemUrl(k.child, p, a.id), { body: UPDATE[kind], ifMatch: t2.version + 1 }), 404, 'not_found');
        const after = assertList(await ada.get(itemUrl(k.child, p))).items.map((it) => it.id);
        assert.ok(!after.includes(a.id), 'a removed item is still listed');
        const doc = await documentOf();
        assert.ok(!doc.elements[kind].some((it) => it.id === a.id), 'a removed item is still in the plan document');
        if (b) {
            assert.ok(after.includes(b.id), 'removing one item removed another');
            assert.ok(doc.elements[kind].some((it) => it.id === b.id));
        }
        // The item of another kind's path is not found there.
        const wrongPath = PLAN_KINDS.find((x) => x.kind !== kind).path;
        if (b) assertError(await ada.get(itemUrl(k.child, wrongPath, b.id)), 404, 'not_found');
    });
}

test('GET /plan: the document has the child, every kind key in plan order, contacts and family; state', async () => {
    const res = await ada.get(`/api/children/${k.child}/plan`);
    assert.equal(res.status, 200, res.text);
    const { document: doc, state } = res.json;
    assert.equal(doc.format, 1);
    assert.equal(doc.child.id, k.child);
    assert.equal(doc.child.given_name, 'Lina');
    assert.deepEqual(Object.keys(doc.elements), PLAN_KINDS.map((x) => x.kind), 'every kind key, in plan order');
    for (const [kind, items] of Object.entries(doc.elements)) {
        assert.ok(Array.isArray(items), kind);
        for (const it of items) assert.equal(it.kind, kind);
        for (let i = 1; i < items.length; i++) assert.ok(items[i - 1].position < items[i].position, `${kind} not in position order`);
    }
    assert.ok(Array.isArray(doc.contacts) && doc.contacts.length >= 1, 'contacts');
    assert.equal(doc.contacts[0].lead, 'lead', 'the lead comes first');
    assert.equal(doc.contacts[0].name, users.get('coord.ada').display_name);
    assert.ok(Array.isArray(doc.family));
    assert.equal(state.status, 'none', 'never frozen');
    // The same plan gives the same bytes (no "assembled at" time).
    const again = await ada.get(`/api/children/${k.child}/plan`);
    assert.equal(JSON.stringify(again.json.document), JSON.stringify(doc));
});

test('an ICD-10 code without its dot is stored dotted; lang can be set; a Spanish item translates into English', async () => {
    const cond = await createPlanItem(ada, k.child, 'conditions', samplePlanItem('condition', {}, { code: 'G800' }));
    assert.equal(cond.code, 'G80.0');
    const es = await createPlanItem(ada, k.child, 'goals', samplePlanItem('goal', {}, { text: 'Que la niña duerma toda la noche', lang: 'es' }));
    assert.equal(es.lang, 'es');
    const tUrl = `${itemUrl(k.child, 'goals', es.id)}/translation`;
    assertError(await ada.req('PUT', tUrl, { query: { lang: 'es' }, body: { text: 'x' }, ifMatch: 1 }), 400, 'invalid', 'lang');
    const t = assertRecord(await ada.req('PUT', tUrl, { query: { lang: 'en' }, body: { text: 'That she sleeps through the night' }, ifMatch: 1 }), 200);
    assert.deepEqual(t.translations, { en: { text: 'That she sleeps through the night' } });
    // lang is settable on update too, once no translation into the new language is left (an item
    // cannot carry a translation into its own language; doc-silent, the server's sensible choice).
    assertError(await ada.req('PATCH', itemUrl(k.child, 'goals', es.id), { body: { lang: 'en', text: 'That she sleeps' }, ifMatch: 2 }), 400, 'invalid', 'lang');
    assertRecord(await ada.req('PUT', tUrl, { query: { lang: 'en' }, body: { text: null }, ifMatch: 2 }), 200);
    const moved = assertRecord(await ada.req('PATCH', itemUrl(k.child, 'goals', es.id), { body: { lang: 'en', text: 'That she sleeps' }, ifMatch: 3 }), 200);
    assert.equal(moved.lang, 'en');
    assert.equal(moved.text, 'That she sleeps');
});

test('lang defaults to the writing user\'s language', async () => {
    const gray = await c.signIn('sw.gray');
    assertRecord(
        await ada.req('POST', `/api/children/${k.child}/team`, { body: { user_id: users.get('sw.gray').id, role: 'social worker', sector: 'community' } }),
        201,
    );
    const me = await gray.req('PATCH', '/api/me', { body: { language: 'es' } });
    assert.equal(me.status, 200, me.text);
    const item = await createPlanItem(gray, k.child, 'concerns', samplePlanItem('concern', {}, { text: 'La familia necesita transporte' }));
    assert.equal(item.lang, 'es');
    assert.equal(item.updated_by, gray.user.id);
});

// ---- links ---------------------------------------------------------------------------------------

test('links: an action may only point at live goals and concerns of the same child (400 naming the field)', async () => {
    const url = itemUrl(k.child, 'actions');
    const mk = (extra) => samplePlanItem('action', refs(), extra);
    assertError(await ada.req('POST', url, { body: mk({ goal_id: k.otherGoal }) }), 400, 'invalid', 'goal_id');
    assertError(await ada.req('POST', url, { body: mk({ goal_id: k.concern }) }), 400, 'invalid', 'goal_id');
    assertError(await ada.req('POST', url, { body: mk({ concern_id: k.otherConcern }) }), 400, 'invalid', 'concern_id');
    assertError(await ada.req('POST', url, { body: mk({ concern_id: k.goal }) }), 400, 'invalid', 'concern_id');
    assertError(await ada.req('POST', url, { body: mk({ goal_id: 999999999 }) }), 400, 'invalid', 'goal_id');
    assertError(
        await ada.req('POST', itemUrl(k.child, 'milestones'), { body: samplePlanItem('milestone', { transition: k.otherTransition }) }),
        400,
        'invalid',
        'transition_id',
    );
    const act = await createPlanItem(ada, k.child, 'actions', mk({}));
    assertError(await ada.req('PATCH', itemUrl(k.child, 'actions', act.id), { body: { goal_id: k.otherGoal }, ifMatch: 1 }), 400, 'invalid', 'goal_id');
    // Links are optional on an action: null unlinks.
    const unlinked = assertRecord(await ada.req('PATCH', itemUrl(k.child, 'actions', act.id), { body: { concern_id: null }, ifMatch: 1 }), 200);
    assert.ok(!Object.hasOwn(unlinked, 'concern_id'));
    assert.equal(unlinked.goal_id, k.goal);
});

test('links: a goal linked by a live action and a transition linked by a milestone cannot be removed (409)', async () => {
    const goal = await createPlanItem(ada, k.child, 'goals', samplePlanItem('goal', {}, { text: 'Go to school every day' }));
    const act = await createPlanItem(ada, k.child, 'actions', samplePlanItem('action', { ...refs(), goal: goal.id }));
    assertError(await ada.req('DELETE', itemUrl(k.child, 'goals', goal.id), { ifMatch: 1 }), 409, 'conflict');
    assert.equal((await fetchItem('goals', goal.id)).version, 1, 'the refused removal changed the goal');
    const tr = await createPlanItem(ada, k.child, 'transitions', samplePlanItem('transition', {}, { type: 'early_intervention_to_school' }));
    const ms = await createPlanItem(ada, k.child, 'milestones', samplePlanItem('milestone', { transition: tr.id }));
    assertError(await ada.req('DELETE', itemUrl(k.child, 'transitions', tr.id), { ifMatch: 1 }), 409, 'conflict');
    // Once the linking item is gone (or points elsewhere), the removal goes through.
    assert.equal((await ada.req('DELETE', itemUrl(k.child, 'actions', act.id), { ifMatch: 1 })).status, 204);
    assert.equal((await ada.req('DELETE', itemUrl(k.child, 'goals', goal.id), { ifMatch: 1 })).status, 204);
    assertRecord(await ada.req('PATCH', itemUrl(k.child, 'milestones', ms.id), { body: { transition_id: k.transition }, ifMatch: 1 }), 200);
    assert.equal((await ada.req('DELETE', itemUrl(k.child, 'transitions', tr.id), { ifMatch: 1 })).status, 204);
    // A removed goal cannot be linked.
    assertError(await ada.req('POST', itemUrl(k.child, 'actions'), { body: samplePlanItem('action', { ...refs(), goal: goal.id }) }), 400, 'invalid', 'goal_id');
});

test('summary: at most one per child (a second is 409); after removing it, a new one is allowed', async () => {
    const child = (await createChild(ada)).id;
    const s1 = await createPlanItem(ada, child, 'summary', samplePlanItem('summary'));
    assertError(await ada.req('POST', itemUrl(child, 'summary'), { body: samplePlanItem('summary', {}, { text: 'A second summary' }) }), 409, 'conflict');
    assert.equal(assertList(await ada.get(itemUrl(child, 'summary'))).items.length, 1);
    assert.equal((await ada.req('DELETE', itemUrl(child, 'summary', s1.id), { ifMatch: 1 })).status, 204);
    await createPlanItem(ada, child, 'summary', samplePlanItem('summary', {}, { text: 'A new summary' }));
});

// ---- starter action plans ------------------------------------------------------------------------

test('GET /api/plan/templates: the six starter plans, in both languages, as in data/templates', async () => {
    const res = await ada.get('/api/plan/templates');
    assert.equal(res.status, 200, res.text);
    assert.deepEqual(res.json.items.map((t) => t.id).sort(), [...PLAN_TEMPLATES].sort());
    for (const t of res.json.items) {
        const file = JSON.parse(fs.readFileSync(path.join(REPO, 'data/templates/action_plans', `${t.id}.json`), 'utf8'));
        for (const f of ['title', 'trigger', 'call', 'emergency']) {
            assert.deepEqual(t[f], { en: file[f].en, es: file[f].es }, `${t.id}.${f}`);
        }
        assert.deepEqual(t.steps, file.steps.map((s) => ({ en: s.en, es: s.es })), `${t.id}.steps`);
        assert.ok(Array.isArray(t.sources) && t.sources.length > 0, `${t.id}: sources`);
    }
    assertError(await request(server, 'GET', '/api/plan/templates'), 401, 'unauthenticated');
});

test('from-template: each of the six makes an English action plan with the template\'s Spanish as its translation', async () => {
    const child = (await createChild(ada)).id;
    const templates = new Map((await ada.get('/api/plan/templates')).json.items.map((t) => [t.id, t]));
    for (const id of PLAN_TEMPLATES) {
        const t = templates.get(id);
        const res = await ada.req('POST', `/api/children/${child}/plan/action-plans/from-template`, { body: { template: id } });
        const item = assertRecord(res, 201);
        assert.equal(res.headers.get('location'), itemUrl(child, 'action-plans', item.id), `${id}: Location`);
        assert.equal(item.kind, 'action_plan');
        assert.equal(item.lang, 'en');
        assert.equal(item.template, id);
        assert.equal(item.title, t.title.en);
        assert.equal(item.trigger, t.trigger.en);
        assert.equal(item.call, t.call.en);
        assert.equal(item.emergency, t.emergency.en);
        if (t.note) assert.equal(item.note, t.note.en);
        assert.equal(item.steps, t.steps.map((s) => s.en).join('\n'), `${id}: steps one per line`);
        const es = item.translations.es;
        assert.ok(es, `${id}: no Spanish translation`);
        assert.equal(es.title, t.title.es);
        assert.equal(es.trigger, t.trigger.es);
        assert.equal(es.call, t.call.es);
        assert.equal(es.emergency, t.emergency.es);
        assert.equal(es.steps, t.steps.map((s) => s.es).join('\n'), `${id}: Spanish steps`);
        if (t.note) assert.equal(es.note, t.note.es);
        assert.deepEqual(await fetchItem('action-plans', item.id, child), item);
    }
    const list = assertList(await ada.get(itemUrl(child, 'action-plans')));
    assert.deepEqual(list.items.map((i) => i.template), PLAN_TEMPLATES, 'in creation order');
    const before = list.total;
    assertError(await ada.req('POST', `/api/children/${child}/plan/action-plans/from-template`, { body: { template: 'broken_leg' } }), 400, 'invalid', 'template');
    assertError(await ada.req('POST', `/api/children/${child}/plan/action-plans/from-template`, { body: { template: '../seizures' } }), 400, 'invalid', 'template');
    assert.equal(assertList(await ada.get(itemUrl(child, 'action-plans'))).total, before, 'an unknown template created something');
});

// ---- plain language --------------------------------------------------------------------------------

/** Asserts the readability answer's shape and that every offset slices the input as UTF-16. */
function checkReadability(j, text, lang) {
    assert.equal(j.lang, lang);
    for (const f of ['grade', 'score']) assert.equal(typeof j[f], 'number', f);
    if (lang === 'en') assert.equal(j.perspicuity, null, 'perspicuity is Spanish only');
    else assert.equal(typeof j.perspicuity, 'number', 'perspicuity');
    if (lang === 'en') assert.equal(j.score, j.grade, 'the English score is the Flesch-Kincaid grade');
    assert.equal(j.target, 6);
    assert.equal(j.meets, j.grade <= j.target, `meets ${j.meets} with grade ${j.grade}`);
    assert.ok(Number.isInteger(j.sentences) && Number.isInteger(j.words));
    assert.ok(Array.isArray(j.hardest) && j.hardest.length >= 1 && j.hardest.length <= 3, 'hardest');
    for (const h of j.hardest) {
        assert.equal(h.text, text.slice(h.start, h.start + h.length), `hardest sentence at ${h.start}+${h.length}`);
        assert.equal(typeof h.grade, 'number');
    }
    for (let i = 1; i < j.hardest.length; i++) assert.ok(j.hardest[i - 1].grade >= j.hardest[i].grade, 'hardest first');
    assert.ok(Array.isArray(j.suggestions) && j.suggestions.length <= 20);
    for (const s of j.suggestions) {
        assert.equal(text.slice(s.start, s.start + s.length).toLowerCase(), s.term.toLowerCase(), `suggestion ${s.term} at ${s.start}+${s.length}`);
        assert.equal(typeof s.plain, 'string');
    }
}

test('POST /api/readability (en): grade, hardest sentences and glossary words, offsets in UTF-16 code units', async () => {
    // An emoji (two UTF-16 units, four bytes) and accents before the sentences: byte offsets would
    // slice the wrong text.
    const text =
        'Zoë 👍 is nine. She uses a tracheostomy at night. ' +
        'The multidisciplinary interdisciplinary team recommended comprehensive individualized respiratory rehabilitation interventions. ' +
        'We go to the park.';
    const res = await ada.req('POST', '/api/readability', { body: { text, lang: 'en' } });
    assert.equal(res.status, 200, res.text);
    checkReadability(res.json, text, 'en');
    assert.equal(res.json.sentences, 4);
    assert.ok(res.json.hardest[0].text.startsWith('The multidisciplinary'), `hardest: ${res.json.hardest[0].text}`);
    assert.equal(res.json.meets, false);
    const trach = res.json.suggestions.find((s) => s.term === 'tracheostomy');
    assert.ok(trach, `no suggestion for tracheostomy: ${JSON.stringify(res.json.suggestions)}`);
    assert.equal(trach.plain, 'opening in the neck for a breathing tube');
    assert.equal(trach.start, text.indexOf('tracheostomy'));
    const easy = await ada.req('POST', '/api/readability', { body: { text: 'We go to the park. It is fun.', lang: 'en' } });
    assert.equal(easy.status, 200, easy.text);
    assert.equal(easy.json.meets, true, `grade ${easy.json.grade}`);
});

test('POST /api/readability (es): Fernández-Huerta, perspicuity, Spanish glossary; nothing logged', async () => {
    const text = 'La niña 🙂 tiene una traqueostomía. El equipo interdisciplinario recomendó intervenciones respiratorias individualizadas y multidimensionales. Vamos al parque.';
    const res = await ada.req('POST', '/api/readability', { body: { text, lang: 'es' } });
    assert.equal(res.status, 200, res.text);
    checkReadability(res.json, text, 'es');
    assert.equal(res.json.sentences, 3);
    assert.equal(res.json.meets, false, `grade ${res.json.grade}`);
    // Fernández-Huerta is an ease: the easy text scores higher and its grade is lower.
    const easy = await ada.req('POST', '/api/readability', { body: { text: 'Vamos al parque. Es muy bonito.', lang: 'es' } });
    assert.equal(easy.status, 200, easy.text);
    assert.ok(easy.json.score > res.json.score, `ease ${easy.json.score} (easy) vs ${res.json.score} (hard)`);
    assert.ok(easy.json.grade < res.json.grade, `grade ${easy.json.grade} (easy) vs ${res.json.grade} (hard)`);
    assert.equal(easy.json.meets, true, `grade ${easy.json.grade}`);
    const s = res.json.suggestions.find((x) => x.term === 'traqueostomía');
    assert.ok(s, `no suggestion for traqueostomía: ${JSON.stringify(res.json.suggestions)}`);
    assert.equal(s.start, text.indexOf('traqueostomía'));
    assert.ok(!server.log().includes('interdisciplinario'), 'the checked text is in the server log');
});

test('POST /api/readability: empty text 400, lang fr 400, signed out 401', async () => {
    assertError(await ada.req('POST', '/api/readability', { body: { text: '', lang: 'en' } }), 400, 'invalid', 'text');
    assertError(await ada.req('POST', '/api/readability', { body: { text: 'Hola.', lang: 'fr' } }), 400, 'invalid', 'lang');
    assertError(await request(server, 'POST', '/api/readability', { body: { text: 'Hello.', lang: 'en' } }), 401, 'unauthenticated');
    // Any signed-in user: a family account writing a comment may check it too.
    const fam = await c.signIn('family.demo-0001');
    assert.equal((await fam.req('POST', '/api/readability', { body: { text: 'We agree.', lang: 'en' } })).status, 200);
});

test('every response carried the documented security headers', () => {
    assertNoHeaderViolations(server);
});

test('the server stops cleanly on SIGTERM', async () => {
    await stopCleanly(server);
});
