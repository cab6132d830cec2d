"""The one base for errors whose message is written for the person using reflectcoach.

Front ends show `str(error)` as it is; anything else that escapes is a bug.
"""


class UserError(Exception):
    """A problem the person can act on: a bad answer, script, database file or id."""
