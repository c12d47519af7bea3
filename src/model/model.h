/*
 * model: caremap's domain types, their names in the people's words, and their validation.
 * No I/O here. Strings in these structs are borrowed: whoever filled the struct owns them (usually
 * a request arena). Validation fills err with the first bad field (its JSON name) and returns
 * CM_EINVAL.
 */
#ifndef CM_MODEL_H
#define CM_MODEL_H

#include "core/core.h"

/* ---- enumerations, each with a stable lowercase name used in JSON, SQL and the UI ------------ */

enum cm_role {
    CM_ROLE_NONE = 0,
    CM_ROLE_ADMINISTRATOR,
    CM_ROLE_PROGRAM_MANAGER,
    CM_ROLE_COMPLEX_CARE_PEDIATRICIAN,
    CM_ROLE_PRIMARY_CARE_CLINICIAN,
    CM_ROLE_NURSE_CARE_COORDINATOR,
    CM_ROLE_SOCIAL_WORKER,
    CM_ROLE_FAMILY_NAVIGATOR,
    CM_ROLE_COMMUNITY_HEALTH_WORKER,
    CM_ROLE_ANALYST,
    CM_ROLE_FAMILY, /* a parent or guardian's own account */
    CM_ROLE_COUNT
};

enum cm_sector {
    CM_SECTOR_NONE = 0,
    CM_SECTOR_MEDICAL,
    CM_SECTOR_MENTAL_HEALTH, /* mental and behavioural health */
    CM_SECTOR_EDUCATION,
    CM_SECTOR_COMMUNITY,      /* community and social services */
    CM_SECTOR_EQUIPMENT_HOME, /* equipment and home services */
    CM_SECTOR_PAYER,          /* payer and benefits */
    CM_SECTOR_FAMILY_SUPPORT, /* family and informal supports */
    CM_SECTOR_COUNT
};

enum cm_org_type {
    CM_ORG_NONE = 0,
    CM_ORG_PRACTICE,
    CM_ORG_HOSPITAL,
    CM_ORG_CLINIC,
    CM_ORG_SCHOOL,
    CM_ORG_AGENCY,
    CM_ORG_PAYER,
    CM_ORG_DME_SUPPLIER,
    CM_ORG_HOME_NURSING,
    CM_ORG_COMMUNITY,
    CM_ORG_COUNT
};

/* A care team member's standing as coordinator: the one lead, the one backup, or neither. */
enum cm_lead { CM_LEAD_NONE = 0, CM_LEAD_LEAD, CM_LEAD_BACKUP, CM_LEAD_COUNT };

/* Name <-> value. *_name returns "" for an out-of-range value; *_parse returns CM_EINVAL (and sets
 * err naming field and listing the allowed names) for an unknown name. */
const char *cm_role_name(enum cm_role r);
CM_MUST_CHECK enum cm_code cm_role_parse(const char *s, enum cm_role *out, const char *field,
                                         struct cm_err *err);
const char *cm_sector_name(enum cm_sector s);
CM_MUST_CHECK enum cm_code cm_sector_parse(const char *s, enum cm_sector *out, const char *field,
                                           struct cm_err *err);
const char *cm_org_type_name(enum cm_org_type t);
CM_MUST_CHECK enum cm_code cm_org_type_parse(const char *s, enum cm_org_type *out,
                                             const char *field, struct cm_err *err);
const char *cm_lead_name(enum cm_lead l);
CM_MUST_CHECK enum cm_code cm_lead_parse(const char *s, enum cm_lead *out, const char *field,
                                         struct cm_err *err);

/* Staff who see every child of their program (by explicit program-wide role). */
bool cm_role_is_program_wide(enum cm_role r);
/* Clinicians who may use break-glass access. */
bool cm_role_may_break_glass(enum cm_role r);
/* Roles that are staff (everything but NONE and FAMILY). */
bool cm_role_is_staff(enum cm_role r);

/* ---- records --------------------------------------------------------------------------------- */

/* Every stored record carries these. version starts at 1 and grows by one on each update; it is the
 * ETag. Times are UTC epoch seconds. */
struct cm_meta {
    int64_t id;
    int64_t version;
    int64_t created_at;
    int64_t updated_at;
    int64_t updated_by; /* user id, 0 for the system (migrations, demo) */
};

struct cm_program {
    struct cm_meta meta;
    const char *name;
};

struct cm_organization {
    struct cm_meta meta;
    int64_t program_id;
    const char *name;
    enum cm_org_type type;
    const char *phone;   /* may be NULL */
    const char *email;   /* may be NULL */
    const char *address; /* may be NULL */
};

