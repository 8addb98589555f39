package sandbox

import (
	"encoding/json"
	"errors"
	"io"
	"net/http"
	"path/filepath"
	"slices"
	"strings"
	"time"

	"github.com/labstack/echo/v4"

	"github.com/chatshop/chatshop/sandbox/sandboxdb"
)

// sellerAction is a seller action of the Disputes API: its link rel and its path.
type sellerAction struct{ rel, path string }

var (
	actSendMessage     = sellerAction{"send_message", "send-message"}
	actMakeOffer       = sellerAction{"make_offer", "make-offer"}
	actEscalate        = sellerAction{"escalate", "escalate"}
	actAcceptClaim     = sellerAction{"accept_claim", "accept-claim"}
	actProvideEvidence = sellerAction{"provide_evidence", "provide-evidence"}
)

// allowedActions are the seller actions PayPal allows in the dispute's stage and status: nothing
// once resolved; messages, offers and escalation only in the INQUIRY stage (an offer not while one
// waits for the buyer); evidence only while PayPal waits for the seller; accepting the claim
// until it is resolved.
func allowedActions(d *dispute) []sellerAction {
	if d.Status == "RESOLVED" {
		return nil
	}
	var out []sellerAction
	waitingForSeller := d.Status == "WAITING_FOR_SELLER_RESPONSE" || d.Status == "OPEN"
	if d.DisputeLifeCycleStage == "INQUIRY" {
		out = append(out, actSendMessage)
		if waitingForSeller {
			out = append(out, actMakeOffer)
		}
		out = append(out, actEscalate)
	}
	out = append(out, actAcceptClaim)
	if waitingForSeller {
		out = append(out, actProvideEvidence)
	}
	return out
}

// actionInput is a seller action's request: JSON, or multipart/form-data with the JSON in the
// "input" part and files in the others.
type actionInput struct {
	fields map[string]json.RawMessage
	files  []doc
}

func (in actionInput) text(name string) string {
	var s string
	_ = json.Unmarshal(in.fields[name], &s)
	return s
}

// Evidence files PayPal accepts: "Individual file size: Less than 10 MB per file", "Total file
// size: Up to 50 MB per API call", types .jpg, .jpeg, .gif, .png, .pdf.
const (
	evidenceFileLimit  = 10 << 20
	evidenceTotalLimit = 50 << 20
)

var evidenceTypes = []string{".jpg", ".jpeg", ".gif", ".png", ".pdf"}

func readActionInput(c echo.Context) (actionInput, []issue) {
	in := actionInput{fields: map[string]json.RawMessage{}}
	bad := func(code, description string) (actionInput, []issue) {
		return in, []issue{{Location: "body", Issue: code, Description: description}}
	}
	if !strings.HasPrefix(c.Request().Header.Get("Content-Type"), "multipart/") {
		if c.Request().ContentLength != 0 && json.NewDecoder(c.Request().Body).Decode(&in.fields) != nil {
			return bad("MALFORMED_REQUEST_JSON", "The request JSON is not well formed.")
		}
		return in, nil
	}
	form, err := c.MultipartForm()
	if err != nil {
		return bad("INVALID_REQUEST", "The multipart request could not be read.")
	}
	if v := form.Value["input"]; len(v) > 0 && json.Unmarshal([]byte(v[0]), &in.fields) != nil {
		return bad("MALFORMED_REQUEST_JSON", "The input part is not well-formed JSON.")
	}
	var total int64
	for part, fhs := range form.File {
		for _, fh := range fhs {
			if part == "input" { // the JSON sent as a file part
				f, err := fh.Open()
				if err != nil {
					return bad("INVALID_REQUEST", "The input part could not be read.")
				}
				raw, _ := io.ReadAll(io.LimitReader(f, 1<<20))
				f.Close()
				if json.Unmarshal(raw, &in.fields) != nil {
					return bad("MALFORMED_REQUEST_JSON", "The input part is not well-formed JSON.")
				}
				continue
			}
			total += fh.Size
			if !slices.Contains(evidenceTypes, strings.ToLower(filepath.Ext(fh.Filename))) || fh.Size >= evidenceFileLimit || total > evidenceTotalLimit {
				return bad("INVALID_EVIDENCE_FILE", "Files must be JPG, GIF, PNG or PDF, each less than 10 MB and 50 MB in all.")
			}
			in.files = append(in.files, doc{Name: fh.Filename})
		}
	}
	return in, nil
}

