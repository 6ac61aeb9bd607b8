package jumpcloud_test

import (
	"context"
	"errors"
	"fmt"
	"net/http"
	"net/http/httptest"
	"strings"
	"testing"

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
