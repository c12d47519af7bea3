/*
 * Unit tests for the api module's pure helpers: the error table, the strict parsers (ids,
 * numbers, flags, If-Match, Content-Type, bearer tokens), PATCH field application, and the route
 * table itself (every route reachable, flagged no-store, no duplicates); then a few handlers
 * called directly on a real SQLite database (a request built without a connection carries no
 * headers, cookies or query). The HTTP contract is tested end to end by tests/api/ against a real
 * server.
 */
#include "api/api_int.h"

#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>

#include <cmocka.h>

/* ---- the error table ------------------------------------------------------------------------- */

static void
test_error_table_maps_each_code_to_its_documented_status(void **state)
{
    CM_UNUSED(state);
    static const struct {
        enum cm_code code;
        int status;
        const char *name;
    } want[] = {
        {CM_EINVAL, 400, "invalid"},       {CM_EUNAUTH, 401, "unauthenticated"},
        {CM_EFORBIDDEN, 403, "forbidden"}, {CM_ENOTFOUND, 404, "not_found"},
        {CM_ECONFLICT, 409, "conflict"},   {CM_ESTALE, 412, "stale"},
        {CM_ETOOBIG, 413, "too_big"},      {CM_ETHROTTLE, 429, "throttled"},
        {CM_EDB, 500, "internal"},         {CM_EINTERNAL, 500, "internal"},
        {CM_ENOMEM, 500, "internal"},      {CM_EIO, 500, "internal"},
        {CM_OK, 500, "internal"},
    };
    for (size_t i = 0; i < CM_ARRAY_LEN(want); i++) {
        const char *name = NULL;
        assert_int_equal(cm_api_status_of(want[i].code, &name), want[i].status);
        assert_string_equal(name, want[i].name);
    }
}

static void
test_error_message_is_prefixed_with_the_field_once(void **state)
{
    CM_UNUSED(state);
    char out[400];
    struct cm_err err = {0};
    assert_int_equal(cm_err_set(&err, CM_EINVAL, "birth_date", "must be a date YYYY-MM-DD"),
                     CM_EINVAL);
    cm_api_error_message(&err, out, sizeof(out));
    assert_string_equal(out, "birth_date: must be a date YYYY-MM-DD");

    cm_err_clear(&err);
    assert_int_equal(cm_err_set(&err, CM_EINVAL, "tier", "tier: must be 1 to 3"), CM_EINVAL);
    cm_api_error_message(&err, out, sizeof(out));
    assert_string_equal(out, "tier: must be 1 to 3");

    cm_err_clear(&err);
    assert_int_equal(cm_err_set(&err, CM_ENOTFOUND, "", "no such child"), CM_ENOTFOUND);
    cm_api_error_message(&err, out, sizeof(out));
    assert_string_equal(out, "no such child");
}

static void
test_error_message_without_text_falls_back_to_the_code_name(void **state)
{
    CM_UNUSED(state);
    char out[400];
    struct cm_err err = {.code = CM_ECONFLICT};
    cm_api_error_message(&err, out, sizeof(out));
    assert_string_equal(out, "conflict");
}

/* ---- parsers --------------------------------------------------------------------------------- */

static void
test_if_match_accepts_a_quoted_version_and_a_weak_one(void **state)
{
    CM_UNUSED(state);
    int64_t v = 0;
    struct cm_err err = {0};
    assert_int_equal(cm_api_if_match_parse("\"3\"", &v, &err), CM_OK);
    assert_int_equal(v, 3);
    assert_int_equal(cm_api_if_match_parse("W/\"12\"", &v, &err), CM_OK);
    assert_int_equal(v, 12);
    assert_int_equal(cm_api_if_match_parse("  \"7\"  ", &v, &err), CM_OK);
    assert_int_equal(v, 7);
    assert_int_equal(cm_api_if_match_parse("\"999999999999999999\"", &v, &err), CM_OK);
    assert_int_equal(v, INT64_C(999999999999999999));
}

