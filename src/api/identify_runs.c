/*
 * Finding children: the identification runs of the program (loaded by `caremap identify --load`),
 * their candidates, enrolling one as a child, and comparing two runs (docs/api.md, "Finding
 * children: identification runs"). Administrators, program managers and analysts only; a run of
 * another program answers 404 exactly as a missing one.
 *
 * Enrolling reuses the child record's own rules: the body is decoded with the limits of
 * POST /api/children and checked by cm_model_child_validate, and the child is created by
 * cm_store_child_create; the registry only adds the member id and the link to the run.
 */
#include "api/api_int.h"
#include "store/registry.h"

#include <stddef.h>
#include <string.h>

/* ---- who may --------------------------------------------------------------------------------- */

static bool
may_find(enum cm_role r)
{
    return r == CM_ROLE_ADMINISTRATOR || r == CM_ROLE_PROGRAM_MANAGER || r == CM_ROLE_ANALYST;
}

/* 403 for every other role, audited as a denial of action. */
static bool
finder_or_reply(struct cm_api_ctx *x, const char *action)
{
    if (may_find(x->viewer.role))
        return true;
    cm_api_deny(x, action, 0, false,
                "only administrators, program managers and analysts find children in runs");
    return false;
}

/* Replies 404 "no such run" (naming field) and audits the attempt as denied, as a child route
 * does for a child out of reach: a run of another program and a missing one look the same. */
static void
deny_run(struct cm_api_ctx *x, const char *action, int64_t run_id, const char *field)
{
    cm_api_fail_with(x, CM_ENOTFOUND, field, "no such run");
    struct cm_audit_event ev;
    cm_api_event(x, action, 0, "denied", cm_arena_printf(x->arena, "run=%lld", (long long)run_id),
                 &ev);
    cm_api_audit_send(x, &ev);
}

/* The run of the viewer's program, or a reply: 404 (audited) or 500. */
static bool
run_or_reply(struct cm_api_ctx *x, int64_t id, const char *action, struct cm_registry_run *run)
{
    struct cm_err err = {0};
    enum cm_code rc =
        cm_store_registry_run_get(x->conn, x->viewer.program_id, id, run, x->arena, &err);
    if (rc == CM_ENOTFOUND) {
        deny_run(x, action, id, "");
        return false;
    }
    if (rc != CM_OK) {
        cm_api_fail(x, &err);
        return false;
    }
    return true;
}

/* limit (1-200, default 50) and offset. */
static enum cm_code
paging(const struct cm_api_ctx *x, int *limit, int *offset, struct cm_err *err)
{
    *limit = 50;
    *offset = 0;
    int64_t v;
    const char *s;
    if ((s = cm_http_query(x->req, "limit")) != NULL) {
        if (cm_api_int_parse(s, 1, 200, &v, "limit", err) != CM_OK)
            return CM_EINVAL;
        *limit = (int)v;
    }
    if ((s = cm_http_query(x->req, "offset")) != NULL) {
        if (cm_api_int_parse(s, 0, 1000000000, &v, "offset", err) != CM_OK)
            return CM_EINVAL;
        *offset = (int)v;
    }
    return CM_OK;
}

/* ---- JSON ------------------------------------------------------------------------------------ */

