/*
 * Sign-in accounts: GET/POST /api/users, GET/PATCH /api/users/{id} (administrators only) and
 * POST /api/users/{id}/password (an administrator, or the user themself with the current
 * password). Password hashes never leave the store; changing a password revokes every session.
 */
#include "api/api_int.h"

#include <stddef.h>
#include <stdio.h>

struct user_in {
    const char *username;
    const char *display_name;
    const char *role;
    int64_t organization_id;
    const char *language;
    const char *email;
    const char *phone;
    bool disabled;
    const char *password;
    int64_t family_member_id;
};

#define USER(f) offsetof(struct user_in, f)

static const struct cm_json_field user_fields[] = {
    {"username", CM_JSON_STRING, USER(username), true, false, 3, 64, 0, 0},
    {"display_name", CM_JSON_STRING, USER(display_name), true, false, 1, 200, 0, 0},
    {"role", CM_JSON_STRING, USER(role), true, false, 1, 64, 0, 0},
    {"organization_id", CM_JSON_INT64, USER(organization_id), false, true, 0, 0, 1, INT64_MAX},
    {"language", CM_JSON_STRING, USER(language), false, false, 2, 2, 0, 0},
    {"email", CM_JSON_STRING, USER(email), false, true, 1, 254, 0, 0},
    {"phone", CM_JSON_STRING, USER(phone), false, true, 1, 32, 0, 0},
    {"disabled", CM_JSON_BOOL, USER(disabled), false, false, 0, 0, 0, 0},
    /* 1024, not 128: the password policy gives the clearer message about its own limits. */
    {"password", CM_JSON_STRING, USER(password), true, false, 1, 1024, 0, 0},
    {"family_member_id", CM_JSON_INT64, USER(family_member_id), false, true, 0, 0, 1, INT64_MAX},
};
enum {
    F_USERNAME,
    F_DISPLAY_NAME,
    F_ROLE,
    F_ORGANIZATION_ID,
    F_LANGUAGE,
    F_EMAIL,
    F_PHONE,
    F_DISABLED,
    F_PASSWORD,
    F_FAMILY_MEMBER_ID,
};

struct password_in {
    const char *password;
    const char *current_password;
};
static const struct cm_json_field password_fields[] = {
    {"password", CM_JSON_STRING, offsetof(struct password_in, password), true, false, 1, 1024, 0,
     0},
    {"current_password", CM_JSON_STRING, offsetof(struct password_in, current_password), false,
     true, 1, 1024, 0, 0},
};

static bool
admin_or_reply(struct cm_api_ctx *x, const char *action)
{
    if (x->viewer.role == CM_ROLE_ADMINISTRATOR)
        return true;
    cm_api_deny(x, action, 0, false, "administrators only");
    return false;
}

/* A user of the viewer's program; anyone else's is 404. */
static bool
user_get_or_reply(struct cm_api_ctx *x, int64_t id, struct cm_user *out)
{
    struct cm_err err = {0};
    enum cm_code rc = cm_store_user_get(x->conn, id, out, x->arena, &err);
    if (rc == CM_ENOTFOUND || (rc == CM_OK && out->program_id != x->viewer.program_id)) {
        cm_api_fail_with(x, CM_ENOTFOUND, "", "no such user");
        return false;
    }
    if (rc != CM_OK) {
        cm_api_fail(x, &err);
        return false;
    }
    return true;
}

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

static bool
audit_commit(struct cm_api_ctx *x, const char *action, int64_t id)
{
    char detail[48];
    snprintf(detail, sizeof(detail), "user=%lld", (long long)id);
    struct cm_audit_event ev;
    cm_api_event(x, action, 0, "ok", detail, &ev);
    return cm_api_tx_commit_or_reply(x, &ev);
}

static void
reply_user(struct cm_api_ctx *x, int status, const struct cm_user *u)
{
    cm_api_etag(x, u->meta.version);
    cm_api_reply(x, status, cm_api_user_json(u));
}

void
cm_api_users_list(struct cm_http_request *req, struct cm_http_response *res)
{
    struct cm_api_ctx x;
    if (!cm_api_start(req, res, 0, NULL, &x) || !admin_or_reply(&x, "user.list"))
        return;
    struct cm_user_list list;
    struct cm_err err = {0};
    if (cm_store_user_list(x.conn, x.viewer.program_id, &list, x.arena, &err) != CM_OK) {
        cm_api_fail(&x, &err);
        return;
    }
    json_t *items = json_array();
    for (size_t i = 0; items != NULL && i < list.count; i++)
        json_array_append_new(items, cm_api_user_json(&list.items[i]));
    cm_api_reply(&x, 200, cm_api_list_json(items, (int64_t)list.count, (int64_t)list.count, 0));
}

void
cm_api_user_get(struct cm_http_request *req, struct cm_http_response *res)
{
    struct cm_api_ctx x;
    if (!cm_api_start(req, res, 0, NULL, &x) || !admin_or_reply(&x, "user.read"))
        return;
    struct cm_user u;
    if (!user_get_or_reply(&x, req->params[0], &u))
        return;
    reply_user(&x, 200, &u);
}

