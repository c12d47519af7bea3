/*
 * api internals shared by the route files: the request context, authentication, the error table,
 * audit and transaction helpers, strict parsers for ids and If-Match, and the JSON serialisers.
 *
 * Memory: everything allocated for a request comes from its arena (x->arena). jansson values
 * returned by the serialisers are new references; cm_api_reply() consumes the one it is given.
 * Helpers named cm_api_*_or_reply return false after they have replied with an error, so a
 * handler simply returns.
 */
#ifndef CM_API_INT_H
#define CM_API_INT_H

#include "access/access.h"
#include "api/api.h"
#include "core/core.h"
#include "http/http.h"
#include "model/model.h"
#include "model/plan_item.h"
#include "plan/plan.h"
#include "store/store.h"

#include <jansson.h>

/* One request's state as it moves through the route. */
struct cm_api_ctx {
    struct cm_http_request *req;
    struct cm_http_response *res;
    struct cm_api_app *app;
    struct cm_arena *arena;
    struct cm_conn *conn; /* this worker thread's connection */
    int64_t now;
    char today[11];
    /* Filled by authentication (not for CM_API_PUBLIC routes). */
    struct cm_session session;
    struct cm_user user;
    struct cm_viewer viewer;
    const char *token;
    bool by_cookie;
    bool in_tx;
    struct cm_err err;
};

enum cm_api_start_flags {
    CM_API_PUBLIC = 1 << 0, /* no sign-in needed */
    CM_API_JSON_BODY =
        1 << 1, /* the request must be Content-Type: application/json even when empty */
};

/* Starts a route: connection, clock, then (unless CM_API_PUBLIC) the session from the cookie or
 * the bearer token, the user (disabled: 401), and CSRF for state-changing methods by cookie; then
 * the query parameters (any not in the NULL-terminated list query is 400; NULL allows none) and
 * the Content-Type of any body (415). Returns false after replying with the error. */
bool cm_api_start(struct cm_http_request *req, struct cm_http_response *res, unsigned flags,
                  const char *const *query, struct cm_api_ctx *x);
/* This worker thread's connection, opened on first use. */
CM_MUST_CHECK enum cm_code cm_api_conn_get(struct cm_store *store, struct cm_conn **out,
                                           struct cm_err *err);

/* The session cookie's name: "__Host-caremap" when public_url is https://, else "caremap". */
const char *cm_api_cookie_name(const struct cm_config *cfg);
/* True when public_url starts with "https://" (cookies get Secure). */
bool cm_api_secure(const struct cm_config *cfg);

/* ---- errors ---------------------------------------------------------------------------------- */

/* THE table from enum cm_code to HTTP status and error code name. Unknown codes and the codes of
 * bugs (CM_EDB, CM_EINTERNAL, CM_ENOMEM, CM_EIO, CM_OK) are 500 "internal". */
int cm_api_status_of(enum cm_code code, const char **name);
/* Formats the error message of err: "<field>: <msg>" when there is a field. */
void cm_api_error_message(const struct cm_err *err, char *out, size_t size);
/* Replies with err mapped through the table (a 500 logs the code and field, never data, and
 * answers a generic message). Rolls back an open transaction. */
void cm_api_fail(struct cm_api_ctx *x, const struct cm_err *err);
/* cm_api_fail with an error built here. */
void cm_api_fail_with(struct cm_api_ctx *x, enum cm_code code, const char *field, const char *fmt,
                      ...) CM_PRINTF(4, 5);
/* Replies with a status and code name that no enum cm_code carries (415, 428, 503). */
void cm_api_fail_status(struct cm_api_ctx *x, int status, const char *code, const char *field,
                        const char *msg);

/* ---- parsing --------------------------------------------------------------------------------- */

/* A positive id of 1-18 decimal digits and nothing else. */
CM_MUST_CHECK enum cm_code cm_api_id_parse(const char *s, int64_t *out, const char *field,
                                           struct cm_err *err);
/* Decimal digits only (no sign, no spaces), within [min, max]. */
CM_MUST_CHECK enum cm_code cm_api_int_parse(const char *s, int64_t min, int64_t max, int64_t *out,
                                            const char *field, struct cm_err *err);
