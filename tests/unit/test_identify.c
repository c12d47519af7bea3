/*
 * identify: CCC v2 as pccc 1.0.6, and CCC v2.0/v2.1/v3.0/v3.1 as medicalcoder 0.6.0.9000. The
 * matcher cases come from the reference README's description of how each package matches
 * (../shared/reference/README.md sections 1 and 2); the end-to-end cases run the synthetic samples
 * (tests/data/identify/) and compare with the packages' own output cell for cell.
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
#include <sodium.h>

#include "identify/identify.h"

enum {
    NEUROMUSC = 1 << 0,
    CVD = 1 << 1,
    RESPIRATORY = 1 << 2,
    RENAL = 1 << 3,
    GI = 1 << 4,
    HEMATO_IMMU = 1 << 5,
    METABOLIC = 1 << 6,
    CONGENI_GENETIC = 1 << 7,
    MALIGNANCY = 1 << 8,
    NEONATAL = 1 << 9,
    TECH_DEP = 1 << 10,
    TRANSPLANT = 1 << 11,
};

/* ---- helpers --------------------------------------------------------------------------------- */

struct fixture {
    struct cm_arena *arena;
    struct cm_identify_ccc2 *icd10;
};

static int
setup(void **state)
{
    struct fixture *f = calloc(1, sizeof(*f));
    assert_non_null(f);
    f->arena = cm_arena_new(64 * 1024 * 1024);
    assert_non_null(f->arena);
    struct cm_err err = {0};
    enum cm_code rc = cm_identify_ccc2_load(10, &f->icd10, f->arena, &err);
    if (rc != CM_OK)
        fail_msg("load: %s", err.msg);
    *state = f;
    return 0;
}

static int
teardown(void **state)
{
    struct fixture *f = *state;
    cm_arena_free(f->arena);
    free(f);
    return 0;
}

static uint16_t
ref(void **state, enum cm_identify_code_type t, const char *code)
{
    struct fixture *f = *state;
    return cm_identify_ccc2_match(f->icd10, t, code, strlen(code), CM_IDENTIFY_CODES_REFERENCE);
}

static uint16_t
norm(void **state, enum cm_identify_code_type t, const char *code)
{
    struct fixture *f = *state;
    return cm_identify_ccc2_match(f->icd10, t, code, strlen(code), CM_IDENTIFY_CODES_NORMALISED);
}

/* The result of one run over text: the output table, the error report and the code. */
struct result {
    enum cm_code rc;
    struct cm_err err;
    struct cm_identify_stats stats;
    char *out;
    char *errors;
};

static struct result
run_format(const char *text, size_t len, const char *name, enum cm_identify_format format,
           enum cm_identify_algorithm alg, int icd, enum cm_identify_codes mode, size_t max_errors,
           char delimiter)
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
        .icd = icd,
        .algorithm = alg,
        .format = format,
        .mode = mode,
        .delimiter = delimiter,
        .max_errors = max_errors,
        .input_name = name,
        .errors = errs,
    };
    r.rc = cm_identify_run(in, out, &o, &r.stats, &r.err);
    fclose(in);
    fclose(out);
    fclose(errs);
    return r;
}

static struct result
run_algo(const char *text, size_t len, const char *name, enum cm_identify_algorithm alg, int icd,
         enum cm_identify_codes mode, size_t max_errors, char delimiter)
{
    return run_format(text, len, name, CM_IDENTIFY_FORMAT_LONG, alg, icd, mode, max_errors,
                      delimiter);
}

/* A wide-format run of CCC v2 (ICD-10) over a string named "in.tsv". */
static struct result
run_wide(const char *text, enum cm_identify_codes mode, size_t max_errors)
{
    return run_format(text, strlen(text), "in.tsv", CM_IDENTIFY_FORMAT_WIDE, CM_IDENTIFY_CCC2, 10,
                      mode, max_errors, 0);
}

static struct result
run_text(const char *text, size_t len, const char *name, enum cm_identify_codes mode,
         size_t max_errors, char delimiter)
{
    return run_algo(text, len, name, CM_IDENTIFY_CCC2, 10, mode, max_errors, delimiter);
}

static struct result
run_str(const char *text, size_t max_errors)
{
    return run_text(text, strlen(text), "in.tsv", CM_IDENTIFY_CODES_REFERENCE, max_errors, 0);
}

static void
result_free(struct result *r)
{
    free(r->out);
    free(r->errors);
}

static const char HEADER[] = "patient_id\tneuromusc\tcvd\trespiratory\trenal\tgi\themato_immu\t"
                             "metabolic\tcongeni_genetic\tmalignancy\tneonatal\ttech_dep\t"
                             "transplant\tccc_flag\n";

/* Compares two TSV tables cell for cell and fails naming the first differing row's patient and
 * column. */
static void
assert_tables_equal(const char *got, const char *want)
{
    const char *g = got, *w = want;
    size_t line = 1;
    while (*g != '\0' || *w != '\0') {
        const char *ge = strchr(g, '\n'), *we = strchr(w, '\n');
        if (ge == NULL || we == NULL)
            fail_msg("line %zu: one table ends early (got %s, want %s)", line,
                     ge == NULL ? "end" : "more", we == NULL ? "end" : "more");
        size_t gl = (size_t)(ge - g), wl = (size_t)(we - w);
        if (gl != wl || memcmp(g, w, gl) != 0) {
            const char *gc = g, *wc = w;
            int col = 0;
            while (gc < ge && wc < we) {
                const char *gt = memchr(gc, '\t', (size_t)(ge - gc));
                const char *wt = memchr(wc, '\t', (size_t)(we - wc));
                size_t gn = gt ? (size_t)(gt - gc) : (size_t)(ge - gc);
                size_t wn = wt ? (size_t)(wt - wc) : (size_t)(we - wc);
                if (gn != wn || memcmp(gc, wc, gn) != 0)
                    break;
                col++;
                gc = gt ? gt + 1 : ge;
                wc = wt ? wt + 1 : we;
            }
            const char *pid_end = memchr(w, '\t', wl);
            int pid_len = (int)(pid_end ? (size_t)(pid_end - w) : wl);
            /* The column's name is the col-th field of the expected header line. */
            const char *name = want;
            for (int k = 0; k < col && name != NULL; k++) {
                name = strpbrk(name, "\t\n");
                name = name != NULL && *name == '\t' ? name + 1 : NULL;
            }
            int name_len = name != NULL ? (int)strcspn(name, "\t\n") : 1;
            fail_msg("line %zu: patient %.*s differs in column %.*s: got '%.*s', want '%.*s'", line,
                     pid_len, w, name_len, name != NULL ? name : "?", (int)gl, g, (int)wl, w);
        }
        g = ge + 1;
        w = we + 1;
        line++;
    }
}

static void
sample_matches_pccc(const char *input, const char *expected)
{
    size_t in_len = 0, want_len = 0;
    char *in = testlib_slurp(input, &in_len);
    char *want = testlib_slurp(expected, &want_len);
    struct result r = run_text(in, in_len, input, CM_IDENTIFY_CODES_REFERENCE, 0, 0);
    if (r.rc != CM_OK)
        fail_msg("%s: %s", input, r.err.msg);
    assert_int_equal(r.stats.bad_rows, 0);
    assert_string_equal(r.errors, "");
    assert_tables_equal(r.out, want);
    result_free(&r);
    free(in);
    free(want);
}

/* ---- the matcher, reference mode (README section 1) ------------------------------------------ */

static void
test_code_with_a_different_last_character_does_not_match_its_neighbour(void **state)
{
    assert_int_equal(ref(state, CM_IDENTIFY_DX, "G809"), 0);
    assert_int_equal(ref(state, CM_IDENTIFY_DX, "G8000"), NEUROMUSC);
}

static void
test_lowercase_leading_space_and_dotted_codes_do_not_match_in_reference_mode(void **state)
{
    assert_int_equal(ref(state, CM_IDENTIFY_DX, "g8000"), 0);
    assert_int_equal(ref(state, CM_IDENTIFY_DX, " G8000"), 0);
    assert_int_equal(ref(state, CM_IDENTIFY_DX, "G80.0"), 0);
}

static void
test_dotted_code_still_matches_a_listed_string_of_three_characters(void **state)
{
    assert_int_equal(ref(state, CM_IDENTIFY_DX, "E75.00"), NEUROMUSC);
}

