/*
 * plan/caremap_history: relationships in total and per sector, month by month, from membership
 * dates (issue 7, "counts and history").
 */
#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <string.h>

#include <cmocka.h>

#include "plan/caremap_history.h"

#define MAX 60

static size_t
history(const struct cm_caremap_membership *m, size_t n, const char *today,
        struct cm_caremap_point *out, size_t max)
{
    size_t got = 0;
    struct cm_err err = {0};
    enum cm_code rc = cm_caremap_history(m, n, today, out, max, &got, &err);
    if (rc != CM_OK)
        fail_msg("history: %s", err.msg);
    return got;
}

static void
test_counts_fall_when_a_duplicate_is_ended_and_rise_when_someone_joins(void **state)
{
    (void)state;
    const struct cm_caremap_membership m[] = {
        {CM_SECTOR_MEDICAL, "2026-01-15", NULL},         /* neurologist */
        {CM_SECTOR_MEDICAL, "2026-02-01", "2026-04-10"}, /* a second neurologist, ended */
        {CM_SECTOR_EDUCATION, "2026-03-31", NULL},       /* school nurse, joins on a month end */
        {CM_SECTOR_PAYER, "2026-05-02", NULL},           /* case manager */
        {CM_SECTOR_FAMILY_SUPPORT, "2026-07-01", NULL},  /* starts after today: not counted */
    };
    struct cm_caremap_point p[MAX];
    size_t n = history(m, 5, "2026-05-20", p, MAX);
    /* Jan, Feb, Mar, Apr month ends, then today. */
    assert_int_equal(n, 5);
    assert_string_equal(p[0].date, "2026-01-31");
    assert_string_equal(p[1].date, "2026-02-28");
    assert_string_equal(p[2].date, "2026-03-31");
    assert_string_equal(p[3].date, "2026-04-30");
    assert_string_equal(p[4].date, "2026-05-20");
    const unsigned total[] = {1, 2, 3, 2, 3};
    const unsigned medical[] = {1, 2, 2, 1, 1};
    for (size_t i = 0; i < n; i++) {
        assert_int_equal(p[i].total, total[i]);
        assert_int_equal(p[i].per_sector[CM_SECTOR_MEDICAL], medical[i]);
    }
    assert_int_equal(p[2].per_sector[CM_SECTOR_EDUCATION], 1);
    assert_int_equal(p[4].per_sector[CM_SECTOR_PAYER], 1);
    assert_int_equal(p[4].per_sector[CM_SECTOR_FAMILY_SUPPORT], 0);
}

static void
test_a_membership_ended_today_no_longer_counts_today(void **state)
{
    (void)state;
    const struct cm_caremap_membership m[] = {
        {CM_SECTOR_MEDICAL, "2026-05-01", "2026-05-20"},
        {CM_SECTOR_MEDICAL, "2026-05-01", "2026-05-21"},
    };
    struct cm_caremap_point p[MAX];
    size_t n = history(m, 2, "2026-05-20", p, MAX);
    assert_int_equal(n, 1);
    assert_int_equal(p[0].total, 1);
}

static void
test_leap_february_and_year_turns_have_their_own_month_ends(void **state)
{
    (void)state;
    const struct cm_caremap_membership m[] = {{CM_SECTOR_COMMUNITY, "2023-12-05", NULL}};
    struct cm_caremap_point p[MAX];
    size_t n = history(m, 1, "2024-03-01", p, MAX);
    assert_int_equal(n, 4);
    assert_string_equal(p[0].date, "2023-12-31");
    assert_string_equal(p[1].date, "2024-01-31");
    assert_string_equal(p[2].date, "2024-02-29");
    assert_string_equal(p[3].date, "2024-03-01");
}

static void
test_a_long_history_keeps_the_last_max_points_ending_today(void **state)
{
    (void)state;
    const struct cm_caremap_membership m[] = {{CM_SECTOR_MEDICAL, "2016-01-01", NULL}};
    struct cm_caremap_point p[12];
    size_t n = history(m, 1, "2026-05-20", p, 12);
    assert_int_equal(n, 12);
    assert_string_equal(p[0].date, "2025-06-30");
    assert_string_equal(p[11].date, "2026-05-20");
    for (size_t i = 0; i < n; i++)
        assert_int_equal(p[i].total, 1);
}

static void
test_no_memberships_is_one_point_today_at_zero(void **state)
{
    (void)state;
    struct cm_caremap_point p[MAX];
    size_t n = history(NULL, 0, "2026-05-20", p, MAX);
    assert_int_equal(n, 1);
    assert_string_equal(p[0].date, "2026-05-20");
    assert_int_equal(p[0].total, 0);
}

static void
test_bad_dates_are_refused_naming_the_membership(void **state)
{
    (void)state;
    struct cm_caremap_point p[MAX];
    size_t n = 0;
    struct cm_err err = {0};
    const struct cm_caremap_membership bad_start[] = {
        {CM_SECTOR_MEDICAL, "2026-01-01", NULL},
        {CM_SECTOR_MEDICAL, "2026-02-30", NULL},
    };
    assert_int_equal(cm_caremap_history(bad_start, 2, "2026-05-20", p, MAX, &n, &err), CM_EINVAL);
    assert_string_equal(err.field, "memberships[1].start_date");
    const struct cm_caremap_membership backwards[] = {
        {CM_SECTOR_MEDICAL, "2026-03-01", "2026-02-01"}};
    err = (struct cm_err){0};
    assert_int_equal(cm_caremap_history(backwards, 1, "2026-05-20", p, MAX, &n, &err), CM_EINVAL);
    assert_non_null(strstr(err.msg, "ends before it starts"));
    err = (struct cm_err){0};
    assert_int_equal(cm_caremap_history(NULL, 0, "2026-13-01", p, MAX, &n, &err), CM_EINVAL);
    err = (struct cm_err){0};
    assert_int_equal(cm_caremap_history(NULL, 0, "2026-05-20", p, 0, &n, &err), CM_EINVAL);
}

int
main(void)
{
    const struct CMUnitTest tests[] = {
        cmocka_unit_test(test_counts_fall_when_a_duplicate_is_ended_and_rise_when_someone_joins),
        cmocka_unit_test(test_a_membership_ended_today_no_longer_counts_today),
        cmocka_unit_test(test_leap_february_and_year_turns_have_their_own_month_ends),
        cmocka_unit_test(test_a_long_history_keeps_the_last_max_points_ending_today),
        cmocka_unit_test(test_no_memberships_is_one_point_today_at_zero),
        cmocka_unit_test(test_bad_dates_are_refused_naming_the_membership),
    };
    return cmocka_run_group_tests(tests, NULL, NULL);
}
