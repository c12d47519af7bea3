/*
 * The streaming run of `caremap identify`: long- or wide-format TSV or CSV (RFC 4180 quotes for
 * CSV only) read through identify/records, a per-patient table, and the output.
 *
 * Memory grows with the number of distinct patients, never with rows: a reader holds one fixed
 * buffer and one record of bounded fields; the table holds one small entry per patient (algorithm
 * state and the id). PMCA also keeps one entry per distinct claim, since a claim's codes may be on
 * rows anywhere in the file.
 *
 * Threads: a long-format run with threads > 1 (not PMCA, whose claims live in a second table)
 * reads the input on the caller's thread in chunks of about a megabyte that end where a record
 * ends, and hands them to worker threads. A worker parses and matches its chunk into a batch of
 * per-patient deltas without touching the table; batches are added to the one table strictly in
 * input order, so the output is the same as one thread's, row for row, and memory is one table.
 * Malformed rows are reported in input order after their chunk is done, with their line numbers.
 *
 * The run is generic over the algorithm: a small table of functions (struct algo) says how big a
 * patient's (and a claim's) state is, how a code adds to it, how states merge, and how the header,
 * a row and a result are written.
 */
#include "identify/identify.h"
#include "identify/pmca.h"
#include "identify/records.h"
#include "identify/stratify.h"

#include <errno.h>
#include <inttypes.h>
#include <pthread.h>
#include <stdlib.h>
#include <string.h>
#include <time.h>

#define TYPE_MAX     16
#define TABLE_MIN    1024
#define ARENA_CAP    ((size_t)1 << 40) /* bounded by the number of patients, not by rows */
#define CHUNK        ((size_t)1 << 20) /* bytes handed to a worker at a time, by default */
#define CHUNK_GROWTH 64                /* a record may grow a chunk to 64 times that, no more */
#define THREADS_MAX  64
#define FIELDS_MAX   CM_RECORDS_FIELDS_MAX
#define NAMES_MAX    512 /* condition names of one result, comma-separated */
#define DELTA_STATE  16  /* the largest patient state a threaded run handles */
#define PROGRESS_SEC 1

/* Wide format: each column's code type and the k of its name dx<k> / pc<k> (column 0 is
 * patient_id), for reading cells and naming them in messages. */
struct wide_cols {
    enum cm_identify_code_type type[FIELDS_MAX];
    size_t num[FIELDS_MAX];
};

/* Where a long-format row's fields are: PMCA's rows carry a claim_id. */
struct layout {
    size_t ncols;
    int claim; /* column of claim_id, or -1 */
    size_t type, code;
};

static const struct layout LONG_LAYOUT = {3, -1, 1, 2};
static const struct layout CLAIM_LAYOUT = {4, 1, 2, 3};

/* ---- the row checks -------------------------------------------------------------------------- */

static const char *const LONG_NAMES[] = {"patient_id", "code_type", "code"};
static const char *const CLAIM_NAMES[] = {"patient_id", "claim_id", "code_type", "code"};

static const char *const *
column_names(const struct layout *l)
{
    return l->claim >= 0 ? CLAIM_NAMES : LONG_NAMES;
}

/* Long format: why a record is malformed, or NULL when it is a good row. */
static const char *
check_row(const struct cm_records *r, const struct layout *l, char *why, size_t size)
{
    const char *const *names = column_names(l);
    if (r->error != NULL)
        return r->error;
    if (r->nfields != l->ncols) {
        if (r->nfields == 1 && r->flen[0] == 0)
            return "empty line";
        if (l->claim >= 0)
            snprintf(why, size,
                     "expected 4 columns (patient_id, claim_id, code_type, code), got %zu",
                     r->nfields);
        else
            snprintf(why, size, "expected 3 columns (patient_id, code_type, code), got %zu",
                     r->nfields);
        return why;
    }
    if (r->flen[0] > CM_IDENTIFY_PATIENT_ID_MAX) {
        snprintf(why, size, "patient_id longer than %d bytes", CM_IDENTIFY_PATIENT_ID_MAX);
        return why;
    }
    if (l->claim >= 0 && r->flen[l->claim] > CM_IDENTIFY_PATIENT_ID_MAX) {
        snprintf(why, size, "claim_id longer than %d bytes", CM_IDENTIFY_PATIENT_ID_MAX);
        return why;
    }
    if (r->flen[l->code] > CM_IDENTIFY_CODE_MAX) {
        snprintf(why, size, "code longer than %d bytes", CM_IDENTIFY_CODE_MAX);
        return why;
    }
    for (size_t k = 0; k < l->ncols; k++) {
        if (r->flen[k] <= r->cap[k] && !cm_utf8_valid(r->field[k], r->flen[k])) {
            snprintf(why, size, "%s is not valid UTF-8", names[k]);
            return why;
        }
    }
    if (r->flen[0] == 0)
        return "empty patient_id";
    if (strpbrk(r->field[0], "\t\r\n") != NULL)
        return "patient_id holds a tab or a line break";
    if (l->claim >= 0 && r->flen[l->claim] == 0)
        return "empty claim_id";
    if (strcmp(r->field[l->type], "dx") != 0 && strcmp(r->field[l->type], "pc") != 0)
        return "code_type must be dx or pc";
    return NULL;
}

/* Wide format: why a record is malformed, or NULL when it is a good row. Column k > 0 is named
 * from its type and number (w->num),
 * as in the header. */
static const char *
check_row_wide(const struct cm_records *r, const struct wide_cols *w, char *why, size_t size)
{
    if (r->error != NULL)
        return r->error;
    if (r->nfields != r->keep) {
        if (r->nfields == 1 && r->flen[0] == 0)
            return "empty line";
        snprintf(why, size, "expected %zu columns as in the header, got %zu", r->keep, r->nfields);
        return why;
    }
    if (r->flen[0] > CM_IDENTIFY_PATIENT_ID_MAX) {
        snprintf(why, size, "patient_id longer than %d bytes", CM_IDENTIFY_PATIENT_ID_MAX);
        return why;
    }
    if (!cm_utf8_valid(r->field[0], r->flen[0]))
        return "patient_id is not valid UTF-8";
    for (size_t k = 1; k < r->keep; k++) {
        const char *type = w->type[k] == CM_IDENTIFY_PC ? "pc" : "dx";
        if (r->flen[k] > CM_IDENTIFY_CODE_MAX) {
            snprintf(why, size, "code in column %s%zu longer than %d bytes", type, w->num[k],
                     CM_IDENTIFY_CODE_MAX);
            return why;
        }
        if (!cm_utf8_valid(r->field[k], r->flen[k])) {
            snprintf(why, size, "%s%zu is not valid UTF-8", type, w->num[k]);
            return why;
        }
    }
    if (r->flen[0] == 0)
        return "empty patient_id";
    if (strpbrk(r->field[0], "\t\r\n") != NULL)
        return "patient_id holds a tab or a line break";
    return NULL;
}

/* Wide format: the column number of a name dx<k> or pc<k> (k from 1, no leading zero, at most 9
 * digits), or 0 when the name is not one. */
static size_t
wide_column(const char *s, size_t len, enum cm_identify_code_type *type)
{
    if (len < 3 || len > 11 || (memcmp(s, "dx", 2) != 0 && memcmp(s, "pc", 2) != 0) || s[2] < '1' ||
        s[2] > '9')
        return 0;
    size_t k = 0;
    for (size_t i = 2; i < len; i++) {
        if (s[i] < '0' || s[i] > '9')
            return 0;
        k = k * 10 + (size_t)(s[i] - '0');
    }
    *type = s[0] == 'p' ? CM_IDENTIFY_PC : CM_IDENTIFY_DX;
    return k;
}

/* Wide format: checks the header and records each column's type and number; then narrows the
 * reader to that many kept fields, each capped as a code (the first as a patient_id). */
