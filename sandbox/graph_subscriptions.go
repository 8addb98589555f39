package sandbox

import (
	"net/http"
	"slices"
	"strconv"
	"strings"

	"github.com/labstack/echo/v4"

	"github.com/chatshop/chatshop/messenger"
)

// pageFields are the Page webhook fields the emulator can deliver.
var pageFields = []string{"messages", "messaging_postbacks", "messaging_account_linking", "message_echoes", "message_deliveries", "message_reads",
	"message_template_status_update", "messenger_template_status_update"}

// SubscribedApps is /sandbox/graph/{version}/{page-id}/subscribed_apps with the Page's token:
// POST ?subscribed_fields=a,b subscribes the app to those fields, GET lists the subscription,
// DELETE unsubscribes (the Page then gets no webhooks at all).
func (s *Sandbox) SubscribedApps(c echo.Context) error {
	token := c.QueryParam("access_token")
	if !s.validProof(c, token) {
		return invalidProof(c)
	}
	pageID := c.Param("page")
	if !s.pageTokenValid(c.Request().Context(), pageID, token) {
		return graphError(c, http.StatusBadRequest, messenger.CodeInvalidToken, 0, "OAuthException", "Invalid OAuth access token.")
	}
	ctx := c.Request().Context()
	switch c.Request().Method {
	case http.MethodGet:
		fields, found, err := s.dir.SandboxPageSubscription(ctx, pageID)
		if err != nil {
			return err
		}
		data := []any{}
		if !found {
			fields = defaultFields
		}
		if len(fields) > 0 {
			data = append(data, map[string]any{"id": strconv.FormatInt(sandboxAppID, 10), "name": "chatshop", "subscribed_fields": fields})
		}
		return c.JSON(http.StatusOK, map[string]any{"data": data})
	case http.MethodDelete:
		if err := s.dir.SetSandboxPageSubscription(ctx, pageID, nil); err != nil {
			return err
		}
		return c.JSON(http.StatusOK, map[string]bool{"success": true})
	}
	raw := c.QueryParam("subscribed_fields")
	if raw == "" {
		raw = c.FormValue("subscribed_fields")
	}
	if raw == "" {
		return invalidParam(c, "The parameter subscribed_fields is required.")
	}
	var fields []string
	for _, f := range strings.Split(raw, ",") {
		f = strings.TrimSpace(f)
		if !slices.Contains(pageFields, f) {
			return invalidParam(c, "Param subscribed_fields["+f+"] must be one of {"+strings.Join(pageFields, ", ")+"}")
		}
		if !slices.Contains(fields, f) {
			fields = append(fields, f)
		}
	}
	if err := s.dir.SetSandboxPageSubscription(ctx, pageID, fields); err != nil {
		return err
	}
	return c.JSON(http.StatusOK, map[string]bool{"success": true})
}
