/*
 * core: the pieces every other module stands on. Errors as values, the per-request arena, bounded
 * buffers, logfmt logging, time and dates, random ids, and the declarative configuration table.
 *
 * Ownership: memory returned by cm_arena_* belongs to the arena and is released only by
 * cm_arena_reset() or cm_arena_free(); callers never free() it. Functions taking a struct cm_err *
 * fill it on the first failure and return the same code.
 */
#ifndef CM_CORE_H
#define CM_CORE_H

#include <stdarg.h>
#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>
#include <stdio.h>

#define CM_MUST_CHECK   __attribute__((warn_unused_result))
#define CM_PRINTF(f, a) __attribute__((format(printf, f, a)))
#define CM_ARRAY_LEN(a) (sizeof(a) / sizeof((a)[0]))
#define CM_UNUSED(x)    ((void)(x))

/* ---- errors ---------------------------------------------------------------------------------- */

enum cm_code {
    CM_OK = 0,
    CM_EINVAL,     /* the caller's input is malformed or out of range */
    CM_ENOTFOUND,  /* no such thing, or not visible to this user (the two are never told apart) */
    CM_ECONFLICT,  /* unique constraint, or a state change that is not allowed now */
    CM_EFORBIDDEN, /* signed in, but this role may not do this */
    CM_EUNAUTH,    /* not signed in, session expired, or wrong credentials */
    CM_ETOOBIG,    /* a body, header, arena or list over its cap */
    CM_ENOMEM,
    CM_EDB, /* the database failed in a way the caller cannot fix */
    CM_EIO,
    CM_EINTERNAL,
    CM_ESTALE,    /* If-Match does not match the current version */
    CM_ETHROTTLE, /* too many attempts: try later */
};

struct cm_err {
    enum cm_code code;
    char field[64];
    char msg[256];
};

/* Fills err (if not NULL and not already holding an error) and returns code. */
enum cm_code cm_err_set(struct cm_err *err, enum cm_code code, const char *field, const char *fmt,
                        ...) CM_PRINTF(4, 5);
/* Clears err to CM_OK. */
void cm_err_clear(struct cm_err *err);
/* A short stable name for a code: "invalid", "not_found", "conflict", ... (used in JSON bodies). */
const char *cm_code_name(enum cm_code code);

/* ---- arena ----------------------------------------------------------------------------------- */

struct cm_arena;

/* Creates an arena that refuses to hand out more than cap bytes in all. NULL when out of memory. */
struct cm_arena *cm_arena_new(size_t cap);
/* Runs the deferred destructors (last registered first) and releases everything. NULL is a no-op.
 */
void cm_arena_free(struct cm_arena *a);
/* Runs the deferred destructors and empties the arena, keeping its first block for reuse. */
void cm_arena_reset(struct cm_arena *a);
/* Zeroed memory aligned for any type, or NULL when the cap would be passed (then
 * cm_arena_exhausted() stays true until reset). */
void *cm_arena_alloc(struct cm_arena *a, size_t n);
void *cm_arena_calloc(struct cm_arena *a, size_t count, size_t size);
char *cm_arena_strdup(struct cm_arena *a, const char *s);
char *cm_arena_strndup(struct cm_arena *a, const char *s, size_t n);
char *cm_arena_printf(struct cm_arena *a, const char *fmt, ...) CM_PRINTF(2, 3);
/* cm_arena_printf with a va_list (ap is consumed). */
char *cm_arena_vprintf(struct cm_arena *a, const char *fmt, va_list ap) CM_PRINTF(2, 0);
/* Registers fn(p) to run when the arena is reset or freed. */
CM_MUST_CHECK enum cm_code cm_arena_defer(struct cm_arena *a, void (*fn)(void *), void *p);
size_t cm_arena_used(const struct cm_arena *a);
bool cm_arena_exhausted(const struct cm_arena *a);

/* ---- bounded buffers ------------------------------------------------------------------------- */

/* A growable byte buffer in an arena that never grows past max (curl's "toobig"). data is always
 * NUL-terminated. */
struct cm_buf {
    char *data;
    size_t len;
    size_t cap;
    size_t max;
    struct cm_arena *arena;
};

void cm_buf_init(struct cm_buf *b, struct cm_arena *a, size_t max);
CM_MUST_CHECK enum cm_code cm_buf_append(struct cm_buf *b, const void *p, size_t n);
CM_MUST_CHECK enum cm_code cm_buf_puts(struct cm_buf *b, const char *s);
CM_MUST_CHECK enum cm_code cm_buf_printf(struct cm_buf *b, const char *fmt, ...) CM_PRINTF(2, 3);

/* Copies src into dst[size] and returns CM_ETOOBIG (dst still NUL-terminated) if it was cut. */
CM_MUST_CHECK enum cm_code cm_strlcpy(char *dst, const char *src, size_t size);
/* True if s is valid UTF-8 of exactly n bytes with no NUL byte. */
bool cm_utf8_valid(const char *s, size_t n);

/* ---- logging --------------------------------------------------------------------------------- */

