/*
 * PMCA (Simon et al., Pediatrics 2014) from the SAS %classify_dx ICD-10 rules. There are no
 * reference outputs for PMCA: each case below is written from a published rule and cites it as
 * "rule_no/sas_line" of data/codelists/pmca_icd10_sas_rules_v3.4.5.tsv and "README rule N" of the
 * numbered classification rules in the reference README, section 3. The last test replays the
 * maintainer's own code list (kpwhri docs/pmca_dx_code_lists.xlsx, sheet icd-10): all 10,151 codes.
 */
#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>

#include <cmocka.h>

#include "testlib.h"

#include "identify/pmca.h"

#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#define BIT(name) (UINT32_C(1) << system_index(name))

static int
system_index(const char *name)
{
    for (int i = 0; i < CM_PMCA_SYSTEMS; i++) {
        if (strcmp(cm_pmca_systems[i], name) == 0)
            return i;
    }
    fail_msg("unknown system %s", name);
    return 0;
}

struct fixture {
    struct cm_arena *arena;
    struct cm_pmca_rules *rules;
};

static int
setup(void **state)
{
    struct fixture *fx = calloc(1, sizeof(*fx));
    assert_non_null(fx);
    fx->arena = cm_arena_new(8u << 20);
    assert_non_null(fx->arena);
    struct cm_err err = {0};
    enum cm_code rc = cm_pmca_rules_load(&fx->rules, fx->arena, &err);
    if (rc != CM_OK)
        fail_msg("load: %s", err.msg);
    *state = fx;
    return 0;
}

static int
teardown(void **state)
{
    struct fixture *fx = *state;
    cm_arena_free(fx->arena);
    free(fx);
    return 0;
}

static uint32_t
flags_of(void **state, const char *code)
{
    struct fixture *fx = *state;
    return cm_pmca_code_flags(fx->rules, code, strlen(code));
}

/* ---- the rule set ---------------------------------------------------------------------------- */

static void
test_embedded_rules_load_all_1577_patterns(void **state)
{
    struct fixture *fx = *state;
    assert_int_equal(cm_pmca_rules_count(fx->rules), 1577);
}

/* Parses text expecting CM_EINVAL whose message starts with want. */
static void
expect_parse_error(const char *text, const char *want)
{
    struct cm_arena *a = cm_arena_new(1u << 20);
    assert_non_null(a);
    struct cm_pmca_rules *r = NULL;
    struct cm_err err = {0};
    enum cm_code rc = cm_pmca_rules_parse("t.tsv", text, strlen(text), &r, a, &err);
    cm_arena_free(a);
    assert_int_equal(rc, CM_EINVAL);
    if (strncmp(err.msg, want, strlen(want)) != 0)
        fail_msg("got '%s', want '%s...'", err.msg, want);
}

#define HDR                                                                                        \
    "rule_no\tsas_line\tmatch\tpattern\tsas_literal\tsets\tbody_"                                  \
    "systems\tmalignancy\tprogressive\n"

