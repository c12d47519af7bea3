/*
 * The demo builder: turns the tables of demo_data.c into a living synthetic program through the
 * store, in one write transaction.
 *
 * Determinism: one splitmix64 stream seeded by --seed draws every choice in a fixed order, and
 * every date is counted in days back from the UTC day of `now`. The people who work at
 * organisations (the neurologists, school nurses, DME coordinators) come from a second stream drawn
 * once, so a neurologist is the same person on every child's team.
 *
 * Two showcase children whatever the seed (Kuo et al. 2018, Figure 1, and its parent's story of
 * 58 relationships reduced to 46 once the redundancies were seen):
 *   DEMO-0001  tier 3, tracheostomy and ventilator, 58 relationships of which 46 are active and 12
 *              ended, two suction suppliers, a designated lead (coord.ada) and backup (coord.ben);
 *   DEMO-0002  tier 3, Spanish-speaking family, no designated lead while a hospital case manager, a
 *              health plan care manager and a school or early-intervention coordinator each
 *              coordinate, and two providers of the same service.
 * Every child also gets a shared plan of care (demo_plan.c), DEMO-0001 the richest of them.
 */
#include "cmd/demo_build.h"
#include "cmd/demo_rng.h"

#include "access/access.h"
#include "cmd/demo_data.h"
#include "cmd/demo_plan.h"

#include <string.h>

#define DAY_S      86400
#define TEAM_MIN   15
#define TEAM_MAX   60
#define POOL       3    /* people per service at each organisation */
#define POOL_SLOTS 4    /* an organisation, its alternative, or one of four school levels */
#define ENROL_DAYS 1095 /* enrolment dates fall in the last three years */
#define STALE_DAYS 183  /* a plan older than six months needs review */

/* ---- the generator (cmd/demo_rng.h) ------------------------------------------------------------
 */

static const char *
pick(struct demo_rng *r, const struct cmd_demo_names *n)
{
    return n->items[demo_rng_below(r, (int)n->count)];
}

/* ---- the plan of one child ------------------------------------------------------------------- */

struct person {
    unsigned char given, prefix, suffix;
    unsigned short ext; /* telephone extension at the organisation */
};

struct row {
    enum cmd_demo_svc svc; /* CM_DEMO_SVC_NONE for a staff member */
    int staff;             /* enum cmd_demo_staff when svc is NONE */
    int slot;              /* which organisation: 0 the service's own, 1 its alternative, or the
                              school level for school services */
    int person;            /* which of the organisation's people */
    struct person own;     /* the person, for CM_DEMO_KIND_PERSONAL */
    int start_ago;         /* days before today the membership began */
    int end_ago;           /* days before today it ended; -1 while active */
};

struct plan {
    int index; /* 1 .. CMD_DEMO_CHILDREN */
    enum cmd_demo_org practice;
    int profile;
    unsigned tech;
    int tier;
    int age; /* whole years, as cm_model_age_years counts them */
    int age_days;
    int enrol_ago;
    bool spanish;
    int lead, backup; /* enum cmd_demo_staff, or -1 */
    int school_level; /* 0 district (preschool), 1 elementary, 2 middle, 3 high */
    struct row rows[TEAM_MAX];
    size_t n;
};

struct builder {
    struct cm_conn *c;
    struct cm_arena *a;
    struct cm_err *err;
    struct demo_rng rng;
    int64_t now;
    int64_t today0; /* UTC midnight of today */
    struct cm_viewer v;
    int64_t org_id[CM_DEMO_ORG_COUNT];
    int64_t staff_id[CM_DEMO_STAFF_COUNT];
    const char *hash[CM_DEMO_STAFF_COUNT + CMD_DEMO_FAMILY_ACCOUNTS];
    struct person pool[CM_DEMO_SVC_COUNT][POOL_SLOTS][POOL];
    bool surname_used[32][32];
    bool no_lead[CMD_DEMO_CHILDREN + 1];
    bool spanish[CMD_DEMO_CHILDREN + 1];
    int riverbend_leads, lakeside_leads;
    struct cmd_demo_summary *sum;
    struct cmd_demo_plan_ctx plan; /* the shared plans of care (demo_plan.c) */
    struct cmd_demo_plan_stats plans;
};

/* ---- small helpers --------------------------------------------------------------------------- */

/* "YYYY-MM-DD" of `days_ago` days before today, in the arena. */
static const char *
day(struct builder *b, int days_ago)
{
    char out[11];
    cm_date_of(b->today0 - (int64_t)days_ago * DAY_S, out);
    return cm_arena_strdup(b->a, out);
}

static enum cm_code
nomem(struct builder *b)
{
    return cm_err_set(b->err, CM_ENOMEM, "", "the demo ran out of memory");
}

/* Lowercase ASCII for an e-mail address: letters kept, Spanish accents dropped, the rest skipped.
 */
static void
slug(const char *s, char *out, size_t size)
{
    static const char from[] = "\xa1\xa9\xad\xb3\xba\xb1\xbc\x81\x89\x8d\x93\x9a\x91";
    static const char to[] = "aeiounuaeioun";
    size_t n = 0;
    for (const unsigned char *p = (const unsigned char *)s; *p != '\0' && n + 1 < size; p++) {
        char c = 0;
        if (*p >= 'A' && *p <= 'Z')
            c = (char)(*p - 'A' + 'a');
        else if (*p >= 'a' && *p <= 'z')
            c = (char)*p;
        else if (*p == 0xC3 && p[1] != '\0') {
            const char *hit = strchr(from, (char)p[1]);
            c = hit != NULL ? to[hit - from] : 0;
            p++;
        }
        if (c != 0)
            out[n++] = c;
    }
    out[n] = '\0';
}

static const char *
email(struct builder *b, const char *given, const char *family, const char *domain)
{
    char g[64], f[64];
    slug(given, g, sizeof(g));
    slug(family, f, sizeof(f));
    return cm_arena_printf(b->a, "%s.%s@%s", g, f, domain);
}

static const char *
surname(struct builder *b, const struct person *p)
{
    return cm_arena_printf(b->a, "%s%s", cmd_demo_surname_prefix.items[p->prefix],
                           cmd_demo_surname_suffix.items[p->suffix]);
}

/* A family name no other demo family has. */
static const char *
family_surname(struct builder *b)
{
    int np = (int)cmd_demo_surname_prefix.count, ns = (int)cmd_demo_surname_suffix.count;
    struct person p = {0};
    for (int tries = 0; tries < 1000; tries++) {
        p.prefix = (unsigned char)demo_rng_below(&b->rng, np);
        p.suffix = (unsigned char)demo_rng_below(&b->rng, ns);
        if (!b->surname_used[p.prefix][p.suffix])
            break;
    }
    b->surname_used[p.prefix][p.suffix] = true;
    return surname(b, &p);
}

/* The organisation of a row. */
static enum cmd_demo_org
row_org(const struct row *r)
{
    static const enum cmd_demo_org schools[POOL_SLOTS] = {
        CM_DEMO_ORG_SCHOOL_DISTRICT, CM_DEMO_ORG_SCHOOL_ELEMENTARY, CM_DEMO_ORG_SCHOOL_MIDDLE,
        CM_DEMO_ORG_SCHOOL_HIGH};
    if (r->svc == CM_DEMO_SVC_NONE)
        return cmd_demo_staff[r->staff].org;
    const struct cmd_demo_service_def *d = &cmd_demo_services[r->svc];
    if (d->kind == CM_DEMO_KIND_SCHOOL)
        return schools[r->slot];
    if (d->kind == CM_DEMO_KIND_PERSONAL)
        return CM_DEMO_ORG_NONE;
    return r->slot == 1 ? d->alt : d->org;
}

