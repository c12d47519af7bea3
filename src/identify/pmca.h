/*
 * identify/pmca: the Pediatric Medical Complexity Algorithm (Simon TD et al., Pediatrics
 * 2014;133(6):e1647-e1654, doi:10.1542/peds.2013-3875), as the SAS macro %classify_dx and the
 * classification steps of pmca.sas (kpwhri/pmca v3.4.5 plus one later commit) define it.
 *
 * The rules are the ICD-10 branch of %classify_dx, one row per pattern, embedded from
 * data/codelists/pmca_icd10_sas_rules_v3.4.5.tsv. Rule numbers below are those of
 * /work/shared/reference/README.md section 3 ("PMCA classification rules"):
 *   1. dots are removed from every code; nothing else is normalised and matching is case-sensitive
 *      (trailing blanks are ignored too, because SAS pads character values with blanks and so
 * cannot see them);
 *   2. each claim is read as ICD-10 or ICD-9 as a whole (cm_pmca_claim_icd);
 *   3. a claim's flags are the OR of its codes' flags (cm_pmca_claim_flags);
 *   4. a child's flags count the claims that set each flag (struct cm_pmca_child);
 *   5. the less conservative class (cond_less) and
 *   6. the more conservative class (cond_more) (cm_pmca_child_classify).
 *
 * ICD-9: the ICD-9 branch of %classify_dx (with its exclusions) has not been converted, so there
 * are no ICD-9 rules. A claim that rule 2 classes as ICD-9 sets no flag at all; the caller can see
 * it happened from the icd that cm_pmca_claim_flags reports and must not read such a child as
 * non-chronic without saying so.
 *
 * Flags are a uint32_t: bit i (i < CM_PMCA_SYSTEMS) is body system cm_pmca_systems[i], in the SAS
 * order, then CM_PMCA_PROGRESSIVE and CM_PMCA_MALIGN. Malignancy is not a body system and is never
 * counted as one.
 *
 * Ownership: a rule set lives in the arena it was parsed into and is read-only afterwards, so one
 * rule set may be shared by threads. Everything else works on caller-owned values and allocates
 * nothing.
 */
#ifndef CM_IDENTIFY_PMCA_H
#define CM_IDENTIFY_PMCA_H

#include "core/core.h"

#include <stddef.h>
#include <stdint.h>

/* The 18 body-system variables of pmca.sas in its order (cardiac ... renal). otol is the ICD-10
 * name and otolar the ICD-9 one for the same system; SAS keeps both variables, and so do we. */
#define CM_PMCA_SYSTEMS 18
extern const char *const cm_pmca_systems[CM_PMCA_SYSTEMS];

#define CM_PMCA_SYSTEM_MASK ((UINT32_C(1) << CM_PMCA_SYSTEMS) - 1)
#define CM_PMCA_PROGRESSIVE (UINT32_C(1) << CM_PMCA_SYSTEMS)
#define CM_PMCA_MALIGN      (UINT32_C(1) << (CM_PMCA_SYSTEMS + 1))

/* The embedded rules file, as cm_data_find() knows it. */
#define CM_PMCA_RULES_NAME "codelists/pmca_icd10_sas_rules_v3.4.5.tsv"

/* ---- the rule set ---------------------------------------------------------------------------- */

struct cm_pmca_rules;

/* Parses the text of a rules file (header rule_no, sas_line, match, pattern, sas_literal, sets,
 * body_systems, malignancy, progressive; TAB-separated, LF line endings) into a rule set allocated
 * in a. name is used in error messages only. Strict: a wrong header or column count, a rule_no or
 * sas_line that is not a positive integer, a match other than prefix/exact, a pattern that is
 * empty, over 16 characters or not [A-Z0-9], a sas_literal that is not the pattern (an exact row
 * may add trailing blanks, as 'M358 '), an unknown or repeated variable in sets, body_systems that
 * are not the body systems of sets in their order, or a malignancy/progressive column that
 * disagrees with sets are CM_EINVAL with err->msg "name:line: reason". CM_ENOMEM when a is full. */
