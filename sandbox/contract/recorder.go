package contract

import (
	"bytes"
	"compress/gzip"
	"io"
	"net/http"
)

// recorder passes an answer through and keeps its status and body.
type recorder struct {
	http.ResponseWriter
	status int
	body   bytes.Buffer
}

func (r *recorder) WriteHeader(status int) {
	if r.status == 0 {
		r.status = status
	}
	r.ResponseWriter.WriteHeader(status)
}

func (r *recorder) Write(b []byte) (int, error) {
	if r.status == 0 {
		r.status = http.StatusOK
	}
	r.body.Write(b)
	return r.ResponseWriter.Write(b)
}

// decoded is the body as sent, without the server's gzip compression.
func (r *recorder) decoded() ([]byte, error) {
	if r.Header().Get("Content-Encoding") != "gzip" {
		return r.body.Bytes(), nil
	}
	zr, err := gzip.NewReader(&r.body)
	if err != nil {
		return nil, err
	}
	return io.ReadAll(zr)
}

// Unwrap lets http.ResponseController reach the connection's writer.
func (r *recorder) Unwrap() http.ResponseWriter { return r.ResponseWriter }
