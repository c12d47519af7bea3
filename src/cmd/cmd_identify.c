/*
 * `caremap identify`: flags children with complex chronic conditions in a long-format code file
 * (patient_id, code_type, code) or a wide one (patient_id, dx1.., pc1..), one output row per
 * patient: CCC v2 as pccc 1.0.6 (ccc2), and CCC v2.0, v2.1, v3.0, v3.1 as medicalcoder 0.6.0.9000
 * (ccc2.0 ... ccc3.1). Exit status: 0 ok, 1 failure, 2 usage, 3 bad input (a wrong header, or more
 * malformed rows than
 * --max-errors), in which case no output file is written.
 */
#include "cmd/cmd.h"
#include "cmd/identify_load.h"
#include "identify/identify.h"
#include "identify/pmca.h"
#include "identify/stratify.h"

#include <errno.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>
#include <unistd.h>

#define EXIT_BAD_INPUT 3

static const char USAGE[] =
    "usage: caremap identify [--algorithm "
    "ccc2|ccc2.0|ccc2.1|ccc3.0|ccc3.1|pmca|pmca-conservative]\n"
    "                        [--format long|wide] [--codes reference|normalised] [--icd 9|10]\n"
    "                        [--delimiter tab|comma] [-o FILE] [--threads N] [--max-errors N]\n"
    "                        [--encounters FILE [--tiers FILE] [--as-of YYYY-MM-DD]]\n"
    "                        [--load --db FILE --as USERNAME] [FILE|-]\n"
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
    if (cm_identify_lists(info, CM_ARRAY_LEN(info) - 2, &n, &err) != CM_OK ||
        cm_identify_mc_list(&info[n], &err) != CM_OK ||
        cm_pmca_rules_info(&info[n + 1], &err) != CM_OK) {
        cmd_print_err(&err);
        return 1;
    }
    n += 2;
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
    const char *algorithm; /* its name, as given */
    const char *encounters;
    const char *tiers;
    const char *as_of;
    bool load;
    const char *as; /* the user a loaded run is recorded for */
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
    a->algorithm = "ccc2";
    a->opts.icd = 10;
    long cores = sysconf(_SC_NPROCESSORS_ONLN);
    a->opts.threads = cores > 0 ? (unsigned)cores : 1;
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
        if (strcmp(arg, "--load") == 0) {
            a->load = true;
            continue;
        }
        if (strcmp(arg, "-h") == 0 || strcmp(arg, "--help") == 0) {
            fputs(USAGE, stdout);
            return -1;
        }
        const char *eq = strchr(arg, '=');
        size_t nlen = eq != NULL ? (size_t)(eq - arg) : strlen(arg);
        static const char *const valued[] = {
            "--algorithm", "--format", "--codes",      "--icd",     "--delimiter",
            "-o",          "--output", "--max-errors", "--threads", "--encounters",
            "--tiers",     "--as-of",  "--as"};
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
                {"ccc2", CM_IDENTIFY_CCC2},
                {"ccc2.0", CM_IDENTIFY_MC_V20},
                {"ccc2.1", CM_IDENTIFY_MC_V21},
                {"ccc3.0", CM_IDENTIFY_MC_V30},
                {"ccc3.1", CM_IDENTIFY_MC_V31},
                {"pmca", CM_IDENTIFY_PMCA_LESS},
                {"pmca-conservative", CM_IDENTIFY_PMCA_MORE},
            };
            size_t k = 0;
            while (k < CM_ARRAY_LEN(algs) && strcmp(v, algs[k].name) != 0)
                k++;
            if (k == CM_ARRAY_LEN(algs)) {
                fprintf(stderr,
                        "caremap: identify: unknown --algorithm %s (ccc2, ccc2.0, ccc2.1, ccc3.0, "
                        "ccc3.1, pmca or pmca-conservative)\n",
                        v);
                return 2;
            }
            a->opts.algorithm = algs[k].alg;
            a->algorithm = algs[k].name;
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
            size_t t = 0;
            if (!count(v, 64, &t) || t == 0) {
                fprintf(stderr, "caremap: identify: --threads must be 1 to 64\n");
                return 2;
            }
            a->opts.threads = (unsigned)t;
        } else if (IS("--encounters")) {
            a->encounters = v;
        } else if (IS("--tiers")) {
            a->tiers = v;
        } else if (IS("--as-of")) {
            a->as_of = v;
        } else if (IS("--as")) {
            a->as = v;
        } else {
            fprintf(stderr, "caremap: identify: unknown option '%.*s'\n", (int)nlen, arg);
            return usage();
        }
