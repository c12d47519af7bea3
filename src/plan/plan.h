/*
 * plan: the shared plan of care (issue 5): its elements as JSON, the plan document that versions
 * freeze and the PDF prints, the element-by-element diff of two documents, where a plan stands
 * (current or due for review), the plain-language readability check and the glossary of plain
 * words. docs/plan.md describes the document and the rules.
 *
 * Readability is pure computation: no I/O, no allocation. Text is borrowed for the duration of
 * the call; results are written into caller-owned structs, and sentence positions are byte offsets
 * into the caller's text. See docs/readability.md for the formulas, sources and known limits.
 */
#ifndef CM_PLAN_H
#define CM_PLAN_H

#include "core/core.h"
#include "model/plan_item.h"
#include "store/store.h"

#include <jansson.h>

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

/* ==== plan elements and the plan document (docs/plan.md) ====================================== */
/*
 * Memory: strings written to value arrays and *out strings are allocated in the arena a; json_t
 * results are new references owned by the caller.
 */

/* Encodes v (one value per field of d) as an item body: a JSON object with the fields in declared
 * order, absent ones (NULL string, 0 INT or REF) left out; BOOL fields are always written. */
CM_MUST_CHECK enum cm_code cm_plan_body_encode(const struct cm_plan_kind_desc *d,
                                               const union cm_plan_value *v, struct cm_arena *a,
                                               const char **out, struct cm_err *err);
/* Decodes a stored body into v (zeroed first). Keys the kind no longer declares are ignored (a
 * field removed from the table); a body that is not a JSON object is CM_EDB. */
CM_MUST_CHECK enum cm_code cm_plan_body_decode(const struct cm_plan_kind_desc *d, const char *body,
                                               union cm_plan_value *v, struct cm_arena *a,
                                               struct cm_err *err);
/* Applies a translation: in the translations object text (NULL or "{}" when none), sets the
 * translation into lang of every TEXT field i of d with bit i in present to v[i].s, removing it
 * when v[i].s is NULL (and lang's object when it becomes empty). A present field that is not
 * TEXT is CM_EINVAL naming it ("is the same in every language"). Writes the new object's text. */
CM_MUST_CHECK enum cm_code cm_plan_translation_apply(const struct cm_plan_kind_desc *d,
                                                     const char *translations, const char *lang,
                                                     const union cm_plan_value *v, uint64_t present,
                                                     struct cm_arena *a, const char **out,
                                                     struct cm_err *err);
/* The item as the API and the document show it: {"id", "kind", "version", "position", "lang",
 * <every present field>, "translations", "created_at", "updated_at", "updated_by"}. NULL on a
 * body or translations that are not JSON objects (a bug: they were checked when written). */
json_t *cm_plan_item_json(const struct cm_plan_kind_desc *d, const struct cm_plan_item *it);

/*
 * Assembles the plan document of child_id as v sees it at now (docs/plan.md): the child, every
 * live element grouped by kind in plan order, the active care team (lead and backup first) and
 * the family as contacts. Reads only: call it inside the caller's transaction so the document is
 * one consistent picture. CM_ENOTFOUND when v cannot reach the child.
 */
CM_MUST_CHECK enum cm_code cm_plan_document(struct cm_conn *c, const struct cm_viewer *v,
                                            int64_t child_id, int64_t now, json_t **out,
                                            struct cm_arena *a, struct cm_err *err);
/*
 * Compares two plan documents element by element: {"changes": [{"kind", "id", "title",
 * "change": "added" | "removed" | "changed", "fields": [{"field", "lang" (translations only),
 * "from", "to"}]}]} in plan order, then the contacts (kind "contact") and the family (kind
 * "family"). Items are matched by id. Equal documents give an empty list. NULL on out of memory.
 */
json_t *cm_plan_diff(const json_t *from, const json_t *to);
/*
 * The text of field in a document item for a reader of lang: the item's own text when lang is its
 * language, else the translation a person entered into lang. When there is none, returns the text
 * in the item's own language and sets *translated to false (the reader must see "not translated
 * yet", never an invented translation). NULL when the item has no such field.
 */
const char *cm_plan_text(const json_t *item, const char *field, const char *lang, bool *translated);

/* Where a plan stands: never frozen, frozen and reviewed with the family within the program's
 * review interval, or due for review. */
enum cm_plan_status { CM_PLAN_STATUS_NONE = 0, CM_PLAN_STATUS_CURRENT, CM_PLAN_STATUS_DUE };
/* "none", "current", "due". */
const char *cm_plan_status_name(enum cm_plan_status s);
/* The earliest review time that still counts as current at now: now minus interval_months
 * calendar months (UTC; the 31st of a month becomes the last day of a shorter month). */
int64_t cm_plan_review_cutoff(int64_t now, int interval_months);
/* When a review made at reviewed_at falls due: reviewed_at plus interval_months calendar months,
 * the same clamp to a shorter month's last day (a review on 31 May is due on 30 November). The
 * API's "review_due_on" is the UTC date of this. */
int64_t cm_plan_review_due(int64_t reviewed_at, int interval_months);
/* The status of a plan from its state (cm_store_plan_state or a panel row). */
enum cm_plan_status cm_plan_status_of(int64_t latest_version, int64_t reviewed_at, int64_t now,
                                      int interval_months);

#endif
