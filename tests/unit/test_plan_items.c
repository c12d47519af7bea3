/*
 * Unit tests for the elements of the shared plan of care, without a database: the validation rules
 * read from the kind table (model/plan_validate.c), the stored body and translations
 * (plan/items.c), the item as JSON, the text a reader of a language sees, and the labels every
 * kind, field and choice needs in data/messages/{en,es}/plan.json.
 */
#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>

#include <cmocka.h>

#include "core/data.h"
#include "plan/plan.h"

#include <jansson.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

/* ---- helpers --------------------------------------------------------------------------------- */

static int
setup(void **state)
{
    struct cm_arena *a = cm_arena_new(4 << 20);
    assert_non_null(a);
    *state = a;
    return 0;
}

static int
teardown(void **state)
{
    cm_arena_free(*state);
    return 0;
}

static const struct cm_plan_kind_desc *
kind(const char *name)
{
    const struct cm_plan_kind_desc *d = cm_plan_kind_by_name(name);
    if (d == NULL)
        fail_msg("no kind %s", name);
    return d;
}

static int
field(const struct cm_plan_kind_desc *d, const char *name)
{
    int i = cm_plan_field_index(d, name);
    if (i < 0)
        fail_msg("kind %s has no field %s", d->name, name);
    return i;
}

/* Fills v with a valid value for every field of d, each different enough to notice a swap. */
static void
valid_values(const struct cm_plan_kind_desc *d, union cm_plan_value *v)
{
    static const char *const texts[] = {"Zuri sleeps well with her new pillow.",
                                        "Dos veces al día, con comida.",
                                        "Call the clinic.\nThen call the nurse.",
                                        "Niña con señal débil",
                                        "Fourth text",
                                        "Fifth text",
                                        "Sixth text",
                                        "Seventh text",
                                        "Eighth text"};
    memset(v, 0, CM_PLAN_MAX_FIELDS * sizeof(*v));
    for (size_t i = 0; i < d->nfields; i++) {
        const struct cm_plan_field *f = &d->fields[i];
        switch (f->type) {
        case CM_PF_TEXT:
        case CM_PF_STRING:
            v[i].s = texts[i % CM_ARRAY_LEN(texts)];
            if (f->type == CM_PF_STRING && strchr(v[i].s, '\n') != NULL)
                v[i].s = "Demo Clinic";
            break;
        case CM_PF_ENUM:
            v[i].s = f->values[1] != NULL ? f->values[1] : f->values[0];
            break;
        case CM_PF_DATE:
            v[i].s = "2026-02-28";
            break;
        case CM_PF_INT:
            v[i].i = f->max;
            break;
        case CM_PF_BOOL:
            v[i].b = true;
            break;
        case CM_PF_REF:
            v[i].i = 41 + (int64_t)i;
            break;
        case CM_PF_ICD10:
            v[i].s = "G80.0";
            break;
        }
    }
}

/* A string of n copies of the UTF-8 character c, in the arena. */
static const char *
repeat(struct cm_arena *a, const char *c, size_t n)
{
    size_t len = strlen(c);
    char *s = cm_arena_alloc(a, n * len + 1);
    assert_non_null(s);
    for (size_t i = 0; i < n; i++)
        memcpy(s + i * len, c, len);
    s[n * len] = '\0';
    return s;
}

/* Validates v for kind and checks the outcome: CM_OK, or CM_EINVAL naming field with a message
 * containing msg. */
static void
expect(const struct cm_plan_kind_desc *d, union cm_plan_value *v, struct cm_arena *a,
       const char *field_name, const char *msg)
{
    struct cm_err err = {0};
    enum cm_code rc = cm_model_plan_item_validate(d, v, a, &err);
    if (field_name == NULL) {
        if (rc != CM_OK)
            fail_msg("%s: expected OK, got %s: %s", d->name, err.field, err.msg);
        return;
    }
    if (rc != CM_EINVAL)
        fail_msg("%s.%s: expected invalid (%s), got %d", d->name, field_name, msg, (int)rc);
    assert_string_equal(err.field, field_name);
    if (strstr(err.msg, msg) == NULL)
        fail_msg("%s.%s: message '%s' does not contain '%s'", d->name, field_name, err.msg, msg);
}

static json_t *
parse(const char *text)
{
    json_error_t je;
    json_t *j = json_loads(text, 0, &je);
    if (j == NULL)
        fail_msg("%d:%d: %s in %s", je.line, je.column, je.text, text);
    return j;
}

/* ---- validation ------------------------------------------------------------------------------ */

