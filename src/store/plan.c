/*
 * The shared plan of care in the store: its elements (every kind in one table, plan_item), the
 * versions frozen from it and the family's reviews of them, and where a child's plan stands.
 * Every statement but the count reaches the child through the care-team SQL (statements.c,
 * REACHABLE_CHILD), so a viewer who does not reach the child gets CM_ENOTFOUND exactly as for a
 * missing one. The store never looks inside an item's body or translations: the plan module
 * builds and checks them.
 */
#include "store/store_int.h"

#include <sodium.h>
#include <string.h>

/* CM_ENOTFOUND unless v reaches the child now: an empty list and an unreachable child differ. */
static enum cm_code
require_reach(struct cm_conn *c, const struct cm_viewer *v, int64_t child_id, int64_t now,
              struct cm_err *err)
{
    enum cm_access how;
    enum cm_code code = cm_store_child_access(c, v, child_id, now, &how, err);
    if (code == CM_OK && how == CM_ACCESS_NONE)
        code = cm_err_set(err, CM_ENOTFOUND, "", "no such child");
    return code;
}

/* A child-scoped statement with the viewer and the child bound. */
static sqlite3_stmt *
scoped(struct cm_conn *c, enum cm_st id, const struct cm_viewer *v, int64_t child_id, int64_t now,
       char today[11])
{
    sqlite3_stmt *s = cm_store_stmt(c, id);
    cm_store_bind_viewer(s, v, now, today);
    cm_store_bind_i64(s, CM_P_CHILD, child_id);
    return s;
}

/* Steps a write with RETURNING to its end; *row says whether it returned a row, whose integer
 * columns 0..n-1 land in out. */
static int
step_returning(sqlite3_stmt *s, int64_t *out, int n, bool *row)
{
    int rc = sqlite3_step(s);
    *row = false;
    if (rc == SQLITE_ROW) {
        *row = true;
        for (int i = 0; i < n; i++)
            out[i] = sqlite3_column_int64(s, i);
        rc = sqlite3_step(s);
    }
    cm_store_done(s);
    return rc;
}

/* Sets the child's plan_updated_at inside the caller's write transaction. */
static enum cm_code
touch(struct cm_conn *c, const struct cm_viewer *v, int64_t child_id, int64_t now,
      struct cm_err *err)
{
    char today[11];
    sqlite3_stmt *s = scoped(c, CM_ST_PLAN_TOUCH, v, child_id, now, today);
    return cm_store_exec(c, s, "plan_touch", err);
}

/* ---- elements -------------------------------------------------------------------------------- */

static void
read_item(struct cm_row *r, void *item)
{
    struct cm_plan_item *it = item;
    cm_store_row_meta(r, 0, &it->meta);
    it->child_id = cm_store_row_i64(r, 5);
    it->kind = cm_store_row_text(r, 6);
    it->position = cm_store_row_i64(r, 7);
    it->lang = cm_store_row_text(r, 8);
    it->body = cm_store_row_text(r, 9);
    it->translations = cm_store_row_text(r, 10);
    it->removed_at = cm_store_row_i64(r, 11);
}

enum cm_code
cm_store_plan_item_list(struct cm_conn *c, const struct cm_viewer *v, int64_t child_id,
                        const char *kind, int64_t now, struct cm_plan_item_list *out,
                        struct cm_arena *a, struct cm_err *err)
{
    memset(out, 0, sizeof(*out));
    enum cm_code code = require_reach(c, v, child_id, now, err);
    if (code != CM_OK)
        return code;
    char today[11];
    sqlite3_stmt *s = scoped(c, CM_ST_PLAN_ITEM_LIST, v, child_id, now, today);
    cm_store_bind_text(s, 10, kind);
    void *items = NULL;
    code = cm_store_collect(c, s, a, read_item, sizeof(*out->items), &items, &out->count,
                            "plan_item_list", err);
    out->items = items;
    return code;
}

enum cm_code
cm_store_plan_item_get(struct cm_conn *c, const struct cm_viewer *v, int64_t child_id,
                       const char *kind, int64_t id, int64_t now, struct cm_plan_item *out,
                       struct cm_arena *a, struct cm_err *err)
{
    char today[11];
    sqlite3_stmt *s = scoped(c, CM_ST_PLAN_ITEM_GET, v, child_id, now, today);
    cm_store_bind_text(s, 10, kind);
    cm_store_bind_i64(s, 11, id);
    struct cm_row r = {s, a, false};
    int rc = sqlite3_step(s);
    enum cm_code code;
    if (rc == SQLITE_ROW) {
        memset(out, 0, sizeof(*out));
        read_item(&r, out);
        code = cm_store_row_check(&r, err);
    } else if (rc == SQLITE_DONE) {
        code = cm_err_set(err, CM_ENOTFOUND, "", "no such plan item");
    } else {
        code = cm_store_fail(c->db, rc, "plan_item_get", err);
    }
    cm_store_done(s);
    return code;
}

