//go:build linux || darwin || freebsd || openbsd || netbsd || dragonfly

package store

import (
	"context"
	"os"
	"path/filepath"
	"strconv"
	"strings"
	"testing"
	"time"
)

// A copy of jcconnect that holds the lock and never lets go (stopped with Ctrl-Z mid-save) makes
// the others give up with ErrMetadataBusy naming it, not hang.
func TestLockHeldTooLongGivesBusy(t *testing.T) {
	s, mem, _ := newTestStore(t)
	s.lockWait = 50 * time.Millisecond
	if err := os.MkdirAll(s.Dir(), 0o700); err != nil {
		t.Fatal(err)
	}
	unlock, err := lockFile(filepath.Join(s.Dir(), lockName), time.Second) // another open file: another holder
	if err != nil {
		t.Fatal(err)
	}
	err = s.Save(context.Background(), testProfile("work"), Secret{testKeyOld})
	assertKind(t, err, ErrMetadataBusy)
	if !strings.Contains(err.Error(), "process "+strconv.Itoa(os.Getpid())) {
		t.Errorf("message %q does not name the holder", err)
	}
	if mem.Calls(OpSet) != 0 {
		t.Fatal("the keyring was written without the lock")
	}
	unlock()
	if err := s.Save(context.Background(), testProfile("work"), Secret{testKeyOld}); err != nil {
		t.Fatal(err)
	}
}
