package app

import (
	"context"
	"crypto/rand"
	"encoding/hex"
	"fmt"
	"log/slog"
	"os"
	"path/filepath"
	"strings"

	"github.com/chatshop/chatshop/config"
	"github.com/chatshop/chatshop/models"
	"github.com/chatshop/chatshop/secret"
	"github.com/chatshop/chatshop/worker"
)

// OpenStore opens the configured database (PostgreSQL at --database-url, else SQLite in the data
// directory), applies chatshop's and River's migrations, and in sandbox mode makes sure a secret
// key exists in the data directory.
func OpenStore(ctx context.Context, cfg *config.Config, logger *slog.Logger) (*models.Store, error) {
	if cfg.Sandbox() && cfg.SecretKey == "" {
		key, err := sandboxSecretKey(cfg.DataDir)
		if err != nil {
			return nil, err
		}
		cfg.SecretKey = key
	}
	sealer, err := secret.NewSealer(cfg.SecretKey)
	if err != nil {
		return nil, fmt.Errorf("--secret-key (CHATSHOP_SECRET_KEY): %w", err)
	}
	opts := models.OpenOptions{Logger: logger, Sealer: sealer}
	var store *models.Store
	if cfg.DatabaseURL != "" {
		store, err = models.OpenPostgres(ctx, cfg.DatabaseURL, opts)
	} else {
		store, err = models.OpenSQLite(ctx, cfg.SQLitePath(), opts)
	}
	if err != nil {
		return nil, err
	}
	if err := worker.Migrate(ctx, store); err != nil {
		store.Close()
		return nil, err
	}
	return store, nil
}

// sandboxSecretKey reads the sandbox's generated key from the data directory, creating it once.
func sandboxSecretKey(dataDir string) (string, error) {
	path := filepath.Join(dataDir, "secret.key")
	if b, err := os.ReadFile(path); err == nil {
		return strings.TrimSpace(string(b)), nil
	} else if !os.IsNotExist(err) {
		return "", fmt.Errorf("read %s: %w", path, err)
	}
	b := make([]byte, 32)
	if _, err := rand.Read(b); err != nil {
		return "", err
	}
	kept, err := config.WriteOnce(path, []byte(hex.EncodeToString(b)+"\n"))
	return strings.TrimSpace(string(kept)), err
}
