/*
 * `caremap identify`: flags children with complex chronic conditions in a long-format code file
 * (patient_id, code_type, code) or a wide one (patient_id, dx1.., pc1..), one output row per
 * patient: CCC v2 as pccc 1.0.6 (ccc2), and CCC v2.0, v2.1, v3.0, v3.1 as medicalcoder 0.6.0.9000
 * (ccc2.0 ... ccc3.1). Exit status: 0 ok, 1 failure, 2 usage, 3 bad input (a wrong header, or more
 * malformed rows than
 * --max-errors), in which case no output file is written.
 */
#include "cmd/cmd.h"
#include "identify/identify.h"

#include <errno.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>

#define EXIT_BAD_INPUT 3

static const char USAGE[] =
    "usage: caremap identify [--algorithm ccc2|ccc2.0|ccc2.1|ccc3.0|ccc3.1] [--format long|wide]\n"
    "                        [--codes reference|normalised]\n"
    "                        [--icd 9|10] [--delimiter tab|comma] [-o FILE] [--max-errors N]\n"
    "                        [FILE|-]\n"
    "       caremap identify --list-versions\n";

static int
usage(void)
{
    fputs(USAGE, stderr);
    return 2;
}

static int
list_versions(void)
{
    struct cm_identify_list_info info[8];
    size_t n = 0;
    struct cm_err err = {0};
    if (cm_identify_lists(info, CM_ARRAY_LEN(info) - 1, &n, &err) != CM_OK ||
        cm_identify_mc_list(&info[n], &err) != CM_OK) {
        cmd_print_err(&err);
        return 1;
    }
    n++;
    printf("algorithm\ticd\tlist\trows\tsha256\n");
    for (size_t i = 0; i < n; i++) {
        /* icd 0: one table holding ICD-9 and ICD-10 rows (medicalcoder's). */
        if (info[i].icd == 0)
            printf("%s\t9,10\t%s\t%zu\t%s\n", info[i].algorithm, info[i].name, info[i].rows,
                   info[i].sha256);
        else
            printf("%s\t%d\t%s\t%zu\t%s\n", info[i].algorithm, info[i].icd, info[i].name,
                   info[i].rows, info[i].sha256);
    }
    return 0;
}

struct args {
    const char *input;
    const char *output;
    struct cm_identify_opts opts;
    bool list_versions;
};

/* Parses a count of at most max. */
static bool
count(const char *s, size_t max, size_t *out)
{
    char *end = NULL;
    errno = 0;
    unsigned long long v = strtoull(s, &end, 10);
    if (end == s || *end != '\0' || errno != 0 || s[0] == '-' || v > max)
        return false;
    *out = (size_t)v;
    return true;
}

/* One option's value: "--name=value" or "--name value". */
static int
parse(int argc, char **argv, struct args *a)
{
    a->input = "-";
    a->opts.icd = 10;
    a->opts.mode = CM_IDENTIFY_CODES_NORMALISED;
    bool have_input = false, icd_given = false;
    for (int i = 1; i < argc; i++) {
        const char *arg = argv[i];
        if (arg[0] != '-' || strcmp(arg, "-") == 0) {
            if (have_input) {
                fprintf(stderr, "caremap: identify: one input file at most\n");
                return usage();
            }
            a->input = arg;
            have_input = true;
            continue;
        }
        if (strcmp(arg, "--list-versions") == 0) {
            a->list_versions = true;
            continue;
        }
        if (strcmp(arg, "-h") == 0 || strcmp(arg, "--help") == 0) {
            fputs(USAGE, stdout);
            return -1;
        }
        const char *eq = strchr(arg, '=');
        size_t nlen = eq != NULL ? (size_t)(eq - arg) : strlen(arg);
        static const char *const valued[] = {"--algorithm", "--format",     "--codes",
                                             "--icd",       "--delimiter",  "-o",
                                             "--output",    "--max-errors", "--threads"};
        bool known = false;
        for (size_t k = 0; k < CM_ARRAY_LEN(valued); k++)
            known = known || (nlen == strlen(valued[k]) && strncmp(arg, valued[k], nlen) == 0);
        if (!known) {
            fprintf(stderr, "caremap: identify: unknown option '%.*s'\n", (int)nlen, arg);
            return usage();
        }
        const char *v = NULL;
        if (eq != NULL)
            v = eq + 1;
        else if (i + 1 < argc)
            v = argv[++i];
        if (v == NULL) {
            fprintf(stderr, "caremap: identify: %s needs a value\n", arg);
            return usage();
        }
#define IS(lit) (nlen == strlen(lit) && strncmp(arg, lit, nlen) == 0)
        if (IS("--algorithm")) {
            static const struct {
                const char *name;
                enum cm_identify_algorithm alg;
            } algs[] = {
                {"ccc2", CM_IDENTIFY_CCC2},     {"ccc2.0", CM_IDENTIFY_MC_V20},
                {"ccc2.1", CM_IDENTIFY_MC_V21}, {"ccc3.0", CM_IDENTIFY_MC_V30},
                {"ccc3.1", CM_IDENTIFY_MC_V31},
            };
            size_t k = 0;
            while (k < CM_ARRAY_LEN(algs) && strcmp(v, algs[k].name) != 0)
                k++;
            if (k == CM_ARRAY_LEN(algs)) {
                fprintf(stderr,
                        "caremap: identify: not implemented yet: --algorithm %s (ccc2, ccc2.0, "
                        "ccc2.1, ccc3.0 or ccc3.1)\n",
                        v);
                return 2;
            }
            a->opts.algorithm = algs[k].alg;
        } else if (IS("--format")) {
            if (strcmp(v, "long") == 0)
                a->opts.format = CM_IDENTIFY_FORMAT_LONG;
            else if (strcmp(v, "wide") == 0)
                a->opts.format = CM_IDENTIFY_FORMAT_WIDE;
            else {
                fprintf(stderr, "caremap: identify: --format must be long or wide\n");
                return 2;
            }
        } else if (IS("--codes")) {
            if (strcmp(v, "reference") == 0)
                a->opts.mode = CM_IDENTIFY_CODES_REFERENCE;
            else if (strcmp(v, "normalised") == 0 || strcmp(v, "normalized") == 0)
                a->opts.mode = CM_IDENTIFY_CODES_NORMALISED;
            else {
                fprintf(stderr, "caremap: identify: --codes must be reference or normalised\n");
                return 2;
            }
        } else if (IS("--icd")) {
            if (strcmp(v, "9") == 0 || strcmp(v, "10") == 0) {
                a->opts.icd = atoi(v);
                icd_given = true;
            } else {
                fprintf(stderr, "caremap: identify: --icd must be 9 or 10\n");
                return 2;
            }
        } else if (IS("--delimiter")) {
            if (strcmp(v, "tab") == 0 || strcmp(v, "\t") == 0)
                a->opts.delimiter = '\t';
            else if (strcmp(v, "comma") == 0 || strcmp(v, ",") == 0)
                a->opts.delimiter = ',';
            else {
                fprintf(stderr, "caremap: identify: --delimiter must be tab or comma\n");
                return 2;
            }
        } else if (IS("-o") || IS("--output")) {
            a->output = v;
        } else if (IS("--max-errors")) {
            if (!count(v, SIZE_MAX / 2, &a->opts.max_errors)) {
                fprintf(stderr, "caremap: identify: --max-errors must be a count\n");
                return 2;
            }
        } else if (IS("--threads")) {
            fprintf(stderr, "caremap: identify: not implemented yet: --threads\n");
            return 2;
        } else {
            fprintf(stderr, "caremap: identify: unknown option '%.*s'\n", (int)nlen, arg);
            return usage();
        }
#undef IS
    }
    /* medicalcoder, given no icdv, matches ICD-9 and ICD-10 codes alike; so do its variants here
     * unless --icd narrows them. */
    if (a->opts.algorithm != CM_IDENTIFY_CCC2 && !icd_given)
        a->opts.icd = 0;
    return 0;
}

