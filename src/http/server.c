/*
 * The server: a libmicrohttpd daemon with an internal thread pool polling with epoll, and the
 * request life around each handler call.
 *
 * A request's state (and its arena) is made in MHD's URI log callback, the one place that sees the
 * raw request target: MHD hands the access handler a path that is already percent-decoded and
 * NUL-terminated, so "/api/children/1%00x" would arrive as "/api/children/1". We decode the raw
 * path ourselves and refuse NUL and bytes that are not UTF-8. MHD calls the completion callback
 * for every request whose URI callback ran, aborted or not, and there the arena is freed.
 *
 * Static assets (cm_http_config.assets) are answered before routing, from their static data, so
 * the browser UI costs no handler, no database and no copy.
 */
#include "http/http_int.h"

#include <arpa/inet.h>
#include <assert.h>
#include <errno.h>
#include <limits.h>
#include <microhttpd.h>
#include <netinet/in.h>
#include <pthread.h>
#include <stddef.h>
#include <stdlib.h>
#include <string.h>
#include <sys/socket.h>
#include <unistd.h>

struct cm_http_server {
    struct MHD_Daemon *daemon;
    struct cm_http_config cfg;
    const struct cm_http_route *routes;
    size_t nroutes;
    int port;
    /* Deferred requests not yet resumed: the server waits for them before it stops, so that no
     * completion resumes a connection that no longer exists. */
    pthread_mutex_t mu;
    pthread_cond_t idle;
    pthread_cond_t resumed; /* broadcast by cm_http_resume while stopping */
    size_t deferred;
    /* Once set, deferred requests wait on their worker thread instead of suspending: keep-alive
     * clients go on sending requests until the daemon stops, and MHD must not be stopped while
     * any connection is suspended. */
    bool stopping;
};

/* One request. It lives in its own arena, so freeing the arena frees it. */
struct exchange {
    struct cm_http_server *srv;
    struct cm_arena *arena;
    double t0;
    bool started;  /* the access handler has seen this request */
    bool bad_path; /* the raw path decodes to NUL or to bytes that are not UTF-8 */
    bool too_big;  /* the body passed body_max_bytes while it streamed in */
    bool answered; /* a response is queued (or the connection was refused) */
    /* Deferral (cm_http_defer / cm_http_resume); guarded by srv->mu, since the resume comes from
     * another thread and may come before the handler has even returned. */
    bool deferred;  /* the handler asked to answer later */
    bool suspended; /* MHD_suspend_connection was called */
    bool resumed;   /* cm_http_resume was called: res is final */
    const struct cm_http_route *route;
    char *path; /* decoded, without the query */
    struct cm_buf body;
    struct cm_http_request req;
    struct cm_http_response res;
};

/* Bodies the server sends on its own. Static, so they need no arena: the 413 for an exhausted
 * arena must be sent when the arena can give nothing more. */
static const char body_not_found[] =
    "{\"error\":{\"code\":\"not_found\",\"message\":\"no such route\",\"field\":\"\"}}";
static const char body_not_allowed[] = "{\"error\":{\"code\":\"method_not_allowed\",\"message\":"
                                       "\"this route does not take that method\",\"field\":\"\"}}";
static const char body_too_big[] = "{\"error\":{\"code\":\"too_big\",\"message\":\"the request "
                                   "body is larger than allowed\",\"field\":\"\"}}";
static const char body_arena[] = "{\"error\":{\"code\":\"too_big\",\"message\":\"the request "
                                 "needs more memory than allowed\",\"field\":\"\"}}";
static const char body_bad_path[] = "{\"error\":{\"code\":\"invalid\",\"message\":\"the path "
                                    "must be UTF-8 text without NUL\",\"field\":\"\"}}";
static const char body_internal[] =
    "{\"error\":{\"code\":\"internal\",\"message\":\"internal error\",\"field\":\"\"}}";

static const char csp[] =
    "default-src 'self'; frame-ancestors 'none'; base-uri 'none'; form-action 'self'";

/* ---- the raw path -------------------------------------------------------------------------- */

