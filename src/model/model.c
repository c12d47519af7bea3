/*
 * model: enumeration names, role predicates, and the validation of every record, declared as small
 * checks that each name the JSON field at fault (docs/api.md) so the API can say which one.
 *
 * Rules that hold for every record:
 *  - A const char * that "may be NULL" is absent when NULL; when it is present it must be valid, so
 *    an empty string is not a way of saying "none" (the API maps JSON null to NULL).
 *  - Lengths count Unicode code points, not bytes, because a Spanish name with accents must not
 *    hit the limit sooner than an English one.
 *  - Text is valid UTF-8 without control characters; only free text (addresses) may hold line
 *    breaks and tabs.
 *  - Each enum's parse accepts exactly the names its *_name function returns, including "none"
 *    for the zero value, so every stored value reads back; the validators refuse NONE where a value
 *    is required.
 */
#include "model/model.h"

#include <string.h>

/* ---- enumerations ---------------------------------------------------------------------------- */

static const char *const role_names[CM_ROLE_COUNT] = {
    [CM_ROLE_NONE] = "none",
    [CM_ROLE_ADMINISTRATOR] = "administrator",
    [CM_ROLE_PROGRAM_MANAGER] = "program_manager",
    [CM_ROLE_COMPLEX_CARE_PEDIATRICIAN] = "complex_care_pediatrician",
    [CM_ROLE_PRIMARY_CARE_CLINICIAN] = "primary_care_clinician",
    [CM_ROLE_NURSE_CARE_COORDINATOR] = "nurse_care_coordinator",
    [CM_ROLE_SOCIAL_WORKER] = "social_worker",
    [CM_ROLE_FAMILY_NAVIGATOR] = "family_navigator",
    [CM_ROLE_COMMUNITY_HEALTH_WORKER] = "community_health_worker",
    [CM_ROLE_ANALYST] = "analyst",
    [CM_ROLE_FAMILY] = "family",
};

static const char *const sector_names[CM_SECTOR_COUNT] = {
    [CM_SECTOR_NONE] = "none",
    [CM_SECTOR_MEDICAL] = "medical",
    [CM_SECTOR_MENTAL_HEALTH] = "mental_health",
    [CM_SECTOR_EDUCATION] = "education",
    [CM_SECTOR_COMMUNITY] = "community",
    [CM_SECTOR_EQUIPMENT_HOME] = "equipment_home",
    [CM_SECTOR_PAYER] = "payer",
    [CM_SECTOR_FAMILY_SUPPORT] = "family_support",
};

static const char *const org_type_names[CM_ORG_COUNT] = {
    [CM_ORG_NONE] = "none",
    [CM_ORG_PRACTICE] = "practice",
    [CM_ORG_HOSPITAL] = "hospital",
    [CM_ORG_CLINIC] = "clinic",
    [CM_ORG_SCHOOL] = "school",
    [CM_ORG_AGENCY] = "agency",
    [CM_ORG_PAYER] = "payer",
    [CM_ORG_DME_SUPPLIER] = "dme_supplier",
    [CM_ORG_HOME_NURSING] = "home_nursing",
    [CM_ORG_COMMUNITY] = "community",
};

static const char *const lead_names[CM_LEAD_COUNT] = {
    [CM_LEAD_NONE] = "none",
    [CM_LEAD_LEAD] = "lead",
    [CM_LEAD_BACKUP] = "backup",
};

static const char *
name_of(const char *const *names, size_t count, int v)
{
    if (v < 0 || (size_t)v >= count)
        return "";
    return names[v];
}

/* Looks s up in names. The error lists the names a client should send: from first_listed on, which
 * leaves out "none" where "none" is not a meaningful choice. */