static void
test_if_match_refuses_anything_but_one_quoted_positive_version(void **state)
{
    CM_UNUSED(state);
    static const char *const bad[] = {
        "3",        "\"\"",         "\"0\"",   "\"-1\"",  "\"3", "3\"",
        "\"3\"x",   "\"3\", \"4\"", "*",       "w/\"3\"", "W/3", "\"+3\"",
        "\" 3\"",   "\"3 \"",       "\"1e3\"", "",        "W/",  "\"1234567890123456789\"",
        "\"0x10\"", "\"3\"\"4\"",
    };
    for (size_t i = 0; i < CM_ARRAY_LEN(bad); i++) {
        int64_t v = 42;
        struct cm_err err = {0};
        assert_int_equal(cm_api_if_match_parse(bad[i], &v, &err), CM_EINVAL);
        assert_string_equal(err.field, "If-Match");
        assert_int_equal(v, 42);
    }
    struct cm_err err = {0};
    int64_t v;
    assert_int_equal(cm_api_if_match_parse(NULL, &v, &err), CM_EINVAL);
}

static void
test_id_parse_takes_digits_only(void **state)
{
    CM_UNUSED(state);
    int64_t v = 0;
    struct cm_err err = {0};
    assert_int_equal(cm_api_id_parse("41", &v, "lead", &err), CM_OK);
    assert_int_equal(v, 41);
    static const char *const bad[] = {
        "", "0", "-1", "+1", " 1", "1 ", "1x", "0x1", "1.0", "1234567890123456789", "٣"};
    for (size_t i = 0; i < CM_ARRAY_LEN(bad); i++) {
        cm_err_clear(&err);
        assert_int_equal(cm_api_id_parse(bad[i], &v, "lead", &err), CM_EINVAL);
        assert_string_equal(err.field, "lead");
    }
}

static void
test_int_parse_enforces_its_range(void **state)
{
    CM_UNUSED(state);
    int64_t v = 0;
    struct cm_err err = {0};
    assert_int_equal(cm_api_int_parse("1", 1, 200, &v, "limit", &err), CM_OK);
    assert_int_equal(v, 1);
    assert_int_equal(cm_api_int_parse("200", 1, 200, &v, "limit", &err), CM_OK);
    assert_int_equal(v, 200);
    assert_int_equal(cm_api_int_parse("0", 0, 10, &v, "offset", &err), CM_OK);
    assert_int_equal(v, 0);
    static const char *const bad[] = {"0", "201", "-5", "", "5a", "1e2", "99999999999999999999"};
    for (size_t i = 0; i < CM_ARRAY_LEN(bad); i++) {
        cm_err_clear(&err);
        assert_int_equal(cm_api_int_parse(bad[i], 1, 200, &v, "limit", &err), CM_EINVAL);
        assert_string_equal(err.field, "limit");
    }
}

static void
test_flag_parse_takes_one_zero_true_false(void **state)
{
    CM_UNUSED(state);
    bool b = false;
    struct cm_err err = {0};
    assert_int_equal(cm_api_flag_parse("1", &b, "mine", &err), CM_OK);
    assert_true(b);
    assert_int_equal(cm_api_flag_parse("false", &b, "mine", &err), CM_OK);
    assert_false(b);
    assert_int_equal(cm_api_flag_parse("yes", &b, "mine", &err), CM_EINVAL);
    assert_string_equal(err.field, "mine");
    cm_err_clear(&err);
    assert_int_equal(cm_api_flag_parse("", &b, "mine", &err), CM_EINVAL);
}

static void
test_content_type_must_be_json_with_utf8_at_most(void **state)
{
    CM_UNUSED(state);
    assert_true(cm_api_content_type_ok("application/json"));
    assert_true(cm_api_content_type_ok("Application/JSON"));
    assert_true(cm_api_content_type_ok("application/json; charset=utf-8"));
    assert_true(cm_api_content_type_ok("application/json;charset=UTF-8"));
    assert_true(cm_api_content_type_ok("application/json; charset=\"utf-8\""));
    assert_false(cm_api_content_type_ok(NULL));
    assert_false(cm_api_content_type_ok(""));
    assert_false(cm_api_content_type_ok("text/plain"));
    assert_false(cm_api_content_type_ok("application/x-www-form-urlencoded"));
    assert_false(cm_api_content_type_ok("multipart/form-data; boundary=x"));
    assert_false(cm_api_content_type_ok("application/jsonp"));
    assert_false(cm_api_content_type_ok("application/json; charset=latin1"));
    assert_false(cm_api_content_type_ok("application/json; boundary=x"));
    assert_false(cm_api_content_type_ok("text/plain; application/json"));
}

