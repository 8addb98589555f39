-- +goose Up
-- The list's price orders walk this index instead of sorting the catalog.
CREATE INDEX products_shop_price ON products (shop_id, price_min_minor, id);

-- +goose Down
DROP INDEX products_shop_price;
