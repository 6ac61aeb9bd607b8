package jctest

import (
	"fmt"
	"math/rand/v2"
	"strings"
	"time"
)

// orgSize is how big one generated organisation is.
type orgSize struct {
	devices, users, policies, apps int
}

// orgData is one generated organisation. Everything but admins is immutable after generate;
// admins grows when keys are added (guarded by Server.mu).
type orgData struct {
	idx      int
	id       string
	name     string // "" is served as a null displayName (reference §10.4 quirk 9)
	domain   string
	salt     uint16
	created  time.Time
	provider string // provider id when the org is managed by the multi-tenant admin

	systemInsights  bool // org feature; off: System Insights routes answer 404
	requireAdminMFA bool

	devices  []device
	users    []user
	policies []policy
	results  int // total policy results (statuses) over all policies
	apps     []application
	authn    []authnPolicy
	admins   []*admin
	insights map[string][]insightRef
	// systemGroups are the device groups tests add (AddSystemGroup; guarded by Server.mu).
	systemGroups []systemGroup

	policyByID map[string]int
}

// rng returns an independent random stream for one part of one org, so that changing the number
// of users does not change the devices, and so on.
func rng(seed int64, org int, stream uint64) *rand.Rand {
	return rand.New(rand.NewPCG(uint64(seed), uint64(org)<<8|stream))
}

// pick returns an index drawn with the given weights.
func pick(r *rand.Rand, weights ...int) int {
	sum := 0
	for _, w := range weights {
		sum += w
	}
	n := r.IntN(sum)
	for i, w := range weights {
		if n < w {
			return i
		}
		n -= w
	}
	return len(weights) - 1
}

func daysAgo(now time.Time, r *rand.Rand, minDays, maxDays int) time.Time {
	span := time.Duration(maxDays-minDays) * 24 * time.Hour
	d := time.Duration(minDays)*24*time.Hour + time.Duration(r.Int64N(int64(span)+1))
	return now.Add(-d).Truncate(time.Millisecond)
}

func generateOrg(idx int, name, domain string, seed int64, now time.Time, sz orgSize, hostile bool) *orgData {
	salt := uint16(mix(uint64(seed)) >> 48)
	o := &orgData{
		idx:             idx,
		id:              objectID(kindOrg, idx, salt, 1),
		name:            name,
		domain:          domain,
		salt:            salt,
		systemInsights:  true,
		requireAdminMFA: idx != 2,
		policyByID:      map[string]int{},
	}
	o.created = daysAgo(now, rng(seed, idx, 0), 900, 2500)
	o.generateUsers(seed, now, sz.users, hostile)
	o.generateDevices(seed, now, sz.devices, hostile)
	o.generatePolicies(seed, now, sz.policies)
	o.generateApps(seed, now, sz.apps)
	o.authn = append([]authnPolicy(nil), authnPolicyCatalog...)
	o.generateAdmins(seed, now)
	o.indexInsights(seed)
	return o
}

func (o *orgData) generateUsers(seed int64, now time.Time, n int, hostile bool) {
	r := rng(seed, o.idx, 1)
	o.users = make([]user, n)
	seen := make(map[string]int, n)
	for i := range o.users {
		u := &o.users[i]
		u.first = firstNames[r.IntN(len(firstNames))]
		u.last = lastNames[r.IntN(len(lastNames))]
		base := strings.ToLower(u.first + "." + u.last)
		u.username = base
		if k := seen[base]; k > 0 {
			u.username = fmt.Sprintf("%s%d", base, k+1)
		}
		seen[base]++
		u.state = uint8(pick(r, 92, 3, 5)) // activated, staged, suspended
		u.locked = r.IntN(100) < 3
		switch pick(r, 90, 4, 6) {
		case 1:
			u.passwordExpired = true
		case 2:
			u.passwordNeverExp = true
		}
		u.mfa = uint8(pick(r, 6, 70, 18, 6)) // absent, configured, not configured, excluded
		u.totp = u.mfa == mfaConfigured && r.IntN(10) < 9
		u.enrollmentAbsent = r.IntN(10) < 3
		u.created = daysAgo(now, r, 20, 1500)
		u.passwordSet = daysAgo(now, r, 1, 85)
		if u.passwordExpired {
			u.passwordSet = daysAgo(now, r, 91, 200)
		}
		u.department = departments[r.IntN(len(departments))]
		u.employeeType = employeeTypes[r.IntN(len(employeeTypes))]
	}
	if hostile && n > 1 {
		o.users[1].first = "Mallory\x1b[31m"
		o.users[1].last = "\x1b]0;pwned\x07Evil"
	}
}