static int
hexval(char c)
{
    if (c >= '0' && c <= '9')
        return c - '0';
    if (c >= 'a' && c <= 'f')
        return c - 'a' + 10;
    if (c >= 'A' && c <= 'F')
        return c - 'A' + 10;
    return -1;
}

/* Percent-decodes the path part of a request target into the arena, as MHD does (a '%' not
 * followed by two hex digits stays as it is; '+' stays '+'), and reports whether the result is
 * text a router may compare. */
static char *
decode_path(struct cm_arena *a, const char *uri, bool *ok)
{
    size_t n = strcspn(uri, "?");
    char *out = cm_arena_alloc(a, n + 1);
    *ok = false;
    if (out == NULL)
        return NULL;
    size_t j = 0;
    for (size_t i = 0; i < n; i++) {
        int hi, lo;
        if (uri[i] == '%' && i + 2 < n && (hi = hexval(uri[i + 1])) >= 0 &&
            (lo = hexval(uri[i + 2])) >= 0) {
            out[j++] = (char)(hi * 16 + lo);
            i += 2;
        } else {
            out[j++] = uri[i];
        }
    }
    out[j] = '\0';
    *ok = cm_utf8_valid(out, j);
    return out;
}

/* ---- callbacks ------------------------------------------------------------------------------ */

static void *
on_uri(void *cls, const char *uri, struct MHD_Connection *c)
{
    CM_UNUSED(c);
    struct cm_http_server *srv = cls;
    struct cm_arena *a = cm_arena_new(srv->cfg.arena_max_bytes);
    if (a == NULL)
        return NULL;
    struct exchange *x = cm_arena_calloc(a, 1, sizeof(*x));
    if (x == NULL) {
        cm_arena_free(a);
        return NULL;
    }
    x->srv = srv;
    x->arena = a;
    x->t0 = cm_time_mono_ms();
    bool ok;
    x->path = decode_path(a, uri ? uri : "", &ok);
    x->bad_path = x->path == NULL || !ok;
    return x;
}

static void
on_completed(void *cls, struct MHD_Connection *c, void **con_cls,
             enum MHD_RequestTerminationCode toe)
{
    CM_UNUSED(cls);
    CM_UNUSED(c);
    struct exchange *x = *con_cls;
    if (x == NULL)
        return;
    if (!x->answered) {
        /* MHD answered itself (431, 400) or the client went away: still one line per request. */
        static const char *const why[] = {"ok",       "error",      "timeout",
                                          "shutdown", "read_error", "client_abort"};
        cm_log_info("method=- route=- status=- ms=%.1f end=%s", cm_time_mono_ms() - x->t0,
                    (size_t)toe < CM_ARRAY_LEN(why) ? why[toe] : "other");
    }
    *con_cls = NULL;
    cm_arena_free(x->arena);
}

static void on_mhd_log(void *cls, const char *fmt, va_list ap) CM_PRINTF(2, 0);

static void
on_mhd_log(void *cls, const char *fmt, va_list ap)
{
    CM_UNUSED(cls);
    char line[256];
    vsnprintf(line, sizeof(line), fmt, ap);
    /* MHD's messages end with a newline and may hold quotes; keep the logfmt value clean. */
    for (char *p = line; *p != '\0'; p++) {
        if (*p == '\n' || *p == '\r' || *p == '"')
            *p = (*p == '"') ? '\'' : ' ';
    }
    cm_log_warn("mhd=\"%s\"", line);
}

/* ---- responses ------------------------------------------------------------------------------ */

static bool
add_header(struct MHD_Response *r, const char *name, const char *value)
{
    return MHD_add_response_header(r, name, value) == MHD_YES;
}

/* The headers every response carries, whoever made it. */
static bool
security_headers(struct MHD_Response *r, const struct exchange *x)
{
    return add_header(r, "X-Request-Id", x->req.request_id) &&
           add_header(r, "Content-Security-Policy", csp) &&
           add_header(r, "X-Content-Type-Options", "nosniff") &&
           add_header(r, "Referrer-Policy", "no-referrer") &&
           add_header(r, "X-Frame-Options", "DENY");
}

