package jumpcloud

import (
	"bytes"
	"encoding/json"
	"errors"
	"reflect"
	"strconv"
	"strings"
	"sync"
	"time"
)

// Lenient per field, strict per record.
//
// JumpCloud's published specs allow many shapes the client's types do not expect (a `created`
// that is any string, a date that is "", a number sent as a string by an older agent). One odd
// field must not cost the auditor the whole page, so a record that does not decode in one pass is
// decoded again field by field: every field that will not parse is left at its zero value (a
// nested object that held it becomes nil, "unknown") and recorded on the record as an
// UnparsedField, which the detail panes and the raw export show. A record that is not a JSON
// object at all cannot be read and is an error naming where it was (see shapeError): it is never
// skipped.

// UnparsedField is one field of a record that JumpCloud sent in a shape the client cannot read.
// Its value in the record is the zero value (or nil: unknown), never a guess.
type UnparsedField struct {
	Path string `json:"path"` // within the record, e.g. "mfa.exclusionUntil"
	Raw  string `json:"raw"`  // the value as JSON text, cut at maxUnparsedRaw bytes
}

// maxUnparsedRaw bounds what one unparsed value keeps: enough to see what it was, not a copy of
// a large object that took the place of a string.
const maxUnparsedRaw = 200

// shapeError is valid JSON where a record or a list of them belongs, in a shape the client cannot
// read at all. Path says where ("results[3]"); the client turns it into a KindShape *Error.
type shapeError struct {
	path string
	got  string // "a string", "a list", ...
	want string // "a record (a JSON object)"
}

func (e *shapeError) Error() string {
	where := e.path
	if where == "" {
		where = "the top level"
	}
	return "at " + where + ": " + e.got + " where " + e.want + " belongs"
}

// at prefixes the error's path with the position of the value that held it.
func (e *shapeError) at(prefix string) *shapeError {
	out := *e
	out.path = joinPath(prefix, e.path)
	return &out
}

const wantRecord = "a record (a JSON object)"

// jsonKind names the kind of JSON value b starts with, for messages.
func jsonKind(b []byte) string {
	b = bytes.TrimLeft(b, " \t\r\n")
	if len(b) == 0 {
		return "nothing"
	}
	switch b[0] {
	case '{':
		return "an object"
	case '[':
		return "a list"
	case '"':
		return "a string"
	case 't', 'f':
		return "a boolean"
	case 'n':
		return "null"
	}
	return "a number"
}

// decodeRecord decodes one record. b must be a JSON object; aux points to a struct (without
// UnmarshalJSON of its own) that holds the record's fields, possibly through an embedded pointer,
// plus "_id" when the record has one. The one-pass decode is tried first; when it fails, the
// record is decoded field by field and what would not parse is appended to *unparsed. When
// underscoreID is set, *id takes it ("_id" wins over "id" on v1 objects).
func decodeRecord(b []byte, aux any, id, underscoreID *string, unparsed *[]UnparsedField) error {
	if k := jsonKind(b); k != "an object" {
		return &shapeError{got: k, want: wantRecord}
	}
	if err := json.Unmarshal(b, aux); err != nil {
		var syn *json.SyntaxError
		if errors.As(err, &syn) {
			return err
		}
		un := decodeFields(b, aux)
		*unparsed = append(*unparsed, un...)
	}
	if underscoreID != nil && *underscoreID != "" {
		*id = *underscoreID
	}
	return nil
}

// decodeFields decodes the JSON object b into the struct v points to, field by field, and returns
// the fields that would not parse. Every field of the struct is reset first, so nothing of an
// earlier, failed one-pass decode remains.
func decodeFields(b []byte, v any) []UnparsedField {
	var un []UnparsedField
	decodeValue(b, reflect.ValueOf(v).Elem(), "", &un)
	return un
}

var (
	timeType        = reflect.TypeFor[time.Time]()
	unmarshalerType = reflect.TypeFor[json.Unmarshaler]()
)

