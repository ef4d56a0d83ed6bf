module example.com/multi/server

go 1.22

require example.com/multi/api v0.0.0

replace example.com/multi/api => ../api
