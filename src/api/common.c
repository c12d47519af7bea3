/*
 * What every route shares: the per-thread database connections, the start of a request
 * (authentication, CSRF, Content-Type), the one table from enum cm_code to HTTP status, strict
 * parsers for ids and If-Match, and the audit and transaction helpers.
 */
#include "api/api_int.h"

#include <pthread.h>
#include <stdatomic.h>
#include <stdlib.h>
#include <string.h>
#include <strings.h>
#include <time.h>

/* ---- per-thread connections ------------------------------------------------------------------ */

/* Each worker thread keeps the connection it opened on its first request (SQLite connections are
 * not shared between threads). The registry lets cm_api_conns_close_all() close them after the
 * server stopped; the generation tells a thread that outlived a close that its pointer is gone. */
static pthread_mutex_t g_conns_mu = PTHREAD_MUTEX_INITIALIZER;
static struct cm_conn **g_conns;
static size_t g_conns_n;
static size_t g_conns_cap;
static atomic_uint g_generation = 1;
static _Thread_local struct cm_conn *t_conn;
static _Thread_local unsigned t_generation;

void
cm_api_after_handler(void *app)
{
    CM_UNUSED(app);
    if (t_conn != NULL)
        cm_store_rollback(t_conn);
}

enum cm_code
cm_api_conn_get(struct cm_store *store, struct cm_conn **out, struct cm_err *err)
{
    unsigned gen = atomic_load(&g_generation);
    if (t_conn != NULL && t_generation == gen) {
        *out = t_conn;
        return CM_OK;
    }
    struct cm_conn *c = NULL;
    enum cm_code rc = cm_store_conn_open(store, &c, err);
    if (rc != CM_OK)
        return rc;
    pthread_mutex_lock(&g_conns_mu);
    if (g_conns_n == g_conns_cap) {
        size_t cap = g_conns_cap ? g_conns_cap * 2 : 16;
        struct cm_conn **p = realloc(g_conns, cap * sizeof(*p));
        if (p == NULL) {
            pthread_mutex_unlock(&g_conns_mu);
            cm_store_conn_close(c);
            return cm_err_set(err, CM_ENOMEM, "", "out of memory");
        }
        g_conns = p;
        g_conns_cap = cap;
    }
    g_conns[g_conns_n++] = c;
    pthread_mutex_unlock(&g_conns_mu);
    t_conn = c;
    t_generation = gen;
    *out = c;
    return CM_OK;
}

void
cm_api_conns_close_all(void)
{
    pthread_mutex_lock(&g_conns_mu);
    for (size_t i = 0; i < g_conns_n; i++)
        cm_store_conn_close(g_conns[i]);
    free(g_conns);
    g_conns = NULL;
    g_conns_n = 0;
    g_conns_cap = 0;
    atomic_fetch_add(&g_generation, 1);
    pthread_mutex_unlock(&g_conns_mu);
    t_conn = NULL;
}

/* ---- errors ---------------------------------------------------------------------------------- */

static const struct {
    enum cm_code code;
    int status;
    const char *name;
} error_table[] = {
    {CM_EINVAL, 400, "invalid"},       {CM_EUNAUTH, 401, "unauthenticated"},
    {CM_EFORBIDDEN, 403, "forbidden"}, {CM_ENOTFOUND, 404, "not_found"},
    {CM_ECONFLICT, 409, "conflict"},   {CM_ESTALE, 412, "stale"},
    {CM_ETOOBIG, 413, "too_big"},      {CM_ETHROTTLE, 429, "throttled"},
};

int
cm_api_status_of(enum cm_code code, const char **name)
{
    for (size_t i = 0; i < CM_ARRAY_LEN(error_table); i++) {
        if (error_table[i].code == code) {
            *name = error_table[i].name;
            return error_table[i].status;
        }
    }
    *name = "internal";
    return 500;
}

void
cm_api_error_message(const struct cm_err *err, char *out, size_t size)
{
    const char *msg = err->msg[0] != '\0' ? err->msg : cm_code_name(err->code);
    size_t flen = strlen(err->field);
    /* Some callers already wrote "field: ..." into the message; do not say the field twice. */
    bool named = flen > 0 && strncmp(msg, err->field, flen) == 0 && msg[flen] == ':';
    if (flen == 0 || named)
        snprintf(out, size, "%s", msg);
    else
        snprintf(out, size, "%s: %s", err->field, msg);
}

