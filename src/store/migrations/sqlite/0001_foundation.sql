-- 0001_foundation: programs, organisations, users, children, their families and care teams,
-- break-glass grants, sessions, sign-in failures and the hash-chained audit trail.
--
-- Written so PostgreSQL accepts the same text apart from id generation (the Postgres backend's
-- copy says GENERATED ALWAYS AS IDENTITY where this says INTEGER PRIMARY KEY): plain TEXT and
-- INTEGER columns, enums as TEXT with CHECK lists, dates as 'YYYY-MM-DD' text (which sorts like
-- the dates), times as UTC epoch seconds, booleans as 0/1 integers, no SQLite-only functions.
-- "user" is reserved in PostgreSQL, hence app_user.
--
-- Every record table carries model.h's struct cm_meta: id, version (the ETag, from 1),
-- created_at, updated_at, updated_by (a user id, 0 for the system: no foreign key, so that the
-- system and deleted users can still be named). Optional references are NULL, never 0.
--
-- Applied migrations are immutable: change the schema with a new numbered file.

CREATE TABLE program (
    id          INTEGER PRIMARY KEY,
    version     INTEGER NOT NULL DEFAULT 1 CHECK (version >= 1),
    created_at  INTEGER NOT NULL,
    updated_at  INTEGER NOT NULL,
    updated_by  INTEGER NOT NULL DEFAULT 0,
    name        TEXT NOT NULL
);

CREATE TABLE organization (
    id          INTEGER PRIMARY KEY,
    version     INTEGER NOT NULL DEFAULT 1 CHECK (version >= 1),
    created_at  INTEGER NOT NULL,
    updated_at  INTEGER NOT NULL,
    updated_by  INTEGER NOT NULL DEFAULT 0,
    program_id  INTEGER NOT NULL REFERENCES program (id),
    name        TEXT NOT NULL,
    type        TEXT NOT NULL CHECK (type IN ('practice', 'hospital', 'clinic', 'school', 'agency',
                                              'payer', 'dme_supplier', 'home_nursing',
                                              'community')),
    phone       TEXT,
    email       TEXT,
    address     TEXT
);
CREATE INDEX organization_program ON organization (program_id, name);

CREATE TABLE app_user (
    id              INTEGER PRIMARY KEY,
    version         INTEGER NOT NULL DEFAULT 1 CHECK (version >= 1),
    created_at      INTEGER NOT NULL,
    updated_at      INTEGER NOT NULL,
    updated_by      INTEGER NOT NULL DEFAULT 0,
    program_id      INTEGER NOT NULL REFERENCES program (id),
    username        TEXT NOT NULL UNIQUE,
    display_name    TEXT NOT NULL,
    role            TEXT NOT NULL CHECK (role IN ('administrator', 'program_manager',
                                                  'complex_care_pediatrician',
                                                  'primary_care_clinician',
                                                  'nurse_care_coordinator', 'social_worker',
                                                  'family_navigator', 'community_health_worker',
                                                  'analyst', 'family')),
    organization_id INTEGER REFERENCES organization (id),
    language        TEXT NOT NULL DEFAULT 'en',
    email           TEXT,
    phone           TEXT,
    disabled        INTEGER NOT NULL DEFAULT 0 CHECK (disabled IN (0, 1)),
    password_hash   TEXT
);
CREATE INDEX app_user_program ON app_user (program_id, username);

CREATE TABLE child (
    id                 INTEGER PRIMARY KEY,
    version            INTEGER NOT NULL DEFAULT 1 CHECK (version >= 1),
    created_at         INTEGER NOT NULL,
    updated_at         INTEGER NOT NULL,
    updated_by         INTEGER NOT NULL DEFAULT 0,
    program_id         INTEGER NOT NULL REFERENCES program (id),
    record_number      TEXT NOT NULL,
    given_name         TEXT NOT NULL,
    family_name        TEXT NOT NULL,
    preferred_name     TEXT,
    birth_date         TEXT NOT NULL,
    sex                TEXT CHECK (sex IN ('female', 'male', 'other', 'unknown')),
    preferred_language TEXT,
    enrolled_on        TEXT,
    disenrolled_on     TEXT,
    tier               INTEGER NOT NULL DEFAULT 0 CHECK (tier BETWEEN 0 AND 3),
    plan_updated_at    INTEGER NOT NULL DEFAULT 0,
    UNIQUE (program_id, record_number)
);

