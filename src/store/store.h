/*
 * store: the only module that speaks SQL. It offers operations, not queries. The SQLite backend
 * (sqlite.c) prepares every statement of its statement table when a connection opens; migrations
 * are embedded, numbered, checksummed and applied at open.
 *
 * Threads: one struct cm_store per process; one struct cm_conn per thread (never shared).
 * Transactions: cm_store_begin/commit/rollback wrap several operations; an operation called outside
 * a transaction runs in its own. Writes use BEGIN IMMEDIATE.
 * Memory: strings returned in structs and lists are allocated in the arena passed in.
 * Errors: CM_ENOTFOUND for a missing row or one the viewer may not see (never told apart);
 * CM_ECONFLICT for a unique or lead/backup rule broken; CM_ESTALE when expected_version does not
 * match; CM_EDB for anything else from the database (logged with the SQLite message, never data).
 *
 * Care-team authorisation lives in the SQL: every read or write of a child's information takes a
 * struct cm_viewer and joins through the care team, so a caller that forgets to authorise still
 * cannot reach another family's child.
 */
#ifndef CM_STORE_H
#define CM_STORE_H

#include "core/core.h"
#include "model/model.h"

struct cm_store;
struct cm_conn;

/* Who is asking. */
struct cm_viewer {
    int64_t user_id;
    enum cm_role role;
    int64_t program_id;
};

/* The ways a viewer can reach one child. */
enum cm_access {
    CM_ACCESS_NONE = 0,
    CM_ACCESS_TEAM,         /* on the child's active care team */
    CM_ACCESS_PROGRAM_WIDE, /* administrator or program manager of the child's program */
    CM_ACCESS_FAMILY,       /* a family account linked to the child */
    CM_ACCESS_BREAK_GLASS,  /* an unexpired break-glass grant */
};

/* ---- lifecycle ------------------------------------------------------------------------------- */

/* Opens (creating if missing) the SQLite file at path and applies pending migrations. */
CM_MUST_CHECK enum cm_code cm_store_open(const char *path, struct cm_store **out,
                                         struct cm_err *err);
void cm_store_close(struct cm_store *s);
/* Applies pending migrations; *applied says how many. A changed checksum of an applied migration
 * is CM_EDB naming the file. */
CM_MUST_CHECK enum cm_code cm_store_migrate(struct cm_store *s, int *applied, struct cm_err *err);
/* How many migrations this process applied to the file since cm_store_open (at open, which
 * applies pending ones, and by cm_store_migrate since): what `caremap migrate` reports. */
int cm_store_migrations_applied(const struct cm_store *s);
/* A connection for this thread, statements prepared (a bad statement fails here). */
CM_MUST_CHECK enum cm_code cm_store_conn_open(struct cm_store *s, struct cm_conn **out,
                                              struct cm_err *err);
void cm_store_conn_close(struct cm_conn *c);

CM_MUST_CHECK enum cm_code cm_store_begin(struct cm_conn *c, bool write, struct cm_err *err);
CM_MUST_CHECK enum cm_code cm_store_commit(struct cm_conn *c, struct cm_err *err);
void cm_store_rollback(struct cm_conn *c);

/* SHA-256 (hex) over every row of the care-record tables in primary-key order: everything except
 * audit events, sessions and sign-in failures. Two equal checksums mean nothing was changed. */
CM_MUST_CHECK enum cm_code cm_store_checksum(struct cm_conn *c, char out[65], struct cm_err *err);

/* ---- programs, organisations ---------------------------------------------------------------- */

CM_MUST_CHECK enum cm_code cm_store_program_create(struct cm_conn *c, const char *name, int64_t *id,
                                                   struct cm_err *err);
CM_MUST_CHECK enum cm_code cm_store_program_first(struct cm_conn *c, int64_t *id,
                                                  struct cm_err *err);

struct cm_organization_list {
    struct cm_organization *items;
    size_t count;
};
CM_MUST_CHECK enum cm_code cm_store_organization_create(struct cm_conn *c,
                                                        struct cm_organization *o, int64_t by,
                                                        struct cm_err *err); /* fills o->meta */
