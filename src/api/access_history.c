/*
 * Who looked: GET /api/children/{id}/access (the child's audit events, newest first), and
 * break-glass: POST /api/children/{id}/break-glass (a clinician's time-limited emergency access)
 * and GET /api/break-glass (the review list for administrators and program managers).
 */
#include "api/api_int.h"

#include <stddef.h>
#include <stdio.h>

static const char *const history_query[] = {"limit", "offset", NULL};
static const char *const review_query[] = {"since", NULL};

struct bg_in {
    const char *reason;
};
static const struct cm_json_field bg_fields[] = {
    {"reason", CM_JSON_STRING, offsetof(struct bg_in, reason), true, false, 10, 500, 0, 0},
};

static json_t *
event_json(const struct cm_audit_event *e)
{
    json_t *o = json_object();
    if (o == NULL)
        return NULL;
    const char *role = cm_role_name(e->role);
    json_object_set_new(o, "id", json_integer(e->id));
    json_object_set_new(o, "at", cm_api_jtime(e->at));
    json_object_set_new(o, "user_id", cm_api_jid(e->user_id));
    json_object_set_new(o, "user_name", cm_api_jstr(e->user_name));
    json_object_set_new(o, "role", role[0] != '\0' ? json_string(role) : json_null());
    json_object_set_new(o, "action", cm_api_jstr(e->action));
    json_object_set_new(o, "outcome", cm_api_jstr(e->outcome));
    json_object_set_new(o, "break_glass", json_boolean(e->break_glass));
    json_object_set_new(o, "request_id", cm_api_jstr(e->request_id));
    return o;
}

void
cm_api_access_history_list(struct cm_http_request *req, struct cm_http_response *res)
{
    struct cm_api_ctx x;
    if (!cm_api_start(req, res, 0, history_query, &x))
        return;
    int64_t child_id = req->params[0];
    int64_t limit = 50, offset = 0;
    struct cm_err err = {0};
    const char *s;
    if (((s = cm_http_query(req, "limit")) != NULL &&
         cm_api_int_parse(s, 1, 200, &limit, "limit", &err) != CM_OK) ||
        ((s = cm_http_query(req, "offset")) != NULL &&
         cm_api_int_parse(s, 0, 1000000000, &offset, "offset", &err) != CM_OK)) {
        cm_api_fail(&x, &err);
        return;
    }
    enum cm_access how;
    if (!cm_api_child_or_reply(&x, child_id, "access.read", false, &how))
        return;
    bool may = false;
    if (cm_access_may_read_history(x.conn, &x.viewer, child_id, x.now, &may, &err) != CM_OK) {
        cm_api_fail(&x, &err);
        return;
    }
    if (!may) {
        cm_api_deny(&x, "access.read", child_id, false,
                    "only administrators, program managers and the child's lead or backup "
                    "coordinator see the access history");
        return;
    }
    struct cm_audit_list list;
    int64_t total = 0;
    if (cm_store_audit_list(x.conn, child_id, (int)limit, (int)offset, &list, x.arena, &err) !=
            CM_OK ||
        cm_store_audit_count(x.conn, child_id, &total, &err) != CM_OK) {
        cm_api_fail(&x, &err);
        return;
    }
    json_t *items = json_array();
    for (size_t i = 0; items != NULL && i < list.count; i++)
        json_array_append_new(items, event_json(&list.items[i]));
    cm_api_reply(&x, 200, cm_api_list_json(items, total, limit, offset));
    /* Recorded in the trail but not under the child: otherwise every look at the history would
     * add to it and shift the pages being read. */
    char detail[48];
    snprintf(detail, sizeof(detail), "child=%lld", (long long)child_id);
    struct cm_audit_event ev;
    cm_api_child_event(&x, "access.read", 0, how, detail, &ev);
    cm_api_audit_send(&x, &ev);
}

