/*
 * plan content: the starter sick-day plans (data/templates/action_plans/<id>.json) and the
 * plain-words glossaries (data/glossary/{en,es}.json) as shipped, read from $CAREMAP_SOURCE_DIR,
 * plus the glossary loader and matcher on small synthetic glossaries. The readability gate holds
 * every template, per language, to CM_PLAN_READABILITY_TARGET_DEFAULT.
 */
#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>

#include <cmocka.h>

#include "plan/plan.h"

#include <jansson.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>

static const char *const template_ids[] = {
    "seizures",         "respiratory_distress", "dystonia",
    "behaviour_crisis", "gtube_dislodgement",   "trach_emergency",
};
static const char *const langs[] = {"en", "es"};
static const char *const note_text[] = {
    "A starting point: your child's care team must review and change this plan for your child.",
    "Es un punto de partida: el equipo de su hijo debe revisar y cambiar este plan para su hijo.",
};

/* ---- helpers --------------------------------------------------------------------------------- */

/* Writes $CAREMAP_SOURCE_DIR/rel into out. */
static void
source_path(const char *rel, char *out, size_t size)
{
    const char *root = getenv("CAREMAP_SOURCE_DIR");
    if (root == NULL)
        fail_msg("CAREMAP_SOURCE_DIR is not set (ctest and tests/run.sh set it)");
    int n = snprintf(out, size, "%s/%s", root, rel);
    assert_true(n > 0 && (size_t)n < size);
}

static json_t *
load_template(const char *id)
{
    char rel[128], path[1024];
    snprintf(rel, sizeof(rel), "data/templates/action_plans/%s.json", id);
    source_path(rel, path, sizeof(path));
    json_error_t je;
    json_t *t = json_load_file(path, JSON_REJECT_DUPLICATES, &je);
    if (t == NULL)
        fail_msg("%s:%d:%d: %s", path, je.line, je.column, je.text);
    return t;
}

/* The text of a {"en","es"} object in lang, failing the test when it is missing or empty. */
static const char *
text_in(json_t *obj, const char *lang, const char *id, const char *field)
{
    const char *s = json_string_value(json_object_get(obj, lang));
    if (s == NULL || s[0] == '\0')
        fail_msg("%s: %s.%s is missing or empty", id, field, lang);
    return s;
}

/* Appends s and a blank line (which ends a sentence, so a title is not glued to the trigger). */
static void
append(char *buf, size_t *len, size_t cap, const char *s)
{
    size_t n = strlen(s);
    assert_true(*len + n + 2 < cap);
    memcpy(buf + *len, s, n);
    memcpy(buf + *len + n, "\n\n", 2);
    *len += n + 2;
    buf[*len] = '\0';
}

/* Everything a family reads in template t, in lang, as one text. */
static size_t
template_text(json_t *t, const char *id, const char *lang, char *buf, size_t cap)
{
    static const char *const fields[] = {"title", "trigger", "call", "emergency", "note"};
    size_t len = 0;
    append(buf, &len, cap, text_in(json_object_get(t, "title"), lang, id, "title"));
    append(buf, &len, cap, text_in(json_object_get(t, "trigger"), lang, id, "trigger"));
    size_t i;
    json_t *step;
    json_array_foreach(json_object_get(t, "steps"), i, step)
    {
        append(buf, &len, cap, text_in(step, lang, id, "steps[]"));
    }
    for (size_t f = 2; f < CM_ARRAY_LEN(fields); f++)
        append(buf, &len, cap, text_in(json_object_get(t, fields[f]), lang, id, fields[f]));
    return len;
}

static void
load_glossary(const char *lang, struct cm_glossary *g)
{
    char rel[64], path[1024];
    snprintf(rel, sizeof(rel), "data/glossary/%s.json", lang);
    source_path(rel, path, sizeof(path));
    struct cm_err err = {0};
    if (cm_plan_glossary_init(g, path, &err) != CM_OK)
        fail_msg("%s", err.msg);
}

static void
glossary_from(const char *json, struct cm_glossary *g)
{
    struct cm_err err = {0};
    if (cm_plan_glossary_init_json(g, json, strlen(json), "test.json", &err) != CM_OK)
        fail_msg("%s", err.msg);
}

