/*
 * `caremap user add|passwd|disable|list`: managing sign-ins from the command line, which is how
 * the first administrator is made. Passwords come from standard input, never from argv (argv is
 * visible to every user of the machine in ps and lands in shell history). Every change is audited
 * in the same transaction as user 0, the command line.
 */
#include "access/access.h"
#include "cmd/cmd.h"

#include <sodium.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <termios.h>
#include <unistd.h>

/* A password line may be at most this long; the policy allows 128 characters of up to 4 bytes. */
#define LINE_MAX_BYTES 1024
#define LIST_ARENA_MAX (64 * 1024 * 1024)
#define SMALL_ARENA    (1024 * 1024)

static const char USAGE[] =
    "usage: caremap user add --username U --role ROLE --name \"Display Name\"\n"
    "                        [--language en|es] [--organization ID] [--db FILE]\n"
    "       caremap user passwd USERNAME [--db FILE]\n"
    "       caremap user disable USERNAME [--db FILE]\n"
    "       caremap user list [--db FILE]\n"
    "The password is read from standard input (asked twice on a terminal).\n";

static int
usage(void)
{
    fputs(USAGE, stderr);
    return 2;
}

/* Matches "--name VALUE" or "--name=VALUE" at argv[*i]: 1 with *value set, 0 for another
 * argument, -1 when the value is missing. */
static int
option(int argc, char **argv, int *i, const char *name, const char **value)
{
    size_t n = strlen(name);
    if (strncmp(argv[*i], name, n) != 0)
        return 0;
    if (argv[*i][n] == '=') {
        *value = argv[*i] + n + 1;
        return 1;
    }
    if (argv[*i][n] != '\0')
        return 0;
    if (*i + 1 >= argc)
        return -1;
    *i += 1;
    *value = argv[*i];
    return 1;
}

/* Reads one line of at most LINE_MAX_BYTES-1 bytes into buf, without its line ending. */
static enum cm_code
read_line(FILE *in, char buf[LINE_MAX_BYTES], struct cm_err *err)
{
    if (fgets(buf, LINE_MAX_BYTES, in) == NULL)
        return cm_err_set(err, CM_EINVAL, "password", "no password on standard input");
    size_t len = strlen(buf);
    bool ended = len > 0 && buf[len - 1] == '\n';
    if (!ended && len == LINE_MAX_BYTES - 1 && !feof(in))
        return cm_err_set(err, CM_EINVAL, "password", "the password line is too long");
    while (len > 0 && (buf[len - 1] == '\n' || buf[len - 1] == '\r'))
        buf[--len] = '\0';
    return CM_OK;
}

/* Prompts on the terminal with echo off and reads one line. */
static enum cm_code
read_hidden(const char *prompt, char buf[LINE_MAX_BYTES], struct cm_err *err)
{
    struct termios old;
    bool restore = tcgetattr(STDIN_FILENO, &old) == 0;
    if (restore) {
        struct termios quiet = old;
        quiet.c_lflag &= ~(tcflag_t)ECHO;
        quiet.c_lflag |= ECHONL;
        tcsetattr(STDIN_FILENO, TCSAFLUSH, &quiet);
    }
    fputs(prompt, stderr);
    fflush(stderr);
    enum cm_code rc = read_line(stdin, buf, err);
    if (restore)
        tcsetattr(STDIN_FILENO, TCSAFLUSH, &old);
    return rc;
}

/* The new password: asked twice on a terminal, one line otherwise (a script or a pipe); then the
 * policy. */
static enum cm_code
read_password(char buf[LINE_MAX_BYTES], struct cm_err *err)
{
    enum cm_code rc;
    if (isatty(STDIN_FILENO)) {
        char again[LINE_MAX_BYTES];
        rc = read_hidden("New password: ", buf, err);
        if (rc == CM_OK)
            rc = read_hidden("Same password again: ", again, err);
        if (rc == CM_OK && strcmp(buf, again) != 0)
            rc = cm_err_set(err, CM_EINVAL, "password", "the two passwords differ");
        sodium_memzero(again, sizeof(again));
    } else {
        rc = read_line(stdin, buf, err);
    }
    if (rc == CM_OK)
        rc = cm_access_password_policy(buf, "password", err);
    return rc;
}

