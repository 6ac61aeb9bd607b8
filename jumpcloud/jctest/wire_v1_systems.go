package jctest

// Wire shapes of v1 devices (GET /api/systems); wire_v1.go says why they are jctest's own.

import (
	"fmt"
)

type wireFDE struct {
	Active     bool `json:"active"`
	KeyPresent bool `json:"keyPresent"`
}

type wireState struct {
	State string `json:"state"`
}

type wirePolicyStats struct {
	Total         int `json:"total"`
	Success       int `json:"success"`
	Failed        int `json:"failed"`
	Pending       int `json:"pending"`
	Duplicate     int `json:"duplicate"`
	UnsupportedOS int `json:"unsupportedOs"`
}

type wireOSVersionDetail struct {
	OSName      string `json:"osName"`
	Version     string `json:"version"`
	Major       string `json:"major"`
	Minor       string `json:"minor"`
	Patch       string `json:"patch"`
	MajorNumber int    `json:"majorNumber"`
	MinorNumber int    `json:"minorNumber"`
	PatchNumber int    `json:"patchNumber"`
	ReleaseName string `json:"releaseName"`
}

type wireIDRef struct {
	ID string `json:"id"`
}

type wireSystem struct {
	UID                            string              `json:"_id"`
	ID                             string              `json:"id"`
	Organization                   string              `json:"organization"`
	DisplayName                    string              `json:"displayName"`
	Hostname                       string              `json:"hostname"`
	SerialNumber                   string              `json:"serialNumber"`
	OS                             string              `json:"os"`
	OSFamily                       string              `json:"osFamily"`
	Version                        string              `json:"version"`
	OSVersionDetail                wireOSVersionDetail `json:"osVersionDetail"`
	Arch                           string              `json:"arch"`
	Active                         bool                `json:"active"`
	LastContact                    string              `json:"lastContact"`
	Created                        string              `json:"created"`
	AgentVersion                   string              `json:"agentVersion"`
	RemoteIP                       string              `json:"remoteIP"`
	FDE                            *wireFDE            `json:"fde,omitempty"`
	SystemInsights                 *wireState          `json:"systemInsights,omitempty"`
	AllowMultiFactorAuthentication bool                `json:"allowMultiFactorAuthentication"`
	AllowSSHRootLogin              bool                `json:"allowSshRootLogin"`
	AllowSSHPasswordAuthentication bool                `json:"allowSshPasswordAuthentication"`
	AllowPublicKeyAuthentication   bool                `json:"allowPublicKeyAuthentication"`
	IsPolicyBound                  bool                `json:"isPolicyBound"`
	PolicyStats                    wirePolicyStats     `json:"policyStats"`
	PrimarySystemUser              *wireIDRef          `json:"primarySystemUser,omitempty"`
	DesktopCapable                 bool                `json:"desktopCapable"`
	DisplayManager                 string              `json:"displayManager,omitempty"`
}

func (o *orgData) wireSystem(i int) wireSystem {
	d := &o.devices[i]
	rel := osReleases[d.os]
	arch := "x86_64"
	switch {
	case d.arm && d.family == famDarwin:
		arch = "arm64"
	case d.arm:
		arch = "aarch64"
	case d.family == famWindows:
		arch = "64-bit"
	}
	w := wireSystem{
		UID: o.systemID(i), ID: o.systemID(i), Organization: o.id,
		DisplayName: d.displayName, Hostname: d.hostname, SerialNumber: d.serial,
		OS: rel.os, OSFamily: familyNames[d.family], Version: rel.version,
		OSVersionDetail: wireOSVersionDetail{
			OSName: rel.siName, Version: rel.version,
			Major: fmt.Sprint(rel.major), Minor: fmt.Sprint(rel.minor), Patch: fmt.Sprint(rel.patch),
			MajorNumber: rel.major, MinorNumber: rel.minor, PatchNumber: rel.patch,
			ReleaseName: rel.releaseName,
		},
		Arch:                           arch,
		Active:                         d.active,
		LastContact:                    d.lastContact.Format(timeFormat),
		Created:                        d.created.Format(timeFormat),
		AgentVersion:                   agentVersions[d.agent],
		RemoteIP:                       fmt.Sprintf("%d.%d.%d.%d", d.remoteIP[0], d.remoteIP[1], d.remoteIP[2], d.remoteIP[3]),
		AllowMultiFactorAuthentication: d.family != famLinux,
		AllowSSHPasswordAuthentication: d.family == famLinux && i%3 == 0,
		AllowPublicKeyAuthentication:   d.family == famLinux,
		AllowSSHRootLogin:              d.family == famLinux && i%11 == 0,
		IsPolicyBound:                  d.stats.total+uint16(d.unreported) > 0,
		// unreported: policies bound whose statuses the API does not list (counted in total only).
		PolicyStats: wirePolicyStats{Total: int(d.stats.total) + int(d.unreported), Success: int(d.stats.success),
			Failed: int(d.stats.failed), Pending: int(d.stats.pending)},
		DesktopCapable: !d.server,
	}
	switch {
	case d.family == famLinux && !d.server:
		w.DisplayManager = "gdm3"
	case d.family == famIPad:
		w.AgentVersion, w.Arch = "", "arm64"
	}
	if d.fde != fdeUnknown {
		w.FDE = &wireFDE{Active: d.fde == fdeActive, KeyPresent: d.keyPresent}
	}
	if d.si != siAbsent {
		w.SystemInsights = &wireState{State: siStateNames[d.si]}
	}
	if d.user >= 0 {
		w.PrimarySystemUser = &wireIDRef{ID: o.userID(int(d.user))}
	}
	return w
}
