package jctest

import (
	"fmt"
	"strings"
	"time"
)

// System Insights rows exist only for devices whose systemInsights state is "enabled" (reference
// §8), one or more per device depending on the table and OS. Each table keeps an index of
// (device, sub-row) pairs; a page renders only its own rows.

type insightRef struct {
	dev int32
	sub uint8
}

// siRow is what every System Insights row has; the table structs embed it.
type siRow struct {
	SystemID       string `json:"system_id"`
	CollectionTime string `json:"collection_time"`
}

// insightTable describes one served table: which devices have rows, how many, and how a row
// renders (a typed struct per table: a 10000-row page renders in a few milliseconds).
// filters are the fields the spec allows in filter= besides system_id.
type insightTable struct {
	rowsFor func(d *device, i int) int
	render  func(d *device, i int, sub int, base siRow) any
	filters []string
}

var insightTables = map[string]insightTable{
	"disk_encryption": {
		rowsFor: func(d *device, i int) int {
			if d.family == famLinux {
				_, dataOnly := linuxEncrypted(d, i)
				return 1 + b2i(dataOnly)
			}
			return b2i(d.family == famDarwin)
		},
		render:  renderDiskEncryption,
		filters: []string{"encryption_status"},
	},
	"bitlocker_info": {
		rowsFor: func(d *device, i int) int {
			if d.family != famWindows {
				return 0
			}
			return 1 + b2i(mix(uint64(i))%5 == 0) // some have a data drive
		},
		render:  renderBitlocker,
		filters: []string{"protection_status"},
	},
	"alf": {
		rowsFor: func(d *device, _ int) int { return b2i(d.family == famDarwin) },
		render:  renderALF,
		filters: []string{"global_state"},
	},
	"windows_security_center": {
		rowsFor: func(d *device, _ int) int { return b2i(d.family == famWindows) },
		render:  renderWSC,
	},
	"os_version": {
		rowsFor: func(d *device, _ int) int { return 1 },
		render:  renderOSVersion,
		filters: []string{"version"},
	},
	"mounts": {
		// The root file system of every Mac and Linux host, and /boot on Linux.
		rowsFor: func(d *device, _ int) int {
			switch d.family {
			case famLinux:
				return 2
			case famDarwin:
				return 1
			}
			return 0
		},
		render:  renderMount,
		filters: []string{"path"},
	},
	"managed_policies": {
		rowsFor: func(d *device, _ int) int {
			if d.family != famDarwin {
				return 0
			}
			return 1 + 3*b2i(d.screenLock)
		},
		render:  renderManagedPolicy,
		filters: []string{"domain"},
	},
}

func b2i(b bool) int {
	if b {
		return 1
	}
	return 0
}

func (o *orgData) indexInsights(seed int64) {
	o.insights = make(map[string][]insightRef, len(insightTables))
	for name, t := range insightTables {
		var refs []insightRef
		for i := range o.devices {
			d := &o.devices[i]
			if d.si != siEnabled {
				continue
			}
			for sub := range t.rowsFor(d, i) {
				refs = append(refs, insightRef{int32(i), uint8(sub)})
			}
		}
		o.insights[name] = refs
	}
}

func (o *orgData) insightRow(table string, ref insightRef) any {
	d := &o.devices[ref.dev]
	// The agent collects shortly before it last checked in.
	collected := d.lastContact.Add(-2 * time.Minute)
	if d.staleSI {
		collected = collected.Add(-14 * 24 * time.Hour) // the agent stopped sending System Insights
	}
	base := siRow{SystemID: o.systemID(int(ref.dev)), CollectionTime: collected.Format(timeFormat)}
	return insightTables[table].render(d, int(ref.dev), int(ref.sub), base)
}

type rowDiskEncryption struct {
	siRow
	Name             string `json:"name"`
	UUID             string `json:"uuid"`
	Encrypted        int    `json:"encrypted"`
	EncryptionStatus string `json:"encryption_status"`
	Type             string `json:"type"`
	UID              string `json:"uid"`
	UserUUID         string `json:"user_uuid"`
}

// hardwareEncrypted: T2 and Apple silicon Macs encrypt every APFS volume at rest whether
// FileVault is on or not, and osquery reports those volumes encrypted (osquery PR #6823).
func hardwareEncrypted(d *device, i int) bool {
	return d.family == famDarwin && (d.arm || mix(uint64(i)^0x72)%3 != 0)
}

