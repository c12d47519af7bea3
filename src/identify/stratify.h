/*
 * identify/stratify: assigns each identified child a care coordination tier (0 to 3) from its
 * classification (identify.h: struct cm_identify_result) and its encounters in a recent window
 * (ED visits, admissions, ... from a claims-derived file `patient_id, date, type`). The tier rules
 * are data: a JSON file (data/stratify/tiers.json is embedded as the default; docs/stratify.md
 * describes the format), parsed strictly so that a typo fails the run instead of tiering children
 * silently by a rule nobody wrote.
 *
 * Ownership: everything a function returns lives in the arena it was given and dies with it; the
 * rules and the encounters table are read-only once built, so worker threads may share them. The
 * strings of a struct cm_stratify_tier belong to the rules.
 */
#ifndef CM_IDENTIFY_STRATIFY_H
#define CM_IDENTIFY_STRATIFY_H

#include "identify/identify.h"

#include <stdbool.h>
#include <stdint.h>
#include <stdio.h>

/* Encounter types, lower-case names in files: ed, admission, observation, specialty,
 * primary_care, home_health, other. */
enum cm_encounter_type {
    CM_ENC_ED,
    CM_ENC_ADMISSION,
    CM_ENC_OBSERVATION,
    CM_ENC_SPECIALTY,
    CM_ENC_PRIMARY_CARE,
    CM_ENC_HOME_HEALTH,
    CM_ENC_OTHER,
    CM_ENC_TYPES
};

/* The file name of type t ("ed", "primary_care", ...); NULL for any other value. */
const char *cm_encounter_type_name(enum cm_encounter_type t);

/* One patient's encounters by type, counting only those inside the window (saturating at
 * UINT32_MAX). */
struct cm_identify_encounter_counts {
    uint32_t n[CM_ENC_TYPES];
};

/* ---- the tier rules ------------------------------------------------------------------------- */

/* Parsed tier rules, read-only after parse, shareable by threads. */
struct cm_stratify_rules;

/* Parses the len bytes of a rules JSON text (docs/stratify.md) into *out, allocated in a. name is
 * used in messages and as cm_stratify_rules_name. Strict: invalid JSON is CM_EINVAL
 * "name:line:column: what"; every other problem (a missing, unknown or duplicate key, a value of
 * the wrong type or out of range, tiers outside 1..3 or repeated, a tier or a rule without rules
 * or conditions, a rule id not [a-z0-9-]{1,40} or used twice, a reason missing, empty or over 200
 * bytes) is CM_EINVAL "name: <json path>: reason", e.g.
 * "tiers.json: tiers[1].rules[0].when.admissions_min: must be an integer 0..1000". CM_ENOMEM
 * when a is full. *out is set only on success. */
CM_MUST_CHECK enum cm_code cm_stratify_rules_parse(const char *name, const char *text, size_t len,
                                                   struct cm_stratify_rules **out,
                                                   struct cm_arena *a, struct cm_err *err);

/* Loads the rules at path, or with path NULL the embedded data/stratify/tiers.json (its name is
 * then "stratify/tiers.json"). CM_EIO "path: reason" when the file cannot be read, CM_ETOOBIG when
 * it is over 1 MiB, CM_ENOTFOUND when the default is not embedded; otherwise as
 * cm_stratify_rules_parse. */
CM_MUST_CHECK enum cm_code cm_stratify_rules_load(const char *path, struct cm_stratify_rules **out,
                                                  struct cm_arena *a, struct cm_err *err);

/* "stratify/tiers.json" for the embedded default, else the path or name the rules came from. */
const char *cm_stratify_rules_name(const struct cm_stratify_rules *r);
/* Lowercase hex SHA-256 of the rules text's bytes, as parsed, for the run's record. */
const char *cm_stratify_rules_sha256(const struct cm_stratify_rules *r);
/* How many calendar months of encounters the rules look at (1 to 120). */
unsigned cm_stratify_rules_window_months(const struct cm_stratify_rules *r);

/* ---- the encounters file -------------------------------------------------------------------- */

/* Per distinct patient with an encounter inside the window: counts by type. */
struct cm_stratify_encounters;

