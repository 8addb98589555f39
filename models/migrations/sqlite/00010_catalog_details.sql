-- +goose Up
-- Options, variant details, images, tags, search and the figures the list shows without reading variants.
ALTER TABLE products ADD COLUMN option1_name TEXT NOT NULL DEFAULT '';
ALTER TABLE products ADD COLUMN option2_name TEXT NOT NULL DEFAULT '';
ALTER TABLE products ADD COLUMN option3_name TEXT NOT NULL DEFAULT '';
-- Kept up to date by the store on every write (refreshProduct): the list and the filters read them.
ALTER TABLE products ADD COLUMN variant_count INTEGER NOT NULL DEFAULT 0;
ALTER TABLE products ADD COLUMN price_min_minor INTEGER NOT NULL DEFAULT 0;
ALTER TABLE products ADD COLUMN price_max_minor INTEGER NOT NULL DEFAULT 0;
ALTER TABLE products ADD COLUMN currency TEXT NOT NULL DEFAULT '';
ALTER TABLE products ADD COLUMN total_inventory INTEGER NOT NULL DEFAULT 0;
-- The lowest stock among variants that cannot be oversold; NULL when every variant may be.
ALTER TABLE products ADD COLUMN min_tracked_stock INTEGER;
ALTER TABLE products ADD COLUMN image_count INTEGER NOT NULL DEFAULT 0;
-- Active, with an image and something to sell: what the Messenger bot offers.
ALTER TABLE products ADD COLUMN offered BOOLEAN NOT NULL DEFAULT FALSE;

CREATE INDEX products_shop_status ON products (shop_id, status, id);
CREATE INDEX products_shop_title ON products (shop_id, title COLLATE NOCASE, id);
CREATE INDEX products_shop_updated ON products (shop_id, updated_at, id);
CREATE INDEX products_shop_vendor ON products (shop_id, vendor, id);
CREATE INDEX products_shop_type ON products (shop_id, product_type, id);
CREATE INDEX products_shop_offered ON products (shop_id, offered, id);

ALTER TABLE variants ADD COLUMN option1 TEXT NOT NULL DEFAULT '';
ALTER TABLE variants ADD COLUMN option2 TEXT NOT NULL DEFAULT '';
ALTER TABLE variants ADD COLUMN option3 TEXT NOT NULL DEFAULT '';
ALTER TABLE variants ADD COLUMN barcode TEXT NOT NULL DEFAULT '';
ALTER TABLE variants ADD COLUMN weight_grams INTEGER NOT NULL DEFAULT 0;
ALTER TABLE variants ADD COLUMN weight_unit TEXT NOT NULL DEFAULT '';
ALTER TABLE variants ADD COLUMN image_src TEXT NOT NULL DEFAULT '';
DROP INDEX variants_shop_sku;
CREATE UNIQUE INDEX variants_shop_sku ON variants (shop_id, sku) WHERE sku <> '';

CREATE TABLE product_tags (
    shop_id    INTEGER NOT NULL REFERENCES shops (id) ON DELETE CASCADE,
    tag        TEXT NOT NULL COLLATE NOCASE,
    product_id INTEGER NOT NULL REFERENCES products (id) ON DELETE CASCADE,
    PRIMARY KEY (shop_id, tag, product_id)
) WITHOUT ROWID;
CREATE INDEX product_tags_product ON product_tags (product_id);

-- Image bytes, content-addressed: the same picture uploaded twice is stored once, and its URL never
-- changes, so it is cached for a year.
CREATE TABLE image_blobs (
    digest       TEXT PRIMARY KEY,
    content_type TEXT NOT NULL,
    width        INTEGER NOT NULL,
    height       INTEGER NOT NULL,
    data         BLOB NOT NULL,
    thumb        BLOB NOT NULL,
    created_at   DATETIME NOT NULL
) WITHOUT ROWID;

-- A product's images: uploaded (digest) or given by URL in an import (src_url).
CREATE TABLE product_images (
    id         INTEGER PRIMARY KEY,
    shop_id    INTEGER NOT NULL REFERENCES shops (id) ON DELETE CASCADE,
    product_id INTEGER NOT NULL REFERENCES products (id) ON DELETE CASCADE,
    position   INTEGER NOT NULL,
    alt        TEXT NOT NULL DEFAULT '',
    digest     TEXT REFERENCES image_blobs (digest),
    src_url    TEXT NOT NULL DEFAULT '',
    created_at DATETIME NOT NULL,
    CHECK ((digest IS NULL) <> (src_url = ''))
);
CREATE INDEX product_images_product ON product_images (product_id, position);

-- Full-text search over title, vendor, tags and SKUs; docid is the product id. FTS4 because it is in
-- the default build of the SQLite driver (FTS5 needs a build tag that `go run` and `go test` lack).
CREATE VIRTUAL TABLE products_fts USING fts4 (title, vendor, tags, skus, tokenize=unicode61, prefix="2,3");

