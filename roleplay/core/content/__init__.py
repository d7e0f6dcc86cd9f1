"""Content files read safely: YAML with line:col marks, located problems, file discovery."""