static void
test_malformed_rules_are_rejected_naming_file_and_line(void **state)
{
    (void)state;
    expect_parse_error("", "t.tsv:1: wrong header");
    expect_parse_error("rule_no\tsas_line\n", "t.tsv:1: wrong header");
    expect_parse_error(HDR, "t.tsv:1: no rules");
    expect_parse_error(HDR "1\t547\tprefix\tA15\tA15\tpulresp\tpulresp\t0\n",
                       "t.tsv:2: expected 9 TAB-separated columns");
    expect_parse_error(HDR "1\t547\tprefix\tA15\tA15\tpulresp\tpulresp\t0\t0\n"
                           "x\t548\tprefix\tA171\tA171\tneuro\tneuro\t0\t0\n",
                       "t.tsv:3: rule_no must be a positive integer");
    expect_parse_error(HDR "1\t0\tprefix\tA15\tA15\tpulresp\tpulresp\t0\t0\n",
                       "t.tsv:2: sas_line must be a positive integer");
    expect_parse_error(HDR "1\t547\tin:\tA15\tA15\tpulresp\tpulresp\t0\t0\n",
                       "t.tsv:2: match must be prefix or exact");
    expect_parse_error(HDR "1\t547\tprefix\ta15\ta15\tpulresp\tpulresp\t0\t0\n",
                       "t.tsv:2: pattern must be upper-case letters and digits");
    expect_parse_error(HDR "1\t547\tprefix\t\t\tpulresp\tpulresp\t0\t0\n",
                       "t.tsv:2: empty pattern");
    expect_parse_error(HDR "1\t547\tprefix\tA15\tA16\tpulresp\tpulresp\t0\t0\n",
                       "t.tsv:2: sas_literal does not match pattern");
    expect_parse_error(HDR "62\t782\tprefix\tM358\tM358 \timmuno\timmuno\t0\t0\n",
                       "t.tsv:2: a blank-padded sas_literal must be an exact row");
    expect_parse_error(HDR "1\t547\tprefix\tA15\tA15\tlungs\tpulresp\t0\t0\n",
                       "t.tsv:2: unknown SAS variable");
    expect_parse_error(HDR "1\t547\tprefix\tA15\tA15\tpulresp;pulresp\tpulresp\t0\t0\n",
                       "t.tsv:2: repeated SAS variable");
    expect_parse_error(HDR "1\t547\tprefix\tA15\tA15\tpulresp\tneuro\t0\t0\n",
                       "t.tsv:2: body_systems is not the body systems of sets");
    expect_parse_error(HDR "20\t568\tprefix\tC0\tC0\tmalign\tmalign\t1\t0\n",
                       "t.tsv:2: body_systems lists a variable that is not a body system");
    expect_parse_error(HDR "20\t568\tprefix\tC0\tC0\tmalign\t\t0\t0\n",
                       "t.tsv:2: malignancy does not agree with sets");
    expect_parse_error(HDR "41\t670\tprefix\tG800\tG800\tneuro;progressive\tneuro\t0\t0\n",
                       "t.tsv:2: progressive does not agree with sets");
    expect_parse_error(HDR "1\t547\tprefix\tA15\tA15\tpulresp\tpulresp\t0\t0\r\n",
                       "t.tsv:2: progressive does not agree with sets");
}

static void
test_a_minimal_rules_file_parses_and_matches(void **state)
{
    (void)state;
    static const char text[] = HDR "1\t547\tprefix\tA15\tA15\tpulresp\tpulresp\t0\t0\n"
                                   "62\t782\texact\tM358\tM358 \timmuno;progressive\timmuno\t0\t1";
    struct cm_arena *a = cm_arena_new(1u << 20);
    assert_non_null(a);
    struct cm_pmca_rules *r = NULL;
    struct cm_err err = {0};
    assert_int_equal(cm_pmca_rules_parse("t.tsv", text, strlen(text), &r, a, &err), CM_OK);
    assert_int_equal(cm_pmca_rules_count(r), 2);
    assert_int_equal(cm_pmca_code_flags(r, "A159", 4), BIT("pulresp"));
    assert_int_equal(cm_pmca_code_flags(r, "M358", 4), BIT("immuno") | CM_PMCA_PROGRESSIVE);
    cm_arena_free(a);
}

/* ---- one code ---------------------------------------------------------------------------------
 */

static void
test_prefix_rule_matches_codes_that_start_with_the_pattern(void **state)
{
    /* Rule 1/547: A15 prefix, pulresp. */
    assert_int_equal(flags_of(state, "A15"), BIT("pulresp"));
    assert_int_equal(flags_of(state, "A150"), BIT("pulresp"));
    assert_int_equal(flags_of(state, "A1590"), BIT("pulresp"));
    /* A code shorter than the pattern does not start with it. */
    assert_int_equal(flags_of(state, "A1"), 0);
    assert_int_equal(flags_of(state, "A16"), 0);
    assert_int_equal(flags_of(state, ""), 0);
}

static void
test_blank_padded_literal_m358_is_exact_and_does_not_match_m3581(void **state)
{
    /* Rule 62/782: SAS literal 'M358 ' (trailing blank) in an in: list, immuno + progressive. */
    assert_int_equal(flags_of(state, "M358"), BIT("immuno") | CM_PMCA_PROGRESSIVE);
    assert_int_equal(flags_of(state, "M35.8"), BIT("immuno") | CM_PMCA_PROGRESSIVE);
    assert_int_equal(flags_of(state, "M3581"), 0);
    assert_int_equal(flags_of(state, "M3589"), 0);
    /* SAS pads values with blanks, so a trailing blank on the code is invisible to it. */
    assert_int_equal(flags_of(state, "M358 "), BIT("immuno") | CM_PMCA_PROGRESSIVE);
    /* A leading blank is not: the code no longer starts with M. */
    assert_int_equal(flags_of(state, " M358"), 0);
}

