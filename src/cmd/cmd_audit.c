/*
 * `caremap audit verify|list`: the audit trail from the command line. verify recomputes the hash
 * chain and names the first event that does not fit it, so an edited or deleted row is found
 * without trusting the server that wrote it. list prints events newest first, one per line.
 */
#include "cmd/cmd.h"
#include "model/model.h"
#include "store/store.h"

#include <stdlib.h>
#include <string.h>
#include <unistd.h>

#define PAGE           1000
#define PAGE_ARENA_MAX (32 * 1024 * 1024)
#define LIMIT_DEFAULT  100
#define LIMIT_MAX      10000000

static const char USAGE[] = "usage: caremap audit verify [--db FILE]\n"
                            "       caremap audit list [--child ID] [--limit N] [--db FILE]\n";

static int
usage(void)
{
    fputs(USAGE, stderr);
    return 2;
}

/* Opens an existing database: verifying a mistyped path must not create an empty database and
 * report that its (empty) chain holds. */
static enum cm_code
open_existing(const char *path, struct cm_store **s, struct cm_conn **c, struct cm_err *err)
{
    if (access(path, F_OK) != 0)
        return cm_err_set(err, CM_EIO, "db", "no database at %s", path);
    enum cm_code rc = cm_store_open(path, s, err);
    if (rc != CM_OK)
        return rc;
    rc = cm_store_conn_open(*s, c, err);
    if (rc != CM_OK) {
        cm_store_close(*s);
        *s = NULL;
    }
    return rc;
}

static int
verify(const struct cm_config *cfg, int argc)
{
    if (argc != 2)
        return usage();
    struct cm_err err = {0};
    struct cm_store *s = NULL;
    struct cm_conn *c = NULL;
    int64_t bad = 0, checked = 0;
    enum cm_code rc = open_existing(cfg->db, &s, &c, &err);
    if (rc == CM_OK)
        rc = cm_store_audit_verify(c, &bad, &checked, &err);
    if (c != NULL)
        cm_store_conn_close(c);
    if (s != NULL)
        cm_store_close(s);
    if (rc != CM_OK) {
        cmd_print_err(&err);
        return 1;
    }
    if (bad != 0) {
        printf("audit chain broken at event %lld\n", (long long)bad);
        return 1;
    }
    printf("audit chain holds: %lld events\n", (long long)checked);
    return 0;
}

/* Parses a positive integer argument of at most max. */
static bool
positive(const char *s, long long max, long long *out)
{
    char *end = NULL;
    long long v = strtoll(s, &end, 10);
    if (end == s || *end != '\0' || v < 1 || v > max)
        return false;
    *out = v;
    return true;
}

/* Prints s in double quotes, escaping quotes, backslashes and control characters so that one
 * event stays one line whatever a display name or detail holds. */
static void
print_quoted(const char *s)
{
    putchar('"');
    for (const unsigned char *p = (const unsigned char *)s; *p != '\0'; p++) {
        if (*p == '"' || *p == '\\')
            printf("\\%c", *p);
        else if (*p < 0x20 || *p == 0x7f)
            printf("\\x%02x", *p);
        else
            putchar(*p);
    }
    putchar('"');
}

/* Logfmt-style: values that are free text (the detail, the user's display name) are quoted.
 * Details hold ids and reasons only, never health information (see model.h). */
static void
print_event(const struct cm_audit_event *e)
{
    char at[21];
    cm_time_iso(e->at, at);
    printf("%lld %s user=%lld", (long long)e->id, at, (long long)e->user_id);
    if (e->user_name != NULL) {
        fputs(" user_name=", stdout);
        print_quoted(e->user_name);
    }
    printf(" role=%s action=%s child=%lld outcome=%s",
           e->role == CM_ROLE_NONE ? "none" : cm_role_name(e->role), e->action ? e->action : "",
           (long long)e->child_id, e->outcome ? e->outcome : "");
    if (e->break_glass)
        printf(" break_glass=yes");
    if (e->request_id != NULL)
        printf(" req=%s", e->request_id);
    if (e->detail != NULL) {
        fputs(" detail=", stdout);
        print_quoted(e->detail);
    }
    putchar('\n');
}