CREATE TABLE family_member (
    id                 INTEGER PRIMARY KEY,
    version            INTEGER NOT NULL DEFAULT 1 CHECK (version >= 1),
    created_at         INTEGER NOT NULL,
    updated_at         INTEGER NOT NULL,
    updated_by         INTEGER NOT NULL DEFAULT 0,
    child_id           INTEGER NOT NULL REFERENCES child (id),
    given_name         TEXT NOT NULL,
    family_name        TEXT NOT NULL,
    relationship       TEXT NOT NULL CHECK (relationship IN ('mother', 'father', 'grandparent',
                                                              'foster_parent', 'guardian',
                                                              'sibling', 'other_caregiver')),
    is_guardian        INTEGER NOT NULL DEFAULT 0 CHECK (is_guardian IN (0, 1)),
    lives_with_child   INTEGER NOT NULL DEFAULT 0 CHECK (lives_with_child IN (0, 1)),
    phone              TEXT,
    email              TEXT,
    preferred_language TEXT,
    user_id            INTEGER REFERENCES app_user (id)
);
CREATE INDEX family_member_child ON family_member (child_id);
-- A family account reaches its children through this index.
CREATE INDEX family_member_user ON family_member (user_id);

-- A child x (a staff user, or an external contact named here). lead is 'lead', 'backup' or
-- 'none': text, so that the partial unique indexes below read as the rule they enforce.
CREATE TABLE team_member (
    id              INTEGER PRIMARY KEY,
    version         INTEGER NOT NULL DEFAULT 1 CHECK (version >= 1),
    created_at      INTEGER NOT NULL,
    updated_at      INTEGER NOT NULL,
    updated_by      INTEGER NOT NULL DEFAULT 0,
    child_id        INTEGER NOT NULL REFERENCES child (id),
    user_id         INTEGER REFERENCES app_user (id),
    name            TEXT,
    role            TEXT NOT NULL,
    service         TEXT,
    sector          TEXT CHECK (sector IN ('medical', 'mental_health', 'education', 'community',
                                           'equipment_home', 'payer', 'family_support')),
    organization_id INTEGER REFERENCES organization (id),
    phone           TEXT,
    email           TEXT,
    start_date      TEXT NOT NULL,
    end_date        TEXT,
    lead            TEXT NOT NULL DEFAULT 'none' CHECK (lead IN ('lead', 'backup', 'none')),
    CHECK (user_id IS NOT NULL OR name IS NOT NULL),
    CHECK (end_date IS NULL OR end_date >= start_date),
    CHECK (lead = 'none' OR end_date IS NULL)
);
-- The reach check (is this user on this child's active team?) and a coordinator's panel read
-- these two without touching the table: the dates are in the index.
CREATE INDEX team_member_user_child ON team_member (user_id, child_id, start_date, end_date);
CREATE INDEX team_member_child ON team_member (child_id, start_date, end_date);
-- At most one lead and one backup per child.
CREATE UNIQUE INDEX team_member_one_lead ON team_member (child_id) WHERE lead = 'lead';
CREATE UNIQUE INDEX team_member_one_backup ON team_member (child_id) WHERE lead = 'backup';

CREATE TABLE break_glass (
    id          INTEGER PRIMARY KEY,
    version     INTEGER NOT NULL DEFAULT 1 CHECK (version >= 1),
    created_at  INTEGER NOT NULL,
    updated_at  INTEGER NOT NULL,
    updated_by  INTEGER NOT NULL DEFAULT 0,
    user_id     INTEGER NOT NULL REFERENCES app_user (id),
    child_id    INTEGER NOT NULL REFERENCES child (id),
    reason      TEXT NOT NULL,
    expires_at  INTEGER NOT NULL
);
CREATE INDEX break_glass_user_child ON break_glass (user_id, child_id, expires_at);
CREATE INDEX break_glass_created ON break_glass (created_at);

-- Not a care record: no version. token_hash is the primary key, so the lookup by token hash is
-- the primary key's index.
CREATE TABLE session (
    token_hash   TEXT PRIMARY KEY,
    csrf         TEXT NOT NULL,
    user_id      INTEGER NOT NULL REFERENCES app_user (id),
    created_at   INTEGER NOT NULL,
    last_seen_at INTEGER NOT NULL,
    expires_at   INTEGER NOT NULL
);
CREATE INDEX session_user ON session (user_id);

CREATE TABLE login_failure (
    id  INTEGER PRIMARY KEY,
    key TEXT NOT NULL,
    at  INTEGER NOT NULL
);
CREATE INDEX login_failure_key_at ON login_failure (key, at);

-- Append-only and hash-chained (see store/audit.c for the canonical text). No foreign keys: a
-- denied attempt names a child id that may not exist, a failed sign-in has no user (NULL).
CREATE TABLE audit_event (
    id          INTEGER PRIMARY KEY,
    at          INTEGER NOT NULL,
    user_id     INTEGER,
    role        TEXT,
    action      TEXT NOT NULL,
    child_id    INTEGER,
    outcome     TEXT NOT NULL CHECK (outcome IN ('ok', 'denied', 'failed')),
    request_id  TEXT,
    detail      TEXT,
    break_glass INTEGER NOT NULL DEFAULT 0 CHECK (break_glass IN (0, 1)),
    prev_hash   TEXT NOT NULL,
    hash        TEXT NOT NULL
);
CREATE INDEX audit_event_child ON audit_event (child_id, id);
