-- +goose Up
-- The PayPal emulator's disputes, opened by sandbox buyers on captures.
CREATE TABLE sandbox_paypal_disputes (
    id          TEXT PRIMARY KEY,
    capture_id  TEXT NOT NULL,
    merchant_id TEXT NOT NULL,
    status      TEXT NOT NULL,
    stage       TEXT NOT NULL,
    body        TEXT NOT NULL,
    version     INTEGER NOT NULL DEFAULT 1,
    created_at  DATETIME NOT NULL,
    updated_at  DATETIME NOT NULL
);
CREATE INDEX sandbox_paypal_disputes_capture ON sandbox_paypal_disputes (capture_id);
CREATE INDEX sandbox_paypal_disputes_merchant ON sandbox_paypal_disputes (merchant_id, updated_at);

-- +goose Down
DROP TABLE sandbox_paypal_disputes;
