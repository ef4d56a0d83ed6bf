module example.com/demo/greet

go 1.22
