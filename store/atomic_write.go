package store

import (
	"errors"
	"os"
	"path/filepath"
)

// writeFileAtomic replaces path with data so that a reader, or a crash at any moment, sees either
// the old file or the new one, never a mix: the data goes to a temporary file in the same folder
// (rename is only atomic within one file system), is fsynced, renamed over path, and the folder
// is fsynced so the rename itself survives a power cut. The folder is created 0700 and the file
// is 0600: the metadata names the organisation and the key's owner.
func writeFileAtomic(path string, data []byte) (err error) {
	dir := filepath.Dir(path)
	if err := ensurePrivateDir(dir); err != nil {
		return err
	}
	tmp, err := os.CreateTemp(dir, "."+filepath.Base(path)+".tmp-*")
	if err != nil {
		return err
	}
	tmpName := tmp.Name()
	committed := false
	defer func() {
		if !committed {
			// The write already failed; a temporary file left behind is worth knowing too.
			closeErr := tmp.Close()
			if errors.Is(closeErr, os.ErrClosed) {
				closeErr = nil
			}
			err = errors.Join(err, closeErr, os.Remove(tmpName))
		}
	}()
	if err := tmp.Chmod(0o600); err != nil {
		return err
	}
	if _, err := tmp.Write(data); err != nil {
		return err
	}
	if err := tmp.Sync(); err != nil {
		return err
	}
	if err := tmp.Close(); err != nil {
		return err
	}
	if err := os.Rename(tmpName, path); err != nil {
		return err
	}
	committed = true
	return syncDir(dir)
}

// ensurePrivateDir creates dir 0700, and tightens it to 0700 when it exists with wider access
// (jcconnect's own folder; other users have no business reading it).
func ensurePrivateDir(dir string) error {
	if err := os.MkdirAll(dir, 0o700); err != nil {
		return err
	}
	fi, err := os.Stat(dir)
	if err != nil {
		return err
	}
	if fi.Mode().Perm()&0o077 != 0 {
		return os.Chmod(dir, 0o700)
	}
	return nil
}

func syncDir(dir string) error {
	d, err := os.Open(dir)
	if err != nil {
		return err
	}
	if err := d.Sync(); err != nil && !isSyncUnsupported(err) {
		return errors.Join(err, d.Close())
	}
	return d.Close()
}
