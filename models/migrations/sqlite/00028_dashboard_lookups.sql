-- +goose Up
-- An order's timeline finds its payment's notifications by capture id among the shop's (up to
-- millions of) notifications. Partial, so that no other query of the feed is tempted by it.
CREATE INDEX payment_notifications_capture ON payment_notifications (shop_id, capture_id) WHERE capture_id <> '';
-- The shoppers list is newest first: without this, a page sorted all the shop's shoppers.
CREATE INDEX shoppers_newest ON shoppers (shop_id, id DESC);
-- Every dashboard page shows how many open conversations have unread messages: counted in this
-- index alone, not by reading each open conversation's row.
CREATE INDEX shoppers_unread ON shoppers (shop_id) WHERE needs_human AND unread > 0;

-- +goose Down
DROP INDEX shoppers_unread;
DROP INDEX shoppers_newest;
DROP INDEX payment_notifications_capture;
