/*
 * PMCA (Simon et al., Pediatrics 2014) from the ICD-10 branch of the SAS macro %classify_dx
 * (kpwhri/pmca v3.4.5, pmca.sas lines 547-921), one row per pattern. The rows sit in one array
 * sorted by pattern; a code is looked up once per pattern length (at most 7 binary searches), so
 * its cost does not grow with the number of rules. Rule numbers in comments are those of the
 * reference README, section 3.
 */
#include "identify/pmca.h"
#include "identify/identify.h"

#include "core/data.h"

#include <stdlib.h>
#include <string.h>

/* Patterns are ICD-10 codes without dots: 7 characters at most; 16 leaves room. */
#define PATTERN_MAX 16
/* rule_no and sas_line: pmca.sas has under 1,000 lines; 9 digits cannot overflow unsigned. */
#define NUMBER_DIGITS_MAX 9
#define COLUMNS           9

const char *const cm_pmca_systems[CM_PMCA_SYSTEMS] = {
    "cardiac", "cranio", "derm",    "endo",  "gastro", "genetic", "genito", "hemato",  "immuno",
    "mh",      "metab",  "musculo", "neuro", "opthal", "otol",    "otolar", "pulresp", "renal",
};

static const char HEADER[] =
    "rule_no\tsas_line\tmatch\tpattern\tsas_literal\tsets\tbody_systems\tmalignancy\tprogressive";

struct row {
    char pattern[PATTERN_MAX + 1];
    uint8_t len;
    bool exact;
    unsigned rule_no;
    unsigned sas_line;
    size_t order; /* position in the file: keeps rows with one pattern in file order */
    uint32_t flags;
};

struct cm_pmca_rules {
    struct row *rows; /* sorted by pattern bytes, then file order */
    size_t count;
    size_t maxlen;
};

static int
cmp_bytes(const char *a, size_t alen, const char *b, size_t blen)
{
    int c = memcmp(a, b, alen < blen ? alen : blen);
    if (c != 0)
        return c;
    return alen < blen ? -1 : alen > blen ? 1 : 0;
}

static int
cmp_row(const void *pa, const void *pb)
{
    const struct row *a = pa, *b = pb;
    int c = cmp_bytes(a->pattern, a->len, b->pattern, b->len);
    if (c != 0)
        return c;
    return a->order < b->order ? -1 : a->order > b->order ? 1 : 0;
}

/* The index of the first row whose pattern is s[n], or r->count when there is none. */
static size_t
lower_bound(const struct cm_pmca_rules *r, const char *s, size_t n)
{
    size_t lo = 0, hi = r->count;
    while (lo < hi) {
        size_t mid = lo + (hi - lo) / 2;
        if (cmp_bytes(r->rows[mid].pattern, r->rows[mid].len, s, n) < 0)
            lo = mid + 1;
        else
            hi = mid;
    }
    if (lo < r->count && cmp_bytes(r->rows[lo].pattern, r->rows[lo].len, s, n) == 0)
        return lo;
    return r->count;
}

/* The bit of a SAS variable of the sets column, or 0 for an unknown name. */
static uint32_t
variable_bit(const char *s, size_t n)
{
    for (int i = 0; i < CM_PMCA_SYSTEMS; i++) {
        if (strlen(cm_pmca_systems[i]) == n && memcmp(cm_pmca_systems[i], s, n) == 0)
            return UINT32_C(1) << i;
    }
    if (n == 11 && memcmp(s, "progressive", n) == 0)
        return CM_PMCA_PROGRESSIVE;
    if (n == 6 && memcmp(s, "malign", n) == 0)
        return CM_PMCA_MALIGN;
    return 0;
}

static bool
field_is(const char *s, size_t n, const char *lit)
{
    return strlen(lit) == n && memcmp(s, lit, n) == 0;
}

/* Splits one line into exactly COLUMNS TAB-separated fields; false when the count differs. */
static bool
split(const char *line, size_t len, const char **f, size_t *flen)
{
    size_t k = 0;
    const char *start = line;
    for (size_t i = 0; i <= len; i++) {
        if (i == len || line[i] == '\t') {
            if (k == COLUMNS)
                return false;
            f[k] = start;
            flen[k] = (size_t)(line + i - start);
            k++;
            start = line + i + 1;
        }
    }
    return k == COLUMNS;
}

