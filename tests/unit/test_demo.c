/* Unit tests for `caremap demo`: the builder (src/cmd/demo_build.c) on real SQLite files in
 * temporary directories, with argon2id at its minimum cost so 24 hashes take milliseconds.
 *
 * The first group builds one demo (seed 1, dated 2026-03-01) and only reads it, the shared plans of
 * care included (demo_plan.c). The second group's tests each build their own databases:
 * determinism, refusing a second load, and the command's exit codes. */
#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>

#include <cmocka.h>

#include "access/access.h"
#include "cmd/cmd.h"
#include "cmd/demo_build.h"
#include "cmd/demo_plan.h"
#include "plan/plan.h"
#include "store/store.h"

#include <jansson.h>
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
    struct cm_err err = {0};
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
        /* Every child has a plan (at least drafted); some were never frozen. */
        struct cm_plan_state st;
        assert_int_equal(cm_store_plan_state(fx->d.c, &fx->admin, ch->meta.id, DEMO_NOW, &st, &err),
                         CM_OK);
        assert_true(ch->plan_updated_at > 0);
        if (st.latest_version == 0)
            never++;
        if (ch->plan_updated_at < DEMO_NOW - 183 * DAY_S)
            stale++;
        else
            recent++;
        assert_true(ch->plan_updated_at <= DEMO_NOW);
        /* Not before enrolment (the plan is made with the family once they are in). */
        int64_t enrolled = 0;
        assert_int_equal(cm_date_parse(ch->enrolled_on, &enrolled, "enrolled_on", &err), CM_OK);
        assert_true(ch->plan_updated_at >= enrolled);
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

/* ---- the shared plans of care (demo_plan.c) ---------------------------------------------------
 */

static void
plan_items(int k, const char *kind, struct cm_plan_item_list *out)
{
    struct cm_err err = {0};
    assert_int_equal(cm_store_plan_item_list(fx->d.c, &fx->admin, fx->children[k].child.meta.id,
                                             kind, DEMO_NOW, out, fx->d.a, &err),
                     CM_OK);
}

/* The translatable fields of an item that carry a translation (into any language). */
static size_t
translated_fields(const struct cm_plan_item *it)
{
    json_t *tr = json_loads(it->translations, 0, NULL);
    assert_non_null(tr);
    size_t n = 0;
    const char *lang;
    json_t *fields;
    json_object_foreach(tr, lang, fields)
    {
        n += json_object_size(fields);
    }
    json_decref(tr);
    return n;
}

static void
test_every_child_has_a_summary_and_at_least_one_family_goal(void **state)
{
    CM_UNUSED(state);
    for (int k = 0; k < CMD_DEMO_CHILDREN; k++) {
        struct cm_plan_item_list summary, goals, concerns;
        plan_items(k, "summary", &summary);
        plan_items(k, "goal", &goals);
        plan_items(k, "concern", &concerns);
        if (summary.count != 1 || goals.count < 1 || concerns.count < 1)
            fail_msg("%s: %zu summaries, %zu goals, %zu concerns",
                     fx->children[k].child.record_number, summary.count, goals.count,
                     concerns.count);
        assert_true(goals.count <= 4);
        /* "About me" starts with the child's name. */
        const char *name = fx->children[k].child.given_name;
        assert_non_null(strstr(summary.items[0].body, name));
    }
}

/* Every item obeys the declaration (model/plan_kinds.c) exactly as the API would hold it to it:
 * its body decodes and validates, references point to live items of the right kind of the same
 * child, translations are only of translatable fields and into the other language. */
