package messenger

import (
	"encoding/json"
	"errors"
	"fmt"
)

// Error is a failed Graph API call: a Graph error, an HTTP failure, or a transport failure.
type Error struct {
	HTTPStatus int
	Code       int    `json:"code"`
	Subcode    int    `json:"error_subcode"`
	Type       string `json:"type"`
	Message    string `json:"message"`
	FBTraceID  string `json:"fbtrace_id"`
	Transport  error  `json:"-"`
}

func (e *Error) Error() string {
	if e.Transport != nil {
		return "messenger: " + e.Transport.Error()
	}
	return fmt.Sprintf("messenger: HTTP %d, code %d/%d: %s", e.HTTPStatus, e.Code, e.Subcode, e.Message)
}

func (e *Error) Unwrap() error { return e.Transport }

func decodeError(status int, body []byte) error {
	var wrapper struct {
		Error *Error `json:"error"`
	}
	if json.Unmarshal(body, &wrapper) != nil || wrapper.Error == nil {
		return &Error{HTTPStatus: status, Message: fmt.Sprintf("unexpected answer %q", truncate(body, 200))}
	}
	wrapper.Error.HTTPStatus = status
	return wrapper.Error
}

func truncate(b []byte, n int) string {
	if len(b) > n {
		return string(b[:n]) + "…"
	}
	return string(b)
}

// Graph error codes the product acts on.
const (
	CodeInvalidToken    = 190
	CodeUserUnavailable = 551
	CodeRateLimit       = 613
	CodeAppRateLimit    = 4
	CodeOutsideWindow   = 10
	SubcodeWindowClosed = 2018278
)

// Retryable reports whether the same call may succeed later: transport failures, 5xx, rate
// limits and Graph's temporary errors. Everything else (551, 190, the 24-hour window, bad
// requests) fails the same way again.
func Retryable(err error) bool {
	var e *Error
	if !errors.As(err, &e) {
		return false
	}
	switch {
	case e.Transport != nil, e.HTTPStatus >= 500:
		return true
	}
	switch e.Code {
	case CodeRateLimit, CodeAppRateLimit, 17, 32, 1, 2, -1:
		return true
	}
	return false
}

// TokenInvalid reports whether the Page's token no longer works (190): the connection needs
// the retailer to reconnect.
func TokenInvalid(err error) bool {
	var e *Error
	return errors.As(err, &e) && e.Code == CodeInvalidToken
}

// PlainWords explains a Send API failure to a retailer.
func PlainWords(err error) string {
	var e *Error
	if !errors.As(err, &e) {
		return "The message could not be sent."
	}
	switch {
	case e.Transport != nil, e.HTTPStatus >= 500, e.Code == 1, e.Code == 2, e.Code == -1:
		return "Messenger did not answer. The message will be sent again shortly."
	case e.Code == CodeUserUnavailable:
		return "This person isn't available on Messenger right now (they may have blocked the Page or deactivated their account)."
	case e.Code == CodeInvalidToken:
		return "The Facebook Page connection has expired. Reconnect the Page in Settings to send messages."
	case e.Code == CodeRateLimit, e.Code == CodeAppRateLimit:
		return "Messenger is limiting how fast the Page can send. The message will be sent again shortly."
	case e.Code == CodeOutsideWindow && e.Subcode == SubcodeWindowClosed:
		return "More than 24 hours have passed since this shopper's last message, so Messenger no longer accepts a normal reply."
	}
	return "Messenger refused the message: " + e.Message
}

// OutsideWindow reports whether Meta refused a message because the shopper last wrote more than
// 24 hours ago (10/2018278): a utility template may still go.
func OutsideWindow(err error) bool {
	var e *Error
	return errors.As(err, &e) && e.Code == CodeOutsideWindow && e.Subcode == SubcodeWindowClosed
}
