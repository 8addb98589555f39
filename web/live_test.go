package web_test

import (
	"bufio"
	"context"
	"fmt"
	"net/http"
	"strings"
	"testing"
	"time"
)

// stream is a dashboard page's live connection: the events it heard, by kind.
type stream struct {
	events chan string
	cancel context.CancelFunc
}

// openStream connects to /app/live as the browser's page would, after change number since.
func (b *browser) openStream(t *testing.T, since string) *stream {
	t.Helper()
	ctx, cancel := context.WithCancel(context.Background())
	req, _ := http.NewRequestWithContext(ctx, http.MethodGet, b.base+"/app/live?since="+since, nil)
	res, err := b.client.Do(req)
	if err != nil || res.StatusCode != 200 || res.Header.Get("Content-Type") != "text/event-stream" {
		cancel()
		t.Fatalf("live stream: %v %v", err, res)
	}
	s := &stream{events: make(chan string, 64), cancel: cancel}
	go func() {
		defer res.Body.Close()
		sc := bufio.NewScanner(res.Body)
		for sc.Scan() {
			if kind, ok := strings.CutPrefix(sc.Text(), "event: "); ok {
				s.events <- kind
			}
		}
	}()
	t.Cleanup(cancel)
	return s
}

// heard waits up to d for an event of kind.
func (s *stream) heard(kind string, d time.Duration) bool {
	deadline := time.After(d)
	for {
		select {
		case k := <-s.events:
			if k == kind {
				return true
			}
		case <-deadline:
			return false
		}
	}
}

// A shop's open pages hear of its own changes only: a shopper's message reaches shop A's stream,
// not shop B's; a page that subscribes after being read hears what changed in between.
func TestLiveUpdatesStayInTheirShop(t *testing.T) {
	ts := newTestServer(t)
	owner := ts.browser(t)
	owner.signIn("demo@chatshop.test", "demo-password")
	other := ts.signUp(t, "Harbor Goods", "hana@harbor.example")
	page := owner.get("/app/inbox") // read before the change, as a page is
	since := strings.SplitN(strings.SplitN(page.body, "/app/live?since=", 2)[1], `"`, 2)[0]

	a, b := owner.openStream(t, since), other.openStream(t, "0")
	ts.handedOver(t, "Maya Chen", "is anyone there?")
	if !a.heard("chat", 5*time.Second) {
		t.Fatal("shop A's page did not hear of its shopper's message")
	}
	if b.heard("chat", 300*time.Millisecond) {
		t.Error("shop B's page heard of shop A's conversation")
	}
	late := owner.openStream(t, since)
	if !late.heard("chat", time.Second) {
		t.Error("a page that connected after the change missed it")
	}
	if current := owner.openStream(t, fmt.Sprint(1<<40)); current.heard("chat", 300*time.Millisecond) {
		t.Error("a page read after every change was told of an old one")
	}
}

// A payment shows in the feed with its order, counts in the navigation's badge until the feed is
// opened, and the feed's filters choose by kind.
func TestNotificationFeedBadgeAndFilters(t *testing.T) {
	ts := newTestServer(t)
	owner := ts.browser(t)
	owner.signIn("demo@chatshop.test", "demo-password")
	live := owner.openStream(t, "0")
	psid := ts.newShopper(t, "Jordan Rivera")
	o := ts.buyAndPay(t, psid, ts.demoVariant(t, 5))
	if !live.heard("notification", 5*time.Second) {
		t.Fatal("the open page did not hear of the payment")
	}
	if body := owner.get("/app/orders").body; !strings.Contains(body, `data-testid="badge-notifications">1<`) {
		t.Errorf("the navigation does not count the new payment")
	}
	feed := owner.get("/app/notifications")
	if !strings.Contains(feed.body, fmt.Sprintf(`href="/app/orders/%d"`, o.ID)) || !strings.Contains(feed.body, "Jordan Rivera") ||
		!strings.Contains(feed.body, "Payment received") {
		t.Fatalf("the feed does not link the payment to its order:\n%s", feed.body)
	}
	if body := owner.get("/app/orders").body; strings.Contains(body, `data-testid="badge-notifications">1<`) {
		t.Errorf("the badge still counts a payment the owner has seen")
	}
	if body := owner.get("/app/notifications?kind=refunded").body; hasTestID(body, "notification-row") || !hasTestID(body, "empty-state") {
		t.Errorf("the refunds filter shows the capture")
	}
	if body := owner.get("/app/notifications?kind=captured").body; !hasTestID(body, "notification-row") {
		t.Errorf("the captures filter lacks the capture")
	}
}
