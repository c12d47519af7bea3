/*
 * store_int.h: what the SQLite backend's files share. Nothing outside src/store/ (and the store's
 * own unit test) includes this.
 *
 * Statements: every SQL text of the backend is one entry of the table in statements.c, indexed by
 * enum cm_st. cm_store_conn_open prepares them all, so a typo fails when a connection opens.
 *
 * Parameter numbering of the child-scoped statements: ?1..?8 describe the viewer and the clock
 * (bound together by cm_store_bind_viewer), ?9 is the child id, ?10 on are the statement's own.
 */
#ifndef CM_STORE_INT_H
#define CM_STORE_INT_H

#include "store/store.h"

#include <sqlite3.h>

/* The viewer's parameters, shared by every child-scoped statement. */
enum {
    CM_P_UID = 1, /* viewer's user id */
    CM_P_PID,     /* viewer's program id */
    CM_P_STAFF,   /* 1 when the role is staff (team membership counts) */
    CM_P_WIDE,    /* 1 when the role is program-wide */
    CM_P_FAMILY,  /* 1 when the role is family */
    CM_P_GLASS,   /* 1 when the role may use break-glass */
    CM_P_TODAY,   /* "YYYY-MM-DD" of now */
    CM_P_NOW,     /* epoch seconds */
    CM_P_CHILD,   /* the child id */
    CM_P_ARG,     /* the first of the statement's own parameters */
};

enum cm_st {
    /* connection set-up, transactions, migrations */
    CM_ST_PRAGMA_WAL,
    CM_ST_PRAGMA_SYNC,
    CM_ST_PRAGMA_FK,
    CM_ST_PRAGMA_BUSY,
    CM_ST_BEGIN_READ,
    CM_ST_BEGIN_WRITE,
    CM_ST_COMMIT,
    CM_ST_ROLLBACK,
    CM_ST_MIG_TABLE,
    CM_ST_MIG_GET,
    CM_ST_MIG_ADD,
    CM_ST_MIG_LIST,
    /* checksum of the care-record tables */
    CM_ST_SUM_PROGRAM,
    CM_ST_SUM_ORGANIZATION,
    CM_ST_SUM_APP_USER,
    CM_ST_SUM_CHILD,
    CM_ST_SUM_FAMILY_MEMBER,
    CM_ST_SUM_TEAM_MEMBER,
    CM_ST_SUM_BREAK_GLASS,
    CM_ST_SUM_PLAN_ITEM,
    CM_ST_SUM_PLAN_VERSION,
    CM_ST_SUM_PLAN_REVIEW,
    CM_ST_SUM_IDENTIFY_RUN,
    CM_ST_SUM_IDENTIFY_RULE,
    CM_ST_SUM_IDENTIFY_RESULT,
    CM_ST_SUM_IDENTIFY_ENROLMENT,
    /* programs, organisations */
    CM_ST_PROGRAM_ADD,
    CM_ST_PROGRAM_FIRST,
    CM_ST_ORG_ADD,
    CM_ST_ORG_GET,
    CM_ST_ORG_LIST,
    CM_ST_ORG_UPDATE,
    CM_ST_ORG_VERSION,
    /* users, family links, sessions, sign-in failures */
    CM_ST_USER_ADD,
    CM_ST_USER_GET,
    CM_ST_USER_BY_NAME,
    CM_ST_USER_LIST,
    CM_ST_USER_UPDATE,
    CM_ST_USER_VERSION,
    CM_ST_USER_SET_PASSWORD,
    CM_ST_USER_KIND,
    CM_ST_FAMILY_LINK_GET,
    CM_ST_FAMILY_LINK,
    CM_ST_SESSION_ADD,
    CM_ST_SESSION_GET,
    CM_ST_SESSION_TOUCH,
    CM_ST_SESSION_DELETE,
    CM_ST_SESSION_DELETE_USER,
    CM_ST_SESSION_PURGE,
    CM_ST_LOGIN_FAIL_ADD,
    CM_ST_LOGIN_FAIL_COUNT,
    CM_ST_LOGIN_FAIL_OLDEST,
    CM_ST_LOGIN_FAIL_CLEAR,
    /* children */
    CM_ST_CHILD_ACCESS,
    CM_ST_CHILD_GET,
    CM_ST_CHILD_ADD,
    CM_ST_CHILD_UPDATE,
    CM_ST_CHILD_BUMP,
    CM_ST_PANEL_COUNT_WIDE,
    CM_ST_PANEL_COUNT_LINKED,
    CM_ST_PANEL_PAGE_WIDE,
    CM_ST_PANEL_PAGE_LINKED,
    /* family members */
    CM_ST_FAMILY_LIST,
    CM_ST_FAMILY_GET,
    CM_ST_FAMILY_ADD,
    CM_ST_FAMILY_UPDATE,
    CM_ST_FAMILY_VERSION,
    /* care team */
    CM_ST_TEAM_LIST,
    CM_ST_TEAM_GET,
    CM_ST_TEAM_ADD,
    CM_ST_TEAM_UPDATE,
    CM_ST_TEAM_STATE,
    CM_ST_TEAM_END,
    CM_ST_TEAM_USER_OK,
    CM_ST_TEAM_USER_ACTIVE,
    CM_ST_TEAM_BOOTSTRAP,
    CM_ST_TEAM_IS_ACTIVE,
    CM_ST_TEAM_CLEAR_LEADS,
    CM_ST_TEAM_SET_FLAG,
    /* the shared plan of care */
    CM_ST_PLAN_ITEM_LIST,
    CM_ST_PLAN_ITEM_GET,
    CM_ST_PLAN_ITEM_COUNT,
    CM_ST_PLAN_ITEM_ADD,
    CM_ST_PLAN_ITEM_UPDATE,
    CM_ST_PLAN_ITEM_REMOVE,
    CM_ST_PLAN_ITEM_VERSION,
    CM_ST_PLAN_TOUCH,
    CM_ST_PLAN_VERSION_ADD,
    CM_ST_PLAN_VERSION_LIST,
    CM_ST_PLAN_VERSION_GET,
    CM_ST_PLAN_REVIEW_ADD,
    CM_ST_PLAN_REVIEW_LIST,
    CM_ST_PLAN_STATE,
    /* break-glass */
    CM_ST_BREAK_GLASS_ADD,
    CM_ST_BREAK_GLASS_LIST,
    /* audit */
    CM_ST_AUDIT_LAST,
    CM_ST_AUDIT_ADD,
    CM_ST_AUDIT_LIST_ALL,
    CM_ST_AUDIT_LIST_CHILD,
    CM_ST_AUDIT_COUNT_ALL,
    CM_ST_AUDIT_COUNT_CHILD,
    CM_ST_AUDIT_WALK,
    CM_ST_COUNT
};

