"""reflectcoach: a conversational reflection coach for mentoring, in the terminal."""

__version__ = "0.1.0"