static bool
parse_positive(const char *s, size_t n, unsigned *out)
{
    if (n == 0 || n > NUMBER_DIGITS_MAX || s[0] == '0')
        return false;
    unsigned v = 0;
    for (size_t i = 0; i < n; i++) {
        if (s[i] < '0' || s[i] > '9')
            return false;
        v = v * 10 + (unsigned)(s[i] - '0');
    }
    *out = v;
    return true;
}

/* Reads a ';'-separated list of SAS variables into *mask; returns a reason or NULL. An empty list
 * is allowed only when empty_ok (body_systems of a malignancy-only row). */
static const char *
parse_variables(const char *s, size_t n, bool empty_ok, uint32_t *mask)
{
    *mask = 0;
    if (n == 0)
        return empty_ok ? NULL : "empty variable list";
    size_t start = 0;
    for (size_t i = 0; i <= n; i++) {
        if (i < n && s[i] != ';')
            continue;
        uint32_t bit = variable_bit(s + start, i - start);
        if (bit == 0)
            return "unknown SAS variable";
        if (*mask & bit)
            return "repeated SAS variable";
        *mask |= bit;
        start = i + 1;
    }
    return NULL;
}

/* The body systems of a sets column, in its order, as they must appear in body_systems. */
static bool
body_systems_match(const char *sets, size_t sn, const char *bs, size_t bn)
{
    char want[256];
    size_t w = 0, start = 0;
    for (size_t i = 0; i <= sn; i++) {
        if (i < sn && sets[i] != ';')
            continue;
        uint32_t bit = variable_bit(sets + start, i - start);
        if (bit & CM_PMCA_SYSTEM_MASK) {
            size_t len = i - start;
            if (w + len + 1 > sizeof(want))
                return false;
            if (w > 0)
                want[w++] = ';';
            memcpy(want + w, sets + start, len);
            w += len;
        }
        start = i + 1;
    }
    return w == bn && memcmp(want, bs, bn) == 0;
}

static const char *
parse_row(const char **f, const size_t *fl, struct row *out)
{
    if (!parse_positive(f[0], fl[0], &out->rule_no))
        return "rule_no must be a positive integer";
    if (!parse_positive(f[1], fl[1], &out->sas_line))
        return "sas_line must be a positive integer";
    if (field_is(f[2], fl[2], "prefix"))
        out->exact = false;
    else if (field_is(f[2], fl[2], "exact"))
        out->exact = true;
    else
        return "match must be prefix or exact";
    if (fl[3] == 0)
        return "empty pattern";
    if (fl[3] > PATTERN_MAX)
        return "pattern longer than 16 characters";
    for (size_t i = 0; i < fl[3]; i++) {
        char c = f[3][i];
        if (!((c >= 'A' && c <= 'Z') || (c >= '0' && c <= '9')))
            return "pattern must be upper-case letters and digits";
    }
    memcpy(out->pattern, f[3], fl[3]);
    out->pattern[fl[3]] = '\0';
    out->len = (uint8_t)fl[3];
    /* The literal is the pattern as SAS wrote it. Only an exact row may pad it with blanks: SAS
     * 'M358 ' in an in: list compares five characters, so it matches M358 but not M3581. */
    if (fl[4] < fl[3] || memcmp(f[4], f[3], fl[3]) != 0)
        return "sas_literal does not match pattern";
    for (size_t i = fl[3]; i < fl[4]; i++) {
        if (f[4][i] != ' ')
            return "sas_literal does not match pattern";
        if (!out->exact)
            return "a blank-padded sas_literal must be an exact row";
    }
    const char *why = parse_variables(f[5], fl[5], false, &out->flags);
    if (why != NULL)
        return why;
    uint32_t systems;
    why = parse_variables(f[6], fl[6], true, &systems);
    if (why != NULL)
        return why;
    if (systems & ~CM_PMCA_SYSTEM_MASK)
        return "body_systems lists a variable that is not a body system";
    if (!body_systems_match(f[5], fl[5], f[6], fl[6]))
        return "body_systems is not the body systems of sets";
    bool malign = (out->flags & CM_PMCA_MALIGN) != 0;
    bool progressive = (out->flags & CM_PMCA_PROGRESSIVE) != 0;
    if (!field_is(f[7], fl[7], malign ? "1" : "0"))
        return "malignancy does not agree with sets";
    if (!field_is(f[8], fl[8], progressive ? "1" : "0"))
        return "progressive does not agree with sets";
    return NULL;
}

