/*
 * THE table of the shared plan of care's elements (model/plan_item.h). The element list and the
 * fields follow the critical core elements of a shared plan of care (Maypole et al. 2020, Table 5)
 * and Kuo et al. 2018: see docs/plan.md for why each field is here.
 */
#include "model/plan_item.h"

#include <string.h>

/* Lengths in characters. A family-facing text is short on purpose: long text is not read. */
enum { SHORT = 200, LONG = 2000, NAME = 200, PHONE = 32 };

static const char *const goal_status[] = {"active", "met", "set_aside", NULL};
static const char *const action_status[] = {"not_started", "in_progress", "done", "stopped", NULL};
/* The five ICF domains (WHO, International Classification of Functioning, Disability and Health),
 * as the needs assessment of issue 8 uses them. */
static const char *const icf_domain[] = {"body_functions", "activities", "participation",
                                         "environmental",  "personal",   NULL};
static const char *const body_system[] = {"neurological",
                                          "respiratory",
                                          "cardiovascular",
                                          "digestive",
                                          "kidney_urinary",
                                          "blood_immune",
                                          "endocrine_metabolic",
                                          "musculoskeletal",
                                          "genetic_congenital",
                                          "mental_behavioural",
                                          "skin",
                                          "eyes_ears",
                                          "cancer",
                                          "other",
                                          NULL};
static const char *const severity[] = {"mild", "moderate", "severe", "life_threatening", NULL};
static const char *const route[] = {"by_mouth",  "g_tube", "j_tube", "inhaled", "skin",  "rectal",
                                    "injection", "iv",     "nose",   "eye_ear", "other", NULL};
static const char *const equipment_type[] = {
    "tracheostomy", "ventilator",           "suction",      "oxygen",    "pulse_oximeter",
    "gastrostomy",  "feeding_pump",         "cough_assist", "nebulizer", "wheelchair",
    "hospital_bed", "communication_device", "orthotics",    "other",     NULL};
static const char *const transition_type[] = {"hospital_to_home",
                                              "early_intervention_to_school",
                                              "school_change",
                                              "pediatric_to_adult",
                                              "other",
                                              NULL};
static const char *const milestone_status[] = {"not_started", "in_progress", "done", NULL};

/* name, type, required, max_len, values, min, max, ref, emergency */
static const struct cm_plan_field summary_fields[] = {
    {"text", CM_PF_TEXT, true, 400, NULL, 0, 0, 0, true},
};
static const struct cm_plan_field goal_fields[] = {
    {"text", CM_PF_TEXT, true, SHORT * 2, NULL, 0, 0, 0, false},
    {"status", CM_PF_ENUM, true, 0, goal_status, 0, 0, 0, false},
    {"target_date", CM_PF_DATE, false, 0, NULL, 0, 0, 0, false},
};
static const struct cm_plan_field concern_fields[] = {
    {"text", CM_PF_TEXT, true, SHORT * 2, NULL, 0, 0, 0, false},
    {"raised_by", CM_PF_STRING, false, NAME, NULL, 0, 0, 0, false},
};
static const struct cm_plan_field action_fields[] = {
    {"text", CM_PF_TEXT, true, SHORT * 2, NULL, 0, 0, 0, false},
    {"goal_id", CM_PF_REF, false, 0, NULL, 0, 0, CM_PK_GOAL, false},
    {"concern_id", CM_PF_REF, false, 0, NULL, 0, 0, CM_PK_CONCERN, false},
    {"owner", CM_PF_STRING, true, NAME, NULL, 0, 0, 0, false},
    {"target_date", CM_PF_DATE, false, 0, NULL, 0, 0, 0, false},
    {"status", CM_PF_ENUM, true, 0, action_status, 0, 0, 0, false},
    {"icf_domain", CM_PF_ENUM, false, 0, icf_domain, 0, 0, 0, false},
};
static const struct cm_plan_field condition_fields[] = {
    {"description", CM_PF_TEXT, true, SHORT, NULL, 0, 0, 0, true},
    {"code", CM_PF_ICD10, false, 0, NULL, 0, 0, 0, false},
    {"body_system", CM_PF_ENUM, true, 0, body_system, 0, 0, 0, false},
    {"notes", CM_PF_TEXT, false, LONG, NULL, 0, 0, 0, false},
};
static const struct cm_plan_field allergy_fields[] = {
    {"substance", CM_PF_TEXT, true, SHORT, NULL, 0, 0, 0, true},
    {"reaction", CM_PF_TEXT, false, SHORT, NULL, 0, 0, 0, true},
    {"severity", CM_PF_ENUM, true, 0, severity, 0, 0, 0, true},
};
static const struct cm_plan_field medication_fields[] = {
    {"name", CM_PF_STRING, true, NAME, NULL, 0, 0, 0, true},
    {"dose", CM_PF_STRING, true, 100, NULL, 0, 0, 0, true},
    {"route", CM_PF_ENUM, true, 0, route, 0, 0, 0, true},
    {"schedule", CM_PF_TEXT, true, SHORT, NULL, 0, 0, 0, true},
    {"purpose", CM_PF_TEXT, true, SHORT, NULL, 0, 0, 0, true},
    {"prescriber", CM_PF_STRING, false, NAME, NULL, 0, 0, 0, false},
    {"key", CM_PF_BOOL, false, 0, NULL, 0, 0, 0, false}, /* on the emergency sheet */
};
static const struct cm_plan_field equipment_fields[] = {
    {"type", CM_PF_ENUM, true, 0, equipment_type, 0, 0, 0, true},
    {"description", CM_PF_TEXT, false, SHORT, NULL, 0, 0, 0, true},
    {"make", CM_PF_STRING, false, NAME, NULL, 0, 0, 0, true},
    {"size", CM_PF_STRING, false, 100, NULL, 0, 0, 0, true},
    {"settings", CM_PF_STRING, false, 400, NULL, 0, 0, 0, true},
    {"supplier", CM_PF_STRING, false, NAME, NULL, 0, 0, 0, false},
    {"supplier_phone", CM_PF_STRING, false, PHONE, NULL, 0, 0, 0, false},
    {"replace_every_days", CM_PF_INT, false, 0, NULL, 1, 3650, 0, false},
    {"last_replaced", CM_PF_DATE, false, 0, NULL, 0, 0, 0, false},
};
static const struct cm_plan_field action_plan_fields[] = {
    {"title", CM_PF_TEXT, true, SHORT, NULL, 0, 0, 0, true},
    {"trigger", CM_PF_TEXT, true, LONG, NULL, 0, 0, 0, true},
    /* One step per line. Not on the emergency sheet: the sheet keeps, for every plan, when to
     * use it, who to call and when to call 911, so that it fits one page; the steps follow on the
     * next page (docs/plan.md). */
    {"steps", CM_PF_TEXT, true, 4000, NULL, 0, 0, 0, false},
    {"call", CM_PF_TEXT, true, LONG, NULL, 0, 0, 0, true},
    {"emergency", CM_PF_TEXT, true, LONG, NULL, 0, 0, 0, true},
    {"note", CM_PF_TEXT, false, LONG, NULL, 0, 0, 0, false},
    {"template", CM_PF_STRING, false, 64, NULL, 0, 0, 0, false}, /* the starter it came from */
};
static const struct cm_plan_field transition_fields[] = {
    {"type", CM_PF_ENUM, true, 0, transition_type, 0, 0, 0, false},
    {"description", CM_PF_TEXT, true, LONG, NULL, 0, 0, 0, false},
    {"target_date", CM_PF_DATE, false, 0, NULL, 0, 0, 0, false},
};
static const struct cm_plan_field milestone_fields[] = {
    {"transition_id", CM_PF_REF, true, 0, NULL, 0, 0, CM_PK_TRANSITION, false},
    {"text", CM_PF_TEXT, true, SHORT, NULL, 0, 0, 0, false},
    {"owner", CM_PF_STRING, true, NAME, NULL, 0, 0, 0, false},
    {"due_date", CM_PF_DATE, false, 0, NULL, 0, 0, 0, false},
    {"status", CM_PF_ENUM, true, 0, milestone_status, 0, 0, 0, false},
};

