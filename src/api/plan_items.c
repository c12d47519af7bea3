/*
 * The elements of the shared plan of care, every kind through the same handlers:
 * GET /api/plan/kinds, GET|POST /api/children/{id}/plan/{kind},
 * GET|PATCH|DELETE /api/children/{id}/plan/{kind}/{item},
 * PUT /api/children/{id}/plan/{kind}/{item}/translation?lang=xx, GET /api/plan/templates and
 * POST /api/children/{id}/plan/action-plans/from-template.
 *
 * A handler finds its kind from the URL segment after "/plan/" and decodes bodies with a field
 * table built at run time from the kind's declaration (model/plan_kinds.c): a new field needs no
 * code here. Values land in an array of union cm_plan_value, field i in slot i; the slot after the
 * kind's last field takes "lang".
 */
#include "api/api_int.h"
#include "core/data.h"

#include <stddef.h>
#include <stdio.h>
#include <string.h>

/* The fields of the largest kind plus "lang". */
#define NSLOTS  (CM_PLAN_MAX_FIELDS + 1)
#define SLOT(i) ((size_t)(i) * sizeof(union cm_plan_value))
/* An enum value or an ICD-10-CM code is a short token; the model checks it against its list. */
#define TOKEN_MAX 64

static const char template_prefix[] = "templates/action_plans/";

/* ---- kinds, fields and messages -------------------------------------------------------------- */

/* The kind whose URL segment follows "/plan/" in path, or NULL. */
static const struct cm_plan_kind_desc *
kind_of_path(const char *path)
{
    const char *p = strstr(path, "/plan/");
    if (p == NULL)
        return NULL;
    p += strlen("/plan/");
    size_t n = strcspn(p, "/");
    char seg[32];
    if (n == 0 || n >= sizeof(seg))
        return NULL;
    memcpy(seg, p, n);
    seg[n] = '\0';
    return cm_plan_kind_by_path(seg);
}

static bool
kind_or_reply(struct cm_api_ctx *x, const struct cm_plan_kind_desc **out)
{
    *out = kind_of_path(x->req->path);
    if (*out != NULL)
        return true;
    /* Only a route table naming a segment the kind table does not know gets here. */
    cm_api_fail_with(x, CM_EINTERNAL, "", "route without a plan kind");
    return false;
}

/* How messages name an item of a kind: the people's words where the kind name is not enough. */
static const char *
kind_words(const struct cm_plan_kind_desc *d)
{
    switch (d->kind) {
    case CM_PK_GOAL:
        return "family goal";
    case CM_PK_CONCERN:
        return "team concern";
    case CM_PK_ACTION_PLAN:
        return "action plan";
    default:
        return d->name;
    }
}

/* One JSON field for field i of d. Required only when creating; every field that is not required
 * may be sent as null to clear it. */
static struct cm_json_field
json_field(const struct cm_plan_field *f, size_t i, bool create)
{
    struct cm_json_field o = {
        .name = f->name,
        .offset = SLOT(i),
        .required = create && f->required,
        .nullable = !f->required,
    };
    switch (f->type) {
    case CM_PF_TEXT:
    case CM_PF_STRING:
        o.type = CM_JSON_STRING;
        o.min_len = 1;
        o.max_len = f->max_len;
        break;
    case CM_PF_ENUM:
    case CM_PF_ICD10:
        o.type = CM_JSON_STRING;
        o.min_len = 1;
        o.max_len = TOKEN_MAX;
        break;
    case CM_PF_DATE:
        o.type = CM_JSON_DATE;
        break;
    case CM_PF_INT:
        o.type = CM_JSON_INT64;
        o.min = f->min;
        o.max = f->max;
        break;
    case CM_PF_REF:
        o.type = CM_JSON_INT64;
        o.min = 1;
        o.max = INT64_MAX;
        break;
    case CM_PF_BOOL:
        o.type = CM_JSON_BOOL;
        break;
    }
    return o;
}