CM_MUST_CHECK enum cm_code
cm_pmca_rules_parse(const char *name, const char *text, size_t len, struct cm_pmca_rules **out,
                    struct cm_arena *a, struct cm_err *err)
{
    /* Rows are at most lines: one pass counts them so the array is allocated once. */
    size_t lines = 0;
    for (size_t i = 0; i < len; i++)
        lines += text[i] == '\n';
    struct cm_pmca_rules *r = cm_arena_calloc(a, 1, sizeof(*r));
    struct row *rows = cm_arena_calloc(a, lines + 1, sizeof(*rows));
    if (r == NULL || rows == NULL)
        return cm_err_set(err, CM_ENOMEM, "", "out of memory loading %s", name);

    size_t nrows = 0, lineno = 0, pos = 0, maxlen = 0;
    while (pos < len) {
        const char *line = text + pos;
        const char *nl = memchr(line, '\n', len - pos);
        size_t llen = nl ? (size_t)(nl - line) : len - pos;
        pos += llen + (nl ? 1 : 0);
        lineno++;
        if (lineno == 1) {
            if (!field_is(line, llen, HEADER))
                return cm_err_set(err, CM_EINVAL, "", "%s:1: wrong header", name);
            continue;
        }
        const char *f[COLUMNS];
        size_t fl[COLUMNS];
        if (!split(line, llen, f, fl))
            return cm_err_set(err, CM_EINVAL, "", "%s:%zu: expected %d TAB-separated columns", name,
                              lineno, COLUMNS);
        struct row *row = &rows[nrows];
        const char *why = parse_row(f, fl, row);
        if (why != NULL)
            return cm_err_set(err, CM_EINVAL, "", "%s:%zu: %s", name, lineno, why);
        row->order = nrows++;
        if (row->len > maxlen)
            maxlen = row->len;
    }
    if (lineno == 0)
        return cm_err_set(err, CM_EINVAL, "", "%s:1: wrong header", name);
    if (nrows == 0)
        return cm_err_set(err, CM_EINVAL, "", "%s:%zu: no rules", name, lineno);
    qsort(rows, nrows, sizeof(*rows), cmp_row);
    r->rows = rows;
    r->count = nrows;
    r->maxlen = maxlen;
    *out = r;
    return CM_OK;
}

CM_MUST_CHECK enum cm_code
cm_pmca_rules_load(struct cm_pmca_rules **out, struct cm_arena *a, struct cm_err *err)
{
    const struct cm_data_file *f = cm_data_find(CM_PMCA_RULES_NAME);
    if (f == NULL)
        return cm_err_set(err, CM_ENOTFOUND, "", "%s is not embedded", CM_PMCA_RULES_NAME);
    return cm_pmca_rules_parse(CM_PMCA_RULES_NAME, f->data, f->len, out, a, err);
}

size_t
cm_pmca_rules_count(const struct cm_pmca_rules *r)
{
    return r->count;
}

/* Rule 1: the code without its dots, cut to PATTERN_MAX + 1 bytes (longer cannot equal an exact
 * pattern, and prefixes need no more); *full is the whole dot-free length. Trailing blanks are
 * dropped because SAS pads character values with blanks and so never sees them. */
static size_t
undotted(const char *code, size_t len, char *buf, size_t *full)
{
    size_t n = 0, kept = 0;
    for (size_t i = 0; i < len; i++) {
        if (code[i] == '.')
            continue;
        n++;
        if (code[i] != ' ')
            kept = n;
    }
    *full = kept;
    size_t w = 0;
    for (size_t i = 0; i < len && w < kept && w < PATTERN_MAX + 1; i++) {
        if (code[i] != '.')
            buf[w++] = code[i];
    }
    return w;
}

/* ORs into *flags every row matched by the dot-free code buf[n] (whole length full), writes the
 * first max of them to hits and returns how many matched. */
static size_t
match(const struct cm_pmca_rules *r, const char *buf, size_t n, size_t full, uint32_t *flags,
      struct cm_pmca_rule_hit *hits, size_t max)
{
    size_t found = 0;
    *flags = 0;
    size_t top = n < r->maxlen ? n : r->maxlen;
    for (size_t k = 1; k <= top; k++) {
        for (size_t i = lower_bound(r, buf, k); i < r->count; i++) {
            const struct row *row = &r->rows[i];
            if (row->len != k || memcmp(row->pattern, buf, k) != 0)
                break;
            if (row->exact && k != full)
                continue;
            *flags |= row->flags;
            if (found < max) {
                hits[found] = (struct cm_pmca_rule_hit){
                    .rule_no = row->rule_no,
                    .sas_line = row->sas_line,
                    .exact = row->exact,
                    .pattern = row->pattern,
                    .flags = row->flags,
                };
            }
            found++;
        }
    }
    return found;
}

