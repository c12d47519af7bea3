/* Unit tests for model: enum names, role predicates, every validation rule (a valid and an invalid
 * case each, with the JSON field named), and ages across birthdays and leap days. */
#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>

#include <cmocka.h>

#include "model/model.h"

#include <string.h>

#define TODAY "2026-06-15"

/* Asserts rc is CM_EINVAL and err names field. */
#define assert_invalid(rc, err, name)                                                              \
    do {                                                                                           \
        assert_int_equal((rc), CM_EINVAL);                                                         \
        assert_string_equal((err).field, (name));                                                  \
        assert_true((err).msg[0] != '\0');                                                         \
    } while (0)

/* A string of n copies of the UTF-8 character ch (1-4 bytes), in buf. */
static char *
repeat(char *buf, size_t bufsize, const char *ch, size_t n)
{
    size_t len = strlen(ch);
    assert_true(n * len < bufsize);
    for (size_t i = 0; i < n; i++)
        memcpy(buf + i * len, ch, len);
    buf[n * len] = '\0';
    return buf;
}

/* ---- valid records, each test changes one field -------------------------------------------------
 */

static struct cm_organization
org(void)
{
    return (struct cm_organization){.name = "Riverside Pediatrics",
                                    .type = CM_ORG_PRACTICE,
                                    .phone = "+1 (555) 010-0199",
                                    .email = "front.desk@example.org",
                                    .address = "1 Test Way\nSuite 2"};
}

static struct cm_user
user(void)
{
    return (struct cm_user){.username = "coord.ada",
                            .display_name = "Ada Coordinator",
                            .role = CM_ROLE_NURSE_CARE_COORDINATOR,
                            .language = "en",
                            .email = "ada@example.org",
                            .phone = "555-0100 x12"};
}

static struct cm_child
child(void)
{
    return (struct cm_child){.record_number = "DEMO-0100",
                             .given_name = "Ola",
                             .family_name = "Testchild",
                             .birth_date = "2019-05-04",
                             .sex = "female",
                             .preferred_language = "es",
                             .enrolled_on = "2026-01-10",
                             .tier = 2};
}

static struct cm_family_member
family(void)
{
    return (struct cm_family_member){.given_name = "Rosa",
                                     .family_name = "Testparent",
                                     .relationship = "mother",
                                     .is_guardian = true,
                                     .phone = "555 010 0123",
                                     .preferred_language = "es-MX"};
}

static struct cm_team_member
team(void)
{
    return (struct cm_team_member){.name = "Dr. Neuro Testdoc",
                                   .role = "neurologist",
                                   .service = "neurology",
                                   .sector = CM_SECTOR_MEDICAL,
                                   .start_date = "2026-02-01"};
}

static void
test_valid_records_pass(void **state)
{
    (void)state;
    struct cm_err err = {0};
    struct cm_organization o = org();
    struct cm_user u = user();
    struct cm_child c = child();
    struct cm_family_member f = family();
    struct cm_team_member t = team();
    struct cm_break_glass b = {.reason = "Seizure in the ED, team unreachable"};
    assert_int_equal(cm_model_organization_validate(&o, &err), CM_OK);
    assert_int_equal(cm_model_user_validate(&u, &err), CM_OK);
    assert_int_equal(cm_model_child_validate(&c, TODAY, &err), CM_OK);
    assert_int_equal(cm_model_family_member_validate(&f, &err), CM_OK);
    assert_int_equal(cm_model_team_member_validate(&t, &err), CM_OK);
    assert_int_equal(cm_model_break_glass_validate(&b, &err), CM_OK);
    assert_int_equal(err.code, CM_OK);
}

static void
test_optional_fields_may_be_absent(void **state)
{
    (void)state;
    struct cm_err err = {0};
    struct cm_organization o = {.name = "X", .type = CM_ORG_NONE};
    assert_int_equal(cm_model_organization_validate(&o, &err), CM_OK);
    struct cm_user u = user();
    u.email = u.phone = NULL;
    assert_int_equal(cm_model_user_validate(&u, &err), CM_OK);
    struct cm_child c = {
        .record_number = "R1", .given_name = "A", .family_name = "B", .birth_date = TODAY};
    assert_int_equal(cm_model_child_validate(&c, TODAY, &err), CM_OK);
    struct cm_family_member f = {.given_name = "A", .family_name = "B", .relationship = "sibling"};
    assert_int_equal(cm_model_family_member_validate(&f, &err), CM_OK);
    struct cm_team_member t = {.user_id = 3,
                               .role = "nurse_care_coordinator",
                               .sector = CM_SECTOR_MEDICAL,
                               .start_date = "2026-01-01"};
    assert_int_equal(cm_model_team_member_validate(&t, &err), CM_OK);
}

