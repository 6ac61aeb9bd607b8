package store

import (
	"context"
	"encoding/json"
	"errors"
	"strings"
	"testing"
	"time"
)

// A service account's credentials in tests: obviously fake.
const (
	testClientID     = "3f1c2b4a-5d6e-4f70-8192-a3b4c5d6e7f8"
	testSecretOld    = "0ldSecret0ldSecret0ldSecret0ldSecret0ldSecretAAAA"
	testSecretNew    = "n3wSecretn3wSecretn3wSecretn3wSecretn3wSecretBBBB"
	testSecretPrefix = 20 // assertNoServiceSecret also looks for the first characters alone
)

func testServiceAccountProfile(name string) Profile {
	p := testProfile(name)
	exp := time.Date(2027, 3, 1, 0, 0, 0, 0, time.UTC)
	p.Kind, p.ClientID, p.TokenURL, p.SecretExpires = KindServiceAccount, testClientID, "https://admin-oauth.id.jumpcloud.com/oauth2/token", &exp
	p.OwnerEmail = ""
	return p
}

// assertNoServiceSecret checks that no test secret leaks into a message or a file.
func assertNoServiceSecret(t *testing.T, where, text string) {
	t.Helper()
	assertNoSecret(t, where, text)
	for _, k := range []string{testSecretOld, testSecretNew} {
		if strings.Contains(text, k) || strings.Contains(text, k[:testSecretPrefix]) {
			t.Fatalf("%s contains a client secret: %q", where, text)
		}
	}
}

// The secret goes to the keyring under the profile, like a key; the profile records the kind,
// the client id, the token URL, the secret's expiry, and the secret's fingerprint and last 4.
func TestServiceAccountRoundTrip(t *testing.T) {
	s, mem, _ := newTestStore(t)
	ctx := context.Background()
	if err := s.Save(ctx, testServiceAccountProfile("work"), Secret{" " + testSecretOld + "\n"}); err != nil {
		t.Fatal(err)
	}
	if got, _ := mem.Peek(Service, "work"); got != testSecretOld {
		t.Fatalf("keyring holds %s", Mask(got))
	}
	cred, err := s.Key(ctx, "work")
	if err != nil {
		t.Fatal(err)
	}
	if cred.Key.Reveal() != testSecretOld || !cred.IsServiceAccount() || cred.ClientID != testClientID || cred.Source != SourceMemory ||
		cred.OrgID != testProfile("").OrgID {
		t.Fatalf("credential kind %s, id %q, source %s, org %q", cred.Kind, cred.ClientID, cred.Source, cred.OrgID)
	}
	p, err := s.Profile("work")
	if err != nil {
		t.Fatal(err)
	}
	want := testServiceAccountProfile("work")
	if !p.IsServiceAccount() || p.CredentialKind() != KindServiceAccount || p.ClientID != testClientID ||
		p.TokenURL != want.TokenURL || p.SecretExpires == nil || !p.SecretExpires.Equal(*want.SecretExpires) ||
		p.Fingerprint != Fingerprint(testSecretOld) || p.KeyLast4 != testSecretOld[len(testSecretOld)-4:] {
		t.Fatalf("profile %+v", p)
	}
	file := readFile(t, s.MetadataPath())
	assertNoServiceSecret(t, "metadata file", file)
	var m metadata
	if err := json.Unmarshal([]byte(file), &m); err != nil || m.Profiles[0].Kind != "service_account" {
		t.Fatalf("the file does not name the kind service_account: %s", file)
	}
}

// An API key profile stays an API key: older files have no kind, and a key profile carries no
// service-account fields.
func TestAPIKeyProfilesHaveTheKeyKind(t *testing.T) {
	s, _, _ := newTestStore(t)
	p := testProfile("work")
	p.ClientID = "left over" // from a form that switched kinds
	if err := s.Save(context.Background(), p, Secret{testKeyOld}); err != nil {
		t.Fatal(err)
	}
	got, _ := s.Profile("work")
	cred, err := s.Key(context.Background(), "work")
	if err != nil || got.IsServiceAccount() || got.CredentialKind() != KindAPIKey || got.ClientID != "" ||
		cred.Kind != KindAPIKey || cred.ClientID != "" {
		t.Fatalf("profile %+v, credential kind %q, %v", got, cred.Kind, err)
	}
}

