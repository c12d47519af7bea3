/*
 * render internals shared by doc.c (building the document model) and pdf.c (laying it out and
 * drawing it). Everything here lives in the document's arena.
 */
#ifndef CM_RENDER_INT_H
#define CM_RENDER_INT_H

#include "render/render.h"

enum block_kind { BLOCK_HEADING, BLOCK_PARAGRAPH, BLOCK_LIST, BLOCK_TABLE, BLOCK_BREAK };

/* One block of the document. Text is stored as pango markup that doc.c built from escaped plain
 * text, so pdf.c never sees the caller's text unescaped. */
struct cm_render_block {
    enum block_kind kind;
    int level;          /* headings: 1..3 */
    const char *markup; /* headings and paragraphs */
    const char **cells; /* lists: n items; tables: 2n cells, label then value */
    size_t n;           /* list items or table rows */
    struct cm_render_block *next;
};

struct cm_doc {
    struct cm_arena *arena;
    enum cm_render_paper paper;
    double margin;
    char lang[8];
    const char *title;     /* plain text, for the PDF metadata (not markup) */
    const char *head_left; /* plain text; escaped when drawn */
    const char *head_right;
    const char *foot_left;
    const char *foot_format; /* "{page}" / "{pages}" template */
    struct cm_render_block *first, *last;
    size_t nblocks;
    struct cm_err err; /* the first failure while building; CM_OK if none */
    int pages;         /* set by the last successful cm_render_pdf() */
};

#endif
