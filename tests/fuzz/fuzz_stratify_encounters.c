/*
 * Fuzzes stratification's two parsers. The first byte steers; the rest is the file.
 *
 * Top bit clear: the encounters reader (cm_stratify_encounters_read) on a seekable stream. Bits
 * 0-1 pick the delimiter (detected, tab, comma), bits 2-3 the window's end (derived from the file
 * in two passes, or one of three fixed dates, among them a leap day), bits 4-5 the window (12, 1,
 * 120 or 6 months), bit 6 whether malformed rows are tolerated. Besides "no crash, no leak, no
 * UB" it checks what the reader promises: bad and outside-window rows never outnumber the rows, nor
 * patients the rows left; a failed read returns nothing and says why; a successful one tolerated
 * no more bad rows than allowed and ends its window on a real date (the one given, if given).
 *
 * Top bit set: the tier rules parser (cm_stratify_rules_parse); rules that parse are then applied
 * to a spread of children, and every answer must be a tier 0..3 with a rule id and a reason,
 * "none" exactly for tier 0.
 */
#include "identify/stratify.h"

#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size);

#define ARENA_CAP ((size_t)64 * 1024 * 1024)

static void
fuzz_encounters(uint8_t ctl, const uint8_t *text, size_t len, struct cm_arena *a)
{
    static const char delims[] = {0, '\t', ',', 0};
    static const char *const ends[] = {NULL, "2024-06-30", "2024-02-29", "1900-01-01"};
    static const unsigned windows[] = {12, 1, 120, 6};
    /* fmemopen refuses a zero size: an empty file is one NUL byte, itself a malformed header. */
    FILE *in = len > 0 ? fmemopen((void *)text, len, "r") : fmemopen((void *)"", 1, "r");
    FILE *errors = fopen("/dev/null", "w");
    if (in == NULL || errors == NULL)
        abort();
    struct cm_stratify_enc_opts o = {
        .input_name = "fuzz.tsv",
        .delimiter = delims[ctl & 3],
        .max_errors = ctl & 0x40 ? SIZE_MAX : 0,
        .errors = errors,
        .as_of = ends[(ctl >> 2) & 3],
        .window_months = windows[(ctl >> 4) & 3],
    };
    struct cm_stratify_encounters *e = NULL;
    struct cm_stratify_enc_stats st;
    struct cm_err err = {0};
    enum cm_code rc = cm_stratify_encounters_read(in, &o, &e, a, &st, &err);
    fclose(in);
    fclose(errors);
    if (st.bad_rows > st.rows || st.outside_window > st.rows - st.bad_rows ||
        st.patients > st.rows - st.bad_rows - st.outside_window)
        abort();
    if (rc != CM_OK) {
        if (e != NULL || err.code != rc || err.msg[0] == '\0')
            abort();
        return;
    }
    if (e == NULL || st.bad_rows > o.max_errors)
        abort();
    struct cm_err derr = {0};
    if (cm_date_check(st.as_of, "as_of", &derr) != CM_OK)
        abort();
    if (o.as_of != NULL && strcmp(o.as_of, st.as_of) != 0)
        abort();
    /* A patient never seen is not found, whatever the table holds. */
    if (cm_stratify_encounters_find(e, "\xff not an id", 11) != NULL)
        abort();
}

static void
fuzz_rules(const uint8_t *text, size_t len, struct cm_arena *a)
{
    struct cm_stratify_rules *r = NULL;
    struct cm_err err = {0};
    enum cm_code rc = cm_stratify_rules_parse("fuzz.json", (const char *)text, len, &r, a, &err);
    if (rc != CM_OK) {
        if (r != NULL || err.msg[0] == '\0')
            abort();
        return;
    }
    if (r == NULL || strlen(cm_stratify_rules_sha256(r)) != 64 ||
        cm_stratify_rules_window_months(r) < 1 || cm_stratify_rules_window_months(r) > 120)
        abort();
    static const uint32_t levels[] = {0, 1, 2, 3, 1000, UINT32_MAX};
    for (int cls = 0; cls <= 4; cls++) {
        for (unsigned bits = 0; bits < 16; bits++) {
            for (size_t l = 0; l < sizeof(levels) / sizeof(levels[0]); l++) {
                struct cm_identify_encounter_counts n;
                for (int t = 0; t < CM_ENC_TYPES; t++)
                    n.n[t] = levels[(l + (size_t)t) % (sizeof(levels) / sizeof(levels[0]))];
                struct cm_stratify_child c = {
                    .cls = (enum cm_identify_class)cls,
                    .tech_dep = bits & 1,
                    .transplant = bits & 2,
                    .progressive = bits & 4,
                    .malignancy = bits & 8,
                    .conditions = (unsigned)levels[l],
                    .counts = l == 0 ? NULL : &n,
                };
                struct cm_stratify_tier t = {-1, NULL, NULL};
                cm_stratify_assign(r, &c, &t);
                if (t.tier < 0 || t.tier > 3 || t.rule_id == NULL || t.reason == NULL ||
                    t.reason[0] == '\0' || (t.tier == 0) != (strcmp(t.rule_id, "none") == 0))
                    abort();
            }
        }
    }
}

int
LLVMFuzzerTestOneInput(const uint8_t *data, size_t size)
{
    if (size < 1)
        return 0;
    struct cm_arena *a = cm_arena_new(ARENA_CAP);
    if (a == NULL)
        abort();
    if (data[0] & 0x80)
        fuzz_rules(data + 1, size - 1, a);
    else
        fuzz_encounters(data[0], data + 1, size - 1, a);
    cm_arena_free(a);
    return 0;
}
