package imaging

import (
	"image"
	"image/draw"
)

// scale returns img with its longest side at most side pixels, each pixel the average of the
// area of img it covers (a box filter, which suits shrinking photos). It reads img a row at a
// time and keeps a row of sums, so it needs little more than the result: x/image/draw's
// Catmull-Rom, used before, holds 32 bytes for every destination column times source row, 413 MB
// to bring a 6300-pixel-high picture down to 2048 wide.
func scale(img image.Image, side int) image.Image {
	b := img.Bounds()
	sw, sh := b.Dx(), b.Dy()
	if max(sw, sh) <= side {
		return img
	}
	dw, dh := side, max(1, sh*side/sw)
	if sh > sw {
		dw, dh = max(1, sw*side/sh), side
	}
	dst := image.NewRGBA(image.Rect(0, 0, dw, dh))
	row := image.NewRGBA(image.Rect(0, 0, sw, 1)) // one source row, premultiplied, which averages right
	cols := boxSpans(sw, dw)
	across := make([]uint64, 4*dw)                                  // the current source row, summed across
	down := [2][]uint64{make([]uint64, 4*dw), make([]uint64, 4*dw)} // destination rows y and y+1, summed down
	total := uint64(sw) * uint64(sh)                                // the weights of a destination pixel add up to this
	y := 0
	for sy, r := range boxSpans(sh, dh) {
		draw.Draw(row, row.Rect, img, image.Pt(b.Min.X, b.Min.Y+sy), draw.Src)
		clear(across)
		for sx, c := range cols {
			p, a := row.Pix[4*sx:4*sx+4], across[4*c.to:]
			for k := range 4 {
				a[k] += c.first * uint64(p[k])
			}
			if c.second > 0 {
				for k := range 4 {
					a[4+k] += c.second * uint64(p[k])
				}
			}
		}
		for i, v := range across {
			down[0][i] += r.first * v
			down[1][i] += r.second * v
		}
		if (sy+1)*dh >= (y+1)*sh { // the source rows so far cover destination row y
			out := dst.Pix[y*dst.Stride : y*dst.Stride+4*dw]
			for i, v := range down[0] {
				out[i] = uint8((v + total/2) / total)
			}
			down[0], down[1] = down[1], down[0]
			clear(down[1])
			y++
		}
	}
	return dst
}

// boxSpan is how one source pixel spreads over the destination when n source pixels shrink to
// m (m ≤ n): its weight first on destination pixel to, and second on to+1. In units of 1/m of a
// source pixel, source pixel i covers [i·m, (i+1)·m) and destination pixel j covers [j·n,
// (j+1)·n), so weights are whole numbers and each destination pixel's add up to n.
type boxSpan struct {
	to            int
	first, second uint64
}

func boxSpans(n, m int) []boxSpan {
	spans := make([]boxSpan, n)
	for i := range spans {
		start, end := i*m, (i+1)*m
		to := start / n
		split := min(end, (to+1)*n)
		spans[i] = boxSpan{to: to, first: uint64(split - start), second: uint64(end - split)}
	}
	return spans
}
