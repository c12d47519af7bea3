/*
 * plan/readability: the plain-language check on everything a family reads (issue 5). Splits UTF-8
 * text into sentences and words, counts syllables by a documented heuristic per language, and
 * applies Flesch-Kincaid (English) or Fernandez-Huerta and Szigriszt-Pazos (Spanish). Pure
 * computation: no I/O, no allocation. docs/readability.md explains every choice made here.
 */
#include "plan/plan.h"

#include <assert.h>
#include <string.h>

/* ---- UTF-8 and letters ----------------------------------------------------------------------- */

/* Decodes the code point at s[i] (the caller has validated the UTF-8) and sets *n to its length. */
static uint32_t
decode(const unsigned char *s, size_t i, size_t len, size_t *n)
{
    unsigned char c = s[i];
    if (c < 0x80 || i + 1 >= len) {
        *n = 1;
        return c;
    }
    if ((c & 0xE0) == 0xC0) {
        *n = 2;
        return ((uint32_t)(c & 0x1F) << 6) | (s[i + 1] & 0x3F);
    }
    if ((c & 0xF0) == 0xE0 && i + 2 < len) {
        *n = 3;
        return ((uint32_t)(c & 0x0F) << 12) | ((uint32_t)(s[i + 1] & 0x3F) << 6) |
               (s[i + 2] & 0x3F);
    }
    if (i + 3 < len) {
        *n = 4;
        return ((uint32_t)(c & 0x07) << 18) | ((uint32_t)(s[i + 1] & 0x3F) << 12) |
               ((uint32_t)(s[i + 2] & 0x3F) << 6) | (s[i + 3] & 0x3F);
    }
    *n = 1;
    return c;
}

/* Latin-1 letters U+00C0..U+00FF as a base letter and a mark: 1 = acute, grave or circumflex
 * (a stressed vowel in Spanish), 2 = diaeresis (a vowel said on its own: u-diaeresis in "pinguino",
 * i-diaeresis in "naive"). '*' marks the two signs in the block that are not letters. */
static const char latin1_base[] =
    "aaaaaaaceeeeiiiidnooooo*ouuuuytsaaaaaaaceeeeiiiidnooooo*ouuuuyty";
static const char latin1_mark[] =
    "1110200011121112001110200111210011102000111211120011102001112102";

static bool
is_letter(uint32_t cp)
{
    if ((cp >= 'a' && cp <= 'z') || (cp >= 'A' && cp <= 'Z'))
        return true;
    if (cp >= 0xC0 && cp <= 0xFF)
        return cp != 0xD7 && cp != 0xF7;
    /* Latin Extended-A and -B: counted as letters so words stay whole; their syllables are not
     * modelled (docs/readability.md). */
    return cp >= 0x100 && cp <= 0x24F;
}

static bool
is_digit(uint32_t cp)
{
    return cp >= '0' && cp <= '9';
}

/* Apostrophes and hyphens join letters into one word ("child's", "follow-up"). */
static bool
is_apostrophe(uint32_t cp)
{
    return cp == '\'' || cp == 0x2019;
}

static bool
is_joiner(uint32_t cp)
{
    return is_apostrophe(cp) || cp == '-' || cp == 0x2010 || cp == 0x2011;
}

static bool
is_space(uint32_t cp)
{
    return cp == ' ' || (cp >= '\t' && cp <= '\r') || cp == 0xA0 || cp == 0x2028 || cp == 0x2029;
}

static bool
is_terminator(uint32_t cp)
{
    return cp == '.' || cp == '!' || cp == '?' || cp == 0x2026; /* ... as one character */
}

/* Quotes and brackets that may follow a sentence's terminator: He said "call us." Then ... */
static bool
is_closer(uint32_t cp)
{
    return cp == '"' || cp == '\'' || cp == ')' || cp == ']' || cp == '}' || cp == 0x2019 ||
           cp == 0x201D || cp == 0xBB;
}

