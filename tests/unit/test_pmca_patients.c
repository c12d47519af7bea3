/*
 * PMCA hand-built patients (issue 6, acceptance 2). tests/data/identify/pmca_patients.tsv holds
 * 40+ synthetic patients as `caremap identify --algorithm pmca|pmca-conservative` reads them
 * (patient_id, claim_id, code_type, code); pmca_patients_expected.tsv holds what the published
 * rules give for each, worked out by hand, with the rule family and the rules cited: "§3 rule N"
 * of the reference README's PMCA classification rules and "SAS rule N line L" of the rules file
 * pmca_icd10_sas_rules_v3.4.5.tsv. pmca_patients.md says why, one line per patient.
 *
 * Each patient's claims go through the identify/pmca.h API exactly as a run would use it:
 * cm_pmca_claim_flags over each claim's dx codes (procedures are not PMCA input),
 * cm_pmca_child_add_claim, cm_pmca_child_classify for both variants. Every cell of every
 * patient is checked, and every mismatch is reported naming the patient and the column before
 * the test fails. test_pmca.c covers single codes and the rule set itself; this file covers
 * whole patients.
 */
#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>

#include <cmocka.h>

#include "core/data.h"
#include "identify/pmca.h"

#include <stdio.h>
#include <stdlib.h>
#include <string.h>

/* Bounds of the hand-built files: far above what they hold, so a bigger file fails loudly. */
#define FILE_MAX          (1u << 20)
#define PATIENTS_MAX      500
#define ROWS_MAX          5000
#define CLAIMS_MAX        64 /* claims of one patient */
#define CLAIM_CODES_MAX   64 /* codes of one claim */
#define FIRED_MAX         64 /* distinct SAS rules one patient fires */
#define CITED_MAX         32 /* SAS rules one expected row cites */
#define HITS_MAX          16 /* rule rows one code matches */
#define SAS_RULE_NO_MAX   200
#define PATIENTS_REQUIRED 40
#define SYSTEMS_TEXT_MAX  256

#define INPUT_PATH    "tests/data/identify/pmca_patients.tsv"
#define EXPECTED_PATH "tests/data/identify/pmca_patients_expected.tsv"
#define NOTES_PATH    "tests/data/identify/pmca_patients.md"

static const char INPUT_HEADER[] = "patient_id\tclaim_id\tcode_type\tcode";
static const char EXPECTED_HEADER[] = "patient_id\tfamily\trule\tclass_less\tclass_more\tsystems_"
                                      "less\tsystems_more\tprogressive\tmalignancy";

/* The rule families of the PMCA bullet and the helper brief, each needing a patient. A
 * family name not in this list is a typo. */
static const char *const FAMILIES[] = {
    "no_dx_codes",
    "unlisted_codes",
    "one_system_one_claim",
    "one_system_two_claims",
    "two_systems_one_claim_each",
    "two_systems_one_on_two_claims",
    "two_systems_two_claims",
    "two_systems_same_claim",
    "same_system_twice_one_claim",
    "same_code_twice_one_claim",
    "progressive_one_claim",
    "progressive_and_system_two_claims",
    "progressive_system_two_claims",
    "malignancy_one_claim",
    "malignancy_not_a_system",
    "malignancy_and_progressive",
    "two_system_code_one_claim",
    "two_system_code_two_claims",
    "two_rules_one_system_one_claim",
    "exact_and_prefix",
    "exact_m358",
    "exact_match",
    "exact_extra_character",
    "long_code_prefix",
    "dotted_codes",
    "undotted_codes",
    "dotted_and_undotted",
    "lower_case",
    "leading_space",
    "trailing_space",
    "icd9_digits_only",
    "icd9_digit_beats_e",
    "icd10_with_icd9_code",
    "icd10_with_icd9_v_code",
    "only_e_codes_icd10",
    "icd9_e_code_read_as_icd10",
    "v_and_e_v_wins",
    "v_with_u_code_icd10",
    "procedures_ignored",
    "every_system_one_claim_each",
    "every_system_two_claims",
    "otol_not_otolar",
};

