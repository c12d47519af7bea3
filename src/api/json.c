/*
 * JSON out: one serialiser per record, shaped as docs/api.md shows it. Absent values are null
 * (never left out), ids of 0 are null, times are ISO UTC. Never a password hash.
 */
#include "api/api_int.h"

#include <string.h>

json_t *
cm_api_jstr(const char *s)
{
    if (s == NULL)
        return json_null();
    json_t *j = json_string(s);
    return j != NULL ? j : json_null();
}

json_t *
cm_api_jid(int64_t id)
{
    return id != 0 ? json_integer(id) : json_null();
}

json_t *
cm_api_jtime(int64_t t)
{
    if (t == 0)
        return json_null();
    char iso[21];
    cm_time_iso(t, iso);
    return json_string(iso);
}

json_t *
cm_api_list_json(json_t *items, int64_t total, int64_t limit, int64_t offset)
{
    if (items == NULL)
        return NULL;
    json_t *o = json_object();
    if (o == NULL) {
        json_decref(items);
        return NULL;
    }
    json_object_set_new(o, "items", items);
    json_object_set_new(o, "total", json_integer(total));
    json_object_set_new(o, "limit", json_integer(limit));
    json_object_set_new(o, "offset", json_integer(offset));
    return o;
}

static void
set_meta(json_t *o, const struct cm_meta *m)
{
    json_object_set_new(o, "id", json_integer(m->id));
    json_object_set_new(o, "version", json_integer(m->version));
    json_object_set_new(o, "created_at", cm_api_jtime(m->created_at));
    json_object_set_new(o, "updated_at", cm_api_jtime(m->updated_at));
}

json_t *
cm_api_child_json(const struct cm_child *c, enum cm_access how, const char *today)
{
    json_t *o = json_object();
    if (o == NULL)
        return NULL;
    /* The name people use: the preferred name if there is one, then the family name. */
    const char *first = c->preferred_name != NULL && c->preferred_name[0] != '\0'
                            ? c->preferred_name
                            : c->given_name;
    char name[2048];
    snprintf(name, sizeof(name), "%s %s", first ? first : "", c->family_name ? c->family_name : "");
    int age = cm_model_age_years(c->birth_date, today);
    set_meta(o, &c->meta);
    json_object_set_new(o, "record_number", cm_api_jstr(c->record_number));
    json_object_set_new(o, "name", cm_api_jstr(name));
    json_object_set_new(o, "given_name", cm_api_jstr(c->given_name));
    json_object_set_new(o, "family_name", cm_api_jstr(c->family_name));
    json_object_set_new(o, "preferred_name", cm_api_jstr(c->preferred_name));
    json_object_set_new(o, "birth_date", cm_api_jstr(c->birth_date));
    json_object_set_new(o, "age", age >= 0 ? json_integer(age) : json_null());
    json_object_set_new(o, "sex", cm_api_jstr(c->sex));
    json_object_set_new(o, "preferred_language", cm_api_jstr(c->preferred_language));
    json_object_set_new(o, "enrolled_on", cm_api_jstr(c->enrolled_on));
    json_object_set_new(o, "disenrolled_on", cm_api_jstr(c->disenrolled_on));
    json_object_set_new(o, "tier", c->tier != 0 ? json_integer(c->tier) : json_null());
    json_object_set_new(o, "plan_updated_at", cm_api_jtime(c->plan_updated_at));
    if (how != CM_ACCESS_NONE)
        json_object_set_new(o, "access", cm_api_jstr(cm_access_name(how)));
    return o;
}

json_t *
cm_api_family_json(const struct cm_family_member *f)
{
    json_t *o = json_object();
    if (o == NULL)
        return NULL;
    set_meta(o, &f->meta);
    json_object_set_new(o, "child_id", json_integer(f->child_id));
    json_object_set_new(o, "given_name", cm_api_jstr(f->given_name));
    json_object_set_new(o, "family_name", cm_api_jstr(f->family_name));
    json_object_set_new(o, "relationship", cm_api_jstr(f->relationship));
    json_object_set_new(o, "is_guardian", json_boolean(f->is_guardian));
    json_object_set_new(o, "lives_with_child", json_boolean(f->lives_with_child));
    json_object_set_new(o, "phone", cm_api_jstr(f->phone));
    json_object_set_new(o, "email", cm_api_jstr(f->email));
    json_object_set_new(o, "preferred_language", cm_api_jstr(f->preferred_language));
    json_object_set_new(o, "user_id", cm_api_jid(f->user_id));
    return o;
}

json_t *
cm_api_team_json(const struct cm_team_member *t)
{
    json_t *o = json_object();
    if (o == NULL)
        return NULL;
    set_meta(o, &t->meta);
    json_object_set_new(o, "child_id", json_integer(t->child_id));
    json_object_set_new(o, "user_id", cm_api_jid(t->user_id));
    json_object_set_new(o, "name", cm_api_jstr(t->name));
    json_object_set_new(o, "role", cm_api_jstr(t->role));
    json_object_set_new(o, "service", cm_api_jstr(t->service));
    json_object_set_new(o, "sector", cm_api_jstr(cm_sector_name(t->sector)));
    json_object_set_new(o, "organization_id", cm_api_jid(t->organization_id));
    json_object_set_new(o, "organization_name", cm_api_jstr(t->organization_name));
    json_object_set_new(o, "phone", cm_api_jstr(t->phone));
    json_object_set_new(o, "email", cm_api_jstr(t->email));
    json_object_set_new(o, "start_date", cm_api_jstr(t->start_date));
    json_object_set_new(o, "end_date", cm_api_jstr(t->end_date));
    json_object_set_new(o, "lead", cm_api_jstr(cm_lead_name(t->lead)));
    return o;
}

json_t *
cm_api_user_json(const struct cm_user *u)
{
    json_t *o = json_object();
    if (o == NULL)
        return NULL;
    set_meta(o, &u->meta);
    json_object_set_new(o, "username", cm_api_jstr(u->username));
    json_object_set_new(o, "display_name", cm_api_jstr(u->display_name));
    json_object_set_new(o, "role", cm_api_jstr(cm_role_name(u->role)));
    json_object_set_new(o, "organization_id", cm_api_jid(u->organization_id));
    json_object_set_new(o, "language", cm_api_jstr(u->language));
    json_object_set_new(o, "email", cm_api_jstr(u->email));
    json_object_set_new(o, "phone", cm_api_jstr(u->phone));
    json_object_set_new(o, "disabled", json_boolean(u->disabled));
    return o;
}

json_t *
cm_api_organization_json(const struct cm_organization *org)
{
    json_t *o = json_object();
    if (o == NULL)
        return NULL;
    set_meta(o, &org->meta);
    json_object_set_new(o, "name", cm_api_jstr(org->name));
    json_object_set_new(o, "type", cm_api_jstr(cm_org_type_name(org->type)));
    json_object_set_new(o, "phone", cm_api_jstr(org->phone));
    json_object_set_new(o, "email", cm_api_jstr(org->email));
    json_object_set_new(o, "address", cm_api_jstr(org->address));
    return o;
}
