/*
 * The streaming run of `caremap identify`: a reader for long- or wide-format TSV or CSV (RFC 4180
 * quotes for CSV only), a per-patient table, and the output. Memory: the reader holds one fixed
 * buffer and one record of bounded fields; the table holds one small entry per distinct patient (a
 * few bytes of algorithm state and the id; in wide format also the line it was first seen on).
 * Nothing grows with the number of rows. The run is generic over the algorithm: a small table of
 * functions (struct algo) says how big a patient's state is, how a code adds to it, and how the
 * header and a row are written.
 */
#include "identify/identify.h"
#include "identify/records.h"

#include <errno.h>
#include <stdlib.h>
#include <string.h>

#define TYPE_MAX      16
#define TABLE_MIN     1024
#define ARENA_CAP     ((size_t)1 << 40) /* bounded by the number of patients, not by rows */
#define PROGRESS_ROWS 1000000

#define FIELDS_MAX CM_RECORDS_FIELDS_MAX

/* Wide format: each column's code type and the k of its name dx<k> / pc<k> (column 0 is
 * patient_id), for reading cells and naming them in messages. */
struct wide_cols {
    enum cm_identify_code_type type[FIELDS_MAX];
    size_t num[FIELDS_MAX];
};

static const char HEADER_NAMES[3][16] = {"patient_id", "code_type", "code"};

/* ---- the per-patient table ------------------------------------------------------------------- */

/* One patient: state_size bytes of algorithm state (zeroed on first sight), then the id. */
struct patient {
    struct patient *next; /* in order of first appearance */
    uint64_t hash;
    uint8_t len;
    _Alignas(8) unsigned char data[];
};

