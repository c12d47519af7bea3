/* Unit tests for the configuration table: defaults, the INI file, the environment, --set, the
 * dump, and the command-line glue that puts them in order (cmd_config_from_args, caremap config).
 */
#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>

#include <cmocka.h>

#include "cmd/cmd.h"
#include "core/core.h"

#include <fcntl.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>

/* Each test gets its own scratch directory, removed afterwards. */
struct fixture {
    char dir[64];
    char path[128];
};

static int
setup(void **state)
{
    struct fixture *f = calloc(1, sizeof(*f));
    if (f == NULL)
        return -1;
    snprintf(f->dir, sizeof(f->dir), "/tmp/caremap-test-config-XXXXXX");
    if (mkdtemp(f->dir) == NULL) {
        free(f);
        return -1;
    }
    snprintf(f->path, sizeof(f->path), "%s/caremap.ini", f->dir);
    /* The settings variables a test sets are its own; start without any. */
    unsetenv("CAREMAP_THREADS");
    unsetenv("CAREMAP_DB");
    unsetenv("CAREMAP_LOG_LEVEL");
    unsetenv("CAREMAP_BOGUS");
    unsetenv("caremap_threads");
    *state = f;
    return 0;
}

static int
teardown(void **state)
{
    struct fixture *f = *state;
    unlink(f->path);
    rmdir(f->dir);
    free(f);
    unsetenv("CAREMAP_THREADS");
    unsetenv("CAREMAP_DB");
    unsetenv("CAREMAP_LOG_LEVEL");
    unsetenv("CAREMAP_BOGUS");
    return 0;
}

static const char *
write_file(void **state, const char *text)
{
    struct fixture *f = *state;
    FILE *fp = fopen(f->path, "w");
    assert_non_null(fp);
    assert_int_equal(fputs(text, fp) >= 0, 1);
    assert_int_equal(fclose(fp), 0);
    return f->path;
}

/* Index of each key in the table, as cm_config_dump lists them: the order of struct cm_config. */
enum {
    K_DB,
    K_LISTEN,
    K_PUBLIC_URL,
    K_LOG_LEVEL,
    K_THREADS,
    K_CONN_LIMIT,
    K_PER_IP,
    K_CONN_TIMEOUT,
    K_BODY_MAX,
    K_ARENA_MAX,
    K_MHD_MEMORY,
    K_SESSION_IDLE,
    K_SESSION_ABS,
    K_LOGIN_MAX,
    K_LOGIN_WINDOW,
    K_BREAK_GLASS,
    K_PW_OPS,
    K_PW_MEM,
    K_PW_CONC,
    K_AUDIT_BATCH,
    K_READABILITY_TARGET,
    K_PLAN_REVIEW_INTERVAL,
    K_COUNT
};

static char *
dump_to_string(const struct cm_config *cfg)
{
    char *text = NULL;
    size_t len = 0;
    FILE *mem = open_memstream(&text, &len);
    assert_non_null(mem);
    cm_config_dump(cfg, mem);
    assert_int_equal(fclose(mem), 0);
    return text;
}

/* ---- defaults -------------------------------------------------------------------------------- */

static void
test_defaults_are_the_documented_values(void **state)
{
    (void)state;
    struct cm_config c;
    memset(&c, 0x5A, sizeof(c));
    cm_config_defaults(&c);
    assert_string_equal(c.db, "caremap.db");
    assert_string_equal(c.listen, "127.0.0.1:8080");
    assert_string_equal(c.public_url, "http://127.0.0.1:8080");
    assert_string_equal(c.log_level, "info");
    assert_int_equal(c.threads, 4);
    assert_int_equal(c.conn_limit, 1024);
    assert_int_equal(c.per_ip_conn_limit, 256);
    assert_int_equal(c.conn_timeout_s, 30);
    assert_int_equal(c.body_max_bytes, 64 * 1024);
    assert_int_equal(c.arena_max_bytes, 8 * 1024 * 1024);
    assert_int_equal(c.mhd_memory_bytes, 64 * 1024);
    assert_int_equal(c.session_idle_min, 30);
    assert_int_equal(c.session_absolute_h, 12);
    assert_int_equal(c.login_max_failures, 5);
    assert_int_equal(c.login_window_s, 900);
    assert_int_equal(c.break_glass_min, 60);
    assert_int_equal(c.password_opslimit, 2);
    assert_int_equal(c.password_memlimit, 19 * 1024 * 1024);
    assert_int_equal(c.password_concurrency, 2);
    assert_int_equal(c.audit_batch_max, 256);
    assert_int_equal(c.readability_target_grade, 6);
    assert_int_equal(c.plan_review_interval_months, 6);
    for (int i = 0; i < K_COUNT; i++)
        assert_int_equal(c.source[i], CM_CFG_DEFAULT);
}