static enum cm_code
check_header_wide(struct cm_records *r, struct wide_cols *w, const char *name, struct cm_err *err)
{
    const char *want = "a wide header is patient_id, then columns dx1, dx2, ... and pc1, pc2, ...";
    if (r->error != NULL)
        return cm_err_set(err, CM_EINVAL, "input", "%s:%zu: %s in the header", name, r->rec_line,
                          r->error);
    if (r->nfields > FIELDS_MAX)
        return cm_err_set(err, CM_EINVAL, "input", "%s:%zu: more than %d columns in the header",
                          name, r->rec_line, FIELDS_MAX);
    if (strcmp(r->field[0], "patient_id") != 0)
        return cm_err_set(err, CM_EINVAL, "input", "%s:%zu: first column must be patient_id (%s)",
                          name, r->rec_line, want);
    for (size_t k = 1; k < r->nfields; k++) {
        size_t len = r->flen[k] < r->cap[k] ? r->flen[k] : r->cap[k];
        w->num[k] = wide_column(r->field[k], len, &w->type[k]);
        /* Names are shown only up to 40 bytes: a stray data line as header must stay readable. */
        if (w->num[k] == 0)
            return cm_err_set(err, CM_EINVAL, "input", "%s:%zu: unknown column '%.40s' (%s)", name,
                              r->rec_line, r->field[k], want);
        for (size_t j = 1; j < k; j++)
            if (w->num[j] == w->num[k] && w->type[j] == w->type[k])
                return cm_err_set(err, CM_EINVAL, "input", "%s:%zu: column '%s' appears twice",
                                  name, r->rec_line, r->field[k]);
    }
    r->keep = r->nfields;
    r->cap[0] = CM_IDENTIFY_PATIENT_ID_MAX;
    for (size_t k = 1; k < r->keep; k++)
        r->cap[k] = CM_IDENTIFY_CODE_MAX;
    return CM_OK;
}

/* Long format: checks the header and narrows the reader to the layout's columns. */
static enum cm_code
check_header(struct cm_records *r, const struct layout *l, const char *name, struct cm_err *err)
{
    const char *const *names = column_names(l);
    bool ok = r->error == NULL && r->nfields == l->ncols;
    for (size_t k = 0; ok && k < l->ncols; k++)
        ok = strcmp(r->field[k], names[k]) == 0;
    if (!ok) {
        if (l->claim >= 0)
            return cm_err_set(err, CM_EINVAL, "input",
                              "%s:%zu: header must be the 4 columns patient_id, claim_id, "
                              "code_type, code (PMCA counts claims)",
                              name, r->rec_line);
        return cm_err_set(err, CM_EINVAL, "input",
                          "%s:%zu: header must be the 3 columns patient_id, code_type, code", name,
                          r->rec_line);
    }
    r->keep = l->ncols;
    r->cap[0] = CM_IDENTIFY_PATIENT_ID_MAX;
    if (l->claim >= 0)
        r->cap[l->claim] = CM_IDENTIFY_PATIENT_ID_MAX;
    r->cap[l->type] = TYPE_MAX;
    r->cap[l->code] = CM_IDENTIFY_CODE_MAX;
    return CM_OK;
}

/* ---- the per-patient table ------------------------------------------------------------------- */

/* One patient (or one claim): state_size bytes of algorithm state (zeroed on first sight), then
 * the key. */
struct patient {
    struct patient *next; /* in order of first appearance */
    uint64_t hash;
    uint16_t len;
    _Alignas(8) unsigned char data[];
};

struct table {
    struct cm_arena *arena;
    struct patient **slots;
    size_t cap, count;
    size_t state_size; /* a multiple of 8, so the key that follows needs no alignment */
    size_t line_at;    /* wide format: where in the state the patient's first line is kept */
    struct patient *first, *last;
};

static inline const char *
patient_id(const struct table *t, const struct patient *p)
{
    return (const char *)p->data + t->state_size;
}

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

static void
slot_put(struct patient **slots, size_t cap, struct patient *p)
{
    size_t i = p->hash & (cap - 1);
    while (slots[i] != NULL)
        i = (i + 1) & (cap - 1);
    slots[i] = p;
}

/* Makes room for one more entry. The old slot array stays in the arena: the waste is at most the
 * size of the new one. */
static enum cm_code
reserve(struct table *t, struct cm_err *err)
{
    if ((t->count + 1) * 10 <= t->cap * 7)
        return CM_OK;
    size_t cap = t->cap == 0 ? TABLE_MIN : t->cap * 2;
    struct patient **slots = cm_arena_calloc(t->arena, cap, sizeof(*slots));
    if (slots == NULL)
        return cm_err_set(err, CM_ENOMEM, "", "out of memory after %zu patients", t->count);
    for (size_t i = 0; i < t->cap; i++)
        if (t->slots[i] != NULL)
            slot_put(slots, cap, t->slots[i]);
    t->slots = slots;
    t->cap = cap;
    return CM_OK;
}

static struct patient *
table_find(const struct table *t, const char *key, size_t n, uint64_t h)
{
    if (t->cap == 0)
        return NULL;
    size_t i = h & (t->cap - 1);
    for (struct patient *p; (p = t->slots[i]) != NULL; i = (i + 1) & (t->cap - 1))
        if (p->hash == h && p->len == n && memcmp(patient_id(t, p), key, n) == 0)
            return p;
    return NULL;
}

/* The entry with this key (whose hash is h), added (state zeroed) on first sight; *created says
 * which. */
static enum cm_code
patient_get_hashed(struct table *t, const char *key, size_t n, uint64_t h, struct patient **out,
                   bool *created, struct cm_err *err)
{
    *created = false;
    enum cm_code rc = reserve(t, err);
    if (rc != CM_OK)
        return rc;
    struct patient *p = table_find(t, key, n, h);
    if (p != NULL) {
        *out = p;
        return CM_OK;
    }
    p = cm_arena_alloc(t->arena, sizeof(*p) + t->state_size + n + 1);
    if (p == NULL)
        return cm_err_set(err, CM_ENOMEM, "", "out of memory after %zu patients", t->count);
    p->next = NULL;
    p->hash = h;
    p->len = (uint16_t)n;
    memset(p->data, 0, t->state_size);
    char *key_copy = (char *)p->data + t->state_size;
    memcpy(key_copy, key, n);
    key_copy[n] = '\0';
    if (t->last != NULL)
        t->last->next = p;
    else
        t->first = p;
    t->last = p;
    slot_put(t->slots, t->cap, p);
    t->count++;
    *out = p;
    *created = true;
    return CM_OK;
}

static enum cm_code
patient_get(struct table *t, const char *key, size_t n, struct patient **out, bool *created,
            struct cm_err *err)
{
    return patient_get_hashed(t, key, n, fnv1a(key, n), out, created, err);
}

/* ---- the algorithms ------------------------------------------------------------------------- */

/* What the run needs from an algorithm. ctx is its matcher; a patient's state is state_size bytes
 * and a claim's claim_size (0: the algorithm has no claims), zeroed when first seen. */
struct algo {
    size_t state_size;
    size_t claim_size;
    bool sorted; /* rows by patient_id (medicalcoder) rather than by first appearance (pccc) */
    /* The header, patient_id first, without the line's end. */
    void (*header)(const void *ctx, FILE *out);
    /* Adds one code to a patient and, for an algorithm with claims, to its claim. */
    void (*add)(const void *ctx, void *state, void *claim, enum cm_identify_code_type type,
                const char *code, size_t len, enum cm_identify_codes mode);
    /* Adds a finished claim to its patient (algorithms with claims). */
    void (*close_claim)(const void *ctx, void *state, const void *claim);
    /* ORs a patient's state from another worker's table into this one (threaded runs). */
    void (*merge)(void *into, const void *from);
    /* The patient's row, id first, without the line's end. */
    void (*row)(const void *ctx, const void *state, const char *id, size_t len, FILE *out);
    /* What the row concludes, for stratification and the registry; names gets the counted
     * conditions, comma-separated. */
    void (*result)(const void *ctx, const void *state, struct cm_identify_result *r, char *names,
                   size_t size);
};

