"""innova-reports: the monthly reporting pipeline of an innovation programme."""

__version__ = "0.1.0"
