package web_test

import (
	"context"
	"fmt"
	"net/http"
	"net/url"
	"sort"
	"strings"
	"testing"

	"github.com/chatshop/chatshop/demo"
	"github.com/chatshop/chatshop/models"
)

// access is who may use a route.
type access int

const (
	public      access = iota // no sign-in needed
	signed                    // a provider's webhook: the signature is the authentication
	sandboxOnly               // the emulators: there in sandbox mode, absent in live mode
	signedIn                  // any signed-in user
	shopUser                  // owners and staff of a shop
	ownerOnly                 // owners of a shop; staff get 403
	adminOnly                 // platform admins; shop users get 403
)

// routeRule is what the matrix expects of one route. object names the kind of shop object whose
// id is in the path; another shop's id there must find nothing (404) and change nothing.
type routeRule struct {
	access access
	object string
	// redirects: a GET that sends the browser on to PayPal or back from it, not a page to read;
	// its own tests check what another shop's query does.
	redirects bool
	// stream: a GET that never ends (server-sent events); TestLiveUpdates checks it.
	stream bool
}

// routeRules covers every route of the server. A route added without a rule fails
// TestEveryRouteHasARule, so isolation and roles are decided for each new route.
var routeRules = map[string]routeRule{
	"GET /healthz":                         {access: public},
	"GET /images/:digest":                  {access: public},
	"GET /images/:digest/:size":            {access: public},
	"GET /readyz":                          {access: public},
	"GET /metrics":                         {access: public},
	"GET /static/*":                        {access: public},
	"GET /favicon.ico":                     {access: public},
	"GET /":                                {access: public},
	"GET /login":                           {access: public},
	"POST /login":                          {access: public},
	"POST /logout":                         {access: public},
	"GET /signup":                          {access: public},
	"POST /signup":                         {access: public},
	"GET /pay/return":                      {access: public},
	"GET /pay/cancel":                      {access: public},
	"GET /link/paypal":                     {access: public},
	"GET /link/paypal/return":              {access: public},
	"GET /webhooks/messenger":              {access: public},
	"POST /webhooks/messenger":             {access: signed},
	"POST /webhooks/paypal":                {access: signed},
	"GET /sandbox/api/info":                {access: sandboxOnly},
	"GET /sandbox/api/delivery":            {access: sandboxOnly},
	"POST /sandbox/api/delivery":           {access: sandboxOnly},
	"POST /sandbox/paypal/v1/oauth2/token": {access: sandboxOnly},
	"GET /sandbox/paypal/v1/notifications/certs/:id":                                    {access: sandboxOnly},
	"POST /sandbox/paypal/v1/notifications/verify-webhook-signature":                    {access: sandboxOnly},
	"POST /sandbox/paypal/api/webhooks":                                                 {access: sandboxOnly},
	"POST /sandbox/paypal/api/approve":                                                  {access: sandboxOnly},
	"POST /sandbox/paypal/v2/checkout/orders":                                           {access: sandboxOnly},
	"GET /sandbox/paypal/v2/checkout/orders/:id":                                        {access: sandboxOnly},
	"POST /sandbox/paypal/v2/checkout/orders/:id/capture":                               {access: sandboxOnly},
	"POST /sandbox/paypal/v2/checkout/orders/:id/track":                                 {access: sandboxOnly},
	"PATCH /sandbox/paypal/v2/checkout/orders/:id/trackers/:tracker_id":                 {access: sandboxOnly},
	"GET /sandbox/paypal/v2/payments/captures/:id":                                      {access: sandboxOnly},
	"POST /sandbox/paypal/v2/payments/captures/:id/refund":                              {access: sandboxOnly},
	"POST /sandbox/paypal/v2/customer/partner-referrals":                                {access: sandboxOnly},
	"GET /sandbox/paypal/v2/customer/partner-referrals/:id":                             {access: sandboxOnly},
	"GET /sandbox/paypal/v1/customer/partners/:partner/merchant-integrations":           {access: sandboxOnly},
	"GET /sandbox/paypal/v1/customer/partners/:partner/merchant-integrations/:merchant": {access: sandboxOnly},
	"POST /sandbox/paypal/api/merchants/:merchant/revoke":                               {access: sandboxOnly},
	"GET /sandbox/paypal/v1/customer/disputes":                                          {access: sandboxOnly},
	"GET /sandbox/paypal/v1/customer/disputes/:id":                                      {access: sandboxOnly},
	"POST /sandbox/paypal/v1/customer/disputes/:id/send-message":                        {access: sandboxOnly},
	"POST /sandbox/paypal/v1/customer/disputes/:id/make-offer":                          {access: sandboxOnly},
	"POST /sandbox/paypal/v1/customer/disputes/:id/escalate":                            {access: sandboxOnly},
	"POST /sandbox/paypal/v1/customer/disputes/:id/accept-claim":                        {access: sandboxOnly},
	"POST /sandbox/paypal/v1/customer/disputes/:id/provide-evidence":                    {access: sandboxOnly},
	"POST /sandbox/paypal/v1/customer/disputes/:id/require-evidence":                    {access: sandboxOnly},
	"POST /sandbox/paypal/v1/customer/disputes/:id/adjudicate":                          {access: sandboxOnly},
	"POST /sandbox/paypal/api/disputes":                                                 {access: sandboxOnly},
	"GET /sandbox/paypal/resolutioncenter":                                              {access: sandboxOnly},
	"POST /sandbox/paypal/resolutioncenter":                                             {access: sandboxOnly},
	"POST /sandbox/paypal/resolutioncenter/decide":                                      {access: sandboxOnly},
	"GET /sandbox/graph/:version/me":                                                    {access: sandboxOnly},
	"POST /sandbox/graph/:version/me":                                                   {access: sandboxOnly},
	"POST /sandbox/graph/:version/me/unlink_accounts":                                   {access: sandboxOnly},
	"GET /sandbox/graph/:version/:page/subscribed_apps":                                 {access: sandboxOnly},
	"POST /sandbox/graph/:version/:page/subscribed_apps":                                {access: sandboxOnly},
	"DELETE /sandbox/graph/:version/:page/subscribed_apps":                              {access: sandboxOnly},
	"GET /sandbox/messenger/link":                                                       {access: sandboxOnly},
	"GET /sandbox/messenger/account_linking":                                            {access: sandboxOnly},
	"POST /sandbox/paypal/v3/vault/setup-tokens":                                        {access: sandboxOnly},
	"GET /sandbox/paypal/v3/vault/setup-tokens/:id":                                     {access: sandboxOnly},
	"POST /sandbox/paypal/v3/vault/payment-tokens":                                      {access: sandboxOnly},
	"GET /sandbox/paypal/v3/vault/payment-tokens":                                       {access: sandboxOnly},
	"GET /sandbox/paypal/v3/vault/payment-tokens/:id":                                   {access: sandboxOnly},
	"DELETE /sandbox/paypal/v3/vault/payment-tokens/:id":                                {access: sandboxOnly},
	"POST /sandbox/paypal/api/vault/approve":                                            {access: sandboxOnly},
	"GET /sandbox/paypal/agreements/approve":                                            {access: sandboxOnly},
	"POST /sandbox/paypal/agreements/approve":                                           {access: sandboxOnly},
	"POST /sandbox/paypal/agreements/cancel":                                            {access: sandboxOnly},
	"GET /sandbox/paypal/bizsignup/partner/entry":                                       {access: sandboxOnly},
	"POST /sandbox/paypal/bizsignup/complete":                                           {access: sandboxOnly},
	"GET /sandbox/paypal/checkout/now":                                                  {access: sandboxOnly},
	"POST /sandbox/paypal/checkout/approve":                                             {access: sandboxOnly},
	"POST /sandbox/paypal/checkout/cancel":                                              {access: sandboxOnly},
	"POST /sandbox/messenger/api/pages":                                                 {access: sandboxOnly},
	"POST /sandbox/messenger/api/pages/:page/token":                                     {access: sandboxOnly},
	"POST /sandbox/messenger/api/shoppers":                                              {access: sandboxOnly},
	"POST /sandbox/messenger/api/send":                                                  {access: sandboxOnly},
	"GET /sandbox/messenger/api/thread":                                                 {access: sandboxOnly},
	"POST /sandbox/graph/:version/me/messages":                                          {access: sandboxOnly},
	"GET /sandbox/graph/:version/:psid":                                                 {access: sandboxOnly},
	"POST /sandbox/messenger/api/shoppers/:psid/block":                                  {access: sandboxOnly},
	"POST /sandbox/messenger/api/clock":                                                 {access: sandboxOnly},
	"POST /sandbox/messenger/api/templates/reject":                                      {access: sandboxOnly},
	"GET /sandbox/graph/:version/:page/message_templates":                               {access: sandboxOnly},
	"POST /sandbox/graph/:version/:page/message_templates":                              {access: sandboxOnly},
	"DELETE /sandbox/graph/:version/:page/message_templates":                            {access: sandboxOnly},
	"GET /sandbox/messenger":                                                            {access: sandboxOnly},
	"GET /sandbox/messenger/thread":                                                     {access: sandboxOnly},
	"POST /sandbox/messenger/shoppers":                                                  {access: sandboxOnly},
	"POST /sandbox/messenger/say":                                                       {access: sandboxOnly},
	"POST /sandbox/messenger/tap":                                                       {access: sandboxOnly},
	"GET /invite/:token":                                                                {access: public},
	"POST /invite/:token":                                                               {access: public},

	"GET /account":                      {access: signedIn},
	"POST /account/password":            {access: signedIn},
	"POST /account/sign-out-everywhere": {access: signedIn},

	"GET /app":                                    {access: shopUser},
	"GET /app/products":                           {access: shopUser},
	"GET /app/products/new":                       {access: shopUser},
	"POST /app/products/new":                      {access: shopUser},
	"POST /app/products/bulk":                     {access: shopUser, object: "product"},
	"GET /app/products/:id":                       {access: shopUser, object: "product"},
	"GET /app/products/import":                    {access: shopUser},
	"POST /app/products/import":                   {access: shopUser},
	"GET /app/products/import/:id":                {access: shopUser, object: "import"},
	"POST /app/products/import/:id/run":           {access: shopUser, object: "import"},
	"GET /app/products/export":                    {access: ownerOnly},
	"POST /app/products/:id":                      {access: shopUser, object: "product"},
	"POST /app/products/:id/images":               {access: shopUser, object: "product"},
	"POST /app/products/:id/images/:image":        {access: shopUser, object: "image"},
	"POST /app/products/:id/images/:image/move":   {access: shopUser, object: "image"},
	"POST /app/products/:id/images/:image/delete": {access: shopUser, object: "image"},
	"GET /app/orders":                             {access: shopUser},
	"GET /app/shoppers":                           {access: shopUser},
	"GET /app/inbox":                              {access: shopUser},
	"GET /app/notifications":                      {access: shopUser},
	"GET /app/disputes":                           {access: shopUser},
	"GET /app/disputes/:id":                       {access: shopUser, object: "dispute"},
	"GET /app/disputes/:id/files/:file":           {access: shopUser, object: "dispute"},
	"POST /app/disputes/:id/notes":                {access: ownerOnly, object: "dispute"},
	"POST /app/disputes/:id/files":                {access: ownerOnly, object: "dispute"},

	"GET /app/settings":                                  {access: ownerOnly},
	"POST /app/settings/shop":                            {access: ownerOnly},
	"POST /app/settings/countries":                       {access: ownerOnly},
	"GET /app/settings/shipping":                         {access: ownerOnly},
	"POST /app/settings/shipping":                        {access: ownerOnly},
	"GET /app/settings/messenger":                        {access: ownerOnly},
	"POST /app/settings/messenger/connect":               {access: ownerOnly},
	"POST /app/settings/messenger/check":                 {access: ownerOnly},
	"POST /app/settings/messenger/templates":             {access: ownerOnly},
	"POST /app/settings/messenger/disconnect":            {access: ownerOnly},
	"GET /app/settings/paypal":                           {access: ownerOnly},
	"GET /app/settings/paypal/connect":                   {access: ownerOnly, redirects: true},
	"GET /app/settings/paypal/return":                    {access: ownerOnly, redirects: true},
	"POST /app/settings/paypal/refresh":                  {access: ownerOnly},
	"POST /app/settings/paypal/disconnect":               {access: ownerOnly},
	"GET /app/events":                                    {access: ownerOnly},
	"GET /app/orders/export":                             {access: ownerOnly},
	"GET /app/events/:id":                                {access: ownerOnly, object: "event"},
	"GET /app/orders/:id":                                {access: shopUser, object: "order"},
	"GET /app/orders/:id/packing-slip":                   {access: shopUser, object: "order"},
	"GET /app/inbox/:id":                                 {access: shopUser, object: "shopper"},
	"GET /app/inbox/:id/products":                        {access: shopUser, object: "shopper"},
	"POST /app/inbox/:id/reply":                          {access: shopUser, object: "shopper"},
	"POST /app/inbox/:id/product":                        {access: shopUser, object: "shopper"},
	"POST /app/inbox/:id/assign":                         {access: shopUser, object: "shopper"},
	"POST /app/inbox/:id/close":                          {access: shopUser, object: "shopper"},
	"GET /app/inbox/replies":                             {access: shopUser},
	"POST /app/inbox/replies":                            {access: shopUser},
	"POST /app/inbox/replies/:id/delete":                 {access: shopUser, object: "saved reply"},
	"GET /app/live":                                      {access: shopUser, stream: true},
	"GET /app/live/badges":                               {access: shopUser},
	"POST /app/shoppers/:id/unlink":                      {access: shopUser, object: "shopper"},
	"GET /app/shoppers/:id":                              {access: shopUser, object: "shopper"},
	"POST /app/orders/:id/refund":                        {access: ownerOnly, object: "order"},
	"GET /app/orders/fulfil":                             {access: shopUser},
	"POST /app/orders/fulfil":                            {access: shopUser},
	"POST /app/orders/fulfil/apply":                      {access: shopUser},
	"POST /app/orders/:id/ship":                          {access: shopUser, object: "order"},
	"POST /app/orders/:id/shipments/:shipment/cancel":    {access: shopUser, object: "order"},
	"POST /app/orders/:id/shipments/:shipment/delivered": {access: shopUser, object: "order"},
	"POST /app/events/replay":                            {access: ownerOnly, object: "event"},
	"GET /app/team":                                      {access: ownerOnly},
	"POST /app/team/invites":                             {access: ownerOnly},
	"POST /app/team/invites/:id/revoke":                  {access: ownerOnly, object: "invite"},
	"POST /app/team/members/:id/role":                    {access: ownerOnly, object: "member"},
	"POST /app/team/members/:id/remove":                  {access: ownerOnly, object: "member"},
	"GET /app/audit":                                     {access: ownerOnly},

	"GET /admin":                          {access: adminOnly},
	"GET /admin/disputes":                 {access: adminOnly},
	"GET /admin/disputes/:id":             {access: adminOnly, object: "dispute"},
	"GET /admin/disputes/:id/files/:file": {access: adminOnly, object: "dispute"},
	"POST /admin/disputes/:id/notes":      {access: adminOnly, object: "dispute"},
	"POST /admin/disputes/:id/files":      {access: adminOnly, object: "dispute"},
	"POST /admin/disputes/:id/actions":    {access: adminOnly, object: "dispute"},
	"GET /admin/shops":                    {access: adminOnly},
	"GET /admin/events":                   {access: adminOnly},
	"GET /admin/events/:id":               {access: adminOnly, object: "event"},
	"POST /admin/events/replay":           {access: adminOnly, object: "event"},
	"GET /admin/audit":                    {access: adminOnly},
	"GET /admin/live":                     {access: adminOnly, stream: true},
}