static void
test_exact_rule_q21_matches_only_q21_while_prefix_q210_matches_longer_codes(void **state)
{
    /* Rule 76/835: Q21 exact and Q210 prefix, both cardiac. */
    assert_int_equal(flags_of(state, "Q21"), BIT("cardiac"));
    assert_int_equal(flags_of(state, "Q210"), BIT("cardiac"));
    assert_int_equal(flags_of(state, "Q2101"), BIT("cardiac"));
    /* Q217 is neither Q21 exactly nor under a listed Q21x prefix. */
    assert_int_equal(flags_of(state, "Q217"), 0);
}

static void
test_g40_841_sets_two_systems_neuro_and_genetic(void **state)
{
    /* Rule 40/651 (G40 prefix, neuro) and rule 94/891 (G4084 prefix, genetic + progressive): a code
     * gets every flag of every rule it matches (README, "A code gets every flag..."). */
    uint32_t want = BIT("neuro") | BIT("genetic") | CM_PMCA_PROGRESSIVE;
    assert_int_equal(flags_of(state, "G40.841"), want);
    assert_int_equal(flags_of(state, "G40844"), want);
    /* G40.1 is only rule 40. */
    assert_int_equal(flags_of(state, "G40.1"), BIT("neuro"));

    struct fixture *fx = *state;
    struct cm_pmca_rule_hit hits[4];
    size_t n = cm_pmca_code_rules(fx->rules, "G40.841", 7, hits, 4);
    assert_int_equal(n, 2);
    assert_int_equal(hits[0].rule_no, 40);
    assert_int_equal(hits[0].sas_line, 651);
    assert_false(hits[0].exact);
    assert_string_equal(hits[0].pattern, "G40");
    assert_int_equal(hits[0].flags, BIT("neuro"));
    assert_int_equal(hits[1].rule_no, 94);
    assert_int_equal(hits[1].sas_line, 891);
    assert_string_equal(hits[1].pattern, "G4084");
    /* Only max hits are written, but all are counted. */
    assert_int_equal(cm_pmca_code_rules(fx->rules, "G40841", 6, hits, 1), 2);
}

static void
test_progressive_code_sets_its_system_and_progressive(void **state)
{
    /* Rule 41/670: G800 prefix, neuro + progressive; rule 50/735: I42 prefix, cardiac +
     * progressive. */
    assert_int_equal(flags_of(state, "G80.0"), BIT("neuro") | CM_PMCA_PROGRESSIVE);
    assert_int_equal(flags_of(state, "I42.0"), BIT("cardiac") | CM_PMCA_PROGRESSIVE);
}

static void
test_malignancy_code_sets_malign_and_no_body_system(void **state)
{
    /* Rule 20/568: C0 prefix, malign only (README: "malign is not a body system"). */
    uint32_t f = flags_of(state, "C01");
    assert_int_equal(f, CM_PMCA_MALIGN);
    assert_int_equal(f & CM_PMCA_SYSTEM_MASK, 0);
}

static void
test_dots_are_removed_anywhere_in_the_code(void **state)
{
    /* README rule 1; rule 1/547 A15. */
    assert_int_equal(flags_of(state, "A15.0"), BIT("pulresp"));
    assert_int_equal(flags_of(state, "A.1.5"), BIT("pulresp"));
    assert_int_equal(flags_of(state, ".A15."), BIT("pulresp"));
    assert_int_equal(flags_of(state, "..."), 0);
}

static void
test_lower_case_codes_match_nothing_as_in_sas(void **state)
{
    /* README rule 1: the SAS comparisons are case-sensitive (rules 1/547 and 62/782). */
    assert_int_equal(flags_of(state, "a15"), 0);
    assert_int_equal(flags_of(state, "m358"), 0);
    assert_int_equal(flags_of(state, "g40.841"), 0);
}

static void
test_long_codes_still_match_prefixes_but_not_exact_rows(void **state)
{
    /* Rule 1/547 prefix A15; rule 62/782 exact M358. */
    assert_int_equal(flags_of(state, "A15XXXXXXXXXXXXXXXXXXXXXXXXXXXXXXXXXXX"), BIT("pulresp"));
    assert_int_equal(flags_of(state, "M358XXXXXXXXXXXXXXXXXXXXXXXXXXXXXXXXXX"), 0);
}

/* ---- claims -----------------------------------------------------------------------------------
 */

