/*
 * http: the router, the Allow header, JSON body decoding against a field table, replies, and a
 * real server on 127.0.0.1 (port 0) spoken to over a plain TCP socket.
 */
#include "http/http.h"

#include <arpa/inet.h>
#include <netinet/in.h>
#include <poll.h>
#include <pthread.h>
#include <setjmp.h>
#include <sodium.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdlib.h>
#include <string.h>
#include <strings.h>
#include <sys/socket.h>
#include <time.h>
#include <unistd.h>

#include <cmocka.h>

/* ---- router -----------------------------------------------------------------------------------
 */

static void
nop(struct cm_http_request *req, struct cm_http_response *res)
{
    CM_UNUSED(req);
    cm_http_reply_empty(res, 204);
}

static const struct cm_http_route api_routes[] = {
    {"GET", "/", nop, 0},
    {"GET", "/healthz", nop, 0},
    {"POST", "/api/session", nop, CM_HTTP_NO_STORE},
    {"DELETE", "/api/session", nop, CM_HTTP_NO_STORE},
    {"GET", "/api/children", nop, CM_HTTP_NO_STORE},
    {"POST", "/api/children", nop, CM_HTTP_NO_STORE},
    {"GET", "/api/children/{id}", nop, CM_HTTP_NO_STORE},
    {"PATCH", "/api/children/{id}", nop, CM_HTTP_NO_STORE},
    {"GET", "/api/children/{id}/team/{id}", nop, CM_HTTP_NO_STORE},
    {"POST", "/api/children/{id}/team/{id}/end", nop, CM_HTTP_NO_STORE},
    {"PUT", "/api/children/{id}/lead", nop, CM_HTTP_NO_STORE},
    {"GET", "/a/{id}/{id}/{id}/{id}", nop, 0},
    {"GET", "/b/{id}/{id}/{id}/{id}/{id}", nop, 0},
};

static const struct cm_http_route *
route(const char *method, const char *path, int64_t *params, size_t *nparams, unsigned *allowed)
{
    return cm_http_route_match(api_routes, CM_ARRAY_LEN(api_routes), method, path, params, nparams,
                               allowed);
}

static void
test_route_static_path_matches_its_method(void **state)
{
    CM_UNUSED(state);
    int64_t p[CM_HTTP_MAX_PARAMS];
    size_t n = 99;
    unsigned allowed = 99;
    const struct cm_http_route *r = route("POST", "/api/session", p, &n, &allowed);
    assert_non_null(r);
    assert_string_equal(r->pattern, "/api/session");
    assert_string_equal(r->method, "POST");
    assert_int_equal(n, 0);
    assert_int_equal(allowed, 0);
    r = route("DELETE", "/api/session", p, &n, &allowed);
    assert_non_null(r);
    assert_string_equal(r->method, "DELETE");
}

static void
test_route_ids_land_in_params_in_order(void **state)
{
    CM_UNUSED(state);
    int64_t p[CM_HTTP_MAX_PARAMS] = {0};
    size_t n = 0;
    unsigned allowed = 0;
    const struct cm_http_route *r =
        route("POST", "/api/children/12/team/999999999999999999/end", p, &n, &allowed);
    assert_non_null(r);
    assert_string_equal(r->pattern, "/api/children/{id}/team/{id}/end");
    assert_int_equal(n, 2);
    assert_int_equal(p[0], 12);
    assert_int_equal(p[1], INT64_C(999999999999999999));
    r = route("GET", "/a/1/2/3/4", p, &n, &allowed);
    assert_non_null(r);
    assert_int_equal(n, 4);
    assert_int_equal(p[3], 4);
}

static void
test_route_pattern_with_too_many_ids_never_matches(void **state)
{
    CM_UNUSED(state);
    int64_t p[CM_HTTP_MAX_PARAMS];
    size_t n;
    unsigned allowed;
    assert_null(route("GET", "/b/1/2/3/4/5", p, &n, &allowed));
    assert_int_equal(allowed, 0);
}

static void
test_route_bad_ids_are_not_found(void **state)
{
    CM_UNUSED(state);
    static const char *const bad[] = {
        "/api/children/0",
        "/api/children/007",
        "/api/children/-1",
        "/api/children/+1",
        "/api/children/1x",
        "/api/children/ 1",
        "/api/children/1234567890123456789", /* 19 digits */
        "/api/children/",
        "/api/children//team/1",
        "/api/children/1/team/0",
    };
    for (size_t i = 0; i < CM_ARRAY_LEN(bad); i++) {
        int64_t p[CM_HTTP_MAX_PARAMS];
        size_t n = 7;
        unsigned allowed = 7;
        assert_null(route("GET", bad[i], p, &n, &allowed));
        assert_int_equal(allowed, 0);
        assert_int_equal(n, 0);
    }
}

static void
test_route_trailing_slash_matches_only_the_root(void **state)
{
    CM_UNUSED(state);
    int64_t p[CM_HTTP_MAX_PARAMS];
    size_t n;
    unsigned allowed;
    assert_non_null(route("GET", "/", p, &n, &allowed));
    assert_null(route("GET", "/healthz/", p, &n, &allowed));
    assert_int_equal(allowed, 0);
    assert_null(route("GET", "/api/children/1/", p, &n, &allowed));
    assert_null(route("GET", "//", p, &n, &allowed));
    assert_null(route("GET", "", p, &n, &allowed));
    assert_null(route("GET", "healthz", p, &n, &allowed));
    assert_null(route("GET", "/healthzz", p, &n, &allowed));
    assert_null(route("GET", "/health", p, &n, &allowed));
    assert_null(route("GET", "/../healthz", p, &n, &allowed));
}

static void
test_route_other_method_gives_allowed_mask(void **state)
{
    CM_UNUSED(state);
    int64_t p[CM_HTTP_MAX_PARAMS];
    size_t n;
    unsigned allowed;
    assert_null(route("PUT", "/api/children", p, &n, &allowed));
    assert_int_equal(allowed, 1 | 2);
    assert_null(route("DELETE", "/api/children/5", p, &n, &allowed));
    assert_int_equal(allowed, 1 | 8);
    assert_null(route("BREW", "/api/children/5", p, &n, &allowed));
    assert_int_equal(allowed, 1 | 8);
    assert_null(route("get", "/healthz", p, &n, &allowed));
    assert_int_equal(allowed, 1);
}

static void
test_route_head_is_answered_by_get(void **state)
{
    CM_UNUSED(state);
    int64_t p[CM_HTTP_MAX_PARAMS];
    size_t n;
    unsigned allowed;
    const struct cm_http_route *r = route("HEAD", "/api/children/3", p, &n, &allowed);
    assert_non_null(r);
    assert_string_equal(r->method, "GET");
    assert_int_equal(p[0], 3);
    assert_null(route("HEAD", "/api/session", p, &n, &allowed));
    assert_int_equal(allowed, 2 | 16);
}

static void
test_route_first_match_wins(void **state)
{
    CM_UNUSED(state);
    static const struct cm_http_route twice[] = {
        {"GET", "/x/{id}", nop, 0},
        {"GET", "/x/{id}", nop, CM_HTTP_NO_STORE},
    };
    int64_t p[CM_HTTP_MAX_PARAMS];
    size_t n;
    unsigned allowed;
    const struct cm_http_route *r =
        cm_http_route_match(twice, CM_ARRAY_LEN(twice), "GET", "/x/4", p, &n, &allowed);
    assert_ptr_equal(r, &twice[0]);
}

static void
test_allowed_format_lists_methods_in_order(void **state)
{
    CM_UNUSED(state);
    char out[64];
    cm_http_allowed_format(1 | 2 | 4 | 8 | 16, out, sizeof(out));
    assert_string_equal(out, "GET, POST, PUT, PATCH, DELETE");
    cm_http_allowed_format(16 | 1, out, sizeof(out));
    assert_string_equal(out, "GET, DELETE");
    cm_http_allowed_format(0, out, sizeof(out));
    assert_string_equal(out, "");
    cm_http_allowed_format(1u << 20, out, sizeof(out));
    assert_string_equal(out, "");
}

static void
test_allowed_format_never_cuts_a_method_name(void **state)
{
    CM_UNUSED(state);
    char out[12];
    cm_http_allowed_format(1 | 2 | 8, out, sizeof(out)); /* "GET, POST, PATCH" does not fit */
    assert_string_equal(out, "GET, POST");
    char tiny[3];
    cm_http_allowed_format(1, tiny, sizeof(tiny));
    assert_string_equal(tiny, "");
}

/* ---- JSON decoding ----------------------------------------------------------------------------
 */

struct kid {
    const char *record_number;
    const char *given_name;
    const char *birth_date;
    const char *preferred_name;
    int tier;
    int64_t organization_id;
    bool active;
    int count;
};

enum { F_RECORD, F_GIVEN, F_BIRTH, F_PREFERRED, F_TIER, F_ORG, F_ACTIVE, F_COUNT };

static const struct cm_json_field kid_fields[] = {
    {"record_number", CM_JSON_STRING, offsetof(struct kid, record_number), true, false, 1, 32, 0,
     0},
    {"given_name", CM_JSON_STRING, offsetof(struct kid, given_name), true, false, 1, 10, 0, 0},
    {"birth_date", CM_JSON_DATE, offsetof(struct kid, birth_date), true, false, 0, 0, 0, 0},
    {"preferred_name", CM_JSON_STRING, offsetof(struct kid, preferred_name), false, true, 0, 0, 0,
     0},
    {"tier", CM_JSON_INT, offsetof(struct kid, tier), false, true, 0, 0, 1, 3},
    {"organization_id", CM_JSON_INT64, offsetof(struct kid, organization_id), false, true, 0, 0, 0,
     0},
    {"active", CM_JSON_BOOL, offsetof(struct kid, active), false, false, 0, 0, 0, 0},
    {"count", CM_JSON_INT, offsetof(struct kid, count), false, false, 0, 0, 0, 0},
};

