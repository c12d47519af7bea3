/*
 * plan/document: the plan document (docs/plan.md), the one JSON shape that GET .../plan shows,
 * every version freezes, the diff compares and the PDF prints.
 *
 * Deterministic by construction: no time of assembly, every kind present in plan order, items by
 * position then id, contacts lead, backup, then by id, family by id, object keys in a fixed order
 * and translations canonical (plan/items.c). The same plan gives the same bytes, so "nothing
 * changed since version N" is a string comparison.
 */
#include "plan/plan.h"

#include <stdlib.h>
#include <string.h>

static bool
put(json_t *o, const char *key, json_t *v)
{
    return v != NULL && json_object_set_new(o, key, v) == 0;
}

static json_t *
str_or_null(const char *s)
{
    return s != NULL ? json_string(s) : json_null();
}

static int
cmp_item(const void *x, const void *y)
{
    const struct cm_plan_item *a = *(const struct cm_plan_item *const *)x;
    const struct cm_plan_item *b = *(const struct cm_plan_item *const *)y;
    if (a->position != b->position)
        return a->position < b->position ? -1 : 1;
    return a->meta.id < b->meta.id ? -1 : a->meta.id > b->meta.id;
}

/* The lead first, then the backup, then everyone else; by id within each. */
static int
lead_rank(enum cm_lead l)
{
    return l == CM_LEAD_LEAD ? 0 : l == CM_LEAD_BACKUP ? 1 : 2;
}

static int
cmp_member(const void *x, const void *y)
{
    const struct cm_team_member *a = x;
    const struct cm_team_member *b = y;
    if (lead_rank(a->lead) != lead_rank(b->lead))
        return lead_rank(a->lead) - lead_rank(b->lead);
    return a->meta.id < b->meta.id ? -1 : a->meta.id > b->meta.id;
}

static int
cmp_family(const void *x, const void *y)
{
    const struct cm_family_member *a = x;
    const struct cm_family_member *b = y;
    return a->meta.id < b->meta.id ? -1 : a->meta.id > b->meta.id;
}

static json_t *
child_json(const struct cm_child *ch)
{
    json_t *o = json_object();
    if (o == NULL)
        return NULL;
    if (put(o, "id", json_integer(ch->meta.id)) &&
        put(o, "record_number", str_or_null(ch->record_number)) &&
        put(o, "given_name", str_or_null(ch->given_name)) &&
        put(o, "family_name", str_or_null(ch->family_name)) &&
        put(o, "preferred_name", str_or_null(ch->preferred_name)) &&
        put(o, "birth_date", str_or_null(ch->birth_date)) &&
        put(o, "preferred_language", str_or_null(ch->preferred_language)))
        return o;
    json_decref(o);
    return NULL;
}

static json_t *
contact_json(const struct cm_team_member *t)
{
    json_t *o = json_object();
    if (o == NULL)
        return NULL;
    if (put(o, "id", json_integer(t->meta.id)) && put(o, "name", str_or_null(t->name)) &&
        put(o, "role", str_or_null(t->role)) && put(o, "service", str_or_null(t->service)) &&
        put(o, "sector", json_string(cm_sector_name(t->sector))) &&
        put(o, "organization", str_or_null(t->organization_name)) &&
        put(o, "phone", str_or_null(t->phone)) && put(o, "email", str_or_null(t->email)) &&
        put(o, "lead", json_string(cm_lead_name(t->lead))))
        return o;
    json_decref(o);
    return NULL;
}

static json_t *
family_json(const struct cm_family_member *f, struct cm_arena *a)
{
    json_t *o = json_object();
    if (o == NULL)
        return NULL;
    const char *name = cm_arena_printf(a, "%s %s", f->given_name != NULL ? f->given_name : "",
                                       f->family_name != NULL ? f->family_name : "");
    if (name != NULL && put(o, "id", json_integer(f->meta.id)) &&
        put(o, "name", json_string(name)) && put(o, "relationship", str_or_null(f->relationship)) &&
        put(o, "is_guardian", json_boolean(f->is_guardian)) &&
        put(o, "phone", str_or_null(f->phone)) && put(o, "email", str_or_null(f->email)) &&
        put(o, "preferred_language", str_or_null(f->preferred_language)))
        return o;
    json_decref(o);
    return NULL;
}