func serverRoutes(ts *testServer) []string {
	var out []string
	for _, r := range ts.echo.Routes() {
		switch r.Method {
		case http.MethodGet, http.MethodPost, http.MethodPut, http.MethodPatch, http.MethodDelete:
			out = append(out, r.Method+" "+r.Path)
		}
	}
	sort.Strings(out)
	return out
}

func TestEveryRouteHasARule(t *testing.T) {
	ts := newTestServer(t)
	for _, route := range serverRoutes(ts) {
		if _, ok := routeRules[route]; !ok {
			t.Errorf("route %q has no rule in routeRules: decide who may use it and test it", route)
		}
	}
}

// shopA is the demo shop with a staff member and a pending invite; shopB is a second shop.
type twoShops struct {
	ts                     *testServer
	ownerA, staffA, ownerB *browser
	admin                  *browser
	inviteA, memberA       int64
	eventA                 int64
	productA, imageA       int64
	importA                int64
	orderA                 int64
	shopperA               int64
	savedReplyA            int64
	disputeA, fileA        int64
	shipmentA              int64
}

func newTwoShops(t *testing.T) *twoShops {
	ts := newTestServer(t)
	s := &twoShops{ts: ts, ownerA: ts.browser(t), admin: ts.browser(t)}
	s.ownerA.signIn("demo@chatshop.test", "demo-password")
	s.admin.signIn("admin@chatshop.test", "admin-password")
	s.staffA = ts.join(t, invite(t, s.ownerA, "sam@lakeside.example", "staff"), "Sam Staff")
	invite(t, s.ownerA, "pending@lakeside.example", "staff")
	s.ownerB = ts.signUp(t, "Harbor Goods", "hana@harbor.example")

	ctx := context.Background()
	staff, _ := ts.store.UserByEmail(ctx, "sam@lakeside.example")
	s.memberA = staff.ID
	demoUser, _ := ts.store.UserByEmail(ctx, "demo@chatshop.test")
	ms, _ := ts.store.MembershipsOf(ctx, demoUser.ID)
	invites, _ := ts.store.ForShop(ms[0].ShopID).PendingInvites(ctx)
	s.inviteA = invites[0].ID
	ts.store.ReaderDB().QueryRow("SELECT product_id, id FROM product_images WHERE shop_id = $1 ORDER BY id LIMIT 1", ms[0].ShopID).Scan(&s.productA, &s.imageA)
	// A dry run of shop A, waiting for confirmation.
	imp := &models.CatalogImport{Filename: "a.csv", File: []byte("Handle,Title,Variant Price\nx,X,1\n")}
	if err := ts.store.ForShop(ms[0].ShopID).CreateImport(ctx, imp, nil, nil); err != nil {
		t.Fatal(err)
	}
	s.importA = imp.ID
	// An order of shop A, holding one item.
	err := ts.store.Transaction(ctx, func(tx *models.Tx) error {
		sh, _, err := tx.TouchShopper(ms[0].ShopID, demo.PageID, "PSID-ORDER-A")
		if err != nil {
			return err
		}
		var variant int64
		ts.store.ReaderDB().QueryRow(`SELECT v.id FROM variants v JOIN products p ON p.id = v.product_id
			WHERE p.shop_id = $1 AND p.offered AND v.inventory_qty > 0 ORDER BY v.id LIMIT 1`, ms[0].ShopID).Scan(&variant)
		o, _, err := tx.PlaceOrder(sh, variant, "")
		if err != nil {
			return err
		}
		s.orderA, s.shopperA = o.ID, sh.ID
		// Where it goes, so that its packing slip exists (for shop A only).
		if _, err := tx.SQL().Exec("UPDATE orders SET ship_name = 'Ada A', ship_line1 = '1 Main St', ship_city = 'Springfield', ship_country = 'US' WHERE id = $1", o.ID); err != nil {
			return err
		}
		// A parcel of it (its shipment routes name one).
		if err := tx.SQL().QueryRow(`INSERT INTO shipments (shop_id, order_id, carrier, tracking_number, status, merchant_id, request_id,
			paypal_state, created_at, updated_at) VALUES ($1, $2, 'UPS', '1ZA', 'shipped', 'M', 'track-a', 'sent', CURRENT_TIMESTAMP, CURRENT_TIMESTAMP)
			RETURNING id`, ms[0].ShopID, o.ID).Scan(&s.shipmentA); err != nil {
			return err
		}
		_, err = tx.SQL().Exec("UPDATE shoppers SET paypal_vault_id = 'VAULT-A', paypal_email = 'a@example.com', linked_at = CURRENT_TIMESTAMP WHERE id = $1", sh.ID)
		return err
	})
	if err != nil {
		t.Fatal(err)
	}

	// A saved reply of shop A, and its shopper's conversation handed to the inbox.
	if err := ts.store.ForShop(ms[0].ShopID).AddSavedReply(ctx, "Shipping", "We ship in 2 days."); err != nil {
		t.Fatal(err)
	}
	ts.store.ReaderDB().QueryRow("SELECT id FROM saved_replies WHERE shop_id = $1", ms[0].ShopID).Scan(&s.savedReplyA)
	s.disputeA, s.fileA = ts.disputeOn(t, ms[0].ShopID, s.orderA)
	if _, err := ts.store.WriterDB().Exec("UPDATE shoppers SET needs_human = TRUE, unread = 2, last_message_at = CURRENT_TIMESTAMP, last_inbound_at = CURRENT_TIMESTAMP WHERE id = $1", s.shopperA); err != nil {
		t.Fatal(err)
	}

	// An event of shop A: the echo of its Page's message, kept as not acted on (replayable).
	ts.demoShop(t)
	if status, _ := ts.postMessenger(t, `{"object":"page","entry":[{"id":"104859213370001","time":1,"messaging":[{"sender":{"id":"104859213370001"},"recipient":{"id":"PSID-A"},"timestamp":1,"message":{"mid":"m_shop_a","is_echo":true,"app_id":1,"text":"hello"}}]}]}`); status != 200 {
		t.Fatalf("delivery for shop A: %d", status)
	}
	ts.waitProcessed(t, "messenger", "mid:m_shop_a")
	ts.store.ReaderDB().QueryRow("SELECT id FROM webhook_events WHERE event_key = 'mid:m_shop_a'").Scan(&s.eventA)
	return s
}

