package sandbox

import (
	"encoding/json"
	"errors"
	"fmt"
	"net/http"
	"slices"
	"strconv"
	"time"

	"github.com/labstack/echo/v4"

	"github.com/chatshop/chatshop/sandbox/sandboxdb"
)

// Disputes v1 (customer_disputes_v1.json): a sandbox buyer opens a dispute on a capture (control
// API), the merchant reads and answers it through PayPal's seller actions, allowed by the
// dispute's stage and status, and the sandbox settles it. Each change sends CUSTOMER.DISPUTE.*.
type (
	disputeTransaction struct {
		BuyerTransactionID  string       `json:"buyer_transaction_id,omitempty"`
		SellerTransactionID string       `json:"seller_transaction_id"`
		CreateTime          string       `json:"create_time,omitempty"`
		TransactionStatus   string       `json:"transaction_status,omitempty"`
		GrossAmount         *paypalMoney `json:"gross_amount,omitempty"`
		Custom              string       `json:"custom,omitempty"`
		Buyer               *struct {
			Name string `json:"name,omitempty"`
		} `json:"buyer,omitempty"`
		Seller struct {
			Email      string `json:"email,omitempty"`
			MerchantID string `json:"merchant_id"`
			Name       string `json:"name,omitempty"`
		} `json:"seller"`
		Items                    []any `json:"items"` // real disputes carry [] (the spec says at least one)
		SellerProtectionEligible bool  `json:"seller_protection_eligible"`
	}
	disputeMessage struct {
		PostedBy   string `json:"posted_by"`
		TimePosted string `json:"time_posted"`
		Content    string `json:"content,omitempty"`
		Documents  []doc  `json:"documents,omitempty"`
	}
	doc struct {
		Name string `json:"name"`
	}
	evidence struct {
		EvidenceType string          `json:"evidence_type"`
		EvidenceInfo json.RawMessage `json:"evidence_info,omitempty"`
		Notes        string          `json:"notes,omitempty"`
		Documents    []doc           `json:"documents,omitempty"`
		Date         string          `json:"date,omitempty"`
	}
	dispute struct {
		DisputeID            string               `json:"dispute_id"`
		CreateTime           string               `json:"create_time"`
		UpdateTime           string               `json:"update_time"`
		DisputedTransactions []disputeTransaction `json:"disputed_transactions"`
		Reason               string               `json:"reason"`
		Status               string               `json:"status"`
		DisputeState         string               `json:"dispute_state,omitempty"`
		DisputeAmount        paypalMoney          `json:"dispute_amount"`
		DisputeOutcome       *struct {
			OutcomeCode    string       `json:"outcome_code"`
			AmountRefunded *paypalMoney `json:"amount_refunded,omitempty"`
		} `json:"dispute_outcome,omitempty"`
		Adjudications          []map[string]any `json:"adjudications,omitempty"`
		MoneyMovements         []map[string]any `json:"money_movements,omitempty"`
		DisputeLifeCycleStage  string           `json:"dispute_life_cycle_stage"`
		DisputeChannel         string           `json:"dispute_channel"`
		Messages               []disputeMessage `json:"messages,omitempty"`
		Evidences              []evidence       `json:"evidences,omitempty"`
		BuyerResponseDueDate   string           `json:"buyer_response_due_date,omitempty"`
		SellerResponseDueDate  string           `json:"seller_response_due_date,omitempty"`
		Offer                  map[string]any   `json:"offer,omitempty"`
		AllowedResponseOptions map[string]any   `json:"allowed_response_options,omitempty"`
		Links                  []link           `json:"links,omitempty"`
	}
)

// disputeReasons are PayPal's dispute reasons.
var disputeReasons = []string{"MERCHANDISE_OR_SERVICE_NOT_RECEIVED", "MERCHANDISE_OR_SERVICE_NOT_AS_DESCRIBED", "UNAUTHORISED",
	"CREDIT_NOT_PROCESSED", "DUPLICATE_TRANSACTION", "INCORRECT_AMOUNT", "PAYMENT_BY_OTHER_MEANS", "CANCELED_RECURRING_BILLING",
	"PROBLEM_WITH_REMITTANCE", "OTHER"}

// sellerResponseDays is how long the merchant has to answer.
const sellerResponseDays = 10

func disputeTime(t time.Time) string { return t.UTC().Format("2006-01-02T15:04:05.000Z") }

// OpenDisputeAPI is the control API POST /sandbox/paypal/api/disputes {capture_id, reason?,
// amount?, message?, stage?}: the buyer of a capture opens a dispute (an INQUIRY unless stage says
// CHARGEBACK), and the merchant is told with CUSTOMER.DISPUTE.CREATED.
func (s *Sandbox) OpenDisputeAPI(c echo.Context) error {
	var req struct {
		CaptureID string `json:"capture_id"`
		Reason    string `json:"reason"`
		Amount    string `json:"amount"`
		Message   string `json:"message"`
		Stage     string `json:"stage"`
	}
	if err := json.NewDecoder(c.Request().Body).Decode(&req); err != nil || req.CaptureID == "" {
		return echo.NewHTTPError(http.StatusUnprocessableEntity, `send {"capture_id": "...", "reason": "MERCHANDISE_OR_SERVICE_NOT_RECEIVED", "amount": "12.00", "message": "..."}`)
	}
	d, err := s.openDispute(c, req.CaptureID, req.Reason, req.Amount, req.Message, req.Stage)
	if err != nil {
		return err
	}
	return c.JSON(http.StatusCreated, map[string]string{"dispute_id": d.DisputeID, "status": d.Status, "stage": d.DisputeLifeCycleStage})
}

