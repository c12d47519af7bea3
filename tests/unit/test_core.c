/* Unit tests for core: the arena, bounded buffers, strings, UTF-8, dates, errors and log levels. */
#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>

#include <cmocka.h>

#include "core/core.h"

#include <string.h>

/* ---- arena ----------------------------------------------------------------------------------- */

static void
test_arena_alloc_returns_zeroed_aligned_memory(void **state)
{
    (void)state;
    struct cm_arena *a = cm_arena_new(4096);
    assert_non_null(a);
    unsigned char *p = cm_arena_alloc(a, 100);
    assert_non_null(p);
    for (size_t i = 0; i < 100; i++)
        assert_int_equal(p[i], 0);
    void *q = cm_arena_alloc(a, 3);
    assert_non_null(q);
    assert_int_equal((uintptr_t)q % 16, 0);
    assert_int_equal(cm_arena_used(a), 112 + 16);
    cm_arena_free(a);
}

static void
test_arena_refuses_past_its_cap_and_stays_exhausted(void **state)
{
    (void)state;
    struct cm_arena *a = cm_arena_new(1024);
    assert_non_null(cm_arena_alloc(a, 512));
    assert_false(cm_arena_exhausted(a));
    assert_null(cm_arena_alloc(a, 1024));
    assert_true(cm_arena_exhausted(a));
    /* Sticky: even a small request fails once the cap was hit, so a request that ran out cannot
     * carry on half-built. */
    assert_null(cm_arena_alloc(a, 16));
    assert_null(cm_arena_strdup(a, "x"));
    assert_true(cm_arena_exhausted(a));
    cm_arena_free(a);
}

static void
test_arena_allows_exactly_its_cap(void **state)
{
    (void)state;
    struct cm_arena *a = cm_arena_new(1024);
    assert_non_null(cm_arena_alloc(a, 1024));
    assert_int_equal(cm_arena_used(a), 1024);
    assert_null(cm_arena_alloc(a, 1));
    cm_arena_free(a);
}

static void
test_arena_calloc_overflow_is_refused(void **state)
{
    (void)state;
    struct cm_arena *a = cm_arena_new(1 << 20);
    assert_null(cm_arena_calloc(a, SIZE_MAX / 2, 4));
    assert_true(cm_arena_exhausted(a));
    cm_arena_free(a);
}

static void
test_arena_reset_reuses_the_first_block_and_clears_exhaustion(void **state)
{
    (void)state;
    struct cm_arena *a = cm_arena_new(1 << 20);
    char *first = cm_arena_alloc(a, 64);
    assert_non_null(first);
    /* Several more blocks, then past the cap. */
    for (int i = 0; i < 8; i++)
        assert_non_null(cm_arena_alloc(a, 20000));
    assert_null(cm_arena_alloc(a, 2 << 20));
    assert_true(cm_arena_exhausted(a));
    cm_arena_reset(a);
    assert_false(cm_arena_exhausted(a));
    assert_int_equal(cm_arena_used(a), 0);
    char *again = cm_arena_alloc(a, 64);
    assert_ptr_equal(again, first);
    cm_arena_free(a);
}

static void
test_arena_strings_are_copied(void **state)
{
    (void)state;
    struct cm_arena *a = cm_arena_new(4096);
    char src[] = "care team";
    char *d = cm_arena_strdup(a, src);
    src[0] = 'X';
    assert_string_equal(d, "care team");
    assert_string_equal(cm_arena_strndup(a, "lead coordinator", 4), "lead");
    assert_string_equal(cm_arena_printf(a, "child=%d tier=%s", 12, "3"), "child=12 tier=3");
    cm_arena_free(a);
}

static int g_order[8];
static int g_ran;

static void
record(void *p)
{
    g_order[g_ran++] = *(int *)p;
}