static enum cm_pmca_icd
icd_of(const char *const *codes, size_t n)
{
    return cm_pmca_claim_icd(codes, NULL, n);
}

static void
test_claim_with_any_a_to_d_f_to_u_or_w_to_z_code_is_icd10(void **state)
{
    (void)state;
    /* README rule 2, first branch: beats the digit of an ICD-9 code on the same claim. */
    const char *c1[] = {"250.00", "A15.0"};
    assert_int_equal(icd_of(c1, 2), CM_PMCA_ICD10);
    const char *c2[] = {"V45.1", "Z99.2"};
    assert_int_equal(icd_of(c2, 2), CM_PMCA_ICD10);
    const char *c3[] = {"V45.1", "U09.9"};
    assert_int_equal(icd_of(c3, 2), CM_PMCA_ICD10);
    const char *c4[] = {"V45.1", "W19"};
    assert_int_equal(icd_of(c4, 2), CM_PMCA_ICD10);
    /* The first character after dots are removed (README rule 1). */
    const char *c5[] = {".D57"};
    assert_int_equal(icd_of(c5, 1), CM_PMCA_ICD10);
}

static void
test_claim_with_a_digit_code_and_no_letter_code_is_icd9(void **state)
{
    (void)state;
    /* README rule 2, second branch: the digit wins over E and V codes. */
    const char *c1[] = {"E800", "343.9"};
    assert_int_equal(icd_of(c1, 2), CM_PMCA_ICD9);
    const char *c2[] = {"V45.1", "0"};
    assert_int_equal(icd_of(c2, 2), CM_PMCA_ICD9);
}

static void
test_claim_of_only_e_codes_is_icd10_and_a_v_code_makes_it_icd9(void **state)
{
    (void)state;
    /* README rule 2, third branch: E sets ICD-10, V (applied second) sets ICD-9 and wins. */
    const char *e[] = {"E10.9", "E800"};
    assert_int_equal(icd_of(e, 2), CM_PMCA_ICD10);
    const char *v[] = {"V45.1"};
    assert_int_equal(icd_of(v, 1), CM_PMCA_ICD9);
    const char *ev[] = {"E10.9", "V45.1"};
    assert_int_equal(icd_of(ev, 2), CM_PMCA_ICD9);
    const char *ve[] = {"V45.1", "E10.9"};
    assert_int_equal(icd_of(ve, 2), CM_PMCA_ICD9);
}

static void
test_claim_with_no_recognised_first_character_is_neither(void **state)
{
    (void)state;
    assert_int_equal(icd_of(NULL, 0), CM_PMCA_ICD_NONE);
    const char *c[] = {"a15", "", " A15", "."};
    assert_int_equal(icd_of(c, 4), CM_PMCA_ICD_NONE);
}

static void
test_claim_flags_are_the_or_of_its_codes(void **state)
{
    struct fixture *fx = *state;
    /* README rule 3; rules 40/651 (G40 neuro), 76/835 (Q210 cardiac), 20/568 (C0 malign). */
    const char *codes[] = {"G40.1", "Q21.0", "C01", "J06.9"};
    size_t lens[] = {5, 5, 3, 4};
    enum cm_pmca_icd icd = CM_PMCA_ICD_NONE;
    uint32_t f = cm_pmca_claim_flags(fx->rules, codes, lens, 4, &icd);
    assert_int_equal(icd, CM_PMCA_ICD10);
    assert_int_equal(f, BIT("neuro") | BIT("cardiac") | CM_PMCA_MALIGN);
    /* lens bound each code: "G40.1" cut to "G4" matches nothing. */
    size_t cut[] = {2};
    assert_int_equal(cm_pmca_claim_flags(fx->rules, codes, cut, 1, NULL), 0);
}

static void
test_icd9_claim_sets_nothing_because_no_icd9_rules_are_available(void **state)
{
    struct fixture *fx = *state;
    /* README rule 2: V wins, so E10.9 (rule 27/598, endo, under ICD-10) is read as ICD-9, and the
     * ICD-9 branch of %classify_dx was not converted. */
    const char *codes[] = {"E10.9", "V45.1"};
    enum cm_pmca_icd icd = CM_PMCA_ICD_NONE;
    assert_int_equal(cm_pmca_claim_flags(fx->rules, codes, NULL, 2, &icd), 0);
    assert_int_equal(icd, CM_PMCA_ICD9);
    /* Without the V code the same E code is ICD-10 and sets endo. */
    assert_int_equal(cm_pmca_claim_flags(fx->rules, codes, NULL, 1, &icd), BIT("endo"));
    assert_int_equal(icd, CM_PMCA_ICD10);
}