struct cm_stratify_enc_opts {
    const char *input_name; /* for "FILE:LINE: reason"; "-" (or NULL) shown as <stdin> */
    char delimiter;         /* 0 detect (tab in header -> TSV, else comma -> CSV), '\t' or ',' */
    size_t max_errors;      /* malformed rows tolerated */
    FILE *errors;           /* where malformed rows are reported (NULL: stderr) */
    const char *as_of;      /* YYYY-MM-DD, window end inclusive; NULL: the latest date in the file
                               (needs a seekable file: two passes; on stdin without as_of:
                               CM_EINVAL "encounters from standard input need --as-of") */
    unsigned window_months; /* 1..120: window = (as_of minus window_months months, as_of] */
};

struct cm_stratify_enc_stats {
    size_t rows;           /* data rows read, malformed or not */
    size_t patients;       /* distinct patients with an encounter inside the window */
    size_t bad_rows;       /* malformed rows */
    size_t outside_window; /* good rows dated on or before the window's start or after as_of */
    char as_of[11];        /* the window's end used ("" when none was found) */
};

/* Reads `patient_id, date, type` rows (the header exactly that; rows in any order; date
 * YYYY-MM-DD, a real calendar date; type one of the names above; one row per encounter) from in,
 * and counts each patient's encounters by type inside the window. The window's start is as_of
 * minus window_months calendar months, a day that does not exist in the target month becoming
 * that month's last day (2024-02-29 minus 12 months is 2023-02-28); an encounter on the start day
 * is outside, one on the next day inside, one on as_of inside, one after as_of outside.
 *
 * Malformed rows (wrong column count, empty line, empty or over-long patient_id (> 128 bytes), a
 * patient_id holding a tab or line break, bad date, unknown type, invalid UTF-8, CSV quoting
 * errors) are reported to o->errors as "FILE:LINE: reason" exactly as cm_identify_run reports its
 * rows: the first CM_IDENTIFY_ERRORS_SHOWN, then "N more malformed rows in FILE not shown". More
 * than o->max_errors makes it CM_EINVAL, and *out is not set.
 *
 * Memory grows with the distinct patients that have an encounter in the window, never with rows.
 * The table lives in a; the reader's buffers are released before returning.
 *
 * Returns CM_OK; CM_EINVAL for bad options, a wrong header, an empty input, too many malformed
 * rows, stdin (or an unseekable file) without as_of, or a file with no valid date to take as_of
 * from; CM_EIO on a read error; CM_ENOMEM when a is full. st (may be NULL) is filled in every case.
 */
CM_MUST_CHECK enum cm_code
cm_stratify_encounters_read(FILE *in, const struct cm_stratify_enc_opts *o,
                            struct cm_stratify_encounters **out, struct cm_arena *a,
                            struct cm_stratify_enc_stats *st, struct cm_err *err);

/* The counts of the patient whose id is the len bytes at id, NULL when the file has no encounter
 * of theirs in the window (or e is NULL). */
const struct cm_identify_encounter_counts *
cm_stratify_encounters_find(const struct cm_stratify_encounters *e, const char *id, size_t len);

/* ---- assignment ----------------------------------------------------------------------------- */

/* What the rules look at for one child (from struct cm_identify_result). */
struct cm_stratify_child {
    enum cm_identify_class cls;
    bool tech_dep, transplant, progressive, malignancy;
    unsigned conditions;                               /* body systems / CCC categories */
    const struct cm_identify_encounter_counts *counts; /* NULL = none (all zero) */
};

/* The tier a child gets. Strings are owned by the rules. */
struct cm_stratify_tier {
    int tier;            /* 0 (no tier) to 3 */
    const char *rule_id; /* the rule that fired, "none" when none did */
    const char *reason;  /* that rule's reason, or the file's no_tier_reason */
};

/* Tiers are tried from the highest down; within a tier, rules in file order; the first rule whose
 * every condition holds fires. No rule fires: tier 0, rule_id "none", reason the file's
 * no_tier_reason. Pure and thread-safe. */
void cm_stratify_assign(const struct cm_stratify_rules *r, const struct cm_stratify_child *c,
                        struct cm_stratify_tier *out);

#endif
