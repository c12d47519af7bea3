/*
 * The audit trail: append-only and hash-chained. Each event's hash is
 *
 *     hash = hex(SHA-256(prev_hash || canonical))
 *
 * where prev_hash is the previous event's hash as 64 lowercase hex characters (64 '0's for the
 * first event) and canonical is every other column of the event, in this order:
 *
 *     id, at, user_id, role, action, child_id, outcome, request_id, detail, break_glass
 *
 * each serialised as "i<decimal>;" for integers (user_id and child_id are 0 when absent,
 * break_glass 0 or 1), "t<length>:<bytes>" for text (length in decimal bytes) and "n" for a NULL
 * text (role is NULL for no role, the names otherwise as in model.h). The length prefixes make the
 * serialisation unambiguous whatever bytes the text holds. Changing any of this breaks every
 * existing chain: add a version to the text instead.
 */
#include "store/store_int.h"

#include <sodium.h>
#include <string.h>

static const char zero_hash[65] =
    "0000000000000000000000000000000000000000000000000000000000000000";

static void
feed_int(crypto_hash_sha256_state *h, int64_t v)
{
    char num[32];
    int k = snprintf(num, sizeof(num), "i%lld;", (long long)v);
    crypto_hash_sha256_update(h, (const unsigned char *)num, (size_t)k);
}

static void
feed_text(crypto_hash_sha256_state *h, const char *s, size_t n)
{
    if (s == NULL) {
        crypto_hash_sha256_update(h, (const unsigned char *)"n", 1);
        return;
    }
    char head[32];
    int k = snprintf(head, sizeof(head), "t%zu:", n);
    crypto_hash_sha256_update(h, (const unsigned char *)head, (size_t)k);
    crypto_hash_sha256_update(h, (const unsigned char *)s, n);
}

/* The columns of one event as stored. */
struct stored {
    int64_t id, at, user_id, child_id, break_glass;
    const char *role, *action, *outcome, *request_id, *detail;
    size_t role_n, action_n, outcome_n, request_id_n, detail_n;
};

static void
event_hash(const char *prev_hash, const struct stored *e, char out[65])
{
    crypto_hash_sha256_state h;
    crypto_hash_sha256_init(&h);
    crypto_hash_sha256_update(&h, (const unsigned char *)prev_hash, 64);
    feed_int(&h, e->id);
    feed_int(&h, e->at);
    feed_int(&h, e->user_id);
    feed_text(&h, e->role, e->role_n);
    feed_text(&h, e->action, e->action_n);
    feed_int(&h, e->child_id);
    feed_text(&h, e->outcome, e->outcome_n);
    feed_text(&h, e->request_id, e->request_id_n);
    feed_text(&h, e->detail, e->detail_n);
    feed_int(&h, e->break_glass);
    unsigned char sum[crypto_hash_sha256_BYTES];
    crypto_hash_sha256_final(&h, sum);
    cm_hex(sum, sizeof(sum), out);
}

static size_t
len_of(const char *s)
{
    return s ? strlen(s) : 0;
}

static enum cm_code
append(struct cm_conn *c, struct cm_audit_event *ev, size_t n, struct cm_arena *a,
       struct cm_err *err)
{
    char prev[65];
    int64_t next_id = 1;
    memcpy(prev, zero_hash, sizeof(prev));
    sqlite3_stmt *s = cm_store_stmt(c, CM_ST_AUDIT_LAST);
    int rc = sqlite3_step(s);
    if (rc == SQLITE_ROW) {
        next_id = sqlite3_column_int64(s, 0) + 1;
        const char *h = cm_store_col(s, 1);
        if (h == NULL || strlen(h) != 64) {
            cm_store_done(s);
            return cm_err_set(err, CM_EDB, "", "the last audit event has no valid hash");
        }
        memcpy(prev, h, sizeof(prev));
        rc = SQLITE_DONE;
    }
    cm_store_done(s);
    if (rc != SQLITE_DONE)
        return cm_store_fail(c->db, rc, "audit_last", err);