/* ---- children ---------------------------------------------------------------------------------
 */

/* Builds a child from claims of codes separated by '|', claims separated by '/'. */
static void
child_of(void **state, const char *spec, struct cm_pmca_child *c)
{
    struct fixture *fx = *state;
    cm_pmca_child_init(c);
    char buf[256];
    assert_int_equal(cm_strlcpy(buf, spec, sizeof(buf)), CM_OK);
    char *claim_save = NULL;
    for (char *claim = strtok_r(buf, "/", &claim_save); claim != NULL;
         claim = strtok_r(NULL, "/", &claim_save)) {
        const char *codes[16];
        size_t n = 0;
        char *code_save = NULL;
        for (char *code = strtok_r(claim, "|", &code_save); code != NULL && n < 16;
             code = strtok_r(NULL, "|", &code_save))
            codes[n++] = code;
        cm_pmca_child_add_claim(c, cm_pmca_claim_flags(fx->rules, codes, NULL, n, NULL));
    }
}

static void
expect_class(const struct cm_pmca_child *c, enum cm_pmca_variant v, enum cm_pmca_class cls,
             unsigned scount, const char *why)
{
    struct cm_pmca_result r;
    cm_pmca_child_classify(c, v, &r);
    assert_int_equal(r.variant, v);
    assert_int_equal(r.cls, cls);
    assert_int_equal(r.scount, scount);
    char text[256];
    struct cm_err err = {0};
    assert_int_equal(cm_pmca_result_describe(&r, text, sizeof(text), &err), CM_OK);
    assert_string_equal(text, why);
}

static void
test_one_system_on_two_claims_is_non_complex_chronic_in_both_variants(void **state)
{
    /* README rules 5 and 6; rule 40/651 (G40 neuro, not progressive). */
    struct cm_pmca_child c;
    child_of(state, "G40.1/G40.909", &c);
    assert_int_equal(c.claims, 2);
    assert_int_equal(c.system_claims[system_index("neuro")], 2);
    assert_int_equal(cm_pmca_child_any(&c), BIT("neuro"));
    expect_class(&c, CM_PMCA_LESS, CM_PMCA_NON_COMPLEX_CHRONIC, 1,
                 "non_complex_chronic (less): 1 body system (neuro)");
    expect_class(&c, CM_PMCA_MORE, CM_PMCA_NON_COMPLEX_CHRONIC, 1,
                 "non_complex_chronic (more): 1 body system on 2+ claims (neuro)");
}

static void
test_one_system_on_one_claim_is_chronic_only_in_the_less_conservative_variant(void **state)
{
    /* README rule 6: a system counts in cond_more only on 2 different claims; rule 40/651. Two
     * neuro codes on one claim are one claim (README rule 4). */
    struct cm_pmca_child c;
    child_of(state, "G40.1|G40.909/J06.9", &c);
    assert_int_equal(c.system_claims[system_index("neuro")], 1);
    expect_class(&c, CM_PMCA_LESS, CM_PMCA_NON_COMPLEX_CHRONIC, 1,
                 "non_complex_chronic (less): 1 body system (neuro)");
    expect_class(&c, CM_PMCA_MORE, CM_PMCA_NON_CHRONIC, 0, "non_chronic (more): no body system");
}

static void
test_two_systems_on_one_claim_each_are_complex_only_when_less_conservative(void **state)
{
    /* README rule 5 (scount_less >= 2) and rule 6 (scount_more counts neither); rules 40/651
     * (G40 neuro) and 76/835 (Q210 cardiac). */
    struct cm_pmca_child c;
    child_of(state, "G40.1/Q21.0", &c);
    expect_class(&c, CM_PMCA_LESS, CM_PMCA_COMPLEX_CHRONIC, 2,
                 "complex_chronic (less): 2 body systems (cardiac, neuro)");
    expect_class(&c, CM_PMCA_MORE, CM_PMCA_NON_CHRONIC, 0, "non_chronic (more): no body system");
}

