-- +goose Up
-- Each order keeps its shopper's name (the store updates it when the name changes), and the
-- shop's orders index carries it: searching orders by a first name that thousands of shoppers
-- share walks the shop's orders newest first and reads the name there (measured on SQLite). The
-- orders list shows the name without reading the shoppers.
ALTER TABLE orders ADD COLUMN shopper_name TEXT NOT NULL DEFAULT '';
UPDATE orders SET shopper_name = shoppers.name FROM shoppers WHERE shoppers.id = orders.shopper_id;
DROP INDEX orders_shop;
CREATE INDEX orders_shop ON orders (shop_id, id DESC, shopper_name);

-- +goose Down
DROP INDEX orders_shop;
CREATE INDEX orders_shop ON orders (shop_id, id DESC);
ALTER TABLE orders DROP COLUMN shopper_name;
