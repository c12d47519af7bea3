/* Unit tests for the identification registry in the store (store/registry.h), each on a fresh
 * SQLite file in its own temporary directory: loading a run in one transaction, the program's
 * runs, candidates by tier and by class with paging, who is enrolled (a child with the member
 * id), enrolling, comparing two runs, immutability, and a failed load leaving nothing. */
#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>

#include <cmocka.h>

#include "testlib_db.h"

#include "store/registry.h"
#include "store/store_int.h"

#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>

/* Program one (its manager, an analyst, a coordinator) and program two (its manager). */
struct fx {
    char dir[64];
    char path[128];
    struct cm_store *s;
    struct cm_conn *c;
    struct cm_arena *a;
    int64_t now;
    int64_t prog, prog2;
    struct cm_viewer vpm, van, vpm2;
};

static struct cm_viewer
viewer(int64_t user, enum cm_role role, int64_t program)
{
    return (struct cm_viewer){.user_id = user, .role = role, .program_id = program};
}

static int64_t
add_user(struct fx *f, int64_t program, const char *username, enum cm_role role)
{
    struct cm_err err = {0};
    struct cm_user u = {.program_id = program,
                        .username = username,
                        .display_name = username,
                        .role = role,
                        .language = "en",
                        .password_hash = "$argon2id$test"};
    assert_int_equal(cm_store_user_create(f->c, &u, 0, &err), CM_OK);
    return u.meta.id;
}

static int
setup(void **state)
{
    struct fx *f = calloc(1, sizeof(*f));
    assert_non_null(f);
    testlib_db_dir(f->dir, f->path);
    struct cm_err err = {0};
    assert_int_equal(cm_store_open(f->path, &f->s, &err), CM_OK);
    assert_int_equal(cm_store_conn_open(f->s, &f->c, &err), CM_OK);
    f->a = cm_arena_new(32 << 20);
    assert_non_null(f->a);
    f->now = cm_time_now();
    assert_int_equal(cm_store_begin(f->c, true, &err), CM_OK);
    assert_int_equal(cm_store_program_create(f->c, "Program One", &f->prog, &err), CM_OK);
    assert_int_equal(cm_store_program_create(f->c, "Program Two", &f->prog2, &err), CM_OK);
    f->vpm = viewer(add_user(f, f->prog, "manager", CM_ROLE_PROGRAM_MANAGER),
                    CM_ROLE_PROGRAM_MANAGER, f->prog);
    f->van = viewer(add_user(f, f->prog, "analyst.jo", CM_ROLE_ANALYST), CM_ROLE_ANALYST, f->prog);
    f->vpm2 = viewer(add_user(f, f->prog2, "manager.two", CM_ROLE_PROGRAM_MANAGER),
                     CM_ROLE_PROGRAM_MANAGER, f->prog2);
    assert_int_equal(cm_store_commit(f->c, &err), CM_OK);
    *state = f;
    return 0;
}

static int
teardown(void **state)
{
    struct fx *f = *state;
    cm_store_conn_close(f->c);
    cm_store_close(f->s);
    cm_arena_free(f->a);
    testlib_db_remove(f->dir);
    free(f);
    return 0;
}

/* ---- building runs --------------------------------------------------------------------------- */

/* One patient as a test writes it: id, class, tier (-1 in a run without tiers). */
struct pt {
    const char *id;
    const char *cls;
    int tier;
};

#define CC  "complex_chronic"
#define NCC "non_complex_chronic"
#define NC  "non_chronic"

/* The rule the default rules file would fire for a tier (the registry keeps whatever it is
 * given; these only need one id and reason per tier). */
static const char *const rule_ids[4] = {"none", "tier1-chronic", "tier2-complex", "tier3-tech"};
static const char *const rule_reasons[4] = {
    "No chronic condition found", "A chronic condition that is not complex",
    "A complex chronic condition", "Complex chronic condition and depends on medical technology"};

static struct cm_registry_run
run_info(bool tiers, const char *input)
{
    struct cm_registry_run r = {.algorithm = "ccc2",
                                .codes_mode = "normalised",
                                .list_name = "codelists/ccc_v2_icd10_pccc_1.0.6.tsv",
                                .list_sha256 = "ab12",
                                .input_name = input};
    if (tiers) {
        r.encounters_name = "enc.tsv";
        r.tiers_name = "stratify/tiers.json";
        r.tiers_sha256 = "cd34";
        r.as_of = "2026-10-31";
    }
    return r;
}

