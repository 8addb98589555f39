package handlers

import (
	"context"
	"errors"
	"net/http"
	"strings"

	"github.com/labstack/echo/v4"

	"github.com/chatshop/chatshop/connect"
	"github.com/chatshop/chatshop/models"
	"github.com/chatshop/chatshop/views/layout"
	"github.com/chatshop/chatshop/views/pages"
	"github.com/chatshop/chatshop/views/render"
)

// SimulatedPages is the sandbox's directory of Facebook Pages.
type SimulatedPages interface {
	// SimulatedPageChoices lists the Pages a shop may connect: those no shop is connected to, and
	// its own (ownPageID, or none).
	SimulatedPageChoices(ctx context.Context, ownPageID string) ([]pages.SimulatedPageChoice, error)
	CreateSimulatedPage(ctx context.Context, name string) (pageID string, err error)
	IssuePageToken(ctx context.Context, pageID string) (string, error)
	// ChatURL is the sandbox's chat of a shopper with a Page, where Messenger's m.me link would go.
	ChatURL(pageID, psid string) string
}

// ShowMessengerSettings renders the shop's Page and how to connect one.
func (h *Handlers) ShowMessengerSettings(c echo.Context) error {
	return h.renderMessengerSettings(c, http.StatusOK, pages.PageTokenInput{}, nil)
}

func (h *Handlers) renderMessengerSettings(c echo.Context, status int, in pages.PageTokenInput, errs map[string]string) error {
	ctx := c.Request().Context()
	v := ViewerOf(c)
	conns, err := v.Data.Connections(ctx)
	if err != nil {
		return err
	}
	vm := pages.MessengerSettings{Page: h.page(c, "Messenger", "settings", layout.ShopConsole), Sandbox: h.SimulatedPages != nil,
		Input: in, Errors: errs, NewPageName: v.Shop.Name, ShowConnect: !conns.PageReady()}
	if p := conns.Page; p != nil {
		token, err := v.Data.PageToken(p)
		if err != nil {
			return err
		}
		now := h.now()
		vm.Connected = &pages.ConnectedPage{Name: p.Name, PageID: p.PageID, Status: p.Status, Problem: p.Problem, Fields: p.Fields(),
			Checked: ago(p.CheckedAt, now), LastEvent: ago(conns.LastPageEvent, now), TokenHint: tokenHint(token),
			NeverChecked: p.CheckedAt == nil}
		if p.Status == models.PageNeedsReconnect {
			vm.ReconnectFor = p.Name
		}
		templates, err := v.Data.MessageTemplates(ctx)
		if err != nil {
			return err
		}
		for _, t := range templates {
			if t.PageID == p.PageID {
				vm.Connected.Templates = append(vm.Connected.Templates, pages.TemplateView{Purpose: t.Purpose, Name: t.Name,
					Language: t.Language, Status: t.Status, Reason: t.Reason})
			}
		}
	}
	if vm.Sandbox && vm.ShowConnect {
		own := ""
		if conns.Page != nil {
			own = conns.Page.PageID
		}
		if vm.Simulated, err = h.SimulatedPages.SimulatedPageChoices(ctx, own); err != nil {
			return err
		}
	}
	return render.Render(c, status, pages.MessengerSettingsPage(vm))
}

// tokenHint shows enough of a token to recognise it, never all of it.
func tokenHint(token string) string {
	if len(token) < 16 {
		return "••••••••"
	}
	return token[:4] + "…" + token[len(token)-4:]
}

