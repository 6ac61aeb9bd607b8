package wizard

import (
	"os"
	"os/exec"
	"runtime"
	"strings"

	tea "github.com/charmbracelet/bubbletea"

	"jcconnect/connect"
)

// ConsoleURL is the JumpCloud admin console of a region.
func ConsoleURL(region string) string {
	switch strings.ToLower(region) {
	case "eu":
		return "https://console.eu.jumpcloud.com"
	case "in":
		return "https://console.in.jumpcloud.com"
	}
	return "https://console.jumpcloud.com"
}

// browserOpener returns the command that opens a URL in a browser, or "" when there is no
// browser to open: no opener program, or (on Linux and BSD) no graphical session, as over SSH.
// getenv and lookPath are parameters so tests can describe any machine.
func browserOpener(goos string, getenv func(string) string, lookPath func(string) (string, error)) string {
	switch goos {
	case "darwin":
		if p, err := lookPath("open"); err == nil {
			return p
		}
	case "windows":
		return "" // rundll32 works, but keep to platforms this is tested on
	default:
		if getenv("DISPLAY") == "" && getenv("WAYLAND_DISPLAY") == "" {
			return ""
		}
		if p, err := lookPath("xdg-open"); err == nil {
			return p
		}
	}
	return ""
}

// canOpenBrowser reports whether "open in a browser" is offered on this machine.
func canOpenBrowser(env *connect.Env) bool {
	getenv := os.Getenv
	if env != nil && env.Getenv != nil {
		getenv = env.Getenv
	}
	return browserOpener(runtime.GOOS, getenv, exec.LookPath) != ""
}

// browserOpenedMsg reports the outcome of opening a URL; failure is shown, never fatal.
type browserOpenedMsg struct {
	url string
	err error
}

// openBrowser opens url with the platform's opener without waiting for the browser.
func openBrowser(env *connect.Env, url string) tea.Cmd {
	return func() tea.Msg {
		getenv := os.Getenv
		if env != nil && env.Getenv != nil {
			getenv = env.Getenv
		}
		opener := browserOpener(runtime.GOOS, getenv, exec.LookPath)
		if opener == "" {
			return browserOpenedMsg{url: url, err: errNoBrowser}
		}
		cmd := exec.Command(opener, url)
		cmd.Stdout, cmd.Stderr = nil, nil
		if err := cmd.Start(); err != nil {
			return browserOpenedMsg{url: url, err: err}
		}
		go cmd.Wait() // reap it; the browser outlives us
		return browserOpenedMsg{url: url}
	}
}

type noBrowserError struct{}

func (noBrowserError) Error() string { return "no browser available here: open the address yourself" }

var errNoBrowser error = noBrowserError{}
