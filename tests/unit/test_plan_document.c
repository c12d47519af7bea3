/*
 * Unit tests for the plan document and what is computed from it: where a plan stands (the review
 * cutoff in calendar months, month ends, leap years), the element-by-element diff of two
 * documents, and the document itself assembled from a real SQLite store in a temporary directory
 * (every kind in plan order, items by position, contacts lead-backup-id, the family, the same
 * bytes for the same plan).
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

/* ---- helpers --------------------------------------------------------------------------------- */

/* The epoch seconds of date at hh:mm:ss UTC. */
static int64_t
at(const char *date, int hh, int mm, int ss)
{
    int64_t t = 0;
    struct cm_err err = {0};
    if (cm_date_parse(date, &t, "date", &err) != CM_OK)
        fail_msg("bad test date %s", date);
    return t + hh * 3600 + mm * 60 + ss;
}

static json_t *
parse(const char *text)
{
    json_error_t je;
    json_t *j = json_loads(text, JSON_REJECT_DUPLICATES, &je);
    if (j == NULL)
        fail_msg("%d:%d: %s", je.line, je.column, je.text);
    return j;
}

/* Compact JSON of j, compared with want. */
static void
assert_json(const json_t *j, const char *want)
{
    char *s = json_dumps(j, JSON_COMPACT);
    assert_non_null(s);
    if (strcmp(s, want) != 0) {
        fprintf(stderr, "got:  %s\nwant: %s\n", s, want);
        free(s);
        fail();
    }
    free(s);
}

/* ---- status ---------------------------------------------------------------------------------- */

static void
test_status_names_are_stable(void **state)
{
    CM_UNUSED(state);
    assert_string_equal(cm_plan_status_name(CM_PLAN_STATUS_NONE), "none");
    assert_string_equal(cm_plan_status_name(CM_PLAN_STATUS_CURRENT), "current");
    assert_string_equal(cm_plan_status_name(CM_PLAN_STATUS_DUE), "due");
}

static void
test_cutoff_keeps_the_day_and_the_time_of_day(void **state)
{
    CM_UNUSED(state);
    assert_int_equal(cm_plan_review_cutoff(at("2026-11-15", 9, 30, 5), 6),
                     at("2026-05-15", 9, 30, 5));
    /* Across the turn of a year. */
    assert_int_equal(cm_plan_review_cutoff(at("2026-03-15", 0, 0, 0), 6),
                     at("2025-09-15", 0, 0, 0));
    assert_int_equal(cm_plan_review_cutoff(at("2026-01-31", 23, 59, 59), 13),
                     at("2024-12-31", 23, 59, 59));
    assert_int_equal(cm_plan_review_cutoff(at("2026-06-01", 12, 0, 0), 0),
                     at("2026-06-01", 12, 0, 0));
}

static void
test_cutoff_from_a_long_month_end_lands_on_the_last_day_of_a_short_month(void **state)
{
    CM_UNUSED(state);
    assert_int_equal(cm_plan_review_cutoff(at("2026-08-31", 10, 20, 30), 6),
                     at("2026-02-28", 10, 20, 30));
    assert_int_equal(cm_plan_review_cutoff(at("2026-11-30", 8, 0, 0), 6),
                     at("2026-05-30", 8, 0, 0));
    assert_int_equal(cm_plan_review_cutoff(at("2026-12-31", 8, 0, 0), 6),
                     at("2026-06-30", 8, 0, 0));
    assert_int_equal(cm_plan_review_cutoff(at("2026-03-31", 8, 0, 0), 1),
                     at("2026-02-28", 8, 0, 0));
}

static void
test_cutoff_knows_leap_years(void **state)
{
    CM_UNUSED(state);
    assert_int_equal(cm_plan_review_cutoff(at("2028-08-31", 0, 0, 0), 6),
                     at("2028-02-29", 0, 0, 0));
    assert_int_equal(cm_plan_review_cutoff(at("2024-03-31", 0, 0, 0), 1),
                     at("2024-02-29", 0, 0, 0));
    /* 2000 is a leap year (divisible by 400); 2100 is not (divisible by 100). */
    assert_int_equal(cm_plan_review_cutoff(at("2000-03-30", 0, 0, 0), 1),
                     at("2000-02-29", 0, 0, 0));
    assert_int_equal(cm_plan_review_cutoff(at("2100-03-29", 0, 0, 0), 1),
                     at("2100-02-28", 0, 0, 0));
    /* Twelve months back from a leap day lands on the last day of February. */
    assert_int_equal(cm_plan_review_cutoff(at("2028-02-29", 6, 0, 0), 12),
                     at("2027-02-28", 6, 0, 0));
}

static void
test_review_on_31_may_is_due_on_30_november(void **state)
{
    CM_UNUSED(state);
    int64_t reviewed = at("2026-05-31", 14, 0, 0);
    assert_int_equal(cm_plan_review_due(reviewed, 6), at("2026-11-30", 14, 0, 0));
    assert_int_equal(cm_plan_status_of(2, reviewed, at("2026-11-30", 23, 59, 59), 6),
                     CM_PLAN_STATUS_CURRENT);
    assert_int_equal(cm_plan_status_of(2, reviewed, at("2026-12-01", 14, 0, 1), 6),
                     CM_PLAN_STATUS_DUE);
    assert_int_equal(cm_plan_review_due(at("2027-08-29", 0, 0, 0), 6), at("2028-02-29", 0, 0, 0));
}

