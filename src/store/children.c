/*
 * Children: how a viewer reaches one, reading and writing the record, the coordinator's panel,
 * and break-glass grants. Reach is decided inside each statement (statements.c, REACH), so an
 * unreachable child and a missing one give the same CM_ENOTFOUND.
 */
#include "store/store_int.h"

#include <string.h>

static void
read_child(struct cm_row *r, int col, struct cm_child *ch)
{
    cm_store_row_meta(r, col, &ch->meta);
    ch->program_id = cm_store_row_i64(r, col + 5);
    ch->record_number = cm_store_row_text(r, col + 6);
    ch->given_name = cm_store_row_text(r, col + 7);
    ch->family_name = cm_store_row_text(r, col + 8);
    ch->preferred_name = cm_store_row_text(r, col + 9);
    ch->birth_date = cm_store_row_text(r, col + 10);
    ch->sex = cm_store_row_text(r, col + 11);
    ch->preferred_language = cm_store_row_text(r, col + 12);
    ch->enrolled_on = cm_store_row_text(r, col + 13);
    ch->disenrolled_on = cm_store_row_text(r, col + 14);
    ch->tier = (int)cm_store_row_i64(r, col + 15);
    ch->plan_updated_at = cm_store_row_i64(r, col + 16);
}

static enum cm_access
access_of(int64_t v)
{
    switch (v) {
    case 1:
        return CM_ACCESS_TEAM;
    case 2:
        return CM_ACCESS_PROGRAM_WIDE;
    case 3:
        return CM_ACCESS_FAMILY;
    case 4:
        return CM_ACCESS_BREAK_GLASS;
    default:
        return CM_ACCESS_NONE;
    }
}

enum cm_code
cm_store_child_access(struct cm_conn *c, const struct cm_viewer *v, int64_t child_id, int64_t now,
                      enum cm_access *out, struct cm_err *err)
{
    *out = CM_ACCESS_NONE;
    char today[11];
    sqlite3_stmt *s = cm_store_stmt(c, CM_ST_CHILD_ACCESS);
    cm_store_bind_viewer(s, v, now, today);
    cm_store_bind_i64(s, CM_P_CHILD, child_id);
    int rc = sqlite3_step(s);
    if (rc == SQLITE_ROW) {
        *out = access_of(sqlite3_column_int64(s, 0));
        rc = SQLITE_DONE;
    }
    cm_store_done(s);
    if (rc != SQLITE_DONE)
        return cm_store_fail(c->db, rc, "child_access", err);
    return CM_OK;
}

enum cm_code
cm_store_child_get(struct cm_conn *c, const struct cm_viewer *v, int64_t id, int64_t now,
                   struct cm_child *out, struct cm_arena *a, struct cm_err *err)
{
    char today[11];
    sqlite3_stmt *s = cm_store_stmt(c, CM_ST_CHILD_GET);
    cm_store_bind_viewer(s, v, now, today);
    cm_store_bind_i64(s, CM_P_CHILD, id);
    struct cm_row r = {s, a, false};
    int rc = sqlite3_step(s);
    enum cm_code code;
    if (rc == SQLITE_ROW && access_of(sqlite3_column_int64(s, 17)) != CM_ACCESS_NONE) {
        memset(out, 0, sizeof(*out));
        read_child(&r, 0, out);
        code = cm_store_row_check(&r, err);
    } else if (rc == SQLITE_ROW || rc == SQLITE_DONE) {
        code = cm_err_set(err, CM_ENOTFOUND, "", "no such child");
    } else {
        code = cm_store_fail(c->db, rc, "child_get", err);
    }
    cm_store_done(s);
    return code;
}

