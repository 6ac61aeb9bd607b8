package evidence

import (
	"bytes"
	"context"
	"errors"
	"reflect"
	"strings"
	"testing"

	"jcconnect/jumpcloud"
	"jcconnect/jumpcloud/jctest"
)

// collectForChecks is a sandbox collection as every screen's: the statuses of the checks'
// policies only.
func collectForChecks(t *testing.T, opt jctest.Options) *Snapshot {
	t.Helper()
	srv := newServer(t, opt)
	o := both()
	o.StatusesForChecksOnly = true
	snap, err := Collect(context.Background(), newClient(t, srv, srv.Keys.ReadOnly, nil), o)
	if err != nil {
		t.Fatal(err)
	}
	return snap
}

// A shell keeps what a screen reads of its snapshot once the report is made (the metadata, the
// sources, the gaps and the unparsed fields of the records that had any) and none of its records.
func TestShellKeepsTheMetadataAndUnparsedFieldsOnly(t *testing.T) {
	snap := collectForChecks(t, jctest.Options{Devices: 40, Users: 12, Policies: 6, Seed: 3})
	d := snap.Devices[5].System()
	d.Unparsed = []jumpcloud.UnparsedField{{Path: "fde.active", Raw: `"yes"`}}
	snap.Devices[5] = jumpcloud.CompactDevice(d)
	snap.Users[2].Unparsed = []jumpcloud.UnparsedField{{Path: "mfa.exclusionUntil", Raw: `"soon"`}}
	snap.Sources[1].State, snap.Sources[1].Reason = StateFailed, "a test's failure"

	sh := snap.Shell()
	if !sh.RecordsDropped() || snap.RecordsDropped() || sh.Shell() != sh {
		t.Fatalf("RecordsDropped: shell %v, snapshot %v; the shell of a shell is itself: %v", sh.RecordsDropped(), snap.RecordsDropped(), sh.Shell() == sh)
	}
	if sh.Devices != nil || sh.Users != nil || sh.Admins != nil || sh.Policies != nil || sh.PolicyStatuses != nil ||
		sh.PolicyDetails != nil || sh.Insights != nil || sh.Applications != nil || sh.AuthnPolicies != nil ||
		sh.ServerGroups != nil || sh.Settings != nil || sh.statuses != nil || sh.statusRefs != nil {
		t.Fatal("the shell keeps records")
	}
	if sh.OrgID != snap.OrgID || sh.OrgName != snap.OrgName || !sh.CollectedAt.Equal(snap.CollectedAt) ||
		sh.KeyFingerprint != snap.KeyFingerprint || sh.Integrations != snap.Integrations || !sh.PolicyStatusesForChecksOnly ||
		!reflect.DeepEqual(sh.Sources, snap.Sources) || !reflect.DeepEqual(sh.GapNames(), snap.GapNames()) ||
		!reflect.DeepEqual(sh.ServerRules, snap.ServerRules) {
		t.Fatal("the shell lost part of the metadata")
	}
	for i := range snap.Devices {
		if got, want := sh.DeviceUnparsed(snap.Devices[i].ID), snap.DeviceUnparsed(snap.Devices[i].ID); !reflect.DeepEqual(got, want) {
			t.Fatalf("device %s: unparsed %v, want %v", snap.Devices[i].ID, got, want)
		}
	}
	for i := range snap.Users {
		if got, want := sh.UserUnparsed(snap.Users[i].ID), snap.UserUnparsed(snap.Users[i].ID); !reflect.DeepEqual(got, want) {
			t.Fatalf("user %s: unparsed %v, want %v", snap.Users[i].ID, got, want)
		}
	}
	if len(sh.DeviceUnparsed(snap.Devices[5].ID)) != 1 || len(sh.UserUnparsed(snap.Users[2].ID)) != 1 {
		t.Fatal("the shell lost the unparsed fields")
	}
}

// Absent records are no evidence: what would read them from a shell fails loudly (a panic for
// the evaluations, whose only answer would be a report of nothing; an error for the exports and
// the machine rows), never an empty, confident answer.
func TestShellRefusesWhatReadsRecords(t *testing.T) {
	snap := collectForChecks(t, jctest.Options{Devices: 20, Users: 6, Policies: 6, Seed: 4})
	rep := Evaluate(snap, DefaultThresholds())
	sh := snap.Shell()
	mustPanic := func(what string, f func()) {
		t.Helper()
		defer func() {
			r := recover()
			if s, _ := r.(string); !strings.Contains(s, "snapshot shell") {
				t.Errorf("%s of a shell: recovered %v, want a panic that says it is a shell", what, r)
			}
		}()
		f()
	}
	mustPanic("Evaluate", func() { Evaluate(sh, DefaultThresholds()) })
	mustPanic("EvaluateAfterEarly", func() { EvaluateAfterEarly(sh, DefaultThresholds(), rep) })
	mustPanic("PolicyOutcomes", func() { sh.PolicyOutcomes() })
	mustPanic("StatusPolicies", func() { sh.StatusPolicies() })

	full := *sh
	full.PolicyStatusesForChecksOnly = false // not the reason given: the records are
	for _, s := range []*Snapshot{sh, &full} {
		if _, _, err := Bundle(s, rep); !errors.Is(err, ErrRecordsDropped) {
			t.Errorf("Bundle of a shell: %v", err)
		}
		dir := t.TempDir()
		if _, err := Export(context.Background(), s, rep, dir); !errors.Is(err, ErrRecordsDropped) {
			t.Errorf("Export of a shell: %v", err)
		}
		if _, _, err := ExportEvaluating(context.Background(), s, DefaultThresholds(), dir); !errors.Is(err, ErrRecordsDropped) {
			t.Errorf("ExportEvaluating of a shell: %v", err)
		}
		var out bytes.Buffer
		if err := WriteRows(&out, s, DefaultThresholds(), false, true); !errors.Is(err, ErrRecordsDropped) || out.Len() != 0 {
			t.Errorf("WriteRows of a shell: %v, %d bytes", err, out.Len())
		}
	}
}

// Keep keeps a checks-only collection as its shell and its report, the device and user reports
// packed; the report it gives back is the one evaluated. A snapshot of every status is kept
// whole: its export is made from those records.
func TestKeepKeepsTheShellOfAChecksOnlySnapshot(t *testing.T) {
	snap := collectForChecks(t, jctest.Options{Devices: 60, Users: 12, Policies: 9, Seed: 5})
	rep := Evaluate(snap, DefaultThresholds())
	want := Evaluate(snap, DefaultThresholds())
	k := Keep(snap, rep)
	if !k.Snapshot().RecordsDropped() || snap.RecordsDropped() || len(snap.Devices) != 60 || len(rep.Devices) != 60 {
		t.Fatal("Keep should keep the checks-only snapshot's shell, changing neither it nor its report")
	}
	if k.Report().Devices != nil || k.Devices() != 60 {
		t.Fatalf("the kept report should hold its devices packed: %d unpacked, %d packed", len(k.Report().Devices), k.Devices())
	}
	if got := k.Whole(); !reflect.DeepEqual(got, want) {
		t.Error("the kept report, whole, differs from the evaluation")
	}
	for i := range k.Devices() {
		if got := k.Device(i); !reflect.DeepEqual(got, want.Devices[i]) {
			t.Fatalf("device %d differs", i)
		}
	}

	whole, wrep := collectSandbox(t, jctest.Options{Devices: 10, Users: 4, Policies: 6, Seed: 6})
	if k := Keep(whole, wrep); k.Snapshot() != whole {
		t.Error("a snapshot of every policy status should be kept whole: its export is made from its records")
	}
}
