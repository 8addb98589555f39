package main

import (
	"bufio"
	"context"
	"errors"
	"io"
	"net/http"
	"os"
	"path/filepath"
	"regexp"
	"strings"
	"testing"
	"time"

	"github.com/chatshop/chatshop/models/modelstest"
)

func noEnv(string) string { return "" }

// dataEnv is the environment of a command run on dataDir: none on SQLite; on PostgreSQL, the URL
// of the database modelstest.OpenAt(dataDir/chatshop.db) opens.
func dataEnv(t *testing.T, dataDir string) func(string) string {
	url := modelstest.DatabaseURL(t, filepath.Join(dataDir, "chatshop.db"))
	return func(name string) string {
		if name == "CHATSHOP_DATABASE_URL" {
			return url
		}
		return ""
	}
}

func TestHelpListsCommandsAndSettings(t *testing.T) {
	var out strings.Builder
	if err := run(context.Background(), []string{"--help"}, noEnv, &out); err != nil {
		t.Fatal(err)
	}
	for _, want := range []string{"serve", "worker", "migrate", "seed", "sandbox", "bench", "--addr", "CHATSHOP_DATABASE_URL", "CHATSHOP_META_APP_SECRET"} {
		if !strings.Contains(out.String(), want) {
			t.Errorf("--help lacks %q", want)
		}
	}
}

// liveEnv is a complete live configuration.
var liveEnv = map[string]string{"CHATSHOP_MODE": "live", "CHATSHOP_SECRET_KEY": "0123456789abcdef0123456789abcdef",
	"CHATSHOP_BASE_URL": "https://shop.example", "CHATSHOP_PAYPAL_CLIENT_ID": "id", "CHATSHOP_PAYPAL_CLIENT_SECRET": "secret",
	"CHATSHOP_PAYPAL_WEBHOOK_ID": "WH-1", "CHATSHOP_PAYPAL_PARTNER_ID": "PARTNER123456", "CHATSHOP_PAYPAL_API_BASE": "https://api-m.paypal.com", "CHATSHOP_META_APP_SECRET": "s",
	"CHATSHOP_META_VERIFY_TOKEN": "v", "CHATSHOP_GRAPH_API_BASE": "https://graph.facebook.com/v21.0"}

func TestCommandErrors(t *testing.T) {
	for _, tc := range []struct {
		name     string
		args     []string
		env      map[string]string
		wantCode int
		want     string
	}{
		{"unknown command", []string{"frobnicate"}, nil, 2, `unknown command "frobnicate"`},
		{"bad flag value", []string{"serve", "--addr", "nowhere"}, nil, 1, "--addr"},
		{"undefined flag", []string{"serve", "--port", "80"}, nil, 1, "-port"},
		{"bad environment", []string{"serve"}, map[string]string{"CHATSHOP_MODE": "prod"}, 1, "CHATSHOP_MODE"},
		{"live without settings", []string{"migrate"}, map[string]string{"CHATSHOP_MODE": "live"}, 1, "CHATSHOP_PAYPAL_CLIENT_ID"},
		{"sandbox in live mode", []string{"sandbox"}, liveEnv, 2, "sandbox mode only"},
	} {
		t.Run(tc.name, func(t *testing.T) {
			err := run(context.Background(), tc.args, func(k string) string { return tc.env[k] }, io.Discard)
			if err == nil || !strings.Contains(err.Error(), tc.want) {
				t.Fatalf("error = %v, want one containing %q", err, tc.want)
			}
			code := 1
			var ee *exitError
			if errors.As(err, &ee) {
				code = ee.code
			}
			if code != tc.wantCode {
				t.Fatalf("exit code %d, want %d", code, tc.wantCode)
			}
		})
	}
}

// bannerLine is a line of serve's banner: a label in 13 columns, then the value
// ("  listening on  http://…", "  admin console http://…/admin").
var bannerLine = regexp.MustCompile(`^  (\S.{12}) (\S.*)$`)

// startServe runs `chatshop serve` in-process and returns its URL and a stop function that
// waits for the graceful shutdown and returns run's error.
func startServe(t *testing.T, dataDir string) (string, func() error) {
	t.Helper()
	banner, stop := startServeWith(t, dataDir)
	return banner["listening on"], stop
}

