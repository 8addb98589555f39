package web_test

import (
	"context"
	"encoding/json"
	"errors"
	"io"
	"net/http"
	"net/url"
	"slices"
	"strings"
	"testing"
	"time"

	"github.com/chatshop/chatshop/demo"
	"github.com/chatshop/chatshop/messenger"
	"github.com/chatshop/chatshop/models"
	"github.com/chatshop/chatshop/sandbox"
)

func (ts *testServer) sandboxJSON(t *testing.T, method, path, body string, out any) int {
	t.Helper()
	return doJSON(t, method, ts.URL+path, body, "", out)
}

// doJSON sends a JSON request (with a bearer token, when given) and decodes the JSON answer into out.
func doJSON(t *testing.T, method, url, body, bearer string, out any) int {
	t.Helper()
	req, _ := http.NewRequest(method, url, strings.NewReader(body))
	req.Header.Set("Content-Type", "application/json")
	if bearer != "" {
		req.Header.Set("Authorization", "Bearer "+bearer)
	}
	res, err := http.DefaultClient.Do(req)
	if err != nil {
		t.Fatal(err)
	}
	defer res.Body.Close()
	if out != nil {
		json.NewDecoder(res.Body).Decode(out)
	}
	return res.StatusCode
}

func (ts *testServer) newShopper(t *testing.T, name string) string {
	t.Helper()
	var out struct{ PSID string }
	if status := ts.sandboxJSON(t, http.MethodPost, "/sandbox/messenger/api/shoppers", `{"page_id":"`+demo.PageID+`","name":"`+name+`","locale":"en_US"}`, &out); status != http.StatusCreated || len(out.PSID) != 16 {
		t.Fatalf("create shopper: %d %+v", status, out)
	}
	return out.PSID
}

type threadMessage struct {
	From    string          `json:"from"`
	MID     string          `json:"mid"`
	Message json.RawMessage `json:"message"`
	// MessagingType and Tag are what a Page message was sent with.
	MessagingType string `json:"messaging_type"`
	Tag           string `json:"tag"`
}

func (ts *testServer) thread(t *testing.T, psid string) []threadMessage {
	var out struct{ Messages []threadMessage }
	ts.sandboxJSON(t, http.MethodGet, "/sandbox/messenger/api/thread?page_id="+demo.PageID+"&psid="+psid, "", &out)
	return out.Messages
}

// A shopper's message, tap and quick reply reach the app as Meta delivers them: signed,
// ASCII-escaped, one messaging item per event.
func TestSandboxShopperMessagesReachTheApp(t *testing.T) {
	ts := newTestServer(t)
	if status := ts.sandboxJSON(t, http.MethodPost, "/sandbox/messenger/api/shoppers", `{"page_id":"404","name":"X"}`, nil); status != http.StatusNotFound {
		t.Fatalf("shopper of an unknown Page: %d", status)
	}
	psid := ts.newShopper(t, "Jordan Rivera")

	var sent struct{ MID string }
	if status := ts.sandboxJSON(t, http.MethodPost, "/sandbox/messenger/api/send", `{"page_id":"`+demo.PageID+`","psid":"`+psid+`","text":"Grüße 👋 do you ship to Portland?"}`, &sent); status != 200 || !strings.HasPrefix(sent.MID, "m_") {
		t.Fatalf("send: %d %+v", status, sent)
	}
	if s := ts.waitProcessed(t, "messenger", "mid:"+sent.MID); s != models.EventProcessed {
		t.Fatalf("event %s (connected Page: the bot answers it)", s)
	}
	var body []byte
	ts.store.ReaderDB().QueryRow("SELECT d.body FROM webhook_deliveries d JOIN webhook_events e ON e.delivery_id = d.id WHERE e.event_key = $1", "mid:"+sent.MID).Scan(&body)
	for _, want := range []string{`Gr\u00fc\u00dfe \ud83d\udc4b`, `"object":"page"`, `"recipient":{"id":"` + demo.PageID + `"}`} {
		if !strings.Contains(string(body), want) {
			t.Errorf("delivered body lacks %s: %s", want, body)
		}
	}

	var tap, reply struct{ MID string }
	ts.sandboxJSON(t, http.MethodPost, "/sandbox/messenger/api/send", `{"page_id":"`+demo.PageID+`","psid":"`+psid+`","postback":{"title":"Get Started","payload":"GET_STARTED"}}`, &tap)
	ts.sandboxJSON(t, http.MethodPost, "/sandbox/messenger/api/send", `{"page_id":"`+demo.PageID+`","psid":"`+psid+`","quick_reply":{"title":"Browse","payload":"BROWSE"}}`, &reply)
	ts.waitProcessed(t, "messenger", "mid:"+tap.MID)
	ts.waitProcessed(t, "messenger", "mid:"+reply.MID)
	var tapType string
	var replyPayload []byte
	ts.store.ReaderDB().QueryRow("SELECT event_type FROM webhook_events WHERE event_key = $1", "mid:"+tap.MID).Scan(&tapType)
	ts.store.ReaderDB().QueryRow("SELECT payload FROM webhook_events WHERE event_key = $1", "mid:"+reply.MID).Scan(&replyPayload)
	var quick struct {
		Message struct {
			QuickReply struct{ Payload string } `json:"quick_reply"`
		}
	}
	json.Unmarshal(replyPayload, &quick)
	if tapType != "postback" || quick.Message.QuickReply.Payload != "BROWSE" {
		t.Fatalf("postback event %q, quick reply payload %q", tapType, quick.Message.QuickReply.Payload)
	}
	fromShopper := 0
	for _, m := range ts.thread(t, psid) {
		if m.From == "shopper" {
			fromShopper++
		}
	}
	if fromShopper != 3 {
		t.Fatalf("the thread has %d of the shopper's messages, want 3", fromShopper)
	}
	if status := ts.sandboxJSON(t, http.MethodPost, "/sandbox/messenger/api/send", `{"page_id":"`+demo.PageID+`","psid":"1234567890123456","text":"hi"}`, nil); status != http.StatusNotFound {
		t.Fatalf("send as an unknown shopper: %d", status)
	}
}

