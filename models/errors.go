package models

import (
	"errors"

	"gorm.io/gorm"
)

var (
	// ErrNotFound means the record does not exist, or belongs to another shop.
	ErrNotFound = errors.New("not found")
	// ErrConflict means the change clashes with existing data (a duplicate, or a stale edit).
	ErrConflict = errors.New("conflict")
	// ErrInvalid means a request parameter cannot be used (a mangled page cursor).
	ErrInvalid = errors.New("invalid")
)

// translate maps gorm's errors to the store's own.
func translate(err error) error {
	switch {
	case err == nil:
		return nil
	case errors.Is(err, gorm.ErrRecordNotFound):
		return ErrNotFound
	case errors.Is(err, gorm.ErrDuplicatedKey), errors.Is(err, gorm.ErrForeignKeyViolated):
		return errors.Join(ErrConflict, err)
	default:
		return err
	}
}