static void
test_dump_of_defaults_lists_every_key_once_as_default(void **state)
{
    (void)state;
    struct cm_config c;
    cm_config_defaults(&c);
    char *text = dump_to_string(&c);
    int lines = 0;
    for (char *p = text; *p != '\0'; p++)
        lines += *p == '\n';
    assert_int_equal(lines, K_COUNT);
    assert_non_null(strstr(text, "db = caremap.db  # default\n"));
    assert_non_null(strstr(text, "threads = 4  # default\n"));
    assert_non_null(strstr(text, "body_max_bytes = 64K  # default\n"));
    assert_non_null(strstr(text, "password_memlimit = 19M  # default\n"));
    assert_null(strstr(text, "# file"));
    free(text);
}

/* ---- the file -------------------------------------------------------------------------------- */

static void
test_file_without_a_section_sets_keys(void **state)
{
    const char *path = write_file(state, "# a comment\n; another\n\nthreads = 8\ndb = /srv/x.db\n");
    struct cm_config c;
    struct cm_err err = {0};
    cm_config_defaults(&c);
    assert_int_equal(cm_config_load_file(&c, path, &err), CM_OK);
    assert_int_equal(c.threads, 8);
    assert_string_equal(c.db, "/srv/x.db");
    assert_int_equal(c.source[K_THREADS], CM_CFG_FILE);
    assert_int_equal(c.source[K_DB], CM_CFG_FILE);
    assert_int_equal(c.source[K_LISTEN], CM_CFG_DEFAULT);
}

static void
test_file_with_a_caremap_section_sets_keys(void **state)
{
    const char *path = write_file(state, "[caremap]\nlog_level = debug\r\nconn_limit=99 ; why\n");
    struct cm_config c;
    struct cm_err err = {0};
    cm_config_defaults(&c);
    assert_int_equal(cm_config_load_file(&c, path, &err), CM_OK);
    assert_string_equal(c.log_level, "debug");
    assert_int_equal(c.conn_limit, 99);
}

static void
test_file_unknown_key_error_names_file_line_and_key(void **state)
{
    const char *path = write_file(state, "threads = 2\n\nbogus_key = 1\n");
    struct cm_config c;
    struct cm_err err = {0};
    cm_config_defaults(&c);
    assert_int_equal(cm_config_load_file(&c, path, &err), CM_EINVAL);
    char want[256];
    snprintf(want, sizeof(want), "%s:3: bogus_key: unknown setting", path);
    assert_string_equal(err.msg, want);
    assert_string_equal(err.field, "bogus_key");
}

static void
test_file_key_in_another_section_is_an_unknown_setting(void **state)
{
    const char *path = write_file(state, "[caremap]\nthreads = 2\n[server]\nthreads = 3\n");
    struct cm_config c;
    struct cm_err err = {0};
    cm_config_defaults(&c);
    assert_int_equal(cm_config_load_file(&c, path, &err), CM_EINVAL);
    char want[256];
    snprintf(want, sizeof(want), "%s:4: threads: unknown setting", path);
    assert_memory_equal(err.msg, want, strlen(want));
    assert_non_null(strstr(err.msg, "[server]"));
}

static void
test_file_bad_integer_says_the_allowed_range(void **state)
{
    const char *bad[] = {"threads = many\n",
                         "threads = 0\n",
                         "threads = 257\n",
                         "threads = 4x\n",
                         "threads = \n",
                         "threads = 0x10\n",
                         "threads = 99999999999999999999\n"};
    for (size_t i = 0; i < CM_ARRAY_LEN(bad); i++) {
        const char *path = write_file(state, bad[i]);
        struct cm_config c;
        struct cm_err err = {0};
        cm_config_defaults(&c);
        assert_int_equal(cm_config_load_file(&c, path, &err), CM_EINVAL);
        char want[256];
        snprintf(want, sizeof(want), "%s:1: threads: must be an integer between 1 and 256", path);
        assert_string_equal(err.msg, want);
        assert_string_equal(err.field, "threads");
        assert_int_equal(c.threads, 4);
        assert_int_equal(c.source[K_THREADS], CM_CFG_DEFAULT);
    }
}

