package bench

import (
	"context"
	"database/sql"
	"errors"
	"fmt"
	"os"

	_ "github.com/jackc/pgx/v5/stdlib" // registers the "pgx" database/sql driver

	"github.com/chatshop/chatshop/models"
)

// PostgresEnv names the PostgreSQL server of the benchmark's PostgreSQL column, as a URL of a
// database whose user may create databases; the run makes one of its own there, and drops it.
const PostgresEnv = "CHATSHOP_BENCH_POSTGRES_URL"

// benchDatabase creates a fresh database on the server at serverURL and returns its URL and what
// drops it.
func benchDatabase(serverURL string) (string, func(), error) {
	admin, err := sql.Open("pgx", serverURL)
	if err != nil {
		return "", nil, err
	}
	name := fmt.Sprintf("chatshop_bench_%d", os.Getpid())
	ctx := context.Background()
	dbURL, err := models.PostgresDatabaseURL(serverURL, name)
	if err == nil {
		err = errors.Join(models.DropPostgresDatabase(ctx, admin, name), models.CreatePostgresDatabase(ctx, admin, name, ""))
	}
	if err != nil {
		admin.Close()
		return "", nil, fmt.Errorf("%s: %w", PostgresEnv, err)
	}
	return dbURL, func() {
		defer admin.Close()
		if os.Getenv("CHATSHOP_BENCH_KEEP_DATA") != "" {
			fmt.Fprintf(os.Stderr, "bench: the PostgreSQL database %s is kept\n", name)
			return
		}
		models.DropPostgresDatabase(ctx, admin, name)
	}, nil
}