// startServeWith runs `chatshop serve` in-process with the flags given after the test's own, and
// returns its banner, each line's value by its label ("listening on", "metrics", "demo activity"…).
func startServeWith(t *testing.T, dataDir string, flags ...string) (map[string]string, func() error) {
	t.Helper()
	ctx, cancel := context.WithCancel(context.Background())
	pr, pw := io.Pipe()
	done := make(chan error, 1)
	go func() {
		args := append([]string{"serve", "--addr", "127.0.0.1:0", "--data-dir", dataDir, "--log-level", "warn"}, flags...)
		done <- run(ctx, args, dataEnv(t, dataDir), pw)
		pw.Close()
	}()
	banners := make(chan map[string]string, 1)
	go func() {
		var banner map[string]string
		sc := bufio.NewScanner(pr)
		for sc.Scan() {
			line := sc.Text()
			switch {
			case strings.HasPrefix(line, "chatshop is running"):
				banner = map[string]string{}
			case banner != nil && line == "": // the banner ends with an empty line
				banners <- banner
				banner = nil
			case banner != nil:
				if m := bannerLine.FindStringSubmatch(line); m != nil {
					banner[strings.TrimSpace(m[1])] = m[2]
				}
			}
		}
	}()
	stop := func() error {
		cancel()
		select {
		case err := <-done:
			return err
		case <-time.After(30 * time.Second):
			t.Fatal("serve did not shut down within 30s")
			return nil
		}
	}
	select {
	case banner := <-banners:
		return banner, stop
	case err := <-done:
		t.Fatalf("serve ended before listening: %v", err)
	case <-time.After(60 * time.Second):
		t.Fatal("serve did not listen within 60s")
	}
	return nil, nil
}

// --metrics-addr serves /metrics on its own listener and not on the main one, and the main one
// refuses a request whose headers are larger than any browser's or provider's.
func TestMetricsOnTheirOwnAddressAndHeadersBounded(t *testing.T) {
	urls, stop := startServeWith(t, t.TempDir(), "--metrics-addr", "127.0.0.1:0", "--metrics-token", "scrape-me")
	defer stop()
	get := func(url string, h http.Header) (int, string) {
		t.Helper()
		req, _ := http.NewRequest(http.MethodGet, url, nil)
		req.Header = h
		res, err := http.DefaultClient.Do(req)
		if err != nil {
			t.Fatal(err)
		}
		defer res.Body.Close()
		b, _ := io.ReadAll(res.Body)
		return res.StatusCode, string(b)
	}
	if urls["metrics"] == "" {
		t.Fatalf("the banner names no metrics URL: %v", urls)
	}
	if code, _ := get(urls["listening on"]+"/metrics", nil); code != http.StatusNotFound {
		t.Fatalf("/metrics on the main address: %d, want 404", code)
	}
	if code, _ := get(urls["metrics"], nil); code != http.StatusUnauthorized {
		t.Fatalf("/metrics without the token: %d, want 401", code)
	}
	if code, body := get(urls["metrics"], http.Header{"Authorization": {"Bearer scrape-me"}}); code != 200 || !strings.Contains(body, "chatshop_http_requests_total") {
		t.Fatalf("/metrics with the token: %d %.200s", code, body)
	}
	if code, _ := get(urls["listening on"]+"/healthz", http.Header{"X-Pad": {strings.Repeat("h", 100<<10)}}); code != http.StatusRequestHeaderFieldsTooLarge {
		t.Fatalf("100 KB of headers: %d, want 431", code)
	}
}

func TestServeRestartKeepsDataAndDuplicatesNothing(t *testing.T) {
	dataDir := t.TempDir()
	for i := range 2 {
		url, stop := startServe(t, dataDir)
		for _, path := range []string{"/healthz", "/readyz", "/login"} {
			res, err := http.Get(url + path)
			if err != nil {
				t.Fatal(err)
			}
			res.Body.Close()
			if res.StatusCode != 200 {
				t.Fatalf("start %d: %s = %d", i+1, path, res.StatusCode)
			}
		}
		if err := stop(); err != nil {
			t.Fatalf("start %d: graceful shutdown returned %v", i+1, err)
		}
	}
	key, err := os.Stat(filepath.Join(dataDir, "secret.key"))
	if err != nil || key.Mode().Perm() != 0o600 || key.Size() < 33 {
		t.Fatalf("sandbox secret key: %v, %v", key, err)
	}
	store := modelstest.OpenAt(t, filepath.Join(dataDir, "chatshop.db"))
	var users, shops, products int
	db := store.ReaderDB()
	for q, n := range map[string]*int{"users": &users, "shops": &shops, "products": &products} {
		if err := db.QueryRow("SELECT count(*) FROM " + q).Scan(n); err != nil {
			t.Fatal(err)
		}
	}
	if users != 2 || shops != 1 || products != 8 {
		t.Fatalf("after two starts: %d users, %d shops, %d products; want 2, 1, 8", users, shops, products)
	}
}

