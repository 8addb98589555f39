-- +goose Up
-- The event log newest first walks the events' own key backwards; an index on the id alone was a
-- second copy of it, written with every event the inbox stores.
DROP INDEX webhook_events_list;

-- +goose Down
CREATE INDEX webhook_events_list ON webhook_events (id DESC);
