/*
 * The care map's history: relationships per sector, month by month (see caremap_history.h).
 * Dates are compared as strings, which is exact for the checked "YYYY-MM-DD" form.
 */
#include "plan/caremap_history.h"

#include <stdio.h>
#include <string.h>

static int
days_in(int y, int m)
{
    static const int days[12] = {31, 28, 31, 30, 31, 30, 31, 31, 30, 31, 30, 31};
    bool leap = (y % 4 == 0 && y % 100 != 0) || y % 400 == 0;
    return m == 2 && leap ? 29 : days[m - 1];
}

/* The month of a checked date as a count of months since year 0. */
static int
month_index(const char *d)
{
    int y = 0, m = 0;
    sscanf(d, "%4d-%2d", &y, &m);
    return y * 12 + (m - 1);
}

static void
count_on(const struct cm_caremap_membership *m, size_t n, const char *day,
         struct cm_caremap_point *p)
{
    memset(p, 0, sizeof(*p));
    snprintf(p->date, sizeof(p->date), "%.10s", day);
    for (size_t i = 0; i < n; i++) {
        bool active = strcmp(m[i].start_date, day) <= 0 &&
                      (m[i].end_date == NULL || strcmp(m[i].end_date, day) > 0);
        if (!active)
            continue;
        p->total++;
        if (m[i].sector > CM_SECTOR_NONE && m[i].sector < CM_SECTOR_COUNT)
            p->per_sector[m[i].sector]++;
    }
}

CM_MUST_CHECK enum cm_code
cm_caremap_history(const struct cm_caremap_membership *m, size_t n, const char *today,
                   struct cm_caremap_point *out, size_t max, size_t *n_out, struct cm_err *err)
{
    *n_out = 0;
    if (max == 0)
        return cm_err_set(err, CM_EINVAL, "", "no room for the history");
    enum cm_code rc = cm_date_check(today, "today", err);
    if (rc != CM_OK)
        return rc;
    int last = month_index(today), first = last;
    for (size_t i = 0; i < n; i++) {
        char field[48];
        snprintf(field, sizeof(field), "memberships[%zu].start_date", i);
        if ((rc = cm_date_check(m[i].start_date, field, err)) != CM_OK)
            return rc;
        if (m[i].end_date != NULL) {
            snprintf(field, sizeof(field), "memberships[%zu].end_date", i);
            if ((rc = cm_date_check(m[i].end_date, field, err)) != CM_OK)
                return rc;
            if (strcmp(m[i].end_date, m[i].start_date) < 0)
                return cm_err_set(err, CM_EINVAL, field, "%s: ends before it starts", field);
        }
        if (strcmp(m[i].start_date, today) <= 0 && month_index(m[i].start_date) < first)
            first = month_index(m[i].start_date);
    }
    /* Months before today's, then today: at most max points in all. */
    if ((size_t)(last - first) + 1 > max)
        first = last - (int)max + 1;
    for (int k = first; k < last; k++) {
        char day[32];
        int y = k / 12, mo = k % 12 + 1;
        snprintf(day, sizeof(day), "%04d-%02d-%02d", y, mo, days_in(y, mo));
        count_on(m, n, day, &out[(*n_out)++]);
    }
    count_on(m, n, today, &out[(*n_out)++]);
    return CM_OK;
}
