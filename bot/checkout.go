package bot

import (
	"fmt"
	"strconv"
	"strings"

	"github.com/chatshop/chatshop/messenger"
	"github.com/chatshop/chatshop/models"
	"github.com/chatshop/chatshop/money"
)

// The checkout's words. The bot decides that a shopper wants to buy, pay or cancel; the worker
// does it and tells them what happened with the messages below.

// checkoutStep reads a Buy, Pay or Cancel tap: the id it names, or a polite refusal to a shopper
// who may not pay here.
func checkoutStep(conv Conversation, kind, arg string) Answer {
	id, err := strconv.ParseInt(arg, 10, 64)
	switch {
	case err != nil:
		return reply(StaleButton())
	case kind == Cancel:
		return Answer{Cancel: id}
	case !conv.CanPay:
		return reply(menu(payRefusal(conv)))
	case kind == Buy:
		return Answer{Buy: id}
	}
	return Answer{Pay: id}
}

// payRefusal tells a shopper politely why they cannot pay here.
func payRefusal(conv Conversation) string {
	if !conv.PaymentsOpen {
		return "Paying here in Messenger isn't open yet. Tap Talk to us and the team will help you order."
	}
	return "Sorry, paying with PayPal here is open to shoppers in " + models.CountryNames(conv.Countries) +
		" only. Tap Talk to us and the team will see what they can do."
}

func unlinkOffer(conv Conversation) messenger.Message {
	if conv.PayPalEmail == "" {
		return menu("No PayPal account is linked to this conversation.")
	}
	return messenger.ButtonTemplate("Your PayPal account "+conv.PayPalEmail+" is linked, so you pay with one tap. "+
		"Unlink it? You can still pay on PayPal's page.", messenger.LogOutButton())
}

// orderLine names an order's goods and total: "Order #1001: Linen shirt (M), $45.00".
func orderLine(o *models.Order) string {
	var items []string
	for _, l := range o.Lines {
		item := l.Name()
		if l.Quantity > 1 {
			item = fmt.Sprintf("%d × %s", l.Quantity, item)
		}
		items = append(items, item)
	}
	if o.ShippingMinor > 0 {
		return fmt.Sprintf("Order %s: %s, %s with %s shipping", o.Number(), strings.Join(items, ", "), o.Total().String(), o.Shipping().String())
	}
	return fmt.Sprintf("Order %s: %s, %s", o.Number(), strings.Join(items, ", "), o.Total().String())
}

// SoldOut tells a shopper the item went to someone else.
func SoldOut() messenger.Message {
	return menu("Sorry, that one just sold out. Anything else?")
}

// PayOnPayPal offers a shopper who has not linked PayPal its approval page, and linking PayPal
// for one tap from now on.
func PayOnPayPal(o *models.Order, approveURL, linkURL string) messenger.Message {
	text := orderLine(o) + fmt.Sprintf(". We hold it for you for %d minutes. Pay on PayPal's page, "+
		"or link PayPal once and pay with one tap from now on.", int(models.OrderHold.Minutes()))
	return messenger.ButtonTemplate(text, messenger.URLButton("Pay with PayPal", approveURL), messenger.LogInButton(linkURL),
		messenger.Postback("Cancel order", fmt.Sprintf("%s:%d", Cancel, o.ID)))
}

// ConfirmOneTap asks a linked shopper to confirm the payment with their PayPal account.
func ConfirmOneTap(o *models.Order, email string) messenger.Message {
	return messenger.ButtonTemplate(orderLine(o)+". Pay with your PayPal account "+email+"?",
		messenger.Postback("Pay "+o.Total().String(), fmt.Sprintf("%s:%d", Pay, o.ID)),
		messenger.Postback("Cancel order", fmt.Sprintf("%s:%d", Cancel, o.ID)))
}

// Receipt is the receipt template of a paid order.
func Receipt(o *models.Order, recipient, shopName string) messenger.Message {
	r := messenger.TemplatePayload{RecipientName: recipient, MerchantName: shopName, OrderNumber: o.Number(),
		Currency: o.Currency, PaymentMethod: "PayPal", Summary: &messenger.Summary{}}
	if o.PayerEmail != "" {
		r.PaymentMethod = "PayPal " + o.PayerEmail
	}
	if r.RecipientName == "" {
		r.RecipientName = "PayPal customer"
	}
	if o.PaidAt != nil {
		r.Timestamp = strconv.FormatInt(o.PaidAt.Unix(), 10)
	}
	for _, l := range o.Lines {
		price := decimal(l.UnitMinor*l.Quantity, o.Currency)
		r.Elements = append(r.Elements, messenger.Element{Title: messenger.CardText(l.Title), Subtitle: messenger.CardText(l.VariantName()),
			Quantity: l.Quantity, Price: &price, Currency: o.Currency, ImageURL: l.ImageURL})
	}
	r.Summary.Subtotal = decimal(o.ItemsMinor(), o.Currency)
	r.Summary.ShippingCost = decimal(o.ShippingMinor, o.Currency)
	r.Summary.TotalCost = decimal(o.TotalMinor, o.Currency)
	return messenger.Receipt(r)
}

