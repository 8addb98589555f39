package sandbox

import (
	"errors"
	"net/http"
	"strings"

	"github.com/labstack/echo/v4"

	"github.com/chatshop/chatshop/money"
	"github.com/chatshop/chatshop/sandbox/sandboxdb"
	"github.com/chatshop/chatshop/sandbox/views"
	"github.com/chatshop/chatshop/views/render"
)

// buyerReasons are the dispute reasons a buyer picks from, in a buyer's words.
var buyerReasons = []views.ResolutionReason{
	{Code: "MERCHANDISE_OR_SERVICE_NOT_RECEIVED", Label: "I didn't receive it"},
	{Code: "MERCHANDISE_OR_SERVICE_NOT_AS_DESCRIBED", Label: "It's not as described"},
	{Code: "UNAUTHORISED", Label: "I didn't make this payment"},
	{Code: "INCORRECT_AMOUNT", Label: "I was charged the wrong amount"},
	{Code: "DUPLICATE_TRANSACTION", Label: "I was charged twice"},
}

// ResolutionCenter is GET /sandbox/paypal/resolutioncenter: the latest sandbox payments, each with
// its dispute or a form to report a problem.
func (s *Sandbox) ResolutionCenter(c echo.Context) error {
	ps, err := s.dir.SandboxPayments(c.Request().Context(), 30)
	if err != nil {
		return err
	}
	vm := views.SandboxResolution{Reasons: buyerReasons, Opened: c.QueryParam("opened"), Decided: c.QueryParam("decided")}
	for _, p := range ps {
		vm.Payments = append(vm.Payments, views.ResolutionPayment{CaptureID: p.CaptureID, Merchant: s.merchantName(c, p.MerchantID),
			Amount: money.Money{Minor: p.AmountMinor, Currency: p.Currency}.String(), Date: p.CreatedAt.Format("Jan 2, 2006 15:04"),
			Status: strings.ReplaceAll(strings.ToLower(p.Status), "_", " "), DisputeID: p.DisputeID,
			DisputeStatus: strings.ReplaceAll(strings.ToLower(p.DisputeStatus), "_", " "),
			Disputable:    p.Status == "COMPLETED" || p.Status == "PARTIALLY_REFUNDED",
			Decidable:     p.DisputeID != "" && p.DisputeStatus != "RESOLVED"})
	}
	return render.Render(c, http.StatusOK, views.SandboxResolutionPage(vm))
}

// ReportProblem is POST /sandbox/paypal/resolutioncenter: the buyer opens a dispute (an inquiry).
func (s *Sandbox) ReportProblem(c echo.Context) error {
	d, err := s.openDispute(c, c.FormValue("capture_id"), c.FormValue("reason"), "", strings.TrimSpace(c.FormValue("message")), "")
	if err != nil {
		return err
	}
	return c.Redirect(http.StatusSeeOther, "/sandbox/paypal/resolutioncenter?opened="+d.DisputeID)
}

// Decide is POST /sandbox/paypal/resolutioncenter/decide {dispute_id, outcome}: PayPal's review of
// an open case ends, for the buyer (BUYER_FAVOR: the capture is reversed) or the seller.
func (s *Sandbox) Decide(c echo.Context) error {
	d, row, err := s.loadDispute(c, c.FormValue("dispute_id"))
	if errors.Is(err, sandboxdb.ErrNotFound) {
		return echo.NewHTTPError(http.StatusNotFound, "no dispute "+c.FormValue("dispute_id"))
	} else if err != nil {
		return err
	}
	if d.Status == "RESOLVED" {
		return echo.NewHTTPError(http.StatusConflict, "the case is resolved already")
	}
	if bad := s.adjudicate(c, d, c.FormValue("outcome")); bad != nil {
		return echo.NewHTTPError(http.StatusUnprocessableEntity, bad[0].Description)
	}
	if err := s.publishDispute(c, row, d); err != nil {
		return err
	}
	return c.Redirect(http.StatusSeeOther, "/sandbox/paypal/resolutioncenter?decided="+d.DisputeID)
}
