package handlers

import (
	"go/ast"
	"go/parser"
	"go/token"
	"strconv"
	"strings"
	"testing"
)

// Every audited action has words in the audit log: none shows as its code ("product.created").
func TestEveryAuditActionHasALabel(t *testing.T) {
	f, err := parser.ParseFile(token.NewFileSet(), "../models/audit.go", nil, 0)
	if err != nil {
		t.Fatal(err)
	}
	n := 0
	ast.Inspect(f, func(node ast.Node) bool {
		spec, ok := node.(*ast.ValueSpec)
		if !ok || len(spec.Values) != 1 || !strings.HasPrefix(spec.Names[0].Name, "Audit") {
			return true
		}
		lit, ok := spec.Values[0].(*ast.BasicLit)
		if !ok || lit.Kind != token.STRING {
			return true
		}
		action, _ := strconv.Unquote(lit.Value)
		n++
		if auditLabel(action) == action {
			t.Errorf("%s (%q) has no label in auditActions", spec.Names[0].Name, action)
		}
		return true
	})
	if n < 30 {
		t.Fatalf("found %d audit actions in models/audit.go, want the whole list", n)
	}
}
