/*
 * cmd/identify_load: `caremap identify --load --db FILE --as USER` records a run and its results in
 * the registry, so analysts see candidates by tier in the API and the UI. One transaction: the run
 * is there with every result, or not at all.
 *
 * Use: begin, then pass cmd_identify_load_result as opts.on_result (ctx the load), then commit;
 * free in every case (it rolls back what was not committed).
 */
#ifndef CM_CMD_IDENTIFY_LOAD_H
#define CM_CMD_IDENTIFY_LOAD_H

#include "core/core.h"
#include "identify/identify.h"

struct cmd_identify_load;

/* What the registry records about a run besides its results. Strings are borrowed. */
struct cmd_identify_run_info {
    const char *algorithm;       /* "ccc2", "ccc3.1", "pmca", "pmca-conservative", ... */
    const char *codes_mode;      /* "reference" or "normalised" */
    const char *list_name;       /* the code list or rules file, as --list-versions names it */
    const char *list_sha256;     /* its SHA-256, lowercase hex */
    const char *input_name;      /* the codes file as given ("-" for standard input) */
    const char *encounters_name; /* NULL when the run was not stratified */
    const char *tiers_name;      /* NULL when not stratified */
    const char *tiers_sha256;    /* NULL when not stratified */
    const char *as_of; /* the encounter window's end, YYYY-MM-DD; NULL when not stratified */
};

/* Opens the database of cfg (migrated to the current version, else CM_ECONFLICT telling to run
 * `caremap migrate`), checks that username is an active administrator, program manager or analyst,
 * and prepares the run, owned by that user's program. The write transaction begins with the first
 * result, so the database is not locked while the claims are read; it is still all or nothing.
 * CM_ENOTFOUND for an unknown user, CM_EFORBIDDEN for another role. */
CM_MUST_CHECK enum cm_code cmd_identify_load_begin(const struct cm_config *cfg,
                                                   const char *username,
                                                   const struct cmd_identify_run_info *info,
                                                   struct cmd_identify_load **out,
                                                   struct cm_err *err);

/* A cm_identify_result_fn: records one patient's result. ctx is the struct cmd_identify_load. */
enum cm_code cmd_identify_load_result(void *ctx, const struct cm_identify_result *r,
                                      struct cm_err *err);

/* Records the run's counts, writes the audit event (identify.load, no child, counts only) and
 * commits. *run_id receives the new run's id. */
CM_MUST_CHECK enum cm_code cmd_identify_load_commit(struct cmd_identify_load *l,
                                                    const struct cm_identify_stats *st,
                                                    int64_t *run_id, struct cm_err *err);

/* Rolls back anything not committed and closes the database. NULL is fine. */
void cmd_identify_load_free(struct cmd_identify_load *l);

#endif
