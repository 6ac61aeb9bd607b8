// Package specgen generates random answers that JumpCloud's own published specs allow
// (../shared/jumpcloud-openapi/{v1,v2}.json) and serves them over HTTP, so the client's decoders
// are tested on JumpCloud's shapes and not only on jctest's. It is a test helper: only tests
// import it.
//
// The specs are read in place, never copied into the repository (DESIGN.md). Tests call
// LoadOrSkip: without the specs they skip, unless JCCONNECT_REQUIRE_SPEC=1 (set by .ci/run), in
// which case a missing spec is a failure.
package specgen

import (
	"encoding/json"
	"errors"
	"fmt"
	"os"
	"path/filepath"
	"regexp"
	"sync"
	"testing"

	"github.com/getkin/kin-openapi/openapi2"
	"github.com/getkin/kin-openapi/openapi2conv"
	"github.com/getkin/kin-openapi/openapi3"
)

// Specs are JumpCloud's v1 and v2 specs, converted to OpenAPI 3.
type Specs struct {
	V1, V2 *openapi3.T
}

// Doc returns the document a path belongs to: /api/v2/... is v2, the rest of /api is v1.
func (s *Specs) Doc(apiPath string) *openapi3.T {
	if len(apiPath) >= 8 && apiPath[:8] == "/api/v2/" {
		return s.V2
	}
	return s.V1
}

// Dir is where the specs are expected: shared/jumpcloud-openapi beside the repository (the
// folder holding go.mod), found from the working directory, which for a test is its package.
func Dir() string {
	dir, err := os.Getwd()
	if err != nil {
		return filepath.Join("..", "shared", "jumpcloud-openapi")
	}
	for d := dir; ; d = filepath.Dir(d) {
		if _, err := os.Stat(filepath.Join(d, "go.mod")); err == nil {
			return filepath.Join(filepath.Dir(d), "shared", "jumpcloud-openapi")
		}
		if filepath.Dir(d) == d {
			return filepath.Join("..", "shared", "jumpcloud-openapi")
		}
	}
}

// traitName matches the AutoRest names of shared parameters ("trait:limit:limit"); OpenAPI 3
// allows only [a-zA-Z0-9._-] in component names, so they are renamed before converting.
var traitName = regexp.MustCompile(`trait:([A-Za-z0-9_-]+):([A-Za-z0-9_-]+)`)

// Load reads and converts v1.json and v2.json from dir.
func Load(dir string) (*Specs, error) {
	var docs [2]*openapi3.T
	for i, name := range []string{"v1", "v2"} {
		raw, err := os.ReadFile(filepath.Join(dir, name+".json"))
		if err != nil {
			return nil, err
		}
		raw = traitName.ReplaceAll(raw, []byte("trait.$1.$2"))
		var doc2 openapi2.T
		if err := json.Unmarshal(raw, &doc2); err != nil {
			return nil, fmt.Errorf("%s.json: %w", name, err)
		}
		doc3, err := openapi2conv.ToV3(&doc2)
		if err != nil {
			return nil, fmt.Errorf("%s.json: converting to OpenAPI 3: %w", name, err)
		}
		docs[i] = doc3
	}
	return &Specs{V1: docs[0], V2: docs[1]}, nil
}

var loaded = sync.OnceValues(func() (*Specs, error) { return Load(Dir()) })

// LoadOrSkip loads the specs once per test binary. Without them the test is skipped, except
// under JCCONNECT_REQUIRE_SPEC=1 (CI), where it fails.
func LoadOrSkip(t testing.TB) *Specs {
	t.Helper()
	dir := Dir()
	if _, err := os.Stat(dir); errors.Is(err, os.ErrNotExist) {
		if os.Getenv("JCCONNECT_REQUIRE_SPEC") == "1" {
			t.Fatalf("JCCONNECT_REQUIRE_SPEC=1 but %s is missing: clone the shared folder beside the repo", dir)
		}
		t.Skipf("JumpCloud specs not found at %s (clone shared/ beside the repo to run the spec tests; CI sets JCCONNECT_REQUIRE_SPEC=1 so it cannot skip there)", dir)
	}
	s, err := loaded()
	if err != nil {
		t.Fatalf("loading the specs: %v", err)
	}
	return s
}
