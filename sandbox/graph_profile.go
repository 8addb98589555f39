package sandbox

import (
	"encoding/json"
	"net/http"
	"strings"
	"sync"
	"time"

	"github.com/labstack/echo/v4"

	"github.com/chatshop/chatshop/messenger"
	"github.com/chatshop/chatshop/static"
)

// sendRateLimit is the Send API's limit per Page: "300 calls per second per Facebook Page".
const sendRateLimit = 300

// rateWindow counts calls per key in the current second.
type rateWindow struct {
	mu     sync.Mutex
	second int64
	counts map[string]int
}

func (w *rateWindow) allow(key string, now time.Time) bool {
	w.mu.Lock()
	defer w.mu.Unlock()
	if s := now.Unix(); s != w.second || w.counts == nil {
		w.second, w.counts = s, map[string]int{}
	}
	w.counts[key]++
	return w.counts[key] <= sendRateLimit
}

// timezones are the UTC offsets the profile reports for the sandbox's locales.
var timezones = map[string]int{"en_US": -5, "es_US": -5, "en_GB": 0, "fr_FR": 1, "de_DE": 1, "fr_CA": -5, "en_CA": -5, "es_MX": -6, "pt_BR": -3, "ja_JP": 9}

// UserProfile is GET /sandbox/graph/{version}/{psid}?fields=...: the User Profile API, with the
// Page's token and appsecret_proof; fields default to first_name, last_name and profile_pic.
func (s *Sandbox) UserProfile(c echo.Context) error {
	token := c.QueryParam("access_token")
	if !s.validProof(c, token) {
		return invalidProof(c)
	}
	sh, err := s.dir.SandboxShopperByPSID(c.Request().Context(), c.Param("psid"))
	if err != nil || !s.pageTokenValid(c.Request().Context(), sh.PageID, token) {
		if err == nil || token == "" {
			return graphError(c, http.StatusBadRequest, messenger.CodeInvalidToken, 0, "OAuthException", "Invalid OAuth access token.")
		}
		return graphError(c, http.StatusBadRequest, 100, 33, "GraphMethodException",
			"Unsupported get request. Object with ID '"+c.Param("psid")+"' does not exist, cannot be loaded due to missing permissions, or does not support this operation.")
	}
	first, last, _ := strings.Cut(sh.Name, " ")
	all := map[string]any{"id": sh.PSID, "name": sh.Name, "first_name": first, "last_name": last, "locale": sh.Locale,
		"timezone": timezones[sh.Locale], "profile_pic": strings.TrimRight(s.cfg.BaseURL, "/") + static.Path("img/favicon.svg")}
	fields := c.QueryParam("fields")
	if fields == "" {
		fields = "first_name,last_name,profile_pic"
	}
	out := map[string]any{"id": sh.PSID}
	for _, f := range strings.Split(fields, ",") {
		f = strings.TrimSpace(f)
		v, ok := all[f]
		if !ok {
			return graphError(c, http.StatusBadRequest, 100, 0, "OAuthException", "(#100) Tried accessing nonexisting field ("+f+") on node type (User)")
		}
		out[f] = v
	}
	return c.JSON(http.StatusOK, out)
}

// BlockShopperAPI is the control API POST /sandbox/messenger/api/shoppers/:psid/block {blocked}:
// a shopper who blocked the Page makes the Send API answer 551.
func (s *Sandbox) BlockShopperAPI(c echo.Context) error {
	var req struct {
		Blocked bool `json:"blocked"`
	}
	if err := json.NewDecoder(c.Request().Body).Decode(&req); err != nil {
		return echo.NewHTTPError(http.StatusUnprocessableEntity, `send {"blocked": true}`)
	}
	if err := s.dir.BlockSandboxShopper(c.Request().Context(), c.Param("psid"), req.Blocked); err != nil {
		return err
	}
	return c.JSON(http.StatusOK, map[string]any{"psid": c.Param("psid"), "blocked": req.Blocked})
}

// maxClockHours is how far back the clock API moves a conversation: a year.
const maxClockHours = 24 * 365

// ClockAPI is the control API POST /sandbox/messenger/api/clock {page_id, psid, hours}: it moves
// that shopper's conversation back by so many hours, so that a person or a test is outside
// Messenger's 24-hour window (or the 7 days of HUMAN_AGENT) without waiting. The app is not told:
// as with Meta, it learns from the Send API's refusal.
func (s *Sandbox) ClockAPI(c echo.Context) error {
	var req struct {
		PageID string  `json:"page_id"`
		PSID   string  `json:"psid"`
		Hours  float64 `json:"hours"`
	}
	if err := json.NewDecoder(c.Request().Body).Decode(&req); err != nil || req.PSID == "" || req.Hours <= 0 || req.Hours > maxClockHours {
		return echo.NewHTTPError(http.StatusUnprocessableEntity, `send {"page_id": "...", "psid": "...", "hours": 30} (hours from 0 to 8760)`)
	}
	ctx := c.Request().Context()
	sh, err := s.dir.SandboxShopperByPSID(ctx, req.PSID)
	if err != nil || sh == nil || req.PageID != "" && sh.PageID != req.PageID {
		return echo.NewHTTPError(http.StatusNotFound, "no shopper "+req.PSID+" of Page "+req.PageID)
	}
	moved, err := s.dir.MoveThreadBack(ctx, sh.PageID, sh.PSID, time.Duration(req.Hours*float64(time.Hour)))
	if err != nil {
		return err
	}
	last, err := s.dir.LastShopperMessageAt(ctx, sh.PageID, sh.PSID)
	if err != nil {
		return err
	}
	out := map[string]any{"page_id": sh.PageID, "psid": sh.PSID, "moved": moved}
	if !last.IsZero() {
		out["last_shopper_message_at"] = last.UTC().Format(time.RFC3339)
	}
	return c.JSON(http.StatusOK, out)
}
