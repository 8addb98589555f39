package web_test

import (
	"context"
	"fmt"
	"net/http"
	"net/url"
	"regexp"
	"strings"
	"testing"
	"time"

	"github.com/chatshop/chatshop/demo"
	"github.com/chatshop/chatshop/dispute"
	"github.com/chatshop/chatshop/models"
)

// disputeOn records a dispute of the shop on its order, as PayPal's event would, with an evidence
// file; it returns the dispute's and the file's ids.
func (ts *testServer) disputeOn(t *testing.T, shopID, orderID int64) (disputeID, fileID int64) {
	t.Helper()
	d := ts.recordDispute(t, shopID, fmt.Sprintf("PP-D-T%d", orderID), fmt.Sprintf("chatshop-%d", orderID), 72*time.Hour)
	f := &models.DisputeFile{Name: "receipt.pdf", ContentType: "application/pdf", Data: []byte("%PDF-1.4 receipt")}
	if err := ts.store.ForShop(shopID).AddDisputeFile(context.Background(), d.ID, f, models.Actor{}); err != nil {
		t.Fatal(err)
	}
	return d.ID, f.ID
}

// recordDispute records a dispute waiting for the seller, due in the given time.
func (ts *testServer) recordDispute(t *testing.T, shopID int64, paypalID, custom string, dueIn time.Duration) *models.Dispute {
	t.Helper()
	now := time.Now().UTC()
	due := now.Add(dueIn)
	var d *models.Dispute
	err := ts.store.Transaction(context.Background(), func(tx *models.Tx) error {
		applied, err := tx.ApplyDispute(shopID, 0, models.DisputeReport{PayPalID: paypalID, MerchantID: demo.MerchantID, CustomID: custom,
			Reason: "MERCHANDISE_OR_SERVICE_NOT_RECEIVED", Status: "WAITING_FOR_SELLER_RESPONSE", Stage: "INQUIRY", AmountMinor: 1250,
			Currency: "USD", ResponseDue: &due, Allowed: []string{"send_message", "make_offer", "escalate", "accept_claim", "provide_evidence"},
			Body: "{}", OpenedAt: now, UpdatedAt: now})
		d = applied.Dispute
		return err
	})
	if err != nil {
		t.Fatal(err)
	}
	return d
}

// waitDispute waits until the app's record of the PayPal dispute satisfies ok.
func (ts *testServer) waitDispute(t *testing.T, paypalID, what string, ok func(d *models.Dispute) bool) *models.Dispute {
	t.Helper()
	deadline := time.Now().Add(15 * time.Second)
	for {
		var d models.Dispute
		err := ts.store.ReaderDB().QueryRow(`SELECT id, shop_id, status, stage, outcome, allowed, coalesce(order_id, 0), coalesce(shopper_id, 0)
			FROM disputes WHERE paypal_id = $1`, paypalID).Scan(&d.ID, &d.ShopID, &d.Status, &d.Stage, &d.Outcome, &d.Allowed, new(int64), new(int64))
		if err == nil && ok(&d) {
			full, err := ts.store.Dispute(context.Background(), d.ID)
			if err != nil {
				t.Fatal(err)
			}
			return full.Dispute
		}
		if time.Now().After(deadline) {
			t.Fatalf("dispute %s: not %s within 15s (now %+v)", paypalID, what, d)
		}
		time.Sleep(20 * time.Millisecond)
	}
}

func (ts *testServer) adminBrowser(t *testing.T) *browser {
	b := ts.browser(t)
	b.signIn("admin@chatshop.test", "admin-password")
	return b
}

// postFile submits a dispute's evidence upload form.
func (b *browser) postFile(path, filename string, data []byte) response {
	return b.postMultipart(path, "file", filename, data, nil)
}

