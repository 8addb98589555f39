// Package imaging checks and prepares uploaded product images: it accepts JPEG, PNG, GIF and WebP by
// their content (not their name), refuses decompression bombs, scales large pictures down to a size
// worth serving, and makes the thumbnail lists show. No database.
package imaging

import (
	"bytes"
	"context"
	"crypto/sha256"
	"encoding/hex"
	"errors"
	"fmt"
	"image"
	"image/draw"
	_ "image/gif" // registers the GIF decoder
	"image/jpeg"
	"image/png"
	"net/http"

	_ "golang.org/x/image/webp" // registers the WebP decoder
)

// Limits of an upload.
const (
	MaxUploadBytes = 10 << 20 // per file
	maxPixels      = 40_000_000
	// MaxSide is the longest side an image is served at; larger uploads are scaled down.
	MaxSide   = 2048
	thumbSide = 320
)

// ErrUnsupported means the file is not an image chatshop accepts; its message is for people.
var ErrUnsupported = errors.New("this file is not a JPEG, PNG, GIF or WebP image")

// Prepared is an image ready to store.
type Prepared struct {
	Digest        string // hex SHA-256 of Data
	ContentType   string
	Width, Height int
	Data          []byte
	Thumb         []byte // JPEG, at most thumbSide on its longest side
}

// Prepare checks and prepares an uploaded image. A picture whose decoding would take too much
// memory is refused from its header (an error wrapping ErrTooLarge); the others wait for one of
// the process's few decode slots, or for ctx to end.
func Prepare(ctx context.Context, data []byte) (*Prepared, error) {
	if len(data) > MaxUploadBytes {
		return nil, fmt.Errorf("the image is %.1f MB; the limit is %d MB", float64(len(data))/(1<<20), MaxUploadBytes>>20)
	}
	sniffed := http.DetectContentType(data)
	switch sniffed {
	case "image/jpeg", "image/png", "image/gif", "image/webp":
	default:
		return nil, ErrUnsupported
	}
	cfg, format, err := image.DecodeConfig(bytes.NewReader(data))
	if err != nil {
		return nil, fmt.Errorf("%w (it could not be read: %v)", ErrUnsupported, err)
	}
	if cfg.Width <= 0 || cfg.Height <= 0 {
		return nil, fmt.Errorf("%w (it has no pixels)", ErrUnsupported)
	}
	if err := checkSize(format, cfg, data); err != nil {
		return nil, err
	}
	release, err := acquireDecode(ctx)
	if err != nil {
		return nil, err
	}
	defer release()
	img, _, err := image.Decode(bytes.NewReader(data))
	if err != nil {
		return nil, fmt.Errorf("%w (it could not be read: %v)", ErrUnsupported, err)
	}
	p := &Prepared{ContentType: sniffed, Data: data}
	b := img.Bounds()
	p.Width, p.Height = b.Dx(), b.Dy()
	if max(p.Width, p.Height) > MaxSide || sniffed == "image/webp" {
		// Scaled (or, for WebP, re-encoded for the browsers and Messenger clients that lack it).
		img = scale(img, MaxSide)
		if p.Data, p.ContentType, err = encode(img, sniffed == "image/png"); err != nil {
			return nil, err
		}
		p.Width, p.Height = img.Bounds().Dx(), img.Bounds().Dy()
	}
	if p.Thumb, _, err = encode(scale(img, thumbSide), false); err != nil {
		return nil, err
	}
	sum := sha256.Sum256(p.Data)
	p.Digest = hex.EncodeToString(sum[:])
	return p, nil
}

// flatten puts img on white, for JPEG (which has no transparency).
func flatten(img image.Image) image.Image {
	dst := image.NewRGBA(img.Bounds())
	draw.Draw(dst, dst.Bounds(), image.White, image.Point{}, draw.Src)
	draw.Draw(dst, dst.Bounds(), img, img.Bounds().Min, draw.Over)
	return dst
}

func encode(img image.Image, asPNG bool) ([]byte, string, error) {
	var buf bytes.Buffer
	if asPNG {
		err := png.Encode(&buf, img)
		return buf.Bytes(), "image/png", err
	}
	err := jpeg.Encode(&buf, flatten(img), &jpeg.Options{Quality: 85})
	return buf.Bytes(), "image/jpeg", err
}
