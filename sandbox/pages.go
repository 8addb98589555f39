package sandbox

import (
	"cmp"
	"context"
	"encoding/json"
	"net/http"
	"slices"
	"strings"

	"github.com/labstack/echo/v4"

	"github.com/chatshop/chatshop/messenger"
	"github.com/chatshop/chatshop/models"
	"github.com/chatshop/chatshop/sandbox/sandboxdb"
	"github.com/chatshop/chatshop/sandbox/views"
	"github.com/chatshop/chatshop/views/pages"
)

// PageToken is the access token of a simulated Page: the Graph emulator accepts exactly it.
func PageToken(pageID string) string { return "EAAGsandbox" + pageID }

// Page is a simulated Page of the emulator's directory, with the shop it is connected to, if any.
type Page struct {
	sandboxdb.Page
	ShopName string
}

// pages lists the emulator's Pages, oldest first: those made here and every Page a shop has
// connected (the demo's, and those of tests), each with the shop it is connected to.
func (s *Sandbox) pages(ctx context.Context) ([]Page, error) {
	own, err := s.dir.SandboxPages(ctx)
	if err != nil {
		return nil, err
	}
	conns, err := s.shops.ConnectedAccounts(ctx)
	if err != nil {
		return nil, err
	}
	revoked := map[string]bool{}
	for _, p := range own {
		revoked[p.PageID] = p.TokenRevoked
	}
	var out []Page
	connected := map[string]bool{}
	for _, c := range conns {
		if c.Kind == "page" {
			connected[c.ID] = true
			out = append(out, Page{sandboxdb.Page{PageID: c.ID, Name: c.Name, TokenRevoked: revoked[c.ID], CreatedAt: c.CreatedAt}, c.ShopName})
		}
	}
	for _, p := range own {
		if !connected[p.PageID] {
			out = append(out, Page{Page: p})
		}
	}
	slices.SortFunc(out, func(a, b Page) int {
		return cmp.Or(a.CreatedAt.Compare(b.CreatedAt), cmp.Compare(a.PageID, b.PageID))
	})
	return out, nil
}

// simulatedPage is the emulator's Page pageID, or nil: every Send API call asks for its Page.
func (s *Sandbox) simulatedPage(ctx context.Context, pageID string) (*Page, error) {
	all, err := s.pages(ctx)
	if err != nil {
		return nil, err
	}
	for _, p := range all {
		if p.PageID == pageID {
			return &p, nil
		}
	}
	return nil, nil
}

// SimulatedPageChoices lists the simulated Pages a shop may connect: those no shop is connected
// to, and its own (ownPageID, or none).
func (s *Sandbox) SimulatedPageChoices(ctx context.Context, ownPageID string) ([]pages.SimulatedPageChoice, error) {
	all, err := s.pages(ctx)
	if err != nil {
		return nil, err
	}
	var out []pages.SimulatedPageChoice
	for _, p := range all {
		if p.ShopName == "" || (ownPageID != "" && p.PageID == ownPageID) {
			out = append(out, pages.SimulatedPageChoice{ID: p.PageID, Name: p.Name})
		}
	}
	return out, nil
}

// IssuePageToken is the Page admin generating an access token in Meta's dashboard: a token whose
// predecessor was revoked works again. models.ErrNotFound when there is no such Page.
func (s *Sandbox) IssuePageToken(ctx context.Context, pageID string) (string, error) {
	p, err := s.simulatedPage(ctx, pageID)
	if err != nil || p == nil {
		return "", cmp.Or(err, models.ErrNotFound)
	}
	if p.TokenRevoked {
		err = s.dir.SetSandboxPageToken(ctx, p.Page, false)
	}
	return PageToken(pageID), err
}

// CreateSimulatedPage makes a new simulated Page and says its id.
func (s *Sandbox) CreateSimulatedPage(ctx context.Context, name string) (string, error) {
	p, err := s.dir.CreateSandboxPage(ctx, name)
	if err != nil {
		return "", err
	}
	return p.PageID, nil
}

