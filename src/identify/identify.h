/*
 * identify: finds children with medical complexity in claims-style code files.
 *
 * It implements Pediatric Complex Chronic Conditions version 2 (Feudtner et al., BMC Pediatrics
 * 2014;14:199) exactly as the R package pccc 1.0.6 matches it, and CCC v2.0/v2.1/v3.0/v3.1 exactly
 * as the R package medicalcoder 0.6.0.9000 computes them (v3: Feinstein et al., JAMA Netw Open
 * 2024;7(7):e2420579), on long-format input (patient_id, code_type, code) or pccc's wide format
 * (patient_id, dx1.., pc1..), TSV or CSV. The published lists are embedded from data/codelists/ and
 * checked by SHA-256.
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
/* Columns of a wide-format file, patient_id included: a longer header fails the run. */
#define CM_IDENTIFY_WIDE_COLUMNS_MAX 1024
/* Malformed rows printed before the rest are only counted. */
#define CM_IDENTIFY_ERRORS_SHOWN 20

enum cm_identify_code_type { CM_IDENTIFY_DX, CM_IDENTIFY_PC };

struct cm_stratify_rules;
struct cm_stratify_encounters;
struct cm_identify_encounter_counts;

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

/* Describes the embedded file name (as cm_data_find knows it) for algorithm and icd: its rows
 * without the header and the SHA-256 of its bytes. CM_ENOTFOUND when it is not embedded. */
CM_MUST_CHECK enum cm_code cm_identify_list_describe(const char *name, const char *algorithm,
                                                     int icd, struct cm_identify_list_info *out,
                                                     struct cm_err *err);

/* Describes every embedded list into out[max] (*n set to how many). CM_ENOTFOUND when a list is
 * missing from the binary; CM_ETOOBIG when max is too small. */
CM_MUST_CHECK enum cm_code cm_identify_lists(struct cm_identify_list_info *out, size_t max,
                                             size_t *n, struct cm_err *err);

/* ---- CCC v2.0 / v2.1 / v3.0 / v3.1 as medicalcoder 0.6.0.9000 -------------------------------- */

/* Which algorithm a run computes. CM_IDENTIFY_CCC2 (0, the default) is CCC v2 as pccc 1.0.6; the
 * others are the four variants of the R package medicalcoder 0.6.0.9000 (`method = "pccc_vX.Y"`).
 */
enum cm_identify_algorithm {
    CM_IDENTIFY_CCC2 = 0,
    CM_IDENTIFY_MC_V20,
    CM_IDENTIFY_MC_V21,
    CM_IDENTIFY_MC_V30,
    CM_IDENTIFY_MC_V31,
    /* PMCA (identify/pmca.h), less and more conservative. Long input then has a claim_id column:
     * patient_id, claim_id, code_type, code; in wide format each row is one claim. */
    CM_IDENTIFY_PMCA_LESS,
    CM_IDENTIFY_PMCA_MORE,
};

/* medicalcoder's 11 conditions, in its output order (alphabetical); bit i of a mask is condition
 * i. misc holds technology and transplant codes of no body system. */
#define CM_MC_CONDITIONS 11
extern const char *const cm_identify_mc_conditions[CM_MC_CONDITIONS];

/* What codes matched for one patient (or one code): per condition, whether some matched row had
 * tech_dep_flag 0 (dxpr), tech_dep_flag 1 (tech), or both flags 1 (techtrans); and whether any
 * matched row had each flag. Hits combine by OR. */
#define CM_MC_ANY_TECH       0x1
#define CM_MC_ANY_TRANSPLANT 0x2
struct cm_identify_mc_hit {
    uint16_t dxpr, tech, techtrans;
    uint8_t flags; /* CM_MC_ANY_* */
};

struct cm_identify_mc;

/* Loads the embedded medicalcoder table (data/codelists/ccc_medicalcoder_0.6.0.9000_codes.tsv),
 * keeping the rows of variant alg (one of CM_IDENTIFY_MC_*) and ICD version icd (9 or 10; 0 keeps
 * both, as medicalcoder's comorbidities() does when icdv is not given: the ICD-9 code V56 then
 * matches too), into a matcher allocated in a. Errors as cm_identify_mc_parse; CM_ENOTFOUND when
 * not embedded. */
CM_MUST_CHECK enum cm_code cm_identify_mc_load(enum cm_identify_algorithm alg, int icd,
                                               struct cm_identify_mc **out, struct cm_arena *a,
                                               struct cm_err *err);