/* Queues status with body (arena or static memory, alive until the completion callback) and every
 * header the contract asks for; the handler's own headers only when the handler's reply is the one
 * sent (a 413 or 500 from the server must not carry, say, a Set-Cookie). */
static enum MHD_Result
send_reply(struct MHD_Connection *c, struct exchange *x, const struct cm_http_route *route,
           int status, const char *body, size_t len, const char *type, const char *allow,
           bool handler_headers)
{
    struct MHD_Response *r =
        MHD_create_response_from_buffer(len, (void *)(uintptr_t)body, MHD_RESPMEM_PERSISTENT);
    if (r == NULL)
        return MHD_NO;
    bool ok = security_headers(r, x);
    if (ok && len > 0)
        ok = add_header(r, MHD_HTTP_HEADER_CONTENT_TYPE, type ? type : CM_HTTP_JSON_TYPE);
    /* Errors are never cached either: 404 and 405 are cacheable by default (RFC 9110), and a
     * proxy must not remember that a record was missing. */
    if (ok && (route == NULL || (route->flags & CM_HTTP_NO_STORE) || status >= 400))
        ok = add_header(r, MHD_HTTP_HEADER_CACHE_CONTROL, "no-store");
    if (ok && allow != NULL)
        ok = add_header(r, MHD_HTTP_HEADER_ALLOW, allow);
    if (ok && handler_headers) {
        /* The list is newest first; send in the order the handler added them. */
        size_t n = 0;
        for (struct cm_http_header *h = x->res.headers; h != NULL; h = h->next)
            n++;
        const struct cm_http_header *stack[64];
        size_t k = 0;
        for (struct cm_http_header *h = x->res.headers; h != NULL && k < CM_ARRAY_LEN(stack);
             h = h->next)
            stack[k++] = h;
        while (ok && k > 0) {
            k--;
            ok = add_header(r, stack[k]->name, stack[k]->value);
        }
        if (n > CM_ARRAY_LEN(stack))
            cm_log_error("msg=\"too many response headers, the oldest dropped\" max=%zu",
                         CM_ARRAY_LEN(stack));
    }
    if (!ok) {
        MHD_destroy_response(r);
        return MHD_NO;
    }
    enum MHD_Result rc = MHD_queue_response(c, (unsigned)status, r);
    MHD_destroy_response(r);
    x->answered = true;
    cm_log_info("method=%s route=%s status=%d ms=%.1f",
                cm_http_method_bit(x->req.method) ? x->req.method : "OTHER",
                route ? route->pattern : "-", status, cm_time_mono_ms() - x->t0);
    return rc;
}

static enum MHD_Result
send_static(struct MHD_Connection *c, struct exchange *x, const struct cm_http_route *route,
            int status, const char *body, const char *allow)
{
    return send_reply(c, x, route, status, body, strlen(body), NULL, allow, false);
}

/* Answers a request on an asset path as cm_http_asset_answer decided. The body is the asset's
 * static data, so it needs no copy. */
static enum MHD_Result
send_asset(struct MHD_Connection *c, struct exchange *x, const struct cm_http_asset_reply *a)
{
    if (a->status == 405)
        return send_static(c, x, NULL, 405, body_not_allowed, "GET, HEAD");
    struct MHD_Response *r =
        MHD_create_response_from_buffer(a->len, (void *)(uintptr_t)a->data, MHD_RESPMEM_PERSISTENT);
    if (r == NULL)
        return MHD_NO;
    bool ok = security_headers(r, x) && add_header(r, MHD_HTTP_HEADER_ETAG, a->etag) &&
              add_header(r, MHD_HTTP_HEADER_CACHE_CONTROL, a->cache_control);
    if (ok && a->status == 200)
        ok = add_header(r, MHD_HTTP_HEADER_CONTENT_TYPE, a->type);
    if (ok && a->vary)
        ok = add_header(r, MHD_HTTP_HEADER_VARY, MHD_HTTP_HEADER_ACCEPT_ENCODING);
    if (ok && a->gzip && a->status == 200)
        ok = add_header(r, MHD_HTTP_HEADER_CONTENT_ENCODING, "gzip");
    if (!ok) {
        MHD_destroy_response(r);
        return MHD_NO;
    }
    enum MHD_Result rc = MHD_queue_response(c, (unsigned)a->status, r);
    MHD_destroy_response(r);
    x->answered = true;
    /* Asset paths are the build's own file names, never data: they may be logged as they are. */
    cm_log_info("method=%s route=%s status=%d ms=%.1f", x->req.method, x->path, a->status,
                cm_time_mono_ms() - x->t0);
    return rc;
}