static void
test_every_plan_item_validates_and_its_links_and_translations_are_sound(void **state)
{
    CM_UNUSED(state);
    struct cm_err err = {0};
    size_t total = 0;
    for (int k = 0; k < CMD_DEMO_CHILDREN; k++) {
        struct cm_plan_item_list all;
        plan_items(k, NULL, &all);
        assert_true(all.count >= 10);
        for (size_t i = 0; i < all.count; i++) {
            const struct cm_plan_item *it = &all.items[i];
            const struct cm_plan_kind_desc *d = cm_plan_kind_by_name(it->kind);
            assert_non_null(d);
            union cm_plan_value v[CM_PLAN_MAX_FIELDS];
            assert_int_equal(cm_plan_body_decode(d, it->body, v, fx->d.a, &err), CM_OK);
            if (cm_model_plan_item_validate(d, v, fx->d.a, &err) != CM_OK)
                fail_msg("%s %s %lld: %s: %s", fx->children[k].child.record_number, it->kind,
                         (long long)it->meta.id, err.field, err.msg);
            for (size_t f = 0; f < d->nfields; f++) {
                if (d->fields[f].type != CM_PF_REF || v[f].i == 0)
                    continue;
                bool found = false;
                for (size_t j = 0; j < all.count && !found; j++)
                    found = all.items[j].meta.id == v[f].i &&
                            strcmp(all.items[j].kind, cm_plan_kind(d->fields[f].ref)->name) == 0;
                if (!found)
                    fail_msg("%s %s %lld: %s points at nothing",
                             fx->children[k].child.record_number, it->kind, (long long)it->meta.id,
                             d->fields[f].name);
            }
            assert_true(cm_plan_lang_ok(it->lang));
            json_t *tr = json_loads(it->translations, 0, NULL);
            assert_true(json_is_object(tr));
            const char *lang;
            json_t *fields;
            json_object_foreach(tr, lang, fields)
            {
                assert_true(cm_plan_lang_ok(lang));
                assert_string_not_equal(lang, it->lang);
                const char *name;
                json_t *text;
                json_object_foreach(fields, name, text)
                {
                    int fi = cm_plan_field_index(d, name);
                    assert_true(fi >= 0);
                    assert_int_equal(d->fields[fi].type, CM_PF_TEXT);
                    assert_true(json_is_string(text) && json_string_length(text) > 0);
                }
            }
            json_decref(tr);
            total++;
        }
    }
    assert_true(total > 20 * (size_t)CMD_DEMO_CHILDREN);
}

/* Well formed ICD-10-CM, stored dotted (G80.0, never G800), and one of the codes the data file
 * cites with the reference list it was taken from. */
static bool
icd10_dotted(const char *s)
{
    size_t n = strlen(s);
    if (n < 3 || s[0] < 'A' || s[0] > 'Z' || s[0] == 'U' || s[1] < '0' || s[1] > '9')
        return false;
    if (!((s[2] >= '0' && s[2] <= '9') || (s[2] >= 'A' && s[2] <= 'Z')))
        return false;
    if (n == 3)
        return true;
    if (s[3] != '.' || n < 5 || n > 8)
        return false;
    for (size_t i = 4; i < n; i++)
        if (!((s[i] >= '0' && s[i] <= '9') || (s[i] >= 'A' && s[i] <= 'Z')))
            return false;
    return true;
}

static void
test_condition_codes_are_dotted_icd10_from_the_cited_reference_lists(void **state)
{
    CM_UNUSED(state);
    for (size_t i = 0; i < cmd_demo_plan_code_count; i++) {
        const struct cmd_demo_code *c = &cmd_demo_plan_codes[i];
        assert_true(icd10_dotted(c->code));
        assert_true(strcmp(c->list, "pmca_icd10_code_list_kpwhri.tsv") == 0 ||
                    strcmp(c->list, "ccc_medicalcoder_0.6.0.9000_codes.tsv") == 0);
        assert_true(strlen(c->title) > 3);
    }
    struct cm_err err = {0};
    const struct cm_plan_kind_desc *d = cm_plan_kind(CM_PK_CONDITION);
    int code = cm_plan_field_index(d, "code");
    size_t coded = 0;
    for (int k = 0; k < CMD_DEMO_CHILDREN; k++) {
        struct cm_plan_item_list l;
        plan_items(k, "condition", &l);
        assert_true(l.count >= 2);
        for (size_t i = 0; i < l.count; i++) {
            union cm_plan_value v[CM_PLAN_MAX_FIELDS];
            assert_int_equal(cm_plan_body_decode(d, l.items[i].body, v, fx->d.a, &err), CM_OK);
            assert_non_null(v[code].s);
            assert_true(icd10_dotted(v[code].s));
            bool cited = false;
            for (size_t j = 0; j < cmd_demo_plan_code_count && !cited; j++)
                cited = strcmp(cmd_demo_plan_codes[j].code, v[code].s) == 0;
            if (!cited)
                fail_msg("%s: %s is not among the cited codes", fx->children[k].child.record_number,
                         v[code].s);
            coded++;
        }
    }
    assert_true(coded > 2 * (size_t)CMD_DEMO_CHILDREN);
}

/* docs/plan.md: current (reviewed with the family within six months), due, or none (never
 * frozen); change requests stay open until a newer version. The demo shows all of them. */
