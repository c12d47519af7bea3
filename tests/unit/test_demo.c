/* Unit tests for `caremap demo`: the builder (src/cmd/demo_build.c) on real SQLite files in
 * temporary directories, with argon2id at its minimum cost so 24 hashes take milliseconds.
 *
 * The first group builds one demo (seed 1, dated 2026-03-01) and only reads it. The second group's
 * tests each build their own databases: determinism, refusing a second load, and the command's
 * exit codes. */
#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>

#include <cmocka.h>

#include "access/access.h"
#include "cmd/cmd.h"
#include "cmd/demo_build.h"
#include "store/store.h"

#include <sodium.h>
#include <sqlite3.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>

/* 2026-03-01T15:00:00Z: a fixed day, so every run of these tests sees the same program. */
#define DEMO_NOW ((int64_t)1772377200)
#define DAY_S    86400

/* ---- fixtures -------------------------------------------------------------------------------- */

struct db {
    char dir[64];
    char path[128];
    struct cm_store *s;
    struct cm_conn *c;
    struct cm_arena *a;
};

static void
db_open(struct db *d)
{
    memset(d, 0, sizeof(*d));
    snprintf(d->dir, sizeof(d->dir), "/tmp/caremap-demo-XXXXXX");
    assert_non_null(mkdtemp(d->dir));
    snprintf(d->path, sizeof(d->path), "%s/caremap.db", d->dir);
    struct cm_err err = {0};
    assert_int_equal(cm_store_open(d->path, &d->s, &err), CM_OK);
    assert_int_equal(cm_store_conn_open(d->s, &d->c, &err), CM_OK);
    d->a = cm_arena_new(64u << 20);
    assert_non_null(d->a);
}

static void
db_close(struct db *d)
{
    if (d->c != NULL)
        cm_store_conn_close(d->c);
    if (d->s != NULL)
        cm_store_close(d->s);
    d->c = NULL;
    d->s = NULL;
}