enum cm_code
cm_store_child_create(struct cm_conn *c, const struct cm_viewer *v, struct cm_child *ch,
                      struct cm_err *err)
{
    /* A time the caller set is kept (imports, the demo's reproducible history). */
    struct cm_meta m = ch->meta;
    if (m.created_at == 0)
        m.created_at = cm_time_now();
    if (m.updated_at == 0)
        m.updated_at = m.created_at;
    m.updated_by = v->user_id;
    m.version = 1;
    sqlite3_stmt *s = cm_store_stmt(c, CM_ST_CHILD_ADD);
    cm_store_bind_i64(s, 1, m.created_at);
    cm_store_bind_i64(s, 2, m.updated_at);
    cm_store_bind_i64(s, 3, m.updated_by);
    cm_store_bind_i64(s, 4, v->program_id);
    cm_store_bind_text(s, 5, ch->record_number);
    cm_store_bind_text(s, 6, ch->given_name);
    cm_store_bind_text(s, 7, ch->family_name);
    cm_store_bind_text(s, 8, ch->preferred_name);
    cm_store_bind_text(s, 9, ch->birth_date);
    cm_store_bind_text(s, 10, ch->sex);
    cm_store_bind_text(s, 11, ch->preferred_language);
    cm_store_bind_text(s, 12, ch->enrolled_on);
    cm_store_bind_text(s, 13, ch->disenrolled_on);
    cm_store_bind_i64(s, 14, ch->tier);
    cm_store_bind_i64(s, 15, ch->plan_updated_at);
    enum cm_code code = cm_store_exec(c, s, "child_add", err);
    if (code != CM_OK)
        return code;
    m.id = sqlite3_last_insert_rowid(c->db);
    ch->meta = m;
    ch->program_id = v->program_id;
    c->fresh_child = sqlite3_get_autocommit(c->db) ? 0 : m.id;
    return CM_OK;
}

/* After a child-scoped update by version changed nothing: stale when the viewer reaches the
 * child (and the caller's row is there), else not found. */
static enum cm_code
child_stale_or_missing(struct cm_conn *c, const struct cm_viewer *v, int64_t id, int64_t now,
                       int64_t expected, struct cm_err *err)
{
    enum cm_access how;
    enum cm_code code = cm_store_child_access(c, v, id, now, &how, err);
    if (code != CM_OK)
        return code;
    if (how == CM_ACCESS_NONE)
        return cm_err_set(err, CM_ENOTFOUND, "", "no such child");
    return cm_err_set(err, CM_ESTALE, "version", "the child changed since version %lld: reload it",
                      (long long)expected);
}

enum cm_code
cm_store_child_update(struct cm_conn *c, const struct cm_viewer *v, int64_t now,
                      struct cm_child *ch, struct cm_err *err)
{
    char today[11];
    sqlite3_stmt *s = cm_store_stmt(c, CM_ST_CHILD_UPDATE);
    cm_store_bind_viewer(s, v, now, today);
    cm_store_bind_i64(s, CM_P_CHILD, ch->meta.id);
    cm_store_bind_i64(s, 10, ch->meta.version);
    cm_store_bind_text(s, 11, ch->record_number);
    cm_store_bind_text(s, 12, ch->given_name);
    cm_store_bind_text(s, 13, ch->family_name);
    cm_store_bind_text(s, 14, ch->preferred_name);
    cm_store_bind_text(s, 15, ch->birth_date);
    cm_store_bind_text(s, 16, ch->sex);
    cm_store_bind_text(s, 17, ch->preferred_language);
    cm_store_bind_text(s, 18, ch->enrolled_on);
    cm_store_bind_text(s, 19, ch->disenrolled_on);
    cm_store_bind_i64(s, 20, ch->tier);
    cm_store_bind_i64(s, 21, ch->plan_updated_at);
    int rc = sqlite3_step(s);
    bool changed = false;
    struct cm_meta m = ch->meta;
    int64_t program_id = ch->program_id;
    if (rc == SQLITE_ROW) {
        changed = true;
        m.version = sqlite3_column_int64(s, 0);
        m.created_at = sqlite3_column_int64(s, 1);
        m.updated_at = sqlite3_column_int64(s, 2);
        m.updated_by = sqlite3_column_int64(s, 3);
        program_id = sqlite3_column_int64(s, 4);
        rc = sqlite3_step(s);
    }
    cm_store_done(s);
    if (rc != SQLITE_DONE)
        return cm_store_fail(c->db, rc, "child_update", err);
    if (!changed)
        return child_stale_or_missing(c, v, ch->meta.id, now, ch->meta.version, err);
    ch->meta = m;
    ch->program_id = program_id;
    return CM_OK;
}

