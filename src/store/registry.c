/*
 * The identification registry in the store: loading a run of `caremap identify --load` in one
 * transaction, the program's runs, a run's candidates (who is enrolled is a join with the
 * children's member ids), enrolling one, and comparing two runs. Schema and the reasons for its
 * shape: migrations/sqlite/0003_identify.sql.
 *
 * The statements live in this file's own table rather than statements.c: the API's reads prepare
 * theirs per call (a few microseconds against a request's milliseconds) and a load prepares its
 * insert once for a million rows. cm_store_registry_statements_check prepares them all for the
 * unit test, so a typo fails there as one in statements.c fails at connection open.
 */
#include "store/registry.h"
#include "store/migrations.h"
#include "store/store_int.h"

#include <stdlib.h>
#include <string.h>

/* ---- statements ------------------------------------------------------------------------------ */

/* A run's columns, its author's name and how many of its candidates are enrolled now. The count
 * walks the program's children that have a member id (child_member) and probes the run's results
 * by (run_id, patient_id): a few hundred probes, whatever the size of the run. CROSS JOIN keeps
 * that order (without statistics SQLite would walk the run's candidates instead). */
#define RUN_COLS                                                                                   \
    "r.id, r.program_id, r.created_at, r.created_by, u.display_name, r.algorithm, r.codes_mode,"   \
    " r.list_name, r.list_sha256, r.input_name, r.encounters_name, r.tiers_name,"                  \
    " r.tiers_sha256, r.as_of, r.row_count, r.patient_count, r.bad_row_count,"                     \
    " r.complex_chronic, r.non_complex_chronic, r.non_chronic, r.tier_0, r.tier_1, r.tier_2,"      \
    " r.tier_3, r.candidates,"                                                                     \
    " (SELECT count(*) FROM child ec CROSS JOIN identify_result ee ON ee.run_id = r.id"            \
    " AND ee.patient_id = ec.member_id WHERE ec.program_id = r.program_id"                         \
    " AND ec.member_id IS NOT NULL AND ee.level > 0)"
#define RUN_FROM " FROM identify_run r LEFT JOIN app_user u ON u.id = r.created_by"

/* A result with its rule's reason and the child enrolled with its member id (?1 the program). */
#define RESULT_COLS                                                                                \
    "e.id, e.run_id, e.patient_id, e.class, e.conditions, e.condition_names, e.tech_dep,"          \
    " e.transplant, e.progressive, e.malignancy, e.tier, e.tier_rule, ru.reason, e.enc_ed,"        \
    " e.enc_admission, e.enc_observation, e.enc_specialty, e.enc_primary_care,"                    \
    " e.enc_home_health, e.enc_other, c.id"
#define RESULT_FROM                                                                                \
    " FROM identify_result e LEFT JOIN identify_rule ru ON ru.run_id = e.run_id"                   \
    " AND ru.rule = e.tier_rule LEFT JOIN child c ON c.program_id = ?1"                            \
    " AND c.member_id = e.patient_id"

/* Candidates of run ?2: ?3 a level (tier) or 0, ?4 a class or NULL, ?5 enrolled 0, 1 or 2 (any).
 * "e.level > 0" is spelled out so the planner may use the partial index of candidates. */
#define CANDIDATE_FILTER                                                                           \
    " WHERE e.run_id = ?2 AND e.level > 0 AND (?3 = 0 OR e.level = ?3)"                            \
    " AND (?4 IS NULL OR e.class = ?4) AND (?5 = 2 OR (c.id IS NOT NULL) = ?5)"

/* Comparison of run ?2 (after) with run ?3 (before); ?4 is 1 when both have tiers. A patient
 * "changed" when its tier (both stratified) or its class (otherwise) differs. */
#define CHANGED_COND "(CASE WHEN ?4 = 1 THEN a.tier IS NOT b.tier ELSE a.class <> b.class END)"
#define ONLY_IN(x, y)                                                                              \
    "FROM identify_result a WHERE a.run_id = " x " AND a.level > 0 AND NOT EXISTS (SELECT 1"       \
    " FROM identify_result b WHERE b.run_id = " y " AND b.patient_id = a.patient_id"               \
    " AND b.level > 0)"
#define IN_BOTH                                                                                    \
    "FROM identify_result a JOIN identify_result b ON b.run_id = ?3"                               \
    " AND b.patient_id = a.patient_id AND b.level > 0 WHERE a.run_id = ?2 AND a.level > 0"         \
    " AND " CHANGED_COND
#define ENROLLED_JOIN(t)                                                                           \
    " LEFT JOIN child c ON c.program_id = ?1 AND c.member_id = " t ".patient_id"

enum reg_st {
    ST_RUN_ADD,
    ST_RULE_ADD,
    ST_RESULT_ADD,
    ST_RUN_FINISH,
    ST_RUN_COUNT,
    ST_RUN_LIST,
    ST_RUN_GET,
    ST_CANDIDATE_COUNT,
    ST_CANDIDATE_PAGE,
    ST_RESULT_GET,
    ST_COMPARE_COUNTS,
    ST_COMPARE_NEW,
    ST_COMPARE_CHANGED,
    ST_COMPARE_DROPPED,
    ST_ENROL_MEMBER,
    ST_ENROL_LINK,
    ST_COUNT
};