/* Finds matches in text, expecting CM_OK; returns how many. */
static size_t
suggest(const struct cm_glossary *g, const char *text, struct cm_glossary_match *out, size_t n)
{
    struct cm_err err = {0};
    size_t found = 99;
    assert_int_equal(cm_plan_glossary_suggest(g, text, strlen(text), out, n, &found, &err), CM_OK);
    return found;
}

/* Match m covers exactly want in text and suggests plain. */
static void
assert_match(const char *text, const struct cm_glossary_match *m, const char *want,
             const char *plain)
{
    const char *at = strstr(text, want);
    assert_non_null(at);
    assert_int_equal(m->start, (size_t)(at - text));
    assert_int_equal(m->len, strlen(want));
    assert_string_equal(m->plain, plain);
}

/* Writes content to a new temporary file; path receives its name. */
static void
temp_file(const char *content, char *path, size_t size)
{
    const char *dir = getenv("TMPDIR");
    snprintf(path, size, "%s/caremap-glossary-XXXXXX", dir ? dir : "/tmp");
    int fd = mkstemp(path);
    assert_true(fd >= 0);
    size_t n = strlen(content);
    assert_int_equal(write(fd, content, n), (ssize_t)n);
    close(fd);
}

/* ---- templates ------------------------------------------------------------------------------- */

static void
test_each_starter_template_has_every_field_in_both_languages(void **state)
{
    (void)state;
    for (size_t i = 0; i < CM_ARRAY_LEN(template_ids); i++) {
        const char *id = template_ids[i];
        json_t *t = load_template(id);
        assert_string_equal(json_string_value(json_object_get(t, "id")), id);
        json_t *steps = json_object_get(t, "steps");
        if (!json_is_array(steps) || json_array_size(steps) < 3)
            fail_msg("%s: steps must be an array of at least 3 steps", id);
        json_t *sources = json_object_get(t, "sources");
        if (!json_is_array(sources) || json_array_size(sources) == 0)
            fail_msg("%s: sources must name where the guidance comes from", id);
        for (size_t l = 0; l < CM_ARRAY_LEN(langs); l++) {
            char buf[16384];
            template_text(t, id, langs[l], buf, sizeof(buf));
            /* Every plan says it is a starting point the team must adapt, word for word. */
            assert_string_equal(text_in(json_object_get(t, "note"), langs[l], id, "note"),
                                note_text[l]);
        }
        json_decref(t);
    }
}

static void
test_each_template_reads_at_or_below_grade_6_in_both_languages(void **state)
{
    (void)state;
    for (size_t i = 0; i < CM_ARRAY_LEN(template_ids); i++) {
        json_t *t = load_template(template_ids[i]);
        for (size_t l = 0; l < CM_ARRAY_LEN(langs); l++) {
            char buf[16384];
            size_t len = template_text(t, template_ids[i], langs[l], buf, sizeof(buf));
            struct cm_readability r;
            struct cm_sentence_score hardest[1];
            size_t nh = 0;
            struct cm_err err = {0};
            assert_int_equal(cm_plan_readability(buf, len, langs[l], &r, hardest, 1, &nh, &err),
                             CM_OK);
            if (!cm_plan_readability_meets(&r, CM_PLAN_READABILITY_TARGET_DEFAULT))
                fail_msg("%s (%s) reads at grade %.2f, above %.1f; hardest sentence: %.*s",
                         template_ids[i], langs[l], r.grade, CM_PLAN_READABILITY_TARGET_DEFAULT,
                         (int)hardest[0].len, buf + hardest[0].start);
        }
        json_decref(t);
    }
}

static void
test_templates_name_no_doses_or_units(void **state)
{
    (void)state;
    /* Doses belong to the child's own orders, never to a starter template. */
    static const char *const banned[] = {" mg",       " mL",      " ml ", " mcg",
                                         "milligram", "milígram", "mg/kg"};
    for (size_t i = 0; i < CM_ARRAY_LEN(template_ids); i++) {
        json_t *t = load_template(template_ids[i]);
        for (size_t l = 0; l < CM_ARRAY_LEN(langs); l++) {
            char buf[16384];
            template_text(t, template_ids[i], langs[l], buf, sizeof(buf));
            for (size_t b = 0; b < CM_ARRAY_LEN(banned); b++) {
                if (strstr(buf, banned[b]) != NULL)
                    fail_msg("%s (%s) contains '%s'", template_ids[i], langs[l], banned[b]);
            }
        }
        json_decref(t);
    }
}

