/*
 * plan/readability: syllable counts checked against hand counts (dictionary syllabification), and
 * whole paragraphs whose words, sentences and syllables were counted by hand below, with the scores
 * worked out by hand from those counts. All text is synthetic.
 */
#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>

#include <cmocka.h>

#include "plan/plan.h"

#include <stdlib.h>
#include <string.h>

#define TOLERANCE 0.01

struct word_count {
    const char *word;
    int syllables;
};

/* Scores text, expecting CM_OK; fills up to nhardest hardest sentences. */
static size_t
score(const char *text, const char *lang, struct cm_readability *r, struct cm_sentence_score *h,
      size_t nhardest)
{
    struct cm_err err = {0};
    size_t nfilled = 99;
    assert_int_equal(cm_plan_readability(text, strlen(text), lang, r, h, nhardest, &nfilled, &err),
                     CM_OK);
    assert_int_equal(err.code, CM_OK);
    return nfilled;
}

/* The sentence h points at equals want. */
static void
assert_sentence(const char *text, const struct cm_sentence_score *h, const char *want)
{
    assert_int_equal(h->len, strlen(want));
    assert_memory_equal(text + h->start, want, h->len);
}

/* ---- syllables ------------------------------------------------------------------------------- */

static void
test_english_words_have_their_hand_counted_syllables(void **state)
{
    (void)state;
    /* word          said as                rule exercised */
    static const struct word_count words[] = {
        {"the", 1},         /* the                 one vowel group */
        {"make", 1},        /* make                silent final e */
        {"table", 2},       /* ta-ble              syllabic -le keeps its e */
        {"little", 2},      /* lit-tle */
        {"people", 2},      /* peo-ple             eo is one group, -ple syllabic */
        {"uses", 2},        /* us-es               -es after s is said */
        {"makes", 1},       /* makes               -es after k is silent */
        {"changes", 2},     /* chang-es            -es after g is said */
        {"used", 1},        /* used                -ed after s is silent */
        {"needed", 2},      /* need-ed             -ed after d is said */
        {"called", 1},      /* called              -lled is not syllabic */
        {"handled", 2},     /* han-dled */
        {"hundred", 2},     /* hun-dred            syllabic -red */
        {"being", 2},       /* be-ing              -ing after a vowel */
        {"crying", 2},      /* cry-ing             y after a consonant is a vowel */
        {"baby", 2},        /* ba-by */
        {"yes", 1},         /* yes                 initial y is a consonant */
        {"eyes", 1},        /* eyes */
        {"area", 3},        /* ar-e-a              final -ea after a syllable */
        {"pneumonia", 4},   /* pneu-mo-ni-a        hiatus ia */
        {"special", 2},     /* spe-cial            -cia is one group */
        {"radio", 3},       /* ra-di-o             hiatus io */
        {"medication", 4},  /* med-i-ca-tion       -tion is one group */
        {"sodium", 3},      /* so-di-um            hiatus iu */
        {"usual", 3},       /* u-su-al             hiatus ua */
        {"safely", 2},      /* safe-ly             silent e before -ly */
        {"hopefully", 3},   /* hope-ful-ly */
        {"medicine", 3},    /* med-i-cine */
        {"seizures", 2},    /* sei-zures */
        {"nebulizer", 4},   /* neb-u-liz-er */
        {"coordinator", 5}, /* co-or-di-na-tor     exception list */
        {"diabetes", 4},    /* di-a-be-tes         exception list */
        {"follow-up", 3},   /* fol-low + up        hyphen parts counted apart */
        {"don't", 1},       /* don't               apostrophe joins */
        {"Wheelchair", 2},  /* wheel-chair         case does not matter */
        {"mL", 1},          /* (unit)              a word is at least one syllable */
        {"911", 1},         /* (number)            a number counts one */
        {"2.5", 1},         /* (number) */
    };
    for (size_t i = 0; i < CM_ARRAY_LEN(words); i++) {
        int got = cm_plan_syllables(words[i].word, strlen(words[i].word), "en");
        if (got != words[i].syllables)
            fail_msg("en '%s': want %d syllables, got %d", words[i].word, words[i].syllables, got);
    }
}