// linuxEncrypted: whether a Linux host's root volume is encrypted (the agent's fde when it sends
// one, else about two thirds), and whether an encrypted data volume sits beside an unencrypted
// root (a secondary volume must not pass the host).
func linuxEncrypted(d *device, i int) (root, dataOnly bool) {
	root = d.fde == fdeActive || d.fde == fdeUnknown && mix(uint64(i)^0xd15c)%3 != 0
	return root, !root && mix(uint64(i)^0xda7a)%3 == 0
}

func renderDiskEncryption(d *device, i, sub int, base siRow) any {
	// System Insights sees the disk even where the agent's fde object is absent.
	enc := d.fde == fdeActive || d.fde == fdeUnknown && mix(uint64(i)^0xd15c)%3 != 0
	row := rowDiskEncryption{siRow: base, EncryptionStatus: "not encrypted"}
	if d.family == famDarwin {
		enc = enc || hardwareEncrypted(d, i)
		row.Name, row.Type, row.UUID = "/dev/disk3s1", "APFS", fakeUUID(uint64(i), 1)
		if enc {
			row.Type = "APFS Encryption"
		}
	} else {
		root, _ := linuxEncrypted(d, i)
		enc = root
		row.Name = "/dev/dm-0"
		if sub == 1 { // the data volume, encrypted
			row.Name, enc = "/dev/dm-1", true
		}
		if enc {
			row.Type = "LUKS2 aes-xts-plain64"
		}
	}
	row.Encrypted = b2i(enc)
	if enc {
		row.EncryptionStatus = "encrypted"
	}
	return row
}

type rowMount struct {
	siRow
	Path        string `json:"path"`
	Device      string `json:"device"`
	DeviceAlias string `json:"device_alias"`
	Type        string `json:"type"`
	Flags       string `json:"flags"`
}

func renderMount(d *device, i, sub int, base siRow) any {
	if d.family == famDarwin {
		return rowMount{siRow: base, Path: "/", Device: "/dev/disk3s1s1", DeviceAlias: "/dev/disk3s1s1", Type: "apfs", Flags: "local"}
	}
	if sub == 1 {
		return rowMount{siRow: base, Path: "/boot", Device: "/dev/sda1", DeviceAlias: "/dev/sda1", Type: "ext4", Flags: "rw"}
	}
	return rowMount{siRow: base, Path: "/", Device: "/dev/dm-0", DeviceAlias: "/dev/dm-0", Type: "ext4", Flags: "rw"}
}

type rowBitlocker struct {
	siRow
	DriveLetter         string `json:"drive_letter"`
	DeviceID            string `json:"device_id"`
	PersistentVolumeID  string `json:"persistent_volume_id"`
	ProtectionStatus    int    `json:"protection_status"`
	ConversionStatus    int    `json:"conversion_status"`
	EncryptionMethod    string `json:"encryption_method"`
	PercentageEncrypted int    `json:"percentage_encrypted"`
}