/* Runs into a temporary file beside path and renames it into place only on success, so a failed
 * run never leaves a partial or stale-looking output. */
static enum cm_code
run_to_file(FILE *in, const char *path, const struct cm_identify_opts *o,
            struct cm_identify_stats *st, struct cm_err *err)
{
    char tmp[4096];
    int n = snprintf(tmp, sizeof(tmp), "%s.tmp.XXXXXX", path);
    if (n < 0 || (size_t)n >= sizeof(tmp))
        return cm_err_set(err, CM_EINVAL, "output", "output path too long");
    int fd = mkstemp(tmp);
    if (fd < 0)
        return cm_err_set(err, CM_EIO, "output", "%s: %s", path, strerror(errno));
    FILE *out = fdopen(fd, "w");
    if (out == NULL) {
        close(fd);
        unlink(tmp);
        return cm_err_set(err, CM_EIO, "output", "%s: %s", path, strerror(errno));
    }
    enum cm_code rc = cm_identify_run(in, out, o, st, err);
    if (fclose(out) != 0 && rc == CM_OK)
        rc = cm_err_set(err, CM_EIO, "output", "%s: %s", path, strerror(errno));
    if (rc == CM_OK && rename(tmp, path) != 0)
        rc = cm_err_set(err, CM_EIO, "output", "%s: %s", path, strerror(errno));
    if (rc != CM_OK)
        unlink(tmp);
    return rc;
}

int
cmd_identify(int argc, char **argv)
{
    struct args a = {0};
    int prc = parse(argc, argv, &a);
    if (prc != 0)
        return prc < 0 ? 0 : prc;
    if (a.list_versions)
        return list_versions();

    FILE *in = stdin;
    if (strcmp(a.input, "-") != 0 && (in = fopen(a.input, "rb")) == NULL) {
        fprintf(stderr, "caremap: identify: %s: %s\n", a.input, strerror(errno));
        return 1;
    }
    a.opts.input_name = a.input;
    a.opts.errors = stderr;
    a.opts.progress = isatty(STDERR_FILENO) == 1;
    if (a.opts.mode == CM_IDENTIFY_CODES_NORMALISED && a.opts.algorithm == CM_IDENTIFY_CCC2)
        fprintf(
            stderr,
            "identify: codes normalised (trimmed, upper-cased, dots removed) before matching\n");
    else if (a.opts.mode == CM_IDENTIFY_CODES_NORMALISED)
        fprintf(stderr, "identify: codes normalised (trimmed, upper-cased; dotted and undotted "
                        "codes both listed) before matching\n");

    struct cm_err err = {0};
    struct cm_identify_stats st = {0};
    enum cm_code rc = a.output != NULL ? run_to_file(in, a.output, &a.opts, &st, &err)
                                       : cm_identify_run(in, stdout, &a.opts, &st, &err);
    if (in != stdin)
        fclose(in);
    if (rc != CM_OK) {
        fprintf(stderr, "caremap: identify: %s\n", err.msg);
        return rc == CM_EINVAL && strcmp(err.field, "input") == 0 ? EXIT_BAD_INPUT : 1;
    }
    if (st.bad_rows > 0)
        fprintf(stderr, "identify: %zu malformed rows skipped (--max-errors %zu)\n", st.bad_rows,
                a.opts.max_errors);
    return 0;
}
