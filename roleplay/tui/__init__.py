"""The Textual TUI (thin layer over roleplay.core); build it with roleplay.tui.app.create_app."""
