package jumpcloud

import (
	"bytes"
	"encoding/json"
	"errors"
	"strconv"
	"strings"
)

// decodeOne decodes a single JSON object answer into v.
func (c *Client) decodeOne(resp *response, rq request, v any) error {
	body := bytes.TrimSpace(resp.body)
	if len(body) == 0 || body[0] != '{' {
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
func decodeList[T any](c *Client, resp *response, rq request) (items []T, total int, err error) {
	body := bytes.TrimSpace(resp.body)
	if string(body) == "null" {
		// What a Go backend writes for an empty (nil) list.
		return nil, headerTotal(resp), nil
	}
	if len(body) == 0 || (body[0] != '[' && body[0] != '{') {
		return nil, 0, c.newError(KindNotJSON, resp.status, rq, nil, notJSONDetail(body))
	}
	items, total, err = decodeItems[T](body)
	switch {
	case errors.Is(err, errNoResults):
		return nil, 0, c.newError(KindNotJSON, resp.status, rq, nil, "a JSON object without the expected list of results")
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

// decodeShape decodes a bare array or a {totalCount, results} object into []W. total is the
// body's totalCount, or -1.
func decodeShape[W any](body []byte) (items []W, total int, err error) {
	if body[0] == '[' {
		err = json.Unmarshal(body, &items)
		return items, -1, err
	}
	var wrapped struct {
		TotalCount *int `json:"totalCount"`
		Results    *[]W `json:"results"`
	}
	if err := json.Unmarshal(body, &wrapped); err != nil {
		return nil, 0, err
	}
	if wrapped.Results == nil {
		// "results": null is an empty list (a Go backend's nil slice); no "results" at all means
		// this is not the list it should be.
		if !bytes.Contains(body, []byte(`"results"`)) {
			return nil, 0, errNoResults
		}
		wrapped.Results = new([]W)
	}
	total = -1
	if wrapped.TotalCount != nil {
		total = *wrapped.TotalCount
	}
	return *wrapped.Results, total, nil
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

// jsonError turns a decoding failure into KindNotJSON, saying whether the body was cut off or
// had an unexpected shape. encoding/json messages name types and offsets, never body content.
func (c *Client) jsonError(resp *response, rq request, err error) error {
	var syn *json.SyntaxError
	var typ *json.UnmarshalTypeError
	detail := "not valid JSON"
	switch {
	case errors.As(err, &syn) && syn.Offset >= int64(len(bytes.TrimSpace(resp.body))):
		detail = "the body was cut off"
	case strings.Contains(err.Error(), "unexpected end of JSON input"):
		detail = "the body was cut off"
	case errors.As(err, &typ):
		detail = "JSON of an unexpected shape: " + typ.Error()
	}
	return c.newError(KindNotJSON, resp.status, rq, err, detail)
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
