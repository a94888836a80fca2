from fission.core.base import BaseGroup

__all__ = ["BaseGroup"]
