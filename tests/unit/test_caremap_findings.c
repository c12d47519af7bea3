/*
 * Unit tests for the care map findings (plan/caremap, docs/caremap.md "Findings"): every rule fires
 * on a team built for it and stays quiet on the near miss; keys are stable and unique; the order is
 * fixed; dispositions mark findings intended; a short output still counts everything; and the
 * message catalogs carry every finding in English and Spanish with the same placeholders.
 *
 * Every test starts from complete(): a map that produces no finding at all, so a test that changes
 * one thing sees exactly the finding that one thing causes.
 */
#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>

#include <cmocka.h>

#include "plan/caremap.h"
#include "plan/plan.h"

#include "testlib.h"

#include <jansson.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

/* ---- a hand-built team ----------------------------------------------------------------------- */

#define NODES_MAX 40

struct team {
    struct cm_caremap_node nodes[NODES_MAX];
    struct cm_caremap_equipment equipment[8];
    struct cm_caremap map;
};

static struct cm_caremap_node *
add(struct team *t, int64_t id, const char *role, const char *service, enum cm_sector sector)
{
    assert_true(t->map.n_nodes < NODES_MAX);
    struct cm_caremap_node *n = &t->nodes[t->map.n_nodes++];
    *n = (struct cm_caremap_node){.id = id,
                                  .name = "Robin Example",
                                  .role = role,
                                  .service = service,
                                  .sector = sector,
                                  .ring = 2,
                                  .start_date = "2024-01-15"};
    return n;
}

static void
add_equipment(struct team *t, int64_t item_id, const char *type, const char *supplier)
{
    assert_true(t->map.facts.n_equipment < CM_ARRAY_LEN(t->equipment));
    t->equipment[t->map.facts.n_equipment++] =
        (struct cm_caremap_equipment){.item_id = item_id, .type = type, .supplier = supplier};
}

/* A technology-dependent child's map with nothing to find: primary care, a lead and a backup
 * coordinator, one neurologist, home nursing, and a feeding pump from a supplier on the map. */
static void
complete(struct team *t)
{
    memset(t, 0, sizeof(*t));
    t->map.family_label = "The Quillfeather family";
    t->map.child_name = "Juniper";
    t->map.nodes = t->nodes;
    t->map.facts.equipment = t->equipment;
    t->map.facts.tech_dependent = true;
    t->map.facts.has_sick_day_plan = true;
    add(t, 10, "primary_care_clinician", "primary care", CM_SECTOR_MEDICAL);
    struct cm_caremap_node *lead =
        add(t, 11, "nurse_care_coordinator", "care coordination", CM_SECTOR_MEDICAL);
    lead->coordinator = true;
    lead->lead = CM_LEAD_LEAD;
    struct cm_caremap_node *backup =
        add(t, 12, "social_worker", "social work", CM_SECTOR_COMMUNITY);
    backup->coordinator = true;
    backup->lead = CM_LEAD_BACKUP;
    add(t, 13, "neurologist", "neurology", CM_SECTOR_MEDICAL);
    add(t, 14, "home care nurse (RN)", "private duty home nursing", CM_SECTOR_EQUIPMENT_HOME);
    struct cm_caremap_node *dme =
        add(t, 15, "enteral supply coordinator", "feeding pump and enteral supplies",
            CM_SECTOR_EQUIPMENT_HOME);
    dme->organization = "Tidewater Medical Supply";
    add_equipment(t, 42, "feeding_pump", "Tidewater Medical Supply");
}

#define OUT_MAX 64

struct result {
    struct cm_caremap_finding f[OUT_MAX];
    size_t n;
};

static void
run(const struct team *t, const struct cm_caremap_disposition *d, size_t n_d, struct result *r)
{
    memset(r, 0, sizeof(*r));
    cm_caremap_findings(&t->map, d, n_d, r->f, OUT_MAX, &r->n);
    assert_true(r->n <= OUT_MAX);
}

static size_t
count_kind(const struct result *r, enum cm_caremap_finding_kind k)
{
    size_t c = 0;
    for (size_t i = 0; i < r->n; i++)
        c += r->f[i].kind == k;
    return c;
}

/* The only finding of r, which must be of kind k. */
static const struct cm_caremap_finding *
only(const struct result *r, enum cm_caremap_finding_kind k)
{
    if (r->n != 1)
        fail_msg("expected one finding (%s), got %zu (first: %s)", cm_caremap_finding_kind_name(k),
                 r->n, r->n > 0 ? r->f[0].key : "-");
    assert_int_equal(r->f[0].kind, k);
    return &r->f[0];
}

static void
assert_none(const struct team *t)
{
    struct result r;
    run(t, NULL, 0, &r);
    if (r.n != 0)
        fail_msg("expected no finding, got %zu (first: %s)", r.n, r.f[0].key);
}

/* ---- the baseline ---------------------------------------------------------------------------- */

static void
test_a_complete_map_has_no_findings(void **state)
{
    (void)state;
    struct team t;
    complete(&t);
    assert_none(&t);
}

static void
test_an_empty_map_lacks_a_lead_and_primary_care(void **state)
{
    (void)state;
    struct cm_caremap empty = {.family_label = "The Quillfeather family"};
    struct cm_caremap_finding f[4];
    size_t n = 99;
    cm_caremap_findings(&empty, NULL, 0, f, 4, &n);
    assert_int_equal(n, 2);
    assert_int_equal(f[0].kind, CM_FINDING_NO_LEAD);
    assert_int_equal(f[0].n_members, 0);
    assert_int_equal(f[1].kind, CM_FINDING_NO_PRIMARY_CARE);

    n = 99;
    cm_caremap_findings(NULL, NULL, 0, f, 4, &n);
    assert_int_equal(n, 2);
}

