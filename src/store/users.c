/*
 * Programs, organisations, users, family-account links, sessions and sign-in failures: the
 * records that are not about one child, so they take no viewer (the API decides who may call).
 */
#include "store/store_int.h"

#include <string.h>

/* ---- programs -------------------------------------------------------------------------------- */

enum cm_code
cm_store_program_create(struct cm_conn *c, const char *name, int64_t *id, struct cm_err *err)
{
    sqlite3_stmt *s = cm_store_stmt(c, CM_ST_PROGRAM_ADD);
    cm_store_bind_i64(s, 1, cm_time_now());
    cm_store_bind_text(s, 2, name);
    enum cm_code code = cm_store_exec(c, s, "program_add", err);
    if (code == CM_OK)
        *id = sqlite3_last_insert_rowid(c->db);
    return code;
}

enum cm_code
cm_store_program_first(struct cm_conn *c, int64_t *id, struct cm_err *err)
{
    sqlite3_stmt *s = cm_store_stmt(c, CM_ST_PROGRAM_FIRST);
    int rc = sqlite3_step(s);
    enum cm_code code = CM_OK;
    if (rc == SQLITE_ROW)
        *id = sqlite3_column_int64(s, 0);
    else if (rc == SQLITE_DONE)
        code = cm_err_set(err, CM_ENOTFOUND, "", "there is no program yet");
    else
        code = cm_store_fail(c->db, rc, "program_first", err);
    cm_store_done(s);
    return code;
}

/* ---- organisations --------------------------------------------------------------------------- */

static void
read_org(struct cm_row *r, void *item)
{
    struct cm_organization *o = item;
    cm_store_row_meta(r, 0, &o->meta);
    o->program_id = cm_store_row_i64(r, 5);
    o->name = cm_store_row_text(r, 6);
    o->type = cm_store_org_type_of(cm_store_col(r->s, 7));
    o->phone = cm_store_row_text(r, 8);
    o->email = cm_store_row_text(r, 9);
    o->address = cm_store_row_text(r, 10);
}

/* Creates keep a time the caller set (imports, the demo's reproducible history); otherwise now. */
static void
stamp_new(struct cm_meta *m, int64_t by)
{
    int64_t now = cm_time_now();
    if (m->created_at == 0)
        m->created_at = now;
    if (m->updated_at == 0)
        m->updated_at = m->created_at;
    m->updated_by = by;
    m->version = 1;
}

enum cm_code
cm_store_organization_create(struct cm_conn *c, struct cm_organization *o, int64_t by,
                             struct cm_err *err)
{
    struct cm_meta m = o->meta;
    stamp_new(&m, by);
    sqlite3_stmt *s = cm_store_stmt(c, CM_ST_ORG_ADD);
    cm_store_bind_i64(s, 1, m.created_at);
    cm_store_bind_i64(s, 2, m.updated_at);
    cm_store_bind_i64(s, 3, by);
    cm_store_bind_i64(s, 4, o->program_id);
    cm_store_bind_text(s, 5, o->name);
    cm_store_bind_text(s, 6, cm_store_org_type_text(o->type));
    cm_store_bind_text(s, 7, o->phone);
    cm_store_bind_text(s, 8, o->email);
    cm_store_bind_text(s, 9, o->address);
    enum cm_code code = cm_store_exec(c, s, "org_add", err);
    if (code != CM_OK)
        return code;
    m.id = sqlite3_last_insert_rowid(c->db);
    o->meta = m;
    return CM_OK;
}

enum cm_code
cm_store_organization_get(struct cm_conn *c, int64_t program_id, int64_t id,
                          struct cm_organization *out, struct cm_arena *a, struct cm_err *err)
{
    sqlite3_stmt *s = cm_store_stmt(c, CM_ST_ORG_GET);
    cm_store_bind_i64(s, 1, program_id);
    cm_store_bind_i64(s, 2, id);
    struct cm_row r = {s, a, false};
    int rc = sqlite3_step(s);
    enum cm_code code = CM_OK;
    if (rc == SQLITE_ROW) {
        memset(out, 0, sizeof(*out));
        read_org(&r, out);
        code = cm_store_row_check(&r, err);
    } else if (rc == SQLITE_DONE) {
        code = cm_err_set(err, CM_ENOTFOUND, "", "no such organisation");
    } else {
        code = cm_store_fail(c->db, rc, "org_get", err);
    }
    cm_store_done(s);
    return code;
}

