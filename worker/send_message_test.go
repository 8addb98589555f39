package worker_test

import (
	"context"
	"net/http"
	"net/http/httptest"
	"sync"
	"testing"
	"time"

	"github.com/chatshop/chatshop/messenger"
	"github.com/chatshop/chatshop/models"
	"github.com/chatshop/chatshop/models/modelstest"
	"github.com/chatshop/chatshop/worker"
)

// fakeGraph answers the Send API with a script of failures before succeeding, counting calls.
type fakeGraph struct {
	mu        sync.Mutex
	script    []func(w http.ResponseWriter) // one per call; the last repeats
	calls     int
	delivered int
}

func (f *fakeGraph) ServeHTTP(w http.ResponseWriter, r *http.Request) {
	f.mu.Lock()
	step := f.script[min(f.calls, len(f.script)-1)]
	f.calls++
	f.mu.Unlock()
	step(w)
}

func ok(f *fakeGraph) func(http.ResponseWriter) {
	return func(w http.ResponseWriter) {
		f.mu.Lock()
		f.delivered++
		f.mu.Unlock()
		w.Write([]byte(`{"recipient_id":"PSID-1","message_id":"m_sent"}`))
	}
}

func graphError(status int, body string) func(http.ResponseWriter) {
	return func(w http.ResponseWriter) {
		w.WriteHeader(status)
		w.Write([]byte(body))
	}
}

func slow(d time.Duration) func(http.ResponseWriter) {
	return func(w http.ResponseWriter) { time.Sleep(d) }
}

func (f *fakeGraph) counts() (int, int) {
	f.mu.Lock()
	defer f.mu.Unlock()
	return f.calls, f.delivered
}

func TestOutboundMessagesAgainstAFaultyProvider(t *testing.T) {
	for _, tc := range []struct {
		name       string
		script     func(f *fakeGraph) []func(http.ResponseWriter)
		wantStatus string
		wantCalls  int
		wantPage   string
	}{
		{"5xx twice then success", func(f *fakeGraph) []func(http.ResponseWriter) {
			return []func(http.ResponseWriter){graphError(500, `{"error":{"message":"(#-1) Send API unexpected internal error","code":-1}}`), graphError(503, `oops`), ok(f)}
		}, "sent", 3, "connected"},
		{"timeout then success", func(f *fakeGraph) []func(http.ResponseWriter) {
			return []func(http.ResponseWriter){slow(400 * time.Millisecond), ok(f)}
		}, "sent", 2, "connected"},
		{"rate limited then success", func(f *fakeGraph) []func(http.ResponseWriter) {
			return []func(http.ResponseWriter){graphError(400, `{"error":{"message":"rate limit","code":613}}`), ok(f)}
		}, "sent", 2, "connected"},
		{"user unavailable", func(f *fakeGraph) []func(http.ResponseWriter) {
			return []func(http.ResponseWriter){graphError(400, `{"error":{"message":"(#551) This person isn't available right now.","code":551,"error_subcode":1545041}}`)}
		}, "failed", 1, "connected"},
		{"token expired", func(f *fakeGraph) []func(http.ResponseWriter) {
			return []func(http.ResponseWriter){graphError(400, `{"error":{"message":"Invalid OAuth access token.","type":"OAuthException","code":190}}`)}
		}, "failed", 1, "needs_reconnect"},
	} {
		t.Run(tc.name, func(t *testing.T) {
			ctx := context.Background()
			f := &fakeGraph{}
			f.script = tc.script(f)
			graph := httptest.NewServer(f)
			defer graph.Close()

			store := modelstest.Open(t)
			if err := worker.Migrate(ctx, store); err != nil {
				t.Fatal(err)
			}
			client := messenger.NewClient(graph.URL+"/v21.0", "secret")
			client.HTTP.Timeout = 200 * time.Millisecond
			w, err := worker.New(store, worker.Options{Concurrency: 2, PollInterval: 10 * time.Millisecond, RescueStuckAfter: time.Minute,
				RetryBase: 5 * time.Millisecond, Messenger: client})
			if err != nil {
				t.Fatal(err)
			}
			if err := w.Start(ctx); err != nil {
				t.Fatal(err)
			}
			defer w.Stop(context.Background())
			shop := &models.Shop{Name: "S", Currency: "USD", AllowedCountries: "US"}
			store.CreateShopWithOwner(ctx, shop, &models.User{Email: "o@example.com", Name: "O", PasswordHash: "x"}, "")
			data := store.ForShop(shop.ID)
			data.ConnectPage(ctx, models.PageConnection{PageID: "PAGE-1", Name: "Page"}, models.Actor{}, nil)

			// The change that asks for the message runs twice (a retried event): one message.
			for range 2 {
				err := store.Transaction(ctx, func(tx *models.Tx) error {
					_, err := w.QueueMessage(ctx, tx, &models.OutboundMessage{ShopID: shop.ID, PageID: "PAGE-1", PSID: "PSID-1",
						MessagingType: messenger.MessagingResponse, Message: `{"text":"Your order is confirmed"}`, IdempotencyKey: "reply:mid:m_1"})
					return err
				})
				if err != nil {
					t.Fatal(err)
				}
			}
			var m *models.OutboundMessage
			waitFor(t, "the message to be sent or given up", func() bool {
				var n int
				store.ReaderDB().QueryRow("SELECT count(*) FROM outbound_messages").Scan(&n)
				if n != 1 {
					t.Fatalf("%d messages queued, want 1", n)
				}
				m, _ = store.OutboundMessageByID(ctx, 1)
				return m.Status != "queued"
			})
			time.Sleep(50 * time.Millisecond) // a wrongly retried job would call again now
			calls, delivered := f.counts()
			if m.Status != tc.wantStatus || calls != tc.wantCalls {
				t.Fatalf("status %s after %d calls (%q); want %s after %d", m.Status, calls, m.Error, tc.wantStatus, tc.wantCalls)
			}
			if tc.wantStatus == "sent" && (delivered != 1 || m.MID != "m_sent") {
				t.Fatalf("delivered %d times, mid %q", delivered, m.MID)
			}
			if tc.wantStatus == "failed" && m.Error == "" {
				t.Fatal("a failed message without an explanation")
			}
			if st, _ := data.PageStatus(ctx, "PAGE-1"); st != tc.wantPage {
				t.Fatalf("page status %s, want %s", st, tc.wantPage)
			}
		})
	}
}
