package jumpcloud

import (
	"encoding/json"
	"sync"
	"time"
)

// Device is a System as a snapshot keeps it: the same facts in about a quarter of the memory
// (50,000 devices held as Systems were about 33 MB, 650 bytes a device). What a fleet repeats
// (OS names and versions, agent versions, architectures, the osVersionDetail, the System
// Insights state) is one shared record per distinct combination (deviceKind); small optional
// objects (fde, desktopCapable, isPolicyBound) are bits; times are inline, not pointers.
//
// Nothing is dropped: Device.System gives back the System it was made from, field for field, so
// a Device encodes to JSON exactly as that System did (MarshalJSON), and a field that could not
// be read stays recorded (Unparsed). A Device is read-only: its shared parts are shared.
type Device struct {
	ID, DisplayName, Hostname, SerialNumber string

	kind        *deviceKind
	owner       string       // primarySystemUser.id
	stats       *PolicyStats // shared; nil: absent
	lastContact instant
	created     instant
	flags       deviceFlags
	unparsed    *[]UnparsedField // nil: everything was read (almost every device)
}

// deviceKind is what many devices of a fleet have in common, shared between them.
type deviceKind struct {
	os, osFamily, version, arch, agentVersion, displayManager string
	family                                                    string // Family(), worked out once
	insights                                                  SystemInsightsState
	hasInsights, hasDetail                                    bool
	detail                                                    OSVersionDetail
}

type deviceFlags uint16

const (
	flagActive deviceFlags = 1 << iota
	flagHasFDE
	flagFDEActive
	flagFDEKeyPresent
	flagHasPolicyBound
	flagPolicyBound
	flagHasDesktopCapable
	flagDesktopCapable
	flagHasOwner
	flagHasLastContact
	flagHasCreated
)

func (f deviceFlags) has(b deviceFlags) bool { return f&b != 0 }

// instant is a time as compactly as it can be given back unchanged: the instant, and the offset
// from UTC it was written with (JSON keeps it: "2026-08-01T12:00:00+02:00").
type instant struct {
	sec  int64
	nsec int32
	off  int32 // seconds east of UTC
}

func instantOf(t time.Time) instant {
	_, off := t.Zone()
	return instant{sec: t.Unix(), nsec: int32(t.Nanosecond()), off: int32(off)}
}

func (i instant) time() time.Time {
	return time.Unix(i.sec, int64(i.nsec)).In(ZoneAt(int(i.off)))
}

var zones sync.Map // offset → *time.Location, so that giving a time back does not allocate a zone

// ZoneAt is UTC, or the fixed zone of that offset (its name is not kept: RFC 3339, hence JSON,
// writes only the offset): the location of every time a Device gives back, shared, so that
// whoever stores a time as instant and offset gives back the very same time.
func ZoneAt(off int) *time.Location {
	if off == 0 {
		return time.UTC
	}
	if z, ok := zones.Load(off); ok {
		return z.(*time.Location)
	}
	z, _ := zones.LoadOrStore(off, time.FixedZone("", off))
	return z.(*time.Location)
}

var deviceKinds sharedTable[deviceKind]

// fdeValues are the answers a device can give about disk encryption (besides none), shared.
var fdeValues = [4]FDE{{false, false}, {false, true}, {true, false}, {true, true}}

// CompactDevice keeps s as a Device.
func CompactDevice(s System) Device {
	k := deviceKind{os: share(s.OS), osFamily: share(s.OSFamily), version: share(s.Version), arch: share(s.Arch),
		agentVersion: share(s.AgentVersion), displayManager: share(s.DisplayManager), family: s.Family()}
	if s.SystemInsights != nil {
		k.insights, k.hasInsights = SystemInsightsState{State: share(s.SystemInsights.State)}, true
	}
	if s.OSVersionDetail != nil {
		k.detail, k.hasDetail = *s.OSVersionDetail, true
	}
	d := Device{ID: s.ID, DisplayName: s.DisplayName, Hostname: s.Hostname, SerialNumber: s.SerialNumber,
		kind: deviceKinds.get(k)}
	if d.DisplayName == d.Hostname {
		d.DisplayName = d.Hostname // one copy of the name, not two
	}
	set := func(b deviceFlags, on bool) {
		if on {
			d.flags |= b
		}
	}
	set(flagActive, s.Active)
	if s.FDE != nil {
		d.flags |= flagHasFDE
		set(flagFDEActive, s.FDE.Active)
		set(flagFDEKeyPresent, s.FDE.KeyPresent)
	}
	if s.IsPolicyBound != nil {
		d.flags |= flagHasPolicyBound
		set(flagPolicyBound, *s.IsPolicyBound)
	}
	if s.DesktopCapable != nil {
		d.flags |= flagHasDesktopCapable
		set(flagDesktopCapable, *s.DesktopCapable)
	}
	if s.PrimarySystemUser != nil {
		d.flags |= flagHasOwner
		d.owner = share(s.PrimarySystemUser.ID)
	}
	if s.LastContact != nil {
		d.flags |= flagHasLastContact
		d.lastContact = instantOf(*s.LastContact)
	}
	if s.Created != nil {
		d.flags |= flagHasCreated
		d.created = instantOf(*s.Created)
	}
	if s.PolicyStats != nil {
		d.stats = policyStats.get(*s.PolicyStats)
	}
	if len(s.Unparsed) > 0 {
		un := s.Unparsed
		d.unparsed = &un
	}
	return d
}

