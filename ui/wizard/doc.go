// Package wizard is `jcconnect setup`: seven steps (welcome, create the Read Only admin or the
// service account, generate the key or enter the Client ID, paste, verify live, save, preview),
// each a model in a wizard_*.go file. The plain faces, the --accessible prompts (accessible.go)
// and --with-key/--with-secret from stdin (run_wizard.go), are Prompters of connect.RunSetup,
// which owns the steps from the credential to the save; the screens call the same rules.
package wizard
