/*
 * Sign-in throttling over a sliding window. Failures are counted under two keys, the account
 * ("user:<username>") and the address ("ip:<address>"): the first stops guessing one account's
 * password from many addresses, the second stops one address trying many accounts. The counts
 * live in the database so every `caremap serve` process behind a proxy sees the same ones.
 */
#include "access/access.h"

#include <stdio.h>

/* Valid usernames are at most 64 bytes and addresses at most 45 (IPv6 text) plus a zone; a longer
 * username names no account, so cutting it only merges failures that could never succeed. */
#define KEY_MAX 160

static void
key_of(const char *prefix, const char *value, char out[KEY_MAX])
{
    int n = snprintf(out, KEY_MAX, "%s:%s", prefix, value);
    CM_UNUSED(n); /* truncation is intended, see KEY_MAX */
}

static bool
present(const char *s)
{
    return s != NULL && s[0] != '\0';
}

/* The window ending at t is the window_s seconds (t - window_s, t]: the store counts failures
 * with at >= since, so its start is t - window_s + 1, and a failure at f counts until f + window_s.
 */
static int64_t
window_start(int64_t t, int window_s)
{
    return t - window_s + 1;
}

/* When the check for key would pass again: the smallest t > now at which fewer than max failures
 * lie inside the window ending at t. The store counts failures since a time, and that count only
 * falls as the start moves forward, so a binary search over [now+1, now+window] finds t in
 * about log2(window) indexed counts. This runs only for a throttled attempt with more failures
 * in the window than the limit. */
static enum cm_code
reopens_at(struct cm_conn *c, const char *key, int64_t now, int max, int window_s, int64_t *out,
           struct cm_err *err)
{
    int64_t lo = now + 1;
    int64_t hi = now + window_s; /* the window then starts after every past failure */
    while (lo < hi) {
        int64_t mid = lo + (hi - lo) / 2;
        int count = 0;
        enum cm_code rc =
            cm_store_login_failure_count(c, key, window_start(mid, window_s), &count, err);
        if (rc != CM_OK)
            return rc;
        if (count < max)
            hi = mid;
        else
            lo = mid + 1;
    }
    *out = lo;
    return CM_OK;
}

/* Counts key's failures in the window; when they reach max, raises *until to when it reopens. */
static enum cm_code
check_key(struct cm_conn *c, const char *key, int64_t now, int max, int window_s, int64_t *until,
          struct cm_err *err)
{
    int count = 0;
    enum cm_code rc =
        cm_store_login_failure_count(c, key, window_start(now, window_s), &count, err);
    if (rc != CM_OK || count < max)
        return rc;
    int64_t t = 0;
    if (count == max) {
        /* The usual case: it reopens when the oldest counted failure leaves the window. */
        int64_t oldest = 0;
        rc = cm_store_login_failure_oldest(c, key, window_start(now, window_s), &oldest, err);
        if (rc != CM_OK)
            return rc;
        t = oldest + window_s;
    } else {
        /* More failures than the limit (recorded before the limit was lowered, or by another
         * process at the same moment): the oldest leaving is not enough. */
        rc = reopens_at(c, key, now, max, window_s, &t, err);
        if (rc != CM_OK)
            return rc;
    }
    if (t > *until)
        *until = t;
    return CM_OK;
}

enum cm_code
cm_access_throttle_check(struct cm_conn *c, const char *username, const char *ip, int64_t now,
                         int max_failures, int window_s, int *retry_after_s, struct cm_err *err)
{
    if (max_failures < 1 || window_s < 1)
        return cm_err_set(err, CM_EINVAL, "login_max_failures",
                          "throttling needs at least one failure and a one-second window");
    char key[KEY_MAX];
    int64_t until = 0;
    enum cm_code rc;
    if (present(username)) {
        key_of("user", username, key);
        rc = check_key(c, key, now, max_failures, window_s, &until, err);
        if (rc != CM_OK)
            return rc;
    }
    if (present(ip)) {
        key_of("ip", ip, key);
        rc = check_key(c, key, now, max_failures, window_s, &until, err);
        if (rc != CM_OK)
            return rc;
    }
    if (until == 0)
        return CM_OK;
    int64_t wait = until - now;
    if (wait < 1)
        wait = 1;
    if (retry_after_s != NULL)
        *retry_after_s = (int)wait;
    return cm_err_set(err, CM_ETHROTTLE, "", "too many failed sign-ins; try again in %lld seconds",
                      (long long)wait);
}

enum cm_code
cm_access_throttle_fail(struct cm_conn *c, const char *username, const char *ip, int64_t now,
                        struct cm_err *err)
{
    char key[KEY_MAX];
    enum cm_code rc;
    if (present(username)) {
        key_of("user", username, key);
        rc = cm_store_login_failure_add(c, key, now, err);
        if (rc != CM_OK)
            return rc;
    }
    if (present(ip)) {
        key_of("ip", ip, key);
        rc = cm_store_login_failure_add(c, key, now, err);
        if (rc != CM_OK)
            return rc;
    }
    return CM_OK;
}

enum cm_code
cm_access_throttle_clear(struct cm_conn *c, const char *username, struct cm_err *err)
{
    /* Only the account: clearing the address would let one address that knows one password reset
     * its count after every batch of guesses against other accounts. */
    if (!present(username))
        return CM_OK;
    char key[KEY_MAX];
    key_of("user", username, key);
    return cm_store_login_failure_clear(c, key, err);
}