static void
test_plan_statuses_are_a_mix_with_open_change_requests(void **state)
{
    CM_UNUSED(state);
    struct cm_err err = {0};
    int count[3] = {0}, open = 0, reviewed_long_ago = 0;
    for (int k = 0; k < CMD_DEMO_CHILDREN; k++) {
        struct cm_plan_state st;
        assert_int_equal(cm_store_plan_state(fx->d.c, &fx->admin, fx->children[k].child.meta.id,
                                             DEMO_NOW, &st, &err),
                         CM_OK);
        enum cm_plan_status s = cm_plan_status_of(st.latest_version, st.reviewed_at, DEMO_NOW, 6);
        count[s]++;
        open += st.open_requests > 0;
        assert_true(st.latest_version <= 3);
        if (st.reviewed_at != 0) {
            assert_true(st.reviewed_at < DEMO_NOW);
            /* Due plans were last reviewed seven to fourteen months ago, not years. */
            reviewed_long_ago += st.reviewed_at < DEMO_NOW - 450 * DAY_S;
        }
        /* The panel row says the same. */
        assert_int_equal(fx->children[k].plan_latest_version, st.latest_version);
        assert_int_equal(fx->children[k].plan_open_requests, st.open_requests);
    }
    assert_true(count[CM_PLAN_STATUS_CURRENT] >= CMD_DEMO_CHILDREN / 3);
    assert_true(count[CM_PLAN_STATUS_CURRENT] <= 3 * CMD_DEMO_CHILDREN / 4);
    assert_true(count[CM_PLAN_STATUS_DUE] >= 4);
    assert_true(count[CM_PLAN_STATUS_NONE] >= 3);
    assert_true(open >= 2);
    assert_int_equal(reviewed_long_ago, 0);
}

/* Versions are frozen by staff on the child's team (the lead when there is one), dated in the
 * past in order, each a plan document of the child; reviews follow their version and come from
 * the family's own account, or are recorded in person by staff when the family has none. */
static void
test_versions_and_reviews_are_dated_in_order_by_the_right_people(void **state)
{
    CM_UNUSED(state);
    struct cm_err err = {0};
    size_t versions = 0, by_family = 0, in_person = 0;
    for (int k = 0; k < CMD_DEMO_CHILDREN; k++) {
        int64_t child = fx->children[k].child.meta.id;
        struct cm_plan_version_list vl;
        assert_int_equal(
            cm_store_plan_version_list(fx->d.c, &fx->admin, child, DEMO_NOW, &vl, fx->d.a, &err),
            CM_OK);
        struct cm_family_list fam;
        assert_int_equal(
            cm_store_family_list(fx->d.c, &fx->admin, child, DEMO_NOW, &fam, fx->d.a, &err), CM_OK);
        int64_t account = fam.items[0].user_id;
        int64_t lead = fx->children[k].lead_user_id;
        for (size_t i = 0; i < vl.count; i++) {
            const struct cm_plan_version *v = &vl.items[i]; /* newest first */
            assert_true(v->created_at < DEMO_NOW);
            if (i + 1 < vl.count)
                assert_true(v->created_at > vl.items[i + 1].created_at);
            if (lead != 0)
                assert_int_equal(v->created_by, lead);
            bool on_team = false;
            for (size_t t = 0; t < fx->teams[k].count && !on_team; t++)
                on_team = fx->teams[k].items[t].user_id == v->created_by;
            assert_true(on_team);
            struct cm_plan_version full;
            assert_int_equal(cm_store_plan_version_get(fx->d.c, &fx->admin, child, v->number,
                                                       DEMO_NOW, &full, fx->d.a, &err),
                             CM_OK);
            json_t *doc = json_loads(full.content, 0, NULL);
            assert_non_null(doc);
            assert_int_equal(json_integer_value(json_object_get(doc, "format")), 1);
            assert_string_equal(
                json_string_value(json_object_get(json_object_get(doc, "child"), "record_number")),
                fx->children[k].child.record_number);
            assert_true(
                json_array_size(json_object_get(json_object_get(doc, "elements"), "summary")) == 1);
            json_decref(doc);
            versions++;
        }
        struct cm_plan_review_list rl;
        assert_int_equal(
            cm_store_plan_review_list(fx->d.c, &fx->admin, child, 0, DEMO_NOW, &rl, fx->d.a, &err),
            CM_OK);
        for (size_t i = 0; i < rl.count; i++) {
            const struct cm_plan_review *r = &rl.items[i];
            assert_true(r->created_at < DEMO_NOW);
            const struct cm_plan_version *v = NULL;
            for (size_t j = 0; j < vl.count; j++)
                if (vl.items[j].number == r->version_number)
                    v = &vl.items[j];
            assert_non_null(v);
            assert_true(r->created_at > v->created_at);
            if (account != 0) {
                assert_int_equal(r->created_by, account);
                assert_false(r->in_person);
                by_family++;
            } else {
                assert_true(r->in_person);
                assert_int_not_equal(r->created_by, 0);
                in_person++;
            }
            if (strcmp(r->decision, "agree") != 0)
                assert_true(r->comment != NULL && strlen(r->comment) > 0);
        }
    }
    assert_true(versions >= (size_t)CMD_DEMO_CHILDREN);
    assert_true(by_family > 0 && in_person > 0);
}

