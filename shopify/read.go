package shopify

import (
	"bytes"
	"encoding/csv"
	"errors"
	"fmt"
	"io"
	"sort"
	"strings"
)

// maxDecimals bounds the currency decimals Read and Writer accept.
const maxDecimals = 6

// Read reads a Shopify product CSV in the classic or the current column set.
// decimals is the number of minor-unit digits of the shop's currency (2 for
// USD, 0 for JPY). Problems in the data are reported in File.Problems; the
// error is non-nil only when the input cannot be read at all, and wraps
// ErrNotCSV when it is not a Shopify product CSV.
func Read(r io.Reader, decimals int) (*File, error) {
	if decimals < 0 || decimals > maxDecimals {
		return nil, fmt.Errorf("shopify: currency decimals %d out of range 0..%d", decimals, maxDecimals)
	}
	data, err := io.ReadAll(r)
	if err != nil {
		return nil, fmt.Errorf("shopify: reading the file: %w", err)
	}
	if data, err = checkText(data); err != nil {
		return nil, err
	}
	cr := csv.NewReader(bytes.NewReader(data))
	cr.Comma = detectDelimiter(data)
	cr.FieldsPerRecord = -1
	header, err := cr.Read()
	if err != nil {
		return nil, fmt.Errorf("%w: its first line cannot be read as CSV (%v)", ErrNotCSV, err)
	}
	cols, err := mapHeader(header)
	if err != nil {
		return nil, err
	}
	rd := &reader{
		f:        &File{ColumnSet: cols.set},
		cols:     cols,
		decimals: decimals,
		comma:    cr.Comma,
		lines:    lineIndex{data: data},
		groups:   map[string]*group{},
	}
	lastErrLine := 0
	for {
		rec, err := cr.Read()
		if err == io.EOF {
			break
		}
		var pe *csv.ParseError
		if errors.As(err, &pe) {
			if pe.Line <= lastErrLine { // no progress: encoding/csv cannot go on
				break
			}
			lastErrLine = pe.Line
			rd.syntaxError(pe)
			continue
		}
		if err != nil {
			return nil, fmt.Errorf("shopify: reading the file: %w", err)
		}
		line, _ := cr.FieldPos(0)
		rd.addRow(line, rec)
	}
	return rd.finish(), nil
}

// reader holds the state of one Read.
type reader struct {
	f        *File
	cols     *columns
	decimals int
	comma    rune
	lines    lineIndex
	groups   map[string]*group
	order    []*group
}

// row is one data record and the line it starts on.
type row struct {
	line int
	rec  []string
}

// group is the rows of one handle, in file order.
type group struct {
	handle string
	rows   []row
}

// problem records a Problem; f is the field it is about, or -1.
func (rd *reader) problem(line int, handle string, f field, format string, args ...any) {
	col := ""
	if f >= 0 {
		col = rd.cols.name[f]
	}
	rd.f.Problems = append(rd.f.Problems, Problem{
		Line: line, Handle: handle, Column: col, Message: fmt.Sprintf(format, args...),
	})
}

func (rd *reader) addRow(line int, rec []string) {
	if isBlank(rec) {
		return
	}
	rd.f.Rows++
	handle := rd.cols.get(rec, fHandle)
	if handle == "" {
		title := rd.cols.get(rec, fTitle)
		if title == "" {
			rd.problem(line, "", fHandle, "This row has no %s and no title, so it cannot be matched to a product.", rd.cols.name[fHandle])
			return
		}
		if handle = deriveHandle(title); handle == "" {
			rd.problem(line, "", fHandle, "No %s can be made from the title %s; fill in the %s column.", rd.cols.name[fHandle], quote(title), rd.cols.name[fHandle])
			return
		}
	}
	g := rd.groups[handle]
	if g == nil {
		g = &group{handle: handle}
		rd.groups[handle] = g
		rd.order = append(rd.order, g)
	}
	g.rows = append(g.rows, row{line: line, rec: rec})
}

// syntaxError reports a row encoding/csv could not read, attributing it to
// a product when the handle can still be made out.
func (rd *reader) syntaxError(pe *csv.ParseError) {
	rd.f.Rows++
	handle := ""
	lr := csv.NewReader(bytes.NewReader(rd.lines.text(pe.StartLine, pe.Line)))
	lr.Comma, lr.LazyQuotes, lr.FieldsPerRecord = rd.comma, true, -1
	if rec, err := lr.Read(); err == nil {
		if handle = rd.cols.get(rec, fHandle); handle == "" {
			handle = deriveHandle(rd.cols.get(rec, fTitle))
		}
	}
	where := ""
	if pe.Line != pe.StartLine {
		where = fmt.Sprintf(" (it runs from line %d to line %d)", pe.StartLine, pe.Line)
	}
	switch {
	case errors.Is(pe.Err, csv.ErrBareQuote):
		rd.problem(pe.StartLine, handle, -1, `This row cannot be read%s: a quote (") appears inside a field that is not in quotes. Put the whole field in quotes and write each quote inside it twice ("").`, where)
	case errors.Is(pe.Err, csv.ErrQuote):
		rd.problem(pe.StartLine, handle, -1, `This row cannot be read%s: a quoted field is not closed properly, or its closing quote (") is followed by other text.`, where)
	default:
		rd.problem(pe.StartLine, handle, -1, "This row cannot be read%s: %v.", where, pe.Err)
	}
}

func (rd *reader) finish() *File {
	for _, g := range rd.order {
		rd.f.Products = append(rd.f.Products, rd.product(g))
	}
	sort.SliceStable(rd.f.Problems, func(i, j int) bool { return rd.f.Problems[i].Line < rd.f.Problems[j].Line })
	return rd.f
}

func isBlank(rec []string) bool {
	for _, v := range rec {
		if strings.TrimSpace(v) != "" {
			return false
		}
	}
	return true
}

// deriveHandle makes a handle from a title the way Shopify does for ASCII
// titles: lower case letters and digits, other runs become "-".
func deriveHandle(title string) string {
	var b strings.Builder
	dash := false
	for _, r := range strings.ToLower(title) {
		if r >= 'a' && r <= 'z' || r >= '0' && r <= '9' {
			if dash && b.Len() > 0 {
				b.WriteByte('-')
			}
			b.WriteRune(r)
			dash = false
		} else {
			dash = true
		}
	}
	return b.String()
}

// quote puts a value in quotes for a message, shortening long ones.
func quote(s string) string {
	if r := []rune(s); len(r) > 60 {
		s = string(r[:57]) + "…"
	}
	return `"` + s + `"`
}