void
cm_api_fail(struct cm_api_ctx *x, const struct cm_err *err)
{
    cm_api_tx_abort(x);
    const char *name;
    int status = cm_api_status_of(err->code, &name);
    if (status == 500) {
        /* The request id is on the line (cm_log_set_request); the message may quote the
         * database, so it stays out of the reply. */
        cm_log_error("api failure code=%s field=%s", cm_code_name(err->code),
                     err->field[0] ? err->field : "-");
        cm_http_reply_error(x->res, 500, "internal", "",
                            "internal error (the server log has the request id)");
        return;
    }
    char msg[sizeof(err->field) + sizeof(err->msg) + 4];
    cm_api_error_message(err, msg, sizeof(msg));
    cm_http_reply_error(x->res, status, name, err->field, msg);
}

void
cm_api_fail_with(struct cm_api_ctx *x, enum cm_code code, const char *field, const char *fmt, ...)
{
    struct cm_err err = {.code = code};
    snprintf(err.field, sizeof(err.field), "%s", field ? field : "");
    va_list ap;
    va_start(ap, fmt);
    vsnprintf(err.msg, sizeof(err.msg), fmt, ap);
    va_end(ap);
    cm_api_fail(x, &err);
}

void
cm_api_fail_status(struct cm_api_ctx *x, int status, const char *code, const char *field,
                   const char *msg)
{
    cm_api_tx_abort(x);
    char buf[400];
    if (field != NULL && field[0] != '\0')
        snprintf(buf, sizeof(buf), "%s: %s", field, msg);
    else
        snprintf(buf, sizeof(buf), "%s", msg);
    cm_http_reply_error(x->res, status, code, field ? field : "", buf);
}

/* ---- parsing --------------------------------------------------------------------------------- */

enum cm_code
cm_api_int_parse(const char *s, int64_t min, int64_t max, int64_t *out, const char *field,
                 struct cm_err *err)
{
    if (s == NULL || s[0] == '\0')
        return cm_err_set(err, CM_EINVAL, field, "must be a number");
    int64_t v = 0;
    size_t i = 0;
    for (; s[i] != '\0'; i++) {
        if (s[i] < '0' || s[i] > '9' || i >= 18)
            return cm_err_set(err, CM_EINVAL, field, "must be a whole number from %lld to %lld",
                              (long long)min, (long long)max);
        v = v * 10 + (s[i] - '0');
    }
    if (v < min || v > max)
        return cm_err_set(err, CM_EINVAL, field, "must be a whole number from %lld to %lld",
                          (long long)min, (long long)max);
    *out = v;
    return CM_OK;
}

enum cm_code
cm_api_id_parse(const char *s, int64_t *out, const char *field, struct cm_err *err)
{
    if (s == NULL || s[0] == '\0' || strlen(s) > 18 || strspn(s, "0123456789") != strlen(s))
        return cm_err_set(err, CM_EINVAL, field, "must be an id (digits only)");
    return cm_api_int_parse(s, 1, INT64_MAX, out, field, err);
}

enum cm_code
cm_api_flag_parse(const char *s, bool *out, const char *field, struct cm_err *err)
{
    if (s != NULL && (strcmp(s, "1") == 0 || strcmp(s, "true") == 0)) {
        *out = true;
        return CM_OK;
    }
    if (s != NULL && (strcmp(s, "0") == 0 || strcmp(s, "false") == 0)) {
        *out = false;
        return CM_OK;
    }
    return cm_err_set(err, CM_EINVAL, field, "must be 1 or 0");
}

static const char *
skip_ows(const char *s)
{
    while (*s == ' ' || *s == '\t')
        s++;
    return s;
}

