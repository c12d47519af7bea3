/*
 * render: documents are rendered to real PDF files in a temporary directory and read back with
 * poppler's tools (pdftotext, pdftoppm, pdfinfo, pdffonts), so the tests see what a printer or a
 * PDF viewer sees: text that can be selected in order, accents intact, one "page X of Y" per page,
 * fonts embedded, pixels on the page. All text is synthetic.
 */
#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>

#include <cmocka.h>

#include "render/render.h"

#include <cairo.h>
#include <dirent.h>
#include <pthread.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>

#define ARENA_CAP (16u << 20)
#define PDF_MAX   (8u << 20)
#define OUT_MAX   (4u << 20)

struct fx {
    char dir[64];
    char pdf[128];
    struct cm_arena *arena;
};

static int
fx_setup(void **state)
{
    struct fx *f = calloc(1, sizeof(*f));
    if (f == NULL)
        return -1;
    memcpy(f->dir, "/tmp/caremap-render-XXXXXX", sizeof("/tmp/caremap-render-XXXXXX"));
    if (mkdtemp(f->dir) == NULL)
        return -1;
    snprintf(f->pdf, sizeof(f->pdf), "%s/doc.pdf", f->dir);
    f->arena = cm_arena_new(ARENA_CAP);
    if (f->arena == NULL)
        return -1;
    *state = f;
    return 0;
}

static int
fx_teardown(void **state)
{
    struct fx *f = *state;
    DIR *d = opendir(f->dir);
    if (d != NULL) {
        struct dirent *e;
        while ((e = readdir(d)) != NULL) {
            if (strcmp(e->d_name, ".") == 0 || strcmp(e->d_name, "..") == 0)
                continue;
            char path[384];
            snprintf(path, sizeof(path), "%s/%s", f->dir, e->d_name);
            unlink(path);
        }
        closedir(d);
    }
    rmdir(f->dir);
    cm_arena_free(f->arena);
    free(f);
    return 0;
}

/* Fontconfig is set up once for the group and released at the end, as main does. */
static int
group_setup(void **state)
{
    (void)state;
    struct cm_err err = {0};
    return cm_render_init(&err) == CM_OK ? 0 : -1;
}

static int
group_teardown(void **state)
{
    (void)state;
    cm_render_shutdown();
    return 0;
}

/* Renders doc, expecting success, and writes the PDF to f->pdf. */
static void
render_to_file(struct fx *f, struct cm_doc *doc)
{
    struct cm_buf out;
    struct cm_err err = {0};
    cm_buf_init(&out, f->arena, PDF_MAX);
    enum cm_code rc = cm_render_pdf(doc, &out, &err);
    if (rc != CM_OK)
        fail_msg("cm_render_pdf: %s: %s", err.field, err.msg);
    assert_true(out.len > 1000);
    assert_memory_equal(out.data, "%PDF-", 5);
    FILE *fp = fopen(f->pdf, "wb");
    assert_non_null(fp);
    assert_int_equal(fwrite(out.data, 1, out.len, fp), out.len);
    assert_int_equal(fclose(fp), 0);
}

/* Runs a shell command (made only of our own paths) and returns its stdout, malloc'd. */
static char *
run(const char *cmd)
{
    FILE *p = popen(cmd, "r");
    assert_non_null(p);
    char *buf = malloc(OUT_MAX + 1);
    assert_non_null(buf);
    size_t n = fread(buf, 1, OUT_MAX, p);
    buf[n] = '\0';
    int status = pclose(p);
    if (status != 0)
        fail_msg("'%s' exited with %d", cmd, status);
    return buf;
}

static char *
pdftotext(const struct fx *f, const char *opts)
{
    char cmd[512];
    snprintf(cmd, sizeof(cmd), "pdftotext %s '%s' -", opts, f->pdf);
    return run(cmd);
}

