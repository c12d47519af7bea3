/*
 * plan/caremap: the findings of a care map (docs/caremap.md, "Findings").
 *
 * Kuo 2018 (Pediatrics 141 Suppl 3, Fig 1): a parent's care map showed 58 relationships, and "there
 * were unnecessary redundancies in care that were never seen before"; a year later there were 46.
 * The rules below make those redundancies and the usual gaps visible; they decide nothing. Each
 * finding is either resolved by the team (end a relationship, designate a lead, add a member or a
 * plan item) or marked as intended with a reason, because many of them are right for a family
 * (two neurologists at two centres while a surgery is planned; no home nursing by choice).
 *
 * Text is compared as words: a word is a run of ASCII letters and digits and non-ASCII bytes
 * (so UTF-8 letters stay inside words); everything else (space, '_', '-', punctuation) separates
 * words. ASCII letters compare without case; non-ASCII bytes compare as written. So " Speech-
 * Language  therapy" and "speech_language therapy" are the same service, and a service of only
 * spaces or punctuation is no service at all.
 *
 * Pure and bounded: no allocation; a map of n nodes costs O(n^2) comparisons of short strings,
 * which is nothing for the 60-odd relationships of the largest real maps.
 */
#include "plan/caremap.h"

#include <stdio.h>
#include <string.h>

static const char *const kind_names[CM_FINDING_KINDS] = {
    [CM_FINDING_DUPLICATE_SERVICE] = "duplicate_service",
    [CM_FINDING_COORDINATORS_NO_LEAD] = "coordinators_no_lead",
    [CM_FINDING_NO_LEAD] = "no_lead",
    [CM_FINDING_NO_BACKUP] = "no_backup",
    [CM_FINDING_EQUIPMENT_NO_SUPPLIER] = "equipment_no_supplier",
    [CM_FINDING_TECH_NO_SICK_DAY_PLAN] = "tech_no_sick_day_plan",
    [CM_FINDING_TECH_NO_HOME_NURSING] = "tech_no_home_nursing",
    [CM_FINDING_NO_PRIMARY_CARE] = "no_primary_care",
};

static const char *const resolve_names[CM_RESOLVE_COUNT] = {
    [CM_RESOLVE_END_ONE] = "end_one",
    [CM_RESOLVE_DESIGNATE_LEAD] = "designate_lead",
    [CM_RESOLVE_DESIGNATE_BACKUP] = "designate_backup",
    [CM_RESOLVE_ADD_MEMBER] = "add_member",
    [CM_RESOLVE_ADD_PLAN_ITEM] = "add_plan_item",
    [CM_RESOLVE_NAME_SUPPLIER] = "name_supplier",
};

/* Message catalog stems, one per kind; kinds with a second wording have their own stem below. */
static const char *const message_stems[CM_FINDING_KINDS] = {
    [CM_FINDING_DUPLICATE_SERVICE] = "caremap.finding.duplicate_service",
    [CM_FINDING_COORDINATORS_NO_LEAD] = "caremap.finding.coordinators_no_lead",
    [CM_FINDING_NO_LEAD] = "caremap.finding.no_lead",
    [CM_FINDING_NO_BACKUP] = "caremap.finding.no_backup",
    [CM_FINDING_EQUIPMENT_NO_SUPPLIER] = "caremap.finding.equipment_no_supplier",
    [CM_FINDING_TECH_NO_SICK_DAY_PLAN] = "caremap.finding.tech_no_sick_day_plan",
    [CM_FINDING_TECH_NO_HOME_NURSING] = "caremap.finding.tech_no_home_nursing",
    [CM_FINDING_NO_PRIMARY_CARE] = "caremap.finding.no_primary_care",
};

const char *
cm_caremap_finding_kind_name(enum cm_caremap_finding_kind k)
{
    if ((unsigned)k >= CM_FINDING_KINDS)
        return "";
    return kind_names[k];
}

const char *
cm_caremap_resolve_name(enum cm_caremap_resolve r)
{
    if ((unsigned)r >= CM_RESOLVE_COUNT)
        return "";
    return resolve_names[r];
}