func (o *orgData) generateDevices(seed int64, now time.Time, n int, hostile bool) {
	r := rng(seed, o.idx, 2)
	o.devices = make([]device, n)
	for i := range o.devices {
		d := &o.devices[i]
		d.family = uint8(pick(r, 55, 35, 10))
		rels := osByFamily[d.family]
		d.os = uint8(rels[pick(r, []int{40, 30, 15, 10, 5}[:len(rels)]...)])
		d.arm = d.family == famDarwin && r.IntN(10) < 7 || d.family == famLinux && r.IntN(10) < 2
		switch d.family {
		case famDarwin:
			d.fde = uint8(pick(r, 5, 85, 10))
			d.firewall = uint8(pick(r, 18, 67, 15))
			d.screenLock = r.IntN(10) < 7
		case famWindows:
			d.fde = uint8(pick(r, 10, 75, 15))
			d.firewall = uint8(pick(r, 12, 88))
		default:
			// JumpCloud has no comparable FDE telemetry for Linux: mostly absent.
			d.fde = uint8(pick(r, 70, 10, 20))
		}
		d.keyPresent = d.fde == fdeActive && r.IntN(20) != 0
		d.si = uint8(pick(r, 7, 82, 8, 3)) // absent, enabled, disabled, deferred
		d.agent = uint8(pick(r, 35, 30, 15, 12, 8))
		switch pick(r, 78, 12, 10) {
		case 0: // fresh: seen within three days, half of them online now
			if r.IntN(2) == 0 {
				d.lastContact = now.Add(-time.Duration(r.Int64N(int64(5 * time.Minute)))).Truncate(time.Millisecond)
				d.active = true
			} else {
				d.lastContact = daysAgo(now, r, 0, 3)
			}
		case 1:
			d.lastContact = daysAgo(now, r, 3, 30)
		default: // stale: more than 30 days
			d.lastContact = daysAgo(now, r, 31, 240)
		}
		d.created = d.lastContact.Add(-time.Duration(30+r.IntN(900)) * 24 * time.Hour)
		if len(o.users) > 0 && r.IntN(100) < 85 {
			d.user = int32(r.IntN(len(o.users)))
		} else {
			d.user = -1
		}
		d.remoteIP = [4]byte{203, 0, 113, byte(1 + r.IntN(254))}
		d.hostname, d.displayName, d.serial = deviceNames(r, d, i, o.users)
	}
	o.addNoise(seed)
	if hostile && n > 2 {
		o.devices[2].displayName = "\x1b]52;c;ZXZpbA==\x07finance-mbp\x1b[2J"
		o.devices[2].hostname = "finance-mbp\r\x1b[1A.local"
	}
}

