package wizard

import (
	"errors"
	"testing"
)

func TestAdminChecklistTicksAndMovesOn(t *testing.T) {
	env := wizEnv(t, nil, nil)
	h := newWizHarness(t, env)
	h.keys("enter")
	h.at(StepAdmin)
	v := h.view()
	wizHas(t, v, "Step 2 of 7: Create a Read Only administrator", "exactly the permissions",
		"Role: choose Read Only", "Enable API access", "0 of 6 ticked", "Console: https://console.jumpcloud.com")
	h.keys("space", "space")
	wizHas(t, h.view(), "2 of 6 ticked", "> [ ] 3. Role")
	h.keys("up", "space") // untick item 2
	wizHas(t, h.view(), "1 of 6 ticked")
	h.keys("enter")
	h.at(StepKeygen)
	h.keys("esc")
	h.at(StepAdmin)
	wizHas(t, h.view(), "1 of 6 ticked") // nothing lost going back
}

func TestAdminBrowserOfferedOnlyWhereOneExists(t *testing.T) {
	found := func(string) (string, error) { return "/usr/bin/xdg-open", nil }
	missing := func(string) (string, error) { return "", errors.New("not found") }
	env := func(vars map[string]string) func(string) string { return func(k string) string { return vars[k] } }
	cases := []struct {
		goos string
		vars map[string]string
		look func(string) (string, error)
		want bool
	}{
		{"linux", map[string]string{"DISPLAY": ":0"}, found, true},
		{"linux", map[string]string{"WAYLAND_DISPLAY": "wayland-0"}, found, true},
		{"linux", map[string]string{}, found, false}, // over SSH: no display
		{"linux", map[string]string{"DISPLAY": ":0"}, missing, false},
		{"darwin", map[string]string{}, found, true},
		{"darwin", map[string]string{}, missing, false},
	}
	for _, c := range cases {
		if got := browserOpener(c.goos, env(c.vars), c.look) != ""; got != c.want {
			t.Errorf("%s %v: offered=%v want %v", c.goos, c.vars, got, c.want)
		}
	}
	// Here (tests run without DISPLAY in Getenv) the key is neither offered nor acted on.
	h := newWizHarness(t, wizEnv(t, nil, nil))
	h.keys("enter", "o")
	h.at(StepAdmin)
	wizLacks(t, h.view(), "o opens it", "Opened")
}

func TestConsoleURLPerRegion(t *testing.T) {
	for region, want := range map[string]string{"us": "https://console.jumpcloud.com",
		"eu": "https://console.eu.jumpcloud.com", "in": "https://console.in.jumpcloud.com"} {
		if got := ConsoleURL(region); got != want {
			t.Errorf("%s: %s", region, got)
		}
	}
}

func TestAdminShowsWhenTheBrowserCouldNotOpen(t *testing.T) {
	h := newWizHarness(t, wizEnv(t, nil, nil))
	h.keys("enter")
	h.send(browserOpenedMsg{url: ConsoleURL("us"), err: errNoBrowser})
	wizHas(t, h.view(), "Could not open a browser", "open https://console.jumpcloud.com yourself")
}
