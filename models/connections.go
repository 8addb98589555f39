package models

import (
	"cmp"
	"context"
	"errors"
	"fmt"
	"strconv"
	"strings"
	"time"

	"gorm.io/gorm"
)

// Statuses of a shop's Facebook Page.
const (
	PageConnected      = "connected"
	PageNeedsReconnect = "needs_reconnect"
	PageDisconnected   = "disconnected"
)

// MessengerPage is a Facebook Page connected to a shop.
type MessengerPage struct {
	ID          int64
	ShopID      int64
	PageID      string
	Name        string
	TokenSealed string
	Status      string
	// SubscribedFields are the webhook fields the app is subscribed to, comma-separated, as the
	// Graph API last reported them.
	SubscribedFields string
	CheckedAt        *time.Time // when the token and subscription were last confirmed
	Problem          string     // what went wrong, in plain words, when the Page needs attention
	CreatedAt        time.Time
	UpdatedAt        time.Time
}

// Fields lists the subscribed webhook fields.
func (p *MessengerPage) Fields() []string { return splitList(p.SubscribedFields) }

// Statuses of a shop's PayPal account.
const (
	PayPalPending      = "pending" // signed up, but PayPal cannot take payments for it yet
	PayPalConnected    = "connected"
	PayPalRevoked      = "revoked" // the seller took chatshop's permissions away
	PayPalDisconnected = "disconnected"
)

// PayPalAccount is a PayPal merchant connected to a shop.
type PayPalAccount struct {
	ID                    int64
	ShopID                int64
	MerchantID            string `gorm:"column:merchant_id"`
	TrackingID            string
	LegalName             string
	Email                 string
	Status                string
	PaymentsReceivable    bool
	PrimaryEmailConfirmed bool
	CheckedAt             *time.Time
	Problem               string
	CreatedAt             time.Time
	UpdatedAt             time.Time
}

// TableName maps PayPalAccount to its table.
func (PayPalAccount) TableName() string { return "paypal_accounts" }

// ErrOtherPageConnected means the shop already has a working Page; it must be disconnected first.
var ErrOtherPageConnected = errors.New("another Page is connected")

// PageConnection is a Page to connect: its id and name as the Graph API gave them, and its token.
type PageConnection struct {
	PageID, Name, Token string
}

// ConnectPage records that a Facebook Page belongs to the shop, with its access token sealed (an
// empty token stores none, for tests that send nothing), and runs subscribe in the same transaction
// (nil for none). A Page another shop has connected is ErrConflict; a second working Page of this
// shop is ErrOtherPageConnected. A Page connected before, here or elsewhere, is taken over.
func (d *ShopData) ConnectPage(ctx context.Context, pc PageConnection, by Actor,
	subscribe func(ctx context.Context, tx *Tx, pageRowID int64) error) error {
	sealed := ""
	if pc.Token != "" {
		if d.s.sealer == nil {
			return errors.New("models: no secret key to seal the Page token")
		}
		var err error
		if sealed, err = d.s.sealer.Seal(pc.Token, pageTokenPurpose(pc.PageID)); err != nil {
			return err
		}
	}
	return d.s.Transaction(ctx, func(tx *Tx) error {
		var others int64
		if err := tx.db.Model(&MessengerPage{}).Where("shop_id = ? AND page_id <> ? AND status = ?", d.shopID, pc.PageID, PageConnected).
			Count(&others).Error; err != nil {
			return err
		}
		if others > 0 {
			return ErrOtherPageConnected
		}
		// Pages of this shop that need a reconnect are replaced by the new one.
		if err := tx.db.Model(&MessengerPage{}).Where("shop_id = ? AND page_id <> ? AND status <> ?", d.shopID, pc.PageID, PageDisconnected).
			Updates(map[string]any{"status": PageDisconnected, "token_sealed": "", "updated_at": tx.now()}).Error; err != nil {
			return err
		}
		p := MessengerPage{ShopID: d.shopID, PageID: pc.PageID, Name: pc.Name, TokenSealed: sealed, Status: PageConnected}
		var old MessengerPage
		err := tx.db.Where("page_id = ?", pc.PageID).Take(&old).Error
		switch {
		case err == nil && old.ShopID != d.shopID && old.Status != PageDisconnected:
			return fmt.Errorf("%w: the Page is connected to another shop", ErrConflict)
		case err == nil:
			p.ID, p.CreatedAt = old.ID, old.CreatedAt
			err = tx.db.Select("*").Omit("checked_at").Save(&p).Error
		case errors.Is(err, gorm.ErrRecordNotFound):
			err = tx.db.Create(&p).Error
		}
		if err != nil {
			return translate(err)
		}
		if err := tx.audit(d.shopID, by, AuditConnectionChanged, "Messenger Page "+pc.Name, "connected", tx.now()); err != nil {
			return err
		}
		if subscribe == nil {
			return nil
		}
		return subscribe(ctx, tx, p.ID)
	})
}