static void
test_status_is_none_before_the_first_version(void **state)
{
    CM_UNUSED(state);
    int64_t now = at("2026-06-01", 12, 0, 0);
    assert_int_equal(cm_plan_status_of(0, 0, now, 6), CM_PLAN_STATUS_NONE);
    assert_int_equal(cm_plan_status_of(0, now - 60, now, 6), CM_PLAN_STATUS_NONE);
}

static void
test_status_is_current_from_the_cutoff_on_and_due_before_it(void **state)
{
    CM_UNUSED(state);
    int64_t now = at("2026-08-31", 10, 0, 0);
    int64_t cutoff = at("2026-02-28", 10, 0, 0);
    assert_int_equal(cm_plan_status_of(3, cutoff, now, 6), CM_PLAN_STATUS_CURRENT);
    assert_int_equal(cm_plan_status_of(3, now, now, 6), CM_PLAN_STATUS_CURRENT);
    assert_int_equal(cm_plan_status_of(3, cutoff - 1, now, 6), CM_PLAN_STATUS_DUE);
    /* A shorter interval makes the same review due sooner. */
    assert_int_equal(cm_plan_status_of(3, at("2026-06-15", 0, 0, 0), now, 3),
                     CM_PLAN_STATUS_CURRENT);
    assert_int_equal(cm_plan_status_of(3, at("2026-05-15", 0, 0, 0), now, 3), CM_PLAN_STATUS_DUE);
}

static void
test_status_is_due_when_frozen_but_never_reviewed(void **state)
{
    CM_UNUSED(state);
    assert_int_equal(cm_plan_status_of(1, 0, at("2026-06-01", 0, 0, 0), 6), CM_PLAN_STATUS_DUE);
}

/* ---- diff ------------------------------------------------------------------------------------ */

static const char base_doc[] =
    "{\"format\":1,"
    "\"child\":{\"id\":12,\"record_number\":\"DEMO-0012\",\"given_name\":\"Zuri\","
    "\"family_name\":\"Testchild\",\"preferred_name\":null,\"birth_date\":\"2017-03-02\","
    "\"preferred_language\":\"es\"},"
    "\"elements\":{\"summary\":[],"
    "\"goal\":[{\"id\":1,\"kind\":\"goal\",\"version\":1,\"position\":1,\"lang\":\"en\","
    "\"text\":\"Go to school every day\",\"status\":\"active\",\"translations\":{},"
    "\"created_at\":\"2026-01-01T00:00:00Z\",\"updated_at\":\"2026-01-01T00:00:00Z\","
    "\"updated_by\":3}],"
    "\"concern\":[],\"action\":[],\"condition\":[],\"allergy\":[],"
    "\"medication\":[{\"id\":51,\"kind\":\"medication\",\"version\":1,\"position\":1,"
    "\"lang\":\"en\",\"name\":\"Levetiracetam\",\"dose\":\"2 mL\",\"route\":\"g_tube\","
    "\"schedule\":\"Twice a day\",\"purpose\":\"Stops seizures\",\"key\":true,"
    "\"translations\":{\"es\":{\"purpose\":\"Para las convulsiones\"}},"
    "\"created_at\":\"2026-01-01T00:00:00Z\",\"updated_at\":\"2026-01-01T00:00:00Z\","
    "\"updated_by\":3}],"
    "\"equipment\":[],\"action_plan\":[],\"transition\":[],\"milestone\":[]},"
    "\"contacts\":[{\"id\":41,\"name\":\"Ada Coordinator\",\"role\":\"nurse_care_coordinator\","
    "\"service\":\"care coordination\",\"sector\":\"medical\",\"organization\":\"Demo Clinic\","
    "\"phone\":\"555-0100\",\"email\":null,\"lead\":\"lead\"}],"
    "\"family\":[{\"id\":7,\"name\":\"Maria Testchild\",\"relationship\":\"mother\","
    "\"is_guardian\":true,\"phone\":\"555-0142\",\"email\":null,\"preferred_language\":\"es\"}]}";

static json_t *
element(json_t *doc, const char *kind, size_t i)
{
    json_t *x = json_array_get(json_object_get(json_object_get(doc, "elements"), kind), i);
    assert_non_null(x);
    return x;
}

static void
test_diff_of_equal_documents_is_empty(void **state)
{
    CM_UNUSED(state);
    json_t *a = parse(base_doc);
    json_t *b = parse(base_doc);
    /* Bookkeeping that is not the plan (version, update time) is not a change. */
    json_t *med = element(b, "medication", 0);
    json_object_set_new(med, "version", json_integer(2));
    json_object_set_new(med, "updated_at", json_string("2026-02-01T00:00:00Z"));
    json_t *d = cm_plan_diff(a, b);
    assert_non_null(d);
    assert_json(d, "{\"changes\":[]}");
    json_decref(d);
    json_decref(a);
    json_decref(b);
}

