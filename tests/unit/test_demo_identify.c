/* Unit tests for the demo's identification runs (src/cmd/demo_identify.c) on real SQLite files in
 * temporary directories: the demo is built (argon2id at its minimum cost), then the two runs are
 * loaded through the real loader, and what the registry holds is read back through the store.
 *
 * The first group builds one demo (seed 1, dated 2026-03-01, so the runs are for January and
 * February 2026) and only reads it. The second group's tests each build their own databases:
 * determinism, the months across a new year, a database without the demo, and the command. */
#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>

#include <cmocka.h>

#include "access/access.h"
#include "cmd/cmd.h"
#include "cmd/demo_build.h"
#include "cmd/demo_identify.h"
#include "store/registry.h"
#include "store/store.h"

#include <sodium.h>
#include <sqlite3.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>

/* 2026-03-01T15:00:00Z, as test_demo.c. */
#define DEMO_NOW ((int64_t)1772377200)
/* 2027-01-15T12:00:00Z: the runs are then for November and December 2026. */
#define NEW_YEAR_NOW ((int64_t)1799928000)

/* ---- fixtures -------------------------------------------------------------------------------- */

struct db {
    char dir[64];
    char path[128];
    struct cm_store *s;
    struct cm_conn *c;
    struct cm_arena *a;
    struct cm_config cfg;
};

static void
db_open(struct db *d)
{
    memset(d, 0, sizeof(*d));
    snprintf(d->dir, sizeof(d->dir), "/tmp/caremap-demoid-XXXXXX");
    assert_non_null(mkdtemp(d->dir));
    snprintf(d->path, sizeof(d->path), "%s/caremap.db", d->dir);
    struct cm_err err = {0};
    assert_int_equal(cm_store_open(d->path, &d->s, &err), CM_OK);
    assert_int_equal(cm_store_conn_open(d->s, &d->c, &err), CM_OK);
    d->a = cm_arena_new(64u << 20);
    assert_non_null(d->a);
    cm_config_defaults(&d->cfg);
    snprintf(d->cfg.db, sizeof(d->cfg.db), "%s", d->path);
}

static void
db_remove(struct db *d)
{
    if (d->c != NULL)
        cm_store_conn_close(d->c);
    if (d->s != NULL)
        cm_store_close(d->s);
    d->c = NULL;
    d->s = NULL;
    cm_arena_free(d->a);
    d->a = NULL;
    static const char *const files[] = {"caremap.db", "caremap.db-wal", "caremap.db-shm"};
    char p[192];
    for (size_t i = 0; i < CM_ARRAY_LEN(files); i++) {
        snprintf(p, sizeof(p), "%s/%s", d->dir, files[i]);
        unlink(p);
    }
    rmdir(d->dir);
}

/* The demo and its runs, dated now. */
static void
build(struct db *d, uint64_t seed, int64_t now, struct cmd_demo_identify_summary *ids)
{
    struct cm_err err = {0};
    struct cmd_demo_summary sum;
    enum cm_code rc = cmd_demo_build(d->c, seed, now, &sum, d->a, &err);
    if (rc != CM_OK)
        fail_msg("cmd_demo_build: %s: %s %s", cm_code_name(rc), err.field, err.msg);
    rc = cmd_demo_identify(&d->cfg, d->c, seed, now, ids, &err);
    if (rc != CM_OK)
        fail_msg("cmd_demo_identify: %s: %s %s", cm_code_name(rc), err.field, err.msg);
}

static int
password_setup(void **state)
{
    CM_UNUSED(state);
    struct cm_err err = {0};
    return cm_access_password_init(1, crypto_pwhash_MEMLIMIT_MIN, 2, &err) == CM_OK ? 0 : -1;
}

static int
password_teardown(void **state)
{
    CM_UNUSED(state);
    cm_access_password_free();
    return 0;
}

struct fx {
    struct db d;
    struct cmd_demo_identify_summary ids;
    int64_t program;
    struct cm_registry_run runs[2]; /* the earlier month first */
};

static struct fx *fx;

static int
group_setup(void **state)
{
    if (password_setup(state) != 0)
        return -1;
    fx = calloc(1, sizeof(*fx));
    if (fx == NULL)
        return -1;
    db_open(&fx->d);
    build(&fx->d, 1, DEMO_NOW, &fx->ids);
    struct cm_err err = {0};
    if (cm_store_program_first(fx->d.c, &fx->program, &err) != CM_OK)
        return -1;
    for (int r = 0; r < 2; r++) {
        if (cm_store_registry_run_get(fx->d.c, fx->program, fx->ids.run_id[r], &fx->runs[r],
                                      fx->d.a, &err) != CM_OK)
            return -1;
    }
    return 0;
}

