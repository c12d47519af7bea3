/*
 * The panel and the child record: GET/POST /api/children, GET/PATCH /api/children/{id}. Each
 * panel row says where the child's shared plan of care stands, and plan_due=1 keeps the children
 * whose plan is not current.
 * Enrolling a child puts its creator on the care team in the same transaction (as lead when they
 * are a nurse care coordinator), so nobody creates a child they then cannot see.
 */
#include "api/api_int.h"

#include <stddef.h>
#include <string.h>

#define CHILD(f) offsetof(struct cm_child, f)

/* The writable fields of a child, declared as data. */
static const struct cm_json_field child_fields[] = {
    {"record_number", CM_JSON_STRING, CHILD(record_number), true, false, 1, 64, 0, 0},
    {"given_name", CM_JSON_STRING, CHILD(given_name), true, false, 1, 200, 0, 0},
    {"family_name", CM_JSON_STRING, CHILD(family_name), true, false, 1, 200, 0, 0},
    {"preferred_name", CM_JSON_STRING, CHILD(preferred_name), false, true, 1, 200, 0, 0},
    {"birth_date", CM_JSON_DATE, CHILD(birth_date), true, false, 0, 0, 0, 0},
    {"sex", CM_JSON_STRING, CHILD(sex), false, false, 1, 16, 0, 0},
    {"preferred_language", CM_JSON_STRING, CHILD(preferred_language), false, false, 2, 35, 0, 0},
    {"enrolled_on", CM_JSON_DATE, CHILD(enrolled_on), false, true, 0, 0, 0, 0},
    {"disenrolled_on", CM_JSON_DATE, CHILD(disenrolled_on), false, true, 0, 0, 0, 0},
    {"tier", CM_JSON_INT, CHILD(tier), false, true, 0, 0, 1, 3},
};
enum { F_SEX = 5, F_LANGUAGE = 6 };

/* ---- the panel ------------------------------------------------------------------------------- */

static const char *const panel_query[] = {"q",    "tier",  "lead",   "mine",     "no_lead",
                                          "sort", "limit", "offset", "plan_due", NULL};
static const char *const panel_sorts[] = {"name",
                                          "-name",
                                          "tier",
                                          "-tier",
                                          "birth_date",
                                          "-birth_date",
                                          "plan_updated_at",
                                          "-plan_updated_at"};

static enum cm_code
panel_filter(const struct cm_api_ctx *x, struct cm_panel_filter *f, struct cm_err *err)
{
    const struct cm_http_request *req = x->req;
    memset(f, 0, sizeof(*f));
    f->limit = 50;
    f->sort = "name";
    int64_t v;
    const char *s = cm_http_query(req, "q");
    if (s != NULL && s[0] != '\0') {
        if (strlen(s) > 200 || !cm_utf8_valid(s, strlen(s)))
            return cm_err_set(err, CM_EINVAL, "q", "must be 1-200 characters of text");
        f->q = s;
    }
    if ((s = cm_http_query(req, "tier")) != NULL) {
        if (cm_api_int_parse(s, 1, 3, &v, "tier", err) != CM_OK)
            return CM_EINVAL;
        f->tier = (int)v;
    }
    if ((s = cm_http_query(req, "lead")) != NULL &&
        cm_api_id_parse(s, &f->lead_user_id, "lead", err) != CM_OK)
        return CM_EINVAL;
    if ((s = cm_http_query(req, "mine")) != NULL &&
        cm_api_flag_parse(s, &f->mine, "mine", err) != CM_OK)
        return CM_EINVAL;
    if ((s = cm_http_query(req, "no_lead")) != NULL &&
        cm_api_flag_parse(s, &f->no_lead, "no_lead", err) != CM_OK)
        return CM_EINVAL;
    bool plan_due = false;
    if ((s = cm_http_query(req, "plan_due")) != NULL &&
        cm_api_flag_parse(s, &plan_due, "plan_due", err) != CM_OK)
        return CM_EINVAL;
    /* Not current = no family review since the cutoff (never frozen or never reviewed included),
     * the same rule cm_plan_status_of applies to each row. */
    if (plan_due)
        f->plan_due_before =
            cm_plan_review_cutoff(x->now, x->app->cfg->plan_review_interval_months);
    if ((s = cm_http_query(req, "sort")) != NULL) {
        f->sort = NULL;
        for (size_t i = 0; i < CM_ARRAY_LEN(panel_sorts); i++) {
            if (strcmp(s, panel_sorts[i]) == 0)
                f->sort = panel_sorts[i];
        }
        if (f->sort == NULL)
            return cm_err_set(err, CM_EINVAL, "sort",
                              "must be one of name, tier, birth_date, plan_updated_at, each "
                              "optionally preceded by '-'");
    }
    if ((s = cm_http_query(req, "limit")) != NULL) {
        if (cm_api_int_parse(s, 1, 200, &v, "limit", err) != CM_OK)
            return CM_EINVAL;
        f->limit = (int)v;
    }
    if ((s = cm_http_query(req, "offset")) != NULL) {
        if (cm_api_int_parse(s, 0, 1000000000, &v, "offset", err) != CM_OK)
            return CM_EINVAL;
        f->offset = (int)v;
    }
    return CM_OK;
}

