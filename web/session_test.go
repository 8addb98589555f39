package web_test

import (
	"net/http"
	"testing"
	"time"

	"github.com/chatshop/chatshop/models/modelstest"
	"github.com/chatshop/chatshop/web"
)

func TestSessionTimeoutsAndCookie(t *testing.T) {
	store := modelstest.Open(t).Sessions()
	for _, tc := range []struct {
		base   string
		name   string
		secure bool
	}{
		{"http://localhost:8080", "chatshop_session", false},
		{"https://shop.example", "__Host-chatshop_session", true},
	} {
		sm := web.NewSessionManager(store, tc.base)
		if sm.IdleTimeout != 2*time.Hour || sm.Lifetime != 12*time.Hour {
			t.Errorf("%s: idle %v, absolute %v; want 2h and 12h", tc.base, sm.IdleTimeout, sm.Lifetime)
		}
		c := sm.Cookie
		if c.Name != tc.name || c.Secure != tc.secure || !c.HttpOnly || c.SameSite != http.SameSiteLaxMode || c.Path != "/" || c.Domain != "" {
			t.Errorf("%s: cookie %+v", tc.base, c)
		}
	}
}
