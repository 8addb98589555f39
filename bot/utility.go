package bot

// Language is the language the bot speaks, and so of the shop's utility templates.
const Language = "en"

// Utility templates' purposes.
const (
	OrderShipped     = "order_shipped"
	RefundIssued     = "refund_issued"
	PaymentCompleted = "payment_completed"
	PaymentDeclined  = "payment_declined"
)

// UtilityTemplate is a Page-owned utility template chatshop asks Meta for: what the shop tells a
// shopper unprompted once Messenger's 24 hours have passed. Its body's placeholders take Values
// in order; Examples are what Meta's review reads.
type UtilityTemplate struct {
	Purpose, Name, Body string
	Examples            []string
}

// UtilityTemplates are the templates every connected Page gets.
var UtilityTemplates = []UtilityTemplate{
	{Purpose: OrderShipped, Name: "chatshop_order_shipped",
		Body:     "Your order {{1}} from {{2}} is on its way with {{3}}. Tracking number: {{4}}.",
		Examples: []string{"#1001", "Lakeside Supply Co.", "UPS", "1Z999AA10123456784"}},
	{Purpose: RefundIssued, Name: "chatshop_refund_issued",
		Body:     "We refunded {{1}} for your order {{2}} to your PayPal account. It can take a few days to show.",
		Examples: []string{"$24.00", "#1001"}},
	{Purpose: PaymentCompleted, Name: "chatshop_payment_completed",
		Body:     "Your payment of {{1}} for order {{2}} from {{3}} has cleared. Thank you for your order.",
		Examples: []string{"$24.00", "#1001", "Lakeside Supply Co."}},
	{Purpose: PaymentDeclined, Name: "chatshop_payment_declined",
		Body:     "PayPal declined the payment for your order {{1}} from {{2}}, so nothing was charged and the order is off.",
		Examples: []string{"#1001", "Lakeside Supply Co."}},
}

// UtilityTemplateFor is the template of a purpose.
func UtilityTemplateFor(purpose string) (UtilityTemplate, bool) {
	for _, t := range UtilityTemplates {
		if t.Purpose == purpose {
			return t, true
		}
	}
	return UtilityTemplate{}, false
}
