package jumpcloud_test

import (
	"context"
	"encoding/base64"
	"errors"
	"fmt"
	"net/http"
	"net/http/httptest"
	"strings"
	"testing"
	"time"

	"jcconnect/jumpcloud"
)

// A server or proxy that echoes the key back must not get it into an error. jctest never echoes
// the key, so this one test uses a hostile handler of its own.
func TestAnEchoedKeyIsScrubbedFromErrors(t *testing.T) {
	const key = "jca_EchoMe0123456789abcdefghijklmnopqrs"
	bodies := map[int]func(k string) string{
		401: func(k string) string { return fmt.Sprintf(`{"message":"api key %s not found"}`, k) },
		403: func(k string) string { return fmt.Sprintf(`{"error":"key %s is blocked"}`, k) },
		404: func(k string) string { return "no route for key " + k },
		200: func(k string) string { return fmt.Sprintf("<html><title>Login %s</title></html>", k) },
	}
	for status, body := range bodies {
		srv := httptest.NewServer(http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {
			w.WriteHeader(status)
			fmt.Fprint(w, body(r.Header.Get("x-api-key")))
		}))
		c, err := jumpcloud.New(jumpcloud.Config{BaseURL: srv.URL, APIKey: key})
		if err != nil {
			t.Fatal(err)
		}
		_, err = c.Systems(context.Background(), jumpcloud.ListOptions{})
		srv.Close()
		if err == nil {
			t.Fatalf("%d: no error", status)
		}
		for e := err; e != nil; e = errors.Unwrap(e) {
			if text := fmt.Sprintf("%v %+v %#v", e, e, e); strings.Contains(text, key) {
				t.Fatalf("%d: the echoed key is in the error: %s", status, text)
			}
		}
		if !strings.Contains(err.Error(), "[api key]") {
			t.Errorf("%d: %q does not show where the key was removed", status, err)
		}
	}
}

// A token host or an API that echoes the client secret, the Basic credentials or the bearer
// token must not get any of them into an error.
func TestAnEchoedSecretOrTokenIsScrubbedFromErrors(t *testing.T) {
	const id, secret, token = "echo-client", "EchoSecret0123456789abcdefghijklmnopqrstuv", "EchoToken0123456789abcdefghijklmnop"
	basic := base64.StdEncoding.EncodeToString([]byte(id + ":" + secret))
	srv := httptest.NewServer(http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {
		if r.URL.Path == "/oauth2/token" {
			if r.URL.Query().Get("ok") == "" && r.Header.Get("X-Test") == "" {
				w.Header().Set("Content-Type", "application/json")
				if strings.HasSuffix(r.Header.Get("Authorization"), basic) && r.Header.Get("User-Agent") == "refuse" {
					w.WriteHeader(401)
					fmt.Fprintf(w, `{"error":"invalid_client","error_description":"bad %s for %s"}`, secret, r.Header.Get("Authorization"))
					return
				}
				fmt.Fprintf(w, `{"access_token":%q,"expires_in":3600}`, token)
				return
			}
		}
		w.WriteHeader(401)
		fmt.Fprintf(w, `{"message":"token %s refused"}`, r.Header.Get("Authorization"))
	}))
	defer srv.Close()
	for _, ua := range []string{"refuse", "jcconnect-test"} {
		c, err := jumpcloud.New(jumpcloud.Config{BaseURL: srv.URL, TokenURL: srv.URL + "/oauth2/token",
			ClientID: id, ClientSecret: secret, UserAgent: ua, RetryBaseDelay: time.Millisecond})
		if err != nil {
			t.Fatal(err)
		}
		_, err = c.Systems(context.Background(), jumpcloud.ListOptions{})
		if err == nil {
			t.Fatalf("%s: no error", ua)
		}
		for e := err; e != nil; e = errors.Unwrap(e) {
			text := fmt.Sprintf("%v %+v %#v", e, e, e)
			for _, s := range []string{secret, token, strings.TrimRight(basic, "=")} {
				if strings.Contains(text, s) {
					t.Fatalf("%s: a secret is in the error: %s", ua, text)
				}
			}
		}
		if !strings.Contains(err.Error(), "[client secret]") && !strings.Contains(err.Error(), "[bearer token]") {
			t.Errorf("%s: %q does not show where the secret was removed", ua, err)
		}
	}
}