enum cm_code
cm_store_organization_list(struct cm_conn *c, int64_t program_id, struct cm_organization_list *out,
                           struct cm_arena *a, struct cm_err *err)
{
    memset(out, 0, sizeof(*out));
    sqlite3_stmt *s = cm_store_stmt(c, CM_ST_ORG_LIST);
    cm_store_bind_i64(s, 1, program_id);
    void *items = NULL;
    enum cm_code rc = cm_store_collect(c, s, a, read_org, sizeof(*out->items), &items, &out->count,
                                       "org_list", err);
    out->items = items;
    return rc;
}

enum cm_code
cm_store_organization_update(struct cm_conn *c, struct cm_organization *o, int64_t by,
                             struct cm_err *err)
{
    sqlite3_stmt *s = cm_store_stmt(c, CM_ST_ORG_UPDATE);
    cm_store_bind_i64(s, 1, o->meta.id);
    cm_store_bind_i64(s, 2, o->program_id);
    cm_store_bind_i64(s, 3, o->meta.version);
    cm_store_bind_text(s, 4, o->name);
    cm_store_bind_text(s, 5, cm_store_org_type_text(o->type));
    cm_store_bind_text(s, 6, o->phone);
    cm_store_bind_text(s, 7, o->email);
    cm_store_bind_text(s, 8, o->address);
    cm_store_bind_i64(s, 9, cm_time_now());
    cm_store_bind_i64(s, 10, by);
    int rc = sqlite3_step(s);
    if (rc == SQLITE_ROW) {
        o->meta.version = sqlite3_column_int64(s, 0);
        o->meta.created_at = sqlite3_column_int64(s, 1);
        o->meta.updated_at = sqlite3_column_int64(s, 2);
        o->meta.updated_by = sqlite3_column_int64(s, 3);
        rc = sqlite3_step(s);
    }
    cm_store_done(s);
    if (rc != SQLITE_DONE)
        return cm_store_fail(c->db, rc, "org_update", err);
    if (sqlite3_changes(c->db) > 0)
        return CM_OK;
    s = cm_store_stmt(c, CM_ST_ORG_VERSION);
    cm_store_bind_i64(s, 1, o->meta.id);
    cm_store_bind_i64(s, 2, o->program_id);
    return cm_store_stale_or_missing(c, s, o->meta.version, "org_version", err);
}

/* ---- users ----------------------------------------------------------------------------------- */

static void
read_user(struct cm_row *r, void *item)
{
    struct cm_user *u = item;
    cm_store_row_meta(r, 0, &u->meta);
    u->program_id = cm_store_row_i64(r, 5);
    u->username = cm_store_row_text(r, 6);
    u->display_name = cm_store_row_text(r, 7);
    u->role = cm_store_role_of(cm_store_col(r->s, 8));
    u->organization_id = cm_store_row_i64(r, 9);
    u->language = cm_store_row_text(r, 10);
    u->email = cm_store_row_text(r, 11);
    u->phone = cm_store_row_text(r, 12);
    u->disabled = cm_store_row_i64(r, 13) != 0;
    u->password_hash = cm_store_row_text(r, 14);
}

enum cm_code
cm_store_user_create(struct cm_conn *c, struct cm_user *u, int64_t by, struct cm_err *err)
{
    struct cm_meta m = u->meta;
    stamp_new(&m, by);
    sqlite3_stmt *s = cm_store_stmt(c, CM_ST_USER_ADD);
    cm_store_bind_i64(s, 1, m.created_at);
    cm_store_bind_i64(s, 2, m.updated_at);
    cm_store_bind_i64(s, 3, by);
    cm_store_bind_i64(s, 4, u->program_id);
    cm_store_bind_text(s, 5, u->username);
    cm_store_bind_text(s, 6, u->display_name);
    cm_store_bind_text(s, 7, cm_store_role_text(u->role));
    cm_store_bind_ref(s, 8, u->organization_id);
    cm_store_bind_text(s, 9, u->language);
    cm_store_bind_text(s, 10, u->email);
    cm_store_bind_text(s, 11, u->phone);
    cm_store_bind_i64(s, 12, u->disabled ? 1 : 0);
    cm_store_bind_text(s, 13, u->password_hash);
    enum cm_code code = cm_store_exec(c, s, "user_add", err);
    if (code != CM_OK)
        return code;
    m.id = sqlite3_last_insert_rowid(c->db);
    u->meta = m;
    return CM_OK;
}