struct decoded {
    enum cm_code rc;
    struct cm_err err;
    struct kid kid;
    uint64_t present;
};

static struct cm_arena *g_arena;

static int
arena_setup(void **state)
{
    CM_UNUSED(state);
    g_arena = cm_arena_new(1 << 20);
    return g_arena == NULL;
}

static int
arena_teardown(void **state)
{
    CM_UNUSED(state);
    cm_arena_free(g_arena);
    g_arena = NULL;
    return 0;
}

static struct decoded
decode(const char *body)
{
    struct decoded d;
    memset(&d, 0, sizeof(d));
    d.rc = cm_json_decode(body, body ? strlen(body) : 0, kid_fields, CM_ARRAY_LEN(kid_fields),
                          &d.kid, &d.present, g_arena, &d.err);
    return d;
}

#define KID_MIN "\"record_number\":\"R-1\",\"given_name\":\"Ola\",\"birth_date\":\"2019-05-04\""

static void
assert_invalid(const struct decoded *d, const char *field, const char *msg_part)
{
    if (d->rc != CM_EINVAL || strcmp(d->err.field, field) != 0 ||
        strstr(d->err.msg, msg_part) == NULL)
        fail_msg("want EINVAL field '%s' msg containing '%s'; got rc %d field '%s' msg '%s'", field,
                 msg_part, (int)d->rc, d->err.field, d->err.msg);
}

static void
test_json_valid_object_fills_every_field(void **state)
{
    CM_UNUSED(state);
    struct decoded d = decode("{" KID_MIN ",\"preferred_name\":\"Olé\",\"tier\":2,"
                              "\"organization_id\":9007199254740993,\"active\":true,\"count\":0}");
    assert_int_equal(d.rc, CM_OK);
    assert_string_equal(d.kid.record_number, "R-1");
    assert_string_equal(d.kid.given_name, "Ola");
    assert_string_equal(d.kid.birth_date, "2019-05-04");
    assert_string_equal(d.kid.preferred_name, "Olé");
    assert_int_equal(d.kid.tier, 2);
    assert_int_equal(d.kid.organization_id, INT64_C(9007199254740993));
    assert_true(d.kid.active);
    assert_int_equal(d.present, (1u << F_RECORD) | (1u << F_GIVEN) | (1u << F_BIRTH) |
                                    (1u << F_PREFERRED) | (1u << F_TIER) | (1u << F_ORG) |
                                    (1u << F_ACTIVE) | (1u << F_COUNT));
}

static void
test_json_present_marks_only_given_fields(void **state)
{
    CM_UNUSED(state);
    struct decoded d = decode("{" KID_MIN "}");
    assert_int_equal(d.rc, CM_OK);
    assert_int_equal(d.present, (1u << F_RECORD) | (1u << F_GIVEN) | (1u << F_BIRTH));
    assert_null(d.kid.preferred_name);
}

static void
test_json_duplicate_key_is_rejected(void **state)
{
    CM_UNUSED(state);
    struct decoded d = decode("{" KID_MIN ",\"given_name\":\"Bo\"}");
    assert_invalid(&d, "", "duplicate");
    assert_non_null(strstr(d.err.msg, "malformed JSON at line 1, column"));
}

static void
test_json_unknown_field_is_named(void **state)
{
    CM_UNUSED(state);
    struct decoded d = decode("{" KID_MIN ",\"nickname\":\"x\"}");
    assert_invalid(&d, "nickname", "unknown field");
}

static void
test_json_unknown_long_key_is_cut_on_a_character_boundary(void **state)
{
    CM_UNUSED(state);
    char body[256];
    /* 62 ASCII bytes then "é" (2 bytes): byte 63 would fall inside the é. */
    snprintf(body, sizeof(body), "{\"%s\\u00e9\":1}",
             "aaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaa");
    struct decoded d = decode(body);
    assert_int_equal(d.rc, CM_EINVAL);
    assert_int_equal(strlen(d.err.field), 62);
    assert_true(cm_utf8_valid(d.err.field, strlen(d.err.field)));
}

static void
test_json_wrong_types_name_the_field(void **state)
{
    CM_UNUSED(state);
    struct decoded d = decode("{\"record_number\":5}");
    assert_invalid(&d, "record_number", "must be a string");
    d = decode("{\"tier\":\"2\"}");
    assert_invalid(&d, "tier", "must be an integer");
    d = decode("{\"tier\":2.0}");
    assert_invalid(&d, "tier", "must be an integer");
    d = decode("{\"organization_id\":true}");
    assert_invalid(&d, "organization_id", "must be an integer");
    d = decode("{\"active\":1}");
    assert_invalid(&d, "active", "must be true or false");
    d = decode("{\"birth_date\":20190504}");
    assert_invalid(&d, "birth_date", "must be a date YYYY-MM-DD");
    d = decode("{\"given_name\":{\"a\":1}}");
    assert_invalid(&d, "given_name", "must be a string");
}

static void
test_json_deeply_nested_scalar_is_a_wrong_type(void **state)
{
    CM_UNUSED(state);
    char body[2100];
    size_t n = 0;
    n += (size_t)snprintf(body + n, sizeof(body) - n, "{\"given_name\":");
    for (int i = 0; i < 500; i++)
        body[n++] = '[';
    for (int i = 0; i < 500; i++)
        body[n++] = ']';
    body[n++] = '}';
    body[n] = '\0';
    struct decoded d = decode(body);
    assert_invalid(&d, "given_name", "must be a string");
}

static void
test_json_nesting_past_the_parser_limit_is_malformed(void **state)
{
    CM_UNUSED(state);
    size_t depth = 5000;
    char *body = malloc(2 * depth + 32);
    assert_non_null(body);
    size_t n = (size_t)snprintf(body, 32, "{\"given_name\":");
    memset(body + n, '[', depth);
    memset(body + n + depth, ']', depth);
    memcpy(body + n + 2 * depth, "}", 2);
    struct decoded d = decode(body);
    free(body);
    assert_invalid(&d, "", "malformed JSON");
}

static void
test_json_string_length_counts_characters(void **state)
{
    CM_UNUSED(state);
    /* ten é are 20 bytes but 10 characters: within max_len 10 */
    struct decoded d = decode("{\"given_name\":\"éééééééééé\"}");
    assert_int_equal(d.rc, CM_EINVAL); /* only because the other required fields are missing */
    assert_string_equal(d.err.field, "record_number");
    d = decode("{\"given_name\":\"ééééééééééé\"}");
    assert_invalid(&d, "given_name", "at most 10 characters");
    d = decode("{\"given_name\":\"\"}");
    assert_invalid(&d, "given_name", "must not be empty");
}

static void
test_json_string_default_maximum_is_2000_characters(void **state)
{
    CM_UNUSED(state);
    char body[2100];
    int n = snprintf(body, sizeof(body), "{\"preferred_name\":\"");
    memset(body + n, 'x', 2001);
    memcpy(body + n + 2001, "\"}", 3);
    struct decoded d = decode(body);
    assert_invalid(&d, "preferred_name", "at most 2000 characters");
    memcpy(body + n + 2000, "\"}", 3);
    d = decode(body);
    assert_string_equal(d.err.field, "record_number"); /* the length passed */
}

static void
test_json_control_characters_are_rejected_but_tab_and_newlines_pass(void **state)
{
    CM_UNUSED(state);
    static const char *const bad[] = {"a\\u0001b", "\\u001b[31m", "x\\u007f", "x\\u0085y",
                                      "\\u009f"};
    for (size_t i = 0; i < CM_ARRAY_LEN(bad); i++) {
        char body[128];
        snprintf(body, sizeof(body), "{\"preferred_name\":\"%s\"}", bad[i]);
        struct decoded d = decode(body);
        assert_invalid(&d, "preferred_name", "control characters");
    }
    struct decoded d = decode("{" KID_MIN ",\"preferred_name\":\"a\\tb\\r\\nc \\u00a0 d\"}");
    assert_int_equal(d.rc, CM_OK);
    assert_string_equal(d.kid.preferred_name, "a\tb\r\nc \xc2\xa0 d");
}

static void
test_json_null_clears_nullable_fields_only(void **state)
{
    CM_UNUSED(state);
    struct decoded d =
        decode("{" KID_MIN ",\"preferred_name\":null,\"tier\":null,\"organization_id\":null}");
    assert_int_equal(d.rc, CM_OK);
    assert_null(d.kid.preferred_name);
    assert_int_equal(d.kid.tier, 0);
    assert_int_equal(d.kid.organization_id, 0);
    assert_true(d.present & (1u << F_PREFERRED));
    assert_true(d.present & (1u << F_TIER));
    d = decode("{\"given_name\":null}");
    assert_invalid(&d, "given_name", "must not be null");
    d = decode("{\"active\":null}");
    assert_invalid(&d, "active", "must not be null");
}

static void
test_json_missing_required_field_is_named(void **state)
{
    CM_UNUSED(state);
    struct decoded d = decode("{\"record_number\":\"R\",\"given_name\":\"A\"}");
    assert_invalid(&d, "birth_date", "is required");
    d = decode("{}");
    assert_invalid(&d, "record_number", "is required");
}

static void
test_json_syntax_error_gives_line_and_column(void **state)
{
    CM_UNUSED(state);
    struct decoded d = decode("{\n  \"record_number\": \"R\",\n  \"given_name\": ,\n}");
    assert_invalid(&d, "", "malformed JSON at line 3, column ");
    d = decode("{\"a\":\"x}");
    assert_invalid(&d, "", "malformed JSON at line 1");
}

