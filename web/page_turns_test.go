package web

import (
	"net/http"
	"net/http/httptest"
	"runtime"
	"sync"
	"sync/atomic"
	"testing"
	"time"

	"github.com/labstack/echo/v4"
)

// Pages are worked on two per core at most; streams take no turn.
func TestPageTurns(t *testing.T) {
	e := echo.New()
	var now, most atomic.Int64
	work := func(c echo.Context) error {
		n := now.Add(1)
		for m := most.Load(); n > m && !most.CompareAndSwap(m, n); m = most.Load() {
		}
		time.Sleep(20 * time.Millisecond)
		now.Add(-1)
		return c.NoContent(http.StatusOK)
	}
	unturned := routeSet{}
	app := e.Group("/app", pageTurns(unturned))
	app.GET("/orders", work)
	app.POST("/orders", work)
	unturned.add(app.GET("/live", work))

	limit := int64(2 * runtime.GOMAXPROCS(0))
	for _, tc := range []struct {
		method, path string
		limited      bool
	}{{http.MethodGet, "/app/orders", true}, {http.MethodPost, "/app/orders", false}, {http.MethodGet, "/app/live", false}} {
		most.Store(0)
		var wg sync.WaitGroup
		for range 3 * limit {
			wg.Go(func() {
				rec := httptest.NewRecorder()
				e.ServeHTTP(rec, httptest.NewRequest(tc.method, tc.path, nil))
				if rec.Code != http.StatusOK {
					t.Errorf("%s %s: %d", tc.method, tc.path, rec.Code)
				}
			})
		}
		wg.Wait()
		if got := most.Load(); tc.limited && got != limit || !tc.limited && got <= limit {
			t.Errorf("%s %s: %d at once (turns: %d)", tc.method, tc.path, got, limit)
		}
	}
}