uint32_t
cm_pmca_code_flags(const struct cm_pmca_rules *r, const char *code, size_t len)
{
    char buf[PATTERN_MAX + 1];
    size_t full;
    size_t n = undotted(code, len, buf, &full);
    uint32_t flags;
    (void)match(r, buf, n, full, &flags, NULL, 0);
    return flags;
}

size_t
cm_pmca_code_rules(const struct cm_pmca_rules *r, const char *code, size_t len,
                   struct cm_pmca_rule_hit *hits, size_t max)
{
    char buf[PATTERN_MAX + 1];
    size_t full;
    size_t n = undotted(code, len, buf, &full);
    uint32_t flags;
    return match(r, buf, n, full, &flags, hits, max);
}

/* The first character of a code once its dots are removed (rule 1), or 0 for none. */
static char
first_char(const char *code, size_t len)
{
    for (size_t i = 0; i < len; i++) {
        if (code[i] != '.')
            return code[i];
    }
    return 0;
}

uint8_t
cm_pmca_code_evidence(const char *code, size_t len)
{
    char c = first_char(code, len);
    if ((c >= 'A' && c <= 'D') || (c >= 'F' && c <= 'U') || (c >= 'W' && c <= 'Z'))
        return CM_PMCA_EV_ICD10_LETTER;
    if (c >= '0' && c <= '9')
        return CM_PMCA_EV_DIGIT;
    return c == 'E' ? CM_PMCA_EV_E : c == 'V' ? CM_PMCA_EV_V : 0;
}

enum cm_pmca_icd
cm_pmca_icd_from_evidence(uint8_t ev)
{
    /* Rule 2, in the order pmca.sas applies it. */
    if (ev & CM_PMCA_EV_ICD10_LETTER)
        return CM_PMCA_ICD10;
    if (ev & CM_PMCA_EV_DIGIT)
        return CM_PMCA_ICD9;
    /* The E rule sets ICD-10 and the V rule, applied after it, sets ICD-9: V wins. */
    if (ev & CM_PMCA_EV_V)
        return CM_PMCA_ICD9;
    if (ev & CM_PMCA_EV_E)
        return CM_PMCA_ICD10;
    return CM_PMCA_ICD_NONE;
}

enum cm_pmca_icd
cm_pmca_claim_icd(const char *const *codes, const size_t *lens, size_t n)
{
    uint8_t ev = 0;
    for (size_t i = 0; i < n && !(ev & CM_PMCA_EV_ICD10_LETTER); i++)
        ev |= cm_pmca_code_evidence(codes[i], lens ? lens[i] : strlen(codes[i]));
    return cm_pmca_icd_from_evidence(ev);
}

uint32_t
cm_pmca_claim_flags(const struct cm_pmca_rules *r, const char *const *codes, const size_t *lens,
                    size_t n, enum cm_pmca_icd *icd)
{
    enum cm_pmca_icd kind = cm_pmca_claim_icd(codes, lens, n);
    if (icd != NULL)
        *icd = kind;
    /* No ICD-9 rules are available (the ICD-9 branch was not converted): such a claim sets
     * nothing rather than being misread with the ICD-10 rules. */
    if (kind != CM_PMCA_ICD10)
        return 0;
    uint32_t flags = 0;
    for (size_t i = 0; i < n; i++)
        flags |= cm_pmca_code_flags(r, codes[i], lens ? lens[i] : strlen(codes[i]));
    return flags;
}

void
cm_pmca_child_init(struct cm_pmca_child *c)
{
    memset(c, 0, sizeof(*c));
}

static void
bump(uint32_t *n)
{
    if (*n < UINT32_MAX)
        (*n)++;
}

void
cm_pmca_child_add_claim(struct cm_pmca_child *c, uint32_t flags)
{
    /* Rule 4: any<sys>2 counts claims, not codes, so a claim adds at most one to each flag. */
    bump(&c->claims);
    for (int i = 0; i < CM_PMCA_SYSTEMS; i++) {
        if (flags & (UINT32_C(1) << i))
            bump(&c->system_claims[i]);
    }
    if (flags & CM_PMCA_PROGRESSIVE)
        bump(&c->progressive_claims);
    if (flags & CM_PMCA_MALIGN)
        bump(&c->malign_claims);
}

