// Package common is what every screen family of the ui shares, as soft-serve's pkg/ui/common:
// the Common value each screen embeds (window size, styles, global keys, environment) with its
// SetSize, the screen stack (App, Push, Pop), the masked key field, the live-verification screen
// used by the wizard and the rotation, and for the plain faces the prompter and the one hidden,
// bounded, cancellable key reader.
package common
