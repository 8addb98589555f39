package web_test

import (
	"context"
	"errors"
	"net/http"
	"net/url"
	"slices"
	"strings"
	"testing"

	"github.com/chatshop/chatshop/demo"
	"github.com/chatshop/chatshop/messenger"
	"github.com/chatshop/chatshop/sandbox"
)

// messengerEvents counts the Messenger webhook events of a type whose payload mentions needle.
func (ts *testServer) messengerEvents(t *testing.T, eventType, needle string) int {
	return len(ts.mentioning(t, needle, "SELECT event_key, payload FROM webhook_events WHERE provider = 'messenger' AND event_type = ?", eventType))
}

func (ts *testServer) graph() *messenger.Client {
	return messenger.NewClient(ts.cfg.GraphAPIBase, ts.cfg.MetaAppSecret)
}

// Account linking as Messenger runs it: the Log In button opens the business's URL with a
// five-minute account_linking_token and a redirect_uri; /me?fields=recipient names the shopper;
// coming back with an authorization_code sends the account_linking webhook once; coming back
// without one links nothing; the Log Out button sends "unlinked".
func TestSandboxAccountLinking(t *testing.T) {
	ctx := context.Background()
	ts := newTestServer(t)
	psid := ts.newShopper(t, "Jordan")
	ts.sandboxJSON(t, http.MethodPost, "/sandbox/messenger/api/send", `{"page_id":"`+demo.PageID+`","psid":"`+psid+`","text":"pay"}`, nil)
	token := sandbox.PageToken(demo.PageID)
	button := `{"attachment":{"type":"template","payload":{"template_type":"button","text":"Link PayPal to pay in one tap",
		"buttons":[{"type":"account_link","url":"https://shop.example/link?shop=7"},{"type":"account_unlink"}]}}}`
	if _, err := ts.graph().Send(ctx, token, messenger.SendRequest{Recipient: messenger.Recipient{ID: psid},
		MessagingType: messenger.MessagingResponse, Message: []byte(button)}); err != nil {
		t.Fatal(err)
	}

	b := ts.browser(t)
	chat := b.get("/sandbox/messenger?" + url.Values{"page_id": {demo.PageID}, "psid": {psid}}.Encode())
	if !hasTestID(chat.body, "chat-link-account_link") || !strings.Contains(chat.body, "Unlink your PayPal account") {
		t.Fatalf("the chat does not show the Log In and Log Out buttons:\n%.800s", chat.body)
	}
	start := func() (alt, redirect string) {
		res := b.get("/sandbox/messenger/link?" + url.Values{"page_id": {demo.PageID}, "psid": {psid}, "url": {"https://shop.example/link?shop=7"}}.Encode())
		to, _ := url.Parse(res.Header.Get("Location"))
		if res.StatusCode != http.StatusSeeOther || to.Host != "shop.example" || to.Query().Get("shop") != "7" {
			t.Fatalf("Log In button: %d to %q", res.StatusCode, res.Header.Get("Location"))
		}
		return to.Query().Get("account_linking_token"), to.Query().Get("redirect_uri")
	}
	alt, redirect := start()
	if got, err := ts.graph().AccountLinkingRecipient(ctx, token, alt); err != nil || got != psid {
		t.Fatalf("/me?fields=recipient = %q, %v; want %s", got, err, psid)
	}
	var me *messenger.Error
	if _, err := ts.graph().AccountLinkingRecipient(ctx, "EAAGwrong", alt); !errors.As(err, &me) || me.Code != messenger.CodeInvalidToken {
		t.Fatalf("another Page's token read the linking token: %v", err)
	}

	back, _ := url.Parse(redirect)
	done := b.get(back.RequestURI() + "&authorization_code=link-code-42")
	if done.StatusCode != 200 || !strings.Contains(done.body, "Your account is linked") {
		t.Fatalf("redirect_uri with a code: %d\n%.400s", done.StatusCode, done.body)
	}
	waitUntil(t, "the account_linking webhook", func() bool { return ts.messengerEvents(t, "account_linking", "link-code-42") == 1 })
	if again := b.get(back.RequestURI() + "&authorization_code=link-code-42"); !strings.Contains(again.body, "already linked") {
		t.Fatalf("a second visit: %.300s", again.body)
	}

	_, redirect = start()
	back, _ = url.Parse(redirect)
	if res := b.get(back.RequestURI()); !strings.Contains(res.body, "Linking was cancelled") {
		t.Fatalf("redirect_uri without a code: %.300s", res.body)
	}

	res := b.post("/sandbox/messenger/tap", url.Values{"page_id": {demo.PageID}, "psid": {psid}, "kind": {"account_unlink"}})
	if res.StatusCode != http.StatusSeeOther {
		t.Fatalf("Log Out tap: %d", res.StatusCode)
	}
	waitUntil(t, "the unlinked webhook", func() bool { return ts.messengerEvents(t, "account_linking", `"unlinked"`) == 1 })
	if n := ts.messengerEvents(t, "account_linking", `"linked"`); n != 1 {
		t.Fatalf("%d linked events, want 1 (the cancelled attempt and the second visit send none)", n)
	}
	if err := ts.graph().UnlinkAccount(ctx, token, psid); err != nil {
		t.Fatal(err)
	}
}

