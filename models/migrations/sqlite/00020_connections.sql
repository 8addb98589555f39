-- +goose Up
-- What the dashboard shows of a shop's connections: the Page's webhook fields and token health,
-- the PayPal seller's onboarding status as merchant-integrations reports it, and whether the
-- owner has chosen the countries where shoppers may pay.
ALTER TABLE messenger_pages ADD COLUMN subscribed_fields TEXT NOT NULL DEFAULT '';
ALTER TABLE messenger_pages ADD COLUMN checked_at DATETIME;
ALTER TABLE messenger_pages ADD COLUMN problem TEXT NOT NULL DEFAULT '';

ALTER TABLE paypal_accounts ADD COLUMN tracking_id TEXT NOT NULL DEFAULT '';
ALTER TABLE paypal_accounts ADD COLUMN legal_name TEXT NOT NULL DEFAULT '';
ALTER TABLE paypal_accounts ADD COLUMN email TEXT NOT NULL DEFAULT '';
ALTER TABLE paypal_accounts ADD COLUMN payments_receivable BOOLEAN NOT NULL DEFAULT FALSE;
ALTER TABLE paypal_accounts ADD COLUMN primary_email_confirmed BOOLEAN NOT NULL DEFAULT FALSE;
ALTER TABLE paypal_accounts ADD COLUMN checked_at DATETIME;
ALTER TABLE paypal_accounts ADD COLUMN problem TEXT NOT NULL DEFAULT '';
-- Accounts connected before these columns existed were confirmed when they were connected.
UPDATE paypal_accounts SET payments_receivable = TRUE, primary_email_confirmed = TRUE WHERE status = 'connected';

ALTER TABLE shops ADD COLUMN countries_confirmed_at DATETIME;

-- The latest event of each Page, for "last event received".
CREATE INDEX webhook_events_account ON webhook_events (provider, account_ref, id DESC);

-- +goose Down
DROP INDEX webhook_events_account;
ALTER TABLE shops DROP COLUMN countries_confirmed_at;
ALTER TABLE paypal_accounts DROP COLUMN problem;
ALTER TABLE paypal_accounts DROP COLUMN checked_at;
ALTER TABLE paypal_accounts DROP COLUMN primary_email_confirmed;
ALTER TABLE paypal_accounts DROP COLUMN payments_receivable;
ALTER TABLE paypal_accounts DROP COLUMN email;
ALTER TABLE paypal_accounts DROP COLUMN legal_name;
ALTER TABLE paypal_accounts DROP COLUMN tracking_id;
ALTER TABLE messenger_pages DROP COLUMN problem;
ALTER TABLE messenger_pages DROP COLUMN checked_at;
ALTER TABLE messenger_pages DROP COLUMN subscribed_fields;
