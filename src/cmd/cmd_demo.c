/*
 * `caremap demo [--db FILE] [--seed N]`: loads the synthetic Riverbend Complex Care Program into a
 * new database (demo_build.c does the work) and prints what it loaded and how to sign in.
 */
#include "access/access.h"
#include "cmd/cmd.h"
#include "cmd/demo_build.h"
#include "cmd/demo_identify.h"
#include "store/store.h"

#include <errno.h>
#include <stdlib.h>
#include <string.h>

/* The builder's strings (names, dates, the plan) stay well under this. */
#define DEMO_ARENA_MAX (64u * 1024u * 1024u)

static int
usage(void)
{
    fprintf(stderr, "usage: caremap demo [--db FILE] [--seed N]\n");
    return 2;
}

/* A decimal number from 0 to 2^64-1 and nothing else (strtoull alone accepts "-1" and " 7"). */
static bool
parse_seed(const char *s, uint64_t *out)
{
    if (s == NULL || *s == '\0')
        return false;
    for (const char *p = s; *p != '\0'; p++) {
        if (*p < '0' || *p > '9')
            return false;
    }
    errno = 0;
    char *end = NULL;
    unsigned long long v = strtoull(s, &end, 10);
    if (errno != 0 || end == NULL || *end != '\0')
        return false;
    *out = (uint64_t)v;
    return true;
}

/* Parses what cmd_config_from_args left: only --seed. Returns 0, or the usage exit code. */
static int
parse_args(int argc, char **argv, uint64_t *seed)
{
    for (int i = 1; i < argc; i++) {
        const char *value = NULL;
        if (strcmp(argv[i], "--seed") == 0) {
            if (i + 1 >= argc) {
                fprintf(stderr, "caremap: --seed needs a value\n");
                return usage();
            }
            value = argv[++i];
        } else if (strncmp(argv[i], "--seed=", 7) == 0) {
            value = argv[i] + 7;
        } else {
            fprintf(stderr, "caremap: demo: unknown argument '%s'\n", argv[i]);
            return usage();
        }
        if (!parse_seed(value, seed)) {
            fprintf(stderr, "caremap: --seed must be a whole number from 0 to %llu, got '%s'\n",
                    (unsigned long long)UINT64_MAX, value);
            return 2;
        }
    }
    return 0;
}

/* Prints s left-aligned in a column of width characters (not bytes: "Verónica" is 8 wide). */
static void
column(const char *s, int width)
{
    int n = 0;
    for (const unsigned char *p = (const unsigned char *)s; *p != '\0'; p++)
        n += (*p & 0xC0) != 0x80;
    fputs(s, stdout);
    for (; n < width; n++)
        putchar(' ');
}

static void
print_summary(const struct cmd_demo_summary *s, const struct cm_config *cfg, uint64_t seed,
              double ms)
{
    printf("Loaded the demo program \"%s\" into %s (seed %llu) in %.1f s.\n\n",
           CMD_DEMO_PROGRAM_NAME, cfg->db, (unsigned long long)seed, ms / 1000.0);
    printf("  organisations            %zu\n", s->organizations);
    printf("  users                    %zu (%zu staff, %zu family accounts)\n",
           s->staff_users + s->family_users, s->staff_users, s->family_users);
    printf("  children                 %zu (%zu without a designated lead coordinator)\n",
           s->children, s->children_without_lead);
    printf("  family members           %zu\n", s->family_members);
    printf("  care-team relationships  %zu (%zu active, %zu ended; %zu children have two "
           "providers of one service)\n\n",
           s->relationships, s->active_relationships, s->ended_relationships,
           s->children_with_duplicates);
    printf("Sign in at %s as any of these (synthetic accounts), password: %s\n\n", cfg->public_url,
           CMD_DEMO_PASSWORD);
    printf("  %-18s %-26s %-24s %s\n", "username", "role", "name", "organisation or child");
    for (size_t i = 0; i < s->signin_count; i++) {
        const struct cmd_demo_signin *x = &s->signins[i];
        printf("  %-18s %-26s ", x->username, x->role);
        column(x->display_name, 24);
        printf(" %s\n", x->note);
    }
    printf("\nStart the server with: caremap serve --db %s\n", cfg->db);
}

int
cmd_demo(int argc, char **argv)
{
    struct cm_config cfg;
    int code = cmd_config_from_args(&argc, argv, &cfg);
    if (code != 0)
        return code;
    uint64_t seed = 1;
    code = parse_args(argc, argv, &seed);
    if (code != 0)
        return code;
    enum cm_log_level level;
    if (cm_log_level_parse(cfg.log_level, &level) == CM_OK)
        cm_log_set_level(level);

    struct cm_err err = {0};
    struct cm_store *store = NULL;
    struct cm_conn *conn = NULL;
    struct cm_arena *arena = NULL;
    bool passwords = false;
    struct cmd_demo_summary sum;
    struct cmd_demo_identify_summary ids;
    double t0 = 0;
    code = 1;

    if (cm_access_password_init(cfg.password_opslimit, cfg.password_memlimit,
                                cfg.password_concurrency, &err) != CM_OK)
        goto out;
    passwords = true;
    if (cm_store_open(cfg.db, &store, &err) != CM_OK ||
        cm_store_conn_open(store, &conn, &err) != CM_OK)
        goto out;
    arena = cm_arena_new(DEMO_ARENA_MAX);
    if (arena == NULL) {
        cm_err_set(&err, CM_ENOMEM, "", "out of memory");
        goto out;
    }
    t0 = cm_time_mono_ms();
    if (cmd_demo_build(conn, seed, cm_time_now(), &sum, arena, &err) != CM_OK)
        goto out;
    /* Two identification runs, so "Find children" has candidates to show (demo_identify.h). */
    if (cmd_demo_identify(&cfg, conn, seed, cm_time_now(), &ids, &err) != CM_OK)
        goto out;
    double ms = cm_time_mono_ms() - t0;
    cm_log_info("event=demo.load program=%lld seed=%llu children=%zu relationships=%zu ms=%.0f",
                (long long)sum.program_id, (unsigned long long)seed, sum.children,
                sum.relationships, ms);
    print_summary(&sum, &cfg, seed, ms);
    cmd_demo_identify_print(&ids, stdout);
    code = 0;

out:
    if (code != 0)
        cmd_print_err(&err);
    cm_arena_free(arena);
    if (conn != NULL)
        cm_store_conn_close(conn);
    if (store != NULL)
        cm_store_close(store);
    if (passwords)
        cm_access_password_free();
    return code;
}
