/*
 * The shared plan of care on paper: GET /api/children/{id}/plan.pdf (the emergency sheet, then
 * the whole plan) and GET /api/children/{id}/emergency.pdf (the sheet alone), from a frozen
 * version (default: the latest) or the working plan marked "Draft", in English or Spanish.
 * Families print too: a print is a read, audited as plan.print.
 */
#include "api/api_int.h"
#include "render/plan_pdf.h"

#include <stdio.h>
#include <string.h>

/* A plan is a few pages; this bounds a PDF gone wrong (the request's arena is the real cap). */
#define PDF_MAX_BYTES (16u * 1024 * 1024)

static const char *const pdf_query[] = {"version", "lang", NULL};

/* The record number as it may appear in a file name: letters, digits, '-', '_' and '.'; anything
 * else (quotes, slashes, spaces) becomes '_' so the header stays one plain token. */
static void
file_token(const char *s, char *out, size_t size)
{
    size_t n = 0;
    for (const char *p = s != NULL ? s : ""; *p != '\0' && n + 1 < size; p++) {
        char c = *p;
        bool ok = (c >= 'a' && c <= 'z') || (c >= 'A' && c <= 'Z') || (c >= '0' && c <= '9') ||
                  c == '-' || c == '_' || c == '.';
        out[n++] = ok ? c : '_';
    }
    if (n == 0 && size > 1)
        out[n++] = '_';
    out[n] = '\0';
}

static void
print(struct cm_http_request *req, struct cm_http_response *res, enum cm_plan_pdf_part part)
{
    struct cm_api_ctx x;
    if (!cm_api_start(req, res, 0, pdf_query, &x))
        return;
    int64_t child_id = req->params[0];
    struct cm_err err = {0};
    const char *lang = cm_http_query(req, "lang");
    if (lang == NULL)
        lang = cm_plan_lang_ok(x.user.language) ? x.user.language : "en";
    if (!cm_plan_lang_ok(lang)) {
        cm_api_fail_with(&x, CM_EINVAL, "lang", "must be en or es");
        return;
    }
    int64_t number = -1; /* -1: the latest version, or the working plan when there is none */
    const char *s = cm_http_query(req, "version");
    if (s != NULL && cm_api_int_parse(s, 0, INT32_MAX, &number, "version", &err) != CM_OK) {
        cm_api_fail(&x, &err);
        return;
    }
    enum cm_access how;
    if (!cm_api_child_or_reply(&x, child_id, "plan.print", false, &how))
        return;
    if (number < 0) {
        struct cm_plan_state st;
        if (cm_store_plan_state(x.conn, &x.viewer, child_id, x.now, &st, &err) != CM_OK) {
            cm_api_fail(&x, &err);
            return;
        }
        number = st.latest_version;
    }
    json_t *doc;
    struct cm_plan_version pv;
    if (!cm_api_plan_doc_or_reply(&x, child_id, number, "version", &doc, &pv))
        return;
    /* Everything is read: drawing takes a while and needs no snapshot. */
    cm_api_tx_abort(&x);

    char version_on[11] = "";
    if (number > 0)
        cm_date_of(pv.created_at, version_on);
    struct cm_plan_pdf_opts opts = {
        .lang = lang,
        .version = number,
        .version_on = number > 0 ? version_on : NULL,
        .printed_on = x.today,
        .part = part,
        /* The program's templates and phone numbers are US ones (911, 988): US Letter. */
        .paper = CM_PAPER_LETTER,
    };
    struct cm_buf pdf;
    cm_buf_init(&pdf, x.arena, PDF_MAX_BYTES);
    if (cm_render_plan_pdf(doc, &opts, &pdf, x.arena, &err) != CM_OK) {
        cm_api_fail(&x, &err);
        return;
    }
    if (pdf.data == NULL || cm_arena_exhausted(x.arena))
        return; /* the server answers 413 */

    char record[72];
    file_token(json_string_value(json_object_get(json_object_get(doc, "child"), "record_number")),
               record, sizeof(record));
    char disposition[160];
    snprintf(disposition, sizeof(disposition), "inline; filename=\"%s-%s-v%lld-%s.pdf\"",
             part == CM_PLAN_PDF_EMERGENCY ? "emergency" : "plan", record, (long long)number, lang);
    res->status = 200;
    res->body = pdf;
    res->content_type = "application/pdf";
    cm_http_header_add(res, "Content-Disposition", disposition);

    char detail[80];
    snprintf(detail, sizeof(detail), "version=%lld lang=%s part=%s", (long long)number, lang,
             part == CM_PLAN_PDF_EMERGENCY ? "emergency" : "full");
    cm_api_audit_read(&x, "plan.print", child_id, how, detail);
}

void
cm_api_plan_pdf(struct cm_http_request *req, struct cm_http_response *res)
{
    print(req, res, CM_PLAN_PDF_FULL);
}

void
cm_api_plan_emergency_pdf(struct cm_http_request *req, struct cm_http_response *res)
{
    print(req, res, CM_PLAN_PDF_EMERGENCY);
}
