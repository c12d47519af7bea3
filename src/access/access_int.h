/*
 * access internals shared between the module's files and its unit tests. Nothing here is part of
 * the contract other modules build on.
 */
#ifndef CM_ACCESS_INT_H
#define CM_ACCESS_INT_H

#include "access/access.h"

#include <stdint.h>

/* What the audit writer has done so far, read under its lock. submitted counts events handed to
 * cm_access_audit_record (each got a sequence number), queued how many of them wait in the queue
 * now (not yet taken by the writer), events counts events whose group was committed or failed,
 * commits counts group transactions attempted (successful or not) and failures the ones that
 * failed; stopping is set once cm_access_audit_stop has begun. A test compares commits with
 * events to prove grouping, and polls queued and stopping to know where the writer is. */
struct cm_audit_stats {
    uint64_t submitted;
    uint64_t queued;
    uint64_t events;
    uint64_t commits;
    uint64_t failures;
    bool stopping;
};

/* Copies the writer's counters (test hook; w must not be stopped yet). */
void cm_access_audit_stats(struct cm_audit_writer *w, struct cm_audit_stats *out);

/* The most password hashes (hash or verify) that ran at once since cm_access_password_init (test
 * hook: it must never pass the configured concurrency). */
int cm_access_password_peak(void);

/* Bounds of the copied strings of a queued audit event (bytes, without the NUL). Longer strings
 * are refused with CM_EINVAL rather than cut, because a cut audit record is a false one. */
#define CM_AUDIT_ACTION_MAX     63
#define CM_AUDIT_OUTCOME_MAX    15
#define CM_AUDIT_REQUEST_ID_MAX 63
#define CM_AUDIT_DETAIL_MAX     2047

/* A session is touched (last_seen_at rewritten) only when the stored value is older than this, so
 * that a burst of reads does not become a burst of writes. */
#define CM_SESSION_TOUCH_S 60

#endif
