package jctest

import "time"

// The generated organisation is kept in compact structs; JSON is rendered per page on demand
// (wire_*.go), so a 100,000-device org costs a few tens of MB and no request renders more than
// one page.

// OS families as JumpCloud names them in osFamily and in policy templates' osMetaFamily.
const (
	famDarwin uint8 = iota
	famWindows
	famLinux
	famIPad // MDM-enrolled iPads: no agent, no System Insights (UNCONFIRMED osFamily "ios")
)

var familyNames = [...]string{"darwin", "windows", "linux", "ios"}

// Disk encryption as the agent reports it in JcSystem.fde. fdeUnknown means the fde object is
// absent from the JSON (unknown, not false: reference §10.4 quirk 8).
const (
	fdeUnknown uint8 = iota
	fdeActive
	fdeInactive
)

// Firewall state. For macOS it is ALF's global_state (0 off, 1 on, 2 block all); for Windows the
// Security Center's firewall column; Linux reports none.
const (
	fwOff uint8 = iota
	fwOn
	fwBlockAll
)

// System Insights state on the device; siAbsent omits the object (unknown).
const (
	siAbsent uint8 = iota
	siEnabled
	siDisabled
	siDeferred
)

var siStateNames = [...]string{"", "enabled", "disabled", "deferred"}

// osRelease is one OS version a device can run.
type osRelease struct {
	family              uint8
	os                  string // JcSystem.os
	version             string // JcSystem.version
	major, minor, patch int
	build               string
	releaseName         string // osVersionDetail.releaseName / os_version.codename
	siName              string // os_version.name
}

// The mix covers both sides of every end-of-support rule: patched and unpatched macOS majors, a
// macOS out of support, Windows builds supported or not by edition (Windows 10 Enterprise LTSC
// 2021 outlives Windows 11 23H2), Linux releases in and out of standard support.
var osReleases = []osRelease{
	{famDarwin, "Mac OS X", "15.7.2", 15, 7, 2, "24G325", "Sequoia", "macOS"},
	{famDarwin, "Mac OS X", "26.1", 26, 1, 0, "25B78", "Tahoe", "macOS"},
	{famDarwin, "Mac OS X", "14.8.2", 14, 8, 2, "23J126", "Sonoma", "macOS"},
	{famDarwin, "Mac OS X", "15.3.1", 15, 3, 1, "24D70", "Sequoia", "macOS"},
	{famDarwin, "Mac OS X", "13.7.8", 13, 7, 8, "22H730", "Ventura", "macOS"},
	{famWindows, "Windows", "11 Pro 25H2", 10, 0, 26200, "26200.7171", "25H2", "Microsoft Windows 11 Pro"},
	{famWindows, "Windows", "11 Enterprise 24H2", 10, 0, 26100, "26100.7171", "24H2", "Microsoft Windows 11 Enterprise"},
	{famWindows, "Windows", "11 Enterprise 23H2", 10, 0, 22631, "22631.6199", "23H2", "Microsoft Windows 11 Enterprise"},
	{famWindows, "Windows", "10 Pro 22H2", 10, 0, 19045, "19045.6456", "22H2", "Microsoft Windows 10 Pro"},
	{famWindows, "Windows", "10 Enterprise LTSC 2021", 10, 0, 19044, "19044.6456", "21H2", "Microsoft Windows 10 Enterprise LTSC 2021"},
	{famLinux, "Ubuntu", "24.04", 24, 4, 0, "", "noble", "Ubuntu"},
	{famLinux, "Ubuntu", "22.04", 22, 4, 0, "", "jammy", "Ubuntu"},
	{famLinux, "Rocky", "9.4", 9, 4, 0, "", "Blue Onyx", "Rocky Linux"},
	{famLinux, "Ubuntu", "20.04", 20, 4, 0, "", "focal", "Ubuntu"},
	{famIPad, "iPadOS", "18.1", 18, 1, 0, "22B83", "", "iPadOS"},
}

// osByFamily indexes osReleases per family, newest first (generation picks by weight).
var osByFamily = func() [4][]int {
	var by [4][]int
	for i, r := range osReleases {
		by[r.family] = append(by[r.family], i)
	}
	return by
}()

var agentVersions = []string{"1.182.0", "1.180.0", "1.178.2", "1.166.0", "1.150.1"}