/* {"<kind>": [items], ...} for every kind in plan order; each kind's items by position. */
static enum cm_code
elements_json(const struct cm_plan_item_list *items, struct cm_arena *a, json_t *out,
              struct cm_err *err)
{
    const struct cm_plan_item **sorted = NULL;
    if (items->count > 0) {
        sorted = cm_arena_calloc(a, items->count, sizeof(*sorted));
        if (sorted == NULL)
            return cm_err_set(err, CM_ENOMEM, "", "out of memory");
    }
    size_t nkinds = 0;
    const struct cm_plan_kind_desc *kinds = cm_plan_kinds(&nkinds);
    for (size_t k = 0; k < nkinds; k++) {
        const struct cm_plan_kind_desc *d = &kinds[k];
        size_t n = 0;
        for (size_t i = 0; i < items->count; i++)
            if (items->items[i].kind != NULL && strcmp(items->items[i].kind, d->name) == 0)
                sorted[n++] = &items->items[i];
        /* The store orders them already; sorting here keeps the document's order this module's
         * promise rather than a query's. */
        if (n > 1)
            qsort(sorted, n, sizeof(*sorted), cmp_item);
        json_t *list = json_array();
        if (!put(out, d->name, list))
            return cm_err_set(err, CM_ENOMEM, "", "out of memory");
        for (size_t i = 0; i < n; i++) {
            json_t *j = cm_plan_item_json(d, sorted[i]);
            if (j == NULL)
                return cm_err_set(err, CM_EDB, "plan",
                                  "plan item %lld is damaged or memory ran out",
                                  (long long)sorted[i]->meta.id);
            if (json_array_append_new(list, j) != 0)
                return cm_err_set(err, CM_ENOMEM, "", "out of memory");
        }
    }
    return CM_OK;
}

enum cm_code
cm_plan_document(struct cm_conn *c, const struct cm_viewer *v, int64_t child_id, int64_t now,
                 json_t **out, struct cm_arena *a, struct cm_err *err)
{
    *out = NULL;
    struct cm_child ch;
    struct cm_plan_item_list items = {0};
    struct cm_team_list team = {0};
    struct cm_family_list family = {0};
    enum cm_code rc = cm_store_child_get(c, v, child_id, now, &ch, a, err);
    if (rc == CM_OK)
        rc = cm_store_plan_item_list(c, v, child_id, NULL, now, &items, a, err);
    if (rc == CM_OK)
        rc = cm_store_team_list(c, v, child_id, false, now, &team, a, err);
    if (rc == CM_OK)
        rc = cm_store_family_list(c, v, child_id, now, &family, a, err);
    if (rc != CM_OK)
        return rc;
    if (team.count > 1)
        qsort(team.items, team.count, sizeof(team.items[0]), cmp_member);
    if (family.count > 1)
        qsort(family.items, family.count, sizeof(family.items[0]), cmp_family);

    /* Each part is created as it is put, so a failure leaves nothing outside doc to release. */
    json_t *doc = json_object();
    json_t *elements = NULL, *contacts = NULL, *fam = NULL;
    bool ok =
        doc != NULL && put(doc, "format", json_integer(1)) && put(doc, "child", child_json(&ch)) &&
        put(doc, "elements", elements = json_object()) &&
        put(doc, "contacts", contacts = json_array()) && put(doc, "family", fam = json_array());
    if (!ok) {
        json_decref(doc);
        return cm_err_set(err, CM_ENOMEM, "", "out of memory");
    }
    rc = elements_json(&items, a, elements, err);
    for (size_t i = 0; rc == CM_OK && i < team.count; i++)
        if (json_array_append_new(contacts, contact_json(&team.items[i])) != 0)
            rc = cm_err_set(err, CM_ENOMEM, "", "out of memory");
    for (size_t i = 0; rc == CM_OK && i < family.count; i++)
        if (json_array_append_new(fam, family_json(&family.items[i], a)) != 0)
            rc = cm_err_set(err, CM_ENOMEM, "", "out of memory");
    if (rc != CM_OK) {
        json_decref(doc);
        return rc;
    }
    *out = doc;
    return CM_OK;
}
