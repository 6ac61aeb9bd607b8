package jumpcloud_test

import (
	"context"
	"net/http"
	"net/http/httptest"
	"strings"
	"sync"
	"testing"
	"time"

	"jcconnect/jumpcloud"
)

// shapeServer answers each path with a fixed body over real HTTP (404 for the rest) and counts
// the requests per path.
type shapeServer struct {
	*httptest.Server
	mu       sync.Mutex
	requests map[string]int
}

func serveShapes(t *testing.T, bodies map[string]string) (*shapeServer, *jumpcloud.Client) {
	t.Helper()
	s := &shapeServer{requests: map[string]int{}}
	s.Server = httptest.NewServer(http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {
		s.mu.Lock()
		s.requests[r.URL.Path]++
		s.mu.Unlock()
		body, ok := bodies[r.URL.Path]
		if !ok {
			w.WriteHeader(http.StatusNotFound)
			body = `{"message":"Not Found"}`
		}
		w.Header().Set("Content-Type", "application/json")
		_, _ = w.Write([]byte(body))
	}))
	t.Cleanup(s.Close)
	c, err := jumpcloud.New(jumpcloud.Config{BaseURL: s.URL, APIKey: "jca_shapes00000000000000000000000000000000",
		RetryBaseDelay: time.Millisecond, MaxRetryDelay: 10 * time.Millisecond, Timeout: 5 * time.Second})
	if err != nil {
		t.Fatal(err)
	}
	return s, c
}

func (s *shapeServer) count(path string) int {
	s.mu.Lock()
	defer s.mu.Unlock()
	return s.requests[path]
}

// The breakages issue 9 found, each on spec-valid data: none may cost a record or a source.
func TestOddFieldsAreRecordedNotFatal(t *testing.T) {
	_, c := serveShapes(t, map[string]string{
		"/api/organizations/o1": `{"_id":"o1","displayName":"Acme","created":"a while ago",
			"settings":{"passwordPolicy":{"minLength":"8","needsUppercase":true},"requireAdminMFA":true}}`,
		"/api/applications": `{"totalCount":2,"results":[{"_id":"a1","name":"aws","created":"2026/08/01"},
			{"_id":"a2","name":"gh","created":"","sso":{"type":"saml","idpCertExpirationAt":"someday"}}]}`,
		"/api/systemusers": `{"totalCount":3,"results":[
			{"_id":"u1","username":"jane","mfa":{"configured":true,"exclusion":false,"exclusionUntil":""}},
			{"_id":"u2","username":"joe","mfa":{"configured":true,"exclusionUntil":"next week"}},
			{"_id":"u3","username":"ann","zzNew":{"x":1}}]}`,
		"/api/users/getSelf": `{"_id":"ad1","email":"ro@example.com","roleName":"Read Only",
			"apiKeyHash":{"prefix":"jca_abcd","createdAt":"2026-01-01T00:00:00Z","expireAt":""}}`,
		"/api/systems": `{"totalCount":3,"results":[{"_id":"s1","hostname":"a","fde":{"active":true,"keyPresent":true}},
			{"_id":"s2","hostname":"b","fde":{"active":"yes"},"lastContact":"soon","active":"true"},
			{"_id":"s3","hostname":"c","lastContact":""}]}`,
	})
	ctx := context.Background()

	org, err := c.Organization(ctx, "o1")
	if err != nil {
		t.Fatalf("organization: %v", err)
	}
	if org.Name() != "Acme" || org.Created != "a while ago" || len(org.Unparsed) != 0 {
		t.Errorf("organization %+v", org.Organization)
	}
	pp := org.Settings.PasswordPolicy
	if org.Settings.RequireAdminMFA == nil || !*org.Settings.RequireAdminMFA || pp != nil ||
		len(org.Settings.Unparsed) != 1 || org.Settings.Unparsed[0] != (jumpcloud.UnparsedField{Path: "passwordPolicy.minLength", Raw: `"8"`}) {
		t.Errorf("settings %+v (password policy %+v): minLength \"8\" must be unparsed and the policy unknown, the rest kept", org.Settings, pp)
	}

	apps, err := c.Applications(ctx, jumpcloud.ListOptions{})
	if err != nil || len(apps) != 2 {
		t.Fatalf("applications: %d, %v", len(apps), err)
	}
	if apps[0].Created != "2026/08/01" || apps[1].SSO != nil ||
		len(apps[1].Unparsed) != 1 || apps[1].Unparsed[0].Path != "sso.idpCertExpirationAt" {
		t.Errorf("applications %+v", apps)
	}

	users, err := c.SystemUsers(ctx, jumpcloud.ListOptions{})
	if err != nil || len(users) != 3 {
		t.Fatalf("users: %d, %v", len(users), err)
	}
	if users[0].MFA == nil || !users[0].MFA.Configured || users[0].MFA.ExclusionUntil != nil || len(users[0].Unparsed) != 0 {
		t.Errorf("an empty exclusionUntil is an unset date: %+v", users[0])
	}
	if users[1].MFA != nil || len(users[1].Unparsed) != 1 || users[1].Unparsed[0] != (jumpcloud.UnparsedField{Path: "mfa.exclusionUntil", Raw: `"next week"`}) {
		t.Errorf("an unreadable exclusionUntil makes mfa unknown and is recorded: %+v", users[1])
	}
	if users[2].Username != "ann" || len(users[2].Unparsed) != 0 {
		t.Errorf("unknown members are ignored: %+v", users[2])
	}

	self, err := c.Self(ctx)
	if err != nil || self.RoleName != "Read Only" || self.APIKeyHash == nil || self.APIKeyHash.ExpireAt != nil ||
		self.APIKeyHash.CreatedAt == nil || len(self.Unparsed) != 0 {
		t.Errorf("getSelf with an empty expireAt: %+v, %v", self, err)
	}

	systems, err := c.Systems(ctx, jumpcloud.ListOptions{})
	if err != nil || len(systems) != 3 {
		t.Fatalf("systems: %d, %v", len(systems), err)
	}
	s2 := systems[1]
	paths := []string{}
	for _, u := range s2.Unparsed {
		paths = append(paths, u.Path+"="+u.Raw)
	}
	if s2.ID != "s2" || s2.Hostname != "b" || s2.FDE != nil || s2.LastContact != nil || s2.Active ||
		strings.Join(paths, " ") != `active="true" lastContact="soon" fde.active="yes"` {
		t.Errorf("device with odd fields: %+v, unparsed %v", s2, paths)
	}
	if systems[0].FDE == nil || !systems[0].FDE.Active || len(systems[0].Unparsed) != 0 || systems[2].LastContact != nil {
		t.Errorf("the well-formed devices around it: %+v", systems)
	}
}

