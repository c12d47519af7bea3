/*
 * demo_identify: two months of synthetic claims for the demo program, loaded as the demo analyst
 * through the same loader as `caremap identify --load` (see demo_identify.h for why PMCA).
 *
 * The claims. Every code is a real listed one, taken from the embedded lists and sorted by what the
 * classifiers themselves make of it (cm_pmca_code_flags, cm_identify_ccc2_match), so a member meant
 * for tier 1 has exactly one PMCA body system whatever the lists hold:
 *   - chronic codes: the patterns of the embedded PMCA rules (CM_PMCA_RULES_NAME, identify/pmca.h)
 *     that set one body system, or a progressive condition, or a malignancy, and no CCC technology;
 *   - technology: the ICD-10 status codes (Z...) of the CCC v2 tech_dep category
 *     (data/codelists/ccc_v2_icd10_pccc_1.0.6.tsv), which the default tiers read through
 *     ccc_tech_dep;
 *   - everyday codes (a cold, a well-child visit), checked to set nothing in either list.
 * Each member has a kind (below) that decides its codes and its encounters, so every rule of the
 * default tiers (data/stratify/tiers.json) fires for someone in both months.
 *
 * The months. The runs are for the two calendar months before `now` (M1, then M2), each with the
 * encounters of the rules' window (12 months) up to that month's last day. Encounters are dated in
 * the months both windows share, except on purpose: an admission in the month only the first
 * window holds (it ages out), and one in M2 (the second run sees it first). So what changes between
 * the runs is what this file chose to change:
 *   new      members only in M2's claims, and members whose first chronic code appears in M2;
 *   changed  tier 2 -> 3 (a second admission, or a technology code, in M2), tier 1 -> 2 (a second
 *            body system), tier 3 -> 2 (one of two admissions leaves the window);
 *   dropped  members not in M2's claims (they left the plan).
 *
 * Ids only: member ids, run ids and counts go to the log; the codes never do.
 */
#include "cmd/demo_identify.h"
#include "cmd/demo_rng.h"

#include "cmd/demo_data.h"
#include "cmd/identify_load.h"
#include "core/data.h"
#include "identify/identify.h"
#include "identify/pmca.h"
#include "identify/stratify.h"
#include "store/registry.h"

#include <jansson.h>
#include <stdlib.h>
#include <string.h>

#define DAY_S         86400
#define MEMBERS_MIN   290 /* members in the first month's claims */
#define MEMBERS_MAX   310
#define JOINERS_MIN   15 /* members who join the plan in the second month */
#define JOINERS_MAX   25
#define CODES_MAX     16 /* codes of one member, the second month's included */
#define ENC_MAX       24 /* encounters of one member */
#define SCRATCH_BYTES (32u << 20)
#define PAGE          200 /* candidates read at a time (the store's maximum) */

/* ---- members --------------------------------------------------------------------------------- */

enum kind {
    K_NONE,   /* everyday codes only: no chronic condition, no tier */
    K_ONE,    /* one body system: non-complex chronic, tier 1 (tier1-chronic) */
    K_TWO,    /* two body systems: complex chronic, tier 2 (tier2-complex) */
    K_PROG,   /* a progressive condition: complex chronic, tier 2 */
    K_MALIGN, /* a malignancy: complex chronic, tier 2 */
    K_TECH,   /* complex chronic and a technology code: tier 3 (tier3-technology) */
    K_ADMIT,  /* complex chronic and 2-3 admissions: tier 3 (tier3-admissions) */
    K_ED,     /* complex chronic and 3-5 ED visits: tier 3 (tier3-ed-visits) */
    K_CHILD,  /* a demo child: its plan's condition codes */
};

/* The mix of the first month's claims, in percent, K_NONE .. K_ED: most members of a plan have no
 * chronic condition; a program's candidates are the rest. A demo's mix, not an estimate. */
static const int kind_pct[] = {40, 28, 12, 5, 3, 5, 4, 3};

enum change {
    C_NONE,
    C_DROP,      /* not in the second month's claims */
    C_JOIN,      /* only in the second month's claims */
    C_ADMISSION, /* tier 2 with one admission gets a second in M2: tier 3 */
    C_TECH,      /* tier 2 gets a technology code in M2: tier 3 */
    C_SYSTEM,    /* tier 1 gets a code of a second body system in M2: tier 2 */
    C_CHRONIC,   /* no tier, then a first chronic code in M2: tier 1, a new candidate */
    C_AGED_OUT,  /* tier 3 by two admissions, one of them in the month M2's window has left */
};

struct member {
    char id[8]; /* M000123 */
    enum kind kind;
    enum change change;
    const char *codes[CODES_MAX];
    size_t ncodes;
    const char *extra; /* the code M2's claims add (C_TECH, C_SYSTEM, C_CHRONIC), or NULL */
    int64_t enc_at[ENC_MAX];
    unsigned char enc_type[ENC_MAX]; /* enum cm_encounter_type */
    size_t nenc;
    int64_t child_id; /* K_CHILD: the demo child */
    int tier;         /* K_CHILD: the child's tier in the program */
};

/* ---- code pools ------------------------------------------------------------------------------ */

struct pool {
    const char **codes; /* dotted */
    size_t n, cap;
};

/* Everyday reasons for a claim, dotted as written on a claim. Checked when the pools are built to
 * set no PMCA flag and no CCC v2 category. */
static const char *const everyday[] = {
    "J06.9",    /* acute upper respiratory infection */
    "Z00.129",  /* well-child visit without abnormal findings */
    "Z00.121",  /* well-child visit with abnormal findings */
    "H66.90",   /* otitis media */
    "J02.9",    /* acute pharyngitis */
    "R50.9",    /* fever */
    "A08.4",    /* viral intestinal infection */
    "Z23",      /* immunization */
    "B34.9",    /* viral infection */
    "J20.9",    /* acute bronchitis */
    "S93.401A", /* ankle sprain */
};

/* Body systems in the proportions the claims use them: loosely those that bring children to a
 * complex care program. A demo's mix, not an estimate. */
