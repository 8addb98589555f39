-- +goose Up
-- A wrong current password given in a signed-in session (on /account) is a failed attempt at the
-- account's password like a wrong sign-in, and counts toward the same throttle; it is marked, so
-- that the guesses made in sessions can end them.
ALTER TABLE login_attempts ADD COLUMN in_session BOOLEAN NOT NULL DEFAULT FALSE;

-- +goose Down
ALTER TABLE login_attempts DROP COLUMN in_session;