static void
test_any_code_starting_with_c_is_malignancy(void **state)
{
    assert_int_equal(ref(state, CM_IDENTIFY_DX, "C"), MALIGNANCY);
    assert_int_equal(ref(state, CM_IDENTIFY_DX, "C91.00"), MALIGNANCY);
    assert_int_equal(ref(state, CM_IDENTIFY_DX, "CXYZ"), MALIGNANCY);
    assert_int_equal(ref(state, CM_IDENTIFY_DX, "c910"), 0);
}

static void
test_g80_matches_exactly_and_only_exactly(void **state)
{
    assert_int_equal(ref(state, CM_IDENTIFY_DX, "G80"), NEUROMUSC);
    assert_int_equal(ref(state, CM_IDENTIFY_DX, "G8"), 0);
    assert_int_equal(ref(state, CM_IDENTIFY_DX, "G809"), 0);
    assert_int_equal(ref(state, CM_IDENTIFY_DX, "G80 "), 0);
}

static void
test_one_code_sets_several_columns(void **state)
{
    assert_int_equal(ref(state, CM_IDENTIFY_DX, "Z940"), RENAL | TECH_DEP | TRANSPLANT);
    assert_int_equal(ref(state, CM_IDENTIFY_PC, "02YA0Z0"), CVD | TRANSPLANT);
}

static void
test_some_technology_codes_set_no_body_system(void **state)
{
    assert_int_equal(ref(state, CM_IDENTIFY_DX, "T84019A"), TECH_DEP);
}

static void
test_only_kidney_transplant_status_sets_transplant(void **state)
{
    assert_int_equal(ref(state, CM_IDENTIFY_DX, "Z941") & TRANSPLANT, 0);
    assert_int_equal(ref(state, CM_IDENTIFY_DX, "Z942") & TECH_DEP, TECH_DEP);
}

static void
test_empty_code_never_matches(void **state)
{
    assert_int_equal(ref(state, CM_IDENTIFY_DX, ""), 0);
    assert_int_equal(ref(state, CM_IDENTIFY_PC, ""), 0);
    assert_int_equal(norm(state, CM_IDENTIFY_DX, "   "), 0);
}

static void
test_code_type_selects_the_list(void **state)
{
    /* 02YA0Z0 is a procedure: as a diagnosis it starts with no listed dx string. */
    assert_int_equal(ref(state, CM_IDENTIFY_DX, "02YA0Z0"), 0);
    assert_int_equal(ref(state, CM_IDENTIFY_PC, "G800"), 0);
}

/* ---- the matcher, normalised mode ------------------------------------------------------------ */

static void
test_normalised_mode_trims_upper_cases_and_removes_dots(void **state)
{
    assert_int_equal(norm(state, CM_IDENTIFY_DX, " g80.00 "), NEUROMUSC);
    assert_int_equal(norm(state, CM_IDENTIFY_DX, "g8000"), NEUROMUSC);
    assert_int_equal(norm(state, CM_IDENTIFY_DX, "z94.0"), RENAL | TECH_DEP | TRANSPLANT);
    assert_int_equal(norm(state, CM_IDENTIFY_DX, "g80"), NEUROMUSC);
}

static void
test_normalised_mode_does_not_widen_the_lists(void **state)
{
    /* G80.9 (cerebral palsy, unspecified) is in no pccc list; normalising must not change that. */
    assert_int_equal(norm(state, CM_IDENTIFY_DX, "G80.9"), 0);
    assert_int_equal(norm(state, CM_IDENTIFY_DX, "G8"), 0);
}

/* ---- the lists ------------------------------------------------------------------------------- */

static void
test_embedded_lists_have_the_published_rows_and_checksums(void **state)
{
    (void)state;
    struct cm_identify_list_info info[4];
    size_t n = 0;
    struct cm_err err = {0};
    assert_int_equal(cm_identify_lists(info, 4, &n, &err), CM_OK);
    assert_int_equal(n, 2);
    assert_int_equal(info[0].icd, 10);
    assert_int_equal(info[0].rows, 2429);
    assert_string_equal(info[0].sha256,
                        "bc112eea3dba2ed8d2192beced7fc0f353eaedd66df2274018a1572a21e25f17");
    assert_int_equal(info[1].icd, 9);
    assert_int_equal(info[1].rows, 742);
    assert_string_equal(info[1].sha256,
                        "4e249ac51b1438b6ce00655ce4b42e4f710539f176c7a9f7bf5ecd8e5afe6f67");
}

static void
test_icd9_list_loads_with_its_exact_rows(void **state)
{
    struct fixture *f = *state;
    struct cm_identify_ccc2 *m = NULL;
    struct cm_err err = {0};
    assert_int_equal(cm_identify_ccc2_load(9, &m, f->arena, &err), CM_OK);
    /* ICD-9 dx 359 is one of the few exact rows (neuromusc). */
    assert_int_equal(
        cm_identify_ccc2_match(m, CM_IDENTIFY_DX, "359", 3, CM_IDENTIFY_CODES_REFERENCE),
        NEUROMUSC);
    assert_int_equal(cm_identify_ccc2_load(11, &m, f->arena, &err), CM_ENOTFOUND);
}

static void
expect_list_error(void **state, const char *text, const char *msg)
{
    struct fixture *f = *state;
    struct cm_identify_ccc2 *m = NULL;
    struct cm_err err = {0};
    assert_int_equal(cm_identify_ccc2_parse("t.tsv", text, strlen(text), &m, f->arena, &err),
                     CM_EINVAL);
    assert_string_equal(err.msg, msg);
}

#define LH "category\tcategory_label\tcode_type\tmatch\tcode\tis_flag_only\n"

static void
test_malformed_list_is_rejected_naming_its_line(void **state)
{
    expect_list_error(state, "cat\tx\n", "t.tsv:1: unexpected header");
    expect_list_error(state, LH "cvd\tC\tdx\tprefix\tI42\n", "t.tsv:2: expected 6 columns");
    expect_list_error(state, LH "cvd\tC\tdx\tprefix\tI42\t0\nheart\tH\tdx\tprefix\tI42\t0\n",
                      "t.tsv:3: unknown category");
    expect_list_error(state, LH "cvd\tC\tpx\tprefix\tI42\t0\n",
                      "t.tsv:2: code_type must be dx or pc");
    expect_list_error(state, LH "cvd\tC\tdx\tstarts\tI42\t0\n",
                      "t.tsv:2: match must be prefix or exact");
    expect_list_error(state, LH "cvd\tC\tdx\tprefix\ti42\t0\n",
                      "t.tsv:2: code must be upper-case letters and digits");
    expect_list_error(state, LH "cvd\tC\tdx\tprefix\t\t0\n",
                      "t.tsv:2: code must be 1 to 16 characters");
    expect_list_error(state, LH "cvd\tC\tdx\tprefix\tI42\tyes\n",
                      "t.tsv:2: is_flag_only must be 0 or 1");
    expect_list_error(state, LH, "t.tsv: no rows");
}

static void
test_small_list_merges_categories_of_one_string(void **state)
{
    struct fixture *f = *state;
    const char *text = LH "renal\tR\tdx\tprefix\tZ940\t0\ntransplant\tT\tdx\tprefix\tZ940\t1\n"
                          "neuromusc\tN\tdx\texact\tG80\t0\nneuromusc\tN\tdx\tprefix\tG800\t0";
    struct cm_identify_ccc2 *m = NULL;
    struct cm_err err = {0};
    assert_int_equal(cm_identify_ccc2_parse("t.tsv", text, strlen(text), &m, f->arena, &err),
                     CM_OK);
    assert_int_equal(cm_identify_ccc2_match(m, CM_IDENTIFY_DX, "Z9401", 5, 0), RENAL | TRANSPLANT);
    assert_int_equal(cm_identify_ccc2_match(m, CM_IDENTIFY_DX, "G80", 3, 0), NEUROMUSC);
    assert_int_equal(cm_identify_ccc2_match(m, CM_IDENTIFY_DX, "G801", 4, 0), 0);
    assert_int_equal(cm_identify_ccc2_match(m, CM_IDENTIFY_DX, "G8001", 5, 0), NEUROMUSC);
}

/* ---- the run: good input --------------------------------------------------------------------- */

static void
test_patients_are_written_in_order_of_first_appearance(void **state)
{
    (void)state;
    struct result r =
        run_str("patient_id\tcode_type\tcode\nB\tdx\tJ00\nA\tdx\tG800\nB\tpc\t02YA0Z0\n"
                "C\tdx\t\n",
                0);
    assert_int_equal(r.rc, CM_OK);
    char want[1024];
    snprintf(want, sizeof(want), "%s%s%s%s", HEADER, "B\t0\t1\t0\t0\t0\t0\t0\t0\t0\t0\t0\t1\t1\n",
             "A\t1\t0\t0\t0\t0\t0\t0\t0\t0\t0\t0\t0\t1\n",
             "C\t0\t0\t0\t0\t0\t0\t0\t0\t0\t0\t0\t0\t0\n");
    assert_string_equal(r.out, want);
    assert_int_equal(r.stats.rows, 4);
    assert_int_equal(r.stats.patients, 3);
    result_free(&r);
}

