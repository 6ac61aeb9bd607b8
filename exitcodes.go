// The exit-code tables of every command's --help, from one source: each code has one default
// meaning (connect's constants), and a command lists the codes it can return, rewording one only
// where that command means something narrower.

package main

import (
	"fmt"
	"sort"
	"strings"

	"jcconnect/connect"
)

// exitMeanings are the default words for each exit code.
var exitMeanings = map[int]string{
	connect.ExitOK:          "success",
	connect.ExitFailure:     "any other failure",
	connect.ExitUsage:       "bad flags or input",
	connect.ExitInvalidKey:  "the key was refused (invalid, revoked, expired) or is forbidden",
	connect.ExitNoProfile:   "no profile is set up",
	connect.ExitKeyring:     "the keyring could not be used",
	connect.ExitNetwork:     "JumpCloud could not be reached (timeout, network, server error, rate limit)",
	connect.ExitPartial:     "partial evidence",
	connect.ExitGate:        "a compliance gate failed",
	connect.ExitInterrupted: "stopped by Ctrl-C, SIGTERM or SIGHUP",
}

// exitRow is one line of a command's table; meaning "" takes the code's default meaning.
type exitRow struct {
	code    int
	meaning string
}

func ec(code int, meaning ...string) exitRow {
	r := exitRow{code: code}
	if len(meaning) > 0 {
		r.meaning = meaning[0]
	}
	return r
}

// exitCodesHelp is the "Exit codes:" block of a --help, in code order. A meaning may span lines;
// its continuation lines are indented under the first.
func exitCodesHelp(rows ...exitRow) string {
	sort.SliceStable(rows, func(i, j int) bool { return rows[i].code < rows[j].code })
	var b strings.Builder
	b.WriteString("Exit codes:")
	for _, r := range rows {
		m := r.meaning
		if m == "" {
			m = exitMeanings[r.code]
		}
		if m == "" {
			panic(fmt.Sprintf("exit code %d has no meaning", r.code)) // a programming error, caught by the help tests
		}
		m = strings.ReplaceAll(m, "\n", "\n     ")
		fmt.Fprintf(&b, "\n  %d  %s", r.code, m)
	}
	return b.String()
}
