"""Domain errors: raised by services with a message a user can act on."""

from __future__ import annotations


class DomainError(Exception):
    """A rule of the domain refused an operation. `message` is shown to the user as is.

    `field` optionally names the form field the message belongs to; `status` is the HTTP
    status the API answers with (400 for bad input, 409 for a conflict with stored state).
    """

    status = 400

    def __init__(self, message: str, *, field: str | None = None, code: str = "invalid") -> None:
        super().__init__(message)
        self.message = message
        self.field = field
        self.code = code


class ConflictError(DomainError):
    """The operation conflicts with what is already stored (e.g. a duplicate)."""

    status = 409


class PermissionDeniedError(DomainError):
    """The actor's role does not allow the operation."""

    status = 403