/* Appends name to the comma-separated list in buf (size bytes, always NUL-terminated). */
static void
names_add(char *buf, size_t size, size_t *n, const char *name)
{
    int w = snprintf(buf + *n, size - *n, "%s%s", *n > 0 ? "," : "", name);
    if (w > 0)
        *n = *n + (size_t)w < size ? *n + (size_t)w : size - 1;
}

/* CCC v2 as pccc 1.0.6. */

#define CCC2_MALIGNANCY 8
#define CCC2_TECH_DEP   10
#define CCC2_TRANSPLANT 11

struct ccc2_ctx {
    const struct cm_identify_ccc2 *m;
};

static void
ccc2_header(const void *ctx, FILE *out)
{
    (void)ctx;
    fputs("patient_id", out);
    for (int i = 0; i < CM_CCC2_COLUMNS; i++)
        fprintf(out, "\t%s", cm_identify_ccc2_columns[i]);
    fputs("\tccc_flag", out);
}

static void
ccc2_add(const void *ctx, void *state, void *claim, enum cm_identify_code_type type,
         const char *code, size_t len, enum cm_identify_codes mode)
{
    (void)claim;
    const struct ccc2_ctx *c = ctx;
    uint16_t *mask = state;
    *mask |= cm_identify_ccc2_match(c->m, type, code, len, mode);
}

static void
ccc2_merge(void *into, const void *from)
{
    *(uint16_t *)into |= *(const uint16_t *)from;
}

static void
ccc2_row(const void *ctx, const void *state, const char *id, size_t len, FILE *out)
{
    (void)ctx;
    const uint16_t mask = *(const uint16_t *)state;
    char cells[2 * (CM_CCC2_COLUMNS + 1)];
    size_t n = 0;
    for (int i = 0; i < CM_CCC2_COLUMNS; i++) {
        cells[n++] = '\t';
        cells[n++] = (mask >> i) & 1 ? '1' : '0';
    }
    /* CCC v2 (pccc 1.0.6, and the SAS macro's final step): ccc_flag counts tech_dep and
     * transplant too, so technology dependence alone sets it. */
    cells[n++] = '\t';
    cells[n++] = mask != 0 ? '1' : '0';
    fwrite(id, 1, len, out);
    fwrite(cells, 1, n, out);
}

static void
ccc2_result(const void *ctx, const void *state, struct cm_identify_result *r, char *names,
            size_t size)
{
    (void)ctx;
    const uint16_t mask = *(const uint16_t *)state;
    size_t n = 0;
    names[0] = '\0';
    r->cls = mask != 0 ? CM_IDENTIFY_COMPLEX_CHRONIC : CM_IDENTIFY_NON_CHRONIC;
    for (int i = 0; i < CM_CCC2_COLUMNS; i++) {
        if (i == CCC2_TECH_DEP || i == CCC2_TRANSPLANT || !((mask >> i) & 1))
            continue;
        r->conditions++;
        names_add(names, size, &n, cm_identify_ccc2_columns[i]);
    }
    r->tech_dep = (mask >> CCC2_TECH_DEP) & 1;
    r->transplant = (mask >> CCC2_TRANSPLANT) & 1;
    r->malignancy = (mask >> CCC2_MALIGNANCY) & 1;
}

static const struct algo CCC2_ALGO = {
    .state_size = sizeof(uint16_t),
    .header = ccc2_header,
    .add = ccc2_add,
    .merge = ccc2_merge,
    .row = ccc2_row,
    .result = ccc2_result,
};

/* CCC v2.0 ... v3.1 as medicalcoder 0.6.0.9000. */

struct mc_ctx {
    const struct cm_identify_mc *m;
    enum cm_identify_algorithm alg;
};

static int
mc_condition(const char *name)
{
    for (int i = 0; i < CM_MC_CONDITIONS; i++)
        if (strcmp(cm_identify_mc_conditions[i], name) == 0)
            return i;
    return -1;
}

static void
mc_header(const void *ctx, FILE *out)
{
    const struct mc_ctx *c = ctx;
    cm_identify_mc_write_header(c->alg, out);
}

static void
mc_merge(void *into, const void *from)
{
    struct cm_identify_mc_hit *h = into;
    const struct cm_identify_mc_hit *g = from;
    h->dxpr |= g->dxpr;
    h->tech |= g->tech;
    h->techtrans |= g->techtrans;
    h->flags |= g->flags;
}

static void
mc_add(const void *ctx, void *state, void *claim, enum cm_identify_code_type type, const char *code,
       size_t len, enum cm_identify_codes mode)
{
    (void)claim;
    const struct mc_ctx *c = ctx;
    struct cm_identify_mc_hit got = cm_identify_mc_match(c->m, type, code, len, mode);
    mc_merge(state, &got);
}

static void
mc_row(const void *ctx, const void *state, const char *id, size_t len, FILE *out)
{
    const struct mc_ctx *c = ctx;
    cm_identify_mc_write_row(c->alg, state, id, len, out);
}

static void
mc_result(const void *ctx, const void *state, struct cm_identify_result *r, char *names,
          size_t size)
{
    const struct mc_ctx *c = ctx;
    struct cm_identify_mc_summary s = cm_identify_mc_summarise(c->alg, state);
    int misc = mc_condition("misc"), malignancy = mc_condition("malignancy");
    size_t n = 0;
    names[0] = '\0';
    r->cls = s.num > 0 ? CM_IDENTIFY_COMPLEX_CHRONIC : CM_IDENTIFY_NON_CHRONIC;
    for (int i = 0; i < CM_MC_CONDITIONS; i++) {
        /* misc holds technology and transplant codes of no body system: not a condition here,
         * as pccc's tech_dep and transplant are not. */
        if (i == misc || !((s.counted >> i) & 1))
            continue;
        r->conditions++;
        names_add(names, size, &n, cm_identify_mc_conditions[i]);
    }
    r->tech_dep = s.any_tech;
    r->transplant = s.any_transplant;
    r->malignancy = malignancy >= 0 && ((s.counted >> malignancy) & 1);
}

static const struct algo MC_ALGO = {
    .state_size = sizeof(struct cm_identify_mc_hit),
    .sorted = true,
    .header = mc_header,
    .add = mc_add,
    .merge = mc_merge,
    .row = mc_row,
    .result = mc_result,
};

/* PMCA, less or more conservative, with CCC v2's technology dependence and transplant beside it
 * (PMCA has no notion of technology, and the default tiers use it). */

struct pmca_ctx {
    const struct cm_pmca_rules *rules;
    const struct cm_identify_ccc2 *ccc2;
    enum cm_pmca_variant variant;
};

struct pmca_state {
    struct cm_pmca_child child;
    uint32_t icd9_claims; /* claims rule 2 read as ICD-9: no rules, so they flag nothing */
    uint16_t ccc2;
};

struct pmca_claim {
    uint32_t flags; /* the OR of its diagnosis codes' flags, as if the claim were ICD-10 */
    uint8_t ev;     /* CM_PMCA_EV_* of its diagnosis codes (rule 2) */
    bool any;       /* it has a diagnosis code */
};

static void
pmca_header(const void *ctx, FILE *out)
{
    (void)ctx;
    fputs("patient_id\tclaims\ticd9_claims", out);
    for (int i = 0; i < CM_PMCA_SYSTEMS; i++)
        fprintf(out, "\t%s", cm_pmca_systems[i]);
    fputs("\tprogressive\tmalignancy\tbody_systems\tccc_tech_dep\tpmca_class\tpmca_reason", out);
}