/* One row of pmca_patients.tsv. Strings point into the file's text, NUL-terminated in place. */
struct input_row {
    const char *patient;
    const char *claim;
    bool pc;
    const char *code;
    size_t code_len;
};

enum { LESS, MORE, VARIANTS };

/* One row of pmca_patients_expected.tsv. */
struct expected {
    const char *id;
    const char *family;
    const char *rule;
    const char *cls[VARIANTS];
    const char *systems[VARIANTS];
    const char *progressive;
    const char *malignancy;
};

struct fixture {
    struct cm_arena *arena;
    struct cm_pmca_rules *rules;
    struct input_row *rows;
    size_t nrows;
    struct expected *exp;
    size_t nexp;
    char *notes; /* pmca_patients.md */
    /* The embedded rules file: sas_line of each rule_no (0 when unknown), and its rows. */
    unsigned sas_line_of[SAS_RULE_NO_MAX + 1];
    size_t rule_rows;
    size_t otolar_rows;
};

/* A SAS rule row's identity as the expected file cites it. */
struct sas_rule {
    unsigned rule_no;
    unsigned sas_line;
};

/* What the classifier made of one patient. */
struct outcome {
    struct cm_pmca_result res[VARIANTS];
    size_t claims;
    struct sas_rule fired[FIRED_MAX]; /* rules matched by dx codes of ICD-10 claims */
    size_t nfired;
};

/* ---- reading the files -------------------------------------------------------------------- */

/* Reads $CAREMAP_SOURCE_DIR/rel into the arena, NUL-terminated; NULL (with a message) on error. */
static char *
read_source(struct cm_arena *a, const char *rel, size_t *len)
{
    const char *root = getenv("CAREMAP_SOURCE_DIR");
    if (root == NULL) {
        print_error("CAREMAP_SOURCE_DIR is not set (ctest and tests/run.sh set it)\n");
        return NULL;
    }
    char path[1024];
    int n = snprintf(path, sizeof(path), "%s/%s", root, rel);
    if (n < 0 || (size_t)n >= sizeof(path)) {
        print_error("path too long: %s/%s\n", root, rel);
        return NULL;
    }
    FILE *fp = fopen(path, "rb");
    if (fp == NULL) {
        print_error("cannot open %s\n", path);
        return NULL;
    }
    char *buf = cm_arena_alloc(a, FILE_MAX + 1);
    size_t got = buf ? fread(buf, 1, FILE_MAX + 1, fp) : 0;
    bool bad = ferror(fp) != 0;
    fclose(fp);
    if (buf == NULL || bad || got > FILE_MAX) {
        print_error("%s: unreadable or over %u bytes\n", path, FILE_MAX);
        return NULL;
    }
    buf[got] = '\0';
    *len = got;
    return buf;
}

/* Splits line (NUL-terminated, no newline) at TABs in place into at most max fields; returns the
 * number of fields, max + 1 when there are more. */
static size_t
split_tabs(char *line, char **f, size_t max)
{
    size_t k = 0;
    char *p = line;
    for (;;) {
        if (k == max)
            return max + 1;
        f[k++] = p;
        char *tab = strchr(p, '\t');
        if (tab == NULL)
            return k;
        *tab = '\0';
        p = tab + 1;
    }
}

/* Calls row(ctx, lineno, line) for each line of text after the header, which must equal header.
 * Lines are NUL-terminated in place. Every line must end in LF and none may be empty or hold a
 * CR, so that codes are read exactly as written. Returns false (with a message) on the first
 * error. */
