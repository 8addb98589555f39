package sandbox

import (
	"testing"
	"time"
)

func TestSendRateLimitIsPerPageAndPerSecond(t *testing.T) {
	var w rateWindow
	now := time.Unix(1_800_000_000, 0)
	for i := range sendRateLimit {
		if !w.allow("page-a", now) {
			t.Fatalf("call %d refused", i+1)
		}
	}
	if w.allow("page-a", now.Add(500*time.Millisecond)) {
		t.Fatal("call 301 in the same second allowed")
	}
	if !w.allow("page-b", now) {
		t.Fatal("another Page is limited by the first one's calls")
	}
	if !w.allow("page-a", now.Add(time.Second)) {
		t.Fatal("the next second is still limited")
	}
}