static void
test_arena_defer_runs_in_reverse_order_on_reset(void **state)
{
    (void)state;
    static int one = 1, two = 2, three = 3;
    g_ran = 0;
    struct cm_arena *a = cm_arena_new(4096);
    assert_int_equal(cm_arena_defer(a, record, &one), CM_OK);
    assert_int_equal(cm_arena_defer(a, record, &two), CM_OK);
    assert_int_equal(cm_arena_defer(a, record, &three), CM_OK);
    assert_int_equal(g_ran, 0);
    cm_arena_reset(a);
    assert_int_equal(g_ran, 3);
    assert_int_equal(g_order[0], 3);
    assert_int_equal(g_order[1], 2);
    assert_int_equal(g_order[2], 1);
    /* Each runs once: neither a second reset nor the free runs them again. */
    cm_arena_reset(a);
    cm_arena_free(a);
    assert_int_equal(g_ran, 3);
}

static void
test_arena_defer_runs_in_reverse_order_on_free(void **state)
{
    (void)state;
    static int one = 1, two = 2;
    g_ran = 0;
    struct cm_arena *a = cm_arena_new(4096);
    assert_int_equal(cm_arena_defer(a, record, &one), CM_OK);
    assert_int_equal(cm_arena_defer(a, record, &two), CM_OK);
    cm_arena_free(a);
    assert_int_equal(g_ran, 2);
    assert_int_equal(g_order[0], 2);
    assert_int_equal(g_order[1], 1);
}

static void
test_arena_defer_on_a_full_arena_runs_at_once(void **state)
{
    (void)state;
    static int seven = 7;
    g_ran = 0;
    struct cm_arena *a = cm_arena_new(64);
    assert_non_null(cm_arena_alloc(a, 64));
    assert_int_equal(cm_arena_defer(a, record, &seven), CM_ETOOBIG);
    assert_int_equal(g_ran, 1);
    assert_int_equal(g_order[0], 7);
    cm_arena_free(a);
    assert_int_equal(g_ran, 1);
}

static void
test_arena_free_of_null_is_a_no_op(void **state)
{
    (void)state;
    cm_arena_free(NULL);
}

/* ---- cm_buf ------------------------------------------------------------------------------------
 */

static void
test_buf_grows_up_to_its_max(void **state)
{
    (void)state;
    struct cm_arena *a = cm_arena_new(1 << 20);
    struct cm_buf b;
    cm_buf_init(&b, a, 1000);
    for (int i = 0; i < 100; i++)
        assert_int_equal(cm_buf_puts(&b, "0123456789"), CM_OK);
    assert_int_equal(b.len, 1000);
    assert_int_equal(strlen(b.data), 1000);
    assert_int_equal(cm_buf_append(&b, "x", 1), CM_ETOOBIG);
    assert_int_equal(b.len, 1000);
    assert_int_equal(b.data[1000], '\0');
    cm_arena_free(a);
}

static void
test_buf_refuses_an_append_that_would_pass_max(void **state)
{
    (void)state;
    struct cm_arena *a = cm_arena_new(1 << 20);
    struct cm_buf b;
    cm_buf_init(&b, a, 10);
    assert_int_equal(cm_buf_puts(&b, "12345678"), CM_OK);
    assert_int_equal(cm_buf_puts(&b, "abc"), CM_ETOOBIG);
    assert_string_equal(b.data, "12345678");
    assert_int_equal(cm_buf_printf(&b, "%d", 123), CM_ETOOBIG);
    assert_int_equal(cm_buf_printf(&b, "%d", 12), CM_OK);
    assert_string_equal(b.data, "1234567812");
    cm_arena_free(a);
}

static void
test_buf_with_size_max_as_its_max_grows_safely(void **state)
{
    (void)state;
    /* SIZE_MAX reads as "no limit of its own" (the arena's cap still holds); max + 1 must not
     * wrap to 0 and leave a buffer too small for what is copied into it. */
    struct cm_arena *a = cm_arena_new(1 << 20);
    struct cm_buf b;
    cm_buf_init(&b, a, SIZE_MAX);
    char chunk[300];
    memset(chunk, 'c', sizeof(chunk));
    assert_int_equal(cm_buf_append(&b, chunk, sizeof(chunk)), CM_OK);
    assert_int_equal(cm_buf_append(&b, chunk, sizeof(chunk)), CM_OK);
    assert_int_equal(b.len, 600);
    assert_true(b.cap > b.len);
    assert_int_equal(b.data[599], 'c');
    assert_int_equal(b.data[600], '\0');
    cm_arena_free(a);
}

