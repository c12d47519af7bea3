/*
 * Request helpers: headers, query parameters and cookies, read from what libmicrohttpd parsed. We
 * walk MHD's lists ourselves rather than use MHD_lookup_connection_value, because MHD compares
 * every kind of key without regard to case, and query parameters and cookie names are
 * case-sensitive. A request built without a connection (a unit test) has none of them.
 */
#include "http/http_int.h"

#include <microhttpd.h>
#include <string.h>
#include <strings.h>

struct lookup {
    const char *name;
    bool caseless;
    const char *value;
};

static enum MHD_Result
find_value(void *cls, enum MHD_ValueKind kind, const char *key, size_t key_size, const char *value,
           size_t value_size)
{
    CM_UNUSED(kind);
    struct lookup *l = cls;
    if (key == NULL || strlen(key) != key_size)
        return MHD_YES;
    bool same = l->caseless ? strcasecmp(key, l->name) == 0 : strcmp(key, l->name) == 0;
    if (!same)
        return MHD_YES;
    /* A value with a NUL or bytes that are not UTF-8 (from %00 or %FF in a query) is treated as
     * absent rather than silently cut; cm_http_query_only reports it. A key given without "="
     * is present with the empty value. */
    if (value == NULL)
        l->value = "";
    else if (cm_utf8_valid(value, value_size))
        l->value = value;
    return MHD_NO; /* the first one wins */
}

static const char *
lookup(const struct cm_http_request *r, enum MHD_ValueKind kind, const char *name, bool caseless)
{
    if (r == NULL || r->mhd == NULL || name == NULL)
        return NULL;
    struct lookup l = {name, caseless, NULL};
    MHD_get_connection_values_n(r->mhd, kind, find_value, &l);
    return l.value;
}

const char *
cm_http_header(const struct cm_http_request *r, const char *name)
{
    return lookup(r, MHD_HEADER_KIND, name, true);
}

const char *
cm_http_query(const struct cm_http_request *r, const char *name)
{
    return lookup(r, MHD_GET_ARGUMENT_KIND, name, false);
}

const char *
cm_http_cookie(const struct cm_http_request *r, const char *name)
{
    return lookup(r, MHD_COOKIE_KIND, name, false);
}

struct only {
    const char *const *allowed;
    struct cm_err *err;
    uint64_t seen; /* bit i: allowed[i] already given once */
};

static enum MHD_Result
check_param(void *cls, enum MHD_ValueKind kind, const char *key, size_t key_size, const char *value,
            size_t value_size)
{
    CM_UNUSED(kind);
    struct only *o = cls;
    if (key == NULL || !cm_utf8_valid(key, key_size)) {
        cm_err_set(o->err, CM_EINVAL, "", "a query parameter name is not UTF-8 text");
        return MHD_NO;
    }
    size_t i = 0;
    while (o->allowed[i] != NULL && strcmp(o->allowed[i], key) != 0)
        i++;
    if (o->allowed[i] == NULL) {
        cm_err_set(o->err, CM_EINVAL, key, "unknown query parameter");
        return MHD_NO;
    }
    if (value != NULL && !cm_utf8_valid(value, value_size)) {
        cm_err_set(o->err, CM_EINVAL, key, "must be UTF-8 text without NUL");
        return MHD_NO;
    }
    /* Given twice, which one would we use? Say so instead of choosing. */
    if (i < 64) {
        if (o->seen & (UINT64_C(1) << i)) {
            cm_err_set(o->err, CM_EINVAL, key, "given more than once");
            return MHD_NO;
        }
        o->seen |= UINT64_C(1) << i;
    }
    return MHD_YES;
}

enum cm_code
cm_http_query_only(const struct cm_http_request *r, const char *const *allowed, struct cm_err *err)
{
    if (r == NULL || r->mhd == NULL)
        return CM_OK;
    struct cm_err local = {0};
    struct only o = {allowed, &local, 0};
    MHD_get_connection_values_n(r->mhd, MHD_GET_ARGUMENT_KIND, check_param, &o);
    if (local.code == CM_OK)
        return CM_OK;
    return cm_err_set(err, local.code, local.field, "%s", local.msg);
}
