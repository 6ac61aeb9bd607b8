package jctest

import (
	"encoding/json"
	"net/http"
	"net/url"
	"strconv"
	"strings"
)

// Page size limits (reference §10.1): default 10 everywhere, at most 100, System Insights at
// most 10000. What JumpCloud does with a larger limit (clamp or 400) is UNCONFIRMED; jctest
// answers 400 so a client that oversteps is caught by its tests.
const (
	defaultLimit     = 10
	maxLimit         = 100
	maxInsightsLimit = 10000
)

type page struct {
	limit, skip int
	reverse     bool     // sort=-_id
	fields      []string // requested fields (v1 space-separated, v2 comma-separated)
}

// parsePage reads limit, skip, sort and fields. On a bad value it writes a 400 and returns false.
func parsePage(w http.ResponseWriter, q url.Values, max int) (page, bool) {
	p := page{limit: defaultLimit}
	if v := q.Get("limit"); v != "" {
		n, err := strconv.Atoi(v)
		if err != nil || n < 0 {
			writeError(w, http.StatusBadRequest, "Bad Request: limit must be a non-negative integer", errBadRequest)
			return p, false
		}
		if n > max {
			writeError(w, http.StatusBadRequest, "Bad Request: limit must be at most "+strconv.Itoa(max), errBadRequest)
			return p, false
		}
		if n > 0 {
			p.limit = n // 0 means the default, like an absent limit
		}
	}
	if v := q.Get("skip"); v != "" {
		n, err := strconv.Atoi(v)
		if err != nil || n < 0 {
			writeError(w, http.StatusBadRequest, "Bad Request: skip must be a non-negative integer", errBadRequest)
			return p, false
		}
		p.skip = n
	}
	// Objects are stored in id order, so sort=_id (or id) is the natural order and -_id reverses
	// it. Other sort keys are accepted and served in id order (stable, so paging stays correct).
	for _, key := range strings.FieldsFunc(q.Get("sort"), func(r rune) bool { return r == ',' || r == ' ' }) {
		if key == "-_id" || key == "-id" {
			p.reverse = true
		}
	}
	p.fields = append(p.fields, strings.FieldsFunc(q.Get("fields"), func(r rune) bool { return r == ',' || r == ' ' })...)
	return p, true
}

// window returns the indexes of the objects on this page of a list of n.
func (p page) window(n int) []int {
	if p.skip >= n {
		return nil
	}
	end := min(p.skip+p.limit, n)
	idx := make([]int, 0, end-p.skip)
	for i := p.skip; i < end; i++ {
		if p.reverse {
			idx = append(idx, n-1-i)
		} else {
			idx = append(idx, i)
		}
	}
	return idx
}

// render builds one page by calling at for each index, projected to the requested fields.
func (p page) render(n int, at func(i int) any) []any {
	out := make([]any, 0, min(p.limit, max(n-p.skip, 0)))
	for _, i := range p.window(n) {
		out = append(out, project(at(i), p.fields))
	}
	return out
}

// project keeps only the requested fields (plus the ids, which JumpCloud always returns).
func project(v any, fields []string) any {
	if len(fields) == 0 {
		return v
	}
	b, err := json.Marshal(v)
	if err != nil {
		return v
	}
	var all map[string]json.RawMessage
	if json.Unmarshal(b, &all) != nil {
		return v
	}
	keep := map[string]json.RawMessage{}
	for _, f := range append([]string{"_id", "id"}, fields...) {
		if raw, ok := all[f]; ok {
			keep[f] = raw
		}
	}
	return keep
}

func writeJSON(w http.ResponseWriter, status int, v any) {
	b, err := json.Marshal(v)
	if err != nil {
		writeError(w, http.StatusInternalServerError, "Internal Server Error: "+err.Error(), errInternalError)
		return
	}
	w.Header().Set("Content-Type", "application/json; charset=utf-8")
	w.Header().Set("Content-Length", strconv.Itoa(len(b)))
	w.WriteHeader(status)
	send(w, b)
}

// writeError writes JumpCloud's error body {"message": ..., "error": ...}.
func writeError(w http.ResponseWriter, status int, message, errText string) {
	writeJSON(w, status, struct {
		Message string `json:"message"`
		Error   string `json:"error"`
	}{message, errText})
}

// writeV1 writes a v1 list: {"totalCount": n, "results": [...]}.
func writeV1(w http.ResponseWriter, total int, results []any) {
	writeJSON(w, http.StatusOK, v1List{TotalCount: total, Results: results})
}

// writeV2 writes a v2 list: a bare array, with x-total-count when withTotal.
func writeV2(w http.ResponseWriter, total int, results []any, withTotal bool) {
	if withTotal {
		w.Header().Set("x-total-count", strconv.Itoa(total))
	}
	writeJSON(w, http.StatusOK, results)
}
