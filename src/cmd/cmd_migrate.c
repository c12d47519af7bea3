/*
 * `caremap migrate [--db FILE]`: creates the database file if needed and applies the pending
 * migrations (store/migrations/sqlite/, embedded in the binary), each in its own transaction.
 * Prints how many it applied; a migration changed after it was applied stops it with exit 1.
 */
#include "cmd/cmd.h"
#include "store/store.h"

#include <stdio.h>

int
cmd_migrate(int argc, char **argv)
{
    struct cm_config cfg;
    int rc = cmd_config_from_args(&argc, argv, &cfg);
    if (rc != 0)
        return rc;
    if (argc != 1) {
        fprintf(stderr,
                "caremap: unexpected argument '%s'\n"
                "usage: caremap migrate [--db FILE]\n",
                argv[1]);
        return 2;
    }
    enum cm_log_level level;
    if (cm_log_level_parse(cfg.log_level, &level) == CM_OK)
        cm_log_set_level(level);
    struct cm_err err = {0};
    struct cm_store *s = NULL;
    /* Opening applies what is pending; migrate again only to report the same way either way. */
    enum cm_code code = cm_store_open(cfg.db, &s, &err);
    int applied = 0;
    if (code == CM_OK)
        code = cm_store_migrate(s, &applied, &err);
    if (code != CM_OK) {
        cmd_print_err(&err);
        cm_store_close(s);
        return 1;
    }
    int n = cm_store_migrations_applied(s);
    printf("applied %d migration%s to %s\n", n, n == 1 ? "" : "s", cfg.db);
    cm_store_close(s);
    return 0;
}
