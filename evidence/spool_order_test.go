package evidence

import (
	"bytes"
	"encoding/json"
	"errors"
	"math/rand/v2"
	"slices"
	"strings"
	"testing"

	"jcconnect/jumpcloud"
	"jcconnect/jumpcloud/jctest"
)

// The sandbox serves every list in normalize's order, so a spooled collection of it keeps no
// sort key at all (TestASandboxSpoolKeepsNoSortKeys). These tests spool real records in the
// orders a real organisation might send instead — shuffled, in listings that overlap, in
// listings given out of order, with ties cut across two listings, a record too long for the
// packed index — and hold the raw file written from the spool to the one written from the
// records sorted in memory, byte for byte.

// spoolIn spools parts, each one listing given as pages of 7 records, into a new spool file and
// keeps them in this order.
func spoolIn[T any](t *testing.T, byContent bool, key func(*T) spoolSortKey, parts ...[]T) *spoolFile {
	t.Helper()
	sp, err := newRawSpool(t.TempDir())
	if err != nil {
		t.Fatal(err)
	}
	t.Cleanup(func() { _ = sp.close() })
	f, err := sp.file("test")
	if err != nil {
		t.Fatal(err)
	}
	f.byContent = byContent
	var kept []*spoolPart
	for _, items := range parts {
		p := &spoolPart{file: f}
		for page := range slices.Chunk(items, 7) {
			if err := addPage(p, page, len(items), key); err != nil {
				t.Fatal(err)
			}
		}
		kept = append(kept, p)
	}
	f.setKept(kept...)
	return f
}

// sameRawFile checks that the spool writes the raw file of want, the records in normalize's
// order, and that sortLike puts list (the same records in list order) in that order.
func sameRawFile[T any](t *testing.T, f *spoolFile, list, want []T) {
	t.Helper()
	var got, exp bytes.Buffer
	if err := f.writeArray(&got); err != nil {
		t.Fatal(err)
	}
	if err := jsonArrayFile(want)(&exp); err != nil {
		t.Fatal(err)
	}
	if !bytes.Equal(got.Bytes(), exp.Bytes()) {
		t.Fatalf("the raw file from the spool (%d bytes) is not the one from the records (%d bytes)", got.Len(), exp.Len())
	}
	sorted := slices.Clone(list)
	if !sortLike(f, sorted) {
		t.Fatal("sortLike could not order the records")
	}
	var again bytes.Buffer
	if err := jsonArrayFile(sorted)(&again); err != nil {
		t.Fatal(err)
	}
	if !bytes.Equal(again.Bytes(), exp.Bytes()) {
		t.Fatal("sortLike does not give the raw file's order")
	}
}

func statusKey(r *jumpcloud.PolicyResult) spoolSortKey {
	return spoolSortKey{r.PolicyID, r.SystemID, r.ID}
}

func rowKey(r *jumpcloud.InsightRow) spoolSortKey {
	return spoolSortKey{r.SystemID(), r.CollectionTime(), ""}
}

func deviceKey(d *jumpcloud.System) spoolSortKey { return spoolSortKey{d.ID, "", ""} }

// sandboxRecords is a collection of the sandbox held in memory, in normalize's order.
func sandboxRecords(t *testing.T) *Snapshot {
	t.Helper()
	srv := newServer(t, jctest.Options{Devices: 300, Users: 60, Policies: 9, Seed: 11})
	snap, err := Collect(t.Context(), newClient(t, srv, srv.Keys.ReadOnly, nil), both())
	if err != nil {
		t.Fatal(err)
	}
	return snap
}

