/*
 * The shared plan of care as a whole: GET /api/children/{id}/plan (the working document and where
 * the plan stands), versions (GET|POST .../plan/versions, GET .../plan/versions/{n}), the diff of
 * two documents (GET .../plan/diff) and family reviews (GET .../plan/reviews,
 * POST .../plan/versions/{n}/reviews). docs/plan.md gives the rules: versions are immutable, an
 * unchanged plan is not frozen twice, and a plan is current while a family review (agree or
 * comment) is younger than plan_review_interval_months.
 */
#include "api/api_int.h"

#include <stddef.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

/* ---- JSON kept on the request's arena -------------------------------------------------------- */

static void
decref_cb(void *p)
{
    json_decref(p);
}

json_t *
cm_api_json_keep(struct cm_api_ctx *x, json_t *j)
{
    if (j == NULL)
        return NULL;
    if (cm_arena_defer(x->arena, decref_cb, j) != CM_OK) {
        json_decref(j);
        return NULL;
    }
    return j;
}

json_t *
cm_api_json_load_kept(struct cm_api_ctx *x, const char *text)
{
    if (text == NULL)
        return NULL;
    return cm_api_json_keep(x, json_loads(text, JSON_REJECT_DUPLICATES, NULL));
}

bool
cm_api_plan_doc_or_reply(struct cm_api_ctx *x, int64_t child_id, int64_t number, const char *field,
                         json_t **doc, struct cm_plan_version *pv)
{
    memset(pv, 0, sizeof(*pv));
    *doc = NULL;
    struct cm_err err = {0};
    if (number == 0) {
        json_t *d = NULL;
        if (cm_plan_document(x->conn, &x->viewer, child_id, x->now, &d, x->arena, &err) != CM_OK) {
            cm_api_fail(x, &err);
            return false;
        }
        *doc = cm_api_json_keep(x, d);
        if (*doc == NULL) {
            cm_api_fail_with(x, CM_ENOMEM, "", "out of memory");
            return false;
        }
        return true;
    }
    enum cm_code rc = cm_store_plan_version_get(x->conn, &x->viewer, child_id, number, x->now, pv,
                                                x->arena, &err);
    if (rc == CM_ENOTFOUND) {
        cm_api_fail_with(x, CM_ENOTFOUND, field, "no such version");
        return false;
    }
    if (rc != CM_OK) {
        cm_api_fail(x, &err);
        return false;
    }
    *doc = cm_api_json_load_kept(x, pv->content);
    if (*doc == NULL) {
        cm_api_fail_with(x, CM_EINTERNAL, "", "a stored version is not JSON");
        return false;
    }
    return true;
}

/* ---- serialisers ----------------------------------------------------------------------------- */

static json_t *
person_json(int64_t id, const char *name, const char *role)
{
    json_t *o = json_object();
    if (o == NULL)
        return NULL;
    json_object_set_new(o, "id", cm_api_jid(id));
    json_object_set_new(o, "name", cm_api_jstr(name));
    if (role != NULL)
        json_object_set_new(o, "role", cm_api_jstr(role));
    return o;
}

/* A version without its content and reviews (the list's shape). */
static json_t *
version_json(const struct cm_plan_version *pv)
{
    json_t *o = json_object();
    if (o == NULL)
        return NULL;
    json_object_set_new(o, "number", json_integer(pv->number));
    json_object_set_new(o, "created_at", cm_api_jtime(pv->created_at));
    json_object_set_new(o, "created_by", person_json(pv->created_by, pv->created_by_name, NULL));
    json_object_set_new(o, "note", cm_api_jstr(pv->note));
    json_object_set_new(o, "content_sha256", cm_api_jstr(pv->content_sha256));
    return o;
}

/* The role name of the user who wrote a review (staff in person, or the family). */
static const char *
author_role(struct cm_api_ctx *x, int64_t user_id)
{
    if (user_id == x->viewer.user_id)
        return cm_role_name(x->viewer.role);
    struct cm_user u;
    struct cm_err err = {0};
    if (cm_store_user_get(x->conn, user_id, &u, x->arena, &err) != CM_OK)
        return NULL;
    return cm_role_name(u.role);
}