/* ---- names and text -------------------------------------------------------------------------- */

static void
test_names_of_200_characters_pass_and_201_fail(void **state)
{
    (void)state;
    char buf[1024];
    struct cm_child c = child();
    struct cm_err err = {0};
    /* Counted in code points: 200 two-byte letters are 400 bytes and still fit. */
    c.given_name = repeat(buf, sizeof(buf), "\xC3\xA1", 200);
    assert_int_equal(cm_model_child_validate(&c, TODAY, &err), CM_OK);
    c.given_name = repeat(buf, sizeof(buf), "a", 201);
    assert_invalid(cm_model_child_validate(&c, TODAY, &err), err, "given_name");
}

static void
test_empty_blank_or_missing_names_fail(void **state)
{
    (void)state;
    const char *bad[] = {"", "   ", NULL};
    for (size_t i = 0; i < CM_ARRAY_LEN(bad); i++) {
        struct cm_child c = child();
        struct cm_err err = {0};
        c.family_name = bad[i];
        assert_invalid(cm_model_child_validate(&c, TODAY, &err), err, "family_name");
    }
    struct cm_child c = child();
    struct cm_err err = {0};
    c.preferred_name = "";
    assert_invalid(cm_model_child_validate(&c, TODAY, &err), err, "preferred_name");
    cm_err_clear(&err);
    c.preferred_name = "Oli";
    assert_int_equal(cm_model_child_validate(&c, TODAY, &err), CM_OK);
}

static void
test_names_with_control_characters_or_bad_utf8_fail(void **state)
{
    (void)state;
    const char *bad[] = {"Ola\nX", "Ola\tX", "Ola\x7F", "Ola\xC2\x85", "Ola\xC3", "\xED\xA0\x80"};
    for (size_t i = 0; i < CM_ARRAY_LEN(bad); i++) {
        struct cm_family_member f = family();
        struct cm_err err = {0};
        f.given_name = bad[i];
        assert_invalid(cm_model_family_member_validate(&f, &err), err, "given_name");
    }
}

static void
test_free_text_allows_line_breaks_up_to_2000_characters(void **state)
{
    (void)state;
    static char buf[8200];
    struct cm_organization o = org();
    struct cm_err err = {0};
    o.address = repeat(buf, sizeof(buf), "\xE2\x82\xAC", 2000);
    assert_int_equal(cm_model_organization_validate(&o, &err), CM_OK);
    o.address = "";
    assert_int_equal(cm_model_organization_validate(&o, &err), CM_OK);
    o.address = repeat(buf, sizeof(buf), "b", 2001);
    assert_invalid(cm_model_organization_validate(&o, &err), err, "address");
    cm_err_clear(&err);
    o.address = "Line one\x01";
    assert_invalid(cm_model_organization_validate(&o, &err), err, "address");
}

/* ---- organisation ---------------------------------------------------------------------------- */

static void
test_organization_name_is_required(void **state)
{
    (void)state;
    struct cm_organization o = org();
    struct cm_err err = {0};
    o.name = NULL;
    assert_invalid(cm_model_organization_validate(&o, &err), err, "name");
}

static void
test_organization_type_out_of_range_fails(void **state)
{
    (void)state;
    struct cm_organization o = org();
    struct cm_err err = {0};
    o.type = CM_ORG_COUNT;
    assert_invalid(cm_model_organization_validate(&o, &err), err, "type");
}

/* ---- contact details ------------------------------------------------------------------------- */

static void
test_email_needs_one_at_and_no_spaces(void **state)
{
    (void)state;
    const char *good[] = {"a@b", "first.last+tag@clinic.example.org", "jos\xC3\xA9@example.es"};
    for (size_t i = 0; i < CM_ARRAY_LEN(good); i++) {
        struct cm_user u = user();
        struct cm_err err = {0};
        u.email = good[i];
        assert_int_equal(cm_model_user_validate(&u, &err), CM_OK);
    }
    char longmail[300];
    repeat(longmail, sizeof(longmail), "a", 260);
    longmail[100] = '@';
    const char *bad[] = {
        "",      "no-at.example.org", "two@@example.org",   "a@b@c", "@example.org",
        "name@", "na me@example.org", "name@exa\tmple.org", longmail};
    for (size_t i = 0; i < CM_ARRAY_LEN(bad); i++) {
        struct cm_user u = user();
        struct cm_err err = {0};
        u.email = bad[i];
        assert_invalid(cm_model_user_validate(&u, &err), err, "email");
    }
}

