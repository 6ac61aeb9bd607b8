// Package demo starts the built-in demo organisation: the jctest sandbox on loopback, with a
// store that keeps keys in memory and profiles in a temporary folder, so a demo key never lands
// in the OS keyring or the real config. It is the one place the demo is built: main uses it for
// --demo and hands Start to the UI (connect.Env.StartDemo) for the wizard's "demo" choice, so
// no ui package imports the sandbox.
package demo

import (
	"errors"
	"os"

	"jcconnect/connect"
	"jcconnect/jumpcloud/jctest"
	"jcconnect/store"
)

// Devices sizes the demo organisation: enough to make the browser and the summary look like a
// real small company, small enough to start instantly.
const Devices = 300

// seed fixes the demo's organisation: the same names and keys on every run.
const seed = 7

// Start starts the demo organisation. Its store ignores the credential variables
// (JUMPCLOUD_API_KEY, JUMPCLOUD_CLIENT_ID/SECRET, JUMPCLOUD_ORG_ID):
// they belong to a real organisation, not the demo. Close removes everything it made.
func Start() (*connect.RunningDemo, error) {
	dir, err := os.MkdirTemp("", "jcconnect-demo-")
	if err != nil {
		return nil, err
	}
	getenv := func(k string) string {
		if store.IsCredentialVar(k) {
			return ""
		}
		return os.Getenv(k)
	}
	st, err := store.Open(store.Options{Keyring: store.NewMemory(), Dir: dir, Getenv: getenv})
	if err != nil {
		return nil, errors.Join(err, os.RemoveAll(dir))
	}
	srv := jctest.NewServer(jctest.Options{Devices: Devices, Seed: seed})
	return &connect.RunningDemo{Demo: FromServer(srv), Store: st, Getenv: getenv, Close: func() {
		srv.Close()
		// A temporary folder of demo profiles left behind holds no secret: nothing to report.
		_ = os.RemoveAll(dir)
	}}, nil
}

// FromServer describes a running sandbox's keys for the screens that show them.
func FromServer(srv *jctest.Server) *connect.Demo {
	return &connect.Demo{BaseURL: srv.URL, Keys: []connect.DemoKey{
		{Label: "Read Only admin (the right key)", Key: srv.Keys.ReadOnly},
		{Label: "Full Administrator (see the least-privilege warning)", Key: srv.Keys.Admin},
		{Label: "Revoked key", Key: srv.Keys.Revoked},
		{Label: "Multi-tenant key (3 organisations)", Key: srv.Keys.MultiTenant},
	}, NewKey: srv.RotateKey, NewSecret: srv.AddClientSecret, TokenURL: srv.TokenURL, ServiceAccounts: []connect.DemoServiceAccount{
		{Label: "Read Only service account (the right one)", ClientID: srv.ServiceAccounts.ReadOnly.ClientID, Secret: srv.ServiceAccounts.ReadOnly.ClientSecret},
		{Label: "Administrator service account (see the least-privilege warning)", ClientID: srv.ServiceAccounts.Admin.ClientID, Secret: srv.ServiceAccounts.Admin.ClientSecret},
		{Label: "Expired client secret", ClientID: srv.ServiceAccounts.Expired.ClientID, Secret: srv.ServiceAccounts.Expired.ClientSecret},
		{Label: "Multi-tenant service account (3 organisations)", ClientID: srv.ServiceAccounts.MultiTenant.ClientID, Secret: srv.ServiceAccounts.MultiTenant.ClientSecret},
	}}
}
