package ui

import "github.com/charmbracelet/bubbles/key"

// All key bindings live in this file so the help line and the behaviour cannot drift apart.
// Screens add their own maps here, each implementing help.KeyMap.

// GlobalKeys work on every screen.
type GlobalKeys struct {
	Quit key.Binding
	Back key.Binding
	Help key.Binding
}

func newGlobalKeys() GlobalKeys {
	return GlobalKeys{
		Quit: key.NewBinding(key.WithKeys("ctrl+c"), key.WithHelp("ctrl+c", "quit")),
		Back: key.NewBinding(key.WithKeys("esc", "shift+tab"), key.WithHelp("esc", "back")),
		Help: key.NewBinding(key.WithKeys("?"), key.WithHelp("?", "more keys")),
	}
}

// RotateKeys are the rotation screen's keys; phase selects what the help line shows.
type RotateKeys struct {
	Continue key.Binding
	Confirm  key.Binding
	Decline  key.Binding
	Retry    key.Binding
	Back     key.Binding
	Done     key.Binding
	DemoKey  key.Binding // the demo only: insert its keys in turn while pasting
	phase    rotatePhase
}

func newRotateKeys() RotateKeys {
	return RotateKeys{
		Continue: key.NewBinding(key.WithKeys("enter"), key.WithHelp("enter", "continue")),
		Confirm:  key.NewBinding(key.WithKeys("y", "Y"), key.WithHelp("y", "yes, store this key")),
		Decline:  key.NewBinding(key.WithKeys("n", "N"), key.WithHelp("n", "no, paste another key")),
		Retry:    key.NewBinding(key.WithKeys("r"), key.WithHelp("r", "try again")),
		Back:     key.NewBinding(key.WithKeys("esc", "shift+tab"), key.WithHelp("esc", "back")),
		Done:     key.NewBinding(key.WithKeys("enter", "esc", "q"), key.WithHelp("enter", "done")),
		DemoKey:  key.NewBinding(key.WithKeys("tab"), key.WithHelp("tab", "insert a demo key")),
	}
}

// ShortHelp shows the keys that work in the current phase.
func (k RotateKeys) ShortHelp() []key.Binding {
	switch k.phase {
	case rotateIntro:
		return []key.Binding{k.Continue, k.Back}
	case rotateConfirm:
		return []key.Binding{k.Confirm, k.Decline}
	case rotateSaveFailed, rotatePrepFailed:
		return []key.Binding{k.Retry, k.Back}
	case rotateRefused:
		return []key.Binding{k.Back}
	case rotateDone:
		return []key.Binding{k.Done}
	}
	return []key.Binding{k.Back}
}

func (k RotateKeys) FullHelp() [][]key.Binding { return [][]key.Binding{k.ShortHelp()} }

// BrowserKeys are the evidence browser's keys (devices and users).
type BrowserKeys struct {
	Up, Down, PageUp, PageDown, Top, Bottom key.Binding
	Filter, Failing, Group, Flag            key.Binding
	Sort, Reverse, Detail, Switch           key.Binding
	Refresh, Export, Back, Help             key.Binding
}

func newBrowserKeys() BrowserKeys {
	return BrowserKeys{
		Up:       key.NewBinding(key.WithKeys("up", "k"), key.WithHelp("↑/k", "up")),
		Down:     key.NewBinding(key.WithKeys("down", "j"), key.WithHelp("↓/j", "down")),
		PageUp:   key.NewBinding(key.WithKeys("pgup", "ctrl+b"), key.WithHelp("pgup", "page up")),
		PageDown: key.NewBinding(key.WithKeys("pgdown", "ctrl+f", " "), key.WithHelp("pgdn", "page down")),
		Top:      key.NewBinding(key.WithKeys("home", "g"), key.WithHelp("g", "first")),
		Bottom:   key.NewBinding(key.WithKeys("end", "G"), key.WithHelp("G", "last")),
		Filter:   key.NewBinding(key.WithKeys("/"), key.WithHelp("/", "filter")),
		Failing:  key.NewBinding(key.WithKeys("f"), key.WithHelp("f", "failing only")),
		Group:    key.NewBinding(key.WithKeys("o"), key.WithHelp("o", "by OS")),
		Flag:     key.NewBinding(key.WithKeys("t"), key.WithHelp("t", "stale only")),
		Sort:     key.NewBinding(key.WithKeys("s"), key.WithHelp("s", "sort column")),
		Reverse:  key.NewBinding(key.WithKeys("S"), key.WithHelp("S", "reverse sort")),
		Detail:   key.NewBinding(key.WithKeys("enter"), key.WithHelp("enter", "details")),
		Switch:   key.NewBinding(key.WithKeys("tab"), key.WithHelp("tab", "devices/users")),
		Refresh:  key.NewBinding(key.WithKeys("r"), key.WithHelp("r", "refresh")),
		Export:   key.NewBinding(key.WithKeys("e"), key.WithHelp("e", "export")),
		Back:     key.NewBinding(key.WithKeys("esc", "q"), key.WithHelp("esc", "back")),
		Help:     key.NewBinding(key.WithKeys("?"), key.WithHelp("?", "more keys")),
	}
}