static const struct {
    const char *name; /* for log lines */
    const char *sql;
} statements[ST_COUNT] = {
    [ST_RUN_ADD] = {"registry_run_add",
                    "INSERT INTO identify_run (created_at, created_by, program_id, algorithm,"
                    " codes_mode, list_name, list_sha256, input_name, encounters_name, tiers_name,"
                    " tiers_sha256, as_of) VALUES (?1, ?2, ?3, ?4, ?5, ?6, ?7, ?8, ?9, ?10, ?11,"
                    " ?12)"},
    [ST_RULE_ADD] = {"registry_rule_add", "INSERT INTO identify_rule (run_id, rule, tier, reason)"
                                          " VALUES (?1, ?2, ?3, ?4)"},
    [ST_RESULT_ADD] = {"registry_result_add",
                       "INSERT INTO identify_result (run_id, patient_id, class, level, conditions,"
                       " condition_names, tech_dep, transplant, progressive, malignancy, tier,"
                       " tier_rule, enc_ed, enc_admission, enc_observation, enc_specialty,"
                       " enc_primary_care, enc_home_health, enc_other) VALUES (?1, ?2, ?3, ?4,"
                       " ?5, ?6, ?7, ?8, ?9, ?10, ?11, ?12, ?13, ?14, ?15, ?16, ?17, ?18, ?19)"},
    /* Seals the run: the trigger refuses any later change or result. */
    [ST_RUN_FINISH] = {"registry_run_finish",
                       "UPDATE identify_run SET row_count = ?2, patient_count = ?3,"
                       " bad_row_count = ?4, complex_chronic = ?5, non_complex_chronic = ?6,"
                       " non_chronic = ?7, tier_0 = ?8, tier_1 = ?9, tier_2 = ?10, tier_3 = ?11,"
                       " candidates = ?12, sealed = 1 WHERE id = ?1 AND sealed = 0"},
    [ST_RUN_COUNT] = {"registry_run_count",
                      "SELECT count(*) FROM identify_run WHERE program_id = ?1 AND sealed = 1"},
    [ST_RUN_LIST] = {"registry_run_list",
                     "SELECT " RUN_COLS RUN_FROM " WHERE r.program_id = ?1 AND r.sealed = 1"
                     " ORDER BY r.created_at DESC, r.id DESC LIMIT ?2 OFFSET ?3"},
    [ST_RUN_GET] = {"registry_run_get", "SELECT " RUN_COLS RUN_FROM " WHERE r.id = ?2"
                                        " AND r.program_id = ?1 AND r.sealed = 1"},
    [ST_CANDIDATE_COUNT] = {"registry_candidate_count",
                            "SELECT count(*) FROM identify_result e"
                            " LEFT JOIN child c ON c.program_id = ?1"
                            " AND c.member_id = e.patient_id" CANDIDATE_FILTER},
    [ST_CANDIDATE_PAGE] = {"registry_candidate_page",
                           "SELECT " RESULT_COLS RESULT_FROM CANDIDATE_FILTER
                           " ORDER BY e.level DESC, e.patient_id LIMIT ?6 OFFSET ?7"},
    [ST_RESULT_GET] = {"registry_result_get",
                       "SELECT " RESULT_COLS RESULT_FROM " WHERE e.id = ?3 AND e.run_id = ?2"
                       " AND EXISTS (SELECT 1 FROM identify_run r WHERE r.id = ?2"
                       " AND r.program_id = ?1 AND r.sealed = 1)"},
    [ST_COMPARE_COUNTS] = {"registry_compare_counts",
                           "SELECT (SELECT count(*) " ONLY_IN(
                               "?2", "?3") "),"
                                           " (SELECT count(*) " IN_BOTH "),"
                                           " (SELECT count(*) " ONLY_IN("?3", "?2") ")"},
    /* Items: patient_id, before (id, class, tier), after (id, class, tier), the enrolled child;
     * ?5 limit, ?6 offset. */
    [ST_COMPARE_NEW] = {"registry_compare_new",
                        "SELECT a.patient_id, NULL, NULL, NULL, a.id, a.class, a.tier, c.id"
                        " FROM (SELECT a.* " ONLY_IN("?2", "?3") ") a" ENROLLED_JOIN(
                            "a") " ORDER BY a.patient_id LIMIT ?5 OFFSET ?6"},
    [ST_COMPARE_CHANGED] = {"registry_compare_changed",
                            "SELECT a.patient_id, b.id, b.class, b.tier, a.id, a.class, a.tier,"
                            " (SELECT c.id FROM child c WHERE c.program_id = ?1"
                            " AND c.member_id = a.patient_id) " IN_BOTH
                            " ORDER BY a.patient_id LIMIT ?5 OFFSET ?6"},
    [ST_COMPARE_DROPPED] = {"registry_compare_dropped",
                            "SELECT a.patient_id, a.id, a.class, a.tier, NULL, NULL, NULL, c.id"
                            " FROM (SELECT a.* " ONLY_IN("?3", "?2") ") a" ENROLLED_JOIN(
                                "a") " ORDER BY a.patient_id LIMIT ?5 OFFSET ?6"},
    /* ?1 program, ?2 child, ?3 member id. A child that already has one keeps it. */
    [ST_ENROL_MEMBER] = {"registry_enrol_member",
                         "UPDATE child SET member_id = ?3 WHERE id = ?2 AND program_id = ?1"
                         " AND member_id IS NULL"},
    [ST_ENROL_LINK] = {"registry_enrol_link",
                       "INSERT INTO identify_enrolment (created_at, created_by, run_id, result_id,"
                       " child_id) VALUES (?1, ?2, ?3, ?4, ?5)"},
};

/* Clears err so the caller can say what went wrong in the registry's words (the store's generic
 * message would name a column, or nothing). */
static void
rewrite(struct cm_err *err)
{
    if (err != NULL)
        cm_err_clear(err);
}

static enum cm_code
prepare(struct cm_conn *c, enum reg_st id, sqlite3_stmt **out, struct cm_err *err)
{
    *out = NULL;
    const char *tail = NULL;
    int rc = sqlite3_prepare_v2(c->db, statements[id].sql, -1, out, &tail);
    if (rc != SQLITE_OK || *out == NULL || (tail != NULL && *tail != '\0')) {
        sqlite3_finalize(*out);
        *out = NULL;
        if (rc == SQLITE_OK)
            rc = SQLITE_ERROR;
        return cm_store_fail(c->db, rc, statements[id].name, err);
    }
    return CM_OK;
}

