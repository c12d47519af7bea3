/*
 * render/pdf: lays a document out with pango and draws it with cairo into a PDF in memory.
 *
 * Two passes, because every page's footer says "page X of Y" and Y is known only once the whole
 * document has been broken into pages. Pass one (layout) turns each block into pango layouts and
 * assigns every line to a page and a baseline, without drawing. Pass two (draw) walks those
 * placed lines page by page, adding the running header and the footer with the total filled in.
 * The layouts of pass one are drawn as they are, so the two passes cannot disagree.
 */
#include "render/render_int.h"

#include <cairo-pdf.h>
#include <cairo.h>
#include <fontconfig/fontconfig.h>
#include <pango/pangocairo.h>
#include <string.h>

#define FONT_FAMILY "Noto Sans"

/* Sizes in points. Body text at 10.5 pt keeps the plan readable for families when printed. */
#define BODY_PT      10.5
#define RUNNING_PT   8.5 /* header and footer */
#define PARA_AFTER   6.0
#define LIST_INDENT  16.0
#define TABLE_LABEL  0.34 /* share of the text width the table's label column takes */
#define TABLE_GAP    12.0
#define TABLE_PAD    3.0
#define RUNNING_GAP  12.0 /* between the header (or footer) and the text */
#define PLACED_CHUNK 256

static const struct {
    double size, before, after;
} heading_style[4] = {{0, 0, 0}, {17.0, 14.0, 6.0}, {13.5, 12.0, 4.0}, {11.5, 10.0, 3.0}};

/* A line assigned to a page: either a pango line drawn with its baseline at (x, y), or (line NULL)
 * a thin rule from x to x2 at y. */
struct placed {
    PangoLayoutLine *line;
    double x, y, x2;
    int page;
};

struct placed_chunk {
    struct placed items[PLACED_CHUNK];
    size_t n;
    struct placed_chunk *next;
};

/* Everything one cm_render_pdf() call holds; released in one place (finish()). */
struct job {
    struct cm_doc *doc;
    struct cm_err *err;
    double page_w, page_h, left, width, top, bottom; /* the text area */
    PangoFontMap *fontmap;
    PangoContext *ctx;
    PangoFontDescription *body, *running, *head[4];
    GPtrArray *layouts; /* every layout made, unreffed at the end */
    struct placed_chunk *first, *last;
    int page;   /* the page being filled */
    double y;   /* the top of the next line on it */
    bool fresh; /* nothing placed on this page yet */
};

/* ---- pass one: layout ------------------------------------------------------------------------ */

/* Makes a layout of markup at width points in font; NULL (error set) if pango refuses it. */
static PangoLayout *
layout_new(struct job *j, const char *markup, double width, const PangoFontDescription *font)
{
    /* Markup was built by doc.c from escaped text, so a parse failure is our bug, not the user's:
     * check it here rather than let pango_layout_set_markup() print a warning and draw nothing. */
    GError *gerr = NULL;
    if (!pango_parse_markup(markup, -1, 0, NULL, NULL, NULL, &gerr)) {
        cm_err_set(j->err, CM_EINTERNAL, "markup", "pango refused the markup: %s",
                   gerr ? gerr->message : "?");
        g_clear_error(&gerr);
        return NULL;
    }
    PangoLayout *l = pango_layout_new(j->ctx);
    g_ptr_array_add(j->layouts, l);
    pango_layout_set_font_description(l, font);
    pango_layout_set_width(l, (int)(width * PANGO_SCALE));
    /* WORD_CHAR: a word wider than the line (a long URL, a drug's full name) is broken between
     * characters instead of running off the page. */
    pango_layout_set_wrap(l, PANGO_WRAP_WORD_CHAR);
    pango_layout_set_markup(l, markup, -1);
    return l;
}

static void
new_page(struct job *j)
{
    j->page++;
    j->y = j->top;
    j->fresh = true;
}

static struct placed *
place(struct job *j)
{
    if (j->last == NULL || j->last->n == PLACED_CHUNK) {
        struct placed_chunk *c = cm_arena_alloc(j->doc->arena, sizeof(*c));
        if (c == NULL) {
            cm_err_set(j->err, CM_ETOOBIG, "document", "document over its memory cap");
            return NULL;
        }
        if (j->last)
            j->last->next = c;
        else
            j->first = c;
        j->last = c;
    }
    struct placed *p = &j->last->items[j->last->n++];
    p->page = j->page;
    return p;
}

