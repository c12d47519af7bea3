/*
 * demo_identify: the demo's two identification runs, so "Find children" has something to show the
 * moment `caremap demo` ends. Two months of synthetic claims (about 300 members each, member ids
 * M000123 ...) and encounters are written in memory and loaded as the demo analyst exactly as
 * `caremap identify --algorithm pmca --encounters FILE --as-of DATE --load --as analyst.jo FILE`
 * loads them (cmd/identify_load.h), stratified with the embedded default tiers. A few of the
 * demo's children carry the member id of a candidate (their claims are their plan's conditions),
 * so some candidates show as already enrolled.
 *
 * PMCA rather than CCC v2: with a CCC algorithm every child is complex chronic or non-chronic, so
 * tier 1 (non-complex chronic) would always be empty (docs/stratify.md); PMCA fills all three.
 *
 * Deterministic: the claims are a function of the seed and of the calendar month of `now` (the
 * runs are for the two months before it, so the demo always looks current). What the store stamps
 * with the clock (the runs' created_at, the enrolment links) differs between two builds.
 */
#ifndef CM_CMD_DEMO_IDENTIFY_H
#define CM_CMD_DEMO_IDENTIFY_H

#include "core/core.h"
#include "store/store.h"

#include <stdio.h>

/* Children of the demo that the claims know, and that carry their candidate's member id. */
#define CMD_DEMO_IDENTIFY_ENROLLED 6

/* What was loaded; index 0 is the earlier month, 1 the later. */
struct cmd_demo_identify_summary {
    int64_t run_id[2];
    char month[2][8];       /* "2026-09" */
    char input_name[2][48]; /* the claims "file" each run records */
    int64_t patients[2];    /* members in that month's claims */
    int64_t candidates[2];  /* members with a tier */
    int64_t tiers[2][4];    /* members per tier (0: none) */
    int64_t compare[3];     /* the later run against the earlier: new, changed tier, dropped */
    size_t enrolled;        /* demo children given a candidate's member id */
};

/* Loads the two runs into the demo database that cmd_demo_build just built and committed in the
 * file cfg->db: each in its own transaction through cmd_identify_load_begin/result/commit (two
 * identify.load audit events by analyst.jo), then, in one write transaction on c (which must have
 * none open), enrols CMD_DEMO_IDENTIFY_ENROLLED of the demo's children from the earlier run as the
 * API's enrol route does (cm_store_registry_enrol and an identify.enrol audit event each, by
 * analyst.jo, at now). seed is the demo's. Nothing is logged or kept but ids and counts.
 *
 * Returns CM_OK; CM_ENOTFOUND when the demo analyst or the demo children are missing; CM_EINTERNAL
 * when an embedded code list does not classify the codes as this file expects; otherwise the
 * store's, the loader's or the identify run's code. A run that failed leaves nothing behind; one
 * already committed stays. */
CM_MUST_CHECK enum cm_code cmd_demo_identify(const struct cm_config *cfg, struct cm_conn *c,
                                             uint64_t seed, int64_t now,
                                             struct cmd_demo_identify_summary *out,
                                             struct cm_err *err);

/* Prints what was loaded, for the end of `caremap demo`'s summary. */
void cmd_demo_identify_print(const struct cmd_demo_identify_summary *s, FILE *out);

#endif
