package web_test

import (
	"encoding/json"
	"fmt"
	"net/http"
	"net/url"
	"strings"
	"testing"
	"time"

	"github.com/chatshop/chatshop/demo"
	"github.com/chatshop/chatshop/messenger"
	"github.com/chatshop/chatshop/models"
)

// handedOver makes a sandbox shopper whose question the bot passes to the inbox, and returns
// their PSID and their conversation's address in the inbox.
func (ts *testServer) handedOver(t *testing.T, name, question string) (psid, path string) {
	t.Helper()
	psid = ts.newShopper(t, name)
	if m := ts.say(t, psid, `"text":"`+question+`"`, true); !strings.Contains(m.Text, "someone will answer") {
		t.Fatalf("the bot answered %q to %q", m.Text, question)
	}
	// The bot answers without waiting for the shopper's name: it comes from the User Profile API
	// in a job of its own, and the inbox lists the conversation under it.
	waitUntil(t, name+"'s profile read", func() bool {
		return ts.count(t, "SELECT count(*) FROM shoppers WHERE psid = ? AND name = ?", psid, name) == 1
	})
	var id int64
	ts.store.ReaderDB().QueryRow("SELECT id FROM shoppers WHERE psid = $1", psid).Scan(&id)
	return psid, fmt.Sprintf("/app/inbox/%d", id)
}

// lastPageMessage is the last message the Page sent the shopper, as the shopper's Messenger has it.
func (ts *testServer) lastPageMessage(t *testing.T, psid string) messenger.Message {
	t.Helper()
	th := ts.thread(t, psid)
	var m messenger.Message
	for i := len(th) - 1; i >= 0; i-- {
		if th[i].From == "page" {
			if err := json.Unmarshal(th[i].Message, &m); err != nil {
				t.Fatal(err)
			}
			break
		}
	}
	return m
}

// shopperWroteAgo moves the shopper's last message back in time, in chatshop and in Messenger.
func (ts *testServer) shopperWroteAgo(t *testing.T, psid string, ago time.Duration) {
	t.Helper()
	at := time.Now().UTC().Add(-ago)
	for _, q := range []string{"UPDATE shoppers SET last_inbound_at = ? WHERE psid = ?",
		"UPDATE sandbox_messages SET created_at = ? WHERE psid = ? AND sender = 'shopper'"} {
		if _, err := ts.store.WriterDB().Exec(models.Numbered(q), at, psid); err != nil {
			t.Fatal(err)
		}
	}
}

func reply(text, key string) url.Values { return url.Values{"text": {text}, "key": {key}} }

