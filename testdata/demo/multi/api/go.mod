module example.com/multi/api

go 1.21