/* ---- syllables ------------------------------------------------------------------------------- */

enum lang { LANG_EN, LANG_ES };

/* One letter reduced to its lowercase base and mark. */
struct letter {
    char c;
    unsigned char mark;
};

/* Long enough for any real word; a longer run is counted in chunks of this size. */
#define PART_MAX 64

static struct letter
to_letter(uint32_t cp)
{
    struct letter l = {'z', 0}; /* Latin Extended: treated as a consonant */
    if (cp >= 'A' && cp <= 'Z')
        l.c = (char)(cp - 'A' + 'a');
    else if (cp >= 'a' && cp <= 'z')
        l.c = (char)cp;
    else if (cp >= 0xC0 && cp <= 0xFF) {
        l.c = latin1_base[cp - 0xC0];
        l.mark = (unsigned char)(latin1_mark[cp - 0xC0] - '0');
    }
    return l;
}

static bool
is_aeiou(char c)
{
    return c == 'a' || c == 'e' || c == 'i' || c == 'o' || c == 'u';
}

static bool
in_set(char c, const char *set)
{
    return c != 0 && strchr(set, c) != NULL;
}

/* Whole words the English heuristic gets wrong, with their dictionary counts (CMU Pronouncing
 * Dictionary). Kept small: each entry is a word families meet in care plans. */
static const struct {
    const char *word;
    int syllables;
} en_exceptions[] = {
    {"acne", 2},         {"anyone", 3},      {"business", 2},  {"client", 2},     {"coordinate", 4},
    {"coordination", 5}, {"coordinator", 5}, {"cooperate", 4}, {"create", 2},     {"created", 3},
    {"diabetes", 4},     {"diet", 2},        {"everyone", 3},  {"experience", 4}, {"lifetime", 2},
    {"naive", 2},        {"poem", 2},        {"quiet", 2},     {"recipe", 3},     {"science", 2},
    {"someone", 2},      {"something", 2},   {"sometimes", 2}, {"somewhere", 2},  {"video", 3},
};

/* English y: a consonant at the start of a word ("yes") and between vowels ("layer"); otherwise a
 * vowel ("baby", "day"). */
static bool
en_vowel(const struct letter *w, size_t n, size_t i)
{
    if (is_aeiou(w[i].c))
        return true;
    if (w[i].c != 'y' || i == 0)
        return false;
    bool prev_vowel = is_aeiou(w[i - 1].c);
    bool next_vowel = i + 1 < n && is_aeiou(w[i + 1].c);
    return !(prev_vowel && next_vowel);
}

/* True when the vowel at i starts a new syllable although the vowel at i-1 is next to it. These are
 * the vowel pairs English usually says as two syllables (hiatus). */
static bool
en_split(const struct letter *w, size_t n, size_t i)
{
    char a = w[i - 1].c, b = w[i].c;
    char before = i >= 2 ? w[i - 2].c : 0;
    char after = i + 1 < n ? w[i + 1].c : 0;
    if (w[i].mark == 2) /* a diaeresis says so: "naive" with i-diaeresis */
        return true;
    if (a == 'y') {
        /* y after a consonant is its own vowel ("crying"), but "bye", "dyes", "dyed" are one. */
        bool final_e = b == 'e' && (i + 1 == n || (i + 2 == n && (after == 's' || after == 'd')));
        return !final_e;
    }
    if (b == 'i' && i + 3 == n && w[i + 1].c == 'n' && w[i + 2].c == 'g')
        return true; /* -ing after a vowel: "being", "going" */
    if (a == 'i' && b == 'a')
        return !in_set(before, "ctsg"); /* "pneumonia" but "special", "initial", "Asia" */
    if (a == 'i' && b == 'o')
        return !in_set(before, "ctsgx") && after != 'n'; /* "radio" but "nation", "lion" */
    if (a == 'i' && b == 'u')
        return true; /* "sodium", "calcium" */
    if (a == 'u' && (b == 'a' || b == 'o'))
        return !in_set(before, "qg");         /* "usual", "continuous" but "quality", "language" */
    if (a == 'e' && b == 'a' && i + 1 == n) { /* final -ea after another syllable: "area", "idea" */
        for (size_t j = 0; j + 1 < i; j++)
            if (is_aeiou(w[j].c))
                return true;
    }
    return false;
}

