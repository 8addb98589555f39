package catalog

import (
	"context"
	"fmt"
	"io"

	"github.com/bojanz/currency"

	"github.com/chatshop/chatshop/shopify"
)

// exportPage is how many products are read per query while exporting.
const exportPage = 200

// Export writes the shop's whole catalog as a Shopify product CSV (current column set), oldest
// product first, reading a page at a time so that memory stays flat at any catalog size.
func Export(ctx context.Context, shop Shop, w io.Writer) (int, error) {
	digits, ok := currency.GetDigits(shop.Currency)
	if !ok {
		return 0, fmt.Errorf("catalog: unknown currency %q", shop.Currency)
	}
	out := shopify.NewWriter(w, int(digits))
	n := 0
	for after := int64(0); ; {
		ps, err := shop.Data.ProductsAfter(ctx, after, exportPage)
		if err != nil {
			return n, err
		}
		for i := range ps {
			if err := out.WriteProduct(fromModel(&ps[i], shop.BaseURL)); err != nil {
				return n, fmt.Errorf("catalog: export %s: %w", ps[i].Handle, err)
			}
			n++
		}
		if len(ps) < exportPage {
			return n, out.Flush()
		}
		after = ps[len(ps)-1].ID
	}
}
