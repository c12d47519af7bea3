/*
 * plan/status: where a plan stands (docs/plan.md, "Current"). A plan is current when a version was
 * reviewed with the family within the program's review interval, counted in calendar months
 * because that is how people say it ("every six months"): a review on 31 May is due on
 * 30 November, not on a day count that drifts with the months in between.
 */
#include "plan/plan.h"

#include <time.h>

const char *
cm_plan_status_name(enum cm_plan_status s)
{
    switch (s) {
    case CM_PLAN_STATUS_NONE:
        return "none";
    case CM_PLAN_STATUS_CURRENT:
        return "current";
    case CM_PLAN_STATUS_DUE:
        return "due";
    }
    return "";
}

static bool
leap(int64_t y)
{
    return (y % 4 == 0 && y % 100 != 0) || y % 400 == 0;
}

static int
month_days(int64_t y, int m)
{
    static const int mdays[] = {31, 28, 31, 30, 31, 30, 31, 31, 30, 31, 30, 31};
    return mdays[m - 1] + (m == 2 && leap(y));
}

/* Days since 1970-01-01 of a proleptic Gregorian date (Howard Hinnant's days_from_civil), so the
 * arithmetic never touches the local time zone. */
static int64_t
days_from_civil(int64_t y, int m, int d)
{
    y -= m <= 2;
    int64_t era = (y >= 0 ? y : y - 399) / 400;
    int64_t yoe = y - era * 400;
    int64_t doy = (153 * (m + (m > 2 ? -3 : 9)) + 2) / 5 + d - 1;
    int64_t doe = yoe * 365 + yoe / 4 - yoe / 100 + doy;
    return era * 146097 + doe - 719468;
}

/* t moved by months calendar months (either way) at the same time of day; a day past the end of
 * the month it lands in becomes that month's last day. */
static int64_t
months_add(int64_t t, int months)
{
    time_t tt = (time_t)t;
    struct tm tm;
    if (gmtime_r(&tt, &tm) == NULL)
        return t;
    int64_t total = (int64_t)tm.tm_year + 1900;
    total = total * 12 + tm.tm_mon + months;
    /* Floor division, so months before year 0 still land in 1..12. */
    int64_t y = total >= 0 ? total / 12 : -((-total + 11) / 12);
    int m = (int)(total - y * 12) + 1;
    int d = tm.tm_mday;
    if (d > month_days(y, m))
        d = month_days(y, m);
    return days_from_civil(y, m, d) * 86400 + tm.tm_hour * 3600 + tm.tm_min * 60 + tm.tm_sec;
}

int64_t
cm_plan_review_cutoff(int64_t now, int interval_months)
{
    return months_add(now, -interval_months);
}

int64_t
cm_plan_review_due(int64_t reviewed_at, int interval_months)
{
    return months_add(reviewed_at, interval_months);
}

enum cm_plan_status
cm_plan_status_of(int64_t latest_version, int64_t reviewed_at, int64_t now, int interval_months)
{
    if (latest_version <= 0)
        return CM_PLAN_STATUS_NONE;
    /* Never reviewed (0) is due however short the interval. */
    if (reviewed_at > 0 && reviewed_at >= cm_plan_review_cutoff(now, interval_months))
        return CM_PLAN_STATUS_CURRENT;
    return CM_PLAN_STATUS_DUE;
}
