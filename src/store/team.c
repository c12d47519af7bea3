/*
 * A child's family members and care team, including the lead coordinator and backup. Every read
 * and write joins through the child's reach (statements.c, REACHABLE_CHILD), so a viewer who
 * does not reach the child gets CM_ENOTFOUND exactly as for a missing one.
 */
#include "store/store_int.h"

#include <string.h>

/* CM_ENOTFOUND unless v reaches the child now. */
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

/* Binds the viewer and child, then runs a reach-checked version lookup of record id. */
static enum cm_code
stale_or_missing(struct cm_conn *c, enum cm_st id, const struct cm_viewer *v, int64_t child_id,
                 int64_t record_id, int64_t now, int64_t expected, struct cm_err *err)
{
    char today[11];
    sqlite3_stmt *s = cm_store_stmt(c, id);
    cm_store_bind_viewer(s, v, now, today);
    cm_store_bind_i64(s, CM_P_CHILD, child_id);
    cm_store_bind_i64(s, 10, record_id);
    return cm_store_stale_or_missing(c, s, expected, cm_store_sql_name(id), err);
}

/* Steps an UPDATE ... RETURNING version, created_at, updated_at, updated_by[, user_id] into m;
 * *changed says whether a row was updated. */
static int
step_returning(sqlite3_stmt *s, struct cm_meta *m, int64_t *user_id, bool *changed)
{
    int rc = sqlite3_step(s);
    *changed = false;
    if (rc == SQLITE_ROW) {
        *changed = true;
        m->version = sqlite3_column_int64(s, 0);
        m->created_at = sqlite3_column_int64(s, 1);
        m->updated_at = sqlite3_column_int64(s, 2);
        m->updated_by = sqlite3_column_int64(s, 3);
        if (user_id != NULL)
            *user_id = sqlite3_column_int64(s, 4);
        rc = sqlite3_step(s);
    }
    cm_store_done(s);
    return rc;
}

/* ---- family members -------------------------------------------------------------------------- */

static void
read_family(struct cm_row *r, void *item)
{
    struct cm_family_member *f = item;
    cm_store_row_meta(r, 0, &f->meta);
    f->child_id = cm_store_row_i64(r, 5);
    f->given_name = cm_store_row_text(r, 6);
    f->family_name = cm_store_row_text(r, 7);
    f->relationship = cm_store_row_text(r, 8);
    f->is_guardian = cm_store_row_i64(r, 9) != 0;
    f->lives_with_child = cm_store_row_i64(r, 10) != 0;
    f->phone = cm_store_row_text(r, 11);
    f->email = cm_store_row_text(r, 12);
    f->preferred_language = cm_store_row_text(r, 13);
    f->user_id = cm_store_row_i64(r, 14);
}

enum cm_code
cm_store_family_list(struct cm_conn *c, const struct cm_viewer *v, int64_t child_id, int64_t now,
                     struct cm_family_list *out, struct cm_arena *a, struct cm_err *err)
{
    memset(out, 0, sizeof(*out));
    /* An empty list and an unreachable child must differ: ask first. */
    enum cm_code code = require_reach(c, v, child_id, now, err);
    if (code != CM_OK)
        return code;
    char today[11];
    sqlite3_stmt *s = cm_store_stmt(c, CM_ST_FAMILY_LIST);
    cm_store_bind_viewer(s, v, now, today);
    cm_store_bind_i64(s, CM_P_CHILD, child_id);
    void *items = NULL;
    enum cm_code rc = cm_store_collect(c, s, a, read_family, sizeof(*out->items), &items,
                                       &out->count, "family_list", err);
    out->items = items;
    return rc;
}