enum cm_code
cm_api_if_match_parse(const char *s, int64_t *version, struct cm_err *err)
{
    static const char field[] = "If-Match";
    if (s == NULL)
        return cm_err_set(err, CM_EINVAL, field, "must be a quoted version like \"3\"");
    const char *p = skip_ows(s);
    if (p[0] == 'W' && p[1] == '/')
        p += 2;
    if (*p != '"')
        return cm_err_set(err, CM_EINVAL, field, "must be a quoted version like \"3\"");
    p++;
    size_t n = strspn(p, "0123456789");
    if (n == 0 || n > 18 || p[n] != '"' || *skip_ows(p + n + 1) != '\0')
        return cm_err_set(err, CM_EINVAL, field, "must be a quoted version like \"3\"");
    int64_t v = 0;
    for (size_t i = 0; i < n; i++)
        v = v * 10 + (p[i] - '0');
    if (v <= 0)
        return cm_err_set(err, CM_EINVAL, field, "must be a quoted version like \"3\"");
    *version = v;
    return CM_OK;
}

bool
cm_api_content_type_ok(const char *value)
{
    static const char json[] = "application/json";
    if (value == NULL)
        return false;
    const char *p = skip_ows(value);
    if (strncasecmp(p, json, sizeof(json) - 1) != 0)
        return false;
    p = skip_ows(p + sizeof(json) - 1);
    while (*p == ';') {
        p = skip_ows(p + 1);
        if (strncasecmp(p, "charset=", 8) != 0)
            return false;
        p += 8;
        if (strncasecmp(p, "utf-8", 5) == 0)
            p += 5;
        else if (strncasecmp(p, "\"utf-8\"", 7) == 0)
            p += 7;
        else
            return false;
        p = skip_ows(p);
    }
    return *p == '\0';
}

const char *
cm_api_bearer(const char *authorization)
{
    if (authorization == NULL)
        return NULL;
    const char *p = skip_ows(authorization);
    if (strncasecmp(p, "Bearer", 6) != 0 || (p[6] != ' ' && p[6] != '\t'))
        return NULL;
    p = skip_ows(p + 6);
    return *p != '\0' ? p : NULL;
}

/* Our tokens are 64 lowercase hex characters; anything else cannot be a session, so it is
 * refused without asking the database. */
static bool
token_shape_ok(const char *t)
{
    return strlen(t) == 64 && strspn(t, "0123456789abcdef") == 64;
}

bool
cm_api_if_match_or_reply(struct cm_api_ctx *x, int64_t *version)
{
    const char *v = cm_http_header(x->req, "If-Match");
    if (v == NULL) {
        cm_api_fail_status(x, 428, "precondition_required", "If-Match",
                           "is required: send the ETag you read, as If-Match: \"N\"");
        return false;
    }
    struct cm_err err = {0};
    if (cm_api_if_match_parse(v, version, &err) != CM_OK) {
        cm_api_fail(x, &err);
        return false;
    }
    return true;
}

bool
cm_api_decode_or_reply(struct cm_api_ctx *x, const struct cm_json_field *fields, size_t n,
                       void *out, uint64_t *present, bool allow_empty)
{
    *present = 0;
    const struct cm_http_request *r = x->req;
    if (r->body == NULL || r->body_len == 0) {
        if (allow_empty)
            return true;
        cm_api_fail_with(x, CM_EINVAL, "", "a JSON object is required as the body");
        return false;
    }
    struct cm_err err = {0};
    if (cm_json_decode(r->body, r->body_len, fields, n, out, present, x->arena, &err) != CM_OK) {
        if (err.code == CM_OK)
            err.code = CM_EINVAL;
        cm_api_fail(x, &err);
        return false;
    }
    return true;
}

static size_t
field_size(enum cm_json_type t)
{
    switch (t) {
    case CM_JSON_STRING:
    case CM_JSON_DATE:
        return sizeof(const char *);
    case CM_JSON_INT:
        return sizeof(int);
    case CM_JSON_INT64:
        return sizeof(int64_t);
    case CM_JSON_BOOL:
        return sizeof(bool);
    }
    return 0;
}

void
cm_api_fields_apply(const struct cm_json_field *fields, size_t n, uint64_t present, void *dst,
                    const void *src)
{
    for (size_t i = 0; i < n && i < 64; i++) {
        if (CM_API_HAS(present, i))
            memcpy((char *)dst + fields[i].offset, (const char *)src + fields[i].offset,
                   field_size(fields[i].type));
    }
}

