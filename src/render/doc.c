/*
 * render/doc: the document model. Blocks are appended to a list in the caller's arena; every text
 * is checked (valid UTF-8) and turned into pango markup here, escaped, so that nothing a family or
 * clinician typed can ever be read by pango as markup.
 */
#include "render/render_int.h"

#include <string.h>

/* Keeps the first failure on the document: later calls become no-ops, cm_render_pdf reports it. */
static bool
failed(struct cm_doc *doc)
{
    return doc == NULL || doc->err.code != CM_OK;
}

/* Copies plain text into the arena after checking it is UTF-8; NULL (and the error kept) if not. */
static const char *
plain(struct cm_doc *doc, const char *text, const char *field)
{
    if (failed(doc))
        return NULL;
    if (text == NULL)
        text = "";
    size_t n = strlen(text);
    if (!cm_utf8_valid(text, n)) {
        cm_err_set(&doc->err, CM_EINVAL, field, "text is not valid UTF-8");
        return NULL;
    }
    char *s = cm_arena_strndup(doc->arena, text, n);
    if (s == NULL)
        cm_err_set(&doc->err, CM_ETOOBIG, field, "document over its memory cap");
    return s;
}

/* Appends text to b as markup character data. The five XML specials become entities, and control
 * characters other than tab and newline become spaces: GMarkup (which pango's markup parser is
 * built on) refuses them even as character references, and one stray byte must not lose a page. */
static enum cm_code
escape_into(struct cm_buf *b, const char *text)
{
    enum cm_code rc = CM_OK;
    const char *run = text;
    for (const char *p = text; *p != '\0' && rc == CM_OK; p++) {
        const char *rep = NULL;
        switch (*p) {
        case '&':
            rep = "&amp;";
            break;
        case '<':
            rep = "&lt;";
            break;
        case '>':
            rep = "&gt;";
            break;
        case '"':
            rep = "&quot;";
            break;
        case '\'':
            rep = "&apos;";
            break;
        default:
            if ((unsigned char)*p < 0x20 && *p != '\t' && *p != '\n')
                rep = " ";
            else if (*p == 0x7f)
                rep = " ";
            break;
        }
        if (rep == NULL)
            continue;
        rc = cm_buf_append(b, run, (size_t)(p - run));
        if (rc == CM_OK)
            rc = cm_buf_puts(b, rep);
        run = p + 1;
    }
    if (rc == CM_OK)
        rc = cm_buf_puts(b, run);
    return rc;
}

/* Builds the markup of n runs in the arena; NULL (and the error kept) on failure. */
static const char *
markup_of(struct cm_doc *doc, const struct cm_render_run *runs, size_t n, const char *field)
{
    if (failed(doc))
        return NULL;
    struct cm_buf b;
    /* The arena cap is the real bound; this only keeps one block from taking all of it at once. */
    cm_buf_init(&b, doc->arena, 4u << 20);
    enum cm_code rc = cm_buf_puts(&b, "");
    for (size_t i = 0; i < n && rc == CM_OK; i++) {
        const char *text = runs[i].text ? runs[i].text : "";
        if (!cm_utf8_valid(text, strlen(text))) {
            cm_err_set(&doc->err, CM_EINVAL, field, "text is not valid UTF-8");
            return NULL;
        }
        if (runs[i].bold)
            rc = cm_buf_puts(&b, "<b>");
        if (rc == CM_OK)
            rc = escape_into(&b, text);
        if (rc == CM_OK && runs[i].bold)
            rc = cm_buf_puts(&b, "</b>");
    }
    if (rc != CM_OK) {
        cm_err_set(&doc->err, CM_ETOOBIG, field, "document over its memory cap");
        return NULL;
    }
    return b.data;
}

/* Allocates a block and links it at the end; NULL (and the error kept) on failure. */
static struct cm_render_block *
append(struct cm_doc *doc, enum block_kind kind)
{
    if (failed(doc))
        return NULL;
    if (doc->nblocks >= CM_RENDER_BLOCKS_MAX) {
        cm_err_set(&doc->err, CM_ETOOBIG, "blocks", "more than %d blocks in one document",
                   CM_RENDER_BLOCKS_MAX);
        return NULL;
    }
    struct cm_render_block *bl = cm_arena_alloc(doc->arena, sizeof(*bl));
    if (bl == NULL) {
        cm_err_set(&doc->err, CM_ETOOBIG, "blocks", "document over its memory cap");
        return NULL;
    }
    bl->kind = kind;
    if (doc->last)
        doc->last->next = bl;
    else
        doc->first = bl;
    doc->last = bl;
    doc->nblocks++;
    return bl;
}

struct cm_doc *
cm_render_doc_new(const struct cm_doc_page *page, struct cm_arena *a)
{
    if (page == NULL || a == NULL)
        return NULL;
    if (page->paper != CM_PAPER_A4 && page->paper != CM_PAPER_LETTER)
        return NULL;
    /* Only the languages caremap has message catalogs for: pango takes any tag, but a typo would
     * silently lay Spanish out with English rules. */
    const char *lang = page->lang ? page->lang : "en";
    if (strcmp(lang, "en") != 0 && strcmp(lang, "es") != 0)
        return NULL;
    double margin = page->margin_pt > 0 ? page->margin_pt : 56.7;
    /* Letter is the narrower sheet (612 pt): keep at least half of it for text. */
    if (!(margin <= 153.0))
        return NULL;
    struct cm_doc *doc = cm_arena_alloc(a, sizeof(*doc));
    if (doc == NULL)
        return NULL;
    doc->arena = a;
    doc->paper = page->paper;
    doc->margin = margin;
    memcpy(doc->lang, lang, strlen(lang) + 1);
    doc->foot_format = "{page} / {pages}";
    if (page->title != NULL) {
        doc->title = plain(doc, page->title, "title");
        if (doc->title == NULL)
            return NULL;
    }
    return doc;
}

