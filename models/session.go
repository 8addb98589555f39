package models

import (
	"context"
	"time"

	"gorm.io/gorm/clause"
)

// session is one row of the server-side session store.
type session struct {
	Token  string `gorm:"primaryKey"`
	Data   []byte
	Expiry time.Time
}

// SessionStore keeps web sessions in the database, so any web process can serve any user and a
// session can be revoked. It implements scs.CtxStore.
type SessionStore struct{ s *Store }

// Sessions returns the session store backed by this database.
func (s *Store) Sessions() *SessionStore { return &SessionStore{s: s} }

// FindCtx returns the session data for token, if it exists and has not expired.
func (ss *SessionStore) FindCtx(ctx context.Context, token string) ([]byte, bool, error) {
	var row session
	err := ss.s.r.WithContext(ctx).Where("token = ? AND expiry > ?", token, ss.s.nowUTC()).Take(&row).Error
	if err = translate(err); err == ErrNotFound {
		return nil, false, nil
	} else if err != nil {
		return nil, false, err
	}
	return row.Data, true, nil
}

// CommitCtx saves the session data, replacing any earlier version.
func (ss *SessionStore) CommitCtx(ctx context.Context, token string, b []byte, expiry time.Time) error {
	row := session{Token: token, Data: b, Expiry: expiry.UTC()}
	return ss.s.w.WithContext(ctx).Clauses(clause.OnConflict{UpdateAll: true}).Create(&row).Error
}

// DeleteCtx removes the session; deleting an unknown token is not an error.
func (ss *SessionStore) DeleteCtx(ctx context.Context, token string) error {
	return ss.s.w.WithContext(ctx).Where("token = ?", token).Delete(&session{}).Error
}

// Find implements scs.Store.
func (ss *SessionStore) Find(token string) ([]byte, bool, error) {
	return ss.FindCtx(context.Background(), token)
}

// Commit implements scs.Store.
func (ss *SessionStore) Commit(token string, b []byte, expiry time.Time) error {
	return ss.CommitCtx(context.Background(), token, b, expiry)
}

// Delete implements scs.Store.
func (ss *SessionStore) Delete(token string) error {
	return ss.DeleteCtx(context.Background(), token)
}

// DeleteExpiredSessions removes sessions past their expiry and reports how many went.
func (s *Store) DeleteExpiredSessions(ctx context.Context) (int64, error) {
	res := s.w.WithContext(ctx).Where("expiry <= ?", s.nowUTC()).Delete(&session{})
	return res.RowsAffected, res.Error
}

// CountSessions counts stored sessions, expired ones included.
func (s *Store) CountSessions(ctx context.Context) (int64, error) {
	var n int64
	err := s.r.WithContext(ctx).Model(&session{}).Count(&n).Error
	return n, err
}
