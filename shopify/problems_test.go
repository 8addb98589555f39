package shopify

import (
	"fmt"
	"strings"
	"testing"
)

const probHeader = "Title,URL handle,Status,Option1 name,Option1 value,Option2 name,Option2 value,Price,Compare-at price,Inventory quantity,Product image URL\n"

func TestReadProblems(t *testing.T) {
	tests := []struct {
		name    string
		rows    string
		want    []Problem // Message is matched as a substring
		invalid []string
		valid   []string
	}{{
		name:    "bad price",
		rows:    "Cap,cap,,Size,S,,,10,,,\n,cap,,,M,,,\"12,5x\",,,\nHat,hat,,,,,,5,,,\n",
		want:    []Problem{{3, "cap", "Price", `Price "12,5x" is not a number.`}},
		invalid: []string{"cap"}, valid: []string{"hat"},
	}, {
		name: "price details",
		rows: "A,a,,,,,,1.999,,,\nB,b,,,,,,-1,,,\nC,c,,,,,,\"1,234.00\",,,\nD,d,,,,,,5,$4,,\nE,e,,,,,,,,,\n",
		want: []Problem{
			{2, "a", "Price", `Price "1.999" has more than 2 decimals.`},
			{3, "b", "Price", `Price "-1" cannot be negative.`},
			{4, "c", "Price", `thousands separators`},
			{5, "d", "Compare-at price", `Compare-at price "$4" is not a number: leave out the currency symbol.`},
			{6, "e", "Price", `The product has no price: give its first row a Price.`},
		},
		invalid: []string{"a", "b", "c", "d"},
	}, {
		name: "missing option value and value without name",
		rows: "Cap,cap,,Size,S,,,10,,,\n,cap,,,,,,11,,,\n,cap,,,M,,red,12,,,\n",
		want: []Problem{
			{3, "cap", "Option1 value", `The value for option "Size" is missing.`},
			{4, "cap", "Option2 value", `Option2 value "red" is given, but the product has no Option2 name.`},
		},
		invalid: []string{"cap"},
	}, {
		name: "duplicate variant",
		rows: "Cap,cap,,Size,S,Color,Red,10,,,\n,cap,,,M,,Red,10,,,\n,cap,,,s,,red,10,,,\nHat,hat,,,,,,1,,,\n,hat,,,,,,2,,,\n",
		want: []Problem{
			{4, "cap", "", `The variant "s / red" is already on line 2.`},
			{6, "hat", "", `the product has no options`},
		},
		invalid: []string{"cap", "hat"},
	}, {
		name:    "unknown status",
		rows:    "Cap,cap,Live,,,,,10,,,\n",
		want:    []Problem{{2, "cap", "Status", `Status "Live" must be Active, Draft or Archived.`}},
		invalid: []string{"cap"},
	}, {
		name:    "csv syntax error, reading goes on",
		rows:    "Cap,cap,,Size,S,,,10,,,\n,cap,,,M 5\"x,,,11,,,\nHat,hat,,,,,,5,,,\n",
		want:    []Problem{{3, "cap", "", `a quote (") appears inside a field that is not in quotes`}},
		invalid: []string{"cap"}, valid: []string{"hat"},
	}, {
		name:    "unclosed quote stops reading",
		rows:    "Hat,hat,,,,,,5,,,\nCap,cap,,,\"M,,,11,,,\n,cap,,,L,,,12,,,\n",
		want:    []Problem{{3, "cap", "", `quoted field is not closed`}},
		invalid: []string{"cap"}, valid: []string{"hat"},
	}, {
		name: "price required, no price, title differs, no handle",
		rows: "Cap,cap,,Size,S,,,,,,\nHat,hat,,,,,,,,,https://x.test/h.png\nCap 2,cap,,,M,,,1,,,\n,,,,,,,3,,,\n",
		want: []Problem{
			{2, "cap", "Price", "Price is required."},
			{3, "hat", "Price", "The product has no price"},
			{4, "cap", "Title", `The title "Cap 2" differs from the title "Cap" given on line 2`},
			{5, "", "URL handle", "no URL handle and no title"},
		},
		invalid: []string{"cap", "hat"},
	}, {
		name: "quantity and image URL",
		rows: "Cap,cap,,,,,,1,,3.5,shop/cap.png\n",
		want: []Problem{
			{2, "cap", "Inventory quantity", `Inventory quantity "3.5" is not a whole number.`},
			{2, "cap", "Product image URL", `Product image URL "shop/cap.png" is not a web address`},
		},
		invalid: []string{"cap"},
	}}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			f := mustRead(t, probHeader+tt.rows)
			if len(f.Problems) != len(tt.want) {
				t.Fatalf("Problems = %s\nwant %s", show(f.Problems), show(tt.want))
			}
			for i, want := range tt.want {
				got := f.Problems[i]
				if got.Line != want.Line || got.Handle != want.Handle || got.Column != want.Column ||
					!strings.Contains(got.Message, want.Message) {
					t.Errorf("problem %d = %s\nwant %s", i, show(got), show(want))
				}
			}
			for _, h := range tt.invalid {
				if !f.Invalid(h) {
					t.Errorf("Invalid(%q) = false", h)
				}
			}
			for _, h := range tt.valid {
				if f.Invalid(h) {
					t.Errorf("Invalid(%q) = true", h)
				}
			}
		})
	}
}

