/* Unit tests for the store's SQLite backend, each on a fresh database file in its own temporary
 * directory: migrations, the statement table, every record's round trip, versions, the reach
 * rules (team, program-wide, family, break-glass), the lead/backup rules, the panel, the audit
 * chain, the checksum, sessions and sign-in failures. */
#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>

#include <cmocka.h>

#include "testlib_db.h"

#include "store/migrations.h"
#include "store/store_int.h"

#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>

#define DAY 86400

/* One database with two programs, their people and three children:
 * child1 (nurse_a's team, record R-1), child2 (nurse_b's team, R-2), child_other (program 2). */
struct fx {
    char dir[64];
    char path[128];
    struct cm_store *s;
    struct cm_conn *c;
    struct cm_arena *a;
    int64_t now;
    char today[11];
    int64_t prog, prog2;
    int64_t admin, pm, nurse_a, nurse_b, doc, social, analyst, fam, pm2, nurse2;
    int64_t child1, child2, child_other;
    int64_t member_a; /* nurse_a's membership of child1 */
};

static struct cm_viewer
viewer(int64_t user, enum cm_role role, int64_t program)
{
    return (struct cm_viewer){.user_id = user, .role = role, .program_id = program};
}

static int64_t
add_user(struct fx *f, int64_t program, const char *username, enum cm_role role)
{
    struct cm_err err = {0};
    struct cm_user u = {.program_id = program,
                        .username = username,
                        .display_name = username,
                        .role = role,
                        .language = "en",
                        .password_hash = "$argon2id$test"};
    assert_int_equal(cm_store_user_create(f->c, &u, 0, &err), CM_OK);
    assert_true(u.meta.id > 0);
    return u.meta.id;
}

static int64_t
add_child(struct fx *f, const struct cm_viewer *v, const char *record, const char *given,
          const char *family, int tier)
{
    struct cm_err err = {0};
    struct cm_child ch = {.record_number = record,
                          .given_name = given,
                          .family_name = family,
                          .birth_date = "2018-04-01",
                          .sex = "female",
                          .preferred_language = "en",
                          .tier = tier};
    assert_int_equal(cm_store_child_create(f->c, v, &ch, &err), CM_OK);
    return ch.meta.id;
}

/* Adds a member (staff when user != 0, else an external contact called name) started in 2020. */
static int64_t
add_member(struct fx *f, const struct cm_viewer *v, int64_t child, int64_t user, const char *name)
{
    struct cm_err err = {0};
    struct cm_team_member t = {.child_id = child,
                               .user_id = user,
                               .name = name,
                               .role = "nurse_care_coordinator",
                               .service = "care coordination",
                               .sector = CM_SECTOR_MEDICAL,
                               .start_date = "2020-01-01"};
    enum cm_code rc = cm_store_team_create(f->c, v, f->now, &t, &err);
    if (rc != CM_OK)
        fail_msg("team_create: %s %s", err.field, err.msg);
    return t.meta.id;
}

static int
setup(void **state)
{
    struct fx *f = calloc(1, sizeof(*f));
    assert_non_null(f);
    testlib_db_dir(f->dir, f->path);
    struct cm_err err = {0};
    assert_int_equal(cm_store_open(f->path, &f->s, &err), CM_OK);
    assert_int_equal(cm_store_conn_open(f->s, &f->c, &err), CM_OK);
    f->a = cm_arena_new(8 << 20);
    assert_non_null(f->a);
    f->now = cm_time_now();
    cm_date_of(f->now, f->today);

    /* One transaction: a commit per row with synchronous=FULL would make every test slow. */
    assert_int_equal(cm_store_begin(f->c, true, &err), CM_OK);
    assert_int_equal(cm_store_program_create(f->c, "Program One", &f->prog, &err), CM_OK);
    assert_int_equal(cm_store_program_create(f->c, "Program Two", &f->prog2, &err), CM_OK);
    f->admin = add_user(f, f->prog, "admin", CM_ROLE_ADMINISTRATOR);
    f->pm = add_user(f, f->prog, "manager", CM_ROLE_PROGRAM_MANAGER);
    f->nurse_a = add_user(f, f->prog, "coord.ada", CM_ROLE_NURSE_CARE_COORDINATOR);
    f->nurse_b = add_user(f, f->prog, "coord.ben", CM_ROLE_NURSE_CARE_COORDINATOR);
    f->doc = add_user(f, f->prog, "dr.ellis", CM_ROLE_COMPLEX_CARE_PEDIATRICIAN);
    f->social = add_user(f, f->prog, "sw.gray", CM_ROLE_SOCIAL_WORKER);
    f->analyst = add_user(f, f->prog, "analyst.jo", CM_ROLE_ANALYST);
    f->fam = add_user(f, f->prog, "family.one", CM_ROLE_FAMILY);
    f->pm2 = add_user(f, f->prog2, "manager.two", CM_ROLE_PROGRAM_MANAGER);
    f->nurse2 = add_user(f, f->prog2, "coord.two", CM_ROLE_NURSE_CARE_COORDINATOR);

    /* Each nurse creates a child and joins its team as the API does (the creator's first
     * member needs no prior reach). */
    struct cm_viewer va = viewer(f->nurse_a, CM_ROLE_NURSE_CARE_COORDINATOR, f->prog);
    struct cm_viewer vb = viewer(f->nurse_b, CM_ROLE_NURSE_CARE_COORDINATOR, f->prog);
    struct cm_viewer v2 = viewer(f->nurse2, CM_ROLE_NURSE_CARE_COORDINATOR, f->prog2);
    f->child1 = add_child(f, &va, "R-1", "Zuri", "Testchild", 3);
    f->member_a = add_member(f, &va, f->child1, f->nurse_a, NULL);
    f->child2 = add_child(f, &vb, "R-2", "Ola", "Quillbrook", 1);
    add_member(f, &vb, f->child2, f->nurse_b, NULL);
    f->child_other = add_child(f, &v2, "R-1", "Ivo", "Marbleton", 2);
    add_member(f, &v2, f->child_other, f->nurse2, NULL);
    assert_int_equal(cm_store_commit(f->c, &err), CM_OK);
    *state = f;
    return 0;
}

static int
teardown(void **state)
{
    struct fx *f = *state;
    cm_store_conn_close(f->c);
    cm_store_close(f->s);
    cm_arena_free(f->a);
    testlib_db_remove(f->dir);
    free(f);
    return 0;
}

/* Runs SQL on a separate handle, as someone editing the file behind caremap's back would; it
 * must succeed. */
static void
raw_sql(const char *path, const char *sql)
{
    assert_int_equal(testlib_sql(path, sql), SQLITE_OK);
}

static void
checksum(struct fx *f, char out[65])
{
    struct cm_err err = {0};
    assert_int_equal(cm_store_checksum(f->c, out, &err), CM_OK);
    assert_int_equal(strlen(out), 64);
}

static enum cm_access
access_of(struct fx *f, const struct cm_viewer *v, int64_t child, int64_t now)
{
    struct cm_err err = {0};
    enum cm_access how = CM_ACCESS_TEAM;
    assert_int_equal(cm_store_child_access(f->c, v, child, now, &how, &err), CM_OK);
    return how;
}

/* ---- migrations and statements --------------------------------------------------------------- */

static void
test_migrations_apply_once_and_are_recorded(void **state)
{
    struct fx *f = *state;
    assert_int_equal(cm_store_migrations_applied(f->s), (int)cm_migrations_sqlite_count);
    assert_int_equal(testlib_sql_int(f->path, "SELECT count(*) FROM schema_migrations"),
                     (int64_t)cm_migrations_sqlite_count);
    char sum[65];
    cm_store_migration_checksum(cm_migrations_sqlite[0].sql, cm_migrations_sqlite[0].len, sum);
    char sql[256];
    snprintf(sql, sizeof(sql),
             "SELECT count(*) FROM schema_migrations WHERE name = '%s' AND checksum = '%s'",
             cm_migrations_sqlite[0].name, sum);
    assert_int_equal(testlib_sql_int(f->path, sql), 1);

    /* A second open applies nothing and keeps the data. */
    struct cm_err err = {0};
    struct cm_store *again = NULL;
    assert_int_equal(cm_store_open(f->path, &again, &err), CM_OK);
    assert_int_equal(cm_store_migrations_applied(again), 0);
    int applied = -1;
    assert_int_equal(cm_store_migrate(again, &applied, &err), CM_OK);
    assert_int_equal(applied, 0);
    cm_store_close(again);
    assert_int_equal(testlib_sql_int(f->path, "SELECT count(*) FROM child"), 3);
}

static void
test_tampered_migration_checksum_fails_open_naming_the_file(void **state)
{
    struct fx *f = *state;
    raw_sql(f->path, "UPDATE schema_migrations SET checksum = 'abc' "
                     "WHERE name = '0001_foundation.sql'");
    struct cm_err err = {0};
    struct cm_store *again = NULL;
    assert_int_equal(cm_store_open(f->path, &again, &err), CM_EDB);
    assert_null(again);
    assert_non_null(strstr(err.msg, "0001_foundation.sql"));
}

static void
test_unknown_migration_in_the_database_fails_open(void **state)
{
    struct fx *f = *state;
    raw_sql(f->path, "INSERT INTO schema_migrations VALUES ('9999_future.sql', 'x', 0)");
    struct cm_err err = {0};
    struct cm_store *again = NULL;
    assert_int_equal(cm_store_open(f->path, &again, &err), CM_EDB);
    assert_non_null(strstr(err.msg, "9999_future.sql"));
}