// device is one generated system.
type device struct {
	hostname    string
	displayName string
	serial      string
	os          uint8 // index into osReleases
	family      uint8
	arm         bool
	fde         uint8
	keyPresent  bool
	firewall    uint8
	si          uint8
	agent       uint8 // index into agentVersions
	active      bool
	screenLock  bool  // has a managed screen-lock configuration profile (macOS managed_policies rows)
	server      bool  // a Linux host without a desktop (desktopCapable false)
	staleSI     bool  // its System Insights rows are two weeks older than its last check-in
	alfBug      bool  // macOS 15 with osquery < 5.14: alf.global_state reads 0 whatever the setting
	wscUnknown  uint8 // 0, or 1 "Not Monitored" / 2 "Error" in windows_security_center
	unreported  uint8 // policies bound (policyStats.total) that have no status to list
	user        int32 // primary system user index, -1 for none
	lastContact time.Time
	created     time.Time
	remoteIP    [4]byte
	stats       policyStats
}

type policyStats struct{ total, success, failed, pending uint16 }

// Account states of a system user.
const (
	userActivated uint8 = iota
	userStaged
	userSuspended
)

// MFA on a user. mfaAbsent omits the mfa object (unknown).
const (
	mfaAbsent uint8 = iota
	mfaConfigured
	mfaNotConfigured
	mfaExcluded // not configured, excluded until a date
)

type user struct {
	first, last      string
	username         string
	state            uint8
	locked           bool
	passwordExpired  bool
	passwordNeverExp bool
	mfa              uint8
	totp             bool
	enrollmentAbsent bool
	created          time.Time
	passwordSet      time.Time
	department       string
	employeeType     string
}

// Policy kinds, each with a template per OS family.
const (
	polScreenLock uint8 = iota
	polFirewall
	polDiskEncryption
	polOSUpdates
)

type policyTemplate struct {
	idx         int
	kind        uint8
	family      uint8
	name        string
	displayName string
	description string
}

// policyTemplates are in the order policies are created from them: the default 8 policies cover
// screen lock, firewall, disk encryption and OS updates on macOS and Windows.
var policyTemplates = []policyTemplate{
	{0, polScreenLock, famDarwin, "screen_lock_darwin", "Screen Lock - macOS", "Requires a password after the screen saver begins or the display sleeps."},
	{1, polScreenLock, famWindows, "screen_lock_windows", "Lock Screen - Windows", "Locks the screen after a period of inactivity."},
	{2, polFirewall, famDarwin, "firewall_darwin", "Application Firewall - macOS", "Turns on the macOS application layer firewall."},
	{3, polFirewall, famWindows, "firewall_windows", "Windows Firewall", "Turns on Windows Defender Firewall for all profiles."},
	{4, polDiskEncryption, famDarwin, "filevault_darwin", "FileVault 2 - macOS", "Enables FileVault full disk encryption and escrows the recovery key."},
	{5, polDiskEncryption, famWindows, "bitlocker_windows", "BitLocker Full Disk Encryption - Windows", "Enables BitLocker on the system drive."},
	{6, polOSUpdates, famDarwin, "os_updates_darwin", "macOS Software Updates", "Installs macOS updates automatically."},
	{7, polOSUpdates, famWindows, "os_updates_windows", "Windows Updates", "Configures automatic Windows updates."},
	{8, polScreenLock, famLinux, "screen_lock_linux", "Lock Screen - Linux", "Locks the GNOME session after inactivity."},
	{9, polOSUpdates, famLinux, "os_updates_linux", "Linux Automatic Updates", "Enables unattended security updates."},
	{10, polFirewall, famLinux, "firewall_linux", "UFW Firewall - Linux", "Enables the uncomplicated firewall."},
}

type policy struct {
	name     string
	template *policyTemplate
	// bound devices in ascending order with their latest outcome; statuses[i] is the result of
	// devices[i].
	devices  []int32
	outcomes []uint8
	// firstResult is the sequence number of this policy's first result (result ids are global).
	firstResult int
}

// Policy result outcomes, and how a result spells its outcome on the wire.
const (
	outSuccess uint8 = iota
	outFailed
	outPending
)

var outcomeNames = [...]string{"success", "failed", "pending"}

type application struct {
	name, displayName, description string
	active, jit                    bool
	created, certExpires           time.Time
	color                          string
}

type admin struct {
	id                     string
	email, first, last     string
	role                   string
	orgIdx                 int // -1 for a multi-tenant (provider) admin
	mfa, totp              bool
	suspended              bool
	created, lastLogin     time.Time
	apiKeyAllowed          bool
	keyPrefix              string
	keyCreated, keyExpires time.Time
}

type authnPolicy struct {
	name, description string
	disabled          bool
	kind              string // user_portal, admin_portal, application, ldap
	action            string
	mfa               bool
}
