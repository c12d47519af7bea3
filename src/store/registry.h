/*
 * store/registry: the identification registry. Runs of `caremap identify --load` and their
 * results (one per patient of the claims file), the candidates a run flagged, whether each is
 * enrolled (a child of the program carries its member id), enrolling one, and the comparison of
 * two runs. Schema: migrations/sqlite/0003_identify.sql; contract: docs/api.md, "Finding children".
 *
 * Program scope lives in the SQL: every read takes the program id and a run of another program is
 * CM_ENOTFOUND exactly as a missing one. Who may call these (administrator, program manager,
 * analyst) is the caller's decision.
 *
 * Memory: strings in returned structs are allocated in the arena passed in. A load owns its
 * prepared statement and frees it in cm_store_registry_load_free.
 * Statements: SQL lives in registry.c's own statement table, prepared per call (the API's reads)
 * or once per load (the million-row insert); cm_store_registry_statements_check prepares every one
 * so a typo fails in the unit test.
 */
#ifndef CM_STORE_REGISTRY_H
#define CM_STORE_REGISTRY_H

#include "core/core.h"
#include "store/store.h"

/* Encounter types counted per patient by a stratified run, in the order of
 * identify/stratify.h's enum cm_encounter_type (the JSON names are cm_store_registry_enc_name). */
#define CM_REGISTRY_ENC_TYPES 7

/* "ed", "admission", "observation", "specialty", "primary_care", "home_health", "other";
 * NULL past the end. */
const char *cm_store_registry_enc_name(size_t i);

/* A run. Strings are borrowed on input and arena copies on output. */
struct cm_registry_run {
    int64_t id;
    int64_t program_id;
    int64_t created_at;
    int64_t created_by;
    const char *created_by_name; /* filled by reads */
    const char *algorithm;       /* "ccc2", "ccc3.1", "pmca", ... */
    const char *codes_mode;      /* "reference" or "normalised" */
    const char *list_name;
    const char *list_sha256;
    const char *input_name;
    /* All four set for a stratified run, all NULL otherwise. */
    const char *encounters_name;
    const char *tiers_name;
    const char *tiers_sha256;
    const char *as_of;
    /* Filled by the load's finish and by reads. */
    int64_t rows, patients, bad_rows;
    int64_t complex_chronic, non_complex_chronic, non_chronic;
    int64_t tiers[4]; /* patients per tier (0: none); zeros for a run without tiers */
    int64_t candidates;
    int64_t enrolled; /* reads only: candidates enrolled now */
};

/* True when the run was stratified (it has tiers). */
bool cm_store_registry_run_stratified(const struct cm_registry_run *r);

/* One patient of a run. */
struct cm_registry_result {
    int64_t id; /* the candidate id of the API */
    int64_t run_id;
    const char *patient_id;      /* the claims member id */
    const char *cls;             /* "complex_chronic", "non_complex_chronic", "non_chronic" */
    int64_t conditions;          /* categories or body systems flagged */
    const char *condition_names; /* comma-separated, "" for none */
    bool tech_dep, transplant, progressive, malignancy;
    int tier;                /* 0-3; -1 for a run without tiers */
    const char *tier_rule;   /* NULL for a run without tiers */
    const char *tier_reason; /* the rule's reason; NULL for a run without tiers */
    uint32_t encounters[CM_REGISTRY_ENC_TYPES]; /* in the window; zeros without tiers */
    int64_t child_id; /* reads only: the enrolled child, 0 when not enrolled */
};

/* ---- loading a run --------------------------------------------------------------------------- */

/* Checks, without creating or migrating anything, that the database file at path exists and has
 * every migration this binary embeds. CM_ECONFLICT "run `caremap migrate`" when some are missing;
 * CM_EIO when the file cannot be opened as a database. */
CM_MUST_CHECK enum cm_code cm_store_registry_schema_check(const char *path, struct cm_err *err);

struct cm_registry_load;

/* Prepares to record run (program and author from v, created_at = now; counts ignored; strings
 * copied) on c, which must have no transaction open. *out receives the load; free it in every
 * case. The write transaction begins, and the run is recorded unsealed, at the first result (or
 * at finish): the database's write lock is not held while the claims file is read. The
 * connection's page cache is raised while the load is open. CM_EINVAL naming a missing field. */
CM_MUST_CHECK enum cm_code cm_store_registry_load_begin(struct cm_conn *c,
                                                        const struct cm_viewer *v, int64_t now,
                                                        const struct cm_registry_run *run,
                                                        struct cm_registry_load **out,
                                                        struct cm_err *err);

/* Records one result (id, run_id and child_id are ignored). tier must be 0-3 with a tier_rule and
 * tier_reason for a stratified run, -1 otherwise (CM_EINVAL "tier"). A patient_id given twice is
 * CM_ECONFLICT "patient_id"; a rule id seen before with another tier or reason is CM_EINVAL
 * "tier_rule". Counts the run's classes, tiers and candidates as it goes. */
CM_MUST_CHECK enum cm_code cm_store_registry_load_add(struct cm_registry_load *l,
                                                      const struct cm_registry_result *r,
                                                      struct cm_err *err);

/* Writes the run's counts (rows, patients and bad_rows as given; the rest as counted), seals it
 * and fills *run (counts and id) when run is not NULL. The transaction stays open: the caller
 * appends its audit event and commits with cm_store_commit, or frees the load to roll back. */
