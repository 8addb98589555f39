package models

import (
	"errors"
	"fmt"
	"math"
	"slices"
	"strings"
	"time"

	"github.com/chatshop/chatshop/dispute"
	"github.com/chatshop/chatshop/live"
	"github.com/chatshop/chatshop/money"
)

// Dispute is a PayPal dispute on one of a shop's payments, as PayPal last reported it.
type Dispute struct {
	ID              int64
	ShopID          int64
	PayPalID        string `gorm:"column:paypal_id"`
	MerchantID      string
	CaptureID       string
	OrderID         *int64
	ShopperID       *int64
	Reason          string
	Status          string // OPEN, WAITING_FOR_SELLER_RESPONSE, WAITING_FOR_BUYER_RESPONSE, UNDER_REVIEW, RESOLVED, OTHER
	Stage           string // INQUIRY, CHARGEBACK, PRE_ARBITRATION, ARBITRATION
	AmountMinor     int64
	Currency        string
	ResponseDueAt   *time.Time
	DueKey          int64
	Outcome         string
	RefundedMinor   int64
	Allowed         string // the seller actions PayPal allows now (link rels), comma separated
	Body            string // the dispute's JSON as last read
	NotifiedState   string
	PayPalUpdatedAt time.Time `gorm:"column:paypal_updated_at"`
	OpenedAt        time.Time
	CreatedAt       time.Time
	UpdatedAt       time.Time
}

// Summary says where the dispute is, in a few words (dispute.Summary).
func (d *Dispute) Summary() string {
	return dispute.Summary(d.Stage, d.Status, d.Outcome, money.Money{Minor: d.RefundedMinor, Currency: d.Currency})
}

// Amount is the disputed amount.
func (d *Dispute) Amount() money.Money {
	return money.Money{Minor: d.AmountMinor, Currency: d.Currency}
}

// Allows reports whether PayPal allowed the action when the dispute was last read.
func (d *Dispute) Allows(action string) bool {
	return slices.Contains(strings.Split(d.Allowed, ","), action)
}

// Open is a dispute not resolved yet.
func (d *Dispute) Open() bool { return d.Status != dispute.Resolved }

func (d *Dispute) state() string { return d.Status + "/" + d.Stage + "/" + d.Outcome }

// noDeadline is the queue key of a dispute with no response due: after every deadline.
const noDeadline = math.MaxInt64

// DisputeReport is what PayPal says of a dispute (a webhook's resource or a read), in our units.
type DisputeReport struct {
	PayPalID, MerchantID, CaptureID, CustomID string
	Reason, Status, Stage, Outcome            string
	AmountMinor, RefundedMinor                int64
	Currency                                  string
	ResponseDue                               *time.Time
	Allowed                                   []string
	Body                                      string
	OpenedAt, UpdatedAt                       time.Time
}

// DisputeApplied tells what applying a report did.
type DisputeApplied struct {
	Dispute *Dispute
	// Stale: PayPal already told of a later state, so the report changed nothing.
	Stale bool
}