/* Collapses every run of whitespace in s to one space, in place, so wrapped text compares. */
static void
squeeze(char *s)
{
    char *w = s;
    bool space = false;
    for (const char *r = s; *r; r++) {
        if (*r == ' ' || *r == '\n' || *r == '\t' || *r == '\r') {
            space = true;
            continue;
        }
        if (space && w != s)
            *w++ = ' ';
        space = false;
        *w++ = *r;
    }
    *w = '\0';
}

/*
 * Splits pdftotext -layout output into pages (form feeds), checks each page's first line holds the
 * header texts and its last line the footer page_before, i, page_after, and returns the
 * body text of all pages with headers and footers removed and whitespace squeezed. *npages gets
 * the page count.
 */
static char *
body_of(char *text, const char *head_left, const char *head_right, const char *page_before,
        const char *page_after, int *npages)
{
    /* Body text is at most the whole text plus one space per page: size it so. */
    size_t cap = 2 * strlen(text) + 2, len = 0;
    char *body = calloc(1, cap);
    assert_non_null(body);
    int pages = 0;
    for (char *p = text; *p;) {
        char *ff = strchr(p, '\f');
        if (ff == NULL)
            break; /* pdftotext ends every page, the last included, with a form feed */
        *ff = '\0';
        pages++;
        /* first and last non-empty lines */
        char *first = p;
        while (*first == '\n')
            first++;
        char *first_end = strchr(first, '\n');
        assert_non_null(first_end);
        *first_end = '\0';
        char *rest = first_end + 1;
        char *last_end = ff;
        while (last_end > rest && last_end[-1] == '\n')
            last_end--;
        *last_end = '\0';
        char *last = strrchr(rest, '\n');
        last = last ? last + 1 : rest;
        if (strstr(first, head_left) == NULL || strstr(first, head_right) == NULL)
            fail_msg("page %d header line is '%s'", pages, first);
        char want[128];
        snprintf(want, sizeof(want), "%s%d%s", page_before, pages, page_after);
        if (strstr(last, want) == NULL)
            fail_msg("page %d footer line is '%s', want '%s'", pages, last, want);
        if (last > rest)
            last[-1] = '\0';
        else
            *last = '\0';
        size_t n = strlen(rest);
        assert_true(len + n + 2 <= cap);
        body[len++] = ' ';
        memcpy(body + len, rest, n + 1);
        len += n;
        p = ff + 1;
    }
    squeeze(body);
    *npages = pages;
    return body;
}

/* Asserts each of n texts occurs in hay, each after the one before. */
static void
assert_in_order(const char *hay, const char *const *texts, size_t n)
{
    const char *at = hay;
    for (size_t i = 0; i < n; i++) {
        char want[2048];
        snprintf(want, sizeof(want), "%s", texts[i]);
        squeeze(want);
        const char *hit = strstr(at, want);
        if (hit == NULL)
            fail_msg("text %zu '%s' not found in order%s", i, want,
                     strstr(hay, want) ? " (it appears earlier)" : "");
        at = hit + strlen(want);
    }
}

/* ---- whole documents ------------------------------------------------------------------------- */

static const char *const en_words[] = {
    "The",  "family", "keeps", "a",      "binder", "by",     "the",       "door",    "with",
    "the",  "latest", "plan,", "and",    "the",    "school", "nurse",     "has",     "a",
    "copy", "for",    "field", "trips.", "Feeds",  "run",    "overnight", "through", "the",
    "pump", "and",    "the",   "team",   "checks", "weight", "every",     "month."};

/* Builds a synthetic paragraph of about nwords words, starting with its number. */
static char *
paragraph_text(struct cm_arena *a, int number, size_t nwords)
{
    struct cm_buf b;
    cm_buf_init(&b, a, 64 * 1024);
    assert_int_equal(cm_buf_printf(&b, "Paragraph %d.", number), CM_OK);
    for (size_t i = 0; i < nwords; i++)
        assert_int_equal(
            cm_buf_printf(&b, " %s", en_words[(i + (size_t)number) % CM_ARRAY_LEN(en_words)]),
            CM_OK);
    return b.data;
}

