package main

import (
	"context"
	"errors"
	"path/filepath"
	"regexp"
	"strings"
	"testing"

	"github.com/chatshop/chatshop/models/modelstest"
)

// `chatshop admin` makes a platform admin who signs in with the password it prints once; the same
// email twice, or no email, is refused.
func TestAdminCommandCreatesAnAdmin(t *testing.T) {
	dataDir := t.TempDir()
	env := dataEnv(t, dataDir)
	var out strings.Builder
	if err := run(context.Background(), []string{"admin", "--data-dir", dataDir, "--email", " Ops@Example.com "}, env, &out); err != nil {
		t.Fatal(err)
	}
	m := regexp.MustCompile(`password\s+(\S+)`).FindStringSubmatch(out.String())
	if m == nil || !strings.Contains(out.String(), "ops@example.com") {
		t.Fatalf("admin said %q", out.String())
	}
	store := modelstest.OpenAt(t, filepath.Join(dataDir, "chatshop.db"))
	u, err := store.Authenticate(context.Background(), "ops@example.com", m[1])
	if err != nil || !u.IsAdmin || u.Name != "ops" {
		t.Fatalf("sign in with the printed password: %+v %v", u, err)
	}

	for _, args := range [][]string{{"--email", "ops@example.com"}, {"--email", "not an address"}, {}} {
		err := run(context.Background(), append([]string{"admin", "--data-dir", dataDir}, args...), env, &out)
		var ee *exitError
		if !errors.As(err, &ee) || !strings.Contains(ee.msg, "chatshop admin:") {
			t.Errorf("admin %v: %v, want a clear refusal", args, err)
		}
	}
}