// The worker's sends go through the Graph emulator into the thread, exactly as sent.
func TestOutboundMessagesReachTheSandboxThread(t *testing.T) {
	ts := newTestServer(t)
	psid := ts.newShopper(t, "Camille")
	ts.sandboxJSON(t, http.MethodPost, "/sandbox/messenger/api/send", `{"page_id":"`+demo.PageID+`","psid":"`+psid+`","text":"hello"}`, nil)
	owner, _ := ts.store.UserByEmail(context.Background(), demo.OwnerEmail)
	ms, _ := ts.store.MembershipsOf(context.Background(), owner.ID)
	reply := `{"text":"Hi Camille! Tap to browse.","quick_replies":[{"content_type":"text","title":"Browse","payload":"BROWSE"}]}`
	err := ts.store.Transaction(context.Background(), func(tx *models.Tx) error {
		_, err := ts.jobs.QueueMessage(context.Background(), tx, &models.OutboundMessage{ShopID: ms[0].ShopID, PageID: demo.PageID, PSID: psid,
			MessagingType: messenger.MessagingResponse, Message: reply, IdempotencyKey: "test:greeting"})
		return err
	})
	if err != nil {
		t.Fatal(err)
	}
	var m *models.OutboundMessage
	var id int64
	ts.store.ReaderDB().QueryRow("SELECT id FROM outbound_messages WHERE idempotency_key = 'test:greeting'").Scan(&id)
	waitUntil(t, "the message to be sent", func() bool {
		m, _ = ts.store.OutboundMessageByID(context.Background(), id)
		return m != nil && m.Status != "queued"
	})
	if m.Status != "sent" || m.MID == "" {
		t.Fatalf("message %s (%q)", m.Status, m.Error)
	}
	// The thread also holds the bot's answer to "hello"; this message is in it exactly as sent.
	th := ts.thread(t, psid)
	i := slices.IndexFunc(th, func(tm threadMessage) bool { return tm.MID == m.MID })
	if i < 0 || th[i].From != "page" || string(th[i].Message) != reply {
		t.Fatalf("thread %+v", th)
	}
}