static void
test_technology_dependence_alone_sets_ccc_flag(void **state)
{
    (void)state;
    struct result r = run_str("patient_id\tcode_type\tcode\nP\tdx\tT84019A\n", 0);
    assert_int_equal(r.rc, CM_OK);
    assert_non_null(strstr(r.out, "\nP\t0\t0\t0\t0\t0\t0\t0\t0\t0\t0\t1\t0\t1\n"));
    result_free(&r);
}

static void
test_reference_mode_keeps_a_leading_space_in_the_code(void **state)
{
    (void)state;
    struct result r = run_str("patient_id\tcode_type\tcode\nP\tdx\t G8000\n", 0);
    assert_int_equal(r.rc, CM_OK);
    assert_non_null(strstr(r.out, "\nP\t0\t0\t0\t0\t0\t0\t0\t0\t0\t0\t0\t0\t0\n"));
    result_free(&r);
    const char *t = "patient_id\tcode_type\tcode\nP\tdx\t G8000\n";
    r = run_text(t, strlen(t), "in.tsv", CM_IDENTIFY_CODES_NORMALISED, 0, 0);
    assert_int_equal(r.rc, CM_OK);
    assert_non_null(strstr(r.out, "\nP\t1\t0\t0\t0\t0\t0\t0\t0\t0\t0\t0\t0\t1\n"));
    result_free(&r);
}

static void
test_csv_is_detected_and_quotes_are_read(void **state)
{
    (void)state;
    const char *t = "patient_id,code_type,code\r\n\"P,1\",dx,\"G800\"\r\n\"Q\"\"2\",pc,02YA0Z0\r\n";
    struct result r = run_text(t, strlen(t), "in.csv", CM_IDENTIFY_CODES_REFERENCE, 0, 0);
    if (r.rc != CM_OK)
        fail_msg("%s / %s", r.err.msg, r.errors);
    assert_non_null(strstr(r.out, "\nP,1\t1\t0\t0\t0\t0\t0\t0\t0\t0\t0\t0\t0\t1\n"));
    assert_non_null(strstr(r.out, "\nQ\"2\t0\t1\t0\t0\t0\t0\t0\t0\t0\t0\t0\t1\t1\n"));
    result_free(&r);
}

static void
test_tsv_with_crlf_line_endings_matches_like_lf(void **state)
{
    (void)state;
    struct result r = run_str("patient_id\tcode_type\tcode\r\nP\tdx\tG80\r\n", 0);
    assert_int_equal(r.rc, CM_OK);
    assert_non_null(strstr(r.out, "\nP\t1\t0\t0\t0\t0\t0\t0\t0\t0\t0\t0\t0\t1\n"));
    result_free(&r);
}

static void
test_delimiter_option_overrides_detection(void **state)
{
    (void)state;
    /* A comma inside a TSV code is data, not a separator, when the delimiter is forced. */
    const char *t = "patient_id\tcode_type\tcode\nP\tdx\tG80,1\n";
    struct result r = run_text(t, strlen(t), "in", CM_IDENTIFY_CODES_REFERENCE, 0, '\t');
    assert_int_equal(r.rc, CM_OK);
    assert_int_equal(r.stats.patients, 1);
    result_free(&r);
    r = run_text(t, strlen(t), "in", CM_IDENTIFY_CODES_REFERENCE, 0, ',');
    assert_int_equal(r.rc, CM_EINVAL);
    assert_string_equal(r.err.msg,
                        "in:1: header must be the 3 columns patient_id, code_type, code");
    result_free(&r);
}

/* ---- the run: bad input ---------------------------------------------------------------------- */

static void
expect_row_error(const char *row, const char *report)
{
    char text[512];
    snprintf(text, sizeof(text), "patient_id\tcode_type\tcode\nOK\tdx\tG80\n%s\n", row);
    struct result r = run_str(text, 0);
    assert_int_equal(r.rc, CM_EINVAL);
    assert_string_equal(r.errors, report);
    assert_string_equal(r.out, "");
    assert_int_equal(r.stats.bad_rows, 1);
    result_free(&r);
}

static void
test_each_malformed_row_is_reported_with_file_and_line(void **state)
{
    (void)state;
    expect_row_error("P\tdx",
                     "in.tsv:3: expected 3 columns (patient_id, code_type, code), got 2\n");
    expect_row_error("P\tdx\tG80\tx",
                     "in.tsv:3: expected 3 columns (patient_id, code_type, code), got 4\n");
    expect_row_error("\tdx\tG80", "in.tsv:3: empty patient_id\n");
    expect_row_error("P\tDX\tG80", "in.tsv:3: code_type must be dx or pc\n");
    expect_row_error("P\tdx\tG8\xff", "in.tsv:3: code is not valid UTF-8\n");
    expect_row_error("P\xc3\tdx\tG80", "in.tsv:3: patient_id is not valid UTF-8\n");
    expect_row_error("", "in.tsv:3: empty line\n");
    char row[300];
    memset(row, 'X', sizeof(row));
    memcpy(row, "P\tdx\t", 5);
    row[5 + 65] = '\0';
    expect_row_error(row, "in.tsv:3: code longer than 64 bytes\n");
    row[5 + 64] = '\0';
    char text[512];
    snprintf(text, sizeof(text), "patient_id\tcode_type\tcode\n%s\n", row);
    struct result ok = run_str(text, 0);
    assert_int_equal(ok.rc, CM_OK); /* exactly 64 bytes is allowed */
    result_free(&ok);
    memset(row, 'P', 129);
    memcpy(row + 129, "\tdx\tG80", 8);
    expect_row_error(row, "in.tsv:3: patient_id longer than 128 bytes\n");
}

static void
test_csv_quoting_errors_are_reported(void **state)
{
    (void)state;
    const char *t = "patient_id,code_type,code\nP,dx,\"G80\"x\nQ,dx,G\"80\nR,dx,\"G80\n";
    struct result r = run_text(t, strlen(t), "in.csv", CM_IDENTIFY_CODES_REFERENCE, 0, 0);
    assert_int_equal(r.rc, CM_EINVAL);
    assert_string_equal(r.errors, "in.csv:2: text after a closing quote\n"
                                  "in.csv:3: quote inside an unquoted field\n"
                                  "in.csv:4: unterminated quoted field\n");
    result_free(&r);
}

static void
test_stdin_is_named_in_reports(void **state)
{
    (void)state;
    const char *t = "patient_id\tcode_type\tcode\nP\tzz\tG80\n";
    struct result r = run_text(t, strlen(t), "-", CM_IDENTIFY_CODES_REFERENCE, 0, 0);
    assert_string_equal(r.errors, "<stdin>:2: code_type must be dx or pc\n");
    result_free(&r);
}

static void
test_max_errors_lets_the_run_finish_and_still_report(void **state)
{
    (void)state;
    const char *t = "patient_id\tcode_type\tcode\nP\tzz\tG80\nQ\tdx\tG80\n";
    struct result r = run_str(t, 1);
    assert_int_equal(r.rc, CM_OK);
    assert_string_equal(r.errors, "in.tsv:2: code_type must be dx or pc\n");
    assert_int_equal(r.stats.bad_rows, 1);
    assert_int_equal(r.stats.patients, 1);
    assert_non_null(strstr(r.out, "\nQ\t1\t"));
    result_free(&r);
}

static void
test_only_the_first_twenty_errors_are_printed_and_the_rest_counted(void **state)
{
    (void)state;
    char text[4096];
    size_t n = (size_t)snprintf(text, sizeof(text), "patient_id\tcode_type\tcode\n");
    for (int i = 0; i < 25; i++)
        n += (size_t)snprintf(text + n, sizeof(text) - n, "P\tdx\n");
    struct result r = run_str(text, 0);
    assert_int_equal(r.rc, CM_EINVAL);
    assert_int_equal(r.stats.bad_rows, 25);
    assert_string_equal(
        r.err.msg, "25 malformed rows in in.tsv (more than --max-errors 0); no output written");
    assert_non_null(strstr(r.errors, "in.tsv:21: expected"));
    assert_null(strstr(r.errors, "in.tsv:22: expected"));
    assert_non_null(strstr(r.errors, "5 more malformed rows in in.tsv not shown\n"));
    result_free(&r);
}

