/*
 * The care team: GET/POST /api/children/{id}/team, GET/PATCH /api/children/{id}/team/{member},
 * POST .../team/{member}/end, and PUT /api/children/{id}/lead (the one lead coordinator and the
 * one backup, designated together in one step).
 */
#include "api/api_int.h"

#include <stddef.h>
#include <stdio.h>
#include <string.h>

/* What a client may send for a member. end_date and lead are listed so that sending them gets a
 * message pointing at the route that changes them rather than "unknown field". */
struct team_in {
    int64_t user_id;
    const char *name;
    const char *role;
    const char *service;
    const char *sector;
    int64_t organization_id;
    const char *phone;
    const char *email;
    const char *start_date;
    const char *end_date;
    const char *lead;
};

#define TEAM(f) offsetof(struct team_in, f)

static const struct cm_json_field team_fields[] = {
    {"user_id", CM_JSON_INT64, TEAM(user_id), false, true, 0, 0, 1, INT64_MAX},
    {"name", CM_JSON_STRING, TEAM(name), false, true, 1, 200, 0, 0},
    {"role", CM_JSON_STRING, TEAM(role), true, false, 1, 100, 0, 0},
    {"service", CM_JSON_STRING, TEAM(service), false, true, 1, 200, 0, 0},
    {"sector", CM_JSON_STRING, TEAM(sector), true, false, 1, 32, 0, 0},
    {"organization_id", CM_JSON_INT64, TEAM(organization_id), false, true, 0, 0, 1, INT64_MAX},
    {"phone", CM_JSON_STRING, TEAM(phone), false, true, 1, 32, 0, 0},
    {"email", CM_JSON_STRING, TEAM(email), false, true, 1, 254, 0, 0},
    {"start_date", CM_JSON_DATE, TEAM(start_date), false, false, 0, 0, 0, 0},
    {"end_date", CM_JSON_DATE, TEAM(end_date), false, true, 0, 0, 0, 0},
    {"lead", CM_JSON_STRING, TEAM(lead), false, true, 0, 16, 0, 0},
};
enum {
    F_USER_ID,
    F_NAME,
    F_ROLE,
    F_SERVICE,
    F_SECTOR,
    F_ORGANIZATION_ID,
    F_PHONE,
    F_EMAIL,
    F_START_DATE,
    F_END_DATE,
    F_LEAD,
};

struct end_in {
    const char *end_date;
};
static const struct cm_json_field end_fields[] = {
    {"end_date", CM_JSON_DATE, offsetof(struct end_in, end_date), false, false, 0, 0, 0, 0},
};

struct lead_in {
    int64_t lead_member_id;
    int64_t backup_member_id;
};
static const struct cm_json_field lead_fields[] = {
    {"lead_member_id", CM_JSON_INT64, offsetof(struct lead_in, lead_member_id), true, false, 0, 0,
     1, INT64_MAX},
    {"backup_member_id", CM_JSON_INT64, offsetof(struct lead_in, backup_member_id), false, true, 0,
     0, 1, INT64_MAX},
};

static const char *const team_query[] = {"include_ended", NULL};

static void
reply_member(struct cm_api_ctx *x, int status, const struct cm_team_member *t)
{
    cm_api_etag(x, t->meta.version);
    cm_api_reply(x, status, cm_api_team_json(t));
}

static bool
member_get_or_reply(struct cm_api_ctx *x, int64_t child_id, int64_t id, struct cm_team_member *out)
{
    struct cm_err err = {0};
    enum cm_code rc =
        cm_store_team_get(x->conn, &x->viewer, child_id, id, x->now, out, x->arena, &err);
    if (rc == CM_ENOTFOUND) {
        cm_api_fail_with(x, CM_ENOTFOUND, "", "no such care team member");
        return false;
    }
    if (rc != CM_OK) {
        cm_api_fail(x, &err);
        return false;
    }
    return true;
}

/* Active on `today`: started and not yet ended (an end date in the future is still active). */
static bool
member_active(const struct cm_team_member *t, const char *today)
{
    return (t->start_date == NULL || strcmp(t->start_date, today) <= 0) &&
           (t->end_date == NULL || strcmp(t->end_date, today) > 0);
}