static void
test_json_trailing_data_is_rejected(void **state)
{
    CM_UNUSED(state);
    struct decoded d = decode("{" KID_MIN "} x");
    assert_invalid(&d, "", "malformed JSON");
    d = decode("{" KID_MIN "}{}");
    assert_invalid(&d, "", "malformed JSON");
    d = decode("{" KID_MIN "}\n  ");
    assert_int_equal(d.rc, CM_OK);
}

static void
test_json_body_must_be_an_object(void **state)
{
    CM_UNUSED(state);
    static const char *const bad[] = {"[1]", "3", "\"x\"", "null", "true"};
    for (size_t i = 0; i < CM_ARRAY_LEN(bad); i++) {
        struct decoded d = decode(bad[i]);
        assert_invalid(&d, "", "must be a JSON object");
    }
    struct decoded d = decode("");
    assert_invalid(&d, "", "body is required");
    d = decode(NULL);
    assert_invalid(&d, "", "body is required");
    d = decode("   ");
    assert_invalid(&d, "", "malformed JSON");
}

static void
test_json_invalid_utf8_and_nul_are_malformed(void **state)
{
    CM_UNUSED(state);
    struct decoded d = decode("{\"preferred_name\":\"\xff\"}");
    assert_invalid(&d, "", "malformed JSON");
    d = decode("{\"preferred_name\":\"a\\u0000b\"}");
    assert_invalid(&d, "", "malformed JSON");
    d = decode("{\"preferred_name\":\"\\ud800\"}"); /* a lone surrogate */
    assert_invalid(&d, "", "malformed JSON");
    /* a NUL byte inside the buffer, counted by len */
    static const char with_nul[] = "{\"record_number\":\"R\"}\0{}";
    struct cm_err err = {0};
    struct kid k = {0};
    assert_int_equal(cm_json_decode(with_nul, sizeof(with_nul) - 1, kid_fields,
                                    CM_ARRAY_LEN(kid_fields), &k, NULL, g_arena, &err),
                     CM_EINVAL);
    assert_non_null(strstr(err.msg, "malformed JSON"));
}

static void
test_json_numbers_are_range_checked(void **state)
{
    CM_UNUSED(state);
    struct decoded d = decode("{\"tier\":4}");
    assert_invalid(&d, "tier", "must be between 1 and 3");
    d = decode("{\"tier\":0}");
    assert_invalid(&d, "tier", "must be between 1 and 3");
    d = decode("{\"organization_id\":-1}");
    assert_invalid(&d, "organization_id", "must be between 0 and 9223372036854775807");
    d = decode("{\"count\":2147483648}");
    assert_invalid(&d, "count", "must be between 0 and 2147483647");
    d = decode("{\"count\":1e3}");
    assert_invalid(&d, "count", "must be an integer");
    d = decode("{\"count\":99999999999999999999999}");
    assert_invalid(&d, "", "malformed JSON");
    d = decode("{" KID_MIN ",\"count\":2147483647,\"organization_id\":9223372036854775807}");
    assert_int_equal(d.rc, CM_OK);
    assert_int_equal(d.kid.count, 2147483647);
    assert_int_equal(d.kid.organization_id, INT64_MAX);
}

static void
test_json_dates_are_checked(void **state)
{
    CM_UNUSED(state);
    struct decoded d = decode("{\"birth_date\":\"2019-02-30\"}");
    assert_invalid(&d, "birth_date", "day must be");
    d = decode("{\"birth_date\":\"2019-5-4\"}");
    assert_invalid(&d, "birth_date", "YYYY-MM-DD");
    d = decode("{\"birth_date\":\"2020-02-29\",\"record_number\":\"R\",\"given_name\":\"A\"}");
    assert_int_equal(d.rc, CM_OK);
}

static void
test_json_strings_are_copied_to_the_arena(void **state)
{
    CM_UNUSED(state);
    char body[] = "{" KID_MIN "}";
    size_t before = cm_arena_used(g_arena);
    struct decoded d = decode(body);
    assert_int_equal(d.rc, CM_OK);
    assert_true(cm_arena_used(g_arena) > before);
    memset(body, ' ', strlen(body)); /* the copies do not point into the body */
    assert_string_equal(d.kid.given_name, "Ola");
}

static void
test_json_exhausted_arena_is_too_big(void **state)
{
    CM_UNUSED(state);
    struct cm_arena *small = cm_arena_new(16);
    assert_non_null(small);
    struct cm_err err = {0};
    struct kid k = {0};
    const char *body = "{" KID_MIN "}";
    enum cm_code rc = cm_json_decode(body, strlen(body), kid_fields, CM_ARRAY_LEN(kid_fields), &k,
                                     NULL, small, &err);
    cm_arena_free(small);
    assert_int_equal(rc, CM_ETOOBIG);
}

/* ---- replies without a server -----------------------------------------------------------------
 */

static void
test_reply_error_body_is_valid_json_even_for_cut_utf8(void **state)
{
    CM_UNUSED(state);
    struct cm_http_response res = {0};
    cm_buf_init(&res.body, g_arena, 4096);
    cm_http_reply_error(&res, 400, "invalid", "na\"me", "cut \xc3 here \x01 \\ end");
    assert_int_equal(res.status, 400);
    json_error_t jerr;
    json_t *j = json_loadb(res.body.data, res.body.len, 0, &jerr);
    assert_non_null(j);
    const char *code = NULL, *msg = NULL, *field = NULL;
    assert_int_equal(json_unpack(j, "{s:{s:s,s:s,s:s}}", "error", "code", &code, "message", &msg,
                                 "field", &field),
                     0);
    assert_string_equal(code, "invalid");
    assert_string_equal(field, "na\"me");
    assert_string_equal(msg, "cut \xef\xbf\xbd here \x01 \\ end");
    json_decref(j);
}

static void
test_reply_json_is_compact(void **state)
{
    CM_UNUSED(state);
    struct cm_http_response res = {0};
    cm_buf_init(&res.body, g_arena, 4096);
    json_t *j = json_pack("{s:i,s:[s]}", "a", 1, "b", "c");
    cm_http_reply_json(&res, 201, j);
    json_decref(j);
    assert_int_equal(res.status, 201);
    assert_string_equal(res.body.data, "{\"a\":1,\"b\":[\"c\"]}");
    assert_int_equal(res.body.len, strlen("{\"a\":1,\"b\":[\"c\"]}"));
    cm_http_reply_empty(&res, 204);
    assert_int_equal(res.status, 204);
    assert_int_equal(res.body.len, 0);
}

/* ---- static assets ----------------------------------------------------------------------------
 */

static const unsigned char index_html[] = "<!doctype html><title>t</title>";
static const unsigned char app_js[] = "console.log(1);";
static const unsigned char app_js_gz[] = "\x1f\x8b pretend gzip";

static const struct cm_http_asset test_assets[] = {
    {"/assets/app.0123abcd.js", "text/javascript; charset=utf-8", app_js, sizeof(app_js) - 1, true,
     "\"aaaa\"", app_js_gz, sizeof(app_js_gz) - 1, "\"aaaa-gz\""},
    {"/", "text/html; charset=utf-8", index_html, sizeof(index_html) - 1, false, "\"bbbb\"", NULL,
     0, NULL},
};

static bool
asset(const char *method, const char *path, const char *inm, const char *ae,
      struct cm_http_asset_reply *out)
{
    return cm_http_asset_answer(test_assets, CM_ARRAY_LEN(test_assets), method, path, inm, ae, out);
}

static void
test_asset_paths_not_in_the_table_are_left_to_the_routes(void **state)
{
    CM_UNUSED(state);
    struct cm_http_asset_reply r = {.status = 7};
    assert_false(asset("GET", "/hello", NULL, NULL, &r));
    assert_false(asset("GET", "/assets/app.0123abcd.js/", NULL, NULL, &r));
    assert_false(asset("GET", "/assets/app.0123abcd", NULL, NULL, &r));
    assert_false(asset("GET", "/index.html", NULL, NULL, &r));
    assert_false(asset("GET", "", NULL, NULL, &r));
    assert_int_equal(r.status, 7);
    assert_false(cm_http_asset_answer(NULL, 0, "GET", "/", NULL, NULL, &r));
}

static void
test_asset_hashed_file_is_cached_a_year_and_the_page_is_revalidated(void **state)
{
    CM_UNUSED(state);
    struct cm_http_asset_reply r;
    assert_true(asset("GET", "/assets/app.0123abcd.js", NULL, NULL, &r));
    assert_int_equal(r.status, 200);
    assert_string_equal(r.cache_control, "public, max-age=31536000, immutable");
    assert_string_equal(r.etag, "\"aaaa\"");
    assert_string_equal(r.type, "text/javascript; charset=utf-8");
    assert_ptr_equal(r.data, app_js);
    assert_int_equal(r.len, sizeof(app_js) - 1);
    assert_false(r.gzip);
    assert_true(r.vary);
    assert_true(asset("HEAD", "/", NULL, NULL, &r));
    assert_int_equal(r.status, 200);
    assert_string_equal(r.cache_control, "no-cache");
    assert_string_equal(r.etag, "\"bbbb\"");
    assert_ptr_equal(r.data, index_html);
    assert_false(r.vary);
}

