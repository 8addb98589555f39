package e2e

import (
	"strings"
	"testing"
	"time"

	"github.com/go-rod/rod"
)

// openAsOwner signs the demo owner in, in a browser session of their own, and opens path there;
// the page is marked, so that reloaded tells whether it was replaced since.
func openAsOwner(t *testing.T, b *rod.Browser, baseURL, path string) *rod.Page {
	t.Helper()
	p := b.MustIncognito().MustPage("")
	signIn(t, p, baseURL, "demo@chatshop.test", "demo-password")
	p.MustNavigate(baseURL + path).MustWaitLoad()
	p.MustEval(`() => { window.openedOnce = true }`)
	return p
}

// reloaded reports whether the page opened by openAsOwner was replaced by another load.
func reloaded(p *rod.Page) bool { return !p.MustEval(`() => window.openedOnce === true`).Bool() }

// A shopper asks the Page something the bot cannot answer; the conversation appears on the
// owner's open inbox without a reload; the owner opens it, types a reply, and the reply shows in
// the shopper's Messenger. Screenshots at a laptop's and a phone's width.
func TestInboxReplyReachesTheSandboxChat(t *testing.T) {
	srv := startServer(t, "")
	b := newBrowser(t).CancelTimeout().Timeout(3 * time.Minute)
	owner := openAsOwner(t, b, srv.URL, "/app/inbox")
	owner.MustElement(`[data-testid="empty-state"]`)

	chat := b.MustPage("")
	startChat(t, chat, srv.URL, "Maya Chen")
	chat.MustElement(`[data-testid="chat-text"]`).MustInput("Do you ship to Vancouver? I need it by Friday")
	clickAndWait(chat, "chat-send")
	waitThread(t, chat, "someone will answer you here soon")

	if !appears(owner, `[data-testid="conversation"]`, 15*time.Second) {
		t.Fatal("the conversation did not appear on the open inbox")
	}
	if reloaded(owner) {
		t.Fatal("the inbox reloaded to show the conversation")
	}
	if got := owner.MustElement(`[data-testid="badge-inbox"]`).MustText(); got != "1" {
		t.Errorf("the inbox badge shows %q", got)
	}
	screenshot(t, owner, "inbox")
	clickAndWait(owner, "conversation")
	if got := owner.MustElement(`[data-testid="thread-messages"]`).MustText(); !strings.Contains(got, "Do you ship to Vancouver?") {
		t.Fatalf("the thread shows %q", got)
	}
	if got := owner.MustElement(`[data-testid="reply-window"]`).MustText(); !strings.Contains(got, "left to reply") {
		t.Errorf("the reply window says %q", got)
	}
	owner.MustElement(`[data-testid="reply-text"]`).MustInput("Hi Maya! Yes, Vancouver takes 3 days.")
	clickAndWait(owner, "reply-send")
	if !appears(owner, `[data-testid="message-sent"]`, 15*time.Second) {
		t.Fatal("the thread never said the reply was sent")
	}
	screenshot(t, owner, "inbox-thread")
	owner.MustSetViewport(390, 844, 2, true)
	screenshot(t, owner, "inbox-thread-phone")

	waitThread(t, chat, "Hi Maya! Yes, Vancouver takes 3 days.")
	screenshot(t, chat, "chat-inbox-reply")
}