enum cm_code
cm_store_family_get(struct cm_conn *c, const struct cm_viewer *v, int64_t child_id, int64_t id,
                    int64_t now, struct cm_family_member *out, struct cm_arena *a,
                    struct cm_err *err)
{
    char today[11];
    sqlite3_stmt *s = cm_store_stmt(c, CM_ST_FAMILY_GET);
    cm_store_bind_viewer(s, v, now, today);
    cm_store_bind_i64(s, CM_P_CHILD, child_id);
    cm_store_bind_i64(s, 10, id);
    struct cm_row r = {s, a, false};
    int rc = sqlite3_step(s);
    enum cm_code code = CM_OK;
    if (rc == SQLITE_ROW) {
        memset(out, 0, sizeof(*out));
        read_family(&r, out);
        code = cm_store_row_check(&r, err);
    } else if (rc == SQLITE_DONE) {
        code = cm_err_set(err, CM_ENOTFOUND, "", "no such family member");
    } else {
        code = cm_store_fail(c->db, rc, "family_get", err);
    }
    cm_store_done(s);
    return code;
}

/* The portal account (user_id) is not written here: cm_store_family_link_user checks it. */
enum cm_code
cm_store_family_create(struct cm_conn *c, const struct cm_viewer *v, int64_t now,
                       struct cm_family_member *f, struct cm_err *err)
{
    char today[11];
    sqlite3_stmt *s = cm_store_stmt(c, CM_ST_FAMILY_ADD);
    cm_store_bind_viewer(s, v, now, today);
    cm_store_bind_i64(s, CM_P_CHILD, f->child_id);
    cm_store_bind_text(s, 10, f->given_name);
    cm_store_bind_text(s, 11, f->family_name);
    cm_store_bind_text(s, 12, f->relationship);
    cm_store_bind_i64(s, 13, f->is_guardian ? 1 : 0);
    cm_store_bind_i64(s, 14, f->lives_with_child ? 1 : 0);
    cm_store_bind_text(s, 15, f->phone);
    cm_store_bind_text(s, 16, f->email);
    cm_store_bind_text(s, 17, f->preferred_language);
    enum cm_code code = cm_store_exec(c, s, "family_add", err);
    if (code != CM_OK)
        return code;
    if (sqlite3_changes(c->db) == 0)
        return cm_err_set(err, CM_ENOTFOUND, "", "no such child");
    f->meta.id = sqlite3_last_insert_rowid(c->db);
    f->meta.version = 1;
    f->meta.created_at = now;
    f->meta.updated_at = now;
    f->meta.updated_by = v->user_id;
    f->user_id = 0;
    return CM_OK;
}

enum cm_code
cm_store_family_update(struct cm_conn *c, const struct cm_viewer *v, int64_t now,
                       struct cm_family_member *f, struct cm_err *err)
{
    char today[11];
    sqlite3_stmt *s = cm_store_stmt(c, CM_ST_FAMILY_UPDATE);
    cm_store_bind_viewer(s, v, now, today);
    cm_store_bind_i64(s, CM_P_CHILD, f->child_id);
    cm_store_bind_i64(s, 10, f->meta.id);
    cm_store_bind_i64(s, 11, f->meta.version);
    cm_store_bind_text(s, 12, f->given_name);
    cm_store_bind_text(s, 13, f->family_name);
    cm_store_bind_text(s, 14, f->relationship);
    cm_store_bind_i64(s, 15, f->is_guardian ? 1 : 0);
    cm_store_bind_i64(s, 16, f->lives_with_child ? 1 : 0);
    cm_store_bind_text(s, 17, f->phone);
    cm_store_bind_text(s, 18, f->email);
    cm_store_bind_text(s, 19, f->preferred_language);
    struct cm_meta m = f->meta;
    int64_t user_id = f->user_id;
    bool changed;
    int rc = step_returning(s, &m, &user_id, &changed);
    if (rc != SQLITE_DONE)
        return cm_store_fail(c->db, rc, "family_update", err);
    if (!changed)
        return stale_or_missing(c, CM_ST_FAMILY_VERSION, v, f->child_id, f->meta.id, now,
                                f->meta.version, err);
    f->meta = m;
    f->user_id = user_id;
    return CM_OK;
}

/* ---- care team ------------------------------------------------------------------------------- */

