package handlers

import (
	"errors"
	"fmt"
	"math"
	"net/http"
	"strings"
	"time"

	"github.com/labstack/echo/v4"

	"github.com/chatshop/chatshop/demo"
	"github.com/chatshop/chatshop/models"
	"github.com/chatshop/chatshop/views/pages"
	"github.com/chatshop/chatshop/views/render"
)

// One message for a wrong password and an unknown email, so the form does not reveal accounts.
const genericLoginError = "That email and password do not match an account."

// ShowLogin renders the sign-in form; a signed-in user goes straight to the dashboard.
func (h *Handlers) ShowLogin(c echo.Context) error {
	if h.Sessions.GetInt64(c.Request().Context(), sessionUserID) != 0 {
		return c.Redirect(http.StatusSeeOther, "/app")
	}
	form := h.loginForm(c.QueryParam("next"))
	switch c.QueryParam("reason") {
	case "signed_out":
		form.Notice = "You have been signed out."
	case "expired":
		form.Notice = "Your session has ended. Please sign in again."
	case "password_guesses":
		form.Notice = "You were signed out everywhere after too many wrong passwords. Please sign in again."
	}
	return render.Render(c, http.StatusOK, pages.Login(form))
}

// Login checks the throttle and the credentials, renews the session token and sends the user on.
func (h *Handlers) Login(c echo.Context) error {
	ctx := c.Request().Context()
	email, password := strings.TrimSpace(c.FormValue("email")), c.FormValue("password")
	form := h.loginForm(c.FormValue("next"))
	form.Email = email
	if email == "" || password == "" {
		form.Error = "Enter your email and password."
		return render.Render(c, http.StatusUnprocessableEntity, pages.Login(form))
	}
	ip := c.RealIP()
	wait, err := h.Accounts.LoginThrottle(ctx, email, ip)
	if err != nil {
		return err
	}
	if wait > 0 {
		if err := h.Accounts.RecordSignIn(ctx, email, ip, nil, true); err != nil {
			return err
		}
		form.Error = "Too many sign-in attempts. Try again in " + retryAfter(c, wait) + "."
		return render.Render(c, http.StatusTooManyRequests, pages.Login(form))
	}
	u, err := h.Accounts.Authenticate(ctx, email, password)
	if err != nil && !errors.Is(err, models.ErrNotFound) {
		return err
	}
	if err := h.Accounts.RecordSignIn(ctx, email, ip, u, false); err != nil {
		return err
	}
	if u == nil {
		form.Error = genericLoginError
		return render.Render(c, http.StatusUnprocessableEntity, pages.Login(form))
	}
	if err := h.startSession(c, u, 0); err != nil {
		return err
	}
	return c.Redirect(http.StatusSeeOther, safeNext(form.Next))
}

// startSession signs u in with a new session token (so a token planted before, session fixation,
// is worthless), bound to u's current session epoch, working in shopID (0: their first shop).
func (h *Handlers) startSession(c echo.Context, u *models.User, shopID int64) error {
	ctx := c.Request().Context()
	if err := h.Sessions.RenewToken(ctx); err != nil {
		return err
	}
	h.Sessions.Put(ctx, sessionUserID, u.ID)
	h.Sessions.Put(ctx, sessionEpoch, u.SessionEpoch)
	if shopID != 0 {
		h.Sessions.Put(ctx, sessionShopID, shopID)
	}
	return nil
}

// Logout ends this session.
func (h *Handlers) Logout(c echo.Context) error {
	if err := h.Sessions.Destroy(c.Request().Context()); err != nil {
		return err
	}
	return c.Redirect(http.StatusSeeOther, "/login?reason=signed_out")
}

func (h *Handlers) loginForm(next string) pages.LoginForm {
	f := pages.LoginForm{Next: safeNext(next), Sandbox: h.Sandbox}
	if h.Sandbox {
		f.DemoLogins = []pages.DemoLogin{
			{Role: "Shop owner", Email: demo.OwnerEmail, Password: demo.OwnerPassword},
			{Role: "Platform admin", Email: demo.AdminEmail, Password: demo.AdminPassword},
		}
	}
	return f
}

// retryAfter tells the client, in a Retry-After header, to wait; it returns the wait for people,
// rounded up: "40 seconds", "3 minutes".
func retryAfter(c echo.Context, wait time.Duration) string {
	seconds := int(math.Ceil(wait.Seconds()))
	c.Response().Header().Set("Retry-After", fmt.Sprint(seconds))
	if seconds < 60 {
		return fmt.Sprintf("%d second%s", seconds, plural(seconds))
	}
	minutes := int(math.Ceil(wait.Minutes()))
	return fmt.Sprintf("%d minute%s", minutes, plural(minutes))
}

func plural(n int) string {
	if n == 1 {
		return ""
	}
	return "s"
}
