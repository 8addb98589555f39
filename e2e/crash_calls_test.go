package e2e

import (
	"bytes"
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
)

// sendChat delivers a signed message from a shopper to the demo Page and reports whether it was
// acknowledged.
func sendChat(url, psid, mid string) bool {
	now := time.Now().UnixMilli()
	body := []byte(fmt.Sprintf(`{"object":"page","entry":[{"id":%q,"time":%d,"messaging":[{"sender":{"id":%q},"recipient":{"id":%q},"timestamp":%d,"message":{"mid":%q,"text":"Do you have this in blue?"}}]}]}`,
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
// is made within 15 seconds of the restart, and every acknowledged message is answered.
func TestCrashDuringChatsAnswersWithinSeconds(t *testing.T) {
	if testing.Short() {
		t.Skip("crash test runs the real binary")
	}
	dataDir := t.TempDir()
	srv := startServer(t, dataDir)
	var mu sync.Mutex
	acked := map[string]string{} // mid → psid
	stop := make(chan struct{})
	var wg sync.WaitGroup
	for g := range 4 {
		wg.Add(1)
		go func() {
			defer wg.Done()
			for i := 0; ; i++ {
				select {
				case <-stop:
					return
				default:
				}
				psid := fmt.Sprintf("98%02d%06d", g, i)
				mid := "m_crash_" + psid
				if sendChat(srv.URL, psid, mid) {
					mu.Lock()
					acked[mid] = psid
					mu.Unlock()
				}
			}
		}()
	}
	time.Sleep(time.Duration(1500+rand.IntN(1000)) * time.Millisecond)
	if err := srv.cmd.Process.Signal(syscall.SIGKILL); err != nil {
		t.Fatal(err)
	}
	srv.cmd.Wait()
	close(stop)
	wg.Wait()
	if len(acked) < 20 {
		t.Fatalf("only %d messages were acknowledged; the stream did not run", len(acked))
	}

	store := modelstest.OpenAt(t, filepath.Join(dataDir, "chatshop.db"))
	db := store.ReaderDB()
	var left int
	db.QueryRow("SELECT count(*) FROM calls WHERE state = 'queued'").Scan(&left)
	restarted := time.Now()
	srv = startServer(t, dataDir)
	for {
		var queued, unprocessed int
		db.QueryRow("SELECT count(*) FROM calls WHERE state = 'queued'").Scan(&queued)
		db.QueryRow("SELECT count(*) FROM webhook_events WHERE status IN ('pending', 'retrying')").Scan(&unprocessed)
		if queued == 0 && unprocessed == 0 {
			break
		}
		if time.Since(restarted) > 30*time.Second {
			t.Fatalf("30 s after the restart: %d calls queued, %d events unprocessed; output:\n%s", queued, unprocessed, srv.output.String())
		}
		time.Sleep(50 * time.Millisecond)
	}
	took := time.Since(restarted)
	for mid, psid := range acked {
		var sent int
		db.QueryRow(`SELECT count(*) FROM outbound_messages m JOIN webhook_events e ON m.idempotency_key = 'reply:' || e.id
			WHERE e.provider = 'messenger' AND e.event_key = $1 AND m.psid = $2 AND m.status = 'sent'`, mid, psid).Scan(&sent)
		if sent != 1 {
			t.Fatalf("acknowledged message %s: %d answers sent, want 1", mid, sent)
		}
	}
	var failed int
	db.QueryRow("SELECT count(*) FROM calls WHERE state = 'failed' AND kind = 'messenger.send'").Scan(&failed)
	if failed != 0 {
		t.Fatalf("%d sends failed", failed)
	}
	if took > 15*time.Second {
		t.Fatalf("the killed process's calls were all made %.1f s after the restart, want within 15 s", took.Seconds())
	}
	t.Logf("%d messages acknowledged before the SIGKILL, %d calls left queued or running; all made and answered %.1f s after the restart",
		len(acked), left, took.Seconds())
}