static void
test_spanish_words_follow_diphthong_and_hiatus_rules(void **state)
{
    (void)state;
    /* palabra        silabas                 regla */
    static const struct word_count words[] = {
        {"niño", 2},         /* ni-ño               n-tilde is a consonant */
        {"médico", 3},       /* mé-di-co */
        {"fiebre", 2},       /* fie-bre             ie diphthong (weak + strong) */
        {"día", 2},          /* dí-a                accented i breaks the diphthong */
        {"tía", 2},          /* tí-a */
        {"país", 2},         /* pa-ís */
        {"oído", 3},         /* o-í-do */
        {"baúl", 2},         /* ba-úl */
        {"ciudad", 2},       /* ciu-dad             two weak vowels: one nucleus */
        {"cuidado", 3},      /* cui-da-do */
        {"Ruiz", 1},         /* Ruiz */
        {"agua", 2},         /* a-gua               gu + a: the u is said */
        {"queso", 2},        /* que-so              silent u after q */
        {"guiso", 2},        /* gui-so              silent u in gu + i */
        {"guerra", 2},       /* gue-rra             silent u in gu + e */
        {"pingüino", 3},     /* pin-güi-no          u-diaeresis is said */
        {"PINGÜINO", 3},     /* capitals too */
        {"poeta", 3},        /* po-e-ta             two strong vowels: hiatus */
        {"leer", 2},         /* le-er */
        {"aéreo", 4},        /* a-é-re-o */
        {"cumpleaños", 4},   /* cum-ple-a-ños */
        {"aire", 2},         /* ai-re               strong + weak: diphthong */
        {"hoy", 1},          /* hoy                 final y after a vowel is a vowel */
        {"muy", 1},          /* muy */
        {"buey", 1},         /* buey                triphthong */
        {"Uruguay", 3},      /* U-ru-guay */
        {"y", 1},            /* y                   the word y */
        {"ya", 1},           /* ya                  y before a vowel is a consonant */
        {"reyes", 2},        /* re-yes */
        {"respiración", 4},  /* res-pi-ra-ción */
        {"alimentación", 5}, /* a-li-men-ta-ción */
        {"teléfono", 4},     /* te-lé-fo-no */
        {"huevo", 2},        /* hue-vo */
        {"vehículo", 4},     /* ve-hí-cu-lo */
    };
    for (size_t i = 0; i < CM_ARRAY_LEN(words); i++) {
        int got = cm_plan_syllables(words[i].word, strlen(words[i].word), "es");
        if (got != words[i].syllables)
            fail_msg("es '%s': want %d syllables, got %d", words[i].word, words[i].syllables, got);
    }
}

static void
test_syllables_rejects_unknown_language_and_bad_utf8(void **state)
{
    (void)state;
    assert_int_equal(cm_plan_syllables("casa", 4, "fr"), -1);
    assert_int_equal(cm_plan_syllables("casa", 4, NULL), -1);
    assert_int_equal(cm_plan_syllables("ca\xC3", 3, "es"), -1);
    assert_int_equal(cm_plan_syllables("", 0, "en"), 0);
    assert_int_equal(cm_plan_syllables("--", 2, "en"), 0);
}

/* ---- English paragraphs ---------------------------------------------------------------------- */

/*
 * S1 Give(1) Maya(2) her(1) seizure(2) medicine(3) two(1) times(1) a(1) day(1)      9 w, 13 syl
 * S2 Use(1) the(1) blue(1) cup(1) to(1) measure(2) it(1)                           7 w,  8 syl
 * S3 Call(1) the(1) care(1) team(1) if(1) she(1) has(1) a(1) seizure(2) that(1)
 *    lasts(1) more(1) than(1) five(1) minutes(2)                                  15 w, 17 syl
 * Total 3 sentences, 31 words, 38 syllables.
 * FK = 0.39 * 31/3 + 11.8 * 38/31 - 15.59 = 4.0300 + 14.4645 - 15.59 = 2.9045
 * S1 = 0.39 * 9 + 11.8 * 13/9 - 15.59 = 3.51 + 17.0444 - 15.59 = 4.9644
 * S3 = 0.39 * 15 + 11.8 * 17/15 - 15.59 = 5.85 + 13.3733 - 15.59 = 3.6333
 * S2 = 0.39 * 7 + 11.8 * 8/7 - 15.59 = 2.73 + 13.4857 - 15.59 = 0.6257
 */
