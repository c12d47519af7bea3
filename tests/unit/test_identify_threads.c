/*
 * identify with worker threads: the output, the error report and the counts are those of one
 * thread, byte for byte, whatever the number of threads and wherever the chunks end. Small chunk
 * sizes (opts.chunk_bytes) put chunk ends everywhere: inside quoted CSV line breaks, at CRLFs, in
 * the middle of a patient's rows.
 */
#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include <cmocka.h>

#include "testlib.h"

#include "identify/identify.h"

struct result {
    enum cm_code rc;
    struct cm_err err;
    struct cm_identify_stats stats;
    char *out;
    char *errors;
};

static struct result
run(const char *text, size_t len, enum cm_identify_algorithm alg, unsigned threads, size_t chunk,
    size_t max_errors)
{
    struct result r = {0};
    FILE *in = fmemopen((void *)text, len, "r");
    assert_non_null(in);
    size_t out_len = 0, err_len = 0;
    FILE *out = open_memstream(&r.out, &out_len);
    FILE *errs = open_memstream(&r.errors, &err_len);
    assert_non_null(out);
    assert_non_null(errs);
    struct cm_identify_opts o = {
        .icd = alg == CM_IDENTIFY_CCC2 ? 10 : 0,
        .algorithm = alg,
        .mode = CM_IDENTIFY_CODES_REFERENCE,
        .max_errors = max_errors,
        .input_name = "in.tsv",
        .errors = errs,
        .threads = threads,
        .chunk_bytes = chunk,
    };
    r.rc = cm_identify_run(in, out, &o, &r.stats, &r.err);
    fclose(in);
    fclose(out);
    fclose(errs);
    return r;
}

static void
result_free(struct result *r)
{
    free(r->out);
    free(r->errors);
}

/* The same run with one thread and with threads: everything must agree. */
static void
assert_same_as_one_thread(const char *text, size_t len, enum cm_identify_algorithm alg,
                          unsigned threads, size_t chunk, size_t max_errors)
{
    struct result one = run(text, len, alg, 1, 0, max_errors);
    struct result many = run(text, len, alg, threads, chunk, max_errors);
    if (one.rc != many.rc)
        fail_msg("threads %u chunk %zu: rc %d, one thread %d (%s / %s)", threads, chunk, many.rc,
                 one.rc, many.err.msg, one.err.msg);
    if (strcmp(one.errors, many.errors) != 0)
        fail_msg("threads %u chunk %zu: error report differs:\n--- one\n%s--- many\n%s", threads,
                 chunk, one.errors, many.errors);
    if (strcmp(one.out, many.out) != 0)
        fail_msg("threads %u chunk %zu: output differs", threads, chunk);
    assert_int_equal(one.stats.rows, many.stats.rows);
    assert_int_equal(one.stats.patients, many.stats.patients);
    assert_int_equal(one.stats.bad_rows, many.stats.bad_rows);
    assert_string_equal(one.err.msg, many.err.msg);
    result_free(&one);
    result_free(&many);
}

#define SAMPLE "tests/data/identify/ccc_sample_input_long.tsv"

/* ---- the reference samples ------------------------------------------------------------------- */

static void
test_threads_reproduce_the_pccc_sample_wherever_chunks_end(void **state)
{
    (void)state;
    size_t len = 0, want_len = 0;
    char *text = testlib_slurp(SAMPLE, &len);
    char *want = testlib_slurp("tests/data/identify/ccc_sample_pccc_1.0.6_output.tsv", &want_len);
    static const size_t chunks[] = {64, 1000, 4096, 65536};
    for (unsigned threads = 2; threads <= 4; threads++) {
        for (size_t c = 0; c < sizeof(chunks) / sizeof(chunks[0]); c++) {
            struct result r = run(text, len, CM_IDENTIFY_CCC2, threads, chunks[c], 0);
            if (r.rc != CM_OK)
                fail_msg("threads %u chunk %zu: %s", threads, chunks[c], r.err.msg);
            if (strcmp(r.out, want) != 0)
                fail_msg("threads %u chunk %zu: output differs from pccc 1.0.6's", threads,
                         chunks[c]);
            assert_int_equal(r.stats.patients, 2000);
            result_free(&r);
        }
    }
    free(want);
    free(text);
}