static void
read_team(struct cm_row *r, void *item)
{
    struct cm_team_member *t = item;
    cm_store_row_meta(r, 0, &t->meta);
    t->child_id = cm_store_row_i64(r, 5);
    t->user_id = cm_store_row_i64(r, 6);
    t->name = cm_store_row_text(r, 7);
    t->role = cm_store_row_text(r, 8);
    t->service = cm_store_row_text(r, 9);
    t->sector = cm_store_sector_of(cm_store_col(r->s, 10));
    t->organization_id = cm_store_row_i64(r, 11);
    t->phone = cm_store_row_text(r, 12);
    t->email = cm_store_row_text(r, 13);
    t->start_date = cm_store_row_text(r, 14);
    t->end_date = cm_store_row_text(r, 15);
    t->lead = cm_store_lead_of(cm_store_col(r->s, 16));
    t->organization_name = cm_store_row_text(r, 17);
}

enum cm_code
cm_store_team_list(struct cm_conn *c, const struct cm_viewer *v, int64_t child_id,
                   bool include_ended, int64_t now, struct cm_team_list *out, struct cm_arena *a,
                   struct cm_err *err)
{
    memset(out, 0, sizeof(*out));
    enum cm_code code = require_reach(c, v, child_id, now, err);
    if (code != CM_OK)
        return code;
    char today[11];
    sqlite3_stmt *s = cm_store_stmt(c, CM_ST_TEAM_LIST);
    cm_store_bind_viewer(s, v, now, today);
    cm_store_bind_i64(s, CM_P_CHILD, child_id);
    cm_store_bind_i64(s, 10, include_ended ? 1 : 0);
    void *items = NULL;
    enum cm_code rc = cm_store_collect(c, s, a, read_team, sizeof(*out->items), &items, &out->count,
                                       "team_list", err);
    out->items = items;
    return rc;
}

enum cm_code
cm_store_team_get(struct cm_conn *c, const struct cm_viewer *v, int64_t child_id, int64_t id,
                  int64_t now, struct cm_team_member *out, struct cm_arena *a, struct cm_err *err)
{
    char today[11];
    sqlite3_stmt *s = cm_store_stmt(c, CM_ST_TEAM_GET);
    cm_store_bind_viewer(s, v, now, today);
    cm_store_bind_i64(s, CM_P_CHILD, child_id);
    cm_store_bind_i64(s, 10, id);
    struct cm_row r = {s, a, false};
    int rc = sqlite3_step(s);
    enum cm_code code = CM_OK;
    if (rc == SQLITE_ROW) {
        memset(out, 0, sizeof(*out));
        read_team(&r, out);
        code = cm_store_row_check(&r, err);
    } else if (rc == SQLITE_DONE) {
        code = cm_err_set(err, CM_ENOTFOUND, "", "no such care team member");
    } else {
        code = cm_store_fail(c->db, rc, "team_get", err);
    }
    cm_store_done(s);
    return code;
}

/* Runs a child-scoped probe (?1..?10) that answers one row or none. */
static enum cm_code
probe(struct cm_conn *c, enum cm_st id, const struct cm_viewer *v, int64_t child_id, int64_t arg,
      int64_t now, bool *found, struct cm_err *err)
{
    char today[11];
    sqlite3_stmt *s = cm_store_stmt(c, id);
    cm_store_bind_viewer(s, v, now, today);
    cm_store_bind_i64(s, CM_P_CHILD, child_id);
    cm_store_bind_i64(s, 10, arg);
    int rc = sqlite3_step(s);
    *found = rc == SQLITE_ROW;
    cm_store_done(s);
    if (rc != SQLITE_ROW && rc != SQLITE_DONE)
        return cm_store_fail(c->db, rc, cm_store_sql_name(id), err);
    return CM_OK;
}