/* Where the row's shared plan of care stands (docs/api.md, the panel). */
static json_t *
panel_plan_json(const struct cm_panel_row *r, int64_t now, int interval_months)
{
    enum cm_plan_status st =
        cm_plan_status_of(r->plan_latest_version, r->plan_reviewed_at, now, interval_months);
    json_t *o = json_object();
    if (o == NULL)
        return NULL;
    json_object_set_new(o, "status", json_string(cm_plan_status_name(st)));
    json_object_set_new(o, "latest_version", json_integer(r->plan_latest_version));
    json_object_set_new(o, "reviewed_at", cm_api_jtime(r->plan_reviewed_at));
    json_object_set_new(o, "open_requests", json_integer(r->plan_open_requests));
    return o;
}

static json_t *
panel_row_json(const struct cm_api_ctx *x, const struct cm_panel_row *r)
{
    const char *today = x->today;
    const struct cm_child *c = &r->child;
    json_t *full = cm_api_child_json(c, CM_ACCESS_NONE, today);
    if (full == NULL)
        return NULL;
    /* The panel shows a subset of the child plus the team's coordinators. */
    json_t *o = json_object();
    if (o == NULL) {
        json_decref(full);
        return NULL;
    }
    static const char *const keep[] = {"id",          "record_number", "name", "given_name",
                                       "family_name", "birth_date",    "age",  "tier"};
    for (size_t i = 0; i < CM_ARRAY_LEN(keep); i++)
        json_object_set(o, keep[i], json_object_get(full, keep[i]));
    json_decref(full);
    json_t *lead = json_null();
    if (r->lead_name != NULL) {
        lead = json_object();
        json_object_set_new(lead, "name", cm_api_jstr(r->lead_name));
        json_object_set_new(lead, "user_id", cm_api_jid(r->lead_user_id));
    }
    json_t *backup = json_null();
    if (r->backup_name != NULL) {
        backup = json_object();
        json_object_set_new(backup, "name", cm_api_jstr(r->backup_name));
    }
    json_object_set_new(o, "lead_coordinator", lead);
    json_object_set_new(o, "backup_coordinator", backup);
    json_object_set_new(o, "active_team_count", json_integer(r->active_team_count));
    json_object_set_new(o, "plan_updated_at", cm_api_jtime(c->plan_updated_at));
    json_object_set_new(o, "plan",
                        panel_plan_json(r, x->now, x->app->cfg->plan_review_interval_months));
    return o;
}