static void
test_valid_item_of_every_kind_passes(void **state)
{
    size_t n = 0;
    const struct cm_plan_kind_desc *kinds = cm_plan_kinds(&n);
    assert_int_equal(n, CM_PK_COUNT);
    for (size_t k = 0; k < n; k++) {
        union cm_plan_value v[CM_PLAN_MAX_FIELDS];
        valid_values(&kinds[k], v);
        expect(&kinds[k], v, *state, NULL, NULL);
    }
}

static void
test_every_required_field_missing_is_rejected_by_name(void **state)
{
    size_t n = 0, checked = 0;
    const struct cm_plan_kind_desc *kinds = cm_plan_kinds(&n);
    for (size_t k = 0; k < n; k++) {
        for (size_t i = 0; i < kinds[k].nfields; i++) {
            union cm_plan_value v[CM_PLAN_MAX_FIELDS];
            valid_values(&kinds[k], v);
            memset(&v[i], 0, sizeof(v[i]));
            if (kinds[k].fields[i].required) {
                expect(&kinds[k], v, *state, kinds[k].fields[i].name, "is required");
                checked++;
            } else {
                expect(&kinds[k], v, *state, NULL, NULL); /* optional: absent is fine */
            }
        }
    }
    assert_true(checked >= 25); /* the table has about thirty required fields */
}

static void
test_optional_fields_may_all_be_absent(void **state)
{
    const struct cm_plan_kind_desc *d = kind("equipment");
    union cm_plan_value v[CM_PLAN_MAX_FIELDS] = {{0}};
    v[field(d, "type")].s = "tracheostomy";
    expect(d, v, *state, NULL, NULL);
}

static void
test_enum_value_not_listed_is_rejected_listing_the_choices(void **state)
{
    const struct cm_plan_kind_desc *d = kind("goal");
    union cm_plan_value v[CM_PLAN_MAX_FIELDS];
    valid_values(d, v);
    v[field(d, "status")].s = "done";
    expect(d, v, *state, "status", "must be one of: active, met, set_aside");
    v[field(d, "status")].s = "Active"; /* exact names only */
    expect(d, v, *state, "status", "must be one of");
    v[field(d, "status")].s = "set_aside";
    expect(d, v, *state, NULL, NULL);
}

static void
test_text_longer_than_its_limit_is_rejected_counting_characters(void **state)
{
    struct cm_arena *a = *state;
    const struct cm_plan_kind_desc *d = kind("summary");
    union cm_plan_value v[CM_PLAN_MAX_FIELDS] = {{0}};
    /* 400 characters of ñ are 800 bytes: characters, not bytes, are counted. */
    v[0].s = repeat(a, "ñ", 400);
    expect(d, v, a, NULL, NULL);
    v[0].s = repeat(a, "a", 401);
    expect(d, v, a, "text", "must be at most 400 characters");
}

static void
test_string_longer_than_its_limit_is_rejected(void **state)
{
    struct cm_arena *a = *state;
    const struct cm_plan_kind_desc *d = kind("medication");
    union cm_plan_value v[CM_PLAN_MAX_FIELDS];
    valid_values(d, v);
    v[field(d, "dose")].s = repeat(a, "5", 100);
    expect(d, v, a, NULL, NULL);
    v[field(d, "dose")].s = repeat(a, "5", 101);
    expect(d, v, a, "dose", "must be at most 100 characters");
}

static void
test_empty_text_and_string_are_rejected(void **state)
{
    const struct cm_plan_kind_desc *d = kind("medication");
    union cm_plan_value v[CM_PLAN_MAX_FIELDS];
    valid_values(d, v);
    v[field(d, "purpose")].s = "";
    expect(d, v, *state, "purpose", "must not be empty");
    valid_values(d, v);
    v[field(d, "prescriber")].s = ""; /* optional, but present means not empty */
    expect(d, v, *state, "prescriber", "must not be empty");
}

static void
test_line_breaks_are_allowed_in_text_but_not_in_strings(void **state)
{
    const struct cm_plan_kind_desc *d = kind("action_plan");
    union cm_plan_value v[CM_PLAN_MAX_FIELDS];
    valid_values(d, v);
    v[field(d, "steps")].s = "Give the rescue medicine.\nTime the seizure.\r\n\tCall us.";
    expect(d, v, *state, NULL, NULL);
    v[field(d, "template")].s = "seizures\n";
    expect(d, v, *state, "template", "must not contain control characters");
    valid_values(d, v);
    v[field(d, "steps")].s = "Bell\a";
    expect(d, v, *state, "steps", "must not contain control characters");
    v[field(d, "steps")].s = "C1 \xC2\x85 control";
    expect(d, v, *state, "steps", "must not contain control characters");
}