static struct cm_registry_result
result_of(const struct pt *p)
{
    struct cm_registry_result r = {.patient_id = p->id,
                                   .cls = p->cls,
                                   .conditions = strcmp(p->cls, CC) == 0 ? 2 : 0,
                                   .condition_names =
                                       strcmp(p->cls, CC) == 0 ? "neuromusc,respiratory" : "",
                                   .tech_dep = p->tier == 3,
                                   .tier = p->tier};
    if (p->tier >= 0) {
        r.tier_rule = rule_ids[p->tier];
        r.tier_reason = rule_reasons[p->tier];
        r.encounters[1] = (uint32_t)p->tier; /* admissions */
        r.encounters[0] = 1;                 /* an ED visit */
    }
    return r;
}

/* Loads a run of n patients as v at time at and commits it (with its audit event, as the CLI
 * does); returns its id. */
static int64_t
load_run(struct fx *f, const struct cm_viewer *v, bool tiers, const struct pt *pts, size_t n,
         int64_t at)
{
    struct cm_err err = {0};
    struct cm_registry_run info = run_info(tiers, "claims.tsv");
    struct cm_registry_load *l = NULL;
    assert_int_equal(cm_store_registry_load_begin(f->c, v, at, &info, &l, &err), CM_OK);
    for (size_t i = 0; i < n; i++) {
        struct cm_registry_result r = result_of(&pts[i]);
        enum cm_code rc = cm_store_registry_load_add(l, &r, &err);
        if (rc != CM_OK)
            fail_msg("load_add %s: %d %s %s", pts[i].id, rc, err.field, err.msg);
    }
    struct cm_registry_run done;
    assert_int_equal(cm_store_registry_load_finish(l, (int64_t)n * 3, (int64_t)n, 0, &done, &err),
                     CM_OK);
    struct cm_audit_event ev = {.user_id = v->user_id,
                                .role = v->role,
                                .action = "identify.load",
                                .outcome = "ok",
                                .detail = "counts"};
    assert_int_equal(cm_store_audit_append(f->c, &ev, 1, f->a, &err), CM_OK);
    assert_int_equal(cm_store_commit(f->c, &err), CM_OK);
    cm_store_registry_load_free(l);
    return done.id;
}

static struct cm_registry_result_list
candidates(struct fx *f, int64_t program, int64_t run, struct cm_registry_filter flt)
{
    struct cm_err err = {0};
    struct cm_registry_result_list out;
    if (flt.limit == 0)
        flt.limit = 200;
    enum cm_code rc = cm_store_registry_candidates(f->c, program, run, &flt, &out, f->a, &err);
    if (rc != CM_OK)
        fail_msg("candidates: %d %s %s", rc, err.field, err.msg);
    return out;
}

/* The patient ids of a list, space-separated, for one readable assertion. */
static const char *
ids(struct fx *f, const struct cm_registry_result_list *l)
{
    char *s = cm_arena_strdup(f->a, "");
    for (size_t i = 0; i < l->count; i++)
        s = cm_arena_printf(f->a, "%s%s%s", s, i ? " " : "", l->items[i].patient_id);
    return s;
}

/* A child of v's program enrolled from result id of run (as the API does: create, then the
 * member id and the link, in one transaction). */
static int64_t
enrol(struct fx *f, const struct cm_viewer *v, int64_t run, int64_t result, const char *record,
      enum cm_code want)
{
    struct cm_err err = {0};
    struct cm_child ch = {.record_number = record,
                          .given_name = "Ola",
                          .family_name = "Testchild",
                          .birth_date = "2018-04-01",
                          .sex = "female",
                          .preferred_language = "en"};
    assert_int_equal(cm_store_begin(f->c, true, &err), CM_OK);
    assert_int_equal(cm_store_child_create(f->c, v, &ch, &err), CM_OK);
    enum cm_code rc = cm_store_registry_enrol(f->c, v, f->now, run, result, ch.meta.id, &err);
    assert_int_equal(rc, want);
    if (rc != CM_OK) {
        cm_store_rollback(f->c);
        return 0;
    }
    assert_int_equal(cm_store_commit(f->c, &err), CM_OK);
    return ch.meta.id;
}

/* The result id of patient id in run (any class). */
static int64_t
result_id(struct fx *f, int64_t run, const char *id)
{
    char sql[200];
    snprintf(sql, sizeof(sql),
             "SELECT id FROM identify_result WHERE run_id = %lld AND patient_id = '%s'",
             (long long)run, id);
    return testlib_sql_int(f->path, sql);
}

static const struct pt first[] = {
    {"P05", CC, 3}, {"P01", NC, 0}, {"P03", CC, 2}, {"P02", NCC, 1},
    {"P04", CC, 3}, {"P06", CC, 2}, {"P07", NC, 0}, {"P08", NCC, 1},
};

/* ---- statements and schema ------------------------------------------------------------------- */

static void
test_every_registry_statement_prepares(void **state)
{
    struct fx *f = *state;
    struct cm_err err = {0};
    assert_int_equal(cm_store_registry_statements_check(f->c, &err), CM_OK);
}