// ConnectPage checks a Page access token with the Graph API, keeps it sealed, and subscribes the
// app to the Page's webhook fields through the worker. In the sandbox the Page is a simulated one,
// picked or made here, with the token its admin would copy from Meta.
func (h *Handlers) ConnectPage(c echo.Context) error {
	ctx := c.Request().Context()
	v := ViewerOf(c)
	in := pages.PageTokenInput{PageID: strings.TrimSpace(c.FormValue("page_id")), Token: strings.TrimSpace(c.FormValue("access_token"))}
	errs := map[string]string{}
	tokenField := "access_token"
	if h.SimulatedPages != nil {
		tokenField = "page_id"
		switch in.PageID {
		case "":
			errs["page_id"] = "Pick a Page."
		case "new":
			name := strings.TrimSpace(c.FormValue("page_name"))
			if checkName(errs, "page_id", name, "a name for the new Page"); len(errs) > 0 {
				break
			}
			id, err := h.SimulatedPages.CreateSimulatedPage(ctx, name)
			if err != nil {
				return err
			}
			in.PageID = id
		}
		if len(errs) == 0 {
			token, err := h.SimulatedPages.IssuePageToken(ctx, in.PageID)
			if errors.Is(err, models.ErrNotFound) {
				errs["page_id"] = "There is no simulated Page " + in.PageID + "."
			} else if err != nil {
				return err
			}
			in.Token = token
		}
	} else {
		if !isDigits(in.PageID) {
			errs["page_id"] = "Enter the Page ID: a number, such as 104859213370001."
		}
		if in.Token == "" {
			errs["access_token"] = "Paste the Page access token."
		}
	}
	if len(errs) > 0 {
		return h.renderMessengerSettings(c, http.StatusUnprocessableEntity, in, errs)
	}
	page, err := h.Graph.PageOfToken(ctx, in.Token)
	switch {
	case err != nil:
		errs[tokenField] = connect.PageProblem(err).Problem
	case page.ID != in.PageID:
		errs[tokenField] = "This token belongs to the Page " + page.Name + " (ID " + page.ID + "), not to Page ID " + in.PageID + "."
	}
	if len(errs) > 0 {
		return h.renderMessengerSettings(c, http.StatusUnprocessableEntity, in, errs)
	}
	err = v.Data.ConnectPage(ctx, models.PageConnection{PageID: page.ID, Name: page.Name, Token: in.Token}, actor(c), h.Jobs.EnqueueSubscribePage)
	switch {
	case errors.Is(err, models.ErrConflict):
		errs[tokenField] = page.Name + " is connected to another chatshop shop. Disconnect it there first."
	case errors.Is(err, models.ErrOtherPageConnected):
		errs[tokenField] = "Your shop already has a Page. Disconnect it first."
	case err != nil:
		return err
	}
	if len(errs) > 0 {
		return h.renderMessengerSettings(c, http.StatusUnprocessableEntity, in, errs)
	}
	h.flash(c, "success", page.Name+" is connected. chatshop is subscribing to its messages.")
	return c.Redirect(http.StatusSeeOther, "/app/settings/messenger")
}

func isDigits(s string) bool {
	if s == "" || len(s) > 32 {
		return false
	}
	for _, r := range s {
		if r < '0' || r > '9' {
			return false
		}
	}
	return true
}

// CheckPage asks the Graph API, with the Page's token, which webhook fields the app gets: it
// proves the token still works, and records the answer.
func (h *Handlers) CheckPage(c echo.Context) error {
	ctx := c.Request().Context()
	v := ViewerOf(c)
	conns, err := v.Data.Connections(ctx)
	if err != nil {
		return err
	}
	p := conns.Page
	if p == nil {
		h.flash(c, "error", "No Page is connected.")
		return c.Redirect(http.StatusSeeOther, "/app/settings/messenger")
	}
	token, err := v.Data.PageToken(p)
	if err != nil {
		return err
	}
	check, _ := connect.CheckPage(ctx, h.Graph, p.PageID, token)
	if err := v.Data.RecordPageCheck(ctx, p.ID, check); err != nil {
		return err
	}
	if check.Problem != "" {
		h.flash(c, "error", check.Problem)
	} else {
		h.flash(c, "success", "The Page's access token works, and Meta delivers "+strings.Join(check.Fields, ", ")+".")
	}
	return c.Redirect(http.StatusSeeOther, "/app/settings/messenger")
}

// DisconnectPage asks for confirmation, then disconnects the Page and unsubscribes the app from it
// through the worker.
func (h *Handlers) DisconnectPage(c echo.Context) error {
	ctx := c.Request().Context()
	v := ViewerOf(c)
	if c.FormValue("confirm") != "1" {
		conns, err := v.Data.Connections(ctx)
		if err != nil {
			return err
		}
		if conns.Page == nil {
			return models.ErrNotFound
		}
		return render.Render(c, http.StatusOK, pages.ConfirmPage(pages.Confirm{Page: h.page(c, "Disconnect the Page", "settings", layout.ShopConsole),
			Heading: "Disconnect " + conns.Page.Name + "?", Action: "/app/settings/messenger/disconnect", Button: "Disconnect", Danger: true,
			CancelTo: "/app/settings/messenger",
			Message:  "The bot stops answering shoppers who message this Page, and chatshop stops receiving its webhooks. Orders, shoppers and conversations stay."}))
	}
	if err := v.Data.DisconnectPage(ctx, actor(c), h.Jobs.EnqueueUnsubscribePage); err != nil {
		return err
	}
	h.flash(c, "success", "The Page is disconnected.")
	return c.Redirect(http.StatusSeeOther, "/app/settings/messenger")
}

// AskForTemplates asks Meta again for the Page's utility templates it lacks (or refused), and
// follows their review.
func (h *Handlers) AskForTemplates(c echo.Context) error {
	v := ViewerOf(c)
	conns, err := v.Data.Connections(c.Request().Context())
	if err != nil {
		return err
	}
	if conns.Page == nil {
		h.flash(c, "error", "No Page is connected.")
		return c.Redirect(http.StatusSeeOther, "/app/settings/messenger")
	}
	if err := h.Jobs.EnqueueTemplates(c.Request().Context(), v.Shop.ID, conns.Page.PageID); err != nil {
		return err
	}
	h.flash(c, "success", "Asked Meta for the templates. Their review takes a few seconds; this page shows where it stands.")
	return c.Redirect(http.StatusSeeOther, "/app/settings/messenger")
}
