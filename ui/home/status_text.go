package home

import (
	"context"
	"encoding/json"
	"fmt"
	"io"
	"strings"

	"jcconnect/connect"
	"jcconnect/evidence"
	"jcconnect/store"
)

// writeStatusText prints the report for people: one block per profile, then the verdict and,
// when something is wrong, the exact command that fixes it.
func writeStatusText(w io.Writer, r connect.StatusReport) {
	if len(r.Profiles) == 0 {
		fmt.Fprintf(w, "✗ %s\n", r.Message)
		writeFix(w, "", r.Fix, r.FixCommand)
		return
	}
	for i, ps := range r.Profiles {
		if i > 0 {
			fmt.Fprintln(w)
		}
		writeProfileStatus(w, ps)
	}
}

func writeProfileStatus(w io.Writer, ps connect.ProfileStatus) {
	title := "Profile " + ps.Profile
	switch {
	case ps.Profile == "" && ps.Demo:
		title = "The built-in demo organisation (its Read Only key, kept in memory; nothing is stored)"
	case ps.Profile == "" && isServiceAccount(ps):
		title = "Service account from " + envSourceLabel(ps) + " (no stored profile)"
	case ps.Profile == "":
		title = "Key from JUMPCLOUD_API_KEY (no stored profile)"
	case ps.IsDefault:
		title += " (used without --profile)"
	}
	fmt.Fprintln(w, title)
	row := func(label, value string) {
		if value != "" {
			fmt.Fprintf(w, "  %-14s %s\n", label, value)
		}
	}
	key := ps.MaskedKey
	switch ps.KeySource {
	case store.SourceEnv:
		key += "  from the environment (" + envSourceLabel(ps) + ")"
	case store.SourceKeyring:
		key += "  from the OS keyring"
	case store.SourceMemory:
		key += "  in memory (demo)"
	}
	row("Kind", kindLabel(ps))
	row(secretLabel(ps), key)
	if ps.KeySource == store.SourceEnv && ps.Profile != "" && !ps.StoredKeyInUse {
		row("", envSourceLabel(ps)+" overrides this profile: the stored "+strings.ToLower(secretLabel(ps))+" is not in use and not checked.")
	}
	org := ps.OrgName
	if ps.OrgID != "" && ps.OrgID != ps.OrgName {
		org = strings.TrimSpace(org + " (" + ps.OrgID + ")")
	}
	row("Organisation", org)
	where := connect.RegionLabel(ps.Region)
	switch {
	case ps.Demo:
		where = connect.RegionLabel(connect.RegionDemo) + " (built in)"
	case ps.BaseURL != "":
		where = ps.BaseURL
	}
	row("Region", where)
	row("Owner", ps.Owner)
	role := ps.Role
	if ps.Role == "" {
		role = "could not be determined"
	}
	if ps.LiveRole != "" {
		role += "  (JumpCloud now says: " + ps.LiveRole + ")"
	}
	row("Role", role)
	row("Created", connect.Day(ps.KeyCreated))
	expires := "not known (keys made before July 2024 may never expire)"
	if ps.KeyExpires != nil {
		expires = connect.Day(ps.KeyExpires) + countdown(ps, "rotate soon")
	}
	if isServiceAccount(ps) {
		row("Secret expires", secretExpiryText(ps))
		row("Token host", tokenHostLabel(ps))
	} else {
		row("Expires", expires)
	}
	row("Last verified", connect.Stamp(ps.Verified))
	row("Rotated", connect.Stamp(ps.RotatedAt))

	glyph := "✓"
	switch {
	case ps.Check.State != connect.StateValid:
		glyph = "✗"
	case ps.ExpiresSoon:
		glyph = "!"
	}
	row("Check", glyph+" "+string(ps.Check.State)+": "+ps.Check.Message)
	writeFix(w, "  ", ps.Check.Fix, ps.Check.FixCommand)
}

// countdown is how far the expiry is, for the plain report; soon is the advice under two weeks.
func countdown(ps connect.ProfileStatus, soon string) string {
	if ps.DaysLeft == nil {
		return ""
	}
	switch d := *ps.DaysLeft; {
	case d < 0:
		return fmt.Sprintf("  (expired %s ago)", connect.CountNoun(-d, "day"))
	case ps.ExpiresSoon:
		return fmt.Sprintf("  ! in %s: %s", connect.CountNoun(d, "day"), soon)
	}
	return fmt.Sprintf("  (in %s)", connect.CountNoun(*ps.DaysLeft, "day"))
}

// writeFix prints the remedy: why, then the command on its own line so it can be copied.
func writeFix(w io.Writer, indent, why, command string) {
	if why != "" {
		fmt.Fprintf(w, "%s%-14s %s\n", indent, "Fix", why)
	}
	if command != "" {
		fmt.Fprintf(w, "%s%-14s %s\n", indent, "Run", command)
	}
}

// runStatus is `jcconnect status`. It only reads: checking a key never rewrites the profile, so
// a status run in cron cannot race a rotation in another terminal.
func runStatus(ctx context.Context, env *connect.Env, asJSON bool) int {
	r := connect.CollectStatus(ctx, env)
	if asJSON {
		// Organisation and owner names come from the API: bidi overrides and C1 controls in
		// them are written as visible escapes, like every machine output.
		b, err := json.MarshalIndent(r, "", "  ")
		if err == nil {
			_, err = env.Out.Write(append(evidence.EscapeJSON(b), '\n'))
		}
		if err != nil {
			fmt.Fprintln(env.Err, "jcconnect: cannot write the report:", err)
			return connect.ExitFailure
		}
	} else {
		writeStatusText(env.Out, r)
	}
	return r.ExitCode
}
