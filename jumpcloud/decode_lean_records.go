package jumpcloud

import (
	"encoding/json"
	"strconv"
	"sync"
	"time"
)

// The lean decoders of single records: a record scanValue checked, walked member by member and
// read into its type as encoding/json reads it into the wire type (decode_wire.go). Any member
// they are not sure of makes them give up the page (ok false), and encoding/json decodes it.

// leanFields hands each member of obj whose key is one of names to set, by its index in names.
// ok is false for a key that is not plain ASCII (it may decode to, or fold to, a field's name),
// one that matches a name only by case (encoding/json would take it), or a field sent twice
// (encoding/json merges or overwrites: not worth copying).
func leanFields(obj []byte, names []string, set func(field int, val []byte) bool) bool {
	var seen uint64
	sc := newMemberScanner(obj)
	for {
		key, val, more := sc.next()
		if !more {
			return true
		}
		if !plainKey(key) {
			return false
		}
		name := key[1 : len(key)-1]
		f := -1
		for i, n := range names {
			if string(name) == n {
				f = i
				break
			}
		}
		if f < 0 {
			for _, n := range names {
				if asciiEqualFold(name, n) {
					return false
				}
			}
			continue
		}
		if seen&(1<<f) != 0 {
			return false
		}
		seen |= 1 << f
		if !set(f, val) {
			return false
		}
	}
}

// leanString reads a string field: null leaves it empty, as encoding/json does.
func leanString(v []byte) (string, bool) {
	switch {
	case string(v) == "null":
		return "", true
	case v[0] != '"':
		return "", false
	case plainString(v):
		return string(v[1 : len(v)-1]), true
	}
	var s string // escapes or bytes past ASCII: encoding/json's own unquoting
	return s, json.Unmarshal(v, &s) == nil
}

// plainString says whether a string literal holds neither escapes nor bytes past ASCII: it
// decodes to its bytes.
func plainString(v []byte) bool {
	for _, c := range v[1 : len(v)-1] {
		if c == '\\' || c >= 0x80 {
			return false
		}
	}
	return true
}

// sharedStrings gives one copy of the values a page repeats (policy ids, states, OS names)
// without making a string of the bytes each time: the last value of each field is remembered.
type sharedStrings struct {
	last [8]string
	ids  *StringPool // device ids (nil: each its own)
}

// StringPool keeps one copy of each string that records of a collection repeat (a device's id in
// every policy's statuses), found from a record's bytes without making a string of them first.
// It is safe for concurrent use.
type StringPool struct {
	mu sync.Mutex
	m  map[string]string
}

func NewStringPool() *StringPool { return &StringPool{m: map[string]string{}} }

// bytes is the pool's copy of string(b).
func (p *StringPool) bytes(b []byte) string {
	p.mu.Lock()
	defer p.mu.Unlock()
	s, ok := p.m[string(b)] // no copy to look up
	if !ok {
		s = string(b)
		p.m[s] = s
	}
	return s
}

// string is the pool's copy of s.
func (p *StringPool) string(s string) string {
	p.mu.Lock()
	defer p.mu.Unlock()
	if c, ok := p.m[s]; ok {
		return c
	}
	p.m[s] = s
	return s
}

// id reads a device id field into ids, when there is one.
func (s *sharedStrings) id(v []byte) (string, bool) {
	if s.ids == nil {
		return leanString(v)
	}
	if len(v) >= 2 && v[0] == '"' && plainString(v) {
		return s.ids.bytes(v[1 : len(v)-1]), true
	}
	str, ok := leanString(v)
	return s.ids.string(str), ok
}

// get is leanString shared through slot i (share: one copy per process, see share.go).
func (s *sharedStrings) get(i int, v []byte) (string, bool) {
	if len(v) >= 2 && v[0] == '"' && string(v[1:len(v)-1]) == s.last[i] && plainString(v) {
		return s.last[i], true
	}
	str, ok := leanString(v)
	if ok {
		str = share(str)
		s.last[i] = str
	}
	return str, ok
}

