from innova_reports.cli import main

main()