static void
test_english_document_prints_every_block_in_order_with_page_x_of_y(void **state)
{
    struct fx *f = *state;
    struct cm_doc_page page = {CM_PAPER_A4, 0, "en", "Shared plan of care"};
    struct cm_doc *doc = cm_render_doc_new(&page, f->arena);
    assert_non_null(doc);
    cm_render_header(doc, "Avery Example - version 3", "printed 2025-03-14");
    cm_render_footer(doc, "caremap", "page {page} of {pages}");

    const char *expected[64];
    size_t n = 0;
    cm_render_heading(doc, 1, "Shared plan of care");
    expected[n++] = "Shared plan of care";
    for (int s = 1; s <= 5; s++) {
        char *h = cm_arena_printf(f->arena, "Section %d about daily care", s);
        cm_render_heading(doc, s % 2 ? 2 : 3, h);
        expected[n++] = h;
        for (int p = 0; p < 4; p++) {
            char *t = paragraph_text(f->arena, s * 10 + p, 70);
            cm_render_paragraph(doc, t);
            expected[n++] = t;
        }
    }
    static const char *const items[] = {"Check the gastrostomy site each morning.",
                                        "Charge the feeding pump overnight.",
                                        "Bring the binder to every visit."};
    cm_render_heading(doc, 2, "Every day");
    expected[n++] = "Every day";
    cm_render_list(doc, items, CM_ARRAY_LEN(items));
    for (size_t i = 0; i < CM_ARRAY_LEN(items); i++)
        expected[n++] = items[i];
    static const struct cm_render_row rows[] = {{"Lead coordinator", "Jordan Sample"},
                                                {"Backup", "Riley Placeholder"}};
    cm_render_table(doc, rows, CM_ARRAY_LEN(rows));
    expected[n++] = "Lead coordinator";
    expected[n++] = "Jordan Sample";
    expected[n++] = "Backup";
    expected[n++] = "Riley Placeholder";
    render_to_file(f, doc);

    char *text = pdftotext(f, "-layout");
    int pages = 0;
    char after[32];
    snprintf(after, sizeof(after), " of %d", cm_render_page_count(doc));
    char *body =
        body_of(text, "Avery Example - version 3", "printed 2025-03-14", "page ", after, &pages);
    assert_true(pages >= 3);
    assert_int_equal(pages, cm_render_page_count(doc));
    assert_in_order(body, expected, n);
    free(body);
    free(text);

    /* The bullets are printed too, and pdfinfo agrees on the page count and paper. */
    text = pdftotext(f, "-layout");
    assert_non_null(strstr(text, "\u2022 Charge the feeding pump overnight."));
    free(text);
    char cmd[256];
    snprintf(cmd, sizeof(cmd), "pdfinfo '%s'", f->pdf);
    char *info = run(cmd);
    const char *pages_line = strstr(info, "Pages:");
    assert_non_null(pages_line);
    assert_int_equal(strtol(pages_line + 6, NULL, 10), pages);
    assert_non_null(strstr(info, "595.276 x 841.89 pts (A4)"));
    assert_non_null(strstr(info, "Shared plan of care"));
    free(info);
}