static json_t *
review_json(struct cm_api_ctx *x, const struct cm_plan_review *r)
{
    json_t *o = json_object();
    if (o == NULL)
        return NULL;
    json_object_set_new(o, "id", json_integer(r->id));
    json_object_set_new(o, "version", json_integer(r->version_number));
    json_object_set_new(o, "decision", cm_api_jstr(r->decision));
    json_object_set_new(o, "comment", cm_api_jstr(r->comment));
    json_object_set_new(o, "in_person", json_boolean(r->in_person));
    json_object_set_new(o, "created_at", cm_api_jtime(r->created_at));
    json_object_set_new(
        o, "created_by",
        person_json(r->created_by, r->created_by_name, author_role(x, r->created_by)));
    return o;
}

static json_t *
reviews_json(struct cm_api_ctx *x, const struct cm_plan_review_list *list)
{
    json_t *a = json_array();
    for (size_t i = 0; a != NULL && i < list->count; i++)
        json_array_append_new(a, review_json(x, &list->items[i]));
    return a;
}

/* ---- GET /api/children/{id}/plan ------------------------------------------------------------- */

/* Where the plan stands, with changed_since_latest: would freezing now make a new version? */
static json_t *
state_json(struct cm_api_ctx *x, const struct cm_plan_state *st, bool changed)
{
    int interval = x->app->cfg->plan_review_interval_months;
    enum cm_plan_status s =
        cm_plan_status_of(st->latest_version, st->reviewed_at, x->now, interval);
    json_t *o = json_object();
    if (o == NULL)
        return NULL;
    json_object_set_new(o, "status", json_string(cm_plan_status_name(s)));
    json_object_set_new(o, "latest_version", json_integer(st->latest_version));
    json_object_set_new(o, "latest_version_at", cm_api_jtime(st->latest_version_at));
    json_object_set_new(o, "reviewed_at", cm_api_jtime(st->reviewed_at));
    json_object_set_new(o, "reviewed_version",
                        st->reviewed_at != 0 ? json_integer(st->reviewed_version) : json_null());
    json_object_set_new(o, "open_requests", json_integer(st->open_requests));
    json_object_set_new(o, "review_interval_months", json_integer(interval));
    json_t *due = json_null();
    if (st->reviewed_at != 0) {
        char date[11];
        cm_date_of(cm_plan_review_due(st->reviewed_at, interval), date);
        due = json_string(date);
    }
    json_object_set_new(o, "review_due_on", due);
    json_object_set_new(o, "changed_since_latest", json_boolean(changed));
    return o;
}

/* Is the working document different from the latest version's content (true when there is no
 * version: freezing would make the first)? *latest gets the latest number (0: none). */
static bool
changed_or_reply(struct cm_api_ctx *x, int64_t child_id, const json_t *doc, bool *changed,
                 int64_t *latest)
{
    struct cm_plan_version pv;
    struct cm_err err = {0};
    enum cm_code rc =
        cm_store_plan_version_get(x->conn, &x->viewer, child_id, 0, x->now, &pv, x->arena, &err);
    *latest = 0;
    *changed = true;
    if (rc == CM_ENOTFOUND)
        return true;
    if (rc != CM_OK) {
        cm_api_fail(x, &err);
        return false;
    }
    json_t *content = cm_api_json_load_kept(x, pv.content);
    if (content == NULL) {
        cm_api_fail_with(x, CM_EINTERNAL, "", "a stored version is not JSON");
        return false;
    }
    *latest = pv.number;
    /* Documents are compared as JSON values, not bytes, so a change in how one is printed does
     * not read as a change of the plan. */
    *changed = !json_equal(content, (json_t *)doc);
    return true;
}

void
cm_api_plan_get(struct cm_http_request *req, struct cm_http_response *res)
{
    struct cm_api_ctx x;
    if (!cm_api_start(req, res, 0, NULL, &x))
        return;
    int64_t child_id = req->params[0];
    enum cm_access how;
    json_t *doc;
    struct cm_plan_version none;
    if (!cm_api_child_or_reply(&x, child_id, "plan.read", false, &how) ||
        !cm_api_plan_doc_or_reply(&x, child_id, 0, "", &doc, &none))
        return;
    struct cm_plan_state st;
    struct cm_err err = {0};
    if (cm_store_plan_state(x.conn, &x.viewer, child_id, x.now, &st, &err) != CM_OK) {
        cm_api_fail(&x, &err);
        return;
    }
    bool changed;
    int64_t latest;
    if (!changed_or_reply(&x, child_id, doc, &changed, &latest))
        return;
    json_t *o = json_object();
    if (o != NULL) {
        json_object_set(o, "document", doc);
        json_object_set_new(o, "state", state_json(&x, &st, changed));
    }
    cm_api_reply(&x, 200, o);
    cm_api_audit_read(&x, "plan.read", child_id, how, "document=working");
}

