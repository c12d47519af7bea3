/*
 * plan/caremap_history: how many relationships a child and family had, in total and per sector,
 * month by month, from the membership dates of the care team (issue 7, "counts and history"). The
 * chart on the care map shows it, so a team sees the count fall as redundancies are ended. Pure:
 * no I/O, no allocation.
 */
#ifndef CM_PLAN_CAREMAP_HISTORY_H
#define CM_PLAN_CAREMAP_HISTORY_H

#include "model/model.h"

#include <stddef.h>

/* One membership, ended or not. */
struct cm_caremap_membership {
    enum cm_sector sector;
    const char *start_date; /* YYYY-MM-DD */
    const char *end_date;   /* YYYY-MM-DD, the first day it no longer counts; NULL while active */
};

/* The counts on one day. */
struct cm_caremap_point {
    char date[11];
    unsigned total;
    unsigned per_sector[CM_SECTOR_COUNT]; /* indexed by enum cm_sector; [CM_SECTOR_NONE] unused */
};

/* Counts on the last day of each month, from the month of the earliest start (or, when that is
 * more than max points back, the month max - 1 before today's) to the month before today's, then
 * on today itself, into out[max]; *n how many. A membership counts on day D when start <= D and
 * it has no end or end > D (team_member's rule for "active"), so a membership ended today no
 * longer counts today. Memberships starting after today are ignored. CM_EINVAL naming the
 * membership for a date that is not a real calendar date, or an end before its start; CM_EINVAL
 * when max is 0. No memberships: one point, today, all zero. */
CM_MUST_CHECK enum cm_code cm_caremap_history(const struct cm_caremap_membership *m, size_t n,
                                              const char *today, struct cm_caremap_point *out,
                                              size_t max, size_t *n_out, struct cm_err *err);

#endif
