from ungeguide.cli import main

main()
