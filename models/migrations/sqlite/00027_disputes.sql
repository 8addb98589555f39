-- +goose Up
-- Disputes as PayPal reports them, each linked to its shop and, when the payment came through
-- chatshop's checkout, to the order and the shopper.
CREATE TABLE disputes (
    id                INTEGER PRIMARY KEY,
    shop_id           INTEGER NOT NULL REFERENCES shops (id) ON DELETE CASCADE,
    paypal_id         TEXT NOT NULL UNIQUE,
    merchant_id       TEXT NOT NULL,
    capture_id        TEXT NOT NULL DEFAULT '',
    order_id          INTEGER REFERENCES orders (id),
    shopper_id        INTEGER REFERENCES shoppers (id),
    reason            TEXT NOT NULL,
    status            TEXT NOT NULL,
    stage             TEXT NOT NULL,
    amount_minor      INTEGER NOT NULL,
    currency          TEXT NOT NULL,
    response_due_at   DATETIME,
    -- response_due_at in Unix seconds, or the largest integer when nothing is due: the queue's order.
    due_key           INTEGER NOT NULL,
    outcome           TEXT NOT NULL DEFAULT '',
    refunded_minor    INTEGER NOT NULL DEFAULT 0,
    -- the link rels of the seller actions PayPal allows now, comma separated
    allowed           TEXT NOT NULL DEFAULT '',
    body              TEXT NOT NULL,
    -- status, stage and outcome when the shop was last told of the dispute in its feed
    notified_state    TEXT NOT NULL DEFAULT '',
    paypal_updated_at DATETIME NOT NULL,
    opened_at         DATETIME NOT NULL,
    created_at        DATETIME NOT NULL,
    updated_at        DATETIME NOT NULL
);
CREATE INDEX disputes_queue ON disputes (due_key, id);
CREATE INDEX disputes_shop ON disputes (shop_id, id DESC);
CREATE INDEX disputes_capture ON disputes (capture_id);

-- What an admin asked PayPal to do with a dispute, carried out by the worker.
CREATE TABLE dispute_actions (
    id           INTEGER PRIMARY KEY,
    dispute_id   INTEGER NOT NULL REFERENCES disputes (id) ON DELETE CASCADE,
    kind         TEXT NOT NULL,
    input        TEXT NOT NULL,
    status       TEXT NOT NULL,
    error        TEXT NOT NULL DEFAULT '',
    attempts     INTEGER NOT NULL DEFAULT 0,
    requested_by INTEGER REFERENCES users (id),
    created_at   DATETIME NOT NULL,
    done_at      DATETIME
);
CREATE INDEX dispute_actions_dispute ON dispute_actions (dispute_id, id);

-- Evidence documents uploaded by the shop's owners or the admins, until and after they are sent.
CREATE TABLE dispute_files (
    id           INTEGER PRIMARY KEY,
    dispute_id   INTEGER NOT NULL REFERENCES disputes (id) ON DELETE CASCADE,
    name         TEXT NOT NULL,
    content_type TEXT NOT NULL,
    size         INTEGER NOT NULL,
    data         BLOB NOT NULL,
    uploaded_by  INTEGER REFERENCES users (id),
    action_id    INTEGER REFERENCES dispute_actions (id),
    created_at   DATETIME NOT NULL
);
CREATE INDEX dispute_files_dispute ON dispute_files (dispute_id, id);

-- A dispute's timeline: what PayPal reported, internal notes, files and actions.
CREATE TABLE dispute_entries (
    id         INTEGER PRIMARY KEY,
    dispute_id INTEGER NOT NULL REFERENCES disputes (id) ON DELETE CASCADE,
    kind       TEXT NOT NULL,
    text       TEXT NOT NULL,
    user_id    INTEGER REFERENCES users (id),
    created_at DATETIME NOT NULL
);
CREATE INDEX dispute_entries_dispute ON dispute_entries (dispute_id, id);

-- A notification about a dispute names it.
ALTER TABLE payment_notifications ADD COLUMN dispute_id INTEGER REFERENCES disputes (id);
ALTER TABLE payment_notifications ADD COLUMN detail TEXT NOT NULL DEFAULT '';

-- +goose Down
ALTER TABLE payment_notifications DROP COLUMN detail;
ALTER TABLE payment_notifications DROP COLUMN dispute_id;
DROP TABLE dispute_entries;
DROP TABLE dispute_files;
DROP TABLE dispute_actions;
DROP TABLE disputes;