static enum cm_code
team_create(struct cm_conn *c, const struct cm_viewer *v, int64_t now, struct cm_team_member *t,
            struct cm_err *err)
{
    enum cm_access how;
    enum cm_code code = cm_store_child_access(c, v, t->child_id, now, &how, err);
    if (code != CM_OK)
        return code;
    if (how == CM_ACCESS_NONE) {
        bool creator;
        code = probe(c, CM_ST_TEAM_BOOTSTRAP, v, t->child_id, 0, now, &creator, err);
        if (code != CM_OK)
            return code;
        if (!creator)
            return cm_err_set(err, CM_ENOTFOUND, "", "no such child");
    }
    if (t->user_id != 0) {
        bool ok;
        code = probe(c, CM_ST_TEAM_USER_OK, v, t->child_id, t->user_id, now, &ok, err);
        if (code != CM_OK)
            return code;
        if (!ok)
            return cm_err_set(err, CM_EINVAL, "user_id",
                              "must be a staff user of the child's program");
        bool already;
        code = probe(c, CM_ST_TEAM_USER_ACTIVE, v, t->child_id, t->user_id, now, &already, err);
        if (code != CM_OK)
            return code;
        if (already)
            return cm_err_set(err, CM_ECONFLICT, "user_id",
                              "this user is already on the child's care team");
    }
    char today[11];
    sqlite3_stmt *s = cm_store_stmt(c, CM_ST_TEAM_ADD);
    cm_store_bind_viewer(s, v, now, today);
    cm_store_bind_i64(s, CM_P_CHILD, t->child_id);
    cm_store_bind_ref(s, 10, t->user_id);
    /* A staff member's name is the user's display name, read through the join. */
    cm_store_bind_text(s, 11, t->user_id != 0 ? NULL : t->name);
    cm_store_bind_text(s, 12, t->role);
    cm_store_bind_text(s, 13, t->service);
    cm_store_bind_text(s, 14, cm_store_sector_text(t->sector));
    cm_store_bind_ref(s, 15, t->organization_id);
    cm_store_bind_text(s, 16, t->phone);
    cm_store_bind_text(s, 17, t->email);
    cm_store_bind_text(s, 18, t->start_date);
    code = cm_store_exec(c, s, "team_add", err);
    if (code != CM_OK)
        return code;
    t->meta.id = sqlite3_last_insert_rowid(c->db);
    t->meta.version = 1;
    t->meta.created_at = now;
    t->meta.updated_at = now;
    t->meta.updated_by = v->user_id;
    return CM_OK;
}

enum cm_code
cm_store_team_create(struct cm_conn *c, const struct cm_viewer *v, int64_t now,
                     struct cm_team_member *t, struct cm_err *err)
{
    if (t->lead != CM_LEAD_NONE)
        return cm_err_set(err, CM_EINVAL, "lead", "is set with the lead coordinator route");
    bool own;
    enum cm_code code = cm_store_tx_open(c, true, &own, err);
    if (code != CM_OK)
        return code;
    code = team_create(c, v, now, t, err);
    return cm_store_tx_close(c, own, code, err);
}

enum cm_code
cm_store_team_update(struct cm_conn *c, const struct cm_viewer *v, int64_t now,
                     struct cm_team_member *t, struct cm_err *err)
{
    char today[11];
    sqlite3_stmt *s = cm_store_stmt(c, CM_ST_TEAM_UPDATE);
    cm_store_bind_viewer(s, v, now, today);
    cm_store_bind_i64(s, CM_P_CHILD, t->child_id);
    cm_store_bind_i64(s, 10, t->meta.id);
    cm_store_bind_i64(s, 11, t->meta.version);
    cm_store_bind_text(s, 12, t->role);
    cm_store_bind_text(s, 13, t->service);
    cm_store_bind_text(s, 14, cm_store_sector_text(t->sector));
    cm_store_bind_ref(s, 15, t->organization_id);
    cm_store_bind_text(s, 16, t->phone);
    cm_store_bind_text(s, 17, t->email);
    cm_store_bind_text(s, 18, t->name);
    struct cm_meta m = t->meta;
    bool changed;
    int rc = step_returning(s, &m, NULL, &changed);
    if (rc != SQLITE_DONE)
        return cm_store_fail(c->db, rc, "team_update", err);
    if (!changed)
        return stale_or_missing(c, CM_ST_TEAM_STATE, v, t->child_id, t->meta.id, now,
                                t->meta.version, err);
    t->meta = m;
    return CM_OK;
}