struct cm_store {
    char *path;
    int applied; /* migrations applied by this process since cm_store_open */
};

struct cm_conn {
    sqlite3 *db;
    sqlite3_stmt *st[CM_ST_COUNT];
    /* The child cm_store_child_create made in the open transaction (0: none). Until it commits,
     * nobody has seen the child, so designating its first lead is part of its creation: the
     * child and its members stay at version 1. Cleared by begin, commit and rollback. */
    int64_t fresh_child;
    /* The hex SHA-256 of the version cm_store_plan_version_create froze last: the function has
     * no arena, so the pointer it fills in is here, valid until the next freeze on this
     * connection. */
    char plan_sha256[65];
};

/* A row being read into arena strings; full turns true when the arena refused a string. */
struct cm_row {
    sqlite3_stmt *s;
    struct cm_arena *a;
    bool full;
};

/* ---- statements.c ---------------------------------------------------------------------------- */

/* The SQL text of a statement (never NULL for id < CM_ST_COUNT). */
const char *cm_store_sql(enum cm_st id);
/* The statement's short name for log lines ("child_get"). */
const char *cm_store_sql_name(enum cm_st id);

/* ---- sqlite.c -------------------------------------------------------------------------------- */

/* The connection's prepared statement id, reset and with its bindings cleared. */
sqlite3_stmt *cm_store_stmt(struct cm_conn *c, enum cm_st id);
/* Resets s and clears its bindings (releases its read lock); NULL is a no-op. */
void cm_store_done(sqlite3_stmt *s);
/* The one place SQLite result codes become enum cm_code: a unique constraint is CM_ECONFLICT
 * (field: the column), another constraint CM_EINVAL, anything else CM_EDB, logged with the SQLite
 * message and op (never row data). */
