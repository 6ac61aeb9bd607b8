package evidence

import (
	"fmt"
	"sort"
	"strconv"
	"strings"

	"jcconnect/jumpcloud"
)

// A screen lock passes only when its *settings* meet the thresholds (idle time within
// Thresholds.MaxLockSeconds, a password asked for): a policy that merely applied proves nothing
// about a 3600 s timeout or a screen saver without a password. Settings come from
// GET /api/v2/policies/{id} for the templates below (an allow-list: only fields whose meaning is
// known are read), or on macOS from the com.apple.screensaver keys in managed_policies.

// screenLockTemplate says where one policy template keeps its idle time and password switch.
// JumpCloud's spec lists no template or field names (it types values as opaque strings); the
// names below are the ones jctest serves and Apple's com.apple.screensaver payload keys, matched
// case-insensitively. A template not listed here is shown as evidence but never decides.
type screenLockTemplate struct {
	template string
	idle     []string // idle time before the lock, in seconds
	delay    []string // extra grace time before the password is asked (seconds), added to idle
	password []string // a boolean-ish "ask for a password"; empty: locking always asks
}

var screenLockTemplates = []screenLockTemplate{
	{template: "screen_lock_darwin", idle: []string{"idleTime"}, delay: []string{"askForPasswordDelay"}, password: []string{"askForPassword"}},
	{template: "screen_lock_windows", idle: []string{"timeout", "inactivityTimeoutSeconds"}},
	{template: "screensaver_windows", idle: []string{"screenSaveTimeOut"}, password: []string{"screenSaverIsSecure"}},
	{template: "screen_lock_linux", idle: []string{"idleDelay"}, delay: []string{"lockDelay"}, password: []string{"lockEnabled"}},
}

// screenLockSpec returns the allow-list entry of a template, or nil.
func screenLockSpec(t jumpcloud.PolicyTemplate) *screenLockTemplate {
	for i := range screenLockTemplates {
		if strings.EqualFold(t.Name, screenLockTemplates[i].template) {
			return &screenLockTemplates[i]
		}
	}
	return nil
}

// IsScreenLockTemplate reports whether a policy template is on the screen-lock allow-list, so its
// settings are read (Collect fetches these policies' details and no others).
func IsScreenLockTemplate(t jumpcloud.PolicyTemplate) bool { return screenLockSpec(t) != nil }

// looksLikeScreenLock matches templates that are about the screen lock by name but are not on the
// allow-list: they are listed as evidence, never decide.
func looksLikeScreenLock(t jumpcloud.PolicyTemplate) bool {
	s := strings.ToLower(t.Name + " " + t.DisplayName)
	for _, k := range []string{"screen_lock", "screenlock", "lock_screen", "lockscreen", "screensaver", "screen_saver", "screen lock", "lock screen", "screen saver"} {
		if strings.Contains(s, k) {
			return true
		}
	}
	return false
}

// lockSettings is one source's screen-lock configuration.
type lockSettings struct {
	idle     *int  // seconds until the lock, grace delay included
	password *bool // nil: not stated
	implied  bool  // locking always asks for the password (no switch to read)
}

// judge compares settings with the thresholds: ok is true when they pass, why says what is wrong
// or missing; decided is false when a value needed is missing.
func (l lockSettings) judge(t Thresholds) (ok, decided bool, why string) {
	if l.idle == nil {
		return false, false, "the idle time is not stated"
	}
	if *l.idle <= 0 {
		return false, true, "the screen never locks (idle time 0)"
	}
	if *l.idle > t.MaxLockSeconds {
		return false, true, fmt.Sprintf("locks after %d s, over the %d s limit", *l.idle, t.MaxLockSeconds)
	}
	if !t.LockPasswordOptional && !l.implied {
		if l.password == nil {
			return false, false, "whether a password is asked for is not stated"
		}
		if !*l.password {
			return false, true, "no password is asked for on wake"
		}
	}
	return true, true, fmt.Sprintf("locks after %d s (limit %d s)", *l.idle, t.MaxLockSeconds)
}

func parseSeconds(v string) (int, bool) {
	n, err := strconv.ParseFloat(strings.TrimSpace(v), 64)
	if err != nil {
		return 0, false
	}
	return int(n), true
}

func parseBool(v string) (bool, bool) {
	switch strings.ToLower(strings.TrimSpace(v)) {
	case "1", "true", "yes", "on", "enabled":
		return true, true
	case "0", "false", "no", "off", "disabled":
		return false, true
	}
	return false, false
}

// settingsOf reads a policy's settings through its template's allow-list entry.
func settingsOf(spec *screenLockTemplate, get func(field string) (string, bool)) (lockSettings, []Evidence) {
	var l lockSettings
	var evs []Evidence
	first := func(fields []string) (string, string, bool) {
		for _, f := range fields {
			if v, ok := get(f); ok {
				return f, v, true
			}
		}
		return "", "", false
	}
	if f, v, ok := first(spec.idle); ok {
		evs = append(evs, Evidence{f, v})
		if n, ok := parseSeconds(v); ok {
			if f2, d, ok := first(spec.delay); ok {
				evs = append(evs, Evidence{f2, d})
				if dn, ok := parseSeconds(d); ok {
					n += dn
				}
			}
			l.idle = &n
		}
	}
	if len(spec.password) == 0 {
		l.implied = true
	} else if f, v, ok := first(spec.password); ok {
		evs = append(evs, Evidence{f, v})
		if b, ok := parseBool(v); ok {
			l.password = &b
		}
	}
	return l, evs
}

