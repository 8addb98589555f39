package imaging

import (
	"context"
	"errors"
	"fmt"
	"image"
	"image/color"
)

// Memory limits of preparing a picture. A file's size says little about what decoding it takes:
// a 308 KB PNG of 6300×6300 pixels at 16 bits per channel decodes to 317 MB. So Prepare works out
// from the header what the decoder will allocate, refuses a picture over the budget before
// decoding it, and lets only a few decodes run at once.
const (
	// decodeBudget is what one picture may take: the decoded picture plus workBytes. The
	// largest 8-bit picture the pixel limit lets through, 40 MP of RGBA (153 MiB), plus workBytes
	// (32 MiB) fits, as does any baseline JPEG within the pixel limit; a 16-bit RGBA picture fits
	// up to about 21 MP (4580×4580), a progressive 4:2:0 JPEG up to about 22 MP.
	decodeBudget = 192 << 20
	// workBytes is what Prepare allocates besides the decoded picture: the copy scaled to MaxSide
	// and that copy flattened on white for JPEG, 4 bytes a pixel each (scale itself keeps only a
	// row of sums, and the thumbnail is small).
	workBytes = 2 * MaxSide * MaxSide * 4
	// maxDecodes is how many pictures are decoded at once in the process: with the budget, at
	// most 384 MiB of pictures live, however many uploads arrive together (as many as the
	// machine's two cores can decode anyway). The garbage collector lets the heap grow to about
	// twice what is live before collecting; GOMEMLIMIT tightens that where memory is short.
	maxDecodes = 2
)

// ErrTooLarge is wrapped by Prepare's error for a picture with more pixels, or pixels of more
// bytes, than an upload may decode; the error's message gives its size, for people.
var ErrTooLarge = errors.New("this picture is too large")

// decodeSlots holds a token for each decode under way, process-wide: the budget is a bound on
// one picture, and only a bound on how many run at once keeps six uploads from taking six times it.
var decodeSlots = make(chan struct{}, maxDecodes)

// acquireDecode waits for a decode slot, or for ctx to end; release gives the slot back.
func acquireDecode(ctx context.Context) (release func(), err error) {
	select {
	case decodeSlots <- struct{}{}:
		return func() { <-decodeSlots }, nil
	case <-ctx.Done():
		return nil, ctx.Err()
	}
}

// checkSize refuses a picture with too many pixels, or whose decoding would take more than
// decodeBudget, from its header alone.
func checkSize(format string, cfg image.Config, data []byte) error {
	pixels := int64(cfg.Width) * int64(cfg.Height)
	if pixels > maxPixels || decodedBytes(format, cfg, data)+workBytes > decodeBudget {
		return fmt.Errorf("%w: %d×%d pixels (save it at most %d pixels on its longest side)", ErrTooLarge, cfg.Width, cfg.Height, MaxSide)
	}
	return nil
}

// decodedBytes is what the standard decoders allocate to decode the picture whose header is cfg
// (at most maxPixels pixels).
func decodedBytes(format string, cfg image.Config, data []byte) int64 {
	pixels := int64(cfg.Width) * int64(cfg.Height)
	switch format {
	case "jpeg":
		return jpegBytes(cfg, data)
	case "png":
		n := pixels * bytesPerPixel(cfg.ColorModel)
		if len(data) > 28 && data[28] == 1 { // IHDR's interlace method: Adam7 decodes seven passes as images of their own, then merges them
			n *= 2
		}
		return n
	case "gif":
		return pixels // the first frame only, one palette index a pixel, within the logical screen
	case "webp":
		switch cfg.ColorModel {
		case color.YCbCrModel: // lossy: 4:2:0
			return pixels * 3 / 2
		case color.NYCbCrAModel: // lossy with an alpha plane, which may be coded losslessly (below)
			return pixels*3/2 + pixels + pixels*8
		default: // lossless: VP8L decodes into 4 bytes a pixel, and its colour-indexing transform into another 4
			return pixels * 8
		}
	}
	return pixels * 8
}

// bytesPerPixel is the size of a pixel of the image type a decoder returns for model.
func bytesPerPixel(model color.Model) int64 {
	if _, ok := model.(color.Palette); ok {
		return 1
	}
	switch model {
	case color.GrayModel, color.AlphaModel:
		return 1
	case color.Gray16Model, color.Alpha16Model:
		return 2
	case color.YCbCrModel:
		return 3
	case color.RGBAModel, color.NRGBAModel, color.CMYKModel, color.NYCbCrAModel:
		return 4
	}
	return 8 // RGBA64, NRGBA64, and whatever else: the widest
}