    for (size_t i = 0; i < n; i++) {
        struct cm_audit_event *e = &ev[i];
        if (e->at == 0)
            e->at = cm_time_now();
        const char *role = cm_store_role_text(e->role);
        struct stored st = {
            .id = next_id,
            .at = e->at,
            .user_id = e->user_id,
            .child_id = e->child_id,
            .break_glass = e->break_glass ? 1 : 0,
            .role = role,
            .role_n = len_of(role),
            .action = e->action,
            .action_n = len_of(e->action),
            .outcome = e->outcome,
            .outcome_n = len_of(e->outcome),
            .request_id = e->request_id,
            .request_id_n = len_of(e->request_id),
            .detail = e->detail,
            .detail_n = len_of(e->detail),
        };
        char hash[65];
        event_hash(prev, &st, hash);
        char *prev_copy = NULL, *hash_copy = NULL;
        if (a != NULL) {
            prev_copy = cm_arena_strdup(a, prev);
            hash_copy = cm_arena_strdup(a, hash);
            if (prev_copy == NULL || hash_copy == NULL)
                return cm_err_set(err, CM_ETOOBIG, "", "the request's memory cap was reached");
        }

        s = cm_store_stmt(c, CM_ST_AUDIT_ADD);
        cm_store_bind_i64(s, 1, st.id);
        cm_store_bind_i64(s, 2, st.at);
        cm_store_bind_ref(s, 3, st.user_id);
        cm_store_bind_text(s, 4, role);
        cm_store_bind_text(s, 5, e->action);
        cm_store_bind_ref(s, 6, st.child_id);
        cm_store_bind_text(s, 7, e->outcome);
        cm_store_bind_text(s, 8, e->request_id);
        cm_store_bind_text(s, 9, e->detail);
        cm_store_bind_i64(s, 10, st.break_glass);
        cm_store_bind_text(s, 11, prev);
        cm_store_bind_text(s, 12, hash);
        enum cm_code code = cm_store_exec(c, s, "audit_add", err);
        if (code != CM_OK)
            return code;
        e->id = next_id++;
        e->prev_hash = prev_copy;
        e->hash = hash_copy;
        memcpy(prev, hash, sizeof(prev));
    }
    return CM_OK;
}

enum cm_code
cm_store_audit_append(struct cm_conn *c, struct cm_audit_event *ev, size_t n, struct cm_arena *a,
                      struct cm_err *err)
{
    if (n == 0)
        return CM_OK;
    /* The chain's last hash must not move between reading it and appending: a write
     * transaction (the caller's, or BEGIN IMMEDIATE here) holds the write lock throughout. */
    bool own;
    enum cm_code code = cm_store_tx_open(c, true, &own, err);
    if (code != CM_OK)
        return code;
    code = append(c, ev, n, a, err);
    return cm_store_tx_close(c, own, code, err);
}

enum cm_code
cm_store_audit_count(struct cm_conn *c, int64_t child_id, int64_t *out, struct cm_err *err)
{
    sqlite3_stmt *s = cm_store_stmt(c, child_id ? CM_ST_AUDIT_COUNT_CHILD : CM_ST_AUDIT_COUNT_ALL);
    if (child_id)
        cm_store_bind_i64(s, 1, child_id);
    int rc = sqlite3_step(s);
    *out = rc == SQLITE_ROW ? sqlite3_column_int64(s, 0) : 0;
    cm_store_done(s);
    if (rc != SQLITE_ROW)
        return cm_store_fail(c->db, rc, "audit_count", err);
    return CM_OK;
}

