/*
 * access: passwords, policy, sessions, CSRF, throttling, authorisation decisions and the audit
 * writer, against a real SQLite file in a fresh temporary directory per test. Argon2 runs with
 * libsodium's minimum limits except where a test measures cost.
 */
#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>

#include <cmocka.h>

#include "access/access.h"
#include "access/access_int.h"
#include "cmd/cmd.h"

#include <fcntl.h>
#include <pthread.h>
#include <sodium.h>
#include <sqlite3.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <time.h>
#include <unistd.h>

#define T0       1700000000 /* a fixed "now" for sessions and throttling */
#define DEADLINE 5000.0     /* ms any poll may wait before the test fails */

/* ---- fixture --------------------------------------------------------------------------------- */

struct fx {
    char dir[64];
    char path[128];
    struct cm_store *s;
    struct cm_conn *c;
    struct cm_arena *a;
    int64_t program;
};

static void
fx_path(const struct fx *f, const char *suffix, char *out, size_t n)
{
    snprintf(out, n, "%s%s", f->path, suffix);
}

static int
setup(void **state)
{
    struct fx *f = calloc(1, sizeof(*f));
    assert_non_null(f);
    snprintf(f->dir, sizeof(f->dir), "/tmp/cm-access-XXXXXX");
    assert_non_null(mkdtemp(f->dir));
    snprintf(f->path, sizeof(f->path), "%s/test.db", f->dir);
    struct cm_err err = {0};
    assert_int_equal(cm_store_open(f->path, &f->s, &err), CM_OK);
    assert_int_equal(cm_store_conn_open(f->s, &f->c, &err), CM_OK);
    assert_int_equal(cm_store_program_create(f->c, "Test Program", &f->program, &err), CM_OK);
    f->a = cm_arena_new(16 * 1024 * 1024);
    assert_non_null(f->a);
    assert_int_equal(cm_access_password_init(1, crypto_pwhash_MEMLIMIT_MIN, 2, &err), CM_OK);
    *state = f;
    return 0;
}

static int
teardown(void **state)
{
    struct fx *f = *state;
    cm_access_password_free();
    cm_arena_free(f->a);
    cm_store_conn_close(f->c);
    cm_store_close(f->s);
    static const char *const suffixes[] = {"", "-wal", "-shm", "-journal"};
    for (size_t i = 0; i < CM_ARRAY_LEN(suffixes); i++) {
        char p[160];
        fx_path(f, suffixes[i], p, sizeof(p));
        unlink(p);
    }
    rmdir(f->dir);
    free(f);
    return 0;
}

static int64_t
make_user_in(struct fx *f, int64_t program, const char *username, enum cm_role role)
{
    struct cm_user u = {0};
    u.program_id = program;
    u.username = username;
    u.display_name = "Test User";
    u.role = role;
    u.language = "en";
    u.password_hash = "$argon2id$v=19$m=8,t=1,p=1$not-a-real-hash";
    struct cm_err err = {0};
    assert_int_equal(cm_store_user_create(f->c, &u, 0, &err), CM_OK);
    assert_true(u.meta.id > 0);
    return u.meta.id;
}

static int64_t
make_user(struct fx *f, const char *username, enum cm_role role)
{
    return make_user_in(f, f->program, username, role);
}

static struct cm_viewer
viewer(int64_t id, enum cm_role role, int64_t program)
{
    struct cm_viewer v = {.user_id = id, .role = role, .program_id = program};
    return v;
}

static double
now_ms(void)
{
    return cm_time_mono_ms();
}

static void
pause_ms(long ms)
{
    struct timespec ts = {.tv_sec = 0, .tv_nsec = ms * 1000000L};
    nanosleep(&ts, NULL);
}

/* ---- passwords ------------------------------------------------------------------------------- */

static void
test_password_hash_verifies_the_right_password(void **state)
{
    CM_UNUSED(state);
    char hash[CM_PASSWORD_HASH_MAX];
    struct cm_err err = {0};
    assert_int_equal(cm_access_password_hash("correct horse battery", hash, &err), CM_OK);
    assert_true(strncmp(hash, "$argon2id$", 10) == 0);
    assert_true(cm_access_password_verify(hash, "correct horse battery"));
}

static void
test_password_verify_refuses_a_wrong_password(void **state)
{
    CM_UNUSED(state);
    char hash[CM_PASSWORD_HASH_MAX];
    struct cm_err err = {0};
    assert_int_equal(cm_access_password_hash("correct horse battery", hash, &err), CM_OK);
    assert_false(cm_access_password_verify(hash, "correct horse batterY"));
    assert_false(cm_access_password_verify(hash, ""));
    assert_false(cm_access_password_verify(hash, NULL));
}

static void
test_password_hashes_of_one_password_differ_by_salt(void **state)
{
    CM_UNUSED(state);
    char h1[CM_PASSWORD_HASH_MAX], h2[CM_PASSWORD_HASH_MAX];
    struct cm_err err = {0};
    assert_int_equal(cm_access_password_hash("correct horse battery", h1, &err), CM_OK);
    assert_int_equal(cm_access_password_hash("correct horse battery", h2, &err), CM_OK);
    assert_string_not_equal(h1, h2);
}

static void
test_password_verify_of_unknown_user_or_garbage_hash_is_false(void **state)
{
    CM_UNUSED(state);
    assert_false(cm_access_password_verify(NULL, "correct horse battery"));
    assert_false(cm_access_password_verify("not a hash", "correct horse battery"));
    assert_false(cm_access_password_verify("", "correct horse battery"));
}

static double
median3(double a, double b, double c)
{
    if ((a <= b && b <= c) || (c <= b && b <= a))
        return b;
    if ((b <= a && a <= c) || (c <= a && a <= b))
        return a;
    return c;
}

static void
test_password_verify_of_unknown_user_spends_a_hash(void **state)
{
    CM_UNUSED(state);
    struct cm_err err = {0};
    /* Limits high enough (8 MiB) that a hash takes milliseconds, so skipping it would show. */
    assert_int_equal(cm_access_password_init(1, 8 << 20, 2, &err), CM_OK);
    char hash[CM_PASSWORD_HASH_MAX];
    assert_int_equal(cm_access_password_hash("correct horse battery", hash, &err), CM_OK);
    double known[3], unknown[3];
    for (int i = 0; i < 3; i++) {
        double t = now_ms();
        assert_false(cm_access_password_verify(hash, "wrong password here"));
        known[i] = now_ms() - t;
        t = now_ms();
        assert_false(cm_access_password_verify(NULL, "wrong password here"));
        unknown[i] = now_ms() - t;
    }
    double k = median3(known[0], known[1], known[2]);
    double u = median3(unknown[0], unknown[1], unknown[2]);
    if (u < 0.3 * k)
        fail_msg("unknown user took %.2f ms, a real verify %.2f ms", u, k);
}

static void
test_password_hash_before_init_is_refused(void **state)
{
    CM_UNUSED(state);
    cm_access_password_free();
    char hash[CM_PASSWORD_HASH_MAX];
    struct cm_err err = {0};
    assert_int_equal(cm_access_password_hash("correct horse battery", hash, &err), CM_EINTERNAL);
    assert_false(cm_access_password_verify(NULL, "correct horse battery"));
}

static void
test_password_init_rejects_limits_out_of_range(void **state)
{
    CM_UNUSED(state);
    struct cm_err err = {0};
    assert_int_equal(cm_access_password_init(0, crypto_pwhash_MEMLIMIT_MIN, 1, &err), CM_EINVAL);
    assert_string_equal(err.field, "password_opslimit");
    cm_err_clear(&err);
    assert_int_equal(cm_access_password_init(1, 1024, 1, &err), CM_EINVAL);
    assert_string_equal(err.field, "password_memlimit");
    cm_err_clear(&err);
    assert_int_equal(cm_access_password_init(1, crypto_pwhash_MEMLIMIT_MIN, 0, &err), CM_EINVAL);
    assert_string_equal(err.field, "password_concurrency");
}

static void *
hash_many(void *arg)
{
    CM_UNUSED(arg);
    for (int i = 0; i < 4; i++) {
        char hash[CM_PASSWORD_HASH_MAX];
        struct cm_err err = {0};
        if (cm_access_password_hash("correct horse battery", hash, &err) != CM_OK)
            return (void *)1;
        if (!cm_access_password_verify(hash, "correct horse battery"))
            return (void *)1;
    }
    return NULL;
}

static void
test_password_hashing_never_runs_more_than_concurrency_at_once(void **state)
{
    CM_UNUSED(state);
    struct cm_err err = {0};
    assert_int_equal(cm_access_password_init(1, 1 << 20, 2, &err), CM_OK);
    pthread_t t[6];
    for (size_t i = 0; i < CM_ARRAY_LEN(t); i++)
        assert_int_equal(pthread_create(&t[i], NULL, hash_many, NULL), 0);
    for (size_t i = 0; i < CM_ARRAY_LEN(t); i++) {
        void *r = NULL;
        pthread_join(t[i], &r);
        assert_null(r);
    }
    int peak = cm_access_password_peak();
    assert_in_range(peak, 1, 2);
}

/* ---- password policy ------------------------------------------------------------------------- */

static enum cm_code
policy(const char *pw)
{
    struct cm_err err = {0};
    return cm_access_password_policy(pw, "password", &err);
}

static void
test_policy_accepts_twelve_to_128_characters(void **state)
{
    CM_UNUSED(state);
    assert_int_equal(policy("abcdefghijkl"), CM_OK);
    char max[129];
    for (int i = 0; i < 128; i++)
        max[i] = (char)('a' + i % 26);
    max[128] = '\0';
    assert_int_equal(policy(max), CM_OK);
}

