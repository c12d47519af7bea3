/*
 * Fuzzes the streaming reader of `caremap identify` (TSV and CSV, long and wide formats) end to end
 * through cm_identify_run. The first byte picks the algorithm (ccc2, a medicalcoder variant or
 * PMCA), the code mode, the delimiter (detected, tab or comma), long or wide format, and whether
 * bad rows are tolerated; the rest is the file. Besides "no crash, no leak, no UB" it checks what
 * the run promises: bad rows never exceed rows; a failed run writes nothing; a successful one
 * writes a header and exactly one line per patient.
 */
#include "identify/identify.h"

#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size);

static size_t
lines_of(const char *s, size_t n)
{
    size_t k = 0;
    for (size_t i = 0; i < n; i++)
        k += s[i] == '\n';
    return k;
}

int
LLVMFuzzerTestOneInput(const uint8_t *data, size_t size)
{
    if (size < 1)
        return 0;
    static const enum cm_identify_algorithm algs[] = {
        CM_IDENTIFY_CCC2,   CM_IDENTIFY_MC_V20,    CM_IDENTIFY_MC_V21,   CM_IDENTIFY_MC_V30,
        CM_IDENTIFY_MC_V31, CM_IDENTIFY_PMCA_LESS, CM_IDENTIFY_PMCA_MORE};
    static const char delims[] = {0, '\t', ','};
    uint8_t ctl = data[0];
    FILE *in = fmemopen((void *)(data + 1), size - 1 > 0 ? size - 1 : 1, "r");
    if (size == 1 && in != NULL) {
        fclose(in);
        in = fmemopen((void *)"", 1, "r"); /* fmemopen refuses a zero size: one NUL byte */
    }
    char *outbuf = NULL;
    size_t outlen = 0;
    FILE *out = open_memstream(&outbuf, &outlen);
    FILE *errors = fopen("/dev/null", "w");
    if (in == NULL || out == NULL || errors == NULL)
        abort();
    struct cm_identify_opts o = {
        /* bits 3-5 pick the algorithm (ccc2, medicalcoder v2.0-v3.1, PMCA less and more); 7
         * wraps around to ccc2 */
        .icd = ((ctl >> 3) & 7) >= 1 && ((ctl >> 3) & 7) <= 4 && (ctl & 4) ? 0 : 10,
        .format = ctl & 0x40 ? CM_IDENTIFY_FORMAT_WIDE : CM_IDENTIFY_FORMAT_LONG,
        .mode = ctl & 1 ? CM_IDENTIFY_CODES_NORMALISED : CM_IDENTIFY_CODES_REFERENCE,
        .delimiter = delims[(ctl >> 1) % 3],
        .max_errors = ctl & 0x80 ? SIZE_MAX : 0,
        .input_name = "fuzz",
        .errors = errors,
        .algorithm = algs[((ctl >> 3) & 7) % 7],
    };
    if (o.algorithm == CM_IDENTIFY_CCC2 && o.icd == 0)
        o.icd = 10;
    struct cm_identify_stats st = {0};
    struct cm_err err = {0};
    enum cm_code rc = cm_identify_run(in, out, &o, &st, &err);
    fclose(out);
    fclose(in);
    fclose(errors);
    if (st.bad_rows > st.rows)
        abort();
    if (rc == CM_OK) {
        if (st.bad_rows > o.max_errors || lines_of(outbuf, outlen) != st.patients + 1)
            abort();
    } else if (outlen != 0) {
        abort(); /* a failed run writes nothing */
    }
    free(outbuf);
    return 0;
}
