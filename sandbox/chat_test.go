package sandbox

import (
	"testing"

	"github.com/chatshop/chatshop/sandbox/sandboxdb"
	"github.com/chatshop/chatshop/sandbox/views"
)

type chatView = views.ChatMessage

func TestChatDrawsWhatThePageSent(t *testing.T) {
	for _, tc := range []struct {
		name, message string
		check         func(t *testing.T, m chatView)
	}{
		{"text with quick replies", `{"text":"What would you like?","quick_replies":[{"content_type":"text","title":"Browse","payload":"BROWSE"},{"content_type":"text","title":"Help","payload":"HELP"}]}`,
			func(t *testing.T, m chatView) {
				if m.Text != "What would you like?" || len(m.QuickReplies) != 2 || m.QuickReplies[1].Payload != "HELP" || m.QuickReplies[0].Kind != "quick_reply" {
					t.Fatalf("%+v", m)
				}
			}},
		{"carousel", `{"attachment":{"type":"template","payload":{"template_type":"generic","elements":[{"title":"Trail Runner Cap","subtitle":"$24.00","image_url":"https://img.example/cap.jpg","buttons":[{"type":"postback","title":"Buy","payload":"BUY:1"},{"type":"web_url","title":"Details","url":"https://shop.example/cap"}]},{"title":"Enamel Mug","subtitle":"$16.00"}]}}}`,
			func(t *testing.T, m chatView) {
				if len(m.Cards) != 2 || m.Cards[0].ImageURL == "" || len(m.Cards[0].Buttons) != 2 || m.Cards[0].Buttons[1].URL != "https://shop.example/cap" {
					t.Fatalf("%+v", m)
				}
			}},
		{"account link button", `{"attachment":{"type":"template","payload":{"template_type":"button","text":"Link PayPal to pay in one tap","buttons":[{"type":"account_link","url":"https://shop.example/link"}]}}}`,
			func(t *testing.T, m chatView) {
				if m.ButtonText == "" || len(m.Buttons) != 1 || m.Buttons[0].Kind != "account_link" || m.Buttons[0].Title == "" {
					t.Fatalf("%+v", m)
				}
			}},
		{"receipt", `{"attachment":{"type":"template","payload":{"template_type":"receipt","recipient_name":"Jordan","order_number":"1042","currency":"USD","payment_method":"PayPal","elements":[{"title":"Trail Runner Cap","quantity":2,"price":48}],"summary":{"total_cost":48}}}}`,
			func(t *testing.T, m chatView) {
				if m.Receipt == nil || m.Receipt.Total != "$48.00" || m.Receipt.Items[0].Title != "Trail Runner Cap × 2" {
					t.Fatalf("%+v", m.Receipt)
				}
			}},
		{"image", `{"attachment":{"type":"image","payload":{"url":"https://img.example/x.png"}}}`,
			func(t *testing.T, m chatView) {
				if m.Other == "" {
					t.Fatalf("%+v", m)
				}
			}},
	} {
		t.Run(tc.name, func(t *testing.T) {
			tc.check(t, chatMessage(sandboxdb.Message{Sender: "page", Message: tc.message}))
		})
	}
}
