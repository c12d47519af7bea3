/*
 * demo_plan: the shared plan of care of every demo child (issue 5), built by `caremap demo` after
 * the child's family and care team are written, in the demo's one write transaction.
 *
 * What a plan holds follows the critical core elements of Maypole et al. 2020 (Table 5, adapted
 * from Sadof et al.: the two-liner, family goals, problem list, allergies, medications, equipment
 * and sizes, action / sick-day plans, transition plans) and Kuo et al. 2018's negotiated actions
 * (family goals and team concerns joined into a plan of actions). The content is drawn from the
 * tables of demo_plan_data.c by the child's clinical profile, technology and age; every element is
 * written through the store (cm_store_plan_item_create) with a body from cm_plan_body_encode after
 * cm_model_plan_item_validate, so the demo holds its plans to the API's rules. Versions are frozen
 * from cm_plan_document exactly as POST .../plan/versions freezes them, and the family's reviews
 * are recorded as a family account (or, without one, by staff with in_person) would.
 *
 * Everything is synthetic and not clinical advice: doses are plausible for the age, never a
 * recommendation. ICD-10-CM codes are real and each is taken from one of the reference lists in
 * shared/reference (cmd_demo_plan_codes names the list).
 *
 * Deterministic: the plan of child n is a function of the seed, n, the child's records and the day
 * of `now`; it draws from its own splitmix64 stream, so adding plans did not change any other
 * record of the demo.
 */
#ifndef CM_CMD_DEMO_PLAN_H
#define CM_CMD_DEMO_PLAN_H

#include "cmd/demo_data.h"
#include "core/core.h"
#include "model/model.h"
#include "store/store.h"

/* ---- what the builder hands over ------------------------------------------------------------- */

/* The whole load: one per `caremap demo`. */
struct cmd_demo_plan_ctx {
    struct cm_conn *c; /* inside the demo's write transaction */
    uint64_t seed;
    int64_t today0; /* UTC midnight of the day of the load; every plan date counts back from it */
    int64_t program_id;
};

/* One child, as demo_build.c planned and wrote it. */
struct cmd_demo_plan_child {
    int index;   /* 1 .. CMD_DEMO_CHILDREN: DEMO-0001 is the rich example */
    int profile; /* CM_DEMO_PROFILE_* */
    unsigned tech;
    int age;                      /* whole years */
    int age_days;                 /* days since birth */
    int enrol_ago;                /* days since enrolment */
    const struct cm_child *child; /* as stored: id, names, sex, preferred_language */
    /* The generator's time of the last change to the plan (child.plan_updated_at as first
     * written): 0 for a plan never frozen, over six months ago for one due for review, else
     * recent. The plan's versions and reviews are dated to match; the store then sets
     * plan_updated_at from the plan's own writes. */
    int64_t plan_updated_at;
};

/* What was written, for the caller's counts. */
struct cmd_demo_plan_stats {
    size_t items;
    size_t versions;
    size_t reviews;
};

/*
 * Writes the shared plan of care of ch: its elements, 0 to 3 frozen versions (created by the lead
 * coordinator, or without a lead by a coordinator or other staff member on the team) and the
 * family's reviews of them, each dated in the past. Reads the child's care team and family through
 * the store (names for owners and prescribers, suppliers, the family's account). Adds to *stats.
 * Memory: a scratch arena of its own, freed before it returns; x, ch and the child are borrowed.
 *
 * Returns CM_OK, or the store's or plan module's code with err filled (the caller rolls back);
 * CM_EINTERNAL when the embedded data (templates, the tables) does not fit the plan's rules, which
 * is a bug the demo's tests catch.
 */
CM_MUST_CHECK enum cm_code cmd_demo_plan_write(const struct cmd_demo_plan_ctx *x,
                                               const struct cmd_demo_plan_child *ch,
                                               struct cmd_demo_plan_stats *stats,
                                               struct cm_err *err);

/* ---- the tables (demo_plan_data.c) ----------------------------------------------------------- */

