package password_test

import (
	"strings"
	"testing"

	"github.com/chatshop/chatshop/password"
)

func TestCheckNewPassword(t *testing.T) {
	for _, tc := range []struct {
		password, email string
		ok              bool
	}{
		{"tiny", "", false},
		{"password", "", false},
		{"PassWord1", "", false},
		{"qwertyuiop", "", false},
		{"iloveyou", "", false},
		{"me@example.com", "me@example.com", false},
		{strings.Repeat("x", 257), "", false},
		{"correct horse battery staple", "", true},
		{"lakeside-canvas-42", "", true},
		{"ünïcödé-pässwörd", "", true},
	} {
		t.Run(tc.password, func(t *testing.T) {
			msg := password.CheckNew(tc.password, tc.email)
			if (msg == "") != tc.ok {
				t.Fatalf("CheckNew(%q) = %q, want ok=%v", tc.password, msg, tc.ok)
			}
		})
	}
}