// sellerActionHandler runs one seller action: refused with 422 when the dispute's stage or status
// does not allow it, so nothing changes; otherwise apply changes the dispute, which is saved and
// sent as CUSTOMER.DISPUTE.UPDATED (or RESOLVED).
func (s *Sandbox) sellerActionHandler(action sellerAction, apply func(s *Sandbox, c echo.Context, d *dispute, in actionInput) []issue) echo.HandlerFunc {
	return func(c echo.Context) error {
		d, row, err := s.loadDispute(c, c.Param("id"))
		if errors.Is(err, sandboxdb.ErrNotFound) {
			return payPalIssues(c, http.StatusNotFound, notFound("dispute_id", c.Param("id"), "path"))
		} else if err != nil {
			return err
		}
		in, bad := readActionInput(c)
		if bad != nil {
			return payPalIssues(c, http.StatusBadRequest, bad)
		}
		if !slices.Contains(allowedActions(d), action) {
			return payPalIssues(c, http.StatusUnprocessableEntity, []issue{{Field: "dispute_id", Value: d.DisputeID, Location: "path",
				Issue: "ACTION_NOT_ALLOWED", Description: "The " + action.path + " action is not allowed when the dispute is " + d.Status + " in the " + d.DisputeLifeCycleStage + " stage."}})
		}
		if bad := apply(s, c, d, in); bad != nil {
			return payPalIssues(c, http.StatusUnprocessableEntity, bad)
		}
		return s.commitDispute(c, row, d)
	}
}

// commitDispute saves the dispute's new state, tells the merchant and answers with the link to read it.
func (s *Sandbox) commitDispute(c echo.Context, row *sandboxdb.Dispute, d *dispute) error {
	if err := s.publishDispute(c, row, d); errors.Is(err, errDisputeChanged) {
		return c.JSON(http.StatusConflict, map[string]any{"name": "RESOURCE_CONFLICT", "message": "The server has detected a conflict while processing this request.",
			"debug_id": randomHex(7)[:13]})
	} else if err != nil {
		return err
	}
	self := s.cfg.PayPalAPIBase + "/v1/customer/disputes/" + d.DisputeID
	return c.JSON(http.StatusOK, map[string]any{"links": []link{{self, "self", "GET"}}})
}

// publishDispute saves the dispute's new state and sends the merchant CUSTOMER.DISPUTE.UPDATED, or
// RESOLVED.
func (s *Sandbox) publishDispute(c echo.Context, row *sandboxdb.Dispute, d *dispute) error {
	d.UpdateTime = disputeTime(time.Now())
	if err := s.saveDispute(c, row, d, false); err != nil {
		return err
	}
	event := "CUSTOMER.DISPUTE.UPDATED"
	if d.Status == "RESOLVED" {
		event = "CUSTOMER.DISPUTE.RESOLVED"
	}
	return s.emitDispute(event, d)
}

func required(in actionInput, names ...string) []issue {
	var bad []issue
	for _, n := range names {
		if in.text(n) == "" {
			bad = append(bad, issue{Field: "/" + n, Location: "body", Issue: "MISSING_REQUIRED_PARAMETER", Description: "A required field / parameter is missing."})
		}
	}
	return bad
}

func applySendMessage(_ *Sandbox, _ echo.Context, d *dispute, in actionInput) []issue {
	if bad := required(in, "message"); bad != nil {
		return bad
	}
	d.Messages = append(d.Messages, disputeMessage{PostedBy: "SELLER", TimePosted: disputeTime(time.Now()), Content: in.text("message"), Documents: in.files})
	return nil
}