static void
test_spanish_document_keeps_accents_and_spanish_punctuation(void **state)
{
    struct fx *f = *state;
    struct cm_doc_page page = {CM_PAPER_LETTER, 0, "es", "Plan de cuidado compartido"};
    struct cm_doc *doc = cm_render_doc_new(&page, f->arena);
    assert_non_null(doc);
    cm_render_header(doc, "Niña Ejemplo - versión 2", "impreso 2025-03-14");
    cm_render_footer(doc, NULL, "página {page} de {pages}");

    static const char *const para =
        "¡Llame al equipo si la niña tiene fiebre! ¿Qué hacer primero? El señor Muñoz dice "
        "“gracias” a la enfermera; la mamá guarda el acetaminofén, la jeringa y el cuaderno "
        "junto a la puerta. Después de la cirugía, la niña come por la sonda cada tres horas.";
    const char *expected[40];
    size_t n = 0;
    cm_render_heading(doc, 1, "¿Qué hacer si hay fiebre?");
    expected[n++] = "¿Qué hacer si hay fiebre?";
    for (int i = 0; i < 24; i++) {
        if (i % 6 == 0) {
            char *h = cm_arena_printf(f->arena, "Sección %d: añadir información", i / 6 + 1);
            cm_render_heading(doc, 2, h);
            expected[n++] = h;
        }
        char *t = cm_arena_printf(f->arena, "Párrafo %d. %s %s", i, para, para);
        cm_render_paragraph(doc, t);
        expected[n++] = t;
    }
    render_to_file(f, doc);

    char *text = pdftotext(f, "-layout");
    int pages = 0;
    char after[32];
    snprintf(after, sizeof(after), " de %d", cm_render_page_count(doc));
    char *body =
        body_of(text, "Niña Ejemplo - versión 2", "impreso 2025-03-14", "página ", after, &pages);
    assert_true(pages >= 2);
    assert_int_equal(pages, cm_render_page_count(doc));
    assert_in_order(body, expected, n);
    static const char *const words[] = {"niña", "Muñoz",        "“gracias”", "¿Qué",   "¡Llame",
                                        "mamá", "acetaminofén", "Después",   "cirugía"};
    for (size_t i = 0; i < CM_ARRAY_LEN(words); i++)
        if (strstr(body, words[i]) == NULL)
            fail_msg("'%s' is not intact in the PDF text", words[i]);
    free(body);
    free(text);

    char cmd[256];
    snprintf(cmd, sizeof(cmd), "pdfinfo '%s'", f->pdf);
    char *info = run(cmd);
    assert_non_null(strstr(info, "612 x 792 pts (letter)"));
    free(info);
}

/* Fonts are Noto Sans, regular and bold, embedded (subset) with a Unicode map (selectable). */
static void
test_fonts_are_noto_sans_embedded_with_bold_runs(void **state)
{
    struct fx *f = *state;
    struct cm_doc_page page = {CM_PAPER_A4, 0, "en", NULL};
    struct cm_doc *doc = cm_render_doc_new(&page, f->arena);
    struct cm_render_run runs[] = {{"Call first: ", true}, {"the home nurse line.", false}};
    cm_render_paragraph_runs(doc, runs, CM_ARRAY_LEN(runs));
    render_to_file(f, doc);

    char cmd[256];
    snprintf(cmd, sizeof(cmd), "pdffonts '%s'", f->pdf);
    char *fonts = run(cmd);
    bool regular = false, bold = false;
    for (char *line = strtok(fonts, "\n"); line; line = strtok(NULL, "\n")) {
        if (strncmp(line, "name", 4) == 0 || strncmp(line, "----", 4) == 0)
            continue;
        if (strstr(line, "NotoSans") == NULL)
            fail_msg("a font other than Noto Sans: %s", line);
        /* columns emb, sub, uni */
        if (strstr(line, " yes yes yes ") == NULL)
            fail_msg("font not embedded, subset and mapped to Unicode: %s", line);
        regular |= strstr(line, "NotoSans-Regular") != NULL;
        bold |= strstr(line, "NotoSans-Bold") != NULL;
    }
    free(fonts);
    assert_true(regular);
    assert_true(bold);
    char *text = pdftotext(f, "-layout");
    assert_non_null(strstr(text, "Call first: the home nurse line."));
    free(text);
}

