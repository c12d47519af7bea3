/*
 * The demo's shared plans of care (demo_plan.h): one child at a time, from the tables of
 * demo_plan_data.c, written in the order a care team would have written them.
 *
 * A plan's life, all in the past and counted in days back from the day of the load:
 *   draft    the coordinator writes the first plan with the family, soon after enrolment;
 *   v1..vN   each version is frozen (cm_plan_document, as POST .../plan/versions does) and the
 *            family reviews it a few days later: agree or comment, or, now and then, a request
 *            for a change that stays open until a newer version is frozen;
 *   changes  between two versions the plan changes the way plans do: a concern or goal is added
 *            (not translated yet), a dose goes up, actions move on, milestones fall due, a trach
 *            or g-tube is replaced, the summary says the child is a year older.
 * Three shapes, matching the date the builder gave the child's plan (docs/plan.md, "current"):
 *   current  reviewed with the family within the last five months;
 *   due      last reviewed seven to fourteen months ago, untouched since;
 *   none     drafted, never frozen (and children whose team has no staff member to freeze it).
 * Each version gets a note, each family review its words; times are fixed hours of the day (the
 * draft at 10:00, changes at 11:00, versions at 15:00, reviews at 19:00), so the order holds even
 * when two of them fall on one day.
 */
#include "cmd/demo_plan.h"
#include "cmd/demo_rng.h"

#include "core/data.h"
#include "model/plan_item.h"
#include "plan/plan.h"

#include <jansson.h>
#include <stdlib.h>
#include <string.h>

#define DAY_S        86400
#define SCRATCH_MAX  (32u << 20) /* one child's plan, documents included, is far smaller */
#define MAX_MADE     96          /* items of one child's plan */
#define MAX_VERSIONS 3
#define TEXT_MAX     8192

/* Hours of the day things happen, so that same-day events keep their order. */
enum { H_DRAFT = 10, H_CHANGE = 11, H_VERSION = 15, H_REVIEW = 19 };

/* ---- helpers ------------------------------------------------------------------------------- */

static int
imin(int a, int b)
{
    return a < b ? a : b;
}

static int
imax(int a, int b)
{
    return a > b ? a : b;
}

/* ---- one child's plan in the making ---------------------------------------------------------- */

/* An item as written, kept to change it later. */
struct made {
    enum cm_plan_kind kind;
    struct cm_plan_item it;
    union cm_plan_value v[CM_PLAN_MAX_FIELDS];
    const struct cmd_demo_medication_def *med; /* a medication whose dose goes up later */
    int phase;                                 /* the batch that wrote it */
    int milestone_due;                         /* days ago its due date is (milestones) */
};

enum shape { SHAPE_NONE, SHAPE_CURRENT, SHAPE_DUE };

struct kid {
    const struct cmd_demo_plan_ctx *x;
    const struct cmd_demo_plan_child *ch;
    struct cm_arena *a; /* scratch, freed when the child is done */
    struct cm_err *err;
    struct cmd_demo_plan_stats *stats;
    struct demo_rng r;

    const struct cmd_demo_plan_profile *pr;
    unsigned variant;
    int band;
    bool female, gtube, rich;
    const char *lang;  /* the language the plan is written in */
    const char *other; /* the language of its translations */
    bool translate;    /* family-facing text carries a translation into other */

    struct cm_team_list team;
    struct cm_organization_list orgs;
    int supplier_uses[CM_DEMO_SVC_COUNT + 1];
    struct cm_viewer staff; /* who writes and freezes: the lead, else a coordinator on the team */
    int staff_since;        /* days ago that member joined the team */
    const char *lead_name;  /* the lead, else that coordinator; NULL when neither */
    int64_t family_user;    /* the guardian's portal account, 0 when none */

    /* The timeline, in days ago (see the top of the file). */
    enum shape shape;
    int nversions;
    int draft;
    int version_at[MAX_VERSIONS];
    int change_at[MAX_VERSIONS]; /* change_at[i]: the batch before version i+2 */
    int review_at[MAX_VERSIONS];
    bool open_request;    /* the latest version's review asks for a change */
    bool awaiting;        /* the family has not reviewed the latest version yet */
    int after;            /* a change after the latest version, 0: none */
    int like;             /* which of cmd_demo_plan_likes the summary uses */
    int untranslated_pct; /* chance a draft item is left untranslated on purpose */

    struct made made[MAX_MADE];
    size_t nmade;
    int now_phase; /* the batch being written: 0 the draft, i the batch before version i+1 */
};

static enum cm_code
nomem(struct kid *k)
{
    return cm_err_set(k->err, CM_ENOMEM, "", "the demo ran out of memory");
}

static int64_t
time_at(const struct kid *k, int ago, int hour)
{
    return k->x->today0 - (int64_t)ago * DAY_S + (int64_t)hour * 3600;
}

/* "YYYY-MM-DD" of `ago` days before today (negative: after). */
static const char *
date_at(struct kid *k, int ago)
{
    char out[11];
    cm_date_of(k->x->today0 - (int64_t)ago * DAY_S, out);
    return cm_arena_strdup(k->a, out);
}

/* Days from the date s to today (positive: in the past). */
static int
days_ago(const struct kid *k, const char *s)
{
    int64_t t = 0;
    struct cm_err ignored = {0};
    if (s == NULL || cm_date_parse(s, &t, "date", &ignored) != CM_OK)
        return 0;
    return (int)((k->x->today0 - t) / DAY_S);
}

/* ---- words ----------------------------------------------------------------------------------- */

/* Fills the placeholders of s (demo_plan.h) for this child. NULL for NULL. */
static const char *
expand(struct kid *k, const char *s)
{
    if (s == NULL)
        return NULL;
    const struct cm_child *c = k->ch->child;
    const char *name = c->preferred_name != NULL ? c->preferred_name : c->given_name;
    struct {
        const char *key, *f, *m;
    } const words[] = {
        {"name", name, name},  {"He", "She", "He"},   {"he", "she", "he"},
        {"him", "her", "him"}, {"his", "her", "his"}, {"His", "Her", "His"},
        {"o", "a", "o"},       {"lo", "la", "lo"},    {"El", "Ella", "Él"},
    };
    struct cm_buf b;
    cm_buf_init(&b, k->a, TEXT_MAX);
    for (const char *p = s; *p != '\0';) {
        const char *close = *p == '{' ? strchr(p, '}') : NULL;
        bool done = false;
        for (size_t i = 0; close != NULL && !done && i < CM_ARRAY_LEN(words); i++) {
            size_t n = strlen(words[i].key);
            if ((size_t)(close - p - 1) == n && strncmp(p + 1, words[i].key, n) == 0) {
                if (cm_buf_puts(&b, k->female ? words[i].f : words[i].m) != CM_OK)
                    return NULL;
                p = close + 1;
                done = true;
            }
        }
        if (!done && cm_buf_append(&b, p++, 1) != CM_OK)
            return NULL;
    }
    return b.data;
}

/* The text in lang ("en" or "es"), placeholders filled; NULL when it has none. */
static const char *
say(struct kid *k, const struct cmd_demo_text *t, const char *lang)
{
    return expand(k, strcmp(lang, "es") == 0 ? t->es : t->en);
}

