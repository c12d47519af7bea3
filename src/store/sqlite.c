/*
 * The SQLite backend's foundations: opening the file, connection set-up (WAL, synchronous=FULL,
 * foreign keys, a 5 s busy timeout), migrations, transactions, the one mapping of SQLite result
 * codes to enum cm_code, binding and reading helpers, and the care-record checksum.
 */
#include "store/migrations.h"
#include "store/store_int.h"

#include <pthread.h>
#include <sodium.h>
#include <stdlib.h>
#include <string.h>

/* ---- errors ---------------------------------------------------------------------------------- */

/* The column a unique constraint names: "UNIQUE constraint failed: child.program_id,
 * child.record_number" -> "record_number" (the last column is the one a person chose). */
static void
conflict_field(const char *msg, char out[64])
{
    out[0] = '\0';
    const char *dot = strrchr(msg, '.');
    if (dot == NULL)
        return;
    size_t n = strcspn(dot + 1, ", ");
    if (n >= 64)
        n = 63;
    memcpy(out, dot + 1, n);
    out[n] = '\0';
}

/* SQLite's messages name tables, columns and constraints, never values; quotes are swapped so the
 * message stays one logfmt value. */
static void
log_safe(const char *msg, char out[200])
{
    size_t i = 0;
    for (; msg[i] != '\0' && i < 199; i++)
        out[i] = (msg[i] == '"' || (unsigned char)msg[i] < 0x20) ? '\'' : msg[i];
    out[i] = '\0';
}

enum cm_code
cm_store_fail(sqlite3 *db, int rc, const char *op, struct cm_err *err)
{
    const char *msg = db ? sqlite3_errmsg(db) : sqlite3_errstr(rc);
    char safe[200];
    log_safe(msg, safe);
    switch (rc) {
    case SQLITE_CONSTRAINT_UNIQUE:
    case SQLITE_CONSTRAINT_PRIMARYKEY: {
        char field[64];
        conflict_field(msg, field);
        return cm_err_set(err, CM_ECONFLICT, field, "is already taken");
    }
    case SQLITE_CONSTRAINT_FOREIGNKEY:
        return cm_err_set(err, CM_EINVAL, "", "refers to a record that does not exist");
    case SQLITE_CONSTRAINT_CHECK:
    case SQLITE_CONSTRAINT_NOTNULL:
        /* The model validates first, so this is a caller that skipped it. */
        cm_log_warn("store op=%s sqlite=%d error=\"%s\"", op, rc, safe);
        return cm_err_set(err, CM_EINVAL, "", "a value is missing or out of range");
    default:
        break;
    }
    if ((rc & 0xff) == SQLITE_CONSTRAINT)
        return cm_err_set(err, CM_ECONFLICT, "", "conflicts with another record");
    cm_log_error("store op=%s sqlite=%d error=\"%s\"", op, rc, safe);
    return cm_err_set(err, CM_EDB, "", "the database failed (%s)", op);
}

/* ---- statements ------------------------------------------------------------------------------ */

sqlite3_stmt *
cm_store_stmt(struct cm_conn *c, enum cm_st id)
{
    sqlite3_stmt *s = c->st[id];
    sqlite3_reset(s);
    sqlite3_clear_bindings(s);
    return s;
}

void
cm_store_done(sqlite3_stmt *s)
{
    if (s == NULL)
        return;
    sqlite3_reset(s);
    sqlite3_clear_bindings(s);
}

enum cm_code
cm_store_exec(struct cm_conn *c, sqlite3_stmt *s, const char *op, struct cm_err *err)
{
    int rc;
    while ((rc = sqlite3_step(s)) == SQLITE_ROW)
        ;
    cm_store_done(s);
    if (rc != SQLITE_DONE)
        return cm_store_fail(c->db, rc, op, err);
    return CM_OK;
}

void
cm_store_bind_text(sqlite3_stmt *s, int i, const char *v)
{
    if (v == NULL)
        sqlite3_bind_null(s, i);
    else
        sqlite3_bind_text(s, i, v, -1, SQLITE_STATIC);
}