static bool
for_each_line(const char *name, char *text, size_t len, const char *header,
              bool (*row)(void *ctx, const char *name, size_t lineno, char *line), void *ctx)
{
    if (len == 0 || text[len - 1] != '\n') {
        print_error("%s: empty or last line not ended by LF\n", name);
        return false;
    }
    size_t lineno = 0;
    char *p = text;
    while (p < text + len) {
        char *nl = memchr(p, '\n', (size_t)(text + len - p));
        if (nl == NULL || memchr(p, '\0', (size_t)(nl - p)) != NULL) {
            print_error("%s:%zu: NUL byte in the text\n", name, lineno + 1);
            return false;
        }
        *nl = '\0';
        lineno++;
        if (strchr(p, '\r') != NULL || *p == '\0') {
            print_error("%s:%zu: empty line or CR\n", name, lineno);
            return false;
        }
        if (lineno == 1) {
            if (strcmp(p, header) != 0) {
                print_error("%s:1: wrong header\n", name);
                return false;
            }
        } else if (!row(ctx, name, lineno, p)) {
            return false;
        }
        p = nl + 1;
    }
    return true;
}

static bool
input_row(void *ctx, const char *name, size_t lineno, char *line)
{
    struct fixture *fx = ctx;
    char *f[4];
    if (split_tabs(line, f, 4) != 4) {
        print_error("%s:%zu: expected 4 TAB-separated columns\n", name, lineno);
        return false;
    }
    bool pc = strcmp(f[2], "pc") == 0;
    if (*f[0] == '\0' || *f[1] == '\0' || *f[3] == '\0' || (!pc && strcmp(f[2], "dx") != 0)) {
        print_error("%s:%zu: empty id, claim or code, or code_type not dx/pc\n", name, lineno);
        return false;
    }
    if (fx->nrows == ROWS_MAX) {
        print_error("%s:%zu: more than %d rows\n", name, lineno, ROWS_MAX);
        return false;
    }
    fx->rows[fx->nrows++] = (struct input_row){
        .patient = f[0], .claim = f[1], .pc = pc, .code = f[3], .code_len = strlen(f[3])};
    return true;
}

static bool
expected_row(void *ctx, const char *name, size_t lineno, char *line)
{
    struct fixture *fx = ctx;
    char *f[9];
    if (split_tabs(line, f, 9) != 9) {
        print_error("%s:%zu: expected 9 TAB-separated columns\n", name, lineno);
        return false;
    }
    for (int i = 0; i < 9; i++) {
        if (*f[i] == '\0') {
            print_error("%s:%zu: column %d is empty\n", name, lineno, i + 1);
            return false;
        }
    }
    if (fx->nexp == PATIENTS_MAX) {
        print_error("%s:%zu: more than %d patients\n", name, lineno, PATIENTS_MAX);
        return false;
    }
    fx->exp[fx->nexp++] = (struct expected){
        .id = f[0],
        .family = f[1],
        .rule = f[2],
        .cls = {f[3], f[4]},
        .systems = {f[5], f[6]},
        .progressive = f[7],
        .malignancy = f[8],
    };
    return true;
}

/* Reads the embedded rules file's rule_no -> sas_line pairs and counts the rows setting otolar. */
static bool
index_rules(struct fixture *fx)
{
    const struct cm_data_file *df = cm_data_find(CM_PMCA_RULES_NAME);
    if (df == NULL) {
        print_error("%s is not embedded\n", CM_PMCA_RULES_NAME);
        return false;
    }
    char *text = cm_arena_strndup(fx->arena, df->data, df->len);
    if (text == NULL)
        return false;
    char *save = NULL;
    size_t lineno = 0;
    for (char *line = strtok_r(text, "\n", &save); line != NULL;
         line = strtok_r(NULL, "\n", &save)) {
        if (++lineno == 1)
            continue;
        char *f[9];
        if (split_tabs(line, f, 9) != 9) {
            print_error("%s:%zu: expected 9 columns\n", CM_PMCA_RULES_NAME, lineno);
            return false;
        }
        unsigned long rule_no = strtoul(f[0], NULL, 10);
        unsigned long sas_line = strtoul(f[1], NULL, 10);
        if (rule_no == 0 || rule_no > SAS_RULE_NO_MAX || sas_line == 0) {
            print_error("%s:%zu: bad rule_no or sas_line\n", CM_PMCA_RULES_NAME, lineno);
            return false;
        }
        fx->sas_line_of[rule_no] = (unsigned)sas_line;
        fx->rule_rows++;
        /* sets is a ';'-list of SAS variables: look for the whole name. */
        char sets[128];
        int n = snprintf(sets, sizeof(sets), ";%s;", f[5]);
        if (n < 0 || (size_t)n >= sizeof(sets))
            return false;
        if (strstr(sets, ";otolar;") != NULL)
            fx->otolar_rows++;
    }
    return true;
}

