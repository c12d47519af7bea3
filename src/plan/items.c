/*
 * plan/items: one element of the shared plan of care between its stored form (a body object and a
 * translations object, model/plan_item.h) and the JSON the API, the document, the PDF and the diff
 * read. Everything here is driven by the kind table (model/plan_kinds.c): no kind is named.
 *
 * Canonical forms, so that a plan document is the same bytes for the same plan (docs/plan.md):
 *  - a body lists the kind's fields in declared order, absent ones left out, BOOL always written;
 *  - a translations object lists languages in byte order and, inside each, the kind's TEXT fields
 *    in declared order; a language with no translation left is dropped, as is anything the kind
 *    no longer declares (a field removed from the table takes its translations with it).
 */
#include "plan/plan.h"

#include <stdlib.h>
#include <string.h>

/* Fields whose value is a string (union cm_plan_value.s). */
static bool
is_string(enum cm_plan_ftype t)
{
    return t == CM_PF_TEXT || t == CM_PF_STRING || t == CM_PF_ENUM || t == CM_PF_DATE ||
           t == CM_PF_ICD10;
}

/* Parses text as a JSON object: NULL or "" is an empty object; anything else that is not an object
 * is NULL. */
static json_t *
parse_object(const char *text)
{
    if (text == NULL || text[0] == '\0')
        return json_object();
    json_t *j = json_loads(text, JSON_DECODE_ANY | JSON_REJECT_DUPLICATES, NULL);
    if (j != NULL && !json_is_object(j)) {
        json_decref(j);
        return NULL;
    }
    return j;
}

/* Sets key of o to v (a new reference, NULL when its creation failed); false on failure, when
 * jansson has already released v. */
static bool
put(json_t *o, const char *key, json_t *v)
{
    return v != NULL && json_object_set_new(o, key, v) == 0;
}

static json_t *
iso_time(int64_t t)
{
    char buf[21];
    cm_time_iso(t, buf);
    return json_string(buf);
}

static int
cmp_str(const void *x, const void *y)
{
    return strcmp(*(const char *const *)x, *(const char *const *)y);
}

/* The canonical copy of a translations object for kind d (see the top of the file): a new object,
 * or NULL when out of memory. */
static json_t *
translations_canonical(const struct cm_plan_kind_desc *d, const json_t *tr)
{
    json_t *out = json_object();
    if (out == NULL)
        return NULL;
    /* Only the supported languages can be present, so this bounds the sort below. */
    const char *langs[8];
    size_t nlangs = 0;
    const char *key;
    json_t *val;
    json_object_foreach((json_t *)tr, key, val)
    {
        if (cm_plan_lang_ok(key) && json_is_object(val) && nlangs < CM_ARRAY_LEN(langs))
            langs[nlangs++] = key;
    }
    qsort(langs, nlangs, sizeof(langs[0]), cmp_str);
    for (size_t l = 0; l < nlangs; l++) {
        const json_t *src = json_object_get(tr, langs[l]);
        json_t *dst = json_object();
        if (dst == NULL)
            goto fail;
        for (size_t i = 0; i < d->nfields; i++) {
            if (d->fields[i].type != CM_PF_TEXT)
                continue;
            const char *s = json_string_value(json_object_get(src, d->fields[i].name));
            if (s != NULL && s[0] != '\0' && !put(dst, d->fields[i].name, json_string(s))) {
                json_decref(dst);
                goto fail;
            }
        }
        if (json_object_size(dst) == 0) {
            json_decref(dst);
            continue;
        }
        if (!put(out, langs[l], dst))
            goto fail;
    }
    return out;
fail:
    json_decref(out);
    return NULL;
}

/* Serialises j canonically into the arena. */
static enum cm_code
dump(const json_t *j, struct cm_arena *a, const char **out, struct cm_err *err)
{
    char *s = json_dumps(j, JSON_PRESERVE_ORDER | JSON_COMPACT);
    if (s == NULL)
        return cm_err_set(err, CM_ENOMEM, "", "out of memory");
    char *copy = cm_arena_strdup(a, s);
    free(s);
    if (copy == NULL)
        return cm_err_set(err, CM_ENOMEM, "", "out of memory");
    *out = copy;
    return CM_OK;
}

/* ---- the stored body ------------------------------------------------------------------------- */