void
cm_api_children_list(struct cm_http_request *req, struct cm_http_response *res)
{
    struct cm_api_ctx x;
    if (!cm_api_start(req, res, 0, panel_query, &x))
        return;
    struct cm_panel_filter f;
    struct cm_err err = {0};
    if (panel_filter(&x, &f, &err) != CM_OK) {
        cm_api_fail(&x, &err);
        return;
    }
    struct cm_panel panel;
    if (cm_store_child_panel(x.conn, &x.viewer, &f, x.now, &panel, x.arena, &err) != CM_OK) {
        cm_api_fail(&x, &err);
        return;
    }
    json_t *items = json_array();
    for (size_t i = 0; items != NULL && i < panel.count; i++)
        json_array_append_new(items, panel_row_json(&x, &panel.rows[i]));
    /* One event for the page naming the children it showed (ids only). The count comes first
     * so a list cut at the detail's cap is visibly incomplete. */
    struct cm_buf detail;
    cm_buf_init(&detail, x.arena, 2000);
    enum cm_code rc = cm_buf_printf(&detail, "count=%zu children=", panel.count);
    for (size_t i = 0; rc == CM_OK && i < panel.count; i++)
        rc = cm_buf_printf(&detail, i ? ",%lld" : "%lld", (long long)panel.rows[i].child.meta.id);
    if (detail.data == NULL || cm_arena_exhausted(x.arena)) {
        json_decref(items);
        return; /* the server answers 413 */
    }
    cm_api_reply(&x, 200, cm_api_list_json(items, panel.total, f.limit, f.offset));
    struct cm_audit_event ev;
    cm_api_event(&x, "child.list", 0, "ok", detail.data, &ev);
    cm_api_audit_send(&x, &ev);
}

/* ---- one child ------------------------------------------------------------------------------- */

/* Replies with the child, its ETag and how the viewer reaches it. */
static void
reply_child(struct cm_api_ctx *x, int status, const struct cm_child *c, enum cm_access how)
{
    cm_api_etag(x, c->meta.version);
    cm_api_reply(x, status, cm_api_child_json(c, how, x->today));
}

/* The care team sector a creator joins in: the community roles work in community services,
 * everyone else in the medical home. */
static enum cm_sector
creator_sector(enum cm_role r)
{
    switch (r) {
    case CM_ROLE_SOCIAL_WORKER:
    case CM_ROLE_FAMILY_NAVIGATOR:
    case CM_ROLE_COMMUNITY_HEALTH_WORKER:
        return CM_SECTOR_COMMUNITY;
    default:
        return CM_SECTOR_MEDICAL;
    }
}

void
cm_api_child_create(struct cm_http_request *req, struct cm_http_response *res)
{
    struct cm_api_ctx x;
    if (!cm_api_start(req, res, 0, NULL, &x))
        return;
    if (!cm_access_may_create_child(&x.viewer)) {
        cm_api_deny(&x, "child.create", 0, false, "this role may not enrol children");
        return;
    }
    struct cm_child c = {0};
    uint64_t present;
    if (!cm_api_decode_or_reply(&x, child_fields, CM_ARRAY_LEN(child_fields), &c, &present, false))
        return;
    if (!CM_API_HAS(present, F_SEX))
        c.sex = "unknown";
    if (!CM_API_HAS(present, F_LANGUAGE))
        c.preferred_language = "en";
    c.program_id = x.viewer.program_id;
    struct cm_err err = {0};
    if (cm_model_child_validate(&c, x.today, &err) != CM_OK) {
        cm_api_fail(&x, &err);
        return;
    }

    if (!cm_api_tx_begin_or_reply(&x))
        return;
    if (cm_store_child_create(x.conn, &x.viewer, &c, &err) != CM_OK) {
        cm_api_fail(&x, &err);
        return;
    }
    const char *role = cm_role_name(x.viewer.role);
    struct cm_team_member t = {
        .child_id = c.meta.id,
        .user_id = x.viewer.user_id,
        .role = role,
        .service = role,
        .sector = creator_sector(x.viewer.role),
        .start_date = x.today,
        .lead = CM_LEAD_NONE,
    };
    if (cm_store_team_create(x.conn, &x.viewer, x.now, &t, &err) != CM_OK) {
        cm_api_fail(&x, &err);
        return;
    }
    if (x.viewer.role == CM_ROLE_NURSE_CARE_COORDINATOR &&
        cm_store_team_set_lead(x.conn, &x.viewer, c.meta.id, c.meta.version, t.meta.id, 0, x.now,
                               &err) != CM_OK) {
        cm_api_fail(&x, &err);
        return;
    }
    int64_t id = c.meta.id;
    enum cm_access how = CM_ACCESS_NONE;
    if (cm_store_child_get(x.conn, &x.viewer, id, x.now, &c, x.arena, &err) != CM_OK ||
        cm_store_child_access(x.conn, &x.viewer, id, x.now, &how, &err) != CM_OK) {
        cm_api_fail(&x, &err);
        return;
    }
    char detail[48];
    snprintf(detail, sizeof(detail), "member=%lld", (long long)t.meta.id);
    struct cm_audit_event ev;
    cm_api_event(&x, "child.create", id, "ok", detail, &ev);
    if (!cm_api_tx_commit_or_reply(&x, &ev))
        return;
    cm_api_location(&x, "/api/children/%lld", (long long)id);
    reply_child(&x, 201, &c, how);
}