void
cm_store_bind_ref(sqlite3_stmt *s, int i, int64_t v)
{
    if (v == 0)
        sqlite3_bind_null(s, i);
    else
        sqlite3_bind_int64(s, i, v);
}

void
cm_store_bind_i64(sqlite3_stmt *s, int i, int64_t v)
{
    sqlite3_bind_int64(s, i, v);
}

void
cm_store_bind_viewer(sqlite3_stmt *s, const struct cm_viewer *v, int64_t now, char today[11])
{
    cm_date_of(now, today);
    sqlite3_bind_int64(s, CM_P_UID, v->user_id);
    sqlite3_bind_int64(s, CM_P_PID, v->program_id);
    sqlite3_bind_int(s, CM_P_STAFF, cm_role_is_staff(v->role));
    sqlite3_bind_int(s, CM_P_WIDE, cm_role_is_program_wide(v->role));
    sqlite3_bind_int(s, CM_P_FAMILY, v->role == CM_ROLE_FAMILY);
    sqlite3_bind_int(s, CM_P_GLASS, cm_role_may_break_glass(v->role));
    sqlite3_bind_text(s, CM_P_TODAY, today, 10, SQLITE_STATIC);
    sqlite3_bind_int64(s, CM_P_NOW, now);
}

const char *
cm_store_row_text(struct cm_row *r, int col)
{
    const unsigned char *t = sqlite3_column_text(r->s, col);
    if (t == NULL)
        return NULL;
    size_t n = (size_t)sqlite3_column_bytes(r->s, col);
    char *copy = cm_arena_strndup(r->a, (const char *)t, n);
    if (copy == NULL)
        r->full = true;
    return copy;
}

int64_t
cm_store_row_i64(struct cm_row *r, int col)
{
    return sqlite3_column_int64(r->s, col);
}

void
cm_store_row_meta(struct cm_row *r, int col, struct cm_meta *m)
{
    m->id = sqlite3_column_int64(r->s, col);
    m->version = sqlite3_column_int64(r->s, col + 1);
    m->created_at = sqlite3_column_int64(r->s, col + 2);
    m->updated_at = sqlite3_column_int64(r->s, col + 3);
    m->updated_by = sqlite3_column_int64(r->s, col + 4);
}

enum cm_code
cm_store_row_check(const struct cm_row *r, struct cm_err *err)
{
    if (r->full)
        return cm_err_set(err, CM_ETOOBIG, "", "the request's memory cap was reached");
    return CM_OK;
}

/* ---- opening --------------------------------------------------------------------------------- */

/* Runs one statement of the table on a bare handle (set-up and migrations, before the
 * connection's statements exist). */
static enum cm_code
run_once(sqlite3 *db, enum cm_st id, struct cm_err *err)
{
    sqlite3_stmt *s = NULL;
    int rc = sqlite3_prepare_v2(db, cm_store_sql(id), -1, &s, NULL);
    if (rc == SQLITE_OK) {
        while ((rc = sqlite3_step(s)) == SQLITE_ROW)
            ;
        if (rc == SQLITE_DONE)
            rc = SQLITE_OK;
    }
    enum cm_code code = CM_OK;
    if (rc != SQLITE_OK)
        code = cm_store_fail(db, rc, cm_store_sql_name(id), err);
    sqlite3_finalize(s);
    return code;
}

static enum cm_code
open_db(const char *path, sqlite3 **out, struct cm_err *err)
{
    sqlite3 *db = NULL;
    /* Each connection belongs to one thread, so SQLite's own mutexes are not needed. */
    int rc = sqlite3_open_v2(
        path, &db, SQLITE_OPEN_READWRITE | SQLITE_OPEN_CREATE | SQLITE_OPEN_NOMUTEX, NULL);
    if (rc != SQLITE_OK) {
        cm_log_error("store op=open sqlite=%d error=\"%s\"", rc,
                     db ? sqlite3_errmsg(db) : sqlite3_errstr(rc));
        sqlite3_close(db);
        return cm_err_set(err, CM_EDB, "db", "cannot open the database file '%s'", path);
    }
    sqlite3_extended_result_codes(db, 1);
    static const enum cm_st setup[] = {CM_ST_PRAGMA_BUSY, CM_ST_PRAGMA_WAL, CM_ST_PRAGMA_SYNC,
                                       CM_ST_PRAGMA_FK};
    for (size_t i = 0; i < CM_ARRAY_LEN(setup); i++) {
        enum cm_code code = run_once(db, setup[i], err);
        if (code != CM_OK) {
            sqlite3_close(db);
            return code;
        }
    }
    *out = db;
    return CM_OK;
}

