package main

import (
	"github.com/spf13/cobra"

	"jcconnect/ui/rotate"
	"jcconnect/ui/wizard"
)

// addServiceAccountSetupFlags adds setup's service-account flags. The client secret has no flag
// on purpose: it is read from stdin (--with-secret), never from argv or shell history.
func addServiceAccountSetupFlags(cmd *cobra.Command, setup *wizard.SetupFlags) {
	f := cmd.Flags()
	f.BoolVar(&setup.ServiceAccount, "service-account", false, "connect with a service account (OAuth client credentials) instead of an API key")
	f.StringVar(&setup.ClientID, "client-id", "", "with --service-account: the service account's Client ID (not secret)")
	f.BoolVar(&setup.WithSecret, "with-secret", false, "with --service-account: read the client secret from stdin and run without the TUI")
	f.BoolVar(&setup.AllowPrivileged, "allow-privileged", false, "with --with-key or --service-account: store a credential whose role is not Read Only (refused otherwise)")
	cmd.Long += `

A service account (Settings ▸ Service Accounts; JumpCloud's recommended identity for integrations,
not tied to a person) instead of an administrator's key: its Client ID as a flag, its client secret
on stdin. One whose role is not Read Only is refused (exit 3) unless --allow-privileged:

  jcconnect setup --service-account --client-id ID --with-secret < secret.txt
  jcconnect setup --service-account --client-id ID --with-secret --base-url URL --token-url URL/oauth2/token`
}

// addServiceAccountRotateFlags adds rotate --with-secret: a service account's second client
// secret from stdin (never a flag value).
func addServiceAccountRotateFlags(cmd *cobra.Command, flags *rotate.RotateFlags) {
	cmd.Flags().BoolVar(&flags.WithSecret, "with-secret", false, "a service account's profile: read the new client secret from stdin and run without the TUI")
	cmd.Long = `Replaces the stored credential with a new one, verified live before the swap.

A service account's client secret is rotated without a gap, using its two secret slots: generate
the second Client Secret in Settings ▸ Service Accounts, then

  jcconnect rotate --with-secret < new-secret.txt

then delete the old secret in the console (jcconnect checks, best effort, that it is refused).
--accept-changes is needed for a secret whose role is not Read Only.`
}