func (k BrowserKeys) ShortHelp() []key.Binding {
	return []key.Binding{k.Filter, k.Failing, k.Sort, k.Detail, k.Refresh, k.Export, k.Back, k.Help}
}

func (k BrowserKeys) FullHelp() [][]key.Binding {
	return [][]key.Binding{
		{k.Up, k.Down, k.PageUp, k.PageDown, k.Top, k.Bottom},
		{k.Filter, k.Failing, k.Group, k.Flag},
		{k.Sort, k.Reverse, k.Detail, k.Switch},
		{k.Refresh, k.Export, k.Back, k.Help},
	}
}

// The setup wizard's keys (app.go, keyinput.go, verify.go, wizard_*.go). Each map shows in the
// help line only the keys that work in the screen's current state.

// KeyInputKeys are the field's own keys (help line).
type KeyInputKeys struct {
	Submit key.Binding
	Reveal key.Binding
	Clear  key.Binding
}

func newKeyInputKeys() KeyInputKeys {
	return KeyInputKeys{
		Submit: key.NewBinding(key.WithKeys("enter"), key.WithHelp("enter", "check")),
		Reveal: key.NewBinding(key.WithKeys("ctrl+r"), key.WithHelp("ctrl+r", "show/hide")),
		Clear:  key.NewBinding(key.WithKeys("ctrl+u"), key.WithHelp("ctrl+u", "clear")),
	}
}

// VerifyKeys are the verify screen's keys.
type VerifyKeys struct {
	Continue   key.Binding
	Retry      key.Binding
	Up, Down   key.Binding
	Pick       key.Binding
	CreateRole key.Binding // go back and create the right admin
	Knowingly  key.Binding // continue with a privileged key
	Back       key.Binding
	phase      verifyPhase
}

func newVerifyKeys() VerifyKeys {
	return VerifyKeys{
		Continue:   key.NewBinding(key.WithKeys("enter"), key.WithHelp("enter", "continue")),
		Retry:      key.NewBinding(key.WithKeys("r"), key.WithHelp("r", "retry")),
		Up:         key.NewBinding(key.WithKeys("up", "k"), key.WithHelp("↑/↓", "choose")),
		Down:       key.NewBinding(key.WithKeys("down", "j")),
		Pick:       key.NewBinding(key.WithKeys("enter"), key.WithHelp("enter", "use this organisation")),
		CreateRole: key.NewBinding(key.WithKeys("b"), key.WithHelp("b", "go back and create a Read Only admin")),
		Knowingly:  key.NewBinding(key.WithKeys("c"), key.WithHelp("c", "continue knowingly")),
		Back:       key.NewBinding(key.WithKeys("esc", "shift+tab"), key.WithHelp("esc", "back")),
	}
}

// ShortHelp shows the keys that work in the current phase.
func (k VerifyKeys) ShortHelp() []key.Binding {
	switch k.phase {
	case verifyPickOrg:
		return []key.Binding{k.Up, k.Pick, k.Back}
	case verifyStuck:
		return []key.Binding{k.Retry, k.Back}
	case verifyRefused:
		return []key.Binding{k.Back}
	case verifyPrivilege:
		return []key.Binding{k.CreateRole, k.Knowingly, k.Back}
	case verifyDone:
		return []key.Binding{k.Continue, k.Back}
	}
	return []key.Binding{k.Back}
}