static void
test_asset_if_none_match_naming_the_etag_is_304(void **state)
{
    CM_UNUSED(state);
    struct cm_http_asset_reply r;
    static const char *const hits[] = {"\"bbbb\"", "W/\"bbbb\"", "\"x\", \"bbbb\"",
                                       " \"x\" ,W/\"bbbb\" ", "*"};
    for (size_t i = 0; i < CM_ARRAY_LEN(hits); i++) {
        assert_true(asset("GET", "/", hits[i], NULL, &r));
        if (r.status != 304)
            fail_msg("If-None-Match %s gave %d", hits[i], r.status);
        assert_null(r.data);
        assert_int_equal(r.len, 0);
        assert_string_equal(r.etag, "\"bbbb\"");
        assert_string_equal(r.cache_control, "no-cache");
    }
    static const char *const misses[] = {"",         "\"bbb\"", "\"bbbbb\"", "bbbb",
                                         "\"aaaa\"", "W/",      ",",         "\"BBBB\""};
    for (size_t i = 0; i < CM_ARRAY_LEN(misses); i++) {
        assert_true(asset("GET", "/", misses[i], NULL, &r));
        if (r.status != 200)
            fail_msg("If-None-Match '%s' gave %d", misses[i], r.status);
        assert_ptr_equal(r.data, index_html);
    }
    /* The validator is the one of the representation that would be sent. */
    assert_true(asset("GET", "/assets/app.0123abcd.js", "\"aaaa-gz\"", "gzip", &r));
    assert_int_equal(r.status, 304);
    assert_true(asset("GET", "/assets/app.0123abcd.js", "\"aaaa-gz\"", NULL, &r));
    assert_int_equal(r.status, 200);
    assert_false(r.gzip);
}

static void
test_asset_other_methods_are_405(void **state)
{
    CM_UNUSED(state);
    static const char *const methods[] = {"POST", "PUT", "PATCH", "DELETE", "OPTIONS", "get"};
    for (size_t i = 0; i < CM_ARRAY_LEN(methods); i++) {
        struct cm_http_asset_reply r;
        assert_true(asset(methods[i], "/", NULL, NULL, &r));
        assert_int_equal(r.status, 405);
        assert_null(r.data);
    }
}

static void
test_asset_gzip_copy_goes_only_to_clients_that_accept_it(void **state)
{
    CM_UNUSED(state);
    static const struct {
        const char *ae;
        bool gzip;
    } cases[] = {
        {NULL, false},
        {"", false},
        {"gzip", true},
        {"GZip", true},
        {"x-gzip", true},
        {"gzip, deflate, br", true},
        {"br;q=1.0, gzip;q=0.8", true},
        {"deflate, br", false},
        {"identity", false},
        {"gzip;q=0", false},
        {"gzip; q=0.000", false},
        {"gzip;q=0.001", true},
        {"*", true},
        {"*;q=0", false},
        {"*, gzip;q=0", false},
        {"gzipx", false},
        {"gzi", false},
    };
    for (size_t i = 0; i < CM_ARRAY_LEN(cases); i++) {
        struct cm_http_asset_reply r;
        assert_true(asset("GET", "/assets/app.0123abcd.js", NULL, cases[i].ae, &r));
        if (r.gzip != cases[i].gzip)
            fail_msg("Accept-Encoding '%s': gzip %d", cases[i].ae ? cases[i].ae : "(none)", r.gzip);
        assert_ptr_equal(r.data, cases[i].gzip ? app_js_gz : app_js);
        assert_string_equal(r.etag, cases[i].gzip ? "\"aaaa-gz\"" : "\"aaaa\"");
        assert_true(r.vary);
    }
    /* No gzipped copy: the plain file, whatever the client accepts. */
    struct cm_http_asset_reply r;
    assert_true(asset("GET", "/", NULL, "gzip", &r));
    assert_false(r.gzip);
    assert_ptr_equal(r.data, index_html);
}

/* ---- a real server ----------------------------------------------------------------------------
 */

static struct cm_http_server *g_srv;
static int g_port;

static void
hello(struct cm_http_request *req, struct cm_http_response *res)
{
    CM_UNUSED(req);
    json_t *j = json_pack("{s:s}", "hello", "world");
    cm_http_reply_json(res, 200, j);
    json_decref(j);
    cm_http_header_add(res, "X-Test", "one");
    cm_http_header_add(res, "ETag", "\"3\"");
}

static void
thing(struct cm_http_request *req, struct cm_http_response *res)
{
    json_t *j = json_pack("{s:I,s:s,s:s}", "id", (json_int_t)req->params[0], "method", req->method,
                          "path", req->path);
    cm_http_reply_json(res, 200, j);
    json_decref(j);
}

struct note {
    const char *text;
    int64_t n;
};

static const struct cm_json_field note_fields[] = {
    {"text", CM_JSON_STRING, offsetof(struct note, text), true, false, 0, 0, 0, 0},
    {"n", CM_JSON_INT64, offsetof(struct note, n), false, false, 0, 0, 0, 0},
};

static void
post_note(struct cm_http_request *req, struct cm_http_response *res)
{
    struct note nt = {0};
    struct cm_err err = {0};
    if (cm_json_decode(req->body, req->body_len, note_fields, CM_ARRAY_LEN(note_fields), &nt, NULL,
                       req->arena, &err) != CM_OK) {
        cm_http_reply_error(res, 400, cm_code_name(err.code), err.field, err.msg);
        return;
    }
    json_t *j = json_pack("{s:s,s:I,s:I}", "text", nt.text, "n", (json_int_t)nt.n, "len",
                          (json_int_t)req->body_len);
    cm_http_reply_json(res, 201, j);
    json_decref(j);
}

static void
exhaust(struct cm_http_request *req, struct cm_http_response *res)
{
    cm_http_header_add(res, "X-Exhaust", "1");
    while (cm_arena_alloc(req->arena, 4096) != NULL)
        ;
    json_t *j = json_pack("{s:s}", "never", "sent");
    cm_http_reply_json(res, 200, j);
    json_decref(j);
}

static void
no_status(struct cm_http_request *req, struct cm_http_response *res)
{
    CM_UNUSED(req);
    CM_UNUSED(res);
}

static void
bad_header(struct cm_http_request *req, struct cm_http_response *res)
{
    CM_UNUSED(req);
    cm_http_header_add(res, "X-Fine", "yes");
    cm_http_header_add(res, "X-Evil", "a\r\nSet-Cookie: x=y");
    cm_http_reply_empty(res, 204); /* a reply after the refusal must not hide it */
}

static void
echo_query(struct cm_http_request *req, struct cm_http_response *res)
{
    static const char *const allowed[] = {"q", "tier", "flag", NULL};
    struct cm_err err = {0};
    if (cm_http_query_only(req, allowed, &err) != CM_OK) {
        cm_http_reply_error(res, 400, cm_code_name(err.code), err.field, err.msg);
        return;
    }
    const char *q = cm_http_query(req, "q");
    const char *flag = cm_http_query(req, "flag");
    const char *cookie = cm_http_cookie(req, "caremap");
    const char *hdr = cm_http_header(req, "x-csrf-token");
    json_t *j = json_pack("{s:s?,s:s?,s:s?,s:s?,s:s}", "q", q, "flag", flag, "cookie", cookie,
                          "csrf", hdr, "ip", req->client_ip);
    cm_http_reply_json(res, 200, j);
    json_decref(j);
}

/* Deferred replies: the handler parks the request; the test's thread answers it later. */
#define DEFERRED_CLIENTS 8

static pthread_mutex_t g_park_mu = PTHREAD_MUTEX_INITIALIZER;
static pthread_cond_t g_park_cv = PTHREAD_COND_INITIALIZER;
static struct cm_http_request *g_parked_req[DEFERRED_CLIENTS];
static struct cm_http_response *g_parked_res[DEFERRED_CLIENTS];
static int g_parked;

static void
park(struct cm_http_request *req, struct cm_http_response *res)
{
    cm_http_reply_error(res, 500, "internal", "", "the resumer never answered");
    cm_http_defer(req);
    pthread_mutex_lock(&g_park_mu);
    if (g_parked < DEFERRED_CLIENTS) {
        g_parked_req[g_parked] = req;
        g_parked_res[g_parked] = res;
        g_parked++;
        pthread_cond_broadcast(&g_park_cv);
    }
    pthread_mutex_unlock(&g_park_mu);
}

/* Resumes before the handler returns: the server must answer at once, not suspend forever. */
static void
resume_early(struct cm_http_request *req, struct cm_http_response *res)
{
    cm_http_defer(req);
    json_t *j = json_pack("{s:b}", "early", 1);
    cm_http_reply_json(res, 200, j);
    json_decref(j);
    cm_http_resume(req);
}

static const struct cm_http_route test_routes[] = {
    {"GET", "/hello", hello, 0},
    {"GET", "/api/things/{id}", thing, CM_HTTP_NO_STORE},
    {"DELETE", "/api/things/{id}", thing, CM_HTTP_NO_STORE},
    {"POST", "/api/notes", post_note, CM_HTTP_NO_STORE},
    {"GET", "/exhaust", exhaust, 0},
    {"GET", "/no-status", no_status, 0},
    {"GET", "/bad-header", bad_header, 0},
    {"GET", "/query", echo_query, 0},
    {"GET", "/park", park, 0},
    {"GET", "/resume-early", resume_early, 0},
};

#define BODY_MAX 1024

/* Counts after_handler calls; the app pointer is what the server config gave. */
static int g_after_calls;
static void *g_after_app;

static void
count_after(void *app)
{
    g_after_app = app;
    g_after_calls++;
}

static int
server_start_with(int per_ip, int timeout_s)
{
    if (sodium_init() < 0)
        return -1;
    struct cm_http_config cfg = {
        .listen = "127.0.0.1:0",
        .threads = 2,
        .conn_limit = 64,
        .per_ip_conn_limit = per_ip,
        .conn_timeout_s = timeout_s,
        .body_max_bytes = BODY_MAX,
        .arena_max_bytes = 256 * 1024,
        .mhd_memory_bytes = 16 * 1024,
        .app = &g_after_calls,
        .after_handler = count_after,
        .assets = test_assets,
        .nassets = CM_ARRAY_LEN(test_assets),
    };
    struct cm_err err = {0};
    if (cm_http_server_start(&cfg, test_routes, CM_ARRAY_LEN(test_routes), &g_srv, &err) != CM_OK) {
        fprintf(stderr, "server start: %s\n", err.msg);
        return -1;
    }
    g_port = cm_http_server_port(g_srv);
    return g_port > 0 ? 0 : -1;
}

