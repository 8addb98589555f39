package web

import (
	"log/slog"
	"net/http"
	"strings"

	"github.com/labstack/echo/v4"
	"github.com/labstack/echo/v4/middleware"

	"github.com/chatshop/chatshop/sandbox"
	"github.com/chatshop/chatshop/static"
)

// NewSandboxServer serves the emulators alone (`chatshop sandbox`): their APIs, pages and
// control API, with the assets their pages use, and nothing of the app.
func NewSandboxServer(baseURL string, logger *slog.Logger, box *sandbox.Sandbox) *echo.Echo {
	uploads := routeSet{}
	e := echo.New()
	e.HideBanner, e.HidePort = true, true
	e.HTTPErrorHandler = errorHandler(logger)
	e.Use(
		middleware.RequestID(),
		logRequests(logger),
		middleware.RecoverWithConfig(middleware.RecoverConfig{DisableErrorHandler: true, DisablePrintStack: true}),
		securityHeaders(strings.HasPrefix(baseURL, "https://")),
		limitBodies(uploads),
	)
	e.GET("/healthz", func(c echo.Context) error { return c.String(http.StatusOK, "ok") })
	e.GET(static.Prefix+"*", echo.WrapHandler(static.Handler()))
	e.GET("/", func(c echo.Context) error { return c.Redirect(http.StatusSeeOther, "/sandbox/messenger") })
	uploads.add(box.Routes(e)...)
	return e
}