/* The age as the summary's first sentence says it, at `ago` days back. */
static void
age_words(struct kid *k, int ago, const char **en, const char **es)
{
    int d = k->ch->age_days - ago;
    const char *then = date_at(k, ago);
    int years = then != NULL ? cm_model_age_years(k->ch->child->birth_date, then) : d / 365;
    const char *name = expand(k, "{name}");
    if (years >= 1) {
        *en = cm_arena_printf(k->a, "%s is %d.", name, years);
        *es = cm_arena_printf(k->a, "%s tiene %d %s.", name, years, years == 1 ? "año" : "años");
    } else {
        int months = imax(1, d / 30);
        *en = cm_arena_printf(k->a, "%s is %d %s old.", name, months,
                              months == 1 ? "month" : "months");
        *es = cm_arena_printf(k->a, "%s tiene %d %s.", name, months, months == 1 ? "mes" : "meses");
    }
}

/* ---- the care team, read back from the store ------------------------------------------------- */

static const struct cm_team_member *
member(struct kid *k, enum cmd_demo_svc s, int nth)
{
    if (s == CM_DEMO_SVC_NONE || s >= CM_DEMO_SVC_COUNT)
        return NULL;
    const char *service = cmd_demo_services[s].service;
    const struct cm_team_member *first = NULL;
    int seen = 0;
    for (size_t i = 0; i < k->team.count; i++) {
        const struct cm_team_member *t = &k->team.items[i];
        if (t->service == NULL || strcmp(t->service, service) != 0)
            continue;
        if (first == NULL)
            first = t;
        if (seen++ == nth)
            return t;
    }
    return first;
}

static const struct cm_team_member *
staff_member(struct kid *k, const char *role)
{
    for (size_t i = 0; i < k->team.count; i++) {
        const struct cm_team_member *t = &k->team.items[i];
        if (t->user_id != 0 && (role == NULL || strcmp(t->role, role) == 0))
            return t;
    }
    return NULL;
}

/* The name of who does or owns something (demo_plan.h: services, the family, the lead). */
static const char *
who(struct kid *k, enum cmd_demo_svc s)
{
    if (s == CM_DEMO_SVC_NONE)
        return strcmp(k->lang, "es") == 0 ? "Familia" : "Family";
    const struct cm_team_member *t = s == CMD_DEMO_OWNER_LEAD ? NULL : member(k, s, 0);
    if (t != NULL)
        return t->name;
    return k->lead_name != NULL ? k->lead_name : strcmp(k->lang, "es") == 0 ? "Familia" : "Family";
}

/* Who prescribes: the specialist, else the complex care pediatrician, else primary care. */
static const char *
prescriber(struct kid *k, enum cmd_demo_svc s)
{
    const struct cm_team_member *t = member(k, s, 0);
    if (t == NULL)
        t = staff_member(k, "complex_care_pediatrician");
    if (t == NULL)
        t = staff_member(k, "primary_care_clinician");
    if (t == NULL)
        t = member(k, CM_DEMO_SVC_PCP, 0);
    return t != NULL ? t->name : NULL;
}

/* The supplier of a piece of equipment and its phone: the team member who supplies it (a second
 * item of the same service goes to the second supplier when there are two, as on DEMO-0001's
 * team), else the organisation itself. */
static void
supplier(struct kid *k, const struct cmd_demo_equipment_def *e, const char **name,
         const char **phone)
{
    *name = *phone = NULL;
    const struct cm_team_member *t = NULL;
    if (e->supplier != CM_DEMO_SVC_NONE)
        t = member(k, e->supplier, k->supplier_uses[e->supplier]++);
    if (t != NULL && t->organization_name != NULL) {
        *name = t->organization_name;
        *phone = t->phone;
        return;
    }
    if (e->supplier_org == CM_DEMO_ORG_NONE)
        return;
    *name = cmd_demo_orgs[e->supplier_org].name;
    for (size_t i = 0; i < k->orgs.count; i++) {
        if (strcmp(k->orgs.items[i].name, *name) == 0)
            *phone = k->orgs.items[i].phone;
    }
}

/* ---- writing items --------------------------------------------------------------------------- */

static int
field(const struct cm_plan_kind_desc *d, const char *name)
{
    int i = cm_plan_field_index(d, name);
    /* The names below are the declaration's (model/plan_kinds.c); a rename fails every demo test.
     */
    return i < 0 ? 0 : i;
}

/* One item being put together: values in the plan's language and their translations. */
struct draft {
    const struct cm_plan_kind_desc *d;
    union cm_plan_value v[CM_PLAN_MAX_FIELDS];
    union cm_plan_value tr[CM_PLAN_MAX_FIELDS];
    uint64_t present;
    bool translate;
};

static void
draft_init(struct kid *k, struct draft *dr, enum cm_plan_kind kind)
{
    memset(dr, 0, sizeof(*dr));
    dr->d = cm_plan_kind(kind);
    dr->translate = k->translate;
}

static void
put_s(struct draft *dr, const char *name, const char *s)
{
    dr->v[field(dr->d, name)].s = s;
}

static void
put_i(struct draft *dr, const char *name, int64_t i)
{
    dr->v[field(dr->d, name)].i = i;
}

/* A family-facing text: the plan's language, and its translation when this item carries one. */
static void
put_t(struct kid *k, struct draft *dr, const char *name, const struct cmd_demo_text *t)
{
    int i = field(dr->d, name);
    dr->v[i].s = say(k, t, k->lang);
    const char *tr = say(k, t, k->other);
    if (tr != NULL) {
        dr->tr[i].s = tr;
        dr->present |= UINT64_C(1) << i;
    }
}

/* Validates, encodes and creates the item at `at`; keeps it in k->made. */
static enum cm_code
write_item(struct kid *k, struct draft *dr, int64_t at, struct made **out)
{
    const struct cm_plan_kind_desc *d = dr->d;
    if (k->nmade >= MAX_MADE)
        return cm_err_set(k->err, CM_EINTERNAL, "", "a demo plan has more than %d items", MAX_MADE);
    /* A few of a translated plan's items wait for their translation, so a reader in the other
     * language sees "not translated yet" (the action plans came translated with their template). */
    if (dr->translate && k->translate && d->kind != CM_PK_SUMMARY && d->kind != CM_PK_ACTION_PLAN &&
        demo_rng_chance(&k->r, k->untranslated_pct))
        dr->translate = false;
    struct cm_err why = {0};
    const char *body = NULL, *translations = "{}";
    enum cm_code rc = cm_model_plan_item_validate(d, dr->v, k->a, &why);
    if (rc == CM_OK)
        rc = cm_plan_body_encode(d, dr->v, k->a, &body, &why);
    if (rc == CM_OK && dr->translate && dr->present != 0)
        rc = cm_plan_translation_apply(d, "{}", k->other, dr->tr, dr->present, k->a, &translations,
                                       &why);
    if (rc != CM_OK)
        /* The tables are ours: an item that breaks the plan's rules is a bug in them. */
        return cm_err_set(k->err, rc == CM_ENOMEM ? CM_ENOMEM : CM_EINTERNAL, why.field,
                          "demo plan data: %s.%s: %s", d->name, why.field, why.msg);
    struct made *m = &k->made[k->nmade];
    memset(m, 0, sizeof(*m));
    m->kind = d->kind;
    memcpy(m->v, dr->v, sizeof(m->v));
    m->phase = k->now_phase;
    m->it = (struct cm_plan_item){
        .child_id = k->ch->child->meta.id,
        .kind = d->name,
        .lang = k->lang,
        .body = body,
        .translations = translations,
    };
    rc = cm_store_plan_item_create(k->x->c, &k->staff, at, &m->it, k->err);
    if (rc != CM_OK)
        return rc;
    k->nmade++;
    k->stats->items++;
    if (out != NULL)
        *out = m;
    return CM_OK;
}