static void
test_file_line_that_is_not_a_setting_is_an_error_with_its_line(void **state)
{
    const char *path = write_file(state, "threads = 2\njust words\n");
    struct cm_config c;
    struct cm_err err = {0};
    cm_config_defaults(&c);
    assert_int_equal(cm_config_load_file(&c, path, &err), CM_EINVAL);
    char want[256];
    snprintf(want, sizeof(want), "%s:2: ", path);
    assert_memory_equal(err.msg, want, strlen(want));
}

static void
test_file_that_is_missing_is_an_io_error_naming_it(void **state)
{
    struct fixture *f = *state;
    char path[200];
    snprintf(path, sizeof(path), "%s/absent.ini", f->dir);
    struct cm_config c;
    struct cm_err err = {0};
    cm_config_defaults(&c);
    assert_int_equal(cm_config_load_file(&c, path, &err), CM_EIO);
    assert_non_null(strstr(err.msg, path));
}

static void
test_file_line_too_long_for_the_parser_is_an_error_not_a_split(void **state)
{
    /* The parser's buffer is a few hundred bytes; a cut line must not leave its tail to be read as
     * a line of its own. */
    char text[700];
    memset(text, 'a', sizeof(text));
    memcpy(text, "db = /", 6);
    memcpy(text + 500, "threads = 9\nthreads = 8\n", 25);
    const char *path = write_file(state, text);
    struct cm_config c;
    struct cm_err err = {0};
    cm_config_defaults(&c);
    assert_int_equal(cm_config_load_file(&c, path, &err), CM_EINVAL);
    char want[256];
    snprintf(want, sizeof(want), "%s:1: line longer than", path);
    assert_memory_equal(err.msg, want, strlen(want));
}

/* ---- environment ----------------------------------------------------------------------------- */

static void
test_env_variable_overrides_the_default(void **state)
{
    (void)state;
    setenv("CAREMAP_THREADS", "16", 1);
    setenv("CAREMAP_LOG_LEVEL", "warn", 1);
    struct cm_config c;
    struct cm_err err = {0};
    cm_config_defaults(&c);
    assert_int_equal(cm_config_load_env(&c, &err), CM_OK);
    assert_int_equal(c.threads, 16);
    assert_string_equal(c.log_level, "warn");
    assert_int_equal(c.source[K_THREADS], CM_CFG_ENV);
    assert_int_equal(c.source[K_LOG_LEVEL], CM_CFG_ENV);
    assert_int_equal(c.source[K_DB], CM_CFG_DEFAULT);
}

static void
test_env_unknown_caremap_variable_is_an_error_naming_it(void **state)
{
    (void)state;
    setenv("CAREMAP_BOGUS", "1", 1);
    struct cm_config c;
    struct cm_err err = {0};
    cm_config_defaults(&c);
    assert_int_equal(cm_config_load_env(&c, &err), CM_EINVAL);
    assert_non_null(strstr(err.msg, "CAREMAP_BOGUS"));
    assert_non_null(strstr(err.msg, "unknown setting"));
}

static void
test_env_variables_of_the_test_harness_are_ignored(void **state)
{
    (void)state;
    setenv("CAREMAP_SOURCE_DIR", "/somewhere", 0);
    setenv("CAREMAP_TEST_TMP", "/tmp", 0);
    struct cm_config c;
    struct cm_err err = {0};
    cm_config_defaults(&c);
    assert_int_equal(cm_config_load_env(&c, &err), CM_OK);
    for (int i = 0; i < K_COUNT; i++)
        assert_int_equal(c.source[i], CM_CFG_DEFAULT);
}

static void
test_env_bad_value_names_the_variable_and_the_range(void **state)
{
    (void)state;
    setenv("CAREMAP_THREADS", "1000", 1);
    struct cm_config c;
    struct cm_err err = {0};
    cm_config_defaults(&c);
    assert_int_equal(cm_config_load_env(&c, &err), CM_EINVAL);
    assert_string_equal(err.msg, "CAREMAP_THREADS: must be an integer between 1 and 256");
    assert_int_equal(c.threads, 4);
}

