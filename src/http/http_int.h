/*
 * http internals shared by the files of src/http/: the response header list and the JSON string
 * writer that error bodies use.
 */
#ifndef CM_HTTP_INT_H
#define CM_HTTP_INT_H

#include "http/http.h"

/* One header a handler added with cm_http_header_add; name and value live in the arena. The list
 * is kept newest first and sent in that order reversed, so headers go out as they were added. An
 * entry with a NULL name marks a header that was refused (CR/LF, control characters): the server
 * then answers 500. */
struct cm_http_header {
    struct cm_http_header *next;
    const char *name;
    const char *value;
};

/* The body of every error, from the router, the limits or a handler:
 * {"error":{"code":...,"message":...,"field":...}}. */
#define CM_HTTP_JSON_TYPE "application/json; charset=utf-8"

/* Appends s as a JSON string literal (quotes included) to b. Bytes that are not UTF-8 become
 * U+FFFD, so a message cut in the middle of a character still gives valid JSON. */
CM_MUST_CHECK enum cm_code cm_http_json_quote(struct cm_buf *b, const char *s);

/* Writes the error body for code, field and message into b (which is emptied first). */
CM_MUST_CHECK enum cm_code cm_http_error_body(struct cm_buf *b, const char *code, const char *field,
                                              const char *message);

/* The method bit (GET=1 ... DELETE=16) of method, or 0 when it is none of the five. HEAD counts as
 * GET: it is answered by the GET route with the body left out. */
unsigned cm_http_method_bit(const char *method);

#endif