static void
test_policy_rejects_eleven_characters_with_the_field_named(void **state)
{
    CM_UNUSED(state);
    struct cm_err err = {0};
    assert_int_equal(cm_access_password_policy("abcdefghijk", "new_password", &err), CM_EINVAL);
    assert_string_equal(err.field, "new_password");
    assert_non_null(strstr(err.msg, "12"));
}

static void
test_policy_rejects_129_characters(void **state)
{
    CM_UNUSED(state);
    char long_pw[130];
    for (int i = 0; i < 129; i++)
        long_pw[i] = (char)('a' + i % 26);
    long_pw[129] = '\0';
    assert_int_equal(policy(long_pw), CM_EINVAL);
}

static void
test_policy_counts_code_points_not_bytes(void **state)
{
    CM_UNUSED(state);
    /* 11 two-byte characters are 22 bytes but only 11 characters. */
    assert_int_equal(policy("ñáéíóúüñáéí"), CM_EINVAL);
    assert_int_equal(policy("ñáéíóúüñáéíó"), CM_OK);
    /* 128 three-byte characters (384 bytes) are within the limit; 129 are not. */
    char buf[3 * 129 + 1];
    for (int i = 0; i < 129; i++)
        memcpy(buf + 3 * i, i % 2 ? "\xe6\x97\xa5" : "\xe6\x9c\xac", 3); /* 日 本 */
    buf[3 * 129] = '\0';
    assert_int_equal(policy(buf), CM_EINVAL);
    buf[3 * 128] = '\0';
    assert_int_equal(policy(buf), CM_OK);
}

static void
test_policy_rejects_invalid_utf8(void **state)
{
    CM_UNUSED(state);
    assert_int_equal(policy("abcdefghijk\xff"), CM_EINVAL);
    assert_int_equal(policy("abcdefghijk\xc0\xaf"), CM_EINVAL);  /* overlong '/' */
    assert_int_equal(policy("abcdefghijkl\xe6\x97"), CM_EINVAL); /* cut short */
}

static void
test_policy_rejects_one_character_repeated(void **state)
{
    CM_UNUSED(state);
    assert_int_equal(policy("aaaaaaaaaaaaaaaa"), CM_EINVAL);
    assert_int_equal(policy("ññññññññññññ"), CM_EINVAL);
    assert_int_equal(policy("aaaaaaaaaaab"), CM_OK);
}

static void
test_policy_rejects_no_password(void **state)
{
    CM_UNUSED(state);
    assert_int_equal(policy(NULL), CM_EINVAL);
    assert_int_equal(policy(""), CM_EINVAL);
}

/* ---- sessions -------------------------------------------------------------------------------- */

static bool
is_hex64(const char *s)
{
    if (strlen(s) != 64)
        return false;
    for (size_t i = 0; i < 64; i++) {
        if (!((s[i] >= '0' && s[i] <= '9') || (s[i] >= 'a' && s[i] <= 'f')))
            return false;
    }
    return true;
}

static void
test_session_start_hands_out_random_secrets_and_stores_only_the_hash(void **state)
{
    struct fx *f = *state;
    int64_t uid = make_user(f, "coord.ada", CM_ROLE_NURSE_CARE_COORDINATOR);
    struct cm_access_session_new n1, n2;
    struct cm_err err = {0};
    assert_int_equal(cm_access_session_start(f->c, uid, T0, 3600, &n1, &err), CM_OK);
    assert_int_equal(cm_access_session_start(f->c, uid, T0, 3600, &n2, &err), CM_OK);
    assert_true(is_hex64(n1.token));
    assert_true(is_hex64(n1.csrf));
    assert_string_not_equal(n1.token, n1.csrf);
    assert_string_not_equal(n1.token, n2.token);
    assert_int_equal(n1.expires_at, T0 + 3600);

    struct cm_session s;
    char hash[65];
    cm_access_token_hash(n1.token, hash);
    assert_int_equal(cm_store_session_get(f->c, hash, &s, &err), CM_OK);
    assert_int_equal(s.user_id, uid);
    assert_string_equal(s.csrf, n1.csrf);
    /* The token itself is not what the database holds. */
    assert_string_not_equal(hash, n1.token);
    assert_int_equal(cm_store_session_get(f->c, n1.token, &s, &err), CM_ENOTFOUND);
}

static void
test_token_hash_is_sha256_hex(void **state)
{
    CM_UNUSED(state);
    char out[65];
    cm_access_token_hash("abc", out);
    assert_string_equal(out, "ba7816bf8f01cfea414140de5dae2223b00361a396177a9cb410ff61f20015ad");
}

static void
test_session_resume_finds_the_live_session(void **state)
{
    struct fx *f = *state;
    int64_t uid = make_user(f, "coord.ada", CM_ROLE_NURSE_CARE_COORDINATOR);
    struct cm_access_session_new n;
    struct cm_err err = {0};
    assert_int_equal(cm_access_session_start(f->c, uid, T0, 3600, &n, &err), CM_OK);
    struct cm_session s;
    assert_int_equal(cm_access_session_resume(f->c, n.token, T0 + 10, 1800, &s, &err), CM_OK);
    assert_int_equal(s.user_id, uid);
    assert_string_equal(s.csrf, n.csrf);
    assert_int_equal(s.expires_at, T0 + 3600);
}

static void
test_session_resume_of_unknown_or_malformed_token_is_unauthenticated(void **state)
{
    struct fx *f = *state;
    struct cm_session s;
    struct cm_err err = {0};
    char token[65];
    cm_random_hex(token, 32);
    assert_int_equal(cm_access_session_resume(f->c, token, T0, 1800, &s, &err), CM_EUNAUTH);
    cm_err_clear(&err);
    assert_int_equal(cm_access_session_resume(f->c, "short", T0, 1800, &s, &err), CM_EUNAUTH);
    cm_err_clear(&err);
    assert_int_equal(cm_access_session_resume(f->c, NULL, T0, 1800, &s, &err), CM_EUNAUTH);
    cm_err_clear(&err);
    token[0] = 'G'; /* not lowercase hex */
    assert_int_equal(cm_access_session_resume(f->c, token, T0, 1800, &s, &err), CM_EUNAUTH);
}

static void
test_session_idle_past_the_limit_is_ended(void **state)
{
    struct fx *f = *state;
    int64_t uid = make_user(f, "coord.ada", CM_ROLE_NURSE_CARE_COORDINATOR);
    struct cm_access_session_new n;
    struct cm_err err = {0};
    struct cm_session s;
    assert_int_equal(cm_access_session_start(f->c, uid, T0, 12 * 3600, &n, &err), CM_OK);
    /* Exactly at the idle limit still counts as in use. */
    assert_int_equal(cm_access_session_resume(f->c, n.token, T0 + 1800, 1800, &s, &err), CM_OK);
    assert_int_equal(s.last_seen_at, T0 + 1800);
    assert_int_equal(cm_access_session_resume(f->c, n.token, T0 + 3601, 1800, &s, &err),
                     CM_EUNAUTH);
    char hash[65];
    cm_access_token_hash(n.token, hash);
    cm_err_clear(&err);
    assert_int_equal(cm_store_session_get(f->c, hash, &s, &err), CM_ENOTFOUND);
    cm_err_clear(&err);
    /* And it stays gone even if asked within the limit of its last use. */
    assert_int_equal(cm_access_session_resume(f->c, n.token, T0 + 1801, 1800, &s, &err),
                     CM_EUNAUTH);
}

static void
test_session_past_absolute_expiry_is_ended_even_when_in_use(void **state)
{
    struct fx *f = *state;
    int64_t uid = make_user(f, "coord.ada", CM_ROLE_NURSE_CARE_COORDINATOR);
    struct cm_access_session_new n;
    struct cm_err err = {0};
    struct cm_session s;
    assert_int_equal(cm_access_session_start(f->c, uid, T0, 3600, &n, &err), CM_OK);
    for (int64_t t = T0 + 600; t < T0 + 3600; t += 600)
        assert_int_equal(cm_access_session_resume(f->c, n.token, t, 1800, &s, &err), CM_OK);
    assert_int_equal(cm_access_session_resume(f->c, n.token, T0 + 3600, 1800, &s, &err),
                     CM_EUNAUTH);
    char hash[65];
    cm_access_token_hash(n.token, hash);
    cm_err_clear(&err);
    assert_int_equal(cm_store_session_get(f->c, hash, &s, &err), CM_ENOTFOUND);
}

static void
test_session_use_is_recorded_at_most_once_a_minute(void **state)
{
    struct fx *f = *state;
    int64_t uid = make_user(f, "coord.ada", CM_ROLE_NURSE_CARE_COORDINATOR);
    struct cm_access_session_new n;
    struct cm_err err = {0};
    struct cm_session s, stored;
    char hash[65];
    assert_int_equal(cm_access_session_start(f->c, uid, T0, 3600, &n, &err), CM_OK);
    cm_access_token_hash(n.token, hash);

    assert_int_equal(cm_access_session_resume(f->c, n.token, T0 + 60, 1800, &s, &err), CM_OK);
    assert_int_equal(cm_store_session_get(f->c, hash, &stored, &err), CM_OK);
    assert_int_equal(stored.last_seen_at, T0); /* 60 s is not more than a minute */
    assert_int_equal(s.last_seen_at, T0);

    assert_int_equal(cm_access_session_resume(f->c, n.token, T0 + 61, 1800, &s, &err), CM_OK);
    assert_int_equal(cm_store_session_get(f->c, hash, &stored, &err), CM_OK);
    assert_int_equal(stored.last_seen_at, T0 + 61);
    assert_int_equal(s.last_seen_at, T0 + 61);
}

