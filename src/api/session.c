/*
 * Sign-in, sign-out, "who am I" and the user's own preferences. Sign-in spends one password hash's
 * time whether or not the account exists, answers every failure with the same 401, and counts
 * failures per account and per address (429 past login_max_failures within login_window_s, even
 * with the right password).
 */
#include "api/api_int.h"

#include <stddef.h>
#include <stdio.h>

struct signin {
    const char *username;
    const char *password;
};

static const struct cm_json_field signin_fields[] = {
    {"username", CM_JSON_STRING, offsetof(struct signin, username), true, false, 1, 64, 0, 0},
    {"password", CM_JSON_STRING, offsetof(struct signin, password), true, false, 1, 1024, 0, 0},
};

static const char wrong_credentials[] = "wrong username or password";

static void
set_cookie(struct cm_api_ctx *x, const char *token)
{
    const struct cm_config *cfg = x->app->cfg;
    const char *secure = cm_api_secure(cfg) ? "; Secure" : "";
    char cookie[256];
    /* No Max-Age: a browser-session cookie, gone when the browser closes; the server enforces the
     * idle and absolute limits whatever the browser keeps. An empty token clears the cookie. */
    if (token != NULL)
        snprintf(cookie, sizeof(cookie), "%s=%s; Path=/; HttpOnly; SameSite=Lax%s",
                 cm_api_cookie_name(cfg), token, secure);
    else
        snprintf(cookie, sizeof(cookie), "%s=; Path=/; HttpOnly; SameSite=Lax; Max-Age=0%s",
                 cm_api_cookie_name(cfg), secure);
    cm_http_header_add(x->res, "Set-Cookie", cookie);
}

/* Records a failed sign-in in one transaction: the throttle counters and the audit event. */
static void
signin_failed(struct cm_api_ctx *x, const char *username, const struct cm_user *u,
              const char *reason)
{
    if (!cm_api_tx_begin_or_reply(x))
        return;
    struct cm_err err = {0};
    if (cm_access_throttle_fail(x->conn, username, x->req->client_ip, x->now, &err) != CM_OK) {
        cm_api_fail(x, &err);
        return;
    }
    struct cm_audit_event ev;
    cm_api_event(x, "session.create", 0, "failed", reason, &ev);
    if (u != NULL) {
        /* The account tried, so its owner's review shows attempts against it. */
        ev.user_id = u->meta.id;
        ev.role = u->role;
    }
    if (!cm_api_tx_commit_or_reply(x, &ev))
        return;
    cm_api_fail_with(x, CM_EUNAUTH, "", "%s", wrong_credentials);
}

void
cm_api_session_create(struct cm_http_request *req, struct cm_http_response *res)
{
    struct cm_api_ctx x;
    if (!cm_api_start(req, res, CM_API_PUBLIC | CM_API_JSON_BODY, NULL, &x))
        return;
    struct signin in = {0};
    uint64_t present;
    if (!cm_api_decode_or_reply(&x, signin_fields, CM_ARRAY_LEN(signin_fields), &in, &present,
                                false))
        return;
    const struct cm_config *cfg = x.app->cfg;
    struct cm_err err = {0};
    int retry = 0;
    enum cm_code rc =
        cm_access_throttle_check(x.conn, in.username, req->client_ip, x.now,
                                 cfg->login_max_failures, cfg->login_window_s, &retry, &err);
    if (rc == CM_ETHROTTLE) {
        char after[24];
        snprintf(after, sizeof(after), "%d", retry > 0 ? retry : 1);
        cm_http_header_add(res, "Retry-After", after);
        cm_api_fail_with(&x, CM_ETHROTTLE, "", "too many failed sign-ins; try again in %s s",
                         after);
        struct cm_audit_event ev;
        cm_api_event(&x, "session.create", 0, "denied", "reason=throttled", &ev);
        cm_api_audit_send(&x, &ev);
        return;
    }
    if (rc != CM_OK) {
        cm_api_fail(&x, &err);
        return;
    }
    struct cm_user user;
    rc = cm_store_user_by_username(x.conn, in.username, &user, x.arena, &err);
    if (rc != CM_OK && rc != CM_ENOTFOUND) {
        cm_api_fail(&x, &err);
        return;
    }
    bool found = rc == CM_OK;
    /* Verify even when there is no such account so the answer takes the same time. */
    bool ok = cm_access_password_verify(found ? user.password_hash : NULL, in.password);
    if (!found) {
        signin_failed(&x, in.username, NULL, "reason=unknown_user");
        return;
    }
    if (!ok || user.disabled) {
        signin_failed(&x, in.username, &user, ok ? "reason=disabled" : "reason=password");
        return;
    }

    struct cm_access_session_new s;
    if (!cm_api_tx_begin_or_reply(&x))
        return;
    if (cm_access_throttle_clear(x.conn, in.username, &err) != CM_OK ||
        cm_access_session_start(x.conn, user.meta.id, x.now,
                                (int64_t)cfg->session_absolute_h * 3600, &s, &err) != CM_OK) {
        cm_api_fail(&x, &err);
        return;
    }
    x.viewer.user_id = user.meta.id;
    x.viewer.role = user.role;
    x.viewer.program_id = user.program_id;
    struct cm_audit_event ev;
    cm_api_event(&x, "session.create", 0, "ok", NULL, &ev);
    if (!cm_api_tx_commit_or_reply(&x, &ev))
        return;

    json_t *j = json_object();
    if (j != NULL) {
        json_object_set_new(j, "user", cm_api_user_json(&user));
        json_object_set_new(j, "csrf_token", json_string(s.csrf));
        json_object_set_new(j, "token", json_string(s.token));
        json_object_set_new(j, "expires_at", cm_api_jtime(s.expires_at));
    }
    set_cookie(&x, s.token);
    cm_api_reply(&x, 201, j);
}