const char *
cm_caremap_finding_message(const struct cm_caremap_finding *f)
{
    if (f == NULL || (unsigned)f->kind >= CM_FINDING_KINDS)
        return "";
    /* A supplier that is named but missing from the map needs other words than no supplier. */
    if (f->kind == CM_FINDING_EQUIPMENT_NO_SUPPLIER && f->resolve == CM_RESOLVE_ADD_MEMBER)
        return "caremap.finding.equipment_supplier_not_on_map";
    return message_stems[f->kind];
}

/* ---- words ----------------------------------------------------------------------------------- */

static bool
word_byte(unsigned char c)
{
    return (c >= 'a' && c <= 'z') || (c >= 'A' && c <= 'Z') || (c >= '0' && c <= '9') || c >= 0x80;
}

static unsigned char
lower(unsigned char c)
{
    return (c >= 'A' && c <= 'Z') ? (unsigned char)(c - 'A' + 'a') : c;
}

/* The next word at or after *p into w, len; advances *p past it. False at the end. */
static bool
next_word(const char **p, const char **w, size_t *len)
{
    const unsigned char *s = (const unsigned char *)*p;
    while (*s != '\0' && !word_byte(*s))
        s++;
    if (*s == '\0') {
        *p = (const char *)s;
        return false;
    }
    const unsigned char *start = s;
    while (*s != '\0' && word_byte(*s))
        s++;
    *w = (const char *)start;
    *len = (size_t)(s - start);
    *p = (const char *)s;
    return true;
}

static bool
word_eq(const char *a, size_t na, const char *b, size_t nb)
{
    if (na != nb)
        return false;
    for (size_t i = 0; i < na; i++)
        if (lower((unsigned char)a[i]) != lower((unsigned char)b[i]))
            return false;
    return true;
}

/* True when text starts with the words of phrase; with whole, when it also has no more words. */
static bool
words_start(const char *text, const char *phrase, bool whole)
{
    const char *w1 = NULL, *w2 = NULL;
    size_t n1 = 0, n2 = 0;
    while (next_word(&phrase, &w2, &n2)) {
        if (!next_word(&text, &w1, &n1) || !word_eq(w1, n1, w2, n2))
            return false;
    }
    return !whole || !next_word(&text, &w1, &n1);
}

/* a and b have the same words (NULL has none and equals nothing). */
static bool
words_equal(const char *a, const char *b)
{
    return a != NULL && b != NULL && words_start(a, b, true);
}

/* The words of phrase occur in text, in order and next to each other. */
static bool
words_contain(const char *text, const char *phrase)
{
    if (text == NULL)
        return false;
    const char *w = NULL;
    size_t n = 0;
    while (next_word(&text, &w, &n))
        if (words_start(w, phrase, false))
            return true;
    return false;
}

static bool
has_words(const char *s)
{
    const char *w = NULL;
    size_t n = 0;
    return s != NULL && next_word(&s, &w, &n);
}

/* ---- keys ------------------------------------------------------------------------------------ */

/* Appends the words of s, lower-cased and joined by '_', to key (which holds len bytes) within
 * CM_FINDING_KEY_MAX. A form too long to fit is cut at a UTF-8 boundary and ends in '~' and the
 * FNV-1a hash of the whole form, so long services that share a beginning still get distinct keys
 * and the same service always gets the same key. */
static void
key_append_words(char *key, size_t len, const char *s)
{
    uint32_t h = 2166136261u;
    size_t total = 0;
    const char *p = s, *w = NULL;
    size_t n = 0;
    bool first = true;
    while (next_word(&p, &w, &n)) {
        if (!first) {
            h = (h ^ '_') * 16777619u;
            total++;
        }
        first = false;
        for (size_t i = 0; i < n; i++)
            h = (h ^ lower((unsigned char)w[i])) * 16777619u;
        total += n;
    }
    size_t room = CM_FINDING_KEY_MAX - 1 - len;
    bool cut = total > room;
    size_t limit = cut ? room - 9 : total;

    size_t out = len;
    p = s;
    first = true;
    while (next_word(&p, &w, &n) && out - len < limit) {
        if (!first)
            key[out++] = '_';
        first = false;
        for (size_t i = 0; i < n && out - len < limit; i++)
            key[out++] = (char)lower((unsigned char)w[i]);
    }
    if (cut) {
        /* A cut inside a multi-byte sequence drops its first bytes, so the key stays UTF-8. */
        size_t j = out;
        while (j > len && ((unsigned char)key[j - 1] & 0xC0) == 0x80)
            j--;
        if (j > len) {
            unsigned char lead = (unsigned char)key[j - 1];
            size_t want = lead < 0x80 ? 1 : lead >= 0xF0 ? 4 : lead >= 0xE0 ? 3 : 2;
            if (out - (j - 1) < want)
                out = j - 1;
        }
        (void)snprintf(key + out, CM_FINDING_KEY_MAX - out, "~%08x", (unsigned)h);
        return;
    }
    key[out] = '\0';
}

