/*
 * Stratification (see stratify.h and docs/stratify.md): the tier rules (JSON, parsed strictly from
 * a table of known keys), the encounters file (read with the shared record reader into one small
 * entry per patient) and the assignment of a tier.
 */
#include "identify/stratify.h"

#include "core/data.h"
#include "identify/records.h"

#include <errno.h>
#include <jansson.h>
#include <sodium.h>
#include <stdarg.h>
#include <stdlib.h>
#include <string.h>

#define DEFAULT_RULES   "stratify/tiers.json"
#define RULES_FILE_MAX  ((size_t)1 << 20)
#define WINDOW_MAX      120 /* months: ten years is more history than any tier needs */
#define MIN_MAX         1000
#define RULE_ID_MAX     40
#define REASON_MAX      200
#define LABEL_MAX       80
#define RULES_PER_TIER  100
#define TIERS_MAX       3
#define TYPE_MAX        16
#define DATE_LEN        10
#define TABLE_MIN       1024
#define KEY_SHOWN       40 /* bytes of an unknown key quoted in a message */
#define PATH_MAX_BYTES  192
#define ENC_HEADER_WANT "patient_id, date, type"

static const char *const TYPE_NAMES[CM_ENC_TYPES] = {
    "ed", "admission", "observation", "specialty", "primary_care", "home_health", "other",
};

const char *
cm_encounter_type_name(enum cm_encounter_type t)
{
    return (unsigned)t < CM_ENC_TYPES ? TYPE_NAMES[t] : NULL;
}

/* ---- the rules ------------------------------------------------------------------------------ */

/* Index of each minimum in struct rule.min: the encounter types, then these two. */
enum { MIN_CONDITIONS = CM_ENC_TYPES, MIN_ENCOUNTERS, MINS };
enum { FLAG_TECH_DEP, FLAG_TRANSPLANT, FLAG_PROGRESSIVE, FLAG_MALIGNANCY, FLAGS };

struct rule {
    const char *id;
    const char *reason;
    unsigned classes; /* bit cls set for each class listed; 0 when class is not a condition */
    signed char flag[FLAGS]; /* -1: not a condition; else the value required */
    int min[MINS];           /* -1: not a condition; else the least count */
    size_t tier_at, rule_at; /* where it was in the file, to name a duplicate id */
};

struct tier {
    int tier;
    const char *label;
    struct rule *rules;
    size_t count;
};

struct cm_stratify_rules {
    const char *name;
    char sha256[crypto_hash_sha256_BYTES * 2 + 1];
    unsigned window_months;
    const char *no_tier_reason;
    struct tier tiers[TIERS_MAX]; /* highest tier first */
    size_t count;
};

/* The conditions a rule's "when" may hold: the table is the whole vocabulary, so an unknown key
 * fails the parse rather than being a condition nobody checks. */
enum when_kind { WHEN_CLASS, WHEN_FLAG, WHEN_MIN };
static const struct when_key {
    const char *name;
    enum when_kind kind;
    int index; /* into flag[] or min[] */
} WHEN_KEYS[] = {
    {"class", WHEN_CLASS, 0},
    {"tech_dep", WHEN_FLAG, FLAG_TECH_DEP},
    {"transplant", WHEN_FLAG, FLAG_TRANSPLANT},
    {"progressive", WHEN_FLAG, FLAG_PROGRESSIVE},
    {"malignancy", WHEN_FLAG, FLAG_MALIGNANCY},
    {"conditions_min", WHEN_MIN, MIN_CONDITIONS},
    {"ed_min", WHEN_MIN, CM_ENC_ED},
    {"admissions_min", WHEN_MIN, CM_ENC_ADMISSION},
    {"observation_min", WHEN_MIN, CM_ENC_OBSERVATION},
    {"specialty_min", WHEN_MIN, CM_ENC_SPECIALTY},
    {"primary_care_min", WHEN_MIN, CM_ENC_PRIMARY_CARE},
    {"home_health_min", WHEN_MIN, CM_ENC_HOME_HEALTH},
    {"other_min", WHEN_MIN, CM_ENC_OTHER},
    {"encounters_min", WHEN_MIN, MIN_ENCOUNTERS},
};

static const char *const TOP_KEYS[] = {"version", "window_months", "no_tier_reason", "tiers"};
static const char *const TIER_KEYS[] = {"tier", "label", "rules"};
static const char *const RULE_KEYS[] = {"id", "reason", "when"};

/* The state of one parse: where messages go and what has been built so far. */
struct parse {
    const char *name;
    struct cm_arena *arena;
    struct cm_err *err;
    struct cm_stratify_rules *out;
};

static enum cm_code fail(struct parse *p, const char *path, const char *fmt, ...) CM_PRINTF(3, 4);

