package shopify

import (
	"errors"
	"strings"
	"testing"
)

func TestReadNotCSV(t *testing.T) {
	tests := []struct {
		name string
		data string
		msg  string
	}{
		{"PNG", "\x89PNG\r\n\x1a\n\x00\x00\x00\rIHDR", "PNG image"},
		{"random binary", "Handle,Title\nab\x00\x01\x02\xff", "binary data"},
		{"xlsx", "PK\x03\x04\x14\x00\x06\x00", "Excel"},
		{"UTF-16", "\xff\xfeH\x00a\x00", "UTF-16"},
		{"invalid UTF-8", "Handle,Title\ncafe,Caf\xe9\n", "not UTF-8 (first wrong character on line 2)"},
		{"HTML page", "<!DOCTYPE html>\n<html><head><title>Shop</title></head></html>\n", "web page"},
		{"empty", "", "empty"},
		{"BOM only", "\xEF\xBB\xBF\r\n", "empty"},
		{"other CSV", "name,price\nCap,10\n", `no "Handle", "URL handle" or "Title" column`},
		{"plain text", "Dear shop owner, here is my list\n", `no "Handle"`},
		{"broken header", "Handle,\"Title\nx,y", "first line cannot be read as CSV"},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			f, err := Read(strings.NewReader(tt.data), 2)
			if !errors.Is(err, ErrNotCSV) {
				t.Fatalf("Read = %v, %v; want ErrNotCSV", f, err)
			}
			if !strings.Contains(err.Error(), tt.msg) || !strings.HasPrefix(err.Error(), ErrNotCSV.Error()+": ") {
				t.Errorf("error %q does not say %q", err, tt.msg)
			}
		})
	}
}

func TestReadDecimalsOutOfRange(t *testing.T) {
	if _, err := Read(strings.NewReader("Handle\n"), -1); err == nil || errors.Is(err, ErrNotCSV) {
		t.Errorf("Read with decimals -1: %v", err)
	}
}