/* Appends the write's event in its transaction and commits. */
static bool
audit_ok(struct cm_api_ctx *x, const char *action, int64_t child_id, enum cm_access how,
         const char *detail)
{
    struct cm_audit_event ev;
    cm_api_child_event(x, action, child_id, how, detail, &ev);
    return cm_api_tx_commit_or_reply(x, &ev);
}

static bool
read_only_or_reply(struct cm_api_ctx *x, uint64_t present, bool patch)
{
    if (CM_API_HAS(present, F_END_DATE)) {
        cm_api_fail_with(x, CM_EINVAL, "end_date",
                         "is read-only: end a membership with POST .../team/{member}/end");
        return false;
    }
    if (CM_API_HAS(present, F_LEAD)) {
        cm_api_fail_with(x, CM_EINVAL, "lead",
                         "is read-only: designate leads with PUT /api/children/{id}/lead");
        return false;
    }
    if (patch && CM_API_HAS(present, F_USER_ID)) {
        cm_api_fail_with(x, CM_EINVAL, "user_id",
                         "cannot be changed: end this membership and add a new one");
        return false;
    }
    if (patch && CM_API_HAS(present, F_START_DATE)) {
        cm_api_fail_with(x, CM_EINVAL, "start_date", "cannot be changed");
        return false;
    }
    return true;
}

/* An organisation named by a member must be one of the program's. */
static bool
organization_or_reply(struct cm_api_ctx *x, int64_t id)
{
    if (id == 0)
        return true;
    struct cm_organization o;
    struct cm_err err = {0};
    enum cm_code rc =
        cm_store_organization_get(x->conn, x->viewer.program_id, id, &o, x->arena, &err);
    if (rc == CM_ENOTFOUND) {
        cm_api_fail_with(x, CM_EINVAL, "organization_id", "no such organization");
        return false;
    }
    if (rc != CM_OK) {
        cm_api_fail(x, &err);
        return false;
    }
    return true;
}

/* A staff member must be a staff user of the viewer's program. */
static bool
staff_user_or_reply(struct cm_api_ctx *x, int64_t id)
{
    struct cm_user u;
    struct cm_err err = {0};
    enum cm_code rc = cm_store_user_get(x->conn, id, &u, x->arena, &err);
    if (rc == CM_ENOTFOUND || (rc == CM_OK && (u.program_id != x->viewer.program_id ||
                                               !cm_role_is_staff(u.role) || u.disabled))) {
        cm_api_fail_with(x, CM_EINVAL, "user_id", "no such staff user in this program");
        return false;
    }
    if (rc != CM_OK) {
        cm_api_fail(x, &err);
        return false;
    }
    return true;
}

void
cm_api_team_list(struct cm_http_request *req, struct cm_http_response *res)
{
    struct cm_api_ctx x;
    if (!cm_api_start(req, res, 0, team_query, &x))
        return;
    int64_t child_id = req->params[0];
    bool include_ended = false;
    struct cm_err err = {0};
    const char *s = cm_http_query(req, "include_ended");
    if (s != NULL && cm_api_flag_parse(s, &include_ended, "include_ended", &err) != CM_OK) {
        cm_api_fail(&x, &err);
        return;
    }
    enum cm_access how;
    if (!cm_api_child_or_reply(&x, child_id, "team.read", false, &how))
        return;
    struct cm_team_list list;
    if (cm_store_team_list(x.conn, &x.viewer, child_id, include_ended, x.now, &list, x.arena,
                           &err) != CM_OK) {
        cm_api_fail(&x, &err);
        return;
    }
    json_t *items = json_array();
    for (size_t i = 0; items != NULL && i < list.count; i++)
        json_array_append_new(items, cm_api_team_json(&list.items[i]));
    cm_api_reply(&x, 200, cm_api_list_json(items, (int64_t)list.count, (int64_t)list.count, 0));
    cm_api_audit_read(&x, "team.read", child_id, how, NULL);
}