static void
test_session_end_revokes_and_is_idempotent(void **state)
{
    struct fx *f = *state;
    int64_t uid = make_user(f, "coord.ada", CM_ROLE_NURSE_CARE_COORDINATOR);
    struct cm_access_session_new n, other;
    struct cm_err err = {0};
    struct cm_session s;
    assert_int_equal(cm_access_session_start(f->c, uid, T0, 3600, &n, &err), CM_OK);
    assert_int_equal(cm_access_session_start(f->c, uid, T0, 3600, &other, &err), CM_OK);
    assert_int_equal(cm_access_session_end(f->c, n.token, &err), CM_OK);
    assert_int_equal(cm_access_session_resume(f->c, n.token, T0 + 1, 1800, &s, &err), CM_EUNAUTH);
    cm_err_clear(&err);
    assert_int_equal(cm_access_session_end(f->c, n.token, &err), CM_OK);
    assert_int_equal(cm_access_session_end(f->c, "garbage", &err), CM_OK);
    /* Only that session ended. */
    assert_int_equal(cm_access_session_resume(f->c, other.token, T0 + 1, 1800, &s, &err), CM_OK);
}

static void
test_csrf_matches_only_the_sessions_token(void **state)
{
    CM_UNUSED(state);
    struct cm_session s = {0};
    cm_random_hex(s.csrf, 32);
    char copy[65];
    memcpy(copy, s.csrf, sizeof(copy));
    assert_true(cm_access_csrf_ok(&s, copy));

    copy[63] = copy[63] == 'a' ? 'b' : 'a';
    assert_false(cm_access_csrf_ok(&s, copy));
    copy[63] = s.csrf[63];
    copy[10] = '\0';
    assert_false(cm_access_csrf_ok(&s, copy)); /* a prefix */
    char longer[70];
    snprintf(longer, sizeof(longer), "%s00", s.csrf);
    assert_false(cm_access_csrf_ok(&s, longer));
    assert_false(cm_access_csrf_ok(&s, ""));
    assert_false(cm_access_csrf_ok(&s, NULL));
    assert_false(cm_access_csrf_ok(NULL, copy));
}

static void
test_csrf_of_a_session_without_token_matches_nothing(void **state)
{
    CM_UNUSED(state);
    struct cm_session s = {0};
    assert_false(cm_access_csrf_ok(&s, ""));
}

/* ---- throttling ------------------------------------------------------------------------------ */

static void
fail_at(struct fx *f, const char *user, const char *ip, int64_t at)
{
    struct cm_err err = {0};
    assert_int_equal(cm_access_throttle_fail(f->c, user, ip, at, &err), CM_OK);
}

static enum cm_code
check(struct fx *f, const char *user, const char *ip, int64_t now, int *retry)
{
    struct cm_err err = {0};
    *retry = -1;
    return cm_access_throttle_check(f->c, user, ip, now, 3, 900, retry, &err);
}

static void
test_throttle_under_the_limit_passes(void **state)
{
    struct fx *f = *state;
    int retry;
    assert_int_equal(check(f, "coord.ada", "192.0.2.1", T0, &retry), CM_OK);
    fail_at(f, "coord.ada", "192.0.2.1", T0);
    fail_at(f, "coord.ada", "192.0.2.1", T0 + 10);
    assert_int_equal(check(f, "coord.ada", "192.0.2.1", T0 + 20, &retry), CM_OK);
    assert_int_equal(retry, -1);
}

static void
test_throttle_at_the_limit_refuses_with_a_sane_retry_after(void **state)
{
    struct fx *f = *state;
    int retry;
    fail_at(f, "coord.ada", "192.0.2.1", T0);
    fail_at(f, "coord.ada", "192.0.2.1", T0 + 10);
    fail_at(f, "coord.ada", "192.0.2.1", T0 + 20);
    struct cm_err err = {0};
    assert_int_equal(
        cm_access_throttle_check(f->c, "coord.ada", "192.0.2.1", T0 + 30, 3, 900, &retry, &err),
        CM_ETHROTTLE);
    assert_int_equal(err.code, CM_ETHROTTLE);
    /* The oldest failure (T0) leaves the 900 s window 870 or 871 s from now, depending on
     * whether the window's start is inclusive. */
    assert_in_range(retry, 870, 871);
    /* Asking again when told, it passes; a second earlier it does not. */
    assert_int_equal(check(f, "coord.ada", "192.0.2.1", T0 + 30 + retry, &retry), CM_OK);
    assert_int_equal(check(f, "coord.ada", "192.0.2.1", T0 + 29 + 871 - 1, &retry), CM_ETHROTTLE);
}

static void
test_throttle_window_slides(void **state)
{
    struct fx *f = *state;
    int retry;
    fail_at(f, "coord.ada", "192.0.2.1", T0);
    fail_at(f, "coord.ada", "192.0.2.1", T0 + 500);
    fail_at(f, "coord.ada", "192.0.2.1", T0 + 600);
    assert_int_equal(check(f, "coord.ada", "192.0.2.1", T0 + 700, &retry), CM_ETHROTTLE);
    /* After T0 leaves the window two failures remain: it passes. */
    assert_int_equal(check(f, "coord.ada", "192.0.2.1", T0 + 902, &retry), CM_OK);
    /* A new failure brings it back to three within the window. */
    fail_at(f, "coord.ada", "192.0.2.1", T0 + 903);
    assert_int_equal(check(f, "coord.ada", "192.0.2.1", T0 + 904, &retry), CM_ETHROTTLE);
    assert_in_range(retry, 496, 497); /* until T0+500 leaves */
}

static void
test_throttle_retry_after_covers_the_failures_past_the_limit(void **state)
{
    struct fx *f = *state;
    int retry;
    /* Five failures against a limit of three: the check passes once only two remain in the
     * window, that is after the third (T0+20) leaves, not the first. */
    for (int i = 0; i < 5; i++)
        fail_at(f, "coord.ada", NULL, T0 + 10 * i);
    assert_int_equal(check(f, "coord.ada", NULL, T0 + 50, &retry), CM_ETHROTTLE);
    assert_in_range(retry, 870, 871);
}

static void
test_throttle_counts_the_address_across_accounts(void **state)
{
    struct fx *f = *state;
    int retry;
    fail_at(f, "a.user", "198.51.100.7", T0);
    fail_at(f, "b.user", "198.51.100.7", T0 + 1);
    fail_at(f, "c.user", "198.51.100.7", T0 + 2);
    assert_int_equal(check(f, "d.user", "198.51.100.7", T0 + 3, &retry), CM_ETHROTTLE);
    assert_true(retry >= 1);
    assert_int_equal(check(f, "d.user", "198.51.100.8", T0 + 3, &retry), CM_OK);
}

static void
test_throttle_counts_the_account_across_addresses(void **state)
{
    struct fx *f = *state;
    int retry;
    fail_at(f, "coord.ada", "198.51.100.1", T0);
    fail_at(f, "coord.ada", "198.51.100.2", T0 + 1);
    fail_at(f, "coord.ada", "198.51.100.3", T0 + 2);
    assert_int_equal(check(f, "coord.ada", "198.51.100.4", T0 + 3, &retry), CM_ETHROTTLE);
    assert_int_equal(check(f, "coord.ben", "198.51.100.4", T0 + 3, &retry), CM_OK);
}

static void
test_throttle_clear_resets_the_account_not_the_address(void **state)
{
    struct fx *f = *state;
    int retry;
    struct cm_err err = {0};
    fail_at(f, "coord.ada", "203.0.113.9", T0);
    fail_at(f, "coord.ada", "203.0.113.9", T0 + 1);
    fail_at(f, "coord.ada", "203.0.113.9", T0 + 2);
    assert_int_equal(cm_access_throttle_clear(f->c, "coord.ada", &err), CM_OK);
    assert_int_equal(check(f, "coord.ada", "203.0.113.10", T0 + 3, &retry), CM_OK);
    assert_int_equal(check(f, "coord.ben", "203.0.113.9", T0 + 3, &retry), CM_ETHROTTLE);
}

static void
test_throttle_retry_after_is_at_least_one_second(void **state)
{
    struct fx *f = *state;
    int retry;
    struct cm_err err = {0};
    /* A one-second window whose failures are all at "now". */
    fail_at(f, "coord.ada", NULL, T0);
    assert_int_equal(cm_access_throttle_check(f->c, "coord.ada", NULL, T0, 1, 1, &retry, &err),
                     CM_ETHROTTLE);
    assert_true(retry >= 1);
}

/* ---- authorisation --------------------------------------------------------------------------- */

static void
test_may_write_child_by_role_and_reach(void **state)
{
    CM_UNUSED(state);
    static const enum cm_access writable[] = {CM_ACCESS_TEAM, CM_ACCESS_PROGRAM_WIDE,
                                              CM_ACCESS_BREAK_GLASS};
    for (int r = CM_ROLE_ADMINISTRATOR; r < CM_ROLE_COUNT; r++) {
        struct cm_viewer v = viewer(1, (enum cm_role)r, 1);
        bool writer = r != CM_ROLE_FAMILY && r != CM_ROLE_ANALYST;
        for (size_t i = 0; i < CM_ARRAY_LEN(writable); i++) {
            if (cm_access_may_write_child(&v, writable[i]) != writer)
                fail_msg("role %s via %s: expected %d", cm_role_name((enum cm_role)r),
                         cm_access_name(writable[i]), writer);
        }
        assert_false(cm_access_may_write_child(&v, CM_ACCESS_FAMILY));
        assert_false(cm_access_may_write_child(&v, CM_ACCESS_NONE));
    }
    struct cm_viewer none = viewer(1, CM_ROLE_NONE, 1);
    assert_false(cm_access_may_write_child(&none, CM_ACCESS_TEAM));
    assert_false(cm_access_may_write_child(NULL, CM_ACCESS_TEAM));
}

