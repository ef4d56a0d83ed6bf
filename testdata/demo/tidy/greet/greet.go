// Package greet is the local module tidy/go.mod replaces.
package greet

// Hello says hello.
func Hello() string { return "hello" }