// managedScreensaver reads the macOS com.apple.screensaver keys from managed_policies, with the
// same meaning as the screen_lock_darwin template. ok is false when the device reports none.
func managedScreensaver(rows []jumpcloud.InsightRow) (lockSettings, []Evidence, bool) {
	vals := map[string]string{}
	for _, row := range rows {
		if strings.EqualFold(row.String("domain"), "com.apple.screensaver") {
			vals[strings.ToLower(row.String("name"))] = row.String("value")
		}
	}
	if len(vals) == 0 {
		return lockSettings{}, nil, false
	}
	l, evs := settingsOf(&screenLockTemplates[0], func(f string) (string, bool) {
		v, ok := vals[strings.ToLower(f)]
		return v, ok
	})
	for i := range evs {
		evs[i].Name = "managed_policies com.apple.screensaver " + evs[i].Name
	}
	return l, evs, true
}

// checkScreenLock decides on the settings of the screen-lock policies bound to the device that
// applied successfully, and on macOS on the managed configuration-profile keys. There is no
// screen-lock System Insights table.
func checkScreenLock(s *Snapshot, ix *index, d *jumpcloud.Device, statuses deviceStatuses, e *deviceEvidence) Result {
	res := Result{Check: "screen_lock"}
	if why := notApplicableDevice(d, true); why != "" {
		res.Status, res.Reason = NotApplicable, why
		return res
	}
	if why, unknown := serverMark(s, d); why != "" {
		res.Status, res.Reason = NotApplicable, why
		if unknown {
			res.Status = Unknown
		}
		return res
	}
	t := ix.t
	// The lists of one device are short: arrays on the stack hold them (every device has them).
	var passesBuf, failsBuf, notAppliedBuf, undecidedBuf, listedBuf [4]string
	passes, fails, notApplied, undecided, listed := passesBuf[:0], failsBuf[:0], notAppliedBuf[:0], undecidedBuf[:0], listedBuf[:0]
	for _, st := range statuses.states {
		f := &ix.facts[st.policy] // the policy's texts and verdict, worked out once (policyFact)
		if f.lockSpec == nil {
			if f.lockListed != "" {
				listed = append(listed, f.lockListed)
			}
			continue
		}
		o := outcomeNames[st.outcome]
		e.add(f.lockEvidence, o)
		if o != jumpcloud.OutcomeSuccess {
			if o == jumpcloud.OutcomeFailed {
				notApplied = append(notApplied, f.lockNotApplied)
			} else {
				undecided = append(undecided, f.lockPending[st.outcome])
			}
			continue
		}
		if !f.lockDetails {
			undecided = append(undecided, f.lockUnread)
			continue
		}
		e.addAll(f.lockSettingsEvidence)
		switch f.lockVerdict {
		case lockPass:
			passes = append(passes, f.lockText)
		case lockFail:
			fails = append(fails, f.lockText)
		default:
			undecided = append(undecided, f.lockText)
		}
	}
	if d.Family() == jumpcloud.FamilyDarwin {
		rows, _ := siRows(s, ix, d, jumpcloud.TableManagedPolicies)
		if l, evs, ok := managedScreensaver(rows); ok {
			e.addAll(evs)
			switch good, decided, why := l.judge(t); {
			case good:
				passes = append(passes, "the managed screen saver profile "+why)
			case decided:
				fails = append(fails, "the managed screen saver profile "+why)
			default:
				undecided = append(undecided, "the managed screen saver profile: "+why)
			}
		}
	}
	sort.Strings(listed)
	for _, l := range listed {
		e.add("other screen policy", l)
	}
	switch {
	case len(fails) > 0:
		// A non-compliant setting applied anywhere wins: the device may use it.
		res.Status, res.Reason = Fail, strings.Join(fails, "; ")
	case len(passes) > 0:
		res.Status, res.Reason = Pass, strings.Join(passes, "; ")
	case len(notApplied) > 0:
		res.Status, res.Reason = Fail, strings.Join(notApplied, "; ")
	case len(undecided) > 0:
		res.Status, res.Reason = Unknown, strings.Join(undecided, "; ")
	case len(listed) > 0:
		res.Status, res.Reason = Unknown, "only screen-lock policies whose settings jcconnect cannot read are bound"
	default:
		if why := firstNonEmpty(unreadable(s, string(jumpcloud.SourcePolicies)), unreadable(s, string(jumpcloud.SourcePolicyResults))); why != "" {
			res.Status, res.Reason = Unknown, why
			return res
		}
		res.Status, res.Reason = Fail, "no screen-lock policy is bound to this device"
	}
	return res
}