func decimal(minor int64, currency string) float64 {
	f, _ := strconv.ParseFloat(money.DecimalString(minor, currency), 64)
	return f
}

// PaymentPending tells a shopper PayPal is reviewing their payment.
func PaymentPending(o *models.Order) messenger.Message {
	return messenger.Message{Text: orderLine(o) + ". PayPal is reviewing your payment; we'll send your receipt here as soon as it clears."}
}

// PaymentDenied tells a shopper PayPal declined their payment.
func PaymentDenied(o *models.Order) messenger.Message {
	return menu(orderLine(o) + ". PayPal declined the payment, so nothing was charged and the order is off. You can try again with another payment method on PayPal.")
}

// PaymentFailed tells a shopper why a one-tap payment did not go through.
func PaymentFailed(o *models.Order, why string) messenger.Message {
	return menu(orderLine(o) + ". " + why)
}

// OrderEnded tells a shopper their unpaid order is off: cancelled by them, or expired.
func OrderEnded(o *models.Order) messenger.Message {
	if o.Status == models.OrderExpired {
		return menu(orderLine(o) + " expired before it was paid, so nothing was charged. It's back on the shelf if you still want it.")
	}
	return menu(orderLine(o) + " is cancelled. Nothing was charged.")
}

// NotPending answers a tap on an order that is no longer waiting for payment.
func NotPending(o *models.Order) messenger.Message {
	words := map[string]string{models.OrderPaid: "is paid already.", models.OrderPaymentPending: "is paid; PayPal is still reviewing it.",
		models.OrderPaymentDenied: "was declined by PayPal.", models.OrderExpired: "expired before it was paid.", models.OrderCancelled: "is cancelled."}
	return menu(fmt.Sprintf("Order %s %s", o.Number(), words[o.Status]))
}

// Linked confirms a shopper's PayPal account is linked.
func Linked(email string) messenger.Message {
	return menu("Your PayPal account " + email + " is linked. From now on you pay with one tap; send “unlink” any time to undo it.")
}

// Unlinked confirms a shopper's PayPal account is no longer linked.
func Unlinked() messenger.Message {
	return menu("Your PayPal account is unlinked. Next time you'll pay on PayPal's page.")
}

// Refunded tells a shopper about a refund of their order.
func Refunded(o *models.Order, amount money.Money) messenger.Message {
	return messenger.Message{Text: fmt.Sprintf("We refunded %s for order %s to your PayPal account. It can take a few days to show.", amount.String(), o.Number())}
}

// StaleButton answers a button that no longer works.
func StaleButton() messenger.Message {
	return menu("Sorry, that button no longer works. What would you like to do?")
}

// LinkedElsewhere tells a shopper their PayPal is linked, but from a country the shop does not
// sell to.
func LinkedElsewhere(email string, countries []string) messenger.Message {
	return menu("Your PayPal account " + email + " is linked, but paying with PayPal here is open to shoppers in " +
		models.CountryNames(countries) + " only. Tap Talk to us and the team will see what they can do.")
}

// LinkFailed tells a shopper their PayPal account could not be linked.
func LinkFailed() messenger.Message {
	return menu("Sorry, linking your PayPal account didn't finish, so nothing was linked. Tap Buy again to retry.")
}

// PayAgain tells a shopper PayPal declined the way they paid, with the approval link to choose
// another.
func PayAgain(o *models.Order, approveURL string) messenger.Message {
	return messenger.ButtonTemplate(orderLine(o)+". PayPal declined that way of paying, so nothing was charged. Choose another one on PayPal.",
		messenger.URLButton("Pay with PayPal", approveURL), messenger.Postback("Cancel order", fmt.Sprintf("%s:%d", Cancel, o.ID)))
}

// Shipped tells a shopper their order is on its way, with the carrier's tracking page when
// chatshop knows it.
func Shipped(o *models.Order, carrierName, trackingNumber, trackingURL string) messenger.Message {
	text := fmt.Sprintf("Good news: your order %s is on its way with %s. Tracking number: %s.", o.Number(), carrierName, trackingNumber)
	if trackingURL == "" {
		return messenger.Message{Text: text}
	}
	return messenger.ButtonTemplate(text, messenger.URLButton("Track the parcel", trackingURL))
}