static void
test_invalid_utf8_is_rejected(void **state)
{
    const struct cm_plan_kind_desc *d = kind("concern");
    union cm_plan_value v[CM_PLAN_MAX_FIELDS];
    valid_values(d, v);
    v[field(d, "text")].s = "bad \xC3\x28 byte";
    expect(d, v, *state, "text", "must be valid UTF-8");
}

static void
test_date_that_does_not_exist_is_rejected(void **state)
{
    const struct cm_plan_kind_desc *d = kind("goal");
    union cm_plan_value v[CM_PLAN_MAX_FIELDS];
    valid_values(d, v);
    v[field(d, "target_date")].s = "2026-02-29";
    expect(d, v, *state, "target_date", "day must be 01 to 28");
    v[field(d, "target_date")].s = "28/02/2026";
    expect(d, v, *state, "target_date", "must be a date YYYY-MM-DD");
    v[field(d, "target_date")].s = "2028-02-29";
    expect(d, v, *state, NULL, NULL);
}

static void
test_int_outside_its_range_is_rejected(void **state)
{
    const struct cm_plan_kind_desc *d = kind("equipment");
    int i = field(d, "replace_every_days");
    union cm_plan_value v[CM_PLAN_MAX_FIELDS];
    valid_values(d, v);
    v[i].i = 1;
    expect(d, v, *state, NULL, NULL);
    v[i].i = 3650;
    expect(d, v, *state, NULL, NULL);
    v[i].i = 3651;
    expect(d, v, *state, "replace_every_days", "must be a whole number from 1 to 3650");
    v[i].i = -7;
    expect(d, v, *state, "replace_every_days", "from 1 to 3650");
}

static void
test_ref_that_is_not_a_positive_id_is_rejected(void **state)
{
    const struct cm_plan_kind_desc *d = kind("milestone");
    union cm_plan_value v[CM_PLAN_MAX_FIELDS];
    valid_values(d, v);
    v[field(d, "transition_id")].i = -3;
    expect(d, v, *state, "transition_id", "must be the id of a transition");
    v[field(d, "transition_id")].i = 0;
    expect(d, v, *state, "transition_id", "is required");
    d = kind("action");
    valid_values(d, v);
    v[field(d, "goal_id")].i = 0; /* optional */
    expect(d, v, *state, NULL, NULL);
}

/* One ICD-10-CM case: the code as sent, and the code stored (NULL when it is refused with msg). */
struct icd_case {
    const char *in;
    const char *stored;
    const char *msg;
};

static void
test_icd10_codes_are_checked_and_stored_dotted(void **state)
{
    static const struct icd_case cases[] = {
        {"G80.0", "G80.0", NULL},
        {"G800", "G80.0", NULL},
        {"G80", "G80", NULL},
        {"E84.0", "E84.0", NULL},
        {"T7840XA", "T78.40XA", NULL}, /* seven characters with the X placeholder */
        {"T78.40XA", "T78.40XA", NULL},
        {"M1A.0", "M1A.0", NULL}, /* a letter as the third character */
        {"Q909", "Q90.9", NULL},
        {"g80.0", NULL, "use capital letters"},
        {"G80.0a", NULL, "use capital letters"},
        {"U07.1", "U07.1", NULL}, /* COVID-19: ICD-10-CM does use U codes */
        {"U099", "U09.9", NULL},
        {"G8", NULL, "must be an ICD-10-CM code such as G80.0"},
        {"G80.", NULL, "must be an ICD-10-CM code"},
        {"G80.12345", NULL, "must be an ICD-10-CM code"},
        {"G8012345", NULL, "must be an ICD-10-CM code"},
        {"8G0.0", NULL, "must be an ICD-10-CM code"},
        {"GA0.0", NULL, "must be an ICD-10-CM code"},
        {"G80-0", NULL, "must be an ICD-10-CM code"},
        {"G80.0 ", NULL, "must be an ICD-10-CM code"},
        {"", NULL, "must be an ICD-10-CM code"},
        {"cerebral palsy", NULL, "must be an ICD-10-CM code"},
    };
    const struct cm_plan_kind_desc *d = kind("condition");
    int ci = field(d, "code");
    for (size_t i = 0; i < CM_ARRAY_LEN(cases); i++) {
        union cm_plan_value v[CM_PLAN_MAX_FIELDS];
        valid_values(d, v);
        v[ci].s = cases[i].in;
        struct cm_err err = {0};
        enum cm_code rc = cm_model_plan_item_validate(d, v, *state, &err);
        if (cases[i].stored != NULL) {
            if (rc != CM_OK)
                fail_msg("%s: expected OK, got %s", cases[i].in, err.msg);
            assert_string_equal(v[ci].s, cases[i].stored);
        } else {
            if (rc != CM_EINVAL || strstr(err.msg, cases[i].msg) == NULL)
                fail_msg("'%s': expected '%s', got %d '%s'", cases[i].in, cases[i].msg, (int)rc,
                         err.msg);
            assert_string_equal(err.field, "code");
            assert_string_equal(v[ci].s, cases[i].in); /* untouched when refused */
        }
    }
}

