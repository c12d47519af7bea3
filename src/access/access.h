/*
 * access: who may do what. Passwords (libsodium argon2id), sessions and CSRF tokens, sign-in
 * throttling, care-team authorisation decisions, and the audit writer that commits read events in
 * groups before their responses go out.
 *
 * Ownership: nothing returned here needs freeing except what cm_access_audit_start and
 * cm_access_password_init document (cm_access_audit_stop, cm_access_password_free).
 */
#ifndef CM_ACCESS_H
#define CM_ACCESS_H

#include "core/core.h"
#include "model/model.h"
#include "store/store.h"

/* ---- passwords ------------------------------------------------------------------------------- */

#define CM_PASSWORD_HASH_MAX 128 /* crypto_pwhash_STRBYTES */

/* Sets the argon2id limits and how many hashes may run at once (callers past that wait). Call
 * once before use; cm_access_password_free releases it. */
CM_MUST_CHECK enum cm_code cm_access_password_init(int opslimit, int64_t memlimit, int concurrency,
                                                   struct cm_err *err);
void cm_access_password_free(void);
/* 12-128 characters of valid UTF-8, not all one character. */
CM_MUST_CHECK enum cm_code cm_access_password_policy(const char *password, const char *field,
                                                     struct cm_err *err);
CM_MUST_CHECK enum cm_code
cm_access_password_hash(const char *password, char out[CM_PASSWORD_HASH_MAX], struct cm_err *err);
/* True when password matches hash. Spends the same time for an unknown user when hash is NULL. */
bool cm_access_password_verify(const char *hash, const char *password);

/* ---- sessions -------------------------------------------------------------------------------- */

/* A new session's secrets, handed to the client once. */
struct cm_access_session_new {
    char token[65]; /* 32 random bytes, hex; the cookie value */
    char csrf[65];
    int64_t expires_at;
};

/* Hex SHA-256 of a token. */
void cm_access_token_hash(const char *token, char out[65]);
/* Creates a session for user_id lasting absolute_s at most. */
CM_MUST_CHECK enum cm_code cm_access_session_start(struct cm_conn *c, int64_t user_id, int64_t now,
                                                   int64_t absolute_s,
                                                   struct cm_access_session_new *out,
                                                   struct cm_err *err);
/* Finds the live session for token: CM_EUNAUTH when unknown, revoked, idle past idle_s or past
 * its absolute expiry. Records use (last_seen_at) at most once a minute so reads stay reads. */
CM_MUST_CHECK enum cm_code cm_access_session_resume(struct cm_conn *c, const char *token,
                                                    int64_t now, int64_t idle_s,
                                                    struct cm_session *out, struct cm_err *err);
CM_MUST_CHECK enum cm_code cm_access_session_end(struct cm_conn *c, const char *token,
                                                 struct cm_err *err);
/* Constant-time comparison of the session's CSRF token with the header's value (NULL: false). */
bool cm_access_csrf_ok(const struct cm_session *s, const char *header_value);

/* ---- sign-in throttling ---------------------------------------------------------------------- */

/* CM_ETHROTTLE (with *retry_after_s) when username or ip had max_failures failed sign-ins within
 * window_s before now. */
CM_MUST_CHECK enum cm_code cm_access_throttle_check(struct cm_conn *c, const char *username,
                                                    const char *ip, int64_t now, int max_failures,
                                                    int window_s, int *retry_after_s,
                                                    struct cm_err *err);
CM_MUST_CHECK enum cm_code cm_access_throttle_fail(struct cm_conn *c, const char *username,
                                                   const char *ip, int64_t now, struct cm_err *err);
/* A successful sign-in clears the account's failures (not the address's). */
CM_MUST_CHECK enum cm_code cm_access_throttle_clear(struct cm_conn *c, const char *username,
                                                    struct cm_err *err);

/* ---- authorisation decisions ----------------------------------------------------------------- */

/* How v reaches child_id; CM_ENOTFOUND when it does not (or the child does not exist). */
CM_MUST_CHECK enum cm_code cm_access_child(struct cm_conn *c, const struct cm_viewer *v,
                                           int64_t child_id, int64_t now, enum cm_access *out,
                                           struct cm_err *err);
/* May v change this child's record, family and care team, given how it reaches the child?
 * (Family accounts read only.) */
bool cm_access_may_write_child(const struct cm_viewer *v, enum cm_access how);
/* May v create children (any staff but analysts)? */
bool cm_access_may_create_child(const struct cm_viewer *v);
/* May v see the child's access history: administrator, program manager, or the child's active
 * lead or backup coordinator. */
CM_MUST_CHECK enum cm_code cm_access_may_read_history(struct cm_conn *c, const struct cm_viewer *v,
                                                      int64_t child_id, int64_t now, bool *out,
                                                      struct cm_err *err);
const char *cm_access_name(enum cm_access a); /* "team", "program_wide", "family", "break_glass" */

/* ---- audit ----------------------------------------------------------------------------------- */

/* A single writer thread with its own connection commits audit events in groups: every event
 * that arrived while the previous group was being flushed goes into the next transaction, up to
 * batch_max. Callers of cm_access_audit_record block until their event is durable. */
struct cm_audit_writer;

CM_MUST_CHECK enum cm_code cm_access_audit_start(struct cm_store *s, int batch_max,
                                                 struct cm_audit_writer **out, struct cm_err *err);
/* Flushes what is queued, stops the thread, frees the writer. */
void cm_access_audit_stop(struct cm_audit_writer *w);
/* Run on the audit writer's thread once the group holding an event submitted with
 * cm_access_audit_submit is written: rc is CM_OK when it is durable, CM_EDB when its commit failed.
 * It must be quick and must not call back into the writer. */
typedef void (*cm_audit_done_fn)(void *arg, enum cm_code rc);

/* Queues a copy of ev (kept in a, which must live until done has run) and returns at once;
 * done(arg, rc) runs exactly once when the event's group is committed or failed, also when the
 * writer is stopped with the event still queued. Errors (nothing queued, done never runs):
 * CM_EINVAL for a field over its limit, CM_ETOOBIG when a is full, CM_EINTERNAL when stopping. */
CM_MUST_CHECK enum cm_code cm_access_audit_submit(struct cm_audit_writer *w,
                                                  const struct cm_audit_event *ev,
                                                  cm_audit_done_fn done, void *arg,
                                                  struct cm_arena *a, struct cm_err *err);
/* Queues a copy of ev and waits until the group holding it is committed. CM_EDB if that commit
 * failed (then the response must not be sent as a success). */
CM_MUST_CHECK enum cm_code cm_access_audit_record(struct cm_audit_writer *w,
                                                  const struct cm_audit_event *ev,
                                                  struct cm_err *err);

#endif