static void
test_every_statement_prepares_and_the_connection_is_configured(void **state)
{
    struct fx *f = *state;
    for (int i = 0; i < CM_ST_COUNT; i++) {
        assert_non_null(cm_store_sql((enum cm_st)i));
        assert_non_null(cm_store_sql_name((enum cm_st)i));
        assert_non_null(f->c->st[i]);
    }
    sqlite3_stmt *s = NULL;
    assert_int_equal(sqlite3_prepare_v2(f->c->db, "PRAGMA journal_mode", -1, &s, NULL), 0);
    assert_int_equal(sqlite3_step(s), SQLITE_ROW);
    assert_string_equal((const char *)sqlite3_column_text(s, 0), "wal");
    sqlite3_finalize(s);
    assert_int_equal(sqlite3_prepare_v2(f->c->db, "PRAGMA foreign_keys", -1, &s, NULL), 0);
    assert_int_equal(sqlite3_step(s), SQLITE_ROW);
    assert_int_equal(sqlite3_column_int(s, 0), 1);
    sqlite3_finalize(s);
    assert_int_equal(sqlite3_prepare_v2(f->c->db, "PRAGMA synchronous", -1, &s, NULL), 0);
    assert_int_equal(sqlite3_step(s), SQLITE_ROW);
    assert_int_equal(sqlite3_column_int(s, 0), 2); /* FULL */
    sqlite3_finalize(s);
    assert_int_equal(sqlite3_prepare_v2(f->c->db, "PRAGMA busy_timeout", -1, &s, NULL), 0);
    assert_int_equal(sqlite3_step(s), SQLITE_ROW);
    assert_int_equal(sqlite3_column_int(s, 0), 5000);
    sqlite3_finalize(s);
}

/* The hot path (GET /api/children/{id}) must stay indexed lookups: no full scan of any table. */
static void
test_child_access_and_get_never_scan_a_table(void **state)
{
    struct fx *f = *state;
    static const enum cm_st hot[] = {CM_ST_CHILD_ACCESS, CM_ST_CHILD_GET, CM_ST_SESSION_GET,
                                     CM_ST_TEAM_LIST, CM_ST_AUDIT_LIST_CHILD};
    for (size_t i = 0; i < CM_ARRAY_LEN(hot); i++) {
        char sql[8192];
        snprintf(sql, sizeof(sql), "EXPLAIN QUERY PLAN %s", cm_store_sql(hot[i]));
        sqlite3_stmt *s = NULL;
        assert_int_equal(sqlite3_prepare_v2(f->c->db, sql, -1, &s, NULL), SQLITE_OK);
        while (sqlite3_step(s) == SQLITE_ROW) {
            const char *detail = (const char *)sqlite3_column_text(s, 3);
            if (strncmp(detail, "SCAN ", 5) == 0)
                fail_msg("%s: %s", cm_store_sql_name(hot[i]), detail);
        }
        sqlite3_finalize(s);
    }
}

/* ---- programs, organisations, users ---------------------------------------------------------- */

static void
test_program_first_is_the_oldest(void **state)
{
    struct fx *f = *state;
    struct cm_err err = {0};
    int64_t id = 0;
    assert_int_equal(cm_store_program_first(f->c, &id, &err), CM_OK);
    assert_int_equal(id, f->prog);
}

static void
test_organization_round_trip_and_stale_update(void **state)
{
    struct fx *f = *state;
    struct cm_err err = {0};
    struct cm_organization o = {.program_id = f->prog,
                                .name = "Lakeside Clinic",
                                .type = CM_ORG_CLINIC,
                                .phone = "555-0101"};
    assert_int_equal(cm_store_organization_create(f->c, &o, f->admin, &err), CM_OK);
    assert_int_equal(o.meta.version, 1);
    assert_int_equal(o.meta.updated_by, f->admin);

    struct cm_organization got;
    assert_int_equal(cm_store_organization_get(f->c, f->prog, o.meta.id, &got, f->a, &err), CM_OK);
    assert_string_equal(got.name, "Lakeside Clinic");
    assert_int_equal(got.type, CM_ORG_CLINIC);
    assert_string_equal(got.phone, "555-0101");
    assert_null(got.email);
    assert_int_equal(cm_store_organization_get(f->c, f->prog2, o.meta.id, &got, f->a, &err),
                     CM_ENOTFOUND);

    err = (struct cm_err){0};
    got.name = "Lakeside Children's Clinic";
    assert_int_equal(cm_store_organization_update(f->c, &got, f->pm, &err), CM_OK);
    assert_int_equal(got.meta.version, 2);

    char before[65], after[65];
    checksum(f, before);
    o.name = "Stale Name";
    assert_int_equal(cm_store_organization_update(f->c, &o, f->pm, &err), CM_ESTALE);
    checksum(f, after);
    assert_string_equal(before, after);

    struct cm_organization_list list;
    assert_int_equal(cm_store_organization_list(f->c, f->prog, &list, f->a, &err), CM_OK);
    assert_int_equal(list.count, 1);
    assert_string_equal(list.items[0].name, "Lakeside Children's Clinic");
}

static void
test_user_round_trip_and_unique_username_conflicts(void **state)
{
    struct fx *f = *state;
    struct cm_err err = {0};
    struct cm_user u;
    assert_int_equal(cm_store_user_by_username(f->c, "coord.ada", &u, f->a, &err), CM_OK);
    assert_int_equal(u.meta.id, f->nurse_a);
    assert_int_equal(u.role, CM_ROLE_NURSE_CARE_COORDINATOR);
    assert_string_equal(u.password_hash, "$argon2id$test");
    assert_false(u.disabled);

    struct cm_user dup = {.program_id = f->prog2,
                          .username = "coord.ada",
                          .display_name = "Another Ada",
                          .role = CM_ROLE_SOCIAL_WORKER,
                          .language = "es"};
    assert_int_equal(cm_store_user_create(f->c, &dup, 0, &err), CM_ECONFLICT);
    assert_string_equal(err.field, "username");

    err = (struct cm_err){0};
    u.display_name = "Ada Coordinator";
    u.role = CM_ROLE_SOCIAL_WORKER;
    u.email = "ada@example.org";
    assert_int_equal(cm_store_user_update(f->c, &u, f->admin, &err), CM_OK);
    assert_int_equal(u.meta.version, 2);
    struct cm_user got;
    assert_int_equal(cm_store_user_get(f->c, f->nurse_a, &got, f->a, &err), CM_OK);
    assert_string_equal(got.display_name, "Ada Coordinator");
    assert_int_equal(got.role, CM_ROLE_SOCIAL_WORKER);
    assert_string_equal(got.email, "ada@example.org");

    assert_int_equal(cm_store_user_get(f->c, 999999, &got, f->a, &err), CM_ENOTFOUND);

    struct cm_user_list list;
    err = (struct cm_err){0};
    assert_int_equal(cm_store_user_list(f->c, f->prog2, &list, f->a, &err), CM_OK);
    assert_int_equal(list.count, 2);
}

static void
test_user_update_with_stale_version_changes_nothing(void **state)
{
    struct fx *f = *state;
    struct cm_err err = {0};
    struct cm_user u;
    assert_int_equal(cm_store_user_get(f->c, f->doc, &u, f->a, &err), CM_OK);
    struct cm_user stale = u;
    u.display_name = "Dr Ellis";
    assert_int_equal(cm_store_user_update(f->c, &u, f->admin, &err), CM_OK);
    char before[65], after[65];
    checksum(f, before);
    stale.display_name = "Overwritten";
    assert_int_equal(cm_store_user_update(f->c, &stale, f->admin, &err), CM_ESTALE);
    assert_int_equal(stale.meta.version, 1);
    checksum(f, after);
    assert_string_equal(before, after);
}

static void
add_session(struct fx *f, const char *token_hash, int64_t user, int64_t at)
{
    struct cm_err err = {0};
    struct cm_session s = {
        .user_id = user, .created_at = at, .last_seen_at = at, .expires_at = at + 12 * 3600};
    assert_int_equal(cm_strlcpy(s.token_hash, token_hash, sizeof(s.token_hash)), CM_OK);
    assert_int_equal(cm_strlcpy(s.csrf, "c5rf", sizeof(s.csrf)), CM_OK);
    assert_int_equal(cm_store_session_create(f->c, &s, &err), CM_OK);
}

static void
test_disabling_a_user_or_setting_a_password_revokes_sessions(void **state)
{
    struct fx *f = *state;
    struct cm_err err = {0};
    struct cm_session got;
    add_session(f, "aa01", f->doc, f->now);
    add_session(f, "aa02", f->social, f->now);
    add_session(f, "aa03", f->pm, f->now);

    struct cm_user u;
    assert_int_equal(cm_store_user_get(f->c, f->doc, &u, f->a, &err), CM_OK);
    u.disabled = true;
    assert_int_equal(cm_store_user_update(f->c, &u, f->admin, &err), CM_OK);
    assert_int_equal(cm_store_session_get(f->c, "aa01", &got, &err), CM_ENOTFOUND);

    err = (struct cm_err){0};
    assert_int_equal(cm_store_user_set_password(f->c, f->social, "$argon2id$new", f->admin, &err),
                     CM_OK);
    assert_int_equal(cm_store_session_get(f->c, "aa02", &got, &err), CM_ENOTFOUND);
    assert_int_equal(cm_store_user_get(f->c, f->social, &u, f->a, &err), CM_OK);
    assert_string_equal(u.password_hash, "$argon2id$new");
    assert_int_equal(u.meta.version, 2);

    /* Others keep theirs. */
    err = (struct cm_err){0};
    assert_int_equal(cm_store_session_get(f->c, "aa03", &got, &err), CM_OK);
    assert_int_equal(cm_store_user_set_password(f->c, 999999, "$x", 0, &err), CM_ENOTFOUND);
}

/* ---- sessions and sign-in failures ----------------------------------------------------------- */