static void
test_bearer_takes_the_token_after_the_scheme(void **state)
{
    CM_UNUSED(state);
    assert_string_equal(cm_api_bearer("Bearer abc"), "abc");
    assert_string_equal(cm_api_bearer("bearer   abc"), "abc");
    assert_null(cm_api_bearer("Bearerabc"));
    assert_null(cm_api_bearer("Basic dXNlcjpwYXNz"));
    assert_null(cm_api_bearer("Bearer "));
    assert_null(cm_api_bearer(""));
    assert_null(cm_api_bearer(NULL));
}

static void
test_cookie_is_host_prefixed_and_secure_only_behind_https(void **state)
{
    CM_UNUSED(state);
    struct cm_config cfg;
    memset(&cfg, 0, sizeof(cfg));
    snprintf(cfg.public_url, sizeof(cfg.public_url), "http://127.0.0.1:8080");
    assert_string_equal(cm_api_cookie_name(&cfg), "caremap");
    assert_false(cm_api_secure(&cfg));
    snprintf(cfg.public_url, sizeof(cfg.public_url), "https://care.example.org");
    assert_string_equal(cm_api_cookie_name(&cfg), "__Host-caremap");
    assert_true(cm_api_secure(&cfg));
}

/* ---- PATCH field application ----------------------------------------------------------------- */

struct sample {
    const char *name;
    int tier;
    int64_t org;
    bool flag;
    const char *date;
};

static const struct cm_json_field sample_fields[] = {
    {"name", CM_JSON_STRING, offsetof(struct sample, name), true, false, 1, 200, 0, 0},
    {"tier", CM_JSON_INT, offsetof(struct sample, tier), true, true, 0, 0, 1, 3},
    {"org", CM_JSON_INT64, offsetof(struct sample, org), false, true, 0, 0, 1, INT64_MAX},
    {"flag", CM_JSON_BOOL, offsetof(struct sample, flag), false, false, 0, 0, 0, 0},
    {"date", CM_JSON_DATE, offsetof(struct sample, date), true, false, 0, 0, 0, 0},
};

static void
test_patch_applies_only_the_fields_present(void **state)
{
    CM_UNUSED(state);
    struct sample cur = {"Old", 2, 7, true, "2020-01-01"};
    struct sample in = {"New", 3, 0, false, "2021-02-02"};
    uint64_t present = (1u << 1) | (1u << 2); /* tier and org (org given as null) */
    cm_api_fields_apply(sample_fields, CM_ARRAY_LEN(sample_fields), present, &cur, &in);
    assert_string_equal(cur.name, "Old");
    assert_int_equal(cur.tier, 3);
    assert_int_equal(cur.org, 0);
    assert_true(cur.flag);
    assert_string_equal(cur.date, "2020-01-01");

    present = (1u << 0) | (1u << 3) | (1u << 4);
    cm_api_fields_apply(sample_fields, CM_ARRAY_LEN(sample_fields), present, &cur, &in);
    assert_string_equal(cur.name, "New");
    assert_false(cur.flag);
    assert_string_equal(cur.date, "2021-02-02");
}

static void
test_patch_fields_are_all_optional_and_otherwise_unchanged(void **state)
{
    CM_UNUSED(state);
    struct cm_json_field opt[CM_ARRAY_LEN(sample_fields)];
    cm_api_fields_optional(sample_fields, CM_ARRAY_LEN(sample_fields), opt);
    for (size_t i = 0; i < CM_ARRAY_LEN(sample_fields); i++) {
        assert_false(opt[i].required);
        assert_string_equal(opt[i].name, sample_fields[i].name);
        assert_int_equal(opt[i].type, sample_fields[i].type);
        assert_int_equal(opt[i].offset, sample_fields[i].offset);
        assert_int_equal(opt[i].nullable, sample_fields[i].nullable);
        assert_int_equal(opt[i].max_len, sample_fields[i].max_len);
        assert_int_equal(opt[i].min, sample_fields[i].min);
        assert_int_equal(opt[i].max, sample_fields[i].max);
    }
}

/* ---- JSON serialisers ------------------------------------------------------------------------ */

