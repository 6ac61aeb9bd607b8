// Package home is `jcconnect` with no command (the wizard when nothing is stored, else the home
// screen: status, browse, export, rotate, disconnect) and the day-two commands it offers:
// `status`, `logout` and `doctor`.
package home
