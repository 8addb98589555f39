package modelstest

import (
	"context"
	"crypto/sha256"
	"database/sql"
	"encoding/hex"
	"fmt"
	"os"
	"sync"
	"syscall"
	"testing"
	"time"

	_ "github.com/jackc/pgx/v5/stdlib" // registers the "pgx" database/sql driver

	"github.com/chatshop/chatshop/models"
)

// TestDatabaseEnv names the PostgreSQL server the suite runs against, as a URL of a database the
// user may create databases from (postgres://user:password@127.0.0.1:5432/postgres). Unset, the
// suite runs on SQLite.
const TestDatabaseEnv = "CHATSHOP_TEST_DATABASE_URL"

// OnPostgres is whether the suite runs against PostgreSQL.
func OnPostgres() bool { return os.Getenv(TestDatabaseEnv) != "" }

// SkipOnPostgres skips a test of something only SQLite has.
func SkipOnPostgres(t testing.TB, why string) {
	t.Helper()
	if OnPostgres() {
		t.Skip("SQLite only: " + why)
	}
}

// DatabaseURL is, on PostgreSQL, the URL of the test's database for path (any name unique to the
// test, such as a file in its temporary directory): created, migrated, at the first call for path,
// and dropped when the test ends. It is "" when the suite runs on SQLite.
func DatabaseURL(t testing.TB, path string) string {
	t.Helper()
	server := os.Getenv(TestDatabaseEnv)
	if server == "" {
		return ""
	}
	sum := sha256.Sum256([]byte(path))
	name := "chatshop_test_" + hex.EncodeToString(sum[:8])
	created.Lock()
	defer created.Unlock()
	if !created.names[name] {
		if err := createDatabase(server, name); err != nil {
			t.Fatalf("modelstest: %v", err)
		}
		created.names[name] = true
		t.Cleanup(func() { dropDatabase(t, server, name) })
	}
	u, err := models.PostgresDatabaseURL(server, name)
	if err != nil {
		t.Fatal(err)
	}
	return u
}

var created = struct {
	sync.Mutex
	names    map[string]bool
	template string
}{names: map[string]bool{}}

// createDatabase copies a template migrated once per test process: a copy takes a fraction of
// the time the migrations do.
func createDatabase(server, name string) error {
	admin, err := sql.Open("pgx", server)
	if err != nil {
		return err
	}
	defer admin.Close()
	ctx := context.Background()
	if created.template == "" {
		dropStaleTemplates(ctx, admin)
		template := fmt.Sprintf("chatshop_template_%d", os.Getpid())
		if err := models.CreatePostgresDatabase(ctx, admin, template, ""); err != nil {
			return err
		}
		u, err := models.PostgresDatabaseURL(server, template)
		if err != nil {
			return err
		}
		s, err := models.OpenPostgres(ctx, u, models.OpenOptions{})
		if err != nil {
			return fmt.Errorf("migrate template database: %w", err)
		}
		s.Close()
		created.template = template
	}
	return models.CreatePostgresDatabase(ctx, admin, name, created.template)
}

// dropStaleTemplates drops the templates of test processes that have ended (their own ends with
// them, uncleaned: a test binary has no hook at exit).
func dropStaleTemplates(ctx context.Context, admin *sql.DB) {
	rows, err := admin.QueryContext(ctx, "SELECT datname FROM pg_database WHERE datname LIKE 'chatshop_template_%'")
	if err != nil {
		return
	}
	var stale []string
	for rows.Next() {
		var name string
		var pid int
		if rows.Scan(&name) == nil {
			if _, err := fmt.Sscanf(name, "chatshop_template_%d", &pid); err == nil && syscall.Kill(pid, 0) == syscall.ESRCH {
				stale = append(stale, name)
			}
		}
	}
	rows.Close()
	for _, name := range stale {
		models.DropPostgresDatabase(ctx, admin, name)
	}
}

func dropDatabase(t testing.TB, server, name string) {
	admin, err := sql.Open("pgx", server)
	if err != nil {
		t.Errorf("modelstest: %v", err)
		return
	}
	defer admin.Close()
	// A session the server has not finished ending (a killed process's) may hold it a moment.
	for try := 1; ; try++ {
		err := models.DropPostgresDatabase(context.Background(), admin, name)
		if err == nil {
			return
		}
		if try == 50 {
			t.Errorf("modelstest: drop %s: %v", name, err)
			return
		}
		time.Sleep(100 * time.Millisecond)
	}
}
