"""A conversation: the engine driving a scenario's state machine, turn results and rubric scoring."""
