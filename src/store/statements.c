/*
 * The SQLite backend's statement table: every SQL text the backend runs, indexed by enum cm_st
 * (store_int.h). cm_store_conn_open prepares all of them, so a typo fails when a connection opens
 * and in the store's unit test. Parameters are bound, never spliced: the only text put together
 * here is these constant fragments, at compile time.
 *
 * Child-scoped statements bind the viewer as ?1..?8 (see store_int.h) and decide reach in SQL with
 * REACH below: staff on the child's active care team, a program-wide role in the child's program,
 * a family account linked through family_member, or a clinician's unexpired break-glass grant.
 */
#include "store/store_int.h"

/* A care-team row t is active on ?7 (today): started, and not ended. Dates are 'YYYY-MM-DD'
 * text, which orders like the dates. */
#define ACTIVE(t)    t ".start_date <= ?7 AND (" t ".end_date IS NULL OR " t ".end_date > ?7)"
#define NOT_ENDED(t) "(" t ".end_date IS NULL OR " t ".end_date > ?7)"

/* How the viewer reaches child c: 1 team, 2 program-wide, 3 family, 4 break-glass, 0 not at all
 * (the values of enum cm_access). Each branch is one indexed probe. */
#define REACH                                                                                      \
    "(CASE WHEN ?3 = 1 AND EXISTS (SELECT 1 FROM team_member rt WHERE rt.user_id = ?1"             \
    " AND rt.child_id = c.id AND " ACTIVE(                                                         \
        "rt") ") THEN 1"                                                                           \
              " WHEN ?4 = 1 AND c.program_id = ?2 THEN 2"                                          \
              " WHEN ?5 = 1 AND EXISTS (SELECT 1 FROM family_member rf WHERE rf.user_id = ?1"      \
              " AND rf.child_id = c.id) THEN 3"                                                    \
              " WHEN ?6 = 1 AND EXISTS (SELECT 1 FROM break_glass rb WHERE rb.user_id = ?1"        \
              " AND rb.child_id = c.id AND rb.expires_at > ?8) THEN 4"                             \
              " ELSE 0 END)"

/* The viewer reaches child ?9. */
#define REACHABLE_CHILD "EXISTS (SELECT 1 FROM child c WHERE c.id = ?9 AND " REACH " <> 0)"

#define CHILD_COLS                                                                                 \
    "c.id, c.version, c.created_at, c.updated_at, c.updated_by, c.program_id, c.record_number,"    \
    " c.given_name, c.family_name, c.preferred_name, c.birth_date, c.sex, c.preferred_language,"   \
    " c.enrolled_on, c.disenrolled_on, c.tier, c.plan_updated_at"

#define ORG_COLS                                                                                   \
    "o.id, o.version, o.created_at, o.updated_at, o.updated_by, o.program_id, o.name, o.type,"     \
    " o.phone, o.email, o.address"

#define USER_COLS                                                                                  \
    "u.id, u.version, u.created_at, u.updated_at, u.updated_by, u.program_id, u.username,"         \
    " u.display_name, u.role, u.organization_id, u.language, u.email, u.phone, u.disabled,"        \
    " u.password_hash"

#define FAMILY_COLS                                                                                \
    "f.id, f.version, f.created_at, f.updated_at, f.updated_by, f.child_id, f.given_name,"         \
    " f.family_name, f.relationship, f.is_guardian, f.lives_with_child, f.phone, f.email,"         \
    " f.preferred_language, f.user_id"

/* For staff members the name is the user's display name (kept in one place). */
#define TEAM_COLS                                                                                  \
    "t.id, t.version, t.created_at, t.updated_at, t.updated_by, t.child_id, t.user_id,"            \
    " COALESCE(u.display_name, t.name), t.role, t.service, t.sector, t.organization_id, t.phone,"  \
    " t.email, t.start_date, t.end_date, t.lead, o.name"

#define PLAN_ITEM_COLS                                                                             \
    "p.id, p.version, p.created_at, p.updated_at, p.updated_by, p.child_id, p.kind, p.position,"   \
    " p.lang, p.body, p.translations, p.removed_at"

/* A version's columns but its content (which lists leave out), its author's name by the join. */
#define PLAN_VERSION_HEAD                                                                          \
    "v.id, v.child_id, v.number, v.created_at, v.created_by, u.display_name, v.note"
#define PLAN_VERSION_FROM " FROM plan_version v LEFT JOIN app_user u ON u.id = v.created_by"

/* The newest review of child c that counts as reviewed with the family (a change request does
 * not: docs/plan.md, "Current"). Newest by time, then id, as the list orders them. */
#define PLAN_REVIEWED                                                                              \
    "(SELECT sr.id FROM plan_review sr WHERE sr.child_id = c.id"                                   \
    " AND sr.decision IN ('agree', 'comment') ORDER BY sr.created_at DESC, sr.id DESC LIMIT 1)"

