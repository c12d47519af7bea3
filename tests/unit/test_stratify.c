/*
 * identify/stratify: the default tier rules (data/stratify/tiers.json), the strict rules parser,
 * the encounters reader (window arithmetic, malformed rows, memory) and the assignment. Fixtures:
 * tests/data/identify/encounters_sample.tsv (one patient per rule, dates at the window's edges)
 * and encounters_malformed.tsv (one row per malformed kind).
 */
#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>

#include <cmocka.h>

#include "testlib.h"
#include <sodium.h>

#include "core/data.h"
#include "identify/stratify.h"

#define ARENA_CAP ((size_t)256 * 1024 * 1024)

/* ---- helpers --------------------------------------------------------------------------------- */

struct fixture {
    struct cm_arena *arena;
    struct cm_stratify_rules *rules; /* the embedded default */
};

static int
setup(void **state)
{
    struct fixture *f = calloc(1, sizeof(*f));
    assert_non_null(f);
    f->arena = cm_arena_new(ARENA_CAP);
    assert_non_null(f->arena);
    struct cm_err err = {0};
    if (cm_stratify_rules_load(NULL, &f->rules, f->arena, &err) != CM_OK)
        fail_msg("default rules: %s", err.msg);
    *state = f;
    return 0;
}

static int
teardown(void **state)
{
    struct fixture *f = *state;
    cm_arena_free(f->arena);
    free(f);
    return 0;
}

/* A seekable stream holding the len bytes of text (tmpfile: fmemopen refuses zero bytes). */
static FILE *
stream_of(const char *text, size_t len)
{
    FILE *fp = tmpfile();
    assert_non_null(fp);
    assert_int_equal(fwrite(text, 1, len, fp), len);
    rewind(fp);
    return fp;
}

/* One read of an encounters text: the code, the error, the stats and what was reported. */
struct enc {
    enum cm_code rc;
    struct cm_err err;
    struct cm_stratify_enc_stats st;
    struct cm_stratify_encounters *table;
    char *report;
    size_t report_len;
};

static struct enc
read_from(FILE *in, struct cm_arena *a, const char *name, const char *as_of, unsigned window,
          size_t max_errors, char delim)
{
    struct enc e = {0};
    FILE *errs = open_memstream(&e.report, &e.report_len);
    assert_non_null(errs);
    struct cm_stratify_enc_opts o = {
        .input_name = name,
        .delimiter = delim,
        .max_errors = max_errors,
        .errors = errs,
        .as_of = as_of,
        .window_months = window,
    };
    e.rc = cm_stratify_encounters_read(in, &o, &e.table, a, &e.st, &e.err);
    fclose(errs);
    return e;
}

static struct enc
read_text(struct cm_arena *a, const char *text, const char *name, const char *as_of,
          unsigned window, size_t max_errors)
{
    FILE *in = stream_of(text, strlen(text));
    struct enc e = read_from(in, a, name, as_of, window, max_errors, 0);
    fclose(in);
    return e;
}

static struct enc
read_fixture(struct cm_arena *a, const char *rel, const char *as_of, size_t max_errors)
{
    size_t len = 0;
    char *text = testlib_slurp(rel, &len);
    FILE *in = stream_of(text, len);
    free(text);
    struct enc e = read_from(in, a, rel, as_of, 12, max_errors, 0);
    fclose(in);
    return e;
}

static void
enc_free(struct enc *e)
{
    free(e->report);
}

/* The count of type t for id, 0 when the patient has none in the window. */
static uint32_t
count_of(const struct enc *e, const char *id, enum cm_encounter_type t)
{
    const struct cm_identify_encounter_counts *c =
        cm_stratify_encounters_find(e->table, id, strlen(id));
    return c == NULL ? 0 : c->n[t];
}

static struct cm_stratify_child
kid(enum cm_identify_class cls)
{
    return (struct cm_stratify_child){.cls = cls};
}

/* Assigns and checks tier and rule id together, so a failure names both. */
static void
expect_tier(const struct cm_stratify_rules *r, const struct cm_stratify_child *c, int tier,
            const char *rule_id)
{
    struct cm_stratify_tier t = {-1, NULL, NULL};
    cm_stratify_assign(r, c, &t);
    if (t.tier != tier || t.rule_id == NULL || strcmp(t.rule_id, rule_id) != 0)
        fail_msg("got tier %d rule %s, want tier %d rule %s", t.tier,
                 t.rule_id ? t.rule_id : "(null)", tier, rule_id);
    assert_non_null(t.reason);
    assert_true(strlen(t.reason) > 0);
}

static struct cm_stratify_rules *
parse_ok(struct cm_arena *a, const char *text)
{
    struct cm_stratify_rules *r = NULL;
    struct cm_err err = {0};
    if (cm_stratify_rules_parse("t.json", text, strlen(text), &r, a, &err) != CM_OK)
        fail_msg("parse: %s", err.msg);
    return r;
}

/* ---- the default rules ----------------------------------------------------------------------- */

static void
test_default_rules_are_embedded_with_their_name_window_and_checksum(void **state)
{
    struct fixture *f = *state;
    assert_string_equal(cm_stratify_rules_name(f->rules), "stratify/tiers.json");
    assert_int_equal(cm_stratify_rules_window_months(f->rules), 12);
    /* The checksum is of the file in the tree, so a stale embedded copy fails here. */
    size_t len = 0;
    char *text = testlib_slurp("data/stratify/tiers.json", &len);
    unsigned char h[crypto_hash_sha256_BYTES];
    crypto_hash_sha256(h, (const unsigned char *)text, len);
    char hex[2 * crypto_hash_sha256_BYTES + 1];
    cm_hex(h, sizeof(h), hex);
    assert_string_equal(cm_stratify_rules_sha256(f->rules), hex);
    const struct cm_data_file *d = cm_data_find("stratify/tiers.json");
    assert_non_null(d);
    assert_int_equal(d->len, len);
    assert_memory_equal(d->data, text, len);
    free(text);
}

static void
test_complex_chronic_child_with_technology_is_tier3_technology(void **state)
{
    struct fixture *f = *state;
    struct cm_stratify_child c = kid(CM_IDENTIFY_COMPLEX_CHRONIC);
    c.tech_dep = true;
    expect_tier(f->rules, &c, 3, "tier3-technology");
    struct cm_stratify_tier t;
    cm_stratify_assign(f->rules, &c, &t);
    assert_string_equal(t.reason, "Complex chronic condition and depends on medical technology");
}

static void
test_complex_chronic_child_with_two_admissions_is_tier3_and_with_one_tier2(void **state)
{
    struct fixture *f = *state;
    struct cm_identify_encounter_counts n = {{0}};
    struct cm_stratify_child c = kid(CM_IDENTIFY_COMPLEX_CHRONIC);
    c.counts = &n;
    n.n[CM_ENC_ADMISSION] = 1;
    expect_tier(f->rules, &c, 2, "tier2-complex");
    n.n[CM_ENC_ADMISSION] = 2;
    expect_tier(f->rules, &c, 3, "tier3-admissions");
    /* Observation stays are not admissions. */
    n.n[CM_ENC_ADMISSION] = 1;
    n.n[CM_ENC_OBSERVATION] = 5;
    expect_tier(f->rules, &c, 2, "tier2-complex");
}

static void
test_complex_chronic_child_with_three_ed_visits_is_tier3_and_with_two_tier2(void **state)
{
    struct fixture *f = *state;
    struct cm_identify_encounter_counts n = {{0}};
    struct cm_stratify_child c = kid(CM_IDENTIFY_COMPLEX_CHRONIC);
    c.counts = &n;
    n.n[CM_ENC_ED] = 2;
    expect_tier(f->rules, &c, 2, "tier2-complex");
    n.n[CM_ENC_ED] = 3;
    expect_tier(f->rules, &c, 3, "tier3-ed-visits");
}