static void
pmca_add(const void *ctx, void *state, void *claim, enum cm_identify_code_type type,
         const char *code, size_t len, enum cm_identify_codes mode)
{
    const struct pmca_ctx *c = ctx;
    struct pmca_state *s = state;
    s->ccc2 |= cm_identify_ccc2_match(c->ccc2, type, code, len, mode);
    /* %classify_dx reads diagnoses only. */
    if (type != CM_IDENTIFY_DX || claim == NULL || len == 0)
        return;
    char buf[CM_IDENTIFY_CODE_MAX];
    if (mode == CM_IDENTIFY_CODES_NORMALISED) {
        /* Trimmed and upper-cased; PMCA removes the dots itself (rule 1). */
        while (len > 0 && *code == ' ') {
            code++;
            len--;
        }
        while (len > 0 && code[len - 1] == ' ')
            len--;
        for (size_t i = 0; i < len; i++)
            buf[i] = code[i] >= 'a' && code[i] <= 'z' ? (char)(code[i] - 'a' + 'A') : code[i];
        code = buf;
    }
    struct pmca_claim *k = claim;
    k->flags |= cm_pmca_code_flags(c->rules, code, len);
    k->ev |= cm_pmca_code_evidence(code, len);
    k->any = true;
}

static void
pmca_close_claim(const void *ctx, void *state, const void *claim)
{
    (void)ctx;
    struct pmca_state *s = state;
    const struct pmca_claim *k = claim;
    if (!k->any)
        return;
    enum cm_pmca_icd icd = cm_pmca_icd_from_evidence(k->ev);
    if (icd == CM_PMCA_ICD9)
        s->icd9_claims++;
    cm_pmca_child_add_claim(&s->child, icd == CM_PMCA_ICD10 ? k->flags : 0);
}

static void
pmca_row(const void *ctx, const void *state, const char *id, size_t len, FILE *out)
{
    const struct pmca_ctx *c = ctx;
    const struct pmca_state *s = state;
    struct cm_pmca_result res;
    cm_pmca_child_classify(&s->child, c->variant, &res);
    char why[256] = "";
    struct cm_err err = {0};
    /* A result of the classifier always has a known class, and 256 bytes hold the longest
     * reason (18 system names); a cut reason is still written rather than nothing. */
    if (cm_pmca_result_describe(&res, why, sizeof(why), &err) != CM_OK && why[0] == '\0')
        snprintf(why, sizeof(why), "%s", cm_pmca_class_name(res.cls));
    fwrite(id, 1, len, out);
    fprintf(out, "\t%" PRIu32 "\t%" PRIu32, s->child.claims, s->icd9_claims);
    for (int i = 0; i < CM_PMCA_SYSTEMS; i++)
        fprintf(out, "\t%d", (res.systems >> i) & 1 ? 1 : 0);
    fprintf(out, "\t%d\t%d\t%u\t%d\t%s\t%s", res.progressive, res.malign, res.scount,
            (s->ccc2 >> CCC2_TECH_DEP) & 1, cm_pmca_class_name(res.cls), why);
}

static void
pmca_result(const void *ctx, const void *state, struct cm_identify_result *r, char *names,
            size_t size)
{
    const struct pmca_ctx *c = ctx;
    const struct pmca_state *s = state;
    struct cm_pmca_result res;
    cm_pmca_child_classify(&s->child, c->variant, &res);
    size_t n = 0;
    names[0] = '\0';
    for (int i = 0; i < CM_PMCA_SYSTEMS; i++)
        if ((res.systems >> i) & 1)
            names_add(names, size, &n, cm_pmca_systems[i]);
    r->cls = (enum cm_identify_class)res.cls;
    r->conditions = res.scount;
    r->progressive = res.progressive;
    r->malignancy = res.malign;
    r->tech_dep = (s->ccc2 >> CCC2_TECH_DEP) & 1;
    r->transplant = (s->ccc2 >> CCC2_TRANSPLANT) & 1;
}

static const struct algo PMCA_ALGO = {
    .state_size = sizeof(struct pmca_state),
    .claim_size = sizeof(struct pmca_claim),
    .header = pmca_header,
    .add = pmca_add,
    .close_claim = pmca_close_claim,
    .row = pmca_row,
    .result = pmca_result,
};

const char *
cm_identify_class_name(enum cm_identify_class cls)
{
    switch (cls) {
    case CM_IDENTIFY_NON_CHRONIC:
        return "non_chronic";
    case CM_IDENTIFY_NON_COMPLEX_CHRONIC:
        return "non_complex_chronic";
    case CM_IDENTIFY_COMPLEX_CHRONIC:
        return "complex_chronic";
    }
    return NULL;
}

/* ---- taking one record ------------------------------------------------------------------------
 */

/* What every reader of a run shares; read-only once the header is read. */
struct job {
    const struct algo *al;
    const void *ctx;
    const struct cm_identify_opts *o;
    const char *name;
    const struct layout *lay;
    bool wide;
    const struct wide_cols *w;
    const struct cm_records *header; /* the reader of the header, narrowed to the rows' columns */
    char delim;
};

/* One reader's tables (one per worker thread). */
struct worker {
    struct cm_arena *arena;
    struct table patients;
    struct table claims; /* algorithms with claims: one entry per (patient, claim_id) */
    struct cm_records *r;
};

#define CLAIM_KEY_MAX (1 + 2 * CM_IDENTIFY_PATIENT_ID_MAX)

/* A claim's entry: its patient, then the algorithm's claim state. */
static inline struct patient **
claim_owner(struct patient *c)
{
    return (struct patient **)(void *)c->data;
}

static inline void *
claim_state(struct patient *c)
{
    return c->data + sizeof(struct patient *);
}

/* Checks one record and adds a good one to wk's tables. *bad is NULL for a good row, else why it
 * is malformed (possibly in why). Returns CM_ENOMEM when a table cannot grow. */
static enum cm_code
take_record(const struct job *j, struct worker *wk, const struct cm_records *r, char *why,
            size_t size, const char **bad, struct cm_err *err)
{
    const struct algo *al = j->al;
    *bad = j->wide ? check_row_wide(r, j->w, why, size) : check_row(r, j->lay, why, size);
    if (*bad != NULL)
        return CM_OK;
    struct patient *p = NULL;
    bool created = false;
    enum cm_code rc = patient_get(&wk->patients, r->field[0], r->flen[0], &p, &created, err);
    if (rc != CM_OK)
        return rc;
    if (j->wide) {
        _Alignas(8) unsigned char claim[64] = {0};
        size_t *first = (size_t *)(void *)(p->data + wk->patients.line_at);
        if (created) {
            *first = r->rec_line;
        } else if (al->claim_size == 0) {
            /* pccc takes a row as a patient, so a second row would be a second output row with
             * the same id: refused rather than merged or duplicated. With claims (PMCA) a row is
             * one claim, and a patient has many. */
            snprintf(why, size, "patient already seen on line %zu", *first);
            *bad = why;
            return CM_OK;
        }
        /* An empty cell is no code; every other cell is a code of its column's type. */
        for (size_t k = 1; k < r->keep; k++)
            if (r->flen[k] > 0)
                al->add(j->ctx, p->data, al->claim_size > 0 ? claim : NULL, j->w->type[k],
                        r->field[k], r->flen[k], j->o->mode);
        if (al->claim_size > 0)
            al->close_claim(j->ctx, p->data, claim);
        return CM_OK;
    }
    const struct layout *l = j->lay;
    void *claim = NULL;
    if (l->claim >= 0) {
        /* The key is the id's length, the id and the claim_id, so no two pairs share one. */
        char key[CLAIM_KEY_MAX];
        size_t idn = r->flen[0], cn = r->flen[l->claim];
        key[0] = (char)idn;
        memcpy(key + 1, r->field[0], idn);
        memcpy(key + 1 + idn, r->field[l->claim], cn);
        struct patient *c = NULL;
        rc = patient_get(&wk->claims, key, 1 + idn + cn, &c, &created, err);
        if (rc != CM_OK)
            return rc;
        if (created)
            *claim_owner(c) = p;
        claim = claim_state(c);
    }
    /* A row with an empty code is how a patient with no codes is listed: it matches nothing. */
    al->add(j->ctx, p->data, claim, r->field[l->type][0] == 'p' ? CM_IDENTIFY_PC : CM_IDENTIFY_DX,
            r->field[l->code], r->flen[l->code], j->o->mode);
    return CM_OK;
}

