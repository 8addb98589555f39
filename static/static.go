// Package static embeds the built CSS, the vendored htmx and the images, and serves them under
// fingerprinted names so browsers may cache them for a year.
package static

import (
	"crypto/sha256"
	"embed"
	"encoding/hex"
	"io/fs"
	"net/http"
	"path"
	"strings"
)

//go:embed css js img
var files embed.FS

// Prefix is where the assets are served.
const Prefix = "/static/"

var (
	fingerprinted = map[string]string{} // "css/app.css" -> "css/app.1a2b3c4d5e.css"
	original      = map[string]string{} // the reverse
)

func init() {
	err := fs.WalkDir(files, ".", func(name string, d fs.DirEntry, err error) error {
		if err != nil || d.IsDir() {
			return err
		}
		b, err := files.ReadFile(name)
		if err != nil {
			return err
		}
		sum := sha256.Sum256(b)
		ext := path.Ext(name)
		fp := strings.TrimSuffix(name, ext) + "." + hex.EncodeToString(sum[:5]) + ext
		fingerprinted[name], original[fp] = fp, name
		return nil
	})
	if err != nil {
		panic("static: " + err.Error())
	}
}

// Path is the URL of an embedded asset under its fingerprinted name, e.g. Path("css/app.css").
// It panics on an unknown name, so a typo fails the first render in tests, not in a browser.
func Path(name string) string {
	fp, ok := fingerprinted[name]
	if !ok {
		panic("static: no asset " + name)
	}
	return Prefix + fp
}

// Handler serves the assets below Prefix: fingerprinted names are immutable for a year,
// plain names must be revalidated.
func Handler() http.Handler {
	server := http.FileServerFS(files)
	return http.StripPrefix(Prefix, http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {
		name := r.URL.Path
		if orig, ok := original[name]; ok {
			w.Header().Set("Cache-Control", "public, max-age=31536000, immutable")
			r.URL.Path = orig
		} else if _, ok := fingerprinted[name]; ok {
			w.Header().Set("Cache-Control", "no-cache")
		} else {
			http.NotFound(w, r)
			return
		}
		server.ServeHTTP(w, r)
	}))
}