/* Loads the rules, the three files and the rules index into fx; false (with a message) on error. */
static bool
load(struct fixture *fx)
{
    fx->arena = cm_arena_new(32u << 20);
    if (fx->arena == NULL)
        return false;
    struct cm_err err = {0};
    if (cm_pmca_rules_load(&fx->rules, fx->arena, &err) != CM_OK) {
        print_error("load: %s\n", err.msg);
        return false;
    }
    fx->rows = cm_arena_calloc(fx->arena, ROWS_MAX, sizeof(*fx->rows));
    fx->exp = cm_arena_calloc(fx->arena, PATIENTS_MAX, sizeof(*fx->exp));
    if (fx->rows == NULL || fx->exp == NULL)
        return false;
    size_t len;
    char *in = read_source(fx->arena, INPUT_PATH, &len);
    if (in == NULL || !for_each_line(INPUT_PATH, in, len, INPUT_HEADER, input_row, fx))
        return false;
    char *ex = read_source(fx->arena, EXPECTED_PATH, &len);
    if (ex == NULL || !for_each_line(EXPECTED_PATH, ex, len, EXPECTED_HEADER, expected_row, fx))
        return false;
    fx->notes = read_source(fx->arena, NOTES_PATH, &len);
    return fx->notes != NULL && index_rules(fx);
}

static int
group_setup(void **state)
{
    struct fixture *fx = calloc(1, sizeof(*fx));
    if (fx == NULL)
        return -1;
    if (!load(fx)) {
        /* cmocka skips the group teardown when the setup fails: release here. */
        cm_arena_free(fx->arena);
        free(fx);
        return -1;
    }
    *state = fx;
    return 0;
}

static int
group_teardown(void **state)
{
    struct fixture *fx = *state;
    if (fx != NULL)
        cm_arena_free(fx->arena);
    free(fx);
    return 0;
}

/* ---- classifying a patient ---------------------------------------------------------------- */

static void
add_fired(struct outcome *o, const struct cm_pmca_rule_hit *h)
{
    for (size_t i = 0; i < o->nfired; i++) {
        if (o->fired[i].rule_no == h->rule_no && o->fired[i].sas_line == h->sas_line)
            return;
    }
    assert_true(o->nfired < FIRED_MAX);
    o->fired[o->nfired++] = (struct sas_rule){h->rule_no, h->sas_line};
}

/* Classifies patient id from its rows: claims in order of first appearance (rows of a claim need
 * not be adjacent), each claim's dx codes through cm_pmca_claim_flags (pc codes too when
 * pc_as_dx, to show what reading them would change), then both variants. */
