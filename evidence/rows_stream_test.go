package evidence

import (
	"bytes"
	"strings"
	"testing"

	"jcconnect/jumpcloud/jctest"
)

// WriteRows streams the rows Evaluate's report gives, byte for byte, for devices and users, in
// CSV and JSON Lines.
func TestWriteRowsEqualsTheReportsRows(t *testing.T) {
	snap, rep := collectSandbox(t, jctest.Options{Devices: 150, Users: 40, Seed: 4})
	for _, users := range []bool{false, true} {
		for _, jsonLines := range []bool{false, true} {
			header := DeviceColumns()
			var rows [][]string
			for _, d := range rep.Devices {
				rows = append(rows, DeviceRow(d))
			}
			if users {
				header, rows = UserColumns(UserChecks), nil
				for _, u := range rep.Users {
					rows = append(rows, UserRow(u))
				}
			}
			var want, got bytes.Buffer
			if err := WriteCSVOrJSON(&want, header, rows, jsonLines); err != nil {
				t.Fatal(err)
			}
			if err := WriteRows(&got, snap, DefaultThresholds(), users, jsonLines); err != nil {
				t.Fatal(err)
			}
			if lines := strings.Count(got.String(), "\n"); lines < len(rows) || len(rows) < 40 {
				t.Fatalf("users=%v json=%v: %d lines for %d rows", users, jsonLines, lines, len(rows))
			}
			if got.String() != want.String() {
				t.Errorf("users=%v json=%v: streamed rows differ from the report's", users, jsonLines)
			}
		}
	}
}