static int
group_teardown(void **state)
{
    db_remove(&fx->d);
    free(fx);
    fx = NULL;
    return password_teardown(state);
}

/* Every candidate of run id (enrolled or not), highest tier first. */
static struct cm_registry_result_list
all_candidates(int64_t run_id, int tier)
{
    struct cm_registry_result_list all = {0};
    struct cm_registry_filter f = {.tier = tier, .enrolled = CM_REGISTRY_ANY, .limit = 200};
    for (;;) {
        struct cm_registry_result_list page;
        struct cm_err err = {0};
        assert_int_equal(
            cm_store_registry_candidates(fx->d.c, fx->program, run_id, &f, &page, fx->d.a, &err),
            CM_OK);
        struct cm_registry_result *items =
            cm_arena_alloc(fx->d.a, (all.count + page.count + 1) * sizeof(*items));
        assert_non_null(items);
        if (all.count > 0)
            memcpy(items, all.items, all.count * sizeof(*items));
        if (page.count > 0)
            memcpy(items + all.count, page.items, page.count * sizeof(*items));
        all.items = items;
        all.count += page.count;
        all.total = page.total;
        f.offset += 200;
        if (page.count == 0 || (int64_t)all.count >= page.total)
            return all;
    }
}

/* ---- the runs -------------------------------------------------------------------------------- */

static void
test_two_stratified_pmca_runs_for_the_two_months_before_today_are_loaded_as_the_analyst(
    void **state)
{
    CM_UNUSED(state);
    struct cm_err err = {0};
    struct cm_registry_run_list l;
    assert_int_equal(cm_store_registry_run_list(fx->d.c, fx->program, 10, 0, &l, fx->d.a, &err),
                     CM_OK);
    assert_int_equal(l.total, 2);
    /* Newest first: February, then January. */
    assert_int_equal(l.items[0].id, fx->ids.run_id[1]);
    assert_int_equal(l.items[1].id, fx->ids.run_id[0]);
    static const char *const input[2] = {"riverbend-claims-2026-01.tsv",
                                         "riverbend-claims-2026-02.tsv"};
    static const char *const encounters[2] = {"riverbend-encounters-2026-01.tsv",
                                              "riverbend-encounters-2026-02.tsv"};
    static const char *const as_of[2] = {"2026-01-31", "2026-02-28"};
    for (int r = 0; r < 2; r++) {
        const struct cm_registry_run *run = &fx->runs[r];
        assert_string_equal(run->algorithm, "pmca");
        assert_string_equal(run->codes_mode, "normalised");
        assert_string_equal(run->list_name, "codelists/pmca_icd10_sas_rules_v3.4.5.tsv");
        assert_int_equal(strlen(run->list_sha256), 64);
        assert_string_equal(run->input_name, input[r]);
        assert_string_equal(run->input_name, fx->ids.input_name[r]);
        assert_string_equal(run->encounters_name, encounters[r]);
        assert_string_equal(run->tiers_name, "stratify/tiers.json");
        assert_string_equal(run->as_of, as_of[r]);
        assert_string_equal(run->created_by_name, "Jo Analyst");
        assert_int_equal(run->bad_rows, 0);
        assert_true(cm_store_registry_run_stratified(run));
    }
    assert_string_equal(fx->ids.month[0], "2026-01");
    assert_string_equal(fx->ids.month[1], "2026-02");
}

static void
test_each_run_has_about_300_members_and_candidates_in_every_tier(void **state)
{
    CM_UNUSED(state);
    for (int r = 0; r < 2; r++) {
        const struct cm_registry_run *run = &fx->runs[r];
        assert_in_range(run->patients, 290, 335);
        assert_int_equal(run->patients, fx->ids.patients[r]);
        assert_int_equal(run->candidates, fx->ids.candidates[r]);
        /* Most members of a plan have no chronic condition: no tier, not a candidate. */
        assert_true(run->tiers[0] > run->patients / 4);
        for (int t = 1; t <= 3; t++) {
            assert_true(run->tiers[t] > 0);
            assert_int_equal(run->tiers[t], fx->ids.tiers[r][t]);
        }
        assert_int_equal(run->candidates, run->tiers[1] + run->tiers[2] + run->tiers[3]);
        assert_int_equal(run->patients, run->candidates + run->tiers[0]);
        /* PMCA gives all three classes. */
        assert_true(run->complex_chronic > 0 && run->non_complex_chronic > 0 &&
                    run->non_chronic > 0);
    }
}