// addNoise gives the generated fleet the cases compliance checks get wrong when they read too
// little (issue 15), each on a fixed share of devices and drawn from its own stream, so the rest
// of the organisation is what it was: iPads, Linux servers without a desktop, System Insights rows
// two weeks older than the check-in, macOS 15 Macs whose osquery misreads the firewall, Windows
// Security Center "Not Monitored"/"Error", and policies bound without a status to list.
func (o *orgData) addNoise(seed int64) {
	r := rng(seed, o.idx, 6)
	for i := range o.devices {
		d := &o.devices[i]
		roll := r.IntN(100)
		switch {
		case d.family == famLinux:
			d.server = !strings.HasPrefix(d.hostname, "dev-")
		case d.family == famDarwin && roll < 6:
			// An iPad enrolled through MDM instead of this Mac.
			d.family, d.os, d.fde, d.firewall, d.si, d.screenLock = famIPad, uint8(osByFamily[famIPad][0]), fdeUnknown, fwOff, siAbsent, false
			d.hostname = strings.Replace(strings.Replace(d.hostname, "MacBook-Pro", "iPad", 1), "MacBook-Air", "iPad", 1)
			d.hostname = strings.TrimSuffix(strings.Replace(d.hostname, "Mac-mini", "iPad", 1), ".local")
			d.displayName = d.hostname
		case d.family == famDarwin && osReleases[d.os].major == 15 && d.firewall != fwOff && roll < 30:
			d.alfBug = true
		case d.family == famWindows && roll < 8:
			d.wscUnknown = uint8(1 + roll%2)
		}
		if d.si == siEnabled && r.IntN(100) < 5 {
			d.staleSI = true
		}
		if r.IntN(100) < 4 {
			d.unreported = uint8(1 + r.IntN(3))
		}
	}
}

// Scenarios reshape the generated fleet for one test case (Options.Scenario).
const (
	// ScenarioFileVaultOff: every Mac reports FileVault off while System Insights shows its APFS
	// volumes encrypted (hardware encryption on T2 and Apple silicon).
	ScenarioFileVaultOff = "filevault-off"
	// ScenarioAllEncrypted: every device is encrypted by every source (agent, BitLocker on C:,
	// the Linux root volume) and reports fresh System Insights, so no device fails disk encryption.
	ScenarioAllEncrypted = "all-encrypted"
)

func (o *orgData) applyScenario(name string) {
	for i := range o.devices {
		d := &o.devices[i]
		switch name {
		case ScenarioFileVaultOff:
			if d.family == famDarwin {
				d.fde, d.keyPresent = fdeInactive, false
			}
		case ScenarioAllEncrypted:
			if d.family != famIPad {
				d.fde, d.keyPresent = fdeActive, true
				d.si, d.staleSI = siEnabled, false
			}
		}
	}
}

func deviceNames(r *rand.Rand, d *device, i int, users []user) (host, display, serial string) {
	const alnum = "ABCDEFGHJKLMNPQRSTUVWXYZ0123456789"
	rand := func(n int) string {
		b := make([]byte, n)
		for k := range b {
			b[k] = alnum[r.IntN(len(alnum))]
		}
		return string(b)
	}
	owner := "shared"
	if d.user >= 0 {
		owner = strings.ToLower(users[d.user].first)
	}
	switch d.family {
	case famDarwin:
		model := []string{"MacBook-Pro", "MacBook-Air", "Mac-mini"}[r.IntN(3)]
		host = fmt.Sprintf("%s-%s-%d.local", owner, model, i)
		display = fmt.Sprintf("%s-%s-%d", owner, model, i)
		serial = "C02" + rand(9)
	case famWindows:
		host = []string{"DESKTOP-", "LAPTOP-"}[r.IntN(2)] + rand(7)
		display = host
		serial = "PF" + rand(6)
	default:
		host = fmt.Sprintf("%s-%s-%02d", linuxRoles[r.IntN(len(linuxRoles))], strings.ToLower(osReleases[d.os].os), i)
		display = host
		serial = "VMware-" + strings.ToLower(rand(12))
	}
	return
}

// generatePolicies creates policies from the templates and binds each to ~90% of the devices of
// its OS family, with an outcome consistent with the device: a disk-encryption policy fails on a
// device whose disk is not encrypted, a firewall policy on one whose firewall is off.
func (o *orgData) generatePolicies(seed int64, now time.Time, n int) {
	o.policies = make([]policy, n)
	for p := range o.policies {
		t := &policyTemplates[p%len(policyTemplates)]
		pol := &o.policies[p]
		pol.template = t
		pol.name = t.displayName
		if round := p / len(policyTemplates); round > 0 {
			pol.name = fmt.Sprintf("%s (%d)", t.displayName, round+1)
		}
		pol.firstResult = o.results
		for i := range o.devices {
			d := &o.devices[i]
			if d.family != t.family {
				continue
			}
			h := mix(uint64(seed) ^ uint64(o.idx)<<56 ^ uint64(p)<<32 ^ uint64(i))
			if h%100 >= 90 {
				continue
			}
			out := policyOutcome(t.kind, d, (h>>8)%100)
			pol.devices = append(pol.devices, int32(i))
			pol.outcomes = append(pol.outcomes, out)
			d.stats.total++
			switch out {
			case outSuccess:
				d.stats.success++
			case outFailed:
				d.stats.failed++
			default:
				d.stats.pending++
			}
		}
		o.results += len(pol.devices)
		o.policyByID[o.policyID(p)] = p
	}
}