func TestASpoolOrdersWhatCameOutOfOrder(t *testing.T) {
	snap := sandboxRecords(t)
	rng := rand.New(rand.NewPCG(1, 2))
	shuffled := func(n int) []int {
		idx := make([]int, n)
		for i := range idx {
			idx[i] = i
		}
		rng.Shuffle(n, func(i, j int) { idx[i], idx[j] = idx[j], idx[i] })
		return idx
	}
	pick := func(idx []int, from []jumpcloud.PolicyResult) []jumpcloud.PolicyResult {
		out := make([]jumpcloud.PolicyResult, len(idx))
		for i, j := range idx {
			out[i] = from[j]
		}
		return out
	}
	// normalized sorts a copy as normalize does.
	normalized := func(s *Snapshot) *Snapshot { s.normalize(); return s }

	t.Run("devices shuffled", func(t *testing.T) {
		systems := make([]jumpcloud.System, len(snap.Devices))
		for i := range snap.Devices {
			systems[i] = snap.Devices[i].System()
		}
		list := slices.Clone(systems)
		rng.Shuffle(len(list), func(i, j int) { list[i], list[j] = list[j], list[i] })
		f := spoolIn(t, false, deviceKey, list)
		if _, ok, _ := f.arrivalOrder(); ok {
			t.Fatal("a shuffled listing passed for one in order: the keys were not read back")
		}
		sameRawFile(t, f, list, systems)
	})
	t.Run("statuses shuffled in three listings", func(t *testing.T) {
		list := pick(shuffled(len(snap.PolicyStatuses)), snap.PolicyStatuses)
		third := len(list) / 3
		f := spoolIn(t, false, statusKey, list[:third], list[third:2*third], list[2*third:])
		want := normalized(&Snapshot{PolicyStatuses: slices.Clone(list)}).PolicyStatuses
		sameRawFile(t, f, list, want)
	})
	t.Run("statuses in order, listings overlapping", func(t *testing.T) {
		var even, odd []jumpcloud.PolicyResult
		for i, r := range snap.PolicyStatuses {
			if i%2 == 0 {
				even = append(even, r)
			} else {
				odd = append(odd, r)
			}
		}
		f := spoolIn(t, false, statusKey, even, odd)
		if _, ok, _ := f.arrivalOrder(); ok {
			t.Fatal("overlapping listings passed for one after the other")
		}
		sameRawFile(t, f, append(slices.Clone(even), odd...), snap.PolicyStatuses)
	})
	t.Run("statuses in order, listings given last first", func(t *testing.T) {
		all := snap.PolicyStatuses
		a, b, c := all[:100], all[100:400], all[400:]
		f := spoolIn(t, false, statusKey, c, a, b)
		if perm, ok, _ := f.arrivalOrder(); !ok || perm == nil {
			t.Fatalf("listings in order among themselves were not put one after the other (ok %v)", ok)
		}
		sameRawFile(t, f, slices.Concat(c, a, b), all)
	})
	t.Run("equal keys keep their list order across listings", func(t *testing.T) {
		// Two listings with the same records: normalize puts each record of the first before its
		// twin of the second; copying the listings one after the other would not.
		all := snap.PolicyStatuses[:50]
		f := spoolIn(t, false, statusKey, all, all)
		list := slices.Concat(all, all)
		want := normalized(&Snapshot{PolicyStatuses: slices.Clone(list)}).PolicyStatuses
		sameRawFile(t, f, list, want)
	})
	for _, table := range []string{jumpcloud.TableManagedPolicies, jumpcloud.TableBitlockerInfo} {
		rows := snap.Insights[table]
		tiedAt := -1 // a row whose key equals the one before
		for i := 1; i < len(rows) && tiedAt < 0; i++ {
			if rowKey(&rows[i]) == rowKey(&rows[i-1]) {
				tiedAt = i
			}
		}
		if tiedAt < 0 {
			t.Fatalf("%s has no two rows of one device and time: the order by content is not tested", table)
		}
		t.Run(table+" ties cut across two listings, each tie reversed", func(t *testing.T) {
			// Rows of equal keys in reverse content order: only the order by content puts them
			// back, within a listing and across the cut.
			list := slices.Clone(rows)
			for i := 0; i < len(list); {
				j := i + 1
				for j < len(list) && rowKey(&list[j]) == rowKey(&list[i]) {
					j++
				}
				slices.Reverse(list[i:j])
				i = j
			}
			f := spoolIn(t, true, rowKey, list[:tiedAt], list[tiedAt:])
			if _, ok, _ := f.arrivalOrder(); !ok {
				t.Fatal("rows in key order were not taken as they came")
			}
			sameRawFile(t, f, list, rows)
		})
		t.Run(table+" shuffled", func(t *testing.T) {
			list := slices.Clone(rows)
			rng.Shuffle(len(list), func(i, j int) { list[i], list[j] = list[j], list[i] })
			f := spoolIn(t, true, rowKey, list)
			sameRawFile(t, f, list, rows)
		})
	}
}