enum cm_code
cm_store_plan_item_count(struct cm_conn *c, int64_t child_id, const char *kind, int64_t *out,
                         struct cm_err *err)
{
    *out = 0;
    sqlite3_stmt *s = cm_store_stmt(c, CM_ST_PLAN_ITEM_COUNT);
    cm_store_bind_i64(s, 1, child_id);
    cm_store_bind_text(s, 2, kind);
    int rc = sqlite3_step(s);
    if (rc == SQLITE_ROW) {
        *out = sqlite3_column_int64(s, 0);
        rc = SQLITE_DONE;
    }
    cm_store_done(s);
    if (rc != SQLITE_DONE)
        return cm_store_fail(c->db, rc, "plan_item_count", err);
    return CM_OK;
}

static enum cm_code
item_create(struct cm_conn *c, const struct cm_viewer *v, int64_t now, struct cm_plan_item *it,
            struct cm_err *err)
{
    char today[11];
    sqlite3_stmt *s = scoped(c, CM_ST_PLAN_ITEM_ADD, v, it->child_id, now, today);
    cm_store_bind_text(s, 10, it->kind);
    cm_store_bind_text(s, 11, it->lang);
    cm_store_bind_text(s, 12, it->body);
    cm_store_bind_text(s, 13, it->translations);
    int64_t got[2];
    bool row;
    int rc = step_returning(s, got, 2, &row);
    if (rc != SQLITE_DONE)
        return cm_store_fail(c->db, rc, "plan_item_add", err);
    if (!row)
        return cm_err_set(err, CM_ENOTFOUND, "", "no such child");
    enum cm_code code = touch(c, v, it->child_id, now, err);
    if (code != CM_OK)
        return code;
    it->meta.id = got[0];
    it->meta.version = 1;
    it->meta.created_at = now;
    it->meta.updated_at = now;
    it->meta.updated_by = v->user_id;
    it->position = got[1];
    it->removed_at = 0;
    if (it->translations == NULL)
        it->translations = "{}";
    return CM_OK;
}

enum cm_code
cm_store_plan_item_create(struct cm_conn *c, const struct cm_viewer *v, int64_t now,
                          struct cm_plan_item *it, struct cm_err *err)
{
    bool own;
    enum cm_code code = cm_store_tx_open(c, true, &own, err);
    if (code != CM_OK)
        return code;
    code = item_create(c, v, now, it, err);
    return cm_store_tx_close(c, own, code, err);
}

/* After an update or removal by version changed nothing: stale when the live item is there and
 * reached, else not found. */
static enum cm_code
item_stale_or_missing(struct cm_conn *c, const struct cm_viewer *v, int64_t child_id,
                      const char *kind, int64_t id, int64_t now, int64_t expected,
                      struct cm_err *err)
{
    char today[11];
    sqlite3_stmt *s = scoped(c, CM_ST_PLAN_ITEM_VERSION, v, child_id, now, today);
    cm_store_bind_text(s, 10, kind);
    cm_store_bind_i64(s, 11, id);
    enum cm_code code = cm_store_stale_or_missing(c, s, expected, "plan_item_version", err);
    if (code == CM_ENOTFOUND)
        code = cm_err_set(err, CM_ENOTFOUND, "", "no such plan item");
    return code;
}

static enum cm_code
item_update(struct cm_conn *c, const struct cm_viewer *v, int64_t now, struct cm_plan_item *it,
            struct cm_err *err)
{
    char today[11];
    sqlite3_stmt *s = scoped(c, CM_ST_PLAN_ITEM_UPDATE, v, it->child_id, now, today);
    cm_store_bind_text(s, 10, it->kind);
    cm_store_bind_i64(s, 11, it->meta.id);
    cm_store_bind_i64(s, 12, it->meta.version);
    cm_store_bind_text(s, 13, it->lang);
    cm_store_bind_text(s, 14, it->body);
    cm_store_bind_text(s, 15, it->translations);
    int64_t got[5];
    bool row;
    int rc = step_returning(s, got, 5, &row);
    if (rc != SQLITE_DONE)
        return cm_store_fail(c->db, rc, "plan_item_update", err);
    if (!row)
        return item_stale_or_missing(c, v, it->child_id, it->kind, it->meta.id, now,
                                     it->meta.version, err);
    enum cm_code code = touch(c, v, it->child_id, now, err);
    if (code != CM_OK)
        return code;
    it->meta.version = got[0];
    it->meta.created_at = got[1];
    it->meta.updated_at = got[2];
    it->meta.updated_by = got[3];
    it->position = got[4];
    it->removed_at = 0;
    return CM_OK;
}

