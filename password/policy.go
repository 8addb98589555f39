package password

import (
	_ "embed"
	"strings"
	"sync"
	"unicode/utf8"
)

// commonPasswords are the entries of at least 8 characters among the 100,000 most common passwords
// of SecLists' "10 million password list" (MIT licence), lower-cased.
//
//go:embed common-passwords.txt
var commonPasswordsText string

var (
	commonOnce sync.Once
	common     map[string]struct{}
)

// Password rules, as NIST SP 800-63B and OWASP ASVS ask: a length floor, a ceiling that bounds the
// hashing work, and a check against known passwords; no composition rules.
const (
	MinLength = 8
	MaxLength = 256
)

// CheckNew returns what is wrong with a new password, or "" when it may be used.
func CheckNew(password, email string) string {
	n := utf8.RuneCountInString(password)
	switch {
	case n < MinLength:
		return "Use at least 8 characters."
	case n > MaxLength:
		return "Use at most 256 characters."
	case isCommonPassword(password):
		return "This password is too common and easy to guess. Choose another."
	case email != "" && strings.EqualFold(password, strings.TrimSpace(email)):
		return "Do not use your email address as your password."
	}
	return ""
}

func isCommonPassword(password string) bool {
	commonOnce.Do(func() {
		common = make(map[string]struct{}, 40000)
		for _, line := range strings.Split(commonPasswordsText, "\n") {
			if line != "" {
				common[line] = struct{}{}
			}
		}
	})
	_, ok := common[strings.ToLower(password)]
	return ok
}