static void
test_may_create_child_is_any_staff_but_analysts(void **state)
{
    CM_UNUSED(state);
    for (int r = CM_ROLE_NONE; r < CM_ROLE_COUNT; r++) {
        struct cm_viewer v = viewer(1, (enum cm_role)r, 1);
        bool expect = r != CM_ROLE_NONE && r != CM_ROLE_FAMILY && r != CM_ROLE_ANALYST;
        if (cm_access_may_create_child(&v) != expect)
            fail_msg("role %d: expected %d", r, expect);
    }
    assert_false(cm_access_may_create_child(NULL));
}

static void
test_access_names_are_stable(void **state)
{
    CM_UNUSED(state);
    assert_string_equal(cm_access_name(CM_ACCESS_TEAM), "team");
    assert_string_equal(cm_access_name(CM_ACCESS_PROGRAM_WIDE), "program_wide");
    assert_string_equal(cm_access_name(CM_ACCESS_FAMILY), "family");
    assert_string_equal(cm_access_name(CM_ACCESS_BREAK_GLASS), "break_glass");
}

/* A child with a care team: lead and backup coordinators, a plain member, a family account, and
 * staff who do not reach it. */
struct world {
    int64_t child;
    int64_t admin, pm, lead, backup, member, outsider, family, analyst, other_admin;
    int64_t other_program;
};

static int64_t
add_member(struct fx *f, const struct cm_viewer *admin, int64_t child, int64_t user,
           const char *role)
{
    struct cm_team_member t = {0};
    t.child_id = child;
    t.user_id = user;
    t.role = role;
    t.sector = CM_SECTOR_MEDICAL;
    t.start_date = "2020-01-01";
    t.lead = CM_LEAD_NONE;
    struct cm_err err = {0};
    enum cm_code rc = cm_store_team_create(f->c, admin, cm_time_now(), &t, &err);
    if (rc != CM_OK)
        fail_msg("team_create: %s: %s", err.field, err.msg);
    return t.meta.id;
}

static void
build_world(struct fx *f, struct world *w)
{
    struct cm_err err = {0};
    int64_t now = cm_time_now();
    w->admin = make_user(f, "admin.amy", CM_ROLE_ADMINISTRATOR);
    w->pm = make_user(f, "pm.pat", CM_ROLE_PROGRAM_MANAGER);
    w->lead = make_user(f, "coord.ada", CM_ROLE_NURSE_CARE_COORDINATOR);
    w->backup = make_user(f, "coord.ben", CM_ROLE_SOCIAL_WORKER);
    w->member = make_user(f, "chw.cai", CM_ROLE_COMMUNITY_HEALTH_WORKER);
    w->outsider = make_user(f, "coord.out", CM_ROLE_NURSE_CARE_COORDINATOR);
    w->family = make_user(f, "family.fay", CM_ROLE_FAMILY);
    w->analyst = make_user(f, "analyst.al", CM_ROLE_ANALYST);
    assert_int_equal(cm_store_program_create(f->c, "Other Program", &w->other_program, &err),
                     CM_OK);
    w->other_admin = make_user_in(f, w->other_program, "admin.oz", CM_ROLE_ADMINISTRATOR);

    struct cm_viewer admin = viewer(w->admin, CM_ROLE_ADMINISTRATOR, f->program);
    struct cm_child ch = {0};
    ch.program_id = f->program;
    ch.record_number = "TEST-0001";
    ch.given_name = "Zuri";
    ch.family_name = "Testchild";
    ch.birth_date = "2017-03-02";
    ch.sex = "female";
    ch.preferred_language = "en";
    ch.tier = 2;
    if (cm_store_child_create(f->c, &admin, &ch, &err) != CM_OK)
        fail_msg("child_create: %s: %s", err.field, err.msg);
    w->child = ch.meta.id;

    int64_t lead_row = add_member(f, &admin, w->child, w->lead, "nurse_care_coordinator");
    int64_t backup_row = add_member(f, &admin, w->child, w->backup, "social_worker");
    add_member(f, &admin, w->child, w->member, "community_health_worker");
    struct cm_child cur;
    assert_int_equal(cm_store_child_get(f->c, &admin, w->child, now, &cur, f->a, &err), CM_OK);
    if (cm_store_team_set_lead(f->c, &admin, w->child, cur.meta.version, lead_row, backup_row, now,
                               &err) != CM_OK)
        fail_msg("set_lead: %s: %s", err.field, err.msg);

    struct cm_family_member fm = {0};
    fm.child_id = w->child;
    fm.given_name = "Fay";
    fm.family_name = "Testchild";
    fm.relationship = "mother";
    fm.is_guardian = true;
    fm.preferred_language = "en";
    if (cm_store_family_create(f->c, &admin, now, &fm, &err) != CM_OK)
        fail_msg("family_create: %s: %s", err.field, err.msg);
    assert_int_equal(cm_store_family_link_user(f->c, f->program, fm.meta.id, w->family, &err),
                     CM_OK);
}

static void
test_child_reached_by_team_program_and_family(void **state)
{
    struct fx *f = *state;
    struct world w;
    build_world(f, &w);
    int64_t now = cm_time_now();
    struct cm_err err = {0};
    enum cm_access how;
    struct cm_viewer v;

    v = viewer(w.member, CM_ROLE_COMMUNITY_HEALTH_WORKER, f->program);
    assert_int_equal(cm_access_child(f->c, &v, w.child, now, &how, &err), CM_OK);
    assert_int_equal(how, CM_ACCESS_TEAM);
    v = viewer(w.pm, CM_ROLE_PROGRAM_MANAGER, f->program);
    assert_int_equal(cm_access_child(f->c, &v, w.child, now, &how, &err), CM_OK);
    assert_int_equal(how, CM_ACCESS_PROGRAM_WIDE);
    v = viewer(w.family, CM_ROLE_FAMILY, f->program);
    assert_int_equal(cm_access_child(f->c, &v, w.child, now, &how, &err), CM_OK);
    assert_int_equal(how, CM_ACCESS_FAMILY);
    assert_false(cm_access_may_write_child(&v, how));
}

static void
test_child_not_reached_is_not_found_like_a_missing_one(void **state)
{
    struct fx *f = *state;
    struct world w;
    build_world(f, &w);
    int64_t now = cm_time_now();
    enum cm_access how = CM_ACCESS_TEAM;
    struct cm_err e1 = {0}, e2 = {0};
    struct cm_viewer v = viewer(w.outsider, CM_ROLE_NURSE_CARE_COORDINATOR, f->program);
    assert_int_equal(cm_access_child(f->c, &v, w.child, now, &how, &e1), CM_ENOTFOUND);
    assert_int_equal(how, CM_ACCESS_NONE);
    assert_int_equal(cm_access_child(f->c, &v, w.child + 1000, now, &how, &e2), CM_ENOTFOUND);
    assert_string_equal(e1.msg, e2.msg);
    assert_string_equal(e1.field, e2.field);

    struct cm_err e3 = {0};
    v = viewer(w.analyst, CM_ROLE_ANALYST, f->program);
    assert_int_equal(cm_access_child(f->c, &v, w.child, now, &how, &e3), CM_ENOTFOUND);
    struct cm_err e4 = {0};
    v = viewer(w.other_admin, CM_ROLE_ADMINISTRATOR, w.other_program);
    assert_int_equal(cm_access_child(f->c, &v, w.child, now, &how, &e4), CM_ENOTFOUND);
}

static void
test_child_reached_by_break_glass_may_be_written(void **state)
{
    struct fx *f = *state;
    struct world w;
    build_world(f, &w);
    int64_t now = cm_time_now();
    struct cm_err err = {0};
    struct cm_viewer v = viewer(w.outsider, CM_ROLE_NURSE_CARE_COORDINATOR, f->program);
    struct cm_break_glass b = {0};
    b.user_id = w.outsider;
    b.child_id = w.child;
    b.reason = "urgent call from the emergency department";
    b.expires_at = now + 3600;
    assert_int_equal(cm_store_break_glass_create(f->c, &v, &b, &err), CM_OK);
    enum cm_access how;
    assert_int_equal(cm_access_child(f->c, &v, w.child, now, &how, &err), CM_OK);
    assert_int_equal(how, CM_ACCESS_BREAK_GLASS);
    assert_true(cm_access_may_write_child(&v, how));
    /* but break-glass is not a coordinator's standing: no access history */
    bool may = true;
    assert_int_equal(cm_access_may_read_history(f->c, &v, w.child, now, &may, &err), CM_OK);
    assert_false(may);
}

static bool
history(struct fx *f, int64_t user, enum cm_role role, int64_t program, int64_t child)
{
    struct cm_viewer v = viewer(user, role, program);
    struct cm_err err = {0};
    bool may = true;
    enum cm_code rc = cm_access_may_read_history(f->c, &v, child, cm_time_now(), &may, &err);
    if (rc != CM_OK)
        fail_msg("may_read_history: %s", err.msg);
    return may;
}

static void
test_history_is_for_managers_and_the_lead_or_backup(void **state)
{
    struct fx *f = *state;
    struct world w;
    build_world(f, &w);
    int64_t p = f->program;
    assert_true(history(f, w.admin, CM_ROLE_ADMINISTRATOR, p, w.child));
    assert_true(history(f, w.pm, CM_ROLE_PROGRAM_MANAGER, p, w.child));
    assert_true(history(f, w.lead, CM_ROLE_NURSE_CARE_COORDINATOR, p, w.child));
    assert_true(history(f, w.backup, CM_ROLE_SOCIAL_WORKER, p, w.child));
    assert_false(history(f, w.member, CM_ROLE_COMMUNITY_HEALTH_WORKER, p, w.child));
    assert_false(history(f, w.outsider, CM_ROLE_NURSE_CARE_COORDINATOR, p, w.child));
    assert_false(history(f, w.family, CM_ROLE_FAMILY, p, w.child));
    assert_false(history(f, w.analyst, CM_ROLE_ANALYST, p, w.child));
    assert_false(history(f, w.other_admin, CM_ROLE_ADMINISTRATOR, w.other_program, w.child));
}

