package connect

// The demo's rotation. The demo admin cannot paste a real key, so the rotation lists keys to
// pick; the first is a fresh key for the same admin (or the service account's second secret),
// made the way the console makes it, so the happy path ("old key revoked: confirmed") can be
// seen. The rest show the refusals (another admin, a revoked key, several organisations).

// DemoNewKey does in the demo what the console does when the admin generates the new key:
// Demo.NewKey (jctest.RotateKey) issues a key for the stored key's admin and revokes the stored
// one at once, as JumpCloud does; Demo.NewSecret (jctest.AddClientSecret) fills the service
// account's second secret slot, the stored secret still working. "" outside the demo.
func (t RotationTarget) DemoNewKey(d *Demo) string {
	switch {
	case d == nil:
		return ""
	case t.Profile.IsServiceAccount() && d.NewSecret != nil:
		return d.NewSecret(t.Profile.ClientID)
	case !t.Profile.IsServiceAccount() && d.NewKey != nil && !t.oldKey.IsZero():
		return d.NewKey(t.oldKey.Reveal()) // the sandbox revokes it, as JumpCloud would
	}
	return ""
}

// DemoNote explains the demo's list of keys above it.
func (t RotationTarget) DemoNote(fresh bool) string {
	note := "Demo: there is no console; paste one of these fake keys, or press tab to insert them in turn."
	switch {
	case fresh && t.Profile.IsServiceAccount():
		note += " The first was just made in the service account's second slot; the stored secret still works until deleted."
	case fresh:
		note += " The first was just generated for the same admin, which revoked the stored key at once, as the console does."
	}
	return note
}

// DemoChoices are the keys the demo rotation offers: fresh (DemoNewKey's) first, then the demo's
// other keys (for an API key; a service account's rotation takes only its own second secret).
// The stored key is never offered.
func (t RotationTarget) DemoChoices(d *Demo, fresh string) []DemoKey {
	if d == nil {
		return nil
	}
	var out []DemoKey
	if fresh != "" {
		label := "New key of the same admin (the right one)"
		if t.Profile.IsServiceAccount() {
			label = "Second client secret of this service account (the right one)"
		}
		out = append(out, DemoKey{Label: label, Key: fresh})
	}
	if t.Profile.IsServiceAccount() {
		return out
	}
	for _, dk := range d.Keys {
		if dk.Key != t.oldKey.Reveal() && dk.Key != fresh { // the demo's keys are fake and shown
			out = append(out, dk)
		}
	}
	return out
}
