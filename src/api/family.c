/*
 * A child's family members: GET/POST /api/children/{id}/family and GET/PATCH
 * /api/children/{id}/family/{member}. Family accounts read their own child's family; only staff
 * who reach the child change it.
 */
#include "api/api_int.h"

#include <stddef.h>
#include <stdio.h>

#define FAMILY(f) offsetof(struct cm_family_member, f)

/* The writable fields of a family member; id, version and user_id (the portal account, linked
 * through POST /api/users) are read-only. */
static const struct cm_json_field family_fields[] = {
    {"given_name", CM_JSON_STRING, FAMILY(given_name), true, false, 1, 200, 0, 0},
    {"family_name", CM_JSON_STRING, FAMILY(family_name), true, false, 1, 200, 0, 0},
    {"relationship", CM_JSON_STRING, FAMILY(relationship), true, false, 1, 32, 0, 0},
    {"is_guardian", CM_JSON_BOOL, FAMILY(is_guardian), false, false, 0, 0, 0, 0},
    {"lives_with_child", CM_JSON_BOOL, FAMILY(lives_with_child), false, false, 0, 0, 0, 0},
    {"phone", CM_JSON_STRING, FAMILY(phone), false, true, 1, 32, 0, 0},
    {"email", CM_JSON_STRING, FAMILY(email), false, true, 1, 254, 0, 0},
    {"preferred_language", CM_JSON_STRING, FAMILY(preferred_language), false, false, 2, 35, 0, 0},
};
enum { F_LANGUAGE = 7 };

static void
reply_member(struct cm_api_ctx *x, int status, const struct cm_family_member *f)
{
    cm_api_etag(x, f->meta.version);
    cm_api_reply(x, status, cm_api_family_json(f));
}

/* Reads one member of a child the viewer reaches; a member of another child is 404. */
static bool
member_get_or_reply(struct cm_api_ctx *x, int64_t child_id, int64_t id,
                    struct cm_family_member *out)
{
    struct cm_err err = {0};
    enum cm_code rc =
        cm_store_family_get(x->conn, &x->viewer, child_id, id, x->now, out, x->arena, &err);
    if (rc == CM_ENOTFOUND) {
        cm_api_fail_with(x, CM_ENOTFOUND, "", "no such family member");
        return false;
    }
    if (rc != CM_OK) {
        cm_api_fail(x, &err);
        return false;
    }
    return true;
}

void
cm_api_family_list(struct cm_http_request *req, struct cm_http_response *res)
{
    struct cm_api_ctx x;
    if (!cm_api_start(req, res, 0, NULL, &x))
        return;
    int64_t child_id = req->params[0];
    enum cm_access how;
    if (!cm_api_child_or_reply(&x, child_id, "family.read", false, &how))
        return;
    struct cm_family_list list;
    struct cm_err err = {0};
    if (cm_store_family_list(x.conn, &x.viewer, child_id, x.now, &list, x.arena, &err) != CM_OK) {
        cm_api_fail(&x, &err);
        return;
    }
    json_t *items = json_array();
    for (size_t i = 0; items != NULL && i < list.count; i++)
        json_array_append_new(items, cm_api_family_json(&list.items[i]));
    cm_api_reply(&x, 200, cm_api_list_json(items, (int64_t)list.count, (int64_t)list.count, 0));
    cm_api_audit_read(&x, "family.read", child_id, how, NULL);
}

void
cm_api_family_get(struct cm_http_request *req, struct cm_http_response *res)
{
    struct cm_api_ctx x;
    if (!cm_api_start(req, res, 0, NULL, &x))
        return;
    int64_t child_id = req->params[0];
    int64_t id = req->params[1];
    enum cm_access how;
    struct cm_family_member f;
    if (!cm_api_child_or_reply(&x, child_id, "family.read", false, &how) ||
        !member_get_or_reply(&x, child_id, id, &f))
        return;
    char detail[48];
    snprintf(detail, sizeof(detail), "member=%lld", (long long)id);
    reply_member(&x, 200, &f);
    cm_api_audit_read(&x, "family.read", child_id, how, detail);
}

