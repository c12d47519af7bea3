/*
 * identify: finds children with medical complexity in claims-style code files.
 *
 * This first slice implements Pediatric Complex Chronic Conditions version 2 (Feudtner et al.,
 * BMC Pediatrics 2014;14:199) exactly as the R package pccc 1.0.6 matches it, on long-format input
 * (patient_id, code_type, code), TSV or CSV. The published lists are embedded from data/codelists/
 * and checked by SHA-256.
 *
 * Ownership: a matcher lives in the arena it was loaded into; the caller frees that arena. The
 * streaming run owns its own memory and releases it before returning: it grows with the number of
 * distinct patients, never with the number of rows.
 */
#ifndef CM_IDENTIFY_H
#define CM_IDENTIFY_H

#include "core/core.h"

#include <stdint.h>
#include <stdio.h>

/* The 12 CCC v2 columns, in pccc's output order; bit i of a mask is column i. */
#define CM_CCC2_COLUMNS 12
extern const char *const cm_identify_ccc2_columns[CM_CCC2_COLUMNS];

/* Limits on input fields: a longer field makes its row malformed. */
#define CM_IDENTIFY_CODE_MAX       64
#define CM_IDENTIFY_PATIENT_ID_MAX 128
/* Malformed rows printed before the rest are only counted. */
#define CM_IDENTIFY_ERRORS_SHOWN 20

enum cm_identify_code_type { CM_IDENTIFY_DX, CM_IDENTIFY_PC };

/* How patient codes are compared with the listed strings. */
enum cm_identify_codes {
    /* As pccc 1.0.6: byte-exact prefixes, case-sensitive, nothing trimmed or removed. */
    CM_IDENTIFY_CODES_REFERENCE,
    /* ASCII spaces trimmed at both ends, ASCII letters upper-cased and dots removed first. */
    CM_IDENTIFY_CODES_NORMALISED,
};

/* ---- code lists and the matcher -------------------------------------------------------------- */

struct cm_identify_ccc2;

/* Loads the embedded CCC v2 list for icd (9 or 10) into a matcher allocated in a. A malformed list
 * is CM_EINVAL naming "list:line: reason"; CM_ENOTFOUND when the list is not embedded; CM_ENOMEM
 * when a is full. */
CM_MUST_CHECK enum cm_code cm_identify_ccc2_load(int icd, struct cm_identify_ccc2 **out,
                                                 struct cm_arena *a, struct cm_err *err);

/* Builds a matcher from the text of a list in pccc's export format (header category,
 * category_label, code_type, match, code, is_flag_only). name is used in error messages only.
 * Strict: a wrong header, column count, category, code type, match kind, flag or an empty or
 * over-long code is CM_EINVAL "name:line: reason". */
CM_MUST_CHECK enum cm_code cm_identify_ccc2_parse(const char *name, const char *text, size_t len,
                                                  struct cm_identify_ccc2 **out, struct cm_arena *a,
                                                  struct cm_err *err);

/* The 12-bit category mask that one patient code sets (0 for none; an empty code never matches).
 * In reference mode code is compared byte for byte: a prefix row matches a code that starts with
 * it, an exact row only an equal code (CCC v2 as pccc 1.0.6: G80 is exact, G800 a prefix). */
uint16_t cm_identify_ccc2_match(const struct cm_identify_ccc2 *m, enum cm_identify_code_type type,
                                const char *code, size_t len, enum cm_identify_codes mode);

/* One embedded list, as --list-versions prints it. */
struct cm_identify_list_info {
    const char *algorithm; /* "ccc2" */
    int icd;               /* 9 or 10 */
    const char *name;      /* "codelists/ccc_v2_icd10_pccc_1.0.6.tsv" */
    size_t rows;           /* rows without the header */
    char sha256[65];       /* lowercase hex of the file's bytes */
};

/* Describes every embedded list into out[max] (*n set to how many). CM_ENOTFOUND when a list is
 * missing from the binary; CM_ETOOBIG when max is too small. */
CM_MUST_CHECK enum cm_code cm_identify_lists(struct cm_identify_list_info *out, size_t max,
                                             size_t *n, struct cm_err *err);

/* ---- the streaming run ----------------------------------------------------------------------- */

struct cm_identify_opts {
    int icd;                     /* 9 or 10 */
    enum cm_identify_codes mode; /* reference or normalised */
    char delimiter;              /* '\t' or ','; 0 detects it from the header line */
    size_t max_errors;           /* malformed rows tolerated; more makes the run fail */
    const char *input_name;      /* for "FILE:LINE: reason"; "-" is shown as "<stdin>" */
    FILE *errors;                /* where malformed rows are reported (stderr in the command) */
    bool progress;               /* print a progress line on errors every million rows */
};

struct cm_identify_stats {
    size_t rows;     /* data rows read, malformed or not */
    size_t patients; /* distinct patient ids, = output rows */
    size_t bad_rows; /* malformed rows */
};

/* Reads long-format rows from in, computes the CCC v2 columns per patient and writes the table to
 * out as TSV: the header `patient_id neuromusc ... transplant ccc_flag`, then one row per patient
 * in order of first appearance. ccc_flag is 1 when any of the 12 columns is 1, tech_dep and
 * transplant included (pccc 1.0.6 and the published SAS macro). A row with an empty code is a
 * patient with no codes, not an error.
 *
 * Malformed rows (wrong column count, empty or over-long patient_id, code_type other than dx/pc,
 * invalid UTF-8, over-long code, bad CSV quoting) are reported to opts->errors as "FILE:LINE:
 * reason", the first CM_IDENTIFY_ERRORS_SHOWN of them, then a count of the rest. Nothing is
 * written to out until the whole input is read, so a failed run writes nothing.
 *
 * Returns CM_OK; CM_EINVAL when the header is wrong or bad_rows > max_errors (err says which, and
 * nothing was written); CM_EIO on a read or write failure; CM_ENOMEM. stats (may be NULL) is
 * filled in every case. */
CM_MUST_CHECK enum cm_code cm_identify_run(FILE *in, FILE *out, const struct cm_identify_opts *opts,
                                           struct cm_identify_stats *stats, struct cm_err *err);

#endif