/* Writes m's values back at `at` (its translations stay as they are). */
static enum cm_code
rewrite(struct kid *k, struct made *m, int64_t at)
{
    const struct cm_plan_kind_desc *d = cm_plan_kind(m->kind);
    struct cm_err why = {0};
    const char *body = NULL;
    enum cm_code rc = cm_model_plan_item_validate(d, m->v, k->a, &why);
    if (rc == CM_OK)
        rc = cm_plan_body_encode(d, m->v, k->a, &body, &why);
    if (rc != CM_OK)
        return cm_err_set(k->err, CM_EINTERNAL, why.field, "demo plan data: %s.%s: %s", d->name,
                          why.field, why.msg);
    m->it.body = body;
    return cm_store_plan_item_update(k->x->c, &k->staff, at, &m->it, k->err);
}

/* ---- the elements ---------------------------------------------------------------------------- */

/* "About me" as of `ago`: the age, what the child enjoys, and the care in one line. */
static bool
summary_text(struct kid *k, int ago, struct cmd_demo_text *t)
{
    int vi = (k->variant & CMD_DEMO_VAR_B) && k->pr->about[1].en != NULL ? 1 : 0;
    const struct cmd_demo_text *about = &k->pr->about[vi];
    if (k->ch->age < 3 && k->pr->about_young[vi].en != NULL)
        about = &k->pr->about_young[vi];
    const struct cmd_demo_text *like = &cmd_demo_plan_likes[k->like].text;
    const char *age_en, *age_es;
    age_words(k, ago, &age_en, &age_es);
    t->en = cm_arena_printf(k->a, "%s %s %s", age_en, like->en, about->en);
    t->es = cm_arena_printf(k->a, "%s %s %s", age_es, like->es, about->es);
    return t->en != NULL && t->es != NULL;
}

static enum cm_code
write_summary(struct kid *k, int ago)
{
    struct cmd_demo_text t;
    if (!summary_text(k, ago, &t))
        return nomem(k);
    struct draft dr;
    draft_init(k, &dr, CM_PK_SUMMARY);
    put_t(k, &dr, "text", &t);
    return write_item(k, &dr, time_at(k, ago, H_DRAFT), NULL);
}

static bool
fits(const struct kid *k, unsigned variant, int min_age, int max_age)
{
    return (variant == 0 || (variant & k->variant) != 0) && k->ch->age >= min_age &&
           k->ch->age <= max_age;
}

/* The goals, concerns and the actions that join them. */
struct chosen {
    const struct cmd_demo_goal_def *goal[4];
    bool own[4]; /* the profile's goal (its concern index means something), not a common one */
    int goal_phase[4];
    int64_t goal_id[4];
    size_t ngoals;
    int concern[4]; /* indices into the profile's concerns */
    int concern_phase[4];
    int64_t concern_id[4];
    size_t nconcerns;
};

static bool
has_concern(const struct chosen *ch, int i)
{
    for (size_t j = 0; j < ch->nconcerns; j++)
        if (ch->concern[j] == i)
            return true;
    return false;
}

static void
choose_goals(struct kid *k, struct chosen *c)
{
    const struct cmd_demo_plan_profile *pr = k->pr;
    memset(c, 0, sizeof(*c));
    /* Family goals: one or two of the profile's, perhaps one any family might hold. */
    int want = k->rich ? 3 : demo_rng_between(&k->r, 1, 3);
    int order[8];
    size_t n = 0;
    for (size_t i = 0; i < pr->ngoals && n < CM_ARRAY_LEN(order); i++)
        if (fits(k, 0, pr->goals[i].min_age, pr->goals[i].max_age))
            order[n++] = (int)i;
    /* DEMO-0001 keeps the profile's order: its first goal is the one its change request is about
     * (the hours off the ventilator). */
    for (size_t i = n; i > 1 && !k->rich; i--) {
        size_t j = (size_t)demo_rng_below(&k->r, (int)i);
        int t = order[i - 1];
        order[i - 1] = order[j];
        order[j] = t;
    }
    for (size_t i = 0; i < n && (int)c->ngoals < want && c->ngoals < 2; i++) {
        c->own[c->ngoals] = true;
        c->goal[c->ngoals++] = &pr->goals[order[i]];
    }
    int start = demo_rng_below(&k->r, (int)cmd_demo_plan_common_goal_count);
    for (size_t i = 0; i < cmd_demo_plan_common_goal_count && (int)c->ngoals < want; i++) {
        const struct cmd_demo_goal_def *g =
            &cmd_demo_plan_common_goals[((size_t)start + i) % cmd_demo_plan_common_goal_count];
        if (fits(k, 0, g->min_age, g->max_age) && (k->rich || demo_rng_chance(&k->r, 60)))
            c->goal[c->ngoals++] = g;
    }
    /* Team concerns: first those the chosen goals answer, then others. */
    int cwant = k->rich ? 3 : demo_rng_between(&k->r, 1, 3);
    for (size_t i = 0; i < c->ngoals && (int)c->nconcerns < cwant; i++) {
        int ci = c->goal[i]->concern;
        if (c->own[i] && ci >= 0 && !has_concern(c, ci) &&
            fits(k, 0, pr->concerns[ci].min_age, pr->concerns[ci].max_age))
            c->concern[c->nconcerns++] = ci;
    }
    int cstart = demo_rng_below(&k->r, (int)pr->nconcerns);
    for (size_t i = 0; i < pr->nconcerns && (int)c->nconcerns < cwant; i++) {
        int ci = (int)(((size_t)cstart + i) % pr->nconcerns);
        if (!has_concern(c, ci) && fits(k, 0, pr->concerns[ci].min_age, pr->concerns[ci].max_age))
            c->concern[c->nconcerns++] = ci;
    }
}

static enum cm_code
write_action(struct kid *k, const struct cmd_demo_action_def *a, int64_t goal_id,
             int64_t concern_id, bool translate, int ago)
{
    struct draft dr;
    draft_init(k, &dr, CM_PK_ACTION);
    dr.translate = translate;
    put_t(k, &dr, "text", &a->text);
    put_i(&dr, "goal_id", goal_id);
    put_i(&dr, "concern_id", concern_id);
    put_s(&dr, "owner", who(k, a->owner));
    put_s(&dr, "target_date", date_at(k, ago - demo_rng_between(&k->r, 30, 180)));
    put_s(&dr, "status", demo_rng_chance(&k->r, 60) ? "not_started" : "in_progress");
    put_s(&dr, "icf_domain", a->icf_domain);
    return write_item(k, &dr, time_at(k, ago, k->now_phase == 0 ? H_DRAFT : H_CHANGE), NULL);
}

/* Writes the goals, concerns and actions that belong to batch `phase`, at `ago`. An item added
 * after the first version is new: it has no translation yet. */