/* ---- versions -------------------------------------------------------------------------------- */

struct version_in {
    const char *note;
};

static const struct cm_json_field version_fields[] = {
    {"note", CM_JSON_STRING, offsetof(struct version_in, note), false, true, 1, 500, 0, 0},
};

void
cm_api_plan_version_create(struct cm_http_request *req, struct cm_http_response *res)
{
    struct cm_api_ctx x;
    if (!cm_api_start(req, res, 0, NULL, &x))
        return;
    int64_t child_id = req->params[0];
    enum cm_access how;
    if (!cm_api_child_or_reply(&x, child_id, "plan.version.create", true, &how))
        return;
    struct version_in in = {0};
    uint64_t present;
    if (!cm_api_decode_or_reply(&x, version_fields, CM_ARRAY_LEN(version_fields), &in, &present,
                                true))
        return;

    /* The document is assembled inside the write transaction, so what is frozen is exactly the
     * plan at the moment of the freeze. */
    json_t *doc;
    struct cm_plan_version none;
    bool changed;
    int64_t latest;
    if (!cm_api_tx_begin_or_reply(&x) ||
        !cm_api_plan_doc_or_reply(&x, child_id, 0, "", &doc, &none) ||
        !changed_or_reply(&x, child_id, doc, &changed, &latest))
        return;
    if (!changed) {
        cm_api_fail_with(&x, CM_ECONFLICT, "", "nothing has changed since version %lld",
                         (long long)latest);
        return;
    }
    char *text = json_dumps(doc, JSON_COMPACT);
    const char *content = text != NULL ? cm_arena_strdup(x.arena, text) : NULL;
    free(text);
    if (content == NULL) {
        cm_api_fail_with(&x, CM_ENOMEM, "", "out of memory");
        return;
    }
    struct cm_plan_version pv = {.child_id = child_id, .note = in.note, .content = content};
    struct cm_err err = {0};
    if (cm_store_plan_version_create(x.conn, &x.viewer, x.now, &pv, &err) != CM_OK) {
        cm_api_fail(&x, &err);
        return;
    }
    pv.created_by_name = x.user.display_name;
    char detail[48];
    snprintf(detail, sizeof(detail), "version=%lld", (long long)pv.number);
    struct cm_audit_event ev;
    cm_api_child_event(&x, "plan.version.create", child_id, how, detail, &ev);
    if (!cm_api_tx_commit_or_reply(&x, &ev))
        return;
    json_t *o = version_json(&pv);
    if (o != NULL) {
        json_object_set(o, "content", doc);
        json_object_set_new(o, "reviews", json_array());
    }
    cm_api_location(&x, "/api/children/%lld/plan/versions/%lld", (long long)child_id,
                    (long long)pv.number);
    cm_api_reply(&x, 201, o);
}

void
cm_api_plan_versions_list(struct cm_http_request *req, struct cm_http_response *res)
{
    struct cm_api_ctx x;
    if (!cm_api_start(req, res, 0, NULL, &x))
        return;
    int64_t child_id = req->params[0];
    enum cm_access how;
    if (!cm_api_child_or_reply(&x, child_id, "plan.read", false, &how))
        return;
    struct cm_plan_version_list versions;
    struct cm_plan_review_list reviews;
    struct cm_err err = {0};
    if (cm_store_plan_version_list(x.conn, &x.viewer, child_id, x.now, &versions, x.arena, &err) !=
            CM_OK ||
        cm_store_plan_review_list(x.conn, &x.viewer, child_id, 0, x.now, &reviews, x.arena, &err) !=
            CM_OK) {
        cm_api_fail(&x, &err);
        return;
    }
    /* Newest first, so the first is the latest: only its change requests are still open (a newer
     * version answers the older ones). */
    int64_t latest = versions.count > 0 ? versions.items[0].number : 0;
    json_t *items = json_array();
    for (size_t i = 0; items != NULL && i < versions.count; i++) {
        const struct cm_plan_version *pv = &versions.items[i];
        int64_t count = 0, open = 0;
        for (size_t k = 0; k < reviews.count; k++) {
            if (reviews.items[k].version_number != pv->number)
                continue;
            count++;
            if (pv->number == latest && reviews.items[k].decision != NULL &&
                strcmp(reviews.items[k].decision, "change_requested") == 0)
                open++;
        }
        json_t *o = version_json(pv);
        if (o != NULL) {
            json_object_set_new(o, "review_count", json_integer(count));
            json_object_set_new(o, "open_requests", json_integer(open));
        }
        json_array_append_new(items, o);
    }
    cm_api_reply(&x, 200,
                 cm_api_list_json(items, (int64_t)versions.count, (int64_t)versions.count, 0));
    cm_api_audit_read(&x, "plan.read", child_id, how, "versions");
}

