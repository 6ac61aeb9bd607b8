package wizard

import (
	"strings"
	"testing"

	tea "github.com/charmbracelet/bubbletea"

	"jcconnect/internal/uitest"
	"jcconnect/store"
	"jcconnect/ui/common"
)

// Golden screens of every wizard step at 60×16, 80×24 and 120×40 (testdata/TestWizardGolden).
// Each is also checked for what a golden file alone would not catch: a line wider than the
// terminal, more lines than it has, an orphan word, no key hints at the bottom.
// Regenerate with: go test ./ui/... -update

// wizGoldenScreens drives a fresh demo wizard to one screen each.
var wizGoldenScreens = []struct {
	name string
	keys []string // after the window size is set
	hint string   // what the key-hint line must show
	err  error    // the keyring refuses every write with it
}{
	{"1-welcome", nil, "? all keys", nil},
	{"1-welcome-cursor-top", []string{"up", "up", "up", "up", "up", "up", "up"}, "? all keys", nil},
	{"1-welcome-help", []string{"?"}, "esc close this help", nil},
	{"2-admin", []string{"enter"}, "? all keys", nil},
	{"2-admin-help", []string{"enter", "?"}, "esc close this help", nil},
	{"3-keygen", []string{"enter", "enter"}, "? all keys", nil},
	{"4-paste-demo", []string{"enter", "enter", "enter"}, "? all keys", nil},
	{"4-paste-demo-key", []string{"enter", "enter", "enter", "tab"}, "? all keys", nil},
	{"5-verify-readonly", []string{"enter", "enter", "enter", "tab", "enter"}, "? all keys", nil},
	{"5-verify-full-admin", []string{"enter", "enter", "enter", "tab", "tab", "enter"}, "? all keys", nil},
	{"5-verify-revoked", []string{"enter", "enter", "enter", "tab", "tab", "tab", "enter"}, "? all keys", nil},
	{"5-verify-multi-tenant", []string{"enter", "enter", "enter", "tab", "tab", "tab", "tab", "enter"}, "? all keys", nil},
	{"6-save", []string{"enter", "enter", "enter", "tab", "enter", "enter"}, "? all keys", nil},
	{"6-save-failed-locked", []string{"enter", "enter", "enter", "tab", "enter", "enter", "enter"}, "? all keys", store.ErrKeyringLocked},
	{"6-save-failed-no-service", []string{"enter", "enter", "enter", "tab", "enter", "enter", "enter"}, "? all keys", store.ErrNoSecretService},
	{"6-saved", []string{"enter", "enter", "enter", "tab", "enter", "enter", "enter"}, "? all keys", nil},
	{"7-preview", []string{"enter", "enter", "enter", "tab", "enter", "enter", "enter", "enter"}, "? all keys", nil},
	{"sa-2-console", []string{"up", "up", "up", "up", "up", "up", "up", "space", "enter"}, "? all keys", nil},
	{"sa-3-client-id", []string{"up", "up", "up", "up", "up", "up", "up", "space", "enter", "enter"}, "? all keys", nil},
	{"sa-4-secret", []string{"up", "up", "up", "up", "up", "up", "up", "space", "enter", "enter", "tab", "enter"}, "? all keys", nil},
	{"sa-5-verify", []string{"up", "up", "up", "up", "up", "up", "up", "space", "enter", "enter", "tab", "enter", "tab", "enter"}, "? all keys", nil},
}