/* The body of a create (create) or an update: every field of d, then "lang". Returns the count. */
static size_t
item_fields(const struct cm_plan_kind_desc *d, bool create, struct cm_json_field out[NSLOTS])
{
    size_t n = d->nfields < CM_PLAN_MAX_FIELDS ? d->nfields : CM_PLAN_MAX_FIELDS;
    for (size_t i = 0; i < n; i++)
        out[i] = json_field(&d->fields[i], i, create);
    out[n] = (struct cm_json_field){
        .name = "lang", .type = CM_JSON_STRING, .offset = SLOT(n), .min_len = 1, .max_len = 8};
    return n + 1;
}

/* The body of a translation: every field of d, none required, each may be null (remove it). The
 * fields that are not TEXT are in the table only so that sending one is refused as "the same in
 * every language" rather than "unknown". */
static size_t
translation_fields(const struct cm_plan_kind_desc *d, struct cm_json_field out[NSLOTS])
{
    size_t n = d->nfields < CM_PLAN_MAX_FIELDS ? d->nfields : CM_PLAN_MAX_FIELDS;
    for (size_t i = 0; i < n; i++) {
        out[i] = json_field(&d->fields[i], i, false);
        out[i].nullable = true;
    }
    return n;
}

static const char *
user_lang(const struct cm_api_ctx *x)
{
    return cm_plan_lang_ok(x->user.language) ? x->user.language : "en";
}

static bool
lang_or_reply(struct cm_api_ctx *x, const char *lang, const char *field)
{
    if (cm_plan_lang_ok(lang))
        return true;
    cm_api_fail_with(x, CM_EINVAL, field, "must be en or es");
    return false;
}

static void
item_detail(char *out, size_t size, const struct cm_plan_kind_desc *d, int64_t id)
{
    snprintf(out, size, "kind=%s item=%lld", d->name, (long long)id);
}

/* ---- reads and checks inside a transaction --------------------------------------------------- */

static bool
item_get_or_reply(struct cm_api_ctx *x, const struct cm_plan_kind_desc *d, int64_t child_id,
                  int64_t id, struct cm_plan_item *out)
{
    struct cm_err err = {0};
    enum cm_code rc = cm_store_plan_item_get(x->conn, &x->viewer, child_id, d->name, id, x->now,
                                             out, x->arena, &err);
    if (rc == CM_ENOTFOUND) {
        cm_api_fail_with(x, CM_ENOTFOUND, "", "no such %s", kind_words(d));
        return false;
    }
    if (rc != CM_OK) {
        cm_api_fail(x, &err);
        return false;
    }
    return true;
}

static bool
version_or_reply(struct cm_api_ctx *x, const struct cm_plan_item *it, int64_t version)
{
    if (it->meta.version == version)
        return true;
    cm_api_fail_with(x, CM_ESTALE, "If-Match", "the item changed since you read it (now \"%lld\")",
                     (long long)it->meta.version);
    return false;
}

/* Every REF field with bit i in check and a value must name a live item of its kind of this
 * child: a plan never points at nothing (docs/plan.md). */
static bool
refs_or_reply(struct cm_api_ctx *x, const struct cm_plan_kind_desc *d, int64_t child_id,
              const union cm_plan_value *v, uint64_t check)
{
    for (size_t i = 0; i < d->nfields && i < 64; i++) {
        const struct cm_plan_field *f = &d->fields[i];
        if (f->type != CM_PF_REF || !CM_API_HAS(check, i) || v[i].i == 0)
            continue;
        const struct cm_plan_kind_desc *rd = cm_plan_kind(f->ref);
        struct cm_plan_item target;
        struct cm_err err = {0};
        enum cm_code rc = cm_store_plan_item_get(x->conn, &x->viewer, child_id, rd->name, v[i].i,
                                                 x->now, &target, x->arena, &err);
        if (rc == CM_ENOTFOUND) {
            cm_api_fail_with(x, CM_EINVAL, f->name, "no such %s in this child's plan",
                             kind_words(rd));
            return false;
        }
        if (rc != CM_OK) {
            cm_api_fail(x, &err);
            return false;
        }
    }
    return true;
}

