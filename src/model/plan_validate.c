/*
 * model/plan_validate: the rules every element of the shared plan of care obeys, read from its
 * field declarations (model/plan_kinds.c). No I/O, no JSON: the API decodes into a value array and
 * this checks it, so the demo, the API and the tests hold items to one set of rules.
 *
 * Error messages name the field and say in plain words what is wrong; they are shown to the person
 * who typed the value.
 */
#include "model/plan_item.h"

#include <string.h>

/* Free text: valid UTF-8, not empty, at most max code points (a Spanish text with accents must not
 * hit the limit sooner than an English one). Family-facing text (multiline) may hold line breaks
 * and tabs, since action plan steps are one per line; other strings hold no control characters. */
static enum cm_code
text(const char *s, size_t max, bool multiline, const char *field, struct cm_err *err)
{
    size_t len = strlen(s);
    if (len == 0)
        return cm_err_set(err, CM_EINVAL, field, "must not be empty");
    if (!cm_utf8_valid(s, len))
        return cm_err_set(err, CM_EINVAL, field, "must be valid UTF-8");
    const unsigned char *p = (const unsigned char *)s;
    size_t cps = 0;
    for (size_t i = 0; i < len; i++) {
        unsigned char c = p[i];
        if ((c & 0xC0) != 0x80)
            cps++;
        if ((c < 0x20 || c == 0x7F) && !(multiline && (c == '\t' || c == '\n' || c == '\r')))
            return cm_err_set(err, CM_EINVAL, field, "must not contain control characters");
        /* C1 controls U+0080..U+009F are encoded C2 80..C2 9F. */
        if (c == 0xC2 && i + 1 < len && p[i + 1] < 0xA0)
            return cm_err_set(err, CM_EINVAL, field, "must not contain control characters");
    }
    if (cps > max)
        return cm_err_set(err, CM_EINVAL, field, "must be at most %zu characters", max);
    return CM_OK;
}

/* One of the NULL-terminated values; the message lists them all, as the form does. */
static enum cm_code
one_of(const char *s, const char *const *values, const char *field, struct cm_err *err)
{
    for (size_t i = 0; values[i] != NULL; i++) {
        if (strcmp(s, values[i]) == 0)
            return CM_OK;
    }
    char list[200];
    size_t n = 0;
    list[0] = '\0';
    for (size_t i = 0; values[i] != NULL; i++) {
        int m = snprintf(list + n, sizeof(list) - n, "%s%s", i > 0 ? ", " : "", values[i]);
        if (m < 0 || (size_t)m >= sizeof(list) - n)
            break; /* the list is a hint; a cut one still names the field */
        n += (size_t)m;
    }
    return cm_err_set(err, CM_EINVAL, field, "must be one of: %s", list);
}

static bool
upper(char c)
{
    return c >= 'A' && c <= 'Z';
}

static bool
digit(char c)
{
    return c >= '0' && c <= '9';
}

/* ICD-10-CM, as the CDC's tabular list writes it: a category of three characters (a letter, a
 * digit, a digit or letter), then optionally a dot and one to four characters of subcategory and
 * extension (digits or letters, "X" as placeholder: T78.40XA). U is allowed: ICD-10-CM uses it
 * for codes such as U07.1 (COVID-19) and U09.9 (post COVID-19 condition). Matches s against that
 * shape with letters compared in either case (so a lower-case code can be told apart from
 * nonsense); *dotted says whether the dot was written. */
static bool
icd10_shape(const char *s, bool *dotted)
{
    size_t len = strlen(s);
    char c0 = (char)(s[0] & ~0x20); /* ASCII upper case; the checks below refuse non-letters */
    if (len < 3 || !upper(c0) || !digit(s[1]))
        return false;
    if (!digit(s[2]) && !upper((char)(s[2] & ~0x20)))
        return false;
    size_t rest = 3;
    *dotted = len > 3 && s[3] == '.';
    if (*dotted)
        rest = 4;
    size_t n = len - rest;
    if (len > 3 && (n < 1 || n > 4))
        return false;
    for (size_t i = rest; i < len; i++) {
        if (!digit(s[i]) && !upper((char)(s[i] & ~0x20)))
            return false;
    }
    return true;
}

/* Checks the code in *sp and, when it was written without its dot, replaces *sp with the dotted
 * form allocated in a ("G800" -> "G80.0"), so every stored code reads the same. */
static enum cm_code
icd10(const char **sp, struct cm_arena *a, const char *field, struct cm_err *err)
{
    const char *s = *sp;
    bool dotted = false;
    if (!icd10_shape(s, &dotted))
        return cm_err_set(err, CM_EINVAL, field, "must be an ICD-10-CM code such as G80.0");
    for (const char *p = s; *p != '\0'; p++) {
        if (*p >= 'a' && *p <= 'z')
            return cm_err_set(err, CM_EINVAL, field, "use capital letters, such as G80.0");
    }
    size_t len = strlen(s);
    if (dotted || len == 3)
        return CM_OK;
    char *d = a != NULL ? cm_arena_alloc(a, len + 2) : NULL;
    if (d == NULL)
        return cm_err_set(err, CM_ENOMEM, field, "out of memory");
    memcpy(d, s, 3);
    d[3] = '.';
    memcpy(d + 4, s + 3, len - 3 + 1);
    *sp = d;
    return CM_OK;
}

enum cm_code
cm_model_plan_item_validate(const struct cm_plan_kind_desc *d, union cm_plan_value *v,
                            struct cm_arena *a, struct cm_err *err)
{
    for (size_t i = 0; i < d->nfields; i++) {
        const struct cm_plan_field *f = &d->fields[i];
        enum cm_code rc = CM_OK;
        switch (f->type) {
        case CM_PF_TEXT:
        case CM_PF_STRING:
        case CM_PF_ENUM:
        case CM_PF_DATE:
        case CM_PF_ICD10:
            if (v[i].s == NULL) {
                if (f->required)
                    return cm_err_set(err, CM_EINVAL, f->name, "is required");
                continue;
            }
            if (f->type == CM_PF_TEXT || f->type == CM_PF_STRING)
                rc = text(v[i].s, f->max_len, f->type == CM_PF_TEXT, f->name, err);
            else if (f->type == CM_PF_ENUM)
                rc = one_of(v[i].s, f->values, f->name, err);
            else if (f->type == CM_PF_DATE)
                rc = cm_date_check(v[i].s, f->name, err);
            else
                rc = icd10(&v[i].s, a, f->name, err);
            break;
        case CM_PF_INT:
            /* 0 is "absent": every INT field's range starts above it. */
            if (v[i].i == 0) {
                if (f->required)
                    return cm_err_set(err, CM_EINVAL, f->name, "is required");
                continue;
            }
            if (v[i].i < f->min || v[i].i > f->max)
                rc = cm_err_set(err, CM_EINVAL, f->name, "must be a whole number from %lld to %lld",
                                (long long)f->min, (long long)f->max);
            break;
        case CM_PF_REF:
            if (v[i].i == 0) {
                if (f->required)
                    return cm_err_set(err, CM_EINVAL, f->name, "is required");
                continue;
            }
            if (v[i].i < 0)
                rc = cm_err_set(err, CM_EINVAL, f->name, "must be the id of a %s",
                                cm_plan_kind(f->ref) != NULL ? cm_plan_kind(f->ref)->name
                                                             : "plan item");
            break;
        case CM_PF_BOOL:
            break;
        }
        if (rc != CM_OK)
            return rc;
    }
    return CM_OK;
}
