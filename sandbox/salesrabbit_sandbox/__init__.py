"""A local SalesRabbit-compatible HTTP server for tests and demos.

Start one in-process with :class:`Sandbox`, or as a separate process with the
``salesrabbit-sandbox serve`` command and drive it with :class:`SandboxClient`.
"""

from salesrabbit_sandbox.app import SandboxApp, SandboxConfig
from salesrabbit_sandbox.badvalues import KINDS, BadKind, BadValue
from salesrabbit_sandbox.client import SandboxClient
from salesrabbit_sandbox.data import bad_value_catalog
from salesrabbit_sandbox.server import Sandbox

__all__ = [
    "KINDS",
    "BadKind",
    "BadValue",
    "Sandbox",
    "SandboxApp",
    "SandboxClient",
    "SandboxConfig",
    "bad_value_catalog",
]