func TestWizardGolden(t *testing.T) {
	for _, sc := range wizGoldenScreens {
		for _, sz := range uitest.Sizes {
			t.Run(sc.name+"/"+uitest.SizeName(sz.W, sz.H), func(t *testing.T) {
				srv := wizSandbox(t)
				var kr store.Keyring
				if sc.err != nil {
					kr = &wizFlakyKeyring{Keyring: store.NewMemory(), failSets: 100, err: sc.err}
				}
				h := newWizHarness(t, wizEnv(t, srv, kr))
				h.send(tea.WindowSizeMsg{Width: sz.W, Height: sz.H})
				h.keys(sc.keys...)
				view := uitest.Stable(h.w.View())
				uitest.CheckLayout(t, view, sz.W, sz.H, sc.hint)
				if sc.err != nil {
					// The keyring diagnosis names its probe item after the process id, so where
					// it wraps changes from run to run: laid out and checked, not compared.
					wizHas(t, view, "Nothing was stored", "press r")
					return
				}
				uitest.Golden(t, view)
			})
		}
	}
}

// ? on a wizard step used to do nothing while the help line was cut at 80 columns.
func TestWizardQuestionMarkShowsTheStepsKeysAndClosesAgain(t *testing.T) {
	srv := wizSandbox(t)
	h := newWizHarness(t, wizEnv(t, srv, nil))
	h.send(tea.WindowSizeMsg{Width: 80, Height: 24})
	h.keys("enter")
	h.at(StepAdmin)
	h.keys("?")
	if !h.w.ShowingHelp() {
		t.Fatal("? did not open the help")
	}
	wizHas(t, h.view(), "Keys on this step (Create a Read Only administrator)", "space", "tick",
		"enter", "next step", "Everywhere in setup", "pgdn", "ctrl+c", "quit")
	h.keys("?")
	if h.w.ShowingHelp() {
		t.Fatal("? again did not close the help")
	}
	h.keys("?", "esc")
	if h.w.ShowingHelp() {
		t.Fatal("esc did not close the help")
	}
	h.at(StepAdmin) // esc closed the help instead of going back a step
	wizHas(t, h.view(), "Why a new admin")
}

// The quit question over a verified, unsaved key, at every size (testdata/TestAppQuitQuestionGolden).
func TestAppQuitQuestionGolden(t *testing.T) {
	for _, sz := range uitest.Sizes {
		t.Run(uitest.SizeName(sz.W, sz.H), func(t *testing.T) {
			srv := wizSandbox(t)
			env := wizEnv(t, srv, nil)
			h := newWizHarness(t, env)
			h.keys("enter", "enter", "enter", "tab", "enter", "enter") // verified, at the save step
			app := common.NewApp(wizCommon(env), h.w)
			m, _ := app.Update(tea.WindowSizeMsg{Width: sz.W, Height: sz.H})
			m, _ = m.Update(wizKey("ctrl+c"))
			if !m.(*common.App).Confirming() {
				t.Fatal("ctrl+c with a verified, unsaved key did not ask")
			}
			view := uitest.Stable(m.View())
			uitest.CheckLayout(t, view, sz.W, sz.H, "") // the answers are inside the box:
			wizHas(t, view, "y quit without saving", "n stay")
			uitest.Golden(t, view)
		})
	}
}

// At 60×16 the welcome screen could not show its choices while the cursor moved invisibly: at
// every position of the cursor, its line is on screen, with the key hints under it.
func TestWelcomeCursorStaysInViewAt60x16(t *testing.T) {
	srv := wizSandbox(t)
	h := newWizHarness(t, wizEnv(t, srv, nil))
	h.send(tea.WindowSizeMsg{Width: 60, Height: 16})
	h.keys("up", "up", "up", "up", "up", "up", "up", "up")
	for i := range welcomeOptions {
		view := uitest.Plain(h.w.View())
		label := welcomeOptions[i].label[:20]
		shown := false
		for _, l := range strings.Split(view, "\n") {
			shown = shown || (strings.HasPrefix(l, "> ") && strings.Contains(l, label))
		}
		if !shown {
			t.Fatalf("the cursor on option %d (%q) is not in view:\n%s", i+1, welcomeOptions[i].label, view)
		}
		uitest.CheckLayout(t, view, 60, 16, "? all keys")
		h.keys("down")
	}
}
