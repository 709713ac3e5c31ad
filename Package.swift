// swift-tools-version:6.0
import PackageDescription

/// One settings list for every Swift target: Swift 6 language mode is the package default, and
/// optimised builds get whole-module optimisation for the numerical code.
let swiftSettings: [SwiftSetting] = [
    .unsafeFlags(["-wmo"], .when(configuration: .release))
]

/// A Debian C library wrapped as a system-library target with a module map and a shim header.
func systemLibrary(_ name: String, _ package: String) -> Target {
    .systemLibrary(name: name, path: "Shared/\(name)", providers: [.apt([package])])
}

let package = Package(
    name: "imgrec",
    platforms: [.macOS(.v14)],
    products: [
        .executable(name: "imgrec", targets: ["imgrec"]),
        .executable(name: "sampler", targets: ["sampler"]),
        .executable(name: "captioner", targets: ["captioner"]),
        .executable(name: "recommender", targets: ["recommender"]),
    ],
    targets: [
        systemLibrary("CCurl", "libcurl4-openssl-dev"),
        systemLibrary("CMicroHTTPD", "libmicrohttpd-dev"),
        systemLibrary("CSQLite", "libsqlite3-dev"),
        systemLibrary("CJPEG", "libjpeg62-turbo-dev"),
        systemLibrary("CPNG", "libpng-dev"),
        systemLibrary("CWebP", "libwebp-dev"),
        systemLibrary("COpenBLAS", "libopenblas-dev"),
        systemLibrary("CCrypto", "libssl-dev"),
        systemLibrary("CZlib", "zlib1g-dev"),

        // Shared building blocks.
        .target(
            name: "Shared",
            dependencies: ["CCurl", "CMicroHTTPD", "CSQLite", "CCrypto"],
            path: "Shared/Shared",
            swiftSettings: swiftSettings
        ),
        .target(
            name: "Imaging",
            dependencies: ["Shared", "CJPEG", "CPNG", "CWebP", "CZlib"],
            path: "Shared/Imaging",
            swiftSettings: swiftSettings
        ),
        .target(name: "CKernels", path: "Shared/CKernels"),
        .target(
            name: "Tensors",
            dependencies: ["Shared", "COpenBLAS", "CKernels"],
            path: "Shared/Tensors",
            swiftSettings: swiftSettings
        ),

        // Services: each a thin executable over a library that the tests import.
        .target(
            name: "SamplerService",
            dependencies: ["Shared", "Imaging"],
            path: "Services/Sampler/Library",
            swiftSettings: swiftSettings
        ),
        .executableTarget(
            name: "sampler",
            dependencies: ["SamplerService"],
            path: "Services/Sampler/Main",
            swiftSettings: swiftSettings
        ),
        .target(
            name: "VitGPT2",
            dependencies: ["Shared", "Imaging", "Tensors", "CKernels"],
            path: "Services/Captioner/VitGPT2",
            swiftSettings: swiftSettings
        ),
        .executableTarget(
            name: "vitgpt2-bench",
            dependencies: ["VitGPT2"],
            path: "Services/Captioner/VitGPT2Bench",
            swiftSettings: swiftSettings
        ),
        .target(
            name: "CaptionerService",
            dependencies: ["Shared", "Imaging", "VitGPT2"],
            path: "Services/Captioner/Library",
            swiftSettings: swiftSettings
        ),
        .executableTarget(
            name: "captioner",
            dependencies: ["CaptionerService"],
            path: "Services/Captioner/Main",
            swiftSettings: swiftSettings
        ),
        .target(
            name: "TextEmbedding",
            dependencies: ["Shared", "Tensors"],
            path: "Services/Recommender/TextEmbedding",
            swiftSettings: swiftSettings
        ),
        .executableTarget(
            name: "textembed-bench",
            dependencies: ["TextEmbedding"],
            path: "Services/Recommender/TextEmbeddingBench",
            swiftSettings: swiftSettings
        ),
        .target(
            name: "RecommenderService",
            dependencies: ["Shared", "TextEmbedding"],
            path: "Services/Recommender/Library",
            swiftSettings: swiftSettings
        ),
        .executableTarget(
            name: "recommender",
            dependencies: ["RecommenderService"],
            path: "Services/Recommender/Main",
            swiftSettings: swiftSettings
        ),
        .executableTarget(
            name: "recommender-bench",
            dependencies: ["RecommenderService"],
            path: "Services/Recommender/Bench",
            swiftSettings: swiftSettings
        ),
        .target(
            name: "ImgrecCommands",
            dependencies: ["Shared", "SamplerService", "CaptionerService", "RecommenderService"],
            path: "Services/CLI/Library",
            swiftSettings: swiftSettings
        ),
        .executableTarget(
            name: "imgrec",
            dependencies: ["ImgrecCommands"],
            path: "Services/CLI/Main",
            swiftSettings: swiftSettings
        ),

        // Tests.
        .testTarget(name: "SharedTests", dependencies: ["Shared"], path: "Tests/SharedTests"),
        .testTarget(name: "ImagingTests", dependencies: ["Imaging"], path: "Tests/ImagingTests"),
        .testTarget(name: "SamplerTests", dependencies: ["SamplerService"], path: "Tests/SamplerTests"),
        .testTarget(name: "VitGPT2Tests", dependencies: ["VitGPT2"], path: "Tests/VitGPT2Tests"),
        .testTarget(name: "CaptionerTests", dependencies: ["CaptionerService"], path: "Tests/CaptionerTests"),
        .testTarget(name: "TextEmbeddingTests", dependencies: ["TextEmbedding"], path: "Tests/TextEmbeddingTests"),
        .testTarget(name: "RecommenderTests", dependencies: ["RecommenderService"], path: "Tests/RecommenderTests"),
        .testTarget(
            name: "EndToEndTests",
            dependencies: ["ImgrecCommands"],
            path: "Tests/EndToEndTests"
        ),
    ]
)
