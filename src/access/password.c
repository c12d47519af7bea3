/*
 * Passwords: argon2id through libsodium's crypto_pwhash_str, a policy check, and a counting
 * semaphore that bounds how many hashes run at once. Each hash holds memlimit bytes (19 MiB by
 * default) and a core for tens of milliseconds; without the bound a burst of sign-ins could take
 * all the memory and every core from the readers.
 */
#include "access/access.h"
#include "access/access_int.h"

#include <pthread.h>
#include <sodium.h>
#include <string.h>

static struct {
    pthread_mutex_t mu;
    pthread_cond_t freed;
    int running;     /* hashes in progress */
    int concurrency; /* at most this many at once */
    int peak;        /* the most that ran at once since init (a test hook reads it) */
    unsigned long long opslimit;
    size_t memlimit;
    bool ready;
    /* The hash of a random password with the current limits: verifying an unknown user's sign-in
     * against it costs what a real verify costs, so timing does not tell which usernames exist. */
    char dummy[crypto_pwhash_STRBYTES];
} pw = {
    .mu = PTHREAD_MUTEX_INITIALIZER,
    .freed = PTHREAD_COND_INITIALIZER,
};

_Static_assert(CM_PASSWORD_HASH_MAX >= crypto_pwhash_STRBYTES, "hash buffer too small");

#define POLICY_MIN_CHARS 12
#define POLICY_MAX_CHARS 128
/* 128 code points of at most 4 bytes: anything longer fails before it is scanned. */
#define POLICY_MAX_BYTES (POLICY_MAX_CHARS * 4)

static void
slot_take(void)
{
    pthread_mutex_lock(&pw.mu);
    while (pw.running >= pw.concurrency)
        pthread_cond_wait(&pw.freed, &pw.mu);
    pw.running++;
    if (pw.running > pw.peak)
        pw.peak = pw.running;
    pthread_mutex_unlock(&pw.mu);
}

static void
slot_give(void)
{
    pthread_mutex_lock(&pw.mu);
    pw.running--;
    pthread_cond_signal(&pw.freed);
    pthread_mutex_unlock(&pw.mu);
}

enum cm_code
cm_access_password_init(int opslimit, int64_t memlimit, int concurrency, struct cm_err *err)
{
    if (sodium_init() < 0)
        return cm_err_set(err, CM_EINTERNAL, "", "libsodium could not start");
    if (opslimit < (int)crypto_pwhash_OPSLIMIT_MIN ||
        (unsigned)opslimit > crypto_pwhash_OPSLIMIT_MAX)
        return cm_err_set(err, CM_EINVAL, "password_opslimit", "must be between %d and %u",
                          (int)crypto_pwhash_OPSLIMIT_MIN, (unsigned)crypto_pwhash_OPSLIMIT_MAX);
    /* 4 GiB is far past any sane argon2 memory cost and keeps the value inside size_t on 32-bit. */
    if (memlimit < (int64_t)crypto_pwhash_MEMLIMIT_MIN || memlimit > ((int64_t)4 << 30))
        return cm_err_set(err, CM_EINVAL, "password_memlimit", "must be between %d and %lld bytes",
                          (int)crypto_pwhash_MEMLIMIT_MIN, (long long)((int64_t)4 << 30));
    if (concurrency < 1)
        return cm_err_set(err, CM_EINVAL, "password_concurrency", "must be at least 1");

    char secret[65];
    char dummy[crypto_pwhash_STRBYTES];
    cm_random_hex(secret, 32);
    int rc = crypto_pwhash_str(dummy, secret, strlen(secret), (unsigned long long)opslimit,
                               (size_t)memlimit);
    sodium_memzero(secret, sizeof(secret));
    if (rc != 0)
        return cm_err_set(err, CM_ENOMEM, "password_memlimit",
                          "argon2id could not allocate %lld bytes", (long long)memlimit);

    pthread_mutex_lock(&pw.mu);
    pw.opslimit = (unsigned long long)opslimit;
    pw.memlimit = (size_t)memlimit;
    pw.concurrency = concurrency;
    pw.peak = 0;
    memcpy(pw.dummy, dummy, sizeof(pw.dummy));
    pw.ready = true;
    /* A larger bound after a re-init lets waiters in at once. */
    pthread_cond_broadcast(&pw.freed);
    pthread_mutex_unlock(&pw.mu);
    return CM_OK;
}

