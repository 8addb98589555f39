-- +goose Up
-- The calls chatshop makes to PayPal and Meta (a message to send, an order to create or capture,
-- a refund, a tracker, a dispute action, a profile read): each queued in the transaction that asks
-- for it, claimed under a short lease the working process renews while the call runs, retried
-- with backoff. A process killed mid-call stops renewing, and the call is taken again within
-- seconds. Done and failed calls are kept a while for inspection (see PruneCalls).
CREATE TABLE calls (
    id           INTEGER PRIMARY KEY,
    kind         TEXT NOT NULL,
    args         TEXT NOT NULL,                     -- the call's arguments, as JSON
    unique_key   TEXT,                              -- set for a call queued once however often asked
    state        TEXT NOT NULL DEFAULT 'queued'
                 CHECK (state IN ('queued', 'done', 'failed')),
    attempts     INTEGER NOT NULL DEFAULT 0,
    max_attempts INTEGER NOT NULL,
    run_at       DATETIME NOT NULL,                 -- when it is due (a retry's backoff, a pause)
    locked_until DATETIME,                          -- a process's lease on it
    last_error   TEXT NOT NULL DEFAULT '',
    created_at   DATETIME NOT NULL,
    finished_at  DATETIME
);
CREATE UNIQUE INDEX calls_unique ON calls (unique_key);
CREATE INDEX calls_due ON calls (run_at, id) WHERE state = 'queued';
CREATE INDEX calls_finished ON calls (finished_at) WHERE state <> 'queued';

-- +goose Down
DROP TABLE calls;
