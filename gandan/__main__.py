from gandan.cli import main

main()