/* ---- --set and precedence -------------------------------------------------------------------- */

static void
test_set_applies_one_key(void **state)
{
    (void)state;
    struct cm_config c;
    struct cm_err err = {0};
    cm_config_defaults(&c);
    assert_int_equal(cm_config_set(&c, "public_url=https://care.example.org", &err), CM_OK);
    assert_string_equal(c.public_url, "https://care.example.org");
    assert_int_equal(c.source[K_PUBLIC_URL], CM_CFG_SET);
    /* The value may itself hold '='. */
    assert_int_equal(cm_config_set(&c, "db=/tmp/a=b.db", &err), CM_OK);
    assert_string_equal(c.db, "/tmp/a=b.db");
}

static void
test_set_errors_name_the_key(void **state)
{
    (void)state;
    struct cm_config c;
    struct cm_err err = {0};
    cm_config_defaults(&c);
    assert_int_equal(cm_config_set(&c, "threads", &err), CM_EINVAL);
    assert_string_equal(err.msg, "--set threads: must be KEY=VALUE");
    cm_err_clear(&err);
    assert_int_equal(cm_config_set(&c, "=3", &err), CM_EINVAL);
    cm_err_clear(&err);
    assert_int_equal(cm_config_set(&c, "nonsense=3", &err), CM_EINVAL);
    assert_string_equal(err.msg, "--set nonsense: unknown setting");
    cm_err_clear(&err);
    assert_int_equal(cm_config_set(&c, "conn_timeout_s=0", &err), CM_EINVAL);
    assert_string_equal(err.msg, "--set conn_timeout_s: must be an integer between 1 and 3600");
    assert_string_equal(err.field, "conn_timeout_s");
}

static void
test_string_settings_are_checked(void **state)
{
    (void)state;
    const char *bad[] = {
        "log_level=verbose", "listen=localhost",           "listen=127.0.0.1:65536", "listen=:8080",
        "listen=127.0.0.1:", "public_url=ftp://x.example", "public_url=http://a b",  "db=",
        "log_level=",
    };
    for (size_t i = 0; i < CM_ARRAY_LEN(bad); i++) {
        struct cm_config c;
        struct cm_err err = {0};
        cm_config_defaults(&c);
        assert_int_equal(cm_config_set(&c, bad[i], &err), CM_EINVAL);
    }
    const char *good[] = {"listen=127.0.0.1:0", "listen=[::1]:8443", "log_level=OFF",
                          "public_url=https://care.example.org/caremap"};
    for (size_t i = 0; i < CM_ARRAY_LEN(good); i++) {
        struct cm_config c;
        struct cm_err err = {0};
        cm_config_defaults(&c);
        assert_int_equal(cm_config_set(&c, good[i], &err), CM_OK);
    }
}

static void
test_string_longer_than_its_field_is_refused_not_cut(void **state)
{
    (void)state;
    char kv[700] = "db=";
    memset(kv + 3, 'd', 600);
    kv[603] = '\0';
    struct cm_config c;
    struct cm_err err = {0};
    cm_config_defaults(&c);
    assert_int_equal(cm_config_set(&c, kv, &err), CM_EINVAL);
    assert_string_equal(err.msg, "--set db: must be 1 to 511 bytes long");
    assert_string_equal(c.db, "caremap.db");
}

static void
test_set_wins_over_env_which_wins_over_file(void **state)
{
    const char *path = write_file(state, "threads = 2\ndb = file.db\nconn_limit = 10\n");
    setenv("CAREMAP_THREADS", "3", 1);
    setenv("CAREMAP_DB", "env.db", 1);
    struct cm_config c;
    struct cm_err err = {0};
    cm_config_defaults(&c);
    assert_int_equal(cm_config_load_file(&c, path, &err), CM_OK);
    assert_int_equal(cm_config_load_env(&c, &err), CM_OK);
    assert_int_equal(cm_config_set(&c, "threads=5", &err), CM_OK);
    assert_int_equal(c.threads, 5);
    assert_int_equal(c.source[K_THREADS], CM_CFG_SET);
    assert_string_equal(c.db, "env.db");
    assert_int_equal(c.source[K_DB], CM_CFG_ENV);
    assert_int_equal(c.conn_limit, 10);
    assert_int_equal(c.source[K_CONN_LIMIT], CM_CFG_FILE);
}

