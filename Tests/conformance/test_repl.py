"""`stride repl`: multi-line input driven by is_complete, results and errors printed as the kernel's text."""
import pexpect
from conftest import STRIDE_BIN


def test_repl_multiline_and_errors():
    child = pexpect.spawn(STRIDE_BIN, ["repl"], encoding="utf-8", timeout=30)
    try:
        child.expect(r"In \[1\]: ")
        child.sendline("func twice(x) {")
        child.expect(r"\.\.\.: ")
        child.sendline("return x * 2")
        child.expect(r"\.\.\.: ")
        child.sendline("}")
        child.expect(r"In \[2\]: ")
        child.sendline("twice(21)")
        child.expect("42")
        child.expect(r"In \[3\]: ")
        child.sendline("Conv2d(3, 8, kernel: 3)(zeros(1, 1, 28, 28))")
        child.expect("ShapeError")
        child.expect(r"Conv2d expected 3 input channels, got 1")
        child.expect(r"In \[4\]: ")
        child.sendline("twice(2.5)")
        child.expect("5.0")
        child.sendeof()
        child.expect(pexpect.EOF)
    finally:
        child.close(force=True)


def test_exit_and_quit_end_the_repl():
    for word in ["exit", "quit()"]:
        child = pexpect.spawn(STRIDE_BIN, ["repl"], encoding="utf-8", timeout=30)
        try:
            child.expect(r"In \[1\]: ")
            child.sendline(word)
            child.expect(pexpect.EOF)
            child.close()
            assert child.exitstatus == 0
        finally:
            child.close(force=True)