/* ---- the panel ------------------------------------------------------------------------------- */

static const char *const sorts[] = {"name",
                                    "-name",
                                    "tier",
                                    "-tier",
                                    "birth_date",
                                    "-birth_date",
                                    "plan_updated_at",
                                    "-plan_updated_at"};

/* "%q%" with LIKE's wildcards in q escaped, so a search for "50%" finds "50%". */
static char *
like_pattern(const char *q, struct cm_arena *a)
{
    size_t n = strlen(q);
    char *p = cm_arena_alloc(a, 2 * n + 3);
    if (p == NULL)
        return NULL;
    size_t k = 0;
    p[k++] = '%';
    for (size_t i = 0; i < n; i++) {
        if (q[i] == '%' || q[i] == '_' || q[i] == '\\')
            p[k++] = '\\';
        p[k++] = q[i];
    }
    p[k++] = '%';
    p[k] = '\0';
    return p;
}

static void
bind_panel(sqlite3_stmt *s, const struct cm_viewer *v, const struct cm_panel_filter *f,
           const char *pattern, int sort, int64_t now, char today[11])
{
    cm_store_bind_viewer(s, v, now, today);
    cm_store_bind_text(s, 10, pattern);
    cm_store_bind_i64(s, 11, f->tier);
    cm_store_bind_i64(s, 12, f->lead_user_id);
    cm_store_bind_i64(s, 13, f->mine ? 1 : 0);
    cm_store_bind_i64(s, 14, f->no_lead ? 1 : 0);
    cm_store_bind_i64(s, 15, sort);
    cm_store_bind_i64(s, 18, f->plan_due_before);
}

static enum cm_code
panel_read(struct cm_conn *c, const struct cm_viewer *v, const struct cm_panel_filter *f,
           const char *pattern, int sort, int64_t now, struct cm_panel *out, struct cm_arena *a,
           struct cm_err *err)
{
    bool wide = cm_role_is_program_wide(v->role);
    char today[11];
    sqlite3_stmt *s = cm_store_stmt(c, wide ? CM_ST_PANEL_COUNT_WIDE : CM_ST_PANEL_COUNT_LINKED);
    bind_panel(s, v, f, pattern, sort, now, today);
    int rc = sqlite3_step(s);
    if (rc == SQLITE_ROW) {
        out->total = sqlite3_column_int64(s, 0);
        rc = SQLITE_DONE;
    }
    cm_store_done(s);
    if (rc != SQLITE_DONE)
        return cm_store_fail(c->db, rc, "panel_count", err);
    if (out->total <= f->offset)
        return CM_OK;

    out->rows = cm_arena_calloc(a, (size_t)f->limit, sizeof(*out->rows));
    if (out->rows == NULL)
        return cm_err_set(err, CM_ETOOBIG, "", "the request's memory cap was reached");
    s = cm_store_stmt(c, wide ? CM_ST_PANEL_PAGE_WIDE : CM_ST_PANEL_PAGE_LINKED);
    bind_panel(s, v, f, pattern, sort, now, today);
    cm_store_bind_i64(s, 16, f->limit);
    cm_store_bind_i64(s, 17, f->offset);
    struct cm_row r = {s, a, false};
    while (!r.full && out->count < (size_t)f->limit && (rc = sqlite3_step(s)) == SQLITE_ROW) {
        struct cm_panel_row *row = &out->rows[out->count++];
        read_child(&r, 0, &row->child);
        row->lead_user_id = cm_store_row_i64(&r, 17);
        row->lead_name = cm_store_row_text(&r, 18);
        row->backup_name = cm_store_row_text(&r, 19);
        row->active_team_count = (int)cm_store_row_i64(&r, 20);
        row->plan_reviewed_at = cm_store_row_i64(&r, 21);
        row->plan_latest_version = cm_store_row_i64(&r, 22);
        row->plan_open_requests = cm_store_row_i64(&r, 23);
    }
    cm_store_done(s);
    if (r.full)
        return cm_store_row_check(&r, err);
    if (rc != SQLITE_DONE && rc != SQLITE_ROW)
        return cm_store_fail(c->db, rc, "panel_page", err);
    return CM_OK;
}

