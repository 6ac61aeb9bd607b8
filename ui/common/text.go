package common

import (
	"regexp"
	"strings"

	"github.com/charmbracelet/x/ansi"
)

// Text is written as unwrapped paragraphs: one source line per paragraph or list item, never a
// newline in mid-sentence. It is wrapped once, here, to the width it is drawn at. Text that was
// hard-wrapped for 80 columns and wrapped again by the screen left single words alone on a line
// ("role Read / Only"); wrapping once cannot.

// Wrap wraps every line of text to width cells, once. A line's continuation lines hang under
// its text: after its leading marker (indent, "> ", "[x] ", "(•) ", "3. ", "- ", "✓ ") and its
// label column ("Owner          …") when that leaves room, so list items, check rows and
// label/value rows read as blocks. Styled text (ANSI) keeps its styles; a line that already
// fits is left alone.
func Wrap(text string, width int) string {
	if width < 10 {
		return text
	}
	lines := strings.Split(text, "\n")
	out := make([]string, 0, len(lines))
	for _, line := range lines {
		if ansi.StringWidth(line) <= width {
			out = append(out, line)
			continue
		}
		indent := 0
		for _, p := range []*regexp.Regexp{hangColumn, hangMarker} {
			// The label column when it leaves room, else the marker alone.
			if w := ansi.StringWidth(p.FindString(ansi.Strip(line))); w <= width/2 {
				indent = w
				break
			}
		}
		out = append(out, hang(line, indent, width))
	}
	return strings.Join(out, "\n")
}

// Hang wraps text to width with prefix before its first line and the continuation lines
// indented by the prefix's width: a list item, or a matrix row's detail beside its name.
func Hang(prefix, text string, width int) string {
	indent := ansi.StringWidth(prefix)
	if width-indent < 12 { // no room beside the prefix: the text goes under it instead
		return strings.TrimRight(prefix, " ") + "\n" + hang(strings.Repeat(" ", 4)+text, 4, width)
	}
	return hang(prefix+text, indent, width)
}

// hang wraps one line to width with continuation lines indented by indent cells: the first
// indent cells stay as they are, the rest is wrapped to the width beside them.
func hang(line string, indent, width int) string {
	// ansi.Wrap always breaks after a hyphen, which splits dates and names ("2027-" / "03-01"):
	// hyphens are held as non-breaking ones while wrapping.
	line = strings.ReplaceAll(line, "-", nbHyphen)
	return strings.ReplaceAll(hangWords(line, indent, width), nbHyphen, "-")
}

const nbHyphen = "\u2011"

func hangWords(line string, indent, width int) string {
	if indent == 0 {
		return trimRightEach(ansi.Wrap(line, width, ""))
	}
	head, rest := ansi.Truncate(line, indent, ""), ansi.TruncateLeft(line, indent, "")
	pad := strings.Repeat(" ", indent)
	lines := strings.Split(ansi.Wrap(strings.TrimLeft(rest, " "), width-indent, ""), "\n")
	for i, l := range lines {
		lines[i] = pad + strings.TrimRight(l, " ")
	}
	lines[0] = head + lines[0][indent:]
	return strings.Join(lines, "\n")
}

func trimRightEach(s string) string {
	lines := strings.Split(s, "\n")
	for i, l := range lines {
		lines[i] = strings.TrimRight(l, " ")
	}
	return strings.Join(lines, "\n")
}

// hangMarker is a list item's or check row's leading marker, and hangColumn adds a table row's
// label column (a label followed by two or more spaces): continuation lines align after it.
var (
	hangMarker = regexp.MustCompile(`^ *(?:> )?(?:\[[ x]\] |\([ •]\) )?(?:\d+\. |[-•·] |[✓✗?–!] )?`)
	hangColumn = regexp.MustCompile(hangMarker.String() + `(?:[^ ]+(?: [^ ]+)*  +)?`)
)

// WrapLines breaks text into lines of at most w cells at spaces.
func WrapLines(text string, w int) []string {
	return strings.Split(Wrap(strings.Join(strings.Fields(text), " "), max(w, 10)), "\n")
}
