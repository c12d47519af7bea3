/*
 * Replies: what a handler puts in struct cm_http_response. Everything lands in the request's arena
 * (res->body.arena), so a handler never frees; when the arena runs out the server answers 413
 * instead of sending a half-built reply.
 */
#include "http/http_int.h"

#include <string.h>

static bool
header_text_ok(const char *s, bool is_name)
{
    for (const unsigned char *p = (const unsigned char *)s; *p != '\0'; p++) {
        /* CR or LF would let a value start a header of its own (response splitting). */
        if (*p == '\r' || *p == '\n' || (*p < 0x20 && *p != '\t') || *p == 0x7f)
            return false;
        if (is_name && (*p == ':' || *p == ' ' || *p == '\t'))
            return false;
    }
    return !is_name || s[0] != '\0';
}

void
cm_http_header_add(struct cm_http_response *res, const char *name, const char *value)
{
    struct cm_arena *a = res->body.arena;
    if (!header_text_ok(name, true) || !header_text_ok(value, false)) {
        /* A handler bug (or user text that should never reach a header): refuse it, and leave a
         * nameless entry so the server answers 500 whatever the handler does next, rather than
         * send the reply without a header the handler meant to send. */
        cm_log_error("msg=\"response header refused: control characters\"");
        struct cm_http_header *bad = cm_arena_alloc(a, sizeof(*bad));
        if (bad != NULL) {
            bad->next = res->headers;
            res->headers = bad;
        }
        return;
    }
    struct cm_http_header *h = cm_arena_alloc(a, sizeof(*h));
    char *n = cm_arena_strdup(a, name);
    char *v = cm_arena_strdup(a, value);
    if (h == NULL || n == NULL || v == NULL)
        return; /* the arena is exhausted: the server answers 413 */
    h->name = n;
    h->value = v;
    h->next = res->headers;
    res->headers = h;
}

void
cm_http_reply_json(struct cm_http_response *res, int status, const json_t *j)
{
    res->content_type = NULL;
    res->body.len = 0;
    if (res->body.data != NULL)
        res->body.data[0] = '\0';
    size_t size = j ? json_dumpb(j, NULL, 0, JSON_COMPACT) : 0;
    if (size == 0) {
        /* Only a NULL or non-container value (a handler bug) gets here. */
        cm_log_error("msg=\"reply_json given no JSON object or array\"");
        cm_http_reply_error(res, 500, "internal", "", "internal error");
        return;
    }
    if (size > res->body.max) {
        cm_http_reply_error(res, 413, "too_big", "", "the reply is larger than allowed");
        return;
    }
    char *p = cm_arena_alloc(res->body.arena, size + 1);
    if (p == NULL)
        return; /* exhausted: 413 from the server */
    size_t got = json_dumpb(j, p, size, JSON_COMPACT);
    if (got != size) {
        cm_http_reply_error(res, 500, "internal", "", "internal error");
        return;
    }
    p[size] = '\0';
    res->body.data = p;
    res->body.len = size;
    res->body.cap = size + 1;
    res->status = status;
}

enum cm_code
cm_http_json_quote(struct cm_buf *b, const char *s)
{
    static const char hex[] = "0123456789abcdef";
    enum cm_code rc = cm_buf_append(b, "\"", 1);
    const unsigned char *p = (const unsigned char *)(s ? s : "");
    while (rc == CM_OK && *p != '\0') {
        unsigned char c = *p;
        if (c == '"' || c == '\\') {
            char esc[2] = {'\\', (char)c};
            rc = cm_buf_append(b, esc, 2);
            p++;
        } else if (c < 0x20 || c == 0x7f) {
            char esc[6] = {'\\', 'u', '0', '0', hex[c >> 4], hex[c & 15]};
            rc = cm_buf_append(b, esc, 6);
            p++;
        } else if (c < 0x80) {
            rc = cm_buf_append(b, p, 1);
            p++;
        } else {
            /* Find the longest valid UTF-8 sequence here (strlen bounds the look-ahead). */
            size_t len = (c & 0xE0) == 0xC0   ? 2
                         : (c & 0xF0) == 0xE0 ? 3
                         : (c & 0xF8) == 0xF0 ? 4
                                              : 0;
            size_t avail = strnlen((const char *)p, 4);
            if (len != 0 && avail >= len && cm_utf8_valid((const char *)p, len)) {
                rc = cm_buf_append(b, p, len);
                p += len;
            } else {
                rc = cm_buf_puts(b, "\\ufffd");
                p++;
            }
        }
    }
    if (rc == CM_OK)
        rc = cm_buf_append(b, "\"", 1);
    return rc;
}

enum cm_code
cm_http_error_body(struct cm_buf *b, const char *code, const char *field, const char *message)
{
    b->len = 0;
    enum cm_code rc = cm_buf_puts(b, "{\"error\":{\"code\":");
    if (rc == CM_OK)
        rc = cm_http_json_quote(b, code);
    if (rc == CM_OK)
        rc = cm_buf_puts(b, ",\"message\":");
    if (rc == CM_OK)
        rc = cm_http_json_quote(b, message);
    if (rc == CM_OK)
        rc = cm_buf_puts(b, ",\"field\":");
    if (rc == CM_OK)
        rc = cm_http_json_quote(b, field);
    if (rc == CM_OK)
        rc = cm_buf_puts(b, "}}");
    return rc;
}

void
cm_http_reply_error(struct cm_http_response *res, int status, const char *code, const char *field,
                    const char *message)
{
    res->content_type = NULL;
    if (cm_http_error_body(&res->body, code, field, message) != CM_OK) {
        /* The arena or the body cap ran out: the server sends its own 413. */
        res->body.len = 0;
        return;
    }
    res->status = status;
}

void
cm_http_reply_empty(struct cm_http_response *res, int status)
{
    res->content_type = NULL;
    res->body.len = 0;
    if (res->body.data != NULL)
        res->body.data[0] = '\0';
    res->status = status;
}