static void
test_two_systems_each_on_two_claims_are_complex_in_both_variants(void **state)
{
    /* README rules 5 and 6; rules 40/651 and 76/835. */
    struct cm_pmca_child c;
    child_of(state, "G40.1|Q21.0/Q21.0/G40.1", &c);
    expect_class(&c, CM_PMCA_MORE, CM_PMCA_COMPLEX_CHRONIC, 2,
                 "complex_chronic (more): 2 body systems on 2+ claims (cardiac, neuro)");
    /* Two systems on two claims plus a third on one: more counts 2, less 3. */
    child_of(state, "G40.1|Q21.0/Q21.0/G40.1/A15.0", &c);
    expect_class(&c, CM_PMCA_LESS, CM_PMCA_COMPLEX_CHRONIC, 3,
                 "complex_chronic (less): 3 body systems (cardiac, neuro, pulresp)");
    expect_class(&c, CM_PMCA_MORE, CM_PMCA_COMPLEX_CHRONIC, 2,
                 "complex_chronic (more): 2 body systems on 2+ claims (cardiac, neuro)");
}

static void
test_progressive_code_on_one_claim_is_complex_in_both_variants(void **state)
{
    /* README rules 5 and 6: progressive needs one claim; rule 41/670 (G800 neuro + progressive). */
    struct cm_pmca_child c;
    child_of(state, "G80.0/J06.9", &c);
    expect_class(&c, CM_PMCA_LESS, CM_PMCA_COMPLEX_CHRONIC, 1,
                 "complex_chronic (less): 1 body system (neuro); progressive");
    expect_class(&c, CM_PMCA_MORE, CM_PMCA_COMPLEX_CHRONIC, 0,
                 "complex_chronic (more): no body system; progressive");
}

static void
test_malignancy_only_is_complex_with_no_body_system(void **state)
{
    /* README rules 5 and 6: malignancy needs one claim and is not a system; rule 20/568 (C0). */
    struct cm_pmca_child c;
    child_of(state, "C01", &c);
    assert_int_equal(cm_pmca_child_any(&c), CM_PMCA_MALIGN);
    expect_class(&c, CM_PMCA_LESS, CM_PMCA_COMPLEX_CHRONIC, 0,
                 "complex_chronic (less): no body system; malignancy");
    expect_class(&c, CM_PMCA_MORE, CM_PMCA_COMPLEX_CHRONIC, 0,
                 "complex_chronic (more): no body system; malignancy");
}

static void
test_child_with_nothing_flagged_is_non_chronic(void **state)
{
    /* README rules 5 and 6, last branch. An ICD-9 claim sets nothing (no ICD-9 rules). */
    struct cm_pmca_child c;
    child_of(state, "J06.9/Z00.129/343.9|E10.9", &c);
    assert_int_equal(c.claims, 3);
    assert_int_equal(cm_pmca_child_any(&c), 0);
    expect_class(&c, CM_PMCA_LESS, CM_PMCA_NON_CHRONIC, 0, "non_chronic (less): no body system");
    expect_class(&c, CM_PMCA_MORE, CM_PMCA_NON_CHRONIC, 0, "non_chronic (more): no body system");
    cm_pmca_child_init(&c);
    expect_class(&c, CM_PMCA_LESS, CM_PMCA_NON_CHRONIC, 0, "non_chronic (less): no body system");
}

static void
test_class_names_are_the_sas_classes(void **state)
{
    (void)state;
    assert_string_equal(cm_pmca_class_name(CM_PMCA_NON_CHRONIC), "non_chronic");
    assert_string_equal(cm_pmca_class_name(CM_PMCA_NON_COMPLEX_CHRONIC), "non_complex_chronic");
    assert_string_equal(cm_pmca_class_name(CM_PMCA_COMPLEX_CHRONIC), "complex_chronic");
    assert_int_equal(CM_PMCA_NON_CHRONIC, 1);
    assert_int_equal(CM_PMCA_COMPLEX_CHRONIC, 3);
    assert_null(cm_pmca_class_name((enum cm_pmca_class)0));
    assert_string_equal(cm_pmca_variant_name(CM_PMCA_LESS), "less");
    assert_string_equal(cm_pmca_variant_name(CM_PMCA_MORE), "more");
}