static void
classify(const struct fixture *fx, const char *id, bool pc_as_dx, struct outcome *o)
{
    memset(o, 0, sizeof(*o));
    const char *claims[CLAIMS_MAX];
    for (size_t i = 0; i < fx->nrows; i++) {
        if (strcmp(fx->rows[i].patient, id) != 0)
            continue;
        bool seen = false;
        for (size_t k = 0; k < o->claims; k++)
            seen |= strcmp(claims[k], fx->rows[i].claim) == 0;
        if (!seen) {
            assert_true(o->claims < CLAIMS_MAX);
            claims[o->claims++] = fx->rows[i].claim;
        }
    }
    struct cm_pmca_child child;
    cm_pmca_child_init(&child);
    for (size_t k = 0; k < o->claims; k++) {
        const char *codes[CLAIM_CODES_MAX];
        size_t lens[CLAIM_CODES_MAX];
        size_t n = 0;
        for (size_t i = 0; i < fx->nrows; i++) {
            const struct input_row *r = &fx->rows[i];
            if (strcmp(r->patient, id) != 0 || strcmp(r->claim, claims[k]) != 0)
                continue;
            if (r->pc && !pc_as_dx)
                continue;
            assert_true(n < CLAIM_CODES_MAX);
            codes[n] = r->code;
            lens[n] = r->code_len;
            n++;
        }
        enum cm_pmca_icd icd;
        uint32_t flags = cm_pmca_claim_flags(fx->rules, codes, lens, n, &icd);
        cm_pmca_child_add_claim(&child, flags);
        /* The rules that fired: only an ICD-10 claim reads its codes with the ICD-10 rules. */
        for (size_t c = 0; icd == CM_PMCA_ICD10 && c < n; c++) {
            struct cm_pmca_rule_hit hits[HITS_MAX];
            size_t m = cm_pmca_code_rules(fx->rules, codes[c], lens[c], hits, HITS_MAX);
            assert_true(m <= HITS_MAX);
            for (size_t h = 0; h < m; h++)
                add_fired(o, &hits[h]);
        }
    }
    assert_int_equal(child.claims, o->claims);
    cm_pmca_child_classify(&child, CM_PMCA_LESS, &o->res[LESS]);
    cm_pmca_child_classify(&child, CM_PMCA_MORE, &o->res[MORE]);
}

/* The counted systems as the expected file writes them: SAS order, comma-separated, "-" for none.
 */
static void
systems_text(uint32_t systems, char *buf, size_t size)
{
    size_t w = 0;
    buf[0] = '\0';
    for (int i = 0; i < CM_PMCA_SYSTEMS; i++) {
        if (!(systems & (UINT32_C(1) << i)))
            continue;
        int n = snprintf(buf + w, size - w, "%s%s", w ? "," : "", cm_pmca_systems[i]);
        assert_true(n > 0 && (size_t)n < size - w);
        w += (size_t)n;
    }
    if (w == 0)
        assert_int_equal(cm_strlcpy(buf, "-", size), CM_OK);
}

static const char *
bit_text(bool b)
{
    return b ? "1" : "0";
}

/* Compares one cell; on a mismatch prints it naming patient and column, and counts it. */
static void
check_cell(const struct expected *e, const char *column, const char *want, const char *got,
           unsigned *bad)
{
    if (strcmp(want, got) == 0)
        return;
    print_error("%s (%s) %s: expected '%s', got '%s'\n", e->id, e->family, column, want, got);
    (*bad)++;
}

/* ---- tests -------------------------------------------------------------------------------- */

static void
test_both_files_list_the_same_patients_from_p001_at_least_40(void **state)
{
    const struct fixture *fx = *state;
    assert_true(fx->nexp >= PATIENTS_REQUIRED);
    for (size_t i = 0; i < fx->nexp; i++) {
        char want[32];
        int n = snprintf(want, sizeof(want), "P%03zu", i + 1);
        assert_true(n > 0 && (size_t)n < sizeof(want));
        if (strcmp(fx->exp[i].id, want) != 0)
            fail_msg("%s row %zu: patient '%s', want '%s'", EXPECTED_PATH, i + 2, fx->exp[i].id,
                     want);
    }
    /* Input patients appear in the same order, each once as a block, none unknown. */
    size_t next = 0;
    for (size_t i = 0; i < fx->nrows; i++) {
        if (i > 0 && strcmp(fx->rows[i].patient, fx->rows[i - 1].patient) == 0)
            continue;
        if (next == fx->nexp || strcmp(fx->rows[i].patient, fx->exp[next].id) != 0)
            fail_msg("%s:%zu: patient '%s' out of order or not in %s", INPUT_PATH, i + 2,
                     fx->rows[i].patient, EXPECTED_PATH);
        next++;
    }
    if (next != fx->nexp)
        fail_msg("%s has no rows for %s", INPUT_PATH, fx->exp[next].id);
}

