/*
 * The router: a linear walk over the route table, comparing the path to each pattern segment by
 * segment. Pure and allocation-free, so the fuzzer can drive it with any bytes. Tables are a few
 * dozen routes; a linear scan of short strings costs less than the hashing a trie would need.
 */
#include "http/http_int.h"

#include <string.h>

static const char *const method_names[] = {"GET", "POST", "PUT", "PATCH", "DELETE"};

unsigned
cm_http_method_bit(const char *method)
{
    if (method == NULL)
        return 0;
    /* HEAD is GET without the body (MHD leaves the body out), so monitors may probe with it. */
    if (strcmp(method, "HEAD") == 0)
        return 1u;
    for (size_t i = 0; i < CM_ARRAY_LEN(method_names); i++) {
        if (strcmp(method, method_names[i]) == 0)
            return 1u << i;
    }
    return 0;
}

/* Parses one "{id}" segment [s, s+n): 1-18 digits, no leading zero (so /x/7 and /x/007 are not
 * two names for one record), value > 0. */
static bool
parse_id(const char *s, size_t n, int64_t *out)
{
    if (n == 0 || n > 18 || s[0] == '0')
        return false;
    int64_t v = 0;
    for (size_t i = 0; i < n; i++) {
        if (s[i] < '0' || s[i] > '9')
            return false;
        v = v * 10 + (s[i] - '0'); /* 18 digits cannot overflow int64_t */
    }
    *out = v;
    return true;
}

/* Does path match pattern? Both start with '/'; segments are compared one by one. Ids land in
 * params (at most CM_HTTP_MAX_PARAMS; a pattern with more never matches). */
static bool
match(const char *pattern, const char *path, int64_t params[CM_HTTP_MAX_PARAMS], size_t *nparams)
{
    *nparams = 0;
    if (pattern[0] != '/' || path[0] != '/')
        return false;
    /* "/" is the only path that may end in a slash: "/api/children/" is not "/api/children". */
    if (pattern[1] == '\0' || path[1] == '\0')
        return pattern[1] == '\0' && path[1] == '\0';
    const char *p = pattern + 1;
    const char *s = path + 1;
    for (;;) {
        size_t plen = strcspn(p, "/");
        size_t slen = strcspn(s, "/");
        if (plen == 4 && memcmp(p, "{id}", 4) == 0) {
            if (*nparams == CM_HTTP_MAX_PARAMS || !parse_id(s, slen, &params[*nparams]))
                return false;
            (*nparams)++;
        } else if (plen != slen || plen == 0 || memcmp(p, s, plen) != 0) {
            return false;
        }
        p += plen;
        s += slen;
        if (*p == '\0' || *s == '\0')
            return *p == '\0' && *s == '\0';
        /* Both are at a '/': step over it; an empty segment after it ("a//b", "a/") fails above
         * or here. */
        p++;
        s++;
        if (*p == '\0' || *s == '\0')
            return false;
    }
}

const struct cm_http_route *
cm_http_route_match(const struct cm_http_route *routes, size_t n, const char *method,
                    const char *path, int64_t params[CM_HTTP_MAX_PARAMS], size_t *nparams,
                    unsigned *allowed)
{
    unsigned want = cm_http_method_bit(method);
    *allowed = 0;
    *nparams = 0;
    if (path == NULL)
        return NULL;
    for (size_t i = 0; i < n; i++) {
        int64_t got[CM_HTTP_MAX_PARAMS];
        size_t ngot;
        if (!match(routes[i].pattern, path, got, &ngot))
            continue;
        unsigned bit = cm_http_method_bit(routes[i].method);
        if (want != 0 && bit == want) {
            memcpy(params, got, ngot * sizeof(got[0]));
            *nparams = ngot;
            *allowed = 0;
            return &routes[i];
        }
        *allowed |= bit;
    }
    return NULL;
}

void
cm_http_allowed_format(unsigned allowed, char *out, size_t size)
{
    if (size == 0)
        return;
    out[0] = '\0';
    size_t len = 0;
    for (size_t i = 0; i < CM_ARRAY_LEN(method_names); i++) {
        if ((allowed & (1u << i)) == 0)
            continue;
        const char *sep = len ? ", " : "";
        size_t need = strlen(sep) + strlen(method_names[i]);
        /* Whole names only: a cut "PAT" would be a lie in an Allow header. */
        if (len + need >= size)
            return;
        memcpy(out + len, sep, strlen(sep));
        memcpy(out + len + strlen(sep), method_names[i], strlen(method_names[i]));
        len += need;
        out[len] = '\0';
    }
}
