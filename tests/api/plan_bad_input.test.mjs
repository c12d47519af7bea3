// Malformed requests to the shared plan of care's routes: a table of bad bodies, values, query
// strings, headers and paths. Each row gives the request, the status, the error code and the field
// docs/api.md requires (the message must name the field). The care-record checksum taken before
// the table must equal the one after it: bad input never changes anything.
//
// Where the doc leaves a choice open a row accepts a short list (an array) and says so in its name
// with "(doc-silent)".
import { test, before, after } from 'node:test';
import assert from 'node:assert/strict';
import {
    addFamilyAccount,
    assertError,
    assertNoHeaderViolations,
    assertRecord,
    checksum,
    client,
    createChild,
    createPlanItem,
    samplePlanItem,
    startServer,
    stopCleanly,
} from './lib/harness.mjs';

let server;
let admin;
let ada; // the child's lead, cookie + CSRF
let fam; // the child's family account
const k = {};

before(async () => {
    server = await startServer({ name: 'planbad' });
    const c = client(server);
    admin = (await c.signIn('admin')).bearer();
    ada = await c.signIn('coord.ada');
    k.child = (await createChild(ada)).id;
    k.other = (await createChild(ada)).id;
    fam = (await addFamilyAccount(admin, k.child, 'Q')).session;
    k.goal = (await createPlanItem(ada, k.child, 'goals', samplePlanItem('goal'))).id;
    k.concern = (await createPlanItem(ada, k.child, 'concerns', samplePlanItem('concern'))).id;
    k.transition = (await createPlanItem(ada, k.child, 'transitions', samplePlanItem('transition'))).id;
    k.equipment = (await createPlanItem(ada, k.child, 'equipment', samplePlanItem('equipment'))).id;
    const gone = await createPlanItem(ada, k.child, 'transitions', samplePlanItem('transition', {}, { type: 'school_change' }));
    assert.equal((await ada.req('DELETE', `/api/children/${k.child}/plan/transitions/${gone.id}`, { ifMatch: 1 })).status, 204);
    k.goneTransition = gone.id;
    k.otherTransition = (await createPlanItem(ada, k.other, 'transitions', samplePlanItem('transition'))).id;
    k.otherGoal = (await createPlanItem(ada, k.other, 'goals', samplePlanItem('goal'))).id;
    assert.equal((await ada.req('POST', `/api/children/${k.child}/plan/versions`, { body: {} })).status, 201);
});

after(async () => {
    if (server && !server.exitInfo) await server.stop();
});

/** The goal's current version, so an If-Match row fails only for the reason it is about. */
async function refresh() {
    k.gv = assertRecord(await ada.get(`/api/children/${k.child}/plan/goals/${k.goal}`), 200).version;
    k.ev = assertRecord(await ada.get(`/api/children/${k.child}/plan/equipment/${k.equipment}`), 200).version;
}

const SYNTAX = /line\s*\d+|\d+:\d+/i; // "message gives line:column"
const SAME = /is the same in every language/;
const P = (k, rest) => `/api/children/${k.child}/plan${rest}`;
const refs = (k) => ({ goal: k.goal, concern: k.concern, transition: k.transition });

// Request builders: k -> {method, path, body, query, ifMatch, contentType, csrf, as}.
const CREATE = (kind, p, extra) => (k) => ({ method: 'POST', path: P(k, `/${p}`), body: samplePlanItem(kind, refs(k), typeof extra === 'function' ? extra(k) : extra) });
const RAW = (p, text) => (k) => ({ method: 'POST', path: P(k, `/${p}`), body: text });
const PATCH_GOAL = (body, extra = {}) => (k) => ({ method: 'PATCH', path: P(k, `/goals/${k.goal}`), body, ifMatch: k.gv, ...extra });
const PATCH_EQ = (body) => (k) => ({ method: 'PATCH', path: P(k, `/equipment/${k.equipment}`), body, ifMatch: k.ev });
const TRANSLATE = (body, query = { lang: 'es' }, extra = {}) => (k) => ({
    method: 'PUT',
    path: P(k, `/goals/${k.goal}/translation`),
    query,
    body,
    ifMatch: k.gv,
    ...extra,
});
const FREEZE = (body) => (k) => ({ method: 'POST', path: P(k, '/versions'), body });
const REVIEW = (body, as = 'fam', n = 1) => (k) => ({ as, method: 'POST', path: P(k, `/versions/${n}/reviews`), body });
const TEMPLATE = (body) => (k) => ({ method: 'POST', path: P(k, '/action-plans/from-template'), body });
const READ = (body) => () => ({ method: 'POST', path: '/api/readability', body });
const GET = (rest) => (k) => ({ method: 'GET', path: P(k, rest) });
const goalJson = (text) => `{"text": ${text}, "status": "active"}`;