-- Shopify CSV imports: the file, its dry run, then the background run's progress and outcome.
CREATE TABLE catalog_imports (
    id             INTEGER PRIMARY KEY,
    shop_id        INTEGER NOT NULL REFERENCES shops (id) ON DELETE CASCADE,
    created_by     INTEGER REFERENCES users (id) ON DELETE SET NULL,
    filename       TEXT NOT NULL,
    status         TEXT NOT NULL CHECK (status IN ('previewed', 'queued', 'running', 'done', 'failed')),
    column_set     TEXT NOT NULL DEFAULT '',
    row_count      INTEGER NOT NULL DEFAULT 0,
    to_create      INTEGER NOT NULL DEFAULT 0,
    to_update      INTEGER NOT NULL DEFAULT 0,
    to_skip        INTEGER NOT NULL DEFAULT 0,
    problems_json  TEXT NOT NULL DEFAULT '[]',
    plan_json      TEXT NOT NULL DEFAULT '[]',
    file           BLOB NOT NULL,
    processed      INTEGER NOT NULL DEFAULT 0,
    created        INTEGER NOT NULL DEFAULT 0,
    updated        INTEGER NOT NULL DEFAULT 0,
    error          TEXT NOT NULL DEFAULT '',
    created_at     DATETIME NOT NULL,
    updated_at     DATETIME NOT NULL,
    finished_at    DATETIME
);
CREATE INDEX catalog_imports_shop ON catalog_imports (shop_id, id DESC);

-- Catalogs from before: options named after the variant titles, then every figure and index.
UPDATE products SET option1_name = 'Title'
 WHERE EXISTS (SELECT 1 FROM variants v WHERE v.product_id = products.id AND v.title <> 'Default Title');
UPDATE variants SET option1 = title WHERE title <> 'Default Title';
UPDATE products SET
    variant_count = (SELECT count(*) FROM variants v WHERE v.product_id = products.id),
    price_min_minor = coalesce((SELECT min(price_minor) FROM variants v WHERE v.product_id = products.id), 0),
    price_max_minor = coalesce((SELECT max(price_minor) FROM variants v WHERE v.product_id = products.id), 0),
    currency = coalesce((SELECT currency FROM variants v WHERE v.product_id = products.id LIMIT 1), ''),
    total_inventory = coalesce((SELECT sum(inventory_qty) FROM variants v WHERE v.product_id = products.id), 0),
    min_tracked_stock = (SELECT min(inventory_qty) FROM variants v WHERE v.product_id = products.id AND v.inventory_policy = 'deny');
WITH RECURSIVE split (shop_id, product_id, tag, rest) AS (
    SELECT shop_id, id, '', tags || ',' FROM products
    UNION ALL
    SELECT shop_id, product_id, trim(substr(rest, 1, instr(rest, ',') - 1)), substr(rest, instr(rest, ',') + 1)
      FROM split WHERE rest <> ''
)
INSERT OR IGNORE INTO product_tags (shop_id, tag, product_id) SELECT shop_id, tag, product_id FROM split WHERE tag <> '';
INSERT INTO products_fts (docid, title, vendor, tags, skus)
SELECT id, title, vendor, tags, coalesce((SELECT group_concat(sku, ' ') FROM variants v WHERE v.product_id = products.id), '')
  FROM products;

-- +goose Down
DROP TABLE catalog_imports;
DROP TABLE products_fts;
DROP TABLE product_images;
DROP TABLE image_blobs;
DROP TABLE product_tags;
DROP INDEX variants_shop_sku;
CREATE INDEX variants_shop_sku ON variants (shop_id, sku);
ALTER TABLE variants DROP COLUMN option1;
ALTER TABLE variants DROP COLUMN option2;
ALTER TABLE variants DROP COLUMN option3;
ALTER TABLE variants DROP COLUMN barcode;
ALTER TABLE variants DROP COLUMN weight_grams;
ALTER TABLE variants DROP COLUMN weight_unit;
ALTER TABLE variants DROP COLUMN image_src;
DROP INDEX products_shop_status;
DROP INDEX products_shop_title;
DROP INDEX products_shop_updated;
DROP INDEX products_shop_vendor;
DROP INDEX products_shop_type;
DROP INDEX products_shop_offered;
ALTER TABLE products DROP COLUMN option1_name;
ALTER TABLE products DROP COLUMN option2_name;
ALTER TABLE products DROP COLUMN option3_name;
ALTER TABLE products DROP COLUMN variant_count;
ALTER TABLE products DROP COLUMN price_min_minor;
ALTER TABLE products DROP COLUMN price_max_minor;
ALTER TABLE products DROP COLUMN currency;
ALTER TABLE products DROP COLUMN total_inventory;
ALTER TABLE products DROP COLUMN min_tracked_stock;
ALTER TABLE products DROP COLUMN image_count;
ALTER TABLE products DROP COLUMN offered;