/* ---- duplicate_service ----------------------------------------------------------------------- */

static void
test_two_neurologists_in_one_sector_are_a_duplicate(void **state)
{
    (void)state;
    struct team t;
    complete(&t);
    add(&t, 30, "neurologist", "Neurology", CM_SECTOR_MEDICAL);
    struct result r;
    run(&t, NULL, 0, &r);
    const struct cm_caremap_finding *f = only(&r, CM_FINDING_DUPLICATE_SERVICE);
    assert_string_equal(f->key, "duplicate_service:medical:neurology");
    assert_int_equal(f->n_members, 2);
    assert_int_equal(f->members[0], 13);
    assert_int_equal(f->members[1], 30);
    assert_string_equal(f->service, "neurology"); /* as the lowest id spells it */
    assert_int_equal(f->resolve, CM_RESOLVE_END_ONE);
    assert_int_equal(f->item_id, 0);
    assert_false(f->intended);
    assert_null(f->intended_reason);
    assert_string_equal(cm_caremap_finding_message(f), "caremap.finding.duplicate_service");
}

static void
test_services_compare_by_words_without_case_or_punctuation(void **state)
{
    (void)state;
    struct team t;
    complete(&t);
    add(&t, 31, "speech-language pathologist", " Speech-Language  Therapy ", CM_SECTOR_MEDICAL);
    add(&t, 30, "speech therapist", "speech_language therapy", CM_SECTOR_MEDICAL);
    struct result r;
    run(&t, NULL, 0, &r);
    const struct cm_caremap_finding *f = only(&r, CM_FINDING_DUPLICATE_SERVICE);
    assert_string_equal(f->key, "duplicate_service:medical:speech_language_therapy");
    assert_int_equal(f->members[0], 30);
    assert_int_equal(f->members[1], 31);
    assert_string_equal(f->service, "speech_language therapy");
}

static void
test_the_same_service_in_different_sectors_is_not_a_duplicate(void **state)
{
    (void)state;
    struct team t;
    complete(&t);
    add(&t, 30, "speech-language pathologist", "speech therapy", CM_SECTOR_MEDICAL);
    add(&t, 31, "school speech-language pathologist", "speech therapy", CM_SECTOR_EDUCATION);
    assert_none(&t);
}

static void
test_different_services_in_one_sector_are_not_a_duplicate(void **state)
{
    (void)state;
    struct team t;
    complete(&t);
    /* Two neurologists by role, but one provides neurology and the other epilepsy surgery review:
     * the rule compares services, and "neurology" is not a prefix match of a longer service. */
    add(&t, 30, "neurologist", "neurology epilepsy surgery", CM_SECTOR_MEDICAL);
    add(&t, 31, "neurosurgeon", "neurosurgery", CM_SECTOR_MEDICAL);
    assert_none(&t);

    /* One service's words starting another's is not the same service, whichever comes first. */
    add(&t, 32, "physical therapist", "physical therapy aquatic", CM_SECTOR_MEDICAL);
    add(&t, 33, "physical therapist", "physical therapy", CM_SECTOR_MEDICAL);
    assert_none(&t);
}

static void
test_missing_or_blank_services_never_duplicate(void **state)
{
    (void)state;
    struct team t;
    complete(&t);
    add(&t, 30, "neighbour", NULL, CM_SECTOR_FAMILY_SUPPORT);
    add(&t, 31, "neighbour", NULL, CM_SECTOR_FAMILY_SUPPORT);
    add(&t, 32, "volunteer", "", CM_SECTOR_FAMILY_SUPPORT);
    add(&t, 33, "volunteer", "", CM_SECTOR_FAMILY_SUPPORT);
    add(&t, 34, "volunteer", " -- ", CM_SECTOR_FAMILY_SUPPORT);
    add(&t, 35, "volunteer", "  ", CM_SECTOR_FAMILY_SUPPORT);
    assert_none(&t);
}

static void
test_three_providers_of_a_service_are_one_finding_listing_all_three(void **state)
{
    (void)state;
    struct team t;
    complete(&t);
    add(&t, 50, "physical therapist", "physical therapy", CM_SECTOR_MEDICAL);
    add(&t, 20, "physical therapist", "Physical Therapy", CM_SECTOR_MEDICAL);
    add(&t, 35, "physical therapist", "physical therapy.", CM_SECTOR_MEDICAL);
    struct result r;
    run(&t, NULL, 0, &r);
    const struct cm_caremap_finding *f = only(&r, CM_FINDING_DUPLICATE_SERVICE);
    assert_int_equal(f->n_members, 3);
    assert_int_equal(f->members[0], 20);
    assert_int_equal(f->members[1], 35);
    assert_int_equal(f->members[2], 50);
    assert_string_equal(f->service, "Physical Therapy");
}

static void
test_members_past_the_maximum_are_left_off_keeping_the_lowest_ids(void **state)
{
    (void)state;
    struct team t;
    complete(&t);
    for (int64_t id = 120; id >= 100; id--) /* 21 more, added highest first */
        add(&t, id, "respite worker", "respite care", CM_SECTOR_FAMILY_SUPPORT);
    struct result r;
    run(&t, NULL, 0, &r);
    const struct cm_caremap_finding *f = only(&r, CM_FINDING_DUPLICATE_SERVICE);
    assert_int_equal(f->n_members, CM_FINDING_MEMBERS_MAX);
    for (size_t i = 0; i < CM_FINDING_MEMBERS_MAX; i++)
        assert_int_equal(f->members[i], 100 + (int64_t)i);
}

