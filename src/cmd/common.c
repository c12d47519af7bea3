/*
 * What the subcommands share: building the configuration from --db/--config/--set/--listen, and
 * printing an error the same way everywhere.
 */
#include "cmd/cmd.h"

#include <stdarg.h>
#include <stdio.h>
#include <string.h>

/* An option that overrides a key, kept in the order given so the last one wins. */
struct override {
    const char *key; /* "db", "listen", or NULL for --set whose value is "key=value" */
    const char *value;
};

#define MAX_OVERRIDES 64

/* Matches argv[*i] against "--name VALUE" and "--name=VALUE". Returns 1 with *value set (and *i
 * moved past a separate value), 0 when argv[*i] is another argument, -1 when the value is missing.
 */
static int
take(int argc, char **argv, int *i, const char *name, const char **value)
{
    const char *a = argv[*i];
    size_t n = strlen(name);
    if (strncmp(a, name, n) != 0)
        return 0;
    if (a[n] == '=') {
        *value = a + n + 1;
        return 1;
    }
    if (a[n] != '\0')
        return 0;
    if (*i + 1 >= argc)
        return -1;
    *i += 1;
    *value = argv[*i];
    return 1;
}

static int usage_error(const char *fmt, ...) CM_PRINTF(1, 2);

/* Prints "caremap: <message>" and returns the usage exit code. */
static int
usage_error(const char *fmt, ...)
{
    char msg[512];
    va_list ap;
    va_start(ap, fmt);
    vsnprintf(msg, sizeof(msg), fmt, ap);
    va_end(ap);
    fprintf(stderr, "caremap: %s\n", msg);
    return 2;
}

int
cmd_config_from_args(int *argc, char **argv, struct cm_config *cfg)
{
    static const char *const names[] = {"--db", "--config", "--set", "--listen"};
    struct override ov[MAX_OVERRIDES];
    size_t nov = 0;
    const char *config_path = NULL;
    int kept = 1;
    bool rest = false; /* after "--" every argument is the command's own */

    for (int i = 1; i < *argc; i++) {
        const char *value = NULL;
        int which = -1;
        if (!rest && strcmp(argv[i], "--") == 0) {
            rest = true;
        } else if (!rest) {
            for (size_t k = 0; k < CM_ARRAY_LEN(names) && which < 0; k++) {
                int r = take(*argc, argv, &i, names[k], &value);
                if (r < 0)
                    return usage_error("%s needs a value", names[k]);
                if (r > 0)
                    which = (int)k;
            }
        }
        if (which < 0) {
            argv[kept++] = argv[i];
            continue;
        }
        if (which == 1) {
            if (config_path != NULL)
                return usage_error("--config given more than once");
            config_path = value;
            continue;
        }
        if (nov == MAX_OVERRIDES)
            return usage_error("too many --set, --db and --listen options");
        ov[nov].key = which == 0 ? "db" : which == 3 ? "listen" : NULL;
        ov[nov].value = value;
        nov++;
    }
    argv[kept] = NULL;
    *argc = kept;

    struct cm_err err = {0};
    cm_config_defaults(cfg);
    if (config_path != NULL && cm_config_load_file(cfg, config_path, &err) != CM_OK) {
        cmd_print_err(&err);
        return 2;
    }
    if (cm_config_load_env(cfg, &err) != CM_OK) {
        cmd_print_err(&err);
        return 2;
    }
    for (size_t k = 0; k < nov; k++) {
        char kv[1024];
        const char *arg = ov[k].value;
        if (ov[k].key != NULL) {
            int n = snprintf(kv, sizeof(kv), "%s=%s", ov[k].key, ov[k].value);
            if (n < 0 || (size_t)n >= sizeof(kv))
                return usage_error("--%s: value too long", ov[k].key);
            arg = kv;
        }
        if (cm_config_set(cfg, arg, &err) != CM_OK) {
            cmd_print_err(&err);
            return 2;
        }
    }
    return 0;
}

void
cmd_print_err(const struct cm_err *err)
{
    /* Messages that already name their field (config errors read "file:line: key: reason") are
     * printed as they are; others get "field: " in front, like the API's messages. */
    if (err->field[0] != '\0' && strstr(err->msg, err->field) == NULL)
        fprintf(stderr, "caremap: %s: %s\n", err->field, err->msg);
    else
        fprintf(stderr, "caremap: %s\n", err->msg[0] != '\0' ? err->msg : cm_code_name(err->code));
}
