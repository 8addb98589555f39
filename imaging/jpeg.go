package imaging

import (
	"bytes"
	"image"
)

// jpegBytes is what image/jpeg allocates to decode data, read from its segments the way the
// decoder reads them: each component's plane at its sampling, padded to whole MCUs; for a
// progressive JPEG, a 4-byte coefficient per sample besides (five times the planes); for a
// four-component (CMYK) JPEG, or one the decoder takes for RGB, a 4-byte-a-pixel image it
// converts the planes into. Without a frame header it counts the worst case.
func jpegBytes(cfg image.Config, data []byte) int64 {
	sof, progressive, rgbMarked := jpegHeader(data)
	worst := int64(cfg.Width) * int64(cfg.Height) * (4*5 + 4)
	if len(sof) < 6 {
		return worst
	}
	height, width, nComp := int64(sof[1])<<8|int64(sof[2]), int64(sof[3])<<8|int64(sof[4]), int(sof[5])
	if nComp != 1 && nComp != 3 && nComp != 4 || len(sof) < 6+3*nComp {
		return worst
	}
	type sampling struct{ h, v int64 }
	comps := make([]sampling, nComp)
	var hmax, vmax int64 = 1, 1
	for i := range comps {
		hv := sof[7+3*i]
		c := sampling{min(max(int64(hv>>4), 1), 4), min(max(int64(hv&0x0f), 1), 4)}
		if nComp == 1 {
			c = sampling{1, 1} // one component is never interleaved, whatever its factors say
		}
		comps[i] = c
		hmax, vmax = max(hmax, c.h), max(vmax, c.v)
	}
	mcuX, mcuY := (width+8*hmax-1)/(8*hmax), (height+8*vmax-1)/(8*vmax)
	var planes int64
	for _, c := range comps {
		planes += 64 * mcuX * mcuY * c.h * c.v
	}
	n := planes
	if progressive {
		n += 4 * planes
	}
	isRGB := nComp == 3 && (rgbMarked || sof[6] == 'R' && sof[9] == 'G' && sof[12] == 'B')
	if nComp == 4 || isRGB {
		n += 4 * width * height
	}
	return n
}

// jpegHeader walks the segments of a JPEG to its end (skipping the entropy-coded data) and
// returns the first frame header's body, whether it is progressive, and whether the file asks
// for RGB the way image/jpeg's isRGB reads it: the last APP0 is not JFIF and an Adobe APP14
// says transform 0. The walk goes past the first scan, as the decoder does, so a marker placed
// after it cannot make the decoder convert what was counted as unconverted.
func jpegHeader(data []byte) (sof []byte, progressive, rgb bool) {
	jfif, adobeRGB := false, false
	for i := 2; i+1 < len(data); {
		if data[i] != 0xff { // entropy-coded data, or extraneous bytes the decoder skips too
			i++
			continue
		}
		marker := data[i+1]
		switch {
		case marker == 0xff: // a fill byte before a marker
			i++
			continue
		case marker == 0x00 || 0xd0 <= marker && marker <= 0xd7: // an escaped 0xff in the data; a restart marker
			i += 2
			continue
		case marker == 0xd9: // end of image
			return sof, progressive, adobeRGB && !jfif
		}
		if i+4 > len(data) {
			break
		}
		end := min(i+2+(int(data[i+2])<<8|int(data[i+3])), len(data))
		seg := data[min(i+4, end):end]
		switch marker {
		case 0xc0, 0xc1, 0xc2:
			if sof == nil {
				sof, progressive = seg, marker == 0xc2
			}
		case 0xe0:
			if len(seg) >= 5 {
				jfif = bytes.Equal(seg[:5], []byte("JFIF\x00"))
			}
		case 0xee:
			if len(seg) >= 12 && bytes.HasPrefix(seg, []byte("Adobe")) {
				adobeRGB = seg[11] == 0
			}
		}
		i = max(end, i+4)
	}
	return sof, progressive, adobeRGB && !jfif
}
