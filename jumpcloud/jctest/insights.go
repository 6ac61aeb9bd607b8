package jctest

import (
	"fmt"
	"strings"
)

// System Insights rows exist only for devices whose systemInsights state is "enabled" (reference
// §8), one or more per device depending on the table and OS. Each table keeps an index of
// (device, sub-row) pairs; a page renders only its own rows.

type insightRef struct {
	dev int32
	sub uint8
}

// insightTable describes one served table: which devices have rows, how many, and how a row
// renders. filters are the fields the spec allows in filter= besides system_id.
type insightTable struct {
	rowsFor func(d *device, i int) int
	render  func(o *orgData, d *device, i int, sub int) map[string]any
	filters []string
}

var insightTables = map[string]insightTable{
	"disk_encryption": {
		rowsFor: func(d *device, _ int) int { return b2i(d.family != famWindows) },
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

func (o *orgData) insightRow(table string, ref insightRef) map[string]any {
	d := &o.devices[ref.dev]
	row := insightTables[table].render(o, d, int(ref.dev), int(ref.sub))
	row["system_id"] = o.systemID(int(ref.dev))
	// The agent collects shortly before it last checked in.
	row["collection_time"] = d.lastContact.Add(-2 * 60e9).Format(timeFormat)
	return row
}

func renderDiskEncryption(o *orgData, d *device, i, _ int) map[string]any {
	// System Insights sees the disk even where the agent's fde object is absent: an unknown fde
	// is then settled by this row (roughly two thirds encrypted).
	enc := d.fde == fdeActive || d.fde == fdeUnknown && mix(uint64(i)^0xd15c)%3 != 0
	row := map[string]any{"encrypted": b2i(enc), "uid": "", "user_uuid": ""}
	if d.family == famDarwin {
		row["name"], row["type"] = "/dev/disk3s1", "APFS"
		row["uuid"] = fakeUUID(uint64(i), 1)
	} else {
		row["name"], row["type"] = "/dev/dm-0", ""
		row["uuid"] = ""
		if enc {
			row["type"] = "LUKS2 aes-xts-plain64"
		}
	}
	row["encryption_status"] = "not encrypted"
	if enc {
		row["encryption_status"] = "encrypted"
		if d.family == famDarwin {
			row["type"] = "APFS Encryption"
		}
	}
	return row
}

func renderBitlocker(o *orgData, d *device, i, sub int) map[string]any {
	on := d.fde == fdeActive || d.fde == fdeUnknown && mix(uint64(i)^0xb17)%2 == 0
	if sub == 1 { // data drive: encrypted less often
		on = on && mix(uint64(i)^0xdd)%3 != 0
	}
	row := map[string]any{
		"drive_letter":         []string{"C:", "D:"}[sub],
		"device_id":            fmt.Sprintf(`\\?\Volume{%s}\`, fakeUUID(uint64(i), uint64(sub))),
		"persistent_volume_id": "",
		"protection_status":    0,
		"conversion_status":    0,
		"encryption_method":    "None",
		"percentage_encrypted": 0,
	}
	if on {
		row["persistent_volume_id"] = "{" + strings.ToUpper(fakeUUID(uint64(i), 7+uint64(sub))) + "}"
		row["protection_status"], row["conversion_status"] = 1, 1
		row["encryption_method"], row["percentage_encrypted"] = "XTS_AES_128", 100
	}
	return row
}

func renderALF(o *orgData, d *device, i, _ int) map[string]any {
	return map[string]any{
		"global_state":         int(d.firewall),
		"stealth_enabled":      b2i(d.firewall == fwBlockAll || mix(uint64(i)^0x57)%4 == 0),
		"logging_enabled":      b2i(d.firewall != fwOff),
		"allow_signed_enabled": 1,
		"firewall_unload":      0,
		"logging_option":       0,
		"version":              "1.6",
	}
}

func renderWSC(o *orgData, d *device, i, _ int) map[string]any {
	h := mix(uint64(i) ^ 0x3c)
	fw := "Good"
	if d.firewall == fwOff {
		fw = []string{"Poor", "Snoozed", "Not Monitored"}[h%3]
	}
	av := []string{"Good", "Good", "Good", "Good", "Poor", "Snoozed"}[(h>>8)%6]
	au := []string{"Good", "Good", "Good", "Poor"}[(h>>16)%4]
	return map[string]any{
		"firewall":                        fw,
		"antivirus":                       av,
		"antispyware":                     av,
		"autoupdate":                      au,
		"internet_settings":               "Good",
		"user_account_control":            []string{"Good", "Good", "Good", "Poor"}[(h>>24)%4],
		"windows_security_center_service": "Good",
	}
}

func renderOSVersion(o *orgData, d *device, i, _ int) map[string]any {
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
	return map[string]any{
		"name":          rel.siName,
		"version":       version,
		"major":         rel.major,
		"minor":         rel.minor,
		"patch":         rel.patch,
		"build":         rel.build,
		"platform":      plat,
		"platform_like": like,
		"codename":      rel.releaseName,
		"install_date":  "",
	}
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

func renderManagedPolicy(o *orgData, d *device, i, sub int) map[string]any {
	p := managedPolicyRows[sub]
	return map[string]any{
		"domain":   p[0],
		"name":     p[1],
		"value":    p[2],
		"uuid":     fakeUUID(uint64(i), 100+uint64(sub)),
		"username": "",
		"manual":   0,
	}
}

func fakeUUID(a, b uint64) string {
	h1, h2 := mix(a^b<<40), mix(a<<1^b^0xfeed)
	return fmt.Sprintf("%08x-%04x-%04x-%04x-%012x", uint32(h1), uint16(h1>>32), uint16(h1>>48), uint16(h2), h2>>16&0xffffffffffff)
}