/* Change requests on the newest version of child c: they stay open until a newer one is frozen. */
#define PLAN_OPEN_REQUESTS                                                                         \
    "(SELECT count(*) FROM plan_version ov JOIN plan_review orq ON orq.version_id = ov.id"         \
    " WHERE ov.child_id = c.id AND ov.number = (SELECT max(om.number) FROM plan_version om"        \
    " WHERE om.child_id = c.id) AND orq.decision = 'change_requested')"

#define AUDIT_COLS                                                                                 \
    "e.id, e.at, e.user_id, e.role, e.action, e.child_id, e.outcome, e.request_id, e.detail,"      \
    " e.break_glass, e.prev_hash, e.hash"

/* ---- the panel -------------------------------------------------------------------------------
 * Two shapes of the visible set, chosen by role so each uses its index: program-wide viewers scan
 * their program's children; everyone else starts from their own team and family links (a
 * coordinator with 80 children among 50,000 touches 80 rows). Break-glass never adds children.
 * Filters: ?10 LIKE pattern or NULL, ?11 tier or 0, ?12 lead user or 0, ?13 mine, ?14 no lead,
 * ?18 plan due before (no agree or comment review at or after it) or 0.
 * ?15 the sort (0 name, 1 -name, 2 tier, 3 -tier, 4 birth_date, 5 -birth_date,
 * 6 plan_updated_at, 7 -plan_updated_at), ?16 limit, ?17 offset. */
#define PANEL_WIDE "FROM child c WHERE ?4 = 1 AND c.program_id = ?2"
#define PANEL_LINKED                                                                               \
    "FROM child c WHERE c.id IN (SELECT vt.child_id FROM team_member vt WHERE ?3 = 1"              \
    " AND vt.user_id = ?1 AND " ACTIVE("vt") " UNION SELECT vf.child_id FROM family_member vf"     \
                                             " WHERE ?5 = 1 AND vf.user_id = ?1)"
#define PANEL_FILTER                                                                               \
    " AND (?10 IS NULL OR c.given_name LIKE ?10 ESCAPE '\\' OR c.family_name LIKE ?10 ESCAPE '\\'" \
    " OR c.preferred_name LIKE ?10 ESCAPE '\\' OR c.record_number LIKE ?10 ESCAPE '\\'"            \
    " OR (c.given_name || ' ' || c.family_name) LIKE ?10 ESCAPE '\\')"                             \
    " AND (?11 = 0 OR c.tier = ?11)"                                                               \
    " AND (?12 = 0 OR EXISTS (SELECT 1 FROM team_member pl WHERE pl.child_id = c.id"               \
    " AND pl.lead = 'lead' AND pl.user_id = ?12))"                                                 \
    " AND (?13 = 0 OR EXISTS (SELECT 1 FROM team_member pm WHERE pm.user_id = ?1"                  \
    " AND pm.child_id = c.id AND " ACTIVE(                                                         \
        "pm") "))"                                                                                 \
              " AND (?14 = 0 OR NOT EXISTS (SELECT 1 FROM team_member pn WHERE pn.child_id = c.id" \
              " AND pn.lead = 'lead'))"                                                            \
              " AND (?18 = 0 OR NOT EXISTS (SELECT 1 FROM plan_review pr WHERE pr.child_id = c.id" \
              " AND pr.created_at >= ?18 AND pr.decision IN ('agree', 'comment')))"
#define PANEL_ORDER                                                                                \
    " ORDER BY CASE ?15 WHEN 2 THEN c.tier END, CASE ?15 WHEN 3 THEN c.tier END DESC,"             \
    " CASE ?15 WHEN 4 THEN c.birth_date END, CASE ?15 WHEN 5 THEN c.birth_date END DESC,"          \
    " CASE ?15 WHEN 6 THEN c.plan_updated_at END,"                                                 \
    " CASE ?15 WHEN 7 THEN c.plan_updated_at END DESC,"                                            \
    " CASE ?15 WHEN 1 THEN c.family_name END COLLATE NOCASE DESC,"                                 \
    " CASE ?15 WHEN 1 THEN c.given_name END COLLATE NOCASE DESC,"                                  \
    " CASE ?15 WHEN 1 THEN c.id END DESC,"                                                         \
    " c.family_name COLLATE NOCASE, c.given_name COLLATE NOCASE, c.id"
/* The page is chosen on child columns alone; the lead, backup, team size and plan state are then
 * looked up for those (at most 200) rows only, each an indexed probe (plan_review_child,
 * plan_version's unique (child_id, number), plan_review_version). Lead flags only sit on active
 * members (team_end clears them), and the partial unique indexes allow one of each per child. */
