package common

import (
	"fmt"
	"io"

	"github.com/charmbracelet/lipgloss"

	"jcconnect/connect"
)

// The smallest terminal the screens are laid out for. Below it every screen shows a "make the
// window larger" message instead of a broken layout.
const (
	MinWidth  = 60
	MinHeight = 16
)

// Common is the small shared value every screen embeds (as in soft-serve): the window size, the
// one style sheet, the global keys and the environment.
type Common struct {
	Width, Height int
	Styles        Styles
	Keys          GlobalKeys
	Env           *connect.Env
}

// NewCommon builds the shared value for env (colours off with NO_COLOR or --accessible).
func NewCommon(env *connect.Env) Common {
	noColor := env == nil || env.NoColor || env.Accessible
	var in io.Reader
	var out io.Writer
	if env != nil {
		in, out = env.In, env.Out
	}
	return Common{Styles: stylesFor(in, out, noColor), Keys: newGlobalKeys(), Env: env,
		Width: 80, Height: 24}
}

// SetSize records a new window size.
func (c *Common) SetSize(w, h int) { c.Width, c.Height = w, h }

// TooSmall reports whether the window is below the minimum layout size.
func (c Common) TooSmall() bool { return c.Width < MinWidth || c.Height < MinHeight }

// TooSmallView is drawn instead of a screen when the window is too small.
func (c Common) TooSmallView() string {
	msg := fmt.Sprintf("Make the window larger:\nat least %d×%d, now %d×%d.\n\nctrl+c quits.",
		MinWidth, MinHeight, c.Width, c.Height)
	return lipgloss.NewStyle().MaxWidth(max(c.Width, 1)).Render(msg)
}