void
cm_render_header(struct cm_doc *doc, const char *left, const char *right)
{
    const char *l = plain(doc, left, "header");
    const char *r = plain(doc, right, "header");
    if (l == NULL || r == NULL)
        return;
    doc->head_left = l;
    doc->head_right = r;
}

void
cm_render_footer(struct cm_doc *doc, const char *left, const char *page_format)
{
    const char *l = plain(doc, left, "footer");
    const char *f = plain(doc, page_format ? page_format : "{page} / {pages}", "footer");
    if (l == NULL || f == NULL)
        return;
    doc->foot_left = l;
    doc->foot_format = f;
}

void
cm_render_heading(struct cm_doc *doc, int level, const char *text)
{
    if (failed(doc))
        return;
    if (level < 1 || level > 3) {
        cm_err_set(&doc->err, CM_EINVAL, "level", "heading level must be 1 to 3, got %d", level);
        return;
    }
    struct cm_render_run run = {text, false};
    const char *m = markup_of(doc, &run, 1, "heading");
    struct cm_render_block *bl = m ? append(doc, BLOCK_HEADING) : NULL;
    if (bl == NULL)
        return;
    bl->level = level;
    bl->markup = m;
}

void
cm_render_paragraph(struct cm_doc *doc, const char *text)
{
    struct cm_render_run run = {text, false};
    cm_render_paragraph_runs(doc, &run, 1);
}

void
cm_render_paragraph_runs(struct cm_doc *doc, const struct cm_render_run *runs, size_t n)
{
    if (failed(doc))
        return;
    if (runs == NULL && n > 0) {
        cm_err_set(&doc->err, CM_EINVAL, "paragraph", "no runs");
        return;
    }
    const char *m = markup_of(doc, runs, n, "paragraph");
    struct cm_render_block *bl = m ? append(doc, BLOCK_PARAGRAPH) : NULL;
    if (bl != NULL)
        bl->markup = m;
}

/* Adds a list or table block of ncells markup cells (bold when bold[i % stride] is true). */
static void
add_cells(struct cm_doc *doc, enum block_kind kind, const char *const *texts, size_t n,
          size_t stride, const char *field)
{
    if (failed(doc))
        return;
    if (n > CM_RENDER_ITEMS_MAX) {
        cm_err_set(&doc->err, CM_ETOOBIG, field, "more than %d rows in one call",
                   CM_RENDER_ITEMS_MAX);
        return;
    }
    if (texts == NULL && n > 0) {
        cm_err_set(&doc->err, CM_EINVAL, field, "no items");
        return;
    }
    const char **cells = cm_arena_alloc(doc->arena, (n * stride + 1) * sizeof(*cells));
    if (cells == NULL) {
        cm_err_set(&doc->err, CM_ETOOBIG, field, "document over its memory cap");
        return;
    }
    for (size_t i = 0; i < n * stride; i++) {
        /* Table labels are bold; list items and table values are not. */
        struct cm_render_run run = {texts[i], stride == 2 && i % 2 == 0};
        cells[i] = markup_of(doc, &run, 1, field);
        if (cells[i] == NULL)
            return;
    }
    struct cm_render_block *bl = append(doc, kind);
    if (bl == NULL)
        return;
    bl->cells = cells;
    bl->n = n;
}

void
cm_render_list(struct cm_doc *doc, const char *const *items, size_t n)
{
    add_cells(doc, BLOCK_LIST, items, n, 1, "list");
}

void
cm_render_table(struct cm_doc *doc, const struct cm_render_row *rows, size_t n)
{
    if (failed(doc))
        return;
    if (n > CM_RENDER_ITEMS_MAX) {
        cm_err_set(&doc->err, CM_ETOOBIG, "table", "more than %d rows in one call",
                   CM_RENDER_ITEMS_MAX);
        return;
    }
    if (rows == NULL && n > 0) {
        cm_err_set(&doc->err, CM_EINVAL, "table", "no rows");
        return;
    }
    /* Flatten to label, value, label, value... so lists and tables share one path. */
    const char **flat = cm_arena_alloc(doc->arena, (2 * n + 1) * sizeof(*flat));
    if (flat == NULL) {
        cm_err_set(&doc->err, CM_ETOOBIG, "table", "document over its memory cap");
        return;
    }
    for (size_t i = 0; i < n; i++) {
        flat[2 * i] = rows[i].label;
        flat[2 * i + 1] = rows[i].value;
    }
    add_cells(doc, BLOCK_TABLE, flat, n, 2, "table");
}

void
cm_render_page_break(struct cm_doc *doc)
{
    append(doc, BLOCK_BREAK);
}

int
cm_render_page_count(const struct cm_doc *doc)
{
    return doc ? doc->pages : 0;
}
