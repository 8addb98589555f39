-- +goose Up
-- The PayPal emulator's orders (the order as the Orders API returns it) and its idempotency keys.
CREATE TABLE sandbox_paypal_orders (
    id          TEXT PRIMARY KEY,
    status      TEXT NOT NULL,
    merchant_id TEXT NOT NULL,
    body        TEXT NOT NULL,
    return_url  TEXT NOT NULL DEFAULT '',
    cancel_url  TEXT NOT NULL DEFAULT '',
    created_at  DATETIME NOT NULL,
    updated_at  DATETIME NOT NULL
);

CREATE TABLE sandbox_paypal_requests (
    endpoint   TEXT NOT NULL,
    request_id TEXT NOT NULL,
    status     INTEGER NOT NULL,
    response   TEXT NOT NULL,
    created_at DATETIME NOT NULL,
    PRIMARY KEY (endpoint, request_id)
) WITHOUT ROWID;

-- +goose Down
DROP TABLE sandbox_paypal_requests;
DROP TABLE sandbox_paypal_orders;
