package store

// Profiles lists the stored profiles (sorted by name) and the name of the default one.
func (s *Store) Profiles() (profiles []Profile, defaultName string, err error) {
	m, err := s.readMetadata()
	if err != nil {
		return nil, "", err
	}
	def := m.Default
	if def == "" && len(m.Profiles) == 1 {
		def = m.Profiles[0].Name
	}
	return append([]Profile(nil), m.Profiles...), def, nil
}

// Profile reads one profile ("" = the default). ErrNoProfile when none.
func (s *Store) Profile(name string) (Profile, error) {
	m, err := s.readMetadata()
	if err != nil {
		return Profile{}, err
	}
	return m.resolve(name)
}

// UpdateProfile rewrites a profile's metadata only (for example LastCollectedAt, VerifiedAt).
// KeyLast4 and Fingerprint describe the key actually stored, so they are kept from the file
// whatever p says: only Save and Replace change them, together with the key.
func (s *Store) UpdateProfile(p Profile) error {
	m, unlock, err := s.lockMetadata()
	if err != nil {
		return err
	}
	defer unlock()
	cur, err := m.resolve(p.Name)
	if err != nil {
		return err
	}
	p.Name, p.KeyLast4, p.Fingerprint = cur.Name, cur.KeyLast4, cur.Fingerprint
	m.put(p)
	return s.writeMetadata(m)
}

// SetDefault makes a profile the default.
func (s *Store) SetDefault(name string) error {
	if err := validProfileName(name); err != nil {
		return err
	}
	m, unlock, err := s.lockMetadata()
	if err != nil {
		return err
	}
	defer unlock()
	if _, err := m.resolve(name); err != nil {
		return err
	}
	m.Default = name
	return s.writeMetadata(m)
}