void
cm_api_plan_version_get(struct cm_http_request *req, struct cm_http_response *res)
{
    struct cm_api_ctx x;
    if (!cm_api_start(req, res, 0, NULL, &x))
        return;
    int64_t child_id = req->params[0];
    int64_t number = req->params[1];
    enum cm_access how;
    json_t *doc;
    struct cm_plan_version pv;
    if (!cm_api_child_or_reply(&x, child_id, "plan.read", false, &how) ||
        !cm_api_plan_doc_or_reply(&x, child_id, number, "", &doc, &pv))
        return;
    struct cm_plan_review_list reviews;
    struct cm_err err = {0};
    if (cm_store_plan_review_list(x.conn, &x.viewer, child_id, number, x.now, &reviews, x.arena,
                                  &err) != CM_OK) {
        cm_api_fail(&x, &err);
        return;
    }
    json_t *o = version_json(&pv);
    if (o != NULL) {
        json_object_set(o, "content", doc);
        json_object_set_new(o, "reviews", reviews_json(&x, &reviews));
    }
    cm_api_reply(&x, 200, o);
    char detail[48];
    snprintf(detail, sizeof(detail), "version=%lld", (long long)number);
    cm_api_audit_read(&x, "plan.read", child_id, how, detail);
}

/* ---- the diff -------------------------------------------------------------------------------- */

static const char *const diff_query[] = {"from", "to", NULL};

void
cm_api_plan_diff(struct cm_http_request *req, struct cm_http_response *res)
{
    struct cm_api_ctx x;
    if (!cm_api_start(req, res, 0, diff_query, &x))
        return;
    int64_t child_id = req->params[0];
    int64_t from = 0, to = 0;
    struct cm_err err = {0};
    const char *s = cm_http_query(req, "from");
    if (s == NULL) {
        cm_api_fail_with(&x, CM_EINVAL, "from", "is required: the version to compare from");
        return;
    }
    if (cm_api_int_parse(s, 1, INT32_MAX, &from, "from", &err) != CM_OK) {
        cm_api_fail(&x, &err);
        return;
    }
    /* No "to" (or 0, as for the PDFs): the working plan. */
    if ((s = cm_http_query(req, "to")) != NULL &&
        cm_api_int_parse(s, 0, INT32_MAX, &to, "to", &err) != CM_OK) {
        cm_api_fail(&x, &err);
        return;
    }
    enum cm_access how;
    json_t *a, *b;
    struct cm_plan_version pa, pb;
    if (!cm_api_child_or_reply(&x, child_id, "plan.read", false, &how) ||
        !cm_api_plan_doc_or_reply(&x, child_id, from, "from", &a, &pa) ||
        !cm_api_plan_doc_or_reply(&x, child_id, to, "to", &b, &pb))
        return;
    json_t *diff = cm_api_json_keep(&x, cm_plan_diff(a, b));
    json_t *changes = json_object_get(diff, "changes");
    if (!json_is_array(changes)) {
        cm_api_fail_with(&x, CM_ENOMEM, "", "out of memory");
        return;
    }
    json_t *o = json_object();
    if (o != NULL) {
        json_object_set_new(o, "from", json_integer(from));
        json_object_set_new(o, "to", to != 0 ? json_integer(to) : json_null());
        json_object_set(o, "changes", changes);
    }
    cm_api_reply(&x, 200, o);
    char detail[64];
    if (to != 0)
        snprintf(detail, sizeof(detail), "diff from=%lld to=%lld", (long long)from, (long long)to);
    else
        snprintf(detail, sizeof(detail), "diff from=%lld to=working", (long long)from);
    cm_api_audit_read(&x, "plan.read", child_id, how, detail);
}

/* ---- reviews --------------------------------------------------------------------------------- */

