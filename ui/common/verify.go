package common

import (
	"context"

	"github.com/charmbracelet/bubbles/help"
	"github.com/charmbracelet/bubbles/key"
	"github.com/charmbracelet/bubbles/spinner"
	tea "github.com/charmbracelet/bubbletea"

	"jcconnect/connect"
	"jcconnect/glossary"
	"jcconnect/jumpcloud"
)

// VerifyModel is the live verification as a component: a spinner per check and each result as it
// arrives, retry on network trouble, an organisation picker for multi-tenant keys and the
// least-privilege choice. The wizard's step 5 and rotation embed it. When it is done it emits
// VerifiedMsg; when the user chooses to go back it emits VerifyBackMsg. All I/O runs in tea.Cmds;
// results carry a generation so that a retry or a new key drops stale answers.
type VerifyModel struct {
	Common
	req  connect.VerifyRequest
	ctx  context.Context
	Gen  int
	keys VerifyKeys

	spin   spinner.Model
	Phase  verifyPhase
	base   *jumpcloud.Client
	client *jumpcloud.Client // base, or base.WithOrg for the chosen organisation

	key     connect.CheckResult
	Org     connect.CheckResult
	orgs    []jumpcloud.Organization
	cursor  int // in orgs, while picking
	owner   connect.CheckResult
	role    connect.CheckResult
	expiry  connect.CheckResult
	sources []connect.SourceCheck
	result  connect.Verified
}

type verifyPhase int

const (
	verifyRunning   verifyPhase = iota
	verifyPickOrg               // a multi-tenant key: choose the organisation
	verifyStuck                 // network trouble: r retries
	VerifyRefused               // the key cannot be used: go back
	verifyPrivilege             // not Read Only: go back or continue knowingly
	verifyDone                  // enter continues
)

// VerifiedMsg is emitted once the key is verified (and, for a privileged key, the user chose to
// continue knowingly).
type VerifiedMsg struct{ Verified connect.Verified }

// VerifyBackMsg is emitted when the user chooses to go back. CreateAdmin is set when they chose
// to create the right (Read Only) admin rather than just paste another key.
type VerifyBackMsg struct{ CreateAdmin bool }

// Internal results, stamped with the generation that asked for them.
type (
	VerifyKeyMsg struct {
		Gen  int
		base *jumpcloud.Client
		ka   connect.KeyAcceptance
	}
	VerifyOwnerMsg struct {
		Gen int
		Oc  connect.OwnerCheck
	}
	VerifySourceMsg struct {
		Gen, i int
		sc     connect.SourceCheck
	}
)

// credentialWords are the screen's words for what is verified: an admin's API key, or a
// service account (whose role is its own, not an admin's).
func (m VerifyModel) words() glossary.Credential {
	return glossary.CredentialFor(m.req.IsServiceAccount())
}

// NewVerifyModel starts a verification of req.Key. Call Init to begin.
func NewVerifyModel(ctx context.Context, c Common, req connect.VerifyRequest) VerifyModel {
	sp := spinner.New(spinner.WithSpinner(spinner.Line))
	m := VerifyModel{Common: c, req: req, ctx: ctx, keys: newVerifyKeys(), spin: sp}
	m.reset()
	return m
}

func (m *VerifyModel) reset() {
	m.Gen++
	m.Phase = verifyRunning
	m.key = connect.CheckResult{Name: connect.AcceptedCheckName(m.req.IsServiceAccount()), State: connect.CheckRunning}
	m.Org = connect.CheckResult{Name: connect.CheckNameOrg}
	m.owner = connect.CheckResult{Name: connect.CheckNameOwner}
	m.role = connect.CheckResult{Name: connect.CheckNameReadOnly}
	m.expiry = connect.CheckResult{Name: connect.CheckNameExpiry}
	m.sources = nil
	srcs, optional := connect.SourcesFor(m.req.Integrations)
	for _, s := range srcs {
		m.sources = append(m.sources, connect.SourceCheck{Source: s, Optional: optional[s],
			Result: connect.CheckResult{Name: connect.SourceCheckName(s)}})
	}
	m.orgs, m.base, m.client = nil, nil, nil
}

// Init starts the first check.
func (m VerifyModel) Init() tea.Cmd { return tea.Batch(m.spin.Tick, m.checkKey()) }