/* Syllabic -le/-re after a consonant keeps its e: "table", "handled", "hundred". */
static bool
en_syllabic_e(const struct letter *w, size_t p)
{
    if (p < 2 || (w[p - 1].c != 'l' && w[p - 1].c != 'r'))
        return false;
    char c = w[p - 2].c;
    return !is_aeiou(c) && c != 'y' && c != w[p - 1].c;
}

static bool
ends_with(const struct letter *w, size_t n, const char *suffix)
{
    size_t k = strlen(suffix);
    if (k > n)
        return false;
    for (size_t i = 0; i < k; i++)
        if (w[n - k + i].c != suffix[i])
            return false;
    return true;
}

/* The number of vowel groups in w[0..end) of the word w[0..n) by the rules above. */
static int
en_groups(const struct letter *w, size_t n, size_t end)
{
    int count = 0;
    bool in_group = false;
    for (size_t i = 0; i < end; i++) {
        if (!en_vowel(w, n, i)) {
            in_group = false;
            continue;
        }
        if (!in_group || en_split(w, n, i))
            count++;
        in_group = true;
    }
    return count;
}

/* A silent e at p: p is an unmarked e after a consonant (y counts as one here) and not syllabic. */
static bool
en_silent_e_at(const struct letter *w, size_t p)
{
    return p >= 1 && w[p].c == 'e' && w[p].mark == 0 && !is_aeiou(w[p - 1].c) &&
           !en_syllabic_e(w, p);
}

/* English: vowel groups (a e i o u, and y as above), split at the usual hiatus pairs, minus a
 * silent final e, a silent e in -es (not after s x z c g ch sh) and -ed (not after t d), and a
 * silent e before -ly -ful -ness -less; then a short exception list. */
static int
en_count(const struct letter *w, size_t n)
{
    bool plain = true;
    for (size_t i = 0; i < n; i++)
        plain = plain && w[i].mark == 0 && w[i].c >= 'a' && w[i].c <= 'z';
    if (plain && n < 32) {
        char s[32];
        for (size_t i = 0; i < n; i++)
            s[i] = w[i].c;
        s[n] = '\0';
        for (size_t k = 0; k < CM_ARRAY_LEN(en_exceptions); k++)
            if (strcmp(s, en_exceptions[k].word) == 0)
                return en_exceptions[k].syllables;
    }

    int count = en_groups(w, n, n);
    if (count > 1) {
        if (w[n - 1].c == 'e' && en_silent_e_at(w, n - 1)) {
            count--; /* "make", "nurse"; kept in "table", "agree" */
        } else if (n >= 3 && ends_with(w, n, "es") && en_silent_e_at(w, n - 2)) {
            char c = w[n - 3].c;
            bool sibilant = in_set(c, "sxzcg") || (c == 'h' && n >= 4 && in_set(w[n - 4].c, "cs"));
            if (!sibilant)
                count--; /* "makes", "tubes"; kept in "uses", "changes", "washes" */
        } else if (n >= 3 && ends_with(w, n, "ed") && en_silent_e_at(w, n - 2)) {
            if (!in_set(w[n - 3].c, "td"))
                count--; /* "used", "called"; kept in "needed", "wanted" */
        }
    }
    static const char *const suffixes[] = {"fully", "ful", "ness", "less", "ly"};
    for (size_t k = 0; k < CM_ARRAY_LEN(suffixes); k++) {
        size_t sl = strlen(suffixes[k]);
        if (n > sl + 1 && ends_with(w, n, suffixes[k])) {
            size_t p = n - sl - 1;
            /* "safely", "careful": the stem's final e is silent when a syllable precedes it */
            if (en_silent_e_at(w, p) && en_groups(w, n, p) >= 1)
                count--;
            break;
        }
    }
    return count;
}

