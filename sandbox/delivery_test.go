package sandbox_test

import (
	"io"
	"net"
	"net/http"
	"net/http/httptest"
	"strings"
	"sync/atomic"
	"testing"
	"time"
)

// Webhooks sent one after another reuse the connection to the app, as the providers' do: the
// app's answer is read to its end rather than the connection dropped and dialled again.
func TestWebhooksKeepTheirConnection(t *testing.T) {
	var connections, delivered atomic.Int64
	app := httptest.NewUnstartedServer(http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {
		io.Copy(io.Discard, r.Body)
		delivered.Add(1)
		io.WriteString(w, "EVENT_RECEIVED")
	}))
	app.Config.ConnState = func(_ net.Conn, state http.ConnState) {
		if state == http.StateNew {
			connections.Add(1)
		}
	}
	app.Start()
	defer app.Close()

	_, emuURL, _, _ := payPalEmulator(t, app.URL, 10*time.Millisecond)

	for i := int64(1); i <= 3; i++ {
		res, err := http.Post(emuURL+"/sandbox/paypal/api/webhooks", "application/json",
			strings.NewReader(`{"event_type":"PAYMENT.CAPTURE.DENIED","resource":{"id":"7NW873794T343360M","status":"DECLINED"}}`))
		if err != nil || res.StatusCode != http.StatusAccepted {
			t.Fatalf("control API: %v %v", res, err)
		}
		res.Body.Close()
		for deadline := time.Now().Add(5 * time.Second); delivered.Load() < i; time.Sleep(2 * time.Millisecond) {
			if time.Now().After(deadline) {
				t.Fatalf("webhook %d not delivered after 5s", i)
			}
		}
	}
	if n := connections.Load(); n != 1 {
		t.Fatalf("3 webhooks in turn opened %d connections to the app, want 1", n)
	}
}
