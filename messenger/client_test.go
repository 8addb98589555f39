package messenger_test

import (
	"context"
	"encoding/json"
	"errors"
	"net/http"
	"net/http/httptest"
	"net/url"
	"strings"
	"testing"

	"github.com/chatshop/chatshop/messenger"
)

func TestSendRequestOnTheWire(t *testing.T) {
	var got struct {
		query url.Values
		body  map[string]any
	}
	srv := httptest.NewServer(http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {
		if r.Method != http.MethodPost || r.URL.Path != "/v21.0/me/messages" || r.Header.Get("Content-Type") != "application/json" {
			t.Errorf("request %s %s", r.Method, r.URL.Path)
		}
		got.query = r.URL.Query()
		json.NewDecoder(r.Body).Decode(&got.body)
		w.Write([]byte(`{"recipient_id":"1254459154682919","message_id":"m_AG5Hz2U"}`))
	}))
	defer srv.Close()
	c := messenger.NewClient(srv.URL+"/v21.0/", "app-secret")
	res, err := c.Send(context.Background(), "PAGE-TOKEN", messenger.SendRequest{
		Recipient: messenger.Recipient{ID: "1254459154682919"}, MessagingType: messenger.MessagingResponse,
		Message: json.RawMessage(`{"text":"Hello, world!"}`),
	})
	if err != nil || res.MessageID != "m_AG5Hz2U" {
		t.Fatalf("Send = %+v, %v", res, err)
	}
	if got.query.Get("access_token") != "PAGE-TOKEN" || got.query.Get("appsecret_proof") != messenger.AppSecretProof("app-secret", "PAGE-TOKEN") {
		t.Fatalf("query %v", got.query)
	}
	if got.body["messaging_type"] != "RESPONSE" || got.body["recipient"].(map[string]any)["id"] != "1254459154682919" {
		t.Fatalf("body %v", got.body)
	}
	if _, ok := got.body["tag"]; ok {
		t.Fatal("an empty tag was sent")
	}
}

func TestGraphErrorsAreDecodedAndSorted(t *testing.T) {
	for _, tc := range []struct {
		name      string
		status    int
		body      string
		retryable bool
		token     bool
		words     string
	}{
		{"outside window", 400, `{"error":{"message":"(#10) This message is sent outside of allowed window.","type":"OAuthException","code":10,"error_subcode":2018278,"fbtrace_id":"AxII"}}`, false, false, "24 hours"},
		{"user unavailable", 400, `{"error":{"message":"(#551) This person isn't available right now.","type":"OAuthException","code":551,"error_subcode":1545041,"fbtrace_id":"A-uG"}}`, false, false, "isn't available"},
		{"invalid token", 400, `{"error":{"message":"Invalid OAuth access token.","type":"OAuthException","code":190,"fbtrace_id":"BLBz"}}`, false, true, "Reconnect"},
		{"rate limit", 400, `{"error":{"message":"Calls to this api have exceeded the rate limit.","type":"OAuthException","code":613}}`, true, false, "limiting"},
		{"internal", 500, `{"error":{"message":"(#-1) Send API unexpected internal error","type":"OAuthException","code":-1,"error_subcode":2018012}}`, true, false, "did not answer"},
		{"not json", 502, `<html>Bad Gateway</html>`, true, false, "did not answer"},
	} {
		t.Run(tc.name, func(t *testing.T) {
			srv := httptest.NewServer(http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {
				w.WriteHeader(tc.status)
				w.Write([]byte(tc.body))
			}))
			defer srv.Close()
			_, err := messenger.NewClient(srv.URL, "s").Send(context.Background(), "T", messenger.SendRequest{Message: json.RawMessage(`{"text":"x"}`)})
			var ge *messenger.Error
			if !errors.As(err, &ge) || ge.HTTPStatus != tc.status {
				t.Fatalf("error %v", err)
			}
			if messenger.Retryable(err) != tc.retryable || messenger.TokenInvalid(err) != tc.token {
				t.Fatalf("retryable=%v token=%v", messenger.Retryable(err), messenger.TokenInvalid(err))
			}
			if words := messenger.PlainWords(err); !strings.Contains(words, tc.words) {
				t.Fatalf("plain words %q", words)
			}
		})
	}
	// A server that does not answer at all is retryable.
	_, err := messenger.NewClient("http://127.0.0.1:1", "s").Send(context.Background(), "T", messenger.SendRequest{Message: json.RawMessage(`{}`)})
	if !messenger.Retryable(err) {
		t.Fatalf("connection refused: %v not retryable", err)
	}
}
