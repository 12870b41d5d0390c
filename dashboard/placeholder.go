package dashboard

import (
	"embed"
	"io/fs"
)

// placeholderFiles holds the one page served when the binary was built before
// the dashboard (placeholder/index.html), embedded like dist so that production
// code needs no test helpers such as testing/fstest.
//
//go:embed placeholder/index.html
var placeholderFiles embed.FS

// placeholderFS returns the placeholder page as the root of a file system.
func placeholderFS() fs.FS {
	sub, err := fs.Sub(placeholderFiles, "placeholder")
	if err != nil {
		// fs.Sub fails only for an invalid path, and "placeholder" is valid.
		panic(err)
	}
	return sub
}
