-- +goose Up
-- Orders placed in Messenger: their lines, the stock they hold, and their PayPal order.
CREATE TABLE orders (
    id              INTEGER PRIMARY KEY,
    shop_id         INTEGER NOT NULL REFERENCES shops (id) ON DELETE CASCADE,
    shopper_id      INTEGER NOT NULL REFERENCES shoppers (id),
    status          TEXT NOT NULL CHECK (status IN ('pending', 'paid', 'payment_pending', 'payment_denied', 'expired', 'cancelled')),
    currency        TEXT NOT NULL,
    total_minor     INTEGER NOT NULL,
    paypal_order_id TEXT NOT NULL DEFAULT '',
    approve_url     TEXT NOT NULL DEFAULT '', -- PayPal's page where the shopper approves the payment
    paid_with       TEXT NOT NULL DEFAULT '', -- approval (PayPal's page) or vault (one tap, linked PayPal)
    capture_id      TEXT NOT NULL DEFAULT '',
    payer_email     TEXT NOT NULL DEFAULT '',
    expires_at      DATETIME NOT NULL,        -- an unpaid order releases its stock then
    paid_at         DATETIME,
    created_at      DATETIME NOT NULL,
    updated_at      DATETIME NOT NULL
);
CREATE INDEX orders_shop ON orders (shop_id, id DESC);
CREATE INDEX orders_shopper ON orders (shopper_id, id DESC);
CREATE INDEX orders_expiry ON orders (status, expires_at);
CREATE UNIQUE INDEX orders_paypal ON orders (paypal_order_id) WHERE paypal_order_id <> '';

CREATE TABLE order_lines (
    id            INTEGER PRIMARY KEY,
    order_id      INTEGER NOT NULL REFERENCES orders (id) ON DELETE CASCADE,
    shop_id       INTEGER NOT NULL,
    product_id    INTEGER NOT NULL,
    variant_id    INTEGER NOT NULL,
    title         TEXT NOT NULL,
    variant_title TEXT NOT NULL,
    sku           TEXT NOT NULL DEFAULT '',
    image_url     TEXT NOT NULL DEFAULT '',
    quantity      INTEGER NOT NULL,
    unit_minor    INTEGER NOT NULL
);
CREATE INDEX order_lines_order ON order_lines (order_id);

-- A shopper's PayPal linked to Messenger: the vault payment token in the shop's merchant vault.
ALTER TABLE shoppers ADD COLUMN paypal_vault_id TEXT NOT NULL DEFAULT '';
ALTER TABLE shoppers ADD COLUMN paypal_email TEXT NOT NULL DEFAULT '';
ALTER TABLE shoppers ADD COLUMN linked_at DATETIME;

-- One account-linking attempt: Messenger's token and redirect_uri, PayPal's setup token, and
-- the authorization code the account_linking webhook brings back.
CREATE TABLE paypal_links (
    id                 INTEGER PRIMARY KEY,
    shop_id            INTEGER NOT NULL REFERENCES shops (id) ON DELETE CASCADE,
    shopper_id         INTEGER NOT NULL REFERENCES shoppers (id) ON DELETE CASCADE,
    state              TEXT NOT NULL UNIQUE,     -- names the attempt on PayPal's return
    redirect_uri       TEXT NOT NULL,
    setup_token_id     TEXT NOT NULL DEFAULT '',
    vault_id           TEXT NOT NULL DEFAULT '',
    payer_email        TEXT NOT NULL DEFAULT '',
    payer_country      TEXT NOT NULL DEFAULT '',
    authorization_code TEXT NOT NULL DEFAULT '', -- set once PayPal vaulted the wallet
    used_at            DATETIME,                 -- the account_linking webhook took it
    expires_at         DATETIME NOT NULL,
    created_at         DATETIME NOT NULL
);
CREATE UNIQUE INDEX paypal_links_code ON paypal_links (authorization_code) WHERE authorization_code <> '';

-- +goose Down
DROP TABLE paypal_links;
ALTER TABLE shoppers DROP COLUMN linked_at;
ALTER TABLE shoppers DROP COLUMN paypal_email;
ALTER TABLE shoppers DROP COLUMN paypal_vault_id;
DROP TABLE order_lines;
DROP TABLE orders;
