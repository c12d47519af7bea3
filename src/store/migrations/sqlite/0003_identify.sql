-- The identification registry (issue 6): runs of `caremap identify --load` and their results, one
-- row per patient of the claims file, so a program sees the children a run flagged, enrols them,
-- and compares one run with another. docs/api.md, "Finding children", is the contract.
--
-- A run is loaded in one transaction: the run row first (sealed = 0), then every result, then the
-- run's counts with sealed = 1. From then on no row of these tables changes or goes (triggers
-- below, as for plan_version): a run is evidence of what a given list found in a given file.
-- Reads show sealed runs only.

CREATE TABLE identify_run (
    id                  INTEGER PRIMARY KEY,
    created_at          INTEGER NOT NULL,
    created_by          INTEGER NOT NULL REFERENCES app_user (id),
    program_id          INTEGER NOT NULL REFERENCES program (id),
    algorithm           TEXT NOT NULL,
    codes_mode          TEXT NOT NULL CHECK (codes_mode IN ('reference', 'normalised')),
    list_name           TEXT NOT NULL,
    list_sha256         TEXT NOT NULL,
    input_name          TEXT NOT NULL,
    -- Stratification: all four set (a stratified run) or all four NULL.
    encounters_name     TEXT,
    tiers_name          TEXT,
    tiers_sha256        TEXT,
    as_of               TEXT,
    row_count           INTEGER NOT NULL DEFAULT 0,
    patient_count       INTEGER NOT NULL DEFAULT 0,
    bad_row_count       INTEGER NOT NULL DEFAULT 0,
    complex_chronic     INTEGER NOT NULL DEFAULT 0,
    non_complex_chronic INTEGER NOT NULL DEFAULT 0,
    non_chronic         INTEGER NOT NULL DEFAULT 0,
    -- Patients per tier (tier_0: no tier); NULL for a run without tiers.
    tier_0              INTEGER,
    tier_1              INTEGER,
    tier_2              INTEGER,
    tier_3              INTEGER,
    candidates          INTEGER NOT NULL DEFAULT 0,
    sealed              INTEGER NOT NULL DEFAULT 0 CHECK (sealed IN (0, 1)),
    CHECK ((tiers_name IS NULL) = (tiers_sha256 IS NULL)
           AND (tiers_name IS NULL) = (encounters_name IS NULL)
           AND (tiers_name IS NULL) = (as_of IS NULL))
);
-- A program's runs, newest first.
CREATE INDEX identify_run_program ON identify_run (program_id, created_at, id);
CREATE TRIGGER identify_run_no_update BEFORE UPDATE ON identify_run WHEN OLD.sealed = 1
BEGIN
    SELECT RAISE(ABORT, 'identification runs are immutable');
END;
CREATE TRIGGER identify_run_no_delete BEFORE DELETE ON identify_run
BEGIN
    SELECT RAISE(ABORT, 'identification runs are immutable');
END;

-- The tier rules that fired in a run, with their reasons in plain words: kept once per run rather
-- than once per patient (a million results would otherwise repeat a handful of sentences).
CREATE TABLE identify_rule (
    run_id  INTEGER NOT NULL REFERENCES identify_run (id),
    rule    TEXT NOT NULL,
    tier    INTEGER NOT NULL CHECK (tier BETWEEN 0 AND 3),
    reason  TEXT NOT NULL,
    PRIMARY KEY (run_id, rule)
);
CREATE TRIGGER identify_rule_no_update BEFORE UPDATE ON identify_rule
BEGIN
    SELECT RAISE(ABORT, 'identification runs are immutable');
END;
CREATE TRIGGER identify_rule_no_delete BEFORE DELETE ON identify_rule
BEGIN
    SELECT RAISE(ABORT, 'identification runs are immutable');
END;

-- One patient of a run. patient_id is the claims member id as the file gave it. level says
-- whether the patient is a candidate and how high it ranks: the tier for a stratified run
-- (0: no tier), otherwise 2 complex chronic, 1 non-complex chronic, 0 non-chronic. Candidates are
-- level > 0, listed by level then patient_id, which is the partial index below.
--
-- A load writes a million of these in one transaction, so the table carries no CHECK lists and
-- no per-row trigger on insert (together they tripled the cost of a row): the loader
-- (store/registry.c) is the only writer and checks every value before binding it, and the
-- triggers below keep the rows as written.
CREATE TABLE identify_result (
    id               INTEGER PRIMARY KEY,
    run_id           INTEGER NOT NULL REFERENCES identify_run (id),
    patient_id       TEXT NOT NULL,
    class            TEXT NOT NULL,  -- complex_chronic, non_complex_chronic, non_chronic
    level            INTEGER NOT NULL,
    conditions       INTEGER NOT NULL,
    condition_names  TEXT NOT NULL,  -- comma-separated, '' for none
    tech_dep         INTEGER NOT NULL,  -- 0 or 1, as the three below
    transplant       INTEGER NOT NULL,
    progressive      INTEGER NOT NULL,
    malignancy       INTEGER NOT NULL,
    -- Stratified runs only (NULL otherwise): the tier (0-3), the rule that fired
    -- (identify_rule) and the encounters in the window by type.
    tier             INTEGER,
    tier_rule        TEXT,
    enc_ed           INTEGER,
    enc_admission    INTEGER,
    enc_observation  INTEGER,
    enc_specialty    INTEGER,
    enc_primary_care INTEGER,
    enc_home_health  INTEGER,
    enc_other        INTEGER,
    -- Also the index of every lookup by member id: compare, enrol, "enrolled".
    UNIQUE (run_id, patient_id)
);
CREATE INDEX identify_result_candidates ON identify_result (run_id, level DESC, patient_id)
    WHERE level > 0;
CREATE TRIGGER identify_result_no_update BEFORE UPDATE ON identify_result
BEGIN
    SELECT RAISE(ABORT, 'identification results are immutable');
END;
CREATE TRIGGER identify_result_no_delete BEFORE DELETE ON identify_result
BEGIN
    SELECT RAISE(ABORT, 'identification results are immutable');
END;

-- The claims member id of a child enrolled from a run: a candidate is enrolled when a child of
-- the run's program carries its patient_id (whichever run it was enrolled from).
ALTER TABLE child ADD COLUMN member_id TEXT;
CREATE UNIQUE INDEX child_member ON child (program_id, member_id) WHERE member_id IS NOT NULL;

-- Who enrolled which candidate of which run as which child, and when.
CREATE TABLE identify_enrolment (
    id          INTEGER PRIMARY KEY,
    created_at  INTEGER NOT NULL,
    created_by  INTEGER NOT NULL REFERENCES app_user (id),
    run_id      INTEGER NOT NULL REFERENCES identify_run (id),
    result_id   INTEGER NOT NULL REFERENCES identify_result (id),
    child_id    INTEGER NOT NULL UNIQUE REFERENCES child (id)
);
CREATE INDEX identify_enrolment_run ON identify_enrolment (run_id, result_id);
CREATE TRIGGER identify_enrolment_no_update BEFORE UPDATE ON identify_enrolment
BEGIN
    SELECT RAISE(ABORT, 'enrolment links are immutable');
END;
CREATE TRIGGER identify_enrolment_no_delete BEFORE DELETE ON identify_enrolment
BEGIN
    SELECT RAISE(ABORT, 'enrolment links are immutable');
END;