static enum cm_code
parse_of(const char *const *names, size_t count, size_t first_listed, const char *s, int *out,
         const char *field, struct cm_err *err)
{
    if (s != NULL) {
        for (size_t i = 0; i < count; i++) {
            if (strcmp(s, names[i]) == 0) {
                *out = (int)i;
                return CM_OK;
            }
        }
    }
    char list[200];
    size_t n = 0;
    list[0] = '\0';
    for (size_t i = first_listed; i < count; i++) {
        int m =
            snprintf(list + n, sizeof(list) - n, "%s%s", i > first_listed ? ", " : "", names[i]);
        if (m < 0 || (size_t)m >= sizeof(list) - n)
            break; /* the list is a hint; a cut one still names the field */
        n += (size_t)m;
    }
    return cm_err_set(err, CM_EINVAL, field, "must be one of %s", list);
}

const char *
cm_role_name(enum cm_role r)
{
    return name_of(role_names, CM_ARRAY_LEN(role_names), (int)r);
}

enum cm_code
cm_role_parse(const char *s, enum cm_role *out, const char *field, struct cm_err *err)
{
    int v = 0;
    enum cm_code rc = parse_of(role_names, CM_ARRAY_LEN(role_names), 1, s, &v, field, err);
    if (rc == CM_OK)
        *out = (enum cm_role)v;
    return rc;
}

const char *
cm_sector_name(enum cm_sector s)
{
    return name_of(sector_names, CM_ARRAY_LEN(sector_names), (int)s);
}

enum cm_code
cm_sector_parse(const char *s, enum cm_sector *out, const char *field, struct cm_err *err)
{
    int v = 0;
    enum cm_code rc = parse_of(sector_names, CM_ARRAY_LEN(sector_names), 1, s, &v, field, err);
    if (rc == CM_OK)
        *out = (enum cm_sector)v;
    return rc;
}

const char *
cm_org_type_name(enum cm_org_type t)
{
    return name_of(org_type_names, CM_ARRAY_LEN(org_type_names), (int)t);
}

enum cm_code
cm_org_type_parse(const char *s, enum cm_org_type *out, const char *field, struct cm_err *err)
{
    int v = 0;
    enum cm_code rc = parse_of(org_type_names, CM_ARRAY_LEN(org_type_names), 1, s, &v, field, err);
    if (rc == CM_OK)
        *out = (enum cm_org_type)v;
    return rc;
}

const char *
cm_lead_name(enum cm_lead l)
{
    return name_of(lead_names, CM_ARRAY_LEN(lead_names), (int)l);
}

enum cm_code
cm_lead_parse(const char *s, enum cm_lead *out, const char *field, struct cm_err *err)
{
    int v = 0;
    /* "none" is a real choice for lead (it clears the flag), so it is listed. */
    enum cm_code rc = parse_of(lead_names, CM_ARRAY_LEN(lead_names), 0, s, &v, field, err);
    if (rc == CM_OK)
        *out = (enum cm_lead)v;
    return rc;
}

/* ---- roles ----------------------------------------------------------------------------------- */

bool
cm_role_is_program_wide(enum cm_role r)
{
    return r == CM_ROLE_ADMINISTRATOR || r == CM_ROLE_PROGRAM_MANAGER;
}

bool
cm_role_may_break_glass(enum cm_role r)
{
    /* Only clinicians who may have to act on a child's information in an emergency (docs/api.md,
     * "Who may do what"). */
    return r == CM_ROLE_COMPLEX_CARE_PEDIATRICIAN || r == CM_ROLE_PRIMARY_CARE_CLINICIAN ||
           r == CM_ROLE_NURSE_CARE_COORDINATOR;
}

bool
cm_role_is_staff(enum cm_role r)
{
    return r > CM_ROLE_NONE && r < CM_ROLE_COUNT && r != CM_ROLE_FAMILY;
}

/* ---- text checks ----------------------------------------------------------------------------- */

#define NAME_MAX_CP      200
#define FREE_TEXT_MAX_CP 2000
#define RECORD_NUMBER_CP 64
#define TEAM_ROLE_MAX_CP 100
#define EMAIL_MAX        254 /* RFC 5321's path limit less the angle brackets */
#define PHONE_MIN        7
#define PHONE_MAX        32
#define PHONE_MIN_DIGITS 7
#define REASON_MIN_CP    10
#define REASON_MAX_CP    500
/* The product serves children and young adults up to transition: a policy, not a clinical rule. */
#define MAX_CHILD_AGE 26

