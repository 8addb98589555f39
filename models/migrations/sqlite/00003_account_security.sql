-- +goose Up
-- session_epoch is stored in each session at sign-in; raising it ends every older session.
ALTER TABLE users ADD COLUMN session_epoch INTEGER NOT NULL DEFAULT 1;

CREATE TABLE invites (
    id          INTEGER PRIMARY KEY,
    shop_id     INTEGER NOT NULL REFERENCES shops (id) ON DELETE CASCADE,
    email       TEXT NOT NULL COLLATE NOCASE,
    role        TEXT NOT NULL CHECK (role IN ('owner', 'staff')),
    token_hash  TEXT NOT NULL UNIQUE,
    invited_by  INTEGER REFERENCES users (id) ON DELETE SET NULL,
    expires_at  DATETIME NOT NULL,
    accepted_at DATETIME,
    revoked_at  DATETIME,
    created_at  DATETIME NOT NULL
);
CREATE INDEX invites_shop ON invites (shop_id, id DESC);

CREATE TABLE login_attempts (
    id         INTEGER PRIMARY KEY,
    email      TEXT NOT NULL COLLATE NOCASE,
    ip         TEXT NOT NULL,
    succeeded  BOOLEAN NOT NULL,
    created_at DATETIME NOT NULL
);
CREATE INDEX login_attempts_email ON login_attempts (email, created_at);
CREATE INDEX login_attempts_ip ON login_attempts (ip, created_at);

CREATE TABLE audit_events (
    id          INTEGER PRIMARY KEY,
    shop_id     INTEGER REFERENCES shops (id) ON DELETE CASCADE,
    actor_id    INTEGER REFERENCES users (id) ON DELETE SET NULL,
    actor_email TEXT NOT NULL DEFAULT '',
    action      TEXT NOT NULL,
    target      TEXT NOT NULL DEFAULT '',
    detail      TEXT NOT NULL DEFAULT '',
    ip          TEXT NOT NULL DEFAULT '',
    created_at  DATETIME NOT NULL
);
CREATE INDEX audit_events_shop ON audit_events (shop_id, id DESC);
CREATE INDEX audit_events_action ON audit_events (action, id DESC);

-- +goose Down
DROP TABLE audit_events;
DROP TABLE login_attempts;
DROP TABLE invites;
ALTER TABLE users DROP COLUMN session_epoch;
