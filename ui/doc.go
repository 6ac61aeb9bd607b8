// Package ui is the terminal face of jcconnect; what the program does lives in package connect,
// and ui is how it looks and asks. It is split by screen family, each package the screens of one
// job with their plain (--accessible, --with-key, --json) faces and their tests:
//
//	ui/common   what every screen shares: the size, the styles, the global keys, the screen
//	            stack (App), the key field, the verification screen, the plain prompter and the
//	            one hidden, bounded key reader
//	ui/wizard   `jcconnect setup`: the seven steps, the --accessible prompts, --with-key
//	ui/browser  `jcconnect devices` and `evidence export`: the device and user browser
//	ui/rotate   `jcconnect rotate`: verify the new key, swap, confirm the old one is revoked
//	ui/home     `jcconnect` with no command, and the day-two commands it offers: status,
//	            logout, doctor
//
// Imports go one way: home -> wizard, rotate, browser -> common -> connect. This package holds
// only the end-to-end tests of the built program.
package ui