static void
test_history_is_lost_when_the_lead_membership_ends(void **state)
{
    struct fx *f = *state;
    struct world w;
    build_world(f, &w);
    struct cm_err err = {0};
    int64_t now = cm_time_now();
    struct cm_viewer admin = viewer(w.admin, CM_ROLE_ADMINISTRATOR, f->program);
    struct cm_team_list team = {0};
    assert_int_equal(cm_store_team_list(f->c, &admin, w.child, false, now, &team, f->a, &err),
                     CM_OK);
    int64_t row = 0, version = 0;
    for (size_t i = 0; i < team.count; i++) {
        if (team.items[i].user_id == w.lead) {
            row = team.items[i].meta.id;
            version = team.items[i].meta.version;
        }
    }
    assert_true(row > 0);
    char today[11];
    cm_date_of(now, today);
    assert_int_equal(cm_store_team_end(f->c, &admin, w.child, row, version, today, now, &err),
                     CM_OK);
    assert_false(history(f, w.lead, CM_ROLE_NURSE_CARE_COORDINATOR, f->program, w.child));
}

/* ---- audit writer ---------------------------------------------------------------------------- */

struct submitter {
    struct cm_audit_writer *w;
    int thread;
    int count;
    const char *action;
    int64_t child;
    enum cm_code rc; /* the first failure, or CM_OK */
    int failures;
    /* done signalling, so a test can wait with a deadline instead of joining blindly */
    pthread_mutex_t *mu;
    pthread_cond_t *cv;
    int *finished;
};

static void *
submit(void *arg)
{
    struct submitter *s = arg;
    s->rc = CM_OK;
    for (int i = 0; i < s->count; i++) {
        char detail[64];
        snprintf(detail, sizeof(detail), "t=%d i=%d", s->thread, i);
        struct cm_audit_event ev = {
            .at = T0 + i,
            .user_id = 0,
            .role = CM_ROLE_NONE,
            .action = s->action ? s->action : "child.read",
            .child_id = s->child,
            .outcome = "ok",
            .request_id = "test",
            .detail = detail,
        };
        struct cm_err err = {0};
        enum cm_code rc = cm_access_audit_record(s->w, &ev, &err);
        if (rc != CM_OK) {
            s->failures++;
            if (s->rc == CM_OK)
                s->rc = rc;
        }
    }
    if (s->mu != NULL) {
        pthread_mutex_lock(s->mu);
        (*s->finished)++;
        pthread_cond_broadcast(s->cv);
        pthread_mutex_unlock(s->mu);
    }
    return NULL;
}

/* Polls the writer's counters until ok() holds; fails the test past the deadline. */
static void
poll_stats(struct cm_audit_writer *w, bool (*ok)(const struct cm_audit_stats *, uint64_t),
           uint64_t arg, const char *what)
{
    double until = now_ms() + DEADLINE;
    struct cm_audit_stats st;
    for (;;) {
        cm_access_audit_stats(w, &st);
        if (ok(&st, arg))
            return;
        if (now_ms() > until)
            fail_msg("timed out waiting for %s (submitted=%llu queued=%llu)", what,
                     (unsigned long long)st.submitted, (unsigned long long)st.queued);
        pause_ms(1);
    }
}

static bool
taken_alone(const struct cm_audit_stats *st, uint64_t n)
{
    return st->submitted == n && st->queued == 0;
}

static bool
queued_n(const struct cm_audit_stats *st, uint64_t n)
{
    return st->queued == n;
}

static bool
is_stopping(const struct cm_audit_stats *st, uint64_t n)
{
    CM_UNUSED(n);
    return st->stopping;
}

/* Waits until *finished reaches n, or fails past the deadline (a hung submitter means an event
 * was never committed). */
static void
wait_finished(pthread_mutex_t *mu, pthread_cond_t *cv, int *finished, int n)
{
    struct timespec dl;
    clock_gettime(CLOCK_REALTIME, &dl);
    dl.tv_sec += (time_t)(DEADLINE / 1000);
    pthread_mutex_lock(mu);
    while (*finished < n) {
        if (pthread_cond_timedwait(cv, mu, &dl) != 0 && *finished < n) {
            pthread_mutex_unlock(mu);
            fail_msg("only %d of %d submitters finished", *finished, n);
        }
    }
    pthread_mutex_unlock(mu);
}

static int64_t
chain_length(struct fx *f)
{
    int64_t bad = -1, checked = -1;
    struct cm_err err = {0};
    assert_int_equal(cm_store_audit_verify(f->c, &bad, &checked, &err), CM_OK);
    assert_int_equal(bad, 0);
    return checked;
}

static void
test_audit_writer_commits_every_event_of_many_threads_in_order(void **state)
{
    struct fx *f = *state;
    enum { THREADS = 8, EACH = 40 };
    struct cm_err err = {0};
    struct cm_audit_writer *w = NULL;
    assert_int_equal(cm_access_audit_start(f->s, 256, &w, &err), CM_OK);
    struct submitter sub[THREADS];
    pthread_t t[THREADS];
    for (int i = 0; i < THREADS; i++) {
        sub[i] = (struct submitter){.w = w, .thread = i, .count = EACH};
        assert_int_equal(pthread_create(&t[i], NULL, submit, &sub[i]), 0);
    }
    for (int i = 0; i < THREADS; i++) {
        pthread_join(t[i], NULL);
        assert_int_equal(sub[i].rc, CM_OK);
    }
    struct cm_audit_stats st;
    cm_access_audit_stats(w, &st);
    cm_access_audit_stop(w);

    assert_int_equal(st.events, THREADS * EACH);
    assert_int_equal(st.failures, 0);
    assert_int_equal(chain_length(f), THREADS * EACH);

    /* Each thread's events were submitted one after another, so in the chain (id order) each
     * thread's i must rise: the chain's order is the commit order. */
    struct cm_audit_list list = {0};
    assert_int_equal(cm_store_audit_list(f->c, 0, THREADS * EACH, 0, &list, f->a, &err), CM_OK);
    assert_int_equal(list.count, THREADS * EACH);
    int next[THREADS] = {0};
    for (size_t k = list.count; k-- > 0;) { /* newest first: walk backwards for id order */
        int th = -1, i = -1;
        assert_int_equal(sscanf(list.items[k].detail, "t=%d i=%d", &th, &i), 2);
        assert_in_range(th, 0, THREADS - 1);
        assert_int_equal(i, next[th]);
        next[th]++;
        if (k + 1 < list.count)
            assert_true(list.items[k].id > list.items[k + 1].id);
    }
}

static void
test_audit_writer_groups_events_under_concurrent_submitters(void **state)
{
    struct fx *f = *state;
    enum { THREADS = 8, EACH = 50 };
    struct cm_err err = {0};
    struct cm_audit_writer *w = NULL;
    assert_int_equal(cm_access_audit_start(f->s, 256, &w, &err), CM_OK);
    struct submitter sub[THREADS];
    pthread_t t[THREADS];
    for (int i = 0; i < THREADS; i++) {
        sub[i] = (struct submitter){.w = w, .thread = i, .count = EACH};
        assert_int_equal(pthread_create(&t[i], NULL, submit, &sub[i]), 0);
    }
    for (int i = 0; i < THREADS; i++)
        pthread_join(t[i], NULL);
    struct cm_audit_stats st;
    cm_access_audit_stats(w, &st);
    cm_access_audit_stop(w);
    assert_int_equal(st.events, THREADS * EACH);
    if (st.commits >= st.events)
        fail_msg("%llu commits for %llu events: nothing was grouped",
                 (unsigned long long)st.commits, (unsigned long long)st.events);
}

/* Holds the database's write lock from the test's connection so the writer's BEGIN IMMEDIATE
 * waits (busy_timeout) while submitters queue up behind it: this makes grouping deterministic. */
static void
hold_write_lock(struct fx *f)
{
    struct cm_err err = {0};
    assert_int_equal(cm_store_begin(f->c, true, &err), CM_OK);
}

static void
test_audit_writer_commits_what_queued_during_a_flush_in_one_group(void **state)
{
    struct fx *f = *state;
    enum { LATER = 7 };
    struct cm_err err = {0};
    struct cm_audit_writer *w = NULL;
    assert_int_equal(cm_access_audit_start(f->s, 256, &w, &err), CM_OK);
    pthread_mutex_t mu = PTHREAD_MUTEX_INITIALIZER;
    pthread_cond_t cv = PTHREAD_COND_INITIALIZER;
    int finished = 0;
    struct submitter sub[LATER + 1];
    pthread_t t[LATER + 1];
    for (int i = 0; i <= LATER; i++)
        sub[i] = (struct submitter){
            .w = w, .thread = i, .count = 1, .mu = &mu, .cv = &cv, .finished = &finished};

    hold_write_lock(f);
    assert_int_equal(pthread_create(&t[0], NULL, submit, &sub[0]), 0);
    poll_stats(w, taken_alone, 1, "the writer to take the first event");
    for (int i = 1; i <= LATER; i++)
        assert_int_equal(pthread_create(&t[i], NULL, submit, &sub[i]), 0);
    poll_stats(w, queued_n, LATER, "the other submitters to queue");
    cm_store_rollback(f->c);

    wait_finished(&mu, &cv, &finished, LATER + 1);
    for (int i = 0; i <= LATER; i++) {
        pthread_join(t[i], NULL);
        assert_int_equal(sub[i].rc, CM_OK);
    }
    struct cm_audit_stats st;
    cm_access_audit_stats(w, &st);
    cm_access_audit_stop(w);
    assert_int_equal(st.events, LATER + 1);
    assert_int_equal(st.commits, 2);
    assert_int_equal(chain_length(f), LATER + 1);
}