void
cm_api_user_create(struct cm_http_request *req, struct cm_http_response *res)
{
    struct cm_api_ctx x;
    if (!cm_api_start(req, res, 0, NULL, &x) || !admin_or_reply(&x, "user.create"))
        return;
    struct user_in in = {0};
    uint64_t present;
    if (!cm_api_decode_or_reply(&x, user_fields, CM_ARRAY_LEN(user_fields), &in, &present, false))
        return;
    struct cm_user u = {
        .program_id = x.viewer.program_id,
        .username = in.username,
        .display_name = in.display_name,
        .organization_id = in.organization_id,
        .language = in.language != NULL ? in.language : "en",
        .email = in.email,
        .phone = in.phone,
        .disabled = in.disabled,
    };
    struct cm_err err = {0};
    if (cm_role_parse(in.role, &u.role, "role", &err) != CM_OK ||
        cm_access_password_policy(in.password, "password", &err) != CM_OK ||
        cm_model_user_validate(&u, &err) != CM_OK) {
        cm_api_fail(&x, &err);
        return;
    }
    if (in.family_member_id != 0 && u.role != CM_ROLE_FAMILY) {
        cm_api_fail_with(&x, CM_EINVAL, "family_member_id", "is only for role \"family\"");
        return;
    }
    if (!organization_or_reply(&x, u.organization_id))
        return;
    /* Hash before the transaction: it takes tens of milliseconds and holds no lock. */
    char hash[CM_PASSWORD_HASH_MAX];
    if (cm_access_password_hash(in.password, hash, &err) != CM_OK) {
        cm_api_fail(&x, &err);
        return;
    }
    u.password_hash = hash;

    if (!cm_api_tx_begin_or_reply(&x))
        return;
    enum cm_code rc = cm_store_user_create(x.conn, &u, x.viewer.user_id, &err);
    if (rc == CM_ECONFLICT) {
        cm_api_fail_with(&x, CM_ECONFLICT, "username", "is taken");
        return;
    }
    if (rc != CM_OK) {
        cm_api_fail(&x, &err);
        return;
    }
    if (in.family_member_id != 0) {
        rc = cm_store_family_link_user(x.conn, x.viewer.program_id, in.family_member_id, u.meta.id,
                                       &err);
        if (rc == CM_ENOTFOUND) {
            cm_api_fail_with(&x, CM_EINVAL, "family_member_id",
                             "no such family member in this program");
            return;
        }
        if (rc == CM_ECONFLICT) {
            cm_api_fail_with(&x, CM_ECONFLICT, "family_member_id", "already has an account");
            return;
        }
        if (rc != CM_OK) {
            cm_api_fail(&x, &err);
            return;
        }
    }
    int64_t id = u.meta.id;
    if (cm_store_user_get(x.conn, id, &u, x.arena, &err) != CM_OK) {
        cm_api_fail(&x, &err);
        return;
    }
    if (!audit_commit(&x, "user.create", id))
        return;
    cm_api_location(&x, "/api/users/%lld", (long long)id);
    reply_user(&x, 201, &u);
}

void
cm_api_user_update(struct cm_http_request *req, struct cm_http_response *res)
{
    struct cm_api_ctx x;
    int64_t version;
    if (!cm_api_start(req, res, 0, NULL, &x) || !admin_or_reply(&x, "user.update") ||
        !cm_api_if_match_or_reply(&x, &version))
        return;
    int64_t id = req->params[0];
    struct cm_json_field optional[CM_ARRAY_LEN(user_fields)];
    cm_api_fields_optional(user_fields, CM_ARRAY_LEN(user_fields), optional);
    struct user_in in = {0};
    uint64_t present;
    if (!cm_api_decode_or_reply(&x, optional, CM_ARRAY_LEN(optional), &in, &present, false))
        return;
    if (CM_API_HAS(present, F_USERNAME)) {
        cm_api_fail_with(&x, CM_EINVAL, "username", "cannot be changed");
        return;
    }
    if (CM_API_HAS(present, F_PASSWORD)) {
        cm_api_fail_with(&x, CM_EINVAL, "password",
                         "is changed with POST /api/users/{id}/password");
        return;
    }
    if (CM_API_HAS(present, F_FAMILY_MEMBER_ID)) {
        cm_api_fail_with(&x, CM_EINVAL, "family_member_id", "is set only when creating a user");
        return;
    }

    if (!cm_api_tx_begin_or_reply(&x))
        return;
    struct cm_user u;
    if (!user_get_or_reply(&x, id, &u))
        return;
    if (u.meta.version != version) {
        cm_api_fail_with(&x, CM_ESTALE, "If-Match",
                         "the user changed since you read it (now \"%lld\")",
                         (long long)u.meta.version);
        return;
    }
    struct cm_err err = {0};
    enum cm_role old_role = u.role;
    if (CM_API_HAS(present, F_ROLE) && cm_role_parse(in.role, &u.role, "role", &err) != CM_OK) {
        cm_api_fail(&x, &err);
        return;
    }
    /* A family account is tied to a family member, a staff account to care teams: one cannot
     * become the other. */
    if ((old_role == CM_ROLE_FAMILY) != (u.role == CM_ROLE_FAMILY)) {
        cm_api_fail_with(&x, CM_ECONFLICT, "role", "cannot change between family and staff roles");
        return;
    }
    if (CM_API_HAS(present, F_DISPLAY_NAME))
        u.display_name = in.display_name;
    if (CM_API_HAS(present, F_ORGANIZATION_ID))
        u.organization_id = in.organization_id;
    if (CM_API_HAS(present, F_LANGUAGE))
        u.language = in.language;
    if (CM_API_HAS(present, F_EMAIL))
        u.email = in.email;
    if (CM_API_HAS(present, F_PHONE))
        u.phone = in.phone;
    if (CM_API_HAS(present, F_DISABLED))
        u.disabled = in.disabled;
    /* Keep at least the acting administrator able to administer. */
    if (id == x.viewer.user_id && (u.disabled || u.role != CM_ROLE_ADMINISTRATOR)) {
        cm_api_fail_with(&x, CM_ECONFLICT, u.disabled ? "disabled" : "role",
                         "administrators cannot disable or demote their own account");
        return;
    }
    if (!organization_or_reply(&x, u.organization_id))
        return;
    if (cm_model_user_validate(&u, &err) != CM_OK ||
        cm_store_user_update(x.conn, &u, x.viewer.user_id, &err) != CM_OK ||
        cm_store_user_get(x.conn, id, &u, x.arena, &err) != CM_OK) {
        cm_api_fail(&x, &err);
        return;
    }
    if (!audit_commit(&x, "user.update", id))
        return;
    reply_user(&x, 200, &u);
}

