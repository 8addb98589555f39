package handlers

import (
	"errors"
	"net/http"

	"github.com/labstack/echo/v4"

	"github.com/chatshop/chatshop/models"
	"github.com/chatshop/chatshop/views/layout"
	"github.com/chatshop/chatshop/views/pages"
	"github.com/chatshop/chatshop/views/render"
)

// ShowTeam lists the shop's members and pending invites, with the invite form.
func (h *Handlers) ShowTeam(c echo.Context) error {
	vm, err := h.teamView(c, pages.InviteInput{Role: string(models.RoleStaff)}, nil)
	if err != nil {
		return err
	}
	return render.Render(c, http.StatusOK, pages.TeamPage(vm))
}

func (h *Handlers) teamView(c echo.Context, in pages.InviteInput, errs map[string]string) (pages.Team, error) {
	ctx := c.Request().Context()
	v := ViewerOf(c)
	members, err := v.Data.Members(ctx)
	if err != nil {
		return pages.Team{}, err
	}
	invites, err := v.Data.PendingInvites(ctx)
	if err != nil {
		return pages.Team{}, err
	}
	vm := pages.Team{Page: h.page(c, "Team", "team", layout.ShopConsole), Input: in, Errors: errs, MyUserID: v.User.ID,
		NewInviteLink: h.Sessions.PopString(ctx, sessionInviteLink)}
	for _, m := range members {
		vm.Members = append(vm.Members, pages.MemberRow{UserID: m.UserID, Name: m.Name, Email: m.Email, Role: string(m.Role), JoinedAt: m.JoinedAt})
	}
	for _, i := range invites {
		vm.Invites = append(vm.Invites, pages.InviteRow{ID: i.ID, Email: i.Email, Role: string(i.Role), ExpiresAt: i.ExpiresAt})
	}
	return vm, nil
}

// CreateInvite makes an invite link and shows it once on the team page.
func (h *Handlers) CreateInvite(c echo.Context) error {
	ctx := c.Request().Context()
	in := pages.InviteInput{Email: models.NormalizeEmail(c.FormValue("email")), Role: c.FormValue("role")}
	errs := map[string]string{}
	if msg := checkEmail(in.Email); msg != "" {
		errs["email"] = msg
	}
	role, ok := parseRole(in.Role)
	if !ok {
		errs["role"] = "Choose owner or staff."
	}
	if len(errs) > 0 {
		vm, err := h.teamView(c, in, errs)
		if err != nil {
			return err
		}
		return render.Render(c, http.StatusUnprocessableEntity, pages.TeamPage(vm))
	}
	_, token, err := ViewerOf(c).Data.CreateInvite(ctx, in.Email, role, actor(c))
	if err != nil {
		return err
	}
	h.Sessions.Put(ctx, sessionInviteLink, h.BaseURL+"/invite/"+token)
	h.flash(c, "success", "Invite created for "+in.Email+". Send them the link below; it works for 7 days.")
	return c.Redirect(http.StatusSeeOther, "/app/team")
}

// RevokeInvite cancels a pending invite.
func (h *Handlers) RevokeInvite(c echo.Context) error {
	id, err := pathID(c)
	if err != nil {
		return err
	}
	err = ViewerOf(c).Data.RevokeInvite(c.Request().Context(), id, actor(c))
	if errors.Is(err, models.ErrInviteUnusable) {
		h.flash(c, "error", "That invite was already used, revoked or expired.")
		return c.Redirect(http.StatusSeeOther, "/app/team")
	} else if err != nil {
		return err
	}
	h.flash(c, "success", "The invite was revoked; its link no longer works.")
	return c.Redirect(http.StatusSeeOther, "/app/team")
}

// ChangeRole makes a member owner or staff.
func (h *Handlers) ChangeRole(c echo.Context) error {
	id, err := pathID(c)
	if err != nil {
		return err
	}
	role, ok := parseRole(c.FormValue("role"))
	if !ok {
		return echo.NewHTTPError(http.StatusUnprocessableEntity, "Choose owner or staff.")
	}
	return h.teamChange(c, ViewerOf(c).Data.SetMemberRole(c.Request().Context(), id, role, actor(c)), "The role was changed.")
}

// RemoveMember takes a member out of the shop and ends their sessions.
func (h *Handlers) RemoveMember(c echo.Context) error {
	id, err := pathID(c)
	if err != nil {
		return err
	}
	return h.teamChange(c, ViewerOf(c).Data.RemoveMember(c.Request().Context(), id, actor(c)), "The member was removed and signed out.")
}

func (h *Handlers) teamChange(c echo.Context, err error, success string) error {
	switch {
	case errors.Is(err, models.ErrLastOwner):
		h.flash(c, "error", "A shop needs at least one owner. Make someone else owner first.")
	case err != nil:
		return err
	default:
		h.flash(c, "success", success)
	}
	return c.Redirect(http.StatusSeeOther, "/app/team")
}

func parseRole(s string) (models.Role, bool) {
	switch r := models.Role(s); r {
	case models.RoleOwner, models.RoleStaff:
		return r, true
	}
	return "", false
}
