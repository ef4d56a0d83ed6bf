//go:build !unix

package main

import "os/exec"

// command is gomodls with args in the scenario's environment. Off unix
// there is no memory limit.
func (e *robustEnv) command(args ...string) *exec.Cmd {
	cmd := exec.Command(e.bins.gomodls, args...)
	cmd.Env = e.environ
	return cmd
}

func killProcess(cmd *exec.Cmd) {
	if cmd.Process != nil {
		_ = cmd.Process.Kill()
	}
}

// quitProcess would ask for a goroutine dump; off unix there is no
// SIGQUIT, and dumpAndKill only kills.
func quitProcess(*exec.Cmd) {}

// specialFileScenarios need FIFOs, devices and signals: unix only.
func specialFileScenarios() []robustScenario { return nil }