static void
test_buf_printf_formats_and_appends(void **state)
{
    (void)state;
    struct cm_arena *a = cm_arena_new(1 << 20);
    struct cm_buf b;
    cm_buf_init(&b, a, 4096);
    assert_int_equal(cm_buf_printf(&b, "%s=%d", "tier", 2), CM_OK);
    assert_int_equal(cm_buf_puts(&b, " ok"), CM_OK);
    assert_string_equal(b.data, "tier=2 ok");
    assert_int_equal(b.len, 9);
    cm_arena_free(a);
}

static void
test_buf_reports_too_big_when_the_arena_is_full(void **state)
{
    (void)state;
    struct cm_arena *a = cm_arena_new(64);
    struct cm_buf b;
    cm_buf_init(&b, a, 4096);
    assert_int_equal(cm_buf_puts(&b, "this cannot fit in a 64-byte arena once 256 are asked"),
                     CM_ETOOBIG);
    cm_arena_free(a);
}

/* ---- strings --------------------------------------------------------------------------------- */

static void
test_strlcpy_copies_what_fits(void **state)
{
    (void)state;
    char dst[8];
    assert_int_equal(cm_strlcpy(dst, "seven77", sizeof(dst)), CM_OK);
    assert_string_equal(dst, "seven77");
    assert_int_equal(cm_strlcpy(dst, "", sizeof(dst)), CM_OK);
    assert_string_equal(dst, "");
}

static void
test_strlcpy_cuts_and_terminates_what_does_not_fit(void **state)
{
    (void)state;
    char dst[8];
    assert_int_equal(cm_strlcpy(dst, "eight888", sizeof(dst)), CM_ETOOBIG);
    assert_string_equal(dst, "eight88");
    char none[1] = {'z'};
    assert_int_equal(cm_strlcpy(none, "a", 0), CM_ETOOBIG);
    assert_int_equal(none[0], 'z');
    assert_int_equal(cm_strlcpy(none, "a", 1), CM_ETOOBIG);
    assert_int_equal(none[0], '\0');
}

static bool
utf8(const char *s)
{
    return cm_utf8_valid(s, strlen(s));
}

static void
test_utf8_accepts_valid_text(void **state)
{
    (void)state;
    assert_true(utf8(""));
    assert_true(utf8("plain ascii"));
    assert_true(utf8("Mar\xC3\xAD"
                     "a Jos\xC3\xA9"));    /* María José */
    assert_true(utf8("\xE2\x82\xAC"));     /* U+20AC euro */
    assert_true(utf8("\xF0\x9F\x98\x80")); /* U+1F600 */
    assert_true(utf8("\xF4\x8F\xBF\xBF")); /* U+10FFFF, the last */
    assert_true(utf8("\xED\x9F\xBF"));     /* U+D7FF, just below surrogates */
    assert_true(utf8("\xEE\x80\x80"));     /* U+E000, just above */
}

static void
test_utf8_rejects_overlong_forms(void **state)
{
    (void)state;
    assert_false(utf8("\xC0\x80"));         /* NUL in two bytes */
    assert_false(utf8("\xC1\xBF"));         /* U+007F in two bytes */
    assert_false(utf8("\xE0\x80\x80"));     /* NUL in three bytes */
    assert_false(utf8("\xE0\x9F\xBF"));     /* U+07FF in three bytes */
    assert_false(utf8("\xF0\x80\x80\x80")); /* NUL in four bytes */
    assert_false(utf8("\xF0\x8F\xBF\xBF")); /* U+FFFF in four bytes */
}

static void
test_utf8_rejects_surrogates(void **state)
{
    (void)state;
    assert_false(utf8("\xED\xA0\x80")); /* U+D800 */
    assert_false(utf8("\xED\xBF\xBF")); /* U+DFFF */
}

static void
test_utf8_rejects_truncated_sequences(void **state)
{
    (void)state;
    assert_false(utf8("\xC3"));
    assert_false(utf8("\xE2\x82"));
    assert_false(utf8("\xF0\x9F\x98"));
    assert_false(utf8("abc\xE2\x82"));
    assert_false(utf8("\xE2\x82x")); /* a continuation byte missing mid-string */
    assert_false(utf8("\x80"));      /* a lone continuation byte */
    /* A valid sequence cut by n is invalid too. */
    assert_false(cm_utf8_valid("\xE2\x82\xAC", 2));
}