/* ---- body ------------------------------------------------------------------------------------ */

static void
test_body_round_trip_keeps_every_field_of_every_kind(void **state)
{
    struct cm_arena *a = *state;
    size_t n = 0;
    const struct cm_plan_kind_desc *kinds = cm_plan_kinds(&n);
    for (size_t k = 0; k < n; k++) {
        const struct cm_plan_kind_desc *d = &kinds[k];
        union cm_plan_value v[CM_PLAN_MAX_FIELDS], back[CM_PLAN_MAX_FIELDS];
        valid_values(d, v);
        struct cm_err err = {0};
        const char *body = NULL, *again = NULL;
        assert_int_equal(cm_plan_body_encode(d, v, a, &body, &err), CM_OK);
        memset(back, 0xAB, sizeof(back));
        assert_int_equal(cm_plan_body_decode(d, body, back, a, &err), CM_OK);
        for (size_t i = 0; i < d->nfields; i++) {
            switch (d->fields[i].type) {
            case CM_PF_BOOL:
                assert_int_equal(back[i].b, v[i].b);
                break;
            case CM_PF_INT:
            case CM_PF_REF:
                assert_int_equal(back[i].i, v[i].i);
                break;
            default:
                assert_string_equal(back[i].s, v[i].s);
            }
        }
        /* Canonical: encoding what was decoded gives the same bytes. */
        assert_int_equal(cm_plan_body_encode(d, back, a, &again, &err), CM_OK);
        assert_string_equal(again, body);
        /* Keys in declared order. */
        json_t *j = parse(body);
        const char *key;
        json_t *val;
        size_t i = 0;
        json_object_foreach(j, key, val)
        {
            assert_true(i < d->nfields);
            assert_string_equal(key, d->fields[i].name);
            i++;
        }
        assert_int_equal(i, d->nfields);
        json_decref(j);
    }
}

static void
test_body_leaves_out_absent_fields_but_always_writes_bools(void **state)
{
    struct cm_arena *a = *state;
    const struct cm_plan_kind_desc *d = kind("medication");
    union cm_plan_value v[CM_PLAN_MAX_FIELDS];
    valid_values(d, v);
    v[field(d, "name")].s = "Levetiracetam";
    v[field(d, "dose")].s = "2 mL";
    v[field(d, "route")].s = "g_tube";
    v[field(d, "schedule")].s = "Twice a day";
    v[field(d, "purpose")].s = "Stops seizures";
    v[field(d, "prescriber")].s = NULL;
    v[field(d, "key")].b = false;
    struct cm_err err = {0};
    const char *body = NULL;
    assert_int_equal(cm_plan_body_encode(d, v, a, &body, &err), CM_OK);
    assert_string_equal(body, "{\"name\":\"Levetiracetam\",\"dose\":\"2 mL\",\"route\":\"g_tube\","
                              "\"schedule\":\"Twice a day\",\"purpose\":\"Stops seizures\","
                              "\"key\":false}");

    d = kind("equipment");
    union cm_plan_value e[CM_PLAN_MAX_FIELDS] = {{0}};
    e[field(d, "type")].s = "gastrostomy";
    e[field(d, "size")].s = "14 Fr 1.5 cm";
    assert_int_equal(cm_plan_body_encode(d, e, a, &body, &err), CM_OK);
    assert_string_equal(body, "{\"type\":\"gastrostomy\",\"size\":\"14 Fr 1.5 cm\"}");
}

static void
test_body_encode_refuses_invalid_utf8_naming_the_field(void **state)
{
    const struct cm_plan_kind_desc *d = kind("concern");
    union cm_plan_value v[CM_PLAN_MAX_FIELDS] = {{0}};
    v[0].s = "ok";
    v[1].s = "\xFF";
    struct cm_err err = {0};
    const char *body = NULL;
    assert_int_equal(cm_plan_body_encode(d, v, *state, &body, &err), CM_EINVAL);
    assert_string_equal(err.field, "raised_by");
}

