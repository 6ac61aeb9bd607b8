package jumpcloud

import (
	"bytes"
	"encoding/json"
	"errors"
	"io"
	"strconv"
	"strings"
)

// decodeOne decodes a single JSON object answer into v.
func (c *Client) decodeOne(resp *response, rq request, v any) error {
	body := bytes.TrimSpace(resp.body())
	if len(body) == 0 || body[0] != '{' {
		if len(body) > 0 && json.Valid(body) {
			return c.shapeError(resp, rq, &shapeError{got: jsonKind(body), want: wantRecord})
		}
		return c.newError(KindNotJSON, resp.status, rq, nil, notJSONDetail(body))
	}
	if err := json.Unmarshal(body, v); err != nil {
		return c.jsonError(resp, rq, err)
	}
	return nil
}

// decodeList decodes one page of a list in either shape the API uses: a bare array (most of v2)
// or {"totalCount": n, "results": [...]} (v1 and a few v2 routes). total is the size of the
// whole list when the API said (body totalCount, else the x-total-count header), else -1.
//
// A list is decoded as a stream from the body's chunks, record by record, each chunk going back
// to the pool once decoded; anything else (null, an error page, a body that is not JSON) is
// joined and judged whole.
func decodeList[T any](c *Client, resp *response, rq request) (items []T, total int, err error) {
	return decodeListWith(c, resp, rq, decodeItems[T])
}

// decodeListWith is decodeList with the page's records decoded by decode.
func decodeListWith[T any](c *Client, resp *response, rq request, decode func(*pageBody) ([]T, int, error)) (items []T, total int, err error) {
	if resp.raw == nil || !startsList(resp.raw) {
		body := bytes.TrimSpace(resp.body())
		if string(body) == "null" {
			// What a Go backend writes for an empty (nil) list.
			return nil, headerTotal(resp), nil
		}
		if len(body) > 0 && json.Valid(body) {
			return nil, 0, c.shapeError(resp, rq, &shapeError{got: jsonKind(body), want: "a list of records"})
		}
		return nil, 0, c.newError(KindNotJSON, resp.status, rq, nil, notJSONDetail(body))
	}
	body := resp.raw
	resp.raw, resp.trimmed = nil, body.trimmedLen()
	defer body.release()
	items, total, err = decode(body)
	switch {
	case errors.Is(err, errNoResults):
		return nil, 0, c.shapeError(resp, rq, &shapeError{path: "results", got: "nothing", want: "the list of results"})
	case err != nil:
		return nil, 0, c.jsonError(resp, rq, err)
	}
	if total < 0 {
		total = headerTotal(resp)
	}
	if total < 0 || (total < len(items) && rq.query.Get("skip") == "0") {
		total = -1 // absent, or contradicted by the first page itself: do not trust it
	}
	return items, total, nil
}

var errNoResults = errors.New("no results list")

// startsList says whether the body holds an array or an object, the two shapes of a list.
func startsList(b *pageBody) bool {
	k := b.kindAt(0, "")
	return k == "an object" || k == "a list"
}

// recordDecoder decodes the one record that starts at dec's position. body is the page, for the
// rare record that has to be decoded again field by field from its own bytes.
type recordDecoder[T any] func(dec *json.Decoder, body *pageBody) (T, error)

// decodeShape decodes a bare array or a {totalCount, results} object into []T, one record at a
// time as the decoder reads the body: the page is never copied whole, its chunks go back to the
// pool as they are passed, and a record's position is known when it cannot be read. total is the
// body's totalCount, or -1. records says the elements must be JSON objects.
func decodeShape[T any](body *pageBody, one recordDecoder[T], records bool) (items []T, total int, err error) {
	dec := json.NewDecoder(body)
	tok, err := dec.Token()
	if err != nil {
		return nil, 0, err
	}
	total = -1
	if tok == json.Delim('[') {
		items, err = decodeArray(dec, body, "", one, records)
	} else {
		items, total, err = decodeWrapped(dec, body, one, records)
	}
	if err != nil {
		return nil, 0, err
	}
	if _, err := dec.Token(); err != io.EOF {
		return nil, 0, &json.SyntaxError{Offset: dec.InputOffset()} // data after the JSON value
	}
	return items, total, nil
}

// decodeWrapped reads the members of {"totalCount": n, "results": [...]} after its '{'.
func decodeWrapped[T any](dec *json.Decoder, body *pageBody, one recordDecoder[T], records bool) (items []T, total int, err error) {
	total = -1
	sawResults := false
	for dec.More() {
		tok, err := dec.Token()
		if err != nil {
			return nil, 0, err
		}
		key, _ := tok.(string)
		switch {
		case strings.EqualFold(key, "results"):
			sawResults = true
			// The offset is just after the key: the ':' is still ahead.
			switch k := body.kindAt(dec.InputOffset(), ":"); k {
			case "null":
				var skip json.RawMessage
				if err := dec.Decode(&skip); err != nil {
					return nil, 0, err
				}
				items = nil
			case "a list":
				if _, err := dec.Token(); err != nil {
					return nil, 0, err
				}
				if items, err = decodeArray(dec, body, "results", one, records); err != nil {
					return nil, 0, err
				}
			default:
				return nil, 0, &shapeError{path: "results", got: k, want: "a list"}
			}
		case strings.EqualFold(key, "totalCount"):
			var raw json.RawMessage
			if err := dec.Decode(&raw); err != nil {
				return nil, 0, err
			}
			if total, err = countValue(raw); err != nil {
				return nil, 0, err
			}
		default:
			var skip json.RawMessage
			if err := dec.Decode(&skip); err != nil {
				return nil, 0, err
			}
		}
	}
	if _, err := dec.Token(); err != nil { // the closing '}'
		return nil, 0, err
	}
	if !sawResults {
		return nil, 0, errNoResults
	}
	return items, total, nil
}