/* Spanish strong vowels: a e o, and i u when written with an accent (which breaks a diphthong:
 * "dia" with i-acute is di-a). */
static bool
es_strong(struct letter l)
{
    return l.c == 'a' || l.c == 'e' || l.c == 'o' || ((l.c == 'i' || l.c == 'u') && l.mark == 1);
}

/* Spanish vowels: a e i o u with any mark, except the silent u of "qu" and of "gu" before e or i
 * (written u-diaeresis is said: "pinguino"); y is a vowel when it ends a word after a vowel ("hoy",
 * "muy") or stands alone (the word "y"), and a consonant otherwise ("ya", "leyes"). */
static bool
es_vowel(const struct letter *w, size_t n, size_t i)
{
    char c = w[i].c;
    if (c == 'y')
        return n == 1 || (i + 1 == n && i > 0 && is_aeiou(w[i - 1].c));
    if (!is_aeiou(c))
        return false;
    if (c == 'u' && w[i].mark != 2 && i > 0) {
        if (w[i - 1].c == 'q')
            return false;
        if (w[i - 1].c == 'g' && i + 1 < n && (w[i + 1].c == 'e' || w[i + 1].c == 'i'))
            return false;
    }
    return true;
}

/* Spanish: one syllable per vowel nucleus. Adjacent vowels share a nucleus (diphthong, triphthong)
 * unless both are strong (hiatus: "po-e-ta", "le-er", "di-a"). */
static int
es_count(const struct letter *w, size_t n)
{
    int count = 0;
    for (size_t i = 0; i < n; i++) {
        if (!es_vowel(w, n, i))
            continue;
        bool prev = i > 0 && es_vowel(w, n, i - 1);
        if (!prev || (es_strong(w[i - 1]) && es_strong(w[i])))
            count++;
    }
    return count;
}

static int
part_count(const struct letter *w, size_t n, bool digits, enum lang lang)
{
    if (n == 0)
        return digits ? 1 : 0; /* a number reads as one word; see docs/readability.md */
    int c = lang == LANG_EN ? en_count(w, n) : es_count(w, n);
    return c < 1 ? 1 : c; /* "mL", "hmm": a word is at least one syllable */
}

/* The syllables of a validated word; hyphens and other non-letters split it into parts. */
static int
syllables(const unsigned char *s, size_t len, enum lang lang)
{
    struct letter part[PART_MAX];
    size_t n = 0;
    bool digits = false;
    int total = 0;
    for (size_t i = 0; i < len;) {
        size_t k;
        uint32_t cp = decode(s, i, len, &k);
        i += k;
        if (is_letter(cp)) {
            if (n == PART_MAX) {
                total += part_count(part, n, false, lang);
                n = 0;
            }
            part[n++] = to_letter(cp);
        } else if (is_digit(cp)) {
            digits = true;
        } else if (n == 0 && digits && (cp == '.' || cp == ',' || cp == ':' || cp == '/')) {
            continue; /* "2.5", "8:30": still one number */
        } else if (!is_apostrophe(cp)) {
            total += part_count(part, n, digits, lang);
            n = 0;
            digits = false;
        }
    }
    return total + part_count(part, n, digits, lang);
}

static bool
parse_lang(const char *lang, enum lang *out)
{
    if (lang != NULL && strcmp(lang, "en") == 0)
        *out = LANG_EN;
    else if (lang != NULL && strcmp(lang, "es") == 0)
        *out = LANG_ES;
    else
        return false;
    return true;
}

int
cm_plan_syllables(const char *word, size_t len, const char *lang)
{
    enum lang l;
    if (!parse_lang(lang, &l) || (len > 0 && word == NULL) || !cm_utf8_valid(word, len))
        return -1;
    return syllables((const unsigned char *)word, len, l);
}