/* Fails the parse with "name: path: reason". */
static enum cm_code
fail(struct parse *p, const char *path, const char *fmt, ...)
{
    char why[160];
    va_list ap;
    va_start(ap, fmt);
    vsnprintf(why, sizeof(why), fmt, ap);
    va_end(ap);
    return cm_err_set(p->err, CM_EINVAL, "rules", "%s: %s: %s", p->name, path, why);
}

static enum cm_code
no_memory(struct parse *p)
{
    return cm_err_set(p->err, CM_ENOMEM, "rules", "%s: out of memory", p->name);
}

/* How many bytes of s (at most max) to show without cutting a UTF-8 sequence in two. */
static int
shown(const char *s, size_t max)
{
    size_t n = strlen(s);
    if (n <= max)
        return (int)n;
    n = max;
    while (n > 0 && ((unsigned char)s[n] & 0xC0) == 0x80)
        n--;
    return (int)n;
}

static void pathf(char *buf, size_t size, const char *fmt, ...) CM_PRINTF(3, 4);

/* Formats a JSON path into buf. Paths are short (keys are cut at KEY_SHOWN bytes and the nesting
 * is fixed), so a cut one could only lose the end of an index. */
static void
pathf(char *buf, size_t size, const char *fmt, ...)
{
    va_list ap;
    va_start(ap, fmt);
    vsnprintf(buf, size, fmt, ap);
    va_end(ap);
}

/* path + "." + key (or just key at the top level) into buf. */
static const char *
join_key(char *buf, size_t size, const char *path, const char *key)
{
    if (path[0] == '\0')
        snprintf(buf, size, "%.*s", shown(key, KEY_SHOWN), key);
    else
        snprintf(buf, size, "%s.%.*s", path, shown(key, KEY_SHOWN), key);
    return buf;
}

/* Checks that every key of obj is one of known[n]; where says what kind of key it is. */
static enum cm_code
check_keys(struct parse *p, json_t *obj, const char *path, const char *const *known, size_t n,
           const char *hint)
{
    const char *key;
    json_t *v;
    json_object_foreach(obj, key, v)
    {
        bool ok = false;
        for (size_t i = 0; i < n && !ok; i++)
            ok = strcmp(key, known[i]) == 0;
        if (!ok) {
            char at[PATH_MAX_BYTES];
            return fail(p, join_key(at, sizeof(at), path, key), "unknown key (%s)", hint);
        }
    }
    return CM_OK;
}

/* obj[key], which must be there. */
static enum cm_code
need(struct parse *p, json_t *obj, const char *path, const char *key, json_t **out)
{
    *out = json_object_get(obj, key);
    if (*out == NULL) {
        char at[PATH_MAX_BYTES];
        return fail(p, join_key(at, sizeof(at), path, key), "is required");
    }
    return CM_OK;
}

/* An integer lo..hi. */
static enum cm_code
integer(struct parse *p, json_t *v, const char *path, long long lo, long long hi, int *out)
{
    if (!json_is_integer(v) || json_integer_value(v) < lo || json_integer_value(v) > hi)
        return fail(p, path, "must be an integer %lld..%lld", lo, hi);
    *out = (int)json_integer_value(v);
    return CM_OK;
}

/* Plain text shown to people (a reason or a label): a string of 1..max bytes, copied. */
static enum cm_code
text(struct parse *p, json_t *v, const char *path, size_t max, const char **out)
{
    if (!json_is_string(v))
        return fail(p, path, "must be a string");
    size_t n = json_string_length(v);
    if (n == 0)
        return fail(p, path, "must not be empty");
    if (n > max)
        return fail(p, path, "must be at most %zu bytes, got %zu", max, n);
    *out = cm_arena_strndup(p->arena, json_string_value(v), n);
    return *out == NULL ? no_memory(p) : CM_OK;
}

static bool
rule_id_ok(const char *s, size_t n)
{
    if (n < 1 || n > RULE_ID_MAX)
        return false;
    for (size_t i = 0; i < n; i++) {
        char c = s[i];
        if (!((c >= 'a' && c <= 'z') || (c >= '0' && c <= '9') || c == '-'))
            return false;
    }
    return true;
}

static enum cm_code
parse_class(struct parse *p, json_t *v, const char *path, struct rule *r)
{
    if (!json_is_array(v) || json_array_size(v) == 0)
        return fail(p, path, "must be a non-empty array of class names");
    size_t i;
    json_t *c;
    json_array_foreach(v, i, c)
    {
        char at[PATH_MAX_BYTES];
        pathf(at, sizeof(at), "%s[%zu]", path, i);
        unsigned bit = 0;
        for (int k = CM_IDENTIFY_NON_CHRONIC; k <= CM_IDENTIFY_COMPLEX_CHRONIC && bit == 0; k++)
            if (json_is_string(c) && strcmp(json_string_value(c),
                                            cm_identify_class_name((enum cm_identify_class)k)) == 0)
                bit = 1u << k;
        if (bit == 0)
            return fail(p, at, "must be complex_chronic, non_complex_chronic or non_chronic");
        if (r->classes & bit)
            return fail(p, at, "'%s' is listed twice", json_string_value(c));
        r->classes |= bit;
    }
    return CM_OK;
}