static void
test_body_decode_ignores_fields_no_longer_declared(void **state)
{
    const struct cm_plan_kind_desc *d = kind("goal");
    union cm_plan_value v[CM_PLAN_MAX_FIELDS];
    struct cm_err err = {0};
    assert_int_equal(cm_plan_body_decode(d,
                                         "{\"old_field\":3,\"text\":\"Go to school\","
                                         "\"status\":\"active\",\"target_date\":null}",
                                         v, *state, &err),
                     CM_OK);
    assert_string_equal(v[0].s, "Go to school");
    assert_string_equal(v[1].s, "active");
    assert_null(v[2].s);
}

static void
test_body_decode_refuses_a_damaged_body(void **state)
{
    const struct cm_plan_kind_desc *d = kind("equipment");
    union cm_plan_value v[CM_PLAN_MAX_FIELDS];
    static const char *const bad[] = {"[1,2]", "not json", "\"text\"", "{\"type\":7}",
                                      "{\"replace_every_days\":\"30\"}"};
    for (size_t i = 0; i < CM_ARRAY_LEN(bad); i++) {
        struct cm_err err = {0};
        if (cm_plan_body_decode(d, bad[i], v, *state, &err) != CM_EDB)
            fail_msg("body %s was accepted", bad[i]);
    }
}

/* ---- translations ---------------------------------------------------------------------------- */

/* Applies the one field name = value (NULL: remove) into lang. */
static enum cm_code
translate(struct cm_arena *a, const struct cm_plan_kind_desc *d, const char *tr, const char *lang,
          const char *name, const char *value, const char **out, struct cm_err *err)
{
    union cm_plan_value v[CM_PLAN_MAX_FIELDS] = {{0}};
    int i = field(d, name);
    v[i].s = value;
    return cm_plan_translation_apply(d, tr, lang, v, (uint64_t)1 << i, a, out, err);
}

static void
test_translation_is_set_and_replaced(void **state)
{
    struct cm_arena *a = *state;
    const struct cm_plan_kind_desc *d = kind("medication");
    struct cm_err err = {0};
    const char *tr = NULL;
    assert_int_equal(translate(a, d, "{}", "es", "schedule", "Dos veces al día", &tr, &err), CM_OK);
    assert_string_equal(tr, "{\"es\":{\"schedule\":\"Dos veces al día\"}}");
    assert_int_equal(translate(a, d, tr, "es", "purpose", "Para las convulsiones", &tr, &err),
                     CM_OK);
    /* Fields in declared order (schedule before purpose), whatever order they came in. */
    assert_int_equal(translate(a, d, tr, "es", "schedule", "Cada 12 horas", &tr, &err), CM_OK);
    assert_string_equal(tr, "{\"es\":{\"schedule\":\"Cada 12 horas\","
                            "\"purpose\":\"Para las convulsiones\"}}");
    /* NULL translations (never translated) is an empty object. */
    assert_int_equal(translate(a, d, NULL, "en", "purpose", "For seizures", &tr, &err), CM_OK);
    assert_string_equal(tr, "{\"en\":{\"purpose\":\"For seizures\"}}");
}

static void
test_translation_languages_are_in_a_fixed_order(void **state)
{
    struct cm_arena *a = *state;
    const struct cm_plan_kind_desc *d = kind("goal");
    struct cm_err err = {0};
    const char *tr = NULL;
    assert_int_equal(translate(a, d, "{\"es\":{\"text\":\"Ir a la escuela\"}}", "en", "text",
                               "Go to school", &tr, &err),
                     CM_OK);
    assert_string_equal(
        tr, "{\"en\":{\"text\":\"Go to school\"},\"es\":{\"text\":\"Ir a la escuela\"}}");
}

