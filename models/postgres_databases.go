package models

import (
	"context"
	"database/sql"
	"fmt"
	"net/url"
)

// The test suite and the benchmark each make databases of their own on a PostgreSQL server, from
// a URL whose user may create databases.

// PostgresDatabaseURL is serverURL naming the database name instead.
func PostgresDatabaseURL(serverURL, name string) (string, error) {
	u, err := url.Parse(serverURL)
	if err != nil {
		return "", fmt.Errorf("models: PostgreSQL URL: %w", err)
	}
	u.Path = "/" + name
	return u.String(), nil
}

// CreatePostgresDatabase creates the database name through admin, a connection to its server,
// as a copy of template ("" for the server's default).
func CreatePostgresDatabase(ctx context.Context, admin *sql.DB, name, template string) error {
	q := "CREATE DATABASE " + name
	if template != "" {
		q += " TEMPLATE " + template
	}
	if _, err := admin.ExecContext(ctx, q); err != nil {
		return fmt.Errorf("models: create database %s: %w", name, err)
	}
	return nil
}

// DropPostgresDatabase drops the database name, if there is one, ending its sessions.
func DropPostgresDatabase(ctx context.Context, admin *sql.DB, name string) error {
	_, err := admin.ExecContext(ctx, "DROP DATABASE IF EXISTS "+name+" WITH (FORCE)")
	return err
}