// DisconnectPage stops the shop's Page from reaching the shop, and runs unsubscribe in the same
// transaction (nil for none); the sealed token stays until ForgetPageToken, so the unsubscription
// can use it.
func (d *ShopData) DisconnectPage(ctx context.Context, by Actor, unsubscribe func(ctx context.Context, tx *Tx, pageRowID int64) error) error {
	return d.s.Transaction(ctx, func(tx *Tx) error {
		var p MessengerPage
		if err := tx.db.Where("shop_id = ? AND status <> ?", d.shopID, PageDisconnected).Take(&p).Error; err != nil {
			return translate(err)
		}
		if err := tx.db.Model(&p).Updates(map[string]any{"status": PageDisconnected, "subscribed_fields": "", "problem": "", "updated_at": tx.now()}).Error; err != nil {
			return err
		}
		if err := tx.audit(d.shopID, by, AuditConnectionChanged, "Messenger Page "+p.Name, "disconnected", tx.now()); err != nil || unsubscribe == nil {
			return err
		}
		return unsubscribe(ctx, tx, p.ID)
	})
}

// PageByRowID reads a connected, or once connected, Page.
func (s *Store) PageByRowID(ctx context.Context, id int64) (*MessengerPage, error) {
	var p MessengerPage
	if err := s.r.WithContext(ctx).Take(&p, id).Error; err != nil {
		return nil, translate(err)
	}
	return &p, nil
}

// PageToken unseals the access token of one of the shop's Pages ("" when none is stored).
func (d *ShopData) PageToken(p *MessengerPage) (string, error) {
	if p.ShopID != d.shopID {
		return "", ErrNotFound
	}
	return d.s.OpenPageToken(p)
}

// OpenPageToken unseals a Page's access token ("" when none is stored).
func (s *Store) OpenPageToken(p *MessengerPage) (string, error) {
	if p.TokenSealed == "" {
		return "", nil
	}
	if s.sealer == nil {
		return "", errors.New("models: no secret key to open the Page token")
	}
	return s.sealer.Open(p.TokenSealed, pageTokenPurpose(p.PageID))
}

// PageCheck is what a Graph call found out about a Page.
type PageCheck struct {
	Fields       []string // the subscribed webhook fields, when the call read them
	Problem      string   // the Graph error in plain words; "" when the call worked
	TokenInvalid bool     // the token no longer works (code 190): the Page needs a reconnect
}

// RecordPageCheck stores a check of the shop's Page while it is still connected: a working token
// clears any problem, an invalid one flags the Page for a reconnect.
func (d *ShopData) RecordPageCheck(ctx context.Context, pageRowID int64, check PageCheck) error {
	return d.s.Transaction(ctx, func(tx *Tx) error {
		changes := map[string]any{"checked_at": tx.now(), "problem": check.Problem, "updated_at": tx.now()}
		switch {
		case check.TokenInvalid:
			changes["status"] = PageNeedsReconnect
		case check.Problem == "":
			changes["status"] = PageConnected
			changes["subscribed_fields"] = strings.Join(check.Fields, ",")
		}
		return tx.db.Model(&MessengerPage{}).Where("id = ? AND shop_id = ? AND status <> ?", pageRowID, d.shopID, PageDisconnected).Updates(changes).Error
	})
}