static void
test_threads_reproduce_the_medicalcoder_v31_sample(void **state)
{
    (void)state;
    size_t len = 0, want_len = 0;
    char *text = testlib_slurp(SAMPLE, &len);
    char *want = testlib_slurp("tests/data/identify/ccc_sample_medicalcoder_pccc_v3.1_output.tsv",
                               &want_len);
    struct result r = run(text, len, CM_IDENTIFY_MC_V31, 3, 777, 0);
    assert_int_equal(r.rc, CM_OK);
    assert_string_equal(r.out, want);
    result_free(&r);
    free(want);
    free(text);
}

/* ---- order of first appearance across workers ------------------------------------------------ */

/* The sample's rows in a fixed pseudo-random order (the header stays first), so a patient's rows
 * land in many chunks and several workers. */
static char *
shuffled_sample(size_t *out_len)
{
    size_t len = 0;
    char *text = testlib_slurp(SAMPLE, &len);
    size_t n = 0, cap = 1024;
    char **lines = malloc(cap * sizeof(*lines));
    assert_non_null(lines);
    for (char *save = NULL, *l = strtok_r(text, "\n", &save); l != NULL;
         l = strtok_r(NULL, "\n", &save)) {
        if (n == cap) {
            cap *= 2;
            lines = realloc(lines, cap * sizeof(*lines));
            assert_non_null(lines);
        }
        lines[n++] = l;
    }
    uint64_t x = 88172645463325252ULL;
    for (size_t i = n - 1; i > 1; i--) {
        x ^= x << 13;
        x ^= x >> 7;
        x ^= x << 17;
        size_t j = 1 + (size_t)(x % i);
        char *t = lines[i];
        lines[i] = lines[j];
        lines[j] = t;
    }
    char *out = malloc(len + 2);
    assert_non_null(out);
    size_t o = 0;
    for (size_t i = 0; i < n; i++) {
        size_t l = strlen(lines[i]);
        memcpy(out + o, lines[i], l);
        o += l;
        out[o++] = '\n';
    }
    out[o] = '\0';
    free(lines);
    free(text);
    *out_len = o;
    return out;
}

static void
test_shuffled_rows_come_out_in_order_of_first_appearance_as_with_one_thread(void **state)
{
    (void)state;
    size_t len = 0;
    char *text = shuffled_sample(&len);
    assert_same_as_one_thread(text, len, CM_IDENTIFY_CCC2, 2, 512, 0);
    assert_same_as_one_thread(text, len, CM_IDENTIFY_CCC2, 4, 3000, 0);
    assert_same_as_one_thread(text, len, CM_IDENTIFY_MC_V20, 3, 2048, 0);
    free(text);
}

/* ---- malformed rows -------------------------------------------------------------------------- */

/* The sample with a malformed row of each kind after every 150th row (about 110 of them). */
static char *
sample_with_bad_rows(size_t *out_len, size_t *bad)
{
    static const char *const kinds[] = {
        "P1\tdx\n",              /* 2 columns */
        "\tdx\tG800\n",          /* empty patient_id */
        "P1\tzz\tG800\n",        /* code type */
        "P\xff\tdx\tG800\n",     /* invalid UTF-8 */
        "P1\tdx\tG800\textra\n", /* 4 columns */
        "\n",                    /* empty line */
        "P1\tdx\tAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAA\n",
    };
    size_t len = 0;
    char *text = testlib_slurp(SAMPLE, &len);
    char *out = malloc(len * 2);
    assert_non_null(out);
    size_t o = 0, line = 0;
    *bad = 0;
    for (const char *p = text; *p != '\0';) {
        const char *nl = strchr(p, '\n');
        size_t l = nl != NULL ? (size_t)(nl - p) + 1 : strlen(p);
        memcpy(out + o, p, l);
        o += l;
        p += l;
        if (++line % 150 == 0) {
            const char *k = kinds[*bad % (sizeof(kinds) / sizeof(kinds[0]))];
            memcpy(out + o, k, strlen(k));
            o += strlen(k);
            (*bad)++;
        }
    }
    out[o] = '\0';
    free(text);
    *out_len = o;
    return out;
}

