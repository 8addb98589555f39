package models_test

import (
	"context"
	"testing"
	"time"

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