/* ---- coordinators_no_lead, no_lead, no_backup ------------------------------------------------ */

/* complete() without its lead and backup. */
static void
leaderless(struct team *t)
{
    complete(t);
    for (size_t i = 0; i < t->map.n_nodes; i++) {
        t->nodes[i].lead = CM_LEAD_NONE;
        t->nodes[i].coordinator = false;
    }
}

static void
test_several_coordinators_without_a_lead_need_a_lead(void **state)
{
    (void)state;
    struct team t;
    leaderless(&t);
    add(&t, 40, "health plan care manager", "Medicaid care management", CM_SECTOR_PAYER)
        ->coordinator = true;
    add(&t, 22, "school care coordinator", "IEP coordination", CM_SECTOR_EDUCATION)->coordinator =
        true;
    add(&t, 31, "hospital case manager", "hospital care coordination", CM_SECTOR_MEDICAL)
        ->coordinator = true;
    struct result r;
    run(&t, NULL, 0, &r);
    const struct cm_caremap_finding *f = only(&r, CM_FINDING_COORDINATORS_NO_LEAD);
    assert_string_equal(f->key, "coordinators_no_lead");
    assert_int_equal(f->resolve, CM_RESOLVE_DESIGNATE_LEAD);
    assert_int_equal(f->n_members, 3);
    assert_int_equal(f->members[0], 22);
    assert_int_equal(f->members[1], 31);
    assert_int_equal(f->members[2], 40);
    assert_int_equal(count_kind(&r, CM_FINDING_NO_LEAD), 0);
    assert_int_equal(count_kind(&r, CM_FINDING_NO_BACKUP), 0);
}

static void
test_several_coordinators_with_a_lead_are_not_a_finding(void **state)
{
    (void)state;
    struct team t;
    complete(&t);
    add(&t, 40, "health plan care manager", "Medicaid care management", CM_SECTOR_PAYER)
        ->coordinator = true;
    add(&t, 22, "school care coordinator", "IEP coordination", CM_SECTOR_EDUCATION)->coordinator =
        true;
    assert_none(&t);

    /* The lead counts even when the member is not flagged as a coordinator. */
    t.nodes[1].coordinator = false;
    assert_none(&t);
}

static void
test_no_lead_fires_with_one_coordinator_or_none(void **state)
{
    (void)state;
    struct team t;
    leaderless(&t);
    struct result r;
    run(&t, NULL, 0, &r);
    const struct cm_caremap_finding *f = only(&r, CM_FINDING_NO_LEAD);
    assert_string_equal(f->key, "no_lead");
    assert_int_equal(f->n_members, 0);
    assert_int_equal(f->resolve, CM_RESOLVE_DESIGNATE_LEAD);

    t.nodes[1].coordinator = true; /* one coordinator: the obvious choice */
    run(&t, NULL, 0, &r);
    f = only(&r, CM_FINDING_NO_LEAD);
    assert_int_equal(f->n_members, 1);
    assert_int_equal(f->members[0], 11);

    /* A backup alone is not a lead, and no_backup does not fire before there is a lead. */
    t.nodes[2].lead = CM_LEAD_BACKUP;
    run(&t, NULL, 0, &r);
    only(&r, CM_FINDING_NO_LEAD);
}

static void
test_no_backup_fires_when_there_is_a_lead_and_no_backup(void **state)
{
    (void)state;
    struct team t;
    complete(&t);
    t.nodes[2].lead = CM_LEAD_NONE; /* still a coordinator: the natural backup */
    add(&t, 41, "waiver case manager", "medically fragile waiver", CM_SECTOR_PAYER)->coordinator =
        true;
    struct result r;
    run(&t, NULL, 0, &r);
    const struct cm_caremap_finding *f = only(&r, CM_FINDING_NO_BACKUP);
    assert_string_equal(f->key, "no_backup");
    assert_int_equal(f->resolve, CM_RESOLVE_DESIGNATE_BACKUP);
    /* The other coordinators, never the lead. */
    assert_int_equal(f->n_members, 2);
    assert_int_equal(f->members[0], 12);
    assert_int_equal(f->members[1], 41);

    t.nodes[2].lead = CM_LEAD_BACKUP;
    assert_none(&t);
}

/* ---- equipment_no_supplier ------------------------------------------------------------------- */

static void
test_equipment_without_a_supplier_asks_to_name_one(void **state)
{
    (void)state;
    const char *none[] = {NULL, "", "   "};
    for (size_t i = 0; i < CM_ARRAY_LEN(none); i++) {
        struct team t;
        complete(&t);
        add_equipment(&t, 7, "suction_machine", none[i]);
        struct result r;
        run(&t, NULL, 0, &r);
        const struct cm_caremap_finding *f = only(&r, CM_FINDING_EQUIPMENT_NO_SUPPLIER);
        assert_string_equal(f->key, "equipment_no_supplier:item:7");
        assert_int_equal(f->item_id, 7);
        assert_int_equal(f->resolve, CM_RESOLVE_NAME_SUPPLIER);
        assert_null(f->supplier);
        assert_int_equal(f->n_members, 0);
        assert_string_equal(cm_caremap_finding_message(f), "caremap.finding.equipment_no_supplier");
    }
}

