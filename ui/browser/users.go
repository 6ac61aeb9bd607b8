package browser

import (
	"jcconnect/connect"
	"jcconnect/evidence"
)

// The users-and-MFA screen of the browser (shown when SSO is connected): the same table engine
// as the devices, with user columns. Its quick filter flag is "no MFA".

func userColumns() []column {
	cols := []column{
		{title: "User", min: 14, share: 3, max: 32, flex: true},
		{title: "Email", min: 18, share: 4, max: 40, priority: 4},
		{title: "Name", min: 12, share: 3, max: 30, priority: 5},
		{title: "State", min: 9, priority: 3},
	}
	for _, c := range evidence.UserChecks {
		cols = append(cols, column{title: c.Short, min: 2, check: true, priority: 2, help: c.Title})
	}
	return append(cols, column{title: "Status", min: statusWidth, priority: 1})
}

const userFirstCheck = 4

func userRows(rep *evidence.Report) []tableRow {
	rows := make([]tableRow, len(rep.Users))
	ncols := userFirstCheck + len(evidence.UserChecks) + 1
	store := newRowStore(len(rows), ncols)
	var hay []byte
	for i := range rep.Users {
		u := &rep.Users[i]
		name, email, full := connect.Clean(u.Username), connect.Clean(u.Email), connect.Clean(u.Name)
		cells, keys := store.row(ncols)
		cells = append(cells, name, email, full, u.State)
		keys = store.lower(keys, name)
		keys = store.lower(keys, email)
		keys = store.lower(keys, full)
		keys = append(keys, u.State)
		for _, r := range u.Results {
			cells = append(cells, string(r.Status))
			keys = append(keys, statusKey(r.Status))
		}
		cells = append(cells, statusWord(u.Overall))
		keys = append(keys, statusKey(u.Overall))
		hay = appendLowerWords(hay[:0], name, email, full, connect.Clean(u.ID), u.State, string(u.Overall))
		rows[i] = tableRow{
			id: u.ID, cells: cells, keys: keys, index: i, overall: u.Overall, checkCol: userFirstCheck,
			hay:     string(hay),
			failing: u.Overall == evidence.Fail,
			flag:    u.Result("mfa_enrolled").Status == evidence.Fail,
			group:   u.State,
		}
	}
	store.done()
	return rows
}

// userGroups are the state quick filter's steps.
var userGroups = []string{"", "active", "suspended", "locked", "staged"}
