package web

import (
	"net/http"
	"strings"
	"time"

	"github.com/alexedwards/scs/v2"
	"github.com/labstack/echo/v4"

	"github.com/chatshop/chatshop/models"
)

// NewSessionManager makes the server-side session manager over store. Over https the cookie is
// Secure and __Host- prefixed (bound to this exact host and path /).
func NewSessionManager(store scs.CtxStore, baseURL string) *scs.SessionManager {
	sm := scs.New()
	sm.Store = store
	sm.Lifetime = 12 * time.Hour
	sm.IdleTimeout = 2 * time.Hour
	sm.Cookie.Name = "chatshop_session"
	sm.Cookie.HttpOnly = true
	sm.Cookie.SameSite = http.SameSiteLaxMode
	sm.Cookie.Path = "/"
	if strings.HasPrefix(baseURL, "https://") {
		sm.Cookie.Name = "__Host-chatshop_session"
		sm.Cookie.Secure = true
	}
	return sm
}

// sessions loads and saves each browser request's session. The request keeps the session as
// loaded, so that saving one that did not change reads nothing again (models.WithLoadedSession).
func sessions(sm *scs.SessionManager) echo.MiddlewareFunc {
	load := echo.WrapMiddleware(sm.LoadAndSave)
	return func(next echo.HandlerFunc) echo.HandlerFunc {
		loaded := load(next)
		return func(c echo.Context) error {
			c.SetRequest(c.Request().WithContext(models.WithLoadedSession(c.Request().Context())))
			return loaded(c)
		}
	}
}