static void
test_equipment_from_a_supplier_not_on_the_map_asks_to_add_it(void **state)
{
    (void)state;
    struct team t;
    complete(&t);
    add_equipment(&t, 8, "ventilator", "Airwell Respiratory");
    struct result r;
    run(&t, NULL, 0, &r);
    const struct cm_caremap_finding *f = only(&r, CM_FINDING_EQUIPMENT_NO_SUPPLIER);
    assert_string_equal(f->key, "equipment_no_supplier:item:8");
    assert_int_equal(f->resolve, CM_RESOLVE_ADD_MEMBER);
    assert_string_equal(f->supplier, "Airwell Respiratory");
    assert_string_equal(cm_caremap_finding_message(f),
                        "caremap.finding.equipment_supplier_not_on_map");
}

static void
test_equipment_from_a_supplier_on_the_map_is_not_a_finding(void **state)
{
    (void)state;
    struct team t;
    complete(&t);
    /* By organisation, compared as words (case, punctuation) ... */
    add_equipment(&t, 9, "feeding_pump_bags", "TIDEWATER medical-supply");
    /* ... or by the member's own name (a contact with no organisation). */
    struct cm_caremap_node *n =
        add(&t, 45, "orthotist", "orthotics (braces)", CM_SECTOR_EQUIPMENT_HOME);
    n->name = "Rollmark Orthotics";
    add_equipment(&t, 10, "ankle_foot_orthosis", "Rollmark Orthotics");
    assert_none(&t);
}

static void
test_an_item_listed_twice_is_one_finding(void **state)
{
    (void)state;
    struct team t;
    complete(&t);
    add_equipment(&t, 7, "suction_machine", NULL);
    add_equipment(&t, 7, "suction_machine", NULL);
    struct result r;
    run(&t, NULL, 0, &r);
    only(&r, CM_FINDING_EQUIPMENT_NO_SUPPLIER);
}

/* ---- tech_no_sick_day_plan, tech_no_home_nursing --------------------------------------------- */

static void
test_a_tech_dependent_child_without_a_sick_day_plan_needs_one(void **state)
{
    (void)state;
    struct team t;
    complete(&t);
    t.map.facts.has_sick_day_plan = false;
    struct result r;
    run(&t, NULL, 0, &r);
    const struct cm_caremap_finding *f = only(&r, CM_FINDING_TECH_NO_SICK_DAY_PLAN);
    assert_string_equal(f->key, "tech_no_sick_day_plan");
    assert_int_equal(f->resolve, CM_RESOLVE_ADD_PLAN_ITEM);

    /* Not technology dependent: no sick-day plan is not a finding of this rule. */
    t.map.facts.tech_dependent = false;
    assert_none(&t);
}

/* complete() without its home nursing. */
static void
without_home_nursing(struct team *t)
{
    complete(t);
    t->nodes[4].role = "nutritionist";
    t->nodes[4].service = "nutrition";
    t->nodes[4].sector = CM_SECTOR_MEDICAL;
}

static void
test_a_tech_dependent_child_without_home_nursing_needs_it(void **state)
{
    (void)state;
    struct team t;
    without_home_nursing(&t);
    struct result r;
    run(&t, NULL, 0, &r);
    const struct cm_caremap_finding *f = only(&r, CM_FINDING_TECH_NO_HOME_NURSING);
    assert_string_equal(f->key, "tech_no_home_nursing");
    assert_int_equal(f->resolve, CM_RESOLVE_ADD_MEMBER);

    /* Nursing that is not at home does not count: the hospital's nurses, the school nurse, the
     * nurse care coordinator. */
    add(&t, 60, "nurse", "inpatient nursing", CM_SECTOR_MEDICAL);
    add(&t, 61, "school nurse", "school health services", CM_SECTOR_EDUCATION);
    add(&t, 62, "nurse_care_coordinator", "nursing care coordination", CM_SECTOR_MEDICAL);
    run(&t, NULL, 0, &r);
    only(&r, CM_FINDING_TECH_NO_HOME_NURSING);

    t.map.facts.tech_dependent = false;
    assert_none(&t);
}

static void
test_home_nursing_counts_by_service_words_sector_or_role(void **state)
{
    (void)state;
    struct {
        const char *role, *service;
        enum cm_sector sector;
    } ways[] = {
        {"nurse", "Home Nursing", CM_SECTOR_MEDICAL},
        {"nurse", "private duty nursing", CM_SECTOR_PAYER},
        {"nurse", "shift nursing", CM_SECTOR_EQUIPMENT_HOME},
        {"home care nurse (RN)", NULL, CM_SECTOR_MEDICAL},
        {"RN", "home-health nursing visits", CM_SECTOR_MEDICAL},
    };
    for (size_t i = 0; i < CM_ARRAY_LEN(ways); i++) {
        struct team t;
        without_home_nursing(&t);
        add(&t, 70, ways[i].role, ways[i].service, ways[i].sector);
        assert_none(&t);
    }
}

/* ---- no_primary_care ------------------------------------------------------------------------- */

/* complete() without its primary care clinician. */
static void
without_primary_care(struct team *t)
{
    complete(t);
    t->nodes[0].role = "cardiologist";
    t->nodes[0].service = "cardiology";
}

