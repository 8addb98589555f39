package models_test

import (
	"context"
	"errors"
	"testing"
	"time"

	"github.com/chatshop/chatshop/models"
	"github.com/chatshop/chatshop/models/modelstest"
)

func ownerOf(t *testing.T, s *models.Store, shop *models.Shop) models.Actor {
	t.Helper()
	ms, err := s.ForShop(shop.ID).Members(context.Background())
	if err != nil || len(ms) == 0 {
		t.Fatalf("members: %v %v", ms, err)
	}
	return models.Actor{UserID: ms[0].UserID, Email: ms[0].Email, IP: "203.0.113.1"}
}

func TestInviteLifecycle(t *testing.T) {
	ctx := context.Background()
	clock := modelstest.NewClock()
	s := modelstest.OpenWithClock(t, clock)
	shop := newShop(t, s, "owner@example.com")
	data := s.ForShop(shop.ID)
	owner := ownerOf(t, s, shop)

	inv, token, err := data.CreateInvite(ctx, " Staff@Example.com ", models.RoleStaff, owner)
	if err != nil {
		t.Fatal(err)
	}
	if inv.Email != "staff@example.com" || inv.TokenHash == token || len(token) < 30 {
		t.Fatalf("invite %+v token %q", inv, token)
	}
	found, foundShop, err := s.InviteByToken(ctx, token)
	if err != nil || found.ID != inv.ID || foundShop.ID != shop.ID {
		t.Fatalf("InviteByToken = %+v, %v", found, err)
	}
	if _, _, err := s.InviteByToken(ctx, token+"x"); !errors.Is(err, models.ErrNotFound) {
		t.Fatalf("a wrong token found %v", err)
	}

	staff := &models.User{Name: "Sam Staff", PasswordHash: "x"}
	if _, err := s.AcceptInvite(ctx, token, staff, "198.51.100.7"); err != nil {
		t.Fatal(err)
	}
	if staff.ID == 0 || staff.Email != "staff@example.com" {
		t.Fatalf("new account %+v", staff)
	}
	if _, err := s.AcceptInvite(ctx, token, &models.User{Name: "Again", PasswordHash: "x"}, ""); !errors.Is(err, models.ErrInviteUnusable) {
		t.Fatalf("second use: %v, want ErrInviteUnusable", err)
	}
	members, _ := data.Members(ctx)
	if len(members) != 2 || members[1].Role != models.RoleStaff || members[1].Email != "staff@example.com" {
		t.Fatalf("members %+v", members)
	}

	expiring, expiringToken, _ := data.CreateInvite(ctx, "late@example.com", models.RoleStaff, owner)
	clock.Advance(models.InviteLifetime + time.Second)
	if _, err := s.AcceptInvite(ctx, expiringToken, &models.User{Name: "Late", PasswordHash: "x"}, ""); !errors.Is(err, models.ErrInviteUnusable) {
		t.Fatalf("expired invite: %v", err)
	}
	if pending, _ := data.PendingInvites(ctx); len(pending) != 0 {
		t.Fatalf("expired invite %d still pending: %+v", expiring.ID, pending)
	}

	revoked, revokedToken, _ := data.CreateInvite(ctx, "nope@example.com", models.RoleOwner, owner)
	other := newShop(t, s, "other@example.com")
	if err := s.ForShop(other.ID).RevokeInvite(ctx, revoked.ID, ownerOf(t, s, other)); !errors.Is(err, models.ErrNotFound) {
		t.Fatalf("another shop revoked our invite: %v", err)
	}
	if err := data.RevokeInvite(ctx, revoked.ID, owner); err != nil {
		t.Fatal(err)
	}
	if _, err := s.AcceptInvite(ctx, revokedToken, &models.User{Name: "N", PasswordHash: "x"}, ""); !errors.Is(err, models.ErrInviteUnusable) {
		t.Fatalf("revoked invite: %v", err)
	}

	page, err := data.ListAudit(ctx, models.AuditFilter{Limit: 50})
	if err != nil {
		t.Fatal(err)
	}
	var actions []string
	for _, e := range page.Events {
		actions = append(actions, e.Action)
	}
	want := []string{models.AuditInviteRevoked, models.AuditInviteCreated, models.AuditInviteCreated, models.AuditInviteAccepted, models.AuditInviteCreated, models.AuditShopCreated}
	if len(actions) != len(want) {
		t.Fatalf("audit %v, want %v", actions, want)
	}
	for i := range want {
		if actions[i] != want[i] {
			t.Fatalf("audit %v, want %v", actions, want)
		}
	}
}

func TestRolesKeepAnOwner(t *testing.T) {
	ctx := context.Background()
	s := modelstest.Open(t)
	shop := newShop(t, s, "owner@example.com")
	data := s.ForShop(shop.ID)
	owner := ownerOf(t, s, shop)

	if err := data.SetMemberRole(ctx, owner.UserID, models.RoleStaff, owner); !errors.Is(err, models.ErrLastOwner) {
		t.Fatalf("demoting the last owner: %v", err)
	}
	if err := data.RemoveMember(ctx, owner.UserID, owner); !errors.Is(err, models.ErrLastOwner) {
		t.Fatalf("removing the last owner: %v", err)
	}
	_, token, _ := data.CreateInvite(ctx, "second@example.com", models.RoleStaff, owner)
	second := &models.User{Name: "Second", PasswordHash: "x"}
	if _, err := s.AcceptInvite(ctx, token, second, ""); err != nil {
		t.Fatal(err)
	}
	if err := data.SetMemberRole(ctx, second.ID, models.RoleOwner, owner); err != nil {
		t.Fatal(err)
	}
	if err := data.SetMemberRole(ctx, owner.UserID, models.RoleStaff, owner); err != nil {
		t.Fatalf("demoting one of two owners: %v", err)
	}

	before, _ := s.UserByID(ctx, second.ID)
	other := newShop(t, s, "other@example.com")
	if err := s.ForShop(other.ID).RemoveMember(ctx, second.ID, ownerOf(t, s, other)); !errors.Is(err, models.ErrNotFound) {
		t.Fatalf("another shop removed our member: %v", err)
	}
	if err := data.SetMemberRole(ctx, owner.UserID, models.RoleOwner, owner); err != nil {
		t.Fatal(err)
	}
	if err := data.RemoveMember(ctx, second.ID, owner); err != nil {
		t.Fatal(err)
	}
	after, _ := s.UserByID(ctx, second.ID)
	if after.SessionEpoch != before.SessionEpoch+1 {
		t.Fatalf("removal did not end the member's sessions: epoch %d → %d", before.SessionEpoch, after.SessionEpoch)
	}
	if ms, _ := s.MembershipsOf(ctx, second.ID); len(ms) != 0 {
		t.Fatalf("removed member still has %+v", ms)
	}
}
