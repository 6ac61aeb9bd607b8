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

// BenchmarkReadOversizeBody reads an endless body without Content-Length up to the 64 MiB cap,
// side by side: the doubling bytes.Buffer the client used before, and the pooled chunks it uses
// now. B/op is what one refused body costs in allocations; "read-bytes" shows both stopped at
// the cap (the fault happened and was refused the same way).
//
//	go test ./jumpcloud -run '^$' -bench ReadOversizeBody -benchmem
func BenchmarkReadOversizeBody(b *testing.B) {
	const max = 64 << 20
	b.Run("doubling-buffer(before)", func(b *testing.B) {
		b.ReportAllocs()
		var read int64
		for i := 0; i < b.N; i++ {
			body := &endless{}
			var buf bytes.Buffer
			buf.ReadFrom(io.LimitReader(body, max+1))
			if int64(buf.Len()) <= max {
				b.Fatal("not refused")
			}
			read = body.read
		}
		b.ReportMetric(float64(read), "read-bytes")
	})
	b.Run("pooled-chunks(now)", func(b *testing.B) {
		b.ReportAllocs()
		large := make(chan struct{}, largeBodySlots)
		var read int64
		for i := 0; i < b.N; i++ {
			body := &endless{}
			if _, err := readBody(context.Background(), &http.Response{Body: body, ContentLength: -1}, max, large); !errors.Is(err, errBodyTooLarge) {
				b.Fatal("not refused:", err)
			}
			read = body.read
		}
		b.ReportMetric(float64(read), "read-bytes")
	})
}