static enum cm_code
team_end(struct cm_conn *c, const struct cm_viewer *v, int64_t child_id, int64_t id,
         int64_t expected_version, const char *end_date, int64_t now, struct cm_err *err)
{
    char today[11];
    sqlite3_stmt *s = cm_store_stmt(c, CM_ST_TEAM_STATE);
    cm_store_bind_viewer(s, v, now, today);
    cm_store_bind_i64(s, CM_P_CHILD, child_id);
    cm_store_bind_i64(s, 10, id);
    int rc = sqlite3_step(s);
    enum cm_code code = CM_OK;
    if (rc == SQLITE_ROW) {
        const char *start = cm_store_col(s, 1);
        const char *ended = cm_store_col(s, 2);
        if (sqlite3_column_int64(s, 0) != expected_version)
            code = cm_err_set(err, CM_ESTALE, "version",
                              "the care team member changed since version %lld: reload it",
                              (long long)expected_version);
        else if (ended != NULL && strcmp(ended, today) <= 0)
            code = cm_err_set(err, CM_ECONFLICT, "end_date", "the membership has already ended");
        else if (start != NULL && strcmp(end_date, start) < 0)
            code = cm_err_set(err, CM_EINVAL, "end_date", "must not be before start_date");
    } else if (rc == SQLITE_DONE) {
        code = cm_err_set(err, CM_ENOTFOUND, "", "no such care team member");
    } else {
        code = cm_store_fail(c->db, rc, "team_state", err);
    }
    cm_store_done(s);
    if (code != CM_OK)
        return code;

    s = cm_store_stmt(c, CM_ST_TEAM_END);
    cm_store_bind_viewer(s, v, now, today);
    cm_store_bind_i64(s, CM_P_CHILD, child_id);
    cm_store_bind_i64(s, 10, id);
    cm_store_bind_text(s, 11, end_date);
    cm_store_bind_i64(s, 12, expected_version);
    return cm_store_exec(c, s, "team_end", err);
}

enum cm_code
cm_store_team_end(struct cm_conn *c, const struct cm_viewer *v, int64_t child_id, int64_t id,
                  int64_t expected_version, const char *end_date, int64_t now, struct cm_err *err)
{
    char today[11];
    if (end_date == NULL) {
        cm_date_of(now, today);
        end_date = today;
    }
    enum cm_code code = cm_date_check(end_date, "end_date", err);
    if (code != CM_OK)
        return code;
    bool own;
    code = cm_store_tx_open(c, true, &own, err);
    if (code != CM_OK)
        return code;
    code = team_end(c, v, child_id, id, expected_version, end_date, now, err);
    return cm_store_tx_close(c, own, code, err);
}

static enum cm_code
set_flag(struct cm_conn *c, const struct cm_viewer *v, int64_t child_id, int64_t member_id,
         const char *flag, int step, int64_t now, struct cm_err *err)
{
    char today[11];
    sqlite3_stmt *s = cm_store_stmt(c, CM_ST_TEAM_SET_FLAG);
    cm_store_bind_viewer(s, v, now, today);
    cm_store_bind_i64(s, CM_P_CHILD, child_id);
    cm_store_bind_i64(s, 10, member_id);
    cm_store_bind_text(s, 11, flag);
    cm_store_bind_i64(s, 12, step);
    return cm_store_exec(c, s, "team_set_flag", err);
}

