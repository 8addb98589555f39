package web_test

import (
	"context"
	"encoding/json"
	"errors"
	"fmt"
	"net/url"
	"strings"
	"testing"

	"github.com/chatshop/chatshop/bot"
	"github.com/chatshop/chatshop/demo"
	"github.com/chatshop/chatshop/messenger"
	"github.com/chatshop/chatshop/models"
	"github.com/chatshop/chatshop/sandbox"
)

// approvedTemplates asks Meta (the emulator) for the demo Page's utility templates from the
// Messenger settings page and waits until Meta approved them.
func (ts *testServer) approvedTemplates(t *testing.T, owner *browser) {
	t.Helper()
	if res := owner.post("/app/settings/messenger/templates", nil); res.StatusCode != 303 {
		t.Fatalf("ask for the templates: %d", res.StatusCode)
	}
	waitUntil(t, "Meta's approval of the templates", func() bool {
		var approved int
		ts.store.ReaderDB().QueryRow("SELECT count(*) FROM message_templates WHERE status = 'APPROVED'").Scan(&approved)
		return approved == len(bot.UtilityTemplates)
	})
}

// utilitySent finds the Page's UTILITY message of a template in the shopper's thread.
func (ts *testServer) utilitySent(t *testing.T, psid, name string) []string {
	t.Helper()
	var values []string
	waitUntil(t, "the "+name+" utility message", func() bool {
		for _, tm := range ts.thread(t, psid) {
			var m struct {
				Template struct {
					Name       string `json:"name"`
					Components []struct {
						Parameters []struct{ Text string } `json:"parameters"`
					} `json:"components"`
				} `json:"template"`
			}
			if tm.From != "page" || tm.MessagingType != messenger.MessagingUtility || json.Unmarshal(tm.Message, &m) != nil || m.Template.Name != name {
				continue
			}
			values = nil
			for _, p := range m.Template.Components[0].Parameters {
				values = append(values, p.Text)
			}
			return true
		}
		return false
	})
	return values
}

// After the sandbox clock moves a conversation 30 hours back, the shipping update and the refund
// notice are refused as ordinary messages and go as the Page's approved utility templates; the
// order says how the shopper was told. The settings page shows the templates approved.
func TestUtilityMessagesAfterTheWindow(t *testing.T) {
	ts := newTestServer(t)
	owner := ts.browser(t)
	owner.signIn(demo.OwnerEmail, demo.OwnerPassword)
	ts.approvedTemplates(t, owner)
	if page := owner.page("/app/settings/messenger"); strings.Count(page, "Approved") < len(bot.UtilityTemplates) || !hasTestID(page, "template-order_shipped") {
		t.Fatal("the settings page does not show the approved templates")
	}
	psid, o := ts.shippableOrder(t, "Kai Faraway")
	if code := ts.sandboxJSON(t, "POST", "/sandbox/messenger/api/clock", fmt.Sprintf(`{"page_id":%q,"psid":%q,"hours":30}`, demo.PageID, psid), nil); code != 200 {
		t.Fatalf("clock: %d", code)
	}
	if res := owner.post(fmt.Sprintf("/app/orders/%d/ship", o.ID), shipForm(o, "UPS", "1ZLATE0001")); res.StatusCode != 303 {
		t.Fatalf("ship: %d", res.StatusCode)
	}
	if got := ts.utilitySent(t, psid, "chatshop_order_shipped"); strings.Join(got, "|") != o.Number()+"|Lakeside Supply Co.|UPS|1ZLATE0001" {
		t.Fatalf("the shipping update's values: %q", got)
	}
	chat := ts.browser(t).page(fmt.Sprintf("/sandbox/messenger/thread?page_id=%s&psid=%s", demo.PageID, psid))
	if !hasTestID(chat, "chat-utility") || !strings.Contains(chat, "Your order "+o.Number()+" from Lakeside Supply Co. is on its way with UPS. Tracking number: 1ZLATE0001.") {
		t.Fatal("the shopper's chat does not draw the utility message")
	}
	waitUntil(t, "the order to say how the shopper was told", func() bool {
		return strings.Contains(owner.page(fmt.Sprintf("/app/orders/%d", o.ID)), "The shopper was told in Messenger with the Page's utility template")
	})

	if res := owner.post(fmt.Sprintf("/app/orders/%d/refund", o.ID), url.Values{"amount": {"1.00"}, "confirm": {"1"}}); res.StatusCode != 303 {
		t.Fatalf("refund: %d", res.StatusCode)
	}
	if got := ts.utilitySent(t, psid, "chatshop_refund_issued"); strings.Join(got, "|") != "$1.00|"+o.Number() {
		t.Fatalf("the refund notice's values: %q", got)
	}
}