static void
test_complex_chronic_child_alone_is_tier2(void **state)
{
    struct fixture *f = *state;
    struct cm_stratify_child c = kid(CM_IDENTIFY_COMPLEX_CHRONIC);
    c.transplant = true;
    c.malignancy = true;
    c.progressive = true;
    c.conditions = 5;
    expect_tier(f->rules, &c, 2, "tier2-complex");
}

static void
test_non_complex_chronic_child_is_tier1_whatever_its_encounters(void **state)
{
    struct fixture *f = *state;
    struct cm_identify_encounter_counts n = {{0}};
    n.n[CM_ENC_ADMISSION] = 4;
    n.n[CM_ENC_ED] = 9;
    struct cm_stratify_child c = kid(CM_IDENTIFY_NON_COMPLEX_CHRONIC);
    c.counts = &n;
    c.tech_dep = true;
    expect_tier(f->rules, &c, 1, "tier1-chronic");
}

static void
test_non_chronic_child_gets_no_tier_and_the_files_reason(void **state)
{
    struct fixture *f = *state;
    struct cm_identify_encounter_counts n = {{0}};
    n.n[CM_ENC_ED] = 7;
    struct cm_stratify_child c = kid(CM_IDENTIFY_NON_CHRONIC);
    c.counts = &n;
    expect_tier(f->rules, &c, 0, "none");
    struct cm_stratify_tier t;
    cm_stratify_assign(f->rules, &c, &t);
    assert_string_equal(t.reason,
                        "No chronic condition found in the claims, so no care coordination tier");
    /* A class the rules do not know (0) matches no class condition either. */
    c.cls = 0;
    expect_tier(f->rules, &c, 0, "none");
}

static void
test_first_rule_in_file_order_fires_within_a_tier(void **state)
{
    struct fixture *f = *state;
    struct cm_identify_encounter_counts n = {{0}};
    n.n[CM_ENC_ADMISSION] = 3;
    n.n[CM_ENC_ED] = 3;
    struct cm_stratify_child c = kid(CM_IDENTIFY_COMPLEX_CHRONIC);
    c.counts = &n;
    expect_tier(f->rules, &c, 3, "tier3-admissions");
    c.tech_dep = true;
    expect_tier(f->rules, &c, 3, "tier3-technology");
}

/* ---- rules from other files ------------------------------------------------------------------ */

static void
test_tiers_are_tried_from_the_highest_whatever_the_file_order(void **state)
{
    struct fixture *f = *state;
    struct cm_stratify_rules *r = parse_ok(
        f->arena,
        "{\"version\":1,\"window_months\":6,\"no_tier_reason\":\"Nothing\",\"tiers\":["
        "{\"tier\":1,\"label\":\"Low\",\"rules\":[{\"id\":\"low\",\"reason\":\"Anyone\","
        "\"when\":{\"encounters_min\":0}}]},"
        "{\"tier\":3,\"label\":\"High\",\"rules\":[{\"id\":\"high\",\"reason\":\"Any ED\","
        "\"when\":{\"ed_min\":1}}]},"
        "{\"tier\":2,\"label\":\"Mid\",\"rules\":[{\"id\":\"mid\",\"reason\":\"Any visit\","
        "\"when\":{\"specialty_min\":1}}]}]}");
    assert_int_equal(cm_stratify_rules_window_months(r), 6);
    assert_string_equal(cm_stratify_rules_name(r), "t.json");
    struct cm_identify_encounter_counts n = {{0}};
    struct cm_stratify_child c = kid(CM_IDENTIFY_NON_CHRONIC);
    expect_tier(r, &c, 1, "low"); /* counts NULL: every count is 0, and 0 >= 0 */
    c.counts = &n;
    n.n[CM_ENC_SPECIALTY] = 1;
    expect_tier(r, &c, 2, "mid");
    n.n[CM_ENC_ED] = 1;
    expect_tier(r, &c, 3, "high");
}

/* Each *_min condition looks at its own count: 1 of it does not reach 2, 5 of every other type
 * do not help, 2 of it does. */
static void
test_each_minimum_condition_counts_its_own_encounter_type(void **state)
{
    struct fixture *f = *state;
    static const struct {
        const char *key;
        int type;
    } keys[] = {
        {"ed_min", CM_ENC_ED},
        {"admissions_min", CM_ENC_ADMISSION},
        {"observation_min", CM_ENC_OBSERVATION},
        {"specialty_min", CM_ENC_SPECIALTY},
        {"primary_care_min", CM_ENC_PRIMARY_CARE},
        {"home_health_min", CM_ENC_HOME_HEALTH},
        {"other_min", CM_ENC_OTHER},
    };
    for (size_t i = 0; i < CM_ARRAY_LEN(keys); i++) {
        char text[512];
        snprintf(text, sizeof(text),
                 "{\"version\":1,\"window_months\":12,\"no_tier_reason\":\"No\",\"tiers\":[{"
                 "\"tier\":2,\"label\":\"L\",\"rules\":[{\"id\":\"r\",\"reason\":\"R\","
                 "\"when\":{\"%s\":2}}]}]}",
                 keys[i].key);
        struct cm_stratify_rules *r = parse_ok(f->arena, text);
        struct cm_identify_encounter_counts n = {{0}};
        for (int t = 0; t < CM_ENC_TYPES; t++)
            n.n[t] = t == keys[i].type ? 1 : 5;
        struct cm_stratify_child c = kid(CM_IDENTIFY_COMPLEX_CHRONIC);
        c.counts = &n;
        expect_tier(r, &c, 0, "none");
        n.n[keys[i].type] = 2;
        expect_tier(r, &c, 2, "r");
    }
}

static void
test_encounters_min_counts_every_type_and_conditions_min_the_conditions(void **state)
{
    struct fixture *f = *state;
    struct cm_stratify_rules *r = parse_ok(
        f->arena, "{\"version\":1,\"window_months\":12,\"no_tier_reason\":\"No\",\"tiers\":["
                  "{\"tier\":3,\"label\":\"A\",\"rules\":[{\"id\":\"busy\",\"reason\":\"R\","
                  "\"when\":{\"encounters_min\":3}}]},"
                  "{\"tier\":2,\"label\":\"B\",\"rules\":[{\"id\":\"many\",\"reason\":\"R\","
                  "\"when\":{\"conditions_min\":2}}]}]}");
    struct cm_identify_encounter_counts n = {{0}};
    struct cm_stratify_child c = kid(CM_IDENTIFY_COMPLEX_CHRONIC);
    c.counts = &n;
    c.conditions = 1;
    n.n[CM_ENC_ED] = 1;
    n.n[CM_ENC_OTHER] = 1;
    expect_tier(r, &c, 0, "none");
    c.conditions = 2;
    expect_tier(r, &c, 2, "many");
    n.n[CM_ENC_HOME_HEALTH] = 1;
    expect_tier(r, &c, 3, "busy");
}

static void
test_flag_conditions_require_the_value_given(void **state)
{
    struct fixture *f = *state;
    static const char *const flags[] = {"tech_dep", "transplant", "progressive", "malignancy"};
    for (size_t i = 0; i < CM_ARRAY_LEN(flags); i++) {
        for (int want = 0; want <= 1; want++) {
            char text[512];
            snprintf(text, sizeof(text),
                     "{\"version\":1,\"window_months\":12,\"no_tier_reason\":\"No\",\"tiers\":"
                     "[{\"tier\":1,\"label\":\"L\",\"rules\":[{\"id\":\"f\",\"reason\":\"R\","
                     "\"when\":{\"%s\":%s}}]}]}",
                     flags[i], want ? "true" : "false");
            struct cm_stratify_rules *r = parse_ok(f->arena, text);
            /* Every other flag is set opposite, so only the named one can decide. */
            bool v[4];
            for (size_t k = 0; k < 4; k++)
                v[k] = k == i ? want : !want;
            struct cm_stratify_child c = kid(CM_IDENTIFY_NON_CHRONIC);
            c.tech_dep = v[0];
            c.transplant = v[1];
            c.progressive = v[2];
            c.malignancy = v[3];
            expect_tier(r, &c, 1, "f");
            v[i] = !want;
            c.tech_dep = v[0];
            c.transplant = v[1];
            c.progressive = v[2];
            c.malignancy = v[3];
            expect_tier(r, &c, 0, "none");
        }
    }
}

