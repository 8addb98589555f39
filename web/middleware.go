package web

import (
	"crypto/rand"
	"encoding/base64"
	"fmt"
	"log/slog"
	"net/http"
	"strconv"
	"strings"
	"time"

	"github.com/a-h/templ"
	"github.com/labstack/echo/v4"
)

// serverTiming tells the browser (its developer tools' timing tab) and the benchmark how long the
// server took to answer, up to the response's first byte, in a Server-Timing header ("app;dur=" in
// milliseconds). What follows, compressing and sending the body, is the client's to see.
func serverTiming(next echo.HandlerFunc) echo.HandlerFunc {
	return func(c echo.Context) error {
		start := time.Now()
		res := c.Response()
		res.Before(func() {
			res.Header().Set("Server-Timing", "app;dur="+strconv.FormatFloat(float64(time.Since(start).Microseconds())/1000, 'f', 2, 64))
		})
		return next(c)
	}
}

// logRequests writes one slog line per request, with its request id.
func logRequests(logger *slog.Logger) echo.MiddlewareFunc {
	return func(next echo.HandlerFunc) echo.HandlerFunc {
		return func(c echo.Context) error {
			start := time.Now()
			err := next(c)
			if err != nil {
				c.Error(err) // the error handler writes the response, so the status below is final
			}
			req, res := c.Request(), c.Response()
			level := slog.LevelInfo
			if res.Status >= 500 {
				level = slog.LevelError
			} else if strings.HasPrefix(req.URL.Path, "/static/") || req.URL.Path == "/healthz" || req.URL.Path == "/metrics" {
				level = slog.LevelDebug
			}
			logger.LogAttrs(req.Context(), level, "request",
				slog.String("request_id", res.Header().Get(echo.HeaderXRequestID)),
				slog.String("method", req.Method),
				slog.String("path", req.URL.Path),
				slog.Int("status", res.Status),
				slog.Int64("bytes", res.Size),
				slog.Duration("duration", time.Since(start)),
				slog.String("remote", c.RealIP()),
			)
			return nil
		}
	}
}

// securityHeaders sets the headers every response carries, with a per-request nonce for scripts.
func securityHeaders(https bool) echo.MiddlewareFunc {
	return func(next echo.HandlerFunc) echo.HandlerFunc {
		return func(c echo.Context) error {
			nonce := newNonce()
			req := c.Request()
			c.SetRequest(req.WithContext(templ.WithNonce(req.Context(), nonce)))
			h := c.Response().Header()
			formAction := "'self'"
			if strings.HasPrefix(req.URL.Path, "/sandbox/paypal/") {
				// PayPal's buyer pages send the buyer back to the merchant's return URL, wherever it is;
				// form-action also governs the redirect after a form is sent.
				formAction = "'self' https: http:"
			}
			h.Set("Content-Security-Policy", fmt.Sprintf("default-src 'self'; script-src 'self' 'nonce-%s'; "+
				"style-src 'self' 'unsafe-inline'; img-src 'self' data: https:; connect-src 'self'; "+
				"frame-ancestors 'none'; base-uri 'self'; form-action %s; object-src 'none'", nonce, formAction))
			h.Set("X-Content-Type-Options", "nosniff")
			h.Set("X-Frame-Options", "DENY")
			h.Set("Referrer-Policy", "strict-origin-when-cross-origin")
			h.Set("Cross-Origin-Opener-Policy", "same-origin")
			h.Set("Permissions-Policy", "camera=(), microphone=(), geolocation=()")
			if https {
				h.Set("Strict-Transport-Security", "max-age=63072000; includeSubDomains")
			}
			return next(c)
		}
	}
}

func newNonce() string {
	b := make([]byte, 16)
	_, _ = rand.Read(b)
	return base64.RawStdEncoding.EncodeToString(b)
}

// crossOriginProtection refuses state-changing browser requests from other sites (CSRF), using
// Sec-Fetch-Site and Origin. Server-to-server calls such as webhooks send neither and pass.
func crossOriginProtection() echo.MiddlewareFunc {
	cop := http.NewCrossOriginProtection()
	return func(next echo.HandlerFunc) echo.HandlerFunc {
		return func(c echo.Context) error {
			if err := cop.Check(c.Request()); err != nil {
				return echo.NewHTTPError(http.StatusForbidden, "This request came from another site and was refused.")
			}
			return next(c)
		}
	}
}

// noStore keeps signed-in pages out of shared and back-button caches.
func noStore(next echo.HandlerFunc) echo.HandlerFunc {
	return func(c echo.Context) error {
		c.Response().Header().Set("Cache-Control", "no-store")
		return next(c)
	}
}
