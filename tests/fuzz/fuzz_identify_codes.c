/*
 * Fuzzes the code normaliser and matchers of `caremap identify`: the first byte picks dx or pc,
 * the rest is one code. Normalised matching must equal reference matching of the normalised form
 * (spaces trimmed at both ends, ASCII letters upper-cased, and for CCC v2 as pccc 1.0.6 dots
 * removed; medicalcoder v3.1 keeps them, since it lists both forms); an empty code never matches.
 */
#include "identify/identify.h"

#include <stdint.h>
#include <stdlib.h>
#include <string.h>

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size);

static const struct cm_identify_ccc2 *ccc2;
static const struct cm_identify_mc *mc;

static void
load(void)
{
    if (ccc2 != NULL)
        return;
    /* Loaded once for the process; the arena lives as long as the matchers. */
    static struct cm_arena *arena;
    arena = cm_arena_new(64u << 20);
    struct cm_identify_ccc2 *c = NULL;
    struct cm_identify_mc *m = NULL;
    struct cm_err err = {0};
    if (arena == NULL || cm_identify_ccc2_load(10, &c, arena, &err) != CM_OK ||
        cm_identify_mc_load(CM_IDENTIFY_MC_V31, 10, &m, arena, &err) != CM_OK)
        abort();
    ccc2 = c;
    mc = m;
}

int
LLVMFuzzerTestOneInput(const uint8_t *data, size_t size)
{
    if (size < 1 || size - 1 > CM_IDENTIFY_CODE_MAX)
        return 0;
    load();
    enum cm_identify_code_type type = data[0] & 1 ? CM_IDENTIFY_PC : CM_IDENTIFY_DX;
    const char *code = (const char *)data + 1;
    size_t len = size - 1;

    char norm[CM_IDENTIFY_CODE_MAX + 1], upper[CM_IDENTIFY_CODE_MAX + 1];
    size_t a = 0, b = len, n = 0, u = 0;
    while (a < b && code[a] == ' ')
        a++;
    while (b > a && code[b - 1] == ' ')
        b--;
    for (size_t i = a; i < b; i++) {
        char c = code[i];
        c = (c >= 'a' && c <= 'z') ? (char)(c - 'a' + 'A') : c;
        upper[u++] = c;
        if (c != '.')
            norm[n++] = c;
    }

    if (cm_identify_ccc2_match(ccc2, type, code, len, CM_IDENTIFY_CODES_NORMALISED) !=
        cm_identify_ccc2_match(ccc2, type, norm, n, CM_IDENTIFY_CODES_REFERENCE))
        abort();
    if (n == 0 && cm_identify_ccc2_match(ccc2, type, norm, 0, CM_IDENTIFY_CODES_REFERENCE) != 0)
        abort();
    struct cm_identify_mc_hit x =
        cm_identify_mc_match(mc, type, code, len, CM_IDENTIFY_CODES_NORMALISED);
    struct cm_identify_mc_hit y =
        cm_identify_mc_match(mc, type, upper, u, CM_IDENTIFY_CODES_REFERENCE);
    if (x.dxpr != y.dxpr || x.tech != y.tech || x.techtrans != y.techtrans || x.flags != y.flags)
        abort();
    if (u == 0 && (y.dxpr | y.tech | y.techtrans | y.flags) != 0)
        abort();
    return 0;
}