/* ---- migrations ------------------------------------------------------------------------------ */

void
cm_store_migration_checksum(const char *sql, size_t len, char out[65])
{
    unsigned char h[crypto_hash_sha256_BYTES];
    crypto_hash_sha256(h, (const unsigned char *)sql, len);
    cm_hex(h, sizeof(h), out);
}

/* A database that has a migration this binary does not know was upgraded by a newer caremap:
 * running on it could corrupt it. */
static enum cm_code
check_known(sqlite3 *db, struct cm_err *err)
{
    sqlite3_stmt *s = NULL;
    int rc = sqlite3_prepare_v2(db, cm_store_sql(CM_ST_MIG_LIST), -1, &s, NULL);
    if (rc != SQLITE_OK)
        return cm_store_fail(db, rc, "migration_list", err);
    enum cm_code code = CM_OK;
    while ((rc = sqlite3_step(s)) == SQLITE_ROW) {
        const char *name = (const char *)sqlite3_column_text(s, 0);
        bool known = false;
        for (size_t i = 0; i < cm_migrations_sqlite_count && name != NULL; i++)
            known = known || strcmp(cm_migrations_sqlite[i].name, name) == 0;
        if (!known) {
            code = cm_err_set(err, CM_EDB, "",
                              "the database has migration %s, unknown to this "
                              "caremap (it was upgraded by a newer version)",
                              name ? name : "(null)");
            break;
        }
    }
    if (code == CM_OK && rc != SQLITE_DONE)
        code = cm_store_fail(db, rc, "migration_list", err);
    sqlite3_finalize(s);
    return code;
}

/* Inside BEGIN IMMEDIATE: checks an applied migration's checksum, or applies and records it.
 * *done is 1 when it was applied now. */
static enum cm_code
migrate_one(sqlite3 *db, const struct cm_migration *m, int *done, struct cm_err *err)
{
    char sum[65];
    cm_store_migration_checksum(m->sql, m->len, sum);
    *done = 0;

    sqlite3_stmt *s = NULL;
    int rc = sqlite3_prepare_v2(db, cm_store_sql(CM_ST_MIG_GET), -1, &s, NULL);
    if (rc != SQLITE_OK)
        return cm_store_fail(db, rc, "migration_get", err);
    sqlite3_bind_text(s, 1, m->name, -1, SQLITE_STATIC);
    rc = sqlite3_step(s);
    if (rc == SQLITE_ROW) {
        const char *have = (const char *)sqlite3_column_text(s, 0);
        enum cm_code code = CM_OK;
        if (have == NULL || strcmp(have, sum) != 0)
            code = cm_err_set(err, CM_EDB, "",
                              "migration %s was changed after it was applied (checksum %.12s... "
                              "recorded, %.12s... embedded); add a new migration instead",
                              m->name, have ? have : "", sum);
        sqlite3_finalize(s);
        return code;
    }
    sqlite3_finalize(s);
    if (rc != SQLITE_DONE)
        return cm_store_fail(db, rc, "migration_get", err);

    char *msg = NULL;
    rc = sqlite3_exec(db, m->sql, NULL, NULL, &msg);
    if (rc != SQLITE_OK) {
        char safe[200];
        log_safe(msg ? msg : sqlite3_errstr(rc), safe);
        cm_log_error("store op=migrate migration=%s sqlite=%d error=\"%s\"", m->name, rc, safe);
        enum cm_code code = cm_err_set(err, CM_EDB, "", "migration %s failed: %s", m->name, safe);
        sqlite3_free(msg);
        return code;
    }

    rc = sqlite3_prepare_v2(db, cm_store_sql(CM_ST_MIG_ADD), -1, &s, NULL);
    if (rc != SQLITE_OK)
        return cm_store_fail(db, rc, "migration_add", err);
    sqlite3_bind_text(s, 1, m->name, -1, SQLITE_STATIC);
    sqlite3_bind_text(s, 2, sum, -1, SQLITE_STATIC);
    sqlite3_bind_int64(s, 3, cm_time_now());
    rc = sqlite3_step(s);
    sqlite3_finalize(s);
    if (rc != SQLITE_DONE)
        return cm_store_fail(db, rc, "migration_add", err);
    *done = 1;
    return CM_OK;
}

