// Package contract checks the PayPal emulator against PayPal's official OpenAPI files: every
// request a test sends to it and every answer it gives. Tests import it; the server does not.
package contract

import (
	"bytes"
	"context"
	"fmt"
	"io"
	"net/http"
	"net/url"
	"regexp"
	"strings"
	"sync"

	"github.com/getkin/kin-openapi/openapi3"
	"github.com/getkin/kin-openapi/openapi3filter"
	"github.com/getkin/kin-openapi/routers"
)

// Checker records the contract violations of the requests it sees.
type Checker struct {
	specs  []spec
	tokens map[string]bool // the OAuth token paths the files name (tokenUrl)

	mu         sync.Mutex
	violations []string
}

// Load returns a new checker with no violations; PayPal's files are loaded once per process.
func Load() (*Checker, error) {
	specs, tokens, err := loadSpecs()
	if err != nil {
		return nil, err
	}
	return &Checker{specs: specs, tokens: tokens}, nil
}

// Violations are the problems seen so far, each naming the request, the status and the reason.
func (c *Checker) Violations() []string {
	c.mu.Lock()
	defer c.mu.Unlock()
	return append([]string(nil), c.violations...)
}

func (c *Checker) report(r *http.Request, status int, format string, args ...any) {
	c.mu.Lock()
	defer c.mu.Unlock()
	c.violations = append(c.violations, fmt.Sprintf("%s %s → %d: ", r.Method, r.URL.RequestURI(), status)+fmt.Sprintf(format, args...))
}

// Handler serves next and checks each request under prefix (the emulator's PayPal API base) and
// its answer against PayPal's API.
func (c *Checker) Handler(next http.Handler, prefix string) http.Handler {
	return http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {
		// Route on the escaped path: an id may hold an escaped "/" (partner referral ids are base64).
		path, ok := strings.CutPrefix(r.URL.EscapedPath(), prefix)
		if !ok || !restAPI.MatchString(path) {
			next.ServeHTTP(w, r)
			return
		}
		body, err := io.ReadAll(r.Body)
		if err != nil {
			http.Error(w, err.Error(), http.StatusBadRequest)
			return
		}
		r.Body = io.NopCloser(bytes.NewReader(body))
		probe := r.Clone(context.Background())
		probe.URL.Path, probe.URL.RawPath = path, ""
		rec := &recorder{ResponseWriter: w}
		next.ServeHTTP(rec, r)
		if rec.status == 0 {
			rec.status = http.StatusOK
		}
		c.check(r, probe, body, rec)
	})
}

// restAPI tells PayPal's REST API, whose paths all start with a version (/v1/, /v2/ ...), from the
// emulator's control API (/api/) and its pages for people, PayPal's www pages (/checkout/,
// /bizsignup/, /agreements/ ...), which the files do not describe.
var restAPI = regexp.MustCompile(`^/v[0-9]+/`)

// certsPath is a PayPal endpoint none of the files describes: the certificate PayPal names in
// PAYPAL-CERT-URL on each webhook delivery (only the newer developer.paypal.com schema has it). The
// other, the token endpoint, is named in the files' security schemes (tokenUrl).
const certsPath = "/v1/notifications/certs/"

func (c *Checker) check(r, probe *http.Request, body []byte, rec *recorder) {
	route, params, found := c.findRoute(probe)
	if !found {
		if c.tokens[probe.URL.Path] || strings.HasPrefix(probe.URL.Path, certsPath) {
			return
		}
		// An answer other than 404/405 means the emulator serves a path PayPal does not have.
		if rec.status != http.StatusNotFound && rec.status != http.StatusMethodNotAllowed {
			c.report(r, rec.status, "not in PayPal's API")
		}
		return
	}
	opts := &openapi3filter.Options{
		AuthenticationFunc:    openapi3filter.NoopAuthenticationFunc, // the emulator checks its tokens itself
		IncludeResponseStatus: true,
		MultiError:            true,
		SkipSettingDefaults:   true,
		RegexCompiler:         compileRegex,
		SchemaValidationOptions: []openapi3.SchemaValidationOption{
			openapi3.SetSchemaRegexCompiler(compileRegex), openapi3.DisableSchemaErrorDetails()},
		// The request carries a webhook event as PayPal sent it, and the event schema marks
		// every field readOnly.
		ExcludeReadOnlyValidations: route.Path == "/v1/notifications/verify-webhook-signature",
	}
	probe.Body = io.NopCloser(bytes.NewReader(body))
	in := &openapi3filter.RequestValidationInput{Request: probe, PathParams: params, Route: route, Options: opts}
	// A request PayPal's schema refuses is fine when the emulator refuses it too: tests send bad
	// input on purpose.
	if err := openapi3filter.ValidateRequest(context.Background(), in); err != nil && (rec.status < 400 || rec.status >= 500) {
		c.report(r, rec.status, "PayPal's schema refuses the request, the emulator did not: %v", err)
	}
	if rec.status < 400 && route.Operation.Responses.Status(rec.status) == nil {
		// PayPal's "default" responses are errors: a success PayPal does not document is wrong.
		c.report(r, rec.status, "PayPal documents no %d answer to %s %s in %s", rec.status, route.Method, route.Path, c.fileOf(route))
		return
	}
	answer, err := rec.decoded()
	if err != nil {
		c.report(r, rec.status, "unreadable answer: %v", err)
		return
	}
	err = openapi3filter.ValidateResponse(context.Background(), &openapi3filter.ResponseValidationInput{RequestValidationInput: in,
		Status: rec.status, Header: rec.Header(), Body: io.NopCloser(bytes.NewReader(answer)), Options: opts})
	if err != nil {
		c.report(r, rec.status, "the response does not match %s %s in %s: %v", route.Method, route.Path, c.fileOf(route), err)
	}
}

// findRoute finds the operation of a request (its path without the prefix) in PayPal's files.
func (c *Checker) findRoute(req *http.Request) (*routers.Route, map[string]string, bool) {
	for _, s := range c.specs {
		if route, params, err := s.router.FindRoute(req); err == nil {
			for k, v := range params {
				if p, err := url.PathUnescape(v); err == nil {
					params[k] = p
				}
			}
			return route, params, true
		}
	}
	return nil, nil, false
}

func (c *Checker) fileOf(route *routers.Route) string {
	for _, s := range c.specs {
		if s.doc == route.Spec {
			return strings.TrimPrefix(s.file, "openapi/")
		}
	}
	return "?"
}
