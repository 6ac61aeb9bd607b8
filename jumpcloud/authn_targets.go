package jumpcloud

// AuthnTargets is a conditional access policy's targets (v2 spec AuthnPolicyTargets): the
// resources it guards, and the users it covers. Absent users/userGroups/userAttributes mean the
// policy covers every user.
type AuthnTargets struct {
	Resources []struct {
		Type string `json:"type"` // admin_portal, user_portal, application, ldap
		ID   string `json:"id"`
	} `json:"resources"`
	Users          *AuthnInclusions `json:"users"`
	UserGroups     *AuthnInclusions `json:"userGroups"`
	UserAttributes *struct {
		Exclusions []any `json:"exclusions"`
		Inclusions []any `json:"inclusions"`
	} `json:"userAttributes"`
}

// AuthnInclusions is AuthnPolicyUserTarget / AuthnPolicyUserGroupTarget: ids included, excluded.
type AuthnInclusions struct {
	Inclusions []string `json:"inclusions"`
	Exclusions []string `json:"exclusions"`
}

// CoversAllUsers reports whether the policy applies to every user: no inclusion list narrows it
// and no exclusion carves anyone out.
func (t AuthnTargets) CoversAllUsers() bool {
	for _, x := range []*AuthnInclusions{t.Users, t.UserGroups} {
		if x != nil && (len(x.Inclusions) > 0 || len(x.Exclusions) > 0) {
			return false
		}
	}
	if a := t.UserAttributes; a != nil && (len(a.Inclusions) > 0 || len(a.Exclusions) > 0) {
		return false
	}
	return true
}

// Guards reports whether the policy targets a resource type (e.g. "user_portal").
func (t AuthnTargets) Guards(kind string) bool {
	for _, r := range t.Resources {
		if r.Type == kind {
			return true
		}
	}
	return false
}
