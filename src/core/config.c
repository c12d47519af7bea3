/*
 * Configuration: one declarative table (Redis's standardConfig) names every key with its type,
 * default, limits and help. The same table reads the INI file, CAREMAP_<KEY> environment variables
 * and --set key=value, validates each value, and dumps the result with where each value came from.
 * Adding a setting is one line here plus its field in struct cm_config.
 */
#include "core/core.h"

#include <errno.h>
#include <ini.h>
#include <inttypes.h>
#include <stddef.h>
#include <stdlib.h>
#include <string.h>

enum type {
    T_STRING, /* char[] field; limits are lengths in bytes */
    T_INT,    /* int field */
    T_INT64,  /* int64_t field */
    T_SIZE,   /* int64_t field holding bytes; values may end in K, M or G (powers of 1024) */
    T_BOOL,   /* bool field: true/false, yes/no, on/off, 1/0 */
};

struct key {
    const char *name;
    enum type type;
    size_t offset;
    size_t size; /* of the field: checked against the type, so a wrong macro fails at start */
    const char *def;
    int64_t min, max;
    /* Extra check for strings; returns NULL when v is fine, else why not. */
    const char *(*check)(const char *v);
    const char *help;
};

static const char *check_listen(const char *v);
static const char *check_url(const char *v);
static const char *check_log_level(const char *v);

/* clang-format off */
#define FIELD_SIZE(f) sizeof(((struct cm_config *)0)->f)
#define STR(f, def, min, check, help) \
    {#f, T_STRING, offsetof(struct cm_config, f), FIELD_SIZE(f), def, min, FIELD_SIZE(f) - 1, \
     check, help}