func TestSendAPIErrors(t *testing.T) {
	ts := newTestServer(t)
	psid := ts.newShopper(t, "Oliver")
	silent := ts.newShopper(t, "Never Wrote")
	ts.sandboxJSON(t, http.MethodPost, "/sandbox/messenger/api/send", `{"page_id":"`+demo.PageID+`","psid":"`+psid+`","text":"hi"}`, nil)
	token := sandbox.PageToken(demo.PageID)
	send := func(tok, proof, body string) (int, map[string]any) {
		q := url.Values{"access_token": {tok}, "appsecret_proof": {proof}}
		req, _ := http.NewRequest(http.MethodPost, ts.cfg.GraphAPIBase+"/me/messages?"+q.Encode(), strings.NewReader(body))
		res, err := http.DefaultClient.Do(req)
		if err != nil {
			t.Fatal(err)
		}
		defer res.Body.Close()
		raw, _ := io.ReadAll(res.Body)
		var out map[string]any
		json.Unmarshal(raw, &out)
		if e, ok := out["error"].(map[string]any); ok {
			return res.StatusCode, e
		}
		return res.StatusCode, out
	}
	proof := messenger.AppSecretProof(ts.cfg.MetaAppSecret, token)
	msg := func(to, message string) string {
		return `{"recipient":{"id":"` + to + `"},"messaging_type":"RESPONSE","message":` + message + `}`
	}
	for _, tc := range []struct {
		name          string
		tok, proof    string
		body          string
		code, subcode float64
	}{
		{"bad appsecret_proof", token, "00", msg(psid, `{"text":"x"}`), 100, 0},
		{"bad token", "EAAGnot-a-token", messenger.AppSecretProof(ts.cfg.MetaAppSecret, "EAAGnot-a-token"), msg(psid, `{"text":"x"}`), 190, 0},
		{"unknown recipient", token, proof, msg("1111111111111111", `{"text":"x"}`), 100, 2018001},
		{"outside the window", token, proof, msg(silent, `{"text":"x"}`), 10, 2018278},
		{"text too long", token, proof, msg(psid, `{"text":"`+strings.Repeat("a", 2001)+`"}`), 100, 0},
		{"too many quick replies", token, proof, msg(psid, `{"text":"x","quick_replies":[`+strings.Repeat(`{"content_type":"text","title":"t","payload":"p"},`, 13)+`{"content_type":"text","title":"t","payload":"p"}]}`), 100, 0},
		{"carousel of 11", token, proof, msg(psid, `{"attachment":{"type":"template","payload":{"template_type":"generic","elements":[`+strings.Repeat(`{"title":"t"},`, 10)+`{"title":"t"}]}}}`), 100, 0},
		{"receipt without total", token, proof, msg(psid, `{"attachment":{"type":"template","payload":{"template_type":"receipt","recipient_name":"O","order_number":"1","currency":"USD","payment_method":"PayPal"}}}`), 100, 0},
	} {
		t.Run(tc.name, func(t *testing.T) {
			status, e := send(tc.tok, tc.proof, tc.body)
			if status != 400 || e["code"] != tc.code || (tc.subcode != 0 && e["error_subcode"] != tc.subcode) || e["fbtrace_id"] == nil {
				t.Fatalf("%d %v; want 400 code %v/%v", status, e, tc.code, tc.subcode)
			}
		})
	}
	status, out := send(token, proof, msg(psid, `{"attachment":{"type":"template","payload":{"template_type":"receipt","recipient_name":"Oliver","order_number":"1042","currency":"USD","payment_method":"PayPal","summary":{"total_cost":24.0}}}}`))
	if status != 200 || out["recipient_id"] != psid || !strings.HasPrefix(out["message_id"].(string), "m_") {
		t.Fatalf("receipt: %d %v", status, out)
	}
}

// waitUntil polls cond until it holds, failing the test after 10 seconds.
func waitUntil(t *testing.T, what string, cond func() bool) {
	t.Helper()
	deadline := time.Now().Add(10 * time.Second)
	for !cond() {
		if time.Now().After(deadline) {
			t.Fatalf("waited 10s for %s", what)
		}
		time.Sleep(10 * time.Millisecond)
	}
}

// The User Profile API answers with the shopper's name and locale; a shopper who blocked the Page
// makes the Send API answer 551, which the client sorts as permanent.
func TestSandboxUserProfileAndBlockedShopper(t *testing.T) {
	ctx := context.Background()
	ts := newTestServer(t)
	psid := ts.newShopper(t, "Camille Tremblay")
	ts.sandboxJSON(t, http.MethodPost, "/sandbox/messenger/api/send", `{"page_id":"`+demo.PageID+`","psid":"`+psid+`","text":"bonjour"}`, nil)
	client := messenger.NewClient(ts.cfg.GraphAPIBase, ts.cfg.MetaAppSecret)
	token := sandbox.PageToken(demo.PageID)
	p, err := client.UserProfile(ctx, token, psid)
	if err != nil || p.FirstName != "Camille" || p.LastName != "Tremblay" || p.ID != psid || p.ProfilePic == "" {
		t.Fatalf("profile %+v, %v", p, err)
	}
	if _, err := client.UserProfile(ctx, "EAAGnot-a-token", psid); !messenger.TokenInvalid(err) {
		t.Fatalf("profile with a bad token: %v", err)
	}
	if code := ts.sandboxJSON(t, http.MethodPost, "/sandbox/messenger/api/shoppers/"+psid+"/block", `{"blocked":true}`, nil); code != 200 {
		t.Fatalf("block: %d", code)
	}
	_, err = client.Send(ctx, token, messenger.SendRequest{Recipient: messenger.Recipient{ID: psid}, MessagingType: "RESPONSE", Message: json.RawMessage(`{"text":"hello"}`)})
	var e *messenger.Error
	if !errors.As(err, &e) || e.Code != 551 || e.Subcode != 1545041 || messenger.Retryable(err) {
		t.Fatalf("send to a shopper who blocked the Page: %v", err)
	}
}