// Bad service-account input is refused before anything is written, in words about a client
// secret or client id, never echoing the secret.
func TestServiceAccountInputIsChecked(t *testing.T) {
	s, mem, _ := newTestStore(t)
	ctx := context.Background()
	noID := testServiceAccountProfile("work")
	noID.ClientID = ""
	colon := testServiceAccountProfile("work")
	colon.ClientID = "a:b"
	cases := []struct {
		name   string
		p      Profile
		secret string
		says   string
	}{
		{"empty secret", testServiceAccountProfile("work"), "  \n", "the client secret is empty"},
		{"space in the secret", testServiceAccountProfile("work"), testSecretOld[:10] + " " + testSecretOld, "client secret contains a space"},
		{"smart quote", testServiceAccountProfile("work"), "“" + testSecretOld + "”", "non-ASCII"},
		{"no client id", noID, testSecretOld, "the client id is empty"},
		{"colon in the client id", colon, testSecretOld, "colon"},
		{"unknown kind", Profile{Name: "work", Kind: "password"}, testSecretOld, "unknown credential kind"},
	}
	for _, tc := range cases {
		err := s.Save(ctx, tc.p, Secret{tc.secret})
		assertKind(t, err, ErrInvalidKey)
		if !strings.Contains(err.Error(), tc.says) {
			t.Errorf("%s: %q does not say %q", tc.name, err, tc.says)
		}
		assertNoServiceSecret(t, tc.name, err.Error()+" "+Fix(err))
	}
	if mem.Calls(OpSet) != 0 {
		t.Fatal("the keyring was written")
	}
}

// Rotation to the second secret goes through Replace's safe order: on success the new secret
// is stored and described; when a step fails the old secret stays stored and working, with the
// service-account record intact; when even the rollback fails, Key settles on the secret the
// keyring really holds.
func TestServiceAccountReplaceIsSafe(t *testing.T) {
	ctx := context.Background()
	saved := func(t *testing.T) (*Store, *Memory) {
		s, mem, _ := newTestStore(t)
		if err := s.Save(ctx, testServiceAccountProfile("work"), Secret{testSecretOld}); err != nil {
			t.Fatal(err)
		}
		return s, mem
	}
	holds := func(t *testing.T, s *Store, secret string) {
		t.Helper()
		cred, err := s.Key(ctx, "work")
		if err != nil || cred.Key.Reveal() != secret || !cred.IsServiceAccount() || cred.ClientID != testClientID {
			t.Fatalf("Key = %s (%s %q), %v; want %s", Mask(cred.Key.Reveal()), cred.Kind, cred.ClientID, err, Mask(secret))
		}
		p, _ := s.Profile("work")
		if p.Fingerprint != Fingerprint(secret) || !p.IsServiceAccount() {
			t.Fatalf("profile describes %s", p.Fingerprint)
		}
		assertNoServiceSecret(t, "metadata file", readFile(t, s.MetadataPath()))
	}

	t.Run("swap", func(t *testing.T) {
		s, _ := saved(t)
		next := testServiceAccountProfile("work")
		exp := time.Date(2027, 6, 1, 0, 0, 0, 0, time.UTC)
		next.SecretExpires = &exp
		if err := s.Replace(ctx, next, Secret{testSecretNew}); err != nil {
			t.Fatal(err)
		}
		holds(t, s, testSecretNew)
		if p, _ := s.Profile("work"); p.RotatedAt == nil || !p.SecretExpires.Equal(exp) {
			t.Fatalf("after rotation %+v", p)
		}
	})
	t.Run("keyring write fails", func(t *testing.T) {
		s, mem := saved(t)
		failRelative(mem, ErrKeyringTimeout, map[Op][]int{OpSet: {1}})
		err := s.Replace(ctx, testServiceAccountProfile("work"), Secret{testSecretNew})
		assertKind(t, err, ErrKeyringTimeout)
		assertNoServiceSecret(t, "error", err.Error())
		mem.Inject(nil)
		holds(t, s, testSecretOld)
	})
	t.Run("metadata write fails", func(t *testing.T) {
		s, _ := saved(t)
		failWrite(s, 2)
		assertKind(t, s.Replace(ctx, testServiceAccountProfile("work"), Secret{testSecretNew}), ErrMetadataIO)
		s.beforeWrite = nil
		holds(t, s, testSecretOld)
	})
	t.Run("rollback fails too", func(t *testing.T) {
		s, mem := saved(t)
		failRelative(mem, ErrKeyringTimeout, map[Op][]int{OpGet: {2}, OpSet: {2}})
		assertKind(t, s.Replace(ctx, testServiceAccountProfile("work"), Secret{testSecretNew}), ErrKeyringTimeout)
		mem.Inject(nil)
		holds(t, s, testSecretNew) // the pending service-account record was completed
	})
}

