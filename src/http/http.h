/*
 * http: the HTTP server (libmicrohttpd thread pool + epoll), the route table, static assets served
 * before the routes, request and reply helpers, and JSON body decoding against a field table. It
 * knows no domain words.
 *
 * Memory: each request owns an arena (cap: arena_max_bytes), created on the first access-handler
 * call and freed in MHD's request-completed callback (which also runs for aborted requests).
 * Everything a handler allocates comes from req->arena; handlers never free. A handler that runs
 * the arena out gets 413.
 */
#ifndef CM_HTTP_H
#define CM_HTTP_H

#include "core/core.h"

#include <jansson.h>

#define CM_HTTP_MAX_PARAMS 4

struct cm_http_server;

struct cm_http_request {
    const char *method; /* "GET", "POST", ... */
    const char *path;   /* decoded path without the query */
    const char *body;   /* NUL-terminated; NULL when there was none */
    size_t body_len;
    struct cm_arena *arena;
    char request_id[17]; /* 16 hex characters, also sent as X-Request-Id */
    char client_ip[48];
    int64_t params[CM_HTTP_MAX_PARAMS]; /* the {id} segments of the matched pattern, in order */
    size_t nparams;
    void *app; /* the server's app pointer */
    void *mhd; /* the struct MHD_Connection; for http/ only */
};

struct cm_http_response {
    int status;
    struct cm_buf body;
    const char *content_type; /* default "application/json; charset=utf-8" */
    struct cm_http_header *headers;
};

typedef void (*cm_http_handler)(struct cm_http_request *req, struct cm_http_response *res);

enum cm_http_route_flags {
    CM_HTTP_NO_STORE = 1 << 0, /* Cache-Control: no-store (every /api/ route) */
};

/* A route: method and pattern, where "{id}" matches one segment of 1-18 decimal digits (a
 * positive int64) and lands in req->params. Patterns are matched segment by segment; the first
 * route whose pattern and method match wins. */
struct cm_http_route {
    const char *method;
    const char *pattern;
    cm_http_handler handler;
    unsigned flags;
};

/* Pure routing, for the server and the fuzzer: returns the route for method and path, or NULL.
 * When NULL and *allowed is not 0, the path matched under other methods (405; *allowed is a
 * bitmask over the methods GET=1, POST=2, PUT=4, PATCH=8, DELETE=16). */
const struct cm_http_route *cm_http_route_match(const struct cm_http_route *routes, size_t n,
                                                const char *method, const char *path,
                                                int64_t params[CM_HTTP_MAX_PARAMS], size_t *nparams,
                                                unsigned *allowed);
/* Writes the "GET, POST" form of an allowed mask into out. */
void cm_http_allowed_format(unsigned allowed, char *out, size_t size);

/* A static file served as it is, before routing: GET and HEAD of its exact path answer it, other
 * methods 405. The table and everything it points to are borrowed for the server's life (the
 * embedded web UI is static data). etag is the strong entity tag with its quotes ("\"ab12\""),
 * made from a hash of the content; gz_data (may be NULL) is the same content gzipped, sent with
 * Content-Encoding: gzip to clients that accept it, under gz_etag. */
struct cm_http_asset {
    const char *path; /* "/" or "/assets/app.1a2b3c4d.js" */
    const char *type; /* Content-Type */
    const unsigned char *data;
    size_t len;
    bool immutable; /* a content-hashed name: cached for a year; otherwise revalidated each time */
    const char *etag;
    const unsigned char *gz_data;
    size_t gz_len;
    const char *gz_etag;
};

/* What to send for a request on an asset path; the pointers borrow from the asset. */
struct cm_http_asset_reply {
    int status; /* 200, 304 or 405 */
    const unsigned char *data;
    size_t len;
    const char *type;
    const char *etag;          /* NULL for a 405 */
    const char *cache_control; /* NULL for a 405 */
    bool gzip;                 /* Content-Encoding: gzip */
    bool vary;                 /* Vary: Accept-Encoding (the asset has a gzipped copy) */
};

/* Pure, for the server and tests: when path is one of the n assets, fills *out for method (with
 * the request's If-None-Match and Accept-Encoding values, either may be NULL) and returns true;
 * otherwise returns false and leaves *out alone. */
bool cm_http_asset_answer(const struct cm_http_asset *assets, size_t n, const char *method,
                          const char *path, const char *if_none_match, const char *accept_encoding,
                          struct cm_http_asset_reply *out);
/* True when an If-None-Match value ("*", or a comma-separated list of entity tags, weak or
 * strong: RFC 9110 compares them weakly) names etag. */
bool cm_http_etag_match(const char *if_none_match, const char *etag);
/* True when an Accept-Encoding value accepts gzip (listed, or "*", without q=0). */
bool cm_http_accepts_gzip(const char *accept_encoding);

