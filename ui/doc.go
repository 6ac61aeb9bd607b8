// Package ui holds the terminal user interface: bubbletea models (one file per screen, each with
// its test), and the plain-text runners used without a TTY, with --accessible or --json. What
// the program does lives in package connect; ui is how it looks and asks.
package ui