static enum cm_code
write_goals(struct kid *k, struct chosen *c, int phase, int ago)
{
    const struct cmd_demo_plan_profile *pr = k->pr;
    bool translate = k->translate && phase == 0;
    enum cm_code rc = CM_OK;
    for (size_t i = 0; i < c->ngoals && rc == CM_OK; i++) {
        if (c->goal_phase[i] != phase)
            continue;
        struct draft dr;
        draft_init(k, &dr, CM_PK_GOAL);
        dr.translate = translate;
        put_t(k, &dr, "text", &c->goal[i]->text);
        put_s(&dr, "status", "active");
        put_s(&dr, "target_date", date_at(k, ago - demo_rng_between(&k->r, 90, 365)));
        struct made *m;
        rc = write_item(k, &dr, time_at(k, ago, phase == 0 ? H_DRAFT : H_CHANGE), &m);
        if (rc == CM_OK)
            c->goal_id[i] = m->it.meta.id;
    }
    for (size_t i = 0; i < c->nconcerns && rc == CM_OK; i++) {
        if (c->concern_phase[i] != phase)
            continue;
        const struct cmd_demo_concern_def *cd = &pr->concerns[c->concern[i]];
        struct draft dr;
        draft_init(k, &dr, CM_PK_CONCERN);
        dr.translate = translate;
        put_t(k, &dr, "text", &cd->text);
        put_s(&dr, "raised_by", cd->raised_by == CM_DEMO_SVC_NONE ? NULL : who(k, cd->raised_by));
        struct made *m;
        rc = write_item(k, &dr, time_at(k, ago, phase == 0 ? H_DRAFT : H_CHANGE), &m);
        if (rc == CM_OK)
            c->concern_id[i] = m->it.meta.id;
    }
    /* Actions: each goal's, joined to the concern it also answers; then the concerns no goal
     * answers get their own. At most four in all. */
    size_t actions = 0;
    for (size_t i = 0; i < k->nmade; i++)
        actions += k->made[i].kind == CM_PK_ACTION;
    /* DEMO-0001 keeps room for the action of the concern its second version adds. */
    size_t cap = k->rich && phase == 0 ? 3 : 4;
    bool answered[4] = {false};
    for (size_t i = 0; i < c->ngoals && rc == CM_OK && actions < cap; i++) {
        if (c->goal_phase[i] != phase)
            continue;
        int64_t cid = 0;
        for (size_t j = 0; c->own[i] && j < c->nconcerns; j++) {
            /* Joined to its concern once that is written (now or in an earlier batch). */
            if (c->concern[j] == c->goal[i]->concern && c->concern_phase[j] <= phase) {
                answered[j] = true;
                cid = c->concern_id[j];
            }
        }
        rc = write_action(k, &c->goal[i]->action, c->goal_id[i], cid, translate, ago);
        actions++;
    }
    for (size_t j = 0; j < c->nconcerns && rc == CM_OK && actions < cap; j++) {
        if (c->concern_phase[j] != phase || answered[j])
            continue;
        rc = write_action(k, &pr->concerns[c->concern[j]].action, 0, c->concern_id[j], translate,
                          ago);
        actions++;
    }
    return rc;
}

static enum cm_code
write_conditions(struct kid *k, int ago)
{
    enum cm_code rc = CM_OK;
    for (size_t i = 0; k->pr->conditions[i] != NULL && rc == CM_OK; i++) {
        const struct cmd_demo_condition_def *cd = k->pr->conditions[i];
        if (!fits(k, cd->variant, cd->min_age, cd->max_age) ||
            (cd->pct != 0 && !k->rich && !demo_rng_chance(&k->r, cd->pct)))
            continue;
        struct draft dr;
        draft_init(k, &dr, CM_PK_CONDITION);
        put_t(k, &dr, "description", &cd->description);
        put_s(&dr, "code", cd->code);
        put_s(&dr, "body_system", cd->body_system);
        if (cd->notes.en != NULL)
            put_t(k, &dr, "notes", &cd->notes);
        rc = write_item(k, &dr, time_at(k, ago, H_DRAFT), NULL);
    }
    return rc;
}

static enum cm_code
write_allergy(struct kid *k, const struct cmd_demo_allergy_def *al, int ago)
{
    struct draft dr;
    draft_init(k, &dr, CM_PK_ALLERGY);
    put_t(k, &dr, "substance", &al->substance);
    put_t(k, &dr, "reaction", &al->reaction);
    put_s(&dr, "severity", al->severity);
    return write_item(k, &dr, time_at(k, ago, H_DRAFT), NULL);
}

/* Latex for spina bifida; otherwise none for about four children in ten, else one or two. */
static enum cm_code
write_allergies(struct kid *k, int ago)
{
    int n;
    enum cm_code rc = CM_OK;
    if (k->ch->profile == CM_DEMO_PROFILE_SHUNT) {
        rc = write_allergy(k, &cmd_demo_plan_latex, ago);
        n = demo_rng_chance(&k->r, 25) ? 1 : 0;
    } else {
        int roll = demo_rng_below(&k->r, 100);
        n = k->rich ? 2 : roll < 40 ? 0 : roll < 85 ? 1 : 2;
    }
    int first = demo_rng_below(&k->r, (int)cmd_demo_plan_allergy_count);
    int step = 1 + demo_rng_below(&k->r, (int)cmd_demo_plan_allergy_count - 1);
    for (int i = 0; i < n && rc == CM_OK; i++) {
        size_t j = ((size_t)first + (size_t)i * (size_t)step) % cmd_demo_plan_allergy_count;
        rc = write_allergy(k, &cmd_demo_plan_allergies[j], ago);
    }
    return rc;
}

/* Medications. One whose dose went up since the draft is written with the earlier dose when a
 * later batch will raise it (so a version's diff shows the change). */
static enum cm_code
write_medications(struct kid *k, int ago, bool will_change)
{
    enum cm_code rc = CM_OK;
    bool raised = false;
    for (size_t i = 0; k->pr->medications[i] != NULL && rc == CM_OK; i++) {
        const struct cmd_demo_medication_def *md = k->pr->medications[i];
        const char *dose = md->dose[k->band];
        if (dose == NULL || !fits(k, md->variant, md->min_age, md->max_age) ||
            (md->pct != 0 && !k->rich && !demo_rng_chance(&k->r, md->pct)))
            continue;
        bool before = will_change && !raised && md->dose_before[k->band] != NULL;
        struct draft dr;
        draft_init(k, &dr, CM_PK_MEDICATION);
        put_s(&dr, "name", md->name);
        put_s(&dr, "dose", before ? md->dose_before[k->band] : dose);
        put_s(&dr, "route", md->route != NULL ? md->route : k->gtube ? "g_tube" : "by_mouth");
        put_t(k, &dr, "schedule", &md->schedule);
        put_t(k, &dr, "purpose", &md->purpose);
        put_s(&dr, "prescriber", prescriber(k, md->prescriber));
        dr.v[field(dr.d, "key")].b = md->key;
        struct made *m;
        rc = write_item(k, &dr, time_at(k, ago, H_DRAFT), &m);
        if (rc == CM_OK && before) {
            m->med = md;
            raised = true;
        }
    }
    return rc;
}

static enum cm_code
write_equipment(struct kid *k, int ago)
{
    enum cm_code rc = CM_OK;
    for (size_t i = 0; k->pr->equipment[i] != NULL && rc == CM_OK; i++) {
        const struct cmd_demo_equipment_def *e = k->pr->equipment[i];
        if (!fits(k, e->variant, e->min_age, e->max_age) ||
            (e->pct != 0 && !k->rich && !demo_rng_chance(&k->r, e->pct)))
            continue;
        /* A second suction entry is the catheters: only worth its own line with its own
         * supplier. */
        if (e->supplier == CM_DEMO_SVC_DME_SUCTION && k->supplier_uses[e->supplier] > 0 &&
            member(k, e->supplier, 1) == member(k, e->supplier, 0))
            continue;
        const char *name, *phone;
        supplier(k, e, &name, &phone);
        struct draft dr;
        draft_init(k, &dr, CM_PK_EQUIPMENT);
        put_s(&dr, "type", e->type);
        put_t(k, &dr, "description", &e->description);
        put_s(&dr, "make", e->make);
        put_s(&dr, "size", e->size[k->band]);
        put_s(&dr, "settings", e->settings[k->band]);
        put_s(&dr, "supplier", name);
        put_s(&dr, "supplier_phone", phone);
        if (e->replace_every_days > 0) {
            put_i(&dr, "replace_every_days", e->replace_every_days);
            put_s(
                &dr, "last_replaced",
                date_at(k, ago + demo_rng_between(&k->r, 0, imin(e->replace_every_days - 1, 700))));
        }
        rc = write_item(k, &dr, time_at(k, ago, H_DRAFT), NULL);
    }
    return rc;
}