static const struct {
    const char *name; /* cm_pmca_systems */
    int weight;
} system_mix[] = {
    {"neuro", 22}, {"pulresp", 12}, {"gastro", 12}, {"cardiac", 10}, {"genetic", 8}, {"metab", 6},
    {"mh", 6},     {"endo", 5},     {"musculo", 5}, {"renal", 4},    {"hemato", 3},  {"immuno", 3},
    {"genito", 2}, {"opthal", 2},   {"otol", 1},    {"derm", 1},     {"cranio", 1},
};

struct gen {
    const struct cm_config *cfg;
    struct cm_conn *c;
    struct cm_arena *a; /* scratch, freed on return */
    struct cm_err *err;
    struct demo_rng rng;
    int64_t now;
    struct cmd_demo_identify_summary *sum;
    struct cm_viewer analyst;
    struct cm_viewer system; /* user 0, program-wide: reads the demo's children as the builder */

    struct cm_pmca_rules *pmca;
    struct cm_identify_ccc2 *ccc2;
    struct cm_stratify_rules *tiers;
    uint16_t ccc_tech, ccc_transplant; /* the CCC v2 column bits */

    struct pool system_codes[CM_PMCA_SYSTEMS]; /* one body system, nothing else */
    struct pool progressive, malignancy, technology;
    int mix_system[CM_ARRAY_LEN(system_mix)];
    int mix_total;

    /* Days (UTC midnights): the window of M2 begins after `shared_from - 1 day`; the month only
     * M1's window holds is [aged_from, shared_from); M2 is [m2_from, as_of[1]]. */
    int64_t as_of[2], shared_from, aged_from, m2_from;
    char as_of_s[2][11];

    struct member *m;
    size_t n, cap;
};

static enum cm_code
nomem(struct gen *g)
{
    return cm_err_set(g->err, CM_ENOMEM, "", "the demo ran out of memory");
}

/* A listed (undotted) code written as a claim spells it: a dot after the third character. */
static const char *
dotted(struct gen *g, const char *code, size_t len)
{
    if (len <= 3)
        return cm_arena_printf(g->a, "%.*s", (int)len, code);
    return cm_arena_printf(g->a, "%.3s.%.*s", code, (int)(len - 3), code + 3);
}

static enum cm_code
pool_add(struct gen *g, struct pool *p, const char *code)
{
    if (p->n == p->cap) {
        size_t cap = p->cap == 0 ? 32 : p->cap * 2;
        const char **codes = cm_arena_alloc(g->a, cap * sizeof(*codes));
        if (codes == NULL)
            return nomem(g);
        if (p->n > 0)
            memcpy(codes, p->codes, p->n * sizeof(*codes));
        p->codes = codes;
        p->cap = cap;
    }
    p->codes[p->n++] = code;
    return CM_OK;
}

static const char *
pool_pick(struct gen *g, const struct pool *p)
{
    return p->codes[demo_rng_below(&g->rng, (int)p->n)];
}

static int
popcount(uint32_t x)
{
    int n = 0;
    for (; x != 0; x &= x - 1)
        n++;
    return n;
}

/* Field i (0-based) of the tab-separated line [s, end) into *f (not NUL-terminated). */
static bool
field(const char *s, const char *end, int i, const char **f, size_t *len)
{
    for (; i > 0; i--) {
        const char *tab = memchr(s, '\t', (size_t)(end - s));
        if (tab == NULL)
            return false;
        s = tab + 1;
    }
    const char *tab = memchr(s, '\t', (size_t)(end - s));
    *f = s;
    *len = (size_t)((tab != NULL ? tab : end) - s);
    return true;
}

/* Calls fn for every data line of the embedded file name. */
static enum cm_code
each_line(struct gen *g, const char *name,
          enum cm_code (*fn)(struct gen *g, const char *line, const char *end))
{
    const struct cm_data_file *f = cm_data_find(name);
    if (f == NULL)
        return cm_err_set(g->err, CM_ENOTFOUND, "", "%s is not embedded", name);
    const char *p = f->data, *end = f->data + f->len;
    const char *nl = memchr(p, '\n', (size_t)(end - p)); /* the header */
    for (p = nl != NULL ? nl + 1 : end; p < end;) {
        nl = memchr(p, '\n', (size_t)(end - p));
        const char *eol = nl != NULL ? nl : end;
        if (eol > p) {
            enum cm_code rc = fn(g, p, eol);
            if (rc != CM_OK)
                return rc;
        }
        p = eol + 1;
    }
    return CM_OK;
}

/* A PMCA rule's pattern, sorted by what the rules and CCC v2 make of it as a code. */
static enum cm_code
pmca_row(struct gen *g, const char *line, const char *end)
{
    const char *pat;
    size_t len;
    if (!field(line, end, 3, &pat, &len) || len == 0)
        return cm_err_set(g->err, CM_EINTERNAL, "", "%s: a row without a pattern",
                          CM_PMCA_RULES_NAME);
    /* PMCA reads a claim of V codes alone as ICD-9 (rule 2), and ICD-9 claims set nothing. */
    if (pat[0] < 'A' || pat[0] > 'Z' || pat[0] == 'V')
        return CM_OK;
    uint32_t flags = cm_pmca_code_flags(g->pmca, pat, len);
    uint16_t ccc =
        cm_identify_ccc2_match(g->ccc2, CM_IDENTIFY_DX, pat, len, CM_IDENTIFY_CODES_NORMALISED);
    if ((ccc & (g->ccc_tech | g->ccc_transplant)) != 0)
        return CM_OK;
    struct pool *p = NULL;
    if ((flags & CM_PMCA_MALIGN) != 0)
        p = &g->malignancy;
    else if ((flags & CM_PMCA_PROGRESSIVE) != 0)
        p = &g->progressive;
    else if (popcount(flags & CM_PMCA_SYSTEM_MASK) == 1) {
        int s = 0;
        while ((flags & (UINT32_C(1) << s)) == 0)
            s++;
        p = &g->system_codes[s];
    }
    if (p == NULL)
        return CM_OK;
    const char *code = dotted(g, pat, len);
    return code == NULL ? nomem(g) : pool_add(g, p, code);
}