static void
test_email_of_254_bytes_passes(void **state)
{
    (void)state;
    char mail[300];
    repeat(mail, sizeof(mail), "a", 254);
    mail[64] = '@';
    struct cm_team_member t = team();
    struct cm_err err = {0};
    t.email = mail;
    assert_int_equal(cm_model_team_member_validate(&t, &err), CM_OK);
}

static void
test_phone_takes_digits_and_common_punctuation_only(void **state)
{
    (void)state;
    const char *good[] = {"5550100", "+52 (55) 1234-5678", "555.010.0199 x123", "555-0100 X9",
                          "12345678901234567890123456789012"};
    for (size_t i = 0; i < CM_ARRAY_LEN(good); i++) {
        struct cm_family_member f = family();
        struct cm_err err = {0};
        f.phone = good[i];
        assert_int_equal(cm_model_family_member_validate(&f, &err), CM_OK);
    }
    const char *bad[] = {"",
                         "555010",
                         "call me",
                         "555-0100 ext 5",
                         "555#0100",
                         "----------",
                         "(555) 01-0",
                         "123456789012345678901234567890123",
                         "555\xEF\xBC\x90\x31\x30\x30" /* a fullwidth digit zero */};
    for (size_t i = 0; i < CM_ARRAY_LEN(bad); i++) {
        struct cm_family_member f = family();
        struct cm_err err = {0};
        f.phone = bad[i];
        assert_invalid(cm_model_family_member_validate(&f, &err), err, "phone");
    }
}

/* ---- languages ------------------------------------------------------------------------------- */

static void
test_user_language_is_en_or_es(void **state)
{
    (void)state;
    struct cm_user u = user();
    struct cm_err err = {0};
    u.language = "es";
    assert_int_equal(cm_model_user_validate(&u, &err), CM_OK);
    const char *bad[] = {"fr", "EN", "en-US", "", NULL};
    for (size_t i = 0; i < CM_ARRAY_LEN(bad); i++) {
        cm_err_clear(&err);
        u.language = bad[i];
        assert_invalid(cm_model_user_validate(&u, &err), err, "language");
    }
}

static void
test_preferred_language_is_a_language_tag(void **state)
{
    (void)state;
    const char *good[] = {"en", "es", "yue", "es-MX", "es-419", "en-us", "zh-CN"};
    for (size_t i = 0; i < CM_ARRAY_LEN(good); i++) {
        struct cm_child c = child();
        struct cm_err err = {0};
        c.preferred_language = good[i];
        assert_int_equal(cm_model_child_validate(&c, TODAY, &err), CM_OK);
    }
    const char *bad[] = {"",      "e",     "engl", "en-",     "en_US", "en-USA",
                         "en-4a", "es-41", "12",   "en-US-x", " en"};
    for (size_t i = 0; i < CM_ARRAY_LEN(bad); i++) {
        struct cm_child c = child();
        struct cm_err err = {0};
        c.preferred_language = bad[i];
        assert_invalid(cm_model_child_validate(&c, TODAY, &err), err, "preferred_language");
    }
    struct cm_family_member f = family();
    struct cm_err err = {0};
    f.preferred_language = "spanish";
    assert_invalid(cm_model_family_member_validate(&f, &err), err, "preferred_language");
}

/* ---- user ------------------------------------------------------------------------------------ */

static void
test_username_is_3_to_64_of_lowercase_digits_dot_underscore_dash(void **state)
{
    (void)state;
    char buf[100];
    const char *good[] = {"abc", "coord.ada", "a_b-c.9", repeat(buf, sizeof(buf), "z", 64)};
    for (size_t i = 0; i < CM_ARRAY_LEN(good); i++) {
        struct cm_user u = user();
        struct cm_err err = {0};
        u.username = good[i];
        assert_int_equal(cm_model_user_validate(&u, &err), CM_OK);
    }
    char toolong[100];
    repeat(toolong, sizeof(toolong), "z", 65);
    const char *bad[] = {"ab",       toolong,      "Coord.Ada", "ada coord",
                         "ada@home", "ad\xC3\xA1", "",          NULL};
    for (size_t i = 0; i < CM_ARRAY_LEN(bad); i++) {
        struct cm_user u = user();
        struct cm_err err = {0};
        u.username = bad[i];
        assert_invalid(cm_model_user_validate(&u, &err), err, "username");
    }
}

static void
test_user_display_name_and_role_are_required(void **state)
{
    (void)state;
    struct cm_user u = user();
    struct cm_err err = {0};
    u.display_name = NULL;
    assert_invalid(cm_model_user_validate(&u, &err), err, "display_name");
    u = user();
    cm_err_clear(&err);
    u.role = CM_ROLE_NONE;
    assert_invalid(cm_model_user_validate(&u, &err), err, "role");
    cm_err_clear(&err);
    u.role = CM_ROLE_COUNT;
    assert_invalid(cm_model_user_validate(&u, &err), err, "role");
    cm_err_clear(&err);
    u.role = CM_ROLE_FAMILY;
    assert_int_equal(cm_model_user_validate(&u, &err), CM_OK);
}

