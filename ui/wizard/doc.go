// Package wizard is `jcconnect setup`: seven steps (welcome, create the Read Only admin,
// generate the key, paste, verify live, save, preview), each a model in a wizard_*.go file, and
// the same flow as plain prompts (--accessible) and from stdin (--with-key).
package wizard
