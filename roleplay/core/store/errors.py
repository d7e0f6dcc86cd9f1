"""The store's one error: it cannot be opened or refuses an operation (the message says what to do)."""


class StoreError(Exception):
    """The store cannot be opened or refuses an operation; the message says what to do."""