/* pdftoppm draws page 1; some pixels must not be white. */
static void
test_first_page_draws_visible_text(void **state)
{
    struct fx *f = *state;
    struct cm_doc_page page = {CM_PAPER_A4, 0, "en", NULL};
    struct cm_doc *doc = cm_render_doc_new(&page, f->arena);
    cm_render_heading(doc, 1, "Emergency information");
    cm_render_paragraph(doc, paragraph_text(f->arena, 1, 120));
    render_to_file(f, doc);

    char cmd[512], png[160];
    snprintf(png, sizeof(png), "%s/page.png", f->dir);
    snprintf(cmd, sizeof(cmd), "pdftoppm -r 30 -png -f 1 -l 1 -singlefile '%s' '%s/page'", f->pdf,
             f->dir);
    free(run(cmd));
    cairo_surface_t *img = cairo_image_surface_create_from_png(png);
    assert_int_equal(cairo_surface_status(img), CAIRO_STATUS_SUCCESS);
    int w = cairo_image_surface_get_width(img), h = cairo_image_surface_get_height(img);
    /* A4 at 30 dpi: 8.27 x 11.69 inches, rounded either way */
    assert_in_range(w, 248, 249);
    assert_in_range(h, 350, 351);
    int stride = cairo_image_surface_get_stride(img);
    const unsigned char *data = cairo_image_surface_get_data(img);
    long dark = 0;
    for (int y = 0; y < h; y++)
        for (int x = 0; x < w; x++) {
            uint32_t px;
            memcpy(&px, data + (size_t)y * (size_t)stride + (size_t)x * 4, 4);
            dark += (px & 0xffffff) != 0xffffff;
        }
    cairo_surface_destroy(img);
    /* 120 words and a heading cover far more than a few hundred of the 87,000 pixels. */
    assert_true(dark > 500);
}

/* ---- text is text, never markup -------------------------------------------------------------- */

static void
test_markup_in_user_text_is_printed_literally(void **state)
{
    struct fx *f = *state;
    struct cm_doc_page page = {CM_PAPER_A4, 0, "en", "<b>title</b>"};
    struct cm_doc *doc = cm_render_doc_new(&page, f->arena);
    assert_non_null(doc);
    cm_render_header(doc, "<i>left</i>", "fees & charges");
    cm_render_footer(doc, "<span>", "page {page} of {pages} {nope}");
    cm_render_heading(doc, 2, "Tom & Jerry's \"plan\" <3");
    cm_render_paragraph(doc, "Note: <b>x</b> & <span> stays as typed.");
    /* A control character cannot be escaped for pango; it prints as a space, not as an error. */
    cm_render_paragraph(doc, "bell\x07here &amp; &#x1;");
    static const char *const items[] = {"</span> item"};
    cm_render_list(doc, items, 1);
    static const struct cm_render_row rows[] = {{"<tt>", "</b>value"}};
    cm_render_table(doc, rows, 1);
    render_to_file(f, doc);

    /* Reading order, not -layout. (pdftotext guesses word gaps per line: in a short line of
     * one-letter words such as "a & b" it sees no gap and prints "a&b", though -bbox shows three
     * words. The texts below have longer words for that reason.) */
    char *text = pdftotext(f, "");
    static const char *const want[] = {"<i>left</i>",
                                       "fees & charges",
                                       "Tom & Jerry's \"plan\" <3",
                                       "Note: <b>x</b> & <span> stays as typed.",
                                       "bell here &amp; &#x1;",
                                       "</span> item",
                                       "<tt>",
                                       "</b>value",
                                       "<span>",
                                       "page 1 of 1 {nope}"};
    for (size_t i = 0; i < CM_ARRAY_LEN(want); i++)
        if (strstr(text, want[i]) == NULL)
            fail_msg("'%s' not printed literally in:\n%s", want[i], text);
    free(text);
    char cmd[256];
    snprintf(cmd, sizeof(cmd), "pdfinfo '%s'", f->pdf);
    char *info = run(cmd);
    assert_non_null(strstr(info, "<b>title</b>"));
    free(info);
}

/* ---- layout ---------------------------------------------------------------------------------- */