static void
test_audit_writer_groups_no_more_than_batch_max(void **state)
{
    struct fx *f = *state;
    enum { LATER = 7 };
    struct cm_err err = {0};
    struct cm_audit_writer *w = NULL;
    assert_int_equal(cm_access_audit_start(f->s, 3, &w, &err), CM_OK);
    pthread_mutex_t mu = PTHREAD_MUTEX_INITIALIZER;
    pthread_cond_t cv = PTHREAD_COND_INITIALIZER;
    int finished = 0;
    struct submitter sub[LATER + 1];
    pthread_t t[LATER + 1];
    for (int i = 0; i <= LATER; i++)
        sub[i] = (struct submitter){
            .w = w, .thread = i, .count = 1, .mu = &mu, .cv = &cv, .finished = &finished};
    hold_write_lock(f);
    assert_int_equal(pthread_create(&t[0], NULL, submit, &sub[0]), 0);
    poll_stats(w, taken_alone, 1, "the writer to take the first event");
    for (int i = 1; i <= LATER; i++)
        assert_int_equal(pthread_create(&t[i], NULL, submit, &sub[i]), 0);
    poll_stats(w, queued_n, LATER, "the other submitters to queue");
    cm_store_rollback(f->c);
    wait_finished(&mu, &cv, &finished, LATER + 1);
    for (int i = 0; i <= LATER; i++)
        pthread_join(t[i], NULL);
    struct cm_audit_stats st;
    cm_access_audit_stats(w, &st);
    cm_access_audit_stop(w);
    /* 1, then 7 in groups of at most 3: 3 + 3 + 1. */
    assert_int_equal(st.commits, 4);
    assert_int_equal(chain_length(f), LATER + 1);
}

struct stopper {
    struct cm_audit_writer *w;
};

static void *
stop_writer(void *arg)
{
    struct stopper *s = arg;
    cm_access_audit_stop(s->w);
    return NULL;
}

/* What the completions of cm_access_audit_submit saw, on the writer's thread. */
struct completions {
    pthread_mutex_t mu;
    pthread_cond_t cv;
    struct cm_conn *reader; /* a second connection, used only by the completions */
    int done;
    int failed;
    int early; /* completions that ran before their event was readable from another connection */
};

static void
on_audit_done(void *arg, enum cm_code rc)
{
    struct completions *c = arg;
    int64_t bad = -1, checked = 0;
    struct cm_err err = {0};
    bool durable = cm_store_audit_verify(c->reader, &bad, &checked, &err) == CM_OK && bad == 0;
    pthread_mutex_lock(&c->mu);
    c->done++;
    if (rc != CM_OK)
        c->failed++;
    /* The completions run in commit order, so the n-th one must see at least n events. */
    if (!durable || checked < c->done)
        c->early++;
    pthread_cond_broadcast(&c->cv);
    pthread_mutex_unlock(&c->mu);
}

static void
test_audit_submit_completes_each_event_once_after_it_is_committed(void **state)
{
    struct fx *f = *state;
    enum { N = 60 };
    struct cm_err err = {0};
    struct cm_audit_writer *w = NULL;
    assert_int_equal(cm_access_audit_start(f->s, 256, &w, &err), CM_OK);
    struct completions c = {.mu = PTHREAD_MUTEX_INITIALIZER, .cv = PTHREAD_COND_INITIALIZER};
    assert_int_equal(cm_store_conn_open(f->s, &c.reader, &err), CM_OK);
    struct cm_arena *a = cm_arena_new(1024 * 1024);
    for (int i = 0; i < N; i++) {
        struct cm_audit_event ev = {.at = 1000 + i,
                                    .user_id = 1,
                                    .action = "child.read",
                                    .child_id = 1 + i % 3,
                                    .outcome = "ok",
                                    .request_id = "r"};
        assert_int_equal(cm_access_audit_submit(w, &ev, on_audit_done, &c, a, &err), CM_OK);
    }
    struct timespec dl;
    clock_gettime(CLOCK_REALTIME, &dl);
    dl.tv_sec += (time_t)(DEADLINE / 1000);
    pthread_mutex_lock(&c.mu);
    while (c.done < N && pthread_cond_timedwait(&c.cv, &c.mu, &dl) == 0)
        ;
    int done = c.done;
    pthread_mutex_unlock(&c.mu);
    cm_access_audit_stop(w);
    cm_store_conn_close(c.reader);
    cm_arena_free(a);
    assert_int_equal(done, N);
    assert_int_equal(c.done, N); /* and no completion ran twice */
    assert_int_equal(c.failed, 0);
    assert_int_equal(c.early, 0);
    assert_int_equal(chain_length(f), N);
}

static void
test_audit_submit_then_stop_still_completes_every_event(void **state)
{
    struct fx *f = *state;
    enum { N = 25 };
    struct cm_err err = {0};
    struct cm_audit_writer *w = NULL;
    assert_int_equal(cm_access_audit_start(f->s, 4, &w, &err), CM_OK);
    struct completions c = {.mu = PTHREAD_MUTEX_INITIALIZER, .cv = PTHREAD_COND_INITIALIZER};
    assert_int_equal(cm_store_conn_open(f->s, &c.reader, &err), CM_OK);
    struct cm_arena *a = cm_arena_new(1024 * 1024);
    for (int i = 0; i < N; i++) {
        struct cm_audit_event ev = {.at = 2000 + i, .action = "session.create", .outcome = "ok"};
        assert_int_equal(cm_access_audit_submit(w, &ev, on_audit_done, &c, a, &err), CM_OK);
    }
    cm_access_audit_stop(w); /* drains: every completion has run when it returns */
    cm_store_conn_close(c.reader);
    cm_arena_free(a);
    assert_int_equal(c.done, N);
    assert_int_equal(c.failed, 0);
    assert_int_equal(chain_length(f), N);
}

static void
test_audit_writer_stop_drains_the_queue(void **state)
{
    struct fx *f = *state;
    enum { LATER = 7 };
    struct cm_err err = {0};
    struct cm_audit_writer *w = NULL;
    assert_int_equal(cm_access_audit_start(f->s, 256, &w, &err), CM_OK);
    pthread_mutex_t mu = PTHREAD_MUTEX_INITIALIZER;
    pthread_cond_t cv = PTHREAD_COND_INITIALIZER;
    int finished = 0;
    struct submitter sub[LATER + 1];
    pthread_t t[LATER + 1];
    for (int i = 0; i <= LATER; i++)
        sub[i] = (struct submitter){
            .w = w, .thread = i, .count = 1, .mu = &mu, .cv = &cv, .finished = &finished};

    hold_write_lock(f);
    assert_int_equal(pthread_create(&t[0], NULL, submit, &sub[0]), 0);
    poll_stats(w, taken_alone, 1, "the writer to take the first event");
    for (int i = 1; i <= LATER; i++)
        assert_int_equal(pthread_create(&t[i], NULL, submit, &sub[i]), 0);
    poll_stats(w, queued_n, LATER, "the other submitters to queue");
    /* Stop while seven events wait in the queue and the writer is stuck on the lock. */
    struct stopper st = {.w = w};
    pthread_t stopper;
    assert_int_equal(pthread_create(&stopper, NULL, stop_writer, &st), 0);
    poll_stats(w, is_stopping, 0, "stop to begin");
    cm_store_rollback(f->c);

    wait_finished(&mu, &cv, &finished, LATER + 1);
    pthread_join(stopper, NULL);
    for (int i = 0; i <= LATER; i++) {
        pthread_join(t[i], NULL);
        assert_int_equal(sub[i].rc, CM_OK);
    }
    assert_int_equal(chain_length(f), LATER + 1);
}

static void
test_audit_writer_refuses_events_after_stop_began(void **state)
{
    struct fx *f = *state;
    struct cm_err err = {0};
    struct cm_audit_writer *w = NULL;
    assert_int_equal(cm_access_audit_start(f->s, 256, &w, &err), CM_OK);
    hold_write_lock(f);
    struct stopper st = {.w = w};
    pthread_t stopper;
    /* One event in flight keeps the writer (and so w) alive while the test looks. */
    pthread_mutex_t mu = PTHREAD_MUTEX_INITIALIZER;
    pthread_cond_t cv = PTHREAD_COND_INITIALIZER;
    int finished = 0;
    struct submitter sub = {.w = w, .count = 1, .mu = &mu, .cv = &cv, .finished = &finished};
    pthread_t t;
    assert_int_equal(pthread_create(&t, NULL, submit, &sub), 0);
    poll_stats(w, taken_alone, 1, "the writer to take the event");
    assert_int_equal(pthread_create(&stopper, NULL, stop_writer, &st), 0);
    poll_stats(w, is_stopping, 0, "stop to begin");
    struct cm_audit_event ev = {
        .at = T0, .action = "child.read", .outcome = "ok", .request_id = "late"};
    assert_int_equal(cm_access_audit_record(w, &ev, &err), CM_EINTERNAL);
    cm_store_rollback(f->c);
    wait_finished(&mu, &cv, &finished, 1);
    pthread_join(t, NULL);
    pthread_join(stopper, NULL);
    assert_int_equal(sub.rc, CM_OK);
    assert_int_equal(chain_length(f), 1);
}

/* Makes the database refuse audit rows whose action is 'test.refused', so one group's commit
 * fails while the writer's connection stays healthy. */