static enum cm_code
parse_when(struct parse *p, json_t *when, const char *path, struct rule *r)
{
    if (!json_is_object(when))
        return fail(p, path, "must be an object of conditions");
    if (json_object_size(when) == 0)
        return fail(p, path, "must hold at least one condition");
    const char *key;
    json_t *v;
    json_object_foreach(when, key, v)
    {
        char at[PATH_MAX_BYTES];
        join_key(at, sizeof(at), path, key);
        const struct when_key *w = NULL;
        for (size_t i = 0; i < CM_ARRAY_LEN(WHEN_KEYS) && w == NULL; i++)
            if (strcmp(key, WHEN_KEYS[i].name) == 0)
                w = &WHEN_KEYS[i];
        if (w == NULL)
            return fail(p, at, "unknown condition (docs/stratify.md lists them)");
        enum cm_code rc = CM_OK;
        switch (w->kind) {
        case WHEN_CLASS:
            rc = parse_class(p, v, at, r);
            break;
        case WHEN_FLAG:
            if (!json_is_boolean(v))
                return fail(p, at, "must be true or false");
            r->flag[w->index] = json_is_true(v) ? 1 : 0;
            break;
        case WHEN_MIN:
            rc = integer(p, v, at, 0, MIN_MAX, &r->min[w->index]);
            break;
        }
        if (rc != CM_OK)
            return rc;
    }
    return CM_OK;
}

static enum cm_code
parse_rule(struct parse *p, json_t *obj, const char *path, size_t ti, size_t rj, struct rule *r)
{
    if (!json_is_object(obj))
        return fail(p, path, "must be an object with id, reason and when");
    enum cm_code rc = check_keys(p, obj, path, RULE_KEYS, CM_ARRAY_LEN(RULE_KEYS),
                                 "a rule has id, reason and when");
    json_t *id, *reason, *when;
    if (rc == CM_OK)
        rc = need(p, obj, path, "id", &id);
    if (rc == CM_OK)
        rc = need(p, obj, path, "reason", &reason);
    if (rc == CM_OK)
        rc = need(p, obj, path, "when", &when);
    if (rc != CM_OK)
        return rc;

    char at[PATH_MAX_BYTES];
    join_key(at, sizeof(at), path, "id");
    if (!json_is_string(id) || !rule_id_ok(json_string_value(id), json_string_length(id)))
        return fail(p, at, "must be 1 to %d characters from a-z, 0-9 and -", RULE_ID_MAX);
    const char *ids = json_string_value(id);
    /* "none" is what a child no rule places gets: a rule of that name could not be told apart. */
    if (strcmp(ids, "none") == 0)
        return fail(p, at, "'none' is reserved for children no rule places");
    /* Tiers are sorted only once all are parsed, and a tier's count is the rules parsed so far,
     * so this looks at every rule before this one. */
    for (size_t t = 0; t <= ti; t++) {
        const struct tier *other = &p->out->tiers[t];
        for (size_t k = 0; k < other->count; k++)
            if (strcmp(other->rules[k].id, ids) == 0)
                return fail(p, at, "duplicate rule id '%s' (also tiers[%zu].rules[%zu])", ids,
                            other->rules[k].tier_at, other->rules[k].rule_at);
    }
    r->id = cm_arena_strdup(p->arena, ids);
    if (r->id == NULL)
        return no_memory(p);
    r->tier_at = ti;
    r->rule_at = rj;
    rc = text(p, reason, join_key(at, sizeof(at), path, "reason"), REASON_MAX, &r->reason);
    if (rc != CM_OK)
        return rc;
    for (int k = 0; k < FLAGS; k++)
        r->flag[k] = -1;
    for (int k = 0; k < MINS; k++)
        r->min[k] = -1;
    return parse_when(p, when, join_key(at, sizeof(at), path, "when"), r);
}