static json_t *
run_json(const struct cm_registry_run *r)
{
    json_t *o = json_object();
    if (o == NULL)
        return NULL;
    bool tiers = cm_store_registry_run_stratified(r);
    json_object_set_new(o, "id", json_integer(r->id));
    json_object_set_new(o, "created_at", cm_api_jtime(r->created_at));
    json_t *by = json_object();
    json_object_set_new(by, "id", cm_api_jid(r->created_by));
    json_object_set_new(by, "name", cm_api_jstr(r->created_by_name));
    json_object_set_new(o, "created_by", by);
    json_object_set_new(o, "algorithm", cm_api_jstr(r->algorithm));
    json_object_set_new(o, "codes_mode", cm_api_jstr(r->codes_mode));
    json_object_set_new(o, "list_name", cm_api_jstr(r->list_name));
    json_object_set_new(o, "list_sha256", cm_api_jstr(r->list_sha256));
    json_object_set_new(o, "input_name", cm_api_jstr(r->input_name));
    json_object_set_new(o, "stratified", json_boolean(tiers));
    json_object_set_new(o, "encounters_name", cm_api_jstr(r->encounters_name));
    json_object_set_new(o, "tiers_name", cm_api_jstr(r->tiers_name));
    json_object_set_new(o, "tiers_sha256", cm_api_jstr(r->tiers_sha256));
    json_object_set_new(o, "as_of", cm_api_jstr(r->as_of));
    json_object_set_new(o, "rows", json_integer(r->rows));
    json_object_set_new(o, "patients", json_integer(r->patients));
    json_object_set_new(o, "bad_rows", json_integer(r->bad_rows));
    json_t *classes = json_object();
    json_object_set_new(classes, "complex_chronic", json_integer(r->complex_chronic));
    json_object_set_new(classes, "non_complex_chronic", json_integer(r->non_complex_chronic));
    json_object_set_new(classes, "non_chronic", json_integer(r->non_chronic));
    json_object_set_new(o, "classes", classes);
    json_t *by_tier = json_null();
    if (tiers) {
        by_tier = json_object();
        static const char *const keys[4] = {"0", "1", "2", "3"};
        for (int t = 3; t >= 0; t--)
            json_object_set_new(by_tier, keys[t], json_integer(r->tiers[t]));
    }
    json_object_set_new(o, "tiers", by_tier);
    json_object_set_new(o, "candidates", json_integer(r->candidates));
    json_object_set_new(o, "enrolled", json_integer(r->enrolled));
    return o;
}

/* "a,b" -> ["a", "b"]; "" -> []. */
static json_t *
names_json(const char *s)
{
    json_t *a = json_array();
    if (a == NULL || s == NULL)
        return a;
    while (*s != '\0') {
        size_t n = strcspn(s, ",");
        if (n > 0)
            json_array_append_new(a, json_stringn(s, n));
        s += n;
        if (*s == ',')
            s++;
    }
    return a;
}

static json_t *
tier_json(int tier)
{
    return tier < 0 ? json_null() : json_integer(tier);
}

static json_t *
candidate_json(const struct cm_registry_result *e)
{
    json_t *o = json_object();
    if (o == NULL)
        return NULL;
    bool tiers = e->tier >= 0;
    json_object_set_new(o, "id", json_integer(e->id));
    json_object_set_new(o, "patient_id", cm_api_jstr(e->patient_id));
    json_object_set_new(o, "class", cm_api_jstr(e->cls));
    json_object_set_new(o, "conditions", json_integer(e->conditions));
    json_object_set_new(o, "condition_names", names_json(e->condition_names));
    json_object_set_new(o, "tech_dep", json_boolean(e->tech_dep));
    json_object_set_new(o, "transplant", json_boolean(e->transplant));
    json_object_set_new(o, "progressive", json_boolean(e->progressive));
    json_object_set_new(o, "malignancy", json_boolean(e->malignancy));
    json_object_set_new(o, "tier", tier_json(e->tier));
    json_object_set_new(o, "tier_rule", tiers ? cm_api_jstr(e->tier_rule) : json_null());
    json_object_set_new(o, "tier_reason", tiers ? cm_api_jstr(e->tier_reason) : json_null());
    json_t *enc = json_null();
    if (tiers) {
        enc = json_object();
        for (size_t i = 0; i < CM_REGISTRY_ENC_TYPES; i++)
            json_object_set_new(enc, cm_store_registry_enc_name(i), json_integer(e->encounters[i]));
    }
    json_object_set_new(o, "encounters", enc);
    json_object_set_new(o, "enrolled", json_boolean(e->child_id != 0));
    json_object_set_new(o, "child_id", cm_api_jid(e->child_id));
    return o;
}

