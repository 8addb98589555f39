package sandbox

import (
	"context"
	"encoding/json"
	"time"

	"github.com/chatshop/chatshop/sandbox/sandboxdb"
)

// sandboxAppID is the app id Messenger puts in the echoes of the app's own messages (a number).
const sandboxAppID int64 = 1517776481860111

// echoAndDeliver tells the Page about a message it sent, as Messenger does: the echo (sender is
// the Page, is_echo, the app's id, templates as attachments[]) and the delivery to the shopper's
// phone, each if the Page is subscribed to it.
func (s *Sandbox) echoAndDeliver(ctx context.Context, sh *sandboxdb.Shopper, mid string, sent json.RawMessage) error {
	var m map[string]any
	if err := json.Unmarshal(sent, &m); err != nil {
		return err
	}
	echo := map[string]any{"is_echo": true, "app_id": sandboxAppID, "mid": mid}
	for _, k := range []string{"text", "metadata"} {
		if v, ok := m[k]; ok {
			echo[k] = v
		}
	}
	if a, ok := m["attachment"]; ok {
		echo["attachments"] = []any{a}
	}
	now := time.Now().UnixMilli()
	err := s.emitMessenger(ctx, sh.PageID, "message_echoes", map[string]any{"sender": map[string]string{"id": sh.PageID},
		"recipient": map[string]string{"id": sh.PSID}, "timestamp": now, "message": echo})
	if err != nil {
		return err
	}
	return s.emitMessenger(ctx, sh.PageID, "message_deliveries", map[string]any{"sender": map[string]string{"id": sh.PSID},
		"recipient": map[string]string{"id": sh.PageID}, "timestamp": now, "delivery": map[string]any{"mids": []string{mid}, "watermark": now}})
}

// markRead tells the Page the shopper has seen its messages up to the latest one (message_reads),
// once per new message: the chat page calls it when it shows the thread.
func (s *Sandbox) markRead(ctx context.Context, pageID, psid string, ms []sandboxdb.Message) error {
	var watermark int64
	for _, m := range ms {
		if m.Sender == "page" {
			watermark = max(watermark, m.CreatedAt.UnixMilli())
		}
	}
	if watermark == 0 {
		return nil
	}
	moved, err := s.dir.MarkSandboxThreadRead(ctx, psid, watermark)
	if err != nil || !moved {
		return err
	}
	return s.emitMessenger(ctx, pageID, "message_reads", map[string]any{"sender": map[string]string{"id": psid},
		"recipient": map[string]string{"id": pageID}, "timestamp": time.Now().UnixMilli(), "read": map[string]any{"watermark": watermark}})
}
