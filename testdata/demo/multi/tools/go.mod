module example.com/multi/tools

go 1.22