static void
test_diff_lists_changed_fields_then_translations_by_language(void **state)
{
    CM_UNUSED(state);
    json_t *a = parse(base_doc);
    json_t *b = parse(base_doc);
    json_t *med = element(b, "medication", 0);
    json_object_set_new(med, "dose", json_string("3 mL"));
    json_object_set_new(med, "key", json_false());
    json_t *es = json_object_get(json_object_get(med, "translations"), "es");
    json_object_set_new(es, "schedule", json_string("Dos veces al día"));
    json_object_del(es, "purpose");
    json_object_set_new(json_object_get(med, "translations"), "en",
                        parse("{\"purpose\":\"For seizures\"}"));
    json_t *d = cm_plan_diff(a, b);
    assert_json(d, "{\"changes\":[{\"kind\":\"medication\",\"id\":51,\"title\":\"Levetiracetam\","
                   "\"change\":\"changed\",\"fields\":["
                   "{\"field\":\"dose\",\"from\":\"2 mL\",\"to\":\"3 mL\"},"
                   "{\"field\":\"key\",\"from\":true,\"to\":false},"
                   "{\"field\":\"purpose\",\"lang\":\"en\",\"from\":null,\"to\":\"For seizures\"},"
                   "{\"field\":\"schedule\",\"lang\":\"es\",\"from\":null,"
                   "\"to\":\"Dos veces al día\"},"
                   "{\"field\":\"purpose\",\"lang\":\"es\",\"from\":\"Para las convulsiones\","
                   "\"to\":null}]}]}");
    json_decref(d);
    json_decref(a);
    json_decref(b);
}

static void
test_diff_title_comes_from_the_newer_side(void **state)
{
    CM_UNUSED(state);
    json_t *a = parse(base_doc);
    json_t *b = parse(base_doc);
    json_object_set_new(element(b, "medication", 0), "name", json_string("Keppra"));
    json_t *d = cm_plan_diff(a, b);
    json_t *c = json_array_get(json_object_get(d, "changes"), 0);
    assert_string_equal(json_string_value(json_object_get(c, "title")), "Keppra");
    assert_json(json_object_get(c, "fields"),
                "[{\"field\":\"name\",\"from\":\"Levetiracetam\",\"to\":\"Keppra\"}]");
    json_decref(d);
    json_decref(a);
    json_decref(b);
}

static void
test_diff_lists_added_and_removed_items_in_plan_order(void **state)
{
    CM_UNUSED(state);
    json_t *a = parse(base_doc);
    json_t *b = parse(base_doc);
    json_t *elements = json_object_get(b, "elements");
    json_array_clear(json_object_get(elements, "goal"));
    json_array_append_new(json_object_get(elements, "medication"),
                          parse("{\"id\":52,\"kind\":\"medication\",\"lang\":\"en\","
                                "\"name\":\"Baclofen\",\"dose\":\"5 mg\",\"route\":\"g_tube\","
                                "\"schedule\":\"Three times a day\",\"purpose\":\"Eases "
                                "stiffness\",\"key\":false,\"translations\":{}}"));
    json_array_append_new(json_object_get(elements, "summary"),
                          parse("{\"id\":90,\"kind\":\"summary\",\"lang\":\"en\","
                                "\"text\":\"Zuri is 9 and loves music.\",\"translations\":"
                                "{\"es\":{\"text\":\"A Zuri le encanta la música.\"}}}"));
    json_t *d = cm_plan_diff(a, b);
    assert_json(
        d,
        "{\"changes\":["
        "{\"kind\":\"summary\",\"id\":90,\"title\":\"Zuri is 9 and loves music.\","
        "\"change\":\"added\",\"fields\":["
        "{\"field\":\"text\",\"from\":null,\"to\":\"Zuri is 9 and loves music.\"},"
        "{\"field\":\"lang\",\"from\":null,\"to\":\"en\"},"
        "{\"field\":\"text\",\"lang\":\"es\",\"from\":null,"
        "\"to\":\"A Zuri le encanta la música.\"}]},"
        "{\"kind\":\"goal\",\"id\":1,\"title\":\"Go to school every day\",\"change\":\"removed\","
        "\"fields\":[{\"field\":\"text\",\"from\":\"Go to school every day\",\"to\":null},"
        "{\"field\":\"status\",\"from\":\"active\",\"to\":null},"
        "{\"field\":\"lang\",\"from\":\"en\",\"to\":null}]},"
        "{\"kind\":\"medication\",\"id\":52,\"title\":\"Baclofen\",\"change\":\"added\","
        "\"fields\":[{\"field\":\"name\",\"from\":null,\"to\":\"Baclofen\"},"
        "{\"field\":\"dose\",\"from\":null,\"to\":\"5 mg\"},"
        "{\"field\":\"route\",\"from\":null,\"to\":\"g_tube\"},"
        "{\"field\":\"schedule\",\"from\":null,\"to\":\"Three times a day\"},"
        "{\"field\":\"purpose\",\"from\":null,\"to\":\"Eases stiffness\"},"
        "{\"field\":\"key\",\"from\":null,\"to\":false},"
        "{\"field\":\"lang\",\"from\":null,\"to\":\"en\"}]}]}");
    json_decref(d);
    json_decref(a);
    json_decref(b);
}