/* ---- the access handler --------------------------------------------------------------------- */

/* Content-Length as a number, or -1 when absent or not plain digits (MHD refuses those itself). */
static long long
content_length(struct MHD_Connection *c)
{
    const char *s = MHD_lookup_connection_value(c, MHD_HEADER_KIND, MHD_HTTP_HEADER_CONTENT_LENGTH);
    if (s == NULL || *s == '\0')
        return -1;
    long long v = 0;
    for (; *s != '\0'; s++) {
        if (*s < '0' || *s > '9')
            return -1;
        if (v > (LLONG_MAX - 9) / 10)
            return LLONG_MAX;
        v = v * 10 + (*s - '0');
    }
    return v;
}

static void
client_ip(struct MHD_Connection *c, char *out, size_t size)
{
    const union MHD_ConnectionInfo *ci =
        MHD_get_connection_info(c, MHD_CONNECTION_INFO_CLIENT_ADDRESS);
    out[0] = '\0';
    if (ci == NULL || ci->client_addr == NULL)
        return;
    const struct sockaddr *sa = ci->client_addr;
    if (sa->sa_family == AF_INET)
        inet_ntop(AF_INET, &((const struct sockaddr_in *)(const void *)sa)->sin_addr, out,
                  (socklen_t)size);
    else if (sa->sa_family == AF_INET6)
        inet_ntop(AF_INET6, &((const struct sockaddr_in6 *)(const void *)sa)->sin6_addr, out,
                  (socklen_t)size);
}

/* The first call: headers are in, the body (if any) is not. */
static enum MHD_Result
start(struct MHD_Connection *c, struct exchange *x, const char *method)
{
    x->started = true;
    cm_random_hex(x->req.request_id, 8);
    cm_log_set_request(x->req.request_id);
    x->req.method = method;
    x->req.path = x->path;
    x->req.arena = x->arena;
    x->req.app = x->srv->cfg.app;
    x->req.mhd = c;
    client_ip(c, x->req.client_ip, sizeof(x->req.client_ip));
    cm_buf_init(&x->body, x->arena, x->srv->cfg.body_max_bytes);
    long long cl = content_length(c);
    if (cl >= 0 && (unsigned long long)cl > x->srv->cfg.body_max_bytes) {
        /* Answer before reading a byte of the body; MHD then closes the connection. */
        return send_static(c, x, NULL, 413, body_too_big, NULL);
    }
    if (cl > 0) {
        /* One allocation of the announced size instead of doubling as the body streams in. */
        char *p = cm_arena_alloc(x->arena, (size_t)cl + 1);
        if (p == NULL)
            return send_static(c, x, NULL, 413, body_arena, NULL);
        x->body.data = p;
        x->body.cap = (size_t)cl + 1;
    }
    return MHD_YES;
}

/* cm_http_header_add leaves a nameless entry for a header it refused. */
static bool
headers_refused(const struct cm_http_response *res)
{
    for (const struct cm_http_header *h = res->headers; h != NULL; h = h->next) {
        if (h->name == NULL)
            return true;
    }
    return false;
}

static enum MHD_Result respond(struct MHD_Connection *c, struct exchange *x);

