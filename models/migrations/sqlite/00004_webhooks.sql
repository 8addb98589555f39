-- +goose Up
-- Every HTTP delivery from PayPal or Messenger, as received, verified or not.
CREATE TABLE webhook_deliveries (
    id          INTEGER PRIMARY KEY,
    provider    TEXT NOT NULL CHECK (provider IN ('paypal', 'messenger')),
    headers     TEXT NOT NULL,
    body        BLOB NOT NULL,
    remote_addr TEXT NOT NULL DEFAULT '',
    verified    BOOLEAN NOT NULL,
    rejection   TEXT NOT NULL DEFAULT '',
    received_at DATETIME NOT NULL
);
CREATE INDEX webhook_deliveries_rejected ON webhook_deliveries (verified, id DESC);

-- One provider event: the unit of deduplication and processing. A Messenger delivery may hold
-- several; a PayPal delivery holds one.
CREATE TABLE webhook_events (
    id           INTEGER PRIMARY KEY,
    provider     TEXT NOT NULL CHECK (provider IN ('paypal', 'messenger')),
    event_key    TEXT NOT NULL,
    event_type   TEXT NOT NULL,
    account_ref  TEXT NOT NULL DEFAULT '',
    shop_id      INTEGER REFERENCES shops (id) ON DELETE SET NULL,
    delivery_id  INTEGER NOT NULL REFERENCES webhook_deliveries (id),
    payload      BLOB NOT NULL,
    status       TEXT NOT NULL DEFAULT 'pending'
                 CHECK (status IN ('pending', 'processed', 'retrying', 'dead', 'unmatched', 'ignored')),
    attempts     INTEGER NOT NULL DEFAULT 0,
    last_error   TEXT NOT NULL DEFAULT '',
    received_at  DATETIME NOT NULL,
    processed_at DATETIME,
    UNIQUE (provider, event_key)
);
CREATE INDEX webhook_events_list ON webhook_events (id DESC);
CREATE INDEX webhook_events_shop ON webhook_events (shop_id, id DESC);
CREATE INDEX webhook_events_status ON webhook_events (status, id DESC);

CREATE TABLE webhook_attempts (
    id          INTEGER PRIMARY KEY,
    event_id    INTEGER NOT NULL REFERENCES webhook_events (id) ON DELETE CASCADE,
    attempt     INTEGER NOT NULL,
    started_at  DATETIME NOT NULL,
    duration_us INTEGER NOT NULL,
    error       TEXT NOT NULL DEFAULT ''
);
CREATE INDEX webhook_attempts_event ON webhook_attempts (event_id, id);

-- Which shop a Facebook Page or a PayPal merchant belongs to.
CREATE TABLE messenger_pages (
    id          INTEGER PRIMARY KEY,
    shop_id     INTEGER NOT NULL REFERENCES shops (id) ON DELETE CASCADE,
    page_id     TEXT NOT NULL UNIQUE,
    name        TEXT NOT NULL,
    token_sealed TEXT NOT NULL DEFAULT '',
    status      TEXT NOT NULL DEFAULT 'connected' CHECK (status IN ('connected', 'needs_reconnect', 'disconnected')),
    created_at  DATETIME NOT NULL,
    updated_at  DATETIME NOT NULL
);
CREATE INDEX messenger_pages_shop ON messenger_pages (shop_id);

CREATE TABLE paypal_accounts (
    id          INTEGER PRIMARY KEY,
    shop_id     INTEGER NOT NULL REFERENCES shops (id) ON DELETE CASCADE,
    merchant_id TEXT NOT NULL UNIQUE,
    status      TEXT NOT NULL DEFAULT 'connected' CHECK (status IN ('pending', 'connected', 'revoked', 'disconnected')),
    created_at  DATETIME NOT NULL,
    updated_at  DATETIME NOT NULL
);
CREATE INDEX paypal_accounts_shop ON paypal_accounts (shop_id);

-- +goose Down
DROP TABLE paypal_accounts;
DROP TABLE messenger_pages;
DROP TABLE webhook_attempts;
DROP TABLE webhook_events;
DROP TABLE webhook_deliveries;