static void
test_diff_matches_items_by_id_not_by_position(void **state)
{
    CM_UNUSED(state);
    json_t *a = parse(base_doc);
    json_t *b = parse(base_doc);
    /* Same text under another id: one removed, one added, never "changed". */
    json_object_set_new(element(b, "goal", 0), "id", json_integer(2));
    json_t *d = cm_plan_diff(a, b);
    json_t *changes = json_object_get(d, "changes");
    assert_int_equal(json_array_size(changes), 2);
    assert_string_equal(json_string_value(json_object_get(json_array_get(changes, 0), "change")),
                        "added");
    assert_int_equal(json_integer_value(json_object_get(json_array_get(changes, 0), "id")), 2);
    assert_string_equal(json_string_value(json_object_get(json_array_get(changes, 1), "change")),
                        "removed");
    assert_int_equal(json_integer_value(json_object_get(json_array_get(changes, 1), "id")), 1);
    json_decref(d);
    json_decref(a);
    json_decref(b);
}

static void
test_diff_lists_contact_and_family_changes_after_the_elements(void **state)
{
    CM_UNUSED(state);
    json_t *a = parse(base_doc);
    json_t *b = parse(base_doc);
    json_t *contact = json_array_get(json_object_get(b, "contacts"), 0);
    json_object_set_new(contact, "phone", json_string("555-0199"));
    json_object_set_new(contact, "lead", json_string("backup"));
    json_array_append_new(json_object_get(b, "family"),
                          parse("{\"id\":8,\"name\":\"Luis Testchild\",\"relationship\":"
                                "\"father\",\"is_guardian\":false,\"phone\":null,\"email\":null,"
                                "\"preferred_language\":\"en\"}"));
    json_object_set_new(element(b, "goal", 0), "status", json_string("met"));
    json_t *d = cm_plan_diff(a, b);
    assert_json(d, "{\"changes\":["
                   "{\"kind\":\"goal\",\"id\":1,\"title\":\"Go to school every day\","
                   "\"change\":\"changed\",\"fields\":["
                   "{\"field\":\"status\",\"from\":\"active\",\"to\":\"met\"}]},"
                   "{\"kind\":\"contact\",\"id\":41,\"title\":\"Ada Coordinator\","
                   "\"change\":\"changed\",\"fields\":["
                   "{\"field\":\"phone\",\"from\":\"555-0100\",\"to\":\"555-0199\"},"
                   "{\"field\":\"lead\",\"from\":\"lead\",\"to\":\"backup\"}]},"
                   "{\"kind\":\"family\",\"id\":8,\"title\":\"Luis Testchild\","
                   "\"change\":\"added\",\"fields\":["
                   "{\"field\":\"name\",\"from\":null,\"to\":\"Luis Testchild\"},"
                   "{\"field\":\"relationship\",\"from\":null,\"to\":\"father\"},"
                   "{\"field\":\"is_guardian\",\"from\":null,\"to\":false},"
                   "{\"field\":\"preferred_language\",\"from\":null,\"to\":\"en\"}]}]}");
    json_decref(d);

    /* A contact who left the team is removed. */
    json_array_clear(json_object_get(b, "contacts"));
    d = cm_plan_diff(a, b);
    json_t *changes = json_object_get(d, "changes");
    json_t *c = json_array_get(changes, 1);
    assert_string_equal(json_string_value(json_object_get(c, "kind")), "contact");
    assert_string_equal(json_string_value(json_object_get(c, "change")), "removed");
    json_decref(d);
    json_decref(a);
    json_decref(b);
}

/* ---- the document from a real store ---------------------------------------------------------- */

struct fx {
    char dir[64];
    char path[128];
    struct cm_store *s;
    struct cm_conn *c;
    struct cm_arena *a;
    int64_t now;
    int64_t prog;
    int64_t nurse, doc, social, outsider;
    struct cm_viewer v; /* the nurse */
    int64_t child;
    int64_t m_nurse, m_school, m_doc, m_social; /* team memberships */
    int64_t fam_father, fam_mother;
};

static int64_t
add_user(struct fx *f, const char *username, const char *display, enum cm_role role)
{
    struct cm_err err = {0};
    struct cm_user u = {.program_id = f->prog,
                        .username = username,
                        .display_name = display,
                        .role = role,
                        .language = "en",
                        .password_hash = "$argon2id$test"};
    if (cm_store_user_create(f->c, &u, 0, &err) != CM_OK)
        fail_msg("user_create: %s", err.msg);
    return u.meta.id;
}

static int64_t
add_member(struct fx *f, int64_t user, const char *name, const char *role, int64_t org)
{
    struct cm_err err = {0};
    struct cm_team_member t = {.child_id = f->child,
                               .user_id = user,
                               .name = name,
                               .role = role,
                               .service = "care coordination",
                               .sector = CM_SECTOR_MEDICAL,
                               .organization_id = org,
                               .phone = "555-0100",
                               .start_date = "2020-01-01"};
    if (cm_store_team_create(f->c, &f->v, f->now, &t, &err) != CM_OK)
        fail_msg("team_create: %s %s", err.field, err.msg);
    return t.meta.id;
}

