/*
 * Helpers for the unit tests that work on a real SQLite file: a scratch directory, its removal,
 * and SQL run on a separate handle, as someone editing the file behind caremap's back would.
 * Include after <cmocka.h>: failures are cmocka failures.
 */
#ifndef CM_TESTLIB_DB_H
#define CM_TESTLIB_DB_H

#include <sqlite3.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <unistd.h>

/* Makes a scratch directory (dir, 64 bytes) and names the database file in it (path, 128). */
static inline void
testlib_db_dir(char dir[64], char path[128])
{
    snprintf(dir, 64, "/tmp/caremap-test-XXXXXX");
    assert_non_null(mkdtemp(dir));
    snprintf(path, 128, "%s/caremap.db", dir);
}

/* Removes the database file, its WAL and shared-memory files, and the directory. */
static inline void
testlib_db_remove(const char *dir)
{
    static const char *const files[] = {"caremap.db", "caremap.db-wal", "caremap.db-shm"};
    char p[160];
    for (size_t i = 0; i < sizeof(files) / sizeof(files[0]); i++) {
        snprintf(p, sizeof(p), "%s/%s", dir, files[i]);
        unlink(p);
    }
    rmdir(dir);
}

/* Runs sql on its own handle; the SQLite result code. */
static inline int
testlib_sql(const char *path, const char *sql)
{
    sqlite3 *db = NULL;
    assert_int_equal(sqlite3_open(path, &db), SQLITE_OK);
    int rc = sqlite3_exec(db, sql, NULL, NULL, NULL);
    sqlite3_close(db);
    return rc;
}

/* The integer in the first column of the first row of sql, on its own handle. */
static inline int64_t
testlib_sql_int(const char *path, const char *sql)
{
    sqlite3 *db = NULL;
    sqlite3_stmt *s = NULL;
    assert_int_equal(sqlite3_open(path, &db), SQLITE_OK);
    assert_int_equal(sqlite3_prepare_v2(db, sql, -1, &s, NULL), SQLITE_OK);
    assert_int_equal(sqlite3_step(s), SQLITE_ROW);
    int64_t v = sqlite3_column_int64(s, 0);
    sqlite3_finalize(s);
    sqlite3_close(db);
    return v;
}

#endif