/* The people who work at the organisations: drawn once from their own stream so that they do not
 * shift when the children's choices change, and all different (a name belongs to one person). */
static enum cm_code
draw_pool(struct builder *b, uint64_t seed)
{
    struct demo_rng r = {seed ^ 0x5EEDC0FFEEULL};
    bool(*used)[32][32] = cm_arena_calloc(b->a, 64, sizeof(*used));
    if (used == NULL)
        return nomem(b);
    int ng = (int)cmd_demo_pro_given.count, np = (int)cmd_demo_surname_prefix.count;
    int ns = (int)cmd_demo_surname_suffix.count;
    for (int s = 1; s < CM_DEMO_SVC_COUNT; s++) {
        for (int slot = 0; slot < POOL_SLOTS; slot++) {
            for (int k = 0; k < POOL; k++) {
                struct person p = {0};
                for (int tries = 0; tries < 1000; tries++) {
                    p.given = (unsigned char)demo_rng_below(&r, ng);
                    p.prefix = (unsigned char)demo_rng_below(&r, np);
                    p.suffix = (unsigned char)demo_rng_below(&r, ns);
                    if (!used[p.given][p.prefix][p.suffix])
                        break;
                }
                used[p.given][p.prefix][p.suffix] = true;
                p.ext = (unsigned short)demo_rng_between(&r, 100, 899);
                b->pool[s][slot][k] = p;
            }
        }
    }
    return CM_OK;
}

/* ---- planning a child's care team ------------------------------------------------------------ */

static bool
has(const struct plan *p, enum cmd_demo_svc s)
{
    for (size_t i = 0; i < p->n; i++) {
        if (p->rows[i].svc == s && p->rows[i].end_ago < 0)
            return true;
    }
    return false;
}

static bool
has_staff(const struct plan *p, int staff)
{
    for (size_t i = 0; i < p->n; i++) {
        if (p->rows[i].svc == CM_DEMO_SVC_NONE && p->rows[i].staff == staff)
            return true;
    }
    return false;
}

static bool
fits_age(const struct plan *p, enum cmd_demo_svc s)
{
    return p->age >= cmd_demo_services[s].min_age && p->age <= cmd_demo_services[s].max_age;
}

static size_t
active_count(const struct plan *p)
{
    size_t n = 0;
    for (size_t i = 0; i < p->n; i++)
        n += p->rows[i].end_ago < 0;
    return n;
}

/* A start within the enrolment period; many memberships begin when the child is enrolled. */
static int
start_ago(struct builder *b, const struct plan *p)
{
    return demo_rng_chance(&b->rng, 35) ? p->enrol_ago : demo_rng_between(&b->rng, 0, p->enrol_ago);
}

static struct row *
push(struct plan *p)
{
    if (p->n >= TEAM_MAX)
        return NULL;
    struct row *r = &p->rows[p->n++];
    memset(r, 0, sizeof(*r));
    r->end_ago = -1;
    return r;
}

static void
add_staff(struct builder *b, struct plan *p, int staff)
{
    if (has_staff(p, staff))
        return;
    struct row *r = push(p);
    if (r == NULL)
        return;
    r->svc = CM_DEMO_SVC_NONE;
    r->staff = staff;
    /* The lead joins at enrolment: that is what enrolment means here. */
    r->start_ago = staff == p->lead ? p->enrol_ago : start_ago(b, p);
}

/* One of the people at (s, slot) who is not yet on this child's team (a name is one person), or
 * -1 when all of them are. */
static int
free_person(struct builder *b, const struct plan *p, enum cmd_demo_svc s, int slot)
{
    int first = demo_rng_below(&b->rng, POOL);
    for (int k = 0; k < POOL; k++) {
        int cand = (first + k) % POOL;
        bool used = false;
        for (size_t i = 0; i < p->n && !used; i++)
            used = p->rows[i].svc == s && p->rows[i].slot == slot && p->rows[i].person == cand;
        if (!used)
            return cand;
    }
    return -1;
}

static void
personal(struct builder *b, struct person *who)
{
    who->given = (unsigned char)demo_rng_below(&b->rng, (int)cmd_demo_adult_women.count);
    who->prefix = (unsigned char)demo_rng_below(&b->rng, (int)cmd_demo_surname_prefix.count);
    who->suffix = (unsigned char)demo_rng_below(&b->rng, (int)cmd_demo_surname_suffix.count);
    who->ext = (unsigned short)demo_rng_between(&b->rng, 60, 99);
}

/* Adds a provider of s. A second provider of a service already on the team comes from the
 * alternative organisation when there is one, else it is another person at the same place.
 * NULL when the team is full or everyone who could provide it is already on it. */
static struct row *
add_service(struct builder *b, struct plan *p, enum cmd_demo_svc s)
{
    const struct cmd_demo_service_def *d = &cmd_demo_services[s];
    int slot = 0, person = 0;
    if (d->kind == CM_DEMO_KIND_SCHOOL) {
        slot = p->school_level;
        person = free_person(b, p, s, slot);
    } else if (d->kind != CM_DEMO_KIND_PERSONAL) {
        bool alt = d->alt != CM_DEMO_ORG_NONE;
        slot = alt && (has(p, s) || demo_rng_chance(&b->rng, 30)) ? 1 : 0;
        person = free_person(b, p, s, slot);
        if (person < 0 && alt) {
            slot = 1 - slot;
            person = free_person(b, p, s, slot);
        }
    }
    if (person < 0)
        return NULL;
    struct row *r = push(p);
    if (r == NULL)
        return NULL;
    r->svc = s;
    r->slot = slot;
    r->person = person;
    if (d->kind == CM_DEMO_KIND_PERSONAL)
        personal(b, &r->own);
    r->start_ago = start_ago(b, p);
    return r;
}

static void
add_once(struct builder *b, struct plan *p, enum cmd_demo_svc s)
{
    if (!has(p, s) && fits_age(p, s))
        (void)add_service(b, p, s);
}

static void
maybe(struct builder *b, struct plan *p, enum cmd_demo_svc s, int pct)
{
    if (demo_rng_chance(&b->rng, pct))
        add_once(b, p, s);
}

/* The internal staff: a lead coordinator from the child's practice and a backup, the complex care
 * pediatrician on most tier-3 children, primary care, and the social worker, family navigator and
 * community health worker where the family's needs call for them (Maypole 2020, Table 3). */
