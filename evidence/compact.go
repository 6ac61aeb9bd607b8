package evidence

import "jcconnect/jumpcloud"

// compact shares the strings a large snapshot repeats hundreds of thousands of times: policy and
// system ids in policy statuses and System Insights rows, outcome words. encoding/json allocates
// a fresh copy of each for every record; after compact they point at one copy. (System Insights
// rows hold numbers into pools as they are decoded: jumpcloud.InsightRow.) The values are
// unchanged.
func compact(s *Snapshot) {
	in := deviceIDInterner(s.Devices)
	// The checks read the statuses through a table by device; only an export needs the records
	// (a collection for the checks kept none: statusRefs).
	s.statuses, s.statusRefs = s.statusTable(), nil
	in.statuses(s.PolicyStatuses)
	tables := make([][]jumpcloud.InsightRow, 0, len(s.Insights))
	for _, rows := range s.Insights {
		tables = append(tables, rows)
	}
	jumpcloud.ShareInsightSystemIDs(in.str, tables...) // the devices' copies, not the rows' own
}

// statuses shares the strings of policy statuses.
func (in *interner) statuses(rs []jumpcloud.PolicyResult) {
	for i := range rs {
		r := &rs[i]
		r.PolicyID, r.SystemID = in.str(r.PolicyID), in.str(r.SystemID)
		r.State, r.Status = in.str(r.State), in.str(r.Status)
	}
}

// deviceIDInterner is an interner that already holds the devices' ids, so the statuses and rows
// that name a device share its copy. It only reads the devices (their ids are the first copies):
// a snapshot being drawn may be interned against (Snapshot.finishBackground).
func deviceIDInterner(devices []jumpcloud.Device) *interner {
	in := &interner{strs: make(map[string]string, len(devices))}
	for i := range devices {
		if id := devices[i].ID; id != "" {
			in.strs[id] = id
		}
	}
	return in
}

type interner struct {
	strs map[string]string
}

func (in *interner) str(s string) string {
	if s == "" {
		return s
	}
	if c, ok := in.strs[s]; ok {
		return c
	}
	in.strs[s] = s
	return s
}
