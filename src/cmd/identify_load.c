/*
 * cmd/identify_load: `caremap identify --load` records a run and every patient's result in the
 * registry (store/registry.h), in one transaction with its audit event: the run is there with
 * every result, or not at all. See identify_load.h for the order of calls.
 */
#include "cmd/identify_load.h"

#include "identify/stratify.h"
#include "store/registry.h"
#include "store/store.h"

#include <stdlib.h>
#include <string.h>

/* The user's name and the like; results are streamed through without allocation. */
#define LOAD_ARENA_BYTES (64 * 1024)

struct cmd_identify_load {
    struct cm_store *store;
    struct cm_conn *conn;
    struct cm_arena *arena;
    struct cm_registry_load *load;
    struct cm_viewer viewer;
    bool stratified;
};

_Static_assert(CM_ENC_TYPES == CM_REGISTRY_ENC_TYPES,
               "the registry stores one count per encounter type of identify/stratify.h");

/* Who may record a run: the roles that may read it in the API (docs/api.md, "Finding children"). */
static bool
may_load(enum cm_role r)
{
    return r == CM_ROLE_ADMINISTRATOR || r == CM_ROLE_PROGRAM_MANAGER || r == CM_ROLE_ANALYST;
}

static enum cm_code
find_user(struct cmd_identify_load *l, const char *username, struct cm_err *err)
{
    struct cm_user u;
    enum cm_code rc = cm_store_user_by_username(l->conn, username, &u, l->arena, err);
    if (rc == CM_ENOTFOUND) {
        if (err != NULL)
            cm_err_clear(err);
        return cm_err_set(err, CM_ENOTFOUND, "as", "no user '%s'", username);
    }
    if (rc != CM_OK)
        return rc;
    if (u.disabled)
        return cm_err_set(err, CM_EFORBIDDEN, "as", "the account '%s' is disabled", username);
    if (!may_load(u.role))
        return cm_err_set(err, CM_EFORBIDDEN, "as",
                          "'%s' is a %s: only an administrator, a program manager or an analyst "
                          "may load a run",
                          username, cm_role_name(u.role));
    l->viewer.user_id = u.meta.id;
    l->viewer.role = u.role;
    l->viewer.program_id = u.program_id;
    return CM_OK;
}

enum cm_code
cmd_identify_load_begin(const struct cm_config *cfg, const char *username,
                        const struct cmd_identify_run_info *info, struct cmd_identify_load **out,
                        struct cm_err *err)
{
    *out = NULL;
    if (username == NULL || username[0] == '\0')
        return cm_err_set(err, CM_EINVAL, "as", "who runs the load is required (--as USER)");
    /* Before cm_store_open, which would migrate the file itself. */
    enum cm_code rc = cm_store_registry_schema_check(cfg->db, err);
    if (rc != CM_OK)
        return rc;
    struct cmd_identify_load *l = calloc(1, sizeof(*l));
    if (l == NULL)
        return cm_err_set(err, CM_ENOMEM, "", "out of memory");
    l->stratified = info->tiers_name != NULL;
    l->arena = cm_arena_new(LOAD_ARENA_BYTES);
    if (l->arena == NULL) {
        free(l);
        return cm_err_set(err, CM_ENOMEM, "", "out of memory");
    }
    rc = cm_store_open(cfg->db, &l->store, err);
    if (rc == CM_OK)
        rc = cm_store_conn_open(l->store, &l->conn, err);
    if (rc == CM_OK)
        rc = find_user(l, username, err);
    if (rc == CM_OK) {
        struct cm_registry_run run = {
            .algorithm = info->algorithm,
            .codes_mode = info->codes_mode,
            .list_name = info->list_name,
            .list_sha256 = info->list_sha256,
            .input_name = info->input_name,
            .encounters_name = info->encounters_name,
            .tiers_name = info->tiers_name,
            .tiers_sha256 = info->tiers_sha256,
            .as_of = info->as_of,
        };
        rc = cm_store_registry_load_begin(l->conn, &l->viewer, cm_time_now(), &run, &l->load, err);
    }
    if (rc != CM_OK) {
        cmd_identify_load_free(l);
        return rc;
    }
    *out = l;
    return CM_OK;
}

enum cm_code
cmd_identify_load_result(void *ctx, const struct cm_identify_result *r, struct cm_err *err)
{
    struct cmd_identify_load *l = ctx;
    const char *cls = cm_identify_class_name(r->cls);
    if (cls == NULL)
        return cm_err_set(err, CM_EINTERNAL, "", "a result with no class");
    struct cm_registry_result e = {
        .patient_id = r->patient_id,
        .cls = cls,
        .conditions = r->conditions,
        .condition_names = r->condition_names,
        .tech_dep = r->tech_dep,
        .transplant = r->transplant,
        .progressive = r->progressive,
        .malignancy = r->malignancy,
        .tier = -1,
    };
    if (l->stratified) {
        e.tier = r->tier;
        e.tier_rule = r->tier_rule;
        e.tier_reason = r->tier_reason;
        /* No encounter in the window is a count of zero of each, not unknown. */
        if (r->encounters != NULL) {
            for (size_t i = 0; i < CM_REGISTRY_ENC_TYPES; i++)
                e.encounters[i] = r->encounters->n[i];
        }
    }
    return cm_store_registry_load_add(l->load, &e, err);
}

enum cm_code
cmd_identify_load_commit(struct cmd_identify_load *l, const struct cm_identify_stats *st,
                         int64_t *run_id, struct cm_err *err)
{
    struct cm_registry_run run;
    enum cm_code rc = cm_store_registry_load_finish(
        l->load, (int64_t)st->rows, (int64_t)st->patients, (int64_t)st->bad_rows, &run, err);
    if (rc != CM_OK)
        return rc;
    /* Counts only: member ids and names never go into the audit trail. */
    char detail[96];
    snprintf(detail, sizeof(detail), "run=%lld patients=%lld candidates=%lld", (long long)run.id,
             (long long)run.patients, (long long)run.candidates);
    struct cm_audit_event ev = {
        .at = cm_time_now(),
        .user_id = l->viewer.user_id,
        .role = l->viewer.role,
        .action = "identify.load",
        .outcome = "ok",
        .detail = detail,
    };
    rc = cm_store_audit_append(l->conn, &ev, 1, l->arena, err);
    if (rc == CM_OK)
        rc = cm_store_commit(l->conn, err);
    if (rc != CM_OK)
        return rc;
    cm_log_info("identify op=load run=%lld patients=%lld candidates=%lld", (long long)run.id,
                (long long)run.patients, (long long)run.candidates);
    *run_id = run.id;
    return CM_OK;
}

void
cmd_identify_load_free(struct cmd_identify_load *l)
{
    if (l == NULL)
        return;
    /* Rolls back whatever was not committed, before the connection goes. */
    cm_store_registry_load_free(l->load);
    cm_store_conn_close(l->conn);
    cm_store_close(l->store);
    cm_arena_free(l->arena);
    free(l);
}