CM_MUST_CHECK enum cm_code cm_pmca_rules_parse(const char *name, const char *text, size_t len,
                                               struct cm_pmca_rules **out, struct cm_arena *a,
                                               struct cm_err *err);

/* Parses the embedded rules file (CM_PMCA_RULES_NAME) into a. CM_ENOTFOUND when it is not embedded;
 * otherwise as cm_pmca_rules_parse. */
CM_MUST_CHECK enum cm_code cm_pmca_rules_load(struct cm_pmca_rules **out, struct cm_arena *a,
                                              struct cm_err *err);

struct cm_identify_list_info;

/* Describes the embedded rules file as --list-versions prints it (icd 10). CM_ENOTFOUND when it
 * is missing from the binary. */
CM_MUST_CHECK enum cm_code cm_pmca_rules_info(struct cm_identify_list_info *out,
                                              struct cm_err *err);

/* The number of rule rows (patterns) parsed, without the header. */
size_t cm_pmca_rules_count(const struct cm_pmca_rules *r);

/* ---- one code (rules 1 and 3 of one code) ------------------------------------------------------
 */

/* The flags that one ICD-10 code sets: every rule it matches contributes all its flags. code is
 * len bytes, need not be NUL-terminated and may contain dots, which are removed first (rule 1);
 * trailing blanks are ignored, as SAS cannot see them. A prefix row matches a code that starts with
 * its pattern, an exact row only an equal code, byte for byte: 'm358' and ' M358' match nothing.
 * A code costs at most one binary search per pattern length, whatever the number of rules. */
uint32_t cm_pmca_code_flags(const struct cm_pmca_rules *r, const char *code, size_t len);

/* One rule row that a code matched, to show "the rule that fired". */
struct cm_pmca_rule_hit {
    unsigned rule_no;    /* the SAS `if` statement, numbered in order */
    unsigned sas_line;   /* its first line in pmca.sas */
    bool exact;          /* exact rather than prefix */
    const char *pattern; /* NUL-terminated, owned by the rule set */
    uint32_t flags;      /* what the row sets */
};

/* Writes to hits[max] the rule rows that code matches (as cm_pmca_code_flags), shortest pattern
 * first, and returns how many there are; only the first max are written. */
size_t cm_pmca_code_rules(const struct cm_pmca_rules *r, const char *code, size_t len,
                          struct cm_pmca_rule_hit *hits, size_t max);

/* ---- claims (rules 2 and 3) -------------------------------------------------------------------
 */

enum cm_pmca_icd {
    CM_PMCA_ICD_NONE = 0, /* no code has a first character rule 2 knows (empty claim, 'a15') */
    CM_PMCA_ICD9 = 9,
    CM_PMCA_ICD10 = 10,
};

/* Classes a claim of n codes as a whole (rule 2), each code read after dots are removed: ICD-10 if
 * any code starts with A-D, F-U or W-Z; otherwise ICD-9 if any starts with a digit; otherwise ICD-9
 * if any starts with V, else ICD-10 if any starts with E (the V rule is applied second in SAS, so
 * it wins); otherwise CM_PMCA_ICD_NONE. codes[i] is lens[i] bytes; lens may be NULL when every code
 * is NUL-terminated. */
enum cm_pmca_icd cm_pmca_claim_icd(const char *const *codes, const size_t *lens, size_t n);

/* Rule 2 one code at a time, for claims whose codes arrive on separate rows: what a code's first
 * character (after dots) says about its claim. OR the bits of a claim's codes and read them with
 * cm_pmca_icd_from_evidence, which gives what cm_pmca_claim_icd gives for the same codes. */
#define CM_PMCA_EV_ICD10_LETTER 0x1 /* A-D, F-U, W-Z */
#define CM_PMCA_EV_DIGIT        0x2
#define CM_PMCA_EV_E            0x4
#define CM_PMCA_EV_V            0x8
uint8_t cm_pmca_code_evidence(const char *code, size_t len);
enum cm_pmca_icd cm_pmca_icd_from_evidence(uint8_t ev);

