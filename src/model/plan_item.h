/*
 * model/plan_item: the elements of the shared plan of care, declared as data.
 *
 * Every element kind (the two-line summary, family goals, team concerns, negotiated actions,
 * conditions, allergies, medications, equipment, action / sick-day plans, transitions and their
 * milestones) is one row of the kind table below: its name, its URL segment, and its fields with
 * their types and limits. Everything else is generic and driven by that table: the store keeps
 * every element in one table (plan_item: kind, body as a JSON object, translations), the API
 * decodes and validates any kind from its fields, versions snapshot them, the diff compares them
 * field by field, the PDF prints them and the browser edits them. Adding a field is one line here
 * (and its label in data/messages/{en,es}/plan.json); see docs/plan.md.
 *
 * Text that a family reads (CM_PF_TEXT) is written in the item's language and may carry a
 * translation per language entered by a person; everything else (names, doses, sizes, codes,
 * phone numbers, dates, choices from a list) is the same in every language. Choices from a list
 * are shown through their labels, which are translated once in plan.json.
 *
 * No I/O. Values are borrowed: whoever fills a value array owns the strings (usually a request
 * arena).
 */
#ifndef CM_MODEL_PLAN_ITEM_H
#define CM_MODEL_PLAN_ITEM_H

#include "core/core.h"

enum cm_plan_kind {
    CM_PK_SUMMARY = 0, /* "about me": two lines on who the child is and what matters most */
    CM_PK_GOAL,        /* a family goal, in the family's own words */
    CM_PK_CONCERN,     /* a concern raised by the care team */
    CM_PK_ACTION,      /* a negotiated action joining a family goal and a team concern */
    CM_PK_CONDITION,   /* the problem list: ICD-10-CM code, plain description, body system */
    CM_PK_ALLERGY,
    CM_PK_MEDICATION,
    CM_PK_EQUIPMENT,   /* with sizes, settings, supplier and replacement schedule */
    CM_PK_ACTION_PLAN, /* an action / sick-day plan */
    CM_PK_TRANSITION,  /* a transition plan (hospital to home, to school, to adult care, ...) */
    CM_PK_MILESTONE,   /* one milestone of a transition, with its owner and date */
    CM_PK_COUNT
};

enum cm_plan_ftype {
    CM_PF_TEXT,   /* free text a family reads: translatable, readability-checked */
    CM_PF_STRING, /* free text that is the same in every language: a name, dose, size, phone */
    CM_PF_ENUM,   /* one of values[]; shown through its label */
    CM_PF_DATE,   /* YYYY-MM-DD */
    CM_PF_INT,    /* an integer within [min, max] */
    CM_PF_BOOL,
    CM_PF_REF,   /* the id of another live item of this child, of kind ref */
    CM_PF_ICD10, /* an ICD-10-CM code, stored in its dotted form ("G80.0") */
};

struct cm_plan_field {
    const char *name; /* the JSON name; never "id", "kind", "version", "lang", "position",
                         "translations", "created_at", "updated_at", "updated_by" */
    enum cm_plan_ftype type;
    bool required;
    size_t max_len;            /* TEXT and STRING, in characters */
    const char *const *values; /* ENUM: NULL-terminated */
    int64_t min, max;          /* INT */
    enum cm_plan_kind ref;     /* REF: the kind it points at */
    bool emergency;            /* printed on the stand-alone emergency sheet (page 1) */
};

struct cm_plan_kind_desc {
    enum cm_plan_kind kind;
    const char *name; /* "goal": the kind column, the "kind" of the JSON, the key in documents */
    const char *path; /* "goals": the URL segment under /api/children/{id}/plan/ */
    const struct cm_plan_field *fields;
    size_t nfields;
    size_t title_field; /* index of the field that names an item in lists and diffs */
    int max_items;      /* live items a child may have of this kind (the summary: 1) */
};

/* The most fields any kind has (the API decodes into a value array this long). */
#define CM_PLAN_MAX_FIELDS 16
/* The most live items of any one kind per child (a plan is read by people, not a database). */
#define CM_PLAN_MAX_ITEMS 200

/* The kinds in plan order (the order of the document, the PDF and the diff). */
const struct cm_plan_kind_desc *cm_plan_kinds(size_t *n);
const struct cm_plan_kind_desc *cm_plan_kind(enum cm_plan_kind k);
/* By name ("action_plan") or URL segment ("action-plans"); NULL when unknown. */
const struct cm_plan_kind_desc *cm_plan_kind_by_name(const char *name);
const struct cm_plan_kind_desc *cm_plan_kind_by_path(const char *path);
/* The index of field name in d, or -1. */
int cm_plan_field_index(const struct cm_plan_kind_desc *d, const char *name);
/* True for "en" and "es". */
bool cm_plan_lang_ok(const char *lang);

/* One field's value; which member is set follows the field's type (TEXT, STRING, ENUM, DATE,
 * ICD10: s, NULL when absent; INT and REF: i, 0 when absent; BOOL: b). The API decodes JSON
 * straight into an array of these: slot i at offset i * sizeof(union cm_plan_value). */
union cm_plan_value {
    const char *s;
    int64_t i;
    bool b;
};

/*
 * Validates the values of one item of kind d (v[0 .. d->nfields)): required fields present,
 * lengths within max_len, enums among their values, INT within [min, max], dates real dates,
 * ICD-10-CM codes well formed (a capital letter, a digit, a digit or letter, then optionally a dot
 * and one to four digits or letters). An ICD-10 code given without its dot ("G800") is rewritten in
 * place to the dotted form (allocated in a). REF fields are only checked to be positive here: that
 * the item exists is the caller's business. Returns CM_EINVAL naming the first bad field.
 */
CM_MUST_CHECK enum cm_code cm_model_plan_item_validate(const struct cm_plan_kind_desc *d,
                                                       union cm_plan_value *v, struct cm_arena *a,
                                                       struct cm_err *err);

#endif
