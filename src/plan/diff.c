/*
 * plan/diff: what changed between two plan documents (docs/plan.md, docs/api.md "diff"), for the
 * coordinator who freezes a new version and the family who reviews it.
 *
 * Items are matched by id, never by position or text, so an edited medication is "changed" rather
 * than "removed" plus "added". Within a kind, the newer document's items come first in its order
 * (added or changed), then the items it no longer has in the older document's order (removed).
 * An added or removed item lists every field it has (from null, or to null), so the reader sees
 * what came or went without opening the other version. Values are compared as JSON (a number is
 * not its string).
 */
#include "plan/plan.h"

#include <stdlib.h>
#include <string.h>

/* The fields of a contact (the care team) and of a family member as the document writes them,
 * in the order a diff lists them. */
static const char *const contact_fields[] = {"name", "role",         "phone",   "email",
                                             "lead", "organization", "service", "sector"};
static const char *const family_fields[] = {"name",  "relationship", "is_guardian",
                                            "phone", "email",        "preferred_language"};

/* How to compare the items of one list: their kind in the output, their field names and, for plan
 * kinds, the declaration (translations and the item's language are compared only then). */
struct spec {
    const char *kind;
    const char *fields[CM_PLAN_MAX_FIELDS];
    size_t nfields;
    size_t title;
    const struct cm_plan_kind_desc *d;
};

static json_t *
value_or_null(const json_t *j)
{
    return j != NULL ? json_deep_copy(j) : json_null();
}

/* Appends {"field", ["lang",] "from", "to"} to out when a and b differ (NULL: absent, and an
 * absent value equals null). False when out of memory. */
static bool
field_change(json_t *out, const char *field, const char *lang, const json_t *a, const json_t *b)
{
    if (a != NULL && json_is_null(a))
        a = NULL;
    if (b != NULL && json_is_null(b))
        b = NULL;
    if (a == NULL && b == NULL)
        return true;
    if (a != NULL && b != NULL && json_equal(a, b))
        return true;
    json_t *c = json_object();
    if (c == NULL)
        return false;
    bool ok = json_object_set_new(c, "field", json_string(field)) == 0 &&
              (lang == NULL || json_object_set_new(c, "lang", json_string(lang)) == 0) &&
              json_object_set_new(c, "from", value_or_null(a)) == 0 &&
              json_object_set_new(c, "to", value_or_null(b)) == 0;
    if (!ok) {
        json_decref(c);
        return false;
    }
    return json_array_append_new(out, c) == 0;
}

static int
cmp_str(const void *x, const void *y)
{
    return strcmp(*(const char *const *)x, *(const char *const *)y);
}

/* Adds key to the set keys[0 .. *n) (at most max) unless it is there already. */
static void
add_key(const char **keys, size_t *n, size_t max, const char *key)
{
    for (size_t i = 0; i < *n; i++)
        if (strcmp(keys[i], key) == 0)
            return;
    if (*n < max)
        keys[(*n)++] = key;
}

/* Translation changes of the TEXT fields of d, per language in byte order, then per field in
 * declared order. */
static bool
translation_changes(json_t *out, const struct cm_plan_kind_desc *d, const json_t *a,
                    const json_t *b)
{
    const json_t *ta = json_object_get(a, "translations");
    const json_t *tb = json_object_get(b, "translations");
    const char *langs[16];
    size_t n = 0;
    const char *key;
    json_t *val;
    json_object_foreach((json_t *)ta, key, val) add_key(langs, &n, CM_ARRAY_LEN(langs), key);
    json_object_foreach((json_t *)tb, key, val) add_key(langs, &n, CM_ARRAY_LEN(langs), key);
    qsort(langs, n, sizeof(langs[0]), cmp_str);
    for (size_t l = 0; l < n; l++) {
        const json_t *la = json_object_get(ta, langs[l]);
        const json_t *lb = json_object_get(tb, langs[l]);
        for (size_t i = 0; i < d->nfields; i++) {
            if (d->fields[i].type != CM_PF_TEXT)
                continue;
            const char *f = d->fields[i].name;
            if (!field_change(out, f, langs[l], json_object_get(la, f), json_object_get(lb, f)))
                return false;
        }
    }
    return true;
}

/* Compares item a (NULL: it is new) with item b (NULL: it was removed) and appends a change to
 * changes when they differ. False when out of memory. */