void
cm_api_fields_optional(const struct cm_json_field *fields, size_t n, struct cm_json_field *out)
{
    for (size_t i = 0; i < n && i < 64; i++) {
        out[i] = fields[i];
        out[i].required = false;
    }
}

/* ---- starting a request ---------------------------------------------------------------------- */

bool
cm_api_secure(const struct cm_config *cfg)
{
    return strncmp(cfg->public_url, "https://", 8) == 0;
}

const char *
cm_api_cookie_name(const struct cm_config *cfg)
{
    /* The __Host- prefix makes browsers refuse the cookie unless it is Secure, Path=/ and has no
     * Domain, so a sibling subdomain cannot plant one. It needs https. */
    return cm_api_secure(cfg) ? "__Host-caremap" : "caremap";
}

static bool
state_changing(const char *method)
{
    return strcmp(method, "POST") == 0 || strcmp(method, "PUT") == 0 ||
           strcmp(method, "PATCH") == 0 || strcmp(method, "DELETE") == 0;
}

static bool
unauthenticated(struct cm_api_ctx *x, const char *field, const char *msg)
{
    cm_api_fail_with(x, CM_EUNAUTH, field, "%s", msg);
    return false;
}

static bool
authenticate(struct cm_api_ctx *x)
{
    const struct cm_config *cfg = x->app->cfg;
    const char *authz = cm_http_header(x->req, "Authorization");
    const char *token;
    if (authz != NULL) {
        token = cm_api_bearer(authz);
        if (token == NULL)
            return unauthenticated(x, "Authorization", "must be \"Bearer <token>\"");
        x->by_cookie = false;
    } else {
        token = cm_http_cookie(x->req, cm_api_cookie_name(cfg));
        x->by_cookie = true;
    }
    static const char expired[] = "not signed in, or the session expired or was revoked";
    if (token == NULL || !token_shape_ok(token))
        return unauthenticated(x, "", expired);
    struct cm_err err = {0};
    enum cm_code rc = cm_access_session_resume(
        x->conn, token, x->now, (int64_t)cfg->session_idle_min * 60, &x->session, &err);
    if (rc == CM_EUNAUTH || rc == CM_ENOTFOUND)
        return unauthenticated(x, "", expired);
    if (rc != CM_OK) {
        cm_api_fail(x, &err);
        return false;
    }
    /* A safe request's reads, from the user on, see one snapshot and pay SQLite's check for other
     * connections' commits once (the audit writer commits all the time). The session lookup
     * stays outside: it may record the session's use. cm_api_after_handler ends it. */
    if (!state_changing(x->req->method)) {
        if (cm_store_begin(x->conn, false, &err) != CM_OK) {
            cm_api_fail(x, &err);
            return false;
        }
        x->in_tx = true;
    }
    rc = cm_store_user_get(x->conn, x->session.user_id, &x->user, x->arena, &err);
    if (rc == CM_ENOTFOUND || (rc == CM_OK && x->user.disabled))
        return unauthenticated(x, "", expired);
    if (rc != CM_OK) {
        cm_api_fail(x, &err);
        return false;
    }
    x->token = token;
    x->viewer.user_id = x->user.meta.id;
    x->viewer.role = x->user.role;
    x->viewer.program_id = x->user.program_id;
    /* A bearer token is never sent by a browser on its own, so only cookie requests can be
     * forged cross-site and need the CSRF token. */
    if (x->by_cookie && state_changing(x->req->method) &&
        !cm_access_csrf_ok(&x->session, cm_http_header(x->req, "X-CSRF-Token"))) {
        cm_api_fail_with(x, CM_EFORBIDDEN, "X-CSRF-Token", "missing or wrong CSRF token");
        return false;
    }
    return true;
}