/* Vertical space, dropped at the top of a page (a heading's space before means nothing there). */
static void
space(struct job *j, double pt)
{
    if (!j->fresh)
        j->y += pt;
}

/*
 * Places up to two layouts side by side (a bullet and its item, a label and its value), line by
 * line in step, so that a long item or row continues on the next page rather than being cut or
 * pushed whole. Lines at the same step share a baseline.
 */
static enum cm_code
place_columns(struct job *j, PangoLayout **ls, const double *xs, size_t k)
{
    PangoLayoutIter *it[2] = {NULL, NULL};
    bool more[2] = {false, false};
    for (size_t c = 0; c < k; c++) {
        it[c] = pango_layout_get_iter(ls[c]);
        more[c] = true;
    }
    enum cm_code rc = CM_OK;
    while (rc == CM_OK && (more[0] || more[1])) {
        double ascent = 0, descent = 0;
        for (size_t c = 0; c < k; c++) {
            if (!more[c])
                continue;
            PangoRectangle logical;
            pango_layout_iter_get_line_extents(it[c], NULL, &logical);
            double a = (double)(pango_layout_iter_get_baseline(it[c]) - logical.y) / PANGO_SCALE;
            double d = (double)logical.height / PANGO_SCALE - a;
            ascent = a > ascent ? a : ascent;
            descent = d > descent ? d : descent;
        }
        if (j->y + ascent + descent > j->bottom && !j->fresh)
            new_page(j);
        for (size_t c = 0; c < k && rc == CM_OK; c++) {
            if (!more[c])
                continue;
            struct placed *p = place(j);
            if (p == NULL) {
                rc = CM_ETOOBIG;
                break;
            }
            p->line = pango_layout_iter_get_line_readonly(it[c]);
            p->x = xs[c];
            p->y = j->y + ascent;
            more[c] = pango_layout_iter_next_line(it[c]);
        }
        j->y += ascent + descent;
        j->fresh = false;
    }
    for (size_t c = 0; c < k; c++)
        pango_layout_iter_free(it[c]);
    return rc;
}

static enum cm_code
place_rule(struct job *j)
{
    if (j->fresh)
        return CM_OK;
    struct placed *p = place(j);
    if (p == NULL)
        return CM_ETOOBIG;
    p->line = NULL;
    p->x = j->left;
    p->x2 = j->left + j->width;
    p->y = j->y;
    return CM_OK;
}

static enum cm_code
lay_heading(struct job *j, const struct cm_render_block *bl)
{
    PangoLayout *l = layout_new(j, bl->markup, j->width, j->head[bl->level]);
    if (l == NULL)
        return CM_EINTERNAL;
    space(j, heading_style[bl->level].before);
    /* Keep the heading with about two lines of what follows: a heading alone at the foot of a page
     * reads as if its section were empty. */
    PangoRectangle logical;
    pango_layout_get_extents(l, NULL, &logical);
    double need =
        (double)logical.height / PANGO_SCALE + heading_style[bl->level].after + 2.0 * BODY_PT * 1.4;
    if (j->y + need > j->bottom && !j->fresh)
        new_page(j);
    double x = j->left;
    enum cm_code rc = place_columns(j, &l, &x, 1);
    j->y += heading_style[bl->level].after;
    return rc;
}

static enum cm_code
lay_paragraph(struct job *j, const struct cm_render_block *bl)
{
    PangoLayout *l = layout_new(j, bl->markup, j->width, j->body);
    if (l == NULL)
        return CM_EINTERNAL;
    double x = j->left;
    enum cm_code rc = place_columns(j, &l, &x, 1);
    j->y += PARA_AFTER;
    return rc;
}

static enum cm_code
lay_list(struct job *j, const struct cm_render_block *bl)
{
    enum cm_code rc = CM_OK;
    for (size_t i = 0; i < bl->n && rc == CM_OK; i++) {
        PangoLayout *ls[2];
        ls[0] = layout_new(j, "\u2022", LIST_INDENT, j->body);
        ls[1] = layout_new(j, bl->cells[i], j->width - LIST_INDENT, j->body);
        if (ls[0] == NULL || ls[1] == NULL)
            return CM_EINTERNAL;
        double xs[2] = {j->left + 3.0, j->left + LIST_INDENT};
        rc = place_columns(j, ls, xs, 2);
        space(j, 2.0);
    }
    j->y += PARA_AFTER;
    return rc;
}