/* Checks s is valid UTF-8 of min..max code points with no control characters (tabs and line breaks
 * only when multiline) and, when min > 0, not only white space. */
static enum cm_code
text(const char *s, size_t min, size_t max, bool multiline, const char *field, struct cm_err *err)
{
    size_t len = strlen(s);
    if (!cm_utf8_valid(s, len))
        return cm_err_set(err, CM_EINVAL, field, "must be valid UTF-8");
    const unsigned char *p = (const unsigned char *)s;
    size_t cps = 0;
    bool blank = true;
    for (size_t i = 0; i < len; i++) {
        unsigned char c = p[i];
        if ((c & 0xC0) != 0x80)
            cps++;
        if (c < 0x20 || c == 0x7F) {
            if (!(multiline && (c == '\t' || c == '\n' || c == '\r')))
                return cm_err_set(err, CM_EINVAL, field, "must not contain control characters");
        }
        /* C1 controls U+0080..U+009F are encoded C2 80..C2 9F. */
        if (c == 0xC2 && i + 1 < len && p[i + 1] < 0xA0)
            return cm_err_set(err, CM_EINVAL, field, "must not contain control characters");
        if (c != ' ' && c != '\t' && c != '\n' && c != '\r')
            blank = false;
    }
    if (cps < min || cps > max) {
        if (min == 0)
            return cm_err_set(err, CM_EINVAL, field, "must be at most %zu characters", max);
        return cm_err_set(err, CM_EINVAL, field, "must be %zu to %zu characters", min, max);
    }
    if (min > 0 && blank)
        return cm_err_set(err, CM_EINVAL, field, "must not be blank");
    return CM_OK;
}

static enum cm_code
required(const char *s, const char *field, struct cm_err *err)
{
    if (s == NULL)
        return cm_err_set(err, CM_EINVAL, field, "is required");
    return CM_OK;
}

/* A person's or organisation's name: required, 1-200 characters. */
static enum cm_code
name_required(const char *s, const char *field, struct cm_err *err)
{
    enum cm_code rc = required(s, field, err);
    if (rc != CM_OK)
        return rc;
    return text(s, 1, NAME_MAX_CP, false, field, err);
}

static enum cm_code
name_optional(const char *s, const char *field, struct cm_err *err)
{
    if (s == NULL)
        return CM_OK;
    return text(s, 1, NAME_MAX_CP, false, field, err);
}

static enum cm_code
free_text_optional(const char *s, const char *field, struct cm_err *err)
{
    if (s == NULL)
        return CM_OK;
    return text(s, 0, FREE_TEXT_MAX_CP, true, field, err);
}

/* One @ with something on each side, no white space or control characters, at most 254 bytes.
 * Deliverability is the mail server's business; this only catches typing slips. */
static enum cm_code
email_optional(const char *s, const char *field, struct cm_err *err)
{
    if (s == NULL)
        return CM_OK;
    size_t len = strlen(s);
    if (len == 0 || len > EMAIL_MAX)
        return cm_err_set(err, CM_EINVAL, field, "must be an e-mail address of at most %d bytes",
                          EMAIL_MAX);
    if (!cm_utf8_valid(s, len))
        return cm_err_set(err, CM_EINVAL, field, "must be valid UTF-8");
    const char *at = strchr(s, '@');
    if (at == NULL || at == s || at[1] == '\0' || strchr(at + 1, '@') != NULL)
        return cm_err_set(err, CM_EINVAL, field, "must be an e-mail address like name@example.org");
    for (const unsigned char *p = (const unsigned char *)s; *p != '\0'; p++) {
        if (*p <= ' ' || *p == 0x7F)
            return cm_err_set(err, CM_EINVAL, field, "must not contain spaces");
    }
    return CM_OK;
}

/* Digits and the punctuation people write numbers with; 7-32 characters with at least 7 digits, so
 * an extension ("x12") or an international prefix fits but a stray word does not. */