/* A CCC v2 technology status code (Z...), as a diagnosis. */
static enum cm_code
ccc_row(struct gen *g, const char *line, const char *end)
{
    const char *cat, *type, *code;
    size_t cat_len, type_len, len;
    if (!field(line, end, 0, &cat, &cat_len) || !field(line, end, 2, &type, &type_len) ||
        !field(line, end, 4, &code, &len))
        return cm_err_set(g->err, CM_EINTERNAL, "", "the CCC v2 list has a short row");
    if (cat_len != 8 || memcmp(cat, "tech_dep", 8) != 0 || type_len != 2 ||
        memcmp(type, "dx", 2) != 0 || len < 4 || code[0] != 'Z')
        return CM_OK;
    const char *d = dotted(g, code, len);
    return d == NULL ? nomem(g) : pool_add(g, &g->technology, d);
}

static int
system_index(const char *name)
{
    for (int i = 0; i < CM_PMCA_SYSTEMS; i++) {
        if (strcmp(cm_pmca_systems[i], name) == 0)
            return i;
    }
    return -1;
}

static enum cm_code
build_pools(struct gen *g)
{
    enum cm_code rc = cm_pmca_rules_load(&g->pmca, g->a, g->err);
    if (rc == CM_OK)
        rc = cm_identify_ccc2_load(10, &g->ccc2, g->a, g->err);
    if (rc == CM_OK)
        rc = cm_stratify_rules_load(NULL, &g->tiers, g->a, g->err);
    if (rc != CM_OK)
        return rc;
    for (int i = 0; i < CM_CCC2_COLUMNS; i++) {
        if (strcmp(cm_identify_ccc2_columns[i], "tech_dep") == 0)
            g->ccc_tech = (uint16_t)(1u << i);
        else if (strcmp(cm_identify_ccc2_columns[i], "transplant") == 0)
            g->ccc_transplant = (uint16_t)(1u << i);
    }
    rc = each_line(g, CM_PMCA_RULES_NAME, pmca_row);
    if (rc == CM_OK)
        rc = each_line(g, "codelists/ccc_v2_icd10_pccc_1.0.6.tsv", ccc_row);
    if (rc != CM_OK)
        return rc;

    for (size_t i = 0; i < CM_ARRAY_LEN(everyday); i++) {
        const char *c = everyday[i];
        if (cm_pmca_code_flags(g->pmca, c, strlen(c)) != 0 ||
            cm_identify_ccc2_match(g->ccc2, CM_IDENTIFY_DX, c, strlen(c),
                                   CM_IDENTIFY_CODES_NORMALISED) != 0)
            return cm_err_set(g->err, CM_EINTERNAL, "", "the everyday code %s is listed", c);
    }
    for (size_t i = 0; i < CM_ARRAY_LEN(system_mix); i++) {
        int s = system_index(system_mix[i].name);
        if (s < 0 || g->system_codes[s].n == 0)
            return cm_err_set(g->err, CM_EINTERNAL, "", "no PMCA code of body system %s alone",
                              system_mix[i].name);
        g->mix_system[i] = s;
        g->mix_total += system_mix[i].weight;
    }
    if (g->progressive.n == 0 || g->malignancy.n == 0 || g->technology.n == 0)
        return cm_err_set(g->err, CM_EINTERNAL, "",
                          "the lists give no progressive, malignancy or technology code");
    /* The tier rules must be the ones the kinds are made for. */
    if (cm_stratify_rules_window_months(g->tiers) < 2)
        return cm_err_set(g->err, CM_EINTERNAL, "", "the default tiers' window is under 2 months");
    return CM_OK;
}

/* A body system by the mix, none of those in mask (bits as cm_pmca_systems); any when the mask
 * holds every system of the mix. */
static int
pick_system(struct gen *g, uint32_t mask)
{
    bool some = false;
    for (size_t i = 0; i < CM_ARRAY_LEN(system_mix); i++)
        some = some || (mask & (UINT32_C(1) << g->mix_system[i])) == 0;
    for (;;) {
        int k = demo_rng_below(&g->rng, g->mix_total);
        size_t i = 0;
        while (k >= system_mix[i].weight) {
            k -= system_mix[i].weight;
            i++;
        }
        if (!some || (mask & (UINT32_C(1) << g->mix_system[i])) == 0)
            return g->mix_system[i];
    }
}

/* ---- dates ----------------------------------------------------------------------------------- */

/* The UTC midnight of the first day of month ym (year * 12 + month - 1). */
static enum cm_code
month_first(struct gen *g, int ym, int64_t *out)
{
    char s[16];
    int n = snprintf(s, sizeof(s), "%04d-%02d-01", ym / 12, ym % 12 + 1);
    if (n < 0 || (size_t)n >= sizeof(s))
        return cm_err_set(g->err, CM_EINTERNAL, "now", "a month out of range");
    return cm_date_parse(s, out, "now", g->err);
}

static enum cm_code
plan_months(struct gen *g)
{
    char today[11];
    cm_date_of(g->now, today);
    int year = atoi(today), month = atoi(today + 5);
    int ym = year * 12 + month - 1;
    int m1 = ym - 2, m2 = ym - 1;
    int w = (int)cm_stratify_rules_window_months(g->tiers);
    int64_t this_month;
    enum cm_code rc = month_first(g, ym, &this_month);
    if (rc == CM_OK)
        rc = month_first(g, m2, &g->m2_from);
    /* A window of w months ending on M1's last day holds M1 - (w - 1) .. M1; one ending on M2's
     * last day starts a month later. */
    if (rc == CM_OK)
        rc = month_first(g, m1 - (w - 2), &g->shared_from);
    if (rc == CM_OK)
        rc = month_first(g, m1 - (w - 1), &g->aged_from);
    if (rc != CM_OK)
        return rc;
    g->as_of[0] = g->m2_from - DAY_S;
    g->as_of[1] = this_month - DAY_S;
    for (int r = 0; r < 2; r++) {
        cm_date_of(g->as_of[r], g->as_of_s[r]);
        memcpy(g->sum->month[r], g->as_of_s[r], 7);
        g->sum->month[r][7] = '\0';
        snprintf(g->sum->input_name[r], sizeof(g->sum->input_name[r]), "riverbend-claims-%.7s.tsv",
                 g->as_of_s[r]);
    }
    return CM_OK;
}

