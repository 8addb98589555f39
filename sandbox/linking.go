package sandbox

import (
	"encoding/json"
	"errors"
	"net/http"
	"net/url"
	"strings"
	"time"

	"github.com/labstack/echo/v4"

	"github.com/chatshop/chatshop/messenger"
	"github.com/chatshop/chatshop/sandbox/sandboxdb"
	"github.com/chatshop/chatshop/sandbox/views"
	"github.com/chatshop/chatshop/views/render"
)

// Account linking as Messenger does it: a Log In button (account_link) opens the business's URL
// with account_linking_token and redirect_uri; the business sends the browser back to
// redirect_uri with an authorization_code, and the Page gets the account_linking webhook with
// that code. The Log Out button (account_unlink) sends the unlinked webhook.

// linkingTokenTTL is how long an account_linking_token is valid: "only valid for 5 minutes".
const linkingTokenTTL = 5 * time.Minute

// StartLinking is GET /sandbox/messenger/link?page_id=&psid=&url=: the shopper tapped a Log In
// button; Messenger opens its URL with a fresh token and the redirect_uri to come back to.
func (s *Sandbox) StartLinking(c echo.Context) error {
	ctx := c.Request().Context()
	pageID, psid, target := c.QueryParam("page_id"), c.QueryParam("psid"), c.QueryParam("url")
	sh, err := s.dir.SandboxShopperByPSID(ctx, psid)
	if errors.Is(err, sandboxdb.ErrNotFound) || (err == nil && sh.PageID != pageID) {
		return echo.NewHTTPError(http.StatusNotFound, "That shopper does not exist on this Page.")
	} else if err != nil {
		return err
	}
	u, err := url.Parse(target)
	if err != nil || (u.Scheme != "https" && u.Scheme != "http") || u.Host == "" {
		return echo.NewHTTPError(http.StatusBadRequest, "The Log In button has no valid URL.")
	}
	tok := &sandboxdb.LinkingToken{Token: "ALT" + randomHex(24), PageID: pageID, PSID: psid, ExpiresAt: time.Now().Add(linkingTokenTTL).UTC()}
	if err := s.dir.CreateSandboxLinkingToken(ctx, tok); err != nil {
		return err
	}
	q := u.Query()
	q.Set("account_linking_token", tok.Token)
	q.Set("redirect_uri", strings.TrimRight(s.cfg.BaseURL, "/")+"/sandbox/messenger/account_linking?account_linking_token="+tok.Token)
	u.RawQuery = q.Encode()
	return c.Redirect(http.StatusSeeOther, u.String())
}

// FinishLinking is GET /sandbox/messenger/account_linking?account_linking_token=[&authorization_code=]:
// the redirect_uri. With a code the link is made and the Page told; without one it was abandoned.
func (s *Sandbox) FinishLinking(c echo.Context) error {
	ctx := c.Request().Context()
	tok, err := s.dir.SandboxLinkingTokenByToken(ctx, c.QueryParam("account_linking_token"))
	if errors.Is(err, sandboxdb.ErrNotFound) {
		return echo.NewHTTPError(http.StatusNotFound, "This account linking link is not valid.")
	} else if err != nil {
		return err
	}
	vm := views.SandboxLinked{ChatURL: views.ChatURL(tok.PageID, tok.PSID)}
	code := c.QueryParam("authorization_code")
	switch {
	case code == "":
		vm.Message = "Linking was cancelled. Nothing was linked."
	case time.Now().After(tok.ExpiresAt):
		vm.Message = "This linking session expired after 5 minutes. Tap the button in the chat again."
	default:
		used, err := s.dir.UseSandboxLinkingToken(ctx, tok.Token)
		if err != nil {
			return err
		}
		if !used {
			vm.Message, vm.Linked = "This account is already linked.", true
			break
		}
		item := map[string]any{"sender": map[string]string{"id": tok.PSID}, "recipient": map[string]string{"id": tok.PageID},
			"timestamp": time.Now().UnixMilli(), "account_linking": map[string]string{"status": "linked", "authorization_code": code}}
		if err := s.emitMessenger(ctx, tok.PageID, "messaging_account_linking", item); err != nil {
			return err
		}
		vm.Message, vm.Linked = "Your account is linked. You can go back to the conversation.", true
	}
	return render.Render(c, http.StatusOK, views.SandboxLinkedPage(vm))
}

// unlinkFromChat is the shopper tapping a Log Out button (account_unlink).
func (s *Sandbox) unlinkFromChat(c echo.Context, pageID, psid string) error {
	item := map[string]any{"sender": map[string]string{"id": psid}, "recipient": map[string]string{"id": pageID},
		"timestamp": time.Now().UnixMilli(), "account_linking": map[string]string{"status": "unlinked"}}
	return s.emitMessenger(c.Request().Context(), pageID, "messaging_account_linking", item)
}

// Me is GET or POST /sandbox/graph/{version}/me with a Page's token: with
// fields=recipient&account_linking_token=, the PSID behind an unexpired account_linking_token;
// otherwise the Page itself (fields id and name).
func (s *Sandbox) Me(c echo.Context) error {
	token := c.QueryParam("access_token")
	if !s.validProof(c, token) {
		return invalidProof(c)
	}
	alt := c.QueryParam("account_linking_token")
	if alt == "" {
		return s.pageOfToken(c, token)
	}
	if c.QueryParam("fields") != "recipient" {
		return invalidParam(c, "An account_linking_token is read with fields=recipient")
	}
	tok, err := s.dir.SandboxLinkingTokenByToken(c.Request().Context(), alt)
	if err != nil && !errors.Is(err, sandboxdb.ErrNotFound) {
		return err
	}
	if err == nil && !s.pageTokenValid(c.Request().Context(), tok.PageID, token) {
		return graphError(c, http.StatusBadRequest, messenger.CodeInvalidToken, 0, "OAuthException", "Invalid OAuth access token.")
	}
	if err != nil || time.Now().After(tok.ExpiresAt) {
		return invalidParam(c, "Invalid account_linking_token")
	}
	return c.JSON(http.StatusOK, map[string]string{"id": tok.PageID, "recipient": tok.PSID})
}

// UnlinkAccounts is POST /sandbox/graph/{version}/me/unlink_accounts {psid}: the business unlinks.
func (s *Sandbox) UnlinkAccounts(c echo.Context) error {
	token := c.QueryParam("access_token")
	if !s.validProof(c, token) {
		return invalidProof(c)
	}
	var req struct {
		PSID string `json:"psid"`
	}
	if err := json.NewDecoder(c.Request().Body).Decode(&req); err != nil || req.PSID == "" {
		return invalidParam(c, "param psid is required")
	}
	if sh, refusal := s.recipient(c, token, req.PSID); sh == nil {
		return refusal
	}
	return c.JSON(http.StatusOK, map[string]string{"result": "unlink account success"})
}
