package main

import "example.com/demo/greet"

func main() { println(greet.Hello()) }
