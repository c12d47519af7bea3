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

/* ==== glossary: plain words for medical terms (issue 5) ======================================= */
/*
 * The plain-language editor suggests plain words from a glossary kept as data
 * (data/glossary/<lang>.json, format in docs/templates.md). A glossary is long-lived state with an
 * init/free pair; there are no globals, so each language is its own struct cm_glossary.
 *
 * Ownership: cm_plan_glossary_init* fill a caller-owned struct and allocate what it points to;
 * cm_plan_glossary_free releases it. Strings in terms[] and in matches are borrowed from the
 * glossary and stay valid until cm_plan_glossary_free. The text given to suggest is borrowed for
 * the call only; match offsets are byte offsets into it. Suggest allocates nothing.
 *
 * Matching: whole words, case-insensitive, runs of white space in the text match the single space
 * of a multi-word term. ASCII case is folded, and Latin-1 letters lose their accents (á, Á, à, ä
 * -> a; ç -> c), so "HIPOXIA" and "hipoxia" both find "hipoxia" and "traqueostomia" finds
 * "traqueostomía". ñ is a letter of its own in Spanish and is only case-folded (Ñ -> ñ, never n).
 * Word characters are ASCII letters and digits, Latin-1 letters and Latin Extended-A/B
 * (U+0100-U+024F), as in the readability check; everything else (space, punctuation, hyphen,
 * apostrophe) is a word boundary. At each word start the longest term wins ("gastrostomy tube"
 * over "gastrostomy") and matches never overlap.
 */

/* The most terms one glossary file may hold (a glossary is a list for people, not a dictionary). */
#define CM_PLAN_GLOSSARY_MAX_TERMS 10000
/* The largest glossary file read. */
#define CM_PLAN_GLOSSARY_MAX_BYTES (4 * 1024 * 1024)

/* One entry. term, plain and note point into the loaded document. */
struct cm_glossary_term {
    const char *term;       /* the medical term as written in the file */
    const char *plain;      /* the plain words to suggest */
    const char *note;       /* optional note for the writer; NULL when the file has none */
    const uint32_t *folded; /* term folded for matching (see above), nfolded code points */
    size_t nfolded;
};

/* A loaded glossary. Read terms[0 .. nterms) freely; change nothing. */
struct cm_glossary {
    struct cm_glossary_term *terms;
    size_t nterms;
    void *doc;     /* the parsed JSON document that owns the strings (opaque) */
    uint32_t *buf; /* storage of every folded term (opaque) */
};

/* One suggestion: text[start .. start+len) is an occurrence of term; suggest plain instead. */
struct cm_glossary_match {
    size_t start;
    size_t len;
    const char *term;
    const char *plain;
    const char *note; /* NULL when none */
};

/*
 * Loads the glossary file at path into *g. The file is {"version":1,"terms":[{"term":"...",
 * "plain":"...","note":"..."}, ...]} with note optional and no other keys.
 *
 * Returns CM_OK; CM_EIO (field "glossary") when the file cannot be read, naming the file;
 * CM_EINVAL (field "glossary") for malformed JSON as "path:line:column: reason", or for a wrong
 * shape as "path: terms[i].plain: reason" (a version other than 1, a missing or empty term or
 * plain, a term that does not start and end with a word character, two terms equal after
 * folding); CM_ETOOBIG past CM_PLAN_GLOSSARY_MAX_BYTES or CM_PLAN_GLOSSARY_MAX_TERMS; CM_ENOMEM.
 * On error *g is left empty (safe to pass to cm_plan_glossary_free).
 */
CM_MUST_CHECK enum cm_code cm_plan_glossary_init(struct cm_glossary *g, const char *path,
                                                 struct cm_err *err);

/*
 * As cm_plan_glossary_init, from len bytes of JSON in memory; name stands for the file in error
 * messages ("name:line:column: reason"). The bytes are copied: json may be freed after the call.
 */
CM_MUST_CHECK enum cm_code cm_plan_glossary_init_json(struct cm_glossary *g, const char *json,
                                                      size_t len, const char *name,
                                                      struct cm_err *err);

/* Releases what init allocated and empties *g. An empty or zeroed *g is a no-op. */
void cm_plan_glossary_free(struct cm_glossary *g);

/*
 * Finds the glossary terms in text (len bytes of UTF-8, need not be NUL-terminated), in text
 * order, and writes the first n of them to out[0 .. n). *nfound is the number of matches in the
 * whole text, which may be more than n: the caller sees it was cut when *nfound > n (out may be
 * NULL when n is 0, to count only).
 *
 * Returns CM_OK; CM_EINVAL (field "text") for invalid UTF-8 or a NUL byte; CM_ETOOBIG (field
 * "text") past CM_PLAN_READABILITY_MAX_BYTES. On error *nfound is 0.
 */
CM_MUST_CHECK enum cm_code cm_plan_glossary_suggest(const struct cm_glossary *g, const char *text,
                                                    size_t len, struct cm_glossary_match *out,
                                                    size_t n, size_t *nfound, struct cm_err *err);

#endif
