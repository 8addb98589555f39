-- +goose Up
-- The people who message a shop's Page, and every message of their conversation both ways.
CREATE TABLE shoppers (
    id            INTEGER PRIMARY KEY,
    shop_id       INTEGER NOT NULL REFERENCES shops (id) ON DELETE CASCADE,
    page_id       TEXT NOT NULL,
    psid          TEXT NOT NULL,
    name          TEXT NOT NULL DEFAULT '',
    locale        TEXT NOT NULL DEFAULT '',
    country       TEXT NOT NULL DEFAULT '', -- from the Messenger locale until PayPal says otherwise
    needs_human   BOOLEAN NOT NULL DEFAULT FALSE, -- handed to the shop's inbox
    unread        INTEGER NOT NULL DEFAULT 0,
    first_seen_at DATETIME NOT NULL,
    last_seen_at  DATETIME NOT NULL,
    UNIQUE (page_id, psid)
);
CREATE INDEX shoppers_shop ON shoppers (shop_id, last_seen_at DESC, id DESC);

CREATE TABLE chat_messages (
    id         INTEGER PRIMARY KEY,
    shop_id    INTEGER NOT NULL REFERENCES shops (id) ON DELETE CASCADE,
    shopper_id INTEGER NOT NULL REFERENCES shoppers (id) ON DELETE CASCADE,
    direction  TEXT NOT NULL CHECK (direction IN ('in', 'out')),
    text       TEXT NOT NULL DEFAULT '', -- what a person reads: the text, a button's title, a card's title
    body       TEXT NOT NULL,            -- the messaging item received, or the message sent
    created_at DATETIME NOT NULL
);
CREATE INDEX chat_messages_shopper ON chat_messages (shopper_id, id);

-- +goose Down
DROP TABLE chat_messages;
DROP TABLE shoppers;