enum cm_code
cm_store_registry_statements_check(struct cm_conn *c, struct cm_err *err)
{
    for (int i = 0; i < ST_COUNT; i++) {
        sqlite3_stmt *s;
        enum cm_code code = prepare(c, (enum reg_st)i, &s, err);
        sqlite3_finalize(s);
        if (code != CM_OK)
            return code;
    }
    return CM_OK;
}

/* ---- names ----------------------------------------------------------------------------------- */

static const char *const enc_names[CM_REGISTRY_ENC_TYPES] = {
    "ed", "admission", "observation", "specialty", "primary_care", "home_health", "other"};

const char *
cm_store_registry_enc_name(size_t i)
{
    return i < CM_REGISTRY_ENC_TYPES ? enc_names[i] : NULL;
}

static const char *const change_names[CM_REGISTRY_CHANGES] = {"new", "changed", "dropped"};

const char *
cm_store_registry_change_name(enum cm_registry_change c)
{
    return (unsigned)c < CM_REGISTRY_CHANGES ? change_names[c] : NULL;
}

bool
cm_store_registry_run_stratified(const struct cm_registry_run *r)
{
    return r->tiers_name != NULL;
}

static const char *const class_names[] = {"non_chronic", "non_complex_chronic", "complex_chronic"};

/* Index of a class name in class_names, or -1. */
static int
class_index(const char *s)
{
    for (size_t i = 0; s != NULL && i < CM_ARRAY_LEN(class_names); i++) {
        if (strcmp(s, class_names[i]) == 0)
            return (int)i;
    }
    return -1;
}

/* ---- the schema ------------------------------------------------------------------------------ */

enum cm_code
cm_store_registry_schema_check(const char *path, struct cm_err *err)
{
    if (path == NULL || path[0] == '\0')
        return cm_err_set(err, CM_EINVAL, "db", "no database file given");
    /* The store applies its process-wide SQLite settings before SQLite's first use, in
     * cm_store_open; opening a throwaway in-memory store first keeps that order here too. Its
     * migrations are not news, so their log lines stay below the level. */
    enum cm_log_level level = cm_log_level_get();
    if (level < CM_LOG_WARN)
        cm_log_set_level(CM_LOG_WARN);
    struct cm_store *mem = NULL;
    enum cm_code code = cm_store_open(":memory:", &mem, err);
    cm_store_close(mem);
    cm_log_set_level(level);
    if (code != CM_OK)
        return code;
    sqlite3 *db = NULL;
    /* Read-only and without CREATE: a load must neither make an empty database nor migrate one
     * behind the back of the servers using it. */
    int rc = sqlite3_open_v2(path, &db, SQLITE_OPEN_READONLY | SQLITE_OPEN_NOMUTEX, NULL);
    if (rc != SQLITE_OK) {
        sqlite3_close(db);
        return cm_err_set(err, CM_EIO, "db", "cannot open the database file '%s'", path);
    }
    sqlite3_busy_timeout(db, 5000);
    sqlite3_stmt *s = NULL;
    rc = sqlite3_prepare_v2(db, "SELECT 1 FROM schema_migrations WHERE name = ?1", -1, &s, NULL);
    if (rc != SQLITE_OK) {
        sqlite3_close(db);
        return cm_err_set(err, CM_EIO, "db",
                          "'%s' is not a caremap database (create one with `caremap migrate`)",
                          path);
    }
    for (size_t i = 0; code == CM_OK && i < cm_migrations_sqlite_count; i++) {
        sqlite3_reset(s);
        sqlite3_bind_text(s, 1, cm_migrations_sqlite[i].name, -1, SQLITE_STATIC);
        rc = sqlite3_step(s);
        if (rc == SQLITE_DONE)
            code = cm_err_set(err, CM_ECONFLICT, "db",
                              "the database '%s' needs migration %s: run `caremap migrate --db %s` "
                              "first",
                              path, cm_migrations_sqlite[i].name, path);
        else if (rc != SQLITE_ROW)
            code = cm_store_fail(db, rc, "registry_schema_check", err);
    }
    sqlite3_finalize(s);
    sqlite3_close(db);
    return code;
}

/* ---- loading --------------------------------------------------------------------------------- */

/* Distinct tier rules of one run: a rules file holds a handful. */
#define RULES_MAX 128

struct rule_seen {
    char *id;
    char *reason;
    int tier;
};

/* The run's strings, copied: the load may start long after begin returned. */
enum {
    RUN_ALGORITHM,
    RUN_CODES_MODE,
    RUN_LIST,
    RUN_LIST_SHA,
    RUN_INPUT,
    RUN_ENCOUNTERS,
    RUN_TIERS,
    RUN_TIERS_SHA,
    RUN_AS_OF,
    RUN_TEXTS
};

struct cm_registry_load {
    struct cm_conn *c;
    struct cm_viewer v;
    int64_t now;
    char *text[RUN_TEXTS]; /* NULL where the run has none */
    sqlite3_stmt *add;
    int64_t run_id;
    bool stratified;
    bool started; /* the transaction was begun and the run recorded */
    int64_t classes[3];
    int64_t tiers[4];
    int64_t candidates;
    struct rule_seen rules[RULES_MAX];
    size_t nrules;
    size_t last_rule; /* consecutive patients mostly share a rule */
};

/* The page cache a load works with: the (run_id, patient_id) index of a million results is about
 * 30 MB and its inserts land all over it, so SQLite's default 2 MB cache would spill and reread
 * pages on every row (four times slower). Restored when the load ends. */
#define LOAD_CACHE_KIB    65536
#define DEFAULT_CACHE_KIB 2000

static void
cache_size(sqlite3 *db, int kib)
{
    char sql[64];
    snprintf(sql, sizeof(sql), "PRAGMA cache_size = -%d", kib);
    if (sqlite3_exec(db, sql, NULL, NULL, NULL) != SQLITE_OK)
        cm_log_warn("store op=registry_cache_size msg=\"not applied\"");
}

