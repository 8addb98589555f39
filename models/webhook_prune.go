package models

import (
	"context"
	"time"
)

// deliveriesPrunedAtOnce bounds each pruning transaction, so the writer is never held long.
const deliveriesPrunedAtOnce = 500

// WebhooksPruned says what PruneWebhooks forgot.
type WebhooksPruned struct {
	// Deliveries emptied of their headers and body; ThroughID is the newest of them (or the one
	// given), where the next pruning may start.
	Deliveries int
	ThroughID  int64
	// Refusal counts and samples deleted.
	Refusals int64
}

// PruneWebhooks forgets what is older than before: the refusals' counts and samples, and the
// headers and body of deliveries. A delivery's row stays, since its events point at it, and the
// events keep their own payload. Deliveries not yet emptied are walked in the order they came from
// the one after afterID (0 at first), a bounded batch per transaction: their ids grow with time,
// so the walk stops at the first one still young enough.
func (s *Store) PruneWebhooks(ctx context.Context, before time.Time, afterID int64) (WebhooksPruned, error) {
	before = before.UTC()
	out := WebhooksPruned{ThroughID: afterID}
	err := s.Transaction(ctx, func(tx *Tx) error {
		res := tx.db.Where("hour < ?", before.Truncate(time.Hour)).Delete(&refusalCount{})
		if res.Error != nil {
			return res.Error
		}
		out.Refusals = res.RowsAffected
		res = tx.db.Where("received_at < ?", before).Delete(&RefusedDelivery{})
		out.Refusals += res.RowsAffected
		return res.Error
	})
	for err == nil && ctx.Err() == nil {
		var batch []struct {
			ID         int64
			ReceivedAt time.Time
		}
		err = s.r.WithContext(ctx).Model(&WebhookDelivery{}).Select("id, received_at").Where("id > ? AND length(body) > 0", out.ThroughID).
			Order("id").Limit(deliveriesPrunedAtOnce).Find(&batch).Error
		old := make([]int64, 0, len(batch))
		for _, d := range batch {
			if !d.ReceivedAt.Before(before) {
				break
			}
			old = append(old, d.ID)
		}
		if err != nil || len(old) == 0 {
			break
		}
		err = s.Transaction(ctx, func(tx *Tx) error {
			return tx.db.Model(&WebhookDelivery{}).Where("id IN ?", old).
				Updates(map[string]any{"headers": "{}", "body": []byte{}}).Error
		})
		if err == nil {
			out.Deliveries += len(old)
			out.ThroughID = old[len(old)-1]
		}
		if len(old) < len(batch) {
			break
		}
	}
	return out, err
}
