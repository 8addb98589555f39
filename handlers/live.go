package handlers

import (
	"fmt"
	"net/http"
	"strconv"
	"time"

	"github.com/labstack/echo/v4"

	"github.com/chatshop/chatshop/live"
	"github.com/chatshop/chatshop/models"
)

// liveKeepAlive is how often an idle stream sends a comment, so that proxies keep it open.
const liveKeepAlive = 25 * time.Second

// LiveUpdates streams the changes of the viewer's shop, or in the admin console of every shop's
// disputes, as server-sent events (event: chat, notification or dispute, id: the change number); the page reloads the parts they touch. The page
// says which change it was rendered after (since), and a reconnecting browser sends the last id it
// heard, so no change falls between a page and its stream. An idle stream costs a goroutine and a
// comment every 25 seconds; the browser's EventSource reconnects by itself.
func (h *Handlers) LiveUpdates(c echo.Context) error {
	v := ViewerOf(c)
	since, err := strconv.ParseUint(c.Request().Header.Get("Last-Event-ID"), 10, 64)
	if err != nil {
		since, _ = strconv.ParseUint(c.QueryParam("since"), 10, 64)
	}
	channel := live.Platform // the admin console's
	if !inAdminConsole(c) {
		channel = v.Shop.ID
	}
	changes, cancel := h.Live.Subscribe(channel, since)
	defer cancel()
	w := c.Response()
	w.Header().Set(echo.HeaderContentType, "text/event-stream")
	w.Header().Set(echo.HeaderCacheControl, "no-store")
	w.Header().Set("X-Accel-Buffering", "no")
	w.WriteHeader(http.StatusOK)
	fmt.Fprint(w, "retry: 2000\n\n")
	w.Flush()
	tick := time.NewTicker(liveKeepAlive)
	defer tick.Stop()
	for {
		select {
		case <-c.Request().Context().Done():
			return nil
		case e, open := <-changes:
			if !open {
				return nil // the server is shutting down; the browser reconnects to the next one
			}
			fmt.Fprintf(w, "id: %d\nevent: %s\ndata: %s\n\n", e.Seq, e.Kind, e.Kind)
		case <-tick.C:
			fmt.Fprint(w, ": keep-alive\n\n")
		}
		w.Flush()
	}
}

// LiveBadges answers the navigation's counts as JSON, for a page that heard of a change.
func (h *Handlers) LiveBadges(c echo.Context) error {
	v := ViewerOf(c)
	frame, err := v.Data.Frame(c.Request().Context(), v.User.ID)
	if err != nil {
		return err
	}
	return c.JSON(http.StatusOK, badges(frame))
}

// badges are what the navigation shows beside the inbox (open conversations with unread messages)
// and the notifications (arrived since the member last looked).
func badges(f models.Frame) map[string]int {
	return map[string]int{"inbox": f.UnreadConversations, "notifications": f.UnseenNotifications, "orders": f.ToShip}
}
