package e2e

import (
	"strings"
	"testing"
	"time"
)

// A newcomer plays a shopper in the sandbox chat: creates one, writes to the demo Page, sees the
// message in the thread, and the message reaches chatshop as a signed webhook (the admin's log).
func TestShopperChatsInTheSandbox(t *testing.T) {
	srv := startServer(t, "")
	b := newBrowser(t)
	p := b.MustPage(srv.URL + "/sandbox/messenger").MustWaitLoad()
	if got := p.MustElement(`[data-testid="chat-page"]`).MustText(); !strings.Contains(got, "Lakeside Supply Co.") {
		t.Fatalf("page picker shows %q", got)
	}
	p.MustElement(`[data-testid="shopper-name"]`).MustInput("Jordan Rivera")
	clickAndWait(p, "shopper-create")
	if got := p.MustElement(`[data-testid="chat-shopper"]`).MustText(); got != "Jordan Rivera" {
		t.Fatalf("conversation with %q", got)
	}
	p.MustElement(`[data-testid="chat-text"]`).MustInput("Hi! Do you ship to Portland?")
	clickAndWait(p, "chat-send")
	if got := p.MustElement(`[data-testid="chat-thread"]`).MustText(); !strings.Contains(got, "Do you ship to Portland?") {
		t.Fatalf("thread shows %q", got)
	}
	screenshot(t, p, "sandbox-chat")

	// The message reached chatshop as a verified webhook event.
	signIn(t, p, srv.URL, "admin@chatshop.test", "admin-password")
	deadline := time.Now().Add(10 * time.Second)
	for {
		p.MustNavigate(srv.URL + "/admin/events?provider=messenger").MustWaitLoad()
		if has, _, _ := p.Has(`[data-testid="event-row"]`); has {
			break
		}
		if time.Now().After(deadline) {
			t.Fatalf("the shopper's message never reached the event log; page: %s\nserver: %s", p.MustElement("main").MustText(), srv.output.String())
		}
		time.Sleep(200 * time.Millisecond)
	}
	if got := p.MustElement(`[data-testid="events-table"]`).MustText(); !strings.Contains(got, "message") {
		t.Fatalf("event log shows %q", got)
	}
}