/* "0"/"false" or "1"/"true". */
CM_MUST_CHECK enum cm_code cm_api_flag_parse(const char *s, bool *out, const char *field,
                                             struct cm_err *err);
/* An If-Match value: `"N"` or `W/"N"` with N a positive version, optional spaces around it.
 * Anything else (lists, "*", bare numbers) is CM_EINVAL naming the header. */
CM_MUST_CHECK enum cm_code cm_api_if_match_parse(const char *s, int64_t *version,
                                                 struct cm_err *err);
/* Content-Type acceptable for a JSON body: application/json with no parameter but charset=utf-8. */
bool cm_api_content_type_ok(const char *value);
/* The token of "Bearer <token>" (scheme case-insensitive), or NULL. */
const char *cm_api_bearer(const char *authorization);

/* The If-Match version: missing is 428, malformed 400. */
bool cm_api_if_match_or_reply(struct cm_api_ctx *x, int64_t *version);
/* Decodes the body against fields. An absent or empty body is allowed only with allow_empty (then
 * *present is 0). Replies 400 (413 past a cap) and returns false on error. */
bool cm_api_decode_or_reply(struct cm_api_ctx *x, const struct cm_json_field *fields, size_t n,
                            void *out, uint64_t *present, bool allow_empty);
/* Copies fields[i] from src to dst for every bit i in present (PATCH onto the current record). */
void cm_api_fields_apply(const struct cm_json_field *fields, size_t n, uint64_t present, void *dst,
                         const void *src);
/* Copies n fields into out[] with required cleared (a PATCH accepts any subset). n <= 64. */
void cm_api_fields_optional(const struct cm_json_field *fields, size_t n,
                            struct cm_json_field *out);
/* Bit i of present: was fields[i] in the body? */
#define CM_API_HAS(present, i) (((present) >> (i)) & 1u)

/* ---- authorisation and audit ----------------------------------------------------------------- */

/* Fills ev for this request: now, the viewer (0 when not signed in), request id. */
void cm_api_event(const struct cm_api_ctx *x, const char *action, int64_t child_id,
                  const char *outcome, const char *detail, struct cm_audit_event *ev);
/* cm_api_event for a successful access to child_id's information reached as `how`: outcome "ok",
 * and break_glass set when the access came through a break-glass grant. */
void cm_api_child_event(const struct cm_api_ctx *x, const char *action, int64_t child_id,
                        enum cm_access how, const char *detail, struct cm_audit_event *ev);
/* Audits a successful read (cm_api_child_event) and sends the reply already built, as
 * cm_api_audit_send: the handler returns right after. */
void cm_api_audit_read(struct cm_api_ctx *x, const char *action, int64_t child_id,
                       enum cm_access how, const char *detail);
/* Sends the reply already in x->res once ev is durable. The request is deferred and ev handed to
 * the group-commit writer; the worker thread returns at once and serves other connections while
 * the group is written (so audited reads do not hold threads). If the audit fails, the reply
 * becomes a 500 without its data: nothing goes out unaudited. After this call nothing may touch
 * x->req, x->res or x->arena: the handler just returns. */
void cm_api_audit_send(struct cm_api_ctx *x, const struct cm_audit_event *ev);
/* Replies 404 "no such child" (deny_404) or 403 and sends it once the denial (outcome "denied")
 * is audited, as cm_api_audit_send: the handler returns right after. */
void cm_api_deny(struct cm_api_ctx *x, const char *action, int64_t child_id, bool deny_404,
                 const char *msg);

/* How the viewer reaches child_id; when it does not, audits `action` as denied and replies 404
 * exactly as for a missing child. With write, a viewer who reaches but may not change the child
 * (family, analyst) is audited as denied and gets 403.
 * Without write it opens a read transaction (x->in_tx) that the route's cm_api_audit_send or any
 * failure ends. */
bool cm_api_child_or_reply(struct cm_api_ctx *x, int64_t child_id, const char *action, bool write,
                           enum cm_access *how);
/* Staff only (family accounts: 403, audited as denied with action). */
bool cm_api_staff_or_reply(struct cm_api_ctx *x, const char *action);

