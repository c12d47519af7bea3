/*
 * plan/glossary: loads a glossary of medical terms and their plain words
 * (data/glossary/<lang>.json) and finds those terms in a text so the plain-language editor can
 * suggest the plain words.
 *
 * Terms are folded once at load time (ASCII case, Latin-1 accents, white space collapsed) into
 * code point arrays; the text is folded on the fly while scanning, so suggest allocates nothing and
 * byte offsets always point into the caller's own text. Matching rules are stated in plan.h and
 * docs/templates.md.
 */
#include "plan/plan.h"

#include <errno.h>
#include <jansson.h>
#include <stdlib.h>
#include <string.h>

/* Latin-1 U+00C0..U+00FF folded: accents dropped, case lowered. ñ/Ñ stay ñ because it is its own
 * letter in Spanish (año is not ano); æ ð þ ß have no plain ASCII letter and are only lowered. The
 * two symbols in the block (× U+00D7, ÷ U+00F7) are not letters and map to themselves. */
static const uint32_t latin1_fold[64] = {
    'a',  'a',  'a', 'a', 'a', 'a', 0xE6, 'c',  /* C0-C7 ÀÁÂÃÄÅÆÇ */
    'e',  'e',  'e', 'e', 'i', 'i', 'i',  'i',  /* C8-CF ÈÉÊËÌÍÎÏ */
    0xF0, 0xF1, 'o', 'o', 'o', 'o', 'o',  0xD7, /* D0-D7 ÐÑÒÓÔÕÖ× */
    'o',  'u',  'u', 'u', 'u', 'y', 0xFE, 0xDF, /* D8-DF ØÙÚÛÜÝÞß */
    'a',  'a',  'a', 'a', 'a', 'a', 0xE6, 'c',  /* E0-E7 àáâãäåæç */
    'e',  'e',  'e', 'e', 'i', 'i', 'i',  'i',  /* E8-EF èéêëìíîï */
    0xF0, 0xF1, 'o', 'o', 'o', 'o', 'o',  0xF7, /* F0-F7 ðñòóôõö÷ */
    'o',  'u',  'u', 'u', 'u', 'y', 0xFE, 'y',  /* F8-FF øùúûüýþÿ */
};

static uint32_t
fold(uint32_t c)
{
    if (c >= 'A' && c <= 'Z')
        return c + ('a' - 'A');
    if (c >= 0xC0 && c <= 0xFF)
        return latin1_fold[c - 0xC0];
    return c;
}

/* The same word characters as the readability check, so a "word" means one thing in the editor. */
static bool
is_word(uint32_t c)
{
    if ((c >= 'a' && c <= 'z') || (c >= 'A' && c <= 'Z') || (c >= '0' && c <= '9'))
        return true;
    if (c >= 0xC0 && c <= 0xFF)
        return c != 0xD7 && c != 0xF7;
    return c >= 0x100 && c <= 0x24F;
}

static bool
is_space(uint32_t c)
{
    return c == ' ' || c == '\t' || c == '\n' || c == '\r' || c == '\v' || c == '\f' || c == 0xA0;
}

/* Decodes the code point at s[i]; the text was checked with cm_utf8_valid, so no error path. */
static size_t
decode(const unsigned char *s, size_t i, uint32_t *cp)
{
    unsigned char b = s[i];
    if (b < 0x80) {
        *cp = b;
        return 1;
    }
    if (b < 0xE0) {
        *cp = ((uint32_t)(b & 0x1F) << 6) | (s[i + 1] & 0x3F);
        return 2;
    }
    if (b < 0xF0) {
        *cp = ((uint32_t)(b & 0x0F) << 12) | ((uint32_t)(s[i + 1] & 0x3F) << 6) | (s[i + 2] & 0x3F);
        return 3;
    }
    *cp = ((uint32_t)(b & 0x07) << 18) | ((uint32_t)(s[i + 1] & 0x3F) << 12) |
          ((uint32_t)(s[i + 2] & 0x3F) << 6) | (s[i + 3] & 0x3F);
    return 4;
}

/* ---- loading --------------------------------------------------------------------------------- */

/* Folds term into out (room for at least strlen(term) code points), collapsing and trimming white
 * space to single ' ' units. Returns the number of code points written. */
static size_t
fold_term(const char *term, uint32_t *out)
{
    const unsigned char *s = (const unsigned char *)term;
    size_t len = strlen(term), i = 0, n = 0;
    bool pending_space = false;
    while (i < len) {
        uint32_t cp;
        i += decode(s, i, &cp);
        if (is_space(cp)) {
            pending_space = n > 0;
            continue;
        }
        if (pending_space)
            out[n++] = ' ';
        pending_space = false;
        out[n++] = fold(cp);
    }
    return n;
}

