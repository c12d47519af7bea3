/*
 * Organisations of the program (practices, hospitals, schools, agencies, payers, suppliers):
 * GET/POST /api/organizations, GET/PATCH /api/organizations/{id}. Any staff reads; any staff but
 * analysts writes; family accounts get 403.
 */
#include "api/api_int.h"

#include <stddef.h>
#include <stdio.h>

struct org_in {
    const char *name;
    const char *type;
    const char *phone;
    const char *email;
    const char *address;
};

#define ORG(f) offsetof(struct org_in, f)

static const struct cm_json_field org_fields[] = {
    {"name", CM_JSON_STRING, ORG(name), true, false, 1, 200, 0, 0},
    {"type", CM_JSON_STRING, ORG(type), true, false, 1, 32, 0, 0},
    {"phone", CM_JSON_STRING, ORG(phone), false, true, 1, 32, 0, 0},
    {"email", CM_JSON_STRING, ORG(email), false, true, 1, 254, 0, 0},
    {"address", CM_JSON_STRING, ORG(address), false, true, 1, 500, 0, 0},
};
enum { F_NAME, F_TYPE, F_PHONE, F_EMAIL, F_ADDRESS };

static bool
may_write_or_reply(struct cm_api_ctx *x, const char *action)
{
    if (cm_role_is_staff(x->viewer.role) && x->viewer.role != CM_ROLE_ANALYST)
        return true;
    cm_api_deny(x, action, 0, false, "this role may not change organizations");
    return false;
}

static void
reply_org(struct cm_api_ctx *x, int status, const struct cm_organization *o)
{
    cm_api_etag(x, o->meta.version);
    cm_api_reply(x, status, cm_api_organization_json(o));
}

static bool
org_get_or_reply(struct cm_api_ctx *x, int64_t id, struct cm_organization *out)
{
    struct cm_err err = {0};
    enum cm_code rc =
        cm_store_organization_get(x->conn, x->viewer.program_id, id, out, x->arena, &err);
    if (rc == CM_ENOTFOUND) {
        cm_api_fail_with(x, CM_ENOTFOUND, "", "no such organization");
        return false;
    }
    if (rc != CM_OK) {
        cm_api_fail(x, &err);
        return false;
    }
    return true;
}

static bool
audit_commit(struct cm_api_ctx *x, const char *action, int64_t id)
{
    char detail[48];
    snprintf(detail, sizeof(detail), "organization=%lld", (long long)id);
    struct cm_audit_event ev;
    cm_api_event(x, action, 0, "ok", detail, &ev);
    return cm_api_tx_commit_or_reply(x, &ev);
}

void
cm_api_organizations_list(struct cm_http_request *req, struct cm_http_response *res)
{
    struct cm_api_ctx x;
    if (!cm_api_start(req, res, 0, NULL, &x) || !cm_api_staff_or_reply(&x, "organization.list"))
        return;
    struct cm_organization_list list;
    struct cm_err err = {0};
    if (cm_store_organization_list(x.conn, x.viewer.program_id, &list, x.arena, &err) != CM_OK) {
        cm_api_fail(&x, &err);
        return;
    }
    json_t *items = json_array();
    for (size_t i = 0; items != NULL && i < list.count; i++)
        json_array_append_new(items, cm_api_organization_json(&list.items[i]));
    cm_api_reply(&x, 200, cm_api_list_json(items, (int64_t)list.count, (int64_t)list.count, 0));
}

void
cm_api_organization_get(struct cm_http_request *req, struct cm_http_response *res)
{
    struct cm_api_ctx x;
    if (!cm_api_start(req, res, 0, NULL, &x) || !cm_api_staff_or_reply(&x, "organization.read"))
        return;
    struct cm_organization o;
    if (!org_get_or_reply(&x, req->params[0], &o))
        return;
    reply_org(&x, 200, &o);
}

void
cm_api_organization_create(struct cm_http_request *req, struct cm_http_response *res)
{
    struct cm_api_ctx x;
    if (!cm_api_start(req, res, 0, NULL, &x) || !may_write_or_reply(&x, "organization.create"))
        return;
    struct org_in in = {0};
    uint64_t present;
    if (!cm_api_decode_or_reply(&x, org_fields, CM_ARRAY_LEN(org_fields), &in, &present, false))
        return;
    struct cm_organization o = {
        .program_id = x.viewer.program_id,
        .name = in.name,
        .phone = in.phone,
        .email = in.email,
        .address = in.address,
    };
    struct cm_err err = {0};
    if (cm_org_type_parse(in.type, &o.type, "type", &err) != CM_OK ||
        cm_model_organization_validate(&o, &err) != CM_OK) {
        cm_api_fail(&x, &err);
        return;
    }
    if (!cm_api_tx_begin_or_reply(&x))
        return;
    if (cm_store_organization_create(x.conn, &o, x.viewer.user_id, &err) != CM_OK ||
        cm_store_organization_get(x.conn, x.viewer.program_id, o.meta.id, &o, x.arena, &err) !=
            CM_OK) {
        cm_api_fail(&x, &err);
        return;
    }
    if (!audit_commit(&x, "organization.create", o.meta.id))
        return;
    cm_api_location(&x, "/api/organizations/%lld", (long long)o.meta.id);
    reply_org(&x, 201, &o);
}

void
cm_api_organization_update(struct cm_http_request *req, struct cm_http_response *res)
{
    struct cm_api_ctx x;
    int64_t version;
    if (!cm_api_start(req, res, 0, NULL, &x) || !may_write_or_reply(&x, "organization.update") ||
        !cm_api_if_match_or_reply(&x, &version))
        return;
    int64_t id = req->params[0];
    struct cm_json_field optional[CM_ARRAY_LEN(org_fields)];
    cm_api_fields_optional(org_fields, CM_ARRAY_LEN(org_fields), optional);
    struct org_in in = {0};
    uint64_t present;
    if (!cm_api_decode_or_reply(&x, optional, CM_ARRAY_LEN(optional), &in, &present, false))
        return;

    if (!cm_api_tx_begin_or_reply(&x))
        return;
    struct cm_organization o;
    if (!org_get_or_reply(&x, id, &o))
        return;
    if (o.meta.version != version) {
        cm_api_fail_with(&x, CM_ESTALE, "If-Match",
                         "the organization changed since you read it (now \"%lld\")",
                         (long long)o.meta.version);
        return;
    }
    struct cm_err err = {0};
    if (CM_API_HAS(present, F_NAME))
        o.name = in.name;
    if (CM_API_HAS(present, F_TYPE) && cm_org_type_parse(in.type, &o.type, "type", &err) != CM_OK) {
        cm_api_fail(&x, &err);
        return;
    }
    if (CM_API_HAS(present, F_PHONE))
        o.phone = in.phone;
    if (CM_API_HAS(present, F_EMAIL))
        o.email = in.email;
    if (CM_API_HAS(present, F_ADDRESS))
        o.address = in.address;
    if (cm_model_organization_validate(&o, &err) != CM_OK ||
        cm_store_organization_update(x.conn, &o, x.viewer.user_id, &err) != CM_OK ||
        cm_store_organization_get(x.conn, x.viewer.program_id, id, &o, x.arena, &err) != CM_OK) {
        cm_api_fail(&x, &err);
        return;
    }
    if (!audit_commit(&x, "organization.update", id))
        return;
    reply_org(&x, 200, &o);
}
