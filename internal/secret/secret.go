// Package secret finds the secrets of a database DSN (passwords, tokens), so that no message
// featc prints repeats one, however malformed the DSN is: drivers quote pieces of a DSN they
// cannot parse ("port: Secret" for user:Secret, "cannot parse `postgres://user:Secret`").
// It imports nothing of featc.
package secret

import (
	"net/url"
	"regexp"
	"sort"
	"strings"
)

// param matches a secret parameter of a URL query or of a key=value DSN.
var param = regexp.MustCompile(`(?i)\b(password|passcode|token|privatekey|oauthclientsecret|proxypassword|sslpassword)\s*=\s*('[^']*'|[^&\s]*)`)

// Of returns the parts of a DSN that may be secret, longest first: the password of the user
// info (after the user's colon, up to the last @, and its pieces between @s), or, in a DSN without @, whatever follows a
// colon (a port, or a password that lost its @), and the values of secret parameters; each
// also URL-unescaped.
func Of(dsn string) []string {
	var out []string
	add := func(s string) {
		s = strings.Trim(s, "'")
		if s == "" {
			return
		}
		out = append(out, s)
		if u, err := url.QueryUnescape(s); err == nil && u != s && u != "" {
			out = append(out, u)
		}
	}
	rest := dsn
	if i := strings.Index(rest, "://"); i >= 0 {
		rest = rest[i+3:]
	}
	head, _, _ := strings.Cut(rest, "?")
	if !strings.ContainsAny(head, " =") { // not the key=value form
		if at := strings.LastIndex(head, "@"); at >= 0 {
			if _, pw, ok := strings.Cut(head[:at], ":"); ok {
				add(pw)
				// A password holding @ is cut at a different @ by other parsers (pgx
				// redacts up to the first): each piece may be quoted alone.
				for _, piece := range strings.Split(pw, "@") {
					add(piece)
				}
			}
		} else {
			for _, piece := range strings.Split(head, ":")[1:] {
				if i := strings.IndexAny(piece, "/?@"); i >= 0 {
					piece = piece[:i]
				}
				add(piece)
			}
		}
	}
	for _, m := range param.FindAllStringSubmatch(dsn, -1) {
		add(m[2])
	}
	sort.Slice(out, func(i, j int) bool { return len(out[i]) > len(out[j]) })
	return out
}

// Scrub replaces every secret of the DSN in a message by xxxxx.
func Scrub(msg, dsn string) string {
	for _, s := range Of(dsn) {
		msg = strings.ReplaceAll(msg, s, "xxxxx")
	}
	return msg
}