func (k VerifyKeys) FullHelp() [][]key.Binding { return [][]key.Binding{k.ShortHelp()} }

// welcomeKeys move over the integrations and regions of step 1.
type welcomeKeys struct {
	Up, Down, Toggle, Continue key.Binding
}

func (k welcomeKeys) ShortHelp() []key.Binding { return []key.Binding{k.Up, k.Toggle, k.Continue} }
func (k welcomeKeys) FullHelp() [][]key.Binding {
	return [][]key.Binding{k.ShortHelp()}
}

func newWelcomeKeys() welcomeKeys {
	return welcomeKeys{
		Up:       key.NewBinding(key.WithKeys("up", "k"), key.WithHelp("↑/↓", "move")),
		Down:     key.NewBinding(key.WithKeys("down", "j")),
		Toggle:   key.NewBinding(key.WithKeys(" ", "x"), key.WithHelp("space", "tick/choose")),
		Continue: key.NewBinding(key.WithKeys("enter"), key.WithHelp("enter", "continue")),
	}
}

// checklistKeys tick the console steps of steps 2 and 3; o opens the console where a browser exists.
type checklistKeys struct {
	Up, Down, Tick, Open, Continue, Back key.Binding
	canOpen                              bool
}

func (k checklistKeys) ShortHelp() []key.Binding {
	b := []key.Binding{k.Up, k.Tick}
	if k.canOpen {
		b = append(b, k.Open)
	}
	return append(b, k.Continue, k.Back)
}
func (k checklistKeys) FullHelp() [][]key.Binding { return [][]key.Binding{k.ShortHelp()} }

func newChecklistKeys() checklistKeys {
	return checklistKeys{
		Up:       key.NewBinding(key.WithKeys("up", "k"), key.WithHelp("↑/↓", "move")),
		Down:     key.NewBinding(key.WithKeys("down", "j")),
		Tick:     key.NewBinding(key.WithKeys(" ", "x"), key.WithHelp("space", "tick")),
		Open:     key.NewBinding(key.WithKeys("o"), key.WithHelp("o", "open the console")),
		Continue: key.NewBinding(key.WithKeys("enter"), key.WithHelp("enter", "next step")),
		Back:     key.NewBinding(key.WithKeys("esc"), key.WithHelp("esc", "back")),
	}
}

// pasteKeys are the key field's keys, plus tab for the demo's keys.
type pasteKeys struct {
	input    KeyInputKeys
	DemoKey  key.Binding
	Back     key.Binding
	showDemo bool
}

func (k pasteKeys) ShortHelp() []key.Binding {
	b := []key.Binding{k.input.Submit, k.input.Reveal, k.input.Clear}
	if k.showDemo {
		b = append([]key.Binding{k.DemoKey}, b...)
	}
	return append(b, k.Back)
}
func (k pasteKeys) FullHelp() [][]key.Binding { return [][]key.Binding{k.ShortHelp()} }

func newPasteKeys(input KeyInputKeys) pasteKeys {
	return pasteKeys{input: input,
		DemoKey: key.NewBinding(key.WithKeys("tab"), key.WithHelp("tab", "demo key")),
		Back:    key.NewBinding(key.WithKeys("esc"), key.WithHelp("esc", "back")),
	}
}

// saveKeys save, retry after a keyring failure, or go on once saved.
type saveKeys struct {
	Save, Retry, Continue, Back key.Binding
	saved, failed               bool
}

func (k saveKeys) ShortHelp() []key.Binding {
	switch {
	case k.saved:
		return []key.Binding{k.Continue}
	case k.failed:
		return []key.Binding{k.Retry, k.Back}
	}
	return []key.Binding{k.Save, k.Back}
}
func (k saveKeys) FullHelp() [][]key.Binding { return [][]key.Binding{k.ShortHelp()} }