#undef IS
    }
    /* medicalcoder, given no icdv, matches ICD-9 and ICD-10 codes alike; so do its variants here
     * unless --icd narrows them. */
    if (a->opts.algorithm != CM_IDENTIFY_CCC2 && a->opts.algorithm != CM_IDENTIFY_PMCA_LESS &&
        a->opts.algorithm != CM_IDENTIFY_PMCA_MORE && !icd_given)
        a->opts.icd = 0;
    if ((a->tiers != NULL || a->as_of != NULL) && a->encounters == NULL) {
        fprintf(stderr, "caremap: identify: --tiers and --as-of need --encounters\n");
        return usage();
    }
    if (a->load != (a->as != NULL)) {
        fprintf(stderr, "caremap: identify: --load needs --as USERNAME, and --as needs --load\n");
        return usage();
    }
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

/* The code list or rules file the run uses, as --list-versions describes it. */
static enum cm_code
list_of(const struct cm_identify_opts *o, struct cm_identify_list_info *out, struct cm_err *err)
{
    struct cm_identify_list_info info[8];
    size_t n = 0;
    switch (o->algorithm) {
    case CM_IDENTIFY_CCC2: {
        enum cm_code rc = cm_identify_lists(info, CM_ARRAY_LEN(info), &n, err);
        for (size_t i = 0; rc == CM_OK && i < n; i++) {
            if (info[i].icd == o->icd) {
                *out = info[i];
                return CM_OK;
            }
        }
        return rc != CM_OK ? rc
                           : cm_err_set(err, CM_ENOTFOUND, "list", "no list for ICD-%d", o->icd);
    }
    case CM_IDENTIFY_PMCA_LESS:
    case CM_IDENTIFY_PMCA_MORE:
        return cm_pmca_rules_info(out, err);
    case CM_IDENTIFY_MC_V20:
    case CM_IDENTIFY_MC_V21:
    case CM_IDENTIFY_MC_V30:
    case CM_IDENTIFY_MC_V31:
        break;
    }
    return cm_identify_mc_list(out, err);
}

/* Exit status for a failed step: bad input files are 3, anything else 1. */
static int
fail(const struct cm_err *err, enum cm_code rc)
{
    fprintf(stderr, "caremap: identify: %s\n", err->msg);
    return rc == CM_EINVAL ? EXIT_BAD_INPUT : 1;
}

/* Reads the tier rules and the encounters file into a, so the run can stratify. */
static int
read_encounters(const struct args *a, struct cm_arena *arena, struct cm_stratify_rules **rules,
                struct cm_stratify_encounters **enc, struct cm_stratify_enc_stats *est)
{
    struct cm_err err = {0};
    enum cm_code rc = cm_stratify_rules_load(a->tiers, rules, arena, &err);
    if (rc != CM_OK)
        return fail(&err, rc);
    FILE *f = stdin;
    if (strcmp(a->encounters, "-") == 0 && strcmp(a->input, "-") == 0) {
        fprintf(stderr, "caremap: identify: the codes and the encounters cannot both be standard "
                        "input\n");
        return 2;
    }
    if (strcmp(a->encounters, "-") != 0 && (f = fopen(a->encounters, "rb")) == NULL) {
        fprintf(stderr, "caremap: identify: %s: %s\n", a->encounters, strerror(errno));
        return 1;
    }
    struct cm_stratify_enc_opts eo = {
        .input_name = a->encounters,
        .delimiter = a->opts.delimiter,
        .max_errors = a->opts.max_errors,
        .errors = stderr,
        .as_of = a->as_of,
        .window_months = cm_stratify_rules_window_months(*rules),
    };
    rc = cm_stratify_encounters_read(f, &eo, enc, arena, est, &err);
    if (f != stdin)
        fclose(f);
    if (rc != CM_OK)
        return fail(&err, rc);
    fprintf(stderr,
            "identify: encounters: %zu rows, %zu children with encounters in the %u months to %s "
            "(%s)\n",
            est->rows, est->patients, eo.window_months, est->as_of, cm_stratify_rules_name(*rules));
    return 0;
}

