"""The version of evigrade, in one place (the package, the plugin manager and the command line
read it from here)."""

__all__ = ["__version__"]

__version__ = "0.1.0"
