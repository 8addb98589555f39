-- +goose Up
-- The addresses each user has signed in from, and when last: sign-in's throttle lets an address
-- known for the account skip the account-wide delay that guesses from elsewhere build up, so that
-- someone else's guesses never lock the owner out. One row per user and address signed in from, so
-- failures never add rows; rows not used for 30 days are deleted.
CREATE TABLE known_addresses (
    user_id           INTEGER NOT NULL REFERENCES users (id) ON DELETE CASCADE,
    ip                TEXT NOT NULL,
    last_signed_in_at DATETIME NOT NULL,
    PRIMARY KEY (user_id, ip)
);

-- +goose Down
DROP TABLE known_addresses;
