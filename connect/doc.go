// Package connect is the application core: what jcconnect does, with no terminal in it. It
// resolves which key, region, base URL and organisation a command uses (flags > environment >
// profile), verifies keys, sets up, rotates, checks status (and its exit codes), diagnoses, and
// collects and exports evidence.
//
// Each use case asks the person and tells them through one small interface, Prompter (setup and
// rotation alike; Unattended and ChangeAccepter mark the face with no one to ask), so its three faces
// (the bubbletea screens, the --accessible prompts and the --with-key runner, all in ui/) share
// one implementation and a fix lands in one place. Collection and export (collect.go,
// export.go) tell how far they got through a ProgressFunc that a face feeds to a WorkMeter
// (progress.go), which weighs the work by pages, not by source. No bubbletea here: imports go
// main -> ui -> connect -> evidence -> jumpcloud, and connect -> store.
package connect