/* Parses tiers[ti] into p->out->tiers[ti] (sorted afterwards). */
static enum cm_code
parse_tier(struct parse *p, json_t *obj, size_t ti)
{
    char path[PATH_MAX_BYTES], at[PATH_MAX_BYTES];
    pathf(path, sizeof(path), "tiers[%zu]", ti);
    if (!json_is_object(obj))
        return fail(p, path, "must be an object with tier, label and rules");
    enum cm_code rc = check_keys(p, obj, path, TIER_KEYS, CM_ARRAY_LEN(TIER_KEYS),
                                 "a tier has tier, label and rules");
    json_t *num, *label, *rules;
    if (rc == CM_OK)
        rc = need(p, obj, path, "tier", &num);
    if (rc == CM_OK)
        rc = need(p, obj, path, "label", &label);
    if (rc == CM_OK)
        rc = need(p, obj, path, "rules", &rules);
    if (rc != CM_OK)
        return rc;
    struct tier *t = &p->out->tiers[ti];
    rc = integer(p, num, join_key(at, sizeof(at), path, "tier"), 1, TIERS_MAX, &t->tier);
    if (rc != CM_OK)
        return rc;
    for (size_t k = 0; k < ti; k++)
        if (p->out->tiers[k].tier == t->tier)
            return fail(p, at, "tier %d appears twice (also tiers[%zu])", t->tier, k);
    rc = text(p, label, join_key(at, sizeof(at), path, "label"), LABEL_MAX, &t->label);
    if (rc != CM_OK)
        return rc;
    join_key(at, sizeof(at), path, "rules");
    if (!json_is_array(rules) || json_array_size(rules) == 0 ||
        json_array_size(rules) > RULES_PER_TIER)
        return fail(p, at, "must be an array of 1 to %d rules", RULES_PER_TIER);
    t->rules = cm_arena_calloc(p->arena, json_array_size(rules), sizeof(*t->rules));
    if (t->rules == NULL)
        return no_memory(p);
    size_t j;
    json_t *r;
    json_array_foreach(rules, j, r)
    {
        char rpath[PATH_MAX_BYTES];
        pathf(rpath, sizeof(rpath), "%s[%zu]", at, j);
        rc = parse_rule(p, r, rpath, ti, j, &t->rules[j]);
        if (rc != CM_OK)
            return rc;
        t->count = j + 1;
    }
    return CM_OK;
}

static int
by_tier_desc(const void *a, const void *b)
{
    const struct tier *x = a, *y = b;
    return y->tier - x->tier;
}

static enum cm_code
parse_top(struct parse *p, json_t *root)
{
    if (!json_is_object(root))
        return fail(p, "top level", "must be a JSON object");
    enum cm_code rc =
        check_keys(p, root, "", TOP_KEYS, CM_ARRAY_LEN(TOP_KEYS),
                   "the top level has version, window_months, no_tier_reason and tiers");
    json_t *version, *window, *reason, *tiers;
    if (rc == CM_OK)
        rc = need(p, root, "", "version", &version);
    if (rc == CM_OK)
        rc = need(p, root, "", "window_months", &window);
    if (rc == CM_OK)
        rc = need(p, root, "", "no_tier_reason", &reason);
    if (rc == CM_OK)
        rc = need(p, root, "", "tiers", &tiers);
    if (rc != CM_OK)
        return rc;
    if (!json_is_integer(version) || json_integer_value(version) != 1)
        return fail(p, "version", "must be 1, the only version of this format");
    int months = 0;
    rc = integer(p, window, "window_months", 1, WINDOW_MAX, &months);
    if (rc != CM_OK)
        return rc;
    p->out->window_months = (unsigned)months;
    rc = text(p, reason, "no_tier_reason", REASON_MAX, &p->out->no_tier_reason);
    if (rc != CM_OK)
        return rc;
    if (!json_is_array(tiers) || json_array_size(tiers) == 0 || json_array_size(tiers) > TIERS_MAX)
        return fail(p, "tiers", "must be an array of 1 to %d tiers", TIERS_MAX);
    size_t i;
    json_t *t;
    json_array_foreach(tiers, i, t)
    {
        rc = parse_tier(p, t, i);
        if (rc != CM_OK)
            return rc;
        p->out->count = i + 1;
    }
    /* Assignment tries the highest tier first whatever order the file lists them in. */
    qsort(p->out->tiers, p->out->count, sizeof(p->out->tiers[0]), by_tier_desc);
    return CM_OK;
}

CM_MUST_CHECK enum cm_code
cm_stratify_rules_parse(const char *name, const char *text, size_t len,
                        struct cm_stratify_rules **out, struct cm_arena *a, struct cm_err *err)
{
    if (name == NULL)
        name = "rules";
    struct parse p = {.name = name, .arena = a, .err = err};
    p.out = cm_arena_alloc(a, sizeof(*p.out));
    if (p.out == NULL)
        return no_memory(&p);
    p.out->name = cm_arena_strdup(a, name);
    if (p.out->name == NULL)
        return no_memory(&p);
    unsigned char h[crypto_hash_sha256_BYTES];
    crypto_hash_sha256(h, (const unsigned char *)text, len);
    cm_hex(h, sizeof(h), p.out->sha256);