/* A day in [from, to], both UTC midnights. */
static int64_t
on_day(struct gen *g, int64_t from, int64_t to)
{
    return from + (int64_t)demo_rng_below(&g->rng, (int)((to - from) / DAY_S) + 1) * DAY_S;
}

/* ---- one member ------------------------------------------------------------------------------ */

static void
code(struct member *m, const char *c)
{
    if (m->ncodes < CODES_MAX - 1) /* room for the second month's code */
        m->codes[m->ncodes++] = c;
}

/* PMCA flags of the member's codes, as one claim each. */
static uint32_t
flags_of(const struct gen *g, const struct member *m)
{
    uint32_t f = 0;
    for (size_t i = 0; i < m->ncodes; i++)
        f |= cm_pmca_code_flags(g->pmca, m->codes[i], strlen(m->codes[i]));
    return f;
}

/* Whether CCC v2 reads any of the member's codes as technology dependence. */
static bool
tech_of(const struct gen *g, const struct member *m)
{
    for (size_t i = 0; i < m->ncodes; i++) {
        if ((cm_identify_ccc2_match(g->ccc2, CM_IDENTIFY_DX, m->codes[i], strlen(m->codes[i]),
                                    CM_IDENTIFY_CODES_NORMALISED) &
             g->ccc_tech) != 0)
            return true;
    }
    return false;
}

/* n encounters of type t dated in [from, to]. */
static void
visits(struct gen *g, struct member *m, int n, enum cm_encounter_type t, int64_t from, int64_t to)
{
    for (; n > 0 && m->nenc < ENC_MAX; n--) {
        m->enc_at[m->nenc] = on_day(g, from, to);
        m->enc_type[m->nenc++] = (unsigned char)t;
    }
}

static bool
tier2_kind(enum kind k)
{
    return k == K_TWO || k == K_PROG || k == K_MALIGN;
}

static bool
complex_kind(enum kind k)
{
    return tier2_kind(k) || k == K_TECH || k == K_ADMIT || k == K_ED;
}

static enum kind
pick_kind(struct gen *g)
{
    int k = demo_rng_below(&g->rng, 100);
    int i = 0;
    while (k >= kind_pct[i]) {
        k -= kind_pct[i];
        i++;
    }
    return (enum kind)i;
}

/* What changes in M2, drawn for a member of M1's claims. */
static enum change
pick_change(struct gen *g, enum kind k)
{
    int r = demo_rng_below(&g->rng, 100);
    if (k == K_CHILD)
        return C_NONE;
    if (k == K_NONE)
        return r < 4 ? C_CHRONIC : C_NONE;
    if (r < 6)
        return C_DROP;
    if (k == K_ONE)
        return r < 18 ? C_SYSTEM : C_NONE;
    if (tier2_kind(k))
        return r < 16 ? C_ADMISSION : r < 24 ? C_TECH : C_NONE;
    if (k == K_ADMIT)
        return r < 30 ? C_AGED_OUT : C_NONE;
    return C_NONE;
}

/* The codes and encounters of a member of kind m->kind with change m->change. The tier rules
 * read complex chronic with 2+ admissions or 3+ ED visits as tier 3, so every other complex kind
 * keeps under both. */
