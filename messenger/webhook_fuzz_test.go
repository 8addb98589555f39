package messenger_test

import (
	"bytes"
	"encoding/json"
	"slices"
	"testing"

	"github.com/chatshop/chatshop/messenger"
)

var eventTypes = []string{"message", "echo", "postback", "delivery", "read", "account_linking", "referral", "optin", "unknown"}

// FuzzParseDelivery feeds the webhook parser what anyone can send (a delivery is parsed only
// once its signature holds, but the signature is no proof the body is sane): it never panics,
// refuses with no events, and every event it accepts has a known type, a key that names it
// across redeliveries, and its item as valid JSON. The signature check over the same bytes holds
// for the right header and fails for any other.
func FuzzParseDelivery(f *testing.F) {
	f.Add([]byte(`{"object":"page","entry":[{"id":"PAGE1","time":1502905976963,"messaging":[{"sender":{"id":"PSID1"},"recipient":{"id":"PAGE1"},"timestamp":1502905976377,"message":{"quick_reply":{"payload":"GREEN"},"mid":"m_AG5H","text":"Green"}}]}]}`))
	f.Add([]byte(`{"object":"page","entry":[{"id":"P","time":1,"standby":[{"sender":{"id":"S"},"recipient":{"id":"P"},"timestamp":2,"postback":{"title":"Buy","payload":"BUY:1"}}]}]}`))
	f.Add([]byte(`{"object":"page","entry":[{"id":"P","messaging":[{"sender":{"id":"S"},"delivery":{"mids":["m_x"],"watermark":1458668856253}},{"sender":{"id":"S"},"read":{"watermark":7}},{"sender":{"id":"S"},"timestamp":3,"account_linking":{"status":"unlinked"}},{"sender":{"id":"S"},"referral":{"ref":"r"}},{"optin":{"type":"notification_messages"}},{"policy_enforcement":{"action":"block"}}]}]}`))
	f.Add([]byte(`{"object":"page","entry":[{"id":"P","messaging":[{"message":{"text":"x"}}]}]}`))
	f.Add([]byte(`{"object":"page","entry":[{"id":"P","messaging":[null,{"message":null},7]}]}`))
	f.Add([]byte(`{"object":"user","entry":[]}`))
	f.Fuzz(func(t *testing.T, body []byte) {
		header := messenger.SignatureHeaderValue("app-secret", body)
		if err := messenger.VerifySignature("app-secret", body, header); err != nil {
			t.Fatalf("the right signature failed: %v", err)
		}
		if err := messenger.VerifySignature("app-secret", append(slices.Clone(body), ' '), header); err == nil {
			t.Fatal("a signature verified a body it was not made for")
		}

		events, err := messenger.ParseDelivery(body)
		if err != nil {
			if events != nil {
				t.Fatalf("ParseDelivery returned events and %v", err)
			}
			return
		}
		again, _ := messenger.ParseDelivery(bytes.Clone(body))
		for i, e := range events {
			if !slices.Contains(eventTypes, e.Type) {
				t.Fatalf("event %d has type %q", i, e.Type)
			}
			if e.Key == "" || e.Key == "mid:" {
				t.Fatalf("event %d (%s) has key %q", i, e.Type, e.Key)
			}
			if !json.Valid(e.Item) {
				t.Fatalf("event %d's item is not JSON: %q", i, e.Item)
			}
			if again[i].Key != e.Key {
				t.Fatalf("event %d's key is %q, then %q: a redelivery would be a new event", i, e.Key, again[i].Key)
			}
		}
	})
}
