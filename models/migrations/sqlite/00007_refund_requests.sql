-- +goose Up
-- Refunds asked for in chatshop and carried out by the worker through PayPal. request_id is the
-- PayPal-Request-Id, fixed when the refund is asked for, so every retry is the same refund.
CREATE TABLE refund_requests (
    id               INTEGER PRIMARY KEY,
    shop_id          INTEGER NOT NULL REFERENCES shops (id) ON DELETE CASCADE,
    capture_id       TEXT NOT NULL,
    merchant_id      TEXT NOT NULL,
    amount_minor     INTEGER NOT NULL CHECK (amount_minor > 0),
    currency         TEXT NOT NULL,
    reason           TEXT NOT NULL DEFAULT '',
    request_id       TEXT NOT NULL UNIQUE,
    status           TEXT NOT NULL DEFAULT 'requested' CHECK (status IN ('requested', 'completed', 'pending', 'failed')),
    paypal_refund_id TEXT NOT NULL DEFAULT '',
    attempts         INTEGER NOT NULL DEFAULT 0,
    error            TEXT NOT NULL DEFAULT '',
    requested_by     INTEGER REFERENCES users (id) ON DELETE SET NULL,
    created_at       DATETIME NOT NULL,
    completed_at     DATETIME
);
CREATE INDEX refund_requests_shop ON refund_requests (shop_id, id DESC);

-- +goose Down
DROP TABLE refund_requests;
