-- +goose Up
-- The orders list filtered by status stays a keyset walk of an index at any scale.
CREATE INDEX orders_shop_status ON orders (shop_id, status, id DESC);

-- +goose Down
DROP INDEX orders_shop_status;
