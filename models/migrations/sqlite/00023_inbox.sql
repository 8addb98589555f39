-- +goose Up
-- The shop's inbox: each shopper's conversation keeps what the list shows (its last message, when
-- the shopper last wrote, for Messenger's 24-hour window) and who on the team has it; messages say
-- which team member wrote them and which outbound message carries them; saved replies.
ALTER TABLE shoppers ADD COLUMN assigned_user_id INTEGER; -- a member of the shop; cleared when they leave it
ALTER TABLE shoppers ADD COLUMN last_message_at DATETIME;
ALTER TABLE shoppers ADD COLUMN last_inbound_at DATETIME;
ALTER TABLE shoppers ADD COLUMN last_text TEXT NOT NULL DEFAULT '';
UPDATE shoppers SET
    last_message_at = (SELECT max(created_at) FROM chat_messages WHERE shopper_id = shoppers.id),
    last_inbound_at = (SELECT max(created_at) FROM chat_messages WHERE shopper_id = shoppers.id AND direction = 'in'),
    last_text = coalesce((SELECT text FROM chat_messages WHERE shopper_id = shoppers.id ORDER BY id DESC LIMIT 1), '');
CREATE INDEX shoppers_inbox ON shoppers (shop_id, last_message_at DESC, id DESC) WHERE last_message_at IS NOT NULL;
CREATE INDEX shoppers_inbox_open ON shoppers (shop_id, last_message_at DESC, id DESC) WHERE needs_human;
CREATE INDEX shoppers_inbox_mine ON shoppers (shop_id, assigned_user_id, last_message_at DESC, id DESC) WHERE needs_human;

ALTER TABLE chat_messages ADD COLUMN author_user_id INTEGER; -- the team member who wrote it (NULL: the shopper or the bot)
ALTER TABLE chat_messages ADD COLUMN outbound_message_id INTEGER; -- how it is being sent, and whether Meta took it

-- The last payment notification each member has seen, for the badge in the navigation.
ALTER TABLE memberships ADD COLUMN notifications_seen_id INTEGER NOT NULL DEFAULT 0;

CREATE INDEX orders_capture ON orders (shop_id, capture_id) WHERE capture_id <> '';
CREATE INDEX payment_notifications_kind ON payment_notifications (shop_id, kind, id DESC);

CREATE TABLE canned_replies (
    id         INTEGER PRIMARY KEY,
    shop_id    INTEGER NOT NULL REFERENCES shops (id) ON DELETE CASCADE,
    title      TEXT NOT NULL,
    body       TEXT NOT NULL,
    created_at DATETIME NOT NULL
);
CREATE INDEX canned_replies_shop ON canned_replies (shop_id, title);

-- +goose Down
DROP TABLE canned_replies;
DROP INDEX payment_notifications_kind;
DROP INDEX orders_capture;
ALTER TABLE memberships DROP COLUMN notifications_seen_id;
ALTER TABLE chat_messages DROP COLUMN outbound_message_id;
ALTER TABLE chat_messages DROP COLUMN author_user_id;
DROP INDEX shoppers_inbox_mine;
DROP INDEX shoppers_inbox_open;
DROP INDEX shoppers_inbox;
ALTER TABLE shoppers DROP COLUMN last_text;
ALTER TABLE shoppers DROP COLUMN last_inbound_at;
ALTER TABLE shoppers DROP COLUMN last_message_at;
ALTER TABLE shoppers DROP COLUMN assigned_user_id;