func (m VerifyModel) checkKey() tea.Cmd {
	gen, req, ctx := m.Gen, m.req, m.ctx
	return func() tea.Msg {
		c, err := req.Client()
		if err != nil {
			return VerifyKeyMsg{Gen: gen, ka: connect.KeyAcceptance{Result: connect.CheckResult{Name: connect.AcceptedCheckName(req.IsServiceAccount()),
				State: connect.CheckFailed, Detail: connect.Clean(err.Error()), Err: err,
				Fix: "Go back (esc) and check the key and the region."}}}
		}
		if req.IsServiceAccount() {
			// A wrong or expired secret, or an unreachable token host, is told here in its own words.
			if tr := connect.CheckToken(ctx, c); !tr.OK() {
				return VerifyKeyMsg{Gen: gen, base: c, ka: connect.KeyAcceptance{Result: tr}}
			}
		}
		return VerifyKeyMsg{Gen: gen, base: c, ka: connect.CheckKeyAccepted(ctx, c, req)}
	}
}

func (m VerifyModel) checkOwner() tea.Cmd {
	gen, c, ctx := m.Gen, m.client, m.ctx
	return func() tea.Msg { return VerifyOwnerMsg{Gen: gen, Oc: connect.CheckOwner(ctx, c)} }
}

func (m VerifyModel) checkSource(i int) tea.Cmd {
	gen, c, ctx, s := m.Gen, m.client, m.ctx, m.sources[i]
	return func() tea.Msg {
		return VerifySourceMsg{Gen: gen, i: i, sc: connect.CheckSource(ctx, c, s.Source, s.Optional)}
	}
}

// afterOrg starts the checks that need the organisation: owner and every source at once (the
// client bounds the requests in flight), each drawn as it arrives.
func (m *VerifyModel) afterOrg(org jumpcloud.Organization) tea.Cmd {
	m.result.Org, m.result.OrgCount = org, len(m.orgs)
	m.client = connect.ClientForOrg(m.base, org, len(m.orgs), m.req.OrgID)
	m.owner.State, m.role.State, m.expiry.State = connect.CheckRunning, connect.CheckRunning, connect.CheckRunning
	cmds := []tea.Cmd{m.checkOwner()}
	for i := range m.sources {
		m.sources[i].Result.State = connect.CheckRunning
		cmds = append(cmds, m.checkSource(i))
	}
	return tea.Batch(cmds...)
}

// Phase-independent accessors for embedding screens and tests.

// Done reports whether verification finished and the result can be used.
func (m VerifyModel) Done() bool { return m.Phase == verifyDone || m.Phase == verifyPrivilege }

// Result is the verification so far (complete when Done).
func (m VerifyModel) Result() connect.Verified { return m.result }

// HelpKeys is the key map for the help line.
func (m VerifyModel) HelpKeys() help.KeyMap { k := m.keys; k.Phase = m.Phase; return k }

// Update handles results and keys.
func (m VerifyModel) Update(msg tea.Msg) (VerifyModel, tea.Cmd) {
	switch msg := msg.(type) {
	case spinner.TickMsg:
		if m.Phase != verifyRunning {
			return m, nil // stop ticking when nothing spins
		}
		var cmd tea.Cmd
		m.spin, cmd = m.spin.Update(msg)
		return m, cmd
	case VerifyKeyMsg:
		if msg.Gen != m.Gen {
			return m, nil
		}
		m.key, m.base, m.orgs = msg.ka.Result, msg.base, msg.ka.Orgs
		if !m.key.OK() {
			m.Phase = m.failedPhase(m.key)
			return m, nil
		}
		org, needPick, or := connect.ChooseOrg(m.orgs, m.req.OrgID)
		m.Org = or
		if needPick {
			m.Phase = verifyPickOrg
			m.cursor = 0
			return m, nil
		}
		if !or.OK() {
			m.Phase = VerifyRefused
			return m, nil
		}
		return m, m.afterOrg(org)
	case VerifyOwnerMsg:
		if msg.Gen != m.Gen {
			return m, nil
		}
		m.owner = msg.Oc.Result
		if m.owner.OK() {
			m.result.Owner = msg.Oc.Owner
			m.role = msg.Oc.ReadOnlyCheck()
			ec := msg.Oc.ExpiryCheck(m.req.Clock())
			if id := msg.Oc.Identity; id != nil && id.Found {
				m.result.Account = id.Account.Name
			}
			m.expiry, m.result.Created, m.result.Expires = ec.Result, ec.Created, ec.Expires
		} else {
			m.role.State, m.expiry.State = connect.CheckPending, connect.CheckPending
		}
		return m.settle()
	case VerifySourceMsg:
		if msg.Gen != m.Gen || msg.i >= len(m.sources) {
			return m, nil
		}
		m.sources[msg.i] = msg.sc
		return m.settle()
	case tea.KeyMsg:
		return m.handleKey(msg)
	}
	return m, nil
}

