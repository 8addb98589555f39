package sandbox

import (
	"encoding/json"
	"regexp"
	"strconv"

	"github.com/chatshop/chatshop/money"
)

// The Orders v2 resources, as much of them as chatshop and the buyer pages use; field names and
// shapes follow checkout_orders_v2.json.
type (
	paypalMoney struct {
		CurrencyCode string `json:"currency_code"`
		Value        string `json:"value"`
	}
	amountWithBreakdown struct {
		paypalMoney
		Breakdown *struct {
			ItemTotal        *paypalMoney `json:"item_total,omitempty"`
			Shipping         *paypalMoney `json:"shipping,omitempty"`
			Handling         *paypalMoney `json:"handling,omitempty"`
			TaxTotal         *paypalMoney `json:"tax_total,omitempty"`
			Insurance        *paypalMoney `json:"insurance,omitempty"`
			ShippingDiscount *paypalMoney `json:"shipping_discount,omitempty"`
			Discount         *paypalMoney `json:"discount,omitempty"`
		} `json:"breakdown,omitempty"`
	}
	item struct {
		Name        string       `json:"name"`
		UnitAmount  *paypalMoney `json:"unit_amount,omitempty"`
		Quantity    string       `json:"quantity"`
		Description string       `json:"description,omitempty"`
		SKU         string       `json:"sku,omitempty"`
		Category    string       `json:"category,omitempty"`
	}
	payee struct {
		EmailAddress string `json:"email_address,omitempty"`
		MerchantID   string `json:"merchant_id,omitempty"`
	}
	purchaseUnit struct {
		ReferenceID    string              `json:"reference_id,omitempty"`
		Amount         amountWithBreakdown `json:"amount"`
		Payee          *payee              `json:"payee,omitempty"`
		Description    string              `json:"description,omitempty"`
		CustomID       string              `json:"custom_id,omitempty"`
		InvoiceID      string              `json:"invoice_id,omitempty"`
		SoftDescriptor string              `json:"soft_descriptor,omitempty"`
		Items          []item              `json:"items,omitempty"`
		Payments       *struct {
			Captures []capture `json:"captures"`
		} `json:"payments,omitempty"`
		Shipping *shippingDetail `json:"shipping,omitempty"`
	}
	// shippingDetail is where a purchase unit goes: the buyer's choice on PayPal's page
	// (GET_FROM_FILE, the default), or what the merchant sent (SET_PROVIDED_ADDRESS).
	shippingDetail struct {
		Name *struct {
			FullName string `json:"full_name"`
		} `json:"name,omitempty"`
		Type    string           `json:"type,omitempty"`
		Address *portableAddress `json:"address,omitempty"`
		// Trackers are kept apart (sandbox_paypal_trackers) and added when the order is shown.
		Trackers []json.RawMessage `json:"trackers,omitempty"`
	}
	portableAddress struct {
		AddressLine1 string `json:"address_line_1,omitempty"`
		AddressLine2 string `json:"address_line_2,omitempty"`
		AdminArea2   string `json:"admin_area_2,omitempty"`
		AdminArea1   string `json:"admin_area_1,omitempty"`
		PostalCode   string `json:"postal_code,omitempty"`
		CountryCode  string `json:"country_code"`
	}
	experienceContext struct {
		BrandName          string `json:"brand_name,omitempty"`
		Locale             string `json:"locale,omitempty"`
		ShippingPreference string `json:"shipping_preference,omitempty"`
		UserAction         string `json:"user_action,omitempty"`
		ReturnURL          string `json:"return_url,omitempty"`
		CancelURL          string `json:"cancel_url,omitempty"`
		LandingPage        string `json:"landing_page,omitempty"`
	}
	payPalSource struct {
		ExperienceContext *experienceContext `json:"experience_context,omitempty"`
		VaultID           string             `json:"vault_id,omitempty"`
		EmailAddress      string             `json:"email_address,omitempty"`
		AccountID         string             `json:"account_id,omitempty"`
		AccountStatus     string             `json:"account_status,omitempty"`
		// Attributes carries the vault the payment came from (attributes.vault).
		Attributes any      `json:"attributes,omitempty"`
		Name       *name    `json:"name,omitempty"`
		Address    *address `json:"address,omitempty"`
	}
	name struct {
		GivenName string `json:"given_name,omitempty"`
		Surname   string `json:"surname,omitempty"`
	}
	address struct {
		CountryCode string `json:"country_code"`
	}
	payer struct {
		Name         *name    `json:"name,omitempty"`
		EmailAddress string   `json:"email_address,omitempty"`
		PayerID      string   `json:"payer_id,omitempty"`
		Address      *address `json:"address,omitempty"`
	}
	link struct {
		Href   string `json:"href"`
		Rel    string `json:"rel"`
		Method string `json:"method"`
	}
	order struct {
		ID            string `json:"id"`
		Intent        string `json:"intent"`
		Status        string `json:"status"`
		PaymentSource *struct {
			PayPal *payPalSource `json:"paypal,omitempty"`
		} `json:"payment_source,omitempty"`
		PurchaseUnits []purchaseUnit `json:"purchase_units"`
		Payer         *payer         `json:"payer,omitempty"`
		CreateTime    string         `json:"create_time,omitempty"`
		UpdateTime    string         `json:"update_time,omitempty"`
		Links         []link         `json:"links,omitempty"`
	}
	capture struct {
		ID            string `json:"id"`
		Status        string `json:"status"`
		StatusDetails *struct {
			Reason string `json:"reason"`
		} `json:"status_details,omitempty"`
		Amount                    paypalMoney `json:"amount"`
		FinalCapture              bool        `json:"final_capture"`
		DisbursementMode          string      `json:"disbursement_mode"`
		CustomID                  string      `json:"custom_id,omitempty"`
		InvoiceID                 string      `json:"invoice_id,omitempty"`
		SellerProtection          any         `json:"seller_protection"`
		SellerReceivableBreakdown any         `json:"seller_receivable_breakdown"`
		SupplementaryData         any         `json:"supplementary_data,omitempty"`
		Payee                     *payee      `json:"payee,omitempty"`
		Links                     []link      `json:"links"`
		CreateTime                string      `json:"create_time"`
		UpdateTime                string      `json:"update_time"`
	}
)