/* A child has at most max_items live items of a kind (one summary). */
static bool
room_or_reply(struct cm_api_ctx *x, const struct cm_plan_kind_desc *d, int64_t child_id)
{
    int64_t count = 0;
    struct cm_err err = {0};
    if (cm_store_plan_item_count(x->conn, child_id, d->name, &count, &err) != CM_OK) {
        cm_api_fail(x, &err);
        return false;
    }
    if (count < d->max_items)
        return true;
    if (d->max_items == 1)
        cm_api_fail_with(x, CM_ECONFLICT, "", "this child already has a %s: change that one",
                         kind_words(d));
    else
        cm_api_fail_with(x, CM_ECONFLICT, "", "a plan holds at most %d of kind %s", d->max_items,
                         d->name);
    return false;
}

/* An item a live item links to cannot be removed (a goal by an action, a transition by a
 * milestone): 409 naming the linking field. The kinds are few and a plan holds a few hundred
 * items at most, so the links are found by reading the linking kinds' bodies. */
static bool
unlinked_or_reply(struct cm_api_ctx *x, const struct cm_plan_kind_desc *d, int64_t child_id,
                  int64_t id)
{
    size_t nk;
    const struct cm_plan_kind_desc *kinds = cm_plan_kinds(&nk);
    for (size_t k = 0; k < nk; k++) {
        const struct cm_plan_kind_desc *lk = &kinds[k];
        for (size_t j = 0; j < lk->nfields; j++) {
            const struct cm_plan_field *f = &lk->fields[j];
            if (f->type != CM_PF_REF || f->ref != d->kind)
                continue;
            struct cm_plan_item_list list;
            struct cm_err err = {0};
            if (cm_store_plan_item_list(x->conn, &x->viewer, child_id, lk->name, x->now, &list,
                                        x->arena, &err) != CM_OK) {
                cm_api_fail(x, &err);
                return false;
            }
            for (size_t i = 0; i < list.count; i++) {
                union cm_plan_value v[NSLOTS];
                if (cm_plan_body_decode(lk, list.items[i].body, v, x->arena, &err) != CM_OK) {
                    cm_api_fail(x, &err);
                    return false;
                }
                if (v[j].i == id) {
                    cm_api_fail_with(x, CM_ECONFLICT, f->name,
                                     "%s %lld links to this %s: change its %s or remove it first",
                                     kind_words(lk), (long long)list.items[i].meta.id,
                                     kind_words(d), f->name);
                    return false;
                }
            }
        }
    }
    return true;
}

/* True when the translations object names lang. */
static bool
has_translation(struct cm_api_ctx *x, const char *translations, const char *lang)
{
    json_t *t = translations != NULL ? cm_api_json_load_kept(x, translations) : NULL;
    return t != NULL && json_object_get(t, lang) != NULL;
}

/* ---- replies --------------------------------------------------------------------------------- */

static void
reply_item(struct cm_api_ctx *x, int status, const struct cm_plan_kind_desc *d,
           const struct cm_plan_item *it)
{
    json_t *j = cm_plan_item_json(d, it);
    if (j == NULL) {
        cm_api_fail_with(x, CM_EINTERNAL, "", "a stored plan item is not a JSON object");
        return;
    }
    cm_api_etag(x, it->meta.version);
    cm_api_reply(x, status, j);
}

/* Appends the write's event in its transaction and commits. */
static bool
audit_ok(struct cm_api_ctx *x, const char *action, int64_t child_id, enum cm_access how,
         const char *detail)
{
    struct cm_audit_event ev;
    cm_api_child_event(x, action, child_id, how, detail, &ev);
    return cm_api_tx_commit_or_reply(x, &ev);
}

/* Creates the item of kind d with the validated values v in one write transaction with its audit
 * event, and replies 201. translations may be NULL (none). */