void
cm_api_family_create(struct cm_http_request *req, struct cm_http_response *res)
{
    struct cm_api_ctx x;
    if (!cm_api_start(req, res, 0, NULL, &x))
        return;
    int64_t child_id = req->params[0];
    enum cm_access how;
    if (!cm_api_child_or_reply(&x, child_id, "family.create", true, &how))
        return;
    struct cm_family_member f = {0};
    uint64_t present;
    if (!cm_api_decode_or_reply(&x, family_fields, CM_ARRAY_LEN(family_fields), &f, &present,
                                false))
        return;
    f.child_id = child_id;

    if (!cm_api_tx_begin_or_reply(&x))
        return;
    struct cm_err err = {0};
    if (!CM_API_HAS(present, F_LANGUAGE)) {
        /* A family usually speaks the child's language; the coordinator can change it. */
        struct cm_child c;
        if (cm_store_child_get(x.conn, &x.viewer, child_id, x.now, &c, x.arena, &err) != CM_OK) {
            cm_api_fail(&x, &err);
            return;
        }
        f.preferred_language = c.preferred_language != NULL ? c.preferred_language : "en";
    }
    if (cm_model_family_member_validate(&f, &err) != CM_OK ||
        cm_store_family_create(x.conn, &x.viewer, x.now, &f, &err) != CM_OK ||
        cm_store_family_get(x.conn, &x.viewer, child_id, f.meta.id, x.now, &f, x.arena, &err) !=
            CM_OK) {
        cm_api_fail(&x, &err);
        return;
    }
    char detail[48];
    snprintf(detail, sizeof(detail), "member=%lld", (long long)f.meta.id);
    struct cm_audit_event ev;
    cm_api_child_event(&x, "family.create", child_id, how, detail, &ev);
    if (!cm_api_tx_commit_or_reply(&x, &ev))
        return;
    cm_api_location(&x, "/api/children/%lld/family/%lld", (long long)child_id,
                    (long long)f.meta.id);
    reply_member(&x, 201, &f);
}

void
cm_api_family_update(struct cm_http_request *req, struct cm_http_response *res)
{
    struct cm_api_ctx x;
    if (!cm_api_start(req, res, 0, NULL, &x))
        return;
    int64_t child_id = req->params[0];
    int64_t id = req->params[1];
    enum cm_access how;
    int64_t version;
    if (!cm_api_child_or_reply(&x, child_id, "family.update", true, &how) ||
        !cm_api_if_match_or_reply(&x, &version))
        return;
    struct cm_json_field optional[CM_ARRAY_LEN(family_fields)];
    cm_api_fields_optional(family_fields, CM_ARRAY_LEN(family_fields), optional);
    struct cm_family_member in = {0};
    uint64_t present;
    if (!cm_api_decode_or_reply(&x, optional, CM_ARRAY_LEN(optional), &in, &present, false))
        return;

    if (!cm_api_tx_begin_or_reply(&x))
        return;
    struct cm_family_member f;
    if (!member_get_or_reply(&x, child_id, id, &f))
        return;
    if (f.meta.version != version) {
        cm_api_fail_with(&x, CM_ESTALE, "If-Match",
                         "the family member changed since you read it (now \"%lld\")",
                         (long long)f.meta.version);
        return;
    }
    cm_api_fields_apply(family_fields, CM_ARRAY_LEN(family_fields), present, &f, &in);
    struct cm_err err = {0};
    if (cm_model_family_member_validate(&f, &err) != CM_OK ||
        cm_store_family_update(x.conn, &x.viewer, x.now, &f, &err) != CM_OK ||
        cm_store_family_get(x.conn, &x.viewer, child_id, id, x.now, &f, x.arena, &err) != CM_OK) {
        cm_api_fail(&x, &err);
        return;
    }
    char detail[48];
    snprintf(detail, sizeof(detail), "member=%lld", (long long)id);
    struct cm_audit_event ev;
    cm_api_child_event(&x, "family.update", child_id, how, detail, &ev);
    if (!cm_api_tx_commit_or_reply(&x, &ev))
        return;
    reply_member(&x, 200, &f);
}
