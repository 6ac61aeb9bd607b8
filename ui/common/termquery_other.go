//go:build !unix

package common

import "os"

// askDarkBackground does not ask outside unix: dark is assumed.
func askDarkBackground(in, out *os.File) (dark, ok bool) { return true, false }
