package models_test

import (
	"bytes"
	"context"
	"testing"
	"time"

	"github.com/alexedwards/scs/v2"

	"github.com/chatshop/chatshop/models"
	"github.com/chatshop/chatshop/models/modelstest"
)

func TestSessionStore(t *testing.T) {
	ctx := context.Background()
	ss := modelstest.Open(t).Sessions()
	if err := ss.CommitCtx(ctx, "tok", []byte("one"), time.Now().Add(time.Hour)); err != nil {
		t.Fatal(err)
	}
	if err := ss.CommitCtx(ctx, "tok", []byte("two"), time.Now().Add(time.Hour)); err != nil {
		t.Fatal(err)
	}
	if b, ok, err := ss.FindCtx(ctx, "tok"); err != nil || !ok || string(b) != "two" {
		t.Fatalf("Find = %q, %v, %v; want the second commit", b, ok, err)
	}
	if err := ss.CommitCtx(ctx, "old", []byte("x"), time.Now().Add(-time.Second)); err != nil {
		t.Fatal(err)
	}
	if _, ok, err := ss.FindCtx(ctx, "old"); err != nil || ok {
		t.Fatalf("an expired session was found (%v, %v)", ok, err)
	}
	if _, ok, err := ss.FindCtx(ctx, "never-issued"); err != nil || ok {
		t.Fatalf("an unknown token was found (%v, %v)", ok, err)
	}
	if err := ss.DeleteCtx(ctx, "tok"); err != nil {
		t.Fatal(err)
	}
	if _, ok, _ := ss.FindCtx(ctx, "tok"); ok {
		t.Fatal("a deleted session was found")
	}
	if err := ss.DeleteCtx(ctx, "tok"); err != nil {
		t.Fatalf("deleting twice: %v", err)
	}
}

// A commit of the same values that only moves the expiry a little is not written (scs's idle
// timeout commits every session on every request); new values, or an expiry moved a minute or
// more, are.
func TestSessionStoreSkipsCommitsThatChangeNothing(t *testing.T) {
	ctx := context.Background()
	s := modelstest.Open(t)
	ss := s.Sessions()
	deadline := time.Now().Add(12 * time.Hour).UTC()
	values := map[string]any{"user": int64(7), "epoch": int64(3), "shop": int64(2), "next": "/app/orders", "flash": "saved"}
	encode := func(values map[string]any) []byte {
		b, err := scs.GobCodec{}.Encode(deadline, values)
		if err != nil {
			t.Fatal(err)
		}
		return b
	}
	stored := func() (string, time.Time) {
		t.Helper()
		var expiry time.Time
		var data []byte
		if err := s.ReaderDB().QueryRow(models.Numbered("SELECT data, expiry FROM sessions WHERE token = ?"), "tok").Scan(&data, &expiry); err != nil {
			t.Fatal(err)
		}
		_, v, err := scs.GobCodec{}.Decode(data)
		if err != nil {
			t.Fatal(err)
		}
		return v["flash"].(string), expiry
	}
	// gob writes a map in no fixed order: the same values in other bytes.
	once, again := encode(values), encode(values)
	for i := 0; i < 100 && bytes.Equal(once, again); i++ {
		again = encode(values)
	}
	if bytes.Equal(once, again) {
		t.Fatal("gob encoded the same five values identically every time: the test needs two encodings")
	}
	first := time.Now().Add(2 * time.Hour).UTC().Truncate(time.Millisecond)
	if err := ss.CommitCtx(ctx, "tok", once, first); err != nil {
		t.Fatal(err)
	}
	if err := ss.CommitCtx(ctx, "tok", again, first.Add(30*time.Second)); err != nil {
		t.Fatal(err)
	}
	if _, expiry := stored(); !expiry.Equal(first) {
		t.Fatalf("expiry %v after committing the same values 30 s later; want %v, unwritten", expiry, first)
	}
	values["flash"] = "deleted"
	if err := ss.CommitCtx(ctx, "tok", encode(values), first.Add(40*time.Second)); err != nil {
		t.Fatal(err)
	}
	if flash, expiry := stored(); flash != "deleted" || !expiry.Equal(first.Add(40*time.Second)) {
		t.Fatalf("after new values: flash %q, expiry %v; want them written", flash, expiry)
	}
	later := first.Add(40*time.Second + time.Minute) // a minute: written anyway
	if err := ss.CommitCtx(ctx, "tok", encode(values), later); err != nil {
		t.Fatal(err)
	}
	if _, expiry := stored(); !expiry.Equal(later) {
		t.Fatalf("expiry %v after moving it a minute; want %v", expiry, later)
	}
}

// A request that loaded its session compares its commit with the session as loaded, not stored:
// the request's context keeps it (WithLoadedSession).
func TestSessionStoreComparesWithTheSessionLoaded(t *testing.T) {
	s := modelstest.Open(t)
	ss := s.Sessions()
	expiry := time.Now().Add(2 * time.Hour).UTC().Truncate(time.Millisecond)
	if err := ss.CommitCtx(context.Background(), "tok", []byte("values"), expiry); err != nil {
		t.Fatal(err)
	}
	stored := func() []byte {
		t.Helper()
		var data []byte
		if err := s.ReaderDB().QueryRow(models.Numbered("SELECT data FROM sessions WHERE token = ?"), "tok").Scan(&data); err != nil {
			t.Fatal(err)
		}
		return data
	}

	request := models.WithLoadedSession(context.Background())
	if b, ok, err := ss.FindCtx(request, "tok"); err != nil || !ok || string(b) != "values" {
		t.Fatalf("Find = %q, %v, %v", b, ok, err)
	}
	// Another request changes the stored session meanwhile: this one's unchanged commit is
	// still not written, since it is compared with what this request loaded.
	if err := ss.CommitCtx(context.Background(), "tok", []byte("other values"), expiry); err != nil {
		t.Fatal(err)
	}
	if err := ss.CommitCtx(request, "tok", []byte("values"), expiry.Add(time.Second)); err != nil {
		t.Fatal(err)
	}
	if got := stored(); string(got) != "other values" {
		t.Fatalf("stored %q; the unchanged commit was written", got)
	}
	// Changed values are written, and become what the request compares with next.
	if err := ss.CommitCtx(request, "tok", []byte("new values"), expiry.Add(2*time.Second)); err != nil {
		t.Fatal(err)
	}
	if err := ss.CommitCtx(context.Background(), "tok", []byte("yet other values"), expiry); err != nil {
		t.Fatal(err)
	}
	if err := ss.CommitCtx(request, "tok", []byte("new values"), expiry.Add(3*time.Second)); err != nil {
		t.Fatal(err)
	}
	if got := stored(); string(got) != "yet other values" {
		t.Fatalf("stored %q; the request's second unchanged commit was written", got)
	}
}