#define INT(f, def, min, max, help) \
    {#f, T_INT, offsetof(struct cm_config, f), FIELD_SIZE(f), def, min, max, NULL, help}
#define SIZE(f, def, min, max, help) \
    {#f, T_SIZE, offsetof(struct cm_config, f), FIELD_SIZE(f), def, min, max, NULL, help}
/* clang-format on */

#define KIB ((int64_t)1024)
#define MIB (1024 * KIB)
#define GIB (1024 * MIB)

static const struct key keys[] = {
    STR(db, "caremap.db", 1, NULL, "the SQLite database file"),
    STR(listen, "127.0.0.1:8080", 3, check_listen,
        "HOST:PORT to listen on; port 0 picks a free one"),
    STR(public_url, "http://127.0.0.1:8080", 8, check_url,
        "how users reach caremap; https:// makes the session cookie Secure"),
    STR(log_level, "info", 1, check_log_level, "debug, info, warn, error or off"),
    INT(threads, "4", 1, 256, "libmicrohttpd worker threads"),
    INT(conn_limit, "1024", 1, 100000, "connections open at once in all"),
    INT(per_ip_conn_limit, "256", 1, 100000, "connections open at once from one address"),
    INT(conn_timeout_s, "30", 1, 3600, "seconds an idle connection is kept"),
    SIZE(body_max_bytes, "64K", 1 * KIB, 64 * MIB, "request body cap; past it the answer is 413"),
    SIZE(arena_max_bytes, "8M", 64 * KIB, 1 * GIB, "memory one request may use"),
    SIZE(mhd_memory_bytes, "64K", 16 * KIB, 16 * MIB,
         "libmicrohttpd memory per connection (request headers must fit)"),
    INT(session_idle_min, "30", 1, 24 * 60, "minutes an unused session lives"),
    INT(session_absolute_h, "12", 1, 30 * 24,
        "hours a session lives after sign-in, whatever happens"),
    INT(login_max_failures, "5", 1, 1000,
        "failed sign-ins per account or address within login_window_s before 429"),
    INT(login_window_s, "900", 1, 24 * 3600, "seconds over which failed sign-ins are counted"),
    INT(break_glass_min, "60", 1, 24 * 60, "minutes a break-glass grant lasts"),
    /* OWASP's minimum for argon2id is m=19 MiB, t=2, p=1; the floors here are libsodium's own so
     * tests can hash quickly. */
    INT(password_opslimit, "2", 1, 64, "argon2id passes over memory (t)"),
    SIZE(password_memlimit, "19M", 8 * KIB, 1 * GIB, "argon2id memory per hash (m)"),
    INT(password_concurrency, "2", 1, 256,
        "password hashes computed at once (each takes password_memlimit)"),
    INT(audit_batch_max, "256", 1, 100000, "audit events committed in one group at most"),
    INT(readability_target_grade, "6", 1, 16,
        "school grade that everything a family reads should not exceed (plain language)"),
    INT(plan_review_interval_months, "6", 1, 24,
        "months after a family review before a shared plan of care is due for review again"),
};

_Static_assert(CM_ARRAY_LEN(keys) <= sizeof(((struct cm_config *)0)->source),
               "struct cm_config.source has a slot per key");

/* Environment variables that share our prefix but are not settings (the test harness sets them). */
static const char *const env_ignored[] = {"CAREMAP_SOURCE_DIR", "CAREMAP_BIN", "CAREMAP_TEST_TMP"};

#define ENV_PREFIX   "CAREMAP_"
#define FILE_MAX     (64 * 1024)
#define SECTION_NAME "caremap"

static const char *const source_names[] = {"default", "file", "env", "set"};

/* ---- string checks --------------------------------------------------------------------------- */

static const char *
check_listen(const char *v)
{
    const char *colon = strrchr(v, ':');
    if (colon == NULL || colon == v || colon[1] == '\0')
        return "must be HOST:PORT, e.g. 127.0.0.1:8080";
    long port = 0;
    for (const char *p = colon + 1; *p != '\0'; p++) {
        if (*p < '0' || *p > '9' || port > 65535)
            return "must be HOST:PORT with a port from 0 to 65535";
        port = port * 10 + (*p - '0');
    }
    if (port > 65535)
        return "must be HOST:PORT with a port from 0 to 65535";
    return NULL;
}

static const char *
check_url(const char *v)
{
    if (strncmp(v, "http://", 7) != 0 && strncmp(v, "https://", 8) != 0)
        return "must start with http:// or https://";
    for (const char *p = v; *p != '\0'; p++) {
        if ((unsigned char)*p <= ' ')
            return "must not contain spaces";
    }
    return NULL;
}

static const char *
check_log_level(const char *v)
{
    enum cm_log_level level;
    if (cm_log_level_parse(v, &level) != CM_OK)
        return "must be debug, info, warn, error or off";
    return NULL;
}

/* ---- values ---------------------------------------------------------------------------------- */

/* Writes a size the way a person would: "64K" rather than "65536" when it is a whole multiple. */
static void
format_size(int64_t v, char *out, size_t n)
{
    if (v != 0 && v % GIB == 0)
        snprintf(out, n, "%" PRId64 "G", v / GIB);
    else if (v != 0 && v % MIB == 0)
        snprintf(out, n, "%" PRId64 "M", v / MIB);
    else if (v != 0 && v % KIB == 0)
        snprintf(out, n, "%" PRId64 "K", v / KIB);
    else
        snprintf(out, n, "%" PRId64, v);
}

/* Strict decimal: an optional '-', digits, then (for sizes) one of K, M, G. No spaces, no '+', no
 * hex, so "08" is 8 but "8 k" and "0x10" are refused. */
static bool
parse_int(const char *v, bool size_suffix, int64_t *out)
{
    const char *p = v;
    bool neg = *p == '-';
    if (neg)
        p++;
    if (*p < '0' || *p > '9')
        return false;
    int64_t n = 0;
    for (; *p >= '0' && *p <= '9'; p++) {
        if (n > (INT64_MAX - (*p - '0')) / 10)
            return false;
        n = n * 10 + (*p - '0');
    }
    int64_t mult = 1;
    if (size_suffix && *p != '\0') {
        switch (*p) {
        case 'K':
        case 'k':
            mult = KIB;
            break;
        case 'M':
        case 'm':
            mult = MIB;
            break;
        case 'G':
        case 'g':
            mult = GIB;
            break;
        default:
            return false;
        }
        p++;
    }
    if (*p != '\0' || n > INT64_MAX / mult)
        return false;
    *out = (neg ? -n : n) * mult;
    return true;
}

static bool
parse_bool(const char *v, bool *out)
{
    static const char *const yes[] = {"true", "yes", "on", "1"};
    static const char *const no[] = {"false", "no", "off", "0"};
    for (size_t i = 0; i < CM_ARRAY_LEN(yes); i++) {
        if (strcmp(v, yes[i]) == 0) {
            *out = true;
            return true;
        }
        if (strcmp(v, no[i]) == 0) {
            *out = false;
            return true;
        }
    }
    return false;
}

/* Converts v for key k and stores it in cfg. On failure cfg is unchanged and why says what a good
 * value looks like. */
static bool
convert(struct cm_config *cfg, const struct key *k, const char *v, char *why, size_t whylen)
{
    unsigned char *field = (unsigned char *)cfg + k->offset;
    size_t want = k->type == T_INT ? sizeof(int) : k->type == T_BOOL ? sizeof(bool) : k->size;
    if (k->type == T_INT64 || k->type == T_SIZE)
        want = sizeof(int64_t);
    if (k->size != want) {
        snprintf(why, whylen, "is declared with a type that does not fit its field");
        return false;
    }
    switch (k->type) {
    case T_STRING: {
        size_t len = strlen(v);
        if (len < (size_t)k->min || len > (size_t)k->max) {
            snprintf(why, whylen, "must be %" PRId64 " to %" PRId64 " bytes long", k->min, k->max);
            return false;
        }
        if (!cm_utf8_valid(v, len)) {
            snprintf(why, whylen, "must be valid UTF-8");
            return false;
        }
        const char *bad = k->check != NULL ? k->check(v) : NULL;
        if (bad != NULL) {
            snprintf(why, whylen, "%s", bad);
            return false;
        }
        memcpy(field, v, len + 1);
        return true;
    }
    case T_INT:
    case T_INT64: {
        int64_t n;
        if (!parse_int(v, false, &n) || n < k->min || n > k->max) {
            snprintf(why, whylen, "must be an integer between %" PRId64 " and %" PRId64, k->min,
                     k->max);
            return false;
        }
        if (k->type == T_INT) {
            int i = (int)n;
            memcpy(field, &i, sizeof(i));
        } else {
            memcpy(field, &n, sizeof(n));
        }
        return true;
    }
    case T_SIZE: {
        int64_t n;
        if (!parse_int(v, true, &n) || n < k->min || n > k->max) {
            char lo[32], hi[32];
            format_size(k->min, lo, sizeof(lo));
            format_size(k->max, hi, sizeof(hi));
            snprintf(why, whylen,
                     "must be an integer between %s and %s (bytes, or with a K, M or G suffix)", lo,
                     hi);
            return false;
        }
        memcpy(field, &n, sizeof(n));
        return true;
    }
    case T_BOOL: {
        bool b;
        if (!parse_bool(v, &b)) {
            snprintf(why, whylen, "must be true or false");
            return false;
        }
        memcpy(field, &b, sizeof(b));
        return true;
    }
    }
    snprintf(why, whylen, "has an unknown type");
    return false;
}

static const struct key *
find(const char *name)
{
    for (size_t i = 0; i < CM_ARRAY_LEN(keys); i++) {
        if (strcmp(keys[i].name, name) == 0)
            return &keys[i];
    }
    return NULL;
}

/* Sets k from v, recording src; where names the origin for the error ("caremap.ini:3: threads"). */
static enum cm_code
apply(struct cm_config *cfg, const struct key *k, const char *v, enum cm_config_source src,
      const char *where, struct cm_err *err)
{
    char why[160];
    if (!convert(cfg, k, v, why, sizeof(why)))
        return cm_err_set(err, CM_EINVAL, k->name, "%s: %s", where, why);
    cfg->source[k - keys] = (unsigned char)src;
    return CM_OK;
}

/* ---- public ---------------------------------------------------------------------------------- */

void
cm_config_defaults(struct cm_config *cfg)
{
    memset(cfg, 0, sizeof(*cfg));
    for (size_t i = 0; i < CM_ARRAY_LEN(keys); i++) {
        char why[160];
        bool ok = convert(cfg, &keys[i], keys[i].def, why, sizeof(why));
        /* A default outside its own limits is a bug in the table; test_config checks each. */
        if (!ok)
            cm_log_error("msg=\"bad default\" key=%s", keys[i].name);
        cfg->source[i] = CM_CFG_DEFAULT;
    }
}

struct file_ctx {
    struct cm_config *cfg;
    const char *path;
    const char *next; /* the unread rest of the file */
    int line;
    int long_line; /* first line that did not fit inih's buffer, 0 when none */
    int max_line;  /* the longest line inih takes, in bytes with its newline */
    struct cm_err *err;
};

/* Hands inih one line at a time so we know the line number of every key (the distribution's inih
 * is built without INI_HANDLER_LINENO). A line too long for inih's buffer is consumed whole and
 * reported, rather than split into a second line that would be read as a setting. */
static char *
reader(char *str, int num, void *stream)
{
    struct file_ctx *c = stream;
    if (*c->next == '\0' || num < 2)
        return NULL;
    const char *nl = strchr(c->next, '\n');
    size_t len = nl != NULL ? (size_t)(nl - c->next) + 1 : strlen(c->next);
    c->line++;
    size_t n = len;
    c->max_line = num - 1;
    if (n > (size_t)num - 1) {
        n = (size_t)num - 1;
        if (c->long_line == 0)
            c->long_line = c->line;
    }
    memcpy(str, c->next, n);
    str[n] = '\0';
    c->next += len;
    return str;
}

/* Cuts a trailing " # comment" so that a dump (`key = value  # default`) reads back as a file;
 * inih itself only knows ';' for comments after a value. */
static void
cut_hash_comment(char *v)
{
    for (char *p = v; *p != '\0'; p++) {
        if (*p == '#' && (p == v || p[-1] == ' ' || p[-1] == '\t')) {
            *p = '\0';
            break;
        }
    }
    size_t n = strlen(v);
    while (n > 0 && (v[n - 1] == ' ' || v[n - 1] == '\t'))
        v[--n] = '\0';
}

static int
handler(void *user, const char *section, const char *name, const char *value)
{
    struct file_ctx *c = user;
    char where[400];
    if (c->err->code != CM_OK)
        return 0; /* keep only the first error */
    if (c->long_line != 0)
        return 0; /* reported after the parse, whatever inih made of the cut line */
    snprintf(where, sizeof(where), "%s:%d: %s", c->path, c->line, name);
    if (section[0] != '\0' && strcmp(section, SECTION_NAME) != 0) {
        cm_err_set(c->err, CM_EINVAL, name, "%s: unknown setting (section [%s] is not [%s])", where,
                   section, SECTION_NAME);
        return 0;
    }
    const struct key *k = find(name);
    if (k == NULL) {
        cm_err_set(c->err, CM_EINVAL, name, "%s: unknown setting", where);
        return 0;
    }
    char v[1024];
    if (cm_strlcpy(v, value, sizeof(v)) != CM_OK) {
        cm_err_set(c->err, CM_EINVAL, name, "%s: value too long", where);
        return 0;
    }
    cut_hash_comment(v);
    return apply(c->cfg, k, v, CM_CFG_FILE, where, c->err) == CM_OK;
}

enum cm_code
cm_config_load_file(struct cm_config *cfg, const char *path, struct cm_err *err)
{
    struct cm_err local = {0};
    if (err == NULL)
        err = &local;
    FILE *f = fopen(path, "rb");
    if (f == NULL)
        return cm_err_set(err, CM_EIO, "", "%s: cannot open: %s", path, strerror(errno));
    char *buf = malloc(FILE_MAX + 1);
    if (buf == NULL) {
        fclose(f);
        return cm_err_set(err, CM_ENOMEM, "", "%s: out of memory", path);
    }
    size_t n = fread(buf, 1, FILE_MAX + 1, f);
    bool failed = ferror(f) != 0;
    fclose(f);
    enum cm_code rc = CM_OK;
    if (failed) {
        rc = cm_err_set(err, CM_EIO, "", "%s: cannot read", path);
    } else if (n > FILE_MAX) {
        rc = cm_err_set(err, CM_ETOOBIG, "", "%s: larger than %d bytes", path, FILE_MAX);
    } else if (memchr(buf, '\0', n) != NULL) {
        rc = cm_err_set(err, CM_EINVAL, "", "%s: contains a NUL byte", path);
    } else {
        buf[n] = '\0';
        struct file_ctx c = {.cfg = cfg, .path = path, .next = buf, .err = err};
        int bad_line = ini_parse_stream(reader, &c, handler, &c);
        if (err->code != CM_OK) {
            rc = err->code;
        } else if (c.long_line != 0) {
            rc = cm_err_set(err, CM_EINVAL, "", "%s:%d: line longer than %d bytes", path,
                            c.long_line, c.max_line - 1);
        } else if (bad_line > 0) {
            /* inih found a line that is neither a [section], a key = value nor a comment. */
            rc = cm_err_set(err, CM_EINVAL, "", "%s:%d: expected KEY = VALUE or [%s]", path,
                            bad_line, SECTION_NAME);
        } else if (bad_line < 0) {
            rc = cm_err_set(err, CM_ENOMEM, "", "%s: out of memory", path);
        }
    }
    free(buf);
    return rc;
}

extern char **environ;

enum cm_code
cm_config_load_env(struct cm_config *cfg, struct cm_err *err)
{
    const size_t plen = strlen(ENV_PREFIX);
    for (char **e = environ; e != NULL && *e != NULL; e++) {
        if (strncmp(*e, ENV_PREFIX, plen) != 0)
            continue;
        const char *eq = strchr(*e, '=');
        if (eq == NULL)
            continue;
        char var[128];
        size_t vlen = (size_t)(eq - *e);
        if (vlen >= sizeof(var))
            return cm_err_set(err, CM_EINVAL, "", "environment: %.64s...: unknown setting", *e);
        memcpy(var, *e, vlen);
        var[vlen] = '\0';
        bool ignored = false;
        for (size_t i = 0; i < CM_ARRAY_LEN(env_ignored); i++)
            ignored = ignored || strcmp(var, env_ignored[i]) == 0;
        if (ignored)
            continue;
        /* CAREMAP_BODY_MAX_BYTES names body_max_bytes; lowercase variables are not ours. */
        char name[128];
        bool upper = true;
        for (size_t i = plen; i <= vlen; i++) {
            char ch = var[i];
            if (ch >= 'a' && ch <= 'z')
                upper = false;
            name[i - plen] = (ch >= 'A' && ch <= 'Z') ? (char)(ch - 'A' + 'a') : ch;
        }
        const struct key *k = upper ? find(name) : NULL;
        if (k == NULL)
            return cm_err_set(err, CM_EINVAL, "", "environment: %s: unknown setting", var);
        enum cm_code rc = apply(cfg, k, eq + 1, CM_CFG_ENV, var, err);
        if (rc != CM_OK)
            return rc;
    }
    return CM_OK;
}

enum cm_code
cm_config_set(struct cm_config *cfg, const char *kv, struct cm_err *err)
{
    const char *eq = strchr(kv, '=');
    char name[64];
    size_t n = eq != NULL ? (size_t)(eq - kv) : strlen(kv);
    if (eq == NULL || n == 0)
        return cm_err_set(err, CM_EINVAL, "", "--set %s: must be KEY=VALUE", kv);
    const struct key *k = NULL;
    if (n < sizeof(name)) {
        memcpy(name, kv, n);
        name[n] = '\0';
        k = find(name);
    }
    if (k == NULL)
        return cm_err_set(err, CM_EINVAL, "", "--set %.*s: unknown setting", (int)(n > 64 ? 64 : n),
                          kv);
    char where[80];
    snprintf(where, sizeof(where), "--set %s", k->name);
    return apply(cfg, k, eq + 1, CM_CFG_SET, where, err);
}

void
cm_config_dump(const struct cm_config *cfg, FILE *out)
{
    for (size_t i = 0; i < CM_ARRAY_LEN(keys); i++) {
        const struct key *k = &keys[i];
        const unsigned char *field = (const unsigned char *)cfg + k->offset;
        char value[600];
        switch (k->type) {
        case T_STRING:
            snprintf(value, sizeof(value), "%s", (const char *)field);
            break;
        case T_INT: {
            int v;
            memcpy(&v, field, sizeof(v));
            snprintf(value, sizeof(value), "%d", v);
            break;
        }
        case T_INT64: {
            int64_t v;
            memcpy(&v, field, sizeof(v));
            snprintf(value, sizeof(value), "%" PRId64, v);
            break;
        }
        case T_SIZE: {
            int64_t v;
            memcpy(&v, field, sizeof(v));
            format_size(v, value, sizeof(value));
            break;
        }
        case T_BOOL: {
            bool v;
            memcpy(&v, field, sizeof(v));
            snprintf(value, sizeof(value), "%s", v ? "true" : "false");
            break;
        }
        }
        unsigned src = cfg->source[i];
        fprintf(out, "%s = %s  # %s\n", k->name, value,
                src < CM_ARRAY_LEN(source_names) ? source_names[src] : "?");
    }
}
