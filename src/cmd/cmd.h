/*
 * cmd: one file per subcommand. Each takes the arguments after its own name (argv[0] is the
 * command's name) and returns the process exit code: 0 ok, 1 failure, 2 usage error.
 */
#ifndef CM_CMD_H
#define CM_CMD_H

#include "core/core.h"

int cmd_serve(int argc, char **argv);
int cmd_migrate(int argc, char **argv);
int cmd_demo(int argc, char **argv);
int cmd_user(int argc, char **argv);
int cmd_audit(int argc, char **argv);
int cmd_config(int argc, char **argv);
int cmd_db(int argc, char **argv);
int cmd_identify(int argc, char **argv);

/* The options every command that touches the database shares: --db FILE, --config FILE,
 * --set key=value. Builds cfg from defaults, then the file, the environment and --set, in that
 * order, whatever order they were given in. Removes the options it used from argv (argc updated)
 * so the command parses the rest. Returns 0, or 2 after printing a usage error. */
int cmd_config_from_args(int *argc, char **argv, struct cm_config *cfg);

/* Prints "caremap: <msg>" (and the field when there is one) for err on stderr. */
void cmd_print_err(const struct cm_err *err);

#endif