static void
test_a_database_missing_the_registry_migration_must_be_migrated_first(void **state)
{
    struct fx *f = *state;
    struct cm_err err = {0};
    assert_int_equal(cm_store_registry_schema_check(f->path, &err), CM_OK);
    assert_int_equal(
        testlib_sql(f->path, "DELETE FROM schema_migrations WHERE name = '0003_identify.sql'"),
        SQLITE_OK);
    assert_int_equal(cm_store_registry_schema_check(f->path, &err), CM_ECONFLICT);
    assert_non_null(strstr(err.msg, "caremap migrate"));
    assert_non_null(strstr(err.msg, "0003_identify.sql"));

    char missing[160];
    snprintf(missing, sizeof(missing), "%s/none.db", f->dir);
    cm_err_clear(&err);
    assert_int_equal(cm_store_registry_schema_check(missing, &err), CM_EIO);
    /* Checking never creates the file. */
    assert_int_equal(access(missing, F_OK), -1);
}

/* ---- loading and runs ------------------------------------------------------------------------ */

static void
test_a_loaded_run_has_its_counts_author_and_files(void **state)
{
    struct fx *f = *state;
    int64_t id = load_run(f, &f->van, true, first, CM_ARRAY_LEN(first), f->now);
    struct cm_err err = {0};
    struct cm_registry_run r;
    assert_int_equal(cm_store_registry_run_get(f->c, f->prog, id, &r, f->a, &err), CM_OK);
    assert_int_equal(r.id, id);
    assert_int_equal(r.created_by, f->van.user_id);
    assert_string_equal(r.created_by_name, "analyst.jo");
    assert_int_equal(r.created_at, f->now);
    assert_string_equal(r.algorithm, "ccc2");
    assert_string_equal(r.codes_mode, "normalised");
    assert_string_equal(r.list_sha256, "ab12");
    assert_string_equal(r.input_name, "claims.tsv");
    assert_string_equal(r.encounters_name, "enc.tsv");
    assert_string_equal(r.tiers_sha256, "cd34");
    assert_string_equal(r.as_of, "2026-10-31");
    assert_true(cm_store_registry_run_stratified(&r));
    assert_int_equal(r.rows, 24);
    assert_int_equal(r.patients, 8);
    assert_int_equal(r.bad_rows, 0);
    assert_int_equal(r.complex_chronic, 4);
    assert_int_equal(r.non_complex_chronic, 2);
    assert_int_equal(r.non_chronic, 2);
    assert_int_equal(r.tiers[0], 2);
    assert_int_equal(r.tiers[1], 2);
    assert_int_equal(r.tiers[2], 2);
    assert_int_equal(r.tiers[3], 2);
    assert_int_equal(r.candidates, 6);
    assert_int_equal(r.enrolled, 0);
    /* The rules are kept once per run, not once per patient. */
    assert_int_equal(testlib_sql_int(f->path, "SELECT count(*) FROM identify_rule"), 4);
}

static void
test_runs_are_listed_newest_first_and_paged_within_the_program(void **state)
{
    struct fx *f = *state;
    int64_t r1 = load_run(f, &f->van, true, first, 2, f->now - 200);
    int64_t r2 = load_run(f, &f->vpm, false, first, 0, f->now - 100);
    int64_t r3 = load_run(f, &f->van, true, first, 3, f->now);
    int64_t other = load_run(f, &f->vpm2, true, first, 3, f->now + 50);
    struct cm_err err = {0};
    struct cm_registry_run_list l;
    assert_int_equal(cm_store_registry_run_list(f->c, f->prog, 2, 0, &l, f->a, &err), CM_OK);
    assert_int_equal(l.total, 3);
    assert_int_equal(l.count, 2);
    assert_int_equal(l.items[0].id, r3);
    assert_int_equal(l.items[1].id, r2);
    assert_false(cm_store_registry_run_stratified(&l.items[1]));
    assert_int_equal(l.items[1].patients, 0);
    assert_int_equal(cm_store_registry_run_list(f->c, f->prog, 2, 2, &l, f->a, &err), CM_OK);
    assert_int_equal(l.count, 1);
    assert_int_equal(l.items[0].id, r1);
    assert_int_equal(cm_store_registry_run_list(f->c, f->prog2, 50, 0, &l, f->a, &err), CM_OK);
    assert_int_equal(l.total, 1);
    assert_int_equal(l.items[0].id, other);
    assert_int_equal(cm_store_registry_run_list(f->c, f->prog, 201, 0, &l, f->a, &err), CM_EINVAL);
    assert_string_equal(err.field, "limit");
}

