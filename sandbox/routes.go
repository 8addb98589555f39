package sandbox

import (
	"errors"
	"fmt"

	"github.com/labstack/echo/v4"
	"github.com/labstack/echo/v4/middleware"

	"github.com/chatshop/chatshop/models"
	"github.com/chatshop/chatshop/sandbox/sandboxdb"
)

// disputeFilesLimit is PayPal's "up to 50 MB per API call" of dispute documents, and the form around them.
const disputeFilesLimit = "51M"

// Routes serves the emulators under /sandbox: PayPal's API base is /sandbox/paypal, the Graph
// API's /sandbox/graph/{version}, the control API /sandbox/api and /sandbox/{paypal,messenger}/api.
// It returns the routes that take files, each with a body limit of its own: the server's smaller
// limit for the rest must not apply to them.
func (s *Sandbox) Routes(e *echo.Echo) (uploads []*echo.Route) {
	box := e.Group("/sandbox", storeErrors)
	box.GET("/api/info", s.Info)
	box.GET("/api/delivery", s.DeliveryFaults)
	box.POST("/api/delivery", s.SetDeliveryFaults)
	box.POST("/paypal/v1/oauth2/token", s.PayPalToken)
	box.GET("/paypal/v1/notifications/certs/:id", s.PayPalCertificate)
	box.POST("/paypal/v1/notifications/verify-webhook-signature", s.PayPalVerifyWebhookSignature, s.RequireToken)
	box.POST("/paypal/api/webhooks", s.SendPayPalWebhook)
	box.POST("/paypal/api/approve", s.ApproveOrderAPI)
	box.POST("/paypal/v2/checkout/orders", s.CreateOrder, s.RequireToken)
	box.GET("/paypal/v2/checkout/orders/:id", s.GetOrder, s.RequireToken)
	box.POST("/paypal/v2/checkout/orders/:id/capture", s.CaptureOrder, s.RequireToken)
	box.POST("/paypal/v2/checkout/orders/:id/track", s.TrackOrder, s.RequireToken)
	box.PATCH("/paypal/v2/checkout/orders/:id/trackers/:tracker_id", s.PatchTracker, s.RequireToken)
	box.GET("/paypal/v2/payments/captures/:id", s.GetCapture, s.RequireToken)
	box.POST("/paypal/v2/payments/captures/:id/refund", s.RefundCapture, s.RequireToken)
	box.POST("/paypal/v2/customer/partner-referrals", s.CreateReferral, s.RequireToken)
	box.GET("/paypal/v2/customer/partner-referrals/:id", s.GetReferral, s.RequireToken)
	box.GET("/paypal/v1/customer/partners/:partner/merchant-integrations", s.FindMerchantIntegration, s.RequireToken)
	box.GET("/paypal/v1/customer/partners/:partner/merchant-integrations/:merchant", s.MerchantIntegration, s.RequireToken)
	box.POST("/paypal/api/merchants/:merchant/revoke", s.RevokeConsentAPI)
	box.POST("/paypal/v3/vault/setup-tokens", s.CreateSetupToken, s.RequireToken)
	box.GET("/paypal/v3/vault/setup-tokens/:id", s.GetSetupToken, s.RequireToken)
	box.POST("/paypal/v3/vault/payment-tokens", s.CreatePaymentToken, s.RequireToken)
	box.GET("/paypal/v3/vault/payment-tokens", s.ListPaymentTokens, s.RequireToken)
	box.GET("/paypal/v3/vault/payment-tokens/:id", s.GetPaymentToken, s.RequireToken)
	box.DELETE("/paypal/v3/vault/payment-tokens/:id", s.DeletePaymentToken, s.RequireToken)
	box.POST("/paypal/api/vault/approve", s.ApproveSetupTokenAPI)
	box.GET("/paypal/v1/customer/disputes", s.ListDisputes, s.RequireToken)
	box.GET("/paypal/v1/customer/disputes/:id", s.GetDispute, s.RequireToken)
	evidence := middleware.BodyLimit(disputeFilesLimit)
	uploads = append(uploads, box.POST("/paypal/v1/customer/disputes/:id/send-message", s.DisputeSendMessage, s.RequireToken, evidence))
	box.POST("/paypal/v1/customer/disputes/:id/make-offer", s.DisputeMakeOffer, s.RequireToken)
	box.POST("/paypal/v1/customer/disputes/:id/escalate", s.DisputeEscalate, s.RequireToken)
	uploads = append(uploads, box.POST("/paypal/v1/customer/disputes/:id/accept-claim", s.DisputeAcceptClaim, s.RequireToken, evidence))
	uploads = append(uploads, box.POST("/paypal/v1/customer/disputes/:id/provide-evidence", s.DisputeProvideEvidence, s.RequireToken, evidence))
	box.POST("/paypal/v1/customer/disputes/:id/require-evidence", s.DisputeRequireEvidence, s.RequireToken)
	box.POST("/paypal/v1/customer/disputes/:id/adjudicate", s.DisputeAdjudicate, s.RequireToken)
	box.POST("/paypal/api/disputes", s.OpenDisputeAPI)
	box.GET("/paypal/resolutioncenter", s.ResolutionCenter)
	box.POST("/paypal/resolutioncenter", s.ReportProblem)
	box.POST("/paypal/resolutioncenter/decide", s.Decide)
	box.GET("/paypal/agreements/approve", s.VaultPage)
	box.POST("/paypal/agreements/approve", s.VaultApprove)
	box.POST("/paypal/agreements/cancel", s.VaultCancel)
	box.GET("/paypal/bizsignup/partner/entry", s.OnboardingPage)
	box.POST("/paypal/bizsignup/complete", s.OnboardingComplete)
	// PayPal's buyer pages.
	box.GET("/paypal/checkout/now", s.CheckoutPage)
	box.POST("/paypal/checkout/approve", s.CheckoutApprove)
	box.POST("/paypal/checkout/cancel", s.CheckoutCancel)
	box.POST("/messenger/api/pages", s.CreatePageAPI)
	box.POST("/messenger/api/pages/:page/token", s.RevokePageTokenAPI)
	box.POST("/messenger/api/shoppers", s.CreateShopper)
	box.POST("/messenger/api/send", s.ShopperSend)
	box.GET("/messenger/api/thread", s.Thread)
	box.POST("/graph/:version/me/messages", s.SendAPI)
	box.GET("/graph/:version/:psid", s.UserProfile)
	box.GET("/graph/:version/me", s.Me)
	box.POST("/graph/:version/me", s.Me)
	box.POST("/graph/:version/me/unlink_accounts", s.UnlinkAccounts)
	box.GET("/graph/:version/:page/subscribed_apps", s.SubscribedApps)
	box.POST("/graph/:version/:page/subscribed_apps", s.SubscribedApps)
	box.DELETE("/graph/:version/:page/subscribed_apps", s.SubscribedApps)
	box.GET("/messenger/link", s.StartLinking)
	box.GET("/messenger/account_linking", s.FinishLinking)
	box.POST("/messenger/api/shoppers/:psid/block", s.BlockShopperAPI)
	box.POST("/messenger/api/clock", s.ClockAPI)
	box.POST("/messenger/api/templates/reject", s.RejectTemplateAPI)
	box.GET("/graph/:version/:page/message_templates", s.MessageTemplates)
	box.POST("/graph/:version/:page/message_templates", s.MessageTemplates)
	box.DELETE("/graph/:version/:page/message_templates", s.MessageTemplates)
	// The shopper's chat, a page for people.
	box.GET("/messenger", s.ChatPage)
	box.GET("/messenger/thread", s.ChatThread)
	box.POST("/messenger/shoppers", s.ChatNewShopper)
	box.POST("/messenger/say", s.ChatSay)
	box.POST("/messenger/tap", s.ChatTap)
	return uploads
}

// storeErrors answers the emulators' "not found" and "already exists" as the app's error handler
// answers its own: 404 and 409.
func storeErrors(next echo.HandlerFunc) echo.HandlerFunc {
	return func(c echo.Context) error {
		err := next(c)
		switch {
		case errors.Is(err, sandboxdb.ErrNotFound):
			return fmt.Errorf("%w: %w", models.ErrNotFound, err)
		case errors.Is(err, sandboxdb.ErrConflict):
			return fmt.Errorf("%w: %w", models.ErrConflict, err)
		}
		return err
	}
}
