/*
 * api: the JSON routes of docs/api.md. Each route is thin: parse -> authenticate -> authorise ->
 * act inside one transaction -> audit -> serialise. The route table is data (routes.c); the
 * server (http/) calls the handlers with req->app pointing at a struct cm_api_app.
 *
 * Threads: handlers run on libmicrohttpd's worker threads. Each worker opens its own database
 * connection on its first request and keeps it; cm_api_conns_close_all() closes them all once the
 * server has stopped.
 */
#ifndef CM_API_H
#define CM_API_H

#include "access/access.h"
#include "core/core.h"
#include "http/http.h"
#include "plan/plan.h"
#include "store/store.h"

/* What every handler needs; owned by `caremap serve` (or a test) and outliving the server. */
struct cm_api_app {
    struct cm_store *store;
    struct cm_audit_writer *audit;
    const struct cm_config *cfg;
    /* The plain-words glossaries POST /api/readability suggests from, loaded once by
     * cm_api_glossaries_load (left zeroed, they suggest nothing). */
    struct cm_glossary glossary_en;
    struct cm_glossary glossary_es;
};

/*
 * Loads the embedded glossaries (data/glossary/en.json and es.json) into app. Call once before the
 * server starts; cm_api_glossaries_free releases them after it stopped. Returns CM_OK, or what
 * cm_plan_glossary_init_json returns (CM_EINVAL naming the file for a malformed glossary,
 * CM_ENOMEM); CM_EINTERNAL when a glossary is not embedded. On error nothing stays loaded.
 */
CM_MUST_CHECK enum cm_code cm_api_glossaries_load(struct cm_api_app *app, struct cm_err *err);
/* Releases what cm_api_glossaries_load loaded; a no-op on zeroed glossaries. */
void cm_api_glossaries_free(struct cm_api_app *app);

/* The route table (static data; *n gets its length). Every route is flagged CM_HTTP_NO_STORE. */
const struct cm_http_route *cm_api_routes(size_t *n);

/* The server's after_handler: ends any transaction a route left open on this thread's
 * connection (a read's snapshot must not outlive its request). */
void cm_api_after_handler(void *app);

/* Closes every per-thread connection the handlers opened. Call only after cm_http_server_stop()
 * returned (no handler may be running); a later request on a new server opens fresh ones. */
void cm_api_conns_close_all(void);

#endif