// CompactDevices keeps each System as a Device.
func CompactDevices(systems ...System) []Device {
	if systems == nil {
		return nil
	}
	out := make([]Device, len(systems))
	for i := range systems {
		out[i] = CompactDevice(systems[i])
	}
	return out
}

// System gives back the System the device was made from. Like a decoded System's, its
// sub-records are shared with other devices: read them, never write through them.
func (d *Device) System() System {
	s := System{ID: d.ID, DisplayName: d.DisplayName, Hostname: d.Hostname, SerialNumber: d.SerialNumber,
		OS: d.OS(), OSFamily: d.OSFamily(), Version: d.Version(), OSVersionDetail: d.OSVersionDetail(),
		Arch: d.Arch(), Active: d.Active(), LastContact: d.LastContact(), Created: d.Created(),
		AgentVersion: d.AgentVersion(), FDE: d.FDE(), SystemInsights: d.SystemInsights(),
		IsPolicyBound: d.IsPolicyBound(), PolicyStats: d.PolicyStats(), DesktopCapable: d.DesktopCapable(),
		DisplayManager: d.DisplayManager(), Unparsed: d.Unparsed()}
	if id, ok := d.PrimarySystemUser(); ok {
		s.PrimarySystemUser = &struct {
			ID string `json:"id"`
		}{ID: id}
	}
	return s
}

// MarshalJSON writes the device exactly as its System is written.
// (A writer of many devices does better to encode each one's System itself: encoding/json reads
// what a MarshalJSON returns once more.)
func (d Device) MarshalJSON() ([]byte, error) { return json.Marshal(d.System()) }

// The accessors below read the device's fields. Those that return pointers return shared values
// (nil when JumpCloud did not send the field): read them, never write through them.

func (d *Device) OS() string             { return d.kind.os }
func (d *Device) OSFamily() string       { return d.kind.osFamily }
func (d *Device) Version() string        { return d.kind.version }
func (d *Device) Arch() string           { return d.kind.arch }
func (d *Device) AgentVersion() string   { return d.kind.agentVersion }
func (d *Device) DisplayManager() string { return d.kind.displayManager }
func (d *Device) Active() bool           { return d.flags.has(flagActive) }

// Family is System.Family, worked out once per kind of device.
func (d *Device) Family() string { return d.kind.family }

// IsMobile is System.IsMobile.
func (d *Device) IsMobile() bool { return isMobileFamily(d.kind.family) }

// IsServer is System.IsServer.
func (d *Device) IsServer() (server, ok bool) {
	if !d.flags.has(flagHasDesktopCapable) {
		return false, false
	}
	return !d.flags.has(flagDesktopCapable), true
}

func (d *Device) OSVersionDetail() *OSVersionDetail {
	if !d.kind.hasDetail {
		return nil
	}
	return &d.kind.detail
}

func (d *Device) SystemInsights() *SystemInsightsState {
	if !d.kind.hasInsights {
		return nil
	}
	return &d.kind.insights
}

func (d *Device) FDE() *FDE {
	if !d.flags.has(flagHasFDE) {
		return nil
	}
	i := 0
	if d.flags.has(flagFDEActive) {
		i += 2
	}
	if d.flags.has(flagFDEKeyPresent) {
		i++
	}
	return &fdeValues[i]
}

func (d *Device) IsPolicyBound() *bool {
	return d.optionalBool(flagHasPolicyBound, flagPolicyBound)
}

func (d *Device) DesktopCapable() *bool {
	return d.optionalBool(flagHasDesktopCapable, flagDesktopCapable)
}

func (d *Device) optionalBool(has, value deviceFlags) *bool {
	if !d.flags.has(has) {
		return nil
	}
	if d.flags.has(value) {
		return &yes
	}
	return &no
}

// PolicyStats are the device's policy counters (nil: JumpCloud sent none).
func (d *Device) PolicyStats() *PolicyStats { return d.stats }

// PrimarySystemUser is the id of the device's primary user; ok is false when JumpCloud sent no
// primarySystemUser.
func (d *Device) PrimarySystemUser() (id string, ok bool) {
	return d.owner, d.flags.has(flagHasOwner)
}

// LastContact is when the agent last checked in (nil: JumpCloud did not say).
func (d *Device) LastContact() *time.Time { return d.optionalTime(flagHasLastContact, d.lastContact) }

// Created is when the device was added (nil: JumpCloud did not say).
func (d *Device) Created() *time.Time { return d.optionalTime(flagHasCreated, d.created) }

func (d *Device) optionalTime(has deviceFlags, i instant) *time.Time {
	if !d.flags.has(has) {
		return nil
	}
	t := i.time()
	return &t
}

// Unparsed are the fields JumpCloud sent that could not be read (see UnparsedField).
func (d *Device) Unparsed() []UnparsedField {
	if d.unparsed == nil {
		return nil
	}
	return *d.unparsed
}

// Name is System.Name.
func (d *Device) Name() string { return deviceName(d.DisplayName, d.Hostname, d.ID) }