static void
test_wrong_or_missing_header_is_rejected(void **state)
{
    (void)state;
    struct result r = run_str("id\tcode_type\tcode\nP\tdx\tG80\n", 100);
    assert_int_equal(r.rc, CM_EINVAL);
    assert_string_equal(r.err.field, "input");
    assert_string_equal(r.err.msg,
                        "in.tsv:1: header must be the 3 columns patient_id, code_type, code");
    assert_string_equal(r.out, "");
    result_free(&r);
    r = run_str("", 0);
    assert_int_equal(r.rc, CM_EINVAL);
    assert_string_equal(r.err.msg,
                        "in.tsv: empty input, expected the header patient_id, code_type, code");
    result_free(&r);
}

/* ---- the samples, end to end ----------------------------------------------------------------- */

static void
test_sample_of_2000_patients_matches_pccc_cell_for_cell(void **state)
{
    (void)state;
    sample_matches_pccc("tests/data/identify/ccc_sample_input_long.tsv",
                        "tests/data/identify/ccc_sample_pccc_1.0.6_output.tsv");
}

static void
test_every_listed_code_matches_pccc_cell_for_cell(void **state)
{
    (void)state;
    sample_matches_pccc("tests/data/identify/ccc_listed_codes_input_long.tsv",
                        "tests/data/identify/ccc_listed_codes_pccc_1.0.6_output.tsv");
}

/* ---- CCC v2.0 / v2.1 / v3.0 / v3.1 as medicalcoder (README section 2) ------------------------ */

/* Condition bits in medicalcoder's (alphabetical) order. */
enum {
    MC_CONGENI_GENETIC = 1 << 0,
    MC_CVD = 1 << 1,
    MC_GI = 1 << 2,
    MC_HEMATO_IMMU = 1 << 3,
    MC_MALIGNANCY = 1 << 4,
    MC_METABOLIC = 1 << 5,
    MC_MISC = 1 << 6,
    MC_NEONATAL = 1 << 7,
    MC_NEUROMUSC = 1 << 8,
    MC_RENAL = 1 << 9,
    MC_RESPIRATORY = 1 << 10,
};

static struct cm_identify_mc_hit
mc_match(enum cm_identify_algorithm alg, int icd, enum cm_identify_code_type t, const char *code,
         enum cm_identify_codes mode)
{
    struct cm_arena *a = cm_arena_new(64 * 1024 * 1024);
    assert_non_null(a);
    struct cm_identify_mc *m = NULL;
    struct cm_err err = {0};
    if (cm_identify_mc_load(alg, icd, &m, a, &err) != CM_OK)
        fail_msg("load: %s", err.msg);
    struct cm_identify_mc_hit h = cm_identify_mc_match(m, t, code, strlen(code), mode);
    cm_arena_free(a);
    return h;
}

/* All the conditions a code sets, technology or not. */
static unsigned
mc_ref(enum cm_identify_algorithm alg, enum cm_identify_code_type t, const char *code)
{
    struct cm_identify_mc_hit h = mc_match(alg, 10, t, code, CM_IDENTIFY_CODES_REFERENCE);
    return h.dxpr | h.tech;
}

static void
test_mc_dotted_and_undotted_codes_both_match(void **state)
{
    (void)state;
    assert_int_equal(mc_ref(CM_IDENTIFY_MC_V31, CM_IDENTIFY_DX, "G80.0"), MC_NEUROMUSC);
    assert_int_equal(mc_ref(CM_IDENTIFY_MC_V31, CM_IDENTIFY_DX, "G800"), MC_NEUROMUSC);
    assert_int_equal(mc_ref(CM_IDENTIFY_MC_V20, CM_IDENTIFY_DX, "T84.019A"), MC_MISC);
    assert_int_equal(mc_ref(CM_IDENTIFY_MC_V20, CM_IDENTIFY_DX, "T84019A"), MC_MISC);
}

static void
test_mc_matches_by_equality_not_by_prefix(void **state)
{
    (void)state;
    /* G800 is listed; a longer code starting with it, or a shorter one, is not. */
    assert_int_equal(mc_ref(CM_IDENTIFY_MC_V31, CM_IDENTIFY_DX, "G8001"), 0);
    assert_int_equal(mc_ref(CM_IDENTIFY_MC_V31, CM_IDENTIFY_DX, "G8"), 0);
    /* G80 itself is listed in v2.x only. */
    assert_int_equal(mc_ref(CM_IDENTIFY_MC_V20, CM_IDENTIFY_DX, "G80"), MC_NEUROMUSC);
    assert_int_equal(mc_ref(CM_IDENTIFY_MC_V31, CM_IDENTIFY_DX, "G80"), 0);
    assert_int_equal(mc_ref(CM_IDENTIFY_MC_V31, CM_IDENTIFY_DX, ""), 0);
}

static void
test_mc_lowercase_and_padded_codes_do_not_match_in_reference_mode(void **state)
{
    (void)state;
    assert_int_equal(mc_ref(CM_IDENTIFY_MC_V31, CM_IDENTIFY_DX, "g80.0"), 0);
    assert_int_equal(mc_ref(CM_IDENTIFY_MC_V31, CM_IDENTIFY_DX, "g800"), 0);
    assert_int_equal(mc_ref(CM_IDENTIFY_MC_V31, CM_IDENTIFY_DX, " G800"), 0);
    assert_int_equal(mc_ref(CM_IDENTIFY_MC_V31, CM_IDENTIFY_DX, "G800 "), 0);
}

static void
test_mc_normalised_mode_trims_and_upper_cases_keeping_dots(void **state)
{
    (void)state;
    struct cm_identify_mc_hit h =
        mc_match(CM_IDENTIFY_MC_V31, 10, CM_IDENTIFY_DX, " g80.0 ", CM_IDENTIFY_CODES_NORMALISED);
    assert_int_equal(h.dxpr, MC_NEUROMUSC);
    h = mc_match(CM_IDENTIFY_MC_V31, 10, CM_IDENTIFY_DX, "g800", CM_IDENTIFY_CODES_NORMALISED);
    assert_int_equal(h.dxpr, MC_NEUROMUSC);
    /* Still no prefixes: normalising does not widen the list. */
    h = mc_match(CM_IDENTIFY_MC_V31, 10, CM_IDENTIFY_DX, "g80.01", CM_IDENTIFY_CODES_NORMALISED);
    assert_int_equal(h.dxpr | h.tech, 0);
}

static void
test_mc_variant_selects_the_rows(void **state)
{
    (void)state;
    /* E75.00: metabolic in every variant; neuromuscular too in v3.1 and v2.x, not in v3.0. */
    assert_int_equal(mc_ref(CM_IDENTIFY_MC_V31, CM_IDENTIFY_DX, "E75.00"),
                     MC_METABOLIC | MC_NEUROMUSC);
    assert_int_equal(mc_ref(CM_IDENTIFY_MC_V30, CM_IDENTIFY_DX, "E75.00"), MC_METABOLIC);
}

static void
test_mc_code_type_and_icd_version_select_the_rows(void **state)
{
    (void)state;
    /* G800 is a diagnosis: as a procedure it is nothing. */
    assert_int_equal(mc_ref(CM_IDENTIFY_MC_V31, CM_IDENTIFY_PC, "G800"), 0);
    /* V56 is ICD-9 (renal dialysis): found with both versions (0) or ICD-9, not ICD-10 alone. */
    struct cm_identify_mc_hit h =
        mc_match(CM_IDENTIFY_MC_V20, 0, CM_IDENTIFY_DX, "V56", CM_IDENTIFY_CODES_REFERENCE);
    assert_int_equal(h.tech, MC_RENAL);
    h = mc_match(CM_IDENTIFY_MC_V20, 9, CM_IDENTIFY_DX, "V56", CM_IDENTIFY_CODES_REFERENCE);
    assert_int_equal(h.tech, MC_RENAL);
    h = mc_match(CM_IDENTIFY_MC_V20, 10, CM_IDENTIFY_DX, "V56", CM_IDENTIFY_CODES_REFERENCE);
    assert_int_equal(h.tech | h.dxpr, 0);
}

/* The row medicalcoder writes for a patient whose hits combine to h, without the id. */
static char *
mc_row(enum cm_identify_algorithm alg, struct cm_identify_mc_hit h)
{
    char *buf = NULL;
    size_t len = 0;
    FILE *out = open_memstream(&buf, &len);
    assert_non_null(out);
    cm_identify_mc_write_row(alg, &h, "P", 1, out);
    fclose(out);
    return buf;
}

/* The v3 cells of condition bit i (dxpr_only, tech_only, dxpr_and_tech, dxpr_or_tech) and the
 * four summary cells, read back from a row. */
