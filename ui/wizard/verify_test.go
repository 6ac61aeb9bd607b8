package wizard

import (
	"strings"
	"testing"

	tea "github.com/charmbracelet/bubbletea"

	"jcconnect/connect"
	"jcconnect/jumpcloud/jctest"
	"jcconnect/ui/common"
)

// The VerifyModel driven through its commands against jctest: what it draws and what it emits.

func verifyOut(msg tea.Msg) bool {
	switch msg.(type) {
	case common.VerifiedMsg, common.VerifyBackMsg:
		return true
	}
	return false
}

func startVerify(t *testing.T, srv *jctest.Server, k string) common.VerifyModel {
	t.Helper()
	env := wizEnv(t, srv, nil)
	m := common.NewVerifyModel(wizCtx, wizCommon(env), wizRequest(srv, k))
	m, out := wizDrain(t, m, m.Init(), common.VerifyModel.Update, verifyOut)
	if len(out) != 0 {
		t.Fatalf("emitted %v before any key", out)
	}
	return m
}

func sendVerify(t *testing.T, m common.VerifyModel, msg tea.Msg) (common.VerifyModel, []tea.Msg) {
	t.Helper()
	m, cmd := m.Update(msg)
	return wizDrain(t, m, cmd, common.VerifyModel.Update, verifyOut)
}

func TestVerifyModelReadOnlyKeyShowsEachCheckThenContinues(t *testing.T) {
	srv := wizSandbox(t)
	m := startVerify(t, srv, srv.Keys.ReadOnly)
	v := wizPlain(m.View())
	wizHas(t, v, "Key accepted", "JumpCloud accepted the key", srv.Org().Name, "role Read Only",
		"yes: the key can read", "Can read devices", "readable", "Key expiry", "Press enter to continue")
	wizLacks(t, v, srv.Keys.ReadOnly, "checking…")
	if !m.Done() {
		t.Fatal("not done")
	}
	_, out := sendVerify(t, m, wizKey("enter"))
	if len(out) != 1 {
		t.Fatalf("enter emitted %v", out)
	}
	ver := out[0].(common.VerifiedMsg).Verified
	if ver.Key.Reveal() != srv.Keys.ReadOnly || ver.Org.ID != srv.Org().ID || ver.AcceptedPrivileged {
		t.Fatalf("verified %+v", ver.Org)
	}
}

func TestVerifyModelAdminKeyOffersBackOrContinueKnowingly(t *testing.T) {
	srv := wizSandbox(t)
	m := startVerify(t, srv, srv.Keys.Admin)
	v := wizPlain(m.View())
	wizHas(t, v, "This key is not Read Only", "Least privilege", "b  go back and create a Read Only admin",
		"c  continue knowingly")
	// enter alone must not slip a privileged key through.
	if _, out := sendVerify(t, m, wizKey("enter")); len(out) != 0 {
		t.Fatalf("enter accepted a privileged key: %v", out)
	}
	_, out := sendVerify(t, m, wizKey("b"))
	if len(out) != 1 || !out[0].(common.VerifyBackMsg).CreateAdmin {
		t.Fatalf("b emitted %v", out)
	}
	_, out = sendVerify(t, m, wizKey("c"))
	if len(out) != 1 || !out[0].(common.VerifiedMsg).Verified.AcceptedPrivileged {
		t.Fatalf("c emitted %v", out)
	}
}

func TestVerifyModelRevokedKeyIsRefusedWithWhatToDo(t *testing.T) {
	srv := wizSandbox(t)
	m := startVerify(t, srv, srv.Keys.Revoked)
	v := wizPlain(m.View())
	wizHas(t, v, "refused: JumpCloud does not know this key", "generate a new key", "esc goes back")
	if m.Done() {
		t.Fatal("a revoked key is not done")
	}
	if _, out := sendVerify(t, m, wizKey("enter")); len(out) != 0 {
		t.Fatal("enter must not continue with a refused key")
	}
	if _, out := sendVerify(t, m, wizKey("r")); len(out) != 0 {
		t.Fatal("r is not offered for a refused key")
	}
}

func TestVerifyModelMultiTenantPick(t *testing.T) {
	srv := wizSandbox(t)
	m := startVerify(t, srv, srv.Keys.MultiTenant)
	v := wizPlain(m.View())
	wizHas(t, v, "multi-tenant", "Which organisation", "> ")
	if m.Done() {
		t.Fatal("must wait for the pick")
	}
	m, _ = sendVerify(t, m, wizKey("down"))
	m, _ = sendVerify(t, m, wizKey("down"))
	m, _ = sendVerify(t, m, wizKey("down")) // clamps at the last
	m, out := sendVerify(t, m, wizKey("enter"))
	if len(out) != 0 {
		t.Fatalf("picking emitted %v", out)
	}
	wizHas(t, wizPlain(m.View()), "chosen from 3", "Can read devices")
	_, out = sendVerify(t, m, wizKey("enter"))
	ver := out[0].(common.VerifiedMsg).Verified
	if ver.OrgCount != 3 || ver.Org.ID == "" {
		t.Fatalf("org %+v", ver.Org)
	}
	// Every later call carried the chosen organisation.
	for _, r := range srv.Seen() {
		if r.Path == "/api/systems" && r.OrgID != ver.Org.ID {
			t.Fatalf("devices check sent x-org-id %q, want %q", r.OrgID, ver.Org.ID)
		}
	}
}

