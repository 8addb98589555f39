package sandbox

import (
	"cmp"
	"context"
	"encoding/json"
	"net/http"
	"strings"

	"github.com/labstack/echo/v4"

	"github.com/chatshop/chatshop/messenger"
	"github.com/chatshop/chatshop/models"
)

// SimulatedPages lists the Messenger emulator's Pages, each with the shop it is connected to.
func (s *Sandbox) SimulatedPages(ctx context.Context) ([]models.SandboxPage, error) {
	return s.dir.SandboxPages(ctx)
}

// IssuePageToken is the Page admin generating an access token in Meta's dashboard: a token whose
// predecessor was revoked works again.
func (s *Sandbox) IssuePageToken(ctx context.Context, pageID string) (string, error) {
	p, err := s.dir.SandboxPage(ctx, pageID)
	if err != nil || p == nil {
		return "", cmp.Or(err, models.ErrNotFound)
	}
	if p.TokenRevoked {
		err = s.dir.SetSandboxPageToken(ctx, *p, false)
	}
	return models.SimulatedPageToken(pageID), err
}

// CreateSimulatedPage makes a new simulated Page.
func (s *Sandbox) CreateSimulatedPage(ctx context.Context, name string) (*models.SandboxPage, error) {
	return s.dir.CreateSandboxPage(ctx, name)
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
	return c.JSON(http.StatusCreated, map[string]string{"id": p.PageID, "name": p.Name, "access_token": models.SimulatedPageToken(p.PageID)})
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
	p, err := s.dir.SandboxPage(ctx, c.Param("page"))
	if err != nil {
		return err
	}
	if p == nil {
		return echo.NewHTTPError(http.StatusNotFound, "no simulated Page "+c.Param("page"))
	}
	if err := s.dir.SetSandboxPageToken(ctx, *p, req.Revoked); err != nil {
		return err
	}
	return c.JSON(http.StatusOK, map[string]any{"id": p.PageID, "revoked": req.Revoked})
}

// page finds the simulated Page a working token belongs to; nil when the token is no Page's, or
// was revoked.
func (s *Sandbox) page(ctx context.Context, token string) (*models.SandboxPage, error) {
	id, ok := strings.CutPrefix(token, models.SimulatedPageToken(""))
	if !ok {
		return nil, nil
	}
	p, err := s.dir.SandboxPage(ctx, id)
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
	p, err := s.dir.SandboxPage(c.Request().Context(), pageID)
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
