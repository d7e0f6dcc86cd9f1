"""Widgets, one concern each: conversation, mood, objectives, feedback, reply input, panels, key bar."""