static void
test_a_map_without_primary_care_needs_it(void **state)
{
    (void)state;
    struct team t;
    without_primary_care(&t);
    struct result r;
    run(&t, NULL, 0, &r);
    const struct cm_caremap_finding *f = only(&r, CM_FINDING_NO_PRIMARY_CARE);
    assert_string_equal(f->key, "no_primary_care");
    assert_int_equal(f->resolve, CM_RESOLVE_ADD_MEMBER);

    /* Near misses: a payer's primary care case management, a developmental or complex care
     * pediatrician, a primary care clinician outside the medical sector. */
    add(&t, 80, "care manager", "primary care case management", CM_SECTOR_PAYER);
    add(&t, 81, "developmental pediatrician", "developmental pediatrics", CM_SECTOR_MEDICAL);
    add(&t, 82, "complex_care_pediatrician", "complex care", CM_SECTOR_MEDICAL);
    add(&t, 83, "primary_care_clinician", NULL, CM_SECTOR_COMMUNITY);
    run(&t, NULL, 0, &r);
    only(&r, CM_FINDING_NO_PRIMARY_CARE);
}

static void
test_primary_care_counts_by_role_or_service(void **state)
{
    (void)state;
    struct {
        const char *role, *service;
    } ways[] = {
        {"primary_care_clinician", NULL},
        {"pediatrician (primary care)", "well-child visits"},
        {"Pediatrician", NULL},
        {"nurse practitioner", "Primary Care"},
        {"doctor", "general pediatrics"},
        {"doctor", "pediatrics"},
        {"PCP", NULL},
        {"family physician", "family medicine"},
    };
    for (size_t i = 0; i < CM_ARRAY_LEN(ways); i++) {
        struct team t;
        without_primary_care(&t);
        add(&t, 90, ways[i].role, ways[i].service, CM_SECTOR_MEDICAL);
        assert_none(&t);
    }
}

/* ---- keys, order, dispositions, limits ------------------------------------------------------- */

/* A map with every kind of finding but no_lead (which excludes coordinators_no_lead) and
 * no_backup (which needs a lead), and duplicates in three sectors added out of key order. */
static void
everything(struct team *t)
{
    complete(t);
    t->nodes[0].role = "cardiologist";
    t->nodes[0].service = "cardiology";
    t->nodes[4].service = "nutrition";
    t->nodes[4].role = "dietitian";
    t->nodes[1].lead = CM_LEAD_NONE;
    t->nodes[2].lead = CM_LEAD_NONE;
    t->map.facts.has_sick_day_plan = false;
    add(t, 20, "respite worker", "respite care", CM_SECTOR_FAMILY_SUPPORT);
    add(t, 21, "respite worker", "respite care", CM_SECTOR_FAMILY_SUPPORT);
    add(t, 22, "cardiologist", "cardiology", CM_SECTOR_MEDICAL);
    add(t, 23, "psychologist", "behaviour therapy", CM_SECTOR_MENTAL_HEALTH);
    add(t, 24, "behaviour analyst", "behaviour therapy", CM_SECTOR_MENTAL_HEALTH);
    add(t, 25, "neurologist", "neurology", CM_SECTOR_MEDICAL);
    add_equipment(t, 9, "ventilator", NULL);
    add_equipment(t, 10, "suction_machine", "Nowhere Supply");
}

static const char *const everything_keys[] = {
    "duplicate_service:family_support:respite_care",
    "duplicate_service:medical:cardiology",
    "duplicate_service:medical:neurology",
    "duplicate_service:mental_health:behaviour_therapy",
    "coordinators_no_lead",
    "equipment_no_supplier:item:10",
    "equipment_no_supplier:item:9",
    "tech_no_sick_day_plan",
    "tech_no_home_nursing",
    "no_primary_care",
};

static void
test_findings_come_in_kind_then_key_order(void **state)
{
    (void)state;
    struct team t;
    everything(&t);
    struct result r;
    run(&t, NULL, 0, &r);
    assert_int_equal(r.n, CM_ARRAY_LEN(everything_keys));
    for (size_t i = 0; i < r.n; i++) {
        assert_string_equal(r.f[i].key, everything_keys[i]);
        if (i > 0) {
            assert_true(r.f[i - 1].kind <= r.f[i].kind);
            if (r.f[i - 1].kind == r.f[i].kind)
                assert_true(strcmp(r.f[i - 1].key, r.f[i].key) < 0);
        }
        /* Every key starts with its kind's name. */
        const char *kn = cm_caremap_finding_kind_name(r.f[i].kind);
        assert_memory_equal(r.f[i].key, kn, strlen(kn));
    }
}

static void
test_keys_are_stable_across_node_order_and_unique(void **state)
{
    (void)state;
    struct team t;
    everything(&t);
    struct result a, b;
    run(&t, NULL, 0, &a);

    /* The same team read back in another order (reversed nodes and equipment). */
    struct team u = t;
    u.map.nodes = u.nodes;
    u.map.facts.equipment = u.equipment;
    for (size_t i = 0; i < u.map.n_nodes; i++)
        u.nodes[i] = t.nodes[t.map.n_nodes - 1 - i];
    for (size_t i = 0; i < u.map.facts.n_equipment; i++)
        u.equipment[i] = t.equipment[t.map.facts.n_equipment - 1 - i];
    run(&u, NULL, 0, &b);

    assert_int_equal(a.n, b.n);
    for (size_t i = 0; i < a.n; i++) {
        assert_string_equal(a.f[i].key, b.f[i].key);
        assert_int_equal(a.f[i].n_members, b.f[i].n_members);
        assert_memory_equal(a.f[i].members, b.f[i].members,
                            a.f[i].n_members * sizeof(a.f[i].members[0]));
        for (size_t j = 0; j < i; j++)
            assert_string_not_equal(a.f[i].key, a.f[j].key);
    }
}