uint32_t
cm_pmca_child_any(const struct cm_pmca_child *c)
{
    uint32_t any = 0;
    for (int i = 0; i < CM_PMCA_SYSTEMS; i++) {
        if (c->system_claims[i] > 0)
            any |= UINT32_C(1) << i;
    }
    if (c->progressive_claims > 0)
        any |= CM_PMCA_PROGRESSIVE;
    if (c->malign_claims > 0)
        any |= CM_PMCA_MALIGN;
    return any;
}

void
cm_pmca_child_classify(const struct cm_pmca_child *c, enum cm_pmca_variant v,
                       struct cm_pmca_result *out)
{
    /* Rule 5 counts a system flagged on one claim; rule 6 only one flagged on two different
     * claims. Progressive and malignancy need one claim in both. */
    uint32_t need = v == CM_PMCA_MORE ? 2 : 1;
    memset(out, 0, sizeof(*out));
    out->variant = v;
    for (int i = 0; i < CM_PMCA_SYSTEMS; i++) {
        if (c->system_claims[i] >= need) {
            out->systems |= UINT32_C(1) << i;
            out->scount++;
        }
    }
    out->progressive = c->progressive_claims > 0;
    out->malign = c->malign_claims > 0;
    if (out->scount >= 2 || out->progressive || out->malign)
        out->cls = CM_PMCA_COMPLEX_CHRONIC;
    else if (out->scount == 1)
        out->cls = CM_PMCA_NON_COMPLEX_CHRONIC;
    else
        out->cls = CM_PMCA_NON_CHRONIC;
}

const char *
cm_pmca_class_name(enum cm_pmca_class cls)
{
    switch (cls) {
    case CM_PMCA_NON_CHRONIC:
        return "non_chronic";
    case CM_PMCA_NON_COMPLEX_CHRONIC:
        return "non_complex_chronic";
    case CM_PMCA_COMPLEX_CHRONIC:
        return "complex_chronic";
    }
    return NULL;
}

const char *
cm_pmca_variant_name(enum cm_pmca_variant v)
{
    switch (v) {
    case CM_PMCA_LESS:
        return "less";
    case CM_PMCA_MORE:
        return "more";
    }
    return NULL;
}

CM_MUST_CHECK enum cm_code
cm_pmca_result_describe(const struct cm_pmca_result *r, char *buf, size_t size, struct cm_err *err)
{
    const char *cls = cm_pmca_class_name(r->cls);
    const char *variant = cm_pmca_variant_name(r->variant);
    if (cls == NULL || variant == NULL)
        return cm_err_set(err, CM_EINVAL, "", "unknown PMCA class %d or variant %d", (int)r->cls,
                          (int)r->variant);
    if (size == 0)
        return cm_err_set(err, CM_ETOOBIG, "", "PMCA description buffer is empty");
    /* Big enough for every system name; cut text is reported, never silently kept. */
    char text[512];
    size_t w = 0;
    int n;
#define PUT(...)                                                                                   \
    do {                                                                                           \
        n = snprintf(text + w, sizeof(text) - w, __VA_ARGS__);                                     \
        if (n < 0 || (size_t)n >= sizeof(text) - w)                                                \
            return cm_err_set(err, CM_EINTERNAL, "", "PMCA description overflow");                 \
        w += (size_t)n;                                                                            \
    } while (0)
    PUT("%s (%s): ", cls, variant);
    if (r->scount == 0) {
        PUT("no body system");
    } else {
        PUT("%u body system%s%s (", r->scount, r->scount == 1 ? "" : "s",
            r->variant == CM_PMCA_MORE ? " on 2+ claims" : "");
        bool first = true;
        for (int i = 0; i < CM_PMCA_SYSTEMS; i++) {
            if (r->systems & (UINT32_C(1) << i)) {
                PUT("%s%s", first ? "" : ", ", cm_pmca_systems[i]);
                first = false;
            }
        }
        PUT(")");
    }
    if (r->progressive)
        PUT("; progressive");
    if (r->malign)
        PUT("; malignancy");
#undef PUT
    if (cm_strlcpy(buf, text, size) != CM_OK)
        return cm_err_set(err, CM_ETOOBIG, "", "PMCA description needs %zu bytes", w + 1);
    return CM_OK;
}

CM_MUST_CHECK enum cm_code
cm_pmca_rules_info(struct cm_identify_list_info *out, struct cm_err *err)
{
    return cm_identify_list_describe(CM_PMCA_RULES_NAME, "pmca,pmca-conservative", 10, out, err);
}