static void
plan_staff(struct builder *b, struct plan *p)
{
    bool riverbend = p->practice == CM_DEMO_ORG_RIVERBEND;
    int first = riverbend ? CM_DEMO_STAFF_ADA : CM_DEMO_STAFF_DEE;
    int second = riverbend ? CM_DEMO_STAFF_BEN : CM_DEMO_STAFF_CRUZ;
    p->lead = p->backup = -1;
    if (!b->no_lead[p->index]) {
        /* Riverbend: coord.ada leads two children in three, so her panel is the big one;
         * Lakeside: coord.dee and coord.cruz take turns. */
        int k = riverbend ? b->riverbend_leads++ : b->lakeside_leads++;
        p->lead = riverbend ? (k % 3 == 2 ? second : first) : (k % 2 == 0 ? first : second);
        int other = p->lead == first ? second : first;
        if (p->index == 1 || demo_rng_chance(&b->rng, 65))
            p->backup = other;
        else if (demo_rng_chance(&b->rng, 40))
            p->backup = riverbend ? CM_DEMO_STAFF_GRAY : CM_DEMO_STAFF_HALE;
        add_staff(b, p, p->lead);
        if (p->backup >= 0)
            add_staff(b, p, p->backup);
    } else if (p->index == 2 || demo_rng_chance(&b->rng, 50)) {
        /* On the team, but nobody designated them: one coordinator among several. */
        add_staff(b, p, demo_rng_chance(&b->rng, 50) ? first : second);
    }
    int ellis = p->tier == 3 ? 85 : p->tier == 2 ? 30 : 5;
    if (p->index == 1 || demo_rng_chance(&b->rng, ellis))
        add_staff(b, p, CM_DEMO_STAFF_ELLIS);
    if (demo_rng_chance(&b->rng, 70))
        add_staff(b, p, CM_DEMO_STAFF_FONG);
    else
        (void)add_service(b, p, CM_DEMO_SVC_PCP);
    if (demo_rng_chance(&b->rng, p->tier == 3 ? 45 : 20))
        add_staff(b, p, CM_DEMO_STAFF_GRAY);
    if (demo_rng_chance(&b->rng, p->spanish ? 60 : 20))
        add_staff(b, p, CM_DEMO_STAFF_HALE);
    if (demo_rng_chance(&b->rng, 25))
        add_staff(b, p, CM_DEMO_STAFF_ITO);
}

/* Technology brings its specialists, suppliers and home nursing. */
static void
plan_technology(struct builder *b, struct plan *p)
{
    if (p->tech & (CM_DEMO_TECH_TRACH | CM_DEMO_TECH_VENT)) {
        add_once(b, p, CM_DEMO_SVC_PULMONOLOGY);
        add_once(b, p, CM_DEMO_SVC_DME_RESPIRATORY);
        add_once(b, p, CM_DEMO_SVC_HOME_NURSING);
    }
    if (p->tech & CM_DEMO_TECH_TRACH) {
        add_once(b, p, CM_DEMO_SVC_ENT);
        add_once(b, p, CM_DEMO_SVC_DME_SUCTION);
    }
    if (p->tech & CM_DEMO_TECH_GTUBE) {
        add_once(b, p, CM_DEMO_SVC_GI);
        add_once(b, p, CM_DEMO_SVC_DME_FEEDING);
    }
    if (p->tech & CM_DEMO_TECH_SHUNT)
        add_once(b, p, CM_DEMO_SVC_NEUROSURGERY);
    if (p->tech & CM_DEMO_TECH_CENTRAL_LINE) {
        add_once(b, p, CM_DEMO_SVC_HOME_INFUSION);
        add_once(b, p, CM_DEMO_SVC_HOME_NURSING);
    }
    if (p->tech & CM_DEMO_TECH_WHEELCHAIR) {
        add_once(b, p, CM_DEMO_SVC_DME_WHEELCHAIR);
        maybe(b, p, CM_DEMO_SVC_TRANSPORT, 50);
    }
}

/* Early intervention before three (IDEA Part C), preschool special education at three and four,
 * then school with an IEP, and transition planning from fourteen. */
static void
plan_education(struct builder *b, struct plan *p)
{
    if (p->age < 3) {
        add_once(b, p, CM_DEMO_SVC_EI_COORDINATOR);
        maybe(b, p, CM_DEMO_SVC_EI_THERAPIST, 70);
        return;
    }
    if (p->age < 5) {
        add_once(b, p, CM_DEMO_SVC_PRESCHOOL);
    } else {
        add_once(b, p, CM_DEMO_SVC_SPECIAL_EDUCATION);
        maybe(b, p, CM_DEMO_SVC_SCHOOL_NURSE, (p->tech & CM_DEMO_TECH_DEPENDENT) ? 85 : 40);
    }
    maybe(b, p, CM_DEMO_SVC_SCHOOL_COORDINATOR, 40);
    maybe(b, p, CM_DEMO_SVC_SCHOOL_SLP, 30);
    if (p->tech & CM_DEMO_TECH_WHEELCHAIR)
        maybe(b, p, CM_DEMO_SVC_SCHOOL_PT, 50);
    maybe(b, p, CM_DEMO_SVC_TRANSITION, 60);
}

/* The other sectors: payer, community, mental health, family support. */
static void
plan_sectors(struct builder *b, struct plan *p)
{
    bool dependent = (p->tech & CM_DEMO_TECH_DEPENDENT) != 0;
    maybe(b, p, CM_DEMO_SVC_PLAN_CARE_MANAGER, p->tier == 3 ? 90 : 70);
    if (dependent && p->tier >= 2)
        maybe(b, p, CM_DEMO_SVC_WAIVER_CASE_MANAGER, 75);
    if (p->tier == 3)
        maybe(b, p, CM_DEMO_SVC_PRIOR_AUTH, 30);
    maybe(b, p, CM_DEMO_SVC_HOSPITAL_CASE_MANAGER, p->tier == 3 ? 55 : p->tier == 2 ? 20 : 5);
    if (p->tier == 3)
        maybe(b, p, CM_DEMO_SVC_PALLIATIVE, 20);
    maybe(b, p, CM_DEMO_SVC_FAMILY_THERAPY, p->tier == 3 ? 35 : 15);
    maybe(b, p, CM_DEMO_SVC_FOOD, 35);
    maybe(b, p, CM_DEMO_SVC_TRANSPORT, dependent ? 40 : 20);
    maybe(b, p, CM_DEMO_SVC_LEGAL, 15);
    maybe(b, p, CM_DEMO_SVC_BENEFITS, 20);
    maybe(b, p, CM_DEMO_SVC_PARENT_MENTOR, 50);
    maybe(b, p, CM_DEMO_SVC_RESPITE, p->tier == 3 ? 60 : 25);
    maybe(b, p, CM_DEMO_SVC_SIBLING, 20);
    maybe(b, p, CM_DEMO_SVC_INFORMAL, 30);
    maybe(b, p, CM_DEMO_SVC_FAITH, 15);
}

/* Every care map spans all seven sectors (Kuo 2018): when the choices above left one empty, the
 * most common member of that sector joins. */
