// Package dashboard embeds the leadership dashboard's built files
// (dashboard/dist, written by `npm run build`) into the ketnap binary.
package dashboard

import (
	"embed"
	"io/fs"
)

//go:embed all:dist
var dist embed.FS

// Files returns the dashboard's files, or a one-page placeholder when the
// dashboard has not been built.
func Files() fs.FS {
	sub, err := fs.Sub(dist, "dist")
	if err != nil {
		return placeholderFS()
	}
	if _, err := fs.Stat(sub, "index.html"); err != nil {
		return placeholderFS()
	}
	return sub
}

// Built reports whether the real dashboard is embedded.
func Built() bool {
	_, err := fs.Stat(dist, "dist/index.html")
	return err == nil
}
