package jumpcloud

import (
	"strings"
	"time"
)

// FDE is a device's full-disk-encryption state as the agent reports it.
type FDE struct {
	Active     bool `json:"active"`
	KeyPresent bool `json:"keyPresent"`
}

// SystemInsightsState is "enabled", "disabled" or "deferred".
type SystemInsightsState struct {
	State string `json:"state"`
}

// PolicyStats are the per-system policy counters of GET /api/systems.
type PolicyStats struct {
	Total         int `json:"total"`
	Success       int `json:"success"`
	Failed        int `json:"failed"`
	Pending       int `json:"pending"`
	Duplicate     int `json:"duplicate"`
	UnsupportedOS int `json:"unsupportedOs"`
}

// OSVersionDetail is JcSystem.osVersionDetail.
type OSVersionDetail struct {
	OSName      string `json:"osName"`
	Version     string `json:"version"`
	Major       string `json:"major"`
	Minor       string `json:"minor"`
	Patch       string `json:"patch"`
	ReleaseName string `json:"releaseName"`
	// DistributionName names a Linux distribution ("Ubuntu", "Rocky Linux"); the v1 spec lists
	// it without values, so it is matched loosely (evidence/os_support.go).
	DistributionName string `json:"distributionName"`
}

// System is a device: GET /api/systems.
type System struct {
	ID                string               `json:"id"`
	DisplayName       string               `json:"displayName"`
	Hostname          string               `json:"hostname"`
	SerialNumber      string               `json:"serialNumber"`
	OS                string               `json:"os"`
	OSFamily          string               `json:"osFamily"`
	Version           string               `json:"version"`
	OSVersionDetail   *OSVersionDetail     `json:"osVersionDetail"`
	Arch              string               `json:"arch"`
	Active            bool                 `json:"active"`
	LastContact       *time.Time           `json:"lastContact"`
	Created           *time.Time           `json:"created"`
	AgentVersion      string               `json:"agentVersion"`
	FDE               *FDE                 `json:"fde"`            // nil: unknown
	SystemInsights    *SystemInsightsState `json:"systemInsights"` // nil: unknown
	IsPolicyBound     *bool                `json:"isPolicyBound"`
	PolicyStats       *PolicyStats         `json:"policyStats"`
	PrimarySystemUser *struct {
		ID string `json:"id"`
	} `json:"primarySystemUser"`
	// DesktopCapable and DisplayManager tell a server from a desktop (JcSystem, v1 spec);
	// nil / "" when the API did not say. See osfamily.go.
	DesktopCapable *bool  `json:"desktopCapable"`
	DisplayManager string `json:"displayManager"`

	Unparsed []UnparsedField `json:"unparsed,omitempty"`
}

func (s *System) UnmarshalJSON(b []byte) error {
	type plain System
	aux := struct {
		*plain
		UnderscoreID string `json:"_id"`
	}{plain: (*plain)(s)}
	return decodeRecord(b, &aux, &s.ID, &aux.UnderscoreID, &s.Unparsed)
}

// Name is the device's display name, else its hostname, else its id.
func (s System) Name() string { return deviceName(s.DisplayName, s.Hostname, s.ID) }

func deviceName(displayName, hostname, id string) string {
	for _, n := range []string{displayName, hostname, id} {
		if strings.TrimSpace(n) != "" {
			return n
		}
	}
	return ""
}