    /* Duplicate keys would let the later value win silently: refuse them. */
    json_error_t je;
    json_t *root = json_loadb(text, len, JSON_REJECT_DUPLICATES, &je);
    if (root == NULL)
        return cm_err_set(err, CM_EINVAL, "rules", "%s:%d:%d: %s", name, je.line, je.column,
                          je.text);
    enum cm_code rc = parse_top(&p, root);
    json_decref(root);
    if (rc == CM_OK)
        *out = p.out;
    return rc;
}

CM_MUST_CHECK enum cm_code
cm_stratify_rules_load(const char *path, struct cm_stratify_rules **out, struct cm_arena *a,
                       struct cm_err *err)
{
    if (path == NULL) {
        const struct cm_data_file *f = cm_data_find(DEFAULT_RULES);
        if (f == NULL)
            return cm_err_set(err, CM_ENOTFOUND, "rules", "%s is not embedded", DEFAULT_RULES);
        return cm_stratify_rules_parse(DEFAULT_RULES, f->data, f->len, out, a, err);
    }
    FILE *fp = fopen(path, "rb");
    if (fp == NULL)
        return cm_err_set(err, CM_EIO, "rules", "%s: %s", path, strerror(errno));
    /* One byte more than allowed tells a file at the cap from one over it. */
    char *buf = malloc(RULES_FILE_MAX + 1);
    if (buf == NULL) {
        fclose(fp);
        return cm_err_set(err, CM_ENOMEM, "rules", "%s: out of memory", path);
    }
    size_t n = fread(buf, 1, RULES_FILE_MAX + 1, fp);
    int saved = errno;
    bool failed = ferror(fp) != 0;
    fclose(fp);
    enum cm_code rc;
    if (failed)
        rc = cm_err_set(err, CM_EIO, "rules", "%s: %s", path, strerror(saved));
    else if (n > RULES_FILE_MAX)
        rc =
            cm_err_set(err, CM_ETOOBIG, "rules", "%s: larger than %zu bytes", path, RULES_FILE_MAX);
    else
        rc = cm_stratify_rules_parse(path, buf, n, out, a, err);
    free(buf);
    return rc;
}

const char *
cm_stratify_rules_name(const struct cm_stratify_rules *r)
{
    return r->name;
}

const char *
cm_stratify_rules_sha256(const struct cm_stratify_rules *r)
{
    return r->sha256;
}

unsigned
cm_stratify_rules_window_months(const struct cm_stratify_rules *r)
{
    return r->window_months;
}

/* ---- assignment ----------------------------------------------------------------------------- */

static bool
holds(const struct rule *r, const struct cm_stratify_child *c,
      const struct cm_identify_encounter_counts *n, uint64_t total)
{
    if (r->classes != 0 &&
        ((unsigned)c->cls > CM_IDENTIFY_COMPLEX_CHRONIC || !(r->classes & (1u << c->cls))))
        return false;
    const bool flags[FLAGS] = {c->tech_dep, c->transplant, c->progressive, c->malignancy};
    for (int k = 0; k < FLAGS; k++)
        if (r->flag[k] >= 0 && flags[k] != (r->flag[k] == 1))
            return false;
    for (int k = 0; k < CM_ENC_TYPES; k++)
        if (r->min[k] >= 0 && n->n[k] < (uint32_t)r->min[k])
            return false;
    if (r->min[MIN_CONDITIONS] >= 0 && c->conditions < (unsigned)r->min[MIN_CONDITIONS])
        return false;
    if (r->min[MIN_ENCOUNTERS] >= 0 && total < (uint64_t)r->min[MIN_ENCOUNTERS])
        return false;
    return true;
}

void
cm_stratify_assign(const struct cm_stratify_rules *r, const struct cm_stratify_child *c,
                   struct cm_stratify_tier *out)
{
    static const struct cm_identify_encounter_counts none;
    const struct cm_identify_encounter_counts *n = c->counts != NULL ? c->counts : &none;
    uint64_t total = 0;
    for (int k = 0; k < CM_ENC_TYPES; k++)
        total += n->n[k];
    for (size_t t = 0; t < r->count; t++) {
        const struct tier *tier = &r->tiers[t];
        for (size_t k = 0; k < tier->count; k++) {
            if (holds(&tier->rules[k], c, n, total)) {
                *out =
                    (struct cm_stratify_tier){tier->tier, tier->rules[k].id, tier->rules[k].reason};
                return;
            }
        }
    }
    *out = (struct cm_stratify_tier){0, "none", r->no_tier_reason};
}

/* ---- the encounters table ------------------------------------------------------------------- */

/* One patient: counts inside the window, then the id. */
struct entry {
    uint64_t hash;
    struct cm_identify_encounter_counts c;
    uint8_t len;
    char id[];
};

struct cm_stratify_encounters {
    struct entry **slots; /* open addressing, cap a power of two, at most 70% full */
    size_t cap, count;
};

static uint64_t
fnv1a(const char *s, size_t n)
{
    uint64_t h = 1469598103934665603ULL;
    for (size_t i = 0; i < n; i++) {
        h ^= (unsigned char)s[i];
        h *= 1099511628211ULL;
    }
    return h;
}