static void
test_every_rule_of_the_default_tiers_fires_for_someone_in_both_runs(void **state)
{
    CM_UNUSED(state);
    static const struct {
        int tier;
        const char *rule;
    } rules[] = {
        {3, "tier3-technology"}, {3, "tier3-admissions"}, {3, "tier3-ed-visits"},
        {2, "tier2-complex"},    {1, "tier1-chronic"},
    };
    for (int r = 0; r < 2; r++) {
        struct cm_registry_result_list l = all_candidates(fx->ids.run_id[r], 0);
        assert_int_equal(l.count, (size_t)fx->runs[r].candidates);
        for (size_t k = 0; k < CM_ARRAY_LEN(rules); k++) {
            size_t n = 0;
            for (size_t i = 0; i < l.count; i++) {
                if (strcmp(l.items[i].tier_rule, rules[k].rule) != 0)
                    continue;
                assert_int_equal(l.items[i].tier, rules[k].tier);
                n++;
            }
            if (n == 0)
                fail_msg("run %d: nobody is in tier %d by %s", r, rules[k].tier, rules[k].rule);
        }
    }
}

static void
test_the_reasons_hold_technology_admissions_ed_visits_and_body_systems(void **state)
{
    CM_UNUSED(state);
    struct cm_registry_result_list l = all_candidates(fx->ids.run_id[1], 0);
    for (size_t i = 0; i < l.count; i++) {
        const struct cm_registry_result *c = &l.items[i];
        const uint32_t *e = c->encounters;
        if (strcmp(c->tier_rule, "tier3-technology") == 0) {
            assert_true(c->tech_dep);
            assert_string_equal(c->cls, "complex_chronic");
        } else if (strcmp(c->tier_rule, "tier3-admissions") == 0) {
            assert_false(c->tech_dep);
            assert_true(e[1] >= 2); /* admission */
        } else if (strcmp(c->tier_rule, "tier3-ed-visits") == 0) {
            assert_true(e[1] < 2 && e[0] >= 3); /* ed */
        } else if (strcmp(c->tier_rule, "tier2-complex") == 0) {
            assert_string_equal(c->cls, "complex_chronic");
            assert_false(c->tech_dep);
            assert_true(e[0] < 3 && e[1] < 2);
        } else {
            assert_string_equal(c->tier_rule, "tier1-chronic");
            assert_string_equal(c->cls, "non_complex_chronic");
            assert_int_equal(c->conditions, 1);
            assert_non_null(c->condition_names);
            assert_null(strchr(c->condition_names, ','));
        }
    }
}

static void
test_member_ids_are_synthetic_an_m_and_six_digits(void **state)
{
    CM_UNUSED(state);
    for (int r = 0; r < 2; r++) {
        struct cm_registry_result_list l = all_candidates(fx->ids.run_id[r], 0);
        for (size_t i = 0; i < l.count; i++) {
            const char *id = l.items[i].patient_id;
            assert_int_equal(strlen(id), 7);
            assert_int_equal(id[0], 'M');
            assert_int_equal(strspn(id + 1, "0123456789"), 6);
            /* Highest tier first, then member id: within a tier, ids strictly rise. */
            if (i > 0 && l.items[i - 1].tier == l.items[i].tier)
                assert_true(strcmp(l.items[i - 1].patient_id, id) < 0);
        }
    }
}

/* ---- the comparison -------------------------------------------------------------------------- */