// A Page delivers only the fields the app subscribed to: once subscribed to echoes, deliveries and
// reads, a message the app sends comes back as an echo and a delivery, and the shopper opening the
// chat sends one read.
func TestSandboxPageSubscriptionEchoesDeliveriesReads(t *testing.T) {
	ctx := context.Background()
	ts := newTestServer(t)
	token := sandbox.PageToken(demo.PageID)
	fields, err := ts.graph().SubscribedFields(ctx, demo.PageID, token)
	if err != nil || slices.Contains(fields, "message_echoes") {
		t.Fatalf("before subscribing: %v, %v", fields, err)
	}
	var me *messenger.Error
	if err := ts.graph().SubscribeApp(ctx, demo.PageID, token, []string{"messages", "feed"}); !errors.As(err, &me) || me.Code != 100 {
		t.Fatalf("subscribing to an unknown field: %v", err)
	}
	if err := ts.graph().SubscribeApp(ctx, demo.PageID, "EAAGwrong", messenger.PageFields); !errors.As(err, &me) || me.Code != messenger.CodeInvalidToken {
		t.Fatalf("subscribing with a wrong token: %v", err)
	}
	if err := ts.graph().SubscribeApp(ctx, demo.PageID, token, messenger.PageFields); err != nil {
		t.Fatal(err)
	}
	if fields, _ := ts.graph().SubscribedFields(ctx, demo.PageID, token); !slices.Equal(fields, messenger.PageFields) {
		t.Fatalf("subscribed fields %v", fields)
	}

	psid := ts.newShopper(t, "Riley")
	ts.sandboxJSON(t, http.MethodPost, "/sandbox/messenger/api/send", `{"page_id":"`+demo.PageID+`","psid":"`+psid+`","text":"hi"}`, nil)
	sent, err := ts.graph().Send(ctx, token, messenger.SendRequest{Recipient: messenger.Recipient{ID: psid},
		MessagingType: messenger.MessagingResponse, Message: []byte(`{"text":"Welcome, Riley","metadata":"greeting"}`)})
	if err != nil {
		t.Fatal(err)
	}
	waitUntil(t, "the echo and the delivery", func() bool {
		return ts.messengerEvents(t, "echo", sent.MessageID) == 1 && ts.messengerEvents(t, "delivery", sent.MessageID) == 1
	})
	if ts.messengerEvents(t, "echo", `"metadata":"greeting"`) != 1 {
		t.Fatal("the echo lost the message's metadata")
	}
	// The bot answers the shopper's "hi" in its own time; a read counts what the Page sent
	// before it, so the answer must be in before the chat is opened.
	waitUntil(t, "the bot's answer", func() bool {
		return ts.count(t, "SELECT count(*) FROM outbound_messages WHERE psid = ? AND status = 'sent'", psid) > 0 &&
			ts.count(t, "SELECT count(*) FROM outbound_messages WHERE psid = ? AND status = 'queued'", psid) == 0
	})
	b := ts.browser(t)
	chat := "/sandbox/messenger?" + url.Values{"page_id": {demo.PageID}, "psid": {psid}}.Encode()
	b.get(chat)
	waitUntil(t, "the read", func() bool { return ts.messengerEvents(t, "read", psid) == 1 })
	b.get(chat)
	if n := ts.messengerEvents(t, "read", psid); n != 1 {
		t.Fatalf("%d reads after opening the chat twice with nothing new, want 1", n)
	}
}