void
cm_api_break_glass_create(struct cm_http_request *req, struct cm_http_response *res)
{
    struct cm_api_ctx x;
    if (!cm_api_start(req, res, 0, NULL, &x))
        return;
    int64_t child_id = req->params[0];
    if (!cm_role_may_break_glass(x.viewer.role)) {
        cm_api_deny(&x, "break_glass.create", child_id, false,
                    "only clinicians may use break-glass access");
        return;
    }
    struct bg_in in = {0};
    uint64_t present;
    if (!cm_api_decode_or_reply(&x, bg_fields, CM_ARRAY_LEN(bg_fields), &in, &present, false))
        return;
    struct cm_break_glass b = {
        .user_id = x.viewer.user_id,
        .child_id = child_id,
        .reason = in.reason,
        .expires_at = x.now + (int64_t)x.app->cfg->break_glass_min * 60,
    };
    struct cm_err err = {0};
    if (cm_model_break_glass_validate(&b, &err) != CM_OK) {
        cm_api_fail(&x, &err);
        return;
    }
    if (!cm_api_tx_begin_or_reply(&x))
        return;
    enum cm_code rc = cm_store_break_glass_create(x.conn, &x.viewer, &b, &err);
    if (rc == CM_ENOTFOUND) {
        /* Not a child of this program: denied, and indistinguishable from a missing child. */
        cm_api_deny(&x, "break_glass.create", child_id, true, NULL);
        return;
    }
    if (rc != CM_OK) {
        cm_api_fail(&x, &err);
        return;
    }
    char detail[48];
    snprintf(detail, sizeof(detail), "grant=%lld", (long long)b.meta.id);
    struct cm_audit_event ev;
    cm_api_event(&x, "break_glass.create", child_id, "ok", detail, &ev);
    ev.break_glass = true;
    if (!cm_api_tx_commit_or_reply(&x, &ev))
        return;
    json_t *j = json_object();
    if (j != NULL) {
        json_object_set_new(j, "id", json_integer(b.meta.id));
        json_object_set_new(j, "child_id", json_integer(child_id));
        json_object_set_new(j, "expires_at", cm_api_jtime(b.expires_at));
        json_object_set_new(j, "reason", cm_api_jstr(b.reason));
    }
    cm_api_reply(&x, 201, j);
}

void
cm_api_break_glass_list(struct cm_http_request *req, struct cm_http_response *res)
{
    struct cm_api_ctx x;
    if (!cm_api_start(req, res, 0, review_query, &x))
        return;
    if (!cm_role_is_program_wide(x.viewer.role)) {
        cm_api_deny(&x, "break_glass.list", 0, false,
                    "only administrators and program managers review break-glass access");
        return;
    }
    int64_t since = x.now - 30 * 86400;
    struct cm_err err = {0};
    const char *s = cm_http_query(req, "since");
    if (s != NULL && cm_date_parse(s, &since, "since", &err) != CM_OK) {
        cm_api_fail(&x, &err);
        return;
    }
    struct cm_break_glass_list list;
    if (cm_store_break_glass_list(x.conn, x.viewer.program_id, since, &list, x.arena, &err) !=
        CM_OK) {
        cm_api_fail(&x, &err);
        return;
    }
    json_t *items = json_array();
    for (size_t i = 0; items != NULL && i < list.count; i++) {
        const struct cm_break_glass *b = &list.items[i];
        json_t *o = json_object();
        if (o == NULL)
            continue;
        json_object_set_new(o, "id", json_integer(b->meta.id));
        json_object_set_new(o, "user_id", json_integer(b->user_id));
        json_object_set_new(o, "user_name", cm_api_jstr(b->user_name));
        json_object_set_new(o, "child_id", json_integer(b->child_id));
        json_object_set_new(o, "reason", cm_api_jstr(b->reason));
        json_object_set_new(o, "created_at", cm_api_jtime(b->meta.created_at));
        json_object_set_new(o, "expires_at", cm_api_jtime(b->expires_at));
        json_array_append_new(items, o);
    }
    cm_api_reply(&x, 200, cm_api_list_json(items, (int64_t)list.count, (int64_t)list.count, 0));
    struct cm_audit_event ev;
    cm_api_event(&x, "break_glass.list", 0, "ok", NULL, &ev);
    cm_api_audit_send(&x, &ev);
}
