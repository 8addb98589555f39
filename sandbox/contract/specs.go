package contract

import (
	"embed"
	"fmt"
	"io/fs"
	"regexp"
	"sync"

	"github.com/getkin/kin-openapi/openapi3"
	"github.com/getkin/kin-openapi/routers"
	"github.com/getkin/kin-openapi/routers/legacy"
)

// openAPIFiles are PayPal's official OpenAPI files, unchanged (see openapi/README.md).
//
//go:embed openapi/*.json
var openAPIFiles embed.FS

// spec is one loaded PayPal API description and its router.
type spec struct {
	file   string
	doc    *openapi3.T
	router routers.Router
}

var (
	loadOnce   sync.Once
	loaded     []spec
	tokenPaths map[string]bool
	loadErr    error
)

// loadSpecs loads and validates every file once per process: a file takes ~0.2 s and many tests
// start servers.
func loadSpecs() ([]spec, map[string]bool, error) {
	loadOnce.Do(func() { loaded, tokenPaths, loadErr = readSpecs() })
	return loaded, tokenPaths, loadErr
}

// docOptions are what PayPal's files need to pass kin-openapi's document validation.
var docOptions = []openapi3.ValidationOption{
	// PayPal writes keywords next to $ref (description, readOnly, minLength ...).
	openapi3.AllowExtraSiblingFields("description", "readOnly", "writeOnly", "type", "format", "title", "deprecated",
		"example", "nullable", "default", "minLength", "maxLength", "pattern", "enum", "items", "properties", "minItems", "maxItems"),
	// Disputes v1 has parameter defaults that break their own patterns ("The first page of data").
	openapi3.DisableSchemaDefaultsValidation(),
	// Examples are documentation, not the contract, and some are wrong: disputes v1 swaps the
	// escalate and require-evidence examples; webhooks' verify example sends readOnly fields.
	openapi3.DisableExamplesValidation(),
	openapi3.SetRegexCompiler(compileRegex),
}

func readSpecs() ([]spec, map[string]bool, error) {
	names, err := fs.Glob(openAPIFiles, "openapi/*.json")
	if err != nil {
		return nil, nil, err
	}
	var specs []spec
	tokens := map[string]bool{}
	for _, name := range names {
		data, err := openAPIFiles.ReadFile(name)
		if err != nil {
			return nil, nil, err
		}
		doc, err := openapi3.NewLoader().LoadFromData(data)
		if err != nil {
			return nil, nil, fmt.Errorf("contract: load %s: %w", name, err)
		}
		patch(name, doc)
		router, err := legacy.NewRouter(doc, docOptions...) // validates the document
		if err != nil {
			return nil, nil, fmt.Errorf("contract: %s: %w", name, err)
		}
		specs = append(specs, spec{file: name, doc: doc, router: router})
		for _, scheme := range doc.Components.SecuritySchemes {
			if f := scheme.Value.Flows; f != nil && f.ClientCredentials != nil {
				tokens[f.ClientCredentials.TokenURL] = true
			}
		}
	}
	return specs, tokens, nil
}

// patch adapts a loaded document in memory so that it can route the emulator's requests and
// describes what PayPal really sends.
func patch(name string, doc *openapi3.T) {
	// The servers are PayPal's hosts; the checker strips the emulator's prefix and routes on the
	// path alone.
	doc.Servers = nil

	// Disputes v1 lists the tag "referred-disputes" twice, which fails document validation.
	seen := map[string]bool{}
	tags := doc.Tags[:0]
	for _, tag := range doc.Tags {
		if !seen[tag.Name] {
			seen[tag.Name] = true
			tags = append(tags, tag)
		}
	}
	doc.Tags = tags

	fixSpecBugs(name, doc)
}