static enum cm_code
grow(struct cm_stratify_encounters *e, struct cm_arena *a, struct cm_err *err)
{
    size_t cap = e->cap == 0 ? TABLE_MIN : e->cap * 2;
    /* The old slot array stays in the arena: the waste is at most the size of the new one. */
    struct entry **slots = cm_arena_calloc(a, cap, sizeof(*slots));
    if (slots == NULL)
        return cm_err_set(err, CM_ENOMEM, "", "out of memory after %zu patients", e->count);
    for (size_t i = 0; i < e->cap; i++) {
        struct entry *p = e->slots[i];
        if (p == NULL)
            continue;
        size_t k = p->hash & (cap - 1);
        while (slots[k] != NULL)
            k = (k + 1) & (cap - 1);
        slots[k] = p;
    }
    e->slots = slots;
    e->cap = cap;
    return CM_OK;
}

/* The counts of the patient with this id, added (zeroed) on first sight. */
static enum cm_code
counts_of(struct cm_stratify_encounters *e, const char *id, size_t n, struct cm_arena *a,
          struct cm_identify_encounter_counts **out, struct cm_err *err)
{
    if ((e->count + 1) * 10 > e->cap * 7) {
        enum cm_code rc = grow(e, a, err);
        if (rc != CM_OK)
            return rc;
    }
    uint64_t h = fnv1a(id, n);
    size_t i = h & (e->cap - 1);
    for (struct entry *p; (p = e->slots[i]) != NULL; i = (i + 1) & (e->cap - 1)) {
        if (p->hash == h && p->len == n && memcmp(p->id, id, n) == 0) {
            *out = &p->c;
            return CM_OK;
        }
    }
    struct entry *p = cm_arena_alloc(a, sizeof(*p) + n + 1);
    if (p == NULL)
        return cm_err_set(err, CM_ENOMEM, "", "out of memory after %zu patients", e->count);
    p->hash = h;
    p->len = (uint8_t)n;
    memcpy(p->id, id, n);
    p->id[n] = '\0';
    e->slots[i] = p;
    e->count++;
    *out = &p->c;
    return CM_OK;
}

const struct cm_identify_encounter_counts *
cm_stratify_encounters_find(const struct cm_stratify_encounters *e, const char *id, size_t len)
{
    if (e == NULL || e->count == 0 || len > CM_IDENTIFY_PATIENT_ID_MAX)
        return NULL;
    uint64_t h = fnv1a(id, len);
    for (size_t i = h & (e->cap - 1); e->slots[i] != NULL; i = (i + 1) & (e->cap - 1)) {
        const struct entry *p = e->slots[i];
        if (p->hash == h && p->len == len && memcmp(p->id, id, len) == 0)
            return &p->c;
    }
    return NULL;
}

/* ---- the encounters file -------------------------------------------------------------------- */

static const char ENC_HEADER[3][16] = {"patient_id", "date", "type"};

/* A valid date as the number YYYYMMDD, which orders as the dates do. */
static uint32_t
ymd_of(const char *s)
{
    uint32_t y = (uint32_t)(s[0] - '0') * 1000 + (uint32_t)(s[1] - '0') * 100 +
                 (uint32_t)(s[2] - '0') * 10 + (uint32_t)(s[3] - '0');
    uint32_t m = (uint32_t)(s[5] - '0') * 10 + (uint32_t)(s[6] - '0');
    uint32_t d = (uint32_t)(s[8] - '0') * 10 + (uint32_t)(s[9] - '0');
    return y * 10000 + m * 100 + d;
}

static bool
leap(uint32_t y)
{
    return (y % 4 == 0 && y % 100 != 0) || y % 400 == 0;
}

/* The day `months` calendar months before ymd; a day past the end of the month it lands in
 * becomes that month's last day (2024-03-31 minus 1 month is 2024-02-29), as PostgreSQL's
 * `date - interval 'N months'` and java.time's minusMonths do. */
static uint32_t
months_before(uint32_t ymd, unsigned months)
{
    static const uint32_t mdays[] = {31, 28, 31, 30, 31, 30, 31, 31, 30, 31, 30, 31};
    uint32_t y = ymd / 10000, m = ymd / 100 % 100, d = ymd % 100;
    uint32_t total = y * 12 + (m - 1) - months; /* y >= 1900 and months <= 120: no wrap */
    y = total / 12;
    m = total % 12 + 1;
    uint32_t dim = mdays[m - 1] + (m == 2 && leap(y));
    return y * 10000 + m * 100 + (d < dim ? d : dim);
}

static void
ymd_format(uint32_t ymd, char out[11])
{
    snprintf(out, 11, "%04u-%02u-%02u", (unsigned)(ymd / 10000 % 10000),
             (unsigned)(ymd / 100 % 100), (unsigned)(ymd % 100));
}

