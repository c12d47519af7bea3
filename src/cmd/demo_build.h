/*
 * demo_build: builds the synthetic "Riverbend Complex Care Program" into an empty database, the
 * engine behind `caremap demo` (cmd_demo.c) and the demo's unit tests.
 *
 * Deterministic: the records' content is a function of the seed and of the calendar date of `now`
 * (ages, enrolment and plan dates are relative to it, so the demo always looks current). Only
 * what the store stamps itself (created_at, updated_at) and the password hashes (argon2id salts are
 * random, as they must be) differ between two runs.
 */
#ifndef CM_CMD_DEMO_BUILD_H
#define CM_CMD_DEMO_BUILD_H

#include "core/core.h"
#include "model/model.h"
#include "store/store.h"

/* Every demo account, staff and family, signs in with this password. */
#define CMD_DEMO_PASSWORD        "caremap-demo-2026"
#define CMD_DEMO_PROGRAM_NAME    "Riverbend Complex Care Program"
#define CMD_DEMO_CHILDREN        64
#define CMD_DEMO_FAMILY_ACCOUNTS 12 /* family.demo-0001 .. family.demo-0012 */
#define CMD_DEMO_SIGNINS_MAX     32

/* One account the demo created, for the table printed at the end. */
struct cmd_demo_signin {
    const char *username;
    const char *role; /* cm_role_name() */
    const char *display_name;
    const char *note; /* organisation, or the child a family account belongs to; may be "" */
};

/* What was loaded. */
struct cmd_demo_summary {
    int64_t program_id;
    size_t organizations;
    size_t staff_users;
    size_t family_users;
    size_t children;
    size_t family_members;
    size_t relationships; /* care-team memberships, active and ended */
    size_t active_relationships;
    size_t ended_relationships;
    size_t children_without_lead;
    size_t children_with_duplicates; /* two active members providing the same service */
    struct cmd_demo_signin signins[CMD_DEMO_SIGNINS_MAX];
    size_t signin_count;
};

/* Builds the demo program with generator seed `seed`, dated on the UTC day of `now`, in ONE write
 * transaction on c (which must not be inside a transaction), ending with the audit event
 * "demo.load" (user 0). Passwords are hashed with cm_access_password_hash, so
 * cm_access_password_init must have been called. Strings in *out live in a.
 *
 * Returns CM_ECONFLICT (field "db") and changes nothing when the database already holds children or
 * a user with one of the demo's usernames; otherwise the store's or the password hasher's code
 * (everything rolled back). */
CM_MUST_CHECK enum cm_code cmd_demo_build(struct cm_conn *c, uint64_t seed, int64_t now,
                                          struct cmd_demo_summary *out, struct cm_arena *a,
                                          struct cm_err *err);

#endif