static void
test_session_create_get_touch_delete_and_purge(void **state)
{
    struct fx *f = *state;
    struct cm_err err = {0};
    struct cm_session got;
    add_session(f, "t1", f->pm, 1000);
    add_session(f, "t2", f->pm, 1000);
    add_session(f, "t3", f->pm, 1000);
    assert_int_equal(cm_store_session_get(f->c, "t1", &got, &err), CM_OK);
    assert_string_equal(got.token_hash, "t1");
    assert_string_equal(got.csrf, "c5rf");
    assert_int_equal(got.user_id, f->pm);
    assert_int_equal(got.expires_at, 1000 + 12 * 3600);

    assert_int_equal(cm_store_session_touch(f->c, "t1", 2000, &err), CM_OK);
    assert_int_equal(cm_store_session_get(f->c, "t1", &got, &err), CM_OK);
    assert_int_equal(got.last_seen_at, 2000);
    assert_int_equal(cm_store_session_touch(f->c, "nope", 2000, &err), CM_ENOTFOUND);

    err = (struct cm_err){0};
    assert_int_equal(cm_store_session_delete(f->c, "t2", &err), CM_OK);
    assert_int_equal(cm_store_session_get(f->c, "t2", &got, &err), CM_ENOTFOUND);
    assert_int_equal(cm_store_session_get(f->c, "unknown", &got, &err), CM_ENOTFOUND);

    /* Idle 1800 s: t3 (last seen 1000) is idle at 3000, t1 (seen 2000) is not. */
    err = (struct cm_err){0};
    assert_int_equal(cm_store_session_purge(f->c, 3000, 1800, &err), CM_OK);
    assert_int_equal(cm_store_session_get(f->c, "t3", &got, &err), CM_ENOTFOUND);
    err = (struct cm_err){0};
    assert_int_equal(cm_store_session_get(f->c, "t1", &got, &err), CM_OK);
    /* Past the absolute expiry, however recently used. */
    assert_int_equal(cm_store_session_touch(f->c, "t1", 1000 + 12 * 3600, &err), CM_OK);
    assert_int_equal(cm_store_session_purge(f->c, 1000 + 12 * 3600, 1800, &err), CM_OK);
    assert_int_equal(cm_store_session_get(f->c, "t1", &got, &err), CM_ENOTFOUND);
}

static void
test_login_failures_are_counted_within_the_window(void **state)
{
    struct fx *f = *state;
    struct cm_err err = {0};
    int n = -1;
    int64_t oldest = -1;
    for (int64_t at = 100; at <= 500; at += 100)
        assert_int_equal(cm_store_login_failure_add(f->c, "user:coord.ada", at, &err), CM_OK);
    assert_int_equal(cm_store_login_failure_add(f->c, "ip:127.0.0.1", 450, &err), CM_OK);

    assert_int_equal(cm_store_login_failure_count(f->c, "user:coord.ada", 0, &n, &err), CM_OK);
    assert_int_equal(n, 5);
    assert_int_equal(cm_store_login_failure_count(f->c, "user:coord.ada", 300, &n, &err), CM_OK);
    assert_int_equal(n, 3);
    assert_int_equal(cm_store_login_failure_oldest(f->c, "user:coord.ada", 250, &oldest, &err),
                     CM_OK);
    assert_int_equal(oldest, 300);
    assert_int_equal(cm_store_login_failure_oldest(f->c, "user:nobody", 0, &oldest, &err), CM_OK);
    assert_int_equal(oldest, 0);

    assert_int_equal(cm_store_login_failure_clear(f->c, "user:coord.ada", &err), CM_OK);
    assert_int_equal(cm_store_login_failure_count(f->c, "user:coord.ada", 0, &n, &err), CM_OK);
    assert_int_equal(n, 0);
    assert_int_equal(cm_store_login_failure_count(f->c, "ip:127.0.0.1", 0, &n, &err), CM_OK);
    assert_int_equal(n, 1);
}

/* ---- children and reach ---------------------------------------------------------------------- */

static void
test_child_round_trip(void **state)
{
    struct fx *f = *state;
    struct cm_err err = {0};
    struct cm_viewer va = viewer(f->nurse_a, CM_ROLE_NURSE_CARE_COORDINATOR, f->prog);
    struct cm_child ch;
    assert_int_equal(cm_store_child_get(f->c, &va, f->child1, f->now, &ch, f->a, &err), CM_OK);
    assert_string_equal(ch.record_number, "R-1");
    assert_string_equal(ch.given_name, "Zuri");
    assert_string_equal(ch.birth_date, "2018-04-01");
    assert_int_equal(ch.tier, 3);
    assert_int_equal(ch.program_id, f->prog);
    assert_int_equal(ch.meta.version, 1);
    assert_int_equal(ch.meta.updated_by, f->nurse_a);
    assert_null(ch.preferred_name);

    ch.preferred_name = "Zu";
    ch.enrolled_on = "2024-02-01";
    ch.plan_updated_at = 12345;
    assert_int_equal(cm_store_child_update(f->c, &va, f->now, &ch, &err), CM_OK);
    assert_int_equal(ch.meta.version, 2);
    struct cm_child got;
    assert_int_equal(cm_store_child_get(f->c, &va, f->child1, f->now, &got, f->a, &err), CM_OK);
    assert_string_equal(got.preferred_name, "Zu");
    assert_string_equal(got.enrolled_on, "2024-02-01");
    assert_int_equal(got.plan_updated_at, 12345);
    assert_int_equal(got.meta.version, 2);
}

static void
test_record_number_is_unique_within_a_program(void **state)
{
    struct fx *f = *state;
    struct cm_err err = {0};
    struct cm_viewer vb = viewer(f->nurse_b, CM_ROLE_NURSE_CARE_COORDINATOR, f->prog);
    struct cm_child ch = {
        .record_number = "R-1", .given_name = "A", .family_name = "B", .birth_date = "2019-01-01"};
    assert_int_equal(cm_store_child_create(f->c, &vb, &ch, &err), CM_ECONFLICT);
    assert_string_equal(err.field, "record_number");

    /* Updating another child onto a taken number conflicts too. */
    err = (struct cm_err){0};
    struct cm_child two;
    assert_int_equal(cm_store_child_get(f->c, &vb, f->child2, f->now, &two, f->a, &err), CM_OK);
    two.record_number = "R-1";
    assert_int_equal(cm_store_child_update(f->c, &vb, f->now, &two, &err), CM_ECONFLICT);
}

static void
test_child_update_with_stale_version_is_stale_and_changes_nothing(void **state)
{
    struct fx *f = *state;
    struct cm_err err = {0};
    struct cm_viewer va = viewer(f->nurse_a, CM_ROLE_NURSE_CARE_COORDINATOR, f->prog);
    struct cm_child ch;
    assert_int_equal(cm_store_child_get(f->c, &va, f->child1, f->now, &ch, f->a, &err), CM_OK);
    struct cm_child stale = ch;
    ch.tier = 2;
    assert_int_equal(cm_store_child_update(f->c, &va, f->now, &ch, &err), CM_OK);
    char before[65], after[65];
    checksum(f, before);
    stale.given_name = "Changed";
    assert_int_equal(cm_store_child_update(f->c, &va, f->now, &stale, &err), CM_ESTALE);
    assert_int_equal(stale.meta.version, 1);
    checksum(f, after);
    assert_string_equal(before, after);
}

/* Everything a viewer learns about an unreachable child equals what they learn about none. */
static void
assert_hidden_like_missing(struct fx *f, const struct cm_viewer *v, int64_t child)
{
    struct cm_err e1 = {0}, e2 = {0};
    struct cm_child ch;
    assert_int_equal(access_of(f, v, child, f->now), CM_ACCESS_NONE);
    enum cm_code r1 = cm_store_child_get(f->c, v, child, f->now, &ch, f->a, &e1);
    enum cm_code r2 = cm_store_child_get(f->c, v, 987654, f->now, &ch, f->a, &e2);
    assert_int_equal(r1, CM_ENOTFOUND);
    assert_int_equal(r2, CM_ENOTFOUND);
    assert_memory_equal(&e1, &e2, sizeof(e1));

    struct cm_team_list tl;
    e1 = (struct cm_err){0};
    e2 = (struct cm_err){0};
    r1 = cm_store_team_list(f->c, v, child, false, f->now, &tl, f->a, &e1);
    r2 = cm_store_team_list(f->c, v, 987654, false, f->now, &tl, f->a, &e2);
    assert_int_equal(r1, CM_ENOTFOUND);
    assert_int_equal(r2, r1);
    assert_memory_equal(&e1, &e2, sizeof(e1));

    struct cm_family_list fl;
    e1 = (struct cm_err){0};
    assert_int_equal(cm_store_family_list(f->c, v, child, f->now, &fl, f->a, &e1), CM_ENOTFOUND);
}

static void
test_team_member_reaches_the_child_and_another_team_does_not(void **state)
{
    struct fx *f = *state;
    struct cm_viewer va = viewer(f->nurse_a, CM_ROLE_NURSE_CARE_COORDINATOR, f->prog);
    struct cm_viewer vb = viewer(f->nurse_b, CM_ROLE_NURSE_CARE_COORDINATOR, f->prog);
    struct cm_viewer an = viewer(f->analyst, CM_ROLE_ANALYST, f->prog);
    assert_int_equal(access_of(f, &va, f->child1, f->now), CM_ACCESS_TEAM);
    assert_int_equal(access_of(f, &vb, f->child2, f->now), CM_ACCESS_TEAM);
    assert_hidden_like_missing(f, &vb, f->child1);
    assert_hidden_like_missing(f, &va, f->child2);
    assert_hidden_like_missing(f, &an, f->child1);
}

static void
test_membership_that_has_not_started_gives_no_reach(void **state)
{
    struct fx *f = *state;
    struct cm_err err = {0};
    struct cm_viewer va = viewer(f->nurse_a, CM_ROLE_NURSE_CARE_COORDINATOR, f->prog);
    struct cm_team_member t = {.child_id = f->child1,
                               .user_id = f->social,
                               .role = "social_worker",
                               .sector = CM_SECTOR_COMMUNITY,
                               .start_date = "2199-01-01"};
    assert_int_equal(cm_store_team_create(f->c, &va, f->now, &t, &err), CM_OK);
    struct cm_viewer sw = viewer(f->social, CM_ROLE_SOCIAL_WORKER, f->prog);
    assert_int_equal(access_of(f, &sw, f->child1, f->now), CM_ACCESS_NONE);
}

