package wizard

import (
	"strings"

	"github.com/charmbracelet/bubbles/help"
	tea "github.com/charmbracelet/bubbletea"

	"jcconnect/store"
	"jcconnect/ui/common"
)

// verifyStep is step 5: the live verification (VerifyModel) of the submitted key. Coming back to
// it with the same key keeps the result; a new key starts a new verification, whose generation
// counter drops any answer still in flight for the old one.
type verifyStep struct {
	common  common.Common
	model   common.VerifyModel
	started bool
	forKey  string
}

func newVerifyStep(c common.Common) *verifyStep { return &verifyStep{common: c} }

func (v *verifyStep) title() string      { return "Verify the key live" }
func (v *verifyStep) keys() help.KeyMap  { return v.model.HelpKeys() }
func (v *verifyStep) capturesBack() bool { return false }

// setSize takes the body's size; the model gets it less the "Checking …" line above it.
func (v *verifyStep) setSize(w, h int) {
	v.common.SetSize(w, h-2)
	v.model.SetSize(w, h-2)
}

func (v *verifyStep) enter(st *wizardState) tea.Cmd {
	if v.started && v.forKey == st.key && st.verified != nil {
		return nil
	}
	v.model = common.NewVerifyModel(st.ctx, v.common, st.verifyRequest())
	v.started, v.forKey = true, st.key
	return v.model.Init()
}

func (v *verifyStep) update(msg tea.Msg, st *wizardState) tea.Cmd {
	switch msg := msg.(type) {
	case common.VerifiedMsg:
		ver := msg.Verified
		st.verified = &ver
		return wizardNext
	case common.VerifyBackMsg:
		if msg.CreateAdmin {
			return func() tea.Msg { return wizardGotoMsg{step: StepAdmin} }
		}
		return func() tea.Msg { return wizardBackMsg{} }
	}
	var cmd tea.Cmd
	v.model, cmd = v.model.Update(msg)
	return cmd
}

func (v *verifyStep) view(st *wizardState, c common.Common) string {
	s := c.Styles
	var b strings.Builder
	b.WriteString("Checking " + s.Code.Render(store.Mask(st.key)) + " against " + st.verifyRequest().Where() + ":\n\n")
	b.WriteString(v.model.View())
	return b.String()
}
