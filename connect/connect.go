// Package connect checks a shop's connections with the providers: whether a Page access token
// works and which webhook fields the app gets, and what PayPal says of a seller. The dashboard and
// the worker both use it, so a check reads the same wherever it runs.
package connect

import (
	"context"
	"errors"

	"github.com/chatshop/chatshop/config"
	"github.com/chatshop/chatshop/messenger"
	"github.com/chatshop/chatshop/models"
	"github.com/chatshop/chatshop/paypal"
)

// CheckPage reads, with the Page's token, which webhook fields the app is subscribed to. A Graph
// error becomes the check's problem; err is returned too, so a caller can retry the transient ones.
func CheckPage(ctx context.Context, graph *messenger.Client, pageID, token string) (models.PageCheck, error) {
	fields, err := graph.SubscribedFields(ctx, pageID, token)
	if err != nil {
		return PageProblem(err), err
	}
	return models.PageCheck{Fields: fields}, nil
}

// PageProblem describes a failed Graph call about a Page in plain words.
func PageProblem(err error) models.PageCheck {
	var e *messenger.Error
	switch {
	case messenger.TokenInvalid(err):
		return models.PageCheck{TokenInvalid: true,
			Problem: "Meta does not accept this Page's access token: it may have expired, or a Page admin changed their password or removed the app. Reconnect the Page with a new token."}
	case !errors.As(err, &e), e.Transport != nil, e.HTTPStatus >= 500:
		return models.PageCheck{Problem: "Meta did not answer. Try again in a moment."}
	}
	return models.PageCheck{Problem: "Meta refused the request: " + e.Message}
}

// Merchant reads a seller's status from PayPal's merchant-integrations.
func Merchant(ctx context.Context, pp *paypal.Client, merchantID string) (models.MerchantStatus, error) {
	mi, err := pp.MerchantIntegration(ctx, merchantID)
	if err != nil {
		return models.MerchantStatus{}, err
	}
	return models.MerchantStatus{
		MerchantID: mi.MerchantID, TrackingID: mi.TrackingID, LegalName: mi.LegalName, Email: mi.PrimaryEmail,
		PermissionsGranted: mi.GrantedTo(pp.ClientID), PaymentsReceivable: mi.PaymentsReceivable, PrimaryEmailConfirmed: mi.PrimaryEmailConfirmed,
	}, nil
}

// PayPalClient is the PayPal REST client of the configured app and partner account.
func PayPalClient(cfg *config.Config) *paypal.Client {
	c := paypal.NewClient(cfg.PayPalAPIBase, cfg.PayPalClientID, cfg.PayPalClientSecret)
	c.PartnerID = cfg.PayPalPartnerID
	return c
}

// GraphClient is the Graph API client of the configured Meta app.
func GraphClient(cfg *config.Config) *messenger.Client {
	return messenger.NewClient(cfg.GraphAPIBase, cfg.MetaAppSecret)
}
