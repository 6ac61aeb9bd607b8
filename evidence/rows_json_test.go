package evidence

import (
	"bytes"
	"encoding/json"
	"testing"
)

// rowJSONByMarshal is the JSON line RowWriter wrote before its plain-text shortcut: every cell
// through json.Marshal and EscapeJSON.
func rowJSONByMarshal(header, row []string) []byte {
	var b bytes.Buffer
	b.WriteByte('{')
	for i, col := range header {
		if i > 0 {
			b.WriteByte(',')
		}
		k, _ := json.Marshal(col)
		v, _ := json.Marshal(row[i])
		b.Write(k)
		b.WriteByte(':')
		b.Write(EscapeJSON(v))
	}
	b.WriteString("}\n")
	return b.Bytes()
}

// FuzzRowWriterJSONIsMarshal: a cell written through jumpcloud.AppendJSONString gives the bytes
// json.Marshal and EscapeJSON give, for any text: quotes, backslashes, HTML characters, controls,
// non-ASCII, the bidi and C1 characters EscapeJSON hides, invalid UTF-8.
func FuzzRowWriterJSONIsMarshal(f *testing.F) {
	for _, s := range []string{"", "pass", "macOS 14.8.2", `a"b`, `c:\d`, "<b>&", "tab\there", "line\nbreak",
		"\x7f", "café", "\u2028", "\u202e", "\u0085", "\xff\xfe", "ok ✓", "{}[]:,"} {
		f.Add(s, "ada.fischer")
	}
	f.Fuzz(func(t *testing.T, a, b string) {
		header := []string{"first", "second", "third"}
		row := []string{a, b, a + b}
		var got bytes.Buffer
		w, err := NewRowWriter(&got, header, true)
		if err != nil {
			t.Fatal(err)
		}
		if err := w.Write(row); err != nil {
			t.Fatal(err)
		}
		if want := rowJSONByMarshal(header, row); !bytes.Equal(got.Bytes(), want) {
			t.Errorf("cells %q %q:\n got %s\nwant %s", a, b, got.Bytes(), want)
		}
	})
}