/* Spanish-speaking families read their plan in Spanish: most items carry a Spanish translation
 * (or are written in Spanish with an English one), a few wait for theirs so the "not translated
 * yet" marker shows, and English-speaking families' items are English only (but for the action
 * plans, whose starters come in both languages, and the showcase DEMO-0001). */
static void
test_spanish_families_have_translations_and_a_few_items_wait_for_one(void **state)
{
    CM_UNUSED(state);
    int written_in_spanish = 0;
    size_t waiting = 0;
    for (int k = 0; k < CMD_DEMO_CHILDREN; k++) {
        bool es = strcmp(fx->children[k].child.preferred_language, "es") == 0;
        struct cm_plan_item_list all;
        plan_items(k, NULL, &all);
        size_t with = 0, without = 0;
        bool in_spanish = false;
        for (size_t i = 0; i < all.count; i++) {
            const struct cm_plan_item *it = &all.items[i];
            in_spanish = in_spanish || strcmp(it->lang, "es") == 0;
            bool has = translated_fields(it) > 0;
            if (strcmp(it->kind, "action_plan") == 0) {
                assert_true(has);
                continue;
            }
            with += has;
            without += !has;
        }
        written_in_spanish += in_spanish;
        if (!es && k != 0) {
            assert_false(in_spanish);
            assert_int_equal(with, 0);
            continue;
        }
        if (with < 2 * without)
            fail_msg("%s: %zu items translated, %zu not", fx->children[k].child.record_number, with,
                     without);
        waiting += without;
    }
    assert_true(written_in_spanish >= 1 && written_in_spanish <= 5);
    assert_true(waiting >= 1);
}

static int64_t
user_of_version(int64_t child, int64_t number)
{
    struct cm_err err = {0};
    struct cm_plan_version v;
    assert_int_equal(
        cm_store_plan_version_get(fx->d.c, &fx->admin, child, number, DEMO_NOW, &v, fx->d.a, &err),
        CM_OK);
    return v.created_by;
}

/* DEMO-0001, the example the docs use: every kind of element, Spanish translations with a couple
 * of new items still waiting for theirs, two versions frozen by coord.ada, and an open change
 * request from family.demo-0001 on the latest; its plan is current. */
