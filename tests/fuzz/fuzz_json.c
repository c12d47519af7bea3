/*
 * Fuzzes cm_json_decode against a field table shaped like a child's (strings with limits, dates,
 * ints with and without ranges, int64, bools, nullable and required fields). Besides "no crash, no
 * leak, no UB" it checks what success promises (required fields present, strings within their
 * limits and valid UTF-8, numbers in range) and that every error, put through
 * cm_http_reply_error, still gives a body jansson can read back.
 */
#include "http/http.h"

#include <stddef.h>
#include <stdint.h>
#include <stdlib.h>
#include <string.h>

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size);

struct child {
    const char *record_number;
    const char *given_name;
    const char *family_name;
    const char *preferred_name;
    const char *birth_date;
    const char *enrolled_on;
    const char *sex;
    int tier;
    int count;
    int64_t organization_id;
    bool active;
    bool is_guardian;
};

static const struct cm_json_field fields[] = {
    {"record_number", CM_JSON_STRING, offsetof(struct child, record_number), true, false, 1, 32, 0,
     0},
    {"given_name", CM_JSON_STRING, offsetof(struct child, given_name), true, false, 1, 100, 0, 0},
    {"family_name", CM_JSON_STRING, offsetof(struct child, family_name), false, false, 1, 100, 0,
     0},
    {"preferred_name", CM_JSON_STRING, offsetof(struct child, preferred_name), false, true, 0, 0, 0,
     0},
    {"birth_date", CM_JSON_DATE, offsetof(struct child, birth_date), true, false, 0, 0, 0, 0},
    {"enrolled_on", CM_JSON_DATE, offsetof(struct child, enrolled_on), false, true, 0, 0, 0, 0},
    {"sex", CM_JSON_STRING, offsetof(struct child, sex), false, true, 0, 16, 0, 0},
    {"tier", CM_JSON_INT, offsetof(struct child, tier), false, true, 0, 0, 1, 3},
    {"count", CM_JSON_INT, offsetof(struct child, count), false, false, 0, 0, 0, 0},
    {"organization_id", CM_JSON_INT64, offsetof(struct child, organization_id), false, true, 0, 0,
     1, INT64_MAX},
    {"active", CM_JSON_BOOL, offsetof(struct child, active), false, false, 0, 0, 0, 0},
    {"is_guardian", CM_JSON_BOOL, offsetof(struct child, is_guardian), false, true, 0, 0, 0, 0},
};

static size_t
chars(const char *s)
{
    size_t n = 0;
    for (; *s != '\0'; s++)
        n += ((unsigned char)*s & 0xC0) != 0x80;
    return n;
}

static void
check_string(const char *s, size_t min, size_t max, bool nullable)
{
    if (s == NULL) {
        if (!nullable)
            abort();
        return;
    }
    size_t n = chars(s);
    if (!cm_utf8_valid(s, strlen(s)) || n < min || n > (max ? max : 2000))
        abort();
}

int
LLVMFuzzerTestOneInput(const uint8_t *data, size_t size)
{
    struct cm_arena *a = cm_arena_new(1 << 20);
    if (a == NULL)
        return 0;
    struct child c;
    memset(&c, 0, sizeof(c));
    uint64_t present = 0;
    struct cm_err err = {0};
    enum cm_code rc = cm_json_decode((const char *)data, size, fields, CM_ARRAY_LEN(fields), &c,
                                     &present, a, &err);
    if (rc == CM_OK) {
        if (err.code != CM_OK)
            abort();
        for (size_t i = 0; i < CM_ARRAY_LEN(fields); i++) {
            if (fields[i].required && !(present & (UINT64_C(1) << i)))
                abort();
        }
        check_string(c.record_number, 1, 32, false);
        check_string(c.given_name, 1, 100, false);
        if (present & (1u << 2))
            check_string(c.family_name, 1, 100, false);
        check_string(c.preferred_name, 0, 0, true);
        check_string(c.sex, 0, 16, true);
        struct cm_err derr = {0};
        if (cm_date_check(c.birth_date, "birth_date", &derr) != CM_OK)
            abort();
        if (c.enrolled_on != NULL && cm_date_check(c.enrolled_on, "enrolled_on", &derr) != CM_OK)
            abort();
        if ((present & (1u << 7)) && c.tier != 0 && (c.tier < 1 || c.tier > 3))
            abort();
        if (c.count < 0 || c.organization_id < 0)
            abort();
    } else {
        if (err.code != rc || err.msg[0] == '\0')
            abort();
        /* The message and field go out to the client: the body must stay valid JSON. */
        struct cm_http_response res;
        memset(&res, 0, sizeof(res));
        cm_buf_init(&res.body, a, 4096);
        cm_http_reply_error(&res, 400, cm_code_name(err.code), err.field, err.msg);
        if (res.status != 400)
            abort();
        json_t *j = json_loadb(res.body.data, res.body.len, JSON_REJECT_DUPLICATES, NULL);
        if (j == NULL)
            abort();
        json_decref(j);
    }
    cm_arena_free(a);
    return 0;
}
