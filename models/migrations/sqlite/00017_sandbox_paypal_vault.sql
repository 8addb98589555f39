-- +goose Up
-- The PayPal emulator's vault: setup tokens a buyer approves, and the payment tokens made of them.
CREATE TABLE sandbox_paypal_setup_tokens (
    id               TEXT PRIMARY KEY,
    merchant_id      TEXT NOT NULL DEFAULT '',
    customer_id      TEXT NOT NULL,
    status           TEXT NOT NULL,
    payer_id         TEXT NOT NULL DEFAULT '',
    return_url       TEXT NOT NULL,
    cancel_url       TEXT NOT NULL,
    body             TEXT NOT NULL,
    payment_token_id TEXT NOT NULL DEFAULT '',
    created_at       DATETIME NOT NULL,
    updated_at       DATETIME NOT NULL
);

CREATE TABLE sandbox_paypal_payment_tokens (
    id          TEXT PRIMARY KEY,
    merchant_id TEXT NOT NULL DEFAULT '',
    customer_id TEXT NOT NULL,
    payer_id    TEXT NOT NULL,
    body        TEXT NOT NULL,
    created_at  DATETIME NOT NULL
);
CREATE INDEX sandbox_paypal_payment_tokens_customer ON sandbox_paypal_payment_tokens (customer_id);

-- +goose Down
DROP TABLE sandbox_paypal_payment_tokens;
DROP TABLE sandbox_paypal_setup_tokens;
