-- +goose Up
-- A refused webhook delivery (bad or missing signature, unreadable, too large) is not kept whole:
-- anyone can send one. Refusals are counted in memory and written at most once a second, as counts
-- per provider, reason and hour, and the latest ones as a small sample (headers allow-listed and
-- capped, the body cut at 2 KB).
CREATE TABLE webhook_refusal_counts (
    provider TEXT NOT NULL,
    reason   TEXT NOT NULL,
    hour     DATETIME NOT NULL,
    count    INTEGER NOT NULL,
    PRIMARY KEY (provider, reason, hour)
);

CREATE TABLE webhook_refusals (
    id          INTEGER PRIMARY KEY,
    provider    TEXT NOT NULL,
    reason      TEXT NOT NULL,
    detail      TEXT NOT NULL DEFAULT '',
    headers     TEXT NOT NULL,
    body        BLOB NOT NULL,
    body_size   INTEGER NOT NULL,
    remote_addr TEXT NOT NULL DEFAULT '',
    received_at DATETIME NOT NULL
);

-- The refused deliveries kept whole until now go; no event was ever made from one.
DELETE FROM webhook_deliveries WHERE NOT verified;
DROP INDEX webhook_deliveries_rejected;

-- +goose Down
CREATE INDEX webhook_deliveries_rejected ON webhook_deliveries (verified, id DESC);
DROP TABLE webhook_refusals;
DROP TABLE webhook_refusal_counts;
