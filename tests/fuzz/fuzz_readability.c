/*
 * Fuzzes cm_plan_readability, the parser of everything a family reads, in both languages: the
 * first byte picks the language, the rest is the text. Besides "no crash, no leak, no UB" it checks
 * what success promises: at least one sentence and one word, at least one syllable per word, and
 * every hardest-sentence span inside the text, hardest first.
 */
#include "plan/plan.h"

#include <stdint.h>
#include <stdlib.h>

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size);

int
LLVMFuzzerTestOneInput(const uint8_t *data, size_t size)
{
    if (size < 1)
        return 0;
    const char *lang = (data[0] & 1) ? "es" : "en";
    const char *text = (const char *)data + 1;
    size_t len = size - 1;
    struct cm_readability r;
    struct cm_sentence_score hardest[4];
    size_t n = 0;
    struct cm_err err = {0};
    if (cm_plan_readability(text, len, lang, &r, hardest, 4, &n, &err) != CM_OK)
        return 0;
    if (r.sentences < 1 || r.words < 1 || r.syllables < r.words || n > 4 || n > r.sentences)
        abort();
    for (size_t i = 0; i < n; i++) {
        if (hardest[i].start > len || hardest[i].len > len - hardest[i].start)
            abort();
        if (i > 0 && hardest[i].grade > hardest[i - 1].grade)
            abort();
    }
    return 0;
}