bool
cm_api_start(struct cm_http_request *req, struct cm_http_response *res, unsigned flags,
             const char *const *query, struct cm_api_ctx *x)
{
    memset(x, 0, sizeof(*x));
    x->req = req;
    x->res = res;
    x->app = req->app;
    x->arena = req->arena;
    x->now = cm_time_now();
    cm_date_of(x->now, x->today);
    struct cm_err err = {0};
    if (cm_api_conn_get(x->app->store, &x->conn, &err) != CM_OK) {
        cm_api_fail(x, &err);
        return false;
    }
    /* Every route ends its transactions, but a write transaction left open by a bug would hold
     * the database's write lock for good; closing it here costs one check per request. */
    cm_store_rollback(x->conn);
    if (!(flags & CM_API_PUBLIC) && !authenticate(x))
        return false;
    static const char *const none[] = {NULL};
    if (cm_http_query_only(req, query != NULL ? query : none, &err) != CM_OK) {
        if (err.code == CM_OK)
            err.code = CM_EINVAL;
        cm_api_fail(x, &err);
        return false;
    }
    bool has_body = req->body != NULL && req->body_len > 0;
    bool body_method = strcmp(req->method, "POST") == 0 || strcmp(req->method, "PUT") == 0 ||
                       strcmp(req->method, "PATCH") == 0;
    /* A form post from another site cannot send application/json without a CORS preflight, which
     * we never grant: insisting on it is part of the CSRF defence, above all for sign-in. */
    if (((flags & CM_API_JSON_BODY) || (has_body && body_method)) &&
        !cm_api_content_type_ok(cm_http_header(req, "Content-Type"))) {
        cm_api_fail_status(x, 415, "unsupported_media_type", "Content-Type",
                           "must be application/json");
        return false;
    }
    return true;
}

/* ---- authorisation and audit ----------------------------------------------------------------- */

void
cm_api_event(const struct cm_api_ctx *x, const char *action, int64_t child_id, const char *outcome,
             const char *detail, struct cm_audit_event *ev)
{
    memset(ev, 0, sizeof(*ev));
    ev->at = x->now;
    ev->user_id = x->viewer.user_id;
    ev->role = x->viewer.role;
    ev->action = action;
    ev->child_id = child_id;
    ev->outcome = outcome;
    ev->request_id = x->req->request_id;
    ev->detail = detail;
}

/* A deferred request waiting for its audit event. */
struct pending {
    struct cm_http_request *req;
    struct cm_http_response *res;
};

static const char audit_failed[] = "internal error (the server log has the request id)";

/* Replaces a reply whose audit event was not written with a 500 that carries none of its data or
 * headers (an ETag would say something about the record). */
static void
unaudited(struct cm_http_response *res, enum cm_code rc)
{
    cm_log_error("api failure code=%s field=audit", cm_code_name(rc));
    res->headers = NULL;
    res->body.len = 0;
    if (res->body.data != NULL)
        res->body.data[0] = '\0';
    res->status = 500;
    cm_http_reply_error(res, 500, "internal", "", audit_failed);
}

/* Runs on the audit writer's thread once the event's group is committed (or failed). */
static void
audit_done(void *arg, enum cm_code rc)
{
    struct pending *p = arg;
    if (rc != CM_OK) {
        cm_log_set_request(p->req->request_id);
        unaudited(p->res, rc);
        cm_log_set_request(NULL);
    }
    cm_http_resume(p->req);
}

/* Defers the request and queues ev; the writer's completion resumes it. */
void
cm_api_audit_send(struct cm_api_ctx *x, const struct cm_audit_event *ev)
{
    /* The reads are done: end their snapshot before the connection is parked. */
    cm_api_tx_abort(x);
    struct pending *p = cm_arena_alloc(x->arena, sizeof(*p));
    if (p == NULL)
        return; /* the arena is spent: the server answers 413, without the data */
    p->req = x->req;
    p->res = x->res;
    /* Deferred before the event is queued: its completion may run before we return. */
    cm_http_defer(x->req);
    struct cm_err err = {0};
    if (cm_access_audit_submit(x->app->audit, ev, audit_done, p, x->arena, &err) != CM_OK) {
        unaudited(x->res, err.code != CM_OK ? err.code : CM_EINTERNAL);
        cm_http_resume(x->req);
    }
}

void
cm_api_child_event(const struct cm_api_ctx *x, const char *action, int64_t child_id,
                   enum cm_access how, const char *detail, struct cm_audit_event *ev)
{
    cm_api_event(x, action, child_id, "ok", detail, ev);
    ev->break_glass = how == CM_ACCESS_BREAK_GLASS;
}

