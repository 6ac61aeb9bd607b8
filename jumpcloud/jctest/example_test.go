package jctest_test

import (
	"fmt"
	"io"
	"net/http"

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
