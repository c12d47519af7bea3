/*
 * The audit writer: group commit for audit events of reads (DESIGN.md "Request life").
 *
 * Every read of a child's information must be durable in the audit trail before its response goes
 * out, and a durable SQLite commit costs an fsync. One fsync per read would cap reads at the disk's
 * commit rate, so one thread owns a connection and commits whatever queued up while its previous
 * commit was flushing, in one transaction, extending the hash chain in arrival order.
 *
 * Submitters put a node on their own stack, take the next sequence number, append the node to a
 * FIFO and sleep on a condition variable until committed_seq reaches their number. The writer
 * takes up to batch_max nodes, writes them (BEGIN IMMEDIATE, cm_store_audit_append, COMMIT), then
 * sets each node's result, publishes committed_seq and wakes everyone. The node stays valid the
 * whole time because its submitter cannot return before its result is published; after publishing,
 * the writer never touches those nodes again.
 *
 * cm_access_audit_submit is the same without the wait: its node lives in the caller's request
 * arena, which outlives the request's suspension, and the writer calls the node's completion
 * once the group is written, after publishing, without holding the mutex (the completion resumes
 * an HTTP connection, which takes the server's own lock).
 */
#include "access/access.h"
#include "access/access_int.h"

#include <pthread.h>
#include <stdlib.h>
#include <string.h>

/* The store allocates each event's prev_hash/hash strings here; reset after every group. */
#define BATCH_ARENA_MAX (8 * 1024 * 1024)

/* A queued event with its strings copied into bounded arrays: the queue never points into memory
 * the caller might reuse. */
struct node {
    struct node *next;
    uint64_t seq;
    enum cm_code result;
    cm_audit_done_fn done; /* NULL for a waiting submitter */
    void *done_arg;
    struct cm_audit_event ev; /* strings point into the arrays below */
    char action[CM_AUDIT_ACTION_MAX + 1];
    char outcome[CM_AUDIT_OUTCOME_MAX + 1];
    char request_id[CM_AUDIT_REQUEST_ID_MAX + 1];
    char detail[CM_AUDIT_DETAIL_MAX + 1];
};

struct cm_audit_writer {
    struct cm_conn *conn; /* used only by the writer thread once it runs */
    pthread_t thread;
    int batch_max;
    struct cm_audit_event *batch; /* batch_max slots, the writer's own */
    struct node **taken;          /* the nodes of the group in flight */
    struct node **notify;         /* the group's nodes with a completion to call */
    struct cm_arena *arena;

    pthread_mutex_t mu;
    pthread_cond_t work;      /* the writer waits here for nodes or stop */
    pthread_cond_t committed; /* submitters wait here for committed_seq */
    pthread_cond_t left;      /* stop waits here for the last submitter to leave */
    struct node *head;
    struct node *tail;
    uint64_t next_seq;      /* the last sequence number handed out */
    uint64_t committed_seq; /* every node up to this one has its result */
    bool stopping;
    int inside; /* submitters inside cm_access_audit_record, touching w */
    struct cm_audit_stats stats;
};

/* Writes one group in one transaction; the code is every member's result. */
static enum cm_code
write_group(struct cm_audit_writer *w, size_t n)
{
    struct cm_err err = {0};
    for (size_t i = 0; i < n; i++)
        w->batch[i] = w->taken[i]->ev;
    enum cm_code rc = cm_store_begin(w->conn, true, &err);
    if (rc == CM_OK) {
        rc = cm_store_audit_append(w->conn, w->batch, n, w->arena, &err);
        if (rc == CM_OK)
            rc = cm_store_commit(w->conn, &err);
        if (rc != CM_OK)
            cm_store_rollback(w->conn);
    }
    cm_arena_reset(w->arena);
    if (rc != CM_OK) {
        /* The store logged the database's message; this line ties it to the lost group. */
        cm_log_error("event=audit.group_failed events=%zu first_seq=%llu code=%s", n,
                     (unsigned long long)w->taken[0]->seq, cm_code_name(rc));
        return CM_EDB;
    }
    return CM_OK;
}