static void
refuse_action(struct fx *f)
{
    sqlite3 *db = NULL;
    assert_int_equal(sqlite3_open(f->path, &db), SQLITE_OK);
    char *msg = NULL;
    int rc = sqlite3_exec(db,
                          "CREATE TRIGGER test_refuse BEFORE INSERT ON audit_event "
                          "WHEN NEW.action = 'test.refused' "
                          "BEGIN SELECT RAISE(ABORT, 'refused by test'); END;",
                          NULL, NULL, &msg);
    if (rc != SQLITE_OK)
        fail_msg("creating the trigger: %s", msg ? msg : "?");
    sqlite3_close(db);
}

static void
test_audit_writer_failed_group_fails_every_waiter_and_goes_on(void **state)
{
    struct fx *f = *state;
    enum { LATER = 3 };
    refuse_action(f);
    struct cm_err err = {0};
    struct cm_audit_writer *w = NULL;
    assert_int_equal(cm_access_audit_start(f->s, 256, &w, &err), CM_OK);
    pthread_mutex_t mu = PTHREAD_MUTEX_INITIALIZER;
    pthread_cond_t cv = PTHREAD_COND_INITIALIZER;
    int finished = 0;
    struct submitter sub[LATER + 1];
    pthread_t t[LATER + 1];
    for (int i = 0; i <= LATER; i++)
        sub[i] = (struct submitter){
            .w = w, .thread = i, .count = 1, .mu = &mu, .cv = &cv, .finished = &finished};
    /* The second group holds one refused event among good ones: the whole group fails. */
    sub[2].action = "test.refused";

    hold_write_lock(f);
    assert_int_equal(pthread_create(&t[0], NULL, submit, &sub[0]), 0);
    poll_stats(w, taken_alone, 1, "the writer to take the first event");
    for (int i = 1; i <= LATER; i++)
        assert_int_equal(pthread_create(&t[i], NULL, submit, &sub[i]), 0);
    poll_stats(w, queued_n, LATER, "the other submitters to queue");
    cm_store_rollback(f->c);
    wait_finished(&mu, &cv, &finished, LATER + 1);
    for (int i = 0; i <= LATER; i++)
        pthread_join(t[i], NULL);
    assert_int_equal(sub[0].rc, CM_OK);
    for (int i = 1; i <= LATER; i++)
        assert_int_equal(sub[i].rc, CM_EDB);

    /* The writer carries on. */
    struct submitter after = {.w = w, .thread = 9, .count = 2};
    submit(&after);
    assert_int_equal(after.rc, CM_OK);
    struct cm_audit_stats st;
    cm_access_audit_stats(w, &st);
    cm_access_audit_stop(w);
    assert_int_equal(st.failures, 1);
    assert_int_equal(chain_length(f), 3); /* the first event and the two after */
}

static void
test_audit_record_refuses_an_oversized_field(void **state)
{
    struct fx *f = *state;
    struct cm_err err = {0};
    struct cm_audit_writer *w = NULL;
    assert_int_equal(cm_access_audit_start(f->s, 16, &w, &err), CM_OK);
    char action[CM_AUDIT_ACTION_MAX + 2];
    memset(action, 'a', sizeof(action) - 1);
    action[sizeof(action) - 1] = '\0';
    struct cm_audit_event ev = {.at = T0, .action = action, .outcome = "ok", .request_id = "r"};
    assert_int_equal(cm_access_audit_record(w, &ev, &err), CM_EINVAL);
    assert_string_equal(err.field, "action");
    action[CM_AUDIT_ACTION_MAX] = '\0'; /* exactly the maximum fits */
    cm_err_clear(&err);
    assert_int_equal(cm_access_audit_record(w, &ev, &err), CM_OK);
    cm_access_audit_stop(w);
    assert_int_equal(chain_length(f), 1);
}

static void
test_audit_record_copies_the_event_it_was_given(void **state)
{
    struct fx *f = *state;
    struct cm_err err = {0};
    struct cm_audit_writer *w = NULL;
    assert_int_equal(cm_access_audit_start(f->s, 16, &w, &err), CM_OK);
    struct cm_audit_event ev = {.at = T0,
                                .role = CM_ROLE_ANALYST,
                                .action = "child.read",
                                .outcome = "denied",
                                .request_id = "req-1",
                                .detail = "member=41",
                                .break_glass = true};
    assert_int_equal(cm_access_audit_record(w, &ev, &err), CM_OK);
    cm_access_audit_stop(w);
    assert_int_equal(ev.id, 0); /* the caller's struct is untouched */
    struct cm_audit_list list = {0};
    assert_int_equal(cm_store_audit_list(f->c, 0, 10, 0, &list, f->a, &err), CM_OK);
    assert_int_equal(list.count, 1);
    assert_string_equal(list.items[0].action, "child.read");
    assert_string_equal(list.items[0].outcome, "denied");
    assert_string_equal(list.items[0].request_id, "req-1");
    assert_string_equal(list.items[0].detail, "member=41");
    assert_int_equal(list.items[0].role, CM_ROLE_ANALYST);
    assert_true(list.items[0].break_glass);
}

static void
test_audit_start_rejects_a_bad_batch_size(void **state)
{
    struct fx *f = *state;
    struct cm_err err = {0};
    struct cm_audit_writer *w = (struct cm_audit_writer *)1;
    assert_int_equal(cm_access_audit_start(f->s, 0, &w, &err), CM_EINVAL);
    assert_null(w);
    assert_string_equal(err.field, "audit_batch_max");
}

static void
test_audit_stop_of_an_idle_writer_returns(void **state)
{
    struct fx *f = *state;
    struct cm_err err = {0};
    struct cm_audit_writer *w = NULL;
    assert_int_equal(cm_access_audit_start(f->s, 16, &w, &err), CM_OK);
    cm_access_audit_stop(w);
    cm_access_audit_stop(NULL);
    assert_int_equal(chain_length(f), 0);
}

/* ---- commands -------------------------------------------------------------------------------- */

/* Runs a command's entry point with stdin from `input` and stdout/stderr captured into out. */
static int
run_cmd(struct fx *f, int (*cmd)(int, char **), const char *const *args, const char *input,
        char *out, size_t out_size)
{
    char in_path[160], out_path[160];
    snprintf(in_path, sizeof(in_path), "%s/stdin", f->dir);
    snprintf(out_path, sizeof(out_path), "%s/stdout", f->dir);
    FILE *in = fopen(in_path, "w");
    assert_non_null(in);
    fputs(input ? input : "", in);
    fclose(in);
    assert_non_null(freopen(in_path, "r", stdin));

    char *argv[32];
    int argc = 0;
    for (; args[argc] != NULL; argc++)
        argv[argc] = (char *)args[argc];
    /* Cheap argon2 for the command, too. */
    argv[argc++] = "--set";
    argv[argc++] = "password_opslimit=1";
    argv[argc++] = "--set";
    argv[argc++] = "password_memlimit=8K";
    argv[argc++] = "--db";
    argv[argc++] = f->path;
    argv[argc] = NULL;

    fflush(stdout);
    fflush(stderr);
    int saved_out = dup(1), saved_err = dup(2);
    int fd = open(out_path, O_WRONLY | O_CREAT | O_TRUNC, 0600);
    assert_true(fd >= 0);
    dup2(fd, 1);
    dup2(fd, 2);
    int rc = cmd(argc, argv);
    fflush(stdout);
    fflush(stderr);
    dup2(saved_out, 1);
    dup2(saved_err, 2);
    close(saved_out);
    close(saved_err);
    close(fd);

    /* The command inits and frees the process-wide password state for itself: restore ours. */
    struct cm_err err = {0};
    assert_int_equal(cm_access_password_init(1, crypto_pwhash_MEMLIMIT_MIN, 2, &err), CM_OK);

    FILE *o = fopen(out_path, "r");
    assert_non_null(o);
    size_t n = fread(out, 1, out_size - 1, o);
    out[n] = '\0';
    fclose(o);
    return rc;
}

static void
test_cmd_user_add_creates_an_audited_user_whose_password_verifies(void **state)
{
    struct fx *f = *state;
    char out[4096];
    const char *const args[] = {"user",          "add",    "--username", "admin.amy", "--role",
                                "administrator", "--name", "Amy Admin",  NULL};
    assert_int_equal(run_cmd(f, cmd_user, args, "correct horse battery\n", out, sizeof(out)), 0);
    assert_non_null(strstr(out, "admin.amy"));

    struct cm_user u;
    struct cm_err err = {0};
    assert_int_equal(cm_store_user_by_username(f->c, "admin.amy", &u, f->a, &err), CM_OK);
    assert_int_equal(u.program_id, f->program); /* joined the first program */
    assert_int_equal(u.role, CM_ROLE_ADMINISTRATOR);
    assert_true(cm_access_password_verify(u.password_hash, "correct horse battery"));
    assert_false(cm_access_password_verify(u.password_hash, "correct horse battery\n"));

    struct cm_audit_list list = {0};
    assert_int_equal(cm_store_audit_list(f->c, 0, 10, 0, &list, f->a, &err), CM_OK);
    assert_int_equal(list.count, 1);
    assert_string_equal(list.items[0].action, "user.create");
    assert_int_equal(list.items[0].user_id, 0);
    char want[32];
    snprintf(want, sizeof(want), "user=%lld", (long long)u.meta.id);
    assert_non_null(strstr(list.items[0].detail, want));
    assert_null(strstr(out, "correct horse"));
}