static enum cm_code
run_add(struct cm_registry_load *l, struct cm_err *err)
{
    sqlite3_stmt *s;
    enum cm_code code = prepare(l->c, ST_RUN_ADD, &s, err);
    if (code != CM_OK)
        return code;
    cm_store_bind_i64(s, 1, l->now);
    cm_store_bind_i64(s, 2, l->v.user_id);
    cm_store_bind_i64(s, 3, l->v.program_id);
    for (int i = 0; i < RUN_TEXTS; i++)
        cm_store_bind_text(s, 4 + i, l->text[i]);
    int rc = sqlite3_step(s);
    sqlite3_finalize(s);
    if (rc != SQLITE_DONE)
        return cm_store_fail(l->c->db, rc, "registry_run_add", err);
    l->run_id = sqlite3_last_insert_rowid(l->c->db);
    return CM_OK;
}

/* Begins the transaction and records the run, at the first result (or at finish for a run of no
 * patients): reading a claims file takes seconds, and the database's one write lock should not be
 * held while it is read. A load whose transaction has ended (committed or rolled back) takes
 * nothing more. */
static enum cm_code
start(struct cm_registry_load *l, struct cm_err *err)
{
    if (l->started) {
        if (sqlite3_get_autocommit(l->c->db))
            return cm_err_set(err, CM_EINTERNAL, "", "the load has ended");
        return CM_OK;
    }
    enum cm_code code = cm_store_begin(l->c, true, err);
    if (code != CM_OK)
        return code;
    l->started = true;
    cache_size(l->c->db, LOAD_CACHE_KIB);
    code = run_add(l, err);
    if (code == CM_OK)
        code = prepare(l->c, ST_RESULT_ADD, &l->add, err);
    if (code != CM_OK)
        cm_store_rollback(l->c);
    return code;
}

enum cm_code
cm_store_registry_load_begin(struct cm_conn *c, const struct cm_viewer *v, int64_t now,
                             const struct cm_registry_run *run, struct cm_registry_load **out,
                             struct cm_err *err)
{
    *out = NULL;
    bool tiers = run->tiers_name != NULL;
    if ((run->tiers_sha256 != NULL) != tiers || (run->encounters_name != NULL) != tiers ||
        (run->as_of != NULL) != tiers)
        return cm_err_set(err, CM_EINVAL, "tiers_name",
                          "a stratified run needs encounters, tiers, their checksum and as_of");
    const char *texts[RUN_TEXTS] = {
        [RUN_ALGORITHM] = run->algorithm, [RUN_CODES_MODE] = run->codes_mode,
        [RUN_LIST] = run->list_name,      [RUN_LIST_SHA] = run->list_sha256,
        [RUN_INPUT] = run->input_name,    [RUN_ENCOUNTERS] = run->encounters_name,
        [RUN_TIERS] = run->tiers_name,    [RUN_TIERS_SHA] = run->tiers_sha256,
        [RUN_AS_OF] = run->as_of,
    };
    static const char *const required[] = {"algorithm", "codes_mode", "list_name", "list_sha256",
                                           "input_name"};
    for (size_t i = 0; i < CM_ARRAY_LEN(required); i++) {
        if (texts[i] == NULL || texts[i][0] == '\0')
            return cm_err_set(err, CM_EINVAL, required[i], "is required");
    }
    if (!sqlite3_get_autocommit(c->db))
        return cm_err_set(err, CM_EINTERNAL, "", "a transaction is already open");
    struct cm_registry_load *l = calloc(1, sizeof(*l));
    if (l == NULL)
        return cm_err_set(err, CM_ENOMEM, "", "out of memory");
    l->c = c;
    l->v = *v;
    l->now = now;
    l->stratified = tiers;
    for (int i = 0; i < RUN_TEXTS; i++) {
        if (texts[i] != NULL && (l->text[i] = strdup(texts[i])) == NULL) {
            cm_store_registry_load_free(l);
            return cm_err_set(err, CM_ENOMEM, "", "out of memory");
        }
    }
    *out = l;
    return CM_OK;
}

/* Records the rule of r the first time it is seen; checks it says the same every other time. */
static enum cm_code
rule_note(struct cm_registry_load *l, const struct cm_registry_result *r, struct cm_err *err)
{
    if (l->last_rule < l->nrules && strcmp(l->rules[l->last_rule].id, r->tier_rule) == 0) {
        const struct rule_seen *k = &l->rules[l->last_rule];
        if (k->tier == r->tier && strcmp(k->reason, r->tier_reason) == 0)
            return CM_OK;
    }
    for (size_t i = 0; i < l->nrules; i++) {
        const struct rule_seen *k = &l->rules[i];
        if (strcmp(k->id, r->tier_rule) != 0)
            continue;
        if (k->tier != r->tier || strcmp(k->reason, r->tier_reason) != 0)
            return cm_err_set(err, CM_EINVAL, "tier_rule",
                              "rule '%s' came with two different tiers or reasons", k->id);
        l->last_rule = i;
        return CM_OK;
    }
    if (l->nrules == RULES_MAX)
        return cm_err_set(err, CM_ETOOBIG, "tier_rule", "more than %d distinct tier rules",
                          RULES_MAX);
    struct rule_seen *k = &l->rules[l->nrules];
    k->id = strdup(r->tier_rule);
    k->reason = strdup(r->tier_reason);
    k->tier = r->tier;
    if (k->id == NULL || k->reason == NULL) {
        free(k->id);
        free(k->reason);
        k->id = k->reason = NULL;
        return cm_err_set(err, CM_ENOMEM, "", "out of memory");
    }
    l->last_rule = l->nrules++;
    sqlite3_stmt *s;
    enum cm_code code = prepare(l->c, ST_RULE_ADD, &s, err);
    if (code != CM_OK)
        return code;
    cm_store_bind_i64(s, 1, l->run_id);
    cm_store_bind_text(s, 2, k->id);
    cm_store_bind_i64(s, 3, k->tier);
    cm_store_bind_text(s, 4, k->reason);
    int rc = sqlite3_step(s);
    sqlite3_finalize(s);
    if (rc != SQLITE_DONE)
        return cm_store_fail(l->c->db, rc, "registry_rule_add", err);
    return CM_OK;
}

