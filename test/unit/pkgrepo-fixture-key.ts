/** A throw-away OpenPGP public key (ed25519 + cv25519 subkey) generated with gpg for the pkgrepo tests. */

/** The key as `gpg --armor --export` printed it. */
export const FIXTURE_KEY_ASC = `-----BEGIN PGP PUBLIC KEY BLOCK-----

mDMEawI+3RYJKwYBBAHaRw8BAQdA14T3S4rCzDdepn8/AXWJiS/DurkMlyNq3UuA
82upKMK0JUJyaW5lIEZpeHR1cmUgPGZpeHR1cmVAYnJpbmUuaW52YWxpZD6IkAQT
FggAOBYhBIZiuJ9U3h6AqKhtumDfqKqQot4GBQJrAj7dAhsDBQsJCAcCBhUKCQgL
AgQWAgMBAh4BAheAAAoJEGDfqKqQot4G/94A/REq85/4HorW146/FAlypSshTu8D
Qjeo4x8jgtyPYjQhAP9JxTGvV0OH9ZOwXoTTZ0D40Fza1xum7ueys8QKr+hAD7g4
BGsCPt0SCisGAQQBl1UBBQEBB0DBWpFov50lmvrH6fn7toh1cdnqu3M7PpsuYOhJ
C4vNCAMBCAeIeAQYFggAIBYhBIZiuJ9U3h6AqKhtumDfqKqQot4GBQJrAj7dAhsM
AAoJEGDfqKqQot4GS+UA/3e2MKAzxvvYSHdZWkmUtGHqaeZoMMvwU9QbxMT2xU1n
AP9+pYlwzEL4yH3xYlpBqCSkH+iO+M7HFDJHX43Dht2IDg==
=9JA2
-----END PGP PUBLIC KEY BLOCK-----
`;

/** Fingerprints of the primary key and the subkey, as `gpg --with-colons --list-keys` printed them. */
export const FIXTURE_FINGERPRINTS = ['8662B89F54DE1E80A8A86DBA60DFA8AA90A2DE06', '6B6ADB116A023BAFB49CE7988E583A1DA7B8492E'];

/** The primary key's long key id. */
export const FIXTURE_KEYID = '60DFA8AA90A2DE06';