static void
test_the_readability_gate_rejects_hard_text(void **state)
{
    (void)state;
    /* The gate above must be able to fail: a clinician's sentence does not pass it. */
    static const char hard[] = "Administer the prescribed anticonvulsant medication immediately "
                               "if generalized tonic-clonic activity persists beyond five minutes.";
    struct cm_readability r;
    struct cm_err err = {0};
    assert_int_equal(cm_plan_readability(hard, strlen(hard), "en", &r, NULL, 0, NULL, &err), CM_OK);
    assert_false(cm_plan_readability_meets(&r, CM_PLAN_READABILITY_TARGET_DEFAULT));
}

/* ---- shipped glossaries ---------------------------------------------------------------------- */

static void
test_english_glossary_loads_with_about_sixty_terms(void **state)
{
    (void)state;
    struct cm_glossary g;
    load_glossary("en", &g);
    assert_true(g.nterms >= 55);
    struct cm_glossary_match m[4];
    static const char text[] = "Signs of hypoxia. Check the gastrostomy tube for aspiration.";
    assert_int_equal(suggest(&g, text, m, 4), 3);
    assert_match(text, &m[0], "hypoxia", "low oxygen in the body");
    assert_match(text, &m[1], "gastrostomy tube", "feeding tube in the belly");
    assert_string_equal(m[1].note, "Also called a g-tube.");
    assert_match(text, &m[2], "aspiration", "food or liquid going into the lungs");
    cm_plan_glossary_free(&g);
}

static void
test_spanish_glossary_loads_with_about_sixty_terms(void **state)
{
    (void)state;
    struct cm_glossary g;
    load_glossary("es", &g);
    assert_true(g.nterms >= 55);
    struct cm_glossary_match m[4];
    static const char text[] = "Tiene hipoxia y una sonda nasogástrica.";
    assert_int_equal(suggest(&g, text, m, 4), 2);
    assert_match(text, &m[0], "hipoxia", "poco oxígeno en el cuerpo");
    assert_match(text, &m[1], "sonda nasogástrica",
                 "sonda de alimentación por la nariz hasta el estómago");
    assert_null(m[1].note);
    cm_plan_glossary_free(&g);
}

/* ---- loading errors -------------------------------------------------------------------------- */

static void
test_malformed_glossary_json_names_the_file_line_and_column(void **state)
{
    (void)state;
    char path[512], want[600];
    /* A missing comma on line 3: jansson stops at the second string there. */
    temp_file("{\"version\": 1,\n \"terms\": [\n  {\"term\": \"apnea\" \"plain\": \"pause\"}\n]}\n",
              path, sizeof(path));
    struct cm_glossary g;
    struct cm_err err = {0};
    assert_int_equal(cm_plan_glossary_init(&g, path, &err), CM_EINVAL);
    assert_string_equal(err.field, "glossary");
    snprintf(want, sizeof(want), "%s:3:", path);
    if (strncmp(err.msg, want, strlen(want)) != 0)
        fail_msg("want '%s...', got '%s'", want, err.msg);
    assert_null(g.terms);
    cm_plan_glossary_free(&g);
    unlink(path);
}

static void
test_glossary_entry_without_plain_words_is_rejected_by_position(void **state)
{
    (void)state;
    struct cm_glossary g;
    struct cm_err err = {0};
    static const char json[] =
        "{\"version\":1,\"terms\":[{\"term\":\"apnea\",\"plain\":\"pause\"},{\"term\":\"edema\"}]}";
    assert_int_equal(cm_plan_glossary_init_json(&g, json, strlen(json), "x.json", &err), CM_EINVAL);
    assert_string_equal(err.msg, "x.json: terms[1].plain: must be a non-empty string");
    cm_plan_glossary_free(&g);
}

