-- +goose Up
-- A saved reply has one name: the dashboard's, the code's and the table's.
ALTER TABLE canned_replies RENAME TO saved_replies;
DROP INDEX canned_replies_shop;
CREATE INDEX saved_replies_shop ON saved_replies (shop_id, title);

-- +goose Down
DROP INDEX saved_replies_shop;
ALTER TABLE saved_replies RENAME TO canned_replies;
CREATE INDEX canned_replies_shop ON canned_replies (shop_id, title);