static void
test_class_condition_accepts_any_class_listed(void **state)
{
    struct fixture *f = *state;
    struct cm_stratify_rules *r = parse_ok(
        f->arena, "{\"version\":1,\"window_months\":12,\"no_tier_reason\":\"No\",\"tiers\":[{"
                  "\"tier\":1,\"label\":\"L\",\"rules\":[{\"id\":\"c\",\"reason\":\"R\","
                  "\"when\":{\"class\":[\"non_chronic\",\"non_complex_chronic\"]}}]}]}");
    struct cm_stratify_child c = kid(CM_IDENTIFY_NON_CHRONIC);
    expect_tier(r, &c, 1, "c");
    c.cls = CM_IDENTIFY_NON_COMPLEX_CHRONIC;
    expect_tier(r, &c, 1, "c");
    c.cls = CM_IDENTIFY_COMPLEX_CHRONIC;
    expect_tier(r, &c, 0, "none");
}

static void
test_rules_checksum_is_of_the_text_as_given(void **state)
{
    struct fixture *f = *state;
    const char *text = "{\"version\":1,\"window_months\":1,\"no_tier_reason\":\"No\",\"tiers\":[{"
                       "\"tier\":1,\"label\":\"L\",\"rules\":[{\"id\":\"c\",\"reason\":\"R\","
                       "\"when\":{\"tech_dep\":true}}]}]}\n";
    struct cm_stratify_rules *r = parse_ok(f->arena, text);
    unsigned char h[crypto_hash_sha256_BYTES];
    crypto_hash_sha256(h, (const unsigned char *)text, strlen(text));
    char hex[2 * crypto_hash_sha256_BYTES + 1];
    cm_hex(h, sizeof(h), hex);
    assert_string_equal(cm_stratify_rules_sha256(r), hex);
}

/* ---- the parser refuses -------------------------------------------------------------------- */

#define HEAD "{\"version\":1,\"window_months\":12,\"no_tier_reason\":\"No tier\",\"tiers\":["
#define TAIL "]}"
#define T3                                                                                         \
    "{\"tier\":3,\"label\":\"Top\",\"rules\":[{\"id\":\"a\",\"reason\":\"A\",\"when\":{\"tech_"    \
    "dep\":true}}]}"
#define RULE(id, reason, when) "{\"id\":\"" id "\",\"reason\":" reason ",\"when\":" when "}"
#define T2(rule)               "{\"tier\":2,\"label\":\"Mid\",\"rules\":[" rule "]}"
#define ID41                   "abcdefghij-abcdefghij-abcdefghij-abcdefgh"
#define A10                    "aaaaaaaaaa"
#define A50                    A10 A10 A10 A10 A10
#define ID40                   "abcdefghij-abcdefghij-abcdefghij-abcdefg"
#define R200                   "\"" A50 A50 A50 A50 "\""
#define R201                   "\"" A50 A50 A50 A50 "a\""

static void
test_malformed_rule_files_are_refused_naming_the_json_path(void **state)
{
    struct fixture *f = *state;
    static const struct {
        const char *text;
        const char *msg;
    } cases[] = {
        {"", "tiers.json:1:0: '[' or '{' expected near end of file"},
        {"{\"version\":1,", "tiers.json:1:13: string or '}' expected near end of file"},
        {"{\"version\":1,\"version\":1}",
         "tiers.json:1:22: duplicate object key near '\"version\"'"},
        {"[]", "tiers.json: top level: must be a JSON object"},
        {"{\"version\":1,\"colour\":\"red\"}",
         "tiers.json: colour: unknown key (the top level has version, window_months, "
         "no_tier_reason and tiers)"},
        {"{\"window_months\":12,\"no_tier_reason\":\"x\",\"tiers\":[]}",
         "tiers.json: version: is required"},
        {"{\"version\":2,\"window_months\":12,\"no_tier_reason\":\"x\",\"tiers\":[]}",
         "tiers.json: version: must be 1, the only version of this format"},
        {"{\"version\":1,\"window_months\":0,\"no_tier_reason\":\"x\",\"tiers\":[]}",
         "tiers.json: window_months: must be an integer 1..120"},
        {"{\"version\":1,\"window_months\":12.0,\"no_tier_reason\":\"x\",\"tiers\":[]}",
         "tiers.json: window_months: must be an integer 1..120"},
        {"{\"version\":1,\"window_months\":12,\"no_tier_reason\":\"\",\"tiers\":[]}",
         "tiers.json: no_tier_reason: must not be empty"},
        {HEAD TAIL, "tiers.json: tiers: must be an array of 1 to 3 tiers"},
        {HEAD T3 "," T3 "," T3 "," T3 TAIL, "tiers.json: tiers: must be an array of 1 to 3 tiers"},
        {HEAD "3" TAIL, "tiers.json: tiers[0]: must be an object with tier, label and rules"},
        {HEAD "{\"tier\":4,\"label\":\"X\",\"rules\":[]}" TAIL,
         "tiers.json: tiers[0].tier: must be an integer 1..3"},
        {HEAD "{\"tier\":0,\"label\":\"X\",\"rules\":[]}" TAIL,
         "tiers.json: tiers[0].tier: must be an integer 1..3"},
        {HEAD T3 ",{\"tier\":3,\"label\":\"X\",\"rules\":[]}" TAIL,
         "tiers.json: tiers[1].tier: tier 3 appears twice (also tiers[0])"},
        {HEAD "{\"tier\":3,\"rules\":[]}" TAIL, "tiers.json: tiers[0].label: is required"},
        {HEAD "{\"tier\":3,\"label\":\"X\",\"rules\":[],\"colour\":1}" TAIL,
         "tiers.json: tiers[0].colour: unknown key (a tier has tier, label and rules)"},
        {HEAD "{\"tier\":3,\"label\":\"X\",\"rules\":[]}" TAIL,
         "tiers.json: tiers[0].rules: must be an array of 1 to 100 rules"},
        {HEAD T3 "," T2(RULE("Tier2", "\"R\"", "{\"tech_dep\":true}")) TAIL,
         "tiers.json: tiers[1].rules[0].id: must be 1 to 40 characters from a-z, 0-9 and -"},
        {HEAD T3 "," T2(RULE(ID41, "\"R\"", "{\"tech_dep\":true}")) TAIL,
         "tiers.json: tiers[1].rules[0].id: must be 1 to 40 characters from a-z, 0-9 and -"},
        {HEAD T3 "," T2(RULE("", "\"R\"", "{\"tech_dep\":true}")) TAIL,
         "tiers.json: tiers[1].rules[0].id: must be 1 to 40 characters from a-z, 0-9 and -"},
        {HEAD T3 "," T2(RULE("none", "\"R\"", "{\"tech_dep\":true}")) TAIL,
         "tiers.json: tiers[1].rules[0].id: 'none' is reserved for children no rule places"},
        {HEAD T3 "," T2(RULE("a", "\"R\"", "{\"tech_dep\":true}")) TAIL,
         "tiers.json: tiers[1].rules[0].id: duplicate rule id 'a' (also tiers[0].rules[0])"},
        {HEAD T2(RULE("b", "\"R\"", "{\"tech_dep\":true}") "," RULE("b", "\"R\"",
                                                                    "{\"tech_dep\":false}")) TAIL,
         "tiers.json: tiers[0].rules[1].id: duplicate rule id 'b' (also tiers[0].rules[0])"},
        {HEAD T3 "," T2("{\"id\":\"b\",\"when\":{\"tech_dep\":true}}") TAIL,
         "tiers.json: tiers[1].rules[0].reason: is required"},
        {HEAD T3 "," T2(RULE("b", "\"\"", "{\"tech_dep\":true}")) TAIL,
         "tiers.json: tiers[1].rules[0].reason: must not be empty"},
        {HEAD T3 "," T2(RULE("b", R201, "{\"tech_dep\":true}")) TAIL,
         "tiers.json: tiers[1].rules[0].reason: must be at most 200 bytes, got 201"},
        {HEAD T3 "," T2(RULE("b", "7", "{\"tech_dep\":true}")) TAIL,
         "tiers.json: tiers[1].rules[0].reason: must be a string"},
        {HEAD T3 "," T2("{\"id\":\"b\",\"reason\":\"R\",\"when\":{},\"note\":\"x\"}") TAIL,
         "tiers.json: tiers[1].rules[0].note: unknown key (a rule has id, reason and when)"},
        {HEAD T3 "," T2("{\"id\":\"b\",\"reason\":\"R\"}") TAIL,
         "tiers.json: tiers[1].rules[0].when: is required"},
        {HEAD T3 "," T2(RULE("b", "\"R\"", "{}")) TAIL,
         "tiers.json: tiers[1].rules[0].when: must hold at least one condition"},
        {HEAD T3 "," T2(RULE("b", "\"R\"", "[]")) TAIL,
         "tiers.json: tiers[1].rules[0].when: must be an object of conditions"},
        {HEAD T3 "," T2(RULE("b", "\"R\"", "{\"admission_min\":2}")) TAIL,
         "tiers.json: tiers[1].rules[0].when.admission_min: unknown condition (docs/stratify.md "
         "lists them)"},
        {HEAD T3 "," T2(RULE("b", "\"R\"", "{\"admissions_min\":-1}")) TAIL,
         "tiers.json: tiers[1].rules[0].when.admissions_min: must be an integer 0..1000"},
        {HEAD T3 "," T2(RULE("b", "\"R\"", "{\"admissions_min\":1001}")) TAIL,
         "tiers.json: tiers[1].rules[0].when.admissions_min: must be an integer 0..1000"},
        {HEAD T3 "," T2(RULE("b", "\"R\"", "{\"ed_min\":\"3\"}")) TAIL,
         "tiers.json: tiers[1].rules[0].when.ed_min: must be an integer 0..1000"},
        {HEAD T3 "," T2(RULE("b", "\"R\"", "{\"tech_dep\":1}")) TAIL,
         "tiers.json: tiers[1].rules[0].when.tech_dep: must be true or false"},
        {HEAD T3 "," T2(RULE("b", "\"R\"", "{\"class\":\"complex_chronic\"}")) TAIL,
         "tiers.json: tiers[1].rules[0].when.class: must be a non-empty array of class names"},
        {HEAD T3 "," T2(RULE("b", "\"R\"", "{\"class\":[]}")) TAIL,
         "tiers.json: tiers[1].rules[0].when.class: must be a non-empty array of class names"},
        {HEAD T3 "," T2(RULE("b", "\"R\"", "{\"class\":[\"complex_chronic\",\"complex\"]}")) TAIL,
         "tiers.json: tiers[1].rules[0].when.class[1]: must be complex_chronic, "
         "non_complex_chronic or non_chronic"},
        {HEAD T3 "," T2(RULE("b", "\"R\"", "{\"class\":[\"complex_chronic\",\"complex_chronic\"]}"))
             TAIL,
         "tiers.json: tiers[1].rules[0].when.class[1]: 'complex_chronic' is listed twice"},
    };
    for (size_t i = 0; i < CM_ARRAY_LEN(cases); i++) {
        struct cm_stratify_rules *r = NULL;
        struct cm_err err = {0};
        enum cm_code rc = cm_stratify_rules_parse("tiers.json", cases[i].text,
                                                  strlen(cases[i].text), &r, f->arena, &err);
        if (rc != CM_EINVAL || strcmp(err.msg, cases[i].msg) != 0)
            fail_msg("case %zu: got %s '%s', want invalid '%s'", i, cm_code_name(rc), err.msg,
                     cases[i].msg);
        assert_null(r); /* nothing is returned from a refused file */
    }
}