static void
test_ended_membership_loses_access(void **state)
{
    struct fx *f = *state;
    struct cm_err err = {0};
    struct cm_viewer va = viewer(f->nurse_a, CM_ROLE_NURSE_CARE_COORDINATOR, f->prog);
    struct cm_viewer sw = viewer(f->social, CM_ROLE_SOCIAL_WORKER, f->prog);
    int64_t m = add_member(f, &va, f->child1, f->social, NULL);
    assert_int_equal(access_of(f, &sw, f->child1, f->now), CM_ACCESS_TEAM);

    /* Ending on a later day keeps access until that day. */
    char later[11];
    cm_date_of(f->now + 3 * DAY, later);
    assert_int_equal(cm_store_team_end(f->c, &va, f->child1, m, 1, later, f->now, &err), CM_OK);
    assert_int_equal(access_of(f, &sw, f->child1, f->now), CM_ACCESS_TEAM);
    assert_int_equal(access_of(f, &sw, f->child1, f->now + 3 * DAY), CM_ACCESS_NONE);

    assert_int_equal(cm_store_team_end(f->c, &va, f->child1, m, 2, f->today, f->now, &err), CM_OK);
    assert_hidden_like_missing(f, &sw, f->child1);

    /* The ended membership shows only with include_ended. */
    struct cm_team_list tl;
    assert_int_equal(cm_store_team_list(f->c, &va, f->child1, false, f->now, &tl, f->a, &err),
                     CM_OK);
    assert_int_equal(tl.count, 1);
    assert_int_equal(cm_store_team_list(f->c, &va, f->child1, true, f->now, &tl, f->a, &err),
                     CM_OK);
    assert_int_equal(tl.count, 2);
    assert_string_equal(tl.items[1].end_date, f->today);
}

static void
test_team_end_rules(void **state)
{
    struct fx *f = *state;
    struct cm_err err = {0};
    struct cm_viewer va = viewer(f->nurse_a, CM_ROLE_NURSE_CARE_COORDINATOR, f->prog);
    int64_t m = add_member(f, &va, f->child1, 0, "Pat Neurologist");
    assert_int_equal(cm_store_team_end(f->c, &va, f->child1, m, 1, "2019-12-31", f->now, &err),
                     CM_EINVAL);
    assert_string_equal(err.field, "end_date");
    err = (struct cm_err){0};
    assert_int_equal(cm_store_team_end(f->c, &va, f->child1, m, 7, NULL, f->now, &err), CM_ESTALE);
    err = (struct cm_err){0};
    assert_int_equal(cm_store_team_end(f->c, &va, f->child1, m, 1, NULL, f->now, &err), CM_OK);
    assert_int_equal(cm_store_team_end(f->c, &va, f->child1, m, 2, NULL, f->now, &err),
                     CM_ECONFLICT);
    err = (struct cm_err){0};
    assert_int_equal(cm_store_team_end(f->c, &va, f->child2, m, 2, NULL, f->now, &err),
                     CM_ENOTFOUND);
}

static void
test_program_manager_reaches_the_program_but_not_another(void **state)
{
    struct fx *f = *state;
    struct cm_viewer pm = viewer(f->pm, CM_ROLE_PROGRAM_MANAGER, f->prog);
    struct cm_viewer admin = viewer(f->admin, CM_ROLE_ADMINISTRATOR, f->prog);
    struct cm_viewer pm2 = viewer(f->pm2, CM_ROLE_PROGRAM_MANAGER, f->prog2);
    assert_int_equal(access_of(f, &pm, f->child1, f->now), CM_ACCESS_PROGRAM_WIDE);
    assert_int_equal(access_of(f, &pm, f->child2, f->now), CM_ACCESS_PROGRAM_WIDE);
    assert_int_equal(access_of(f, &admin, f->child2, f->now), CM_ACCESS_PROGRAM_WIDE);
    assert_hidden_like_missing(f, &pm, f->child_other);
    assert_hidden_like_missing(f, &pm2, f->child1);
    assert_int_equal(access_of(f, &pm2, f->child_other, f->now), CM_ACCESS_PROGRAM_WIDE);
}

static int64_t
add_guardian(struct fx *f, const struct cm_viewer *v, int64_t child)
{
    struct cm_err err = {0};
    struct cm_family_member m = {.child_id = child,
                                 .given_name = "Rosa",
                                 .family_name = "Testparent",
                                 .relationship = "mother",
                                 .is_guardian = true,
                                 .preferred_language = "es"};
    assert_int_equal(cm_store_family_create(f->c, v, f->now, &m, &err), CM_OK);
    return m.meta.id;
}

static void
test_family_account_reaches_its_own_child_only(void **state)
{
    struct fx *f = *state;
    struct cm_err err = {0};
    struct cm_viewer va = viewer(f->nurse_a, CM_ROLE_NURSE_CARE_COORDINATOR, f->prog);
    struct cm_viewer fam = viewer(f->fam, CM_ROLE_FAMILY, f->prog);
    int64_t g = add_guardian(f, &va, f->child1);
    assert_int_equal(access_of(f, &fam, f->child1, f->now), CM_ACCESS_NONE);
    assert_int_equal(cm_store_family_link_user(f->c, f->prog, g, f->fam, &err), CM_OK);
    assert_int_equal(access_of(f, &fam, f->child1, f->now), CM_ACCESS_FAMILY);
    assert_hidden_like_missing(f, &fam, f->child2);

    /* A second link of the same member, a staff user, or another program's member is refused. */
    int64_t other = add_user(f, f->prog, "family.two", CM_ROLE_FAMILY);
    assert_int_equal(cm_store_family_link_user(f->c, f->prog, g, other, &err), CM_ECONFLICT);
    err = (struct cm_err){0};
    int64_t g2 = add_guardian(f, &va, f->child1);
    assert_int_equal(cm_store_family_link_user(f->c, f->prog, g2, f->doc, &err), CM_EINVAL);
    err = (struct cm_err){0};
    assert_int_equal(cm_store_family_link_user(f->c, f->prog2, g2, other, &err), CM_EINVAL);

    struct cm_family_member got;
    err = (struct cm_err){0};
    assert_int_equal(cm_store_family_get(f->c, &fam, f->child1, g, f->now, &got, f->a, &err),
                     CM_OK);
    assert_int_equal(got.user_id, f->fam);
    assert_int_equal(got.meta.version, 2);
}

static void
test_break_glass_grants_access_until_expiry_and_not_after(void **state)
{
    struct fx *f = *state;
    struct cm_err err = {0};
    struct cm_viewer doc = viewer(f->doc, CM_ROLE_COMPLEX_CARE_PEDIATRICIAN, f->prog);
    assert_int_equal(access_of(f, &doc, f->child2, f->now), CM_ACCESS_NONE);
    struct cm_break_glass b = {.child_id = f->child2,
                               .reason = "seen in the emergency department",
                               .expires_at = f->now + 3600};
    assert_int_equal(cm_store_break_glass_create(f->c, &doc, &b, &err), CM_OK);
    assert_int_equal(b.user_id, f->doc);
    assert_int_equal(access_of(f, &doc, f->child2, f->now), CM_ACCESS_BREAK_GLASS);
    assert_int_equal(access_of(f, &doc, f->child2, f->now + 3599), CM_ACCESS_BREAK_GLASS);
    assert_int_equal(access_of(f, &doc, f->child2, f->now + 3600), CM_ACCESS_NONE);
    assert_int_equal(access_of(f, &doc, f->child1, f->now), CM_ACCESS_NONE);

    /* A grant only counts for clinicians. */
    struct cm_viewer sw = viewer(f->social, CM_ROLE_SOCIAL_WORKER, f->prog);
    struct cm_break_glass b2 = {.child_id = f->child2,
                                .reason = "should not be able to use this",
                                .expires_at = f->now + 3600};
    assert_int_equal(cm_store_break_glass_create(f->c, &sw, &b2, &err), CM_OK);
    assert_int_equal(access_of(f, &sw, f->child2, f->now), CM_ACCESS_NONE);

    /* Another program's child cannot be granted. */
    struct cm_break_glass b3 = {.child_id = f->child_other,
                                .reason = "another program's child",
                                .expires_at = f->now + 3600};
    assert_int_equal(cm_store_break_glass_create(f->c, &doc, &b3, &err), CM_ENOTFOUND);

    struct cm_break_glass_list list;
    err = (struct cm_err){0};
    assert_int_equal(cm_store_break_glass_list(f->c, f->prog, f->now - 60, &list, f->a, &err),
                     CM_OK);
    assert_int_equal(list.count, 2);
    assert_int_equal(list.items[0].meta.id, b2.meta.id); /* newest first */
    assert_string_equal(list.items[1].user_name, "dr.ellis");
    assert_string_equal(list.items[1].reason, "seen in the emergency department");
    assert_int_equal(cm_store_break_glass_list(f->c, f->prog2, 0, &list, f->a, &err), CM_OK);
    assert_int_equal(list.count, 0);
}

static void
test_writes_to_an_unreachable_child_are_not_found_and_change_nothing(void **state)
{
    struct fx *f = *state;
    struct cm_err err = {0};
    struct cm_viewer va = viewer(f->nurse_a, CM_ROLE_NURSE_CARE_COORDINATOR, f->prog);
    struct cm_viewer vb = viewer(f->nurse_b, CM_ROLE_NURSE_CARE_COORDINATOR, f->prog);
    struct cm_child ch;
    assert_int_equal(cm_store_child_get(f->c, &va, f->child1, f->now, &ch, f->a, &err), CM_OK);
    int64_t g = add_guardian(f, &va, f->child1);
    char before[65], after[65];
    checksum(f, before);

    ch.given_name = "Hijacked";
    assert_int_equal(cm_store_child_update(f->c, &vb, f->now, &ch, &err), CM_ENOTFOUND);
    err = (struct cm_err){0};
    struct cm_family_member m = {
        .child_id = f->child1, .given_name = "X", .family_name = "Y", .relationship = "father"};
    assert_int_equal(cm_store_family_create(f->c, &vb, f->now, &m, &err), CM_ENOTFOUND);
    err = (struct cm_err){0};
    m.meta.id = g;
    m.meta.version = 1;
    assert_int_equal(cm_store_family_update(f->c, &vb, f->now, &m, &err), CM_ENOTFOUND);
    err = (struct cm_err){0};
    struct cm_team_member t = {
        .child_id = f->child1, .user_id = f->nurse_b, .role = "x", .sector = CM_SECTOR_MEDICAL};
    assert_int_equal(cm_store_team_create(f->c, &vb, f->now, &t, &err), CM_ENOTFOUND);
    err = (struct cm_err){0};
    t.meta.id = f->member_a;
    t.meta.version = 1;
    assert_int_equal(cm_store_team_update(f->c, &vb, f->now, &t, &err), CM_ENOTFOUND);
    err = (struct cm_err){0};
    assert_int_equal(cm_store_team_end(f->c, &vb, f->child1, f->member_a, 1, NULL, f->now, &err),
                     CM_ENOTFOUND);
    err = (struct cm_err){0};
    assert_int_equal(cm_store_team_set_lead(f->c, &vb, f->child1, 1, f->member_a, 0, f->now, &err),
                     CM_ENOTFOUND);
    checksum(f, after);
    assert_string_equal(before, after);
}