enum cm_code
cm_plan_body_encode(const struct cm_plan_kind_desc *d, const union cm_plan_value *v,
                    struct cm_arena *a, const char **out, struct cm_err *err)
{
    json_t *o = json_object();
    if (o == NULL)
        return cm_err_set(err, CM_ENOMEM, "", "out of memory");
    enum cm_code rc = CM_OK;
    for (size_t i = 0; i < d->nfields && rc == CM_OK; i++) {
        const struct cm_plan_field *f = &d->fields[i];
        json_t *j = NULL;
        if (is_string(f->type)) {
            if (v[i].s == NULL)
                continue;
            /* jansson refuses invalid UTF-8; say which field rather than "out of memory". */
            if (!cm_utf8_valid(v[i].s, strlen(v[i].s))) {
                rc = cm_err_set(err, CM_EINVAL, f->name, "must be valid UTF-8");
                break;
            }
            j = json_string(v[i].s);
        } else if (f->type == CM_PF_BOOL) {
            j = json_boolean(v[i].b);
        } else {
            if (v[i].i == 0)
                continue;
            j = json_integer(v[i].i);
        }
        if (!put(o, f->name, j))
            rc = cm_err_set(err, CM_ENOMEM, "", "out of memory");
    }
    if (rc == CM_OK)
        rc = dump(o, a, out, err);
    json_decref(o);
    return rc;
}

enum cm_code
cm_plan_body_decode(const struct cm_plan_kind_desc *d, const char *body, union cm_plan_value *v,
                    struct cm_arena *a, struct cm_err *err)
{
    memset(v, 0, d->nfields * sizeof(*v));
    json_t *o = body != NULL ? parse_object(body) : NULL;
    if (o == NULL)
        return cm_err_set(err, CM_EDB, "body", "the stored %s is not a JSON object", d->name);
    enum cm_code rc = CM_OK;
    for (size_t i = 0; i < d->nfields && rc == CM_OK; i++) {
        const struct cm_plan_field *f = &d->fields[i];
        const json_t *j = json_object_get(o, f->name);
        if (j == NULL || json_is_null(j))
            continue;
        if (is_string(f->type) && json_is_string(j)) {
            v[i].s = cm_arena_strndup(a, json_string_value(j), json_string_length(j));
            if (v[i].s == NULL)
                rc = cm_err_set(err, CM_ENOMEM, "", "out of memory");
        } else if (f->type == CM_PF_BOOL && json_is_boolean(j)) {
            v[i].b = json_is_true(j);
        } else if ((f->type == CM_PF_INT || f->type == CM_PF_REF) && json_is_integer(j)) {
            v[i].i = json_integer_value(j);
        } else {
            /* Bodies are written by cm_plan_body_encode only: a wrong type is damage. */
            rc = cm_err_set(err, CM_EDB, f->name, "the stored %s has a %s of the wrong type",
                            d->name, f->name);
        }
    }
    json_decref(o);
    return rc;
}

/* ---- translations ---------------------------------------------------------------------------- */

enum cm_code
cm_plan_translation_apply(const struct cm_plan_kind_desc *d, const char *translations,
                          const char *lang, const union cm_plan_value *v, uint64_t present,
                          struct cm_arena *a, const char **out, struct cm_err *err)
{
    if (!cm_plan_lang_ok(lang))
        return cm_err_set(err, CM_EINVAL, "lang", "must be one of: en, es");
    if (d->nfields > CM_PLAN_MAX_FIELDS || (d->nfields < 64 && (present >> d->nfields) != 0))
        return cm_err_set(err, CM_EINTERNAL, "", "translation of a field %s does not have",
                          d->name);
    for (size_t i = 0; i < d->nfields; i++) {
        if (((present >> i) & 1) && d->fields[i].type != CM_PF_TEXT)
            return cm_err_set(err, CM_EINVAL, d->fields[i].name, "is the same in every language");
    }

    /* A translation obeys the same rules as the text it translates (length, no control
     * characters), but none is required: validate the present ones as an all-optional kind. */
    struct cm_plan_field opt[CM_PLAN_MAX_FIELDS];
    union cm_plan_value vals[CM_PLAN_MAX_FIELDS];
    memset(vals, 0, sizeof(vals));
    for (size_t i = 0; i < d->nfields; i++) {
        opt[i] = d->fields[i];
        opt[i].required = false;
        if ((present >> i) & 1)
            vals[i] = v[i];
    }
    struct cm_plan_kind_desc od = *d;
    od.fields = opt;
    enum cm_code rc = cm_model_plan_item_validate(&od, vals, a, err);
    if (rc != CM_OK)
        return rc;

