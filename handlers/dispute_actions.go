package handlers

import (
	"errors"
	"fmt"
	"net/http"
	"strconv"
	"strings"

	"github.com/labstack/echo/v4"

	"github.com/chatshop/chatshop/dispute"
	"github.com/chatshop/chatshop/models"
	"github.com/chatshop/chatshop/views/layout"
	"github.com/chatshop/chatshop/views/pages"
	"github.com/chatshop/chatshop/views/render"
)

// DisputeAction is an admin's action on a dispute: checked as PayPal would check it, confirmed on
// a page that says what will be sent, then handed to the worker with an audit event. An action the
// dispute's stage does not allow gets 422 and sends nothing.
func (h *Handlers) DisputeAction(c echo.Context) error {
	ctx := c.Request().Context()
	id, err := pathID(c)
	if err != nil {
		return err
	}
	form := actionForm(c)
	d, in, err := h.Admin.CheckDisputeAction(ctx, id, form.Kind, actionInput(form))
	if err == nil && c.FormValue("confirm") != "1" {
		return h.confirmAction(c, d, form, in)
	}
	if err == nil {
		_, err = h.Admin.RequestDisputeAction(ctx, id, form.Kind, in, actor(c), h.Jobs.EnqueueDisputeAction)
	}
	var problem *models.ActionError
	if errors.As(err, &problem) {
		form.Field, form.Problem = problem.Field, problem.Message
		return h.renderDispute(c, http.StatusUnprocessableEntity, disputeProblems{form: form})
	} else if err != nil {
		return err
	}
	h.flash(c, "success", dispute.ActionText(form.Kind)+": sent to PayPal. The outcome appears on this page.")
	return c.Redirect(http.StatusSeeOther, fmt.Sprintf("/admin/disputes/%d", id))
}

// actionForm reads the action's form as typed, to send it back with a problem or to confirm it.
func actionForm(c echo.Context) pages.ActionForm {
	f := pages.ActionForm{Kind: c.FormValue("kind"), Note: c.FormValue("note"), Amount: strings.TrimSpace(c.FormValue("amount")),
		OfferType: c.FormValue("offer_type"), EvidenceType: c.FormValue("evidence_type"), Carrier: c.FormValue("carrier"),
		TrackingNumber: c.FormValue("tracking_number")}
	if form, err := c.FormParams(); err == nil {
		for _, v := range form["file"] {
			if id, err := strconv.ParseInt(v, 10, 64); err == nil {
				f.FileIDs = append(f.FileIDs, id)
			}
		}
	}
	return f
}

// actionInput is the action's input as the form has it.
func actionInput(f pages.ActionForm) models.ActionInput {
	return models.ActionInput{Note: f.Note, Amount: f.Amount, OfferType: f.OfferType, EvidenceType: f.EvidenceType,
		Carrier: f.Carrier, TrackingNumber: f.TrackingNumber, FileIDs: f.FileIDs}
}

// confirmAction asks the admin to confirm what will be sent to PayPal.
func (h *Handlers) confirmAction(c echo.Context, d *models.Dispute, f pages.ActionForm, in models.ActionInput) error {
	page := fmt.Sprintf("/admin/disputes/%d", d.ID)
	hidden := []pages.HiddenField{{Name: "kind", Value: f.Kind}, {Name: "note", Value: f.Note}, {Name: "amount", Value: f.Amount},
		{Name: "offer_type", Value: f.OfferType}, {Name: "evidence_type", Value: f.EvidenceType}, {Name: "carrier", Value: f.Carrier},
		{Name: "tracking_number", Value: f.TrackingNumber}}
	for _, id := range in.FileIDs {
		hidden = append(hidden, pages.HiddenField{Name: "file", Value: strconv.FormatInt(id, 10)})
	}
	items := []string{"Dispute " + d.PayPalID + ": " + dispute.ReasonText(d.Reason) + ", " + d.Amount().String()}
	if in.Note != "" {
		items = append(items, "Note: "+in.Note)
	}
	if in.TrackingNumber != "" {
		items = append(items, "Tracking: "+in.Carrier+" "+in.TrackingNumber)
	}
	if len(in.FileIDs) > 0 {
		items = append(items, fmt.Sprintf("%d file(s) attached", len(in.FileIDs)))
	}
	what := models.DescribeAction(d, f.Kind, in)
	label := dispute.ActionText(f.Kind)
	return render.Render(c, http.StatusOK, pages.ConfirmPage(pages.Confirm{Page: h.page(c, label, "admin-disputes", layout.AdminConsole),
		Heading: label + "?", Message: "chatshop sends this to PayPal for the shop: " + what + ". PayPal's answer appears on the dispute.",
		Action: page + "/actions", Hidden: hidden, Button: label, Danger: f.Kind == dispute.AcceptClaim, Items: items, CancelTo: page}))
}