// THE TABLE: [name, request, status, error code, field (string, array of acceptable, or undefined
// for "not stated"), optional regexp the message must match].
const ROWS = [
    // ---- broken JSON ----
    ['truncated object', RAW('goals', '{"text": "Sleep", "status": "active"'), 400, 'invalid', '', SYNTAX],
    ['error on line 3 is reported at line 3', RAW('goals', '{\n  "text": "Sleep",\n  "status": ,\n}'), 400, 'invalid', '', /line\s*3\b|\b3:\d+/i],
    ['trailing comma', RAW('concerns', '{"text": "A concern",}'), 400, 'invalid', '', SYNTAX],
    ['an array, not an object', RAW('goals', '[]'), 400, 'invalid', ''],
    ['null, not an object', RAW('allergies', 'null'), 400, 'invalid', ''],
    ['empty body on a create (doc-silent field)', RAW('goals', ''), 400, 'invalid', ['', 'text']],
    ['duplicate keys (doc-silent field)', RAW('goals', '{"text": "A", "text": "B", "status": "active"}'), 400, 'invalid', ['', 'text']],
    ['invalid UTF-8 in a text (doc-silent field)', (k) => ({ method: 'POST', path: P(k, '/goals'), body: Buffer.concat([Buffer.from('{"text": "Sle'), Buffer.from([0xff]), Buffer.from('ep", "status": "active"}')]) }), 400, 'invalid', ['', 'text']],
    ['a control character in a text', RAW('goals', goalJson('"Sleep\\u0007 well"')), 400, 'invalid', 'text'],
    ['freeze: broken JSON', (k) => ({ method: 'POST', path: P(k, '/versions'), body: '{"note": ' }), 400, 'invalid', '', SYNTAX],
    // ---- wrong types ----
    ['goal text as a number', CREATE('goal', 'goals', { text: 5 }), 400, 'invalid', 'text'],
    ['goal status as an array', CREATE('goal', 'goals', { status: ['active'] }), 400, 'invalid', 'status'],
    ['goal target_date as a number', CREATE('goal', 'goals', { target_date: 20270115 }), 400, 'invalid', 'target_date'],
    ['action goal_id as a string', CREATE('action', 'actions', (k) => ({ goal_id: String(k.goal) })), 400, 'invalid', 'goal_id'],
    ['action goal_id as a real', CREATE('action', 'actions', (k) => ({ goal_id: k.goal + 0.5 })), 400, 'invalid', 'goal_id'],
    ['medication key as a string', CREATE('medication', 'medications', { key: 'yes' }), 400, 'invalid', 'key'],
    ['medication key as 1', CREATE('medication', 'medications', { key: 1 }), 400, 'invalid', 'key'],
    ['equipment replace_every_days as a string', CREATE('equipment', 'equipment', { replace_every_days: '30' }), 400, 'invalid', 'replace_every_days'],
    ['equipment replace_every_days 2.5', CREATE('equipment', 'equipment', { replace_every_days: 2.5 }), 400, 'invalid', 'replace_every_days'],
    ['concern raised_by as an object', CREATE('concern', 'concerns', { raised_by: { name: 'Ada' } }), 400, 'invalid', 'raised_by'],
    ['lang as a number', CREATE('goal', 'goals', { lang: 1 }), 400, 'invalid', 'lang'],
    // ---- fields that are not of the kind, read-only fields ----
    ['unknown field', CREATE('goal', 'goals', { colour: 'blue' }), 400, 'invalid', 'colour'],
    ['a field of another kind (owner on a goal)', CREATE('goal', 'goals', { owner: 'Family' }), 400, 'invalid', 'owner'],
    ['read-only id on a create', CREATE('concern', 'concerns', { id: 5 }), 400, 'invalid', 'id'],
    ['read-only translations on a create', CREATE('goal', 'goals', { translations: { es: { text: 'x' } } }), 400, 'invalid', 'translations'],
    ['read-only position on a create', CREATE('allergy', 'allergies', { position: 1 }), 400, 'invalid', 'position'],
    ['read-only version on an update', PATCH_GOAL({ version: 9 }), 400, 'invalid', 'version'],
    ['read-only kind on an update', PATCH_GOAL({ kind: 'concern' }), 400, 'invalid', 'kind'],
    ['unknown field on an update', PATCH_GOAL({ colour: 'blue' }), 400, 'invalid', 'colour'],
    // ---- values not in the list ----
    ['goal status "done" (an action status)', CREATE('goal', 'goals', { status: 'done' }), 400, 'invalid', 'status'],
    ['goal status in capitals', CREATE('goal', 'goals', { status: 'Active' }), 400, 'invalid', 'status'],
    ['action status "met" (a goal status)', CREATE('action', 'actions', { status: 'met' }), 400, 'invalid', 'status'],
    ['action icf_domain not a domain', CREATE('action', 'actions', { icf_domain: 'mind' }), 400, 'invalid', 'icf_domain'],
    ['condition body_system "brain"', CREATE('condition', 'conditions', { body_system: 'brain' }), 400, 'invalid', 'body_system'],
    ['allergy severity "deadly"', CREATE('allergy', 'allergies', { severity: 'deadly' }), 400, 'invalid', 'severity'],
    ['medication route "oral"', CREATE('medication', 'medications', { route: 'oral' }), 400, 'invalid', 'route'],
    ['equipment type "trach"', CREATE('equipment', 'equipment', { type: 'trach' }), 400, 'invalid', 'type'],
    ['transition type "moving"', CREATE('transition', 'transitions', { type: 'moving' }), 400, 'invalid', 'type'],
    ['milestone status "stopped" (only actions stop)', CREATE('milestone', 'milestones', { status: 'stopped' }), 400, 'invalid', 'status'],
    // ---- dates ----
    ['goal target_date 2026-02-30', CREATE('goal', 'goals', { target_date: '2026-02-30' }), 400, 'invalid', 'target_date'],
    ['milestone due_date month 13', CREATE('milestone', 'milestones', { due_date: '2026-13-01' }), 400, 'invalid', 'due_date'],
    ['transition target_date in words', CREATE('transition', 'transitions', { target_date: 'next spring' }), 400, 'invalid', 'target_date'],
    ['equipment last_replaced without zero padding', CREATE('equipment', 'equipment', { last_replaced: '2026-1-5' }), 400, 'invalid', 'last_replaced'],
    ['action target_date with a time', CREATE('action', 'actions', { target_date: '2026-12-01T00:00:00Z' }), 400, 'invalid', 'target_date'],
    ['29 February in a common year', PATCH_GOAL({ target_date: '2027-02-29' }), 400, 'invalid', 'target_date'],
    // ---- ICD-10-CM codes ----
    ['ICD-10 in lower case', CREATE('condition', 'conditions', { code: 'g80.0' }), 400, 'invalid', 'code'],
    ['ICD-10 starting with a digit', CREATE('condition', 'conditions', { code: '80.0G' }), 400, 'invalid', 'code'],
    ['ICD-10 with five characters after the dot', CREATE('condition', 'conditions', { code: 'G80.00000' }), 400, 'invalid', 'code'],
    ['ICD-10 of one letter', CREATE('condition', 'conditions', { code: 'G' }), 400, 'invalid', 'code'],
    ['ICD-10 with a dot and nothing after it', CREATE('condition', 'conditions', { code: 'G80.' }), 400, 'invalid', 'code'],
    ['ICD-10 with a hyphen', CREATE('condition', 'conditions', { code: 'G80-0' }), 400, 'invalid', 'code'],
    ['ICD-10 with a space', CREATE('condition', 'conditions', { code: 'G80 0' }), 400, 'invalid', 'code'],
    // ---- lengths and empty strings ----
    ['goal text of 401 characters (limit 400)', CREATE('goal', 'goals', { text: 'é'.repeat(401) }), 400, 'invalid', 'text'],
    ['summary text of 401 characters', CREATE('summary', 'summary', { text: 'a'.repeat(401) }), 400, 'invalid', 'text'],
    ['medication name of 201 characters', CREATE('medication', 'medications', { name: 'n'.repeat(201) }), 400, 'invalid', 'name'],
    ['medication dose of 101 characters', CREATE('medication', 'medications', { dose: '1'.repeat(101) }), 400, 'invalid', 'dose'],
    ['condition notes of 2001 characters', CREATE('condition', 'conditions', { notes: 'n'.repeat(2001) }), 400, 'invalid', 'notes'],
    ['action plan steps of 4001 characters', CREATE('action_plan', 'action-plans', { steps: 's'.repeat(4001) }), 400, 'invalid', 'steps'],
    ['equipment supplier_phone of 33 characters', CREATE('equipment', 'equipment', { supplier_phone: '5'.repeat(33) }), 400, 'invalid', 'supplier_phone'],
    ['empty goal text', CREATE('goal', 'goals', { text: '' }), 400, 'invalid', 'text'],
    ['empty medication dose', CREATE('medication', 'medications', { dose: '' }), 400, 'invalid', 'dose'],
    ['empty concern raised_by', CREATE('concern', 'concerns', { raised_by: '' }), 400, 'invalid', 'raised_by'],
    // ---- numbers out of range ----
    ['replace_every_days 0', CREATE('equipment', 'equipment', { replace_every_days: 0 }), 400, 'invalid', 'replace_every_days'],
    ['replace_every_days 3651', CREATE('equipment', 'equipment', { replace_every_days: 3651 }), 400, 'invalid', 'replace_every_days'],
    ['replace_every_days -5 on an update', PATCH_EQ({ replace_every_days: -5 }), 400, 'invalid', 'replace_every_days'],
    ['replace_every_days past int64 (doc-silent field)', (k) => ({ method: 'PATCH', path: P(k, `/equipment/${k.equipment}`), body: '{"replace_every_days": 99999999999999999999999}', ifMatch: k.ev }), 400, 'invalid', ['', 'replace_every_days']],
    // ---- links ----
    ['action goal_id of a missing item', CREATE('action', 'actions', { goal_id: 999999999 }), 400, 'invalid', 'goal_id'],
    ['action goal_id 0', CREATE('action', 'actions', { goal_id: 0 }), 400, 'invalid', 'goal_id'],
    ['action goal_id of another child\'s goal', CREATE('action', 'actions', (k) => ({ goal_id: k.otherGoal })), 400, 'invalid', 'goal_id'],
    ['action concern_id of a goal', CREATE('action', 'actions', (k) => ({ concern_id: k.goal })), 400, 'invalid', 'concern_id'],
    ['milestone transition_id of a removed transition', CREATE('milestone', 'milestones', (k) => ({ transition_id: k.goneTransition })), 400, 'invalid', 'transition_id'],
    ['milestone transition_id of another child\'s transition', CREATE('milestone', 'milestones', (k) => ({ transition_id: k.otherTransition })), 400, 'invalid', 'transition_id'],
    // ---- required fields ----
    ['goal without status', CREATE('goal', 'goals', { status: undefined }), 400, 'invalid', 'status'],
    ['medication without purpose', CREATE('medication', 'medications', { purpose: undefined }), 400, 'invalid', 'purpose'],
    ['milestone without transition_id', CREATE('milestone', 'milestones', { transition_id: undefined }), 400, 'invalid', 'transition_id'],
    ['allergy severity null', CREATE('allergy', 'allergies', { severity: null }), 400, 'invalid', 'severity'],
    ['update: required text sent as null', PATCH_GOAL({ text: null }), 400, 'invalid', 'text'],
    ['update: required type sent as null', PATCH_EQ({ type: null }), 400, 'invalid', 'type'],
    // ---- languages ----
    ['lang fr', CREATE('goal', 'goals', { lang: 'fr' }), 400, 'invalid', 'lang'],
    ['lang in capitals', CREATE('goal', 'goals', { lang: 'EN' }), 400, 'invalid', 'lang'],
    ['lang empty on an update', PATCH_GOAL({ lang: '' }), 400, 'invalid', 'lang'],
    // ---- translations ----
    ['translation: lang=fr', TRANSLATE({ text: 'Dormir' }, { lang: 'fr' }), 400, 'invalid', 'lang'],
    ['translation: no lang (doc-silent: required)', TRANSLATE({ text: 'Dormir' }, {}), 400, 'invalid', 'lang'],
    ['translation: lang = the item\'s own language', TRANSLATE({ text: 'Sleep' }, { lang: 'en' }), 400, 'invalid', 'lang'],
    ['translation: a choice from a list', TRANSLATE({ status: 'met' }), 400, 'invalid', 'status', SAME],
    ['translation: a date', TRANSLATE({ target_date: '2027-01-01' }), 400, 'invalid', 'target_date', SAME],
    ['translation: equipment size', (k) => ({ method: 'PUT', path: P(k, `/equipment/${k.equipment}/translation`), query: { lang: 'es' }, body: { size: '3,5 sin balón' }, ifMatch: k.ev }), 400, 'invalid', 'size', SAME],
    ['translation: text as a number', TRANSLATE({ text: 7 }), 400, 'invalid', 'text'],
    ['translation: empty text', TRANSLATE({ text: '' }), 400, 'invalid', 'text'],
    ['translation: text of 401 characters', TRANSLATE({ text: 'ñ'.repeat(401) }), 400, 'invalid', 'text'],
    ['translation: unknown field', TRANSLATE({ colour: 'azul' }), 400, 'invalid', 'colour'],
    ['translation: missing If-Match', TRANSLATE({ text: 'Dormir' }, { lang: 'es' }, { ifMatch: null }), 428, 'precondition_required', ['If-Match', '']],
    ['translation: stale If-Match', (k) => ({ ...TRANSLATE({ text: 'Dormir' })(k), ifMatch: k.gv + 4 }), 412, 'stale', ['If-Match', '']],
    // ---- If-Match ----
    ['update: missing If-Match', PATCH_GOAL({ status: 'met' }, { ifMatch: null }), 428, 'precondition_required', ['If-Match', '']],
    ['update: stale If-Match', (k) => ({ ...PATCH_GOAL({ status: 'met' })(k), ifMatch: k.gv + 1 }), 412, 'stale', ['If-Match', '']],
    ['update: If-Match *', PATCH_GOAL({ status: 'met' }, { ifMatch: '*' }), 400, 'invalid', 'If-Match'],
    ['update: If-Match a bare number', (k) => ({ ...PATCH_GOAL({ status: 'met' })(k), ifMatch: String(k.gv) }), 400, 'invalid', 'If-Match'],
    ['update: If-Match a list', (k) => ({ ...PATCH_GOAL({ status: 'met' })(k), ifMatch: `"${k.gv}", "${k.gv + 1}"` }), 400, 'invalid', 'If-Match'],
    ['remove: missing If-Match', (k) => ({ method: 'DELETE', path: P(k, `/goals/${k.goal}`) }), 428, 'precondition_required', ['If-Match', '']],
    ['remove: If-Match not a version', (k) => ({ method: 'DELETE', path: P(k, `/goals/${k.goal}`), ifMatch: '"one"' }), 400, 'invalid', 'If-Match'],
    // ---- headers ----
    ['create: Content-Type text/plain', (k) => ({ method: 'POST', path: P(k, '/goals'), body: JSON.stringify(samplePlanItem('goal')), contentType: 'text/plain' }), 415, 'unsupported_media_type', ['Content-Type', '']],
    ['create: no CSRF token', (k) => ({ method: 'POST', path: P(k, '/goals'), body: samplePlanItem('goal'), csrf: false }), 403, 'forbidden', 'X-CSRF-Token'],
    // ---- freezing ----
    ['freeze: note of 501 characters', FREEZE({ note: 'n'.repeat(501) }), 400, 'invalid', 'note'],
    ['freeze: note as a number', FREEZE({ note: 3 }), 400, 'invalid', 'note'],
    ['freeze: unknown field', FREEZE({ reason: 'new meds' }), 400, 'invalid', 'reason'],
    ['freeze: content is not the caller\'s to give', FREEZE({ content: {} }), 400, 'invalid', 'content'],
    // ---- reviews ----
    ['review: decision not in the list', REVIEW({ decision: 'maybe' }), 400, 'invalid', 'decision'],
    ['review: no decision', REVIEW({ comment: 'Looks fine' }), 400, 'invalid', 'decision'],
    ['review: change request without a comment', REVIEW({ decision: 'change_requested' }), 400, 'invalid', 'comment'],
    ['review: comment of 2001 characters', REVIEW({ decision: 'comment', comment: 'c'.repeat(2001) }), 400, 'invalid', 'comment'],
    ['review: comment as a number', REVIEW({ decision: 'comment', comment: 42 }), 400, 'invalid', 'comment'],
    ['review: a family may not send in_person', REVIEW({ decision: 'agree', in_person: true }), 400, 'invalid', 'in_person'],
    ['review: unknown field', REVIEW({ decision: 'agree', rating: 5 }), 400, 'invalid', 'rating'],
    ['review: staff without in_person', REVIEW({ decision: 'agree' }, 'ada'), 400, 'invalid', 'in_person'],
    ['review: staff with in_person as a string', REVIEW({ decision: 'agree', in_person: 'yes' }, 'ada'), 400, 'invalid', 'in_person'],
    ['review: a version that does not exist', REVIEW({ decision: 'agree' }, 'fam', 99), 404, 'not_found', undefined],
    // ---- starter plans ----
    ['from-template: unknown template', TEMPLATE({ template: 'broken_leg' }), 400, 'invalid', 'template'],
    ['from-template: template as a number', TEMPLATE({ template: 7 }), 400, 'invalid', 'template'],
    ['from-template: no template', TEMPLATE({}), 400, 'invalid', 'template'],
    ['from-template: unknown field', TEMPLATE({ template: 'seizures', colour: 'red' }), 400, 'invalid', 'colour'],
    // ---- readability ----
    ['readability: empty text', READ({ text: '', lang: 'en' }), 400, 'invalid', 'text'],
    ['readability: text of 8001 characters', READ({ text: 'Go. '.repeat(2000) + 'a', lang: 'en' }), 400, 'invalid', 'text'],
    ['readability: lang fr', READ({ text: 'Bonjour.', lang: 'fr' }), 400, 'invalid', 'lang'],
    ['readability: text as a number', READ({ text: 12, lang: 'en' }), 400, 'invalid', 'text'],
    ['readability: unknown field', READ({ text: 'Hi.', lang: 'en', grade: 3 }), 400, 'invalid', 'grade'],
    // ---- query strings ----
    ['document: unknown query parameter', GET('?colour=blue'), 400, 'invalid', 'colour'],
    ['list: unknown query parameter', GET('/goals?colour=blue'), 400, 'invalid', 'colour'],
    ['list: limit 0 (doc-silent whether lists page)', GET('/goals?limit=0'), 400, 'invalid', 'limit'],
    ['versions: unknown query parameter', GET('/versions?all=1'), 400, 'invalid', 'all'],
    ['reviews: unknown query parameter', GET('/reviews?version=1'), 400, 'invalid', 'version'],
    ['diff: from missing', GET('/diff?to=1'), 400, 'invalid', 'from'],
    ['diff: from not a number', GET('/diff?from=first'), 400, 'invalid', 'from'],
    ['diff: to negative', GET('/diff?from=1&to=-1'), 400, 'invalid', 'to'],
    ['diff: from given twice', GET('/diff?from=1&from=1'), 400, 'invalid', 'from'],
    ['pdf: lang fr', (k) => ({ method: 'GET', path: `/api/children/${k.child}/plan.pdf?lang=fr` }), 400, 'invalid', 'lang'],
    ['pdf: lang in capitals', (k) => ({ method: 'GET', path: `/api/children/${k.child}/plan.pdf?lang=ES` }), 400, 'invalid', 'lang'],
    ['pdf: version not a number', (k) => ({ method: 'GET', path: `/api/children/${k.child}/plan.pdf?version=latest` }), 400, 'invalid', 'version'],
    ['pdf: version negative', (k) => ({ method: 'GET', path: `/api/children/${k.child}/emergency.pdf?version=-1` }), 400, 'invalid', 'version'],
    ['pdf: unknown query parameter', (k) => ({ method: 'GET', path: `/api/children/${k.child}/emergency.pdf?size=a4` }), 400, 'invalid', 'size'],
    ['translation: unknown query parameter', TRANSLATE({ text: 'Dormir' }, { lang: 'es', machine: '1' }), 400, 'invalid', 'machine'],
    // ---- paths ----
    ['an item that does not exist', GET('/goals/999999999'), 404, 'not_found', undefined],
    ['an item under another kind\'s path', (k) => ({ method: 'PATCH', path: P(k, `/goals/${k.concern}`), body: { status: 'met' }, ifMatch: 1 }), 404, 'not_found', undefined],
    ['an item of another child', (k) => ({ method: 'GET', path: P(k, `/goals/${k.otherGoal}`) }), 404, 'not_found', undefined],
    ['a removed item', (k) => ({ method: 'GET', path: P(k, `/transitions/${k.goneTransition}`) }), 404, 'not_found', undefined],
    ['a kind that does not exist', GET('/goal'), 404, 'not_found', undefined],
    ['a version that is not a number', GET('/versions/latest'), 404, 'not_found', undefined],
    ['a version that does not exist', GET('/versions/99'), 404, 'not_found', undefined],
    ['versions cannot be deleted', (k) => ({ method: 'DELETE', path: P(k, '/versions/1') }), 405, 'method_not_allowed', undefined],
    ['the document cannot be replaced', (k) => ({ method: 'PUT', path: P(k, ''), body: {} }), 405, 'method_not_allowed', undefined],
];

