package evidence

import (
	"strings"

	"jcconnect/jumpcloud"
)

// distrustUnparsed makes Unknown every decided result (pass, fail or not applicable) that rests on a field JumpCloud sent in a
// shape jcconnect could not read: that field holds its zero value (a suspended user would read
// as not suspended), not what JumpCloud said. Results name their inputs by field path
// (Evidence.Name), the same paths UnparsedField uses. It reports whether anything changed.
func distrustUnparsed(results []Result, fields []jumpcloud.UnparsedField) bool {
	changed := false
	for i := range results {
		r := &results[i]
		if r.Status == Unknown {
			continue
		}
		for _, f := range fields {
			if restsOn(r.Evidence, f.Path) {
				r.Status = Unknown
				r.Reason = "JumpCloud sent " + f.Path + " as " + f.Raw + ", which jcconnect cannot read, so this cannot be decided"
				r.Evidence = append(r.Evidence, Evidence{Name: f.Path, Value: "unparsed: " + f.Raw})
				changed = true
				break
			}
		}
	}
	return changed
}

// restsOn reports whether evidence names path, a field inside it or the object holding it.
func restsOn(evidence []Evidence, path string) bool {
	for _, e := range evidence {
		if e.Name == path || strings.HasPrefix(path, e.Name+".") || strings.HasPrefix(e.Name, path+".") {
			return true
		}
	}
	return false
}
