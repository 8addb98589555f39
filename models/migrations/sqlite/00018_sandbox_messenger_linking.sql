-- +goose Up
-- The Messenger emulator's account linking tokens, the webhook fields each Page subscribed the app
-- to, and how far each shopper has read their thread.
CREATE TABLE sandbox_account_linking_tokens (
    token      TEXT PRIMARY KEY,
    page_id    TEXT NOT NULL,
    psid       TEXT NOT NULL,
    expires_at DATETIME NOT NULL,
    used       BOOLEAN NOT NULL DEFAULT FALSE
);

CREATE TABLE sandbox_page_subscriptions (
    page_id    TEXT PRIMARY KEY,
    fields     TEXT NOT NULL,
    updated_at DATETIME NOT NULL
);

ALTER TABLE sandbox_shoppers ADD COLUMN read_watermark INTEGER NOT NULL DEFAULT 0;

-- +goose Down
ALTER TABLE sandbox_shoppers DROP COLUMN read_watermark;
DROP TABLE sandbox_page_subscriptions;
DROP TABLE sandbox_account_linking_tokens;