// A buyer's dispute on a Messenger order, from PayPal's CUSTOMER.DISPUTE.CREATED to the admins'
// evidence and PayPal's decision: the record is linked to the order and shopper, the shop's feed
// hears of it, the owner adds a note and a file, the admin confirms and sends evidence through the
// worker, and the resolution arrives.
func TestDisputeFromBuyerToResolution(t *testing.T) {
	ts := newTestServer(t)
	psid := ts.newShopper(t, "Dana Whitfield")
	o := ts.buyAndPay(t, psid, ts.demoVariant(t, 5))
	ppID := ts.openDispute(t, o.CaptureID, "")

	d := ts.waitDispute(t, ppID, "recorded", func(d *models.Dispute) bool { return d.Status == "WAITING_FOR_SELLER_RESPONSE" })
	if d.OrderID == nil || *d.OrderID != o.ID || d.ShopperID == nil || *d.ShopperID != o.ShopperID || d.AmountMinor != o.TotalMinor ||
		d.ResponseDueAt == nil || time.Until(*d.ResponseDueAt) < 9*24*time.Hour || !d.Allows(dispute.ProvideEvidence) {
		t.Fatalf("dispute record %+v", d)
	}

	owner := ts.browser(t)
	owner.signIn("demo@chatshop.test", "demo-password")
	feed := owner.get("/app/notifications?kind=dispute")
	if !strings.Contains(feed.body, "Dispute opened: Item not received") || !strings.Contains(feed.body, fmt.Sprintf("/app/disputes/%d", d.ID)) {
		t.Fatalf("the shop's feed does not tell of the dispute:\n%s", feed.body)
	}
	page := fmt.Sprintf("/app/disputes/%d", d.ID)
	if res := owner.post(page+"/notes", url.Values{"text": {"Shipped Monday with USPS."}}); res.StatusCode != http.StatusSeeOther {
		t.Fatalf("owner's note: %d", res.StatusCode)
	}
	if res := owner.postFile(page+"/files", "label.pdf", []byte("%PDF-1.4 shipping label")); res.StatusCode != http.StatusSeeOther {
		t.Fatalf("owner's file: %d %s", res.StatusCode, res.body)
	}
	shown := owner.get(page)
	for _, want := range []string{"Shipped Monday with USPS.", "label.pdf", "Not sent yet", "Dana Whitfield", o.Number(), "It never arrived."} {
		if !strings.Contains(shown.body, want) {
			t.Errorf("the shop's dispute page lacks %q", want)
		}
	}
	if strings.Contains(shown.body, `data-testid="dispute-respond"`) {
		t.Error("the shop is offered PayPal's actions; they are the admins'")
	}

	admin := ts.adminBrowser(t)
	queue := admin.get("/admin/disputes")
	if !strings.Contains(queue.body, ppID) || !strings.Contains(queue.body, "Lakeside Supply Co.") || !strings.Contains(queue.body, `data-urgency="later"`) {
		t.Fatalf("the admins' queue lacks the dispute:\n%s", queue.body)
	}
	adminPage := fmt.Sprintf("/admin/disputes/%d", d.ID)
	var fileID int64
	ts.store.ReaderDB().QueryRow("SELECT id FROM dispute_files WHERE dispute_id = $1", d.ID).Scan(&fileID)
	evidence := url.Values{"kind": {"provide_evidence"}, "evidence_type": {"PROOF_OF_FULFILLMENT"}, "carrier": {"USPS"},
		"tracking_number": {"9400111899223817403512"}, "note": {"Delivered to the porch."}, "file": {fmt.Sprint(fileID)}}
	confirm := admin.post(adminPage+"/actions", evidence)
	if confirm.StatusCode != 200 || !strings.Contains(confirm.body, `data-testid="confirm"`) || !strings.Contains(confirm.body, "USPS 9400111899223817403512") {
		t.Fatalf("no confirmation before sending: %d", confirm.StatusCode)
	}
	if n := ts.count(t, "SELECT count(*) FROM dispute_actions"); n != 0 {
		t.Fatalf("%d actions kept before confirmation", n)
	}
	evidence.Set("confirm", "1")
	if res := admin.post(adminPage+"/actions", evidence); res.StatusCode != http.StatusSeeOther {
		t.Fatalf("confirmed evidence: %d %s", res.StatusCode, res.body)
	}
	d = ts.waitDispute(t, ppID, "under review", func(d *models.Dispute) bool { return d.Status == "UNDER_REVIEW" })
	if d.Allows(dispute.ProvideEvidence) {
		t.Fatalf("evidence still offered under review: %q", d.Allowed)
	}
	if n := ts.count(t, "SELECT count(*) FROM dispute_actions WHERE status = 'done'"); n != 1 {
		t.Fatalf("%d actions done", n)
	}
	if n := ts.count(t, "SELECT count(*) FROM dispute_files WHERE action_id IS NOT NULL"); n != 1 {
		t.Fatalf("%d files marked sent", n)
	}
	if n := ts.count(t, "SELECT count(*) FROM audit_events WHERE action = ? AND target = ?", models.AuditDisputeAction, ppID); n != 1 {
		t.Fatalf("%d audit events of the action", n)
	}
	reviewed := admin.get(adminPage)
	for _, want := range []string{"With PayPal", "USPS 9400111899223817403512", "label.pdf", "Sent to PayPal", "PayPal took it"} {
		if !strings.Contains(reviewed.body, want) {
			t.Errorf("the admin's page after evidence lacks %q", want)
		}
	}

	ts.adjudicate(t, ppID, "SELLER_FAVOR")
	d = ts.waitDispute(t, ppID, "resolved", func(d *models.Dispute) bool { return d.Status == dispute.Resolved })
	if d.Outcome != "RESOLVED_SELLER_FAVOUR" || d.Allowed != "" {
		t.Fatalf("resolved dispute %+v", d)
	}
	resolved := admin.get(adminPage)
	if !strings.Contains(resolved.body, "Resolved, in the seller&#39;s favour") || strings.Contains(resolved.body, `data-testid="dispute-respond"`) {
		t.Fatalf("the resolution does not show, or actions are still offered")
	}
	if feed := owner.get("/app/notifications?kind=dispute"); !strings.Contains(feed.body, "Dispute resolved, in the seller&#39;s favour") {
		t.Fatal("the shop's feed does not tell of the resolution")
	}
}

