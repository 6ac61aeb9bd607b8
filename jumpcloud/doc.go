// Package jumpcloud is a read-only client for JumpCloud's v1 and v2 REST APIs: regions,
// authenticators (an admin's API key, a service account's OAuth client credentials), typed
// errors, paging, retries with backoff, a bound on requests in flight.
// It has no method that writes: the only HTTP method it sends to the API is GET (the one POST
// asks a service account's token host for a token). See ../shared/jumpcloud-api.md for the API
// it speaks.
//
// Where things are:
//
//	client.go      Config, Client, New, WithOrg, Stats: the contract other packages use
//	config.go      regions and base URLs, loopback-only http, key and org id checks, defaults
//	auth.go        Authenticator (API key | client credentials), the one retry of a refused token
//	oauth.go       client credentials: token hosts per region, token cache, single flight, errors
//	serviceaccount.go  the service-account list and a service account's own role
//	shared.go      what WithOrg clients share: connection pool, in-flight semaphore, 429 pause
//	transport.go   one GET with its headers (x-org-id routing), body read under a size cap
//	retry.go       retries on 429/5xx with Retry-After or jittered exponential backoff
//	classify.go    HTTP status and transport failures → *Error, server message sanitising
//	decode.go      JSON answers in both list shapes, totals from body or x-total-count
//	decode_fast.go one-pass decoding for the big lists (devices, users, statuses, insights)
//	paging.go      listPages: first page, then the rest concurrently when the total is known, handed over in order (listAll appends them)
//	endpoints.go   the list calls, one per endpoint
//	owner.go       getSelf, settings and KeyOwner's fallback
//	canread.go     CanRead: one limit=1 request per evidence source
//	errors.go      Kind, Error, sentinels and the messages users read
//	types.go       the decoded API objects and their quirks (_id/id, unknown ≠ false)
//
// Tests drive the client over real HTTP against jctest (jctest/), the in-process sandbox.
package jumpcloud
