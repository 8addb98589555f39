package e2e

import (
	"fmt"
	"path/filepath"
	"regexp"
	"sync"
	"syscall"
	"testing"
	"time"

	"github.com/chatshop/chatshop/models/modelstest"
)

var workerRunning = regexp.MustCompile(`msg="worker running"`)

// On PostgreSQL, two web processes (serve --no-worker) and two workers of the real binary share
// one database, all started at once. Signed deliveries stream at both web processes; one worker is
// killed with SIGKILL mid-stream. Every acknowledged event has exactly one effect, and a payment a
// worker processes appears, live, on a notifications page open on the other web process.
func TestScaleOutOnPostgres(t *testing.T) {
	if !modelstest.OnPostgres() {
		t.Skip("PostgreSQL only (CHATSHOP_TEST_DATABASE_URL): SQLite has one process")
	}
	deliveries := newPayPalDeliveries(t)
	dataDir := t.TempDir()
	web := func() *server {
		args := append([]string{"serve", "--no-worker", "--addr", "127.0.0.1:0", "--log-level", "warn"}, deliveries.args...)
		return launch(t, dataDir, listeningLine, args...)
	}
	webA, webB := web(), web()
	webA.URL, webB.URL = webA.wait(t), webB.wait(t)
	// The workers reach the sandbox's providers at a web process's address.
	worker := func() *server {
		args := append([]string{"worker", "--addr", webA.URL[len("http://"):], "--log-level", "info"}, deliveries.args...)
		return launch(t, dataDir, workerRunning, args...)
	}
	worker1, worker2 := worker(), worker()
	worker1.wait(t)
	worker2.wait(t)

	b := newBrowser(t).CancelTimeout().Timeout(2 * time.Minute)
	feed := openAsOwner(t, b, webB.URL, "/app/notifications")

	var mu sync.Mutex
	acked := map[string]bool{}
	stopStream := stream(4, func(g, i int) {
		id := fmt.Sprintf("WH-SCALE-%d-%05d", g, i)
		url := webA.URL
		if (g+i)%2 == 1 {
			url = webB.URL
		}
		if deliveries.send(t, url, id) {
			mu.Lock()
			acked[id] = true
			mu.Unlock()
		}
	})
	time.Sleep(time.Second)
	if err := worker1.cmd.Process.Signal(syscall.SIGKILL); err != nil {
		t.Fatal(err)
	}
	worker1.cmd.Wait()
	time.Sleep(time.Second)
	stopStream()
	if len(acked) < 50 {
		t.Fatalf("only %d deliveries were acknowledged; the stream did not run", len(acked))
	}

	store := modelstest.OpenAt(t, filepath.Join(dataDir, "chatshop.db"))
	output := func() string { return worker2.output.String() + webA.output.String() + webB.output.String() }
	events := checkEachOnce(t, store.ReaderDB(), acked, output)
	if !appears(feed, `[data-testid="notification-row"]`, 15*time.Second) {
		t.Fatal("the payments did not appear on the notifications page open on the other web process")
	}
	if reloaded(feed) {
		t.Fatal("the notifications page reloaded to show the payments")
	}
	t.Logf("%d deliveries acknowledged by 2 web processes, a worker killed; %d events stored, each processed once", len(acked), events)
}
