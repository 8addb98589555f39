// Package imagingtest makes pictures for tests of uploads, large ones included: it writes their
// compressed bytes directly, without holding the picture in memory.
package imagingtest

import (
	"bytes"
	"compress/zlib"
	"encoding/binary"
	"hash/crc32"
)

// PNG colour types (the PNG specification, table 11.1) that PNG and PNGHeader write.
const (
	Gray      = 0
	RGB       = 2
	GrayAlpha = 4
	RGBA      = 6
)

// PNGHeader is the start of a PNG up to its IHDR chunk: enough for image.DecodeConfig, not for
// image.Decode. interlaced asks for Adam7.
func PNGHeader(width, height int, colorType, bitDepth byte, interlaced bool) []byte {
	var buf bytes.Buffer
	buf.WriteString("\x89PNG\r\n\x1a\n")
	ihdr := binary.BigEndian.AppendUint32(nil, uint32(width))
	ihdr = binary.BigEndian.AppendUint32(ihdr, uint32(height))
	ihdr = append(ihdr, bitDepth, colorType, 0, 0, 0)
	if interlaced {
		ihdr[12] = 1
	}
	chunk(&buf, "IHDR", ihdr)
	return buf.Bytes()
}

// PNG is a whole non-interlaced PNG of width×height black (and, with alpha, transparent)
// pixels. Its scanlines are all zeros, which deflate squeezes about a thousandfold: 6300×6300
// at 16 bits per channel of RGBA decodes to 317 MB from a file of about 300 KB.
func PNG(width, height int, colorType, bitDepth byte) []byte {
	channels := map[byte]int{Gray: 1, RGB: 3, GrayAlpha: 2, RGBA: 4}[colorType]
	rowBytes := 1 + (width*channels*int(bitDepth)+7)/8 // the filter type byte, then the pixels
	var idat bytes.Buffer
	zw, _ := zlib.NewWriterLevel(&idat, zlib.BestCompression)
	zeros := make([]byte, 1<<16)
	for left := rowBytes * height; left > 0; left -= len(zeros) {
		zw.Write(zeros[:min(left, len(zeros))])
	}
	zw.Close()
	buf := bytes.NewBuffer(PNGHeader(width, height, colorType, bitDepth, false))
	chunk(buf, "IDAT", idat.Bytes())
	chunk(buf, "IEND", nil)
	return buf.Bytes()
}

func chunk(buf *bytes.Buffer, typ string, data []byte) {
	binary.Write(buf, binary.BigEndian, uint32(len(data)))
	crc := crc32.NewIEEE()
	crc.Write([]byte(typ))
	crc.Write(data)
	buf.WriteString(typ)
	buf.Write(data)
	binary.Write(buf, binary.BigEndian, crc.Sum32())
}
