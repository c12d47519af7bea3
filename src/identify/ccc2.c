/*
 * CCC v2 as the R package pccc 1.0.6 matches it (Feudtner et al., BMC Pediatrics 2014;14:199).
 * The lists are pccc's own export (pccc::get_codes), embedded from data/codelists/. For each code
 * type the listed strings sit in one array, each with the categories it sets as a prefix and as an
 * exact string, indexed by a hash table; a patient code is looked up once per prefix length, and
 * the hash of each prefix extends the last one by a byte, so a code costs at most maxlen probes
 * whatever the list's size. (Binary searches per length spent half the run in memcmp.)
 */
#include "core/data.h"
#include "identify/identify.h"

#include <sodium.h>
#include <stdlib.h>
#include <string.h>

/* Listed strings are ICD codes without dots: 7 characters at most; 16 leaves room. */
#define LISTED_MAX 16

const char *const cm_identify_ccc2_columns[CM_CCC2_COLUMNS] = {
    "neuromusc",  "cvd",         "respiratory", "renal",
    "gi",         "hemato_immu", "metabolic",   "congeni_genetic",
    "malignancy", "neonatal",    "tech_dep",    "transplant",
};

static const char LIST_HEADER[] = "category\tcategory_label\tcode_type\tmatch\tcode\tis_flag_only";

static const struct {
    int icd;
    const char *name;
} LISTS[] = {
    {10, "codelists/ccc_v2_icd10_pccc_1.0.6.tsv"},
    {9, "codelists/ccc_v2_icd9_pccc_1.0.6.tsv"},
};

struct entry {
    char code[LISTED_MAX + 1];
    uint8_t len;
    uint16_t prefix_mask; /* categories whose prefix rows list this string */
    uint16_t exact_mask;  /* categories whose exact rows list it */
};

struct table {
    struct entry *entries;
    size_t count;
    size_t maxlen;
    uint32_t *slots; /* open addressing: entry index + 1, 0 for empty */
    size_t slot_mask;
};

/* FNV-1a, one byte at a time: the hash of a prefix of n + 1 bytes is one step from that of n. */
#define FNV_OFFSET 2166136261u
#define FNV_PRIME  16777619u

static uint32_t
fnv_step(uint32_t h, unsigned char c)
{
    return (h ^ c) * FNV_PRIME;
}

static uint32_t
fnv(const char *s, size_t n)
{
    uint32_t h = FNV_OFFSET;
    for (size_t i = 0; i < n; i++)
        h = fnv_step(h, (unsigned char)s[i]);
    return h;
}

/* Indexes the entries of t (at most half full, so probes stay short). */
static enum cm_code
index_build(struct table *t, struct cm_arena *a, struct cm_err *err)
{
    size_t n = 16;
    while (n < t->count * 2)
        n <<= 1;
    t->slots = cm_arena_calloc(a, n, sizeof(*t->slots));
    if (t->slots == NULL)
        return cm_err_set(err, CM_ENOMEM, "", "out of memory indexing a code list");
    t->slot_mask = n - 1;
    for (size_t i = 0; i < t->count; i++) {
        size_t j = fnv(t->entries[i].code, t->entries[i].len) & t->slot_mask;
        while (t->slots[j] != 0)
            j = (j + 1) & t->slot_mask;
        t->slots[j] = (uint32_t)(i + 1);
    }
    return CM_OK;
}

/* The entry listing exactly s[0 .. n), whose hash is h, or NULL. */
static const struct entry *
lookup(const struct table *t, uint32_t h, const char *s, size_t n)
{
    for (size_t j = h & t->slot_mask; t->slots[j] != 0; j = (j + 1) & t->slot_mask) {
        const struct entry *e = &t->entries[t->slots[j] - 1];
        if (e->len == n && memcmp(e->code, s, n) == 0)
            return e;
    }
    return NULL;
}