// The settings fallback keeps the role when an unrelated settings field has an odd type.
func TestSettingsFallbackKeepsTheRoleDespiteOddFields(t *testing.T) {
	for name, self := range map[string]string{"getSelf 404": "", "getSelf a list": `[]`} {
		t.Run(name, func(t *testing.T) {
			bodies := map[string]string{"/api/settings": `{"ORG_ID":"o1","ROLE":"Read Only",
				"SETTINGS":{"passwordPolicy":{"minLength":"8"},"features":{"systemInsights":{"enabled":"on"}}}}`}
			if self != "" {
				bodies["/api/users/getSelf"] = self
			}
			_, c := serveShapes(t, bodies)
			owner, err := c.KeyOwner(context.Background())
			if err != nil || owner.Role != "Read Only" || owner.RoleSource != "settings" || owner.OrgID != "o1" {
				t.Fatalf("owner %+v, %v", owner, err)
			}
			st, err := c.Settings(context.Background())
			if err != nil || st.Settings.SystemInsightsEnabled != nil || len(st.Settings.Unparsed) != 2 {
				t.Fatalf("settings %+v, %v", st, err)
			}
		})
	}
}

// A record that cannot be decoded at all fails its list with an error naming where, of its own
// kind, asked once (retrying gives the same answer).
func TestARecordThatIsNotAnObjectIsAShapeError(t *testing.T) {
	cases := []struct {
		name, path, body string
		list             func(*jumpcloud.Client) error
		say              string
	}{
		{"a string among devices", "/api/systems",
			`{"totalCount":4,"results":[{"_id":"a"},{"_id":"b"},{"_id":"c"},"d",{"_id":"e"}]}`,
			func(c *jumpcloud.Client) error {
				_, err := c.Systems(context.Background(), jumpcloud.ListOptions{})
				return err
			},
			"devices (/api/systems): JumpCloud's answer changed shape at results[3]: a string where a record (a JSON object) belongs"},
		{"null among policy results", "/api/v2/policies/p1/policystatuses", `[{"id":"r1"},null]`,
			func(c *jumpcloud.Client) error {
				_, err := c.PolicyStatuses(context.Background(), "p1", jumpcloud.ListOptions{})
				return err
			}, "changed shape at [1]: null where a record"},
		{"a number among insight rows", "/api/v2/systeminsights/alf", `[{"system_id":"s"},7]`,
			func(c *jumpcloud.Client) error {
				_, err := c.Insights(context.Background(), "alf", jumpcloud.ListOptions{})
				return err
			}, "changed shape at [1]: a number where a record"},
		{"a list among users", "/api/systemusers", `{"results":[[]]}`,
			func(c *jumpcloud.Client) error {
				_, err := c.SystemUsers(context.Background(), jumpcloud.ListOptions{})
				return err
			}, "changed shape at results[0]: a list where a record"},
		{"results that are not a list", "/api/applications", `{"totalCount":1,"results":{"_id":"a"}}`,
			func(c *jumpcloud.Client) error {
				_, err := c.Applications(context.Background(), jumpcloud.ListOptions{})
				return err
			}, "changed shape at results: an object where a list belongs"},
		{"a totalCount that is not a count", "/api/users", `{"totalCount":"many","results":[]}`,
			func(c *jumpcloud.Client) error {
				_, err := c.Administrators(context.Background(), jumpcloud.ListOptions{})
				return err
			}, "changed shape at totalCount"},
		{"an object without results", "/api/v2/policies", `{"totalCount":3}`,
			func(c *jumpcloud.Client) error {
				_, err := c.Policies(context.Background(), jumpcloud.ListOptions{})
				return err
			},
			"changed shape at results"},
		{"an organisation that is a list", "/api/organizations/o1", `[{"_id":"o1"}]`,
			func(c *jumpcloud.Client) error { _, err := c.Organization(context.Background(), "o1"); return err },
			"changed shape at the top level: a list where a record"},
	}
	for _, tc := range cases {
		t.Run(tc.name, func(t *testing.T) {
			s, c := serveShapes(t, map[string]string{tc.path: tc.body})
			err := tc.list(c)
			if jumpcloud.KindOf(err) != jumpcloud.KindShape || !strings.Contains(err.Error(), tc.say) {
				t.Fatalf("got %v (kind %s); want a shape error saying %q", err, jumpcloud.KindOf(err), tc.say)
			}
			if strings.Contains(err.Error(), "captive portal") || strings.Contains(err.Error(), "not JSON") {
				t.Errorf("a shape error blames the network: %v", err)
			}
			if n := s.count(tc.path); n != 1 {
				t.Errorf("%s asked %d times; a shape error is not retried", tc.path, n)
			}
		})
	}
}