func (m VerifyModel) failedPhase(r connect.CheckResult) verifyPhase {
	if r.Retryable {
		return verifyStuck
	}
	return VerifyRefused
}

// settle moves on once nothing is running: a failure stops (retry or back), a privileged key
// asks, otherwise verification is done.
func (m VerifyModel) settle() (VerifyModel, tea.Cmd) {
	rows := m.rows()
	for _, r := range rows {
		if r.State == connect.CheckRunning {
			return m, nil
		}
	}
	for _, r := range rows {
		if r.State == connect.CheckFailed {
			m.Phase = m.failedPhase(r)
			if !r.Retryable {
				return m, nil
			}
		}
	}
	if m.Phase == verifyStuck || m.Phase == VerifyRefused {
		return m, nil
	}
	m.result.Key, m.result.Region, m.result.BaseURL = m.req.Key, m.req.Region, m.req.BaseURL
	m.result.ClientID, m.result.TokenURL = m.req.ClientID, m.req.TokenURL
	m.result.Integrations = m.req.Integrations
	m.result.Sources = append([]connect.SourceCheck(nil), m.sources...)
	m.result.Checks = rows
	m.result.VerifiedAt = m.req.Clock()
	if connect.IsPrivileged(m.result.Owner) {
		m.Phase = verifyPrivilege
	} else {
		m.Phase = verifyDone
	}
	return m, nil
}

func (m VerifyModel) handleKey(msg tea.KeyMsg) (VerifyModel, tea.Cmd) {
	switch m.Phase {
	case verifyPickOrg:
		switch {
		case key.Matches(msg, m.keys.Up):
			m.cursor = max(m.cursor-1, 0)
		case key.Matches(msg, m.keys.Down):
			m.cursor = min(m.cursor+1, len(m.orgs)-1)
		case key.Matches(msg, m.keys.Pick):
			org := m.orgs[m.cursor]
			m.Org = connect.OrgResult(org, len(m.orgs))
			m.Phase = verifyRunning
			return m, tea.Batch(m.spin.Tick, m.afterOrg(org))
		}
	case verifyStuck:
		if key.Matches(msg, m.keys.Retry) {
			return m.retry()
		}
	case verifyPrivilege:
		switch {
		case key.Matches(msg, m.keys.CreateRole):
			return m, func() tea.Msg { return VerifyBackMsg{CreateAdmin: true} }
		case key.Matches(msg, m.keys.Knowingly):
			m.result.AcceptedPrivileged = true
			v := m.result
			m.Phase = verifyDone
			return m, func() tea.Msg { return VerifiedMsg{Verified: v} }
		}
	case verifyDone:
		if key.Matches(msg, m.keys.Continue) {
			v := m.result
			return m, func() tea.Msg { return VerifiedMsg{Verified: v} }
		}
	}
	return m, nil
}

// retry runs again only what failed: the whole thing when the key check failed, else the owner
// and the sources that failed.
func (m VerifyModel) retry() (VerifyModel, tea.Cmd) {
	if !m.key.OK() {
		m.reset()
		return m, tea.Batch(m.spin.Tick, m.checkKey())
	}
	m.Gen++
	m.Phase = verifyRunning
	var cmds []tea.Cmd
	if !m.owner.OK() {
		m.owner.State, m.role.State, m.expiry.State = connect.CheckRunning, connect.CheckRunning, connect.CheckRunning
		cmds = append(cmds, m.checkOwner())
	}
	for i := range m.sources {
		if !m.sources[i].Result.OK() {
			m.sources[i].Result.State = connect.CheckRunning
			cmds = append(cmds, m.checkSource(i))
		}
	}
	// settle only stops here when nothing is running, so no answer of the old generation is lost.
	return m, tea.Batch(append(cmds, m.spin.Tick)...)
}