static void
test_long_services_get_bounded_distinct_stable_keys(void **state)
{
    (void)state;
    /* Two services of 150+ bytes that share their first 100 bytes, with accents at the cut. */
    char s1[256], s2[256], s3[256];
    const char *common = "servicio de rehabilitación y terapia física intensiva para niños con "
                         "necesidades médicas complejas ééééééééééé";
    (void)snprintf(s1, sizeof(s1), "%s uno en el hospital del norte", common);
    (void)snprintf(s2, sizeof(s2), "%s dos en el hospital del sur", common);
    (void)snprintf(s3, sizeof(s3), "%s", s1);
    for (char *p = s3; *p != '\0'; p++) /* the same words in capitals */
        if (*p >= 'a' && *p <= 'z')
            *p = (char)(*p - 'a' + 'A');
    struct team t;
    complete(&t);
    add(&t, 30, "fisioterapeuta", s1, CM_SECTOR_MEDICAL);
    add(&t, 31, "fisioterapeuta", s3, CM_SECTOR_MEDICAL);
    add(&t, 32, "fisioterapeuta", s2, CM_SECTOR_MEDICAL);
    add(&t, 33, "fisioterapeuta", s2, CM_SECTOR_MEDICAL);
    struct result r, again;
    run(&t, NULL, 0, &r);
    run(&t, NULL, 0, &again);
    assert_int_equal(r.n, 2);
    assert_int_equal(count_kind(&r, CM_FINDING_DUPLICATE_SERVICE), 2);
    assert_string_not_equal(r.f[0].key, r.f[1].key);
    for (size_t i = 0; i < r.n; i++) {
        size_t len = strlen(r.f[i].key);
        assert_true(len < CM_FINDING_KEY_MAX);
        assert_non_null(strchr(r.f[i].key, '~'));
        assert_string_equal(r.f[i].key, again.f[i].key);
        assert_true(cm_utf8_valid(r.f[i].key, len));
    }
}

static void
test_dispositions_mark_findings_intended_with_their_reason(void **state)
{
    (void)state;
    struct team t;
    everything(&t);
    const struct cm_caremap_disposition d[] = {
        {"duplicate_service:medical:cardiology", "Second opinion before surgery"},
        {NULL, "ignored"},
        {"tech_no_home_nursing", "Family declined home nursing"},
        {"tech_no_home_nursing", "a later duplicate does not win"},
    };
    struct result r;
    run(&t, d, CM_ARRAY_LEN(d), &r);
    assert_int_equal(r.n, CM_ARRAY_LEN(everything_keys));
    size_t intended = 0;
    for (size_t i = 0; i < r.n; i++) {
        if (strcmp(r.f[i].key, "duplicate_service:medical:cardiology") == 0) {
            assert_true(r.f[i].intended);
            assert_ptr_equal(r.f[i].intended_reason, d[0].reason);
        } else if (strcmp(r.f[i].key, "tech_no_home_nursing") == 0) {
            assert_true(r.f[i].intended);
            assert_ptr_equal(r.f[i].intended_reason, d[2].reason);
        } else {
            assert_false(r.f[i].intended);
            assert_null(r.f[i].intended_reason);
        }
        intended += r.f[i].intended;
    }
    assert_int_equal(intended, 2);
}

static void
test_a_disposition_for_a_key_no_longer_found_changes_nothing(void **state)
{
    (void)state;
    struct team t;
    everything(&t);
    const struct cm_caremap_disposition d[] = {
        {"duplicate_service:medical:neurosurgery", "Resolved last year"},
        {"no_backup", "Old"},
        {"equipment_no_supplier:item:11", "Returned"},
        {"Tech_No_Home_Nursing", "keys compare exactly"},
    };
    struct result plain, with;
    run(&t, NULL, 0, &plain);
    run(&t, d, CM_ARRAY_LEN(d), &with);
    assert_int_equal(plain.n, with.n);
    assert_memory_equal(plain.f, with.f, plain.n * sizeof(plain.f[0]));

    /* A complete map stays without findings whatever dispositions it carries. */
    complete(&t);
    cm_caremap_findings(&t.map, d, CM_ARRAY_LEN(d), with.f, OUT_MAX, &with.n);
    assert_int_equal(with.n, 0);
}

static void
test_more_findings_than_max_are_counted_and_the_first_are_kept(void **state)
{
    (void)state;
    struct team t;
    everything(&t);
    struct result all;
    run(&t, NULL, 0, &all);
    assert_true(all.n > 4);
    for (size_t max = 0; max <= all.n; max++) {
        struct cm_caremap_finding few[OUT_MAX + 1];
        memset(few, 0xA5, sizeof(few));
        size_t n = 0;
        cm_caremap_findings(&t.map, NULL, 0, few, max, &n);
        assert_int_equal(n, all.n);
        for (size_t i = 0; i < max; i++)
            assert_string_equal(few[i].key, all.f[i].key);
        /* Nothing written past max. */
        unsigned char guard[sizeof(few[0])];
        memset(guard, 0xA5, sizeof(guard));
        assert_memory_equal(&few[max], guard, sizeof(guard));
    }
    size_t n = 0;
    cm_caremap_findings(&t.map, NULL, 0, NULL, 0, &n);
    assert_int_equal(n, all.n);
}