/* Reads the attribute name="number" at or after p. */
static double
attr(const char *p, const char *name)
{
    char key[32];
    snprintf(key, sizeof(key), " %s=\"", name);
    const char *a = strstr(p, key);
    assert_non_null(a);
    return strtod(a + strlen(key), NULL);
}

static void
test_a_word_longer_than_a_line_wraps_inside_the_margins(void **state)
{
    struct fx *f = *state;
    struct cm_doc_page page = {CM_PAPER_LETTER, 72.0, "en", NULL};
    struct cm_doc *doc = cm_render_doc_new(&page, f->arena);
    char word[1201];
    for (size_t i = 0; i < sizeof(word) - 1; i++)
        word[i] = (char)('a' + i % 26);
    word[sizeof(word) - 1] = '\0';
    cm_render_heading(doc, 1, word);
    cm_render_paragraph(doc, word);
    const char *const items[] = {word};
    cm_render_list(doc, items, 1);
    struct cm_render_row row = {word, word};
    cm_render_table(doc, &row, 1);
    cm_render_header(doc, word, word);
    render_to_file(f, doc);

    char *html = pdftotext(f, "-bbox");
    double right = 612.0 - 72.0 + 0.5; /* half a point for rounding */
    int words = 0;
    for (const char *p = strstr(html, "<word "); p; p = strstr(p + 1, "<word ")) {
        words++;
        double x_min = attr(p, "xMin"), x_max = attr(p, "xMax");
        if (x_min < 72.0 - 0.5 || x_max > right)
            fail_msg("a word runs from %.1f to %.1f, outside 72..540", x_min, x_max);
    }
    free(html);
    /* The word was broken into many lines (each one "word" to pdftotext), not dropped. */
    assert_true(words > 20);
    char *text = pdftotext(f, "-raw");
    assert_non_null(strstr(text, "abcdefghijklmnopqrstuvwxyzabcdefgh"));
    free(text);
}

static void
test_page_break_starts_a_page_and_never_a_blank_one(void **state)
{
    struct fx *f = *state;
    struct cm_doc_page page = {CM_PAPER_A4, 0, "en", NULL};
    struct cm_doc *doc = cm_render_doc_new(&page, f->arena);
    cm_render_footer(doc, NULL, "page {page} of {pages}");
    cm_render_page_break(doc); /* at the top: no blank first page */
    cm_render_paragraph(doc, "First page text.");
    cm_render_page_break(doc);
    cm_render_page_break(doc); /* twice in a row: still one break */
    cm_render_paragraph(doc, "Second page text.");
    render_to_file(f, doc);
    assert_int_equal(cm_render_page_count(doc), 2);

    char *text = pdftotext(f, "-layout");
    char *ff = strchr(text, '\f');
    assert_non_null(ff);
    *ff = '\0';
    assert_non_null(strstr(text, "First page text."));
    assert_non_null(strstr(text, "page 1 of 2"));
    assert_null(strstr(text, "Second page text."));
    assert_non_null(strstr(ff + 1, "Second page text."));
    assert_non_null(strstr(ff + 1, "page 2 of 2"));
    free(text);
}

static void
test_empty_document_is_one_page_with_its_running_text(void **state)
{
    struct fx *f = *state;
    struct cm_doc_page page = {CM_PAPER_A4, 0, "en", NULL};
    struct cm_doc *doc = cm_render_doc_new(&page, f->arena);
    cm_render_header(doc, "left head", "right head");
    render_to_file(f, doc);
    assert_int_equal(cm_render_page_count(doc), 1);
    char *text = pdftotext(f, ""); /* reading order: see the markup test */
    assert_non_null(strstr(text, "left head"));
    assert_non_null(strstr(text, "right head"));
    /* The default footer "1 / 1" (pdftotext may print it "1/1": see the markup test). */
    assert_true(strstr(text, "1 / 1") != NULL || strstr(text, "1/1") != NULL);
    free(text);
}

