-- +goose Up
-- A PayPal capture as chatshop knows it. Its status is derived from facts that accumulate in any
-- order (highest capture status, sum of refunds, reversed), so events arriving out of order end
-- in the same state.
CREATE TABLE payments (
    id              INTEGER PRIMARY KEY,
    shop_id         INTEGER NOT NULL REFERENCES shops (id) ON DELETE CASCADE,
    capture_id      TEXT NOT NULL UNIQUE,
    paypal_order_id TEXT NOT NULL DEFAULT '',
    capture_status  TEXT NOT NULL DEFAULT '',
    amount_minor    INTEGER NOT NULL DEFAULT 0,
    refunded_minor  INTEGER NOT NULL DEFAULT 0,
    reversed        BOOLEAN NOT NULL DEFAULT FALSE,
    currency        TEXT NOT NULL DEFAULT '',
    status          TEXT NOT NULL,
    created_at      DATETIME NOT NULL,
    updated_at      DATETIME NOT NULL
);
CREATE INDEX payments_shop ON payments (shop_id, id DESC);

-- Refunds counted once each, whichever event told us.
CREATE TABLE payment_refunds (
    refund_id    TEXT PRIMARY KEY,
    payment_id   INTEGER NOT NULL REFERENCES payments (id) ON DELETE CASCADE,
    amount_minor INTEGER NOT NULL,
    kind         TEXT NOT NULL CHECK (kind IN ('refund', 'reversal'))
);

-- The shop's payment feed: one entry per provider event.
CREATE TABLE payment_notifications (
    id           INTEGER PRIMARY KEY,
    shop_id      INTEGER NOT NULL REFERENCES shops (id) ON DELETE CASCADE,
    event_id     INTEGER NOT NULL UNIQUE REFERENCES webhook_events (id),
    kind         TEXT NOT NULL,
    capture_id   TEXT NOT NULL DEFAULT '',
    amount_minor INTEGER NOT NULL DEFAULT 0,
    currency     TEXT NOT NULL DEFAULT '',
    created_at   DATETIME NOT NULL
);
CREATE INDEX payment_notifications_shop ON payment_notifications (shop_id, id DESC);

-- +goose Down
DROP TABLE payment_notifications;
DROP TABLE payment_refunds;
DROP TABLE payments;