static void
test_user_organization_id_must_not_be_negative(void **state)
{
    (void)state;
    struct cm_user u = user();
    struct cm_err err = {0};
    u.organization_id = 4;
    assert_int_equal(cm_model_user_validate(&u, &err), CM_OK);
    u.organization_id = -1;
    assert_invalid(cm_model_user_validate(&u, &err), err, "organization_id");
}

/* ---- child ----------------------------------------------------------------------------------- */

static void
test_child_record_number_is_required_and_short(void **state)
{
    (void)state;
    char buf[100];
    struct cm_child c = child();
    struct cm_err err = {0};
    c.record_number = repeat(buf, sizeof(buf), "9", 64);
    assert_int_equal(cm_model_child_validate(&c, TODAY, &err), CM_OK);
    const char *bad[] = {NULL, "", repeat(buf, sizeof(buf), "9", 65)};
    for (size_t i = 0; i < CM_ARRAY_LEN(bad); i++) {
        cm_err_clear(&err);
        c.record_number = bad[i];
        assert_invalid(cm_model_child_validate(&c, TODAY, &err), err, "record_number");
    }
}

static void
test_child_birth_date_must_be_a_date(void **state)
{
    (void)state;
    const char *bad[] = {NULL, "", "2019-02-29", "04/05/2019", "2019-5-4"};
    for (size_t i = 0; i < CM_ARRAY_LEN(bad); i++) {
        struct cm_child c = child();
        struct cm_err err = {0};
        c.birth_date = bad[i];
        assert_invalid(cm_model_child_validate(&c, TODAY, &err), err, "birth_date");
    }
}

static void
test_child_birth_date_in_future_is_rejected(void **state)
{
    (void)state;
    struct cm_child c = child();
    struct cm_err err = {0};
    c.birth_date = TODAY; /* born today is fine */
    assert_int_equal(cm_model_child_validate(&c, TODAY, &err), CM_OK);
    c.birth_date = "2026-06-16";
    assert_invalid(cm_model_child_validate(&c, TODAY, &err), err, "birth_date");
}

static void
test_child_older_than_26_is_rejected(void **state)
{
    (void)state;
    struct cm_child c = child();
    struct cm_err err = {0};
    c.birth_date = "1999-06-16"; /* 26 until tomorrow */
    assert_int_equal(cm_model_child_validate(&c, TODAY, &err), CM_OK);
    c.birth_date = "1999-06-15"; /* 27 today */
    assert_invalid(cm_model_child_validate(&c, TODAY, &err), err, "birth_date");
}

static void
test_child_validation_needs_a_real_today(void **state)
{
    (void)state;
    struct cm_child c = child();
    struct cm_err err = {0};
    assert_int_equal(cm_model_child_validate(&c, NULL, &err), CM_EINTERNAL);
    cm_err_clear(&err);
    assert_int_equal(cm_model_child_validate(&c, "today", &err), CM_EINTERNAL);
}

static void
test_child_sex_is_one_of_four_values(void **state)
{
    (void)state;
    const char *good[] = {"female", "male", "other", "unknown", NULL};
    for (size_t i = 0; i < CM_ARRAY_LEN(good); i++) {
        struct cm_child c = child();
        struct cm_err err = {0};
        c.sex = good[i];
        assert_int_equal(cm_model_child_validate(&c, TODAY, &err), CM_OK);
    }
    const char *bad[] = {"", "F", "Female", "intersex"};
    for (size_t i = 0; i < CM_ARRAY_LEN(bad); i++) {
        struct cm_child c = child();
        struct cm_err err = {0};
        c.sex = bad[i];
        assert_invalid(cm_model_child_validate(&c, TODAY, &err), err, "sex");
    }
}

static void
test_child_enrolment_dates_are_dates_in_order(void **state)
{
    (void)state;
    struct cm_child c = child();
    struct cm_err err = {0};
    c.enrolled_on = "2026-01-10";
    c.disenrolled_on = "2026-01-10";
    assert_int_equal(cm_model_child_validate(&c, TODAY, &err), CM_OK);
    c.disenrolled_on = "2026-01-09";
    assert_invalid(cm_model_child_validate(&c, TODAY, &err), err, "disenrolled_on");
    cm_err_clear(&err);
    c.enrolled_on = NULL; /* nothing to compare with */
    assert_int_equal(cm_model_child_validate(&c, TODAY, &err), CM_OK);
    c.enrolled_on = "2026-13-01";
    assert_invalid(cm_model_child_validate(&c, TODAY, &err), err, "enrolled_on");
    cm_err_clear(&err);
    c.enrolled_on = NULL;
    c.disenrolled_on = "2026-02-30";
    assert_invalid(cm_model_child_validate(&c, TODAY, &err), err, "disenrolled_on");
}