static void
plan_every_sector(struct builder *b, struct plan *p)
{
    bool seen[CM_SECTOR_COUNT] = {false};
    for (size_t i = 0; i < p->n; i++) {
        const struct row *r = &p->rows[i];
        seen[r->svc == CM_DEMO_SVC_NONE ? cmd_demo_staff[r->staff].sector
                                        : cmd_demo_services[r->svc].sector] = true;
    }
    if (!seen[CM_SECTOR_MEDICAL])
        add_once(b, p, CM_DEMO_SVC_PCP);
    if (!seen[CM_SECTOR_MENTAL_HEALTH])
        add_once(b, p,
                 p->age >= 2 && demo_rng_chance(&b->rng, 50) ? CM_DEMO_SVC_PSYCHOLOGY
                                                             : CM_DEMO_SVC_FAMILY_THERAPY);
    if (!seen[CM_SECTOR_EDUCATION])
        add_once(b, p, CM_DEMO_SVC_SPECIAL_EDUCATION);
    if (!seen[CM_SECTOR_COMMUNITY])
        add_once(b, p, demo_rng_chance(&b->rng, 50) ? CM_DEMO_SVC_FOOD : CM_DEMO_SVC_TRANSPORT);
    if (!seen[CM_SECTOR_EQUIPMENT_HOME])
        add_once(b, p, demo_rng_chance(&b->rng, 50) ? CM_DEMO_SVC_ORTHOTICS : CM_DEMO_SVC_PHARMACY);
    if (!seen[CM_SECTOR_PAYER])
        add_once(b, p, CM_DEMO_SVC_PLAN_CARE_MANAGER);
    if (!seen[CM_SECTOR_FAMILY_SUPPORT])
        add_once(b, p,
                 demo_rng_chance(&b->rng, 50) ? CM_DEMO_SVC_PARENT_MENTOR : CM_DEMO_SVC_RESPITE);
}

/* Services any child's team may grow with, to reach the team's size. */
static const enum cmd_demo_svc extras[] = {
    CM_DEMO_SVC_NUTRITION,
    CM_DEMO_SVC_AUDIOLOGY,
    CM_DEMO_SVC_OPHTHALMOLOGY,
    CM_DEMO_SVC_DENTAL,
    CM_DEMO_SVC_GENETICS,
    CM_DEMO_SVC_PT,
    CM_DEMO_SVC_OT,
    CM_DEMO_SVC_SLP,
    CM_DEMO_SVC_FEEDING,
    CM_DEMO_SVC_ORTHOPEDICS,
    CM_DEMO_SVC_PMR,
    CM_DEMO_SVC_DEVPEDS,
    CM_DEMO_SVC_CARDIOLOGY,
    CM_DEMO_SVC_GI,
    CM_DEMO_SVC_NEUROLOGY,
    CM_DEMO_SVC_HOSPITAL_CASE_MANAGER,
    CM_DEMO_SVC_PSYCHOLOGY,
    CM_DEMO_SVC_PSYCHIATRY,
    CM_DEMO_SVC_FAMILY_THERAPY,
    CM_DEMO_SVC_EI_THERAPIST,
    CM_DEMO_SVC_SCHOOL_NURSE,
    CM_DEMO_SVC_SCHOOL_COORDINATOR,
    CM_DEMO_SVC_SCHOOL_SLP,
    CM_DEMO_SVC_SCHOOL_PT,
    CM_DEMO_SVC_TRANSITION,
    CM_DEMO_SVC_FOOD,
    CM_DEMO_SVC_TRANSPORT,
    CM_DEMO_SVC_LEGAL,
    CM_DEMO_SVC_BENEFITS,
    CM_DEMO_SVC_ORTHOTICS,
    CM_DEMO_SVC_PHARMACY,
    CM_DEMO_SVC_PLAN_CARE_MANAGER,
    CM_DEMO_SVC_PRIOR_AUTH,
    CM_DEMO_SVC_PARENT_MENTOR,
    CM_DEMO_SVC_RESPITE,
    CM_DEMO_SVC_SIBLING,
    CM_DEMO_SVC_INFORMAL,
    CM_DEMO_SVC_FAITH,
};

static void
plan_fill(struct builder *b, struct plan *p, size_t target)
{
    enum cmd_demo_svc cand[CM_ARRAY_LEN(extras)];
    size_t nc = 0;
    for (size_t i = 0; i < CM_ARRAY_LEN(extras); i++) {
        if (!has(p, extras[i]) && fits_age(p, extras[i]))
            cand[nc++] = extras[i];
    }
    while (active_count(p) < target && nc > 0) {
        int k = demo_rng_below(&b->rng, (int)nc);
        add_once(b, p, cand[k]);
        cand[k] = cand[--nc];
    }
    /* Out of distinct services: the rest are second opinions and second providers, of the kinds
     * families do end up with two of (specialists, therapists, equipment and nursing). */
    for (int tries = 0; active_count(p) < target && p->n < TEAM_MAX && tries < 1000; tries++) {
        const struct row *r = &p->rows[demo_rng_below(&b->rng, (int)p->n)];
        if (r->svc == CM_DEMO_SVC_NONE || r->svc == CM_DEMO_SVC_PCP || r->end_ago >= 0)
            continue;
        const struct cmd_demo_service_def *d = &cmd_demo_services[r->svc];
        if ((d->kind == CM_DEMO_KIND_DOCTOR || d->kind == CM_DEMO_KIND_PERSON) &&
            (d->sector == CM_SECTOR_MEDICAL || d->sector == CM_SECTOR_MENTAL_HEALTH ||
             d->sector == CM_SECTOR_EQUIPMENT_HOME))
            (void)add_service(b, p, r->svc);
    }
}

/* Redundancy (Kuo 2018: "unnecessary redundancies in care that were never seen before"): a second
 * suction supplier, two nursing agencies splitting the shifts, two physical therapists. */
static void
plan_redundancy(struct builder *b, struct plan *p)
{
    bool showcase = p->index <= 2;
    if ((p->tech & CM_DEMO_TECH_TRACH) && (showcase || demo_rng_chance(&b->rng, 50)))
        (void)add_service(b, p, CM_DEMO_SVC_DME_SUCTION);
    if (has(p, CM_DEMO_SVC_HOME_NURSING) && demo_rng_chance(&b->rng, 35))
        (void)add_service(b, p, CM_DEMO_SVC_HOME_NURSING);
    if (p->index == 2 || b->no_lead[p->index] || demo_rng_chance(&b->rng, 15)) {
        /* Two physical therapists at two clinics, each with their own plan. */
        add_once(b, p, CM_DEMO_SVC_PT);
        (void)add_service(b, p, CM_DEMO_SVC_PT);
    }
}

/* History: memberships that ended. A child who left early intervention at three keeps that
 * chapter; other services changed hands (a nursing agency, a supplier, a therapist who moved on),
 * the predecessor ending the day the successor started. */
static void
plan_history(struct builder *b, struct plan *p, int ended)
{
    if (ended > 0 && p->age >= 3 && p->age_days - 3 * 365 < p->enrol_ago) {
        struct row *r = add_service(b, p, CM_DEMO_SVC_EI_COORDINATOR);
        if (r != NULL) {
            r->start_ago = p->enrol_ago;
            r->end_ago = p->age_days - 3 * 365;
            if (r->end_ago < 1)
                r->end_ago = 1;
            if (r->end_ago > r->start_ago)
                r->end_ago = r->start_ago;
            ended--;
        }
    }
    /* Room for a predecessor: thirty days of service and a handover after enrolment. */
    if (p->enrol_ago < 90)
        return;
    bool replaced[TEAM_MAX] = {false};
    size_t n0 = p->n;
    for (int tries = 0; ended > 0 && tries < 500 && p->n < TEAM_MAX; tries++) {
        size_t si = (size_t)demo_rng_below(&b->rng, (int)n0);
        struct row *succ = &p->rows[si];
        if (replaced[si] || succ->svc == CM_DEMO_SVC_NONE || succ->end_ago >= 0 ||
            cmd_demo_services[succ->svc].kind == CM_DEMO_KIND_SCHOOL)
            continue;
        /* The one who had it before: the other provider, or a colleague at the same place. */
        const struct cmd_demo_service_def *d = &cmd_demo_services[succ->svc];
        int slot = succ->slot, person = 0;
        if (d->kind != CM_DEMO_KIND_PERSONAL) {
            if (d->alt != CM_DEMO_ORG_NONE && demo_rng_chance(&b->rng, 50))
                slot = 1 - slot;
            person = free_person(b, p, succ->svc, slot);
            if (person < 0)
                continue;
        }
        replaced[si] = true;
        succ->start_ago = demo_rng_between(&b->rng, 1, p->enrol_ago - 30);
        struct row *prev = push(p);
        *prev = *succ;
        prev->slot = slot;
        prev->person = person;
        if (d->kind == CM_DEMO_KIND_PERSONAL)
            personal(b, &prev->own);
        prev->start_ago = demo_rng_between(&b->rng, succ->start_ago + 30, p->enrol_ago);
        prev->end_ago = succ->start_ago;
        ended--;
    }
}

