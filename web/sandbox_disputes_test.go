package web_test

import (
	"context"
	"net/http"
	"net/url"
	"strings"
	"testing"
	"time"

	"github.com/chatshop/chatshop/demo"
	"github.com/chatshop/chatshop/models"
	"github.com/chatshop/chatshop/paypal"
)

// openDispute has the buyer of a paid order open a dispute in the sandbox and returns its id.
func (ts *testServer) openDispute(t *testing.T, captureID, stage string) string {
	t.Helper()
	var out struct {
		DisputeID string `json:"dispute_id"`
	}
	body := `{"capture_id":"` + captureID + `","reason":"MERCHANDISE_OR_SERVICE_NOT_RECEIVED","message":"It never arrived.","stage":"` + stage + `"}`
	if status := ts.sandboxJSON(t, http.MethodPost, "/sandbox/paypal/api/disputes", body, &out); status != http.StatusCreated || out.DisputeID == "" {
		t.Fatalf("open dispute: %d %+v", status, out)
	}
	return out.DisputeID
}

// An inquiry as PayPal runs it: CUSTOMER.DISPUTE.CREATED reaches the app; the seller writes and
// sends evidence with files (multipart, PayPal's file rules); actions the stage or status does
// not allow are refused and change nothing; PayPal's decision for the buyer resolves the dispute
// and reverses the capture.
func TestSandboxDisputeInquiryToResolution(t *testing.T) {
	ctx := context.Background()
	ts := newTestServer(t)
	pp := ts.payPalClient()
	captureID := ts.paidOrder(t, "chatshop-order-dispute")
	id := ts.openDispute(t, captureID, "")
	merchant := demo.MerchantID

	created := ts.waitEventOfType(t, "CUSTOMER.DISPUTE.CREATED", id)
	if status := ts.waitProcessed(t, "paypal", created); status != models.EventProcessed && status != models.EventIgnored {
		t.Fatalf("dispute created event ended %s", status)
	}
	d, err := pp.GetDispute(ctx, merchant, id)
	if err != nil {
		t.Fatal(err)
	}
	due, _ := time.Parse(time.RFC3339, d.SellerResponseDue)
	if d.Status != "WAITING_FOR_SELLER_RESPONSE" || d.Stage != "INQUIRY" || d.DisputedTransactions[0].SellerTransactionID != captureID ||
		d.DisputedTransactions[0].Custom != "chatshop-order-dispute" || time.Until(due) < 9*24*time.Hour || !d.Allows("send_message") || !d.Allows("provide_evidence") {
		t.Fatalf("dispute %+v", d)
	}
	if list, err := pp.ListDisputes(ctx, merchant, captureID, 10); err != nil || len(list) != 1 || list[0].ID != id {
		t.Fatalf("list by capture: %+v, %v", list, err)
	}
	if _, err := pp.GetDispute(ctx, "2SECNDMERCHNT", id); issueOf(err) != "INVALID_RESOURCE_ID" {
		t.Fatalf("another merchant read the dispute: %v", err)
	}

	if err := pp.SendDisputeMessage(ctx, merchant, id, "It shipped on Monday, tracking below."); err != nil {
		t.Fatal(err)
	}
	bad := []paypal.File{{Name: "label.docx", ContentType: "application/octet-stream", Data: []byte("x")}}
	if err := pp.ProvideDisputeEvidence(ctx, merchant, id, []paypal.Evidence{{Type: "PROOF_OF_FULFILLMENT"}}, bad); issueOf(err) != "INVALID_EVIDENCE_FILE" {
		t.Fatalf("a .docx evidence file: %v", err)
	}
	proof := []paypal.Evidence{{Type: "PROOF_OF_FULFILLMENT", Notes: "Delivered to the porch.",
		Info: &paypal.EvidenceInfo{Tracking: []paypal.Tracking{{CarrierName: "USPS", TrackingNumber: "9400111899223817403512"}}}}}
	receipt := []paypal.File{{Name: "receipt.png", ContentType: "image/png", Data: []byte("\x89PNG\r\n\x1a\n")}}
	if err := pp.ProvideDisputeEvidence(ctx, merchant, id, proof, receipt); err != nil {
		t.Fatal(err)
	}
	d, _ = pp.GetDispute(ctx, merchant, id)
	if d.Status != "UNDER_REVIEW" || d.Allows("provide_evidence") || !d.Allows("accept_claim") {
		t.Fatalf("after evidence %+v", d)
	}
	if err := pp.ProvideDisputeEvidence(ctx, merchant, id, proof, nil); issueOf(err) != "ACTION_NOT_ALLOWED" {
		t.Fatalf("evidence while under review: %v", err)
	}

	ts.adjudicate(t, id, "BUYER_FAVOR")
	d, _ = pp.GetDispute(ctx, merchant, id)
	if d.Status != "RESOLVED" || d.Outcome == nil || d.Outcome.OutcomeCode != "RESOLVED_BUYER_FAVOUR" || len(d.Links) != 1 {
		t.Fatalf("resolved %+v", d)
	}
	if err := pp.SendDisputeMessage(ctx, merchant, id, "too late"); issueOf(err) != "ACTION_NOT_ALLOWED" {
		t.Fatalf("a message on a resolved dispute: %v", err)
	}
	for _, eventType := range []string{"CUSTOMER.DISPUTE.UPDATED", "CUSTOMER.DISPUTE.RESOLVED", "PAYMENT.CAPTURE.REVERSED"} {
		ts.waitEventOfType(t, eventType, id+"|"+captureID)
	}
	var capt struct{ Status string }
	if ts.payPalCall(t, http.MethodGet, "/v2/payments/captures/"+captureID, "", &capt); capt.Status != "REFUNDED" {
		t.Fatalf("capture after the buyer won: %s", capt.Status)
	}
}

