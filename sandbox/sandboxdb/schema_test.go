package sandboxdb_test

import (
	"context"
	"database/sql"
	"fmt"
	"os"
	"slices"
	"strings"
	"testing"

	"github.com/chatshop/chatshop/models"
	"github.com/chatshop/chatshop/models/modelstest"
	"github.com/chatshop/chatshop/sandbox/sandboxdb"
	"github.com/chatshop/chatshop/worker"
)

// emulatorTables are the tables of the emulators' migrations.
var emulatorTables = []string{"sandbox_account_linking_tokens", "sandbox_message_templates", "sandbox_messages", "sandbox_page_subscriptions",
	"sandbox_pages", "sandbox_paypal_captures", "sandbox_paypal_disputes", "sandbox_paypal_merchants",
	"sandbox_paypal_orders", "sandbox_paypal_payment_tokens", "sandbox_paypal_referrals", "sandbox_paypal_requests", "sandbox_paypal_trackers",
	"sandbox_paypal_setup_tokens", "sandbox_shoppers"}

// A database set up as live mode sets it up (the app's migrations and the job queue's) has no
// table of the emulators; the sandbox's own migrations add them, versioned apart from the app's.
func TestLiveDatabaseHasNoSandboxTable(t *testing.T) {
	ctx := context.Background()
	app := modelstest.Open(t)
	if err := worker.Migrate(ctx, app); err != nil {
		t.Fatal(err)
	}
	for _, name := range tables(t, app) {
		if strings.HasPrefix(name, "sandbox_") {
			t.Errorf("a live database has the table %s", name)
		}
	}
	before, err := app.SchemaVersion(ctx)
	if err != nil {
		t.Fatal(err)
	}
	open(t, app)
	got := slices.DeleteFunc(tables(t, app), func(name string) bool { return !strings.HasPrefix(name, "sandbox_") })
	want := append(slices.Clone(emulatorTables), sandboxdb.VersionTable)
	slices.Sort(want)
	if !slices.Equal(got, want) {
		t.Errorf("the sandbox made the tables %v, want %v", got, want)
	}
	if after, err := app.SchemaVersion(ctx); err != nil || after != before {
		t.Errorf("the app's schema version went from %d to %d (%v)", before, after, err)
	}
}

// A database from before the emulators had migrations of their own has their tables already,
// made by the app's migrations, with data: the sandbox's first migration keeps both, and leaves
// the tables exactly as it makes them in a new database.
func TestUpgradeKeepsTheEmulatorsTablesAndData(t *testing.T) {
	ctx := context.Background()
	old := modelstest.Open(t)
	dialect := "sqlite"
	if old.Postgres() {
		dialect = "postgres"
	}
	ddl, err := os.ReadFile("testdata/product_" + dialect + ".sql")
	if err != nil {
		t.Fatal(err)
	}
	if _, err := old.WriterDB().ExecContext(ctx, string(ddl)); err != nil {
		t.Fatalf("the app's old migrations: %v", err)
	}
	if _, err := old.WriterDB().ExecContext(ctx, models.Numbered(`INSERT INTO sandbox_pages (page_id, name, token_revoked, created_at)
		VALUES ('100000000000042', 'Old Page', TRUE, ?)`), "2026-01-02 03:04:05"); err != nil {
		t.Fatal(err)
	}
	shape := schema(t, old)

	db := open(t, old)
	p, err := db.SandboxPage(ctx, "100000000000042")
	if err != nil || p == nil || p.Name != "Old Page" || !p.TokenRevoked {
		t.Fatalf("the old Page after the upgrade: %+v, %v", p, err)
	}
	// The later migrations add to the tables; nothing the app's migrations made changes.
	upgraded := schema(t, old)
	for _, line := range strings.Split(shape, "\n") {
		if !slices.Contains(strings.Split(upgraded, "\n"), line) {
			t.Errorf("the upgrade changed or dropped %q; the tables are now:\n%s", line, upgraded)
		}
	}
	fresh := modelstest.Open(t)
	open(t, fresh)
	if got := schema(t, fresh); got != upgraded {
		t.Errorf("a new database's tables:\n%s\nan upgraded one's:\n%s", got, upgraded)
	}
}

// tables lists the database's tables, by name.
func tables(t *testing.T, app *models.Store) []string {
	t.Helper()
	q := "SELECT name FROM sqlite_master WHERE type = 'table' ORDER BY name"
	if app.Postgres() {
		q = "SELECT tablename FROM pg_tables WHERE schemaname = current_schema() ORDER BY tablename"
	}
	return column(t, app.ReaderDB(), q)
}

// schema describes the emulators' tables: each column with its type, nullability and default,
// each index with its columns.
func schema(t *testing.T, app *models.Store) string {
	t.Helper()
	db := app.ReaderDB()
	var b strings.Builder
	for _, table := range emulatorTables {
		if app.Postgres() {
			for _, line := range column(t, db, `SELECT column_name || ' ' || data_type || ' ' || is_nullable || ' ' ||
				COALESCE(column_default, '-') || ' ' || is_identity FROM information_schema.columns
				WHERE table_schema = current_schema() AND table_name = $1 ORDER BY ordinal_position`, table) {
				fmt.Fprintf(&b, "%s %s\n", table, line)
			}
			for _, line := range column(t, db, `SELECT indexdef FROM pg_indexes WHERE schemaname = current_schema()
				AND tablename = $1 ORDER BY indexname`, table) {
				fmt.Fprintf(&b, "%s\n", line)
			}
			continue
		}
		for _, line := range column(t, db, `SELECT name || ' ' || type || ' ' || "notnull" || ' ' || COALESCE(dflt_value, '-') || ' ' || pk
			FROM pragma_table_info($1) ORDER BY cid`, table) {
			fmt.Fprintf(&b, "%s %s\n", table, line)
		}
		for _, line := range column(t, db, `SELECT 'without rowid ' || wr FROM pragma_table_list($1)`, table) {
			fmt.Fprintf(&b, "%s %s\n", table, line)
		}
		for _, index := range column(t, db, `SELECT name || ' ' || "unique" FROM pragma_index_list($1) ORDER BY name`, table) {
			name, _, _ := strings.Cut(index, " ")
			cols := column(t, db, `SELECT name FROM pragma_index_info($1) ORDER BY seqno`, name)
			fmt.Fprintf(&b, "%s index %s (%s)\n", table, index, strings.Join(cols, ", "))
		}
	}
	return b.String()
}

func column(t *testing.T, db *sql.DB, query string, args ...any) []string {
	t.Helper()
	rows, err := db.Query(query, args...)
	if err != nil {
		t.Fatalf("%s: %v", query, err)
	}
	defer rows.Close()
	var out []string
	for rows.Next() {
		var s string
		if err := rows.Scan(&s); err != nil {
			t.Fatal(err)
		}
		out = append(out, s)
	}
	if err := rows.Err(); err != nil {
		t.Fatal(err)
	}
	return out
}
