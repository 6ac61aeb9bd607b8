package common

import (
	"io"
	"os"

	_ "earlyterm" // no terminal query at start: see internal/earlyterm

	"github.com/charmbracelet/lipgloss"
	"github.com/mattn/go-isatty"
	"github.com/muesli/termenv"
)

// Styles is the one style sheet. Every screen draws with these and nothing else, so NO_COLOR and
// the accessible mode change the whole program in one place.
type Styles struct {
	Title     lipgloss.Style // screen title
	Subtitle  lipgloss.Style
	Text      lipgloss.Style
	Muted     lipgloss.Style // secondary text, hints
	Key       lipgloss.Style // a key name in running text ("press enter")
	Selected  lipgloss.Style // the highlighted row/option
	OK        lipgloss.Style // passed check
	Warn      lipgloss.Style // needs attention
	Bad       lipgloss.Style // failed check, error
	Box       lipgloss.Style // a bordered panel
	ErrorBox  lipgloss.Style // a bordered error panel
	Help      lipgloss.Style
	Header    lipgloss.Style // table header
	Code      lipgloss.Style // commands and URLs to type/open
	StepDone  lipgloss.Style // wizard step indicator
	StepTodo  lipgloss.Style
	StepHere  lipgloss.Style
	NoColor   bool
	GlyphPass string
	GlyphFail string
	GlyphUnk  string
	GlyphNA   string
}

// NewStyles builds the style sheet without asking the terminal anything (dark background
// assumed). noColor drops every colour (NO_COLOR, --accessible, tests); glyphs then fall back to
// ASCII-distinguishable text so meaning never rests on colour alone.
func NewStyles(noColor bool) Styles { return newStyles(noColor, true) }

// stylesFor builds the style sheet the TUI draws on out. Only here, with colours on and out a
// terminal, is the terminal asked for its background, once and with earlyterm's short timeout;
// the default renderer (bubbles' components) is told the same answer.
func stylesFor(in io.Reader, out io.Writer, noColor bool) Styles {
	if noColor {
		return newStyles(true, true)
	}
	fin, inOK := in.(*os.File)
	fout, outOK := out.(*os.File)
	if !inOK || !outOK || !isatty.IsTerminal(fin.Fd()) || !isatty.IsTerminal(fout.Fd()) {
		return newStyles(false, true)
	}
	dark, _ := askDarkBackground(fin, fout)
	lipgloss.SetHasDarkBackground(dark)
	return newStyles(false, dark)
}

func newStyles(noColor, dark bool) Styles {
	r := lipgloss.NewRenderer(nil)
	r.SetHasDarkBackground(dark) // explicit: the renderer never queries on its own
	if noColor {
		r.SetColorProfile(termenv.Ascii)
	}
	c := func(light, dark string) lipgloss.TerminalColor {
		return lipgloss.AdaptiveColor{Light: light, Dark: dark}
	}
	s := Styles{NoColor: noColor}
	s.Title = r.NewStyle().Bold(true).Foreground(c("#5A2ECF", "#B69CFF"))
	s.Subtitle = r.NewStyle().Bold(true)
	s.Text = r.NewStyle()
	s.Muted = r.NewStyle().Foreground(c("#6B6B6B", "#8A8A8A"))
	s.Key = r.NewStyle().Bold(true)
	s.Selected = r.NewStyle().Bold(true).Foreground(c("#5A2ECF", "#D0BCFF"))
	s.OK = r.NewStyle().Foreground(c("#1B7F3B", "#5FD787"))
	s.Warn = r.NewStyle().Foreground(c("#9A6700", "#FFD75F"))
	s.Bad = r.NewStyle().Foreground(c("#C4161C", "#FF6B6B"))
	s.Box = r.NewStyle().Border(lipgloss.RoundedBorder()).Padding(0, 1)
	s.ErrorBox = r.NewStyle().Border(lipgloss.RoundedBorder()).Padding(0, 1).BorderForeground(c("#C4161C", "#FF6B6B"))
	s.Help = r.NewStyle().Foreground(c("#6B6B6B", "#8A8A8A"))
	s.Header = r.NewStyle().Bold(true).Underline(true)
	s.Code = r.NewStyle().Foreground(c("#005F87", "#87D7FF"))
	s.StepDone = r.NewStyle().Foreground(c("#1B7F3B", "#5FD787"))
	s.StepTodo = r.NewStyle().Foreground(c("#6B6B6B", "#8A8A8A"))
	s.StepHere = r.NewStyle().Bold(true).Foreground(c("#5A2ECF", "#B69CFF"))
	s.GlyphPass, s.GlyphFail, s.GlyphUnk, s.GlyphNA = "✓", "✗", "?", "–"
	return s
}