static void
test_the_later_run_shows_new_changed_and_dropped_members(void **state)
{
    CM_UNUSED(state);
    struct cm_err err = {0};
    struct cm_registry_compare cmp[CM_REGISTRY_CHANGES];
    for (int k = 0; k < CM_REGISTRY_CHANGES; k++) {
        assert_int_equal(cm_store_registry_compare(fx->d.c, fx->program, fx->ids.run_id[1],
                                                   fx->ids.run_id[0], (enum cm_registry_change)k,
                                                   200, 0, &cmp[k], fx->d.a, &err),
                         CM_OK);
        assert_int_equal(cmp[k].counts[k], fx->ids.compare[k]);
        assert_true(cmp[k].counts[k] > 0);
        assert_int_equal(cmp[k].count, (size_t)cmp[k].counts[k]);
    }
    /* Changed: up because of a new admission or technology code or body system, and down because
     * an admission left the window. */
    bool up[4] = {false}, down = false;
    for (size_t i = 0; i < cmp[CM_REGISTRY_CHANGED].count; i++) {
        const struct cm_registry_compare_item *it = &cmp[CM_REGISTRY_CHANGED].items[i];
        assert_true(it->before.result_id != 0 && it->after.result_id != 0);
        assert_int_not_equal(it->before.tier, it->after.tier);
        if (it->after.tier > it->before.tier)
            up[it->after.tier] = true;
        else
            down = true;
    }
    assert_true(up[2]); /* 1 -> 2 */
    assert_true(up[3]); /* 2 -> 3 */
    assert_true(down);
    for (size_t i = 0; i < cmp[CM_REGISTRY_NEW].count; i++)
        assert_int_equal(cmp[CM_REGISTRY_NEW].items[i].before.result_id, 0);
    for (size_t i = 0; i < cmp[CM_REGISTRY_DROPPED].count; i++)
        assert_int_equal(cmp[CM_REGISTRY_DROPPED].items[i].after.result_id, 0);
}

/* ---- the enrolled ---------------------------------------------------------------------------- */

static void
test_six_demo_children_are_enrolled_candidates_in_the_tier_the_program_gives_them(void **state)
{
    CM_UNUSED(state);
    assert_int_equal(fx->ids.enrolled, CMD_DEMO_IDENTIFY_ENROLLED);
    struct cm_viewer admin = {0, CM_ROLE_ADMINISTRATOR, fx->program};
    for (int r = 0; r < 2; r++) {
        assert_int_equal(fx->runs[r].enrolled, CMD_DEMO_IDENTIFY_ENROLLED);
        struct cm_registry_filter f = {.enrolled = CM_REGISTRY_ENROLLED, .limit = 200};
        struct cm_registry_result_list l;
        struct cm_err err = {0};
        assert_int_equal(cm_store_registry_candidates(fx->d.c, fx->program, fx->ids.run_id[r], &f,
                                                      &l, fx->d.a, &err),
                         CM_OK);
        assert_int_equal(l.count, CMD_DEMO_IDENTIFY_ENROLLED);
        bool showcase = false, tiers[4] = {false};
        for (size_t i = 0; i < l.count; i++) {
            struct cm_child ch;
            assert_true(l.items[i].child_id > 0);
            assert_int_equal(cm_store_child_get(fx->d.c, &admin, l.items[i].child_id, DEMO_NOW, &ch,
                                                fx->d.a, &err),
                             CM_OK);
            assert_int_equal(strncmp(ch.record_number, "DEMO-", 5), 0);
            /* The claims agree with the program about the child. */
            assert_int_equal(l.items[i].tier, ch.tier);
            tiers[ch.tier] = true;
            showcase = showcase || strcmp(ch.record_number, "DEMO-0001") == 0;
        }
        assert_true(showcase);
        assert_true(tiers[2] && tiers[3]);
        /* "Not yet enrolled" leaves them out. */
        f.enrolled = CM_REGISTRY_NOT_ENROLLED;
        assert_int_equal(cm_store_registry_candidates(fx->d.c, fx->program, fx->ids.run_id[r], &f,
                                                      &l, fx->d.a, &err),
                         CM_OK);
        assert_int_equal(l.total, fx->runs[r].candidates - CMD_DEMO_IDENTIFY_ENROLLED);
    }
}

static void
test_the_loads_and_the_enrolments_are_audited_by_the_analyst_with_ids_only(void **state)
{
    CM_UNUSED(state);
    struct cm_err err = {0};
    struct cm_user jo;
    assert_int_equal(cm_store_user_by_username(fx->d.c, "analyst.jo", &jo, fx->d.a, &err), CM_OK);
    struct cm_audit_list l;
    assert_int_equal(cm_store_audit_list(fx->d.c, 0, 50, 0, &l, fx->d.a, &err), CM_OK);
    size_t loads = 0, enrols = 0, demo = 0;
    for (size_t i = 0; i < l.count; i++) {
        const struct cm_audit_event *e = &l.items[i];
        if (strcmp(e->action, "demo.load") == 0) {
            demo++;
            continue;
        }
        assert_int_equal(e->user_id, jo.meta.id);
        assert_string_equal(e->outcome, "ok");
        assert_null(strstr(e->detail, "M0")); /* no member id */
        if (strcmp(e->action, "identify.load") == 0) {
            assert_int_equal(e->child_id, 0);
            loads++;
        } else {
            assert_string_equal(e->action, "identify.enrol");
            assert_true(e->child_id > 0);
            assert_non_null(strstr(e->detail, "run="));
            enrols++;
        }
    }
    assert_int_equal(demo, 1);
    assert_int_equal(loads, 2);
    assert_int_equal(enrols, CMD_DEMO_IDENTIFY_ENROLLED);
    int64_t bad = -1, checked = 0;
    assert_int_equal(cm_store_audit_verify(fx->d.c, &bad, &checked, &err), CM_OK);
    assert_int_equal(bad, 0);
    assert_int_equal(checked, 1 + 2 + CMD_DEMO_IDENTIFY_ENROLLED);
}