static enum cm_code
phone_optional(const char *s, const char *field, struct cm_err *err)
{
    if (s == NULL)
        return CM_OK;
    size_t len = strlen(s);
    size_t digits = 0;
    for (size_t i = 0; i < len; i++) {
        char c = s[i];
        if (c >= '0' && c <= '9') {
            digits++;
        } else if (strchr(" +-().xX", c) == NULL) {
            return cm_err_set(err, CM_EINVAL, field,
                              "may hold only digits, spaces and + - ( ) . x");
        }
    }
    if (len < PHONE_MIN || len > PHONE_MAX || digits < PHONE_MIN_DIGITS)
        return cm_err_set(err, CM_EINVAL, field,
                          "must be a phone number of %d to %d characters with at least %d digits",
                          PHONE_MIN, PHONE_MAX, PHONE_MIN_DIGITS);
    return CM_OK;
}

static bool
is_alpha(char c)
{
    return (c >= 'a' && c <= 'z') || (c >= 'A' && c <= 'Z');
}

static bool
is_digit(char c)
{
    return c >= '0' && c <= '9';
}

/* A BCP 47 language tag of the common shape: a 2-3 letter ISO 639 language, optionally followed by
 * "-" and an ISO 3166 region (2 letters) or a UN M.49 region (3 digits): "en", "es-MX", "es-419".
 * Tags are case-insensitive (RFC 5646 section 2.1.1). */
static enum cm_code
language_tag_optional(const char *s, const char *field, struct cm_err *err)
{
    if (s == NULL)
        return CM_OK;
    size_t i = 0;
    while (is_alpha(s[i]))
        i++;
    bool ok = i >= 2 && i <= 3;
    if (ok && s[i] == '-') {
        const char *r = s + i + 1;
        ok = (is_alpha(r[0]) && is_alpha(r[1]) && r[2] == '\0') ||
             (is_digit(r[0]) && is_digit(r[1]) && is_digit(r[2]) && r[3] == '\0');
    } else if (ok) {
        ok = s[i] == '\0';
    }
    if (!ok)
        return cm_err_set(err, CM_EINVAL, field,
                          "must be a language tag like \"en\", \"es\" or \"es-MX\"");
    return CM_OK;
}

static enum cm_code
date_optional(const char *s, const char *field, struct cm_err *err)
{
    if (s == NULL)
        return CM_OK;
    return cm_date_check(s, field, err);
}

static enum cm_code
id_optional(int64_t id, const char *field, struct cm_err *err)
{
    if (id < 0)
        return cm_err_set(err, CM_EINVAL, field, "must be a positive id");
    return CM_OK;
}

/* Dates are fixed-width YYYY-MM-DD once checked, so byte order is calendar order. */
static int
date_cmp(const char *a, const char *b)
{
    return strcmp(a, b);
}

/* ---- records --------------------------------------------------------------------------------- */

enum cm_code
cm_model_organization_validate(const struct cm_organization *o, struct cm_err *err)
{
    enum cm_code rc = name_required(o->name, "name", err);
    if (rc == CM_OK && ((int)o->type < 0 || o->type >= CM_ORG_COUNT))
        rc = cm_err_set(err, CM_EINVAL, "type", "is not a known organization type");
    if (rc == CM_OK)
        rc = phone_optional(o->phone, "phone", err);
    if (rc == CM_OK)
        rc = email_optional(o->email, "email", err);
    if (rc == CM_OK)
        rc = free_text_optional(o->address, "address", err);
    return rc;
}