/* Builds a matcher from text in medicalcoder's get_pccc_codes() export format (header icdv, dx,
 * full_code, code, condition, subcondition, transplant_flag, tech_dep_flag, pccc_v3.1, pccc_v3.0,
 * pccc_v2.1, pccc_v2.0). Strict: anything else is CM_EINVAL "name:line: reason". */
CM_MUST_CHECK enum cm_code cm_identify_mc_parse(const char *name, const char *text, size_t len,
                                                enum cm_identify_algorithm alg, int icd,
                                                struct cm_identify_mc **out, struct cm_arena *a,
                                                struct cm_err *err);

/* What one patient code matches. As medicalcoder: a code matches a row of its type (dx or pc)
 * when it equals the row's full_code (dotted) or code (undotted); no prefixes. In reference mode
 * the code is compared byte for byte (so lowercase or padded codes match nothing); normalised
 * mode trims ASCII spaces and upper-cases first, keeping dots. */
struct cm_identify_mc_hit cm_identify_mc_match(const struct cm_identify_mc *m,
                                               enum cm_identify_code_type type, const char *code,
                                               size_t len, enum cm_identify_codes mode);

/* What a patient's row says in summary, by the rules of cm_identify_mc_write_row: the conditions
 * counted (bits as cm_identify_mc_conditions; num_cmrb is their number), any_tech_dep and
 * any_transplant. */
struct cm_identify_mc_summary {
    uint16_t counted;
    int num;
    bool any_tech, any_transplant;
};
struct cm_identify_mc_summary cm_identify_mc_summarise(enum cm_identify_algorithm alg,
                                                       const struct cm_identify_mc_hit *h);

/* Writes the TSV header of variant alg (without the line's end): patient_id, the condition columns
 * (v2: one per condition; v3: _dxpr_only, _tech_only, _dxpr_and_tech, _dxpr_or_tech per condition),
 * any_tech_dep, any_transplant, num_cmrb, cmrb_flag. */
void cm_identify_mc_write_header(enum cm_identify_algorithm alg, FILE *out);

/* Writes one patient's row (id and cells, without the line's end) from the OR of its hits,
 * applying medicalcoder's rules for alg: v2 counts every condition matched; v3 counts technology
 * dependence only when the patient also has a non-technology code or a technology-and-transplant
 * code. */
void cm_identify_mc_write_row(enum cm_identify_algorithm alg, const struct cm_identify_mc_hit *h,
                              const char *id, size_t id_len, FILE *out);

/* Describes the embedded medicalcoder table into *out (icd 0: it holds ICD-9 and ICD-10).
 * CM_ENOTFOUND when it is missing from the binary. */
CM_MUST_CHECK enum cm_code cm_identify_mc_list(struct cm_identify_list_info *out,
                                               struct cm_err *err);

/* ---- one patient's result, for stratification and the registry ------------------------------ */

/* A child's class, as PMCA names them (the SAS numbers). CCC algorithms know only complex chronic
 * conditions: a child they flag is complex chronic, any other child non-chronic. */
enum cm_identify_class {
    CM_IDENTIFY_NON_CHRONIC = 1,
    CM_IDENTIFY_NON_COMPLEX_CHRONIC = 2,
    CM_IDENTIFY_COMPLEX_CHRONIC = 3,
};

/* "non_chronic", "non_complex_chronic", "complex_chronic"; NULL for any other value. */
const char *cm_identify_class_name(enum cm_identify_class cls);

/* What a run concluded for one patient, handed to opts->on_result after the run succeeded, in
 * output order. Strings are NUL-terminated and valid only during the call. */
struct cm_identify_result {
    const char *patient_id;
    size_t id_len;
    enum cm_identify_class cls;
    /* CCC: the body-system categories flagged (technology and transplant not counted; pccc's 10,
     * medicalcoder's conditions other than misc). PMCA: the body systems its variant counted. */
    unsigned conditions;
    const char *condition_names; /* those categories or systems, comma-separated; "" for none */
    bool tech_dep;               /* CCC technology dependence (PMCA runs compute it from CCC v2) */
    bool transplant;             /* CCC transplant */
    bool progressive;            /* PMCA progressive condition; false for CCC */
    bool malignancy;             /* PMCA malignancy; CCC: the malignancy category */
    /* Stratification, when the run was given encounters (tier -1 and NULLs otherwise). */
    int tier;                /* 0 (no tier) to 3 */
    const char *tier_rule;   /* id of the rule that fired, e.g. "tier3-technology" */
    const char *tier_reason; /* that rule's reason in plain words */
    const struct cm_identify_encounter_counts *encounters; /* in the window; NULL when none */
};

