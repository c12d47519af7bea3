/*
 * model/caremap: who acts as a care coordinator, who is primary care, and each relationship's ring
 * on the care map, from role and service (model/caremap.h).
 */
#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>

#include <cmocka.h>

#include "model/caremap.h"

static void
test_coordinators_are_named_by_role_or_service_in_any_case(void **state)
{
    (void)state;
    assert_true(cm_caremap_is_coordinator("nurse_care_coordinator", NULL));
    assert_true(cm_caremap_is_coordinator("Hospital Case Manager", "discharge planning"));
    assert_true(cm_caremap_is_coordinator("early intervention service coordinator", NULL));
    assert_true(cm_caremap_is_coordinator("family_navigator", NULL));
    assert_true(cm_caremap_is_coordinator("social worker", "care management"));
    assert_true(cm_caremap_is_coordinator("nurse", "Care-Coordination"));
}

static void
test_a_supply_or_food_pantry_coordinator_coordinates_no_care(void **state)
{
    (void)state;
    assert_false(cm_caremap_is_coordinator("enteral supply coordinator", "feeding supplies"));
    assert_false(cm_caremap_is_coordinator("food pantry coordinator", "food assistance"));
    assert_false(cm_caremap_is_coordinator("neurologist", "neurology"));
    assert_false(cm_caremap_is_coordinator(NULL, NULL));
    assert_false(cm_caremap_is_coordinator("", ""));
}

static void
test_primary_care_is_the_pcp_not_a_specialist_pediatrician(void **state)
{
    (void)state;
    assert_true(cm_caremap_is_primary_care("primary_care_clinician", NULL));
    assert_true(cm_caremap_is_primary_care("pediatrician", "general pediatrics"));
    assert_true(cm_caremap_is_primary_care("nurse practitioner", "Primary Care"));
    assert_true(cm_caremap_is_primary_care("family physician", "family medicine"));
    assert_false(
        cm_caremap_is_primary_care("developmental pediatrician", "developmental pediatrics"));
    assert_false(cm_caremap_is_primary_care("complex_care_pediatrician", NULL));
    assert_false(cm_caremap_is_primary_care("neurologist", "neurology"));
    assert_false(cm_caremap_is_primary_care(NULL, NULL));
}

static void
test_rings_put_the_lead_family_supports_and_primary_care_nearest(void **state)
{
    (void)state;
    assert_int_equal(cm_caremap_ring(CM_SECTOR_PAYER, CM_LEAD_LEAD, "case manager", NULL), 1);
    assert_int_equal(cm_caremap_ring(CM_SECTOR_EDUCATION, CM_LEAD_BACKUP, "school nurse", NULL), 1);
    assert_int_equal(
        cm_caremap_ring(CM_SECTOR_FAMILY_SUPPORT, CM_LEAD_NONE, "respite worker", NULL), 1);
    assert_int_equal(
        cm_caremap_ring(CM_SECTOR_MEDICAL, CM_LEAD_NONE, "primary_care_clinician", NULL), 1);
    assert_int_equal(cm_caremap_ring(CM_SECTOR_MEDICAL, CM_LEAD_NONE, "neurologist", NULL), 2);
    assert_int_equal(cm_caremap_ring(CM_SECTOR_MENTAL_HEALTH, CM_LEAD_NONE, "psychologist", NULL),
                     2);
    assert_int_equal(
        cm_caremap_ring(CM_SECTOR_EQUIPMENT_HOME, CM_LEAD_NONE, "home nurse", "home nursing"), 2);
    assert_int_equal(cm_caremap_ring(CM_SECTOR_EDUCATION, CM_LEAD_NONE, "teacher", NULL), 3);
    assert_int_equal(cm_caremap_ring(CM_SECTOR_COMMUNITY, CM_LEAD_NONE, "ride scheduler", NULL), 3);
    assert_int_equal(cm_caremap_ring(CM_SECTOR_PAYER, CM_LEAD_NONE, "utilization review nurse",
                                     "prior authorizations"),
                     3);
}

int
main(void)
{
    const struct CMUnitTest tests[] = {
        cmocka_unit_test(test_coordinators_are_named_by_role_or_service_in_any_case),
        cmocka_unit_test(test_a_supply_or_food_pantry_coordinator_coordinates_no_care),
        cmocka_unit_test(test_primary_care_is_the_pcp_not_a_specialist_pediatrician),
        cmocka_unit_test(test_rings_put_the_lead_family_supports_and_primary_care_nearest),
    };
    return cmocka_run_group_tests(tests, NULL, NULL);
}