#define PANEL_PAGE(visible)                                                                        \
    "WITH page AS (SELECT c.id AS id " visible PANEL_FILTER PANEL_ORDER " LIMIT ?16 OFFSET ?17)"   \
    " SELECT " CHILD_COLS ", lt.user_id, COALESCE(lu.display_name, lt.name),"                      \
    " COALESCE(bu.display_name, bt.name),"                                                         \
    " (SELECT count(*) FROM team_member a WHERE a.child_id = c.id AND " ACTIVE(                    \
        "a") "),"                                                                                  \
             " (SELECT max(rr.created_at) FROM plan_review rr WHERE rr.child_id = c.id"            \
             " AND rr.decision IN ('agree', 'comment')),"                                          \
             " (SELECT max(lv.number) FROM plan_version lv WHERE lv.child_id = c.id),"             \
             " " PLAN_OPEN_REQUESTS " FROM page JOIN child c ON c.id = page.id"                    \
             " LEFT JOIN team_member lt ON lt.child_id = c.id AND lt.lead = 'lead'"                \
             " LEFT JOIN app_user lu ON lu.id = lt.user_id"                                        \
             " LEFT JOIN team_member bt ON bt.child_id = c.id AND bt.lead = 'backup'"              \
             " LEFT JOIN app_user bu ON bu.id = bt.user_id" PANEL_ORDER
#define PANEL_COUNT(visible) "SELECT count(*) " visible PANEL_FILTER

struct statement {
    const char *name; /* for log lines */
    const char *sql;
};