static void
test_names_are_stable(void **state)
{
    (void)state;
    static const char *const kinds[CM_FINDING_KINDS] = {
        "duplicate_service",
        "coordinators_no_lead",
        "no_lead",
        "no_backup",
        "equipment_no_supplier",
        "tech_no_sick_day_plan",
        "tech_no_home_nursing",
        "no_primary_care",
    };
    for (int k = 0; k < CM_FINDING_KINDS; k++)
        assert_string_equal(cm_caremap_finding_kind_name((enum cm_caremap_finding_kind)k),
                            kinds[k]);
    assert_string_equal(cm_caremap_finding_kind_name(CM_FINDING_KINDS), "");
    assert_string_equal(cm_caremap_finding_kind_name((enum cm_caremap_finding_kind) - 1), "");
    static const char *const resolves[CM_RESOLVE_COUNT] = {"end_one",          "designate_lead",
                                                           "designate_backup", "add_member",
                                                           "add_plan_item",    "name_supplier"};
    for (int r = 0; r < CM_RESOLVE_COUNT; r++)
        assert_string_equal(cm_caremap_resolve_name((enum cm_caremap_resolve)r), resolves[r]);
    assert_string_equal(cm_caremap_resolve_name(CM_RESOLVE_COUNT), "");
    assert_string_equal(cm_caremap_finding_message(NULL), "");
}

/* ---- the message catalogs -------------------------------------------------------------------- */

static json_t *
catalog(const char *lang)
{
    char rel[64];
    (void)snprintf(rel, sizeof(rel), "data/messages/%s/caremap.json", lang);
    size_t len = 0;
    char *text = testlib_slurp(rel, &len);
    json_error_t je;
    json_t *j = json_loadb(text, len, JSON_REJECT_DUPLICATES, &je);
    free(text);
    if (j == NULL)
        fail_msg("%s:%d:%d: %s", rel, je.line, je.column, je.text);
    assert_true(json_is_object(j));
    return j;
}

static int
by_string(const void *a, const void *b)
{
    return strcmp(a, b);
}

/* The {placeholders} of s, sorted and joined by spaces, into out. */
static void
placeholders(const char *s, char *out, size_t size)
{
    char names[16][32];
    size_t n = 0;
    for (const char *p = strchr(s, '{'); p != NULL; p = strchr(p + 1, '{')) {
        const char *end = strchr(p, '}');
        assert_non_null(end);
        size_t len = (size_t)(end - p - 1);
        assert_true(len > 0 && len < sizeof(names[0]) && n < CM_ARRAY_LEN(names));
        memcpy(names[n], p + 1, len);
        names[n][len] = '\0';
        n++;
    }
    qsort(names, n, sizeof(names[0]), by_string);
    out[0] = '\0';
    size_t used = 0;
    for (size_t i = 0; i < n; i++) {
        if (i > 0 && strcmp(names[i], names[i - 1]) == 0)
            continue;
        int w = snprintf(out + used, size - used, "%s%s", used > 0 ? " " : "", names[i]);
        assert_true(w > 0 && (size_t)w < size - used);
        used += (size_t)w;
    }
}

static const char *const stems[] = {
    "caremap.finding.duplicate_service",
    "caremap.finding.coordinators_no_lead",
    "caremap.finding.no_lead",
    "caremap.finding.no_backup",
    "caremap.finding.equipment_no_supplier",
    "caremap.finding.equipment_supplier_not_on_map",
    "caremap.finding.tech_no_sick_day_plan",
    "caremap.finding.tech_no_home_nursing",
    "caremap.finding.no_primary_care",
};

/* What the API can fill in (docs/caremap.md). */
static const char *const known_placeholders[] = {"child", "count",  "item",    "lead",
                                                 "names", "reason", "service", "supplier"};

static void
test_catalogs_have_every_finding_in_both_languages_with_the_same_placeholders(void **state)
{
    (void)state;
    json_t *en = catalog("en"), *es = catalog("es");
    assert_int_equal(json_object_size(en), json_object_size(es));
    const char *key;
    json_t *v;
    json_object_foreach(en, key, v)
    {
        json_t *other = json_object_get(es, key);
        if (other == NULL)
            fail_msg("es/caremap.json lacks %s", key);
        assert_true(json_is_string(v) && json_string_length(v) > 0);
        assert_true(json_is_string(other) && json_string_length(other) > 0);
        char a[256], b[256];
        placeholders(json_string_value(v), a, sizeof(a));
        placeholders(json_string_value(other), b, sizeof(b));
        if (strcmp(a, b) != 0)
            fail_msg("%s: en has {%s}, es has {%s}", key, a, b);
        char *save = NULL;
        for (char *name = strtok_r(a, " ", &save); name != NULL;
             name = strtok_r(NULL, " ", &save)) {
            bool known = false;
            for (size_t i = 0; i < CM_ARRAY_LEN(known_placeholders); i++)
                known |= strcmp(name, known_placeholders[i]) == 0;
            if (!known)
                fail_msg("%s: unknown placeholder {%s}", key, name);
        }
    }
    /* Every stem the code can return has its three texts. */
    for (size_t i = 0; i < CM_ARRAY_LEN(stems); i++) {
        static const char *const parts[] = {"title", "explanation", "action"};
        for (size_t p = 0; p < CM_ARRAY_LEN(parts); p++) {
            char k[128];
            (void)snprintf(k, sizeof(k), "%s.%s", stems[i], parts[p]);
            if (json_object_get(en, k) == NULL)
                fail_msg("en/caremap.json lacks %s", k);
        }
    }
    json_decref(en);
    json_decref(es);
}

static void
test_every_message_stem_the_code_returns_is_in_the_list(void **state)
{
    (void)state;
    struct team t;
    everything(&t);
    struct result r;
    run(&t, NULL, 0, &r);
    t.nodes[1].lead = CM_LEAD_LEAD;
    struct result r2;
    run(&t, NULL, 0, &r2);
    for (size_t i = 0; i < r.n + r2.n; i++) {
        const struct cm_caremap_finding *f = i < r.n ? &r.f[i] : &r2.f[i - r.n];
        bool listed = false;
        for (size_t s = 0; s < CM_ARRAY_LEN(stems); s++)
            listed |= strcmp(cm_caremap_finding_message(f), stems[s]) == 0;
        if (!listed)
            fail_msg("%s: stem %s is not in the catalog list", f->key,
                     cm_caremap_finding_message(f));
    }
}

