package evidence

import (
	"reflect"
	"testing"

	"jcconnect/jumpcloud/jctest"
)

// A collection kept holds no report unpacked but the administrators' (a few): every value
// reachable from the Kept is looked at, and no DeviceReport or UserReport is among them but
// those. Its users come back as they were evaluated, one at a time and whole.
func TestKeptHoldsNoUnpackedUserReport(t *testing.T) {
	snap := collectForChecks(t, jctest.Options{Devices: 30, Users: 25, Policies: 6, Seed: 8})
	rep := Evaluate(snap, DefaultThresholds())
	want := Evaluate(snap, DefaultThresholds())
	k := Keep(snap, rep)
	var inReport reportsFound // the walk finds the reports where they are
	inReport.walk(reflect.ValueOf(rep), map[uintptr]bool{})
	if inReport.devices != 30 || inReport.users != 25+len(rep.Admins) {
		t.Fatalf("Keep changed the report, or the walk misses reports: %+v in it", inReport)
	}
	var found reportsFound
	found.walk(reflect.ValueOf(k), map[uintptr]bool{})
	if found.devices != 0 || found.users != len(rep.Admins) {
		t.Errorf("the kept collection holds %d device and %d user reports unpacked, want none but the %d administrators'",
			found.devices, found.users, len(rep.Admins))
	}
	if k.Report().Users != nil || k.Users() != len(want.Users) {
		t.Fatalf("the kept report should hold its users packed: %d unpacked, %d packed", len(k.Report().Users), k.Users())
	}
	for i := range want.Users {
		if got := k.User(i); !reflect.DeepEqual(got, want.Users[i]) {
			t.Fatalf("user %d is %+v, want %+v", i, got, want.Users[i])
		}
	}
	if got := k.Whole(); !reflect.DeepEqual(got, want) {
		t.Error("the kept report, whole, differs from the evaluation")
	}
}

// reportsFound counts the device and user reports a value holds, through pointers, slices,
// maps, interfaces and fields, exported or not.
type reportsFound struct{ devices, users int }

var (
	deviceReportType = reflect.TypeFor[DeviceReport]()
	userReportType   = reflect.TypeFor[UserReport]()
)

func (f *reportsFound) walk(v reflect.Value, seen map[uintptr]bool) {
	switch v.Kind() {
	case reflect.Pointer:
		if v.IsNil() || seen[v.Pointer()] {
			return
		}
		seen[v.Pointer()] = true
		f.walk(v.Elem(), seen)
	case reflect.Interface:
		if !v.IsNil() {
			f.walk(v.Elem(), seen)
		}
	case reflect.Struct:
		switch v.Type() {
		case deviceReportType:
			f.devices++
		case userReportType:
			f.users++
		}
		for i := range v.NumField() {
			f.walk(v.Field(i), seen)
		}
	case reflect.Slice, reflect.Array:
		for i := range v.Len() {
			f.walk(v.Index(i), seen)
		}
	case reflect.Map:
		for it := v.MapRange(); it.Next(); {
			f.walk(it.Key(), seen)
			f.walk(it.Value(), seen)
		}
	}
}