func renderBitlocker(d *device, i, sub int, base siRow) any {
	on := d.fde == fdeActive || d.fde == fdeUnknown && mix(uint64(i)^0xb17)%2 == 0
	if sub == 1 { // data drive: encrypted less often
		on = on && mix(uint64(i)^0xdd)%3 != 0
	}
	row := rowBitlocker{siRow: base, DriveLetter: []string{"C:", "D:"}[sub],
		DeviceID:         fmt.Sprintf(`\\?\Volume{%s}\`, fakeUUID(uint64(i), uint64(sub))),
		EncryptionMethod: "None"}
	if on {
		row.PersistentVolumeID = "{" + strings.ToUpper(fakeUUID(uint64(i), 7+uint64(sub))) + "}"
		row.ProtectionStatus, row.ConversionStatus = 1, 1
		row.EncryptionMethod, row.PercentageEncrypted = "XTS_AES_128", 100
	}
	return row
}

type rowALF struct {
	siRow
	GlobalState        int    `json:"global_state"`
	StealthEnabled     int    `json:"stealth_enabled"`
	LoggingEnabled     int    `json:"logging_enabled"`
	AllowSignedEnabled int    `json:"allow_signed_enabled"`
	FirewallUnload     int    `json:"firewall_unload"`
	LoggingOption      int    `json:"logging_option"`
	Version            string `json:"version"`
}

func renderALF(d *device, i, _ int, base siRow) any {
	state := int(d.firewall)
	if d.alfBug {
		state = 0
	}
	return rowALF{siRow: base,
		GlobalState:        state,
		StealthEnabled:     b2i(d.firewall == fwBlockAll || mix(uint64(i)^0x57)%4 == 0),
		LoggingEnabled:     b2i(d.firewall != fwOff),
		AllowSignedEnabled: 1,
		Version:            "1.6",
	}
}

type rowWSC struct {
	siRow
	Firewall                     string `json:"firewall"`
	Antivirus                    string `json:"antivirus"`
	Antispyware                  string `json:"antispyware"`
	Autoupdate                   string `json:"autoupdate"`
	InternetSettings             string `json:"internet_settings"`
	UserAccountControl           string `json:"user_account_control"`
	WindowsSecurityCenterService string `json:"windows_security_center_service"`
}

func renderWSC(d *device, i, _ int, base siRow) any {
	h := mix(uint64(i) ^ 0x3c)
	fw := "Good"
	if d.firewall == fwOff {
		fw = []string{"Poor", "Snoozed", "Not Monitored"}[h%3]
	}
	av := []string{"Good", "Good", "Good", "Good", "Poor", "Snoozed"}[(h>>8)%6]
	if d.wscUnknown > 0 { // a server or a third-party product Security Center does not track
		fw = []string{"", "Not Monitored", "Error"}[d.wscUnknown]
		av = fw
	}
	return rowWSC{siRow: base,
		Firewall:                     fw,
		Antivirus:                    av,
		Antispyware:                  av,
		Autoupdate:                   []string{"Good", "Good", "Good", "Poor"}[(h>>16)%4],
		InternetSettings:             "Good",
		UserAccountControl:           []string{"Good", "Good", "Good", "Poor"}[(h>>24)%4],
		WindowsSecurityCenterService: "Good",
	}
}

type rowOSVersion struct {
	siRow
	Name         string `json:"name"`
	Version      string `json:"version"`
	Major        int    `json:"major"`
	Minor        int    `json:"minor"`
	Patch        int    `json:"patch"`
	Build        string `json:"build"`
	Platform     string `json:"platform"`
	PlatformLike string `json:"platform_like"`
	Codename     string `json:"codename"`
	InstallDate  string `json:"install_date"`
}

func renderOSVersion(d *device, i, _ int, base siRow) any {
	rel := osReleases[d.os]
	plat := familyNames[d.family]
	like := plat
	if d.family == famLinux {
		plat, like = strings.ToLower(rel.os), "debian"
		if rel.os == "Rocky" {
			plat, like = "rocky", "rhel centos fedora"
		}
	}
	version := rel.version
	if d.family == famWindows {
		version = fmt.Sprintf("%d.%d.%d", rel.major, rel.minor, rel.patch)
	}
	return rowOSVersion{siRow: base, Name: rel.siName, Version: version, Major: rel.major,
		Minor: rel.minor, Patch: rel.patch, Build: rel.build, Platform: plat, PlatformLike: like,
		Codename: rel.releaseName}
}

// managedPolicyRows are the configuration-profile keys the sandbox reports on macOS: automatic
// updates on every Mac, and the screen-lock keys on Macs with a screen-lock profile. The key
// names follow Apple's com.apple.screensaver payload (UNCONFIRMED as evidence, reference §8).
var managedPolicyRows = [][3]string{
	{"com.apple.SoftwareUpdate", "AutomaticallyInstallMacOSUpdates", "1"},
	{"com.apple.screensaver", "askForPassword", "1"},
	{"com.apple.screensaver", "askForPasswordDelay", "0"},
	{"com.apple.screensaver", "idleTime", "600"},
}

type rowManagedPolicy struct {
	siRow
	Domain   string `json:"domain"`
	Name     string `json:"name"`
	Value    string `json:"value"`
	UUID     string `json:"uuid"`
	Username string `json:"username"`
	Manual   int    `json:"manual"`
}

func renderManagedPolicy(d *device, i, sub int, base siRow) any {
	p := managedPolicyRows[sub]
	return rowManagedPolicy{siRow: base, Domain: p[0], Name: p[1], Value: p[2],
		UUID: fakeUUID(uint64(i), 100+uint64(sub))}
}

func fakeUUID(a, b uint64) string {
	h1, h2 := mix(a^b<<40), mix(a<<1^b^0xfeed)
	return fmt.Sprintf("%08x-%04x-%04x-%04x-%012x", uint32(h1), uint16(h1>>32), uint16(h1>>48), uint16(h2), h2>>16&0xffffffffffff)
}
