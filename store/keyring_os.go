package store

import "github.com/zalando/go-keyring"

// OSKeyring returns the operating system's keyring through go-keyring: the Secret Service on
// Linux and BSD, the Keychain on macOS, the Credential Manager on Windows. Its calls have no
// deadline of their own; the store always wraps it with WithDeadlines.
func OSKeyring() Keyring { return osKeyring{} }

type osKeyring struct{}

func (osKeyring) Get(service, user string) (string, error) {
	secret, err := keyring.Get(service, user)
	return secret, classify("get", user, err)
}

func (osKeyring) Set(service, user, secret string) error {
	return classify("set", user, keyring.Set(service, user, secret))
}

func (osKeyring) Delete(service, user string) error {
	return classify("delete", user, keyring.Delete(service, user))
}