/* The text of a template's field in lang: a string of {"en", "es"}, or for the steps every step,
 * one per line (as POST .../action-plans/from-template copies it). */
static const char *
template_text(struct kid *k, const json_t *t, const char *name, const char *lang)
{
    const json_t *v = json_object_get(t, name);
    if (json_is_object(v))
        return cm_arena_strdup(k->a, json_string_value(json_object_get(v, lang)));
    if (!json_is_array(v))
        return NULL;
    struct cm_buf b;
    cm_buf_init(&b, k->a, 16 * 1024);
    size_t i;
    const json_t *step;
    json_array_foreach(v, i, step)
    {
        const char *s = json_string_value(json_object_get(step, lang));
        if (s == NULL || (i > 0 && cm_buf_puts(&b, "\n") != CM_OK) || cm_buf_puts(&b, s) != CM_OK)
            return NULL;
    }
    return b.data;
}

/* An action plan from its starter template, or written for the demo. Either way it carries both
 * languages: the templates and the demo's own plans were written in both by people. */
static enum cm_code
write_action_plan(struct kid *k, const struct cmd_demo_action_plan_def *ap, int ago)
{
    static const char *const names[] = {"title", "trigger", "steps", "call", "emergency", "note"};
    const struct cmd_demo_text *own[] = {&ap->title, &ap->trigger,   &ap->steps,
                                         &ap->call,  &ap->emergency, &ap->note};
    struct draft dr;
    draft_init(k, &dr, CM_PK_ACTION_PLAN);
    dr.translate = true;
    json_t *t = NULL;
    if (ap->template_id != NULL) {
        char path[128];
        snprintf(path, sizeof(path), "templates/action_plans/%s.json", ap->template_id);
        const struct cm_data_file *f = cm_data_find(path);
        t = f != NULL ? json_loadb(f->data, f->len, JSON_REJECT_DUPLICATES, NULL) : NULL;
        if (!json_is_object(t)) {
            json_decref(t);
            return cm_err_set(k->err, CM_EINTERNAL, "template",
                              "the starter action plan %s is not embedded", ap->template_id);
        }
        put_s(&dr, "template", ap->template_id);
    }
    for (size_t i = 0; i < CM_ARRAY_LEN(names); i++) {
        int fi = field(dr.d, names[i]);
        if (t != NULL) {
            dr.v[fi].s = template_text(k, t, names[i], k->lang);
            dr.tr[fi].s = template_text(k, t, names[i], k->other);
            if (dr.tr[fi].s != NULL)
                dr.present |= UINT64_C(1) << fi;
        } else if (own[i]->en != NULL) {
            put_t(k, &dr, names[i], own[i]);
        }
    }
    json_decref(t);
    return write_item(k, &dr, time_at(k, ago, H_DRAFT), NULL);
}

/* A milestone's status as of `ago`: done once its date has passed, under way in the month
 * before. */
static const char *
milestone_status(int due_ago, int ago)
{
    return due_ago > ago ? "done" : due_ago > ago - 30 ? "in_progress" : "not_started";
}

/* Which transitions fit the child (at most two): DEMO-0001 goes back to school in person;
 * teenagers move to adult care, toddlers to preschool, four-year-olds to kindergarten; a child
 * enrolled after a recent discharge comes home with new technology. The target date, in days
 * ago (negative: ahead), goes to target[]. */
static size_t
choose_transitions(struct kid *k, int which[2], int target[2])
{
    const struct cmd_demo_plan_child *ch = k->ch;
    size_t n = 0;
    if (ch->index == 1) {
        which[n] = CMD_DEMO_TR_BACK_TO_SCHOOL;
        target[n++] = k->draft - 90;
    } else if (ch->age >= 14) {
        which[n] = CMD_DEMO_TR_ADULT;
        target[n++] = ch->age_days - (ch->age >= 21 ? 22 : 21) * 365;
    } else if (ch->age < 3 && ch->age_days >= 2 * 365 + 180) {
        which[n] = CMD_DEMO_TR_EI;
        target[n++] = ch->age_days - 3 * 365;
    } else if (ch->age == 4 && demo_rng_chance(&k->r, 60)) {
        which[n] = CMD_DEMO_TR_KINDERGARTEN;
        target[n++] = ch->age_days - 5 * 365;
    }
    if (ch->enrol_ago <= 120 && (ch->tech & CM_DEMO_TECH_DEPENDENT) != 0) {
        which[n] = CMD_DEMO_TR_HOME;
        target[n++] = ch->enrol_ago - 14;
    }
    return n;
}

static enum cm_code
write_transitions(struct kid *k, int ago)
{
    int which[2], target[2];
    size_t n = choose_transitions(k, which, target);
    enum cm_code rc = CM_OK;
    for (size_t i = 0; i < n && rc == CM_OK; i++) {
        const struct cmd_demo_transition_def *td = &cmd_demo_plan_transitions[which[i]];
        struct draft dr;
        draft_init(k, &dr, CM_PK_TRANSITION);
        put_s(&dr, "type", td->type);
        put_t(k, &dr, "description", &td->description);
        put_s(&dr, "target_date", date_at(k, target[i]));
        struct made *tm;
        rc = write_item(k, &dr, time_at(k, ago, H_DRAFT), &tm);
        for (size_t j = 0; rc == CM_OK && j < CM_ARRAY_LEN(td->milestones); j++) {
            const struct cmd_demo_milestone_def *md = &td->milestones[j];
            if (md->text.en == NULL)
                break;
            int due = target[i] - md->due;
            draft_init(k, &dr, CM_PK_MILESTONE);
            put_i(&dr, "transition_id", tm->it.meta.id);
            put_t(k, &dr, "text", &md->text);
            put_s(&dr, "owner", who(k, md->owner));
            put_s(&dr, "due_date", date_at(k, due));
            put_s(&dr, "status", milestone_status(due, ago));
            struct made *mm;
            rc = write_item(k, &dr, time_at(k, ago, H_DRAFT), &mm);
            if (rc == CM_OK)
                mm->milestone_due = due;
        }
    }
    return rc;
}

/* ---- changes between versions ---------------------------------------------------------------- */

static enum cm_code
set_status(struct kid *k, struct made *m, const char *status, int64_t at)
{
    int i = field(cm_plan_kind(m->kind), "status");
    if (m->v[i].s != NULL && strcmp(m->v[i].s, status) == 0)
        return CM_OK;
    m->v[i].s = status;
    return rewrite(k, m, at);
}

/* One batch of changes at `ago`: the summary's age, a raised dose, actions moving on, goals met,
 * milestones falling due, a trach or g-tube replaced on schedule. Returns with *changed saying
 * whether anything was written. */
