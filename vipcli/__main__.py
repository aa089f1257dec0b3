from vipcli.cli.app import main

main()
