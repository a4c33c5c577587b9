class TransitionError(Exception):
    """A workflow step that is not allowed now; the message says why (API: 409)."""


class VersionConflict(Exception):
    def __init__(self, current):
        super().__init__("the case was changed by someone else")
        self.current = current
