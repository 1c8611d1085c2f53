import Testing
import Foundation
@testable import StrideLang
@testable import StrideTestSupport
import CNN
import Render

@Suite struct BuiltinTableTests {
    let h = Harness()

    @Test func everyBuiltinHasDocumentationAndAnExample() {
        for b in Builtins.all {
            #expect(!b.summary.isEmpty && !b.example.isEmpty, "\(b.name)")
            #expect(
                b.isFunction ? b.signature.hasPrefix(b.name + "(") : b.signature.contains("." + b.name),
                "\(b.signature)")
        }
        #expect(Builtins.table["conv2d"]?.labels == ["stride", "padding", "dilation", "groups"])
    }

    @Test func everyContractNameIsBound() {
        let contract = [
            "print", "eprint", "clear_output", "help", "type", "Int", "Float", "String", "abs", "min", "max", "round",
            "sqrt", "exp", "log",
            "clock", "input", "tensor", "zeros", "ones", "full", "randn", "rand", "arange", "linspace", "eye", "seed",
            "allclose", "rel_error",
            "load", "save", "backward", "zero_grad", "grad", "gradcheck", "conv2d", "max_pool2d", "avg_pool2d",
            "linear", "relu", "sigmoid",
            "tanh", "leaky_relu", "elu", "swish", "prelu", "softmax", "log_softmax", "dropout", "batch_norm",
            "local_response_norm", "flatten",
            "im2col", "cross_entropy", "hinge_loss", "mse_loss", "Conv2d", "MaxPool2d", "AvgPool2d", "GlobalAvgPool",
            "Linear", "ReLU", "Sigmoid",
            "Tanh", "LeakyReLU", "ELU", "Swish", "PReLU", "Maxout", "Softmax", "Dropout", "BatchNorm2d",
            "LocalResponseNorm", "Flatten",
            "Sequential", "Residual", "Concat", "SqueezeExcite", "paramcount", "out_size", "SGD", "Adam",
            "kaiming_normal", "xavier_uniform",
            "accuracy", "batches", "shapes", "mnist", "load_into", "show", "summary", "plot", "progress", "assert",
            "map",
        ]
        for n in contract { #expect(Builtins.table[n] != nil, "\(n) is not a builtin") }
    }

    @Test(arguments: [
        ("zeros(2, 3).shape", "[2, 3]"), ("zeros([2, 3]).shape", "[2, 3]"), ("full([2], 7).tolist()", "[7.0, 7.0]"),
        ("arange(0, 10, step: 3).tolist()", "[0, 3, 6, 9]"), ("arange(0.0, 1, step: 0.5).tolist()", "[0.0, 0.5]"),
        ("linspace(0, 1, 3).tolist()", "[0.0, 0.5, 1.0]"),
        ("eye(2).tolist()", "[[1.0, 0.0], [0.0, 1.0]]"), ("tensor([1.5], dtype: \"float64\").dtype", "\"float64\""),
        ("abs(-3)", "3"), ("min(3, 1, 2)", "1"), ("max([3, 9, 2])", "9"), ("round(3.14159, digits: 2)", "3.14"),
        ("Int(3.9)", "3"),
        ("Float(7) / 2", "3.5"), ("String(2.5)", "\"2.5\""), ("type(ReLU())", "\"ReLU\""), ("sqrt(16.0)", "4.0"),
        ("leaky_relu(tensor([-10.0]), slope: 0.1).tolist()", "[-1.0]"),
        ("elu(tensor([0.0]), alpha: 2).tolist()", "[0.0]"),
        ("softmax(tensor([[0.0, 0.0]]), dim: 1).tolist()", "[[0.5, 0.5]]"),
        ("max_pool2d(arange(16).reshape(1, 1, 4, 4), 2, stride: 2).tolist()", "[[[[5.0, 7.0], [13.0, 15.0]]]]"),
        ("avg_pool2d(ones(1, 1, 4, 4), 2).shape", "[1, 1, 2, 2]"),
        ("im2col(ones(1, 2, 5, 5), kernel: 3, stride: 2, padding: 1).shape", "[18, 9]"),
        ("round(hinge_loss(tensor([[3.2, 5.1, -1.7]]), tensor([0]), margin: 1).item(), digits: 4)", "2.9"),
        ("allclose(tensor([1.0]), tensor([1.0000001]), rtol: 1e-5, atol: 1e-6)", "true"),
        ("rel_error(tensor([1.0]), tensor([1.0]))", "0.0"),
        ("Linear(4, 2, bias: false).parameters.count", "1"),
        ("paramcount(Sequential(Conv2d(3, 8, kernel: 3, groups: 1), BatchNorm2d(8)))", "240"),
        ("flatten(zeros(2, 3, 4)).shape", "[24]"), ("flatten(zeros(2, 3, 4), start: 1).shape", "[2, 12]"),
        ("concat([zeros(1, 2), ones(1, 2)], dim: 0).shape", "[2, 2]"),
        ("dropout(ones(4), p: 0.5, training: false).tolist()", "[1.0, 1.0, 1.0, 1.0]"),
    ])
    func builtinWithLabels(_ c: (String, String)) {
        #expect(h.value(c.0) == c.1, "\(c.0)")
    }

    @Test func unknownLabelsAreTypeErrors() {
        let e = h.error("zeros(2, colour: 3)")
        #expect(e?.kind == .type && e?.message.contains("colour:") == true)
        #expect(h.error("conv2d(1)")?.kind == .type)
    }

    @Test func helpIsAPagerPayload() {
        h.run("help(conv2d)")
        guard case .page(let text) = h.host.events.last else { Issue.record("no page"); return }
        #expect(text.hasPrefix("conv2d(x, w, b, stride: 1"))
        h.run("// Doubles a number.\nfunc twice(x) { return 2 * x }\nhelp(twice)")
        guard case .page(let t2) = h.host.events.last else { Issue.record("no page"); return }
        #expect(t2.contains("Doubles a number."))
    }

    @Test func displaysGoThroughTheHost() {
        h.run("show(randn(3, 8, 8))")
        #expect(h.host.displays.last?.0.data["image/png"] != nil)
        h.run("plot([1, 2, 3], [3, 2, 1], labels: [\"a\", \"b\"], id: \"p\")\nplot([1, 2], id: \"p\")")
        let d = h.host.displays.suffix(2)
        #expect(d.first?.2 == false && d.last?.2 == true && d.first?.1 == "p")
        #expect(
            h.value("summary(Sequential(Conv2d(3, 10, kernel: 5, padding: 2)), input: [1, 3, 32, 32])")?.contains("760")
                == true)
        h.run("let m = Sequential(Conv2d(1, 2, kernel: 3), ReLU())\nshow(m, randn(1, 1, 6, 6))")
        #expect(h.host.displays.last?.0.data["text/html"]?.contains("Conv2d") == true)
        h.run("var c = 0\nfor i in progress(0..<5) { c += i }")
        #expect(h.value("c") == "10")
    }

    @Test func exitAndQuitAskTheHostToEnd() {
        let h = Harness()
        h.run("exit")
        #expect(h.host.events.last == .exit)
        h.run("1 + 1")
        h.run("quit()")
        #expect(h.host.events.filter { $0 == .exit }.count == 2)
        #expect(h.value("let exit = 3\nexit") == "3")  // a binding of the user's own is not the builtin
        #expect(h.value("exit") == "3")
        #expect(h.host.events.filter { $0 == .exit }.count == 2)
    }

    @Test func inputThroughTheHost() {
        let h2 = Harness()
        h2.host.inputs = ["Ada"]
        #expect(h2.value("input(\"name? \")") == "\"Ada\"")
        #expect(h2.error("input(\"again? \")")?.kind == .stdin)
    }

    @Test func argumentsAreReadAsTheTypesTheirSignatureShows() {
        // the type in the message is the one `help` shows for the parameter
        let pair = h.error("Conv2d(3, 4, kernel: \"3\")")
        #expect(pair?.kind == .type)
        #expect(pair?.message.contains("argument 'kernel' must be an Int or a pair of Ints") == true)
        #expect(Builtins.table["Conv2d"]?.helpText.contains("kernel:") == true)
        let int = h.error("Linear(2.5, 3)")
        #expect(int?.kind == .type && int?.message.contains("argument 'nin' must be an Int") == true)
        let choice = h.error("show(randn(2, 2), cmap: \"jet\")")
        #expect(choice?.kind == .value)
        #expect(choice?.message.contains("\"viridis\", \"grey\", \"diverging\"") == true)
        #expect(Builtins.table["show"]?.helpText.contains("cmap: \"viridis\" | \"grey\" | \"diverging\"") == true)
        // a Float parameter's default is shown as a Float, as it is read
        #expect(Builtins.table["elu"]?.signature == "elu(x, alpha: 1.0)")
    }

    @Test func settablePropertiesComeFromTheTable() {
        h.run("let t = zeros(2)\nlet o = SGD(Linear(2, 2), lr: 0.1)\nlet d = Dropout(0.5)")
        h.run("t.requires_grad = true\no.lr = 0.5\nd.training = false")
        #expect(h.value("t.requires_grad") == "true")
        #expect(h.value("o.lr") == "0.5")
        #expect(h.value("d.training") == "false")
        let e = h.error("t.shape = [1, 2]")
        #expect(e?.kind == .type && e?.message.contains("(settable: grad, requires_grad)") == true)
        #expect(Builtins.entry(.tensor, "requires_grad")?.helpText.contains("(settable)") == true)
        #expect(Builtins.entry(.tensor, "shape")?.helpText.contains("(settable)") == false)
    }

    @Test func everyReceiverKindFindsItsMembers() {
        // one mapping from values to the table's members, for calls, completion and inspection alike
        let values: [(String, Receiver)] = [
            ("zeros(2)", .tensor), ("ReLU()", .layer), ("[1]", .list), ("(1, 2)", .tuple), ("[\"a\": 1]", .dict),
            ("\"s\"", .string), ("0..<3", .range), ("SGD(Linear(1, 1), lr: 0.1)", .optimizer),
        ]
        for (code, r) in values {
            h.run("let probe = \(code)")
            let names = h.session.complete("probe.", cursor: 6).matches
            for name in Builtins.memberNames(r) { #expect(names.contains(name), "\(code) lacks .\(name)") }
            h.run("%reset")
        }
    }
}
