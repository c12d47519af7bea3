/* Bounded buffers and string helpers. */
#include "core/core.h"

#include <string.h>

void
cm_buf_init(struct cm_buf *b, struct cm_arena *a, size_t max)
{
    b->data = NULL;
    b->len = 0;
    b->cap = 0;
    b->max = max;
    b->arena = a;
}

static enum cm_code
reserve(struct cm_buf *b, size_t extra)
{
    if (extra > b->max || b->len > b->max - extra)
        return CM_ETOOBIG;
    size_t need = b->len + extra + 1;
    if (need <= b->cap)
        return CM_OK;
    size_t cap = b->cap ? b->cap : 256;
    while (cap < need)
        cap *= 2;
    if (cap - 1 > b->max) /* not cap > max + 1, which wraps when max is SIZE_MAX */
        cap = b->max + 1;
    char *p = cm_arena_alloc(b->arena, cap);
    if (p == NULL)
        return CM_ETOOBIG;
    if (b->len)
        memcpy(p, b->data, b->len);
    p[b->len] = '\0';
    b->data = p;
    b->cap = cap;
    return CM_OK;
}

enum cm_code
cm_buf_append(struct cm_buf *b, const void *p, size_t n)
{
    enum cm_code rc = reserve(b, n);
    if (rc != CM_OK)
        return rc;
    if (n)
        memcpy(b->data + b->len, p, n);
    b->len += n;
    b->data[b->len] = '\0';
    return CM_OK;
}

enum cm_code
cm_buf_puts(struct cm_buf *b, const char *s)
{
    return cm_buf_append(b, s, strlen(s));
}

enum cm_code
cm_buf_printf(struct cm_buf *b, const char *fmt, ...)
{
    va_list ap;
    va_start(ap, fmt);
    int n = vsnprintf(NULL, 0, fmt, ap);
    va_end(ap);
    if (n < 0)
        return CM_EINTERNAL;
    enum cm_code rc = reserve(b, (size_t)n);
    if (rc != CM_OK)
        return rc;
    va_start(ap, fmt);
    vsnprintf(b->data + b->len, (size_t)n + 1, fmt, ap);
    va_end(ap);
    b->len += (size_t)n;
    return CM_OK;
}

enum cm_code
cm_strlcpy(char *dst, const char *src, size_t size)
{
    size_t n = strlen(src);
    if (size == 0)
        return CM_ETOOBIG;
    if (n >= size) {
        memcpy(dst, src, size - 1);
        dst[size - 1] = '\0';
        return CM_ETOOBIG;
    }
    memcpy(dst, src, n + 1);
    return CM_OK;
}

bool
cm_utf8_valid(const char *s, size_t n)
{
    const unsigned char *p = (const unsigned char *)s;
    size_t i = 0;
    while (i < n) {
        unsigned char c = p[i];
        if (c == 0)
            return false;
        if (c < 0x80) {
            i++;
            continue;
        }
        size_t len;
        uint32_t cp;
        if ((c & 0xE0) == 0xC0) {
            len = 2;
            cp = c & 0x1F;
        } else if ((c & 0xF0) == 0xE0) {
            len = 3;
            cp = c & 0x0F;
        } else if ((c & 0xF8) == 0xF0) {
            len = 4;
            cp = c & 0x07;
        } else {
            return false;
        }
        if (n - i < len)
            return false;
        for (size_t k = 1; k < len; k++) {
            if ((p[i + k] & 0xC0) != 0x80)
                return false;
            cp = (cp << 6) | (p[i + k] & 0x3F);
        }
        /* Overlong forms, surrogates and values past U+10FFFF are not UTF-8. */
        if ((len == 2 && cp < 0x80) || (len == 3 && cp < 0x800) || (len == 4 && cp < 0x10000) ||
            cp > 0x10FFFF || (cp >= 0xD800 && cp <= 0xDFFF))
            return false;
        i += len;
    }
    return true;
}