/* A good row's date and type. */
struct row {
    uint32_t ymd;
    enum cm_encounter_type type;
};

/* Why a record is malformed, or NULL when it is a good row (then *row is filled). The checks and
 * their order are cm_identify_run's, so both files report a row the same way. */
static const char *
check_row(const struct cm_records *r, struct row *row, char *why, size_t size)
{
    if (r->error != NULL)
        return r->error;
    if (r->nfields != 3) {
        if (r->nfields == 1 && r->flen[0] == 0)
            return "empty line";
        snprintf(why, size, "expected 3 columns (patient_id, date, type), got %zu", r->nfields);
        return why;
    }
    if (r->flen[0] > CM_IDENTIFY_PATIENT_ID_MAX) {
        snprintf(why, size, "patient_id longer than %d bytes", CM_IDENTIFY_PATIENT_ID_MAX);
        return why;
    }
    for (int k = 0; k < 3; k++) {
        if (r->flen[k] <= r->cap[k] && !cm_utf8_valid(r->field[k], r->flen[k])) {
            snprintf(why, size, "%s is not valid UTF-8", ENC_HEADER[k]);
            return why;
        }
    }
    if (r->flen[0] == 0)
        return "empty patient_id";
    /* The codes file refuses such ids, so they could never match a child: say so here too. */
    if (strpbrk(r->field[0], "\t\r\n") != NULL)
        return "patient_id holds a tab or a line break";
    if (r->flen[1] != DATE_LEN)
        return "bad date: must be a date YYYY-MM-DD";
    struct cm_err derr = {0};
    if (cm_date_check(r->field[1], "date", &derr) != CM_OK) {
        /* The message is short ("date: ..."); a longer one is cut rather than overflowing. */
        snprintf(why, size, "bad date: %.100s", derr.msg);
        return why;
    }
    row->ymd = ymd_of(r->field[1]);
    for (int t = 0; t < CM_ENC_TYPES; t++) {
        if (r->flen[2] <= r->cap[2] && strcmp(r->field[2], TYPE_NAMES[t]) == 0) {
            row->type = (enum cm_encounter_type)t;
            return NULL;
        }
    }
    return "type must be one of ed, admission, observation, specialty, primary_care, "
           "home_health, other";
}

/* Starts reading in: delimiter, header, and the reader narrowed to the 3 capped columns. */
static enum cm_code
start(struct cm_records *r, FILE *in, char delim, const char *name, struct cm_err *err)
{
    cm_records_init_file(r, in, delim);
    enum cm_code rc = cm_records_detect(r, ENC_HEADER_WANT, name, err);
    if (rc != CM_OK)
        return rc;
    int got = cm_records_read(r);
    if (got < 0)
        return cm_err_set(err, CM_EIO, "input", "%s: %s", name, strerror(errno));
    if (got == 0)
        return cm_err_set(err, CM_EINVAL, "input", "%s: empty input, expected the header %s", name,
                          ENC_HEADER_WANT);
    bool ok = r->error == NULL && r->nfields == 3;
    for (int k = 0; ok && k < 3; k++)
        ok = strcmp(r->field[k], ENC_HEADER[k]) == 0;
    if (!ok)
        return cm_err_set(err, CM_EINVAL, "input",
                          "%s:%zu: header must be the 3 columns patient_id, date, type", name,
                          r->rec_line);
    r->keep = 3;
    r->cap[0] = CM_IDENTIFY_PATIENT_ID_MAX;
    r->cap[1] = DATE_LEN;
    r->cap[2] = TYPE_MAX;
    return CM_OK;
}

/* The first pass when as_of is not given: the latest date of a good row (0 when none). Nothing
 * is reported here; the second pass reports the same rows. */
static enum cm_code
latest_date(struct cm_records *r, FILE *in, char delim, const char *name, uint32_t *latest,
            struct cm_err *err)
{
    *latest = 0;
    enum cm_code rc = start(r, in, delim, name, err);
    if (rc != CM_OK)
        return rc;
    char why[128];
    struct row row;
    int got;
    while ((got = cm_records_read(r)) > 0)
        if (check_row(r, &row, why, sizeof(why)) == NULL && row.ymd > *latest)
            *latest = row.ymd;
    if (got < 0)
        return cm_err_set(err, CM_EIO, "input", "%s:%zu: %s", name, r->line, strerror(errno));
    return CM_OK;
}