/* The candidate level of a result: the tier of a stratified run; otherwise 2 for complex chronic,
 * 1 for non-complex chronic, 0 for non-chronic (class_index of the name). */
static int
level_of(const struct cm_registry_load *l, const struct cm_registry_result *r, int cls)
{
    return l->stratified ? r->tier : cls;
}

enum cm_code
cm_store_registry_load_add(struct cm_registry_load *l, const struct cm_registry_result *r,
                           struct cm_err *err)
{
    int cls = class_index(r->cls);
    if (cls < 0)
        return cm_err_set(err, CM_EINVAL, "class", "unknown class");
    if (r->patient_id == NULL || r->patient_id[0] == '\0')
        return cm_err_set(err, CM_EINVAL, "patient_id", "must not be empty");
    if (l->stratified) {
        if (r->tier < 0 || r->tier > 3)
            return cm_err_set(err, CM_EINVAL, "tier", "must be 0 to 3 in a stratified run");
        if (r->tier_rule == NULL || r->tier_reason == NULL)
            return cm_err_set(err, CM_EINVAL, "tier_rule", "a stratified result needs its rule");
    } else if (r->tier != -1) {
        return cm_err_set(err, CM_EINVAL, "tier", "a run without tiers has no tier");
    }
    enum cm_code code = start(l, err);
    if (code == CM_OK && l->stratified)
        code = rule_note(l, r, err);
    if (code != CM_OK)
        return code;
    int level = level_of(l, r, cls);
    sqlite3_stmt *s = l->add;
    sqlite3_bind_int64(s, 1, l->run_id);
    sqlite3_bind_text(s, 2, r->patient_id, -1, SQLITE_STATIC);
    sqlite3_bind_text(s, 3, class_names[cls], -1, SQLITE_STATIC);
    sqlite3_bind_int(s, 4, level);
    sqlite3_bind_int64(s, 5, r->conditions);
    sqlite3_bind_text(s, 6, r->condition_names ? r->condition_names : "", -1, SQLITE_STATIC);
    sqlite3_bind_int(s, 7, r->tech_dep);
    sqlite3_bind_int(s, 8, r->transplant);
    sqlite3_bind_int(s, 9, r->progressive);
    sqlite3_bind_int(s, 10, r->malignancy);
    if (l->stratified) {
        sqlite3_bind_int(s, 11, r->tier);
        sqlite3_bind_text(s, 12, r->tier_rule, -1, SQLITE_STATIC);
        for (int i = 0; i < CM_REGISTRY_ENC_TYPES; i++)
            sqlite3_bind_int64(s, 13 + i, r->encounters[i]);
    } else {
        for (int i = 11; i <= 12 + CM_REGISTRY_ENC_TYPES; i++)
            sqlite3_bind_null(s, i);
    }
    int rc = sqlite3_step(s);
    sqlite3_reset(s);
    if (rc != SQLITE_DONE) {
        code = cm_store_fail(l->c->db, rc, "registry_result_add", err);
        if (rc == SQLITE_CONSTRAINT_UNIQUE) {
            /* The message must not carry the member id: it is health information by link. */
            rewrite(err);
            code = cm_err_set(err, CM_ECONFLICT, "patient_id", "a patient appears twice in a run");
        }
        return code;
    }
    l->classes[cls]++;
    if (l->stratified)
        l->tiers[r->tier]++;
    if (level > 0)
        l->candidates++;
    return CM_OK;
}

enum cm_code
cm_store_registry_load_finish(struct cm_registry_load *l, int64_t rows, int64_t patients,
                              int64_t bad_rows, struct cm_registry_run *run, struct cm_err *err)
{
    enum cm_code code = start(l, err);
    if (code != CM_OK)
        return code;
    sqlite3_stmt *s;
    code = prepare(l->c, ST_RUN_FINISH, &s, err);
    if (code != CM_OK)
        return code;
    cm_store_bind_i64(s, 1, l->run_id);
    cm_store_bind_i64(s, 2, rows);
    cm_store_bind_i64(s, 3, patients);
    cm_store_bind_i64(s, 4, bad_rows);
    cm_store_bind_i64(s, 5, l->classes[2]);
    cm_store_bind_i64(s, 6, l->classes[1]);
    cm_store_bind_i64(s, 7, l->classes[0]);
    for (int t = 0; t < 4; t++) {
        if (l->stratified)
            cm_store_bind_i64(s, 8 + t, l->tiers[t]);
        else
            sqlite3_bind_null(s, 8 + t);
    }
    cm_store_bind_i64(s, 12, l->candidates);
    int rc = sqlite3_step(s);
    bool changed = rc == SQLITE_DONE && sqlite3_changes(l->c->db) == 1;
    sqlite3_finalize(s);
    if (rc != SQLITE_DONE)
        return cm_store_fail(l->c->db, rc, "registry_run_finish", err);
    if (!changed)
        return cm_err_set(err, CM_EINTERNAL, "", "the run was already sealed");
    if (run != NULL) {
        run->id = l->run_id;
        run->rows = rows;
        run->patients = patients;
        run->bad_rows = bad_rows;
        run->complex_chronic = l->classes[2];
        run->non_complex_chronic = l->classes[1];
        run->non_chronic = l->classes[0];
        memcpy(run->tiers, l->tiers, sizeof(run->tiers));
        run->candidates = l->candidates;
        run->enrolled = 0;
    }
    return CM_OK;
}

