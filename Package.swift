// swift-tools-version:6.0
// Stride: a Jupyter kernel whose language is a small tensor DSL on a Swift CNN runtime.
// The targets below are the architecture; dependencies point one way:
//   CNN -> {CBLAS, CZlib, CPNG, CJPEG};  Render -> CNN;  StrideLang -> {CNN, Render};  JupyterKernel -> {CZeroMQ, CCrypto};
//   stride (executable) -> everything. JupyterKernel never imports StrideLang or CNN.
import Foundation
import PackageDescription

/// Stride's own targets build with warnings as errors when STRIDE_WERROR=1 (the Makefile's default, so
/// CI keeps the build warning-free); `make lab STRIDE_WERROR=0` lets a newer compiler's new warning pass.
let warningsAsErrors: [SwiftSetting] =
    ProcessInfo.processInfo.environment["STRIDE_WERROR"] == "1" ? [.unsafeFlags(["-warnings-as-errors"])] : []

/// The CPU the code is compiled for, when STRIDE_CPU names one (the Makefile sets `haswell` on a machine with
/// AVX2 and FMA): the kernels' loops then use 256-bit vectors and fused multiply-adds. Unset, the baseline
/// x86-64 (SSE2) build runs anywhere. A binary built for a CPU runs only on machines with its extensions.
let targetCPU: [SwiftSetting] =
    (ProcessInfo.processInfo.environment["STRIDE_CPU"]).flatMap { $0.isEmpty ? nil : [.unsafeFlags(["-target-cpu", $0])] }
    ?? []

/// `STRIDE_INTERNAL_CHECKS=1` (what `make test` runs the Swift tests and the fuzzer under): the interpreter's
/// unretained fast paths hold strong references, exclusivity is checked everywhere, and invariant checks run.
let internalChecks: [SwiftSetting] =
    ProcessInfo.processInfo.environment["STRIDE_INTERNAL_CHECKS"] == "1" ? [.define("STRIDE_INTERNAL_CHECKS")] : []

let strictSettings: [SwiftSetting] = [
    .enableUpcomingFeature("ExistentialAny"),
    .enableUpcomingFeature("InternalImportsByDefault"),
    .enableUpcomingFeature("MemberImportVisibility"),
] + warningsAsErrors + targetCPU + internalChecks

let package = Package(
    name: "Stride",
    platforms: [.macOS(.v15)],
    products: [
        .executable(name: "stride", targets: ["stride"]),
        .library(name: "CNN", targets: ["CNN"]),
    ],
    dependencies: [
        .package(url: "https://github.com/apple/swift-argument-parser.git", from: "1.5.0"),
    ],
    targets: [
        // MARK: C shims (no Swift API)
        .systemLibrary(name: "CBLAS", path: "Sources/CBLAS", pkgConfig: "openblas",
                       providers: [.apt(["libopenblas-dev"])]),
        // no pkgConfig: libzmq.pc pulls in krb5's `-isystem` flag, which SwiftPM rejects with a warning
        .systemLibrary(name: "CZeroMQ", path: "Sources/CZeroMQ", providers: [.apt(["libzmq3-dev"])]),
        .systemLibrary(name: "CCrypto", path: "Sources/CCrypto", providers: [.apt(["libssl-dev"])]),
        .systemLibrary(name: "CZlib", path: "Sources/CZlib", pkgConfig: "zlib",
                       providers: [.apt(["zlib1g-dev"])]),
        .systemLibrary(name: "CPNG", path: "Sources/CPNG", providers: [.apt(["libpng-dev"])]),
        .systemLibrary(name: "CJPEG", path: "Sources/CJPEG", providers: [.apt(["libjpeg-dev"])]),

        // MARK: Runtime, rendering, language
        .target(name: "CNN", dependencies: ["CBLAS", "CZlib", "CPNG", "CJPEG"], swiftSettings: strictSettings),
        .target(name: "Render", dependencies: ["CNN", "CZlib"], swiftSettings: strictSettings),
        .target(name: "StrideLang", dependencies: ["CNN", "Render"], swiftSettings: strictSettings),

        // MARK: Jupyter protocol (never imports StrideLang or CNN)
        .target(name: "JupyterKernel",
                dependencies: ["CZeroMQ", .target(name: "CCrypto", condition: .when(platforms: [.linux]))],
                swiftSettings: strictSettings),

        // MARK: The executable: the one place both worlds meet
        .executableTarget(name: "stride",
                          dependencies: ["CNN", "Render", "StrideLang", "JupyterKernel",
                                         .product(name: "ArgumentParser", package: "swift-argument-parser")],
                          swiftSettings: strictSettings),

        // MARK: Tests: each mirrors its module's folders; doubles and assertions live in the support target
        .target(
            name: "StrideTestSupport", dependencies: ["CNN", "Render", "StrideLang", "JupyterKernel", "CZlib"],
            path: "Tests/StrideTestSupport", swiftSettings: strictSettings),
        .testTarget(name: "CNNTests", dependencies: ["CNN", "StrideTestSupport"], swiftSettings: strictSettings),
        .testTarget(
            name: "RenderTests", dependencies: ["Render", "CNN", "CZlib", "StrideTestSupport"],
            swiftSettings: strictSettings),
        .testTarget(
            name: "StrideLangTests", dependencies: ["StrideLang", "CNN", "Render", "StrideTestSupport"],
            resources: [.copy("Scripts")], swiftSettings: strictSettings),
        .testTarget(
            name: "JupyterKernelTests", dependencies: ["JupyterKernel", "StrideTestSupport"],
            swiftSettings: strictSettings),
        .testTarget(
            name: "StrideTests",
            dependencies: [
                "stride", "StrideLang", "JupyterKernel", "CNN", "StrideTestSupport",
                .product(name: "ArgumentParser", package: "swift-argument-parser"),
            ],
            swiftSettings: strictSettings),
    ],
    swiftLanguageModes: [.v6]
)