// Headless: JUMPCLOUD_CLIENT_ID and JUMPCLOUD_CLIENT_SECRET take precedence over the keyring,
// like JUMPCLOUD_API_KEY; both kinds at once, or half a service account, is an error that names
// the variables.
func TestServiceAccountFromTheEnvironment(t *testing.T) {
	ctx := context.Background()
	s, _, e := newTestStore(t)
	if err := s.Save(ctx, testProfile("work"), Secret{testKeyOld}); err != nil {
		t.Fatal(err)
	}
	e[EnvClientID], e[EnvClientSecret], e[EnvOrgID] = " "+testClientID+" ", testSecretNew+"\n", "5f0000000000000000000009"
	cred, err := s.Key(ctx, "work")
	if err != nil || cred.Source != SourceEnv || !cred.IsServiceAccount() || cred.Key.Reveal() != testSecretNew ||
		cred.ClientID != testClientID || cred.OrgID != "5f0000000000000000000009" || !CredentialInEnv(e.get) {
		t.Fatalf("env credential %s %q %s %q, %v", cred.Kind, cred.ClientID, cred.Source, cred.OrgID, err)
	}

	cases := []struct {
		name string
		env  env
		says []string
	}{
		{"both kinds", env{EnvAPIKey: testKeyNew, EnvClientID: testClientID, EnvClientSecret: testSecretNew},
			[]string{EnvAPIKey, EnvClientID, EnvClientSecret}},
		{"key and a secret", env{EnvAPIKey: testKeyNew, EnvClientSecret: testSecretNew}, []string{EnvAPIKey, EnvClientSecret}},
		{"id without secret", env{EnvClientID: testClientID}, []string{EnvClientSecret + " is not"}},
		{"secret without id", env{EnvClientSecret: testSecretNew}, []string{EnvClientID + " is not"}},
		{"secret with a space", env{EnvClientID: testClientID, EnvClientSecret: "x " + testSecretNew}, []string{EnvClientSecret + ": the client secret contains a space"}},
		{"id with a control character", env{EnvClientID: "ab\x1bc", EnvClientSecret: testSecretNew}, []string{EnvClientID + ": the client id"}},
	}
	for _, tc := range cases {
		t.Run(tc.name, func(t *testing.T) {
			s, err := Open(Options{Keyring: newMemory(), Dir: t.TempDir(), Getenv: tc.env.get})
			if err != nil {
				t.Fatal(err)
			}
			_, err = s.Key(ctx, "")
			if err == nil {
				t.Fatal("accepted")
			}
			for _, want := range tc.says {
				if !strings.Contains(err.Error(), want) {
					t.Errorf("%q does not name %s", err, want)
				}
			}
			if Fix(err) == "" {
				t.Error("no fix")
			}
			assertNoServiceSecret(t, "error", err.Error()+" "+Fix(err))
		})
	}
	var se *StoreError
	_, err = func() (Credential, error) {
		s, _ := Open(Options{Keyring: newMemory(), Dir: t.TempDir(), Getenv: env{EnvAPIKey: testKeyNew, EnvClientID: "x"}.get})
		return s.Key(ctx, "")
	}()
	if !errors.As(err, &se) || !errors.Is(err, ErrEnvCredential) {
		t.Fatalf("both kinds: %v is not ErrEnvCredential", err)
	}
	if CredentialInEnv(env{}.get) || CredentialInEnv(nil) {
		t.Fatal("an empty environment sets no credential")
	}
}