void
cm_api_session_delete(struct cm_http_request *req, struct cm_http_response *res)
{
    struct cm_api_ctx x;
    if (!cm_api_start(req, res, 0, NULL, &x))
        return;
    if (!cm_api_tx_begin_or_reply(&x))
        return;
    struct cm_err err = {0};
    if (cm_access_session_end(x.conn, x.token, &err) != CM_OK) {
        cm_api_fail(&x, &err);
        return;
    }
    struct cm_audit_event ev;
    cm_api_event(&x, "session.delete", 0, "ok", NULL, &ev);
    if (!cm_api_tx_commit_or_reply(&x, &ev))
        return;
    set_cookie(&x, NULL);
    cm_http_reply_empty(res, 204);
}

/* The body of GET and PATCH /api/me: the user and this session's CSRF token and expiry. */
static void
reply_me(struct cm_api_ctx *x, const struct cm_user *u)
{
    json_t *j = json_object();
    if (j != NULL) {
        json_object_set_new(j, "user", cm_api_user_json(u));
        json_object_set_new(j, "csrf_token", json_string(x->session.csrf));
        json_object_set_new(j, "expires_at", cm_api_jtime(x->session.expires_at));
    }
    cm_api_reply(x, 200, j);
}

void
cm_api_me_get(struct cm_http_request *req, struct cm_http_response *res)
{
    struct cm_api_ctx x;
    if (!cm_api_start(req, res, 0, NULL, &x))
        return;
    reply_me(&x, &x.user);
}

/* What people may change about their own account. Only the language for now: the rest is the
 * administrator's (PATCH /api/users/{id}). */
struct me_in {
    const char *language;
};

static const struct cm_json_field me_fields[] = {
    {"language", CM_JSON_STRING, offsetof(struct me_in, language), true, false, 1, 8, 0, 0},
};

void
cm_api_me_update(struct cm_http_request *req, struct cm_http_response *res)
{
    struct cm_api_ctx x;
    if (!cm_api_start(req, res, 0, NULL, &x))
        return;
    struct me_in in = {0};
    uint64_t present;
    if (!cm_api_decode_or_reply(&x, me_fields, CM_ARRAY_LEN(me_fields), &in, &present, false))
        return;
    if (!cm_api_tx_begin_or_reply(&x))
        return;
    /* No If-Match: a preference of one's own, where the last choice should win. The update still
     * checks the version just read, inside this transaction. */
    struct cm_err err = {0};
    struct cm_user u;
    int64_t id = x.viewer.user_id;
    if (cm_store_user_get(x.conn, id, &u, x.arena, &err) != CM_OK) {
        cm_api_fail(&x, &err);
        return;
    }
    u.language = in.language;
    if (cm_model_user_validate(&u, &err) != CM_OK ||
        cm_store_user_update(x.conn, &u, id, &err) != CM_OK ||
        cm_store_user_get(x.conn, id, &u, x.arena, &err) != CM_OK) {
        cm_api_fail(&x, &err);
        return;
    }
    char detail[48];
    snprintf(detail, sizeof(detail), "user=%lld", (long long)id);
    struct cm_audit_event ev;
    cm_api_event(&x, "user.update", 0, "ok", detail, &ev);
    if (!cm_api_tx_commit_or_reply(&x, &ev))
        return;
    reply_me(&x, &u);
}