static enum MHD_Result
finish(struct MHD_Connection *c, struct exchange *x)
{
    if (x->too_big)
        return send_static(c, x, NULL, 413, body_too_big, NULL);
    if (x->bad_path)
        return send_static(c, x, NULL, 400, body_bad_path, NULL);
    struct cm_http_asset_reply asset;
    if (cm_http_asset_answer(x->srv->cfg.assets, x->srv->cfg.nassets, x->req.method, x->path,
                             cm_http_header(&x->req, MHD_HTTP_HEADER_IF_NONE_MATCH),
                             cm_http_header(&x->req, MHD_HTTP_HEADER_ACCEPT_ENCODING), &asset))
        return send_asset(c, x, &asset);
    unsigned allowed = 0;
    const struct cm_http_route *route =
        cm_http_route_match(x->srv->routes, x->srv->nroutes, x->req.method, x->path, x->req.params,
                            &x->req.nparams, &allowed);
    if (route == NULL && allowed == 0)
        return send_static(c, x, NULL, 404, body_not_found, NULL);
    if (route == NULL) {
        char allow[64];
        cm_http_allowed_format(allowed, allow, sizeof(allow));
        return send_static(c, x, NULL, 405, body_not_allowed, allow);
    }
    if (x->body.len > 0) {
        x->req.body = x->body.data;
        x->req.body_len = x->body.len;
    }
    /* Replies may use what is left of the arena; the arena's cap is the real limit. */
    cm_buf_init(&x->res.body, x->arena, x->srv->cfg.arena_max_bytes);
    x->route = route;
    route->handler(&x->req, &x->res);
    if (x->srv->cfg.after_handler != NULL)
        x->srv->cfg.after_handler(x->srv->cfg.app);
    if (x->deferred) {
        struct cm_http_server *srv = x->srv;
        pthread_mutex_lock(&srv->mu);
        if (!x->resumed && srv->stopping) {
            while (!x->resumed)
                pthread_cond_wait(&srv->resumed, &srv->mu);
        }
        bool now = x->resumed; /* the completion beat us here: answer at once */
        if (!now) {
            MHD_suspend_connection(c);
            x->suspended = true;
        }
        pthread_mutex_unlock(&srv->mu);
        if (!now)
            return MHD_YES;
    }
    return respond(c, x);
}

/* Sends what the handler (and, for a deferred request, its completion) left in x->res. */
static enum MHD_Result
respond(struct MHD_Connection *c, struct exchange *x)
{
    const struct cm_http_route *route = x->route;
    enum MHD_Result rc;
    if (cm_arena_exhausted(x->arena)) {
        rc = send_static(c, x, route, 413, body_arena, NULL);
    } else if (x->res.status < 100 || x->res.status > 599) {
        cm_log_error("msg=\"handler set no status\" method=%s route=%s", route->method,
                     route->pattern);
        rc = send_static(c, x, route, 500, body_internal, NULL);
    } else if (headers_refused(&x->res)) {
        rc = send_static(c, x, route, 500, body_internal, NULL);
    } else {
        rc = send_reply(c, x, route, x->res.status, x->res.body.data ? x->res.body.data : "",
                        x->res.body.len, x->res.content_type, NULL, true);
    }
    return rc;
}

static enum MHD_Result
on_request(void *cls, struct MHD_Connection *c, const char *url, const char *method,
           const char *version, const char *upload_data, size_t *upload_data_size, void **con_cls)
{
    CM_UNUSED(cls);
    CM_UNUSED(url);
    CM_UNUSED(version);
    struct exchange *x = *con_cls;
    if (x == NULL)
        return MHD_NO; /* no memory for the request state: drop the connection */
    if (!x->started) {
        enum MHD_Result rc = start(c, x, method);
        cm_log_set_request(NULL);
        return rc;
    }
    if (x->answered) {
        /* Answered early (413): swallow whatever MHD still hands us. */
        *upload_data_size = 0;
        return MHD_YES;
    }
    if (x->suspended) {
        /* Called again after cm_http_resume: the response is final. */
        cm_log_set_request(x->req.request_id);
        enum MHD_Result rc = respond(c, x);
        cm_log_set_request(NULL);
        return rc;
    }
    if (*upload_data_size != 0) {
        if (!x->too_big && cm_buf_append(&x->body, upload_data, *upload_data_size) != CM_OK)
            x->too_big = true; /* chunked past the cap: 413 once the upload ends */
        *upload_data_size = 0;
        return MHD_YES;
    }
    /* Every line logged while answering (the handler's too) carries the request id. */
    cm_log_set_request(x->req.request_id);
    enum MHD_Result rc = finish(c, x);
    cm_log_set_request(NULL);
    return rc;
}

/* ---- start and stop ------------------------------------------------------------------------- */