static void
db_remove(struct db *d)
{
    db_close(d);
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

static void
build(struct db *d, uint64_t seed, struct cmd_demo_summary *sum)
{
    struct cm_err err = {0};
    enum cm_code rc = cmd_demo_build(d->c, seed, DEMO_NOW, sum, d->a, &err);
    if (rc != CM_OK)
        fail_msg("cmd_demo_build: %s: %s %s", cm_code_name(rc), err.field, err.msg);
}

/* The demo loaded once, and what the tests read back from it. */
struct fx {
    struct db d;
    struct cmd_demo_summary sum;
    int64_t program;
    struct cm_viewer admin;
    struct cm_panel_row children[CMD_DEMO_CHILDREN];
    struct cm_team_list teams[CMD_DEMO_CHILDREN]; /* include_ended, by record number */
};

static struct fx *fx;

static int
group_setup(void **state)
{
    CM_UNUSED(state);
    struct cm_err err = {0};
    if (cm_access_password_init(1, crypto_pwhash_MEMLIMIT_MIN, 2, &err) != CM_OK)
        return -1;
    fx = calloc(1, sizeof(*fx));
    if (fx == NULL)
        return -1;
    db_open(&fx->d);
    if (cmd_demo_build(fx->d.c, 1, DEMO_NOW, &fx->sum, fx->d.a, &err) != CM_OK) {
        fprintf(stderr, "cmd_demo_build: %s %s\n", err.field, err.msg);
        return -1;
    }
    fx->program = fx->sum.program_id;
    fx->admin = (struct cm_viewer){0, CM_ROLE_ADMINISTRATOR, fx->program};

    struct cm_panel_filter f = {.sort = "name", .limit = 200};
    struct cm_panel panel;
    if (cm_store_child_panel(fx->d.c, &fx->admin, &f, DEMO_NOW, &panel, fx->d.a, &err) != CM_OK)
        return -1;
    for (size_t i = 0; i < panel.count; i++) {
        int k = 0;
        if (sscanf(panel.rows[i].child.record_number, "DEMO-%d", &k) != 1 || k < 1 ||
            k > CMD_DEMO_CHILDREN)
            return -1;
        fx->children[k - 1] = panel.rows[i];
        if (cm_store_team_list(fx->d.c, &fx->admin, panel.rows[i].child.meta.id, true, DEMO_NOW,
                               &fx->teams[k - 1], fx->d.a, &err) != CM_OK)
            return -1;
    }
    return 0;
}

static int
group_teardown(void **state)
{
    CM_UNUSED(state);
    db_remove(&fx->d);
    free(fx);
    fx = NULL;
    cm_access_password_free();
    return 0;
}

static int64_t
user_id(const char *username)
{
    struct cm_err err = {0};
    struct cm_user u;
    assert_int_equal(cm_store_user_by_username(fx->d.c, username, &u, fx->d.a, &err), CM_OK);
    return u.meta.id;
}

static bool
active(const struct cm_team_member *t)
{
    return t->end_date == NULL;
}

/* Someone who coordinates by their role: a care coordinator, a case or care manager. */
static bool
coordinates_by_role(const struct cm_team_member *t)
{
    return strstr(t->role, "coordinator") != NULL || strstr(t->role, "case manager") != NULL ||
           strstr(t->role, "care manager") != NULL;
}

/* Two active external members providing the same service. */
static bool
has_duplicate_service(const struct cm_team_list *l)
{
    for (size_t i = 0; i < l->count; i++) {
        const struct cm_team_member *x = &l->items[i];
        if (x->user_id != 0 || !active(x) || x->service == NULL)
            continue;
        for (size_t j = i + 1; j < l->count; j++) {
            const struct cm_team_member *y = &l->items[j];
            if (y->user_id == 0 && active(y) && y->service != NULL &&
                strcmp(x->service, y->service) == 0)
                return true;
        }
    }
    return false;
}

static int
count_lead(const struct cm_team_list *l, enum cm_lead which)
{
    int n = 0;
    for (size_t i = 0; i < l->count; i++)
        n += l->items[i].lead == which;
    return n;
}

/* ---- the program ----------------------------------------------------------------------------- */

static void
test_demo_loads_sixty_four_children_numbered_demo_0001_to_demo_0064(void **state)
{
    CM_UNUSED(state);
    assert_int_equal(fx->sum.children, CMD_DEMO_CHILDREN);
    for (int k = 0; k < CMD_DEMO_CHILDREN; k++) {
        char want[24];
        snprintf(want, sizeof(want), "DEMO-%04d", k + 1);
        assert_non_null(fx->children[k].child.record_number);
        assert_string_equal(fx->children[k].child.record_number, want);
    }
    struct cm_organization_list orgs;
    struct cm_err err = {0};
    assert_int_equal(cm_store_organization_list(fx->d.c, fx->program, &orgs, fx->d.a, &err), CM_OK);
    assert_int_equal(orgs.count, fx->sum.organizations);
    int practices = 0, hospitals = 0, schools = 0, payers = 0;
    for (size_t i = 0; i < orgs.count; i++) {
        practices += orgs.items[i].type == CM_ORG_PRACTICE;
        hospitals += orgs.items[i].type == CM_ORG_HOSPITAL;
        schools += orgs.items[i].type == CM_ORG_SCHOOL;
        payers += orgs.items[i].type == CM_ORG_PAYER;
    }
    assert_int_equal(practices, 2);
    assert_int_equal(hospitals, 2);
    assert_true(schools >= 3 && schools <= 4);
    assert_int_equal(payers, 2);
}

static void
test_children_have_plausible_ages_languages_enrolment_and_plan_dates(void **state)
{
    CM_UNUSED(state);
    char today[11], three_years_ago[11];
    cm_date_of(DEMO_NOW, today);
    cm_date_of(DEMO_NOW - 3 * 365 * DAY_S, three_years_ago);
    int spanish = 0, never = 0, stale = 0, recent = 0, tiers[4] = {0};
    for (int k = 0; k < CMD_DEMO_CHILDREN; k++) {
        const struct cm_child *ch = &fx->children[k].child;
        int age = cm_model_age_years(ch->birth_date, today);
        assert_in_range(age, 0, 21);
        assert_non_null(ch->enrolled_on);
        assert_true(strcmp(ch->enrolled_on, three_years_ago) >= 0);
        assert_true(strcmp(ch->enrolled_on, today) <= 0);
        assert_true(strcmp(ch->enrolled_on, ch->birth_date) > 0);
        assert_in_range(ch->tier, 1, 3);
        tiers[ch->tier]++;
        spanish += strcmp(ch->preferred_language, "es") == 0;
        if (ch->plan_updated_at == 0)
            never++;
        else if (ch->plan_updated_at < DEMO_NOW - 183 * DAY_S)
            stale++;
        else
            recent++;
        assert_true(ch->plan_updated_at <= DEMO_NOW);
    }
    /* A quarter Spanish-speaking. */
    assert_int_equal(spanish, CMD_DEMO_CHILDREN / 4);
    assert_true(never > 0 && stale > 0 && recent > never + stale);
    assert_true(tiers[1] > 0 && tiers[2] > 0 && tiers[3] > tiers[1]);
}

static void
test_every_care_team_has_15_to_60_relationships_across_all_seven_sectors(void **state)
{
    CM_UNUSED(state);
    size_t total = 0, ended = 0;
    for (int k = 0; k < CMD_DEMO_CHILDREN; k++) {
        const struct cm_team_list *l = &fx->teams[k];
        assert_in_range(l->count, 15, 60);
        bool sector[CM_SECTOR_COUNT] = {false};
        for (size_t i = 0; i < l->count; i++) {
            assert_in_range(l->items[i].sector, CM_SECTOR_MEDICAL, CM_SECTOR_COUNT - 1);
            sector[l->items[i].sector] = true;
            ended += !active(&l->items[i]);
        }
        for (int s = CM_SECTOR_MEDICAL; s < CM_SECTOR_COUNT; s++) {
            if (!sector[s])
                fail_msg("%s has nobody in sector %s", fx->children[k].child.record_number,
                         cm_sector_name((enum cm_sector)s));
        }
        total += l->count;
    }
    assert_int_equal(total, fx->sum.relationships);
    assert_int_equal(ended, fx->sum.ended_relationships);
    assert_true(ended > 0);
}

static void
test_memberships_start_during_enrolment_and_ended_ones_end_in_the_past(void **state)
{
    CM_UNUSED(state);
    char today[11];
    cm_date_of(DEMO_NOW, today);
    for (int k = 0; k < CMD_DEMO_CHILDREN; k++) {
        const char *enrolled = fx->children[k].child.enrolled_on;
        const struct cm_team_list *l = &fx->teams[k];
        for (size_t i = 0; i < l->count; i++) {
            const struct cm_team_member *t = &l->items[i];
            assert_true(strcmp(t->start_date, enrolled) >= 0);
            assert_true(strcmp(t->start_date, today) <= 0);
            if (t->end_date != NULL) {
                assert_true(strcmp(t->end_date, t->start_date) >= 0);
                assert_true(strcmp(t->end_date, today) < 0);
                assert_int_equal(t->lead, CM_LEAD_NONE);
            }
        }
    }
}

static void
test_demo_0001_has_58_relationships_of_which_46_are_active(void **state)
{
    CM_UNUSED(state);
    /* Kuo 2018: a parent's care map of 58 relationships, reduced to 46. */
    const struct cm_team_list *l = &fx->teams[0];
    int active_n = 0;
    for (size_t i = 0; i < l->count; i++)
        active_n += active(&l->items[i]);
    assert_int_equal(l->count, 58);
    assert_int_equal(active_n, 46);
    assert_int_equal(fx->children[0].lead_user_id, user_id("coord.ada"));
    assert_true(has_duplicate_service(l));
    assert_true(fx->children[0].child.plan_updated_at > DEMO_NOW - 183 * DAY_S);
}

/* ---- leads, coordinators, redundancy --------------------------------------------------------- */

static void
test_at_least_four_children_have_no_lead_coordinator(void **state)
{
    CM_UNUSED(state);
    struct cm_err err = {0};
    struct cm_panel_filter f = {.no_lead = true, .limit = 200};
    struct cm_panel panel;
    assert_int_equal(cm_store_child_panel(fx->d.c, &fx->admin, &f, DEMO_NOW, &panel, fx->d.a, &err),
                     CM_OK);
    assert_true(panel.total >= 4);
    assert_int_equal(panel.total, (int64_t)fx->sum.children_without_lead);
    int counted = 0;
    for (int k = 0; k < CMD_DEMO_CHILDREN; k++)
        counted += count_lead(&fx->teams[k], CM_LEAD_LEAD) == 0;
    assert_int_equal(counted, panel.total);
    /* DEMO-0002 is the showcase of coordinators without a lead. */
    assert_int_equal(count_lead(&fx->teams[1], CM_LEAD_LEAD), 0);
}

static void
test_children_without_a_lead_have_several_coordinators_by_role(void **state)
{
    CM_UNUSED(state);
    int without = 0;
    for (int k = 0; k < CMD_DEMO_CHILDREN; k++) {
        const struct cm_team_list *l = &fx->teams[k];
        if (count_lead(l, CM_LEAD_LEAD) != 0)
            continue;
        without++;
        int coordinators = 0, external = 0;
        for (size_t i = 0; i < l->count; i++) {
            if (active(&l->items[i]) && coordinates_by_role(&l->items[i])) {
                coordinators++;
                external += l->items[i].user_id == 0;
            }
        }
        if (coordinators < 2 || external < 2)
            fail_msg("%s has no lead and only %d coordinators (%d external)",
                     fx->children[k].child.record_number, coordinators, external);
    }
    assert_true(without >= 4);
}

static void
test_some_care_teams_have_two_active_providers_of_the_same_service(void **state)
{
    CM_UNUSED(state);
    int with = 0;
    for (int k = 0; k < CMD_DEMO_CHILDREN; k++)
        with += has_duplicate_service(&fx->teams[k]);
    assert_int_equal(with, (int)fx->sum.children_with_duplicates);
    /* Some, not all: a redundancy should stand out. */
    assert_in_range(with, 4, 3 * CMD_DEMO_CHILDREN / 4);
    assert_true(has_duplicate_service(&fx->teams[1]));
}

static void
test_every_child_with_a_lead_has_exactly_one_active_lead_and_at_most_one_backup(void **state)
{
    CM_UNUSED(state);
    for (int k = 0; k < CMD_DEMO_CHILDREN; k++) {
        const struct cm_team_list *l = &fx->teams[k];
        int leads = count_lead(l, CM_LEAD_LEAD);
        assert_in_range(leads, 0, 1);
        assert_in_range(count_lead(l, CM_LEAD_BACKUP), 0, leads);
        for (size_t i = 0; i < l->count; i++) {
            const struct cm_team_member *t = &l->items[i];
            if (t->lead == CM_LEAD_LEAD) {
                assert_true(active(t));
                assert_string_equal(t->role, "nurse_care_coordinator");
                assert_int_equal(fx->children[k].lead_user_id, t->user_id);
            }
        }
        if (leads == 0)
            assert_int_equal(fx->children[k].lead_user_id, 0);
    }
}

/* The panel a staff member sees, with each child's lead. */
static void
panel_of(const char *username, enum cm_role role, struct cm_panel *out)
{
    struct cm_err err = {0};
    struct cm_viewer v = {user_id(username), role, fx->program};
    struct cm_panel_filter f = {.limit = 200};
    assert_int_equal(cm_store_child_panel(fx->d.c, &v, &f, DEMO_NOW, out, fx->d.a, &err), CM_OK);
}

static void
test_coord_ada_panel_is_substantial_and_she_leads_most_of_it(void **state)
{
    CM_UNUSED(state);
    struct cm_panel panel;
    panel_of("coord.ada", CM_ROLE_NURSE_CARE_COORDINATOR, &panel);
    int64_t ada = user_id("coord.ada");
    int leads = 0;
    for (size_t i = 0; i < panel.count; i++)
        leads += panel.rows[i].lead_user_id == ada;
    assert_true(panel.total >= 12);
    assert_true(2 * leads > (int)panel.total);
}

static void
test_lakeside_coordinators_have_other_children_and_both_practices_cover_every_tier(void **state)
{
    CM_UNUSED(state);
    static const char *const riverbend[] = {"coord.ada", "coord.ben"};
    static const char *const lakeside[] = {"coord.cruz", "coord.dee"};
    bool tier_rb[4] = {false}, tier_ls[4] = {false};
    bool seen_rb[CMD_DEMO_CHILDREN + 1] = {false};
    for (int side = 0; side < 2; side++) {
        for (int u = 0; u < 2; u++) {
            const char *name = side == 0 ? riverbend[u] : lakeside[u];
            struct cm_panel panel;
            panel_of(name, CM_ROLE_NURSE_CARE_COORDINATOR, &panel);
            assert_true(panel.total > 0);
            int64_t me = user_id(name);
            for (size_t i = 0; i < panel.count; i++) {
                const struct cm_panel_row *r = &panel.rows[i];
                int k = 0;
                assert_int_equal(sscanf(r->child.record_number, "DEMO-%d", &k), 1);
                if (side == 0)
                    seen_rb[k] = true;
                else
                    assert_false(seen_rb[k]); /* coord.dee's panel is not coord.ada's */
                if (r->lead_user_id == me)
                    (side == 0 ? tier_rb : tier_ls)[r->child.tier] = true;
            }
        }
    }
    for (int t = 1; t <= 3; t++) {
        assert_true(tier_rb[t]);
        assert_true(tier_ls[t]);
    }
}

static void
test_internal_staff_appear_as_the_brief_describes(void **state)
{
    CM_UNUSED(state);
    int64_t ellis = user_id("dr.ellis"), fong = user_id("dr.fong");
    int tier3 = 0, ellis3 = 0, with_fong = 0;
    bool seen[3] = {false};
    static const char *const others[] = {"sw.gray", "nav.hale", "chw.ito"};
    int64_t other_id[3];
    for (int i = 0; i < 3; i++)
        other_id[i] = user_id(others[i]);
    for (int k = 0; k < CMD_DEMO_CHILDREN; k++) {
        const struct cm_team_list *l = &fx->teams[k];
        bool is3 = fx->children[k].child.tier == 3, has_ellis = false;
        for (size_t i = 0; i < l->count; i++) {
            int64_t u = l->items[i].user_id;
            has_ellis = has_ellis || u == ellis;
            with_fong += u == fong;
            for (int j = 0; j < 3; j++)
                seen[j] = seen[j] || u == other_id[j];
        }
        tier3 += is3;
        ellis3 += is3 && has_ellis;
    }
    assert_true(2 * ellis3 > tier3); /* dr.ellis on most tier-3 children */
    assert_true(with_fong > 0);
    for (int j = 0; j < 3; j++)
        assert_true(seen[j]);
    /* The analyst reaches no child. */
    struct cm_panel panel;
    panel_of("analyst.jo", CM_ROLE_ANALYST, &panel);
    assert_int_equal(panel.total, 0);
}

/* ---- accounts -------------------------------------------------------------------------------- */

static void
test_every_demo_account_signs_in_with_the_demo_password(void **state)
{
    CM_UNUSED(state);
    assert_int_equal(fx->sum.staff_users, 12);
    assert_int_equal(fx->sum.family_users, CMD_DEMO_FAMILY_ACCOUNTS);
    assert_int_equal(fx->sum.signin_count, 12 + CMD_DEMO_FAMILY_ACCOUNTS);
    struct cm_err err = {0};
    for (size_t i = 0; i < fx->sum.signin_count; i++) {
        struct cm_user u;
        const char *name = fx->sum.signins[i].username;
        assert_int_equal(cm_store_user_by_username(fx->d.c, name, &u, fx->d.a, &err), CM_OK);
        assert_string_equal(cm_role_name(u.role), fx->sum.signins[i].role);
        assert_true(cm_access_password_verify(u.password_hash, CMD_DEMO_PASSWORD));
    }
    struct cm_user admin;
    assert_int_equal(cm_store_user_by_username(fx->d.c, "admin", &admin, fx->d.a, &err), CM_OK);
    assert_int_equal(admin.role, CM_ROLE_ADMINISTRATOR);
    assert_string_equal(admin.display_name, "Avery Admin");
    assert_false(cm_access_password_verify(admin.password_hash, "caremap-demo-2025"));
}

static void
test_family_accounts_reach_only_their_own_child(void **state)
{
    CM_UNUSED(state);
    struct cm_err err = {0};
    for (int f = 1; f <= CMD_DEMO_FAMILY_ACCOUNTS; f++) {
        char name[32];
        snprintf(name, sizeof(name), "family.demo-%04d", f);
        struct cm_user u;
        assert_int_equal(cm_store_user_by_username(fx->d.c, name, &u, fx->d.a, &err), CM_OK);
        assert_int_equal(u.role, CM_ROLE_FAMILY);
        struct cm_viewer v = {u.meta.id, CM_ROLE_FAMILY, fx->program};
        for (int k = 0; k < CMD_DEMO_CHILDREN; k++) {
            enum cm_access how = CM_ACCESS_TEAM;
            assert_int_equal(cm_store_child_access(fx->d.c, &v, fx->children[k].child.meta.id,
                                                   DEMO_NOW, &how, &err),
                             CM_OK);
            assert_int_equal(how, k + 1 == f ? CM_ACCESS_FAMILY : CM_ACCESS_NONE);
        }
        /* Linked to the child's first guardian, in that guardian's language. */
        struct cm_family_list fam;
        assert_int_equal(cm_store_family_list(fx->d.c, &fx->admin,
                                              fx->children[f - 1].child.meta.id, DEMO_NOW, &fam,
                                              fx->d.a, &err),
                         CM_OK);
        assert_true(fam.count >= 1 && fam.count <= 3);
        assert_true(fam.items[0].is_guardian);
        assert_int_equal(fam.items[0].user_id, u.meta.id);
        assert_string_equal(u.language, fam.items[0].preferred_language);
    }
}

static void
test_every_child_has_one_to_three_family_members_with_a_guardian_first(void **state)
{
    CM_UNUSED(state);
    struct cm_err err = {0};
    size_t members = 0;
    for (int k = 0; k < CMD_DEMO_CHILDREN; k++) {
        struct cm_family_list fam;
        assert_int_equal(cm_store_family_list(fx->d.c, &fx->admin, fx->children[k].child.meta.id,
                                              DEMO_NOW, &fam, fx->d.a, &err),
                         CM_OK);
        assert_in_range(fam.count, 1, 3);
        assert_true(fam.items[0].is_guardian);
        assert_string_equal(fam.items[0].preferred_language,
                            fx->children[k].child.preferred_language);
        for (size_t i = 0; i < fam.count; i++) {
            assert_non_null(fam.items[i].phone);
            assert_int_equal(strncmp(fam.items[i].phone, "555-01", 6), 0);
            if (fam.items[i].email != NULL)
                assert_non_null(strstr(fam.items[i].email, "@example.net"));
            assert_true(k < CMD_DEMO_FAMILY_ACCOUNTS || fam.items[i].user_id == 0);
        }
        members += fam.count;
    }
    assert_int_equal(members, fx->sum.family_members);
}

static void
test_the_load_is_audited_once_as_demo_load_by_user_0(void **state)
{
    CM_UNUSED(state);
    struct cm_err err = {0};
    struct cm_audit_list l;
    assert_int_equal(cm_store_audit_list(fx->d.c, 0, 10, 0, &l, fx->d.a, &err), CM_OK);
    assert_int_equal(l.count, 1);
    assert_string_equal(l.items[0].action, "demo.load");
    assert_int_equal(l.items[0].user_id, 0);
    assert_string_equal(l.items[0].outcome, "ok");
    int64_t bad = -1, checked = 0;
    assert_int_equal(cm_store_audit_verify(fx->d.c, &bad, &checked, &err), CM_OK);
    assert_int_equal(bad, 0);
    assert_int_equal(checked, 1);
}

/* ---- determinism and refusal: each test builds its own databases ------------------------------
 */

/* cm_store_checksum covers every column of the care records. Two things in them are not the
 * demo's content and differ between runs by design: the argon2id hashes (random salts) and the
 * times the store stamps with the clock (created_at/updated_at where the caller cannot set them).
 * So the comparison is made after blanking exactly those columns, on a separate handle; what is
 * left (every name, date, tier, team membership, lead flag, link and version) must be equal. */
static void
content_checksum(struct db *d, char out[65])
{
    db_close(d);
    static const char *const sql =
        "UPDATE app_user SET password_hash = NULL, created_at = 0, updated_at = 0;"
        "UPDATE program SET created_at = 0, updated_at = 0;"
        "UPDATE organization SET created_at = 0, updated_at = 0;"
        "UPDATE child SET created_at = 0, updated_at = 0;"
        "UPDATE family_member SET created_at = 0, updated_at = 0;"
        "UPDATE team_member SET created_at = 0, updated_at = 0;";
    sqlite3 *raw = NULL;
    assert_int_equal(sqlite3_open(d->path, &raw), SQLITE_OK);
    char *msg = NULL;
    if (sqlite3_exec(raw, sql, NULL, NULL, &msg) != SQLITE_OK)
        fail_msg("normalising: %s", msg != NULL ? msg : "?");
    sqlite3_close(raw);
    struct cm_err err = {0};
    assert_int_equal(cm_store_open(d->path, &d->s, &err), CM_OK);
    assert_int_equal(cm_store_conn_open(d->s, &d->c, &err), CM_OK);
    assert_int_equal(cm_store_checksum(d->c, out, &err), CM_OK);
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

static void
test_the_same_seed_gives_the_same_content_and_another_seed_different_content(void **state)
{
    CM_UNUSED(state);
    struct db one, two, other;
    struct cmd_demo_summary s1, s2, s3;
    char c1[65], c2[65], c3[65], raw1[65], raw2[65];
    struct cm_err err = {0};
    db_open(&one);
    db_open(&two);
    db_open(&other);
    build(&one, 7, &s1);
    build(&two, 7, &s2);
    build(&other, 8, &s3);
    /* Untouched, the salts and clock stamps make the checksums differ: the normalising matters. */
    assert_int_equal(cm_store_checksum(one.c, raw1, &err), CM_OK);
    assert_int_equal(cm_store_checksum(two.c, raw2, &err), CM_OK);
    assert_string_not_equal(raw1, raw2);
    content_checksum(&one, c1);
    content_checksum(&two, c2);
    content_checksum(&other, c3);
    assert_string_equal(c1, c2);
    assert_string_not_equal(c1, c3);
    assert_int_equal(s1.relationships, s2.relationships);
    assert_int_equal(s1.family_members, s2.family_members);
    db_remove(&one);
    db_remove(&two);
    db_remove(&other);
}

static void
test_a_second_run_into_the_same_database_refuses_and_changes_nothing(void **state)
{
    CM_UNUSED(state);
    struct db d;
    struct cmd_demo_summary sum;
    char before[65], after[65];
    struct cm_err err = {0};
    db_open(&d);
    build(&d, 1, &sum);
    assert_int_equal(cm_store_checksum(d.c, before, &err), CM_OK);

    assert_int_equal(cmd_demo_build(d.c, 1, DEMO_NOW, &sum, d.a, &err), CM_ECONFLICT);
    assert_string_equal(err.field, "db");
    assert_non_null(strstr(err.msg, "already holds 64 children"));
    assert_int_equal(sum.children, 0);

    assert_int_equal(cm_store_checksum(d.c, after, &err), CM_OK);
    assert_string_equal(before, after);
    struct cm_audit_list l;
    assert_int_equal(cm_store_audit_list(d.c, 0, 10, 0, &l, d.a, &err), CM_OK);
    assert_int_equal(l.count, 1);
    db_remove(&d);
}

static void
test_a_database_where_a_demo_username_is_taken_is_refused(void **state)
{
    CM_UNUSED(state);
    struct db d;
    struct cmd_demo_summary sum;
    struct cm_err err = {0};
    db_open(&d);
    /* As `caremap user add` would leave it: a program and one user, no children. */
    int64_t program = 0;
    assert_int_equal(cm_store_program_create(d.c, "caremap", &program, &err), CM_OK);
    struct cm_user u = {.program_id = program,
                        .username = "coord.ada",
                        .display_name = "Someone Else",
                        .role = CM_ROLE_NURSE_CARE_COORDINATOR,
                        .language = "en"};
    assert_int_equal(cm_store_user_create(d.c, &u, 0, &err), CM_OK);

    assert_int_equal(cmd_demo_build(d.c, 1, DEMO_NOW, &sum, d.a, &err), CM_ECONFLICT);
    assert_non_null(strstr(err.msg, "'coord.ada'"));
    struct cm_viewer admin = {0, CM_ROLE_ADMINISTRATOR, program};
    struct cm_panel_filter f = {.limit = 1};
    struct cm_panel panel;
    assert_int_equal(cm_store_child_panel(d.c, &admin, &f, DEMO_NOW, &panel, d.a, &err), CM_OK);
    assert_int_equal(panel.total, 0);
    db_remove(&d);
}

/* ---- the command ----------------------------------------------------------------------------- */

/* Runs `caremap demo ARGS...` with cheap argon2 settings; returns its exit code. */
static int
run_demo(const char *db_path, const char *seed_arg)
{
    char db_opt[256];
    snprintf(db_opt, sizeof(db_opt), "--db=%s", db_path);
    char *argv[] = {
        "demo",           db_opt, "--set", "password_opslimit=1", "--set", "password_memlimit=8K",
        (char *)seed_arg, NULL};
    int argc = seed_arg != NULL ? 7 : 6;
    fflush(stdout);
    return cmd_demo(argc, argv);
}

static void
test_the_command_loads_once_then_refuses_with_exit_1(void **state)
{
    CM_UNUSED(state);
    struct db d;
    db_open(&d);
    db_close(&d);
    assert_int_equal(run_demo(d.path, "--seed=42"), 0);
    assert_int_equal(run_demo(d.path, NULL), 1);
    db_remove(&d);
}

static void
test_the_command_rejects_a_bad_seed_with_exit_2(void **state)
{
    CM_UNUSED(state);
    assert_int_equal(run_demo("/nonexistent/never-created.db", "--seed=-1"), 2);
    assert_int_equal(run_demo("/nonexistent/never-created.db", "--seed=12x"), 2);
    assert_int_equal(run_demo("/nonexistent/never-created.db", "--seed=99999999999999999999"), 2);
    assert_int_equal(run_demo("/nonexistent/never-created.db", "--colour=blue"), 2);
}

int
main(void)
{
    const struct CMUnitTest built[] = {
        cmocka_unit_test(test_demo_loads_sixty_four_children_numbered_demo_0001_to_demo_0064),
        cmocka_unit_test(test_children_have_plausible_ages_languages_enrolment_and_plan_dates),
        cmocka_unit_test(test_every_care_team_has_15_to_60_relationships_across_all_seven_sectors),
        cmocka_unit_test(test_memberships_start_during_enrolment_and_ended_ones_end_in_the_past),
        cmocka_unit_test(test_demo_0001_has_58_relationships_of_which_46_are_active),
        cmocka_unit_test(test_at_least_four_children_have_no_lead_coordinator),
        cmocka_unit_test(test_children_without_a_lead_have_several_coordinators_by_role),
        cmocka_unit_test(test_some_care_teams_have_two_active_providers_of_the_same_service),
        cmocka_unit_test(
            test_every_child_with_a_lead_has_exactly_one_active_lead_and_at_most_one_backup),
        cmocka_unit_test(test_coord_ada_panel_is_substantial_and_she_leads_most_of_it),
        cmocka_unit_test(
            test_lakeside_coordinators_have_other_children_and_both_practices_cover_every_tier),
        cmocka_unit_test(test_internal_staff_appear_as_the_brief_describes),
        cmocka_unit_test(test_every_demo_account_signs_in_with_the_demo_password),
        cmocka_unit_test(test_family_accounts_reach_only_their_own_child),
        cmocka_unit_test(test_every_child_has_one_to_three_family_members_with_a_guardian_first),
        cmocka_unit_test(test_the_load_is_audited_once_as_demo_load_by_user_0),
    };
    const struct CMUnitTest fresh[] = {
        cmocka_unit_test(
            test_the_same_seed_gives_the_same_content_and_another_seed_different_content),
        cmocka_unit_test(test_a_second_run_into_the_same_database_refuses_and_changes_nothing),
        cmocka_unit_test(test_a_database_where_a_demo_username_is_taken_is_refused),
    };
    const struct CMUnitTest command[] = {
        cmocka_unit_test(test_the_command_loads_once_then_refuses_with_exit_1),
        cmocka_unit_test(test_the_command_rejects_a_bad_seed_with_exit_2),
    };
    cm_log_set_level(CM_LOG_WARN);
    int failed =
        cmocka_run_group_tests_name("demo: the loaded program", built, group_setup, group_teardown);
    failed += cmocka_run_group_tests_name("demo: fresh databases", fresh, password_setup,
                                          password_teardown);
    /* The command initialises and frees the password hasher itself. */
    failed += cmocka_run_group_tests_name("demo: the command", command, NULL, NULL);
    return failed == 0 ? 0 : 1;
}
