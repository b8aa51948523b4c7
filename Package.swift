// swift-tools-version:6.0
import PackageDescription

// Upcoming features copied from Hummingbird's package: explicit `any`, imports that say what they expose.
let strictSettings: [SwiftSetting] = [
    .enableUpcomingFeature("ExistentialAny"),
    .enableUpcomingFeature("MemberImportVisibility"),
    .enableUpcomingFeature("InternalImportsByDefault"),
]

// The per-frame DSP and detector loops index flat arrays millions of times an hour; in release
// builds they run without overflow and exclusivity checks (bounds are kept by construction and
// exercised by the debug-built tests, which keep every check).
let hotLoopSettings: [SwiftSetting] = [
    .unsafeFlags(["-Ounchecked", "-enforce-exclusivity=unchecked"], .when(configuration: .release)),
]

let package = Package(
    name: "CallQA",
    platforms: [.macOS(.v15)],
    products: [
        .executable(name: "callqa", targets: ["callqa"]),
    ],
    dependencies: [
        .package(url: "https://github.com/apple/swift-argument-parser", from: "1.8.2"),
        .package(url: "https://github.com/groue/GRDB.swift", from: "7.10.0"),
        .package(url: "https://github.com/hummingbird-project/hummingbird", from: "2.28.1"),
        .package(url: "https://github.com/hummingbird-project/hummingbird-auth", from: "2.5.0"),
        .package(url: "https://github.com/apple/swift-log", from: "1.16.2"),
        .package(url: "https://github.com/apple/swift-nio", from: "2.101.2"),
        .package(url: "https://github.com/hummingbird-project/swift-mustache", from: "2.1.1"),
        .package(url: "https://github.com/vapor/postgres-nio", from: "1.33.2"),
        .package(url: "https://github.com/apple/swift-nio-ssl", from: "2.37.6"),
        // Tests only: the deployment manifests are parsed as Kubernetes would.
        .package(url: "https://github.com/jpsim/Yams", from: "6.2.2"),
    ],
    targets: [
        // C libraries, found through pkg-config; module maps only.
        .systemLibrary(name: "CSndFile", pkgConfig: "sndfile", providers: [.apt(["libsndfile1-dev"])]),
        .systemLibrary(name: "CFFTW", pkgConfig: "fftw3f", providers: [.apt(["libfftw3-dev"])]),

        // Pure signal processing: no file or network I/O.
        .target(name: "CallDSP", dependencies: ["CFFTW"], swiftSettings: strictSettings + hotLoopSettings),
        // Decoding recordings into per-channel float blocks.
        .target(name: "CallAudio", dependencies: ["CSndFile"], swiftSettings: strictSettings),
        // Detectors composed into a call's timeline and metrics; no I/O.
        .target(name: "CallAnalysis", dependencies: ["CallDSP"], swiftSettings: strictSettings + hotLoopSettings),
        // What a recording's sidecar, its folder's CSV and its file name say about the call.
        .target(name: "CallInputs", dependencies: ["CallAnalysis", "CallScoring"], swiftSettings: strictSettings),
        // A call's report scored against a rubric (data in Models/rubrics); no I/O.
        .target(name: "CallScoring", dependencies: ["CallAnalysis"], swiftSettings: strictSettings),
        // Where scored calls are kept: one protocol, one SQL implementation on SQLite (GRDB) or
        // on a shared PostgreSQL server (PostgresNIO).
        .target(
            name: "CallStore",
            dependencies: [
                "CallAnalysis", "CallScoring",
                .product(name: "GRDB", package: "GRDB.swift"),
                .product(name: "PostgresNIO", package: "postgres-nio"),
                .product(name: "NIOCore", package: "swift-nio"),
                .product(name: "NIOPosix", package: "swift-nio"),
                .product(name: "NIOSSL", package: "swift-nio-ssl"),
                .product(name: "Logging", package: "swift-log"),
            ],
            swiftSettings: strictSettings),
        // Pictures and pages of calls and scorecards (SVG, HTML); no I/O.
        // Templates (Mustache) and message catalogues (Chinese, English) are files in Resources/.
        .target(name: "CallViews", dependencies: ["CallAnalysis", "CallScoring", "CallStore", .product(name: "Mustache", package: "swift-mustache")],
                resources: [.copy("Resources")], swiftSettings: strictSettings),
        // The web UI: scorecards, calls and examples in a browser, with users, roles and audit.
        .target(
            name: "CallServer",
            dependencies: [
                "CallAnalysis", "CallAudio", "CallInputs", "CallScoring", "CallStore", "CallViews",
                .product(name: "Hummingbird", package: "hummingbird"),
                .product(name: "HummingbirdBcrypt", package: "hummingbird-auth"),
                .product(name: "NIOCore", package: "swift-nio"),
                .product(name: "Logging", package: "swift-log"),
            ],
            swiftSettings: strictSettings),
        // The command-line tool: the composition root.
        .executableTarget(
            name: "callqa",
            dependencies: [
                "CallAudio", "CallAnalysis", "CallDSP", "CallInputs", "CallScoring", "CallStore", "CallViews", "CallServer",
                .product(name: "ArgumentParser", package: "swift-argument-parser"),
                .product(name: "Hummingbird", package: "hummingbird"),
                .product(name: "HummingbirdTLS", package: "hummingbird"),
            ],
            swiftSettings: strictSettings),

        .testTarget(name: "CallDSPTests", dependencies: ["CallDSP"], swiftSettings: strictSettings),
        .testTarget(name: "CallAudioTests", dependencies: ["CallAudio"], swiftSettings: strictSettings),
        .testTarget(
            name: "CallAnalysisTests", dependencies: ["CallAnalysis", "CallAudio", "CallDSP"],
            swiftSettings: strictSettings),
        .testTarget(name: "CallInputsTests", dependencies: ["CallInputs", "CallAnalysis"], swiftSettings: strictSettings),
        .testTarget(
            name: "CallServerTests",
            dependencies: [
                "CallServer", "CallStore", "CallStoreTesting", "CallScoring", "CallAnalysis", "CallViews", "CallAudio",
                .product(name: "Hummingbird", package: "hummingbird"),
                .product(name: "HummingbirdTesting", package: "hummingbird"),
            ],
            swiftSettings: strictSettings),
        // Scratch stores for tests: SQLite files, and PostgreSQL databases when CALLQA_TEST_POSTGRES
        // names a server.
        .target(name: "CallStoreTesting", dependencies: ["CallStore"], path: "Tests/CallStoreTesting", swiftSettings: strictSettings),
        // The shared store suite (SQLite, and PostgreSQL when a server is there) and sharded
        // workers on one PostgreSQL.
        .testTarget(
            name: "CallStoreTests",
            dependencies: [
                "CallStore", "CallStoreTesting", "CallScoring", "CallAnalysis", "CallServer",
                .product(name: "Hummingbird", package: "hummingbird"),
                .product(name: "HummingbirdTesting", package: "hummingbird"),
            ],
            swiftSettings: strictSettings),
        .testTarget(name: "CallScoringTests", dependencies: ["CallScoring", "CallAnalysis", "CallStore"], swiftSettings: strictSettings),
        .testTarget(
            name: "CallQATests",
            dependencies: [
                "callqa", "CallAnalysis", "CallAudio", "CallDSP", "CallInputs", "CallScoring", "CallStore", "CSndFile",
                .product(name: "ArgumentParser", package: "swift-argument-parser"),
                .product(name: "Yams", package: "Yams"),
            ],
            swiftSettings: strictSettings),
    ]
)