static bool
same_folded(const struct cm_glossary_term *a, const struct cm_glossary_term *b)
{
    return a->nfolded == b->nfolded &&
           memcmp(a->folded, b->folded, a->nfolded * sizeof(a->folded[0])) == 0;
}

/* Reads one string member of a term object: required ones must be non-empty. */
static enum cm_code
member_string(json_t *obj, const char *key, bool required, const char **out, const char *name,
              size_t idx, struct cm_err *err)
{
    json_t *v = json_object_get(obj, key);
    *out = NULL;
    if (v == NULL && !required)
        return CM_OK;
    if (!json_is_string(v) || json_string_length(v) == 0 ||
        !cm_utf8_valid(json_string_value(v), json_string_length(v)))
        return cm_err_set(err, CM_EINVAL, "glossary",
                          "%s: terms[%zu].%s: must be a non-empty string", name, idx, key);
    *out = json_string_value(v);
    return CM_OK;
}

/* Checks the document's shape and fills g from it; g->doc already holds the document. */
static enum cm_code
load_terms(struct cm_glossary *g, json_t *root, const char *name, struct cm_err *err)
{
    const char *key;
    json_t *v;
    if (!json_is_object(root))
        return cm_err_set(err, CM_EINVAL, "glossary", "%s: the document must be an object", name);
    json_object_foreach(root, key, v)
    {
        if (strcmp(key, "version") != 0 && strcmp(key, "terms") != 0)
            return cm_err_set(err, CM_EINVAL, "glossary", "%s: unknown key '%s'", name, key);
    }
    json_t *version = json_object_get(root, "version");
    if (!json_is_integer(version) || json_integer_value(version) != 1)
        return cm_err_set(err, CM_EINVAL, "glossary", "%s: version: must be 1", name);
    json_t *terms = json_object_get(root, "terms");
    if (!json_is_array(terms))
        return cm_err_set(err, CM_EINVAL, "glossary", "%s: terms: must be an array", name);
    size_t n = json_array_size(terms);
    if (n > CM_PLAN_GLOSSARY_MAX_TERMS)
        return cm_err_set(err, CM_ETOOBIG, "glossary", "%s: terms: %zu terms, at most %d", name, n,
                          CM_PLAN_GLOSSARY_MAX_TERMS);

    /* Folding never makes a term longer in code points than it is in bytes. */
    size_t units = 0;
    for (size_t i = 0; i < n; i++) {
        json_t *t = json_object_get(json_array_get(terms, i), "term");
        units += json_is_string(t) ? json_string_length(t) : 0;
    }
    g->terms = calloc(n ? n : 1, sizeof(*g->terms));
    g->buf = calloc(units ? units : 1, sizeof(*g->buf));
    if (g->terms == NULL || g->buf == NULL)
        return cm_err_set(err, CM_ENOMEM, "glossary", "%s: out of memory", name);

    uint32_t *next = g->buf;
    for (size_t i = 0; i < n; i++) {
        json_t *obj = json_array_get(terms, i);
        struct cm_glossary_term *t = &g->terms[i];
        if (!json_is_object(obj))
            return cm_err_set(err, CM_EINVAL, "glossary", "%s: terms[%zu]: must be an object", name,
                              i);
        json_object_foreach(obj, key, v)
        {
            if (strcmp(key, "term") != 0 && strcmp(key, "plain") != 0 && strcmp(key, "note") != 0)
                return cm_err_set(err, CM_EINVAL, "glossary", "%s: terms[%zu]: unknown key '%s'",
                                  name, i, key);
        }
        enum cm_code rc = member_string(obj, "term", true, &t->term, name, i, err);
        if (rc == CM_OK)
            rc = member_string(obj, "plain", true, &t->plain, name, i, err);
        if (rc == CM_OK)
            rc = member_string(obj, "note", false, &t->note, name, i, err);
        if (rc != CM_OK)
            return rc;
        t->folded = next;
        t->nfolded = fold_term(t->term, next);
        next += t->nfolded;
        /* A term must begin and end on a word so that "whole word" has a meaning for it. */
        if (t->nfolded == 0 || !is_word(t->folded[0]) || !is_word(t->folded[t->nfolded - 1]))
            return cm_err_set(err, CM_EINVAL, "glossary",
                              "%s: terms[%zu].term: must start and end with a letter or digit",
                              name, i);
        /* Quadratic, but a glossary is loaded once and holds tens of terms. */
        for (size_t j = 0; j < i; j++) {
            if (same_folded(&g->terms[j], t))
                return cm_err_set(err, CM_EINVAL, "glossary",
                                  "%s: terms[%zu].term: same as terms[%zu] once case and accents "
                                  "are folded",
                                  name, i, j);
        }
        g->nterms = i + 1;
    }
    return CM_OK;
}