/* Reads, checks and hashes the password with the configured argon2id limits. */
static enum cm_code
new_password_hash(const struct cm_config *cfg, char hash[CM_PASSWORD_HASH_MAX], struct cm_err *err)
{
    char pw[LINE_MAX_BYTES];
    enum cm_code rc = read_password(pw, err);
    if (rc == CM_OK)
        rc = cm_access_password_init(cfg->password_opslimit, cfg->password_memlimit, 1, err);
    if (rc == CM_OK) {
        rc = cm_access_password_hash(pw, hash, err);
        cm_access_password_free();
    }
    sodium_memzero(pw, sizeof(pw));
    return rc;
}

/* The database for a command that changes or reads existing users: it must exist already (opening
 * a mistyped path would create an empty database and report nothing wrong). */
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

static void
close_all(struct cm_store *s, struct cm_conn *c)
{
    if (c != NULL)
        cm_store_conn_close(c);
    if (s != NULL)
        cm_store_close(s);
}

/* Appends the command line's audit event for a change to user_id, in the open transaction. */
static enum cm_code
audit(struct cm_conn *c, const char *action, int64_t user_id, const char *extra, struct cm_err *err)
{
    struct cm_arena *a = cm_arena_new(SMALL_ARENA);
    if (a == NULL)
        return cm_err_set(err, CM_ENOMEM, "", "out of memory");
    char detail[128];
    snprintf(detail, sizeof(detail), "user=%lld%s%s", (long long)user_id, extra ? " " : "",
             extra ? extra : "");
    struct cm_audit_event ev = {
        .at = cm_time_now(),
        .user_id = 0,
        .role = CM_ROLE_NONE,
        .action = action,
        .outcome = "ok",
        .request_id = "cli",
        .detail = detail,
    };
    enum cm_code rc = cm_store_audit_append(c, &ev, 1, a, err);
    cm_arena_free(a);
    return rc;
}

/* The program users join: the first one, made ("caremap") when the database has none. */
static enum cm_code
program_of_new_user(struct cm_conn *c, int64_t *id, struct cm_err *err)
{
    struct cm_err e = {0};
    *id = 0;
    enum cm_code rc = cm_store_program_first(c, id, &e);
    if (rc == CM_OK && *id > 0)
        return CM_OK;
    if (rc != CM_OK && rc != CM_ENOTFOUND)
        return cm_err_set(err, rc, e.field, "%s", e.msg);
    return cm_store_program_create(c, "caremap", id, err);
}