static enum cm_code
parse_listen(const char *listen, struct sockaddr_in *sa, struct cm_err *err)
{
    memset(sa, 0, sizeof(*sa));
    sa->sin_family = AF_INET;
    const char *colon = listen ? strrchr(listen, ':') : NULL;
    char host[64];
    if (colon == NULL || (size_t)(colon - listen) >= sizeof(host) || colon[1] == '\0')
        return cm_err_set(err, CM_EINVAL, "listen", "must be IPv4-address:port, got '%s'",
                          listen ? listen : "");
    memcpy(host, listen, (size_t)(colon - listen));
    host[colon - listen] = '\0';
    if (inet_pton(AF_INET, host, &sa->sin_addr) != 1)
        return cm_err_set(err, CM_EINVAL, "listen", "'%s' is not an IPv4 address", host);
    long port = 0;
    for (const char *p = colon + 1; *p != '\0'; p++) {
        if (*p < '0' || *p > '9' || port > 65535)
            return cm_err_set(err, CM_EINVAL, "listen", "port must be 0 to 65535");
        port = port * 10 + (*p - '0');
    }
    if (port > 65535)
        return cm_err_set(err, CM_EINVAL, "listen", "port must be 0 to 65535");
    sa->sin_port = htons((uint16_t)port);
    return CM_OK;
}

/* A table a server may use: programmer errors, so assert. */
static void
check_routes(const struct cm_http_route *routes, size_t n)
{
    for (size_t i = 0; i < n; i++) {
        assert(routes[i].pattern != NULL && routes[i].pattern[0] == '/');
        assert(routes[i].handler != NULL);
        assert(cm_http_method_bit(routes[i].method) != 0);
        size_t ids = 0;
        for (const char *p = strstr(routes[i].pattern, "{id}"); p != NULL;
             p = strstr(p + 4, "{id}"))
            ids++;
        assert(ids <= CM_HTTP_MAX_PARAMS);
        CM_UNUSED(ids);
    }
}

enum cm_code
cm_http_server_start(const struct cm_http_config *cfg, const struct cm_http_route *routes, size_t n,
                     struct cm_http_server **out, struct cm_err *err)
{
    *out = NULL;
    check_routes(routes, n);
    struct sockaddr_in sa;
    enum cm_code rc = parse_listen(cfg->listen, &sa, err);
    if (rc != CM_OK)
        return rc;
    struct cm_http_server *s = calloc(1, sizeof(*s));
    if (s == NULL)
        return cm_err_set(err, CM_ENOMEM, "", "out of memory");
    s->cfg = *cfg;
    s->routes = routes;
    s->nroutes = n;
    pthread_mutex_init(&s->mu, NULL);
    pthread_cond_init(&s->idle, NULL);
    pthread_cond_init(&s->resumed, NULL);
    /* Limits left at 0 keep MHD's own defaults, so only the ones set are passed. No
     * MHD_OPTION_LISTENING_ADDRESS_REUSE: on Linux it means SO_REUSEPORT, and a second server on
     * the same port would then share it silently instead of failing. */
    struct MHD_OptionItem opts[16];
    size_t k = 0;
    /* The logger first, so MHD's complaints about later options go through it too. */
    opts[k++] = (struct MHD_OptionItem){MHD_OPTION_EXTERNAL_LOGGER, (intptr_t)on_mhd_log, s};
    opts[k++] = (struct MHD_OptionItem){MHD_OPTION_SOCK_ADDR, 0, &sa};
    opts[k++] = (struct MHD_OptionItem){MHD_OPTION_URI_LOG_CALLBACK, (intptr_t)on_uri, s};
    opts[k++] = (struct MHD_OptionItem){MHD_OPTION_NOTIFY_COMPLETED, (intptr_t)on_completed, s};
    if (cfg->threads > 1)
        opts[k++] = (struct MHD_OptionItem){MHD_OPTION_THREAD_POOL_SIZE, cfg->threads, NULL};
    if (cfg->conn_timeout_s > 0)
        opts[k++] =
            (struct MHD_OptionItem){MHD_OPTION_CONNECTION_TIMEOUT, cfg->conn_timeout_s, NULL};
    if (cfg->conn_limit > 0)
        opts[k++] = (struct MHD_OptionItem){MHD_OPTION_CONNECTION_LIMIT, cfg->conn_limit, NULL};
    if (cfg->per_ip_conn_limit > 0)
        opts[k++] = (struct MHD_OptionItem){MHD_OPTION_PER_IP_CONNECTION_LIMIT,
                                            cfg->per_ip_conn_limit, NULL};
    if (cfg->mhd_memory_bytes > 0)
        opts[k++] = (struct MHD_OptionItem){MHD_OPTION_CONNECTION_MEMORY_LIMIT,
                                            (intptr_t)cfg->mhd_memory_bytes, NULL};
    opts[k++] = (struct MHD_OptionItem){MHD_OPTION_END, 0, NULL};
    assert(k <= CM_ARRAY_LEN(opts));
    /* epoll with an internal thread pool: each worker polls its own share of the connections. */
    unsigned flags = MHD_USE_INTERNAL_POLLING_THREAD | MHD_USE_EPOLL | MHD_USE_ERROR_LOG |
                     MHD_ALLOW_SUSPEND_RESUME;
    errno = 0;
    s->daemon = MHD_start_daemon(flags, ntohs(sa.sin_port), NULL, NULL, on_request, s,
                                 MHD_OPTION_ARRAY, opts, MHD_OPTION_END);
    if (s->daemon == NULL) {
        int e = errno;
        pthread_cond_destroy(&s->resumed);
        pthread_cond_destroy(&s->idle);
        pthread_mutex_destroy(&s->mu);
        free(s);
        return cm_err_set(err, CM_EIO, "listen", "cannot listen on %s: %s", cfg->listen,
                          e ? strerror(e) : "unknown error");
    }
    const union MHD_DaemonInfo *di = MHD_get_daemon_info(s->daemon, MHD_DAEMON_INFO_BIND_PORT);
    s->port = di ? di->port : ntohs(sa.sin_port);
    *out = s;
    return CM_OK;
}

