/*
 * `caremap db checksum [--db FILE]`: prints the SHA-256 (64 hex) of every care record (programs,
 * organisations, users, children, family members, care teams, break-glass grants; not the audit
 * trail, sessions or sign-in failures), so a test or an operator can show that nothing changed.
 */
#include "cmd/cmd.h"
#include "store/store.h"

#include <stdio.h>
#include <string.h>
#include <unistd.h>

static const char USAGE[] = "usage: caremap db checksum [--db FILE]\n";

static int
checksum(const struct cm_config *cfg)
{
    struct cm_err err = {0};
    /* A mistyped path must not create an empty database and print its checksum. */
    if (access(cfg->db, F_OK) != 0) {
        fprintf(stderr, "caremap: no database at %s\n", cfg->db);
        return 1;
    }
    struct cm_store *s = NULL;
    struct cm_conn *c = NULL;
    char sum[65];
    enum cm_code code = cm_store_open(cfg->db, &s, &err);
    if (code == CM_OK)
        code = cm_store_conn_open(s, &c, &err);
    if (code == CM_OK)
        code = cm_store_checksum(c, sum, &err);
    cm_store_conn_close(c);
    cm_store_close(s);
    if (code != CM_OK) {
        cmd_print_err(&err);
        return 1;
    }
    printf("%s\n", sum);
    return 0;
}

int
cmd_db(int argc, char **argv)
{
    struct cm_config cfg;
    int rc = cmd_config_from_args(&argc, argv, &cfg);
    if (rc != 0)
        return rc;
    if (argc != 2 || strcmp(argv[1], "checksum") != 0) {
        fputs(USAGE, stderr);
        return 2;
    }
    enum cm_log_level level;
    if (cm_log_level_parse(cfg.log_level, &level) == CM_OK)
        cm_log_set_level(level);
    return checksum(&cfg);
}