void
cm_api_audit_read(struct cm_api_ctx *x, const char *action, int64_t child_id, enum cm_access how,
                  const char *detail)
{
    struct cm_audit_event ev;
    cm_api_child_event(x, action, child_id, how, detail, &ev);
    cm_api_audit_send(x, &ev);
}

void
cm_api_deny(struct cm_api_ctx *x, const char *action, int64_t child_id, bool deny_404,
            const char *msg)
{
    cm_api_tx_abort(x);
    if (deny_404)
        cm_api_fail_with(x, CM_ENOTFOUND, "", "no such child");
    else
        cm_api_fail_with(x, CM_EFORBIDDEN, "", "%s", msg);
    struct cm_audit_event ev;
    cm_api_event(x, action, child_id, "denied", NULL, &ev);
    cm_api_audit_send(x, &ev);
}

bool
cm_api_child_or_reply(struct cm_api_ctx *x, int64_t child_id, const char *action, bool write,
                      enum cm_access *how)
{
    struct cm_err err = {0};
    /* A read sees one snapshot from the access check to its last query, and pays SQLite's check
     * for other connections' commits (the audit writer commits all the time) once, not once per
     * statement. cm_api_audit_send or a failure ends it. */
    if (!write && !x->in_tx) {
        if (cm_store_begin(x->conn, false, &err) != CM_OK) {
            cm_api_fail(x, &err);
            return false;
        }
        x->in_tx = true;
    }
    enum cm_code rc = cm_access_child(x->conn, &x->viewer, child_id, x->now, how, &err);
    if (rc == CM_ENOTFOUND || (rc == CM_OK && *how == CM_ACCESS_NONE)) {
        cm_api_deny(x, action, child_id, true, NULL);
        return false;
    }
    if (rc != CM_OK) {
        cm_api_fail(x, &err);
        return false;
    }
    if (write && !cm_access_may_write_child(&x->viewer, *how)) {
        cm_api_deny(x, action, child_id, false,
                    "this account may read this child's record but not change it");
        return false;
    }
    return true;
}

bool
cm_api_staff_or_reply(struct cm_api_ctx *x, const char *action)
{
    if (cm_role_is_staff(x->viewer.role))
        return true;
    cm_api_deny(x, action, 0, false, "staff accounts only");
    return false;
}

bool
cm_api_tx_begin_or_reply(struct cm_api_ctx *x)
{
    struct cm_err err = {0};
    if (cm_store_begin(x->conn, true, &err) != CM_OK) {
        cm_api_fail(x, &err);
        return false;
    }
    x->in_tx = true;
    return true;
}

bool
cm_api_tx_commit_or_reply(struct cm_api_ctx *x, struct cm_audit_event *ev)
{
    struct cm_err err = {0};
    enum cm_code rc = cm_store_audit_append(x->conn, ev, 1, x->arena, &err);
    if (rc == CM_OK)
        rc = cm_store_commit(x->conn, &err);
    if (rc != CM_OK) {
        if (err.code == CM_OK)
            err.code = rc;
        cm_api_fail(x, &err); /* rolls back */
        return false;
    }
    x->in_tx = false;
    return true;
}

void
cm_api_tx_abort(struct cm_api_ctx *x)
{
    if (x->in_tx) {
        cm_store_rollback(x->conn);
        x->in_tx = false;
    }
}

/* ---- replies --------------------------------------------------------------------------------- */

void
cm_api_reply(struct cm_api_ctx *x, int status, json_t *j)
{
    if (j == NULL) {
        cm_api_fail_with(x, CM_ENOMEM, "", "out of memory");
        return;
    }
    cm_http_reply_json(x->res, status, j);
    json_decref(j);
}

void
cm_api_etag(struct cm_api_ctx *x, int64_t version)
{
    char tag[32];
    snprintf(tag, sizeof(tag), "\"%lld\"", (long long)version);
    cm_http_header_add(x->res, "ETag", tag);
}

void
cm_api_location(struct cm_api_ctx *x, const char *fmt, ...)
{
    char path[128];
    va_list ap;
    va_start(ap, fmt);
    vsnprintf(path, sizeof(path), fmt, ap);
    va_end(ap);
    cm_http_header_add(x->res, "Location", path);
}
