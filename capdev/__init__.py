"""capdev: capacity development for public-sector migration authorities."""

__version__ = "0.1.0"
