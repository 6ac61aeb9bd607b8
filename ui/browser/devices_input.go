package browser

import (
	"context"

	"github.com/charmbracelet/bubbles/key"
	tea "github.com/charmbracelet/bubbletea"

	"jcconnect/evidence"
	"jcconnect/ui/common"
)

func (b *Browser) scrollToCursor(m browserMode) {
	t := &b.tabs[m]
	h := b.tableHeight()
	if t.cursor < t.offset {
		t.offset = t.cursor
	}
	if t.cursor >= t.offset+h {
		t.offset = t.cursor - h + 1
	}
	t.offset = max(0, min(t.offset, max(len(t.view)-h, 0)))
}

func (b *Browser) move(delta int) {
	t := b.tab()
	if len(t.view) == 0 {
		return
	}
	t.cursor = max(0, min(len(t.view)-1, t.cursor+delta))
	b.scrollToCursor(b.mode)
}

func (b *Browser) updateKey(msg tea.KeyMsg) (tea.Model, tea.Cmd) {
	if b.cancelsExport(msg) {
		return b, nil
	}
	switch {
	case b.filtering:
		return b.updateFilter(msg)
	case b.help.ShowAll:
		// The help page (?): page keys scroll it, any other key closes it.
		if !b.helpScroller().Update(msg) {
			b.help.ShowAll = false
		}
		return b, nil
	case b.detail:
		b.updateDetailKey(msg)
		return b, nil
	}
	if b.moveKey(b.keyNames.Of(msg)) {
		return b, nil
	}
	if cmd, ok := b.viewKey(msg); ok {
		return b, cmd
	}
	return b, b.actionKey(msg)
}

// updateDetailKey scrolls the detail pane, or closes it.
func (b *Browser) updateDetailKey(msg tea.KeyMsg) {
	switch {
	case key.Matches(msg, b.keys.Back), key.Matches(msg, b.keys.Detail):
		b.detail = false
	case key.Matches(msg, b.keys.Up):
		b.detailOffset = max(0, b.detailOffset-1)
	case key.Matches(msg, b.keys.Down):
		b.detailOffset++
	case key.Matches(msg, b.keys.PageUp):
		b.detailOffset = max(0, b.detailOffset-b.tableHeight())
	case key.Matches(msg, b.keys.PageDown):
		b.detailOffset += b.tableHeight()
	}
}

// moveKey moves the cursor in the table; false when msg is not a movement.
func (b *Browser) moveKey(msg common.KeyName) bool {
	t := b.tab()
	switch {
	case key.Matches(msg, b.keys.Up):
		b.move(-1)
	case key.Matches(msg, b.keys.Down):
		b.move(1)
	case key.Matches(msg, b.keys.PageUp):
		b.move(-b.tableHeight())
	case key.Matches(msg, b.keys.PageDown):
		b.move(b.tableHeight())
	case key.Matches(msg, b.keys.Top):
		b.move(-len(t.view))
	case key.Matches(msg, b.keys.Bottom):
		b.move(len(t.view))
	default:
		return false
	}
	return true
}

// viewKey changes what the table shows (filter, failing only, flag, group, sort); false when
// msg is none of those.
func (b *Browser) viewKey(msg tea.KeyMsg) (tea.Cmd, bool) {
	t := b.tab()
	switch {
	case key.Matches(msg, b.keys.Filter):
		b.filtering = true
		b.input.SetValue(t.spec.query)
		return nil, true
	case key.Matches(msg, b.keys.Failing):
		t.spec.failing = !t.spec.failing
	case key.Matches(msg, b.keys.Flag):
		t.spec.flag = !t.spec.flag
	case key.Matches(msg, b.keys.Group):
		t.spec.group = nextGroup(b.groups(), t.spec.group)
	case key.Matches(msg, b.keys.Sort):
		t.spec.sortCol = (t.spec.sortCol + 1) % len(t.cols)
		t.spec.desc = false
	case key.Matches(msg, b.keys.Reverse):
		t.spec.desc = !t.spec.desc
	default:
		return nil, false
	}
	return b.refilter(), true
}

