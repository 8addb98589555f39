package worker

import (
	"context"
	"encoding/json"
	"fmt"
	"time"

	"github.com/riverqueue/river"

	"github.com/chatshop/chatshop/bot"
	"github.com/chatshop/chatshop/messenger"
	"github.com/chatshop/chatshop/models"
)

// TemplatesArgs asks for a Page's utility templates: those it lacks (or Meta refused) are
// requested, and Meta's review of each is then followed.
type TemplatesArgs struct {
	ShopID int64  `json:"shop_id"`
	PageID string `json:"page_id"`
}

// Kind names the call.
func (TemplatesArgs) Kind() string { return "messenger.templates" }

// policy bounds the retries.
func (TemplatesArgs) policy() callPolicy { return callPolicy{attempts: 8} }

// ReviewArgs follows Meta's review of a Page's templates: their status is read, again until none
// is pending (the status webhook is reported unreliable for Pages, so chatshop asks). A review
// may also turn an approved template down later; "Ask Meta again" reads that too.
type ReviewArgs struct {
	ShopID int64  `json:"shop_id"`
	PageID string `json:"page_id"`
	Round  int    `json:"round"`
}

// Kind names the call.
func (ReviewArgs) Kind() string { return "messenger.templates_review" }

// policy bounds the retries of a read.
func (ReviewArgs) policy() callPolicy { return callPolicy{attempts: 8} }

// reviewRounds is how often a pending review is read before chatshop stops asking (the settings
// page asks again); reviewPause how long it waits between rounds, growing each round.
const (
	reviewRounds = 12
	reviewPause  = time.Second
)

// EnqueueTemplates inserts the templates job of one of the shop's Pages.
func (w *Worker) EnqueueTemplates(ctx context.Context, shopID int64, pageID string) error {
	return w.callOutside(ctx, TemplatesArgs{ShopID: shopID, PageID: pageID}, time.Time{})
}

type templatesWorker struct {
	store *models.Store
	graph *messenger.Client
	jobs  *Worker
}

func (w *templatesWorker) Work(ctx context.Context, job *Job[TemplatesArgs]) error {
	token, err := w.store.PageToken(ctx, job.Args.ShopID, job.Args.PageID)
	if err != nil || token == "" {
		return err
	}
	have, err := w.store.PageTemplates(ctx, job.Args.ShopID, job.Args.PageID)
	if err != nil {
		return err
	}
	for _, ut := range bot.UtilityTemplates {
		if asked(have, ut.Purpose) {
			continue
		}
		// A template Meta turned down cannot be asked for again under its name: it goes first.
		if old := templateOf(have, ut.Purpose); old != nil && old.TemplateID != "" {
			if err := w.graph.DeleteTemplate(ctx, old.PageID, token, old.Name, old.TemplateID); err != nil {
				return err
			}
		}
		t := &models.MessageTemplate{ShopID: job.Args.ShopID, PageID: job.Args.PageID, Purpose: ut.Purpose, Language: bot.Language, Name: ut.Name}
		made, err := w.graph.CreateTemplate(ctx, t.PageID, token, messenger.TemplateRequest{Name: ut.Name, Language: bot.Language, Body: ut.Body, Examples: ut.Examples})
		switch {
		case err == nil:
			t.TemplateID, t.Status, t.Reason = made.ID, made.Status, made.RejectedReason
		case messenger.Retryable(err):
			return err
		default:
			// Meta refused the request: one made before (under another row) is adopted by the review.
			t.Status, t.Reason = models.TemplateFailed, messenger.PlainWords(err)
		}
		if err := w.store.SaveTemplate(ctx, t); err != nil {
			return err
		}
	}
	return w.jobs.callOutside(ctx, ReviewArgs{ShopID: job.Args.ShopID, PageID: job.Args.PageID, Round: 1}, time.Now().Add(reviewPause))
}

// templateOf is the Page's template of a purpose, or nil.
func templateOf(have []models.MessageTemplate, purpose string) *models.MessageTemplate {
	for i := range have {
		if have[i].Purpose == purpose && have[i].Language == bot.Language {
			return &have[i]
		}
	}
	return nil
}

// asked reports whether a template of the purpose is approved or in review already.
func asked(have []models.MessageTemplate, purpose string) bool {
	for _, t := range have {
		if t.Purpose == purpose && t.Language == bot.Language && (t.Status == "APPROVED" || t.Status == "PENDING") {
			return true
		}
	}
	return false
}

type reviewWorker struct {
	store *models.Store
	graph *messenger.Client
	jobs  *Worker
}

func (w *reviewWorker) Work(ctx context.Context, job *Job[ReviewArgs]) error {
	token, err := w.store.PageToken(ctx, job.Args.ShopID, job.Args.PageID)
	if err != nil || token == "" {
		return err
	}
	have, err := w.store.PageTemplates(ctx, job.Args.ShopID, job.Args.PageID)
	if err != nil {
		return err
	}
	pending := false
	for _, t := range have {
		found, err := w.graph.Templates(ctx, t.PageID, token, t.Name)
		if err != nil {
			return err
		}
		for _, f := range found {
			if f.Language != t.Language {
				continue
			}
			t.TemplateID, t.Status, t.Reason = f.ID, f.Status, f.RejectedReason
			if err := w.store.SaveTemplate(ctx, &t); err != nil {
				return err
			}
		}
		pending = pending || t.Status == "PENDING"
	}
	if !pending || job.Args.Round >= reviewRounds {
		return nil
	}
	next := job.Args
	next.Round++
	return w.jobs.callOutside(ctx, next, time.Now().Add(time.Duration(next.Round)*reviewPause))
}

// asUtility turns a queued message into its utility template: the approved template of its
// purpose on the Page, with its values. why says, when it cannot, why not.
func asUtility(ctx context.Context, store *models.Store, m *models.OutboundMessage) (why string, err error) {
	if m.UtilityPurpose == "" {
		return "it has no utility template", nil
	}
	t, err := store.UsableTemplate(ctx, m.ShopID, m.PageID, m.UtilityPurpose, bot.Language)
	if err != nil {
		return "", err
	}
	if t == nil {
		return fmt.Sprintf("Meta has not approved the Page's %q template", m.UtilityPurpose), nil
	}
	var values []string
	if err := json.Unmarshal([]byte(m.UtilityValues), &values); err != nil {
		return "", err
	}
	m.MessagingType, m.Tag, m.Message = messenger.MessagingUtility, "", string(messenger.UtilityMessage(t.Name, t.Language, values...))
	return "", nil
}

// TemplatesSweepArgs finds the connected Pages that have no utility templates yet (connected
// before chatshop asked for them) and asks for theirs.
type TemplatesSweepArgs struct{}

// Kind names the job in the queue.
func (TemplatesSweepArgs) Kind() string { return "messenger.templates_sweep" }

type templatesSweepWorker struct {
	river.WorkerDefaults[TemplatesSweepArgs]
	store *models.Store
	jobs  *Worker
}

func (w *templatesSweepWorker) Work(ctx context.Context, job *river.Job[TemplatesSweepArgs]) error {
	pages, err := w.store.PagesWithoutTemplates(ctx)
	if err != nil {
		return err
	}
	for _, p := range pages {
		if err := w.jobs.EnqueueTemplates(ctx, p.ShopID, p.PageID); err != nil {
			return err
		}
	}
	return nil
}
