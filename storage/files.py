"""Files that hold young people's data or the keys are readable by their owner only (0600).

They are created with that mode (os.open, so no moment exists where others could open them),
and a file found readable by others is tightened with a warning. The warning names the file,
never what is in it. `ungeguide doctor` calls the same state ("can be read by others") a fault.
"""

from __future__ import annotations

import logging
import os
import stat
from pathlib import Path

logger = logging.getLogger(__name__)

PRIVATE = 0o600
OPEN_TO_OTHERS = stat.S_IRWXG | stat.S_IRWXO


def create_private(path: Path) -> None:
    """Create `path` empty and readable by its owner only, or tighten it if it exists."""
    try:
        os.close(os.open(path, os.O_WRONLY | os.O_CREAT | os.O_EXCL, PRIVATE))
    except FileExistsError:
        tighten(path)


def tighten(path: Path) -> bool:
    """Make an existing file readable by its owner only; True if it had to change."""
    try:
        mode = path.stat().st_mode
    except FileNotFoundError:
        return False
    if not mode & OPEN_TO_OTHERS:
        return False
    path.chmod(PRIVATE)
    logger.warning("%s could be read by others; it is now readable by its owner only", path)
    return True