static void
test_dump_shows_each_value_with_its_source(void **state)
{
    const char *path = write_file(state, "db = file.db\n");
    setenv("CAREMAP_LOG_LEVEL", "warn", 1);
    struct cm_config c;
    struct cm_err err = {0};
    cm_config_defaults(&c);
    assert_int_equal(cm_config_load_file(&c, path, &err), CM_OK);
    assert_int_equal(cm_config_load_env(&c, &err), CM_OK);
    assert_int_equal(cm_config_set(&c, "threads=5", &err), CM_OK);
    char *text = dump_to_string(&c);
    assert_non_null(strstr(text, "db = file.db  # file\n"));
    assert_non_null(strstr(text, "log_level = warn  # env\n"));
    assert_non_null(strstr(text, "threads = 5  # set\n"));
    assert_non_null(strstr(text, "listen = 127.0.0.1:8080  # default\n"));
    assert_int_equal(strncmp(text, "db = ", 5), 0);
    free(text);
}

static void
test_dump_reads_back_as_a_config_file(void **state)
{
    struct cm_config c;
    struct cm_err err = {0};
    cm_config_defaults(&c);
    assert_int_equal(cm_config_set(&c, "threads=7", &err), CM_OK);
    assert_int_equal(cm_config_set(&c, "body_max_bytes=100000", &err), CM_OK);
    assert_int_equal(cm_config_set(&c, "arena_max_bytes=2G", &err), CM_EINVAL);
    cm_err_clear(&err);
    assert_int_equal(cm_config_set(&c, "arena_max_bytes=1G", &err), CM_OK);
    char *text = dump_to_string(&c);
    const char *path = write_file(state, text);
    free(text);
    struct cm_config back;
    cm_config_defaults(&back);
    assert_int_equal(cm_config_load_file(&back, path, &err), CM_OK);
    assert_int_equal(back.threads, 7);
    assert_int_equal(back.body_max_bytes, 100000);
    assert_int_equal(back.arena_max_bytes, 1024 * 1024 * 1024);
    assert_string_equal(back.listen, c.listen);
    assert_int_equal(back.source[K_LISTEN], CM_CFG_FILE);
}

/* ---- sizes ----------------------------------------------------------------------------------- */

static void
test_size_suffixes_are_powers_of_1024(void **state)
{
    (void)state;
    struct {
        const char *kv;
        int64_t want;
    } cases[] = {
        {"body_max_bytes=128K", 128 * 1024}, {"body_max_bytes=2M", 2 * 1024 * 1024},
        {"body_max_bytes=4096", 4096},       {"body_max_bytes=64k", 64 * 1024},
        {"arena_max_bytes=1G", 1 << 30},     {"mhd_memory_bytes=16K", 16 * 1024},
        {"password_memlimit=8K", 8192},      {"password_memlimit=64m", 64 << 20},
    };
    for (size_t i = 0; i < CM_ARRAY_LEN(cases); i++) {
        struct cm_config c;
        struct cm_err err = {0};
        cm_config_defaults(&c);
        assert_int_equal(cm_config_set(&c, cases[i].kv, &err), CM_OK);
        int64_t got = strncmp(cases[i].kv, "body", 4) == 0    ? c.body_max_bytes
                      : strncmp(cases[i].kv, "arena", 5) == 0 ? c.arena_max_bytes
                      : strncmp(cases[i].kv, "mhd", 3) == 0   ? c.mhd_memory_bytes
                                                              : c.password_memlimit;
        assert_int_equal(got, cases[i].want);
    }
}

static void
test_size_bad_suffix_or_range_is_refused_with_the_range(void **state)
{
    (void)state;
    const char *bad[] = {"body_max_bytes=12Q", "body_max_bytes=K",   "body_max_bytes=-1K",
                         "body_max_bytes=1KB", "body_max_bytes=1 K", "body_max_bytes=65M"};
    for (size_t i = 0; i < CM_ARRAY_LEN(bad); i++) {
        struct cm_config c;
        struct cm_err err = {0};
        cm_config_defaults(&c);
        assert_int_equal(cm_config_set(&c, bad[i], &err), CM_EINVAL);
        assert_non_null(strstr(err.msg, "between 1K and 64M"));
        assert_int_equal(c.body_max_bytes, 64 * 1024);
    }
    struct cm_config c;
    struct cm_err err = {0};
    cm_config_defaults(&c);
    assert_int_equal(cm_config_set(&c, "mhd_memory_bytes=8K", &err), CM_EINVAL);
    assert_string_equal(err.msg, "--set mhd_memory_bytes: must be an integer between 16K and 16M "
                                 "(bytes, or with a K, M or G suffix)");
}