static bool
compare(json_t *changes, const struct spec *s, const json_t *a, const json_t *b)
{
    json_t *fields = json_array();
    if (fields == NULL)
        return false;
    bool ok = true;
    for (size_t i = 0; ok && i < s->nfields; i++)
        ok = field_change(fields, s->fields[i], NULL, json_object_get(a, s->fields[i]),
                          json_object_get(b, s->fields[i]));
    if (ok && s->d != NULL) {
        /* The language the text is written in is part of what the family reads. */
        ok = field_change(fields, "lang", NULL, json_object_get(a, "lang"),
                          json_object_get(b, "lang")) &&
             translation_changes(fields, s->d, a, b);
    }
    if (!ok || (a != NULL && b != NULL && json_array_size(fields) == 0)) {
        json_decref(fields);
        return ok;
    }
    const json_t *item = b != NULL ? b : a;
    const char *change = a == NULL ? "added" : b == NULL ? "removed" : "changed";
    const json_t *title = json_object_get(item, s->fields[s->title]);
    json_t *c = json_object();
    if (c == NULL) {
        json_decref(fields);
        return false;
    }
    ok = json_object_set_new(c, "kind", json_string(s->kind)) == 0 &&
         json_object_set_new(c, "id", value_or_null(json_object_get(item, "id"))) == 0 &&
         json_object_set_new(c, "title",
                             json_is_string(title) ? json_deep_copy(title) : json_null()) == 0 &&
         json_object_set_new(c, "change", json_string(change)) == 0 &&
         json_object_set_new(c, "fields", fields) == 0;
    if (!ok) {
        json_decref(c);
        return false;
    }
    return json_array_append_new(changes, c) == 0;
}

/* The item of list with the id of item, or NULL. Lists are at most a few hundred items long, so a
 * scan costs less than building an index. */
static const json_t *
find(const json_t *list, const json_t *item)
{
    const json_t *id = json_object_get(item, "id");
    if (!json_is_integer(id))
        return NULL;
    size_t i;
    json_t *x;
    json_array_foreach(list, i, x)
    {
        const json_t *xid = json_object_get(x, "id");
        if (json_is_integer(xid) && json_integer_value(xid) == json_integer_value(id))
            return x;
    }
    return NULL;
}

/* Compares two lists of items matched by id (a list that is not an array counts as empty). */
static bool
compare_lists(json_t *changes, const struct spec *s, const json_t *la, const json_t *lb)
{
    size_t i;
    json_t *x;
    if (!json_is_array(la))
        la = NULL;
    if (!json_is_array(lb))
        lb = NULL;
    json_array_foreach(lb, i, x)
    {
        if (json_is_object(x) && !compare(changes, s, find(la, x), x))
            return false;
    }
    json_array_foreach(la, i, x)
    {
        if (json_is_object(x) && find(lb, x) == NULL && !compare(changes, s, x, NULL))
            return false;
    }
    return true;
}

static void
fixed_spec(struct spec *s, const char *kind, const char *const *fields, size_t n)
{
    memset(s, 0, sizeof(*s));
    s->kind = kind;
    for (size_t i = 0; i < n && i < CM_ARRAY_LEN(s->fields); i++)
        s->fields[s->nfields++] = fields[i];
    s->title = 0; /* "name" */
}

json_t *
cm_plan_diff(const json_t *from, const json_t *to)
{
    json_t *changes = json_array();
    if (changes == NULL)
        return NULL;
    const json_t *ea = json_object_get(from, "elements");
    const json_t *eb = json_object_get(to, "elements");
    size_t nkinds = 0;
    const struct cm_plan_kind_desc *kinds = cm_plan_kinds(&nkinds);
    bool ok = true;
    for (size_t k = 0; ok && k < nkinds; k++) {
        const struct cm_plan_kind_desc *d = &kinds[k];
        struct spec s = {.kind = d->name, .title = d->title_field, .d = d};
        for (size_t i = 0; i < d->nfields && i < CM_ARRAY_LEN(s.fields); i++)
            s.fields[s.nfields++] = d->fields[i].name;
        ok = compare_lists(changes, &s, json_object_get(ea, d->name), json_object_get(eb, d->name));
    }
    struct spec s;
    if (ok) {
        fixed_spec(&s, "contact", contact_fields, CM_ARRAY_LEN(contact_fields));
        ok = compare_lists(changes, &s, json_object_get(from, "contacts"),
                           json_object_get(to, "contacts"));
    }
    if (ok) {
        fixed_spec(&s, "family", family_fields, CM_ARRAY_LEN(family_fields));
        ok = compare_lists(changes, &s, json_object_get(from, "family"),
                           json_object_get(to, "family"));
    }
    json_t *out = ok ? json_object() : NULL;
    if (out == NULL || json_object_set_new(out, "changes", changes) != 0) {
        /* set_new released changes on failure; only a NULL out leaves it to us. */
        if (out == NULL)
            json_decref(changes);
        json_decref(out);
        return NULL;
    }
    return out;
}