func (s *Sandbox) openDispute(c echo.Context, captureID, reason, amount, message, stage string) (*dispute, error) {
	ctx := c.Request().Context()
	capt, err := s.dir.SandboxCaptureByID(ctx, captureID)
	if errors.Is(err, sandboxdb.ErrNotFound) {
		return nil, echo.NewHTTPError(http.StatusNotFound, "no capture "+captureID)
	} else if err != nil {
		return nil, err
	}
	if capt.Status != "COMPLETED" && capt.Status != "PARTIALLY_REFUNDED" {
		return nil, echo.NewHTTPError(http.StatusConflict, "a "+capt.Status+" capture cannot be disputed")
	}
	if reason == "" {
		reason = "MERCHANDISE_OR_SERVICE_NOT_RECEIVED"
	}
	if !slices.Contains(disputeReasons, reason) {
		return nil, echo.NewHTTPError(http.StatusUnprocessableEntity, fmt.Sprintf("reason must be one of %v", disputeReasons))
	}
	switch stage {
	case "":
		stage = "INQUIRY"
	case "INQUIRY", "CHARGEBACK":
	default:
		return nil, echo.NewHTTPError(http.StatusUnprocessableEntity, "stage must be INQUIRY or CHARGEBACK")
	}
	disputed := capt.AmountMinor - capt.RefundedMinor
	if amount != "" {
		v, ok := minor(paypalMoney{CurrencyCode: capt.Currency, Value: amount})
		if !ok || v <= 0 || v > disputed {
			return nil, echo.NewHTTPError(http.StatusUnprocessableEntity, "amount must be a positive decimal no larger than what was paid and not refunded")
		}
		disputed = v
	}
	var captured capture
	if err := json.Unmarshal([]byte(capt.Body), &captured); err != nil {
		return nil, err
	}
	now := time.Now()
	buyerName := Buyers[0].Name
	if o, _, err := s.loadOrder(ctx, capt.OrderID); err == nil && o.Payer != nil && o.Payer.Name != nil {
		buyerName = o.Payer.Name.GivenName + " " + o.Payer.Name.Surname
	}
	gross := amountOf(capt.AmountMinor, capt.Currency)
	tx := disputeTransaction{BuyerTransactionID: payPalID(), SellerTransactionID: capt.ID, CreateTime: captured.CreateTime,
		TransactionStatus: "COMPLETED", GrossAmount: &gross, Custom: captured.CustomID, Items: []any{}, SellerProtectionEligible: true,
		Buyer: &struct {
			Name string `json:"name,omitempty"`
		}{buyerName}}
	tx.Seller.MerchantID, tx.Seller.Email = capt.MerchantID, sandboxdb.MerchantEmail(capt.MerchantID)
	tx.Seller.Name = s.merchantName(c, capt.MerchantID)
	d := &dispute{DisputeID: "PP-D-" + strconv.FormatInt(now.UnixNano()%1e8, 10), CreateTime: disputeTime(now), UpdateTime: disputeTime(now),
		DisputedTransactions: []disputeTransaction{tx}, Reason: reason, Status: "WAITING_FOR_SELLER_RESPONSE",
		DisputeAmount: amountOf(disputed, capt.Currency), DisputeLifeCycleStage: stage, DisputeChannel: "INTERNAL",
		SellerResponseDueDate: disputeTime(now.Add(sellerResponseDays * 24 * time.Hour))}
	if message != "" {
		d.Messages = []disputeMessage{{PostedBy: "BUYER", TimePosted: disputeTime(now), Content: message}}
	}
	row := &sandboxdb.Dispute{ID: d.DisputeID, CaptureID: capt.ID, MerchantID: capt.MerchantID}
	if err := s.saveDispute(c, row, d, true); err != nil {
		return nil, err
	}
	return d, s.emitDispute("CUSTOMER.DISPUTE.CREATED", d)
}

// GetDispute is GET /v1/customer/disputes/:id; another merchant's dispute is not found.
func (s *Sandbox) GetDispute(c echo.Context) error {
	d, _, err := s.loadDispute(c, c.Param("id"))
	if errors.Is(err, sandboxdb.ErrNotFound) {
		return payPalIssues(c, http.StatusNotFound, notFound("dispute_id", c.Param("id"), "path"))
	} else if err != nil {
		return err
	}
	return c.JSON(http.StatusOK, s.disputeView(d))
}