static void
test_malformed_rows_are_reported_in_input_order_with_their_lines(void **state)
{
    (void)state;
    size_t len = 0, bad = 0;
    char *text = sample_with_bad_rows(&len, &bad);
    assert_true(bad > CM_IDENTIFY_ERRORS_SHOWN);
    /* Tolerated: the run finishes and reports; 20 shown, the rest counted. */
    assert_same_as_one_thread(text, len, CM_IDENTIFY_CCC2, 2, 700, bad);
    assert_same_as_one_thread(text, len, CM_IDENTIFY_CCC2, 4, 5000, bad);
    struct result r = run(text, len, CM_IDENTIFY_CCC2, 4, 5000, bad);
    assert_int_equal(r.rc, CM_OK);
    assert_int_equal(r.stats.bad_rows, bad);
    /* The first bad row follows line 150 of the file (the header is line 1). */
    assert_non_null(strstr(r.errors, "in.tsv:151: expected 3 columns (patient_id, code_type, "
                                     "code), got 2\n"));
    assert_non_null(strstr(r.errors, "in.tsv:302: empty patient_id\n"));
    char more[96];
    snprintf(more, sizeof(more), "%zu more malformed rows in in.tsv not shown\n",
             bad - CM_IDENTIFY_ERRORS_SHOWN);
    assert_non_null(strstr(r.errors, more));
    result_free(&r);
    free(text);
}

static void
test_too_many_malformed_rows_fail_and_write_nothing_with_threads(void **state)
{
    (void)state;
    size_t len = 0, bad = 0;
    char *text = sample_with_bad_rows(&len, &bad);
    assert_same_as_one_thread(text, len, CM_IDENTIFY_CCC2, 3, 900, 0);
    struct result r = run(text, len, CM_IDENTIFY_CCC2, 3, 900, bad - 1);
    assert_int_equal(r.rc, CM_EINVAL);
    assert_string_equal(r.out, "");
    assert_non_null(strstr(r.err.msg, "no output written"));
    result_free(&r);
    free(text);
}

/* ---- CSV chunk ends ----------------------------------------------------------------------------
 */

static void
test_csv_quoted_line_breaks_and_crlf_never_split_a_record(void **state)
{
    (void)state;
    /* Quoted ids with line breaks and "", CRLF endings, a quote inside an unquoted field, text
     * after a closing quote and an unterminated quote at the end: every chunk size from 1 to 96
     * bytes must give one thread's answer. */
    static const char csv[] = "patient_id,code_type,code\r\n"
                              "\"A\nB\",dx,G800\r\n"
                              "C,dx,\"Q91.3\"\r\n"
                              "\"D\"\"E\",pc,02YA0Z0\n"
                              "F,dx,G8\"00\n"
                              "\"G\"x,dx,G800\n"
                              "\"A\nB\",dx,E84.0\r\n"
                              "H,\"dx\",\"\"\n"
                              "I,dx,\"G800\r\n";
    for (size_t chunk = 1; chunk <= 96; chunk++)
        assert_same_as_one_thread(csv, sizeof(csv) - 1, CM_IDENTIFY_CCC2, 2, chunk, 10);
}