static enum cm_code
lay_table(struct job *j, const struct cm_render_block *bl)
{
    double label_w = j->width * TABLE_LABEL;
    double value_w = j->width - label_w - TABLE_GAP;
    enum cm_code rc = CM_OK;
    for (size_t i = 0; i < bl->n && rc == CM_OK; i++) {
        PangoLayout *ls[2];
        ls[0] = layout_new(j, bl->cells[2 * i], label_w, j->body);
        ls[1] = layout_new(j, bl->cells[2 * i + 1], value_w, j->body);
        if (ls[0] == NULL || ls[1] == NULL)
            return CM_EINTERNAL;
        double xs[2] = {j->left, j->left + label_w + TABLE_GAP};
        space(j, TABLE_PAD);
        rc = place_columns(j, ls, xs, 2);
        j->y += TABLE_PAD;
        if (rc == CM_OK && i + 1 < bl->n)
            rc = place_rule(j);
    }
    j->y += PARA_AFTER;
    return rc;
}

static enum cm_code
lay_out(struct job *j)
{
    j->page = 0;
    j->y = j->top;
    j->fresh = true;
    enum cm_code rc = CM_OK;
    for (const struct cm_render_block *bl = j->doc->first; bl && rc == CM_OK; bl = bl->next) {
        switch (bl->kind) {
        case BLOCK_HEADING:
            rc = lay_heading(j, bl);
            break;
        case BLOCK_PARAGRAPH:
            rc = lay_paragraph(j, bl);
            break;
        case BLOCK_LIST:
            rc = lay_list(j, bl);
            break;
        case BLOCK_TABLE:
            rc = lay_table(j, bl);
            break;
        case BLOCK_BREAK:
            if (!j->fresh)
                new_page(j);
            break;
        }
    }
    return rc;
}

/* ---- pass two: draw -------------------------------------------------------------------------- */

/* Fills the footer template: "{page}" and "{pages}" become the numbers, the rest is copied. */
static enum cm_code
footer_text(const char *fmt, int page, int pages, struct cm_buf *b)
{
    enum cm_code rc = CM_OK;
    for (const char *p = fmt; *p != '\0' && rc == CM_OK;) {
        if (strncmp(p, "{pages}", 7) == 0) {
            rc = cm_buf_printf(b, "%d", pages);
            p += 7;
        } else if (strncmp(p, "{page}", 6) == 0) {
            rc = cm_buf_printf(b, "%d", page);
            p += 6;
        } else {
            rc = cm_buf_append(b, p, 1);
            p++;
        }
    }
    return rc;
}

/* Draws plain text on one line, cut with an ellipsis to width, aligned in [x, x+width]. The text
 * goes in with pango_layout_set_text(), never as markup. */
static void
draw_running(struct job *j, cairo_t *cr, const char *text, double x, double y_top, double width,
             PangoAlignment align)
{
    if (text == NULL || *text == '\0')
        return;
    PangoLayout *l = pango_layout_new(j->ctx);
    pango_layout_set_font_description(l, j->running);
    pango_layout_set_width(l, (int)(width * PANGO_SCALE));
    pango_layout_set_ellipsize(l, PANGO_ELLIPSIZE_END);
    pango_layout_set_alignment(l, align);
    pango_layout_set_single_paragraph_mode(l, TRUE);
    pango_layout_set_text(l, text, -1);
    cairo_move_to(cr, x, y_top);
    pango_cairo_show_layout(cr, l);
    g_object_unref(l);
}

/* The height of one line of running text, for the space the header and footer take. */
static double
running_height(struct job *j)
{
    PangoLayout *l = pango_layout_new(j->ctx);
    pango_layout_set_font_description(l, j->running);
    pango_layout_set_text(l, "Ag", -1);
    int h = 0;
    pango_layout_get_size(l, NULL, &h);
    g_object_unref(l);
    return (double)h / PANGO_SCALE;
}

