/*
 * Fuzzes the threaded run of `caremap identify` against the one-thread run: for any input, with
 * chunks of 1 to 64 bytes (so chunk ends fall everywhere: inside quoted CSV line breaks, at CRLFs,
 * between a patient's rows), two and three worker threads must give the same status, table, error
 * report and counts as one thread, byte for byte. The first byte picks the chunk size (bits 0-5),
 * CSV or detection (bit 6) and CCC v2 or medicalcoder v3.1 (bit 7); the rest is the file.
 */
#include "identify/identify.h"

#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size);

struct outcome {
    enum cm_code rc;
    struct cm_identify_stats st;
    char *out, *errors;
    size_t out_len, errors_len;
    char msg[sizeof(((struct cm_err *)0)->msg)];
};

static void
run(const uint8_t *text, size_t len, const struct cm_identify_opts *base, unsigned threads,
    struct outcome *o)
{
    static const char empty[1] = "";
    /* fmemopen refuses a zero size: one NUL byte stands for the empty file. */
    FILE *in = len > 0 ? fmemopen((void *)text, len, "r") : fmemopen((void *)empty, 1, "r");
    FILE *out = open_memstream(&o->out, &o->out_len);
    FILE *errors = open_memstream(&o->errors, &o->errors_len);
    if (in == NULL || out == NULL || errors == NULL)
        abort();
    struct cm_identify_opts opts = *base;
    opts.errors = errors;
    opts.threads = threads;
    struct cm_err err = {0};
    o->rc = cm_identify_run(in, out, &opts, &o->st, &err);
    memcpy(o->msg, err.msg, sizeof(o->msg));
    fclose(in);
    fclose(out);
    fclose(errors);
}

static void
same(const struct outcome *a, const struct outcome *b)
{
    if (a->rc != b->rc || a->st.rows != b->st.rows || a->st.patients != b->st.patients ||
        a->st.bad_rows != b->st.bad_rows || a->out_len != b->out_len ||
        memcmp(a->out, b->out, a->out_len) != 0 || a->errors_len != b->errors_len ||
        memcmp(a->errors, b->errors, a->errors_len) != 0 || strcmp(a->msg, b->msg) != 0)
        abort();
}

int
LLVMFuzzerTestOneInput(const uint8_t *data, size_t size)
{
    if (size < 1)
        return 0;
    uint8_t ctl = data[0];
    bool mc = (ctl & 0x80) != 0;
    struct cm_identify_opts base = {
        .icd = mc ? 0 : 10,
        .algorithm = mc ? CM_IDENTIFY_MC_V31 : CM_IDENTIFY_CCC2,
        .mode = CM_IDENTIFY_CODES_NORMALISED,
        .delimiter = ctl & 0x40 ? ',' : 0,
        .max_errors = (ctl & 1) ? SIZE_MAX : 0,
        .input_name = "fuzz",
        .chunk_bytes = (size_t)(ctl & 0x3f) + 1,
    };
    struct outcome one = {0}, two = {0}, three = {0};
    run(data + 1, size - 1, &base, 1, &one);
    run(data + 1, size - 1, &base, 2, &two);
    run(data + 1, size - 1, &base, 3, &three);
    /* A row longer than 64 chunks is refused by a threaded run only (it says so); everything
     * else must agree. */
    if (!(two.rc == CM_EINVAL && strstr(two.msg, "--threads 1") != NULL)) {
        same(&one, &two);
        same(&one, &three);
    }
    free(one.out);
    free(one.errors);
    free(two.out);
    free(two.errors);
    free(three.out);
    free(three.errors);
    return 0;
}