enum cm_code
cm_store_child_panel(struct cm_conn *c, const struct cm_viewer *v, const struct cm_panel_filter *f,
                     int64_t now, struct cm_panel *out, struct cm_arena *a, struct cm_err *err)
{
    memset(out, 0, sizeof(*out));
    if (f->limit < 1 || f->limit > 200)
        return cm_err_set(err, CM_EINVAL, "limit", "must be 1 to 200");
    if (f->offset < 0)
        return cm_err_set(err, CM_EINVAL, "offset", "must not be negative");
    if (f->tier < 0 || f->tier > 3)
        return cm_err_set(err, CM_EINVAL, "tier", "must be 1 to 3");
    int sort = 0;
    if (f->sort != NULL && f->sort[0] != '\0') {
        sort = -1;
        for (size_t i = 0; i < CM_ARRAY_LEN(sorts); i++) {
            if (strcmp(f->sort, sorts[i]) == 0)
                sort = (int)i;
        }
        if (sort < 0)
            return cm_err_set(err, CM_EINVAL, "sort",
                              "must be name, tier, birth_date or plan_updated_at, "
                              "optionally preceded by '-'");
    }
    const char *pattern = NULL;
    if (f->q != NULL && f->q[0] != '\0') {
        pattern = like_pattern(f->q, a);
        if (pattern == NULL)
            return cm_err_set(err, CM_ETOOBIG, "", "the request's memory cap was reached");
    }
    /* One read transaction so that total and the page agree. */
    bool own;
    enum cm_code code = cm_store_tx_open(c, false, &own, err);
    if (code != CM_OK)
        return code;
    code = panel_read(c, v, f, pattern, sort, now, out, a, err);
    return cm_store_tx_close(c, own, code, err);
}

/* ---- break-glass ----------------------------------------------------------------------------- */

enum cm_code
cm_store_break_glass_create(struct cm_conn *c, const struct cm_viewer *v, struct cm_break_glass *b,
                            struct cm_err *err)
{
    int64_t created = b->meta.created_at ? b->meta.created_at : cm_time_now();
    sqlite3_stmt *s = cm_store_stmt(c, CM_ST_BREAK_GLASS_ADD);
    cm_store_bind_i64(s, 1, created);
    cm_store_bind_i64(s, 2, v->user_id);
    cm_store_bind_i64(s, 3, b->child_id);
    cm_store_bind_text(s, 4, b->reason);
    cm_store_bind_i64(s, 5, b->expires_at);
    cm_store_bind_i64(s, 6, v->program_id);
    enum cm_code code = cm_store_exec(c, s, "break_glass_add", err);
    if (code != CM_OK)
        return code;
    if (sqlite3_changes(c->db) == 0)
        return cm_err_set(err, CM_ENOTFOUND, "", "no such child");
    b->meta.id = sqlite3_last_insert_rowid(c->db);
    b->meta.version = 1;
    b->meta.created_at = created;
    b->meta.updated_at = created;
    b->meta.updated_by = v->user_id;
    b->user_id = v->user_id;
    return CM_OK;
}

static void
read_break_glass(struct cm_row *r, void *item)
{
    struct cm_break_glass *b = item;
    cm_store_row_meta(r, 0, &b->meta);
    b->user_id = cm_store_row_i64(r, 5);
    b->child_id = cm_store_row_i64(r, 6);
    b->reason = cm_store_row_text(r, 7);
    b->expires_at = cm_store_row_i64(r, 8);
    b->user_name = cm_store_row_text(r, 9);
}

enum cm_code
cm_store_break_glass_list(struct cm_conn *c, int64_t program_id, int64_t since,
                          struct cm_break_glass_list *out, struct cm_arena *a, struct cm_err *err)
{
    memset(out, 0, sizeof(*out));
    sqlite3_stmt *s = cm_store_stmt(c, CM_ST_BREAK_GLASS_LIST);
    cm_store_bind_i64(s, 1, program_id);
    cm_store_bind_i64(s, 2, since);
    void *items = NULL;
    enum cm_code rc = cm_store_collect(c, s, a, read_break_glass, sizeof(*out->items), &items,
                                       &out->count, "break_glass_list", err);
    out->items = items;
    return rc;
}
