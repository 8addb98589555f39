package models

import (
	"bytes"
	"context"
	"reflect"
	"time"

	"github.com/alexedwards/scs/v2"
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
	if l := loadedIn(ctx); l != nil {
		*l = loadedSession{token: token, data: row.Data, expiry: row.Expiry}
	}
	return row.Data, true, nil
}

// loadedSession is the session a request loaded, kept in its context (WithLoadedSession) so that
// its commit can tell an unchanged session without reading it again.
type loadedSession struct {
	token  string
	data   []byte
	expiry time.Time
}

type loadedKey struct{}

// WithLoadedSession readies a request's context to keep the session the request loads.
func WithLoadedSession(ctx context.Context) context.Context {
	return context.WithValue(ctx, loadedKey{}, &loadedSession{})
}

func loadedIn(ctx context.Context) *loadedSession {
	l, _ := ctx.Value(loadedKey{}).(*loadedSession)
	return l
}

// sessionTouch is how far a session's expiry must move before a commit that changes nothing else
// is written.
const sessionTouch = time.Minute

// CommitCtx saves the session data, replacing any earlier version. A commit of the same values
// that moves the expiry by less than sessionTouch is not written: with an idle timeout, scs
// commits every session on every request, which put a write on SQLite's one writer behind every
// page view (docs/benchmarks.md, "Measurements behind the code"). An idle session so expires up to a minute
// early.
func (ss *SessionStore) CommitCtx(ctx context.Context, token string, b []byte, expiry time.Time) error {
	if ss.unchanged(ctx, token, b, expiry) {
		return nil
	}
	row := session{Token: token, Data: b, Expiry: expiry.UTC()}
	if err := ss.s.w.WithContext(ctx).Clauses(clause.OnConflict{UpdateAll: true}).Create(&row).Error; err != nil {
		return err
	}
	if l := loadedIn(ctx); l != nil {
		*l = loadedSession{token: token, data: b, expiry: row.Expiry}
	}
	return nil
}

// unchanged reports whether the stored session has the values of b, with an expiry less than
// sessionTouch before expiry: the session as the request loaded it, or else as stored. The
// encodings are compared decoded: gob writes a map's entries in no fixed order.
func (ss *SessionStore) unchanged(ctx context.Context, token string, b []byte, expiry time.Time) bool {
	var cur session
	if l := loadedIn(ctx); l != nil && l.token == token {
		cur = session{Token: token, Data: l.data, Expiry: l.expiry}
	} else if err := ss.s.r.WithContext(ctx).Where("token = ?", token).Take(&cur).Error; err != nil {
		return false
	}
	if moved := expiry.Sub(cur.Expiry); moved < 0 || moved >= sessionTouch {
		return false
	}
	if bytes.Equal(cur.Data, b) {
		return true
	}
	var codec scs.GobCodec
	curDeadline, curValues, err := codec.Decode(cur.Data)
	if err != nil {
		return false
	}
	deadline, values, err := codec.Decode(b)
	return err == nil && deadline.Equal(curDeadline) && reflect.DeepEqual(values, curValues)
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
