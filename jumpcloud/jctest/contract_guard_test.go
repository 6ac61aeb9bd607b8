//go:build !speccontract

package jctest_test

import (
	"os"
	"testing"
)

// The contract test (contract_test.go) needs github.com/getkin/kin-openapi, whose own
// dependencies (go-openapi/jsonpointer, go-openapi/swag/jsonname, santhosh-tekuri/jsonschema/v6,
// go.yaml.in/yaml/v4) are not yet in go.mod/go.sum, so it is behind the speccontract build tag
// until they are. This guard keeps that from passing silently: CI (JCCONNECT_REQUIRE_SPEC=1)
// fails here, anywhere else it skips with the fix.
const contractDisabled = "the spec contract test is built only with -tags speccontract until go.mod lists kin-openapi's dependencies: " +
	"run `go get github.com/getkin/kin-openapi/openapi3filter@v0.153.0 github.com/getkin/kin-openapi/openapi2conv@v0.153.0 github.com/getkin/kin-openapi/routers/legacy@v0.153.0` (adds 4 indirect requirements), then `go test -tags speccontract ./jumpcloud/jctest` " +
	"(or drop the build tags from contract_test.go and delete contract_guard_test.go)"

func TestSpecContractIsBuilt(t *testing.T) {
	if os.Getenv("JCCONNECT_REQUIRE_SPEC") == "1" {
		t.Fatal(contractDisabled)
	}
	t.Skip(contractDisabled)
}