// ForgetPageToken drops the token of a Page that is still disconnected.
func (s *Store) ForgetPageToken(ctx context.Context, pageRowID int64) error {
	return s.w.WithContext(ctx).Model(&MessengerPage{}).Where("id = ? AND status = ?", pageRowID, PageDisconnected).
		Update("token_sealed", "").Error
}

// TrackingID is the shop's id in PayPal's partner referrals.
func TrackingID(shopID int64) string { return "chatshop-shop-" + strconv.FormatInt(shopID, 10) }

// ShopOfTracking reads a tracking id back; ok is false for one chatshop did not make.
func ShopOfTracking(trackingID string) (shopID int64, ok bool) {
	n, err := strconv.ParseInt(strings.TrimPrefix(trackingID, "chatshop-shop-"), 10, 64)
	if err != nil || n <= 0 || !strings.HasPrefix(trackingID, "chatshop-shop-") {
		return 0, false
	}
	return n, true
}

// MerchantStatus is what PayPal's merchant-integrations says of a seller.
type MerchantStatus struct {
	MerchantID, TrackingID, LegalName, Email string
	// PermissionsGranted: the seller granted chatshop the third-party permissions it asked for.
	PermissionsGranted, PaymentsReceivable, PrimaryEmailConfirmed bool
}

// status is the account status the merchant's state implies, with what stands in the way.
func (m MerchantStatus) status() (string, string) {
	switch {
	case !m.PermissionsGranted:
		return PayPalRevoked, "PayPal says chatshop no longer has your permission to take payments for you."
	case !m.PrimaryEmailConfirmed:
		return PayPalPending, "Confirm your email address with PayPal: PayPal sent you a link."
	case !m.PaymentsReceivable:
		return PayPalPending, "PayPal cannot receive payments for this account yet. Log in to PayPal to finish setting it up."
	}
	return PayPalConnected, ""
}

// ConnectPayPal records that a PayPal merchant belongs to the shop, connected or pending as its
// status says; the shop's previous account, if any, is disconnected. A merchant another shop has
// connected is ErrConflict.
func (d *ShopData) ConnectPayPal(ctx context.Context, m MerchantStatus, by Actor) error {
	return d.s.Transaction(ctx, func(tx *Tx) error {
		if err := tx.db.Model(&PayPalAccount{}).Where("shop_id = ? AND merchant_id <> ? AND status <> ?", d.shopID, m.MerchantID, PayPalDisconnected).
			Updates(map[string]any{"status": PayPalDisconnected, "updated_at": tx.now()}).Error; err != nil {
			return err
		}
		status, problem := m.status()
		now := tx.now()
		a := PayPalAccount{ShopID: d.shopID, MerchantID: m.MerchantID, TrackingID: m.TrackingID, LegalName: m.LegalName, Email: m.Email,
			Status: status, PaymentsReceivable: m.PaymentsReceivable, PrimaryEmailConfirmed: m.PrimaryEmailConfirmed, CheckedAt: &now, Problem: problem}
		var old PayPalAccount
		err := tx.db.Where("merchant_id = ?", m.MerchantID).Take(&old).Error
		switch {
		case err == nil && old.ShopID != d.shopID && old.Status != PayPalDisconnected:
			return fmt.Errorf("%w: the PayPal account is connected to another shop", ErrConflict)
		case err == nil:
			a.ID, a.CreatedAt = old.ID, old.CreatedAt
			err = tx.db.Select("*").Save(&a).Error
		case errors.Is(err, gorm.ErrRecordNotFound):
			err = tx.db.Create(&a).Error
		}
		if err != nil {
			return translate(err)
		}
		return tx.audit(d.shopID, by, AuditConnectionChanged, "PayPal merchant "+m.MerchantID, status, now)
	})
}