func policyOutcome(kind uint8, d *device, roll uint64) uint8 {
	switch {
	case kind == polDiskEncryption && d.fde == fdeInactive:
		if roll < 80 {
			return outFailed
		}
		return outPending
	case kind == polDiskEncryption && d.fde == fdeUnknown:
		return uint8([]uint8{outSuccess, outFailed, outPending}[roll%3])
	case kind == polFirewall && d.firewall == fwOff:
		if roll < 85 {
			return outFailed
		}
		return outPending
	case roll < 85:
		return outSuccess
	case roll < 93:
		return outFailed
	}
	return outPending
}

func (o *orgData) generateApps(seed int64, now time.Time, n int) {
	r := rng(seed, o.idx, 3)
	o.apps = make([]application, n)
	for i := range o.apps {
		c := appCatalog[i%len(appCatalog)]
		a := &o.apps[i]
		a.name, a.displayName, a.description, a.color = c.name, c.displayName, c.description, c.color
		if round := i / len(appCatalog); round > 0 {
			a.displayName = fmt.Sprintf("%s (%d)", c.displayName, round+1)
		}
		a.active = r.IntN(100) < 85
		a.jit = r.IntN(100) < 30
		a.created = daysAgo(now, r, 30, 1200)
		a.certExpires = now.Add(time.Duration(30+r.IntN(700)) * 24 * time.Hour).Truncate(time.Millisecond)
		switch i {
		case 2: // an expired IdP certificate
			a.certExpires = now.Add(-10 * 24 * time.Hour).Truncate(time.Millisecond)
		case 4: // one about to expire
			a.certExpires = now.Add(12 * 24 * time.Hour).Truncate(time.Millisecond)
		}
	}
}

// generateAdmins creates the org's human administrators; admins owning the sandbox's keys are
// added by the key setup.
func (o *orgData) generateAdmins(seed int64, now time.Time) {
	r := rng(seed, o.idx, 4)
	for i, role := range []string{"Administrator With Billing", "Administrator", "Help Desk"} {
		first := firstNames[r.IntN(len(firstNames))]
		last := lastNames[r.IntN(len(lastNames))]
		a := &admin{
			id:        objectID(kindAdmin, o.idx, o.salt, i+1),
			email:     strings.ToLower(first+"."+last) + "@" + o.domain,
			first:     first,
			last:      last,
			role:      role,
			orgIdx:    o.idx,
			mfa:       i != 2,
			totp:      i != 2,
			created:   daysAgo(now, r, 200, 1500),
			lastLogin: daysAgo(now, r, 0, 20),
		}
		o.admins = append(o.admins, a)
	}
}

func (o *orgData) systemID(i int) string { return objectID(kindSystem, o.idx, o.salt, i+1) }
func (o *orgData) userID(i int) string   { return objectID(kindUser, o.idx, o.salt, i+1) }
func (o *orgData) policyID(i int) string { return objectID(kindPolicy, o.idx, o.salt, i+1) }
func (o *orgData) resultID(i int) string { return objectID(kindResult, o.idx, o.salt, i+1) }
func (o *orgData) appID(i int) string    { return objectID(kindApp, o.idx, o.salt, i+1) }
func (o *orgData) authnID(i int) string  { return objectID(kindAuthn, o.idx, o.salt, i+1) }
func templateID(i int) string            { return objectID(kindTemplate, 0, 0, i+1) }