static int64_t
add_family(struct fx *f, const char *given, const char *relationship, bool guardian)
{
    struct cm_err err = {0};
    struct cm_family_member m = {.child_id = f->child,
                                 .given_name = given,
                                 .family_name = "Testchild",
                                 .relationship = relationship,
                                 .is_guardian = guardian,
                                 .phone = "555-0142",
                                 .preferred_language = "es"};
    if (cm_store_family_create(f->c, &f->v, f->now, &m, &err) != CM_OK)
        fail_msg("family_create: %s %s", err.field, err.msg);
    return m.meta.id;
}

/* Creates an item of kind from field=value pairs (strings; "key" true for a medication). */
static int64_t
add_item(struct fx *f, const char *kind_name, const char *const *pairs, size_t npairs,
         const char *translations)
{
    const struct cm_plan_kind_desc *d = cm_plan_kind_by_name(kind_name);
    assert_non_null(d);
    union cm_plan_value v[CM_PLAN_MAX_FIELDS] = {{0}};
    for (size_t i = 0; i + 1 < npairs; i += 2) {
        int fi = cm_plan_field_index(d, pairs[i]);
        assert_true(fi >= 0);
        if (d->fields[fi].type == CM_PF_BOOL)
            v[fi].b = strcmp(pairs[i + 1], "true") == 0;
        else if (d->fields[fi].type == CM_PF_REF || d->fields[fi].type == CM_PF_INT)
            v[fi].i = atoll(pairs[i + 1]);
        else
            v[fi].s = pairs[i + 1];
    }
    struct cm_err err = {0};
    if (cm_model_plan_item_validate(d, v, f->a, &err) != CM_OK)
        fail_msg("%s: %s %s", kind_name, err.field, err.msg);
    const char *body = NULL;
    assert_int_equal(cm_plan_body_encode(d, v, f->a, &body, &err), CM_OK);
    struct cm_plan_item it = {.child_id = f->child,
                              .kind = d->name,
                              .lang = "en",
                              .body = body,
                              .translations = translations};
    if (cm_store_plan_item_create(f->c, &f->v, f->now, &it, &err) != CM_OK)
        fail_msg("plan_item_create: %s %s", err.field, err.msg);
    return it.meta.id;
}

#define ITEM(f, kind, tr, ...)                                                                     \
    add_item(f, kind, (const char *const[]){__VA_ARGS__},                                          \
             CM_ARRAY_LEN(((const char *const[]){__VA_ARGS__})), tr)

static int
doc_setup(void **state)
{
    struct fx *f = calloc(1, sizeof(*f));
    assert_non_null(f);
    snprintf(f->dir, sizeof(f->dir), "/tmp/caremap-plandoc-XXXXXX");
    assert_non_null(mkdtemp(f->dir));
    snprintf(f->path, sizeof(f->path), "%s/caremap.db", f->dir);
    struct cm_err err = {0};
    assert_int_equal(cm_store_open(f->path, &f->s, &err), CM_OK);
    assert_int_equal(cm_store_conn_open(f->s, &f->c, &err), CM_OK);
    f->a = cm_arena_new(16 << 20);
    assert_non_null(f->a);
    f->now = cm_time_now();

    assert_int_equal(cm_store_begin(f->c, true, &err), CM_OK);
    assert_int_equal(cm_store_program_create(f->c, "Program One", &f->prog, &err), CM_OK);
    f->nurse = add_user(f, "coord.ada", "Ada Coordinator", CM_ROLE_NURSE_CARE_COORDINATOR);
    f->doc = add_user(f, "dr.ellis", "Dr Ellis", CM_ROLE_COMPLEX_CARE_PEDIATRICIAN);
    f->social = add_user(f, "sw.gray", "Sam Gray", CM_ROLE_SOCIAL_WORKER);
    f->outsider = add_user(f, "coord.ben", "Ben Other", CM_ROLE_NURSE_CARE_COORDINATOR);
    f->v = (struct cm_viewer){
        .user_id = f->nurse, .role = CM_ROLE_NURSE_CARE_COORDINATOR, .program_id = f->prog};
    struct cm_child ch = {.record_number = "DEMO-0012",
                          .given_name = "Zuri",
                          .family_name = "Testchild",
                          .birth_date = "2017-03-02",
                          .sex = "female",
                          .preferred_language = "es",
                          .tier = 3};
    assert_int_equal(cm_store_child_create(f->c, &f->v, &ch, &err), CM_OK);
    f->child = ch.meta.id;
    struct cm_organization o = {
        .program_id = f->prog, .name = "Lakeside Elementary", .type = CM_ORG_SCHOOL};
    assert_int_equal(cm_store_organization_create(f->c, &o, 0, &err), CM_OK);

    f->m_nurse = add_member(f, f->nurse, NULL, "nurse_care_coordinator", 0);
    f->m_school = add_member(f, 0, "Dana Schoolnurse", "school nurse", o.meta.id);
    f->m_doc = add_member(f, f->doc, NULL, "complex_care_pediatrician", 0);
    f->m_social = add_member(f, f->social, NULL, "social_worker", 0);
    /* The doctor leads and the school nurse backs up: both come before the nurse (lower id). */
    assert_int_equal(
        cm_store_team_set_lead(f->c, &f->v, f->child, 1, f->m_doc, f->m_school, f->now, &err),
        CM_OK);
    f->fam_father = add_family(f, "Luis", "father", false);
    f->fam_mother = add_family(f, "Maria", "mother", true);
    assert_int_equal(cm_store_commit(f->c, &err), CM_OK);
    *state = f;
    return 0;
}