struct v3_cells {
    char cond[CM_MC_CONDITIONS][4];
    char any_tech, any_transplant;
    int num;
    char flag;
};

static struct v3_cells
v3_parse(const char *row)
{
    struct v3_cells c = {0};
    const char *p = strchr(row, '\t');
    assert_non_null(p);
    for (int i = 0; i < CM_MC_CONDITIONS; i++) {
        for (int k = 0; k < 4; k++) {
            assert_true(p[0] == '\t');
            c.cond[i][k] = p[1];
            p += 2;
        }
    }
    assert_int_equal(
        sscanf(p, "\t%c\t%c\t%d\t%c\n", &c.any_tech, &c.any_transplant, &c.num, &c.flag), 4);
    return c;
}

static void
test_v3_technology_dependence_alone_counts_for_nothing(void **state)
{
    (void)state;
    struct cm_identify_mc_hit h = {.tech = MC_RESPIRATORY | MC_GI, .flags = CM_MC_ANY_TECH};
    char *row = mc_row(CM_IDENTIFY_MC_V31, h);
    struct v3_cells c = v3_parse(row);
    for (int i = 0; i < CM_MC_CONDITIONS; i++)
        assert_memory_equal(c.cond[i], "0000", 4);
    assert_int_equal(c.any_tech, '0');
    assert_int_equal(c.num, 0);
    assert_int_equal(c.flag, '0');
    free(row);
}

static void
test_v3_technology_beside_another_condition_counts(void **state)
{
    (void)state;
    /* A respiratory technology code and a neuromuscular diagnosis. */
    struct cm_identify_mc_hit h = {
        .tech = MC_RESPIRATORY, .dxpr = MC_NEUROMUSC, .flags = CM_MC_ANY_TECH};
    char *row = mc_row(CM_IDENTIFY_MC_V30, h);
    struct v3_cells c = v3_parse(row);
    assert_memory_equal(c.cond[10], "0101", 4); /* respiratory: tech_only, dxpr_or_tech */
    assert_memory_equal(c.cond[8], "1001", 4);  /* neuromusc: dxpr_only, dxpr_or_tech */
    assert_int_equal(c.any_tech, '1');
    assert_int_equal(c.num, 2);
    assert_int_equal(c.flag, '1');
    free(row);
}

static void
test_v3_diagnosis_and_technology_of_one_condition_is_dxpr_and_tech(void **state)
{
    (void)state;
    struct cm_identify_mc_hit h = {
        .tech = MC_RESPIRATORY, .dxpr = MC_RESPIRATORY, .flags = CM_MC_ANY_TECH};
    char *row = mc_row(CM_IDENTIFY_MC_V31, h);
    struct v3_cells c = v3_parse(row);
    assert_memory_equal(c.cond[10], "0011", 4);
    assert_int_equal(c.num, 1);
    free(row);
}

static void
test_v3_technology_with_transplant_counts_alone(void **state)
{
    (void)state;
    /* techtrans: a code with both flags keeps itself and every other tech code. */
    struct cm_identify_mc_hit h = {.tech = MC_CVD | MC_GI,
                                   .techtrans = MC_CVD,
                                   .flags = CM_MC_ANY_TECH | CM_MC_ANY_TRANSPLANT};
    char *row = mc_row(CM_IDENTIFY_MC_V31, h);
    struct v3_cells c = v3_parse(row);
    assert_memory_equal(c.cond[1], "0101", 4);
    assert_memory_equal(c.cond[2], "0101", 4);
    assert_int_equal(c.any_tech, '1');
    assert_int_equal(c.any_transplant, '1');
    assert_int_equal(c.num, 2);
    free(row);
}

static void
test_v3_transplant_is_reported_even_when_technology_is_cleared(void **state)
{
    (void)state;
    /* A transplant code without the technology flag is a dxpr code; any_transplant comes from the
     * flag, not from the zeroing. */
    struct cm_identify_mc_hit h = {.dxpr = MC_RENAL, .flags = CM_MC_ANY_TRANSPLANT};
    char *row = mc_row(CM_IDENTIFY_MC_V31, h);
    struct v3_cells c = v3_parse(row);
    assert_memory_equal(c.cond[9], "1001", 4);
    assert_int_equal(c.any_transplant, '1');
    assert_int_equal(c.any_tech, '0');
    free(row);
}

static void
test_v2_counts_technology_alone_and_has_a_misc_column(void **state)
{
    (void)state;
    struct result r = run_algo("patient_id\tcode_type\tcode\nP\tdx\tT84019A\n", 38, "in.tsv",
                               CM_IDENTIFY_MC_V20, 10, CM_IDENTIFY_CODES_REFERENCE, 0, 0);
    assert_int_equal(r.rc, CM_OK);
    assert_string_equal(r.out, "patient_id\tcongeni_genetic\tcvd\tgi\themato_immu\tmalignancy\t"
                               "metabolic\tmisc\tneonatal\tneuromusc\trenal\trespiratory\t"
                               "any_tech_dep\tany_transplant\tnum_cmrb\tcmrb_flag\n"
                               "P\t0\t0\t0\t0\t0\t0\t1\t0\t0\t0\t0\t1\t0\t1\t1\n");
    result_free(&r);
}

static void
test_mc_rows_are_sorted_by_patient_id_and_empty_patients_are_zeros(void **state)
{
    (void)state;
    const char *in = "patient_id\tcode_type\tcode\nB\tdx\tG80.0\nA\tdx\t\nAB\tdx\tE75.00\n"
                     "B\tdx\tZ99.11\n";
    struct result r = run_algo(in, strlen(in), "in.tsv", CM_IDENTIFY_MC_V21, 10,
                               CM_IDENTIFY_CODES_REFERENCE, 0, 0);
    assert_int_equal(r.rc, CM_OK);
    const char *a = strstr(r.out, "\nA\t"), *ab = strstr(r.out, "\nAB\t"),
               *b = strstr(r.out, "\nB\t");
    assert_non_null(a);
    assert_non_null(ab);
    assert_non_null(b);
    assert_true(a < ab && ab < b);
    assert_non_null(strstr(r.out, "\nA\t0\t0\t0\t0\t0\t0\t0\t0\t0\t0\t0\t0\t0\t0\t0\n"));
    /* v2.1: B has neuromuscular and respiratory technology: 2 conditions. */
    assert_non_null(strstr(r.out, "\nB\t0\t0\t0\t0\t0\t0\t0\t0\t1\t0\t1\t1\t0\t2\t1\n"));
    assert_int_equal(r.stats.patients, 3);
    result_free(&r);
}

static void
test_mc_parse_rejects_a_malformed_table_naming_its_line(void **state)
{
    (void)state;
    static const char H[] = "icdv\tdx\tfull_code\tcode\tcondition\tsubcondition\ttransplant_flag\t"
                            "tech_dep_flag\tpccc_v3.1\tpccc_v3.0\tpccc_v2.1\tpccc_v2.0\n";
    static const struct {
        const char *row, *msg;
    } cases[] = {
        {"10\t1\tG80.0\tG800\tneuromusc\tx\t0\t0\t1\t1\t1\n", "t.tsv:2: expected 12 columns"},
        {"11\t1\tG80.0\tG800\tneuromusc\tx\t0\t0\t1\t1\t1\t1\n", "t.tsv:2: icdv must be 9 or 10"},
        {"10\t1\tg80.0\tG800\tneuromusc\tx\t0\t0\t1\t1\t1\t1\n",
         "t.tsv:2: codes must be 1 to 16 upper-case letters, digits or dots"},
        {"10\t1\tG80.0\tG800\tbrain\tx\t0\t0\t1\t1\t1\t1\n", "t.tsv:2: unknown condition"},
        {"10\t1\tG80.0\tG800\tneuromusc\tx\t0\t2\t1\t1\t1\t1\n", "t.tsv:2: flags must be 0 or 1"},
    };
    for (size_t i = 0; i < sizeof(cases) / sizeof(cases[0]); i++) {
        char text[512];
        snprintf(text, sizeof(text), "%s%s", H, cases[i].row);
        struct cm_arena *a = cm_arena_new(1 << 20);
        assert_non_null(a);
        struct cm_identify_mc *m = NULL;
        struct cm_err err = {0};
        assert_int_equal(
            cm_identify_mc_parse("t.tsv", text, strlen(text), CM_IDENTIFY_MC_V31, 10, &m, a, &err),
            CM_EINVAL);
        assert_string_equal(err.msg, cases[i].msg);
        cm_arena_free(a);
    }
}

