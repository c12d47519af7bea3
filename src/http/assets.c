/*
 * Static assets: the decision of what to send for a request on an asset path (status, body,
 * validators, caching), kept free of libmicrohttpd so it can be tested as a pure function; the
 * server sends what it decides. The assets themselves are whatever the caller embedded: http/
 * does not know they are a web UI.
 */
#include "http/http_int.h"

#include <string.h>
#include <strings.h>

static const char cache_immutable[] = "public, max-age=31536000, immutable";
/* "no-cache" means "revalidate every time": the browser keeps index.html but asks with
 * If-None-Match, so a new build is seen at once and an unchanged one costs a 304. */
static const char cache_revalidate[] = "no-cache";

static bool
is_space(char c)
{
    return c == ' ' || c == '\t';
}

/* The bounds of the next comma-separated element of a header list, trimmed; *p moves past it.
 * Returns false at the end of the list. */
static bool
next_element(const char **p, const char **start, size_t *len)
{
    const char *s = *p;
    while (*s == ',' || is_space(*s))
        s++;
    if (*s == '\0')
        return false;
    const char *e = s + strcspn(s, ",");
    *p = e;
    while (e > s && is_space(e[-1]))
        e--;
    *start = s;
    *len = (size_t)(e - s);
    return true;
}

bool
cm_http_etag_match(const char *if_none_match, const char *etag)
{
    if (if_none_match == NULL || etag == NULL)
        return false;
    /* If-None-Match uses the weak comparison (RFC 9110 13.1.2): W/"x" matches "x". */
    size_t elen = strlen(etag);
    const char *p = if_none_match;
    const char *tag;
    size_t len;
    while (next_element(&p, &tag, &len)) {
        if (len == 1 && tag[0] == '*')
            return true;
        if (len >= 2 && tag[0] == 'W' && tag[1] == '/') {
            tag += 2;
            len -= 2;
        }
        if (len == elen && memcmp(tag, etag, elen) == 0)
            return true;
    }
    return false;
}

/* True when the parameters of one Accept-Encoding element (after the coding) carry q=0. */
static bool
q_is_zero(const char *params, size_t len)
{
    for (size_t i = 0; i + 1 < len; i++) {
        if (params[i] != ';')
            continue;
        size_t j = i + 1;
        while (j < len && is_space(params[j]))
            j++;
        if (j + 1 < len && (params[j] == 'q' || params[j] == 'Q') && params[j + 1] == '=') {
            j += 2;
            /* A qvalue is "0" followed by up to three decimals, or "1..."; zero only when every
             * digit is 0. */
            if (j >= len || params[j] != '0')
                return false;
            for (j++; j < len && !is_space(params[j]) && params[j] != ';'; j++) {
                if (params[j] != '.' && params[j] != '0')
                    return false;
            }
            return true;
        }
    }
    return false;
}

bool
cm_http_accepts_gzip(const char *accept_encoding)
{
    if (accept_encoding == NULL)
        return false;
    bool gzip = false, gzip_refused = false, star = false;
    const char *p = accept_encoding;
    const char *el;
    size_t len;
    while (next_element(&p, &el, &len)) {
        size_t clen = 0;
        while (clen < len && el[clen] != ';' && !is_space(el[clen]))
            clen++;
        bool zero = q_is_zero(el + clen, len - clen);
        if ((clen == 4 && strncasecmp(el, "gzip", 4) == 0) ||
            (clen == 6 && strncasecmp(el, "x-gzip", 6) == 0)) {
            if (zero)
                gzip_refused = true;
            else
                gzip = true;
        } else if (clen == 1 && el[0] == '*' && !zero) {
            star = true;
        }
    }
    /* A coding named with q=0 is refused even when "*" would accept it (RFC 9110 12.5.3). */
    return !gzip_refused && (gzip || star);
}

bool
cm_http_asset_answer(const struct cm_http_asset *assets, size_t n, const char *method,
                     const char *path, const char *if_none_match, const char *accept_encoding,
                     struct cm_http_asset_reply *out)
{
    if (assets == NULL || path == NULL)
        return false;
    const struct cm_http_asset *a = NULL;
    for (size_t i = 0; i < n && a == NULL; i++) {
        if (strcmp(assets[i].path, path) == 0)
            a = &assets[i];
    }
    if (a == NULL)
        return false;
    memset(out, 0, sizeof(*out));
    if (method == NULL || (strcmp(method, "GET") != 0 && strcmp(method, "HEAD") != 0)) {
        out->status = 405;
        return true;
    }
    bool gz = a->gz_data != NULL && a->gz_etag != NULL;
    out->vary = gz;
    out->gzip = gz && cm_http_accepts_gzip(accept_encoding);
    out->type = a->type;
    out->etag = out->gzip ? a->gz_etag : a->etag;
    out->cache_control = a->immutable ? cache_immutable : cache_revalidate;
    if (cm_http_etag_match(if_none_match, out->etag)) {
        out->status = 304;
        return true;
    }
    out->status = 200;
    out->data = out->gzip ? a->gz_data : a->data;
    out->len = out->gzip ? a->gz_len : a->len;
    return true;
}