#define FIELDS(f) f, CM_ARRAY_LEN(f)

/* kind, name, path, fields, title field, max items */
static const struct cm_plan_kind_desc kinds[CM_PK_COUNT] = {
    {CM_PK_SUMMARY, "summary", "summary", FIELDS(summary_fields), 0, 1},
    {CM_PK_GOAL, "goal", "goals", FIELDS(goal_fields), 0, CM_PLAN_MAX_ITEMS},
    {CM_PK_CONCERN, "concern", "concerns", FIELDS(concern_fields), 0, CM_PLAN_MAX_ITEMS},
    {CM_PK_ACTION, "action", "actions", FIELDS(action_fields), 0, CM_PLAN_MAX_ITEMS},
    {CM_PK_CONDITION, "condition", "conditions", FIELDS(condition_fields), 0, CM_PLAN_MAX_ITEMS},
    {CM_PK_ALLERGY, "allergy", "allergies", FIELDS(allergy_fields), 0, CM_PLAN_MAX_ITEMS},
    {CM_PK_MEDICATION, "medication", "medications", FIELDS(medication_fields), 0,
     CM_PLAN_MAX_ITEMS},
    {CM_PK_EQUIPMENT, "equipment", "equipment", FIELDS(equipment_fields), 0, CM_PLAN_MAX_ITEMS},
    {CM_PK_ACTION_PLAN, "action_plan", "action-plans", FIELDS(action_plan_fields), 0,
     CM_PLAN_MAX_ITEMS},
    {CM_PK_TRANSITION, "transition", "transitions", FIELDS(transition_fields), 1,
     CM_PLAN_MAX_ITEMS},
    {CM_PK_MILESTONE, "milestone", "milestones", FIELDS(milestone_fields), 1, CM_PLAN_MAX_ITEMS},
};

const struct cm_plan_kind_desc *
cm_plan_kinds(size_t *n)
{
    *n = CM_PK_COUNT;
    return kinds;
}

const struct cm_plan_kind_desc *
cm_plan_kind(enum cm_plan_kind k)
{
    return (unsigned)k < CM_PK_COUNT ? &kinds[k] : NULL;
}

const struct cm_plan_kind_desc *
cm_plan_kind_by_name(const char *name)
{
    for (size_t i = 0; name != NULL && i < CM_PK_COUNT; i++)
        if (strcmp(kinds[i].name, name) == 0)
            return &kinds[i];
    return NULL;
}

const struct cm_plan_kind_desc *
cm_plan_kind_by_path(const char *path)
{
    for (size_t i = 0; path != NULL && i < CM_PK_COUNT; i++)
        if (strcmp(kinds[i].path, path) == 0)
            return &kinds[i];
    return NULL;
}

int
cm_plan_field_index(const struct cm_plan_kind_desc *d, const char *name)
{
    for (size_t i = 0; name != NULL && i < d->nfields; i++)
        if (strcmp(d->fields[i].name, name) == 0)
            return (int)i;
    return -1;
}

bool
cm_plan_lang_ok(const char *lang)
{
    return lang != NULL && (strcmp(lang, "en") == 0 || strcmp(lang, "es") == 0);
}