// snapshotA is shop A's team as the database has it, to prove a refused request changed nothing.
func (s *twoShops) snapshotA(t *testing.T) string {
	t.Helper()
	ctx := context.Background()
	demoUser, _ := s.ts.store.UserByEmail(ctx, "demo@chatshop.test")
	ms, _ := s.ts.store.MembershipsOf(ctx, demoUser.ID)
	data := s.ts.store.ForShop(ms[0].ShopID)
	members, err := data.Members(ctx)
	if err != nil {
		t.Fatal(err)
	}
	invites, err := data.PendingInvites(ctx)
	if err != nil {
		t.Fatal(err)
	}
	var b strings.Builder
	for _, m := range members {
		fmt.Fprintf(&b, "member %d %s %s;", m.UserID, m.Email, m.Role)
	}
	for _, i := range invites {
		fmt.Fprintf(&b, "invite %d %s;", i.ID, i.Email)
	}
	var status string
	var attempts int
	s.ts.store.ReaderDB().QueryRow("SELECT status, attempts FROM webhook_events WHERE id = $1", s.eventA).Scan(&status, &attempts)
	fmt.Fprintf(&b, "event %d %s %d;", s.eventA, status, attempts)
	var importStatus string
	s.ts.store.ReaderDB().QueryRow("SELECT status FROM catalog_imports WHERE id = $1", s.importA).Scan(&importStatus)
	fmt.Fprintf(&b, "import %s;", importStatus)
	var orderStatus, fulfilment, shipments string
	var refunds int
	s.ts.store.ReaderDB().QueryRow(`SELECT status, fulfilment, (SELECT count(*) FROM refund_requests),
		(SELECT coalesce(string_agg(status || ':' || paypal_state, ','), '') FROM shipments WHERE order_id = orders.id)
		FROM orders WHERE id = $1`, s.orderA).Scan(&orderStatus, &fulfilment, &refunds, &shipments)
	fmt.Fprintf(&b, "order %s %q %d shipments %s;", orderStatus, fulfilment, refunds, shipments)
	var entries, files, actions int
	s.ts.store.ReaderDB().QueryRow(`SELECT (SELECT count(*) FROM dispute_entries), (SELECT count(*) FROM dispute_files),
		(SELECT count(*) FROM dispute_actions)`).Scan(&entries, &files, &actions)
	fmt.Fprintf(&b, "dispute entries %d files %d actions %d;", entries, files, actions)
	var vault, assigned string
	var open bool
	var unread, chats, saved int
	s.ts.store.ReaderDB().QueryRow(`SELECT paypal_vault_id, needs_human, unread, coalesce(assigned_user_id, ''),
		(SELECT count(*) FROM chat_messages WHERE shopper_id = shoppers.id), (SELECT count(*) FROM saved_replies WHERE shop_id = shoppers.shop_id)
		FROM shoppers WHERE id = $1`, s.shopperA).Scan(&vault, &open, &unread, &assigned, &chats, &saved)
	fmt.Fprintf(&b, "shopper %s open %v unread %d assigned %q chats %d saved replies %d;", vault, open, unread, assigned, chats, saved)
	rows, err := s.ts.store.ReaderDB().Query(`SELECT p.id, p.title, p.status, p.version,
		coalesce((SELECT string_agg(i.id || ':' || i.position || ':' || i.alt, ',') FROM product_images i WHERE i.product_id = p.id), '')
		FROM products p WHERE p.shop_id = $1 ORDER BY p.id`, ms[0].ShopID)
	if err != nil {
		t.Fatal(err)
	}
	defer rows.Close()
	for rows.Next() {
		var id, version int64
		var title, status, images string
		rows.Scan(&id, &title, &status, &version, &images)
		fmt.Fprintf(&b, "product %d %s %s v%d %s;", id, title, status, version, images)
	}
	return b.String()
}

