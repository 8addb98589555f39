package web_test

import (
	"fmt"
	"net/http"
	"strings"
	"testing"

	"github.com/chatshop/chatshop/imaging/imagingtest"
)

// A picture that would take hundreds of megabytes to decode (here 308 KB of 16-bit PNG, 6300×6300
// pixels) is refused from its header: the form comes back with 422 and says why.
func TestProductImageUploadRefusesADecompressionBomb(t *testing.T) {
	_, b, shop := catalogDemo(t)
	mug := catalogByHandle(t, shop, "enamel-camp-mug")
	bomb := imagingtest.PNG(6300, 6300, imagingtest.RGBA, 16)

	res := b.postImage(fmt.Sprintf("/app/products/%d/images", mug.ID), "bomb.png", bomb, "")
	_, shown, _ := strings.Cut(res.body, `data-testid="error-image">`)
	shown, _, _ = strings.Cut(shown, "<")
	if want := "This picture is too large: 6300×6300 pixels"; res.StatusCode != http.StatusUnprocessableEntity || !strings.HasPrefix(shown, want) {
		t.Fatalf("upload: %d, the form says %q; want 422 and %q", res.StatusCode, shown, want)
	}
	if got := catalogProduct(t, shop, mug.ID); len(got.Images) != len(mug.Images) {
		t.Errorf("the refused upload added an image: %d, was %d", len(got.Images), len(mug.Images))
	}
}