/* Age bands for doses and sizes. */
enum { CMD_DEMO_BAND_SMALL, CMD_DEMO_BAND_SCHOOL, CMD_DEMO_BAND_TEEN, CMD_DEMO_BANDS };
/* The band of an age in years: under 6, 6 to 12, 13 and over. */
int cmd_demo_band(int age);

/* A family-facing text in English and in Spanish, written by people (never machine-translated).
 * Placeholders filled per child: {name}; English {He} {he} {him} {his} {His}; Spanish {o} (o/a),
 * {lo} (lo/la), {El} (Él/Ella). */
struct cmd_demo_text {
    const char *en;
    const char *es;
};

/* Every ICD-10-CM code a demo condition uses, dotted, with the reference list it was taken from
 * (shared/reference, see its README). Nothing else may appear as a condition's code. */
struct cmd_demo_code {
    const char *code;
    const char *list;  /* file name under shared/reference */
    const char *title; /* the list's title for it (for CCC-only codes: the ICD-10-CM title) */
};
extern const struct cmd_demo_code cmd_demo_plan_codes[];
extern const size_t cmd_demo_plan_code_count;

/* Owners, raisers and prescribers are care-team services, resolved to the name of the member who
 * provides it; CM_DEMO_SVC_NONE means the family, and this the child's lead coordinator. A service
 * nobody on the team provides falls back to the lead coordinator, who arranges it. */
#define CMD_DEMO_OWNER_LEAD CM_DEMO_SVC_COUNT

/* A negotiated action: who does it and the ICF domain it works in. */
struct cmd_demo_action_def {
    struct cmd_demo_text text;
    enum cmd_demo_svc owner;
    const char *icf_domain;
};

/* A concern raised by the care team, with the action that answers it. */
struct cmd_demo_concern_def {
    struct cmd_demo_text text;
    enum cmd_demo_svc raised_by;
    struct cmd_demo_action_def action;
    int min_age, max_age;
};

/* A family goal in the family's words, with the action agreed for it; concern is the index of the
 * profile's concern the action also answers (-1: none). */
struct cmd_demo_goal_def {
    struct cmd_demo_text text;
    int concern;
    struct cmd_demo_action_def action;
    int min_age, max_age;
};

/* Variants within a profile (bit masks; 0 = every variant). */
#define CMD_DEMO_VAR_A                                                                             \
    0x1u /* syndrome + heart: Down syndrome; neuromuscular: SMA; epilepsy: infantile spasms */
#define CMD_DEMO_VAR_B                                                                             \
    0x2u /* syndrome + heart: 22q11.2 deletion; neuromuscular: Duchenne; epilepsy: Lennox-Gastaut  \
          */

struct cmd_demo_condition_def {
    const char *code; /* one of cmd_demo_plan_codes */
    const char *body_system;
    struct cmd_demo_text description; /* plain words */
    struct cmd_demo_text notes;       /* en NULL: none */
    unsigned variant;
    int min_age, max_age;
    int pct; /* 0: every child of the profile has it; else the chance in percent */
};

struct cmd_demo_medication_def {
    const char *name;
    const char *dose[CMD_DEMO_BANDS];        /* NULL: not for that band */
    const char *dose_before[CMD_DEMO_BANDS]; /* the dose before the last change, or NULL */
    const char *route; /* NULL: by g-tube when the child has one, else by mouth */
    struct cmd_demo_text schedule;
    struct cmd_demo_text purpose;
    enum cmd_demo_svc prescriber; /* NONE: the complex care or primary care pediatrician */
    bool key;                     /* on the emergency sheet */
    unsigned variant;
    int min_age, max_age;
    int pct; /* 0: always; else the chance in percent */
};

struct cmd_demo_equipment_def {
    const char *type;
    struct cmd_demo_text description;
    const char *make;
    const char *size[CMD_DEMO_BANDS];     /* NULL: none */
    const char *settings[CMD_DEMO_BANDS]; /* NULL: none */
    enum cmd_demo_svc supplier;           /* the care-team service that supplies it */
    enum cmd_demo_org supplier_org;       /* when nobody on the team does; NONE: no supplier */
    int replace_every_days;               /* 0: none */
    unsigned variant;
    int min_age, max_age;
    int pct; /* 0: always; else the chance in percent */
};