    json_t *tr = parse_object(translations);
    if (tr == NULL)
        return cm_err_set(err, CM_EDB, "translations", "the stored translations are not an object");
    json_t *lo = json_object_get(tr, lang);
    if (!json_is_object(lo)) {
        lo = json_object();
        if (!put(tr, lang, lo)) {
            json_decref(tr);
            return cm_err_set(err, CM_ENOMEM, "", "out of memory");
        }
    }
    for (size_t i = 0; i < d->nfields && rc == CM_OK; i++) {
        if (!((present >> i) & 1))
            continue;
        if (vals[i].s == NULL)
            json_object_del(lo, d->fields[i].name);
        else if (!put(lo, d->fields[i].name, json_string(vals[i].s)))
            rc = cm_err_set(err, CM_ENOMEM, "", "out of memory");
    }
    json_t *canon = rc == CM_OK ? translations_canonical(d, tr) : NULL;
    json_decref(tr);
    if (rc != CM_OK)
        return rc;
    if (canon == NULL)
        return cm_err_set(err, CM_ENOMEM, "", "out of memory");
    rc = dump(canon, a, out, err);
    json_decref(canon);
    return rc;
}

/* ---- the item as JSON ------------------------------------------------------------------------ */

json_t *
cm_plan_item_json(const struct cm_plan_kind_desc *d, const struct cm_plan_item *it)
{
    json_t *body = it->body != NULL ? parse_object(it->body) : NULL;
    json_t *tr = parse_object(it->translations);
    json_t *o = json_object();
    json_t *canon = NULL;
    if (body == NULL || tr == NULL || o == NULL)
        goto fail;
    bool ok = put(o, "id", json_integer(it->meta.id)) && put(o, "kind", json_string(d->name)) &&
              put(o, "version", json_integer(it->meta.version)) &&
              put(o, "position", json_integer(it->position)) &&
              put(o, "lang", it->lang != NULL ? json_string(it->lang) : json_null());
    for (size_t i = 0; ok && i < d->nfields; i++) {
        const struct cm_plan_field *f = &d->fields[i];
        json_t *j = json_object_get(body, f->name);
        if (f->type == CM_PF_BOOL) {
            /* Written always, so a reader never has to guess what a missing flag means. */
            ok = put(o, f->name, json_boolean(json_is_true(j)));
        } else if (j != NULL && !json_is_null(j)) {
            ok = put(o, f->name, json_incref(j));
        }
    }
    canon = ok ? translations_canonical(d, tr) : NULL;
    if (!ok || !put(o, "translations", canon) ||
        !put(o, "created_at", iso_time(it->meta.created_at)) ||
        !put(o, "updated_at", iso_time(it->meta.updated_at)) ||
        !put(o, "updated_by", json_integer(it->meta.updated_by)))
        goto fail;
    json_decref(body);
    json_decref(tr);
    return o;
fail:
    json_decref(body);
    json_decref(tr);
    json_decref(o);
    return NULL;
}

/* ---- text for a reader ----------------------------------------------------------------------- */

const char *
cm_plan_text(const json_t *item, const char *field, const char *lang, bool *translated)
{
    bool unused;
    if (translated == NULL)
        translated = &unused;
    *translated = true;
    if (!json_is_object(item) || field == NULL)
        return NULL;
    const char *kind = json_string_value(json_object_get(item, "kind"));
    const struct cm_plan_kind_desc *d = cm_plan_kind_by_name(kind);
    int fi = d != NULL ? cm_plan_field_index(d, field) : -1;
    /* "lang", "kind" and the like are not fields of the item. */
    if (d != NULL && fi < 0)
        return NULL;
    const char *own = json_string_value(json_object_get(item, field));
    if (own == NULL)
        return NULL;
    /* Names, doses, codes, choices: the same in every language (docs/plan.md). */
    if (d != NULL && d->fields[fi].type != CM_PF_TEXT)
        return own;
    const char *item_lang = json_string_value(json_object_get(item, "lang"));
    if (lang == NULL || (item_lang != NULL && strcmp(lang, item_lang) == 0))
        return own;
    const json_t *tr = json_object_get(json_object_get(item, "translations"), lang);
    const char *t = json_string_value(json_object_get(tr, field));
    if (t != NULL && t[0] != '\0')
        return t;
    /* Never invent one: the reader sees the original, marked as not translated yet. */
    *translated = false;
    return own;
}
