/*
 * caremap serve: check the fonts the PDFs are printed with, load the glossaries, open the database
 * (applying migrations), start the audit writer and the HTTP server, print the one line tests and
 * people wait for, then wait for SIGINT or SIGTERM and take everything down in reverse order so
 * the process exits with nothing leaked.
 */
#include "access/access.h"
#include "api/api.h"
#include "cmd/cmd.h"
#include "http/http.h"
#include "http/web_assets.h"
#include "render/render.h"
#include "store/store.h"

#include <pthread.h>
#include <signal.h>
#include <stdio.h>
#include <string.h>

static const char usage[] =
    "usage: caremap serve [--db FILE] [--listen ADDR:PORT] [--config FILE] [--set KEY=VALUE]\n";

/* Work on the database before serving: forget sessions that can no longer be used, and tell
 * whether this is the demo program (then the sign-ins are worth printing). */
static enum cm_code
prepare(struct cm_store *store, const struct cm_config *cfg, bool *demo, struct cm_err *err)
{
    struct cm_conn *conn = NULL;
    enum cm_code rc = cm_store_conn_open(store, &conn, err);
    if (rc != CM_OK)
        return rc;
    rc = cm_store_session_purge(conn, cm_time_now(), (int64_t)cfg->session_idle_min * 60, err);
    if (rc == CM_OK) {
        struct cm_arena *a = cm_arena_new(64 * 1024);
        struct cm_user u;
        struct cm_err ignored = {0};
        *demo = a != NULL && cm_store_user_by_username(conn, "coord.ada", &u, a, &ignored) == CM_OK;
        cm_arena_free(a);
    }
    cm_store_conn_close(conn);
    return rc;
}

/* The host part of "host:port", for the printed URL. */
static void
listen_host(const char *listen, char *out, size_t size)
{
    const char *colon = strrchr(listen, ':');
    size_t n = colon != NULL ? (size_t)(colon - listen) : strlen(listen);
    if (n == 0 || n >= size) {
        snprintf(out, size, "127.0.0.1");
        return;
    }
    memcpy(out, listen, n);
    out[n] = '\0';
}

int
cmd_serve(int argc, char **argv)
{
    struct cm_config cfg;
    int code = cmd_config_from_args(&argc, argv, &cfg);
    if (code != 0)
        return code;
    if (argc > 1) {
        fprintf(stderr, "caremap serve: unexpected argument '%s'\n%s", argv[1], usage);
        return 2;
    }
    enum cm_log_level level;
    if (cm_log_level_parse(cfg.log_level, &level) == CM_OK)
        cm_log_set_level(level);

    /* Block the stop signals before any thread starts so every thread inherits the mask and only
     * sigwait() below receives them. */
    sigset_t stop;
    sigemptyset(&stop);
    sigaddset(&stop, SIGINT);
    sigaddset(&stop, SIGTERM);
    pthread_sigmask(SIG_BLOCK, &stop, NULL);

    struct cm_err err = {0};
    struct cm_store *store = NULL;
    struct cm_audit_writer *audit = NULL;
    struct cm_http_server *server = NULL;
    bool demo = false;
    bool rendering = false;
    int status = 1;
    struct cm_api_app app = {.cfg = &cfg};
    if (cm_access_password_init(cfg.password_opslimit, cfg.password_memlimit,
                                cfg.password_concurrency, &err) != CM_OK) {
        cmd_print_err(&err);
        return 1;
    }
    /* A missing font or a broken glossary stops the start, not the first print or check. */
    if (cm_render_init(&err) != CM_OK)
        goto out;
    rendering = true;
    if (cm_api_glossaries_load(&app, &err) != CM_OK ||
        cm_store_open(cfg.db, &store, &err) != CM_OK ||
        prepare(store, &cfg, &demo, &err) != CM_OK ||
        cm_access_audit_start(store, cfg.audit_batch_max, &audit, &err) != CM_OK)
        goto out;

    app.store = store;
    app.audit = audit;
    struct cm_http_config http = {
        .listen = cfg.listen,
        .threads = cfg.threads,
        .conn_limit = cfg.conn_limit,
        .per_ip_conn_limit = cfg.per_ip_conn_limit,
        .conn_timeout_s = cfg.conn_timeout_s,
        .body_max_bytes = (size_t)cfg.body_max_bytes,
        .arena_max_bytes = (size_t)cfg.arena_max_bytes,
        .mhd_memory_bytes = (size_t)cfg.mhd_memory_bytes,
        .app = &app,
        .after_handler = cm_api_after_handler,
        .assets = cm_web_assets,
        .nassets = cm_web_assets_count,
    };
    size_t nroutes;
    const struct cm_http_route *routes = cm_api_routes(&nroutes);
    if (cm_http_server_start(&http, routes, nroutes, &server, &err) != CM_OK)
        goto out;

    char host[64];
    listen_host(cfg.listen, host, sizeof(host));
    printf("caremap: listening on http://%s:%d\n", host, cm_http_server_port(server));
    if (demo)
        printf("caremap: demo program: sign in as coord.ada, admin, manager, dr.ellis or "
               "family.demo-0001 (more in docs/demo.md), password caremap-demo-2026\n");
    fflush(stdout);
    cm_log_info("serve started port=%d threads=%d", cm_http_server_port(server), cfg.threads);

    int sig = 0;
    sigwait(&stop, &sig);
    cm_log_info("serve stopping signal=%d", sig);
    status = 0;

out:
    if (status != 0)
        cmd_print_err(&err);
    /* Reverse order: no request is running once the server stopped, so the connections can close;
     * the audit writer flushes what is queued before the store goes. */
    if (server != NULL)
        cm_http_server_stop(server);
    cm_api_conns_close_all();
    if (audit != NULL)
        cm_access_audit_stop(audit);
    if (store != NULL)
        cm_store_close(store);
    cm_api_glossaries_free(&app);
    /* After the server stopped: no request is rendering any more. */
    if (rendering)
        cm_render_shutdown();
    cm_access_password_free();
    return status;
}
