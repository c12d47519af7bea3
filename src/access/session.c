/*
 * Sessions and CSRF tokens. The cookie carries 32 random bytes as hex; the database keeps only
 * their SHA-256, so a copy of the database (a backup, a replica) holds no usable sign-in. The
 * CSRF token is a second random value stored beside it and echoed by the browser in a header.
 */
#include "access/access.h"
#include "access/access_int.h"

#include <sodium.h>
#include <string.h>

#define TOKEN_BYTES 32
#define TOKEN_HEX   (2 * TOKEN_BYTES)

void
cm_access_token_hash(const char *token, char out[65])
{
    unsigned char digest[crypto_hash_sha256_BYTES];
    crypto_hash_sha256(digest, (const unsigned char *)token, strlen(token));
    cm_hex(digest, sizeof(digest), out);
}

/* True for exactly 64 lowercase hex digits: anything else cannot be a token we issued, so it is
 * refused before it costs a hash and a query. */
static bool
token_well_formed(const char *token)
{
    if (token == NULL)
        return false;
    size_t i = 0;
    for (; i < TOKEN_HEX; i++) {
        char ch = token[i];
        if (!((ch >= '0' && ch <= '9') || (ch >= 'a' && ch <= 'f')))
            return false;
    }
    return token[i] == '\0';
}

enum cm_code
cm_access_session_start(struct cm_conn *c, int64_t user_id, int64_t now, int64_t absolute_s,
                        struct cm_access_session_new *out, struct cm_err *err)
{
    if (user_id <= 0)
        return cm_err_set(err, CM_EINVAL, "user_id", "a session needs a user");
    if (absolute_s <= 0)
        return cm_err_set(err, CM_EINVAL, "session_absolute_h", "must be positive");

    struct cm_session s;
    memset(&s, 0, sizeof(s));
    memset(out, 0, sizeof(*out));
    cm_random_hex(out->token, TOKEN_BYTES);
    cm_random_hex(out->csrf, TOKEN_BYTES);
    cm_access_token_hash(out->token, s.token_hash);
    memcpy(s.csrf, out->csrf, sizeof(s.csrf));
    s.user_id = user_id;
    s.created_at = now;
    s.last_seen_at = now;
    s.expires_at = now + absolute_s;
    out->expires_at = s.expires_at;

    enum cm_code rc = cm_store_session_create(c, &s, err);
    if (rc != CM_OK) {
        sodium_memzero(out, sizeof(*out));
        return rc;
    }
    return CM_OK;
}

/* Removes a session found dead on resume. A failure here is only logged: the caller is told
 * CM_EUNAUTH either way, and the periodic purge removes the row later. */
static void
drop(struct cm_conn *c, const char *token_hash, int64_t user_id, const char *why)
{
    struct cm_err e = {0};
    if (cm_store_session_delete(c, token_hash, &e) != CM_OK && e.code != CM_ENOTFOUND)
        cm_log_warn("event=session.drop_failed user=%lld reason=%s code=%s", (long long)user_id,
                    why, cm_code_name(e.code));
}

enum cm_code
cm_access_session_resume(struct cm_conn *c, const char *token, int64_t now, int64_t idle_s,
                         struct cm_session *out, struct cm_err *err)
{
    if (!token_well_formed(token))
        return cm_err_set(err, CM_EUNAUTH, "", "not signed in");

    char hash[65];
    cm_access_token_hash(token, hash);
    struct cm_session s;
    struct cm_err e = {0};
    enum cm_code rc = cm_store_session_get(c, hash, &s, &e);
    if (rc == CM_ENOTFOUND)
        return cm_err_set(err, CM_EUNAUTH, "", "not signed in");
    if (rc != CM_OK)
        return cm_err_set(err, rc, e.field, "%s", e.msg);

    if (now >= s.expires_at) {
        drop(c, hash, s.user_id, "expired");
        return cm_err_set(err, CM_EUNAUTH, "", "the session has expired; sign in again");
    }
    if (now - s.last_seen_at > idle_s) {
        drop(c, hash, s.user_id, "idle");
        return cm_err_set(err, CM_EUNAUTH, "", "the session has expired; sign in again");
    }
    if (now - s.last_seen_at > CM_SESSION_TOUCH_S) {
        /* Recording use is bookkeeping for the idle limit; a failure to record it must not fail
         * the request it rides on (the worst case is an earlier idle expiry), so it is logged. */
        struct cm_err te = {0};
        if (cm_store_session_touch(c, hash, now, &te) == CM_OK)
            s.last_seen_at = now;
        else
            cm_log_warn("event=session.touch_failed user=%lld code=%s", (long long)s.user_id,
                        cm_code_name(te.code));
    }
    *out = s;
    return CM_OK;
}

enum cm_code
cm_access_session_end(struct cm_conn *c, const char *token, struct cm_err *err)
{
    /* Ending a session that does not exist leaves the same state as ending one that does, so
     * both are CM_OK: sign-out is idempotent. */
    if (!token_well_formed(token))
        return CM_OK;
    char hash[65];
    cm_access_token_hash(token, hash);
    struct cm_err e = {0};
    enum cm_code rc = cm_store_session_delete(c, hash, &e);
    if (rc == CM_ENOTFOUND)
        return CM_OK;
    if (rc != CM_OK)
        return cm_err_set(err, rc, e.field, "%s", e.msg);
    return CM_OK;
}

bool
cm_access_csrf_ok(const struct cm_session *s, const char *header_value)
{
    if (s == NULL || header_value == NULL)
        return false;
    size_t want = strnlen(s->csrf, sizeof(s->csrf));
    /* An empty stored token would make an empty header match. */
    if (want == 0)
        return false;
    /* The length is not secret (always 64); only the bytes are compared in constant time. */
    if (strnlen(header_value, want + 1) != want)
        return false;
    return sodium_memcmp(s->csrf, header_value, want) == 0;
}