struct table {
    struct cm_arena *arena;
    struct patient **slots;
    size_t cap, count;
    size_t state_size; /* a multiple of 8, so the id that follows needs no alignment */
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

static enum cm_code
grow(struct table *t, struct cm_err *err)
{
    size_t cap = t->cap == 0 ? TABLE_MIN : t->cap * 2;
    /* The old slot array stays in the arena: the waste is at most the size of the new one. */
    struct patient **slots = cm_arena_calloc(t->arena, cap, sizeof(*slots));
    if (slots == NULL)
        return cm_err_set(err, CM_ENOMEM, "", "out of memory after %zu patients", t->count);
    for (struct patient *p = t->first; p != NULL; p = p->next) {
        size_t i = p->hash & (cap - 1);
        while (slots[i] != NULL)
            i = (i + 1) & (cap - 1);
        slots[i] = p;
    }
    t->slots = slots;
    t->cap = cap;
    return CM_OK;
}

/* The patient with this id, added (state zeroed) on first sight; *created says which. */
static enum cm_code
patient_get(struct table *t, const char *id, size_t n, struct patient **out, bool *created,
            struct cm_err *err)
{
    *created = false;
    if ((t->count + 1) * 10 > t->cap * 7) {
        enum cm_code rc = grow(t, err);
        if (rc != CM_OK)
            return rc;
    }
    uint64_t h = fnv1a(id, n);
    size_t i = h & (t->cap - 1);
    for (struct patient *p; (p = t->slots[i]) != NULL; i = (i + 1) & (t->cap - 1)) {
        if (p->hash == h && p->len == n && memcmp(patient_id(t, p), id, n) == 0) {
            *out = p;
            return CM_OK;
        }
    }
    struct patient *p = cm_arena_alloc(t->arena, sizeof(*p) + t->state_size + n + 1);
    if (p == NULL)
        return cm_err_set(err, CM_ENOMEM, "", "out of memory after %zu patients", t->count);
    p->next = NULL;
    p->hash = h;
    p->len = (uint8_t)n;
    memset(p->data, 0, t->state_size);
    char *pid = (char *)p->data + t->state_size;
    memcpy(pid, id, n);
    pid[n] = '\0';
    if (t->last != NULL)
        t->last->next = p;
    else
        t->first = p;
    t->last = p;
    t->slots[i] = p;
    t->count++;
    *out = p;
    *created = true;
    return CM_OK;
}

/* ---- the run --------------------------------------------------------------------------------- */

/* Why a record is malformed, or NULL when it is a good row. */
static const char *
check_row(const struct cm_records *r, char *why, size_t size)
{
    if (r->error != NULL)
        return r->error;
    if (r->nfields != 3) {
        if (r->nfields == 1 && r->flen[0] == 0)
            return "empty line";
        snprintf(why, size, "expected 3 columns (patient_id, code_type, code), got %zu",
                 r->nfields);
        return why;
    }
    if (r->flen[0] > CM_IDENTIFY_PATIENT_ID_MAX) {
        snprintf(why, size, "patient_id longer than %d bytes", CM_IDENTIFY_PATIENT_ID_MAX);
        return why;
    }
    if (r->flen[2] > CM_IDENTIFY_CODE_MAX) {
        snprintf(why, size, "code longer than %d bytes", CM_IDENTIFY_CODE_MAX);
        return why;
    }
    for (int k = 0; k < 3; k++) {
        if (r->flen[k] <= r->cap[k] && !cm_utf8_valid(r->field[k], r->flen[k])) {
            snprintf(why, size, "%s is not valid UTF-8", HEADER_NAMES[k]);
            return why;
        }
    }
    if (r->flen[0] == 0)
        return "empty patient_id";
    if (strpbrk(r->field[0], "\t\r\n") != NULL)
        return "patient_id holds a tab or a line break";
    if (strcmp(r->field[1], "dx") != 0 && strcmp(r->field[1], "pc") != 0)
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

static enum cm_code
check_header(struct cm_records *r, const char *name, struct cm_err *err)
{
    bool ok = r->error == NULL && r->nfields == 3;
    for (int k = 0; ok && k < 3; k++)
        ok = strcmp(r->field[k], HEADER_NAMES[k]) == 0;
    if (!ok)
        return cm_err_set(err, CM_EINVAL, "input",
                          "%s:%zu: header must be the 3 columns patient_id, code_type, code", name,
                          r->rec_line);
    r->keep = 3;
    r->cap[0] = CM_IDENTIFY_PATIENT_ID_MAX;
    r->cap[1] = TYPE_MAX;
    r->cap[2] = CM_IDENTIFY_CODE_MAX;
    return CM_OK;
}

/* ---- the algorithms ------------------------------------------------------------------------- */

/* What the run needs from an algorithm. ctx is its matcher, state a patient's state_size bytes
 * (zeroed when the patient is first seen). */
struct algo {
    size_t state_size;
    bool sorted; /* rows by patient_id (medicalcoder) rather than by first appearance (pccc) */
    void (*header)(const void *ctx, FILE *out);
    void (*add)(const void *ctx, void *state, enum cm_identify_code_type type, const char *code,
                size_t len, enum cm_identify_codes mode);
    void (*row)(const void *ctx, const void *state, const char *id, size_t len, FILE *out);
};

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
    fputs("\tccc_flag\n", out);
}

static void
ccc2_add(const void *ctx, void *state, enum cm_identify_code_type type, const char *code,
         size_t len, enum cm_identify_codes mode)
{
    const struct ccc2_ctx *c = ctx;
    uint16_t *mask = state;
    *mask |= cm_identify_ccc2_match(c->m, type, code, len, mode);
}

static void
ccc2_row(const void *ctx, const void *state, const char *id, size_t len, FILE *out)
{
    (void)ctx;
    const uint16_t mask = *(const uint16_t *)state;
    char cells[2 * (CM_CCC2_COLUMNS + 1) + 1];
    size_t n = 0;
    for (int i = 0; i < CM_CCC2_COLUMNS; i++) {
        cells[n++] = '\t';
        cells[n++] = (mask >> i) & 1 ? '1' : '0';
    }
    /* CCC v2 (pccc 1.0.6, and the SAS macro's final step): ccc_flag counts tech_dep and
     * transplant too, so technology dependence alone sets it. */
    cells[n++] = '\t';
    cells[n++] = mask != 0 ? '1' : '0';
    cells[n++] = '\n';
    fwrite(id, 1, len, out);
    fwrite(cells, 1, n, out);
}

static const struct algo CCC2_ALGO = {sizeof(uint16_t), false, ccc2_header, ccc2_add, ccc2_row};

struct mc_ctx {
    const struct cm_identify_mc *m;
    enum cm_identify_algorithm alg;
};

static void
mc_header(const void *ctx, FILE *out)
{
    const struct mc_ctx *c = ctx;
    cm_identify_mc_write_header(c->alg, out);
}

static void
mc_add(const void *ctx, void *state, enum cm_identify_code_type type, const char *code, size_t len,
       enum cm_identify_codes mode)
{
    const struct mc_ctx *c = ctx;
    struct cm_identify_mc_hit *h = state;
    struct cm_identify_mc_hit got = cm_identify_mc_match(c->m, type, code, len, mode);
    h->dxpr |= got.dxpr;
    h->tech |= got.tech;
    h->techtrans |= got.techtrans;
    h->flags |= got.flags;
}

static void
mc_row(const void *ctx, const void *state, const char *id, size_t len, FILE *out)
{
    const struct mc_ctx *c = ctx;
    cm_identify_mc_write_row(c->alg, state, id, len, out);
}

static const struct algo MC_ALGO = {sizeof(struct cm_identify_mc_hit), true, mc_header, mc_add,
                                    mc_row};

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
write_table(const struct table *t, const struct algo *al, const void *ctx, FILE *out,
            struct cm_err *err)
{
    al->header(ctx, out);
    if (al->sorted && t->count > 0) {
        struct ordered *order = cm_arena_calloc(t->arena, t->count, sizeof(*order));
        if (order == NULL)
            return cm_err_set(err, CM_ENOMEM, "", "out of memory sorting %zu patients", t->count);
        size_t i = 0;
        for (const struct patient *p = t->first; p != NULL; p = p->next)
            order[i++] = (struct ordered){patient_id(t, p), p->len, p};
        qsort(order, t->count, sizeof(*order), cmp_ordered);
        for (i = 0; i < t->count; i++)
            al->row(ctx, order[i].p->data, order[i].id, order[i].len, out);
    } else {
        for (const struct patient *p = t->first; p != NULL; p = p->next)
            al->row(ctx, p->data, patient_id(t, p), p->len, out);
    }
    if (fflush(out) != 0 || ferror(out))
        return cm_err_set(err, CM_EIO, "output", "writing the output failed: %s", strerror(errno));
    return CM_OK;
}

static enum cm_code
run(struct cm_records *r, struct wide_cols *w, struct table *t, const struct algo *al,
    const void *ctx, FILE *out, const struct cm_identify_opts *o, const char *name,
    struct cm_identify_stats *st, struct cm_err *err)
{
    bool wide = o->format == CM_IDENTIFY_FORMAT_WIDE;
    enum cm_code rc = cm_records_detect(
        r, wide ? "patient_id, dx1.., pc1.." : "patient_id, code_type, code", name, err);
    if (rc != CM_OK)
        return rc;
    int got = cm_records_read(r);
    if (got < 0)
        return cm_err_set(err, CM_EIO, "input", "%s: %s", name, strerror(errno));
    if (got == 0)
        return cm_err_set(err, CM_EINVAL, "input", "%s: empty input", name);
    rc = wide ? check_header_wide(r, w, name, err) : check_header(r, name, err);
    if (rc != CM_OK)
        return rc;