/* ---- command-line glue ----------------------------------------------------------------------- */

static void
test_from_args_consumes_its_options_and_keeps_the_rest_in_order(void **state)
{
    const char *path = write_file(state, "threads = 2\n");
    char *argv[] = {
        "serve",    "--db",       "a.db",   "first", "--set=conn_limit=7", "--listen=127.0.0.1:0",
        "--config", (char *)path, "second", NULL};
    int argc = 9;
    struct cm_config c;
    assert_int_equal(cmd_config_from_args(&argc, argv, &c), 0);
    assert_int_equal(argc, 3);
    assert_string_equal(argv[0], "serve");
    assert_string_equal(argv[1], "first");
    assert_string_equal(argv[2], "second");
    assert_null(argv[3]);
    assert_string_equal(c.db, "a.db");
    assert_int_equal(c.conn_limit, 7);
    assert_string_equal(c.listen, "127.0.0.1:0");
    assert_int_equal(c.threads, 2);
    assert_int_equal(c.source[K_THREADS], CM_CFG_FILE);
    assert_int_equal(c.source[K_DB], CM_CFG_SET);
}

static void
test_from_args_applies_set_after_file_and_env_whatever_the_order(void **state)
{
    const char *path = write_file(state, "db = file.db\nthreads = 2\nlog_level = error\n");
    setenv("CAREMAP_DB", "env.db", 1);
    setenv("CAREMAP_THREADS", "3", 1);
    /* --db comes first on the line and --config last, yet --db wins over both. */
    char *argv[] = {"migrate", "--db=args.db", "--set",      "db=set.db",
                    "--db",    "last.db",      "--config=x", NULL};
    char cfgopt[200];
    snprintf(cfgopt, sizeof(cfgopt), "--config=%s", path);
    argv[6] = cfgopt;
    int argc = 7;
    struct cm_config c;
    assert_int_equal(cmd_config_from_args(&argc, argv, &c), 0);
    assert_int_equal(argc, 1);
    assert_string_equal(c.db, "last.db");
    assert_int_equal(c.source[K_DB], CM_CFG_SET);
    assert_int_equal(c.threads, 3);
    assert_int_equal(c.source[K_THREADS], CM_CFG_ENV);
    assert_string_equal(c.log_level, "error");
    assert_int_equal(c.source[K_LOG_LEVEL], CM_CFG_FILE);
}

static void
test_from_args_missing_value_is_a_usage_error(void **state)
{
    (void)state;
    char *argv[] = {"serve", "--db", NULL};
    int argc = 2;
    struct cm_config c;
    assert_int_equal(cmd_config_from_args(&argc, argv, &c), 2);
}

static void
test_from_args_bad_setting_is_a_usage_error(void **state)
{
    const char *path = write_file(state, "nonsense = 1\n");
    char *argv1[] = {"serve", "--set", "threads=0", NULL};
    int argc = 3;
    struct cm_config c;
    assert_int_equal(cmd_config_from_args(&argc, argv1, &c), 2);
    char *argv2[] = {"serve", "--config", (char *)path, NULL};
    argc = 3;
    assert_int_equal(cmd_config_from_args(&argc, argv2, &c), 2);
    char *argv3[] = {"serve", "--config", "a.ini", "--config", "b.ini", NULL};
    argc = 5;
    assert_int_equal(cmd_config_from_args(&argc, argv3, &c), 2);
}

static void
test_from_args_leaves_arguments_after_double_dash_alone(void **state)
{
    (void)state;
    char *argv[] = {"user", "--db", "x.db", "--", "--db", "y.db", NULL};
    int argc = 6;
    struct cm_config c;
    assert_int_equal(cmd_config_from_args(&argc, argv, &c), 0);
    assert_string_equal(c.db, "x.db");
    assert_int_equal(argc, 4);
    assert_string_equal(argv[1], "--");
    assert_string_equal(argv[2], "--db");
    assert_string_equal(argv[3], "y.db");
}

