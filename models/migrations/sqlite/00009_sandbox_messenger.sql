-- +goose Up
-- The Messenger emulator's own state: simulated shoppers and every message of their threads.
CREATE TABLE sandbox_shoppers (
    psid       TEXT PRIMARY KEY,
    page_id    TEXT NOT NULL,
    name       TEXT NOT NULL,
    locale     TEXT NOT NULL,
    created_at DATETIME NOT NULL
);
CREATE INDEX sandbox_shoppers_page ON sandbox_shoppers (page_id, created_at);

CREATE TABLE sandbox_messages (
    id         INTEGER PRIMARY KEY,
    page_id    TEXT NOT NULL,
    psid       TEXT NOT NULL,
    sender     TEXT NOT NULL CHECK (sender IN ('shopper', 'page')),
    mid        TEXT NOT NULL UNIQUE,
    message    TEXT NOT NULL,
    created_at DATETIME NOT NULL
);
CREATE INDEX sandbox_messages_thread ON sandbox_messages (page_id, psid, id);

-- +goose Down
DROP TABLE sandbox_messages;
DROP TABLE sandbox_shoppers;
