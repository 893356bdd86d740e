"""Errors raised by the storage layer, with messages fit for a user."""


class StorageError(Exception):
    """A database problem that is not the user's input (locked, unreachable, corrupt)."""


class NotFound(LookupError):
    """A thing named by the user does not exist (message names what and which)."""


class SchemaBehind(StorageError):
    """The database schema is older than this program; `callcenter init` upgrades it."""
