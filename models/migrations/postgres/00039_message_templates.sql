-- +goose Up
-- The Page-owned utility templates chatshop asks Meta for, a purpose (order_shipped,
-- refund_issued) and language each, and where Meta's review of each stands. A message the shop
-- sends unprompted outside Messenger's 24 hours goes as a UTILITY message with the approved one.
CREATE TABLE message_templates (
    shop_id     BIGINT NOT NULL REFERENCES shops (id) ON DELETE CASCADE,
    page_id     TEXT NOT NULL,
    purpose     TEXT NOT NULL,
    language    TEXT NOT NULL,
    name        TEXT NOT NULL,
    template_id TEXT NOT NULL DEFAULT '',
    status      TEXT NOT NULL DEFAULT 'PENDING', -- Meta's: PENDING, APPROVED, REJECTED, PAUSED ...
    reason      TEXT NOT NULL DEFAULT '',        -- Meta's reason for a rejection, or why the request failed
    created_at  TIMESTAMPTZ NOT NULL,
    updated_at  TIMESTAMPTZ NOT NULL,
    PRIMARY KEY (shop_id, page_id, purpose, language)
);
-- What a message sent unprompted says as a utility template, should Messenger's window be closed:
-- the template's purpose and the values of its placeholders (JSON).
ALTER TABLE outbound_messages ADD COLUMN utility_purpose TEXT NOT NULL DEFAULT '';
ALTER TABLE outbound_messages ADD COLUMN utility_values TEXT NOT NULL DEFAULT '';

-- +goose Down
ALTER TABLE outbound_messages DROP COLUMN utility_values;
ALTER TABLE outbound_messages DROP COLUMN utility_purpose;
DROP TABLE message_templates;
