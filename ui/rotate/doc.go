// Package rotate is `jcconnect rotate` as a screen, as plain prompts (--accessible) and from
// stdin (--with-key); the rotation itself (verify, swap, confirm revocation) is connect's.
package rotate