static void
test_glossary_shape_errors_are_rejected(void **state)
{
    (void)state;
    static const struct {
        const char *json;
        const char *msg;
    } cases[] = {
        {"{\"version\":2,\"terms\":[]}", "x.json: version: must be 1"},
        {"{\"version\":1}", "x.json: terms: must be an array"},
        {"{\"version\":1,\"terms\":[],\"extra\":1}", "x.json: unknown key 'extra'"},
        {"{\"version\":1,\"terms\":[{\"term\":\"a\",\"plain\":\"b\",\"plian\":\"c\"}]}",
         "x.json: terms[0]: unknown key 'plian'"},
        {"{\"version\":1,\"terms\":[{\"term\":\"-a\",\"plain\":\"b\"}]}",
         "x.json: terms[0].term: must start and end with a letter or digit"},
        {"{\"version\":1,\"terms\":[{\"term\":\"Hipoxia\",\"plain\":\"b\"},"
         "{\"term\":\"hipoxía\",\"plain\":\"c\"}]}",
         "x.json: terms[1].term: same as terms[0] once case and accents are folded"},
        {"[1]", "x.json: the document must be an object"},
    };
    for (size_t i = 0; i < CM_ARRAY_LEN(cases); i++) {
        struct cm_glossary g;
        struct cm_err err = {0};
        assert_int_equal(
            cm_plan_glossary_init_json(&g, cases[i].json, strlen(cases[i].json), "x.json", &err),
            CM_EINVAL);
        assert_string_equal(err.msg, cases[i].msg);
        assert_int_equal(g.nterms, 0);
        cm_plan_glossary_free(&g);
    }
}

static void
test_missing_glossary_file_is_an_io_error_naming_it(void **state)
{
    (void)state;
    struct cm_glossary g;
    struct cm_err err = {0};
    assert_int_equal(cm_plan_glossary_init(&g, "/nonexistent/caremap/gl.json", &err), CM_EIO);
    assert_non_null(strstr(err.msg, "/nonexistent/caremap/gl.json"));
    cm_plan_glossary_free(&g);
}

/* ---- matching -------------------------------------------------------------------------------- */

static const char small_en[] =
    "{\"version\":1,\"terms\":["
    "{\"term\":\"seizure\",\"plain\":\"fit\"},"
    "{\"term\":\"gastrostomy\",\"plain\":\"belly opening\"},"
    "{\"term\":\"gastrostomy tube\",\"plain\":\"feeding tube in the belly\"},"
    "{\"term\":\"g-tube\",\"plain\":\"feeding tube\"},"
    "{\"term\":\"hypoxia\",\"plain\":\"low oxygen\",\"note\":\"n\"}]}";

static void
test_terms_are_found_at_their_byte_offsets_in_any_case(void **state)
{
    (void)state;
    struct cm_glossary g;
    glossary_from(small_en, &g);
    struct cm_glossary_match m[4];
    static const char text[] = "A SEIZURE, then Hypoxia.";
    assert_int_equal(suggest(&g, text, m, 4), 2);
    assert_match(text, &m[0], "SEIZURE", "fit");
    assert_match(text, &m[1], "Hypoxia", "low oxygen");
    assert_string_equal(m[1].term, "hypoxia");
    assert_string_equal(m[1].note, "n");
    cm_plan_glossary_free(&g);
}

static void
test_terms_match_whole_words_only(void **state)
{
    (void)state;
    struct cm_glossary g;
    glossary_from(small_en, &g);
    struct cm_glossary_match m[4];
    /* Inside a longer word, plural, prefixed: none of these is the term. */
    assert_int_equal(suggest(&g, "seizures nonseizure hypoxias xhypoxia seizure2", m, 4), 0);
    /* Punctuation, quotes and brackets are boundaries. */
    static const char text[] = "(hypoxia) \"seizure\"";
    assert_int_equal(suggest(&g, text, m, 4), 2);
    assert_match(text, &m[0], "hypoxia", "low oxygen");
    assert_match(text, &m[1], "seizure", "fit");
    /* An accented letter is a word character, so it does not make a boundary. */
    assert_int_equal(suggest(&g, "seizureé éseizure", m, 4), 0);
    cm_plan_glossary_free(&g);
}

static void
test_multi_word_terms_win_over_their_first_word_and_span_line_breaks(void **state)
{
    (void)state;
    struct cm_glossary g;
    glossary_from(small_en, &g);
    struct cm_glossary_match m[4];
    static const char text[] = "The gastrostomy\n  tube and the gastrostomy site; a g-tube.";
    assert_int_equal(suggest(&g, text, m, 4), 3);
    assert_match(text, &m[0], "gastrostomy\n  tube", "feeding tube in the belly");
    /* "gastrostomy site" is no term: the single word is found instead. */
    assert_int_equal(m[1].start, (size_t)(strstr(text, "gastrostomy site") - text));
    assert_int_equal(m[1].len, strlen("gastrostomy"));
    assert_string_equal(m[1].plain, "belly opening");
    assert_match(text, &m[2], "g-tube", "feeding tube");
    /* The long term needs its whole second word. */
    assert_int_equal(suggest(&g, "gastrostomy tubes", m, 4), 1);
    assert_string_equal(m[0].plain, "belly opening");
    cm_plan_glossary_free(&g);
}

