-- Experiment tracking and the model registry (MLflow's model, in the app's own database).
-- A run records one training of one model (or a parent run grouping a whole `train` command):
-- its parameters, metrics (a value per step: folds, training sizes), tags and artifacts.

CREATE TABLE experiments (
    id         INTEGER PRIMARY KEY,
    name       TEXT NOT NULL UNIQUE,
    created_at TEXT NOT NULL
);

CREATE TABLE runs (
    id            INTEGER PRIMARY KEY,
    experiment_id INTEGER NOT NULL REFERENCES experiments (id) ON DELETE CASCADE,
    parent_id     INTEGER REFERENCES runs (id) ON DELETE CASCADE,
    name          TEXT NOT NULL,
    status        TEXT NOT NULL CHECK (status IN ('running', 'finished', 'failed')),
    started_at    TEXT NOT NULL,                  -- RFC 3339, UTC
    ended_at      TEXT,
    git_commit    TEXT,
    error         TEXT,                           -- why a failed run failed
    CHECK ((status = 'running') = (ended_at IS NULL))
);
CREATE INDEX runs_experiment ON runs (experiment_id, started_at);
CREATE INDEX runs_parent ON runs (parent_id);

CREATE TABLE run_params (
    run_id INTEGER NOT NULL REFERENCES runs (id) ON DELETE CASCADE,
    key    TEXT NOT NULL,
    value  TEXT NOT NULL,
    PRIMARY KEY (run_id, key)
) WITHOUT ROWID;

-- An undefined metric is an absent row, never NaN or 0.
CREATE TABLE run_metrics (
    run_id INTEGER NOT NULL REFERENCES runs (id) ON DELETE CASCADE,
    key    TEXT NOT NULL,
    step   INTEGER NOT NULL DEFAULT 0,
    value  REAL NOT NULL,
    PRIMARY KEY (run_id, key, step)
) WITHOUT ROWID;

CREATE TABLE run_tags (
    run_id INTEGER NOT NULL REFERENCES runs (id) ON DELETE CASCADE,
    key    TEXT NOT NULL,
    value  TEXT NOT NULL,
    PRIMARY KEY (run_id, key)
) WITHOUT ROWID;

-- Content-addressed blobs: the same weights stored twice are stored once.
CREATE TABLE artifacts (
    sha256     TEXT PRIMARY KEY CHECK (length(sha256) = 64),
    size_bytes INTEGER NOT NULL CHECK (size_bytes >= 0),
    media_type TEXT NOT NULL,
    content    BLOB NOT NULL,
    CHECK (length(content) = size_bytes)
);

CREATE TABLE run_artifacts (
    run_id INTEGER NOT NULL REFERENCES runs (id) ON DELETE CASCADE,
    name   TEXT NOT NULL,                          -- e.g. model.json, report.json
    sha256 TEXT NOT NULL REFERENCES artifacts (sha256),
    PRIMARY KEY (run_id, name)
) WITHOUT ROWID;

-- Registered versions of each (task, model name); at most one serving version per task.
CREATE TABLE model_versions (
    id         INTEGER PRIMARY KEY,
    task       TEXT NOT NULL,                      -- e.g. crypto_direction, crypto_return
    name       TEXT NOT NULL,                      -- e.g. random_forest
    version    INTEGER NOT NULL CHECK (version >= 1),
    run_id     INTEGER NOT NULL REFERENCES runs (id) ON DELETE CASCADE,
    sha256     TEXT NOT NULL REFERENCES artifacts (sha256),
    serving    INTEGER NOT NULL DEFAULT 0 CHECK (serving IN (0, 1)),
    created_at TEXT NOT NULL,
    UNIQUE (task, name, version)
);
CREATE UNIQUE INDEX model_versions_one_serving ON model_versions (task) WHERE serving = 1;