static enum cm_code
change_batch(struct kid *k, int ago, bool *changed)
{
    int64_t at = time_at(k, ago, H_CHANGE);
    size_t before = k->stats->items;
    enum cm_code rc = CM_OK;
    int64_t updates = 0;
    for (size_t i = 0; i < k->nmade && rc == CM_OK; i++) {
        struct made *m = &k->made[i];
        int64_t v0 = m->it.meta.version;
        if (m->phase == k->now_phase)
            continue; /* written in this very batch */
        switch (m->kind) {
        case CM_PK_SUMMARY: {
            /* A birthday since the last version: the coordinator updates the age, in both
             * languages when the summary has a translation. */
            struct cmd_demo_text t;
            if (!summary_text(k, ago, &t))
                return nomem(k);
            const char *text = say(k, &t, k->lang);
            if (strcmp(text, m->v[0].s) == 0)
                break;
            m->v[0].s = text;
            if (strcmp(m->it.translations, "{}") != 0) {
                const struct cm_plan_kind_desc *d = cm_plan_kind(m->kind);
                union cm_plan_value tr[CM_PLAN_MAX_FIELDS] = {{0}};
                tr[0].s = say(k, &t, k->other);
                struct cm_err why = {0};
                if (cm_plan_translation_apply(d, m->it.translations, k->other, tr, 1, k->a,
                                              &m->it.translations, &why) != CM_OK)
                    return cm_err_set(k->err, CM_EINTERNAL, why.field,
                                      "demo plan data: summary: %s", why.msg);
            }
            rc = rewrite(k, m, at);
            break;
        }
        case CM_PK_MEDICATION:
            if (m->med != NULL && (k->rich || demo_rng_chance(&k->r, 70))) {
                m->v[field(cm_plan_kind(m->kind), "dose")].s = m->med->dose[k->band];
                m->med = NULL;
                rc = rewrite(k, m, at);
            }
            break;
        case CM_PK_ACTION: {
            const char *s = m->v[field(cm_plan_kind(m->kind), "status")].s;
            if (strcmp(s, "not_started") == 0 && demo_rng_chance(&k->r, 50))
                rc = set_status(k, m, "in_progress", at);
            else if (strcmp(s, "in_progress") == 0 && demo_rng_chance(&k->r, 35))
                rc = set_status(k, m, "done", at);
            break;
        }
        case CM_PK_MILESTONE:
            rc = set_status(k, m, milestone_status(m->milestone_due, ago), at);
            break;
        case CM_PK_EQUIPMENT: {
            const struct cm_plan_kind_desc *d = cm_plan_kind(m->kind);
            int every = (int)m->v[field(d, "replace_every_days")].i;
            const char *last = m->v[field(d, "last_replaced")].s;
            if (every > 0 && every <= 90 && last != NULL && days_ago(k, last) - every > ago) {
                m->v[field(d, "last_replaced")].s = date_at(k, ago + demo_rng_between(&k->r, 0, 3));
                rc = rewrite(k, m, at);
            }
            break;
        }
        default:
            break;
        }
        updates += m->it.meta.version != v0;
    }
    /* A goal whose actions are all done is often met. */
    for (size_t i = 0; i < k->nmade && rc == CM_OK; i++) {
        struct made *g = &k->made[i];
        if (g->kind != CM_PK_GOAL || g->phase == k->now_phase)
            continue;
        int open = 0, done = 0;
        for (size_t j = 0; j < k->nmade; j++) {
            const struct made *m = &k->made[j];
            const struct cm_plan_kind_desc *d = cm_plan_kind(CM_PK_ACTION);
            if (m->kind != CM_PK_ACTION || m->v[field(d, "goal_id")].i != g->it.meta.id)
                continue;
            bool is_done = strcmp(m->v[field(d, "status")].s, "done") == 0;
            done += is_done;
            open += !is_done;
        }
        /* (Not on DEMO-0001: its goals are the story its change request continues.) */
        if (done > 0 && open == 0 && !k->rich && demo_rng_chance(&k->r, 50)) {
            int64_t v0 = g->it.meta.version;
            rc = set_status(k, g, "met", at);
            updates += g->it.meta.version != v0;
        }
    }
    *changed = updates > 0 || k->stats->items > before;
    return rc;
}

/* ---- versions and reviews -------------------------------------------------------------------- */

static enum cm_code
freeze(struct kid *k, int ago, const char *note)
{
    int64_t at = time_at(k, ago, H_VERSION);
    json_t *doc = NULL;
    enum cm_code rc =
        cm_plan_document(k->x->c, &k->staff, k->ch->child->meta.id, at, &doc, k->a, k->err);
    if (rc != CM_OK)
        return rc;
    /* Serialised as the API freezes a version (POST .../plan/versions). */
    char *text = json_dumps(doc, JSON_COMPACT);
    json_decref(doc);
    const char *content = text != NULL ? cm_arena_strdup(k->a, text) : NULL;
    free(text);
    if (content == NULL)
        return nomem(k);
    struct cm_plan_version pv = {
        .child_id = k->ch->child->meta.id, .note = note, .content = content};
    rc = cm_store_plan_version_create(k->x->c, &k->staff, at, &pv, k->err);
    if (rc == CM_OK)
        k->stats->versions++;
    return rc;
}

/* The family's review of version `number` at `ago`: through their own account when they have
 * one, else recorded by the coordinator as done with them. */
static enum cm_code
review(struct kid *k, int64_t number, int ago, const char *decision, const char *comment)
{
    struct cm_plan_review r = {
        .child_id = k->ch->child->meta.id,
        .version_number = number,
        .decision = decision,
        .comment = comment,
    };
    struct cm_viewer v = k->staff;
    if (k->family_user != 0)
        v = (struct cm_viewer){k->family_user, CM_ROLE_FAMILY, k->x->program_id};
    else
        r.in_person = true;
    enum cm_code rc =
        cm_store_plan_review_create(k->x->c, &v, time_at(k, ago, H_REVIEW), &r, k->err);
    if (rc == CM_OK)
        k->stats->reviews++;
    return rc;
}

/* A family's words (a comment or a change request), in their language. */
static const char *
review_words(struct kid *k, int kind, bool spanish)
{
    const struct cmd_demo_text *t = &cmd_demo_plan_review_words[kind][demo_rng_below(
        &k->r, (int)cmd_demo_plan_review_word_count[kind])];
    return say(k, t, spanish && t->es != NULL ? "es" : "en");
}

/* An agreeing or commenting review of version n. */
static enum cm_code
review_ok(struct kid *k, int64_t n, int ago)
{
    bool es = strcmp(k->ch->child->preferred_language, "es") == 0;
    bool comment = demo_rng_chance(&k->r, 35);
    if (k->family_user == 0) {
        /* Staff note what was done; a comment carries the family's wish. */
        const struct cmd_demo_text *words = cmd_demo_plan_review_words[CMD_DEMO_REVIEW_IN_PERSON];
        size_t nw = cmd_demo_plan_review_word_count[CMD_DEMO_REVIEW_IN_PERSON];
        size_t pick = comment ? 3 + (size_t)demo_rng_below(&k->r, (int)nw - 3)
                              : (size_t)demo_rng_below(&k->r, 3);
        const char *text = es && !comment && demo_rng_chance(&k->r, 40)
                               ? "Reviewed with the family in Spanish, with an interpreter."
                               : words[pick].en;
        return review(k, n, ago, comment ? "comment" : "agree", text);
    }
    return review(k, n, ago, comment ? "comment" : "agree",
                  comment ? review_words(k, CMD_DEMO_REVIEW_COMMENT, es) : NULL);
}

