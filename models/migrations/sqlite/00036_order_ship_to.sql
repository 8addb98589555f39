-- +goose Up
-- Where an order goes: the name and address the buyer chose on PayPal (purchase_units[].shipping),
-- kept when the payment is captured.
ALTER TABLE orders ADD COLUMN ship_name TEXT NOT NULL DEFAULT '';
ALTER TABLE orders ADD COLUMN ship_line1 TEXT NOT NULL DEFAULT '';
ALTER TABLE orders ADD COLUMN ship_line2 TEXT NOT NULL DEFAULT '';
ALTER TABLE orders ADD COLUMN ship_city TEXT NOT NULL DEFAULT '';
ALTER TABLE orders ADD COLUMN ship_region TEXT NOT NULL DEFAULT '';
ALTER TABLE orders ADD COLUMN ship_postal_code TEXT NOT NULL DEFAULT '';
ALTER TABLE orders ADD COLUMN ship_country TEXT NOT NULL DEFAULT '';

-- +goose Down
ALTER TABLE orders DROP COLUMN ship_name;
ALTER TABLE orders DROP COLUMN ship_line1;
ALTER TABLE orders DROP COLUMN ship_line2;
ALTER TABLE orders DROP COLUMN ship_city;
ALTER TABLE orders DROP COLUMN ship_region;
ALTER TABLE orders DROP COLUMN ship_postal_code;
ALTER TABLE orders DROP COLUMN ship_country;