// actionKey handles the rest: detail, switching devices and users, refresh, export, help, back.
func (b *Browser) actionKey(msg tea.KeyMsg) tea.Cmd {
	t := b.tab()
	switch {
	case key.Matches(msg, b.keys.Detail):
		if len(t.view) > 0 {
			b.detail, b.detailOffset = true, 0
		}
	case key.Matches(msg, b.keys.Switch):
		b.switchMode()
	case key.Matches(msg, b.keys.Refresh):
		if b.collect == nil {
			b.setMessage("Refresh is not available here.", false)
			return nil
		}
		if !b.collecting {
			return b.startCollect()
		}
	case key.Matches(msg, b.keys.Export):
		return b.startExport()
	case key.Matches(msg, b.keys.Help):
		b.help.ShowAll = true
		b.helpScroller().Reset()
	case key.Matches(msg, b.keys.Back):
		if msg.String() == "esc" && (t.spec.query != "" || t.spec.failing || t.spec.flag || t.spec.group != "") {
			t.spec = viewSpec{sortCol: t.spec.sortCol, desc: t.spec.desc}
			return b.refilter()
		}
		if b.cancel != nil {
			b.cancel()
		}
		return common.Pop()
	}
	return nil
}

// switchMode goes from devices to users and back, when both are collected.
func (b *Browser) switchMode() {
	switch {
	case b.snap != nil && !b.snap.Integrations.SSO:
		b.setMessage("Users are not collected: SSO is not connected for this profile (jcconnect setup --integrations sso).", false)
	case b.snap != nil && !b.snap.Integrations.Endpoint:
		b.setMessage("Devices are not collected: Endpoint Management is not connected for this profile.", false)
	default:
		b.mode = 1 - b.mode
		b.syncKeys()
	}
}

// updateFilter edits the filter: every keystroke asks for a new view (off the UI goroutine);
// enter keeps the filter, esc clears it.
func (b *Browser) updateFilter(msg tea.KeyMsg) (tea.Model, tea.Cmd) {
	t := b.tab()
	switch msg.String() {
	case "enter":
		b.filtering = false
		return b, nil
	case "esc":
		b.filtering = false
		b.input.SetValue("")
		if t.spec.query == "" {
			return b, nil
		}
		t.spec.query = ""
		return b, b.refilter()
	case "up", "down", "pgup", "pgdown":
		b.filtering = false
		return b.updateKey(msg)
	}
	b.input.Update(msg)
	if q := b.input.Value(); q != t.spec.query {
		t.spec.query = q
		return b, b.refilter()
	}
	return b, nil
}

func (b *Browser) groups() []string {
	if b.mode == modeUsers {
		return userGroups
	}
	return deviceGroups
}

// syncKeys names the quick filters for the current table in the help line.
func (b *Browser) syncKeys() {
	if b.mode == modeUsers {
		b.keys.Group.SetHelp("o", "by state")
		b.keys.Flag.SetHelp("t", "no MFA only")
		b.input.placeholder = "filter: username, email, name, state…"
	} else {
		b.keys.Group.SetHelp("o", "by OS")
		b.keys.Flag.SetHelp("t", "stale only")
		b.input.placeholder = "filter: name, OS, owner, id…"
	}
}

// startExport writes the auditor's bundle of the snapshot shown, off the UI goroutine; esc
// (or ctrl+c) cancels it.
func (b *Browser) startExport() tea.Cmd {
	if b.snap == nil {
		b.setMessage("Nothing to export yet: the collection has not finished.", false)
		return nil
	}
	if b.export.run != nil {
		return nil
	}
	// The report is unpacked, when the export needs it at all, on the export's goroutine.
	snap, report, dir, full, env, prev := b.snap, b.kept.whole, b.outDir, b.exportCollect, b.Env, &b.export.bundle
	run := StartExport(b.export.ctx, func(ctx context.Context) (evidence.ExportResult, error) {
		return ExportSnapshot(ctx, env, snap, report, dir, full, prev)
	})
	b.export.run = run
	b.setBackHelp("cancel export")
	b.setMessage(ExportingNote(snap), false)
	return func() tea.Msg {
		res, err := run.Wait()
		return exportDoneMsg{run: run, res: res, err: err}
	}
}
