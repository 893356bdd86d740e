"""Errors about what a user asked for; their message is shown as it is, on one line."""


class DomainError(ValueError):
    """Input or an action the rules do not allow."""


class InvalidInput(DomainError):
    """Input that is malformed; the message names the place and the problem."""

    def __init__(self, message: str, *, where: str | None = None) -> None:
        self.where = where
        super().__init__(f"{where}: {message}" if where else message)