CM_MUST_CHECK enum cm_code cm_store_organization_get(struct cm_conn *c, int64_t program_id,
                                                     int64_t id, struct cm_organization *out,
                                                     struct cm_arena *a, struct cm_err *err);
CM_MUST_CHECK enum cm_code cm_store_organization_list(struct cm_conn *c, int64_t program_id,
                                                      struct cm_organization_list *out,
                                                      struct cm_arena *a, struct cm_err *err);
/* Writes every field of o where o->meta.id and o->meta.version (the expected version) match;
 * bumps version and fills o->meta. */
CM_MUST_CHECK enum cm_code cm_store_organization_update(struct cm_conn *c,
                                                        struct cm_organization *o, int64_t by,
                                                        struct cm_err *err);

/* ---- users and sessions ---------------------------------------------------------------------- */

struct cm_user_list {
    struct cm_user *items;
    size_t count;
};
CM_MUST_CHECK enum cm_code cm_store_user_create(struct cm_conn *c, struct cm_user *u, int64_t by,
                                                struct cm_err *err);
CM_MUST_CHECK enum cm_code cm_store_user_get(struct cm_conn *c, int64_t id, struct cm_user *out,
                                             struct cm_arena *a, struct cm_err *err);
CM_MUST_CHECK enum cm_code cm_store_user_by_username(struct cm_conn *c, const char *username,
                                                     struct cm_user *out, struct cm_arena *a,
                                                     struct cm_err *err);
CM_MUST_CHECK enum cm_code cm_store_user_list(struct cm_conn *c, int64_t program_id,
                                              struct cm_user_list *out, struct cm_arena *a,
                                              struct cm_err *err);
/* Updates display_name, role, organization_id, language, email, phone, disabled (expected
 * version in u->meta.version). Disabling a user also revokes their sessions. */
CM_MUST_CHECK enum cm_code cm_store_user_update(struct cm_conn *c, struct cm_user *u, int64_t by,
                                                struct cm_err *err);
/* Links a family account to a family member of a child in the user's program (the family member
 * must have no account yet: CM_ECONFLICT otherwise). */
CM_MUST_CHECK enum cm_code cm_store_family_link_user(struct cm_conn *c, int64_t program_id,
                                                     int64_t family_member_id, int64_t user_id,
                                                     struct cm_err *err);
/* Replaces the password hash and revokes the user's sessions. */
CM_MUST_CHECK enum cm_code cm_store_user_set_password(struct cm_conn *c, int64_t id,
                                                      const char *hash, int64_t by,
                                                      struct cm_err *err);

struct cm_session {
    char token_hash[65]; /* hex SHA-256 of the cookie's token; the token itself is never stored */
    char csrf[65];       /* hex, sent back by the browser in X-CSRF-Token */
    int64_t user_id;
    int64_t created_at;
    int64_t last_seen_at;
    int64_t expires_at; /* absolute expiry */
};
CM_MUST_CHECK enum cm_code cm_store_session_create(struct cm_conn *c, const struct cm_session *s,
                                                   struct cm_err *err);
CM_MUST_CHECK enum cm_code cm_store_session_get(struct cm_conn *c, const char *token_hash,
                                                struct cm_session *out, struct cm_err *err);
CM_MUST_CHECK enum cm_code cm_store_session_touch(struct cm_conn *c, const char *token_hash,
                                                  int64_t now, struct cm_err *err);
CM_MUST_CHECK enum cm_code cm_store_session_delete(struct cm_conn *c, const char *token_hash,
                                                   struct cm_err *err);
/* Deletes sessions whose absolute expiry or idle limit passed. */
CM_MUST_CHECK enum cm_code cm_store_session_purge(struct cm_conn *c, int64_t now, int64_t idle_s,
                                                  struct cm_err *err);

/* Failed sign-ins, counted by key ("user:<name>" or "ip:<address>"). */
CM_MUST_CHECK enum cm_code cm_store_login_failure_add(struct cm_conn *c, const char *key,
                                                      int64_t at, struct cm_err *err);
