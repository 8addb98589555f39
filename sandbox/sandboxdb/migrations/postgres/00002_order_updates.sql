-- +goose Up
-- What the Send API was asked beside each Page message: its messaging_type and tag.
ALTER TABLE sandbox_messages ADD COLUMN messaging_type TEXT NOT NULL DEFAULT '';
ALTER TABLE sandbox_messages ADD COLUMN tag TEXT NOT NULL DEFAULT '';

-- The trackers merchants add to their orders (POST /v2/checkout/orders/{id}/track): one per
-- capture and tracking number, its id "{capture_id}-{tracking_number}" as PayPal makes it.
CREATE TABLE sandbox_paypal_trackers (
    order_id    TEXT NOT NULL,
    id          TEXT NOT NULL,
    status      TEXT NOT NULL, -- SHIPPED or CANCELLED
    body        TEXT NOT NULL, -- the tracker as the order shows it (links aside)
    created_at  TIMESTAMPTZ NOT NULL,
    updated_at  TIMESTAMPTZ NOT NULL,
    PRIMARY KEY (order_id, id)
);

-- +goose Down
DROP TABLE sandbox_paypal_trackers;
ALTER TABLE sandbox_messages DROP COLUMN tag;
ALTER TABLE sandbox_messages DROP COLUMN messaging_type;
