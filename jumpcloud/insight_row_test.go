package jumpcloud

import (
	"encoding/json"
	"reflect"
	"strconv"
	"strings"
	"testing"
)

// The compact row must read and write exactly what the map of decoded values it replaced did:
// the bundle writes rows back, and the checks read columns through String and Int. oldRow below
// is that map-based row, as it was.
func TestInsightRowMatchesTheDecodedMap(t *testing.T) {
	for _, doc := range insightRowDocs {
		rowMatchesTheDecodedMap(t, doc)
	}
}

var insightRowDocs = []string{
	`{"system_id":"s1","collection_time":"t","global_state":1,"version":"1.6"}`,
	`{"collection_time":"t","system_id":"s2","encrypted":"1","pct":"99.5","n":1.50,"big":12345678901234567890,"e":1e-7,"neg":-0}`,
	`{"system_id":"s3","name":"a<b>&c","uni":"caf\u00e9 \u2028 \ud83d\ude00","esc":"tab\there \"q\" \/","empty":""}`,
	`{"system_id":"s4","nested":{"z":1,"a":[1,"x",null,{"k":true}]},"nul":null,"flag":true,"off":false}`,
	`{"system_id":7,"collection_time":{"at":1},"unparsed":"a column of that name","zero":"007","sp":" 42 "}`,
	`{"system_id":null,"collection_time":"t","Alpha":1,"alpha":2,"_":3,"unparsed":[1]}`,
	`{ "system_id" : "s5" , "spaced" : [ 1 , 2 ] , "f" : 0.1 }`,
	// A repeated key counts once, the last time, as in a decoded map; keys with escapes or
	// bytes that are not UTF-8 are decoded as a map's keys are.
	`{"system_id":"old","a":1,"system_id":"new","a":"2","collection_time":"t","collection_time":null}`,
	`{"system_\u0069d":"s6","na\u006de":"x","k\"q":1,"caf\u00e9":2,"bad` + "\xff" + `":3}`,
	// Brackets, braces and quotes inside strings inside nested values.
	`{"system_id":"s7","x":["a]\"}",{"y":"}","z":[[],{}]}],"o":{"\"":"]"},"after":"ok"}`,
	"{\"system_id\":\"s8\",\"raw\":\"inv\xffalid\",\"tabs\":\t\r\n 5 \n}",
	`{"system_id":"s9","num":-12.50e+2,"i":123456789012345,"j":1234567890123456,"lead":0,"z":-0}`,
	`{}`,
	`{"system_id":"","collection_time":"","unparsed":null}`,
}

// FuzzInsightRow: for any JSON object, the compact row writes and reads what the map did.
//
//	go test ./jumpcloud -run '^$' -fuzz FuzzInsightRow -fuzztime 1m
func FuzzInsightRow(f *testing.F) {
	for _, doc := range insightRowDocs {
		f.Add(doc)
	}
	f.Fuzz(func(t *testing.T, doc string) {
		var all map[string]any
		if json.Unmarshal([]byte(doc), &all) != nil || all == nil {
			return // not an object: the pager refuses it before a row is made
		}
		rowMatchesTheDecodedMap(t, doc)
	})
}

func rowMatchesTheDecodedMap(t *testing.T, doc string) {
	t.Helper()
	var row InsightRow
	if err := json.Unmarshal([]byte(doc), &row); err != nil {
		t.Fatalf("%s: %v", doc, err)
	}
	var all map[string]any
	if err := json.Unmarshal([]byte(doc), &all); err != nil {
		t.Fatal(err)
	}
	old := oldRowFromMap(all)
	want, _ := old.marshal()
	got, err := row.MarshalJSON()
	if err != nil || string(got) != string(want) {
		t.Errorf("%s:\n got %s (%v)\nwant %s", doc, got, err, want)
	}
	if row.SystemID() != old.SystemID || row.CollectionTime() != old.CollectionTime {
		t.Errorf("%s: ids %q %q, want %q %q", doc, row.SystemID(), row.CollectionTime(), old.SystemID, old.CollectionTime)
	}
	if !reflect.DeepEqual(row.Unparsed(), old.Unparsed) {
		t.Errorf("%s: unparsed %v, want %v", doc, row.Unparsed(), old.Unparsed)
	}
	for k := range old.Columns {
		if got, want := row.String(k), old.String(k); got != want {
			t.Errorf("%s: String(%q) = %q, want %q", doc, k, got, want)
		}
		gotN, gotOK := row.Int(k)
		if wantN, wantOK := old.Int(k); gotN != wantN || gotOK != wantOK {
			t.Errorf("%s: Int(%q) = %d %v, want %d %v", doc, k, gotN, gotOK, wantN, wantOK)
		}
	}
	if row.String("absent") != "" || len(row.ColumnNames()) != len(old.Columns) {
		t.Errorf("%s: columns %v, want %d", doc, row.ColumnNames(), len(old.Columns))
	}
}

