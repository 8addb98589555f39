package handlers

import (
	"fmt"
	"net/http"
	"net/url"
	"strconv"

	"github.com/labstack/echo/v4"

	"github.com/chatshop/chatshop/models"
	"github.com/chatshop/chatshop/views/layout"
	"github.com/chatshop/chatshop/views/pages"
	"github.com/chatshop/chatshop/views/render"
)

const auditPerPage = 50

// auditActions names each audited action for people, in the order the filter offers them.
var auditActions = []struct{ action, label string }{
	{models.AuditSignedIn, "Signed in"},
	{models.AuditSignInFailed, "Failed sign-in"},
	{models.AuditSignInThrottled, "Sign-in throttled"},
	{models.AuditPasswordChanged, "Password changed"},
	{models.AuditSignedOutAll, "Signed out everywhere"},
	{models.AuditPasswordCheckFailed, "Wrong current password"},
	{models.AuditPasswordCheckThrottled, "Current password throttled"},
	{models.AuditSignedOutAfterGuesses, "Signed out after wrong passwords"},
	{models.AuditShopCreated, "Shop created"},
	{models.AuditInviteCreated, "Invited a teammate"},
	{models.AuditInviteRevoked, "Revoked an invite"},
	{models.AuditInviteAccepted, "Joined the team"},
	{models.AuditRoleChanged, "Changed a role"},
	{models.AuditMemberRemoved, "Removed a member"},
	{models.AuditConnectionChanged, "Changed a connection"},
	{models.AuditExported, "Exported data"},
	{models.AuditWebhookReplayed, "Replayed webhook events"},
	{models.AuditRefundRequested, "Asked for a refund"},
	{models.AuditShopUpdated, "Changed the shop's settings"},
	{models.AuditShopperUnlinked, "Unlinked a shopper's PayPal"},
	{models.AuditDisputeAction, "Answered a dispute"},
	{models.AuditDisputeEvidence, "Added dispute evidence"},
	{models.AuditDisputeNote, "Added a dispute note"},
	{models.AuditOrderShipped, "Shipped an order"},
	{models.AuditShipmentCancelled, "Cancelled a shipment"},
	{models.AuditShipmentDelivered, "Marked a parcel delivered"},
	{models.AuditProductCreated, "Added a product"},
	{models.AuditProductUpdated, "Edited a product"},
	{models.AuditProductsStatusChanged, "Changed products' status"},
	{models.AuditProductsDeleted, "Deleted products"},
	{models.AuditImportConfirmed, "Started a catalog import"},
	{models.AuditCatalogImported, "Imported a catalog"},
}

// auditWho is who acted: a person's email, or chatshop itself (the worker, an import, the demo).
func auditWho(email string) string {
	if email == "" {
		return "chatshop, automatically"
	}
	return email
}

func auditLabel(action string) string {
	for _, a := range auditActions {
		if a.action == action {
			return a.label
		}
	}
	return action
}

// ShowShopAudit lists the shop's audit log, for owners.
func (h *Handlers) ShowShopAudit(c echo.Context) error {
	f := auditFilter(c)
	page, err := ViewerOf(c).Data.ListAudit(c.Request().Context(), f)
	if err != nil {
		return err
	}
	return render.Render(c, http.StatusOK, pages.AuditLogPage(auditView(h.page(c, "Audit log", "audit", layout.ShopConsole), "/app/audit", f, page)))
}

// ShowAdminAudit lists the audit log of the whole platform, or of one shop, for admins.
func (h *Handlers) ShowAdminAudit(c echo.Context) error {
	ctx := c.Request().Context()
	f := auditFilter(c)
	f.ShopID, _ = strconv.ParseInt(c.QueryParam("shop"), 10, 64)
	page, err := h.Admin.ListAllAudit(ctx, f)
	if err != nil {
		return err
	}
	shops, err := h.Admin.ShopNames(ctx)
	if err != nil {
		return err
	}
	vm := auditView(h.page(c, "Audit log", "admin-audit", layout.AdminConsole), "/admin/audit", f, page)
	vm.ShowShop, vm.ShopID = true, f.ShopID
	vm.Shops = []pages.Option{{Value: "0", Label: "All shops"}}
	names := map[int64]string{}
	for _, s := range shops {
		vm.Shops = append(vm.Shops, pages.Option{Value: fmt.Sprint(s.ID), Label: s.Name})
		names[s.ID] = s.Name
	}
	for i, r := range vm.Rows {
		vm.Rows[i].Shop = names[r.ShopID]
	}
	return render.Render(c, http.StatusOK, pages.AuditLogPage(vm))
}

func auditFilter(c echo.Context) models.AuditFilter {
	before, _ := strconv.ParseInt(c.QueryParam("before"), 10, 64)
	action := c.QueryParam("action")
	if auditLabel(action) == action {
		action = "" // not a known action: no filter
	}
	return models.AuditFilter{Action: action, Before: before, Limit: auditPerPage}
}

func auditView(p layout.Page, path string, f models.AuditFilter, page models.AuditPage) pages.AuditLog {
	vm := pages.AuditLog{Page: p, Path: path, Action: f.Action}
	for _, a := range auditActions {
		vm.Actions = append(vm.Actions, pages.Option{Value: a.action, Label: a.label})
	}
	for _, e := range page.Events {
		row := pages.AuditRow{At: e.CreatedAt, Who: auditWho(e.ActorEmail), Action: auditLabel(e.Action), Target: e.Target, Detail: e.Detail, IP: e.IP}
		if e.ShopID != nil {
			row.ShopID = *e.ShopID
		}
		vm.Rows = append(vm.Rows, row)
	}
	if page.NextBefore != 0 {
		q := url.Values{"before": {fmt.Sprint(page.NextBefore)}}
		if f.Action != "" {
			q.Set("action", f.Action)
		}
		if f.ShopID != 0 {
			q.Set("shop", fmt.Sprint(f.ShopID))
		}
		vm.NextHref = path + "?" + q.Encode()
	}
	return vm
}
