-- +goose Up
-- Messages to shoppers, queued in the transaction of the change that asks for them and sent by
-- the worker. The idempotency key makes asking twice (a retried event) queue one message.
CREATE TABLE outbound_messages (
    id              INTEGER PRIMARY KEY,
    shop_id         INTEGER NOT NULL REFERENCES shops (id) ON DELETE CASCADE,
    page_id         TEXT NOT NULL,
    psid            TEXT NOT NULL,
    messaging_type  TEXT NOT NULL,
    tag             TEXT NOT NULL DEFAULT '',
    message         TEXT NOT NULL,
    idempotency_key TEXT NOT NULL UNIQUE,
    status          TEXT NOT NULL DEFAULT 'queued' CHECK (status IN ('queued', 'sent', 'failed')),
    mid             TEXT NOT NULL DEFAULT '',
    attempts        INTEGER NOT NULL DEFAULT 0,
    error           TEXT NOT NULL DEFAULT '',
    created_at      DATETIME NOT NULL,
    sent_at         DATETIME
);
CREATE INDEX outbound_messages_thread ON outbound_messages (shop_id, page_id, psid, id);

-- +goose Down
DROP TABLE outbound_messages;
