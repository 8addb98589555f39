-- +goose Up
-- The overview counts conversations and those that became orders from the index alone; the
-- orders search finds shoppers by the start of their name without reading every shopper.
CREATE INDEX shoppers_activity ON shoppers (shop_id, last_message_at, last_paid_at);
CREATE INDEX shoppers_name ON shoppers (shop_id, name COLLATE NOCASE);

-- +goose Down
DROP INDEX shoppers_name;
DROP INDEX shoppers_activity;
