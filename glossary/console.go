package glossary

// The JumpCloud console, in the words of its own screens: the steps that create the Read Only
// admin and its key, and what to do about the console messages an admin meets on the way. The
// wizard (its TUI steps and the --accessible prompts), `setup --help` and the README all use
// these, so they cannot drift apart. Each is one unwrapped paragraph: the face wraps it.
//
// Sources (JumpCloud's support pages, read for this text; none of it was checked against a live
// console):
//   - https://jumpcloud.com/support/jumpcloud-apis: API access is disabled by default for admins;
//     only an Admin with Billing can enable it; an admin without it sees "You don't have
//     permission to view or generate an API Key. Contact your Admin to have them enable this for
//     you."; a newly generated key's default expiration is 90 days; keys of admin accounts
//     created before 15 July 2024 have no expiration date, which "can be changed at any time".
//   - https://jumpcloud.com/support/manage-admins-in-mtp: the MTP steps (Administrators tab,
//     +, Details, Permissions & Access, Role, Enable API access, Organization Access, Save).
//   - https://jumpcloud.com/support/upcoming-security-changes: a key is shown only once, and a
//     new key revokes the previous one.
//
// UNCONFIRMED: the full list of expiry (TTL) choices the Generate New API Key dialog offers. The
// pages above give only the 90-day default and "no expiration" for older admins, so the text
// names those two and does not invent a list.

// AdminSteps create the Read Only admin in a single organisation's Admin Portal.
var AdminSteps = []string{
	"Sign in as an Administrator with Billing; open Settings ▸ Administrators tab",
	"Click + Admin (As New): first name, last name, a unique e-mail",
	"Role: choose Read Only",
	"Tick Enable API access, then create the admin",
	"Open the e-mail JumpCloud sends and set that admin's password",
	"Sign out, and sign in to the console as the new Read Only admin",
}

// AdminStepsMTP is the multi-tenant portal (MTP) variant of AdminSteps, as one paragraph.
const AdminStepsMTP = "Multi-tenant portal (MTP) instead: as an Administrator with Billing, open the Administrators tab ▸ + ▸ Details: first name, last name, e-mail ▸ Permissions & Access: Role Read Only, tick Enable API access, and under Organization Access choose the organisation to collect from ▸ Save. A key from the MTP is multi-tenant: jcconnect then asks which organisation it is for (or give --org-id)."

// KeygenSteps generate the key as the Read Only admin.
var KeygenSteps = []string{
	"Signed in as the Read Only admin, click your initials (top right) ▸ My API Key",
	"Click Generate New API Key and choose an expiry",
	"Copy the key now: JumpCloud shows it only once",
}

// KeyExpiry is what is known of the expiry choice when generating a key.
const KeyExpiry = "Expiry: JumpCloud sets a new key to expire after 90 days unless you choose otherwise (keys of admins created before 15 July 2024 had no expiry). jcconnect reads the expiry when it verifies the key and warns before it is due; when it passes, generate a new key and run jcconnect rotate."

// NoAPIKeyPermission is the console's message to an admin without API access, as it shows it.
const NoAPIKeyPermission = "You don't have permission to view or generate an API Key"

// NoAPIKeyPermissionFix says what the message means and what to do about it.
const NoAPIKeyPermissionFix = "If My API Key says \"" + NoAPIKeyPermission + "\": API access is off for this admin (it is off by default). An Administrator with Billing opens Settings ▸ Administrators ▸ this admin and ticks Enable API access (in the MTP: Administrators ▸ the admin ▸ Permissions & Access), then you reload My API Key."

// ConsoleTroubleshooting is every paragraph above that helps with the console, in the order an
// admin meets them, for `setup --help` and the README.
func ConsoleTroubleshooting() []string {
	return []string{NoAPIKeyPermissionFix, KeyExpiry, AdminStepsMTP}
}