CM_MUST_CHECK enum cm_code cm_store_login_failure_count(struct cm_conn *c, const char *key,
                                                        int64_t since, int *count,
                                                        struct cm_err *err);
/* The time of the oldest failure for key at or after since (*at = 0 when there is none): when
 * the window will let the key try again. count and oldest count failures with at >= since. */
CM_MUST_CHECK enum cm_code cm_store_login_failure_oldest(struct cm_conn *c, const char *key,
                                                         int64_t since, int64_t *at,
                                                         struct cm_err *err);
CM_MUST_CHECK enum cm_code cm_store_login_failure_clear(struct cm_conn *c, const char *key,
                                                        struct cm_err *err);

/* ---- children: every call takes the viewer --------------------------------------------------- */

/* How v reaches child id, at time now. CM_ACCESS_NONE (and CM_OK) when it does not or the child
 * does not exist. */
CM_MUST_CHECK enum cm_code cm_store_child_access(struct cm_conn *c, const struct cm_viewer *v,
                                                 int64_t child_id, int64_t now, enum cm_access *out,
                                                 struct cm_err *err);

/* One row of the coordinator's panel. */
struct cm_panel_row {
    struct cm_child child;
    int64_t lead_user_id;    /* 0 when there is no lead, or the lead is external */
    const char *lead_name;   /* NULL when there is no lead */
    const char *backup_name; /* NULL when there is no backup */
    int active_team_count;
    int64_t plan_reviewed_at;    /* the newest family review (agree or comment); 0: never */
    int64_t plan_latest_version; /* 0 when the plan was never frozen */
    int64_t plan_open_requests;  /* change requests on the latest version */
};
struct cm_panel_filter {
    const char *q;           /* substring of name or record number, case-insensitive; NULL: any */
    int tier;                /* 0: any */
    int64_t lead_user_id;    /* 0: any */
    bool mine;               /* only children whose care team has the viewer (program-wide roles) */
    bool no_lead;            /* only children with no designated lead */
    int64_t plan_due_before; /* not 0: only children whose plan was not reviewed with the family
                                at or after this time (never reviewed counts as due) */
    const char *sort;        /* "name" (default), "-name", "tier", "-tier", "birth_date",
                                "-birth_date", "plan_updated_at", "-plan_updated_at" */
    int limit;               /* 1..200 */
    int offset;
};
struct cm_panel {
    struct cm_panel_row *rows;
    size_t count;
    int64_t total; /* rows matching the filter, ignoring limit/offset */
};
/* The children v may see (team, program-wide, family; not break-glass), filtered and paged. */
CM_MUST_CHECK enum cm_code cm_store_child_panel(struct cm_conn *c, const struct cm_viewer *v,
                                                const struct cm_panel_filter *f, int64_t now,
                                                struct cm_panel *out, struct cm_arena *a,
                                                struct cm_err *err);
CM_MUST_CHECK enum cm_code cm_store_child_get(struct cm_conn *c, const struct cm_viewer *v,
                                              int64_t id, int64_t now, struct cm_child *out,
                                              struct cm_arena *a, struct cm_err *err);
/* Creates the child in v's program; fills ch->meta. */
CM_MUST_CHECK enum cm_code cm_store_child_create(struct cm_conn *c, const struct cm_viewer *v,
                                                 struct cm_child *ch, struct cm_err *err);
/* Writes every field where ch->meta.id is visible to v and ch->meta.version matches. */
CM_MUST_CHECK enum cm_code cm_store_child_update(struct cm_conn *c, const struct cm_viewer *v,
                                                 int64_t now, struct cm_child *ch,
                                                 struct cm_err *err);

struct cm_family_list {
    struct cm_family_member *items;
    size_t count;
};
CM_MUST_CHECK enum cm_code cm_store_family_list(struct cm_conn *c, const struct cm_viewer *v,
                                                int64_t child_id, int64_t now,
                                                struct cm_family_list *out, struct cm_arena *a,
                                                struct cm_err *err);
