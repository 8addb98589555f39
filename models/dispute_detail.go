package models

import (
	"context"
	"errors"
	"fmt"
	"strings"
	"time"
)

// DisputeDetail is one dispute with what the admins and the shop look at to answer it.
type DisputeDetail struct {
	Dispute  *Dispute
	ShopName string
	Order    *OrderDetail // nil when the payment did not come through chatshop's checkout
	Thread   *Thread      // the shopper's conversation with the Page, when known
	Files    []EvidenceFile
	Actions  []ActionRow
	Entries  []DisputeHistory // the timeline, oldest first
}

// Notes are the internal notes of the timeline.
func (dd *DisputeDetail) Notes() []DisputeHistory {
	var out []DisputeHistory
	for _, e := range dd.Entries {
		if e.Kind == EntryNote {
			out = append(out, e)
		}
	}
	return out
}

// Pending is the action on its way to PayPal, if any.
func (dd *DisputeDetail) Pending() *ActionRow {
	for i := range dd.Actions {
		if dd.Actions[i].Status == ActionQueued {
			return &dd.Actions[i]
		}
	}
	return nil
}

// DisputeFile is an evidence document; Data is read only to download or send it.
type DisputeFile struct {
	ID          int64
	DisputeID   int64
	Name        string
	ContentType string
	Size        int64
	Data        []byte // read only to download or send it
	UploadedBy  *int64
	ActionID    *int64 // the evidence it was sent to PayPal with
	CreatedAt   time.Time
}

// EvidenceFile is a file as the dispute page lists it: without its bytes, with who uploaded it.
type EvidenceFile struct {
	DisputeFile
	Uploader string
}

// Sent is a file already sent to PayPal.
func (f *DisputeFile) Sent() bool { return f.ActionID != nil }

// Dispute reads one of the shop's disputes; another shop's is ErrNotFound.
func (d *ShopData) Dispute(ctx context.Context, id int64) (*DisputeDetail, error) {
	return d.s.disputeDetail(ctx, d.shopID, id)
}

// Dispute reads any shop's dispute, for the admins.
func (s *Store) Dispute(ctx context.Context, id int64) (*DisputeDetail, error) {
	return s.disputeDetail(ctx, 0, id)
}

func (s *Store) disputeDetail(ctx context.Context, shopID, id int64) (*DisputeDetail, error) {
	dd := &DisputeDetail{}
	var err error
	if dd.Dispute, err = s.disputeIn(ctx, shopID, id); err != nil {
		return nil, err
	}
	db := s.r.WithContext(ctx)
	shopData := s.ForShop(dd.Dispute.ShopID)
	if err := db.Table("shops").Where("id = ?", dd.Dispute.ShopID).Select("name").Scan(&dd.ShopName).Error; err != nil {
		return nil, err
	}
	if dd.Dispute.OrderID != nil {
		if dd.Order, err = shopData.OrderDetail(ctx, *dd.Dispute.OrderID); err != nil {
			return nil, err
		}
		if dd.Thread, err = shopData.Conversation(ctx, dd.Order.Order.ShopperID, false); err != nil {
			return nil, err
		}
	}
	err = db.Table("dispute_files AS f").Select("f.id, f.dispute_id, f.name, f.content_type, f.size, f.uploaded_by, f.action_id, f.created_at, "+
		"coalesce(nullif(u.name, ''), u.email, '') AS uploader").
		Joins("LEFT JOIN users u ON u.id = f.uploaded_by").Where("f.dispute_id = ?", id).Order("f.id").Find(&dd.Files).Error
	if err != nil {
		return nil, err
	}
	err = db.Table("dispute_actions AS a").Select("a.*, coalesce(nullif(u.name, ''), u.email, '') AS requester").
		Joins("LEFT JOIN users u ON u.id = a.requested_by").Where("a.dispute_id = ?", id).Order("a.id").Find(&dd.Actions).Error
	if err != nil {
		return nil, err
	}
	return dd, db.Table("dispute_entries AS e").Select("e.*, coalesce(nullif(u.name, ''), u.email, '') AS author").
		Joins("LEFT JOIN users u ON u.id = e.user_id").Where("e.dispute_id = ?", id).Order("e.id").Find(&dd.Entries).Error
}

// disputeIn loads a dispute of the shop (any shop when shopID is 0).
func (s *Store) disputeIn(ctx context.Context, shopID, id int64) (*Dispute, error) {
	q := s.r.WithContext(ctx).Where("id = ?", id)
	if shopID != 0 {
		q = q.Where("shop_id = ?", shopID)
	}
	var d Dispute
	if err := q.Take(&d).Error; err != nil {
		return nil, translate(err)
	}
	return &d, nil
}

// MaxNoteText is the longest internal note.
const MaxNoteText = 2000

// ErrEmptyNote is a note with nothing in it, or one too long.
var ErrEmptyNote = fmt.Errorf("write a note of at most %d characters", MaxNoteText)