void
cm_store_registry_load_free(struct cm_registry_load *l)
{
    if (l == NULL)
        return;
    sqlite3_finalize(l->add);
    if (l->started) {
        /* Still in the transaction this load began (the caller did not commit): undo all of it. */
        if (!sqlite3_get_autocommit(l->c->db))
            cm_store_rollback(l->c);
        cache_size(l->c->db, DEFAULT_CACHE_KIB);
    }
    for (int i = 0; i < RUN_TEXTS; i++)
        free(l->text[i]);
    for (size_t i = 0; i < l->nrules; i++) {
        free(l->rules[i].id);
        free(l->rules[i].reason);
    }
    free(l);
}

/* ---- reading runs ---------------------------------------------------------------------------- */

static void
read_run(struct cm_row *r, void *item)
{
    struct cm_registry_run *run = item;
    memset(run, 0, sizeof(*run));
    run->id = cm_store_row_i64(r, 0);
    run->program_id = cm_store_row_i64(r, 1);
    run->created_at = cm_store_row_i64(r, 2);
    run->created_by = cm_store_row_i64(r, 3);
    run->created_by_name = cm_store_row_text(r, 4);
    run->algorithm = cm_store_row_text(r, 5);
    run->codes_mode = cm_store_row_text(r, 6);
    run->list_name = cm_store_row_text(r, 7);
    run->list_sha256 = cm_store_row_text(r, 8);
    run->input_name = cm_store_row_text(r, 9);
    run->encounters_name = cm_store_row_text(r, 10);
    run->tiers_name = cm_store_row_text(r, 11);
    run->tiers_sha256 = cm_store_row_text(r, 12);
    run->as_of = cm_store_row_text(r, 13);
    run->rows = cm_store_row_i64(r, 14);
    run->patients = cm_store_row_i64(r, 15);
    run->bad_rows = cm_store_row_i64(r, 16);
    run->complex_chronic = cm_store_row_i64(r, 17);
    run->non_complex_chronic = cm_store_row_i64(r, 18);
    run->non_chronic = cm_store_row_i64(r, 19);
    for (int t = 0; t < 4; t++)
        run->tiers[t] = cm_store_row_i64(r, 20 + t);
    run->candidates = cm_store_row_i64(r, 24);
    run->enrolled = cm_store_row_i64(r, 25);
}

/* Runs s (prepared here) to one integer; *out 0 when there is no row. Finalises s. */
static enum cm_code
one_int(struct cm_conn *c, sqlite3_stmt *s, const char *op, int64_t *out, struct cm_err *err)
{
    *out = 0;
    int rc = sqlite3_step(s);
    if (rc == SQLITE_ROW) {
        *out = sqlite3_column_int64(s, 0);
        rc = SQLITE_DONE;
    }
    enum cm_code code = rc == SQLITE_DONE ? CM_OK : cm_store_fail(c->db, rc, op, err);
    sqlite3_finalize(s);
    return code;
}

static enum cm_code
run_list(struct cm_conn *c, int64_t program_id, int limit, int offset,
         struct cm_registry_run_list *out, struct cm_arena *a, struct cm_err *err)
{
    sqlite3_stmt *s;
    enum cm_code code = prepare(c, ST_RUN_COUNT, &s, err);
    if (code != CM_OK)
        return code;
    cm_store_bind_i64(s, 1, program_id);
    code = one_int(c, s, "registry_run_count", &out->total, err);
    if (code != CM_OK || out->total <= offset)
        return code;
    code = prepare(c, ST_RUN_LIST, &s, err);
    if (code != CM_OK)
        return code;
    cm_store_bind_i64(s, 1, program_id);
    cm_store_bind_i64(s, 2, limit);
    cm_store_bind_i64(s, 3, offset);
    void *items = NULL;
    code = cm_store_collect(c, s, a, read_run, sizeof(*out->items), &items, &out->count,
                            "registry_run_list", err);
    out->items = items;
    sqlite3_finalize(s);
    return code;
}

enum cm_code
cm_store_registry_run_list(struct cm_conn *c, int64_t program_id, int limit, int offset,
                           struct cm_registry_run_list *out, struct cm_arena *a, struct cm_err *err)
{
    memset(out, 0, sizeof(*out));
    if (limit < 1 || limit > 200)
        return cm_err_set(err, CM_EINVAL, "limit", "must be 1 to 200");
    if (offset < 0)
        return cm_err_set(err, CM_EINVAL, "offset", "must not be negative");
    /* One read transaction so that total and the page agree. */
    bool own;
    enum cm_code code = cm_store_tx_open(c, false, &own, err);
    if (code != CM_OK)
        return code;
    code = run_list(c, program_id, limit, offset, out, a, err);
    return cm_store_tx_close(c, own, code, err);
}

enum cm_code
cm_store_registry_run_get(struct cm_conn *c, int64_t program_id, int64_t id,
                          struct cm_registry_run *out, struct cm_arena *a, struct cm_err *err)
{
    sqlite3_stmt *s;
    enum cm_code code = prepare(c, ST_RUN_GET, &s, err);
    if (code != CM_OK)
        return code;
    cm_store_bind_i64(s, 1, program_id);
    cm_store_bind_i64(s, 2, id);
    struct cm_row r = {s, a, false};
    int rc = sqlite3_step(s);
    if (rc == SQLITE_ROW) {
        read_run(&r, out);
        code = cm_store_row_check(&r, err);
    } else if (rc == SQLITE_DONE) {
        code = cm_err_set(err, CM_ENOTFOUND, "", "no such run");
    } else {
        code = cm_store_fail(c->db, rc, "registry_run_get", err);
    }
    sqlite3_finalize(s);
    return code;
}

/* ---- candidates ------------------------------------------------------------------------------ */