static void
fill(struct gen *g, struct member *m)
{
    const int64_t from = g->shared_from, to = g->as_of[0];
    int s = -1;
    switch (m->kind) {
    case K_NONE:
        break;
    case K_ONE:
        s = pick_system(g, 0);
        code(m, pool_pick(g, &g->system_codes[s]));
        if (demo_rng_below(&g->rng, 3) == 0)
            code(m, pool_pick(g, &g->system_codes[s]));
        break;
    case K_PROG:
        code(m, pool_pick(g, &g->progressive));
        break;
    case K_MALIGN:
        code(m, pool_pick(g, &g->malignancy));
        break;
    case K_TWO:
    case K_TECH:
    case K_ADMIT:
    case K_ED:
        s = pick_system(g, 0);
        code(m, pool_pick(g, &g->system_codes[s]));
        code(m, pool_pick(g, &g->system_codes[pick_system(g, UINT32_C(1) << s)]));
        if (m->kind == K_TECH)
            code(m, pool_pick(g, &g->technology));
        break;
    case K_CHILD:
        break; /* the plan's conditions, already in */
    }
    /* Everyday claims: everyone has some, those without a chronic condition nothing else. */
    for (int n = m->kind == K_NONE ? demo_rng_between(&g->rng, 1, 3)
                                   : demo_rng_between(&g->rng, 0, 2);
         n > 0; n--)
        code(m, everyday[demo_rng_below(&g->rng, (int)CM_ARRAY_LEN(everyday))]);

    bool cx = complex_kind(m->kind) || (m->kind == K_CHILD && m->tier >= 2);
    visits(g, m, demo_rng_between(&g->rng, 0, 3), CM_ENC_PRIMARY_CARE, from, to);
    visits(g, m,
           m->kind == K_NONE ? demo_rng_between(&g->rng, 0, 1)
                             : demo_rng_between(&g->rng, 1, cx ? 6 : 3),
           CM_ENC_SPECIALTY, from, to);
    if (demo_rng_below(&g->rng, 10) == 0)
        visits(g, m, 1, CM_ENC_OBSERVATION, from, to);
    switch (m->kind) {
    case K_TECH:
        visits(g, m, demo_rng_between(&g->rng, 2, 8), CM_ENC_HOME_HEALTH, from, to);
        visits(g, m, demo_rng_between(&g->rng, 0, 3), CM_ENC_ADMISSION, from, to);
        visits(g, m, demo_rng_between(&g->rng, 0, 3), CM_ENC_ED, from, to);
        break;
    case K_ADMIT:
        if (m->change == C_AGED_OUT) {
            visits(g, m, 1, CM_ENC_ADMISSION, g->aged_from, from - DAY_S);
            visits(g, m, 1, CM_ENC_ADMISSION, from, to);
        } else {
            visits(g, m, demo_rng_between(&g->rng, 2, 3), CM_ENC_ADMISSION, from, to);
        }
        visits(g, m, demo_rng_between(&g->rng, 0, 2), CM_ENC_ED, from, to);
        break;
    case K_ED:
        visits(g, m, demo_rng_between(&g->rng, 3, 5), CM_ENC_ED, from, to);
        visits(g, m, demo_rng_between(&g->rng, 0, 1), CM_ENC_ADMISSION, from, to);
        break;
    case K_CHILD:
        /* Claims that agree with the child's tier in the program. */
        if (m->tier >= 3) {
            visits(g, m, 2, CM_ENC_ADMISSION, from, to);
            visits(g, m, demo_rng_between(&g->rng, 2, 6), CM_ENC_HOME_HEALTH, from, to);
        } else {
            visits(g, m, demo_rng_between(&g->rng, 0, 1), CM_ENC_ADMISSION, from, to);
        }
        visits(g, m, demo_rng_between(&g->rng, 0, 2), CM_ENC_ED, from, to);
        break;
    case K_NONE:
    case K_ONE:
    case K_TWO:
    case K_PROG:
    case K_MALIGN:
        visits(g, m,
               m->change == C_ADMISSION          ? 1
               : demo_rng_below(&g->rng, 4) == 0 ? 1
                                                 : 0,
               CM_ENC_ADMISSION, from, to);
        visits(g, m, demo_rng_between(&g->rng, 0, 2), CM_ENC_ED, from, to);
        break;
    }

    switch (m->change) {
    case C_ADMISSION:
        visits(g, m, 1, CM_ENC_ADMISSION, g->m2_from, g->as_of[1]);
        break;
    case C_TECH:
        m->extra = pool_pick(g, &g->technology);
        break;
    case C_SYSTEM:
        m->extra =
            pool_pick(g, &g->system_codes[pick_system(g, flags_of(g, m) & CM_PMCA_SYSTEM_MASK)]);
        break;
    case C_CHRONIC:
        m->extra = pool_pick(g, &g->system_codes[pick_system(g, 0)]);
        break;
    case C_NONE:
    case C_DROP:
    case C_JOIN:
    case C_AGED_OUT:
        break;
    }
    if (m->change != C_DROP && demo_rng_below(&g->rng, 3) == 0)
        visits(g, m, 1, CM_ENC_PRIMARY_CARE, g->m2_from, g->as_of[1]);
}

static struct member *
member_new(struct gen *g, int *number)
{
    if (g->n == g->cap)
        return NULL;
    struct member *m = &g->m[g->n++];
    memset(m, 0, sizeof(*m));
    /* Member numbers rise with gaps, as in a plan's extract; they never reach seven digits. */
    *number += demo_rng_between(&g->rng, 1, 9);
    snprintf(m->id, sizeof(m->id), "M%06u", (unsigned)*number % 1000000u);
    return m;
}

/* ---- the demo's children --------------------------------------------------------------------- */

struct kid {
    int64_t id;
    const char *record_number;
    int tier;
};

static int
by_record_number(const void *x, const void *y)
{
    return strcmp(((const struct kid *)x)->record_number, ((const struct kid *)y)->record_number);
}

/* The condition codes of the child's shared plan of care, as many as fit in *m. */
static enum cm_code
plan_codes(struct gen *g, const struct kid *k, struct member *m)
{
    struct cm_plan_item_list l;
    enum cm_code rc =
        cm_store_plan_item_list(g->c, &g->system, k->id, "condition", g->now, &l, g->a, g->err);
    if (rc != CM_OK)
        return rc;
    for (size_t i = 0; i < l.count; i++) {
        json_t *j = json_loads(l.items[i].body, 0, NULL);
        const char *c = json_string_value(json_object_get(j, "code"));
        const char *copy = c != NULL ? cm_arena_strdup(g->a, c) : NULL;
        json_decref(j);
        if (c != NULL && copy == NULL)
            return nomem(g);
        if (copy != NULL)
            code(m, copy);
    }
    return CM_OK;
}

/* Makes m's claims (its child's plan conditions) say what the program says of the child: the
 * class and technology of its tier. Claims carry more than a plan's problem list, so a child the
 * program serves in tier 2 or 3 whose conditions PMCA counts in one body system gets a code of
 * another. False when they cannot agree: no condition PMCA counts, a tier 1 child whose
 * conditions are complex, a tier 2 child with a technology code. */
static bool
agree(struct gen *g, struct member *m)
{
    uint32_t f = flags_of(g, m);
    bool cx =
        popcount(f & CM_PMCA_SYSTEM_MASK) >= 2 || (f & (CM_PMCA_PROGRESSIVE | CM_PMCA_MALIGN)) != 0;
    if ((f & (CM_PMCA_SYSTEM_MASK | CM_PMCA_PROGRESSIVE | CM_PMCA_MALIGN)) == 0)
        return false;
    if (m->tier == 1)
        return !cx;
    if (m->tier != 2 && m->tier != 3)
        return false;
    if (m->tier == 2 && tech_of(g, m))
        return false;
    if (!cx)
        code(m, pool_pick(g, &g->system_codes[pick_system(g, f & CM_PMCA_SYSTEM_MASK)]));
    return true;
}

/* Puts CMD_DEMO_IDENTIFY_ENROLLED of the demo's children among the first month's members:
 * DEMO-0001 (the showcase) first, then others in an order drawn from the seed, each one whose
 * claims can agree with its tier (agree above). */
