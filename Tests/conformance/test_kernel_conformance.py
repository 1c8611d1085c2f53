"""The public conformance suite (jupyter_kernel_test) with every optional sample filled."""
import unittest
import jupyter_kernel_test as jkt
from conftest import KERNEL_NAME


class StrideKernelTests(jkt.KernelTests):
    kernel_name = KERNEL_NAME
    language_name = "stride"
    file_extension = ".stride"

    code_hello_world = 'print("hello, world")'
    code_stderr = 'eprint("oops")'
    completion_samples = [
        {"text": "zer", "matches": {"zeros", "zeros_like", "zero_grad"}},
        {"text": "let abc = 1; let abd = 2; ab", "matches": {"abc", "abd", "abs"}},
    ]
    complete_code_samples = ["1 + 1", "let x = zeros(2, 3)", "func f(x) { return x }", "print(\"a\")"]
    incomplete_code_samples = ["func f(x) {", "let x = (1 +", "print(\"abc", "for i in 0..<3 {\n  print(i)"]
    invalid_code_samples = ["let = 5", "1 +* 2", "x = )", "let x = [1, 2)"]
    code_page_something = "help(conv2d)"
    code_generate_error = 'assert(false, "this fails")'
    code_execute_result = [
        {"code": "1 + 2", "result": "3"},
        {"code": "7 / 2", "result": "3"},
        {"code": "7.0 / 2", "result": "3.5"},
        {"code": "tensor([[1, 2], [3, 4]])", "mime": "text/html"},
        {"code": "[1, 2, 3]", "result": "[1, 2, 3]"},
    ]
    code_display_data = [
        {"code": "show(randn(3, 8, 8))", "mime": "image/png"},
        {"code": "plot([3, 2, 1.5, 1.2])", "mime": "image/svg+xml"},
    ]
    code_history_pattern = "1 + *"
    supported_history_operations = ("tail", "range", "search")
    code_inspect_sample = "conv2d"
    code_clear_output = "clear_output()"


class StrideIopubWelcomeTests(jkt.IopubWelcomeTests):
    kernel_name = KERNEL_NAME
    support_iopub_welcome = True


if __name__ == "__main__":
    unittest.main()
