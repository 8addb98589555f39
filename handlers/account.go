package handlers

import (
	"net/http"

	"github.com/labstack/echo/v4"

	"github.com/chatshop/chatshop/password"
	"github.com/chatshop/chatshop/views/layout"
	"github.com/chatshop/chatshop/views/pages"
	"github.com/chatshop/chatshop/views/render"
)

// ShowAccount renders the signed-in user's own settings: password and sessions.
func (h *Handlers) ShowAccount(c echo.Context) error {
	return render.Render(c, http.StatusOK, pages.AccountPage(h.accountView(c, nil)))
}

func (h *Handlers) accountView(c echo.Context, errs map[string]string) pages.Account {
	console := layout.ShopConsole
	if ViewerOf(c).Shop == nil {
		console = layout.AdminConsole
	}
	return pages.Account{Page: h.page(c, "Your account", "account", console), Errors: errs}
}

// ChangePassword checks the current password, stores the new one and ends every other session.
// The current password is guessed like a sign-in, so it is throttled like one; and repeated wrong
// ones end the user's sessions, so a stolen session does not become a stolen account.
func (h *Handlers) ChangePassword(c echo.Context) error {
	ctx := c.Request().Context()
	v := ViewerOf(c)
	ip := c.RealIP()
	current, next := c.FormValue("current_password"), c.FormValue("new_password")
	errs := map[string]string{}
	if wait, err := h.Accounts.LoginThrottle(ctx, v.User.Email, ip); err != nil {
		return err
	} else if wait > 0 {
		if _, err := h.Accounts.RecordPasswordCheckFailed(ctx, v.User, ip, true); err != nil {
			return err
		}
		errs["current_password"] = "Too many wrong passwords. Try again in " + retryAfter(c, wait) + "."
		return render.Render(c, http.StatusTooManyRequests, pages.AccountPage(h.accountView(c, errs)))
	}
	if ok, err := password.Check(ctx, v.User.PasswordHash, current); err != nil {
		return err
	} else if !ok {
		ended, err := h.Accounts.RecordPasswordCheckFailed(ctx, v.User, ip, false)
		if err != nil {
			return err
		}
		if ended {
			if err := h.Sessions.Destroy(ctx); err != nil {
				return err
			}
			return c.Redirect(http.StatusSeeOther, "/login?reason=password_guesses")
		}
		errs["current_password"] = "That is not your current password."
	}
	if msg := password.CheckNew(next, v.User.Email); msg != "" {
		errs["new_password"] = msg
	} else if next == current {
		errs["new_password"] = "Choose a password different from the current one."
	}
	if len(errs) > 0 {
		return render.Render(c, http.StatusUnprocessableEntity, pages.AccountPage(h.accountView(c, errs)))
	}
	hash, err := password.Hash(ctx, next)
	if err != nil {
		return err
	}
	epoch, err := h.Accounts.ChangePassword(ctx, v.User.ID, hash, actor(c))
	if err != nil {
		return err
	}
	v.User.SessionEpoch = epoch
	if err := h.startSession(c, v.User, 0); err != nil {
		return err
	}
	h.flash(c, "success", "Your password was changed. Other devices have been signed out.")
	return c.Redirect(http.StatusSeeOther, "/account")
}

// SignOutEverywhere ends every session of the user, this one included.
func (h *Handlers) SignOutEverywhere(c echo.Context) error {
	if _, err := h.Accounts.EndAllSessions(c.Request().Context(), ViewerOf(c).User.ID, actor(c)); err != nil {
		return err
	}
	return h.Logout(c)
}