// decodeValue decodes raw into v, recording what will not parse under path. It reports whether
// everything under v parsed.
func decodeValue(raw []byte, v reflect.Value, path string, un *[]UnparsedField) bool {
	t := v.Type()
	if string(raw) == "null" {
		v.SetZero()
		return true
	}
	if isEmptyDate(raw, t) {
		// An unset date ("" for never): absent, not unparsed.
		v.SetZero()
		return true
	}
	switch {
	case t.Kind() == reflect.Pointer:
		elem := reflect.New(t.Elem())
		if !decodeValue(raw, elem.Elem(), path, un) {
			// Partly known is worse than unknown: a nested object with a field that did not
			// parse is nil, so checks treat it as "the API did not say".
			v.SetZero()
			return false
		}
		v.Set(elem)
		return true
	case t != timeType && t.Kind() == reflect.Struct && !reflect.PointerTo(t).Implements(unmarshalerType):
		if jsonKind(raw) != "an object" {
			v.SetZero()
			*un = append(*un, unparsedField(path, raw))
			return false
		}
		var m map[string]json.RawMessage
		if json.Unmarshal(raw, &m) != nil {
			v.SetZero()
			*un = append(*un, unparsedField(path, raw))
			return false
		}
		return decodeStruct(m, v, path, un)
	}
	// A leaf, or a type with its own (lenient) UnmarshalJSON.
	if err := json.Unmarshal(raw, v.Addr().Interface()); err != nil {
		v.SetZero()
		*un = append(*un, unparsedField(path, raw))
		return false
	}
	return true
}

// decodeStruct decodes the members of one JSON object into the fields of struct v, as
// encoding/json matches them (the json tag, else the field name; exact match first, then any
// case), descending into embedded structs.
func decodeStruct(m map[string]json.RawMessage, v reflect.Value, path string, un *[]UnparsedField) bool {
	ok := true
	for _, f := range structFields(v.Type()) {
		fv := v.Field(f.index)
		if f.embedded {
			if fv.Kind() == reflect.Pointer {
				if fv.IsNil() {
					fv.Set(reflect.New(fv.Type().Elem()))
				}
				fv = fv.Elem()
			}
			ok = decodeStruct(m, fv, path, un) && ok
			continue
		}
		fv.SetZero()
		raw, found := m[f.name]
		if !found {
			for k, r := range m {
				if strings.EqualFold(k, f.name) {
					raw, found = r, true
					break
				}
			}
		}
		if found {
			ok = decodeValue(raw, fv, joinPath(path, f.name), un) && ok
		}
	}
	return ok
}

type fieldInfo struct {
	index    int
	name     string
	embedded bool // an embedded struct (or pointer to one) whose fields are promoted
}

var fieldCache sync.Map // reflect.Type -> []fieldInfo

// structFields lists the JSON-visible fields of a struct type.
func structFields(t reflect.Type) []fieldInfo {
	if fs, ok := fieldCache.Load(t); ok {
		return fs.([]fieldInfo)
	}
	var fs []fieldInfo
	for i := range t.NumField() {
		sf := t.Field(i)
		tag := sf.Tag.Get("json")
		if tag == "-" {
			continue
		}
		name, _, _ := strings.Cut(tag, ",")
		ft := sf.Type
		if ft.Kind() == reflect.Pointer {
			ft = ft.Elem()
		}
		if sf.Anonymous && name == "" && ft.Kind() == reflect.Struct {
			fs = append(fs, fieldInfo{index: i, embedded: true})
			continue
		}
		if !sf.IsExported() {
			continue
		}
		if name == "" {
			name = sf.Name
		}
		fs = append(fs, fieldInfo{index: i, name: name})
	}
	fieldCache.Store(t, fs)
	return fs
}

// isEmptyDate reports whether raw is "" for a date (time.Time or *time.Time).
func isEmptyDate(raw []byte, t reflect.Type) bool {
	if t.Kind() == reflect.Pointer {
		t = t.Elem()
	}
	return t == timeType && string(raw) == `""`
}

func unparsedField(path string, raw []byte) UnparsedField {
	r := string(bytes.TrimSpace(raw))
	if len(r) > maxUnparsedRaw {
		r = strings.ToValidUTF8(r[:maxUnparsedRaw], "") + "…"
	}
	return UnparsedField{Path: path, Raw: r}
}

func joinPath(prefix, name string) string {
	switch {
	case prefix == "":
		return name
	case name == "":
		return prefix
	case strings.HasPrefix(name, "["):
		return prefix + name
	}
	return prefix + "." + name
}

// indexPath is "results[3]" (or "[3]" for a bare array).
func indexPath(list string, i int) string { return list + "[" + strconv.Itoa(i) + "]" }
