package browser

import (
	"iter"

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

// userRows is the rows of size users, given in order by users (twice: once to measure their
// strings, then to make the rows; each report valid for its step only, its results' reasons and
// evidence unread).
func userRows(size int, users iter.Seq2[int, *evidence.UserReport]) ([]tableRow, *rowText) {
	ncols := userFirstCheck + len(evidence.UserChecks) + 1
	tb := newRowBuilder(size, ncols)
	text, search := 0, 0
	for _, u := range users {
		n := len(u.Username) + len(u.Email) + len(u.Name)
		text += 2*n + len(u.ID) // the names and their lower-cased keys, id
		search += n + len(u.ID) + 32
	}
	tb.reserve(text, search)
	for i, u := range users {
		name, email, full := connect.Clean(u.Username), connect.Clean(u.Email), connect.Clean(u.Name)
		nameAt, emailAt, fullAt, state := tb.str(name), tb.str(email), tb.str(full), tb.shared(u.State)
		tb.cell(nameAt)
		tb.cell(emailAt)
		tb.cell(fullAt)
		tb.cell(state)
		tb.key(tb.lower(name, nameAt))
		tb.key(tb.lower(email, emailAt))
		tb.key(tb.lower(full, fullAt))
		tb.key(state)
		for _, r := range u.Results {
			tb.cell(tb.shared(string(r.Status)))
			tb.key(tb.shared(statusKey(r.Status)))
		}
		tb.cell(tb.shared(statusWord(u.Overall)))
		tb.key(tb.shared(statusKey(u.Overall)))
		tb.endRow(tableRow{
			id: tb.str(u.ID), index: i, overall: tb.shared(string(u.Overall)), checkCol: userFirstCheck,
			failing: u.Overall == evidence.Fail,
			flag:    u.Result("mfa_enrolled").Status == evidence.Fail,
			group:   state,
		}, name, email, full, connect.Clean(u.ID), u.State, string(u.Overall)) // the filter text
	}
	return tb.done()
}

// userGroups are the state quick filter's steps.
var userGroups = []string{"", "active", "suspended", "locked", "staged"}