static void
test_english_medicine_paragraph_reads_at_grade_2_9(void **state)
{
    (void)state;
    const char *text = "Give Maya her seizure medicine two times a day. Use the blue cup to "
                       "measure it. Call the care team if she has a seizure that lasts more than "
                       "five minutes.";
    struct cm_readability r;
    struct cm_sentence_score h[3];
    assert_int_equal(score(text, "en", &r, h, 3), 3);
    assert_int_equal(r.sentences, 3);
    assert_int_equal(r.words, 31);
    assert_int_equal(r.syllables, 38);
    assert_float_equal(r.score, 2.9045, TOLERANCE);
    assert_float_equal(r.grade, 2.9045, TOLERANCE);
    assert_float_equal(r.perspicuity, 0.0, TOLERANCE);
    assert_true(cm_plan_readability_meets(&r, CM_PLAN_READABILITY_TARGET_DEFAULT));

    assert_sentence(text, &h[0], "Give Maya her seizure medicine two times a day.");
    assert_float_equal(h[0].grade, 4.9644, TOLERANCE);
    assert_sentence(text, &h[1],
                    "Call the care team if she has a seizure that lasts more than "
                    "five minutes.");
    assert_float_equal(h[1].grade, 3.6333, TOLERANCE);
    assert_int_equal(h[1].words, 15);
    assert_int_equal(h[1].syllables, 17);
    assert_sentence(text, &h[2], "Use the blue cup to measure it.");
    assert_float_equal(h[2].grade, 0.6257, TOLERANCE);
}

/*
 * S1 Dr.(2, "doctor") Lee(1) will(1) see(1) Sam(1) at(1) 9:30(1) on(1) Monday(2)      9 w, 11 syl
 * S2 Bring(1) his(1) inhaler(3) and(1) a(1) list(1) of(1) all(1) his(1) medicines(3) 10 w, 14 syl
 * S3 The(1) follow-up(3) visit(2) takes(1) about(2) one(1) hour(1)                   7 w, 11 syl
 * Total 3 sentences, 26 words, 36 syllables ("Dr." does not end S1).
 * FK = 0.39 * 26/3 + 11.8 * 36/26 - 15.59 = 3.3800 + 16.3385 - 15.59 = 4.1285
 * S3 = 0.39 * 7 + 11.8 * 11/7 - 15.59 = 2.73 + 18.5429 - 15.59 = 5.6829 (the hardest)
 */
static void
test_english_visit_paragraph_with_abbreviation_time_and_hyphen(void **state)
{
    (void)state;
    const char *text = "Dr. Lee will see Sam at 9:30 on Monday. Bring his inhaler and a list of "
                       "all his medicines. The follow-up visit takes about one hour.";
    struct cm_readability r;
    struct cm_sentence_score h[1];
    assert_int_equal(score(text, "en", &r, h, 1), 1);
    assert_int_equal(r.sentences, 3);
    assert_int_equal(r.words, 26);
    assert_int_equal(r.syllables, 36);
    assert_float_equal(r.grade, 4.1285, TOLERANCE);
    assert_sentence(text, &h[0], "The follow-up visit takes about one hour.");
    assert_float_equal(h[0].grade, 5.6829, TOLERANCE);
}