static void
test_from_args_does_not_take_options_that_only_share_a_prefix(void **state)
{
    (void)state;
    char *argv[] = {"demo", "--dbx", "--settle", NULL};
    int argc = 3;
    struct cm_config c;
    assert_int_equal(cmd_config_from_args(&argc, argv, &c), 0);
    assert_int_equal(argc, 3);
    assert_string_equal(c.db, "caremap.db");
}

/* Runs cmd_config with stdout sent to a file, and returns what it printed. */
static int
run_config_command(int argc, char **argv, char *out, size_t outlen)
{
    char tmpl[] = "/tmp/caremap-test-stdout-XXXXXX";
    int fd = mkstemp(tmpl);
    assert_true(fd >= 0);
    fflush(stdout);
    int saved = dup(STDOUT_FILENO);
    assert_true(saved >= 0);
    assert_true(dup2(fd, STDOUT_FILENO) >= 0);
    int rc = cmd_config(argc, argv);
    fflush(stdout);
    assert_true(dup2(saved, STDOUT_FILENO) >= 0);
    close(saved);
    ssize_t n = pread(fd, out, outlen - 1, 0);
    assert_true(n >= 0);
    out[n] = '\0';
    close(fd);
    unlink(tmpl);
    return rc;
}

static void
test_config_command_dumps_with_set_applied(void **state)
{
    (void)state;
    char *argv[] = {"config", "--dump", "--set", "threads=9", NULL};
    char out[4096];
    assert_int_equal(run_config_command(4, argv, out, sizeof(out)), 0);
    assert_non_null(strstr(out, "threads = 9  # set\n"));
    assert_non_null(strstr(out, "db = caremap.db  # default\n"));
}

static void
test_config_command_without_dump_is_a_usage_error(void **state)
{
    (void)state;
    char out[4096];
    char *argv1[] = {"config", NULL};
    assert_int_equal(run_config_command(1, argv1, out, sizeof(out)), 2);
    assert_string_equal(out, "");
    char *argv2[] = {"config", "--dump", "extra", NULL};
    assert_int_equal(run_config_command(3, argv2, out, sizeof(out)), 2);
    char *argv3[] = {"config", "--show", NULL};
    assert_int_equal(run_config_command(2, argv3, out, sizeof(out)), 2);
}

int
main(void)
{
#define T(name) cmocka_unit_test_setup_teardown(name, setup, teardown)
    const struct CMUnitTest tests[] = {
        T(test_defaults_are_the_documented_values),
        T(test_dump_of_defaults_lists_every_key_once_as_default),
        T(test_file_without_a_section_sets_keys),
        T(test_file_with_a_caremap_section_sets_keys),
        T(test_file_unknown_key_error_names_file_line_and_key),
        T(test_file_key_in_another_section_is_an_unknown_setting),
        T(test_file_bad_integer_says_the_allowed_range),
        T(test_file_line_that_is_not_a_setting_is_an_error_with_its_line),
        T(test_file_that_is_missing_is_an_io_error_naming_it),
        T(test_file_line_too_long_for_the_parser_is_an_error_not_a_split),
        T(test_env_variable_overrides_the_default),
        T(test_env_unknown_caremap_variable_is_an_error_naming_it),
        T(test_env_variables_of_the_test_harness_are_ignored),
        T(test_env_bad_value_names_the_variable_and_the_range),
        T(test_set_applies_one_key),
        T(test_set_errors_name_the_key),
        T(test_string_settings_are_checked),
        T(test_string_longer_than_its_field_is_refused_not_cut),
        T(test_set_wins_over_env_which_wins_over_file),
        T(test_dump_shows_each_value_with_its_source),
        T(test_dump_reads_back_as_a_config_file),
        T(test_size_suffixes_are_powers_of_1024),
        T(test_size_bad_suffix_or_range_is_refused_with_the_range),
        T(test_from_args_consumes_its_options_and_keeps_the_rest_in_order),
        T(test_from_args_applies_set_after_file_and_env_whatever_the_order),
        T(test_from_args_missing_value_is_a_usage_error),
        T(test_from_args_bad_setting_is_a_usage_error),
        T(test_from_args_leaves_arguments_after_double_dash_alone),
        T(test_from_args_does_not_take_options_that_only_share_a_prefix),
        T(test_config_command_dumps_with_set_applied),
        T(test_config_command_without_dump_is_a_usage_error),
    };
#undef T
    return cmocka_run_group_tests_name("config", tests, NULL, NULL);
}