func applyMakeOffer(_ *Sandbox, _ echo.Context, d *dispute, in actionInput) []issue {
	if bad := required(in, "note", "offer_type"); bad != nil {
		return bad
	}
	kind := in.text("offer_type")
	if !slices.Contains([]string{"REFUND", "REFUND_WITH_RETURN", "REFUND_WITH_REPLACEMENT", "REPLACEMENT_WITHOUT_REFUND"}, kind) {
		return []issue{{Field: "/offer_type", Value: kind, Location: "body", Issue: "INVALID_PARAMETER_VALUE", Description: "The offer type is not allowed for this dispute."}}
	}
	var amount *paypalMoney
	if raw, ok := in.fields["offer_amount"]; ok {
		amount = &paypalMoney{}
		if json.Unmarshal(raw, amount) != nil || amount.CurrencyCode != d.DisputeAmount.CurrencyCode || !validAmount(*amount, d.DisputeAmount) {
			return []issue{{Field: "/offer_amount", Location: "body", Issue: "INVALID_PARAMETER_VALUE", Description: "The offer amount must be in the dispute's currency and at most the disputed amount."}}
		}
	}
	now := time.Now()
	proposed := map[string]any{"offer_time": disputeTime(now), "actor": "SELLER", "event_type": "PROPOSED", "offer_type": kind, "notes": in.text("note")}
	d.Offer = map[string]any{"offer_type": kind, "history": []map[string]any{proposed}}
	if amount != nil {
		d.Offer["seller_offered_amount"], proposed["offer_amount"] = amount, amount
	}
	d.Status, d.BuyerResponseDueDate = "WAITING_FOR_BUYER_RESPONSE", disputeTime(now.Add(3*24*time.Hour))
	return nil
}

func applyEscalate(_ *Sandbox, _ echo.Context, d *dispute, in actionInput) []issue {
	if bad := required(in, "note"); bad != nil {
		return bad
	}
	d.Messages = append(d.Messages, disputeMessage{PostedBy: "SELLER", TimePosted: disputeTime(time.Now()), Content: in.text("note")})
	d.DisputeLifeCycleStage, d.Status, d.SellerResponseDueDate = "CHARGEBACK", "UNDER_REVIEW", ""
	return nil
}

func applyProvideEvidence(_ *Sandbox, _ echo.Context, d *dispute, in actionInput) []issue {
	var evs []evidence
	if raw, ok := in.fields["evidences"]; !ok || json.Unmarshal(raw, &evs) != nil || len(evs) == 0 {
		return []issue{{Field: "/evidences", Location: "body", Issue: "MISSING_REQUIRED_PARAMETER", Description: "A required field / parameter is missing."}}
	}
	now := disputeTime(time.Now())
	for i := range evs {
		if evs[i].EvidenceType == "" {
			return []issue{{Field: "/evidences/evidence_type", Location: "body", Issue: "MISSING_REQUIRED_PARAMETER", Description: "A required field / parameter is missing."}}
		}
		evs[i].Date = now
	}
	if len(in.files) > 0 { // the files go with the first piece of evidence, as PayPal's form does
		evs[0].Documents = append(evs[0].Documents, in.files...)
	}
	d.Evidences = append(d.Evidences, evs...)
	d.Status, d.SellerResponseDueDate = "UNDER_REVIEW", ""
	return nil
}

func applyAcceptClaim(s *Sandbox, c echo.Context, d *dispute, in actionInput) []issue {
	refund := d.DisputeAmount
	if raw, ok := in.fields["refund_amount"]; ok {
		if json.Unmarshal(raw, &refund) != nil || refund.CurrencyCode != d.DisputeAmount.CurrencyCode || !validAmount(refund, d.DisputeAmount) {
			return []issue{{Field: "/refund_amount", Location: "body", Issue: "INVALID_PARAMETER_VALUE", Description: "The refund amount must be in the dispute's currency and at most the disputed amount."}}
		}
	}
	if note := in.text("note"); note != "" {
		d.Messages = append(d.Messages, disputeMessage{PostedBy: "SELLER", TimePosted: disputeTime(time.Now()), Content: note, Documents: in.files})
	}
	if err := s.settle(c, d, "ACCEPTED", &refund, "PAYMENT.CAPTURE.REFUNDED"); err != nil {
		return []issue{{Issue: "REFUND_FAILED", Description: err.Error()}}
	}
	return nil
}

// validAmount is a well-formed amount above zero and at most limit.
func validAmount(m, limit paypalMoney) bool {
	v, ok := minor(m)
	most, _ := minor(limit)
	return ok && v > 0 && v <= most
}

func splitComma(s string) []string {
	var out []string
	for _, p := range strings.Split(s, ",") {
		if p = strings.TrimSpace(p); p != "" {
			out = append(out, p)
		}
	}
	return out
}
