-- With PostgreSQL the history sink writes the orders with odd ids and their events on a second
-- connection (a second server process, so the inserts use both cores). That connection commits
-- its half of a batch just before the sink's transaction commits the rest with sink_checkpoint,
-- and records here the engine sequence it committed up to. Rows above sink_checkpoint.sequence are
-- then a batch whose checkpoint has not committed (yet, or ever, after a crash): queries read up to
-- the checkpoint's sequence only, and the sink writes those rows again idempotently (ON CONFLICT)
-- until it has passed this sequence. SQLite has one writer; it writes both halves itself.
CREATE TABLE sink_parallel (
    id       INTEGER PRIMARY KEY,
    sequence BIGINT NOT NULL
);
INSERT INTO sink_parallel (id, sequence) VALUES (1, 0);