static void
test_translation_removed_drops_an_empty_language(void **state)
{
    struct cm_arena *a = *state;
    const struct cm_plan_kind_desc *d = kind("medication");
    struct cm_err err = {0};
    const char *tr = NULL;
    const char *two = "{\"en\":{\"schedule\":\"Twice\"},\"es\":{\"schedule\":\"Dos veces\","
                      "\"purpose\":\"Convulsiones\"}}";
    assert_int_equal(translate(a, d, two, "es", "schedule", NULL, &tr, &err), CM_OK);
    assert_string_equal(tr,
                        "{\"en\":{\"schedule\":\"Twice\"},\"es\":{\"purpose\":\"Convulsiones\"}}");
    assert_int_equal(translate(a, d, tr, "es", "purpose", NULL, &tr, &err), CM_OK);
    assert_string_equal(tr, "{\"en\":{\"schedule\":\"Twice\"}}");
    assert_int_equal(translate(a, d, tr, "en", "schedule", NULL, &tr, &err), CM_OK);
    assert_string_equal(tr, "{}");
    /* Removing what is not there is not an error. */
    assert_int_equal(translate(a, d, "{}", "es", "purpose", NULL, &tr, &err), CM_OK);
    assert_string_equal(tr, "{}");
}

static void
test_translation_of_a_field_that_is_not_text_is_rejected(void **state)
{
    struct cm_arena *a = *state;
    const struct cm_plan_kind_desc *d = kind("medication");
    struct cm_err err = {0};
    const char *tr = "unchanged";
    assert_int_equal(translate(a, d, "{}", "es", "dose", "2 mL", &tr, &err), CM_EINVAL);
    assert_string_equal(err.field, "dose");
    assert_string_equal(err.msg, "is the same in every language");
    assert_string_equal(tr, "unchanged");
    cm_err_clear(&err);
    assert_int_equal(translate(a, d, "{}", "es", "route", "oral", &tr, &err), CM_EINVAL);
    assert_string_equal(err.field, "route");
}

static void
test_translation_obeys_the_rules_of_its_field(void **state)
{
    struct cm_arena *a = *state;
    const struct cm_plan_kind_desc *d = kind("summary");
    struct cm_err err = {0};
    const char *tr = NULL;
    assert_int_equal(translate(a, d, "{}", "es", "text", repeat(a, "á", 401), &tr, &err),
                     CM_EINVAL);
    assert_string_equal(err.field, "text");
    assert_string_equal(err.msg, "must be at most 400 characters");
    cm_err_clear(&err);
    assert_int_equal(translate(a, d, "{}", "es", "text", "", &tr, &err), CM_EINVAL);
    cm_err_clear(&err);
    assert_int_equal(translate(a, d, "{}", "fr", "text", "Bonjour", &tr, &err), CM_EINVAL);
    assert_string_equal(err.field, "lang");
    cm_err_clear(&err);
    assert_int_equal(translate(a, d, "[]", "es", "text", "Hola", &tr, &err), CM_EDB);
}

/* ---- the item as JSON and the reader's text ---------------------------------------------------
 */

static struct cm_plan_item
sample_item(void)
{
    return (struct cm_plan_item){
        .meta = {.id = 51,
                 .version = 3,
                 .created_at = 1767225600, /* 2026-01-01T00:00:00Z */
                 .updated_at = 1772323200, /* 2026-03-01T00:00:00Z */
                 .updated_by = 7},
        .child_id = 12,
        .kind = "medication",
        .position = 2,
        .lang = "en",
        .body = "{\"name\":\"Levetiracetam\",\"dose\":\"2 mL\",\"route\":\"g_tube\","
                "\"schedule\":\"Twice a day\",\"purpose\":\"Stops seizures\",\"gone\":1}",
        .translations = "{\"es\":{\"purpose\":\"Para las convulsiones\",\"dose\":\"x\"},"
                        "\"fr\":{\"purpose\":\"x\"},\"en\":{}}",
    };
}

static void
test_item_json_has_the_documented_shape(void **state)
{
    CM_UNUSED(state);
    struct cm_plan_item it = sample_item();
    json_t *j = cm_plan_item_json(kind("medication"), &it);
    assert_non_null(j);
    char *s = json_dumps(j, JSON_COMPACT);
    /* Fields in declared order, the bool written though the body has none, translations
     * canonical (no unknown language, no non-TEXT field, no empty language), times in UTC. */
    assert_string_equal(
        s, "{\"id\":51,\"kind\":\"medication\",\"version\":3,\"position\":2,\"lang\":\"en\","
           "\"name\":\"Levetiracetam\",\"dose\":\"2 mL\",\"route\":\"g_tube\","
           "\"schedule\":\"Twice a day\",\"purpose\":\"Stops seizures\",\"key\":false,"
           "\"translations\":{\"es\":{\"purpose\":\"Para las convulsiones\"}},"
           "\"created_at\":\"2026-01-01T00:00:00Z\",\"updated_at\":\"2026-03-01T00:00:00Z\","
           "\"updated_by\":7}");
    free(s);
    json_decref(j);
}

