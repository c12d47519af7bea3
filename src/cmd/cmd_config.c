/* caremap config --dump: every setting with its value and where the value came from. */
#include "cmd/cmd.h"

#include <stdio.h>
#include <string.h>

#define USAGE "usage: caremap config --dump [--config FILE] [--set KEY=VALUE]\n"

/* Prints the configuration that the same options would give `caremap serve`, so an operator can see
 * which file, variable or --set won. Returns 0, or 2 on a usage error or a bad setting. */
int
cmd_config(int argc, char **argv)
{
    struct cm_config cfg;
    int rc = cmd_config_from_args(&argc, argv, &cfg);
    if (rc != 0)
        return rc;
    if (argc != 2 || strcmp(argv[1], "--dump") != 0) {
        if (argc > 1 && strcmp(argv[1], "--dump") != 0)
            fprintf(stderr, "caremap: config: unexpected argument '%s'\n", argv[1]);
        else if (argc > 2)
            fprintf(stderr, "caremap: config: unexpected argument '%s'\n", argv[2]);
        fputs(USAGE, stderr);
        return 2;
    }
    cm_config_dump(&cfg, stdout);
    if (fflush(stdout) != 0) {
        fprintf(stderr, "caremap: config: cannot write the dump\n");
        return 1;
    }
    return 0;
}
