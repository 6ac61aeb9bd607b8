package common

import tea "github.com/charmbracelet/bubbletea"

// KeyName is a key's name ("down", "pgup", "j") as key.Matches compares it: key.Matches(name,
// binding) without naming the key again. tea.Key.String builds the name anew on every call, and
// key.Matches calls it once per binding tried, a small allocation each.
type KeyName string

func (k KeyName) String() string { return string(k) }

// KeyNames names keys and keeps the special keys' names (no runes, no alt), so that naming a
// move or a page key allocates nothing after its first time. Its zero value is ready to use;
// it belongs to one screen (not safe for concurrent use).
type KeyNames struct{ special map[tea.KeyType]KeyName }

// Of is msg's name.
func (n *KeyNames) Of(msg tea.KeyMsg) KeyName {
	if msg.Type == tea.KeyRunes || msg.Alt || msg.Paste {
		return KeyName(msg.String())
	}
	if name, ok := n.special[msg.Type]; ok {
		return name
	}
	if n.special == nil {
		n.special = map[tea.KeyType]KeyName{}
	}
	name := KeyName(msg.String())
	n.special[msg.Type] = name
	return name
}