/* The counting pass: every row checked and reported, good rows inside (from, to] counted. */
static enum cm_code
count_rows(struct cm_records *r, FILE *in, const struct cm_stratify_enc_opts *o, const char *name,
           uint32_t from, uint32_t to, struct cm_stratify_encounters *e, struct cm_arena *a,
           struct cm_stratify_enc_stats *st, struct cm_err *err)
{
    enum cm_code rc = start(r, in, o->delimiter, name, err);
    if (rc != CM_OK)
        return rc;
    FILE *errs = o->errors != NULL ? o->errors : stderr;
    char why[128];
    struct row row;
    int got;
    while ((got = cm_records_read(r)) > 0) {
        st->rows++;
        const char *bad = check_row(r, &row, why, sizeof(why));
        if (bad != NULL) {
            if (st->bad_rows < CM_IDENTIFY_ERRORS_SHOWN)
                fprintf(errs, "%s:%zu: %s\n", name, r->rec_line, bad);
            st->bad_rows++;
            continue;
        }
        if (row.ymd <= from || row.ymd > to) {
            st->outside_window++;
            continue;
        }
        struct cm_identify_encounter_counts *c = NULL;
        rc = counts_of(e, r->field[0], r->flen[0], a, &c, err);
        if (rc != CM_OK)
            return rc;
        if (c->n[row.type] < UINT32_MAX)
            c->n[row.type]++;
    }
    st->patients = e->count;
    if (got < 0)
        return cm_err_set(err, CM_EIO, "input", "%s:%zu: %s", name, r->line, strerror(errno));
    if (st->bad_rows > CM_IDENTIFY_ERRORS_SHOWN)
        fprintf(errs, "%zu more malformed rows in %s not shown\n",
                st->bad_rows - CM_IDENTIFY_ERRORS_SHOWN, name);
    if (st->bad_rows > o->max_errors)
        return cm_err_set(err, CM_EINVAL, "input",
                          "%zu malformed rows in %s (more than --max-errors %zu)", st->bad_rows,
                          name, o->max_errors);
    return CM_OK;
}

CM_MUST_CHECK enum cm_code
cm_stratify_encounters_read(FILE *in, const struct cm_stratify_enc_opts *o,
                            struct cm_stratify_encounters **out, struct cm_arena *a,
                            struct cm_stratify_enc_stats *st, struct cm_err *err)
{
    struct cm_stratify_enc_stats local;
    if (st == NULL)
        st = &local;
    *st = (struct cm_stratify_enc_stats){0};
    bool on_stdin = o->input_name == NULL || strcmp(o->input_name, "-") == 0;
    const char *name = on_stdin ? "<stdin>" : o->input_name;
    if (o->delimiter != 0 && o->delimiter != '\t' && o->delimiter != ',')
        return cm_err_set(err, CM_EINVAL, "delimiter", "the delimiter must be a tab or a comma");
    if (o->window_months < 1 || o->window_months > WINDOW_MAX)
        return cm_err_set(err, CM_EINVAL, "window_months", "window_months must be 1 to %d",
                          WINDOW_MAX);
    uint32_t to = 0;
    if (o->as_of != NULL) {
        struct cm_err derr = {0};
        if (cm_date_check(o->as_of, "as_of", &derr) != CM_OK)
            return cm_err_set(err, CM_EINVAL, "as_of", "--as-of %s", derr.msg);
        to = ymd_of(o->as_of);
    } else if (on_stdin) {
        return cm_err_set(err, CM_EINVAL, "as_of", "encounters from standard input need --as-of");
    }

    struct cm_records *r = malloc(sizeof(*r));
    struct cm_stratify_encounters *e = cm_arena_alloc(a, sizeof(*e));
    if (r == NULL || e == NULL) {
        free(r);
        return cm_err_set(err, CM_ENOMEM, "", "out of memory");
    }
    enum cm_code rc = CM_OK;
    if (o->as_of == NULL) {
        /* Two passes: the window ends at the latest date, which only the whole file tells. */
        off_t at = ftello(in);
        if (at < 0 || fseeko(in, at, SEEK_SET) != 0) {
            rc = cm_err_set(err, CM_EINVAL, "as_of",
                            "%s cannot be read twice to find its latest date: give --as-of", name);
        } else {
            rc = latest_date(r, in, o->delimiter, name, &to, err);
            if (rc == CM_OK && fseeko(in, at, SEEK_SET) != 0)
                rc = cm_err_set(err, CM_EIO, "input", "%s: %s", name, strerror(errno));
            clearerr(in);
        }
    }
    if (rc == CM_OK) {
        /* With no good row there is no latest date; the pass still runs to report the rows. */
        uint32_t from = to == 0 ? 0 : months_before(to, o->window_months);
        rc = count_rows(r, in, o, name, from, to, e, a, st, err);
    }
    if (rc == CM_OK && to == 0)
        rc = cm_err_set(err, CM_EINVAL, "as_of",
                        "%s has no valid encounter date to end the window at: give --as-of", name);
    free(r);
    if (to != 0)
        ymd_format(to, st->as_of);
    if (rc == CM_OK)
        *out = e;
    return rc;
}
