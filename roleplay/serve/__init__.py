"""`roleplay serve`: the Textual trainer served to a training room's browsers (textual-serve) behind a login."""
