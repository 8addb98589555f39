package imaging

import (
	"bytes"
	"context"
	"encoding/binary"
	"errors"
	"image"
	"image/color"
	"image/color/palette"
	"image/gif"
	"image/jpeg"
	"image/png"
	"runtime"
	"sync"
	"testing"

	"github.com/chatshop/chatshop/imaging/imagingtest"
)

// bomb is the picture of issue 25: 308 KB of PNG, 6300×6300 pixels of 16-bit RGBA, 317 MB decoded.
var bomb = sync.OnceValue(func() []byte { return imagingtest.PNG(6300, 6300, imagingtest.RGBA, 16) })

// totalAlloc is how many bytes the process has allocated so far.
func totalAlloc() uint64 {
	var m runtime.MemStats
	runtime.ReadMemStats(&m)
	return m.TotalAlloc
}

func TestPrepareRefusesTheBombWithoutDecodingIt(t *testing.T) {
	data := bomb()
	before := totalAlloc()
	_, err := Prepare(context.Background(), data)
	allocated := totalAlloc() - before
	want := "this picture is too large: 6300×6300 pixels (save it at most 2048 pixels on its longest side)"
	if !errors.Is(err, ErrTooLarge) || err.Error() != want {
		t.Fatalf("Prepare(%d-byte bomb) = %v, want %q", len(data), err, want)
	}
	if allocated > 50<<20 {
		t.Errorf("refusing the bomb allocated %d MB", allocated>>20)
	}
}

// jpegSegment is a marker segment: 0xff, marker, its length and body.
func jpegSegment(marker byte, body string) string {
	return string([]byte{0xff, marker, byte((len(body) + 2) >> 8), byte(len(body) + 2)}) + body
}

// jpegFile is the header of a JPEG of w×h pixels whose components have the given ids and
// sampling factors (one byte each, h<<4|v); before and after go before the frame header and
// after the first scan's header.
func jpegFile(w, h int, progressive bool, ids, sampling, before, after string) []byte {
	sof := []byte{8, byte(h >> 8), byte(h), byte(w >> 8), byte(w), byte(len(ids))}
	for i := range len(ids) {
		sof = append(sof, ids[i], sampling[i], 0)
	}
	marker := byte(0xc0)
	if progressive {
		marker = 0xc2
	}
	return []byte("\xff\xd8" + before + jpegSegment(marker, string(sof)) + jpegSegment(0xda, "\x01\x01\x00\x00\x3f\x00") +
		"\x12\x34\xff\x00\x56" + after + "\xff\xd9")
}

// webpLossless is the header of a lossless WebP of w×h pixels.
func webpLossless(w, h int) []byte {
	bits := uint32(w-1) | uint32(h-1)<<14
	vp8l := append([]byte{0x2f}, binary.LittleEndian.AppendUint32(nil, bits)...)
	chunk := append(append([]byte("VP8L"), binary.LittleEndian.AppendUint32(nil, uint32(len(vp8l)))...), vp8l...)
	return append(append([]byte("RIFF"), binary.LittleEndian.AppendUint32(nil, uint32(4+len(chunk)))...), append([]byte("WEBP"), chunk...)...)
}

// gifScreen is the header of a GIF with a w×h logical screen.
func gifScreen(w, h int) []byte {
	return append([]byte("GIF89a"), byte(w), byte(w>>8), byte(h), byte(h>>8), 0x80, 0, 0, 0, 0, 0, 0xff, 0xff, 0xff)
}