static void *
writer_main(void *arg)
{
    struct cm_audit_writer *w = arg;
    pthread_mutex_lock(&w->mu);
    for (;;) {
        while (w->head == NULL && !w->stopping)
            pthread_cond_wait(&w->work, &w->mu);
        if (w->head == NULL)
            break; /* stopping, and the queue is drained */

        /* Everything that queued while the last group was flushing, up to batch_max. */
        size_t n = 0;
        while (w->head != NULL && n < (size_t)w->batch_max) {
            w->taken[n++] = w->head;
            w->head = w->head->next;
            w->stats.queued--;
        }
        if (w->head == NULL)
            w->tail = NULL;
        pthread_mutex_unlock(&w->mu);

        enum cm_code rc = write_group(w, n);

        pthread_mutex_lock(&w->mu);
        size_t nnotify = 0;
        for (size_t i = 0; i < n; i++) {
            w->taken[i]->result = rc;
            if (w->taken[i]->done != NULL)
                w->notify[nnotify++] = w->taken[i];
        }
        w->committed_seq = w->taken[n - 1]->seq;
        w->stats.events += n;
        w->stats.commits++;
        if (rc != CM_OK)
            w->stats.failures++;
        pthread_cond_broadcast(&w->committed);
        if (nnotify > 0) {
            pthread_mutex_unlock(&w->mu);
            for (size_t i = 0; i < nnotify; i++)
                w->notify[i]->done(w->notify[i]->done_arg, rc);
            pthread_mutex_lock(&w->mu);
        }
    }
    pthread_mutex_unlock(&w->mu);
    return NULL;
}

static void
writer_free(struct cm_audit_writer *w)
{
    if (w->conn != NULL)
        cm_store_conn_close(w->conn);
    cm_arena_free(w->arena);
    free(w->batch);
    free(w->taken);
    free(w->notify);
    pthread_cond_destroy(&w->left);
    pthread_cond_destroy(&w->committed);
    pthread_cond_destroy(&w->work);
    pthread_mutex_destroy(&w->mu);
    free(w);
}

enum cm_code
cm_access_audit_start(struct cm_store *s, int batch_max, struct cm_audit_writer **out,
                      struct cm_err *err)
{
    *out = NULL;
    if (batch_max < 1 || batch_max > 100000)
        return cm_err_set(err, CM_EINVAL, "audit_batch_max", "must be between 1 and 100000");
    struct cm_audit_writer *w = calloc(1, sizeof(*w));
    if (w == NULL)
        return cm_err_set(err, CM_ENOMEM, "", "out of memory");
    pthread_mutex_init(&w->mu, NULL);
    pthread_cond_init(&w->work, NULL);
    pthread_cond_init(&w->committed, NULL);
    pthread_cond_init(&w->left, NULL);
    w->batch_max = batch_max;
    w->batch = calloc((size_t)batch_max, sizeof(*w->batch));
    w->taken = calloc((size_t)batch_max, sizeof(*w->taken));
    w->notify = calloc((size_t)batch_max, sizeof(*w->notify));
    w->arena = cm_arena_new(BATCH_ARENA_MAX);
    if (w->batch == NULL || w->taken == NULL || w->notify == NULL || w->arena == NULL) {
        writer_free(w);
        return cm_err_set(err, CM_ENOMEM, "", "out of memory");
    }
    /* Opened here rather than in the thread so a bad database fails the caller's start-up; SQLite
     * lets a connection move between threads as long as two never use it at once. */
    enum cm_code rc = cm_store_conn_open(s, &w->conn, err);
    if (rc != CM_OK) {
        w->conn = NULL;
        writer_free(w);
        return rc;
    }
    int prc = pthread_create(&w->thread, NULL, writer_main, w);
    if (prc != 0) {
        writer_free(w);
        return cm_err_set(err, CM_EINTERNAL, "", "could not start the audit writer thread");
    }
    *out = w;
    return CM_OK;
}

void
cm_access_audit_stop(struct cm_audit_writer *w)
{
    if (w == NULL)
        return;
    pthread_mutex_lock(&w->mu);
    w->stopping = true;
    w->stats.stopping = true;
    pthread_cond_signal(&w->work);
    pthread_mutex_unlock(&w->mu);
    pthread_join(w->thread, NULL);
    /* The writer answered every queued event before it ended, but a submitter it woke may still be
     * waking up inside pthread_cond_wait on our mutex: free nothing until the last one left. */
    pthread_mutex_lock(&w->mu);
    while (w->inside > 0)
        pthread_cond_wait(&w->left, &w->mu);
    pthread_mutex_unlock(&w->mu);
    writer_free(w);
}