CM_MUST_CHECK enum cm_code cm_store_family_get(struct cm_conn *c, const struct cm_viewer *v,
                                               int64_t child_id, int64_t id, int64_t now,
                                               struct cm_family_member *out, struct cm_arena *a,
                                               struct cm_err *err);
CM_MUST_CHECK enum cm_code cm_store_family_create(struct cm_conn *c, const struct cm_viewer *v,
                                                  int64_t now, struct cm_family_member *f,
                                                  struct cm_err *err);
CM_MUST_CHECK enum cm_code cm_store_family_update(struct cm_conn *c, const struct cm_viewer *v,
                                                  int64_t now, struct cm_family_member *f,
                                                  struct cm_err *err);

struct cm_team_list {
    struct cm_team_member *items;
    size_t count;
};
/* Active members only unless include_ended. For staff members name comes from the user. */
CM_MUST_CHECK enum cm_code cm_store_team_list(struct cm_conn *c, const struct cm_viewer *v,
                                              int64_t child_id, bool include_ended, int64_t now,
                                              struct cm_team_list *out, struct cm_arena *a,
                                              struct cm_err *err);
CM_MUST_CHECK enum cm_code cm_store_team_get(struct cm_conn *c, const struct cm_viewer *v,
                                             int64_t child_id, int64_t id, int64_t now,
                                             struct cm_team_member *out, struct cm_arena *a,
                                             struct cm_err *err);
/* Adds a member (lead must be CM_LEAD_NONE: leads are set with cm_store_team_set_lead). A user
 * already active on this team is CM_ECONFLICT. The one way to reach a child without being on its
 * team: its creator may add members while the child is at version 1, was created by them and has
 * no team yet (enrolling a child and forming its first team is one step). */
CM_MUST_CHECK enum cm_code cm_store_team_create(struct cm_conn *c, const struct cm_viewer *v,
                                                int64_t now, struct cm_team_member *t,
                                                struct cm_err *err);
/* Updates role, service, sector, organization_id, phone, email, name (external only). */
CM_MUST_CHECK enum cm_code cm_store_team_update(struct cm_conn *c, const struct cm_viewer *v,
                                                int64_t now, struct cm_team_member *t,
                                                struct cm_err *err);
/* Ends a membership on end_date (not before its start); an ended lead or backup loses the flag. */
CM_MUST_CHECK enum cm_code cm_store_team_end(struct cm_conn *c, const struct cm_viewer *v,
                                             int64_t child_id, int64_t id, int64_t expected_version,
                                             const char *end_date, int64_t now, struct cm_err *err);
/* Makes lead_id the one lead and backup_id (0: none) the one backup of the child, in one step,
 * clearing the flags of everyone else; both must be active members of this child's team and
 * different. expected_child_version guards the child's ETag, which this bumps, except in the
 * transaction that created the child: nobody can have seen it yet, so it stays at version 1. */
CM_MUST_CHECK enum cm_code cm_store_team_set_lead(struct cm_conn *c, const struct cm_viewer *v,
                                                  int64_t child_id, int64_t expected_child_version,
                                                  int64_t lead_id, int64_t backup_id, int64_t now,
                                                  struct cm_err *err);

/* ---- the shared plan of care ----------------------------------------------------------------- */
/*
 * Elements of every kind live in one table (model/plan_item.h declares the kinds; the store does
 * not look inside body or translations, which the plan module builds and checks). Every call
 * takes the viewer and reaches the child through the care-team SQL like every child read. Writes
 * set child.plan_updated_at = now (the panel's "plan updated" column) without bumping the child's
 * version.
 */

struct cm_plan_item {
    struct cm_meta meta;
    int64_t child_id;
    const char *kind;         /* a kind name: "goal", "action_plan", ... */
    int64_t position;         /* order within the kind, from 1, assigned at creation */
    const char *lang;         /* "en" or "es": the language its text was written in */
    const char *body;         /* a JSON object: the item's fields */
    const char *translations; /* a JSON object: {"es": {"text": "..."}}; "{}" when none */
    int64_t removed_at;       /* 0 while live */
};
struct cm_plan_item_list {
    struct cm_plan_item *items;
    size_t count;
};
/* The live items of child_id, of kind (NULL: every kind), ordered by kind name, then position,
 * then id (the plan module puts the kinds in plan order). */
