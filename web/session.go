package web

import (
	"net/http"
	"strings"
	"time"

	"github.com/alexedwards/scs/v2"
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