void
cm_api_team_get(struct cm_http_request *req, struct cm_http_response *res)
{
    struct cm_api_ctx x;
    if (!cm_api_start(req, res, 0, NULL, &x))
        return;
    int64_t child_id = req->params[0];
    int64_t id = req->params[1];
    enum cm_access how;
    struct cm_team_member t;
    if (!cm_api_child_or_reply(&x, child_id, "team.read", false, &how) ||
        !member_get_or_reply(&x, child_id, id, &t))
        return;
    char detail[48];
    snprintf(detail, sizeof(detail), "member=%lld", (long long)id);
    reply_member(&x, 200, &t);
    cm_api_audit_read(&x, "team.read", child_id, how, detail);
}

void
cm_api_team_create(struct cm_http_request *req, struct cm_http_response *res)
{
    struct cm_api_ctx x;
    if (!cm_api_start(req, res, 0, NULL, &x))
        return;
    int64_t child_id = req->params[0];
    enum cm_access how;
    if (!cm_api_child_or_reply(&x, child_id, "team.create", true, &how))
        return;
    struct team_in in = {0};
    uint64_t present;
    if (!cm_api_decode_or_reply(&x, team_fields, CM_ARRAY_LEN(team_fields), &in, &present, false) ||
        !read_only_or_reply(&x, present, false))
        return;
    if (in.user_id != 0 && in.name != NULL) {
        cm_api_fail_with(&x, CM_EINVAL, "name",
                         "must be left out for a staff member: the name comes from the user");
        return;
    }
    if (in.user_id == 0 && in.name == NULL) {
        cm_api_fail_with(&x, CM_EINVAL, "name",
                         "is required for an external contact (or give the staff user_id)");
        return;
    }
    struct cm_team_member t = {
        .child_id = child_id,
        .user_id = in.user_id,
        .name = in.name,
        .role = in.role,
        .service = in.service,
        .organization_id = in.organization_id,
        .phone = in.phone,
        .email = in.email,
        .start_date = in.start_date != NULL ? in.start_date : x.today,
        .lead = CM_LEAD_NONE,
    };
    struct cm_err err = {0};
    if (cm_sector_parse(in.sector, &t.sector, "sector", &err) != CM_OK ||
        cm_model_team_member_validate(&t, &err) != CM_OK) {
        cm_api_fail(&x, &err);
        return;
    }
    if (!cm_api_tx_begin_or_reply(&x) || !organization_or_reply(&x, t.organization_id) ||
        (t.user_id != 0 && !staff_user_or_reply(&x, t.user_id)))
        return;
    if (cm_store_team_create(x.conn, &x.viewer, x.now, &t, &err) != CM_OK ||
        cm_store_team_get(x.conn, &x.viewer, child_id, t.meta.id, x.now, &t, x.arena, &err) !=
            CM_OK) {
        cm_api_fail(&x, &err);
        return;
    }
    char detail[48];
    snprintf(detail, sizeof(detail), "member=%lld", (long long)t.meta.id);
    if (!audit_ok(&x, "team.create", child_id, how, detail))
        return;
    cm_api_location(&x, "/api/children/%lld/team/%lld", (long long)child_id, (long long)t.meta.id);
    reply_member(&x, 201, &t);
}

