/*
 * plan: the shared plan of care. For now this header holds only the plain-language readability
 * check (issue 5); plan assembly, versions and family review come later and will be declared here.
 *
 * Readability is pure computation: no I/O, no allocation. Text is borrowed for the duration of
 * the call; results are written into caller-owned structs, and sentence positions are byte offsets
 * into the caller's text. See docs/readability.md for the formulas, sources and known limits.
 */
#ifndef CM_PLAN_H
#define CM_PLAN_H

#include "core/core.h"

/* The grade a family-facing text should not exceed unless configured otherwise (issue 5). */
#define CM_PLAN_READABILITY_TARGET_DEFAULT 6.0
/* The longest text one call scores; longer texts get CM_ETOOBIG (a plan section is far shorter). */
#define CM_PLAN_READABILITY_MAX_BYTES (1024 * 1024)

/* The score of a whole text. */
struct cm_readability {
    size_t sentences;
    size_t words;
    size_t syllables;
    /* en: Flesch-Kincaid grade level. es: Fernandez-Huerta reading ease (Law 2011 corrected form),
     * 0-100, higher is easier. */
    double score;
    /* A US school grade estimate for both languages: en = the Flesch-Kincaid grade; es = the
     * Fernandez-Huerta ease mapped through its published interpretation table
     * (docs/readability.md). Compare this with the target grade. */
    double grade;
    /* es only: Szigriszt-Pazos (1993) perspicuity, 0-100, higher is easier; 0 for en. */
    double perspicuity;
};

/* One sentence of the text and how hard it reads on its own. */
struct cm_sentence_score {
    size_t start; /* byte offset of the sentence's first non-space byte */
    size_t len;   /* bytes, through its closing punctuation */
    size_t words;
    size_t syllables;
    double grade; /* the same grade estimate as cm_readability.grade, for this sentence alone */
};

/*
 * Scores text (len bytes of UTF-8, need not be NUL-terminated) in lang ("en" or "es") into *out,
 * and writes the nhardest hardest sentences (highest grade first; among equal grades the earlier
 * sentence first) into hardest[0 .. *nfilled). hardest may be NULL when nhardest is 0; nfilled may
 * be NULL when the caller does not want the count.
 *
 * Returns CM_OK; CM_EINVAL (field "lang") for a language other than "en" or "es"; CM_EINVAL (field
 * "text") for invalid UTF-8, a NUL byte, or a text with no words; CM_ETOOBIG (field "text") past
 * CM_PLAN_READABILITY_MAX_BYTES. On error *out and *nfilled are zeroed.
 */
CM_MUST_CHECK enum cm_code cm_plan_readability(const char *text, size_t len, const char *lang,
                                               struct cm_readability *out,
                                               struct cm_sentence_score *hardest, size_t nhardest,
                                               size_t *nfilled, struct cm_err *err);

/*
 * Counts the syllables of one word (len bytes of UTF-8) by the heuristic of lang ("en" or "es").
 * Hyphens split a word into parts counted separately ("follow-up" = 1 + 1); apostrophes join
 * ("don't" = "dont"). A part with letters counts at least 1; a part of digits only (a number)
 * counts 1. Returns the count (0 when the word has no letters or digits), or -1 for an unknown
 * language or invalid UTF-8.
 */
int cm_plan_syllables(const char *word, size_t len, const char *lang);

/* True when r reads at or below target_grade (use CM_PLAN_READABILITY_TARGET_DEFAULT when the
 * program has not configured one). */
bool cm_plan_readability_meets(const struct cm_readability *r, double target_grade);

#endif
