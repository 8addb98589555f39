-- +goose Up
-- The emulators' tables. Databases from before the sandbox had migrations of its own have them
-- already, made by the app's migrations 9 and 13 to 20: each is made here only if missing, in
-- exactly the shape those left it (columns added later by ALTER TABLE come last).

-- Messenger emulator: simulated shoppers (blocked: the shopper blocked the Page, the Send API
-- answers 551; read_watermark: how far they have read their thread) and every message of their threads.
CREATE TABLE IF NOT EXISTS sandbox_shoppers (
    psid           TEXT PRIMARY KEY,
    page_id        TEXT NOT NULL,
    name           TEXT NOT NULL,
    locale         TEXT NOT NULL,
    created_at     DATETIME NOT NULL,
    blocked        BOOLEAN NOT NULL DEFAULT FALSE,
    read_watermark INTEGER NOT NULL DEFAULT 0
);
CREATE INDEX IF NOT EXISTS sandbox_shoppers_page ON sandbox_shoppers (page_id, created_at);

CREATE TABLE IF NOT EXISTS sandbox_messages (
    id         INTEGER PRIMARY KEY,
    page_id    TEXT NOT NULL,
    psid       TEXT NOT NULL,
    sender     TEXT NOT NULL CHECK (sender IN ('shopper', 'page')),
    mid        TEXT NOT NULL UNIQUE,
    message    TEXT NOT NULL,
    created_at DATETIME NOT NULL
);
CREATE INDEX IF NOT EXISTS sandbox_messages_thread ON sandbox_messages (page_id, psid, id);

-- Account linking tokens, and the webhook fields each Page subscribed the app to.
CREATE TABLE IF NOT EXISTS sandbox_account_linking_tokens (
    token      TEXT PRIMARY KEY,
    page_id    TEXT NOT NULL,
    psid       TEXT NOT NULL,
    expires_at DATETIME NOT NULL,
    used       BOOLEAN NOT NULL DEFAULT FALSE
);

CREATE TABLE IF NOT EXISTS sandbox_page_subscriptions (
    page_id    TEXT PRIMARY KEY,
    fields     TEXT NOT NULL,
    updated_at DATETIME NOT NULL
);

-- Simulated Pages, and those whose access token Meta no longer accepts.
CREATE TABLE IF NOT EXISTS sandbox_pages (
    page_id       TEXT PRIMARY KEY,
    name          TEXT NOT NULL,
    token_revoked BOOLEAN NOT NULL DEFAULT FALSE,
    created_at    DATETIME NOT NULL
);

-- PayPal emulator: orders (the order as the Orders API returns it) and idempotency keys.
CREATE TABLE IF NOT EXISTS sandbox_paypal_orders (
    id          TEXT PRIMARY KEY,
    status      TEXT NOT NULL,
    merchant_id TEXT NOT NULL,
    body        TEXT NOT NULL,
    return_url  TEXT NOT NULL DEFAULT '',
    cancel_url  TEXT NOT NULL DEFAULT '',
    created_at  DATETIME NOT NULL,
    updated_at  DATETIME NOT NULL
);

CREATE TABLE IF NOT EXISTS sandbox_paypal_requests (
    endpoint   TEXT NOT NULL,
    request_id TEXT NOT NULL,
    status     INTEGER NOT NULL,
    response   TEXT NOT NULL,
    created_at DATETIME NOT NULL,
    PRIMARY KEY (endpoint, request_id)
) WITHOUT ROWID;

-- Captures, with what has been refunded of them.
CREATE TABLE IF NOT EXISTS sandbox_paypal_captures (
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

-- Partner referrals and the merchants who signed up through them.
CREATE TABLE IF NOT EXISTS sandbox_paypal_referrals (
    id          TEXT PRIMARY KEY,
    tracking_id TEXT NOT NULL,
    return_url  TEXT NOT NULL DEFAULT '',
    body        TEXT NOT NULL,
    merchant_id TEXT NOT NULL DEFAULT '',
    created_at  DATETIME NOT NULL
);

CREATE TABLE IF NOT EXISTS sandbox_paypal_merchants (
    merchant_id             TEXT PRIMARY KEY,
    tracking_id             TEXT NOT NULL,
    legal_name              TEXT NOT NULL,
    email                   TEXT NOT NULL,
    permissions_granted     BOOLEAN NOT NULL,
    primary_email_confirmed BOOLEAN NOT NULL,
    consent_revoked         BOOLEAN NOT NULL DEFAULT FALSE,
    created_at              DATETIME NOT NULL,
    updated_at              DATETIME NOT NULL
);
CREATE INDEX IF NOT EXISTS sandbox_paypal_merchants_tracking ON sandbox_paypal_merchants (tracking_id);

-- The vault: setup tokens a buyer approves, and the payment tokens made of them.
CREATE TABLE IF NOT EXISTS sandbox_paypal_setup_tokens (
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

CREATE TABLE IF NOT EXISTS sandbox_paypal_payment_tokens (
    id          TEXT PRIMARY KEY,
    merchant_id TEXT NOT NULL DEFAULT '',
    customer_id TEXT NOT NULL,
    payer_id    TEXT NOT NULL,
    body        TEXT NOT NULL,
    created_at  DATETIME NOT NULL
);
CREATE INDEX IF NOT EXISTS sandbox_paypal_payment_tokens_customer ON sandbox_paypal_payment_tokens (customer_id);

-- Disputes, opened by sandbox buyers on captures.
CREATE TABLE IF NOT EXISTS sandbox_paypal_disputes (
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
CREATE INDEX IF NOT EXISTS sandbox_paypal_disputes_capture ON sandbox_paypal_disputes (capture_id);
CREATE INDEX IF NOT EXISTS sandbox_paypal_disputes_merchant ON sandbox_paypal_disputes (merchant_id, updated_at);

-- +goose Down
DROP TABLE sandbox_paypal_disputes;
DROP TABLE sandbox_paypal_payment_tokens;
DROP TABLE sandbox_paypal_setup_tokens;
DROP TABLE sandbox_paypal_merchants;
DROP TABLE sandbox_paypal_referrals;
DROP TABLE sandbox_paypal_captures;
DROP TABLE sandbox_paypal_requests;
DROP TABLE sandbox_paypal_orders;
DROP TABLE sandbox_pages;
DROP TABLE sandbox_page_subscriptions;
DROP TABLE sandbox_account_linking_tokens;
DROP TABLE sandbox_messages;
DROP TABLE sandbox_shoppers;