static void
test_a_run_of_another_program_is_not_found_everywhere(void **state)
{
    struct fx *f = *state;
    int64_t id = load_run(f, &f->vpm2, true, first, CM_ARRAY_LEN(first), f->now);
    int64_t mine = load_run(f, &f->vpm, true, first, CM_ARRAY_LEN(first), f->now);
    struct cm_err err = {0};
    struct cm_registry_run r;
    assert_int_equal(cm_store_registry_run_get(f->c, f->prog, id, &r, f->a, &err), CM_ENOTFOUND);
    assert_string_equal(err.msg, "no such run");
    cm_err_clear(&err);
    struct cm_registry_filter flt = {.limit = 10};
    struct cm_registry_result_list l;
    assert_int_equal(cm_store_registry_candidates(f->c, f->prog, id, &flt, &l, f->a, &err),
                     CM_ENOTFOUND);
    cm_err_clear(&err);
    struct cm_registry_result one;
    assert_int_equal(
        cm_store_registry_result_get(f->c, f->prog, id, result_id(f, id, "P05"), &one, f->a, &err),
        CM_ENOTFOUND);
    cm_err_clear(&err);
    /* A result of one run is not a candidate of another. */
    assert_int_equal(cm_store_registry_result_get(f->c, f->prog, mine, result_id(f, id, "P05"),
                                                  &one, f->a, &err),
                     CM_ENOTFOUND);
    assert_string_equal(err.msg, "no such candidate");
    cm_err_clear(&err);
    struct cm_registry_compare cmp;
    assert_int_equal(cm_store_registry_compare(f->c, f->prog, mine, id, CM_REGISTRY_NEW, 10, 0,
                                               &cmp, f->a, &err),
                     CM_ENOTFOUND);
    assert_string_equal(err.field, "with");
    cm_err_clear(&err);
    /* Enrolling from another program's run changes nothing. */
    enrol(f, &f->vpm, id, result_id(f, id, "P05"), "R-X", CM_ENOTFOUND);
    assert_int_equal(testlib_sql_int(f->path, "SELECT count(*) FROM child"), 0);
}

/* ---- candidates ------------------------------------------------------------------------------ */

static void
test_candidates_are_highest_tier_first_then_by_patient_id(void **state)
{
    struct fx *f = *state;
    int64_t id = load_run(f, &f->van, true, first, CM_ARRAY_LEN(first), f->now);
    struct cm_registry_result_list l = candidates(f, f->prog, id, (struct cm_registry_filter){0});
    assert_int_equal(l.total, 6);
    assert_string_equal(ids(f, &l), "P04 P05 P03 P06 P02 P08");
    const struct cm_registry_result *top = &l.items[0];
    assert_string_equal(top->cls, CC);
    assert_int_equal(top->tier, 3);
    assert_string_equal(top->tier_rule, "tier3-tech");
    assert_string_equal(top->tier_reason, rule_reasons[3]);
    assert_string_equal(top->condition_names, "neuromusc,respiratory");
    assert_int_equal(top->conditions, 2);
    assert_true(top->tech_dep);
    assert_false(top->transplant);
    assert_int_equal(top->encounters[0], 1);
    assert_int_equal(top->encounters[1], 3);
    assert_int_equal(top->child_id, 0);

    l = candidates(f, f->prog, id, (struct cm_registry_filter){.tier = 2});
    assert_string_equal(ids(f, &l), "P03 P06");
    l = candidates(f, f->prog, id, (struct cm_registry_filter){.cls = NCC});
    assert_string_equal(ids(f, &l), "P02 P08");
    /* Paging: total counts every match, the page holds limit of them from offset. */
    l = candidates(f, f->prog, id, (struct cm_registry_filter){.limit = 2, .offset = 3});
    assert_int_equal(l.total, 6);
    assert_string_equal(ids(f, &l), "P06 P02");
    l = candidates(f, f->prog, id, (struct cm_registry_filter){.limit = 2, .offset = 6});
    assert_int_equal(l.total, 6);
    assert_int_equal(l.count, 0);
}

static void
test_a_run_without_tiers_lists_complex_before_non_complex_and_takes_no_tier_filter(void **state)
{
    struct fx *f = *state;
    static const struct pt pts[] = {{"B", NCC, -1}, {"A", NC, -1}, {"D", CC, -1}, {"C", CC, -1}};
    int64_t id = load_run(f, &f->van, false, pts, CM_ARRAY_LEN(pts), f->now);
    struct cm_registry_result_list l = candidates(f, f->prog, id, (struct cm_registry_filter){0});
    assert_string_equal(ids(f, &l), "C D B");
    assert_int_equal(l.items[0].tier, -1);
    assert_null(l.items[0].tier_rule);
    assert_null(l.items[0].tier_reason);
    struct cm_err err = {0};
    struct cm_registry_filter flt = {.tier = 2, .limit = 10};
    assert_int_equal(cm_store_registry_candidates(f->c, f->prog, id, &flt, &l, f->a, &err),
                     CM_EINVAL);
    assert_string_equal(err.field, "tier");
    struct cm_registry_run r;
    assert_int_equal(cm_store_registry_run_get(f->c, f->prog, id, &r, f->a, &err), CM_OK);
    assert_int_equal(r.candidates, 3);
    assert_int_equal(r.tiers[3], 0);
    assert_int_equal(
        testlib_sql_int(f->path, "SELECT count(*) FROM identify_run WHERE tier_3 IS NULL"), 1);
}