static enum cm_code
set_lead(struct cm_conn *c, const struct cm_viewer *v, int64_t child_id, int64_t expected,
         int64_t lead_id, int64_t backup_id, int64_t now, struct cm_err *err)
{
    char today[11];
    sqlite3_stmt *s = cm_store_stmt(c, CM_ST_CHILD_ACCESS);
    cm_store_bind_viewer(s, v, now, today);
    cm_store_bind_i64(s, CM_P_CHILD, child_id);
    int rc = sqlite3_step(s);
    enum cm_code code = CM_OK;
    if (rc == SQLITE_ROW) {
        if (sqlite3_column_int64(s, 0) == 0)
            code = cm_err_set(err, CM_ENOTFOUND, "", "no such child");
        else if (sqlite3_column_int64(s, 1) != expected)
            code =
                cm_err_set(err, CM_ESTALE, "version",
                           "the child changed since version %lld: reload it", (long long)expected);
    } else if (rc == SQLITE_DONE) {
        code = cm_err_set(err, CM_ENOTFOUND, "", "no such child");
    } else {
        code = cm_store_fail(c->db, rc, "child_access", err);
    }
    cm_store_done(s);
    if (code != CM_OK)
        return code;

    bool active;
    code = probe(c, CM_ST_TEAM_IS_ACTIVE, v, child_id, lead_id, now, &active, err);
    if (code == CM_OK && !active)
        code = cm_err_set(err, CM_ECONFLICT, "lead_member_id",
                          "must be an active member of this child's care team");
    if (code == CM_OK && backup_id != 0) {
        code = probe(c, CM_ST_TEAM_IS_ACTIVE, v, child_id, backup_id, now, &active, err);
        if (code == CM_OK && !active)
            code = cm_err_set(err, CM_ECONFLICT, "backup_member_id",
                              "must be an active member of this child's care team");
    }
    if (code != CM_OK)
        return code;

    /* Designating the first lead of a child created in this same transaction is part of its
     * creation: nobody has seen version 1 yet, so nothing moves past it. */
    bool fresh = c->fresh_child == child_id && !sqlite3_get_autocommit(c->db);
    int step = fresh ? 0 : 1;
    s = cm_store_stmt(c, CM_ST_TEAM_CLEAR_LEADS);
    cm_store_bind_viewer(s, v, now, today);
    cm_store_bind_i64(s, CM_P_CHILD, child_id);
    cm_store_bind_i64(s, 10, lead_id);
    cm_store_bind_i64(s, 11, backup_id);
    cm_store_bind_i64(s, 12, step);
    code = cm_store_exec(c, s, "team_clear_leads", err);
    if (code == CM_OK)
        code = set_flag(c, v, child_id, lead_id, "lead", step, now, err);
    if (code == CM_OK && backup_id != 0)
        code = set_flag(c, v, child_id, backup_id, "backup", step, now, err);
    if (code != CM_OK || fresh)
        return code;

    /* The lead and backup are part of the child's record: its ETag moves. */
    s = cm_store_stmt(c, CM_ST_CHILD_BUMP);
    cm_store_bind_viewer(s, v, now, today);
    cm_store_bind_i64(s, CM_P_CHILD, child_id);
    cm_store_bind_i64(s, 10, expected);
    code = cm_store_exec(c, s, "child_bump", err);
    if (code == CM_OK && sqlite3_changes(c->db) != 1)
        code = cm_err_set(err, CM_ESTALE, "version", "the child changed: reload it");
    return code;
}

enum cm_code
cm_store_team_set_lead(struct cm_conn *c, const struct cm_viewer *v, int64_t child_id,
                       int64_t expected_child_version, int64_t lead_id, int64_t backup_id,
                       int64_t now, struct cm_err *err)
{
    if (lead_id <= 0)
        return cm_err_set(err, CM_EINVAL, "lead_member_id", "is required");
    if (backup_id < 0)
        return cm_err_set(err, CM_EINVAL, "backup_member_id", "must be a member id");
    if (backup_id == lead_id)
        return cm_err_set(err, CM_ECONFLICT, "backup_member_id",
                          "the backup must be someone other than the lead");
    bool own;
    enum cm_code code = cm_store_tx_open(c, true, &own, err);
    if (code != CM_OK)
        return code;
    code = set_lead(c, v, child_id, expected_child_version, lead_id, backup_id, now, err);
    return cm_store_tx_close(c, own, code, err);
}