/* ---- formulas -------------------------------------------------------------------------------- */

/* Flesch-Kincaid grade level (Kincaid, Fishburne, Rogers & Chissom 1975, Navy research branch
 * report 8-75): 0.39 * words/sentences + 11.8 * syllables/words - 15.59. */
static double
flesch_kincaid(double words, double sentences, double syllables_)
{
    return 0.39 * (words / sentences) + 11.8 * (syllables_ / words) - 15.59;
}

/* Fernandez-Huerta reading ease (1959), in the corrected form pointed out by Law (2011):
 * L = 206.84 - 0.60 P - 1.02 F with P = syllables per 100 words and F = WORDS PER SENTENCE, i.e.
 * 206.84 - 60 * syllables/words - 1.02 * words/sentences. The often-quoted reading of F as
 * "sentences per 100 words" makes shorter sentences score harder, which Flesch's formula (the one
 * Fernandez-Huerta adapted) does not. */
static double
fernandez_huerta(double words, double sentences, double syllables_)
{
    return 206.84 - 60.0 * (syllables_ / words) - 1.02 * (words / sentences);
}

/* Szigriszt-Pazos perspicuity (1993): 206.835 - 62.3 * syllables/words - words/sentences. */
static double
szigriszt_pazos(double words, double sentences, double syllables_)
{
    return 206.835 - 62.3 * (syllables_ / words) - words / sentences;
}

/* Fernandez-Huerta's interpretation table (90-100 very easy, 4th grade; 80-90 easy, 5th; 70-80
 * fairly easy, 6th; 60-70 normal, 7th-8th; 50-60 fairly hard, pre-university; 30-50 hard,
 * university entry; 0-30 very hard, university) made continuous: the top of each band is the
 * start of its grade, the bottom the start of the next, linear in between, and the end slopes
 * extended past 0 and 100. docs/readability.md has the table. */
static const struct {
    double ease, grade;
} es_grade_table[] = {{100, 4}, {90, 5}, {80, 6}, {70, 7}, {60, 9}, {50, 13}, {30, 17}, {0, 20}};

static double
es_grade(double ease)
{
    size_t last = CM_ARRAY_LEN(es_grade_table) - 1;
    size_t k = 0;
    if (ease <= es_grade_table[last].ease)
        k = last - 1;
    else
        while (k + 1 < last && ease < es_grade_table[k + 1].ease)
            k++;
    double e0 = es_grade_table[k].ease, g0 = es_grade_table[k].grade;
    double e1 = es_grade_table[k + 1].ease, g1 = es_grade_table[k + 1].grade;
    return g0 + (ease - e0) * (g1 - g0) / (e1 - e0);
}

static double
grade_of(enum lang lang, size_t words, size_t sentences, size_t syll)
{
    if (lang == LANG_EN)
        return flesch_kincaid((double)words, (double)sentences, (double)syll);
    return es_grade(fernandez_huerta((double)words, (double)sentences, (double)syll));
}

/* ---- sentences and words --------------------------------------------------------------------- */

/* Abbreviations that end in a period but do not end a sentence. Each counts as one word with the
 * syllables of what is said aloud ("Dr." is "doctor", "e.g." is "for example"). Matched ignoring
 * ASCII case and only when no letter or digit follows. */
static const struct {
    const char *text;
    int syllables;
} abbreviations[] = {
    {"e.g.", 4}, {"i.e.", 2}, {"Dr.", 2},   {"Dra.", 3}, {"Mr.", 2},
    {"Mrs.", 2}, {"Ms.", 1},  {"Jr.", 2},   {"St.", 1},  {"vs.", 2},
    {"Sr.", 2},  {"Sra.", 3}, {"Srta.", 4}, {"Ud.", 2},  {"Uds.", 3},
};