static void
test_description_too_long_for_the_buffer_is_too_big(void **state)
{
    (void)state;
    struct cm_pmca_result r = {.variant = CM_PMCA_LESS,
                               .cls = CM_PMCA_COMPLEX_CHRONIC,
                               .scount = CM_PMCA_SYSTEMS,
                               .systems = CM_PMCA_SYSTEM_MASK,
                               .progressive = true,
                               .malign = true};
    char small[16];
    struct cm_err err = {0};
    assert_int_equal(cm_pmca_result_describe(&r, small, sizeof(small), &err), CM_ETOOBIG);
    assert_int_equal(strlen(small), sizeof(small) - 1);
    char big[512];
    cm_err_clear(&err);
    assert_int_equal(cm_pmca_result_describe(&r, big, sizeof(big), &err), CM_OK);
    assert_non_null(strstr(big, "18 body systems (cardiac, cranio,"));
    assert_non_null(strstr(big, "renal); progressive; malignancy"));
    r.cls = (enum cm_pmca_class)7;
    cm_err_clear(&err);
    assert_int_equal(cm_pmca_result_describe(&r, big, sizeof(big), &err), CM_EINVAL);
}

static void
test_claim_counts_saturate_instead_of_wrapping(void **state)
{
    (void)state;
    struct cm_pmca_child c;
    cm_pmca_child_init(&c);
    c.claims = UINT32_MAX;
    c.malign_claims = UINT32_MAX;
    cm_pmca_child_add_claim(&c, CM_PMCA_MALIGN);
    assert_int_equal(c.claims, UINT32_MAX);
    assert_int_equal(c.malign_claims, UINT32_MAX);
}

/* ---- the maintainer's code list ---------------------------------------------------------------
 */

/* The code list's body_system names, in the SAS order of its "first flagged" rule: the 18 systems
 * with malign between immuno and mh (README section 3). */
static const struct {
    uint32_t bit_index; /* CM_PMCA_SYSTEMS + 1 for malign */
    const char *label;
} LABELS[] = {
    {0, "cardiac"},
    {1, "craniofacial"},
    {2, "dermatological"},
    {3, "endocrinological"},
    {4, "gastrointestinal"},
    {5, "genetic"},
    {6, "genitourinary"},
    {7, "hematological"},
    {8, "immunological"},
    {CM_PMCA_SYSTEMS + 1, "malignancy"},
    {9, "mental health"},
    {10, "metabolic"},
    {11, "musculoskeletal"},
    {12, "neurological"},
    {13, "ophthalmological"},
    {14, "otologic"},
    {15, "otologic"},
    {16, "pulmonary/respiratory"},
    {17, "renal"},
};

static const char *
first_label(uint32_t flags)
{
    for (size_t i = 0; i < sizeof(LABELS) / sizeof(LABELS[0]); i++) {
        if (flags & (UINT32_C(1) << LABELS[i].bit_index))
            return LABELS[i].label;
    }
    return "";
}

static void
test_rules_reproduce_body_system_and_progressive_of_all_10151_listed_codes(void **state)
{
    /* README section 3, "Check": the first flagged system in SAS order and progressive of every
     * row of pmca_icd10_code_list_kpwhri.tsv (columns dx, dx_nodecimal, code_desc, body_system,
     * progressive). Both the dotted and the undotted form must agree (README rule 1). */
    struct fixture *fx = *state;
    size_t len;
    char *text = testlib_slurp("tests/data/identify/pmca_icd10_code_list_kpwhri.tsv", &len);
    size_t rows = 0, two_systems = 0, lineno = 0;
    char *save = NULL;
    for (char *line = strtok_r(text, "\n", &save); line != NULL;
         line = strtok_r(NULL, "\n", &save)) {
        lineno++;
        if (lineno == 1) {
            assert_string_equal(line, "dx\tdx_nodecimal\tcode_desc\tbody_system\tprogressive");
            continue;
        }
        char *f[5];
        char *p = line;
        for (int i = 0; i < 5; i++) {
            f[i] = p;
            char *tab = strchr(p, '\t');
            if (i < 4) {
                if (tab == NULL)
                    fail_msg("line %zu: too few columns", lineno);
                *tab = '\0';
                p = tab + 1;
            } else if (tab != NULL) {
                fail_msg("line %zu: too many columns", lineno);
            }
        }
        uint32_t flags = cm_pmca_code_flags(fx->rules, f[1], strlen(f[1]));
        uint32_t dotted = cm_pmca_code_flags(fx->rules, f[0], strlen(f[0]));
        if (flags != dotted)
            fail_msg("line %zu: %s and %s differ", lineno, f[0], f[1]);
        const char *label = first_label(flags);
        if (strcmp(label, f[3]) != 0)
            fail_msg("line %zu: %s: first system '%s', listed '%s'", lineno, f[1], label, f[3]);
        const char *progressive = (flags & CM_PMCA_PROGRESSIVE) ? "yes" : "no";
        if (strcmp(progressive, f[4]) != 0)
            fail_msg("line %zu: %s: progressive %s, listed %s", lineno, f[1], progressive, f[4]);
        uint32_t systems = flags & CM_PMCA_SYSTEM_MASK;
        two_systems += (systems & (systems - 1)) != 0;
        rows++;
    }
    free(text);
    assert_int_equal(rows, 10151);
    /* G40.841-G40.844 are the only listed codes with two systems (README section 3). */
    assert_int_equal(two_systems, 4);
}

