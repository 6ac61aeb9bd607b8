package jctest

import (
	"encoding/json"
	"fmt"
	"net/http"
	"slices"
	"strings"
)

// filterInsights applies System Insights filters (reference §8): filter=<field>:eq:<value> or
// filter=<field>:in:<v1>|<v2>, on system_id or the table's own filter field; several filters AND.
// Anything else is a 400, as the spec allows only those.
func filterInsights(w http.ResponseWriter, o *orgData, table string, filters []string) ([]insightRef, bool) {
	refs := o.insights[table]
	for _, f := range filters {
		parts := strings.SplitN(f, ":", 3)
		if len(parts) != 3 || (parts[1] != "eq" && parts[1] != "in") {
			writeError(w, http.StatusBadRequest, fmt.Sprintf("Bad Request: invalid filter %q: use <field>:eq:<value> or <field>:in:<a>|<b>", f), errBadRequest)
			return nil, false
		}
		field, values := parts[0], []string{parts[2]}
		if parts[1] == "in" {
			values = strings.Split(parts[2], "|")
		}
		if field != "system_id" && !slices.Contains(insightTables[table].filters, field) {
			writeError(w, http.StatusBadRequest, fmt.Sprintf("Bad Request: filter field %q is not allowed on %s", field, table), errBadRequest)
			return nil, false
		}
		var kept []insightRef
		for _, ref := range refs {
			var got string
			if field == "system_id" {
				got = o.systemID(int(ref.dev))
			} else {
				got = fmt.Sprint(rowColumns(o.insightRow(table, ref))[field])
			}
			if slices.Contains(values, got) {
				kept = append(kept, ref)
			}
		}
		refs = kept
	}
	return refs, true
}

// rowColumns turns a typed row into its JSON columns (only for filtering on a non-id field).
func rowColumns(row any) map[string]any {
	// Rows are our own structs: they always marshal, and back into a map. A nil map (no
	// columns) makes a filter match nothing, which a test would notice.
	b, err := json.Marshal(row)
	if err != nil {
		return nil
	}
	var m map[string]any
	if err := json.Unmarshal(b, &m); err != nil {
		return nil
	}
	return m
}