    FILE *errs = o->errors != NULL ? o->errors : stderr;
    char why[128];
    while ((got = cm_records_read(r)) > 0) {
        st->rows++;
        if (o->progress && st->rows % PROGRESS_ROWS == 0)
            fprintf(errs, "\ridentify: %zu rows, %zu patients", st->rows, t->count);
        const char *bad =
            wide ? check_row_wide(r, w, why, sizeof(why)) : check_row(r, why, sizeof(why));
        struct patient *p = NULL;
        bool created = false;
        if (bad == NULL) {
            rc = patient_get(t, r->field[0], r->flen[0], &p, &created, err);
            if (rc != CM_OK)
                return rc;
        }
        if (bad == NULL && wide) {
            size_t *first = (size_t *)(void *)(p->data + t->line_at);
            if (created) {
                *first = r->rec_line;
            } else {
                /* pccc takes a row as a patient, so a second row would be a second output row
                 * with the same id: refused rather than merged or duplicated. */
                snprintf(why, sizeof(why), "patient already seen on line %zu", *first);
                bad = why;
            }
        }
        if (bad != NULL) {
            if (st->bad_rows < CM_IDENTIFY_ERRORS_SHOWN)
                fprintf(errs, "%s:%zu: %s\n", name, r->rec_line, bad);
            st->bad_rows++;
            continue;
        }
        if (wide) {
            /* An empty cell is no code; every other cell is a code of its column's type. */
            for (size_t k = 1; k < r->keep; k++)
                if (r->flen[k] > 0)
                    al->add(ctx, p->data, w->type[k], r->field[k], r->flen[k], o->mode);
            continue;
        }
        /* A row with an empty code is how a patient with no codes is listed: it matches nothing. */
        al->add(ctx, p->data, r->field[1][0] == 'p' ? CM_IDENTIFY_PC : CM_IDENTIFY_DX, r->field[2],
                r->flen[2], o->mode);
    }
    st->patients = t->count;
    if (o->progress && st->rows >= PROGRESS_ROWS)
        fputc('\n', errs);
    if (got < 0)
        return cm_err_set(err, CM_EIO, "input", "%s:%zu: %s", name, r->line, strerror(errno));
    if (st->bad_rows > CM_IDENTIFY_ERRORS_SHOWN)
        fprintf(errs, "%zu more malformed rows in %s not shown\n",
                st->bad_rows - CM_IDENTIFY_ERRORS_SHOWN, name);
    if (st->bad_rows > o->max_errors)
        return cm_err_set(
            err, CM_EINVAL, "input",
            "%zu malformed rows in %s (more than --max-errors %zu); no output written",
            st->bad_rows, name, o->max_errors);
    return write_table(t, al, ctx, out, err);
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
    bool wide = opts->format == CM_IDENTIFY_FORMAT_WIDE;

