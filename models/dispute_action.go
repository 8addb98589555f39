package models

import (
	"context"
	"encoding/json"
	"errors"
	"fmt"
	"slices"
	"strings"
	"time"

	"github.com/chatshop/chatshop/dispute"
	"github.com/chatshop/chatshop/money"
)

// DisputeAction is a seller action an admin asked for; the worker carries it out through PayPal's
// Disputes API.
type DisputeAction struct {
	ID          int64
	DisputeID   int64
	Kind        string // one of dispute.Actions
	Input       string // ActionInput as JSON
	Status      string // queued, done, failed
	Error       string
	Attempts    int
	RequestedBy *int64
	CreatedAt   time.Time
	DoneAt      *time.Time
}

// Statuses of a dispute action.
const (
	ActionQueued = "queued"
	ActionDone   = "done"
	ActionFailed = "failed"
)

// ActionRow is an action as the dispute page lists it, with who asked for it.
type ActionRow struct {
	DisputeAction
	Requester string
}

// ActionInput is what the admin filled in for an action.
type ActionInput struct {
	Note string `json:"note,omitempty"`
	// Amount is the amount as typed, read in the dispute's currency into AmountMinor: for accepting
	// the claim a partial refund (0 = all), for an offer the amount.
	Amount         string  `json:"-"`
	AmountMinor    int64   `json:"amount_minor,omitempty"`
	OfferType      string  `json:"offer_type,omitempty"`
	EvidenceType   string  `json:"evidence_type,omitempty"`
	Carrier        string  `json:"carrier,omitempty"`
	TrackingNumber string  `json:"tracking_number,omitempty"`
	FileIDs        []int64 `json:"file_ids,omitempty"`
}

// Params reads back what the admin asked.
func (a *DisputeAction) Params() ActionInput {
	var in ActionInput
	_ = json.Unmarshal([]byte(a.Input), &in)
	return in
}

// OfferTypes are the offers a seller can make in an inquiry.
var OfferTypes = []string{"REFUND", "REFUND_WITH_RETURN", "REFUND_WITH_REPLACEMENT", "REPLACEMENT_WITHOUT_REFUND"}

// EvidenceKinds are the evidence types the console offers.
var EvidenceKinds = []string{"PROOF_OF_FULFILLMENT", "PROOF_OF_REFUND", "OTHER"}

// ActionError is an action refused before anything is sent: the field it is about ("" for the
// action itself) and why, in words.
type ActionError struct{ Field, Message string }

func (e *ActionError) Error() string { return e.Message }

// ErrActionPending means another action of the dispute is still on its way to PayPal.
var ErrActionPending = &ActionError{Message: "Another action on this dispute is still on its way to PayPal; wait for its outcome."}

// CheckDisputeAction checks an action as RequestDisputeAction would, sending and keeping nothing:
// the confirmation step shows what will be sent. It returns the dispute and the input as it will go.
func (s *Store) CheckDisputeAction(ctx context.Context, disputeID int64, kind string, in ActionInput) (*Dispute, ActionInput, error) {
	d, err := s.reading(ctx).checkAction(disputeID, kind, &in)
	return d, in, err
}

// RequestDisputeAction asks for a seller action on a dispute and enqueues its PayPal call in the
// same transaction, with an audit event. An action PayPal does not allow in the dispute's stage
// and status, or an input PayPal would refuse, is an *ActionError and nothing is kept or sent.
func (s *Store) RequestDisputeAction(ctx context.Context, disputeID int64, kind string, in ActionInput, by Actor,
	enqueue func(ctx context.Context, tx *Tx, actionID int64) error) (*DisputeAction, error) {
	var a DisputeAction
	err := s.Transaction(ctx, func(tx *Tx) error {
		d, err := tx.checkAction(disputeID, kind, &in)
		if err != nil {
			return err
		}
		raw, err := json.Marshal(in)
		if err != nil {
			return err
		}
		a = DisputeAction{DisputeID: d.ID, Kind: kind, Input: string(raw), Status: ActionQueued, RequestedBy: by.userID(), CreatedAt: tx.now()}
		if err := tx.db.Create(&a).Error; err != nil {
			return err
		}
		what := DescribeAction(d, kind, in)
		if err := tx.disputeEntry(d.ID, EntryAction, "Asked PayPal: "+what+".", by.userID()); err != nil {
			return err
		}
		if err := tx.audit(d.ShopID, by, AuditDisputeAction, d.PayPalID, what, tx.now()); err != nil {
			return err
		}
		tx.disputeChanged(d.ShopID)
		return enqueue(ctx, tx, a.ID)
	})
	if err != nil {
		return nil, err
	}
	return &a, nil
}