static void
test_utf8_rejects_code_points_past_u10ffff(void **state)
{
    (void)state;
    assert_false(utf8("\xF4\x90\x80\x80")); /* U+110000 */
    assert_false(utf8("\xF5\x80\x80\x80"));
    assert_false(utf8("\xF8\x88\x80\x80\x80")); /* old five-byte form */
    assert_false(utf8("\xFF"));
}

static void
test_utf8_rejects_nul_bytes(void **state)
{
    (void)state;
    assert_false(cm_utf8_valid("ab\0cd", 5));
    assert_false(cm_utf8_valid("\0", 1));
    assert_true(cm_utf8_valid("ab\0cd", 2));
}

/* ---- dates ----------------------------------------------------------------------------------- */

static bool
date_ok(const char *s)
{
    struct cm_err err = {0};
    return cm_date_check(s, "d", &err) == CM_OK;
}

static void
test_date_leap_days_follow_the_gregorian_rules(void **state)
{
    (void)state;
    assert_true(date_ok("2024-02-29"));  /* divisible by 4 */
    assert_false(date_ok("2023-02-29")); /* not */
    assert_false(date_ok("1900-02-29")); /* divisible by 100 */
    assert_true(date_ok("2000-02-29"));  /* divisible by 400 */
    assert_false(date_ok("2100-02-29"));
    assert_true(date_ok("2023-02-28"));
}

static void
test_date_bad_months_and_days_are_rejected(void **state)
{
    (void)state;
    assert_false(date_ok("2024-00-10"));
    assert_false(date_ok("2024-13-01"));
    assert_false(date_ok("2024-01-00"));
    assert_false(date_ok("2024-01-32"));
    assert_false(date_ok("2024-04-31"));
    assert_false(date_ok("2024-06-31"));
    assert_false(date_ok("2024-09-31"));
    assert_false(date_ok("2024-11-31"));
    assert_true(date_ok("2024-12-31"));
    assert_true(date_ok("2024-01-01"));
}

static void
test_date_bad_shapes_and_years_are_rejected_with_the_field_named(void **state)
{
    (void)state;
    const char *bad[] = {"",           "2024-1-01",  "2024/01/01", " 2024-01-01", "2024-01-01 ",
                         "24-01-01",   "2024-01-1a", "+024-01-01", "1899-12-31",  "2200-01-01",
                         "2024-01-011"};
    for (size_t i = 0; i < CM_ARRAY_LEN(bad); i++) {
        struct cm_err err = {0};
        assert_int_equal(cm_date_check(bad[i], "birth_date", &err), CM_EINVAL);
        assert_string_equal(err.field, "birth_date");
        assert_true(err.msg[0] != '\0');
    }
    struct cm_err err = {0};
    assert_int_equal(cm_date_check(NULL, "start_date", &err), CM_EINVAL);
    assert_string_equal(err.field, "start_date");
    assert_true(date_ok("1900-01-01"));
    assert_true(date_ok("2199-12-31"));
}

static void
test_date_parse_gives_utc_midnight_of_known_dates(void **state)
{
    (void)state;
    struct {
        const char *s;
        int64_t t;
    } cases[] = {
        {"1970-01-01", 0},          {"1970-01-02", 86400},      {"2000-01-01", 946684800},
        {"2000-03-01", 951868800},  {"2024-02-29", 1709164800}, {"1900-01-01", -2208988800},
        {"2038-01-19", 2147472000}, {"2199-12-31", 7258032000},
    };
    for (size_t i = 0; i < CM_ARRAY_LEN(cases); i++) {
        int64_t t = -1;
        struct cm_err err = {0};
        assert_int_equal(cm_date_parse(cases[i].s, &t, "d", &err), CM_OK);
        assert_int_equal(t, cases[i].t);
        char back[11];
        cm_date_of(t, back);
        assert_string_equal(back, cases[i].s);
    }
    int64_t t = 5;
    struct cm_err err = {0};
    assert_int_equal(cm_date_parse("2023-02-29", &t, "d", &err), CM_EINVAL);
    assert_int_equal(t, 5);
}

