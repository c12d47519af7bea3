/*
 * demo_data: the tables the demo program is built from. Organisations, the staff accounts, the
 * services a care team draws on, the children's clinical profiles and the name lists. Data only:
 * demo_build.c turns them into records with a seeded generator.
 *
 * The shape follows the seed articles in shared/seeds/: the ICF framework of care and the core team
 * of Maypole et al. 2020 (Tables 2 and 3: technology such as tracheostomy, gastrostomy tube,
 * ventilator, VP shunt and deep lines; school, IEP, applied behavioural analysis, respite,
 * palliative care), and the care map of Kuo et al. 2018 (dozens of relationships across medical,
 * mental health, education, community, equipment and payer sectors, with redundancies and several
 * coordinators acting independently).
 *
 * Every name, place, phone number (555-01xx) and e-mail address (example.org, example.net) here is
 * invented.
 */
#ifndef CM_CMD_DEMO_DATA_H
#define CM_CMD_DEMO_DATA_H

#include "core/core.h"
#include "model/model.h"

/* ---- organisations --------------------------------------------------------------------------- */

enum cmd_demo_org {
    CM_DEMO_ORG_NONE = 0,
    CM_DEMO_ORG_RIVERBEND, /* practice */
    CM_DEMO_ORG_LAKESIDE,  /* practice */
    CM_DEMO_ORG_HOSP_LANTERNFIELD,
    CM_DEMO_ORG_HOSP_COPPERBROOK,
    CM_DEMO_ORG_CLINIC_NEURO,
    CM_DEMO_ORG_CLINIC_AIRWAY,
    CM_DEMO_ORG_CLINIC_GI,
    CM_DEMO_ORG_CLINIC_HEART,
    CM_DEMO_ORG_CLINIC_ORTHO,
    CM_DEMO_ORG_CLINIC_DEVPEDS,
    CM_DEMO_ORG_CLINIC_THERAPY,
    CM_DEMO_ORG_CLINIC_PCP,
    CM_DEMO_ORG_CLINIC_BEHAVIOUR,
    CM_DEMO_ORG_AGENCY_ABA,
    CM_DEMO_ORG_SCHOOL_DISTRICT,
    CM_DEMO_ORG_SCHOOL_ELEMENTARY,
    CM_DEMO_ORG_SCHOOL_MIDDLE,
    CM_DEMO_ORG_SCHOOL_HIGH,
    CM_DEMO_ORG_AGENCY_EI,
    CM_DEMO_ORG_NURSING_KINDLE,
    CM_DEMO_ORG_NURSING_BLUEFINCH,
    CM_DEMO_ORG_DME_AIRWELL,
    CM_DEMO_ORG_DME_TIDEWATER,
    CM_DEMO_ORG_DME_ROLLMARK,
    CM_DEMO_ORG_DME_INFUSION,
    CM_DEMO_ORG_PAYER_MEDICAID,
    CM_DEMO_ORG_PAYER_WAIVER,
    CM_DEMO_ORG_COMMUNITY_FOOD,
    CM_DEMO_ORG_COMMUNITY_FAMILY,
    CM_DEMO_ORG_AGENCY_RESPITE,
    CM_DEMO_ORG_COMMUNITY_RIDES,
    CM_DEMO_ORG_COMMUNITY_LEGAL,
    CM_DEMO_ORG_COUNT
};

struct cmd_demo_org_def {
    const char *name;
    enum cm_org_type type;
    const char *domain;  /* e-mail domain of its people, under example.org */
    const char *address; /* invented */
};

/* Indexed by enum cmd_demo_org; entry 0 is empty. */
extern const struct cmd_demo_org_def cmd_demo_orgs[CM_DEMO_ORG_COUNT];

/* ---- staff ----------------------------------------------------------------------------------- */

enum cmd_demo_staff {
    CM_DEMO_STAFF_ADMIN,
    CM_DEMO_STAFF_MANAGER,
    CM_DEMO_STAFF_ADA,
    CM_DEMO_STAFF_BEN,
    CM_DEMO_STAFF_CRUZ,
    CM_DEMO_STAFF_DEE,
    CM_DEMO_STAFF_ELLIS,
    CM_DEMO_STAFF_FONG,
    CM_DEMO_STAFF_GRAY,
    CM_DEMO_STAFF_HALE,
    CM_DEMO_STAFF_ITO,
    CM_DEMO_STAFF_JO,
    CM_DEMO_STAFF_COUNT
};

