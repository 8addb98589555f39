package web_test

import (
	"encoding/json"
	"net/http"
	"strings"
	"testing"

	"github.com/chatshop/chatshop/demo"
	"github.com/chatshop/chatshop/messenger"
	"github.com/chatshop/chatshop/models"
)

// say sends what a shopper writes or taps through the sandbox and waits for the Page's answer,
// which it returns (nil when the bot, rightly, stays silent).
func (ts *testServer) say(t *testing.T, psid, input string, wantAnswer bool) *messenger.Message {
	t.Helper()
	before := len(ts.thread(t, psid))
	var sent struct{ MID string }
	if code := ts.sandboxJSON(t, http.MethodPost, "/sandbox/messenger/api/send", `{"page_id":"`+demo.PageID+`","psid":"`+psid+`",`+input+`}`, &sent); code != 200 {
		t.Fatalf("send %s: %d", input, code)
	}
	ts.waitProcessed(t, "messenger", "mid:"+sent.MID)
	if !wantAnswer {
		var queued int
		ts.store.ReaderDB().QueryRow("SELECT count(*) FROM outbound_messages WHERE psid = $1 AND status = 'queued'", psid).Scan(&queued)
		if n := len(ts.thread(t, psid)); n != before+1 || queued != 0 {
			t.Fatalf("the bot answered %s", input)
		}
		return nil
	}
	var th []threadMessage
	waitUntil(t, "the bot's answer to "+input, func() bool {
		th = ts.thread(t, psid)
		return len(th) >= before+2 && th[len(th)-1].From == "page"
	})
	var m messenger.Message
	if err := json.Unmarshal(th[len(th)-1].Message, &m); err != nil {
		t.Fatal(err)
	}
	return &m
}

func quickReply(m *messenger.Message, title string) string {
	for _, q := range m.QuickReplies {
		if q.Title == title {
			return q.Payload
		}
	}
	return ""
}

// A shopper chats with the demo shop's Page: greeting, carousel, a product's options one at a
// time, and what the bot does not understand handed to the shop's inbox once.
func TestBotBrowsesAndHandsOver(t *testing.T) {
	ts := newTestServer(t)
	psid := ts.newShopper(t, "Jordan Rivera")
	said, answered := 0, 0
	say := func(input string, wantAnswer bool) *messenger.Message {
		t.Helper()
		said++
		if wantAnswer {
			answered++
		}
		return ts.say(t, psid, input, wantAnswer)
	}

	hello := say(`"text":"Hi!"`, true)
	if !strings.HasPrefix(hello.Text, "Hi! Welcome to Lakeside Supply Co. Browse") || quickReply(hello, "Browse products") != "BROWSE" || quickReply(hello, "Talk to us") != "HELP" {
		t.Fatalf("first contact: %+v", hello)
	}
	carousel := say(`"quick_reply":{"title":"Browse products","payload":"BROWSE"}`, true)
	if carousel.Attachment == nil || carousel.Attachment.Payload.TemplateType != "generic" {
		t.Fatalf("browse: %+v", carousel)
	}
	cards := carousel.Attachment.Payload.Elements
	if len(cards) != 6 || quickReply(carousel, "More products") != "" {
		t.Fatalf("%d cards for the demo's 6 offered products, more: %q", len(cards), quickReply(carousel, "More products"))
	}
	var socks *messenger.Element
	for i, c := range cards {
		if !strings.HasPrefix(c.ImageURL, ts.cfg.BaseURL+"/images/") || len(c.Buttons) != 1 || !strings.HasPrefix(c.Buttons[0].Payload, "PRODUCT:") {
			t.Fatalf("card %+v", c)
		}
		if strings.Contains(c.Title, "Socks") {
			socks = &cards[i]
		}
	}
	if socks == nil {
		t.Fatal("no socks in the carousel")
	}
	if res, err := http.Get(socks.ImageURL); err != nil || res.StatusCode != 200 {
		t.Fatalf("the card's image cannot be fetched: %v %v", res, err)
	}

	// Details, then one option after the other until a variant is chosen.
	m := say(`"postback":{"title":"Details","payload":"`+socks.Buttons[0].Payload+`"}`, true)
	for steps := 0; len(m.QuickReplies) > 0 && strings.HasPrefix(m.QuickReplies[0].Payload, "PICK:"); steps++ {
		if !strings.Contains(m.Text, "Which ") || steps > 3 {
			t.Fatalf("option step: %+v", m)
		}
		q := m.QuickReplies[0]
		m = say(`"quick_reply":{"title":"`+q.Title+`","payload":"`+q.Payload+`"}`, true)
	}
	if m.Attachment == nil || !strings.Contains(m.Attachment.Payload.Text, "Socks") || !strings.HasPrefix(m.Attachment.Payload.Buttons[0].Payload, "BUY:") {
		t.Fatalf("the chosen variant with its Buy button: %+v", m)
	}

	// A stale button, a sticker, then a question: only the question goes to the inbox.
	if m := say(`"postback":{"title":"Old","payload":"PRODUCT:999999"}`, true); !strings.Contains(m.Text, "not available") {
		t.Fatalf("a product that is gone: %+v", m)
	}
	if m := say(`"sticker":true`, true); !strings.Contains(m.Text, "👍") {
		t.Fatalf("sticker: %+v", m)
	}
	var sh models.Shopper
	ts.store.ReaderDB().QueryRow("SELECT needs_human, unread FROM shoppers WHERE psid = $1", psid).Scan(&sh.NeedsHuman, &sh.Unread)
	if sh.NeedsHuman {
		t.Fatal("browsing put the conversation in the inbox")
	}
	if m := say(`"text":"Do you ship to Portland?"`, true); !strings.Contains(m.Text, "someone will answer you here soon") {
		t.Fatalf("handover: %+v", m)
	}
	say(`"attachment":{"type":"image","url":"https://example.com/photo.jpg"}`, false)
	say(`"text":"Anyone there?"`, false)
	ts.store.ReaderDB().QueryRow("SELECT needs_human, unread FROM shoppers WHERE psid = $1", psid).Scan(&sh.NeedsHuman, &sh.Unread)
	if !sh.NeedsHuman || sh.Unread != 3 {
		t.Fatalf("inbox: needs a human %v, %d unread, want 3", sh.NeedsHuman, sh.Unread)
	}

	// The conversation is kept both ways, with the shopper's name from the User Profile API.
	var in, out int
	ts.store.ReaderDB().QueryRow("SELECT count(*) FILTER (WHERE direction = 'in'), count(*) FILTER (WHERE direction = 'out') FROM chat_messages").Scan(&in, &out)
	if in != said || out != answered {
		t.Fatalf("conversation: %d in, %d out; want %d and %d", in, out, said, answered)
	}
	waitUntil(t, "the shopper's profile", func() bool {
		var name, country string
		ts.store.ReaderDB().QueryRow("SELECT name, country FROM shoppers WHERE psid = $1", psid).Scan(&name, &country)
		return name == "Jordan Rivera" && country == "US"
	})
}