static void
test_child_tier_is_0_to_3(void **state)
{
    (void)state;
    for (int tier = 0; tier <= 3; tier++) {
        struct cm_child c = child();
        struct cm_err err = {0};
        c.tier = tier;
        assert_int_equal(cm_model_child_validate(&c, TODAY, &err), CM_OK);
    }
    const int bad[] = {-1, 4, 100};
    for (size_t i = 0; i < CM_ARRAY_LEN(bad); i++) {
        struct cm_child c = child();
        struct cm_err err = {0};
        c.tier = bad[i];
        assert_invalid(cm_model_child_validate(&c, TODAY, &err), err, "tier");
    }
}

/* ---- family member --------------------------------------------------------------------------- */

static void
test_family_relationship_is_one_of_the_documented_list(void **state)
{
    (void)state;
    const char *good[] = {"mother",   "father",  "grandparent",    "foster_parent",
                          "guardian", "sibling", "other_caregiver"};
    for (size_t i = 0; i < CM_ARRAY_LEN(good); i++) {
        struct cm_family_member f = family();
        struct cm_err err = {0};
        f.relationship = good[i];
        assert_int_equal(cm_model_family_member_validate(&f, &err), CM_OK);
    }
    const char *bad[] = {NULL, "", "aunt", "Mother", "other"};
    for (size_t i = 0; i < CM_ARRAY_LEN(bad); i++) {
        struct cm_family_member f = family();
        struct cm_err err = {0};
        f.relationship = bad[i];
        assert_invalid(cm_model_family_member_validate(&f, &err), err, "relationship");
    }
}

static void
test_family_names_and_user_id_are_checked(void **state)
{
    (void)state;
    struct cm_family_member f = family();
    struct cm_err err = {0};
    f.given_name = NULL;
    assert_invalid(cm_model_family_member_validate(&f, &err), err, "given_name");
    f = family();
    cm_err_clear(&err);
    f.email = "nope";
    assert_invalid(cm_model_family_member_validate(&f, &err), err, "email");
    f = family();
    cm_err_clear(&err);
    f.user_id = -5;
    assert_invalid(cm_model_family_member_validate(&f, &err), err, "user_id");
}

/* ---- team member ----------------------------------------------------------------------------- */

static void
test_team_member_sector_is_required(void **state)
{
    (void)state;
    struct cm_team_member t = team();
    struct cm_err err = {0};
    t.sector = CM_SECTOR_NONE;
    assert_invalid(cm_model_team_member_validate(&t, &err), err, "sector");
    cm_err_clear(&err);
    t.sector = CM_SECTOR_COUNT;
    assert_invalid(cm_model_team_member_validate(&t, &err), err, "sector");
    cm_err_clear(&err);
    t.sector = CM_SECTOR_FAMILY_SUPPORT;
    assert_int_equal(cm_model_team_member_validate(&t, &err), CM_OK);
}

static void
test_team_member_role_is_1_to_100_characters(void **state)
{
    (void)state;
    char buf[200];
    struct cm_team_member t = team();
    struct cm_err err = {0};
    t.role = repeat(buf, sizeof(buf), "r", 100);
    assert_int_equal(cm_model_team_member_validate(&t, &err), CM_OK);
    const char *bad[] = {NULL, "", repeat(buf, sizeof(buf), "r", 101)};
    for (size_t i = 0; i < CM_ARRAY_LEN(bad); i++) {
        cm_err_clear(&err);
        t.role = bad[i];
        assert_invalid(cm_model_team_member_validate(&t, &err), err, "role");
    }
}

static void
test_team_member_is_a_user_or_a_named_contact(void **state)
{
    (void)state;
    struct cm_team_member t = team();
    struct cm_err err = {0};
    t.user_id = 0;
    t.name = NULL;
    assert_invalid(cm_model_team_member_validate(&t, &err), err, "name");
    cm_err_clear(&err);
    t.user_id = 7; /* staff: the name comes from the user */
    assert_int_equal(cm_model_team_member_validate(&t, &err), CM_OK);
    t.user_id = -1;
    assert_invalid(cm_model_team_member_validate(&t, &err), err, "user_id");
    cm_err_clear(&err);
    t.user_id = 0;
    t.name = "Ms. School Nurse";
    assert_int_equal(cm_model_team_member_validate(&t, &err), CM_OK);
}