// DisconnectPayPal stops the shop from taking PayPal payments.
func (d *ShopData) DisconnectPayPal(ctx context.Context, by Actor) error {
	return d.s.Transaction(ctx, func(tx *Tx) error {
		var a PayPalAccount
		if err := tx.db.Where("shop_id = ? AND status <> ?", d.shopID, PayPalDisconnected).Take(&a).Error; err != nil {
			return translate(err)
		}
		if err := tx.db.Model(&a).Updates(map[string]any{"status": PayPalDisconnected, "updated_at": tx.now()}).Error; err != nil {
			return err
		}
		return tx.audit(d.shopID, by, AuditConnectionChanged, "PayPal merchant "+a.MerchantID, "disconnected", tx.now())
	})
}

// MerchantOnboarded records PayPal's word that a seller finished signing up for the shop: an
// account the shop did not have yet is added as pending until its status is read.
func (tx *Tx) MerchantOnboarded(shopID int64, merchantID, trackingID string) error {
	var n int64
	if err := tx.db.Model(&Shop{}).Where("id = ?", shopID).Count(&n).Error; err != nil || n == 0 {
		return cmp.Or(err, ErrNotFound)
	}
	if err := tx.db.Model(&PayPalAccount{}).Where("merchant_id = ?", merchantID).Count(&n).Error; err != nil || n > 0 {
		return err
	}
	now := tx.now()
	a := PayPalAccount{ShopID: shopID, MerchantID: merchantID, TrackingID: trackingID, Status: PayPalPending,
		Problem: "PayPal says you finished signing up; chatshop is confirming your account."}
	if err := tx.db.Create(&a).Error; err != nil {
		return translate(err)
	}
	return tx.audit(shopID, Actor{Email: "PayPal"}, AuditConnectionChanged, "PayPal merchant "+merchantID, PayPalPending, now)
}

// RecordMerchantStatus stores what merchant-integrations says of the shop's account while it is
// still connected (or pending, or revoked).
func (d *ShopData) RecordMerchantStatus(ctx context.Context, m MerchantStatus) error {
	shopID := d.shopID
	return d.s.Transaction(ctx, func(tx *Tx) error {
		status, problem := m.status()
		now := tx.now()
		res := tx.db.Model(&PayPalAccount{}).Where("shop_id = ? AND merchant_id = ? AND status <> ?", shopID, m.MerchantID, PayPalDisconnected).
			Updates(map[string]any{"status": status, "problem": problem, "legal_name": m.LegalName, "email": m.Email,
				"payments_receivable": m.PaymentsReceivable, "primary_email_confirmed": m.PrimaryEmailConfirmed, "checked_at": now, "updated_at": now})
		return res.Error
	})
}

// ConsentRevoked records that a seller removed chatshop's permissions: the shop stops taking
// payments until it reconnects PayPal.
func (tx *Tx) ConsentRevoked(shopID int64, merchantID string) error {
	res := tx.db.Model(&PayPalAccount{}).Where("shop_id = ? AND merchant_id = ? AND status <> ?", shopID, merchantID, PayPalDisconnected).
		Updates(map[string]any{"status": PayPalRevoked, "payments_receivable": false, "updated_at": tx.now(),
			"problem": "You removed chatshop's permissions in PayPal, so shoppers cannot pay. Connect PayPal again to take payments."})
	if res.Error != nil || res.RowsAffected == 0 {
		return res.Error
	}
	return tx.audit(shopID, Actor{Email: "PayPal"}, AuditConnectionChanged, "PayPal merchant "+merchantID, "consent revoked", tx.now())
}

