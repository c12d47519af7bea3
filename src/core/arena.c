/*
 * The arena: a chain of blocks with a hard cap on the bytes handed out, plus a stack of deferred
 * destructors for foreign objects (jansson values, statements) that must die with the request.
 */
#include "core/core.h"

#include <stdlib.h>
#include <string.h>

#define BLOCK_MIN (16 * 1024)
#define ALIGN     16

struct block {
    struct block *next;
    size_t size;
    size_t used;
    _Alignas(ALIGN) unsigned char data[];
};

struct defer {
    struct defer *next;
    void (*fn)(void *);
    void *p;
};

struct cm_arena {
    struct block *head;
    struct defer *defers;
    size_t cap;
    size_t used;
    bool exhausted;
};

struct cm_arena *
cm_arena_new(size_t cap)
{
    struct cm_arena *a = calloc(1, sizeof(*a));
    if (a == NULL)
        return NULL;
    a->cap = cap;
    return a;
}

static void
run_defers(struct cm_arena *a)
{
    while (a->defers != NULL) {
        struct defer *d = a->defers;
        a->defers = d->next;
        d->fn(d->p);
    }
}

void
cm_arena_free(struct cm_arena *a)
{
    if (a == NULL)
        return;
    run_defers(a);
    struct block *b = a->head;
    while (b != NULL) {
        struct block *next = b->next;
        free(b);
        b = next;
    }
    free(a);
}

void
cm_arena_reset(struct cm_arena *a)
{
    run_defers(a);
    struct block *keep = NULL;
    struct block *b = a->head;
    while (b != NULL) {
        struct block *next = b->next;
        if (next == NULL) {
            keep = b; /* the first block allocated is last in the chain */
        } else {
            free(b);
        }
        b = next;
    }
    if (keep != NULL)
        keep->used = 0;
    a->head = keep;
    a->used = 0;
    a->exhausted = false;
}

void *
cm_arena_alloc(struct cm_arena *a, size_t n)
{
    if (n == 0)
        n = 1;
    size_t rounded = (n + ALIGN - 1) & ~(size_t)(ALIGN - 1);
    if (rounded < n || a->exhausted || rounded > a->cap - a->used || a->used > a->cap) {
        a->exhausted = true;
        return NULL;
    }
    struct block *b = a->head;
    if (b == NULL || b->size - b->used < rounded) {
        size_t size = rounded > BLOCK_MIN ? rounded : BLOCK_MIN;
        if (b != NULL && b->size * 2 > size && b->size * 2 <= 1024 * 1024)
            size = b->size * 2;
        struct block *nb = malloc(sizeof(*nb) + size);
        if (nb == NULL) {
            a->exhausted = true;
            return NULL;
        }
        nb->size = size;
        nb->used = 0;
        nb->next = a->head;
        a->head = nb;
        b = nb;
    }
    void *p = b->data + b->used;
    b->used += rounded;
    a->used += rounded;
    memset(p, 0, n);
    return p;
}

void *
cm_arena_calloc(struct cm_arena *a, size_t count, size_t size)
{
    if (size != 0 && count > SIZE_MAX / size) {
        a->exhausted = true;
        return NULL;
    }
    return cm_arena_alloc(a, count * size);
}

char *
cm_arena_strndup(struct cm_arena *a, const char *s, size_t n)
{
    char *p = cm_arena_alloc(a, n + 1);
    if (p == NULL)
        return NULL;
    memcpy(p, s, n);
    p[n] = '\0';
    return p;
}

char *
cm_arena_strdup(struct cm_arena *a, const char *s)
{
    return cm_arena_strndup(a, s, strlen(s));
}

char *
cm_arena_vprintf(struct cm_arena *a, const char *fmt, va_list ap)
{
    va_list ap2;
    va_copy(ap2, ap);
    int n = vsnprintf(NULL, 0, fmt, ap2);
    va_end(ap2);
    if (n < 0)
        return NULL;
    char *p = cm_arena_alloc(a, (size_t)n + 1);
    if (p == NULL)
        return NULL;
    vsnprintf(p, (size_t)n + 1, fmt, ap);
    return p;
}

char *
cm_arena_printf(struct cm_arena *a, const char *fmt, ...)
{
    va_list ap;
    va_start(ap, fmt);
    char *p = cm_arena_vprintf(a, fmt, ap);
    va_end(ap);
    return p;
}

enum cm_code
cm_arena_defer(struct cm_arena *a, void (*fn)(void *), void *p)
{
    /* When the arena is full the object is released at once, so a caller that bails out on
     * CM_ETOOBIG leaks nothing. */
    struct defer *d = cm_arena_alloc(a, sizeof(*d));
    if (d == NULL) {
        fn(p);
        return CM_ETOOBIG;
    }
    d->fn = fn;
    d->p = p;
    d->next = a->defers;
    a->defers = d;
    return CM_OK;
}

size_t
cm_arena_used(const struct cm_arena *a)
{
    return a->used;
}

bool
cm_arena_exhausted(const struct cm_arena *a)
{
    return a->exhausted;
}
