package handlers

import (
	"errors"
	"net/http"
	"strings"

	"github.com/labstack/echo/v4"

	"github.com/chatshop/chatshop/models"
	"github.com/chatshop/chatshop/views/pages"
	"github.com/chatshop/chatshop/web/render"
)

const genericLoginError = "That email and password do not match an account."

// ShowLogin renders the sign-in form; a signed-in user goes straight to the dashboard.
func (h *Handlers) ShowLogin(c echo.Context) error {
	if h.Sessions.GetInt64(c.Request().Context(), sessionUserID) != 0 {
		return c.Redirect(http.StatusSeeOther, "/app")
	}
	form := h.loginForm(c.QueryParam("next"))
	if c.QueryParam("signed_out") == "1" {
		form.Notice = "You have been signed out."
	}
	return render.Render(c, http.StatusOK, pages.Login(form))
}

// Login checks the credentials, renews the session token and sends the user on.
func (h *Handlers) Login(c echo.Context) error {
	ctx := c.Request().Context()
	email, password := strings.TrimSpace(c.FormValue("email")), c.FormValue("password")
	form := h.loginForm(c.FormValue("next"))
	form.Email = email
	if email == "" || password == "" {
		form.Error = "Enter your email and password."
		return render.Render(c, http.StatusUnprocessableEntity, pages.Login(form))
	}
	u, err := h.Accounts.Authenticate(ctx, email, password)
	if errors.Is(err, models.ErrNotFound) {
		form.Error = genericLoginError
		return render.Render(c, http.StatusUnprocessableEntity, pages.Login(form))
	} else if err != nil {
		return err
	}
	// A new token at sign-in, so a token planted before it (session fixation) is worthless.
	if err := h.Sessions.RenewToken(ctx); err != nil {
		return err
	}
	h.Sessions.Put(ctx, sessionUserID, u.ID)
	return c.Redirect(http.StatusSeeOther, safeNext(form.Next))
}

// Logout ends the session everywhere it is stored.
func (h *Handlers) Logout(c echo.Context) error {
	if err := h.Sessions.Destroy(c.Request().Context()); err != nil {
		return err
	}
	return c.Redirect(http.StatusSeeOther, "/login?signed_out=1")
}

func (h *Handlers) loginForm(next string) pages.LoginForm {
	f := pages.LoginForm{Next: safeNext(next), Sandbox: h.Sandbox}
	if h.Sandbox {
		f.DemoLogins = []pages.DemoLogin{
			{Role: "Shop owner", Email: models.DemoOwnerEmail, Password: models.DemoOwnerPassword},
			{Role: "Platform admin", Email: models.DemoAdminEmail, Password: models.DemoAdminPassword},
		}
	}
	return f
}

// safeNext keeps a post-login redirect on this site: a local path, never //host or a scheme.
func safeNext(next string) string {
	if !strings.HasPrefix(next, "/") || strings.HasPrefix(next, "//") || strings.HasPrefix(next, "/\\") ||
		strings.ContainsAny(next, "\r\n") {
		return "/app"
	}
	return next
}