static enum cm_code
user_one(struct cm_conn *c, sqlite3_stmt *s, struct cm_user *out, struct cm_arena *a,
         struct cm_err *err)
{
    struct cm_row r = {s, a, false};
    int rc = sqlite3_step(s);
    enum cm_code code = CM_OK;
    if (rc == SQLITE_ROW) {
        memset(out, 0, sizeof(*out));
        read_user(&r, out);
        code = cm_store_row_check(&r, err);
    } else if (rc == SQLITE_DONE) {
        code = cm_err_set(err, CM_ENOTFOUND, "", "no such user");
    } else {
        code = cm_store_fail(c->db, rc, "user_get", err);
    }
    cm_store_done(s);
    return code;
}

enum cm_code
cm_store_user_get(struct cm_conn *c, int64_t id, struct cm_user *out, struct cm_arena *a,
                  struct cm_err *err)
{
    sqlite3_stmt *s = cm_store_stmt(c, CM_ST_USER_GET);
    cm_store_bind_i64(s, 1, id);
    return user_one(c, s, out, a, err);
}

enum cm_code
cm_store_user_by_username(struct cm_conn *c, const char *username, struct cm_user *out,
                          struct cm_arena *a, struct cm_err *err)
{
    sqlite3_stmt *s = cm_store_stmt(c, CM_ST_USER_BY_NAME);
    cm_store_bind_text(s, 1, username);
    return user_one(c, s, out, a, err);
}

enum cm_code
cm_store_user_list(struct cm_conn *c, int64_t program_id, struct cm_user_list *out,
                   struct cm_arena *a, struct cm_err *err)
{
    memset(out, 0, sizeof(*out));
    sqlite3_stmt *s = cm_store_stmt(c, CM_ST_USER_LIST);
    cm_store_bind_i64(s, 1, program_id);
    void *items = NULL;
    enum cm_code rc = cm_store_collect(c, s, a, read_user, sizeof(*out->items), &items, &out->count,
                                       "user_list", err);
    out->items = items;
    return rc;
}

static enum cm_code
revoke_sessions(struct cm_conn *c, int64_t user_id, struct cm_err *err)
{
    sqlite3_stmt *s = cm_store_stmt(c, CM_ST_SESSION_DELETE_USER);
    cm_store_bind_i64(s, 1, user_id);
    return cm_store_exec(c, s, "session_delete_user", err);
}

static enum cm_code
user_update(struct cm_conn *c, struct cm_user *u, int64_t by, struct cm_err *err)
{
    sqlite3_stmt *s = cm_store_stmt(c, CM_ST_USER_UPDATE);
    cm_store_bind_i64(s, 1, u->meta.id);
    cm_store_bind_i64(s, 2, u->meta.version);
    cm_store_bind_text(s, 3, u->display_name);
    cm_store_bind_text(s, 4, cm_store_role_text(u->role));
    cm_store_bind_ref(s, 5, u->organization_id);
    cm_store_bind_text(s, 6, u->language);
    cm_store_bind_text(s, 7, u->email);
    cm_store_bind_text(s, 8, u->phone);
    cm_store_bind_i64(s, 9, u->disabled ? 1 : 0);
    cm_store_bind_i64(s, 10, cm_time_now());
    cm_store_bind_i64(s, 11, by);
    int rc = sqlite3_step(s);
    struct cm_meta m = u->meta;
    if (rc == SQLITE_ROW) {
        m.version = sqlite3_column_int64(s, 0);
        m.created_at = sqlite3_column_int64(s, 1);
        m.updated_at = sqlite3_column_int64(s, 2);
        m.updated_by = sqlite3_column_int64(s, 3);
        rc = sqlite3_step(s);
    }
    cm_store_done(s);
    if (rc != SQLITE_DONE)
        return cm_store_fail(c->db, rc, "user_update", err);
    if (sqlite3_changes(c->db) == 0) {
        s = cm_store_stmt(c, CM_ST_USER_VERSION);
        cm_store_bind_i64(s, 1, u->meta.id);
        return cm_store_stale_or_missing(c, s, u->meta.version, "user_version", err);
    }
    u->meta = m;
    if (u->disabled)
        return revoke_sessions(c, u->meta.id, err);
    return CM_OK;
}

enum cm_code
cm_store_user_update(struct cm_conn *c, struct cm_user *u, int64_t by, struct cm_err *err)
{
    bool own;
    enum cm_code code = cm_store_tx_open(c, true, &own, err);
    if (code != CM_OK)
        return code;
    struct cm_meta before = u->meta;
    code = user_update(c, u, by, err);
    code = cm_store_tx_close(c, own, code, err);
    if (code != CM_OK)
        u->meta = before;
    return code;
}

