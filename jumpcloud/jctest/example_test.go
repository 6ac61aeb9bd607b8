package jctest_test

import (
	"encoding/json"
	"fmt"
	"io"
	"net/http"
	"strings"

	"jcconnect/jumpcloud/jctest"
)

// A test starts a server, talks to it over real HTTP with one of its keys, and asserts on what
// the server saw.
func Example() {
	srv := jctest.NewServer(jctest.Options{Devices: 120, Seed: 1})
	defer srv.Close()

	req, _ := http.NewRequest(http.MethodGet, srv.URL+"/api/systems?limit=100&skip=0&sort=_id", nil)
	req.Header.Set("x-api-key", srv.Keys.ReadOnly)
	resp, err := http.DefaultClient.Do(req)
	if err != nil {
		panic(err)
	}
	io.Copy(io.Discard, resp.Body)
	resp.Body.Close()

	fmt.Println(resp.StatusCode, srv.Org().Devices, srv.Requests("/api/systems"), srv.Seen()[0].KeyLabel)
	// Output: 200 120 1 read-only
}

// Faults apply to matching paths, every time or the next n times.
func ExampleServer_Inject() {
	srv := jctest.NewServer(jctest.Options{Devices: 10})
	defer srv.Close()
	defer srv.Inject(jctest.Fault{PathPrefix: "/api/systems", Kind: jctest.FaultRateLimit, RetryAfter: "1", Times: 1})()

	for range 2 {
		req, _ := http.NewRequest(http.MethodGet, srv.URL+"/api/systems", nil)
		req.Header.Set("x-api-key", srv.Keys.ReadOnly)
		resp, _ := http.DefaultClient.Do(req)
		resp.Body.Close()
		fmt.Println(resp.StatusCode, resp.Header.Get("Retry-After"))
	}
	// Output:
	// 429 1
	// 200
}

// A service account exchanges its client id and secret (HTTP Basic, form body) at TokenURL for a
// bearer token, which the API accepts in place of x-api-key. Rotation uses the second slot.
func ExampleServer_serviceAccounts() {
	srv := jctest.NewServer(jctest.Options{Devices: 10})
	defer srv.Close()
	sa := srv.ServiceAccounts.ReadOnly

	token := func(secret string) (int, string) {
		req, _ := http.NewRequest(http.MethodPost, srv.TokenURL, strings.NewReader("grant_type=client_credentials&scope=api"))
		req.Header.Set("Content-Type", "application/x-www-form-urlencoded")
		req.SetBasicAuth(sa.ClientID, secret)
		resp, err := http.DefaultClient.Do(req)
		if err != nil {
			panic(err)
		}
		defer resp.Body.Close()
		var ans struct {
			AccessToken string `json:"access_token"`
			Error       string `json:"error"`
		}
		json.NewDecoder(resp.Body).Decode(&ans)
		return resp.StatusCode, ans.AccessToken + ans.Error
	}
	status, tok := token(sa.ClientSecret)
	req, _ := http.NewRequest(http.MethodGet, srv.URL+"/api/systems", nil)
	req.Header.Set("Authorization", "Bearer "+tok)
	resp, _ := http.DefaultClient.Do(req)
	resp.Body.Close()
	fmt.Println(status, resp.StatusCode, srv.Seen()[1].KeyLabel)

	second := srv.AddClientSecret(sa.ClientID)
	srv.DeleteClientSecret(sa.ClientID, sa.ClientSecret)
	status, answer := token(sa.ClientSecret)
	fmt.Println(status, answer)
	status, _ = token(second)
	fmt.Println(status)
	// Output:
	// 200 200 sa-evidence-collector
	// 401 invalid_client
	// 200
}
