package dashboard

import (
	"io/fs"
	"testing/fstest"
	"time"
)

func placeholderFS() fs.FS {
	return fstest.MapFS{"index.html": &fstest.MapFile{Data: []byte(placeholder), Mode: 0o444, ModTime: time.Unix(0, 0)}}
}