static json_t *
side_json(const struct cm_registry_side *s)
{
    if (s->result_id == 0)
        return json_null();
    json_t *o = json_object();
    if (o == NULL)
        return NULL;
    json_object_set_new(o, "candidate_id", json_integer(s->result_id));
    json_object_set_new(o, "class", cm_api_jstr(s->cls));
    json_object_set_new(o, "tier", tier_json(s->tier));
    return o;
}

static json_t *
compare_item_json(const struct cm_registry_compare_item *it)
{
    json_t *o = json_object();
    if (o == NULL)
        return NULL;
    json_object_set_new(o, "patient_id", cm_api_jstr(it->patient_id));
    json_object_set_new(o, "before", side_json(&it->before));
    json_object_set_new(o, "after", side_json(&it->after));
    json_object_set_new(o, "enrolled", json_boolean(it->child_id != 0));
    json_object_set_new(o, "child_id", cm_api_jid(it->child_id));
    return o;
}

/* ---- runs ------------------------------------------------------------------------------------ */

static const char *const paging_query[] = {"limit", "offset", NULL};

void
cm_api_identify_runs_list(struct cm_http_request *req, struct cm_http_response *res)
{
    struct cm_api_ctx x;
    if (!cm_api_start(req, res, 0, paging_query, &x) || !finder_or_reply(&x, "identify.run.list"))
        return;
    struct cm_err err = {0};
    int limit, offset;
    struct cm_registry_run_list list;
    if (paging(&x, &limit, &offset, &err) != CM_OK ||
        cm_store_registry_run_list(x.conn, x.viewer.program_id, limit, offset, &list, x.arena,
                                   &err) != CM_OK) {
        cm_api_fail(&x, &err);
        return;
    }
    json_t *items = json_array();
    for (size_t i = 0; items != NULL && i < list.count; i++)
        json_array_append_new(items, run_json(&list.items[i]));
    cm_api_reply(&x, 200, cm_api_list_json(items, list.total, limit, offset));
}

void
cm_api_identify_run_get(struct cm_http_request *req, struct cm_http_response *res)
{
    struct cm_api_ctx x;
    if (!cm_api_start(req, res, 0, NULL, &x) || !finder_or_reply(&x, "identify.run.read"))
        return;
    struct cm_registry_run run;
    if (!run_or_reply(&x, req->params[0], "identify.run.read", &run))
        return;
    cm_api_reply(&x, 200, run_json(&run));
}

/* ---- candidates ------------------------------------------------------------------------------ */

static const char *const candidate_query[] = {"tier", "class", "enrolled", "limit", "offset", NULL};

static enum cm_code
candidate_filter(const struct cm_api_ctx *x, const struct cm_registry_run *run,
                 struct cm_registry_filter *f, struct cm_err *err)
{
    memset(f, 0, sizeof(*f));
    f->enrolled = CM_REGISTRY_NOT_ENROLLED;
    int64_t v;
    const char *s;
    if ((s = cm_http_query(x->req, "tier")) != NULL) {
        if (cm_api_int_parse(s, 1, 3, &v, "tier", err) != CM_OK)
            return CM_EINVAL;
        if (!cm_store_registry_run_stratified(run))
            return cm_err_set(err, CM_EINVAL, "tier", "this run has no tiers");
        f->tier = (int)v;
    }
    if ((s = cm_http_query(x->req, "class")) != NULL) {
        if (strcmp(s, "complex_chronic") != 0 && strcmp(s, "non_complex_chronic") != 0 &&
            strcmp(s, "non_chronic") != 0)
            return cm_err_set(err, CM_EINVAL, "class",
                              "must be complex_chronic, non_complex_chronic or non_chronic");
        f->cls = s;
    }
    if ((s = cm_http_query(x->req, "enrolled")) != NULL) {
        if (strcmp(s, "0") == 0)
            f->enrolled = CM_REGISTRY_NOT_ENROLLED;
        else if (strcmp(s, "1") == 0)
            f->enrolled = CM_REGISTRY_ENROLLED;
        else if (strcmp(s, "all") == 0)
            f->enrolled = CM_REGISTRY_ANY;
        else
            return cm_err_set(err, CM_EINVAL, "enrolled", "must be 0, 1 or all");
    }
    return paging(x, &f->limit, &f->offset, err);
}