/*
 * S1 Your(1) child's(1) care(1) coordinator(5) helps(1) the(1) family(3) schedule(2)
 *    appointments(3) with(1) specialists(3)                                       11 w, 22 syl
 * S2 Ask(1) questions(2)                                                           2 w,  3 syl
 * S3 What(1) worries(2) you(1) most(1)                                             4 w,  5 syl
 * Total 3 sentences, 17 words, 30 syllables.
 * FK = 0.39 * 17/3 + 11.8 * 30/17 - 15.59 = 2.2100 + 20.8235 - 15.59 = 7.4435 (above grade 6)
 * S1 = 0.39 * 11 + 11.8 * 22/11 - 15.59 = 4.29 + 23.6 - 15.59 = 12.30
 */
static void
test_english_coordinator_paragraph_is_above_the_default_target(void **state)
{
    (void)state;
    const char *text = "Your child's care coordinator helps the family schedule appointments "
                       "with specialists. Ask questions! What worries you most?";
    struct cm_readability r;
    struct cm_sentence_score h[3];
    assert_int_equal(score(text, "en", &r, h, 3), 3);
    assert_int_equal(r.sentences, 3);
    assert_int_equal(r.words, 17);
    assert_int_equal(r.syllables, 30);
    assert_float_equal(r.grade, 7.4435, TOLERANCE);
    assert_false(cm_plan_readability_meets(&r, CM_PLAN_READABILITY_TARGET_DEFAULT));
    assert_true(cm_plan_readability_meets(&r, 8.0));
    assert_float_equal(h[0].grade, 12.30, TOLERANCE);
    assert_sentence(text, &h[1], "Ask questions!");
    assert_sentence(text, &h[2], "What worries you most?");
}

/* ---- Spanish paragraphs ---------------------------------------------------------------------- */

/*
 * S1 Dé(1) a(1) So-fí-a(3) su(1) me-di-ci-na(4) dos(1) ve-ces(2) al(1) dí-a(2)        9 w, 16 syl
 * S2 U-se(2) la(1) je-rin-ga(3) a-zul(2)                                          4 w,  8 syl
 * S3 Lla-me(2) al(1) e-qui-po(3) si(1) tie-ne(2) fie-bre(2)                       6 w, 11 syl
 * Total 3 sentences, 19 words, 35 syllables.
 * Fernandez-Huerta = 206.84 - 60 * 35/19 - 1.02 * 19/3 = 206.84 - 110.5263 - 6.4600 = 89.8537
 * grade: between ease 90 (grade 5) and 80 (grade 6): 5 + (90 - 89.8537)/10 = 5.0146
 * Szigriszt-Pazos = 206.835 - 62.3 * 35/19 - 19/3 = 206.835 - 114.7632 - 6.3333 = 85.7385
 */
static void
test_spanish_medicine_paragraph_is_easy(void **state)
{
    (void)state;
    const char *text = "Dé a Sofía su medicina dos veces al día. Use la jeringa azul. Llame al "
                       "equipo si tiene fiebre.";
    struct cm_readability r;
    assert_int_equal(score(text, "es", &r, NULL, 0), 0);
    assert_int_equal(r.sentences, 3);
    assert_int_equal(r.words, 19);
    assert_int_equal(r.syllables, 35);
    assert_float_equal(r.score, 89.8537, TOLERANCE);
    assert_float_equal(r.grade, 5.0146, TOLERANCE);
    assert_float_equal(r.perspicuity, 85.7385, TOLERANCE);
    assert_true(cm_plan_readability_meets(&r, CM_PLAN_READABILITY_TARGET_DEFAULT));
}

/*
 * S1 ¿Tie-ne(2) tos(1)?                                                           2 w,  3 syl
 * S2 La(1) Dra.(3, "doctora") Ruiz(1) quie-re(2) ver-la(2) el(1) lu-nes(2)        7 w, 12 syl
 * S3 ¡Trai-ga(2) el(1) in-ha-la-dor(4)!                                           3 w,  7 syl
 * Total 3 sentences, 12 words, 22 syllables.
 * Fernandez-Huerta = 206.84 - 60 * 22/12 - 1.02 * 12/3 = 206.84 - 110 - 4.08 = 92.76
 * grade: between 100 (grade 4) and 90 (grade 5): 4 + (100 - 92.76)/10 = 4.724
 * Szigriszt-Pazos = 206.835 - 62.3 * 22/12 - 12/3 = 206.835 - 114.2167 - 4 = 88.6183
 * S3 alone: 206.84 - 60 * 7/3 - 1.02 * 3 = 63.78 -> 7 + (70 - 63.78) * 2/10 = 8.244 (hardest)
 * S1 alone: 206.84 - 60 * 3/2 - 1.02 * 2 = 114.80 -> above 100: 4 - (114.80 - 100)/10 = 2.52
 */
