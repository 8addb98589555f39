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

-- The Page-owned utility message templates (POST /{page-id}/message_templates): Meta reviews
-- each (PENDING, then APPROVED or REJECTED with a reason); a Page sends an APPROVED one with
-- messaging_type UTILITY.
CREATE TABLE sandbox_message_templates (
    id              TEXT PRIMARY KEY,
    page_id         TEXT NOT NULL,
    name            TEXT NOT NULL,
    language        TEXT NOT NULL,
    status          TEXT NOT NULL,
    rejected_reason TEXT NOT NULL DEFAULT '',
    components      TEXT NOT NULL, -- as created, JSON
    created_at      TIMESTAMPTZ NOT NULL,
    updated_at      TIMESTAMPTZ NOT NULL,
    UNIQUE (page_id, name, language)
);

-- +goose Down
DROP TABLE sandbox_message_templates;
DROP TABLE sandbox_paypal_trackers;
ALTER TABLE sandbox_messages DROP COLUMN tag;
ALTER TABLE sandbox_messages DROP COLUMN messaging_type;
