package rotate

import (
	"context"
	"fmt"

	tea "github.com/charmbracelet/bubbletea"

	"jcconnect/connect"
	"jcconnect/ui/common"
)

// rotateTUI runs the rotation alone: an App whose only screen is the rotation.
func rotateTUI(ctx context.Context, env *connect.Env) int {
	c := common.NewCommon(env)
	m := NewRotateModel(ctx, c)
	final, err := tea.NewProgram(common.NewApp(c, m), tea.WithAltScreen(), tea.WithContext(ctx),
		tea.WithInput(env.In), tea.WithOutput(env.Out)).Run()
	if err != nil {
		fmt.Fprintln(env.Err, "jcconnect rotate:", err)
		return connect.ExitFailure
	}
	app, _ := final.(*common.App)
	rm, _ := app.Bottom().(*RotateModel)
	if rm == nil {
		rm = m
	}
	switch rm.phase {
	case rotateDone:
		after := rm.rot.After()
		fmt.Fprintf(env.Out, "Rotated: profile %q now uses %s …%s.\n", after.Name, rm.target.Words().Credential, after.KeyLast4)
		fmt.Fprintln(env.Out, rm.rot.Outcome())
		return connect.ExitOK
	case rotatePrepFailed:
		return connect.ReportRotateError(env, rm.prepErr)
	case rotateSaveFailed:
		fmt.Fprintln(env.Err, "jcconnect rotate:", rm.rot.SaveErr())
		return connect.ExitCodeFor(rm.rot.SaveErr())
	}
	fmt.Fprintln(env.Err, "Rotation stopped: nothing was changed.")
	return connect.ExitFailure
}
