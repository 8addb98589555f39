package web_test

import (
	"context"
	"fmt"
	"net/http"
	"net/url"
	"strings"
	"testing"

	"github.com/chatshop/chatshop/models"
)

func TestEventLogAndReplay(t *testing.T) {
	ts := newTestServer(t)
	owner, admin := ts.browser(t), ts.browser(t)
	owner.signIn("demo@chatshop.test", "demo-password")
	admin.signIn("admin@chatshop.test", "admin-password")

	// The echo of a Page's message, for a Page nobody has connected yet: kept as unmatched, visible
	// to admins only. (Echoes are kept and not acted on, so they can be replayed.)
	msg := `{"object":"page","entry":[{"id":"PAGE-NEW","time":1,"messaging":[{"sender":{"id":"PAGE-NEW"},"recipient":{"id":"PSID-9"},"timestamp":9,"message":{"mid":"m_early","is_echo":true,"app_id":1,"text":"are you open?"}}]}]}`
	if status, _ := ts.postMessenger(t, msg); status != 200 {
		t.Fatal(status)
	}
	if s := ts.waitProcessed(t, "messenger", "mid:m_early"); s != models.EventUnmatched {
		t.Fatalf("status %s", s)
	}
	ts.postRaw(t, "/webhooks/messenger", []byte(msg), http.Header{"X-Hub-Signature-256": {"sha256=00"}})
	if err := ts.refusals.Flush(context.Background()); err != nil {
		t.Fatal(err)
	}

	if res := owner.get("/app/events"); res.StatusCode != 200 || strings.Contains(res.body, "m_early") {
		t.Fatal("the shop's log shows an event no shop owns")
	}
	res := admin.get("/admin/events?status=unmatched")
	if res.StatusCode != 200 || !strings.Contains(res.body, "mid:m_early") || !hasTestID(res.body, "rejected-row") {
		t.Fatalf("admin log: %d, unmatched event or refused delivery missing", res.StatusCode)
	}
	if res := admin.get("/admin/events?status=processed"); strings.Contains(res.body, "mid:m_early") {
		t.Fatal("the status filter does not filter")
	}

	// The shop moves to that Page; the admin replays the event; now it belongs to the shop.
	shop := ts.demoShop(t)
	ctx := context.Background()
	if err := shop.DisconnectPage(ctx, models.Actor{}, nil); err != nil {
		t.Fatal(err)
	}
	if err := shop.ConnectPage(ctx, models.PageConnection{PageID: "PAGE-NEW", Name: "Lakeside Outlet"}, models.Actor{}, nil); err != nil {
		t.Fatal(err)
	}
	var id int64
	ts.store.ReaderDB().QueryRow("SELECT id FROM webhook_events WHERE event_key = 'mid:m_early'").Scan(&id)
	if res := admin.post("/admin/events/replay", url.Values{"id": {fmt.Sprint(id)}}); res.StatusCode != http.StatusSeeOther {
		t.Fatalf("replay: %d", res.StatusCode)
	}
	if s := ts.waitProcessed(t, "messenger", "mid:m_early"); s != models.EventIgnored {
		t.Fatalf("after replay: %s", s)
	}
	res = owner.get("/app/events")
	if !strings.Contains(res.body, "mid:m_early") {
		t.Fatal("the replayed event does not show in the shop's log")
	}
	detail := owner.get(fmt.Sprintf("/app/events/%d", id))
	if detail.StatusCode != 200 || !strings.Contains(detail.body, "are you open?") || !hasTestID(detail.body, "event-headers") ||
		strings.Count(detail.body, `data-testid="attempt-row"`) != 2 {
		t.Fatalf("event detail: %d, payload, headers or both attempts missing", detail.StatusCode)
	}
	// Replaying it again from the shop works too (not acted on yet), and is audited.
	if res := owner.post("/app/events/replay", url.Values{"id": {fmt.Sprint(id)}}); res.StatusCode != http.StatusSeeOther {
		t.Fatalf("shop replay: %d", res.StatusCode)
	}
	ts.waitProcessed(t, "messenger", "mid:m_early")
	if !strings.Contains(owner.get("/app/audit?action="+models.AuditWebhookReplayed).body, `data-testid="audit-row"`) {
		t.Fatal("the replay is not in the audit log")
	}
}

func TestProcessedEventsAreNotReplayed(t *testing.T) {
	ts := newTestServer(t)
	shop := ts.demoShop(t)
	owner := ts.browser(t)
	owner.signIn("demo@chatshop.test", "demo-password")
	ts.postPayPal(t, captureEvent("WH-ONCE", "PAYMENT.CAPTURE.COMPLETED", "CAP-ONCE", "COMPLETED", "10.00"))
	ts.waitProcessed(t, "paypal", "WH-ONCE")
	var id int64
	ts.store.ReaderDB().QueryRow("SELECT id FROM webhook_events WHERE event_key = 'WH-ONCE'").Scan(&id)
	owner.post("/app/events/replay", url.Values{"id": {fmt.Sprint(id)}})
	if !hasTestID(owner.get("/app/events").body, "flash-error") {
		t.Fatal("replaying a processed event gave no explanation")
	}
	notes, _ := shop.PaymentNotifications(context.Background(), 0, 10)
	if len(notes) != 1 {
		t.Fatalf("%d notifications", len(notes))
	}
}