/* The limits are inclusive: a 40-character id, a 200-byte reason, 1000 and 120 are accepted. */
static void
test_values_at_their_limits_are_accepted(void **state)
{
    struct fixture *f = *state;
    struct cm_stratify_rules *r =
        parse_ok(f->arena, "{\"version\":1,\"window_months\":120,\"no_tier_reason\":" R200
                           ",\"tiers\":[{\"tier\":1,\"label\":\"L\",\"rules\":[{\"id\":\"" ID40
                           "\",\"reason\":" R200 ",\"when\":{\"other_min\":1000}}]}]}");
    assert_int_equal(cm_stratify_rules_window_months(r), 120);
    struct cm_identify_encounter_counts n = {{0}};
    n.n[CM_ENC_OTHER] = 1000;
    struct cm_stratify_child c = kid(CM_IDENTIFY_NON_CHRONIC);
    c.counts = &n;
    expect_tier(r, &c, 1, ID40);
}

static void
test_rules_file_is_loaded_by_path_and_unreadable_ones_fail_naming_it(void **state)
{
    struct fixture *f = *state;
    char dir[] = "/tmp/test_stratify.XXXXXX";
    assert_non_null(mkdtemp(dir));
    char path[256];
    snprintf(path, sizeof(path), "%s/my-tiers.json", dir);
    FILE *fp = fopen(path, "wb");
    assert_non_null(fp);
    fputs(HEAD T3 TAIL, fp);
    fclose(fp);

    struct cm_stratify_rules *r = NULL;
    struct cm_err err = {0};
    assert_int_equal(cm_stratify_rules_load(path, &r, f->arena, &err), CM_OK);
    assert_string_equal(cm_stratify_rules_name(r), path);

    /* A bad file's messages carry its path. */
    fp = fopen(path, "wb");
    assert_non_null(fp);
    fputs(HEAD TAIL, fp);
    fclose(fp);
    r = NULL;
    cm_err_clear(&err);
    assert_int_equal(cm_stratify_rules_load(path, &r, f->arena, &err), CM_EINVAL);
    char want[512];
    snprintf(want, sizeof(want), "%s: tiers: must be an array of 1 to 3 tiers", path);
    assert_string_equal(err.msg, want);
    assert_null(r);

    /* Over 1 MiB: refused before parsing. */
    fp = fopen(path, "wb");
    assert_non_null(fp);
    for (int i = 0; i < (1 << 20) + 1; i++)
        fputc(' ', fp);
    fclose(fp);
    cm_err_clear(&err);
    assert_int_equal(cm_stratify_rules_load(path, &r, f->arena, &err), CM_ETOOBIG);
    assert_null(r);

    assert_int_equal(unlink(path), 0);
    cm_err_clear(&err);
    assert_int_equal(cm_stratify_rules_load(path, &r, f->arena, &err), CM_EIO);
    snprintf(want, sizeof(want), "%s: No such file or directory", path);
    assert_string_equal(err.msg, want);
    assert_null(r);
    assert_int_equal(rmdir(dir), 0);
}

/* ---- encounters ------------------------------------------------------------------------------ */

static void
test_encounter_types_have_their_file_names(void **state)
{
    (void)state;
    static const char *const want[CM_ENC_TYPES] = {
        "ed", "admission", "observation", "specialty", "primary_care", "home_health", "other",
    };
    for (int t = 0; t < CM_ENC_TYPES; t++)
        assert_string_equal(cm_encounter_type_name((enum cm_encounter_type)t), want[t]);
    assert_null(cm_encounter_type_name(CM_ENC_TYPES));
    assert_null(cm_encounter_type_name((enum cm_encounter_type) - 1));
}

