package messenger_test

import (
	"errors"
	"testing"

	"github.com/chatshop/chatshop/messenger"
)

func TestVerifySignature(t *testing.T) {
	body := []byte(`{"object":"page","entry":[{"id":"682498171943165","time":1502905976963,"messaging":[]}]}`)
	good := messenger.SignatureHeaderValue("app-secret", body)
	for _, tc := range []struct {
		name   string
		secret string
		body   []byte
		header string
		want   error
	}{
		{"valid", "app-secret", body, good, nil},
		{"missing", "app-secret", body, "", messenger.ErrMissingSignature},
		{"wrong secret", "other-secret", body, good, messenger.ErrBadSignature},
		{"tampered body", "app-secret", append([]byte(" "), body...), good, messenger.ErrBadSignature},
		{"sha1 prefix", "app-secret", body, "sha1=" + good[len("sha256="):], messenger.ErrBadSignature},
		{"not hex", "app-secret", body, "sha256=zz", messenger.ErrBadSignature},
		{"truncated", "app-secret", body, good[:len(good)-2], messenger.ErrBadSignature},
	} {
		t.Run(tc.name, func(t *testing.T) {
			if err := messenger.VerifySignature(tc.secret, tc.body, tc.header); !errors.Is(err, tc.want) {
				t.Fatalf("VerifySignature = %v, want %v", err, tc.want)
			}
		})
	}
}

// The signature is over the bytes as sent: ASCII-escaped JSON verifies only as those bytes.
func TestSignatureIsOverTheEscapedBytes(t *testing.T) {
	escaped := []byte(`{"object":"page","entry":[{"id":"1","time":1,"messaging":[{"message":{"mid":"m_1","text":"\u00e4\u00f6\u00e5"}}]}]}`)
	decoded := []byte(`{"object":"page","entry":[{"id":"1","time":1,"messaging":[{"message":{"mid":"m_1","text":"äöå"}}]}]}`)
	header := messenger.SignatureHeaderValue("s", escaped)
	if err := messenger.VerifySignature("s", escaped, header); err != nil {
		t.Fatal(err)
	}
	if err := messenger.VerifySignature("s", decoded, header); err == nil {
		t.Fatal("the decoded body verified with the escaped body's signature")
	}
}

func TestParseDeliverySplitsEntriesAndItems(t *testing.T) {
	body := []byte(`{"object":"page","entry":[
	 {"id":"PAGE1","time":1502905976963,"messaging":[
	  {"sender":{"id":"PSID1"},"recipient":{"id":"PAGE1"},"timestamp":1502905976377,"message":{"quick_reply":{"payload":"GREEN"},"mid":"m_AG5H","text":"Green"}},
	  {"sender":{"id":"PSID1"},"recipient":{"id":"PAGE1"},"timestamp":1458668856463,"read":{"watermark":1458668856253}}
	 ]},
	 {"id":"PAGE2","time":1502905976999,"messaging":[
	  {"sender":{"id":"PAGE2"},"recipient":{"id":"PSID2"},"timestamp":1457764197627,"message":{"is_echo":true,"app_id":1517776481860111,"mid":"mid.1457764197618:41d1","text":"hi"}},
	  {"sender":{"id":"PSID2"},"recipient":{"id":"PAGE2"},"timestamp":1458692752478,"postback":{"title":"Buy","payload":"BUY:1"}},
	  {"sender":{"id":"PSID2"},"recipient":{"id":"PAGE2"},"timestamp":1458692752479,"postback":{"title":"Buy","payload":"BUY:1","mid":"m_pb"}},
	  {"sender":{"id":"PSID2"},"recipient":{"id":"PAGE2"},"delivery":{"mids":["m_x"],"watermark":1458668856253}},
	  {"sender":{"id":"PSID2"},"recipient":{"id":"PAGE2"},"timestamp":1234567890,"account_linking":{"status":"linked","authorization_code":"abc"}},
	  {"sender":{"id":"PSID2"},"recipient":{"id":"PAGE2"},"timestamp":1234567891,"policy_enforcement":{"action":"block"}}
	 ]}]}`)
	events, err := messenger.ParseDelivery(body)
	if err != nil {
		t.Fatal(err)
	}
	want := []struct{ page, psid, typ, key string }{
		{"PAGE1", "PSID1", "message", "mid:m_AG5H"},
		{"PAGE1", "PSID1", "read", "read:PAGE1:PSID1:1458668856253"},
		{"PAGE2", "PSID2", "echo", "mid:mid.1457764197618:41d1"},
		{"PAGE2", "PSID2", "postback", "postback:PAGE2:PSID2:1458692752478"},
		{"PAGE2", "PSID2", "postback", "mid:m_pb"},
		{"PAGE2", "PSID2", "delivery", "delivery:PAGE2:PSID2:1458668856253"},
		{"PAGE2", "PSID2", "account_linking", "account_linking:linked:PAGE2:PSID2:1234567890"},
		{"PAGE2", "PSID2", "unknown", ""},
	}
	if len(events) != len(want) {
		t.Fatalf("%d events, want %d", len(events), len(want))
	}
	for i, w := range want {
		e := events[i]
		if e.PageID != w.page || e.PSID != w.psid || e.Type != w.typ || (w.key != "" && e.Key != w.key) || e.Key == "" || len(e.Item) == 0 {
			t.Errorf("event %d = %+v, want %+v", i, e, w)
		}
	}
}

func TestParseDeliveryRejectsWhatIsNotAPageDelivery(t *testing.T) {
	for name, body := range map[string]string{
		"not json":        `{"object":`,
		"not a page":      `{"object":"instagram","entry":[]}`,
		"message, no mid": `{"object":"page","entry":[{"id":"P","messaging":[{"sender":{"id":"S"},"message":{"text":"x"}}]}]}`,
	} {
		t.Run(name, func(t *testing.T) {
			if _, err := messenger.ParseDelivery([]byte(body)); err == nil {
				t.Fatal("accepted")
			}
		})
	}
}