int
cm_http_server_port(const struct cm_http_server *s)
{
    return s->port;
}

void
cm_http_server_stop(struct cm_http_server *s)
{
    if (s == NULL)
        return;
    /* Stop accepting, stop suspending, then let every suspended request be resumed (its
     * completion is on its way: the audit writer outlives the server) before the daemon and its
     * connections go. */
    pthread_mutex_lock(&s->mu);
    s->stopping = true;
    pthread_mutex_unlock(&s->mu);
    MHD_socket ls = MHD_quiesce_daemon(s->daemon);
    if (ls != MHD_INVALID_SOCKET)
        close(ls);
    pthread_mutex_lock(&s->mu);
    while (s->deferred > 0)
        pthread_cond_wait(&s->idle, &s->mu);
    pthread_mutex_unlock(&s->mu);
    MHD_stop_daemon(s->daemon);
    pthread_cond_destroy(&s->resumed);
    pthread_cond_destroy(&s->idle);
    pthread_mutex_destroy(&s->mu);
    free(s);
}

/* ---- deferred replies ----------------------------------------------------------------------- */

void
cm_http_defer(struct cm_http_request *req)
{
    struct exchange *x = (struct exchange *)(void *)((char *)req - offsetof(struct exchange, req));
    pthread_mutex_lock(&x->srv->mu);
    assert(!x->deferred);
    x->deferred = true;
    x->srv->deferred++;
    pthread_mutex_unlock(&x->srv->mu);
}

void
cm_http_resume(struct cm_http_request *req)
{
    struct exchange *x = (struct exchange *)(void *)((char *)req - offsetof(struct exchange, req));
    struct cm_http_server *srv = x->srv;
    pthread_mutex_lock(&srv->mu);
    assert(x->deferred && !x->resumed);
    x->resumed = true;
    if (x->suspended)
        MHD_resume_connection(x->req.mhd);
    if (--srv->deferred == 0)
        pthread_cond_broadcast(&srv->idle);
    if (srv->stopping)
        pthread_cond_broadcast(&srv->resumed);
    pthread_mutex_unlock(&srv->mu);
}