void
cm_access_password_free(void)
{
    pthread_mutex_lock(&pw.mu);
    pw.ready = false;
    sodium_memzero(pw.dummy, sizeof(pw.dummy));
    pthread_mutex_unlock(&pw.mu);
}

/* Decodes one code point of valid UTF-8 (the caller checked validity) and advances *p. */
static uint32_t
next_code_point(const unsigned char **p)
{
    const unsigned char *s = *p;
    uint32_t cp;
    size_t n;
    if (s[0] < 0x80) {
        cp = s[0];
        n = 1;
    } else if ((s[0] & 0xE0) == 0xC0) {
        cp = s[0] & 0x1F;
        n = 2;
    } else if ((s[0] & 0xF0) == 0xE0) {
        cp = s[0] & 0x0F;
        n = 3;
    } else {
        cp = s[0] & 0x07;
        n = 4;
    }
    for (size_t i = 1; i < n; i++)
        cp = (cp << 6) | (s[i] & 0x3F);
    *p = s + n;
    return cp;
}

enum cm_code
cm_access_password_policy(const char *password, const char *field, struct cm_err *err)
{
    if (password == NULL)
        return cm_err_set(err, CM_EINVAL, field, "a password is required");
    size_t len = strnlen(password, POLICY_MAX_BYTES + 1);
    if (len > POLICY_MAX_BYTES)
        return cm_err_set(err, CM_EINVAL, field, "must be at most %d characters", POLICY_MAX_CHARS);
    if (!cm_utf8_valid(password, len))
        return cm_err_set(err, CM_EINVAL, field, "must be valid UTF-8 text");

    const unsigned char *p = (const unsigned char *)password;
    const unsigned char *end = p + len;
    size_t chars = 0;
    bool all_same = true;
    uint32_t first = 0;
    while (p < end) {
        uint32_t cp = next_code_point(&p);
        if (chars == 0)
            first = cp;
        else if (cp != first)
            all_same = false;
        chars++;
    }
    if (chars < POLICY_MIN_CHARS)
        return cm_err_set(err, CM_EINVAL, field, "must be at least %d characters",
                          POLICY_MIN_CHARS);
    if (chars > POLICY_MAX_CHARS)
        return cm_err_set(err, CM_EINVAL, field, "must be at most %d characters", POLICY_MAX_CHARS);
    if (all_same)
        return cm_err_set(err, CM_EINVAL, field, "must not be one character repeated");
    return CM_OK;
}

enum cm_code
cm_access_password_hash(const char *password, char out[CM_PASSWORD_HASH_MAX], struct cm_err *err)
{
    pthread_mutex_lock(&pw.mu);
    bool ready = pw.ready;
    unsigned long long ops = pw.opslimit;
    size_t mem = pw.memlimit;
    pthread_mutex_unlock(&pw.mu);
    if (!ready)
        return cm_err_set(err, CM_EINTERNAL, "", "cm_access_password_init was not called");

    slot_take();
    int rc = crypto_pwhash_str(out, password, strlen(password), ops, mem);
    slot_give();
    if (rc != 0)
        return cm_err_set(err, CM_ENOMEM, "", "argon2id could not allocate its memory");
    return CM_OK;
}

bool
cm_access_password_verify(const char *hash, const char *password)
{
    char dummy[crypto_pwhash_STRBYTES];
    pthread_mutex_lock(&pw.mu);
    bool ready = pw.ready;
    memcpy(dummy, pw.dummy, sizeof(dummy));
    pthread_mutex_unlock(&pw.mu);
    if (!ready || password == NULL)
        return false;

    /* A hash that does not fit the buffer is not one of ours: verify against the dummy so the
     * answer still takes a hash's time, and refuse. */
    bool known = hash != NULL && strnlen(hash, crypto_pwhash_STRBYTES) < crypto_pwhash_STRBYTES;
    slot_take();
    int rc = crypto_pwhash_str_verify(known ? hash : dummy, password, strlen(password));
    slot_give();
    sodium_memzero(dummy, sizeof(dummy));
    return known && rc == 0;
}

int
cm_access_password_peak(void)
{
    pthread_mutex_lock(&pw.mu);
    int peak = pw.peak;
    pthread_mutex_unlock(&pw.mu);
    return peak;
}