/* Each migration in its own transaction, so a failure leaves the ones before it applied and
 * recorded; BEGIN IMMEDIATE makes two processes starting at once apply each exactly once. */
static enum cm_code
migrate_db(sqlite3 *db, int *applied, struct cm_err *err)
{
    *applied = 0;
    enum cm_code code = run_once(db, CM_ST_MIG_TABLE, err);
    if (code == CM_OK)
        code = check_known(db, err);
    for (size_t i = 0; code == CM_OK && i < cm_migrations_sqlite_count; i++) {
        code = run_once(db, CM_ST_BEGIN_WRITE, err);
        if (code != CM_OK)
            break;
        int done = 0;
        code = migrate_one(db, &cm_migrations_sqlite[i], &done, err);
        if (code == CM_OK)
            code = run_once(db, CM_ST_COMMIT, err);
        if (code != CM_OK) {
            if (!sqlite3_get_autocommit(db))
                (void)run_once(db, CM_ST_ROLLBACK, NULL);
            break;
        }
        if (done)
            cm_log_info("store op=migrate migration=%s", cm_migrations_sqlite[i].name);
        *applied += done;
    }
    return code;
}

enum cm_code
cm_store_migrate(struct cm_store *s, int *applied, struct cm_err *err)
{
    sqlite3 *db = NULL;
    int n = 0;
    enum cm_code code = open_db(s->path, &db, err);
    if (code == CM_OK)
        code = migrate_db(db, &n, err);
    sqlite3_close(db);
    s->applied += n;
    if (applied != NULL)
        *applied = n;
    return code;
}

int
cm_store_migrations_applied(const struct cm_store *s)
{
    return s->applied;
}

/* Process-wide SQLite settings, before its first use. Memory statistics take a global mutex on
 * every allocation of every connection; we never read them. */
static pthread_once_t g_configure_once = PTHREAD_ONCE_INIT;

static void
configure_sqlite(void)
{
    if (sqlite3_config(SQLITE_CONFIG_MEMSTATUS, 0) != SQLITE_OK)
        cm_log_warn("store op=configure setting=memstatus msg=\"sqlite was already in use\"");
}

enum cm_code
cm_store_open(const char *path, struct cm_store **out, struct cm_err *err)
{
    *out = NULL;
    if (path == NULL || path[0] == '\0')
        return cm_err_set(err, CM_EINVAL, "db", "no database file given");
    /* Idempotent and thread-safe; the store hashes with libsodium. */
    if (sodium_init() < 0)
        return cm_err_set(err, CM_EINTERNAL, "", "libsodium could not start");
    pthread_once(&g_configure_once, configure_sqlite);
    struct cm_store *s = calloc(1, sizeof(*s));
    if (s == NULL)
        return cm_err_set(err, CM_ENOMEM, "", "out of memory");
    s->path = strdup(path);
    if (s->path == NULL) {
        free(s);
        return cm_err_set(err, CM_ENOMEM, "", "out of memory");
    }
    int applied;
    enum cm_code code = cm_store_migrate(s, &applied, err);
    if (code != CM_OK) {
        cm_store_close(s);
        return code;
    }
    *out = s;
    return CM_OK;
}

void
cm_store_close(struct cm_store *s)
{
    if (s == NULL)
        return;
    free(s->path);
    free(s);
}