/* ---- enrolment ------------------------------------------------------------------------------- */

static void
test_an_enrolled_candidate_leaves_not_enrolled_and_shows_its_child(void **state)
{
    struct fx *f = *state;
    int64_t id = load_run(f, &f->van, true, first, CM_ARRAY_LEN(first), f->now);
    int64_t child = enrol(f, &f->vpm, id, result_id(f, id, "P05"), "R-1", CM_OK);
    assert_true(child > 0);
    struct cm_registry_result_list l = candidates(f, f->prog, id, (struct cm_registry_filter){0});
    assert_string_equal(ids(f, &l), "P04 P03 P06 P02 P08");
    l = candidates(f, f->prog, id, (struct cm_registry_filter){.enrolled = CM_REGISTRY_ENROLLED});
    assert_string_equal(ids(f, &l), "P05");
    assert_int_equal(l.items[0].child_id, child);
    l = candidates(f, f->prog, id, (struct cm_registry_filter){.enrolled = CM_REGISTRY_ANY});
    assert_int_equal(l.total, 6);
    struct cm_err err = {0};
    struct cm_registry_run r;
    assert_int_equal(cm_store_registry_run_get(f->c, f->prog, id, &r, f->a, &err), CM_OK);
    assert_int_equal(r.enrolled, 1);
    /* A later run sees the same patient as enrolled: enrolment belongs to the program. */
    int64_t later = load_run(f, &f->van, true, first, CM_ARRAY_LEN(first), f->now + 10);
    struct cm_registry_result one;
    assert_int_equal(cm_store_registry_result_get(f->c, f->prog, later, result_id(f, later, "P05"),
                                                  &one, f->a, &err),
                     CM_OK);
    assert_int_equal(one.child_id, child);
    /* The link says who enrolled whom from which run. */
    char sql[200];
    snprintf(sql, sizeof(sql),
             "SELECT count(*) FROM identify_enrolment WHERE run_id = %lld AND child_id = %lld"
             " AND created_by = %lld",
             (long long)id, (long long)child, (long long)f->vpm.user_id);
    assert_int_equal(testlib_sql_int(f->path, sql), 1);
}

static void
test_enrolling_a_patient_already_enrolled_is_a_conflict_that_changes_nothing(void **state)
{
    struct fx *f = *state;
    int64_t id = load_run(f, &f->van, true, first, CM_ARRAY_LEN(first), f->now);
    int64_t later = load_run(f, &f->van, true, first, CM_ARRAY_LEN(first), f->now + 10);
    enrol(f, &f->vpm, id, result_id(f, id, "P03"), "R-1", CM_OK);
    char before[65], after[65];
    struct cm_err err = {0};
    assert_int_equal(cm_store_checksum(f->c, before, &err), CM_OK);
    /* The same member id from another run of the program. */
    enrol(f, &f->vpm, later, result_id(f, later, "P03"), "R-2", CM_ECONFLICT);
    assert_int_equal(cm_store_checksum(f->c, after, &err), CM_OK);
    assert_string_equal(before, after);
    assert_int_equal(testlib_sql_int(f->path, "SELECT count(*) FROM identify_enrolment"), 1);
    /* Another program may enrol the same member id in its own registry. */
    static const struct pt p3[] = {{"P03", CC, 2}};
    int64_t theirs = load_run(f, &f->vpm2, true, p3, 1, f->now);
    assert_true(enrol(f, &f->vpm2, theirs, result_id(f, theirs, "P03"), "R-1", CM_OK) > 0);
}

/* ---- comparing ------------------------------------------------------------------------------- */

static const struct pt second[] = {
    {"P05", CC, 3},  /* same */
    {"P04", CC, 2},  /* changed 3 -> 2 */
    {"P03", CC, 3},  /* changed 2 -> 3 */
    {"P02", NCC, 1}, /* same */
    {"P01", CC, 2},  /* new: was not a candidate */
    {"P09", CC, 2},  /* new: not in the earlier run at all */
    {"P06", NC, 0},  /* dropped: no longer a candidate */
    /* P08 dropped: not in this run at all; P07 still not a candidate */
    {"P07", NC, 0},
};