/* Narrows a fresh reader to the columns the header's reader was narrowed to. */
static void
narrow(struct cm_records *r, const struct cm_records *header)
{
    r->keep = header->keep;
    memcpy(r->cap, header->cap, sizeof(r->cap[0]) * header->keep);
}

/* ---- progress on a terminal -------------------------------------------------------------------
 */

struct progress {
    bool on;
    FILE *out;
    uint64_t total; /* input bytes, 0 when unknown */
    struct timespec start, last;
    bool shown;
};

static double
seconds_between(const struct timespec *a, const struct timespec *b)
{
    return (double)(b->tv_sec - a->tv_sec) + (double)(b->tv_nsec - a->tv_nsec) / 1e9;
}

/* Rewrites the progress line at most once a second: rows, rows per second, and the share of the
 * input read when its size is known. */
static void
progress_tick(struct progress *pg, size_t rows, uint64_t bytes)
{
    if (!pg->on)
        return;
    struct timespec now;
    clock_gettime(CLOCK_MONOTONIC, &now);
    if (seconds_between(&pg->last, &now) < PROGRESS_SEC)
        return;
    pg->last = now;
    double secs = seconds_between(&pg->start, &now);
    fprintf(pg->out, "\ridentify: %zu rows, %.0f rows/s", rows, secs > 0 ? (double)rows / secs : 0);
    if (pg->total > 0)
        fprintf(pg->out, ", %d%%",
                (int)(bytes * 100 / pg->total > 100 ? 100 : bytes * 100 / pg->total));
    fflush(pg->out);
    pg->shown = true;
}

static void
progress_end(struct progress *pg)
{
    if (pg->shown)
        fputc('\n', pg->out);
}

/* ---- one thread -------------------------------------------------------------------------------
 */

static enum cm_code
read_serial(const struct job *j, struct worker *wk, struct cm_records *r, struct progress *pg,
            struct cm_identify_stats *st, struct cm_err *err)
{
    FILE *errs = j->o->errors != NULL ? j->o->errors : stderr;
    char why[160];
    int got;
    while ((got = cm_records_read(r)) > 0) {
        st->rows++;
        const char *bad = NULL;
        enum cm_code rc = take_record(j, wk, r, why, sizeof(why), &bad, err);
        if (rc != CM_OK)
            return rc;
        if (bad != NULL) {
            if (st->bad_rows < CM_IDENTIFY_ERRORS_SHOWN)
                fprintf(errs, "%s:%zu: %s\n", j->name, r->rec_line, bad);
            st->bad_rows++;
        }
        if ((st->rows & 0xFFFF) == 0)
            progress_tick(pg, st->rows, r->bytes_read);
    }
    if (got < 0)
        return cm_err_set(err, CM_EIO, "input", "%s:%zu: %s", j->name, r->line, strerror(errno));
    return CM_OK;
}

/* ---- worker threads ---------------------------------------------------------------------------
 */

enum chunk_state { CHUNK_FREE, CHUNK_READY, CHUNK_BUSY, CHUNK_DONE };

/* A piece of the input that ends where a record ends, and what a worker found in it. */
struct chunk {
    unsigned char *buf;
    size_t cap, len;
    size_t seq;
    enum chunk_state state;
    size_t rows, lines, bad, nerr;
    struct {
        size_t line; /* from 1 at the chunk's start */
        char why[160];
    } err[CM_IDENTIFY_ERRORS_SHOWN];
};

struct pool {
    pthread_mutex_t mu;
    pthread_cond_t ready; /* a chunk is READY, or the input is finished, or a worker failed */
    pthread_cond_t done;  /* a chunk is DONE */
    struct chunk *chunks;
    size_t n;
    bool finished;
    bool failed;
    const struct job *job;
    /* The one table, changed only by the worker whose chunk is next in input order. */
    pthread_mutex_t apply_mu;
    pthread_cond_t applied;
    size_t next_apply;
    bool apply_failed;
    struct table *table;
};

/* What one row adds to its patient, computed by a worker without touching the table; rows of
 * the same patient that follow each other share one. */
struct delta {
    uint64_t hash;
    size_t id_at; /* in the batch's ids */
    uint16_t len;
    _Alignas(8) unsigned char state[DELTA_STATE];
};

struct batch {
    struct delta *d;
    size_t n, cap;
    char *ids;
    size_t ids_len, ids_cap;
};

struct thread {
    struct pool *pool;
    struct cm_records *r;
    struct batch b;
    pthread_t tid;
    bool started;
    enum cm_code rc;
    struct cm_err err;
};

/* Adds a good row to the batch: to its last delta when the row has the same patient. */
static enum cm_code
batch_add(const struct job *j, struct batch *b, const struct cm_records *r, struct cm_err *err)
{
    const char *id = r->field[0];
    size_t len = r->flen[0];
    struct delta *d = b->n > 0 ? &b->d[b->n - 1] : NULL;
    if (d == NULL || d->len != len || memcmp(b->ids + d->id_at, id, len) != 0) {
        if (b->n == b->cap) {
            size_t cap = b->cap == 0 ? 4096 : b->cap * 2;
            struct delta *nd = realloc(b->d, cap * sizeof(*nd));
            if (nd == NULL)
                return cm_err_set(err, CM_ENOMEM, "", "out of memory");
            b->d = nd;
            b->cap = cap;
        }
        if (b->ids_len + len > b->ids_cap) {
            size_t cap = b->ids_cap == 0 ? 65536 : b->ids_cap * 2;
            while (cap < b->ids_len + len)
                cap *= 2;
            char *ni = realloc(b->ids, cap);
            if (ni == NULL)
                return cm_err_set(err, CM_ENOMEM, "", "out of memory");
            b->ids = ni;
            b->ids_cap = cap;
        }
        d = &b->d[b->n++];
        memcpy(b->ids + b->ids_len, id, len);
        d->id_at = b->ids_len;
        d->len = (uint16_t)len;
        d->hash = fnv1a(id, len);
        memset(d->state, 0, sizeof(d->state));
        b->ids_len += len;
    }
    const struct layout *l = j->lay;
    j->al->add(j->ctx, d->state, NULL,
               r->field[l->type][0] == 'p' ? CM_IDENTIFY_PC : CM_IDENTIFY_DX, r->field[l->code],
               r->flen[l->code], j->o->mode);
    return CM_OK;
}

/* Reads a chunk's records into the worker's batch and the chunk's counts and errors. */
static enum cm_code
chunk_parse(const struct job *j, struct thread *t, struct chunk *c, struct cm_err *err)
{
    struct cm_records *r = t->r;
    cm_records_init_mem(r, c->buf, c->len, j->delim, 1);
    narrow(r, j->header);
    t->b.n = t->b.ids_len = 0;
    c->rows = c->bad = c->nerr = 0;
    char why[160];
    while (cm_records_read(r) > 0) {
        c->rows++;
        const char *bad = check_row(r, j->lay, why, sizeof(why));
        if (bad == NULL) {
            enum cm_code rc = batch_add(j, &t->b, r, err);
            if (rc != CM_OK)
                return rc;
            continue;
        }
        if (c->nerr < CM_IDENTIFY_ERRORS_SHOWN) {
            c->err[c->nerr].line = r->rec_line;
            snprintf(c->err[c->nerr].why, sizeof(c->err[0].why), "%s", bad);
            c->nerr++;
        }
        c->bad++;
    }
    c->lines = r->line - 1;
    return CM_OK;
}

/* Adds a batch to the table: called in input order, so patients keep their order of first
 * appearance. */
static enum cm_code
batch_apply(const struct job *j, struct table *t, const struct batch *b, struct cm_err *err)
{
    for (size_t i = 0; i < b->n; i++) {
        const struct delta *d = &b->d[i];
        struct patient *p = NULL;
        bool created = false;
        enum cm_code rc =
            patient_get_hashed(t, b->ids + d->id_at, d->len, d->hash, &p, &created, err);
        if (rc != CM_OK)
            return rc;
        j->al->merge(p->data, d->state);
    }
    return CM_OK;
}

