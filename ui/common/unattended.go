package common

import (
	"context"
	"fmt"

	"jcconnect/connect"
)

// Unattended is the Prompter of --with-key and --with-secret, for setup and rotate alike: it
// answers only the credential, read whole from stdin (or hidden from a terminal, keyread.go),
// and leaves every decision to the rules for no one to ask (connect.Unattended): a credential
// that is not Read Only is stored only with --allow-privileged, a rotation's new owner or role
// only with --accept-changes (connect.ChangeAccepter).
type Unattended struct {
	ctx                            context.Context
	env                            *connect.Env
	allowPrivileged, acceptChanges bool
}

// NewUnattended is the face of a run with no one to ask; allowPrivileged and acceptChanges are
// the flags --allow-privileged and --accept-changes.
func NewUnattended(ctx context.Context, env *connect.Env, allowPrivileged, acceptChanges bool) Unattended {
	return Unattended{ctx: ctx, env: env, allowPrivileged: allowPrivileged, acceptChanges: acceptChanges}
}

var (
	_ connect.Prompter       = Unattended{}
	_ connect.Unattended     = Unattended{}
	_ connect.ChangeAccepter = Unattended{}
	_ connect.Prompter       = (*Prompter)(nil)
)

func (u Unattended) Say(format string, a ...any) { fmt.Fprintf(u.env.Out, format+"\n", a...) }
func (u Unattended) AllowPrivileged() bool       { return u.allowPrivileged }
func (u Unattended) AcceptChanges() bool         { return u.acceptChanges }
func (u Unattended) AskSecret(question string) (string, error) {
	return ReadKeyWhole(u.ctx, u.env.In, u.env.Err, question)
}
func (u Unattended) Ask(string) (string, error)                { return "", connect.ErrUnattended }
func (u Unattended) Choose(string, []string, int) (int, error) { return 0, connect.ErrUnattended }
