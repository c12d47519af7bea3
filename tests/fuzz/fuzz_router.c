/*
 * Fuzzes cm_http_route_match. Input: "METHOD PATH" (everything after the first space is the path,
 * NUL bytes included, so C-string truncation is exercised too). The table has the shape of the
 * real API's. Besides "no crash, no UB", it checks what a match promises: the method fits, the ids
 * are positive, and writing the pattern back with the ids gives exactly the path (so no two paths
 * name one record and nothing is matched loosely).
 */
#include "http/http.h"

#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size);

static void
nop(struct cm_http_request *req, struct cm_http_response *res)
{
    CM_UNUSED(req);
    CM_UNUSED(res);
}

static const struct cm_http_route routes[] = {
    {"GET", "/", nop, 0},
    {"GET", "/healthz", nop, 0},
    {"POST", "/api/session", nop, CM_HTTP_NO_STORE},
    {"DELETE", "/api/session", nop, CM_HTTP_NO_STORE},
    {"GET", "/api/me", nop, CM_HTTP_NO_STORE},
    {"GET", "/api/children", nop, CM_HTTP_NO_STORE},
    {"POST", "/api/children", nop, CM_HTTP_NO_STORE},
    {"GET", "/api/children/{id}", nop, CM_HTTP_NO_STORE},
    {"PATCH", "/api/children/{id}", nop, CM_HTTP_NO_STORE},
    {"GET", "/api/children/{id}/family", nop, CM_HTTP_NO_STORE},
    {"POST", "/api/children/{id}/family", nop, CM_HTTP_NO_STORE},
    {"GET", "/api/children/{id}/family/{id}", nop, CM_HTTP_NO_STORE},
    {"PATCH", "/api/children/{id}/family/{id}", nop, CM_HTTP_NO_STORE},
    {"GET", "/api/children/{id}/team", nop, CM_HTTP_NO_STORE},
    {"POST", "/api/children/{id}/team", nop, CM_HTTP_NO_STORE},
    {"GET", "/api/children/{id}/team/{id}", nop, CM_HTTP_NO_STORE},
    {"PATCH", "/api/children/{id}/team/{id}", nop, CM_HTTP_NO_STORE},
    {"POST", "/api/children/{id}/team/{id}/end", nop, CM_HTTP_NO_STORE},
    {"PUT", "/api/children/{id}/lead", nop, CM_HTTP_NO_STORE},
    {"GET", "/api/children/{id}/access", nop, CM_HTTP_NO_STORE},
    {"POST", "/api/children/{id}/break-glass", nop, CM_HTTP_NO_STORE},
    {"GET", "/api/break-glass", nop, CM_HTTP_NO_STORE},
    {"GET", "/api/organizations", nop, CM_HTTP_NO_STORE},
    {"POST", "/api/organizations", nop, CM_HTTP_NO_STORE},
    {"GET", "/api/organizations/{id}", nop, CM_HTTP_NO_STORE},
    {"PATCH", "/api/organizations/{id}", nop, CM_HTTP_NO_STORE},
    {"GET", "/api/users", nop, CM_HTTP_NO_STORE},
    {"POST", "/api/users", nop, CM_HTTP_NO_STORE},
    {"GET", "/api/users/{id}", nop, CM_HTTP_NO_STORE},
    {"PATCH", "/api/users/{id}", nop, CM_HTTP_NO_STORE},
    {"POST", "/api/users/{id}/password", nop, CM_HTTP_NO_STORE},
    {"GET", "/x/{id}/{id}/{id}/{id}", nop, 0},
};

/* The pattern with each {id} replaced by its value, into out. */
static void
rebuild(const char *pattern, const int64_t *params, size_t nparams, char *out, size_t size)
{
    size_t len = 0, k = 0;
    for (const char *p = pattern; *p != '\0' && len + 24 < size;) {
        if (strncmp(p, "{id}", 4) == 0) {
            if (k >= nparams)
                abort();
            len += (size_t)snprintf(out + len, size - len, "%lld", (long long)params[k++]);
            p += 4;
        } else {
            out[len++] = *p++;
        }
    }
    out[len] = '\0';
    if (k != nparams)
        abort();
}

int
LLVMFuzzerTestOneInput(const uint8_t *data, size_t size)
{
    char *in = malloc(size + 1);
    if (in == NULL)
        return 0;
    memcpy(in, data, size);
    in[size] = '\0';
    char *space = memchr(in, ' ', size);
    const char *method = space ? in : "GET";
    const char *path = space ? space + 1 : in;
    if (space)
        *space = '\0';

    int64_t params[CM_HTTP_MAX_PARAMS];
    size_t nparams = 99;
    unsigned allowed = 99;
    const struct cm_http_route *r =
        cm_http_route_match(routes, CM_ARRAY_LEN(routes), method, path, params, &nparams, &allowed);
    if (r != NULL) {
        if (nparams > CM_HTTP_MAX_PARAMS || allowed != 0)
            abort();
        bool head = strcmp(method, "HEAD") == 0 && strcmp(r->method, "GET") == 0;
        if (strcmp(r->method, method) != 0 && !head)
            abort();
        for (size_t i = 0; i < nparams; i++) {
            if (params[i] <= 0)
                abort();
        }
        char back[512];
        rebuild(r->pattern, params, nparams, back, sizeof(back));
        if (strcmp(back, path) != 0)
            abort();
    } else {
        if (nparams != 0 || (allowed & ~31u) != 0)
            abort();
        char allow[64];
        cm_http_allowed_format(allowed, allow, sizeof(allow));
        if (allowed != 0 && allow[0] == '\0')
            abort();
        /* A tight buffer must still come back NUL-terminated and whole-named. */
        char tight[8];
        cm_http_allowed_format(allowed, tight, sizeof(tight));
        if (strlen(tight) >= sizeof(tight))
            abort();
    }
    free(in);
    return 0;
}
