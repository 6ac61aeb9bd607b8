package evidence

// compact shares the strings a large snapshot repeats hundreds of thousands of times: System
// Insights column names and common values ("Good", "encrypted", 0, 1), policy and system ids in
// policy statuses, outcome words. encoding/json allocates a fresh copy of each for every row;
// after compact they point at one copy, which roughly halves the heap a 50,000-device snapshot
// holds while the browser shows it. The values are unchanged.
func compact(s *Snapshot) {
	in := interner{strs: map[string]string{}, vals: map[any]any{}}
	for i := range s.Devices {
		s.Devices[i].ID = in.str(s.Devices[i].ID)
	}
	for i := range s.PolicyStatuses {
		r := &s.PolicyStatuses[i]
		r.PolicyID, r.SystemID = in.str(r.PolicyID), in.str(r.SystemID)
		r.State, r.Status = in.str(r.State), in.str(r.Status)
	}
	for _, rows := range s.Insights {
		for i := range rows {
			r := &rows[i]
			r.SystemID = in.str(r.SystemID)
			for k, v := range r.Columns {
				// Assigning with the shared key replaces the stored key (Go updates string keys
				// on assignment), so the row's own copy of the column name is freed.
				r.Columns[in.str(k)] = in.val(v)
			}
		}
	}
}

type interner struct {
	strs map[string]string
	vals map[any]any
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

// val shares short strings, numbers and booleans boxed in interfaces (the box is an allocation of
// its own). Long strings are left alone: they are rarely repeated.
func (in *interner) val(v any) any {
	switch x := v.(type) {
	case string:
		if len(x) > 64 {
			return v
		}
	case float64, bool:
	default:
		return v
	}
	if c, ok := in.vals[v]; ok {
		return c
	}
	in.vals[v] = v
	return v
}
