package store

import (
	"sync"
)

// Memory is an in-memory Keyring for tests and the demo: a map behind a mutex, plus failure
// injection so tests can make any call fail, block or return altered data. It is never used
// for a real key outside the demo (there is no plaintext fallback).
type Memory struct {
	mu      sync.Mutex
	items   map[memoryKey]string
	calls   map[Op]int
	inject  func(Call) error
	mangle  func(string) string
	blocked map[Op]chan struct{}
}

type memoryKey struct{ service, user string }

// Op names a keyring operation for failure injection and call counts.
type Op string

const (
	OpGet    Op = "get"
	OpSet    Op = "set"
	OpDelete Op = "delete"
)

// Call describes one keyring call to an injection function. It deliberately has no secret.
type Call struct {
	Op      Op
	Service string
	User    string
	N       int // 1 for the first call of this Op on this Memory, 2 for the second, …
}

// NewMemory returns an in-memory, mutex-guarded Keyring for tests and the demo. Its concrete
// type is *Memory, for tests that inject failures.
func NewMemory() Keyring { return newMemory() }

func newMemory() *Memory {
	return &Memory{items: map[memoryKey]string{}, calls: map[Op]int{}, blocked: map[Op]chan struct{}{}}
}

// Inject makes every call consult f first: a non-nil result is returned instead of performing
// the call. nil removes the injection.
func (m *Memory) Inject(f func(Call) error) {
	m.mu.Lock()
	defer m.mu.Unlock()
	m.inject = f
}

// FailNth makes the nth call (counting from 1, from now on) of op fail with err.
func (m *Memory) FailNth(op Op, n int, err error) {
	m.mu.Lock()
	start := m.calls[op]
	m.mu.Unlock()
	m.Inject(func(c Call) error {
		if c.Op == op && c.N == start+n {
			return err
		}
		return nil
	})
}

// Mangle makes Set store f(secret) instead of secret: a keyring that silently corrupts data,
// for the read-back check. nil restores honest storage.
func (m *Memory) Mangle(f func(string) string) {
	m.mu.Lock()
	defer m.mu.Unlock()
	m.mangle = f
}

// Block makes every call of op wait until release is called: a wedged keyring, for deadline
// tests. Blocked calls then proceed normally.
func (m *Memory) Block(op Op) (release func()) {
	ch := make(chan struct{})
	m.mu.Lock()
	m.blocked[op] = ch
	m.mu.Unlock()
	var once sync.Once
	return func() {
		once.Do(func() {
			m.mu.Lock()
			if m.blocked[op] == ch {
				delete(m.blocked, op)
			}
			m.mu.Unlock()
			close(ch)
		})
	}
}

// Calls counts the calls of op made so far (including failed ones).
func (m *Memory) Calls(op Op) int {
	m.mu.Lock()
	defer m.mu.Unlock()
	return m.calls[op]
}

// Has reports whether an item exists, without counting as a call.
func (m *Memory) Has(service, user string) bool {
	m.mu.Lock()
	defer m.mu.Unlock()
	_, ok := m.items[memoryKey{service, user}]
	return ok
}

// Peek returns an item without counting as a call (tests compare it with Fingerprint).
func (m *Memory) Peek(service, user string) (string, bool) {
	m.mu.Lock()
	defer m.mu.Unlock()
	s, ok := m.items[memoryKey{service, user}]
	return s, ok
}

// begin counts the call, waits while op is blocked, and returns an injected error if any.
func (m *Memory) begin(op Op, service, user string) error {
	m.mu.Lock()
	m.calls[op]++
	c := Call{Op: op, Service: service, User: user, N: m.calls[op]}
	inject, blocked := m.inject, m.blocked[op]
	m.mu.Unlock()
	if blocked != nil {
		<-blocked
	}
	if inject != nil {
		return inject(c)
	}
	return nil
}

func (m *Memory) Get(service, user string) (string, error) {
	if err := m.begin(OpGet, service, user); err != nil {
		return "", err
	}
	m.mu.Lock()
	defer m.mu.Unlock()
	s, ok := m.items[memoryKey{service, user}]
	if !ok {
		return "", ErrKeyNotFound
	}
	return s, nil
}

func (m *Memory) Set(service, user, secret string) error {
	if err := m.begin(OpSet, service, user); err != nil {
		return err
	}
	m.mu.Lock()
	defer m.mu.Unlock()
	if m.mangle != nil {
		secret = m.mangle(secret)
	}
	m.items[memoryKey{service, user}] = secret
	return nil
}

func (m *Memory) Delete(service, user string) error {
	if err := m.begin(OpDelete, service, user); err != nil {
		return err
	}
	m.mu.Lock()
	defer m.mu.Unlock()
	k := memoryKey{service, user}
	if _, ok := m.items[k]; !ok {
		return ErrKeyNotFound
	}
	delete(m.items, k)
	return nil
}
