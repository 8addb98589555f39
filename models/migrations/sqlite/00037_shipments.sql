-- +goose Up
-- Shipping an order: each shipment is a carrier, a tracking number and the lines (and how many of
-- each) in the parcel. PayPal learns it through a tracker on its order (POST .../track, the
-- worker's job); the shopper through Messenger. The order's fulfilment sums its shipments up:
-- '' (nothing shipped), partly_shipped, shipped or delivered.
ALTER TABLE orders ADD COLUMN fulfilment TEXT NOT NULL DEFAULT ''
    CHECK (fulfilment IN ('', 'partly_shipped', 'shipped', 'delivered'));
-- The "To ship" count on every dashboard page and the overview: a covering index. (A partial
-- index on the queue's condition went unused: SQLite preferred orders_shop_status and walked the
-- paid orders, 674 ms for the overview at 200,000 orders.)
CREATE INDEX orders_to_ship ON orders (shop_id, status, fulfilment, id);

CREATE TABLE shipments (
    id              INTEGER PRIMARY KEY,
    shop_id         INTEGER NOT NULL REFERENCES shops (id) ON DELETE CASCADE,
    order_id        INTEGER NOT NULL REFERENCES orders (id) ON DELETE CASCADE,
    carrier         TEXT NOT NULL,            -- PayPal's carrier code, or OTHER
    carrier_name    TEXT NOT NULL DEFAULT '', -- the name of an OTHER carrier
    tracking_number TEXT NOT NULL,
    status          TEXT NOT NULL CHECK (status IN ('shipped', 'delivered', 'cancelled')),
    merchant_id     TEXT NOT NULL,            -- the PayPal account the order was paid to
    request_id      TEXT NOT NULL UNIQUE,     -- the PayPal-Request-Id of every attempt to add the tracker
    tracker_id      TEXT NOT NULL DEFAULT '',
    -- Where PayPal stands: sending, sent, refused, cancelling, cancelled (or '' when the
    -- shipment was cancelled before PayPal heard of it).
    paypal_state    TEXT NOT NULL DEFAULT 'sending',
    paypal_error    TEXT NOT NULL DEFAULT '',
    -- How the shopper heard of it: '' (not yet), message (inside Messenger's 24 hours), no (why
    -- in told_why); told_key is the idempotency key of the message that told them (a message
    -- Messenger refuses in the end makes it no).
    told            TEXT NOT NULL DEFAULT '',
    told_why        TEXT NOT NULL DEFAULT '',
    told_key        TEXT NOT NULL DEFAULT '',
    created_by      INTEGER REFERENCES users (id) ON DELETE SET NULL,
    created_at      DATETIME NOT NULL,
    updated_at      DATETIME NOT NULL,
    delivered_at    DATETIME,
    cancelled_at    DATETIME
);
CREATE INDEX shipments_order ON shipments (order_id, id);

CREATE TABLE shipment_lines (
    shipment_id   INTEGER NOT NULL REFERENCES shipments (id) ON DELETE CASCADE,
    order_line_id INTEGER NOT NULL REFERENCES order_lines (id) ON DELETE CASCADE,
    quantity      INTEGER NOT NULL CHECK (quantity > 0),
    PRIMARY KEY (shipment_id, order_line_id)
);

-- +goose Down
DROP TABLE shipment_lines;
DROP TABLE shipments;
DROP INDEX orders_to_ship;
ALTER TABLE orders DROP COLUMN fulfilment;