static void
test_cmd_user_add_refuses_a_password_against_policy_and_creates_nothing(void **state)
{
    struct fx *f = *state;
    char out[4096];
    const char *const args[] = {"user",          "add",    "--username", "admin.amy", "--role",
                                "administrator", "--name", "Amy Admin",  NULL};
    assert_int_equal(run_cmd(f, cmd_user, args, "too short\n", out, sizeof(out)), 1);
    assert_non_null(strstr(out, "at least 12"));
    assert_int_equal(run_cmd(f, cmd_user, args, "", out, sizeof(out)), 1);
    struct cm_user u;
    struct cm_err err = {0};
    assert_int_equal(cm_store_user_by_username(f->c, "admin.amy", &u, f->a, &err), CM_ENOTFOUND);
    assert_int_equal(chain_length(f), 0);
}

static void
test_cmd_user_passwd_and_disable_end_sessions_and_are_audited(void **state)
{
    struct fx *f = *state;
    char out[4096];
    const char *const add[] = {"user",       "add",
                               "--username", "coord.ada",
                               "--role",     "nurse_care_coordinator",
                               "--name",     "Ada Coordinator",
                               NULL};
    assert_int_equal(run_cmd(f, cmd_user, add, "correct horse battery\n", out, sizeof(out)), 0);
    struct cm_user u;
    struct cm_err err = {0};
    assert_int_equal(cm_store_user_by_username(f->c, "coord.ada", &u, f->a, &err), CM_OK);

    struct cm_access_session_new n;
    struct cm_session s;
    assert_int_equal(cm_access_session_start(f->c, u.meta.id, T0, 3600, &n, &err), CM_OK);
    const char *const passwd[] = {"user", "passwd", "coord.ada", NULL};
    assert_int_equal(run_cmd(f, cmd_user, passwd, "a new long password\r\n", out, sizeof(out)), 0);
    assert_int_equal(cm_access_session_resume(f->c, n.token, T0 + 1, 1800, &s, &err), CM_EUNAUTH);
    cm_err_clear(&err);
    assert_int_equal(cm_store_user_by_username(f->c, "coord.ada", &u, f->a, &err), CM_OK);
    assert_true(cm_access_password_verify(u.password_hash, "a new long password"));

    assert_int_equal(cm_access_session_start(f->c, u.meta.id, T0, 3600, &n, &err), CM_OK);
    const char *const disable[] = {"user", "disable", "coord.ada", NULL};
    assert_int_equal(run_cmd(f, cmd_user, disable, NULL, out, sizeof(out)), 0);
    assert_int_equal(cm_access_session_resume(f->c, n.token, T0 + 1, 1800, &s, &err), CM_EUNAUTH);
    cm_err_clear(&err);
    assert_int_equal(cm_store_user_by_username(f->c, "coord.ada", &u, f->a, &err), CM_OK);
    assert_true(u.disabled);

    struct cm_audit_list list = {0};
    assert_int_equal(cm_store_audit_list(f->c, 0, 10, 0, &list, f->a, &err), CM_OK);
    assert_int_equal(list.count, 3);
    assert_string_equal(list.items[0].action, "user.disable");
    assert_string_equal(list.items[1].action, "user.password");
    assert_string_equal(list.items[2].action, "user.create");

    const char *const nobody[] = {"user", "disable", "nobody", NULL};
    assert_int_equal(run_cmd(f, cmd_user, nobody, NULL, out, sizeof(out)), 1);
    const char *const bad[] = {"user", "frobnicate", NULL};
    assert_int_equal(run_cmd(f, cmd_user, bad, NULL, out, sizeof(out)), 2);
}

static void
test_cmd_user_list_shows_every_user_of_the_program(void **state)
{
    struct fx *f = *state;
    make_user(f, "coord.ada", CM_ROLE_NURSE_CARE_COORDINATOR);
    make_user(f, "analyst.al", CM_ROLE_ANALYST);
    char out[4096];
    const char *const args[] = {"user", "list", NULL};
    assert_int_equal(run_cmd(f, cmd_user, args, NULL, out, sizeof(out)), 0);
    assert_non_null(strstr(out, "coord.ada"));
    assert_non_null(strstr(out, "nurse_care_coordinator"));
    assert_non_null(strstr(out, "analyst.al"));
}

static void
test_cmd_audit_verify_holds_then_names_a_tampered_event(void **state)
{
    struct fx *f = *state;
    struct cm_err err = {0};
    struct cm_audit_writer *w = NULL;
    assert_int_equal(cm_access_audit_start(f->s, 16, &w, &err), CM_OK);
    struct submitter sub = {.w = w, .count = 5};
    submit(&sub);
    assert_int_equal(sub.rc, CM_OK);
    cm_access_audit_stop(w);

    char out[4096];
    const char *const verify[] = {"audit", "verify", NULL};
    assert_int_equal(run_cmd(f, cmd_audit, verify, NULL, out, sizeof(out)), 0);
    assert_non_null(strstr(out, "audit chain holds: 5 events"));

    const char *const list[] = {"audit", "list", "--limit", "2", NULL};
    assert_int_equal(run_cmd(f, cmd_audit, list, NULL, out, sizeof(out)), 0);
    assert_non_null(strstr(out, "action=child.read"));
    size_t lines = 0;
    for (const char *p = out; *p; p++)
        lines += *p == '\n';
    assert_int_equal(lines, 2);

    sqlite3 *db = NULL;
    assert_int_equal(sqlite3_open(f->path, &db), SQLITE_OK);
    assert_int_equal(sqlite3_exec(db, "UPDATE audit_event SET outcome = 'denied' WHERE id = 3",
                                  NULL, NULL, NULL),
                     SQLITE_OK);
    sqlite3_close(db);
    assert_int_equal(run_cmd(f, cmd_audit, verify, NULL, out, sizeof(out)), 1);
    assert_non_null(strstr(out, "audit chain broken at event 3"));
}

#define T(name) cmocka_unit_test_setup_teardown(name, setup, teardown)

int
main(void)
{
    if (sodium_init() < 0)
        return 1;
    cm_log_set_level(CM_LOG_OFF);
    const struct CMUnitTest tests[] = {
        T(test_password_hash_verifies_the_right_password),
        T(test_password_verify_refuses_a_wrong_password),
        T(test_password_hashes_of_one_password_differ_by_salt),
        T(test_password_verify_of_unknown_user_or_garbage_hash_is_false),
        T(test_password_verify_of_unknown_user_spends_a_hash),
        T(test_password_hash_before_init_is_refused),
        T(test_password_init_rejects_limits_out_of_range),
        T(test_password_hashing_never_runs_more_than_concurrency_at_once),
        T(test_policy_accepts_twelve_to_128_characters),
        T(test_policy_rejects_eleven_characters_with_the_field_named),
        T(test_policy_rejects_129_characters),
        T(test_policy_counts_code_points_not_bytes),
        T(test_policy_rejects_invalid_utf8),
        T(test_policy_rejects_one_character_repeated),
        T(test_policy_rejects_no_password),
        T(test_session_start_hands_out_random_secrets_and_stores_only_the_hash),
        T(test_token_hash_is_sha256_hex),
        T(test_session_resume_finds_the_live_session),
        T(test_session_resume_of_unknown_or_malformed_token_is_unauthenticated),
        T(test_session_idle_past_the_limit_is_ended),
        T(test_session_past_absolute_expiry_is_ended_even_when_in_use),
        T(test_session_use_is_recorded_at_most_once_a_minute),
        T(test_session_end_revokes_and_is_idempotent),
        T(test_csrf_matches_only_the_sessions_token),
        T(test_csrf_of_a_session_without_token_matches_nothing),
        T(test_throttle_under_the_limit_passes),
        T(test_throttle_at_the_limit_refuses_with_a_sane_retry_after),
        T(test_throttle_window_slides),
        T(test_throttle_retry_after_covers_the_failures_past_the_limit),
        T(test_throttle_counts_the_address_across_accounts),
        T(test_throttle_counts_the_account_across_addresses),
        T(test_throttle_clear_resets_the_account_not_the_address),
        T(test_throttle_retry_after_is_at_least_one_second),
        T(test_may_write_child_by_role_and_reach),
        T(test_may_create_child_is_any_staff_but_analysts),
        T(test_access_names_are_stable),
        T(test_child_reached_by_team_program_and_family),
        T(test_child_not_reached_is_not_found_like_a_missing_one),
        T(test_child_reached_by_break_glass_may_be_written),
        T(test_history_is_for_managers_and_the_lead_or_backup),
        T(test_history_is_lost_when_the_lead_membership_ends),
        T(test_audit_writer_commits_every_event_of_many_threads_in_order),
        T(test_audit_writer_groups_events_under_concurrent_submitters),
        T(test_audit_writer_commits_what_queued_during_a_flush_in_one_group),
        T(test_audit_writer_groups_no_more_than_batch_max),
        T(test_audit_writer_stop_drains_the_queue),
        T(test_audit_submit_completes_each_event_once_after_it_is_committed),
        T(test_audit_submit_then_stop_still_completes_every_event),
        T(test_audit_writer_refuses_events_after_stop_began),
        T(test_audit_writer_failed_group_fails_every_waiter_and_goes_on),
        T(test_audit_record_refuses_an_oversized_field),
        T(test_audit_record_copies_the_event_it_was_given),
        T(test_audit_start_rejects_a_bad_batch_size),
        T(test_audit_stop_of_an_idle_writer_returns),
        T(test_cmd_user_add_creates_an_audited_user_whose_password_verifies),
        T(test_cmd_user_add_refuses_a_password_against_policy_and_creates_nothing),
        T(test_cmd_user_passwd_and_disable_end_sessions_and_are_audited),
        T(test_cmd_user_list_shows_every_user_of_the_program),
        T(test_cmd_audit_verify_holds_then_names_a_tampered_event),
    };
    return cmocka_run_group_tests_name("access", tests, NULL, NULL);
}