// Meta answers error 100 to the retired tags; UTILITY sends are checked against the Page's
// templates: unknown, not approved, or with the wrong number of values, each refused.
func TestRetiredTagsAndUtilityChecks(t *testing.T) {
	ctx := context.Background()
	ts := newTestServer(t)
	psid := ts.newShopper(t, "Lou Tags")
	ts.say(t, psid, `"text":"hi"`, true)
	token := sandbox.PageToken(demo.PageID)
	send := func(typ, tag string, msg json.RawMessage) error {
		_, err := ts.graph().Send(ctx, token, messenger.SendRequest{Recipient: messenger.Recipient{ID: psid}, MessagingType: typ, Tag: tag, Message: msg})
		return err
	}
	for _, tag := range []string{"POST_PURCHASE_UPDATE", "ACCOUNT_UPDATE", "CONFIRMED_EVENT_UPDATE"} {
		var e *messenger.Error
		if err := send(messenger.MessagingTag, tag, json.RawMessage(`{"text":"Your order shipped"}`)); !errors.As(err, &e) || e.Code != 100 || e.Subcode != 1893061 {
			t.Errorf("%s: %v", tag, err)
		}
	}
	if err := send(messenger.MessagingTag, "HUMAN_AGENT", json.RawMessage(`{"text":"A person here"}`)); err != nil {
		t.Errorf("HUMAN_AGENT: %v", err)
	}
	if err := send(messenger.MessagingUtility, "", messenger.UtilityMessage("chatshop_order_shipped", "en", "#1001", "Shop", "UPS", "1Z")); err == nil {
		t.Error("a template the Page does not have was sent")
	}
	owner := ts.browser(t)
	owner.signIn(demo.OwnerEmail, demo.OwnerPassword)
	ts.approvedTemplates(t, owner)
	if err := send(messenger.MessagingUtility, "", messenger.UtilityMessage("chatshop_order_shipped", "en", "#1001", "Shop")); err == nil ||
		!strings.Contains(err.Error(), "Number of parameters") {
		t.Errorf("two values for four placeholders: %v", err)
	}
	if err := send(messenger.MessagingUtility, "", messenger.UtilityMessage("chatshop_order_shipped", "en", "#1001", "Shop", "UPS", "1Z")); err != nil {
		t.Errorf("an approved template: %v", err)
	}
}

// A template Meta rejects shows Meta's reason on the settings page, told by the status webhook, and
// blocks nothing else: the other template still carries its messages, and the rejected one's are
// not sent, with the reason on the order.
func TestRejectedTemplate(t *testing.T) {
	ts := newTestServer(t)
	owner := ts.browser(t)
	owner.signIn(demo.OwnerEmail, demo.OwnerPassword)
	// The Page's subscription, as connecting it makes: the template status field with the rest.
	if err := ts.graph().SubscribeApp(context.Background(), demo.PageID, sandbox.PageToken(demo.PageID), messenger.PageFields); err != nil {
		t.Fatal(err)
	}
	ts.approvedTemplates(t, owner)
	if code := ts.sandboxJSON(t, "POST", "/sandbox/messenger/api/templates/reject",
		fmt.Sprintf(`{"page_id":%q,"name":"chatshop_order_shipped","reason":"TAG_SHOULD_BE_MARKETING"}`, demo.PageID), nil); code != 200 {
		t.Fatalf("reject: %d", code)
	}
	waitUntil(t, "the rejection on the settings page", func() bool {
		page := owner.page("/app/settings/messenger")
		return strings.Contains(page, "TAG_SHOULD_BE_MARKETING") && strings.Contains(page, "Rejected")
	})
	if n := ts.messengerEvents(t, "template_status", "REJECTED"); n != 1 {
		t.Fatalf("%d REJECTED status webhooks processed, want 1", n)
	}
	psid, o := ts.shippableOrder(t, "Max Rejected")
	ts.sandboxJSON(t, "POST", "/sandbox/messenger/api/clock", fmt.Sprintf(`{"page_id":%q,"psid":%q,"hours":30}`, demo.PageID, psid), nil)
	owner.post(fmt.Sprintf("/app/orders/%d/ship", o.ID), shipForm(o, "UPS", "1ZREJECTED"))
	waitUntil(t, "the order to say the shopper could not be told", func() bool {
		return strings.Contains(owner.page(fmt.Sprintf("/app/orders/%d", o.ID)), "has not approved the Page")
	})
	owner.post(fmt.Sprintf("/app/orders/%d/refund", o.ID), url.Values{"amount": {"1.00"}, "confirm": {"1"}})
	ts.utilitySent(t, psid, "chatshop_refund_issued")
	if o := ts.orderOf(t, psid); o.Status != models.OrderPaid {
		t.Fatalf("the order is %s", o.Status)
	}

	// "Ask Meta again" deletes the rejected template and asks for it anew; Meta approves it.
	if res := owner.post("/app/settings/messenger/templates", nil); res.StatusCode != 303 {
		t.Fatalf("ask again: %d", res.StatusCode)
	}
	waitUntil(t, "the template approved again", func() bool {
		var status string
		ts.store.ReaderDB().QueryRow("SELECT status FROM message_templates WHERE purpose = 'order_shipped'").Scan(&status)
		return status == "APPROVED"
	})
}