static void *
thread_main(void *arg)
{
    struct thread *t = arg;
    struct pool *pl = t->pool;
    for (;;) {
        pthread_mutex_lock(&pl->mu);
        struct chunk *c = NULL;
        while (!pl->failed) {
            /* The lowest READY seq: chunks are taken in input order, so the one whose turn it is
             * to be applied is always being worked on. */
            for (size_t i = 0; i < pl->n; i++)
                if (pl->chunks[i].state == CHUNK_READY && (c == NULL || pl->chunks[i].seq < c->seq))
                    c = &pl->chunks[i];
            if (c != NULL || pl->finished)
                break;
            pthread_cond_wait(&pl->ready, &pl->mu);
        }
        if (pl->failed)
            c = NULL;
        if (c != NULL)
            c->state = CHUNK_BUSY;
        pthread_mutex_unlock(&pl->mu);
        if (c == NULL)
            return NULL;
        enum cm_code rc = chunk_parse(pl->job, t, c, &t->err);
        /* Wait for this chunk's turn, then apply; a failure still passes the turn on. */
        pthread_mutex_lock(&pl->apply_mu);
        while (pl->next_apply != c->seq)
            pthread_cond_wait(&pl->applied, &pl->apply_mu);
        if (rc == CM_OK && !pl->apply_failed)
            rc = batch_apply(pl->job, pl->table, &t->b, &t->err);
        pl->apply_failed |= rc != CM_OK;
        pl->next_apply++;
        pthread_cond_broadcast(&pl->applied);
        pthread_mutex_unlock(&pl->apply_mu);
        pthread_mutex_lock(&pl->mu);
        c->state = CHUNK_DONE;
        if (rc != CM_OK) {
            t->rc = rc;
            pl->failed = true;
            pthread_cond_broadcast(&pl->ready);
        }
        pthread_cond_broadcast(&pl->done);
        pthread_mutex_unlock(&pl->mu);
    }
}

/* The end of the last whole record in buf[len], 0 when there is none. For CSV this follows the
 * record reader's own rules (a quote opens a field only at its start; "" inside quotes is one
 * quote; after a closing quote the rest of the line belongs to the record), so a chunk never
 * ends inside a quoted line break. Every chunk starts at a record's start. */
static size_t
record_boundary(const unsigned char *buf, size_t len, char delim)
{
    if (delim != ',') {
        for (size_t i = len; i > 0; i--)
            if (buf[i - 1] == '\n')
                return i;
        return 0;
    }
    enum { START, UNQUOTED, QUOTED, QUOTE, SKIP } s = START;
    size_t end = 0;
    for (size_t i = 0; i < len; i++) {
        unsigned char c = buf[i];
        switch (s) {
        case START:
            s = c == '"' ? QUOTED : c == ',' ? START : c == '\n' ? START : UNQUOTED;
            if (c == '\n')
                end = i + 1;
            break;
        case UNQUOTED:
            if (c == '\n') {
                end = i + 1;
                s = START;
            } else if (c == ',') {
                s = START;
            }
            break;
        case QUOTED:
            if (c == '"')
                s = QUOTE;
            break;
        case QUOTE: /* a quote inside quotes: "" or the closing one */
            if (c == '"') {
                s = QUOTED;
            } else if (c == ',') {
                s = START;
            } else if (c == '\n') {
                end = i + 1;
                s = START;
            } else {
                s = SKIP; /* "\r\n" or text after the closing quote: up to the line's end */
            }
            break;
        case SKIP:
            if (c == '\n') {
                end = i + 1;
                s = START;
            }
            break;
        }
    }
    return end;
}

/* Prints the errors of the DONE chunks that come next in input order, adds up their counts and
 * frees them. Called with the pool's lock held. */
static void
drain(struct pool *pl, size_t *next, size_t *line_base, struct cm_identify_stats *st, FILE *errs)
{
    for (;;) {
        struct chunk *c = NULL;
        for (size_t i = 0; i < pl->n && c == NULL; i++)
            if (pl->chunks[i].state == CHUNK_DONE && pl->chunks[i].seq == *next)
                c = &pl->chunks[i];
        if (c == NULL)
            return;
        for (size_t e = 0; e < c->nerr; e++) {
            if (st->bad_rows + e < CM_IDENTIFY_ERRORS_SHOWN)
                fprintf(errs, "%s:%zu: %s\n", pl->job->name, *line_base + c->err[e].line - 1,
                        c->err[e].why);
        }
        st->rows += c->rows;
        st->bad_rows += c->bad;
        *line_base += c->lines;
        c->state = CHUNK_FREE;
        (*next)++;
    }
}

/* Reads the rest of the input after the header (the reader hdr holds its first bytes) in chunks
 * for n worker threads. */
static enum cm_code
read_threaded(const struct job *j, struct cm_records *hdr, FILE *in, struct table *table,
              struct thread *th, unsigned n, struct progress *pg, struct cm_identify_stats *st,
              struct cm_err *err)
{
    FILE *errs = j->o->errors != NULL ? j->o->errors : stderr;
    struct pool pl = {.n = 2 * (size_t)n + 2, .job = j, .table = table};
    size_t chunk = j->o->chunk_bytes > 0 ? j->o->chunk_bytes : CHUNK;
    size_t chunk_max = chunk * CHUNK_GROWTH;
    pl.chunks = calloc(pl.n, sizeof(*pl.chunks));
    /* The header's reader may hold more than one chunk's worth already. */
    size_t carry_cap = hdr->len - hdr->pos > chunk ? hdr->len - hdr->pos : chunk;
    unsigned char *carry = malloc(carry_cap);
    enum cm_code rc = CM_OK;
    if (pl.chunks == NULL || carry == NULL) {
        free(pl.chunks);
        free(carry);
        return cm_err_set(err, CM_ENOMEM, "", "out of memory");
    }
    pthread_mutex_init(&pl.mu, NULL);
    pthread_cond_init(&pl.ready, NULL);
    pthread_cond_init(&pl.done, NULL);
    pthread_mutex_init(&pl.apply_mu, NULL);
    pthread_cond_init(&pl.applied, NULL);
    for (unsigned i = 0; i < n; i++) {
        th[i].pool = &pl;
        th[i].rc = CM_OK;
        th[i].started = pthread_create(&th[i].tid, NULL, thread_main, &th[i]) == 0;
        if (!th[i].started)
            rc = cm_err_set(err, CM_ENOMEM, "threads", "could not start worker thread %u", i + 1);
    }

    /* Bytes read but not yet in a chunk are pending in carry[carry_off..carry_len): first what
     * the header's reader already holds. */
    size_t carry_len = hdr->len - hdr->pos, carry_off = 0;
    memcpy(carry, hdr->buf + hdr->pos, carry_len);
    bool eof = hdr->eof, ioerr = hdr->ioerr;
    uint64_t offset = 0, bytes = hdr->bytes_read;
    size_t seq = 0, next = 0, line_base = hdr->line;