static enum cm_code
place_children(struct gen *g, size_t members)
{
    struct cm_panel_filter f = {.limit = 200};
    struct cm_panel panel;
    enum cm_code rc = cm_store_child_panel(g->c, &g->system, &f, g->now, &panel, g->a, g->err);
    if (rc != CM_OK)
        return rc;
    if (panel.count == 0)
        return cm_err_set(g->err, CM_ENOTFOUND, "", "the demo has no children to enrol");
    struct kid *kids = cm_arena_calloc(g->a, panel.count, sizeof(*kids));
    bool *taken = cm_arena_calloc(g->a, members, sizeof(*taken));
    if (kids == NULL || taken == NULL)
        return nomem(g);
    for (size_t i = 0; i < panel.count; i++)
        kids[i] = (struct kid){panel.rows[i].child.meta.id, panel.rows[i].child.record_number,
                               panel.rows[i].child.tier};
    qsort(kids, panel.count, sizeof(*kids), by_record_number);
    /* Fisher-Yates after the first. */
    for (size_t i = panel.count - 1; i > 1; i--) {
        size_t j = 1 + (size_t)demo_rng_below(&g->rng, (int)i);
        struct kid t = kids[i];
        kids[i] = kids[j];
        kids[j] = t;
    }
    struct member *m = cm_arena_alloc(g->a, sizeof(*m));
    if (m == NULL)
        return nomem(g);
    /* As many of each tier as can agree, then any: the enrolled are spread over the groups. */
    size_t placed = 0, per_tier[4] = {0};
    bool *used = cm_arena_calloc(g->a, panel.count, sizeof(*used));
    if (used == NULL)
        return nomem(g);
    for (size_t i = 0; i < 2 * panel.count && placed < CMD_DEMO_IDENTIFY_ENROLLED; i++) {
        const struct kid *k = &kids[i % panel.count];
        bool spread = i < panel.count;
        if (used[i % panel.count] || k->tier < 1 || k->tier > 3 ||
            (spread && per_tier[k->tier] >= CMD_DEMO_IDENTIFY_ENROLLED / 3))
            continue;
        used[i % panel.count] = true;
        memset(m, 0, sizeof(*m));
        m->kind = K_CHILD;
        m->child_id = k->id;
        m->tier = k->tier;
        rc = plan_codes(g, k, m);
        if (rc != CM_OK)
            return rc;
        if (!agree(g, m))
            continue;
        size_t at;
        do
            at = (size_t)demo_rng_below(&g->rng, (int)members);
        while (taken[at]);
        taken[at] = true;
        memcpy(m->id, g->m[at].id, sizeof(m->id));
        g->m[at] = *m;
        placed++;
        per_tier[k->tier]++;
    }
    return CM_OK;
}

/* ---- the members of both months -------------------------------------------------------------- */

static enum cm_code
make_members(struct gen *g)
{
    size_t first = (size_t)demo_rng_between(&g->rng, MEMBERS_MIN, MEMBERS_MAX);
    size_t joiners = (size_t)demo_rng_between(&g->rng, JOINERS_MIN, JOINERS_MAX);
    g->cap = first + joiners;
    g->m = cm_arena_calloc(g->a, g->cap, sizeof(*g->m));
    if (g->m == NULL)
        return nomem(g);
    int number = demo_rng_between(&g->rng, 100, 400);
    for (size_t i = 0; i < first; i++) {
        struct member *m = member_new(g, &number);
        m->kind = pick_kind(g);
    }
    enum cm_code rc = place_children(g, first);
    if (rc != CM_OK)
        return rc;
    for (size_t i = 0; i < first; i++) {
        struct member *m = &g->m[i];
        m->change = pick_change(g, m->kind);
        fill(g, m);
    }
    for (size_t i = 0; i < joiners; i++) {
        struct member *m = member_new(g, &number);
        /* The first joiner is a candidate whatever the seed, so "new" is never empty. */
        do
            m->kind = pick_kind(g);
        while (i == 0 && m->kind == K_NONE);
        m->change = C_JOIN;
        fill(g, m);
    }
    /* Whatever the seed, the comparison shows a member dropped and one whose tier changed. */
    bool dropped = false, changed = false;
    for (size_t i = 0; i < first; i++) {
        dropped = dropped || g->m[i].change == C_DROP;
        changed = changed || g->m[i].change == C_TECH || g->m[i].change == C_SYSTEM ||
                  g->m[i].change == C_ADMISSION || g->m[i].change == C_AGED_OUT;
    }
    for (size_t i = 0; i < first && (!dropped || !changed); i++) {
        struct member *m = &g->m[i];
        if (m->change != C_NONE || !complex_kind(m->kind))
            continue;
        if (!dropped) {
            m->change = C_DROP;
            dropped = true;
        } else if (tier2_kind(m->kind)) {
            m->change = C_TECH;
            m->extra = pool_pick(g, &g->technology);
            changed = true;
        }
    }
    return CM_OK;
}

static bool
in_run(const struct member *m, int run)
{
    return run == 0 ? m->change != C_JOIN : m->change != C_DROP;
}

/* ---- writing a month's files in memory ------------------------------------------------------- */

/* Closes f and checks every write to it got through. */
static enum cm_code
finish(struct gen *g, FILE *f)
{
    bool bad = ferror(f) != 0;
    if (fclose(f) != 0 || bad)
        return nomem(g);
    return CM_OK;
}

/* PMCA long format, one claim per code (the less conservative variant counts a system on one
 * claim). *buf is malloc'd: free it. */
static enum cm_code
write_claims(struct gen *g, int run, char **buf, size_t *len)
{
    FILE *f = open_memstream(buf, len);
    if (f == NULL)
        return nomem(g);
    fputs("patient_id\tclaim_id\tcode_type\tcode\n", f);
    for (size_t i = 0; i < g->n; i++) {
        const struct member *m = &g->m[i];
        if (!in_run(m, run))
            continue;
        size_t k = 0;
        for (; k < m->ncodes; k++)
            fprintf(f, "%s\tC%02zu\tdx\t%s\n", m->id, k + 1, m->codes[k]);
        if (run == 1 && m->extra != NULL)
            fprintf(f, "%s\tC%02zu\tdx\t%s\n", m->id, k + 1, m->extra);
    }
    return finish(g, f);
}