static char
ascii_lower(unsigned char c)
{
    return (char)(c >= 'A' && c <= 'Z' ? c - 'A' + 'a' : c);
}

/* The abbreviation starting at s[i], or -1. */
static int
abbreviation_at(const unsigned char *s, size_t i, size_t len, size_t *end)
{
    for (size_t k = 0; k < CM_ARRAY_LEN(abbreviations); k++) {
        const char *a = abbreviations[k].text;
        size_t al = strlen(a);
        if (i + al > len)
            continue;
        size_t j = 0;
        while (j < al && ascii_lower(s[i + j]) == ascii_lower((unsigned char)a[j]))
            j++;
        if (j < al)
            continue;
        if (i + al < len) {
            size_t n;
            uint32_t next = decode(s, i + al, len, &n);
            if (is_letter(next) || is_digit(next))
                continue;
        }
        *end = i + al;
        return (int)k;
    }
    return -1;
}

/* The end of the word starting at s[i]: letters and digits, with apostrophes and hyphens between
 * letters or digits, and . , : / between digits ("2.5", "1,000", "8:30", "1/2"). */
static size_t
word_end(const unsigned char *s, size_t i, size_t len)
{
    bool prev_digit = false;
    while (i < len) {
        size_t n;
        uint32_t cp = decode(s, i, len, &n);
        if (is_letter(cp) || is_digit(cp)) {
            prev_digit = is_digit(cp);
            i += n;
            continue;
        }
        if (i + n >= len)
            break;
        size_t m;
        uint32_t next = decode(s, i + n, len, &m);
        bool next_word = is_letter(next) || is_digit(next);
        bool numeric =
            prev_digit && is_digit(next) && (cp == '.' || cp == ',' || cp == ':' || cp == '/');
        if (!((is_joiner(cp) && next_word) || numeric))
            break;
        i += n;
    }
    return i;
}

/* After a run of terminators at s[i], the end of the sentence (past any closing quotes), or 0 when
 * the run does not end one: it must be followed by a space or the end of the text. */
static size_t
terminator_end(const unsigned char *s, size_t i, size_t len)
{
    size_t n;
    while (i < len && is_terminator(decode(s, i, len, &n)))
        i += n;
    while (i < len && is_closer(decode(s, i, len, &n)))
        i += n;
    if (i == len || is_space(decode(s, i, len, &n)))
        return i;
    return 0;
}

/* True when s[i] is a newline followed, after spaces, by another: a paragraph break ends a
 * sentence, so an unpunctuated heading or list item is not glued to the next line. */
static bool
blank_line_at(const unsigned char *s, size_t i, size_t len)
{
    if (s[i] != '\n')
        return false;
    for (size_t j = i + 1; j < len; j++) {
        if (s[j] == '\n')
            return true;
        if (s[j] != ' ' && s[j] != '\t' && s[j] != '\r')
            return false;
    }
    return false;
}

struct scan {
    enum lang lang;
    struct cm_readability *out;
    struct cm_sentence_score *hardest;
    size_t nhardest;
    size_t nfilled;
    /* the open sentence */
    bool open;
    size_t start, last_end, words, syllables;
};

/* Keeps the nhardest highest grades, hardest first; a later sentence displaces an earlier one
 * only with a strictly higher grade, so ties keep reading order. */
static void
keep_hardest(struct scan *sc, const struct cm_sentence_score *s)
{
    size_t pos = sc->nfilled;
    while (pos > 0 && sc->hardest[pos - 1].grade < s->grade)
        pos--;
    if (pos >= sc->nhardest)
        return;
    size_t last = sc->nfilled < sc->nhardest ? sc->nfilled : sc->nhardest - 1;
    memmove(&sc->hardest[pos + 1], &sc->hardest[pos], (last - pos) * sizeof(*s));
    sc->hardest[pos] = *s;
    if (sc->nfilled < sc->nhardest)
        sc->nfilled++;
}