// ListDisputes is GET /v1/customer/disputes?disputed_transaction_id=&dispute_state=&page_size=:
// the merchant's disputes (PayPal-Auth-Assertion), newest first, as dispute_info items.
func (s *Sandbox) ListDisputes(c echo.Context) error {
	size := 10
	if v := c.QueryParam("page_size"); v != "" {
		n, err := strconv.Atoi(v)
		if err != nil || n < 1 || n > 50 {
			return payPalIssues(c, http.StatusBadRequest, []issue{{Field: "page_size", Value: v, Location: "query",
				Issue: "INVALID_PARAMETER_VALUE", Description: "page_size must be between 1 and 50."}})
		}
		size = n
	}
	rows, err := s.dir.SandboxDisputes(c.Request().Context(), assertedMerchant(c), c.QueryParam("disputed_transaction_id"), size)
	if err != nil {
		return err
	}
	states := c.QueryParam("dispute_state")
	items := []map[string]any{}
	for _, row := range rows {
		var d dispute
		if err := json.Unmarshal([]byte(row.Body), &d); err != nil {
			return err
		}
		v := s.disputeView(&d)
		if states != "" && !slices.Contains(splitComma(states), v.DisputeState) {
			continue
		}
		items = append(items, map[string]any{"dispute_id": v.DisputeID, "create_time": v.CreateTime, "update_time": v.UpdateTime,
			"reason": v.Reason, "status": v.Status, "dispute_state": v.DisputeState, "dispute_amount": v.DisputeAmount,
			"dispute_life_cycle_stage": v.DisputeLifeCycleStage, "dispute_channel": v.DisputeChannel,
			"seller_response_due_date": v.SellerResponseDueDate, "links": []link{v.Links[0]}})
	}
	self := s.cfg.PayPalAPIBase + "/v1/customer/disputes"
	return c.JSON(http.StatusOK, map[string]any{"items": items, "links": []link{{self, "self", "GET"}}})
}

// disputeView adds what depends on the dispute's state: the seller's dispute_state, the allowed
// response options and the links of the actions allowed now.
func (s *Sandbox) disputeView(d *dispute) *dispute {
	base := s.cfg.PayPalAPIBase + "/v1/customer/disputes/" + d.DisputeID
	d.Links = []link{{base, "self", "GET"}}
	actions := allowedActions(d)
	for _, a := range actions {
		d.Links = append(d.Links, link{base + "/" + a.path, a.rel, "POST"})
	}
	switch {
	case d.Status == "RESOLVED":
		d.DisputeState = "RESOLVED"
	case d.Status == "UNDER_REVIEW":
		d.DisputeState = "UNDER_PAYPAL_REVIEW"
	case d.Status == "WAITING_FOR_BUYER_RESPONSE":
		d.DisputeState = "REQUIRED_OTHER_PARTY_ACTION"
	default:
		d.DisputeState = "REQUIRED_ACTION"
	}
	d.AllowedResponseOptions = nil
	if slices.ContainsFunc(actions, func(a sellerAction) bool { return a.rel == "accept_claim" }) {
		d.AllowedResponseOptions = map[string]any{"accept_claim": map[string]any{"accept_claim_types": []string{"REFUND", "PARTIAL_REFUND"}}}
		if slices.ContainsFunc(actions, func(a sellerAction) bool { return a.rel == "make_offer" }) {
			d.AllowedResponseOptions["make_offer"] = map[string]any{"offer_types": []string{"REFUND", "REFUND_WITH_RETURN", "REFUND_WITH_REPLACEMENT", "REPLACEMENT_WITHOUT_REFUND"}}
		}
	}
	return d
}

func (s *Sandbox) loadDispute(c echo.Context, id string) (*dispute, *sandboxdb.Dispute, error) {
	row, err := s.dir.SandboxDisputeByID(c.Request().Context(), id)
	if err != nil {
		return nil, nil, err
	}
	if othersOf(c, row.MerchantID) {
		return nil, nil, sandboxdb.ErrNotFound
	}
	var d dispute
	if err := json.Unmarshal([]byte(row.Body), &d); err != nil {
		return nil, nil, err
	}
	return &d, row, nil
}

// saveDispute stores a new dispute or its next state; errDisputeChanged if another action got there first.
func (s *Sandbox) saveDispute(c echo.Context, row *sandboxdb.Dispute, d *dispute, create bool) error {
	d.Links, d.AllowedResponseOptions, d.DisputeState = nil, nil, ""
	body, err := json.Marshal(d)
	if err != nil {
		return err
	}
	row.Status, row.Stage, row.Body = d.Status, d.DisputeLifeCycleStage, string(body)
	if create {
		return s.dir.CreateSandboxDispute(c.Request().Context(), row)
	}
	saved, err := s.dir.UpdateSandboxDispute(c.Request().Context(), row)
	if err == nil && !saved {
		return errDisputeChanged
	}
	return err
}

var errDisputeChanged = errors.New("the dispute changed meanwhile")

// emitDispute sends a dispute event with the dispute as GET shows it.
func (s *Sandbox) emitDispute(eventType string, d *dispute) error {
	resource, err := json.Marshal(s.disputeView(d))
	if err != nil {
		return err
	}
	_, err = s.emitPayPal(eventType, resource)
	return err
}