// leanBool reads a bool field: null leaves it false.
func leanBool(v []byte) (bool, bool) {
	switch string(v) {
	case "true":
		return true, true
	case "false", "null":
		return false, true
	}
	return false, false
}

// leanBoolRef reads a *bool field (null: nil), pointing at one of the two shared values.
func leanBoolRef(v []byte) (*bool, bool) {
	switch string(v) {
	case "true":
		return &yes, true
	case "false":
		return &no, true
	case "null":
		return nil, true
	}
	return nil, false
}

// leanInt reads an integer field of that many bits as encoding/json does (a number literal
// ParseInt takes: no fraction, no exponent, no overflow); null leaves it 0.
func leanInt(v []byte, bits int) (int64, bool) {
	if string(v) == "null" {
		return 0, true
	}
	if v[0] != '-' && !isDigit(v[0]) {
		return 0, false
	}
	n, err := strconv.ParseInt(string(v), 10, bits)
	return n, err == nil
}

// leanTime reads a *time.Time field through time.Time's own UnmarshalJSON, as encoding/json
// does (null: nil).
func leanTime(v []byte) (*time.Time, bool) {
	if string(v) == "null" {
		return nil, true
	}
	t := new(time.Time)
	if t.UnmarshalJSON(v) != nil {
		return nil, false
	}
	return t, true
}

// leanObject reads a nested object's fields (null: absent, present false).
func leanObject(v []byte, names []string, set func(int, []byte) bool) (present, ok bool) {
	switch {
	case string(v) == "null":
		return false, true
	case v[0] != '{':
		return false, false
	}
	return true, leanFields(v, names, set)
}

// leanShared reads a nested object into a T through set and gives the one shared copy of it
// from table (nil: null).
func leanShared[T comparable](v []byte, names []string, table *sharedTable[T], set func(*T, int, []byte) bool) (*T, bool) {
	var x T
	present, ok := leanObject(v, names, func(f int, v []byte) bool { return set(&x, f, v) })
	if !present || !ok {
		return nil, ok
	}
	return table.get(x), true
}

// Policy statuses.

var policyResultNames = []string{"id", "policyID", "systemID", "state", "status", "success", "exitStatus",
	"startedAt", "endedAt", "detail", "unparsed"}

// policyResult reads a status as policyResultFromWire makes it.
func (s *sharedStrings) policyResult(obj []byte) (PolicyResult, bool) {
	var r PolicyResult
	ok := leanFields(obj, policyResultNames, func(f int, v []byte) (ok bool) {
		switch f {
		case 0:
			r.ID, ok = leanString(v)
		case 1:
			r.PolicyID, ok = s.get(0, v)
		case 2:
			r.SystemID, ok = leanString(v)
		case 3:
			r.State, ok = s.get(1, v)
		case 4:
			r.Status, ok = s.get(2, v)
		case 5:
			r.Success, ok = leanBoolRef(v)
		case 6:
			if string(v) != "null" {
				var n int64
				n, ok = leanInt(v, 64)
				r.ExitStatus = &n
				return ok
			}
			return true
		case 7:
			r.StartedAt, ok = leanTime(v)
		case 8:
			r.EndedAt, ok = leanTime(v)
		case 9:
			r.Detail, ok = leanString(v)
		}
		return ok // "unparsed": what the wire type would read into Unparsed is left to it
	})
	return r, ok
}

// policyOutcomeNames are the fields an outcome depends on. The others need no reading: whatever
// JSON they hold, the status is kept (decodeRecord records what would not parse) with the same
// id, device and outcome.
var policyOutcomeNames = []string{"id", "systemID", "state", "status", "success"}

// policyOutcome reads what PolicyResult.OutcomeOf takes of a status.
func (s *sharedStrings) policyOutcome(obj []byte) (PolicyOutcome, bool) {
	var (
		o             PolicyOutcome
		state, status string
		success       *bool
	)
	ok := leanFields(obj, policyOutcomeNames, func(f int, v []byte) (ok bool) {
		switch f {
		case 0:
			o.ID, ok = leanString(v)
		case 1:
			o.SystemID, ok = s.id(v)
		case 2:
			state, ok = s.get(1, v)
		case 3:
			status, ok = s.get(2, v)
		case 4:
			success, ok = leanBoolRef(v)
		}
		return ok
	})
	o.Outcome = outcomeOf(state, status, success)
	return o, ok
}