static void
read_audit(struct cm_row *r, void *item)
{
    struct cm_audit_event *e = item;
    e->id = cm_store_row_i64(r, 0);
    e->at = cm_store_row_i64(r, 1);
    e->user_id = cm_store_row_i64(r, 2);
    e->role = cm_store_role_of(cm_store_col(r->s, 3));
    e->action = cm_store_row_text(r, 4);
    e->child_id = cm_store_row_i64(r, 5);
    e->outcome = cm_store_row_text(r, 6);
    e->request_id = cm_store_row_text(r, 7);
    e->detail = cm_store_row_text(r, 8);
    e->break_glass = cm_store_row_i64(r, 9) != 0;
    e->prev_hash = cm_store_row_text(r, 10);
    e->hash = cm_store_row_text(r, 11);
    e->user_name = cm_store_row_text(r, 12);
}

enum cm_code
cm_store_audit_list(struct cm_conn *c, int64_t child_id, int limit, int offset,
                    struct cm_audit_list *out, struct cm_arena *a, struct cm_err *err)
{
    memset(out, 0, sizeof(*out));
    if (limit < 1)
        return cm_err_set(err, CM_EINVAL, "limit", "must be at least 1");
    if (offset < 0)
        return cm_err_set(err, CM_EINVAL, "offset", "must not be negative");
    sqlite3_stmt *s = cm_store_stmt(c, child_id ? CM_ST_AUDIT_LIST_CHILD : CM_ST_AUDIT_LIST_ALL);
    cm_store_bind_i64(s, 1, limit);
    cm_store_bind_i64(s, 2, offset);
    if (child_id)
        cm_store_bind_i64(s, 3, child_id);
    void *items = NULL;
    enum cm_code rc = cm_store_collect(c, s, a, read_audit, sizeof(*out->items), &items,
                                       &out->count, "audit_list", err);
    out->items = items;
    return rc;
}

static const char *
text_of(sqlite3_stmt *s, int col, size_t *n)
{
    const char *t = (const char *)sqlite3_column_text(s, col);
    *n = t ? (size_t)sqlite3_column_bytes(s, col) : 0;
    return t;
}

static enum cm_code
walk(struct cm_conn *c, int64_t *bad_id, int64_t *checked, struct cm_err *err)
{
    char prev[65];
    memcpy(prev, zero_hash, sizeof(prev));
    sqlite3_stmt *s = cm_store_stmt(c, CM_ST_AUDIT_WALK);
    int rc;
    while ((rc = sqlite3_step(s)) == SQLITE_ROW) {
        struct stored e = {
            .id = sqlite3_column_int64(s, 0),
            .at = sqlite3_column_int64(s, 1),
            .user_id = sqlite3_column_int64(s, 2),
            .child_id = sqlite3_column_int64(s, 5),
            .break_glass = sqlite3_column_int64(s, 9),
        };
        e.role = text_of(s, 3, &e.role_n);
        e.action = text_of(s, 4, &e.action_n);
        e.outcome = text_of(s, 6, &e.outcome_n);
        e.request_id = text_of(s, 7, &e.request_id_n);
        e.detail = text_of(s, 8, &e.detail_n);
        const char *stored_prev = cm_store_col(s, 10);
        const char *stored_hash = cm_store_col(s, 11);
        char hash[65];
        event_hash(prev, &e, hash);
        (*checked)++;
        if (stored_prev == NULL || strcmp(stored_prev, prev) != 0 || stored_hash == NULL ||
            strcmp(stored_hash, hash) != 0) {
            *bad_id = e.id;
            rc = SQLITE_DONE;
            break;
        }
        memcpy(prev, hash, sizeof(prev));
    }
    cm_store_done(s);
    if (rc != SQLITE_DONE)
        return cm_store_fail(c->db, rc, "audit_walk", err);
    return CM_OK;
}

enum cm_code
cm_store_audit_verify(struct cm_conn *c, int64_t *bad_id, int64_t *checked, struct cm_err *err)
{
    *bad_id = 0;
    *checked = 0;
    /* One read transaction: a consistent snapshot while writers go on appending. */
    bool own;
    enum cm_code code = cm_store_tx_open(c, false, &own, err);
    if (code != CM_OK)
        return code;
    code = walk(c, bad_id, checked, err);
    return cm_store_tx_close(c, own, code, err);
}