// A record longer than the packed index's length field (16 MiB) is found all the same.
func TestASpoolKeepsARecordTooLongForItsIndex(t *testing.T) {
	apps := []jumpcloud.Application{{ID: "a1", Name: "one"}, {ID: "a2", Name: strings.Repeat("x", spoolLenMax+1)}, {ID: "a3", Name: "three"}}
	f := spoolIn(t, false, func(a *jumpcloud.Application) spoolSortKey { return spoolSortKey{a.ID, "", ""} }, apps)
	if off, n := f.kept[0].loc(1); n <= spoolLenMax || off == 0 {
		t.Fatalf("record 1 at %d, %d bytes: the long record was not kept as long", off, n)
	}
	sameRawFile(t, f, apps, apps)
}

// The sandbox's lists come in normalize's order: an export of it keeps no sort key, and no
// listing had its keys read back.
func TestASandboxSpoolKeepsNoSortKeys(t *testing.T) {
	srv := newServer(t, jctest.Options{Devices: 300, Users: 60, Policies: 9, Seed: 11})
	snap, err := Collect(SpoolRawSources(t.Context(), t.TempDir()), newClient(t, srv, srv.Keys.ReadOnly, nil), both())
	if err != nil {
		t.Fatal(err)
	}
	defer snap.CloseRaw()
	for src, f := range snap.raw.files {
		if _, ok, err := f.arrivalOrder(); !ok || err != nil {
			t.Errorf("%s did not come in order (%v)", src, err)
		}
	}
	if f, _ := snap.raw.kept(string(jumpcloud.SourcePolicyResults)); len(f.kept) < 2 {
		t.Fatal("the statuses are one listing: their order across listings is not tested")
	}
}

// rawArrayStream renders a spooled record as jsonArrayStream renders it as a json.RawMessage:
// compacted, HTML characters and U+2028/2029 escaped, indented, invisible characters escaped.
func TestARawRecordIsRenderedAsItsRawMessage(t *testing.T) {
	records := []string{
		`{}`, `[]`, `{"a":1}`, `{ "a" : [ 1 , 2 , { } ] ,"b":{"c" :null}}`, "\n {\"spaced\" :\t[ ]\r\n} \n",
		`{"html":"<a href=\"x\">&amp;</a>","sep":"a` + "\u2028" + `b` + "\u2029" + `"}`,
		`{"c1":"` + "\u0085\u009f" + `","bidi":"` + "\u202e\u2066" + `","emoji":"é😀"}`,
		`{"nested":{"deep":[{"x":"y"},[],{}]},"esc":"\"\\\/\b\f\n\r\t\u0001"}`,
	}
	var raw, viaMessage bytes.Buffer
	ra := rawArrayStream{w: &raw}
	ja := jsonArrayStream{w: &viaMessage}
	for _, r := range records {
		if err := ra.add([]byte(r)); err != nil {
			t.Fatalf("%s: %v", r, err)
		}
		if err := ja.add(json.RawMessage(r)); err != nil {
			t.Fatalf("%s: %v", r, err)
		}
	}
	if err := errors.Join(ra.end(), ja.end()); err != nil {
		t.Fatal(err)
	}
	if raw.String() != viaMessage.String() {
		t.Fatalf("rendered\n%s\nwant\n%s", raw.String(), viaMessage.String())
	}
	if err := ra.add([]byte(`{"cut":`)); err == nil {
		t.Fatal("a record cut short was rendered")
	}
}