int
cmd_identify(int argc, char **argv)
{
    /* --db, --config and --set only matter to --load: taken out of argv first, then. */
    struct cm_config cfg = {0};
    bool loading = false;
    for (int i = 1; i < argc; i++)
        loading = loading || strcmp(argv[i], "--load") == 0;
    if (loading) {
        int crc = cmd_config_from_args(&argc, argv, &cfg);
        if (crc != 0)
            return crc;
    }
    struct args a = {0};
    int prc = parse(argc, argv, &a);
    if (prc != 0)
        return prc < 0 ? 0 : prc;
    if (a.list_versions)
        return list_versions();

    struct cm_arena *arena = cm_arena_new((size_t)1 << 40);
    if (arena == NULL) {
        fprintf(stderr, "caremap: identify: out of memory\n");
        return 1;
    }
    struct cm_stratify_rules *rules = NULL;
    struct cm_stratify_encounters *enc = NULL;
    struct cm_stratify_enc_stats est = {0};
    if (a.encounters != NULL) {
        int erc = read_encounters(&a, arena, &rules, &enc, &est);
        if (erc != 0) {
            cm_arena_free(arena);
            return erc;
        }
        a.opts.tiers = rules;
        a.opts.encounters = enc;
    }

    FILE *in = stdin;
    if (strcmp(a.input, "-") != 0 && (in = fopen(a.input, "rb")) == NULL) {
        fprintf(stderr, "caremap: identify: %s: %s\n", a.input, strerror(errno));
        cm_arena_free(arena);
        return 1;
    }
    struct stat sb;
    if (fstat(fileno(in), &sb) == 0 && S_ISREG(sb.st_mode))
        a.opts.input_bytes = (uint64_t)sb.st_size;
    a.opts.input_name = a.input;
    a.opts.errors = stderr;
    a.opts.progress = isatty(STDERR_FILENO) == 1;
    if (a.opts.mode == CM_IDENTIFY_CODES_NORMALISED && a.opts.algorithm == CM_IDENTIFY_CCC2)
        fprintf(
            stderr,
            "identify: codes normalised (trimmed, upper-cased, dots removed) before matching\n");
    else if (a.opts.mode == CM_IDENTIFY_CODES_NORMALISED &&
             (a.opts.algorithm == CM_IDENTIFY_PMCA_LESS ||
              a.opts.algorithm == CM_IDENTIFY_PMCA_MORE))
        fprintf(stderr, "identify: codes normalised (trimmed, upper-cased; PMCA removes dots) "
                        "before matching\n");
    else if (a.opts.mode == CM_IDENTIFY_CODES_NORMALISED)
        fprintf(stderr, "identify: codes normalised (trimmed, upper-cased; dotted and undotted "
                        "codes both listed) before matching\n");

    struct cm_err err = {0};
    struct cm_identify_stats st = {0};
    struct cmd_identify_load *load = NULL;
    enum cm_code rc = CM_OK;
    if (a.load) {
        struct cm_identify_list_info list;
        rc = list_of(&a.opts, &list, &err);
        struct cmd_identify_run_info info = {
            .algorithm = a.algorithm,
            .codes_mode = a.opts.mode == CM_IDENTIFY_CODES_REFERENCE ? "reference" : "normalised",
            .list_name = list.name,
            .list_sha256 = list.sha256,
            .input_name = a.input,
            .encounters_name = a.encounters,
            .tiers_name = rules != NULL ? cm_stratify_rules_name(rules) : NULL,
            .tiers_sha256 = rules != NULL ? cm_stratify_rules_sha256(rules) : NULL,
            .as_of = rules != NULL ? est.as_of : NULL,
        };
        if (rc == CM_OK)
            rc = cmd_identify_load_begin(&cfg, a.as, &info, &load, &err);
        a.opts.on_result = cmd_identify_load_result;
        a.opts.on_result_ctx = load;
    }
    if (rc == CM_OK && a.output != NULL) {
        rc = run_to_file(in, a.output, &a.opts, &st, &err);
    } else if (rc == CM_OK && a.load) {
        /* Loading: the table goes to the registry, and to a file only when -o asks for it. */
        FILE *devnull = fopen("/dev/null", "w");
        if (devnull == NULL)
            rc = cm_err_set(&err, CM_EIO, "output", "/dev/null: %s", strerror(errno));
        else {
            rc = cm_identify_run(in, devnull, &a.opts, &st, &err);
            fclose(devnull);
        }
    } else if (rc == CM_OK) {
        rc = cm_identify_run(in, stdout, &a.opts, &st, &err);
    }
    int64_t run_id = 0;
    if (rc == CM_OK && load != NULL)
        rc = cmd_identify_load_commit(load, &st, &run_id, &err);
    cmd_identify_load_free(load);
    if (in != stdin)
        fclose(in);
    cm_arena_free(arena);
    if (rc != CM_OK) {
        fprintf(stderr, "caremap: identify: %s\n", err.msg);
        return rc == CM_EINVAL && strcmp(err.field, "input") == 0 ? EXIT_BAD_INPUT : 1;
    }
    if (st.bad_rows > 0)
        fprintf(stderr, "identify: %zu malformed rows skipped (--max-errors %zu)\n", st.bad_rows,
                a.opts.max_errors);
    if (a.load)
        fprintf(stderr, "identify: run %lld loaded for %s: %zu patients\n", (long long)run_id, a.as,
                st.patients);
    return 0;
}