// checkAction loads the dispute and refuses an action PayPal does not allow now, one while another
// is on its way, or an input PayPal would refuse.
func (tx *Tx) checkAction(disputeID int64, kind string, in *ActionInput) (*Dispute, error) {
	var d Dispute
	if err := tx.db.Take(&d, disputeID).Error; err != nil {
		return nil, translate(err)
	}
	if !slices.Contains(dispute.Actions, kind) || !d.Allows(kind) {
		return nil, &ActionError{Message: fmt.Sprintf("PayPal does not allow “%s” on this dispute now (%s).",
			dispute.ActionText(kind), dispute.MidSentence(d.Summary()))}
	}
	var pending int64
	if err := tx.db.Model(&DisputeAction{}).Where("dispute_id = ? AND status = ?", d.ID, ActionQueued).Count(&pending).Error; err != nil {
		return nil, err
	}
	if pending > 0 {
		return nil, ErrActionPending
	}
	return &d, tx.validateAction(&d, kind, in)
}

// validateAction checks an action's input as PayPal would, and trims it.
func (tx *Tx) validateAction(d *Dispute, kind string, in *ActionInput) error {
	in.Note, in.Carrier, in.TrackingNumber = strings.TrimSpace(in.Note), strings.TrimSpace(in.Carrier), strings.TrimSpace(in.TrackingNumber)
	if len([]rune(in.Note)) > MaxNoteText {
		return &ActionError{Field: "note", Message: fmt.Sprintf("Keep it to %d characters.", MaxNoteText)}
	}
	needNote := func(what string) error {
		if in.Note == "" {
			return &ActionError{Field: "note", Message: what}
		}
		return nil
	}
	if in.Amount != "" {
		minor, err := money.ParseAmount(in.Amount, d.Currency)
		if err != nil || minor <= 0 {
			return &ActionError{Field: "amount", Message: "Enter an amount like 12.50."}
		}
		in.AmountMinor = minor
	}
	amount := func(required bool) error {
		if in.AmountMinor == 0 && !required {
			return nil
		}
		if in.AmountMinor <= 0 || in.AmountMinor > d.AmountMinor {
			return &ActionError{Field: "amount", Message: "Enter an amount above zero and at most the disputed " + d.Amount().String() + "."}
		}
		return nil
	}
	switch kind {
	case dispute.SendMessage:
		in.AmountMinor, in.FileIDs = 0, nil
		return needNote("Write the message to the buyer.")
	case dispute.Escalate:
		in.AmountMinor, in.FileIDs = 0, nil
		return needNote("Say why PayPal should review the case.")
	case dispute.AcceptClaim:
		in.FileIDs = nil
		return amount(false)
	case dispute.MakeOffer:
		in.FileIDs = nil
		if !slices.Contains(OfferTypes, in.OfferType) {
			return &ActionError{Field: "offer_type", Message: "Choose what you offer."}
		}
		if in.OfferType == "REPLACEMENT_WITHOUT_REFUND" {
			in.AmountMinor = 0
		} else if err := amount(true); err != nil {
			return err
		}
		return needNote("Tell the buyer what you offer.")
	case dispute.ProvideEvidence:
		return tx.validateEvidence(d, in)
	}
	return &ActionError{Message: "Unknown action."}
}

func (tx *Tx) validateEvidence(d *Dispute, in *ActionInput) error {
	in.AmountMinor = 0
	if !slices.Contains(EvidenceKinds, in.EvidenceType) {
		return &ActionError{Field: "evidence_type", Message: "Choose what the evidence proves."}
	}
	if (in.Carrier == "") != (in.TrackingNumber == "") {
		return &ActionError{Field: "tracking_number", Message: "Give both the carrier and the tracking number, or neither."}
	}
	in.FileIDs = slices.Compact(slices.Sorted(slices.Values(in.FileIDs)))
	var files []DisputeFile
	if len(in.FileIDs) > 0 {
		if err := tx.db.Select("id, size, action_id").Where("dispute_id = ? AND id IN ?", d.ID, in.FileIDs).Find(&files).Error; err != nil {
			return err
		}
	}
	var total int64
	for _, f := range files {
		if f.ActionID != nil {
			return &ActionError{Field: "files", Message: "A chosen file was sent already."}
		}
		total += f.Size
	}
	switch {
	case len(files) != len(in.FileIDs):
		return &ActionError{Field: "files", Message: "A chosen file is not one of this dispute's."}
	case total > EvidenceTotalLimit:
		return &ActionError{Field: "files", Message: "PayPal takes at most 50 MB of files at once; send fewer."}
	case in.Note == "" && len(files) == 0 && in.TrackingNumber == "":
		return &ActionError{Field: "note", Message: "Add a note, a tracking number or a file: evidence needs something in it."}
	}
	return nil
}

