// git.corp.example is a company's own git server: the checksum database
// (sum.golang.org) has never heard of it, and GOPRIVATE does not cover it.
module example.com/demo/service

go 1.22

require git.corp.example/team/lib v1.2.0
