log --help
