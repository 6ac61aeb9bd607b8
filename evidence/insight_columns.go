package evidence

import "jcconnect/jumpcloud"

// checkColumns are the System Insights columns the checks read, per table. A collection that
// only feeds the checks (CollectOptions.StatusesForChecksOnly: the preview, the browser,
// `devices`) keeps these and drops the rest of each row as its page is decoded; an export keeps
// every column, as evidence. A test reads the checks' source for every column they name, so a
// check that starts reading another one fails it until the column is listed here.
var checkColumns = map[string][]string{
	jumpcloud.TableDiskEncryption:        {"name", "encrypted", "encryption_status", "type", "filevault_status"},
	jumpcloud.TableBitlockerInfo:         {"drive_letter", "protection_status", "percentage_encrypted"},
	jumpcloud.TableALF:                   {"global_state"},
	jumpcloud.TableWindowsSecurityCenter: {"firewall", "antivirus"},
	jumpcloud.TableOSVersion:             {"name", "platform", "version", "major", "minor", "patch", "build"},
	jumpcloud.TableManagedPolicies:       {"domain", "name", "value"},
	jumpcloud.TableMounts:                {"path", "device", "device_alias"},
}