void
cm_api_child_get(struct cm_http_request *req, struct cm_http_response *res)
{
    struct cm_api_ctx x;
    if (!cm_api_start(req, res, 0, NULL, &x))
        return;
    int64_t id = req->params[0];
    enum cm_access how;
    if (!cm_api_child_or_reply(&x, id, "child.read", false, &how))
        return;
    struct cm_child c;
    struct cm_err err = {0};
    if (cm_store_child_get(x.conn, &x.viewer, id, x.now, &c, x.arena, &err) != CM_OK) {
        cm_api_fail(&x, &err);
        return;
    }
    reply_child(&x, 200, &c, how);
    cm_api_audit_read(&x, "child.read", id, how, NULL);
}

void
cm_api_child_update(struct cm_http_request *req, struct cm_http_response *res)
{
    struct cm_api_ctx x;
    if (!cm_api_start(req, res, 0, NULL, &x))
        return;
    int64_t id = req->params[0];
    enum cm_access how;
    int64_t version;
    if (!cm_api_child_or_reply(&x, id, "child.update", true, &how) ||
        !cm_api_if_match_or_reply(&x, &version))
        return;
    struct cm_json_field optional[CM_ARRAY_LEN(child_fields)];
    cm_api_fields_optional(child_fields, CM_ARRAY_LEN(child_fields), optional);
    struct cm_child in = {0};
    uint64_t present;
    if (!cm_api_decode_or_reply(&x, optional, CM_ARRAY_LEN(optional), &in, &present, false))
        return;

    if (!cm_api_tx_begin_or_reply(&x))
        return;
    struct cm_child c;
    struct cm_err err = {0};
    if (cm_store_child_get(x.conn, &x.viewer, id, x.now, &c, x.arena, &err) != CM_OK) {
        cm_api_fail(&x, &err);
        return;
    }
    if (c.meta.version != version) {
        cm_api_fail_with(&x, CM_ESTALE, "If-Match",
                         "the child changed since you read it (now \"%lld\")",
                         (long long)c.meta.version);
        return;
    }
    cm_api_fields_apply(child_fields, CM_ARRAY_LEN(child_fields), present, &c, &in);
    if (cm_model_child_validate(&c, x.today, &err) != CM_OK ||
        cm_store_child_update(x.conn, &x.viewer, x.now, &c, &err) != CM_OK ||
        cm_store_child_get(x.conn, &x.viewer, id, x.now, &c, x.arena, &err) != CM_OK) {
        cm_api_fail(&x, &err);
        return;
    }
    struct cm_audit_event ev;
    cm_api_child_event(&x, "child.update", id, how, NULL, &ev);
    if (!cm_api_tx_commit_or_reply(&x, &ev))
        return;
    reply_child(&x, 200, &c, how);
}
