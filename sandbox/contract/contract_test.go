package contract_test

import (
	"bytes"
	"compress/gzip"
	"mime/multipart"
	"net/http"
	"net/http/httptest"
	"net/textproto"
	"os"
	"strings"
	"testing"

	"github.com/chatshop/chatshop/sandbox/contract"
)

// answer is a fake emulator that always gives the same answer.
func answer(status int, body string) http.Handler {
	return http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {
		w.Header().Set("Content-Type", "application/json")
		w.WriteHeader(status)
		_, _ = w.Write([]byte(body))
	})
}

func sample(t *testing.T, name string) string {
	t.Helper()
	b, err := os.ReadFile("testdata/" + name)
	if err != nil {
		t.Fatal(err)
	}
	return string(b)
}

func TestCheckerJudgesRequestsAndAnswers(t *testing.T) {
	const badOrder = `{"intent":"SELL","purchase_units":[{"amount":{"currency_code":"USD","value":"10.00"}}]}`
	notFound := `{"name":"RESOURCE_NOT_FOUND","message":"The specified resource does not exist.","debug_id":"f8574efcf7ad9"}`
	invalid := `{"name":"INVALID_REQUEST","message":"Request is not well-formed, syntactically incorrect, or violates schema.","debug_id":"f8574efcf7ad9",` +
		`"details":[{"field":"/intent","location":"body","issue":"INVALID_PARAMETER_VALUE","description":"A parameter value is not valid."}]}`
	tests := []struct {
		name, method, path, request string
		status                      int
		response                    string
		want                        string // a part of the one violation, or "" for none
	}{
		{"an order with an unknown status", "POST", "/v2/checkout/orders", sample(t, "orders_create_request.json"),
			201, `{"id":"X","status":"NOPE"}`, `"/status": value is not one of the allowed values`},
		{"PayPal's create-order answer", "POST", "/v2/checkout/orders", sample(t, "orders_create_request.json"),
			201, sample(t, "orders_create_response_201.json"), ""},
		{"a refused request accepted", "POST", "/v2/checkout/orders", badOrder,
			201, sample(t, "orders_create_response_201.json"), "PayPal's schema refuses the request"},
		{"a refused request refused", "POST", "/v2/checkout/orders", badOrder, 400, invalid, ""},
		{"a 400 that is not PayPal's error", "POST", "/v2/checkout/orders", badOrder, 400, `{"message":"bad"}`, "does not match POST /v2/checkout/orders"},
		{"PayPal's capture answer", "POST", "/v2/checkout/orders/5O190127TN364715T/capture", "",
			201, sample(t, "orders_capture_response_201_realistic.json"), ""},
		{"PayPal's already-captured error", "POST", "/v2/checkout/orders/5O190127TN364715T/capture", "",
			422, sample(t, "orders_capture_422_already_captured.json"), ""},
		{"an unknown order", "GET", "/v2/checkout/orders/NOPE", "", 404, notFound, ""},
		{"PayPal's refund", "POST", "/v2/payments/captures/3C679366HH908993F/refund", sample(t, "refund_request.json"),
			201, sample(t, "refund_response_201.json"), ""},
		{"a real dispute with no items", "GET", "/v1/customer/disputes/PP-D-33305", "",
			200, sample(t, "dispute_get_200_swagpaypal.json"), ""},
		{"a verification of a real event", "POST", "/v1/notifications/verify-webhook-signature", sample(t, "verify_webhook_signature_request.json"),
			200, `{"verification_status":"SUCCESS"}`, ""},
		{"a status PayPal does not document", "GET", "/v3/vault/payment-tokens/8kk8451t", "", 401, `{}`, "status is not supported"},
		{"a success PayPal does not document", "POST", "/v2/payments/captures/3C679366HH908993F/refund", sample(t, "refund_request.json"),
			200, sample(t, "refund_response_201.json"), "PayPal documents no 200 answer"},
		{"a seller found by tracking id (the file says 201)", "GET", "/v1/customer/partners/CHATSHPPARTNR/merchant-integrations?tracking_id=shop42", "",
			200, `{"merchant_id":"7GHKL78J89JKX","tracking_id":"shop42"}`, ""},
		{"a payment token from a setup token (the file lacks SETUP_TOKEN)", "POST", "/v3/vault/payment-tokens",
			`{"payment_source":{"token":{"id":"5C991763VB2781612","type":"SETUP_TOKEN"}}}`, 201, `{"id":"8kk8451t","payment_source":{}}`, ""},
		{"a referral without legal consents (the file lacks the issue)", "POST", "/v2/customer/partner-referrals", `{"tracking_id":"x","operations":[{}]}`, 400,
			`{"name":"INVALID_REQUEST","message":"Request is not well-formed, syntactically incorrect, or violates schema.","debug_id":"f8574efcf7ad9",` +
				`"details":[{"field":"/legal_consents","location":"body","issue":"MISSING_REQUIRED_PARAMETER","description":"A required field / parameter is missing."}]}`, ""},
		{"a path PayPal does not have", "GET", "/v2/checkout/widgets", "", 200, `{}`, "not in PayPal's API"},
		{"a method PayPal does not have", "DELETE", "/v2/checkout/orders/5O190127TN364715T", "", 204, ``, "not in PayPal's API"},
		{"a path nobody serves", "GET", "/v9/nothing", "", 404, `{}`, ""},
		{"the token endpoint", "POST", "/v1/oauth2/token", "grant_type=client_credentials", 200, `{"access_token":"A21AA"}`, ""},
		{"a buyer page", "GET", "/agreements/approve?approval_session_id=X", "", 200, `{}`, ""},
		{"the emulator's control API", "POST", "/api/approve", `{"order_id":"X"}`, 200, `{"status":"APPROVED"}`, ""},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			checker, err := contract.Load()
			if err != nil {
				t.Fatal(err)
			}
			h := checker.Handler(answer(tt.status, tt.response), "/sandbox/paypal")
			req := httptest.NewRequest(tt.method, "/sandbox/paypal"+tt.path, strings.NewReader(tt.request))
			req.Header.Set("Content-Type", "application/json")
			req.Header.Set("PayPal-Request-Id", "contract-test-1")
			res := httptest.NewRecorder()
			h.ServeHTTP(res, req)
			if res.Code != tt.status || res.Body.String() != tt.response {
				t.Fatalf("the answer did not pass through: %d %s", res.Code, res.Body)
			}
			got := checker.Violations()
			switch {
			case tt.want == "" && len(got) > 0:
				t.Fatalf("violations: %q", got)
			case tt.want != "" && (len(got) != 1 || !strings.Contains(got[0], tt.want)):
				t.Fatalf("violations %q, want one with %q", got, tt.want)
			}
		})
	}
}