void
cm_api_identify_candidates_list(struct cm_http_request *req, struct cm_http_response *res)
{
    static const char action[] = "identify.candidates.read";
    struct cm_api_ctx x;
    if (!cm_api_start(req, res, 0, candidate_query, &x) || !finder_or_reply(&x, action))
        return;
    int64_t run_id = req->params[0];
    struct cm_registry_run run;
    if (!run_or_reply(&x, run_id, action, &run))
        return;
    struct cm_registry_filter f;
    struct cm_registry_result_list list;
    struct cm_err err = {0};
    if (candidate_filter(&x, &run, &f, &err) != CM_OK ||
        cm_store_registry_candidates(x.conn, x.viewer.program_id, run_id, &f, &list, x.arena,
                                     &err) != CM_OK) {
        cm_api_fail(&x, &err);
        return;
    }
    json_t *items = json_array();
    for (size_t i = 0; items != NULL && i < list.count; i++)
        json_array_append_new(items, candidate_json(&list.items[i]));
    const char *detail = cm_arena_printf(x.arena, "run=%lld count=%zu offset=%d", (long long)run_id,
                                         list.count, f.offset);
    if (detail == NULL) {
        json_decref(items);
        return; /* the server answers 413 */
    }
    cm_api_reply(&x, 200, cm_api_list_json(items, list.total, f.limit, f.offset));
    struct cm_audit_event ev;
    cm_api_event(&x, action, 0, "ok", detail, &ev);
    cm_api_audit_send(&x, &ev);
}

/* ---- enrolling ------------------------------------------------------------------------------- */

#define CHILD(f) offsetof(struct cm_child, f)

/* What the child record needs that claims do not carry; the limits of POST /api/children. */
static const struct cm_json_field enrol_fields[] = {
    {"given_name", CM_JSON_STRING, CHILD(given_name), true, false, 1, 200, 0, 0},
    {"family_name", CM_JSON_STRING, CHILD(family_name), true, false, 1, 200, 0, 0},
    {"birth_date", CM_JSON_DATE, CHILD(birth_date), true, false, 0, 0, 0, 0},
    {"preferred_name", CM_JSON_STRING, CHILD(preferred_name), false, true, 1, 200, 0, 0},
    {"sex", CM_JSON_STRING, CHILD(sex), false, false, 1, 16, 0, 0},
    {"preferred_language", CM_JSON_STRING, CHILD(preferred_language), false, false, 2, 35, 0, 0},
    {"record_number", CM_JSON_STRING, CHILD(record_number), false, false, 1, 64, 0, 0},
};
enum { F_SEX = 4, F_LANGUAGE = 5, F_RECORD = 6 };

/* The child's record built from the body and the candidate, checked by the model. */
static bool
enrol_child_or_reply(struct cm_api_ctx *x, const struct cm_registry_result *cand,
                     struct cm_child *c)
{
    memset(c, 0, sizeof(*c));
    uint64_t present;
    if (!cm_api_decode_or_reply(x, enrol_fields, CM_ARRAY_LEN(enrol_fields), c, &present, false))
        return false;
    if (!CM_API_HAS(present, F_SEX))
        c->sex = "unknown";
    if (!CM_API_HAS(present, F_LANGUAGE))
        c->preferred_language = "en";
    if (!CM_API_HAS(present, F_RECORD))
        c->record_number = cand->patient_id;
    c->program_id = x->viewer.program_id;
    c->enrolled_on = x->today;
    c->tier = cand->tier > 0 ? cand->tier : 0;
    struct cm_err err = {0};
    if (cm_model_child_validate(c, x->today, &err) != CM_OK) {
        cm_api_fail(x, &err);
        return false;
    }
    return true;
}