static void
test_sample_encounters_are_counted_per_type_inside_the_window(void **state)
{
    struct fixture *f = *state;
    struct enc e = read_fixture(f->arena, "tests/data/identify/encounters_sample.tsv", NULL, 0);
    if (e.rc != CM_OK)
        fail_msg("%s", e.err.msg);
    assert_string_equal(e.st.as_of, "2024-06-30"); /* C005's ED visit, not the last row */
    assert_int_equal(e.st.rows, 32);
    assert_int_equal(e.st.bad_rows, 0);
    assert_int_equal(e.st.outside_window, 3);
    assert_int_equal(e.st.patients, 8);
    assert_int_equal(e.report_len, 0);
    assert_null(cm_stratify_encounters_find(e.table, "C001", 4));
    assert_int_equal(count_of(&e, "C002", CM_ENC_ADMISSION), 2);
    assert_int_equal(count_of(&e, "C003", CM_ENC_ADMISSION), 1); /* 2023-06-30 is the start */
    assert_int_equal(count_of(&e, "C004", CM_ENC_ADMISSION), 2); /* 2023-07-01 the day after */
    assert_int_equal(count_of(&e, "C005", CM_ENC_ED), 3);        /* 2024-06-30 is as_of */
    assert_int_equal(count_of(&e, "C006", CM_ENC_ED), 2);
    assert_int_equal(count_of(&e, "C007", CM_ENC_ADMISSION), 3);
    assert_int_equal(count_of(&e, "C008", CM_ENC_ED), 5);
    static const uint32_t c009[CM_ENC_TYPES] = {0, 0, 2, 4, 1, 3, 1};
    const struct cm_identify_encounter_counts *n = cm_stratify_encounters_find(e.table, "C009", 4);
    assert_non_null(n);
    for (int t = 0; t < CM_ENC_TYPES; t++)
        if (n->n[t] != c009[t])
            fail_msg("C009 %s: got %u, want %u", cm_encounter_type_name(t), n->n[t], c009[t]);
    /* The ids are compared whole: a prefix or a longer id is another patient. */
    assert_null(cm_stratify_encounters_find(e.table, "C00", 3));
    assert_null(cm_stratify_encounters_find(e.table, "C0090", 5));
    assert_null(cm_stratify_encounters_find(NULL, "C009", 4));
    enc_free(&e);
}

static void
test_sample_children_get_the_tier_of_the_rule_built_for_them(void **state)
{
    struct fixture *f = *state;
    struct enc e = read_fixture(f->arena, "tests/data/identify/encounters_sample.tsv", NULL, 0);
    assert_int_equal(e.rc, CM_OK);
    static const struct {
        const char *id;
        enum cm_identify_class cls;
        bool tech_dep;
        int tier;
        const char *rule;
    } kids[] = {
        {"C001", CM_IDENTIFY_COMPLEX_CHRONIC, true, 3, "tier3-technology"},
        {"C002", CM_IDENTIFY_COMPLEX_CHRONIC, false, 3, "tier3-admissions"},
        {"C003", CM_IDENTIFY_COMPLEX_CHRONIC, false, 2, "tier2-complex"},
        {"C004", CM_IDENTIFY_COMPLEX_CHRONIC, false, 3, "tier3-admissions"},
        {"C005", CM_IDENTIFY_COMPLEX_CHRONIC, false, 3, "tier3-ed-visits"},
        {"C006", CM_IDENTIFY_COMPLEX_CHRONIC, false, 2, "tier2-complex"},
        {"C007", CM_IDENTIFY_NON_COMPLEX_CHRONIC, false, 1, "tier1-chronic"},
        {"C008", CM_IDENTIFY_NON_CHRONIC, false, 0, "none"},
        {"C009", CM_IDENTIFY_COMPLEX_CHRONIC, false, 2, "tier2-complex"},
    };
    for (size_t i = 0; i < CM_ARRAY_LEN(kids); i++) {
        struct cm_stratify_child c = kid(kids[i].cls);
        c.tech_dep = kids[i].tech_dep;
        c.counts = cm_stratify_encounters_find(e.table, kids[i].id, strlen(kids[i].id));
        struct cm_stratify_tier t;
        cm_stratify_assign(f->rules, &c, &t);
        if (t.tier != kids[i].tier || strcmp(t.rule_id, kids[i].rule) != 0)
            fail_msg("%s: got tier %d %s, want %d %s", kids[i].id, t.tier, t.rule_id, kids[i].tier,
                     kids[i].rule);
    }
    enc_free(&e);
}

static void
test_rows_in_any_order_give_the_same_counts(void **state)
{
    struct fixture *f = *state;
    /* The sample's data rows reversed. */
    size_t len = 0;
    char *text = testlib_slurp("tests/data/identify/encounters_sample.tsv", &len);
    char *rev = malloc(len + 2);
    assert_non_null(rev);
    char *nl = strchr(text, '\n');
    assert_non_null(nl);
    size_t head = (size_t)(nl - text) + 1, n = 0;
    memcpy(rev, text, head);
    n = head;
    size_t end = len;
    while (end > head) {
        size_t b = end - 1; /* end is just past a '\n' */
        while (b > head && text[b - 1] != '\n')
            b--;
        memcpy(rev + n, text + b, end - b);
        n += end - b;
        end = b;
    }
    rev[n] = '\0';
    assert_int_equal(n, len);
    assert_true(strcmp(rev, text) != 0);
    struct enc a = read_text(f->arena, text, "a.tsv", NULL, 12, 0);
    struct enc b = read_text(f->arena, rev, "b.tsv", NULL, 12, 0);
    assert_int_equal(a.rc, CM_OK);
    assert_int_equal(b.rc, CM_OK);
    assert_string_equal(a.st.as_of, b.st.as_of);
    assert_int_equal(a.st.patients, b.st.patients);
    assert_int_equal(a.st.outside_window, b.st.outside_window);
    static const char *const ids[] = {"C002", "C003", "C004", "C005",
                                      "C006", "C007", "C008", "C009"};
    for (size_t i = 0; i < CM_ARRAY_LEN(ids); i++) {
        const struct cm_identify_encounter_counts *x =
            cm_stratify_encounters_find(a.table, ids[i], 4);
        const struct cm_identify_encounter_counts *y =
            cm_stratify_encounters_find(b.table, ids[i], 4);
        assert_non_null(x);
        assert_non_null(y);
        assert_memory_equal(x, y, sizeof(*x));
    }
    enc_free(&a);
    enc_free(&b);
    free(rev);
    free(text);
}

static void
test_as_of_given_ends_the_window_there(void **state)
{
    struct fixture *f = *state;
    /* With as_of 2024-03-03 the window is (2023-03-03, 2024-03-03]. */
    struct enc e =
        read_fixture(f->arena, "tests/data/identify/encounters_sample.tsv", "2024-03-03", 0);
    assert_int_equal(e.rc, CM_OK);
    assert_string_equal(e.st.as_of, "2024-03-03");
    assert_int_equal(count_of(&e, "C003", CM_ENC_ADMISSION), 2); /* 2023-06-30 now inside */
    assert_int_equal(count_of(&e, "C005", CM_ENC_ED), 2);        /* 2024-06-30 now after */
    assert_int_equal(count_of(&e, "C006", CM_ENC_ED), 2);        /* 2023-05-01 and 2024-02-14 */
    assert_int_equal(count_of(&e, "C008", CM_ENC_ED), 0);
    assert_null(cm_stratify_encounters_find(e.table, "C008", 4));
    enc_free(&e);
}

/* An admission exactly window_months before as_of is outside, the next day inside; as_of itself
 * inside, the day after outside. */
