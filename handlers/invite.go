package handlers

import (
	"errors"
	"net/http"
	"strings"

	"github.com/labstack/echo/v4"

	"github.com/chatshop/chatshop/models"
	"github.com/chatshop/chatshop/password"
	"github.com/chatshop/chatshop/views/pages"
	"github.com/chatshop/chatshop/views/render"
)

// ShowInvite renders the page behind an invite link: join with a new account, or with the
// existing account of the invited email.
func (h *Handlers) ShowInvite(c echo.Context) error {
	f, err := h.inviteForm(c)
	if err != nil {
		return err
	}
	return render.Render(c, http.StatusOK, pages.InvitePage(f))
}

// AcceptInvite joins the shop and signs the person in.
func (h *Handlers) AcceptInvite(c echo.Context) error {
	ctx := c.Request().Context()
	f, err := h.inviteForm(c)
	if err != nil {
		return err
	}
	if f.Unusable != "" {
		return render.Render(c, http.StatusGone, pages.InvitePage(f))
	}
	pass := c.FormValue("password")
	var u *models.User
	if f.Existing {
		// Joining with an existing account proves it is theirs, under the same throttle as sign-in.
		if wait, err := h.Accounts.LoginThrottle(ctx, f.Email, c.RealIP()); err != nil {
			return err
		} else if wait > 0 {
			f.Errors["password"] = "Too many attempts. Try again later."
			return render.Render(c, http.StatusTooManyRequests, pages.InvitePage(f))
		}
		u, err = h.Accounts.Authenticate(ctx, f.Email, pass)
		if err != nil && !errors.Is(err, models.ErrNotFound) {
			return err
		}
		if err := h.Accounts.RecordSignIn(ctx, f.Email, c.RealIP(), u, false); err != nil {
			return err
		}
		if u == nil {
			f.Errors["password"] = "That is not the password of " + f.Email + "."
			return render.Render(c, http.StatusUnprocessableEntity, pages.InvitePage(f))
		}
	} else {
		f.Name = strings.TrimSpace(c.FormValue("name"))
		checkName(f.Errors, "name", f.Name, "your name")
		if msg := password.CheckNew(pass, f.Email); msg != "" {
			f.Errors["password"] = msg
		}
		if len(f.Errors) > 0 {
			return render.Render(c, http.StatusUnprocessableEntity, pages.InvitePage(f))
		}
		hash, err := password.Hash(ctx, pass)
		if err != nil {
			return err
		}
		u = &models.User{Name: f.Name, PasswordHash: hash, SessionEpoch: 1}
	}
	inv, err := h.Accounts.AcceptInvite(ctx, c.Param("token"), u, c.RealIP())
	switch {
	case errors.Is(err, models.ErrInviteUnusable):
		f.Unusable = err.Error()
		return render.Render(c, http.StatusGone, pages.InvitePage(f))
	case errors.Is(err, models.ErrConflict):
		f.Unusable = "You are already a member of " + f.ShopName + ". Sign in to open it."
		return render.Render(c, http.StatusConflict, pages.InvitePage(f))
	case err != nil:
		return err
	}
	if err := h.startSession(c, u, inv.ShopID); err != nil {
		return err
	}
	h.flash(c, "success", "Welcome to "+f.ShopName+"!")
	return c.Redirect(http.StatusSeeOther, "/app")
}

func (h *Handlers) inviteForm(c echo.Context) (pages.InviteForm, error) {
	ctx := c.Request().Context()
	inv, shop, err := h.Accounts.InviteByToken(ctx, c.Param("token"))
	if err != nil {
		return pages.InviteForm{}, err // an unknown token is a 404
	}
	f := pages.InviteForm{Token: c.Param("token"), ShopName: shop.Name, Email: inv.Email, Role: string(inv.Role),
		Sandbox: h.Sandbox, Errors: map[string]string{}}
	if !inv.Pending(h.now()) {
		f.Unusable = models.ErrInviteUnusable.Error() + ". Ask the shop's owner for a new one."
		return f, nil
	}
	if _, err := h.Accounts.UserByEmail(ctx, inv.Email); err == nil {
		f.Existing = true
	} else if !errors.Is(err, models.ErrNotFound) {
		return f, err
	}
	return f, nil
}
