/* caremap: subcommand dispatch. The command table is data; usage and `caremap help` come from it.
 */
#include "cmd/cmd.h"

#include <sodium.h>
#include <stdio.h>
#include <string.h>

struct command {
    const char *name;
    const char *usage;
    const char *help;
    int (*run)(int argc, char **argv);
};

static int help(int argc, char **argv);

static const struct command commands[] = {
    {"serve", "[--db FILE] [--listen ADDR:PORT] [--config FILE] [--set KEY=VALUE]",
     "serve the JSON API and the browser UI", cmd_serve},
    {"migrate", "[--db FILE]", "create or upgrade the database schema", cmd_migrate},
    {"demo", "[--db FILE] [--seed N]", "load a synthetic demo program into a new database",
     cmd_demo},
    {"user", "add|passwd|disable|list [--db FILE] ...",
     "manage sign-ins (passwords are read from standard input)", cmd_user},
    {"audit", "verify|list [--db FILE]", "check the audit trail's hash chain, or list it",
     cmd_audit},
    {"config", "--dump [--config FILE] [--set KEY=VALUE]",
     "show every setting with where its value came from", cmd_config},
    {"db", "checksum [--db FILE]",
     "print a checksum of the care records (not the audit trail or sessions)", cmd_db},
    {"identify",
     "[--algorithm ccc2] [--codes reference|normalised] [--icd 9|10] [-o FILE] [--max-errors N] "
     "[FILE|-]",
     "flag complex chronic conditions (CCC v2) per patient in a code file", cmd_identify},
    {"help", "[COMMAND]", "show this help, or one command's", help},
};

static const struct command *
find(const char *name)
{
    for (size_t i = 0; i < CM_ARRAY_LEN(commands); i++) {
        if (strcmp(commands[i].name, name) == 0)
            return &commands[i];
    }
    return NULL;
}

static void
usage(FILE *out)
{
    fprintf(out, "usage: caremap COMMAND [OPTIONS]\n\ncommands:\n");
    for (size_t i = 0; i < CM_ARRAY_LEN(commands); i++)
        fprintf(out, "  %-8s %s\n", commands[i].name, commands[i].help);
    fprintf(out, "\n`caremap help COMMAND` shows a command's options.\n");
}

static int
help(int argc, char **argv)
{
    if (argc < 2) {
        usage(stdout);
        return 0;
    }
    const struct command *c = find(argv[1]);
    if (c == NULL) {
        fprintf(stderr, "caremap: no command '%s'\n", argv[1]);
        usage(stderr);
        return 2;
    }
    printf("usage: caremap %s %s\n  %s\n", c->name, c->usage, c->help);
    return 0;
}

int
main(int argc, char **argv)
{
    if (sodium_init() < 0) {
        fprintf(stderr, "caremap: libsodium could not start\n");
        return 1;
    }
    if (argc < 2) {
        usage(stderr);
        return 2;
    }
    if (strcmp(argv[1], "--help") == 0 || strcmp(argv[1], "-h") == 0)
        return help(1, argv);
    const struct command *c = find(argv[1]);
    if (c == NULL) {
        fprintf(stderr, "caremap: no command '%s'\n", argv[1]);
        usage(stderr);
        return 2;
    }
    return c->run(argc - 1, argv + 1);
}