/* ---- family members and the care team -------------------------------------------------------- */

static void
test_family_member_round_trip_and_stale_update(void **state)
{
    struct fx *f = *state;
    struct cm_err err = {0};
    struct cm_viewer va = viewer(f->nurse_a, CM_ROLE_NURSE_CARE_COORDINATOR, f->prog);
    int64_t g = add_guardian(f, &va, f->child1);
    struct cm_family_member m;
    assert_int_equal(cm_store_family_get(f->c, &va, f->child1, g, f->now, &m, f->a, &err), CM_OK);
    assert_string_equal(m.relationship, "mother");
    assert_true(m.is_guardian);
    assert_false(m.lives_with_child);
    assert_int_equal(m.user_id, 0);
    /* The member belongs to child1: asking through child2's id finds nothing. */
    struct cm_viewer pm = viewer(f->pm, CM_ROLE_PROGRAM_MANAGER, f->prog);
    struct cm_family_member other;
    assert_int_equal(cm_store_family_get(f->c, &pm, f->child2, g, f->now, &other, f->a, &err),
                     CM_ENOTFOUND);

    err = (struct cm_err){0};
    struct cm_family_member stale = m;
    m.lives_with_child = true;
    m.phone = "555-0199";
    assert_int_equal(cm_store_family_update(f->c, &va, f->now, &m, &err), CM_OK);
    assert_int_equal(m.meta.version, 2);
    stale.phone = "555-0000";
    assert_int_equal(cm_store_family_update(f->c, &va, f->now, &stale, &err), CM_ESTALE);

    struct cm_family_list list;
    err = (struct cm_err){0};
    assert_int_equal(cm_store_family_list(f->c, &va, f->child1, f->now, &list, f->a, &err), CM_OK);
    assert_int_equal(list.count, 1);
    assert_string_equal(list.items[0].phone, "555-0199");
    assert_true(list.items[0].lives_with_child);
    assert_int_equal(cm_store_family_list(f->c, &va, f->child1, f->now, &list, f->a, &err), CM_OK);
}

static void
test_team_members_internal_and_external(void **state)
{
    struct fx *f = *state;
    struct cm_err err = {0};
    struct cm_viewer va = viewer(f->nurse_a, CM_ROLE_NURSE_CARE_COORDINATOR, f->prog);
    int64_t ext = add_member(f, &va, f->child1, 0, "Pat Neurologist");
    struct cm_team_member t;
    assert_int_equal(cm_store_team_get(f->c, &va, f->child1, ext, f->now, &t, f->a, &err), CM_OK);
    assert_string_equal(t.name, "Pat Neurologist");
    assert_int_equal(t.user_id, 0);
    assert_int_equal(t.sector, CM_SECTOR_MEDICAL);
    assert_int_equal(t.lead, CM_LEAD_NONE);
    assert_null(t.end_date);

    t.service = "neurology";
    t.sector = CM_SECTOR_MENTAL_HEALTH;
    t.name = "Pat Neurologist MD";
    assert_int_equal(cm_store_team_update(f->c, &va, f->now, &t, &err), CM_OK);
    assert_int_equal(t.meta.version, 2);
    t.meta.version = 1;
    assert_int_equal(cm_store_team_update(f->c, &va, f->now, &t, &err), CM_ESTALE);

    /* A staff member's name is the user's display name. */
    err = (struct cm_err){0};
    assert_int_equal(cm_store_team_get(f->c, &va, f->child1, f->member_a, f->now, &t, f->a, &err),
                     CM_OK);
    assert_string_equal(t.name, "coord.ada");
    assert_int_equal(t.user_id, f->nurse_a);

    /* Already active: conflict; a user of another program or a family account: invalid. */
    struct cm_team_member dup = {.child_id = f->child1,
                                 .user_id = f->nurse_a,
                                 .role = "x",
                                 .sector = CM_SECTOR_MEDICAL,
                                 .start_date = "2021-01-01"};
    assert_int_equal(cm_store_team_create(f->c, &va, f->now, &dup, &err), CM_ECONFLICT);
    err = (struct cm_err){0};
    dup.user_id = f->nurse2;
    assert_int_equal(cm_store_team_create(f->c, &va, f->now, &dup, &err), CM_EINVAL);
    assert_string_equal(err.field, "user_id");
    err = (struct cm_err){0};
    dup.user_id = f->fam;
    assert_int_equal(cm_store_team_create(f->c, &va, f->now, &dup, &err), CM_EINVAL);
    err = (struct cm_err){0};
    dup.user_id = f->doc;
    dup.lead = CM_LEAD_LEAD;
    assert_int_equal(cm_store_team_create(f->c, &va, f->now, &dup, &err), CM_EINVAL);
    err = (struct cm_err){0};
    dup.lead = CM_LEAD_NONE;
    dup.start_date = NULL; /* defaults to today */
    assert_int_equal(cm_store_team_create(f->c, &va, f->now, &dup, &err), CM_OK);
    assert_int_equal(cm_store_team_get(f->c, &va, f->child1, dup.meta.id, f->now, &t, f->a, &err),
                     CM_OK);
    assert_string_equal(t.start_date, f->today);
}

static void
test_only_the_creator_of_a_child_without_a_team_may_add_its_first_member(void **state)
{
    struct fx *f = *state;
    struct cm_err err = {0};
    struct cm_viewer va = viewer(f->nurse_a, CM_ROLE_NURSE_CARE_COORDINATOR, f->prog);
    struct cm_viewer vb = viewer(f->nurse_b, CM_ROLE_NURSE_CARE_COORDINATOR, f->prog);
    int64_t child = add_child(f, &va, "R-9", "New", "Child", 0);
    assert_int_equal(access_of(f, &va, child, f->now), CM_ACCESS_NONE);
    struct cm_team_member t = {.child_id = child,
                               .user_id = f->nurse_b,
                               .role = "x",
                               .sector = CM_SECTOR_MEDICAL,
                               .start_date = "2020-01-01"};
    assert_int_equal(cm_store_team_create(f->c, &vb, f->now, &t, &err), CM_ENOTFOUND);
    err = (struct cm_err){0};
    add_member(f, &va, child, f->nurse_a, NULL);
    assert_int_equal(access_of(f, &va, child, f->now), CM_ACCESS_TEAM);
}

static int64_t
lead_of(struct fx *f, int64_t child, enum cm_lead which, int *count)
{
    struct cm_err err = {0};
    struct cm_viewer pm = viewer(f->pm, CM_ROLE_PROGRAM_MANAGER, f->prog);
    struct cm_team_list tl;
    assert_int_equal(cm_store_team_list(f->c, &pm, child, true, f->now, &tl, f->a, &err), CM_OK);
    int64_t id = 0;
    *count = 0;
    for (size_t i = 0; i < tl.count; i++) {
        if (tl.items[i].lead == which) {
            id = tl.items[i].meta.id;
            (*count)++;
        }
    }
    return id;
}

static void
test_set_lead_keeps_exactly_one_lead_and_one_backup(void **state)
{
    struct fx *f = *state;
    struct cm_err err = {0};
    struct cm_viewer va = viewer(f->nurse_a, CM_ROLE_NURSE_CARE_COORDINATOR, f->prog);
    int64_t m2 = add_member(f, &va, f->child1, f->nurse_b, NULL);
    int64_t m3 = add_member(f, &va, f->child1, 0, "Hospital Case Manager");
    int n;

    assert_int_equal(cm_store_team_set_lead(f->c, &va, f->child1, 1, f->member_a, m2, f->now, &err),
                     CM_OK);
    assert_int_equal(lead_of(f, f->child1, CM_LEAD_LEAD, &n), f->member_a);
    assert_int_equal(n, 1);
    assert_int_equal(lead_of(f, f->child1, CM_LEAD_BACKUP, &n), m2);
    assert_int_equal(n, 1);

    /* Swap, then an external lead and no backup. The child's version guards each step. */
    assert_int_equal(cm_store_team_set_lead(f->c, &va, f->child1, 2, m2, f->member_a, f->now, &err),
                     CM_OK);
    assert_int_equal(lead_of(f, f->child1, CM_LEAD_LEAD, &n), m2);
    assert_int_equal(lead_of(f, f->child1, CM_LEAD_BACKUP, &n), f->member_a);
    assert_int_equal(cm_store_team_set_lead(f->c, &va, f->child1, 3, m3, 0, f->now, &err), CM_OK);
    assert_int_equal(lead_of(f, f->child1, CM_LEAD_LEAD, &n), m3);
    assert_int_equal(n, 1);
    assert_int_equal(lead_of(f, f->child1, CM_LEAD_BACKUP, &n), 0);
    assert_int_equal(n, 0);

    struct cm_child ch;
    assert_int_equal(cm_store_child_get(f->c, &va, f->child1, f->now, &ch, f->a, &err), CM_OK);
    assert_int_equal(ch.meta.version, 4);
    /* Members whose flag did not change keep their version. */
    struct cm_team_member t;
    assert_int_equal(cm_store_team_get(f->c, &va, f->child1, m3, f->now, &t, f->a, &err), CM_OK);
    assert_int_equal(t.meta.version, 2);
    assert_int_equal(cm_store_team_set_lead(f->c, &va, f->child1, 4, m3, 0, f->now, &err), CM_OK);
    assert_int_equal(cm_store_team_get(f->c, &va, f->child1, m3, f->now, &t, f->a, &err), CM_OK);
    assert_int_equal(t.meta.version, 2);

    /* A stale child version changes nothing. */
    assert_int_equal(cm_store_team_set_lead(f->c, &va, f->child1, 4, f->member_a, m2, f->now, &err),
                     CM_ESTALE);
    assert_int_equal(lead_of(f, f->child1, CM_LEAD_LEAD, &n), m3);
}