// Connections is the state of a shop's Page and PayPal account.
type Connections struct {
	Page   *MessengerPage // nil when none is connected
	PayPal *PayPalAccount // nil when none is connected
	// LastPageEvent is when the Page's latest webhook event arrived; nil before the first.
	LastPageEvent *time.Time
}

// PaymentsReady reports whether shoppers can pay: PayPal is connected and can take payments.
func (c *Connections) PaymentsReady() bool {
	return c.PayPal != nil && c.PayPal.Status == PayPalConnected
}

// PageReady reports whether shoppers can chat with the shop.
func (c *Connections) PageReady() bool {
	return c.Page != nil && c.Page.Status == PageConnected
}

// Connections reads the shop's current Page and PayPal account.
func (d *ShopData) Connections(ctx context.Context) (*Connections, error) {
	db := d.s.r.WithContext(ctx)
	var out Connections
	var pages []MessengerPage
	if err := db.Where("shop_id = ? AND status <> ?", d.shopID, PageDisconnected).Order("id DESC").Limit(1).Find(&pages).Error; err != nil {
		return nil, err
	}
	var accounts []PayPalAccount
	if err := db.Where("shop_id = ? AND status <> ?", d.shopID, PayPalDisconnected).Order("id DESC").Limit(1).Find(&accounts).Error; err != nil {
		return nil, err
	}
	if len(pages) > 0 {
		out.Page = &pages[0]
		var times []time.Time
		if err := db.Table("webhook_events").Where("provider = ? AND account_ref = ?", ProviderMessenger, out.Page.PageID).
			Order("id DESC").Limit(1).Pluck("received_at", &times).Error; err != nil {
			return nil, err
		}
		if len(times) > 0 {
			out.LastPageEvent = &times[0]
		}
	}
	if len(accounts) > 0 {
		out.PayPal = &accounts[0]
	}
	return &out, nil
}

// ConnectedAccount is a Page or PayPal merchant a shop is connected to, with the shop's name: what
// the emulators need to know of the shops in sandbox mode.
type ConnectedAccount struct {
	Kind      string // page or merchant
	ID, Name  string // a merchant's name is its id
	ShopName  string
	CreatedAt time.Time // when it was connected
}

// ConnectedAccounts lists every shop's connected Pages and PayPal merchants, by kind, then by
// id.
func (s *Store) ConnectedAccounts(ctx context.Context) ([]ConnectedAccount, error) {
	var out []ConnectedAccount
	err := s.r.WithContext(ctx).Raw(`
		SELECT 'page' AS kind, p.page_id AS id, p.name AS name, s.name AS shop_name, p.created_at
		  FROM messenger_pages p JOIN shops s ON s.id = p.shop_id WHERE p.status <> 'disconnected'
		UNION ALL
		SELECT 'merchant', a.merchant_id, a.merchant_id, s.name, a.created_at
		  FROM paypal_accounts a JOIN shops s ON s.id = a.shop_id WHERE a.status <> 'disconnected'
		ORDER BY 1, 2`).Scan(&out).Error
	return out, err
}

func splitList(s string) []string {
	var out []string
	for _, part := range strings.Split(s, ",") {
		if part = strings.TrimSpace(part); part != "" {
			out = append(out, part)
		}
	}
	return out
}

// PageKnown reports whether a Facebook Page was ever connected to a shop, disconnected since or not.
func (s *Store) PageKnown(ctx context.Context, pageID string) (bool, error) {
	return s.known(ctx, &MessengerPage{}, "page_id", pageID)
}

// MerchantKnown reports whether a PayPal merchant was ever connected to a shop, disconnected since or not.
func (s *Store) MerchantKnown(ctx context.Context, merchantID string) (bool, error) {
	return s.known(ctx, &PayPalAccount{}, "merchant_id", merchantID)
}

func (s *Store) known(ctx context.Context, model any, column, value string) (bool, error) {
	var n int64
	err := s.r.WithContext(ctx).Model(model).Where(column+" = ?", value).Count(&n).Error
	return n > 0, err
}
