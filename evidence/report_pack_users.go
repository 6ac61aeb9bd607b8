package evidence

import "iter"

// PackedUsers is a []UserReport kept as PackedDevices keeps device reports, with nothing for
// the garbage collector to scan: the strings end to end in one string (each user's id, names
// and email as they come, the rest once), every user a run of uint32 words that refer to them.
//
// Unpacked, the 5,000 users of the 50,000-device organisation are some 60,000 objects (results,
// evidence, strings): once the devices were packed they were four fifths of what a garbage
// collection marked while the browser was open, and a key press that arrives while a
// collection marks waits behind it (issue 13).
//
// User gives one report back and Unpack all of them, each equal (reflect.DeepEqual) to the one
// packed: nil and empty slices stay as they were, the strings given back are parts of the one
// string. The zero value is a nil []UserReport. A PackedUsers is never changed after PackUsers,
// so any number of goroutines may read it.
type PackedUsers struct {
	packedText          // the strings
	words      []uint32 // the users one after another, each as the layout below
	starts     []uint32 // user i is words[starts[i]:starts[i+1]]; nil when the reports were nil

	results, evidence int // over every user: what Unpack allocates at once
}

// A user's words: a head of userHead words, then its results (packResults).
const (
	wUserID = iota
	wUsername
	wEmail
	wUserName
	wState
	wUserOverall
	wUserResults  // len(Results)+1; 0: Results is nil
	wUserEvidence // the user's evidence entries over all its results (one allocation)
	userHead
)

// PackUsers packs reports (see PackedUsers). It reads them only: they may be shared.
func PackUsers(reports []UserReport) PackedUsers {
	if reports == nil {
		return PackedUsers{}
	}
	// Every word counted exactly; the strings: a user's own four (id, username, email, name) of
	// some 80 bytes in all, and a date or two in its evidence.
	words := len(reports) * userHead
	for i := range reports {
		words += resultWords(reports[i].Results)
	}
	var p recordPacker
	p.init(len(reports), words, 6*len(reports), 128*len(reports))
	for i := range reports {
		u := &reports[i]
		head := p.record(userHead)
		w := p.words[head:]
		w[wUserID], w[wUsername], w[wEmail], w[wUserName] = p.own(u.ID), p.own(u.Username), p.own(u.Email), p.own(u.Name)
		w[wState], w[wUserOverall] = p.str(u.State), p.str(string(u.Overall))
		w[wUserResults] = countOf(len(u.Results), u.Results == nil)
		evidence := p.packResults(u.Results)
		p.words[head+wUserEvidence] = p.index(evidence) // p.words may have moved: not w
		p.endRecord()
	}
	return PackedUsers{packedText: p.done(), words: p.words, starts: p.starts, results: p.results, evidence: p.evidence}
}

// Len is the number of users.
func (p *PackedUsers) Len() int { return max(len(p.starts)-1, 0) }

// User is the report of user i (0 ≤ i < Len), as packed. Its results and their evidence are
// made anew (two allocations), so the caller may change them; its strings are the packed text's.
func (p *PackedUsers) User(i int) UserReport {
	w := p.words[p.starts[i]:p.starts[i+1]]
	var u UserReport
	p.unpack(w, &u, make([]Result, countLen(w[wUserResults])), make([]Evidence, w[wUserEvidence]))
	return u
}

// Unpack is every report, as packed (nil when nil was packed): for an export, which needs the
// whole []UserReport. All the results are one allocation, all the evidence another.
func (p *PackedUsers) Unpack() []UserReport {
	if p.starts == nil {
		return nil
	}
	out := make([]UserReport, p.Len())
	rs, ev := make([]Result, p.results), make([]Evidence, p.evidence)
	for i := range out {
		w := p.words[p.starts[i]:p.starts[i+1]]
		n, e := countLen(w[wUserResults]), int(w[wUserEvidence])
		p.unpack(w, &out[i], rs[:n:n], ev[:e:e])
		rs, ev = rs[n:], ev[e:]
	}
	return out
}

// Statuses gives every user's report in order as a table row reads it: its strings and each
// result's check and status, without their reasons and evidence. It allocates one slice of
// results for the whole pass, made again only when a user has more results than it holds (the
// one *UserReport and its results are reused: valid until the next step only).
func (p *PackedUsers) Statuses() iter.Seq2[int, *UserReport] {
	return func(yield func(int, *UserReport) bool) {
		var u UserReport
		var results []Result
		for i := range p.Len() {
			w := p.words[p.starts[i]:p.starts[i+1]]
			p.head(w, &u)
			u.Results = p.statusesInto(w[wUserResults], w[userHead:], &results)
			if !yield(i, &u) {
				return
			}
		}
	}
}

// unpack fills u from its words w, its results into results (exactly as many as it has) and
// their evidence into evidence (ditto).
func (p *PackedUsers) unpack(w []uint32, u *UserReport, results []Result, evidence []Evidence) {
	p.head(w, u)
	if w[wUserResults] != 0 {
		u.Results = results
	}
	p.unpackResults(w[userHead:], results, evidence)
}

// head sets u to the strings of the user of words w, and nothing else.
func (p *PackedUsers) head(w []uint32, u *UserReport) {
	*u = UserReport{ID: p.str(w[wUserID]), Username: p.str(w[wUsername]), Email: p.str(w[wEmail]),
		Name: p.str(w[wUserName]), State: p.str(w[wState]), Overall: Status(p.str(w[wUserOverall]))}
}