static void
test_window_start_is_exclusive_and_as_of_inclusive(void **state)
{
    struct fixture *f = *state;
    static const struct {
        const char *as_of;
        unsigned months;
        const char *out, *in;
    } edges[] = {
        {"2024-06-15", 12, "2023-06-15", "2023-06-16"},
        /* From Feb 29 back a year: Feb 28 is the start. */
        {"2024-02-29", 12, "2023-02-28", "2023-03-01"},
        /* To Feb 28 after a leap day: the start is Feb 28 of the leap year, Feb 29 inside. */
        {"2025-02-28", 12, "2024-02-28", "2024-02-29"},
        /* Month ends clamp to the shorter month. */
        {"2024-03-31", 1, "2024-02-29", "2024-03-01"},
        {"2023-03-31", 1, "2023-02-28", "2023-03-01"},
        {"2024-07-31", 1, "2024-06-30", "2024-07-01"},
        {"2024-05-31", 3, "2024-02-29", "2024-03-01"},
        {"2024-12-31", 2, "2024-10-31", "2024-11-01"},
        /* Across a year boundary, and the longest window. */
        {"2024-01-15", 1, "2023-12-15", "2023-12-16"},
        {"2024-01-15", 120, "2014-01-15", "2014-01-16"},
    };
    for (size_t i = 0; i < CM_ARRAY_LEN(edges); i++) {
        char text[256];
        /* 2199-12-31 stands for any day after as_of; the next day itself is checked below. */
        snprintf(text, sizeof(text),
                 "patient_id\tdate\ttype\nK\t%s\tadmission\nK\t%s\tadmission\nK\t%s\ted\n"
                 "K\t2199-12-31\ted\n",
                 edges[i].out, edges[i].in, edges[i].as_of);
        struct enc e = read_text(f->arena, text, "edge.tsv", edges[i].as_of, edges[i].months, 0);
        assert_int_equal(e.rc, CM_OK);
        if (count_of(&e, "K", CM_ENC_ADMISSION) != 1 || count_of(&e, "K", CM_ENC_ED) != 1 ||
            e.st.outside_window != 2)
            fail_msg("as_of %s minus %u: admissions %u, ed %u, outside %zu (want 1, 1, 2)",
                     edges[i].as_of, edges[i].months, count_of(&e, "K", CM_ENC_ADMISSION),
                     count_of(&e, "K", CM_ENC_ED), e.st.outside_window);
        enc_free(&e);
    }
    /* The day after as_of, next door. */
    struct enc e =
        read_text(f->arena, "patient_id\tdate\ttype\nK\t2024-06-16\ted\nK\t2024-06-15\ted\n",
                  "edge.tsv", "2024-06-15", 12, 0);
    assert_int_equal(e.rc, CM_OK);
    assert_int_equal(count_of(&e, "K", CM_ENC_ED), 1);
    assert_int_equal(e.st.outside_window, 1);
    enc_free(&e);
}

static void
test_admission_on_the_window_start_does_not_make_the_second_admission(void **state)
{
    struct fixture *f = *state;
    const char *text = "patient_id\tdate\ttype\n"
                       "K\t2023-06-15\tadmission\n"
                       "K\t2024-01-10\tadmission\n";
    struct enc e = read_text(f->arena, text, "k.tsv", "2024-06-15", 12, 0);
    assert_int_equal(e.rc, CM_OK);
    struct cm_stratify_child c = kid(CM_IDENTIFY_COMPLEX_CHRONIC);
    c.counts = cm_stratify_encounters_find(e.table, "K", 1);
    expect_tier(f->rules, &c, 2, "tier2-complex");
    enc_free(&e);
    e = read_text(f->arena, text, "k.tsv", "2024-06-14", 12, 0);
    assert_int_equal(e.rc, CM_OK);
    c.counts = cm_stratify_encounters_find(e.table, "K", 1);
    expect_tier(f->rules, &c, 3, "tier3-admissions");
    enc_free(&e);
}

static void
test_latest_date_ignores_malformed_rows(void **state)
{
    struct fixture *f = *state;
    struct enc e = read_text(f->arena,
                             "patient_id\tdate\ttype\n"
                             "A\t2024-01-01\ted\n"
                             "B\t2025-12-31\tvisit\n" /* bad type: its date does not count */
                             "C\t2023-01-01\ted\n",
                             "m.tsv", NULL, 12, 1);
    assert_int_equal(e.rc, CM_OK);
    assert_string_equal(e.st.as_of, "2024-01-01");
    assert_int_equal(e.st.bad_rows, 1);
    assert_int_equal(e.st.outside_window, 1);
    assert_int_equal(count_of(&e, "A", CM_ENC_ED), 1);
    assert_string_equal(e.report, "m.tsv:3: type must be one of ed, admission, observation, "
                                  "specialty, primary_care, home_health, other\n");
    enc_free(&e);
}

static void
test_encounters_from_stdin_need_as_of(void **state)
{
    struct fixture *f = *state;
    const char *text = "patient_id\tdate\ttype\nA\t2024-01-01\ted\n";
    static const char *const names[] = {"-", NULL};
    for (size_t i = 0; i < CM_ARRAY_LEN(names); i++) {
        struct enc e = read_text(f->arena, text, names[i], NULL, 12, 0);
        assert_int_equal(e.rc, CM_EINVAL);
        assert_string_equal(e.err.msg, "encounters from standard input need --as-of");
        assert_null(e.table);
        enc_free(&e);
    }
    struct enc e = read_text(f->arena, "patient_id\tdate\ttype\nA\t2024-01-01\tbad\n", "-",
                             "2024-01-02", 12, 1);
    assert_int_equal(e.rc, CM_OK);
    assert_string_equal(e.st.as_of, "2024-01-02");
    assert_string_equal(e.report, "<stdin>:2: type must be one of ed, admission, observation, "
                                  "specialty, primary_care, home_health, other\n");
    enc_free(&e);
}

static void
test_unseekable_file_without_as_of_is_refused(void **state)
{
    struct fixture *f = *state;
    int fds[2];
    assert_int_equal(pipe(fds), 0);
    const char text[] = "patient_id\tdate\ttype\nA\t2024-01-01\ted\n";
    assert_int_equal(write(fds[1], text, sizeof(text) - 1), (ssize_t)(sizeof(text) - 1));
    close(fds[1]);
    FILE *in = fdopen(fds[0], "r");
    assert_non_null(in);
    struct enc e = read_from(in, f->arena, "fifo.tsv", NULL, 12, 0, 0);
    assert_int_equal(e.rc, CM_EINVAL);
    assert_string_equal(e.err.msg,
                        "fifo.tsv cannot be read twice to find its latest date: give --as-of");
    enc_free(&e);
    /* With as_of the same pipe reads in one pass. */
    struct enc g = read_from(in, f->arena, "fifo.tsv", "2024-01-01", 12, 0, 0);
    assert_int_equal(g.rc, CM_OK);
    assert_int_equal(count_of(&g, "A", CM_ENC_ED), 1);
    enc_free(&g);
    fclose(in);
}