static void
test_every_patient_gets_the_classes_systems_and_flags_worked_out_by_hand(void **state)
{
    const struct fixture *fx = *state;
    unsigned bad = 0;
    for (size_t i = 0; i < fx->nexp; i++) {
        const struct expected *e = &fx->exp[i];
        struct outcome o;
        classify(fx, e->id, false, &o);
        static const char *const CLASS_COL[VARIANTS] = {"class_less", "class_more"};
        static const char *const SYSTEMS_COL[VARIANTS] = {"systems_less", "systems_more"};
        for (int v = 0; v < VARIANTS; v++) {
            const struct cm_pmca_result *r = &o.res[v];
            const char *cls = cm_pmca_class_name(r->cls);
            check_cell(e, CLASS_COL[v], e->cls[v], cls ? cls : "(none)", &bad);
            char sys[SYSTEMS_TEXT_MAX];
            systems_text(r->systems, sys, sizeof(sys));
            check_cell(e, SYSTEMS_COL[v], e->systems[v], sys, &bad);
            unsigned counted = 0;
            for (int s = 0; s < CM_PMCA_SYSTEMS; s++)
                counted += (r->systems >> s) & 1u;
            assert_int_equal(counted, r->scount);
        }
        /* One claim is enough for both flags in both variants (README §3 rules 5 and 6). */
        assert_int_equal(o.res[LESS].progressive, o.res[MORE].progressive);
        assert_int_equal(o.res[LESS].malign, o.res[MORE].malign);
        check_cell(e, "progressive", e->progressive, bit_text(o.res[LESS].progressive), &bad);
        check_cell(e, "malignancy", e->malignancy, bit_text(o.res[LESS].malign), &bad);
    }
    if (bad > 0)
        fail_msg("%u expected cells differ from the classifier (listed above)", bad);
}

/* Reads the "SAS rule N line L" citations of rule into out, each with whether its parenthesis
 * says the rule did not take part ("not matched", "not applied", "pc not read"). */
static size_t
citations(const char *rule, struct sas_rule *out, bool *negated, size_t max)
{
    static const char KEY[] = "SAS rule ";
    size_t n = 0;
    for (const char *p = strstr(rule, KEY); p != NULL; p = strstr(p, KEY)) {
        p += strlen(KEY);
        unsigned rule_no, sas_line;
        int used = 0;
        /* "SAS rule matches nothing" and the like cite no rule. */
        if (sscanf(p, "%u line %u%n", &rule_no, &sas_line, &used) != 2)
            continue;
        p += used;
        bool neg = false;
        if (p[0] == ' ' && p[1] == '(') {
            const char *close = strchr(p, ')');
            assert_non_null(close);
            for (const char *q = p; q + 3 <= close; q++)
                neg |= strncmp(q, "not", 3) == 0;
        }
        assert_true(n < max);
        out[n] = (struct sas_rule){rule_no, sas_line};
        negated[n] = neg;
        n++;
    }
    return n;
}