/* An action plan: from a starter template (data/templates/action_plans/<template>.json), or
 * written for the demo (template NULL) where no starter fits. */
struct cmd_demo_action_plan_def {
    const char *template_id;
    struct cmd_demo_text title, trigger, steps, call, emergency, note;
};

struct cmd_demo_allergy_def {
    struct cmd_demo_text substance, reaction;
    const char *severity;
};

/* A transition and its milestones; due is days after (negative: before) the transition's target
 * date. */
struct cmd_demo_milestone_def {
    struct cmd_demo_text text;
    enum cmd_demo_svc owner; /* NONE: the family */
    int due;
};
struct cmd_demo_transition_def {
    const char *type;
    struct cmd_demo_text description;
    struct cmd_demo_milestone_def milestones[4]; /* text.en NULL ends the list */
};

/* Everything a profile contributes. Lists of pointers end with NULL. */
struct cmd_demo_plan_profile {
    struct cmd_demo_text about[2]; /* the summary's second sentence, per variant (A, B) */
    /* The same for a child under three when the line above does not fit a baby (en NULL: it
     * fits). */
    struct cmd_demo_text about_young[2];
    const struct cmd_demo_goal_def *goals;
    size_t ngoals;
    const struct cmd_demo_concern_def *concerns;
    size_t nconcerns;
    const struct cmd_demo_condition_def *const *conditions;
    const struct cmd_demo_medication_def *const *medications;
    const struct cmd_demo_equipment_def *const *equipment;
    const struct cmd_demo_action_plan_def *const *action_plans;
    unsigned variants; /* CMD_DEMO_VAR_A | CMD_DEMO_VAR_B when it has two, else 0 */
};
extern const struct cmd_demo_plan_profile cmd_demo_plan_profiles[CM_DEMO_PROFILE_COUNT];

/* Goals any family may hold, by age, and what a summary's first lines say a child enjoys. */
extern const struct cmd_demo_goal_def cmd_demo_plan_common_goals[];
extern const size_t cmd_demo_plan_common_goal_count;
struct cmd_demo_like {
    struct cmd_demo_text text;
    int min_age, max_age;
};
extern const struct cmd_demo_like cmd_demo_plan_likes[];
extern const size_t cmd_demo_plan_like_count;

extern const struct cmd_demo_allergy_def cmd_demo_plan_allergies[];
extern const size_t cmd_demo_plan_allergy_count;
/* Latex: every child with spina bifida is kept latex-free. */
extern const struct cmd_demo_allergy_def cmd_demo_plan_latex;

/* Transitions: hospital to home after a recent discharge, early intervention to preschool before
 * three, preschool to kindergarten, back to school in person, pediatric to adult care from 14. */
enum {
    CMD_DEMO_TR_HOME,
    CMD_DEMO_TR_EI,
    CMD_DEMO_TR_KINDERGARTEN,
    CMD_DEMO_TR_BACK_TO_SCHOOL,
    CMD_DEMO_TR_ADULT,
    CMD_DEMO_TR_COUNT
};
extern const struct cmd_demo_transition_def cmd_demo_plan_transitions[CMD_DEMO_TR_COUNT];

/* What families and staff write when they review a version. */
enum {
    CMD_DEMO_REVIEW_COMMENT,   /* a family's comment */
    CMD_DEMO_REVIEW_CHANGE,    /* a family asks for a change */
    CMD_DEMO_REVIEW_IN_PERSON, /* staff record a review done with the family */
    CMD_DEMO_REVIEW_KINDS
};
extern const struct cmd_demo_text *const cmd_demo_plan_review_words[CMD_DEMO_REVIEW_KINDS];
extern const size_t cmd_demo_plan_review_word_count[CMD_DEMO_REVIEW_KINDS];
/* DEMO-0001's open change request, in the family's words. */
extern const struct cmd_demo_text cmd_demo_plan_showcase_request;
/* Notes a coordinator gives a version (staff notes, in English). */
extern const char *const cmd_demo_plan_version_notes[];
extern const size_t cmd_demo_plan_version_note_count;

#endif