static void
create_item(struct cm_api_ctx *x, const struct cm_plan_kind_desc *d, int64_t child_id,
            enum cm_access how, const union cm_plan_value *v, const char *lang,
            const char *translations)
{
    if (!cm_api_tx_begin_or_reply(x) || !refs_or_reply(x, d, child_id, v, UINT64_MAX) ||
        !room_or_reply(x, d, child_id))
        return;
    struct cm_err err = {0};
    const char *body = NULL;
    if (cm_plan_body_encode(d, v, x->arena, &body, &err) != CM_OK) {
        cm_api_fail(x, &err);
        return;
    }
    struct cm_plan_item it = {
        .child_id = child_id,
        .kind = d->name,
        .lang = lang,
        .body = body,
        .translations = translations,
    };
    if (cm_store_plan_item_create(x->conn, &x->viewer, x->now, &it, &err) != CM_OK) {
        cm_api_fail(x, &err);
        return;
    }
    int64_t id = it.meta.id;
    if (!item_get_or_reply(x, d, child_id, id, &it))
        return;
    char detail[64];
    item_detail(detail, sizeof(detail), d, id);
    if (!audit_ok(x, "plan.create", child_id, how, detail))
        return;
    cm_api_location(x, "/api/children/%lld/plan/%s/%lld", (long long)child_id, d->path,
                    (long long)id);
    reply_item(x, 201, d, &it);
}

/* ---- GET /api/plan/kinds --------------------------------------------------------------------- */

static const char *const ftype_names[] = {
    [CM_PF_TEXT] = "text", [CM_PF_STRING] = "string", [CM_PF_ENUM] = "enum",
    [CM_PF_DATE] = "date", [CM_PF_INT] = "int",       [CM_PF_BOOL] = "bool",
    [CM_PF_REF] = "ref",   [CM_PF_ICD10] = "icd10",
};

static json_t *
field_json(const struct cm_plan_field *f)
{
    json_t *o = json_object();
    if (o == NULL)
        return NULL;
    json_object_set_new(o, "name", json_string(f->name));
    json_object_set_new(o, "type", json_string(ftype_names[f->type]));
    json_object_set_new(o, "required", json_boolean(f->required));
    if (f->type == CM_PF_TEXT || f->type == CM_PF_STRING)
        json_object_set_new(o, "max_len", json_integer((json_int_t)f->max_len));
    if (f->type == CM_PF_ENUM) {
        json_t *values = json_array();
        for (size_t i = 0; values != NULL && f->values[i] != NULL; i++)
            json_array_append_new(values, json_string(f->values[i]));
        json_object_set_new(o, "values", values != NULL ? values : json_null());
    }
    if (f->type == CM_PF_INT) {
        json_object_set_new(o, "min", json_integer(f->min));
        json_object_set_new(o, "max", json_integer(f->max));
    }
    if (f->type == CM_PF_REF)
        json_object_set_new(o, "ref", json_string(cm_plan_kind(f->ref)->name));
    json_object_set_new(o, "emergency", json_boolean(f->emergency));
    return o;
}

static json_t *
kind_json(const struct cm_plan_kind_desc *d)
{
    json_t *o = json_object();
    json_t *fields = json_array();
    if (o == NULL || fields == NULL) {
        json_decref(o);
        json_decref(fields);
        return NULL;
    }
    for (size_t i = 0; i < d->nfields; i++)
        json_array_append_new(fields, field_json(&d->fields[i]));
    json_object_set_new(o, "kind", json_string(d->name));
    json_object_set_new(o, "path", json_string(d->path));
    json_object_set_new(o, "max_items", json_integer(d->max_items));
    json_object_set_new(o, "title_field", json_string(d->fields[d->title_field].name));
    json_object_set_new(o, "fields", fields);
    return o;
}

void
cm_api_plan_kinds_list(struct cm_http_request *req, struct cm_http_response *res)
{
    struct cm_api_ctx x;
    if (!cm_api_start(req, res, 0, NULL, &x))
        return;
    /* The declaration holds no child's data: nothing to read, nothing to audit. */
    cm_api_tx_abort(&x);
    size_t n;
    const struct cm_plan_kind_desc *kinds = cm_plan_kinds(&n);
    json_t *items = json_array();
    for (size_t i = 0; items != NULL && i < n; i++)
        json_array_append_new(items, kind_json(&kinds[i]));
    cm_api_reply(&x, 200, cm_api_list_json(items, (int64_t)n, (int64_t)n, 0));
}

