package imaging

import (
	"image"
	"image/color"
	"testing"
)

// grayRows returns an image of the given rows of gray levels.
func grayRows(rows ...[]uint8) *image.Gray {
	img := image.NewGray(image.Rect(0, 0, len(rows[0]), len(rows)))
	for y, r := range rows {
		copy(img.Pix[y*img.Stride:], r)
	}
	return img
}

func TestScaleAveragesTheAreaEachPixelCovers(t *testing.T) {
	for _, tc := range []struct {
		name string
		img  image.Image
		side int
		want [][]uint8 // gray levels of the result
	}{
		{"halves", grayRows([]uint8{0, 100, 200, 40}, []uint8{100, 100, 0, 40}), 2, [][]uint8{{75, 70}}},
		{"three into two", grayRows([]uint8{30, 90, 210}), 2, [][]uint8{{50, 170}}}, // (2·30+90)/3, (90+2·210)/3
		{"portrait", grayRows([]uint8{10}, []uint8{20}, []uint8{200}, []uint8{250}), 2, [][]uint8{{15}, {225}}},
		{"a part of a larger image", grayRows([]uint8{9, 9, 9}, []uint8{9, 0, 60}).SubImage(image.Rect(1, 1, 3, 2)), 1, [][]uint8{{30}}},
		{"small enough already", grayRows([]uint8{1, 2}), 2, [][]uint8{{1, 2}}},
	} {
		t.Run(tc.name, func(t *testing.T) {
			got := scale(tc.img, tc.side)
			b := got.Bounds()
			if b.Dx() != len(tc.want[0]) || b.Dy() != len(tc.want) {
				t.Fatalf("size %v, want %d×%d", b, len(tc.want[0]), len(tc.want))
			}
			for y, row := range tc.want {
				for x, want := range row {
					if c := color.GrayModel.Convert(got.At(b.Min.X+x, b.Min.Y+y)).(color.Gray); c.Y != want {
						t.Errorf("pixel %d,%d: %d, want %d", x, y, c.Y, want)
					}
				}
			}
		})
	}
}

// Transparent pixels do not darken their neighbours: the sums are of premultiplied colour.
func TestScaleKeepsTransparencyApart(t *testing.T) {
	img := image.NewNRGBA(image.Rect(0, 0, 2, 1))
	img.SetNRGBA(0, 0, color.NRGBA{R: 255, A: 255})
	got := color.NRGBAModel.Convert(scale(img, 1).At(0, 0)).(color.NRGBA)
	if got.R < 254 || got.G != 0 || got.A != 128 {
		t.Errorf("red beside transparent: %+v, want half-transparent red", got)
	}
}

// Scaling a large picture takes little more than the result: a 6000×4000 picture to 2048 wide
// allocated 262 MB with x/image/draw's Catmull-Rom.
func TestScaleMemory(t *testing.T) {
	img := image.NewGray(image.Rect(0, 0, 6000, 4000))
	before := totalAlloc()
	scaled := scale(img, MaxSide)
	allocated := totalAlloc() - before
	result := uint64(scaled.Bounds().Dx() * scaled.Bounds().Dy() * 4)
	if allocated > result+1<<20 {
		t.Errorf("scaling to %v allocated %d MB for a %d MB result", scaled.Bounds(), allocated>>20, result>>20)
	}
}