CM_MUST_CHECK enum cm_code cm_store_plan_item_list(struct cm_conn *c, const struct cm_viewer *v,
                                                   int64_t child_id, const char *kind, int64_t now,
                                                   struct cm_plan_item_list *out,
                                                   struct cm_arena *a, struct cm_err *err);
/* One live item of child_id (of kind, unless kind is NULL). Removed, of another kind, of another
 * child or out of reach: CM_ENOTFOUND. */
CM_MUST_CHECK enum cm_code cm_store_plan_item_get(struct cm_conn *c, const struct cm_viewer *v,
                                                  int64_t child_id, const char *kind, int64_t id,
                                                  int64_t now, struct cm_plan_item *out,
                                                  struct cm_arena *a, struct cm_err *err);
/* How many live items of kind child_id has (no viewer: the caller has authorised the child). */
CM_MUST_CHECK enum cm_code cm_store_plan_item_count(struct cm_conn *c, int64_t child_id,
                                                    const char *kind, int64_t *out,
                                                    struct cm_err *err);
/* Creates it->kind for it->child_id with body, translations ("{}" when NULL) and lang; assigns
 * position (one past the highest of the kind, removed items included) and fills it->meta. */
CM_MUST_CHECK enum cm_code cm_store_plan_item_create(struct cm_conn *c, const struct cm_viewer *v,
                                                     int64_t now, struct cm_plan_item *it,
                                                     struct cm_err *err);
/* Writes lang, body and translations where the live item it->meta.id of it->child_id is at
 * version it->meta.version (else CM_ESTALE; missing or removed: CM_ENOTFOUND); bumps the version
 * and fills it->meta. */
CM_MUST_CHECK enum cm_code cm_store_plan_item_update(struct cm_conn *c, const struct cm_viewer *v,
                                                     int64_t now, struct cm_plan_item *it,
                                                     struct cm_err *err);
/* Marks the live item removed (removed_at = now) where it is at expected_version; bumps the
 * version. */
CM_MUST_CHECK enum cm_code cm_store_plan_item_remove(struct cm_conn *c, const struct cm_viewer *v,
                                                     int64_t child_id, int64_t id,
                                                     int64_t expected_version, int64_t now,
                                                     struct cm_err *err);

/* A frozen version of the plan. */
struct cm_plan_version {
    int64_t id;
    int64_t child_id;
    int64_t number; /* 1, 2, ... per child */
    int64_t created_at;
    int64_t created_by;
    const char *created_by_name; /* filled by reads from the user */
    const char *note;            /* may be NULL */
    const char *content;         /* the plan document (JSON); NULL in lists */
    const char *content_sha256;  /* hex SHA-256 of content */
};
struct cm_plan_version_list {
    struct cm_plan_version *items;
    size_t count;
};
/* Freezes content as the next number of v->child_id (one past the highest; fills v->id, number,
 * created_at = now, created_by = viewer, content_sha256). */
CM_MUST_CHECK enum cm_code cm_store_plan_version_create(struct cm_conn *c,
                                                        const struct cm_viewer *v, int64_t now,
                                                        struct cm_plan_version *pv,
                                                        struct cm_err *err);
/* Every version of child_id without content, newest first. */
CM_MUST_CHECK enum cm_code cm_store_plan_version_list(struct cm_conn *c, const struct cm_viewer *v,
                                                      int64_t child_id, int64_t now,
                                                      struct cm_plan_version_list *out,
                                                      struct cm_arena *a, struct cm_err *err);
/* Version number of child_id with its content (number 0: the newest). None: CM_ENOTFOUND. */
CM_MUST_CHECK enum cm_code cm_store_plan_version_get(struct cm_conn *c, const struct cm_viewer *v,
                                                     int64_t child_id, int64_t number, int64_t now,
                                                     struct cm_plan_version *out,
                                                     struct cm_arena *a, struct cm_err *err);

