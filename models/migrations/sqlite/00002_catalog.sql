-- +goose Up
CREATE TABLE products (
    id               INTEGER PRIMARY KEY,
    shop_id          INTEGER NOT NULL REFERENCES shops (id) ON DELETE CASCADE,
    handle           TEXT NOT NULL,
    title            TEXT NOT NULL,
    description_html TEXT NOT NULL DEFAULT '',
    vendor           TEXT NOT NULL DEFAULT '',
    product_type     TEXT NOT NULL DEFAULT '',
    tags             TEXT NOT NULL DEFAULT '',
    status           TEXT NOT NULL DEFAULT 'active' CHECK (status IN ('active', 'draft', 'archived')),
    version          INTEGER NOT NULL DEFAULT 1,
    created_at       DATETIME NOT NULL,
    updated_at       DATETIME NOT NULL,
    UNIQUE (shop_id, handle)
);
CREATE INDEX products_shop_list ON products (shop_id, id DESC);

CREATE TABLE variants (
    id                INTEGER PRIMARY KEY,
    shop_id           INTEGER NOT NULL REFERENCES shops (id) ON DELETE CASCADE,
    product_id        INTEGER NOT NULL REFERENCES products (id) ON DELETE CASCADE,
    position          INTEGER NOT NULL DEFAULT 1,
    title             TEXT NOT NULL DEFAULT 'Default Title',
    sku               TEXT NOT NULL DEFAULT '',
    price_minor       INTEGER NOT NULL CHECK (price_minor >= 0),
    currency          TEXT NOT NULL,
    compare_at_minor  INTEGER,
    inventory_qty     INTEGER NOT NULL DEFAULT 0,
    inventory_policy  TEXT NOT NULL DEFAULT 'deny' CHECK (inventory_policy IN ('deny', 'continue')),
    created_at        DATETIME NOT NULL,
    updated_at        DATETIME NOT NULL
);
CREATE INDEX variants_product ON variants (product_id, position);
CREATE INDEX variants_shop_sku ON variants (shop_id, sku);

-- +goose Down
DROP TABLE variants;
DROP TABLE products;