void
cm_api_user_password_set(struct cm_http_request *req, struct cm_http_response *res)
{
    struct cm_api_ctx x;
    if (!cm_api_start(req, res, 0, NULL, &x))
        return;
    int64_t id = req->params[0];
    bool self = id == x.viewer.user_id;
    if (!self && !admin_or_reply(&x, "user.password"))
        return;
    struct password_in in = {0};
    uint64_t present;
    if (!cm_api_decode_or_reply(&x, password_fields, CM_ARRAY_LEN(password_fields), &in, &present,
                                false))
        return;
    struct cm_err err = {0};
    if (self && in.current_password == NULL) {
        cm_api_fail_with(&x, CM_EINVAL, "current_password",
                         "is required to change your own password");
        return;
    }
    if (cm_access_password_policy(in.password, "password", &err) != CM_OK) {
        cm_api_fail(&x, &err);
        return;
    }
    struct cm_user u;
    if (!user_get_or_reply(&x, id, &u))
        return;
    if (self) {
        /* A stolen session must not become a password oracle: the same throttle as sign-in. */
        const struct cm_config *cfg = x.app->cfg;
        int retry = 0;
        enum cm_code rc =
            cm_access_throttle_check(x.conn, u.username, req->client_ip, x.now,
                                     cfg->login_max_failures, cfg->login_window_s, &retry, &err);
        if (rc == CM_ETHROTTLE) {
            char after[24];
            snprintf(after, sizeof(after), "%d", retry > 0 ? retry : 1);
            cm_http_header_add(res, "Retry-After", after);
            cm_api_fail_with(&x, CM_ETHROTTLE, "", "too many failed attempts; try again in %s s",
                             after);
            return;
        }
        if (rc != CM_OK) {
            cm_api_fail(&x, &err);
            return;
        }
        if (!cm_access_password_verify(u.password_hash, in.current_password)) {
            if (!cm_api_tx_begin_or_reply(&x))
                return;
            if (cm_access_throttle_fail(x.conn, u.username, req->client_ip, x.now, &err) != CM_OK) {
                cm_api_fail(&x, &err);
                return;
            }
            struct cm_audit_event ev;
            cm_api_event(&x, "user.password", 0, "failed", "reason=current_password", &ev);
            if (!cm_api_tx_commit_or_reply(&x, &ev))
                return;
            cm_api_fail_with(&x, CM_EFORBIDDEN, "current_password", "is wrong");
            return;
        }
    }
    char hash[CM_PASSWORD_HASH_MAX];
    if (cm_access_password_hash(in.password, hash, &err) != CM_OK) {
        cm_api_fail(&x, &err);
        return;
    }
    if (!cm_api_tx_begin_or_reply(&x))
        return;
    if (cm_store_user_set_password(x.conn, id, hash, x.viewer.user_id, &err) != CM_OK) {
        cm_api_fail(&x, &err);
        return;
    }
    if (!audit_commit(&x, "user.password", id))
        return;
    if (self) {
        /* Every session of the user is gone, this one too: clear the cookie. */
        char cookie[128];
        snprintf(cookie, sizeof(cookie), "%s=; Path=/; HttpOnly; SameSite=Lax; Max-Age=0%s",
                 cm_api_cookie_name(x.app->cfg), cm_api_secure(x.app->cfg) ? "; Secure" : "");
        cm_http_header_add(res, "Set-Cookie", cookie);
    }
    cm_http_reply_empty(res, 204);
}