// Pictures are refused by what decoding them would take, worked out from the header: a picture
// under the budget goes on to be decoded (these headers then fail as unreadable).
func TestPrepareChecksTheDecodedSize(t *testing.T) {
	const (
		jfif    = "\xff\xe0\x00\x10JFIF\x00\x01\x01\x00\x00\x01\x00\x01\x00\x00"
		adobeRG = "\xff\xee\x00\x0eAdobe\x00\x64\x00\x00\x00\x00\x00" // APP14, transform 0: RGB
	)
	for _, tc := range []struct {
		name    string
		data    []byte
		refused bool
	}{
		{"16-bit RGBA PNG, 6300×6300 (317 MB)", imagingtest.PNGHeader(6300, 6300, imagingtest.RGBA, 16, false), true},
		{"16-bit RGBA PNG, 4000×3000 (96 MB)", imagingtest.PNGHeader(4000, 3000, imagingtest.RGBA, 16, false), false},
		{"16-bit RGBA PNG, interlaced, 4000×3000 (192 MB)", imagingtest.PNGHeader(4000, 3000, imagingtest.RGBA, 16, true), true},
		{"16-bit gray PNG, 6300×6300 (79 MB)", imagingtest.PNGHeader(6300, 6300, imagingtest.Gray, 16, false), false},
		{"16-bit gray PNG, interlaced, 7000×5700 (160 MB)", imagingtest.PNGHeader(7000, 5700, imagingtest.Gray, 16, true), false},
		{"8-bit RGBA PNG at the pixel limit, 7000×5700 (160 MB)", imagingtest.PNGHeader(7000, 5700, imagingtest.RGBA, 8, false), false},
		{"8-bit RGBA PNG, interlaced, 7000×5700 (320 MB)", imagingtest.PNGHeader(7000, 5700, imagingtest.RGBA, 8, true), true},
		{"8-bit gray PNG over the pixel limit, 8000×5001", imagingtest.PNGHeader(8000, 5001, imagingtest.Gray, 8, false), true},
		{"CMYK JPEG, 6300×6300 (317 MB)", jpegFile(6300, 6300, false, "CMYK", "\x11\x11\x11\x11", "", ""), true},
		{"CMYK JPEG, 3000×2000 (48 MB)", jpegFile(3000, 2000, false, "CMYK", "\x11\x11\x11\x11", "", ""), false},
		{"4:2:0 JPEG at the pixel limit, 7000×5700 (60 MB)", jpegFile(7000, 5700, false, "\x01\x02\x03", "\x22\x11\x11", "", ""), false},
		{"4:4:4 JPEG at the pixel limit, 7000×5700 (120 MB)", jpegFile(7000, 5700, false, "\x01\x02\x03", "\x11\x11\x11", jfif, ""), false},
		{"progressive 4:2:0 JPEG, 7000×5700 (300 MB)", jpegFile(7000, 5700, true, "\x01\x02\x03", "\x22\x11\x11", "", ""), true},
		{"progressive 4:2:0 JPEG, 4000×3000 (90 MB)", jpegFile(4000, 3000, true, "\x01\x02\x03", "\x22\x11\x11", "", ""), false},
		{"RGB JPEG by its ids, 7000×5700 (280 MB)", jpegFile(7000, 5700, false, "RGB", "\x11\x11\x11", "", ""), true},
		{"RGB JPEG by Adobe's marker, 7000×5700", jpegFile(7000, 5700, false, "\x01\x02\x03", "\x11\x11\x11", adobeRG, ""), true},
		{"RGB JPEG by Adobe's marker after the scan, 7000×5700", jpegFile(7000, 5700, false, "\x01\x02\x03", "\x11\x11\x11", "", adobeRG), true},
		{"JFIF JPEG with Adobe's marker, 7000×5700 (120 MB)", jpegFile(7000, 5700, false, "\x01\x02\x03", "\x11\x11\x11", jfif+adobeRG, ""), false},
		{"lossless WebP, 6300×6300 (317 MB)", webpLossless(6300, 6300), true},
		{"lossless WebP, 3000×3000 (72 MB)", webpLossless(3000, 3000), false},
		{"GIF, 6300×6300 (40 MB)", gifScreen(6300, 6300), false},
	} {
		t.Run(tc.name, func(t *testing.T) {
			_, err := Prepare(context.Background(), tc.data)
			if tc.refused && !errors.Is(err, ErrTooLarge) || !tc.refused && !errors.Is(err, ErrUnsupported) {
				t.Errorf("Prepare = %v; refused: %v", err, tc.refused)
			}
		})
	}
}

// The estimate holds for what the decoders really allocate, without counting far more.
func TestDecodedBytesBoundsTheDecoder(t *testing.T) {
	const w, h = 1000, 700
	rgba := image.NewRGBA(image.Rect(0, 0, w, h))
	for i := range rgba.Pix {
		rgba.Pix[i] = byte(i * 7)
	}
	encodePNG := func(img image.Image) []byte {
		var buf bytes.Buffer
		if err := png.Encode(&buf, img); err != nil {
			t.Fatal(err)
		}
		return buf.Bytes()
	}
	gray8 := image.NewGray(rgba.Rect)
	gray16 := image.NewGray16(rgba.Rect)
	nrgba64 := image.NewNRGBA64(rgba.Rect)
	paletted := image.NewPaletted(rgba.Rect, palette.Plan9)
	for _, img := range []image.Image{gray8, gray16, nrgba64, paletted} {
		set := img.(interface{ Set(x, y int, c color.Color) })
		for y := range h {
			for x := range w {
				set.Set(x, y, rgba.At(x, y))
			}
		}
	}
	var jpg, gray, gf bytes.Buffer
	jpeg.Encode(&jpg, rgba, nil)
	jpeg.Encode(&gray, gray8, nil)
	gif.Encode(&gf, paletted, nil)
	for _, tc := range []struct {
		name string
		data []byte
	}{
		{"RGBA PNG", encodePNG(rgba)},
		{"16-bit gray PNG", encodePNG(gray16)},
		{"16-bit NRGBA PNG", encodePNG(nrgba64)},
		{"paletted PNG", encodePNG(paletted)},
		{"4:2:0 JPEG", jpg.Bytes()},
		{"gray JPEG", gray.Bytes()},
		{"GIF", gf.Bytes()},
	} {
		t.Run(tc.name, func(t *testing.T) {
			cfg, format, err := image.DecodeConfig(bytes.NewReader(tc.data))
			if err != nil {
				t.Fatal(err)
			}
			estimate := decodedBytes(format, cfg, tc.data)
			before := totalAlloc()
			if _, _, err := image.Decode(bytes.NewReader(tc.data)); err != nil {
				t.Fatal(err)
			}
			allocated := int64(totalAlloc() - before)
			const decoderState = 128 << 10 // buffers and tables besides the picture
			if allocated > estimate+decoderState || estimate > 2*allocated {
				t.Errorf("decoding allocated %d bytes, the estimate is %d", allocated, estimate)
			}
		})
	}
}

// Only maxDecodes pictures are decoded at once: with every slot taken, Prepare waits, and gives
// up when its request does.
func TestPrepareWaitsForADecodeSlot(t *testing.T) {
	picture := Placeholder("Slot", 40)
	var releases []func()
	for range maxDecodes {
		release, err := acquireDecode(context.Background())
		if err != nil {
			t.Fatal(err)
		}
		releases = append(releases, release)
	}
	ctx, cancel := context.WithCancel(context.Background())
	cancel()
	if _, err := Prepare(ctx, picture); !errors.Is(err, context.Canceled) {
		t.Errorf("with every slot taken, an abandoned request: %v", err)
	}
	releases[0]()
	if _, err := Prepare(context.Background(), picture); err != nil {
		t.Errorf("with a slot free: %v", err)
	}
	for _, release := range releases[1:] {
		release()
	}
}