static const char MALFORMED_REPORT[] =
    "tests/data/identify/encounters_malformed.tsv:3: expected 3 columns (patient_id, date, type), "
    "got 2\n"
    "tests/data/identify/encounters_malformed.tsv:4: expected 3 columns (patient_id, date, type), "
    "got 4\n"
    "tests/data/identify/encounters_malformed.tsv:5: empty line\n"
    "tests/data/identify/encounters_malformed.tsv:6: empty patient_id\n"
    "tests/data/identify/encounters_malformed.tsv:7: patient_id longer than 128 bytes\n"
    "tests/data/identify/encounters_malformed.tsv:8: patient_id is not valid UTF-8\n"
    "tests/data/identify/encounters_malformed.tsv:9: date is not valid UTF-8\n"
    "tests/data/identify/encounters_malformed.tsv:10: type is not valid UTF-8\n"
    "tests/data/identify/encounters_malformed.tsv:11: bad date: must be a date YYYY-MM-DD\n"
    "tests/data/identify/encounters_malformed.tsv:12: bad date: day must be 01 to 28 in that "
    "month\n"
    "tests/data/identify/encounters_malformed.tsv:13: bad date: month must be 01 to 12\n"
    "tests/data/identify/encounters_malformed.tsv:14: bad date: year must be between 1900 and "
    "2199\n"
    "tests/data/identify/encounters_malformed.tsv:15: bad date: must be a date YYYY-MM-DD\n"
    "tests/data/identify/encounters_malformed.tsv:16: bad date: must be a date YYYY-MM-DD\n"
    "tests/data/identify/encounters_malformed.tsv:17: type must be one of ed, admission, "
    "observation, specialty, primary_care, home_health, other\n"
    "tests/data/identify/encounters_malformed.tsv:18: type must be one of ed, admission, "
    "observation, specialty, primary_care, home_health, other\n"
    "tests/data/identify/encounters_malformed.tsv:19: type must be one of ed, admission, "
    "observation, specialty, primary_care, home_health, other\n"
    "tests/data/identify/encounters_malformed.tsv:20: type must be one of ed, admission, "
    "observation, specialty, primary_care, home_health, other\n"
    "tests/data/identify/encounters_malformed.tsv:21: patient_id is not valid UTF-8\n";

static void
test_every_malformed_row_kind_is_reported_with_file_and_line(void **state)
{
    struct fixture *f = *state;
    struct enc e =
        read_fixture(f->arena, "tests/data/identify/encounters_malformed.tsv", "2024-06-30", 0);
    assert_int_equal(e.rc, CM_EINVAL);
    assert_string_equal(e.err.msg, "19 malformed rows in tests/data/identify/encounters_malformed"
                                   ".tsv (more than --max-errors 0)");
    assert_null(e.table);
    assert_string_equal(e.report, MALFORMED_REPORT);
    assert_int_equal(e.st.rows, 22);
    assert_int_equal(e.st.bad_rows, 19);
    enc_free(&e);
}

static void
test_max_errors_tolerates_that_many_malformed_rows_and_still_reports_them(void **state)
{
    struct fixture *f = *state;
    struct enc e =
        read_fixture(f->arena, "tests/data/identify/encounters_malformed.tsv", "2024-06-30", 18);
    assert_int_equal(e.rc, CM_EINVAL);
    assert_string_equal(e.err.msg, "19 malformed rows in tests/data/identify/encounters_malformed"
                                   ".tsv (more than --max-errors 18)");
    assert_null(e.table);
    enc_free(&e);
    e = read_fixture(f->arena, "tests/data/identify/encounters_malformed.tsv", "2024-06-30", 19);
    assert_int_equal(e.rc, CM_OK);
    assert_string_equal(e.report, MALFORMED_REPORT);
    assert_int_equal(e.st.bad_rows, 19);
    assert_int_equal(e.st.patients, 2);
    assert_int_equal(count_of(&e, "P001", CM_ENC_ED), 1);
    assert_int_equal(count_of(&e, "P001", CM_ENC_ADMISSION), 1);
    assert_int_equal(count_of(&e, "P022", CM_ENC_OTHER), 1); /* the last line has no newline */
    enc_free(&e);
}

static void
test_twenty_malformed_rows_are_shown_and_the_rest_counted(void **state)
{
    struct fixture *f = *state;
    char text[4096];
    size_t n = (size_t)snprintf(text, sizeof(text), "patient_id\tdate\ttype\n");
    for (int i = 0; i < 25; i++)
        n += (size_t)snprintf(text + n, sizeof(text) - n, "X%d\t2024-01-01\n", i);
    assert_true(n < sizeof(text));
    struct enc e = read_text(f->arena, text, "many.tsv", "2024-01-01", 12, 100);
    assert_int_equal(e.rc, CM_OK);
    assert_int_equal(e.st.bad_rows, 25);
    char want[4096];
    size_t w = 0;
    for (int line = 2; line < 22; line++)
        w += (size_t)snprintf(want + w, sizeof(want) - w,
                              "many.tsv:%d: expected 3 columns (patient_id, date, type), got 2\n",
                              line);
    snprintf(want + w, sizeof(want) - w, "5 more malformed rows in many.tsv not shown\n");
    assert_string_equal(e.report, want);
    enc_free(&e);
}

static void
test_csv_with_quotes_crlf_and_quoting_errors(void **state)
{
    struct fixture *f = *state;
    const char *text = "patient_id,date,type\r\n"
                       "\"P,1\",2024-01-02,ed\r\n"
                       "\"P\"\"2\",\"2024-01-03\",\"admission\"\r\n"
                       "\"P1\"x,2024-01-05,ed\r\n"
                       "P\"2,2024-01-05,ed\r\n"
                       "\"P\n3\",2024-01-05,ed\r\n"
                       "\"P\t4\",2024-01-05,ed\r\n"
                       "P5,2024-01-05,home_health\r\n"
                       "\"P6,2024-01-05,ed\r\n";
    struct enc e = read_text(f->arena, text, "x.csv", "2024-06-30", 12, 10);
    assert_int_equal(e.rc, CM_OK);
    assert_string_equal(e.report, "x.csv:4: text after a closing quote\n"
                                  "x.csv:5: quote inside an unquoted field\n"
                                  "x.csv:6: patient_id holds a tab or a line break\n"
                                  "x.csv:8: patient_id holds a tab or a line break\n"
                                  "x.csv:10: unterminated quoted field\n");
    assert_int_equal(count_of(&e, "P,1", CM_ENC_ED), 1);
    assert_int_equal(count_of(&e, "P\"2", CM_ENC_ADMISSION), 1);
    assert_int_equal(count_of(&e, "P5", CM_ENC_HOME_HEALTH), 1);
    assert_int_equal(e.st.patients, 3);
    enc_free(&e);
}

static void
test_byte_order_mark_and_explicit_delimiter_are_honoured(void **state)
{
    struct fixture *f = *state;
    struct enc e = read_text(f->arena, "\xEF\xBB\xBFpatient_id\tdate\ttype\nA\t2024-01-01\tother\n",
                             "bom.tsv", NULL, 12, 0);
    assert_int_equal(e.rc, CM_OK);
    assert_int_equal(count_of(&e, "A", CM_ENC_OTHER), 1);
    enc_free(&e);
    /* Told it is TSV, a comma header is one column: the header is wrong. */
    FILE *in = stream_of("patient_id,date,type\n", 21);
    e = read_from(in, f->arena, "c.csv", "2024-01-01", 12, 0, '\t');
    fclose(in);
    assert_int_equal(e.rc, CM_EINVAL);
    assert_string_equal(e.err.msg, "c.csv:1: header must be the 3 columns patient_id, date, type");
    enc_free(&e);
}