struct cm_http_config {
    const char *listen; /* "127.0.0.1:8080"; port 0 picks a free port */
    int threads;
    int conn_limit;
    int per_ip_conn_limit;
    int conn_timeout_s;
    size_t body_max_bytes; /* 413 past it, before the body is read */
    size_t arena_max_bytes;
    size_t mhd_memory_bytes; /* per-connection memory for headers: 431 past it */
    void *app;               /* handed to every handler as req->app */
    /* May be NULL. Runs on the worker thread right after each handler returns (a deferred one
     * too, before its reply goes out), with app: the place to close what a handler may have left
     * open on this thread, whatever path it took. */
    void (*after_handler)(void *app);
    /* May be NULL/0. Static files answered before the routes (see struct cm_http_asset); borrowed
     * for the server's life. */
    const struct cm_http_asset *assets;
    size_t nassets;
};

/* Starts listening and serving. Returns CM_EIO naming the address when it cannot bind. */
CM_MUST_CHECK enum cm_code cm_http_server_start(const struct cm_http_config *cfg,
                                                const struct cm_http_route *routes, size_t n,
                                                struct cm_http_server **out, struct cm_err *err);
/* The port actually bound. */
int cm_http_server_port(const struct cm_http_server *s);
/* Stops accepting, waits for requests in flight, frees the server. */
void cm_http_server_stop(struct cm_http_server *s);

/* ---- request helpers ------------------------------------------------------------------------- */

/* A request header (case-insensitive name), or NULL. */
const char *cm_http_header(const struct cm_http_request *r, const char *name);
/* A decoded query parameter, or NULL. */
const char *cm_http_query(const struct cm_http_request *r, const char *name);
/* CM_EINVAL naming the first query parameter not in allowed (NULL-terminated list). */
CM_MUST_CHECK enum cm_code cm_http_query_only(const struct cm_http_request *r,
                                              const char *const *allowed, struct cm_err *err);
/* A cookie's value, or NULL. */
const char *cm_http_cookie(const struct cm_http_request *r, const char *name);

/* ---- deferred replies ------------------------------------------------------------------------ */

/* For a handler whose answer waits on work done by another thread (an audited read waits for the
 * audit writer's group commit): it fills res as usual, calls cm_http_defer(req), hands req and res
 * to the other thread and returns. The worker thread is then free for other connections; the
 * connection is suspended until cm_http_resume(req) is called, exactly once, from any thread, which
 * sends res as it stands then (the other thread may rewrite res before resuming; after resuming it
 * must not touch req or res). cm_http_resume may run before the handler has returned.
 * cm_http_server_stop waits for every deferred request to be resumed. */
void cm_http_defer(struct cm_http_request *req);
void cm_http_resume(struct cm_http_request *req);

/* ---- replies --------------------------------------------------------------------------------- */

/* Adds a response header (name and value are copied into the arena). */
void cm_http_header_add(struct cm_http_response *res, const char *name, const char *value);
/* Serialises j (borrowed) as the body with status. */
void cm_http_reply_json(struct cm_http_response *res, int status, const json_t *j);
/* {"error":{"code":code,"message":message,"field":field}} */
void cm_http_reply_error(struct cm_http_response *res, int status, const char *code,
                         const char *field, const char *message);
/* A body-less reply (204, 304, ...). */
void cm_http_reply_empty(struct cm_http_response *res, int status);

/* ---- JSON bodies ----------------------------------------------------------------------------- */

enum cm_json_type {
    CM_JSON_STRING, /* const char * in the struct, copied to the arena */
    CM_JSON_DATE,   /* const char *, checked as YYYY-MM-DD */
    CM_JSON_INT,    /* int */
    CM_JSON_INT64,  /* int64_t */
    CM_JSON_BOOL,   /* bool */
};

/* One field of a JSON object, declared as data (kcgi style). A field given as null sets a
 * nullable field to NULL/0 and is an error otherwise. */
struct cm_json_field {
    const char *name;
    enum cm_json_type type;
    size_t offset; /* offsetof(struct, member) */
    bool required;
    bool nullable;
    size_t min_len; /* strings, in characters (UTF-8 code points) */
    size_t max_len; /* strings; 0 means 2000 */
    int64_t min;    /* numbers; min == max == 0 means any non-negative value */
    int64_t max;
};

/* Parses body as one JSON object (duplicate keys, invalid UTF-8, \u0000, trailing data and any
 * key not in fields are errors; the message says line:column for syntax errors and names the
 * field otherwise) and stores each present field into out. *present gets bit i for fields[i]
 * (at most 64 fields). Required fields missing are CM_EINVAL naming them. */
CM_MUST_CHECK enum cm_code cm_json_decode(const char *body, size_t len,
                                          const struct cm_json_field *fields, size_t nfields,
                                          void *out, uint64_t *present, struct cm_arena *a,
                                          struct cm_err *err);

#endif
