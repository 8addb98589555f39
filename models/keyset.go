package models

import "gorm.io/gorm"

// keysetPage reads one page of rows newest first: at most limit rows with an id below before
// (0: from the newest). It returns them and the cursor of the next page, 0 on the last page.
// Keyset pagination stays fast on any page, unlike OFFSET.
func keysetPage[T any](q *gorm.DB, before int64, limit int, id func(*T) int64) ([]T, int64, error) {
	return readKeyset(q, "id DESC", "id < ?", before, limit, id)
}

// oldestFirstPage reads one page of rows oldest first: at most limit rows with an id above after.
func oldestFirstPage[T any](q *gorm.DB, after int64, limit int, id func(*T) int64) ([]T, int64, error) {
	return readKeyset(q, "id", "id > ?", after, limit, id)
}

func readKeyset[T any](q *gorm.DB, order, beyond string, cursor int64, limit int, id func(*T) int64) ([]T, int64, error) {
	q = q.Order(order).Limit(limit + 1)
	if cursor > 0 {
		q = q.Where(beyond, cursor)
	}
	var rows []T
	if err := q.Find(&rows).Error; err != nil {
		return nil, 0, err
	}
	if len(rows) > limit {
		return rows[:limit], id(&rows[limit-1]), nil
	}
	return rows, 0, nil
}
