package home

import (
	"fmt"
	"os"
	"path/filepath"
	"strings"
	"testing"

	"jcconnect/internal/uitest"
)

// Issue 11 item 10 in a real terminal: `jcconnect --demo` set up through the wizard, then e on
// the home screen. The export stays inside the TUI, offers the Documents folder (not the
// working folder), writes the bundle there, shows its absolute path and the verdict, and o
// runs the desktop's opener with that folder (a stand-in xdg-open on PATH records it).
func TestE2ETmuxExportInsideTheTUI(t *testing.T) {
	uitest.RequireTmux(t)
	bin := uitest.Binary(t)
	dir := t.TempDir()
	home := filepath.Join(dir, "home")
	docs := filepath.Join(home, "Documents")
	opener := filepath.Join(dir, "bin")
	opened := filepath.Join(dir, "opened")
	for _, d := range []string{docs, opener} {
		if err := os.MkdirAll(d, 0o700); err != nil {
			t.Fatal(err)
		}
	}
	for _, name := range []string{"xdg-open", "open"} {
		script := fmt.Sprintf("#!/bin/sh\nprintf '%%s' \"$1\" > %s\n", opened)
		if err := os.WriteFile(filepath.Join(opener, name), []byte(script), 0o700); err != nil {
			t.Fatal(err)
		}
	}
	work := filepath.Join(dir, "work") // the working folder: nothing may land here
	if err := os.Mkdir(work, 0o700); err != nil {
		t.Fatal(err)
	}

	tt := &uitest.Tmux{T: t, Socket: fmt.Sprintf("jcexport-%d", os.Getpid()), Session: "export"}
	t.Cleanup(func() { tt.Run("kill-server") })
	script := fmt.Sprintf("cd %s && HOME=%s XDG_DOCUMENTS_DIR= XDG_CONFIG_HOME=%s XDG_DATA_HOME=%s PATH=%s:$PATH JUMPCLOUD_API_KEY= %s --demo; echo \"EXIT=$?\"; sleep 600",
		work, home, filepath.Join(dir, "config"), filepath.Join(dir, "data"), opener, bin)
	if out, err := tt.Run("new-session", "-d", "-s", tt.Session, "-x", "200", "-y", "40", script); err != nil {
		t.Fatalf("tmux new-session: %v: %s", err, out)
	}

	// Through the wizard with the demo's Read Only key, copied off the paste screen, to home.
	wizardToPreview(t, tt, func(screen string) string {
		return uitest.KeyOnScreen(screen, "Read Only admin (the right key)")
	})
	tt.Send("Enter")
	tt.WaitFor("Actions")

	tt.Send("e")
	screen := tt.WaitFor("Folder: ")
	if !strings.Contains(screen, "Folder: "+docs) {
		t.Fatalf("the folder offered is not the Documents folder %s:\n%s", docs, screen)
	}
	tt.Send("Enter")
	screen = tt.WaitForAny("Complete: every source", "INCOMPLETE", "The export failed")
	t.Logf("the export's last screen:\n%s", strings.TrimRight(screen, "\n "))
	if !strings.Contains(screen, "Complete: every source was read in full.") {
		t.Fatalf("the demo export is not complete:\n%s", screen)
	}
	entries, err := os.ReadDir(docs)
	if err != nil || len(entries) != 2 {
		t.Fatalf("the Documents folder holds %v (%v), want the bundle folder and its zip", entries, err)
	}
	bundle := ""
	for _, e := range entries {
		if e.IsDir() {
			bundle = filepath.Join(docs, e.Name())
		}
	}
	if !strings.Contains(noSpace(screen), noSpace(bundle)) || !strings.Contains(noSpace(screen), noSpace(bundle+".zip")) {
		t.Errorf("the screen does not show the absolute path %s:\n%s", bundle, screen)
	}
	if strings.Contains(screen, "127.0.0.1") {
		t.Error("the screen shows the demo's internal address")
	}

	tt.Send("o")
	tt.WaitFor("Opened the folder")
	got, err := os.ReadFile(opened)
	if err != nil || string(got) != bundle {
		t.Errorf("the opener was given %q (%v), want %q", got, err, bundle)
	}

	tt.Send("Enter")
	tt.WaitFor("Actions")
	tt.Send("q")
	final := tt.WaitFor("EXIT=")
	if !strings.Contains(final, "EXIT=0") {
		t.Errorf("exit:\n%s", final)
	}
	if left, _ := os.ReadDir(work); len(left) != 0 {
		t.Errorf("the working folder got %d files", len(left))
	}
}

// wizardToPreview goes through the wizard's seven steps in tt with the key keyFrom picks from
// the paste screen, and returns once the preview shows its snapshot.
func wizardToPreview(t *testing.T, tt *uitest.Tmux, keyFrom func(screen string) string) {
	t.Helper()
	tt.WaitFor("Step 1 of 7")
	tt.Send("Enter")
	tt.WaitFor("Step 2 of 7")
	tt.Send("Enter")
	tt.WaitFor("Step 3 of 7")
	tt.Send("Enter")
	screen := tt.WaitFor("Step 4 of 7")
	key := keyFrom(screen)
	if key == "" {
		t.Fatalf("no key to paste:\n%s", screen)
	}
	tt.TypeText(key)
	tt.Send("Enter")
	tt.WaitFor("The key works")
	tt.Send("Enter")
	tt.WaitFor("Press enter to save")
	tt.Send("Enter")
	tt.WaitFor("Saved.")
	tt.Send("Enter")
	tt.WaitFor("Connected: ")
}