enum cm_code
cm_plan_glossary_init_json(struct cm_glossary *g, const char *json, size_t len, const char *name,
                           struct cm_err *err)
{
    memset(g, 0, sizeof(*g));
    if (len > CM_PLAN_GLOSSARY_MAX_BYTES)
        return cm_err_set(err, CM_ETOOBIG, "glossary", "%s: %zu bytes, at most %d", name, len,
                          CM_PLAN_GLOSSARY_MAX_BYTES);
    json_error_t je;
    json_t *root = json_loadb(json, len, JSON_REJECT_DUPLICATES, &je);
    if (root == NULL)
        return cm_err_set(err, CM_EINVAL, "glossary", "%s:%d:%d: %s", name, je.line, je.column,
                          je.text);
    g->doc = root;
    enum cm_code rc = load_terms(g, root, name, err);
    if (rc != CM_OK)
        cm_plan_glossary_free(g);
    return rc;
}

enum cm_code
cm_plan_glossary_init(struct cm_glossary *g, const char *path, struct cm_err *err)
{
    memset(g, 0, sizeof(*g));
    FILE *f = fopen(path, "rb");
    if (f == NULL)
        return cm_err_set(err, CM_EIO, "glossary", "%s: %s", path, strerror(errno));
    /* One byte more than the cap tells a file at the cap from one past it. */
    char *data = malloc((size_t)CM_PLAN_GLOSSARY_MAX_BYTES + 1);
    if (data == NULL) {
        fclose(f);
        return cm_err_set(err, CM_ENOMEM, "glossary", "%s: out of memory", path);
    }
    size_t n = fread(data, 1, (size_t)CM_PLAN_GLOSSARY_MAX_BYTES + 1, f);
    bool failed = ferror(f) != 0;
    fclose(f);
    enum cm_code rc;
    if (failed)
        rc = cm_err_set(err, CM_EIO, "glossary", "%s: read failed", path);
    else
        rc = cm_plan_glossary_init_json(g, data, n, path, err);
    free(data);
    return rc;
}

void
cm_plan_glossary_free(struct cm_glossary *g)
{
    if (g == NULL)
        return;
    json_decref(g->doc);
    free(g->terms);
    free(g->buf);
    memset(g, 0, sizeof(*g));
}

/* ---- matching -------------------------------------------------------------------------------- */

/* True when term t occurs at text byte i and ends on a word boundary; *end is the byte after it. */
static bool
match_at(const unsigned char *s, size_t len, size_t i, const struct cm_glossary_term *t,
         size_t *end)
{
    uint32_t cp;
    for (size_t k = 0; k < t->nfolded; k++) {
        if (i >= len)
            return false;
        size_t w = decode(s, i, &cp);
        if (t->folded[k] == ' ') {
            /* Any run of white space (a line break in a wrapped paragraph) stands for one space. */
            if (!is_space(cp))
                return false;
            while (i < len) {
                w = decode(s, i, &cp);
                if (!is_space(cp))
                    break;
                i += w;
            }
            continue;
        }
        if (fold(cp) != t->folded[k])
            return false;
        i += w;
    }
    if (i < len) {
        decode(s, i, &cp);
        if (is_word(cp))
            return false;
    }
    *end = i;
    return true;
}

enum cm_code
cm_plan_glossary_suggest(const struct cm_glossary *g, const char *text, size_t len,
                         struct cm_glossary_match *out, size_t n, size_t *nfound,
                         struct cm_err *err)
{
    *nfound = 0;
    if (len > CM_PLAN_READABILITY_MAX_BYTES)
        return cm_err_set(err, CM_ETOOBIG, "text", "text is %zu bytes, at most %d", len,
                          CM_PLAN_READABILITY_MAX_BYTES);
    if (!cm_utf8_valid(text, len))
        return cm_err_set(err, CM_EINVAL, "text", "text must be UTF-8 without NUL bytes");

    const unsigned char *s = (const unsigned char *)text;
    size_t found = 0, i = 0;
    bool prev_word = false;
    while (i < len) {
        uint32_t cp;
        size_t w = decode(s, i, &cp);
        if (is_word(cp) && !prev_word) {
            uint32_t first = fold(cp);
            const struct cm_glossary_term *best = NULL;
            size_t best_end = 0;
            for (size_t k = 0; k < g->nterms; k++) {
                const struct cm_glossary_term *t = &g->terms[k];
                size_t end;
                if (t->folded[0] == first && match_at(s, len, i, t, &end) && end > best_end) {
                    best = t;
                    best_end = end;
                }
            }
            if (best != NULL) {
                if (found < n)
                    out[found] = (struct cm_glossary_match){.start = i,
                                                            .len = best_end - i,
                                                            .term = best->term,
                                                            .plain = best->plain,
                                                            .note = best->note};
                found++;
                /* The byte at best_end is not a word character, so no word starts mid-match. */
                i = best_end;
                prev_word = false;
                continue;
            }
        }
        prev_word = is_word(cp);
        i += w;
    }
    *nfound = found;
    return CM_OK;
}