// An action the dispute's stage does not allow is not offered, and forced gets 422, keeps nothing
// and sends nothing to PayPal.
func TestDisputeActionTheStageForbids(t *testing.T) {
	ts := newTestServer(t)
	psid := ts.newShopper(t, "Casey Lin")
	o := ts.buyAndPay(t, psid, ts.demoVariant(t, 5))
	ppID := ts.openDispute(t, o.CaptureID, "CHARGEBACK")
	d := ts.waitDispute(t, ppID, "recorded", func(d *models.Dispute) bool { return d.Stage == "CHARGEBACK" })

	admin := ts.adminBrowser(t)
	page := fmt.Sprintf("/admin/disputes/%d", d.ID)
	shown := admin.get(page)
	if !strings.Contains(shown.body, `data-testid="action-accept_claim"`) || !strings.Contains(shown.body, `data-testid="action-provide_evidence"`) {
		t.Fatal("the actions a claim allows are not offered")
	}
	for _, kind := range []string{"send_message", "make_offer", "escalate"} {
		if strings.Contains(shown.body, `data-testid="action-`+kind+`"`) {
			t.Errorf("a claim offers %s", kind)
		}
	}
	before := ts.sandboxDisputeBody(t, ppID)
	for _, confirm := range []string{"", "1"} {
		res := admin.post(page+"/actions", url.Values{"kind": {"send_message"}, "note": {"Please reconsider."}, "confirm": {confirm}})
		if res.StatusCode != http.StatusUnprocessableEntity || !strings.Contains(res.body, "PayPal does not allow “Send a message” on this dispute now") {
			t.Fatalf("a forbidden action (confirm %q): %d", confirm, res.StatusCode)
		}
	}
	// Nothing is kept and no job asks PayPal for anything: the refusal happens before the
	// transaction that would enqueue one.
	if n := ts.count(t, "SELECT count(*) FROM dispute_actions") + ts.count(t, "SELECT count(*) FROM calls WHERE kind = 'paypal.dispute_action'"); n != 0 {
		t.Fatalf("%d actions or action jobs kept", n)
	}
	if after := ts.sandboxDisputeBody(t, ppID); after != before {
		t.Fatal("PayPal's dispute changed")
	}

	// An allowed action with a bad input is refused the same way, keeping what was typed.
	res := admin.post(page+"/actions", url.Values{"kind": {"accept_claim"}, "amount": {"9999"}, "note": {"Sorry about this."}})
	if res.StatusCode != http.StatusUnprocessableEntity || !strings.Contains(res.body, "at most the disputed") || !strings.Contains(res.body, "Sorry about this.") {
		t.Fatalf("a refund above the disputed amount: %d", res.StatusCode)
	}
}