static void
test_mc_table_is_embedded_with_its_published_checksum(void **state)
{
    (void)state;
    struct cm_identify_list_info info = {0};
    struct cm_err err = {0};
    assert_int_equal(cm_identify_mc_list(&info, &err), CM_OK);
    assert_int_equal(info.rows, 7913);
    assert_string_equal(info.sha256,
                        "bb9f46f11778d179e1319ee3bc1835ef73b3d678de526e8a173c083be16808a4");
}

static void
sample_matches_medicalcoder(enum cm_identify_algorithm alg, const char *expected)
{
    const char *input = "tests/data/identify/ccc_sample_input_long.tsv";
    size_t in_len = 0, want_len = 0;
    char *in = testlib_slurp(input, &in_len);
    char *want = testlib_slurp(expected, &want_len);
    /* icd 0: medicalcoder was called without icdv, so ICD-9 codes such as V56 match too. */
    struct result r = run_algo(in, in_len, input, alg, 0, CM_IDENTIFY_CODES_REFERENCE, 0, 0);
    if (r.rc != CM_OK)
        fail_msg("%s: %s", input, r.err.msg);
    assert_int_equal(r.stats.bad_rows, 0);
    assert_tables_equal(r.out, want);
    result_free(&r);
    free(in);
    free(want);
}

static void
test_sample_matches_medicalcoder_v2_0_cell_for_cell(void **state)
{
    (void)state;
    sample_matches_medicalcoder(CM_IDENTIFY_MC_V20,
                                "tests/data/identify/ccc_sample_medicalcoder_pccc_v2.0_output.tsv");
}

static void
test_sample_matches_medicalcoder_v2_1_cell_for_cell(void **state)
{
    (void)state;
    sample_matches_medicalcoder(CM_IDENTIFY_MC_V21,
                                "tests/data/identify/ccc_sample_medicalcoder_pccc_v2.1_output.tsv");
}

static void
test_sample_matches_medicalcoder_v3_0_cell_for_cell(void **state)
{
    (void)state;
    sample_matches_medicalcoder(CM_IDENTIFY_MC_V30,
                                "tests/data/identify/ccc_sample_medicalcoder_pccc_v3.0_output.tsv");
}

static void
test_sample_matches_medicalcoder_v3_1_cell_for_cell(void **state)
{
    (void)state;
    sample_matches_medicalcoder(CM_IDENTIFY_MC_V31,
                                "tests/data/identify/ccc_sample_medicalcoder_pccc_v3.1_output.tsv");
}

/* ---- wide format ----------------------------------------------------------------------------- */

static void
test_wide_rows_give_the_same_table_as_long_rows(void **state)
{
    (void)state;
    const char *wide = "patient_id\tdx1\tdx2\tpc1\n"
                       "P1\tG8000\t\t\n"
                       "P2\t\t\t02YA0Z0\n"
                       "P3\tQ000\tZ940\t\n";
    const char *lng = "patient_id\tcode_type\tcode\n"
                      "P1\tdx\tG8000\n"
                      "P2\tpc\t02YA0Z0\n"
                      "P3\tdx\tQ000\nP3\tdx\tZ940\n";
    struct result w = run_wide(wide, CM_IDENTIFY_CODES_REFERENCE, 0);
    struct result l = run_str(lng, 0);
    assert_int_equal(w.rc, CM_OK);
    assert_int_equal(l.rc, CM_OK);
    assert_int_equal(w.stats.rows, 3);
    assert_int_equal(w.stats.patients, 3);
    assert_string_equal(w.out, l.out);
    /* P3 is neuromusc (Q000, anencephaly) and renal/tech_dep/transplant (Z940): every cell of
     * the row counted. */
    assert_non_null(strstr(w.out, "P3\t1\t0\t0\t1\t0\t0\t0\t0\t0\t0\t1\t1\t1\n"));
    result_free(&w);
    result_free(&l);
}

static void
test_wide_empty_cells_are_no_codes_and_a_row_of_them_is_a_patient_of_zeros(void **state)
{
    (void)state;
    struct result r = run_wide("patient_id\tdx1\tdx2\tpc1\n"
                               "P1\t\t\t\n"
                               "P2\t\tG8000\t\n",
                               CM_IDENTIFY_CODES_REFERENCE, 0);
    assert_int_equal(r.rc, CM_OK);
    assert_string_equal(r.errors, "");
    assert_non_null(strstr(r.out, "\nP1\t0\t0\t0\t0\t0\t0\t0\t0\t0\t0\t0\t0\t0\n"));
    assert_non_null(strstr(r.out, "\nP2\t1\t0\t0\t0\t0\t0\t0\t0\t0\t0\t0\t0\t1\n"));
    result_free(&r);
}

static void
test_wide_cells_are_not_trimmed_in_reference_mode(void **state)
{
    (void)state;
    const char *text = "patient_id\tdx1\n P1\t G8000\n";
    struct result r = run_wide(text, CM_IDENTIFY_CODES_REFERENCE, 0);
    assert_int_equal(r.rc, CM_OK);
    /* Neither the id nor the code is trimmed: " G8000" is a code that matches nothing. */
    assert_non_null(strstr(r.out, "\n P1\t0\t0\t0\t0\t0\t0\t0\t0\t0\t0\t0\t0\t0\n"));
    result_free(&r);
    r = run_wide(text, CM_IDENTIFY_CODES_NORMALISED, 0);
    assert_int_equal(r.rc, CM_OK);
    assert_non_null(strstr(r.out, "\n P1\t1\t"));
    result_free(&r);
}

static void
test_wide_columns_may_come_in_any_order_and_only_their_type_counts(void **state)
{
    (void)state;
    /* 02YA0Z0 under pc7 is a procedure (cvd, transplant); under dx2 it would match nothing. */
    struct result r = run_wide("patient_id\tpc7\tdx2\n"
                               "P1\t02YA0Z0\t\n"
                               "P2\t\t02YA0Z0\n",
                               CM_IDENTIFY_CODES_REFERENCE, 0);
    assert_int_equal(r.rc, CM_OK);
    assert_non_null(strstr(r.out, "\nP1\t0\t1\t0\t0\t0\t0\t0\t0\t0\t0\t0\t1\t1\n"));
    assert_non_null(strstr(r.out, "\nP2\t0\t0\t0\t0\t0\t0\t0\t0\t0\t0\t0\t0\t0\n"));
    result_free(&r);
}

static void
test_wide_csv_is_detected_and_quoted_cells_are_read(void **state)
{
    (void)state;
    struct result r = run_wide("patient_id,dx1,pc1\r\n"
                               "\"P,1\",\"G8000\",\r\n"
                               "P2,,\"02YA0Z0\"\r\n",
                               CM_IDENTIFY_CODES_REFERENCE, 0);
    assert_int_equal(r.rc, CM_OK);
    assert_string_equal(r.errors, "");
    assert_non_null(strstr(r.out, "\nP,1\t1\t"));
    assert_non_null(strstr(r.out, "\nP2\t0\t1\t0\t0\t0\t0\t0\t0\t0\t0\t0\t1\t1\n"));
    result_free(&r);
}

/* The run's error for a one-line header, which must fail the run as bad input. */
static void
assert_wide_header_fails(const char *text, const char *message)
{
    struct result r = run_wide(text, CM_IDENTIFY_CODES_REFERENCE, 0);
    assert_int_equal(r.rc, CM_EINVAL);
    assert_string_equal(r.err.field, "input");
    if (strstr(r.err.msg, message) == NULL)
        fail_msg("header %s: got '%s', want '%s'", text, r.err.msg, message);
    assert_string_equal(r.out, "");
    result_free(&r);
}

static void
test_wide_header_with_an_unknown_column_is_rejected_naming_it(void **state)
{
    (void)state;
    assert_wide_header_fails("patient_id\tdx1\tfoo\nP1\tA\tB\n", "in.tsv:1: unknown column 'foo'");
    assert_wide_header_fails("patient_id\tdx0\n", "unknown column 'dx0'");
    assert_wide_header_fails("patient_id\tdx01\n", "unknown column 'dx01'");
    assert_wide_header_fails("patient_id\tDX1\n", "unknown column 'DX1'");
    assert_wide_header_fails("patient_id\tdx\n", "unknown column 'dx'");
    assert_wide_header_fails("patient_id\tdx1\t\n", "unknown column ''");
    /* A long-format header given as wide names its first wrong column. */
    assert_wide_header_fails("patient_id\tcode_type\tcode\n", "unknown column 'code_type'");
}