static void
read_result(struct cm_row *r, void *item)
{
    struct cm_registry_result *e = item;
    memset(e, 0, sizeof(*e));
    e->id = cm_store_row_i64(r, 0);
    e->run_id = cm_store_row_i64(r, 1);
    e->patient_id = cm_store_row_text(r, 2);
    e->cls = cm_store_row_text(r, 3);
    e->conditions = cm_store_row_i64(r, 4);
    e->condition_names = cm_store_row_text(r, 5);
    e->tech_dep = cm_store_row_i64(r, 6) != 0;
    e->transplant = cm_store_row_i64(r, 7) != 0;
    e->progressive = cm_store_row_i64(r, 8) != 0;
    e->malignancy = cm_store_row_i64(r, 9) != 0;
    e->tier = sqlite3_column_type(r->s, 10) == SQLITE_NULL ? -1 : (int)cm_store_row_i64(r, 10);
    e->tier_rule = cm_store_row_text(r, 11);
    e->tier_reason = cm_store_row_text(r, 12);
    for (int i = 0; i < CM_REGISTRY_ENC_TYPES; i++)
        e->encounters[i] = (uint32_t)cm_store_row_i64(r, 13 + i);
    e->child_id = cm_store_row_i64(r, 20);
}

static void
bind_filter(sqlite3_stmt *s, int64_t program_id, int64_t run_id, const struct cm_registry_filter *f)
{
    cm_store_bind_i64(s, 1, program_id);
    cm_store_bind_i64(s, 2, run_id);
    cm_store_bind_i64(s, 3, f->tier);
    cm_store_bind_text(s, 4, f->cls);
    cm_store_bind_i64(s, 5,
                      f->enrolled == CM_REGISTRY_ANY ? 2 : f->enrolled == CM_REGISTRY_ENROLLED);
}

static enum cm_code
candidates(struct cm_conn *c, int64_t program_id, int64_t run_id,
           const struct cm_registry_filter *f, struct cm_registry_result_list *out,
           struct cm_arena *a, struct cm_err *err)
{
    struct cm_registry_run run;
    enum cm_code code = cm_store_registry_run_get(c, program_id, run_id, &run, a, err);
    if (code != CM_OK)
        return code;
    if (f->tier != 0 && !cm_store_registry_run_stratified(&run))
        return cm_err_set(err, CM_EINVAL, "tier", "this run has no tiers");
    sqlite3_stmt *s;
    if ((code = prepare(c, ST_CANDIDATE_COUNT, &s, err)) != CM_OK)
        return code;
    bind_filter(s, program_id, run_id, f);
    code = one_int(c, s, "registry_candidate_count", &out->total, err);
    if (code != CM_OK || out->total <= f->offset)
        return code;
    if ((code = prepare(c, ST_CANDIDATE_PAGE, &s, err)) != CM_OK)
        return code;
    bind_filter(s, program_id, run_id, f);
    cm_store_bind_i64(s, 6, f->limit);
    cm_store_bind_i64(s, 7, f->offset);
    void *items = NULL;
    code = cm_store_collect(c, s, a, read_result, sizeof(*out->items), &items, &out->count,
                            "registry_candidate_page", err);
    out->items = items;
    sqlite3_finalize(s);
    return code;
}

enum cm_code
cm_store_registry_candidates(struct cm_conn *c, int64_t program_id, int64_t run_id,
                             const struct cm_registry_filter *f,
                             struct cm_registry_result_list *out, struct cm_arena *a,
                             struct cm_err *err)
{
    memset(out, 0, sizeof(*out));
    if (f->limit < 1 || f->limit > 200)
        return cm_err_set(err, CM_EINVAL, "limit", "must be 1 to 200");
    if (f->offset < 0)
        return cm_err_set(err, CM_EINVAL, "offset", "must not be negative");
    if (f->tier < 0 || f->tier > 3)
        return cm_err_set(err, CM_EINVAL, "tier", "must be 1 to 3");
    if (f->cls != NULL && class_index(f->cls) < 0)
        return cm_err_set(err, CM_EINVAL, "class",
                          "must be complex_chronic, non_complex_chronic or non_chronic");
    bool own;
    enum cm_code code = cm_store_tx_open(c, false, &own, err);
    if (code != CM_OK)
        return code;
    code = candidates(c, program_id, run_id, f, out, a, err);
    return cm_store_tx_close(c, own, code, err);
}

enum cm_code
cm_store_registry_result_get(struct cm_conn *c, int64_t program_id, int64_t run_id, int64_t id,
                             struct cm_registry_result *out, struct cm_arena *a, struct cm_err *err)
{
    sqlite3_stmt *s;
    enum cm_code code = prepare(c, ST_RESULT_GET, &s, err);
    if (code != CM_OK)
        return code;
    cm_store_bind_i64(s, 1, program_id);
    cm_store_bind_i64(s, 2, run_id);
    cm_store_bind_i64(s, 3, id);
    struct cm_row r = {s, a, false};
    int rc = sqlite3_step(s);
    if (rc == SQLITE_ROW) {
        read_result(&r, out);
        code = cm_store_row_check(&r, err);
    } else if (rc == SQLITE_DONE) {
        code = cm_err_set(err, CM_ENOTFOUND, "", "no such candidate");
    } else {
        code = cm_store_fail(c->db, rc, "registry_result_get", err);
    }
    sqlite3_finalize(s);
    return code;
}

/* ---- comparing ------------------------------------------------------------------------------- */

static void
read_side(struct cm_row *r, int col, struct cm_registry_side *side)
{
    side->result_id = cm_store_row_i64(r, col);
    side->cls = cm_store_row_text(r, col + 1);
    side->tier =
        sqlite3_column_type(r->s, col + 2) == SQLITE_NULL ? -1 : (int)cm_store_row_i64(r, col + 2);
}

static void
read_compare(struct cm_row *r, void *item)
{
    struct cm_registry_compare_item *it = item;
    memset(it, 0, sizeof(*it));
    it->patient_id = cm_store_row_text(r, 0);
    read_side(r, 1, &it->before);
    read_side(r, 4, &it->after);
    it->child_id = cm_store_row_i64(r, 7);
}

static void
bind_compare(sqlite3_stmt *s, int64_t program_id, int64_t run_id, int64_t with_id, bool tiers)
{
    cm_store_bind_i64(s, 1, program_id);
    cm_store_bind_i64(s, 2, run_id);
    cm_store_bind_i64(s, 3, with_id);
    cm_store_bind_i64(s, 4, tiers ? 1 : 0);
}