func (s *twoShops) objectID(kind string) int64 {
	switch kind {
	case "invite":
		return s.inviteA
	case "member":
		return s.memberA
	case "event":
		return s.eventA
	case "product":
		return s.productA
	case "image":
		return s.imageA
	case "import":
		return s.importA
	case "order":
		return s.orderA
	case "shopper":
		return s.shopperA
	case "saved reply":
		return s.savedReplyA
	case "dispute":
		return s.disputeA
	}
	panic("no object kind " + kind)
}

func (s *twoShops) objectIDOf(rule routeRule) []int64 {
	if rule.object == "" {
		return nil
	}
	return []int64{s.objectID(rule.object)}
}

func fillPath(path string, id int64) string {
	return strings.NewReplacer(":id", fmt.Sprint(id), ":token", "x", "*", "css/app.css", ":digest", strings.Repeat("0", 64), ":size", "thumb").Replace(path)
}

// pathOf fills a route's path with shop A's object of the rule's kind (an image's path also names its product).
func (s *twoShops) pathOf(path string, rule routeRule) string {
	if rule.object == "image" {
		path = strings.ReplaceAll(strings.ReplaceAll(path, ":image", fmt.Sprint(s.imageA)), ":id", fmt.Sprint(s.productA))
	}
	path = strings.ReplaceAll(path, ":file", fmt.Sprint(s.fileA))
	path = strings.ReplaceAll(path, ":shipment", fmt.Sprint(s.shipmentA))
	return fillPath(path, s.objectID(rule.object))
}