enum cm_code
cm_store_user_set_password(struct cm_conn *c, int64_t id, const char *hash, int64_t by,
                           struct cm_err *err)
{
    bool own;
    enum cm_code code = cm_store_tx_open(c, true, &own, err);
    if (code != CM_OK)
        return code;
    sqlite3_stmt *s = cm_store_stmt(c, CM_ST_USER_SET_PASSWORD);
    cm_store_bind_i64(s, 1, id);
    cm_store_bind_text(s, 2, hash);
    cm_store_bind_i64(s, 3, cm_time_now());
    cm_store_bind_i64(s, 4, by);
    code = cm_store_exec(c, s, "user_set_password", err);
    if (code == CM_OK && sqlite3_changes(c->db) == 0)
        code = cm_err_set(err, CM_ENOTFOUND, "", "no such user");
    if (code == CM_OK)
        code = revoke_sessions(c, id, err);
    return cm_store_tx_close(c, own, code, err);
}

static enum cm_code
family_link(struct cm_conn *c, int64_t program_id, int64_t family_member_id, int64_t user_id,
            struct cm_err *err)
{
    sqlite3_stmt *s = cm_store_stmt(c, CM_ST_USER_KIND);
    cm_store_bind_i64(s, 1, user_id);
    int rc = sqlite3_step(s);
    enum cm_code code = CM_OK;
    if (rc == SQLITE_ROW) {
        if (sqlite3_column_int64(s, 0) != program_id ||
            cm_store_role_of(cm_store_col(s, 1)) != CM_ROLE_FAMILY)
            code = cm_err_set(err, CM_EINVAL, "user_id",
                              "must be a family account of the same program");
    } else if (rc == SQLITE_DONE) {
        code = cm_err_set(err, CM_EINVAL, "user_id", "no such user");
    } else {
        code = cm_store_fail(c->db, rc, "user_kind", err);
    }
    cm_store_done(s);
    if (code != CM_OK)
        return code;

    s = cm_store_stmt(c, CM_ST_FAMILY_LINK_GET);
    cm_store_bind_i64(s, 1, family_member_id);
    cm_store_bind_i64(s, 2, program_id);
    rc = sqlite3_step(s);
    if (rc == SQLITE_ROW) {
        if (sqlite3_column_type(s, 0) != SQLITE_NULL)
            code = cm_err_set(err, CM_ECONFLICT, "family_member_id",
                              "this family member already has an account");
    } else if (rc == SQLITE_DONE) {
        code = cm_err_set(err, CM_ENOTFOUND, "family_member_id", "no such family member");
    } else {
        code = cm_store_fail(c->db, rc, "family_link_get", err);
    }
    cm_store_done(s);
    if (code != CM_OK)
        return code;

    s = cm_store_stmt(c, CM_ST_FAMILY_LINK);
    cm_store_bind_i64(s, 1, family_member_id);
    cm_store_bind_i64(s, 2, user_id);
    cm_store_bind_i64(s, 3, cm_time_now());
    return cm_store_exec(c, s, "family_link", err);
}

enum cm_code
cm_store_family_link_user(struct cm_conn *c, int64_t program_id, int64_t family_member_id,
                          int64_t user_id, struct cm_err *err)
{
    bool own;
    enum cm_code code = cm_store_tx_open(c, true, &own, err);
    if (code != CM_OK)
        return code;
    code = family_link(c, program_id, family_member_id, user_id, err);
    return cm_store_tx_close(c, own, code, err);
}

/* ---- sessions -------------------------------------------------------------------------------- */

enum cm_code
cm_store_session_create(struct cm_conn *c, const struct cm_session *ses, struct cm_err *err)
{
    sqlite3_stmt *s = cm_store_stmt(c, CM_ST_SESSION_ADD);
    cm_store_bind_text(s, 1, ses->token_hash);
    cm_store_bind_text(s, 2, ses->csrf);
    cm_store_bind_i64(s, 3, ses->user_id);
    cm_store_bind_i64(s, 4, ses->created_at);
    cm_store_bind_i64(s, 5, ses->last_seen_at);
    cm_store_bind_i64(s, 6, ses->expires_at);
    return cm_store_exec(c, s, "session_add", err);
}