static int
server_setup(void **state)
{
    CM_UNUSED(state);
    return server_start_with(32, 5);
}

static int
server_teardown(void **state)
{
    CM_UNUSED(state);
    cm_http_server_stop(g_srv);
    g_srv = NULL;
    return 0;
}

struct http_reply {
    int status;
    char raw[65536];
    size_t len;
    const char *body; /* into raw */
};

static int
dial(int port)
{
    int fd = socket(AF_INET, SOCK_STREAM, 0);
    assert_true(fd >= 0);
    struct sockaddr_in sa = {0};
    sa.sin_family = AF_INET;
    sa.sin_port = htons((uint16_t)port);
    sa.sin_addr.s_addr = htonl(INADDR_LOOPBACK);
    assert_int_equal(connect(fd, (struct sockaddr *)&sa, sizeof(sa)), 0);
    return fd;
}

static void
send_all(int fd, const char *p, size_t n)
{
    while (n > 0) {
        ssize_t w = send(fd, p, n, MSG_NOSIGNAL);
        if (w <= 0)
            return; /* the server may close early (413): reading tells the rest */
        p += w;
        n -= (size_t)w;
    }
}

/* Reads until the server closes or 5 s pass; then parses the status line. */
static void
read_reply(int fd, struct http_reply *r)
{
    r->len = 0;
    r->status = 0;
    r->body = NULL;
    double deadline = cm_time_mono_ms() + 5000;
    while (r->len < sizeof(r->raw) - 1) {
        double left = deadline - cm_time_mono_ms();
        if (left <= 0)
            break;
        struct pollfd pfd = {fd, POLLIN, 0};
        if (poll(&pfd, 1, (int)left) <= 0)
            break;
        ssize_t n = recv(fd, r->raw + r->len, sizeof(r->raw) - 1 - r->len, 0);
        if (n <= 0)
            break;
        r->len += (size_t)n;
    }
    r->raw[r->len] = '\0';
    if (strncmp(r->raw, "HTTP/1.1 ", 9) == 0)
        r->status = atoi(r->raw + 9);
    char *end = strstr(r->raw, "\r\n\r\n");
    r->body = end ? end + 4 : r->raw + r->len;
}

static void
exchange(const char *request, size_t len, struct http_reply *r)
{
    int fd = dial(g_port);
    send_all(fd, request, len);
    read_reply(fd, r);
    close(fd);
}

static void
get(const char *method, const char *target, const char *extra_headers, struct http_reply *r)
{
    char req[4096];
    int n = snprintf(req, sizeof(req), "%s %s HTTP/1.1\r\nHost: x\r\nConnection: close\r\n%s\r\n",
                     method, target, extra_headers ? extra_headers : "");
    assert_true(n > 0 && (size_t)n < sizeof(req));
    exchange(req, (size_t)n, r);
}

/* A header's value (case-insensitive name) copied into out, or NULL. */
static const char *
header(const struct http_reply *r, const char *name, char *out, size_t size)
{
    const char *p = strstr(r->raw, "\r\n");
    size_t nlen = strlen(name);
    while (p != NULL && p < r->body - 2) {
        p += 2;
        if (strncasecmp(p, name, nlen) == 0 && p[nlen] == ':') {
            const char *v = p + nlen + 1;
            while (*v == ' ')
                v++;
            size_t vlen = strcspn(v, "\r");
            if (vlen >= size)
                vlen = size - 1;
            memcpy(out, v, vlen);
            out[vlen] = '\0';
            return out;
        }
        p = strstr(p, "\r\n");
    }
    return NULL;
}

static void
assert_header(const struct http_reply *r, const char *name, const char *want)
{
    char v[512];
    if (header(r, name, v, sizeof(v)) == NULL)
        fail_msg("header %s missing in:\n%s", name, r->raw);
    if (strcmp(v, want) != 0)
        fail_msg("header %s is '%s', want '%s'", name, v, want);
}

static void
assert_error_code(const struct http_reply *r, const char *code)
{
    json_error_t jerr;
    json_t *j = json_loads(r->body, 0, &jerr);
    if (j == NULL)
        fail_msg("body is not JSON: '%s'", r->body);
    const char *got = NULL;
    int rc = json_unpack(j, "{s:{s:s}}", "error", "code", &got);
    bool same = rc == 0 && strcmp(got, code) == 0;
    json_decref(j);
    if (!same)
        fail_msg("want error code %s in '%s'", code, r->body);
}

static void
assert_security_headers(const struct http_reply *r)
{
    char id[64];
    assert_non_null(header(r, "X-Request-Id", id, sizeof(id)));
    assert_int_equal(strlen(id), 16);
    assert_int_equal(strspn(id, "0123456789abcdef"), 16);
    assert_header(r, "Content-Security-Policy",
                  "default-src 'self'; frame-ancestors 'none'; base-uri 'none'; form-action "
                  "'self'");
    assert_header(r, "X-Content-Type-Options", "nosniff");
    assert_header(r, "Referrer-Policy", "no-referrer");
    assert_header(r, "X-Frame-Options", "DENY");
}

static struct http_reply g_reply;

static void
test_server_answers_json_with_security_headers(void **state)
{
    CM_UNUSED(state);
    struct http_reply *r = &g_reply;
    get("GET", "/hello", NULL, r);
    assert_int_equal(r->status, 200);
    assert_string_equal(r->body, "{\"hello\":\"world\"}");
    assert_header(r, "Content-Type", "application/json; charset=utf-8");
    assert_security_headers(r);
    assert_header(r, "X-Test", "one");
    assert_header(r, "ETag", "\"3\"");
    char v[64];
    assert_null(header(r, "Cache-Control", v, sizeof(v)));
}

static void
test_server_deferred_reply_resumed_inside_the_handler_is_sent(void **state)
{
    CM_UNUSED(state);
    get("GET", "/resume-early", NULL, &g_reply);
    assert_int_equal(g_reply.status, 200);
    assert_string_equal(g_reply.body, "{\"early\":true}");
}

/* A client without cmocka asserts (they must not run off the main thread): the status or -1. */
static void *
park_client(void *arg)
{
    int *status = arg;
    *status = -1;
    int fd = socket(AF_INET, SOCK_STREAM, 0);
    struct sockaddr_in sa = {.sin_family = AF_INET, .sin_port = htons((uint16_t)g_port)};
    sa.sin_addr.s_addr = htonl(INADDR_LOOPBACK);
    if (fd < 0 || connect(fd, (struct sockaddr *)&sa, sizeof(sa)) != 0)
        goto out;
    static const char req[] = "GET /park HTTP/1.1\r\nHost: x\r\nConnection: close\r\n\r\n";
    if (write(fd, req, sizeof(req) - 1) != (ssize_t)(sizeof(req) - 1))
        goto out;
    char buf[4096];
    ssize_t n = read(fd, buf, sizeof(buf) - 1);
    if (n > 12) {
        buf[n] = '\0';
        if (sscanf(buf, "HTTP/1.1 %d", status) != 1)
            *status = -1;
    }
out:
    if (fd >= 0)
        close(fd);
    return NULL;
}

/* The server has 2 worker threads. The 8 requests are answered only after all 8 handlers have run
 * and parked their request: if a deferred request held its worker thread, at most 2 handlers could
 * run and the deadline would pass. */
static void
test_server_deferred_requests_do_not_hold_worker_threads(void **state)
{
    CM_UNUSED(state);
    g_parked = 0;
    pthread_t clients[DEFERRED_CLIENTS];
    int status[DEFERRED_CLIENTS];
    for (int i = 0; i < DEFERRED_CLIENTS; i++)
        assert_int_equal(pthread_create(&clients[i], NULL, park_client, &status[i]), 0);
    struct timespec deadline;
    clock_gettime(CLOCK_REALTIME, &deadline);
    deadline.tv_sec += 20;
    pthread_mutex_lock(&g_park_mu);
    int rc = 0;
    while (g_parked < DEFERRED_CLIENTS && rc == 0)
        rc = pthread_cond_timedwait(&g_park_cv, &g_park_mu, &deadline);
    int parked = g_parked;
    pthread_mutex_unlock(&g_park_mu);
    for (int i = 0; i < parked; i++) {
        json_t *j = json_pack("{s:i}", "n", i);
        cm_http_reply_json(g_parked_res[i], 202, j);
        json_decref(j);
        cm_http_resume(g_parked_req[i]);
    }
    for (int i = 0; i < DEFERRED_CLIENTS; i++)
        pthread_join(clients[i], NULL);
    assert_int_equal(parked, DEFERRED_CLIENTS);
    for (int i = 0; i < DEFERRED_CLIENTS; i++)
        assert_int_equal(status[i], 202);
}

static void
test_server_runs_after_handler_once_per_handled_request_before_replying(void **state)
{
    CM_UNUSED(state);
    int before = g_after_calls;
    get("GET", "/hello", NULL, &g_reply);
    assert_int_equal(g_reply.status, 200);
    assert_int_equal(g_after_calls, before + 1);
    assert_ptr_equal(g_after_app, &g_after_calls);
    get("GET", "/resume-early", NULL, &g_reply); /* deferred: still once */
    assert_int_equal(g_after_calls, before + 2);
    get("GET", "/no-such-route", NULL, &g_reply); /* no handler ran */
    assert_int_equal(g_reply.status, 404);
    assert_int_equal(g_after_calls, before + 2);
}