/* Receives each patient's result. Returning anything but CM_OK stops the run with that code. */
typedef enum cm_code (*cm_identify_result_fn)(void *ctx, const struct cm_identify_result *r,
                                              struct cm_err *err);

/* ---- the streaming run ----------------------------------------------------------------------- */

/* How the input lays out a patient's codes. */
enum cm_identify_format {
    /* patient_id, code_type (dx|pc), code: one row per code, rows in any order. */
    CM_IDENTIFY_FORMAT_LONG = 0,
    /* patient_id, then columns dx<k> / pc<k> (k from 1, any order): one row per patient, every
     * non-empty cell a code of its column's type, as pccc takes its input. */
    CM_IDENTIFY_FORMAT_WIDE,
};

struct cm_identify_opts {
    int icd;                     /* 9 or 10; 0 (medicalcoder variants only) both */
    enum cm_identify_codes mode; /* reference or normalised */
    char delimiter;              /* '\t' or ','; 0 detects it from the header line */
    size_t max_errors;           /* malformed rows tolerated; more makes the run fail */
    const char *input_name;      /* for "FILE:LINE: reason"; "-" is shown as "<stdin>" */
    FILE *errors;                /* where malformed rows are reported (stderr in the command) */
    bool progress;               /* rewrite a progress line on errors about once a second */
    uint64_t input_bytes;        /* the input's size for the progress line's percent; 0 unknown */
    enum cm_identify_algorithm algorithm; /* CM_IDENTIFY_CCC2 unless set */
    enum cm_identify_format format;       /* CM_IDENTIFY_FORMAT_LONG unless set */
    unsigned threads;                     /* worker threads; 0 or 1 reads on the caller's thread */
    size_t chunk_bytes; /* bytes handed to a worker at a time; 0 is 1 MiB. A record may grow a
                           chunk to 64 times this, no more. */
    /* Stratification: both set, or both NULL (see identify/stratify.h). */
    const struct cm_stratify_rules *tiers;
    const struct cm_stratify_encounters *encounters;
    /* Called for every patient after the input was read without too many errors; may be NULL. */
    cm_identify_result_fn on_result;
    void *on_result_ctx;
};

struct cm_identify_stats {
    size_t rows;     /* data rows read, malformed or not */
    size_t patients; /* distinct patient ids, = output rows */
    size_t bad_rows; /* malformed rows */
};

/* Reads long-format (or, with opts->format, wide-format) rows from in, computes opts->algorithm's
 * columns per patient and writes the table to out as TSV. For CCC v2 (pccc): the header `patient_id
 * neuromusc ... transplant ccc_flag`, then one row per patient in order of first appearance. For
 * the medicalcoder variants: medicalcoder's columns (cm_identify_mc_write_header), rows sorted by
 * patient_id byte order as medicalcoder sorts them, a patient without matches all zeros. ccc_flag
 * is 1 when any of the 12 columns is 1, tech_dep and transplant included (pccc 1.0.6 and the
 * published SAS macro). A row with an empty code is a patient with no codes, not an error.
 *
 * Malformed rows (wrong column count, empty or over-long patient_id, code_type other than dx/pc,
 * invalid UTF-8, over-long code, bad CSV quoting; in wide format also a patient_id already seen
 * on an earlier row) are reported to opts->errors as "FILE:LINE:
 * reason", the first CM_IDENTIFY_ERRORS_SHOWN of them, then a count of the rest. Nothing is
 * written to out until the whole input is read, so a failed run writes nothing.
 *
 * Returns CM_OK; CM_EINVAL when the header is wrong or bad_rows > max_errors (err says which, and
 * nothing was written); CM_EIO on a read or write failure; CM_ENOMEM. stats (may be NULL) is
 * filled in every case. The output is the same for the same codes in either format: a wide row
 * is read as its cells in column order, each a long row of its column's type. */
CM_MUST_CHECK enum cm_code cm_identify_run(FILE *in, FILE *out, const struct cm_identify_opts *opts,
                                           struct cm_identify_stats *stats, struct cm_err *err);

#endif