CM_MUST_CHECK enum cm_code cm_store_registry_load_finish(struct cm_registry_load *l, int64_t rows,
                                                         int64_t patients, int64_t bad_rows,
                                                         struct cm_registry_run *run,
                                                         struct cm_err *err);

/* Finalises the statement, rolls back the transaction if it is still open (a load that was not
 * committed leaves nothing) and frees l. NULL is fine. */
void cm_store_registry_load_free(struct cm_registry_load *l);

/* ---- reading --------------------------------------------------------------------------------- */

struct cm_registry_run_list {
    struct cm_registry_run *items;
    size_t count;
    int64_t total;
};
/* The program's runs, newest first (created_at, then id), paged (limit 1-200, offset >= 0). */
CM_MUST_CHECK enum cm_code cm_store_registry_run_list(struct cm_conn *c, int64_t program_id,
                                                      int limit, int offset,
                                                      struct cm_registry_run_list *out,
                                                      struct cm_arena *a, struct cm_err *err);
/* One run of the program; CM_ENOTFOUND "no such run" for a missing one or another program's. */
CM_MUST_CHECK enum cm_code cm_store_registry_run_get(struct cm_conn *c, int64_t program_id,
                                                     int64_t id, struct cm_registry_run *out,
                                                     struct cm_arena *a, struct cm_err *err);

/* Which candidates to list. */
enum cm_registry_enrolled { CM_REGISTRY_NOT_ENROLLED = 0, CM_REGISTRY_ENROLLED, CM_REGISTRY_ANY };
struct cm_registry_filter {
    int tier;        /* 1-3, or 0 for every candidate (a run without tiers takes only 0) */
    const char *cls; /* a class name, or NULL for any */
    enum cm_registry_enrolled enrolled;
    int limit; /* 1-200 */
    int offset;
};
struct cm_registry_result_list {
    struct cm_registry_result *items;
    size_t count;
    int64_t total; /* candidates matching the filter, ignoring limit/offset */
};
/* Candidates of run run_id of the program, highest level first then patient_id. The run must
 * exist (CM_ENOTFOUND otherwise); a tier filter on a run without tiers is CM_EINVAL "tier". */
CM_MUST_CHECK enum cm_code cm_store_registry_candidates(struct cm_conn *c, int64_t program_id,
                                                        int64_t run_id,
                                                        const struct cm_registry_filter *f,
                                                        struct cm_registry_result_list *out,
                                                        struct cm_arena *a, struct cm_err *err);
/* Result id of run run_id of the program (any patient, candidate or not), with child_id.
 * CM_ENOTFOUND "no such candidate". */
CM_MUST_CHECK enum cm_code cm_store_registry_result_get(struct cm_conn *c, int64_t program_id,
                                                        int64_t run_id, int64_t id,
                                                        struct cm_registry_result *out,
                                                        struct cm_arena *a, struct cm_err *err);

/* ---- comparing two runs ---------------------------------------------------------------------- */

enum cm_registry_change { CM_REGISTRY_NEW = 0, CM_REGISTRY_CHANGED, CM_REGISTRY_DROPPED };
#define CM_REGISTRY_CHANGES 3
/* "new", "changed", "dropped"; NULL for another value. */
const char *cm_store_registry_change_name(enum cm_registry_change c);

/* One patient on one side of a comparison. */
struct cm_registry_side {
    int64_t result_id; /* 0: not a candidate on this side */
    const char *cls;
    int tier; /* -1 for a run without tiers */
};
struct cm_registry_compare_item {
    const char *patient_id;
    struct cm_registry_side before; /* in the earlier run (`with`) */
    struct cm_registry_side after;  /* in this run */
    int64_t child_id;               /* the enrolled child, 0 when not enrolled */
};
struct cm_registry_compare {
    int64_t counts[CM_REGISTRY_CHANGES];
    struct cm_registry_compare_item *items; /* of the asked category, by patient_id */
    size_t count;
};
/* Compares the candidates of run run_id with those of run with_id (both of the program:
 * CM_ENOTFOUND with field "with" for the second) by patient_id: new, changed (tier when both runs
 * are stratified, class otherwise) and dropped; counts all three and pages one. */
CM_MUST_CHECK enum cm_code cm_store_registry_compare(struct cm_conn *c, int64_t program_id,
                                                     int64_t run_id, int64_t with_id,
                                                     enum cm_registry_change category, int limit,
                                                     int offset, struct cm_registry_compare *out,
                                                     struct cm_arena *a, struct cm_err *err);

/* ---- enrolling ------------------------------------------------------------------------------- */

/* Inside the caller's write transaction, after cm_store_child_create made child_id in v's program:
 * gives the child the member id of result result_id of run run_id and records who enrolled it
 * (v, now). CM_ECONFLICT "patient_id" when a child of the program already has that member id;
 * CM_ENOTFOUND when the result or the child is not in v's program. */
CM_MUST_CHECK enum cm_code cm_store_registry_enrol(struct cm_conn *c, const struct cm_viewer *v,
                                                   int64_t now, int64_t run_id, int64_t result_id,
                                                   int64_t child_id, struct cm_err *err);

/* Prepares every statement of registry.c once on c (and finalises them): CM_EDB naming the first
 * that does not prepare. For the unit test. */
CM_MUST_CHECK enum cm_code cm_store_registry_statements_check(struct cm_conn *c,
                                                              struct cm_err *err);

#endif
