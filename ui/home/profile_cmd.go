package home

import (
	"fmt"

	"jcconnect/connect"
	"jcconnect/store"
)

// RunProfileList is `jcconnect profile list`: the stored profiles, with the one every command
// uses without --profile marked, so "no --profile" is visible rather than guessed.
func RunProfileList(env *connect.Env) int {
	profiles, def, err := env.Store.Profiles()
	if err != nil {
		return profileFailure(env, "list", err)
	}
	if len(profiles) == 0 {
		fmt.Fprintln(env.Out, "No profile is stored yet. Run: jcconnect setup   (or try: jcconnect --demo)")
		return connect.ExitOK
	}
	for _, p := range profiles {
		mark := "  "
		if p.Name == def {
			mark = "* "
		}
		fmt.Fprintf(env.Out, "%s%-20s %s, %s\n", mark, p.Name, connect.Clean(p.OrgName), connect.RegionLabel(p.Region))
	}
	if def == "" {
		fmt.Fprintln(env.Out, "\nNo profile is the default: give --profile NAME, or choose one with: jcconnect profile use NAME")
	} else {
		fmt.Fprintf(env.Out, "\n* %s is used without --profile. Change it with: jcconnect profile use NAME\n", def)
	}
	return connect.ExitOK
}

// RunProfileUse is `jcconnect profile use NAME`: NAME becomes the profile of every command run
// without --profile.
func RunProfileUse(env *connect.Env, name string) int {
	if err := env.Store.SetDefault(name); err != nil {
		return profileFailure(env, "use", err)
	}
	fmt.Fprintf(env.Out, "Commands without --profile now use profile %q.\n", name)
	return connect.ExitOK
}

func profileFailure(env *connect.Env, sub string, err error) int {
	fmt.Fprintf(env.Err, "jcconnect profile %s: %s\n", sub, connect.Clean(store.Cause(err)))
	if fix := store.Fix(err); fix != "" {
		fmt.Fprintln(env.Err, fix)
	}
	code := connect.ExitCodeFor(err)
	if code == connect.ExitOK {
		code = connect.ExitFailure
	}
	return code
}
