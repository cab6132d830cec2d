from reflectcoach.cli import main

main()
