/* Errors as values: the first failure fills the caller's struct cm_err. */
#include "core/core.h"

#include <stdio.h>
#include <string.h>

enum cm_code
cm_err_set(struct cm_err *err, enum cm_code code, const char *field, const char *fmt, ...)
{
    if (err == NULL || err->code != CM_OK)
        return code;
    err->code = code;
    snprintf(err->field, sizeof(err->field), "%s", field ? field : "");
    va_list ap;
    va_start(ap, fmt);
    vsnprintf(err->msg, sizeof(err->msg), fmt, ap);
    va_end(ap);
    return code;
}

void
cm_err_clear(struct cm_err *err)
{
    memset(err, 0, sizeof(*err));
}

const char *
cm_code_name(enum cm_code code)
{
    switch (code) {
    case CM_OK:
        return "ok";
    case CM_EINVAL:
        return "invalid";
    case CM_ENOTFOUND:
        return "not_found";
    case CM_ECONFLICT:
        return "conflict";
    case CM_EFORBIDDEN:
        return "forbidden";
    case CM_EUNAUTH:
        return "unauthenticated";
    case CM_ETOOBIG:
        return "too_big";
    case CM_ENOMEM:
        return "no_memory";
    case CM_EDB:
        return "database";
    case CM_EIO:
        return "io";
    case CM_EINTERNAL:
        return "internal";
    case CM_ESTALE:
        return "stale";
    case CM_ETHROTTLE:
        return "throttled";
    }
    return "internal";
}