static void
test_demo_0001_is_the_rich_example_the_docs_describe(void **state)
{
    CM_UNUSED(state);
    struct cm_err err = {0};
    int64_t child = fx->children[0].child.meta.id;
    size_t nkinds;
    const struct cm_plan_kind_desc *kinds = cm_plan_kinds(&nkinds);
    for (size_t i = 0; i < nkinds; i++) {
        struct cm_plan_item_list l;
        plan_items(0, kinds[i].name, &l);
        if (l.count == 0)
            fail_msg("DEMO-0001 has no %s", kinds[i].name);
    }
    struct cm_plan_item_list all;
    plan_items(0, NULL, &all);
    size_t translated = 0, waiting = 0;
    for (size_t i = 0; i < all.count; i++) {
        bool has = strstr(all.items[i].translations, "\"es\"") != NULL;
        translated += has;
        if (!has) {
            /* Only what was added for version 2 waits for its translation: a concern and the
             * action that answers it. */
            waiting++;
            assert_true(strcmp(all.items[i].kind, "concern") == 0 ||
                        strcmp(all.items[i].kind, "action") == 0);
        }
    }
    assert_true(translated > 20);
    assert_int_equal(waiting, 2);

    struct cm_plan_state st;
    assert_int_equal(cm_store_plan_state(fx->d.c, &fx->admin, child, DEMO_NOW, &st, &err), CM_OK);
    assert_int_equal(st.latest_version, 2);
    assert_int_equal(st.open_requests, 1);
    assert_int_equal(cm_plan_status_of(st.latest_version, st.reviewed_at, DEMO_NOW, 6),
                     CM_PLAN_STATUS_CURRENT);
    assert_int_equal(user_of_version(child, 1), user_id("coord.ada"));
    assert_int_equal(user_of_version(child, 2), user_id("coord.ada"));
    struct cm_plan_review_list rl;
    assert_int_equal(
        cm_store_plan_review_list(fx->d.c, &fx->admin, child, 2, DEMO_NOW, &rl, fx->d.a, &err),
        CM_OK);
    assert_int_equal(rl.count, 1);
    assert_string_equal(rl.items[0].decision, "change_requested");
    assert_int_equal(rl.items[0].created_by, user_id("family.demo-0001"));
    assert_non_null(strstr(rl.items[0].comment, "ventilator"));
    /* The family can see its own plan and its versions. */
    struct cm_viewer fam = {user_id("family.demo-0001"), CM_ROLE_FAMILY, fx->program};
    struct cm_plan_version_list vl;
    assert_int_equal(cm_store_plan_version_list(fx->d.c, &fam, child, DEMO_NOW, &vl, fx->d.a, &err),
                     CM_OK);
    assert_int_equal(vl.count, 2);

    /* Version 2 differs from version 1 as docs/demo.md says: the added concern and action, and a
     * medication whose dose went up. */
    struct cm_plan_version v1, v2;
    assert_int_equal(
        cm_store_plan_version_get(fx->d.c, &fx->admin, child, 1, DEMO_NOW, &v1, fx->d.a, &err),
        CM_OK);
    assert_int_equal(
        cm_store_plan_version_get(fx->d.c, &fx->admin, child, 2, DEMO_NOW, &v2, fx->d.a, &err),
        CM_OK);
    json_t *from = json_loads(v1.content, 0, NULL), *to = json_loads(v2.content, 0, NULL);
    json_t *diff = cm_plan_diff(from, to);
    assert_non_null(diff);
    bool concern_added = false, dose_changed = false;
    size_t i;
    json_t *ch;
    json_array_foreach(json_object_get(diff, "changes"), i, ch)
    {
        const char *kind = json_string_value(json_object_get(ch, "kind"));
        const char *change = json_string_value(json_object_get(ch, "change"));
        concern_added =
            concern_added || (strcmp(kind, "concern") == 0 && strcmp(change, "added") == 0);
        size_t j;
        json_t *f;
        json_array_foreach(json_object_get(ch, "fields"), j, f)
        {
            dose_changed = dose_changed ||
                           (strcmp(kind, "medication") == 0 &&
                            strcmp(json_string_value(json_object_get(f, "field")), "dose") == 0);
        }
    }
    json_decref(diff);
    json_decref(from);
    json_decref(to);
    assert_true(concern_added);
    assert_true(dose_changed);
}

/* DEMO-0002: a Spanish-speaking family's plan written in Spanish, with English translations,
 * frozen by a coordinator on a team that has no designated lead, reviewed by family.demo-0002. */
static void
test_demo_0002_plan_is_written_in_spanish_and_frozen_without_a_lead(void **state)
{
    CM_UNUSED(state);
    struct cm_err err = {0};
    struct cm_plan_item_list all;
    plan_items(1, NULL, &all);
    size_t english = 0;
    for (size_t i = 0; i < all.count; i++) {
        assert_string_equal(all.items[i].lang, "es");
        english += strstr(all.items[i].translations, "\"en\"") != NULL;
    }
    assert_true(english > all.count / 2);
    int64_t child = fx->children[1].child.meta.id;
    struct cm_plan_state st;
    assert_int_equal(cm_store_plan_state(fx->d.c, &fx->admin, child, DEMO_NOW, &st, &err), CM_OK);
    assert_true(st.latest_version >= 1);
    int64_t by = user_of_version(child, 1);
    assert_true(by == user_id("coord.cruz") || by == user_id("coord.dee"));
    struct cm_plan_review_list rl;
    assert_int_equal(
        cm_store_plan_review_list(fx->d.c, &fx->admin, child, 0, DEMO_NOW, &rl, fx->d.a, &err),
        CM_OK);
    assert_true(rl.count >= 1);
    for (size_t i = 0; i < rl.count; i++)
        assert_int_equal(rl.items[i].created_by, user_id("family.demo-0002"));
}