int
main(void)
{
    const struct CMUnitTest tests[] = {
        cmocka_unit_test_setup_teardown(test_embedded_rules_load_all_1577_patterns, setup,
                                        teardown),
        cmocka_unit_test(test_malformed_rules_are_rejected_naming_file_and_line),
        cmocka_unit_test(test_a_minimal_rules_file_parses_and_matches),
        cmocka_unit_test_setup_teardown(test_prefix_rule_matches_codes_that_start_with_the_pattern,
                                        setup, teardown),
        cmocka_unit_test_setup_teardown(
            test_blank_padded_literal_m358_is_exact_and_does_not_match_m3581, setup, teardown),
        cmocka_unit_test_setup_teardown(
            test_exact_rule_q21_matches_only_q21_while_prefix_q210_matches_longer_codes, setup,
            teardown),
        cmocka_unit_test_setup_teardown(test_g40_841_sets_two_systems_neuro_and_genetic, setup,
                                        teardown),
        cmocka_unit_test_setup_teardown(test_progressive_code_sets_its_system_and_progressive,
                                        setup, teardown),
        cmocka_unit_test_setup_teardown(test_malignancy_code_sets_malign_and_no_body_system, setup,
                                        teardown),
        cmocka_unit_test_setup_teardown(test_dots_are_removed_anywhere_in_the_code, setup,
                                        teardown),
        cmocka_unit_test_setup_teardown(test_lower_case_codes_match_nothing_as_in_sas, setup,
                                        teardown),
        cmocka_unit_test_setup_teardown(test_long_codes_still_match_prefixes_but_not_exact_rows,
                                        setup, teardown),
        cmocka_unit_test(test_claim_with_any_a_to_d_f_to_u_or_w_to_z_code_is_icd10),
        cmocka_unit_test(test_claim_with_a_digit_code_and_no_letter_code_is_icd9),
        cmocka_unit_test(test_claim_of_only_e_codes_is_icd10_and_a_v_code_makes_it_icd9),
        cmocka_unit_test(test_claim_with_no_recognised_first_character_is_neither),
        cmocka_unit_test_setup_teardown(test_claim_flags_are_the_or_of_its_codes, setup, teardown),
        cmocka_unit_test_setup_teardown(
            test_icd9_claim_sets_nothing_because_no_icd9_rules_are_available, setup, teardown),
        cmocka_unit_test_setup_teardown(
            test_one_system_on_two_claims_is_non_complex_chronic_in_both_variants, setup, teardown),
        cmocka_unit_test_setup_teardown(
            test_one_system_on_one_claim_is_chronic_only_in_the_less_conservative_variant, setup,
            teardown),
        cmocka_unit_test_setup_teardown(
            test_two_systems_on_one_claim_each_are_complex_only_when_less_conservative, setup,
            teardown),
        cmocka_unit_test_setup_teardown(
            test_two_systems_each_on_two_claims_are_complex_in_both_variants, setup, teardown),
        cmocka_unit_test_setup_teardown(
            test_progressive_code_on_one_claim_is_complex_in_both_variants, setup, teardown),
        cmocka_unit_test_setup_teardown(test_malignancy_only_is_complex_with_no_body_system, setup,
                                        teardown),
        cmocka_unit_test_setup_teardown(test_child_with_nothing_flagged_is_non_chronic, setup,
                                        teardown),
        cmocka_unit_test(test_class_names_are_the_sas_classes),
        cmocka_unit_test(test_description_too_long_for_the_buffer_is_too_big),
        cmocka_unit_test(test_claim_counts_saturate_instead_of_wrapping),
        cmocka_unit_test_setup_teardown(
            test_rules_reproduce_body_system_and_progressive_of_all_10151_listed_codes, setup,
            teardown),
    };
    return cmocka_run_group_tests(tests, NULL, NULL);
}
