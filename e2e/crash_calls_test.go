package e2e

import (
	"bytes"
	"context"
	"fmt"
	"math/rand/v2"
	"net/http"
	"path/filepath"
	"sync"
	"syscall"
	"testing"
	"time"

	"github.com/chatshop/chatshop/demo"
	"github.com/chatshop/chatshop/messenger"
	"github.com/chatshop/chatshop/models/modelstest"
	"github.com/chatshop/chatshop/sandbox"
)

// sendChat delivers a signed message from a shopper to the demo Page and reports whether it was
// acknowledged.
func sendChat(url, psid, mid string) bool {
	now := time.Now().UnixMilli()
	body := []byte(fmt.Sprintf(`{"object":"page","entry":[{"id":%q,"time":%d,"messaging":[{"sender":{"id":%q},"recipient":{"id":%q},"timestamp":%d,"message":{"mid":%q,"text":"browse"}}]}]}`,
		demo.PageID, now, psid, demo.PageID, now, mid))
	req, _ := http.NewRequest(http.MethodPost, url+"/webhooks/messenger", bytes.NewReader(body))
	req.Header.Set("Content-Type", "application/json")
	req.Header.Set(messenger.SignatureHeader, messenger.SignatureHeaderValue("sandbox-meta-app-secret", body))
	res, err := (&http.Client{Timeout: 5 * time.Second}).Do(req)
	if err != nil {
		return false
	}
	res.Body.Close()
	return res.StatusCode == http.StatusOK
}

// The real binary is killed with SIGKILL while shoppers write, with the bot's answers being sent,
// then restarted with the default leases: every call the killed process had queued or was making
// is made within 15 seconds of the restart, and every acknowledged message is answered (those
// still unprocessed at the kill ask for their calls after the restart).
func TestCrashDuringChatsAnswersWithinSeconds(t *testing.T) {
	if testing.Short() {
		t.Skip("crash test runs the real binary")
	}
	dataDir := t.TempDir()
	srv := startServer(t, dataDir)
	// Shoppers the Page can answer: the emulator's Send API knows them.
	control := sandbox.NewControl(srv.URL, 8)
	shoppers := make([]string, 100)
	for i := range shoppers {
		psid, err := control.CreateShopper(context.Background(), demo.PageID, fmt.Sprintf("Crash %d", i), "en_US")
		if err != nil {
			t.Fatal(err)
		}
		// The shopper writes through the emulator once: Messenger's 24 hours are open.
		if err := control.Say(context.Background(), demo.PageID, psid, "hi"); err != nil {
			t.Fatal(err)
		}
		shoppers[i] = psid
	}
	var mu sync.Mutex
	acked := map[string]string{} // mid → psid
	stopStream := stream(4, func(g, i int) {
		psid := shoppers[(g*7+i)%len(shoppers)]
		mid := fmt.Sprintf("m_crash_%d_%d", g, i)
		if sendChat(srv.URL, psid, mid) {
			mu.Lock()
			acked[mid] = psid
			mu.Unlock()
		}
	})
	time.Sleep(time.Duration(1500+rand.IntN(1000)) * time.Millisecond)
	if err := srv.cmd.Process.Signal(syscall.SIGKILL); err != nil {
		t.Fatal(err)
	}
	srv.cmd.Wait()
	stopStream()
	if len(acked) < 20 {
		t.Fatalf("only %d messages were acknowledged; the stream did not run", len(acked))
	}

	store := modelstest.OpenAt(t, filepath.Join(dataDir, "chatshop.db"))
	db := store.ReaderDB()
	// The calls the killed process had queued or was making: the target is about them.
	var maxQueued, left int
	db.QueryRow("SELECT coalesce(max(id), 0), count(*) FROM calls WHERE state = 'queued'").Scan(&maxQueued, &left)
	restarted := time.Now()
	srv = startServer(t, dataDir)
	var took time.Duration
	for {
		var queuedBefore, queued, unprocessed int
		db.QueryRow("SELECT count(*) FROM calls WHERE state = 'queued' AND id <= $1", maxQueued).Scan(&queuedBefore)
		if queuedBefore == 0 && took == 0 {
			took = time.Since(restarted)
		}
		// Then the events acknowledged but not yet processed at the kill, and the calls they ask for.
		db.QueryRow("SELECT count(*) FROM calls WHERE state = 'queued'").Scan(&queued)
		db.QueryRow("SELECT count(*) FROM webhook_events WHERE status IN ('pending', 'retrying')").Scan(&unprocessed)
		if took > 0 && queued == 0 && unprocessed == 0 {
			break
		}
		if time.Since(restarted) > 90*time.Second {
			t.Fatalf("90 s after the restart: %d of the killed process's calls and %d in all queued, %d events unprocessed; output:\n%s",
				queuedBefore, queued, unprocessed, srv.output.String())
		}
		time.Sleep(50 * time.Millisecond)
	}
	drained := time.Since(restarted)
	for mid, psid := range acked {
		var sent int
		db.QueryRow(`SELECT count(*) FROM outbound_messages m JOIN webhook_events e ON m.idempotency_key = 'reply:' || e.id
			WHERE e.provider = 'messenger' AND e.event_key = $1 AND m.psid = $2 AND m.status = 'sent'`, "mid:"+mid, psid).Scan(&sent)
		if sent != 1 {
			var status string
			var id int64
			db.QueryRow("SELECT id, status FROM webhook_events WHERE event_key = $1", "mid:"+mid).Scan(&id, &status)
			rows, _ := db.Query("SELECT idempotency_key, status, error FROM outbound_messages WHERE psid = $1", psid)
			var seen []string
			for rows.Next() {
				var k, st, e string
				rows.Scan(&k, &st, &e)
				seen = append(seen, k+" "+st+" "+e)
			}
			rows.Close()
			t.Fatalf("acknowledged message %s (event %d, %s): %d answers sent, want 1; the shopper's messages: %q", mid, id, status, sent, seen)
		}
	}
	var failed int
	db.QueryRow("SELECT count(*) FROM calls WHERE state = 'failed' AND kind = 'messenger.send'").Scan(&failed)
	if failed != 0 {
		t.Fatalf("%d sends failed", failed)
	}
	if took > 15*time.Second {
		t.Fatalf("the killed process's %d calls were all made %.1f s after the restart, want within 15 s", left, took.Seconds())
	}
	// Messenger has no idempotency key: a send the killed process made but had not recorded goes again.
	var pageSaid, recorded int
	db.QueryRow("SELECT count(*) FROM sandbox_messages WHERE sender = 'page'").Scan(&pageSaid)
	db.QueryRow("SELECT count(*) FROM outbound_messages WHERE status = 'sent'").Scan(&recorded)
	t.Logf("%d messages acknowledged before the SIGKILL, %d calls left queued or running, all made %.1f s after the restart; every message answered %.1f s after it; %d sends the emulator took twice",
		len(acked), left, took.Seconds(), drained.Seconds(), pageSaid-recorded)
}