    struct cm_arena *a = cm_arena_new(ARENA_CAP);
    struct cm_records *r = malloc(sizeof(*r));
    struct wide_cols *w = malloc(sizeof(*w));
    if (a == NULL || r == NULL || w == NULL) {
        cm_arena_free(a);
        free(r);
        free(w);
        return cm_err_set(err, CM_ENOMEM, "", "out of memory");
    }
    /* The header is read with every column kept, capped as the longest field; check_header and
     * check_header_wide then narrow the reader to the format's columns. */
    cm_records_init_file(r, in, opts->delimiter);
    struct table t = {.arena = a};
    enum cm_code rc;
    if (opts->algorithm == CM_IDENTIFY_CCC2) {
        struct ccc2_ctx c = {0};
        t.state_size = (CCC2_ALGO.state_size + 7) & ~(size_t)7;
        t.line_at = t.state_size;
        t.state_size += wide ? sizeof(size_t) : 0;
        struct cm_identify_ccc2 *m = NULL;
        rc = cm_identify_ccc2_load(opts->icd, &m, a, err);
        c.m = m;
        if (rc == CM_OK)
            rc = run(r, w, &t, &CCC2_ALGO, &c, out, opts, name, st, err);
    } else {
        struct mc_ctx c = {.alg = opts->algorithm};
        t.state_size = (MC_ALGO.state_size + 7) & ~(size_t)7;
        t.line_at = t.state_size;
        t.state_size += wide ? sizeof(size_t) : 0;
        struct cm_identify_mc *m = NULL;
        rc = cm_identify_mc_load(opts->algorithm, opts->icd, &m, a, err);
        c.m = m;
        if (rc == CM_OK)
            rc = run(r, w, &t, &MC_ALGO, &c, out, opts, name, st, err);
    }
    free(w);
    free(r);
    cm_arena_free(a);
    return rc;
}
