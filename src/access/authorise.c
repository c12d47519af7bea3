/*
 * Authorisation decisions (docs/api.md "Who may do what"). Whether a viewer reaches a child is
 * decided in the store's SQL; here we turn that into the codes routes answer with, and decide what
 * a viewer may do with a child it reaches.
 */
#include "access/access.h"

/* A team list of a child is small (tens of members); this bounds a pathological one. */
#define TEAM_ARENA_MAX (4 * 1024 * 1024)

enum cm_code
cm_access_child(struct cm_conn *c, const struct cm_viewer *v, int64_t child_id, int64_t now,
                enum cm_access *out, struct cm_err *err)
{
    enum cm_access how = CM_ACCESS_NONE;
    enum cm_code rc = cm_store_child_access(c, v, child_id, now, &how, err);
    if (rc != CM_OK)
        return rc;
    *out = how;
    /* The same answer as for a child that does not exist: a route must not reveal that a child it
     * may not see is there. */
    if (how == CM_ACCESS_NONE)
        return cm_err_set(err, CM_ENOTFOUND, "", "no such child");
    return CM_OK;
}

bool
cm_access_may_write_child(const struct cm_viewer *v, enum cm_access how)
{
    if (v == NULL || !cm_role_is_staff(v->role) || v->role == CM_ROLE_ANALYST)
        return false;
    switch (how) {
    case CM_ACCESS_TEAM:
    case CM_ACCESS_PROGRAM_WIDE:
    case CM_ACCESS_BREAK_GLASS:
        return true;
    case CM_ACCESS_NONE:
    case CM_ACCESS_FAMILY:
        return false;
    }
    return false;
}

bool
cm_access_may_create_child(const struct cm_viewer *v)
{
    return v != NULL && cm_role_is_staff(v->role) && v->role != CM_ROLE_ANALYST;
}

enum cm_code
cm_access_may_read_history(struct cm_conn *c, const struct cm_viewer *v, int64_t child_id,
                           int64_t now, bool *out, struct cm_err *err)
{
    *out = false;
    if (v == NULL || !cm_role_is_staff(v->role))
        return CM_OK;

    if (v->role == CM_ROLE_ADMINISTRATOR || v->role == CM_ROLE_PROGRAM_MANAGER) {
        /* By role, but only inside their own program: the store says whether they reach it. */
        enum cm_access how = CM_ACCESS_NONE;
        enum cm_code rc = cm_store_child_access(c, v, child_id, now, &how, err);
        if (rc != CM_OK)
            return rc;
        *out = how != CM_ACCESS_NONE;
        return CM_OK;
    }

    struct cm_arena *a = cm_arena_new(TEAM_ARENA_MAX);
    if (a == NULL)
        return cm_err_set(err, CM_ENOMEM, "", "out of memory");
    struct cm_team_list team = {0};
    struct cm_err e = {0};
    enum cm_code rc = cm_store_team_list(c, v, child_id, false, now, &team, a, &e);
    if (rc == CM_OK) {
        for (size_t i = 0; i < team.count; i++) {
            const struct cm_team_member *m = &team.items[i];
            if (m->user_id == v->user_id &&
                (m->lead == CM_LEAD_LEAD || m->lead == CM_LEAD_BACKUP)) {
                *out = true;
                break;
            }
        }
    } else if (rc == CM_ENOTFOUND) {
        rc = CM_OK; /* a child the viewer does not reach: no history either */
    } else {
        cm_err_set(err, rc, e.field, "%s", e.msg);
    }
    cm_arena_free(a);
    return rc;
}

const char *
cm_access_name(enum cm_access a)
{
    switch (a) {
    case CM_ACCESS_TEAM:
        return "team";
    case CM_ACCESS_PROGRAM_WIDE:
        return "program_wide";
    case CM_ACCESS_FAMILY:
        return "family";
    case CM_ACCESS_BREAK_GLASS:
        return "break_glass";
    case CM_ACCESS_NONE:
        return "none";
    }
    return "none";
}
