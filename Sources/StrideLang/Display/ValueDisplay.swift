import CNN
import Render

/// A cell result as a MIME bundle: `text/plain` always, plus HTML for tensors, models and
/// summaries. Scalars stay bare numbers (`0.5`) so graders can read them.
enum ValueDisplay {
    static func bundle(_ v: Value) throws -> MIMEBundle {
        switch v {
        case .tensor(let t):
            return MIMEBundle(data: ["text/plain": v.repr, "text/html": try TensorHTML.render(t)])
        case .layer(let l):
            let s = try ModelSummary(model: l, input: nil)
            return MIMEBundle(data: ["text/plain": l.treeDescription, "text/html": s.html])
        case .rich(let r):
            return MIMEBundle(data: r.bundle)
        default:
            return MIMEBundle.text(v.repr)
        }
    }
}