void
cm_api_team_update(struct cm_http_request *req, struct cm_http_response *res)
{
    struct cm_api_ctx x;
    if (!cm_api_start(req, res, 0, NULL, &x))
        return;
    int64_t child_id = req->params[0];
    int64_t id = req->params[1];
    enum cm_access how;
    int64_t version;
    if (!cm_api_child_or_reply(&x, child_id, "team.update", true, &how) ||
        !cm_api_if_match_or_reply(&x, &version))
        return;
    struct cm_json_field optional[CM_ARRAY_LEN(team_fields)];
    cm_api_fields_optional(team_fields, CM_ARRAY_LEN(team_fields), optional);
    struct team_in in = {0};
    uint64_t present;
    if (!cm_api_decode_or_reply(&x, optional, CM_ARRAY_LEN(optional), &in, &present, false) ||
        !read_only_or_reply(&x, present, true))
        return;

    if (!cm_api_tx_begin_or_reply(&x))
        return;
    struct cm_team_member t;
    if (!member_get_or_reply(&x, child_id, id, &t))
        return;
    if (t.meta.version != version) {
        cm_api_fail_with(&x, CM_ESTALE, "If-Match",
                         "the care team member changed since you read it (now \"%lld\")",
                         (long long)t.meta.version);
        return;
    }
    struct cm_err err = {0};
    if (CM_API_HAS(present, F_NAME)) {
        if (t.user_id != 0) {
            cm_api_fail_with(&x, CM_EINVAL, "name",
                             "cannot be set for a staff member: the name comes from the user");
            return;
        }
        t.name = in.name;
    }
    if (CM_API_HAS(present, F_ROLE))
        t.role = in.role;
    if (CM_API_HAS(present, F_SERVICE))
        t.service = in.service;
    if (CM_API_HAS(present, F_SECTOR) &&
        cm_sector_parse(in.sector, &t.sector, "sector", &err) != CM_OK) {
        cm_api_fail(&x, &err);
        return;
    }
    if (CM_API_HAS(present, F_ORGANIZATION_ID)) {
        t.organization_id = in.organization_id;
        if (!organization_or_reply(&x, t.organization_id))
            return;
    }
    if (CM_API_HAS(present, F_PHONE))
        t.phone = in.phone;
    if (CM_API_HAS(present, F_EMAIL))
        t.email = in.email;
    if (cm_model_team_member_validate(&t, &err) != CM_OK ||
        cm_store_team_update(x.conn, &x.viewer, x.now, &t, &err) != CM_OK ||
        cm_store_team_get(x.conn, &x.viewer, child_id, id, x.now, &t, x.arena, &err) != CM_OK) {
        cm_api_fail(&x, &err);
        return;
    }
    char detail[48];
    snprintf(detail, sizeof(detail), "member=%lld", (long long)id);
    if (!audit_ok(&x, "team.update", child_id, how, detail))
        return;
    reply_member(&x, 200, &t);
}

void
cm_api_team_end(struct cm_http_request *req, struct cm_http_response *res)
{
    struct cm_api_ctx x;
    if (!cm_api_start(req, res, 0, NULL, &x))
        return;
    int64_t child_id = req->params[0];
    int64_t id = req->params[1];
    enum cm_access how;
    int64_t version;
    if (!cm_api_child_or_reply(&x, child_id, "team.end", true, &how) ||
        !cm_api_if_match_or_reply(&x, &version))
        return;
    struct end_in in = {0};
    uint64_t present;
    if (!cm_api_decode_or_reply(&x, end_fields, CM_ARRAY_LEN(end_fields), &in, &present, true))
        return;
    const char *end_date = in.end_date != NULL ? in.end_date : x.today;

    if (!cm_api_tx_begin_or_reply(&x))
        return;
    struct cm_team_member t;
    if (!member_get_or_reply(&x, child_id, id, &t))
        return;
    if (t.meta.version != version) {
        cm_api_fail_with(&x, CM_ESTALE, "If-Match",
                         "the care team member changed since you read it (now \"%lld\")",
                         (long long)t.meta.version);
        return;
    }
    if (t.end_date != NULL && strcmp(t.end_date, x.today) <= 0) {
        cm_api_fail_with(&x, CM_ECONFLICT, "end_date", "this membership has already ended");
        return;
    }
    if (t.start_date != NULL && strcmp(end_date, t.start_date) < 0) {
        cm_api_fail_with(&x, CM_EINVAL, "end_date", "must not be before start_date (%s)",
                         t.start_date);
        return;
    }
    struct cm_err err = {0};
    if (cm_store_team_end(x.conn, &x.viewer, child_id, id, version, end_date, x.now, &err) !=
        CM_OK) {
        cm_api_fail(&x, &err);
        return;
    }
    struct cm_team_member ended;
    enum cm_code rc =
        cm_store_team_get(x.conn, &x.viewer, child_id, id, x.now, &ended, x.arena, &err);
    if (rc == CM_OK) {
        t = ended;
    } else if (rc == CM_ENOTFOUND) {
        /* Staff who end their own membership no longer reach the child, so the store will not
         * show them the row: answer with what the end wrote (store: end_date, lead none,
         * version + 1). */
        t.end_date = end_date;
        t.lead = CM_LEAD_NONE;
        t.meta.version = version + 1;
        t.meta.updated_at = x.now;
        t.meta.updated_by = x.viewer.user_id;
    } else {
        cm_api_fail(&x, &err);
        return;
    }
    char detail[48];
    snprintf(detail, sizeof(detail), "member=%lld", (long long)id);
    if (!audit_ok(&x, "team.end", child_id, how, detail))
        return;
    reply_member(&x, 200, &t);
}