func (ts *testServer) sandboxDisputeBody(t *testing.T, id string) string {
	var body string
	ts.store.ReaderDB().QueryRow("SELECT body FROM sandbox_paypal_disputes WHERE id = $1", id).Scan(&body)
	return body
}

// The queue shows each seller-response deadline as a countdown, overdue and due-soon ones marked,
// nearest first, and counts them.
func TestDisputeDeadlineDisplay(t *testing.T) {
	ts := newTestServer(t)
	shop := ts.demoShop(t).ShopID()
	ts.recordDispute(t, shop, "PP-D-LATER", "", 5*24*time.Hour+time.Hour)
	ts.recordDispute(t, shop, "PP-D-OVERDUE", "", -2*time.Hour-time.Minute)
	ts.recordDispute(t, shop, "PP-D-SOON", "", 20*time.Hour+30*time.Minute)

	queue := ts.adminBrowser(t).get("/admin/disputes")
	rows := regexp.MustCompile(`(?s)data-testid="dispute-link">(PP-D-[A-Z]+)<.*?data-urgency="([a-z]+)"[^>]*>.*?</svg>\s*([^<]+?)\s*</span>`).FindAllStringSubmatch(queue.body, -1)
	var got []string
	for _, r := range rows {
		got = append(got, r[1]+" "+r[2]+" "+r[3])
	}
	want := []string{"PP-D-OVERDUE overdue Overdue by 2 h 1 min", "PP-D-SOON soon 20 h 29 min left", "PP-D-LATER later 5 days left"}
	if strings.Join(got, "|") != strings.Join(want, "|") {
		t.Fatalf("deadlines:\n got %q\nwant %q", got, want)
	}
	for id, n := range map[string]string{"count-respond": "3", "count-overdue": "1", "count-soon": "1"} {
		if !regexp.MustCompile(`data-testid="` + id + `"[^>]*>\s*<p[^>]*>[^<]*</p>\s*<p[^>]*>` + n + `</p>`).MatchString(queue.body) {
			t.Errorf("%s is not %s", id, n)
		}
	}
	// The shop sees the same deadlines on its own list.
	owner := ts.browser(t)
	owner.signIn("demo@chatshop.test", "demo-password")
	if list := owner.get("/app/disputes"); strings.Count(list.body, `data-testid="deadline"`) != 3 || !strings.Contains(list.body, "Overdue by 2 h") {
		t.Fatal("the shop's list lacks the deadlines")
	}
}