// Only transport-level garbage is "not JSON".
func TestGarbageIsStillNotJSON(t *testing.T) {
	for body, say := range map[string]string{
		`{"totalCount":2,"results":[{"_id":"a"},{"_id":`: "cut off",
		`<html><title>Login</title></html>`:              "HTML page",
		`{"results":[{"_id":"a"}]} trailing`:             "not valid JSON",
		`{"results":[{"_id":"a",}]}`:                     "not valid JSON",
	} {
		_, c := serveShapes(t, map[string]string{"/api/systems": body})
		_, err := c.Systems(context.Background(), jumpcloud.ListOptions{})
		if jumpcloud.KindOf(err) != jumpcloud.KindNotJSON || !strings.Contains(err.Error(), say) {
			t.Errorf("%s: %v; want not_json saying %q", body, err, say)
		}
	}
}

// A service account's credential with an unreadable date keeps its client id: the account is
// still found, the date recorded as unparsed.
func TestServiceAccountWithAnOddDateIsKept(t *testing.T) {
	_, c := serveShapes(t, map[string]string{"/api/v2/service-accounts": `{"totalCount":1,"results":[
		{"objectId":"sa1","name":"collector","roleName":"Read Only","expiresAt":"",
		 "authConfigList":[{"objectId":"c1","authType":"CLIENT_SECRET","clientId":"cid","expiresAt":"in 90 days"}]}]}`})
	list, err := c.ServiceAccounts(context.Background(), jumpcloud.ListOptions{})
	if err != nil || len(list) != 1 {
		t.Fatalf("%d accounts, %v", len(list), err)
	}
	sa := list[0]
	if sa.RoleName != "Read Only" || sa.ExpiresAt != nil || len(sa.Unparsed) != 0 || len(sa.AuthConfigs) != 1 {
		t.Fatalf("account %+v", sa)
	}
	ac := sa.AuthConfigs[0]
	if ac.ClientID != "cid" || ac.ExpiresAt != nil || len(ac.Unparsed) != 1 || ac.Unparsed[0].Path != "expiresAt" {
		t.Fatalf("credential %+v", ac)
	}
}