    while (rc == CM_OK && !(eof && carry_off == carry_len)) {
        pthread_mutex_lock(&pl.mu);
        struct chunk *c = NULL;
        while (!pl.failed) {
            drain(&pl, &next, &line_base, st, errs);
            for (size_t i = 0; i < pl.n && c == NULL; i++)
                if (pl.chunks[i].state == CHUNK_FREE)
                    c = &pl.chunks[i];
            if (c != NULL)
                break;
            pthread_cond_wait(&pl.done, &pl.mu);
        }
        bool failed = pl.failed;
        pthread_mutex_unlock(&pl.mu);
        progress_tick(pg, st->rows, bytes);
        if (failed)
            break;
        if (c->buf == NULL) {
            c->buf = malloc(chunk);
            c->cap = chunk;
            if (c->buf == NULL) {
                rc = cm_err_set(err, CM_ENOMEM, "", "out of memory");
                break;
            }
        }
        /* The pending bytes, then as much input as fits; a record longer than the buffer grows
         * it, up to chunk_max. */
        c->len = 0;
        size_t end = 0;
        bool from_file = false;
        for (;;) {
            size_t take = carry_len - carry_off;
            if (take > c->cap - c->len)
                take = c->cap - c->len;
            memcpy(c->buf + c->len, carry + carry_off, take);
            c->len += take;
            carry_off += take;
            while (carry_off == carry_len && !eof && c->len < c->cap) {
                size_t got = fread(c->buf + c->len, 1, c->cap - c->len, in);
                c->len += got;
                bytes += got;
                from_file = true;
                if (got == 0) {
                    eof = true;
                    ioerr = ferror(in) != 0;
                }
            }
            bool last = eof && carry_off == carry_len;
            end = last ? c->len : record_boundary(c->buf, c->len, j->delim);
            if (end > 0 || last)
                break;
            if (c->cap >= chunk_max) {
                rc = cm_err_set(err, CM_EINVAL, "input",
                                "%s: a row at byte %" PRIu64
                                " after the header is longer than %zu bytes; --threads 1 reports "
                                "it as a malformed row",
                                j->name, offset, chunk_max);
                break;
            }
            unsigned char *b = realloc(c->buf, c->cap * 2);
            if (b == NULL) {
                rc = cm_err_set(err, CM_ENOMEM, "", "out of memory");
                break;
            }
            c->buf = b;
            c->cap *= 2;
        }
        if (rc != CM_OK)
            break;
        /* What follows the last whole record is pending again. Taken from the pending bytes
         * alone, it is still there, just before carry_off; otherwise it is copied back. */
        size_t rest = c->len - end;
        if (!from_file) {
            carry_off -= rest;
        } else {
            if (rest > carry_cap) {
                unsigned char *b = realloc(carry, c->cap);
                if (b == NULL) {
                    rc = cm_err_set(err, CM_ENOMEM, "", "out of memory");
                    break;
                }
                carry = b;
                carry_cap = c->cap;
            }
            memcpy(carry, c->buf + end, rest);
            carry_off = 0;
            carry_len = rest;
        }
        c->len = end;
        if (end == 0)
            continue; /* only at the end of an empty input */
        offset += end;
        pthread_mutex_lock(&pl.mu);
        c->seq = seq++;
        c->state = CHUNK_READY;
        pthread_cond_broadcast(&pl.ready);
        pthread_mutex_unlock(&pl.mu);
    }

    pthread_mutex_lock(&pl.mu);
    pl.finished = true;
    pl.failed |= rc != CM_OK;
    pthread_cond_broadcast(&pl.ready);
    pthread_mutex_unlock(&pl.mu);
    for (unsigned i = 0; i < n; i++)
        if (th[i].started)
            pthread_join(th[i].tid, NULL);
    drain(&pl, &next, &line_base, st, errs);
    for (unsigned i = 0; i < n && rc == CM_OK; i++) {
        if (th[i].rc != CM_OK) {
            rc = th[i].rc;
            *err = th[i].err;
        }
    }
    if (rc == CM_OK && ioerr)
        rc = cm_err_set(err, CM_EIO, "input", "%s: %s", j->name, strerror(errno));
    progress_tick(pg, st->rows, bytes);
    for (size_t i = 0; i < pl.n; i++)
        free(pl.chunks[i].buf);
    free(pl.chunks);
    free(carry);
    pthread_cond_destroy(&pl.applied);
    pthread_mutex_destroy(&pl.apply_mu);
    pthread_cond_destroy(&pl.done);
    pthread_cond_destroy(&pl.ready);
    pthread_mutex_destroy(&pl.mu);
    return rc;
}

/* ---- the output ----------------------------------------------------------------------------- */

/* A patient in the sorted output: qsort has no context, so the id is carried beside it. */
struct ordered {
    const char *id;
    size_t len;
    const struct patient *p;
};

/* Byte order of the ids (a shorter id first when it is a prefix): medicalcoder returns its rows
 * sorted by id, and for ids like S0000001 every collation agrees with byte order. */
static int
cmp_ordered(const void *pa, const void *pb)
{
    const struct ordered *a = pa, *b = pb;
    int c = memcmp(a->id, b->id, a->len < b->len ? a->len : b->len);
    if (c != 0)
        return c;
    return a->len < b->len ? -1 : a->len > b->len ? 1 : 0;
}

static enum cm_code
write_patient(const struct job *j, const struct table *t, const struct patient *p, FILE *out,
              struct cm_err *err)
{
    const struct cm_identify_opts *o = j->o;
    const char *id = patient_id(t, p);
    j->al->row(j->ctx, p->data, id, p->len, out);
    bool strat = o->tiers != NULL && o->encounters != NULL;
    if (!strat && o->on_result == NULL) {
        fputc('\n', out);
        return CM_OK;
    }
    char names[NAMES_MAX];
    struct cm_identify_result res = {.patient_id = id, .id_len = p->len, .tier = -1};
    j->al->result(j->ctx, p->data, &res, names, sizeof(names));
    res.condition_names = names;
    if (strat) {
        const struct cm_identify_encounter_counts *counts =
            cm_stratify_encounters_find(o->encounters, id, p->len);
        struct cm_stratify_child child = {
            .cls = res.cls,
            .tech_dep = res.tech_dep,
            .transplant = res.transplant,
            .progressive = res.progressive,
            .malignancy = res.malignancy,
            .conditions = res.conditions,
            .counts = counts,
        };
        struct cm_stratify_tier tier;
        cm_stratify_assign(o->tiers, &child, &tier);
        res.tier = tier.tier;
        res.tier_rule = tier.rule_id;
        res.tier_reason = tier.reason;
        res.encounters = counts;
        fprintf(out, "\t%d\t%s", tier.tier, tier.rule_id);
    }
    fputc('\n', out);
    return o->on_result != NULL ? o->on_result(o->on_result_ctx, &res, err) : CM_OK;
}

static enum cm_code
write_table(const struct job *j, const struct table *t, struct patient *list, FILE *out,
            struct cm_err *err)
{
    j->al->header(j->ctx, out);
    if (j->o->tiers != NULL && j->o->encounters != NULL)
        fputs("\ttier\ttier_rule", out);
    fputc('\n', out);
    enum cm_code rc = CM_OK;
    if (j->al->sorted && t->count > 0) {
        struct ordered *order = cm_arena_calloc(t->arena, t->count, sizeof(*order));
        if (order == NULL)
            return cm_err_set(err, CM_ENOMEM, "", "out of memory sorting %zu patients", t->count);
        size_t i = 0;
        for (const struct patient *p = list; p != NULL; p = p->next)
            order[i++] = (struct ordered){patient_id(t, p), p->len, p};
        qsort(order, i, sizeof(*order), cmp_ordered);
        for (size_t k = 0; k < i && rc == CM_OK; k++)
            rc = write_patient(j, t, order[k].p, out, err);
    } else {
        for (const struct patient *p = list; p != NULL && rc == CM_OK; p = p->next)
            rc = write_patient(j, t, p, out, err);
    }
    if (rc != CM_OK)
        return rc;
    if (fflush(out) != 0 || ferror(out))
        return cm_err_set(err, CM_EIO, "output", "writing the output failed: %s", strerror(errno));
    return CM_OK;
}

/* Adds every claim to its patient, in order of first appearance. */
static void
close_claims(const struct job *j, struct worker *wk)
{
    for (struct patient *c = wk->claims.first; c != NULL; c = c->next)
        j->al->close_claim(j->ctx, (*claim_owner(c))->data, claim_state(c));
}

/* ---- the run --------------------------------------------------------------------------------- */

static size_t
round8(size_t n)
{
    return (n + 7) & ~(size_t)7;
}

