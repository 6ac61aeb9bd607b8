package evidence

import (
	"encoding/json"
	"fmt"
	"io"
)

// The check files of a bundle (checks.json, checks.csv, devices.csv, users.csv,
// administrators.csv) are written together, in one pass over the devices and then the users:
// each is evaluated once (or taken from a report already made), written to every file it belongs
// in, counted for the summary, and dropped. An export of 50,000 devices so never holds their
// results and evidence (about 100 MB) at once.

// checkFiles says which per-subject CSVs a bundle has besides checks.json and checks.csv.
type checkFiles struct {
	devicesCSV, usersCSV, adminsCSV bool
}

// writeCheckFiles writes the check files of e into sink and returns them (in no particular
// order) with what summary.md says of them. The bytes are those of the whole report's encoding
// (jsonFile) and of its rows (CheckRows, DeviceRow, UserRow): the sandbox bundle's digests and
// TestEvaluatingBundleEqualsTheReportsBundle hold them to it.
func writeCheckFiles(sink bundleSink, e *evaluation, which checkFiles) (files []BundleFile, _ summaryFacts, err error) {
	var open []bundleFileWriter
	defer func() {
		// Every file is closed, whatever happened; a file that failed to close fails the bundle.
		for _, fw := range open {
			f, cerr := fw.close()
			if cerr != nil && err == nil {
				err = cerr
			}
			files = append(files, f)
		}
		if err != nil {
			files = nil
		}
	}()
	create := func(path string) (io.Writer, error) {
		fw, err := sink.create(path)
		if err != nil {
			return nil, fmt.Errorf("rendering %s: %w", path, err)
		}
		open = append(open, fw)
		return fw, nil
	}
	csvFile := func(on bool, path string, header []string) (*RowWriter, error) {
		if !on {
			return nil, nil
		}
		w, err := create(path)
		if err != nil {
			return nil, err
		}
		return NewRowWriter(w, header, false)
	}
	js, err := create("checks.json")
	if err != nil {
		return nil, summaryFacts{}, err
	}
	checks, err := csvFile(true, "checks.csv", CheckColumns)
	if err != nil {
		return nil, summaryFacts{}, err
	}
	devices, err := csvFile(which.devicesCSV, "devices.csv", DeviceColumns())
	if err != nil {
		return nil, summaryFacts{}, err
	}
	users, err := csvFile(which.usersCSV, "users.csv", UserColumns(UserChecks))
	if err != nil {
		return nil, summaryFacts{}, err
	}
	admins, err := csvFile(which.adminsCSV, "administrators.csv", UserColumns(AdminChecks))
	if err != nil {
		return nil, summaryFacts{}, err
	}
	facts, err := writeChecks(js, checks, devices, users, admins, e)
	if err != nil {
		return nil, summaryFacts{}, err
	}
	for _, rw := range []*RowWriter{checks, devices, users, admins} {
		if rw == nil {
			continue
		}
		if err := rw.Flush(); err != nil {
			return nil, summaryFacts{}, err
		}
	}
	return nil, facts, nil // the deferred close fills files
}