/* The equipment an emergency department needs first: every child with a trach has its make and
 * size and a supplier with a 555-01xx phone; every g-tube has its French size and length. */
static void
test_trach_and_gtube_equipment_has_make_size_and_supplier(void **state)
{
    CM_UNUSED(state);
    struct cm_err err = {0};
    const struct cm_plan_kind_desc *d = cm_plan_kind(CM_PK_EQUIPMENT);
    int type = cm_plan_field_index(d, "type"), make = cm_plan_field_index(d, "make");
    int size = cm_plan_field_index(d, "size"), sup = cm_plan_field_index(d, "supplier");
    int phone = cm_plan_field_index(d, "supplier_phone");
    int trachs = 0, gtubes = 0;
    for (int k = 0; k < CMD_DEMO_CHILDREN; k++) {
        struct cm_plan_item_list l;
        plan_items(k, "equipment", &l);
        for (size_t i = 0; i < l.count; i++) {
            union cm_plan_value v[CM_PLAN_MAX_FIELDS];
            assert_int_equal(cm_plan_body_decode(d, l.items[i].body, v, fx->d.a, &err), CM_OK);
            bool trach = strcmp(v[type].s, "tracheostomy") == 0;
            bool gtube = strcmp(v[type].s, "gastrostomy") == 0;
            if (!trach && !gtube)
                continue;
            trachs += trach;
            gtubes += gtube;
            assert_non_null(v[make].s);
            assert_non_null(v[size].s);
            assert_non_null(v[sup].s);
            assert_non_null(v[phone].s);
            assert_int_equal(strncmp(v[phone].s, "555-01", 6), 0);
            if (gtube)
                assert_true(strstr(v[size].s, " Fr ") != NULL && strstr(v[size].s, " cm") != NULL);
        }
    }
    assert_true(trachs >= 1 && gtubes >= 5);
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

/* Rows of a plan table, read on a separate handle. */
static int64_t
plan_rows(struct db *d, const char *table)
{
    static const char *const allowed[] = {"plan_item", "plan_version", "plan_review"};
    bool ok = false;
    for (size_t i = 0; i < CM_ARRAY_LEN(allowed); i++)
        ok = ok || strcmp(table, allowed[i]) == 0;
    assert_true(ok);
    char sql[64];
    snprintf(sql, sizeof(sql), "SELECT count(*) FROM %s", table);
    sqlite3 *raw = NULL;
    sqlite3_stmt *s = NULL;
    assert_int_equal(sqlite3_open(d->path, &raw), SQLITE_OK);
    assert_int_equal(sqlite3_prepare_v2(raw, sql, -1, &s, NULL), SQLITE_OK);
    assert_int_equal(sqlite3_step(s), SQLITE_ROW);
    int64_t n = sqlite3_column_int64(s, 0);
    sqlite3_finalize(s);
    sqlite3_close(raw);
    return n;
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
    /* The plans are part of what was compared: items, versions and reviews, and their frozen
     * documents hash the same. */
    assert_true(plan_rows(&one, "plan_item") > 1000);
    assert_true(plan_rows(&one, "plan_version") > 0);
    assert_true(plan_rows(&one, "plan_review") > 0);
    assert_int_equal(plan_rows(&one, "plan_version"), plan_rows(&two, "plan_version"));
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
        cmocka_unit_test(test_every_child_has_a_summary_and_at_least_one_family_goal),
        cmocka_unit_test(test_every_plan_item_validates_and_its_links_and_translations_are_sound),
        cmocka_unit_test(test_condition_codes_are_dotted_icd10_from_the_cited_reference_lists),
        cmocka_unit_test(test_plan_statuses_are_a_mix_with_open_change_requests),
        cmocka_unit_test(test_versions_and_reviews_are_dated_in_order_by_the_right_people),
        cmocka_unit_test(test_spanish_families_have_translations_and_a_few_items_wait_for_one),
        cmocka_unit_test(test_demo_0001_is_the_rich_example_the_docs_describe),
        cmocka_unit_test(test_demo_0002_plan_is_written_in_spanish_and_frozen_without_a_lead),
        cmocka_unit_test(test_trach_and_gtube_equipment_has_make_size_and_supplier),
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