static void
test_server_request_ids_differ(void **state)
{
    CM_UNUSED(state);
    char a[64], b[64];
    get("GET", "/hello", NULL, &g_reply);
    assert_non_null(header(&g_reply, "X-Request-Id", a, sizeof(a)));
    get("GET", "/hello", NULL, &g_reply);
    assert_non_null(header(&g_reply, "X-Request-Id", b, sizeof(b)));
    assert_string_not_equal(a, b);
}

static void
test_server_no_store_routes_send_cache_control(void **state)
{
    CM_UNUSED(state);
    get("GET", "/api/things/42", NULL, &g_reply);
    assert_int_equal(g_reply.status, 200);
    assert_header(&g_reply, "Cache-Control", "no-store");
    assert_string_equal(g_reply.body, "{\"id\":42,\"method\":\"GET\",\"path\":\"/api/things/42\"}");
}

static void
test_server_percent_encoded_path_is_decoded_before_routing(void **state)
{
    CM_UNUSED(state);
    get("GET", "/api/th%69ngs/%34%32?x=1", NULL, &g_reply);
    assert_int_equal(g_reply.status, 200);
    assert_non_null(strstr(g_reply.body, "\"id\":42"));
    assert_non_null(strstr(g_reply.body, "\"path\":\"/api/things/42\""));
}

static void
test_server_unknown_path_is_404_json(void **state)
{
    CM_UNUSED(state);
    get("GET", "/nowhere", NULL, &g_reply);
    assert_int_equal(g_reply.status, 404);
    assert_error_code(&g_reply, "not_found");
    assert_security_headers(&g_reply);
    get("GET", "/api/things/0", NULL, &g_reply);
    assert_int_equal(g_reply.status, 404);
    get("GET", "/hello/", NULL, &g_reply);
    assert_int_equal(g_reply.status, 404);
    /* A 404 is cacheable by default: a proxy must not remember that a record was missing. */
    get("GET", "/api/nothing/here", NULL, &g_reply);
    assert_int_equal(g_reply.status, 404);
    assert_header(&g_reply, "Cache-Control", "no-store");
    /* Escapes cut short stay as they are, as MHD leaves them. */
    get("GET", "/hello%4", NULL, &g_reply);
    assert_int_equal(g_reply.status, 404);
    get("GET", "/hello%", NULL, &g_reply);
    assert_int_equal(g_reply.status, 404);
    get("GET", "/hello%zz", NULL, &g_reply);
    assert_int_equal(g_reply.status, 404);
}

static void
test_server_wrong_method_is_405_with_allow(void **state)
{
    CM_UNUSED(state);
    get("PUT", "/api/things/7", "Content-Length: 0\r\n", &g_reply);
    assert_int_equal(g_reply.status, 405);
    assert_header(&g_reply, "Allow", "GET, DELETE");
    assert_error_code(&g_reply, "method_not_allowed");
    get("OPTIONS", "/hello", NULL, &g_reply);
    assert_int_equal(g_reply.status, 405);
    assert_header(&g_reply, "Allow", "GET");
}

static void
test_server_head_gets_headers_without_body(void **state)
{
    CM_UNUSED(state);
    get("HEAD", "/hello", NULL, &g_reply);
    assert_int_equal(g_reply.status, 200);
    assert_string_equal(g_reply.body, "");
    assert_header(&g_reply, "X-Test", "one");
}

static void
test_server_serves_an_asset_with_security_headers_type_etag_and_cache(void **state)
{
    CM_UNUSED(state);
    int handled = g_after_calls;
    get("GET", "/assets/app.0123abcd.js", NULL, &g_reply);
    assert_int_equal(g_reply.status, 200);
    assert_security_headers(&g_reply);
    assert_header(&g_reply, "Content-Type", "text/javascript; charset=utf-8");
    assert_header(&g_reply, "ETag", "\"aaaa\"");
    assert_header(&g_reply, "Cache-Control", "public, max-age=31536000, immutable");
    assert_header(&g_reply, "Vary", "Accept-Encoding");
    char v[64];
    assert_null(header(&g_reply, "Content-Encoding", v, sizeof(v)));
    assert_string_equal(g_reply.body, (const char *)app_js);
    get("GET", "/", NULL, &g_reply);
    assert_int_equal(g_reply.status, 200);
    assert_security_headers(&g_reply);
    assert_header(&g_reply, "Content-Type", "text/html; charset=utf-8");
    assert_header(&g_reply, "Cache-Control", "no-cache");
    assert_header(&g_reply, "ETag", "\"bbbb\"");
    assert_null(header(&g_reply, "Vary", v, sizeof(v)));
    assert_string_equal(g_reply.body, (const char *)index_html);
    /* Answered before routing: no handler ran. */
    assert_int_equal(g_after_calls, handled);
}

static void
test_server_asset_revalidation_is_304_without_a_body(void **state)
{
    CM_UNUSED(state);
    get("GET", "/", "If-None-Match: \"bbbb\"\r\n", &g_reply);
    assert_int_equal(g_reply.status, 304);
    assert_string_equal(g_reply.body, "");
    assert_header(&g_reply, "ETag", "\"bbbb\"");
    assert_header(&g_reply, "Cache-Control", "no-cache");
    assert_security_headers(&g_reply);
    get("GET", "/", "If-None-Match: \"old\"\r\n", &g_reply);
    assert_int_equal(g_reply.status, 200);
    assert_string_equal(g_reply.body, (const char *)index_html);
}

static void
test_server_asset_gzip_copy_is_sent_when_accepted(void **state)
{
    CM_UNUSED(state);
    get("GET", "/assets/app.0123abcd.js", "Accept-Encoding: gzip, deflate\r\n", &g_reply);
    assert_int_equal(g_reply.status, 200);
    assert_header(&g_reply, "Content-Encoding", "gzip");
    assert_header(&g_reply, "ETag", "\"aaaa-gz\"");
    assert_header(&g_reply, "Vary", "Accept-Encoding");
    assert_header(&g_reply, "Content-Type", "text/javascript; charset=utf-8");
    assert_string_equal(g_reply.body, (const char *)app_js_gz);
}

static void
test_server_asset_head_has_no_body_and_other_methods_are_405(void **state)
{
    CM_UNUSED(state);
    get("HEAD", "/assets/app.0123abcd.js", NULL, &g_reply);
    assert_int_equal(g_reply.status, 200);
    assert_string_equal(g_reply.body, "");
    assert_header(&g_reply, "ETag", "\"aaaa\"");
    char len[32];
    assert_string_equal(header(&g_reply, "Content-Length", len, sizeof(len)), "15");
    get("POST", "/", "Content-Length: 0\r\n", &g_reply);
    assert_int_equal(g_reply.status, 405);
    assert_header(&g_reply, "Allow", "GET, HEAD");
    assert_header(&g_reply, "Cache-Control", "no-store");
    assert_error_code(&g_reply, "method_not_allowed");
    assert_security_headers(&g_reply);
    get("DELETE", "/assets/app.0123abcd.js", NULL, &g_reply);
    assert_int_equal(g_reply.status, 405);
    /* Routes beside the assets answer as before. */
    get("GET", "/hello", NULL, &g_reply);
    assert_int_equal(g_reply.status, 200);
    get("GET", "/assets/app.js", NULL, &g_reply);
    assert_int_equal(g_reply.status, 404);
}

static void
test_server_path_with_nul_or_bad_utf8_is_400(void **state)
{
    CM_UNUSED(state);
    get("GET", "/api/things/4%002", NULL, &g_reply);
    assert_int_equal(g_reply.status, 400);
    assert_error_code(&g_reply, "invalid");
    get("GET", "/api/things/%ff", NULL, &g_reply);
    assert_int_equal(g_reply.status, 400);
    get("GET", "/hello%C0%AF", NULL, &g_reply); /* an overlong '/' */
    assert_int_equal(g_reply.status, 400);
}

static void
test_server_post_body_reaches_the_handler(void **state)
{
    CM_UNUSED(state);
    const char *body = "{\"text\":\"hi there\",\"n\":5}";
    char req[512];
    int n = snprintf(req, sizeof(req),
                     "POST /api/notes HTTP/1.1\r\nHost: x\r\nConnection: close\r\n"
                     "Content-Type: application/json\r\nContent-Length: %zu\r\n\r\n%s",
                     strlen(body), body);
    exchange(req, (size_t)n, &g_reply);
    assert_int_equal(g_reply.status, 201);
    assert_string_equal(g_reply.body, "{\"text\":\"hi there\",\"n\":5,\"len\":25}");
}

static void
test_server_chunked_body_reaches_the_handler(void **state)
{
    CM_UNUSED(state);
    const char *req = "POST /api/notes HTTP/1.1\r\nHost: x\r\nConnection: close\r\n"
                      "Transfer-Encoding: chunked\r\n\r\n"
                      "9\r\n{\"text\":\"\r\n"
                      "4\r\nabc\"\r\n"
                      "1\r\n}\r\n"
                      "0\r\n\r\n";
    exchange(req, strlen(req), &g_reply);
    assert_int_equal(g_reply.status, 201);
    assert_string_equal(g_reply.body, "{\"text\":\"abc\",\"n\":0,\"len\":14}");
}

static void
test_server_decode_error_reaches_the_client(void **state)
{
    CM_UNUSED(state);
    const char *req = "POST /api/notes HTTP/1.1\r\nHost: x\r\nConnection: close\r\n"
                      "Content-Length: 11\r\n\r\n{\"text\": 1}";
    exchange(req, strlen(req), &g_reply);
    assert_int_equal(g_reply.status, 400);
    assert_error_code(&g_reply, "invalid");
    assert_non_null(strstr(g_reply.body, "\"field\":\"text\""));
}

