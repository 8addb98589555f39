-- The emulators' tables as the app's SQLite migrations 9 and 13 to 20 made them, before the
-- sandbox had migrations of its own (the upgrade test starts from them).

-- 00009_sandbox_messenger.sql
-- The Messenger emulator's own state: simulated shoppers and every message of their threads.
CREATE TABLE sandbox_shoppers (
    psid       TEXT PRIMARY KEY,
    page_id    TEXT NOT NULL,
    name       TEXT NOT NULL,
    locale     TEXT NOT NULL,
    created_at DATETIME NOT NULL
);
CREATE INDEX sandbox_shoppers_page ON sandbox_shoppers (page_id, created_at);

CREATE TABLE sandbox_messages (
    id         INTEGER PRIMARY KEY,
    page_id    TEXT NOT NULL,
    psid       TEXT NOT NULL,
    sender     TEXT NOT NULL CHECK (sender IN ('shopper', 'page')),
    mid        TEXT NOT NULL UNIQUE,
    message    TEXT NOT NULL,
    created_at DATETIME NOT NULL
);
CREATE INDEX sandbox_messages_thread ON sandbox_messages (page_id, psid, id);

-- 00013_sandbox_paypal_orders.sql
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

-- 00014_sandbox_paypal_captures.sql
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

-- 00015_sandbox_paypal_merchants.sql
-- The PayPal emulator's partner referrals and the merchants who signed up through them.
CREATE TABLE sandbox_paypal_referrals (
    id          TEXT PRIMARY KEY,
    tracking_id TEXT NOT NULL,
    return_url  TEXT NOT NULL DEFAULT '',
    body        TEXT NOT NULL,
    merchant_id TEXT NOT NULL DEFAULT '',
    created_at  DATETIME NOT NULL
);

CREATE TABLE sandbox_paypal_merchants (
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
CREATE INDEX sandbox_paypal_merchants_tracking ON sandbox_paypal_merchants (tracking_id);

-- 00016_sandbox_shopper_blocked.sql
-- A simulated shopper who blocked the Page: the Send API answers 551.
ALTER TABLE sandbox_shoppers ADD COLUMN blocked BOOLEAN NOT NULL DEFAULT FALSE;

-- 00017_sandbox_paypal_vault.sql
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

-- 00018_sandbox_messenger_linking.sql
-- The Messenger emulator's account linking tokens, the webhook fields each Page subscribed the app
-- to, and how far each shopper has read their thread.
CREATE TABLE sandbox_account_linking_tokens (
    token      TEXT PRIMARY KEY,
    page_id    TEXT NOT NULL,
    psid       TEXT NOT NULL,
    expires_at DATETIME NOT NULL,
    used       BOOLEAN NOT NULL DEFAULT FALSE
);

CREATE TABLE sandbox_page_subscriptions (
    page_id    TEXT PRIMARY KEY,
    fields     TEXT NOT NULL,
    updated_at DATETIME NOT NULL
);

ALTER TABLE sandbox_shoppers ADD COLUMN read_watermark INTEGER NOT NULL DEFAULT 0;

-- 00019_sandbox_paypal_disputes.sql
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

-- 00020_connections.sql (its sandbox part)
-- The Messenger emulator's simulated Pages, and those whose access token Meta no longer accepts.
CREATE TABLE sandbox_pages (
    page_id       TEXT PRIMARY KEY,
    name          TEXT NOT NULL,
    token_revoked BOOLEAN NOT NULL DEFAULT FALSE,
    created_at    DATETIME NOT NULL
);
