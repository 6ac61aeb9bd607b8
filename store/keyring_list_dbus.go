//go:build (dragonfly && cgo) || (freebsd && cgo) || linux || netbsd || openbsd

package store

import (
	ss "github.com/zalando/go-keyring/secret_service"
)

// List asks the Secret Service for the items go-keyring wrote under service (it writes the
// attributes "service" and "username") and returns their usernames: the same search go-keyring's
// own DeleteAll makes, reading each item's Attributes property. Secrets are never read.
func (osKeyring) List(service string) ([]string, error) {
	svc, err := ss.NewSecretService()
	if err != nil {
		return nil, classify("list", "", err)
	}
	collection := svc.GetLoginCollection()
	if err := svc.Unlock(collection.Path()); err != nil {
		return nil, classify("list", "", err)
	}
	items, err := svc.SearchItems(collection, map[string]string{"service": service})
	if err != nil {
		return nil, classify("list", "", err)
	}
	var names []string
	for _, item := range items {
		v, err := svc.Object("org.freedesktop.secrets", item).GetProperty("org.freedesktop.Secret.Item.Attributes")
		if err != nil {
			return nil, classify("list", "", err)
		}
		if attrs, ok := v.Value().(map[string]string); ok && attrs["username"] != "" {
			names = append(names, attrs["username"])
		}
	}
	return names, nil
}
