package web

import (
	"errors"
	"log/slog"
	"net/http"
	"strings"

	"github.com/labstack/echo/v4"

	"github.com/chatshop/chatshop/models"
	"github.com/chatshop/chatshop/views/pages"
	"github.com/chatshop/chatshop/views/render"
)

// errorHandler is the one place errors become responses: store errors map to 404/409, Echo's
// HTTP errors keep their status, anything else is a logged 500 that shows no internals.
func errorHandler(logger *slog.Logger) echo.HTTPErrorHandler {
	return func(err error, c echo.Context) {
		if c.Response().Committed {
			return
		}
		status, message := http.StatusInternalServerError, "Something went wrong on our side. It has been logged; please try again."
		var he *echo.HTTPError
		switch {
		case errors.As(err, &he):
			status = he.Code
			if m, ok := he.Message.(string); ok && status < 500 {
				message = m
			}
		case errors.Is(err, models.ErrNotFound):
			status = http.StatusNotFound
		case errors.Is(err, models.ErrInvalid):
			status, message = http.StatusBadRequest, "This link is not valid (it may have been cut short). Start again from the list."
		case errors.Is(err, models.ErrConflict):
			status, message = http.StatusConflict, "This changed in the meantime. Reload the page and try again."
		}
		requestID := c.Response().Header().Get(echo.HeaderXRequestID)
		if status >= 500 {
			logger.ErrorContext(c.Request().Context(), "request failed", "request_id", requestID,
				"method", c.Request().Method, "path", c.Request().URL.Path, "err", err)
		}
		title := http.StatusText(status)
		switch status {
		case http.StatusNotFound:
			title, message = "Page not found", "The page you asked for does not exist, or you do not have access to it."
		case http.StatusForbidden:
			title = "Not allowed"
		}

		var writeErr error
		if c.Request().Method == http.MethodHead {
			writeErr = c.NoContent(status)
		} else if wantsJSON(c.Request()) {
			writeErr = c.JSON(status, map[string]any{"error": map[string]any{"status": status, "message": message, "request_id": requestID}})
		} else {
			writeErr = render.Render(c, status, pages.Error(pages.ErrorPage{Status: status, Title: title, Message: message, RequestID: requestID}))
		}
		if writeErr != nil {
			logger.Error("writing error response", "request_id", requestID, "err", writeErr)
		}
	}
}

// wantsJSON is true for machine clients: webhooks, the sandbox API and explicit JSON requests.
func wantsJSON(r *http.Request) bool {
	p := r.URL.Path
	return strings.HasPrefix(p, "/webhooks/") || strings.Contains(p, "/api/") ||
		strings.Contains(r.Header.Get("Accept"), "application/json") && !strings.Contains(r.Header.Get("Accept"), "text/html")
}
