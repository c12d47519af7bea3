/* Time, calendar dates and random ids. */
#include "core/core.h"

#include <sodium.h>
#include <stdlib.h>
#include <string.h>
#include <time.h>

int64_t
cm_time_now(void)
{
    struct timespec ts;
    clock_gettime(CLOCK_REALTIME, &ts);
    return (int64_t)ts.tv_sec;
}

double
cm_time_mono_ms(void)
{
    struct timespec ts;
    clock_gettime(CLOCK_MONOTONIC, &ts);
    return (double)ts.tv_sec * 1000.0 + (double)ts.tv_nsec / 1e6;
}

void
cm_time_iso(int64_t t, char out[21])
{
    time_t tt = (time_t)t;
    struct tm tm;
    gmtime_r(&tt, &tm);
    strftime(out, 21, "%Y-%m-%dT%H:%M:%SZ", &tm);
}

void
cm_date_of(int64_t t, char out[11])
{
    time_t tt = (time_t)t;
    struct tm tm;
    gmtime_r(&tt, &tm);
    strftime(out, 11, "%Y-%m-%d", &tm);
}

static bool
leap(int y)
{
    return (y % 4 == 0 && y % 100 != 0) || y % 400 == 0;
}

static enum cm_code
split(const char *s, int *y, int *m, int *d, const char *field, struct cm_err *err)
{
    static const int mdays[] = {31, 28, 31, 30, 31, 30, 31, 31, 30, 31, 30, 31};
    if (s == NULL || strlen(s) != 10 || s[4] != '-' || s[7] != '-')
        return cm_err_set(err, CM_EINVAL, field, "must be a date YYYY-MM-DD");
    for (int i = 0; i < 10; i++) {
        if (i != 4 && i != 7 && (s[i] < '0' || s[i] > '9'))
            return cm_err_set(err, CM_EINVAL, field, "must be a date YYYY-MM-DD");
    }
    *y = atoi(s);
    *m = atoi(s + 5);
    *d = atoi(s + 8);
    if (*y < 1900 || *y > 2199)
        return cm_err_set(err, CM_EINVAL, field, "year must be between 1900 and 2199");
    if (*m < 1 || *m > 12)
        return cm_err_set(err, CM_EINVAL, field, "month must be 01 to 12");
    int dim = mdays[*m - 1] + (*m == 2 && leap(*y));
    if (*d < 1 || *d > dim)
        return cm_err_set(err, CM_EINVAL, field, "day must be 01 to %02d in that month", dim);
    return CM_OK;
}

enum cm_code
cm_date_check(const char *s, const char *field, struct cm_err *err)
{
    int y = 0, m = 0, d = 0;
    return split(s, &y, &m, &d, field, err);
}

enum cm_code
cm_date_parse(const char *s, int64_t *out, const char *field, struct cm_err *err)
{
    int y = 0, m = 0, d = 0;
    enum cm_code rc = split(s, &y, &m, &d, field, err);
    if (rc != CM_OK)
        return rc;
    /* Days from civil (Howard Hinnant's algorithm), no dependence on the local time zone. */
    y -= m <= 2;
    int64_t era = (y >= 0 ? y : y - 399) / 400;
    int64_t yoe = y - era * 400;
    int64_t doy = (153 * (m + (m > 2 ? -3 : 9)) + 2) / 5 + d - 1;
    int64_t doe = yoe * 365 + yoe / 4 - yoe / 100 + doy;
    *out = (era * 146097 + doe - 719468) * 86400;
    return CM_OK;
}

void
cm_hex(const unsigned char *in, size_t n, char *out)
{
    static const char digits[] = "0123456789abcdef";
    for (size_t i = 0; i < n; i++) {
        out[2 * i] = digits[in[i] >> 4];
        out[2 * i + 1] = digits[in[i] & 15];
    }
    out[2 * n] = '\0';
}

void
cm_random_hex(char *out, size_t nbytes)
{
    unsigned char buf[64];
    while (nbytes > 0) {
        size_t n = nbytes > sizeof(buf) ? sizeof(buf) : nbytes;
        randombytes_buf(buf, n);
        cm_hex(buf, n, out);
        out += 2 * n;
        nbytes -= n;
    }
    *out = '\0';
}
