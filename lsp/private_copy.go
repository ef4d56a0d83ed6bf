package lsp

import (
	"bytes"
	"context"
	"errors"
	"fmt"
	"io/fs"
	"os"
	"path/filepath"
	"strings"

	"go.lsp.dev/protocol"
	"go.uber.org/zap"

	"github.com/gomodls/gomodls/diagnostics"
	"github.com/gomodls/gomodls/workspace"
)

// This file keeps the editor in step with commands that rewrite a go.mod or
// go.work the user may have open (go mod tidy, go work use, go work sync).
// Had go written the file itself, the editor would hold a buffer that no
// longer matches the disk — Neovim silently, until :checktime — with no
// undo step, and diagnostics of the old content. So go writes a private
// copy (go mod tidy -modfile, go work use with GOWORK naming a copy beside
// go.work), and what it wrote reaches the file as an edit: a versioned
// workspace/applyEdit when the file is open, so that the buffer, its undo
// history and its diagnostics follow, and the disk when it is not. The
// checksum files (go.sum, go.work.sum) go straight to disk: editors rarely
// have them open, and they are go's to keep.

// A moduleFileCopy is a private copy of one go.mod or go.work, and of its
// checksum file, for go to read and write instead of them.
type moduleFileCopy struct {
	file, sum         string // the real files
	copyFile, copySum string // the copies go works on
	before            []byte // file's content when copied
	version           int32  // file's version (the buffer's, if open) when copied
	cleanup           []string
}

// newModuleFileCopy copies f (a go.mod or go.work of snap, whose buffer if
// open matches the disk: the commands refuse unsaved files) and its
// checksum file to copyFile and copyFile's checksum file, which go derives
// from it: x.mod → x.sum, x.work → x.work.sum.
func newModuleFileCopy(f *workspace.File, sum, copyFile string) (*moduleFileCopy, error) {
	c := &moduleFileCopy{file: f.Path, sum: sum, copyFile: copyFile, before: f.Content(), version: f.Version}
	if strings.HasSuffix(copyFile, ".mod") {
		c.copySum = strings.TrimSuffix(copyFile, ".mod") + ".sum"
	} else {
		c.copySum = copyFile + ".sum"
	}
	c.cleanup = []string{c.copyFile, c.copySum}
	if err := os.WriteFile(c.copyFile, c.before, 0o666); err != nil {
		c.remove()
		return nil, err
	}
	data, err := os.ReadFile(sum)
	switch {
	case err == nil:
		if err := os.WriteFile(c.copySum, data, 0o666); err != nil {
			c.remove()
			return nil, err
		}
	case !errors.Is(err, fs.ErrNotExist):
		c.remove()
		return nil, err
	}
	return c, nil
}

// remove deletes the copies.
func (c *moduleFileCopy) remove() {
	for _, p := range c.cleanup {
		_ = os.Remove(p)
	}
}

// apply brings what go wrote to the copies to the real files: the checksum
// file to disk, if go changed or created it, and the module file through
// applyModuleFileEdit. It returns what it did, for the success message.
func (s *server) applyCopy(ctx context.Context, snap *workspace.Snapshot, c *moduleFileCopy) (string, error) {
	if sum, err := os.ReadFile(c.copySum); err == nil {
		old, oldErr := os.ReadFile(c.sum)
		if oldErr != nil || !bytes.Equal(old, sum) {
			if err := writeFileAtomically(c.sum, sum); err != nil {
				return "", err
			}
			s.diskChanged([]string{c.sum})
		}
	}
	after, err := os.ReadFile(c.copyFile)
	if err != nil {
		return "", err
	}
	return s.applyModuleFileEdit(ctx, snap, c.file, c.before, c.version, after)
}

// applyModuleFileEdit turns path's content from before (at version) into
// after: as an edit the editor applies to its buffer when path is open
// there and the client can apply edits, else on disk. A buffer that
// changed since (the user typed while go ran) is not overwritten: the
// versioned edit is refused, and so is the command's result, with an error
// saying so.
func (s *server) applyModuleFileEdit(ctx context.Context, snap *workspace.Snapshot, path string, before []byte, version int32, after []byte) (string, error) {
	if bytes.Equal(before, after) {
		return "", nil
	}
	s.mu.Lock()
	uri, open := s.open[path]
	caps := s.caps
	s.mu.Unlock()
	name := filepath.Base(path)
	if !open || !caps.applyEdit {
		if err := writeFileAtomically(path, after); err != nil {
			return "", err
		}
		s.diskChanged([]string{path})
		return "", nil
	}
	f := snap.File(path)
	if f == nil || !bytes.Equal(f.Content(), before) {
		return "", fmt.Errorf("%s changed while go ran; its result is not applied", name)
	}
	edits := diagnostics.Rewrite(f, after)
	we := toWorkspaceEdit(edits, caps, func(string) protocol.DocumentURI { return uri }, func(*workspace.File) bool { return true })
	if we.DocumentChanges != nil {
		v := version
		we.DocumentChanges[0].TextDocument.Version = &v
	}
	var resp protocol.ApplyWorkspaceEditResponse
	if _, err := s.conn.Call(ctx, protocol.MethodWorkspaceApplyEdit, &protocol.ApplyWorkspaceEditParams{Label: "gomodls: " + name, Edit: *we}, &resp); err != nil {
		return "", fmt.Errorf("applying go's %s to the editor: %w", name, err)
	}
	if !resp.Applied {
		s.log.Info("client refused the edit", zap.String("path", path), zap.String("reason", resp.FailureReason))
		reason := ""
		if resp.FailureReason != "" {
			reason = " (" + resp.FailureReason + ")"
		}
		return "", fmt.Errorf("the editor did not apply go's %s%s: did it change while go ran?", name, reason)
	}
	return name + " edited in the editor: save it", nil
}

// writeFileAtomically replaces path's content with data, through a
// temporary file renamed over it, so that no reader (the editor, a
// watcher, go) sees it half written. It keeps path's permissions, and
// writes through a symbolic link.
func writeFileAtomically(path string, data []byte) error {
	if resolved, err := filepath.EvalSymlinks(path); err == nil {
		path = resolved // a linked go.mod stays a link
	}
	perm := fs.FileMode(0o666)
	if info, err := os.Stat(path); err == nil {
		perm = info.Mode().Perm()
	}
	tmp, err := os.CreateTemp(filepath.Dir(path), "."+filepath.Base(path)+".gomodls-*")
	if err != nil {
		return err
	}
	defer os.Remove(tmp.Name())
	if _, err := tmp.Write(data); err != nil {
		tmp.Close()
		return err
	}
	if err := tmp.Chmod(perm); err != nil {
		tmp.Close()
		return err
	}
	if err := tmp.Close(); err != nil {
		return err
	}
	return os.Rename(tmp.Name(), path)
}