// issue is one entry of a PayPal error's details.
type issue struct {
	Field       string `json:"field,omitempty"`
	Value       string `json:"value,omitempty"`
	Location    string `json:"location,omitempty"`
	Issue       string `json:"issue"`
	Description string `json:"description"`
}

var merchantIDPattern = regexp.MustCompile(`^[2-9A-HJ-NP-Z]{13}$`)

// validateOrder checks a create request as PayPal does; it returns the HTTP status (400 or 422)
// and the issues, or 0 when the order is acceptable.
func validateOrder(o *order) (int, []issue) {
	var bad []issue
	field := func(path, value, code, description string) {
		bad = append(bad, issue{Field: path, Value: value, Location: "body", Issue: code, Description: description})
	}
	// What the schema refuses is a 400; the descriptions are those checkout_orders_v2.json lists.
	switch o.Intent {
	case "CAPTURE":
	case "":
		field("/intent", "", "MISSING_REQUIRED_PARAMETER", "A required parameter is missing.")
	default:
		field("/intent", o.Intent, "INVALID_PARAMETER_VALUE", "A parameter value is not valid.")
	}
	switch n := len(o.PurchaseUnits); {
	case n < 1:
		field("/purchase_units", strconv.Itoa(n), "INVALID_ARRAY_MIN_ITEMS", "The number of items in an array parameter is too small.")
	case n > 10:
		field("/purchase_units", strconv.Itoa(n), "INVALID_ARRAY_MAX_ITEMS", "The number of items in an array parameter is too large.")
	}
	for i := range o.PurchaseUnits {
		pu := &o.PurchaseUnits[i]
		if pu.ReferenceID == "" && len(o.PurchaseUnits) == 1 {
			pu.ReferenceID = "default"
		}
		at := "/purchase_units/@reference_id=='" + pu.ReferenceID + "'"
		if len(pu.CustomID) > 127 {
			field(at+"/custom_id", pu.CustomID, "INVALID_STRING_LENGTH", "The value of a field is either too short or too long")
		}
		for _, it := range pu.Items {
			if q, err := strconv.ParseInt(it.Quantity, 10, 64); err != nil || q < 1 || it.Name == "" {
				field(at+"/items", it.Name, "INVALID_PARAMETER_VALUE", "A parameter value is not valid.")
			}
		}
	}
	if len(bad) > 0 {
		return 400, bad
	}
	currencies := map[string]bool{}
	for i := range o.PurchaseUnits {
		pu := &o.PurchaseUnits[i]
		at := "/purchase_units/@reference_id=='" + pu.ReferenceID + "'"
		total, ok := minor(pu.Amount.paypalMoney)
		switch {
		case !ok:
			field(at+"/amount/value", pu.Amount.Value, "DECIMAL_PRECISION", "If the currency supports decimals, only two decimal place precision is supported.")
		case total <= 0:
			field(at+"/amount/value", pu.Amount.Value, "CANNOT_BE_ZERO_OR_NEGATIVE", "Must be greater than zero. If the currency supports decimals, only two decimal place precision is supported.")
		}
		currencies[pu.Amount.CurrencyCode] = true
		if pu.Payee == nil || !merchantIDPattern.MatchString(pu.Payee.MerchantID) {
			v := ""
			if pu.Payee != nil {
				v = pu.Payee.MerchantID
			}
			field(at+"/payee/merchant_id", v, "PAYEE_ACCOUNT_INVALID", "Payee account specified is invalid. Please check the `payee.email_address` or `payee.merchant_id` specified and try again. Ensure that either  `payee.merchant_id` or `payee.email_address` is specified.")
		}
		itemsSum := int64(0)
		for _, it := range pu.Items {
			q, _ := strconv.ParseInt(it.Quantity, 10, 64)
			unit, ok := int64(0), true
			if it.UnitAmount != nil {
				unit, ok = minor(*it.UnitAmount)
			}
			if !ok {
				field(at+"/items/unit_amount/value", it.UnitAmount.Value, "DECIMAL_PRECISION", "If the currency supports decimals, only two decimal place precision is supported.")
				continue
			}
			itemsSum += unit * q
		}
		if pu.Amount.Breakdown != nil {
			b := pu.Amount.Breakdown
			sum := func(ms ...*paypalMoney) int64 {
				t := int64(0)
				for _, m := range ms {
					if m != nil {
						v, _ := minor(*m)
						t += v
					}
				}
				return t
			}
			if b.ItemTotal != nil && len(pu.Items) > 0 && sum(b.ItemTotal) != itemsSum {
				field(at+"/amount/breakdown/item_total/value", b.ItemTotal.Value, "ITEM_TOTAL_MISMATCH", "Should equal sum of (unit_amount * quantity) across all items for a given purchase_unit.")
			}
			if sum(b.ItemTotal, b.TaxTotal, b.Shipping, b.Handling, b.Insurance)-sum(b.ShippingDiscount, b.Discount) != total {
				field(at+"/amount/value", pu.Amount.Value, "AMOUNT_MISMATCH", "Should equal item_total + tax_total + shipping + handling + insurance - shipping_discount - discount.")
			}
		} else if len(pu.Items) > 0 {
			field(at+"/amount/breakdown/item_total", "", "ITEM_TOTAL_REQUIRED", "If item details are specified (items.unit_amount and items.quantity) corresponding amount.breakdown.item_total is required.")
		}
	}
	if len(currencies) > 1 {
		field("/purchase_units", "", "MULTI_CURRENCY_ORDER", "Multiple differing values of currency_code are not supported. Entire Order request must have the same currency_code.")
	}
	if len(bad) > 0 {
		return 422, bad
	}
	return 0, nil
}

// amountPattern is the value pattern of PayPal's money schema.
var amountPattern = regexp.MustCompile(`^((-?[0-9]+)|(-?([0-9]+)?[.][0-9]+))$`)

// minor reads a PayPal amount in minor units, refusing more decimals than the currency has.
func minor(m paypalMoney) (int64, bool) {
	if !amountPattern.MatchString(m.Value) {
		return 0, false
	}
	v, err := money.ParseAmount(m.Value, m.CurrencyCode)
	return v, err == nil
}

// amountOf writes minor units as PayPal's money.
func amountOf(v int64, code string) paypalMoney {
	return paypalMoney{CurrencyCode: code, Value: money.DecimalString(v, code)}
}
