package web

import (
	"net/http"
	"runtime"

	"github.com/labstack/echo/v4"
)

// pageTurns lets the dashboards' pages be worked on a few at a time, two per core, in the order
// they were asked for. A page's work is CPU (SQLite through cgo, templ, compression): more pages at
// once than the cores only interleave, so each takes longer and an unlucky one far longer (what
// the turns did to the heaviest pages' p95 is in docs/benchmarks.md, session 12). Requests that
// stream, send files or wait for PayPal take no turn (routes.go adds them to unturned), nor do
// the forms' posts (their writes take the writer's turns).
func pageTurns(unturned routeSet) echo.MiddlewareFunc {
	turns := make(chan struct{}, 2*runtime.GOMAXPROCS(0)) // a channel's waiting senders go first come first served
	return func(next echo.HandlerFunc) echo.HandlerFunc {
		return func(c echo.Context) error {
			if m := c.Request().Method; (m != http.MethodGet && m != http.MethodHead) || unturned.has(c) {
				return next(c)
			}
			select {
			case turns <- struct{}{}:
			case <-c.Request().Context().Done():
				return c.Request().Context().Err()
			}
			defer func() { <-turns }()
			return next(c)
		}
	}
}
