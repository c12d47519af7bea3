/*
 * render/plan_pdf: the shared plan of care on paper (issue 5), laid out on the domain-free
 * renderer of render.h from a plan document (docs/plan.md) in one language.
 *
 * Page 1 is the emergency sheet and stands alone: who the child is, the two-line summary,
 * allergies, key medicines, equipment with sizes and settings, the sick-day and emergency plans,
 * and who to call (lead coordinator, backup, the family). Then: family goals, team concerns and
 * what we agreed to do; health problems; medicines; equipment and supplies; care team and
 * contacts; transitions with their steps. Every page shows the child's name, the version (or
 * "Draft"), the date and "page X of Y". Labels come from data/messages/<lang>/plan.json and
 * print.json (embedded, core/data.h); a text with no translation into lang is printed in its own
 * language, marked "Not translated yet".
 *
 * Thread-safe after cm_render_init() (render.h).
 */
#ifndef CM_RENDER_PLAN_PDF_H
#define CM_RENDER_PLAN_PDF_H

#include "core/core.h"
#include "render/render.h"

#include <jansson.h>

enum cm_plan_pdf_part {
    CM_PLAN_PDF_FULL,      /* the whole plan: the emergency sheet, then the rest */
    CM_PLAN_PDF_EMERGENCY, /* the emergency sheet alone */
};

struct cm_plan_pdf_opts {
    const char *lang;       /* "en" or "es" */
    int64_t version;        /* the frozen version's number; 0 for the working draft */
    const char *version_on; /* YYYY-MM-DD the version was frozen (NULL for a draft) */
    const char *printed_on; /* YYYY-MM-DD */
    enum cm_plan_pdf_part part;
    enum cm_render_paper paper;
};

/*
 * Renders doc into out as a PDF. CM_EINVAL (field "lang") for a language other than en or es;
 * CM_EINVAL (field "document") for a document that is not the shape docs/plan.md gives;
 * whatever cm_render_pdf returns otherwise.
 */
CM_MUST_CHECK enum cm_code cm_render_plan_pdf(const json_t *doc, const struct cm_plan_pdf_opts *o,
                                              struct cm_buf *out, struct cm_arena *a,
                                              struct cm_err *err);

#endif