// send makes the request a form would; objectID also goes in the form, for routes that take
// their objects from it (bulk actions).
func send(b *browser, method, path string, objectID ...int64) response {
	if method == http.MethodPost {
		form := url.Values{"role": {"staff"}, "email": {"x@example.com"}, "action": {"archived"}, "title": {"Taken over"},
			"alt": {"changed"}, "delta": {"1"}, "version": {"1"}, "vcount": {"1"}, "v.0.price": {"1"},
			"text": {"Taken over"}, "body": {"Taken over"}, "key": {"k1"}}
		for _, id := range objectID {
			form.Add("id", fmt.Sprint(id))
			form.Add("ids", fmt.Sprint(id))
		}
		return b.post(path, form)
	}
	return b.get(path)
}

// Shop B asking for any of shop A's objects gets 404, and nothing of shop A changes.
func TestCrossTenantObjectsAreNotFound(t *testing.T) {
	s := newTwoShops(t)
	for route, rule := range routeRules {
		if rule.object == "" || rule.access == adminOnly {
			continue
		}
		t.Run(route, func(t *testing.T) {
			method, path, _ := strings.Cut(route, " ")
			before := s.snapshotA(t)
			id := s.objectID(rule.object)
			res := send(s.ownerB, method, s.pathOf(path, rule), id)
			if res.StatusCode != http.StatusNotFound {
				t.Fatalf("shop B got %d for shop A's %s, want 404", res.StatusCode, rule.object)
			}
			if after := s.snapshotA(t); after != before {
				t.Fatalf("shop A changed:\nbefore %s\nafter  %s", before, after)
			}
		})
	}
}