/* ---- fresh databases ------------------------------------------------------------------------- */

/* SHA-256 over every result of every run and the children's member ids, in a stable order: the
 * content of the runs, without what the clock stamps. */
static void
runs_checksum(struct db *d, char out[65])
{
    static const char sql[] =
        "SELECT r.input_name, r.as_of, e.patient_id, e.class, e.level, e.conditions,"
        " e.condition_names, e.tech_dep, e.transplant, e.progressive, e.malignancy, e.tier,"
        " e.tier_rule, e.enc_ed, e.enc_admission, e.enc_observation, e.enc_specialty,"
        " e.enc_primary_care, e.enc_home_health, e.enc_other,"
        " (SELECT c.record_number FROM child c WHERE c.member_id = e.patient_id)"
        " FROM identify_result e JOIN identify_run r ON r.id = e.run_id"
        " ORDER BY r.input_name, e.patient_id";
    sqlite3 *raw = NULL;
    assert_int_equal(sqlite3_open_v2(d->path, &raw, SQLITE_OPEN_READONLY, NULL), SQLITE_OK);
    sqlite3_stmt *s = NULL;
    assert_int_equal(sqlite3_prepare_v2(raw, sql, -1, &s, NULL), SQLITE_OK);
    crypto_hash_sha256_state h;
    crypto_hash_sha256_init(&h);
    size_t rows = 0;
    while (sqlite3_step(s) == SQLITE_ROW) {
        for (int i = 0; i < sqlite3_column_count(s); i++) {
            const unsigned char *v = sqlite3_column_text(s, i);
            crypto_hash_sha256_update(&h, v != NULL ? v : (const unsigned char *)"\x01",
                                      v != NULL ? (size_t)sqlite3_column_bytes(s, i) : 1);
            crypto_hash_sha256_update(&h, (const unsigned char *)"\t", 1);
        }
        rows++;
    }
    sqlite3_finalize(s);
    sqlite3_close(raw);
    assert_true(rows > 500);
    unsigned char digest[crypto_hash_sha256_BYTES];
    crypto_hash_sha256_final(&h, digest);
    cm_hex(digest, sizeof(digest), out);
}

static void
test_the_same_seed_and_day_give_the_same_runs_and_another_seed_other_runs(void **state)
{
    CM_UNUSED(state);
    struct db a, b;
    struct cmd_demo_identify_summary sa, sb;
    char ha[65], hb[65], hfx[65];
    db_open(&a);
    build(&a, 1, DEMO_NOW + 3600, &sa);
    runs_checksum(&a, ha);
    runs_checksum(&fx->d, hfx);
    assert_string_equal(ha, hfx);
    assert_memory_equal(sa.compare, fx->ids.compare, sizeof(sa.compare));
    db_remove(&a);

    db_open(&b);
    build(&b, 2, DEMO_NOW, &sb);
    runs_checksum(&b, hb);
    assert_string_not_equal(hb, hfx);
    db_remove(&b);
}

static void
test_in_january_the_runs_are_for_november_and_december_of_the_year_before(void **state)
{
    CM_UNUSED(state);
    struct db d;
    struct cmd_demo_identify_summary s;
    db_open(&d);
    build(&d, 7, NEW_YEAR_NOW, &s);
    assert_string_equal(s.month[0], "2026-11");
    assert_string_equal(s.month[1], "2026-12");
    int64_t program = 0;
    struct cm_err err = {0};
    assert_int_equal(cm_store_program_first(d.c, &program, &err), CM_OK);
    struct cm_registry_run run;
    assert_int_equal(cm_store_registry_run_get(d.c, program, s.run_id[0], &run, d.a, &err), CM_OK);
    assert_string_equal(run.as_of, "2026-11-30");
    assert_string_equal(run.input_name, "riverbend-claims-2026-11.tsv");
    assert_int_equal(cm_store_registry_run_get(d.c, program, s.run_id[1], &run, d.a, &err), CM_OK);
    assert_string_equal(run.as_of, "2026-12-31");
    for (int t = 1; t <= 3; t++)
        assert_true(run.tiers[t] > 0);
    for (int k = 0; k < CM_REGISTRY_CHANGES; k++)
        assert_true(s.compare[k] > 0);
    db_remove(&d);
}

