-- +goose Up
-- An order's timeline finds its payment's notifications by capture id among the shop's (up to
-- millions of) notifications. Partial, so that no other query of the feed is tempted by it.
CREATE INDEX payment_notifications_capture ON payment_notifications (shop_id, capture_id) WHERE capture_id <> '';

-- +goose Down
DROP INDEX payment_notifications_capture;