/* ---- planning a child ------------------------------------------------------------------------ */

static int
pick_profile(struct builder *b)
{
    int total = 0;
    for (int i = 0; i < CM_DEMO_PROFILE_COUNT; i++)
        total += cmd_demo_profiles[i].weight;
    int k = demo_rng_below(&b->rng, total);
    for (int i = 0; i < CM_DEMO_PROFILE_COUNT; i++) {
        k -= cmd_demo_profiles[i].weight;
        if (k < 0)
            return i;
    }
    return 0;
}

static int
pick_tier(struct builder *b, const struct cmd_demo_profile_def *pr)
{
    int k = demo_rng_below(&b->rng, 100);
    if (k < pr->tier_pct[0])
        return 1;
    return k < pr->tier_pct[0] + pr->tier_pct[1] ? 2 : 3;
}

/* The team's size in relationships, active and ended: 15 to 60, larger with the tier. DEMO-0001
 * has Kuo 2018's 58, of which 12 ended, leaving 46. */
static void
plan_sizes(struct builder *b, const struct plan *p, size_t *total, int *ended)
{
    if (p->index == 1) {
        *total = 58;
        *ended = 12;
        return;
    }
    if (p->tier == 1) {
        *total = (size_t)demo_rng_between(&b->rng, TEAM_MIN, 22);
        *ended = demo_rng_between(&b->rng, 0, 2);
    } else if (p->tier == 2) {
        *total = (size_t)demo_rng_between(&b->rng, 20, 34);
        *ended = demo_rng_between(&b->rng, 1, 4);
    } else {
        *total = (size_t)demo_rng_between(&b->rng, 28, 50);
        *ended = demo_rng_between(&b->rng, 2, 6);
    }
    if (p->enrol_ago < 90 && !(p->age >= 3 && p->age_days - 3 * 365 < p->enrol_ago))
        *ended = 0;
}

static void
plan_team(struct builder *b, struct plan *p)
{
    const struct cmd_demo_profile_def *pr = &cmd_demo_profiles[p->profile];
    plan_staff(b, p);
    for (size_t i = 0; i < CM_DEMO_PROFILE_SERVICES && pr->core[i] != CM_DEMO_SVC_NONE; i++)
        add_once(b, p, pr->core[i]);
    for (size_t i = 0; i < CM_DEMO_PROFILE_SERVICES && pr->likely[i] != CM_DEMO_SVC_NONE; i++)
        maybe(b, p, pr->likely[i], 50);
    plan_technology(b, p);
    plan_education(b, p);
    plan_sectors(b, p);
    if (b->no_lead[p->index]) {
        /* Several people coordinate, each for their own organisation, and nobody leads: the
         * hospital's case manager, the health plan's care manager, the school's (or early
         * intervention's) coordinator, and the waiver's case manager if the child has one. */
        for (int s = 1; s < CM_DEMO_SVC_COUNT; s++) {
            if (cmd_demo_services[s].coordinates && s != CM_DEMO_SVC_WAIVER_CASE_MANAGER)
                add_once(b, p, (enum cmd_demo_svc)s);
        }
    }
    plan_every_sector(b, p);
    plan_redundancy(b, p);
    size_t total;
    int ended;
    plan_sizes(b, p, &total, &ended);
    if (total > TEAM_MAX)
        total = TEAM_MAX;
    size_t active = total > (size_t)ended ? total - (size_t)ended : 0;
    plan_fill(b, p, active);
    int room = TEAM_MAX - (int)p->n;
    plan_history(b, p, ended < room ? ended : room);
    /* History that found no room to happen is made up with members who are still there. */
    if (p->n < TEAM_MIN)
        plan_fill(b, p, active_count(p) + TEAM_MIN - p->n);
}

/* ---- writing --------------------------------------------------------------------------------- */

/* Records keep the time they would have been made (the store keeps a creation time the caller
 * sets): organisations and staff when the program began, three years ago, at nine in the
 * morning; children and their family accounts on their day of enrolment. */
static int64_t
program_started(const struct builder *b)
{
    return b->today0 - (int64_t)ENROL_DAYS * DAY_S + 9 * 3600;
}

static enum cm_code
write_orgs(struct builder *b)
{
    for (int i = 1; i < CM_DEMO_ORG_COUNT; i++) {
        const struct cmd_demo_org_def *d = &cmd_demo_orgs[i];
        struct cm_organization o = {
            .meta.created_at = program_started(b),
            .program_id = b->v.program_id,
            .name = d->name,
            .type = d->type,
            .phone = cm_arena_printf(b->a, "555-01%02d", i),
            .email = cm_arena_printf(b->a, "%s@example.org", d->domain),
            .address = d->address,
        };
        if (o.phone == NULL || o.email == NULL)
            return nomem(b);
        enum cm_code rc = cm_store_organization_create(b->c, &o, 0, b->err);
        if (rc != CM_OK)
            return rc;
        b->org_id[i] = o.meta.id;
        b->sum->organizations++;
    }
    return CM_OK;
}

static void
add_signin(struct builder *b, const char *username, enum cm_role role, const char *name,
           const char *note)
{
    struct cmd_demo_summary *s = b->sum;
    if (s->signin_count < CMD_DEMO_SIGNINS_MAX)
        s->signins[s->signin_count++] =
            (struct cmd_demo_signin){username, cm_role_name(role), name, note};
}

static enum cm_code
write_staff(struct builder *b)
{
    for (int i = 0; i < CM_DEMO_STAFF_COUNT; i++) {
        const struct cmd_demo_staff_def *d = &cmd_demo_staff[i];
        struct cm_user u = {
            .meta.created_at = program_started(b),
            .program_id = b->v.program_id,
            .username = d->username,
            .display_name = d->display_name,
            .role = d->role,
            .organization_id = b->org_id[d->org],
            .language = "en",
            .email = cm_arena_printf(b->a, "%s@example.org", d->username),
            .phone = cm_arena_printf(b->a, "555-01%02d", 40 + i),
            .password_hash = b->hash[i],
        };
        if (u.email == NULL || u.phone == NULL)
            return nomem(b);
        enum cm_code rc = cm_store_user_create(b->c, &u, 0, b->err);
        if (rc != CM_OK)
            return rc;
        b->staff_id[i] = u.meta.id;
        b->sum->staff_users++;
        add_signin(b, d->username, d->role, d->display_name,
                   d->org != CM_DEMO_ORG_NONE ? cmd_demo_orgs[d->org].name : "");
    }
    return CM_OK;
}

