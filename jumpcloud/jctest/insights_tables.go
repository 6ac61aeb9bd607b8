package jctest

// documentedInsightTables are the System Insights tables with a documented GET in JumpCloud's v2
// spec (reference §8). jctest generates rows for the six in insightTables; the others answer an
// empty list, as a real org whose agents report nothing for them would. Any other name is a 404.
var documentedInsightTables = map[string]bool{}

func init() {
	for _, t := range []string{"alf", "alf_exceptions", "alf_explicit_auths", "appcompat_shims", "apps",
		"authorized_keys", "azure_instance_metadata", "azure_instance_tags", "battery", "bitlocker_info",
		"browser_plugins", "certificates", "chassis_info", "chrome_extensions", "connectivity", "crashes",
		"cups_destinations", "disk_encryption", "disk_info", "dns_resolvers", "etc_hosts", "firefox_addons",
		"groups", "ie_extensions", "interface_addresses", "interface_details", "kernel_info", "launchd",
		"linux_packages", "logged_in_users", "logical_drives", "managed_policies", "mounts", "os_version",
		"patches", "programs", "python_packages", "safari_extensions", "scheduled_tasks", "secureboot",
		"services", "shadow", "shared_folders", "shared_resources", "sharing_preferences", "sip_config",
		"startup_items", "system_controls", "system_info", "tpm_info", "uptime", "usb_devices",
		"user_groups", "user_ssh_keys", "userassist", "users", "wifi_networks", "wifi_status",
		"windows_security_center", "windows_security_products"} {
		documentedInsightTables[t] = true
	}
}
