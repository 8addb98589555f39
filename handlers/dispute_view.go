package handlers

import (
	"cmp"
	"encoding/json"
	"fmt"
	"strings"
	"time"

	"github.com/labstack/echo/v4"

	"github.com/chatshop/chatshop/carrier"
	"github.com/chatshop/chatshop/dispute"
	"github.com/chatshop/chatshop/models"
	"github.com/chatshop/chatshop/money"
	"github.com/chatshop/chatshop/paypal"
	"github.com/chatshop/chatshop/views/layout"
	"github.com/chatshop/chatshop/views/pages"
)

// disputeView puts a dispute in the page's terms. Links into the shop's orders and shoppers are
// for the shop's own console; admins see those facts on the dispute page itself.
func (h *Handlers) disputeView(c echo.Context, dd *models.DisputeDetail, admin bool) pages.DisputeView {
	d := dd.Dispute
	base := disputeBase(admin)
	p := h.page(c, "Dispute "+d.PayPalID, "disputes", layout.ShopConsole)
	if admin {
		p = h.page(c, "Dispute "+d.PayPalID, "admin-disputes", layout.AdminConsole)
	}
	vm := pages.DisputeView{Page: p, Admin: admin, Base: base, Href: fmt.Sprintf("%s/%d", base, d.ID), PayPalID: d.PayPalID,
		Shop: dd.ShopName, Reason: dispute.ReasonText(d.Reason), Stage: dispute.StageText(d.Stage),
		Summary: d.Summary(), Status: dispute.StatusText(d.Status), StatusTone: disputeTone(d),
		Amount: d.Amount().String(), Due: d.ResponseDueAt, Now: h.now(), OpenedAt: d.OpenedAt, UpdatedAt: d.PayPalUpdatedAt, Open: d.Open(),
		CanEdit: admin || ViewerOf(c).Role == models.RoleOwner}
	if d.RefundedMinor > 0 {
		vm.Refunded = money.Money{Minor: d.RefundedMinor, Currency: d.Currency}.String()
	}
	if od := dd.Order; od != nil {
		vm.Order = disputeOrder(od, admin)
		for _, sh := range od.Shipments {
			if sh.Status != models.ShipmentCancelled {
				vm.ShippedWith, vm.ShippedTracking = carrier.Name(sh.Carrier, sh.CarrierName), sh.TrackingNumber
			}
		}
		vm.Shopper = &pages.DisputeShopper{Name: od.Shopper.DisplayName(), Email: od.Shopper.PayPalEmail, Country: od.Shopper.Country}
		if !admin {
			vm.Shopper.Href = fmt.Sprintf("/app/shoppers/%d", od.Shopper.ID)
		}
	}
	if dd.Thread != nil {
		for _, m := range dd.Thread.Messages {
			who := vm.Shopper.Name
			if m.Direction != "in" {
				who = cmp.Or(m.AuthorName, "Shop's bot")
			}
			vm.Transcript = append(vm.Transcript, pages.TranscriptLine{Inbound: m.Direction == "in", Text: m.Text, Who: who, At: m.CreatedAt})
		}
	}
	paypalSide(&vm, d)
	for _, f := range dd.Files {
		vm.Files = append(vm.Files, pages.EvidenceFileView{ID: f.ID, Name: f.Name, Size: models.FileSize(f.Size), Uploader: cmp.Or(f.Uploader, "chatshop"),
			Href: fmt.Sprintf("%s/files/%d", vm.Href, f.ID), At: f.CreatedAt, Sent: f.Sent()})
	}
	for _, e := range dd.Entries {
		item := pages.TimelineItem{At: e.CreatedAt, Kind: e.Kind, Who: e.Author, Text: e.Text}
		vm.Timeline = append(vm.Timeline, item)
		if e.Kind == models.EntryNote {
			vm.Notes = append(vm.Notes, item)
		}
	}
	for _, a := range dd.Actions {
		av := actionView(d, a)
		vm.Actions = append(vm.Actions, av)
		if a.Status == models.ActionQueued {
			vm.Pending = &av
		}
	}
	if admin {
		for _, kind := range dispute.Actions {
			if d.Allows(kind) {
				vm.Allowed = append(vm.Allowed, pages.ActionChoice{Kind: kind, Label: dispute.ActionText(kind), Help: actionHelp[kind]})
			}
		}
		for _, t := range models.OfferTypes {
			vm.OfferTypes = append(vm.OfferTypes, pages.Option{Value: t, Label: offerText[t]})
		}
		for _, t := range models.EvidenceKinds {
			vm.EvidenceFor = append(vm.EvidenceFor, pages.Option{Value: t, Label: evidenceText[t]})
		}
	}
	return vm
}

