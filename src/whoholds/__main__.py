from whoholds.cli import main

main()