/* Opens a write transaction (replies 500 on failure). */
bool cm_api_tx_begin_or_reply(struct cm_api_ctx *x);
/* Appends ev in the open transaction and commits; on failure rolls back and replies. */
bool cm_api_tx_commit_or_reply(struct cm_api_ctx *x, struct cm_audit_event *ev);
/* Rolls back the open transaction, if any. */
void cm_api_tx_abort(struct cm_api_ctx *x);

/* ---- replies and JSON ------------------------------------------------------------------------ */

/* Sends j (consumed) with status; a NULL j (out of memory) is 500. */
void cm_api_reply(struct cm_api_ctx *x, int status, json_t *j);
/* ETag: "<version>". */
void cm_api_etag(struct cm_api_ctx *x, int64_t version);
/* Location: the formatted path. */
void cm_api_location(struct cm_api_ctx *x, const char *fmt, ...) CM_PRINTF(2, 3);

/* A string or null (jansson refuses invalid UTF-8: then null). */
json_t *cm_api_jstr(const char *s);
/* An id, or null for 0. */
json_t *cm_api_jid(int64_t id);
/* An ISO time, or null for 0. */
json_t *cm_api_jtime(int64_t t);
/* {"items": items (consumed), "total", "limit", "offset"}. */
json_t *cm_api_list_json(json_t *items, int64_t total, int64_t limit, int64_t offset);

/* The child as docs/api.md shows it; how == CM_ACCESS_NONE leaves out "access". */
json_t *cm_api_child_json(const struct cm_child *c, enum cm_access how, const char *today);
json_t *cm_api_family_json(const struct cm_family_member *f);
json_t *cm_api_team_json(const struct cm_team_member *t);
/* A user without the password hash. */
json_t *cm_api_user_json(const struct cm_user *u);
json_t *cm_api_organization_json(const struct cm_organization *o);

/* ---- the shared plan of care ----------------------------------------------------------------- */

/* Hands j (a new reference) to the request's arena, which drops it when the request ends, and
 * returns it borrowed; NULL (j released) when j is NULL or the arena cannot take it. */
json_t *cm_api_json_keep(struct cm_api_ctx *x, json_t *j);
/* Parses a stored JSON text (a plan document, a version's content) kept as cm_api_json_keep does;
 * NULL when it is not JSON (a bug: the server wrote it). */
json_t *cm_api_json_load_kept(struct cm_api_ctx *x, const char *text);
/* A plan document of child_id inside the open transaction: the frozen content of version number
 * (pv filled), or with number 0 the working plan assembled now (pv zeroed). A version that does
 * not exist is 404 "no such version" naming field (the query parameter or ""). *doc is borrowed
 * from the arena. Replies and returns false on error. */
bool cm_api_plan_doc_or_reply(struct cm_api_ctx *x, int64_t child_id, int64_t number,
                              const char *field, json_t **doc, struct cm_plan_version *pv);

/* ---- handlers (one file per resource family) --------------------------------------------------
 */

void cm_api_health_get(struct cm_http_request *req, struct cm_http_response *res);

void cm_api_session_create(struct cm_http_request *req, struct cm_http_response *res);
void cm_api_session_delete(struct cm_http_request *req, struct cm_http_response *res);
void cm_api_me_get(struct cm_http_request *req, struct cm_http_response *res);
void cm_api_me_update(struct cm_http_request *req, struct cm_http_response *res);

void cm_api_children_list(struct cm_http_request *req, struct cm_http_response *res);
void cm_api_child_create(struct cm_http_request *req, struct cm_http_response *res);
void cm_api_child_get(struct cm_http_request *req, struct cm_http_response *res);
void cm_api_child_update(struct cm_http_request *req, struct cm_http_response *res);

void cm_api_family_list(struct cm_http_request *req, struct cm_http_response *res);
void cm_api_family_create(struct cm_http_request *req, struct cm_http_response *res);
void cm_api_family_get(struct cm_http_request *req, struct cm_http_response *res);
void cm_api_family_update(struct cm_http_request *req, struct cm_http_response *res);

