// Package browser is the evidence browser (devices and their compliance, users and MFA) and the
// commands that collect without it: `jcconnect devices --json|--csv` and `evidence export`.
package browser
