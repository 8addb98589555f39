package shopify

import (
	"encoding/json"
	"os"
	"strings"
	"testing"
)

func i64(n int64) *int64 { return &n }

// mustRead reads a CSV given as a string with 2 currency decimals.
func mustRead(t *testing.T, data string) *File {
	t.Helper()
	f, err := Read(strings.NewReader(data), 2)
	if err != nil {
		t.Fatalf("Read: %v", err)
	}
	return f
}

// readSample reads a file of testdata.
func readSample(t *testing.T, name string) *File {
	t.Helper()
	fh, err := os.Open("testdata/" + name)
	if err != nil {
		t.Fatal(err)
	}
	defer fh.Close()
	f, err := Read(fh, 2)
	if err != nil {
		t.Fatalf("Read(%s): %v", name, err)
	}
	return f
}

// show renders a value for a failure message.
func show(v any) string {
	b, _ := json.MarshalIndent(v, "", "  ")
	return string(b)
}

// noLines returns a copy of the products with every Line field zeroed.
func noLines(ps []Product) []Product {
	out := make([]Product, len(ps))
	for i, p := range ps {
		p.Line = 0
		p.Variants = append([]Variant(nil), p.Variants...)
		for j := range p.Variants {
			p.Variants[j].Line = 0
		}
		p.Images = append([]Image(nil), p.Images...)
		for j := range p.Images {
			p.Images[j].Line = 0
		}
		out[i] = p
	}
	return out
}
