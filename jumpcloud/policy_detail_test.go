package jumpcloud

import (
	"encoding/json"
	"strings"
	"testing"
)

// PolicyWithDetails: values join their field by configFieldID; a value marked sensitive, on the
// value or on its field, loses its text while decoding; values that are not strings still read.
func TestPolicyDetailDecoding(t *testing.T) {
	body := `{"id":"p1","name":"Lock","template":{"name":"screen_lock_darwin"},
	  "configFields":[{"id":"f1","name":"idleTime"},{"id":"f2","name":"askForPassword"},{"id":"f3","name":"code","sensitive":true},{"id":"f4","name":"list"}],
	  "values":[{"configFieldID":"f1","value":600},{"configFieldID":"f2","value":true},
	            {"configFieldID":"f3","value":"s3cret-field"},{"configFieldID":"f9","value":"s3cret-value","sensitive":true},
	            {"configFieldID":"f4","value":["a","b"]}]}`
	var p PolicyDetail
	if err := json.Unmarshal([]byte(body), &p); err != nil {
		t.Fatal(err)
	}
	for field, want := range map[string]string{"idleTime": "600", "askForPassword": "true", "list": `["a","b"]`} {
		if got, ok := p.Setting(field); !ok || got != want {
			t.Errorf("%s = %q %v, want %q", field, got, ok, want)
		}
	}
	if _, ok := p.Setting("code"); ok {
		t.Error("a sensitive field's value is readable")
	}
	out, _ := json.Marshal(p)
	if strings.Contains(string(out), "s3cret") {
		t.Fatalf("a sensitive value was kept: %s", out)
	}
	var back PolicyDetail
	if err := json.Unmarshal(out, &back); err != nil || len(back.Settings) != len(p.Settings) {
		t.Fatalf("the kept form does not read back: %v %+v", err, back)
	}
}