// adjudicate is PayPal's sandbox-only settlement of a dispute.
func (ts *testServer) adjudicate(t *testing.T, id, outcome string) {
	t.Helper()
	var out map[string]any
	if status := ts.payPalCall(t, http.MethodPost, "/v1/customer/disputes/"+id+"/adjudicate", `{"adjudication_outcome":"`+outcome+`"}`, &out); status != 200 {
		t.Fatalf("adjudicate: %d %v", status, out)
	}
}

// A claim (CHARGEBACK stage) allows no messages, offers or escalation; accepting it with a partial
// refund resolves it in the buyer's favour and refunds that much of the capture.
func TestSandboxDisputeClaimAcceptedWithPartialRefund(t *testing.T) {
	ctx := context.Background()
	ts := newTestServer(t)
	pp := ts.payPalClient()
	captureID := ts.paidOrder(t, "chatshop-order-claim")
	id := ts.openDispute(t, captureID, "CHARGEBACK")
	merchant := demo.MerchantID
	d, err := pp.GetDispute(ctx, merchant, id)
	if err != nil || d.Allows("send_message") || d.Allows("make_offer") || d.Allows("escalate") || !d.Allows("accept_claim") {
		t.Fatalf("claim %+v, %v", d, err)
	}
	if err := pp.MakeDisputeOffer(ctx, merchant, id, "Half back?", "REFUND", &paypal.Money{CurrencyCode: "USD", Value: "10.00"}); issueOf(err) != "ACTION_NOT_ALLOWED" {
		t.Fatalf("an offer on a claim: %v", err)
	}
	if err := pp.EscalateDispute(ctx, merchant, id, "again"); issueOf(err) != "ACTION_NOT_ALLOWED" {
		t.Fatalf("escalating a claim: %v", err)
	}
	if err := pp.AcceptDisputeClaim(ctx, merchant, id, "Sorry about that.", &paypal.Money{CurrencyCode: "USD", Value: "100.00"}); issueOf(err) != "INVALID_PARAMETER_VALUE" {
		t.Fatalf("accepting for more than disputed: %v", err)
	}
	if err := pp.AcceptDisputeClaim(ctx, merchant, id, "Sorry about that.", &paypal.Money{CurrencyCode: "USD", Value: "20.00"}); err != nil {
		t.Fatal(err)
	}
	d, _ = pp.GetDispute(ctx, merchant, id)
	if d.Status != "RESOLVED" || d.Outcome.OutcomeCode != "ACCEPTED" || d.Outcome.AmountRefunded.Value != "20.00" {
		t.Fatalf("accepted %+v", d)
	}
	var capt struct{ Status string }
	if ts.payPalCall(t, http.MethodGet, "/v2/payments/captures/"+captureID, "", &capt); capt.Status != "PARTIALLY_REFUNDED" {
		t.Fatalf("capture after a partial acceptance: %s", capt.Status)
	}
	ts.waitEventOfType(t, "PAYMENT.CAPTURE.REFUNDED", captureID)
}