static int
doc_teardown(void **state)
{
    struct fx *f = *state;
    cm_store_conn_close(f->c);
    cm_store_close(f->s);
    cm_arena_free(f->a);
    char p[192];
    static const char *const files[] = {"caremap.db", "caremap.db-wal", "caremap.db-shm"};
    for (size_t i = 0; i < CM_ARRAY_LEN(files); i++) {
        snprintf(p, sizeof(p), "%s/%s", f->dir, files[i]);
        unlink(p);
    }
    rmdir(f->dir);
    free(f);
    return 0;
}

static json_t *
document(struct fx *f)
{
    struct cm_err err = {0};
    json_t *doc = NULL;
    if (cm_plan_document(f->c, &f->v, f->child, f->now, &doc, f->a, &err) != CM_OK)
        fail_msg("document: %s %s", err.field, err.msg);
    assert_non_null(doc);
    return doc;
}

static void
test_document_of_a_child_without_a_plan_has_every_kind_empty(void **state)
{
    struct fx *f = *state;
    json_t *doc = document(f);
    const char *key;
    json_t *val;
    static const char *const top[] = {"format", "child", "elements", "contacts", "family"};
    size_t i = 0;
    json_object_foreach(doc, key, val)
    {
        assert_true(i < CM_ARRAY_LEN(top));
        assert_string_equal(key, top[i++]);
    }
    assert_int_equal(i, CM_ARRAY_LEN(top));
    assert_int_equal(json_integer_value(json_object_get(doc, "format")), 1);
    size_t nkinds = 0;
    const struct cm_plan_kind_desc *kinds = cm_plan_kinds(&nkinds);
    i = 0;
    json_object_foreach(json_object_get(doc, "elements"), key, val)
    {
        assert_true(i < nkinds);
        assert_string_equal(key, kinds[i++].name);
        assert_true(json_is_array(val));
        assert_int_equal(json_array_size(val), 0);
    }
    assert_int_equal(i, nkinds);
    json_decref(doc);
}

static void
test_document_child_has_the_documented_fields(void **state)
{
    struct fx *f = *state;
    json_t *doc = document(f);
    char want[400];
    snprintf(want, sizeof(want),
             "{\"id\":%lld,\"record_number\":\"DEMO-0012\",\"given_name\":\"Zuri\","
             "\"family_name\":\"Testchild\",\"preferred_name\":null,"
             "\"birth_date\":\"2017-03-02\",\"preferred_language\":\"es\"}",
             (long long)f->child);
    assert_json(json_object_get(doc, "child"), want);
    json_decref(doc);
}

static void
test_document_contacts_are_the_active_team_lead_then_backup_then_by_id(void **state)
{
    struct fx *f = *state;
    struct cm_err err = {0};
    /* The social worker leaves the team today: no longer a contact. */
    assert_int_equal(cm_store_team_end(f->c, &f->v, f->child, f->m_social, 1, NULL, f->now, &err),
                     CM_OK);
    json_t *doc = document(f);
    json_t *contacts = json_object_get(doc, "contacts");
    assert_int_equal(json_array_size(contacts), 3);
    int64_t want_ids[] = {f->m_doc, f->m_school, f->m_nurse};
    const char *want_lead[] = {"lead", "backup", "none"};
    for (size_t i = 0; i < 3; i++) {
        json_t *c = json_array_get(contacts, i);
        assert_int_equal(json_integer_value(json_object_get(c, "id")), want_ids[i]);
        assert_string_equal(json_string_value(json_object_get(c, "lead")), want_lead[i]);
    }
    char want[400];
    snprintf(want, sizeof(want),
             "{\"id\":%lld,\"name\":\"Dana Schoolnurse\",\"role\":\"school nurse\","
             "\"service\":\"care coordination\",\"sector\":\"medical\","
             "\"organization\":\"Lakeside Elementary\",\"phone\":\"555-0100\",\"email\":null,"
             "\"lead\":\"backup\"}",
             (long long)f->m_school);
    assert_json(json_array_get(contacts, 1), want);
    /* Staff members are named from their user. */
    assert_string_equal(json_string_value(json_object_get(json_array_get(contacts, 0), "name")),
                        "Dr Ellis");
    json_decref(doc);
}

