"""A grader killed with -9 leaves its kernel template's socket folder in /tmp; the next template start
removes it, and nothing else."""
from __future__ import annotations

import os
import subprocess
import sys

from course.instructor.grading.run.sandbox import remove_abandoned_template_folders


def _dead_pid() -> int:
    process = subprocess.Popen([sys.executable, "-c", "pass"])
    process.wait()
    return process.pid


def test_only_folders_of_dead_graders_that_this_account_owns_alone_are_removed(tmp_path):
    """Of seven look-alikes, is only the 0700 folder of a dead process owned by this account removed?"""
    dead, alive = _dead_pid(), os.getpid()
    folder = lambda name, mode=0o700: (tmp_path / name).mkdir(mode=mode) or tmp_path / name
    abandoned = folder(f"descent-template-{dead}-abc")
    (abandoned / "template.sock").write_text("")
    kept = [
        folder(f"descent-template-{alive}-abc"),                  # its grader still runs
        folder("descent-template-abc"),                           # no pid in its name
        folder(f"descent-template-{dead}-open", mode=0o755),      # others could have written in it
        folder(f"other-{dead}-abc"),                              # not a template's
    ]
    target = folder("target")
    (tmp_path / f"descent-template-{dead}-link").symlink_to(target)  # a link: never followed
    if os.geteuid() == 0:
        theirs = folder(f"descent-template-{dead}-theirs")
        os.chown(theirs, 65534, 65534)                            # another account's
        kept.append(theirs)
    assert remove_abandoned_template_folders(str(tmp_path)) == [str(abandoned)]
    assert not abandoned.exists()
    assert all(k.is_dir() for k in kept) and target.is_dir()
    assert (tmp_path / f"descent-template-{dead}-link").is_symlink()

