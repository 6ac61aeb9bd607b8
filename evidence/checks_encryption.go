package evidence

import (
	"fmt"
	"strconv"
	"strings"

	"jcconnect/jumpcloud"
)

// Disk encryption is decided on the system volume, by the source that means "protected at rest
// against someone holding the device":
//
//   - macOS: the agent's fde.active (FileVault). System Insights' disk_encryption.encrypted is 1 on
//     every APFS volume of a T2 or Apple silicon Mac whether FileVault is on or not (the hardware
//     encrypts at rest; osquery PR #6823 added filevault_status for that reason), so it never
//     passes a Mac by itself. It can contradict the agent: FileVault off by filevault_status, or
//     no volume encrypted at all, against an agent saying active → unknown, showing both.
//   - Windows: the system drive's BitLocker protection_status (1 on, 0 off, 2 unknown, e.g. a
//     locked volume) and the agent's fde.active; disagreeing → unknown.
//   - Linux: the device mounted at / (System Insights mounts) must be encrypted; an encrypted
//     data volume does not pass a host.
//
// Missing evidence is unknown, never not_applicable.

// siVerdict is what System Insights says of the system volume: nil when it says nothing.
type siVerdict struct {
	on  bool
	why string
}

func checkDiskEncryption(s *Snapshot, ix *index, d *jumpcloud.Device, e *deviceEvidence) Result {
	res := Result{Check: "disk_encryption"}
	e.add("fde.active", fdeActive(d))
	e.add("fde.keyPresent", fdeKeyPresent(d))
	e.add("os", d.OS())
	if why := notApplicableDevice(d, false); why != "" {
		res.Status, res.Reason = NotApplicable, why
		return res
	}
	var si *siVerdict
	var siWhy string
	switch d.Family() {
	case jumpcloud.FamilyDarwin:
		si, siWhy = macVolumes(s, ix, d, e)
	case jumpcloud.FamilyWindows:
		si, siWhy = windowsSystemDrive(s, ix, d, e)
	case jumpcloud.FamilyLinux:
		si, siWhy = linuxRoot(s, ix, d, e)
	default:
		res.Status, res.Reason = Unknown, "the OS family of this device is unknown, so no encryption evidence can be read"
		return res
	}
	agent := d.FDE()
	switch {
	case agent != nil && si != nil && agent.Active != si.on:
		res.Status, res.Reason = Unknown, fmt.Sprintf("the agent reports full-disk encryption %s but %s", onOff(agent.Active), si.why)
	case agent != nil && agent.Active:
		res.Status, res.Reason = Pass, "the JumpCloud agent reports full-disk encryption active"
		if si != nil {
			res.Reason += " and " + si.why
		}
	case agent != nil:
		res.Status, res.Reason = Fail, "the JumpCloud agent reports full-disk encryption inactive"
		if d.Family() == jumpcloud.FamilyDarwin {
			res.Reason = "the JumpCloud agent reports FileVault off (hardware encryption of the volumes does not protect a Mac at rest)"
		}
	case si != nil && si.on && d.Family() == jumpcloud.FamilyDarwin:
		res.Status, res.Reason = Unknown, "the agent sent no fde state; "+si.why+", which alone does not prove FileVault"
	case si != nil && si.on:
		res.Status, res.Reason = Pass, strings.ToUpper(si.why[:1])+si.why[1:]
	case si != nil:
		res.Status, res.Reason = Fail, strings.ToUpper(si.why[:1])+si.why[1:]
	default:
		res.Status, res.Reason = Unknown, "the agent sent no fde state and "+siWhy
	}
	return res
}

func onOff(b bool) string {
	if b {
		return "active"
	}
	return "inactive"
}