/* ---- errors ---------------------------------------------------------------------------------- */

static void
test_pdf_larger_than_the_buffer_is_too_big(void **state)
{
    struct fx *f = *state;
    struct cm_doc_page page = {CM_PAPER_A4, 0, "en", NULL};
    struct cm_doc *doc = cm_render_doc_new(&page, f->arena);
    cm_render_paragraph(doc, paragraph_text(f->arena, 1, 200));
    struct cm_buf out;
    struct cm_err err = {0};
    cm_buf_init(&out, f->arena, 4096);
    assert_int_equal(cm_render_pdf(doc, &out, &err), CM_ETOOBIG);
    assert_int_equal(err.code, CM_ETOOBIG);
    assert_string_equal(err.field, "pdf");
    assert_true(out.len <= 4096);
    assert_int_equal(cm_render_page_count(doc), 0);

    /* The same document fits a sensible bound. */
    struct cm_err err2 = {0};
    cm_buf_init(&out, f->arena, PDF_MAX);
    assert_int_equal(cm_render_pdf(doc, &out, &err2), CM_OK);
    assert_int_equal(cm_render_page_count(doc), 1);
}

static void
test_invalid_utf8_is_rejected_and_later_blocks_ignored(void **state)
{
    struct fx *f = *state;
    struct cm_doc_page page = {CM_PAPER_A4, 0, "en", NULL};
    struct cm_doc *doc = cm_render_doc_new(&page, f->arena);
    cm_render_paragraph(doc, "fine");
    cm_render_paragraph(doc, "bad \xff\xfe bytes");
    cm_render_heading(doc, 9, "a later error does not replace the first");
    struct cm_buf out;
    struct cm_err err = {0};
    cm_buf_init(&out, f->arena, PDF_MAX);
    assert_int_equal(cm_render_pdf(doc, &out, &err), CM_EINVAL);
    assert_string_equal(err.field, "paragraph");
    assert_int_equal(out.len, 0);
}

static void
test_heading_level_out_of_range_is_rejected(void **state)
{
    struct fx *f = *state;
    struct cm_doc_page page = {CM_PAPER_A4, 0, "en", NULL};
    struct cm_doc *doc = cm_render_doc_new(&page, f->arena);
    cm_render_heading(doc, 0, "zero");
    struct cm_buf out;
    struct cm_err err = {0};
    cm_buf_init(&out, f->arena, PDF_MAX);
    assert_int_equal(cm_render_pdf(doc, &out, &err), CM_EINVAL);
    assert_string_equal(err.field, "level");
}

static void
test_document_past_the_arena_cap_is_too_big(void **state)
{
    (void)state;
    struct cm_arena *a = cm_arena_new(16 * 1024);
    assert_non_null(a);
    struct cm_doc_page page = {CM_PAPER_A4, 0, "en", NULL};
    struct cm_doc *doc = cm_render_doc_new(&page, a);
    assert_non_null(doc);
    char text[1024];
    memset(text, 'x', sizeof(text) - 1);
    text[sizeof(text) - 1] = '\0';
    for (int i = 0; i < 40; i++)
        cm_render_paragraph(doc, text);
    struct cm_buf out;
    struct cm_err err = {0};
    cm_buf_init(&out, a, PDF_MAX);
    assert_int_equal(cm_render_pdf(doc, &out, &err), CM_ETOOBIG);
    cm_arena_free(a);
}

static void
test_unknown_language_or_paper_gives_no_document(void **state)
{
    struct fx *f = *state;
    struct cm_doc_page fr = {CM_PAPER_A4, 0, "fr", NULL};
    assert_null(cm_render_doc_new(&fr, f->arena));
    struct cm_doc_page paper = {(enum cm_render_paper)7, 0, "en", NULL};
    assert_null(cm_render_doc_new(&paper, f->arena));
    struct cm_doc_page margins = {CM_PAPER_LETTER, 400.0, "en", NULL};
    assert_null(cm_render_doc_new(&margins, f->arena));
}