CM_MUST_CHECK enum cm_code cm_store_fail(sqlite3 *db, int rc, const char *op, struct cm_err *err);
/* Steps s to completion (an INSERT/UPDATE/DELETE without RETURNING) and resets it. */
CM_MUST_CHECK enum cm_code cm_store_exec(struct cm_conn *c, sqlite3_stmt *s, const char *op,
                                         struct cm_err *err);
/* Begins a transaction unless one is open; *own says whether this call began it. */
CM_MUST_CHECK enum cm_code cm_store_tx_open(struct cm_conn *c, bool write, bool *own,
                                            struct cm_err *err);
/* Ends what cm_store_tx_open began: commits when rc is CM_OK, else rolls back. Returns rc or the
 * commit's failure. */
CM_MUST_CHECK enum cm_code cm_store_tx_close(struct cm_conn *c, bool own, enum cm_code rc,
                                             struct cm_err *err);

/* NULL binds NULL. The text must outlive the step (statements are reset right after). */
void cm_store_bind_text(sqlite3_stmt *s, int i, const char *v);
/* 0 binds NULL: optional references are NULL in the schema, 0 in the structs. */
void cm_store_bind_ref(sqlite3_stmt *s, int i, int64_t v);
void cm_store_bind_i64(sqlite3_stmt *s, int i, int64_t v);
/* Binds ?1..?8 from the viewer and the clock. */
void cm_store_bind_viewer(sqlite3_stmt *s, const struct cm_viewer *v, int64_t now, char today[11]);

/* Column readers; NULL text is NULL, NULL integers are 0. */
const char *cm_store_row_text(struct cm_row *r, int col);
int64_t cm_store_row_i64(struct cm_row *r, int col);
/* Reads the five cm_meta columns starting at col. */
void cm_store_row_meta(struct cm_row *r, int col, struct cm_meta *m);
/* CM_ETOOBIG when the arena was full, else CM_OK. */
CM_MUST_CHECK enum cm_code cm_store_row_check(const struct cm_row *r, struct cm_err *err);

/* Enums to and from their stored names. NONE (or an out-of-range value) is NULL in the database,
 * and NULL or an unknown name reads back as NONE. */
const char *cm_store_role_text(enum cm_role r);
enum cm_role cm_store_role_of(const char *s);
const char *cm_store_sector_text(enum cm_sector v);
enum cm_sector cm_store_sector_of(const char *s);
const char *cm_store_org_type_text(enum cm_org_type v);
enum cm_org_type cm_store_org_type_of(const char *s);
enum cm_lead cm_store_lead_of(const char *s);
/* The column's text as a NUL-terminated string valid until the next step (NULL for NULL). */
const char *cm_store_col(sqlite3_stmt *s, int col);

/* Fills item (one element of the list being read) from the current row of r. */
typedef void (*cm_store_read_fn)(struct cm_row *r, void *item);
/* Steps s to its end, appending each row, as read fills it, to an arena array of elements of size
 * bytes: *items and *count are the result (NULL and 0 for no rows). Resets s. CM_ETOOBIG when the
 * arena is full, or the step's error mapped as cm_store_fail naming op. */
CM_MUST_CHECK enum cm_code cm_store_collect(struct cm_conn *c, sqlite3_stmt *s, struct cm_arena *a,
                                            cm_store_read_fn read, size_t size, void **items,
                                            size_t *count, const char *op, struct cm_err *err);
/* After an update by id and version changed nothing: s selects the row's version (bound by the
 * caller, and reach-checked for child records). CM_ESTALE when the row is there, CM_ENOTFOUND
 * when it is not (or is not visible). Resets s. */
CM_MUST_CHECK enum cm_code cm_store_stale_or_missing(struct cm_conn *c, sqlite3_stmt *s,
                                                     int64_t expected, const char *op,
                                                     struct cm_err *err);

/* ---- migrations (sqlite.c), exposed for the unit test ------------------------------------------
 */

/* Hex SHA-256 of a migration's text, as recorded in schema_migrations. */
void cm_store_migration_checksum(const char *sql, size_t len, char out[65]);

#endif