struct cmd_demo_staff_def {
    const char *username;
    const char *display_name; /* "<Name> <what they do>": obviously synthetic, easy to remember */
    enum cm_role role;
    enum cmd_demo_org org;
    const char *service;   /* what they bring to a care team */
    enum cm_sector sector; /* where they sit on a care map */
};

extern const struct cmd_demo_staff_def cmd_demo_staff[CM_DEMO_STAFF_COUNT];

/* ---- services: what an external care-team member provides ------------------------------------ */

enum cmd_demo_svc {
    CM_DEMO_SVC_NONE = 0, /* ends the lists below */
    /* medical */
    CM_DEMO_SVC_PCP,
    CM_DEMO_SVC_NEUROLOGY,
    CM_DEMO_SVC_NEUROSURGERY,
    CM_DEMO_SVC_PULMONOLOGY,
    CM_DEMO_SVC_ENT,
    CM_DEMO_SVC_GI,
    CM_DEMO_SVC_NUTRITION,
    CM_DEMO_SVC_CARDIOLOGY,
    CM_DEMO_SVC_ORTHOPEDICS,
    CM_DEMO_SVC_PMR,
    CM_DEMO_SVC_DEVPEDS,
    CM_DEMO_SVC_PALLIATIVE,
    CM_DEMO_SVC_UROLOGY,
    CM_DEMO_SVC_GENETICS,
    CM_DEMO_SVC_AUDIOLOGY,
    CM_DEMO_SVC_OPHTHALMOLOGY,
    CM_DEMO_SVC_DENTAL,
    CM_DEMO_SVC_PT,
    CM_DEMO_SVC_OT,
    CM_DEMO_SVC_SLP,
    CM_DEMO_SVC_FEEDING,
    CM_DEMO_SVC_HOSPITAL_CASE_MANAGER,
    /* mental and behavioural health */
    CM_DEMO_SVC_PSYCHOLOGY,
    CM_DEMO_SVC_PSYCHIATRY,
    CM_DEMO_SVC_ABA,
    CM_DEMO_SVC_FAMILY_THERAPY,
    /* education */
    CM_DEMO_SVC_EI_COORDINATOR,
    CM_DEMO_SVC_EI_THERAPIST,
    CM_DEMO_SVC_PRESCHOOL,
    CM_DEMO_SVC_SCHOOL_NURSE,
    CM_DEMO_SVC_SPECIAL_EDUCATION,
    CM_DEMO_SVC_SCHOOL_COORDINATOR,
    CM_DEMO_SVC_SCHOOL_SLP,
    CM_DEMO_SVC_SCHOOL_PT,
    CM_DEMO_SVC_TRANSITION,
    /* community and social services */
    CM_DEMO_SVC_FOOD,
    CM_DEMO_SVC_TRANSPORT,
    CM_DEMO_SVC_LEGAL,
    CM_DEMO_SVC_BENEFITS,
    /* equipment and home services */
    CM_DEMO_SVC_DME_RESPIRATORY,
    CM_DEMO_SVC_DME_SUCTION,
    CM_DEMO_SVC_DME_FEEDING,
    CM_DEMO_SVC_DME_WHEELCHAIR,
    CM_DEMO_SVC_HOME_NURSING,
    CM_DEMO_SVC_HOME_INFUSION,
    CM_DEMO_SVC_ORTHOTICS,
    CM_DEMO_SVC_PHARMACY,
    /* payer and benefits */
    CM_DEMO_SVC_PLAN_CARE_MANAGER,
    CM_DEMO_SVC_WAIVER_CASE_MANAGER,
    CM_DEMO_SVC_PRIOR_AUTH,
    /* family and informal supports */
    CM_DEMO_SVC_PARENT_MENTOR,
    CM_DEMO_SVC_RESPITE,
    CM_DEMO_SVC_SIBLING,
    CM_DEMO_SVC_INFORMAL,
    CM_DEMO_SVC_FAITH,
    CM_DEMO_SVC_COUNT
};

