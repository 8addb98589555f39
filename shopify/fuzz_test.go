package shopify

import (
	"bytes"
	"errors"
	"os"
	"reflect"
	"sort"
	"testing"
)

// maxFuzzInput caps the fuzzer's files: Read holds a file in memory, and the point is the
// parser's paths, not its size (the upload limit is enforced by the handler).
const maxFuzzInput = 64 << 10

// FuzzReadCSV reads arbitrary files: Read must not panic, must refuse only what is not a product
// CSV at all (ErrNotCSV), must report everything else as problems on lines of the file, and the
// products it accepts must come back unchanged from Writer.
func FuzzReadCSV(f *testing.F) {
	for _, name := range []string{"product_template_classic.csv", "product_template_current.csv"} {
		data, err := os.ReadFile("testdata/" + name)
		if err != nil {
			f.Fatal(err)
		}
		f.Add(data)
	}
	for _, s := range []string{
		"Handle,Title,Variant Price\nx,=SUM(1),-5\n",
		"URL handle,Title,Price\nx,'=x,1.00\nx,,2.00\n",
		"Handle;Title;Variant Price\nx;\"a;b\";1,50\n",
		"Handle,Title\nx,\"open\n",
		"Title,Price\n\"a\"b,1\n",
	} {
		f.Add([]byte(s))
	}
	f.Fuzz(func(t *testing.T, data []byte) {
		if len(data) > maxFuzzInput {
			return
		}
		file, err := Read(bytes.NewReader(data), 2)
		if err != nil {
			if !errors.Is(err, ErrNotCSV) {
				t.Fatalf("Read failed without ErrNotCSV: %v", err)
			}
			return
		}
		lines := bytes.Count(data, []byte("\n")) + 1
		for _, p := range file.Problems {
			if p.Line < 1 || p.Line > lines || p.Message == "" {
				t.Fatalf("problem on line %d of %d: %+v", p.Line, lines, p)
			}
		}
		if !sort.SliceIsSorted(file.Problems, func(i, j int) bool { return file.Problems[i].Line < file.Problems[j].Line }) {
			t.Fatalf("problems not sorted by line: %+v", file.Problems)
		}
		var valid []Product
		for _, p := range file.Products {
			if p.Line < 1 || p.Line > lines {
				t.Fatalf("product %q on line %d of %d", p.Handle, p.Line, lines)
			}
			if !file.Invalid(p.Handle) {
				valid = append(valid, p)
			}
		}
		var buf bytes.Buffer
		w := NewWriter(&buf, 2)
		for _, p := range valid {
			if err := w.WriteProduct(p); err != nil {
				t.Fatalf("writing %q back: %v", p.Handle, err)
			}
		}
		if err := w.Flush(); err != nil {
			t.Fatal(err)
		}
		if len(valid) == 0 {
			return
		}
		again, err := Read(&buf, 2)
		if err != nil || len(again.Problems) != 0 {
			t.Fatalf("reading the written file: %v %s\n%q", err, show(again), buf.String())
		}
		if got, want := noLines(again.Products), noLines(valid); !reflect.DeepEqual(got, want) {
			t.Fatalf("written and read again:\ngot  %s\nwant %s\nCSV %q", show(got), show(want), buf.String())
		}
	})
}
