package wizard

import (
	"errors"
)

// `setup --service-account --client-id ID --with-secret`: a service account's client secret
// from stdin (never a flag value), verified live with the same steps as a key (a token first,
// then the organisations, the role and the per-source permission matrix), stored in the keyring
// with kind service_account.

// checkServiceAccountFlags refuses flag combinations that cannot be meant, before anything is
// read: the secret only ever comes from stdin, and the client id names the account.
func checkServiceAccountFlags(flags SetupFlags) error {
	switch {
	case flags.WithKey && (flags.WithSecret || flags.ServiceAccount):
		return errors.New("--with-key reads an administrator's API key; --service-account --with-secret reads a service account's client secret: use one of them")
	case !flags.ServiceAccount && (flags.WithSecret || flags.ClientID != ""):
		return errors.New("--with-secret and --client-id are for a service account: add --service-account")
	case flags.ServiceAccount && !flags.WithSecret:
		return errors.New("--service-account runs without the wizard: add --client-id ID --with-secret and give the client secret on stdin")
	case flags.ClientID == "":
		return errors.New("--service-account needs --client-id: the service account's Client ID (Settings ▸ Service Accounts)")
	}
	return nil
}