static void
test_time_iso_formats_utc(void **state)
{
    (void)state;
    char out[21];
    cm_time_iso(0, out);
    assert_string_equal(out, "1970-01-01T00:00:00Z");
    cm_time_iso(1709164800 + 3661, out);
    assert_string_equal(out, "2024-02-29T01:01:01Z");
}

static void
test_hex_and_random_hex_are_lowercase_and_terminated(void **state)
{
    (void)state;
    char out[9];
    cm_hex((const unsigned char *)"\x00\x9f\xAB\xff", 4, out);
    assert_string_equal(out, "009fabff");
    char r1[33], r2[33];
    cm_random_hex(r1, 16);
    cm_random_hex(r2, 16);
    assert_int_equal(strlen(r1), 32);
    assert_int_equal(strspn(r1, "0123456789abcdef"), 32);
    assert_string_not_equal(r1, r2);
}

/* ---- errors ---------------------------------------------------------------------------------- */

static void
test_err_set_keeps_the_first_error(void **state)
{
    (void)state;
    struct cm_err err = {0};
    assert_int_equal(cm_err_set(&err, CM_EINVAL, "birth_date", "must be %s", "a date"), CM_EINVAL);
    assert_int_equal(cm_err_set(&err, CM_ECONFLICT, "username", "taken"), CM_ECONFLICT);
    assert_int_equal(err.code, CM_EINVAL);
    assert_string_equal(err.field, "birth_date");
    assert_string_equal(err.msg, "must be a date");
    cm_err_clear(&err);
    assert_int_equal(err.code, CM_OK);
    assert_string_equal(err.field, "");
    assert_int_equal(cm_err_set(&err, CM_ECONFLICT, NULL, "taken"), CM_ECONFLICT);
    assert_string_equal(err.field, "");
}

static void
test_err_set_without_an_err_still_returns_the_code(void **state)
{
    (void)state;
    assert_int_equal(cm_err_set(NULL, CM_ENOTFOUND, "id", "gone"), CM_ENOTFOUND);
}

static void
test_err_set_cuts_long_messages_safely(void **state)
{
    (void)state;
    struct cm_err err = {0};
    char longtext[600];
    memset(longtext, 'x', sizeof(longtext) - 1);
    longtext[sizeof(longtext) - 1] = '\0';
    assert_int_equal(cm_err_set(&err, CM_EINVAL, longtext, "%s", longtext), CM_EINVAL);
    assert_int_equal(strlen(err.field), sizeof(err.field) - 1);
    assert_int_equal(strlen(err.msg), sizeof(err.msg) - 1);
}

static void
test_code_names_are_the_api_error_codes(void **state)
{
    (void)state;
    assert_string_equal(cm_code_name(CM_OK), "ok");
    assert_string_equal(cm_code_name(CM_EINVAL), "invalid");
    assert_string_equal(cm_code_name(CM_ENOTFOUND), "not_found");
    assert_string_equal(cm_code_name(CM_ECONFLICT), "conflict");
    assert_string_equal(cm_code_name(CM_EFORBIDDEN), "forbidden");
    assert_string_equal(cm_code_name(CM_EUNAUTH), "unauthenticated");
    assert_string_equal(cm_code_name(CM_ETOOBIG), "too_big");
    assert_string_equal(cm_code_name(CM_ESTALE), "stale");
    assert_string_equal(cm_code_name(CM_ETHROTTLE), "throttled");
    assert_string_equal(cm_code_name(CM_EINTERNAL), "internal");
}

/* ---- log levels ------------------------------------------------------------------------------ */

static void
test_log_level_parse_knows_every_level_in_any_case(void **state)
{
    (void)state;
    struct {
        const char *s;
        enum cm_log_level l;
    } cases[] = {{"debug", CM_LOG_DEBUG},
                 {"info", CM_LOG_INFO},
                 {"WARN", CM_LOG_WARN},
                 {"Error", CM_LOG_ERROR},
                 {"off", CM_LOG_OFF}};
    for (size_t i = 0; i < CM_ARRAY_LEN(cases); i++) {
        enum cm_log_level l = CM_LOG_OFF;
        if (cases[i].l == CM_LOG_OFF)
            l = CM_LOG_DEBUG;
        assert_int_equal(cm_log_level_parse(cases[i].s, &l), CM_OK);
        assert_int_equal(l, cases[i].l);
    }
}

