-- +goose Up
-- What shipping costs, per shop and per country its shoppers may pay from: a flat rate, and free
-- above an order's amount (NULL: never free), in the shop's currency. A country without a rate
-- ships free. An order keeps what its shipping cost (within its total).
CREATE TABLE shipping_rates (
    shop_id          INTEGER NOT NULL REFERENCES shops (id) ON DELETE CASCADE,
    country          TEXT NOT NULL,
    rate_minor       INTEGER NOT NULL CHECK (rate_minor >= 0),
    free_above_minor INTEGER CHECK (free_above_minor >= 0),
    PRIMARY KEY (shop_id, country)
);
ALTER TABLE orders ADD COLUMN shipping_minor INTEGER NOT NULL DEFAULT 0;

-- +goose Down
ALTER TABLE orders DROP COLUMN shipping_minor;
DROP TABLE shipping_rates;