type oldRow struct {
	SystemID, CollectionTime string
	Columns                  map[string]any
	Unparsed                 []UnparsedField
}

func oldRowFromMap(all map[string]any) oldRow {
	var r oldRow
	for _, col := range []struct {
		name string
		into *string
	}{{"system_id", &r.SystemID}, {"collection_time", &r.CollectionTime}} {
		switch v := all[col.name].(type) {
		case string:
			*col.into = v
		case nil:
		default:
			raw, _ := json.Marshal(v)
			r.Unparsed = append(r.Unparsed, unparsedField(col.name, raw))
		}
		delete(all, col.name)
	}
	r.Columns = all
	return r
}

func (r oldRow) marshal() ([]byte, error) {
	all := make(map[string]any, len(r.Columns)+3)
	for k, v := range r.Columns {
		all[k] = v
	}
	all["system_id"] = r.SystemID
	all["collection_time"] = r.CollectionTime
	if len(r.Unparsed) > 0 {
		all["unparsed"] = r.Unparsed
	}
	return json.Marshal(all)
}

func (r oldRow) String(col string) string {
	switch v := r.Columns[col].(type) {
	case string:
		return v
	case float64:
		return strconv.FormatFloat(v, 'f', -1, 64)
	case bool:
		if v {
			return "true"
		}
		return "false"
	}
	return ""
}

func (r oldRow) Int(col string) (int64, bool) {
	switch v := r.Columns[col].(type) {
	case float64:
		return int64(v), true
	case string:
		if i, err := json.Number(strings.TrimSpace(v)).Int64(); err == nil {
			return i, true
		}
	case bool:
		if v {
			return 1, true
		}
		return 0, true
	}
	return 0, false
}

// NewInsightRow (the sandbox's and the tests' way to build a row) gives the row decoding does.
func TestNewInsightRowEqualsDecoded(t *testing.T) {
	doc := `{"system_id":"s","collection_time":"t","a":"x<y","n":2.5,"b":true,"z":null}`
	var decoded InsightRow
	if err := json.Unmarshal([]byte(doc), &decoded); err != nil {
		t.Fatal(err)
	}
	built := NewInsightRow("s", "t", map[string]any{"a": "x<y", "n": 2.5, "b": true, "z": nil})
	a, _ := decoded.MarshalJSON()
	b, _ := built.MarshalJSON()
	if string(a) != string(b) {
		t.Errorf("built %s, decoded %s", b, a)
	}
}

// Comparing two rows of one device by their content (a snapshot sorts a device's several
// BitLocker volumes or managed policies so) allocates nothing: it ran for every such pair.
func TestCompareInsightRowsAllocatesNothing(t *testing.T) {
	st := newInsightStore(nil, nil)
	a := st.row([]byte(`{"system_id":"s1","collection_time":"t","drive":"C:","state":1,"name":"a<b"}`))
	b := st.row([]byte(`{"system_id":"s1","collection_time":"t","drive":"D:","state":0,"name":"a<b"}`))
	if CompareInsightRows(a, b) >= 0 || CompareInsightRows(b, a) <= 0 {
		t.Fatal("C: must come before D:")
	}
	if n := testing.AllocsPerRun(100, func() { CompareInsightRows(a, b) }); n > 0 {
		t.Errorf("CompareInsightRows allocates %v times", n)
	}
}