enum cm_log_level { CM_LOG_DEBUG, CM_LOG_INFO, CM_LOG_WARN, CM_LOG_ERROR, CM_LOG_OFF };

/* Logs go to stderr as one logfmt line per event: "ts=... level=info req=... <message>". The
 * message is the caller's "key=value ..." text. Never log names, dates of birth or note text:
 * ids only. */
void cm_log_set_level(enum cm_log_level level);
enum cm_log_level cm_log_level_get(void);
CM_MUST_CHECK enum cm_code cm_log_level_parse(const char *s, enum cm_log_level *out);
/* Sets the request id that this thread's log lines carry (NULL clears it). */
void cm_log_set_request(const char *request_id);
void cm_log(enum cm_log_level level, const char *fmt, ...) CM_PRINTF(2, 3);

#define cm_log_debug(...) cm_log(CM_LOG_DEBUG, __VA_ARGS__)
#define cm_log_info(...)  cm_log(CM_LOG_INFO, __VA_ARGS__)
#define cm_log_warn(...)  cm_log(CM_LOG_WARN, __VA_ARGS__)
#define cm_log_error(...) cm_log(CM_LOG_ERROR, __VA_ARGS__)

/* ---- time, dates, ids ------------------------------------------------------------------------ */

/* UTC epoch seconds. */
int64_t cm_time_now(void);
/* Monotonic milliseconds, for durations only. */
double cm_time_mono_ms(void);
/* Formats t as "YYYY-MM-DDTHH:MM:SSZ" into out[21]. */
void cm_time_iso(int64_t t, char out[21]);
/* Formats the UTC date of t as "YYYY-MM-DD" into out[11]. */
void cm_date_of(int64_t t, char out[11]);
/* Checks s is a real calendar date "YYYY-MM-DD" between 1900-01-01 and 2199-12-31. */
CM_MUST_CHECK enum cm_code cm_date_check(const char *s, const char *field, struct cm_err *err);
/* Parses "YYYY-MM-DD" to the epoch seconds of its UTC midnight. */
CM_MUST_CHECK enum cm_code cm_date_parse(const char *s, int64_t *out, const char *field,
                                         struct cm_err *err);

/* Fills out with 2*nbytes lowercase hex characters of cryptographic randomness, NUL-terminated
 * (out must hold 2*nbytes+1). */
void cm_random_hex(char *out, size_t nbytes);
/* Lowercase hex of n bytes into out (2n+1). */
void cm_hex(const unsigned char *in, size_t n, char *out);

/* ---- configuration --------------------------------------------------------------------------- */

/* One table (config.c) declares every key: its type, default, limits and help. The same table reads
 * the INI file, CAREMAP_<KEY> environment variables and --set key=value, validates, and dumps.
 * Later sources win: default < file < environment < --set. Unknown keys are errors. */
struct cm_config {
    char db[512];         /* database file */
    char listen[64];      /* "127.0.0.1:8080" */
    char public_url[256]; /* how users reach us; https:// means cookies are Secure */
    char log_level[16];
    int threads;              /* libmicrohttpd worker threads */
    int conn_limit;           /* connections in all */
    int per_ip_conn_limit;    /* connections from one address */
    int conn_timeout_s;       /* idle connection timeout */
    int64_t body_max_bytes;   /* request body cap (413 past it) */
    int64_t arena_max_bytes;  /* per-request memory cap */
    int64_t mhd_memory_bytes; /* libmicrohttpd per-connection memory (headers) */
    int session_idle_min;     /* a session unused this long expires */
    int session_absolute_h;   /* a session expires this long after sign-in whatever happens */
    int login_max_failures;   /* failed sign-ins per account or address within the window */
    int login_window_s;
    int break_glass_min;             /* how long break-glass access lasts */
    int password_opslimit;           /* argon2id */
    int64_t password_memlimit;       /* argon2id, bytes */
    int password_concurrency;        /* hashes computed at once */
    int audit_batch_max;             /* audit events committed in one group at most */
    int readability_target_grade;    /* plain-language target for what families read */
    int plan_review_interval_months; /* a plan reviewed longer ago than this is due */
    unsigned char source[48]; /* enum cm_config_source of each key, by its index in the table */
};

enum cm_config_source { CM_CFG_DEFAULT, CM_CFG_FILE, CM_CFG_ENV, CM_CFG_SET };

/* Fills cfg with the defaults. */
void cm_config_defaults(struct cm_config *cfg);
/* Reads an INI file; errors name "file:line: key: reason". */
CM_MUST_CHECK enum cm_code cm_config_load_file(struct cm_config *cfg, const char *path,
                                               struct cm_err *err);
/* Applies every CAREMAP_<KEY> variable of environ. */
CM_MUST_CHECK enum cm_code cm_config_load_env(struct cm_config *cfg, struct cm_err *err);
/* Applies one "key=value" (from --set). */
CM_MUST_CHECK enum cm_code cm_config_set(struct cm_config *cfg, const char *kv, struct cm_err *err);
/* Writes every key as "key = value  # source" lines. */
void cm_config_dump(const struct cm_config *cfg, FILE *out);

#endif