// Devices.

var systemNames = []string{"id", "_id", "displayName", "hostname", "serialNumber", "os", "osFamily", "version",
	"osVersionDetail", "arch", "active", "lastContact", "created", "agentVersion", "fde", "systemInsights",
	"isPolicyBound", "policyStats", "primarySystemUser", "desktopCapable", "displayManager", "unparsed"}

var (
	osDetailNames    = []string{"osName", "version", "major", "minor", "patch", "releaseName", "distributionName"}
	fdeNames         = []string{"active", "keyPresent"}
	insightNames     = []string{"state"}
	policyStatsNames = []string{"total", "success", "failed", "pending", "duplicate", "unsupportedOs"}
	ownerNames       = []string{"id"}
)

// system reads a device as systemFromWire makes it.
func (s *sharedStrings) system(obj []byte) (System, bool) {
	var (
		d            System
		underscoreID string
	)
	ok := leanFields(obj, systemNames, func(f int, v []byte) (ok bool) {
		switch f {
		case 0:
			d.ID, ok = leanString(v)
		case 1:
			underscoreID, ok = leanString(v)
		case 2:
			d.DisplayName, ok = leanString(v)
		case 3:
			d.Hostname, ok = leanString(v)
		case 4:
			d.SerialNumber, ok = leanString(v)
		case 5:
			d.OS, ok = s.get(0, v)
		case 6:
			d.OSFamily, ok = s.get(1, v)
		case 7:
			d.Version, ok = s.get(2, v)
		case 8:
			d.OSVersionDetail, ok = leanShared(v, osDetailNames, &osDetails, func(od *OSVersionDetail, f int, v []byte) (ok bool) {
				p := [...]*string{&od.OSName, &od.Version, &od.Major, &od.Minor, &od.Patch, &od.ReleaseName, &od.DistributionName}[f]
				*p, ok = leanString(v)
				return ok
			})
		case 9:
			d.Arch, ok = s.get(3, v)
		case 10:
			d.Active, ok = leanBool(v)
		case 11:
			d.LastContact, ok = leanTime(v)
		case 12:
			d.Created, ok = leanTime(v)
		case 13:
			d.AgentVersion, ok = s.get(4, v)
		case 14:
			d.FDE, ok = leanShared(v, fdeNames, &fdeStates, func(fde *FDE, f int, v []byte) (ok bool) {
				*[...]*bool{&fde.Active, &fde.KeyPresent}[f], ok = leanBool(v)
				return ok
			})
		case 15:
			d.SystemInsights, ok = leanShared(v, insightNames, &insightStates, func(st *SystemInsightsState, _ int, v []byte) (ok bool) {
				st.State, ok = s.get(5, v)
				return ok
			})
		case 16:
			d.IsPolicyBound, ok = leanBoolRef(v)
		case 17:
			d.PolicyStats, ok = leanShared(v, policyStatsNames, &policyStats, func(ps *PolicyStats, f int, v []byte) bool {
				n, ok := leanInt(v, strconv.IntSize)
				*[...]*int{&ps.Total, &ps.Success, &ps.Failed, &ps.Pending, &ps.Duplicate, &ps.UnsupportedOS}[f] = int(n)
				return ok
			})
		case 18:
			var id string
			var present bool
			present, ok = leanObject(v, ownerNames, func(_ int, v []byte) (ok bool) {
				id, ok = leanString(v)
				return ok
			})
			if present {
				d.PrimarySystemUser = &struct {
					ID string `json:"id"`
				}{ID: id}
			}
		case 19:
			d.DesktopCapable, ok = leanBoolRef(v)
		case 20:
			d.DisplayManager, ok = s.get(6, v)
		}
		return ok // "unparsed": left to the wire type
	})
	if underscoreID != "" {
		d.ID = underscoreID
	}
	return d, ok
}
