package app

import "testing"

func TestSandboxSecretKeyIsStable(t *testing.T) {
	dir := t.TempDir()
	first, err := sandboxSecretKey(dir)
	if err != nil {
		t.Fatal(err)
	}
	second, err := sandboxSecretKey(dir)
	if err != nil || second != first || len(first) != 64 {
		t.Fatalf("keys %q then %q (%v)", first, second, err)
	}
}