struct cm_user {
    struct cm_meta meta;
    int64_t program_id;
    const char *username;     /* 3-64 of [a-z0-9._-], unique */
    const char *display_name; /* 1-200 characters */
    enum cm_role role;
    int64_t organization_id; /* 0 when none */
    const char *language;    /* "en" or "es" */
    const char *email;       /* may be NULL */
    const char *phone;       /* may be NULL */
    bool disabled;
    const char *password_hash; /* argon2id string; never serialised */
};

struct cm_child {
    struct cm_meta meta;
    int64_t program_id;
    const char *record_number; /* the program's identifier, unique in the program */
    const char *given_name;
    const char *family_name;
    const char *preferred_name;     /* may be NULL */
    const char *birth_date;         /* YYYY-MM-DD, not in the future */
    const char *sex;                /* "female", "male", "other", "unknown" */
    const char *preferred_language; /* BCP 47 tag: "en", "es", ... */
    const char *enrolled_on;        /* YYYY-MM-DD, may be NULL */
    const char *disenrolled_on;     /* YYYY-MM-DD, may be NULL; not before enrolled_on */
    int tier;                       /* coordination intensity 1 (lowest) .. 3 (highest), 0 unset */
    int64_t plan_updated_at;        /* last change to the shared plan of care, 0 never */
};

struct cm_family_member {
    struct cm_meta meta;
    int64_t child_id;
    const char *given_name;
    const char *family_name;
    const char *relationship; /* "mother", "father", "grandparent", "foster_parent", "guardian",
                                 "sibling", "other_caregiver" */
    bool is_guardian;
    bool lives_with_child;
    const char *phone;              /* may be NULL */
    const char *email;              /* may be NULL */
    const char *preferred_language; /* BCP 47 tag */
    int64_t user_id;                /* the family's portal account, 0 when none */
};

struct cm_team_member {
    struct cm_meta meta;
    int64_t child_id;
    int64_t user_id;     /* internal staff user, or 0 for an external contact */
    const char *name;    /* external contact's name; for staff, the user's display name */
    const char *role;    /* e.g. "nurse_care_coordinator", "neurologist", "school nurse" */
    const char *service; /* the service or specialty provided, e.g. "neurology", "home nursing" */
    enum cm_sector sector;
    int64_t organization_id;       /* 0 when none */
    const char *organization_name; /* filled by reads from the organisation; NULL when none */
    const char *phone;             /* may be NULL */
    const char *email;             /* may be NULL */
    const char *start_date;        /* YYYY-MM-DD */
    const char *end_date;          /* YYYY-MM-DD, NULL while active */
    enum cm_lead lead;
};

struct cm_break_glass {
    struct cm_meta meta;
    int64_t user_id;
    int64_t child_id;
    const char *reason; /* 10-500 characters */
    int64_t expires_at;
    const char *user_name; /* filled by cm_store_break_glass_list */
};

/* What an audit event says; the hash chain is the store's business. */
struct cm_audit_event {
    int64_t id;
    int64_t at;
    int64_t user_id; /* 0 when not signed in */
    enum cm_role role;
    const char *action;  /* "child.read", "team.end", "session.create", ... */
    int64_t child_id;    /* 0 when not about one child */
    const char *outcome; /* "ok", "denied", "failed" */
    const char *request_id;
    const char *detail;    /* ids and reasons only, never health information; may be NULL */
    bool break_glass;      /* the access came through break-glass */
    const char *user_name; /* filled by cm_store_audit_list from the user, else NULL */
    const char *prev_hash; /* hex SHA-256, filled by the store */
    const char *hash;
};

/* ---- validation ------------------------------------------------------------------------------ */

/* Each checks required fields, lengths (names 1-200 characters, free text 0-2000), formats (dates,
 * e-mail, phone, language tags), enums and cross-field rules; today is "YYYY-MM-DD" for the rules
 * that need it (birth date not in the future). */
CM_MUST_CHECK enum cm_code cm_model_organization_validate(const struct cm_organization *o,
                                                          struct cm_err *err);
CM_MUST_CHECK enum cm_code cm_model_user_validate(const struct cm_user *u, struct cm_err *err);
CM_MUST_CHECK enum cm_code cm_model_child_validate(const struct cm_child *c, const char *today,
                                                   struct cm_err *err);
CM_MUST_CHECK enum cm_code cm_model_family_member_validate(const struct cm_family_member *f,
                                                           struct cm_err *err);
CM_MUST_CHECK enum cm_code cm_model_team_member_validate(const struct cm_team_member *t,
                                                         struct cm_err *err);
CM_MUST_CHECK enum cm_code cm_model_break_glass_validate(const struct cm_break_glass *b,
                                                         struct cm_err *err);

/* Age in whole years on today ("YYYY-MM-DD") of someone born on birth_date; -1 if either is bad. */
int cm_model_age_years(const char *birth_date, const char *today);

#endif
