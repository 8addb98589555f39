-- +goose Up
-- The PayPal emulator's captures, with what has been refunded of them.
CREATE TABLE sandbox_paypal_captures (
    id             TEXT PRIMARY KEY,
    order_id       TEXT NOT NULL,
    merchant_id    TEXT NOT NULL,
    status         TEXT NOT NULL,
    currency       TEXT NOT NULL,
    amount_minor   INTEGER NOT NULL,
    refunded_minor INTEGER NOT NULL DEFAULT 0,
    body           TEXT NOT NULL,
    created_at     DATETIME NOT NULL,
    updated_at     DATETIME NOT NULL
);

-- +goose Down
DROP TABLE sandbox_paypal_captures;