/* The API enrols a child, puts the creator on its team and makes a coordinator creator the lead
 * in one transaction: that is the child's creation, so everything stays at version 1. */
static void
test_designating_the_first_lead_while_creating_a_child_keeps_version_one(void **state)
{
    struct fx *f = *state;
    struct cm_err err = {0};
    struct cm_viewer vb = viewer(f->nurse_b, CM_ROLE_NURSE_CARE_COORDINATOR, f->prog);
    assert_int_equal(cm_store_begin(f->c, true, &err), CM_OK);
    int64_t child = add_child(f, &vb, "R-10", "Ola", "Testchild", 2);
    int64_t m = add_member(f, &vb, child, f->nurse_b, NULL);
    assert_int_equal(cm_store_team_set_lead(f->c, &vb, child, 1, m, 0, f->now, &err), CM_OK);
    assert_int_equal(cm_store_commit(f->c, &err), CM_OK);

    struct cm_child ch;
    assert_int_equal(cm_store_child_get(f->c, &vb, child, f->now, &ch, f->a, &err), CM_OK);
    assert_int_equal(ch.meta.version, 1);
    struct cm_team_member t;
    assert_int_equal(cm_store_team_get(f->c, &vb, child, m, f->now, &t, f->a, &err), CM_OK);
    assert_int_equal(t.meta.version, 1);
    assert_int_equal(t.lead, CM_LEAD_LEAD);

    /* After the creating transaction, a designation moves the versions again. */
    int64_t m2 = add_member(f, &vb, child, 0, "School Nurse");
    assert_int_equal(cm_store_team_set_lead(f->c, &vb, child, 1, m, m2, f->now, &err), CM_OK);
    assert_int_equal(cm_store_child_get(f->c, &vb, child, f->now, &ch, f->a, &err), CM_OK);
    assert_int_equal(ch.meta.version, 2);
    assert_int_equal(cm_store_team_get(f->c, &vb, child, m2, f->now, &t, f->a, &err), CM_OK);
    assert_int_equal(t.meta.version, 2);

    /* A child created outside a transaction is committed at once: no exception for it. */
    int64_t later = add_child(f, &vb, "R-11", "Bo", "Testchild", 1);
    int64_t m3 = add_member(f, &vb, later, f->nurse_b, NULL);
    assert_int_equal(cm_store_team_set_lead(f->c, &vb, later, 1, m3, 0, f->now, &err), CM_OK);
    assert_int_equal(cm_store_child_get(f->c, &vb, later, f->now, &ch, f->a, &err), CM_OK);
    assert_int_equal(ch.meta.version, 2);
}

static void
test_set_lead_rejects_non_members_ended_members_and_the_same_id(void **state)
{
    struct fx *f = *state;
    struct cm_err err = {0};
    struct cm_viewer va = viewer(f->nurse_a, CM_ROLE_NURSE_CARE_COORDINATOR, f->prog);
    struct cm_viewer vb = viewer(f->nurse_b, CM_ROLE_NURSE_CARE_COORDINATOR, f->prog);
    int64_t ended = add_member(f, &va, f->child1, 0, "Former Therapist");
    assert_int_equal(cm_store_team_end(f->c, &va, f->child1, ended, 1, f->today, f->now, &err),
                     CM_OK);
    int64_t other_child_member = add_member(f, &vb, f->child2, 0, "Someone Else");
    char before[65], after[65];
    checksum(f, before);

    assert_int_equal(
        cm_store_team_set_lead(f->c, &va, f->child1, 1, f->member_a, f->member_a, f->now, &err),
        CM_ECONFLICT);
    err = (struct cm_err){0};
    assert_int_equal(cm_store_team_set_lead(f->c, &va, f->child1, 1, ended, 0, f->now, &err),
                     CM_ECONFLICT);
    assert_string_equal(err.field, "lead_member_id");
    err = (struct cm_err){0};
    assert_int_equal(
        cm_store_team_set_lead(f->c, &va, f->child1, 1, f->member_a, ended, f->now, &err),
        CM_ECONFLICT);
    assert_string_equal(err.field, "backup_member_id");
    err = (struct cm_err){0};
    assert_int_equal(
        cm_store_team_set_lead(f->c, &va, f->child1, 1, other_child_member, 0, f->now, &err),
        CM_ECONFLICT);
    err = (struct cm_err){0};
    assert_int_equal(cm_store_team_set_lead(f->c, &va, f->child1, 1, 0, 0, f->now, &err),
                     CM_EINVAL);
    checksum(f, after);
    assert_string_equal(before, after);
}

static void
test_ending_a_lead_clears_the_flag(void **state)
{
    struct fx *f = *state;
    struct cm_err err = {0};
    struct cm_viewer va = viewer(f->nurse_a, CM_ROLE_NURSE_CARE_COORDINATOR, f->prog);
    int64_t m2 = add_member(f, &va, f->child1, f->nurse_b, NULL);
    assert_int_equal(cm_store_team_set_lead(f->c, &va, f->child1, 1, m2, f->member_a, f->now, &err),
                     CM_OK);
    struct cm_team_member t;
    assert_int_equal(cm_store_team_get(f->c, &va, f->child1, m2, f->now, &t, f->a, &err), CM_OK);
    char later[11];
    cm_date_of(f->now + 30 * DAY, later);
    assert_int_equal(
        cm_store_team_end(f->c, &va, f->child1, m2, t.meta.version, later, f->now, &err), CM_OK);
    int n;
    assert_int_equal(lead_of(f, f->child1, CM_LEAD_LEAD, &n), 0);
    assert_int_equal(lead_of(f, f->child1, CM_LEAD_BACKUP, &n), f->member_a);
    assert_int_equal(cm_store_team_get(f->c, &va, f->child1, m2, f->now, &t, f->a, &err), CM_OK);
    assert_int_equal(t.lead, CM_LEAD_NONE);
    assert_string_equal(t.end_date, later);
}

/* ---- the panel ------------------------------------------------------------------------------- */

static struct cm_panel
panel(struct fx *f, const struct cm_viewer *v, struct cm_panel_filter flt)
{
    struct cm_err err = {0};
    struct cm_panel p;
    if (flt.limit == 0)
        flt.limit = 50;
    enum cm_code rc = cm_store_child_panel(f->c, v, &flt, f->now, &p, f->a, &err);
    if (rc != CM_OK)
        fail_msg("panel: %s %s", err.field, err.msg);
    return p;
}

static void
test_panel_shows_team_program_wide_and_family_but_not_break_glass(void **state)
{
    struct fx *f = *state;
    struct cm_err err = {0};
    struct cm_viewer va = viewer(f->nurse_a, CM_ROLE_NURSE_CARE_COORDINATOR, f->prog);
    struct cm_viewer pm = viewer(f->pm, CM_ROLE_PROGRAM_MANAGER, f->prog);
    struct cm_viewer fam = viewer(f->fam, CM_ROLE_FAMILY, f->prog);
    struct cm_viewer doc = viewer(f->doc, CM_ROLE_COMPLEX_CARE_PEDIATRICIAN, f->prog);

    struct cm_panel p = panel(f, &va, (struct cm_panel_filter){0});
    assert_int_equal(p.total, 1);
    assert_int_equal(p.count, 1);
    assert_int_equal(p.rows[0].child.meta.id, f->child1);
    assert_int_equal(p.rows[0].active_team_count, 1);

    p = panel(f, &pm, (struct cm_panel_filter){0});
    assert_int_equal(p.total, 2);
    p = panel(f, &pm, (struct cm_panel_filter){.mine = true});
    assert_int_equal(p.total, 0);

    int64_t g = add_guardian(f, &va, f->child1);
    assert_int_equal(cm_store_family_link_user(f->c, f->prog, g, f->fam, &err), CM_OK);
    p = panel(f, &fam, (struct cm_panel_filter){0});
    assert_int_equal(p.total, 1);
    assert_int_equal(p.rows[0].child.meta.id, f->child1);

    struct cm_break_glass b = {.child_id = f->child2,
                               .reason = "seen in the emergency department",
                               .expires_at = f->now + 3600};
    assert_int_equal(cm_store_break_glass_create(f->c, &doc, &b, &err), CM_OK);
    assert_int_equal(access_of(f, &doc, f->child2, f->now), CM_ACCESS_BREAK_GLASS);
    p = panel(f, &doc, (struct cm_panel_filter){0});
    assert_int_equal(p.total, 0);
    assert_int_equal(p.count, 0);
}

