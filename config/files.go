package config

import (
	"errors"
	"fmt"
	"os"
	"path/filepath"
)

// WriteOnce creates the file at path holding data, unless it exists, and returns what the file
// holds: processes starting at once with the same data directory agree on one file (the first
// written), and none sees it half written.
func WriteOnce(path string, data []byte) ([]byte, error) {
	if err := os.MkdirAll(filepath.Dir(path), 0o750); err != nil {
		return nil, err
	}
	tmp, err := os.CreateTemp(filepath.Dir(path), "."+filepath.Base(path)+".*")
	if err != nil {
		return nil, err
	}
	defer os.Remove(tmp.Name())
	_, err = tmp.Write(data)
	if err = errors.Join(err, tmp.Sync(), tmp.Close()); err != nil {
		return nil, fmt.Errorf("write %s: %w", path, err)
	}
	if err := os.Link(tmp.Name(), path); err == nil {
		return data, nil
	} else if !errors.Is(err, os.ErrExist) {
		return nil, fmt.Errorf("write %s: %w", path, err)
	}
	return os.ReadFile(path)
}
