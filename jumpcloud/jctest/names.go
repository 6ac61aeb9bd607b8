package jctest

// Name pools for the generator: plain, believable and obviously fictitious.
var firstNames = []string{"Ada", "Ben", "Carla", "Dev", "Elif", "Farah", "Gus", "Hana", "Ivan", "Jae",
	"Kofi", "Lena", "Mateo", "Nia", "Omar", "Priya", "Quinn", "Rosa", "Sven", "Tara", "Uma", "Viktor",
	"Wen", "Ximena", "Yusuf", "Zoe", "Aiko", "Bruno", "Chloe", "Diego", "Emma", "Felix", "Grace",
	"Hugo", "Isla", "Jonas", "Kira", "Liam", "Maya", "Noah"}

var lastNames = []string{"Abara", "Berg", "Castillo", "Dubois", "Eriksen", "Fischer", "Garcia",
	"Haddad", "Ito", "Jensen", "Kowalski", "Lindqvist", "Moreau", "Nakamura", "Okafor", "Petrov",
	"Quispe", "Rossi", "Schmidt", "Tanaka", "Ulloa", "Varga", "Weber", "Xu", "Yilmaz", "Zhang",
	"Almeida", "Brennan", "Costa", "Delgado", "Evans", "Fontaine", "Gupta", "Horvat", "Ivanova",
	"Jovanovic", "Kim", "Larsen", "Murphy", "Novak"}

var departments = []string{"Engineering", "Sales", "Finance", "Support", "Marketing", "People", "IT", "Legal"}

var employeeTypes = []string{"Full-time", "Full-time", "Full-time", "Contractor", "Intern"}

var linuxRoles = []string{"build", "ci", "dev", "db", "web", "bastion", "gpu"}

// orgNames are used in order: the main organisation, the two other organisations a multi-tenant
// key sees, and the unrelated organisation of Keys.OtherOrg.
var orgNames = []string{"Northwind Health", "Contoso Labs", "", "Fabrikam Retail"}

var orgDomains = []string{"northwind.example", "contoso.example", "tailspin.example", "fabrikam.example"}

// appCatalogEntry is an SSO application; color is one of the spec's enum of logo colours.
type appCatalogEntry struct{ name, displayName, description, color string }

var appCatalog = []appCatalogEntry{
	{"aws", "Amazon Web Services", "AWS console access via IAM Identity Center", "#202D38"},
	{"slack", "Slack", "Team chat", "#005466"},
	{"salesforce", "Salesforce", "CRM", "#3E8696"},
	{"github", "GitHub Enterprise Cloud", "Source code hosting", "#006CAC"},
	{"zoom", "Zoom", "Video meetings", "#0617AC"},
	{"atlassian", "Atlassian Cloud", "Jira and Confluence", "#7C6ADA"},
	{"google-workspace", "Google Workspace", "Mail, calendar and documents", "#D5779D"},
	{"workday", "Workday", "HR and payroll", "#9E2F00"},
	{"zendesk", "Zendesk", "Customer support desk", "#FFB000"},
	{"box", "Box", "File sharing", "#58C469"},
	{"okta-bridge", "Legacy Intranet", "Old intranet portal (SAML 1.1 bridge)", "#57C49F"},
	{"datadog", "Datadog", "Monitoring", "#FF6C03"},
}

var authnPolicyCatalog = []authnPolicy{
	{"Require MFA for the User Portal", "All users must pass MFA to reach the user portal", false, "user_portal", "allow", true},
	{"Require MFA for the Admin Portal", "Administrators must pass MFA", false, "admin_portal", "allow", true},
	{"Block LDAP from outside the office", "Deny LDAP binds from unknown networks", false, "ldap", "deny", false},
	{"Contractor application access", "Contractors may use SSO apps without MFA (trial, disabled)", true, "application", "allow", false},
}
