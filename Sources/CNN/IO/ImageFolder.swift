import Foundation

/// A folder of labelled images as torchvision's `ImageFolder` reads it: `dir/<class>/<image>` with the classes
/// sorted by name and numbered from 0, the images of each class sorted by name, PNG and JPEG files only.
/// Every image becomes RGB (grey repeated, alpha dropped, as torchvision's loader converts to RGB).
public enum ImageFolder {
    public static let extensions: Set<String> = ["png", "jpg", "jpeg"]

    /// The classes and, for each image file, its path and class index.
    public static func scan(_ dir: String) throws -> (classes: [String], files: [(String, Int)]) {
        let fm = FileManager.default
        var isDir: ObjCBool = false
        guard fm.fileExists(atPath: dir, isDirectory: &isDir), isDir.boolValue else {
            throw CNNError.io("\(dir) is not a folder")
        }
        let classes = try fm.contentsOfDirectory(atPath: dir).filter { c in
            var sub: ObjCBool = false
            return !c.hasPrefix(".")
                && fm.fileExists(atPath: (dir as NSString).appendingPathComponent(c), isDirectory: &sub)
                && sub.boolValue
        }.sorted()
        guard !classes.isEmpty else { throw CNNError.io("\(dir) has no class folders (expected dir/<class>/<image>)") }
        var files: [(String, Int)] = []
        for (i, c) in classes.enumerated() {
            let cdir = (dir as NSString).appendingPathComponent(c)
            let names = try fm.contentsOfDirectory(atPath: cdir).filter {
                extensions.contains(($0 as NSString).pathExtension.lowercased())
            }.sorted()
            files += names.map { ((cdir as NSString).appendingPathComponent($0), i) }
        }
        guard !files.isEmpty else { throw CNNError.io("\(dir) has no .png, .jpg or .jpeg files in its class folders") }
        return (classes, files)
    }

    /// Loads every image into one N×3×H×W batch; `progress(done, total)` is called as images are read. With
    /// `size: [n]` each image's shorter side is resized to n and the middle n×n kept (torchvision's
    /// `Resize(n)` then `CenterCrop(n)`); with `[h, w]` each is resized to exactly h×w (`Resize((h, w))`).
    public static func load(
        _ dir: String, size: [Int]?, progress: ((Int, Int) throws -> Void)? = nil
    ) throws -> (images: Tensor, labels: Tensor, classes: [String]) {
        let (classes, files) = try scan(dir)
        var images: [Tensor] = []
        for (k, (path, _)) in files.enumerated() {
            try Cancellation.check()
            var img = try rgb(try ImageFile.read(path), name: path)
            if let size {
                img = try ImageResize.resize(img, size: size)
                if size.count == 1 { img = try ImageResize.centerCrop(img, size: [size[0], size[0]]) }
            }
            if let first = images.first, first.shape != img.shape {
                throw CNNError.shape(
                    "\(path) is \(shapeString(img.shape)) but \(files[0].0) is \(shapeString(first.shape)); "
                        + "give image_folder a size: to resize them all")
            }
            images.append(img)
            try progress?(k + 1, files.count)
        }
        let batch = try Tensor.concat(try images.map { try $0.unsqueezed(0) }, dim: 0)
        let labels = try Tensor(shape: [files.count], dtype: .int64, zeroed: false)
        for (i, f) in files.enumerated() { labels.data(Int64.self)[i] = Int64(f.1) }
        return (batch, labels, classes)
    }

    /// Grey becomes three equal channels; alpha is dropped.
    static func rgb(_ t: Tensor, name: String) throws -> Tensor {
        switch t.shape[0] {
        case 3: return t
        case 4: return try t.index([.slice(start: 0, stop: 3, step: nil)]).contiguous()
        case 1, 2:
            let g = try t.index([.slice(start: 0, stop: 1, step: nil)])
            return try Tensor.concat([g, g, g], dim: 0)
        default: throw CNNError.shape("\(name): an image with \(t.shape[0]) channels")
        }
    }
}
