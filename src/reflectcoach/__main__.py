from reflectcoach.cli.start import main

main()
