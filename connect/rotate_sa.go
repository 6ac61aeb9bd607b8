package connect

import "fmt"

// A service account's rotation uses its two client-secret slots, so there is no gap: generate the
// second secret in the console, paste it, verify it, swap it in, then delete the old one in the
// console and check (best effort) that JumpCloud now refuses it.

// SecretRotationOrder is the explanation shown before the new client secret is pasted.
const SecretRotationOrder = "A service account holds two client secrets, so this rotation has no gap: in the " +
	"console, Settings ▸ Service Accounts ▸ the service account ▸ generate a second Client Secret " +
	"(shown once: copy it). The stored secret keeps working meanwhile; the new one is verified here " +
	"before it replaces it."

// credentialWord is what the rotation replaces: "key" or "client secret".
func (t RotationTarget) credentialWord() string {
	if t.Profile.IsServiceAccount() {
		return "client secret"
	}
	return "key"
}

// DeleteOldSecretAdvice tells the admin to delete the old client secret in the console.
func (t RotationTarget) DeleteOldSecretAdvice() string {
	return fmt.Sprintf("Now delete the old client secret (%s) in the console: Settings ▸ Service Accounts ▸ "+
		"the service account (client id %s) ▸ its client secrets. Until then it keeps working for anyone with a copy.",
		t.Masked, Clean(t.Profile.ClientID))
}

// describeSecret is Describe for a service account's old client secret.
func (o OldKeyVerdict) describeSecret(t RotationTarget) string {
	switch o.State {
	case OldKeyRevoked:
		return "Old client secret refused: confirmed. JumpCloud no longer accepts it."
	case OldKeyAlreadyRevoked:
		return "Old client secret refused: confirmed. JumpCloud already refused it before the swap: this rotation restored a working secret."
	case OldKeyStillWorks:
		return "The old client secret (" + t.Masked + ") still works, as expected until it is deleted. " + t.DeleteOldSecretAdvice() +
			" Then `jcconnect status` uses the new one only."
	}
	msg := "The old client secret could not be checked"
	if o.Err != nil {
		msg += ": " + o.Err.Error()
	}
	return msg + ". " + t.DeleteOldSecretAdvice()
}