static void
test_document_family_is_named_by_given_and_family_name(void **state)
{
    struct fx *f = *state;
    json_t *doc = document(f);
    char want[600];
    snprintf(want, sizeof(want),
             "[{\"id\":%lld,\"name\":\"Luis Testchild\",\"relationship\":\"father\","
             "\"is_guardian\":false,\"phone\":\"555-0142\",\"email\":null,"
             "\"preferred_language\":\"es\"},"
             "{\"id\":%lld,\"name\":\"Maria Testchild\",\"relationship\":\"mother\","
             "\"is_guardian\":true,\"phone\":\"555-0142\",\"email\":null,"
             "\"preferred_language\":\"es\"}]",
             (long long)f->fam_father, (long long)f->fam_mother);
    assert_json(json_object_get(doc, "family"), want);
    json_decref(doc);
}

static void
test_document_lists_live_items_by_kind_in_position_order(void **state)
{
    struct fx *f = *state;
    struct cm_err err = {0};
    int64_t med1 =
        ITEM(f, "medication", NULL, "name", "Levetiracetam", "dose", "2 mL", "route", "g_tube",
             "schedule", "Twice a day", "purpose", "Stops seizures", "key", "true");
    int64_t g1 = ITEM(f, "goal", NULL, "text", "Sleep through the night", "status", "active");
    int64_t g2 = ITEM(f, "goal", "{\"es\":{\"text\":\"Ir a la escuela\"}}", "text", "Go to school",
                      "status", "active");
    int64_t g3 = ITEM(f, "goal", NULL, "text", "Swim", "status", "met");
    int64_t sum = ITEM(f, "summary", NULL, "text", "Zuri is 9 and loves music.");
    int64_t med2 = ITEM(f, "medication", NULL, "name", "Baclofen", "dose", "5 mg", "route",
                        "g_tube", "schedule", "Three times a day", "purpose", "Eases stiffness");
    ITEM(f, "condition", NULL, "description", "Cerebral palsy", "code", "G800", "body_system",
         "neurological");
    assert_int_equal(cm_store_plan_item_remove(f->c, &f->v, f->child, g1, 1, f->now, &err), CM_OK);

    json_t *doc = document(f);
    json_t *el = json_object_get(doc, "elements");
    json_t *goals = json_object_get(el, "goal");
    assert_int_equal(json_array_size(goals), 2);
    assert_int_equal(json_integer_value(json_object_get(json_array_get(goals, 0), "id")), g2);
    assert_int_equal(json_integer_value(json_object_get(json_array_get(goals, 1), "id")), g3);
    assert_int_equal(json_integer_value(json_object_get(json_array_get(goals, 0), "position")), 2);
    bool translated = false;
    assert_string_equal(cm_plan_text(json_array_get(goals, 0), "text", "es", &translated),
                        "Ir a la escuela");
    assert_true(translated);
    json_t *meds = json_object_get(el, "medication");
    assert_int_equal(json_array_size(meds), 2);
    assert_int_equal(json_integer_value(json_object_get(json_array_get(meds, 0), "id")), med1);
    assert_int_equal(json_integer_value(json_object_get(json_array_get(meds, 1), "id")), med2);
    assert_true(json_is_true(json_object_get(json_array_get(meds, 0), "key")));
    assert_true(json_is_false(json_object_get(json_array_get(meds, 1), "key")));
    assert_int_equal(json_integer_value(
                         json_object_get(json_array_get(json_object_get(el, "summary"), 0), "id")),
                     sum);
    json_t *cond = json_array_get(json_object_get(el, "condition"), 0);
    assert_string_equal(json_string_value(json_object_get(cond, "code")), "G80.0");
    assert_string_equal(json_string_value(json_object_get(cond, "kind")), "condition");
    assert_int_equal(json_integer_value(json_object_get(cond, "updated_by")), f->nurse);
    assert_int_equal(json_array_size(json_object_get(el, "allergy")), 0);
    json_decref(doc);
}

static void
test_document_is_the_same_bytes_for_the_same_plan(void **state)
{
    struct fx *f = *state;
    ITEM(f, "goal", "{\"es\":{\"text\":\"Ir a la escuela\"}}", "text", "Go to school", "status",
         "active");
    ITEM(f, "allergy", NULL, "substance", "Latex", "severity", "severe");
    json_t *d1 = document(f);
    json_t *d2 = document(f);
    char *s1 = json_dumps(d1, JSON_COMPACT);
    char *s2 = json_dumps(d2, JSON_COMPACT);
    assert_string_equal(s1, s2);
    /* Nothing time-of-assembly in it: a later clock gives the same document. */
    f->now += 3600;
    json_t *d3 = document(f);
    char *s3 = json_dumps(d3, JSON_COMPACT);
    assert_string_equal(s1, s3);
    free(s1);
    free(s2);
    free(s3);
    json_decref(d1);
    json_decref(d2);
    json_decref(d3);
}

static void
test_document_of_a_child_out_of_reach_is_not_found(void **state)
{
    struct fx *f = *state;
    struct cm_err err = {0};
    struct cm_viewer other = {
        .user_id = f->outsider, .role = CM_ROLE_NURSE_CARE_COORDINATOR, .program_id = f->prog};
    json_t *doc = (json_t *)1;
    assert_int_equal(cm_plan_document(f->c, &other, f->child, f->now, &doc, f->a, &err),
                     CM_ENOTFOUND);
    assert_null(doc);
    cm_err_clear(&err);
    assert_int_equal(cm_plan_document(f->c, &f->v, f->child + 1000, f->now, &doc, f->a, &err),
                     CM_ENOTFOUND);
}

