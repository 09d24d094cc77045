// Package readfile reads whole files in fewer system calls than
// os.ReadFile where the system allows it, for the two readers that open
// thousands of files a build: the site's files (cmd/dealsite) and the
// card cache (render).
//
// os.ReadFile costs about ten calls a file on Linux: its os.File
// registers the descriptor with the poller (four fcntl and an
// epoll_ctl), and it reads until a read returns nothing. Through an
// os.Root, each folder on the way adds an open and a close. Here a file
// costs four: open (openat2, resolved beneath a folder, for Beneath),
// fstat, read, close.
//
// Each function says when it has no answer (another system, an older
// kernel, a file that is not regular or shrinks while read); the caller
// then reads the usual way, whose rules and errors stand.
package readfile
