/*
 * POST /api/readability: the plain-language check the plan editor calls as a coordinator types
 * (docs/readability.md). It scores the text, names its three hardest sentences and suggests plain
 * words from the glossary. Nothing is stored, audited or logged: the text may be about a child,
 * and it never leaves this request.
 *
 * Also the glossaries' load/free pair: they are parsed once, from the embedded data, before the
 * server starts (cmd_serve.c), and shared read-only by every worker thread.
 */
#include "api/api_int.h"
#include "core/data.h"

#include <math.h>
#include <stddef.h>
#include <string.h>

/* docs/api.md: text of 1-8000 characters, at most 3 hardest sentences and 20 suggestions. */
#define TEXT_MAX_CHARS  8000
#define HARDEST_MAX     3
#define SUGGESTIONS_MAX 20

static enum cm_code
glossary_load(struct cm_glossary *g, const char *name, struct cm_err *err)
{
    const struct cm_data_file *f = cm_data_find(name);
    if (f == NULL)
        return cm_err_set(err, CM_EINTERNAL, "glossary", "%s is not embedded in this build", name);
    return cm_plan_glossary_init_json(g, f->data, f->len, name, err);
}

enum cm_code
cm_api_glossaries_load(struct cm_api_app *app, struct cm_err *err)
{
    enum cm_code rc = glossary_load(&app->glossary_en, "glossary/en.json", err);
    if (rc == CM_OK)
        rc = glossary_load(&app->glossary_es, "glossary/es.json", err);
    if (rc != CM_OK)
        cm_api_glossaries_free(app);
    return rc;
}

void
cm_api_glossaries_free(struct cm_api_app *app)
{
    cm_plan_glossary_free(&app->glossary_en);
    cm_plan_glossary_free(&app->glossary_es);
}

/* UTF-16 code units in the first n bytes of the UTF-8 text s: what a browser's String.slice
 * counts. A code point of four UTF-8 bytes is a surrogate pair (two units); every other code
 * point is one. The text was checked to be valid UTF-8. */
static size_t
utf16_units(const char *s, size_t n)
{
    size_t units = 0;
    for (size_t i = 0; i < n; i++) {
        unsigned char c = (unsigned char)s[i];
        if ((c & 0xC0) != 0x80)
            units += c >= 0xF0 ? 2 : 1;
    }
    return units;
}

/* Scores go out unrounded: "meets" compares the exact grade, and a rounded 6.0 shown next to
 * "meets": false would contradict it. The browser rounds for display. */
static json_t *
score_json(double v)
{
    return isfinite(v) ? json_real(v) : json_null();
}

struct readability_in {
    const char *text;
    const char *lang;
};

static const struct cm_json_field readability_fields[] = {
    {"text", CM_JSON_STRING, offsetof(struct readability_in, text), true, false, 1, TEXT_MAX_CHARS,
     0, 0},
    {"lang", CM_JSON_STRING, offsetof(struct readability_in, lang), false, false, 1, 8, 0, 0},
};

void
cm_api_readability_check(struct cm_http_request *req, struct cm_http_response *res)
{
    struct cm_api_ctx x;
    if (!cm_api_start(req, res, 0, NULL, &x))
        return;
    struct readability_in in = {0};
    uint64_t present;
    if (!cm_api_decode_or_reply(&x, readability_fields, CM_ARRAY_LEN(readability_fields), &in,
                                &present, false))
        return;
    const char *lang = in.lang;
    if (lang == NULL)
        lang = cm_plan_lang_ok(x.user.language) ? x.user.language : "en";
    if (!cm_plan_lang_ok(lang)) {
        cm_api_fail_with(&x, CM_EINVAL, "lang", "must be en or es");
        return;
    }
    const char *text = in.text;
    size_t len = strlen(text);
    struct cm_readability r;
    struct cm_sentence_score hardest[HARDEST_MAX];
    size_t nhardest = 0;
    struct cm_glossary_match matches[SUGGESTIONS_MAX];
    size_t nfound = 0;
    struct cm_err err = {0};
    const struct cm_glossary *g =
        strcmp(lang, "es") == 0 ? &x.app->glossary_es : &x.app->glossary_en;
    if (cm_plan_readability(text, len, lang, &r, hardest, HARDEST_MAX, &nhardest, &err) != CM_OK ||
        cm_plan_glossary_suggest(g, text, len, matches, SUGGESTIONS_MAX, &nfound, &err) != CM_OK) {
        cm_api_fail(&x, &err);
        return;
    }
    size_t nmatches = nfound < SUGGESTIONS_MAX ? nfound : SUGGESTIONS_MAX;
    int target = x.app->cfg->readability_target_grade;

    json_t *hard = json_array();
    for (size_t i = 0; hard != NULL && i < nhardest; i++) {
        const struct cm_sentence_score *h = &hardest[i];
        json_t *o = json_object();
        if (o == NULL)
            break;
        json_object_set_new(o, "start", json_integer((json_int_t)utf16_units(text, h->start)));
        json_object_set_new(o, "length",
                            json_integer((json_int_t)utf16_units(text + h->start, h->len)));
        json_t *t = json_stringn(text + h->start, h->len);
        json_object_set_new(o, "text", t != NULL ? t : json_null());
        json_object_set_new(o, "grade", score_json(h->grade));
        json_array_append_new(hard, o);
    }
    json_t *sugg = json_array();
    for (size_t i = 0; sugg != NULL && i < nmatches; i++) {
        const struct cm_glossary_match *m = &matches[i];
        json_t *o = json_object();
        if (o == NULL)
            break;
        json_object_set_new(o, "term", cm_api_jstr(m->term));
        json_object_set_new(o, "plain", cm_api_jstr(m->plain));
        json_object_set_new(o, "note", cm_api_jstr(m->note));
        json_object_set_new(o, "start", json_integer((json_int_t)utf16_units(text, m->start)));
        json_object_set_new(o, "length",
                            json_integer((json_int_t)utf16_units(text + m->start, m->len)));
        json_array_append_new(sugg, o);
    }
    json_t *o = json_object();
    if (o == NULL || hard == NULL || sugg == NULL) {
        json_decref(o);
        json_decref(hard);
        json_decref(sugg);
        cm_api_fail_with(&x, CM_ENOMEM, "", "out of memory");
        return;
    }
    bool es = strcmp(lang, "es") == 0;
    json_object_set_new(o, "lang", json_string(lang));
    json_object_set_new(o, "grade", score_json(r.grade));
    json_object_set_new(o, "score", score_json(r.score));
    json_object_set_new(o, "perspicuity", es ? score_json(r.perspicuity) : json_null());
    json_object_set_new(o, "target", json_integer(target));
    json_object_set_new(o, "meets", json_boolean(cm_plan_readability_meets(&r, (double)target)));
    json_object_set_new(o, "sentences", json_integer((json_int_t)r.sentences));
    json_object_set_new(o, "words", json_integer((json_int_t)r.words));
    json_object_set_new(o, "hardest", hard);
    json_object_set_new(o, "suggestions", sugg);
    cm_api_reply(&x, 200, o);
}