var actionHelp = map[string]string{
	dispute.ProvideEvidence: "— tracking, receipts, photos",
	dispute.SendMessage:     "— write to the buyer",
	dispute.MakeOffer:       "— a refund or a replacement",
	dispute.Escalate:        "— let PayPal decide",
	dispute.AcceptClaim:     "— refund the buyer",
}

var offerText = map[string]string{"REFUND": "Refund", "REFUND_WITH_RETURN": "Refund after the item is returned",
	"REFUND_WITH_REPLACEMENT": "Partial refund and a replacement", "REPLACEMENT_WITHOUT_REFUND": "Replacement, no refund"}

var evidenceText = map[string]string{"PROOF_OF_FULFILLMENT": "Proof of shipment or delivery", "PROOF_OF_REFUND": "Proof of a refund",
	"OTHER": "Something else"}

func disputeOrder(od *models.OrderDetail, admin bool) *pages.DisputeOrder {
	o := od.Order
	out := &pages.DisputeOrder{Number: o.Number(), Status: o.Status, Total: o.Total().String(), PaidWith: o.PaidWith,
		CaptureID: o.CaptureID, PlacedAt: o.CreatedAt, Lines: orderLines(o)}
	if !admin {
		out.Href = fmt.Sprintf("/app/orders/%d", o.ID)
	}
	if od.Payment != nil {
		out.PaymentStatus = strings.ReplaceAll(strings.ToLower(od.Payment.Status), "_", " ")
		if od.Payment.RefundedMinor > 0 {
			out.Refunded = money.Money{Minor: od.Payment.RefundedMinor, Currency: o.Currency}.String()
		}
	}
	return out
}

// paypalSide reads what only PayPal's dispute holds: the messages with the buyer, the evidence PayPal
// has, and an offer waiting for the buyer.
func paypalSide(vm *pages.DisputeView, d *models.Dispute) {
	var pd paypal.Dispute
	if json.Unmarshal([]byte(d.Body), &pd) != nil {
		return
	}
	for _, m := range pd.Messages {
		msg := pages.DisputeMessage{From: disputeParty(m.PostedBy), Text: m.Content, At: paypalTime(m.TimePosted)}
		for _, doc := range m.Documents {
			msg.Documents = append(msg.Documents, doc.Name)
		}
		vm.Messages = append(vm.Messages, msg)
	}
	for _, e := range pd.Evidences {
		ev := pages.SentEvidence{Type: cmp.Or(evidenceText[e.Type], e.Type), Notes: e.Notes, At: paypalTime(e.Date)}
		if e.Info != nil {
			for _, t := range e.Info.Tracking {
				ev.Tracking = strings.TrimSpace(t.CarrierName + " " + t.TrackingNumber)
			}
		}
		for _, doc := range e.Documents {
			ev.Documents = append(ev.Documents, doc.Name)
		}
		vm.Evidence = append(vm.Evidence, ev)
	}
	if pd.Offer != nil && d.Status == "WAITING_FOR_BUYER_RESPONSE" {
		vm.Offer = cmp.Or(offerText[pd.Offer.OfferType], pd.Offer.OfferType)
		if a := pd.Offer.SellerOfferedAmount; a != nil {
			vm.Offer += " of " + a.Value + " " + a.CurrencyCode
		}
	}
}

func disputeParty(postedBy string) string {
	return map[string]string{"BUYER": "Buyer", "SELLER": "Seller", "ARBITER": "PayPal"}[postedBy]
}

// paypalTime formats one of PayPal's timestamps for the page; as PayPal wrote it when unreadable.
func paypalTime(s string) string {
	t, err := time.Parse(time.RFC3339Nano, s)
	if err != nil {
		return s
	}
	return t.UTC().Format("Jan 2, 15:04")
}

func actionView(d *models.Dispute, a models.ActionRow) pages.ActionView {
	return pages.ActionView{Label: dispute.ActionText(a.Kind), What: models.DescribeAction(d, a.Kind, a.Params()),
		Status: a.Status, Error: a.Error, Who: cmp.Or(a.Requester, "chatshop"), At: a.CreatedAt}
}
