package web

import (
	"net/http"

	"github.com/labstack/echo/v4"

	"github.com/chatshop/chatshop/handlers"
	"github.com/chatshop/chatshop/static"
)

// routes lists every route of the server.
func routes(e *echo.Echo, d Deps, h *handlers.Handlers) {
	// Operations.
	e.GET("/healthz", func(c echo.Context) error { return c.String(http.StatusOK, "ok") })
	e.GET("/readyz", func(c echo.Context) error {
		if err := d.Ready(c.Request().Context()); err != nil {
			return c.String(http.StatusServiceUnavailable, "not ready: "+err.Error())
		}
		return c.String(http.StatusOK, "ready")
	})
	e.GET("/metrics", metricsHandler(d.Metrics))
	e.GET(static.Prefix+"*", echo.WrapHandler(static.Handler()))
	e.GET("/favicon.ico", func(c echo.Context) error {
		return c.Redirect(http.StatusMovedPermanently, static.Path("img/favicon.svg"))
	})

	// Browser pages: sessions on, never cached.
	browser := e.Group("", echo.WrapMiddleware(d.Sessions.LoadAndSave), noStore)
	browser.GET("/", func(c echo.Context) error { return c.Redirect(http.StatusSeeOther, "/app") })
	browser.GET("/login", h.ShowLogin)
	browser.POST("/login", h.Login)
	browser.POST("/logout", h.Logout)

	// The retailer's dashboard.
	app := browser.Group("/app", h.Authenticate, h.RequireShop)
	app.GET("", h.ShowOverview)
	app.GET("/products", h.ListProducts)
	app.GET("/orders", h.ShowArea("orders"))
	app.GET("/shoppers", h.ShowArea("shoppers"))
	app.GET("/inbox", h.ShowArea("inbox"))
	app.GET("/notifications", h.ShowArea("notifications"))
	app.GET("/disputes", h.ShowArea("disputes"))
	app.GET("/events", h.ShowArea("events"))
	app.GET("/settings", h.ShowArea("settings"))
	app.GET("/team", h.ShowArea("team"))
	app.GET("/audit", h.ShowArea("audit"))

	// The platform admins' console.
	admin := browser.Group("/admin", h.Authenticate, h.RequireAdmin)
	admin.GET("", func(c echo.Context) error { return c.Redirect(http.StatusSeeOther, "/admin/disputes") })
	admin.GET("/disputes", h.ShowArea("admin-disputes"))
	admin.GET("/shops", h.ShowArea("admin-shops"))
	admin.GET("/events", h.ShowArea("admin-events"))
	admin.GET("/audit", h.ShowArea("admin-audit"))
}