/* ---- the timeline ---------------------------------------------------------------------------- */

/* Dates the plan's life to the shape the builder chose (see the top of the file). */
static void
plan_timeline(struct kid *k)
{
    const struct cmd_demo_plan_child *ch = k->ch;
    /* Nothing can be written before the writer joined the team (the store checks it). */
    int room = imin(ch->enrol_ago, k->staff_since);
    int gen_ago = 0;
    if (ch->plan_updated_at != 0)
        gen_ago = (int)((k->x->today0 - ch->plan_updated_at + DAY_S - 1) / DAY_S);
    k->shape = ch->plan_updated_at == 0 ? SHAPE_NONE : gen_ago > 183 ? SHAPE_DUE : SHAPE_CURRENT;
    if (k->staff.user_id == 0 || room < 1) {
        /* Nobody on the team could have frozen a version: the program's administrator drafted
         * it (user 0, as the rest of the demo is written). */
        k->shape = SHAPE_NONE;
        k->staff = (struct cm_viewer){0, CM_ROLE_ADMINISTRATOR, k->x->program_id};
        k->lead_name = NULL;
        room = ch->enrol_ago;
    }
    if (k->shape == SHAPE_DUE && room < 190)
        k->shape = SHAPE_CURRENT;
    if (ch->index <= 2 && k->shape != SHAPE_NONE)
        k->shape = SHAPE_CURRENT; /* the two showcases: reviewed, with versions to compare */
    if (ch->index == 2 && room >= 1 && k->staff.user_id != 0)
        k->shape = SHAPE_CURRENT;

    if (k->shape == SHAPE_NONE) {
        k->nversions = 0;
        k->draft = demo_rng_between(&k->r, 1, imax(1, imin(room, 60)));
        return;
    }
    int latest;
    if (k->shape == SHAPE_DUE) {
        /* Last reviewed seven to fourteen months ago. */
        int base = imax(190, imin(imin(gen_ago, 425), room));
        latest = demo_rng_between(&k->r, base, imin(room, base + 7));
    } else
        latest = imax(1, imin(gen_ago, imin(room, 150)));
    int span = room - latest;
    int v = 1 + demo_rng_below(&k->r, 3);
    while (v > 1 && span < 40 * (v - 1))
        v--;
    if (ch->index == 1) {
        v = 2;
        latest = demo_rng_between(&k->r, 10, 25);
    } else if (ch->index == 2 && span >= 40) {
        v = 2;
    }
    k->nversions = v;
    k->version_at[v - 1] = latest;
    if (v > 1) {
        int total = ch->index == 1
                        ? demo_rng_between(&k->r, 85, 115)
                        : demo_rng_between(&k->r, 40 * (v - 1), imin(span, 240 * (v - 1)));
        for (int i = 0; i < v - 1; i++)
            k->version_at[i] = latest + total - i * total / (v - 1);
    }
    k->draft = k->version_at[0] + demo_rng_between(&k->r, 0, imin(10, room - k->version_at[0]));
    for (int i = 0; i + 1 < v; i++) {
        int gap = k->version_at[i] - k->version_at[i + 1];
        k->review_at[i] = k->version_at[i] - demo_rng_between(&k->r, 0, imin(10, gap - 1));
        k->change_at[i] = k->version_at[i + 1] + demo_rng_between(&k->r, 0, imin(5, gap - 1));
        if (k->change_at[i] >= k->version_at[i])
            k->change_at[i] = k->version_at[i] - 1;
    }
    k->review_at[v - 1] = latest - demo_rng_between(&k->r, 0, imin(10, latest - 1));
    /* A request for a change, open until the next version: DEMO-0001 always, and now and then
     * another family whose plan has an earlier review to stand on. (Not on a plan due for
     * review: its last agreement would then be older than the fourteen months a due plan has.) */
    k->open_request =
        ch->index == 1 || (v > 1 && k->shape == SHAPE_CURRENT && demo_rng_chance(&k->r, 20));
    /* Sometimes the family has not reviewed the newest version yet: the plan is due unless an
     * earlier review still counts. */
    k->awaiting = !k->open_request && ch->index > 2 && k->shape == SHAPE_CURRENT &&
                  demo_rng_chance(&k->r, 20);
    k->after = 0;
    if (k->shape == SHAPE_CURRENT && ch->index != 1 && latest >= 3 && demo_rng_chance(&k->r, 25))
        k->after = demo_rng_between(&k->r, 1, latest - 1);
}

/* Reads the team, the organisations and the family account, and picks the writer. */
static enum cm_code
read_team(struct kid *k)
{
    const struct cmd_demo_plan_ctx *x = k->x;
    int64_t child_id = k->ch->child->meta.id;
    struct cm_viewer admin = {0, CM_ROLE_ADMINISTRATOR, x->program_id};
    int64_t now = x->today0 + 12 * 3600;
    struct cm_family_list fam;
    enum cm_code rc =
        cm_store_team_list(x->c, &admin, child_id, false, now, &k->team, k->a, k->err);
    if (rc == CM_OK)
        rc = cm_store_family_list(x->c, &admin, child_id, now, &fam, k->a, k->err);
    if (rc == CM_OK)
        rc = cm_store_organization_list(x->c, x->program_id, &k->orgs, k->a, k->err);
    if (rc != CM_OK)
        return rc;
    for (size_t i = 0; i < fam.count && k->family_user == 0; i++)
        k->family_user = fam.items[i].user_id;

    /* The lead; else a coordinator on the team; else whoever on the staff joined first. Someone
     * who joined today cannot have written a plan in the past. */
    const struct cm_team_member *w = NULL;
    int best = -1;
    for (size_t i = 0; i < k->team.count; i++) {
        const struct cm_team_member *t = &k->team.items[i];
        if (t->user_id == 0 || days_ago(k, t->start_date) < 1)
            continue;
        int rank = t->lead == CM_LEAD_LEAD                          ? 3
                   : strcmp(t->role, "nurse_care_coordinator") == 0 ? 2
                                                                    : 1;
        if (rank > best ||
            (rank == best && days_ago(k, t->start_date) > days_ago(k, w->start_date))) {
            w = t;
            best = rank;
        }
    }
    k->staff = (struct cm_viewer){0, CM_ROLE_ADMINISTRATOR, x->program_id};
    k->staff_since = k->ch->enrol_ago;
    if (w != NULL) {
        enum cm_role role;
        struct cm_err ignored = {0};
        if (cm_role_parse(w->role, &role, "role", &ignored) == CM_OK) {
            k->staff = (struct cm_viewer){w->user_id, role, x->program_id};
            k->staff_since = days_ago(k, w->start_date);
            k->lead_name = w->name;
        }
    }
    return CM_OK;
}

