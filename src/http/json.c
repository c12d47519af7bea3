/*
 * JSON bodies decoded against a field table (kcgi style: validation declared as data). jansson
 * does the parsing: it rejects invalid UTF-8 and \u0000 (JSON_ALLOW_NUL is not given), duplicate
 * keys (JSON_REJECT_DUPLICATES) and trailing data (the EOF check stays on), and tells us the line
 * and column of a syntax error. Here we check each key against the table, its type and its limits.
 */
#include "http/http_int.h"

#include <assert.h>
#include <limits.h>
#include <string.h>

#define STRING_MAX_DEFAULT 2000

/* The longest prefix of s (at most max bytes) that ends on a character boundary, so a key cut to
 * fit struct cm_err's field stays valid UTF-8. */
static int
utf8_prefix(const char *s, size_t max)
{
    size_t n = strlen(s);
    if (n <= max)
        return (int)n;
    n = max;
    while (n > 0 && ((unsigned char)s[n] & 0xC0) == 0x80)
        n--;
    return (int)n;
}

/* Counts code points and rejects control characters. jansson has already checked the bytes are
 * UTF-8 without NUL, so continuation bytes can simply be skipped. */
static enum cm_code
check_text(const char *s, size_t n, size_t *chars, const char *field, struct cm_err *err)
{
    const unsigned char *p = (const unsigned char *)s;
    size_t count = 0;
    for (size_t i = 0; i < n; i++) {
        unsigned char c = p[i];
        if ((c & 0xC0) != 0x80)
            count++;
        /* C0 controls but tab, newline and carriage return; DEL; C1 controls (U+0080-U+009F,
         * encoded C2 80 .. C2 9F). None of them belongs in text a person typed. */
        bool c0 = c < 0x20 && c != '\t' && c != '\n' && c != '\r';
        bool c1 = c == 0xC2 && i + 1 < n && p[i + 1] >= 0x80 && p[i + 1] <= 0x9F;
        if (c0 || c == 0x7f || c1)
            return cm_err_set(err, CM_EINVAL, field,
                              "must not contain control characters (tab, newline and carriage "
                              "return are allowed)");
    }
    *chars = count;
    return CM_OK;
}

static enum cm_code
decode_string(const struct cm_json_field *f, json_t *v, void *dst, struct cm_arena *a,
              struct cm_err *err)
{
    if (!json_is_string(v))
        return cm_err_set(err, CM_EINVAL, f->name,
                          f->type == CM_JSON_DATE ? "must be a date YYYY-MM-DD"
                                                  : "must be a string");
    const char *s = json_string_value(v);
    size_t n = json_string_length(v);
    if (f->type == CM_JSON_DATE) {
        enum cm_code rc = cm_date_check(s, f->name, err);
        if (rc != CM_OK)
            return rc;
    } else {
        size_t chars = 0;
        enum cm_code rc = check_text(s, n, &chars, f->name, err);
        if (rc != CM_OK)
            return rc;
        size_t max = f->max_len ? f->max_len : STRING_MAX_DEFAULT;
        if (chars < f->min_len)
            return cm_err_set(err, CM_EINVAL, f->name,
                              f->min_len == 1 ? "must not be empty"
                                              : "must be at least %zu characters",
                              f->min_len);
        if (chars > max)
            return cm_err_set(err, CM_EINVAL, f->name, "must be at most %zu characters", max);
    }
    char *copy = cm_arena_strndup(a, s, n);
    if (copy == NULL)
        return cm_err_set(err, CM_ETOOBIG, "", "the request needs more memory than allowed");
    memcpy(dst, &copy, sizeof(copy));
    return CM_OK;
}

static enum cm_code
decode_int(const struct cm_json_field *f, json_t *v, void *dst, struct cm_err *err)
{
    if (!json_is_integer(v))
        return cm_err_set(err, CM_EINVAL, f->name, "must be an integer");
    json_int_t x = json_integer_value(v);
    int64_t lo = f->min;
    int64_t hi = f->max;
    if (lo == 0 && hi == 0)
        hi = f->type == CM_JSON_INT ? INT_MAX : INT64_MAX;
    if (f->type == CM_JSON_INT) {
        lo = lo < INT_MIN ? INT_MIN : lo;
        hi = hi > INT_MAX ? INT_MAX : hi;
    }
    if (x < lo || x > hi)
        return cm_err_set(err, CM_EINVAL, f->name, "must be between %lld and %lld", (long long)lo,
                          (long long)hi);
    if (f->type == CM_JSON_INT) {
        int i = (int)x;
        memcpy(dst, &i, sizeof(i));
    } else {
        int64_t i = (int64_t)x;
        memcpy(dst, &i, sizeof(i));
    }
    return CM_OK;
}