/* Puts the creator on the new child's care team as POST /api/children does (the roles that reach
 * here are administrators and program managers: sector medical, never lead). *member gets the
 * membership's id. */
static bool
join_team_or_reply(struct cm_api_ctx *x, int64_t child_id, int64_t *member)
{
    const char *role = cm_role_name(x->viewer.role);
    struct cm_team_member t = {
        .child_id = child_id,
        .user_id = x->viewer.user_id,
        .role = role,
        .service = role,
        .sector = CM_SECTOR_MEDICAL,
        .start_date = x->today,
        .lead = CM_LEAD_NONE,
    };
    struct cm_err err = {0};
    if (cm_store_team_create(x->conn, &x->viewer, x->now, &t, &err) != CM_OK) {
        cm_api_fail(x, &err);
        return false;
    }
    *member = t.meta.id;
    return true;
}

void
cm_api_identify_candidate_enrol(struct cm_http_request *req, struct cm_http_response *res)
{
    static const char action[] = "identify.enrol";
    struct cm_api_ctx x;
    if (!cm_api_start(req, res, 0, NULL, &x) || !finder_or_reply(&x, action))
        return;
    int64_t run_id = req->params[0];
    int64_t cand_id = req->params[1];
    if (!cm_api_tx_begin_or_reply(&x))
        return;
    struct cm_registry_run run;
    if (!run_or_reply(&x, run_id, action, &run))
        return;
    struct cm_registry_result cand;
    struct cm_err err = {0};
    if (cm_store_registry_result_get(x.conn, x.viewer.program_id, run_id, cand_id, &cand, x.arena,
                                     &err) != CM_OK) {
        cm_api_fail(&x, &err);
        return;
    }
    struct cm_child c;
    if (!enrol_child_or_reply(&x, &cand, &c))
        return;
    if (cand.child_id != 0) {
        cm_api_fail_with(&x, CM_ECONFLICT, "patient_id", "is already enrolled (child %lld)",
                         (long long)cand.child_id);
        return;
    }
    if (cm_store_child_create(x.conn, &x.viewer, &c, &err) != CM_OK ||
        cm_store_registry_enrol(x.conn, &x.viewer, x.now, run_id, cand_id, c.meta.id, &err) !=
            CM_OK) {
        cm_api_fail(&x, &err);
        return;
    }
    int64_t id = c.meta.id;
    /* Analysts find children; they do not coordinate their care, so they do not join the team
     * and do not reach the child afterwards (program-wide roles do). */
    bool joins = x.viewer.role != CM_ROLE_ANALYST;
    int64_t member = 0;
    enum cm_access how = CM_ACCESS_NONE;
    if (joins) {
        if (!join_team_or_reply(&x, id, &member))
            return;
        if (cm_store_child_get(x.conn, &x.viewer, id, x.now, &c, x.arena, &err) != CM_OK ||
            cm_store_child_access(x.conn, &x.viewer, id, x.now, &how, &err) != CM_OK) {
            cm_api_fail(&x, &err);
            return;
        }
    }
    const char *detail =
        joins ? cm_arena_printf(x.arena, "run=%lld candidate=%lld team_member=%lld",
                                (long long)run_id, (long long)cand_id, (long long)member)
              : cm_arena_printf(x.arena, "run=%lld candidate=%lld", (long long)run_id,
                                (long long)cand_id);
    if (detail == NULL) {
        cm_api_tx_abort(&x);
        return; /* the server answers 413 */
    }
    struct cm_audit_event ev;
    cm_api_event(&x, action, id, "ok", detail, &ev);
    if (!cm_api_tx_commit_or_reply(&x, &ev))
        return;
    json_t *body = cm_api_child_json(&c, how, x.today);
    if (body != NULL && how == CM_ACCESS_NONE)
        json_object_set_new(body, "access", json_null());
    cm_api_location(&x, "/api/children/%lld", (long long)id);
    cm_api_etag(&x, c.meta.version);
    cm_api_reply(&x, 201, body);
}