/* Lead and backup must be active members of this child's team: 409 otherwise (docs/api.md). */
static bool
designee_or_reply(struct cm_api_ctx *x, int64_t child_id, int64_t id, const char *field)
{
    struct cm_team_member t;
    struct cm_err err = {0};
    enum cm_code rc =
        cm_store_team_get(x->conn, &x->viewer, child_id, id, x->now, &t, x->arena, &err);
    if (rc == CM_ENOTFOUND || (rc == CM_OK && !member_active(&t, x->today))) {
        cm_api_fail_with(x, CM_ECONFLICT, field, "is not an active member of this care team");
        return false;
    }
    if (rc != CM_OK) {
        cm_api_fail(x, &err);
        return false;
    }
    return true;
}

void
cm_api_team_lead_set(struct cm_http_request *req, struct cm_http_response *res)
{
    struct cm_api_ctx x;
    if (!cm_api_start(req, res, 0, NULL, &x))
        return;
    int64_t child_id = req->params[0];
    enum cm_access how;
    int64_t version;
    if (!cm_api_child_or_reply(&x, child_id, "team.lead", true, &how) ||
        !cm_api_if_match_or_reply(&x, &version))
        return;
    struct lead_in in = {0};
    uint64_t present;
    if (!cm_api_decode_or_reply(&x, lead_fields, CM_ARRAY_LEN(lead_fields), &in, &present, false))
        return;
    if (in.backup_member_id == in.lead_member_id) {
        cm_api_fail_with(&x, CM_ECONFLICT, "backup_member_id", "must differ from lead_member_id");
        return;
    }

    if (!cm_api_tx_begin_or_reply(&x))
        return;
    struct cm_child c;
    struct cm_err err = {0};
    if (cm_store_child_get(x.conn, &x.viewer, child_id, x.now, &c, x.arena, &err) != CM_OK) {
        cm_api_fail(&x, &err);
        return;
    }
    if (c.meta.version != version) {
        cm_api_fail_with(&x, CM_ESTALE, "If-Match",
                         "the child changed since you read it (now \"%lld\")",
                         (long long)c.meta.version);
        return;
    }
    if (!designee_or_reply(&x, child_id, in.lead_member_id, "lead_member_id") ||
        (in.backup_member_id != 0 &&
         !designee_or_reply(&x, child_id, in.backup_member_id, "backup_member_id")))
        return;
    struct cm_team_list team;
    if (cm_store_team_set_lead(x.conn, &x.viewer, child_id, version, in.lead_member_id,
                               in.backup_member_id, x.now, &err) != CM_OK ||
        cm_store_child_get(x.conn, &x.viewer, child_id, x.now, &c, x.arena, &err) != CM_OK ||
        cm_store_team_list(x.conn, &x.viewer, child_id, false, x.now, &team, x.arena, &err) !=
            CM_OK) {
        cm_api_fail(&x, &err);
        return;
    }
    char detail[64];
    snprintf(detail, sizeof(detail), "lead=%lld backup=%lld", (long long)in.lead_member_id,
             (long long)in.backup_member_id);
    if (!audit_ok(&x, "team.lead", child_id, how, detail))
        return;
    json_t *members = json_array();
    for (size_t i = 0; members != NULL && i < team.count; i++)
        json_array_append_new(members, cm_api_team_json(&team.items[i]));
    json_t *j = json_object();
    if (j != NULL) {
        json_object_set_new(j, "child", cm_api_child_json(&c, how, x.today));
        json_object_set_new(j, "team", members != NULL ? members : json_array());
    } else {
        json_decref(members);
    }
    cm_api_etag(&x, c.meta.version);
    cm_api_reply(&x, 200, j);
}
