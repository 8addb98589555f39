package models

import (
	"context"
	"time"
)

// AuditEvent records who did what, when, and from which address.
type AuditEvent struct {
	ID         int64
	ShopID     *int64 // nil for platform-wide events
	ActorID    *int64
	ActorEmail string
	Action     string
	Target     string
	Detail     string
	IP         string `gorm:"column:ip"`
	CreatedAt  time.Time
}

// Audit actions.
const (
	AuditSignedIn        = "user.signed_in"
	AuditSignInFailed    = "user.sign_in_failed"
	AuditSignInThrottled = "user.sign_in_throttled"
	AuditPasswordChanged = "user.password_changed"
	AuditSignedOutAll    = "user.signed_out_everywhere"
	// A wrong current password given in a signed-in session (on /account), one refused by the
	// throttle, and the sessions ended after too many.
	AuditPasswordCheckFailed    = "user.password_check_failed"
	AuditPasswordCheckThrottled = "user.password_check_throttled"
	AuditSignedOutAfterGuesses  = "user.signed_out_after_guesses"
	AuditShopCreated            = "shop.created"
	AuditShopUpdated            = "shop.updated"
	AuditInviteCreated          = "team.invite_created"
	AuditInviteRevoked          = "team.invite_revoked"
	AuditInviteAccepted         = "team.invite_accepted"
	AuditRoleChanged            = "team.role_changed"
	AuditMemberRemoved          = "team.member_removed"
	AuditConnectionChanged      = "shop.connection_changed"
	AuditExported               = "shop.exported"
	AuditWebhookReplayed        = "webhook.replayed"
	AuditRefundRequested        = "payment.refund_requested"
	AuditShopperUnlinked        = "shopper.paypal_unlinked"
	AuditDisputeAction          = "dispute.action_requested"
	AuditDisputeEvidence        = "dispute.evidence_added"
	AuditDisputeNote            = "dispute.note_added"
	AuditOrderShipped           = "order.shipped"
	AuditShipmentCancelled      = "order.shipment_cancelled"
	AuditShipmentDelivered      = "order.shipment_delivered"
	AuditProductCreated         = "product.created"
	AuditProductUpdated         = "product.updated"
	AuditProductsStatusChanged  = "products.status_changed"
	AuditProductsDeleted        = "products.deleted"
	AuditImportConfirmed        = "catalog.import_confirmed"
	AuditCatalogImported        = "catalog.imported"
)

// Actor is who an audited action is attributed to.
type Actor struct {
	UserID int64
	Email  string
	IP     string
}

// userID is the acting user's id, nil for the system.
func (a Actor) userID() *int64 {
	if a.UserID == 0 {
		return nil
	}
	return &a.UserID
}

func (a Actor) event(shopID *int64, action, target, detail string) AuditEvent {
	e := AuditEvent{ShopID: shopID, ActorEmail: a.Email, Action: action, Target: target, Detail: detail, IP: a.IP}
	if a.UserID != 0 {
		id := a.UserID
		e.ActorID = &id
	}
	return e
}

// RecordAudit stores a platform-level audit event, or one of shopID's when it is not zero.
func (s *Store) RecordAudit(ctx context.Context, shopID int64, actor Actor, action, target, detail string) error {
	var sid *int64
	if shopID != 0 {
		sid = &shopID
	}
	e := actor.event(sid, action, target, detail)
	e.CreatedAt = s.nowUTC()
	return s.w.WithContext(ctx).Create(&e).Error
}

// AuditFilter narrows an audit listing.
type AuditFilter struct {
	Action string // exact action, or empty for all
	ShopID int64  // one shop's events, or 0 for all; only the admins' log reads it
	Before int64  // keyset cursor: events with a smaller id
	Limit  int
}

// AuditPage is one page of audit events, newest first.
type AuditPage struct {
	Events     []AuditEvent
	NextBefore int64
}

func (s *Store) listAudit(ctx context.Context, shopID *int64, f AuditFilter) (AuditPage, error) {
	q := s.r.WithContext(ctx)
	if shopID != nil {
		q = q.Where("shop_id = ?", *shopID)
	}
	if f.Action != "" {
		q = q.Where("action = ?", f.Action)
	}
	events, next, err := keysetPage(q, f.Before, f.Limit, func(e *AuditEvent) int64 { return e.ID })
	return AuditPage{Events: events, NextBefore: next}, err
}

// ListAllAudit lists audit events across the platform, or of f.ShopID, for admins.
func (s *Store) ListAllAudit(ctx context.Context, f AuditFilter) (AuditPage, error) {
	if f.ShopID != 0 {
		return s.listAudit(ctx, &f.ShopID, f)
	}
	return s.listAudit(ctx, nil, f)
}