// Pages outside the PayPal prefix are not looked at.
func TestCheckerIgnoresOtherPaths(t *testing.T) {
	checker, err := contract.Load()
	if err != nil {
		t.Fatal(err)
	}
	h := checker.Handler(answer(200, `{"status":"NOPE"}`), "/sandbox/paypal")
	h.ServeHTTP(httptest.NewRecorder(), httptest.NewRequest("POST", "/v2/checkout/orders", strings.NewReader("{}")))
	if got := checker.Violations(); len(got) > 0 {
		t.Fatalf("violations: %q", got)
	}
}

// A compressed answer is checked as sent.
func TestCheckerReadsGzippedAnswers(t *testing.T) {
	checker, err := contract.Load()
	if err != nil {
		t.Fatal(err)
	}
	h := checker.Handler(http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {
		w.Header().Set("Content-Type", "application/json")
		w.Header().Set("Content-Encoding", "gzip")
		zw := gzip.NewWriter(w)
		_, _ = zw.Write([]byte(`{"id":"X","status":"NOPE"}`))
		_ = zw.Close()
	}), "/sandbox/paypal")
	h.ServeHTTP(httptest.NewRecorder(), httptest.NewRequest("GET", "/sandbox/paypal/v2/checkout/orders/X", nil))
	if got := checker.Violations(); len(got) != 1 || !strings.Contains(got[0], `"/status": value is not one of the allowed values`) {
		t.Fatalf("violations: %q", got)
	}
}

// Dispute evidence travels as JSON in a multipart part named "input", checked as PayPal's evidence.
func TestCheckerReadsDisputeEvidence(t *testing.T) {
	for evidenceType, want := range map[string]int{"PROOF_OF_FULFILLMENT": 0, "NOPE": 1} {
		t.Run(evidenceType, func(t *testing.T) {
			checker, err := contract.Load()
			if err != nil {
				t.Fatal(err)
			}
			var body bytes.Buffer
			w := multipart.NewWriter(&body)
			part, _ := w.CreatePart(textproto.MIMEHeader{"Content-Disposition": {`form-data; name="input"; filename="input.json"`},
				"Content-Type": {"application/json"}})
			_, _ = part.Write([]byte(`{"evidences":[{"evidence_type":"` + evidenceType + `","notes":"Shipped."}]}`))
			file, _ := w.CreateFormFile("evidence-file", "receipt.pdf")
			_, _ = file.Write([]byte("%PDF-1.4"))
			_ = w.Close()
			req := httptest.NewRequest("POST", "/sandbox/paypal/v1/customer/disputes/PP-D-1/provide-evidence", &body)
			req.Header.Set("Content-Type", w.FormDataContentType())
			h := checker.Handler(answer(200, `{"links":[{"href":"https://api-m.paypal.com/v1/customer/disputes/PP-D-1","rel":"self","method":"GET"}]}`), "/sandbox/paypal")
			h.ServeHTTP(httptest.NewRecorder(), req)
			if got := checker.Violations(); len(got) != want {
				t.Fatalf("violations: %q, want %d", got, want)
			}
		})
	}
}