// ApplyDispute records what PayPal reports of a dispute of the shop, in the transaction of the
// event that brought it (eventID) or of a read (eventID 0). A report older than what is stored
// changes nothing and says so. The dispute is linked to the shop's order and shopper through the
// payment's custom_id or capture id. When an event finds the dispute opened or changed since the
// shop was last told, the shop's feed gets a notification.
func (tx *Tx) ApplyDispute(shopID, eventID int64, r DisputeReport) (DisputeApplied, error) {
	at := tx.now()
	var d Dispute
	err := tx.db.Where("paypal_id = ?", r.PayPalID).Take(&d).Error
	created := errors.Is(translate(err), ErrNotFound)
	switch {
	case created:
		d = Dispute{ShopID: shopID, PayPalID: r.PayPalID, CreatedAt: at, OpenedAt: r.OpenedAt}
		if d.OpenedAt.IsZero() {
			d.OpenedAt = at
		}
	case err != nil:
		return DisputeApplied{}, err
	case d.ShopID != shopID:
		return DisputeApplied{}, ErrNotFound // another shop's dispute id: never cross it
	case r.UpdatedAt.Before(d.PayPalUpdatedAt):
		return DisputeApplied{Dispute: &d, Stale: true}, tx.notifyDispute(&d, eventID, at)
	}
	before := d.state()
	d.MerchantID, d.CaptureID, d.Reason = r.MerchantID, r.CaptureID, r.Reason
	d.Status, d.Stage, d.Outcome = r.Status, r.Stage, r.Outcome
	d.AmountMinor, d.Currency, d.RefundedMinor = r.AmountMinor, r.Currency, r.RefundedMinor
	d.ResponseDueAt, d.DueKey = r.ResponseDue, noDeadline
	if r.ResponseDue != nil && d.Open() {
		d.DueKey = r.ResponseDue.Unix()
	}
	d.Allowed, d.Body, d.PayPalUpdatedAt, d.UpdatedAt = strings.Join(r.Allowed, ","), r.Body, r.UpdatedAt, at
	if d.OrderID == nil {
		if o, err := tx.FindOrder(shopID, OrderRef{CustomID: r.CustomID, CaptureID: r.CaptureID}); err == nil {
			d.OrderID, d.ShopperID = &o.ID, &o.ShopperID
		} else if !errors.Is(err, ErrNotFound) {
			return DisputeApplied{}, err
		}
	}
	if err := tx.db.Save(&d).Error; err != nil {
		return DisputeApplied{}, err
	}
	switch {
	case created:
		err = tx.disputeEntry(d.ID, EntryPayPal, fmt.Sprintf("The buyer opened a dispute: %s, %s.", dispute.ReasonText(d.Reason), d.Amount()), nil)
	case before != d.state():
		err = tx.disputeEntry(d.ID, EntryPayPal, "PayPal: "+d.Summary()+".", nil)
	}
	if err != nil {
		return DisputeApplied{}, err
	}
	tx.disputeChanged(shopID)
	return DisputeApplied{Dispute: &d}, tx.notifyDispute(&d, eventID, at)
}

// notifyDispute puts the dispute in the shop's feed when an event finds it in a state the shop
// was not told of yet.
func (tx *Tx) notifyDispute(d *Dispute, eventID int64, at time.Time) error {
	if eventID == 0 || d.NotifiedState == d.state() {
		return nil
	}
	detail := "Dispute " + dispute.MidSentence(d.Summary())
	if d.NotifiedState == "" {
		detail = "Dispute opened: " + dispute.ReasonText(d.Reason)
	}
	n := PaymentNotification{ShopID: d.ShopID, EventID: eventID, Kind: NotificationDispute, CaptureID: d.CaptureID,
		AmountMinor: d.AmountMinor, Currency: d.Currency, DisputeID: &d.ID, Detail: detail, CreatedAt: at}
	if err := tx.db.Create(&n).Error; err != nil {
		return err
	}
	d.NotifiedState = d.state()
	tx.changed(d.ShopID, live.Notification)
	return tx.db.Model(&Dispute{}).Where("id = ?", d.ID).Update("notified_state", d.NotifiedState).Error
}

// DisputeEntry is one line of a dispute's timeline.
type DisputeEntry struct {
	ID        int64
	DisputeID int64
	Kind      string // paypal, note, file, action
	Text      string
	UserID    *int64
	CreatedAt time.Time
}

// DisputeHistory is a timeline entry with who wrote it (a member's name or email; "" for PayPal).
type DisputeHistory struct {
	DisputeEntry
	Author string
}

// Kinds of timeline entries.
const (
	EntryPayPal = "paypal"
	EntryNote   = "note"
	EntryFile   = "file"
	EntryAction = "action"
)

// disputeChanged tells the shop's pages and the admin console that a dispute changed.
func (tx *Tx) disputeChanged(shopID int64) {
	tx.changed(shopID, live.Dispute)
	tx.changed(live.Platform, live.Dispute)
}

func (tx *Tx) disputeEntry(disputeID int64, kind, text string, userID *int64) error {
	return tx.db.Create(&DisputeEntry{DisputeID: disputeID, Kind: kind, Text: text, UserID: userID, CreatedAt: tx.now()}).Error
}