enum cm_code
cm_model_user_validate(const struct cm_user *u, struct cm_err *err)
{
    enum cm_code rc = required(u->username, "username", err);
    if (rc != CM_OK)
        return rc;
    size_t len = strlen(u->username);
    if (len < 3 || len > 64)
        return cm_err_set(err, CM_EINVAL, "username", "must be 3 to 64 characters");
    for (size_t i = 0; i < len; i++) {
        char c = u->username[i];
        if (!((c >= 'a' && c <= 'z') || is_digit(c) || c == '.' || c == '_' || c == '-'))
            return cm_err_set(err, CM_EINVAL, "username",
                              "may hold only lowercase letters, digits and . _ -");
    }
    rc = name_required(u->display_name, "display_name", err);
    if (rc != CM_OK)
        return rc;
    if (u->role <= CM_ROLE_NONE || u->role >= CM_ROLE_COUNT)
        return cm_err_set(err, CM_EINVAL, "role", "is required");
    rc = id_optional(u->organization_id, "organization_id", err);
    if (rc != CM_OK)
        return rc;
    /* The UI and the plan documents exist in these two languages only. */
    if (u->language == NULL || (strcmp(u->language, "en") != 0 && strcmp(u->language, "es") != 0))
        return cm_err_set(err, CM_EINVAL, "language", "must be \"en\" or \"es\"");
    rc = email_optional(u->email, "email", err);
    if (rc == CM_OK)
        rc = phone_optional(u->phone, "phone", err);
    return rc;
}

enum cm_code
cm_model_child_validate(const struct cm_child *c, const char *today, struct cm_err *err)
{
    if (today == NULL || cm_date_check(today, "today", NULL) != CM_OK)
        return cm_err_set(err, CM_EINTERNAL, "", "validation needs today's date");
    enum cm_code rc = required(c->record_number, "record_number", err);
    if (rc == CM_OK)
        rc = text(c->record_number, 1, RECORD_NUMBER_CP, false, "record_number", err);
    if (rc == CM_OK)
        rc = name_required(c->given_name, "given_name", err);
    if (rc == CM_OK)
        rc = name_required(c->family_name, "family_name", err);
    if (rc == CM_OK)
        rc = name_optional(c->preferred_name, "preferred_name", err);
    if (rc == CM_OK)
        rc = required(c->birth_date, "birth_date", err);
    if (rc == CM_OK)
        rc = cm_date_check(c->birth_date, "birth_date", err);
    if (rc != CM_OK)
        return rc;
    if (date_cmp(c->birth_date, today) > 0)
        return cm_err_set(err, CM_EINVAL, "birth_date", "must not be in the future");
    if (cm_model_age_years(c->birth_date, today) > MAX_CHILD_AGE)
        return cm_err_set(err, CM_EINVAL, "birth_date",
                          "gives an age over %d years; caremap serves children and young adults",
                          MAX_CHILD_AGE);
    if (c->sex != NULL && strcmp(c->sex, "female") != 0 && strcmp(c->sex, "male") != 0 &&
        strcmp(c->sex, "other") != 0 && strcmp(c->sex, "unknown") != 0)
        return cm_err_set(err, CM_EINVAL, "sex", "must be one of female, male, other, unknown");
    rc = language_tag_optional(c->preferred_language, "preferred_language", err);
    if (rc == CM_OK)
        rc = date_optional(c->enrolled_on, "enrolled_on", err);
    if (rc == CM_OK)
        rc = date_optional(c->disenrolled_on, "disenrolled_on", err);
    if (rc != CM_OK)
        return rc;
    if (c->enrolled_on != NULL && c->disenrolled_on != NULL &&
        date_cmp(c->disenrolled_on, c->enrolled_on) < 0)
        return cm_err_set(err, CM_EINVAL, "disenrolled_on", "must not be before enrolled_on");
    if (c->tier < 0 || c->tier > 3)
        return cm_err_set(err, CM_EINVAL, "tier", "must be 1, 2 or 3 (or unset)");
    return CM_OK;
}