/* The encounters up to the run's as-of date (the window is the reader's business). */
static enum cm_code
write_encounters(struct gen *g, int run, char **buf, size_t *len)
{
    FILE *f = open_memstream(buf, len);
    if (f == NULL)
        return nomem(g);
    fputs("patient_id\tdate\ttype\n", f);
    for (size_t i = 0; i < g->n; i++) {
        const struct member *m = &g->m[i];
        if (!in_run(m, run))
            continue;
        for (size_t k = 0; k < m->nenc; k++) {
            if (m->enc_at[k] > g->as_of[run])
                continue;
            char d[11];
            cm_date_of(m->enc_at[k], d);
            fprintf(f, "%s\t%s\t%s\n", m->id, d,
                    cm_encounter_type_name((enum cm_encounter_type)m->enc_type[k]));
        }
    }
    return finish(g, f);
}

/* ---- loading --------------------------------------------------------------------------------- */

/* Loads one month as `caremap identify --algorithm pmca --encounters E --as-of D --load --as
 * analyst.jo C` would, from the files in memory. */
static enum cm_code
load_run(struct gen *g, int run)
{
    char *claims = NULL, *enc = NULL, *table = NULL;
    size_t claims_len = 0, enc_len = 0, table_len = 0;
    FILE *in = NULL, *ein = NULL, *out = NULL;
    struct cmd_identify_load *load = NULL;
    const char *enc_name = cm_arena_printf(g->a, "riverbend-encounters-%.7s.tsv", g->as_of_s[run]);
    if (enc_name == NULL)
        return nomem(g);

    enum cm_code rc = write_claims(g, run, &claims, &claims_len);
    if (rc == CM_OK)
        rc = write_encounters(g, run, &enc, &enc_len);
    struct cm_stratify_encounters *encounters = NULL;
    struct cm_stratify_enc_stats est = {0};
    if (rc == CM_OK && (ein = fmemopen(enc, enc_len, "r")) == NULL)
        rc = nomem(g);
    if (rc == CM_OK) {
        struct cm_stratify_enc_opts eo = {
            .input_name = enc_name,
            .delimiter = '\t',
            .errors = stderr,
            .as_of = g->as_of_s[run],
            .window_months = cm_stratify_rules_window_months(g->tiers),
        };
        rc = cm_stratify_encounters_read(ein, &eo, &encounters, g->a, &est, g->err);
    }
    struct cm_identify_list_info list;
    if (rc == CM_OK)
        rc = cm_pmca_rules_info(&list, g->err);
    if (rc == CM_OK) {
        struct cmd_identify_run_info info = {
            .algorithm = "pmca",
            .codes_mode = "normalised",
            .list_name = list.name,
            .list_sha256 = list.sha256,
            .input_name = g->sum->input_name[run],
            .encounters_name = enc_name,
            .tiers_name = cm_stratify_rules_name(g->tiers),
            .tiers_sha256 = cm_stratify_rules_sha256(g->tiers),
            .as_of = est.as_of,
        };
        rc = cmd_identify_load_begin(g->cfg, cmd_demo_staff[CM_DEMO_STAFF_JO].username, &info,
                                     &load, g->err);
    }
    struct cm_identify_stats st = {0};
    if (rc == CM_OK && ((in = fmemopen(claims, claims_len, "r")) == NULL ||
                        (out = open_memstream(&table, &table_len)) == NULL))
        rc = nomem(g);
    if (rc == CM_OK) {
        struct cm_identify_opts o = {
            .icd = 10,
            .mode = CM_IDENTIFY_CODES_NORMALISED,
            .delimiter = '\t',
            .input_name = g->sum->input_name[run],
            .errors = stderr,
            .algorithm = CM_IDENTIFY_PMCA_LESS,
            .threads = 1,
            .tiers = g->tiers,
            .encounters = encounters,
            .on_result = cmd_identify_load_result,
            .on_result_ctx = load,
        };
        rc = cm_identify_run(in, out, &o, &st, g->err);
    }
    if (rc == CM_OK)
        rc = cmd_identify_load_commit(load, &st, &g->sum->run_id[run], g->err);
    cmd_identify_load_free(load);
    if (in != NULL)
        fclose(in);
    if (ein != NULL)
        fclose(ein);
    if (out != NULL)
        fclose(out);
    free(table);
    free(claims);
    free(enc);
    return rc;
}

/* ---- enrolling and the summary --------------------------------------------------------------- */

/* The candidate id of member id in the first run, 0 when it is not a candidate there. */
static enum cm_code
candidate_id(struct gen *g, const char *id, int64_t *out)
{
    *out = 0;
    struct cm_registry_filter f = {.enrolled = CM_REGISTRY_ANY, .limit = PAGE};
    for (;;) {
        struct cm_registry_result_list l;
        enum cm_code rc = cm_store_registry_candidates(g->c, g->analyst.program_id,
                                                       g->sum->run_id[0], &f, &l, g->a, g->err);
        if (rc != CM_OK)
            return rc;
        for (size_t i = 0; i < l.count; i++) {
            if (strcmp(l.items[i].patient_id, id) == 0) {
                *out = l.items[i].id;
                return CM_OK;
            }
        }
        f.offset += PAGE;
        if (l.count == 0 || f.offset >= l.total)
            return CM_OK;
    }
}

/* Gives each placed child its candidate's member id, from the first run, as the API's enrol route
 * does for a child it creates: the registry's link and an identify.enrol event, by the analyst. */