/* A family's review of a version. */
struct cm_plan_review {
    int64_t id;
    int64_t child_id;
    int64_t version_number; /* which version (the store finds its id) */
    int64_t created_at;
    int64_t created_by;
    const char *created_by_name; /* filled by reads */
    const char *decision;        /* "agree", "comment", "change_requested" */
    const char *comment;         /* required unless agree */
    bool in_person;              /* recorded by staff for a review done with the family */
};
struct cm_plan_review_list {
    struct cm_plan_review *items;
    size_t count;
};
/* Records r for version r->version_number of r->child_id (missing version: CM_ENOTFOUND); fills
 * id, created_at = now, created_by = viewer. */
CM_MUST_CHECK enum cm_code cm_store_plan_review_create(struct cm_conn *c, const struct cm_viewer *v,
                                                       int64_t now, struct cm_plan_review *r,
                                                       struct cm_err *err);
/* Reviews of child_id, newest first; version_number 0: of every version. */
CM_MUST_CHECK enum cm_code cm_store_plan_review_list(struct cm_conn *c, const struct cm_viewer *v,
                                                     int64_t child_id, int64_t version_number,
                                                     int64_t now, struct cm_plan_review_list *out,
                                                     struct cm_arena *a, struct cm_err *err);

/* Where a child's plan stands, for the panel and the plan's header. */
struct cm_plan_state {
    int64_t latest_version;    /* 0 when never frozen */
    int64_t latest_version_at; /* when it was frozen */
    int64_t reviewed_at;       /* the newest review with decision agree or comment; 0: never */
    int64_t reviewed_version;  /* the version it reviewed */
    int64_t open_requests;     /* change_requested reviews of the latest version */
};
CM_MUST_CHECK enum cm_code cm_store_plan_state(struct cm_conn *c, const struct cm_viewer *v,
                                               int64_t child_id, int64_t now,
                                               struct cm_plan_state *out, struct cm_err *err);

/* ---- break-glass ----------------------------------------------------------------------------- */

/* Grants v access to child b->child_id until b->expires_at; the child must exist in v's program
 * (CM_ENOTFOUND otherwise). Fills b->meta. */
CM_MUST_CHECK enum cm_code cm_store_break_glass_create(struct cm_conn *c, const struct cm_viewer *v,
                                                       struct cm_break_glass *b,
                                                       struct cm_err *err);
struct cm_break_glass_list {
    struct cm_break_glass *items;
    size_t count;
};
/* Every grant in program_id since `since`, newest first, for review. */
CM_MUST_CHECK enum cm_code cm_store_break_glass_list(struct cm_conn *c, int64_t program_id,
                                                     int64_t since, struct cm_break_glass_list *out,
                                                     struct cm_arena *a, struct cm_err *err);

/* ---- audit ----------------------------------------------------------------------------------- */

/* Appends events in order inside the caller's write transaction (or its own), extending the hash
 * chain: hash = SHA-256(prev_hash || canonical text of the event). Fills id/prev_hash/hash. */
CM_MUST_CHECK enum cm_code cm_store_audit_append(struct cm_conn *c, struct cm_audit_event *ev,
                                                 size_t n, struct cm_arena *a, struct cm_err *err);
struct cm_audit_list {
    struct cm_audit_event *items;
    size_t count;
};
/* Events about child_id (0: all), newest first, at most limit. */
CM_MUST_CHECK enum cm_code cm_store_audit_list(struct cm_conn *c, int64_t child_id, int limit,
                                               int offset, struct cm_audit_list *out,
                                               struct cm_arena *a, struct cm_err *err);
/* How many events are about child_id (0: all events). */
CM_MUST_CHECK enum cm_code cm_store_audit_count(struct cm_conn *c, int64_t child_id, int64_t *out,
                                                struct cm_err *err);
/* Recomputes the whole chain. *bad_id is 0 when it holds, else the id of the first row whose hash
 * or link is wrong; *checked counts rows. */
CM_MUST_CHECK enum cm_code cm_store_audit_verify(struct cm_conn *c, int64_t *bad_id,
                                                 int64_t *checked, struct cm_err *err);

#endif