static enum cm_code
worker_init(struct worker *wk, const struct algo *al, bool wide, struct cm_err *err)
{
    wk->arena = cm_arena_new(ARENA_CAP);
    if (wk->arena == NULL)
        return cm_err_set(err, CM_ENOMEM, "", "out of memory");
    wk->patients = (struct table){.arena = wk->arena, .state_size = round8(al->state_size)};
    wk->patients.line_at = wk->patients.state_size;
    wk->patients.state_size += wide ? sizeof(size_t) : 0;
    wk->claims = (struct table){
        .arena = wk->arena,
        .state_size = round8(sizeof(struct patient *) + al->claim_size),
    };
    return CM_OK;
}

/* The algorithm's matcher loaded into a, and its table of functions. */
static enum cm_code
algo_load(const struct cm_identify_opts *o, struct cm_arena *a, const struct algo **al,
          void *ctx_buf, struct cm_err *err)
{
    enum cm_code rc;
    switch (o->algorithm) {
    case CM_IDENTIFY_CCC2: {
        struct ccc2_ctx *c = ctx_buf;
        struct cm_identify_ccc2 *m = NULL;
        rc = cm_identify_ccc2_load(o->icd, &m, a, err);
        c->m = m;
        *al = &CCC2_ALGO;
        return rc;
    }
    case CM_IDENTIFY_MC_V20:
    case CM_IDENTIFY_MC_V21:
    case CM_IDENTIFY_MC_V30:
    case CM_IDENTIFY_MC_V31: {
        struct mc_ctx *c = ctx_buf;
        struct cm_identify_mc *m = NULL;
        c->alg = o->algorithm;
        rc = cm_identify_mc_load(o->algorithm, o->icd, &m, a, err);
        c->m = m;
        *al = &MC_ALGO;
        return rc;
    }
    case CM_IDENTIFY_PMCA_LESS:
    case CM_IDENTIFY_PMCA_MORE: {
        struct pmca_ctx *c = ctx_buf;
        struct cm_pmca_rules *rules = NULL;
        struct cm_identify_ccc2 *m = NULL;
        c->variant = o->algorithm == CM_IDENTIFY_PMCA_MORE ? CM_PMCA_MORE : CM_PMCA_LESS;
        rc = cm_pmca_rules_load(&rules, a, err);
        if (rc == CM_OK)
            rc = cm_identify_ccc2_load(o->icd == 9 ? 9 : 10, &m, a, err);
        c->rules = rules;
        c->ccc2 = m;
        *al = &PMCA_ALGO;
        return rc;
    }
    }
    return cm_err_set(err, CM_EINVAL, "algorithm", "unknown algorithm");
}

CM_MUST_CHECK enum cm_code
cm_identify_run(FILE *in, FILE *out, const struct cm_identify_opts *opts,
                struct cm_identify_stats *stats, struct cm_err *err)
{
    struct cm_identify_stats local = {0};
    struct cm_identify_stats *st = stats != NULL ? stats : &local;
    *st = (struct cm_identify_stats){0};
    const char *name = opts->input_name == NULL || strcmp(opts->input_name, "-") == 0
                           ? "<stdin>"
                           : opts->input_name;
    if (opts->delimiter != 0 && opts->delimiter != '\t' && opts->delimiter != ',')
        return cm_err_set(err, CM_EINVAL, "delimiter", "the delimiter must be a tab or a comma");
    if (opts->format != CM_IDENTIFY_FORMAT_LONG && opts->format != CM_IDENTIFY_FORMAT_WIDE)
        return cm_err_set(err, CM_EINVAL, "format", "the format must be long or wide");
    if ((opts->tiers == NULL) != (opts->encounters == NULL))
        return cm_err_set(err, CM_EINVAL, "tiers", "stratifying needs both tiers and encounters");
    bool wide = opts->format == CM_IDENTIFY_FORMAT_WIDE;

    struct cm_arena *a = cm_arena_new(ARENA_CAP);
    struct cm_records *r = malloc(sizeof(*r));
    struct wide_cols *w = malloc(sizeof(*w));
    unsigned n = opts->threads > THREADS_MAX ? THREADS_MAX : opts->threads;
    struct thread *th = calloc(n > 1 ? n : 1, sizeof(*th));
    if (a == NULL || r == NULL || w == NULL || th == NULL) {
        cm_arena_free(a);
        free(r);
        free(w);
        free(th);
        return cm_err_set(err, CM_ENOMEM, "", "out of memory");
    }
    _Alignas(16) unsigned char ctx[64];
    const struct algo *al = NULL;
    struct job j = {.o = opts, .name = name, .wide = wide, .w = w, .ctx = ctx};
    enum cm_code rc = algo_load(opts, a, &al, ctx, err);
    j.al = al;
    j.lay = al != NULL && al->claim_size > 0 ? &CLAIM_LAYOUT : &LONG_LAYOUT;
    /* Wide format keeps one table (a patient's second row is an error to report where it is),
     * and claims would have to be joined across workers: both read on one thread. */
    if (wide || (al != NULL && (al->claim_size > 0 || al->state_size > DELTA_STATE)) || n < 1)
        n = 1;
    struct progress pg = {.on = opts->progress,
                          .out = opts->errors != NULL ? opts->errors : stderr,
                          .total = opts->input_bytes};
    clock_gettime(CLOCK_MONOTONIC, &pg.start);
    pg.last = pg.start;

    /* The header is read with every column kept, capped as the longest field; check_header and
     * check_header_wide then narrow the reader to the format's columns. */
    cm_records_init_file(r, in, opts->delimiter);
    if (rc == CM_OK)
        rc = cm_records_detect(r,
                               wide                ? "patient_id, dx1.., pc1.."
                               : j.lay->claim >= 0 ? "patient_id, claim_id, code_type, code"
                                                   : "patient_id, code_type, code",
                               name, err);
    if (rc == CM_OK) {
        int got = cm_records_read(r);
        if (got < 0)
            rc = cm_err_set(err, CM_EIO, "input", "%s: %s", name, strerror(errno));
        else if (got == 0)
            rc = cm_err_set(err, CM_EINVAL, "input", "%s: empty input", name);
    }
    if (rc == CM_OK)
        rc = wide ? check_header_wide(r, w, name, err) : check_header(r, j.lay, name, err);
    j.delim = r->delim;
    j.header = r;
    /* One table, whatever the number of threads: workers only parse and match, and their
     * batches are added in input order. */
    struct worker wk = {0};
    if (rc == CM_OK)
        rc = worker_init(&wk, al, wide, err);
    for (unsigned i = 0; i < n && rc == CM_OK && n > 1; i++) {
        th[i].r = malloc(sizeof(struct cm_records));
        if (th[i].r == NULL)
            rc = cm_err_set(err, CM_ENOMEM, "", "out of memory");
    }
    if (rc == CM_OK && n > 1) {
        rc = read_threaded(&j, r, in, &wk.patients, th, n, &pg, st, err);
    } else if (rc == CM_OK) {
        wk.r = r;
        rc = read_serial(&j, &wk, r, &pg, st, err);
    }
    progress_end(&pg);
    st->patients = wk.patients.count;
    FILE *errs = opts->errors != NULL ? opts->errors : stderr;
    if (rc == CM_OK && st->bad_rows > CM_IDENTIFY_ERRORS_SHOWN)
        fprintf(errs, "%zu more malformed rows in %s not shown\n",
                st->bad_rows - CM_IDENTIFY_ERRORS_SHOWN, name);
    if (rc == CM_OK && st->bad_rows > opts->max_errors)
        rc = cm_err_set(err, CM_EINVAL, "input",
                        "%zu malformed rows in %s (more than --max-errors %zu); no output written",
                        st->bad_rows, name, opts->max_errors);
    if (rc == CM_OK && al->claim_size > 0)
        close_claims(&j, &wk);
    if (rc == CM_OK)
        rc = write_table(&j, &wk.patients, wk.patients.first, out, err);
    for (unsigned i = 0; i < n; i++) {
        free(th[i].r);
        free(th[i].b.d);
        free(th[i].b.ids);
    }
    cm_arena_free(wk.arena);
    free(th);
    free(w);
    free(r);
    cm_arena_free(a);
    return rc;
}
