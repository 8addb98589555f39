// Package layout holds the page shells: the dashboard and admin console with their navigation,
// and the centred card used by sign-in.
package layout

import (
	"strconv"
	"strings"
)

// Console says which navigation a page is shown in.
type Console int

const (
	// ShopConsole is the retailer's dashboard under /app.
	ShopConsole Console = iota
	// AdminConsole is the platform admins' console under /admin.
	AdminConsole
)

// Page is what every dashboard page tells the layout.
type Page struct {
	Title   string
	Path    string // the page's own address, which its live parts reload from
	Active  string // key of the highlighted navigation item
	Console Console
	User    User
	Shop    *Shop // nil in the admin console or for a user without a shop
	Flashes []Flash
	Alerts  []Alert
	Sandbox bool
	// Badges are the counts shown beside navigation items, by key (inbox, notifications); the
	// page keeps them current while it is open.
	Badges map[string]int
	// LiveSince is the shop's change number the page was read after; its live stream starts there.
	LiveSince uint64
}

// BadgeText is how a badge shows a count.
func BadgeText(n int) string {
	if n > 99 {
		return "99+"
	}
	return strconv.Itoa(n)
}

// Alert is a standing banner about something only a person can fix, such as a connection to
// reconnect; Href and Action are the way to fix it, empty for someone who cannot.
type Alert struct {
	TestID, Message, Href, Action string
}

// User is the signed-in person as the top bar shows them.
type User struct {
	Name    string
	Email   string
	IsAdmin bool
}

// Initials are shown in the avatar.
func (u User) Initials() string {
	if in := Initials(u.Name); in != "" || u.Email == "" {
		return in
	}
	return Initials(u.Email)
}

// Initials are the first letters of a name's first two words, for an avatar.
func Initials(name string) string {
	var out []rune
	for _, w := range strings.Fields(name) {
		out = append(out, []rune(strings.ToUpper(w))[0])
		if len(out) == 2 {
			break
		}
	}
	return string(out)
}

// Shop is the shop the user is working in.
type Shop struct {
	Name string
	Role string
}

// Flash is a one-time message shown at the top of the next page.
type Flash struct {
	Kind    string // "success", "error" or "info"
	Message string
}

// NavItem is one entry of the sidebar.
type NavItem struct {
	Key, Label, Href, Icon string
}

// NavSection groups sidebar entries under a heading.
type NavSection struct {
	Heading string
	Items   []NavItem
}

// Navigation lists the sidebar of a page's console: every area of PRODUCT.md the user may open.
// Staff do not see the owners' areas (connections, team, audit).
func Navigation(p Page) []NavSection {
	if p.Console == AdminConsole {
		return []NavSection{{Heading: "Platform", Items: []NavItem{
			{"admin-disputes", "Disputes", "/admin/disputes", "scale"},
			{"admin-shops", "Shops", "/admin/shops", "storefront"},
			{"admin-events", "Webhook events", "/admin/events", "bolt"},
			{"admin-audit", "Audit log", "/admin/audit", "clipboard"},
		}}}
	}
	sections := []NavSection{
		{Items: []NavItem{
			{"overview", "Overview", "/app", "home"},
			{"inbox", "Inbox", "/app/inbox", "chat"},
			{"orders", "Orders", "/app/orders", "bag"},
			{"products", "Products", "/app/products", "cube"},
			{"shoppers", "Shoppers", "/app/shoppers", "users"},
			{"notifications", "Notifications", "/app/notifications", "bell"},
			{"disputes", "Disputes", "/app/disputes", "scale"},
		}},
	}
	if p.Shop != nil && p.Shop.Role == "owner" {
		sections = append(sections, NavSection{Heading: "Shop", Items: []NavItem{
			{"settings", "Settings", "/app/settings", "cog"},
			{"team", "Team", "/app/team", "team"},
			{"events", "Webhook events", "/app/events", "bolt"},
			{"audit", "Audit log", "/app/audit", "clipboard"},
		}})
	}
	if p.User.IsAdmin {
		sections = append(sections, NavSection{Heading: "Platform", Items: []NavItem{
			{"admin-disputes", "Admin console", "/admin/disputes", "shield"},
		}})
	}
	return sections
}