/* ---- items ----------------------------------------------------------------------------------- */

void
cm_api_plan_items_list(struct cm_http_request *req, struct cm_http_response *res)
{
    struct cm_api_ctx x;
    const struct cm_plan_kind_desc *d;
    if (!cm_api_start(req, res, 0, NULL, &x) || !kind_or_reply(&x, &d))
        return;
    int64_t child_id = req->params[0];
    enum cm_access how;
    if (!cm_api_child_or_reply(&x, child_id, "plan.read", false, &how))
        return;
    struct cm_plan_item_list list;
    struct cm_err err = {0};
    if (cm_store_plan_item_list(x.conn, &x.viewer, child_id, d->name, x.now, &list, x.arena,
                                &err) != CM_OK) {
        cm_api_fail(&x, &err);
        return;
    }
    json_t *items = json_array();
    for (size_t i = 0; items != NULL && i < list.count; i++) {
        json_t *j = cm_plan_item_json(d, &list.items[i]);
        if (j == NULL) {
            json_decref(items);
            cm_api_fail_with(&x, CM_EINTERNAL, "", "a stored plan item is not a JSON object");
            return;
        }
        json_array_append_new(items, j);
    }
    cm_api_reply(&x, 200, cm_api_list_json(items, (int64_t)list.count, (int64_t)list.count, 0));
    char detail[48];
    snprintf(detail, sizeof(detail), "kind=%s", d->name);
    cm_api_audit_read(&x, "plan.read", child_id, how, detail);
}

void
cm_api_plan_item_get(struct cm_http_request *req, struct cm_http_response *res)
{
    struct cm_api_ctx x;
    const struct cm_plan_kind_desc *d;
    if (!cm_api_start(req, res, 0, NULL, &x) || !kind_or_reply(&x, &d))
        return;
    int64_t child_id = req->params[0];
    int64_t id = req->params[1];
    enum cm_access how;
    struct cm_plan_item it;
    if (!cm_api_child_or_reply(&x, child_id, "plan.read", false, &how) ||
        !item_get_or_reply(&x, d, child_id, id, &it))
        return;
    reply_item(&x, 200, d, &it);
    char detail[64];
    item_detail(detail, sizeof(detail), d, id);
    cm_api_audit_read(&x, "plan.read", child_id, how, detail);
}

void
cm_api_plan_item_create(struct cm_http_request *req, struct cm_http_response *res)
{
    struct cm_api_ctx x;
    const struct cm_plan_kind_desc *d;
    if (!cm_api_start(req, res, 0, NULL, &x) || !kind_or_reply(&x, &d))
        return;
    int64_t child_id = req->params[0];
    enum cm_access how;
    if (!cm_api_child_or_reply(&x, child_id, "plan.create", true, &how))
        return;
    struct cm_json_field fields[NSLOTS];
    size_t n = item_fields(d, true, fields);
    union cm_plan_value v[NSLOTS];
    memset(v, 0, sizeof(v));
    uint64_t present;
    if (!cm_api_decode_or_reply(&x, fields, n, v, &present, false))
        return;
    const char *lang = CM_API_HAS(present, n - 1) ? v[n - 1].s : user_lang(&x);
    if (!lang_or_reply(&x, lang, "lang"))
        return;
    struct cm_err err = {0};
    if (cm_model_plan_item_validate(d, v, x.arena, &err) != CM_OK) {
        cm_api_fail(&x, &err);
        return;
    }
    create_item(&x, d, child_id, how, v, lang, NULL);
}

