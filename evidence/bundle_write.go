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

// A bundle is written into a bundleSink: Export's writes each file to disk as it is rendered,
// hashing as it writes; Bundle's keeps the bytes (tests, small bundles). Several files may be
// open at once: the check files are written together, device by device.
type bundleSink interface {
	// create starts the file at path (relative, forward slashes).
	create(path string) (bundleFileWriter, error)
}

// bundleFileWriter is one file being written. close ends it and gives its digest and size; it
// must be called on every path (it releases the file), and its result is only used without error.
type bundleFileWriter interface {
	io.Writer
	close() (BundleFile, error)
}

// writeBundleFile creates the file at path and fills it with write.
func writeBundleFile(sink bundleSink, path string, write func(io.Writer) error) (BundleFile, error) {
	fw, err := sink.create(path)
	if err != nil {
		return BundleFile{}, err
	}
	werr := write(fw)
	f, cerr := fw.close()
	if werr != nil {
		return BundleFile{}, werr
	}
	return f, cerr
}

type memorySink struct{}

func (memorySink) create(path string) (bundleFileWriter, error) { return &memoryFile{path: path}, nil }

type memoryFile struct {
	path string
	bytes.Buffer
}

func (m *memoryFile) close() (BundleFile, error) {
	sum := sha256.Sum256(m.Bytes())
	return BundleFile{Path: m.path, SHA256: hex.EncodeToString(sum[:]), Bytes: m.Len(), data: m.Bytes()}, nil
}

// dirSink writes the files under dir.
type dirSink struct{ dir string }

func (d dirSink) create(path string) (bundleFileWriter, error) {
	p := filepath.Join(d.dir, filepath.FromSlash(path))
	if err := os.MkdirAll(filepath.Dir(p), 0o700); err != nil {
		return nil, err
	}
	f, err := os.OpenFile(p, os.O_WRONLY|os.O_CREATE|os.O_EXCL, 0o600)
	if err != nil {
		return nil, err
	}
	df := &diskFile{path: path, f: f, hw: &hashWriter{h: sha256.New()}}
	df.bw = bufio.NewWriterSize(io.MultiWriter(f, df.hw), 64<<10)
	return df, nil
}

type diskFile struct {
	path string
	f    *os.File
	hw   *hashWriter
	bw   *bufio.Writer
}

func (d *diskFile) Write(p []byte) (int, error) { return d.bw.Write(p) }

func (d *diskFile) close() (BundleFile, error) {
	err := d.bw.Flush()
	if cerr := d.f.Close(); err == nil {
		err = cerr
	}
	if err != nil {
		return BundleFile{}, err
	}
	return BundleFile{Path: d.path, SHA256: hex.EncodeToString(d.hw.h.Sum(nil)), Bytes: d.hw.n}, nil
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
	if items == nil {
		_, err := io.WriteString(w, "null")
		return err
	}
	arr := jsonArrayStream{w: w, prefix: prefix}
	for i := range items {
		if err := arr.add(&items[i]); err != nil {
			return err
		}
	}
	return arr.end()
}

// writeReportJSON writes checks.json as jsonFile(r) would, the per-device and per-user results
// one at a time (writeChecks). A test holds it to jsonFile's bytes, so a field added to Report and
// not to the streaming writer fails it.
func writeReportJSON(w io.Writer, r *Report) error {
	_, err := writeChecks(w, nil, nil, nil, nil, evaluationOf(r))
	return err
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