static void
test_panel_filters_sorts_and_pages(void **state)
{
    struct fx *f = *state;
    struct cm_err err = {0};
    struct cm_viewer va = viewer(f->nurse_a, CM_ROLE_NURSE_CARE_COORDINATOR, f->prog);
    struct cm_viewer pm = viewer(f->pm, CM_ROLE_PROGRAM_MANAGER, f->prog);
    /* child1: Zuri Testchild tier 3 (nurse_a). Add three more on nurse_a's team. */
    int64_t c3 = add_child(f, &va, "R-3", "Ada", "Fernwhistle", 1);
    int64_t m3 = add_member(f, &va, c3, f->nurse_a, NULL);
    int64_t c4 = add_child(f, &va, "R-4", "Bo", "Pennywhite", 2);
    add_member(f, &va, c4, f->nurse_a, NULL);
    int64_t c5 = add_child(f, &va, "X_50%", "Cy", "fernbrook", 3);
    add_member(f, &va, c5, f->nurse_a, NULL);
    int64_t ext = add_member(f, &va, c3, 0, "Outside Lead");
    int64_t m3b = add_member(f, &va, c3, f->nurse_b, NULL);
    assert_int_equal(cm_store_team_set_lead(f->c, &va, c3, 1, ext, m3b, f->now, &err), CM_OK);
    struct cm_team_list tl;
    assert_int_equal(cm_store_team_list(f->c, &va, c4, false, f->now, &tl, f->a, &err), CM_OK);
    assert_int_equal(cm_store_team_set_lead(f->c, &va, c4, 1, tl.items[0].meta.id, 0, f->now, &err),
                     CM_OK);
    (void)m3;

    /* Default sort: family name, case-insensitive. */
    struct cm_panel p = panel(f, &va, (struct cm_panel_filter){0});
    assert_int_equal(p.total, 4);
    assert_int_equal(p.count, 4);
    assert_int_equal(p.rows[0].child.meta.id, c5); /* fernbrook */
    assert_int_equal(p.rows[1].child.meta.id, c3); /* Fernwhistle */
    assert_int_equal(p.rows[2].child.meta.id, c4); /* Pennywhite */
    assert_int_equal(p.rows[3].child.meta.id, f->child1);

    /* Lead, backup and team size for c3. */
    assert_string_equal(p.rows[1].lead_name, "Outside Lead");
    assert_int_equal(p.rows[1].lead_user_id, 0);
    assert_string_equal(p.rows[1].backup_name, "coord.ben");
    assert_int_equal(p.rows[1].active_team_count, 3);
    assert_string_equal(p.rows[2].lead_name, "coord.ada");
    assert_int_equal(p.rows[2].lead_user_id, f->nurse_a);
    assert_null(p.rows[2].backup_name);
    assert_null(p.rows[0].lead_name);

    p = panel(f, &va, (struct cm_panel_filter){.sort = "-name"});
    assert_int_equal(p.rows[0].child.meta.id, f->child1);
    assert_int_equal(p.rows[3].child.meta.id, c5);
    /* Tiers: c3 1, c4 2, c5 3, child1 3; ties by name. */
    p = panel(f, &va, (struct cm_panel_filter){.sort = "tier"});
    assert_int_equal(p.rows[0].child.meta.id, c3);
    assert_int_equal(p.rows[1].child.meta.id, c4);
    assert_int_equal(p.rows[2].child.meta.id, c5);
    assert_int_equal(p.rows[3].child.meta.id, f->child1);
    p = panel(f, &va, (struct cm_panel_filter){.sort = "-tier"});
    assert_int_equal(p.rows[0].child.meta.id, c5);
    assert_int_equal(p.rows[1].child.meta.id, f->child1);
    assert_int_equal(p.rows[3].child.meta.id, c3);

    /* Birth dates and plan updates: c4 is the oldest and the most recently planned. */
    struct cm_child ch;
    assert_int_equal(cm_store_child_get(f->c, &va, c4, f->now, &ch, f->a, &err), CM_OK);
    ch.birth_date = "2010-01-01";
    ch.plan_updated_at = f->now;
    assert_int_equal(cm_store_child_update(f->c, &va, f->now, &ch, &err), CM_OK);
    assert_int_equal(cm_store_child_get(f->c, &va, c5, f->now, &ch, f->a, &err), CM_OK);
    ch.birth_date = "2020-01-01";
    ch.plan_updated_at = f->now - DAY;
    assert_int_equal(cm_store_child_update(f->c, &va, f->now, &ch, &err), CM_OK);
    p = panel(f, &va, (struct cm_panel_filter){.sort = "birth_date"});
    assert_int_equal(p.rows[0].child.meta.id, c4);
    assert_int_equal(p.rows[3].child.meta.id, c5);
    p = panel(f, &va, (struct cm_panel_filter){.sort = "-birth_date"});
    assert_int_equal(p.rows[0].child.meta.id, c5);
    assert_int_equal(p.rows[3].child.meta.id, c4);
    p = panel(f, &va, (struct cm_panel_filter){.sort = "-plan_updated_at"});
    assert_int_equal(p.rows[0].child.meta.id, c4);
    assert_int_equal(p.rows[1].child.meta.id, c5);
    p = panel(f, &va, (struct cm_panel_filter){.sort = "plan_updated_at"});
    assert_int_equal(p.rows[2].child.meta.id, c5);
    assert_int_equal(p.rows[3].child.meta.id, c4);

    /* Paging: total ignores limit and offset. */
    p = panel(f, &va, (struct cm_panel_filter){.limit = 2, .offset = 1});
    assert_int_equal(p.total, 4);
    assert_int_equal(p.count, 2);
    assert_int_equal(p.rows[0].child.meta.id, c3);
    assert_int_equal(p.rows[1].child.meta.id, c4);
    p = panel(f, &va, (struct cm_panel_filter){.limit = 2, .offset = 10});
    assert_int_equal(p.total, 4);
    assert_int_equal(p.count, 0);

    /* Filters. */
    p = panel(f, &va, (struct cm_panel_filter){.q = "FERN"});
    assert_int_equal(p.total, 2);
    p = panel(f, &va, (struct cm_panel_filter){.q = "ada fern"});
    assert_int_equal(p.total, 1);
    assert_int_equal(p.rows[0].child.meta.id, c3);
    p = panel(f, &va, (struct cm_panel_filter){.q = "_50%"});
    assert_int_equal(p.total, 1);
    assert_int_equal(p.rows[0].child.meta.id, c5);
    p = panel(f, &va, (struct cm_panel_filter){.q = "%"});
    assert_int_equal(p.total, 1);
    p = panel(f, &va, (struct cm_panel_filter){.tier = 3});
    assert_int_equal(p.total, 2);
    assert_int_equal(p.rows[0].child.meta.id, c5);
    p = panel(f, &va, (struct cm_panel_filter){.lead_user_id = f->nurse_a});
    assert_int_equal(p.total, 1);
    assert_int_equal(p.rows[0].child.meta.id, c4);
    p = panel(f, &va, (struct cm_panel_filter){.no_lead = true});
    assert_int_equal(p.total, 2);
    p = panel(f, &pm, (struct cm_panel_filter){.no_lead = true});
    assert_int_equal(p.total, 3); /* child1, c5 and child2 */
    p = panel(f, &pm, (struct cm_panel_filter){.no_lead = true, .tier = 1});
    assert_int_equal(p.total, 1);
    assert_int_equal(p.rows[0].child.meta.id, f->child2);
    p = panel(f, &pm, (struct cm_panel_filter){.mine = true});
    assert_int_equal(p.total, 0);
    p = panel(f, &pm, (struct cm_panel_filter){.q = "Quill"});
    assert_int_equal(p.total, 1);
    assert_int_equal(p.rows[0].child.meta.id, f->child2);

    struct cm_panel_filter bad = {.limit = 201};
    struct cm_panel out;
    assert_int_equal(cm_store_child_panel(f->c, &va, &bad, f->now, &out, f->a, &err), CM_EINVAL);
    assert_string_equal(err.field, "limit");
    err = (struct cm_err){0};
    bad = (struct cm_panel_filter){.limit = 10, .sort = "name; DROP TABLE child"};
    assert_int_equal(cm_store_child_panel(f->c, &va, &bad, f->now, &out, f->a, &err), CM_EINVAL);
    assert_string_equal(err.field, "sort");
}

/* ---- audit ----------------------------------------------------------------------------------- */

static void
append_events(struct fx *f, int n)
{
    struct cm_err err = {0};
    for (int i = 0; i < n; i++) {
        struct cm_audit_event ev = {.at = f->now + i,
                                    .user_id = i % 2 ? f->nurse_a : 0,
                                    .role = i % 2 ? CM_ROLE_NURSE_CARE_COORDINATOR : CM_ROLE_NONE,
                                    .action = i % 2 ? "child.read" : "session.create",
                                    .child_id = i % 2 ? f->child1 : 0,
                                    .outcome = i % 3 ? "ok" : "denied",
                                    .request_id = "req-1",
                                    .detail = i % 4 ? NULL : "member=41",
                                    .break_glass = i == 5};
        assert_int_equal(cm_store_audit_append(f->c, &ev, 1, f->a, &err), CM_OK);
        assert_int_equal(ev.id, i + 1);
        assert_int_equal(strlen(ev.hash), 64);
        assert_int_equal(strlen(ev.prev_hash), 64);
    }
}

static void
test_audit_count_counts_a_childs_events_and_all_events(void **state)
{
    struct fx *f = *state;
    struct cm_err err = {0};
    int64_t n = -1;
    assert_int_equal(cm_store_audit_count(f->c, f->child1, &n, &err), CM_OK);
    assert_int_equal(n, 0);
    append_events(f, 7); /* events 2, 4 and 6 are about child1 */
    assert_int_equal(cm_store_audit_count(f->c, f->child1, &n, &err), CM_OK);
    assert_int_equal(n, 3);
    assert_int_equal(cm_store_audit_count(f->c, f->child2, &n, &err), CM_OK);
    assert_int_equal(n, 0);
    assert_int_equal(cm_store_audit_count(f->c, 0, &n, &err), CM_OK);
    assert_int_equal(n, 7);
}