void
cm_api_plan_item_update(struct cm_http_request *req, struct cm_http_response *res)
{
    struct cm_api_ctx x;
    const struct cm_plan_kind_desc *d;
    if (!cm_api_start(req, res, 0, NULL, &x) || !kind_or_reply(&x, &d))
        return;
    int64_t child_id = req->params[0];
    int64_t id = req->params[1];
    enum cm_access how;
    int64_t version;
    if (!cm_api_child_or_reply(&x, child_id, "plan.update", true, &how) ||
        !cm_api_if_match_or_reply(&x, &version))
        return;
    struct cm_json_field fields[NSLOTS];
    size_t n = item_fields(d, false, fields);
    union cm_plan_value in[NSLOTS];
    memset(in, 0, sizeof(in));
    uint64_t present;
    if (!cm_api_decode_or_reply(&x, fields, n, in, &present, false))
        return;
    const char *lang = CM_API_HAS(present, n - 1) ? in[n - 1].s : NULL;
    if (lang != NULL && !lang_or_reply(&x, lang, "lang"))
        return;

    struct cm_plan_item it;
    if (!cm_api_tx_begin_or_reply(&x) || !item_get_or_reply(&x, d, child_id, id, &it) ||
        !version_or_reply(&x, &it, version))
        return;
    union cm_plan_value v[NSLOTS];
    struct cm_err err = {0};
    if (cm_plan_body_decode(d, it.body, v, x.arena, &err) != CM_OK) {
        cm_api_fail(&x, &err);
        return;
    }
    for (size_t i = 0; i < d->nfields; i++) {
        if (CM_API_HAS(present, i))
            v[i] = in[i];
    }
    if (cm_model_plan_item_validate(d, v, x.arena, &err) != CM_OK) {
        cm_api_fail(&x, &err);
        return;
    }
    if (!refs_or_reply(&x, d, child_id, v, present))
        return;
    if (lang != NULL && strcmp(lang, it.lang) != 0 && has_translation(&x, it.translations, lang)) {
        /* The item would carry a translation into its own language, which no reader sees. */
        cm_api_fail_with(&x, CM_EINVAL, "lang",
                         "the item has a translation into %s: remove it first "
                         "(PUT .../translation?lang=%s with null fields)",
                         lang, lang);
        return;
    }
    const char *body = NULL;
    if (cm_plan_body_encode(d, v, x.arena, &body, &err) != CM_OK) {
        cm_api_fail(&x, &err);
        return;
    }
    it.body = body;
    if (lang != NULL)
        it.lang = lang;
    it.meta.version = version;
    if (cm_store_plan_item_update(x.conn, &x.viewer, x.now, &it, &err) != CM_OK) {
        cm_api_fail(&x, &err);
        return;
    }
    if (!item_get_or_reply(&x, d, child_id, id, &it))
        return;
    char detail[64];
    item_detail(detail, sizeof(detail), d, id);
    if (!audit_ok(&x, "plan.update", child_id, how, detail))
        return;
    reply_item(&x, 200, d, &it);
}

void
cm_api_plan_item_remove(struct cm_http_request *req, struct cm_http_response *res)
{
    struct cm_api_ctx x;
    const struct cm_plan_kind_desc *d;
    if (!cm_api_start(req, res, 0, NULL, &x) || !kind_or_reply(&x, &d))
        return;
    int64_t child_id = req->params[0];
    int64_t id = req->params[1];
    enum cm_access how;
    int64_t version;
    if (!cm_api_child_or_reply(&x, child_id, "plan.remove", true, &how) ||
        !cm_api_if_match_or_reply(&x, &version))
        return;
    struct cm_plan_item it;
    if (!cm_api_tx_begin_or_reply(&x) || !item_get_or_reply(&x, d, child_id, id, &it) ||
        !version_or_reply(&x, &it, version) || !unlinked_or_reply(&x, d, child_id, id))
        return;
    struct cm_err err = {0};
    if (cm_store_plan_item_remove(x.conn, &x.viewer, child_id, id, version, x.now, &err) != CM_OK) {
        cm_api_fail(&x, &err);
        return;
    }
    char detail[64];
    item_detail(detail, sizeof(detail), d, id);
    if (!audit_ok(&x, "plan.remove", child_id, how, detail))
        return;
    cm_http_reply_empty(res, 204);
}

static const char *const translation_query[] = {"lang", NULL};