static void
test_child_json_names_the_child_by_preferred_name_and_shows_nulls(void **state)
{
    CM_UNUSED(state);
    struct cm_child c = {
        .meta = {.id = 12, .version = 4, .created_at = 1700000000, .updated_at = 1700000100},
        .record_number = "DEMO-0012",
        .given_name = "Zuri",
        .family_name = "Testchild",
        .preferred_name = "Zu",
        .birth_date = "2017-03-02",
        .sex = "female",
        .preferred_language = "es",
        .tier = 0,
    };
    json_t *j = cm_api_child_json(&c, CM_ACCESS_BREAK_GLASS, "2026-11-23");
    assert_non_null(j);
    assert_string_equal(json_string_value(json_object_get(j, "name")), "Zu Testchild");
    assert_int_equal(json_integer_value(json_object_get(j, "age")), 9);
    assert_true(json_is_null(json_object_get(j, "tier")));
    assert_true(json_is_null(json_object_get(j, "enrolled_on")));
    assert_true(json_is_null(json_object_get(j, "plan_updated_at")));
    assert_string_equal(json_string_value(json_object_get(j, "created_at")),
                        "2023-11-14T22:13:20Z");
    assert_string_equal(json_string_value(json_object_get(j, "access")), "break_glass");
    assert_int_equal(json_integer_value(json_object_get(j, "version")), 4);
    json_decref(j);

    c.preferred_name = NULL;
    c.tier = 3;
    j = cm_api_child_json(&c, CM_ACCESS_NONE, "2026-11-23");
    assert_string_equal(json_string_value(json_object_get(j, "name")), "Zuri Testchild");
    assert_int_equal(json_integer_value(json_object_get(j, "tier")), 3);
    assert_null(json_object_get(j, "access"));
    json_decref(j);
}

static void
test_user_json_never_carries_the_password_hash(void **state)
{
    CM_UNUSED(state);
    struct cm_user u = {
        .meta = {.id = 3, .version = 1},
        .username = "coord.ada",
        .display_name = "Ada Coordinator",
        .role = CM_ROLE_NURSE_CARE_COORDINATOR,
        .language = "en",
        .password_hash = "$argon2id$v=19$m=19456,t=2,p=1$secret",
    };
    json_t *j = cm_api_user_json(&u);
    char *text = json_dumps(j, JSON_COMPACT);
    assert_non_null(text);
    assert_null(strstr(text, "argon2"));
    assert_null(strstr(text, "password"));
    assert_string_equal(json_string_value(json_object_get(j, "role")), "nurse_care_coordinator");
    assert_true(json_is_null(json_object_get(j, "organization_id")));
    free(text);
    json_decref(j);
}

/* ---- the route table ------------------------------------------------------------------------- */

static void
test_every_route_is_no_store_and_listed_once(void **state)
{
    CM_UNUSED(state);
    size_t n = 0;
    const struct cm_http_route *r = cm_api_routes(&n);
    assert_true(n >= 30);
    for (size_t i = 0; i < n; i++) {
        assert_non_null(r[i].handler);
        assert_true(r[i].flags & CM_HTTP_NO_STORE);
        assert_true(strncmp(r[i].pattern, "/api/", 5) == 0 ||
                    strcmp(r[i].pattern, "/healthz") == 0);
        for (size_t k = i + 1; k < n; k++)
            assert_false(strcmp(r[i].method, r[k].method) == 0 &&
                         strcmp(r[i].pattern, r[k].pattern) == 0);
    }
}