void cm_api_team_list(struct cm_http_request *req, struct cm_http_response *res);
void cm_api_team_create(struct cm_http_request *req, struct cm_http_response *res);
void cm_api_team_get(struct cm_http_request *req, struct cm_http_response *res);
void cm_api_team_update(struct cm_http_request *req, struct cm_http_response *res);
void cm_api_team_end(struct cm_http_request *req, struct cm_http_response *res);
void cm_api_team_lead_set(struct cm_http_request *req, struct cm_http_response *res);

void cm_api_access_history_list(struct cm_http_request *req, struct cm_http_response *res);
void cm_api_break_glass_create(struct cm_http_request *req, struct cm_http_response *res);
void cm_api_break_glass_list(struct cm_http_request *req, struct cm_http_response *res);

void cm_api_organizations_list(struct cm_http_request *req, struct cm_http_response *res);
void cm_api_organization_create(struct cm_http_request *req, struct cm_http_response *res);
void cm_api_organization_get(struct cm_http_request *req, struct cm_http_response *res);
void cm_api_organization_update(struct cm_http_request *req, struct cm_http_response *res);

void cm_api_users_list(struct cm_http_request *req, struct cm_http_response *res);
void cm_api_user_create(struct cm_http_request *req, struct cm_http_response *res);
void cm_api_user_get(struct cm_http_request *req, struct cm_http_response *res);
void cm_api_user_update(struct cm_http_request *req, struct cm_http_response *res);
void cm_api_user_password_set(struct cm_http_request *req, struct cm_http_response *res);

/* plan_items.c: the element declaration, items of every kind (the kind comes from the path),
 * translations and the starter action plans. */
void cm_api_plan_kinds_list(struct cm_http_request *req, struct cm_http_response *res);
void cm_api_plan_items_list(struct cm_http_request *req, struct cm_http_response *res);
void cm_api_plan_item_create(struct cm_http_request *req, struct cm_http_response *res);
void cm_api_plan_item_get(struct cm_http_request *req, struct cm_http_response *res);
void cm_api_plan_item_update(struct cm_http_request *req, struct cm_http_response *res);
void cm_api_plan_item_remove(struct cm_http_request *req, struct cm_http_response *res);
void cm_api_plan_item_translate(struct cm_http_request *req, struct cm_http_response *res);
void cm_api_plan_templates_list(struct cm_http_request *req, struct cm_http_response *res);
void cm_api_plan_from_template(struct cm_http_request *req, struct cm_http_response *res);

/* plan_versions.c: the working plan, versions, the diff and family reviews. */
void cm_api_plan_get(struct cm_http_request *req, struct cm_http_response *res);
void cm_api_plan_versions_list(struct cm_http_request *req, struct cm_http_response *res);
void cm_api_plan_version_create(struct cm_http_request *req, struct cm_http_response *res);
void cm_api_plan_version_get(struct cm_http_request *req, struct cm_http_response *res);
void cm_api_plan_diff(struct cm_http_request *req, struct cm_http_response *res);
void cm_api_plan_reviews_list(struct cm_http_request *req, struct cm_http_response *res);
void cm_api_plan_review_create(struct cm_http_request *req, struct cm_http_response *res);

/* plan_print.c: the plan and the emergency sheet as PDF. */
void cm_api_plan_pdf(struct cm_http_request *req, struct cm_http_response *res);
void cm_api_plan_emergency_pdf(struct cm_http_request *req, struct cm_http_response *res);

/* readability.c: the plain-language check. */
void cm_api_readability_check(struct cm_http_request *req, struct cm_http_response *res);

/* identify_runs.c: identification runs of the program, their candidates, enrolling one, and
 * comparing two runs. */
void cm_api_identify_runs_list(struct cm_http_request *req, struct cm_http_response *res);
void cm_api_identify_run_get(struct cm_http_request *req, struct cm_http_response *res);
void cm_api_identify_candidates_list(struct cm_http_request *req, struct cm_http_response *res);
void cm_api_identify_candidate_enrol(struct cm_http_request *req, struct cm_http_response *res);
void cm_api_identify_compare(struct cm_http_request *req, struct cm_http_response *res);

#endif