static void
test_spanish_terms_match_with_or_without_accents_and_in_any_case(void **state)
{
    (void)state;
    struct cm_glossary g;
    glossary_from("{\"version\":1,\"terms\":["
                  "{\"term\":\"traqueostomía\",\"plain\":\"abertura en el cuello\"},"
                  "{\"term\":\"sonda nasogástrica\",\"plain\":\"sonda por la nariz\"},"
                  "{\"term\":\"año\",\"plain\":\"doce meses\"}]}",
                  &g);
    struct cm_glossary_match m[6];
    static const char text[] =
        "La TRAQUEOSTOMÍA, la traqueostomia y la Sonda Nasogastrica. Un AÑO, no un ano.";
    assert_int_equal(suggest(&g, text, m, 6), 4);
    /* Offsets are bytes: Í is two bytes, so the match is one byte longer than its letters. */
    assert_match(text, &m[0], "TRAQUEOSTOMÍA", "abertura en el cuello");
    assert_int_equal(m[0].len, 14);
    assert_match(text, &m[1], "traqueostomia", "abertura en el cuello");
    assert_match(text, &m[2], "Sonda Nasogastrica", "sonda por la nariz");
    /* ñ is its own letter: AÑO matches año, ano does not. */
    assert_match(text, &m[3], "AÑO", "doce meses");
    cm_plan_glossary_free(&g);
}

static void
test_more_matches_than_room_reports_the_full_count(void **state)
{
    (void)state;
    struct cm_glossary g;
    glossary_from(small_en, &g);
    struct cm_glossary_match m[2];
    static const char text[] = "seizure, seizure, seizure";
    assert_int_equal(suggest(&g, text, m, 2), 3);
    assert_int_equal(m[0].start, 0);
    assert_int_equal(m[1].start, 9);
    /* Counting only, with no room at all. */
    assert_int_equal(suggest(&g, text, NULL, 0), 3);
    cm_plan_glossary_free(&g);
}

static void
test_invalid_utf8_text_is_rejected(void **state)
{
    (void)state;
    struct cm_glossary g;
    glossary_from(small_en, &g);
    struct cm_glossary_match m[2];
    struct cm_err err = {0};
    size_t found = 7;
    static const char bad[] = "seizure \xC3 hypoxia";
    assert_int_equal(cm_plan_glossary_suggest(&g, bad, strlen(bad), m, 2, &found, &err), CM_EINVAL);
    assert_string_equal(err.field, "text");
    assert_int_equal(found, 0);
    cm_plan_glossary_free(&g);
}

int
main(void)
{
    const struct CMUnitTest tests[] = {
        cmocka_unit_test(test_each_starter_template_has_every_field_in_both_languages),
        cmocka_unit_test(test_each_template_reads_at_or_below_grade_6_in_both_languages),
        cmocka_unit_test(test_templates_name_no_doses_or_units),
        cmocka_unit_test(test_the_readability_gate_rejects_hard_text),
        cmocka_unit_test(test_english_glossary_loads_with_about_sixty_terms),
        cmocka_unit_test(test_spanish_glossary_loads_with_about_sixty_terms),
        cmocka_unit_test(test_malformed_glossary_json_names_the_file_line_and_column),
        cmocka_unit_test(test_glossary_entry_without_plain_words_is_rejected_by_position),
        cmocka_unit_test(test_glossary_shape_errors_are_rejected),
        cmocka_unit_test(test_missing_glossary_file_is_an_io_error_naming_it),
        cmocka_unit_test(test_terms_are_found_at_their_byte_offsets_in_any_case),
        cmocka_unit_test(test_terms_match_whole_words_only),
        cmocka_unit_test(test_multi_word_terms_win_over_their_first_word_and_span_line_breaks),
        cmocka_unit_test(test_spanish_terms_match_with_or_without_accents_and_in_any_case),
        cmocka_unit_test(test_more_matches_than_room_reports_the_full_count),
        cmocka_unit_test(test_invalid_utf8_text_is_rejected),
    };
    return cmocka_run_group_tests(tests, NULL, NULL);
}