static void
test_documented_paths_reach_their_handlers(void **state)
{
    CM_UNUSED(state);
    static const struct {
        const char *method;
        const char *path;
        cm_http_handler handler;
        size_t nparams;
    } want[] = {
        {"GET", "/healthz", cm_api_health_get, 0},
        {"POST", "/api/session", cm_api_session_create, 0},
        {"DELETE", "/api/session", cm_api_session_delete, 0},
        {"GET", "/api/me", cm_api_me_get, 0},
        {"GET", "/api/children", cm_api_children_list, 0},
        {"POST", "/api/children", cm_api_child_create, 0},
        {"GET", "/api/children/12", cm_api_child_get, 1},
        {"PATCH", "/api/children/12", cm_api_child_update, 1},
        {"GET", "/api/children/12/family", cm_api_family_list, 1},
        {"POST", "/api/children/12/family", cm_api_family_create, 1},
        {"GET", "/api/children/12/family/5", cm_api_family_get, 2},
        {"PATCH", "/api/children/12/family/5", cm_api_family_update, 2},
        {"GET", "/api/children/12/team", cm_api_team_list, 1},
        {"POST", "/api/children/12/team", cm_api_team_create, 1},
        {"GET", "/api/children/12/team/41", cm_api_team_get, 2},
        {"PATCH", "/api/children/12/team/41", cm_api_team_update, 2},
        {"POST", "/api/children/12/team/41/end", cm_api_team_end, 2},
        {"PUT", "/api/children/12/lead", cm_api_team_lead_set, 1},
        {"GET", "/api/children/12/access", cm_api_access_history_list, 1},
        {"POST", "/api/children/12/break-glass", cm_api_break_glass_create, 1},
        {"GET", "/api/break-glass", cm_api_break_glass_list, 0},
        {"GET", "/api/organizations", cm_api_organizations_list, 0},
        {"POST", "/api/organizations", cm_api_organization_create, 0},
        {"GET", "/api/organizations/3", cm_api_organization_get, 1},
        {"PATCH", "/api/organizations/3", cm_api_organization_update, 1},
        {"GET", "/api/users", cm_api_users_list, 0},
        {"POST", "/api/users", cm_api_user_create, 0},
        {"GET", "/api/users/3", cm_api_user_get, 1},
        {"PATCH", "/api/users/3", cm_api_user_update, 1},
        {"POST", "/api/users/3/password", cm_api_user_password_set, 1},
    };
    size_t n = 0;
    const struct cm_http_route *routes = cm_api_routes(&n);
    for (size_t i = 0; i < CM_ARRAY_LEN(want); i++) {
        int64_t params[CM_HTTP_MAX_PARAMS] = {0};
        size_t np = 0;
        unsigned allowed = 0;
        const struct cm_http_route *r =
            cm_http_route_match(routes, n, want[i].method, want[i].path, params, &np, &allowed);
        assert_non_null(r);
        assert_ptr_equal(r->handler, want[i].handler);
        assert_int_equal(np, want[i].nparams);
    }
    /* A route with another method is 405 material, not a match. */
    int64_t params[CM_HTTP_MAX_PARAMS];
    size_t np = 0;
    unsigned allowed = 0;
    assert_null(
        cm_http_route_match(routes, n, "DELETE", "/api/children/12", params, &np, &allowed));
    assert_int_not_equal(allowed, 0);
}

static void
test_every_plan_kind_has_its_six_routes_and_the_plan_routes_exist(void **state)
{
    CM_UNUSED(state);
    size_t n = 0, nk = 0;
    const struct cm_http_route *routes = cm_api_routes(&n);
    const struct cm_plan_kind_desc *kinds = cm_plan_kinds(&nk);
    assert_int_equal(nk, CM_PK_COUNT);
    for (size_t k = 0; k < nk; k++) {
        char list[64], item[80], translation[112];
        snprintf(list, sizeof(list), "/api/children/12/plan/%s", kinds[k].path);
        snprintf(item, sizeof(item), "%s/7", list);
        snprintf(translation, sizeof(translation), "%s/translation", item);
        const struct {
            const char *method;
            const char *path;
            cm_http_handler handler;
            size_t nparams;
        } want[] = {
            {"GET", list, cm_api_plan_items_list, 1},
            {"POST", list, cm_api_plan_item_create, 1},
            {"GET", item, cm_api_plan_item_get, 2},
            {"PATCH", item, cm_api_plan_item_update, 2},
            {"DELETE", item, cm_api_plan_item_remove, 2},
            {"PUT", translation, cm_api_plan_item_translate, 2},
        };
        for (size_t i = 0; i < CM_ARRAY_LEN(want); i++) {
            int64_t params[CM_HTTP_MAX_PARAMS] = {0};
            size_t np = 0;
            unsigned allowed = 0;
            const struct cm_http_route *r =
                cm_http_route_match(routes, n, want[i].method, want[i].path, params, &np, &allowed);
            if (r == NULL || r->handler != want[i].handler)
                fail_msg("%s %s does not reach its handler", want[i].method, want[i].path);
            assert_int_equal(np, want[i].nparams);
        }
    }
    const struct {
        const char *method;
        const char *path;
        cm_http_handler handler;
    } fixed[] = {
        {"GET", "/api/plan/kinds", cm_api_plan_kinds_list},
        {"GET", "/api/plan/templates", cm_api_plan_templates_list},
        {"POST", "/api/children/12/plan/action-plans/from-template", cm_api_plan_from_template},
        {"GET", "/api/children/12/plan", cm_api_plan_get},
        {"GET", "/api/children/12/plan/versions", cm_api_plan_versions_list},
        {"POST", "/api/children/12/plan/versions", cm_api_plan_version_create},
        {"GET", "/api/children/12/plan/versions/3", cm_api_plan_version_get},
        {"GET", "/api/children/12/plan/diff", cm_api_plan_diff},
        {"GET", "/api/children/12/plan/reviews", cm_api_plan_reviews_list},
        {"POST", "/api/children/12/plan/versions/3/reviews", cm_api_plan_review_create},
        {"GET", "/api/children/12/plan.pdf", cm_api_plan_pdf},
        {"GET", "/api/children/12/emergency.pdf", cm_api_plan_emergency_pdf},
        {"POST", "/api/readability", cm_api_readability_check},
    };
    for (size_t i = 0; i < CM_ARRAY_LEN(fixed); i++) {
        int64_t params[CM_HTTP_MAX_PARAMS] = {0};
        size_t np = 0;
        unsigned allowed = 0;
        const struct cm_http_route *r =
            cm_http_route_match(routes, n, fixed[i].method, fixed[i].path, params, &np, &allowed);
        if (r == NULL || r->handler != fixed[i].handler)
            fail_msg("%s %s does not reach its handler", fixed[i].method, fixed[i].path);
    }
}

