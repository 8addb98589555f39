package e2e

import (
	"bytes"
	"database/sql"
	"fmt"
	"math/rand/v2"
	"net/http"
	"net/http/httptest"
	"path/filepath"
	"sync"
	"syscall"
	"testing"
	"time"

	"github.com/chatshop/chatshop/demo"
	"github.com/chatshop/chatshop/models"
	"github.com/chatshop/chatshop/models/modelstest"
	"github.com/chatshop/chatshop/paypal"
)

// paypalDeliveries signs PAYMENT.CAPTURE.COMPLETED deliveries for the demo merchant with a key of
// its own; args make chatshop trust it (and retry a killed process's events after 2s).
type paypalDeliveries struct {
	signer *paypal.Signer
	args   []string
}

func newPayPalDeliveries(t *testing.T) *paypalDeliveries {
	key, certPEM, err := paypal.NewSigningCert("messageverificationcerts.crash.test", time.Now())
	if err != nil {
		t.Fatal(err)
	}
	certs := httptest.NewServer(http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) { w.Write(certPEM) }))
	t.Cleanup(certs.Close)
	return &paypalDeliveries{
		signer: &paypal.Signer{Key: key, CertURL: certs.URL + "/certs/CERT-crash", WebhookID: "WH-CRASH"},
		args: []string{"--paypal-cert-urls", certs.URL + "/certs/", "--paypal-webhook-id", "WH-CRASH",
			"--rescue-stuck-after", "2s", "--worker-poll-interval", "20ms"},
	}
}

// send delivers event id to the server at url and reports whether it was acknowledged.
func (d *paypalDeliveries) send(t *testing.T, url, id string) bool {
	body := fmt.Sprintf(`{"id":%q,"event_version":"1.0","resource_type":"capture","event_type":"PAYMENT.CAPTURE.COMPLETED","resource":{"id":"CAP-%s","status":"COMPLETED","amount":{"currency_code":"USD","value":"1.00"},"payee":{"merchant_id":%q}}}`,
		id, id, demo.MerchantID)
	h, err := d.signer.Headers([]byte(body), "tx-"+id+fmt.Sprint(rand.Int()), time.Now())
	if err != nil {
		t.Error(err)
		return false
	}
	req, _ := http.NewRequest(http.MethodPost, url+"/webhooks/paypal", bytes.NewReader([]byte(body)))
	req.Header = h
	res, err := (&http.Client{Timeout: 5 * time.Second}).Do(req)
	if err != nil {
		return false // killed mid-request: not acknowledged, PayPal would deliver again
	}
	res.Body.Close()
	return res.StatusCode == http.StatusOK
}

// checkEachOnce waits until every stored event is processed and none is leased, then checks
// that each acknowledged one, and each stored one, had exactly one effect.
func checkEachOnce(t *testing.T, db *sql.DB, acked map[string]bool, output func() string) int {
	t.Helper()
	deadline := time.Now().Add(150 * time.Second)
	for {
		var unfinished, stuck int
		db.QueryRow("SELECT count(*) FROM webhook_events WHERE status <> 'processed'").Scan(&unfinished)
		// No event may stay leased by a killed process: an expired lease makes it claimable again.
		db.QueryRow("SELECT count(*) FROM webhook_events WHERE locked_until IS NOT NULL").Scan(&stuck)
		if unfinished == 0 && stuck == 0 {
			break
		}
		if time.Now().After(deadline) {
			t.Fatalf("%d events not processed, %d still leased; output:\n%s", unfinished, stuck, output())
		}
		time.Sleep(200 * time.Millisecond)
	}
	for id := range acked {
		var status string
		var notes int
		db.QueryRow("SELECT status FROM webhook_events WHERE provider = 'paypal' AND event_key = $1", id).Scan(&status)
		db.QueryRow("SELECT count(*) FROM payment_notifications n JOIN webhook_events e ON e.id = n.event_id WHERE e.event_key = $1", id).Scan(&notes)
		if status != models.EventProcessed || notes != 1 {
			t.Fatalf("acknowledged event %s: status %q, %d notifications; want processed, exactly 1", id, status, notes)
		}
	}
	var events, notes, payments int
	db.QueryRow("SELECT count(*) FROM webhook_events").Scan(&events)
	db.QueryRow("SELECT count(*) FROM payment_notifications").Scan(&notes)
	db.QueryRow("SELECT count(*) FROM payments").Scan(&payments)
	if notes != events || payments != events {
		t.Fatalf("%d events stored, %d notifications, %d payments: each stored event must have exactly one effect", events, notes, payments)
	}
	return events
}

// The real binary is killed with SIGKILL at random moments during a stream of signed deliveries,
// then restarted: every acknowledged event is processed exactly once and no job is left stuck.
func TestCrashDuringDeliveriesLosesNothing(t *testing.T) {
	if testing.Short() {
		t.Skip("crash test runs the real binary for about a minute")
	}
	deliveries := newPayPalDeliveries(t)
	args := deliveries.args
	dataDir := t.TempDir()

	var mu sync.Mutex
	acked := map[string]bool{}
	next := 0
	send := func(url, id string) bool { return deliveries.send(t, url, id) }

	for round := range 3 {
		srv := startServer(t, dataDir, args...)
		stop := make(chan struct{})
		var wg sync.WaitGroup
		for range 4 {
			wg.Add(1)
			go func() {
				defer wg.Done()
				for {
					select {
					case <-stop:
						return
					default:
					}
					mu.Lock()
					next++
					id := fmt.Sprintf("WH-R%d-%05d", round, next)
					// Now and then deliver an acknowledged event again, as a provider unsure of it would.
					var again string
					if next%7 == 0 {
						for k := range acked {
							again = k
							break
						}
					}
					mu.Unlock()
					if send(srv.URL, id) {
						mu.Lock()
						acked[id] = true
						mu.Unlock()
					}
					if again != "" && !send(srv.URL, again) {
						continue
					}
				}
			}()
		}
		time.Sleep(time.Duration(300+rand.IntN(700)) * time.Millisecond)
		if err := srv.cmd.Process.Signal(syscall.SIGKILL); err != nil {
			t.Fatal(err)
		}
		srv.cmd.Wait()
		close(stop)
		wg.Wait()
	}
	if len(acked) < 20 {
		t.Fatalf("only %d deliveries were acknowledged; the stream did not run", len(acked))
	}

	srv := startServer(t, dataDir, args...)
	store := modelstest.OpenAt(t, filepath.Join(dataDir, "chatshop.db"))
	events := checkEachOnce(t, store.ReaderDB(), acked, srv.output.String)
	t.Logf("%d deliveries acknowledged across 3 SIGKILLs; %d events stored, each processed once", len(acked), events)
}