/* ---- comparing ------------------------------------------------------------------------------- */

static const char *const compare_query[] = {"with", "category", "limit", "offset", NULL};

void
cm_api_identify_compare(struct cm_http_request *req, struct cm_http_response *res)
{
    static const char action[] = "identify.compare.read";
    struct cm_api_ctx x;
    if (!cm_api_start(req, res, 0, compare_query, &x) || !finder_or_reply(&x, action))
        return;
    int64_t run_id = req->params[0];
    struct cm_registry_run run;
    if (!run_or_reply(&x, run_id, action, &run))
        return;
    struct cm_err err = {0};
    int64_t with = 0;
    const char *s = cm_http_query(req, "with");
    if (s == NULL) {
        cm_api_fail_with(&x, CM_EINVAL, "with", "is required: the id of the run to compare with");
        return;
    }
    if (cm_api_id_parse(s, &with, "with", &err) != CM_OK) {
        cm_api_fail(&x, &err);
        return;
    }
    if (with == run_id) {
        cm_api_fail_with(&x, CM_EINVAL, "with", "must be another run than this one");
        return;
    }
    enum cm_registry_change category = CM_REGISTRY_NEW;
    if ((s = cm_http_query(req, "category")) != NULL) {
        int found = -1;
        for (int i = 0; i < CM_REGISTRY_CHANGES; i++) {
            if (strcmp(s, cm_store_registry_change_name((enum cm_registry_change)i)) == 0)
                found = i;
        }
        if (found < 0) {
            cm_api_fail_with(&x, CM_EINVAL, "category", "must be new, changed or dropped");
            return;
        }
        category = (enum cm_registry_change)found;
    }
    int limit, offset;
    struct cm_registry_compare cmp;
    if (paging(&x, &limit, &offset, &err) != CM_OK) {
        cm_api_fail(&x, &err);
        return;
    }
    enum cm_code rc = cm_store_registry_compare(x.conn, x.viewer.program_id, run_id, with, category,
                                                limit, offset, &cmp, x.arena, &err);
    if (rc == CM_ENOTFOUND && strcmp(err.field, "with") == 0) {
        deny_run(&x, action, with, "with");
        return;
    }
    if (rc != CM_OK) {
        cm_api_fail(&x, &err);
        return;
    }
    json_t *o = json_object();
    json_t *items = json_array();
    json_t *counts = json_object();
    if (o == NULL || items == NULL || counts == NULL) {
        json_decref(o);
        json_decref(items);
        json_decref(counts);
        cm_api_reply(&x, 500, NULL);
        return;
    }
    for (int i = 0; i < CM_REGISTRY_CHANGES; i++)
        json_object_set_new(counts, cm_store_registry_change_name((enum cm_registry_change)i),
                            json_integer(cmp.counts[i]));
    for (size_t i = 0; i < cmp.count; i++)
        json_array_append_new(items, compare_item_json(&cmp.items[i]));
    json_object_set_new(o, "run_id", json_integer(run_id));
    json_object_set_new(o, "with", json_integer(with));
    json_object_set_new(o, "counts", counts);
    json_object_set_new(o, "category", json_string(cm_store_registry_change_name(category)));
    json_object_set_new(o, "items", items);
    json_object_set_new(o, "total", json_integer(cmp.counts[category]));
    json_object_set_new(o, "limit", json_integer(limit));
    json_object_set_new(o, "offset", json_integer(offset));
    const char *detail =
        cm_arena_printf(x.arena, "run=%lld with=%lld category=%s count=%zu", (long long)run_id,
                        (long long)with, cm_store_registry_change_name(category), cmp.count);
    if (detail == NULL) {
        json_decref(o);
        return; /* the server answers 413 */
    }
    cm_api_reply(&x, 200, o);
    struct cm_audit_event ev;
    cm_api_event(&x, action, 0, "ok", detail, &ev);
    cm_api_audit_send(&x, &ev);
}