// countValue reads totalCount: a whole number (or one in a string), null meaning unknown (-1).
func countValue(raw json.RawMessage) (int, error) {
	s := strings.Trim(string(raw), `"`)
	if string(raw) == "null" {
		return -1, nil
	}
	if f, err := strconv.ParseFloat(s, 64); err == nil && f == float64(int(f)) {
		return int(f), nil
	}
	return 0, &shapeError{path: "totalCount", got: jsonKind(raw) + " " + unparsedField("", raw).Raw, want: "a count"}
}

// decodeArray reads the elements of an array after its '[', and the ']'. list names the array in
// errors ("results", or "" for a bare array).
func decodeArray[T any](dec *json.Decoder, body *pageBody, list string, one recordDecoder[T], records bool) ([]T, error) {
	var out []T
	for i := 0; dec.More(); i++ {
		body.releaseBefore(dec.InputOffset()) // the records before this one are decoded
		if records {
			if k := body.kindAt(dec.InputOffset(), ","); k != "an object" {
				return nil, &shapeError{path: indexPath(list, i), got: k, want: wantRecord}
			}
		}
		v, err := one(dec, body)
		if err != nil {
			var se *shapeError
			if errors.As(err, &se) {
				return nil, se.at(indexPath(list, i))
			}
			return nil, err
		}
		out = append(out, v)
	}
	if _, err := dec.Token(); err != nil { // the closing ']'
		return nil, err
	}
	return out, nil
}

// plainRecord decodes a record through its own (lenient) UnmarshalJSON.
func plainRecord[T any](dec *json.Decoder, _ *pageBody) (T, error) {
	var v T
	err := dec.Decode(&v)
	return v, err
}

// viaWire decodes a record into W, a copy of T's fields without UnmarshalJSON, which
// encoding/json reads in one pass; when that fails on a field (not on the JSON itself), the
// record's bytes, copied from the page's chunks by the decoder's offsets (none before the record
// has been released), are decoded again by T's lenient UnmarshalJSON.
func viaWire[W, T any](toT func(*W) T) recordDecoder[T] {
	return func(dec *json.Decoder, body *pageBody) (T, error) {
		start := dec.InputOffset()
		var w W
		err := dec.Decode(&w)
		if err == nil {
			return toT(&w), nil
		}
		var t T
		if isSyntaxError(err) {
			return t, err
		}
		raw := bytes.TrimLeft(body.slice(start, dec.InputOffset()), " \t\r\n,")
		err = json.Unmarshal(raw, &t)
		return t, err
	}
}

func isSyntaxError(err error) bool {
	var syn *json.SyntaxError
	return errors.As(err, &syn) || errors.Is(err, io.ErrUnexpectedEOF) || errors.Is(err, io.EOF)
}

// headerTotal reads x-total-count, or -1.
func headerTotal(resp *response) int {
	v := strings.TrimSpace(resp.header.Get("x-total-count"))
	if v == "" {
		return -1
	}
	n, err := strconv.Atoi(v)
	if err != nil || n < 0 {
		return -1
	}
	return n
}

// jsonError classifies a decoding failure: a body that is not JSON or was cut off is
// KindNotJSON (transport-level garbage); valid JSON the client cannot read is KindShape, naming
// where. encoding/json messages name types and offsets, never body content.
func (c *Client) jsonError(resp *response, rq request, err error) error {
	var syn *json.SyntaxError
	var typ *json.UnmarshalTypeError
	var shape *shapeError
	switch {
	case errors.As(err, &shape):
		return c.shapeError(resp, rq, shape)
	case errors.As(err, &typ):
		return c.shapeError(resp, rq, &shapeError{path: typ.Field, got: "a " + typ.Value, want: "a value of type " + typ.Type.String()})
	case errors.As(err, &syn) && syn.Offset >= resp.trimmedLen(),
		errors.Is(err, io.ErrUnexpectedEOF), strings.Contains(err.Error(), "unexpected end of JSON input"):
		return c.newError(KindNotJSON, resp.status, rq, err, "the body was cut off")
	}
	return c.newError(KindNotJSON, resp.status, rq, err, "not valid JSON")
}

// shapeError is KindShape: JumpCloud answered valid JSON in a shape the client cannot read.
func (c *Client) shapeError(resp *response, rq request, se *shapeError) error {
	return c.newError(KindShape, resp.status, rq, se, se.Error())
}

// notJSONDetail says what the body looked like instead of JSON.
func notJSONDetail(body []byte) string {
	switch {
	case len(body) == 0:
		return "an empty body"
	case body[0] == '<':
		if t := sanitizeText(htmlTitleOrText(string(body)), 80); t != "" {
			return "an HTML page titled " + strconv.Quote(t)
		}
		return "an HTML page"
	}
	return "a body that is not JSON"
}
