/*
 * render: printable documents. This part is the domain-free PDF renderer the shared plan of care
 * is printed with: a document is a list of blocks (headings, paragraphs, bullet lists, label/value
 * tables, page breaks) under a running header and footer, laid out with pango in Noto Sans and
 * drawn with cairo into a PDF whose fonts are embedded and whose text is selectable.
 *
 * Ownership: a struct cm_doc and everything added to it live in the arena given to
 * cm_render_doc_new(); every string is copied in, so callers may reuse theirs at once. Text is
 * always plain UTF-8: the renderer escapes it before pango sees it, so "<b>" in a child's note
 * prints as "<b>". Bold is asked for with struct cm_render_run, never with markup.
 *
 * Errors: the block functions return nothing. The first failure (arena cap, invalid UTF-8, a level
 * out of range) is kept on the document, later additions are ignored, and cm_render_pdf() returns
 * it. That keeps the plan layout a flat list of calls with one check at the end, as cairo does.
 *
 * Threads: documents are not shared, and each cm_render_pdf() call uses its own pango font map, so
 * different threads may render different documents at once.
 */
#ifndef CM_RENDER_H
#define CM_RENDER_H

#include "core/core.h"

enum cm_render_paper { CM_PAPER_A4, CM_PAPER_LETTER };

/* The page setup, fixed when the document is created. */
struct cm_doc_page {
    enum cm_render_paper paper;
    double margin_pt;  /* every side, in points (1/72 inch); 0 means 56.7 (2 cm) */
    const char *lang;  /* "en" or "es": the text language given to pango (shaping, line breaks) */
    const char *title; /* the PDF's title metadata, or NULL */
};

/* A stretch of paragraph text, bold or not. */
struct cm_render_run {
    const char *text;
    bool bold;
};

/* One row of a label/value table. */
struct cm_render_row {
    const char *label;
    const char *value;
};

struct cm_doc;

/* Most blocks one document may hold, and the largest count one list or table call may pass. */
#define CM_RENDER_BLOCKS_MAX 4096
#define CM_RENDER_ITEMS_MAX  1024

/* Checks that the font caremap prints with (Noto Sans, Debian's fonts-noto-core) is installed, so
 * a server missing it fails at start-up and not at the first print. Call once from main before
 * any rendering. CM_EINTERNAL, naming the package, if the font is missing. */
CM_MUST_CHECK enum cm_code cm_render_init(struct cm_err *err);

/* Releases the font configuration fontconfig keeps for the whole process, so the process exits with
 * no leaks under LeakSanitizer. Call once from main after the last rendering has finished, and
 * never while another thread renders; cm_render_init() may be called again afterwards. */
void cm_render_shutdown(void);

/* Creates an empty document with the page setup *page (copied). NULL if the arena is exhausted or
 * the setup is invalid (unknown paper or language, margins leaving no room): the setup is the
 * program's, not the user's, so this is a programmer error told apart only by NULL. */
struct cm_doc *cm_render_doc_new(const struct cm_doc_page *page, struct cm_arena *a);

/* Sets the running header printed at the top of every page: left and right text (either may be
 * NULL or ""). Too long a text is cut with an ellipsis rather than running into the other. */
void cm_render_header(struct cm_doc *doc, const char *left, const char *right);

/* Sets the running footer: left text (may be NULL) and the page number text, a template where
 * "{page}" becomes the page number and "{pages}" the number of pages, e.g. "page {page} of {pages}"
 * or "página {page} de {pages}". Without a call the footer reads "{page} / {pages}". */
void cm_render_footer(struct cm_doc *doc, const char *left, const char *page_format);

/* Adds a heading of level 1 (largest) to 3. A heading is never left alone at the foot of a page:
 * it moves to the next page with the first lines of what follows. */
void cm_render_heading(struct cm_doc *doc, int level, const char *text);

/* Adds a paragraph of plain text, wrapped to the page width; a word longer than a line is broken
 * between characters. A newline in text starts a new line. */
void cm_render_paragraph(struct cm_doc *doc, const char *text);

/* Adds a paragraph made of n runs, each plain text, some of them bold. */
void cm_render_paragraph_runs(struct cm_doc *doc, const struct cm_render_run *runs, size_t n);

/* Adds a bullet list of n items, each plain text, wrapped under its bullet. */
void cm_render_list(struct cm_doc *doc, const char *const *items, size_t n);

/* Adds a two-column table of n rows, the label in bold on the left, the value on the right, both
 * wrapped; a row taller than the rest of a page continues on the next. */
void cm_render_table(struct cm_doc *doc, const struct cm_render_row *rows, size_t n);

/* Starts a new page here (a break at the top of a page, or two in a row, add no blank page). */
void cm_render_page_break(struct cm_doc *doc);

/* Lays the document out, then draws it as a PDF appended to out, which bounds its size.
 * Returns the first error kept on the document (CM_EINVAL with the field "text", "level", ...;
 * CM_ETOOBIG when the arena cap was passed), CM_ETOOBIG when the PDF would pass out->max (out then
 * holds a truncated prefix the caller must discard), or CM_EINTERNAL if cairo or pango fail. */
CM_MUST_CHECK enum cm_code cm_render_pdf(struct cm_doc *doc, struct cm_buf *out,
                                         struct cm_err *err);

/* The number of pages the last successful cm_render_pdf() of doc produced (0 before one). */
int cm_render_page_count(const struct cm_doc *doc);

#endif
