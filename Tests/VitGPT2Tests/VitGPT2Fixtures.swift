import Foundation

/// The committed reference outputs in `Tests/Fixtures/vitgpt2/`, written by `scripts/vitgpt2_reference.py`.
enum VitGPT2Fixtures {
    /// `Tests/Fixtures/vitgpt2/`, found from this file's path (`Tests/VitGPT2Tests/VitGPT2Fixtures.swift`).
    static let directory = URL(fileURLWithPath: #filePath).deletingLastPathComponent().deletingLastPathComponent()
        .appendingPathComponent("Fixtures/vitgpt2")

    /// The tiny random model folder.
    static let modelDirectory = directory.appendingPathComponent("tiny-model")

    /// One test image's entry in `manifest.json`.
    struct Image: Decodable {
        let name: String
        let width: Int
        let height: Int
        let teacherTokens: [Int]
        let generated: [String: Generated]

        enum CodingKeys: String, CodingKey {
            case name, width, height, generated
            case teacherTokens = "teacher_tokens"
        }
    }

    /// A reference `generate` result.
    struct Generated: Decodable {
        let tokens: [Int]
        let text: String
    }

    /// One generation setting.
    struct Setting: Decodable {
        let name: String
        let numBeams: Int
        let maxLength: Int

        enum CodingKeys: String, CodingKey {
            case name
            case numBeams = "num_beams"
            case maxLength = "max_length"
        }
    }

    /// `manifest.json`.
    struct Manifest: Decodable {
        let images: [Image]
        let generations: [Setting]
        let decoding: [Generated]
    }

    static func manifest() throws -> Manifest {
        let url = directory.appendingPathComponent("manifest.json")
        return try JSONDecoder().decode(Manifest.self, from: Data(contentsOf: url))
    }

    /// The bytes of a fixture file.
    static func bytes(_ name: String) throws -> [UInt8] {
        [UInt8](try Data(contentsOf: directory.appendingPathComponent(name)))
    }

    /// A raw little-endian float32 fixture file.
    static func floats(_ name: String) throws -> [Float] {
        let data = try bytes(name)
        return stride(from: 0, to: data.count, by: 4).map { offset in
            Float(
                bitPattern: UInt32(data[offset]) | UInt32(data[offset + 1]) << 8 | UInt32(data[offset + 2]) << 16
                    | UInt32(data[offset + 3]) << 24)
        }
    }

    /// The largest absolute difference, divided by the largest absolute reference value (at least 1).
    static func relativeError(_ actual: [Float], _ expected: [Float]) -> Float {
        precondition(actual.count == expected.count, "compared arrays differ in length")
        var difference: Float = 0
        var scale: Float = 1
        for (a, e) in zip(actual, expected) {
            difference = max(difference, abs(a - e))
            scale = max(scale, abs(e))
        }
        return difference / scale
    }
}
