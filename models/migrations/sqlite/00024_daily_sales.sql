-- +goose Up
-- The overview's figures, kept up to date as orders are paid rather than summed over every order
-- on each visit: a shop's paid orders and sales per UTC day and currency, and when each shopper
-- last paid (conversations that became orders).
CREATE TABLE daily_sales (
    shop_id     INTEGER NOT NULL REFERENCES shops (id) ON DELETE CASCADE,
    day         TEXT NOT NULL, -- YYYY-MM-DD, UTC
    currency    TEXT NOT NULL,
    orders      INTEGER NOT NULL DEFAULT 0,
    sales_minor INTEGER NOT NULL DEFAULT 0,
    PRIMARY KEY (shop_id, day, currency)
) WITHOUT ROWID;
INSERT INTO daily_sales (shop_id, day, currency, orders, sales_minor)
    SELECT shop_id, strftime('%Y-%m-%d', paid_at), currency, count(*), sum(total_minor)
    FROM orders WHERE status = 'paid' AND paid_at IS NOT NULL GROUP BY 1, 2, 3;

ALTER TABLE shoppers ADD COLUMN last_paid_at DATETIME;
UPDATE shoppers SET last_paid_at = paid.last
    FROM (SELECT shopper_id, max(paid_at) AS last FROM orders WHERE status = 'paid' GROUP BY shopper_id) AS paid
    WHERE paid.shopper_id = shoppers.id;
CREATE INDEX shoppers_linked ON shoppers (shop_id) WHERE linked_at IS NOT NULL;

-- +goose Down
DROP INDEX shoppers_linked;
ALTER TABLE shoppers DROP COLUMN last_paid_at;
DROP TABLE daily_sales;