func TestMigrateAndSeed(t *testing.T) {
	dataDir := t.TempDir()
	var out strings.Builder
	if err := run(context.Background(), []string{"migrate", "--data-dir", dataDir}, dataEnv(t, dataDir), &out); err != nil {
		t.Fatal(err)
	}
	if !regexp.MustCompile(`schema version [1-9]`).MatchString(out.String()) || !strings.Contains(out.String(), "emulators' tables") {
		t.Fatalf("migrate said %q", out.String())
	}
	for i, want := range []string{"demo data created", "nothing changed"} {
		out.Reset()
		if err := run(context.Background(), []string{"seed", "--data-dir", dataDir, "--log-level", "warn"}, dataEnv(t, dataDir), &out); err != nil {
			t.Fatal(err)
		}
		if !strings.Contains(out.String(), want) {
			t.Fatalf("seed run %d said %q, want %q", i+1, out.String(), want)
		}
	}
	out.Reset()
	if err := run(context.Background(), []string{"seed", "--data-dir", dataDir, "--products", "120", "--log-level", "warn"}, dataEnv(t, dataDir), &out); err != nil {
		t.Fatal(err)
	}
	if !strings.Contains(out.String(), "120 products added") {
		t.Fatalf("bulk seed said %q", out.String())
	}
	store := modelstest.OpenAt(t, filepath.Join(dataDir, "chatshop.db"))
	shopID, _ := store.DemoShopID(context.Background())
	counts, err := store.ForShop(shopID).CountProducts(context.Background())
	if err != nil || counts.Active+counts.Draft+counts.Archived != 128 {
		t.Fatalf("demo shop holds %+v products (%v), want the 8 demo ones and 120 seeded", counts, err)
	}
	store.Close()

	// Orders need shoppers to buy them; then the benchmark's kinds of data, at a small scale.
	if err := run(context.Background(), []string{"seed", "--data-dir", dataDir, "--orders", "10"}, dataEnv(t, dataDir), io.Discard); err == nil ||
		!strings.Contains(err.Error(), "needs shoppers") {
		t.Fatalf("orders without shoppers: %v", err)
	}
	out.Reset()
	if err := run(context.Background(), []string{"seed", "--data-dir", dataDir, "--shoppers", "200", "--orders", "500", "--notifications", "1000", "--log-level", "warn"}, dataEnv(t, dataDir), &out); err != nil {
		t.Fatal(err)
	}
	for _, want := range []string{"200 shoppers added", "500 orders added", "1000 payment notifications added"} {
		if !strings.Contains(out.String(), want) {
			t.Errorf("bulk seed said %q, want %q", out.String(), want)
		}
	}
	store = modelstest.OpenAt(t, filepath.Join(dataDir, "chatshop.db"))
	var shoppers, orders, lines, notes, linked int
	var paidSales, countedSales int64
	store.ReaderDB().QueryRow(`SELECT (SELECT count(*) FROM shoppers WHERE shop_id = $1), (SELECT count(*) FROM orders WHERE shop_id = $2),
		(SELECT count(DISTINCT order_id) FROM order_lines WHERE shop_id = $3), (SELECT count(*) FROM payment_notifications WHERE shop_id = $4),
		(SELECT count(*) FROM payment_notifications n JOIN orders o ON o.capture_id = n.capture_id WHERE n.shop_id = $5),
		(SELECT coalesce(sum(total_minor), 0) FROM orders WHERE shop_id = $6 AND status = 'paid'),
		(SELECT coalesce(sum(sales_minor), 0) FROM daily_sales WHERE shop_id = $7)`,
		shopID, shopID, shopID, shopID, shopID, shopID, shopID).Scan(&shoppers, &orders, &lines, &notes, &linked, &paidSales, &countedSales)
	if shoppers != 200 || orders != 500 || lines != 500 || notes != 1000 || linked != 1000 || paidSales == 0 || countedSales != paidSales {
		t.Fatalf("seeded %d shoppers, %d orders (%d with lines), %d notifications (%d linked to orders), sales %d counted as %d",
			shoppers, orders, lines, notes, linked, paidSales, countedSales)
	}
}

func TestShortSecretKeyStopsStartUp(t *testing.T) {
	err := run(context.Background(), []string{"migrate", "--data-dir", t.TempDir(), "--secret-key", "too-short"}, noEnv, io.Discard)
	if err == nil || !strings.Contains(err.Error(), "CHATSHOP_SECRET_KEY") {
		t.Fatalf("error = %v, want one naming CHATSHOP_SECRET_KEY", err)
	}
}
