package main

import (
	"fmt"
	"io"
	"os"

	"go.uber.org/zap"
	"go.uber.org/zap/zapcore"
)

// newLogger returns a logger writing human-readable lines at level or above
// to the file path, or to stderr when path is empty. close flushes it and
// closes the file.
func newLogger(level, path string, stderr io.Writer) (logger *zap.Logger, close func(), err error) {
	lvl, err := zapcore.ParseLevel(level)
	if err != nil {
		return nil, nil, usageError("-log-level: %v (want debug, info, warn or error)", err)
	}
	w := zapcore.AddSync(stderr)
	closeFile := func() error { return nil }
	if path != "" {
		f, err := os.OpenFile(path, os.O_WRONLY|os.O_APPEND|os.O_CREATE, 0o644)
		if err != nil {
			return nil, nil, inputError(fmt.Errorf("-log-file: %v", err))
		}
		w, closeFile = f, f.Close
	}
	enc := zap.NewDevelopmentEncoderConfig()
	enc.EncodeTime = zapcore.ISO8601TimeEncoder
	logger = zap.New(zapcore.NewCore(zapcore.NewConsoleEncoder(enc), zapcore.Lock(w), lvl))
	return logger, func() { _ = logger.Sync(); _ = closeFile() }, nil
}
