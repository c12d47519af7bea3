-- The shared plan of care (issue 5): its elements, its frozen versions and the family's reviews.
-- Every element kind lives in one table: the kinds and their fields are declared once, as data,
-- in src/model/plan_kinds.c, and body holds the fields of one item as a JSON object (keys in the
-- declared order, absent fields left out). docs/plan.md says why one table and not eleven.

CREATE TABLE plan_item (
    id           INTEGER PRIMARY KEY,
    version      INTEGER NOT NULL DEFAULT 1 CHECK (version >= 1),
    created_at   INTEGER NOT NULL,
    updated_at   INTEGER NOT NULL,
    updated_by   INTEGER NOT NULL DEFAULT 0,
    child_id     INTEGER NOT NULL REFERENCES child (id),
    kind         TEXT NOT NULL CHECK (kind IN ('summary', 'goal', 'concern', 'action',
                                               'condition', 'allergy', 'medication', 'equipment',
                                               'action_plan', 'transition', 'milestone')),
    -- Order within the kind: creation order, so the plan reads the same every time.
    position     INTEGER NOT NULL,
    -- The language the item's family-facing text was written in.
    lang         TEXT NOT NULL CHECK (lang IN ('en', 'es')),
    body         TEXT NOT NULL CHECK (json_valid(body) AND json_type(body) = 'object'),
    -- {"es": {"text": "..."}}: translations entered by people, per language, per text field.
    translations TEXT NOT NULL DEFAULT '{}'
                 CHECK (json_valid(translations) AND json_type(translations) = 'object'),
    -- Removed items stay (0 = live) so that the audit trail can name what was removed; versions
    -- keep their own frozen copy.
    removed_at   INTEGER NOT NULL DEFAULT 0
);
CREATE INDEX plan_item_child ON plan_item (child_id, removed_at, kind, position);
-- A place is never given twice (removed items keep theirs); also finds the next one.
CREATE UNIQUE INDEX plan_item_position ON plan_item (child_id, kind, position);

-- A frozen version: the whole plan document (docs/plan.md) as it stood, never changed again.
CREATE TABLE plan_version (
    id             INTEGER PRIMARY KEY,
    created_at     INTEGER NOT NULL,
    created_by     INTEGER NOT NULL REFERENCES app_user (id),
    child_id       INTEGER NOT NULL REFERENCES child (id),
    number         INTEGER NOT NULL CHECK (number >= 1),
    note           TEXT,
    content        TEXT NOT NULL CHECK (json_valid(content)),
    content_sha256 TEXT NOT NULL,
    -- Also the index of every lookup by child: the newest (max number) and one by number.
    UNIQUE (child_id, number)
);
CREATE TRIGGER plan_version_no_update BEFORE UPDATE ON plan_version
BEGIN
    SELECT RAISE(ABORT, 'plan versions are immutable');
END;
CREATE TRIGGER plan_version_no_delete BEFORE DELETE ON plan_version
BEGIN
    SELECT RAISE(ABORT, 'plan versions are immutable');
END;

-- The family's review of a version: they agree, comment, or ask for a change. A review recorded
-- by staff (in_person = 1) is one done with the family face to face or by phone.
CREATE TABLE plan_review (
    id          INTEGER PRIMARY KEY,
    created_at  INTEGER NOT NULL,
    created_by  INTEGER NOT NULL REFERENCES app_user (id),
    child_id    INTEGER NOT NULL REFERENCES child (id),
    version_id  INTEGER NOT NULL REFERENCES plan_version (id),
    decision    TEXT NOT NULL CHECK (decision IN ('agree', 'comment', 'change_requested')),
    comment     TEXT,
    in_person   INTEGER NOT NULL DEFAULT 0 CHECK (in_person IN (0, 1)),
    CHECK (decision = 'agree' OR comment IS NOT NULL)
);
-- The newest review of a child (the panel's "reviewed"), and a version's reviews (its open
-- change requests).
CREATE INDEX plan_review_child ON plan_review (child_id, created_at);
CREATE INDEX plan_review_version ON plan_review (version_id, decision);
CREATE TRIGGER plan_review_no_update BEFORE UPDATE ON plan_review
BEGIN
    SELECT RAISE(ABORT, 'plan reviews are immutable');
END;
CREATE TRIGGER plan_review_no_delete BEFORE DELETE ON plan_review
BEGIN
    SELECT RAISE(ABORT, 'plan reviews are immutable');
END;