// writeChecks writes checks.json to js (as jsonFile of the report would) and the rows of
// checks.csv to checks and of the subjects' CSVs to devices, users and admins (each may be nil:
// not written), in one pass over e's devices and users.
func writeChecks(js io.Writer, checks, devices, users, admins *RowWriter, e *evaluation) (summaryFacts, error) {
	f := summaryFacts{thresholds: e.thresholds, org: e.org,
		devices: newCheckTally("device", DeviceChecks), users: newCheckTally("user", UserChecks)}
	emit := func(rw *RowWriter, row []string) error {
		if rw == nil {
			return nil
		}
		return rw.Write(row)
	}
	checkRow := func(row []string) error { return emit(checks, row) }
	th, err := json.MarshalIndent(e.thresholds, "  ", "  ")
	if err != nil {
		return f, err
	}
	if _, err := io.WriteString(js, "{\n  \"thresholds\": "+string(EscapeJSON(th))+",\n  \"devices\": "); err != nil {
		return f, err
	}
	// checks.csv starts with the organisation (CheckRows' order), checks.json ends with it.
	if err := checkRowsOf("organisation", "", "", e.org, checkRow); err != nil {
		return f, err
	}

	if !e.hasDevices {
		if _, err := io.WriteString(js, "null"); err != nil {
			return f, err
		}
	} else {
		arr := jsonArrayStream{w: js, prefix: "  "}
		for i := 0; i < e.devices; i++ {
			d := e.device(i)
			if err := arr.add(&d); err != nil {
				return f, err
			}
			if err := checkRowsOf("device", d.ID, d.Name, d.Results, checkRow); err != nil {
				return f, err
			}
			if err := emit(devices, DeviceRow(d)); err != nil {
				return f, err
			}
			f.devices.add(d.Results, d.Overall)
		}
		if err := arr.end(); err != nil {
			return f, err
		}
	}

	if _, err := io.WriteString(js, ",\n  \"users\": "); err != nil {
		return f, err
	}
	if !e.hasUsers {
		if _, err := io.WriteString(js, "null"); err != nil {
			return f, err
		}
	} else {
		arr := jsonArrayStream{w: js, prefix: "  "}
		for i := 0; i < e.users; i++ {
			u := e.user(i)
			if err := arr.add(&u); err != nil {
				return f, err
			}
			if err := checkRowsOf("user", u.ID, u.Username, u.Results, checkRow); err != nil {
				return f, err
			}
			if err := emit(users, UserRow(u)); err != nil {
				return f, err
			}
			f.users.add(u.Results, u.Overall)
		}
		if err := arr.end(); err != nil {
			return f, err
		}
	}

	if _, err := io.WriteString(js, ",\n  \"administrators\": "); err != nil {
		return f, err
	}
	if err := writeJSONArray(js, e.admins, "  "); err != nil {
		return f, err
	}
	adminTally := newCheckTally("administrator", AdminChecks)
	for _, a := range e.admins {
		if err := checkRowsOf("administrator", a.ID, a.Email, a.Results, checkRow); err != nil {
			return f, err
		}
		if err := emit(admins, UserRow(a)); err != nil {
			return f, err
		}
		adminTally.add(a.Results, a.Overall)
	}

	if _, err := io.WriteString(js, ",\n  \"organization\": "); err != nil {
		return f, err
	}
	if err := writeJSONArray(js, e.org, "  "); err != nil {
		return f, err
	}

	f.summary = e.summary
	if !e.reported {
		// summarize's order: devices, users, administrators (when read), the organisation.
		if e.hasDevices {
			f.summary = append(f.summary, f.devices.counts...)
		}
		if e.hasUsers {
			f.summary = append(f.summary, f.users.counts...)
		}
		if e.adminsRead {
			f.summary = append(f.summary, adminTally.counts...)
		}
		org := newCheckTally("organisation", OrgChecks)
		org.add(e.org, "")
		f.summary = append(f.summary, org.counts...)
	}
	if _, err := io.WriteString(js, ",\n  \"summary\": "); err != nil {
		return f, err
	}
	if err := writeJSONArray(js, f.summary, "  "); err != nil {
		return f, err
	}
	_, err = io.WriteString(js, "\n}\n")
	return f, err
}

// jsonArrayStream writes a JSON array one element at a time, laid out as json.MarshalIndent of
// the whole slice at prefix followed by EscapeJSON would lay it out: "[", each element on its own
// line one level deeper than prefix, "]" at prefix; [] when empty.
type jsonArrayStream struct {
	w      io.Writer
	prefix string
	n      int
}

// add writes v, a pointer to the element (as encoding/json would see it inside a slice).
func (a *jsonArrayStream) add(v any) error {
	inner := a.prefix + "  "
	b, err := json.MarshalIndent(v, inner, "  ")
	if err != nil {
		return err
	}
	lead := ",\n" + inner
	if a.n == 0 {
		lead = "[\n" + inner
	}
	a.n++
	if _, err := io.WriteString(a.w, lead); err != nil {
		return err
	}
	_, err = a.w.Write(EscapeJSON(b))
	return err
}

func (a *jsonArrayStream) end() error {
	if a.n == 0 {
		_, err := io.WriteString(a.w, "[]")
		return err
	}
	_, err := io.WriteString(a.w, "\n"+a.prefix+"]")
	return err
}