// macVolumes reads disk_encryption on a Mac: filevault_status (osquery ≥ 4.7) says on/off;
// without it, encrypted=0 on every volume says off; encrypted=1 says nothing about FileVault.
func macVolumes(s *Snapshot, ix *index, d *jumpcloud.Device, e *deviceEvidence) (*siVerdict, string) {
	rows, why := siRows(s, ix, d, jumpcloud.TableDiskEncryption)
	if len(rows) == 0 {
		return nil, why
	}
	anyEncrypted := false
	fv := ""
	for _, row := range rows {
		e.add("disk_encryption "+row.String("name"),
			fmt.Sprintf("encrypted=%s status=%s type=%s filevault_status=%s collection_time=%s", row.String("encrypted"),
				row.String("encryption_status"), row.String("type"), firstNonEmpty(row.String("filevault_status"), "absent"), row.CollectionTime()))
		if n, ok := row.Int("encrypted"); ok && n == 1 {
			anyEncrypted = true
		}
		if v := strings.ToLower(row.String("filevault_status")); v == "on" || v == "off" {
			fv = max(fv, v) // "on" wins over "off" across volumes
		}
	}
	switch {
	case fv == "on":
		return &siVerdict{true, "System Insights reports FileVault on"}, ""
	case fv == "off":
		return &siVerdict{false, "System Insights reports FileVault off"}, ""
	case !anyEncrypted:
		return &siVerdict{false, "System Insights reports no encrypted volume"}, ""
	}
	return nil, "System Insights shows encrypted volumes, which on T2 and Apple silicon Macs does not mean FileVault is on"
}

// windowsSystemDrive reads bitlocker_info for the system drive (C:, else the only drive).
func windowsSystemDrive(s *Snapshot, ix *index, d *jumpcloud.Device, e *deviceEvidence) (*siVerdict, string) {
	rows, why := siRows(s, ix, d, jumpcloud.TableBitlockerInfo)
	if len(rows) == 0 {
		return nil, why
	}
	var sys *jumpcloud.InsightRow
	for i, row := range rows {
		e.add("bitlocker "+row.String("drive_letter"),
			"protection_status="+row.String("protection_status")+" percentage_encrypted="+row.String("percentage_encrypted")+
				" collection_time="+row.CollectionTime())
		if strings.EqualFold(strings.TrimSpace(row.String("drive_letter")), "C:") {
			sys = &rows[i]
		}
	}
	if sys == nil && len(rows) == 1 {
		sys = &rows[0]
	}
	if sys == nil {
		return nil, "System Insights has no row for the system drive C:"
	}
	drive := firstNonEmpty(sys.String("drive_letter"), "the system drive")
	switch n, ok := sys.Int("protection_status"); {
	case ok && n == 1:
		return &siVerdict{true, "System Insights reports BitLocker protection on for " + drive}, ""
	case ok && n == 0:
		return &siVerdict{false, "System Insights reports BitLocker protection off for " + drive}, ""
	case ok && n == 2:
		return nil, "BitLocker reports protection status 2 (unknown, e.g. a locked volume) for " + drive
	}
	return nil, "BitLocker protection_status is not a known value for " + drive
}

// linuxRoot finds the device mounted at / and its disk_encryption row.
func linuxRoot(s *Snapshot, ix *index, d *jumpcloud.Device, e *deviceEvidence) (*siVerdict, string) {
	rows, why := siRows(s, ix, d, jumpcloud.TableDiskEncryption)
	if len(rows) == 0 {
		return nil, why
	}
	for _, row := range rows {
		e.add("disk_encryption "+row.String("name"),
			"encrypted="+row.String("encrypted")+" type="+row.String("type")+" collection_time="+row.CollectionTime())
	}
	mounts, why := siRows(s, ix, d, jumpcloud.TableMounts)
	var root *jumpcloud.InsightRow
	for i, m := range mounts {
		if m.String("path") == "/" {
			root = &mounts[i]
		}
	}
	if root == nil {
		return nil, firstNonEmpty(why, "System Insights did not report the device mounted at /") + ", so the system volume is not known"
	}
	dev, alias := root.String("device"), root.String("device_alias")
	e.add("mounts /", "device="+dev+" device_alias="+alias)
	for _, row := range rows {
		name := row.String("name")
		if name == "" || (name != dev && name != alias) {
			continue
		}
		if n, ok := row.Int("encrypted"); ok {
			if n == 1 {
				return &siVerdict{true, "System Insights reports the root volume " + name + " encrypted"}, ""
			}
			return &siVerdict{false, "System Insights reports the root volume " + name + " not encrypted"}, ""
		}
	}
	return nil, "System Insights has no disk_encryption row for the root volume " + firstNonEmpty(alias, dev)
}

func fdeActive(d *jumpcloud.Device) string {
	if d.FDE() == nil {
		return "absent"
	}
	return strconv.FormatBool(d.FDE().Active)
}

func fdeKeyPresent(d *jumpcloud.Device) string {
	if d.FDE() == nil {
		return "absent"
	}
	return strconv.FormatBool(d.FDE().KeyPresent)
}
