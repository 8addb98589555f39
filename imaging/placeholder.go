package imaging

import (
	"bytes"
	"image"
	"image/color"
	"image/draw"
	"image/png"
	"math"
	"strings"
	"unicode"

	xdraw "golang.org/x/image/draw"
	"golang.org/x/image/font"
	"golang.org/x/image/font/basicfont"
	"golang.org/x/image/math/fixed"
)

// Placeholder draws a product picture for demo and seeded catalogs: a soft two-tone background in
// the given hue (0-359) with the title's initials, as a 600×600 PNG.
func Placeholder(title string, hue int) []byte {
	const side = 600
	img := image.NewRGBA(image.Rect(0, 0, side, side))
	top, bottom := hsl(hue, 0.55, 0.88), hsl(hue+25, 0.5, 0.74)
	for y := 0; y < side; y++ {
		c := mix(top, bottom, float64(y)/side)
		draw.Draw(img, image.Rect(0, y, side, y+1), image.NewUniform(c), image.Point{}, draw.Src)
	}
	// A round plate behind the initials.
	plate := image.NewUniform(hsl(hue, 0.45, 0.96))
	const r = 190
	for dy := -r; dy <= r; dy++ { // one span per row of the disc
		dx := int(math.Sqrt(float64(r*r - dy*dy)))
		draw.Draw(img, image.Rect(side/2-dx, side/2+dy, side/2+dx+1, side/2+dy+1), plate, image.Point{}, draw.Src)
	}
	text := initials(title)
	small := image.NewRGBA(image.Rect(0, 0, 7*len(text)+2, 15))
	d := font.Drawer{Dst: small, Src: image.NewUniform(hsl(hue, 0.5, 0.32)), Face: basicfont.Face7x13, Dot: fixed.P(1, 12)}
	d.DrawString(text)
	zoom := 16
	w, h := small.Bounds().Dx()*zoom, small.Bounds().Dy()*zoom
	at := image.Rect(side/2-w/2, side/2-h/2, side/2+w/2, side/2+h/2)
	xdraw.BiLinear.Scale(img, at, small, small.Bounds(), draw.Over, nil)
	var buf bytes.Buffer
	_ = png.Encode(&buf, img)
	return buf.Bytes()
}

func initials(title string) string {
	var out []rune
	for _, w := range strings.Fields(title) {
		r := []rune(w)[0]
		if unicode.IsLetter(r) || unicode.IsDigit(r) {
			out = append(out, unicode.ToUpper(r))
		}
		if len(out) == 2 {
			break
		}
	}
	if len(out) == 0 {
		return "?"
	}
	return string(out)
}

func mix(a, b color.RGBA, t float64) color.RGBA {
	l := func(x, y uint8) uint8 { return uint8(float64(x)*(1-t) + float64(y)*t) }
	return color.RGBA{l(a.R, b.R), l(a.G, b.G), l(a.B, b.B), 255}
}

// hsl converts a hue (degrees), saturation and lightness (0-1) to a colour.
func hsl(h int, s, l float64) color.RGBA {
	hue := float64(((h % 360) + 360) % 360)
	c := (1 - abs(2*l-1)) * s
	x := c * (1 - abs(mod2(hue/60)-1))
	m := l - c/2
	var r, g, b float64
	switch {
	case hue < 60:
		r, g = c, x
	case hue < 120:
		r, g = x, c
	case hue < 180:
		g, b = c, x
	case hue < 240:
		g, b = x, c
	case hue < 300:
		r, b = x, c
	default:
		r, b = c, x
	}
	to := func(v float64) uint8 { return uint8((v + m) * 255) }
	return color.RGBA{to(r), to(g), to(b), 255}
}

func abs(v float64) float64 {
	if v < 0 {
		return -v
	}
	return v
}

func mod2(v float64) float64 {
	for v >= 2 {
		v -= 2
	}
	return v
}