static const struct statement statements[CM_ST_COUNT] = {
    [CM_ST_PRAGMA_WAL] = {"pragma_wal", "PRAGMA journal_mode = WAL"},
    [CM_ST_PRAGMA_SYNC] = {"pragma_sync", "PRAGMA synchronous = FULL"},
    [CM_ST_PRAGMA_FK] = {"pragma_fk", "PRAGMA foreign_keys = ON"},
    [CM_ST_PRAGMA_BUSY] = {"pragma_busy", "PRAGMA busy_timeout = 5000"},
    [CM_ST_BEGIN_READ] = {"begin_read", "BEGIN"},
    [CM_ST_BEGIN_WRITE] = {"begin_write", "BEGIN IMMEDIATE"},
    [CM_ST_COMMIT] = {"commit", "COMMIT"},
    [CM_ST_ROLLBACK] = {"rollback", "ROLLBACK"},
    [CM_ST_MIG_TABLE] = {"migration_table",
                         "CREATE TABLE IF NOT EXISTS schema_migrations (name TEXT PRIMARY KEY,"
                         " checksum TEXT NOT NULL, applied_at INTEGER NOT NULL)"},
    [CM_ST_MIG_GET] = {"migration_get", "SELECT checksum FROM schema_migrations WHERE name = ?1"},
    [CM_ST_MIG_ADD] = {"migration_add", "INSERT INTO schema_migrations (name, checksum,"
                                        " applied_at) VALUES (?1, ?2, ?3)"},
    [CM_ST_MIG_LIST] = {"migration_list", "SELECT name FROM schema_migrations ORDER BY name"},

    /* Every column (SELECT * in schema order) in primary-key order. */
    [CM_ST_SUM_PROGRAM] = {"sum_program", "SELECT * FROM program ORDER BY id"},
    [CM_ST_SUM_ORGANIZATION] = {"sum_organization", "SELECT * FROM organization ORDER BY id"},
    [CM_ST_SUM_APP_USER] = {"sum_app_user", "SELECT * FROM app_user ORDER BY id"},
    [CM_ST_SUM_CHILD] = {"sum_child", "SELECT * FROM child ORDER BY id"},
    [CM_ST_SUM_FAMILY_MEMBER] = {"sum_family_member", "SELECT * FROM family_member ORDER BY id"},
    [CM_ST_SUM_TEAM_MEMBER] = {"sum_team_member", "SELECT * FROM team_member ORDER BY id"},
    [CM_ST_SUM_BREAK_GLASS] = {"sum_break_glass", "SELECT * FROM break_glass ORDER BY id"},
    [CM_ST_SUM_PLAN_ITEM] = {"sum_plan_item", "SELECT * FROM plan_item ORDER BY id"},
    [CM_ST_SUM_PLAN_VERSION] = {"sum_plan_version", "SELECT * FROM plan_version ORDER BY id"},
    [CM_ST_SUM_PLAN_REVIEW] = {"sum_plan_review", "SELECT * FROM plan_review ORDER BY id"},
    [CM_ST_SUM_IDENTIFY_RUN] = {"sum_identify_run", "SELECT * FROM identify_run ORDER BY id"},
    [CM_ST_SUM_IDENTIFY_RULE] = {"sum_identify_rule",
                                 "SELECT * FROM identify_rule ORDER BY run_id, rule"},
    [CM_ST_SUM_IDENTIFY_RESULT] = {"sum_identify_result",
                                   "SELECT * FROM identify_result ORDER BY id"},
    [CM_ST_SUM_IDENTIFY_ENROLMENT] = {"sum_identify_enrolment",
                                      "SELECT * FROM identify_enrolment ORDER BY id"},

    [CM_ST_PROGRAM_ADD] = {"program_add", "INSERT INTO program (created_at, updated_at,"
                                          " updated_by, name) VALUES (?1, ?1, 0, ?2)"},
    [CM_ST_PROGRAM_FIRST] = {"program_first", "SELECT id FROM program ORDER BY id LIMIT 1"},

    [CM_ST_ORG_ADD] = {"org_add", "INSERT INTO organization (created_at, updated_at, updated_by,"
                                  " program_id, name, type, phone, email, address)"
                                  " VALUES (?1, ?2, ?3, ?4, ?5, ?6, ?7, ?8, ?9)"},
    [CM_ST_ORG_GET] = {"org_get", "SELECT " ORG_COLS " FROM organization o"
                                  " WHERE o.program_id = ?1 AND o.id = ?2"},
    [CM_ST_ORG_LIST] = {"org_list", "SELECT " ORG_COLS " FROM organization o"
                                    " WHERE o.program_id = ?1 ORDER BY o.name, o.id"},
    [CM_ST_ORG_UPDATE] = {"org_update",
                          "UPDATE organization SET name = ?4, type = ?5, phone = ?6, email = ?7,"
                          " address = ?8, version = version + 1, updated_at = ?9,"
                          " updated_by = ?10 WHERE id = ?1 AND program_id = ?2 AND version = ?3"
                          " RETURNING version, created_at, updated_at, updated_by"},
    [CM_ST_ORG_VERSION] = {"org_version", "SELECT version FROM organization"
                                          " WHERE id = ?1 AND program_id = ?2"},

    [CM_ST_USER_ADD] = {"user_add",
                        "INSERT INTO app_user (created_at, updated_at, updated_by, program_id,"
                        " username, display_name, role, organization_id, language, email, phone,"
                        " disabled, password_hash) VALUES (?1, ?2, ?3, ?4, ?5, ?6, ?7, ?8,"
                        " COALESCE(?9, 'en'), ?10, ?11, ?12, ?13)"},
    [CM_ST_USER_GET] = {"user_get", "SELECT " USER_COLS " FROM app_user u WHERE u.id = ?1"},
    [CM_ST_USER_BY_NAME] = {"user_by_name",
                            "SELECT " USER_COLS " FROM app_user u WHERE u.username = ?1"},
    [CM_ST_USER_LIST] = {"user_list", "SELECT " USER_COLS " FROM app_user u"
                                      " WHERE u.program_id = ?1 ORDER BY u.username"},
    [CM_ST_USER_UPDATE] = {"user_update",
                           "UPDATE app_user SET display_name = ?3, role = ?4,"
                           " organization_id = ?5, language = COALESCE(?6, language),"
                           " email = ?7, phone = ?8, disabled = ?9, version = version + 1,"
                           " updated_at = ?10, updated_by = ?11 WHERE id = ?1 AND version = ?2"
                           " RETURNING version, created_at, updated_at, updated_by"},
    [CM_ST_USER_VERSION] = {"user_version", "SELECT version FROM app_user WHERE id = ?1"},
    [CM_ST_USER_SET_PASSWORD] = {"user_set_password",
                                 "UPDATE app_user SET password_hash = ?2, version = version + 1,"
                                 " updated_at = ?3, updated_by = ?4 WHERE id = ?1"},
    [CM_ST_USER_KIND] = {"user_kind", "SELECT program_id, role FROM app_user WHERE id = ?1"},
    [CM_ST_FAMILY_LINK_GET] = {"family_link_get",
                               "SELECT f.user_id FROM family_member f JOIN child c"
                               " ON c.id = f.child_id WHERE f.id = ?1 AND c.program_id = ?2"},
    [CM_ST_FAMILY_LINK] = {"family_link",
                           "UPDATE family_member SET user_id = ?2, version = version + 1,"
                           " updated_at = ?3, updated_by = 0 WHERE id = ?1 AND user_id IS NULL"},
    [CM_ST_SESSION_ADD] = {"session_add",
                           "INSERT INTO session (token_hash, csrf, user_id, created_at,"
                           " last_seen_at, expires_at) VALUES (?1, ?2, ?3, ?4, ?5, ?6)"},
    [CM_ST_SESSION_GET] = {"session_get",
                           "SELECT token_hash, csrf, user_id, created_at, last_seen_at,"
                           " expires_at FROM session WHERE token_hash = ?1"},
    [CM_ST_SESSION_TOUCH] = {"session_touch",
                             "UPDATE session SET last_seen_at = ?2 WHERE token_hash = ?1"},
    [CM_ST_SESSION_DELETE] = {"session_delete", "DELETE FROM session WHERE token_hash = ?1"},
    [CM_ST_SESSION_DELETE_USER] = {"session_delete_user", "DELETE FROM session WHERE user_id = ?1"},
    [CM_ST_SESSION_PURGE] = {"session_purge", "DELETE FROM session WHERE expires_at <= ?1"
                                              " OR last_seen_at < ?1 - ?2"},
    [CM_ST_LOGIN_FAIL_ADD] = {"login_fail_add",
                              "INSERT INTO login_failure (key, at) VALUES (?1, ?2)"},
    [CM_ST_LOGIN_FAIL_COUNT] = {"login_fail_count", "SELECT count(*) FROM login_failure"
                                                    " WHERE key = ?1 AND at >= ?2"},
    [CM_ST_LOGIN_FAIL_OLDEST] = {"login_fail_oldest", "SELECT min(at) FROM login_failure"
                                                      " WHERE key = ?1 AND at >= ?2"},
    [CM_ST_LOGIN_FAIL_CLEAR] = {"login_fail_clear", "DELETE FROM login_failure WHERE key = ?1"},

    [CM_ST_CHILD_ACCESS] = {"child_access",
                            "SELECT " REACH ", c.version FROM child c WHERE c.id = ?9"},
    [CM_ST_CHILD_GET] = {"child_get",
                         "SELECT " CHILD_COLS ", " REACH " FROM child c WHERE c.id = ?9"},
    [CM_ST_CHILD_ADD] = {"child_add",
                         "INSERT INTO child (created_at, updated_at, updated_by, program_id,"
                         " record_number, given_name, family_name, preferred_name, birth_date,"
                         " sex, preferred_language, enrolled_on, disenrolled_on, tier,"
                         " plan_updated_at) VALUES (?1, ?2, ?3, ?4, ?5, ?6, ?7, ?8, ?9, ?10,"
                         " ?11, ?12, ?13, ?14, ?15)"},
    [CM_ST_CHILD_UPDATE] = {"child_update",
                            "UPDATE child SET record_number = ?11, given_name = ?12,"
                            " family_name = ?13, preferred_name = ?14, birth_date = ?15,"
                            " sex = ?16, preferred_language = ?17, enrolled_on = ?18,"
                            " disenrolled_on = ?19, tier = ?20, plan_updated_at = ?21,"
                            " version = version + 1, updated_at = ?8, updated_by = ?1"
                            " WHERE id = ?9 AND version = ?10 AND " REACHABLE_CHILD
                            " RETURNING version, created_at, updated_at, updated_by, program_id"},
    [CM_ST_CHILD_BUMP] = {"child_bump", "UPDATE child SET version = version + 1,"
                                        " updated_at = ?8, updated_by = ?1"
                                        " WHERE id = ?9 AND version = ?10"},
    [CM_ST_PANEL_COUNT_WIDE] = {"panel_count_wide", PANEL_COUNT(PANEL_WIDE)},
    [CM_ST_PANEL_COUNT_LINKED] = {"panel_count_linked", PANEL_COUNT(PANEL_LINKED)},
    [CM_ST_PANEL_PAGE_WIDE] = {"panel_page_wide", PANEL_PAGE(PANEL_WIDE)},
    [CM_ST_PANEL_PAGE_LINKED] = {"panel_page_linked", PANEL_PAGE(PANEL_LINKED)},

    [CM_ST_FAMILY_LIST] = {"family_list",
                           "SELECT " FAMILY_COLS " FROM family_member f"
                           " WHERE f.child_id = ?9 AND " REACHABLE_CHILD " ORDER BY f.id"},
    [CM_ST_FAMILY_GET] = {"family_get", "SELECT " FAMILY_COLS " FROM family_member f"
                                        " WHERE f.id = ?10 AND f.child_id = ?9"
                                        " AND " REACHABLE_CHILD},
    [CM_ST_FAMILY_ADD] = {"family_add",
                          "INSERT INTO family_member (created_at, updated_at, updated_by,"
                          " child_id, given_name, family_name, relationship, is_guardian,"
                          " lives_with_child, phone, email, preferred_language)"
                          " SELECT ?8, ?8, ?1, c.id, ?10, ?11, ?12, ?13, ?14, ?15, ?16, ?17"
                          " FROM child c WHERE c.id = ?9 AND " REACH " <> 0"},
    [CM_ST_FAMILY_UPDATE] = {"family_update",
                             "UPDATE family_member SET given_name = ?12, family_name = ?13,"
                             " relationship = ?14, is_guardian = ?15, lives_with_child = ?16,"
                             " phone = ?17, email = ?18, preferred_language = ?19,"
                             " version = version + 1, updated_at = ?8, updated_by = ?1"
                             " WHERE id = ?10 AND child_id = ?9 AND version = ?11"
                             " AND " REACHABLE_CHILD
                             " RETURNING version, created_at, updated_at, updated_by, user_id"},
    [CM_ST_FAMILY_VERSION] = {"family_version", "SELECT f.version FROM family_member f"
                                                " WHERE f.id = ?10 AND f.child_id = ?9"
                                                " AND " REACHABLE_CHILD},

    [CM_ST_TEAM_LIST] = {"team_list",
                         "SELECT " TEAM_COLS " FROM team_member t"
                         " LEFT JOIN app_user u ON u.id = t.user_id"
                         " LEFT JOIN organization o ON o.id = t.organization_id"
                         " WHERE t.child_id = ?9 AND (?10 = 1"
                         " OR " NOT_ENDED("t") ") AND " REACHABLE_CHILD " ORDER BY t.id"},
    [CM_ST_TEAM_GET] = {"team_get", "SELECT " TEAM_COLS " FROM team_member t"
                                    " LEFT JOIN app_user u ON u.id = t.user_id"
                                    " LEFT JOIN organization o ON o.id = t.organization_id"
                                    " WHERE t.id = ?10 AND t.child_id = ?9 AND " REACHABLE_CHILD},
    [CM_ST_TEAM_ADD] = {"team_add",
                        "INSERT INTO team_member (created_at, updated_at, updated_by, child_id,"
                        " user_id, name, role, service, sector, organization_id, phone, email,"
                        " start_date) VALUES (?8, ?8, ?1, ?9, ?10, ?11, ?12, ?13, ?14, ?15,"
                        " ?16, ?17, COALESCE(?18, ?7))"},
    [CM_ST_TEAM_UPDATE] = {"team_update",
                           "UPDATE team_member SET role = ?12, service = ?13, sector = ?14,"
                           " organization_id = ?15, phone = ?16, email = ?17,"
                           " name = CASE WHEN user_id IS NULL THEN ?18 ELSE NULL END,"
                           " version = version + 1, updated_at = ?8, updated_by = ?1"
                           " WHERE id = ?10 AND child_id = ?9 AND version = ?11"
                           " AND " REACHABLE_CHILD
                           " RETURNING version, created_at, updated_at, updated_by"},
    [CM_ST_TEAM_STATE] = {"team_state", "SELECT t.version, t.start_date, t.end_date"
                                        " FROM team_member t WHERE t.id = ?10"
                                        " AND t.child_id = ?9 AND " REACHABLE_CHILD},
    [CM_ST_TEAM_END] = {"team_end", "UPDATE team_member SET end_date = ?11, lead = 'none',"
                                    " version = version + 1, updated_at = ?8, updated_by = ?1"
                                    " WHERE id = ?10 AND child_id = ?9 AND version = ?12"},
    [CM_ST_TEAM_USER_OK] = {"team_user_ok",
                            "SELECT 1 FROM app_user u JOIN child c ON c.program_id = u.program_id"
                            " WHERE u.id = ?10 AND c.id = ?9 AND u.role <> 'family'"},
    [CM_ST_TEAM_USER_ACTIVE] = {"team_user_active",
                                "SELECT 1 FROM team_member t WHERE t.user_id = ?10"
                                " AND t.child_id = ?9 AND " NOT_ENDED("t")},
    /* The creator of a child that has no care team yet may add its first members (the API puts
     * the creator on the team in the same transaction as the child). version 1 means the
     * creator's row was never changed since, so updated_by is still the creator. */
    [CM_ST_TEAM_BOOTSTRAP] = {"team_bootstrap",
                              "SELECT 1 FROM child c WHERE c.id = ?9 AND ?3 = 1"
                              " AND c.program_id = ?2 AND c.version = 1 AND c.updated_by = ?1"
                              " AND NOT EXISTS (SELECT 1 FROM team_member t"
                              " WHERE t.child_id = c.id)"},
    [CM_ST_TEAM_IS_ACTIVE] = {"team_is_active", "SELECT 1 FROM team_member t WHERE t.id = ?10"
                                                " AND t.child_id = ?9 AND " ACTIVE("t")},
    /* Clears every flag that is not already what it will be, so untouched members keep their
     * version; the new flags are set after, which the partial unique indexes require. ?12 is
     * the version step: 0 while the child is being created (see struct cm_conn), else 1. */
    [CM_ST_TEAM_CLEAR_LEADS] = {"team_clear_leads",
                                "UPDATE team_member SET lead = 'none', version = version + ?12,"
                                " updated_at = ?8, updated_by = ?1 WHERE child_id = ?9"
                                " AND lead <> 'none' AND NOT ((id = ?10 AND lead = 'lead')"
                                " OR (id = ?11 AND lead = 'backup'))"},
    [CM_ST_TEAM_SET_FLAG] = {"team_set_flag",
                             "UPDATE team_member SET lead = ?11, version = version + ?12,"
                             " updated_at = ?8, updated_by = ?1 WHERE id = ?10"
                             " AND child_id = ?9 AND lead <> ?11"},

    /* The plan's elements: ?10 is the kind (NULL: any) wherever one is taken. A removed item
     * (removed_at <> 0) is out of every read and write but stays in the table. */
    [CM_ST_PLAN_ITEM_LIST] = {"plan_item_list",
                              "SELECT " PLAN_ITEM_COLS " FROM plan_item p WHERE p.child_id = ?9"
                              " AND p.removed_at = 0 AND (?10 IS NULL OR p.kind = ?10)"
                              " AND " REACHABLE_CHILD " ORDER BY p.kind, p.position, p.id"},
    [CM_ST_PLAN_ITEM_GET] = {"plan_item_get",
                             "SELECT " PLAN_ITEM_COLS " FROM plan_item p WHERE p.id = ?11"
                             " AND p.child_id = ?9 AND p.removed_at = 0"
                             " AND (?10 IS NULL OR p.kind = ?10) AND " REACHABLE_CHILD},
    /* The one plan statement without the viewer: the caller has already authorised the child
     * (the API counts a kind's live items against its limit inside its write). */
    [CM_ST_PLAN_ITEM_COUNT] = {"plan_item_count",
                               "SELECT count(*) FROM plan_item p WHERE p.child_id = ?1"
                               " AND p.removed_at = 0 AND (?2 IS NULL OR p.kind = ?2)"},
    /* Position is one past the highest of the kind, removed items included, so an item's place
     * is never reused and the plan reads in creation order. */
    [CM_ST_PLAN_ITEM_ADD] = {"plan_item_add",
                             "INSERT INTO plan_item (created_at, updated_at, updated_by, child_id,"
                             " kind, position, lang, body, translations)"
                             " SELECT ?8, ?8, ?1, c.id, ?10, 1 + COALESCE((SELECT max(q.position)"
                             " FROM plan_item q WHERE q.child_id = c.id AND q.kind = ?10), 0),"
                             " ?11, ?12, COALESCE(?13, '{}') FROM child c"
                             " WHERE c.id = ?9 AND " REACH " <> 0 RETURNING id, position"},
    /* NULL lang or translations keep what is stored: a caller that only changes the body never
     * drops a translation a person wrote. */
    [CM_ST_PLAN_ITEM_UPDATE] = {"plan_item_update",
                                "UPDATE plan_item SET lang = COALESCE(?13, lang), body = ?14,"
                                " translations = COALESCE(?15, translations),"
                                " version = version + 1, updated_at = ?8, updated_by = ?1"
                                " WHERE id = ?11 AND child_id = ?9 AND version = ?12"
                                " AND removed_at = 0 AND (?10 IS NULL OR kind = ?10)"
                                " AND " REACHABLE_CHILD
                                " RETURNING version, created_at, updated_at, updated_by,"
                                " position"},
    /* max(now, 1): removed_at 0 means live, so a removal is never recorded as 0. */
    [CM_ST_PLAN_ITEM_REMOVE] = {"plan_item_remove",
                                "UPDATE plan_item SET removed_at = max(?8, 1),"
                                " version = version + 1, updated_at = ?8, updated_by = ?1"
                                " WHERE id = ?11 AND child_id = ?9 AND version = ?12"
                                " AND removed_at = 0 AND (?10 IS NULL OR kind = ?10)"
                                " AND " REACHABLE_CHILD " RETURNING version"},
    /* After an update or removal changed nothing: there (stale) or not (missing). ?11 the id. */
    [CM_ST_PLAN_ITEM_VERSION] = {"plan_item_version",
                                 "SELECT p.version FROM plan_item p WHERE p.id = ?11"
                                 " AND p.child_id = ?9 AND p.removed_at = 0"
                                 " AND (?10 IS NULL OR p.kind = ?10) AND " REACHABLE_CHILD},
    /* The panel's "plan updated"; the child's own version (its ETag) does not move. */
    [CM_ST_PLAN_TOUCH] = {"plan_touch", "UPDATE child SET plan_updated_at = ?8"
                                        " WHERE id = ?9 AND " REACHABLE_CHILD},
    [CM_ST_PLAN_VERSION_ADD] = {"plan_version_add",
                                "INSERT INTO plan_version (created_at, created_by, child_id,"
                                " number, note, content, content_sha256)"
                                " SELECT ?8, ?1, c.id, 1 + COALESCE((SELECT max(q.number)"
                                " FROM plan_version q WHERE q.child_id = c.id), 0), ?10, ?11, ?12"
                                " FROM child c WHERE c.id = ?9 AND " REACH " <> 0"
                                " RETURNING id, number"},
    [CM_ST_PLAN_VERSION_LIST] = {"plan_version_list", "SELECT " PLAN_VERSION_HEAD
                                                      ", NULL, v.content_sha256" PLAN_VERSION_FROM
                                                      " WHERE v.child_id = ?9 AND " REACHABLE_CHILD
                                                      " ORDER BY v.number DESC"},
    /* ?10 the number, 0 for the newest. */
    [CM_ST_PLAN_VERSION_GET] = {"plan_version_get",
                                "SELECT " PLAN_VERSION_HEAD
                                ", v.content, v.content_sha256" PLAN_VERSION_FROM
                                " WHERE v.child_id = ?9"
                                " AND v.number = CASE ?10 WHEN 0 THEN (SELECT max(m.number)"
                                " FROM plan_version m WHERE m.child_id = ?9) ELSE ?10 END"
                                " AND " REACHABLE_CHILD},
    /* The version is found by (child, number); none, or a child out of reach, inserts nothing. */
    [CM_ST_PLAN_REVIEW_ADD] = {"plan_review_add",
                               "INSERT INTO plan_review (created_at, created_by, child_id,"
                               " version_id, decision, comment, in_person)"
                               " SELECT ?8, ?1, v.child_id, v.id, ?11, ?12, ?13 FROM plan_version v"
                               " WHERE v.child_id = ?9 AND v.number = ?10 AND " REACHABLE_CHILD
                               " RETURNING id"},
    /* ?10 a version number, 0 for every version. */
    [CM_ST_PLAN_REVIEW_LIST] = {"plan_review_list",
                                "SELECT r.id, r.child_id, v.number, r.created_at, r.created_by,"
                                " u.display_name, r.decision, r.comment, r.in_person"
                                " FROM plan_review r JOIN plan_version v ON v.id = r.version_id"
                                " LEFT JOIN app_user u ON u.id = r.created_by"
                                " WHERE r.child_id = ?9 AND (?10 = 0 OR v.number = ?10)"
                                " AND " REACHABLE_CHILD " ORDER BY r.created_at DESC, r.id DESC"},
    /* One row when the child is reached, none otherwise. */
    [CM_ST_PLAN_STATE] =
        {"plan_state",
         "SELECT lv.number, lv.created_at, nr.created_at, nv.number, " PLAN_OPEN_REQUESTS
         " FROM child c LEFT JOIN plan_version lv"
         " ON lv.child_id = c.id AND lv.number = (SELECT max(m.number)"
         " FROM plan_version m WHERE m.child_id = c.id)"
         " LEFT JOIN plan_review nr ON nr.id = " PLAN_REVIEWED
         " LEFT JOIN plan_version nv ON nv.id = nr.version_id"
         " WHERE c.id = ?9 AND " REACH " <> 0"},

    [CM_ST_BREAK_GLASS_ADD] = {"break_glass_add",
                               "INSERT INTO break_glass (created_at, updated_at, updated_by,"
                               " user_id, child_id, reason, expires_at)"
                               " SELECT ?1, ?1, ?2, ?2, c.id, ?4, ?5 FROM child c"
                               " WHERE c.id = ?3 AND c.program_id = ?6"},
    [CM_ST_BREAK_GLASS_LIST] = {"break_glass_list",
                                "SELECT b.id, b.version, b.created_at, b.updated_at,"
                                " b.updated_by, b.user_id, b.child_id, b.reason, b.expires_at,"
                                " u.display_name FROM break_glass b JOIN child c"
                                " ON c.id = b.child_id LEFT JOIN app_user u ON u.id = b.user_id"
                                " WHERE c.program_id = ?1 AND b.created_at >= ?2"
                                " ORDER BY b.created_at DESC, b.id DESC"},

    [CM_ST_AUDIT_LAST] = {"audit_last",
                          "SELECT id, hash FROM audit_event ORDER BY id DESC LIMIT 1"},
    [CM_ST_AUDIT_ADD] = {"audit_add",
                         "INSERT INTO audit_event (id, at, user_id, role, action, child_id,"
                         " outcome, request_id, detail, break_glass, prev_hash, hash)"
                         " VALUES (?1, ?2, ?3, ?4, ?5, ?6, ?7, ?8, ?9, ?10, ?11, ?12)"},
    [CM_ST_AUDIT_COUNT_ALL] = {"audit_count_all", "SELECT count(*) FROM audit_event"},
    [CM_ST_AUDIT_COUNT_CHILD] = {"audit_count_child",
                                 "SELECT count(*) FROM audit_event WHERE child_id = ?1"},
    [CM_ST_AUDIT_LIST_ALL] = {"audit_list_all",
                              "SELECT " AUDIT_COLS ", u.display_name FROM audit_event e"
                              " LEFT JOIN app_user u ON u.id = e.user_id"
                              " ORDER BY e.id DESC LIMIT ?1 OFFSET ?2"},
    [CM_ST_AUDIT_LIST_CHILD] = {"audit_list_child",
                                "SELECT " AUDIT_COLS ", u.display_name FROM audit_event e"
                                " LEFT JOIN app_user u ON u.id = e.user_id"
                                " WHERE e.child_id = ?3 ORDER BY e.id DESC LIMIT ?1 OFFSET ?2"},
    [CM_ST_AUDIT_WALK] = {"audit_walk", "SELECT " AUDIT_COLS " FROM audit_event e ORDER BY e.id"},
};

const char *
cm_store_sql(enum cm_st id)
{
    return statements[id].sql;
}

const char *
cm_store_sql_name(enum cm_st id)
{
    return statements[id].name;
}
