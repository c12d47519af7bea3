/*
 * THE route table: every route of docs/api.md as data, in the doc's order. The router matches the
 * first route whose method and pattern fit; "{id}" is one segment of decimal digits that lands in
 * req->params in order.
 */
#include "api/api_int.h"

#define API CM_HTTP_NO_STORE

static const struct cm_http_route routes[] = {
    /* Health checks are answered fresh every time as well. */
    {"GET", "/healthz", cm_api_health_get, API},

    {"POST", "/api/session", cm_api_session_create, API},
    {"DELETE", "/api/session", cm_api_session_delete, API},
    {"GET", "/api/me", cm_api_me_get, API},
    {"PATCH", "/api/me", cm_api_me_update, API},

    {"GET", "/api/children", cm_api_children_list, API},
    {"POST", "/api/children", cm_api_child_create, API},
    {"GET", "/api/children/{id}", cm_api_child_get, API},
    {"PATCH", "/api/children/{id}", cm_api_child_update, API},

    {"GET", "/api/children/{id}/family", cm_api_family_list, API},
    {"POST", "/api/children/{id}/family", cm_api_family_create, API},
    {"GET", "/api/children/{id}/family/{id}", cm_api_family_get, API},
    {"PATCH", "/api/children/{id}/family/{id}", cm_api_family_update, API},

    {"GET", "/api/children/{id}/team", cm_api_team_list, API},
    {"POST", "/api/children/{id}/team", cm_api_team_create, API},
    {"GET", "/api/children/{id}/team/{id}", cm_api_team_get, API},
    {"PATCH", "/api/children/{id}/team/{id}", cm_api_team_update, API},
    {"POST", "/api/children/{id}/team/{id}/end", cm_api_team_end, API},
    {"PUT", "/api/children/{id}/lead", cm_api_team_lead_set, API},

    {"GET", "/api/children/{id}/access", cm_api_access_history_list, API},
    {"POST", "/api/children/{id}/break-glass", cm_api_break_glass_create, API},
    {"GET", "/api/break-glass", cm_api_break_glass_list, API},

    {"GET", "/api/organizations", cm_api_organizations_list, API},
    {"POST", "/api/organizations", cm_api_organization_create, API},
    {"GET", "/api/organizations/{id}", cm_api_organization_get, API},
    {"PATCH", "/api/organizations/{id}", cm_api_organization_update, API},

    {"GET", "/api/users", cm_api_users_list, API},
    {"POST", "/api/users", cm_api_user_create, API},
    {"GET", "/api/users/{id}", cm_api_user_get, API},
    {"PATCH", "/api/users/{id}", cm_api_user_update, API},
    {"POST", "/api/users/{id}/password", cm_api_user_password_set, API},
};

const struct cm_http_route *
cm_api_routes(size_t *n)
{
    *n = CM_ARRAY_LEN(routes);
    return routes;
}