void
cm_api_plan_reviews_list(struct cm_http_request *req, struct cm_http_response *res)
{
    struct cm_api_ctx x;
    if (!cm_api_start(req, res, 0, NULL, &x))
        return;
    int64_t child_id = req->params[0];
    enum cm_access how;
    if (!cm_api_child_or_reply(&x, child_id, "plan.read", false, &how))
        return;
    struct cm_plan_review_list list;
    struct cm_err err = {0};
    if (cm_store_plan_review_list(x.conn, &x.viewer, child_id, 0, x.now, &list, x.arena, &err) !=
        CM_OK) {
        cm_api_fail(&x, &err);
        return;
    }
    cm_api_reply(
        &x, 200,
        cm_api_list_json(reviews_json(&x, &list), (int64_t)list.count, (int64_t)list.count, 0));
    cm_api_audit_read(&x, "plan.read", child_id, how, "reviews");
}

struct review_in {
    const char *decision;
    const char *comment;
    bool in_person;
};

static const struct cm_json_field review_fields[] = {
    {"decision", CM_JSON_STRING, offsetof(struct review_in, decision), true, false, 1, 32, 0, 0},
    {"comment", CM_JSON_STRING, offsetof(struct review_in, comment), false, true, 1, 2000, 0, 0},
    {"in_person", CM_JSON_BOOL, offsetof(struct review_in, in_person), false, false, 0, 0, 0, 0},
};

static const char *const decisions[] = {"agree", "comment", "change_requested"};

void
cm_api_plan_review_create(struct cm_http_request *req, struct cm_http_response *res)
{
    struct cm_api_ctx x;
    if (!cm_api_start(req, res, 0, NULL, &x))
        return;
    int64_t child_id = req->params[0];
    int64_t number = req->params[1];
    static const char action[] = "plan.review.create";
    /* Reviews are the one write a family makes: reach the child as a reader, then decide by
     * role here. The read snapshot the check opened ends before the write transaction. */
    enum cm_access how;
    if (!cm_api_child_or_reply(&x, child_id, action, false, &how))
        return;
    cm_api_tx_abort(&x);
    bool family = x.viewer.role == CM_ROLE_FAMILY;
    if (family ? how != CM_ACCESS_FAMILY : !cm_access_may_write_child(&x.viewer, how)) {
        cm_api_deny(&x, action, child_id, false,
                    "this account may read this child's plan but not record a review");
        return;
    }
    struct review_in in = {0};
    uint64_t present;
    if (!cm_api_decode_or_reply(&x, review_fields, CM_ARRAY_LEN(review_fields), &in, &present,
                                false))
        return;
    const char *decision = NULL;
    for (size_t i = 0; i < CM_ARRAY_LEN(decisions); i++) {
        if (strcmp(in.decision, decisions[i]) == 0)
            decision = decisions[i];
    }
    if (decision == NULL) {
        cm_api_fail_with(&x, CM_EINVAL, "decision",
                         "must be one of: agree, comment, change_requested");
        return;
    }
    if (in.comment == NULL && strcmp(decision, "agree") != 0) {
        cm_api_fail_with(&x, CM_EINVAL, "comment", "is required unless the decision is agree");
        return;
    }
    if (family && in.in_person) {
        cm_api_fail_with(&x, CM_EINVAL, "in_person",
                         "is for staff recording a review done with the family: leave it out");
        return;
    }
    if (!family && !in.in_person) {
        cm_api_fail_with(&x, CM_EINVAL, "in_person",
                         "must be true: staff record a review done with the family in person or "
                         "by phone");
        return;
    }

    if (!cm_api_tx_begin_or_reply(&x))
        return;
    struct cm_plan_review r = {
        .child_id = child_id,
        .version_number = number,
        .decision = decision,
        .comment = in.comment,
        .in_person = in.in_person,
    };
    struct cm_err err = {0};
    enum cm_code rc = cm_store_plan_review_create(x.conn, &x.viewer, x.now, &r, &err);
    if (rc == CM_ENOTFOUND) {
        cm_api_fail_with(&x, CM_ENOTFOUND, "", "no such version");
        return;
    }
    if (rc != CM_OK) {
        cm_api_fail(&x, &err);
        return;
    }
    r.created_by_name = x.user.display_name;
    char detail[64];
    snprintf(detail, sizeof(detail), "version=%lld review=%lld", (long long)number,
             (long long)r.id);
    struct cm_audit_event ev;
    cm_api_child_event(&x, action, child_id, how, detail, &ev);
    if (!cm_api_tx_commit_or_reply(&x, &ev))
        return;
    cm_api_reply(&x, 201, review_json(&x, &r));
}
