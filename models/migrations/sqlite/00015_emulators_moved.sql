-- +goose Up
-- Made the emulators' tables until they moved to the sandbox's own migrations (sandbox/sandboxdb),
-- applied in sandbox mode only. A database that ran this version keeps the tables it made.

-- +goose Down