/* Who may hold a service. */
enum cmd_demo_kind {
    CM_DEMO_KIND_PERSON,   /* one of a few people at the organisation, the same across children */
    CM_DEMO_KIND_DOCTOR,   /* as PERSON, named "Dr. ..." */
    CM_DEMO_KIND_PERSONAL, /* someone in this family's own life (a neighbour): new for each child */
    CM_DEMO_KIND_SCHOOL,   /* a person at the school for the child's age */
};

struct cmd_demo_service_def {
    const char *role;    /* the team member's role in plain words */
    const char *service; /* what they provide; two active members with the same service are a
                            redundancy on the care map */
    enum cm_sector sector;
    enum cmd_demo_org org; /* where they work (ignored for KIND_SCHOOL) */
    enum cmd_demo_org alt; /* a second provider of the same service, or NONE */
    enum cmd_demo_kind kind;
    bool coordinates;     /* acts as a coordinator by role (case manager, care manager, ...) */
    int min_age, max_age; /* the child's age in years this service fits, inclusive */
};

/* Indexed by enum cmd_demo_svc; entry 0 is empty. */
extern const struct cmd_demo_service_def cmd_demo_services[CM_DEMO_SVC_COUNT];

/* ---- clinical profiles ----------------------------------------------------------------------- */

/* Technology a child depends on (Maypole 2020, Table 2, "Technology"). */
#define CM_DEMO_TECH_TRACH        0x01u
#define CM_DEMO_TECH_VENT         0x02u
#define CM_DEMO_TECH_GTUBE        0x04u
#define CM_DEMO_TECH_SHUNT        0x08u
#define CM_DEMO_TECH_CENTRAL_LINE 0x10u
#define CM_DEMO_TECH_WHEELCHAIR   0x20u
/* The flags above that make a child technology-dependent (a wheelchair alone does not). */
#define CM_DEMO_TECH_DEPENDENT                                                                     \
    (CM_DEMO_TECH_TRACH | CM_DEMO_TECH_VENT | CM_DEMO_TECH_GTUBE | CM_DEMO_TECH_SHUNT |            \
     CM_DEMO_TECH_CENTRAL_LINE)

#define CM_DEMO_PROFILE_SERVICES 8

struct cmd_demo_profile_def {
    const char *summary; /* a plain description, for docs and comments */
    unsigned tech;       /* CM_DEMO_TECH_* */
    int weight;          /* how common, relative to the other profiles */
    int min_age, max_age;
    int tier_pct[3];                                    /* chance of tier 1, 2, 3 in percent */
    enum cmd_demo_svc core[CM_DEMO_PROFILE_SERVICES];   /* always on the team */
    enum cmd_demo_svc likely[CM_DEMO_PROFILE_SERVICES]; /* each on the team half the time */
};

enum {
    CM_DEMO_PROFILE_CEREBRAL_PALSY,
    CM_DEMO_PROFILE_AIRWAY,
    CM_DEMO_PROFILE_SHUNT,
    CM_DEMO_PROFILE_SYNDROME_HEART,
    CM_DEMO_PROFILE_INTESTINAL_FAILURE,
    CM_DEMO_PROFILE_AUTISM_EPILEPSY,
    CM_DEMO_PROFILE_NEUROMUSCULAR,
    CM_DEMO_PROFILE_EPILEPSY_DELAY,
    CM_DEMO_PROFILE_COUNT
};

extern const struct cmd_demo_profile_def cmd_demo_profiles[CM_DEMO_PROFILE_COUNT];

/* ---- names ----------------------------------------------------------------------------------- */

struct cmd_demo_names {
    const char *const *items;
    size_t count;
};

/* Children's given names: English-speaking and Spanish-speaking families, girls and boys. */
extern const struct cmd_demo_names cmd_demo_child_girls, cmd_demo_child_boys;
extern const struct cmd_demo_names cmd_demo_child_girls_es, cmd_demo_child_boys_es;
/* Parents', grandparents' and caregivers' given names. */
extern const struct cmd_demo_names cmd_demo_adult_women, cmd_demo_adult_men;
extern const struct cmd_demo_names cmd_demo_adult_women_es, cmd_demo_adult_men_es;
/* Professionals' given names (ASCII, so they make e-mail addresses as they are). */
extern const struct cmd_demo_names cmd_demo_pro_given;
/* Invented family names are a prefix and a suffix ("Fern" + "whistle"): plainly nobody's name. */
extern const struct cmd_demo_names cmd_demo_surname_prefix, cmd_demo_surname_suffix;

#endif
