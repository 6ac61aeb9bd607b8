package evidence

import (
	"context"
	"errors"
	"fmt"
	"io"
)

// Canceling an export while its bundle is written (Ctrl-C, esc, SIGTERM): at 50,000 devices the
// writing takes long enough that a person who stops it must not wait for it to finish, nor find
// half a bundle. Every write checks the export's context, so the writing stops within one
// buffer; exportBundle then removes its temporary folder, with the zip inside it.

// ErrExportCanceled is wrapped, with the context's error, by the error of an export whose
// context was done before its bundle was complete.
var ErrExportCanceled = errors.New("export canceled while the bundle was written; nothing of it is kept")

// ErrBundleLeftBehind is wrapped by the error of an export that failed or was canceled and could
// not remove the folder it had started: something is left in the output folder.
var ErrBundleLeftBehind = errors.New("the unfinished bundle could not be removed")

type bundleFileHookKey struct{}

// OnBundleFile returns a context whose exports call fn with each file's path (relative, forward
// slashes) once the file is complete on disk, in the order they complete, the zip aside. It
// says how far a long write is; tests use it to cancel an export at a known point.
func OnBundleFile(ctx context.Context, fn func(path string)) context.Context {
	return context.WithValue(ctx, bundleFileHookKey{}, fn)
}

// exportStop is an export's context as its writers check it: a receive from a channel, cheap
// enough for every write.
type exportStop struct {
	ctx     context.Context
	done    <-chan struct{}
	written func(path string)
}

func newExportStop(ctx context.Context) exportStop {
	written, _ := ctx.Value(bundleFileHookKey{}).(func(string))
	return exportStop{ctx: ctx, done: ctx.Done(), written: written}
}

// check is ErrExportCanceled (with the context's error) once the context is done, else nil.
func (s exportStop) check() error {
	select {
	case <-s.done:
		return fmt.Errorf("%w: %w", ErrExportCanceled, s.ctx.Err())
	default:
		return nil
	}
}

// stoppableSink is sink, whose files refuse to start or be written once the export is stopped.
type stoppableSink struct {
	sink bundleSink
	stop exportStop
}

func (s stoppableSink) create(path string) (bundleFileWriter, error) {
	if err := s.stop.check(); err != nil {
		return nil, err
	}
	fw, err := s.sink.create(path)
	if err != nil {
		return nil, err
	}
	return &stoppableFile{bundleFileWriter: fw, stop: s.stop}, nil
}

type stoppableFile struct {
	bundleFileWriter
	stop exportStop
}

func (f *stoppableFile) Write(p []byte) (int, error) {
	if err := f.stop.check(); err != nil {
		return 0, err
	}
	return f.bundleFileWriter.Write(p)
}

func (f *stoppableFile) close() (BundleFile, error) {
	bf, err := f.bundleFileWriter.close()
	// A file cut short by the stop is closed too, but it is not complete.
	if err == nil && f.stop.written != nil && f.stop.check() == nil {
		f.stop.written(bf.Path)
	}
	return bf, err
}

// stoppableWriter is w, refusing writes once the export is stopped (the zip's).
type stoppableWriter struct {
	w    io.Writer
	stop exportStop
}

func (s stoppableWriter) Write(p []byte) (int, error) {
	if err := s.stop.check(); err != nil {
		return 0, err
	}
	return s.w.Write(p)
}
