//go:build linux

package e2e

import (
	"archive/zip"
	"bytes"
	"crypto/rand"
	"encoding/binary"
	"fmt"
	"io"
	"io/fs"
	"os"
	"path/filepath"
	"strings"
	"sync"

	"github.com/zalando/go-keyring"

	"jcconnect/jumpcloud/jctest"
)

// canary collects the secrets of the whole matrix (every key of every scenario's server, whose
// seed is random per run, so every run has its own keys, plus any other secret a scenario
// plants), every output of the program, and every folder it could write to. scan then looks for
// each secret and every 8-character run of it: a single hit fails the matrix.
type canary struct {
	mu      sync.Mutex
	secrets []string
	outputs []output
	dirs    []string
}

type output struct{ what, text string }

const canaryRun = 8

func (c *canary) seed() int64 {
	var b [8]byte
	rand.Read(b[:])
	return int64(binary.LittleEndian.Uint64(b[:]) >> 1)
}

func (c *canary) addSecret(s ...string) {
	c.mu.Lock()
	defer c.mu.Unlock()
	c.secrets = append(c.secrets, s...)
}

func (c *canary) addServer(srv *jctest.Server, more ...string) {
	k, sa := srv.Keys, srv.ServiceAccounts
	c.addSecret(append([]string{k.ReadOnly, k.Admin, k.Revoked, k.Expired, k.MultiTenant, k.OtherOrg,
		sa.ReadOnly.ClientSecret, sa.Admin.ClientSecret, sa.Expired.ClientSecret, sa.Revoked.ClientSecret,
		sa.MultiTenant.ClientSecret}, more...)...)
}

func (c *canary) addOutput(what, stdout, stderr string) {
	c.mu.Lock()
	defer c.mu.Unlock()
	c.outputs = append(c.outputs, output{what + " stdout", stdout}, output{what + " stderr", stderr})
}

func (c *canary) addDir(dir string) {
	c.mu.Lock()
	defer c.mu.Unlock()
	c.dirs = append(c.dirs, dir)
}

// runs are the 8-character runs of every secret.
func (c *canary) runs() []string {
	seen := map[string]bool{}
	var runs []string
	for _, s := range c.secrets {
		for i := 0; i+canaryRun <= len(s); i++ {
			if r := s[i : i+canaryRun]; !seen[r] {
				seen[r] = true
				runs = append(runs, r)
			}
		}
	}
	return runs
}

// scan returns one line per hit: where, and which run (never the secret around it).
func (c *canary) scan() (hits []string, scanned int, err error) {
	c.mu.Lock()
	defer c.mu.Unlock()
	runs := c.runs()
	look := func(where string, data []byte) {
		scanned++
		for _, r := range runs {
			if bytes.Contains(data, []byte(r)) {
				hits = append(hits, fmt.Sprintf("%s contains a run of a secret (%s…)", where, r[:3]))
				return
			}
		}
	}
	for _, o := range c.outputs {
		look(o.what, []byte(o.text))
	}
	for _, dir := range c.dirs {
		err = filepath.WalkDir(dir, func(path string, d fs.DirEntry, err error) error {
			if err != nil {
				if os.IsNotExist(err) {
					return nil
				}
				return err
			}
			look("the name "+path, []byte(path))
			if !d.Type().IsRegular() {
				return nil
			}
			data, err := os.ReadFile(path)
			if err != nil {
				// A scenario may leave a file others cannot read on purpose; it still counts.
				return fmt.Errorf("cannot scan %s: %w", path, err)
			}
			look(path, data)
			if strings.HasSuffix(path, ".zip") {
				return scanZip(path, data, look)
			}
			return nil
		})
		if err != nil {
			return hits, scanned, err
		}
	}
	return hits, scanned, nil
}

// scanZip looks inside every file of a bundle's zip.
func scanZip(path string, data []byte, look func(string, []byte)) error {
	zr, err := zip.NewReader(bytes.NewReader(data), int64(len(data)))
	if err != nil {
		return fmt.Errorf("%s is not a zip: %w", path, err)
	}
	for _, f := range zr.File {
		rc, err := f.Open()
		if err != nil {
			return err
		}
		b, err := io.ReadAll(rc)
		rc.Close()
		if err != nil {
			return err
		}
		look(path+"!"+f.Name, b)
	}
	return nil
}

func keyringSet(service, user, secret string) error { return keyring.Set(service, user, secret) }
func keyringGet(service, user string) (string, error) {
	return keyring.Get(service, user)
}
