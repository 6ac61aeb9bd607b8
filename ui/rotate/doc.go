// Package rotate is `jcconnect rotate` as a screen, as plain prompts (--accessible) and from
// stdin (--with-key, --with-secret), for an API key or a service account's client secret. The
// rotation itself is connect.Rotation's steps and rules (verify, same organisation, changes
// accepted, swap, confirm revocation): the plain faces are the setup's connect.Prompters
// (common.Prompter for --accessible, common.Unattended for stdin) that connect.Rotate walks in
// sequence; the screen drives the same steps one tea.Cmd at a time.
package rotate