static void
test_diff_of_two_documents_shows_an_edit_made_in_the_store(void **state)
{
    struct fx *f = *state;
    struct cm_err err = {0};
    int64_t med = ITEM(f, "medication", NULL, "name", "Levetiracetam", "dose", "2 mL", "route",
                       "g_tube", "schedule", "Twice a day", "purpose", "Stops seizures");
    json_t *before = document(f);

    /* The coordinator changes the dose and a person enters the Spanish schedule. */
    const struct cm_plan_kind_desc *d = cm_plan_kind_by_name("medication");
    struct cm_plan_item it;
    assert_int_equal(
        cm_store_plan_item_get(f->c, &f->v, f->child, "medication", med, f->now, &it, f->a, &err),
        CM_OK);
    union cm_plan_value v[CM_PLAN_MAX_FIELDS];
    assert_int_equal(cm_plan_body_decode(d, it.body, v, f->a, &err), CM_OK);
    v[cm_plan_field_index(d, "dose")].s = "3 mL";
    assert_int_equal(cm_plan_body_encode(d, v, f->a, &it.body, &err), CM_OK);
    union cm_plan_value t[CM_PLAN_MAX_FIELDS] = {{0}};
    int si = cm_plan_field_index(d, "schedule");
    t[si].s = "Dos veces al día";
    assert_int_equal(cm_plan_translation_apply(d, it.translations, "es", t, (uint64_t)1 << si, f->a,
                                               &it.translations, &err),
                     CM_OK);
    assert_int_equal(cm_store_plan_item_update(f->c, &f->v, f->now + 60, &it, &err), CM_OK);

    json_t *after = document(f);
    json_t *diff = cm_plan_diff(before, after);
    char want[600];
    snprintf(want, sizeof(want),
             "{\"changes\":[{\"kind\":\"medication\",\"id\":%lld,\"title\":\"Levetiracetam\","
             "\"change\":\"changed\",\"fields\":["
             "{\"field\":\"dose\",\"from\":\"2 mL\",\"to\":\"3 mL\"},"
             "{\"field\":\"schedule\",\"lang\":\"es\",\"from\":null,"
             "\"to\":\"Dos veces al día\"}]}]}",
             (long long)med);
    assert_json(diff, want);
    json_decref(diff);
    json_decref(before);
    json_decref(after);
}

int
main(void)
{
    const struct CMUnitTest tests[] = {
        cmocka_unit_test(test_status_names_are_stable),
        cmocka_unit_test(test_cutoff_keeps_the_day_and_the_time_of_day),
        cmocka_unit_test(test_cutoff_from_a_long_month_end_lands_on_the_last_day_of_a_short_month),
        cmocka_unit_test(test_cutoff_knows_leap_years),
        cmocka_unit_test(test_review_on_31_may_is_due_on_30_november),
        cmocka_unit_test(test_status_is_none_before_the_first_version),
        cmocka_unit_test(test_status_is_current_from_the_cutoff_on_and_due_before_it),
        cmocka_unit_test(test_status_is_due_when_frozen_but_never_reviewed),
        cmocka_unit_test(test_diff_of_equal_documents_is_empty),
        cmocka_unit_test(test_diff_lists_changed_fields_then_translations_by_language),
        cmocka_unit_test(test_diff_title_comes_from_the_newer_side),
        cmocka_unit_test(test_diff_lists_added_and_removed_items_in_plan_order),
        cmocka_unit_test(test_diff_matches_items_by_id_not_by_position),
        cmocka_unit_test(test_diff_lists_contact_and_family_changes_after_the_elements),
        cmocka_unit_test_setup_teardown(
            test_document_of_a_child_without_a_plan_has_every_kind_empty, doc_setup, doc_teardown),
        cmocka_unit_test_setup_teardown(test_document_child_has_the_documented_fields, doc_setup,
                                        doc_teardown),
        cmocka_unit_test_setup_teardown(
            test_document_contacts_are_the_active_team_lead_then_backup_then_by_id, doc_setup,
            doc_teardown),
        cmocka_unit_test_setup_teardown(test_document_family_is_named_by_given_and_family_name,
                                        doc_setup, doc_teardown),
        cmocka_unit_test_setup_teardown(test_document_lists_live_items_by_kind_in_position_order,
                                        doc_setup, doc_teardown),
        cmocka_unit_test_setup_teardown(test_document_is_the_same_bytes_for_the_same_plan,
                                        doc_setup, doc_teardown),
        cmocka_unit_test_setup_teardown(test_document_of_a_child_out_of_reach_is_not_found,
                                        doc_setup, doc_teardown),
        cmocka_unit_test_setup_teardown(test_diff_of_two_documents_shows_an_edit_made_in_the_store,
                                        doc_setup, doc_teardown),
    };
    return cmocka_run_group_tests_name("plan_document", tests, NULL, NULL);
}