static enum cm_code
draw(struct job *j, cairo_t *cr, double running_h, int pages)
{
    const struct cm_doc *doc = j->doc;
    double half = (j->width - TABLE_GAP) / 2;
    const struct placed_chunk *c = j->first;
    size_t i = 0;
    for (int page = 0; page < pages; page++) {
        double head_top = doc->margin;
        double foot_top = j->page_h - doc->margin - running_h;
        cairo_set_source_rgb(cr, 0.25, 0.25, 0.25);
        draw_running(j, cr, doc->head_left, j->left, head_top, half, PANGO_ALIGN_LEFT);
        draw_running(j, cr, doc->head_right, j->left + j->width - half, head_top, half,
                     PANGO_ALIGN_RIGHT);
        cairo_set_line_width(cr, 0.5);
        cairo_move_to(cr, j->left, head_top + running_h + 3.0);
        cairo_line_to(cr, j->left + j->width, head_top + running_h + 3.0);
        cairo_stroke(cr);

        char fbuf[512];
        struct cm_buf fb = {fbuf, 0, sizeof(fbuf), sizeof(fbuf) - 1, NULL};
        fbuf[0] = '\0';
        /* A template longer than the buffer is cut: cm_buf never writes past max. */
        (void)footer_text(doc->foot_format, page + 1, pages, &fb);
        draw_running(j, cr, doc->foot_left, j->left, foot_top, half, PANGO_ALIGN_LEFT);
        draw_running(j, cr, fbuf, j->left + j->width - half, foot_top, half, PANGO_ALIGN_RIGHT);

        cairo_set_source_rgb(cr, 0, 0, 0);
        for (; c != NULL; c = c->next, i = 0) {
            for (; i < c->n && c->items[i].page == page; i++) {
                const struct placed *p = &c->items[i];
                if (p->line == NULL) {
                    cairo_save(cr);
                    cairo_set_source_rgb(cr, 0.7, 0.7, 0.7);
                    cairo_set_line_width(cr, 0.4);
                    cairo_move_to(cr, p->x, p->y);
                    cairo_line_to(cr, p->x2, p->y);
                    cairo_stroke(cr);
                    cairo_restore(cr);
                } else {
                    cairo_move_to(cr, p->x, p->y);
                    pango_cairo_show_layout_line(cr, p->line);
                }
            }
            if (i < c->n)
                break; /* the rest belongs to the next page */
        }
        cairo_show_page(cr);
        if (cairo_status(cr) != CAIRO_STATUS_SUCCESS)
            return cm_err_set(j->err, CM_EINTERNAL, "pdf", "cairo: %s",
                              cairo_status_to_string(cairo_status(cr)));
    }
    return CM_OK;
}

/* ---- the PDF stream -------------------------------------------------------------------------- */

struct sink {
    struct cm_buf *out;
    enum cm_code rc;
};

/* cairo's write callback: appends to the bounded buffer and stops cairo once it is full. */
static cairo_status_t
sink_write(void *closure, const unsigned char *data, unsigned int len)
{
    struct sink *s = closure;
    if (s->rc == CM_OK)
        s->rc = cm_buf_append(s->out, data, len);
    return s->rc == CM_OK ? CAIRO_STATUS_SUCCESS : CAIRO_STATUS_WRITE_ERROR;
}

static PangoFontDescription *
font(const char *weight, double size)
{
    PangoFontDescription *f = pango_font_description_new();
    pango_font_description_set_family_static(f, FONT_FAMILY);
    pango_font_description_set_weight(f, strcmp(weight, "bold") == 0 ? PANGO_WEIGHT_BOLD
                                                                     : PANGO_WEIGHT_NORMAL);
    pango_font_description_set_size(f, (int)(size * PANGO_SCALE));
    return f;
}

/* Sets up the pango context: this thread's default font map (pango keeps one per thread since
 * 1.32.6, so threads never share one, and a worker thread that prints again finds its fonts
 * already loaded instead of paying for fontconfig and font loading on every render), 72 dpi so
 * that a pango point is a PDF point, the document language, and unhinted metrics so that the
 * widths measured in pass one are the widths a PDF viewer draws at any zoom. */
static void
job_open(struct job *j)
{
    j->fontmap = g_object_ref(pango_cairo_font_map_get_default());
    j->ctx = pango_font_map_create_context(j->fontmap);
    pango_cairo_context_set_resolution(j->ctx, 72.0);
    pango_context_set_language(j->ctx, pango_language_from_string(j->doc->lang));
    cairo_font_options_t *fo = cairo_font_options_create();
    cairo_font_options_set_hint_metrics(fo, CAIRO_HINT_METRICS_OFF);
    cairo_font_options_set_hint_style(fo, CAIRO_HINT_STYLE_NONE);
    pango_cairo_context_set_font_options(j->ctx, fo);
    cairo_font_options_destroy(fo);
    pango_context_set_round_glyph_positions(j->ctx, FALSE);
    j->body = font("normal", BODY_PT);
    j->running = font("normal", RUNNING_PT);
    j->head[0] = NULL;
    for (int lv = 1; lv <= 3; lv++)
        j->head[lv] = font("bold", heading_style[lv].size);
    j->layouts = g_ptr_array_new_with_free_func(g_object_unref);
}