static void
test_team_member_dates_are_checked_and_end_not_before_start(void **state)
{
    (void)state;
    struct cm_team_member t = team();
    struct cm_err err = {0};
    t.end_date = t.start_date;
    assert_int_equal(cm_model_team_member_validate(&t, &err), CM_OK);
    t.end_date = "2026-01-31";
    assert_invalid(cm_model_team_member_validate(&t, &err), err, "end_date");
    cm_err_clear(&err);
    t.end_date = "2026-02-31";
    assert_invalid(cm_model_team_member_validate(&t, &err), err, "end_date");
    t = team();
    cm_err_clear(&err);
    t.start_date = NULL;
    assert_invalid(cm_model_team_member_validate(&t, &err), err, "start_date");
    cm_err_clear(&err);
    t.start_date = "yesterday";
    assert_invalid(cm_model_team_member_validate(&t, &err), err, "start_date");
}

static void
test_team_member_lead_and_contacts_are_checked(void **state)
{
    (void)state;
    struct cm_team_member t = team();
    struct cm_err err = {0};
    t.lead = CM_LEAD_BACKUP;
    assert_int_equal(cm_model_team_member_validate(&t, &err), CM_OK);
    t.lead = CM_LEAD_COUNT;
    assert_invalid(cm_model_team_member_validate(&t, &err), err, "lead");
    t = team();
    cm_err_clear(&err);
    t.phone = "phone";
    assert_invalid(cm_model_team_member_validate(&t, &err), err, "phone");
    t = team();
    cm_err_clear(&err);
    t.organization_id = -2;
    assert_invalid(cm_model_team_member_validate(&t, &err), err, "organization_id");
    t = team();
    cm_err_clear(&err);
    t.service = "";
    assert_invalid(cm_model_team_member_validate(&t, &err), err, "service");
}

/* ---- break-glass ----------------------------------------------------------------------------- */

static void
test_break_glass_reason_is_10_to_500_characters(void **state)
{
    (void)state;
    char buf[2100];
    struct cm_break_glass b = {0};
    struct cm_err err = {0};
    b.reason = repeat(buf, sizeof(buf), "\xC3\xB1", 10); /* 10 characters, 20 bytes */
    assert_int_equal(cm_model_break_glass_validate(&b, &err), CM_OK);
    b.reason = repeat(buf, sizeof(buf), "\xE2\x82\xAC", 500);
    assert_int_equal(cm_model_break_glass_validate(&b, &err), CM_OK);
    const char *bad[] = {NULL, "", "too short", "          ", repeat(buf, sizeof(buf), "r", 501)};
    for (size_t i = 0; i < CM_ARRAY_LEN(bad); i++) {
        cm_err_clear(&err);
        b.reason = bad[i];
        assert_invalid(cm_model_break_glass_validate(&b, &err), err, "reason");
    }
}

/* ---- enums ----------------------------------------------------------------------------------- */

static void
test_role_names_round_trip_for_every_value(void **state)
{
    (void)state;
    for (int v = 0; v < CM_ROLE_COUNT; v++) {
        const char *name = cm_role_name((enum cm_role)v);
        assert_true(name[0] != '\0');
        enum cm_role back = CM_ROLE_COUNT;
        struct cm_err err = {0};
        assert_int_equal(cm_role_parse(name, &back, "role", &err), CM_OK);
        assert_int_equal(back, v);
    }
    assert_string_equal(cm_role_name(CM_ROLE_NURSE_CARE_COORDINATOR), "nurse_care_coordinator");
    assert_string_equal(cm_role_name(CM_ROLE_COMPLEX_CARE_PEDIATRICIAN),
                        "complex_care_pediatrician");
    assert_string_equal(cm_role_name(CM_ROLE_FAMILY), "family");
    assert_string_equal(cm_role_name(CM_ROLE_COUNT), "");
    assert_string_equal(cm_role_name((enum cm_role) - 1), "");
}

static void
test_sector_names_round_trip_for_every_value(void **state)
{
    (void)state;
    for (int v = 0; v < CM_SECTOR_COUNT; v++) {
        const char *name = cm_sector_name((enum cm_sector)v);
        assert_true(name[0] != '\0');
        enum cm_sector back = CM_SECTOR_COUNT;
        struct cm_err err = {0};
        assert_int_equal(cm_sector_parse(name, &back, "sector", &err), CM_OK);
        assert_int_equal(back, v);
    }
    assert_string_equal(cm_sector_name(CM_SECTOR_MENTAL_HEALTH), "mental_health");
    assert_string_equal(cm_sector_name(CM_SECTOR_EQUIPMENT_HOME), "equipment_home");
    assert_string_equal(cm_sector_name(CM_SECTOR_FAMILY_SUPPORT), "family_support");
    assert_string_equal(cm_sector_name(CM_SECTOR_COUNT), "");
}