let sumBefore;
const succeeded = [];

test('the checksum sees a plan write (so "equal before and after" means something)', async () => {
    await refresh();
    const a = await checksum(server.db);
    await createPlanItem(ada, k.child, 'concerns', samplePlanItem('concern', {}, { text: 'Checksum sentinel' }));
    assert.notEqual(await checksum(server.db), a);
});

test('a table of at least 60 malformed plan requests, each with its documented status, code and field', async (t) => {
    assert.ok(ROWS.length >= 60, `only ${ROWS.length} rows`);
    await refresh();
    sumBefore = await checksum(server.db);
    for (const [name, build, status, code, field, messageRe] of ROWS) {
        await t.test(name, async () => {
            await refresh();
            const { as, method, path: p, ...opts } = build(k);
            const s = as === 'fam' ? fam : ada;
            const res = await s.req(method, p, opts);
            if (res.status < 300) succeeded.push(name);
            const e = assertError(res, status, code, field);
            if (messageRe) assert.match(e.message, messageRe, `${name}: message "${e.message}"`);
        });
    }
    assert.equal(await checksum(server.db), sumBefore, `the table changed the records (rows that succeeded: ${succeeded.join('; ') || 'none'})`);
});

test('the plan still answers normally after the table', async () => {
    const res = await ada.get(`/api/children/${k.child}/plan`);
    assert.equal(res.status, 200, res.text);
    assert.equal(res.json.state.latest_version, 1);
    const goal = assertRecord(await ada.get(`/api/children/${k.child}/plan/goals/${k.goal}`), 200);
    assert.equal(goal.status, 'active');
    assert.deepEqual(goal.translations, {});
});

test('every response carried the documented security headers', () => {
    assertNoHeaderViolations(server);
});

test('the server stops cleanly on SIGTERM', async () => {
    await stopCleanly(server);
});