/* ---- the ordered output ---------------------------------------------------------------------- */

/* Findings go into out in (kind, key) order without a second pass: kinds are produced in enum
 * order, and within a kind each finding is inserted by key. When out is full a finding that sorts
 * before the last kept one pushes that one out, so out always holds the first max findings. */
struct sink {
    struct cm_caremap_finding *out;
    size_t max;
    size_t n;          /* findings produced, kept or not */
    size_t kind_start; /* where the current kind's findings begin in out */
    const struct cm_caremap_disposition *d;
    size_t n_d;
};

static size_t
kept(const struct sink *s)
{
    return s->n < s->max ? s->n : s->max;
}

static void
begin_kind(struct sink *s)
{
    s->kind_start = kept(s);
}

static void
emit(struct sink *s, struct cm_caremap_finding *f)
{
    for (size_t i = 0; i < s->n_d; i++) {
        if (s->d[i].key != NULL && strcmp(s->d[i].key, f->key) == 0) {
            f->intended = true;
            f->intended_reason = s->d[i].reason;
            break;
        }
    }
    size_t have = kept(s);
    s->n++;
    size_t pos = s->kind_start;
    while (pos < have && strcmp(s->out[pos].key, f->key) <= 0)
        pos++;
    if (pos >= s->max)
        return;
    size_t last = have < s->max ? have : s->max - 1; /* the slot the shift fills */
    memmove(&s->out[pos + 1], &s->out[pos], (last - pos) * sizeof(*f));
    s->out[pos] = *f;
}

static void
finding_init(struct cm_caremap_finding *f, enum cm_caremap_finding_kind kind,
             enum cm_caremap_resolve resolve)
{
    memset(f, 0, sizeof(*f));
    f->kind = kind;
    f->resolve = resolve;
    (void)snprintf(f->key, sizeof(f->key), "%s", kind_names[kind]);
}

/* Adds id to the ascending members of f; past CM_FINDING_MEMBERS_MAX the highest ids are left
 * off. */
static void
member_add(struct cm_caremap_finding *f, int64_t id)
{
    size_t pos = 0;
    while (pos < f->n_members && f->members[pos] < id)
        pos++;
    if (pos >= CM_FINDING_MEMBERS_MAX)
        return;
    size_t last = f->n_members < CM_FINDING_MEMBERS_MAX ? f->n_members : CM_FINDING_MEMBERS_MAX - 1;
    memmove(&f->members[pos + 1], &f->members[pos], (last - pos) * sizeof(f->members[0]));
    f->members[pos] = id;
    if (f->n_members < CM_FINDING_MEMBERS_MAX)
        f->n_members++;
}

/* ---- what a node is -------------------------------------------------------------------------- */

/* Home nursing (docs/caremap.md): nursing named in the service or the role, at home. Home
 * nursing is what keeps a technology-dependent child at home safely (Maypole 2020 lists home
 * nursing shortages among the service gaps families face). */
static bool
is_home_nursing_text(const char *t, enum cm_sector sector)
{
    if (!words_contain(t, "nursing") && !words_contain(t, "nurse"))
        return false;
    return sector == CM_SECTOR_EQUIPMENT_HOME || words_contain(t, "home") ||
           words_contain(t, "private duty");
}

static bool
is_home_nursing(const struct cm_caremap_node *node)
{
    return is_home_nursing_text(node->service, node->sector) ||
           is_home_nursing_text(node->role, node->sector);
}

/* Names a general paediatric or family medicine clinician by role or service; "primary care"
 * anywhere in the words counts ("pediatrician (primary care)", "primary_care_clinician"). */
static const char *const primary_care_names[] = {
    "pcp",          "pediatrician",     "general pediatrician", "general pediatrics", "pediatrics",
    "medical home", "family physician", "family medicine",      "family doctor",
};