static void
test_a_row_longer_than_a_chunk_may_grow_it_up_to_64_times(void **state)
{
    (void)state;
    /* After 70 KB of good rows, so that the row is read in chunks rather than with the header. */
    size_t n = 3000, cap = 120000 + n;
    char *text = malloc(cap);
    assert_non_null(text);
    size_t o = (size_t)snprintf(text, cap, "patient_id\tcode_type\tcode\n");
    for (int i = 0; i < 7000; i++)
        o += (size_t)snprintf(text + o, cap - o, "P%d\tdx\tG800\n", i);
    o += (size_t)snprintf(text + o, cap - o, "L\tdx\t");
    memset(text + o, 'A', n);
    o += n;
    o += (size_t)snprintf(text + o, cap - o, "\nP3\tdx\tQ913\n");
    /* 3,000 bytes fit in 64 x 64: reported as a malformed row, as one thread does. */
    assert_same_as_one_thread(text, o, CM_IDENTIFY_CCC2, 2, 64, 1);
    /* Not in 64 x 32 = 2,048: the threaded run refuses and says how to have it reported. */
    struct result r = run(text, o, CM_IDENTIFY_CCC2, 2, 32, 1);
    assert_int_equal(r.rc, CM_EINVAL);
    assert_non_null(strstr(r.err.msg, "longer than 2048 bytes"));
    assert_non_null(strstr(r.err.msg, "--threads 1"));
    assert_string_equal(r.out, "");
    result_free(&r);
    free(text);
}

/* ---- results ------------------------------------------------------------------------------- */

struct seen {
    char ids[4096];
    size_t n, len, complex;
};

static enum cm_code
collect(void *ctx, const struct cm_identify_result *r, struct cm_err *err)
{
    (void)err;
    struct seen *s = ctx;
    if (s->len + r->id_len + 2 < sizeof(s->ids)) {
        memcpy(s->ids + s->len, r->patient_id, r->id_len);
        s->len += r->id_len;
        s->ids[s->len++] = '\n';
        s->ids[s->len] = '\0';
    }
    s->n++;
    s->complex += r->cls == CM_IDENTIFY_COMPLEX_CHRONIC;
    return CM_OK;
}

static void
test_every_patient_reaches_the_result_callback_in_output_order(void **state)
{
    (void)state;
    static const char text[] = "patient_id\tcode_type\tcode\n"
                               "B\tdx\tG800\n"
                               "A\tdx\tZ99.11\n"
                               "C\tdx\t\n"
                               "B\tpc\t02YA0Z0\n";
    struct seen s = {0};
    FILE *in = fmemopen((void *)text, sizeof(text) - 1, "r");
    char *out = NULL;
    size_t out_len = 0;
    FILE *o = open_memstream(&out, &out_len);
    struct cm_identify_opts opts = {
        .icd = 10,
        .mode = CM_IDENTIFY_CODES_NORMALISED,
        .input_name = "in.tsv",
        .threads = 2,
        .chunk_bytes = 8,
        .on_result = collect,
        .on_result_ctx = &s,
    };
    struct cm_err err = {0};
    assert_int_equal(cm_identify_run(in, o, &opts, NULL, &err), CM_OK);
    fclose(in);
    fclose(o);
    assert_int_equal(s.n, 3);
    assert_string_equal(s.ids, "B\nA\nC\n");
    /* B has cerebral palsy, A depends on a ventilator (respiratory), C has no codes. */
    assert_int_equal(s.complex, 2);
    free(out);
}

int
main(void)
{
    const struct CMUnitTest tests[] = {
        cmocka_unit_test(test_threads_reproduce_the_pccc_sample_wherever_chunks_end),
        cmocka_unit_test(test_threads_reproduce_the_medicalcoder_v31_sample),
        cmocka_unit_test(
            test_shuffled_rows_come_out_in_order_of_first_appearance_as_with_one_thread),
        cmocka_unit_test(test_malformed_rows_are_reported_in_input_order_with_their_lines),
        cmocka_unit_test(test_too_many_malformed_rows_fail_and_write_nothing_with_threads),
        cmocka_unit_test(test_csv_quoted_line_breaks_and_crlf_never_split_a_record),
        cmocka_unit_test(test_a_row_longer_than_a_chunk_may_grow_it_up_to_64_times),
        cmocka_unit_test(test_every_patient_reaches_the_result_callback_in_output_order),
    };
    return cmocka_run_group_tests(tests, NULL, NULL);
}
