package web

import (
	"net/http"

	"github.com/labstack/echo/v4"
	"github.com/labstack/echo/v4/middleware"

	"github.com/chatshop/chatshop/handlers"
	"github.com/chatshop/chatshop/static"
)

// routes lists every route of the server.
// Uploads are added to uploads: they have their own body limit instead of formLimit.
func routes(e *echo.Echo, d Deps, h *handlers.Handlers, wh *handlers.Webhooks, uploads routeSet) {
	// Operations.
	e.GET("/healthz", func(c echo.Context) error { return c.String(http.StatusOK, "ok") })
	e.GET("/readyz", func(c echo.Context) error {
		if err := d.Ready(c.Request().Context()); err != nil {
			return c.String(http.StatusServiceUnavailable, "not ready: "+err.Error())
		}
		return c.String(http.StatusOK, "ready")
	})
	if metricsOnMainAddress(d.Config) {
		e.GET("/metrics", echo.WrapHandler(MetricsHandler(d.Metrics, d.Config.MetricsToken)))
	}
	e.GET(static.Prefix+"*", echo.WrapHandler(static.Handler()))
	e.GET("/favicon.ico", func(c echo.Context) error {
		return c.Redirect(http.StatusMovedPermanently, static.Path("img/favicon.svg"))
	})

	// Uploaded product images: public (Messenger fetches them), named by their content's digest.
	e.GET("/images/:digest", h.ServeImage)
	e.GET("/images/:digest/:size", h.ServeImage)

	// Webhooks: no sessions; the signature is the authentication.
	e.GET("/webhooks/messenger", wh.MessengerHandshake)
	e.POST("/webhooks/messenger", wh.Messenger)
	e.POST("/webhooks/paypal", wh.PayPal)

	// The emulators, in sandbox mode only: PayPal's API base is /sandbox/paypal.
	if sb := d.Sandbox; sb != nil {
		uploads.add(sb.Routes(e)...)
	}

	// Browser pages: sessions on, never cached.
	browser := e.Group("", sessions(d.Sessions), noStore)
	browser.GET("/", func(c echo.Context) error { return c.Redirect(http.StatusSeeOther, "/app") })
	browser.GET("/login", h.ShowLogin)
	browser.POST("/login", h.Login)
	browser.POST("/logout", h.Logout)
	browser.GET("/signup", h.ShowSignup)
	browser.POST("/signup", h.Signup)
	browser.GET("/invite/:token", h.ShowInvite)
	browser.POST("/invite/:token", h.AcceptInvite)

	// The shopper's pages between Messenger and PayPal: public, named by PayPal's and Messenger's tokens.
	browser.GET("/pay/return", h.PayReturn)
	browser.GET("/pay/cancel", h.PayCancel)
	browser.GET("/link/paypal", h.LinkPayPal)
	browser.GET("/link/paypal/return", h.LinkPayPalReturn)

	// Any signed-in user's own account.
	account := browser.Group("/account", h.Authenticate)
	account.GET("", h.ShowAccount)
	account.POST("/password", h.ChangePassword)
	account.POST("/sign-out-everywhere", h.SignOutEverywhere)

	// The retailer's dashboard: owners and staff. Its pages take turns; the requests that hold
	// long for little CPU (streams, exports, files, PayPal's round trips) are unturned.
	unturned := routeSet{}
	turns := pageTurns(unturned)
	app := browser.Group("/app", turns, h.Authenticate, h.RequireShop)
	app.GET("", h.ShowOverview)
	app.GET("/products", h.ListProducts)
	app.GET("/products/new", h.NewProduct)
	app.POST("/products/new", h.CreateProduct)
	app.POST("/products/bulk", h.BulkProducts)
	app.GET("/products/import", h.ShowImport)
	uploads.add(app.POST("/products/import", h.UploadImport, middleware.BodyLimit(catalogFileLimit)))
	app.GET("/products/import/:id", h.ShowImportRun)
	app.POST("/products/import/:id/run", h.ConfirmImport)
	app.GET("/products/:id", h.EditProduct)
	app.POST("/products/:id", h.UpdateProduct)
	uploads.add(app.POST("/products/:id/images", h.UploadProductImage, middleware.BodyLimit(imageUploadLimit)))
	app.POST("/products/:id/images/:image", h.UpdateProductImage)
	app.POST("/products/:id/images/:image/move", h.MoveProductImage)
	app.POST("/products/:id/images/:image/delete", h.DeleteProductImage)
	app.GET("/orders", h.ShowOrders)
	app.GET("/orders/fulfil", h.ShowFulfilUpload)
	app.POST("/orders/fulfil", h.CheckFulfilFile)
	app.POST("/orders/fulfil/apply", h.ApplyFulfilFile)
	app.GET("/orders/:id", h.ShowOrder)
	app.GET("/orders/:id/packing-slip", h.ShowPackingSlip)
	app.POST("/orders/:id/refund", h.RefundOrder, h.RequireOwner)
	app.POST("/orders/:id/ship", h.ShipOrder)
	app.POST("/orders/:id/shipments/:shipment/cancel", h.CancelShipment)
	app.POST("/orders/:id/shipments/:shipment/delivered", h.ShipmentDelivered)
	app.GET("/shoppers", h.ShowShoppers)
	app.GET("/shoppers/:id", h.ShowShopper)
	app.POST("/shoppers/:id/unlink", h.UnlinkShopper)
	app.GET("/inbox", h.ShowInbox)
	app.GET("/inbox/replies", h.ShowSavedReplies)
	app.POST("/inbox/replies", h.AddSavedReply)
	app.POST("/inbox/replies/:id/delete", h.DeleteSavedReply)
	app.GET("/inbox/:id", h.ShowInbox)
	app.POST("/inbox/:id/reply", h.ReplyInInbox)
	app.POST("/inbox/:id/product", h.SendProductCard)
	app.GET("/inbox/:id/products", h.InboxProducts)
	app.POST("/inbox/:id/assign", h.AssignConversation)
	app.POST("/inbox/:id/close", h.CloseConversation)
	unturned.add(app.GET("/live", h.LiveUpdates))
	app.GET("/live/badges", h.LiveBadges)
	app.GET("/notifications", h.ShowNotifications)
	app.GET("/disputes", h.ShowDisputes)
	app.GET("/disputes/:id", h.ShowDispute)
	unturned.add(app.GET("/disputes/:id/files/:file", h.DownloadDisputeFile))

	// Owners only: connections, team, webhook log, audit.
	ownerOnly := h.RequireOwner
	app.GET("/settings", h.ShowSettings, ownerOnly)
	app.POST("/settings/shop", h.SaveShop, ownerOnly)
	app.POST("/settings/countries", h.SaveCountries, ownerOnly)
	app.GET("/settings/shipping", h.ShowShippingSettings, ownerOnly)
	app.POST("/settings/shipping", h.SaveShippingSettings, ownerOnly)
	app.GET("/settings/messenger", h.ShowMessengerSettings, ownerOnly)
	app.POST("/settings/messenger/connect", h.ConnectPage, ownerOnly)
	app.POST("/settings/messenger/check", h.CheckPage, ownerOnly)
	app.POST("/settings/messenger/templates", h.AskForTemplates, ownerOnly)
	app.POST("/settings/messenger/disconnect", h.DisconnectPage, ownerOnly)
	app.GET("/settings/paypal", h.ShowPayPalSettings, ownerOnly)
	unturned.add(app.GET("/settings/paypal/connect", h.ConnectPayPal, ownerOnly))
	unturned.add(app.GET("/settings/paypal/return", h.PayPalReturn, ownerOnly))
	app.POST("/settings/paypal/refresh", h.RefreshPayPal, ownerOnly)
	app.POST("/settings/paypal/disconnect", h.DisconnectPayPal, ownerOnly)
	unturned.add(app.GET("/products/export", h.ExportProducts, ownerOnly))
	unturned.add(app.GET("/orders/export", h.ExportOrders, ownerOnly))
	app.GET("/events", h.ShowShopEvents, ownerOnly)
	app.GET("/events/:id", h.ShowShopEvent, ownerOnly)
	app.POST("/events/replay", h.ReplayShopEvents, ownerOnly)
	app.GET("/team", h.ShowTeam, ownerOnly)
	app.POST("/team/invites", h.CreateInvite, ownerOnly)
	app.POST("/team/invites/:id/revoke", h.RevokeInvite, ownerOnly)
	app.POST("/team/members/:id/role", h.ChangeRole, ownerOnly)
	app.POST("/team/members/:id/remove", h.RemoveMember, ownerOnly)
	app.GET("/audit", h.ShowShopAudit, ownerOnly)
	app.POST("/disputes/:id/notes", h.AddDisputeNote, ownerOnly)
	uploads.add(app.POST("/disputes/:id/files", h.AddDisputeFile, ownerOnly, middleware.BodyLimit(evidenceFileLimit)))

	// The platform admins' console.
	admin := browser.Group("/admin", turns, h.Authenticate, h.RequireAdmin)
	admin.GET("", func(c echo.Context) error { return c.Redirect(http.StatusSeeOther, "/admin/disputes") })
	admin.GET("/disputes", h.ShowDisputes)
	admin.GET("/disputes/:id", h.ShowDispute)
	unturned.add(admin.GET("/disputes/:id/files/:file", h.DownloadDisputeFile))
	admin.POST("/disputes/:id/notes", h.AddDisputeNote)
	uploads.add(admin.POST("/disputes/:id/files", h.AddDisputeFile, middleware.BodyLimit(evidenceFileLimit)))
	admin.POST("/disputes/:id/actions", h.DisputeAction)
	admin.GET("/shops", h.ShowAdminShops)
	admin.GET("/events", h.ShowAdminEvents)
	admin.GET("/events/:id", h.ShowAdminEvent)
	admin.POST("/events/replay", h.ReplayAdminEvents)
	admin.GET("/audit", h.ShowAdminAudit)
	unturned.add(admin.GET("/live", h.LiveUpdates))
}