static bool
is_primary_care_text(const char *t)
{
    if (words_contain(t, "primary care"))
        return true;
    for (size_t i = 0; i < CM_ARRAY_LEN(primary_care_names); i++)
        if (words_equal(t, primary_care_names[i]))
            return true;
    return false;
}

/* Only in the medical sector: a payer's "primary care case management" is not a clinician. */
static bool
is_primary_care(const struct cm_caremap_node *node)
{
    return node->sector == CM_SECTOR_MEDICAL &&
           (is_primary_care_text(node->role) || is_primary_care_text(node->service));
}

/* ---- the rules ------------------------------------------------------------------------------- */

static bool
same_service(const struct cm_caremap_node *a, const struct cm_caremap_node *b)
{
    return a->sector == b->sector && words_equal(a->service, b->service);
}

/* Two or more members of one sector with the same service (the Kuo 2018 care map's "unnecessary
 * redundancies"). Same words in different sectors is not a duplicate: a school's speech therapy
 * (for learning, under the IEP) and a clinic's (for the medical need) are usually both wanted. */
static void
rule_duplicate_service(const struct cm_caremap *map, struct sink *s)
{
    begin_kind(s);
    for (size_t i = 0; i < map->n_nodes; i++) {
        const struct cm_caremap_node *a = &map->nodes[i];
        if (!has_words(a->service))
            continue;
        bool head = true;
        for (size_t j = 0; j < i && head; j++)
            head = !same_service(a, &map->nodes[j]);
        if (!head)
            continue;
        struct cm_caremap_finding f;
        finding_init(&f, CM_FINDING_DUPLICATE_SERVICE, CM_RESOLVE_END_ONE);
        size_t count = 0;
        int64_t low = 0;
        for (size_t j = i; j < map->n_nodes; j++) {
            const struct cm_caremap_node *b = &map->nodes[j];
            if (j != i && !same_service(a, b))
                continue;
            count++;
            member_add(&f, b->id);
            if (count == 1 || b->id < low) {
                low = b->id;
                f.service = b->service;
            }
        }
        if (count < 2)
            continue;
        size_t len = (size_t)snprintf(f.key, sizeof(f.key), "%s:%s:", kind_names[f.kind],
                                      cm_sector_name(a->sector));
        key_append_words(f.key, len, a->service);
        emit(s, &f);
    }
}

/* The lead and backup rules. Maypole 2020, "Step 3. Assign a single person (with backup) to
 * coordinate the care of CMC"; issue 7: several coordinators (hospital, payer, school, agency)
 * with no designated lead. With no lead, exactly one of coordinators_no_lead (2+ coordinators:
 * the choice is among them) and no_lead fires; with a lead neither does, and no_backup asks for
 * the backup. A member marked lead counts as the lead whether or not it is flagged coordinator. */
static void
rule_leads(const struct cm_caremap *map, struct sink *s)
{
    bool has_lead = false, has_backup = false;
    size_t n_coord = 0;
    for (size_t i = 0; i < map->n_nodes; i++) {
        has_lead |= map->nodes[i].lead == CM_LEAD_LEAD;
        has_backup |= map->nodes[i].lead == CM_LEAD_BACKUP;
        n_coord += map->nodes[i].coordinator;
    }

    struct cm_caremap_finding f;
    begin_kind(s);
    if (!has_lead && n_coord >= 2) {
        finding_init(&f, CM_FINDING_COORDINATORS_NO_LEAD, CM_RESOLVE_DESIGNATE_LEAD);
        for (size_t i = 0; i < map->n_nodes; i++)
            if (map->nodes[i].coordinator)
                member_add(&f, map->nodes[i].id);
        emit(s, &f);
    }
    begin_kind(s);
    if (!has_lead && n_coord < 2) {
        finding_init(&f, CM_FINDING_NO_LEAD, CM_RESOLVE_DESIGNATE_LEAD);
        for (size_t i = 0; i < map->n_nodes; i++)
            if (map->nodes[i].coordinator)
                member_add(&f, map->nodes[i].id);
        emit(s, &f);
    }
    begin_kind(s);
    if (has_lead && !has_backup) {
        finding_init(&f, CM_FINDING_NO_BACKUP, CM_RESOLVE_DESIGNATE_BACKUP);
        for (size_t i = 0; i < map->n_nodes; i++)
            if (map->nodes[i].coordinator && map->nodes[i].lead != CM_LEAD_LEAD)
                member_add(&f, map->nodes[i].id);
        emit(s, &f);
    }
}