static void
test_every_sas_rule_that_fires_is_cited_and_every_cited_rule_fired_or_says_not(void **state)
{
    const struct fixture *fx = *state;
    unsigned bad = 0;
    for (size_t i = 0; i < fx->nexp; i++) {
        const struct expected *e = &fx->exp[i];
        if (strncmp(e->rule, "§3 rule", strlen("§3 rule")) != 0) {
            print_error("%s rule: does not start with a README §3 rule: '%s'\n", e->id, e->rule);
            bad++;
        }
        struct sas_rule cited[CITED_MAX];
        bool negated[CITED_MAX];
        size_t nc = citations(e->rule, cited, negated, CITED_MAX);
        struct outcome o;
        classify(fx, e->id, false, &o);
        for (size_t c = 0; c < nc; c++) {
            unsigned no = cited[c].rule_no;
            if (no == 0 || no > SAS_RULE_NO_MAX || fx->sas_line_of[no] != cited[c].sas_line) {
                print_error("%s rule: cites SAS rule %u line %u, not a row of %s\n", e->id, no,
                            cited[c].sas_line, CM_PMCA_RULES_NAME);
                bad++;
                continue;
            }
            bool fired = false;
            for (size_t f = 0; f < o.nfired; f++)
                fired |= o.fired[f].rule_no == no;
            if (fired == negated[c]) {
                print_error("%s rule: SAS rule %u line %u is cited as %s but %s\n", e->id, no,
                            cited[c].sas_line, negated[c] ? "not taking part" : "firing",
                            fired ? "fired" : "did not fire");
                bad++;
            }
        }
        for (size_t f = 0; f < o.nfired; f++) {
            bool found = false;
            for (size_t c = 0; c < nc; c++)
                found |= !negated[c] && cited[c].rule_no == o.fired[f].rule_no;
            if (!found) {
                print_error("%s rule: SAS rule %u line %u fired but is not cited\n", e->id,
                            o.fired[f].rule_no, o.fired[f].sas_line);
                bad++;
            }
        }
    }
    if (bad > 0)
        fail_msg("%u rule citations are wrong (listed above)", bad);
}

static void
test_every_family_is_known_and_every_known_family_has_a_patient(void **state)
{
    const struct fixture *fx = *state;
    size_t uses[CM_ARRAY_LEN(FAMILIES)] = {0};
    for (size_t i = 0; i < fx->nexp; i++) {
        bool known = false;
        for (size_t k = 0; k < CM_ARRAY_LEN(FAMILIES); k++) {
            if (strcmp(fx->exp[i].family, FAMILIES[k]) == 0) {
                uses[k]++;
                known = true;
            }
        }
        if (!known)
            fail_msg("%s: unknown family '%s'", fx->exp[i].id, fx->exp[i].family);
    }
    for (size_t k = 0; k < CM_ARRAY_LEN(FAMILIES); k++) {
        if (uses[k] == 0)
            fail_msg("no patient covers the family %s", FAMILIES[k]);
    }
}

static void
test_every_icd10_body_system_is_counted_for_some_patient_and_otolar_for_none(void **state)
{
    const struct fixture *fx = *state;
    uint32_t less = 0, more = 0;
    for (size_t i = 0; i < fx->nexp; i++) {
        struct outcome o;
        classify(fx, fx->exp[i].id, false, &o);
        less |= o.res[LESS].systems;
        more |= o.res[MORE].systems;
    }
    for (int s = 0; s < CM_PMCA_SYSTEMS; s++) {
        uint32_t bit = UINT32_C(1) << s;
        /* otolar is the ICD-9 branch's ear variable (README §3); ICD-10 sets otol. */
        bool icd10 = strcmp(cm_pmca_systems[s], "otolar") != 0;
        if (((less & bit) != 0) != icd10 || ((more & bit) != 0) != icd10)
            fail_msg("system %s: counted less=%d more=%d, want %d", cm_pmca_systems[s],
                     (less & bit) != 0, (more & bit) != 0, icd10);
    }
}

static void
test_no_icd10_rule_sets_otolar(void **state)
{
    const struct fixture *fx = *state;
    /* The index reads the same embedded file the classifier loads, all of it. */
    assert_int_equal(fx->rule_rows, cm_pmca_rules_count(fx->rules));
    assert_int_equal(fx->otolar_rows, 0);
}

static int
class_no(const char *name)
{
    static const enum cm_pmca_class all[] = {CM_PMCA_NON_CHRONIC, CM_PMCA_NON_COMPLEX_CHRONIC,
                                             CM_PMCA_COMPLEX_CHRONIC};
    for (size_t i = 0; i < CM_ARRAY_LEN(all); i++) {
        if (strcmp(cm_pmca_class_name(all[i]), name) == 0)
            return (int)all[i];
    }
    fail_msg("unknown class '%s'", name);
    return 0;
}

