//go:build linux

package e2e

import (
	"archive/zip"
	"os"
	"path/filepath"
	"strings"
	"testing"
)

// The canary itself: it finds an 8-character run of a secret in an output, a file and a file
// inside a zip, never repeats the secret in its report, and finds nothing in clean text.
func TestCanaryFindsEveryRun(t *testing.T) {
	secret := "jca_Q7w3Zk1PmN8sVt2RbX5yLc9HdF4gJe6KaU0o"
	dir := t.TempDir()
	c := &canary{}
	c.addSecret(secret)
	c.addDir(dir)
	c.addOutput("clean", "key jca_…KaU0o, fingerprint 3f2a9c1b7e4d", "")
	if hits, _, err := c.scan(); err != nil || len(hits) != 0 {
		t.Fatalf("clean text: %v %v", hits, err)
	}

	c.addOutput("leak", "debug: "+secret[17:25], "")
	os.WriteFile(filepath.Join(dir, "profiles.json"), []byte(`{"note":"`+secret[30:38]+`"}`), 0o600)
	f, _ := os.Create(filepath.Join(dir, "bundle.zip"))
	zw := zip.NewWriter(f)
	w, _ := zw.Create("raw/devices.json")
	w.Write([]byte(secret[4:12]))
	zw.Close()
	f.Close()

	hits, _, err := c.scan()
	if err != nil || len(hits) != 3 || !strings.Contains(strings.Join(hits, "\n"), "bundle.zip!raw/devices.json") {
		t.Fatalf("hits %q (%v); want the output, the file and the file in the zip", hits, err)
	}
	for _, h := range hits {
		for i := 0; i+canaryRun <= len(secret); i++ {
			if strings.Contains(h, secret[i:i+canaryRun]) {
				t.Fatalf("a hit repeats the secret: %q", h)
			}
		}
	}
}