// DescribeAction says what an action asks of PayPal, for the timeline and the audit log.
func DescribeAction(d *Dispute, kind string, in ActionInput) string {
	what := strings.ToLower(dispute.ActionText(kind))
	amount := func(minor int64) string { return money.Money{Minor: minor, Currency: d.Currency}.String() }
	switch kind {
	case dispute.AcceptClaim:
		if in.AmountMinor > 0 && in.AmountMinor < d.AmountMinor {
			return what + ", refunding " + amount(in.AmountMinor) + " of " + amount(d.AmountMinor)
		}
		return what + ", refunding " + amount(d.AmountMinor)
	case dispute.MakeOffer:
		what += ": " + strings.ToLower(strings.ReplaceAll(in.OfferType, "_", " "))
		if in.AmountMinor > 0 {
			what += " of " + amount(in.AmountMinor)
		}
	case dispute.ProvideEvidence:
		what += " (" + strings.ToLower(strings.ReplaceAll(in.EvidenceType, "_", " "))
		if in.TrackingNumber != "" {
			what += ", " + in.Carrier + " " + in.TrackingNumber
		}
		if n := len(in.FileIDs); n > 0 {
			what += fmt.Sprintf(", %d file(s)", n)
		}
		what += ")"
	}
	return what
}

// DisputeActionWork is what the worker needs to carry out an action.
type DisputeActionWork struct {
	Action  *DisputeAction
	Dispute *Dispute
	Files   []DisputeFile // with their bytes
}

// DisputeActionWork loads an action, its dispute and the files it sends.
func (s *Store) DisputeActionWork(ctx context.Context, actionID int64) (*DisputeActionWork, error) {
	db := s.r.WithContext(ctx)
	w := &DisputeActionWork{Action: &DisputeAction{}, Dispute: &Dispute{}}
	if err := db.Take(w.Action, actionID).Error; err != nil {
		return nil, translate(err)
	}
	if err := db.Take(w.Dispute, w.Action.DisputeID).Error; err != nil {
		return nil, translate(err)
	}
	if ids := w.Action.Params().FileIDs; len(ids) > 0 {
		if err := db.Where("dispute_id = ? AND id IN ?", w.Dispute.ID, ids).Order("id").Find(&w.Files).Error; err != nil {
			return nil, err
		}
	}
	return w, nil
}

// DisputeActionDone records that PayPal took the action; its files are marked as sent.
func (s *Store) DisputeActionDone(ctx context.Context, w *DisputeActionWork, attempt int) error {
	return s.finishAction(ctx, w, map[string]any{"status": ActionDone, "attempts": attempt, "error": "", "done_at": s.nowUTC()},
		"PayPal took it: "+DescribeAction(w.Dispute, w.Action.Kind, w.Action.Params())+".")
}

// DisputeActionFailed records that PayPal refused the action, and why.
func (s *Store) DisputeActionFailed(ctx context.Context, w *DisputeActionWork, attempt int, why string) error {
	return s.finishAction(ctx, w, map[string]any{"status": ActionFailed, "attempts": attempt, "error": why, "done_at": s.nowUTC()},
		"PayPal refused “"+dispute.ActionText(w.Action.Kind)+"”: "+why)
}

// DisputeActionAttemptFailed records a failed attempt that will be retried.
func (s *Store) DisputeActionAttemptFailed(ctx context.Context, actionID int64, attempt int, why string) error {
	return s.w.WithContext(ctx).Model(&DisputeAction{}).Where("id = ? AND status = ?", actionID, ActionQueued).
		Updates(map[string]any{"attempts": attempt, "error": why}).Error
}

func (s *Store) finishAction(ctx context.Context, w *DisputeActionWork, changes map[string]any, entry string) error {
	return s.Transaction(ctx, func(tx *Tx) error {
		res := tx.db.Model(&DisputeAction{}).Where("id = ? AND status = ?", w.Action.ID, ActionQueued).Updates(changes)
		if res.Error != nil || res.RowsAffected == 0 {
			return res.Error // finished already
		}
		if changes["status"] == ActionDone && len(w.Files) > 0 {
			ids := make([]int64, len(w.Files))
			for i, f := range w.Files {
				ids[i] = f.ID
			}
			if err := tx.db.Model(&DisputeFile{}).Where("id IN ?", ids).Update("action_id", w.Action.ID).Error; err != nil {
				return err
			}
		}
		tx.disputeChanged(w.Dispute.ShopID)
		return tx.disputeEntry(w.Dispute.ID, EntryAction, entry, nil)
	})
}

// ApplyDisputeRead records a dispute as read from PayPal's API, outside any event.
func (s *Store) ApplyDisputeRead(ctx context.Context, shopID int64, r DisputeReport) error {
	return s.Transaction(ctx, func(tx *Tx) error {
		_, err := tx.ApplyDispute(shopID, 0, r)
		if errors.Is(err, ErrNotFound) {
			return nil // the id belongs to another shop: nothing to record
		}
		return err
	})
}