/* Copies src into dst[size], refusing (not cutting) a string that does not fit. */
static enum cm_code
copy_field(char *dst, size_t size, const char *src, const char *field, struct cm_err *err)
{
    if (src == NULL)
        return CM_OK;
    if (cm_strlcpy(dst, src, size) != CM_OK)
        return cm_err_set(err, CM_EINVAL, field, "audit %s is longer than %zu bytes", field,
                          size - 1);
    return CM_OK;
}

/* Copies ev into n, its strings into n's own arrays. */
static enum cm_code
fill_node(struct node *n, const struct cm_audit_event *ev, struct cm_err *err)
{
    memset(n, 0, sizeof(*n));
    n->ev = *ev;
    n->ev.id = 0;
    n->ev.prev_hash = NULL;
    n->ev.hash = NULL;
    n->ev.user_name = NULL;
    enum cm_code rc = copy_field(n->action, sizeof(n->action), ev->action, "action", err);
    if (rc == CM_OK)
        rc = copy_field(n->outcome, sizeof(n->outcome), ev->outcome, "outcome", err);
    if (rc == CM_OK)
        rc = copy_field(n->request_id, sizeof(n->request_id), ev->request_id, "request_id", err);
    if (rc == CM_OK)
        rc = copy_field(n->detail, sizeof(n->detail), ev->detail, "detail", err);
    if (rc != CM_OK)
        return rc;
    n->ev.action = ev->action ? n->action : NULL;
    n->ev.outcome = ev->outcome ? n->outcome : NULL;
    n->ev.request_id = ev->request_id ? n->request_id : NULL;
    n->ev.detail = ev->detail ? n->detail : NULL;
    return CM_OK;
}

/* Appends n to the queue and wakes the writer; called with w->mu held and not stopping. */
static void
enqueue(struct cm_audit_writer *w, struct node *n)
{
    n->seq = ++w->next_seq;
    w->stats.submitted++;
    w->stats.queued++;
    if (w->tail != NULL)
        w->tail->next = n;
    else
        w->head = n;
    w->tail = n;
    /* Only the writer waits on work, so one signal suffices. */
    pthread_cond_signal(&w->work);
}

enum cm_code
cm_access_audit_record(struct cm_audit_writer *w, const struct cm_audit_event *ev,
                       struct cm_err *err)
{
    struct node n;
    enum cm_code rc = fill_node(&n, ev, err);
    if (rc != CM_OK)
        return rc;
    pthread_mutex_lock(&w->mu);
    if (w->stopping) {
        pthread_mutex_unlock(&w->mu);
        return cm_err_set(err, CM_EINTERNAL, "", "the audit writer is stopping");
    }
    w->inside++;
    enqueue(w, &n);
    while (w->committed_seq < n.seq)
        pthread_cond_wait(&w->committed, &w->mu);
    rc = n.result;
    if (--w->inside == 0 && w->stopping)
        pthread_cond_signal(&w->left);
    pthread_mutex_unlock(&w->mu);

    if (rc != CM_OK)
        return cm_err_set(err, CM_EDB, "", "the audit trail could not be written");
    return CM_OK;
}

enum cm_code
cm_access_audit_submit(struct cm_audit_writer *w, const struct cm_audit_event *ev,
                       cm_audit_done_fn done, void *arg, struct cm_arena *a, struct cm_err *err)
{
    struct node *n = cm_arena_alloc(a, sizeof(*n));
    if (n == NULL)
        return cm_err_set(err, CM_ETOOBIG, "", "no memory left for the audit event");
    enum cm_code rc = fill_node(n, ev, err);
    if (rc != CM_OK)
        return rc;
    n->done = done;
    n->done_arg = arg;
    pthread_mutex_lock(&w->mu);
    if (w->stopping) {
        pthread_mutex_unlock(&w->mu);
        return cm_err_set(err, CM_EINTERNAL, "", "the audit writer is stopping");
    }
    enqueue(w, n);
    pthread_mutex_unlock(&w->mu);
    return CM_OK;
}

void
cm_access_audit_stats(struct cm_audit_writer *w, struct cm_audit_stats *out)
{
    pthread_mutex_lock(&w->mu);
    *out = w->stats;
    pthread_mutex_unlock(&w->mu);
}