enum cm_code
cm_store_plan_item_update(struct cm_conn *c, const struct cm_viewer *v, int64_t now,
                          struct cm_plan_item *it, struct cm_err *err)
{
    bool own;
    enum cm_code code = cm_store_tx_open(c, true, &own, err);
    if (code != CM_OK)
        return code;
    code = item_update(c, v, now, it, err);
    return cm_store_tx_close(c, own, code, err);
}

static enum cm_code
item_remove(struct cm_conn *c, const struct cm_viewer *v, int64_t child_id, int64_t id,
            int64_t expected_version, int64_t now, struct cm_err *err)
{
    char today[11];
    sqlite3_stmt *s = scoped(c, CM_ST_PLAN_ITEM_REMOVE, v, child_id, now, today);
    cm_store_bind_text(s, 10, NULL);
    cm_store_bind_i64(s, 11, id);
    cm_store_bind_i64(s, 12, expected_version);
    int64_t version;
    bool row;
    int rc = step_returning(s, &version, 1, &row);
    if (rc != SQLITE_DONE)
        return cm_store_fail(c->db, rc, "plan_item_remove", err);
    if (!row)
        return item_stale_or_missing(c, v, child_id, NULL, id, now, expected_version, err);
    return touch(c, v, child_id, now, err);
}

enum cm_code
cm_store_plan_item_remove(struct cm_conn *c, const struct cm_viewer *v, int64_t child_id,
                          int64_t id, int64_t expected_version, int64_t now, struct cm_err *err)
{
    bool own;
    enum cm_code code = cm_store_tx_open(c, true, &own, err);
    if (code != CM_OK)
        return code;
    code = item_remove(c, v, child_id, id, expected_version, now, err);
    return cm_store_tx_close(c, own, code, err);
}

/* ---- versions -------------------------------------------------------------------------------- */

enum cm_code
cm_store_plan_version_create(struct cm_conn *c, const struct cm_viewer *v, int64_t now,
                             struct cm_plan_version *pv, struct cm_err *err)
{
    if (pv->content == NULL)
        return cm_err_set(err, CM_EINVAL, "content", "is required");
    /* The hash is over the exact bytes stored, so "nothing changed since version N" is a
     * comparison of two hashes. */
    unsigned char h[crypto_hash_sha256_BYTES];
    crypto_hash_sha256(h, (const unsigned char *)pv->content, strlen(pv->content));
    char sha[sizeof(c->plan_sha256)];
    cm_hex(h, sizeof(h), sha);

    char today[11];
    sqlite3_stmt *s = scoped(c, CM_ST_PLAN_VERSION_ADD, v, pv->child_id, now, today);
    cm_store_bind_text(s, 10, pv->note);
    cm_store_bind_text(s, 11, pv->content);
    cm_store_bind_text(s, 12, sha);
    int64_t got[2];
    bool row;
    int rc = step_returning(s, got, 2, &row);
    if (rc != SQLITE_DONE)
        return cm_store_fail(c->db, rc, "plan_version_add", err);
    if (!row)
        return cm_err_set(err, CM_ENOTFOUND, "", "no such child");
    pv->id = got[0];
    pv->number = got[1];
    pv->created_at = now;
    pv->created_by = v->user_id;
    memcpy(c->plan_sha256, sha, sizeof(sha));
    pv->content_sha256 = c->plan_sha256;
    return CM_OK;
}

static void
read_version(struct cm_row *r, void *item)
{
    struct cm_plan_version *pv = item;
    pv->id = cm_store_row_i64(r, 0);
    pv->child_id = cm_store_row_i64(r, 1);
    pv->number = cm_store_row_i64(r, 2);
    pv->created_at = cm_store_row_i64(r, 3);
    pv->created_by = cm_store_row_i64(r, 4);
    pv->created_by_name = cm_store_row_text(r, 5);
    pv->note = cm_store_row_text(r, 6);
    pv->content = cm_store_row_text(r, 7);
    pv->content_sha256 = cm_store_row_text(r, 8);
}

enum cm_code
cm_store_plan_version_list(struct cm_conn *c, const struct cm_viewer *v, int64_t child_id,
                           int64_t now, struct cm_plan_version_list *out, struct cm_arena *a,
                           struct cm_err *err)
{
    memset(out, 0, sizeof(*out));
    enum cm_code code = require_reach(c, v, child_id, now, err);
    if (code != CM_OK)
        return code;
    char today[11];
    sqlite3_stmt *s = scoped(c, CM_ST_PLAN_VERSION_LIST, v, child_id, now, today);
    void *items = NULL;
    code = cm_store_collect(c, s, a, read_version, sizeof(*out->items), &items, &out->count,
                            "plan_version_list", err);
    out->items = items;
    return code;
}