enum cm_code
cm_model_family_member_validate(const struct cm_family_member *f, struct cm_err *err)
{
    static const char *const relationships[] = {
        "mother",   "father",  "grandparent",     "foster_parent",
        "guardian", "sibling", "other_caregiver",
    };
    enum cm_code rc = name_required(f->given_name, "given_name", err);
    if (rc == CM_OK)
        rc = name_required(f->family_name, "family_name", err);
    if (rc == CM_OK)
        rc = required(f->relationship, "relationship", err);
    if (rc != CM_OK)
        return rc;
    bool known = false;
    for (size_t i = 0; i < CM_ARRAY_LEN(relationships); i++)
        known = known || strcmp(f->relationship, relationships[i]) == 0;
    if (!known)
        return cm_err_set(err, CM_EINVAL, "relationship",
                          "must be one of mother, father, grandparent, foster_parent, guardian, "
                          "sibling, other_caregiver");
    rc = phone_optional(f->phone, "phone", err);
    if (rc == CM_OK)
        rc = email_optional(f->email, "email", err);
    if (rc == CM_OK)
        rc = language_tag_optional(f->preferred_language, "preferred_language", err);
    if (rc == CM_OK)
        rc = id_optional(f->user_id, "user_id", err);
    return rc;
}

enum cm_code
cm_model_team_member_validate(const struct cm_team_member *t, struct cm_err *err)
{
    if (t->user_id < 0)
        return cm_err_set(err, CM_EINVAL, "user_id", "must be a positive id");
    /* An external contact has only a name to go by; a staff member's name comes from the user. */
    enum cm_code rc =
        t->user_id == 0 ? name_required(t->name, "name", err) : name_optional(t->name, "name", err);
    if (rc == CM_OK)
        rc = required(t->role, "role", err);
    if (rc == CM_OK)
        rc = text(t->role, 1, TEAM_ROLE_MAX_CP, false, "role", err);
    if (rc == CM_OK)
        rc = name_optional(t->service, "service", err);
    if (rc != CM_OK)
        return rc;
    if (t->sector <= CM_SECTOR_NONE || t->sector >= CM_SECTOR_COUNT)
        return cm_err_set(err, CM_EINVAL, "sector",
                          "is required: medical, mental_health, education, community, "
                          "equipment_home, payer or family_support");
    rc = id_optional(t->organization_id, "organization_id", err);
    if (rc == CM_OK)
        rc = phone_optional(t->phone, "phone", err);
    if (rc == CM_OK)
        rc = email_optional(t->email, "email", err);
    if (rc == CM_OK)
        rc = required(t->start_date, "start_date", err);
    if (rc == CM_OK)
        rc = cm_date_check(t->start_date, "start_date", err);
    if (rc == CM_OK)
        rc = date_optional(t->end_date, "end_date", err);
    if (rc != CM_OK)
        return rc;
    if (t->end_date != NULL && date_cmp(t->end_date, t->start_date) < 0)
        return cm_err_set(err, CM_EINVAL, "end_date", "must not be before start_date");
    if ((int)t->lead < 0 || t->lead >= CM_LEAD_COUNT)
        return cm_err_set(err, CM_EINVAL, "lead", "must be lead, backup or none");
    return CM_OK;
}

enum cm_code
cm_model_break_glass_validate(const struct cm_break_glass *b, struct cm_err *err)
{
    /* A reason long enough to be reviewed afterwards, not a single word. */
    enum cm_code rc = required(b->reason, "reason", err);
    if (rc == CM_OK)
        rc = text(b->reason, REASON_MIN_CP, REASON_MAX_CP, true, "reason", err);
    return rc;
}

/* ---- age ------------------------------------------------------------------------------------- */

int
cm_model_age_years(const char *birth_date, const char *today)
{
    if (cm_date_check(birth_date, "birth_date", NULL) != CM_OK ||
        cm_date_check(today, "today", NULL) != CM_OK || date_cmp(birth_date, today) > 0)
        return -1;
    /* Both are checked YYYY-MM-DD, so fixed positions hold the parts. */
    int by = (birth_date[0] - '0') * 1000 + (birth_date[1] - '0') * 100 +
             (birth_date[2] - '0') * 10 + (birth_date[3] - '0');
    int ty =
        (today[0] - '0') * 1000 + (today[1] - '0') * 100 + (today[2] - '0') * 10 + (today[3] - '0');
    int age = ty - by;
    /* The birthday has not come yet this year when today's MM-DD sorts before the birth MM-DD.
     * Someone born on 29 February therefore turns a year older on 1 March in common years. */
    if (strcmp(today + 5, birth_date + 5) < 0)
        age--;
    return age;
}