static struct cm_registry_compare
compare(struct fx *f, int64_t run, int64_t with, enum cm_registry_change cat)
{
    struct cm_err err = {0};
    struct cm_registry_compare out;
    enum cm_code rc =
        cm_store_registry_compare(f->c, f->prog, run, with, cat, 200, 0, &out, f->a, &err);
    if (rc != CM_OK)
        fail_msg("compare: %d %s %s", rc, err.field, err.msg);
    return out;
}

static const char *
compare_ids(struct fx *f, const struct cm_registry_compare *c)
{
    char *s = cm_arena_strdup(f->a, "");
    for (size_t i = 0; i < c->count; i++)
        s = cm_arena_printf(f->a, "%s%s%s", s, i ? " " : "", c->items[i].patient_id);
    return s;
}

static void
test_compare_names_who_is_new_who_changed_tier_and_who_dropped_out(void **state)
{
    struct fx *f = *state;
    int64_t r1 = load_run(f, &f->van, true, first, CM_ARRAY_LEN(first), f->now);
    int64_t r2 = load_run(f, &f->van, true, second, CM_ARRAY_LEN(second), f->now + 10);
    int64_t child = enrol(f, &f->vpm, r2, result_id(f, r2, "P09"), "R-9", CM_OK);

    struct cm_registry_compare c = compare(f, r2, r1, CM_REGISTRY_NEW);
    assert_int_equal(c.counts[CM_REGISTRY_NEW], 2);
    assert_int_equal(c.counts[CM_REGISTRY_CHANGED], 2);
    assert_int_equal(c.counts[CM_REGISTRY_DROPPED], 2);
    assert_string_equal(compare_ids(f, &c), "P01 P09");
    assert_int_equal(c.items[0].before.result_id, 0);
    assert_int_equal(c.items[0].after.result_id, result_id(f, r2, "P01"));
    assert_int_equal(c.items[0].after.tier, 2);
    assert_string_equal(c.items[0].after.cls, CC);
    assert_int_equal(c.items[0].child_id, 0);
    assert_int_equal(c.items[1].child_id, child);

    c = compare(f, r2, r1, CM_REGISTRY_CHANGED);
    assert_string_equal(compare_ids(f, &c), "P03 P04");
    assert_int_equal(c.items[0].before.tier, 2);
    assert_int_equal(c.items[0].after.tier, 3);
    assert_int_equal(c.items[1].before.tier, 3);
    assert_int_equal(c.items[1].after.tier, 2);
    assert_int_equal(c.items[1].before.result_id, result_id(f, r1, "P04"));

    c = compare(f, r2, r1, CM_REGISTRY_DROPPED);
    assert_string_equal(compare_ids(f, &c), "P06 P08");
    assert_int_equal(c.items[0].after.result_id, 0);
    assert_int_equal(c.items[0].before.tier, 2);

    /* The other way round, new and dropped swap. */
    c = compare(f, r1, r2, CM_REGISTRY_NEW);
    assert_string_equal(compare_ids(f, &c), "P06 P08");
    assert_int_equal(c.counts[CM_REGISTRY_DROPPED], 2);

    /* Paging a category. */
    struct cm_err err = {0};
    assert_int_equal(
        cm_store_registry_compare(f->c, f->prog, r2, r1, CM_REGISTRY_NEW, 1, 1, &c, f->a, &err),
        CM_OK);
    assert_string_equal(compare_ids(f, &c), "P09");
}

static void
test_compare_uses_the_class_when_a_run_has_no_tiers(void **state)
{
    struct fx *f = *state;
    static const struct pt a[] = {{"A", CC, -1}, {"B", NCC, -1}, {"C", CC, -1}};
    static const struct pt b[] = {{"A", NCC, -1}, {"B", NCC, -1}};
    static const struct pt tiered[] = {{"A", NCC, 0}, {"B", NCC, 0}, {"C", CC, 3}};
    int64_t r1 = load_run(f, &f->van, false, a, CM_ARRAY_LEN(a), f->now);
    int64_t r2 = load_run(f, &f->van, false, b, CM_ARRAY_LEN(b), f->now + 1);
    struct cm_registry_compare c = compare(f, r2, r1, CM_REGISTRY_CHANGED);
    assert_string_equal(compare_ids(f, &c), "A");
    assert_string_equal(c.items[0].before.cls, CC);
    assert_string_equal(c.items[0].after.cls, NCC);
    assert_int_equal(c.items[0].after.tier, -1);
    assert_int_equal(c.counts[CM_REGISTRY_DROPPED], 1);
    /* One stratified run against one without: compared by class too. */
    int64_t r3 = load_run(f, &f->van, true, tiered, CM_ARRAY_LEN(tiered), f->now + 2);
    c = compare(f, r3, r1, CM_REGISTRY_CHANGED);
    assert_string_equal(compare_ids(f, &c), "");
    assert_int_equal(c.counts[CM_REGISTRY_CHANGED], 0);
    /* In r3, A and B are tier 0 (no tier): no longer candidates. */
    assert_int_equal(c.counts[CM_REGISTRY_DROPPED], 2);
}