static int
list(const struct cm_config *cfg, int argc, char **argv)
{
    long long child = 0, limit = LIMIT_DEFAULT;
    for (int i = 2; i < argc; i++) {
        const char *name = argv[i];
        const char *value = NULL;
        const char *eq = strchr(name, '=');
        size_t nlen = eq ? (size_t)(eq - name) : strlen(name);
        if (eq != NULL)
            value = eq + 1;
        else if (i + 1 < argc)
            value = argv[i + 1];
        bool is_child = nlen == 7 && strncmp(name, "--child", 7) == 0;
        bool is_limit = nlen == 7 && strncmp(name, "--limit", 7) == 0;
        if (!is_child && !is_limit) {
            fprintf(stderr, "caremap: audit list: unknown argument '%s'\n", name);
            return usage();
        }
        if (value == NULL) {
            fprintf(stderr, "caremap: audit list: %.*s needs a value\n", (int)nlen, name);
            return usage();
        }
        if (eq == NULL)
            i++;
        if (is_child && !positive(value, INT64_MAX, &child)) {
            fprintf(stderr, "caremap: --child must be a positive id\n");
            return 2;
        }
        if (is_limit && !positive(value, LIMIT_MAX, &limit)) {
            fprintf(stderr, "caremap: --limit must be between 1 and %d\n", LIMIT_MAX);
            return 2;
        }
    }

    struct cm_err err = {0};
    struct cm_store *s = NULL;
    struct cm_conn *c = NULL;
    enum cm_code rc = open_existing(cfg->db, &s, &c, &err);
    struct cm_arena *a = NULL;
    if (rc == CM_OK && (a = cm_arena_new(PAGE_ARENA_MAX)) == NULL)
        rc = cm_err_set(&err, CM_ENOMEM, "", "out of memory");
    /* Pages through a fixed-size arena so memory does not grow with the length of the trail. A
     * read transaction keeps the pages consistent while a server appends. */
    if (rc == CM_OK)
        rc = cm_store_begin(c, false, &err);
    if (rc == CM_OK) {
        long long done = 0;
        while (rc == CM_OK && done < limit) {
            int want = (int)(limit - done < PAGE ? limit - done : PAGE);
            struct cm_audit_list page = {0};
            rc = cm_store_audit_list(c, child, want, (int)done, &page, a, &err);
            if (rc != CM_OK)
                break;
            for (size_t i = 0; i < page.count; i++)
                print_event(&page.items[i]);
            done += (long long)page.count;
            cm_arena_reset(a);
            if (page.count < (size_t)want)
                break;
        }
        if (rc == CM_OK)
            rc = cm_store_commit(c, &err);
        else
            cm_store_rollback(c);
    }
    cm_arena_free(a);
    if (c != NULL)
        cm_store_conn_close(c);
    if (s != NULL)
        cm_store_close(s);
    if (rc != CM_OK) {
        cmd_print_err(&err);
        return 1;
    }
    return 0;
}

int
cmd_audit(int argc, char **argv)
{
    struct cm_config cfg;
    int urc = cmd_config_from_args(&argc, argv, &cfg);
    if (urc != 0)
        return urc;
    if (argc < 2)
        return usage();
    if (strcmp(argv[1], "verify") == 0)
        return verify(&cfg, argc);
    if (strcmp(argv[1], "list") == 0)
        return list(&cfg, argc, argv);
    if (strcmp(argv[1], "--help") == 0 || strcmp(argv[1], "-h") == 0) {
        fputs(USAGE, stdout);
        return 0;
    }
    fprintf(stderr, "caremap: audit: no subcommand '%s'\n", argv[1]);
    return usage();
}