/* A supplier is on the map when some member's organisation or name has the same words. */
static bool
supplier_on_map(const struct cm_caremap *map, const char *supplier)
{
    for (size_t i = 0; i < map->n_nodes; i++)
        if (words_equal(supplier, map->nodes[i].organization) ||
            words_equal(supplier, map->nodes[i].name))
            return true;
    return false;
}

/* Equipment with no supplier, or a supplier nobody on the map speaks for: the family is left to
 * find out who repairs the pump (Maypole 2020: equipment and suppliers belong in the plan). */
static void
rule_equipment(const struct cm_caremap *map, struct sink *s)
{
    const struct cm_caremap_facts *facts = &map->facts;
    begin_kind(s);
    if (facts->equipment == NULL)
        return;
    for (size_t i = 0; i < facts->n_equipment; i++) {
        const struct cm_caremap_equipment *e = &facts->equipment[i];
        bool again = false;
        for (size_t j = 0; j < i && !again; j++)
            again = facts->equipment[j].item_id == e->item_id;
        if (again) /* one item, one finding: keys stay unique */
            continue;
        struct cm_caremap_finding f;
        if (!has_words(e->supplier)) {
            finding_init(&f, CM_FINDING_EQUIPMENT_NO_SUPPLIER, CM_RESOLVE_NAME_SUPPLIER);
        } else if (!supplier_on_map(map, e->supplier)) {
            finding_init(&f, CM_FINDING_EQUIPMENT_NO_SUPPLIER, CM_RESOLVE_ADD_MEMBER);
            f.supplier = e->supplier;
        } else {
            continue;
        }
        f.item_id = e->item_id;
        (void)snprintf(f.key, sizeof(f.key), "%s:item:%lld", kind_names[f.kind],
                       (long long)e->item_id);
        emit(s, &f);
    }
}

/* Gaps for a technology-dependent child: a sick-day plan (Maypole 2020's "Action/'sick day'
 * action plans") and home nursing. */
static void
rule_tech(const struct cm_caremap *map, struct sink *s)
{
    struct cm_caremap_finding f;
    begin_kind(s);
    if (map->facts.tech_dependent && !map->facts.has_sick_day_plan) {
        finding_init(&f, CM_FINDING_TECH_NO_SICK_DAY_PLAN, CM_RESOLVE_ADD_PLAN_ITEM);
        emit(s, &f);
    }
    begin_kind(s);
    if (!map->facts.tech_dependent)
        return;
    for (size_t i = 0; i < map->n_nodes; i++)
        if (is_home_nursing(&map->nodes[i]))
            return;
    finding_init(&f, CM_FINDING_TECH_NO_HOME_NURSING, CM_RESOLVE_ADD_MEMBER);
    emit(s, &f);
}

/* Kuo 2018: the family went from 58 to 46 "through careful consultation with the child's PCP";
 * primary care is the medical home every map needs. */
static void
rule_primary_care(const struct cm_caremap *map, struct sink *s)
{
    begin_kind(s);
    for (size_t i = 0; i < map->n_nodes; i++)
        if (is_primary_care(&map->nodes[i]))
            return;
    struct cm_caremap_finding f;
    finding_init(&f, CM_FINDING_NO_PRIMARY_CARE, CM_RESOLVE_ADD_MEMBER);
    emit(s, &f);
}

void
cm_caremap_findings(const struct cm_caremap *map, const struct cm_caremap_disposition *d,
                    size_t n_d, struct cm_caremap_finding *out, size_t max, size_t *n)
{
    struct sink s = {.out = out, .max = out != NULL ? max : 0, .d = d, .n_d = d != NULL ? n_d : 0};
    struct cm_caremap empty = {0};
    if (map == NULL)
        map = &empty;
    if (map->nodes == NULL) {
        empty = *map;
        empty.n_nodes = 0;
        map = &empty;
    }
    rule_duplicate_service(map, &s);
    rule_leads(map, &s);
    rule_equipment(map, &s);
    rule_tech(map, &s);
    rule_primary_care(map, &s);
    if (n != NULL)
        *n = s.n;
}
