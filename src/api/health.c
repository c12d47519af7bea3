/*
 * GET /healthz: answers 200 when the database answers a trivial query, 503 when it does not. No
 * sign-in, not audited (it reads nothing about anyone).
 */
#include "api/api_int.h"

void
cm_api_health_get(struct cm_http_request *req, struct cm_http_response *res)
{
    struct cm_api_app *app = req->app;
    struct cm_conn *conn = NULL;
    struct cm_err err = {0};
    enum cm_code rc = cm_api_conn_get(app->store, &conn, &err);
    int64_t program_id = 0;
    if (rc == CM_OK) {
        cm_store_rollback(conn); /* as cm_api_start: never inherit an open transaction */
        rc = cm_store_program_first(conn, &program_id, &err);
    }
    /* An empty database (no program yet) still answers. */
    if (rc != CM_OK && rc != CM_ENOTFOUND) {
        cm_log_warn("healthz database=down code=%s", cm_code_name(rc));
        cm_http_reply_error(res, 503, "unavailable", "", "the database does not answer");
        return;
    }
    json_t *j = json_pack("{s:s}", "status", "ok");
    if (j == NULL) {
        cm_http_reply_error(res, 500, "internal", "", "out of memory");
        return;
    }
    cm_http_reply_json(res, 200, j);
    json_decref(j);
}