static void
test_org_type_names_round_trip_for_every_value(void **state)
{
    (void)state;
    for (int v = 0; v < CM_ORG_COUNT; v++) {
        const char *name = cm_org_type_name((enum cm_org_type)v);
        assert_true(name[0] != '\0');
        enum cm_org_type back = CM_ORG_COUNT;
        struct cm_err err = {0};
        assert_int_equal(cm_org_type_parse(name, &back, "type", &err), CM_OK);
        assert_int_equal(back, v);
    }
    assert_string_equal(cm_org_type_name(CM_ORG_DME_SUPPLIER), "dme_supplier");
    assert_string_equal(cm_org_type_name(CM_ORG_HOME_NURSING), "home_nursing");
    assert_string_equal(cm_org_type_name(CM_ORG_COUNT), "");
}

static void
test_lead_names_round_trip_for_every_value(void **state)
{
    (void)state;
    const char *want[] = {"none", "lead", "backup"};
    for (int v = 0; v < CM_LEAD_COUNT; v++) {
        assert_string_equal(cm_lead_name((enum cm_lead)v), want[v]);
        enum cm_lead back = CM_LEAD_COUNT;
        struct cm_err err = {0};
        assert_int_equal(cm_lead_parse(want[v], &back, "lead", &err), CM_OK);
        assert_int_equal(back, v);
    }
    assert_string_equal(cm_lead_name(CM_LEAD_COUNT), "");
}

static void
test_unknown_enum_names_fail_naming_the_field_and_the_choices(void **state)
{
    (void)state;
    struct cm_err err = {0};
    enum cm_role r = CM_ROLE_ANALYST;
    assert_invalid(cm_role_parse("doctor", &r, "role", &err), err, "role");
    assert_int_equal(r, CM_ROLE_ANALYST);
    assert_non_null(strstr(err.msg, "nurse_care_coordinator"));
    assert_non_null(strstr(err.msg, "family"));
    cm_err_clear(&err);
    enum cm_sector s = CM_SECTOR_MEDICAL;
    assert_invalid(cm_sector_parse("Medical", &s, "sector", &err), err, "sector");
    assert_non_null(strstr(err.msg, "family_support"));
    cm_err_clear(&err);
    enum cm_org_type t = CM_ORG_CLINIC;
    assert_invalid(cm_org_type_parse("", &t, "type", &err), err, "type");
    assert_non_null(strstr(err.msg, "dme_supplier"));
    cm_err_clear(&err);
    enum cm_lead l = CM_LEAD_NONE;
    assert_invalid(cm_lead_parse(NULL, &l, "lead", &err), err, "lead");
    assert_non_null(strstr(err.msg, "backup"));
}

static void
test_role_predicates_follow_the_access_rules(void **state)
{
    (void)state;
    for (int v = 0; v < CM_ROLE_COUNT; v++) {
        enum cm_role r = (enum cm_role)v;
        bool wide = r == CM_ROLE_ADMINISTRATOR || r == CM_ROLE_PROGRAM_MANAGER;
        bool glass = r == CM_ROLE_COMPLEX_CARE_PEDIATRICIAN ||
                     r == CM_ROLE_PRIMARY_CARE_CLINICIAN || r == CM_ROLE_NURSE_CARE_COORDINATOR;
        bool staff = r != CM_ROLE_NONE && r != CM_ROLE_FAMILY;
        assert_int_equal(cm_role_is_program_wide(r), wide);
        assert_int_equal(cm_role_may_break_glass(r), glass);
        assert_int_equal(cm_role_is_staff(r), staff);
    }
    assert_false(cm_role_is_staff(CM_ROLE_COUNT));
    assert_true(cm_role_is_staff(CM_ROLE_ANALYST));
    assert_false(cm_role_may_break_glass(CM_ROLE_SOCIAL_WORKER));
}

/* ---- age ------------------------------------------------------------------------------------- */

static void
test_age_grows_on_the_birthday_not_before(void **state)
{
    (void)state;
    assert_int_equal(cm_model_age_years("2017-03-02", "2026-03-01"), 8);
    assert_int_equal(cm_model_age_years("2017-03-02", "2026-03-02"), 9);
    assert_int_equal(cm_model_age_years("2017-03-02", "2026-12-31"), 9);
    assert_int_equal(cm_model_age_years("2017-12-31", "2018-12-30"), 0);
    assert_int_equal(cm_model_age_years("2017-12-31", "2018-12-31"), 1);
    assert_int_equal(cm_model_age_years(TODAY, TODAY), 0);
}