/* Fills t from a planned row. */
static enum cm_code
member_of(struct builder *b, const struct row *r, int64_t child_id, struct cm_team_member *t)
{
    memset(t, 0, sizeof(*t));
    t->child_id = child_id;
    t->start_date = day(b, r->start_ago);
    enum cmd_demo_org org = row_org(r);
    t->organization_id = b->org_id[org];
    if (r->svc == CM_DEMO_SVC_NONE) {
        const struct cmd_demo_staff_def *d = &cmd_demo_staff[r->staff];
        t->user_id = b->staff_id[r->staff];
        t->role = cm_role_name(d->role);
        t->service = d->service;
        t->sector = d->sector;
        t->phone = cm_arena_printf(b->a, "555-01%02d", 40 + r->staff);
        t->email = cm_arena_printf(b->a, "%s@example.org", d->username);
    } else {
        const struct cmd_demo_service_def *d = &cmd_demo_services[r->svc];
        const struct person *who =
            d->kind == CM_DEMO_KIND_PERSONAL ? &r->own : &b->pool[r->svc][r->slot][r->person];
        const char *given = d->kind == CM_DEMO_KIND_PERSONAL
                                ? cmd_demo_adult_women.items[who->given]
                                : cmd_demo_pro_given.items[who->given];
        const char *family = surname(b, who);
        t->name = cm_arena_printf(b->a, "%s%s %s", d->kind == CM_DEMO_KIND_DOCTOR ? "Dr. " : "",
                                  given, family);
        t->role = d->role;
        t->service = d->service;
        t->sector = d->sector;
        if (d->kind == CM_DEMO_KIND_PERSONAL) {
            t->phone = cm_arena_printf(b->a, "555-01%02d", who->ext);
        } else {
            t->phone = cm_arena_printf(b->a, "555-01%02d x%u", (int)org, who->ext);
            t->email = email(b, given, family, "example.org");
            if (t->email == NULL)
                return nomem(b);
        }
        if (t->name == NULL)
            return nomem(b);
    }
    if (t->start_date == NULL || t->phone == NULL)
        return nomem(b);
    return CM_OK;
}

/* Two active external members with the same service: what a care map flags as a redundancy. */
static bool
has_duplicate(const struct plan *p)
{
    for (size_t i = 0; i < p->n; i++) {
        const struct row *x = &p->rows[i];
        if (x->svc == CM_DEMO_SVC_NONE || x->end_ago >= 0)
            continue;
        for (size_t j = i + 1; j < p->n; j++) {
            const struct row *y = &p->rows[j];
            if (y->svc != CM_DEMO_SVC_NONE && y->end_ago < 0 &&
                strcmp(cmd_demo_services[x->svc].service, cmd_demo_services[y->svc].service) == 0)
                return true;
        }
    }
    return false;
}

static enum cm_code
write_team(struct builder *b, const struct plan *p, struct cm_child *ch)
{
    int64_t lead_id = 0, backup_id = 0;
    /* History first, so the record reads in the order things happened. */
    for (int pass = 0; pass < 2; pass++) {
        for (size_t i = 0; i < p->n; i++) {
            const struct row *r = &p->rows[i];
            if ((pass == 0) != (r->end_ago >= 0))
                continue;
            struct cm_team_member t;
            enum cm_code rc = member_of(b, r, ch->meta.id, &t);
            if (rc == CM_OK)
                rc = cm_store_team_create(b->c, &b->v, b->now, &t, b->err);
            if (rc == CM_OK && r->end_ago >= 0) {
                const char *end = day(b, r->end_ago);
                if (end == NULL)
                    return nomem(b);
                rc = cm_store_team_end(b->c, &b->v, ch->meta.id, t.meta.id, t.meta.version, end,
                                       b->now, b->err);
            }
            if (rc != CM_OK)
                return rc;
            b->sum->relationships++;
            if (r->end_ago >= 0) {
                b->sum->ended_relationships++;
                continue;
            }
            b->sum->active_relationships++;
            if (r->svc == CM_DEMO_SVC_NONE && r->staff == p->lead)
                lead_id = t.meta.id;
            if (r->svc == CM_DEMO_SVC_NONE && r->staff == p->backup)
                backup_id = t.meta.id;
        }
    }
    if (lead_id == 0) {
        b->sum->children_without_lead++;
        return CM_OK;
    }
    return cm_store_team_set_lead(b->c, &b->v, ch->meta.id, ch->meta.version, lead_id, backup_id,
                                  b->now, b->err);
}

/* Parents, grandparents, foster parents and other caregivers: a guardian first, then up to two
 * more. Fills *guardian with the first, as stored. */
static enum cm_code
write_family(struct builder *b, const struct plan *p, const struct cm_child *ch,
             struct cm_family_member *guardian)
{
    const char *lang = ch->preferred_language;
    bool es = p->spanish;
    const struct cmd_demo_names *women = es ? &cmd_demo_adult_women_es : &cmd_demo_adult_women;
    const struct cmd_demo_names *men = es ? &cmd_demo_adult_men_es : &cmd_demo_adult_men;
    static const char *const firsts[] = {"mother", "father", "grandparent", "foster_parent",
                                         "guardian"};
    static const int first_pct[] = {55, 20, 10, 8, 7};
    int k = demo_rng_below(&b->rng, 100), fi = 0;
    while (fi < 4 && k >= first_pct[fi]) {
        k -= first_pct[fi];
        fi++;
    }
    const char *rel[3] = {firsts[fi], NULL, NULL};
    bool guard[3] = {true, false, false};
    if (demo_rng_chance(&b->rng, 70)) {
        if (fi == 0)
            rel[1] = demo_rng_chance(&b->rng, 60)   ? "father"
                     : demo_rng_chance(&b->rng, 60) ? "grandparent"
                                                    : "other_caregiver";
        else if (fi == 1)
            rel[1] = demo_rng_chance(&b->rng, 70) ? "mother" : "grandparent";
        else if (fi == 2)
            rel[1] = demo_rng_chance(&b->rng, 50) ? "grandparent" : "other_caregiver";
        else if (fi == 3)
            rel[1] = "foster_parent";
        else
            rel[1] = "other_caregiver";
        guard[1] = strcmp(rel[1], "mother") == 0 || strcmp(rel[1], "father") == 0 ||
                   strcmp(rel[1], "foster_parent") == 0;
        if (demo_rng_chance(&b->rng, 30))
            rel[2] = demo_rng_chance(&b->rng, 40)   ? "sibling"
                     : demo_rng_chance(&b->rng, 50) ? "grandparent"
                                                    : "other_caregiver";
    }
    for (int m = 0; m < 3 && rel[m] != NULL; m++) {
        bool woman = strcmp(rel[m], "mother") == 0   ? true
                     : strcmp(rel[m], "father") == 0 ? false
                                                     : demo_rng_chance(&b->rng, 65);
        const char *given = pick(&b->rng, woman ? women : men);
        const char *family = ch->family_name;
        bool own_name = strcmp(rel[m], "foster_parent") == 0 || strcmp(rel[m], "guardian") == 0 ||
                        (strcmp(rel[m], "sibling") != 0 && strcmp(rel[m], "father") != 0 &&
                         demo_rng_chance(&b->rng, 25));
        if (own_name)
            family = family_surname(b);
        const char *mlang = m == 0 ? lang : es && demo_rng_chance(&b->rng, 70) ? "es" : "en";
        struct cm_family_member f = {
            .child_id = ch->meta.id,
            .given_name = given,
            .family_name = family,
            .relationship = rel[m],
            .is_guardian = guard[m],
            .lives_with_child = m == 0 || demo_rng_chance(&b->rng, 60),
            .phone = cm_arena_printf(b->a, "555-01%02d", demo_rng_between(&b->rng, 60, 99)),
            .email = demo_rng_chance(&b->rng, m == 0 ? 75 : 40)
                         ? email(b, given, family, "example.net")
                         : NULL,
            .preferred_language = mlang,
        };
        if (f.phone == NULL || family == NULL)
            return nomem(b);
        enum cm_code rc = cm_store_family_create(b->c, &b->v, b->now, &f, b->err);
        if (rc != CM_OK)
            return rc;
        if (m == 0)
            *guardian = f;
        b->sum->family_members++;
    }
    return CM_OK;
}