static void
test_server_large_content_length_is_413_before_the_body(void **state)
{
    CM_UNUSED(state);
    /* No body is sent at all: the answer must come from the headers alone. */
    const char *req = "POST /api/notes HTTP/1.1\r\nHost: x\r\n"
                      "Content-Length: 100000000\r\n\r\n";
    int fd = dial(g_port);
    send_all(fd, req, strlen(req));
    read_reply(fd, &g_reply);
    close(fd);
    assert_int_equal(g_reply.status, 413);
    assert_error_code(&g_reply, "too_big");
    assert_security_headers(&g_reply);
}

static void
test_server_body_one_byte_over_the_cap_is_413(void **state)
{
    CM_UNUSED(state);
    static char req[BODY_MAX + 256];
    int n = snprintf(req, sizeof(req),
                     "POST /api/notes HTTP/1.1\r\nHost: x\r\nConnection: close\r\n"
                     "Content-Length: %d\r\n\r\n",
                     BODY_MAX + 1);
    memset(req + n, 'x', BODY_MAX + 1);
    exchange(req, (size_t)n + BODY_MAX + 1, &g_reply);
    assert_int_equal(g_reply.status, 413);
}

static void
test_server_chunked_body_over_the_cap_is_413(void **state)
{
    CM_UNUSED(state);
    static char req[4 * BODY_MAX];
    int n = snprintf(req, sizeof(req),
                     "POST /api/notes HTTP/1.1\r\nHost: x\r\nConnection: close\r\n"
                     "Transfer-Encoding: chunked\r\n\r\n");
    for (int i = 0; i < 3; i++) {
        n += snprintf(req + n, sizeof(req) - (size_t)n, "200\r\n");
        memset(req + n, 'y', 0x200);
        n += 0x200;
        n += snprintf(req + n, sizeof(req) - (size_t)n, "\r\n");
    }
    n += snprintf(req + n, sizeof(req) - (size_t)n, "0\r\n\r\n");
    exchange(req, (size_t)n, &g_reply);
    assert_int_equal(g_reply.status, 413);
    assert_error_code(&g_reply, "too_big");
}

static void
test_server_handler_that_exhausts_the_arena_gets_413(void **state)
{
    CM_UNUSED(state);
    get("GET", "/exhaust", NULL, &g_reply);
    assert_int_equal(g_reply.status, 413);
    assert_error_code(&g_reply, "too_big");
    assert_security_headers(&g_reply);
    char v[64];
    assert_null(header(&g_reply, "X-Exhaust", v, sizeof(v))); /* the handler's reply is gone */
}

static void
test_server_handler_without_status_gets_500(void **state)
{
    CM_UNUSED(state);
    get("GET", "/no-status", NULL, &g_reply);
    assert_int_equal(g_reply.status, 500);
    assert_error_code(&g_reply, "internal");
}

static void
test_server_header_with_crlf_is_refused(void **state)
{
    CM_UNUSED(state);
    get("GET", "/bad-header", NULL, &g_reply);
    assert_int_equal(g_reply.status, 500);
    char v[64];
    assert_null(header(&g_reply, "Set-Cookie", v, sizeof(v)));
    assert_null(header(&g_reply, "X-Evil", v, sizeof(v)));
    assert_null(header(&g_reply, "X-Fine", v, sizeof(v)));
}

static void
test_server_huge_headers_are_refused_by_mhd(void **state)
{
    CM_UNUSED(state);
    static char req[40000];
    int n = snprintf(req, sizeof(req), "GET /hello HTTP/1.1\r\nHost: x\r\nX-Big: ");
    memset(req + n, 'z', 32000);
    n += 32000;
    n += snprintf(req + n, sizeof(req) - (size_t)n, "\r\nConnection: close\r\n\r\n");
    exchange(req, (size_t)n, &g_reply);
    /* libmicrohttpd 0.9.75 answers 431 itself (its own HTML body), before our handler runs. */
    assert_int_equal(g_reply.status, 431);
}

static void
test_server_huge_request_line_is_refused_by_mhd(void **state)
{
    CM_UNUSED(state);
    static char req[40000];
    int n = snprintf(req, sizeof(req), "GET /hello?q=");
    memset(req + n, 'q', 32000);
    n += 32000;
    n += snprintf(req + n, sizeof(req) - (size_t)n, " HTTP/1.1\r\nHost: x\r\n\r\n");
    exchange(req, (size_t)n, &g_reply);
    /* The request line overflows MHD's per-connection memory: 414 from MHD itself. */
    assert_int_equal(g_reply.status, 414);
}

static void
test_server_query_cookie_and_header_helpers(void **state)
{
    CM_UNUSED(state);
    get("GET", "/query?q=caf%C3%A9+au&flag&tier=2",
        "Cookie: other=1; caremap=tok123\r\nX-CSRF-Token: abc\r\n", &g_reply);
    assert_int_equal(g_reply.status, 200);
    json_t *j = json_loads(g_reply.body, 0, NULL);
    assert_non_null(j);
    const char *q = NULL, *flag = NULL, *cookie = NULL, *csrf = NULL, *ip = NULL;
    assert_int_equal(json_unpack(j, "{s:s,s:s,s:s,s:s,s:s}", "q", &q, "flag", &flag, "cookie",
                                 &cookie, "csrf", &csrf, "ip", &ip),
                     0);
    assert_string_equal(q, "café au");
    assert_string_equal(flag, "");
    assert_string_equal(cookie, "tok123");
    assert_string_equal(csrf, "abc");
    assert_string_equal(ip, "127.0.0.1");
    json_decref(j);
}

static void
test_server_query_names_are_case_sensitive(void **state)
{
    CM_UNUSED(state);
    get("GET", "/query?Q=x", NULL, &g_reply);
    assert_int_equal(g_reply.status, 400);
    assert_non_null(strstr(g_reply.body, "\"field\":\"Q\""));
}

static void
test_server_query_only_rejects_unknown_duplicate_and_bad_values(void **state)
{
    CM_UNUSED(state);
    get("GET", "/query?q=a&sort=name", NULL, &g_reply);
    assert_int_equal(g_reply.status, 400);
    assert_non_null(strstr(g_reply.body, "\"field\":\"sort\""));
    assert_non_null(strstr(g_reply.body, "unknown query parameter"));
    get("GET", "/query?tier=1&tier=2", NULL, &g_reply);
    assert_int_equal(g_reply.status, 400);
    assert_non_null(strstr(g_reply.body, "more than once"));
    get("GET", "/query?q=a%00b", NULL, &g_reply);
    assert_int_equal(g_reply.status, 400);
    assert_non_null(strstr(g_reply.body, "\"field\":\"q\""));
    get("GET", "/query?q=%ff", NULL, &g_reply);
    assert_int_equal(g_reply.status, 400);
    get("GET", "/query", NULL, &g_reply);
    assert_int_equal(g_reply.status, 200);
    assert_non_null(strstr(g_reply.body, "\"q\":null"));
}

static void
test_server_keeps_the_connection_alive_between_requests(void **state)
{
    CM_UNUSED(state);
    int fd = dial(g_port);
    const char *two = "GET /hello HTTP/1.1\r\nHost: x\r\n\r\n"
                      "GET /api/things/9 HTTP/1.1\r\nHost: x\r\nConnection: close\r\n\r\n";
    send_all(fd, two, strlen(two));
    read_reply(fd, &g_reply);
    close(fd);
    assert_int_equal(g_reply.status, 200);
    assert_non_null(strstr(g_reply.raw, "{\"hello\":\"world\"}"));
    assert_non_null(strstr(g_reply.raw, "\"id\":9"));
}

static void
test_server_stops_with_an_idle_connection_open(void **state)
{
    CM_UNUSED(state);
    int idle = dial(g_port);
    int half = dial(g_port);
    send_all(half, "GET /hel", 8); /* a request cut in the middle */
    get("GET", "/hello", NULL, &g_reply);
    assert_int_equal(g_reply.status, 200);
    cm_http_server_stop(g_srv);
    g_srv = NULL;
    close(idle);
    close(half);
}

/* Waits (up to ms) until the server closes fd; true if it did. */
static bool
closed_within(int fd, double ms)
{
    double deadline = cm_time_mono_ms() + ms;
    for (;;) {
        double left = deadline - cm_time_mono_ms();
        if (left <= 0)
            return false;
        struct pollfd pfd = {fd, POLLIN, 0};
        int n = poll(&pfd, 1, (int)left);
        if (n < 0)
            return false;
        if (n == 0)
            continue;
        char c;
        ssize_t got = recv(fd, &c, 1, MSG_PEEK);
        return got <= 0;
    }
}

static void
test_server_per_ip_limit_closes_the_extra_connection(void **state)
{
    CM_UNUSED(state);
    assert_int_equal(server_start_with(2, 30), 0);
    int fds[3];
    for (size_t i = 0; i < 3; i++)
        fds[i] = dial(g_port);
    /* Which one MHD refuses depends on accept order; exactly one is closed at once. */
    int refused = -1;
    double deadline = cm_time_mono_ms() + 5000;
    while (refused < 0 && cm_time_mono_ms() < deadline) {
        for (int i = 0; i < 3 && refused < 0; i++) {
            if (closed_within(fds[i], 20))
                refused = i;
        }
    }
    assert_true(refused >= 0);
    for (int i = 0; i < 3; i++) {
        if (i == refused)
            continue;
        const char *req = "GET /hello HTTP/1.1\r\nHost: x\r\nConnection: close\r\n\r\n";
        send_all(fds[i], req, strlen(req));
        read_reply(fds[i], &g_reply);
        assert_int_equal(g_reply.status, 200);
    }
    for (int i = 0; i < 3; i++)
        close(fds[i]);
}