void
cm_api_plan_item_translate(struct cm_http_request *req, struct cm_http_response *res)
{
    struct cm_api_ctx x;
    const struct cm_plan_kind_desc *d;
    if (!cm_api_start(req, res, 0, translation_query, &x) || !kind_or_reply(&x, &d))
        return;
    int64_t child_id = req->params[0];
    int64_t id = req->params[1];
    const char *lang = cm_http_query(req, "lang");
    if (lang == NULL) {
        cm_api_fail_with(&x, CM_EINVAL, "lang", "is required: ?lang=en or ?lang=es");
        return;
    }
    if (!lang_or_reply(&x, lang, "lang"))
        return;
    enum cm_access how;
    int64_t version;
    if (!cm_api_child_or_reply(&x, child_id, "plan.translate", true, &how) ||
        !cm_api_if_match_or_reply(&x, &version))
        return;
    struct cm_json_field fields[NSLOTS];
    size_t n = translation_fields(d, fields);
    union cm_plan_value v[NSLOTS];
    memset(v, 0, sizeof(v));
    uint64_t present;
    if (!cm_api_decode_or_reply(&x, fields, n, v, &present, false))
        return;
    for (size_t i = 0; i < n; i++) {
        if (CM_API_HAS(present, i) && d->fields[i].type != CM_PF_TEXT) {
            cm_api_fail_with(&x, CM_EINVAL, d->fields[i].name,
                             "is the same in every language: change it on the item itself");
            return;
        }
    }

    struct cm_plan_item it;
    if (!cm_api_tx_begin_or_reply(&x) || !item_get_or_reply(&x, d, child_id, id, &it) ||
        !version_or_reply(&x, &it, version))
        return;
    if (strcmp(lang, it.lang) == 0) {
        cm_api_fail_with(&x, CM_EINVAL, "lang",
                         "is the item's own language (%s): change the text itself", it.lang);
        return;
    }
    struct cm_err err = {0};
    const char *translations = NULL;
    if (cm_plan_translation_apply(d, it.translations, lang, v, present, x.arena, &translations,
                                  &err) != CM_OK) {
        cm_api_fail(&x, &err);
        return;
    }
    it.translations = translations;
    it.meta.version = version;
    if (cm_store_plan_item_update(x.conn, &x.viewer, x.now, &it, &err) != CM_OK) {
        cm_api_fail(&x, &err);
        return;
    }
    if (!item_get_or_reply(&x, d, child_id, id, &it))
        return;
    char detail[80];
    snprintf(detail, sizeof(detail), "kind=%s item=%lld lang=%s", d->name, (long long)id, lang);
    if (!audit_ok(&x, "plan.translate", child_id, how, detail))
        return;
    reply_item(&x, 200, d, &it);
}

/* ---- starter action plans -------------------------------------------------------------------- */

/* The parsed template with id, or NULL when there is none. Ids are file names of
 * data/templates/action_plans: lower-case letters, digits and '_' only, so nothing else can be
 * looked up through them. */
static json_t *
template_load(struct cm_api_ctx *x, const char *id)
{
    size_t n = strlen(id);
    if (n == 0 || n > TOKEN_MAX || strspn(id, "abcdefghijklmnopqrstuvwxyz0123456789_") != n)
        return NULL;
    char name[128];
    snprintf(name, sizeof(name), "%s%s.json", template_prefix, id);
    const struct cm_data_file *f = cm_data_find(name);
    if (f == NULL)
        return NULL;
    return cm_api_json_keep(x, json_loadb(f->data, f->len, JSON_REJECT_DUPLICATES, NULL));
}