struct cm_identify_ccc2 {
    struct table types[2]; /* by enum cm_identify_code_type */
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
cmp_entry(const void *pa, const void *pb)
{
    const struct entry *a = pa, *b = pb;
    return cmp_bytes(a->code, a->len, b->code, b->len);
}

static int
column_of(const char *s, size_t n)
{
    for (int i = 0; i < CM_CCC2_COLUMNS; i++) {
        if (strlen(cm_identify_ccc2_columns[i]) == n &&
            memcmp(cm_identify_ccc2_columns[i], s, n) == 0)
            return i;
    }
    return -1;
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

CM_MUST_CHECK enum cm_code
cm_identify_ccc2_parse(const char *name, const char *text, size_t len,
                       struct cm_identify_ccc2 **out, struct cm_arena *a, struct cm_err *err)
{
    /* Rows are at most lines: one pass counts them so each table is allocated once. */
    size_t lines = 0;
    for (size_t i = 0; i < len; i++)
        lines += text[i] == '\n';
    struct cm_identify_ccc2 *m = cm_arena_calloc(a, 1, sizeof(*m));
    struct entry *rows = cm_arena_calloc(a, lines + 1, sizeof(*rows));
    uint8_t *types = cm_arena_calloc(a, lines + 1, 1);
    if (m == NULL || rows == NULL || types == NULL)
        return cm_err_set(err, CM_ENOMEM, "", "out of memory loading %s", name);

    size_t nrows = 0, lineno = 0, pos = 0;
    while (pos < len) {
        const char *line = text + pos;
        const char *nl = memchr(line, '\n', len - pos);
        size_t llen = nl ? (size_t)(nl - line) : len - pos;
        pos += llen + (nl ? 1 : 0);
        lineno++;
        if (lineno == 1) {
            if (!field_is(line, llen, LIST_HEADER))
                return cm_err_set(err, CM_EINVAL, "list", "%s:1: unexpected header", name);
            continue;
        }
        const char *f[6];
        size_t fl[6];
        if (!split(line, llen, f, fl, 6))
            return cm_err_set(err, CM_EINVAL, "list", "%s:%zu: expected 6 columns", name, lineno);
        int col = column_of(f[0], fl[0]);
        if (col < 0)
            return cm_err_set(err, CM_EINVAL, "list", "%s:%zu: unknown category", name, lineno);
        bool dx = field_is(f[2], fl[2], "dx");
        if (!dx && !field_is(f[2], fl[2], "pc"))
            return cm_err_set(err, CM_EINVAL, "list", "%s:%zu: code_type must be dx or pc", name,
                              lineno);
        bool prefix = field_is(f[3], fl[3], "prefix");
        if (!prefix && !field_is(f[3], fl[3], "exact"))
            return cm_err_set(err, CM_EINVAL, "list", "%s:%zu: match must be prefix or exact", name,
                              lineno);
        if (fl[4] == 0 || fl[4] > LISTED_MAX)
            return cm_err_set(err, CM_EINVAL, "list", "%s:%zu: code must be 1 to %d characters",
                              name, lineno, LISTED_MAX);
        for (size_t i = 0; i < fl[4]; i++) {
            char c = f[4][i];
            if (!((c >= 'A' && c <= 'Z') || (c >= '0' && c <= '9')))
                return cm_err_set(err, CM_EINVAL, "list",
                                  "%s:%zu: code must be upper-case letters and digits", name,
                                  lineno);
        }
        if (!field_is(f[5], fl[5], "0") && !field_is(f[5], fl[5], "1"))
            return cm_err_set(err, CM_EINVAL, "list", "%s:%zu: is_flag_only must be 0 or 1", name,
                              lineno);
        struct entry *e = &rows[nrows];
        memcpy(e->code, f[4], fl[4]);
        e->len = (uint8_t)fl[4];
        if (prefix)
            e->prefix_mask = (uint16_t)(1u << col);
        else
            e->exact_mask = (uint16_t)(1u << col);
        types[nrows] = dx ? CM_IDENTIFY_DX : CM_IDENTIFY_PC;
        nrows++;
    }
    if (nrows == 0)
        return cm_err_set(err, CM_EINVAL, "list", "%s: no rows", name);

    for (int t = 0; t < 2; t++) {
        struct table *tab = &m->types[t];
        tab->entries = cm_arena_calloc(a, nrows, sizeof(*tab->entries));
        if (tab->entries == NULL)
            return cm_err_set(err, CM_ENOMEM, "", "out of memory loading %s", name);
        for (size_t i = 0; i < nrows; i++) {
            if (types[i] == t)
                tab->entries[tab->count++] = rows[i];
        }
        if (tab->count > 0)
            qsort(tab->entries, tab->count, sizeof(*tab->entries), cmp_entry);
        /* One string may be listed by several categories (Z940: renal, tech_dep, transplant):
         * merge them so a lookup finds every category at once. */
        size_t w = 0;
        for (size_t i = 0; i < tab->count; i++) {
            if (w > 0 && cmp_entry(&tab->entries[w - 1], &tab->entries[i]) == 0) {
                tab->entries[w - 1].prefix_mask |= tab->entries[i].prefix_mask;
                tab->entries[w - 1].exact_mask |= tab->entries[i].exact_mask;
            } else {
                tab->entries[w++] = tab->entries[i];
            }
            if (tab->entries[i].len > tab->maxlen)
                tab->maxlen = tab->entries[i].len;
        }
        tab->count = w;
        enum cm_code rc = index_build(tab, a, err);
        if (rc != CM_OK)
            return rc;
    }
    *out = m;
    return CM_OK;
}

static const struct cm_data_file *
list_file(int icd, const char **name)
{
    for (size_t i = 0; i < CM_ARRAY_LEN(LISTS); i++) {
        if (LISTS[i].icd == icd) {
            *name = LISTS[i].name;
            return cm_data_find(LISTS[i].name);
        }
    }
    *name = "";
    return NULL;
}

CM_MUST_CHECK enum cm_code
cm_identify_ccc2_load(int icd, struct cm_identify_ccc2 **out, struct cm_arena *a,
                      struct cm_err *err)
{
    const char *name = NULL;
    const struct cm_data_file *f = list_file(icd, &name);
    if (f == NULL)
        return cm_err_set(err, CM_ENOTFOUND, "icd", "no CCC v2 list for ICD-%d in this binary",
                          icd);
    return cm_identify_ccc2_parse(name, f->data, f->len, out, a, err);
}

uint16_t
cm_identify_ccc2_match(const struct cm_identify_ccc2 *m, enum cm_identify_code_type type,
                       const char *code, size_t len, enum cm_identify_codes mode)
{
    char norm[CM_IDENTIFY_CODE_MAX + 1];
    if (mode == CM_IDENTIFY_CODES_NORMALISED) {
        while (len > 0 && code[0] == ' ') {
            code++;
            len--;
        }
        while (len > 0 && code[len - 1] == ' ')
            len--;
        size_t n = 0;
        for (size_t i = 0; i < len && n < sizeof(norm) - 1; i++) {
            char c = code[i];
            if (c == '.')
                continue;
            norm[n++] = (c >= 'a' && c <= 'z') ? (char)(c - 'a' + 'A') : c;
        }
        code = norm;
        len = n;
    }
    const struct table *t = &m->types[type == CM_IDENTIFY_PC ? 1 : 0];
    uint16_t mask = 0;
    /* pccc compares the first n characters with each n-character listed string: a code shorter
     * than a listed string never matches it (G8 does not match G800), and an empty code nothing. */
    size_t top = len < t->maxlen ? len : t->maxlen;
    uint32_t h = FNV_OFFSET;
    for (size_t n = 1; n <= top; n++) {
        h = fnv_step(h, (unsigned char)code[n - 1]);
        const struct entry *e = lookup(t, h, code, n);
        if (e == NULL)
            continue;
        mask |= e->prefix_mask;
        /* CCC v2 (pccc 1.0.6): exact rows such as G80 match only an equal code. */
        if (n == len)
            mask |= e->exact_mask;
    }
    return mask;
}

CM_MUST_CHECK enum cm_code
cm_identify_list_describe(const char *name, const char *algorithm, int icd,
                          struct cm_identify_list_info *out, struct cm_err *err)
{
    const struct cm_data_file *f = cm_data_find(name);
    if (f == NULL)
        return cm_err_set(err, CM_ENOTFOUND, "list", "%s is not embedded", name);
    out->algorithm = algorithm;
    out->icd = icd;
    out->name = name;
    out->rows = 0;
    for (size_t k = 0; k < f->len; k++)
        out->rows += f->data[k] == '\n';
    /* The header is not a row; a last line without a newline is. */
    if (f->len > 0 && f->data[f->len - 1] != '\n')
        out->rows++;
    if (out->rows > 0)
        out->rows--;
    unsigned char h[crypto_hash_sha256_BYTES];
    crypto_hash_sha256(h, (const unsigned char *)f->data, f->len);
    cm_hex(h, sizeof(h), out->sha256);
    return CM_OK;
}

CM_MUST_CHECK enum cm_code
cm_identify_lists(struct cm_identify_list_info *out, size_t max, size_t *n, struct cm_err *err)
{
    *n = 0;
    if (max < CM_ARRAY_LEN(LISTS))
        return cm_err_set(err, CM_ETOOBIG, "", "room for %zu lists, %zu embedded", max,
                          CM_ARRAY_LEN(LISTS));
    for (size_t i = 0; i < CM_ARRAY_LEN(LISTS); i++) {
        enum cm_code rc =
            cm_identify_list_describe(LISTS[i].name, "ccc2", LISTS[i].icd, &out[i], err);
        if (rc != CM_OK)
            return rc;
        *n = i + 1;
    }
    return CM_OK;
}