enum cm_code
cm_store_conn_open(struct cm_store *s, struct cm_conn **out, struct cm_err *err)
{
    *out = NULL;
    struct cm_conn *c = calloc(1, sizeof(*c));
    if (c == NULL)
        return cm_err_set(err, CM_ENOMEM, "", "out of memory");
    enum cm_code code = open_db(s->path, &c->db, err);
    for (int i = 0; code == CM_OK && i < CM_ST_COUNT; i++) {
        const char *tail = NULL;
        int rc = sqlite3_prepare_v3(c->db, cm_store_sql((enum cm_st)i), -1,
                                    SQLITE_PREPARE_PERSISTENT, &c->st[i], &tail);
        if (rc != SQLITE_OK || c->st[i] == NULL || (tail != NULL && *tail != '\0')) {
            char safe[200];
            log_safe(sqlite3_errmsg(c->db), safe);
            cm_log_error("store op=prepare statement=%s sqlite=%d error=\"%s\"",
                         cm_store_sql_name((enum cm_st)i), rc, safe);
            code = cm_err_set(err, CM_EDB, "", "statement %s does not prepare: %s",
                              cm_store_sql_name((enum cm_st)i), safe);
        }
    }
    if (code != CM_OK) {
        cm_store_conn_close(c);
        return code;
    }
    *out = c;
    return CM_OK;
}

void
cm_store_conn_close(struct cm_conn *c)
{
    if (c == NULL)
        return;
    for (int i = 0; i < CM_ST_COUNT; i++)
        sqlite3_finalize(c->st[i]);
    /* Closing with a transaction open rolls it back. */
    sqlite3_close(c->db);
    free(c);
}

/* ---- transactions ---------------------------------------------------------------------------- */

enum cm_code
cm_store_begin(struct cm_conn *c, bool write, struct cm_err *err)
{
    if (!sqlite3_get_autocommit(c->db))
        return cm_err_set(err, CM_EINTERNAL, "", "a transaction is already open");
    enum cm_st id = write ? CM_ST_BEGIN_WRITE : CM_ST_BEGIN_READ;
    c->fresh_child = 0;
    return cm_store_exec(c, cm_store_stmt(c, id), cm_store_sql_name(id), err);
}

enum cm_code
cm_store_commit(struct cm_conn *c, struct cm_err *err)
{
    if (sqlite3_get_autocommit(c->db))
        return cm_err_set(err, CM_EINTERNAL, "", "no transaction is open");
    c->fresh_child = 0;
    enum cm_code code = cm_store_exec(c, cm_store_stmt(c, CM_ST_COMMIT), "commit", err);
    if (code != CM_OK)
        cm_store_rollback(c);
    return code;
}

void
cm_store_rollback(struct cm_conn *c)
{
    c->fresh_child = 0;
    /* SQLite may already have rolled back after some errors. */
    if (sqlite3_get_autocommit(c->db))
        return;
    if (cm_store_exec(c, cm_store_stmt(c, CM_ST_ROLLBACK), "rollback", NULL) != CM_OK)
        cm_log_error("store op=rollback failed");
}

enum cm_code
cm_store_tx_open(struct cm_conn *c, bool write, bool *own, struct cm_err *err)
{
    *own = false;
    if (!sqlite3_get_autocommit(c->db))
        return CM_OK;
    enum cm_code code = cm_store_begin(c, write, err);
    *own = code == CM_OK;
    return code;
}

enum cm_code
cm_store_tx_close(struct cm_conn *c, bool own, enum cm_code rc, struct cm_err *err)
{
    if (!own)
        return rc;
    if (rc != CM_OK) {
        cm_store_rollback(c);
        return rc;
    }
    return cm_store_commit(c, err);
}

/* ---- checksum -------------------------------------------------------------------------------- */

static void
feed(crypto_hash_sha256_state *h, const void *p, size_t n)
{
    crypto_hash_sha256_update(h, (const unsigned char *)p, n);
}

/* Length-prefixed, so no two different tables of rows serialise alike. */
static void
feed_counted(crypto_hash_sha256_state *h, char tag, const void *p, size_t n)
{
    char head[32];
    int k = snprintf(head, sizeof(head), "%c%zu:", tag, n);
    feed(h, head, (size_t)k);
    feed(h, p, n);
}