/* ---- immutability and failed loads ----------------------------------------------------------- */

static void
test_runs_results_rules_and_links_cannot_be_changed_or_deleted(void **state)
{
    struct fx *f = *state;
    int64_t id = load_run(f, &f->van, true, first, CM_ARRAY_LEN(first), f->now);
    enrol(f, &f->vpm, id, result_id(f, id, "P05"), "R-1", CM_OK);
    static const char *const edits[] = {
        "UPDATE identify_run SET candidates = 0",
        "UPDATE identify_run SET sealed = 0",
        "DELETE FROM identify_run",
        "UPDATE identify_result SET tier = 0",
        "DELETE FROM identify_result",
        "UPDATE identify_rule SET reason = 'x'",
        "DELETE FROM identify_rule",
        "UPDATE identify_enrolment SET child_id = 0",
        "DELETE FROM identify_enrolment",
    };
    for (size_t i = 0; i < CM_ARRAY_LEN(edits); i++) {
        if (testlib_sql(f->path, edits[i]) != SQLITE_CONSTRAINT)
            fail_msg("'%s' was allowed", edits[i]);
    }
    assert_int_equal(testlib_sql_int(f->path, "SELECT count(*) FROM identify_result"), 8);
    assert_int_equal(testlib_sql_int(f->path, "SELECT sum(candidates) FROM identify_run"), 6);
}

static void
test_a_load_that_is_not_committed_leaves_nothing(void **state)
{
    struct fx *f = *state;
    struct cm_err err = {0};
    struct cm_registry_run info = run_info(true, "claims.tsv");
    struct cm_registry_load *l = NULL;
    assert_int_equal(cm_store_registry_load_begin(f->c, &f->van, f->now, &info, &l, &err), CM_OK);
    /* While the claims are read (before the first result) the write lock is free. */
    assert_int_equal(testlib_sql(f->path, "BEGIN IMMEDIATE; ROLLBACK"), SQLITE_OK);
    for (size_t i = 0; i < CM_ARRAY_LEN(first); i++) {
        struct cm_registry_result r = result_of(&first[i]);
        assert_int_equal(cm_store_registry_load_add(l, &r, &err), CM_OK);
    }
    assert_int_equal(testlib_sql(f->path, "BEGIN IMMEDIATE; ROLLBACK"), SQLITE_BUSY);
    assert_int_equal(cm_store_registry_load_finish(l, 1, 8, 0, NULL, &err), CM_OK);
    cm_store_registry_load_free(l); /* no commit */
    assert_int_equal(testlib_sql_int(f->path, "SELECT count(*) FROM identify_run"), 0);
    assert_int_equal(testlib_sql_int(f->path, "SELECT count(*) FROM identify_result"), 0);
    assert_int_equal(testlib_sql_int(f->path, "SELECT count(*) FROM identify_rule"), 0);
    /* The connection is usable again. */
    assert_true(load_run(f, &f->van, false, NULL, 0, f->now) > 0);
}

static void
test_a_failing_result_stops_the_load_and_the_rollback_leaves_nothing(void **state)
{
    struct fx *f = *state;
    struct cm_err err = {0};
    struct cm_registry_run info = run_info(true, "claims.tsv");
    struct cm_registry_load *l = NULL;
    assert_int_equal(cm_store_registry_load_begin(f->c, &f->van, f->now, &info, &l, &err), CM_OK);
    struct cm_registry_result r = result_of(&first[0]);
    assert_int_equal(cm_store_registry_load_add(l, &r, &err), CM_OK);
    /* The same patient twice: a conflict that names no member id. */
    assert_int_equal(cm_store_registry_load_add(l, &r, &err), CM_ECONFLICT);
    assert_string_equal(err.field, "patient_id");
    assert_null(strstr(err.msg, "P05"));
    /* A rule id that comes back with another reason. */
    cm_err_clear(&err);
    struct cm_registry_result odd = result_of(&first[0]);
    odd.patient_id = "P77";
    odd.tier_reason = "something else";
    assert_int_equal(cm_store_registry_load_add(l, &odd, &err), CM_EINVAL);
    assert_string_equal(err.field, "tier_rule");
    /* A stratified run's result needs a tier, a run without tiers has none. */
    cm_err_clear(&err);
    struct cm_registry_result none = result_of(&first[3]);
    none.tier = -1;
    assert_int_equal(cm_store_registry_load_add(l, &none, &err), CM_EINVAL);
    assert_string_equal(err.field, "tier");
    cm_store_registry_load_free(l);
    assert_int_equal(testlib_sql_int(f->path, "SELECT count(*) FROM identify_run"), 0);
    assert_int_equal(testlib_sql_int(f->path, "SELECT count(*) FROM identify_result"), 0);

    /* Stratification fields come all together or not at all. */
    cm_err_clear(&err);
    info.as_of = NULL;
    assert_int_equal(cm_store_registry_load_begin(f->c, &f->van, f->now, &info, &l, &err),
                     CM_EINVAL);
    assert_null(l);
    assert_int_equal(testlib_sql_int(f->path, "SELECT count(*) FROM identify_run"), 0);
}