static void
test_spanish_questions_and_exclamations_with_inverted_marks(void **state)
{
    (void)state;
    const char *text = "¿Tiene tos? La Dra. Ruiz quiere verla el lunes. ¡Traiga el inhalador!";
    struct cm_readability r;
    struct cm_sentence_score h[3];
    assert_int_equal(score(text, "es", &r, h, 3), 3);
    assert_int_equal(r.sentences, 3);
    assert_int_equal(r.words, 12);
    assert_int_equal(r.syllables, 22);
    assert_float_equal(r.score, 92.76, TOLERANCE);
    assert_float_equal(r.grade, 4.724, TOLERANCE);
    assert_float_equal(r.perspicuity, 88.6183, TOLERANCE);
    assert_sentence(text, &h[0], "¡Traiga el inhalador!");
    assert_float_equal(h[0].grade, 8.244, TOLERANCE);
    assert_sentence(text, &h[1], "La Dra. Ruiz quiere verla el lunes.");
    assert_sentence(text, &h[2], "¿Tiene tos?");
    assert_float_equal(h[2].grade, 2.52, TOLERANCE);
}

/*
 * S1 La(1) co-or-di-na-do-ra(6) del(1) e-qui-po(3) or-ga-ni-za(4) las(1) ci-tas(2) con(1)
 *    los(1) es-pe-cia-lis-tas(5) y(1) las(1) te-ra-pias(3) de(1) re-ha-bi-li-ta-ción(6)
 *                                                                                15 w, 37 syl
 * S2 Pre-gun-te(3) lo(1) que(1) no(1) en-tien-da(3)                               5 w,  9 syl
 * Total 2 sentences, 20 words, 46 syllables.
 * Fernandez-Huerta = 206.84 - 60 * 46/20 - 1.02 * 20/2 = 206.84 - 138 - 10.2 = 58.64
 * grade: between 60 (grade 9) and 50 (grade 13): 9 + (60 - 58.64) * 4/10 = 9.544
 * Szigriszt-Pazos = 206.835 - 62.3 * 46/20 - 20/2 = 206.835 - 143.29 - 10 = 53.545
 */
static void
test_spanish_long_sentence_is_above_the_default_target(void **state)
{
    (void)state;
    const char *text = "La coordinadora del equipo organiza las citas con los especialistas y "
                       "las terapias de rehabilitación. Pregunte lo que no entienda.";
    struct cm_readability r;
    assert_int_equal(score(text, "es", &r, NULL, 0), 0);
    assert_int_equal(r.sentences, 2);
    assert_int_equal(r.words, 20);
    assert_int_equal(r.syllables, 46);
    assert_float_equal(r.score, 58.64, TOLERANCE);
    assert_float_equal(r.grade, 9.544, TOLERANCE);
    assert_float_equal(r.perspicuity, 53.545, TOLERANCE);
    assert_false(cm_plan_readability_meets(&r, CM_PLAN_READABILITY_TARGET_DEFAULT));
}

/* ---- sentences ------------------------------------------------------------------------------- */

static void
test_hardest_sentences_tie_in_reading_order(void **state)
{
    (void)state;
    /* S1 and S2 are the same sentence (equal grades); S3 is the hardest. */
    const char *text = "Go now. Go now. Medication administration requires documentation.";
    struct cm_readability r;
    struct cm_sentence_score h[2];
    assert_int_equal(score(text, "en", &r, h, 2), 2);
    assert_sentence(text, &h[0], "Medication administration requires documentation.");
    assert_int_equal(h[1].start, 0); /* the first "Go now.", not the second */
    assert_int_equal(h[1].len, 7);
}