static int
user_add(const struct cm_config *cfg, int argc, char **argv)
{
    const char *username = NULL, *role_name = NULL, *name = NULL, *language = "en", *org = NULL;
    for (int i = 2; i < argc; i++) {
        const char *v = NULL;
        int r;
        if ((r = option(argc, argv, &i, "--username", &v)) != 0)
            username = v;
        else if ((r = option(argc, argv, &i, "--role", &v)) != 0)
            role_name = v;
        else if ((r = option(argc, argv, &i, "--name", &v)) != 0)
            name = v;
        else if ((r = option(argc, argv, &i, "--language", &v)) != 0)
            language = v;
        else if ((r = option(argc, argv, &i, "--organization", &v)) != 0)
            org = v;
        else {
            fprintf(stderr, "caremap: user add: unknown argument '%s'\n", argv[i]);
            return usage();
        }
        if (r < 0) {
            fprintf(stderr, "caremap: user add: %s needs a value\n", argv[i]);
            return usage();
        }
    }
    if (username == NULL || role_name == NULL || name == NULL) {
        fprintf(stderr, "caremap: user add needs --username, --role and --name\n");
        return usage();
    }

    struct cm_err err = {0};
    struct cm_user u = {0};
    u.username = username;
    u.display_name = name;
    u.language = language;
    if (cm_role_parse(role_name, &u.role, "role", &err) != CM_OK) {
        cmd_print_err(&err);
        return 2;
    }
    if (org != NULL) {
        char *end = NULL;
        long long id = strtoll(org, &end, 10);
        if (end == org || *end != '\0' || id <= 0) {
            fprintf(stderr, "caremap: --organization must be a positive id\n");
            return 2;
        }
        u.organization_id = id;
    }
    /* Validate before asking for a password, so a typo does not cost one. */
    if (cm_model_user_validate(&u, &err) != CM_OK) {
        cmd_print_err(&err);
        return 2;
    }

    char hash[CM_PASSWORD_HASH_MAX];
    if (new_password_hash(cfg, hash, &err) != CM_OK) {
        cmd_print_err(&err);
        return 1;
    }
    u.password_hash = hash;

    /* A new database is fine here: making the first administrator is how an installation starts. */
    struct cm_store *s = NULL;
    struct cm_conn *c = NULL;
    enum cm_code rc = cm_store_open(cfg->db, &s, &err);
    if (rc == CM_OK)
        rc = cm_store_conn_open(s, &c, &err);
    if (rc == CM_OK)
        rc = cm_store_begin(c, true, &err);
    if (rc == CM_OK) {
        rc = program_of_new_user(c, &u.program_id, &err);
        if (rc == CM_OK)
            rc = cm_store_user_create(c, &u, 0, &err);
        char extra[64];
        snprintf(extra, sizeof(extra), "role=%s", cm_role_name(u.role));
        if (rc == CM_OK)
            rc = audit(c, "user.create", u.meta.id, extra, &err);
        if (rc == CM_OK)
            rc = cm_store_commit(c, &err);
        if (rc != CM_OK)
            cm_store_rollback(c);
    }
    close_all(s, c);
    sodium_memzero(hash, sizeof(hash));
    if (rc != CM_OK) {
        if (rc == CM_ECONFLICT && err.msg[0] == '\0')
            fprintf(stderr, "caremap: username '%s' is taken\n", username);
        else
            cmd_print_err(&err);
        return 1;
    }
    printf("created user %lld %s (%s)\n", (long long)u.meta.id, username, cm_role_name(u.role));
    return 0;
}

/* Finds USERNAME (argv[2]) in an open transaction and runs change on it. */
static int
user_change(const struct cm_config *cfg, int argc, char **argv, bool password)
{
    if (argc != 3) {
        fprintf(stderr, "caremap: user %s needs exactly one USERNAME\n", argv[1]);
        return usage();
    }
    const char *username = argv[2];
    struct cm_err err = {0};
    char hash[CM_PASSWORD_HASH_MAX] = {0};
    struct cm_store *s = NULL;
    struct cm_conn *c = NULL;
    enum cm_code rc = open_existing(cfg->db, &s, &c, &err);
    if (rc != CM_OK) {
        cmd_print_err(&err);
        return 1;
    }
    struct cm_arena *a = cm_arena_new(SMALL_ARENA);
    if (a == NULL)
        rc = cm_err_set(&err, CM_ENOMEM, "", "out of memory");
    struct cm_user u = {0};
    bool already = false;
    /* Look the user up before asking for a password, so a typo does not cost one; then hash
     * before the write transaction: argon2 takes a while and holding the database's write lock
     * through it would stall a running server's writes. */
    if (rc == CM_OK && password) {
        rc = cm_store_user_by_username(c, username, &u, a, &err);
        if (rc == CM_ENOTFOUND) {
            cm_err_clear(&err);
            rc = cm_err_set(&err, CM_ENOTFOUND, "", "no user '%s'", username);
        }
        if (rc == CM_OK)
            rc = new_password_hash(cfg, hash, &err);
    }
    if (rc == CM_OK)
        rc = cm_store_begin(c, true, &err);
    if (rc == CM_OK) {
        rc = cm_store_user_by_username(c, username, &u, a, &err);
        if (rc == CM_ENOTFOUND) {
            cm_err_clear(&err);
            rc = cm_err_set(&err, CM_ENOTFOUND, "", "no user '%s'", username);
        }
        if (rc == CM_OK && password) {
            rc = cm_store_user_set_password(c, u.meta.id, hash, 0, &err);
            if (rc == CM_OK)
                rc = audit(c, "user.password", u.meta.id, NULL, &err);
        } else if (rc == CM_OK && u.disabled) {
            already = true;
        } else if (rc == CM_OK) {
            u.disabled = true;
            rc = cm_store_user_update(c, &u, 0, &err);
            if (rc == CM_OK)
                rc = audit(c, "user.disable", u.meta.id, NULL, &err);
        }
        if (rc == CM_OK)
            rc = cm_store_commit(c, &err);
        if (rc != CM_OK)
            cm_store_rollback(c);
    }
    int64_t id = u.meta.id;
    cm_arena_free(a);
    close_all(s, c);
    sodium_memzero(hash, sizeof(hash));
    if (rc != CM_OK) {
        cmd_print_err(&err);
        return 1;
    }
    if (password)
        printf("password changed for user %lld %s; their sessions were ended\n", (long long)id,
               username);
    else if (already)
        printf("user %lld %s was already disabled\n", (long long)id, username);
    else
        printf("disabled user %lld %s; their sessions were ended\n", (long long)id, username);
    return 0;
}

