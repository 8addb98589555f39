package handlers

import (
	"fmt"
	"net/http"
	"strconv"
	"strings"

	"github.com/labstack/echo/v4"

	"github.com/chatshop/chatshop/models"
	"github.com/chatshop/chatshop/money"
	"github.com/chatshop/chatshop/views/layout"
	"github.com/chatshop/chatshop/views/pages"
	"github.com/chatshop/chatshop/views/render"
)

// ShowOverview renders the shop's home page.
func (h *Handlers) ShowOverview(c echo.Context) error {
	ctx := c.Request().Context()
	v := ViewerOf(c)
	counts, err := v.Data.CountProducts(ctx)
	if err != nil {
		return err
	}
	conns, err := v.Data.Connections(ctx)
	if err != nil {
		return err
	}
	days, _ := strconv.Atoi(c.QueryParam("days"))
	if days != 1 && days != 7 {
		days = 30
	}
	figures, err := v.Data.Figures(ctx, days)
	if err != nil {
		return err
	}
	openDisputes, respond, err := v.Data.OpenDisputes(ctx)
	if err != nil {
		return err
	}
	queue, err := v.Data.ShippingQueue(ctx)
	if err != nil {
		return err
	}
	first, _, _ := strings.Cut(v.User.Name, " ")
	vm := pages.Overview{
		Page:            h.page(c, "Overview", "overview", layout.ShopConsole),
		Days:            days,
		Orders:          figures.Orders,
		Conversations:   figures.Conversations,
		Converted:       figures.Converted,
		Linked:          figures.LinkedShoppers,
		Open:            figures.OpenConversations,
		Disputes:        openDisputes,
		DisputesRespond: respond,
		ToShip:          queue.Orders,
		OldestToShip:    queue.OldestPaid,
		FirstName:       first,
		ActiveProducts:  counts.Active,
		DraftProducts:   counts.Draft,
		OutOfStock:      counts.ActiveOutOfStock,
		Checklist: []pages.ChecklistStep{
			{Key: "page", Title: "Connect your Facebook Page", Body: "Shoppers message your Page to browse and buy.",
				Href: "/app/settings/messenger", Action: "Connect", Done: conns.PageReady()},
			{Key: "paypal", Title: "Connect PayPal", Body: "Payments go straight to your PayPal business account.",
				Href: "/app/settings/paypal", Action: "Connect", Done: conns.PaymentsReady()},
			{Key: "products", Title: "Add your first products", Body: "Active products with stock are offered in the chat.",
				Href: "/app/products", Action: "Add products", Done: counts.Active > 0},
			{Key: "countries", Title: "Choose where you sell", Body: "PayPal is offered to shoppers in: " + strings.Join(v.Shop.Countries(), ", ") + ".",
				Href: "/app/settings", Action: "Review", Done: v.Shop.CountriesConfirmedAt != nil && len(v.Shop.Countries()) > 0},
		},
	}
	for _, m := range figures.Sales {
		vm.Sales = append(vm.Sales, m.String())
	}
	if len(figures.Sales) > 0 {
		vm.Chart = salesChart(figures.Daily[figures.Sales[0].Currency])
	} else if len(figures.Daily) > 0 { // sales in the chart's 30 days, none in today's or the week's
		for _, series := range figures.Daily {
			vm.Chart = salesChart(series)
			break
		}
	}
	return render.Render(c, http.StatusOK, pages.OverviewPage(vm))
}

// orderCount is "1 order" or "n orders".
func orderCount(n int64) string {
	if n == 1 {
		return "1 order"
	}
	return fmt.Sprintf("%d orders", n)
}

// salesChart draws a currency's daily sales as bars scaled to the best day.
func salesChart(days []models.SalesDay) pages.Chart {
	best := days[0].Sales
	for _, d := range days {
		if d.Sales.Minor > best.Minor {
			best = d.Sales
		}
	}
	ch := pages.Chart{Currency: best.Currency, Max: best.String(), Mid: money.Money{Minor: best.Minor / 2, Currency: best.Currency}.String()}
	for _, d := range days {
		bar := pages.ChartBar{Label: d.Day.Format("Jan 2"), Day: d.Day.Format("Mon, Jan 2"), Sales: d.Sales.String(),
			Title: fmt.Sprintf("%s: %s from %s", d.Day.Format("Mon, Jan 2"), d.Sales, orderCount(d.Orders))}
		if best.Minor > 0 {
			bar.Height = float64(d.Sales.Minor) / float64(best.Minor)
		}
		ch.Bars = append(ch.Bars, bar)
	}
	return ch
}