static void
test_server_idle_connection_times_out(void **state)
{
    CM_UNUSED(state);
    assert_int_equal(server_start_with(32, 1), 0);
    int fd = dial(g_port);
    send_all(fd, "GET /hel", 8);
    bool closed = closed_within(fd, 5000);
    close(fd);
    assert_true(closed);
}

/* The access log: one info line per request naming the route pattern, never the raw path. */
static void
test_server_access_log_names_the_pattern_not_the_path(void **state)
{
    CM_UNUSED(state);
    char path[] = "/tmp/cm-http-log-XXXXXX";
    int lf = mkstemp(path);
    assert_true(lf >= 0);
    fflush(stderr);
    int saved = dup(STDERR_FILENO);
    assert_true(saved >= 0);
    assert_int_equal(dup2(lf, STDERR_FILENO), STDERR_FILENO);
    cm_log_set_level(CM_LOG_INFO);
    get("GET", "/api/things/777123?secret=Zuri", NULL, &g_reply);
    /* The line is written by the server thread; poll the file with a deadline. */
    char log[8192] = "";
    double deadline = cm_time_mono_ms() + 5000;
    while (cm_time_mono_ms() < deadline) {
        ssize_t n = pread(lf, log, sizeof(log) - 1, 0);
        log[n > 0 ? n : 0] = '\0';
        if (strstr(log, "route=/api/things/{id}") != NULL)
            break;
        struct pollfd none = {-1, 0, 0};
        poll(&none, 0, 10);
    }
    fflush(stderr);
    dup2(saved, STDERR_FILENO);
    close(saved);
    close(lf);
    unlink(path);
    assert_int_equal(g_reply.status, 200);
    if (strstr(log, "method=GET route=/api/things/{id} status=200 ms=") == NULL)
        fail_msg("no access line in: %s", log);
    assert_null(strstr(log, "777123"));
    assert_null(strstr(log, "Zuri"));
    char id[32];
    assert_non_null(header(&g_reply, "X-Request-Id", id, sizeof(id)));
    char want[64];
    snprintf(want, sizeof(want), "req=%s", id);
    assert_non_null(strstr(log, want));
}

static void
test_server_start_rejects_a_bad_listen_address(void **state)
{
    CM_UNUSED(state);
    static const char *const bad[] = {"localhost:80", "127.0.0.1", "127.0.0.1:", "127.0.0.1:99999",
                                      "127.0.0.1:8x", ":80",       "1.2.3:80"};
    for (size_t i = 0; i < CM_ARRAY_LEN(bad); i++) {
        struct cm_http_config cfg = {
            .listen = bad[i], .threads = 1, .body_max_bytes = 10, .arena_max_bytes = 1 << 16};
        struct cm_http_server *s = (struct cm_http_server *)&cfg;
        struct cm_err err = {0};
        assert_int_equal(cm_http_server_start(&cfg, test_routes, 1, &s, &err), CM_EINVAL);
        assert_null(s);
        assert_string_equal(err.field, "listen");
    }
}

static void
test_server_start_on_a_taken_port_is_an_io_error(void **state)
{
    CM_UNUSED(state);
    char listen[32];
    snprintf(listen, sizeof(listen), "127.0.0.1:%d", g_port);
    struct cm_http_config cfg = {
        .listen = listen, .threads = 1, .body_max_bytes = 10, .arena_max_bytes = 1 << 16};
    struct cm_http_server *s = NULL;
    struct cm_err err = {0};
    assert_int_equal(cm_http_server_start(&cfg, test_routes, 1, &s, &err), CM_EIO);
    assert_null(s);
    assert_non_null(strstr(err.msg, listen));
}

int
main(void)
{
    const struct CMUnitTest tests[] = {
        cmocka_unit_test(test_route_static_path_matches_its_method),
        cmocka_unit_test(test_route_ids_land_in_params_in_order),
        cmocka_unit_test(test_route_pattern_with_too_many_ids_never_matches),
        cmocka_unit_test(test_route_bad_ids_are_not_found),
        cmocka_unit_test(test_route_trailing_slash_matches_only_the_root),
        cmocka_unit_test(test_route_other_method_gives_allowed_mask),
        cmocka_unit_test(test_route_head_is_answered_by_get),
        cmocka_unit_test(test_route_first_match_wins),
        cmocka_unit_test(test_allowed_format_lists_methods_in_order),
        cmocka_unit_test(test_allowed_format_never_cuts_a_method_name),
#define ARENA_TEST(t) cmocka_unit_test_setup_teardown(t, arena_setup, arena_teardown)
        ARENA_TEST(test_json_valid_object_fills_every_field),
        ARENA_TEST(test_json_present_marks_only_given_fields),
        ARENA_TEST(test_json_duplicate_key_is_rejected),
        ARENA_TEST(test_json_unknown_field_is_named),
        ARENA_TEST(test_json_unknown_long_key_is_cut_on_a_character_boundary),
        ARENA_TEST(test_json_wrong_types_name_the_field),
        ARENA_TEST(test_json_deeply_nested_scalar_is_a_wrong_type),
        ARENA_TEST(test_json_nesting_past_the_parser_limit_is_malformed),
        ARENA_TEST(test_json_string_length_counts_characters),
        ARENA_TEST(test_json_string_default_maximum_is_2000_characters),
        ARENA_TEST(test_json_control_characters_are_rejected_but_tab_and_newlines_pass),
        ARENA_TEST(test_json_null_clears_nullable_fields_only),
        ARENA_TEST(test_json_missing_required_field_is_named),
        ARENA_TEST(test_json_syntax_error_gives_line_and_column),
        ARENA_TEST(test_json_trailing_data_is_rejected),
        ARENA_TEST(test_json_body_must_be_an_object),
        ARENA_TEST(test_json_invalid_utf8_and_nul_are_malformed),
        ARENA_TEST(test_json_numbers_are_range_checked),
        ARENA_TEST(test_json_dates_are_checked),
        ARENA_TEST(test_json_strings_are_copied_to_the_arena),
        ARENA_TEST(test_json_exhausted_arena_is_too_big),
        ARENA_TEST(test_reply_error_body_is_valid_json_even_for_cut_utf8),
        ARENA_TEST(test_reply_json_is_compact),
        cmocka_unit_test(test_asset_paths_not_in_the_table_are_left_to_the_routes),
        cmocka_unit_test(test_asset_hashed_file_is_cached_a_year_and_the_page_is_revalidated),
        cmocka_unit_test(test_asset_if_none_match_naming_the_etag_is_304),
        cmocka_unit_test(test_asset_other_methods_are_405),
        cmocka_unit_test(test_asset_gzip_copy_goes_only_to_clients_that_accept_it),
#define SERVER_TEST(t) cmocka_unit_test_setup_teardown(t, server_setup, server_teardown)
        SERVER_TEST(test_server_answers_json_with_security_headers),
        SERVER_TEST(test_server_request_ids_differ),
        SERVER_TEST(test_server_runs_after_handler_once_per_handled_request_before_replying),
        SERVER_TEST(test_server_deferred_reply_resumed_inside_the_handler_is_sent),
        SERVER_TEST(test_server_deferred_requests_do_not_hold_worker_threads),
        SERVER_TEST(test_server_no_store_routes_send_cache_control),
        SERVER_TEST(test_server_percent_encoded_path_is_decoded_before_routing),
        SERVER_TEST(test_server_unknown_path_is_404_json),
        SERVER_TEST(test_server_wrong_method_is_405_with_allow),
        SERVER_TEST(test_server_head_gets_headers_without_body),
        SERVER_TEST(test_server_serves_an_asset_with_security_headers_type_etag_and_cache),
        SERVER_TEST(test_server_asset_revalidation_is_304_without_a_body),
        SERVER_TEST(test_server_asset_gzip_copy_is_sent_when_accepted),
        SERVER_TEST(test_server_asset_head_has_no_body_and_other_methods_are_405),
        SERVER_TEST(test_server_path_with_nul_or_bad_utf8_is_400),
        SERVER_TEST(test_server_post_body_reaches_the_handler),
        SERVER_TEST(test_server_chunked_body_reaches_the_handler),
        SERVER_TEST(test_server_decode_error_reaches_the_client),
        SERVER_TEST(test_server_large_content_length_is_413_before_the_body),
        SERVER_TEST(test_server_body_one_byte_over_the_cap_is_413),
        SERVER_TEST(test_server_chunked_body_over_the_cap_is_413),
        SERVER_TEST(test_server_handler_that_exhausts_the_arena_gets_413),
        SERVER_TEST(test_server_handler_without_status_gets_500),
        SERVER_TEST(test_server_header_with_crlf_is_refused),
        SERVER_TEST(test_server_huge_headers_are_refused_by_mhd),
        SERVER_TEST(test_server_huge_request_line_is_refused_by_mhd),
        SERVER_TEST(test_server_query_cookie_and_header_helpers),
        SERVER_TEST(test_server_query_names_are_case_sensitive),
        SERVER_TEST(test_server_query_only_rejects_unknown_duplicate_and_bad_values),
        SERVER_TEST(test_server_keeps_the_connection_alive_between_requests),
        SERVER_TEST(test_server_stops_with_an_idle_connection_open),
        SERVER_TEST(test_server_access_log_names_the_pattern_not_the_path),
        SERVER_TEST(test_server_start_rejects_a_bad_listen_address),
        cmocka_unit_test_teardown(test_server_per_ip_limit_closes_the_extra_connection,
                                  server_teardown),
        cmocka_unit_test_teardown(test_server_idle_connection_times_out, server_teardown),
        SERVER_TEST(test_server_start_on_a_taken_port_is_an_io_error),
    };
    return cmocka_run_group_tests_name("http", tests, NULL, NULL);
}
