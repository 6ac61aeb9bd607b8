package jumpcloud

import "strings"

// OS families a device can belong to. Checks decide per family, so a family is named only when
// the device says which one it is: anything unrecognised is FamilyUnknown, never "linux".
const (
	FamilyDarwin  = "darwin"
	FamilyWindows = "windows"
	FamilyLinux   = "linux"
	FamilyIOS     = "ios"
	FamilyIPadOS  = "ipados"
	FamilyAndroid = "android"
	FamilyUnknown = "unknown"
)

// linuxNames are os names JumpCloud's agent reports for Linux distributions (the agent supports
// these; the v1 spec gives no list, so the match is by substring, case-insensitive).
var linuxNames = []string{"linux", "ubuntu", "debian", "rocky", "centos", "red hat", "rhel", "fedora",
	"amazon", "suse", "alma", "mint", "pop!_os", "arch", "oracle", "kali"}

// Family is the device's OS family: one of the Family constants.
//
// The v1 spec types osFamily as a free string and lists no values; "darwin", "windows" and
// "linux" are what JumpCloud's tools compare against, and policy templates' osMetaFamily adds
// "ios" and "android" (v2 spec). MDM-enrolled iPhones and iPads report an os of "iOS" or
// "iPadOS"; the os name is read first for those because an iPad's osFamily may well say "ios".
func (s System) Family() string {
	os := strings.ToLower(strings.TrimSpace(s.OS))
	fam := strings.ToLower(strings.TrimSpace(s.OSFamily))
	switch {
	case strings.Contains(os, "ipados") || strings.Contains(os, "ipad"):
		return FamilyIPadOS
	case os == "ios" || strings.HasPrefix(os, "ios ") || strings.Contains(os, "iphone") || fam == FamilyIOS:
		return FamilyIOS
	case strings.Contains(os, "android") || fam == FamilyAndroid:
		return FamilyAndroid
	case fam == FamilyDarwin || fam == "macos" || strings.Contains(os, "mac"):
		return FamilyDarwin
	case fam == FamilyWindows || strings.Contains(os, "windows"):
		return FamilyWindows
	case fam == FamilyLinux:
		return FamilyLinux
	}
	for _, n := range linuxNames {
		if strings.Contains(os, n) {
			return FamilyLinux
		}
	}
	return FamilyUnknown
}

// IsMobile reports whether the device is a phone or tablet: no agent, no System Insights, and
// checks such as screen lock are enforced by MDM, not by the agent's policies.
func (s System) IsMobile() bool { return isMobileFamily(s.Family()) }

func isMobileFamily(family string) bool {
	switch family {
	case FamilyIOS, FamilyIPadOS, FamilyAndroid:
		return true
	}
	return false
}

// IsServer reports whether the device says it has no desktop (desktopCapable false). ok is false
// when the API said nothing (then a check must not assume a server). displayManager is shown as
// evidence beside it but does not decide: the spec gives it no values.
func (s System) IsServer() (server, ok bool) {
	if s.DesktopCapable != nil {
		return !*s.DesktopCapable, true
	}
	return false, false
}
