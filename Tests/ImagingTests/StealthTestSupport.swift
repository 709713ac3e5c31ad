import Foundation

@testable import Imaging

/// Fixtures and builders for the stealth parameters tests.
enum StealthTestSupport {
    /// What `scripts/make_stealth_fixtures.py` says a reader must find in one fixture.
    struct Expectation: Decodable, Equatable {
        var signature: String
        var text: String
    }

    /// The bytes of `Tests/Fixtures/stealth/<name>`.
    static func fixture(_ name: String) throws -> [UInt8] {
        try MetadataTestSupport.bytes(at: folder.appendingPathComponent(name))
    }

    /// `expected.json`: the parameters of each fixture, nil for those that hold none.
    static func expectations() throws -> [String: Expectation?] {
        let data = try Data(contentsOf: folder.appendingPathComponent("expected.json"))
        return try JSONDecoder().decode([String: Expectation?].self, from: data)
    }

    /// The metadata of `bytes` with stealth parameters looked for.
    static func read(_ bytes: [UInt8], decoder: ImageDecoder = ImageDecoder()) throws -> ImageMetadata {
        var metadata = try MetadataReader.read(bytes)
        MetadataReader.readStealthParameters(bytes, into: &metadata, decoder: decoder)
        return metadata
    }

    /// The bits of a stream: signature, 32-bit big-endian `length` (the payload's bit count unless
    /// given) and payload, most significant bit first.
    static func stream(_ signature: String, payload: [UInt8], length: UInt32? = nil) -> [UInt8] {
        let declared = length ?? UInt32(payload.count * 8)
        let lengthBytes = (0..<4).map { UInt8(truncatingIfNeeded: declared >> (24 - 8 * $0)) }
        return (Array(signature.utf8) + lengthBytes + payload).flatMap { byte in
            (0..<8).map { (byte >> (7 - $0)) & 1 }
        }
    }

    /// A complete plane whose `channel` bits, in stream order, start with `bits`; every other bit is 0.
    static func plane(
        width: Int, height: Int, channel: StealthParameters.Channel, bits: [UInt8], hasAlpha: Bool = true,
        rows: Int? = nil
    ) -> LowBitPlane {
        var samples = [UInt8](repeating: 0, count: width * height * 4)
        let perPixel = channel == .alpha ? 1 : 3
        for (index, bit) in bits.enumerated() where index < width * height * perPixel {
            let pixel = index / perPixel
            let (x, y) = (pixel / height, pixel % height)
            let sample = channel == .alpha ? 3 : index % 3
            samples[(y * width + x) * 4 + sample] |= bit
        }
        var plane = LowBitPlane(width: width, height: height, hasAlpha: hasAlpha)
        samples.prefix(width * (rows ?? height) * 4).withUnsafeBufferPointer { plane.append(rgba: $0) }
        return plane
    }

    private static let folder = MetadataTestSupport.repositoryRoot.appendingPathComponent("Tests/Fixtures/stealth")
}
