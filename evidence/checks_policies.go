package evidence

import (
	"fmt"
	"slices"
	"sort"
	"strings"

	"jcconnect/jumpcloud"
)

// policyFacts is what the device checks say of each policy in the snapshot's status table,
// worked out once per evaluation rather than once per device: at 10,000 devices with 8 bound
// policies each, classifying templates and building the same texts again for every status was
// most of the checks' time. Indexed like the status table's policy ids (policyState.policy); the
// texts are shared by every device whose result quotes them. Nothing here depends on a device.
type policyFact struct {
	appliedName  string    // policies_applied's name: the policy's name as given, else its id
	countersName string    // policies_applied by counters: the first non-blank of name and id
	shownName    string    // firewall and screen lock: the first non-blank of name and policy id
	appliedAll   [4]string // appliedName+"="+outcome, by outcomeCode
	appliedRank  [4]int    // appliedAll's ranks among every policy's, in sorted order
	nameRank     int       // appliedName's rank among every policy's
	firewall     bool
	firewallAll  [4]string // shownName+"="+outcome, by outcomeCode (firewall policies only)

	// screen lock: lockSpec != nil for an allow-listed template; lockListed is the evidence
	// line of one that only looks like a screen lock ("" otherwise).
	lockSpec       *screenLockTemplate
	lockListed     string
	lockEvidence   string    // "policy "+shownName
	lockNotApplied string    // shownName+" failed to apply"
	lockPending    [4]string // shownName+" has not reported success (outcome)", by outcomeCode
	// lockDetails: the policy's settings were read; lockSettingsEvidence and the verdict follow
	// from them (the thresholds are the evaluation's), else lockUnread says why not.
	lockDetails          bool
	lockSettingsEvidence []Evidence
	lockVerdict          lockVerdict
	lockText             string
	lockUnread           string
}

type lockVerdict uint8

const (
	lockPass lockVerdict = iota
	lockFail
	lockUndecided
)

func newPolicyFacts(s *Snapshot, ix *index) []policyFact {
	ids := ix.statuses.policyIDs
	facts := make([]policyFact, len(ids))
	settingsWhy := ""
	for i, id := range ids {
		f := &facts[i]
		p := ix.policies[id]
		f.appliedName = p.Name
		if f.appliedName == "" {
			f.appliedName = id
		}
		f.countersName = firstNonEmpty(p.Name, id)
		f.shownName = firstNonEmpty(p.Name, p.ID)
		f.firewall = isFirewallTemplate(p.Template)
		for o, on := range outcomeNames {
			f.appliedAll[o] = f.appliedName + "=" + on
			if f.firewall {
				f.firewallAll[o] = f.shownName + "=" + on
			}
		}
		f.lockSpec = screenLockSpec(p.Template)
		if f.lockSpec == nil {
			if looksLikeScreenLock(p.Template) {
				f.lockListed = fmt.Sprintf("%s (template %s is not one whose settings jcconnect reads)", p.Name, p.Template.Name)
			}
			continue
		}
		name := f.shownName
		f.lockEvidence = "policy " + name
		f.lockNotApplied = name + " failed to apply"
		for o, on := range outcomeNames {
			f.lockPending[o] = name + " has not reported success (" + on + ")"
		}
		det, ok := ix.details[p.ID]
		if !ok {
			if settingsWhy == "" {
				settingsWhy = firstNonEmpty(unreadable(s, SourcePolicySettings), "its settings were not read")
			}
			f.lockUnread = name + ": " + settingsWhy
			continue
		}
		f.lockDetails = true
		l, evs := settingsOf(f.lockSpec, det.Setting)
		for _, e := range evs {
			f.lockSettingsEvidence = append(f.lockSettingsEvidence, Evidence{name + " " + e.Name, e.Value})
		}
		switch good, decided, why := l.judge(ix.t); {
		case good:
			f.lockVerdict, f.lockText = lockPass, name+" "+why
		case decided:
			f.lockVerdict, f.lockText = lockFail, name+" "+why
		default:
			f.lockVerdict, f.lockText = lockUndecided, name+": "+why
		}
	}
	var names, alls []*string
	for i := range facts {
		names = append(names, &facts[i].appliedName)
		for o := range facts[i].appliedAll {
			alls = append(alls, &facts[i].appliedAll[o])
		}
	}
	nameRanks, allRanks := rankTexts(names), rankTexts(alls)
	for i := range facts {
		f := &facts[i]
		f.nameRank = nameRanks[f.appliedName]
		for o := range f.appliedAll {
			f.appliedRank[o] = allRanks[f.appliedAll[o]]
		}
	}
	return facts
}

// appliedTexts is what policies_applied says of one device's statuses, whatever its counters:
// every status ("name=outcome", sorted, joined), and the failed and pending policies' names.
type appliedTexts struct {
	all                       string
	failed, pending           int
	failedNames, pendingNames string
}

// appliedSet is appliedTexts of one device's statuses. The texts are sorted by their ranks
// among every policy's texts (worked out once, policyFact.appliedRank and nameRank): the same
// order sorting the strings gives, without comparing them device after device.
func (ix *index) appliedSet(statuses deviceStatuses) appliedTexts {
	var allBuf, failedBuf, pendingBuf [32]rankedText
	all, failed, pending := allBuf[:0], failedBuf[:0], pendingBuf[:0]
	for _, st := range statuses.states {
		f := &ix.facts[st.policy]
		all = append(all, rankedText{f.appliedRank[st.outcome], f.appliedAll[st.outcome]})
		switch outcomeNames[st.outcome] {
		case jumpcloud.OutcomeFailed:
			failed = append(failed, rankedText{f.nameRank, f.appliedName})
		case jumpcloud.OutcomePending, jumpcloud.OutcomeUnknown:
			pending = append(pending, rankedText{f.nameRank, f.appliedName})
		}
	}
	return appliedTexts{all: joinRanked(all, "; "), failed: len(failed), pending: len(pending),
		failedNames: joinRanked(failed, ", "), pendingNames: joinRanked(pending, ", ")}
}

// rankedText is a text with its rank in sorted order (equal texts, equal ranks).
type rankedText struct {
	rank int
	text string
}

// joinRanked is strings.Join of the texts in sorted order: sort.Strings's order, sorted by rank.
func joinRanked(list []rankedText, sep string) string {
	slices.SortFunc(list, func(a, b rankedText) int { return a.rank - b.rank })
	n := len(sep) * max(len(list)-1, 0)
	for _, t := range list {
		n += len(t.text)
	}
	var b strings.Builder
	b.Grow(n)
	for i, t := range list {
		if i > 0 {
			b.WriteString(sep)
		}
		b.WriteString(t.text)
	}
	return b.String()
}

// rankTexts numbers the texts in sorted order, equal texts alike.
func rankTexts(texts []*string) map[string]int {
	sorted := make([]string, len(texts))
	for i, t := range texts {
		sorted[i] = *t
	}
	sort.Strings(sorted)
	ranks := make(map[string]int, len(sorted))
	for _, t := range sorted {
		if _, ok := ranks[t]; !ok {
			ranks[t] = len(ranks)
		}
	}
	return ranks
}
