package handlers

import (
	"errors"
	"net/http"

	"github.com/labstack/echo/v4"

	"github.com/chatshop/chatshop/models"
	"github.com/chatshop/chatshop/views/layout"
	"github.com/chatshop/chatshop/views/pages"
	"github.com/chatshop/chatshop/views/render"
)

// ShowSavedReplies lists the team's saved replies, with the form to add one.
func (h *Handlers) ShowSavedReplies(c echo.Context) error {
	return h.renderSavedReplies(c, http.StatusOK, pages.SavedRepliesForm{})
}

func (h *Handlers) renderSavedReplies(c echo.Context, status int, form pages.SavedRepliesForm) error {
	rs, err := ViewerOf(c).Data.SavedReplies(c.Request().Context())
	if err != nil {
		return err
	}
	vm := pages.SavedReplies{Page: h.page(c, "Saved replies", "inbox", layout.ShopConsole), Form: form}
	for _, r := range rs {
		vm.Replies = append(vm.Replies, pages.SavedReplyRow{ID: r.ID, Title: r.Title, Body: r.Body})
	}
	return render.Render(c, status, pages.SavedRepliesPage(vm))
}

// AddSavedReply saves a reply for the team; a refused one keeps what was typed.
func (h *Handlers) AddSavedReply(c echo.Context) error {
	form := pages.SavedRepliesForm{Title: c.FormValue("title"), Body: c.FormValue("body")}
	err := ViewerOf(c).Data.AddSavedReply(c.Request().Context(), form.Title, form.Body)
	if errors.Is(err, models.ErrSavedReply) {
		form.Problem = "A saved reply needs a title (up to 80 characters) and a text (up to 2,000 characters, Messenger's limit)."
		return h.renderSavedReplies(c, http.StatusUnprocessableEntity, form)
	} else if err != nil {
		return err
	}
	h.flash(c, "success", "Saved. It is offered in every conversation's reply box.")
	return c.Redirect(http.StatusSeeOther, "/app/inbox/replies")
}

// DeleteSavedReply removes a saved reply.
func (h *Handlers) DeleteSavedReply(c echo.Context) error {
	id, err := pathID(c)
	if err != nil {
		return err
	}
	if err := ViewerOf(c).Data.DeleteSavedReply(c.Request().Context(), id); err != nil {
		return err
	}
	h.flash(c, "success", "The saved reply was deleted.")
	return c.Redirect(http.StatusSeeOther, "/app/inbox/replies")
}
