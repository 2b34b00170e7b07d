-- Durable jobs: imports and trainings queued by the CLI, the admin API, the schedule or a first
-- start, claimed by one worker at a time; their progress, outcome and errors stay readable.
-- Times are Unix milliseconds, so a stale heartbeat is found by one comparison on both backends.
CREATE TABLE jobs (
    id             INTEGER PRIMARY KEY,
    kind           TEXT NOT NULL CHECK (kind IN ('import', 'train')),
    -- train: crypto | nutrition | recommend | sentiment | recipes; import: files | live
    domain         TEXT NOT NULL,
    quick          INTEGER NOT NULL DEFAULT 0 CHECK (quick IN (0, 1)),
    origin         TEXT NOT NULL CHECK (origin IN ('cli', 'api', 'schedule', 'start')),
    state          TEXT NOT NULL DEFAULT 'queued'
                       CHECK (state IN ('queued', 'running', 'succeeded', 'failed')),
    attempts       INTEGER NOT NULL DEFAULT 0,
    max_attempts   INTEGER NOT NULL DEFAULT 2 CHECK (max_attempts >= 1),
    created_ms     INTEGER NOT NULL,
    started_ms     INTEGER,
    heartbeat_ms   INTEGER,                        -- the running worker's last sign of life
    finished_ms    INTEGER,
    worker         TEXT,                           -- host:pid of the worker running it
    progress_done  INTEGER,
    progress_total INTEGER,
    progress_note  TEXT,
    run_id         INTEGER,                        -- the tracking run a training recorded
    result         TEXT,                           -- what it reported, once succeeded
    error          TEXT,                           -- why it failed (or was retried)
    CHECK ((state IN ('succeeded', 'failed')) = (finished_ms IS NOT NULL))
);
CREATE INDEX jobs_state ON jobs (state, id);
-- At most one queued job per (kind, domain, quick): asking again while one waits returns it.
CREATE UNIQUE INDEX jobs_one_queued ON jobs (kind, domain, quick) WHERE state = 'queued';