/* The flags of one claim (rule 3): the OR of cm_pmca_code_flags over its codes when the claim is
 * ICD-10, 0 when it is ICD-9 (no ICD-9 rules; see the top of this header) or CM_PMCA_ICD_NONE.
 * *icd (may be NULL) receives the class of rule 2. codes and lens as cm_pmca_claim_icd. */
uint32_t cm_pmca_claim_flags(const struct cm_pmca_rules *r, const char *const *codes,
                             const size_t *lens, size_t n, enum cm_pmca_icd *icd);

/* ---- a child over its claims (rule 4) ----------------------------------------------------------
 */

/* Counts for one child over the claims of its window. Zero it (or call cm_pmca_child_init) before
 * the first claim. Counts saturate at UINT32_MAX. */
struct cm_pmca_child {
    uint32_t claims;                         /* claims added */
    uint32_t system_claims[CM_PMCA_SYSTEMS]; /* any<sys>2: claims flagging the system */
    uint32_t progressive_claims;             /* claims with a progressive code */
    uint32_t malign_claims;                  /* claims with a malignancy code */
};

/* Resets c to a child with no claims. */
void cm_pmca_child_init(struct cm_pmca_child *c);

/* Adds one claim whose flags (from cm_pmca_claim_flags) are flags. */
void cm_pmca_child_add_claim(struct cm_pmca_child *c, uint32_t flags);

/* The child's any<sys>, anyprogressive and anymalign as one flag mask: a bit is set when at least
 * one claim set it. */
uint32_t cm_pmca_child_any(const struct cm_pmca_child *c);

/* ---- classification (rules 5 and 6) ------------------------------------------------------------
 */

enum cm_pmca_variant {
    CM_PMCA_LESS, /* cond_less: a system counts when one claim flags it (rule 5) */
    CM_PMCA_MORE, /* cond_more: a system counts when two claims flag it (rule 6) */
};

/* The SAS class numbers. */
enum cm_pmca_class {
    CM_PMCA_NON_CHRONIC = 1,
    CM_PMCA_NON_COMPLEX_CHRONIC = 2,
    CM_PMCA_COMPLEX_CHRONIC = 3,
};

struct cm_pmca_result {
    enum cm_pmca_variant variant;
    enum cm_pmca_class cls;
    unsigned scount;  /* scount_less or scount_more: the body systems counted */
    uint32_t systems; /* which systems were counted (bits as cm_pmca_systems) */
    bool progressive; /* anyprogressive: one claim is enough in both variants */
    bool malign;      /* anymalign: one claim is enough in both variants */
};

/* Classifies a child (rule 5 for CM_PMCA_LESS, rule 6 for CM_PMCA_MORE): complex chronic when
 * scount >= 2 or any progressive or any malignancy code; otherwise non-complex chronic when
 * scount = 1; otherwise non-chronic. */
void cm_pmca_child_classify(const struct cm_pmca_child *c, enum cm_pmca_variant v,
                            struct cm_pmca_result *out);

/* "non_chronic", "non_complex_chronic", "complex_chronic"; NULL for any other value. */
const char *cm_pmca_class_name(enum cm_pmca_class cls);

/* "less" or "more"; NULL for any other value. */
const char *cm_pmca_variant_name(enum cm_pmca_variant v);

/* Writes into buf[size] why r has its class, naming the rule that fired, e.g.
 * "complex_chronic (more): 2 body systems on 2+ claims (cardiac, neuro); progressive",
 * "non_complex_chronic (less): 1 body system (neuro)", "non_chronic (less): no body system".
 * Only ids and variable names: no code text, so it is safe to log. CM_ETOOBIG (buf holds the
 * truncated text) when size is too small; CM_EINVAL for a result with an unknown class. */
CM_MUST_CHECK enum cm_code cm_pmca_result_describe(const struct cm_pmca_result *r, char *buf,
                                                   size_t size, struct cm_err *err);

#endif