/* Closes the open sentence at byte end; a "sentence" with no words (a stray "...") is dropped. */
static void
close_sentence(struct scan *sc, size_t end)
{
    if (sc->open && sc->words > 0) {
        struct cm_sentence_score s = {
            .start = sc->start,
            .len = end - sc->start,
            .words = sc->words,
            .syllables = sc->syllables,
            .grade = grade_of(sc->lang, sc->words, 1, sc->syllables),
        };
        sc->out->sentences++;
        sc->out->words += sc->words;
        sc->out->syllables += sc->syllables;
        if (sc->nhardest > 0)
            keep_hardest(sc, &s);
    }
    sc->open = false;
    sc->words = sc->syllables = 0;
}

static void
scan_text(struct scan *sc, const unsigned char *s, size_t len)
{
    size_t i = 0;
    while (i < len) {
        size_t n;
        uint32_t cp = decode(s, i, len, &n);
        if (is_space(cp)) {
            if (blank_line_at(s, i, len))
                close_sentence(sc, sc->last_end);
            i += n;
            continue;
        }
        if (!sc->open) {
            sc->open = true;
            sc->start = i;
        }
        if (is_letter(cp) || is_digit(cp)) {
            size_t end;
            int ab = abbreviation_at(s, i, len, &end);
            if (ab >= 0) {
                sc->syllables += (size_t)abbreviations[ab].syllables;
            } else {
                end = word_end(s, i, len);
                sc->syllables += (size_t)syllables(s + i, end - i, sc->lang);
            }
            sc->words++;
            i = sc->last_end = end;
            continue;
        }
        if (is_terminator(cp)) {
            size_t end = terminator_end(s, i, len);
            if (end > 0) {
                close_sentence(sc, end);
                i = end;
                continue;
            }
        }
        i += n;
        sc->last_end = i;
    }
    close_sentence(sc, sc->last_end); /* text without final punctuation is still a sentence */
}

CM_MUST_CHECK enum cm_code
cm_plan_readability(const char *text, size_t len, const char *lang, struct cm_readability *out,
                    struct cm_sentence_score *hardest, size_t nhardest, size_t *nfilled,
                    struct cm_err *err)
{
    assert(out != NULL && (nhardest == 0 || hardest != NULL));
    memset(out, 0, sizeof(*out));
    if (nfilled != NULL)
        *nfilled = 0;

    enum lang l;
    if (!parse_lang(lang, &l))
        return cm_err_set(err, CM_EINVAL, "lang", "unknown language '%s': expected en or es",
                          lang != NULL ? lang : "(null)");
    if (len > CM_PLAN_READABILITY_MAX_BYTES)
        return cm_err_set(err, CM_ETOOBIG, "text", "text is %zu bytes; the limit is %d", len,
                          CM_PLAN_READABILITY_MAX_BYTES);
    if (len == 0 || text == NULL)
        return cm_err_set(err, CM_EINVAL, "text", "text is empty");
    if (!cm_utf8_valid(text, len))
        return cm_err_set(err, CM_EINVAL, "text", "text is not valid UTF-8");

    struct scan sc = {.lang = l, .out = out, .hardest = hardest, .nhardest = nhardest};
    scan_text(&sc, (const unsigned char *)text, len);
    if (out->words == 0) {
        memset(out, 0, sizeof(*out));
        return cm_err_set(err, CM_EINVAL, "text", "text has no words");
    }

    double w = (double)out->words, s = (double)out->sentences, y = (double)out->syllables;
    if (l == LANG_EN) {
        out->score = out->grade = flesch_kincaid(w, s, y);
    } else {
        out->score = fernandez_huerta(w, s, y);
        out->grade = es_grade(out->score);
        out->perspicuity = szigriszt_pazos(w, s, y);
    }
    if (nfilled != NULL)
        *nfilled = sc.nfilled;
    return CM_OK;
}

bool
cm_plan_readability_meets(const struct cm_readability *r, double target_grade)
{
    return r->grade <= target_grade;
}