// Evidence files PayPal would refuse are refused at upload with a reason, and nothing is kept.
func TestDisputeEvidenceFileRules(t *testing.T) {
	ts := newTestServer(t)
	shop := ts.demoShop(t).ShopID()
	d := ts.recordDispute(t, shop, "PP-D-FILES", "", 72*time.Hour)
	owner := ts.browser(t)
	owner.signIn("demo@chatshop.test", "demo-password")
	page := fmt.Sprintf("/app/disputes/%d", d.ID)
	for name, data := range map[string][]byte{
		"notes.txt":   []byte("just text"),
		"fake.pdf":    []byte("just text, named like a PDF"),
		"photo.png":   []byte("%PDF-1.4 a PDF named like a PNG"),
		"huge.pdf":    append([]byte("%PDF-1.4 "), make([]byte, 10<<20)...),
		"empty.pdf":   {},
		"label.docx":  []byte("PK\x03\x04"),
		"script.html": []byte("<html><script>alert(1)</script>"),
	} {
		if res := owner.postFile(page+"/files", name, data); res.StatusCode != http.StatusUnprocessableEntity || !strings.Contains(res.body, `data-testid="file-problem"`) {
			t.Errorf("%s: %d", name, res.StatusCode)
		}
	}
	if n := ts.count(t, "SELECT count(*) FROM dispute_files"); n != 0 {
		t.Fatalf("%d refused files kept", n)
	}
	png := []byte("\x89PNG\r\n\x1a\n\x00\x00\x00\rIHDR")
	if res := owner.postFile(page+"/files", "photo.png", png); res.StatusCode != http.StatusSeeOther {
		t.Fatalf("a PNG: %d", res.StatusCode)
	}
	var fileID int64
	ts.store.ReaderDB().QueryRow("SELECT id FROM dispute_files").Scan(&fileID)
	got := owner.get(fmt.Sprintf("%s/files/%d", page, fileID))
	if got.StatusCode != 200 || got.body != string(png) || got.Header.Get("Content-Type") != "image/png" ||
		!strings.HasPrefix(got.Header.Get("Content-Disposition"), "attachment") {
		t.Fatalf("download: %d %q %q", got.StatusCode, got.Header.Get("Content-Type"), got.Header.Get("Content-Disposition"))
	}
}

// A dispute event older than what is recorded changes nothing, and the worker reads the dispute
// again from the Disputes API.
func TestStaleDisputeEventIsReadAgain(t *testing.T) {
	ts := newTestServer(t)
	psid := ts.newShopper(t, "Robin Park")
	o := ts.buyAndPay(t, psid, ts.demoVariant(t, 5))
	ppID := ts.openDispute(t, o.CaptureID, "")
	d := ts.waitDispute(t, ppID, "recorded", func(d *models.Dispute) bool { return d.Status == "WAITING_FOR_SELLER_RESPONSE" })

	old := d.PayPalUpdatedAt.Add(-time.Hour).Format("2006-01-02T15:04:05.000Z")
	body := strings.NewReplacer(`"status":"WAITING_FOR_SELLER_RESPONSE"`, `"status":"RESOLVED"`).Replace(d.Body)
	body = regexp.MustCompile(`"update_time":"[^"]+"`).ReplaceAllString(body, `"update_time":"`+old+`"`)
	if status := ts.sandboxJSON(t, http.MethodPost, "/sandbox/paypal/api/webhooks", `{"event_type":"CUSTOMER.DISPUTE.UPDATED","resource":`+body+`}`, nil); status/100 != 2 {
		t.Fatalf("stale event: %d", status)
	}
	deadline := time.Now().Add(10 * time.Second)
	for ts.count(t, "SELECT count(*) FROM calls WHERE kind = 'paypal.dispute_refresh' AND state = 'done'") == 0 {
		if time.Now().After(deadline) {
			t.Fatal("the stale event was not followed by a read of the dispute")
		}
		time.Sleep(20 * time.Millisecond)
	}
	if now := ts.waitDispute(t, ppID, "read", func(*models.Dispute) bool { return true }); now.Status != "WAITING_FOR_SELLER_RESPONSE" {
		t.Fatalf("a stale event moved the dispute to %s", now.Status)
	}
}