// fixSpecBugs corrects, each for a file, what the files get wrong about PayPal's real answers.
func fixSpecBugs(name string, doc *openapi3.T) {
	switch name {
	case "openapi/customer_disputes_v1.json":
		// Real disputes carry "disputed_transactions": [{"items": [], ...}] (PayPal's GET of a
		// resolved chargeback, PROTOCOL.md §5.4) while transaction_info.items says minItems 1.
		doc.Components.Schemas["transaction_info"].Value.Properties["items"].Value.MinItems = 0
		addDisputeInputPart(doc)
	case "openapi/customer_partner_referrals_v1.json":
		// The look-up of a seller by tracking id is a GET that creates nothing, yet the file gives
		// it only a "201 Created" (and no body schema): accept the 200 of a read as well.
		find := doc.Paths.Value("/v1/customer/partners/{partner_id}/merchant-integrations").Get
		find.Responses.Set("200", find.Responses.Value("201"))
	case "openapi/customer_partner_referrals_v2.json":
		// The create's 400 lists four issues only, but operations and legal_consents are required
		// and the body is JSON: PayPal's generic issues for those (the Orders file lists them too)
		// are answers of this API as well.
		details := doc.Components.Schemas["400"].Value.Properties["details"].Value.Items.Value
		for _, issue := range []any{"MISSING_REQUIRED_PARAMETER", "MALFORMED_REQUEST_JSON"} {
			details.AnyOf = append(details.AnyOf, openapi3.NewObjectSchema().WithProperty("issue", openapi3.NewStringSchema().WithEnum(issue)).NewRef())
		}
	case "openapi/checkout_orders_v2.json":
		fixTrackers(doc)
	case "openapi/vault_payment_tokens_v3.json":
		// A payment token is made from an approved setup token, {"token": {"id": ..., "type":
		// "SETUP_TOKEN"}}: PayPal's current reference (developer.paypal.com/sdk/vault/v2/definitions/
		// token_id_request) has that type; this older file lists BILLING_AGREEMENT only.
		typ := doc.Components.Schemas["token_id_request"].Value.Properties["type"].Value
		typ.Enum = append(typ.Enum, "SETUP_TOKEN")
	}
}

// fixTrackers brings Orders 2.13's shipment tracking in line with PayPal's current SDK
// (PayPal-TypeScript-Server-SDK 2.4.0) and the integrations that use it (WooCommerce, Shopware):
// a tracker request requires capture_id only (the file also requires transaction_id and status,
// inherited from the v1 tracker); OTHER is a carrier (the file's description names it, its enum
// lacks it); a tracker's id is "{capture_id}-{tracking_number}" (the file's pattern forbids "-").
func fixTrackers(doc *openapi3.T) {
	doc.Components.Schemas["shipment_tracker"].Value.Required = nil
	carriers := doc.Components.Schemas["shipment_carrier"].Value
	carriers.Enum = append(carriers.Enum, "OTHER")
	id := doc.Components.Parameters["tracker_id"].Value.Schema.Value
	id.Pattern, id.MaxLength = "", nil
}

// addDisputeInputPart lets the multipart seller actions carry their JSON: PayPal wants it in a part
// named "input" next to the files (PROTOCOL.md §5.3), which the file's multipart schemas, listing
// only the file parts, leave out. Evidence is checked as the file describes it; the rest of the
// JSON the file does not describe.
func addDisputeInputPart(doc *openapi3.T) {
	for _, item := range doc.Paths.Map() {
		if item.Post == nil || item.Post.RequestBody == nil {
			continue
		}
		form := item.Post.RequestBody.Value.Content.Get("multipart/form-data")
		if form == nil || form.Schema.Ref != "" || form.Schema.Value.Properties["input"] != nil {
			continue // a JSON schema sent as form fields, or done (provide-evidence and appeal share one)
		}
		input := openapi3.NewObjectSchema()
		if form.Schema.Value.Properties["evidence-file"] != nil {
			input.WithPropertyRef("evidences", openapi3.NewArraySchema().WithItems(doc.Components.Schemas["evidence"].Value).NewRef())
		}
		form.Schema.Value.Properties["input"] = input.NewRef()
	}
}

// uPattern matches the \uXXXX escapes JSON Schema patterns may use and Go writes \x{XXXX}.
var uPattern = regexp.MustCompile(`\\u([0-9A-Fa-f]{4})`)

// compileRegex compiles a schema pattern with Go's regexp. A few of PayPal's patterns are not RE2
// (webhooks' `^(?!\d+$)\w+\S+` uses a lookahead; partner referrals' `^[0-9A-Za-z_-.]+$` has a
// range Go refuses): those match anything rather than fail every value.
func compileRegex(expr string) (openapi3.RegexMatcher, error) {
	re, err := regexp.Compile(uPattern.ReplaceAllString(expr, `\x{$1}`))
	if err != nil {
		return anything{}, nil
	}
	return re, nil
}

type anything struct{}

func (anything) MatchString(string) bool { return true }
