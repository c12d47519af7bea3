/*
 * CCC v2.0, v2.1, v3.0 and v3.1 as the R package medicalcoder 0.6.0.9000 computes them (v3:
 * Feinstein et al., JAMA Netw Open 2024;7(7):e2420579). The table is medicalcoder's own export
 * (get_pccc_codes()), embedded from data/codelists/. medicalcoder writes every descendant code out
 * and matches by equality with the dotted or the undotted form, so one sorted array per code type
 * holds both forms of every row of the chosen variant and ICD version, each with the OR of what its
 * rows set: a patient code costs one binary search.
 */
#include "core/data.h"
#include "identify/identify.h"

#include <stdlib.h>
#include <string.h>

/* Listed codes are at most 8 characters (S72.001A); 16 leaves room. */
#define LISTED_MAX 16
#define MC_COLUMNS 12

static const char MC_FILE[] = "codelists/ccc_medicalcoder_0.6.0.9000_codes.tsv";

static const char MC_HEADER[] = "icdv\tdx\tfull_code\tcode\tcondition\tsubcondition\t"
                                "transplant_flag\ttech_dep_flag\tpccc_v3.1\tpccc_v3.0\t"
                                "pccc_v2.1\tpccc_v2.0";

const char *const cm_identify_mc_conditions[CM_MC_CONDITIONS] = {
    "congeni_genetic", "cvd",       "gi",    "hemato_immu", "malignancy", "metabolic", "misc",
    "neonatal",        "neuromusc", "renal", "respiratory",
};

static const char *const V3_SUFFIX[4] = {"_dxpr_only", "_tech_only", "_dxpr_and_tech",
                                         "_dxpr_or_tech"};

struct key {
    char code[LISTED_MAX + 1];
    uint8_t len;
    struct cm_identify_mc_hit hit;
};

struct keys {
    struct key *entries;
    size_t count;
};