// AddDisputeNote adds an internal note to the shop's dispute: the shop and the admins see it, PayPal
// and the buyer do not.
func (d *ShopData) AddDisputeNote(ctx context.Context, id int64, text string, by Actor) error {
	return d.s.addDisputeNote(ctx, d.shopID, id, text, by)
}

// AddDisputeNote adds an admin's internal note to any shop's dispute.
func (s *Store) AddDisputeNote(ctx context.Context, id int64, text string, by Actor) error {
	return s.addDisputeNote(ctx, 0, id, text, by)
}

func (s *Store) addDisputeNote(ctx context.Context, shopID, id int64, text string, by Actor) error {
	text = strings.TrimSpace(text)
	if text == "" || len([]rune(text)) > MaxNoteText {
		return ErrEmptyNote
	}
	dp, err := s.disputeIn(ctx, shopID, id)
	if err != nil {
		return err
	}
	return s.Transaction(ctx, func(tx *Tx) error {
		tx.disputeChanged(dp.ShopID)
		if err := tx.audit(dp.ShopID, by, AuditDisputeNote, dp.PayPalID, "", tx.now()); err != nil {
			return err
		}
		return tx.disputeEntry(dp.ID, EntryNote, text, by.userID())
	})
}

// Evidence files PayPal accepts: JPG, GIF, PNG or PDF, each less than 10 MB, 50 MB in one action.
const (
	EvidenceFileLimit  = 10<<20 - 1
	EvidenceTotalLimit = 50 << 20
)

// EvidenceTypes are the content types of the files PayPal accepts, by the extension they go with.
var EvidenceTypes = map[string]string{"image/jpeg": ".jpg", "image/gif": ".gif", "image/png": ".png", "application/pdf": ".pdf"}

// ErrEvidenceFile is a file PayPal would not take.
var ErrEvidenceFile = errors.New("evidence must be a JPG, GIF, PNG or PDF file of less than 10 MB")

// AddDisputeFile keeps an evidence document of the shop's dispute, for the admins to send.
func (d *ShopData) AddDisputeFile(ctx context.Context, id int64, f *DisputeFile, by Actor) error {
	return d.s.addDisputeFile(ctx, d.shopID, id, f, by)
}

// AddDisputeFile keeps an admin's evidence document of any shop's dispute.
func (s *Store) AddDisputeFile(ctx context.Context, id int64, f *DisputeFile, by Actor) error {
	return s.addDisputeFile(ctx, 0, id, f, by)
}

func (s *Store) addDisputeFile(ctx context.Context, shopID, id int64, f *DisputeFile, by Actor) error {
	if _, ok := EvidenceTypes[f.ContentType]; !ok || len(f.Data) == 0 || len(f.Data) > EvidenceFileLimit {
		return ErrEvidenceFile
	}
	dp, err := s.disputeIn(ctx, shopID, id)
	if err != nil {
		return err
	}
	return s.Transaction(ctx, func(tx *Tx) error {
		f.ID, f.DisputeID, f.Size, f.UploadedBy, f.ActionID, f.CreatedAt = 0, dp.ID, int64(len(f.Data)), by.userID(), nil, tx.now()
		if err := tx.db.Create(f).Error; err != nil {
			return err
		}
		tx.disputeChanged(dp.ShopID)
		what := fmt.Sprintf("%s (%s)", f.Name, FileSize(f.Size))
		if err := tx.audit(dp.ShopID, by, AuditDisputeEvidence, dp.PayPalID, what, tx.now()); err != nil {
			return err
		}
		return tx.disputeEntry(dp.ID, EntryFile, "Added "+what+" to the evidence.", by.userID())
	})
}

// DisputeFileData reads an evidence document of the shop's dispute, with its bytes.
func (d *ShopData) DisputeFileData(ctx context.Context, disputeID, fileID int64) (*DisputeFile, error) {
	return d.s.disputeFileData(ctx, d.shopID, disputeID, fileID)
}

// DisputeFileData reads an evidence document of any shop's dispute, for the admins.
func (s *Store) DisputeFileData(ctx context.Context, disputeID, fileID int64) (*DisputeFile, error) {
	return s.disputeFileData(ctx, 0, disputeID, fileID)
}

func (s *Store) disputeFileData(ctx context.Context, shopID, disputeID, fileID int64) (*DisputeFile, error) {
	if _, err := s.disputeIn(ctx, shopID, disputeID); err != nil {
		return nil, err
	}
	var f DisputeFile
	if err := s.r.WithContext(ctx).Where("id = ? AND dispute_id = ?", fileID, disputeID).Take(&f).Error; err != nil {
		return nil, translate(err)
	}
	return &f, nil
}

// FileSize says a size in bytes for people: 812 KB, 2.4 MB.
func FileSize(n int64) string {
	switch {
	case n >= 1<<20:
		return fmt.Sprintf("%.1f MB", float64(n)/(1<<20))
	case n >= 1<<10:
		return fmt.Sprintf("%d KB", n>>10)
	default:
		return fmt.Sprintf("%d bytes", n)
	}
}
