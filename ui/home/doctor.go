package home

import (
	"context"
	"fmt"
	"io"

	"jcconnect/connect"
)

// runDoctor is `jcconnect doctor`: the keyring's own checks, then the connection (the profile,
// its key, reaching the region's API, the key accepted, its expiry). Exit code: that of the first
// failed check, 0 when nothing failed (warnings do not fail).
func runDoctor(ctx context.Context, env *connect.Env) int {
	checks := connect.Diagnosis(ctx, env)
	writeDoctor(env.Out, checks)
	for _, c := range checks {
		if c.Status == connect.DoctorFail {
			return c.ExitCode
		}
	}
	return connect.ExitOK
}

// writeDoctor prints the checks grouped, each problem followed by its fix.
func writeDoctor(w io.Writer, checks []connect.DoctorCheck) {
	group, problems, warnings := "", 0, 0
	for _, c := range checks {
		if c.Group != group {
			if group != "" {
				fmt.Fprintln(w)
			}
			group = c.Group
			fmt.Fprintln(w, group)
		}
		glyph := map[connect.DoctorStatus]string{connect.DoctorOK: "✓", connect.DoctorWarn: "!", connect.DoctorFail: "✗", connect.DoctorSkip: "–"}[c.Status]
		line := fmt.Sprintf("  %s %s", glyph, c.Name)
		if c.Detail != "" {
			line += ": " + c.Detail
		}
		fmt.Fprintln(w, line)
		if c.Status == connect.DoctorFail || c.Status == connect.DoctorWarn {
			if c.Fix != "" {
				fmt.Fprintf(w, "      fix: %s\n", c.Fix)
			}
			if c.Command != "" {
				fmt.Fprintf(w, "      run: %s\n", c.Command)
			}
		}
		switch c.Status {
		case connect.DoctorFail:
			problems++
		case connect.DoctorWarn:
			warnings++
		}
	}
	fmt.Fprintln(w)
	switch {
	case problems > 0:
		fmt.Fprintf(w, "%s found; fix them from the top: later checks depend on earlier ones.\n",
			connect.CountNoun(problems, "problem"))
	case warnings > 0:
		fmt.Fprintf(w, "No problems; %s to look at.\n", connect.CountNoun(warnings, "warning"))
	default:
		fmt.Fprintln(w, "No problems found.")
	}
}
