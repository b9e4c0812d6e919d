"""`python -m routinepress`, and the `routinepress` console script."""

import os
import sys


def run() -> None:
    from .coldstart import quick_build

    code = quick_build(sys.argv[1:])
    if code is None:
        from . import cli

        try:
            cli.main()
        except SystemExit as exc:
            if exc.code in (0, None) and cli.built_everything:
                _leave_now()
            raise
    elif code == 0:
        _leave_now()
    sys.exit(code)


def _leave_now() -> None:
    """End a successful build without the interpreter's teardown (freeing every module and
    object one by one, some 20 ms after a build). Its files are already written, closed and
    renamed into place; the only thing left to do is to flush what it printed."""
    try:
        sys.stdout.flush()
        sys.stderr.flush()
    except (OSError, ValueError):
        return  # a closed or broken pipe: leave the usual way, which reports it
    os._exit(0)


if __name__ == "__main__":
    run()