// A question the bot cannot answer lands in the inbox, unread; the owner reads it and answers in
// Messenger's 24-hour window, then with the HUMAN_AGENT tag, and after 7 days cannot (and is told
// why, keeping what was typed). A double submit sends once.
func TestInboxAnswersInMessengersWindow(t *testing.T) {
	ts := newTestServer(t)
	owner := ts.browser(t)
	owner.signIn("demo@chatshop.test", "demo-password")
	psid, path := ts.handedOver(t, "Maya Chen", "Do you ship to Vancouver?")

	list := owner.get("/app/inbox")
	if !strings.Contains(list.body, "Maya Chen") || !hasTestID(list.body, "conversation-unread") {
		t.Fatalf("the inbox does not list Maya's unread conversation:\n%s", list.body)
	}
	if !strings.Contains(list.body, `data-testid="badge-inbox">1<`) {
		t.Errorf("the navigation's inbox badge does not count Maya's conversation")
	}
	page := owner.get(path)
	if !strings.Contains(page.body, "Do you ship to Vancouver?") || !strings.Contains(page.body, "left to reply in Messenger&#39;s 24-hour window") {
		t.Fatalf("the thread lacks the question or the window:\n%s", page.body)
	}
	if n := ts.count(t, "SELECT unread FROM shoppers WHERE psid = ?", psid); n != 0 {
		t.Errorf("read conversation still has %d unread", n)
	}

	for range 2 { // the same form sent twice
		if res := owner.post(path+"/reply?view=open", reply("Yes! Vancouver takes 3 days.", "k1")); res.StatusCode != http.StatusSeeOther {
			t.Fatalf("reply: %d", res.StatusCode)
		}
	}
	waitUntil(t, "the reply in Maya's Messenger", func() bool { return ts.lastPageMessage(t, psid).Text == "Yes! Vancouver takes 3 days." })
	if n := ts.count(t, "SELECT count(*) FROM outbound_messages WHERE psid = ? AND messaging_type = 'RESPONSE' AND tag = '' AND message LIKE '%Vancouver takes%'", psid); n != 1 {
		t.Errorf("%d replies sent as RESPONSE, want 1", n)
	}
	if n := ts.count(t, "SELECT count(*) FROM shoppers s JOIN users u ON u.id = s.assigned_user_id WHERE s.psid = ? AND u.email = ?", psid, demo.OwnerEmail); n != 1 {
		t.Errorf("answering did not assign the conversation to the owner")
	}
	waitUntil(t, "the thread to say the reply was sent", func() bool {
		return hasTestID(owner.get(path).body, "message-sent")
	})

	ts.shopperWroteAgo(t, psid, 30*time.Hour)
	if body := owner.get(path).body; !strings.Contains(body, "HUMAN_AGENT") || !strings.Contains(body, "Send as a person") {
		t.Fatalf("after 30 hours the reply box does not say it answers as a person:\n%s", body)
	}
	owner.post(path+"/reply?view=open", reply("Following up: it shipped today.", "k2"))
	waitUntil(t, "the tagged reply in Maya's Messenger", func() bool { return ts.lastPageMessage(t, psid).Text == "Following up: it shipped today." })
	waitUntil(t, "the tagged reply recorded as sent", func() bool {
		return ts.count(t, "SELECT count(*) FROM outbound_messages WHERE psid = ? AND messaging_type = 'MESSAGE_TAG' AND tag = 'HUMAN_AGENT' AND status = 'sent'", psid) == 1
	})

	ts.shopperWroteAgo(t, psid, 8*24*time.Hour)
	if body := owner.get(path).body; !hasTestID(body, "reply-closed") || hasTestID(body, "reply-form") {
		t.Fatalf("after 8 days the reply box is still open:\n%s", body)
	}
	sent := ts.count(t, "SELECT count(*) FROM outbound_messages WHERE psid = ?", psid)
	res := owner.post(path+"/reply?view=open", reply("Still there?", "k3"))
	if res.StatusCode != http.StatusUnprocessableEntity || !strings.Contains(res.body, "no longer lets the Page message them") {
		t.Fatalf("a reply after 7 days: %d\n%s", res.StatusCode, res.body)
	}
	if n := ts.count(t, "SELECT count(*) FROM outbound_messages WHERE psid = ?", psid); n != sent {
		t.Errorf("a refused reply queued a message")
	}
}

// A reply Messenger cannot take or the form refuses says why in plain words and loses nothing.
func TestInboxRefusalsInPlainWords(t *testing.T) {
	ts := newTestServer(t)
	owner := ts.browser(t)
	owner.signIn("demo@chatshop.test", "demo-password")
	psid, path := ts.handedOver(t, "Lee Park", "can I talk to someone")

	if res := owner.post(path+"/reply", reply("   ", "e1")); res.StatusCode != http.StatusUnprocessableEntity || !strings.Contains(res.body, "Write a message first") {
		t.Errorf("an empty reply: %d", res.StatusCode)
	}
	long := strings.Repeat("a", models.MaxMessageText+1)
	res := owner.post(path+"/reply", reply(long, "e2"))
	if res.StatusCode != http.StatusUnprocessableEntity || !strings.Contains(res.body, "at most 2000 characters") || !strings.Contains(res.body, long) {
		t.Errorf("a reply over Messenger's limit: %d, kept the text: %v", res.StatusCode, strings.Contains(res.body, long))
	}

	// The shopper blocked the Page: Messenger refuses, and the thread says so.
	if status := ts.sandboxJSON(t, http.MethodPost, "/sandbox/messenger/api/shoppers/"+psid+"/block", `{"blocked":true}`, nil); status != 200 {
		t.Fatalf("block: %d", status)
	}
	owner.post(path+"/reply", reply("Are you there?", "e3"))
	waitUntil(t, "the failed reply in the thread", func() bool {
		body := owner.get(path).body
		return hasTestID(body, "message-failed") && strings.Contains(body, "isn&#39;t available on Messenger right now")
	})
}