static void
test_audit_chain_appends_and_verifies(void **state)
{
    struct fx *f = *state;
    struct cm_err err = {0};
    int64_t bad = -1, checked = -1;
    assert_int_equal(cm_store_audit_verify(f->c, &bad, &checked, &err), CM_OK);
    assert_int_equal(bad, 0);
    assert_int_equal(checked, 0);

    append_events(f, 6);
    /* A batch inside the caller's transaction links on from the last. */
    struct cm_audit_event batch[3] = {
        {.at = f->now, .action = "team.end", .outcome = "ok", .child_id = f->child1},
        {.at = f->now, .action = "team.end", .outcome = "failed", .child_id = f->child2},
        {.at = f->now,
         .action = "child.read",
         .outcome = "ok",
         .user_id = f->pm,
         .role = CM_ROLE_PROGRAM_MANAGER,
         .child_id = f->child1},
    };
    assert_int_equal(cm_store_begin(f->c, true, &err), CM_OK);
    assert_int_equal(cm_store_audit_append(f->c, batch, 3, f->a, &err), CM_OK);
    assert_int_equal(cm_store_commit(f->c, &err), CM_OK);
    assert_int_equal(batch[0].id, 7);
    assert_string_equal(batch[1].prev_hash, batch[0].hash);
    assert_string_equal(batch[2].prev_hash, batch[1].hash);

    assert_int_equal(cm_store_audit_verify(f->c, &bad, &checked, &err), CM_OK);
    assert_int_equal(bad, 0);
    assert_int_equal(checked, 9);

    struct cm_audit_list list;
    assert_int_equal(cm_store_audit_list(f->c, f->child1, 50, 0, &list, f->a, &err), CM_OK);
    assert_int_equal(list.count, 5); /* events 2, 4, 6, 7, 9 */
    assert_int_equal(list.items[0].id, 9);
    assert_string_equal(list.items[0].user_name, "manager");
    assert_int_equal(list.items[0].role, CM_ROLE_PROGRAM_MANAGER);
    assert_int_equal(list.items[list.count - 1].id, 2);
    assert_true(list.items[2].break_glass); /* event 6 */
    assert_int_equal(cm_store_audit_list(f->c, 0, 2, 1, &list, f->a, &err), CM_OK);
    assert_int_equal(list.count, 2);
    assert_int_equal(list.items[0].id, 8);
    assert_null(list.items[0].user_name);

    /* A rolled-back append leaves no trace in the chain. */
    struct cm_audit_event gone = {.action = "child.read", .outcome = "ok"};
    assert_int_equal(cm_store_begin(f->c, true, &err), CM_OK);
    assert_int_equal(cm_store_audit_append(f->c, &gone, 1, f->a, &err), CM_OK);
    cm_store_rollback(f->c);
    assert_int_equal(cm_store_audit_verify(f->c, &bad, &checked, &err), CM_OK);
    assert_int_equal(bad, 0);
    assert_int_equal(checked, 9);
}

static void
test_tampered_audit_row_is_reported_by_id(void **state)
{
    struct fx *f = *state;
    struct cm_err err = {0};
    int64_t bad = -1, checked = -1;
    append_events(f, 8);
    raw_sql(f->path, "UPDATE audit_event SET action = 'child.list' WHERE id = 5");
    assert_int_equal(cm_store_audit_verify(f->c, &bad, &checked, &err), CM_OK);
    assert_int_equal(bad, 5);
}

static void
test_deleted_or_rehashed_audit_rows_break_the_chain(void **state)
{
    struct fx *f = *state;
    struct cm_err err = {0};
    int64_t bad = -1, checked = -1;
    append_events(f, 8);
    raw_sql(f->path, "DELETE FROM audit_event WHERE id = 3");
    assert_int_equal(cm_store_audit_verify(f->c, &bad, &checked, &err), CM_OK);
    assert_int_equal(bad, 4);
    /* Relinking the survivor does not help: its own hash covered the old link. */
    raw_sql(f->path, "UPDATE audit_event SET prev_hash = (SELECT hash FROM audit_event WHERE "
                     "id = 2) WHERE id = 4");
    assert_int_equal(cm_store_audit_verify(f->c, &bad, &checked, &err), CM_OK);
    assert_int_equal(bad, 4);
    /* Changing a NULL detail to '' is a change too. */
    raw_sql(f->path, "UPDATE audit_event SET detail = '' WHERE id = 2");
    assert_int_equal(cm_store_audit_verify(f->c, &bad, &checked, &err), CM_OK);
    assert_int_equal(bad, 2);
}

/* ---- checksum -------------------------------------------------------------------------------- */

static void
test_checksum_is_unchanged_by_reads_and_changed_by_a_write(void **state)
{
    struct fx *f = *state;
    struct cm_err err = {0};
    struct cm_viewer va = viewer(f->nurse_a, CM_ROLE_NURSE_CARE_COORDINATOR, f->prog);
    char before[65], after[65];
    checksum(f, before);
    checksum(f, after);
    assert_string_equal(before, after);

    struct cm_child ch;
    assert_int_equal(cm_store_child_get(f->c, &va, f->child1, f->now, &ch, f->a, &err), CM_OK);
    struct cm_panel p = panel(f, &va, (struct cm_panel_filter){0});
    assert_int_equal(p.count, 1);
    /* Sessions, sign-in failures and the audit trail are not care records. */
    add_session(f, "abc", f->pm, f->now);
    assert_int_equal(cm_store_login_failure_add(f->c, "ip:1", f->now, &err), CM_OK);
    append_events(f, 2);
    checksum(f, after);
    assert_string_equal(before, after);

    ch.tier = 1;
    assert_int_equal(cm_store_child_update(f->c, &va, f->now, &ch, &err), CM_OK);
    checksum(f, after);
    assert_string_not_equal(before, after);

    /* The same content in another file gives the same checksum. */
    char sql[160];
    snprintf(sql, sizeof(sql),
             "UPDATE child SET tier = 3, version = 1, updated_at = created_at WHERE id = %lld",
             (long long)f->child1);
    raw_sql(f->path, sql);
    checksum(f, after);
    assert_string_equal(before, after);
}

int
main(void)
{
    cm_log_set_level(CM_LOG_WARN);
    const struct CMUnitTest tests[] = {
        cmocka_unit_test_setup_teardown(test_migrations_apply_once_and_are_recorded, setup,
                                        teardown),
        cmocka_unit_test_setup_teardown(test_tampered_migration_checksum_fails_open_naming_the_file,
                                        setup, teardown),
        cmocka_unit_test_setup_teardown(test_unknown_migration_in_the_database_fails_open, setup,
                                        teardown),
        cmocka_unit_test_setup_teardown(
            test_every_statement_prepares_and_the_connection_is_configured, setup, teardown),
        cmocka_unit_test_setup_teardown(test_child_access_and_get_never_scan_a_table, setup,
                                        teardown),
        cmocka_unit_test_setup_teardown(test_program_first_is_the_oldest, setup, teardown),
        cmocka_unit_test_setup_teardown(test_organization_round_trip_and_stale_update, setup,
                                        teardown),
        cmocka_unit_test_setup_teardown(test_user_round_trip_and_unique_username_conflicts, setup,
                                        teardown),
        cmocka_unit_test_setup_teardown(test_user_update_with_stale_version_changes_nothing, setup,
                                        teardown),
        cmocka_unit_test_setup_teardown(
            test_disabling_a_user_or_setting_a_password_revokes_sessions, setup, teardown),
        cmocka_unit_test_setup_teardown(test_session_create_get_touch_delete_and_purge, setup,
                                        teardown),
        cmocka_unit_test_setup_teardown(test_login_failures_are_counted_within_the_window, setup,
                                        teardown),
        cmocka_unit_test_setup_teardown(test_child_round_trip, setup, teardown),
        cmocka_unit_test_setup_teardown(test_record_number_is_unique_within_a_program, setup,
                                        teardown),
        cmocka_unit_test_setup_teardown(
            test_child_update_with_stale_version_is_stale_and_changes_nothing, setup, teardown),
        cmocka_unit_test_setup_teardown(
            test_team_member_reaches_the_child_and_another_team_does_not, setup, teardown),
        cmocka_unit_test_setup_teardown(test_membership_that_has_not_started_gives_no_reach, setup,
                                        teardown),
        cmocka_unit_test_setup_teardown(test_ended_membership_loses_access, setup, teardown),
        cmocka_unit_test_setup_teardown(test_team_end_rules, setup, teardown),
        cmocka_unit_test_setup_teardown(test_program_manager_reaches_the_program_but_not_another,
                                        setup, teardown),
        cmocka_unit_test_setup_teardown(test_family_account_reaches_its_own_child_only, setup,
                                        teardown),
        cmocka_unit_test_setup_teardown(test_break_glass_grants_access_until_expiry_and_not_after,
                                        setup, teardown),
        cmocka_unit_test_setup_teardown(
            test_writes_to_an_unreachable_child_are_not_found_and_change_nothing, setup, teardown),
        cmocka_unit_test_setup_teardown(test_family_member_round_trip_and_stale_update, setup,
                                        teardown),
        cmocka_unit_test_setup_teardown(test_team_members_internal_and_external, setup, teardown),
        cmocka_unit_test_setup_teardown(
            test_only_the_creator_of_a_child_without_a_team_may_add_its_first_member, setup,
            teardown),
        cmocka_unit_test_setup_teardown(test_set_lead_keeps_exactly_one_lead_and_one_backup, setup,
                                        teardown),
        cmocka_unit_test_setup_teardown(
            test_designating_the_first_lead_while_creating_a_child_keeps_version_one, setup,
            teardown),
        cmocka_unit_test_setup_teardown(
            test_set_lead_rejects_non_members_ended_members_and_the_same_id, setup, teardown),
        cmocka_unit_test_setup_teardown(test_ending_a_lead_clears_the_flag, setup, teardown),
        cmocka_unit_test_setup_teardown(
            test_panel_shows_team_program_wide_and_family_but_not_break_glass, setup, teardown),
        cmocka_unit_test_setup_teardown(test_panel_filters_sorts_and_pages, setup, teardown),
        cmocka_unit_test_setup_teardown(test_audit_chain_appends_and_verifies, setup, teardown),
        cmocka_unit_test_setup_teardown(test_audit_count_counts_a_childs_events_and_all_events,
                                        setup, teardown),
        cmocka_unit_test_setup_teardown(test_tampered_audit_row_is_reported_by_id, setup, teardown),
        cmocka_unit_test_setup_teardown(test_deleted_or_rehashed_audit_rows_break_the_chain, setup,
                                        teardown),
        cmocka_unit_test_setup_teardown(test_checksum_is_unchanged_by_reads_and_changed_by_a_write,
                                        setup, teardown),
    };
    return cmocka_run_group_tests_name("store", tests, NULL, NULL);
}