static void
test_patients_reach_every_possible_pairing_of_the_two_classes(void **state)
{
    const struct fixture *fx = *state;
    /* A system on two claims is on one claim, so scount_more <= scount_less, and the more
     * conservative class is never above the less conservative one: 6 pairings are possible. */
    unsigned seen[4][4] = {{0}};
    for (size_t i = 0; i < fx->nexp; i++) {
        int less = class_no(fx->exp[i].cls[LESS]);
        int more = class_no(fx->exp[i].cls[MORE]);
        if (more > less)
            fail_msg("%s: class_more %s above class_less %s", fx->exp[i].id, fx->exp[i].cls[MORE],
                     fx->exp[i].cls[LESS]);
        seen[less][more]++;
    }
    for (int less = 1; less <= 3; less++) {
        for (int more = 1; more <= less; more++) {
            if (seen[less][more] == 0)
                fail_msg("no patient is %s (less) and %s (more)",
                         cm_pmca_class_name((enum cm_pmca_class)less),
                         cm_pmca_class_name((enum cm_pmca_class)more));
        }
    }
}

static void
test_procedure_rows_would_change_answers_if_they_were_read_as_diagnoses(void **state)
{
    /* The pc rows are chosen so that ignoring them matters: B2000ZZ would match B20 (HIV) and
     * 5A1955Z would make an E-only claim ICD-9. Otherwise "procedures are ignored" proves
     * nothing. */
    const struct fixture *fx = *state;
    size_t with_pc = 0, changed = 0;
    for (size_t i = 0; i < fx->nexp; i++) {
        bool pc = false;
        for (size_t r = 0; r < fx->nrows; r++)
            pc |= fx->rows[r].pc && strcmp(fx->rows[r].patient, fx->exp[i].id) == 0;
        if (!pc)
            continue;
        with_pc++;
        struct outcome ignored, read;
        classify(fx, fx->exp[i].id, false, &ignored);
        classify(fx, fx->exp[i].id, true, &read);
        for (int v = 0; v < VARIANTS; v++) {
            const struct cm_pmca_result *a = &ignored.res[v], *b = &read.res[v];
            if (a->cls != b->cls || a->systems != b->systems || a->progressive != b->progressive ||
                a->malign != b->malign) {
                changed++;
                break;
            }
        }
    }
    assert_true(with_pc >= 2);
    assert_true(changed >= 2);
}

static void
test_every_patient_has_its_line_in_the_notes_in_order(void **state)
{
    const struct fixture *fx = *state;
    const char *p = fx->notes;
    for (size_t i = 0; i < fx->nexp; i++) {
        char key[64];
        int n = snprintf(key, sizeof(key), "\n- %s: ", fx->exp[i].id);
        assert_true(n > 0 && (size_t)n < sizeof(key));
        const char *at = strstr(p, key);
        if (at == NULL)
            fail_msg("%s has no line '- %s: ...' after the previous patient's", NOTES_PATH,
                     fx->exp[i].id);
        p = at + strlen(key);
    }
}

int
main(void)
{
    const struct CMUnitTest tests[] = {
        cmocka_unit_test(test_both_files_list_the_same_patients_from_p001_at_least_40),
        cmocka_unit_test(test_every_patient_gets_the_classes_systems_and_flags_worked_out_by_hand),
        cmocka_unit_test(
            test_every_sas_rule_that_fires_is_cited_and_every_cited_rule_fired_or_says_not),
        cmocka_unit_test(test_every_family_is_known_and_every_known_family_has_a_patient),
        cmocka_unit_test(
            test_every_icd10_body_system_is_counted_for_some_patient_and_otolar_for_none),
        cmocka_unit_test(test_no_icd10_rule_sets_otolar),
        cmocka_unit_test(test_patients_reach_every_possible_pairing_of_the_two_classes),
        cmocka_unit_test(test_procedure_rows_would_change_answers_if_they_were_read_as_diagnoses),
        cmocka_unit_test(test_every_patient_has_its_line_in_the_notes_in_order),
    };
    return cmocka_run_group_tests(tests, group_setup, group_teardown);
}