/* ---- handlers on a real database ------------------------------------------------------------- */

struct fixture {
    char dir[64];
    char path[96];
    struct cm_config cfg;
    struct cm_store *store;
    struct cm_audit_writer *audit;
    struct cm_api_app app;
    struct cm_arena *arena;
    struct cm_http_request req;
    struct cm_http_response res;
};

static int
setup(void **state)
{
    struct fixture *f = calloc(1, sizeof(*f));
    assert_non_null(f);
    snprintf(f->dir, sizeof(f->dir), "/tmp/caremap-test-api-XXXXXX");
    assert_non_null(mkdtemp(f->dir));
    snprintf(f->path, sizeof(f->path), "%s/api.db", f->dir);
    cm_config_defaults(&f->cfg);
    struct cm_err err = {0};
    assert_int_equal(cm_store_open(f->path, &f->store, &err), CM_OK);
    assert_int_equal(cm_access_audit_start(f->store, 16, &f->audit, &err), CM_OK);
    f->app = (struct cm_api_app){.store = f->store, .audit = f->audit, .cfg = &f->cfg};
    f->arena = cm_arena_new(1024 * 1024);
    assert_non_null(f->arena);
    *state = f;
    return 0;
}

static int
teardown(void **state)
{
    struct fixture *f = *state;
    cm_arena_free(f->arena);
    cm_api_conns_close_all();
    cm_access_audit_stop(f->audit);
    cm_store_close(f->store);
    char side[128];
    static const char *const suffixes[] = {"", "-wal", "-shm"};
    for (size_t i = 0; i < CM_ARRAY_LEN(suffixes); i++) {
        snprintf(side, sizeof(side), "%s%s", f->path, suffixes[i]);
        unlink(side);
    }
    rmdir(f->dir);
    free(f);
    return 0;
}

/* A request as the server would hand it to a handler, minus the connection. */
static void
request(struct fixture *f, const char *method, const char *path, const char *body)
{
    cm_arena_reset(f->arena);
    memset(&f->req, 0, sizeof(f->req));
    memset(&f->res, 0, sizeof(f->res));
    f->req.method = method;
    f->req.path = path;
    f->req.body = body;
    f->req.body_len = body ? strlen(body) : 0;
    f->req.arena = f->arena;
    f->req.app = &f->app;
    snprintf(f->req.request_id, sizeof(f->req.request_id), "00000000000000aa");
    snprintf(f->req.client_ip, sizeof(f->req.client_ip), "127.0.0.1");
    cm_buf_init(&f->res.body, f->arena, 64 * 1024);
}

/* The error code name of the reply's body. */
static void
assert_error(const struct fixture *f, int status, const char *code, const char *field)
{
    assert_int_equal(f->res.status, status);
    json_error_t je;
    json_t *j = json_loadb(f->res.body.data, f->res.body.len, 0, &je);
    assert_non_null(j);
    json_t *e = json_object_get(j, "error");
    assert_string_equal(json_string_value(json_object_get(e, "code")), code);
    assert_string_equal(json_string_value(json_object_get(e, "field")), field);
    json_decref(j);
}