struct cm_identify_mc {
    struct keys types[2]; /* by enum cm_identify_code_type */
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
cmp_key(const void *pa, const void *pb)
{
    const struct key *a = pa, *b = pb;
    return cmp_bytes(a->code, a->len, b->code, b->len);
}

static bool
field_is(const char *s, size_t n, const char *lit)
{
    return strlen(lit) == n && memcmp(s, lit, n) == 0;
}

/* Splits one line into exactly want TAB-separated fields; false when the count differs. */
static bool
split(const char *line, size_t len, const char **f, size_t *flen, size_t want)
{
    size_t k = 0;
    const char *start = line;
    for (size_t i = 0; i <= len; i++) {
        if (i == len || line[i] == '\t') {
            if (k == want)
                return false;
            f[k] = start;
            flen[k] = (size_t)(line + i - start);
            k++;
            start = line + i + 1;
        }
    }
    return k == want;
}

static int
condition_of(const char *s, size_t n)
{
    for (int i = 0; i < CM_MC_CONDITIONS; i++) {
        if (field_is(s, n, cm_identify_mc_conditions[i]))
            return i;
    }
    return -1;
}

/* A 0/1 field: 0 or 1, -1 when it is neither. */
static int
bit(const char *s, size_t n)
{
    return field_is(s, n, "0") ? 0 : field_is(s, n, "1") ? 1 : -1;
}

/* The column of medicalcoder's table that says whether a row belongs to alg. */
static int
variant_column(enum cm_identify_algorithm alg)
{
    switch (alg) {
    case CM_IDENTIFY_MC_V31:
        return 8;
    case CM_IDENTIFY_MC_V30:
        return 9;
    case CM_IDENTIFY_MC_V21:
        return 10;
    case CM_IDENTIFY_MC_V20:
        return 11;
    case CM_IDENTIFY_CCC2:
    case CM_IDENTIFY_PMCA_LESS:
    case CM_IDENTIFY_PMCA_MORE:
        break;
    }
    return -1;
}

static bool
code_ok(const char *s, size_t n)
{
    if (n == 0 || n > LISTED_MAX)
        return false;
    for (size_t i = 0; i < n; i++) {
        char c = s[i];
        if (!((c >= 'A' && c <= 'Z') || (c >= '0' && c <= '9') || c == '.'))
            return false;
    }
    return true;
}

CM_MUST_CHECK enum cm_code
cm_identify_mc_parse(const char *name, const char *text, size_t len, enum cm_identify_algorithm alg,
                     int icd, struct cm_identify_mc **out, struct cm_arena *a, struct cm_err *err)
{
    int vcol = variant_column(alg);
    if (vcol < 0)
        return cm_err_set(err, CM_EINVAL, "algorithm", "not a medicalcoder variant");
    if (icd != 0 && icd != 9 && icd != 10)
        return cm_err_set(err, CM_EINVAL, "icd", "the ICD version must be 9, 10 or 0 (both)");
    /* Each row gives at most two keys (full_code and code): one pass counts the lines so every
     * array is allocated once. */
    size_t lines = 0;
    for (size_t i = 0; i < len; i++)
        lines += text[i] == '\n';
    struct cm_identify_mc *m = cm_arena_calloc(a, 1, sizeof(*m));
    struct key *keys = cm_arena_calloc(a, 2 * (lines + 1), sizeof(*keys));
    uint8_t *types = cm_arena_calloc(a, 2 * (lines + 1), 1);
    if (m == NULL || keys == NULL || types == NULL)
        return cm_err_set(err, CM_ENOMEM, "", "out of memory loading %s", name);

    size_t nkeys = 0, lineno = 0, pos = 0;
    while (pos < len) {
        const char *line = text + pos;
        const char *nl = memchr(line, '\n', len - pos);
        size_t llen = nl ? (size_t)(nl - line) : len - pos;
        pos += llen + (nl ? 1 : 0);
        lineno++;
        if (lineno == 1) {
            if (!field_is(line, llen, MC_HEADER))
                return cm_err_set(err, CM_EINVAL, "list", "%s:1: unexpected header", name);
            continue;
        }
        const char *f[MC_COLUMNS];
        size_t fl[MC_COLUMNS];
        if (!split(line, llen, f, fl, MC_COLUMNS))
            return cm_err_set(err, CM_EINVAL, "list", "%s:%zu: expected %d columns", name, lineno,
                              MC_COLUMNS);
        bool v9 = field_is(f[0], fl[0], "9");
        if (!v9 && !field_is(f[0], fl[0], "10"))
            return cm_err_set(err, CM_EINVAL, "list", "%s:%zu: icdv must be 9 or 10", name, lineno);
        int dx = bit(f[1], fl[1]);
        if (dx < 0)
            return cm_err_set(err, CM_EINVAL, "list", "%s:%zu: dx must be 0 or 1", name, lineno);
        if (!code_ok(f[2], fl[2]) || !code_ok(f[3], fl[3]))
            return cm_err_set(err, CM_EINVAL, "list",
                              "%s:%zu: codes must be 1 to %d upper-case letters, digits or dots",
                              name, lineno, LISTED_MAX);
        int cond = condition_of(f[4], fl[4]);
        if (cond < 0)
            return cm_err_set(err, CM_EINVAL, "list", "%s:%zu: unknown condition", name, lineno);
        int flags[6];
        for (int k = 0; k < 6; k++) {
            flags[k] = bit(f[6 + k], fl[6 + k]);
            if (flags[k] < 0)
                return cm_err_set(err, CM_EINVAL, "list", "%s:%zu: flags must be 0 or 1", name,
                                  lineno);
        }
        if ((icd != 0 && (v9 ? 9 : 10) != icd) || flags[vcol - 6] == 0)
            continue;
        int transplant = flags[0], tech = flags[1];
        struct cm_identify_mc_hit h = {0};
        uint16_t c = (uint16_t)(1u << cond);
        /* medicalcoder's .pccc_v3: dxpr is a code of the condition without the technology flag,
         * techtrans one with both flags, tech one with the technology flag. */
        if (tech)
            h.tech = c;
        else
            h.dxpr = c;
        if (tech && transplant)
            h.techtrans = c;
        h.flags = (uint8_t)((tech ? CM_MC_ANY_TECH : 0) | (transplant ? CM_MC_ANY_TRANSPLANT : 0));
        for (int k = 2; k <= 3; k++) {
            if (k == 3 && fl[3] == fl[2] && memcmp(f[2], f[3], fl[2]) == 0)
                break; /* no dot: one key */
            struct key *e = &keys[nkeys];
            memcpy(e->code, f[k], fl[k]);
            e->len = (uint8_t)fl[k];
            e->hit = h;
            types[nkeys] = dx ? CM_IDENTIFY_DX : CM_IDENTIFY_PC;
            nkeys++;
        }
    }
    if (lineno < 2)
        return cm_err_set(err, CM_EINVAL, "list", "%s: no rows", name);

    for (int t = 0; t < 2; t++) {
        struct keys *tab = &m->types[t];
        tab->entries = cm_arena_calloc(a, nkeys + 1, sizeof(*tab->entries));
        if (tab->entries == NULL)
            return cm_err_set(err, CM_ENOMEM, "", "out of memory loading %s", name);
        for (size_t i = 0; i < nkeys; i++) {
            if (types[i] == t)
                tab->entries[tab->count++] = keys[i];
        }
        if (tab->count > 0)
            qsort(tab->entries, tab->count, sizeof(*tab->entries), cmp_key);
        /* A code is listed once per condition (E75.00: metabolic and neuromusc in v3.1), and its
         * dotted and undotted forms may coincide with another row's: merge so one lookup finds
         * every row the code equals. */
        size_t w = 0;
        for (size_t i = 0; i < tab->count; i++) {
            struct key *e = &tab->entries[i];
            if (w > 0 && cmp_key(&tab->entries[w - 1], e) == 0) {
                struct cm_identify_mc_hit *p = &tab->entries[w - 1].hit;
                p->dxpr |= e->hit.dxpr;
                p->tech |= e->hit.tech;
                p->techtrans |= e->hit.techtrans;
                p->flags |= e->hit.flags;
            } else {
                tab->entries[w++] = *e;
            }
        }
        tab->count = w;
    }
    *out = m;
    return CM_OK;
}

CM_MUST_CHECK enum cm_code
cm_identify_mc_load(enum cm_identify_algorithm alg, int icd, struct cm_identify_mc **out,
                    struct cm_arena *a, struct cm_err *err)
{
    const struct cm_data_file *f = cm_data_find(MC_FILE);
    if (f == NULL)
        return cm_err_set(err, CM_ENOTFOUND, "list", "%s is not embedded", MC_FILE);
    return cm_identify_mc_parse(MC_FILE, f->data, f->len, alg, icd, out, a, err);
}

struct cm_identify_mc_hit
cm_identify_mc_match(const struct cm_identify_mc *m, enum cm_identify_code_type type,
                     const char *code, size_t len, enum cm_identify_codes mode)
{
    struct cm_identify_mc_hit none = {0};
    char norm[CM_IDENTIFY_CODE_MAX + 1];
    if (mode == CM_IDENTIFY_CODES_NORMALISED) {
        while (len > 0 && code[0] == ' ') {
            code++;
            len--;
        }
        while (len > 0 && code[len - 1] == ' ')
            len--;
        if (len > CM_IDENTIFY_CODE_MAX)
            return none;
        /* Dots are kept: the table lists both forms, so G80.0 and G800 are found as they are. */
        for (size_t i = 0; i < len; i++) {
            char c = code[i];
            norm[i] = (c >= 'a' && c <= 'z') ? (char)(c - 'a' + 'A') : c;
        }
        code = norm;
    }
    if (len == 0 || len > LISTED_MAX)
        return none;
    const struct keys *t = &m->types[type == CM_IDENTIFY_PC ? 1 : 0];
    size_t lo = 0, hi = t->count;
    while (lo < hi) {
        size_t mid = lo + (hi - lo) / 2;
        const struct key *e = &t->entries[mid];
        int c = cmp_bytes(code, len, e->code, e->len);
        if (c == 0)
            return e->hit;
        if (c < 0)
            hi = mid;
        else
            lo = mid + 1;
    }
    return none;
}

static bool
is_v3(enum cm_identify_algorithm alg)
{
    return alg == CM_IDENTIFY_MC_V30 || alg == CM_IDENTIFY_MC_V31;
}

void
cm_identify_mc_write_header(enum cm_identify_algorithm alg, FILE *out)
{
    fputs("patient_id", out);
    for (int i = 0; i < CM_MC_CONDITIONS; i++) {
        if (!is_v3(alg)) {
            fprintf(out, "\t%s", cm_identify_mc_conditions[i]);
            continue;
        }
        for (int k = 0; k < 4; k++)
            fprintf(out, "\t%s%s", cm_identify_mc_conditions[i], V3_SUFFIX[k]);
    }
    fputs("\tany_tech_dep\tany_transplant\tnum_cmrb\tcmrb_flag", out);
}

static int
popcount16(uint16_t v)
{
    int n = 0;
    for (; v != 0; v &= (uint16_t)(v - 1))
        n++;
    return n;
}

/* The four v3 columns of every condition (dxpr_only, tech_only, dxpr_and_tech, dxpr_or_tech). */
static void
v3_columns(const struct cm_identify_mc_hit *h, uint16_t cols[4])
{
    /* medicalcoder's .pccc_v3 (the 2024 paper): technology dependence alone does not count.
     * Without a non-technology code or a technology-and-transplant code, every tech bit is
     * cleared before the columns are formed. */
    uint16_t tech = h->tech;
    if (h->dxpr == 0 && h->techtrans == 0)
        tech = 0;
    uint16_t anytech = (uint16_t)(tech | h->techtrans);
    uint16_t both = (uint16_t)(h->dxpr & anytech);
    cols[0] = (uint16_t)(h->dxpr & ~both);
    cols[1] = (uint16_t)(anytech & ~both);
    cols[2] = both;
    cols[3] = (uint16_t)(h->dxpr | anytech);
}

struct cm_identify_mc_summary
cm_identify_mc_summarise(enum cm_identify_algorithm alg, const struct cm_identify_mc_hit *h)
{
    struct cm_identify_mc_summary s = {0};
    if (!is_v3(alg)) {
        /* medicalcoder's .pccc_v2: a condition is set by any of its codes, technology or not. */
        s.counted = (uint16_t)(h->dxpr | h->tech);
        s.any_tech = (h->flags & CM_MC_ANY_TECH) != 0;
    } else {
        uint16_t cols[4];
        v3_columns(h, cols);
        s.counted = cols[3];
        s.any_tech = (cols[1] | cols[2]) != 0;
    }
    s.any_transplant = (h->flags & CM_MC_ANY_TRANSPLANT) != 0;
    s.num = popcount16(s.counted);
    return s;
}

void
cm_identify_mc_write_row(enum cm_identify_algorithm alg, const struct cm_identify_mc_hit *h,
                         const char *id, size_t id_len, FILE *out)
{
    /* Cells are 0/1 except num_cmrb (at most 11): one tab and two characters each is enough. */
    char cells[3 * (4 * CM_MC_CONDITIONS + 4) + 2];
    size_t n = 0;
    struct cm_identify_mc_summary sum = cm_identify_mc_summarise(alg, h);
    if (!is_v3(alg)) {
        for (int i = 0; i < CM_MC_CONDITIONS; i++) {
            cells[n++] = '\t';
            cells[n++] = (sum.counted >> i) & 1 ? '1' : '0';
        }
    } else {
        uint16_t cols[4];
        v3_columns(h, cols);
        for (int i = 0; i < CM_MC_CONDITIONS; i++) {
            for (int k = 0; k < 4; k++) {
                cells[n++] = '\t';
                cells[n++] = (cols[k] >> i) & 1 ? '1' : '0';
            }
        }
    }
    int num = sum.num;
    cells[n++] = '\t';
    cells[n++] = sum.any_tech ? '1' : '0';
    cells[n++] = '\t';
    cells[n++] = sum.any_transplant ? '1' : '0';
    cells[n++] = '\t';
    if (num >= 10)
        cells[n++] = (char)('0' + num / 10);
    cells[n++] = (char)('0' + num % 10);
    cells[n++] = '\t';
    cells[n++] = num > 0 ? '1' : '0';
    fwrite(id, 1, id_len, out);
    fwrite(cells, 1, n, out);
}

CM_MUST_CHECK enum cm_code
cm_identify_mc_list(struct cm_identify_list_info *out, struct cm_err *err)
{
    return cm_identify_list_describe(MC_FILE, "ccc2.0,ccc2.1,ccc3.0,ccc3.1", 0, out, err);
}