// Conversations are assigned to members of the shop only, filtered by view, resolved back to the
// bot; a product goes out as its card; saved replies are kept per shop.
func TestInboxAssignResolveAndCards(t *testing.T) {
	ts := newTestServer(t)
	owner := ts.browser(t)
	owner.signIn("demo@chatshop.test", "demo-password")
	staff := ts.join(t, invite(t, owner, "sam@lakeside.example", "staff"), "Sam Staff")
	other := ts.signUp(t, "Harbor Goods", "hana@harbor.example")
	psid, path := ts.handedOver(t, "Ana Lima", "I need help with sizes")
	var samID, hanaID int64
	ts.store.ReaderDB().QueryRow("SELECT id FROM users WHERE email = 'sam@lakeside.example'").Scan(&samID)
	ts.store.ReaderDB().QueryRow("SELECT id FROM users WHERE email = 'hana@harbor.example'").Scan(&hanaID)

	if !strings.Contains(staff.get("/app/inbox?view=unassigned").body, "Ana Lima") {
		t.Errorf("the unassigned view lacks Ana's conversation")
	}
	if res := owner.post(path+"/assign", url.Values{"user_id": {fmt.Sprint(hanaID)}}); res.StatusCode != http.StatusNotFound {
		t.Errorf("assigning to another shop's user: %d, want 404", res.StatusCode)
	}
	if res := owner.post(path+"/assign", url.Values{"user_id": {fmt.Sprint(samID)}}); res.StatusCode != http.StatusSeeOther {
		t.Fatalf("assign to Sam: %d", res.StatusCode)
	}
	if !strings.Contains(staff.page("/app/inbox?view=mine"), "Ana Lima") || strings.Contains(staff.page("/app/inbox?view=unassigned"), "Ana Lima") {
		t.Errorf("Sam's views do not show Ana's conversation as his")
	}
	if strings.Contains(other.page("/app/inbox?view=all"), "Ana Lima") {
		t.Errorf("another shop's inbox shows Ana")
	}

	// Sam sends a product card from the catalog search.
	picks := staff.get(path + "/products?q=candle")
	if !strings.Contains(picks.body, "Cedar &amp; Sage Soy Candle") {
		t.Fatalf("the product search lacks the candle:\n%s", picks.body)
	}
	var candle int64
	ts.store.ReaderDB().QueryRow("SELECT id FROM products WHERE title = 'Cedar & Sage Soy Candle'").Scan(&candle)
	if res := staff.post(path+"/product", url.Values{"product_id": {fmt.Sprint(candle)}, "key": {"p1"}}); res.StatusCode != http.StatusSeeOther {
		t.Fatalf("send the card: %d", res.StatusCode)
	}
	waitUntil(t, "the card in Ana's Messenger", func() bool {
		m := ts.lastPageMessage(t, psid)
		return m.Attachment != nil && len(m.Attachment.Payload.Elements) == 1 && m.Attachment.Payload.Elements[0].Title == "Cedar & Sage Soy Candle"
	})
	if res := staff.post(path+"/product", url.Values{"product_id": {"999999"}, "key": {"p2"}}); res.StatusCode != http.StatusUnprocessableEntity {
		t.Errorf("an unknown product: %d", res.StatusCode)
	}

	if res := staff.post(path+"/close", nil); res.StatusCode != http.StatusSeeOther {
		t.Fatalf("resolve: %d", res.StatusCode)
	}
	if strings.Contains(owner.page("/app/inbox?view=open"), "Ana Lima") || !strings.Contains(owner.page("/app/inbox?view=all"), "Ana Lima") {
		t.Errorf("a resolved conversation is still open, or gone from All")
	}

	// Saved replies: a bad one keeps what was typed; a good one is offered in the reply box.
	res := staff.post("/app/inbox/replies", url.Values{"title": {""}, "body": {"We ship worldwide."}})
	if res.StatusCode != http.StatusUnprocessableEntity || !strings.Contains(res.body, "We ship worldwide.") {
		t.Errorf("a saved reply without a title: %d", res.StatusCode)
	}
	staff.post("/app/inbox/replies", url.Values{"title": {"Shipping"}, "body": {"We ship worldwide."}})
	if body := staff.get(path).body; !hasTestID(body, "saved-reply") || !strings.Contains(body, `value="We ship worldwide."`) {
		t.Errorf("the reply box does not offer the saved reply")
	}
	if strings.Contains(other.page("/app/inbox/replies"), "We ship worldwide.") {
		t.Errorf("another shop sees the saved reply")
	}
}
