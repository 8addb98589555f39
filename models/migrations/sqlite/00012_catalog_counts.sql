-- +goose Up
-- How many products a shop has per status, and how many of them have a variant that cannot be sold
-- (out of stock, not oversold): kept by triggers, so the overview reads a few rows at any catalog size.
CREATE TABLE catalog_counts (
    shop_id      INTEGER NOT NULL REFERENCES shops (id) ON DELETE CASCADE,
    status       TEXT NOT NULL,
    out_of_stock BOOLEAN NOT NULL,
    n            INTEGER NOT NULL,
    PRIMARY KEY (shop_id, status, out_of_stock)
) WITHOUT ROWID;

INSERT INTO catalog_counts (shop_id, status, out_of_stock, n)
SELECT shop_id, status, coalesce(min_tracked_stock <= 0, 0), count(*) FROM products GROUP BY 1, 2, 3;

-- +goose StatementBegin
CREATE TRIGGER catalog_counts_insert AFTER INSERT ON products BEGIN
    INSERT OR IGNORE INTO catalog_counts (shop_id, status, out_of_stock, n)
    VALUES (NEW.shop_id, NEW.status, coalesce(NEW.min_tracked_stock <= 0, 0), 0);
    UPDATE catalog_counts SET n = n + 1
     WHERE shop_id = NEW.shop_id AND status = NEW.status AND out_of_stock = coalesce(NEW.min_tracked_stock <= 0, 0);
END;
-- +goose StatementEnd

-- +goose StatementBegin
CREATE TRIGGER catalog_counts_delete AFTER DELETE ON products BEGIN
    UPDATE catalog_counts SET n = n - 1
     WHERE shop_id = OLD.shop_id AND status = OLD.status AND out_of_stock = coalesce(OLD.min_tracked_stock <= 0, 0);
END;
-- +goose StatementEnd

-- +goose StatementBegin
CREATE TRIGGER catalog_counts_update AFTER UPDATE OF status, min_tracked_stock ON products
WHEN OLD.status IS NOT NEW.status OR coalesce(OLD.min_tracked_stock <= 0, 0) IS NOT coalesce(NEW.min_tracked_stock <= 0, 0)
BEGIN
    UPDATE catalog_counts SET n = n - 1
     WHERE shop_id = OLD.shop_id AND status = OLD.status AND out_of_stock = coalesce(OLD.min_tracked_stock <= 0, 0);
    INSERT OR IGNORE INTO catalog_counts (shop_id, status, out_of_stock, n)
    VALUES (NEW.shop_id, NEW.status, coalesce(NEW.min_tracked_stock <= 0, 0), 0);
    UPDATE catalog_counts SET n = n + 1
     WHERE shop_id = NEW.shop_id AND status = NEW.status AND out_of_stock = coalesce(NEW.min_tracked_stock <= 0, 0);
END;
-- +goose StatementEnd

-- +goose Down
DROP TRIGGER catalog_counts_update;
DROP TRIGGER catalog_counts_delete;
DROP TRIGGER catalog_counts_insert;
DROP TABLE catalog_counts;
