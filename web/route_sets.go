package web

import (
	"github.com/labstack/echo/v4"
	"github.com/labstack/echo/v4/middleware"
)

// routeSet is a set of routes that routes.go marks as they are registered (uploads, long
// requests), for a middleware of the whole server to treat them apart.
type routeSet map[string]bool

func (s routeSet) add(routes ...*echo.Route) {
	for _, r := range routes {
		s[r.Method+" "+r.Path] = true
	}
}

// has reports whether the request's route is in the set.
func (s routeSet) has(c echo.Context) bool { return s[c.Request().Method+" "+c.Path()] }

// formLimit bounds every request body but the uploads'.
const formLimit = "2M"

// Uploads take files: each has a larger body limit of its own on its route (routes.go).
const (
	imageUploadLimit = "11M"
	// evidenceFileLimit takes a file of just under PayPal's 10 MB and the form around it.
	evidenceFileLimit = "11M"
	catalogFileLimit  = "26M"
)

// limitBodies refuses a body over formLimit with 413, except on uploads, which have their own.
func limitBodies(uploads routeSet) echo.MiddlewareFunc {
	return middleware.BodyLimitWithConfig(middleware.BodyLimitConfig{Limit: formLimit, Skipper: uploads.has})
}
