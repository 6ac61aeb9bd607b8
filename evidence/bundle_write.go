package evidence

import (
	"archive/zip"
	"bufio"
	"bytes"
	"crypto/sha256"
	"encoding/hex"
	"encoding/json"
	"hash"
	"io"
	"os"
	"path/filepath"
	"time"
)

// A bundle is written file by file into a bundleSink: Export's writes each file to disk as it is
// rendered, hashing as it writes; Bundle's keeps the bytes (tests, small bundles).
type bundleSink interface {
	// file creates the file at path (relative, forward slashes), fills it with write and returns
	// its digest and size.
	file(path string, write func(io.Writer) error) (BundleFile, error)
}

type memorySink struct{}

func (memorySink) file(path string, write func(io.Writer) error) (BundleFile, error) {
	var b bytes.Buffer
	if err := write(&b); err != nil {
		return BundleFile{}, err
	}
	sum := sha256.Sum256(b.Bytes())
	return BundleFile{Path: path, SHA256: hex.EncodeToString(sum[:]), Bytes: b.Len(), data: b.Bytes()}, nil
}

// dirSink writes the files under dir.
type dirSink struct{ dir string }

func (d dirSink) file(path string, write func(io.Writer) error) (_ BundleFile, err error) {
	p := filepath.Join(d.dir, filepath.FromSlash(path))
	if err := os.MkdirAll(filepath.Dir(p), 0o700); err != nil {
		return BundleFile{}, err
	}
	f, err := os.OpenFile(p, os.O_WRONLY|os.O_CREATE|os.O_EXCL, 0o600)
	if err != nil {
		return BundleFile{}, err
	}
	defer func() {
		if cerr := f.Close(); err == nil {
			err = cerr
		}
	}()
	hw := &hashWriter{h: sha256.New()}
	bw := bufio.NewWriterSize(io.MultiWriter(f, hw), 64<<10)
	if err := write(bw); err != nil {
		return BundleFile{}, err
	}
	if err := bw.Flush(); err != nil {
		return BundleFile{}, err
	}
	return BundleFile{Path: path, SHA256: hex.EncodeToString(hw.h.Sum(nil)), Bytes: hw.n}, nil
}

type hashWriter struct {
	h hash.Hash
	n int
}

func (w *hashWriter) Write(p []byte) (int, error) {
	w.n += len(p)
	return w.h.Write(p)
}

// jsonFile writes v as the bundle's JSON files are: indented by two spaces, invisible characters
// escaped (EscapeJSON), a final newline.
func jsonFile(v any) func(io.Writer) error {
	return func(w io.Writer) error {
		b, err := json.MarshalIndent(v, "", "  ")
		if err != nil {
			return err
		}
		_, err = w.Write(append(EscapeJSON(b), '\n'))
		return err
	}
}

// jsonArrayFile is jsonFile for a raw source's records, written one record at a time (an
// empty or missing source is [], never null).
func jsonArrayFile[T any](items []T) func(io.Writer) error {
	return func(w io.Writer) error {
		if items == nil {
			items = []T{}
		}
		if err := writeJSONArray(w, items, ""); err != nil {
			return err
		}
		_, err := io.WriteString(w, "\n")
		return err
	}
}

// writeJSONArray writes items exactly as json.MarshalIndent(items, prefix, "  ") followed by
// EscapeJSON would, one element at a time: "[", each element on its own line indented one level
// deeper than prefix, "]" at prefix; [] when empty, null when nil.
func writeJSONArray[T any](w io.Writer, items []T, prefix string) error {
	switch {
	case items == nil:
		_, err := io.WriteString(w, "null")
		return err
	case len(items) == 0:
		_, err := io.WriteString(w, "[]")
		return err
	}
	if _, err := io.WriteString(w, "["); err != nil {
		return err
	}
	inner := prefix + "  "
	for i := range items {
		b, err := json.MarshalIndent(&items[i], inner, "  ")
		if err != nil {
			return err
		}
		sep := ","
		if i == len(items)-1 {
			sep = ""
		}
		if _, err := io.WriteString(w, "\n"+inner); err != nil {
			return err
		}
		if _, err := w.Write(EscapeJSON(b)); err != nil {
			return err
		}
		if _, err := io.WriteString(w, sep); err != nil {
			return err
		}
	}
	_, err := io.WriteString(w, "\n"+prefix+"]")
	return err
}

// writeReportJSON writes checks.json as jsonFile(r) would, the per-device and per-user results
// one at a time. A test holds it to jsonFile's bytes, so a field added to Report and not here
// fails it.
func writeReportJSON(w io.Writer, r *Report) error {
	th, err := json.MarshalIndent(r.Thresholds, "  ", "  ")
	if err != nil {
		return err
	}
	if _, err := w.Write(append(append([]byte("{\n  \"thresholds\": "), EscapeJSON(th)...), ",\n"...)); err != nil {
		return err
	}
	arrays := []struct {
		key   string
		write func() error
	}{
		{"devices", func() error { return writeJSONArray(w, r.Devices, "  ") }},
		{"users", func() error { return writeJSONArray(w, r.Users, "  ") }},
		{"administrators", func() error { return writeJSONArray(w, r.Admins, "  ") }},
		{"organization", func() error { return writeJSONArray(w, r.Org, "  ") }},
		{"summary", func() error { return writeJSONArray(w, r.Summary, "  ") }},
	}
	for i, a := range arrays {
		if _, err := io.WriteString(w, "  \""+a.key+"\": "); err != nil {
			return err
		}
		if err := a.write(); err != nil {
			return err
		}
		end := ",\n"
		if i == len(arrays)-1 {
			end = "\n}\n"
		}
		if _, err := io.WriteString(w, end); err != nil {
			return err
		}
	}
	return nil
}

// writeZip archives the files under a folder named name, in the order given (path order), every
// entry stamped with the same modification time (the collection time) so the zip is as
// deterministic as the files. open gives each file's content; it is copied, never held whole.
func writeZip(w io.Writer, name string, files []BundleFile, mod time.Time, open func(BundleFile) (io.ReadCloser, error)) error {
	zw := zip.NewWriter(w)
	for _, f := range files {
		h := &zip.FileHeader{Name: name + "/" + f.Path, Method: zip.Deflate, Modified: mod.UTC()}
		h.SetMode(0o600)
		dst, err := zw.CreateHeader(h)
		if err != nil {
			return err
		}
		src, err := open(f)
		if err != nil {
			return err
		}
		_, err = io.Copy(dst, src)
		if cerr := src.Close(); err == nil {
			err = cerr
		}
		if err != nil {
			return err
		}
	}
	return zw.Close()
}