func TestVerifyModelNetworkTroubleRetriesOnlyWhatFailed(t *testing.T) {
	srv := wizSandbox(t)
	remove := srv.Inject(jctest.Fault{PathPrefix: "/api/systems", Kind: jctest.FaultStatus, Status: 502})
	m := startVerify(t, srv, srv.Keys.ReadOnly)
	wizHas(t, wizPlain(m.View()), "Nothing is lost: press r to try again")
	if m.Done() {
		t.Fatal("done despite a failed check")
	}
	remove()
	srv.ResetCounts()
	m, _ = sendVerify(t, m, wizKey("r"))
	if !m.Done() {
		t.Fatalf("retry did not finish:\n%s", wizPlain(m.View()))
	}
	if n := srv.Requests("/api/organizations"); n != 0 {
		t.Fatalf("retry re-checked the key (%d calls): it should re-run only the failed check", n)
	}
	if n := srv.Requests("/api/systems"); n == 0 {
		t.Fatal("retry did not re-check devices")
	}
}

func TestVerifyModelKeyCheckTimeoutRetriesFromTheStart(t *testing.T) {
	srv := wizSandbox(t)
	srv.Inject(jctest.Fault{PathPrefix: "/api/organizations", Kind: jctest.FaultStatus, Status: 503, Times: 1})
	m := startVerify(t, srv, srv.Keys.ReadOnly)
	wizHas(t, wizPlain(m.View()), "press r to try again")
	m, _ = sendVerify(t, m, wizKey("r"))
	if !m.Done() {
		t.Fatalf("retry did not finish:\n%s", wizPlain(m.View()))
	}
}

func TestVerifyModelDropsStaleResults(t *testing.T) {
	srv := wizSandbox(t)
	m := startVerify(t, srv, srv.Keys.ReadOnly)
	before := wizPlain(m.View())
	// An answer from an earlier generation (a previous key) must not change anything.
	m, _ = m.Update(common.VerifyOwnerMsg{Gen: m.Gen - 1, Oc: connect.OwnerCheck{Result: connect.CheckResult{Name: connect.CheckNameOwner, State: connect.CheckFailed, Detail: "stale"}}})
	if after := wizPlain(m.View()); after != before {
		t.Fatalf("a stale result changed the view:\n%s", after)
	}
}

func TestVerifyModelOrgIDTheKeyCannotSeeIsRefused(t *testing.T) {
	srv := wizSandbox(t)
	env := wizEnv(t, srv, nil)
	req := wizRequest(srv, srv.Keys.ReadOnly)
	req.OrgID = "0123456789abcdef01234567"
	m := common.NewVerifyModel(wizCtx, wizCommon(env), req)
	m, _ = wizDrain(t, m, m.Init(), common.VerifyModel.Update, verifyOut)
	wizHas(t, wizPlain(m.View()), "the key cannot see organisation 0123456789abcdef01234567", "--org-id", "esc goes back")
	if m.Done() {
		t.Fatal("done with an organisation the key cannot see")
	}
}

func TestVerifyModelUnknownRoleWarnsAndContinues(t *testing.T) {
	srv := wizSandbox(t)
	srv.Inject(jctest.Fault{PathPrefix: "/api/users/getSelf", Kind: jctest.FaultStatus, Status: 404})
	srv.Inject(jctest.Fault{PathPrefix: "/api/settings", Kind: jctest.FaultStatus, Status: 404})
	m := startVerify(t, srv, srv.Keys.ReadOnly)
	wizHas(t, wizPlain(m.View()), "the role could not be determined", "unknown: the role could not be determined",
		"Press enter to continue")
	wizLacks(t, wizPlain(m.View()), "This key is not Read Only")
	_, out := sendVerify(t, m, wizKey("enter"))
	if len(out) != 1 {
		t.Fatalf("an unknown role must not block: %v", out)
	}
	if role := out[0].(common.VerifiedMsg).Verified.Owner.Role; role != "" {
		t.Fatalf("role %q", role)
	}
}

func TestVerifyModelFoldsReadableSourcesInAShortWindow(t *testing.T) {
	srv := wizSandbox(t)
	m := startVerify(t, srv, srv.Keys.Admin)
	m.SetSize(80, 20)
	v := wizPlain(m.View())
	if n := len(strings.Split(v, "\n")); n > 20 {
		t.Fatalf("%d lines in 20:\n%s", n, v)
	}
	wizHas(t, v, "Can read 8 sources", "devices, users", "c continue knowingly")
	wizLacks(t, v, "Can read policy results readable")
	m.SetSize(100, 60)
	wizHas(t, wizPlain(m.View()), "Can read policy results readable")
}