static void
test_item_json_of_a_damaged_item_is_null(void **state)
{
    CM_UNUSED(state);
    struct cm_plan_item it = sample_item();
    it.body = "[]";
    assert_null(cm_plan_item_json(kind("medication"), &it));
    it = sample_item();
    it.translations = "\"es\"";
    assert_null(cm_plan_item_json(kind("medication"), &it));
    it = sample_item();
    it.translations = NULL; /* none: an empty object */
    json_t *j = cm_plan_item_json(kind("medication"), &it);
    assert_non_null(j);
    assert_int_equal(json_object_size(json_object_get(j, "translations")), 0);
    json_decref(j);
}

static void
test_text_in_the_items_own_language_is_the_text(void **state)
{
    CM_UNUSED(state);
    struct cm_plan_item it = sample_item();
    json_t *j = cm_plan_item_json(kind("medication"), &it);
    bool translated = false;
    assert_string_equal(cm_plan_text(j, "schedule", "en", &translated), "Twice a day");
    assert_true(translated);
    json_decref(j);
}

static void
test_text_in_another_language_is_the_translation_a_person_entered(void **state)
{
    CM_UNUSED(state);
    struct cm_plan_item it = sample_item();
    json_t *j = cm_plan_item_json(kind("medication"), &it);
    bool translated = false;
    assert_string_equal(cm_plan_text(j, "purpose", "es", &translated), "Para las convulsiones");
    assert_true(translated);
    json_decref(j);
}

static void
test_untranslated_text_is_the_original_marked_not_translated(void **state)
{
    CM_UNUSED(state);
    struct cm_plan_item it = sample_item();
    json_t *j = cm_plan_item_json(kind("medication"), &it);
    bool translated = true;
    assert_string_equal(cm_plan_text(j, "schedule", "es", &translated), "Twice a day");
    assert_false(translated);
    json_decref(j);
}

static void
test_text_of_a_field_the_same_in_every_language_counts_as_translated(void **state)
{
    CM_UNUSED(state);
    struct cm_plan_item it = sample_item();
    json_t *j = cm_plan_item_json(kind("medication"), &it);
    bool translated = false;
    assert_string_equal(cm_plan_text(j, "dose", "es", &translated), "2 mL");
    assert_true(translated);
    assert_string_equal(cm_plan_text(j, "route", "es", NULL), "g_tube");
    /* Absent fields and things that are not fields have no text. */
    assert_null(cm_plan_text(j, "prescriber", "es", &translated));
    assert_null(cm_plan_text(j, "lang", "es", &translated));
    assert_null(cm_plan_text(j, "nonsense", "en", &translated));
    assert_null(cm_plan_text(NULL, "dose", "en", &translated));
    json_decref(j);
}

/* ---- labels ---------------------------------------------------------------------------------- */

static void
check_label(json_t *labels, const char *lang, const char *key, size_t *missing)
{
    const char *s = json_string_value(json_object_get(labels, key));
    if (s == NULL || s[0] == '\0') {
        fprintf(stderr, "messages/%s/plan.json: no label %s\n", lang, key);
        (*missing)++;
    }
}

static void
test_plan_labels_name_every_kind_field_and_choice_in_both_languages(void **state)
{
    CM_UNUSED(state);
    static const char *const langs[] = {"en", "es"};
    size_t nkinds = 0;
    const struct cm_plan_kind_desc *kinds = cm_plan_kinds(&nkinds);
    for (size_t l = 0; l < CM_ARRAY_LEN(langs); l++) {
        char name[64], key[160];
        snprintf(name, sizeof(name), "messages/%s/plan.json", langs[l]);
        const struct cm_data_file *f = cm_data_find(name);
        if (f == NULL)
            fail_msg("%s is not embedded", name);
        json_error_t je;
        json_t *labels = json_loadb(f->data, f->len, JSON_REJECT_DUPLICATES, &je);
        if (labels == NULL)
            fail_msg("%s:%d:%d: %s", name, je.line, je.column, je.text);
        size_t missing = 0, checked = 0;
        for (size_t k = 0; k < nkinds; k++) {
            const struct cm_plan_kind_desc *d = &kinds[k];
            snprintf(key, sizeof(key), "plan.kind.%s", d->name);
            check_label(labels, langs[l], key, &missing);
            snprintf(key, sizeof(key), "plan.item.%s", d->name);
            check_label(labels, langs[l], key, &missing);
            checked += 2;
            for (size_t i = 0; i < d->nfields; i++) {
                const struct cm_plan_field *fd = &d->fields[i];
                snprintf(key, sizeof(key), "plan.field.%s.%s", d->name, fd->name);
                check_label(labels, langs[l], key, &missing);
                checked++;
                for (size_t e = 0; fd->type == CM_PF_ENUM && fd->values[e] != NULL; e++) {
                    snprintf(key, sizeof(key), "plan.value.%s.%s.%s", d->name, fd->name,
                             fd->values[e]);
                    check_label(labels, langs[l], key, &missing);
                    checked++;
                }
            }
        }
        json_decref(labels);
        assert_true(checked > 100);
        if (missing > 0)
            fail_msg("%s lacks %zu labels (listed above)", name, missing);
    }
}