static void
test_wrong_header_empty_input_and_bad_options_are_refused(void **state)
{
    struct fixture *f = *state;
    static const struct {
        const char *text, *as_of;
        unsigned months;
        const char *msg;
    } cases[] = {
        {"patient_id\tdate\tkind\n", "2024-01-01", 12,
         "h.tsv:1: header must be the 3 columns patient_id, date, type"},
        {"patient_id\tdate\n", "2024-01-01", 12,
         "h.tsv:1: header must be the 3 columns patient_id, date, type"},
        {"", "2024-01-01", 12, "h.tsv: empty input, expected the header patient_id, date, type"},
        {"patient_id date type\n", "2024-01-01", 12,
         "h.tsv:1: header must be patient_id, date, type separated by tabs or commas"},
        {"patient_id\tdate\ttype\n", NULL, 12,
         "h.tsv has no valid encounter date to end the window at: give --as-of"},
        {"patient_id\tdate\ttype\nA\t2024-01-01\ted\n", "2024-02-30", 12,
         "--as-of day must be 01 to 29 in that month"},
        {"patient_id\tdate\ttype\nA\t2024-01-01\ted\n", "2024-1-1", 12,
         "--as-of must be a date YYYY-MM-DD"},
        {"patient_id\tdate\ttype\nA\t2024-01-01\ted\n", "2024-01-01", 0,
         "window_months must be 1 to 120"},
        {"patient_id\tdate\ttype\nA\t2024-01-01\ted\n", "2024-01-01", 121,
         "window_months must be 1 to 120"},
    };
    for (size_t i = 0; i < CM_ARRAY_LEN(cases); i++) {
        struct enc e =
            read_text(f->arena, cases[i].text, "h.tsv", cases[i].as_of, cases[i].months, 0);
        if (e.rc != CM_EINVAL || strcmp(e.err.msg, cases[i].msg) != 0)
            fail_msg("case %zu: got %s '%s', want '%s'", i, cm_code_name(e.rc), e.err.msg,
                     cases[i].msg);
        assert_null(e.table);
        enc_free(&e);
    }
    FILE *in = stream_of("patient_id;date;type\n", 21);
    struct enc e = read_from(in, f->arena, "s.csv", "2024-01-01", 12, 0, ';');
    fclose(in);
    assert_int_equal(e.rc, CM_EINVAL);
    assert_string_equal(e.err.msg, "the delimiter must be a tab or a comma");
    enc_free(&e);
}

/* Writes `copies` rows for each of `patients` patients, every row inside the window. */
static FILE *
generated(size_t patients, size_t copies)
{
    static const char *const types[] = {"ed", "admission", "specialty", "other"};
    FILE *fp = tmpfile();
    assert_non_null(fp);
    fputs("patient_id\tdate\ttype\n", fp);
    for (size_t c = 0; c < copies; c++)
        for (size_t p = 0; p < patients; p++)
            fprintf(fp, "PATIENT-%06zu\t2024-%02zu-%02zu\t%s\n", p, c % 12 + 1, p % 28 + 1,
                    types[(p + c) % 4]);
    rewind(fp);
    return fp;
}

static size_t
arena_after(size_t patients, size_t copies, size_t *rows)
{
    struct cm_arena *a = cm_arena_new(ARENA_CAP);
    assert_non_null(a);
    FILE *in = generated(patients, copies);
    struct enc e = read_from(in, a, "gen.tsv", "2024-12-31", 12, 0, 0);
    fclose(in);
    assert_int_equal(e.rc, CM_OK);
    assert_int_equal(e.st.patients, patients);
    *rows = e.st.rows;
    size_t used = cm_arena_used(a);
    enc_free(&e);
    cm_arena_free(a);
    return used;
}

static void
test_twice_the_rows_of_the_same_patients_do_not_grow_the_arena(void **state)
{
    (void)state;
    size_t rows1 = 0, rows2 = 0, rows3 = 0;
    size_t once = arena_after(5000, 4, &rows1);
    size_t twice = arena_after(5000, 8, &rows2);
    assert_int_equal(rows1, 20000);
    assert_int_equal(rows2, 40000);
    assert_int_equal(twice, once);
    /* The measure can see growth: twice the patients use more. */
    size_t more = arena_after(10000, 4, &rows3);
    assert_true(more > once);
}

int
main(void)
{
    const struct CMUnitTest tests[] = {
        cmocka_unit_test_setup_teardown(
            test_default_rules_are_embedded_with_their_name_window_and_checksum, setup, teardown),
        cmocka_unit_test_setup_teardown(
            test_complex_chronic_child_with_technology_is_tier3_technology, setup, teardown),
        cmocka_unit_test_setup_teardown(
            test_complex_chronic_child_with_two_admissions_is_tier3_and_with_one_tier2, setup,
            teardown),
        cmocka_unit_test_setup_teardown(
            test_complex_chronic_child_with_three_ed_visits_is_tier3_and_with_two_tier2, setup,
            teardown),
        cmocka_unit_test_setup_teardown(test_complex_chronic_child_alone_is_tier2, setup, teardown),
        cmocka_unit_test_setup_teardown(
            test_non_complex_chronic_child_is_tier1_whatever_its_encounters, setup, teardown),
        cmocka_unit_test_setup_teardown(test_non_chronic_child_gets_no_tier_and_the_files_reason,
                                        setup, teardown),
        cmocka_unit_test_setup_teardown(test_first_rule_in_file_order_fires_within_a_tier, setup,
                                        teardown),
        cmocka_unit_test_setup_teardown(
            test_tiers_are_tried_from_the_highest_whatever_the_file_order, setup, teardown),
        cmocka_unit_test_setup_teardown(test_each_minimum_condition_counts_its_own_encounter_type,
                                        setup, teardown),
        cmocka_unit_test_setup_teardown(
            test_encounters_min_counts_every_type_and_conditions_min_the_conditions, setup,
            teardown),
        cmocka_unit_test_setup_teardown(test_flag_conditions_require_the_value_given, setup,
                                        teardown),
        cmocka_unit_test_setup_teardown(test_class_condition_accepts_any_class_listed, setup,
                                        teardown),
        cmocka_unit_test_setup_teardown(test_rules_checksum_is_of_the_text_as_given, setup,
                                        teardown),
        cmocka_unit_test_setup_teardown(test_malformed_rule_files_are_refused_naming_the_json_path,
                                        setup, teardown),
        cmocka_unit_test_setup_teardown(test_values_at_their_limits_are_accepted, setup, teardown),
        cmocka_unit_test_setup_teardown(
            test_rules_file_is_loaded_by_path_and_unreadable_ones_fail_naming_it, setup, teardown),
        cmocka_unit_test(test_encounter_types_have_their_file_names),
        cmocka_unit_test_setup_teardown(
            test_sample_encounters_are_counted_per_type_inside_the_window, setup, teardown),
        cmocka_unit_test_setup_teardown(
            test_sample_children_get_the_tier_of_the_rule_built_for_them, setup, teardown),
        cmocka_unit_test_setup_teardown(test_rows_in_any_order_give_the_same_counts, setup,
                                        teardown),
        cmocka_unit_test_setup_teardown(test_as_of_given_ends_the_window_there, setup, teardown),
        cmocka_unit_test_setup_teardown(test_window_start_is_exclusive_and_as_of_inclusive, setup,
                                        teardown),
        cmocka_unit_test_setup_teardown(
            test_admission_on_the_window_start_does_not_make_the_second_admission, setup, teardown),
        cmocka_unit_test_setup_teardown(test_latest_date_ignores_malformed_rows, setup, teardown),
        cmocka_unit_test_setup_teardown(test_encounters_from_stdin_need_as_of, setup, teardown),
        cmocka_unit_test_setup_teardown(test_unseekable_file_without_as_of_is_refused, setup,
                                        teardown),
        cmocka_unit_test_setup_teardown(
            test_every_malformed_row_kind_is_reported_with_file_and_line, setup, teardown),
        cmocka_unit_test_setup_teardown(
            test_max_errors_tolerates_that_many_malformed_rows_and_still_reports_them, setup,
            teardown),
        cmocka_unit_test_setup_teardown(test_twenty_malformed_rows_are_shown_and_the_rest_counted,
                                        setup, teardown),
        cmocka_unit_test_setup_teardown(test_csv_with_quotes_crlf_and_quoting_errors, setup,
                                        teardown),
        cmocka_unit_test_setup_teardown(test_byte_order_mark_and_explicit_delimiter_are_honoured,
                                        setup, teardown),
        cmocka_unit_test_setup_teardown(test_wrong_header_empty_input_and_bad_options_are_refused,
                                        setup, teardown),
        cmocka_unit_test(test_twice_the_rows_of_the_same_patients_do_not_grow_the_arena),
    };
    return cmocka_run_group_tests_name("stratify", tests, NULL, NULL);
}