/* A portal account for the guardian of one of the first children. */
static enum cm_code
write_family_account(struct builder *b, const struct plan *p, const struct cm_child *ch,
                     const struct cm_family_member *g)
{
    const char *username = cm_arena_printf(b->a, "family.demo-%04d", p->index);
    const char *name = cm_arena_printf(b->a, "%s %s", g->given_name, g->family_name);
    char *note = cm_arena_printf(b->a, "%s of %s", g->relationship, ch->record_number);
    if (username == NULL || name == NULL || note == NULL)
        return nomem(b);
    for (char *q = note; *q != '\0'; q++)
        *q = *q == '_' ? ' ' : *q; /* "foster parent of DEMO-0011" */
    struct cm_user u = {
        .meta.created_at = b->today0 - (int64_t)p->enrol_ago * DAY_S + 10 * 3600,
        .program_id = b->v.program_id,
        .username = username,
        .display_name = name,
        .role = CM_ROLE_FAMILY,
        .language = g->preferred_language,
        .email = g->email,
        .phone = g->phone,
        .password_hash = b->hash[CM_DEMO_STAFF_COUNT + p->index - 1],
    };
    enum cm_code rc = cm_store_user_create(b->c, &u, 0, b->err);
    if (rc == CM_OK)
        rc = cm_store_family_link_user(b->c, b->v.program_id, g->meta.id, u.meta.id, b->err);
    if (rc != CM_OK)
        return rc;
    b->sum->family_users++;
    add_signin(b, username, CM_ROLE_FAMILY, name, note);
    return CM_OK;
}

static void
plan_child(struct builder *b, struct plan *p, int index)
{
    memset(p, 0, sizeof(*p));
    p->index = index;
    p->practice = index % 2 == 1 ? CM_DEMO_ORG_RIVERBEND : CM_DEMO_ORG_LAKESIDE;
    p->profile = index == 1   ? CM_DEMO_PROFILE_AIRWAY
                 : index == 2 ? CM_DEMO_PROFILE_CEREBRAL_PALSY
                              : pick_profile(b);
    const struct cmd_demo_profile_def *pr = &cmd_demo_profiles[p->profile];
    p->tech = pr->tech;
    /* DEMO-0003 .. DEMO-0008 alternate between the practices with tiers 1, 1, 2, 2, 3, 3, so
     * every tier is on both practices' panels whatever the seed. */
    static const int forced_tier[] = {3, 3, 1, 1, 2, 2, 3, 3};
    p->tier = index <= 8 ? forced_tier[index - 1] : pick_tier(b, pr);
    /* DEMO-0007 is old enough to have been enrolled over a year ago (its plan is stale). */
    int years = index == 1 ? 8
                : index == 7
                    ? demo_rng_between(&b->rng, pr->min_age > 3 ? pr->min_age : 3, pr->max_age)
                    : demo_rng_between(&b->rng, pr->min_age, pr->max_age);
    /* Three weeks old at least: enrolment comes after the first discharge home. */
    p->age_days = years * 365 + demo_rng_between(&b->rng, years == 0 ? 21 : 0, 364);
    p->spanish = b->spanish[index];
    p->enrol_ago = index == 1   ? 900
                   : index == 7 ? demo_rng_between(&b->rng, 400, ENROL_DAYS - 1)
                                : demo_rng_between(&b->rng, 1, ENROL_DAYS - 1);
    if (p->enrol_ago > p->age_days - 14)
        p->enrol_ago = p->age_days - 14;
}

static enum cm_code
write_child(struct builder *b, struct plan *p)
{
    bool girl = demo_rng_chance(&b->rng, 50);
    const struct cmd_demo_names *names =
        p->spanish ? (girl ? &cmd_demo_child_girls_es : &cmd_demo_child_boys_es)
                   : (girl ? &cmd_demo_child_girls : &cmd_demo_child_boys);
    struct cm_child ch = {
        /* The record was made on the day of enrolment, in the morning. */
        .meta.created_at = b->today0 - (int64_t)p->enrol_ago * DAY_S + 9 * 3600,
        .program_id = b->v.program_id,
        .record_number = cm_arena_printf(b->a, "DEMO-%04d", p->index),
        .given_name = pick(&b->rng, names),
        .family_name = family_surname(b),
        .birth_date = day(b, p->age_days),
        .sex = girl ? "female" : "male",
        .preferred_language = p->spanish ? "es" : "en",
        .enrolled_on = day(b, p->enrol_ago),
        .tier = p->tier,
    };
    if (ch.record_number == NULL || ch.birth_date == NULL || ch.enrolled_on == NULL)
        return nomem(b);
    char today[11];
    cm_date_of(b->today0, today);
    p->age = cm_model_age_years(ch.birth_date, today);
    p->school_level = p->age < 5 ? 0 : p->age <= 10 ? 1 : p->age <= 13 ? 2 : 3;

    /* Most plans were updated recently; some are over six months old and due for review, and some
     * children have never had one (whatever the seed: DEMO-0001 current, DEMO-0006 never,
     * DEMO-0007 stale). */
    int k = p->index == 1   ? 99
            : p->index == 6 ? 0
            : p->index == 7 ? 20
                            : demo_rng_below(&b->rng, 100);
    if (k >= 14) {
        bool stale = k < 34 && p->enrol_ago > STALE_DAYS + 14;
        int ago = stale ? demo_rng_between(&b->rng, STALE_DAYS + 7, p->enrol_ago)
                        : demo_rng_between(&b->rng, 1, p->enrol_ago < 150 ? p->enrol_ago : 150);
        /* At least a day ago, in working hours: never after `now`, never before enrolment. */
        ch.plan_updated_at =
            b->today0 - (int64_t)ago * DAY_S + demo_rng_between(&b->rng, 8, 18) * 3600;
    }

    enum cm_code rc = cm_store_child_create(b->c, &b->v, &ch, b->err);
    if (rc != CM_OK)
        return rc;
    b->sum->children++;

    struct cm_family_member guardian = {0};
    rc = write_family(b, p, &ch, &guardian);
    if (rc != CM_OK)
        return rc;
    plan_team(b, p);
    if (has_duplicate(p))
        b->sum->children_with_duplicates++;
    rc = write_team(b, p, &ch);
    if (rc == CM_OK && p->index <= CMD_DEMO_FAMILY_ACCOUNTS)
        rc = write_family_account(b, p, &ch, &guardian);
    if (rc == CM_OK) {
        /* The shared plan of care, once the team and family it names exist; dated to match the
         * plan date drawn above (which the plan's own writes then set again). */
        struct cmd_demo_plan_child pc = {
            .index = p->index,
            .profile = p->profile,
            .tech = p->tech,
            .age = p->age,
            .age_days = p->age_days,
            .enrol_ago = p->enrol_ago,
            .child = &ch,
            .plan_updated_at = ch.plan_updated_at,
        };
        rc = cmd_demo_plan_write(&b->plan, &pc, &b->plans, b->err);
    }
    return rc;
}