static void
test_wide_header_with_a_column_twice_is_rejected(void **state)
{
    (void)state;
    assert_wide_header_fails("patient_id\tdx1\tpc1\tdx2\tpc1\n",
                             "in.tsv:1: column 'pc1' appears twice");
}

static void
test_wide_header_must_start_with_patient_id(void **state)
{
    (void)state;
    assert_wide_header_fails("dx1\tpatient_id\n", "in.tsv:1: first column must be patient_id");
    assert_wide_header_fails("",
                             "in.tsv: empty input, expected the header patient_id, dx1.., pc1..");
}

static void
test_wide_header_of_more_columns_than_the_limit_is_rejected(void **state)
{
    (void)state;
    size_t cap = 16 * (CM_IDENTIFY_WIDE_COLUMNS_MAX + 1) + 16;
    char *text = malloc(cap);
    assert_non_null(text);
    size_t n = (size_t)snprintf(text, cap, "patient_id");
    for (int k = 1; k <= CM_IDENTIFY_WIDE_COLUMNS_MAX; k++)
        n += (size_t)snprintf(text + n, cap - n, "\tdx%d", k);
    snprintf(text + n, cap - n, "\n");
    assert_wide_header_fails(text, "more than 1024 columns in the header");
    /* One column fewer is the limit itself, and is accepted. */
    char *last = strrchr(text, '\t');
    *last = '\n';
    last[1] = '\0';
    struct result r = run_wide(text, CM_IDENTIFY_CODES_REFERENCE, 0);
    assert_int_equal(r.rc, CM_OK);
    result_free(&r);
    free(text);
}

static void
test_wide_patient_on_two_rows_is_malformed_naming_the_first_line(void **state)
{
    (void)state;
    const char *text = "patient_id\tdx1\n"
                       "P1\t\n"
                       "P2\tG8000\n"
                       "P1\tG8000\n";
    struct result r = run_wide(text, CM_IDENTIFY_CODES_REFERENCE, 0);
    assert_int_equal(r.rc, CM_EINVAL);
    assert_string_equal(r.errors, "in.tsv:4: patient already seen on line 2\n");
    assert_string_equal(r.out, "");
    result_free(&r);
    /* Tolerated, the second row is skipped, not merged: P1 keeps its own row of zeros. */
    r = run_wide(text, CM_IDENTIFY_CODES_REFERENCE, 1);
    assert_int_equal(r.rc, CM_OK);
    assert_int_equal(r.stats.bad_rows, 1);
    assert_int_equal(r.stats.patients, 2);
    assert_non_null(strstr(r.out, "\nP1\t0\t0\t0\t0\t0\t0\t0\t0\t0\t0\t0\t0\t0\nP2\t1\t"));
    result_free(&r);
}

static void
test_wide_malformed_rows_are_reported_with_file_and_line(void **state)
{
    (void)state;
    char code[CM_IDENTIFY_CODE_MAX + 2];
    memset(code, 'A', sizeof(code) - 1);
    code[sizeof(code) - 1] = '\0';
    char text[1024];
    snprintf(text, sizeof(text),
             "patient_id\tdx1\tpc3\n"
             "P1\tG8000\n"           /* 2: too few columns */
             "P2\tG8000\t\t\n"       /* 3: too many */
             "\tG8000\t\n"           /* 4: empty id */
             "P5\t\t%s\n"            /* 5: over-long code in pc3 */
             "P6\t\xff\t\n"          /* 6: invalid UTF-8 in dx1 */
             "\n"                    /* 7: empty line */
             "P8\tG8000\t02YA0Z0\n", /* 8: good */
             code);
    struct result r = run_wide(text, CM_IDENTIFY_CODES_REFERENCE, 6);
    assert_int_equal(r.rc, CM_OK);
    assert_string_equal(r.errors, "in.tsv:2: expected 3 columns as in the header, got 2\n"
                                  "in.tsv:3: expected 3 columns as in the header, got 4\n"
                                  "in.tsv:4: empty patient_id\n"
                                  "in.tsv:5: code in column pc3 longer than 64 bytes\n"
                                  "in.tsv:6: dx1 is not valid UTF-8\n"
                                  "in.tsv:7: empty line\n");
    assert_int_equal(r.stats.rows, 7);
    assert_int_equal(r.stats.bad_rows, 6);
    assert_int_equal(r.stats.patients, 1);
    result_free(&r);
    r = run_wide(text, CM_IDENTIFY_CODES_REFERENCE, 5);
    assert_int_equal(r.rc, CM_EINVAL);
    assert_string_equal(r.out, "");
    result_free(&r);
}

/* Appends s to the growing buffer *buf (length *n, capacity *cap). */
static void
append(char **buf, size_t *n, size_t *cap, const char *s, size_t len)
{
    if (*n + len + 1 > *cap) {
        *cap = (*n + len + 1) * 2;
        *buf = realloc(*buf, *cap);
        assert_non_null(*buf);
    }
    memcpy(*buf + *n, s, len);
    *n += len;
    (*buf)[*n] = '\0';
}

#define WIDE_DX 30
#define WIDE_PC 15

/* One patient of the wide table: code k of each type, as [start, length) in the long text. */
struct wide_patient {
    const char *id;
    size_t id_len;
    const char *dx[WIDE_DX], *pc[WIDE_PC];
    size_t dx_len[WIDE_DX], pc_len[WIDE_PC];
    size_t ndx, npc;
};

/* Builds the wide table from the long sample as README section 5 says pccc was given it: one row
 * per patient in order of first appearance, columns patient_id, dx1..dx30, pc1..pc15, code k of a
 * type in column k, unused cells empty, nothing trimmed. A row with an empty code takes its place
 * as an empty cell (the no-code patient's single row among them). */
static char *
wide_from_long(const char *lng)
{
    size_t cap_p = 4096, np = 0;
    struct wide_patient *ps = calloc(cap_p, sizeof(*ps));
    assert_non_null(ps);
    const char *line = strchr(lng, '\n');
    assert_non_null(line);
    for (line++; *line != '\0';) {
        const char *end = strchr(line, '\n');
        assert_non_null(end);
        const char *t1 = memchr(line, '\t', (size_t)(end - line));
        assert_non_null(t1);
        const char *t2 = memchr(t1 + 1, '\t', (size_t)(end - t1 - 1));
        assert_non_null(t2);
        size_t id_len = (size_t)(t1 - line);
        /* Rows of one patient are mostly together: the last patient first, then a search. */
        struct wide_patient *p = NULL;
        for (size_t i = np; i-- > 0;) {
            if (ps[i].id_len == id_len && memcmp(ps[i].id, line, id_len) == 0) {
                p = &ps[i];
                break;
            }
        }
        if (p == NULL) {
            assert_true(np < cap_p);
            p = &ps[np++];
            p->id = line;
            p->id_len = id_len;
        }
        const char *code = t2 + 1;
        size_t code_len = (size_t)(end - code);
        if (t2 - t1 - 1 == 2 && memcmp(t1 + 1, "pc", 2) == 0) {
            assert_true(p->npc < WIDE_PC);
            p->pc[p->npc] = code;
            p->pc_len[p->npc++] = code_len;
        } else {
            assert_true(t2 - t1 - 1 == 2 && memcmp(t1 + 1, "dx", 2) == 0);
            assert_true(p->ndx < WIDE_DX);
            p->dx[p->ndx] = code;
            p->dx_len[p->ndx++] = code_len;
        }
        line = end + 1;
    }
    char *out = NULL;
    size_t n = 0, cap = 0;
    char name[16];
    append(&out, &n, &cap, "patient_id", 10);
    for (int k = 1; k <= WIDE_DX; k++)
        append(&out, &n, &cap, name, (size_t)snprintf(name, sizeof(name), "\tdx%d", k));
    for (int k = 1; k <= WIDE_PC; k++)
        append(&out, &n, &cap, name, (size_t)snprintf(name, sizeof(name), "\tpc%d", k));
    append(&out, &n, &cap, "\n", 1);
    for (size_t i = 0; i < np; i++) {
        append(&out, &n, &cap, ps[i].id, ps[i].id_len);
        for (size_t k = 0; k < WIDE_DX; k++) {
            append(&out, &n, &cap, "\t", 1);
            if (k < ps[i].ndx)
                append(&out, &n, &cap, ps[i].dx[k], ps[i].dx_len[k]);
        }
        for (size_t k = 0; k < WIDE_PC; k++) {
            append(&out, &n, &cap, "\t", 1);
            if (k < ps[i].npc)
                append(&out, &n, &cap, ps[i].pc[k], ps[i].pc_len[k]);
        }
        append(&out, &n, &cap, "\n", 1);
    }
    free(ps);
    return out;
}