static enum cm_code
enrol_children(struct gen *g)
{
    struct cm_audit_event ev[CMD_DEMO_IDENTIFY_ENROLLED];
    size_t n = 0;
    enum cm_code rc = cm_store_begin(g->c, true, g->err);
    if (rc != CM_OK)
        return rc;
    for (size_t i = 0; i < g->n && rc == CM_OK; i++) {
        const struct member *m = &g->m[i];
        if (m->kind != K_CHILD)
            continue;
        int64_t cand = 0;
        rc = candidate_id(g, m->id, &cand);
        if (rc == CM_OK && cand == 0)
            rc = cm_err_set(g->err, CM_EINTERNAL, "", "demo member %s is not a candidate", m->id);
        if (rc == CM_OK)
            rc = cm_store_registry_enrol(g->c, &g->analyst, g->now, g->sum->run_id[0], cand,
                                         m->child_id, g->err);
        if (rc != CM_OK)
            break;
        const char *detail = cm_arena_printf(g->a, "run=%lld candidate=%lld",
                                             (long long)g->sum->run_id[0], (long long)cand);
        if (detail == NULL) {
            rc = nomem(g);
            break;
        }
        ev[n++] = (struct cm_audit_event){
            .at = g->now,
            .user_id = g->analyst.user_id,
            .role = g->analyst.role,
            .action = "identify.enrol",
            .child_id = m->child_id,
            .outcome = "ok",
            .request_id = "cli",
            .detail = detail,
        };
    }
    if (rc == CM_OK && n > 0)
        rc = cm_store_audit_append(g->c, ev, n, g->a, g->err);
    if (rc == CM_OK)
        rc = cm_store_commit(g->c, g->err);
    if (rc != CM_OK) {
        cm_store_rollback(g->c);
        return rc;
    }
    g->sum->enrolled = n;
    return CM_OK;
}

static enum cm_code
summarise(struct gen *g)
{
    for (int r = 0; r < 2; r++) {
        struct cm_registry_run run;
        enum cm_code rc = cm_store_registry_run_get(g->c, g->analyst.program_id, g->sum->run_id[r],
                                                    &run, g->a, g->err);
        if (rc != CM_OK)
            return rc;
        g->sum->patients[r] = run.patients;
        g->sum->candidates[r] = run.candidates;
        memcpy(g->sum->tiers[r], run.tiers, sizeof(run.tiers));
    }
    struct cm_registry_compare cmp;
    enum cm_code rc =
        cm_store_registry_compare(g->c, g->analyst.program_id, g->sum->run_id[1], g->sum->run_id[0],
                                  CM_REGISTRY_NEW, 1, 0, &cmp, g->a, g->err);
    if (rc != CM_OK)
        return rc;
    memcpy(g->sum->compare, cmp.counts, sizeof(g->sum->compare));
    return CM_OK;
}

static enum cm_code
run_all(struct gen *g)
{
    struct cm_user u;
    enum cm_code rc = cm_store_user_by_username(g->c, cmd_demo_staff[CM_DEMO_STAFF_JO].username, &u,
                                                g->a, g->err);
    if (rc != CM_OK)
        return rc;
    g->analyst = (struct cm_viewer){u.meta.id, u.role, u.program_id};
    g->system = (struct cm_viewer){0, CM_ROLE_ADMINISTRATOR, u.program_id};
    rc = build_pools(g);
    if (rc == CM_OK)
        rc = plan_months(g);
    if (rc == CM_OK)
        rc = make_members(g);
    for (int r = 0; r < 2 && rc == CM_OK; r++)
        rc = load_run(g, r);
    if (rc == CM_OK)
        rc = enrol_children(g);
    if (rc == CM_OK)
        rc = summarise(g);
    return rc;
}

enum cm_code
cmd_demo_identify(const struct cm_config *cfg, struct cm_conn *c, uint64_t seed, int64_t now,
                  struct cmd_demo_identify_summary *out, struct cm_err *err)
{
    memset(out, 0, sizeof(*out));
    double t0 = cm_time_mono_ms();
    struct gen g = {
        .cfg = cfg,
        .c = c,
        .a = cm_arena_new(SCRATCH_BYTES),
        .err = err,
        /* "identify" in ASCII: a stream apart from the builder's, from the same seed. */
        .rng = {seed ^ 0x6964656E74696679ULL},
        .now = now,
        .sum = out,
    };
    if (g.a == NULL)
        return cm_err_set(err, CM_ENOMEM, "", "the demo ran out of memory");
    enum cm_code rc = run_all(&g);
    cm_arena_free(g.a);
    if (rc != CM_OK)
        return rc;
    cm_log_info("event=demo.identify runs=%lld,%lld patients=%lld,%lld candidates=%lld,%lld "
                "enrolled=%zu ms=%.0f",
                (long long)out->run_id[0], (long long)out->run_id[1], (long long)out->patients[0],
                (long long)out->patients[1], (long long)out->candidates[0],
                (long long)out->candidates[1], out->enrolled, cm_time_mono_ms() - t0);
    return CM_OK;
}

void
cmd_demo_identify_print(const struct cmd_demo_identify_summary *s, FILE *out)
{
    fprintf(out,
            "\nFind children (as %s): two identification runs of synthetic claims, PMCA with the "
            "default coordination tiers:\n",
            cmd_demo_staff[CM_DEMO_STAFF_JO].username);
    for (int r = 0; r < 2; r++)
        fprintf(out,
                "  %-30s %lld members, %lld found (tier 3: %lld, tier 2: %lld, tier 1: %lld)\n",
                s->input_name[r], (long long)s->patients[r], (long long)s->candidates[r],
                (long long)s->tiers[r][3], (long long)s->tiers[r][2], (long long)s->tiers[r][1]);
    fprintf(out,
            "  %s compared with %s: %lld new, %lld changed tier, %lld no longer found; %zu "
            "children of the program already enrolled from them\n",
            s->month[1], s->month[0], (long long)s->compare[CM_REGISTRY_NEW],
            (long long)s->compare[CM_REGISTRY_CHANGED], (long long)s->compare[CM_REGISTRY_DROPPED],
            s->enrolled);
}
