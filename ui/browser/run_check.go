package browser

import (
	"context"
	"fmt"

	"jcconnect/connect"
	"jcconnect/evidence"
)

// CheckFlags are `jcconnect evidence check`'s flags.
type CheckFlags struct {
	FailOn      string
	MinPassRate []string
	Only        []string
	Output      string // text (default), json, csv
}

// RunCheck is `jcconnect evidence check`: collect, evaluate, judge the gate (evidence.Gate) and
// exit ExitGate when a gate failed, ExitPartial when none failed but evidence the selected checks
// need was not read, ExitOK otherwise.
func RunCheck(ctx context.Context, env *connect.Env, flags CheckFlags) int {
	opts, err := evidence.ParseGateOptions(flags.FailOn, flags.MinPassRate, flags.Only)
	if err == nil {
		switch flags.Output {
		case "", "text", "json", "csv":
		default:
			err = fmt.Errorf("--output %q: use text, json or csv", flags.Output)
		}
	}
	if err != nil {
		fmt.Fprintln(env.Err, "jcconnect evidence check:", err)
		return connect.ExitUsage
	}
	conn, code := evidenceConnection(ctx, env, "evidence check")
	if code != connect.ExitOK {
		return code
	}
	snap, rep, err := connect.Collect(ctx, env, CollectorFor(env, conn), nil)
	if err != nil {
		return reportCollectError(env, conn, "evidence check", err)
	}
	g := evidence.Gate(snap, rep, opts)
	switch flags.Output {
	case "json":
		err = g.WriteJSON(env.Out)
	case "csv":
		err = g.WriteCSV(env.Out)
	default:
		err = g.WriteText(env.Out)
	}
	if err != nil {
		fmt.Fprintln(env.Err, "jcconnect evidence check: writing the output failed:", err)
		return connect.ExitFailure
	}
	switch {
	case g.Failed:
		return connect.ExitGate
	case g.IsPartial():
		return connect.ExitPartial
	}
	return connect.ExitOK
}
