package evidence

import (
	"bufio"
	"io"
)

// WriteRows is `jcconnect devices --csv/--json`: one row per device (or per user, with users)
// in DeviceColumns (UserColumns) order, each written as soon as it is evaluated. It gives the
// rows of Evaluate's report without holding the report: at 50,000 devices the results and their
// evidence are about as large as the snapshot itself.
func WriteRows(w io.Writer, s *Snapshot, t Thresholds, users, jsonLines bool) error {
	bw := bufio.NewWriterSize(w, 64<<10)
	header := DeviceColumns()
	if users {
		header = UserColumns(UserChecks)
	}
	out, err := NewRowWriter(bw, header, jsonLines)
	if err != nil {
		return err
	}
	switch {
	case users && s.Integrations.SSO:
		for i := range s.Users {
			if err := out.Write(UserRow(userReport(s, i))); err != nil {
				return err
			}
		}
	case !users && s.Integrations.Endpoint:
		t = t.withDefaults()
		ix := newIndex(s, t)
		for i := range s.Devices {
			if err := out.Write(DeviceRow(deviceReport(s, ix, t, i))); err != nil {
				return err
			}
		}
	}
	if err := out.Flush(); err != nil {
		return err
	}
	return bw.Flush()
}
