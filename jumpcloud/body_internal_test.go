package jumpcloud

import (
	"bytes"
	"context"
	"errors"
	"io"
	"net/http"
	"testing"
)

// endless is a body with no Content-Length that never ends, counting what was read from it.
type endless struct{ read int64 }

func (e *endless) Read(p []byte) (int, error) {
	for i := range p {
		p[i] = 'A'
	}
	e.read += int64(len(p))
	return len(p), nil
}
func (e *endless) Close() error { return nil }

// readBody stops at the cap (one byte past it proves "over"), with or without Content-Length,
// and reads a body within the cap exactly.
func TestReadBodyStopsAtTheCap(t *testing.T) {
	c, err := New(Config{BaseURL: "http://127.0.0.1:1", APIKey: "jca_test"})
	if err != nil {
		t.Fatal(err)
	}
	const max = smallBody + 1<<20 + 5 // not a multiple of the chunk size
	for _, cl := range []int64{-1, 1 << 40} {
		body := &endless{}
		_, err := readBody(context.Background(), &http.Response{Body: body, ContentLength: cl}, max, c.sh.large)
		if !errors.Is(err, errBodyTooLarge) || body.read != max+1 {
			t.Fatalf("Content-Length %d: read %d bytes (want %d), err %v", cl, body.read, max+1, err)
		}
	}
	for _, n := range []int{0, 1, bodyChunk, bodyChunk + 1, smallBody + 3, max} {
		want := bytes.Repeat([]byte("x"), n)
		got, err := readBody(context.Background(), &http.Response{Body: io.NopCloser(bytes.NewReader(want)), ContentLength: -1}, max, c.sh.large)
		if err != nil || !bytes.Equal(got, want) {
			t.Fatalf("%d bytes: got %d, %v", n, len(got), err)
		}
	}
	if len(c.sh.large) != 0 {
		t.Fatalf("%d large-body slots still held", len(c.sh.large))
	}
}