/* The family reads these: every explanation and action of lang, with its placeholders filled as
 * the API would, reads at or below the plan's target grade (docs/readability.md). */
static void
assert_plain(const char *lang)
{
    json_t *en = catalog(lang);
    const char *key;
    json_t *v;
    size_t checked = 0, hard = 0;
    json_object_foreach(en, key, v)
    {
        /* Titles are a few words, too short for a grade formula to mean anything. */
        size_t klen = strlen(key);
        bool explanation = klen > 12 && strcmp(key + klen - 12, ".explanation") == 0;
        bool action = klen > 7 && strcmp(key + klen - 7, ".action") == 0;
        if (!explanation && !action)
            continue;
        checked++;
        const char *s = json_string_value(v);
        char filled[1024];
        size_t used = 0;
        for (const char *p = s; *p != '\0' && used + 16 < sizeof(filled);) {
            if (*p == '{') {
                const char *end = strchr(p, '}');
                assert_non_null(end);
                const char *word = strncmp(p, "{count}", 7) == 0 ? "2" : "Sam";
                used += (size_t)snprintf(filled + used, sizeof(filled) - used, "%s", word);
                p = end + 1;
            } else {
                filled[used++] = *p++;
            }
        }
        filled[used] = '\0';
        struct cm_readability score;
        struct cm_err err = {0};
        assert_int_equal(cm_plan_readability(filled, used, lang, &score, NULL, 0, NULL, &err),
                         CM_OK);
        if (!cm_plan_readability_meets(&score, CM_PLAN_READABILITY_TARGET_DEFAULT)) {
            print_message("%s/%s reads at grade %.1f: %s\n", lang, key, score.grade, filled);
            hard++;
        }
    }
    assert_int_equal(checked, 2 * CM_ARRAY_LEN(stems));
    assert_int_equal(hard, 0);
    json_decref(en);
}

static void
test_english_explanations_and_actions_read_plainly(void **state)
{
    (void)state;
    assert_plain("en");
}

static void
test_spanish_explanations_and_actions_read_plainly(void **state)
{
    (void)state;
    assert_plain("es");
}

int
main(void)
{
    const struct CMUnitTest tests[] = {
        cmocka_unit_test(test_a_complete_map_has_no_findings),
        cmocka_unit_test(test_an_empty_map_lacks_a_lead_and_primary_care),
        cmocka_unit_test(test_two_neurologists_in_one_sector_are_a_duplicate),
        cmocka_unit_test(test_services_compare_by_words_without_case_or_punctuation),
        cmocka_unit_test(test_the_same_service_in_different_sectors_is_not_a_duplicate),
        cmocka_unit_test(test_different_services_in_one_sector_are_not_a_duplicate),
        cmocka_unit_test(test_missing_or_blank_services_never_duplicate),
        cmocka_unit_test(test_three_providers_of_a_service_are_one_finding_listing_all_three),
        cmocka_unit_test(test_members_past_the_maximum_are_left_off_keeping_the_lowest_ids),
        cmocka_unit_test(test_several_coordinators_without_a_lead_need_a_lead),
        cmocka_unit_test(test_several_coordinators_with_a_lead_are_not_a_finding),
        cmocka_unit_test(test_no_lead_fires_with_one_coordinator_or_none),
        cmocka_unit_test(test_no_backup_fires_when_there_is_a_lead_and_no_backup),
        cmocka_unit_test(test_equipment_without_a_supplier_asks_to_name_one),
        cmocka_unit_test(test_equipment_from_a_supplier_not_on_the_map_asks_to_add_it),
        cmocka_unit_test(test_equipment_from_a_supplier_on_the_map_is_not_a_finding),
        cmocka_unit_test(test_an_item_listed_twice_is_one_finding),
        cmocka_unit_test(test_a_tech_dependent_child_without_a_sick_day_plan_needs_one),
        cmocka_unit_test(test_a_tech_dependent_child_without_home_nursing_needs_it),
        cmocka_unit_test(test_home_nursing_counts_by_service_words_sector_or_role),
        cmocka_unit_test(test_a_map_without_primary_care_needs_it),
        cmocka_unit_test(test_primary_care_counts_by_role_or_service),
        cmocka_unit_test(test_findings_come_in_kind_then_key_order),
        cmocka_unit_test(test_keys_are_stable_across_node_order_and_unique),
        cmocka_unit_test(test_long_services_get_bounded_distinct_stable_keys),
        cmocka_unit_test(test_dispositions_mark_findings_intended_with_their_reason),
        cmocka_unit_test(test_a_disposition_for_a_key_no_longer_found_changes_nothing),
        cmocka_unit_test(test_more_findings_than_max_are_counted_and_the_first_are_kept),
        cmocka_unit_test(test_names_are_stable),
        cmocka_unit_test(
            test_catalogs_have_every_finding_in_both_languages_with_the_same_placeholders),
        cmocka_unit_test(test_every_message_stem_the_code_returns_is_in_the_list),
        cmocka_unit_test(test_english_explanations_and_actions_read_plainly),
        cmocka_unit_test(test_spanish_explanations_and_actions_read_plainly),
    };
    return cmocka_run_group_tests(tests, NULL, NULL);
}
