-- +goose Up
-- The events table is its own work queue: a processor claims due events for a lease; a failed
-- event waits until next_attempt_at; an expired lease (a crashed process) makes it claimable again.
ALTER TABLE webhook_events ADD COLUMN next_attempt_at DATETIME;
ALTER TABLE webhook_events ADD COLUMN locked_until DATETIME;
CREATE INDEX webhook_events_due ON webhook_events (id) WHERE status IN ('pending', 'retrying');

-- +goose Down
DROP INDEX webhook_events_due;
ALTER TABLE webhook_events DROP COLUMN locked_until;
ALTER TABLE webhook_events DROP COLUMN next_attempt_at;