static void
test_health_answers_ok_when_the_database_answers(void **state)
{
    struct fixture *f = *state;
    request(f, "GET", "/healthz", NULL);
    cm_api_health_get(&f->req, &f->res);
    assert_int_equal(f->res.status, 200);
    assert_string_equal(f->res.body.data, "{\"status\":\"ok\"}");
}

static void
test_sign_in_without_json_content_type_is_415(void **state)
{
    struct fixture *f = *state;
    request(f, "POST", "/api/session", "{\"username\":\"a\",\"password\":\"b\"}");
    cm_api_session_create(&f->req, &f->res);
    assert_error(f, 415, "unsupported_media_type", "Content-Type");
}

static void
test_routes_that_need_a_session_answer_401_without_one(void **state)
{
    struct fixture *f = *state;
    static const struct {
        const char *method;
        cm_http_handler handler;
    } routes[] = {
        {"GET", cm_api_me_get},
        {"GET", cm_api_children_list},
        {"GET", cm_api_child_get},
        {"PATCH", cm_api_child_update},
        {"DELETE", cm_api_session_delete},
        {"GET", cm_api_users_list},
    };
    for (size_t i = 0; i < CM_ARRAY_LEN(routes); i++) {
        request(f, routes[i].method, "/api/x", NULL);
        f->req.params[0] = 1;
        f->req.nparams = 1;
        routes[i].handler(&f->req, &f->res);
        assert_error(f, 401, "unauthenticated", "");
    }
}

static void
test_each_thread_keeps_one_connection_until_all_are_closed(void **state)
{
    struct fixture *f = *state;
    struct cm_conn *a = NULL, *b = NULL, *c = NULL;
    struct cm_err err = {0};
    assert_int_equal(cm_api_conn_get(f->store, &a, &err), CM_OK);
    assert_int_equal(cm_api_conn_get(f->store, &b, &err), CM_OK);
    assert_ptr_equal(a, b);
    cm_api_conns_close_all();
    /* A thread that outlived the close gets a fresh connection, not the closed one. */
    assert_int_equal(cm_api_conn_get(f->store, &c, &err), CM_OK);
    assert_non_null(c);
    int64_t id = 0;
    enum cm_code rc = cm_store_program_first(c, &id, &err);
    assert_true(rc == CM_OK || rc == CM_ENOTFOUND);
}

int
main(void)
{
    const struct CMUnitTest tests[] = {
        cmocka_unit_test(test_error_table_maps_each_code_to_its_documented_status),
        cmocka_unit_test(test_error_message_is_prefixed_with_the_field_once),
        cmocka_unit_test(test_error_message_without_text_falls_back_to_the_code_name),
        cmocka_unit_test(test_if_match_accepts_a_quoted_version_and_a_weak_one),
        cmocka_unit_test(test_if_match_refuses_anything_but_one_quoted_positive_version),
        cmocka_unit_test(test_id_parse_takes_digits_only),
        cmocka_unit_test(test_int_parse_enforces_its_range),
        cmocka_unit_test(test_flag_parse_takes_one_zero_true_false),
        cmocka_unit_test(test_content_type_must_be_json_with_utf8_at_most),
        cmocka_unit_test(test_bearer_takes_the_token_after_the_scheme),
        cmocka_unit_test(test_cookie_is_host_prefixed_and_secure_only_behind_https),
        cmocka_unit_test(test_patch_applies_only_the_fields_present),
        cmocka_unit_test(test_patch_fields_are_all_optional_and_otherwise_unchanged),
        cmocka_unit_test(test_child_json_names_the_child_by_preferred_name_and_shows_nulls),
        cmocka_unit_test(test_user_json_never_carries_the_password_hash),
        cmocka_unit_test(test_every_route_is_no_store_and_listed_once),
        cmocka_unit_test(test_documented_paths_reach_their_handlers),
        cmocka_unit_test(test_every_plan_kind_has_its_six_routes_and_the_plan_routes_exist),
        cmocka_unit_test_setup_teardown(test_health_answers_ok_when_the_database_answers, setup,
                                        teardown),
        cmocka_unit_test_setup_teardown(test_sign_in_without_json_content_type_is_415, setup,
                                        teardown),
        cmocka_unit_test_setup_teardown(test_routes_that_need_a_session_answer_401_without_one,
                                        setup, teardown),
        cmocka_unit_test_setup_teardown(test_each_thread_keeps_one_connection_until_all_are_closed,
                                        setup, teardown),
    };
    return cmocka_run_group_tests(tests, NULL, NULL);
}