enum cm_code
cm_store_session_get(struct cm_conn *c, const char *token_hash, struct cm_session *out,
                     struct cm_err *err)
{
    sqlite3_stmt *s = cm_store_stmt(c, CM_ST_SESSION_GET);
    cm_store_bind_text(s, 1, token_hash);
    int rc = sqlite3_step(s);
    enum cm_code code = CM_OK;
    if (rc == SQLITE_ROW) {
        memset(out, 0, sizeof(*out));
        const char *t = cm_store_col(s, 0);
        const char *k = cm_store_col(s, 1);
        if (cm_strlcpy(out->token_hash, t ? t : "", sizeof(out->token_hash)) != CM_OK ||
            cm_strlcpy(out->csrf, k ? k : "", sizeof(out->csrf)) != CM_OK)
            code = cm_err_set(err, CM_EDB, "", "a stored session is malformed");
        out->user_id = sqlite3_column_int64(s, 2);
        out->created_at = sqlite3_column_int64(s, 3);
        out->last_seen_at = sqlite3_column_int64(s, 4);
        out->expires_at = sqlite3_column_int64(s, 5);
    } else if (rc == SQLITE_DONE) {
        code = cm_err_set(err, CM_ENOTFOUND, "", "no such session");
    } else {
        code = cm_store_fail(c->db, rc, "session_get", err);
    }
    cm_store_done(s);
    return code;
}

enum cm_code
cm_store_session_touch(struct cm_conn *c, const char *token_hash, int64_t now, struct cm_err *err)
{
    sqlite3_stmt *s = cm_store_stmt(c, CM_ST_SESSION_TOUCH);
    cm_store_bind_text(s, 1, token_hash);
    cm_store_bind_i64(s, 2, now);
    enum cm_code code = cm_store_exec(c, s, "session_touch", err);
    if (code == CM_OK && sqlite3_changes(c->db) == 0)
        code = cm_err_set(err, CM_ENOTFOUND, "", "no such session");
    return code;
}

enum cm_code
cm_store_session_delete(struct cm_conn *c, const char *token_hash, struct cm_err *err)
{
    sqlite3_stmt *s = cm_store_stmt(c, CM_ST_SESSION_DELETE);
    cm_store_bind_text(s, 1, token_hash);
    return cm_store_exec(c, s, "session_delete", err);
}

enum cm_code
cm_store_session_purge(struct cm_conn *c, int64_t now, int64_t idle_s, struct cm_err *err)
{
    sqlite3_stmt *s = cm_store_stmt(c, CM_ST_SESSION_PURGE);
    cm_store_bind_i64(s, 1, now);
    cm_store_bind_i64(s, 2, idle_s);
    return cm_store_exec(c, s, "session_purge", err);
}

/* ---- sign-in failures ------------------------------------------------------------------------ */

enum cm_code
cm_store_login_failure_add(struct cm_conn *c, const char *key, int64_t at, struct cm_err *err)
{
    sqlite3_stmt *s = cm_store_stmt(c, CM_ST_LOGIN_FAIL_ADD);
    cm_store_bind_text(s, 1, key);
    cm_store_bind_i64(s, 2, at);
    return cm_store_exec(c, s, "login_fail_add", err);
}

static enum cm_code
one_integer(struct cm_conn *c, sqlite3_stmt *s, int64_t *out, const char *op, struct cm_err *err)
{
    int rc = sqlite3_step(s);
    enum cm_code code = CM_OK;
    if (rc == SQLITE_ROW)
        *out = sqlite3_column_int64(s, 0);
    else
        code = cm_store_fail(c->db, rc == SQLITE_DONE ? SQLITE_ERROR : rc, op, err);
    cm_store_done(s);
    return code;
}

enum cm_code
cm_store_login_failure_count(struct cm_conn *c, const char *key, int64_t since, int *count,
                             struct cm_err *err)
{
    sqlite3_stmt *s = cm_store_stmt(c, CM_ST_LOGIN_FAIL_COUNT);
    cm_store_bind_text(s, 1, key);
    cm_store_bind_i64(s, 2, since);
    int64_t n = 0;
    enum cm_code code = one_integer(c, s, &n, "login_fail_count", err);
    *count = n > 1000000 ? 1000000 : (int)n;
    return code;
}

enum cm_code
cm_store_login_failure_oldest(struct cm_conn *c, const char *key, int64_t since, int64_t *at,
                              struct cm_err *err)
{
    sqlite3_stmt *s = cm_store_stmt(c, CM_ST_LOGIN_FAIL_OLDEST);
    cm_store_bind_text(s, 1, key);
    cm_store_bind_i64(s, 2, since);
    *at = 0;
    return one_integer(c, s, at, "login_fail_oldest", err);
}

enum cm_code
cm_store_login_failure_clear(struct cm_conn *c, const char *key, struct cm_err *err)
{
    sqlite3_stmt *s = cm_store_stmt(c, CM_ST_LOGIN_FAIL_CLEAR);
    cm_store_bind_text(s, 1, key);
    return cm_store_exec(c, s, "login_fail_clear", err);
}