/*
 * The serialisation (fixed; changing it changes every checksum): for each table in the order
 * program, organization, app_user, child, family_member, team_member, break_glass, plan_item,
 * plan_version, plan_review, identify_run, identify_rule, identify_result, identify_enrolment:
 * "T<len>:<name>", then for each row in id order "R", then for each column in schema order:
 * NULL "n"; integer "i<decimal>;"; real "f<%.17g>;"; text "t<len>:<bytes>"; blob "b<len>:<bytes>".
 * Lengths are decimal byte counts.
 */
enum cm_code
cm_store_checksum(struct cm_conn *c, char out[65], struct cm_err *err)
{
    static const struct {
        enum cm_st st;
        const char *name;
    } tables[] = {
        {CM_ST_SUM_PROGRAM, "program"},
        {CM_ST_SUM_ORGANIZATION, "organization"},
        {CM_ST_SUM_APP_USER, "app_user"},
        {CM_ST_SUM_CHILD, "child"},
        {CM_ST_SUM_FAMILY_MEMBER, "family_member"},
        {CM_ST_SUM_TEAM_MEMBER, "team_member"},
        {CM_ST_SUM_BREAK_GLASS, "break_glass"},
        {CM_ST_SUM_PLAN_ITEM, "plan_item"},
        {CM_ST_SUM_PLAN_VERSION, "plan_version"},
        {CM_ST_SUM_PLAN_REVIEW, "plan_review"},
        {CM_ST_SUM_IDENTIFY_RUN, "identify_run"},
        {CM_ST_SUM_IDENTIFY_RULE, "identify_rule"},
        {CM_ST_SUM_IDENTIFY_RESULT, "identify_result"},
        {CM_ST_SUM_IDENTIFY_ENROLMENT, "identify_enrolment"},
    };
    bool own;
    enum cm_code code = cm_store_tx_open(c, false, &own, err);
    if (code != CM_OK)
        return code;
    crypto_hash_sha256_state h;
    crypto_hash_sha256_init(&h);
    for (size_t t = 0; code == CM_OK && t < CM_ARRAY_LEN(tables); t++) {
        feed_counted(&h, 'T', tables[t].name, strlen(tables[t].name));
        sqlite3_stmt *s = cm_store_stmt(c, tables[t].st);
        int ncol = sqlite3_column_count(s);
        int rc;
        while ((rc = sqlite3_step(s)) == SQLITE_ROW) {
            feed(&h, "R", 1);
            for (int i = 0; i < ncol; i++) {
                char num[40];
                int k;
                switch (sqlite3_column_type(s, i)) {
                case SQLITE_INTEGER:
                    k = snprintf(num, sizeof(num), "i%lld;", (long long)sqlite3_column_int64(s, i));
                    feed(&h, num, (size_t)k);
                    break;
                case SQLITE_FLOAT:
                    k = snprintf(num, sizeof(num), "f%.17g;", sqlite3_column_double(s, i));
                    feed(&h, num, (size_t)k);
                    break;
                case SQLITE_TEXT: {
                    const unsigned char *v = sqlite3_column_text(s, i);
                    feed_counted(&h, 't', v, (size_t)sqlite3_column_bytes(s, i));
                    break;
                }
                case SQLITE_BLOB: {
                    const void *v = sqlite3_column_blob(s, i);
                    feed_counted(&h, 'b', v, (size_t)sqlite3_column_bytes(s, i));
                    break;
                }
                default:
                    feed(&h, "n", 1);
                    break;
                }
            }
        }
        cm_store_done(s);
        if (rc != SQLITE_DONE)
            code = cm_store_fail(c->db, rc, tables[t].name, err);
    }
    unsigned char sum[crypto_hash_sha256_BYTES];
    crypto_hash_sha256_final(&h, sum);
    if (code == CM_OK)
        cm_hex(sum, sizeof(sum), out);
    return cm_store_tx_close(c, own, code, err);
}

/* ---- enum names ------------------------------------------------------------------------------ */

/* model.c owns the names; these only map NONE to NULL and back. */
static const char *
name_or_null(const char *name)
{
    return (name == NULL || name[0] == '\0' || strcmp(name, "none") == 0) ? NULL : name;
}