func newSaveKeys() saveKeys {
	return saveKeys{
		Save:     key.NewBinding(key.WithKeys("enter"), key.WithHelp("enter", "save")),
		Retry:    key.NewBinding(key.WithKeys("r", "enter"), key.WithHelp("r", "try again")),
		Continue: key.NewBinding(key.WithKeys("enter"), key.WithHelp("enter", "preview the evidence")),
		Back:     key.NewBinding(key.WithKeys("esc"), key.WithHelp("esc", "back")),
	}
}

// previewKeys are step 7's actions.
type previewKeys struct {
	Browse, Export, Done, Retry key.Binding
	ready, failed               bool
}

func (k previewKeys) ShortHelp() []key.Binding {
	switch {
	case k.ready:
		return []key.Binding{k.Browse, k.Export, k.Done}
	case k.failed:
		return []key.Binding{k.Retry, k.Done}
	}
	return []key.Binding{k.Done}
}
func (k previewKeys) FullHelp() [][]key.Binding { return [][]key.Binding{k.ShortHelp()} }

func newPreviewKeys() previewKeys {
	return previewKeys{
		Browse: key.NewBinding(key.WithKeys("b"), key.WithHelp("b", "browse devices")),
		Export: key.NewBinding(key.WithKeys("e"), key.WithHelp("e", "export evidence")),
		Done:   key.NewBinding(key.WithKeys("enter", "q"), key.WithHelp("enter", "done")),
		Retry:  key.NewBinding(key.WithKeys("r"), key.WithHelp("r", "try again")),
	}
}

// appKeys answer the quit confirmation.
type appKeys struct {
	Yes, No key.Binding
}

func newAppKeys() appKeys {
	return appKeys{
		Yes: key.NewBinding(key.WithKeys("y", "Y"), key.WithHelp("y", "quit without saving")),
		No:  key.NewBinding(key.WithKeys("n", "N", "esc"), key.WithHelp("n", "stay")),
	}
}

// HomeKeys are the home screen's keys.
type HomeKeys struct {
	Up, Down   key.Binding
	Select     key.Binding
	Devices    key.Binding
	Users      key.Binding
	Export     key.Binding
	Rotate     key.Binding
	AddOrg     key.Binding
	Disconnect key.Binding
	Collect    key.Binding
	Profile    key.Binding
	Quit       key.Binding
	Yes, No    key.Binding
	confirming bool
}

func newHomeKeys() HomeKeys {
	return HomeKeys{
		Up:         key.NewBinding(key.WithKeys("up", "k"), key.WithHelp("↑/↓", "choose")),
		Down:       key.NewBinding(key.WithKeys("down", "j")),
		Select:     key.NewBinding(key.WithKeys("enter"), key.WithHelp("enter", "do it")),
		Devices:    key.NewBinding(key.WithKeys("d"), key.WithHelp("d", "devices")),
		Users:      key.NewBinding(key.WithKeys("u"), key.WithHelp("u", "users")),
		Export:     key.NewBinding(key.WithKeys("e"), key.WithHelp("e", "export")),
		Rotate:     key.NewBinding(key.WithKeys("r"), key.WithHelp("r", "rotate")),
		AddOrg:     key.NewBinding(key.WithKeys("a"), key.WithHelp("a", "add organisation")),
		Disconnect: key.NewBinding(key.WithKeys("x"), key.WithHelp("x", "disconnect")),
		Collect:    key.NewBinding(key.WithKeys("c"), key.WithHelp("c", "collect again")),
		Profile:    key.NewBinding(key.WithKeys("p"), key.WithHelp("p", "next profile")),
		Quit:       key.NewBinding(key.WithKeys("q"), key.WithHelp("q", "quit")),
		Yes:        key.NewBinding(key.WithKeys("y", "Y"), key.WithHelp("y", "disconnect")),
		No:         key.NewBinding(key.WithKeys("n", "N", "esc"), key.WithHelp("n", "keep it")),
	}
}

func (k HomeKeys) ShortHelp() []key.Binding {
	if k.confirming {
		return []key.Binding{k.Yes, k.No}
	}
	return []key.Binding{k.Up, k.Select, k.Rotate, k.Collect, k.Profile, k.Quit}
}

func (k HomeKeys) FullHelp() [][]key.Binding { return [][]key.Binding{k.ShortHelp()} }
