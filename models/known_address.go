package models

import (
	"time"

	"gorm.io/gorm/clause"
)

// knownAddress is an address a user has signed in from (or signed up or joined from), and when
// last: sign-in's throttle spares it the delay that failures from elsewhere put on the account.
type knownAddress struct {
	UserID         int64  `gorm:"primaryKey;autoIncrement:false"`
	IP             string `gorm:"column:ip;primaryKey"`
	LastSignedInAt time.Time
}

func (knownAddress) TableName() string { return "known_addresses" }

// rememberAddress notes that the user proved their password from ip at at. The demo data, made
// by no request, has no address to remember.
func (tx *Tx) rememberAddress(userID int64, ip string, at time.Time) error {
	if ip == "" {
		return nil
	}
	return tx.db.Clauses(clause.OnConflict{
		Columns:   []clause.Column{{Name: "user_id"}, {Name: "ip"}},
		DoUpdates: clause.AssignmentColumns([]string{"last_signed_in_at"}),
	}).Create(&knownAddress{UserID: userID, IP: ip, LastSignedInAt: at}).Error
}

// lastSignInFrom is when the account of email last signed in from ip, if after since; else zero.
func (tx *Tx) lastSignInFrom(email, ip string, since time.Time) (time.Time, error) {
	var at []time.Time
	err := tx.db.Model(&knownAddress{}).
		Joins("JOIN users ON users.id = known_addresses.user_id").
		Where("users.email = ? AND known_addresses.ip = ? AND known_addresses.last_signed_in_at > ?", email, ip, since).
		Pluck("known_addresses.last_signed_in_at", &at).Error
	if err != nil || len(at) == 0 {
		return time.Time{}, err
	}
	return at[0], nil
}

// lastSignIn is when the user last signed in, from any address in the last knownAddressFor;
// else zero.
func (tx *Tx) lastSignIn(userID int64) (time.Time, error) {
	var at []time.Time
	err := tx.db.Model(&knownAddress{}).Where("user_id = ?", userID).
		Order("last_signed_in_at DESC").Limit(1).Pluck("last_signed_in_at", &at).Error
	if err != nil || len(at) == 0 {
		return time.Time{}, err
	}
	return at[0], nil
}