// Every page of shop B shows nothing of shop A.
func TestCrossTenantPagesShowOnlyTheirShop(t *testing.T) {
	s := newTwoShops(t)
	leaks := []string{"Lakeside Supply Co.", "Canvas Weekender Bag", "sam@lakeside.example", "pending@lakeside.example", "demo@chatshop.test"}
	for route, rule := range routeRules {
		method, path, _ := strings.Cut(route, " ")
		if method != http.MethodGet || rule.object != "" || rule.redirects || rule.stream || (rule.access != shopUser && rule.access != ownerOnly) {
			continue
		}
		t.Run(route, func(t *testing.T) {
			res := s.ownerB.get(path)
			if res.StatusCode != 200 {
				t.Fatalf("shop B owner: %d", res.StatusCode)
			}
			for _, leak := range leaks {
				if strings.Contains(res.body, leak) {
					t.Errorf("shop B's %s shows shop A's %q", path, leak)
				}
			}
		})
	}
}

// Staff get 403 on owners' routes and change nothing; shop users get 403 on the admin console.
func TestRoleMatrix(t *testing.T) {
	s := newTwoShops(t)
	for route, rule := range routeRules {
		method, path, _ := strings.Cut(route, " ")
		path = fillPath(path, 0)
		if rule.object != "" {
			path = s.pathOf(strings.SplitN(route, " ", 2)[1], rule)
		}
		t.Run(route, func(t *testing.T) {
			switch rule.access {
			case signed:
				// A shop user's session is no authentication for a webhook.
				if res := send(s.ownerA, method, path); res.StatusCode != http.StatusUnauthorized {
					t.Errorf("unsigned delivery with a session: %d, want 401", res.StatusCode)
				}
			case ownerOnly:
				before := s.snapshotA(t)
				if res := send(s.staffA, method, path, s.objectIDOf(rule)...); res.StatusCode != http.StatusForbidden {
					t.Fatalf("staff: %d, want 403", res.StatusCode)
				}
				if after := s.snapshotA(t); after != before {
					t.Fatalf("a refused staff request changed shop A:\nbefore %s\nafter  %s", before, after)
				}
			case adminOnly:
				for name, b := range map[string]*browser{"owner": s.ownerA, "staff": s.staffA} {
					if res := send(b, method, path); res.StatusCode != http.StatusForbidden {
						t.Errorf("%s: %d, want 403", name, res.StatusCode)
					}
				}
				if method == http.MethodGet && !rule.stream {
					if res := s.admin.get(path); res.StatusCode != 200 && res.StatusCode != http.StatusSeeOther {
						t.Errorf("admin: %d", res.StatusCode)
					}
				}
			case shopUser:
				if method == http.MethodGet && !rule.stream {
					if res := s.staffA.get(path); res.StatusCode != 200 {
						t.Errorf("staff: %d, want 200", res.StatusCode)
					}
				}
			}
			if rule.access >= signedIn {
				anonymous := s.ts.browser(t)
				if res := send(anonymous, method, path); res.StatusCode != http.StatusSeeOther || !strings.HasPrefix(res.Header.Get("Location"), "/login") {
					t.Errorf("signed out: %d to %q, want the login page", res.StatusCode, res.Header.Get("Location"))
				}
			}
		})
	}
}
