-- One row per data set that every import bumps when it has imported files of that set: what a
-- serving process compares to learn that the data changed (several processes may share one
-- database, so memory cannot tell them), and which of its parts to rebuild.
CREATE TABLE data_versions (
    data_set   TEXT PRIMARY KEY CHECK (data_set IN
                   ('prices', 'news', 'phrasebank', 'foods', 'recipes', 'ingredients')),
    version    INTEGER NOT NULL CHECK (version >= 1),
    changed_at TEXT NOT NULL                       -- RFC 3339, UTC
);
