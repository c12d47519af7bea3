/* Unit tests for the store's side of the shared plan of care, each on a fresh SQLite file in its
 * own temporary directory: elements (order, positions, versions, removal), who reaches them,
 * plan_updated_at, frozen versions and their immutability, family reviews, the plan's state, the
 * panel's plan columns and filter, and the checksum. */
#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>

#include <cmocka.h>

#include "testlib_db.h"

#include "store/store_int.h"

#include <sodium.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>

#define DAY 86400

/* One database: program one with child1 (coord.ada's team, a guardian linked to family.one) and
 * child2 (coord.ben's team); program two with its own manager. */
struct fx {
    char dir[64];
    char path[128];
    struct cm_store *s;
    struct cm_conn *c;
    struct cm_arena *a;
    int64_t now;
    int64_t prog, prog2;
    int64_t pm, nurse_a, nurse_b, analyst, fam, pm2;
    int64_t child1, child2;
    struct cm_viewer va, vb, vpm, vfam, vpm2;
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

/* A child created by v, with v as the first member of its care team (as the API enrols). */
static int64_t
add_child(struct fx *f, const struct cm_viewer *v, const char *record, const char *given)
{
    struct cm_err err = {0};
    struct cm_child ch = {.record_number = record,
                          .given_name = given,
                          .family_name = "Testchild",
                          .birth_date = "2018-04-01",
                          .sex = "female",
                          .preferred_language = "en",
                          .tier = 2};
    assert_int_equal(cm_store_child_create(f->c, v, &ch, &err), CM_OK);
    struct cm_team_member t = {.child_id = ch.meta.id,
                               .user_id = v->user_id,
                               .role = "nurse_care_coordinator",
                               .service = "care coordination",
                               .sector = CM_SECTOR_MEDICAL,
                               .start_date = "2020-01-01"};
    assert_int_equal(cm_store_team_create(f->c, v, f->now, &t, &err), CM_OK);
    return ch.meta.id;
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
    f->a = cm_arena_new(8 << 20);
    assert_non_null(f->a);
    f->now = cm_time_now();

    /* One transaction: a commit per row with synchronous=FULL would make every test slow. */
    assert_int_equal(cm_store_begin(f->c, true, &err), CM_OK);
    assert_int_equal(cm_store_program_create(f->c, "Program One", &f->prog, &err), CM_OK);
    assert_int_equal(cm_store_program_create(f->c, "Program Two", &f->prog2, &err), CM_OK);
    f->pm = add_user(f, f->prog, "manager", CM_ROLE_PROGRAM_MANAGER);
    f->nurse_a = add_user(f, f->prog, "coord.ada", CM_ROLE_NURSE_CARE_COORDINATOR);
    f->nurse_b = add_user(f, f->prog, "coord.ben", CM_ROLE_NURSE_CARE_COORDINATOR);
    f->analyst = add_user(f, f->prog, "analyst.jo", CM_ROLE_ANALYST);
    f->fam = add_user(f, f->prog, "family.one", CM_ROLE_FAMILY);
    f->pm2 = add_user(f, f->prog2, "manager.two", CM_ROLE_PROGRAM_MANAGER);
    f->va = viewer(f->nurse_a, CM_ROLE_NURSE_CARE_COORDINATOR, f->prog);
    f->vb = viewer(f->nurse_b, CM_ROLE_NURSE_CARE_COORDINATOR, f->prog);
    f->vpm = viewer(f->pm, CM_ROLE_PROGRAM_MANAGER, f->prog);
    f->vfam = viewer(f->fam, CM_ROLE_FAMILY, f->prog);
    f->vpm2 = viewer(f->pm2, CM_ROLE_PROGRAM_MANAGER, f->prog2);
    f->child1 = add_child(f, &f->va, "R-1", "Zuri");
    f->child2 = add_child(f, &f->vb, "R-2", "Ola");
    struct cm_family_member g = {.child_id = f->child1,
                                 .given_name = "Rosa",
                                 .family_name = "Testparent",
                                 .relationship = "mother",
                                 .is_guardian = true,
                                 .preferred_language = "es"};
    assert_int_equal(cm_store_family_create(f->c, &f->va, f->now, &g, &err), CM_OK);
    assert_int_equal(cm_store_family_link_user(f->c, f->prog, g.meta.id, f->fam, &err), CM_OK);
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

static void
checksum(struct fx *f, char out[65])
{
    struct cm_err err = {0};
    assert_int_equal(cm_store_checksum(f->c, out, &err), CM_OK);
    assert_int_equal(strlen(out), 64);
}

/* Creates an item of kind for child as v at time at; returns it (meta, position filled). */
static struct cm_plan_item
add_item(struct fx *f, const struct cm_viewer *v, int64_t child, const char *kind, const char *body,
         int64_t at)
{
    struct cm_err err = {0};
    struct cm_plan_item it = {.child_id = child, .kind = kind, .lang = "en", .body = body};
    enum cm_code rc = cm_store_plan_item_create(f->c, v, at, &it, &err);
    if (rc != CM_OK)
        fail_msg("plan_item_create: %d %s %s", rc, err.field, err.msg);
    return it;
}

static int64_t
freeze(struct fx *f, const struct cm_viewer *v, int64_t child, const char *content, int64_t at)
{
    struct cm_err err = {0};
    struct cm_plan_version pv = {.child_id = child, .content = content};
    enum cm_code rc = cm_store_plan_version_create(f->c, v, at, &pv, &err);
    if (rc != CM_OK)
        fail_msg("plan_version_create: %d %s %s", rc, err.field, err.msg);
    return pv.number;
}

static int64_t
review(struct fx *f, const struct cm_viewer *v, int64_t child, int64_t number, const char *decision,
       const char *comment, int64_t at)
{
    struct cm_err err = {0};
    struct cm_plan_review r = {
        .child_id = child, .version_number = number, .decision = decision, .comment = comment};
    enum cm_code rc = cm_store_plan_review_create(f->c, v, at, &r, &err);
    if (rc != CM_OK)
        fail_msg("plan_review_create: %d %s %s", rc, err.field, err.msg);
    return r.id;
}

static struct cm_child
child(struct fx *f, int64_t id)
{
    struct cm_err err = {0};
    struct cm_child ch;
    assert_int_equal(cm_store_child_get(f->c, &f->vpm, id, f->now, &ch, f->a, &err), CM_OK);
    return ch;
}

static struct cm_plan_state
state_of(struct fx *f, int64_t id)
{
    struct cm_err err = {0};
    struct cm_plan_state st;
    assert_int_equal(cm_store_plan_state(f->c, &f->va, id, f->now, &st, &err), CM_OK);
    return st;
}

/* ---- elements -------------------------------------------------------------------------------- */

static void
test_items_list_by_kind_then_position_and_get_reads_one_of_its_kind(void **state)
{
    struct fx *f = *state;
    struct cm_err err = {0};
    struct cm_plan_item s =
        add_item(f, &f->va, f->child1, "summary", "{\"text\":\"Zuri\"}", f->now);
    struct cm_plan_item g1 = add_item(f, &f->va, f->child1, "goal", "{\"text\":\"walk\"}", f->now);
    struct cm_plan_item m =
        add_item(f, &f->va, f->child1, "medication", "{\"name\":\"A\"}", f->now);
    struct cm_plan_item g2 = add_item(f, &f->va, f->child1, "goal", "{\"text\":\"talk\"}", f->now);
    add_item(f, &f->vb, f->child2, "goal", "{\"text\":\"other child\"}", f->now);
    assert_int_equal(g1.position, 1);
    assert_int_equal(g2.position, 2);
    assert_int_equal(m.position, 1);
    assert_int_equal(s.position, 1);
    assert_int_equal(g1.meta.version, 1);
    assert_int_equal(g1.meta.updated_by, f->nurse_a);
    assert_string_equal(g1.translations, "{}");

    struct cm_plan_item_list l;
    assert_int_equal(cm_store_plan_item_list(f->c, &f->va, f->child1, NULL, f->now, &l, f->a, &err),
                     CM_OK);
    assert_int_equal(l.count, 4);
    assert_int_equal(l.items[0].meta.id, g1.meta.id);
    assert_int_equal(l.items[1].meta.id, g2.meta.id);
    assert_int_equal(l.items[2].meta.id, m.meta.id);
    assert_int_equal(l.items[3].meta.id, s.meta.id);
    assert_string_equal(l.items[1].body, "{\"text\":\"talk\"}");
    assert_string_equal(l.items[1].kind, "goal");
    assert_string_equal(l.items[1].lang, "en");
    assert_int_equal(l.items[1].child_id, f->child1);
    assert_int_equal(l.items[1].removed_at, 0);

    assert_int_equal(
        cm_store_plan_item_list(f->c, &f->va, f->child1, "goal", f->now, &l, f->a, &err), CM_OK);
    assert_int_equal(l.count, 2);
    assert_int_equal(
        cm_store_plan_item_list(f->c, &f->va, f->child1, "allergy", f->now, &l, f->a, &err), CM_OK);
    assert_int_equal(l.count, 0);

    struct cm_plan_item got;
    assert_int_equal(cm_store_plan_item_get(f->c, &f->va, f->child1, "goal", g2.meta.id, f->now,
                                            &got, f->a, &err),
                     CM_OK);
    assert_string_equal(got.body, "{\"text\":\"talk\"}");
    assert_int_equal(got.position, 2);
    assert_int_equal(got.meta.created_at, f->now);
    assert_int_equal(
        cm_store_plan_item_get(f->c, &f->va, f->child1, NULL, g2.meta.id, f->now, &got, f->a, &err),
        CM_OK);
    /* Another kind or another child's id is not found. */
    assert_int_equal(cm_store_plan_item_get(f->c, &f->va, f->child1, "medication", g2.meta.id,
                                            f->now, &got, f->a, &err),
                     CM_ENOTFOUND);
    assert_int_equal(cm_store_plan_item_get(f->c, &f->vpm, f->child2, NULL, g2.meta.id, f->now,
                                            &got, f->a, &err),
                     CM_ENOTFOUND);

    int64_t n = 0;
    assert_int_equal(cm_store_plan_item_count(f->c, f->child1, "goal", &n, &err), CM_OK);
    assert_int_equal(n, 2);
    assert_int_equal(cm_store_plan_item_count(f->c, f->child1, "summary", &n, &err), CM_OK);
    assert_int_equal(n, 1);
    assert_int_equal(cm_store_plan_item_count(f->c, f->child2, "summary", &n, &err), CM_OK);
    assert_int_equal(n, 0);
}

static void
test_translations_and_language_are_stored_as_given(void **state)
{
    struct fx *f = *state;
    struct cm_err err = {0};
    struct cm_plan_item it = {.child_id = f->child1,
                              .kind = "goal",
                              .lang = "es",
                              .body = "{\"text\":\"caminar\"}",
                              .translations = "{\"en\":{\"text\":\"walk\"}}"};
    assert_int_equal(cm_store_plan_item_create(f->c, &f->va, f->now, &it, &err), CM_OK);
    struct cm_plan_item got;
    assert_int_equal(cm_store_plan_item_get(f->c, &f->va, f->child1, "goal", it.meta.id, f->now,
                                            &got, f->a, &err),
                     CM_OK);
    assert_string_equal(got.lang, "es");
    assert_string_equal(got.translations, "{\"en\":{\"text\":\"walk\"}}");

    /* An update that gives no translations or language keeps what a person wrote. */
    got.body = "{\"text\":\"caminar solo\"}";
    got.translations = NULL;
    got.lang = NULL;
    assert_int_equal(cm_store_plan_item_update(f->c, &f->va, f->now, &got, &err), CM_OK);
    assert_int_equal(cm_store_plan_item_get(f->c, &f->va, f->child1, "goal", it.meta.id, f->now,
                                            &got, f->a, &err),
                     CM_OK);
    assert_string_equal(got.lang, "es");
    assert_string_equal(got.body, "{\"text\":\"caminar solo\"}");
    assert_string_equal(got.translations, "{\"en\":{\"text\":\"walk\"}}");

    /* Not a JSON object, or an unknown kind: the schema refuses it. */
    struct cm_plan_item bad = {
        .child_id = f->child1, .kind = "goal", .lang = "en", .body = "[1, 2]"};
    assert_int_equal(cm_store_plan_item_create(f->c, &f->va, f->now, &bad, &err), CM_EINVAL);
    bad.body = "{}";
    bad.kind = "wish";
    assert_int_equal(cm_store_plan_item_create(f->c, &f->va, f->now, &bad, &err), CM_EINVAL);
}

static void
test_position_continues_past_removed_items(void **state)
{
    struct fx *f = *state;
    struct cm_err err = {0};
    add_item(f, &f->va, f->child1, "goal", "{}", f->now);
    struct cm_plan_item g2 = add_item(f, &f->va, f->child1, "goal", "{}", f->now);
    assert_int_equal(
        cm_store_plan_item_remove(f->c, &f->va, f->child1, g2.meta.id, 1, f->now, &err), CM_OK);
    struct cm_plan_item g3 = add_item(f, &f->va, f->child1, "goal", "{}", f->now);
    assert_int_equal(g3.position, 3);
    /* Each child counts its own. */
    struct cm_plan_item other = add_item(f, &f->vb, f->child2, "goal", "{}", f->now);
    assert_int_equal(other.position, 1);
}

static void
test_update_bumps_the_version_and_a_stale_one_changes_nothing(void **state)
{
    struct fx *f = *state;
    struct cm_err err = {0};
    struct cm_plan_item it = add_item(f, &f->va, f->child1, "goal", "{\"text\":\"a\"}", f->now);
    struct cm_plan_item up = it;
    up.body = "{\"text\":\"b\"}";
    assert_int_equal(cm_store_plan_item_update(f->c, &f->vb, f->now + 5, &up, &err), CM_ENOTFOUND);
    assert_int_equal(cm_store_plan_item_update(f->c, &f->va, f->now + 5, &up, &err), CM_OK);
    assert_int_equal(up.meta.version, 2);
    assert_int_equal(up.meta.updated_at, f->now + 5);
    assert_int_equal(up.meta.created_at, f->now);
    assert_int_equal(up.position, 1);

    char before[65], after[65];
    checksum(f, before);
    struct cm_plan_item stale = it; /* still at version 1 */
    stale.body = "{\"text\":\"c\"}";
    err = (struct cm_err){0};
    assert_int_equal(cm_store_plan_item_update(f->c, &f->va, f->now + 9, &stale, &err), CM_ESTALE);
    assert_string_equal(err.field, "version");
    assert_int_equal(stale.meta.version, 1);
    /* Under the wrong kind it is not there at all. */
    stale.meta.version = 2;
    stale.kind = "concern";
    assert_int_equal(cm_store_plan_item_update(f->c, &f->va, f->now + 9, &stale, &err),
                     CM_ENOTFOUND);
    checksum(f, after);
    assert_string_equal(before, after);

    struct cm_plan_item got;
    assert_int_equal(cm_store_plan_item_get(f->c, &f->va, f->child1, "goal", it.meta.id, f->now,
                                            &got, f->a, &err),
                     CM_OK);
    assert_string_equal(got.body, "{\"text\":\"b\"}");
    assert_int_equal(got.meta.version, 2);
}

static void
test_remove_hides_the_item_but_keeps_the_row(void **state)
{
    struct fx *f = *state;
    struct cm_err err = {0};
    struct cm_plan_item keep = add_item(f, &f->va, f->child1, "allergy", "{}", f->now);
    struct cm_plan_item gone = add_item(f, &f->va, f->child1, "allergy", "{}", f->now);
    assert_int_equal(
        cm_store_plan_item_remove(f->c, &f->va, f->child1, gone.meta.id, 7, f->now, &err),
        CM_ESTALE);
    assert_int_equal(
        cm_store_plan_item_remove(f->c, &f->va, f->child1, gone.meta.id, 1, f->now + 3, &err),
        CM_OK);

    struct cm_plan_item_list l;
    assert_int_equal(cm_store_plan_item_list(f->c, &f->va, f->child1, NULL, f->now, &l, f->a, &err),
                     CM_OK);
    assert_int_equal(l.count, 1);
    assert_int_equal(l.items[0].meta.id, keep.meta.id);
    struct cm_plan_item got;
    assert_int_equal(cm_store_plan_item_get(f->c, &f->va, f->child1, NULL, gone.meta.id, f->now,
                                            &got, f->a, &err),
                     CM_ENOTFOUND);
    int64_t n = 0;
    assert_int_equal(cm_store_plan_item_count(f->c, f->child1, "allergy", &n, &err), CM_OK);
    assert_int_equal(n, 1);

    /* A removed item is gone for writes too, whatever version is given. */
    gone.meta.version = 2;
    assert_int_equal(cm_store_plan_item_update(f->c, &f->va, f->now, &gone, &err), CM_ENOTFOUND);
    assert_int_equal(
        cm_store_plan_item_remove(f->c, &f->va, f->child1, gone.meta.id, 2, f->now, &err),
        CM_ENOTFOUND);

    char sql[200];
    snprintf(sql, sizeof(sql), "SELECT removed_at * 1000 + version FROM plan_item WHERE id = %lld",
             (long long)gone.meta.id);
    assert_int_equal(testlib_sql_int(f->path, sql), (f->now + 3) * 1000 + 2);
}

static void
test_plan_updated_at_moves_on_item_writes_and_the_child_version_does_not(void **state)
{
    struct fx *f = *state;
    struct cm_err err = {0};
    struct cm_child before = child(f, f->child1);
    assert_int_equal(before.plan_updated_at, 0);

    struct cm_plan_item it = add_item(f, &f->va, f->child1, "concern", "{}", f->now + 10);
    struct cm_child ch = child(f, f->child1);
    assert_int_equal(ch.plan_updated_at, f->now + 10);
    assert_int_equal(ch.meta.version, before.meta.version);
    assert_int_equal(ch.meta.updated_at, before.meta.updated_at);
    assert_int_equal(child(f, f->child2).plan_updated_at, 0);

    assert_int_equal(cm_store_plan_item_update(f->c, &f->va, f->now + 20, &it, &err), CM_OK);
    assert_int_equal(child(f, f->child1).plan_updated_at, f->now + 20);

    /* A failed write moves nothing. */
    struct cm_plan_item stale = it;
    stale.meta.version = 1;
    assert_int_equal(cm_store_plan_item_update(f->c, &f->va, f->now + 25, &stale, &err), CM_ESTALE);
    assert_int_equal(child(f, f->child1).plan_updated_at, f->now + 20);

    assert_int_equal(cm_store_plan_item_remove(f->c, &f->va, f->child1, it.meta.id, it.meta.version,
                                               f->now + 30, &err),
                     CM_OK);
    ch = child(f, f->child1);
    assert_int_equal(ch.plan_updated_at, f->now + 30);
    assert_int_equal(ch.meta.version, before.meta.version);
}

/* ---- reach ----------------------------------------------------------------------------------- */

/* Every plan call by a viewer who does not reach child1 is CM_ENOTFOUND and changes nothing. */
static void
assert_plan_out_of_reach(struct fx *f, const struct cm_viewer *v, int64_t item_id)
{
    struct cm_err err = {0};
    char before[65], after[65];
    checksum(f, before);
    struct cm_plan_item_list il;
    assert_int_equal(cm_store_plan_item_list(f->c, v, f->child1, NULL, f->now, &il, f->a, &err),
                     CM_ENOTFOUND);
    struct cm_plan_item it;
    assert_int_equal(
        cm_store_plan_item_get(f->c, v, f->child1, NULL, item_id, f->now, &it, f->a, &err),
        CM_ENOTFOUND);
    struct cm_plan_item add = {.child_id = f->child1, .kind = "goal", .lang = "en", .body = "{}"};
    assert_int_equal(cm_store_plan_item_create(f->c, v, f->now, &add, &err), CM_ENOTFOUND);
    struct cm_plan_item up = {.meta = {.id = item_id, .version = 1},
                              .child_id = f->child1,
                              .lang = "en",
                              .body = "{\"text\":\"x\"}"};
    assert_int_equal(cm_store_plan_item_update(f->c, v, f->now, &up, &err), CM_ENOTFOUND);
    assert_int_equal(cm_store_plan_item_remove(f->c, v, f->child1, item_id, 1, f->now, &err),
                     CM_ENOTFOUND);
    struct cm_plan_version pv = {.child_id = f->child1, .content = "{}"};
    assert_int_equal(cm_store_plan_version_create(f->c, v, f->now, &pv, &err), CM_ENOTFOUND);
    struct cm_plan_version_list vl;
    assert_int_equal(cm_store_plan_version_list(f->c, v, f->child1, f->now, &vl, f->a, &err),
                     CM_ENOTFOUND);
    assert_int_equal(cm_store_plan_version_get(f->c, v, f->child1, 0, f->now, &pv, f->a, &err),
                     CM_ENOTFOUND);
    assert_int_equal(cm_store_plan_version_get(f->c, v, f->child1, 1, f->now, &pv, f->a, &err),
                     CM_ENOTFOUND);
    struct cm_plan_review r = {
        .child_id = f->child1, .version_number = 1, .decision = "agree", .in_person = true};
    assert_int_equal(cm_store_plan_review_create(f->c, v, f->now, &r, &err), CM_ENOTFOUND);
    struct cm_plan_review_list rl;
    assert_int_equal(cm_store_plan_review_list(f->c, v, f->child1, 0, f->now, &rl, f->a, &err),
                     CM_ENOTFOUND);
    struct cm_plan_state st;
    assert_int_equal(cm_store_plan_state(f->c, v, f->child1, f->now, &st, &err), CM_ENOTFOUND);
    checksum(f, after);
    assert_string_equal(before, after);
}

static void
test_a_viewer_off_the_team_gets_not_found_for_every_call(void **state)
{
    struct fx *f = *state;
    struct cm_plan_item it = add_item(f, &f->va, f->child1, "goal", "{}", f->now);
    freeze(f, &f->va, f->child1, "{\"format\":1}", f->now);
    review(f, &f->vfam, f->child1, 1, "agree", NULL, f->now);

    assert_plan_out_of_reach(f, &f->vb, it.meta.id);   /* another team's coordinator */
    assert_plan_out_of_reach(f, &f->vpm2, it.meta.id); /* another program's manager */
    struct cm_viewer other_family = f->vfam;
    other_family.user_id = f->analyst; /* a family role without a link to child1 */
    assert_plan_out_of_reach(f, &other_family, it.meta.id);
    /* A child that does not exist looks the same. */
    struct cm_err err = {0};
    struct cm_plan_state st;
    assert_int_equal(cm_store_plan_state(f->c, &f->va, f->child2 + 100, f->now, &st, &err),
                     CM_ENOTFOUND);
}

static void
test_a_family_viewer_reads_the_plan_and_reviews_a_version(void **state)
{
    struct fx *f = *state;
    struct cm_err err = {0};
    struct cm_plan_item it = add_item(f, &f->va, f->child1, "goal", "{\"text\":\"swim\"}", f->now);
    freeze(f, &f->va, f->child1, "{\"format\":1}", f->now);

    struct cm_plan_item_list l;
    assert_int_equal(
        cm_store_plan_item_list(f->c, &f->vfam, f->child1, NULL, f->now, &l, f->a, &err), CM_OK);
    assert_int_equal(l.count, 1);
    struct cm_plan_item got;
    assert_int_equal(cm_store_plan_item_get(f->c, &f->vfam, f->child1, "goal", it.meta.id, f->now,
                                            &got, f->a, &err),
                     CM_OK);
    struct cm_plan_version pv;
    assert_int_equal(
        cm_store_plan_version_get(f->c, &f->vfam, f->child1, 0, f->now, &pv, f->a, &err), CM_OK);
    assert_int_equal(pv.number, 1);

    struct cm_plan_review r = {.child_id = f->child1,
                               .version_number = 1,
                               .decision = "comment",
                               .comment = "Please add the school nurse."};
    assert_int_equal(cm_store_plan_review_create(f->c, &f->vfam, f->now + 1, &r, &err), CM_OK);
    assert_true(r.id > 0);
    assert_int_equal(r.created_by, f->fam);
    assert_int_equal(r.created_at, f->now + 1);

    struct cm_plan_review_list rl;
    assert_int_equal(
        cm_store_plan_review_list(f->c, &f->vfam, f->child1, 0, f->now, &rl, f->a, &err), CM_OK);
    assert_int_equal(rl.count, 1);
    assert_string_equal(rl.items[0].created_by_name, "family.one");
    assert_string_equal(rl.items[0].decision, "comment");
    assert_string_equal(rl.items[0].comment, "Please add the school nurse.");
    assert_int_equal(rl.items[0].version_number, 1);
    assert_int_equal(rl.items[0].child_id, f->child1);
    assert_false(rl.items[0].in_person);

    /* The family's view is its own child only. */
    assert_int_equal(
        cm_store_plan_item_list(f->c, &f->vfam, f->child2, NULL, f->now, &l, f->a, &err),
        CM_ENOTFOUND);
}

/* ---- versions and reviews -------------------------------------------------------------------- */

static void
test_versions_are_numbered_per_child_hashed_and_immutable(void **state)
{
    struct fx *f = *state;
    struct cm_err err = {0};
    static const char *const v1 = "{\"format\":1,\"n\":1}";
    static const char *const v2 = "{\"format\":1,\"n\":2}";
    struct cm_plan_version pv = {.child_id = f->child1, .content = v1, .note = "first"};
    assert_int_equal(cm_store_plan_version_create(f->c, &f->va, f->now + 1, &pv, &err), CM_OK);
    assert_int_equal(pv.number, 1);
    assert_int_equal(pv.created_by, f->nurse_a);
    assert_int_equal(pv.created_at, f->now + 1);
    unsigned char h[crypto_hash_sha256_BYTES];
    char hex[65];
    crypto_hash_sha256(h, (const unsigned char *)v1, strlen(v1));
    cm_hex(h, sizeof(h), hex);
    assert_string_equal(pv.content_sha256, hex);

    assert_int_equal(freeze(f, &f->vb, f->child2, v1, f->now), 1);
    assert_int_equal(freeze(f, &f->va, f->child1, v2, f->now + 2), 2);

    struct cm_plan_version_list l;
    assert_int_equal(cm_store_plan_version_list(f->c, &f->va, f->child1, f->now, &l, f->a, &err),
                     CM_OK);
    assert_int_equal(l.count, 2);
    assert_int_equal(l.items[0].number, 2);
    assert_int_equal(l.items[1].number, 1);
    assert_null(l.items[0].content);
    assert_null(l.items[0].note);
    assert_string_equal(l.items[1].note, "first");
    assert_string_equal(l.items[1].content_sha256, hex);
    assert_string_equal(l.items[1].created_by_name, "coord.ada");
    assert_int_equal(l.items[1].created_at, f->now + 1);
    assert_int_equal(l.items[1].child_id, f->child1);

    struct cm_plan_version got;
    assert_int_equal(
        cm_store_plan_version_get(f->c, &f->va, f->child1, 0, f->now, &got, f->a, &err), CM_OK);
    assert_int_equal(got.number, 2);
    assert_string_equal(got.content, v2);
    assert_int_equal(
        cm_store_plan_version_get(f->c, &f->va, f->child1, 1, f->now, &got, f->a, &err), CM_OK);
    assert_string_equal(got.content, v1);
    assert_string_equal(got.created_by_name, "coord.ada");
    assert_int_equal(
        cm_store_plan_version_get(f->c, &f->va, f->child1, 3, f->now, &got, f->a, &err),
        CM_ENOTFOUND);
    assert_int_equal(
        cm_store_plan_version_list(f->c, &f->va, f->child1 + 100, f->now, &l, f->a, &err),
        CM_ENOTFOUND);

    /* No version yet: the newest is not found either, and the list is empty. */
    int64_t fresh = add_child(f, &f->vb, "R-3", "Ana");
    assert_int_equal(cm_store_plan_version_get(f->c, &f->vb, fresh, 0, f->now, &got, f->a, &err),
                     CM_ENOTFOUND);
    assert_int_equal(cm_store_plan_version_list(f->c, &f->vb, fresh, f->now, &l, f->a, &err),
                     CM_OK);
    assert_int_equal(l.count, 0);

    /* Behind caremap's back, the database itself refuses to change or delete a version. */
    assert_int_not_equal(testlib_sql(f->path, "UPDATE plan_version SET content = '{}'"), SQLITE_OK);
    assert_int_not_equal(
        testlib_sql(f->path, "UPDATE plan_version SET note = 'x' WHERE number = 2"), SQLITE_OK);
    assert_int_not_equal(testlib_sql(f->path, "DELETE FROM plan_version"), SQLITE_OK);
    assert_int_equal(testlib_sql_int(f->path, "SELECT count(*) FROM plan_version"), 3);
    assert_int_equal(
        cm_store_plan_version_get(f->c, &f->va, f->child1, 1, f->now, &got, f->a, &err), CM_OK);
    assert_string_equal(got.content, v1);
}

static void
test_reviews_list_newest_first_and_are_immutable(void **state)
{
    struct fx *f = *state;
    struct cm_err err = {0};
    freeze(f, &f->va, f->child1, "{\"n\":1}", f->now);
    freeze(f, &f->va, f->child1, "{\"n\":2}", f->now + 1);
    int64_t r1 = review(f, &f->vfam, f->child1, 1, "agree", NULL, f->now + 10);
    int64_t r2 = review(f, &f->vfam, f->child1, 1, "comment", "Thank you", f->now + 20);
    int64_t r3 = review(f, &f->vfam, f->child1, 2, "change_requested", "Add swimming", f->now + 30);
    /* Recorded by staff with the family on the phone, in the same second as r3. */
    struct cm_plan_review in = {
        .child_id = f->child1, .version_number = 2, .decision = "agree", .in_person = true};
    assert_int_equal(cm_store_plan_review_create(f->c, &f->va, f->now + 30, &in, &err), CM_OK);

    struct cm_plan_review_list l;
    assert_int_equal(cm_store_plan_review_list(f->c, &f->va, f->child1, 0, f->now, &l, f->a, &err),
                     CM_OK);
    assert_int_equal(l.count, 4);
    assert_int_equal(l.items[0].id, in.id);
    assert_true(l.items[0].in_person);
    assert_string_equal(l.items[0].created_by_name, "coord.ada");
    assert_int_equal(l.items[1].id, r3);
    assert_int_equal(l.items[1].version_number, 2);
    assert_int_equal(l.items[2].id, r2);
    assert_int_equal(l.items[3].id, r1);
    assert_null(l.items[3].comment);

    assert_int_equal(cm_store_plan_review_list(f->c, &f->va, f->child1, 1, f->now, &l, f->a, &err),
                     CM_OK);
    assert_int_equal(l.count, 2);
    assert_int_equal(l.items[0].id, r2);
    assert_int_equal(cm_store_plan_review_list(f->c, &f->va, f->child1, 9, f->now, &l, f->a, &err),
                     CM_OK);
    assert_int_equal(l.count, 0);

    /* A version that does not exist, or one of another child's numbers: not found. */
    struct cm_plan_review r = {.child_id = f->child1, .version_number = 3, .decision = "agree"};
    assert_int_equal(cm_store_plan_review_create(f->c, &f->vfam, f->now, &r, &err), CM_ENOTFOUND);
    r.child_id = f->child2;
    r.version_number = 1;
    assert_int_equal(cm_store_plan_review_create(f->c, &f->vb, f->now, &r, &err), CM_ENOTFOUND);
    /* A change request without words is refused by the schema. */
    r = (struct cm_plan_review){
        .child_id = f->child1, .version_number = 2, .decision = "change_requested"};
    assert_int_equal(cm_store_plan_review_create(f->c, &f->vfam, f->now, &r, &err), CM_EINVAL);

    assert_int_not_equal(testlib_sql(f->path, "UPDATE plan_review SET decision = 'agree'"),
                         SQLITE_OK);
    assert_int_not_equal(testlib_sql(f->path, "DELETE FROM plan_review"), SQLITE_OK);
    assert_int_equal(testlib_sql_int(f->path, "SELECT count(*) FROM plan_review"), 4);
}

static void
test_plan_state_after_freeze_review_freeze_and_change_request(void **state)
{
    struct fx *f = *state;
    struct cm_plan_state st = state_of(f, f->child1);
    assert_int_equal(st.latest_version, 0);
    assert_int_equal(st.latest_version_at, 0);
    assert_int_equal(st.reviewed_at, 0);
    assert_int_equal(st.reviewed_version, 0);
    assert_int_equal(st.open_requests, 0);

    int64_t t = f->now - 100 * DAY;
    freeze(f, &f->va, f->child1, "{\"n\":1}", t);
    st = state_of(f, f->child1);
    assert_int_equal(st.latest_version, 1);
    assert_int_equal(st.latest_version_at, t);
    assert_int_equal(st.reviewed_at, 0);

    review(f, &f->vfam, f->child1, 1, "agree", NULL, t + DAY);
    st = state_of(f, f->child1);
    assert_int_equal(st.reviewed_at, t + DAY);
    assert_int_equal(st.reviewed_version, 1);
    assert_int_equal(st.open_requests, 0);

    freeze(f, &f->va, f->child1, "{\"n\":2}", t + 2 * DAY);
    review(f, &f->vfam, f->child1, 2, "change_requested", "Add swimming", t + 3 * DAY);
    /* A change request on an older version is not open on the latest. */
    review(f, &f->vfam, f->child1, 1, "change_requested", "Old", t + 3 * DAY);
    st = state_of(f, f->child1);
    assert_int_equal(st.latest_version, 2);
    assert_int_equal(st.latest_version_at, t + 2 * DAY);
    assert_int_equal(st.reviewed_at, t + DAY); /* a change request is not a review with them */
    assert_int_equal(st.reviewed_version, 1);
    assert_int_equal(st.open_requests, 1);

    review(f, &f->vfam, f->child1, 2, "comment", "Better", t + 4 * DAY);
    st = state_of(f, f->child1);
    assert_int_equal(st.reviewed_at, t + 4 * DAY);
    assert_int_equal(st.reviewed_version, 2);
    assert_int_equal(st.open_requests, 1);

    /* The coordinator answers by freezing a newer version: nothing is open on it. */
    freeze(f, &f->va, f->child1, "{\"n\":3}", t + 5 * DAY);
    st = state_of(f, f->child1);
    assert_int_equal(st.latest_version, 3);
    assert_int_equal(st.open_requests, 0);
    assert_int_equal(st.reviewed_version, 2);
    /* Another child's plan is its own. */
    st = state_of(f, f->child1);
    struct cm_err err = {0};
    assert_int_equal(cm_store_plan_state(f->c, &f->vb, f->child2, f->now, &st, &err), CM_OK);
    assert_int_equal(st.latest_version, 0);
}

/* ---- the panel and the checksum -------------------------------------------------------------- */

static struct cm_panel
panel(struct fx *f, const struct cm_viewer *v, struct cm_panel_filter flt)
{
    struct cm_err err = {0};
    struct cm_panel p;
    if (flt.limit == 0)
        flt.limit = 50;
    enum cm_code rc = cm_store_child_panel(f->c, v, &flt, f->now, &p, f->a, &err);
    if (rc != CM_OK)
        fail_msg("panel: %s %s", err.field, err.msg);
    return p;
}

static const struct cm_panel_row *
row_of(const struct cm_panel *p, int64_t child_id)
{
    for (size_t i = 0; i < p->count; i++) {
        if (p->rows[i].child.meta.id == child_id)
            return &p->rows[i];
    }
    fail_msg("child %lld is not on the panel", (long long)child_id);
    return NULL;
}

static void
test_panel_shows_the_plan_and_filters_children_whose_review_is_due(void **state)
{
    struct fx *f = *state;
    int64_t t = f->now - 40 * DAY;
    freeze(f, &f->va, f->child1, "{\"n\":1}", t);
    review(f, &f->vfam, f->child1, 1, "agree", NULL, t + DAY);
    freeze(f, &f->va, f->child1, "{\"n\":2}", t + 2 * DAY);
    review(f, &f->vfam, f->child1, 2, "change_requested", "More", t + 3 * DAY);
    review(f, &f->vfam, f->child1, 2, "change_requested", "And this", t + 4 * DAY);
    /* child2: frozen, never reviewed with the family. */
    freeze(f, &f->vb, f->child2, "{\"n\":1}", t);

    struct cm_panel p = panel(f, &f->vpm, (struct cm_panel_filter){0});
    assert_int_equal(p.total, 2);
    const struct cm_panel_row *r1 = row_of(&p, f->child1);
    assert_int_equal(r1->plan_reviewed_at, t + DAY);
    assert_int_equal(r1->plan_latest_version, 2);
    assert_int_equal(r1->plan_open_requests, 2);
    const struct cm_panel_row *r2 = row_of(&p, f->child2);
    assert_int_equal(r2->plan_reviewed_at, 0);
    assert_int_equal(r2->plan_latest_version, 1);
    assert_int_equal(r2->plan_open_requests, 0);

    /* Due before a time after child1's review: both; before one on or ahead of it: child2. */
    p = panel(f, &f->vpm, (struct cm_panel_filter){.plan_due_before = t + DAY + 1});
    assert_int_equal(p.total, 2);
    p = panel(f, &f->vpm, (struct cm_panel_filter){.plan_due_before = t + DAY});
    assert_int_equal(p.total, 1);
    assert_int_equal(p.count, 1);
    assert_int_equal(p.rows[0].child.meta.id, f->child2);
    p = panel(f, &f->vpm, (struct cm_panel_filter){.plan_due_before = t - DAY});
    assert_int_equal(p.total, 1);

    /* The linked shape (a coordinator's own team) reads and filters the same. */
    p = panel(f, &f->va, (struct cm_panel_filter){0});
    assert_int_equal(p.total, 1);
    assert_int_equal(p.rows[0].plan_latest_version, 2);
    assert_int_equal(p.rows[0].plan_open_requests, 2);
    assert_int_equal(p.rows[0].plan_reviewed_at, t + DAY);
    p = panel(f, &f->va, (struct cm_panel_filter){.plan_due_before = t});
    assert_int_equal(p.total, 0);
    assert_int_equal(p.count, 0);
    p = panel(f, &f->va, (struct cm_panel_filter){.plan_due_before = f->now});
    assert_int_equal(p.total, 1);
    p = panel(f, &f->vfam, (struct cm_panel_filter){.plan_due_before = f->now});
    assert_int_equal(p.total, 1);
    assert_int_equal(p.rows[0].plan_reviewed_at, t + DAY);
}

static void
test_checksum_changes_after_a_plan_write_and_not_after_a_failed_one(void **state)
{
    struct fx *f = *state;
    struct cm_err err = {0};
    char a[65], b[65];
    checksum(f, a);
    struct cm_plan_item it = add_item(f, &f->va, f->child1, "goal", "{}", f->now);
    checksum(f, b);
    assert_string_not_equal(a, b);

    /* Failed writes: stale, out of reach, a missing version. */
    memcpy(a, b, sizeof(a));
    it.meta.version = 9;
    assert_int_equal(cm_store_plan_item_update(f->c, &f->va, f->now, &it, &err), CM_ESTALE);
    struct cm_plan_item other = {.child_id = f->child1, .kind = "goal", .lang = "en", .body = "{}"};
    assert_int_equal(cm_store_plan_item_create(f->c, &f->vb, f->now, &other, &err), CM_ENOTFOUND);
    struct cm_plan_review r = {.child_id = f->child1, .version_number = 1, .decision = "agree"};
    assert_int_equal(cm_store_plan_review_create(f->c, &f->vfam, f->now, &r, &err), CM_ENOTFOUND);
    checksum(f, b);
    assert_string_equal(a, b);

    freeze(f, &f->va, f->child1, "{}", f->now);
    checksum(f, b);
    assert_string_not_equal(a, b);
    memcpy(a, b, sizeof(a));
    review(f, &f->vfam, f->child1, 1, "agree", NULL, f->now);
    checksum(f, b);
    assert_string_not_equal(a, b);

    /* An item's body alone moves it (every column counts). */
    memcpy(a, b, sizeof(a));
    char sql[160];
    snprintf(sql, sizeof(sql), "UPDATE plan_item SET body = '{\"x\":1}' WHERE id = %lld",
             (long long)it.meta.id);
    assert_int_equal(testlib_sql(f->path, sql), SQLITE_OK);
    checksum(f, b);
    assert_string_not_equal(a, b);
}

/* The plan's reads are on every plan page: indexed lookups only, no full scan of any table. */
static void
test_plan_reads_never_scan_a_table(void **state)
{
    struct fx *f = *state;
    static const enum cm_st hot[] = {
        CM_ST_PLAN_ITEM_LIST,    CM_ST_PLAN_ITEM_GET,     CM_ST_PLAN_ITEM_COUNT,
        CM_ST_PLAN_ITEM_ADD,     CM_ST_PLAN_ITEM_UPDATE,  CM_ST_PLAN_ITEM_VERSION,
        CM_ST_PLAN_VERSION_ADD,  CM_ST_PLAN_VERSION_LIST, CM_ST_PLAN_VERSION_GET,
        CM_ST_PLAN_REVIEW_ADD,   CM_ST_PLAN_REVIEW_LIST,  CM_ST_PLAN_STATE,
        CM_ST_PANEL_PAGE_LINKED, CM_ST_PANEL_COUNT_LINKED};
    for (size_t i = 0; i < CM_ARRAY_LEN(hot); i++) {
        char sql[16384];
        int n = snprintf(sql, sizeof(sql), "EXPLAIN QUERY PLAN %s", cm_store_sql(hot[i]));
        assert_true(n > 0 && (size_t)n < sizeof(sql));
        sqlite3_stmt *s = NULL;
        assert_int_equal(sqlite3_prepare_v2(f->c->db, sql, -1, &s, NULL), SQLITE_OK);
        while (sqlite3_step(s) == SQLITE_ROW) {
            const char *detail = (const char *)sqlite3_column_text(s, 3);
            /* The page CTE is at most 200 rows already chosen by index. */
            if (strncmp(detail, "SCAN ", 5) == 0 && strcmp(detail, "SCAN page") != 0)
                fail_msg("%s: %s", cm_store_sql_name(hot[i]), detail);
        }
        sqlite3_finalize(s);
    }
}

int
main(void)
{
    cm_log_set_level(CM_LOG_ERROR);
    const struct CMUnitTest tests[] = {
        cmocka_unit_test_setup_teardown(
            test_items_list_by_kind_then_position_and_get_reads_one_of_its_kind, setup, teardown),
        cmocka_unit_test_setup_teardown(test_translations_and_language_are_stored_as_given, setup,
                                        teardown),
        cmocka_unit_test_setup_teardown(test_position_continues_past_removed_items, setup,
                                        teardown),
        cmocka_unit_test_setup_teardown(
            test_update_bumps_the_version_and_a_stale_one_changes_nothing, setup, teardown),
        cmocka_unit_test_setup_teardown(test_remove_hides_the_item_but_keeps_the_row, setup,
                                        teardown),
        cmocka_unit_test_setup_teardown(
            test_plan_updated_at_moves_on_item_writes_and_the_child_version_does_not, setup,
            teardown),
        cmocka_unit_test_setup_teardown(test_a_viewer_off_the_team_gets_not_found_for_every_call,
                                        setup, teardown),
        cmocka_unit_test_setup_teardown(test_a_family_viewer_reads_the_plan_and_reviews_a_version,
                                        setup, teardown),
        cmocka_unit_test_setup_teardown(test_versions_are_numbered_per_child_hashed_and_immutable,
                                        setup, teardown),
        cmocka_unit_test_setup_teardown(test_reviews_list_newest_first_and_are_immutable, setup,
                                        teardown),
        cmocka_unit_test_setup_teardown(
            test_plan_state_after_freeze_review_freeze_and_change_request, setup, teardown),
        cmocka_unit_test_setup_teardown(
            test_panel_shows_the_plan_and_filters_children_whose_review_is_due, setup, teardown),
        cmocka_unit_test_setup_teardown(
            test_checksum_changes_after_a_plan_write_and_not_after_a_failed_one, setup, teardown),
        cmocka_unit_test_setup_teardown(test_plan_reads_never_scan_a_table, setup, teardown),
    };
    return cmocka_run_group_tests(tests, NULL, NULL);
}