/* Runs alg over the wide table built from the long sample and compares with expected. */
static void
wide_sample_matches(enum cm_identify_algorithm alg, int icd, const char *expected)
{
    size_t in_len = 0, want_len = 0;
    char *lng = testlib_slurp("tests/data/identify/ccc_sample_input_long.tsv", &in_len);
    char *want = testlib_slurp(expected, &want_len);
    char *wide = wide_from_long(lng);
    struct result r = run_format(wide, strlen(wide), "wide.tsv", CM_IDENTIFY_FORMAT_WIDE, alg, icd,
                                 CM_IDENTIFY_CODES_REFERENCE, 0, 0);
    if (r.rc != CM_OK)
        fail_msg("wide sample: %s", r.err.msg);
    assert_int_equal(r.stats.bad_rows, 0);
    assert_int_equal(r.stats.rows, 2000);
    assert_int_equal(r.stats.patients, 2000);
    assert_string_equal(r.errors, "");
    assert_tables_equal(r.out, want);
    result_free(&r);
    free(wide);
    free(lng);
    free(want);
}

static void
test_wide_sample_built_from_the_long_sample_matches_pccc_cell_for_cell(void **state)
{
    (void)state;
    wide_sample_matches(CM_IDENTIFY_CCC2, 10,
                        "tests/data/identify/ccc_sample_pccc_1.0.6_output.tsv");
}

static void
test_wide_sample_matches_every_medicalcoder_output_cell_for_cell(void **state)
{
    (void)state;
    wide_sample_matches(CM_IDENTIFY_MC_V20, 0,
                        "tests/data/identify/ccc_sample_medicalcoder_pccc_v2.0_output.tsv");
    wide_sample_matches(CM_IDENTIFY_MC_V21, 0,
                        "tests/data/identify/ccc_sample_medicalcoder_pccc_v2.1_output.tsv");
    wide_sample_matches(CM_IDENTIFY_MC_V30, 0,
                        "tests/data/identify/ccc_sample_medicalcoder_pccc_v3.0_output.tsv");
    wide_sample_matches(CM_IDENTIFY_MC_V31, 0,
                        "tests/data/identify/ccc_sample_medicalcoder_pccc_v3.1_output.tsv");
}

int
main(void)
{
    if (sodium_init() < 0)
        return 1;
    const struct CMUnitTest tests[] = {
        cmocka_unit_test_setup_teardown(
            test_code_with_a_different_last_character_does_not_match_its_neighbour, setup,
            teardown),
        cmocka_unit_test_setup_teardown(
            test_lowercase_leading_space_and_dotted_codes_do_not_match_in_reference_mode, setup,
            teardown),
        cmocka_unit_test_setup_teardown(
            test_dotted_code_still_matches_a_listed_string_of_three_characters, setup, teardown),
        cmocka_unit_test_setup_teardown(test_any_code_starting_with_c_is_malignancy, setup,
                                        teardown),
        cmocka_unit_test_setup_teardown(test_g80_matches_exactly_and_only_exactly, setup, teardown),
        cmocka_unit_test_setup_teardown(test_one_code_sets_several_columns, setup, teardown),
        cmocka_unit_test_setup_teardown(test_some_technology_codes_set_no_body_system, setup,
                                        teardown),
        cmocka_unit_test_setup_teardown(test_only_kidney_transplant_status_sets_transplant, setup,
                                        teardown),
        cmocka_unit_test_setup_teardown(test_empty_code_never_matches, setup, teardown),
        cmocka_unit_test_setup_teardown(test_code_type_selects_the_list, setup, teardown),
        cmocka_unit_test_setup_teardown(test_normalised_mode_trims_upper_cases_and_removes_dots,
                                        setup, teardown),
        cmocka_unit_test_setup_teardown(test_normalised_mode_does_not_widen_the_lists, setup,
                                        teardown),
        cmocka_unit_test(test_embedded_lists_have_the_published_rows_and_checksums),
        cmocka_unit_test_setup_teardown(test_icd9_list_loads_with_its_exact_rows, setup, teardown),
        cmocka_unit_test_setup_teardown(test_malformed_list_is_rejected_naming_its_line, setup,
                                        teardown),
        cmocka_unit_test_setup_teardown(test_small_list_merges_categories_of_one_string, setup,
                                        teardown),
        cmocka_unit_test(test_patients_are_written_in_order_of_first_appearance),
        cmocka_unit_test(test_technology_dependence_alone_sets_ccc_flag),
        cmocka_unit_test(test_reference_mode_keeps_a_leading_space_in_the_code),
        cmocka_unit_test(test_csv_is_detected_and_quotes_are_read),
        cmocka_unit_test(test_tsv_with_crlf_line_endings_matches_like_lf),
        cmocka_unit_test(test_delimiter_option_overrides_detection),
        cmocka_unit_test(test_each_malformed_row_is_reported_with_file_and_line),
        cmocka_unit_test(test_csv_quoting_errors_are_reported),
        cmocka_unit_test(test_stdin_is_named_in_reports),
        cmocka_unit_test(test_max_errors_lets_the_run_finish_and_still_report),
        cmocka_unit_test(test_only_the_first_twenty_errors_are_printed_and_the_rest_counted),
        cmocka_unit_test(test_wrong_or_missing_header_is_rejected),
        cmocka_unit_test(test_sample_of_2000_patients_matches_pccc_cell_for_cell),
        cmocka_unit_test(test_every_listed_code_matches_pccc_cell_for_cell),
        cmocka_unit_test(test_mc_dotted_and_undotted_codes_both_match),
        cmocka_unit_test(test_mc_matches_by_equality_not_by_prefix),
        cmocka_unit_test(test_mc_lowercase_and_padded_codes_do_not_match_in_reference_mode),
        cmocka_unit_test(test_mc_normalised_mode_trims_and_upper_cases_keeping_dots),
        cmocka_unit_test(test_mc_variant_selects_the_rows),
        cmocka_unit_test(test_mc_code_type_and_icd_version_select_the_rows),
        cmocka_unit_test(test_v3_technology_dependence_alone_counts_for_nothing),
        cmocka_unit_test(test_v3_technology_beside_another_condition_counts),
        cmocka_unit_test(test_v3_diagnosis_and_technology_of_one_condition_is_dxpr_and_tech),
        cmocka_unit_test(test_v3_technology_with_transplant_counts_alone),
        cmocka_unit_test(test_v3_transplant_is_reported_even_when_technology_is_cleared),
        cmocka_unit_test(test_v2_counts_technology_alone_and_has_a_misc_column),
        cmocka_unit_test(test_mc_rows_are_sorted_by_patient_id_and_empty_patients_are_zeros),
        cmocka_unit_test(test_mc_parse_rejects_a_malformed_table_naming_its_line),
        cmocka_unit_test(test_mc_table_is_embedded_with_its_published_checksum),
        cmocka_unit_test(test_sample_matches_medicalcoder_v2_0_cell_for_cell),
        cmocka_unit_test(test_sample_matches_medicalcoder_v2_1_cell_for_cell),
        cmocka_unit_test(test_sample_matches_medicalcoder_v3_0_cell_for_cell),
        cmocka_unit_test(test_sample_matches_medicalcoder_v3_1_cell_for_cell),
        cmocka_unit_test(test_wide_rows_give_the_same_table_as_long_rows),
        cmocka_unit_test(
            test_wide_empty_cells_are_no_codes_and_a_row_of_them_is_a_patient_of_zeros),
        cmocka_unit_test(test_wide_cells_are_not_trimmed_in_reference_mode),
        cmocka_unit_test(test_wide_columns_may_come_in_any_order_and_only_their_type_counts),
        cmocka_unit_test(test_wide_csv_is_detected_and_quoted_cells_are_read),
        cmocka_unit_test(test_wide_header_with_an_unknown_column_is_rejected_naming_it),
        cmocka_unit_test(test_wide_header_with_a_column_twice_is_rejected),
        cmocka_unit_test(test_wide_header_must_start_with_patient_id),
        cmocka_unit_test(test_wide_header_of_more_columns_than_the_limit_is_rejected),
        cmocka_unit_test(test_wide_patient_on_two_rows_is_malformed_naming_the_first_line),
        cmocka_unit_test(test_wide_malformed_rows_are_reported_with_file_and_line),
        cmocka_unit_test(test_wide_sample_built_from_the_long_sample_matches_pccc_cell_for_cell),
        cmocka_unit_test(test_wide_sample_matches_every_medicalcoder_output_cell_for_cell),
    };
    return cmocka_run_group_tests_name("identify", tests, NULL, NULL);
}