/* null: the zero value of the field's type, when the table allows it. */
static enum cm_code
decode_null(const struct cm_json_field *f, void *dst, struct cm_err *err)
{
    if (!f->nullable)
        return cm_err_set(err, CM_EINVAL, f->name, "must not be null");
    switch (f->type) {
    case CM_JSON_STRING:
    case CM_JSON_DATE: {
        const char *none = NULL;
        memcpy(dst, &none, sizeof(none));
        break;
    }
    case CM_JSON_INT: {
        int zero = 0;
        memcpy(dst, &zero, sizeof(zero));
        break;
    }
    case CM_JSON_INT64: {
        int64_t zero = 0;
        memcpy(dst, &zero, sizeof(zero));
        break;
    }
    case CM_JSON_BOOL: {
        bool no = false;
        memcpy(dst, &no, sizeof(no));
        break;
    }
    }
    return CM_OK;
}

static enum cm_code
decode_field(const struct cm_json_field *f, json_t *v, void *out, struct cm_arena *a,
             struct cm_err *err)
{
    void *dst = (char *)out + f->offset;
    if (json_is_null(v))
        return decode_null(f, dst, err);
    switch (f->type) {
    case CM_JSON_STRING:
    case CM_JSON_DATE:
        return decode_string(f, v, dst, a, err);
    case CM_JSON_INT:
    case CM_JSON_INT64:
        return decode_int(f, v, dst, err);
    case CM_JSON_BOOL: {
        if (!json_is_boolean(v))
            return cm_err_set(err, CM_EINVAL, f->name, "must be true or false");
        bool b = json_is_true(v);
        memcpy(dst, &b, sizeof(b));
        return CM_OK;
    }
    }
    return cm_err_set(err, CM_EINTERNAL, f->name, "unknown field type");
}

static enum cm_code
decode_object(json_t *root, const struct cm_json_field *fields, size_t nfields, void *out,
              uint64_t *present, struct cm_arena *a, struct cm_err *err)
{
    if (!json_is_object(root))
        return cm_err_set(err, CM_EINVAL, "", "the body must be a JSON object");
    const char *key;
    json_t *v;
    json_object_foreach(root, key, v)
    {
        size_t i = 0;
        while (i < nfields && strcmp(fields[i].name, key) != 0)
            i++;
        if (i == nfields) {
            int n = utf8_prefix(key, sizeof(err->field) - 1);
            char name[sizeof(err->field)];
            memcpy(name, key, (size_t)n);
            name[n] = '\0';
            return cm_err_set(err, CM_EINVAL, name, "unknown field");
        }
        enum cm_code rc = decode_field(&fields[i], v, out, a, err);
        if (rc != CM_OK)
            return rc;
        *present |= UINT64_C(1) << i;
    }
    for (size_t i = 0; i < nfields; i++) {
        if (fields[i].required && (*present & (UINT64_C(1) << i)) == 0)
            return cm_err_set(err, CM_EINVAL, fields[i].name, "is required");
    }
    return CM_OK;
}

enum cm_code
cm_json_decode(const char *body, size_t len, const struct cm_json_field *fields, size_t nfields,
               void *out, uint64_t *present, struct cm_arena *a, struct cm_err *err)
{
    assert(nfields <= 64);
    uint64_t seen = 0;
    if (present == NULL)
        present = &seen;
    *present = 0;
    if (body == NULL || len == 0)
        return cm_err_set(err, CM_EINVAL, "", "a JSON object body is required");
    json_error_t jerr;
    /* JSON_DECODE_ANY so that "[1]" or "3" reach the "must be a JSON object" message below
     * instead of a syntax error that would puzzle the caller. */
    json_t *root = json_loadb(body, len, JSON_REJECT_DUPLICATES | JSON_DECODE_ANY, &jerr);
    if (root == NULL)
        return cm_err_set(err, CM_EINVAL, "", "malformed JSON at line %d, column %d: %s", jerr.line,
                          jerr.column, jerr.text);
    enum cm_code rc = decode_object(root, fields, nfields, out, present, a, err);
    json_decref(root);
    return rc;
}