const char *
cm_store_role_text(enum cm_role r)
{
    return r == CM_ROLE_NONE ? NULL : name_or_null(cm_role_name(r));
}

enum cm_role
cm_store_role_of(const char *s)
{
    enum cm_role r = CM_ROLE_NONE;
    if (s == NULL || cm_role_parse(s, &r, "role", NULL) != CM_OK)
        return CM_ROLE_NONE;
    return r;
}

const char *
cm_store_sector_text(enum cm_sector v)
{
    return v == CM_SECTOR_NONE ? NULL : name_or_null(cm_sector_name(v));
}

enum cm_sector
cm_store_sector_of(const char *s)
{
    enum cm_sector v = CM_SECTOR_NONE;
    if (s == NULL || cm_sector_parse(s, &v, "sector", NULL) != CM_OK)
        return CM_SECTOR_NONE;
    return v;
}

const char *
cm_store_org_type_text(enum cm_org_type v)
{
    return v == CM_ORG_NONE ? NULL : name_or_null(cm_org_type_name(v));
}

enum cm_org_type
cm_store_org_type_of(const char *s)
{
    enum cm_org_type v = CM_ORG_NONE;
    if (s == NULL || cm_org_type_parse(s, &v, "type", NULL) != CM_OK)
        return CM_ORG_NONE;
    return v;
}

enum cm_lead
cm_store_lead_of(const char *s)
{
    enum cm_lead v = CM_LEAD_NONE;
    if (s == NULL || cm_lead_parse(s, &v, "lead", NULL) != CM_OK)
        return CM_LEAD_NONE;
    return v;
}

const char *
cm_store_col(sqlite3_stmt *s, int col)
{
    return (const char *)sqlite3_column_text(s, col);
}

/* ---- shared by the record files ---------------------------------------------------------- */

/* Lists grow by doubling in the arena; the arena's cap bounds them. */
/* Makes room for one more item of size bytes in an arena array of count items (capacity *cap),
 * doubling; NULL when the arena is full. */
static void *
grow(struct cm_arena *a, void *items, size_t count, size_t *cap, size_t size)
{
    if (count < *cap)
        return items;
    size_t ncap = *cap ? *cap * 2 : 16;
    void *n = cm_arena_calloc(a, ncap, size);
    if (n == NULL)
        return NULL;
    if (count > 0)
        memcpy(n, items, count * size);
    *cap = ncap;
    return n;
}

enum cm_code
cm_store_collect(struct cm_conn *c, sqlite3_stmt *s, struct cm_arena *a, cm_store_read_fn read,
                 size_t size, void **items, size_t *count, const char *op, struct cm_err *err)
{
    *items = NULL;
    *count = 0;
    struct cm_row r = {s, a, false};
    size_t cap = 0;
    int rc = SQLITE_DONE;
    while (!r.full && (rc = sqlite3_step(s)) == SQLITE_ROW) {
        void *more = grow(a, *items, *count, &cap, size);
        if (more == NULL) {
            r.full = true;
            break;
        }
        *items = more;
        read(&r, (char *)more + *count * size);
        (*count)++;
    }
    cm_store_done(s);
    if (r.full)
        return cm_store_row_check(&r, err);
    if (rc != SQLITE_DONE)
        return cm_store_fail(c->db, rc, op, err);
    return CM_OK;
}

/* Stale or missing: an update that changed no row looks the id up to say which. */
enum cm_code
cm_store_stale_or_missing(struct cm_conn *c, sqlite3_stmt *s, int64_t expected, const char *op,
                          struct cm_err *err)
{
    int rc = sqlite3_step(s);
    enum cm_code code;
    if (rc == SQLITE_ROW) {
        int64_t have = sqlite3_column_int64(s, 0);
        code = cm_err_set(err, CM_ESTALE, "version",
                          "the record changed (version %lld, not %lld): reload it", (long long)have,
                          (long long)expected);
    } else if (rc == SQLITE_DONE) {
        code = cm_err_set(err, CM_ENOTFOUND, "", "no such record");
    } else {
        code = cm_store_fail(c->db, rc, op, err);
    }
    cm_store_done(s);
    return code;
}