func TestReadClassicProblems(t *testing.T) {
	data := "Handle,Title,Published,Variant Price,Variant Inventory Policy,Variant Grams,Variant Weight Unit\n" +
		"a,A,maybe,1,sometimes,heavy,stone\n"
	f := mustRead(t, data)
	want := []string{
		`Published "maybe" must be TRUE or FALSE.`,
		`Variant Inventory Policy "sometimes" must be DENY or CONTINUE.`,
		`Variant Grams "heavy" is not a number.`,
		`Variant Weight Unit "stone" must be g, kg, lb or oz.`,
	}
	if f.ColumnSet != "classic" || len(f.Problems) != len(want) {
		t.Fatalf("ColumnSet %q, Problems = %s", f.ColumnSet, show(f.Problems))
	}
	for i, w := range want {
		if p := f.Problems[i]; p.Message != w || p.Line != 2 || p.Handle != "a" {
			t.Errorf("problem %d = %s, want %q", i, show(p), w)
		}
	}
}

func TestReadMoreProblems(t *testing.T) {
	many := func(n int, row func(i int) string) string {
		var b strings.Builder
		for i := range n {
			b.WriteString(row(i))
		}
		return b.String()
	}
	tests := []struct {
		name string
		data string
		want []Problem // Message is matched as a substring
	}{{
		name: "option names with a gap and twice",
		data: probHeader + "Cap,cap,,,,Size,S,1,,,\nHat,hat,,Size,S,size,M,1,,,\n",
		want: []Problem{
			{2, "cap", "Option1 name", "Option1 name is empty, but a later option has a name."},
			{3, "hat", "Option2 name", `The option name "size" is used twice.`},
		},
	}, {
		name: "no handle can be made from the title",
		data: probHeader + "日本茶,,,,,,,1,,,\n",
		want: []Problem{{2, "", "URL handle", `No URL handle can be made from the title "日本茶"`}},
	}, {
		name: "no price column",
		data: "Handle,Title,Option1 Name,Option1 Value\ncap,Cap,Size,S\n",
		want: []Problem{{2, "cap", "Variant Price", `Price is required, but the file has no Variant Price column.`}},
	}, {
		name: "too many variants",
		data: probHeader + "Cap,cap,,Size,0,,,1,,,\n" + many(100, func(i int) string { return fmt.Sprintf(",cap,,,%d,,,1,,,\n", i+1) }),
		want: []Problem{{102, "cap", "", "more than 100 variants"}},
	}, {
		name: "too many images",
		data: probHeader + "Cap,cap,,,,,,1,,,\n" + many(251, func(i int) string { return fmt.Sprintf(",cap,,,,,,,,,https://x.test/%d.png\n", i) }),
		want: []Problem{{253, "cap", "Product image URL", "more than 250 images"}},
	}}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			f := mustRead(t, tt.data)
			if len(f.Problems) != len(tt.want) {
				t.Fatalf("Problems = %s\nwant %s", show(f.Problems), show(tt.want))
			}
			for i, want := range tt.want {
				got := f.Problems[i]
				if got.Line != want.Line || got.Handle != want.Handle || got.Column != want.Column ||
					!strings.Contains(got.Message, want.Message) {
					t.Errorf("problem %d = %s\nwant %s", i, show(got), show(want))
				}
			}
		})
	}
}
