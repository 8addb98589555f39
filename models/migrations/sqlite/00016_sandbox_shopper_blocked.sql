-- +goose Up
-- A simulated shopper who blocked the Page: the Send API answers 551.
ALTER TABLE sandbox_shoppers ADD COLUMN blocked BOOLEAN NOT NULL DEFAULT FALSE;

-- +goose Down
ALTER TABLE sandbox_shoppers DROP COLUMN blocked;