static void
job_close(struct job *j)
{
    if (j->layouts)
        g_ptr_array_free(j->layouts, TRUE);
    pango_font_description_free(j->body);
    pango_font_description_free(j->running);
    for (int lv = 1; lv <= 3; lv++)
        pango_font_description_free(j->head[lv]);
    if (j->ctx)
        g_object_unref(j->ctx);
    if (j->fontmap)
        g_object_unref(j->fontmap);
}

enum cm_code
cm_render_pdf(struct cm_doc *doc, struct cm_buf *out, struct cm_err *err)
{
    if (doc == NULL || out == NULL)
        return cm_err_set(err, CM_EINVAL, "document", "no document");
    if (doc->err.code != CM_OK)
        return cm_err_set(err, doc->err.code, doc->err.field, "%s", doc->err.msg);

    struct job j = {.doc = doc, .err = err};
    j.page_w = doc->paper == CM_PAPER_LETTER ? 612.0 : 595.276;
    j.page_h = doc->paper == CM_PAPER_LETTER ? 792.0 : 841.89;
    j.left = doc->margin;
    j.width = j.page_w - 2 * doc->margin;
    job_open(&j);
    double running_h = running_height(&j);
    j.top = doc->margin + running_h + RUNNING_GAP;
    j.bottom = j.page_h - doc->margin - running_h - RUNNING_GAP;

    enum cm_code rc = lay_out(&j);
    int pages = j.page + 1;

    struct sink s = {out, CM_OK};
    cairo_surface_t *surface = NULL;
    cairo_t *cr = NULL;
    if (rc == CM_OK) {
        surface = cairo_pdf_surface_create_for_stream(sink_write, &s, j.page_w, j.page_h);
        cairo_pdf_surface_restrict_to_version(surface, CAIRO_PDF_VERSION_1_5);
        cairo_pdf_surface_set_metadata(surface, CAIRO_PDF_METADATA_CREATOR, "caremap");
        if (doc->title)
            cairo_pdf_surface_set_metadata(surface, CAIRO_PDF_METADATA_TITLE, doc->title);
        cr = cairo_create(surface);
        /* The context was set up for an identity transform at 72 dpi, which is what a fresh PDF
         * surface has: updating it now changes nothing the layouts depend on. */
        pango_cairo_update_context(cr, j.ctx);
        rc = draw(&j, cr, running_h, pages);
        cairo_destroy(cr);
        cairo_surface_finish(surface);
        cairo_status_t st = cairo_surface_status(surface);
        cairo_surface_destroy(surface);
        if (rc == CM_OK && s.rc != CM_OK)
            rc = cm_err_set(err, s.rc, "pdf", "the PDF is larger than %zu bytes", out->max);
        else if (rc == CM_OK && st != CAIRO_STATUS_SUCCESS)
            rc = cm_err_set(err, CM_EINTERNAL, "pdf", "cairo: %s", cairo_status_to_string(st));
    }
    job_close(&j);
    if (rc == CM_OK)
        doc->pages = pages;
    return rc;
}

/* ---- process-wide font setup ----------------------------------------------------------------- */

enum cm_code
cm_render_init(struct cm_err *err)
{
    if (!FcInit())
        return cm_err_set(err, CM_EINTERNAL, "font", "fontconfig failed to start");
    FcPattern *pat = FcNameParse((const FcChar8 *)FONT_FAMILY);
    if (pat == NULL)
        return cm_err_set(err, CM_ENOMEM, "font", "out of memory");
    FcConfigSubstitute(NULL, pat, FcMatchPattern);
    FcDefaultSubstitute(pat);
    FcResult res = FcResultNoMatch;
    FcPattern *match = FcFontMatch(NULL, pat, &res);
    FcChar8 *family = NULL;
    bool ok = match != NULL && FcPatternGetString(match, FC_FAMILY, 0, &family) == FcResultMatch &&
              strcmp((const char *)family, FONT_FAMILY) == 0;
    if (match)
        FcPatternDestroy(match);
    FcPatternDestroy(pat);
    if (!ok)
        return cm_err_set(err, CM_EINTERNAL, "font",
                          "font '" FONT_FAMILY "' is not installed (Debian: fonts-noto-core)");
    return CM_OK;
}

void
cm_render_shutdown(void)
{
    /* Renders use their thread's default font map: this releases the calling thread's (worker
     * threads release theirs when they exit, which they have by the time this is called). */
    pango_cairo_font_map_set_default(NULL);
    /* cairo caches FreeType faces and scaled fonts for the whole process. */
    cairo_debug_reset_static_data();
    FcFini();
}
