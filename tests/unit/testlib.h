/*
 * Helpers shared by the unit tests. Include after <cmocka.h>: failures are cmocka failures.
 */
#ifndef CM_TESTLIB_H
#define CM_TESTLIB_H

#include <stdio.h>
#include <stdlib.h>

/* Reads $CAREMAP_SOURCE_DIR/rel (ctest and tests/run.sh set it) into a malloc'd, NUL-terminated
 * string of *len bytes; the caller frees it. Fails the test when the file cannot be read. */
static inline char *
testlib_slurp(const char *rel, size_t *len)
{
    const char *root = getenv("CAREMAP_SOURCE_DIR");
    if (root == NULL)
        fail_msg("CAREMAP_SOURCE_DIR is not set (ctest and tests/run.sh set it)");
    char path[1024];
    int n = snprintf(path, sizeof(path), "%s/%s", root, rel);
    assert_true(n > 0 && (size_t)n < sizeof(path));
    FILE *fp = fopen(path, "rb");
    if (fp == NULL)
        fail_msg("cannot open %s", path);
    assert_int_equal(fseek(fp, 0, SEEK_END), 0);
    long size = ftell(fp);
    assert_true(size >= 0);
    rewind(fp);
    char *buf = malloc((size_t)size + 1);
    assert_non_null(buf);
    assert_int_equal(fread(buf, 1, (size_t)size, fp), (size_t)size);
    buf[size] = '\0';
    fclose(fp);
    *len = (size_t)size;
    return buf;
}

#endif