static void
test_without_the_demo_nothing_is_loaded(void **state)
{
    CM_UNUSED(state);
    struct db d;
    struct cmd_demo_identify_summary s;
    db_open(&d);
    struct cm_err err = {0};
    assert_int_equal(cmd_demo_identify(&d.cfg, d.c, 1, DEMO_NOW, &s, &err), CM_ENOTFOUND);
    sqlite3 *raw = NULL;
    assert_int_equal(sqlite3_open_v2(d.path, &raw, SQLITE_OPEN_READONLY, NULL), SQLITE_OK);
    sqlite3_stmt *st = NULL;
    assert_int_equal(sqlite3_prepare_v2(raw, "SELECT count(*) FROM identify_run", -1, &st, NULL),
                     SQLITE_OK);
    assert_int_equal(sqlite3_step(st), SQLITE_ROW);
    assert_int_equal(sqlite3_column_int(st, 0), 0);
    sqlite3_finalize(st);
    sqlite3_close(raw);
    db_remove(&d);
}

static void
test_the_demo_command_loads_the_runs_too(void **state)
{
    CM_UNUSED(state);
    struct db d;
    db_open(&d);
    cm_store_conn_close(d.c);
    cm_store_close(d.s);
    d.c = NULL;
    d.s = NULL;
    char db_opt[256];
    snprintf(db_opt, sizeof(db_opt), "--db=%s", d.path);
    char *argv[] = {"demo", db_opt, "--set", "password_opslimit=1", "--set", "password_memlimit=8K",
                    NULL};
    fflush(stdout);
    /* The command initialises and frees the password hasher itself. */
    cm_access_password_free();
    int code = cmd_demo(6, argv);
    struct cm_err err = {0};
    assert_int_equal(cm_access_password_init(1, crypto_pwhash_MEMLIMIT_MIN, 2, &err), CM_OK);
    assert_int_equal(code, 0);
    assert_int_equal(cm_store_open(d.path, &d.s, &err), CM_OK);
    assert_int_equal(cm_store_conn_open(d.s, &d.c, &err), CM_OK);
    int64_t program = 0;
    assert_int_equal(cm_store_program_first(d.c, &program, &err), CM_OK);
    struct cm_registry_run_list l;
    assert_int_equal(cm_store_registry_run_list(d.c, program, 10, 0, &l, d.a, &err), CM_OK);
    assert_int_equal(l.total, 2);
    assert_int_equal(l.items[0].enrolled, CMD_DEMO_IDENTIFY_ENROLLED);
    db_remove(&d);
}

int
main(void)
{
    const struct CMUnitTest built[] = {
        cmocka_unit_test(
            test_two_stratified_pmca_runs_for_the_two_months_before_today_are_loaded_as_the_analyst),
        cmocka_unit_test(test_each_run_has_about_300_members_and_candidates_in_every_tier),
        cmocka_unit_test(test_every_rule_of_the_default_tiers_fires_for_someone_in_both_runs),
        cmocka_unit_test(test_the_reasons_hold_technology_admissions_ed_visits_and_body_systems),
        cmocka_unit_test(test_member_ids_are_synthetic_an_m_and_six_digits),
        cmocka_unit_test(test_the_later_run_shows_new_changed_and_dropped_members),
        cmocka_unit_test(
            test_six_demo_children_are_enrolled_candidates_in_the_tier_the_program_gives_them),
        cmocka_unit_test(
            test_the_loads_and_the_enrolments_are_audited_by_the_analyst_with_ids_only),
        cmocka_unit_test(test_the_same_seed_and_day_give_the_same_runs_and_another_seed_other_runs),
        cmocka_unit_test(test_in_january_the_runs_are_for_november_and_december_of_the_year_before),
        cmocka_unit_test(test_without_the_demo_nothing_is_loaded),
        cmocka_unit_test(test_the_demo_command_loads_the_runs_too),
    };
    cm_log_set_level(CM_LOG_WARN);
    return cmocka_run_group_tests_name("demo: identification runs", built, group_setup,
                                       group_teardown);
}