int
main(void)
{
    const struct CMUnitTest tests[] = {
        cmocka_unit_test_setup_teardown(test_valid_item_of_every_kind_passes, setup, teardown),
        cmocka_unit_test_setup_teardown(test_every_required_field_missing_is_rejected_by_name,
                                        setup, teardown),
        cmocka_unit_test_setup_teardown(test_optional_fields_may_all_be_absent, setup, teardown),
        cmocka_unit_test_setup_teardown(test_enum_value_not_listed_is_rejected_listing_the_choices,
                                        setup, teardown),
        cmocka_unit_test_setup_teardown(
            test_text_longer_than_its_limit_is_rejected_counting_characters, setup, teardown),
        cmocka_unit_test_setup_teardown(test_string_longer_than_its_limit_is_rejected, setup,
                                        teardown),
        cmocka_unit_test_setup_teardown(test_empty_text_and_string_are_rejected, setup, teardown),
        cmocka_unit_test_setup_teardown(test_line_breaks_are_allowed_in_text_but_not_in_strings,
                                        setup, teardown),
        cmocka_unit_test_setup_teardown(test_invalid_utf8_is_rejected, setup, teardown),
        cmocka_unit_test_setup_teardown(test_date_that_does_not_exist_is_rejected, setup, teardown),
        cmocka_unit_test_setup_teardown(test_int_outside_its_range_is_rejected, setup, teardown),
        cmocka_unit_test_setup_teardown(test_ref_that_is_not_a_positive_id_is_rejected, setup,
                                        teardown),
        cmocka_unit_test_setup_teardown(test_icd10_codes_are_checked_and_stored_dotted, setup,
                                        teardown),
        cmocka_unit_test_setup_teardown(test_body_round_trip_keeps_every_field_of_every_kind, setup,
                                        teardown),
        cmocka_unit_test_setup_teardown(test_body_leaves_out_absent_fields_but_always_writes_bools,
                                        setup, teardown),
        cmocka_unit_test_setup_teardown(test_body_encode_refuses_invalid_utf8_naming_the_field,
                                        setup, teardown),
        cmocka_unit_test_setup_teardown(test_body_decode_ignores_fields_no_longer_declared, setup,
                                        teardown),
        cmocka_unit_test_setup_teardown(test_body_decode_refuses_a_damaged_body, setup, teardown),
        cmocka_unit_test_setup_teardown(test_translation_is_set_and_replaced, setup, teardown),
        cmocka_unit_test_setup_teardown(test_translation_languages_are_in_a_fixed_order, setup,
                                        teardown),
        cmocka_unit_test_setup_teardown(test_translation_removed_drops_an_empty_language, setup,
                                        teardown),
        cmocka_unit_test_setup_teardown(test_translation_of_a_field_that_is_not_text_is_rejected,
                                        setup, teardown),
        cmocka_unit_test_setup_teardown(test_translation_obeys_the_rules_of_its_field, setup,
                                        teardown),
        cmocka_unit_test_setup_teardown(test_item_json_has_the_documented_shape, setup, teardown),
        cmocka_unit_test_setup_teardown(test_item_json_of_a_damaged_item_is_null, setup, teardown),
        cmocka_unit_test_setup_teardown(test_text_in_the_items_own_language_is_the_text, setup,
                                        teardown),
        cmocka_unit_test_setup_teardown(
            test_text_in_another_language_is_the_translation_a_person_entered, setup, teardown),
        cmocka_unit_test_setup_teardown(
            test_untranslated_text_is_the_original_marked_not_translated, setup, teardown),
        cmocka_unit_test_setup_teardown(
            test_text_of_a_field_the_same_in_every_language_counts_as_translated, setup, teardown),
        cmocka_unit_test_setup_teardown(
            test_plan_labels_name_every_kind_field_and_choice_in_both_languages, setup, teardown),
    };
    return cmocka_run_group_tests_name("plan_items", tests, NULL, NULL);
}
