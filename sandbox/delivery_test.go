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
// app's answer is read to its end rather than the connection dropped and dialled again. Each
// webhook is sent once the app has answered the one before (its connection idle again); the
// emulator may still be reading that answer when the next one leaves, so one more connection is
// allowed, not one per webhook.
func TestWebhooksKeepTheirConnection(t *testing.T) {
	var connections, answered atomic.Int64
	app := httptest.NewUnstartedServer(http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {
		io.Copy(io.Discard, r.Body)
		io.WriteString(w, "EVENT_RECEIVED")
	}))
	app.Config.ConnState = func(_ net.Conn, state http.ConnState) {
		switch state {
		case http.StateNew:
			connections.Add(1)
		case http.StateIdle:
			answered.Add(1)
		}
	}
	app.Start()
	defer app.Close()

	_, emuURL, _, _ := payPalEmulator(t, app.URL, 10*time.Millisecond)

	const webhooks = 5
	for i := int64(1); i <= webhooks; i++ {
		res, err := http.Post(emuURL+"/sandbox/paypal/api/webhooks", "application/json",
			strings.NewReader(`{"event_type":"PAYMENT.CAPTURE.DENIED","resource":{"id":"7NW873794T343360M","status":"DECLINED"}}`))
		if err != nil || res.StatusCode != http.StatusAccepted {
			t.Fatalf("control API: %v %v", res, err)
		}
		res.Body.Close()
		for deadline := time.Now().Add(5 * time.Second); answered.Load() < i; time.Sleep(2 * time.Millisecond) {
			if time.Now().After(deadline) {
				t.Fatalf("webhook %d not delivered after 5s", i)
			}
		}
	}
	if n := connections.Load(); n > 2 {
		t.Fatalf("%d webhooks in turn opened %d connections to the app, want 1 (or 2)", webhooks, n)
	}
}
