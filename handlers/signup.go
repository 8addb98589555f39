package handlers

import (
	"errors"
	"net/http"
	"net/mail"
	"strings"
	"unicode/utf8"

	"github.com/labstack/echo/v4"

	"github.com/chatshop/chatshop/models"
	"github.com/chatshop/chatshop/password"
	"github.com/chatshop/chatshop/views/pages"
	"github.com/chatshop/chatshop/views/render"
)

const emailTaken = "An account with this email already exists. Sign in instead."

// ShowSignup renders the form that creates a shop and its owner.
func (h *Handlers) ShowSignup(c echo.Context) error {
	return render.Render(c, http.StatusOK, pages.Signup(pages.SignupForm{Sandbox: h.Sandbox}))
}

// Signup creates the shop and its owner, signs the owner in and opens the dashboard.
func (h *Handlers) Signup(c echo.Context) error {
	ctx := c.Request().Context()
	f := pages.SignupForm{
		ShopName: strings.TrimSpace(c.FormValue("shop_name")),
		Name:     strings.TrimSpace(c.FormValue("name")),
		Email:    models.NormalizeEmail(c.FormValue("email")),
		Sandbox:  h.Sandbox,
		Errors:   map[string]string{},
	}
	pass := c.FormValue("password")
	checkName(f.Errors, "shop_name", f.ShopName, "your shop")
	checkName(f.Errors, "name", f.Name, "your name")
	if msg := checkEmail(f.Email); msg != "" {
		f.Errors["email"] = msg
	}
	if msg := password.CheckNew(pass, f.Email); msg != "" {
		f.Errors["password"] = msg
	}
	if len(f.Errors) > 0 {
		return render.Render(c, http.StatusUnprocessableEntity, pages.Signup(f))
	}
	// Every cheap check before hashing: a taken email is answered from one read (the answer
	// tells that the account exists, as the insert's conflict below does).
	if _, err := h.Accounts.UserByEmail(ctx, f.Email); err == nil {
		f.Errors["email"] = emailTaken
		return render.Render(c, http.StatusUnprocessableEntity, pages.Signup(f))
	} else if !errors.Is(err, models.ErrNotFound) {
		return err
	}
	if wait := h.Signups.Take(c.RealIP()); wait > 0 {
		f.Error = "Too many signups from your network. Try again in " + retryAfter(c, wait) + "."
		return render.Render(c, http.StatusTooManyRequests, pages.Signup(f))
	}
	hash, err := password.Hash(ctx, pass)
	if err != nil {
		return err
	}
	shop := &models.Shop{Name: f.ShopName, Currency: "USD", AllowedCountries: "US"}
	owner := &models.User{Email: f.Email, Name: f.Name, PasswordHash: hash}
	if err := h.Accounts.CreateShopWithOwner(ctx, shop, owner, c.RealIP()); errors.Is(err, models.ErrConflict) {
		f.Errors["email"] = emailTaken // taken since the read above
		return render.Render(c, http.StatusUnprocessableEntity, pages.Signup(f))
	} else if err != nil {
		return err
	}
	owner.SessionEpoch = 1
	if err := h.startSession(c, owner, shop.ID); err != nil {
		return err
	}
	h.flash(c, "success", "Welcome to chatshop! Your shop "+shop.Name+" is ready. Follow the checklist to go live.")
	return c.Redirect(http.StatusSeeOther, "/app")
}

func checkName(errs map[string]string, field, value, what string) {
	switch n := utf8.RuneCountInString(value); {
	case n == 0:
		errs[field] = "Enter " + what + "."
	case n > 100:
		errs[field] = "Use at most 100 characters."
	}
}

func checkEmail(email string) string {
	if email == "" {
		return "Enter your email address."
	}
	addr, err := mail.ParseAddress(email)
	if err != nil || addr.Address != email || !strings.Contains(email[strings.LastIndex(email, "@")+1:], ".") || len(email) > 254 {
		return "Enter an email address such as name@example.com."
	}
	return ""
}