static void
test_hardest_list_longer_than_the_text_holds_every_sentence(void **state)
{
    (void)state;
    const char *text = "Rest. Drink water.";
    struct cm_readability r;
    struct cm_sentence_score h[5];
    assert_int_equal(score(text, "en", &r, h, 5), 2);
    assert_sentence(text, &h[0], "Drink water.");
    assert_sentence(text, &h[1], "Rest.");
}

static void
test_abbreviations_do_not_end_sentences(void **state)
{
    (void)state;
    struct cm_readability r;
    score("Mrs. Diaz and Dr. Patel will call, e.g. on Monday. Sra. Ruiz will too.", "en", &r, NULL,
          0);
    assert_int_equal(r.sentences, 2);
    /* Mrs. Diaz and Dr. Patel will call e.g. on Monday = 10 words; Sra. Ruiz will too = 4 */
    assert_int_equal(r.words, 14);
    /* La Dra. Gómez y el Sr. Pérez llaman = 8 words; Ud. puede venir = 3 */
    score("La Dra. Gómez y el Sr. Pérez llaman. Ud. puede venir.", "es", &r, NULL, 0);
    assert_int_equal(r.sentences, 2);
    assert_int_equal(r.words, 11);
}

static void
test_numbers_are_one_word_of_one_syllable(void **state)
{
    (void)state;
    struct cm_readability r;
    /* Give(1) 2.5(1) mL(1) at(1) 8:30(1) = 5 words, 5 syllables, one sentence */
    score("Give 2.5 mL at 8:30.", "en", &r, NULL, 0);
    assert_int_equal(r.sentences, 1);
    assert_int_equal(r.words, 5);
    assert_int_equal(r.syllables, 5);
}

static void
test_text_without_terminal_punctuation_is_one_sentence(void **state)
{
    (void)state;
    const char *text = "Give the medicine at bedtime  ";
    struct cm_readability r;
    struct cm_sentence_score h[1];
    assert_int_equal(score(text, "en", &r, h, 1), 1);
    assert_int_equal(r.sentences, 1);
    assert_int_equal(r.words, 5);
    assert_sentence(text, &h[0], "Give the medicine at bedtime");
}

static void
test_quotes_and_ellipsis_end_sentences(void **state)
{
    (void)state;
    const char *text = "She said \"call us.\" Then we called\xE2\x80\xA6 Okay";
    struct cm_readability r;
    struct cm_sentence_score h[3];
    assert_int_equal(score(text, "en", &r, h, 3), 3);
    assert_int_equal(r.sentences, 3);
    assert_sentence(text, &h[1], "She said \"call us.\"");
    assert_sentence(text, &h[2], "Then we called\xE2\x80\xA6");
}

static void
test_blank_line_ends_an_unpunctuated_heading(void **state)
{
    (void)state;
    const char *text = "Your medicines\n\nGive one pill.";
    struct cm_readability r;
    struct cm_sentence_score h[2];
    assert_int_equal(score(text, "en", &r, h, 2), 2);
    assert_int_equal(r.sentences, 2);
    assert_sentence(text, &h[0], "Your medicines");
    /* a single newline does not end a sentence */
    score("Give one\npill.", "en", &r, NULL, 0);
    assert_int_equal(r.sentences, 1);
}

static void
test_period_inside_a_word_does_not_end_a_sentence(void **state)
{
    (void)state;
    struct cm_readability r;
    score("See caremap.example for more. Thanks!", "en", &r, NULL, 0);
    assert_int_equal(r.sentences, 2);
}

/* ---- errors ---------------------------------------------------------------------------------- */

static void
expect_error(const char *text, size_t len, const char *lang, enum cm_code code, const char *field)
{
    struct cm_readability r;
    struct cm_sentence_score h[1];
    size_t nfilled = 7;
    struct cm_err err = {0};
    assert_int_equal(cm_plan_readability(text, len, lang, &r, h, 1, &nfilled, &err), code);
    assert_int_equal(err.code, code);
    assert_string_equal(err.field, field);
    assert_int_equal(nfilled, 0);
    assert_int_equal(r.words, 0);
}