/* ---- checks and the whole ----------------------------------------------------------------------
 */

static const char *
family_username(struct cm_arena *a, int i)
{
    return cm_arena_printf(a, "family.demo-%04d", i);
}

/* CM_ECONFLICT unless the database is new to the demo: no children in its first program and none
 * of the demo's usernames taken. */
static enum cm_code
check_new(struct cm_conn *c, int64_t now, struct cm_arena *a, struct cm_err *err)
{
    struct cm_err probe = {0};
    int64_t program_id = 0;
    enum cm_code rc = cm_store_program_first(c, &program_id, &probe);
    if (rc == CM_OK) {
        struct cm_viewer v = {0, CM_ROLE_ADMINISTRATOR, program_id};
        struct cm_panel_filter f = {.limit = 1};
        struct cm_panel panel = {0};
        rc = cm_store_child_panel(c, &v, &f, now, &panel, a, err);
        if (rc != CM_OK)
            return rc;
        if (panel.total > 0)
            return cm_err_set(err, CM_ECONFLICT, "db",
                              "the database already holds %lld children; the demo loads only into "
                              "a new database (give --db a new file)",
                              (long long)panel.total);
    } else if (rc != CM_ENOTFOUND) {
        *err = probe;
        return rc;
    }
    for (int i = 0; i < CM_DEMO_STAFF_COUNT + CMD_DEMO_FAMILY_ACCOUNTS; i++) {
        const char *name = i < CM_DEMO_STAFF_COUNT
                               ? cmd_demo_staff[i].username
                               : family_username(a, i - CM_DEMO_STAFF_COUNT + 1);
        if (name == NULL)
            return cm_err_set(err, CM_ENOMEM, "", "the demo ran out of memory");
        struct cm_user u;
        cm_err_clear(&probe);
        rc = cm_store_user_by_username(c, name, &u, a, &probe);
        if (rc == CM_OK)
            return cm_err_set(err, CM_ECONFLICT, "db",
                              "the database already has a user named '%s'; the demo loads only "
                              "into a new database (give --db a new file)",
                              name);
        if (rc != CM_ENOTFOUND) {
            *err = probe;
            return rc;
        }
    }
    return CM_OK;
}

/* Everything inside the write transaction. */
static enum cm_code
build(struct builder *b, uint64_t seed)
{
    enum cm_code rc =
        cm_store_program_create(b->c, CMD_DEMO_PROGRAM_NAME, &b->v.program_id, b->err);
    if (rc == CM_OK)
        rc = write_orgs(b);
    if (rc == CM_OK)
        rc = write_staff(b);
    if (rc != CM_OK)
        return rc;

    /* Children without a designated lead: DEMO-0002 and four to six others (never DEMO-0001 or
     * the tier-coverage children DEMO-0003 .. DEMO-0008). */
    b->no_lead[2] = true;
    for (int want = demo_rng_between(&b->rng, 4, 6); want > 0;) {
        int i = demo_rng_between(&b->rng, 9, CMD_DEMO_CHILDREN);
        if (!b->no_lead[i]) {
            b->no_lead[i] = true;
            want--;
        }
    }
    /* A quarter of the families speak Spanish at home: DEMO-0002 and 15 others. */
    b->spanish[2] = true;
    for (int want = CMD_DEMO_CHILDREN / 4 - 1; want > 0;) {
        int i = demo_rng_between(&b->rng, 3, CMD_DEMO_CHILDREN);
        if (!b->spanish[i]) {
            b->spanish[i] = true;
            want--;
        }
    }
    b->plan = (struct cmd_demo_plan_ctx){b->c, seed, b->today0, b->v.program_id};
    struct plan *p = cm_arena_alloc(b->a, sizeof(*p));
    if (p == NULL)
        return nomem(b);
    for (int i = 1; i <= CMD_DEMO_CHILDREN && rc == CM_OK; i++) {
        plan_child(b, p, i);
        rc = write_child(b, p);
    }
    if (rc != CM_OK)
        return rc;

    char *detail = cm_arena_printf(
        b->a, "seed=%llu children=%zu users=%zu relationships=%zu plan_items=%zu plan_versions=%zu",
        (unsigned long long)seed, b->sum->children, b->sum->staff_users + b->sum->family_users,
        b->sum->relationships, b->plans.items, b->plans.versions);
    if (detail == NULL)
        return nomem(b);
    struct cm_audit_event ev = {
        .at = b->now,
        .user_id = 0,
        .role = CM_ROLE_NONE,
        .action = "demo.load",
        .outcome = "ok",
        .request_id = "cli",
        .detail = detail,
    };
    return cm_store_audit_append(b->c, &ev, 1, b->a, b->err);
}

enum cm_code
cmd_demo_build(struct cm_conn *c, uint64_t seed, int64_t now, struct cmd_demo_summary *out,
               struct cm_arena *a, struct cm_err *err)
{
    memset(out, 0, sizeof(*out));
    enum cm_code rc = check_new(c, now, a, err);
    if (rc != CM_OK)
        return rc;

    struct builder *b = cm_arena_calloc(a, 1, sizeof(*b));
    if (b == NULL)
        return cm_err_set(err, CM_ENOMEM, "", "the demo ran out of memory");
    b->c = c;
    b->a = a;
    b->err = err;
    b->rng.s = seed;
    b->now = now;
    b->sum = out;
    b->v.role = CM_ROLE_ADMINISTRATOR; /* user 0: the system, acting program-wide */
    char today[11];
    cm_date_of(now, today);
    rc = cm_date_parse(today, &b->today0, "now", err);
    if (rc != CM_OK)
        return rc;
    rc = draw_pool(b, seed);
    if (rc != CM_OK)
        return rc;

    /* Hash before taking the write lock: argon2id is deliberately slow. */
    for (int i = 0; i < CM_DEMO_STAFF_COUNT + CMD_DEMO_FAMILY_ACCOUNTS; i++) {
        char *h = cm_arena_alloc(a, CM_PASSWORD_HASH_MAX);
        if (h == NULL)
            return cm_err_set(err, CM_ENOMEM, "", "the demo ran out of memory");
        rc = cm_access_password_hash(CMD_DEMO_PASSWORD, h, err);
        if (rc != CM_OK)
            return rc;
        b->hash[i] = h;
    }

    rc = cm_store_begin(c, true, err);
    if (rc != CM_OK)
        return rc;
    /* Again inside the transaction, so two demos started at once cannot both load. */
    rc = check_new(c, now, a, err);
    if (rc == CM_OK)
        rc = build(b, seed);
    if (rc == CM_OK)
        rc = cm_store_commit(c, err);
    if (rc != CM_OK) {
        cm_store_rollback(c);
        memset(out, 0, sizeof(*out));
        return rc;
    }
    out->program_id = b->v.program_id;
    return CM_OK;
}