void
cm_api_plan_templates_list(struct cm_http_request *req, struct cm_http_response *res)
{
    struct cm_api_ctx x;
    if (!cm_api_start(req, res, 0, NULL, &x))
        return;
    /* Templates are program data, not a child's: nothing to audit. */
    cm_api_tx_abort(&x);
    size_t n;
    const struct cm_data_file *files = cm_data_files(&n);
    json_t *items = json_array();
    size_t count = 0;
    for (size_t i = 0; items != NULL && i < n; i++) {
        if (strncmp(files[i].name, template_prefix, strlen(template_prefix)) != 0)
            continue;
        json_t *t = json_loadb(files[i].data, files[i].len, JSON_REJECT_DUPLICATES, NULL);
        if (!json_is_object(t)) {
            json_decref(t);
            json_decref(items);
            cm_api_fail_with(&x, CM_EINTERNAL, "", "an embedded template is not a JSON object");
            return;
        }
        json_array_append_new(items, t);
        count++;
    }
    cm_api_reply(&x, 200, cm_api_list_json(items, (int64_t)count, (int64_t)count, 0));
}

/* The text of a template's field in lang: a string of {"en", "es"}, or for a list of those (the
 * steps) every one of them, one per line. NULL when the template has none. */
static const char *
template_text(struct cm_api_ctx *x, const json_t *t, const char *field, const char *lang)
{
    const json_t *v = json_object_get(t, field);
    if (json_is_object(v))
        return json_string_value(json_object_get(v, lang));
    if (!json_is_array(v))
        return NULL;
    struct cm_buf b;
    cm_buf_init(&b, x->arena, 64 * 1024);
    size_t i;
    const json_t *step;
    json_array_foreach(v, i, step)
    {
        const char *s = json_string_value(json_object_get(step, lang));
        if (s == NULL || (i > 0 && cm_buf_puts(&b, "\n") != CM_OK) || cm_buf_puts(&b, s) != CM_OK)
            return NULL;
    }
    return b.data;
}

struct template_in {
    const char *template;
};

static const struct cm_json_field template_fields[] = {
    {"template", CM_JSON_STRING, offsetof(struct template_in, template), true, false, 1, TOKEN_MAX,
     0, 0},
};

void
cm_api_plan_from_template(struct cm_http_request *req, struct cm_http_response *res)
{
    struct cm_api_ctx x;
    if (!cm_api_start(req, res, 0, NULL, &x))
        return;
    const struct cm_plan_kind_desc *d = cm_plan_kind(CM_PK_ACTION_PLAN);
    int64_t child_id = req->params[0];
    enum cm_access how;
    if (!cm_api_child_or_reply(&x, child_id, "plan.create", true, &how))
        return;
    struct template_in in = {0};
    uint64_t present;
    if (!cm_api_decode_or_reply(&x, template_fields, CM_ARRAY_LEN(template_fields), &in, &present,
                                false))
        return;
    json_t *t = template_load(&x, in.template);
    if (!json_is_object(t)) {
        cm_api_fail_with(&x, CM_EINVAL, "template",
                         "no such template (GET /api/plan/templates lists them)");
        return;
    }
    /* English is the item's language; the template's Spanish, written by people, is its Spanish
     * translation. */
    union cm_plan_value v[NSLOTS], es[NSLOTS];
    memset(v, 0, sizeof(v));
    memset(es, 0, sizeof(es));
    uint64_t es_present = 0;
    for (size_t i = 0; i < d->nfields; i++) {
        const struct cm_plan_field *f = &d->fields[i];
        if (f->type != CM_PF_TEXT)
            continue;
        v[i].s = template_text(&x, t, f->name, "en");
        es[i].s = template_text(&x, t, f->name, "es");
        if (es[i].s != NULL)
            es_present |= UINT64_C(1) << i;
    }
    int ti = cm_plan_field_index(d, "template");
    if (ti >= 0)
        v[ti].s = in.template;
    struct cm_err err = {0};
    const char *translations = NULL;
    if (cm_model_plan_item_validate(d, v, x.arena, &err) != CM_OK ||
        cm_plan_translation_apply(d, "{}", "es", es, es_present, x.arena, &translations, &err) !=
            CM_OK) {
        /* The templates are ours: one that does not fit the declaration is a bug. */
        cm_log_error("msg=\"template does not fit the action plan\" field=%s", err.field);
        cm_api_fail_with(&x, CM_EINTERNAL, "", "template does not fit");
        return;
    }
    create_item(&x, d, child_id, how, v, "en", translations);
}