static int
user_list(const struct cm_config *cfg, int argc)
{
    if (argc != 2)
        return usage();
    struct cm_err err = {0};
    struct cm_store *s = NULL;
    struct cm_conn *c = NULL;
    enum cm_code rc = open_existing(cfg->db, &s, &c, &err);
    if (rc != CM_OK) {
        cmd_print_err(&err);
        return 1;
    }
    struct cm_arena *a = cm_arena_new(LIST_ARENA_MAX);
    struct cm_user_list list = {0};
    int64_t program = 0;
    if (a == NULL)
        rc = cm_err_set(&err, CM_ENOMEM, "", "out of memory");
    if (rc == CM_OK) {
        rc = cm_store_program_first(c, &program, &err);
        if (rc == CM_ENOTFOUND) { /* no program yet: no users either */
            cm_err_clear(&err);
            rc = CM_OK;
            program = 0;
        }
    }
    if (rc == CM_OK && program > 0)
        rc = cm_store_user_list(c, program, &list, a, &err);
    if (rc == CM_OK) {
        /* Columns sized to their widest value; the display name may hold spaces, so the fixed
         * columns come first and "disabled" last after it. */
        int wu = 8, wr = 4, wn = 12;
        for (size_t i = 0; i < list.count; i++) {
            const struct cm_user *u = &list.items[i];
            int lu = (int)strlen(u->username), lr = (int)strlen(cm_role_name(u->role)),
                ln = (int)strlen(u->display_name ? u->display_name : "");
            wu = lu > wu ? lu : wu;
            wr = lr > wr ? lr : wr;
            wn = ln > wn ? ln : wn;
        }
        printf("%-6s  %-*s  %-*s  %-*s  %s\n", "ID", wu, "USERNAME", wr, "ROLE", wn, "DISPLAY NAME",
               "DISABLED");
        for (size_t i = 0; i < list.count; i++) {
            const struct cm_user *u = &list.items[i];
            printf("%-6lld  %-*s  %-*s  %-*s  %s\n", (long long)u->meta.id, wu, u->username, wr,
                   cm_role_name(u->role), wn, u->display_name ? u->display_name : "",
                   u->disabled ? "yes" : "no");
        }
    }
    cm_arena_free(a);
    close_all(s, c);
    if (rc != CM_OK) {
        cmd_print_err(&err);
        return 1;
    }
    return 0;
}

int
cmd_user(int argc, char **argv)
{
    struct cm_config cfg;
    int urc = cmd_config_from_args(&argc, argv, &cfg);
    if (urc != 0)
        return urc;
    if (argc < 2)
        return usage();
    const char *sub = argv[1];
    if (strcmp(sub, "add") == 0)
        return user_add(&cfg, argc, argv);
    if (strcmp(sub, "passwd") == 0)
        return user_change(&cfg, argc, argv, true);
    if (strcmp(sub, "disable") == 0)
        return user_change(&cfg, argc, argv, false);
    if (strcmp(sub, "list") == 0)
        return user_list(&cfg, argc);
    if (strcmp(sub, "--help") == 0 || strcmp(sub, "-h") == 0) {
        fputs(USAGE, stdout);
        return 0;
    }
    fprintf(stderr, "caremap: user: no subcommand '%s'\n", sub);
    return usage();
}
