import CNN
import Render

/// All of the session a builtin may use, as starlark-go gives a builtin only its `*Thread`: the host's
/// output (print, display and update, pager, input, exit), the session's displays, scratch directory and
/// memory budget, calling back into user code, and cancellation. Builtins never see the interpreter.
///
/// A context is valid for the call it was made for. A value that outlives the call (a generator, a progress
/// bar) keeps `retained()` instead, which holds the session weakly.
struct CallContext {
    #if STRIDE_INTERNAL_CHECKS
        private unowned let interp: Interpreter
    #else
        private unowned(unsafe) let interp: Interpreter
    #endif
    /// The call site: where errors from calls back into user code are attributed.
    let span: Span

    init(_ interp: Interpreter, span: Span) {
        self.interp = interp
        self.span = span
    }

    // MARK: Output

    /// Writes to the cell's output (nothing while a receptive-field probe reruns a layer's code).
    func write(_ text: String, to stream: OutputStreamName = .stdout) {
        guard !FieldProbe.isRunning else { return }
        interp.host.write(text, to: stream)
    }

    /// Sends a display; with an id, the first send creates it and later sends update it in place.
    func display(_ bundle: MIMEBundle, id: String? = nil) {
        guard !FieldProbe.isRunning else { return }
        guard let id else {
            interp.host.display(bundle, id: nil, update: false)
            return
        }
        let known = !interp.resources.displayIDs.insert(id).inserted
        interp.host.display(bundle, id: id, update: known)
    }

    /// A progress bar's frame: the first creates the display, later ones update it.
    func progress(_ bundle: MIMEBundle, id: String, first: Bool, final: Bool) {
        interp.host.progress(bundle, id: id, first: first, final: final)
    }

    /// The display of this call site's progress bars in the running cell.
    func progressDisplay() -> ProgressBoard.Display {
        interp.resources.progress.display(at: "\(span.source):\(span.start)")
    }

    func clearOutput(wait: Bool) { interp.host.clearOutput(wait: wait) }
    func page(_ text: String) { interp.host.page(text) }
    func readLine(prompt: String) throws -> String { try interp.host.readLine(prompt: prompt) }
    func requestExit() { interp.host.requestExit() }

    // MARK: Session resources

    var budget: MemoryBudget { interp.resources.budget }
    func scratchDirectory() throws -> String { try interp.resources.scratchDirectory() }

    // MARK: Calling back into user code

    /// Calls any callable value with plain arguments (errors are attributed to this call).
    func call(_ callee: Value, _ args: [Value]) throws -> Value { try interp.apply(callee, args, span: span) }

    /// Runs runtime layer code that may call user layers, attributing their errors to this call site.
    func callingLayers<T>(_ body: () throws -> T) throws -> T { try interp.callingLayer(span, body) }

    /// A layer, or a function or closure wrapped as one (a `Sequential` stage).
    func layer(from v: Value, _ s: Span, _ what: String) throws -> any Layer { try interp.layerValue(v, s, what) }

    // MARK: Cancellation

    /// Throws `Interrupted` when the user has interrupted the cell.
    func checkCancelled() throws { try interp.checkInterrupt(span) }

    /// A handle that outlives the call: it holds the session weakly.
    func retained() -> RetainedContext { RetainedContext(interp, span: span) }
}

/// A call context kept past its call (by a generator or a progress bar): it does nothing once the session
/// that made it has ended.
final class RetainedContext {
    private weak var interp: Interpreter?
    let span: Span

    fileprivate init(_ interp: Interpreter, span: Span) {
        self.interp = interp
        self.span = span
    }

    /// The context, while the session lives.
    var context: CallContext? { interp.map { CallContext($0, span: span) } }
}
