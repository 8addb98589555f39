package main

import (
	"context"
	"crypto/rand"
	"errors"
	"flag"
	"fmt"
	"io"
	"net"
	"net/mail"
	"strings"

	"github.com/chatshop/chatshop/app"
	"github.com/chatshop/chatshop/config"
	"github.com/chatshop/chatshop/models"
	"github.com/chatshop/chatshop/password"
)

// addAdmin creates a platform admin (the console at /admin: disputes across shops, shops, events)
// with a generated password, printed once; the admin signs in and changes it on /account. It is
// how a live installation gets its first admin, and every other.
func addAdmin(ctx context.Context, args []string, getenv func(string) string, stdout io.Writer) error {
	var email, name string
	cfg, _, err := config.Load("admin", args, getenv, stdout, func(fs *flag.FlagSet) {
		fs.StringVar(&email, "email", "", "the admin's email address, their sign-in (required)")
		fs.StringVar(&name, "name", "", "the admin's name, as the console shows it (default: the email's local part)")
	})
	if err != nil {
		return err
	}
	email = models.NormalizeEmail(email)
	if addr, err := mail.ParseAddress(email); err != nil || addr.Address != email {
		return &exitError{code: 2, msg: "chatshop admin: --email must be an email address such as ops@example.com"}
	}
	if name == "" {
		name, _, _ = strings.Cut(email, "@")
	}
	if addr, err := net.ResolveTCPAddr("tcp", cfg.Addr); err == nil {
		cfg.ResolveBaseURL(addr) // for the sign-in address printed below
	}
	store, err := app.OpenStore(ctx, cfg, newLogger(cfg, stdout))
	if err != nil {
		return err
	}
	defer store.Close()
	secret := rand.Text()
	hash, err := password.Hash(ctx, secret)
	if err != nil {
		return err
	}
	err = store.CreateAdmin(ctx, &models.User{Email: email, Name: name, PasswordHash: hash})
	if errors.Is(err, models.ErrConflict) {
		return &exitError{code: 1, msg: "chatshop admin: " + email + " already has an account; an admin is an account of its own"}
	} else if err != nil {
		return err
	}
	fmt.Fprintf(stdout, "platform admin %s created\n  sign in at   %s/login\n  password     %s  (shown once: change it on /account)\n", email, cfg.BaseURL, secret)
	return nil
}