/* Everything about the child that the plan's words depend on. */
static void
plan_child(struct kid *k)
{
    const struct cmd_demo_plan_child *ch = k->ch;
    k->pr = &cmd_demo_plan_profiles[ch->profile];
    k->band = cmd_demo_band(ch->age);
    k->female = ch->child->sex != NULL && strcmp(ch->child->sex, "female") == 0;
    k->gtube = (ch->tech & CM_DEMO_TECH_GTUBE) != 0;
    k->rich = ch->index == 1;
    k->variant = 0;
    if (k->pr->variants != 0) {
        if (ch->profile == CM_DEMO_PROFILE_NEUROMUSCULAR)
            /* Duchenne affects boys, and needs a power chair and night-time ventilation only
             * from the second decade; younger children in this picture have SMA. */
            k->variant = !k->female && ch->age >= 10 && demo_rng_chance(&k->r, 60) ? CMD_DEMO_VAR_B
                                                                                   : CMD_DEMO_VAR_A;
        else if (ch->profile == CM_DEMO_PROFILE_EPILEPSY_DELAY)
            /* Infantile spasms begin in the first year; Lennox-Gastaut later. */
            k->variant = ch->age < 3 ? CMD_DEMO_VAR_A : CMD_DEMO_VAR_B;
        else
            k->variant = demo_rng_chance(&k->r, 50) ? CMD_DEMO_VAR_A : CMD_DEMO_VAR_B;
    }
    /* Language: English with Spanish translations for Spanish-speaking families (and for
     * DEMO-0001, the showcase of translations); DEMO-0002 and a few others written in Spanish
     * with English translations; English only for the rest. */
    bool spanish = strcmp(ch->child->preferred_language, "es") == 0;
    k->lang = "en";
    k->other = "es";
    k->translate = spanish || ch->index == 1;
    /* DEMO-0001's untranslated items are the ones added for version 2, which docs/demo.md names. */
    k->untranslated_pct = k->translate && !k->rich ? 6 : 0;
    if (spanish && (ch->index == 2 || demo_rng_chance(&k->r, 8))) {
        k->lang = "es";
        k->other = "en";
    }
    size_t fit[16], n = 0;
    for (size_t i = 0; i < cmd_demo_plan_like_count && n < CM_ARRAY_LEN(fit); i++)
        if (ch->age >= cmd_demo_plan_likes[i].min_age && ch->age <= cmd_demo_plan_likes[i].max_age)
            fit[n++] = i;
    k->like = n > 0 ? (int)fit[demo_rng_below(&k->r, (int)n)] : 0;
}

static enum cm_code
write_plan(struct kid *k)
{
    enum cm_code rc = read_team(k);
    if (rc != CM_OK)
        return rc;
    plan_child(k);
    plan_timeline(k);

    /* What is held back for later batches: one goal or concern added before each later version
     * (DEMO-0001: a concern), none when the plan is never revised. */
    struct chosen c;
    choose_goals(k, &c);
    int batches = k->nversions > 1 ? k->nversions - 1 : 0;
    for (int b = 1; b <= batches; b++) {
        bool concern = k->rich || demo_rng_chance(&k->r, 50);
        if (concern && c.nconcerns > 1 && c.concern_phase[c.nconcerns - 1] == 0)
            c.concern_phase[c.nconcerns - 1] = b;
        else if (c.ngoals > 1 && c.goal_phase[c.ngoals - 1] == 0)
            c.goal_phase[c.ngoals - 1] = b;
    }

    /* The draft. */
    k->now_phase = 0;
    int d = k->draft;
    rc = write_summary(k, d);
    if (rc == CM_OK)
        rc = write_goals(k, &c, 0, d);
    if (rc == CM_OK)
        rc = write_conditions(k, d);
    if (rc == CM_OK)
        rc = write_allergies(k, d);
    if (rc == CM_OK)
        rc = write_medications(k, d, batches > 0 || k->after > 0);
    if (rc == CM_OK)
        rc = write_equipment(k, d);
    for (size_t i = 0; rc == CM_OK && k->pr->action_plans[i] != NULL; i++)
        rc = write_action_plan(k, k->pr->action_plans[i], d);
    if (rc == CM_OK)
        rc = write_transitions(k, d);
    if (rc != CM_OK)
        return rc;

    /* Versions, the changes between them, and the family's reviews. */
    bool es = strcmp(k->ch->child->preferred_language, "es") == 0;
    bool asked = false; /* the previous version's review asked for a change */
    for (int i = 0; i < k->nversions && rc == CM_OK; i++) {
        /* Notes: the first plan, then why it changed (the last note answers a request). */
        size_t nn = cmd_demo_plan_version_note_count;
        const char *note =
            i == 0    ? cmd_demo_plan_version_notes[0]
            : asked   ? cmd_demo_plan_version_notes[nn - 1]
            : k->rich ? cmd_demo_plan_version_notes[1]
                      : cmd_demo_plan_version_notes[1 + demo_rng_below(&k->r, (int)nn - 2)];
        rc = freeze(k, k->version_at[i], note);
        if (rc != CM_OK)
            break;
        bool last = i + 1 == k->nversions;
        asked = last ? k->open_request : !k->rich && demo_rng_chance(&k->r, 15);
        if (asked) {
            const char *words = k->rich ? say(k, &cmd_demo_plan_showcase_request, "en")
                                        : review_words(k, CMD_DEMO_REVIEW_CHANGE, es);
            if (k->family_user == 0)
                words = cm_arena_printf(k->a, "By phone, the family asked: %s", words);
            rc = review(k, i + 1, k->review_at[i], "change_requested", words);
        } else if (!(last && k->awaiting)) {
            rc = review_ok(k, i + 1, k->review_at[i]);
        }
        if (rc != CM_OK || last)
            break;
        /* The batch before the next version: what was held back, and the plan moving on. */
        k->now_phase = i + 1;
        int at = k->change_at[i];
        rc = write_goals(k, &c, i + 1, at);
        bool changed = false;
        if (rc == CM_OK)
            rc = change_batch(k, at, &changed);
        if (rc == CM_OK && !changed) {
            /* Never freeze an unchanged plan (the API refuses it): a goal reached its date. */
            for (size_t j = 0; j < k->nmade; j++) {
                if (k->made[j].kind == CM_PK_GOAL) {
                    k->made[j].v[field(cm_plan_kind(CM_PK_GOAL), "target_date")].s =
                        date_at(k, at - demo_rng_between(&k->r, 60, 180));
                    rc = rewrite(k, &k->made[j], time_at(k, at, H_CHANGE));
                    break;
                }
            }
        }
    }
    if (rc == CM_OK && k->after > 0) {
        bool changed;
        k->now_phase = MAX_VERSIONS + 1;
        rc = change_batch(k, k->after, &changed);
    }
    return rc;
}

enum cm_code
cmd_demo_plan_write(const struct cmd_demo_plan_ctx *x, const struct cmd_demo_plan_child *ch,
                    struct cmd_demo_plan_stats *stats, struct cm_err *err)
{
    /* A scratch arena per child: the documents and reads of 64 plans need not live together. */
    struct cm_arena *a = cm_arena_new(SCRATCH_MAX);
    if (a == NULL)
        return cm_err_set(err, CM_ENOMEM, "", "the demo ran out of memory");
    struct kid *k = cm_arena_calloc(a, 1, sizeof(*k));
    enum cm_code rc;
    if (k == NULL) {
        rc = cm_err_set(err, CM_ENOMEM, "", "the demo ran out of memory");
    } else {
        k->x = x;
        k->ch = ch;
        k->a = a;
        k->err = err;
        k->stats = stats;
        /* Its own stream: the plans draw nothing from the builder's, so the rest of the demo is
         * what it was before plans existed. */
        k->r.s = x->seed ^ 0x9D1A5CA7E0F1A9ULL ^ ((uint64_t)ch->index * 0x2545F4914F6CDD1DULL);
        rc = write_plan(k);
        if (rc == CM_OK && cm_arena_exhausted(a))
            rc = cm_err_set(err, CM_ENOMEM, "", "the demo ran out of memory");
    }
    cm_arena_free(a);
    return rc;
}
