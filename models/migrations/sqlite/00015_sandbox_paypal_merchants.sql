-- +goose Up
-- The PayPal emulator's partner referrals and the merchants who signed up through them.
CREATE TABLE sandbox_paypal_referrals (
    id          TEXT PRIMARY KEY,
    tracking_id TEXT NOT NULL,
    return_url  TEXT NOT NULL DEFAULT '',
    body        TEXT NOT NULL,
    merchant_id TEXT NOT NULL DEFAULT '',
    created_at  DATETIME NOT NULL
);

CREATE TABLE sandbox_paypal_merchants (
    merchant_id             TEXT PRIMARY KEY,
    tracking_id             TEXT NOT NULL,
    legal_name              TEXT NOT NULL,
    email                   TEXT NOT NULL,
    permissions_granted     BOOLEAN NOT NULL,
    primary_email_confirmed BOOLEAN NOT NULL,
    consent_revoked         BOOLEAN NOT NULL DEFAULT FALSE,
    created_at              DATETIME NOT NULL,
    updated_at              DATETIME NOT NULL
);
CREATE INDEX sandbox_paypal_merchants_tracking ON sandbox_paypal_merchants (tracking_id);

-- +goose Down
DROP TABLE sandbox_paypal_merchants;
DROP TABLE sandbox_paypal_referrals;
