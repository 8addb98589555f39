package web

import (
	"net/http"
	"strings"

	"github.com/klauspost/compress/gzhttp"
	"github.com/klauspost/compress/gzip"
	"github.com/labstack/echo/v4"
)

// compress gzips pages and assets at the fastest level: HTML full of repeated class names shrinks
// almost as well as at higher levels, for a fraction of the CPU. klauspost/compress's encoder
// takes half the time of the standard library's at that level (docs/benchmarks.md, "Measurements
// behind the code"). Machine endpoints, the live pages' event streams and images are sent as they are.
func compress() echo.MiddlewareFunc {
	wrap, err := gzhttp.NewWrapper(gzhttp.CompressionLevel(gzip.BestSpeed), gzhttp.MinSize(1024), gzhttp.EnableZstd(false))
	if err != nil {
		panic(err) // the options are constants
	}
	return func(next echo.HandlerFunc) echo.HandlerFunc {
		return func(c echo.Context) error {
			if sentAsIs(c.Request().URL.Path) {
				return next(c)
			}
			res := c.Response()
			plain := res.Writer
			defer func() { res.Writer = plain }()
			wrap(http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {
				res.Writer = w
				if err := next(c); err != nil {
					c.Error(err) // written now, compressed, while the compressor is open
				}
			})).ServeHTTP(plain, c.Request())
			return nil
		}
	}
}

// sentAsIs is whether a path's responses skip compression.
func sentAsIs(path string) bool {
	return strings.HasPrefix(path, "/webhooks/") || strings.HasPrefix(path, "/images/") ||
		path == "/app/live" || path == "/admin/live" || path == "/metrics" || path == "/healthz" || path == "/readyz"
}