// In an inquiry the seller may offer a refund; the dispute then waits for the buyer, so a second
// offer is refused; escalating makes it a claim under PayPal's review.
func TestSandboxDisputeOfferThenEscalate(t *testing.T) {
	ctx := context.Background()
	ts := newTestServer(t)
	pp := ts.payPalClient()
	id := ts.openDispute(t, ts.paidOrder(t, "chatshop-order-offer"), "")
	merchant := demo.MerchantID
	if err := pp.MakeDisputeOffer(ctx, merchant, id, "Full refund if you send it back.", "REFUND_WITH_RETURN", nil); err != nil {
		t.Fatal(err)
	}
	d, _ := pp.GetDispute(ctx, merchant, id)
	if d.Status != "WAITING_FOR_BUYER_RESPONSE" || d.Allows("make_offer") {
		t.Fatalf("after the offer %+v", d)
	}
	if err := pp.MakeDisputeOffer(ctx, merchant, id, "again", "REFUND", nil); issueOf(err) != "ACTION_NOT_ALLOWED" {
		t.Fatalf("a second offer: %v", err)
	}
	if err := pp.EscalateDispute(ctx, merchant, id, "The buyer does not answer."); err != nil {
		t.Fatal(err)
	}
	d, _ = pp.GetDispute(ctx, merchant, id)
	if d.Stage != "CHARGEBACK" || d.Status != "UNDER_REVIEW" || d.Allows("send_message") {
		t.Fatalf("after escalation %+v", d)
	}
}

// The buyer's Resolution Center lists their payments; reporting a problem opens an inquiry, which
// the merchant hears of, and the payment then shows its case instead of the form.
func TestSandboxResolutionCenterOpensADispute(t *testing.T) {
	ts := newTestServer(t)
	captureID := ts.paidOrder(t, "chatshop-order-rc")
	b := ts.browser(t)
	page := b.get("/sandbox/paypal/resolutioncenter")
	if page.StatusCode != 200 || !strings.Contains(page.body, "Lakeside Supply Co.") || !hasTestID(page.body, "dispute-open-"+captureID) {
		t.Fatalf("resolution center %d:\n%.600s", page.StatusCode, page.body)
	}
	res := b.post("/sandbox/paypal/resolutioncenter", url.Values{"capture_id": {captureID}, "reason": {"MERCHANDISE_OR_SERVICE_NOT_AS_DESCRIBED"}, "message": {"Wrong size."}})
	if res.StatusCode != http.StatusSeeOther || !strings.Contains(res.Header.Get("Location"), "opened=PP-D-") {
		t.Fatalf("report a problem: %d to %q", res.StatusCode, res.Header.Get("Location"))
	}
	id := strings.TrimPrefix(res.Header.Get("Location"), "/sandbox/paypal/resolutioncenter?opened=")
	ts.waitEventOfType(t, "CUSTOMER.DISPUTE.CREATED", id)
	page = b.get(res.Header.Get("Location"))
	if !hasTestID(page.body, "dispute-opened") || !hasTestID(page.body, "payment-dispute") || hasTestID(page.body, "dispute-open-"+captureID) {
		t.Fatalf("after reporting:\n%.800s", page.body)
	}
	d, err := ts.payPalClient().GetDispute(context.Background(), demo.MerchantID, id)
	if err != nil || d.Reason != "MERCHANDISE_OR_SERVICE_NOT_AS_DESCRIBED" || len(d.Messages) != 1 || d.Messages[0].Content != "Wrong size." {
		t.Fatalf("dispute %+v, %v", d, err)
	}
}