/* ---- threads --------------------------------------------------------------------------------- */

struct thread_arg {
    const char *lang;
    int pages;
    enum cm_code rc;
};

static void *
render_thread(void *p)
{
    struct thread_arg *t = p;
    struct cm_arena *a = cm_arena_new(ARENA_CAP);
    t->rc = CM_EINTERNAL;
    if (a == NULL)
        return NULL;
    for (int round = 0; round < 3; round++) {
        struct cm_doc_page page = {CM_PAPER_A4, 0, t->lang, NULL};
        struct cm_doc *doc = cm_render_doc_new(&page, a);
        for (int i = 0; i < 30; i++)
            cm_render_paragraph(doc, "Año tras año la niña y su familia revisan el plan juntos, "
                                     "and the team updates it after every visit.");
        struct cm_buf out;
        struct cm_err err = {0};
        cm_buf_init(&out, a, PDF_MAX);
        t->rc = cm_render_pdf(doc, &out, &err);
        t->pages = cm_render_page_count(doc);
        cm_arena_reset(a);
        if (t->rc != CM_OK)
            break;
    }
    cm_arena_free(a);
    return NULL;
}

static void
test_two_threads_render_at_once(void **state)
{
    (void)state;
    struct thread_arg args[2] = {{"en", 0, CM_EINTERNAL}, {"es", 0, CM_EINTERNAL}};
    pthread_t th[2];
    for (int i = 0; i < 2; i++)
        assert_int_equal(pthread_create(&th[i], NULL, render_thread, &args[i]), 0);
    for (int i = 0; i < 2; i++)
        assert_int_equal(pthread_join(th[i], NULL), 0);
    for (int i = 0; i < 2; i++) {
        assert_int_equal(args[i].rc, CM_OK);
        assert_true(args[i].pages >= 1);
    }
}

int
main(void)
{
    const struct CMUnitTest tests[] = {
        cmocka_unit_test_setup_teardown(
            test_english_document_prints_every_block_in_order_with_page_x_of_y, fx_setup,
            fx_teardown),
        cmocka_unit_test_setup_teardown(test_spanish_document_keeps_accents_and_spanish_punctuation,
                                        fx_setup, fx_teardown),
        cmocka_unit_test_setup_teardown(test_fonts_are_noto_sans_embedded_with_bold_runs, fx_setup,
                                        fx_teardown),
        cmocka_unit_test_setup_teardown(test_first_page_draws_visible_text, fx_setup, fx_teardown),
        cmocka_unit_test_setup_teardown(test_markup_in_user_text_is_printed_literally, fx_setup,
                                        fx_teardown),
        cmocka_unit_test_setup_teardown(test_a_word_longer_than_a_line_wraps_inside_the_margins,
                                        fx_setup, fx_teardown),
        cmocka_unit_test_setup_teardown(test_page_break_starts_a_page_and_never_a_blank_one,
                                        fx_setup, fx_teardown),
        cmocka_unit_test_setup_teardown(test_empty_document_is_one_page_with_its_running_text,
                                        fx_setup, fx_teardown),
        cmocka_unit_test_setup_teardown(test_pdf_larger_than_the_buffer_is_too_big, fx_setup,
                                        fx_teardown),
        cmocka_unit_test_setup_teardown(test_invalid_utf8_is_rejected_and_later_blocks_ignored,
                                        fx_setup, fx_teardown),
        cmocka_unit_test_setup_teardown(test_heading_level_out_of_range_is_rejected, fx_setup,
                                        fx_teardown),
        cmocka_unit_test(test_document_past_the_arena_cap_is_too_big),
        cmocka_unit_test_setup_teardown(test_unknown_language_or_paper_gives_no_document, fx_setup,
                                        fx_teardown),
        cmocka_unit_test(test_two_threads_render_at_once),
    };
    return cmocka_run_group_tests(tests, group_setup, group_teardown);
}
