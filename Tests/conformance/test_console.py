"""`jupyter console --kernel stride` works: drive it through a pseudo-terminal with pexpect."""
import os, sys
import pexpect
from conftest import KERNEL_NAME

JUPYTER = os.path.join(os.path.dirname(sys.executable), "jupyter")


def test_console_round_trip():
    child = pexpect.spawn(JUPYTER, ["console", "--kernel", KERNEL_NAME, "--simple-prompt"], encoding="utf-8", timeout=60,
                          env={**os.environ, "TERM": "dumb"})
    try:
        child.expect(r"In \[1\]: ")
        child.sendline("let x = zeros(2, 3)")
        child.expect(r"In \[2\]: ")
        child.sendline("x.shape")
        child.expect(r"\[2, 3\]")
        child.expect(r"In \[3\]: ")
        child.sendline('print("hello from stride")')
        child.expect("hello from stride")
        child.expect(r"In \[4\]: ")
        child.sendline("undefined_thing")
        child.expect("NameError")
        child.expect(r"In \[\d+\]: ")
        child.sendeof()
        if child.expect([pexpect.EOF, r"exit"]) == 1:
            child.sendline("y")
            child.expect(pexpect.EOF)
    finally:
        child.close(force=True)


def test_exit_and_quit_end_the_console():
    for word in ["exit", "quit"]:
        child = pexpect.spawn(JUPYTER, ["console", "--kernel", KERNEL_NAME, "--simple-prompt"], encoding="utf-8",
                              timeout=60, env={**os.environ, "TERM": "dumb"})
        try:
            child.expect(r"In \[1\]: ")
            child.sendline("1 + 1")
            child.expect(r"In \[2\]: ")
            child.sendline(word)
            child.expect(pexpect.EOF, timeout=30)  # no confirmation asked, as IPython's exit
        finally:
            child.close(force=True)
