/*
 * THE route table: every route of docs/api.md as data, in the doc's order. The router matches the
 * first route whose method and pattern fit; "{id}" is one segment of decimal digits that lands in
 * req->params in order.
 */
#include "api/api_int.h"

#define API CM_HTTP_NO_STORE

/* The six routes of one element kind of the shared plan of care, by its URL segment (the `path`
 * of model/plan_kinds.c). Every kind shares the generic handlers of plan_items.c, which find the
 * kind again from the segment after "/plan/"; the router matches only literal segments and {id}. */
/* clang-format off */
#define PLAN_KIND(seg)                                                                             \
    {"GET", "/api/children/{id}/plan/" seg, cm_api_plan_items_list, API},                          \
    {"POST", "/api/children/{id}/plan/" seg, cm_api_plan_item_create, API},                        \
    {"GET", "/api/children/{id}/plan/" seg "/{id}", cm_api_plan_item_get, API},                    \
    {"PATCH", "/api/children/{id}/plan/" seg "/{id}", cm_api_plan_item_update, API},               \
    {"DELETE", "/api/children/{id}/plan/" seg "/{id}", cm_api_plan_item_remove, API},              \
    {"PUT", "/api/children/{id}/plan/" seg "/{id}/translation", cm_api_plan_item_translate, API}
/* clang-format on */

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

    /* The shared plan of care. One line per kind of model/plan_kinds.c, in plan order. */
    {"GET", "/api/plan/kinds", cm_api_plan_kinds_list, API},
    {"GET", "/api/children/{id}/plan", cm_api_plan_get, API},
    PLAN_KIND("summary"),
    PLAN_KIND("goals"),
    PLAN_KIND("concerns"),
    PLAN_KIND("actions"),
    PLAN_KIND("conditions"),
    PLAN_KIND("allergies"),
    PLAN_KIND("medications"),
    PLAN_KIND("equipment"),
    PLAN_KIND("action-plans"),
    PLAN_KIND("transitions"),
    PLAN_KIND("milestones"),
    {"GET", "/api/plan/templates", cm_api_plan_templates_list, API},
    {"POST", "/api/children/{id}/plan/action-plans/from-template", cm_api_plan_from_template, API},
    {"GET", "/api/children/{id}/plan/versions", cm_api_plan_versions_list, API},
    {"POST", "/api/children/{id}/plan/versions", cm_api_plan_version_create, API},
    {"GET", "/api/children/{id}/plan/versions/{id}", cm_api_plan_version_get, API},
    {"GET", "/api/children/{id}/plan/diff", cm_api_plan_diff, API},
    {"GET", "/api/children/{id}/plan/reviews", cm_api_plan_reviews_list, API},
    {"POST", "/api/children/{id}/plan/versions/{id}/reviews", cm_api_plan_review_create, API},
    {"GET", "/api/children/{id}/plan.pdf", cm_api_plan_pdf, API},
    {"GET", "/api/children/{id}/emergency.pdf", cm_api_plan_emergency_pdf, API},
    {"POST", "/api/readability", cm_api_readability_check, API},

    /* Finding children: identification runs (loaded by `caremap identify --load`). */
    {"GET", "/api/identify/runs", cm_api_identify_runs_list, API},
    {"GET", "/api/identify/runs/{id}", cm_api_identify_run_get, API},
    {"GET", "/api/identify/runs/{id}/candidates", cm_api_identify_candidates_list, API},
    {"POST", "/api/identify/runs/{id}/candidates/{id}/enrol", cm_api_identify_candidate_enrol, API},
    {"GET", "/api/identify/runs/{id}/compare", cm_api_identify_compare, API},
};

const struct cm_http_route *
cm_api_routes(size_t *n)
{
    *n = CM_ARRAY_LEN(routes);
    return routes;
}