static void
test_invalid_utf8_is_rejected(void **state)
{
    (void)state;
    expect_error("Bad \xC3\x28 byte.", 12, "en", CM_EINVAL, "text");
    expect_error("Cut \xE2\x80", 6, "es", CM_EINVAL, "text");
    expect_error("Nul\0byte.", 9, "en", CM_EINVAL, "text");
}

static void
test_empty_text_is_rejected(void **state)
{
    (void)state;
    expect_error("", 0, "en", CM_EINVAL, "text");
    expect_error(NULL, 0, "es", CM_EINVAL, "text");
    expect_error(" ... !\n", 7, "en", CM_EINVAL, "text");
}

static void
test_unknown_language_is_rejected_naming_it(void **state)
{
    (void)state;
    struct cm_readability r;
    struct cm_err err = {0};
    assert_int_equal(cm_plan_readability("Hola.", 5, "fr", &r, NULL, 0, NULL, &err), CM_EINVAL);
    assert_string_equal(err.field, "lang");
    assert_non_null(strstr(err.msg, "'fr'"));
    expect_error("Hola.", 5, NULL, CM_EINVAL, "lang");
    expect_error("Hola.", 5, "EN", CM_EINVAL, "lang");
}

static void
test_text_over_the_limit_is_too_big(void **state)
{
    (void)state;
    size_t len = CM_PLAN_READABILITY_MAX_BYTES + 1;
    char *text = malloc(len);
    assert_non_null(text);
    memset(text, 'a', len);
    expect_error(text, len, "en", CM_ETOOBIG, "text");
    /* at the limit it is scored: one word of 1 MiB letters */
    struct cm_readability r;
    struct cm_err err = {0};
    assert_int_equal(cm_plan_readability(text, len - 1, "en", &r, NULL, 0, NULL, &err), CM_OK);
    assert_int_equal(r.words, 1);
    free(text);
}

int
main(void)
{
    const struct CMUnitTest tests[] = {
        cmocka_unit_test(test_english_words_have_their_hand_counted_syllables),
        cmocka_unit_test(test_spanish_words_follow_diphthong_and_hiatus_rules),
        cmocka_unit_test(test_syllables_rejects_unknown_language_and_bad_utf8),
        cmocka_unit_test(test_english_medicine_paragraph_reads_at_grade_2_9),
        cmocka_unit_test(test_english_visit_paragraph_with_abbreviation_time_and_hyphen),
        cmocka_unit_test(test_english_coordinator_paragraph_is_above_the_default_target),
        cmocka_unit_test(test_spanish_medicine_paragraph_is_easy),
        cmocka_unit_test(test_spanish_questions_and_exclamations_with_inverted_marks),
        cmocka_unit_test(test_spanish_long_sentence_is_above_the_default_target),
        cmocka_unit_test(test_hardest_sentences_tie_in_reading_order),
        cmocka_unit_test(test_hardest_list_longer_than_the_text_holds_every_sentence),
        cmocka_unit_test(test_abbreviations_do_not_end_sentences),
        cmocka_unit_test(test_numbers_are_one_word_of_one_syllable),
        cmocka_unit_test(test_text_without_terminal_punctuation_is_one_sentence),
        cmocka_unit_test(test_quotes_and_ellipsis_end_sentences),
        cmocka_unit_test(test_blank_line_ends_an_unpunctuated_heading),
        cmocka_unit_test(test_period_inside_a_word_does_not_end_a_sentence),
        cmocka_unit_test(test_invalid_utf8_is_rejected),
        cmocka_unit_test(test_empty_text_is_rejected),
        cmocka_unit_test(test_unknown_language_is_rejected_naming_it),
        cmocka_unit_test(test_text_over_the_limit_is_too_big),
    };
    return cmocka_run_group_tests_name("readability", tests, NULL, NULL);
}
