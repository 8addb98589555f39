package shopify

import (
	"bytes"
	"fmt"
	"unicode/utf8"
)

var utf8BOM = []byte("\xEF\xBB\xBF")

// signatures name common non-CSV files a retailer might upload by mistake.
var signatures = []struct {
	prefix, what string
}{
	{"\x89PNG", "it is a PNG image"},
	{"\xFF\xD8\xFF", "it is a JPEG image"},
	{"GIF8", "it is a GIF image"},
	{"%PDF", "it is a PDF document"},
	{"PK\x03\x04", "it is a ZIP archive or an Excel workbook (.xlsx); save the sheet as \"CSV UTF-8\" first"},
	{"\xD0\xCF\x11\xE0", "it is an old Excel workbook (.xls); save the sheet as \"CSV UTF-8\" first"},
	{"\xFF\xFE", "it is saved as UTF-16 text; save it as \"CSV UTF-8\" instead"},
	{"\xFE\xFF", "it is saved as UTF-16 text; save it as \"CSV UTF-8\" instead"},
}

// checkText makes sure data is UTF-8 text and returns it without a byte
// order mark. Its errors wrap ErrNotCSV.
func checkText(data []byte) ([]byte, error) {
	for _, s := range signatures {
		if bytes.HasPrefix(data, []byte(s.prefix)) {
			return nil, fmt.Errorf("%w: %s", ErrNotCSV, s.what)
		}
	}
	data = bytes.TrimPrefix(data, utf8BOM)
	if len(bytes.TrimSpace(data)) == 0 {
		return nil, fmt.Errorf("%w: the file is empty", ErrNotCSV)
	}
	if bytes.IndexByte(data, 0) >= 0 {
		return nil, fmt.Errorf("%w: it contains binary data, not text", ErrNotCSV)
	}
	if !utf8.Valid(data) {
		return nil, fmt.Errorf("%w: its text is not UTF-8 (first wrong character on line %d); save it as \"CSV UTF-8\"",
			ErrNotCSV, invalidUTF8Line(data))
	}
	if isHTML(data) {
		return nil, fmt.Errorf("%w: it is a web page (HTML)", ErrNotCSV)
	}
	return data, nil
}

// invalidUTF8Line returns the line of the first byte that is not UTF-8.
func invalidUTF8Line(data []byte) int {
	line := 1
	for i := 0; i < len(data); {
		r, n := utf8.DecodeRune(data[i:])
		if r == utf8.RuneError && n == 1 {
			break
		}
		if r == '\n' {
			line++
		}
		i += n
	}
	return line
}

func isHTML(data []byte) bool {
	head := bytes.ToLower(bytes.TrimSpace(data[:min(len(data), 512)]))
	for _, p := range []string{"<!doctype", "<html", "<?xml", "<head", "<body"} {
		if bytes.HasPrefix(head, []byte(p)) {
			return true
		}
	}
	return false
}

// lineIndex gives the byte ranges of lines, for quoting rows csv cannot read.
type lineIndex struct {
	data   []byte
	starts []int
}

// text returns lines from..to (1-based, inclusive).
func (x *lineIndex) text(from, to int) []byte {
	if x.starts == nil {
		x.starts = []int{0}
		for i, b := range x.data {
			if b == '\n' {
				x.starts = append(x.starts, i+1)
			}
		}
	}
	if from < 1 || from > len(x.starts) || to < from {
		return nil
	}
	end := len(x.data)
	if to < len(x.starts) {
		end = x.starts[to]
	}
	return x.data[x.starts[from-1]:end]
}