static void
test_age_of_a_leap_day_birth_turns_on_1_march_in_common_years(void **state)
{
    (void)state;
    assert_int_equal(cm_model_age_years("2020-02-29", "2021-02-28"), 0);
    assert_int_equal(cm_model_age_years("2020-02-29", "2021-03-01"), 1);
    assert_int_equal(cm_model_age_years("2020-02-29", "2024-02-28"), 3);
    assert_int_equal(cm_model_age_years("2020-02-29", "2024-02-29"), 4);
    /* Born on 1 March, a leap day today is still the day before the birthday. */
    assert_int_equal(cm_model_age_years("2019-03-01", "2024-02-29"), 4);
    assert_int_equal(cm_model_age_years("2019-03-01", "2024-03-01"), 5);
}

static void
test_age_of_bad_or_future_dates_is_minus_one(void **state)
{
    (void)state;
    assert_int_equal(cm_model_age_years("2019-02-29", TODAY), -1);
    assert_int_equal(cm_model_age_years(NULL, TODAY), -1);
    assert_int_equal(cm_model_age_years("2019-01-01", "soon"), -1);
    assert_int_equal(cm_model_age_years("2027-01-01", TODAY), -1);
}

int
main(void)
{
    const struct CMUnitTest tests[] = {
        cmocka_unit_test(test_valid_records_pass),
        cmocka_unit_test(test_optional_fields_may_be_absent),
        cmocka_unit_test(test_names_of_200_characters_pass_and_201_fail),
        cmocka_unit_test(test_empty_blank_or_missing_names_fail),
        cmocka_unit_test(test_names_with_control_characters_or_bad_utf8_fail),
        cmocka_unit_test(test_free_text_allows_line_breaks_up_to_2000_characters),
        cmocka_unit_test(test_organization_name_is_required),
        cmocka_unit_test(test_organization_type_out_of_range_fails),
        cmocka_unit_test(test_email_needs_one_at_and_no_spaces),
        cmocka_unit_test(test_email_of_254_bytes_passes),
        cmocka_unit_test(test_phone_takes_digits_and_common_punctuation_only),
        cmocka_unit_test(test_user_language_is_en_or_es),
        cmocka_unit_test(test_preferred_language_is_a_language_tag),
        cmocka_unit_test(test_username_is_3_to_64_of_lowercase_digits_dot_underscore_dash),
        cmocka_unit_test(test_user_display_name_and_role_are_required),
        cmocka_unit_test(test_user_organization_id_must_not_be_negative),
        cmocka_unit_test(test_child_record_number_is_required_and_short),
        cmocka_unit_test(test_child_birth_date_must_be_a_date),
        cmocka_unit_test(test_child_birth_date_in_future_is_rejected),
        cmocka_unit_test(test_child_older_than_26_is_rejected),
        cmocka_unit_test(test_child_validation_needs_a_real_today),
        cmocka_unit_test(test_child_sex_is_one_of_four_values),
        cmocka_unit_test(test_child_enrolment_dates_are_dates_in_order),
        cmocka_unit_test(test_child_tier_is_0_to_3),
        cmocka_unit_test(test_family_relationship_is_one_of_the_documented_list),
        cmocka_unit_test(test_family_names_and_user_id_are_checked),
        cmocka_unit_test(test_team_member_sector_is_required),
        cmocka_unit_test(test_team_member_role_is_1_to_100_characters),
        cmocka_unit_test(test_team_member_is_a_user_or_a_named_contact),
        cmocka_unit_test(test_team_member_dates_are_checked_and_end_not_before_start),
        cmocka_unit_test(test_team_member_lead_and_contacts_are_checked),
        cmocka_unit_test(test_break_glass_reason_is_10_to_500_characters),
        cmocka_unit_test(test_role_names_round_trip_for_every_value),
        cmocka_unit_test(test_sector_names_round_trip_for_every_value),
        cmocka_unit_test(test_org_type_names_round_trip_for_every_value),
        cmocka_unit_test(test_lead_names_round_trip_for_every_value),
        cmocka_unit_test(test_unknown_enum_names_fail_naming_the_field_and_the_choices),
        cmocka_unit_test(test_role_predicates_follow_the_access_rules),
        cmocka_unit_test(test_age_grows_on_the_birthday_not_before),
        cmocka_unit_test(test_age_of_a_leap_day_birth_turns_on_1_march_in_common_years),
        cmocka_unit_test(test_age_of_bad_or_future_dates_is_minus_one),
    };
    return cmocka_run_group_tests_name("model", tests, NULL, NULL);
}