/* ---- size ------------------------------------------------------------------------------------ */

/* Loads CAREMAP_REGISTRY_ROWS patients (default 100,000) in one transaction and prints the time;
 * every tenth is complex chronic in tier 2 or 3. The counts must come out exact. */
static void
test_a_large_load_is_one_transaction_with_exact_counts(void **state)
{
    struct fx *f = *state;
    const char *env = getenv("CAREMAP_REGISTRY_ROWS");
    size_t n = env != NULL ? (size_t)strtoull(env, NULL, 10) : 100000;
    struct cm_err err = {0};
    struct cm_registry_run info = run_info(true, "big.tsv");
    struct cm_registry_load *l = NULL;
    double t0 = cm_time_mono_ms();
    assert_int_equal(cm_store_registry_load_begin(f->c, &f->van, f->now, &info, &l, &err), CM_OK);
    size_t cand = 0;
    for (size_t i = 0; i < n; i++) {
        char id[32];
        snprintf(id, sizeof(id), "M%09zu", (i * 7919) % n); /* not in key order */
        struct pt p = {id, i % 10 == 0 ? CC : NC, i % 10 == 0 ? 2 + (int)(i % 20 == 0) : 0};
        cand += p.tier > 0;
        struct cm_registry_result r = result_of(&p);
        if (cm_store_registry_load_add(l, &r, &err) != CM_OK)
            fail_msg("row %zu: %s %s", i, err.field, err.msg);
    }
    struct cm_registry_run done;
    assert_int_equal(cm_store_registry_load_finish(l, (int64_t)n, (int64_t)n, 0, &done, &err),
                     CM_OK);
    assert_int_equal(cm_store_commit(f->c, &err), CM_OK);
    cm_store_registry_load_free(l);
    double ms = cm_time_mono_ms() - t0;
    print_message("registry: %zu results loaded in %.0f ms (%.0f rows/s)\n", n, ms,
                  ms > 0 ? (double)n / (ms / 1000.0) : 0.0);
    assert_int_equal(done.candidates, (int64_t)cand);
    assert_int_equal(testlib_sql_int(f->path, "SELECT count(*) FROM identify_result"), (int64_t)n);
    struct cm_registry_result_list page =
        candidates(f, f->prog, done.id, (struct cm_registry_filter){.limit = 50});
    assert_int_equal(page.total, (int64_t)cand);
    assert_int_equal(page.items[0].tier, 3);
}

int
main(void)
{
    const struct CMUnitTest tests[] = {
#define T(name) cmocka_unit_test_setup_teardown(name, setup, teardown)
        T(test_every_registry_statement_prepares),
        T(test_a_database_missing_the_registry_migration_must_be_migrated_first),
        T(test_a_loaded_run_has_its_counts_author_and_files),
        T(test_runs_are_listed_newest_first_and_paged_within_the_program),
        T(test_a_run_of_another_program_is_not_found_everywhere),
        T(test_candidates_are_highest_tier_first_then_by_patient_id),
        T(test_a_run_without_tiers_lists_complex_before_non_complex_and_takes_no_tier_filter),
        T(test_an_enrolled_candidate_leaves_not_enrolled_and_shows_its_child),
        T(test_enrolling_a_patient_already_enrolled_is_a_conflict_that_changes_nothing),
        T(test_compare_names_who_is_new_who_changed_tier_and_who_dropped_out),
        T(test_compare_uses_the_class_when_a_run_has_no_tiers),
        T(test_runs_results_rules_and_links_cannot_be_changed_or_deleted),
        T(test_a_load_that_is_not_committed_leaves_nothing),
        T(test_a_failing_result_stops_the_load_and_the_rollback_leaves_nothing),
        T(test_a_large_load_is_one_transaction_with_exact_counts),
#undef T
    };
    return cmocka_run_group_tests_name("store_registry", tests, NULL, NULL);
}