static void
test_log_level_parse_rejects_unknown_levels(void **state)
{
    (void)state;
    enum cm_log_level l = CM_LOG_WARN;
    assert_int_equal(cm_log_level_parse("verbose", &l), CM_EINVAL);
    assert_int_equal(cm_log_level_parse("", &l), CM_EINVAL);
    assert_int_equal(cm_log_level_parse("info ", &l), CM_EINVAL);
    assert_int_equal(l, CM_LOG_WARN);
}

static void
test_log_level_set_is_what_get_returns(void **state)
{
    (void)state;
    enum cm_log_level before = cm_log_level_get();
    cm_log_set_level(CM_LOG_ERROR);
    assert_int_equal(cm_log_level_get(), CM_LOG_ERROR);
    cm_log_debug("msg=\"not shown\""); /* below the level: must not crash or print */
    cm_log_set_level(before);
    assert_int_equal(cm_log_level_get(), before);
}

int
main(void)
{
    const struct CMUnitTest tests[] = {
        cmocka_unit_test(test_arena_alloc_returns_zeroed_aligned_memory),
        cmocka_unit_test(test_arena_refuses_past_its_cap_and_stays_exhausted),
        cmocka_unit_test(test_arena_allows_exactly_its_cap),
        cmocka_unit_test(test_arena_calloc_overflow_is_refused),
        cmocka_unit_test(test_arena_reset_reuses_the_first_block_and_clears_exhaustion),
        cmocka_unit_test(test_arena_strings_are_copied),
        cmocka_unit_test(test_arena_defer_runs_in_reverse_order_on_reset),
        cmocka_unit_test(test_arena_defer_runs_in_reverse_order_on_free),
        cmocka_unit_test(test_arena_defer_on_a_full_arena_runs_at_once),
        cmocka_unit_test(test_arena_free_of_null_is_a_no_op),
        cmocka_unit_test(test_buf_grows_up_to_its_max),
        cmocka_unit_test(test_buf_refuses_an_append_that_would_pass_max),
        cmocka_unit_test(test_buf_with_size_max_as_its_max_grows_safely),
        cmocka_unit_test(test_buf_printf_formats_and_appends),
        cmocka_unit_test(test_buf_reports_too_big_when_the_arena_is_full),
        cmocka_unit_test(test_strlcpy_copies_what_fits),
        cmocka_unit_test(test_strlcpy_cuts_and_terminates_what_does_not_fit),
        cmocka_unit_test(test_utf8_accepts_valid_text),
        cmocka_unit_test(test_utf8_rejects_overlong_forms),
        cmocka_unit_test(test_utf8_rejects_surrogates),
        cmocka_unit_test(test_utf8_rejects_truncated_sequences),
        cmocka_unit_test(test_utf8_rejects_code_points_past_u10ffff),
        cmocka_unit_test(test_utf8_rejects_nul_bytes),
        cmocka_unit_test(test_date_leap_days_follow_the_gregorian_rules),
        cmocka_unit_test(test_date_bad_months_and_days_are_rejected),
        cmocka_unit_test(test_date_bad_shapes_and_years_are_rejected_with_the_field_named),
        cmocka_unit_test(test_date_parse_gives_utc_midnight_of_known_dates),
        cmocka_unit_test(test_time_iso_formats_utc),
        cmocka_unit_test(test_hex_and_random_hex_are_lowercase_and_terminated),
        cmocka_unit_test(test_err_set_keeps_the_first_error),
        cmocka_unit_test(test_err_set_without_an_err_still_returns_the_code),
        cmocka_unit_test(test_err_set_cuts_long_messages_safely),
        cmocka_unit_test(test_code_names_are_the_api_error_codes),
        cmocka_unit_test(test_log_level_parse_knows_every_level_in_any_case),
        cmocka_unit_test(test_log_level_parse_rejects_unknown_levels),
        cmocka_unit_test(test_log_level_set_is_what_get_returns),
    };
    return cmocka_run_group_tests_name("core", tests, NULL, NULL);
}
