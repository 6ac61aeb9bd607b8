package connect

import (
	"fmt"

	"jcconnect/store"
)

// A service account's rotation uses its two client-secret slots, so there is no gap: generate the
// second secret in the console, paste it, verify it, swap it in, then delete the old one in the
// console and check (best effort) that JumpCloud now refuses it. Unlike an API key, generating a
// new client secret does not revoke the old one: it works until it is deleted (jc-cli's
// serviceaccount docs and the console's two secret slots; jctest.AddClientSecret plays it).

// SecretRotationOrder is the explanation shown before the new client secret is pasted.
const SecretRotationOrder = "A service account holds two client secrets, so the new one can be created " +
	"before the old one is deleted and this rotation has no gap: in the console, Settings ▸ Service " +
	"Accounts ▸ the service account ▸ generate a second Client Secret (shown once: copy it). Unlike an " +
	"API key, generating it does not revoke the stored secret, which keeps working meanwhile; the new " +
	"one is verified here before it replaces it, and then you delete the old one."

// RotationWords are the words a rotation's faces use for the credential being rotated, so the
// screens and prompts of a service account say "client secret" where a key's say "API key".
type RotationWords struct {
	Credential string // "key" or "client secret"
	Title      string // the screen's title
	Order      string // how the rotation goes, shown before the new one is pasted
	// Paste asks for the new credential (where to find it in the console).
	Paste string
	// Prompt is the hidden prompt of the plain faces.
	Prompt string
	// GenerateNew says how to get a new one, after the stored one was given again.
	GenerateNew string
	// PasteRight says what to paste instead, after a change was declined.
	PasteRight string
	// Ready is the intro's "enter" line.
	Ready string
}

// Words are the rotation's words for this target's kind of credential.
func (t RotationTarget) Words() RotationWords {
	if t.Profile.IsServiceAccount() {
		return RotationWords{Credential: "client secret", Title: "Rotate the service account's client secret",
			Order: SecretRotationOrder,
			Paste: "Paste the new client secret (the service account's second secret: Settings ▸ Service Accounts ▸ " +
				"client id " + Clean(t.Profile.ClientID) + ").",
			Prompt: "Paste the new client secret and press enter (it is not shown):",
			GenerateNew: "Generate the second client secret in Settings ▸ Service Accounts and use that one " +
				"(the stored one keeps working meanwhile).",
			PasteRight: "Paste the second client secret of the same service account.",
			Ready:      "I have the second client secret (or am about to generate it)"}
	}
	return RotationWords{Credential: "key", Title: "Rotate the API key", Order: RotationOrder,
		Paste:       "Paste the new key (generated as the Read Only admin: My API Key ▸ Generate New API Key).",
		Prompt:      "Paste the new API key and press enter (it is not shown):",
		GenerateNew: "Generate a new key in the console (My API Key ▸ Generate New API Key) and use that one.",
		PasteRight:  "Paste the key of the admin that should own this integration.",
		Ready:       "I have the new key (or am about to generate it)"}
}

// Shape is the input check of the credential being rotated (CheckKeyShape or CheckSecretShape).
func (t RotationTarget) Shape() func(string) (store.Secret, error) {
	if t.Profile.IsServiceAccount() {
		return CheckSecretShape
	}
	return CheckKeyShape
}

// credentialWord is what the rotation replaces: "key" or "client secret".
func (t RotationTarget) credentialWord() string { return t.Words().Credential }

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
		return "The old client secret (" + t.Masked + ") still works, as expected until it is deleted: a new secret " +
			"does not revoke the old one. " + t.DeleteOldSecretAdvice() + " Then `jcconnect status` uses the new one only."
	}
	msg := "The old client secret could not be checked"
	if o.Err != nil {
		msg += ": " + o.Err.Error()
	}
	return msg + ". " + t.DeleteOldSecretAdvice()
}