enum cm_code
cm_store_plan_version_get(struct cm_conn *c, const struct cm_viewer *v, int64_t child_id,
                          int64_t number, int64_t now, struct cm_plan_version *out,
                          struct cm_arena *a, struct cm_err *err)
{
    if (number < 0)
        return cm_err_set(err, CM_ENOTFOUND, "", "no such plan version");
    char today[11];
    sqlite3_stmt *s = scoped(c, CM_ST_PLAN_VERSION_GET, v, child_id, now, today);
    cm_store_bind_i64(s, 10, number);
    struct cm_row r = {s, a, false};
    int rc = sqlite3_step(s);
    enum cm_code code;
    if (rc == SQLITE_ROW) {
        memset(out, 0, sizeof(*out));
        read_version(&r, out);
        code = cm_store_row_check(&r, err);
    } else if (rc == SQLITE_DONE) {
        code = cm_err_set(err, CM_ENOTFOUND, "", "no such plan version");
    } else {
        code = cm_store_fail(c->db, rc, "plan_version_get", err);
    }
    cm_store_done(s);
    return code;
}

/* ---- reviews --------------------------------------------------------------------------------- */

enum cm_code
cm_store_plan_review_create(struct cm_conn *c, const struct cm_viewer *v, int64_t now,
                            struct cm_plan_review *r, struct cm_err *err)
{
    char today[11];
    sqlite3_stmt *s = scoped(c, CM_ST_PLAN_REVIEW_ADD, v, r->child_id, now, today);
    cm_store_bind_i64(s, 10, r->version_number);
    cm_store_bind_text(s, 11, r->decision);
    cm_store_bind_text(s, 12, r->comment);
    cm_store_bind_i64(s, 13, r->in_person ? 1 : 0);
    int64_t id;
    bool row;
    int rc = step_returning(s, &id, 1, &row);
    if (rc != SQLITE_DONE)
        return cm_store_fail(c->db, rc, "plan_review_add", err);
    /* A missing version and an unreachable child look alike, as everywhere. */
    if (!row)
        return cm_err_set(err, CM_ENOTFOUND, "", "no such plan version");
    r->id = id;
    r->created_at = now;
    r->created_by = v->user_id;
    return CM_OK;
}

static void
read_review(struct cm_row *r, void *item)
{
    struct cm_plan_review *pr = item;
    pr->id = cm_store_row_i64(r, 0);
    pr->child_id = cm_store_row_i64(r, 1);
    pr->version_number = cm_store_row_i64(r, 2);
    pr->created_at = cm_store_row_i64(r, 3);
    pr->created_by = cm_store_row_i64(r, 4);
    pr->created_by_name = cm_store_row_text(r, 5);
    pr->decision = cm_store_row_text(r, 6);
    pr->comment = cm_store_row_text(r, 7);
    pr->in_person = cm_store_row_i64(r, 8) != 0;
}

enum cm_code
cm_store_plan_review_list(struct cm_conn *c, const struct cm_viewer *v, int64_t child_id,
                          int64_t version_number, int64_t now, struct cm_plan_review_list *out,
                          struct cm_arena *a, struct cm_err *err)
{
    memset(out, 0, sizeof(*out));
    enum cm_code code = require_reach(c, v, child_id, now, err);
    if (code != CM_OK)
        return code;
    char today[11];
    sqlite3_stmt *s = scoped(c, CM_ST_PLAN_REVIEW_LIST, v, child_id, now, today);
    cm_store_bind_i64(s, 10, version_number);
    void *items = NULL;
    code = cm_store_collect(c, s, a, read_review, sizeof(*out->items), &items, &out->count,
                            "plan_review_list", err);
    out->items = items;
    return code;
}

/* ---- where the plan stands ------------------------------------------------------------------- */

enum cm_code
cm_store_plan_state(struct cm_conn *c, const struct cm_viewer *v, int64_t child_id, int64_t now,
                    struct cm_plan_state *out, struct cm_err *err)
{
    memset(out, 0, sizeof(*out));
    char today[11];
    sqlite3_stmt *s = scoped(c, CM_ST_PLAN_STATE, v, child_id, now, today);
    int rc = sqlite3_step(s);
    enum cm_code code = CM_OK;
    if (rc == SQLITE_ROW) {
        /* NULLs (never frozen, never reviewed) read as 0. */
        out->latest_version = sqlite3_column_int64(s, 0);
        out->latest_version_at = sqlite3_column_int64(s, 1);
        out->reviewed_at = sqlite3_column_int64(s, 2);
        out->reviewed_version = sqlite3_column_int64(s, 3);
        out->open_requests = sqlite3_column_int64(s, 4);
    } else if (rc == SQLITE_DONE) {
        code = cm_err_set(err, CM_ENOTFOUND, "", "no such child");
    } else {
        code = cm_store_fail(c->db, rc, "plan_state", err);
    }
    cm_store_done(s);
    return code;
}
