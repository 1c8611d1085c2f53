// swift-tools-version:6.0
// Stride: a Jupyter kernel whose language is a small tensor DSL on a Swift CNN runtime.
// The targets below are the architecture; dependencies point one way:
//   Render -> CNN;  StrideLang -> {CNN, Render};  JupyterKernel -> {CZeroMQ, Crypto};
//   stride (executable) -> everything. JupyterKernel never imports StrideLang or CNN.
import PackageDescription

let strictSettings: [SwiftSetting] = [
    .enableUpcomingFeature("ExistentialAny"),
    .enableUpcomingFeature("InternalImportsByDefault"),
    .enableUpcomingFeature("MemberImportVisibility"),
    .unsafeFlags(["-Ounchecked"], .when(configuration: .release)),
]

let package = Package(
    name: "Stride",
    platforms: [.macOS(.v15)],
    products: [
        .executable(name: "stride", targets: ["stride"]),
        .library(name: "CNN", targets: ["CNN"]),
    ],
    dependencies: [
        .package(url: "https://github.com/apple/swift-crypto.git", from: "3.12.3"),
        .package(url: "https://github.com/apple/swift-argument-parser.git", from: "1.5.0"),
    ],
    targets: [
        // MARK: C shims (no Swift API)
        .systemLibrary(name: "CBLAS", path: "Sources/CBLAS", pkgConfig: "openblas",
                       providers: [.apt(["libopenblas-dev"])]),
        .systemLibrary(name: "CZeroMQ", path: "Sources/CZeroMQ", pkgConfig: "libzmq",
                       providers: [.apt(["libzmq3-dev"])]),
        .systemLibrary(name: "CZlib", path: "Sources/CZlib", pkgConfig: "zlib",
                       providers: [.apt(["zlib1g-dev"])]),

        // MARK: Runtime, rendering, language
        .target(name: "CNN", dependencies: ["CBLAS", "CZlib"], swiftSettings: strictSettings),
        .target(name: "Render", dependencies: ["CNN", "CZlib"], swiftSettings: strictSettings),
        .target(name: "StrideLang", dependencies: ["CNN", "Render"], swiftSettings: strictSettings),

        // MARK: Jupyter protocol (never imports StrideLang or CNN)
        .target(name: "JupyterKernel",
                dependencies: ["CZeroMQ", .product(name: "Crypto", package: "swift-crypto")],
                swiftSettings: strictSettings),

        // MARK: The executable: the one place both worlds meet
        .executableTarget(name: "stride",
                          dependencies: ["CNN", "Render", "StrideLang", "JupyterKernel",
                                         .product(name: "ArgumentParser", package: "swift-argument-parser")],
                          swiftSettings: strictSettings),

        // MARK: Tests
        .testTarget(name: "CNNTests", dependencies: ["CNN"], swiftSettings: strictSettings),
        .testTarget(name: "RenderTests", dependencies: ["Render", "CNN", "CZlib"], swiftSettings: strictSettings),
        .testTarget(name: "StrideLangTests", dependencies: ["StrideLang", "CNN", "Render"],
                    resources: [.copy("Scripts")], swiftSettings: strictSettings),
        .testTarget(name: "JupyterKernelTests", dependencies: ["JupyterKernel"], swiftSettings: strictSettings),
    ],
    swiftLanguageModes: [.v6]
)
