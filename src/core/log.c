/* logfmt logging on stderr: one line per event, the level checked before anything is formatted. */
#include "core/core.h"

#include <stdatomic.h>
#include <string.h>
#include <strings.h>

static _Atomic int g_level = CM_LOG_INFO;
static _Thread_local char t_request[40];

static const char *const level_names[] = {"debug", "info", "warn", "error", "off"};

void
cm_log_set_level(enum cm_log_level level)
{
    atomic_store(&g_level, (int)level);
}

enum cm_log_level
cm_log_level_get(void)
{
    return (enum cm_log_level)atomic_load(&g_level);
}

enum cm_code
cm_log_level_parse(const char *s, enum cm_log_level *out)
{
    for (size_t i = 0; i < CM_ARRAY_LEN(level_names); i++) {
        if (strcasecmp(s, level_names[i]) == 0) {
            *out = (enum cm_log_level)i;
            return CM_OK;
        }
    }
    return CM_EINVAL;
}

void
cm_log_set_request(const char *request_id)
{
    if (request_id == NULL) {
        t_request[0] = '\0';
        return;
    }
    if (cm_strlcpy(t_request, request_id, sizeof(t_request)) != CM_OK)
        t_request[sizeof(t_request) - 1] = '\0';
}

void
cm_log(enum cm_log_level level, const char *fmt, ...)
{
    if ((int)level < atomic_load(&g_level) || level >= CM_LOG_OFF)
        return;
    char line[1024];
    char ts[21];
    cm_time_iso(cm_time_now(), ts);
    int n = snprintf(line, sizeof(line), "ts=%s level=%s", ts, level_names[level]);
    if (t_request[0] != '\0' && n > 0 && (size_t)n < sizeof(line))
        n += snprintf(line + n, sizeof(line) - (size_t)n, " req=%s", t_request);
    if (n > 0 && (size_t)n < sizeof(line) - 1) {
        line[n++] = ' ';
        va_list ap;
        va_start(ap, fmt);
        int m = vsnprintf(line + n, sizeof(line) - (size_t)n, fmt, ap);
        va_end(ap);
        if (m > 0)
            n += m;
    }
    if (n < 0)
        return;
    if ((size_t)n >= sizeof(line) - 1)
        n = (int)sizeof(line) - 2; /* cut long lines rather than lose them */
    line[n++] = '\n';
    /* One write per line so lines from several threads never interleave. */
    fwrite(line, 1, (size_t)n, stderr);
}