// CreatePageAPI is the control API POST /sandbox/messenger/api/pages {name} → {id, name,
// access_token}: a new simulated Page and the token its admin would copy from Meta's dashboard.
func (s *Sandbox) CreatePageAPI(c echo.Context) error {
	var req struct {
		Name string `json:"name"`
	}
	if err := json.NewDecoder(c.Request().Body).Decode(&req); err != nil || strings.TrimSpace(req.Name) == "" {
		return echo.NewHTTPError(http.StatusUnprocessableEntity, `send {"name": "…"}`)
	}
	p, err := s.dir.CreateSandboxPage(c.Request().Context(), req.Name)
	if err != nil {
		return err
	}
	return c.JSON(http.StatusCreated, map[string]string{"id": p.PageID, "name": p.Name, "access_token": PageToken(p.PageID)})
}

// RevokePageTokenAPI is the control API POST /sandbox/messenger/api/pages/:page/token
// {"revoked": true|false}: Meta stops accepting the Page's token (its admin changed their password,
// or removed the app), so every Graph call with it answers 190; false makes it work again.
func (s *Sandbox) RevokePageTokenAPI(c echo.Context) error {
	var req struct {
		Revoked bool `json:"revoked"`
	}
	if err := json.NewDecoder(c.Request().Body).Decode(&req); err != nil {
		return echo.NewHTTPError(http.StatusUnprocessableEntity, `send {"revoked": true}`)
	}
	ctx := c.Request().Context()
	p, err := s.simulatedPage(ctx, c.Param("page"))
	if err != nil {
		return err
	}
	if p == nil {
		return echo.NewHTTPError(http.StatusNotFound, "no simulated Page "+c.Param("page"))
	}
	if err := s.dir.SetSandboxPageToken(ctx, p.Page, req.Revoked); err != nil {
		return err
	}
	return c.JSON(http.StatusOK, map[string]any{"id": p.PageID, "revoked": req.Revoked})
}

// page finds the simulated Page a working token belongs to; nil when the token is no Page's, or
// was revoked.
func (s *Sandbox) page(ctx context.Context, token string) (*Page, error) {
	id, ok := strings.CutPrefix(token, PageToken(""))
	if !ok {
		return nil, nil
	}
	p, err := s.simulatedPage(ctx, id)
	if err != nil || p == nil || p.TokenRevoked {
		return nil, err
	}
	return p, nil
}

// pageTokenValid reports whether token is the working access token of the Page pageID.
func (s *Sandbox) pageTokenValid(ctx context.Context, pageID, token string) bool {
	p, err := s.page(ctx, token)
	return err == nil && p != nil && p.PageID == pageID
}

// pageKnown reports whether pageID is a simulated Page.
func (s *Sandbox) pageKnown(c echo.Context, pageID string) (bool, error) {
	p, err := s.simulatedPage(c.Request().Context(), pageID)
	return p != nil, err
}

// pageOfToken answers GET /me for a Page token: the Page's id and name.
func (s *Sandbox) pageOfToken(c echo.Context, token string) error {
	p, err := s.page(c.Request().Context(), token)
	if err != nil {
		return err
	}
	if p == nil {
		return graphError(c, http.StatusBadRequest, messenger.CodeInvalidToken, 0, "OAuthException", "Invalid OAuth access token.")
	}
	out := map[string]string{"id": p.PageID}
	for _, f := range strings.Split(c.QueryParam("fields"), ",") {
		switch strings.TrimSpace(f) {
		case "name":
			out["name"] = p.Name
		case "", "id":
		default:
			return graphError(c, http.StatusBadRequest, 100, 0, "OAuthException", "(#100) Tried accessing nonexisting field ("+f+") on node type (Page)")
		}
	}
	return c.JSON(http.StatusOK, out)
}

// ChatURL is the sandbox's chat of a shopper with a Page: where the app sends a shopper back to
// their conversation (Messenger's m.me link in live mode).
func (s *Sandbox) ChatURL(pageID, psid string) string { return views.ChatURL(pageID, psid) }