static enum cm_code
compare(struct cm_conn *c, int64_t program_id, int64_t run_id, int64_t with_id,
        enum cm_registry_change category, int limit, int offset, struct cm_registry_compare *out,
        struct cm_arena *a, struct cm_err *err)
{
    struct cm_registry_run after, before;
    enum cm_code code = cm_store_registry_run_get(c, program_id, run_id, &after, a, err);
    if (code != CM_OK)
        return code;
    code = cm_store_registry_run_get(c, program_id, with_id, &before, a, err);
    if (code == CM_ENOTFOUND) {
        rewrite(err);
        return cm_err_set(err, CM_ENOTFOUND, "with", "no such run");
    }
    if (code != CM_OK)
        return code;
    bool tiers =
        cm_store_registry_run_stratified(&after) && cm_store_registry_run_stratified(&before);
    sqlite3_stmt *s;
    if ((code = prepare(c, ST_COMPARE_COUNTS, &s, err)) != CM_OK)
        return code;
    bind_compare(s, program_id, run_id, with_id, tiers);
    int rc = sqlite3_step(s);
    if (rc == SQLITE_ROW) {
        for (int i = 0; i < CM_REGISTRY_CHANGES; i++)
            out->counts[i] = sqlite3_column_int64(s, i);
        rc = SQLITE_DONE;
    }
    sqlite3_finalize(s);
    if (rc != SQLITE_DONE)
        return cm_store_fail(c->db, rc, "registry_compare_counts", err);
    if (out->counts[category] <= offset)
        return CM_OK;
    static const enum reg_st pages[CM_REGISTRY_CHANGES] = {ST_COMPARE_NEW, ST_COMPARE_CHANGED,
                                                           ST_COMPARE_DROPPED};
    if ((code = prepare(c, pages[category], &s, err)) != CM_OK)
        return code;
    bind_compare(s, program_id, run_id, with_id, tiers);
    cm_store_bind_i64(s, 5, limit);
    cm_store_bind_i64(s, 6, offset);
    void *items = NULL;
    code = cm_store_collect(c, s, a, read_compare, sizeof(*out->items), &items, &out->count,
                            statements[pages[category]].name, err);
    out->items = items;
    sqlite3_finalize(s);
    return code;
}

enum cm_code
cm_store_registry_compare(struct cm_conn *c, int64_t program_id, int64_t run_id, int64_t with_id,
                          enum cm_registry_change category, int limit, int offset,
                          struct cm_registry_compare *out, struct cm_arena *a, struct cm_err *err)
{
    memset(out, 0, sizeof(*out));
    if ((unsigned)category >= CM_REGISTRY_CHANGES)
        return cm_err_set(err, CM_EINVAL, "category", "must be new, changed or dropped");
    if (limit < 1 || limit > 200)
        return cm_err_set(err, CM_EINVAL, "limit", "must be 1 to 200");
    if (offset < 0)
        return cm_err_set(err, CM_EINVAL, "offset", "must not be negative");
    bool own;
    enum cm_code code = cm_store_tx_open(c, false, &own, err);
    if (code != CM_OK)
        return code;
    code = compare(c, program_id, run_id, with_id, category, limit, offset, out, a, err);
    return cm_store_tx_close(c, own, code, err);
}

/* ---- enrolling ------------------------------------------------------------------------------- */

static enum cm_code
enrol(struct cm_conn *c, const struct cm_viewer *v, int64_t now, int64_t run_id, int64_t result_id,
      int64_t child_id, struct cm_err *err)
{
    struct cm_arena *a = cm_arena_new(16384);
    if (a == NULL)
        return cm_err_set(err, CM_ENOMEM, "", "out of memory");
    struct cm_registry_result r;
    enum cm_code code =
        cm_store_registry_result_get(c, v->program_id, run_id, result_id, &r, a, err);
    sqlite3_stmt *s = NULL;
    if (code == CM_OK)
        code = prepare(c, ST_ENROL_MEMBER, &s, err);
    if (code == CM_OK) {
        cm_store_bind_i64(s, 1, v->program_id);
        cm_store_bind_i64(s, 2, child_id);
        cm_store_bind_text(s, 3, r.patient_id);
        int rc = sqlite3_step(s);
        if (rc != SQLITE_DONE) {
            code = cm_store_fail(c->db, rc, "registry_enrol_member", err);
            if (rc == SQLITE_CONSTRAINT_UNIQUE) {
                rewrite(err);
                code = cm_err_set(err, CM_ECONFLICT, "patient_id", "is already enrolled");
            }
        } else if (sqlite3_changes(c->db) != 1) {
            code = cm_err_set(err, CM_ENOTFOUND, "", "no such child");
        }
        sqlite3_finalize(s);
    }
    cm_arena_free(a);
    if (code != CM_OK)
        return code;
    if ((code = prepare(c, ST_ENROL_LINK, &s, err)) != CM_OK)
        return code;
    cm_store_bind_i64(s, 1, now);
    cm_store_bind_i64(s, 2, v->user_id);
    cm_store_bind_i64(s, 3, run_id);
    cm_store_bind_i64(s, 4, result_id);
    cm_store_bind_i64(s, 5, child_id);
    int rc = sqlite3_step(s);
    sqlite3_finalize(s);
    if (rc != SQLITE_DONE)
        return cm_store_fail(c->db, rc, "registry_enrol_link", err);
    return CM_OK;
}

enum cm_code
cm_store_registry_enrol(struct cm_conn *c, const struct cm_viewer *v, int64_t now, int64_t run_id,
                        int64_t result_id, int64_t child_id, struct cm_err *err)
{
    bool own;
    enum cm_code code = cm_store_tx_open(c, true, &own, err);
    if (code != CM_OK)
        return code;
    code = enrol(c, v, now, run_id, result_id, child_id, err);
    return cm_store_tx_close(c, own, code, err);
}
