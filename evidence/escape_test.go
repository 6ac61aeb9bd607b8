package evidence

import (
	"bytes"
	"encoding/csv"
	"encoding/json"
	"strings"
	"testing"
)

// The bidi overrides and C1 controls that encoding/json leaves raw reach neither JSON nor CSV
// output raw: they are written as visible \uXXXX escapes, and JSON still decodes to the data.
func TestInvisibleCharactersAreEscapedInMachineOutput(t *testing.T) {
	name := "invoice\u202efdp.exe\u009b31m\u2066x\u2069 café ✓"
	raw := []string{"\u202e", "\u009b", "\u2066", "\u2069"}

	var lines bytes.Buffer
	if err := WriteJSONLines(&lines, []string{"name"}, [][]string{{name}}); err != nil {
		t.Fatal(err)
	}
	var csvOut bytes.Buffer
	if err := WriteCSV(&csvOut, []string{"name"}, [][]string{{name}}); err != nil {
		t.Fatal(err)
	}
	indented, _ := json.MarshalIndent(map[string]string{"name": name}, "", "  ")
	for where, out := range map[string]string{"JSON lines": lines.String(), "CSV": csvOut.String(),
		"EscapeJSON": string(EscapeJSON(indented))} {
		for _, r := range raw {
			if strings.Contains(out, r) {
				t.Errorf("%s: %U is written raw: %q", where, []rune(r)[0], out)
			}
		}
		if !strings.Contains(out, `\u202e`) || !strings.Contains(out, `\u009b`) || !strings.Contains(out, "café ✓") {
			t.Errorf("%s: the escapes are not visible, or ordinary text changed: %q", where, out)
		}
	}

	var row map[string]string
	if err := json.Unmarshal(lines.Bytes(), &row); err != nil || row["name"] != name {
		t.Errorf("JSON lines decode to %q (%v); want the original data", row["name"], err)
	}
	var back map[string]string
	if err := json.Unmarshal(EscapeJSON(indented), &back); err != nil || back["name"] != name {
		t.Errorf("escaped JSON decodes to %q (%v)", back["name"], err)
	}
	cells, _ := csv.NewReader(&csvOut).ReadAll()
	if want := `invoice\u202efdp.exe\u009b31m\u2066x\u2069 café ✓`; cells[1][0] != want {
		t.Errorf("CSV cell = %q; want %q", cells[1][0], want)
	}
	if got := EscapeJSON([]byte(`{"a":"plain"}`)); string(got) != `{"a":"plain"}` {
		t.Errorf("plain JSON changed: %s", got)
	}
}

// The gate's JSON (evidence check --output json) goes through the same escaper.
func TestGateJSONEscapesInvisibleCharacters(t *testing.T) {
	var b bytes.Buffer
	g := GateResult{NotEvaluated: []string{"host\u202egpj.exe"}}
	if err := g.WriteJSON(&b); err != nil {
		t.Fatal(err)
	}
	var back GateResult
	if strings.Contains(b.String(), "\u202e") || !strings.Contains(b.String(), `\u202e`) ||
		json.Unmarshal(b.Bytes(), &back) != nil || back.NotEvaluated[0] != g.NotEvaluated[0] {
		t.Fatalf("gate JSON: %s", b.String())
	}
}
